#!/usr/bin/env bash
# uatsd's Truto-shaped routes end to end: gateway -> Lever connector ->
# Lever emulator, on each store. Create (query job_id and
# application_source, files by URL, job form answers, remote_data passed to
# the vendor), get in the unified and raw formats, Truto's error shape, bad
# requests creating nothing, the connection token kept out of the logs.
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
start_sandbox
JOB=$(cat "$work/lever.job")

has_warning() {
    jq -e --arg f "$1" 'any(.warnings[]?; .field == $f)' "$work/body" >/dev/null \
        || { cat "$work/body"; echo; fail "no warning on $1"; }
}

# expect_error STATUS REASON: Truto's error body, with our code.
expect_error() {
    expect_status "$1"
    expect_json .statusCode "$1"
    expect_json .error "$2"
    expect_json '.message | type' string
    expect_json '.code | type' string
}

suite() {
    local key token
    key=$(new_key) || fail "uatsd --init"
    token=$(add_conn truto "$work/lever.json") || fail "uats store add"
    start_uatsd
    local auth=(-H "Authorization: Bearer $key")
    local base="$GW/unified/ats/candidates"
    local acct="integrated_account_id=$token"

    # Create: Truto's body, job and source in the query as documented.
    local before
    before=$(opportunities)
    req POST "$base?$acct&job_id=$JOB&application_source=applicant" "${auth[@]}" -d @- <<'JSON'
{"first_name": "Grace", "last_name": "Hopper", "title": "Rear Admiral", "company": "US Navy",
 "locations": ["Arlington"],
 "phones": [{"number": "+1 555 0100", "type": "mobile"}],
 "emails": [{"email": "grace@example.com", "type": "work"}],
 "links": ["https://github.com/grace", {"url": "https://grace.example.com", "type": "website"}],
 "tags": ["cobol"],
 "attachments": [{"id": "a1", "file_name": "cv.pdf", "url": "https://files.example.com/cv.pdf",
                  "file_url": "https://elsewhere.example.com/cv.pdf", "type": "resume"}],
 "job_form_field_answers": [{"name": "visa", "value": "no", "group_id": "g1"}],
 "remote_data": {"sources": ["truto-test"]},
 "nickname": "Amazing Grace"}
JSON
    expect_status 201
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "one create, one opportunity"
    expect_json .first_name Grace
    expect_json .name "Grace Hopper"
    expect_json .title "Rear Admiral"
    expect_json .company "US Navy"
    expect_json '.locations[0]' Arlington
    expect_json '.phones[0].number' "+1 555 0100"
    expect_json '.phones[0].type' mobile
    expect_json '.emails[0].email' grace@example.com
    expect_json '.urls[0].url' https://github.com/grace
    expect_json '.urls[0].type' github
    expect_json '.tags[0]' cobol
    expect_json '.applications | length' 1
    expect_json '.applications[0].id | type' string
    expect_json '.remote_data | type' object
    # remote_data went to Lever as is.
    expect_json '.remote_data.sources[0]' truto-test
    local id
    id=$(jbody .id)
    [ -n "$id" ] && [ "$id" != null ] || fail "no id"
    has_warning nickname
    has_warning 'attachments[0].id'
    has_warning 'attachments[0].file_url'
    has_warning 'attachments[0]'          # Lever takes contents, not URLs
    has_warning job_form_field_answers    # Lever keeps no form answers
    has_warning 'emails[0].type'

    # Get: remote_data unless truto_ignore_remote_data; the raw format.
    req GET "$base/$id?$acct" "${auth[@]}"
    expect_status 200
    expect_json .id "$id"
    expect_json .last_name Hopper
    expect_json '.remote_data.id' "$id"
    expect_json .warnings null
    req GET "$base/$id?$acct&truto_ignore_remote_data=true" "${auth[@]}"
    expect_status 200
    expect_json 'has("remote_data")' false
    req GET "$base/$id?$acct&truto_response_format=raw" "${auth[@]}"
    expect_status 200
    expect_json .id "$id"
    expect_json .name "Grace Hopper"
    req GET "$base/$id?$acct&truto_response_format=stream" "${auth[@]}"
    expect_error 400 "Bad Request"

    # Errors in Truto's shape; the vendor's refusals marked remote.
    req GET "$base/no-such-id?$acct" "${auth[@]}"
    expect_error 404 "Not Found"
    expect_json .code NOT_FOUND
    expect_json .truto_is_remote_error true
    expect_json '.raw_response | type' string
    before=$(opportunities)
    req POST "$base?$acct" "${auth[@]}" -d '{"first_name": "A",'
    expect_error 400 "Bad Request"
    expect_json .code MALFORMED_JSON
    expect_json 'has("truto_is_remote_error")' false
    req POST "$base?$acct" "${auth[@]}" -d '"x"'
    expect_error 400 "Bad Request"
    # Fields named as Truto names them.
    req POST "$base?$acct&job_id=$JOB&application_source=referral" "${auth[@]}" \
        -d '{"first_name": "A"}'
    expect_error 400 "Bad Request"
    expect_json '.message | startswith("application_source:")' true
    req POST "$base?$acct" "${auth[@]}" -d '{"first_name": "A", "emails": [{"email": 5}]}'
    expect_error 400 "Bad Request"
    expect_json '.message | startswith("emails[0].email:")' true
    req POST "$base?$acct&job_id=$JOB" "${auth[@]}" -d '{"first_name": "A", "job_id": "other"}'
    expect_error 400 "Bad Request"
    req POST "$base?$acct" "${auth[@]}" -d '{"first_name": "A", "attachments": [{"file_name": "x"}]}'
    expect_error 400 "Bad Request"
    # Tokens and keys.
    req POST "$base?integrated_account_id=not-a-token" "${auth[@]}" -d '{"first_name": "A"}'
    expect_error 401 Unauthorized
    expect_json .code UNKNOWN_CONNECTION
    req POST "$base" "${auth[@]}" -d '{"first_name": "A"}'
    expect_error 400 "Bad Request"
    expect_json .code MISSING_CONNECTION_TOKEN
    req GET "$base/$id" "${auth[@]}"
    expect_error 400 "Bad Request"
    req POST "$base?$acct" -H "Authorization: Bearer ${key}x" -d '{"first_name": "A"}'
    expect_error 401 Unauthorized
    req GET "$base/$id?$acct"
    expect_error 401 Unauthorized
    [ "$(opportunities)" -eq "$before" ] || fail "a refused request created a candidate"

    # Idempotency-Key: a retried create is answered again, not repeated.
    expect_idempotent_create .id "$base?$acct" "${auth[@]}"

    stop_uatsd "$GW_PID"
    # The token travels in the query here: the access log must not keep it.
    for f in "$GW_LOG" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$token" sandbox-api-key; do lacks "$f" "$s"; done
    done
    jq -s -e 'any(.[]; .status == 201 and .api == "truto" and .connection != "")' \
        "$GW_LOG" >/dev/null || fail "no access log line for the Truto create"
}
for_each_store suite
echo "PASS"
