#!/bin/bash
# ROSMAP on random stratified 70/30 re-splits (seeds 1..R) of all 351 samples:
# gepsim's MOGONET model and its linear baseline on each, beside
# scikit-learn's LogisticRegression(C = 0.01); the mean scores. The same deck
# (inputs/rosmap.yaml) runs every split: only the file options change.
# usage: bench/gnn_resplits.sh [R (5)] [ranks (2)]
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
TESTBIN=${TESTBIN:-build/release/tests}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
R=${1:-5} NP=${2:-2}
DATA=../shared/data/mogonet-rosmap
out=bench/out/resplits
mkdir -p $out
mog="" lin=""
for r in $(seq 1 $R); do
  d=$out/split$r
  mkdir -p $d
  /usr/bin/python3 - "$DATA" "$d" "$r" <<'PY'
import sys, numpy as np
src, dst, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
y = np.concatenate([np.loadtxt(f"{src}/labels_tr.csv"), np.loadtxt(f"{src}/labels_te.csv")]).astype(int)
rng = np.random.default_rng(seed)
te = np.sort(np.concatenate([rng.permutation(np.where(y == c)[0])[: int(round(0.3 * np.sum(y == c)))] for c in np.unique(y)]))
tr = np.setdiff1d(np.arange(len(y)), te)
for v in (1, 2, 3):
    x = np.vstack([np.loadtxt(f"{src}/{v}_tr.csv", delimiter=","), np.loadtxt(f"{src}/{v}_te.csv", delimiter=",")])
    np.savetxt(f"{dst}/{v}_tr.csv", x[tr], delimiter=",", fmt="%.17g")
    np.savetxt(f"{dst}/{v}_te.csv", x[te], delimiter=",", fmt="%.17g")
np.savetxt(f"{dst}/labels_tr.csv", y[tr], fmt="%d")
np.savetxt(f"{dst}/labels_te.csv", y[te], fmt="%d")
PY
  files="-gnn_train $d/1_tr.csv,$d/2_tr.csv,$d/3_tr.csv -gnn_test $d/1_te.csv,$d/2_te.csv,$d/3_te.csv -gnn_train_labels $d/labels_tr.csv -gnn_test_labels $d/labels_te.csv"
  $MPIRUN -n $NP $GEPSIM train inputs/rosmap.yaml $files -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o $d/mogonet.h5 | grep "test ACC" | sed "s/^/split $r mogonet: /"
  $MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml $files -gnn_model linear -gnn_sample_weight none -train_figures 0 -o $d/linear.h5 | grep "test ACC" | sed "s/^/split $r linear: /"
  /usr/bin/python3 tests/ref/logistic_baseline.py $d 0.01 0 | sed "s/^/split $r scikit-learn: /"
  mog="$mog,$d/mogonet.h5"; lin="$lin,$d/linear.h5"
done
echo "MOGONET model, mean over $R splits:"; $TESTBIN/check_gnn_scores -ours ${mog#,} | tail -6
echo "linear baseline, mean over $R splits:"; $TESTBIN/check_gnn_scores -ours ${lin#,} | tail -6
