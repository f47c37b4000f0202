#!/bin/bash
# Run one SBML Test Suite case through the Test Runner's wrapper convention
# (gepsim sbml-test CASES_DIR ID OUT_DIR LEVEL VERSION), at the highest level
# and version it ships, and judge it. Prints "PASS id", "FAIL id: reason" or
# "SKIP id: reason [tags]".
# usage: GEPSIM=path case.sh CASES_DIR ID OUT_DIR
cases=$1 id=$2 out=$3
dir=$cases/$id
type=$(sed -n 's/^testType: *//p' $dir/$id-model.m | head -1 | tr -d ' \r')
if [ "$type" != TimeCourse ]; then echo "SKIP $id: testType $type [$type]"; exit 0; fi
best=$(ls $dir/$id-sbml-l*v*.xml 2>/dev/null | sed -n 's/.*-sbml-l\([0-9]\)v\([0-9]\)\.xml/\1 \2/p' | sort -k1,1n -k2,2n | tail -1)
[ -n "$best" ] || { echo "SKIP $id: no SBML file [none]"; exit 0; }
set -- $best
rm -f "$out/$id.csv" "$out/$id.err"
"$GEPSIM" sbml-test "$cases" "$id" "$out" $1 $2 > /dev/null 2> "$out/$id.stderr" || head -1 "$out/$id.stderr" > "$out/$id.err"
rm -f "$out/$id.stderr"
bash "$(dirname "$0")/judge.sh" "$cases" "$id" "$out"
