#!/usr/bin/env bash
# Installs the peer eval tools (promptfoo, evalite + vitest) into bench/peers/node_modules, with their own
# package.json so they never enter the root dependencies. `npm run bench` measures them when present.
set -euo pipefail
cd "$(dirname "$0")"
# Telemetry and update checks off during install scripts too (we never want network beyond the registry).
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 DO_NOT_TRACK=1
# This folder is not one of the root workspaces, so npm treats it as its own project.
npm install --no-audit --no-fund "$@" 2>&1 | tail -n 20 || {
	echo "bench:peers: npm install failed (see above)." >&2; exit 1; }
node -e "
for (const p of ['promptfoo', 'evalite', 'vitest']) {
	const v = require('./node_modules/' + p + '/package.json').version;
	console.log('installed ' + p + '@' + v);
}"
echo "Peers ready: npm run bench (or node bench/run.mjs --only peers) now measures them."
