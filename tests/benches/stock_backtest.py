#!/usr/bin/env python3
"""Back-test of `pocketrec stock` on an invoice-line order log (the UCI
Online Retail layout), against the naive rule "stock last period's sales".

For each cut-off day C:

1. `pocketrec stock --as-of C` plans from the lines dated before C only
   (CSV output, no stock file).
2. Each policy stocks a level at C for every product of that plan (the
   products sold before C; all policies on the same products):
   * naive:                 last full period's net units × lead time
     (the last value of the same series the plan forecasts);
   * pocketrec forecast:    ⌈leadTimeDemand⌉ (the point forecast, no
     safety stock);
   * pocketrec reorder pt:  ⌈reorderPoint⌉ (forecast + safety stock at the
     service level).
3. The real demand is each product's net units (sales − returns, clipped at
   0) dated in [C, C + lead time), read from the log. Per product:
   stock-out when demand > stocked (units short = demand − stocked,
   revenue lost = units short × unit price); excess = stocked − demand when
   positive (valued at unit price). The unit price is the product's mean
   sale price before C (sale revenue / sale units). Fill rate = 1 − units
   short / demand.

The log's accounting-adjustment lines (invoices A...) are skipped and counted,
here and in the reading of real demand. Prints one table. Python stdlib
only.

usage: stock_backtest.py POCKETREC_BINARY ORDERS_CSV [--period week|month]
       [--lead-time L] [--service-level S] [--cutoffs 2011-06-06,...]
"""

import argparse
import csv
import datetime as dt
import math
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict


def parse_day(text):
    return dt.date.fromisoformat(text.strip()[:10])


def add_periods(day, period, n):
    if period == "week":
        return day + dt.timedelta(days=7 * n)
    month = day.month - 1 + n
    return dt.date(day.year + month // 12, month % 12 + 1, 1)


def read_log(path):
    """(product, day, quantity, price) of every line with a price ≥ 0."""
    lines = []
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                quantity = float(row["Quantity"])
                price = float(row["UnitPrice"])
            except ValueError:
                continue
            if price < 0 or quantity == 0 or row["InvoiceNo"].startswith(("A", "a")):
                continue
            if row["InvoiceNo"].startswith(("C", "c")):
                quantity = -abs(quantity)
            lines.append((row["StockCode"], parse_day(row["InvoiceDate"]), quantity, price))
    return lines


def run_plan(binary, orders, cutoff, args, out_dir):
    out = os.path.join(out_dir, f"plan-{cutoff}.csv")
    command = [
        binary, "stock", "--orders", orders, "--as-of", str(cutoff),
        "--lead-time", str(args.lead_time), "--service-level", str(args.service_level),
        "--period", args.period, "--out", out,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"pocketrec stock failed: {done.stderr}")
    with open(out, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f)), seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("orders")
    parser.add_argument("--period", default="week", choices=["week", "month"])
    parser.add_argument("--lead-time", type=int, default=2)
    parser.add_argument("--service-level", type=float, default=95)
    parser.add_argument("--cutoffs", default="2011-06-06,2011-08-01,2011-10-03")
    args = parser.parse_args()
    log = read_log(args.orders)
    cutoffs = [parse_day(c) for c in args.cutoffs.split(",")]
    header = (
        f"{'cut-off':<11} {'policy':<21} {'products':>8} {'stock-outs':>10} {'units short':>11} "
        f"{'revenue lost':>12} {'excess units':>12} {'excess value':>12} {'fill rate':>9}"
    )
    print(
        f"# {args.period}s, lead time {args.lead_time}, service level {args.service_level:g}%: "
        f"stock at the cut-off against the next {args.lead_time} {args.period}(s) of real demand"
    )
    print(header)
    totals = defaultdict(lambda: [0, 0, 0.0, 0.0, 0.0, 0.0, 0.0])
    with tempfile.TemporaryDirectory() as out_dir:
        for cutoff in cutoffs:
            plan, seconds = run_plan(args.binary, args.orders, cutoff, args, out_dir)
            end = add_periods(cutoff, args.period, args.lead_time)
            demand = defaultdict(float)
            sold_units = defaultdict(float)
            sold_value = defaultdict(float)
            for product, day, quantity, price in log:
                if cutoff <= day < end:
                    demand[product] += quantity
                elif day < cutoff and quantity > 0:
                    sold_units[product] += quantity
                    sold_value[product] += quantity * price
            # The last full period's net units: the naive rule's basis.
            last_start = add_periods(cutoff, args.period, -1)
            last = defaultdict(float)
            for product, day, quantity, _ in log:
                if last_start <= day < cutoff:
                    last[product] += quantity
            policies = {
                "naive (last period)": lambda p: max(0.0, last[p["id"]]) * args.lead_time,
                "pocketrec forecast": lambda p: math.ceil(float(p["leadTimeDemand"]) - 1e-9),
                "pocketrec reorder pt": lambda p: math.ceil(float(p["reorderPoint"]) - 1e-9),
            }
            for name, stocked_of in policies.items():
                outs, short, lost, excess, excess_value, wanted = 0, 0.0, 0.0, 0.0, 0.0, 0.0
                for p in plan:
                    pid = p["id"]
                    price = sold_value[pid] / sold_units[pid] if sold_units[pid] > 0 else 0.0
                    want = max(0.0, demand[pid])
                    stocked = stocked_of(p)
                    wanted += want
                    if want > stocked:
                        outs += 1
                        short += want - stocked
                        lost += (want - stocked) * price
                    else:
                        excess += stocked - want
                        excess_value += (stocked - want) * price
                fill = 1 - short / wanted if wanted else 1.0
                print(
                    f"{cutoff!s:<11} {name:<21} {len(plan):>8} {outs:>10} {short:>11.0f} "
                    f"{lost:>12.0f} {excess:>12.0f} {excess_value:>12.0f} {fill:>9.3f}"
                )
                t = totals[name]
                for i, v in enumerate([len(plan), outs, short, lost, excess, excess_value, wanted]):
                    t[i] += v
            print(f"{'':<11} (plan of {len(plan)} products made in {seconds:.2f} s)")
    for name, t in totals.items():
        fill = 1 - t[2] / t[6] if t[6] else 1.0
        print(
            f"{'all':<11} {name:<21} {t[0]:>8} {t[1]:>10} {t[2]:>11.0f} {t[3]:>12.0f} "
            f"{t[4]:>12.0f} {t[5]:>12.0f} {fill:>9.3f}"
        )


if __name__ == "__main__":
    main()
