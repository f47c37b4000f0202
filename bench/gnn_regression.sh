#!/bin/bash
# make bench (part): regression (-gnn_loss mse) on the CLL cohort's response to
# ibrutinib (scripts/cll_drug_regression.py) over random 70/30 splits (seeds
# 1..S): gepsim's MOGONET model with graph convolutions and with graph
# attention (inputs/cll-ibrutinib.yaml, 1 rank) and the ridge baseline in
# gepsim and in scikit-learn (tests/ref/ridge_baseline.py). Test R^2 per split
# and the means. Usage: bash bench/gnn_regression.sh [S (5)]
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
TESTBIN=${TESTBIN:-build/release/tests}
PY=/usr/bin/python3
S=${1:-5}
GEPSIM_EXTRA_PKGS="python3-sklearn" sh scripts/install-deps.sh
mkdir -p bench/out
report=bench/out/gnn_regression.md
r2() { $TESTBIN/check_gnn_scores -ours "$1" | sed -n 's/.* R2 \([-0-9.]*\) .*/\1/p' | head -1; }
{
  echo "| split | ridge (scikit-learn) | ridge (gepsim) | MOGONET model, GCN | MOGONET model, GAT |"
  echo "|---|---|---|---|---|"
} > $report
sums="0 0 0 0"
for s in $(seq 1 $S); do
  d=bench/out/cll-split$s
  $PY scripts/cll_drug_regression.py ../shared/data/cll-partial $d D_002 $s > /dev/null
  opt="-gnn_train $d/1_tr.csv,$d/2_tr.csv -gnn_test $d/1_te.csv,$d/2_te.csv -gnn_feature_names $d/1_featname.csv,$d/2_featname.csv -gnn_train_labels $d/labels_tr.csv -gnn_test_labels $d/labels_te.csv -gnn_monitor_interval 0 -gnn_importance none -train_figures 0"
  sk=$($PY tests/ref/ridge_baseline.py $d 2 1.0 0 | sed -n 's/.* R2 \([-0-9.]*\) .*/\1/p')
  $GEPSIM train inputs/cll-ibrutinib.yaml -gnn_model linear $opt -o $d/ridge.h5 > /dev/null
  $GEPSIM train inputs/cll-ibrutinib.yaml $opt -o $d/gcn.h5 > /dev/null
  $GEPSIM train inputs/cll-ibrutinib.yaml -gnn_layer_type gat $opt -o $d/gat.h5 > /dev/null
  row="$sk $(r2 $d/ridge.h5) $(r2 $d/gcn.h5) $(r2 $d/gat.h5)"
  echo "| $s | $(echo $row | tr ' ' '|' | sed 's/|/ | /g') |" >> $report
  sums=$(awk -v a="$sums" -v b="$row" 'BEGIN {split(a, x, " "); split(b, y, " "); printf "%g %g %g %g", x[1] + y[1], x[2] + y[2], x[3] + y[3], x[4] + y[4]}')
done
echo "| mean | $(awk -v a="$sums" -v n=$S 'BEGIN {split(a, x, " "); printf "%.3f | %.3f | %.3f | %.3f", x[1] / n, x[2] / n, x[3] / n, x[4] / n}') |" >> $report
cat $report
