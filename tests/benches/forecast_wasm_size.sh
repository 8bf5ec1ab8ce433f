#!/usr/bin/env bash
# How much the forecasting module adds to a wasm module, gzipped.
#   bash tests/benches/forecast_wasm_size.sh
# Builds two throw-away cdylibs under target/forecast-wasm-size/ that link pocketrec for
# wasm32-unknown-unknown with the project's wasm settings (opt-level z, LTO, one codegen
# unit, panic=abort), then wasm-opt -Oz: one parses a pocketrec Config from JSON (so
# serde_json, float formatting and the error type are in both, as in the real module),
# the other also calls pocketrec::forecast::forecast with options parsed from JSON. Custom sections (wasm-bindgen's metadata, names) are dropped before gzip -9,
# so the difference is code and data only. Skips (exit 0) without the wasm target or
# wasm-opt (PATH or www/node_modules/.bin).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$repo/target/forecast-wasm-size"
if ! rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
    echo "skipped: the wasm32-unknown-unknown target is not installed"; exit 0
fi
wasm_opt="$(command -v wasm-opt || true)"
[ -x "$repo/www/node_modules/.bin/wasm-opt" ] && wasm_opt="$repo/www/node_modules/.bin/wasm-opt"
if [ -z "$wasm_opt" ]; then echo "skipped: no wasm-opt"; exit 0; fi
mkdir -p "$work/src"
cat > "$work/Cargo.toml" <<TOML
[package]
name = "forecast-wasm-size"
version = "0.0.0"
edition = "2021"
publish = false
[workspace]
[lib]
crate-type = ["cdylib"]
[dependencies]
pocketrec = { path = "$repo", default-features = false }
[features]
with = []
[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
TOML
cat > "$work/src/lib.rs" <<'RS'
#[no_mangle]
pub extern "C" fn touch(ptr: *const u8, len: usize) -> usize {
    // SAFETY: the caller passes a valid buffer of `len` bytes.
    let text = unsafe { std::slice::from_raw_parts(ptr, len) };
    match pocketrec::config::Config::from_json(text) {
        Ok(c) => std::mem::size_of_val(&c),
        Err(e) => e.code().len() + e.to_string().len(),
    }
}
#[cfg(feature = "with")]
#[no_mangle]
pub extern "C" fn fc(ptr: *const f64, len: usize, h: usize, out: *mut f64) -> usize {
    // SAFETY: the caller passes valid buffers of `len` and `h` values.
    let y = unsafe { std::slice::from_raw_parts(ptr, len) };
    let o = pocketrec::forecast::ForecastOptions::from_json("{\"seasonLength\":12}")
        .unwrap_or_default();
    match pocketrec::forecast::forecast(y, h, &o) {
        Ok(f) => {
            for (i, v) in f.point.iter().enumerate() {
                unsafe { *out.add(i) = *v };
            }
            f.intervals.len() + f.model.len()
        }
        Err(e) => e.to_string().len(),
    }
}
RS
features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue"
export CARGO_TARGET_DIR="$work/target"
for variant in base with; do
    flags=""; [ "$variant" = with ] && flags="--features with"
    (cd "$work" && cargo build --quiet --release --target wasm32-unknown-unknown $flags)
    "$wasm_opt" -Oz --strip-debug --strip-producers $features \
        "$work/target/wasm32-unknown-unknown/release/forecast_wasm_size.wasm" -o "$work/$variant.wasm"
done
python3 - "$work/base.wasm" "$work/with.wasm" <<'PY'
import gzip, sys
def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1; r |= (x & 0x7F) << s; s += 7
        if x < 0x80: return r, i
sizes = []
for path in sys.argv[1:]:
    b = open(path, "rb").read(); i = 8; keep = bytearray(b[:8])
    while i < len(b):
        start = i; sid = b[i]; i += 1; n, i = leb(b, i)
        if sid != 0: keep += b[start:i + n]
        i += n
    sizes.append((len(keep), len(gzip.compress(bytes(keep), 9))))
(rb, gb), (rw, gw) = sizes
print(f"without forecast: {rb} bytes, {gb} gzipped; with: {rw} bytes, {gw} gzipped")
print(f"forecasting adds {rw - rb} bytes, {gw - gb} gzipped (budget 80 KB = 81920)")
PY
