#!/bin/bash
# make bench: gepsim screen's overheads, in one run.
# 1. 10^5 single-member conditions of the STAT5 model (a log sweep of k_phos x
#    k_imp_homo, readout max(pApA) over 4 h) against one 10^5-member ensemble of the
#    same members (gepsim simulate with the same parameters from a TSV, the same output
#    times and output), both on 2 ranks: the ratio screen / ensemble.
# 2. The same screen on 1 and 2 ranks: the speed-up.
# 3. 10^4 tiny conditions (tests/data/screen/chain.yaml): the share of the wall time in
#    scheduling (GepScreenSchedule) and I/O (GepScreenCommit, GepOutput), from -log_view.
# BENCH_SCREEN_SIDE (317) sets the sweep's side: side^2 conditions.
set -e
cd "$(dirname "$0")/.."
GEPSIM=${GEPSIM:-build/release/gepsim}
MPIRUN=${MPIRUN:-mpirun --allow-run-as-root --oversubscribe}
side=${BENCH_SCREEN_SIDE:-317}
N=$((side * side))
out=bench/out/screen
mkdir -p "$out"
model=inputs/models/Boehm_JProteomeRes2014_STAT5.xml
common="-model_file $model -ensemble_ts_rtol 1e-6 -ensemble_ts_atol 1e-8"
# the ensemble's members: the screen's conditions in its order (k_phos slowest)
/usr/bin/python3 - "$side" "$out/members.tsv" << 'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
kp = [15766.8336642826 * 10 ** (-1 + 2 * i / (n - 1)) for i in range(n)]
ki = [96945.5391768823 * 10 ** (-1 + 2 * i / (n - 1)) for i in range(n)]
with open(path, "w") as f:
    f.write("k_phos\tk_imp_homo\n")
    for a in kp:
        for b in ki:
            f.write("%.17g\t%.17g\n" % (a, b))
PY
sweep="k_phos:log:1576.68336642826:157668.336642826:$side,k_imp_homo:log:9694.55391768823:969455.391768823:$side"
seconds() { /usr/bin/time -f %e "$@" 2>&1 > /dev/null | tail -1; }
t_ens=$(seconds $MPIRUN -n 2 "$GEPSIM" simulate $common -model_outputs pApA -ensemble_size $N -ensemble_parameters_file "$out/members.tsv" -ensemble_tfinal 240 -ensemble_steps 100 -ensemble_progress 0 -simulate_plot_members 100 -o "$out/ensemble.h5")
t_scr2=$(seconds $MPIRUN -n 2 "$GEPSIM" screen $common -screen_sweep "$sweep" -screen_readouts 'max(pApA)' -screen_tfinal 240 -screen_steps 100 -screen_progress 0 -o "$out/screen2.h5")
t_scr1=$(seconds $MPIRUN -n 1 "$GEPSIM" screen $common -screen_sweep "$sweep" -screen_readouts 'max(pApA)' -screen_tfinal 240 -screen_steps 100 -screen_progress 0 -o "$out/screen1.h5")
# the two agree: the screen's max(pApA) is the ensemble's trajectories' maximum, to the
# integrator's tolerance (the sweep's and the TSV's parameters differ in the last bits,
# which moves the adaptive steps)
/usr/bin/python3 - "$out/ensemble.h5" "$out/screen2.h5" << 'PY'
import sys, h5py, numpy as np
e = h5py.File(sys.argv[1], "r")["trajectories"][:, :, 0].max(axis=1)
s = h5py.File(sys.argv[2], "r")["screen/readouts"][:, 0]
err = np.max(np.abs(e - s) / np.maximum(np.abs(e), 1e-30))
print("max relative difference between the screen's max(pApA) and the ensemble's: %.2e" % err)
sys.exit(0 if err < 1e-5 else 1)
PY
$MPIRUN -n 2 "$GEPSIM" screen tests/data/screen/chain.yaml -screen_sweep ksyn:lin:1:2:100,kconv:lin:0.3:0.6:100 -screen_genotypes wt -screen_environments ref -o "$out/tiny.h5" -log_view ":$out/tiny-log.txt" > /dev/null
share=$(awk '/^Time \(sec\):/ { total = $3 } /^GepScreen(Schedule|Commit) |^GepOutput / { s += $4 } END { printf "%.2f", 100 * s / total }' "$out/tiny-log.txt")
{
  echo "| measure | value |"
  echo "|---|---|"
  echo "| $N STAT5 conditions, screen on 2 ranks | $t_scr2 s |"
  echo "| the same $N members as one ensemble (simulate), 2 ranks | $t_ens s |"
  echo "| ratio screen / ensemble (at most 1.2) | $(echo "scale=3; $t_scr2 / $t_ens" | bc) |"
  echo "| screen on 1 rank | $t_scr1 s |"
  echo "| speed-up 1 -> 2 ranks (at least 1.8) | $(echo "scale=3; $t_scr1 / $t_scr2" | bc) |"
  echo "| 10^4 tiny conditions: scheduling and I/O share of the wall time (under 2 %) | $share % |"
} | tee "$out/results.md"
