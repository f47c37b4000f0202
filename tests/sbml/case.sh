#!/bin/bash
# Run one SBML Test Suite case at the highest level/version it ships and judge it.
# Prints one line: "PASS id", "FAIL id: reason" or "SKIP id: reason [tags]".
# usage: GEPSIM=path case.sh CASES_DIR ID OUT_DIR
cases=$1 id=$2 out=$3
dir=$cases/$id
model=$dir/$id-model.m
type=$(sed -n 's/^testType: *//p' $model | head -1 | tr -d ' \r')
tags=$(sed -n 's/^componentTags: *//p' $model | tr -d ' \r')
ttags=$(sed -n 's/^testTags: *//p' $model | tr -d ' \r')
if [ "$type" != TimeCourse ]; then echo "SKIP $id: testType $type [$type]"; exit 0; fi
best=$(ls $dir/$id-sbml-l*v*.xml 2>/dev/null | sed -n 's/.*-sbml-l\([0-9]\)v\([0-9]\)\.xml/\1 \2/p' | sort -k1,1n -k2,2n | tail -1)
[ -n "$best" ] || { echo "SKIP $id: no SBML file [none]"; exit 0; }
set -- $best
err=$("$GEPSIM" sbml-test "$cases" "$id" "$out" $1 $2 2>&1 >/dev/null)
if [ $? -ne 0 ]; then
  case "$err" in
    *"unsupported SBML feature"*) echo "SKIP $id: ${err#*unsupported SBML feature: } [$tags;$ttags]";;
    *) echo "FAIL $id: $(echo "$err" | head -1)";;
  esac
  exit 0
fi
atol=$(sed -n 's/^absolute: *//p' $dir/$id-settings.txt | tr -d ' \r')
rtol=$(sed -n 's/^relative: *//p' $dir/$id-settings.txt | tr -d ' \r')
if msg=$(awk -F, -v atol="${atol:-0}" -v rtol="${rtol:-0}" -f "$(dirname "$0")/compare.awk" $dir/$id-results.csv $out/$id.csv); then
  echo "PASS $id"
else
  echo "FAIL $id: $msg"
fi
