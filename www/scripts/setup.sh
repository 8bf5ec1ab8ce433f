#!/usr/bin/env bash
# Installs what the build and the tests need, only when it is missing:
#   - the wasm32 targets (rustup): wasm32-unknown-unknown for the browser's
#     modules, wasm32-wasip1 for the npm package's command-line tool;
#   - wasm-bindgen-cli at the version of wasm-bindgen in Cargo.lock (cargo install,
#     built from source: no prebuilt binary is downloaded);
#   - Debian's chromium and chromium-driver (browser tests).
# (wasm-opt comes from npm's binaryen package, through npm ci.)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

for wasm_target in wasm32-unknown-unknown wasm32-wasip1; do
    if ! rustup target list --installed | grep -qx "$wasm_target"; then
        rustup target add "$wasm_target"
    fi
done

version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock")
if [ -z "$version" ]; then
    echo "setup: no wasm-bindgen in $root/Cargo.lock" >&2
    exit 1
fi
if ! wasm-bindgen --version 2>/dev/null | grep -qx "wasm-bindgen $version"; then
    echo "setup: installing wasm-bindgen-cli $version (a few minutes, once)"
    # No --locked: the registry mirror here lacks one of its locked dependencies.
    cargo install wasm-bindgen-cli --version "$version"
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing ${missing[*]} from Debian"
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi
