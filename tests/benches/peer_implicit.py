#!/usr/bin/env python3
"""Side-by-side benchmark: pocketrec versus strong reference recommenders.

What it does
------------
For each dataset (MovieLens ml-latest-small and UCI Online Retail) and each split
(random, temporal):

1. prepares an interactions file (``user,item,weight,timestamp``) in a scratch directory
   under ``target/peer-bench/`` (for Online Retail also a ``catalogue.json``);
2. splits it with ``pocketrec split`` so that both sides see byte-identical train/test files
   (``--python-split`` swaps in a small Python splitter with the same definition; it exists
   only to test this script while the CLI is not ready);
3. fits the references on user x item matrices built from train.csv -- "binary" (1 per
   pair), "weighted" (summed weight) and "log1p" (log(1 + summed weight), pocketrec's
   default interaction transform) -- single-threaded, and recommends 10 items per test
   user, never an item the user has in train.csv:
     knn      implicit's Cosine/TFIDF/BM25Recommender, K = 20 and 100, binary and weighted;
     als      implicit's AlternatingLeastSquares (confidence 1 + alpha * w), factors
              {32, 64, 128} x regularization {0.01, 0.1, 1} x alpha {1, 10, 40}, 15
              iterations, binary and log1p; a winner on the grid's edge is tried further
              out (regularization x/÷ 10, alpha x/÷ 4, up to three steps), then the best
              config per factor count is refitted with 30 iterations;
     bpr      implicit's BayesianPersonalizedRanking, factors {64, 128} x learning rate
              {0.01, 0.05} x regularization {0.001, 0.01}, 100 iterations (binary);
     ease     EASE (Steck 2019) in NumPy: P = inv(X'X + lambda I), B = -P / diag(P),
              diag(B) = 0, scores = X B, lambda in {50, 100, 200, 500, 1000, 2000, 5000}, binary,
              weighted and log1p (computed through the user x user dual when there are
              fewer users than items -- the same B by the Woodbury identity; the winning
              config is refitted with the textbook item x item inverse for its fit time);
     rp3beta  RP3beta (Paudel et al. 2016) on the binary matrix: W = P_iu^a P_ui^a, column j
              divided by pop_j^b, diagonal zeroed, top K per row, scores = X W, with
              a in {0.25, 0.5, 0.75, 1}, b in {0, 0.2, 0.4, 0.6, 0.8}, K in {25, 50, 100, 200}.
   ALS, BPR, EASE and RP3beta are "best of grid chosen on the test set": an optimistic
   bar, which pocketrec (tuned on train.csv alone) has to meet without seeing the test
   file.  The table shows every kNN config and the best config per group of the others
   (ALS and BPR: per factor count, EASE: per matrix); every grid point, the winners and
   EASE's NDCG per lambda are in the --json output;
4. runs ``pocketrec recommend`` with the models popular, content, item-knn, user-knn,
   sequential, hybrid, ease and als, twice: with the default config ("pocketrec default
   <model>") and with a config chosen by ``pocketrec tune`` on train.csv alone ("pocketrec
   <model>"; the tuner holds out part of the training file, never the test file); the
   checks use the tuned rows, except EASE parity (the default row).  A model the CLI does not know ("unknown model") is shown as
   n/a and its checks are n/a, not FAIL.  ``pocketrec eval --json --models als|ease``
   (default config, same split definition) gives pocketrec's fit seconds;
5. scores every list with one metric function (precision, recall, NDCG, MAP at 10, hit rate,
   catalogue coverage) and prints one markdown table per dataset x split, then a summary
   with PASS/FAIL against the targets:
       item-knn NDCG@10 >= best implicit nearest-neighbour NDCG@10
       hybrid   NDCG@10 >= 1.05 x best reference NDCG@10 (kNN, ALS, BPR, EASE, RP3beta)
       hybrid   NDCG@10 >= best of its components (popular, content, item-knn, user-knn, sequential)
       als      NDCG@10 >= implicit's best ALS NDCG@10 with 64 factors
       ease     NDCG@10 (default-config row: the tuner may change lambda) within 1% of
                NumPy EASE at pocketrec's default lambda (--ease-lambda, default 500) on the
                same matrix (--ease-variant, default log1p)
       ALS fit seconds with 64 factors: pocketrec (eval --json) <= implicit (.fit() alone)

Users absent from train.csv get an empty list from the references (no popularity
fallback); with the split definition used here every test user has training items, so
this does not arise, but the summary notes how many such users there were if it ever does.

How to run
----------
    bash tests/benches/peer_implicit.sh [--datasets movielens,retail] [--splits random,temporal]
                                        [--references knn,als,bpr,ease,rp3beta] [--quick]
                                        [--pocketrec PATH] [--config cfg.json] [--json OUT]
                                        [--ease-lambda 500] [--ease-variant log1p]

The script creates a virtualenv at target/peer-venv (if absent), installs implicit, numpy
and scipy into it from PyPI (pip install, https://pypi.org/simple only) and re-runs itself
there.  When the data or the packages cannot be had it prints "skipped: ..." and exits 0.
Without ``--pocketrec`` it builds the CLI with ``cargo build --release`` and uses
target/release/pocketrec.  The full reference grid takes about 15 minutes on one core
for both datasets and splits (pocketrec's tune and runs add about 6); ``--quick`` runs a
tiny grid (for testing the script).

Testing options: ``--quick``, ``--references``, ``--python-split`` (fallback splitter) and
``--implicit-only`` (references only, no pocketrec at all; implies ``--python-split``).
``--strict`` makes a FAIL exit with status 1.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import math
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

# Single-threaded numerics for a fair comparison; must be set before numpy is imported
# (numpy/scipy/implicit are imported lazily, inside the functions that need them).
THREAD_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "RAYON_NUM_THREADS": "1",
}
for _k, _v in THREAD_ENV.items():
    os.environ.setdefault(_k, _v)

REPO = Path(__file__).resolve().parents[2]
VENV = REPO / "target" / "peer-venv"
WORK = REPO / "target" / "peer-bench"
DATA_ROOT = Path("/work/shared/data")
VENV_PACKAGES = ["implicit", "numpy", "scipy"]

TOP_N = 10
TEST_FRACTION = 0.2
SEED = 42
REFERENCES = ("knn", "als", "bpr", "ease", "rp3beta")
REFERENCE_NAMES = {"knn": "implicit kNN", "als": "implicit ALS", "bpr": "implicit BPR",
                   "ease": "NumPy EASE", "rp3beta": "RP3beta"}
# The reference grids.  "full" is the benchmark; "quick" only tests the script.
GRIDS = {
    "full": {
        "knn_models": ("cosine", "tfidf", "bm25"), "knn_ks": (20, 100), "knn_variants": ("binary", "weighted"),
        "als_factors": (32, 64, 128), "als_regularization": (0.01, 0.1, 1.0), "als_alpha": (1.0, 10.0, 40.0),
        "als_iterations": 15, "als_refit_iterations": 30, "als_variants": ("binary", "log1p"), "als_extend": True,
        "bpr_factors": (64, 128), "bpr_learning_rate": (0.01, 0.05), "bpr_regularization": (0.001, 0.01),
        "bpr_iterations": 100,
        "ease_lambdas": (50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0, 5000.0),
        "ease_variants": ("binary", "weighted", "log1p"),
        "rp3_alpha": (0.25, 0.5, 0.75, 1.0), "rp3_beta": (0.0, 0.2, 0.4, 0.6, 0.8), "rp3_k": (25, 50, 100, 200),
    },
    "quick": {
        "knn_models": ("cosine", "bm25"), "knn_ks": (100,), "knn_variants": ("binary",),
        "als_factors": (32, 64), "als_regularization": (0.1,), "als_alpha": (10.0,),
        "als_iterations": 15, "als_refit_iterations": None, "als_variants": ("binary",), "als_extend": False,
        "bpr_factors": (64,), "bpr_learning_rate": (0.05,), "bpr_regularization": (0.01,),
        "bpr_iterations": 100,
        "ease_lambdas": (100.0, 500.0), "ease_variants": ("binary", "log1p"),
        "rp3_alpha": (1.0,), "rp3_beta": (0.4,), "rp3_k": (100,),
    },
}
ALS_CHECK_FACTORS = 64  # "pocketrec als >= implicit's best ALS at the same factor count"
EASE_LAMBDA_DEFAULT = 500.0  # pocketrec's default EASE lambda
EASE_TOLERANCE = 0.01  # "pocketrec ease within 1% of NumPy EASE at the same lambda"
POCKETREC_MODELS = ("popular", "content", "item-knn", "user-knn", "sequential", "hybrid", "ease", "als")
POCKETREC_FIT_MODELS = ("als", "ease")  # fit seconds from `pocketrec eval --json`
HYBRID_COMPONENTS = ("popular", "content", "item-knn", "user-knn", "sequential")
HYBRID_TARGET = 1.05
POCKETREC_TIMEOUT_S = 900  # per CLI call
PYPI_INDEX = "https://pypi.org/simple"



def log(msg: str) -> None:
    """Progress messages go to stderr so stdout holds only the report."""
    print(msg, file=sys.stderr, flush=True)


def skip(reason: str) -> None:
    print(f"skipped: {reason}", flush=True)
    sys.exit(0)


# --------------------------------------------------------------------------------------
# Environment: virtualenv with implicit
# --------------------------------------------------------------------------------------

def in_venv() -> bool:
    return Path(sys.prefix).resolve() == VENV.resolve()


def _last_error_line(text: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    errors = [ln for ln in lines if ln.startswith("ERROR")]
    return (errors or lines or ["unknown error"])[-1]


def ensure_venv_and_reexec() -> None:
    """Create target/peer-venv with implicit in it (if needed) and re-run this script there."""
    py = VENV / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "pass"], capture_output=True).returncode != 0:
        log(f"{VENV} is broken (python moved?); recreating it")
        shutil.rmtree(VENV, ignore_errors=True)
    if not py.exists():
        log(f"creating virtualenv {VENV}")
        res = subprocess.run([sys.executable, "-m", "venv", str(VENV)], capture_output=True, text=True)
        if res.returncode != 0:
            shutil.rmtree(VENV, ignore_errors=True)
            skip(f"could not install implicit: venv creation failed: {_last_error_line(res.stderr + res.stdout)}")
    probe = subprocess.run([str(py), "-c", "import implicit, numpy, scipy"], capture_output=True, text=True)
    if probe.returncode != 0:
        log(f"installing {' '.join(VENV_PACKAGES)} into {VENV} ...")
        t0 = time.perf_counter()
        # PyPI only: no local wheel folders or extra indexes from the environment or pip.conf
        pip_env = {k: v for k, v in os.environ.items()
                   if k not in ("PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_FIND_LINKS", "PIP_NO_INDEX")}
        pip_env.update(PIP_FIND_LINKS="", PIP_EXTRA_INDEX_URL="")
        res = subprocess.run(
            [str(py), "-m", "pip", "install", "--disable-pip-version-check", "--index-url", PYPI_INDEX,
             *VENV_PACKAGES],
            capture_output=True, text=True, env=pip_env,
        )
        if res.returncode != 0:
            skip(f"could not install implicit: {_last_error_line(res.stderr + res.stdout)}")
        log(f"installed in {time.perf_counter() - t0:.1f} s")
        probe = subprocess.run([str(py), "-c", "import implicit, numpy, scipy"], capture_output=True, text=True)
        if probe.returncode != 0:
            skip(f"could not install implicit: import failed: {_last_error_line(probe.stderr)}")
    env = dict(os.environ, **THREAD_ENV)
    os.execve(str(py), [str(py), str(Path(__file__).resolve()), *sys.argv[1:]], env)


# --------------------------------------------------------------------------------------
# Data preparation
# --------------------------------------------------------------------------------------

INTERACTION_HEADER = ["user", "item", "weight", "timestamp"]

# Online Retail codes that are not products (postage, fees, manual adjustments, ...).  Real
# products are five digits with an optional letter suffix (85123A); every code below fails
# that pattern too, the list is kept for documentation.
RETAIL_NON_PRODUCT = {"POST", "DOT", "M", "C2", "D", "S", "BANK CHARGES", "AMAZONFEE", "CRUK", "PADS", "B"}
RETAIL_PRODUCT_CODE = re.compile(r"\d{5}[A-Z]*")


def retail_is_product(code: str) -> bool:
    if code in RETAIL_NON_PRODUCT or code.startswith(("GIFT_0001_", "DCGS")):
        return False
    return RETAIL_PRODUCT_CODE.fullmatch(code) is not None


def prepare_movielens(src: Path, out: Path) -> dict:
    """ratings.csv -> interactions.csv (weight = rating).  The catalogue is the source folder."""
    out.mkdir(parents=True, exist_ok=True)
    inter = out / "interactions.csv"
    with open(src / "ratings.csv", newline="", encoding="utf-8") as fin, \
            open(inter, "w", newline="", encoding="utf-8") as fout:
        w = csv.writer(fout, lineterminator="\n")
        w.writerow(INTERACTION_HEADER)
        n = 0
        for row in csv.DictReader(fin):
            w.writerow([row["userId"], row["movieId"], row["rating"], row["timestamp"]])
            n += 1
    with open(src / "movies.csv", newline="", encoding="utf-8") as f:
        n_items = sum(1 for _ in csv.DictReader(f))
    return {"interactions": inter, "catalog": src, "catalogue_size": n_items, "rows": n}


def prepare_retail(src: Path, out: Path) -> dict:
    """online_retail.csv -> interactions.csv + catalogue.json (see module docstring)."""
    out.mkdir(parents=True, exist_ok=True)
    inter = out / "interactions.csv"
    descriptions: dict[str, Counter] = defaultdict(Counter)
    prices: dict[str, list[float]] = defaultdict(list)
    dropped = Counter()
    n = 0
    with open(src / "online_retail.csv", newline="", encoding="utf-8") as fin, \
            open(inter, "w", newline="", encoding="utf-8") as fout:
        w = csv.writer(fout, lineterminator="\n")
        w.writerow(INTERACTION_HEADER)
        for row in csv.DictReader(fin):
            if row["InvoiceNo"].startswith("C"):
                dropped["cancellation"] += 1
                continue
            qty = int(row["Quantity"])
            if qty <= 0:
                dropped["quantity<=0"] += 1
                continue
            if not row["CustomerID"].strip():
                dropped["no customer"] += 1
                continue
            # A handful of codes occur in lower and upper case ("85123a" / "85123A") for the
            # same product; upper-case them so they are one item.
            code = row["StockCode"].strip().upper()
            if not retail_is_product(code):
                dropped["non-product code"] += 1
                continue
            ts = calendar.timegm(datetime.strptime(row["InvoiceDate"], "%Y-%m-%d %H:%M:%S").timetuple())
            w.writerow([row["CustomerID"].strip(), code, qty, ts])
            n += 1
            desc = row["Description"].strip()
            if desc:
                descriptions[code][desc] += 1
            prices[code].append(float(row["UnitPrice"]))
    items = []
    for code in sorted(prices):
        counts = descriptions.get(code)
        # most common description; ties broken alphabetically so the file is deterministic
        title = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0] if counts else ""
        items.append({"id": code, "title": title, "price": round(statistics.median(prices[code]), 4)})
    cat = out / "catalogue.json"
    with open(cat, "w", encoding="utf-8") as f:
        json.dump({"items": items}, f, ensure_ascii=False)
    log(f"retail: kept {n} lines, {len(items)} items; dropped {dict(dropped)}")
    return {"interactions": inter, "catalog": cat, "catalogue_size": len(items), "rows": n}


# dataset name -> (folder under the data root, files it needs, preparation function)
DATASETS = {
    "movielens": ("movielens-latest-small", ["ratings.csv", "movies.csv"], prepare_movielens),
    "retail": ("online-retail", ["online_retail.csv"], prepare_retail),
}


# --------------------------------------------------------------------------------------
# Splitting
# --------------------------------------------------------------------------------------

def read_interactions(path: Path) -> list[tuple[str, str, float, int]]:
    with open(path, newline="", encoding="utf-8") as f:
        # weight and timestamp may be empty; an empty weight counts 1, an empty timestamp 0
        return [(r["user"], r["item"], float(r.get("weight") or 1.0), int(float(r.get("timestamp") or 0)))
                for r in csv.DictReader(f)]


def python_split(all_csv: Path, mode: str, test_fraction: float, seed: int, out_dir: Path) -> None:
    """Fallback splitter, for testing this script only (the benchmark uses `pocketrec split`).

    Per user, over the user's distinct items: when n >= 2, round(test_fraction * n) items (at
    least 1) go to test -- a seeded shuffle for "random", the latest by first timestamp for
    "temporal"; users with one item stay in train.  All rows of a test (user, item) go to
    test.csv, the others to train.csv; users.txt lists the users with test items.
    """
    rows = read_interactions(all_csv)
    first_ts: dict[str, dict[str, int]] = defaultdict(dict)
    for u, i, _w, ts in rows:
        seen = first_ts[u]
        if i not in seen or ts < seen[i]:
            seen[i] = ts
    rng = random.Random(seed)
    test_pairs: set[tuple[str, str]] = set()
    test_users = []
    for u in sorted(first_ts):
        items = first_ts[u]
        n = len(items)
        if n < 2:
            continue
        n_test = max(1, math.floor(test_fraction * n + 0.5))  # round half away from zero
        if mode == "random":
            order = sorted(items)
            rng.shuffle(order)
            chosen = order[:n_test]
        elif mode == "temporal":
            order = sorted(items, key=lambda it: (items[it], it))
            chosen = order[-n_test:]
        else:
            raise ValueError(f"unknown split {mode}")
        test_pairs.update((u, it) for it in chosen)
        test_users.append(u)
    out_dir.mkdir(parents=True, exist_ok=True)
    with open(out_dir / "train.csv", "w", newline="", encoding="utf-8") as ftr, \
            open(out_dir / "test.csv", "w", newline="", encoding="utf-8") as fte:
        wtr, wte = csv.writer(ftr, lineterminator="\n"), csv.writer(fte, lineterminator="\n")
        wtr.writerow(INTERACTION_HEADER)
        wte.writerow(INTERACTION_HEADER)
        for u, i, w, ts in rows:
            (wte if (u, i) in test_pairs else wtr).writerow([u, i, f"{w:g}", ts])
    (out_dir / "users.txt").write_text("".join(f"{u}\n" for u in test_users), encoding="utf-8")


def pocketrec_split(binary: Path, all_csv: Path, catalog: Path, mode: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("train.csv", "test.csv", "users.txt"):  # never score a stale split
        (out_dir / name).unlink(missing_ok=True)
    cmd = [str(binary), "split", "--interactions", str(all_csv), "--split", mode,
           "--test-fraction", str(TEST_FRACTION), "--seed", str(SEED), "--out-dir", str(out_dir)]
    # The split resolves item ids against the catalogue when the CLI asks for one.
    help_text = subprocess.run([str(binary), "split", "--help"], capture_output=True, text=True).stdout
    if "--catalog" in help_text:
        cmd += ["--catalog", str(catalog)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"pocketrec split timed out after {POCKETREC_TIMEOUT_S} s") from e
    if res.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed ({res.returncode}): {res.stderr.strip()[-2000:]}")
    for name in ("train.csv", "test.csv", "users.txt"):
        if not (out_dir / name).exists():
            raise RuntimeError(f"pocketrec split did not write {out_dir / name}")


# --------------------------------------------------------------------------------------
# Metrics: one implementation for every recommender
# --------------------------------------------------------------------------------------

def read_test(path: Path) -> dict[str, set[str]]:
    truth: dict[str, set[str]] = defaultdict(set)
    for u, i, _w, _ts in read_interactions(path):
        truth[u].add(i)
    return truth


def read_users(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def evaluate(recs: dict[str, list[str]], truth: dict[str, set[str]], users: list[str],
             catalogue_size: int, k: int = TOP_N) -> dict:
    """Top-k metrics with binary relevance, averaged over the users of users.txt.

    precision = hits / k; recall = hits / |test items|; NDCG with gains 1/log2(rank + 1)
    (rank from 1) and the ideal DCG over min(k, |test|) hits; MAP = sum_i P@i * rel_i /
    min(k, |test|); hit rate = share of users with at least one hit; coverage = distinct
    recommended items / catalogue size.  A missing or short list simply scores lower.
    Users without test items (should not happen) are left out of the averages and counted.
    """
    sums = Counter()
    evaluated = empty = no_truth = duplicates = 0
    recommended: set[str] = set()
    for u in users:
        positives = truth.get(u)
        if not positives:
            no_truth += 1
            continue
        evaluated += 1
        raw = recs.get(u) or []
        # a repeated item counts once (first position)
        ranked, seen = [], set()
        for it in raw:
            if it in seen:
                duplicates += 1
                continue
            seen.add(it)
            ranked.append(it)
        ranked = ranked[:k]
        if not ranked:
            empty += 1
        recommended.update(ranked)
        hits = 0
        dcg = ap = 0.0
        for pos, it in enumerate(ranked):
            if it in positives:
                hits += 1
                dcg += 1.0 / math.log2(pos + 2)
                ap += hits / (pos + 1)
        ideal = min(k, len(positives))
        idcg = sum(1.0 / math.log2(p + 2) for p in range(ideal))
        sums["precision"] += hits / k
        sums["recall"] += hits / len(positives)
        sums["ndcg"] += dcg / idcg
        sums["map"] += ap / ideal
        sums["hit_rate"] += 1.0 if hits else 0.0
    out = {m: (sums[m] / evaluated if evaluated else 0.0)
           for m in ("precision", "recall", "ndcg", "map", "hit_rate")}
    out["coverage"] = len(recommended) / catalogue_size if catalogue_size else 0.0
    out.update(users=evaluated, empty_lists=empty, users_without_test=no_truth, duplicate_recs=duplicates)
    return out




# --------------------------------------------------------------------------------------
# Reference side: shared helpers
# --------------------------------------------------------------------------------------

def implicit_version() -> tuple[str, tuple[int, ...]]:
    import implicit
    ver = getattr(implicit, "__version__", "0")
    nums = tuple(int(x) for x in re.findall(r"\d+", ver)[:3])
    return ver, nums


def build_matrices(train_csv: Path):
    """User x item CSR matrices (binary, summed weights, log1p of summed weights) plus the id maps."""
    import numpy as np
    from scipy.sparse import csr_matrix

    rows = read_interactions(train_csv)
    users = {u: n for n, u in enumerate(sorted({r[0] for r in rows}))}
    items = {i: n for n, i in enumerate(sorted({r[1] for r in rows}))}
    r = np.fromiter((users[x[0]] for x in rows), dtype=np.int32, count=len(rows))
    c = np.fromiter((items[x[1]] for x in rows), dtype=np.int32, count=len(rows))
    w = np.fromiter((x[2] for x in rows), dtype=np.float64, count=len(rows))
    weighted = csr_matrix((w, (r, c)), shape=(len(users), len(items)))  # duplicates are summed
    weighted.sum_duplicates()
    weighted.eliminate_zeros()  # weight 0 (or summing to 0) is no interaction
    binary = weighted.copy()
    binary.data[:] = 1.0
    log1p = weighted.copy()
    log1p.data = np.log1p(np.maximum(log1p.data, 0.0))  # pocketrec's default transform
    log1p.eliminate_zeros()
    return {"binary": binary.astype(np.float32), "weighted": weighted.astype(np.float32),
            "log1p": log1p.astype(np.float32)}, users, items


class Context:
    """What every reference needs: train matrices, id maps, test users, and the scorer."""

    def __init__(self, matrices, user_index, item_index, users, truth, catalogue_size, version):
        import numpy as np

        self.matrices = matrices
        self.user_index = user_index
        self.item_ids = [None] * len(item_index)
        for it, n in item_index.items():
            self.item_ids[n] = it
        self.users = users
        self.truth = truth
        self.catalogue_size = catalogue_size
        self.version = version
        self.known = [u for u in users if u in user_index]
        self.cold = len(users) - len(self.known)
        self.rows = np.array([user_index[u] for u in self.known], dtype=np.int32)

    def recs_from_ids(self, ids) -> dict[str, list[str]]:
        recs: dict[str, list[str]] = {u: [] for u in self.users}  # users absent from train: empty
        for u, row_ids in zip(self.known, ids):
            recs[u] = [self.item_ids[i] for i in row_ids if i >= 0]  # -1 pads short lists
        return recs

    def score(self, recs) -> dict:
        return evaluate(recs, self.truth, self.users, self.catalogue_size)


def top_n_unseen(scores, seen, n: int = TOP_N):
    """The filter of every score-matrix reference (EASE, RP3beta): the n best items per row of
    ``scores`` (test users x items, modified in place) that are not in the user's row of the
    train matrix ``seen`` (CSR, same rows); ties go to the lower item index; -1 pads."""
    import numpy as np

    scores = np.asarray(scores, dtype=np.float64)
    r = np.repeat(np.arange(seen.shape[0]), np.diff(seen.indptr))
    scores[r, seen.indices] = -np.inf
    n_items = scores.shape[1]
    m = min(n, n_items)
    part = np.argpartition(-scores, m - 1, axis=1)[:, :m] if m < n_items else \
        np.tile(np.arange(n_items), (scores.shape[0], 1))
    vals = np.take_along_axis(scores, part, axis=1)
    order = np.lexsort((part, -vals), axis=1)
    ids = np.take_along_axis(part, order, axis=1)
    vals = np.take_along_axis(vals, order, axis=1)
    ids = np.where(np.isfinite(vals), ids, -1)
    if m < n:
        ids = np.hstack([ids, np.full((ids.shape[0], n - m), -1, dtype=ids.dtype)])
    return ids


def grid_row(ref: str, group: str, label: str, params: dict, metrics: dict, fit_s, total_s, **extra) -> dict:
    return {"reference": ref, "group": group, "config": f"{REFERENCE_NAMES[ref]} {label}",
            "params": params, "metrics": metrics, "fit_s": fit_s, "total_s": total_s, **extra}


def best_of(rows: list[dict]) -> dict | None:
    ok = [r for r in rows if not r.get("error")]
    # highest NDCG; ties to the earlier (simpler) grid point
    return max(reversed(ok), key=lambda r: r["metrics"]["ndcg"]) if ok else None


PARAM_LABELS = {"matrix": "", "alpha": "α", "beta": "β", "lambda": "λ", "iterations": "it", "factors": "d"}


def fmt_params(p: dict) -> str:
    """{"matrix": "binary", "reg": 0.1, "alpha": 10.0} -> "binary reg=0.1 α=10"."""
    out = []
    for k, v in p.items():
        name = PARAM_LABELS.get(k, k)
        val = f"{v:g}" if isinstance(v, float) else str(v)
        out.append(f"{name}={val}" if name else val)
    return " ".join(out)


# --------------------------------------------------------------------------------------
# implicit: nearest neighbours, ALS, BPR
# --------------------------------------------------------------------------------------

def _with_threads(cls, kwargs: dict) -> dict:
    import inspect
    if "num_threads" in inspect.signature(cls.__init__).parameters:
        kwargs["num_threads"] = 1
    return kwargs


def make_implicit_model(name: str, k: int):
    from implicit import nearest_neighbours as nn

    cls = {"cosine": nn.CosineRecommender, "tfidf": nn.TFIDFRecommender, "bm25": nn.BM25Recommender}[name]
    return cls(**_with_threads(cls, {"K": k}))


def make_mf_model(kind: str, p: dict):
    """implicit's ALS or BPR on the CPU, one thread, seeded; returns (model, matrix scale)."""
    import inspect

    if kind == "als":
        from implicit.als import AlternatingLeastSquares as cls
        kwargs = {"factors": p["factors"], "regularization": p["reg"], "alpha": p["alpha"],
                  "iterations": p["iterations"], "use_gpu": False, "calculate_training_loss": False,
                  "random_state": SEED}
    else:
        from implicit.bpr import BayesianPersonalizedRanking as cls
        kwargs = {"factors": p["factors"], "learning_rate": p["lr"], "regularization": p["reg"],
                  "iterations": p["iterations"], "use_gpu": False, "random_state": SEED}
    params = inspect.signature(cls).parameters
    scale = 1.0
    if kind == "als" and "alpha" not in params:  # implicit < 0.5: confidence = 1 + (alpha * w)
        scale = p["alpha"]
    kwargs = {k: v for k, v in kwargs.items() if k in params}
    if "num_threads" in params:
        kwargs["num_threads"] = 1
    return cls(**kwargs), scale


def fit_and_recommend(ctx: Context, model, matrix) -> tuple[dict[str, list[str]], float, float]:
    """Fit one implicit model and recommend TOP_N unseen items per test user; recs, fit s, total s."""
    import warnings

    import numpy as np

    # implicit's own weighting helpers hand a COO matrix to its kNN code, which then warns
    # about converting it to CSR; that conversion is part of implicit's fit, not ours.
    warnings.filterwarnings("ignore", message="Method expects CSR input")
    new_api = ctx.version >= (0, 5)
    t0 = time.perf_counter()
    if new_api:
        model.fit(matrix, show_progress=False)  # users x items
    else:
        model.fit(matrix.T.tocsr(), show_progress=False)  # implicit < 0.5 wants items x users
    fit_s = time.perf_counter() - t0
    rows = ctx.rows
    ids = np.full((len(rows), TOP_N), -1, dtype=np.int64)
    if len(rows):
        if new_api:
            ids, _scores = model.recommend(rows, matrix[rows], N=TOP_N, filter_already_liked_items=True)
        else:
            for n, row in enumerate(rows):
                got = [i for i, _s in model.recommend(int(row), matrix, N=TOP_N, filter_already_liked_items=True)]
                ids[n, : len(got)] = got
    recs = ctx.recs_from_ids(ids)
    return recs, fit_s, time.perf_counter() - t0


def run_knn(ctx: Context, grid: dict, tag: str) -> list[dict]:
    out = []
    for model_name in grid["knn_models"]:
        for k in grid["knn_ks"]:
            for variant in grid["knn_variants"]:
                label = f"{model_name} K={k} {variant}"
                log(f"{tag}: implicit {label}")
                recs, fit_s, total_s = fit_and_recommend(ctx, make_implicit_model(model_name, k),
                                                         ctx.matrices[variant])
                row = grid_row("knn", label, label, {"model": model_name, "K": k, "matrix": variant},
                               ctx.score(recs), fit_s, total_s, cold_users=ctx.cold)
                row["config"] = f"implicit {label}"  # the row names of earlier reports
                out.append(row)
    return out


def _run_mf(ctx: Context, kind: str, p: dict, tag: str) -> dict:
    model, scale = make_mf_model(kind, p)
    matrix = ctx.matrices[p["matrix"]]
    if scale != 1.0:
        matrix = matrix * scale
    group = f"d={p['factors']}"
    label = f"{group} {fmt_params({k: v for k, v in p.items() if k != 'factors'})}"
    log(f"{tag}: {REFERENCE_NAMES[kind]} {label}")
    recs, fit_s, total_s = fit_and_recommend(ctx, model, matrix)
    return grid_row(kind, group, label, dict(p), ctx.score(recs), fit_s, total_s, cold_users=ctx.cold)


def run_als(ctx: Context, grid: dict, tag: str) -> list[dict]:
    out = []
    for factors in grid["als_factors"]:
        for variant in grid["als_variants"]:
            for reg in grid["als_regularization"]:
                for alpha in grid["als_alpha"]:
                    p = {"factors": factors, "matrix": variant, "reg": reg, "alpha": alpha,
                         "iterations": grid["als_iterations"]}
                    out.append(_run_mf(ctx, "als", p, tag))
        # A winner on the edge of the grid is tried a step further out (regularization
        # x/÷ 10, alpha x/÷ 4, the rest of its config kept), up to three steps, so the
        # reference is not held back by the grid's bounds.
        for _round in range(3 if grid["als_extend"] else 0):
            mine = [r for r in out if r["params"]["factors"] == factors]
            best = best_of(mine)
            if best is None:
                break
            tried = {(r["params"]["matrix"], r["params"]["reg"], r["params"]["alpha"]) for r in mine}
            regs = {r["params"]["reg"] for r in mine}
            alphas = {r["params"]["alpha"] for r in mine}
            bp = best["params"]
            steps = []
            if bp["reg"] == max(regs):
                steps.append({"reg": bp["reg"] * 10})
            if bp["reg"] == min(regs):
                steps.append({"reg": bp["reg"] / 10})
            if bp["alpha"] == max(alphas):
                steps.append({"alpha": bp["alpha"] * 4})
            if bp["alpha"] == min(alphas):
                steps.append({"alpha": bp["alpha"] / 4})
            steps = [dict(bp, iterations=grid["als_iterations"], **st) for st in steps]
            steps = [p for p in steps if (p["matrix"], p["reg"], p["alpha"]) not in tried]
            if not steps:
                break
            for p in steps:
                out.append(_run_mf(ctx, "als", p, tag))
            if best_of([r for r in out if r["params"]["factors"] == factors]) is best:
                break  # no step beat the winner
        # the winner of the coarse grid for this factor count, with more iterations
        if grid["als_refit_iterations"]:
            best = best_of([r for r in out if r["params"]["factors"] == factors])
            if best:
                p = dict(best["params"], iterations=grid["als_refit_iterations"])
                out.append(_run_mf(ctx, "als", p, tag))
    return out


def run_bpr(ctx: Context, grid: dict, tag: str) -> list[dict]:
    out = []
    for factors in grid["bpr_factors"]:
        for lr in grid["bpr_learning_rate"]:
            for reg in grid["bpr_regularization"]:
                p = {"factors": factors, "matrix": "binary", "lr": lr, "reg": reg,
                     "iterations": grid["bpr_iterations"]}
                out.append(_run_mf(ctx, "bpr", p, tag))
    return out


# --------------------------------------------------------------------------------------
# EASE (Steck 2019) in NumPy
# --------------------------------------------------------------------------------------

def ease_gram(X):
    """G = X'X of a dense float64 users x items array."""
    return X.T @ X


def ease_from_gram(G, lam: float):
    """Textbook EASE from G = X'X: P = inv(G + lam I), B = -P / diag(P) (column j divided by
    P_jj), diag(B) = 0.  G is not modified; returns B."""
    import numpy as np
    import scipy.linalg

    A = G.copy()
    A[np.diag_indices_from(A)] += lam
    P = scipy.linalg.inv(A, overwrite_a=True, check_finite=False)
    del A
    B = P / (-np.diag(P))
    B[np.diag_indices_from(B)] = 0.0
    return B


def run_ease(ctx: Context, grid: dict, lambdas: list[float], tag: str) -> tuple[list[dict], dict]:
    """EASE for every lambda and matrix.  With fewer users than items the grid is computed
    through the dual: by Woodbury, with K = X X' + lam I,
        X P = K^-1 X   and   P_jj = (1 - x_j' K^-1 x_j) / lam   (x_j = column j of X),
    so X B = X (I - P diag(P)^-1) = X - (K^-1 X) / diag(P): the same scores from a users x users
    eigendecomposition shared by all lambdas.  The overall winner is then refitted with the
    textbook item x item inverse (ease_gram + ease_from_gram), which gives the reported fit time and checks
    that both routes give the same top 10.  Returns the rows and {matrix: {lambda: NDCG}}."""
    import numpy as np

    out, per_lambda = [], {}
    rows = ctx.rows
    n_users, n_items = ctx.matrices["binary"].shape
    dual = n_users < n_items
    for variant in grid["ease_variants"]:
        per_lambda[variant] = {}
        Xs = ctx.matrices[variant]
        X = Xs.astype(np.float64).toarray()
        seen = Xs[rows]
        t0 = time.perf_counter()
        if dual:
            S, U = np.linalg.eigh(X @ X.T)
            UtX = U.T @ X
        else:
            G = ease_gram(X)
        shared_s = time.perf_counter() - t0  # computed once for all lambdas
        for lam in lambdas:
            label = f"{variant} λ={lam:g}"
            log(f"{tag}: NumPy EASE {label}{' (dual)' if dual else ''}")
            t0 = time.perf_counter()
            if dual:
                Y = U @ (UtX / (S + lam)[:, None])  # K^-1 X
                d = (1.0 - np.einsum("ij,ij->j", X, Y)) / lam  # diag(P)
                fit_s = time.perf_counter() - t0 + shared_s
                scores = X[rows] - Y[rows] / d
            else:
                B = ease_from_gram(G, lam)
                fit_s = time.perf_counter() - t0 + shared_s
                scores = X[rows] @ B
                del B
            ids = top_n_unseen(scores, seen)
            total_s = time.perf_counter() - t0 + shared_s
            m = ctx.score(ctx.recs_from_ids(ids))
            per_lambda[variant][f"{lam:g}"] = m["ndcg"]
            out.append(grid_row("ease", variant, label, {"matrix": variant, "lambda": lam}, m, fit_s, total_s,
                                solver="dual" if dual else "primal", cold_users=ctx.cold, _ids=ids))
    best = best_of(out)
    if best is not None and dual:
        variant, lam = best["params"]["matrix"], best["params"]["lambda"]
        log(f"{tag}: NumPy EASE {variant} λ={lam:g}: textbook item x item refit for the fit time")
        X = ctx.matrices[variant].astype(np.float64).toarray()
        t0 = time.perf_counter()
        B = ease_from_gram(ease_gram(X), lam)
        fit_s = time.perf_counter() - t0
        ids = top_n_unseen(X[rows] @ B, ctx.matrices[variant][rows])
        total_s = time.perf_counter() - t0
        # share of test users whose top 10 is the same through both routes
        same = float(np.mean(np.all(ids == best["_ids"], axis=1))) if len(rows) else 1.0
        best.update(fit_s=fit_s, total_s=total_s, solver="primal refit", dual_fit_s=best["fit_s"],
                    dual_total_s=best["total_s"], primal_same_top10=same)
        del B, X
    for r in out:
        r.pop("_ids", None)
    return out, per_lambda


# --------------------------------------------------------------------------------------
# RP3beta (Paudel, Christoffel, Newell, Bernstein 2016), from the paper's definition
# --------------------------------------------------------------------------------------

def run_rp3beta(ctx: Context, grid: dict, tag: str) -> list[dict]:
    """A three-step random walk user -> item -> user -> item on the binary train graph:
    P_ui = X / deg(u) (rows of X normalised), P_iu = X' / deg(i); with both transition
    matrices raised element-wise to alpha, W = P_iu^a P_ui^a is the item -> item two-step
    probability; column j is divided by pop_j^beta (pop = the item's number of users in
    train), the diagonal is zeroed and each row keeps its K largest entries; a user's
    scores are X_u W (the user's own step P_ui^a only rescales the row, which does not
    change the ranking)."""
    import numpy as np
    from scipy.sparse import csr_matrix, diags

    out = []
    X = ctx.matrices["binary"].astype(np.float32)
    n_items = X.shape[1]
    deg_u = np.asarray(X.sum(axis=1)).ravel()
    pop = np.asarray(X.sum(axis=0)).ravel()
    P_ui = (diags(1.0 / np.maximum(deg_u, 1.0)) @ X).tocsr().astype(np.float32)
    P_iu = (diags(1.0 / np.maximum(pop, 1.0)) @ X.T).tocsr().astype(np.float32)
    Xr = X[ctx.rows]
    k_max = min(max(grid["rp3_k"]), n_items - 1)
    for a in grid["rp3_alpha"]:
        t0 = time.perf_counter()
        A, Bm = P_iu.copy(), P_ui.copy()
        A.data **= a
        Bm.data **= a
        W = (A @ Bm).toarray() if n_items < 2000 else A.toarray() @ Bm.toarray()  # items x items
        walk_s = time.perf_counter() - t0
        for b in grid["rp3_beta"]:
            t1 = time.perf_counter()
            Wb = W / np.power(pop, b, dtype=np.float32)[None, :] if b else W.copy()
            np.fill_diagonal(Wb, 0.0)
            cand = np.argpartition(-Wb, k_max - 1, axis=1)[:, :k_max]
            vals = np.take_along_axis(Wb, cand, axis=1)
            order = np.lexsort((cand, -vals), axis=1)
            cand = np.take_along_axis(cand, order, axis=1)
            vals = np.take_along_axis(vals, order, axis=1)
            del Wb
            prune_s = time.perf_counter() - t1
            for k in grid["rp3_k"]:
                kk = min(k, k_max)
                label = f"α={a:g} β={b:g} K={k}"
                log(f"{tag}: RP3beta {label}")
                t2 = time.perf_counter()
                Wk = csr_matrix((vals[:, :kk].ravel(), cand[:, :kk].ravel(),
                                 np.arange(0, n_items * kk + 1, kk)), shape=(n_items, n_items))
                fit_s = walk_s + prune_s + (time.perf_counter() - t2)
                ids = top_n_unseen((Xr @ Wk).toarray(), Xr)
                total_s = walk_s + prune_s + (time.perf_counter() - t2)
                out.append(grid_row("rp3beta", "binary", label, {"alpha": a, "beta": b, "K": k},
                                    ctx.score(ctx.recs_from_ids(ids)), fit_s, total_s, cold_users=ctx.cold))
        del W
    return out


# --------------------------------------------------------------------------------------
# pocketrec side
# --------------------------------------------------------------------------------------

class ModelMissing(RuntimeError):
    """The CLI does not know the model (``unknown model``): shown as n/a, not as a failure."""


def build_pocketrec() -> Path:
    log("building pocketrec: cargo build --release ...")
    res = subprocess.run(["cargo", "build", "--release"], cwd=REPO, capture_output=True, text=True)
    if res.returncode != 0:
        tail = "\n".join(res.stderr.strip().splitlines()[-15:])
        raise RuntimeError(f"cargo build --release failed:\n{tail}")
    binary = REPO / "target" / "release" / "pocketrec"
    if not binary.exists():
        raise RuntimeError(f"{binary} not found after the build")
    return binary


def read_recs_jsonl(path: Path) -> dict[str, list[str]]:
    recs: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for ln in f:
            if ln.strip():
                obj = json.loads(ln)
                recs[str(obj["user"])] = [str(x) for x in obj.get("items", [])]
    return recs


def _cli_error(model: str, res: subprocess.CompletedProcess) -> RuntimeError:
    err = res.stderr.strip()
    if "unknown model" in err.lower():
        return ModelMissing(f"n/a: pocketrec has no {model!r} model yet")
    return RuntimeError(f"exit {res.returncode}: {err[-500:]}")


def run_tune(binary: Path, catalog: Path, split_dir: Path, split: str,
             config: Path | None) -> tuple[Path, float]:
    """Tunes pocketrec on train.csv alone (an inner validation split of the same
    kind as the outer one); the test file is never read. Returns the config path."""
    out = split_dir / "tuned.json"
    out.unlink(missing_ok=True)
    cmd = [str(binary), "tune", "--catalog", str(catalog), "--interactions", str(split_dir / "train.csv"),
           "--split", split, "--k", str(TOP_N), "--out", str(out)]
    if config:
        cmd += ["--config", str(config)]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S * 10)
    if res.returncode != 0:
        raise RuntimeError(f"tune: exit {res.returncode}: {res.stderr.strip()[-500:]}")
    return out, time.perf_counter() - t0


def run_pocketrec(binary: Path, model: str, catalog: Path, split_dir: Path,
                  config: Path | None, tag: str = "") -> tuple[dict[str, list[str]], float]:
    out = split_dir / f"recs-{tag}{model}.jsonl"
    out.unlink(missing_ok=True)  # never score a stale output
    cmd = [str(binary), "recommend", "--catalog", str(catalog),
           "--interactions", str(split_dir / "train.csv"), "--users", str(split_dir / "users.txt"),
           "--k", str(TOP_N), "--model", model, "--out", str(out)]
    if config:
        cmd += ["--config", str(config)]
    t0 = time.perf_counter()
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        raise RuntimeError(f"timed out after {POCKETREC_TIMEOUT_S} s") from e
    wall = time.perf_counter() - t0
    if res.returncode != 0:
        raise _cli_error(model, res)
    return read_recs_jsonl(out), wall


def pocketrec_fit_seconds(binary: Path, model: str, catalog: Path, all_csv: Path, split: str,
                          config: Path | None) -> tuple[float | None, str | None]:
    """Fit seconds of one model from ``pocketrec eval --json`` (same split definition, the
    default config or --config); (None, reason) when the CLI has no such model or no timing."""
    cmd = [str(binary), "eval", "--catalog", str(catalog), "--interactions", str(all_csv),
           "--split", split, "--test-fraction", str(TEST_FRACTION), "--seed", str(SEED),
           "--k", str(TOP_N), "--models", model, "--json"]
    if config:
        cmd += ["--config", str(config)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=POCKETREC_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None, f"eval timed out after {POCKETREC_TIMEOUT_S} s"
    if res.returncode != 0:
        return None, str(_cli_error(model, res))
    try:
        for r in json.loads(res.stdout).get("results", []):
            if r.get("model") == model and isinstance(r.get("fitSeconds"), (int, float)):
                return float(r["fitSeconds"]), None
    except json.JSONDecodeError:
        return None, "eval --json printed no JSON"
    return None, "no fitSeconds in eval --json"


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

def fmt(x, digits=4) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n### {title}\n")
    print("| configuration | P@10 | R@10 | NDCG@10 | MAP@10 | hit rate | coverage | fit s | total s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r.get("missing"):
            print(f"| {r['config']} | n/a | | | | | | | |")
            continue
        if r.get("error"):
            msg = " ".join(r["error"].split()).replace("|", "/")[:100]
            print(f"| {r['config']} | error: {msg} | | | | | | | |")
            continue
        m = r["metrics"]
        print(f"| {r['config']} | {fmt(m['precision'])} | {fmt(m['recall'])} | {fmt(m['ndcg'])} | "
              f"{fmt(m['map'])} | {fmt(m['hit_rate'])} | {fmt(m['coverage'])} | "
              f"{fmt(r.get('fit_s'), 3)} | {fmt(r.get('total_s'), 3)} |")


def display_rows(grid: dict[str, list[dict]]) -> list[dict]:
    """Every kNN config; for the grids, the best config per group (ALS/BPR: factor count,
    EASE: matrix, RP3beta: one group), each labelled with how many configs it beat."""
    out = []
    for ref in REFERENCES:
        rows = grid.get(ref)
        if not rows:
            continue
        if ref == "knn":
            out += rows
            continue
        groups: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            groups[r["group"]].append(r)
        for group, members in groups.items():
            best = best_of(members)
            if best is None:
                continue
            shown = dict(best, config=f"{best['config']} [best of {len(members)}]")
            out.append(shown)
    return out


def summarise(rows: list[dict], grid: dict[str, list[dict]], ease_per_lambda: dict, fit_times: dict,
              ease_lambda: float, ease_variant: str) -> dict:
    """Best references vs pocketrec, with the PASS/FAIL checks (None = n/a, not counted)."""
    ndcg = {r["config"]: r["metrics"]["ndcg"] for r in rows if not r.get("error") and not r.get("missing")}
    missing = {r["config"] for r in rows if r.get("missing")}

    def ratio(a, b):
        return a / b if a is not None and b else None

    best_per_ref = {ref: best_of(rs) for ref, rs in grid.items() if rs}
    best_per_ref = {k: v for k, v in best_per_ref.items() if v is not None}
    best_ref_row = max(best_per_ref.values(), key=lambda r: r["metrics"]["ndcg"]) if best_per_ref else None
    best_ref = best_ref_row["metrics"]["ndcg"] if best_ref_row else None
    knn_best = best_per_ref.get("knn")
    best_knn = knn_best["metrics"]["ndcg"] if knn_best else None
    als_same = best_of([r for r in grid.get("als", []) if r["params"]["factors"] == ALS_CHECK_FACTORS])
    ease_ref = ease_per_lambda.get(ease_variant, {}).get(f"{ease_lambda:g}")

    knn = ndcg.get("pocketrec item-knn")
    hyb = ndcg.get("pocketrec hybrid")
    als = ndcg.get("pocketrec als")
    # EASE parity is about the same lambda: the row with the default config (or --config),
    # not the tuned one (the tuner may pick another lambda)
    ease_row = "pocketrec default ease" if any(r["config"] == "pocketrec default ease" for r in rows) \
        else "pocketrec ease"
    ease = ndcg.get(ease_row)
    comps = {c: ndcg.get(f"pocketrec {c}") for c in HYBRID_COMPONENTS}
    missing_components = [c for c, v in comps.items() if v is None]
    comps = {c: v for c, v in comps.items() if v is not None}
    best_comp = max(comps, key=comps.get) if comps else None
    pr_als_fit = fit_times.get("pocketrec als")
    imp_als_fit = als_same["fit_s"] if als_same else None
    s = {
        "best_reference": best_ref_row["config"] if best_ref_row else None, "best_reference_ndcg": best_ref,
        "best_per_reference": {k: {"config": v["config"], "params": v["params"], "ndcg": v["metrics"]["ndcg"],
                                   "fit_s": v.get("fit_s"), "solver": v.get("solver"),
                                   "primal_same_top10": v.get("primal_same_top10")}
                               for k, v in best_per_ref.items()},
        "best_implicit": knn_best["config"] if knn_best else None, "best_implicit_ndcg": best_knn,
        "item_knn_ndcg": knn, "item_knn_ratio": ratio(knn, best_knn),
        "hybrid_ndcg": hyb, "hybrid_ratio_reference": ratio(hyb, best_ref),
        "best_component": best_comp, "best_component_ndcg": comps.get(best_comp),
        "hybrid_ratio_component": ratio(hyb, comps.get(best_comp)),
        "missing_components": missing_components,
        "als_ndcg": als, "implicit_als_same_factors": als_same["config"] if als_same else None,
        "implicit_als_same_factors_ndcg": als_same["metrics"]["ndcg"] if als_same else None,
        "als_ratio": ratio(als, als_same["metrics"]["ndcg"] if als_same else None),
        "ease_ndcg": ease, "ease_row": ease_row, "ease_lambda": ease_lambda, "ease_variant": ease_variant,
        "numpy_ease_same_lambda_ndcg": ease_ref, "ease_ratio": ratio(ease, ease_ref),
        "als_fit_s": {"pocketrec": pr_als_fit, "implicit": imp_als_fit},
        "fit_times": fit_times,
    }
    # When pocketrec ran, a model without a result (it failed) fails its checks; a model the
    # CLI does not know yet makes them n/a (None).
    ran = any(r["config"].startswith("pocketrec ") for r in rows)

    def check(value, ok, model):
        if value is not None:
            return ok
        if f"pocketrec {model}" in missing or model in missing:
            return None
        return False if ran else None

    checks = {}
    if best_knn is not None and (ran or knn is not None):
        checks["item-knn >= best implicit nearest-neighbour"] = check(knn, knn is not None and knn >= best_knn, "item-knn")
    if best_ref is not None and (ran or hyb is not None):
        checks[f"hybrid >= {HYBRID_TARGET} x best reference"] = check(
            hyb, hyb is not None and hyb >= HYBRID_TARGET * best_ref, "hybrid")
    if ran or hyb is not None:
        checks["hybrid >= best component"] = check(
            hyb, hyb is not None and best_comp is not None and hyb >= comps[best_comp], "hybrid")
    if als_same is not None and (ran or als is not None):
        checks[f"als >= implicit's best ALS d={ALS_CHECK_FACTORS}"] = check(
            als, als is not None and als >= als_same["metrics"]["ndcg"], "als")
    if ease_ref is not None and (ran or ease is not None):
        checks[f"ease within {EASE_TOLERANCE:.0%} of NumPy EASE λ={ease_lambda:g} {ease_variant}"] = check(
            ease, ease is not None and abs(ease - ease_ref) <= EASE_TOLERANCE * ease_ref, ease_row)
    if imp_als_fit is not None and ran:
        checks[f"ALS fit time d={ALS_CHECK_FACTORS}: pocketrec <= implicit"] = \
            (pr_als_fit <= imp_als_fit) if pr_als_fit is not None else None
    s["checks"] = checks
    return s


def print_summary(s: dict, ease_per_lambda: dict) -> None:
    print()
    for ref, b in s["best_per_reference"].items():
        note = ""
        if b.get("primal_same_top10") is not None:
            note = (f" (textbook item x item fit; the grid's user x user route gives the same top 10 "
                    f"for {b['primal_same_top10']:.1%} of test users)")
        print(f"- best {REFERENCE_NAMES[ref]}: {b['config']}, NDCG@10 {fmt(b['ndcg'])}, "
              f"fit {fmt(b['fit_s'], 3)} s{note}")
    if s["best_reference"]:
        print(f"- best reference: {s['best_reference']}, NDCG@10 {fmt(s['best_reference_ndcg'])}")
    for variant, per in ease_per_lambda.items():
        print(f"- NumPy EASE {variant} NDCG@10 per λ: " + ", ".join(f"{k}: {fmt(v)}" for k, v in per.items()))
    if s["item_knn_ndcg"] is not None:
        print(f"- pocketrec item-knn NDCG@10 {fmt(s['item_knn_ndcg'])}, ratio to best implicit kNN "
              f"{fmt(s['item_knn_ratio'], 3)}")
    if s["hybrid_ndcg"] is not None:
        print(f"- pocketrec hybrid NDCG@10 {fmt(s['hybrid_ndcg'])}, ratio to best reference "
              f"{fmt(s['hybrid_ratio_reference'], 3)} (target >= {HYBRID_TARGET}), ratio to best component "
              f"{s['best_component']} {fmt(s['hybrid_ratio_component'], 3)} (target >= 1.0)")
    if s["hybrid_ndcg"] is not None and s["missing_components"]:
        print(f"- note: component(s) without a result: {', '.join(s['missing_components'])}")
    if s["als_ndcg"] is not None and s["implicit_als_same_factors"]:
        print(f"- pocketrec als NDCG@10 {fmt(s['als_ndcg'])}, ratio to {s['implicit_als_same_factors']} "
              f"{fmt(s['als_ratio'], 3)} (target >= 1.0)")
    elif s["als_ndcg"] is not None:
        print(f"- pocketrec als NDCG@10 {fmt(s['als_ndcg'])} (no implicit ALS with {ALS_CHECK_FACTORS} factors ran)")
    if s["ease_ndcg"] is not None and s["numpy_ease_same_lambda_ndcg"] is None:
        print(f"- {s['ease_row']} NDCG@10 {fmt(s['ease_ndcg'])} (NumPy EASE did not run)")
    elif s["ease_ndcg"] is not None:
        print(f"- {s['ease_row']} NDCG@10 {fmt(s['ease_ndcg'])}, ratio to NumPy EASE λ={s['ease_lambda']:g} "
              f"{s['ease_variant']} {fmt(s['ease_ratio'], 4)} (target within 1 ± {EASE_TOLERANCE})")
    fit = s["als_fit_s"]
    if fit["implicit"] is not None:
        print(f"- ALS fit d={ALS_CHECK_FACTORS}: implicit {fmt(fit['implicit'], 3)} s (.fit() alone, 1 thread), "
              f"pocketrec {fmt(fit['pocketrec'], 3) + ' s' if fit['pocketrec'] is not None else 'n/a'} (eval --json)")
    for name, t in s["fit_times"].items():
        if (name != "pocketrec als" or fit["implicit"] is None) and t is not None:
            print(f"- {name} fit: {fmt(t, 3)} s (eval --json)")
    for name, ok in s["checks"].items():
        print(f"- {'n/a' if ok is None else 'PASS' if ok else 'FAIL'}: {name}")


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--datasets", default="movielens,retail", help="comma list of: movielens, retail")
    p.add_argument("--splits", default="random,temporal", help="comma list of: random, temporal")
    p.add_argument("--references", default=",".join(REFERENCES),
                   help=f"comma list of: {', '.join(REFERENCES)} (default: all)")
    p.add_argument("--quick", action="store_true", help="a tiny reference grid (for testing the script)")
    p.add_argument("--pocketrec", type=Path, help="pocketrec binary (default: cargo build --release)")
    p.add_argument("--config", type=Path, help="config file passed through to pocketrec recommend")
    p.add_argument("--json", type=Path, help="write all numbers to this JSON file")
    p.add_argument("--data-root", type=Path, default=DATA_ROOT, help=f"data folder (default {DATA_ROOT})")
    p.add_argument("--ease-lambda", type=float, default=EASE_LAMBDA_DEFAULT,
                   help=f"pocketrec's EASE lambda; NumPy EASE is always run at it (default {EASE_LAMBDA_DEFAULT:g})")
    p.add_argument("--ease-variant", default="log1p", choices=("binary", "weighted", "log1p"),
                   help="the train matrix pocketrec's EASE is compared on (default log1p, pocketrec's "
                        "default interaction transform)")
    p.add_argument("--python-split", action="store_true",
                   help="use the Python fallback splitter instead of `pocketrec split` (testing only)")
    p.add_argument("--implicit-only", action="store_true",
                   help="run only the reference side (testing only; implies --python-split)")
    p.add_argument("--strict", action="store_true", help="exit 1 when a PASS/FAIL check fails")
    p.add_argument("--no-tune", action="store_true",
                   help="skip `pocketrec tune`; the checks then use the default (or --config) rows")
    a = p.parse_args(argv)
    a.datasets = [d.strip() for d in a.datasets.split(",") if d.strip()]
    a.splits = [s.strip() for s in a.splits.split(",") if s.strip()]
    a.references = [r.strip() for r in a.references.split(",") if r.strip()]
    for d in a.datasets:
        if d not in DATASETS:
            p.error(f"unknown dataset {d!r} (choose from {', '.join(DATASETS)})")
    for s in a.splits:
        if s not in ("random", "temporal"):
            p.error(f"unknown split {s!r} (choose from random, temporal)")
    for r in a.references:
        if r not in REFERENCES:
            p.error(f"unknown reference {r!r} (choose from {', '.join(REFERENCES)})")
    if a.ease_lambda <= 0:
        p.error("--ease-lambda must be positive")
    if a.implicit_only:
        a.python_split = True
    return a


def run_references(ctx: Context, grid: dict, args, tag: str) -> tuple[dict[str, list[dict]], dict]:
    """Every selected reference's grid: {reference: rows}, and EASE's {matrix: {lambda: NDCG}}."""
    out: dict[str, list[dict]] = {}
    ease_per_lambda: dict = {}
    for ref in REFERENCES:
        if ref not in args.references:
            continue
        t0 = time.perf_counter()
        try:
            if ref == "knn":
                out[ref] = run_knn(ctx, grid, tag)
            elif ref == "als":
                out[ref] = run_als(ctx, grid, tag)
            elif ref == "bpr":
                out[ref] = run_bpr(ctx, grid, tag)
            elif ref == "ease":
                lambdas = sorted(set(grid["ease_lambdas"]) | {args.ease_lambda})
                variants = list(dict.fromkeys([*grid["ease_variants"], args.ease_variant]))
                out[ref], ease_per_lambda = run_ease(ctx, dict(grid, ease_variants=variants), lambdas, tag)
            elif ref == "rp3beta":
                out[ref] = run_rp3beta(ctx, grid, tag)
        except MemoryError as e:
            out[ref] = [{"reference": ref, "group": "-", "config": REFERENCE_NAMES[ref], "params": {},
                         "error": f"out of memory: {e}"}]
        log(f"{tag}: {REFERENCE_NAMES[ref]}: {len(out[ref])} configs in {time.perf_counter() - t0:.1f} s")
    return out, ease_per_lambda


def main(argv=None) -> int:
    args = parse_args(argv)
    grid = GRIDS["quick" if args.quick else "full"]

    # 1. data: skip cleanly when it is not there (checked before any install work)
    available = []
    for name in args.datasets:
        sub, files, _prep = DATASETS[name]
        folder = args.data_root / sub
        missing = [f for f in files if not (folder / f).is_file()]
        if missing:
            print(f"skipped: {name}: data not found ({folder}/{missing[0]})", flush=True)
        else:
            available.append(name)
    if not available:
        skip(f"no benchmark data found under {args.data_root}")

    # 2. environment: venv with implicit, then re-run inside it
    if not in_venv():
        ensure_venv_and_reexec()  # does not return
    try:
        ver, ver_nums = implicit_version()
    except Exception as e:  # noqa: BLE001 - any import problem means we cannot run the peer
        skip(f"could not install implicit: {e}")
    log(f"implicit {ver}, python {platform.python_version()}")

    # 3. pocketrec binary (unless testing the reference side alone)
    binary = None
    if not args.implicit_only:
        try:
            binary = args.pocketrec.resolve() if args.pocketrec else build_pocketrec()
        except RuntimeError as e:
            print(f"error: {e}\n(use --implicit-only to run the reference side alone)", file=sys.stderr)
            return 2
        if not binary.exists():
            print(f"error: pocketrec binary {binary} not found", file=sys.stderr)
            return 2

    report = {
        "meta": {
            "implicit_version": ver, "python": platform.python_version(),
            "date": datetime.now().isoformat(timespec="seconds"), "thread_env": THREAD_ENV,
            "splitter": "python-fallback" if args.python_split else "pocketrec",
            "pocketrec": str(binary) if binary else None,
            "config": str(args.config) if args.config else None,
            "k": TOP_N, "test_fraction": TEST_FRACTION, "seed": SEED,
            "references": args.references, "grid": "quick" if args.quick else "full",
            "grid_values": grid, "ease_lambda": args.ease_lambda, "ease_variant": args.ease_variant,
            "cold_users": "empty list (the references have no fallback)",
        },
        "results": {},
    }
    all_checks = []
    n_errors = 0
    t_start = time.perf_counter()

    for ds in available:
        sub, _files, prep = DATASETS[ds]
        folder = args.data_root / sub
        log(f"{ds}: preparing data")
        info = prep(folder, WORK / ds)
        report["results"][ds] = {}
        for split in args.splits:
            tag = f"{ds}/{split}"
            split_dir = WORK / ds / (f"{split}-py" if args.python_split else split)
            log(f"{tag}: splitting into {split_dir}")
            try:
                if args.python_split:
                    python_split(info["interactions"], split, TEST_FRACTION, SEED, split_dir)
                else:
                    pocketrec_split(binary, info["interactions"], info["catalog"], split, split_dir)
            except (RuntimeError, OSError) as e:
                print(f"\nerror: {tag}: split failed: {e}", flush=True)
                report["results"][ds][split] = {"error": f"split failed: {e}"}
                n_errors += 1
                continue
            truth = read_test(split_dir / "test.csv")
            users = read_users(split_dir / "users.txt")

            # the references
            matrices, user_index, item_index = build_matrices(split_dir / "train.csv")
            ctx = Context(matrices, user_index, item_index, users, truth, info["catalogue_size"], ver_nums)
            grid_rows, ease_per_lambda = run_references(ctx, grid, args, tag)
            rows: list[dict] = display_rows(grid_rows)

            # pocketrec (fit_s is left empty: the CLI call does load + fit + recommend at once).
            # Rows "pocketrec default <model>" use the defaults (or --config); rows
            # "pocketrec <model>" use a config tuned on train.csv alone, and carry the checks.
            fit_times: dict = {}
            if binary:
                variants = [("default ", args.config)]
                if not args.no_tune:
                    log(f"{tag}: pocketrec tune")
                    try:
                        tuned, tune_s = run_tune(binary, info["catalog"], split_dir, split, args.config)
                        log(f"{tag}: tuned in {tune_s:.1f} s -> {tuned}")
                        variants.append(("", tuned))
                    except (RuntimeError, OSError, subprocess.TimeoutExpired) as e:
                        rows.append({"config": "pocketrec tune", "error": str(e)})
                else:
                    variants = [("", args.config)]
                unknown: set[str] = set()
                for tag_v, config in variants:
                    for model in POCKETREC_MODELS:
                        cfg = f"pocketrec {tag_v}{model}"
                        if model in unknown:
                            rows.append({"config": cfg, "missing": True, "error": f"n/a: no {model!r} model"})
                            continue
                        log(f"{tag}: {cfg}")
                        try:
                            recs, wall = run_pocketrec(binary, model, info["catalog"], split_dir, config,
                                                       tag_v.strip().replace(" ", "-") + ("-" if tag_v else ""))
                        except ModelMissing as e:
                            unknown.add(model)
                            rows.append({"config": cfg, "missing": True, "error": str(e)})
                            continue
                        except (RuntimeError, OSError, ValueError, KeyError) as e:
                            rows.append({"config": cfg, "error": str(e)})
                            continue
                        rows.append({"config": cfg, "fit_s": None, "total_s": wall,
                                     "metrics": evaluate(recs, truth, users, info["catalogue_size"])})
                for model in POCKETREC_FIT_MODELS:
                    if model in unknown:
                        fit_times[f"pocketrec {model}"] = None
                        continue
                    log(f"{tag}: pocketrec eval --models {model} --json (fit seconds)")
                    secs, why = pocketrec_fit_seconds(binary, model, info["catalog"], info["interactions"],
                                                      split, args.config)
                    fit_times[f"pocketrec {model}"] = secs
                    if why:
                        log(f"{tag}: pocketrec {model} fit seconds n/a: {why}")

            title = (f"{ds} / {split} split — {len(users)} test users, {len(truth)} with test items, "
                     f"{len(user_index)} train users x {len(item_index)} train items, "
                     f"catalogue {info['catalogue_size']}")
            print_table(title, rows)
            summary = summarise(rows, grid_rows, ease_per_lambda, fit_times, args.ease_lambda, args.ease_variant)
            print_summary(summary, ease_per_lambda)
            if ctx.cold:
                print(f"- note: {ctx.cold} test users are absent from train.csv; the references give them an empty list")
            all_checks += [ok for ok in summary["checks"].values() if ok is not None]
            report["results"][ds][split] = {
                "split_dir": str(split_dir), "test_users": len(users),
                "train_users": len(user_index), "train_items": len(item_index),
                "catalogue_size": info["catalogue_size"], "rows": rows, "grid": grid_rows,
                "ease_ndcg_per_lambda": ease_per_lambda, "summary": summary,
            }

    elapsed = time.perf_counter() - t_start
    report["meta"]["elapsed_s"] = elapsed
    n_fail = sum(1 for ok in all_checks if not ok)
    if all_checks:
        # worded so it is not mistaken for a test runner's "N passed, N failed" closing line
        print(f"\nchecks: {len(all_checks) - n_fail} PASS, {n_fail} FAIL")
    print(f"\nimplicit {ver}; splitter: {report['meta']['splitter']}; grid: {report['meta']['grid']}; "
          f"elapsed {elapsed:.1f} s")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
        log(f"wrote {args.json}")
    if n_errors:
        return 2
    return 1 if (args.strict and n_fail) else 0


if __name__ == "__main__":
    sys.exit(main())
