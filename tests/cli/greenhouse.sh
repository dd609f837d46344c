#!/bin/bash
# uats against the sandbox's Greenhouse (Harvest v3): the token flow is
# invisible; a file goes on the application the caller names, and a foreign
# one is refused.
. "$(dirname "$0")/common.sh"
need greenhouse
start_sandbox
printf 'Ada Lovelace\nAnalyst\n' >"$work/cv.txt"
{ echo '{"gh": '; cat "$work/greenhouse.json"; echo '}'; } >"$work/gh.json"
g() { "$UATS" --config "$work/gh.json" --connection gh "$@"; }
expect_exit 0 g candidate create --set first_name=Ada --set last_name=Lovelace \
    --set application.job_id="$(cat "$work/greenhouse.job")"
ghid=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$work/out")
app=$(sed -n '/"applications": \[/{n;s/^ *"\([0-9]*\)".*/\1/p}' "$work/out")
[ -n "$ghid" ] && [ -n "$app" ] || fail "no candidate or application id from Greenhouse"
expect_exit 0 g attachment add "$ghid" "$work/cv.txt" --type resume --application "$app"
contains "$work/out" "\"application_id\": \"$app\""
contains "$work/out" '"type": "RESUME"'
expect_exit 3 g attachment add "$ghid" "$work/cv.txt" --application 1
contains "$work/err" "has no application 1"
expect_exit 0 g candidate get "$ghid"
contains "$work/out" '"attachments": ['
