"""A screen's Latin hypercube: usage screen_lhs.py RESULTS.h5 NAME LO HI N.
The distinct values of the swept NAME are N, within [LO, HI], one in each of the N
equal strata."""
import sys
import h5py

f = h5py.File(sys.argv[1], "r")["screen"]
name, lo, hi, n = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
names = [x.decode() for x in f["sweep_names"][...]]
vals = sorted(set(f["conditions/swept"][:, names.index(name)]))
strata = sorted(int((v - lo) / (hi - lo) * n) for v in vals)
ok = len(vals) == n and strata == list(range(n)) and all(lo <= v <= hi for v in vals)
if not ok:
    print("FAIL: %s's values %s are not a Latin hypercube of %d on [%g, %g]" % (name, vals, n, lo, hi))
sys.exit(0 if ok else 1)
