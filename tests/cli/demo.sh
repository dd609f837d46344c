#!/bin/bash
# uats demo: the whole flow offline, through every bundled emulator.
. "$(dirname "$0")/common.sh"

expect_exit 0 "$UATS" demo
contains "$work/out" "== lever (Lever)"
contains "$work/out" "created candidate"
contains "$work/out" "added cover letter"
contains "$work/out" '"first_name": "Ada"'
contains "$work/out" '"attachments": ['
contains "$work/out" "== memory (In-memory ATS)"
contains "$work/out" "== greenhouse (Greenhouse)"
contains "$work/out" "== greenhouse (Greenhouse, greenhouse-v1)"
# Every connector got through create, attach and get: one JSON dump each.
[ "$(grep -c '^the candidate as ' "$work/out")" -eq 4 ] || fail "not every connector finished"
