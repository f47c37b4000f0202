#!/bin/bash
# Judge one case from a batch run's OUT_DIR: prints PASS/FAIL/SKIP like case.sh.
# usage: judge.sh CASES_DIR ID OUT_DIR
cases=$1 id=$2 out=$3
dir=$cases/$id
tags=$(sed -n 's/^componentTags: *//p' $dir/$id-model.m | tr -d ' \r')
ttags=$(sed -n 's/^testTags: *//p' $dir/$id-model.m | tr -d ' \r')
if [ -f "$out/$id.err" ]; then
  err=$(head -1 "$out/$id.err" | sed "s/^gepsim: error: //")
  case "$err" in
    *"unsupported SBML feature"*) echo "SKIP $id: ${err#*unsupported SBML feature: } [$tags;$ttags]";;
    *) echo "FAIL $id: $err";;
  esac
  exit 0
fi
[ -f "$out/$id.csv" ] || { echo "FAIL $id: no output (crash?)"; exit 0; }
atol=$(sed -n 's/^absolute: *//p' $dir/$id-settings.txt | tr -d ' \r')
rtol=$(sed -n 's/^relative: *//p' $dir/$id-settings.txt | tr -d ' \r')
if msg=$(awk -F, -v atol="${atol:-0}" -v rtol="${rtol:-0}" -f "$(dirname "$0")/compare.awk" $dir/$id-results.csv $out/$id.csv); then
  echo "PASS $id"
else
  echo "FAIL $id: $msg"
fi
