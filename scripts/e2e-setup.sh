#!/usr/bin/env bash
# Installs what the end-to-end tests need, idempotently (recipe and pitfalls: docs/design/vscode-e2e.md):
# - Debian packages: chromium (the browser Playwright drives), ripgrep (VS Code's search, instead of a
#   GitHub download), libkrb5-dev + pkg-config (code-server's native kerberos build), sqlite3 (store tests);
# - code-server into a cache folder OUTSIDE the clone, so a fresh clone on the same machine reuses it.
# Prints the code-server binary path as its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3   # the newest code-server whose engines.node is 20 (VS Code 1.100.3)
RIPGREP_PKG_VERSION=1.15.11   # @vscode/ripgrep version inside that code-server
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz
CACHE="${DOTEVAL_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/doteval-e2e}"
DIR="$CACHE/code-server-$CODE_SERVER_VERSION"
BIN="$DIR/node_modules/.bin/code-server"

log() { echo "[e2e-setup] $*" >&2; }

# 1. Debian packages, only the missing ones (apt-get update only when something must be installed).
missing=()
for pkg in chromium ripgrep libkrb5-dev pkg-config sqlite3; do
	dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing Debian packages: ${missing[*]}"
	SUDO=''
	[ "$(id -u)" -eq 0 ] || SUDO='sudo'
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
	$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
	log "Debian packages present"
fi

# 2. code-server, unless a complete install is already there (the marker is written last).
if [ -x "$BIN" ] && [ -f "$DIR/.complete" ]; then
	log "code-server $CODE_SERVER_VERSION present in $DIR"
else
	log "installing code-server $CODE_SERVER_VERSION into $DIR (about 1 minute)"
	rm -rf "$DIR"
	mkdir -p "$DIR/tmp/rg" "$DIR/tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION"
	cd "$DIR"
	# allowScripts: npm 11 warns about (and a future npm blocks) install scripts not listed here.
	printf '{ "name": "doteval-e2e-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }\n' > package.json
	# Seed @vscode/ripgrep's download cache with Debian's rg: its postinstall would fetch from GitHub.
	cp "$(command -v rg)" tmp/rg/rg
	tar czf "tmp/vscode-ripgrep-cache-$RIPGREP_PKG_VERSION/$RIPGREP_ASSET" -C tmp/rg rg
	# unsafe_perm: the postinstall refuses to run as root without it; yes: node-pty runs `npx node-gyp`
	# without a TTY.
	TMPDIR="$DIR/tmp" npm_config_unsafe_perm=true npm_config_yes=true \
		npm install --no-audit --no-fund --save-exact "code-server@$CODE_SERVER_VERSION" >&2
	"$BIN" --config "$(node -p 'require("os").devNull')" --version >&2
	rm -rf "$DIR/tmp"
	touch "$DIR/.complete"
fi
echo "$BIN"
