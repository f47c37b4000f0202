#!/usr/bin/python3
"""An ensemble of tests/data/blowup.xml (dx/dt = k x^2, x(0) = 1, output x) with k
from the parameters file: the members with k tfinal > 1 must fail alone (status 1,
NaN outputs) and the others equal the closed form x = 1 / (1 - k t).
usage: blowup_status.py OUT.h5 PARAMS.tsv RTOL"""
import sys

import h5py
import numpy as np

path, params, rtol = sys.argv[1], sys.argv[2], float(sys.argv[3])
k = np.loadtxt(params, skiprows=1, ndmin=1)
with h5py.File(path, "r") as f:
    y, t, status = f["/trajectories"][:, :, 0], f["/time"][...], f["/status"][...]
    failed = int(f.attrs["failed_members"])
expect = (k * t[-1] > 1).astype(int)
if len(status) != len(k) or list(status) != list(expect) or failed != expect.sum():
    sys.exit(f"{path}: status {list(status)} ({failed} failed), expected {list(expect)}")
worst = 0.0
for m in range(len(k)):
    if expect[m]:
        if not np.all(np.isnan(y[m])):
            sys.exit(f"{path}: member {m} failed but its outputs are not NaN")
        continue
    ref = 1.0 / (1.0 - k[m] * t)
    worst = max(worst, float(np.max(np.abs(y[m] - ref) / ref)))
print(f"status {list(status)}; the others against 1/(1 - k t): largest relative error {worst:.2e} (rtol {rtol:g})")
sys.exit(0 if worst <= rtol else 1)
