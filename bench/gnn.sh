#!/bin/bash
# make bench (part): gepsim's MOGONET model against the same model in PyTorch
# (bench/mogonet_torch.py: CPU, float32 as MOGONET, 1 thread) on ROSMAP.
# Time per epoch of pre-training and of joint training: three interleaved
# rounds of runs of 100 + 100 epochs (PyTorch with MOGONET's sparse graph,
# gepsim in float32, gepsim in float64, PyTorch with a dense graph as the
# issue's reference re-implementation), each ratio and the medians. The linear
# baseline (gepsim -gnn_model linear vs scikit-learn) on the given split.
# BENCH_GNN_FULL=1 adds the full schedule (500 + 2,500 epochs), seeds 1-5, in
# both: the accuracy table (about 25 min).
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
TESTBIN=${TESTBIN:-build/release/tests}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
PY=/usr/bin/python3
DATA=../shared/data/mogonet-rosmap
GEPSIM_EXTRA_PKGS="python3-torch python3-sklearn" sh scripts/install-deps.sh
mkdir -p bench/out
report=bench/out/gnn.md
field() { sed -n "s/.*$1 \([0-9.]*\) ms.*/\1/p" | head -1; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { awk -v x=$1 -v y=$2 'BEGIN {printf "%.2f", x / y}'; }
rpre="" rjoint="" dpre="" djoint="" xpre="" xjoint="" dense=""
{
  echo "| pair | PyTorch pre-training ms/epoch | gepsim float32 | ratio | gepsim float64 | ratio | PyTorch joint ms/epoch | gepsim float32 | ratio | gepsim float64 | ratio |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
} > $report
# gepsim in float32 (-gnn_precision single) is the comparison at PyTorch's precision; float64 (the default) beside it
for pair in 1 2 3; do
  t=$($PY bench/mogonet_torch.py $DATA 100 100 1)
  gs=$($MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml -gnn_precision single -gnn_pretrain_epochs 100 -gnn_epochs 100 -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o bench/out/gnn-time.h5)
  gd=$($MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml -gnn_pretrain_epochs 100 -gnn_epochs 100 -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o bench/out/gnn-time.h5)
  tp=$(echo "$t" | field "pre-training"); tj=$(echo "$t" | field "joint")
  sp=$(echo "$gs" | field "pre-training"); sj=$(echo "$gs" | field "joint")
  dp=$(echo "$gd" | field "pre-training"); dj=$(echo "$gd" | field "joint")
  a=$(ratio $sp $tp); b=$(ratio $sj $tj); c=$(ratio $dp $tp); d=$(ratio $dj $tj)
  rpre="$rpre $a"; rjoint="$rjoint $b"; dpre="$dpre $c"; djoint="$djoint $d"
  echo "| $pair | $tp | $sp | $a | $dp | $c | $tj | $sj | $b | $dj | $d |" >> $report
  t=$($PY bench/mogonet_torch.py --dense-adjacency $DATA 100 100 1)
  xp=$(echo "$t" | field "pre-training"); xj=$(echo "$t" | field "joint")
  e=$(ratio $sp $xp); f=$(ratio $sj $xj)
  xpre="$xpre $e"; xjoint="$xjoint $f"
  dense="$dense| $pair | $xp | $e | $xj | $f |
"
done
echo "" >> $report
echo "median ratio gepsim/PyTorch: float32 pre-training $(echo $rpre | median), joint $(echo $rjoint | median); float64 pre-training $(echo $dpre | median), joint $(echo $djoint | median)" >> $report
{
  echo ""
  echo "PyTorch with a dense graph (the issue's reference re-implementation), against gepsim float32 of the same round:"
  echo ""
  echo "| pair | PyTorch dense pre-training ms/epoch | ratio | PyTorch dense joint ms/epoch | ratio |"
  echo "|---|---|---|---|---|"
  printf "%s" "$dense"
  echo ""
  echo "median ratio gepsim float32/PyTorch dense: pre-training $(echo $xpre | median), joint $(echo $xjoint | median)"
} >> $report
echo "" >> $report
echo "linear baseline, given split:" >> $report
$PY tests/ref/logistic_baseline.py $DATA 0.01 0 | sed 's/^/  scikit-learn: /' >> $report
$MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml -gnn_model linear -gnn_sample_weight none -o bench/out/gnn-linear.h5 | grep "test ACC" | sed 's/^/  /' >> $report
if [ "$BENCH_GNN_FULL" = 1 ]; then
  echo "" >> $report
  echo "full schedule (500 + 2,500 epochs), seeds 1-5:" >> $report
  files="" sfiles=""
  for s in 1 2 3 4 5; do
    $PY bench/mogonet_torch.py $DATA 500 2500 $s | sed "s/^/  seed $s /" >> $report
    $MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml -gnn_seed $s -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o bench/out/gnn-full-$s.h5 | grep "time per\|test ACC" | sed "s/^/  seed $s gepsim /" >> $report
    $MPIRUN -n 1 $GEPSIM train inputs/rosmap.yaml -gnn_precision single -gnn_seed $s -gnn_monitor_interval 0 -gnn_importance none -train_figures 0 -o bench/out/gnn-full-single-$s.h5 | grep "time per\|test ACC" | sed "s/^/  seed $s gepsim float32 /" >> $report
    files="$files,bench/out/gnn-full-$s.h5"
    sfiles="$sfiles,bench/out/gnn-full-single-$s.h5"
  done
  $TESTBIN/check_gnn_scores -ours ${files#,} | sed 's/^/  float64: /' >> $report
  $TESTBIN/check_gnn_scores -ours ${sfiles#,} | sed 's/^/  float32: /' >> $report
fi
cat $report
