#!/bin/bash
# The SBML Test Suite cases make check runs: every time-course case of the suite
# whose component and test tags (from its NNNNN-model.m) include none of the tags
# in tests/sbml/refused-tags.txt, the features gepsim refuses with "unsupported
# SBML feature". Computed from the suite's own tags, so that a case that starts
# to pass is tested and one that starts to fail is noticed.
# usage: cases.sh CASES_DIR > LIST
cases=$1
here=$(cd "$(dirname "$0")" && pwd)
refused=$(grep -v '^#' "$here/refused-tags.txt" | cut -f1 | grep -v '^$' | paste -sd'|')
for dir in "$cases"/[0-9][0-9][0-9][0-9][0-9]; do
  id=$(basename "$dir")
  awk -v id="$id" -v refused="^($refused)\$" '
    /^testType:/ { type = $2 }
    /^(componentTags|testTags):/ { sub(/^[a-zA-Z]+: */, ""); gsub(/[ \r]/, ""); n = split($0, t, ","); for (i = 1; i <= n; i++) if (t[i] ~ refused) out = 1 }
    END { gsub(/\r/, "", type); if (type == "TimeCourse" && !out) print id }' "$dir/$id-model.m"
done
