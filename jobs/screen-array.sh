#!/bin/bash
# One screen as a job array of N slices and a merge job after them; prints both job ids.
#   jobs/screen-array.sh N DECK OUT.h5 [sbatch options --] [-option value ...]
#   e.g. jobs/screen-array.sh 8 inputs/screen-stat5.yaml output/stat5.h5 -n 4 -- -screen_csv output/stat5.csv
# (-screen_csv goes to the merge only)
set -euo pipefail
n=$1 deck=$2 out=$3; shift 3
sb=()
if [[ " $* " == *" -- "* ]]; then
  while [ "$1" != -- ]; do sb+=("$1"); shift; done
  shift
fi
opts=() merge=()
while [ $# -gt 0 ]; do
  if [ "$1" = -screen_csv ]; then merge+=("$1" "$2"); shift 2; else opts+=("$1"); shift; fi
done
array=$(sbatch --parsable --array=0-$((n - 1)) "${sb[@]}" jobs/screen-array.slurm "$deck" "$out" "${opts[@]}")
echo "$array"
# the merge job takes the same sbatch options (its own --dependency first)
sbatch --parsable --dependency=afterok:"$array" "${sb[@]}" jobs/screen-merge.slurm "$n" "$deck" "$out" "${opts[@]}" "${merge[@]}"
