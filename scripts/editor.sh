#!/usr/bin/env bash
# npm run editor — try the extension in a browser: builds and packages it, starts code-server
# (a real VS Code) with it on the examples/ folder, bound to 127.0.0.1, and prints the URL.
# Runs in the foreground until Ctrl+C. PORT=8080 npm run editor picks the port (default: a free one).
# Installs code-server on first use (scripts/e2e-setup.sh, about 1 minute).
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

bin="$(bash scripts/e2e-setup.sh)"
npm run package

port="${PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"
run="$(mktemp -d /tmp/doteval-editor-XXXXXX)"
mkdir -p "$run/data/User" "$run/ext" "$run/tmp" "$run/xdg-data" "$run/xdg-config"
printf 'auth: none\ncert: false\n' > "$run/config.yaml"
cat > "$run/data/User/settings.json" <<'JSON'
{
	"security.workspace.trust.enabled": false,
	"workbench.startupEditor": "none",
	"extensions.autoCheckUpdates": false,
	"extensions.autoUpdate": false,
	"update.mode": "none",
	"telemetry.telemetryLevel": "off",
	"git.enabled": false
}
JSON
common=(--config "$run/config.yaml" --user-data-dir "$run/data" --extensions-dir "$run/ext")
export TMPDIR="$run/tmp" XDG_DATA_HOME="$run/xdg-data" XDG_CONFIG_HOME="$run/xdg-config"
"$bin" "${common[@]}" --install-extension "$root/dist/doteval.vsix" >/dev/null

"$bin" "${common[@]}" --bind-addr "127.0.0.1:$port" --auth none --disable-telemetry --disable-update-check \
	--disable-workspace-trust --disable-getting-started-override --ignore-last-opened "$root/examples" \
	>"$run/code-server.log" 2>&1 &
pid=$!
cleanup() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for _ in $(seq 1 100); do
	node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$port/healthz" && break
	kill -0 "$pid" 2>/dev/null || { cat "$run/code-server.log"; echo "code-server exited" >&2; exit 1; }
	sleep 0.2
done
folder="$(node -p 'encodeURIComponent(process.argv[1])' "$root/examples")"
echo
echo "doteval in VS Code: http://127.0.0.1:$port/?folder=$folder"
echo "(code-server log: $run/code-server.log; Ctrl+C stops it)"
wait "$pid"
