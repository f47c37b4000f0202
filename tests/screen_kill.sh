#!/bin/bash
# Kill-safety of gepsim screen (tests/run.sh): a 2-rank screen is killed with SIGKILL
# (mpirun and its ranks, as a job's end kills them) at a random time, three times,
# resuming each time with -screen_resume; then it runs to the end. After each kill the
# file NAME.part must be readable by h5dump, its count of done conditions must not go
# down; the final table must equal an uninterrupted run's (CSV, 17 digits; HDF5
# readouts and status) with every condition once.
# usage: screen_kill.sh GEPSIM "MPIRUN" WORKDIR REFERENCE.csv SEED -- SCREEN-ARGS...
gepsim=$1 mpirun=$2 work=$3 ref=$4 seed=$5; shift 6
RANDOM=$seed
out=$work/killed.h5
rm -f "$out" "$out.part" "$out.part.journal" "$work/killed.csv"
done_before=0
for round in 1 2 3; do
  setsid $mpirun -n 2 "$gepsim" screen "$@" -screen_resume -o "$out" -screen_csv "$work/killed.csv" > "$work/kill$round.log" 2>&1 &
  pid=$!
  sleep "$(( 1 + RANDOM % 2 )).$(( RANDOM % 10 ))" # 1 to 3 s: set-up takes about 0.5 s
  kill -KILL -- -"$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  [ -e "$out" ] && { echo "round $round: the screen finished before the kill (make it longer)"; exit 1; }
  # the ranks die with the group; until they have, HDF5's file lock is theirs
  for try in 1 2 3 4 5 6 7 8 9 10; do h5dump -d /screen/status "$out.part" > "$work/status$round.txt" 2>&1 && break; sleep 0.5; done
  [ "$try" -lt 10 ] || { echo "round $round: h5dump cannot read $out.part: $(head -2 "$work/status$round.txt")"; exit 1; }
  done_now=$(grep -oE '\b1\b' "$work/status$round.txt" | wc -l)
  echo "round $round: killed with $done_now conditions done"
  [ "$done_now" -ge "$done_before" ] || { echo "round $round: done conditions went from $done_before to $done_now"; exit 1; }
  done_before=$done_now
done
$mpirun -n 2 "$gepsim" screen "$@" -screen_resume -o "$out" -screen_csv "$work/killed.csv" > "$work/kill-last.log" 2>&1 || { cat "$work/kill-last.log"; exit 1; }
grep -q "resuming $out.part" "$work/kill-last.log" || { echo "the last run did not resume"; exit 1; }
cmp "$ref" "$work/killed.csv" || { echo "the resumed table differs from the uninterrupted one"; exit 1; }
h5diff -d 0 "${ref%.csv}.h5" "$out" /screen/readouts || exit 1
h5diff "${ref%.csv}.h5" "$out" /screen/status || exit 1
[ "$(cut -d, -f1 "$work/killed.csv" | tail -n +2 | sort -n | uniq | wc -l)" = "$(($(wc -l < "$ref") - 1))" ] || { echo "conditions missing or twice"; exit 1; }
[ ! -e "$out.part" ] && [ ! -e "$out.part.journal" ] || { echo "the .part or its journal left behind"; exit 1; }
