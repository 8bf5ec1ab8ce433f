#!/usr/bin/env python3
"""A seeded synthetic shop for scale benchmarks of `pocketrec build`.

    python3 tests/benches/gen_shop.py --items N --rows M [--seed S] --out DIR

writes DIR/catalog.json (`{"items": [...]}`), DIR/interactions.csv (header
`user,item,event,timestamp`, exactly M rows) and, last, DIR/gen.json (the
parameters, counts and seconds; its presence marks a complete shop). The same
arguments give byte-identical files. Python 3.11 standard library only.

What it models, so that every model has work:

* Products: department (the category), brand, a title and a short
  description drawn from a small vocabulary (so the content model and the
  search index have shared terms), tags, a log-uniform price, stock.
* Popularity: Zipf-like. Each department ranks its products in a seeded
  random order; a view picks a rank with a power law (exponent ZIPF_S).
* Shoppers: one or two favourite departments (a session stays in one
  department, a favourite four times out of five), activity long-tailed
  (Pareto views per shopper, so some shoppers view far more than the
  200-item contribution cap), sessions of a few views with timestamps.
* Pairs: products come in bundles of four neighbouring ranks of a
  department; after a view, the next one is often a bundle mate, which gives
  item-kNN co-occurrences and sequential successors above minimum support.
* Events: every view is a `view` row; a share of them is followed by a
  `cart` row, and a smaller share by a `purchase` row.

Rows are grouped by shopper (each shopper's sessions in time order), not
sorted by time across shoppers. Output is streamed: memory stays at a few
arrays of the catalogue's size, whatever M is.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from array import array

# --- Vocabulary: department -> (nouns, brands, tags, price range) ----------
DEPARTMENTS: list[tuple[str, list[str], list[str], list[str], tuple[float, float]]] = [
    ("audio", ["headphones", "earbuds", "speaker", "soundbar", "turntable", "microphone"],
     ["Sonora", "Hertz", "Lowend"], ["wireless", "bluetooth", "noise cancelling", "portable", "studio"], (15, 400)),
    ("tea", ["green tea", "black tea", "teapot", "tea cups", "infuser", "kettle"],
     ["Leaf House", "Steep", "Camellia"], ["organic", "loose leaf", "ceramic", "gift", "caffeine free"], (4, 90)),
    ("kitchen", ["knife", "cutting board", "frying pan", "saucepan", "spatula", "grater"],
     ["Ferro", "Pantry", "Copperline"], ["stainless steel", "non-stick", "wooden", "dishwasher safe", "professional"], (6, 220)),
    ("home", ["desk lamp", "floor lamp", "blanket", "cushion", "wall clock", "vase"],
     ["Ember", "Linden", "Softroom"], ["lighting", "cosy", "wool", "minimalist", "handmade"], (10, 260)),
    ("outdoor", ["hiking boots", "rain jacket", "water bottle", "backpack", "tent", "headlamp"],
     ["Ridge", "Fjell", "Wayfar"], ["waterproof", "lightweight", "durable", "recycled", "camping"], (8, 350)),
    ("books", ["cookbook", "travel guide", "novel", "atlas", "notebook", "poetry"],
     ["Folio", "Margin", "Longshelf"], ["paperback", "hardcover", "illustrated", "bestseller", "signed"], (5, 60)),
    ("fitness", ["yoga mat", "dumbbells", "resistance bands", "foam roller", "jump rope", "kettlebell"],
     ["Stride", "Kinetic", "Anchor"], ["home workout", "non-slip", "adjustable", "eco", "beginner"], (7, 180)),
    ("stationery", ["fountain pen", "ink", "sketchbook", "pencils", "desk organiser", "planner"],
     ["Nib", "Graphis", "Folded"], ["refillable", "artist", "recycled paper", "office", "gift"], (2, 130)),
    ("garden", ["watering can", "pruning shears", "planter", "seed kit", "hose", "trowel"],
     ["Greenrow", "Loam", "Thicket"], ["outdoor", "weatherproof", "organic", "compact", "perennial"], (3, 160)),
    ("toys", ["puzzle", "building blocks", "plush bear", "board game", "kite", "train set"],
     ["Tumble", "Brightbox", "Kiddo"], ["educational", "wooden", "family", "ages 3+", "travel"], (5, 120)),
    ("pets", ["dog bed", "cat tree", "leash", "chew toy", "food bowl", "scratcher"],
     ["Pawly", "Whisker", "Fetch"], ["washable", "durable", "small breed", "large breed", "natural"], (4, 150)),
    ("bath", ["towel", "bath mat", "soap dish", "shower curtain", "bathrobe", "toothbrush holder"],
     ["Tidewater", "Pumice", "Linnea"], ["cotton", "quick dry", "bamboo", "spa", "absorbent"], (4, 110)),
    ("computing", ["keyboard", "mouse", "monitor stand", "usb hub", "laptop sleeve", "webcam"],
     ["Bitwise", "Keystone", "Pixelry"], ["usb-c", "ergonomic", "mechanical", "wireless", "portable"], (9, 300)),
    ("coffee", ["espresso beans", "grinder", "french press", "milk frother", "coffee mug", "pour over"],
     ["Roastery", "Crema", "Bean & Burr"], ["single origin", "fair trade", "ceramic", "barista", "decaf"], (5, 240)),
    ("beauty", ["face cream", "lip balm", "shampoo", "hair brush", "nail kit", "sunscreen"],
     ["Glow", "Verdant", "Satin"], ["vegan", "fragrance free", "sensitive skin", "travel size", "natural"], (3, 90)),
    ("travel", ["suitcase", "neck pillow", "packing cubes", "passport wallet", "adapter", "toiletry bag"],
     ["Transit", "Voyager", "Carryon"], ["lightweight", "carry-on", "anti-theft", "universal", "compact"], (6, 280)),
]
ADJECTIVES = ["classic", "compact", "premium", "everyday", "deluxe", "essential", "pro", "mini",
              "large", "slim", "vintage", "modern"]
MATERIALS = ["steel", "bamboo", "ceramic", "linen", "oak", "glass", "cotton", "leather", "aluminium", "recycled"]
COLOURS = ["black", "white", "blue", "green", "red", "grey", "sand", "olive", "navy", "amber"]

# --- Behaviour ---------------------------------------------------------------
ZIPF_S = 0.9            # popularity exponent within a department
GLOBAL_SHARE = 0.05     # share of views from any department (global popularity)
FAVOURITE_SHARE = 0.8   # share of sessions in a favourite department
BUNDLE = 4              # bundle size (neighbouring popularity ranks)
COMPANION_SHARE = 0.35  # chance the next view is a bundle mate of the last one
PARETO_ALPHA = 1.2      # views per shopper ~ Pareto(MIN_VIEWS, alpha), capped
MIN_VIEWS = 3
MAX_VIEWS = 4000
CART_SHARE = 0.25       # view -> cart
PURCHASE_SHARE = 0.10   # view -> cart -> purchase
START = 1_767_225_600   # 2026-01-01T00:00:00Z
SPAN_DAYS = 180         # shoppers' first visits spread over this many days


def zipf_sampler(n: int, s: float):
    """Returns rank(u) for u in [0, 1): a continuous inverse of a power-law
    CDF over ranks 1..n, as a 0-based index (0 the most popular)."""
    if n <= 1:
        return lambda u: 0
    if abs(s - 1.0) < 1e-9:
        log_n = math.log(n + 1)
        return lambda u: min(n - 1, int(math.exp(u * log_n)) - 1)
    a = 1.0 - s
    span = (n + 1) ** a - 1.0
    inv = 1.0 / a
    return lambda u: min(n - 1, int((1.0 + u * span) ** inv) - 1)


def item_id(i: int) -> str:
    return f"p{i}"


def write_catalogue(path: str, n_items: int, rng: random.Random) -> list[int]:
    """Writes the catalogue; returns each item's department index."""
    dept_of = array("B", bytes(n_items))
    with open(path, "w", encoding="utf-8", buffering=1 << 20) as f:
        f.write('{"items": [\n')
        chunk: list[str] = []
        for i in range(n_items):
            d = rng.randrange(len(DEPARTMENTS))
            dept_of[i] = d
            name, nouns, brands, tags, (lo, hi) = DEPARTMENTS[d]
            noun = rng.choice(nouns)
            brand = rng.choice(brands)
            adjective = rng.choice(ADJECTIVES)
            material = rng.choice(MATERIALS)
            colour = rng.choice(COLOURS)
            tag_a, tag_b = rng.sample(tags, 2)
            price = math.exp(math.log(lo) + rng.random() * (math.log(hi) - math.log(lo)))
            price = max(1.0, round(price)) - (0.01 if rng.random() < 0.5 else 0.51)
            item = {
                "id": item_id(i),
                "title": f"{brand} {adjective} {material} {noun}, {colour}",
                "description": f"{tag_a.capitalize()} {noun} in {colour} {material}; {tag_b}.",
                "category": name,
                "brand": brand,
                "tags": [tag_a, tag_b],
                "price": round(price, 2),
                "inStock": rng.random() > 0.1,
            }
            chunk.append(json.dumps(item, separators=(",", ":"), ensure_ascii=False))
            if len(chunk) >= 10_000:
                f.write(",\n".join(chunk))
                chunk.clear()
                if i + 1 < n_items:
                    f.write(",\n")
        if chunk:
            f.write(",\n".join(chunk))
        f.write("\n]}\n")
    return dept_of


def write_interactions(path: str, n_rows: int, dept_of: array, rng: random.Random) -> dict:
    n_items = len(dept_of)
    n_depts = len(DEPARTMENTS)
    # Per department: its items in popularity order, and each item's rank.
    by_dept: list[array] = [array("i") for _ in range(n_depts)]
    for i in range(n_items):
        by_dept[dept_of[i]].append(i)
    rank_of = array("i", bytes(4 * n_items))
    for lst in by_dept:
        items = list(lst)
        rng.shuffle(items)
        lst[:] = array("i", items)
        for r, i in enumerate(lst):
            rank_of[i] = r
    samplers = [zipf_sampler(len(lst), ZIPF_S) for lst in by_dept]
    live = [d for d in range(n_depts) if len(by_dept[d])]
    # Global popularity: a seeded order over all products.
    global_order = list(range(n_items))
    rng.shuffle(global_order)
    global_order = array("i", global_order)
    global_sampler = zipf_sampler(n_items, ZIPF_S)

    rand = rng.random
    rows = 0
    shoppers = 0
    heavy = 0
    events = {"view": 0, "cart": 0, "purchase": 0}
    span = SPAN_DAYS * 86_400
    inv_alpha = 1.0 / PARETO_ALPHA
    with open(path, "w", encoding="utf-8", buffering=1 << 22) as f:
        f.write("user,item,event,timestamp\n")
        out: list[str] = []
        while rows < n_rows:
            user = f"u{shoppers}"
            shoppers += 1
            views = min(MAX_VIEWS, int(MIN_VIEWS / (1.0 - rand()) ** inv_alpha))
            if views > 200:
                heavy += 1
            favourites = [live[int(rand() * len(live))], live[int(rand() * len(live))]]
            clock = START + int(rand() * span)
            previous = -1
            session_left = 0
            dept = favourites[0]
            for _ in range(views):
                if session_left == 0:
                    # A new session: hours to weeks later, in one department.
                    if previous >= 0:
                        clock += int(-math.log(1.0 - rand()) * 3 * 86_400) + 3_600
                    session_left = 2 + int(rand() * 10)
                    dept = favourites[int(rand() * 2)] if rand() < FAVOURITE_SHARE else live[int(rand() * len(live))]
                    previous = -1
                session_left -= 1
                clock += 90 + int(rand() * 300)
                if previous >= 0 and rand() < COMPANION_SHARE:
                    lst = by_dept[dept_of[previous]]
                    rank = rank_of[previous]
                    base = rank - rank % BUNDLE
                    mate = base + (rank % BUNDLE + 1 + int(rand() * (BUNDLE - 1))) % BUNDLE
                    item = lst[mate] if mate < len(lst) else lst[base]
                elif rand() < GLOBAL_SHARE:
                    item = global_order[global_sampler(rand())]
                else:
                    lst = by_dept[dept]
                    item = lst[samplers[dept](rand())]
                previous = item
                iid = item_id(item)
                out.append(f"{user},{iid},view,{clock}\n")
                rows += 1
                events["view"] += 1
                roll = rand()
                if roll < CART_SHARE and rows < n_rows:
                    out.append(f"{user},{iid},cart,{clock + 20}\n")
                    rows += 1
                    events["cart"] += 1
                    if roll < PURCHASE_SHARE and rows < n_rows:
                        out.append(f"{user},{iid},purchase,{clock + 60}\n")
                        rows += 1
                        events["purchase"] += 1
                if rows >= n_rows:
                    break
            if len(out) >= 50_000:
                f.write("".join(out))
                out.clear()
        f.write("".join(out))
    return {"rows": rows, "shoppers": shoppers, "shoppersOver200Views": heavy, "events": events}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--items", type=int, required=True)
    p.add_argument("--rows", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    if a.items < 1 or a.rows < 0:
        p.error("--items must be >= 1 and --rows >= 0")
    os.makedirs(a.out, exist_ok=True)
    marker = os.path.join(a.out, "gen.json")
    if os.path.exists(marker):
        os.remove(marker)
    rng = random.Random(a.seed)
    t0 = time.perf_counter()
    cat_tmp = os.path.join(a.out, "catalog.json.tmp")
    dept_of = write_catalogue(cat_tmp, a.items, rng)
    t1 = time.perf_counter()
    log_tmp = os.path.join(a.out, "interactions.csv.tmp")
    stats = write_interactions(log_tmp, a.rows, dept_of, rng)
    t2 = time.perf_counter()
    os.replace(cat_tmp, os.path.join(a.out, "catalog.json"))
    os.replace(log_tmp, os.path.join(a.out, "interactions.csv"))
    info = {
        "items": a.items,
        "seed": a.seed,
        **stats,
        "catalogBytes": os.path.getsize(os.path.join(a.out, "catalog.json")),
        "interactionsBytes": os.path.getsize(os.path.join(a.out, "interactions.csv")),
        "seconds": {"catalog": round(t1 - t0, 2), "interactions": round(t2 - t1, 2), "total": round(t2 - t0, 2)},
    }
    with open(marker, "w", encoding="utf-8") as f:
        json.dump(info, f, indent=2)
        f.write("\n")
    print(json.dumps(info), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
