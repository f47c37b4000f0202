#!/bin/bash
# make bench: gepsim's batched ensemble against SUNDIALS CVODE with a hand-written
# C right-hand side, one member at a time (BDF, dense direct solver), on the STAT5
# and repressilator models (10,000 members each), in one run.
# Equal accuracy: CVODE runs at rtol 1e-6 / atol 1e-8; gepsim runs at a ladder
# of tolerances and is timed at the loosest one whose maximum error (against a
# CVODE reference at rtol 1e-12) is no larger than CVODE's. Reports ms per member,
# the ratio gepsim/CVODE, and gepsim's speed-up from 1 to 2 ranks.
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
N=${BENCH_MEMBERS:-10000}
RTOL=1e-6 ATOL=1e-8
LADDER=${BENCH_LADDER:-"1e-6 3e-6 1e-5 3e-5 1e-4"}
GEPSIM_EXTRA_PKGS="libsundials-dev" sh scripts/install-deps.sh
mkdir -p bench/out
mpicc -std=c17 -D_XOPEN_SOURCE=700 -O2 -Wall -Wextra -o bench/out/cvode_ensemble bench/cvode_ensemble.c \
  $(pkg-config --cflags --libs hdf5-openmpi) -lsundials_cvode -lsundials_nvecserial -lm
report=bench/out/results.md
: > bench/out/timings.txt
{
  echo "| model | members | CVODE ms/member | CVODE max error | gepsim rtol | gepsim max error | gepsim 1 rank ms/member | ratio gepsim/CVODE | gepsim 2 ranks ms/member | speed-up 1 -> 2 ranks |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} > $report
per_member() { sed -n 's/.*(\([0-9.e+-]*\) ms per member).*/\1/p'; }
run() { # run NAME MODEL OUTPUTS VARY TFINAL
  local name=$1 common files="" best="" 
  common="-ensemble_progress 0 -model_file $2 -model_outputs $3 -ensemble_size $N -ensemble_vary $4 -ensemble_tfinal $5 -ensemble_steps 100 -ensemble_seed 3 -ensemble_ts_atol $ATOL -simulate_plot $(echo $3 | cut -d, -f1)"
  declare -A t1
  for r in $LADDER; do
    t1[$r]=$($MPIRUN -n 1 $GEPSIM simulate $common -ensemble_ts_rtol $r -o bench/out/$name-$r.h5 | per_member)
    files="$files bench/out/$name-$r.h5"
  done
  bench/out/cvode_ensemble $name $RTOL $ATOL $files > bench/out/$name-cvode.txt
  local cv ec eg
  cv=$(awk '/cvode_ms_per_member/{print $2}' bench/out/$name-cvode.txt)
  ec=$(awk '/cvode_max_error/{print $2}' bench/out/$name-cvode.txt)
  for r in $LADDER; do
    e=$(awk -v f=bench/out/$name-$r.h5 '$1 == "gepsim_max_error" && $2 == f {print $3}' bench/out/$name-cvode.txt)
    if awk -v a=$e -v b=$ec 'BEGIN{exit !(a <= b)}'; then best=$r; eg=$e; fi
  done
  [ -n "$best" ] || { best=$(echo $LADDER | cut -d' ' -f1); eg=$(awk '$1 == "gepsim_max_error"{print $3; exit}' bench/out/$name-cvode.txt); }
  # timings at the chosen tolerance: 1 and 2 ranks interleaved, best of 5 each
  # (this VM's speed drifts by 20 %: interleaving exposes both to the same drift)
  local g1 g2 r1="" r2=""
  for i in 1 2 3 4 5; do
    r1="$r1 $($MPIRUN -n 1 $GEPSIM simulate $common -ensemble_ts_rtol $best -o bench/out/$name-t.h5 | per_member)"
    r2="$r2 $($MPIRUN -n 2 $GEPSIM simulate $common -ensemble_ts_rtol $best -o bench/out/$name-t.h5 | per_member)"
  done
  g1=$(echo $r1 | tr ' ' '\n' | sort -g | head -1)
  g2=$(echo $r2 | tr ' ' '\n' | sort -g | head -1)
  echo "$name: 1 rank ms/member:$r1; 2 ranks:$r2" >> bench/out/timings.txt
  echo "| $name | $N | $cv | $ec | $best | $eg | $g1 | $(awk -v a=$g1 -v b=$cv 'BEGIN{printf "%.2f", a/b}') | $g2 | $(awk -v a=$g1 -v b=$g2 'BEGIN{printf "%.2f", a/b}') |" >> $report
  rm -f bench/out/$name-*.h5 bench/out/$name-*.svg
}
run stat5 inputs/models/Boehm_JProteomeRes2014_STAT5.xml STAT5A,STAT5B,pApB,pApA,pBpB,nucpApA,nucpApB,nucpBpB \
  k_phos:lognormal:0.3,k_imp_homo:lognormal:0.3,k_exp_homo:lognormal:0.3,k_exp_hetero:lognormal:0.3,Epo_degradation_BaF3:lognormal:0.3 240
run repressilator inputs/models/Elowitz_Nature2000_repressilator.xml X_protein,Y_protein,Z_protein,GFP,X_mRNA,Y_mRNA,Z_mRNA,GFP_mRNA \
  tau_mRNA:lognormal:0.2,tau_prot:lognormal:0.2,eff:lognormal:0.2,KM:lognormal:0.2 1000
echo "errors: max over members, output times and species of |x - ref| / (|ref| + atol/rtol); ref = CVODE at rtol 1e-12"
cat $report bench/out/timings.txt
