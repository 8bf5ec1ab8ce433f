#!/usr/bin/env bash
# Builds the wasm module into www/pkg (git-ignored): cargo (profile `wasm`,
# size-optimised, no CLI dependencies), wasm-bindgen --target web, then
# Debian's wasm-opt when present. Prints the raw and gzipped sizes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
cargo build --quiet --lib --target wasm32-unknown-unknown --profile wasm --no-default-features
wasm-bindgen --target web --out-dir www/pkg target/wasm32-unknown-unknown/wasm/pocketrec.wasm
wasm="www/pkg/pocketrec_bg.wasm"
if command -v wasm-opt >/dev/null; then
    wasm-opt -Oz --converge --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
fi
raw=$(stat -c %s "$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
echo "wasm module: $raw bytes raw, $gz bytes gzipped ($wasm)"
