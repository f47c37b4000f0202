# Compare a simulated CSV with the suite's expected CSV using the suite's criterion:
# |expected - simulated| <= absolute + relative * |expected| at every point, the
# time column included. A field that is empty or not a number fails; NaN and
# +-Inf pass only where the expected file has the same.
# usage: awk -F, -v atol=A -v rtol=R -f compare.awk expected.csv simulated.csv
function num(s) {
  s = tolower(s); gsub(/[ \r]/, "", s)
  if (s == "inf" || s == "+inf" || s == "infinity") return "inf"
  if (s == "-inf" || s == "-infinity") return "-inf"
  if (s == "nan" || s == "-nan") return "nan"
  if (s ~ /^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)(e[+-]?[0-9]+)?$/) return s + 0
  return "bad"
}
function report(v, r, e, s) { bad++; if (bad == 1) printf "%s row %d: expected %s, got '%s'\n", v, r, e, s }
FNR == 1 { file++; for (i = 1; i <= NF; i++) { gsub(/[ \r]/, "", $i); name[file, i] = $i; col[file, $i] = i } ncol[file] = NF; next }
file == 1 { rows1++; exp1[rows1] = $1; for (i = 1; i <= NF; i++) { gsub(/\r/, "", $i); exp_[rows1, name[1, i]] = $i } next }
file == 2 { rows2++; sim1[rows2] = $1; for (i = 1; i <= NF; i++) sim[rows2, name[2, i]] = $i }
END {
  if (rows1 != rows2) { printf "rows: expected %d, simulated %d\n", rows1, rows2; exit 1 }
  bad = 0
  for (i = 1; i <= ncol[1]; i++) {
    v = name[1, i]
    if (i > 1 && !((2, v) in col)) { printf "missing column %s\n", v; exit 1 }
    for (r = 1; r <= rows1; r++) {
      # the first column is time, by position: a variable may be named "time" or "Time" too
      if (i == 1) { e = num(exp1[r]); s = num(sim1[r]) } else { e = num(exp_[r, v]); s = num(sim[r, v]) }
      ev = i == 1 ? exp1[r] : exp_[r, v]; sv = i == 1 ? sim1[r] : sim[r, v]
      if (e == "bad") { printf "expected file: %s row %d: '%s' is not a number\n", v, r, ev; exit 1 }
      if (s == "bad") { report(v, r, ev, sv); continue }
      if (e == "nan" || e == "inf" || e == "-inf" || s == "nan" || s == "inf" || s == "-inf") { if (e "" != s "") report(v, r, ev, sv); continue }
      d = e - s; if (d < 0) d = -d; ae = e < 0 ? -e : e
      if (d > atol + rtol * ae) report(v, r, ev, sv)
    }
  }
  exit bad > 0
}
