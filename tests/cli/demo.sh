#!/bin/bash
# uats demo: the whole flow offline, through every bundled emulator.
. "$(dirname "$0")/common.sh"

expect_exit 0 "$UATS" demo
contains "$work/out" "created candidate"
# A cover letter is added, or the connector says it cannot add files (Workable).
contains "$work/out" "cover letter"
has lever && contains "$work/out" "added cover letter"
has workable && contains "$work/out" "no cover letter: connector workable (Workable) cannot add"
contains "$work/out" '"first_name": "Ada"'
contains "$work/out" '"attachments": ['
# Each built connector is shown (Greenhouse twice: Harvest v3 and v1), and
# each one shown got through create, attach and get: one JSON dump each.
for c in $built; do contains "$work/out" "== $c ("; done
has greenhouse && contains "$work/out" "== greenhouse (Greenhouse, greenhouse-v1)"
shown=$(grep -c '^== ' "$work/out")
[ "$(grep -c '^the candidate as ' "$work/out")" -eq "$shown" ] || fail "not every connector finished"
lacks "$work/err" "uats:"
