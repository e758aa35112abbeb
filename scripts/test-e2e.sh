#!/usr/bin/env bash
# npm run test:e2e — end-to-end tests in a real VS Code (code-server + headless chromium):
# install what is missing (scripts/e2e-setup.sh), package the extension, run test/e2e/*.e2e.test.mjs
# one file at a time. Screenshots and logs go to test-results/e2e/. Arguments filter the test files
# by substring: `npm run test:e2e -- panels trust`.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== e2e: setup (Debian packages, code-server) =="
DOTEVAL_E2E_CODE_SERVER="$(bash scripts/e2e-setup.sh)"
export DOTEVAL_E2E_CODE_SERVER

echo "== e2e: npm run package =="
npm run package

files=()
for f in test/e2e/*.e2e.test.mjs; do
	if [ $# -eq 0 ]; then files+=("$f"); else for x in "$@"; do [[ "$f" == *"$x"* ]] && { files+=("$f"); break; }; done; fi
done
[ ${#files[@]} -gt 0 ] || { echo "no e2e test file matches: $*" >&2; exit 1; }

echo "== e2e: node --test ${files[*]} =="
rm -rf test-results/e2e
status=0
mkdir -p test-results/e2e
node --test --test-concurrency=1 --test-timeout=300000 "${files[@]}" 2>&1 | tee test-results/e2e/node-test.log || status=$?
if [ "$status" -ne 0 ]; then
	echo "== e2e FAILED (exit $status): tails of the kept logs (all in test-results/e2e/logs/) =="
	for log in test-results/e2e/logs/*/code-server.log test-results/e2e/logs/*/*doteval*.log; do
		[ -f "$log" ] || continue
		echo "--- $log (last 30 lines) ---"
		tail -n 30 "$log"
	done
fi
echo "screenshots: $(pwd)/test-results/e2e/"
if [ "$status" -ne 0 ]; then
	# Repeat the runner's closing summary so it stays the last thing printed.
	tail -n 9 test-results/e2e/node-test.log
fi
exit "$status"
