#!/bin/bash
# The PBS scripts of jobs/ run as PBS runs them: bash in a fresh shell with the job's environment
# (PBS_O_WORKDIR, PBS_ARRAY_INDEX for a subjob, the -v variables), with no PBS server (none is
# packaged for Debian 12). What this checks is the scripts' own logic; the #PBS directives and
# qsub's dependencies are not exercised. Each compares the final table (CSV) with an uninterrupted
# run's. Modes:
#   single  jobs/screen.pbs (mpirun on 2 ranks; make check runs array and term, which cover it)
#   array   jobs/screen-array.pbs as subjobs 0, 1, 2 of 3, then the merge command of its header
#   term    jobs/screen.pbs sent SIGTERM mid-run: exit 75 and OUT.h5.part; run again, it resumes
# usage: pbs_jobs.sh MODE GEPSIM WORKDIR REFERENCE.csv -- DECK [-option value ...]
mode=$1 gepsim=$2 work=$3 ref=$4; shift 5
deck=$1; shift
out=$work/pbs-$mode.h5 csv=$work/pbs-$mode.csv
rm -f "$out" "$out.part" "$out.part.journal" "$csv" "${out%.h5}".slice*.h5
# what mpirun needs here (root, 2 cores); a PBS installation would have its own launcher settings
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
job() { env PBS_O_WORKDIR="$PWD" GEPSIM="$gepsim" DECK="$deck" OUT="$out" "$@"; }
same() {
  cmp "$ref" "$csv" || { echo "the job's table differs from the uninterrupted one"; return 1; }
  [ ! -e "$out.part" ] || { echo "$out.part left behind"; return 1; }
}

case $mode in
single)
  job OPTS="$* -screen_csv $csv" bash jobs/screen.pbs > "$work/pbs-single.log" 2>&1 || { cat "$work/pbs-single.log"; exit 1; }
  same ;;
array)
  for i in 0 1 2; do
    job N=3 PBS_ARRAY_INDEX=$i OPTS="$*" bash jobs/screen-array.pbs > "$work/pbs-array-$i.log" 2>&1 \
      || { echo "subjob $i failed"; cat "$work/pbs-array-$i.log"; exit 1; }
  done
  "$gepsim" screen-merge "$deck" "$@" -o "$out" -screen_csv "$csv" \
    -screen_merge "${out%.h5}.slice0.h5,${out%.h5}.slice1.h5,${out%.h5}.slice2.h5" > "$work/pbs-merge.log" 2>&1 \
    || { cat "$work/pbs-merge.log"; exit 1; }
  same ;;
term)
  # env execs bash: the signal reaches the script's own shell, as PBS sends it (not a subshell's)
  env PBS_O_WORKDIR="$PWD" GEPSIM="$gepsim" DECK="$deck" OUT="$out" OPTS="$* -screen_csv $csv" \
    bash jobs/screen.pbs > "$work/pbs-term.log" 2>&1 &
  pid=$!
  for _ in $(seq 480); do [ -e "$out.part.journal" ] && [ "$(grep -c '^[0-9]' "$out.part.journal")" -ge 3 ] && break; sleep 0.25; done
  kill -TERM "$pid"
  wait "$pid"; code=$?
  [ "$code" = 75 ] || { echo "the job ended with $code, not 75"; cat "$work/pbs-term.log"; exit 1; }
  [ -e "$out.part" ] && [ ! -e "$out" ] || { echo "no $out.part after the signal"; exit 1; }
  job OPTS="$* -screen_csv $csv" bash jobs/screen.pbs > "$work/pbs-term-2.log" 2>&1 || { cat "$work/pbs-term-2.log"; exit 1; }
  grep -q "resuming" "$work/pbs-term-2.log" || { echo "the second run did not resume"; exit 1; }
  same ;;
esac
