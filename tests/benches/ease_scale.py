#!/usr/bin/env python3
"""Helper of tests/benches/ease_scale.sh (Python 3.11 standard library only).

    python3 -B tests/benches/ease_scale.py gen --items N [--seed S] --out DIR
    python3 -B tests/benches/ease_scale.py table WORKDIR N [N ...]

`gen` writes a seeded synthetic shop for the EASE scale benchmark:

* DIR/catalog.json: N products, written by gen_shop.py's `write_catalogue`
  (the same `{"items": [...]}` format and vocabulary as index_scale.sh uses);
* DIR/interactions.csv: `user,item,weight,timestamp`, max(20000, 2N) users
  of 15-45 distinct items each (30 on average). Two of each user's items
  walk a seeded permutation of the catalogue round-robin, so every item has
  at least 2*users/N >= 4 users (a random 20% hold-out still leaves nearly
  every item in the training part, and EASE learns all N); the rest are
  drawn Zipf-like (exponent ZIPF_S), half from one favourite department's
  own popularity order and half from a global one, so the Gram matrix has
  a popular head, a long tail and department blocks. Weights 1-3
  (mostly 1), timestamps increasing per user;
* DIR/gen.json last (parameters and counts; its presence marks a complete
  shop). The same arguments give byte-identical files.

`table` reads WORKDIR/<N>/{eval.json,time.txt,gen.json} and prints the
markdown table of fit seconds, wall seconds and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_shop import DEPARTMENTS, write_catalogue, zipf_sampler  # noqa: E402

FORMAT = 1              # bump when the generated data changes
ZIPF_S = 1.0            # popularity exponent
MIN_USERS = 20_000
COVER_PER_USER = 2      # round-robin items per user (every item touched)
MIN_ITEMS, MAX_ITEMS = 15, 45
FAVOURITE_SHARE = 0.5   # drawn items from the favourite department
START = 1_767_225_600   # 2026-01-01T00:00:00Z
SPAN_DAYS = 180


def gen(n_items: int, seed: int, out: str) -> None:
    t0 = time.perf_counter()
    os.makedirs(out, exist_ok=True)
    marker = os.path.join(out, "gen.json")
    if os.path.exists(marker):
        os.remove(marker)
    rng = random.Random(f"ease-scale:{n_items}:{seed}")
    dept_of = write_catalogue(os.path.join(out, "catalog.json"), n_items, rng)
    t_cat = time.perf_counter()

    n_depts = len(DEPARTMENTS)
    by_dept: list[list[int]] = [[] for _ in range(n_depts)]
    for i in range(n_items):
        by_dept[dept_of[i]].append(i)
    for lst in by_dept:
        rng.shuffle(lst)  # department popularity order
    live = [d for d in range(n_depts) if by_dept[d]]
    dept_samplers = [zipf_sampler(len(lst), ZIPF_S) for lst in by_dept]
    global_order = list(range(n_items))
    rng.shuffle(global_order)
    global_sampler = zipf_sampler(n_items, ZIPF_S)
    cover = list(range(n_items))
    rng.shuffle(cover)

    n_users = max(MIN_USERS, 2 * n_items)
    counts = [0] * n_items
    rows = 0
    rand = rng.random
    span = SPAN_DAYS * 86_400
    with open(os.path.join(out, "interactions.csv"), "w", encoding="utf-8", buffering=1 << 22) as f:
        f.write("user,item,weight,timestamp\n")
        out_rows: list[str] = []
        for u in range(n_users):
            k = min(n_items, rng.randint(MIN_ITEMS, MAX_ITEMS))
            chosen: list[int] = []
            seen: set[int] = set()
            for j in range(min(k, COVER_PER_USER)):
                i = cover[(u * COVER_PER_USER + j) % n_items]
                if i not in seen:
                    seen.add(i)
                    chosen.append(i)
            fav = live[int(rand() * len(live))]
            fav_items, fav_sampler = by_dept[fav], dept_samplers[fav]
            attempts = 0
            while len(chosen) < k and attempts < 20 * k:
                attempts += 1
                if rand() < FAVOURITE_SHARE:
                    i = fav_items[fav_sampler(rand())]
                else:
                    i = global_order[global_sampler(rand())]
                if i not in seen:
                    seen.add(i)
                    chosen.append(i)
            rng.shuffle(chosen)
            clock = START + int(rand() * span)
            for i in chosen:
                clock += 30 + int(rand() * 3_600)
                r = rand()
                weight = 1 if r < 0.75 else (2 if r < 0.93 else 3)
                out_rows.append(f"u{u},p{i},{weight},{clock}\n")
                counts[i] += 1
            rows += len(chosen)
            if len(out_rows) >= 100_000:
                f.write("".join(out_rows))
                out_rows.clear()
        f.write("".join(out_rows))
    t_end = time.perf_counter()
    sorted_counts = sorted(counts, reverse=True)
    meta = {
        "format": FORMAT,
        "items": n_items,
        "seed": seed,
        "users": n_users,
        "rows": rows,
        "itemsTouched": sum(1 for c in counts if c),
        "minUsersPerItem": sorted_counts[-1],
        "maxUsersPerItem": sorted_counts[0],
        "top1PercentShare": round(sum(sorted_counts[: max(1, n_items // 100)]) / max(1, rows), 4),
        "seconds": {"catalogue": round(t_cat - t0, 2), "total": round(t_end - t0, 2)},
    }
    with open(marker + ".tmp", "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=1)
    os.replace(marker + ".tmp", marker)
    print(json.dumps(meta), file=sys.stderr)


def parse_time(path: str) -> tuple[float, float]:
    """`/usr/bin/time -f '%e %M'` output: the last line is 'wall_s max_rss_kB'
    (earlier lines may be the program's own stderr or 'Command exited ...')."""
    with open(path, encoding="utf-8") as f:
        lines = [l.split() for l in f if l.strip()]
    for parts in reversed(lines):
        if len(parts) == 2:
            try:
                return float(parts[0]), float(parts[1])
            except ValueError:
                continue
    return math.nan, math.nan


def table(work: str, sizes: list[str]) -> None:
    threads = os.environ.get("POCKETREC_THREADS") or f"all ({os.cpu_count()})"
    print("| items | users | rows | EASE fit s (eval JSON fitSeconds) | wall s (whole eval) | peak RSS MB | threads |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n in sizes:
        d = os.path.join(work, n)
        try:
            meta = json.load(open(os.path.join(d, "gen.json")))
            users, rows = str(meta["users"]), str(meta["rows"])
        except (OSError, ValueError, KeyError):
            users = rows = "?"
        wall, rss_kb = parse_time(os.path.join(d, "time.txt"))
        fit = "FAILED"
        try:
            report = json.load(open(os.path.join(d, "eval.json")))
            fit = next(f"{r['fitSeconds']:.2f}" for r in report["results"] if r["model"] == "ease")
        except (OSError, ValueError, KeyError, StopIteration):
            pass
        rss = "?" if math.isnan(rss_kb) else f"{rss_kb * 1024 / 1e6:.0f}"
        wall_s = "?" if math.isnan(wall) else f"{wall:.1f}"
        print(f"| {n} | {users} | {rows} | {fit} | {wall_s} | {rss} | {threads} |")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen")
    g.add_argument("--items", type=int, required=True)
    g.add_argument("--seed", type=int, default=1)
    g.add_argument("--out", required=True)
    t = sub.add_parser("table")
    t.add_argument("work")
    t.add_argument("sizes", nargs="+")
    a = p.parse_args()
    if a.cmd == "gen":
        if a.items < 2:
            p.error("--items must be at least 2")
        gen(a.items, a.seed, a.out)
    else:
        table(a.work, a.sizes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
