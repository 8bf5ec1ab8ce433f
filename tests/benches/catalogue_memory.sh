#!/bin/sh
# Peak memory of reading a catalogue: generates a catalogue of about
# $MB megabytes (default 50) of shop-like items, then reports the maximum
# resident set size of `pocketrec search` on it.
#
#   cargo build --release && sh tests/benches/catalogue_memory.sh [MB]
set -eu
MB=${1:-50}
BIN=${BIN:-${CARGO_TARGET_DIR:-target}/release/pocketrec}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
python3 - "$MB" "$DIR/catalogue.json" <<'PY'
import json, random, sys
mb, path = int(sys.argv[1]), sys.argv[2]
random.seed(7)
words = ["red", "blue", "mug", "pot", "steel", "ceramic", "garden", "lamp",
         "wooden", "small", "large", "kettle", "cup", "plate", "knife", "bowl"]
cats = ["kitchen", "garden", "living", "office", "outdoor", "bath"]
with open(path, "w") as f:
    f.write("[")
    size, i = 1, 0
    while size < mb * 1_000_000:
        item = {
            "id": f"sku-{i}",
            "title": " ".join(random.choices(words, k=4)),
            "description": " ".join(random.choices(words, k=30)),
            "category": random.choice(cats),
            "tags": random.sample(words, 3),
            "brand": f"brand-{random.randrange(200)}",
            "price": round(random.uniform(1, 500), 2),
            "currency": "EUR",
            "inStock": random.random() < 0.9,
            "image": f"https://shop.example/img/{i}.jpg",
            "url": f"https://shop.example/p/{i}",
        }
        text = ("," if i else "") + json.dumps(item)
        f.write(text)
        size += len(text)
        i += 1
    f.write("]")
print(f"{i} items, {size / 1e6:.1f} MB", file=sys.stderr)
PY
/usr/bin/time -v "$BIN" search --catalog "$DIR/catalogue.json" --k 1 --query mug 2>"$DIR/time" >/dev/null || { cat "$DIR/time"; exit 1; }
grep -E "Maximum resident|Elapsed" "$DIR/time"
