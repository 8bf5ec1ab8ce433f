#!/usr/bin/env bash
# Every test of the project: Rust formatting and lints, native unit,
# integration, CLI and doc tests (benchmarks in test mode), the wasm
# bindings in headless Chromium, then the TypeScript shell: unit tests and
# end-to-end tests in a real browser.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bash www/scripts/setup.sh

cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets
cargo test --doc
# The crate as crates.io would get it: packed, and the packed copy built.
cargo package --quiet --allow-dirty

export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_WEBDRIVER_JSON="$root/tests/webdriver.json"
cargo clippy --lib --tests --target wasm32-unknown-unknown --no-default-features --features wasm-recommend,wasm-forecast -- -D warnings
# Each module alone, as build-wasm.sh builds them.
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features wasm-recommend -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features wasm-forecast -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --no-default-features --features wasm-query -- -D warnings
# The command-line tool as the npm package runs it (wasm32-wasip1, node:wasi).
cargo clippy --release --target wasm32-wasip1 --bin pocketrec --no-default-features --features cli -- -D warnings
cargo test --target wasm32-unknown-unknown --no-default-features --features wasm-recommend,wasm-forecast --test web
bash www/scripts/build-wasm.sh

# The TypeScript shell: strict type check, unit tests (node:test on tests
# compiled by tsc), the browser build, then end-to-end tests of the demo
# shop and the widget in Debian's Chromium (playwright-core), and the npm
# package as a user gets it: packed, installed into a fresh project, its
# `npx pocketrec build` run with no Rust on PATH, its output served to
# Chromium, its types and bundles checked.
cd "$root/www"
npm run -s typecheck
npm run -s test:unit
npm run -s build:web
npm run -s test:e2e
npm run -s test:package
