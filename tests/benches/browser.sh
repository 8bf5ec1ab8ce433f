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

# What forecasting would add to a single module holding both (the shipped
# build keeps them apart, so shop pages never download the forecaster).
cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm --no-default-features --features wasm-recommend,wasm-forecast
out="$root/target/wasm-combined"
wasm-bindgen --target web --out-dir "$out" target/wasm32-unknown-unknown/wasm/pocketrec.wasm
www/node_modules/.bin/wasm-opt -Oz --converge --strip-debug --strip-producers "$out/pocketrec_bg.wasm" -o "$out/combined.wasm"
combined=$(gzip -9 -c "$out/combined.wasm" | wc -c)
alone=$(gzip -9 -c www/pkg/pocketrec_bg.wasm | wc -c)
echo "one module with both: $combined bytes gzipped; forecasting adds $((combined - alone)) bytes gzipped to the recommendation module ($alone)"
