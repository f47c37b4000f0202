#!/usr/bin/python3
"""Compare a gepsim simulate output of tests/gen_chain.sh N (k varied per member or
not) with the chain's closed form: for n < N, A_n(t) = exp(-k t) (k t)^(n-1) / (n-1)!.
usage: chain_closed_form.py OUT.h5 N ATOL  (outputs A1, A5, A(N-1) in that order)"""
import math
import sys

import h5py
import numpy as np

path, n, atol = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
with h5py.File(path, "r") as f:
    y = f["/trajectories"][...]
    t = f["/time"][...]
    names = [s.decode() if isinstance(s, bytes) else s for s in f["/parameter_names"][...]]
    k = f["/parameters"][:, names.index("k")]
members, times, outs = y.shape
if outs != 3 or times < 2 or members < 1:
    sys.exit(f"{path}: trajectories are {y.shape}, expected (members, times, 3)")
worst = 0.0
for m in range(members):
    for j, order in enumerate((1, 5, n - 1)):
        kt = k[m] * t
        ref = np.exp(-kt + (order - 1) * np.log(np.maximum(kt, 1e-300)) - math.lgamma(order))
        if order == 1:
            ref = np.exp(-kt)
        worst = max(worst, float(np.max(np.abs(y[m, :, j] - ref))))
print(f"{members} member(s), {times} times, 3 outputs: largest error against the closed form {worst:.2e} (atol {atol:g})")
sys.exit(0 if worst <= atol else 1)
