#!/bin/bash
# SIGTERM to a running 2-rank gepsim screen (tests/run.sh), as a job script forwards
# Slurm's --signal=B:TERM@60 to the ranks: the run must end within 10 s with exit
# status 75, leave NAME.part that h5dump reads with some conditions done, and a run
# with -screen_resume must then finish it to the uninterrupted run's table.
# usage: screen_term.sh GEPSIM "MPIRUN" WORKDIR REFERENCE.csv -- SCREEN-ARGS...
gepsim=$1 mpirun=$2 work=$3 ref=$4; shift 5
out=$work/screen-term.h5
rm -f "$out" "$out.part" "$out.part.journal"
$mpirun -n 2 "$gepsim" screen "$@" -o "$out" -screen_csv "$work/screen-term.csv" > "$work/screen-term.log" 2>&1 &
pid=$!
sleep 3
start=$(date +%s%N)
pkill -TERM -P "$pid" # the ranks: mpirun's children
wait "$pid"; rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
echo "exit status $rc after $ms ms"
[ "$rc" = 75 ] || { cat "$work/screen-term.log"; exit 1; }
[ "$ms" -lt 10000 ] || exit 1
[ ! -e "$out" ] || { echo "a stopped screen left $out looking complete"; exit 1; }
grep -q "stopped by SIGTERM" "$work/screen-term.log" || exit 1
h5dump -d /screen/status "$out.part" > "$work/screen-term-status.txt" || exit 1
grep -qE '\b1\b' "$work/screen-term-status.txt" || { echo "no condition done before the signal"; exit 1; }
grep -qE '\b0\b' "$work/screen-term-status.txt" || { echo "every condition done before the signal (make it longer)"; exit 1; }
$mpirun -n 2 "$gepsim" screen "$@" -screen_resume -o "$out" -screen_csv "$work/screen-term.csv" > "$work/screen-term2.log" 2>&1 || exit 1
grep -q "resuming" "$work/screen-term2.log" && cmp "$ref" "$work/screen-term.csv"
