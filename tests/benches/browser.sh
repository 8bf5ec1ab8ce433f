#!/usr/bin/env bash
# The browser benchmark: builds the wasm module and the browser side, runs
# the native side (criterion, on the same generated files), then the same
# steps in headless Chromium, and prints one table with PASS/FAIL against
# the targets. Not a test: timings depend on the machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash www/scripts/setup.sh
[ -d www/node_modules ] || npm --prefix www ci
bash www/scripts/build-wasm.sh
node www/scripts/build-web.mjs
cargo bench --bench browser_parity
node tests/benches/browser.mjs
