#!/bin/bash
# uats candidate create/get and attachment add against the sandbox.
. "$(dirname "$0")/common.sh"
need lever
start_sandbox

cat >"$work/ada.json" <<'JSON'
{"first_name": "Ada", "last_name": "Lovelace", "company": "Engines Ltd",
 "email_addresses": [{"value": "ada@example.com", "type": "WORK"}],
 "application": {"job_id": "post-1", "source": "lead"}}
JSON
expect_exit 0 u candidate create "$work/ada.json"
contains "$work/out" '"first_name": "Ada"'
contains "$work/err" "warning: email_addresses[0].type"
lacks "$work/out" "remote_data"
id=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$work/out")
[ -n "$id" ] || fail "no id in the output"

# stdin, --set, and the warnings envelope.
expect_exit 0 u candidate create - --set last_name=Hopper --set tags=navy --json-warnings <<'JSON'
{"first_name": "Grace", "gender": "female"}
JSON
contains "$work/out" '"candidate": {'
contains "$work/out" '"field": "gender"'
contains "$work/out" '"navy"'
expect_exit 0 u candidate create --set first_name=Bo \
    --set 'urls={"value": "https://github.com/bo", "type": "GITHUB"}' --set is_private=false
contains "$work/out" '"GITHUB"'

expect_exit 0 u candidate get "$id"
contains "$work/out" '"last_name": "Lovelace"'
lacks "$work/out" '"remote_data"'
expect_exit 0 u candidate get "$id" --raw
contains "$work/out" '"remote_data"'
contains "$work/out" '"origin": "sourced"'

printf 'Ada Lovelace\nAnalyst\n' >"$work/cv.txt"
expect_exit 0 u attachment add "$id" "$work/cv.txt" --type other
contains "$work/out" '"file_name": "cv.txt"'
contains "$work/out" '"content_type": "text/plain"'
contains "$work/out" '"size": 21'
expect_exit 0 u attachment add "$id" "$work/cv.txt" --type resume --content-type application/x-cv
contains "$work/err" "warning: type"
contains "$work/out" '"content_type": "application/x-cv"'
expect_exit 0 u candidate get "$id"
[ "$(grep -c '"[0-9a-f]\{8\}-0000-4000-8000-[0-9a-f]\{12\}"' "$work/out")" -ge 3 ] ||
    fail "attachments not listed after adding two"

# Errors: right exit codes, messages on stderr only.
expect_exit 4 u candidate get no-such-id
contains "$work/err" "Opportunity not found"
[ -s "$work/out" ] && fail "an error printed to stdout"
echo '{"first_name": "Ada", "frist_name": "x"}' >"$work/bad.json"
expect_exit 3 u candidate create "$work/bad.json"
contains "$work/err" "frist_name: unknown field"
echo '{"first_name": "Ada",' >"$work/broken.json"
expect_exit 3 u candidate create "$work/broken.json"
contains "$work/err" "malformed JSON at line"
expect_exit 3 u candidate create "$work/missing.json"
contains "$work/err" "No such file"
expect_exit 3 u candidate create --set frist_name=x
contains "$work/err" "not a field of a candidate"
expect_exit 3 u attachment add "$id" "$work/missing.pdf"
expect_exit 2 u attachment add "$id" "$work/cv.txt" --type selfie
expect_exit 2 u candidate get
# Lever writes need perform_as: without the option the create is refused
# before any request.
before=$(posts)
expect_exit 12 "$UATS" --connector lever --base-url "$LEVER_URL" --api-key-env NOPE candidate get x
contains "$work/err" "NOPE is not set"
export SANDBOX_KEY=sandbox-api-key
expect_exit 12 "$UATS" --connector lever --base-url "$LEVER_URL" --api-key-env SANDBOX_KEY \
    candidate create --set first_name=X
contains "$work/err" "perform_as"
[ "$(posts)" -eq "$before" ] || fail "a create without perform_as reached Lever"
expect_exit 0 "$UATS" --connector lever --base-url "$LEVER_URL" --api-key-env SANDBOX_KEY \
    --opt perform_as=u-7 candidate create --set first_name=X
# Wrong key: auth exit code, and the key never printed, even with -vv.
export WRONG_KEY=wrong-key-5ecret
expect_exit 5 "$UATS" -vv --connector lever --base-url "$LEVER_URL" --api-key-env WRONG_KEY \
    candidate get x
lacks "$work/err" "wrong-key-5ecret"
contains "$work/err" "[REDACTED]"
# https only, except to this machine.
expect_exit 12 "$UATS" --connector lever --base-url http://ats.example.com/v1 candidate get x
contains "$work/err" "plain http is only allowed"

