"""pocketrec segment against scikit-learn KMeans on the same RFM features.

Runs `pocketrec segment` on the order log (k fixed, then k auto), rebuilds
the standardised features from the output's customers (z-scores of
ln(1 + recency, frequency, monetary), population sd; src/shop/rfm.rs), and
fits scikit-learn's KMeans (k-means++, the same k, n_init = the same
restarts, max_iter 300, random_state = the same seed). For auto, sklearn
tries k = 2..8 and keeps the highest silhouette_score (sample_size 3000,
like pocketrec). Prints inertia of both, the adjusted Rand index between
the labelings, and the time of both (pocketrec: the whole command, reading
the 45 MB log included; sklearn: the clustering only).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.metrics import adjusted_rand_score, silhouette_score


def features(customers):
    x = np.log1p(np.array([[c["recency"], c["frequency"], c["monetary"]] for c in customers], dtype=float))
    sd = x.std(axis=0)
    return np.where(sd > 0, (x - x.mean(axis=0)) / np.where(sd > 0, sd, 1), 0.0)


def run_pocketrec(binary, data, k, seed, restarts):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "segments.json")
        t = time.perf_counter()
        p = subprocess.run([binary, "segment", "--orders", data, "--k", str(k), "--seed", str(seed),
                            "--restarts", str(restarts), "--out", out],
                           capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"pocketrec failed: {p.stderr}")
        with open(out) as f:
            return json.load(f), elapsed, p.stderr.strip()


def segmenting(summary):
    """Seconds pocketrec spent after reading the log (from its summary line)."""
    m = re.search(r"(\d+) ms segmenting", summary)
    return int(m.group(1)) / 1000 if m else float("nan")


def run_sklearn(x, k, seed, restarts):
    t = time.perf_counter()
    if k != "auto":
        m = KMeans(n_clusters=k, init="k-means++", n_init=restarts, max_iter=300, random_state=seed).fit(x)
        return m, time.perf_counter() - t, None
    best = None
    for kk in range(2, 9):
        m = KMeans(n_clusters=kk, init="k-means++", n_init=restarts, max_iter=300, random_state=seed).fit(x)
        s = silhouette_score(x, m.labels_, sample_size=min(3000, len(x)), random_state=seed)
        if best is None or s > best[0]:
            best = (s, m)
    return best[1], time.perf_counter() - t, best[0]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--k", default="4")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--restarts", type=int, default=10)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(root, "target"))
    ap.add_argument("--pocketrec", default=os.path.join(target, "release", "pocketrec"))
    a = ap.parse_args()
    if not os.path.exists(a.pocketrec):
        print(f"skipped: no {a.pocketrec} (cargo build --release first)")
        return
    print("| k | customers | pocketrec inertia | sklearn inertia | ARI | pocketrec silhouette | sklearn silhouette | pocketrec s (whole command) | pocketrec s (segmenting) | sklearn s (clustering) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for k in [int(a.k), "auto"]:
        seg, t_p, summary = run_pocketrec(a.pocketrec, a.data, k, a.seed, a.restarts)
        x = features(seg["customers"])
        labels = np.array([c["segment"] for c in seg["customers"]])
        m, t_s, s_s = run_sklearn(x, k, a.seed, a.restarts)
        if s_s is None:
            s_s = silhouette_score(x, m.labels_, sample_size=min(3000, len(x)), random_state=a.seed)
        # pocketrec's inertia recomputed from its labels on these features (a check of the rebuild)
        cent = np.array([x[labels == j].mean(axis=0) for j in range(seg["k"])])
        recomputed = float(((x - cent[labels]) ** 2).sum())
        assert abs(recomputed - seg["inertia"]) < 1e-6 * max(1, seg["inertia"]), (recomputed, seg["inertia"])
        name = f"{k}" if k != "auto" else f"auto → {seg['k']} / {m.n_clusters}"
        print(f"| {name} | {len(x)} | {seg['inertia']:.1f} | {m.inertia_:.1f} | "
              f"{adjusted_rand_score(labels, m.labels_):.3f} | {seg['silhouette']:.3f} | {s_s:.3f} | {t_p:.2f} | {segmenting(summary):.2f} | {t_s:.2f} |")
        print(f"  pocketrec: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()
