#!/bin/bash
# The batch scripts of jobs/ under the private Slurm of scripts/slurm-local.sh (SLURM_CONF
# set): each submits a screen with sbatch and compares the final table (CSV) with an
# uninterrupted run's. Modes:
#   single  jobs/screen.slurm on 2 tasks
#   array   jobs/screen-array.sh: an array of 3 slices, then the merge job after them
#   term    jobs/screen.slurm cancelled with scancel --batch --signal=TERM mid-run: the job
#           ends with exit code 75 and OUT.h5.part; requeued (scontrol requeue), it resumes
#           and finishes
# usage: slurm_jobs.sh MODE GEPSIM WORKDIR REFERENCE.csv -- DECK [-option value ...]
mode=$1 gepsim=$2 work=$3 ref=$4; shift 5
export GEPSIM=$gepsim OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
deck=$1; shift
out=$work/slurm-$mode.h5 csv=$work/slurm-$mode.csv
rm -f "$out" "$out.part" "$out.part.journal" "$csv"

finished() { ! squeue -h -j "$1" 2> /dev/null | grep -q .; }
await() { # JOBID [SECONDS]: until it has left the queue (long enough for a sanitizer build on a busy machine)
  for _ in $(seq $((${2:-600} * 2))); do finished "$1" && return 0; sleep 0.5; done
  echo "job $1 still queued or running: $(squeue -h -j "$1")"; scancel "$1"; return 1
}
state() { scontrol show job "$1" | grep -oE "$2=[^ ]+" | head -1 | cut -d= -f2; }
same() {
  cmp "$ref" "$csv" || { echo "the job's table differs from the uninterrupted one"; return 1; }
  [ ! -e "$out.part" ] || { echo "$out.part left behind"; return 1; }
}

case $mode in
single)
  id=$(sbatch --parsable -n 2 -t 10 --chdir="$PWD" -o "$work/slurm-single-%j.log" jobs/screen.slurm "$deck" "$out" "$@" -screen_csv "$csv") || exit 1
  await "$id" || exit 1
  [ "$(state "$id" JobState)" = COMPLETED ] || { echo "job $id: $(state "$id" JobState) $(state "$id" ExitCode)"; cat "$work"/slurm-single-*.log; exit 1; }
  same ;;
array)
  ids=$(bash jobs/screen-array.sh 3 "$deck" "$out" -n 2 -t 10 --chdir="$PWD" -o "$work/slurm-array-%A_%a.log" -- "$@" -screen_csv "$csv") || exit 1
  merge=$(echo "$ids" | tail -1)
  await "$merge" || exit 1
  [ "$(state "$merge" JobState)" = COMPLETED ] || { echo "merge job $merge: $(state "$merge" JobState)"; cat "$work"/slurm-array-*.log; exit 1; }
  for i in 0 1 2; do [ -e "${out%.h5}.slice$i.h5" ] || { echo "slice $i missing"; exit 1; }; done
  same ;;
term)
  id=$(sbatch --parsable -n 2 -t 10 --chdir="$PWD" -o "$work/slurm-term-%j.log" jobs/screen.slurm "$deck" "$out" "$@" -screen_csv "$csv") || exit 1
  for _ in $(seq 480); do [ -e "$out.part.journal" ] && [ "$(grep -c '^[0-9]' "$out.part.journal")" -ge 3 ] && break; sleep 0.25; done
  scancel --batch --signal=TERM "$id"
  await "$id" 120 || exit 1
  code=$(state "$id" ExitCode)
  [ "$code" = 75:0 ] || { echo "job $id ended with $code ($(state "$id" JobState)), not 75"; cat "$work"/slurm-term-*.log; exit 1; }
  [ -e "$out.part" ] && [ ! -e "$out" ] || { echo "no $out.part after the signal"; exit 1; }
  h5dump -d /screen/status "$out.part" > /dev/null || exit 1
  scontrol requeue "$id" || exit 1
  scontrol update jobid="$id" StartTime=now # a requeued job waits a while to begin, by default
  await "$id" || exit 1
  [ "$(state "$id" JobState)" = COMPLETED ] && [ "$(state "$id" Restarts)" = 1 ] || { echo "requeued job $id: $(state "$id" JobState), $(state "$id" Restarts) restarts"; cat "$work"/slurm-term-*.log; exit 1; }
  grep -q "resuming" "$work"/slurm-term-*.log || { echo "the requeued job did not resume"; exit 1; }
  same ;;
esac
