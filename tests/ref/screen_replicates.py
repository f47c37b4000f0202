"""Replicates of a screen (usage screen_replicates.py RESULTS.h5 R): with ksyn varied
by a factor per replicate, ss(A) (readout 0) is proportional to ksyn, so replicate
r over replicate 0 of the same condition is one number f_r for every condition
(rel 1e-8), the factors of the -screen_vary draws, and not 1."""
import sys
import h5py

s = h5py.File(sys.argv[1], "r")["screen"]
R = int(sys.argv[2])
rep, out, status = s["conditions/replicate"][...], s["readouts"][:, 0], s["status"][...]
bad = int((status != 1).sum())
ratios = {r: [] for r in range(1, R)}
for c in range(0, len(rep), R):
    if list(rep[c:c + R]) != list(range(R)):
        print("FAIL: replicates of condition %d are %s" % (c, rep[c:c + R])); bad += 1
        continue
    if abs(out[c]) > 1e-9:
        for r in range(1, R):
            ratios[r].append(out[c + r] / out[c])
for r, fs in ratios.items():
    if not fs or max(fs) - min(fs) > 1e-8 * abs(fs[0]) or abs(fs[0] - 1) < 1e-3:
        print("FAIL: replicate %d's factors %s" % (r, fs[:5])); bad += 1
sys.exit(1 if bad else 0)
