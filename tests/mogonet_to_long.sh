#!/bin/sh
# MOGONET's layout (DIR/V_tr.csv, V_te.csv, V_featname.csv for V = 1, 2, ...) as one long table (sample,
# feature, view, group, value) with groups train and test, for gepsim import: the same data as one GepOmics
# HDF5 file. Usage: tests/mogonet_to_long.sh DIR NAME1,NAME2,... > long.csv
set -e
dir=$1
echo "sample,feature,view,group,value"
v=0
for name in $(echo "$2" | tr , ' '); do
  v=$((v + 1))
  for s in tr te; do
    group=$([ $s = tr ] && echo train || echo test)
    awk -F, -v view="$name" -v group=$group -v pre=$s 'NR == FNR { f[FNR] = $1; next }
      { for (j = 1; j <= NF; j++) print pre FNR "," f[j] "," view "," group "," $j }' "$dir/${v}_featname.csv" "$dir/${v}_$s.csv"
  done
done
