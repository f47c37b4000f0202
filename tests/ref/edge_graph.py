#!/usr/bin/python3
"""Reference for gepsim's knowledge graphs from edge lists (GepGraphFromEdgeList):
the same construction in numpy, dense. Names (one per line) are the features;
TSV edges source, target, mode/weight; repeated pairs averaged; undirected;
self-loops in the file dropped; identity added; D^-1/2 A D^-1/2 with D the
row sums of |A|. With "neighbours": a name the features lack that shares an
edge with a feature becomes a node (after the features, sorted). Prints edges
read, mapped, unknown, self, nodes, and the matrix's nonzeros, sum, sum of
squares and trace.
usage: edge_graph.py NAMES EDGES [signed|unsigned] [neighbours]"""
import sys
import numpy as np

names = [l.strip() for l in open(sys.argv[1]) if l.strip()]
signed = len(sys.argv) > 3 and sys.argv[3] == "signed"
idx = {n: i for i, n in enumerate(names)}
if len(sys.argv) > 4 and sys.argv[4] == "neighbours":
    extra = set()
    for line in open(sys.argv[2]):
        f = line.rstrip("\r\n").split("\t")
        if len(f) >= 2 and (f[0] in idx) != (f[1] in idx):
            extra.add(f[1] if f[0] in idx else f[0])
    for n in sorted(extra):
        idx[n] = len(idx)
D = len(idx)
acc = {}
edges = mapped = unknown = self = 0
for line in open(sys.argv[2]):
    line = line.rstrip("\r\n")
    if not line or line.startswith("#"):
        continue
    f = line.split("\t") if "\t" in line else line.split(",")
    edges += 1
    if f[0] not in idx or f[1] not in idx:
        unknown += 1
        continue
    a, b = idx[f[0]], idx[f[1]]
    if a == b:
        self += 1
        continue
    mapped += 1
    m = f[2] if len(f) > 2 else ""
    try:
        w = float(m)
    except ValueError:
        w = -1.0 if (m == "Repression" and signed) else 1.0
    for i, j in ((a, b), (b, a)):
        acc.setdefault((i, j), []).append(w)
A = np.zeros((D, D))
for (i, j), ws in acc.items():
    A[i, j] = np.mean(ws)
A += np.eye(D)
nz = len(acc) + D  # stored entries: the pairs (an averaged weight may be 0) and the identity
d = np.abs(A).sum(1)
s = np.where(d > 0, 1 / np.sqrt(d), 0)
A = s[:, None] * A * s[None, :]
print(f"edges {edges} mapped {mapped} unknown {unknown} self {self} nodes {D}")
print(f"nonzeros {nz} sum {A.sum():.12e} sumsq {(A * A).sum():.12e} trace {np.trace(A):.12e}")
