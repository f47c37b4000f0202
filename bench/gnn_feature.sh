#!/bin/bash
# make bench (part): scaling of the knowledge-graph model (gepsim train
# -gnn_model feature) over ranks on a synthetic problem of the issue's size:
# 20,000 genes, 200,000 undirected edges drawn uniformly at random, 1,000
# samples (tests/unit/gen_gnn_feature_synthetic.c, seed 1). Two graph
# convolutions of 8 channels, node readout, samples in chunks of 100. Time per
# epoch on 1 and 2 ranks: three interleaved pairs of runs of 6 epochs,
# distributed by samples (the default), each speed-up and the median; then one
# pair distributed by nodes. The speed-up is of the later epochs: the first also
# creates the graph products and touches the activations' memory for the first
# time (reported beside them, with the mean over all epochs).
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
TESTBIN=${TESTBIN:-build/release/tests}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
out=bench/out/kg20k
mkdir -p $out
[ -r $out/edges.tsv ] || "$TESTBIN/gen_gnn_feature_synthetic" -dir $out -genes 20000 -edges 200000 -samples 1000 -seed 1
cat > $out/deck.yaml <<DECK
# the synthetic knowledge-graph problem of bench/gnn_feature.sh
gnn:
  train: [$out/1_tr.csv]
  test: [$out/1_te.csv]
  feature_names: [$out/1_featname.csv]
  train_labels: $out/labels_tr.csv
  test_labels: $out/labels_te.csv
  model: feature
  graph: [$out/edges.tsv]
  hidden: [8, 8]
  feature_chunk: 100
  pretrain_epochs: 6
  epochs: 0
  monitor_interval: 0
  importance: none
DECK
report=bench/out/gnn_feature.md
field() { sed -n "s/.*$1 \([0-9.]*\) ms.*/\1/p" | head -1; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
{
  echo "| distributed by, pair | 1 rank ms/epoch (later epochs) | 2 ranks | speed-up | 1 rank first epoch | 2 ranks | 1 rank all epochs | 2 ranks | speed-up |"
  echo "|---|---|---|---|---|---|---|---|---|"
} > $report
ups=""
for pair in samples,1 samples,2 samples,3 nodes,1; do
  dist=${pair%,*}
  r1=$($MPIRUN -n 1 $GEPSIM train $out/deck.yaml -gnn_feature_distribute $dist -train_figures 0 -o $out/run1.h5)
  r2=$($MPIRUN -n 2 $GEPSIM train $out/deck.yaml -gnn_feature_distribute $dist -train_figures 0 -o $out/run2.h5)
  l1=$(echo "$r1" | field "later epochs"); l2=$(echo "$r2" | field "later epochs")
  f1=$(echo "$r1" | field "first epoch"); f2=$(echo "$r2" | field "first epoch")
  a1=$(echo "$r1" | field "pre-training"); a2=$(echo "$r2" | field "pre-training")
  up=$(awk -v a=$l1 -v b=$l2 'BEGIN {printf "%.2f", a / b}')
  upa=$(awk -v a=$a1 -v b=$a2 'BEGIN {printf "%.2f", a / b}')
  [ $dist = samples ] && ups="$ups $up"
  echo "| $dist, ${pair#*,} | $l1 | $l2 | $up | $f1 | $f2 | $a1 | $a2 | $upa |" >> $report
done
echo "" >> $report
echo "median speed-up 1 -> 2 ranks (later epochs), distributed by samples: $(echo $ups | median)" >> $report
cat $report
