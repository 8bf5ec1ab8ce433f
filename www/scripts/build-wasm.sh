#!/usr/bin/env bash
# Builds the three wasm modules into www/pkg (git-ignored), each with cargo
# (no CLI dependencies), wasm-bindgen --target web, then wasm-opt from
# npm's binaryen, and prints their raw and gzipped sizes:
#
#   pocketrec           recommendations fitted in the page from a catalogue
#                       and its log: profile `wasm` (opt-level "z") and
#                       wasm-opt -Oz, for size
#   pocketrec_query     recommendations served from a model index (no fitting
#                       code, no log or catalogue readers): the module a
#                       shop's pages load; `wasm` and -Oz, for size
#   pocketrec_forecast  forecasting, for the shop owner's pages only:
#                       profile `wasm-fast` (opt-level 3) and wasm-opt -O3,
#                       for speed
#
# and the command-line tool itself (src/bin/pocketrec) for wasm32-wasip1, as
# www/pkg/pocketrec_cli.wasm: the npm package's `npx pocketrec` runs it in
# Node's WASI, so a shop builds its index with no Rust toolchain. Release
# profile and +simd128 (Node has had wasm SIMD since 16), for speed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# wasm-opt from the npm package `binaryen` (pinned in package-lock.json), not
# Debian's: binaryen 108 from Debian rewrites the externref table that rustc
# and wasm-bindgen now emit, and the optimised module then fails to start.
opt="$root/www/node_modules/.bin/wasm-opt"
# Cargo's output directory: CARGO_TARGET_DIR when set (a private one per worktree).
target="${CARGO_TARGET_DIR:-target}"

build() {
    local name="$1" feature="$2" profile="$3" level="$4"
    cargo build --quiet --lib --target wasm32-unknown-unknown --profile "$profile" \
        --no-default-features --features "$feature"
    wasm-bindgen --target web --out-dir www/pkg --out-name "$name" \
        "$target/wasm32-unknown-unknown/$profile/pocketrec.wasm"
    local wasm="www/pkg/${name}_bg.wasm"
    if [ -x "$opt" ]; then
        "$opt" "$level" --converge --strip-debug --strip-producers "$wasm" -o "$wasm.opt"
        mv "$wasm.opt" "$wasm"
    else
        echo "build-wasm: $opt not found (run npm --prefix www ci); $wasm is left unoptimised" >&2
    fi
    echo "wasm module $name: $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzipped ($wasm)"
}

build pocketrec wasm-recommend wasm -Oz
build pocketrec_query wasm-query wasm -Oz
build pocketrec_forecast wasm-forecast wasm-fast -O3

cargo build --quiet --release --target wasm32-wasip1 --bin pocketrec --no-default-features --features cli \
    --config 'target.wasm32-wasip1.rustflags = ["-C", "target-feature=+simd128"]'
cli="www/pkg/pocketrec_cli.wasm"
if [ -x "$opt" ]; then
    "$opt" -O2 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --strip-debug --strip-producers "$target/wasm32-wasip1/release/pocketrec.wasm" -o "$cli"
else
    cp "$target/wasm32-wasip1/release/pocketrec.wasm" "$cli"
fi
echo "wasm command-line tool: $(stat -c %s "$cli") bytes raw, $(gzip -9 -c "$cli" | wc -c) bytes gzipped ($cli)"
