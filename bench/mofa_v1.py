"""Train MOFA v1 (Debian python3-mofapy) on a dataset in MOFA+'s HDF5 layout
(as gepsim factor reads it) and report seconds per iteration and, if the file
holds /truth/Z, the mean over true factors of the best |r| with a MOFA factor.
usage: /usr/bin/python3 bench/mofa_v1.py FILE.h5 K ITERATIONS|converge [SEED [LIK,LIK,...] [OUT.npy]]"""
import sys, time
import numpy, scipy
scipy.random = numpy.random  # MOFA v1 predates these removals
numpy.float = float
numpy.int = int
import h5py
from mofapy.core.entry_point import entry_point

path, K, its = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
liks = sys.argv[5].split(",") if len(sys.argv) > 5 else None
f = h5py.File(path, "r")
views = [v.decode() if isinstance(v, bytes) else v for v in f["views/views"][:]]
group = [g.decode() if isinstance(g, bytes) else g for g in f["groups/groups"][:]][0]
data = [numpy.array(f["data/%s/%s" % (v, group)]) for v in views]
truth = numpy.array(f["truth/Z"]).T if "truth" in f else None
f.close()

ep = entry_point()
ep.set_data(data)
ep.set_model_options(factors=K, likelihoods=liks or ["gaussian"] * len(data), sparsity=True)
ep.set_data_options(view_names=views, center_features=liks is None, RemoveIncompleteSamples=False)
ep.parse_data()
converge = its == "converge"
ep.set_train_options(iter=5000 if converge else int(its), tolerance=0.01, dropR2=0.0, startDrop=999999, nostop=not converge, seed=seed, verbose=False)
ep.define_priors()
ep.define_init()
t0 = time.time()
ep.train_model()
elapsed = time.time() - t0
Z = ep.model.nodes["Z"].getExpectation()
niter = int(numpy.sum(~numpy.isnan(ep.model.getTrainingStats()["elbo"]))) if converge else int(its)
print("mofa_v1_seconds %.4f" % elapsed)
print("mofa_v1_iterations %d" % niter)
print("mofa_v1_seconds_per_iteration %.5f" % (elapsed / max(niter, 1)))
if truth is not None:
    best = []
    for t in range(truth.shape[1]):
        r = [abs(numpy.corrcoef(truth[:, t], Z[:, k])[0, 1]) for k in range(Z.shape[1]) if numpy.std(Z[:, k]) > 0]
        best.append(max(r))
    print("mofa_v1_best_r " + " ".join("%.3f" % b for b in best))
    print("mofa_v1_mean_best_r %.3f" % numpy.mean(best))
if len(sys.argv) > 6:
    numpy.save(sys.argv[6], Z)
    numpy.save(sys.argv[6].replace(".npy", "_W.npy"), ep.model.nodes["SW"].getExpectation()[-1])
