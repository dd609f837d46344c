#!/usr/bin/env bash
# uatsd's Panora-shaped routes end to end: gateway -> Lever connector ->
# Lever emulator, on each store. Create (Panora's body in, Panora's
# candidate out, warnings for what cannot be carried), retrieve with and
# without remote data, Panora's error shape, bad requests creating nothing.
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
start_sandbox
JOB=$(cat "$work/lever.job")

# has_warning FIELD: the last body warns about FIELD.
has_warning() {
    jq -e --arg f "$1" 'any(.warnings[]?; .field == $f)' "$work/body" >/dev/null \
        || { cat "$work/body"; echo; fail "no warning on $1"; }
}

# expect_error STATUS: Panora's error body, with our code.
expect_error() {
    expect_status "$1"
    expect_json .statusCode "$1"
    expect_json '.timestamp | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T.*Z$")' true
    expect_json '.message | type' string
    expect_json '.code | type' string
}

suite() {
    local key token
    key=$(new_key) || fail "uatsd --init"
    token=$(add_conn panora "$work/lever.json") || fail "uats store add"
    start_uatsd
    local auth=(-H "Authorization: Bearer $key" -H "x-connection-token: $token")

    # Create: Panora's body, every documented field given.
    local before
    before=$(opportunities)
    req POST "$GW/ats/candidate?remote_data=true" "${auth[@]}" -d @- <<JSON
{"first_name": "Ada", "last_name": "Lovelace", "company": "Analytical Engines",
 "title": "Programmer", "locations": "London", "is_private": false, "email_reachable": true,
 "remote_created_at": "2024-01-01T00:00:00Z",
 "email_addresses": [{"email_address": "ada@example.com", "email_address_type": "PERSONAL"}],
 "phone_numbers": [{"phone_number": "+44 20 7946 0000", "phone_type": "MOBILE"}],
 "urls": [{"url": "https://www.linkedin.com/in/ada", "url_type": "LINKEDIN"},
          {"url": "https://ada.example.com", "url_type": "HOMEPAGE"}],
 "tags": ["mathematics"],
 "applications": [{"job_id": "$JOB", "source": "applicant", "offers": []}, "app-uuid"],
 "attachments": [{"file_url": "https://files.example.com/cv.pdf", "attachment_type": "RESUME"}],
 "field_mappings": {}, "favourite_engine": "difference"}
JSON
    expect_status 201
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "one create, one opportunity"
    expect_json .first_name Ada
    expect_json .last_name Lovelace
    expect_json .title Programmer
    expect_json .company "Analytical Engines"
    expect_json .locations London
    expect_json '.email_addresses[0].email_address' ada@example.com
    expect_json '.phone_numbers[0].phone_number' "+44 20 7946 0000"
    expect_json '.phone_numbers[0].phone_type' MOBILE
    expect_json '.urls[0].url_type' LINKEDIN
    expect_json '.tags[0]' mathematics
    expect_json '.applications | length' 1
    expect_json '.field_mappings | type' object
    expect_json '.remote_data | type' object
    expect_json '.created_at | type' string
    local id
    id=$(jbody .id)
    [ -n "$id" ] && [ "$id" != null ] || fail "no id"
    expect_json .remote_id "$id"
    # What Panora's body has and the unified model or Lever cannot keep:
    # warnings in Panora's words, never a silent drop.
    has_warning favourite_engine
    has_warning remote_created_at
    has_warning 'urls[1].url_type'
    has_warning 'applications[0].offers'
    has_warning 'applications[1]'
    has_warning 'attachments[0]'        # Lever takes contents, not URLs
    has_warning email_reachable          # Lever has no such field
    has_warning 'email_addresses[0].email_address_type'

    # Retrieve, on both of Panora's paths; remote data only when asked.
    req GET "$GW/ats/candidate/$id" "${auth[@]}"
    expect_status 200
    expect_json .id "$id"
    expect_json .first_name Ada
    expect_json '.email_addresses[0].email_address' ada@example.com
    expect_json .remote_data null
    expect_json '.warnings' null
    req GET "$GW/ats/candidates/$id?remote_data=true" "${auth[@]}"
    expect_status 200
    expect_json .remote_data.id "$id"
    expect_json .remote_data.name "Ada Lovelace"

    # Errors in Panora's shape.
    req GET "$GW/ats/candidate/no-such-id" "${auth[@]}"
    expect_error 404
    expect_json .code NOT_FOUND
    expect_json .path /ats/candidate/no-such-id
    before=$(opportunities)
    req POST "$GW/ats/candidate" "${auth[@]}" -d '{"first_name": "A",'
    expect_error 400
    expect_json .code MALFORMED_JSON
    expect_json .path /ats/candidate
    req POST "$GW/ats/candidate" "${auth[@]}" -d '[1]'
    expect_error 400
    # A wrong type names Panora's field, not the unified one.
    req POST "$GW/ats/candidate" "${auth[@]}" \
        -d '{"first_name": "A", "phone_numbers": [{"phone_number": 7}]}'
    expect_error 400
    expect_json .code INVALID_INPUT
    expect_json '.message | startswith("phone_numbers[0].phone_number:")' true
    req POST "$GW/ats/candidate" "${auth[@]}" -d '{"first_name": "A", "email_reachable": "yes"}'
    expect_error 400
    expect_json '.message | startswith("email_reachable:")' true
    req POST "$GW/ats/candidate" "${auth[@]}" \
        -d '{"first_name": "A", "attachments": ["att-uuid", {"file_url": "https://x/y.pdf"}]}'
    expect_error 400
    req POST "$GW/ats/candidate" "${auth[@]}" -d '{"first_name": "A", "applications": "x"}'
    expect_error 400
    # Tokens and keys.
    req POST "$GW/ats/candidate" -H "Authorization: Bearer $key" \
        -H "x-connection-token: not-a-token" -d '{"first_name": "A"}'
    expect_error 401
    expect_json .code UNKNOWN_CONNECTION
    req POST "$GW/ats/candidate" -H "Authorization: Bearer $key" -d '{"first_name": "A"}'
    expect_error 400
    expect_json .code MISSING_CONNECTION_TOKEN
    req GET "$GW/ats/candidate/$id" -H "Authorization: Bearer $key"
    expect_error 400
    req POST "$GW/ats/candidate" -H "Authorization: Bearer ${key}x" \
        -H "x-connection-token: $token" -d '{"first_name": "A"}'
    expect_error 401
    expect_json .code UNAUTHORIZED
    req GET "$GW/ats/candidate/$id" -H "x-connection-token: $token"
    expect_error 401
    [ "$(opportunities)" -eq "$before" ] || fail "a refused request created a candidate"

    # Idempotency-Key: a retried create is answered again, not repeated.
    expect_idempotent_create .id "$GW/ats/candidate" "${auth[@]}"

    stop_uatsd "$GW_PID"
    for f in "$GW_LOG" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$token" sandbox-api-key; do lacks "$f" "$s"; done
    done
    jq -s -e 'any(.[]; .status == 201 and .api == "panora" and .connection != "")' \
        "$GW_LOG" >/dev/null || fail "no access log line for the Panora create"
}
for_each_store suite
echo "PASS"
