#!/bin/bash
# The SBML Test Suite: "all" (every semantic case) or a list file of case ids.
# usage: GEPSIM=path suite.sh all|LIST [RESULTS_FILE]
here=$(cd "$(dirname "$0")" && pwd)
cases=${SBML_CASES:-$(cd "$here/../.." && pwd)/../shared/data/sbml-test-suite/cases/semantic}
out=$(mktemp -d)
if [ "$1" = all ]; then ids=$(ls "$cases" | grep -E '^[0-9]{5}$'); else ids=$(cat "$1"); fi
results=${2:-$out/results.txt}
echo "$ids" | xargs -P "$(nproc)" -I{} bash "$here/case.sh" "$cases" {} "$out" | sort -k2 > "$results"
grep '^FAIL' "$results" | head -50
echo "skipped, by reason and tags:"
grep '^SKIP' "$results" | sed 's/^SKIP [0-9]*: //' | sed 's/ in .*\[/ [/' | sort | uniq -c | sort -rn | head -40
p=$(grep -c '^PASS' "$results"); f=$(grep -c '^FAIL' "$results"); s=$(grep -c '^SKIP' "$results")
echo "SBML Test Suite: $p passed, $f failed, $s skipped (of $(echo "$ids" | wc -l) cases)"
rm -rf "$out"
