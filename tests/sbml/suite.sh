#!/bin/bash
# The SBML Test Suite: "all" (every semantic case) or a file listing case ids.
# Cases run in batches (one gepsim process per core, "gepsim sbml-test CASES
# ID,ID,... OUT max max"), each at the highest SBML level and version it ships,
# and are judged with the suite's criterion. Per-case lines go to RESULTS_FILE.
# usage: GEPSIM=path suite.sh all|LIST [RESULTS_FILE]
here=$(cd "$(dirname "$0")" && pwd)
cases=${SBML_CASES:-$(cd "$here/../.." && pwd)/../shared/data/sbml-test-suite/cases/semantic}
out=$(mktemp -d)
if [ "$1" = all ]; then ids=$(ls "$cases" | grep -E '^[0-9]{5}$'); else ids=$(tr -d '\r' < "$1"); fi
results=${2:-$out/results.txt}
: > "$out/skip.txt"
run=""
for id in $ids; do
  type=$(sed -n 's/^testType: *//p' "$cases/$id/$id-model.m" | head -1 | tr -d ' \r')
  if [ "$type" != TimeCourse ]; then echo "SKIP $id: testType $type [$type]" >> "$out/skip.txt"; else run="$run $id"; fi
done
n=$(nproc); i=0
for id in $run; do echo "$id" >> "$out/chunk.$((i % n))"; i=$((i + 1)); done
for c in "$out"/chunk.*; do
  [ -f "$c" ] && "$GEPSIM" sbml-test "$cases" "$(paste -sd, "$c")" "$out" max max > /dev/null 2>&1 &
done
wait
{ cat "$out/skip.txt"; for id in $run; do bash "$here/judge.sh" "$cases" "$id" "$out"; done; } | sort -k2 > "$results"
if [ -z "$QUIET" ]; then
  grep '^FAIL' "$results" | head -50
  echo "skipped, by reason:"
  grep '^SKIP' "$results" | sed 's/^SKIP [0-9]*: //; s/ in [^[]*\[/ [/; s/ \[.*//' | sort | uniq -c | sort -rn
  echo "skipped, by tag (component and test tags of the skipped cases):"
  grep '^SKIP' "$results" | sed 's/.*\[//; s/\]$//; s/;/,/' | tr ',' '\n' | grep -v '^$' | sort | uniq -c | sort -rn | awk '{printf "  %5d %s\n", $1, $2}' 
  p=$(grep -c '^PASS' "$results"); f=$(grep -c '^FAIL' "$results"); s=$(grep -c '^SKIP' "$results")
  echo "SBML Test Suite: $p passed, $f failed, $s skipped (of $(echo $ids | wc -w) cases)"
fi
rm -rf "$out"
