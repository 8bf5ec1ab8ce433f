#!/usr/bin/env bash
# Scale benchmark of `pocketrec build`: wall time, peak memory and index size on seeded
# synthetic shops (tests/benches/gen_shop.py) of growing size.
#
#   bash tests/benches/index_scale.sh [ITEMS:ROWS ...]     (default: 10000:1000000 100000:10000000)
#   SEED=2 bash tests/benches/index_scale.sh 1000000:10000000
#   BUILD_FLAGS="--content-links 0" bash tests/benches/index_scale.sh 1000000:10000000
#
# Targets (the issue's): 10k items / 1M rows in <= 10 s; 100k items / 10M rows in <= 2 min
# and <= 4 GB peak RSS; 1M items should work. Builds run with --no-tune (default options).
# Shops are generated under target/index-scale/ (git-ignored) and reused when present
# (keyed by items, rows and seed). Needs python3 and GNU time (/usr/bin/time -v).
# Prints one table row per size; exits non-zero when a build failed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
seed="${SEED:-1}"
py="${PYTHON:-python3}"
target="${CARGO_TARGET_DIR:-target}"
bin="${BIN:-$target/release/pocketrec}"
work="$target/index-scale"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000:1000000 100000:10000000)

[ -x /usr/bin/time ] || { echo "index_scale: needs GNU time at /usr/bin/time" >&2; exit 1; }
if [ ! -x "$bin" ]; then
    echo "building the release CLI (cargo build --release)" >&2
    cargo build --release >&2
fi
mkdir -p "$work"

results=()
failed=0
for size in "${sizes[@]}"; do
    items="${size%%:*}"
    rows="${size#*:}"
    if ! [[ "$items" =~ ^[0-9]+$ && "$rows" =~ ^[0-9]+$ ]]; then
        echo "index_scale: a size is ITEMS:ROWS, got $size" >&2
        exit 2
    fi
    key="${items}i-${rows}r-s${seed}"
    shop="$work/shop-$key"
    if [ -f "$shop/gen.json" ]; then
        echo "== $key: reusing $shop" >&2
    else
        echo "== $key: generating $shop" >&2
        "$py" "$here/gen_shop.py" --items "$items" --rows "$rows" --seed "$seed" --out "$shop"
    fi
    gen_s="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"]["total"])' "$shop/gen.json")"
    echo "   generation: ${gen_s} s; $(du -h "$shop/catalog.json" | cut -f1) catalogue, $(du -h "$shop/interactions.csv" | cut -f1) interactions" >&2
    index="$work/index-$key"
    echo "   building $index" >&2
    status=0
    /usr/bin/time -v -o "$work/time-$key.txt" \
        "$bin" build --catalog "$shop/catalog.json" --interactions "$shop/interactions.csv" \
        --out "$index" --no-tune ${BUILD_FLAGS:-} >"$work/report-$key.json" 2>"$work/stderr-$key.txt" || status=$?
    if [ "$status" -ne 0 ]; then
        failed=1
        echo "   FAILED (exit $status); stderr and time -v:" >&2
        tail -n 20 "$work/stderr-$key.txt" >&2
        grep -E "Elapsed|Maximum resident|Exit status|signal" "$work/time-$key.txt" >&2 || true
    elif [ -s "$work/stderr-$key.txt" ]; then
        sed 's/^/   build: /' "$work/stderr-$key.txt" >&2
    fi
    results+=("$key $status $gen_s")
done

echo
"$py" - "$work" "${results[@]}" <<'PY'
import json, re, sys

work, runs = sys.argv[1], sys.argv[2:]
cols = ["items", "rows", "shoppers", "wall_s", "cpu_%", "rss_MB", "files", "raw_bytes", "gzip_bytes",
        "load_s", "fit_s", "aggr_s", "item-knn_s", "seq_s", "content_s", "pop_s", "write_s", "gen_s"]
table = [cols]


def time_v(path):
    text = open(path).read()
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", text).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text).group(1)
    cpu = re.search(r"Percent of CPU this job got: (\d+)%", text).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    return seconds, cpu, rss * 1024 / 1e6


for run in runs:
    key, status, gen_s = run.split(" ")
    items, rows = re.match(r"(\d+)i-(\d+)r-", key).groups()
    try:
        wall, cpu, rss = time_v(f"{work}/time-{key}.txt")
    except (OSError, AttributeError):
        wall, cpu, rss = float("nan"), "?", float("nan")
    if status != "0":
        table.append([items, rows, "FAILED", f"{wall:.1f}", cpu, f"{rss:.0f}", f"exit {status}"]
                     + [""] * (len(cols) - 8) + [gen_s])
        continue
    r = json.load(open(f"{work}/report-{key}.json"))
    s, m = r["seconds"], r["seconds"]["models"]
    load = s["total"] - s["tune"] - s["fit"] - s["write"]
    f2 = lambda x: "-" if x is None else f"{x:.2f}"
    table.append([items, rows, str(r["counts"]["shoppers"]), f"{wall:.1f}", cpu,
                  f"{rss:.0f}", str(r["files"]), str(r["bytes"]), str(r["gzipBytes"]), f2(load),
                  f2(s["fit"]), f2(s.get("aggregate")), f2(m.get("item-knn")), f2(m.get("sequential")),
                  f2(m.get("content")), f2(m.get("popular")), f2(s["write"]), gen_s])

widths = [max(len(row[i]) if i < len(row) else 0 for row in table) for i in range(len(cols))]
for row in table:
    print("  ".join(c.rjust(w) for c, w in zip(row, widths)).rstrip())
print("\nload_s = report total - tune - fit - write (reading the catalogue and the log);"
      " fit_s (aggregating, fitting and encoding), aggr_s and the per-model seconds are the"
      " build report's; gen_s = generating the shop"
      f" (python); cpu_% from time -v (under 100 when other jobs share the cores). Reports, stderr and time -v output: {work}/")
PY
exit "$failed"
