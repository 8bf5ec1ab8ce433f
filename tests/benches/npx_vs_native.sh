#!/usr/bin/env bash
# `npx pocketrec build` (the command-line tool compiled to wasm32-wasip1,
# run by node:wasi; single-threaded, wasm SIMD) against the native binary
# (release, every core) on the same inputs: wall-clock seconds, the ratio
# (the goal: within 2x), and the build report's own fit/tune split.
#
#   bash tests/benches/npx_vs_native.sh [--no-tune] [demo|movielens|retail ...]
#
# Needs the package built (npm --prefix www run build). demo is the demo
# shop's generated log (www/build/shops); movielens and retail are the
# peer benchmark's logs (target/peer-bench/, made by
# tests/benches/peer_implicit.sh from ../shared/data) and are skipped when
# absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
extra=()
sets=()
for arg in "$@"; do
    case "$arg" in
        --no-tune) extra+=(--no-tune) ;;
        *) sets+=("$arg") ;;
    esac
done
[ ${#sets[@]} -gt 0 ] || sets=(demo movielens retail)
bin="www/package/bin/pocketrec.js"
[ -f www/package/dist/cli/pocketrec.wasm ] || { echo "build the package first: npm --prefix www run build" >&2; exit 1; }
cargo build --quiet --release --bin pocketrec
native="${CARGO_TARGET_DIR:-target}/release/pocketrec"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

inputs() {
    case "$1" in
        demo) echo "www/dist/demo/shop/catalogue.json www/build/shops/demo-interactions.csv" ;;
        movielens) echo "../shared/data/movielens-latest-small target/peer-bench/movielens/interactions.csv" ;;
        retail) echo "target/peer-bench/retail/catalogue.json target/peer-bench/retail/interactions.csv" ;;
    esac
}

seconds() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); s=d['seconds']; print(f\"{s['total']:.1f} (tune {s['tune']:.1f}, fit {s['fit']:.1f}, ease {s['models'].get('ease', 0):.1f})\")" "$1"; }

printf '%-10s %-8s %10s %10s %7s\n' "data" "tune" "native s" "npx s" "ratio"
for set in "${sets[@]}"; do
    read -r catalogue log <<<"$(inputs "$set")"
    if [ ! -e "$catalogue" ] || [ ! -e "$log" ]; then
        echo "$set: skipped ($catalogue or $log missing)"
        continue
    fi
    t0=$(date +%s.%N)
    "$native" build --catalog "$catalogue" --interactions "$log" --out "$work/native-$set" --noise-seed 1 "${extra[@]}" >"$work/native-$set.json"
    t1=$(date +%s.%N)
    node "$bin" build --no-widget --catalog "$catalogue" --interactions "$log" --out "$work/npx-$set" --noise-seed 1 "${extra[@]}" >"$work/npx-$set.json"
    t2=$(date +%s.%N)
    python3 - "$set" "${extra[*]:-tuned}" "$t0" "$t1" "$t2" <<'PY'
import sys
name, tune, t0, t1, t2 = sys.argv[1], sys.argv[2], *map(float, sys.argv[3:])
n, w = t1 - t0, t2 - t1
print(f"{name:<10} {('no' if 'no-tune' in tune else 'yes'):<8} {n:10.1f} {w:10.1f} {w / n:6.2f}x")
PY
    echo "  native: $(seconds "$work/native-$set.json")"
    echo "  npx:    $(seconds "$work/npx-$set.json")"
    cmp -s <(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts'])" "$work/native-$set.json") \
           <(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['counts'])" "$work/npx-$set.json") \
        && echo "  same index counts" || echo "  index counts differ"
done
