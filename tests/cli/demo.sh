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
