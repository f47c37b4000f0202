#!/bin/bash
# The sparse per-member Jacobian against the dense one on a linear chain of N
# species (tests/gen_chain.sh), N = 100 ... 2000, 1 member, 1 rank: integration
# time (gepsim's own "integrated in"), the ratio to N = 100, and the dense
# blocks' time where it finishes within BENCH_DENSE_LIMIT seconds (default 60).
# Results are checked against the closed form (tests/ref/chain_closed_form.py).
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
SIZES=${BENCH_CHAIN_SIZES:-"100 200 500 1000 2000"}
LIMIT=${BENCH_DENSE_LIMIT:-60}
mkdir -p bench/out
seconds() { sed -n 's/.*integrated in \([0-9.e+-]*\) s.*/\1/p'; }
echo "| species | sparse (s) | sparse / sparse at 100 | dense (s) | dense / sparse |"
echo "|---|---|---|---|---|"
base=""
for n in $SIZES; do
  bash tests/gen_chain.sh $n > bench/out/chain$n.xml
  opt="-model_file bench/out/chain$n.xml -ensemble_tfinal 10 -model_outputs A1,A5,A$((n - 1)) -ensemble_progress 0"
  best=""
  for r in 1 2 3; do # the best of three: the figure is small at 100 species
    s=$($GEPSIM simulate $opt -ensemble_jacobian sparse -o bench/out/chain$n-sparse.h5 | seconds)
    best=$(awk -v a="$s" -v b="$best" 'BEGIN { print (b == "" || a + 0 < b + 0) ? a : b }')
  done
  /usr/bin/python3 tests/ref/chain_closed_form.py bench/out/chain$n-sparse.h5 $n 1e-6 > /dev/null
  [ -z "$base" ] && base=$best
  d=$(timeout $LIMIT $GEPSIM simulate $opt -ensemble_jacobian dense -o bench/out/chain$n-dense.h5 2> /dev/null | seconds || true)
  awk -v n=$n -v s=$best -v b=$base -v d="$d" -v lim=$LIMIT 'BEGIN {
    printf "| %d | %.3f | %.1f | %s | %s |\n", n, s, s / b, d == "" ? "over " lim : sprintf("%.3f", d), d == "" ? "-" : sprintf("%.0f", d / s) }'
done
