# The test harness of make check and make validate (sourced). Counts checks and
# prints "N passed, N failed[, N skipped]" from summary.
#
#   check NAME CMD...          passes when CMD exits 0; it must assert something
#                              about its output (a comparison, a grep), not only run
#   expect_error NAME RE CMD...  non-zero exit, one stderr line matching RE, no output left
#   produce NAME CMD...        a run whose output later checks assert: its failure is a
#                              failure, its success counts nothing (output in $work/NAME.log)
#   needs PATH... ; ... ; needs_end   checks in between are skipped, each counted,
#                              when a PATH is missing
#
# Every command runs under a timeout (TEST_TIMEOUT seconds, default 900); a timeout
# is a failure, never a pass. Under CI=true a skip is a failure unless a line of
# tests/skips-allowed.txt (an extended regular expression, a tab, the reason)
# matches its name.
TEST_TIMEOUT=${TEST_TIMEOUT:-900}
pass=0 fail=0 skip=0
need_stack=()
allowed_skips=$(dirname "${BASH_SOURCE[0]}")/skips-allowed.txt

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }

skip() { # skip NAME REASON
  if [ "$CI" = true ] && ! skip_allowed "$1"; then
    bad "$1" "skipped under CI=true ($2), and not listed in tests/skips-allowed.txt"
  else
    skip=$((skip + 1)); echo "SKIP $1 ($2)"
  fi
}
skip_allowed() {
  local re reason
  while IFS=$'\t' read -r re reason; do
    case $re in ''|'#'*) continue;; esac
    [[ $1 =~ $re ]] && return 0
  done < "$allowed_skips"
  return 1
}

# timed CMD...: the command under the timeout; exit 124 (or 137 after the kill) when it ran out
timed() { timeout -k 10 "$TEST_TIMEOUT" "$@"; }
timed_out() { [ "$1" = 124 ] || [ "$1" = 137 ]; }

needs() { # needs PATH...: a missing one makes the checks until needs_end skipped
  local p reason=""
  for p in "$@"; do [ -e "$p" ] || { reason="$p not found"; break; }; done
  need_stack+=("$reason")
}
needs_end() { unset 'need_stack[-1]'; }
missing() { # prints the reason the current block is skipped, if any
  local r
  for r in "${need_stack[@]}"; do [ -n "$r" ] && { echo "$r"; return 0; }; done
  return 1
}

check() { # check NAME COMMAND...
  local name=$1 out rc why; shift
  if why=$(missing); then skip "$name" "$why"; return; fi
  out=$(timed "$@" 2>&1); rc=$?
  if [ $rc = 0 ]; then ok
  elif timed_out $rc; then bad "$name" "timed out after $TEST_TIMEOUT s"
  else bad "$name" "$(echo "$out" | tail -3)"; fi
}

produce() { # produce NAME COMMAND...
  local name=$1 rc log; shift
  missing > /dev/null && return
  log="$work/$(echo "$name" | tr -c 'A-Za-z0-9_.-' _).log"
  timed "$@" > "$log" 2>&1; rc=$?
  if [ $rc = 0 ]; then return
  elif timed_out $rc; then bad "$name" "timed out after $TEST_TIMEOUT s"
  else bad "$name" "exit $rc: $(tail -3 "$log")"; fi
}

# expect_error NAME PATTERN COMMAND...: non-zero exit (not a timeout), exactly one stderr
# line matching PATTERN (it names the file and the problem), no output file left.
expect_error() {
  local name=$1 pattern=$2 why rc lines; shift 2
  if why=$(missing); then skip "$name" "$why"; return; fi
  rm -f "$work/out.h5" "$work/out.h5.part" "$work/out.svg"
  # an error ends the process without destroying what it made: leaks are not checked there
  local asan=$ASAN_OPTIONS
  [ "$SANITIZE" = 1 ] && asan="$ASAN_OPTIONS:detect_leaks=0"
  ASAN_OPTIONS=$asan timed "$@" -o "$work/out.h5" > "$work/stdout" 2> "$work/stderr"; rc=$?
  lines=$(grep -c . "$work/stderr")
  if [ $rc -eq 0 ]; then bad "$name" "exit 0"
  elif timed_out $rc; then bad "$name" "timed out after $TEST_TIMEOUT s"
  elif [ "$lines" != 1 ]; then bad "$name" "stderr has $lines lines: $(head -3 "$work/stderr")"
  elif ! grep -qE -- "$pattern" "$work/stderr"; then bad "$name" "stderr '$(cat "$work/stderr")' does not match '$pattern'"
  elif ls "$work"/out.* > /dev/null 2>&1; then bad "$name" "output left behind: $(ls "$work"/out.*)"
  else ok; fi
}

summary() {
  if [ $skip -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
  [ $fail -eq 0 ]
}
