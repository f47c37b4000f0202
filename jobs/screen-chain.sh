#!/bin/bash
# Chained restarts of one screen: K jobs of jobs/screen.slurm, each starting after the
# previous one ends however it ends (--dependency=afterany); each resumes the screen,
# and those after its end find OUT.h5 complete and do nothing. Prints the job ids.
#   jobs/screen-chain.sh K DECK OUT.h5 [sbatch options --] [-option value ...]
#   e.g. jobs/screen-chain.sh 4 inputs/screen-stat5.yaml output/stat5.h5 -n 16 -t 02:00:00 --
set -euo pipefail
k=$1 deck=$2 out=$3; shift 3
sb=()
if [[ " $* " == *" -- "* ]]; then
  while [ "$1" != -- ]; do sb+=("$1"); shift; done
  shift
fi
dep=()
for i in $(seq "$k"); do
  id=$(sbatch --parsable "${dep[@]}" "${sb[@]}" jobs/screen.slurm "$deck" "$out" "$@")
  echo "$id"
  dep=(--dependency=afterany:"$id")
done
