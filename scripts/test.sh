#!/usr/bin/env bash
# Install what is missing, build, and run the unit tests. On failure the
# failing tests' logs are printed. The last line is "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh || exit 1
scripts/build.sh || exit 1

make -j"$(nproc)" check >/dev/null 2>&1
status=$?

log=tests/test-suite.log
if [ ! -f "$log" ]; then
  echo "tests did not run: see the output of 'make check'" >&2
  make check
  echo "0 passed, 1 failed"
  exit 1
fi
count() { sed -n "s/^# $1: *\([0-9]*\)\$/\1/p" "$log" | head -n 1; }
pass=$(count PASS); fail=$(count FAIL); error=$(count ERROR); xpass=$(count XPASS)
failed=$(( ${fail:-0} + ${error:-0} + ${xpass:-0} ))

# What each suite checked, for a reader of CI output.
for f in tests/check_*.log; do
  printf '%-22s %s\n' "$(basename "$f" .log)" "$(grep -m1 'Checks:' "$f" || echo '(no summary)')"
done
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ]; then
  echo "---- logs of failing tests ----"
  for t in $(grep -l -E '^(FAIL|ERROR|XPASS)' tests/*.trs 2>/dev/null); do
    echo "== ${t%.trs}.log"
    cat "${t%.trs}.log"
  done
  [ "$failed" -ne 0 ] || failed=1
fi
echo "${pass:-0} passed, ${failed} failed"
[ "$failed" -eq 0 ]
