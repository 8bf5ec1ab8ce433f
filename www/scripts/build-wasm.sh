#!/usr/bin/env bash
# Builds the wasm module into www/pkg (git-ignored): cargo (profile `wasm`,
# size-optimised, no CLI dependencies), wasm-bindgen --target web, then
# wasm-opt from npm's binaryen. Prints the raw and gzipped sizes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm --no-default-features
wasm-bindgen --target web --out-dir www/pkg target/wasm32-unknown-unknown/wasm/pocketrec.wasm
wasm="www/pkg/pocketrec_bg.wasm"
# wasm-opt from the npm package `binaryen` (pinned in package-lock.json), not
# Debian's: binaryen 108 from Debian rewrites the externref table that rustc
# and wasm-bindgen now emit, and the optimised module then fails to start.
opt="$root/www/node_modules/.bin/wasm-opt"
if [ -x "$opt" ]; then
    "$opt" -Oz --converge --strip-debug --strip-producers "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
else
    echo "build-wasm: $opt not found (run npm --prefix www ci); the module is left unoptimised" >&2
fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "wasm module: $raw bytes raw, $gz bytes gzipped ($wasm)"
