#!/bin/bash
# uats candidate import: resumable, parallel, never twice, even after kill -9.
. "$(dirname "$0")/common.sh"
need lever
start_sandbox --rate-limit

n=60
for i in $(seq $n); do
    echo "{\"first_name\": \"P$i\", \"email_addresses\": [{\"value\": \"p$i@example.com\"}]}"
done >"$work/people.jsonl"

# Kill the import mid-run (the sandbox's rate limit keeps it busy ~5 s).
"$UATS" --config "$CONNS" --connection sandbox candidate import "$work/people.jsonl" \
    >"$work/first" 2>&1 &
pid=$!
sleep 1.5
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
first_created=$(grep -c ': created:' "$work/first")
[ "$first_created" -gt 0 ] && [ "$first_created" -lt $n ] ||
    fail "the kill did not land mid-run ($first_created created)"

# While one import runs, a second one on the same file is refused.
"$UATS" --config "$CONNS" --connection sandbox candidate import "$work/people.jsonl" \
    >/dev/null 2>&1 &
busy=$!
sleep 0.3
expect_exit 3 u candidate import "$work/people.jsonl"
contains "$work/err" "in use by another import"
kill -9 $busy 2>/dev/null
wait $busy 2>/dev/null

# Resume with parallel workers. A line the killed run had sent without
# learning the outcome is left alone (reported, exit 13): it may exist.
u candidate import -j 4 "$work/people.jsonl" >"$work/out" 2>"$work/err"
status=$?
[ $status -eq 0 ] || [ $status -eq 13 ] || fail "resume exited $status"
contains "$work/out" "created in an earlier run"
created=$(grep -c '^C ' "$work/people.jsonl.state")
unknown=$(grep -c ': unknown:' "$work/out")
[ $((created + unknown)) -eq $n ] || fail "$created created + $unknown unknown != $n"
[ "$unknown" -le 2 ] || fail "$unknown lines of unknown outcome from two kills"

# The vendor holds one opportunity per created line (plus the unknown one,
# if its request arrived): nothing was created twice. The request log also
# has the POSTs the rate-limited vendor refused with 429, which were retried.
o=$(opportunities)
[ "$o" -ge "$created" ] && [ "$o" -le $((created + unknown)) ] ||
    fail "the vendor holds $o opportunities for $created created lines"
p=$(posts)

# A third run creates nothing and sends nothing.
u candidate import "$work/people.jsonl" >"$work/out" 2>"$work/err"
contains "$work/out" "created 0, failed 0"
[ "$(posts)" -eq "$p" ] || fail "a rerun sent creates again"
[ "$(opportunities)" -eq "$o" ] || fail "a rerun created again"

# Bad lines: reported with their line numbers, the rest still created.
cat >"$work/mixed.jsonl" <<'JSON'
{"first_name": "Good", "attachment_files": ["cv.txt"]}
not json at all
{"first_name": "Unknown field", "shoe_size": 44}
{"first_name": "Missing file", "attachment_files": ["nope.pdf"]}

{"first_name": "Good"}
{"first_name": "Good", "attachment_files": ["cv.txt"]}
JSON
echo "resume" >"$work/cv.txt"
expect_exit 13 u candidate import "$work/mixed.jsonl"
contains "$work/out" "line 1: created"
contains "$work/out" "line 2: failed: not a JSON object"
contains "$work/out" "line 3: failed: shoe_size: unknown field"
contains "$work/out" "line 4: failed:"
contains "$work/out" "nope.pdf"
contains "$work/out" "line 5: created"
contains "$work/out" "line 6: skipped: same as line 1"
contains "$work/out" "created 2, failed 3, skipped 1"
expect_exit 3 u candidate import "$work/nothing.jsonl"
echo "garbage" >"$work/x.jsonl.state"
echo '{"first_name": "X"}' >"$work/x.jsonl"
expect_exit 3 u candidate import "$work/x.jsonl"
contains "$work/err" "not a uats import state file"
