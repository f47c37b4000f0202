#!/usr/bin/python3
"""Stability of gepsim's feature importance across seeds: for each method
(gradient_input, ablation) present in the gepsim train outputs given, the top-N
features over all views (by importance, as MOGONET ranks them) of every run,
the overlap |A & B| / N of every pair of runs (mean, min, max), and the
consensus top N (importance summed over the runs), with view and name.
usage: gnn_importance_overlap.py N OUT1.h5 OUT2.h5 ..."""
import sys
import itertools
import h5py
import numpy as np

n, files = int(sys.argv[1]), sys.argv[2:]
for method in ("gradient_input", "ablation"):
    tops, total, names = [], None, None
    for f in files:
        with h5py.File(f, "r") as h:
            if "importance" not in h:
                continue
            views = list(h["importance"].keys())
            if method not in h["importance"][views[0]]:
                continue
            imp = np.concatenate([h["importance"][v][method][()] for v in views])
            names = [f"{v}:{x.decode()}" for v in views for x in h["views"][v][()]]
        order = sorted(range(len(imp)), key=lambda i: (-imp[i], i))
        tops.append(set(order[:n]))
        total = imp if total is None else total + imp
    if len(tops) < 2:
        continue
    ov = [len(a & b) / n for a, b in itertools.combinations(tops, 2)]
    print(f"{method}: top {n} overlap over {len(ov)} pairs of {len(tops)} runs: mean {np.mean(ov):.3f}, min {min(ov):.3f}, max {max(ov):.3f}")
    cons = sorted(range(len(total)), key=lambda i: (-total[i], i))[:n]
    print(f"  consensus top {n}: " + ", ".join(names[i] for i in cons))
