#!/bin/bash
# uats demo: the whole flow offline, through every bundled emulator.
. "$(dirname "$0")/common.sh"

expect_exit 0 "$UATS" demo
contains "$work/out" "created candidate"
contains "$work/out" "added cover letter"
contains "$work/out" '"first_name": "Ada"'
contains "$work/out" '"attachments": ['
shown=0
has lever && { contains "$work/out" "== lever (Lever)"; shown=$((shown + 1)); }
has memory && { contains "$work/out" "== memory (In-memory ATS)"; shown=$((shown + 1)); }
if has greenhouse; then
    contains "$work/out" "== greenhouse (Greenhouse)"
    contains "$work/out" "== greenhouse (Greenhouse, greenhouse-v1)"
    shown=$((shown + 2))
fi
# Every connector got through create, attach and get: one JSON dump each.
[ "$(grep -c '^the candidate as ' "$work/out")" -eq $shown ] || fail "not every connector finished"
lacks "$work/err" "uats:"
