#!/usr/bin/env bash
# uatsd's Merge and Bindbee routes (/api/ats/v1) end to end: gateway -> Lever
# connector -> Lever emulator, on each store: Merge's create, attachment and
# get (X-Account-Token), Bindbee's get (x-connector-token), bad requests in
# Merge's error shape with nothing created, and a create of unknown outcome
# answered with a status Merge's clients do not retry. When Merge's official
# Node client is installed (npm ci in tests/clients), tests/clients/merge.mjs
# runs against the gateway too.
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
start_sandbox
JOB=$(cat "$work/lever.job")
clients="$(cd "$(dirname "$0")/../clients" && pwd)"
PDF=JVBERi0xLjQKJSB1YXRzCg==   # "%PDF-1.4\n% uats\n"

# merge_error STATUS PROBLEM_TYPE [POINTER]: the last answer is a Merge error.
merge_error() {
    expect_status "$1"
    expect_json '.detail | type' string
    expect_json '.errors[0].problem_type' "$2"
    expect_json '.errors[0].detail | type' string
    expect_json '.warnings | type' array
    [ $# -lt 3 ] || expect_json '.errors[0].source.pointer' "$3"
}

suite() {
    local key token
    key=$(new_key) || fail "uatsd --init"
    token=$(add_conn lever "$work/lever.json") || fail "uats store add"
    start_uatsd --max-body 65536
    local auth=(-H "Authorization: Bearer $key" -H "X-Account-Token: $token")
    local api="$GW/api/ats/v1"

    # Merge's create: {model, remote_user_id} in, {model, warnings, errors} out.
    local before id
    before=$(opportunities)
    req POST "$api/candidates" "${auth[@]}" -d @- <<JSON
{"model": {"first_name": "Ada", "last_name": "Lovelace",
  "email_addresses": [{"value": "ada@example.com", "email_address_type": "PERSONAL"}],
  "phone_numbers": [{"value": "+44 20 7946 0000", "phone_number_type": "MOBILE"}],
  "urls": [{"value": "https://github.com/ada", "url_type": "SOCIAL_MEDIA"}],
  "tags": ["analytical"], "favourite_engine": "difference",
  "applications": ["existing-app", {"job": "$JOB", "source": "applicant"}],
  "attachments": [{"file_name": "ada.pdf", "file_url": "data:application/pdf;base64,$PDF",
                   "attachment_type": "RESUME"}],
  "integration_params": {"sources": ["Merge"]}},
 "remote_user_id": "sandbox-user-0001"}
JSON
    expect_status 201
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "one create, one opportunity"
    id=$(jbody .model.id)
    expect_json .model.first_name Ada
    expect_json .model.last_name Lovelace
    expect_json '.model.email_addresses[0].value' ada@example.com
    expect_json '.model.phone_numbers[0].phone_number_type' MOBILE
    expect_json '.model.attachments | length' 1
    expect_json '.model.remote_data' null
    expect_json '.errors' '[]'
    # Every key of Merge's Candidate, null when unknown.
    expect_json '.model | keys_unsorted | join(",")' \
        id,remote_id,created_at,modified_at,first_name,last_name,company,title,remote_created_at,remote_updated_at,last_interaction_at,is_private,can_email,locations,phone_numbers,email_addresses,urls,tags,applications,attachments,remote_was_deleted,field_mappings,remote_data
    # What was not stored is a warning naming the field as the client sent it.
    expect_json '[.warnings[] | select(.problem_type == "UNRECOGNIZED_FIELD") | .source.pointer] | join(",")' \
        model/favourite_engine
    expect_json '[.warnings[] | .source.pointer] | index("model/applications/0") != null' true
    expect_json '[.warnings[] | .source.pointer] | index("model/email_addresses/0/email_address_type") != null' true
    expect_json '[.warnings[] | select(.title == null or .detail == null)] | length' 0

    # Merge's get, with and without remote data.
    req GET "$api/candidates/$id" "${auth[@]}"
    expect_status 200
    expect_json .first_name Ada
    expect_json '.email_addresses[0].value' ada@example.com
    expect_json '.attachments | length' 1
    expect_json '.remote_data' null
    req GET "$api/candidates/$id?include_remote_data=true" "${auth[@]}"
    expect_status 200
    expect_json '.remote_data[0].path' lever
    expect_json '.remote_data[0].data.id' "$id"

    # Merge's attachment create (the file in a data: URL).
    req POST "$api/attachments" "${auth[@]}" -d "{\"model\": {\"candidate\": \"$id\",
        \"file_name\": \"letter.txt\", \"file_url\": \"data:text/plain;base64,SGVsbG8h\",
        \"attachment_type\": \"COVER_LETTER\"}, \"remote_user_id\": \"sandbox-user-0001\"}"
    expect_status 201
    expect_json .model.candidate "$id"
    expect_json .model.file_name letter.txt
    expect_json '.errors' '[]'
    local file_id
    file_id=$(jbody .model.id)

    # Bindbee's get: the same path, x-connector-token, string lists, raw_data.
    local bb=(-H "Authorization: Bearer $key" -H "x-connector-token: $token")
    req GET "$api/candidates/$id" "${bb[@]}"
    expect_status 200
    expect_json '.email_addresses[0]' ada@example.com
    expect_json '.phone_numbers[0]' '+44 20 7946 0000'
    expect_json 'has("raw_data")' false
    expect_json 'has("avatar")' true
    expect_json ".attachments | index(\"$file_id\") != null" true
    req GET "$api/candidates/$id?include_raw_data=true" "${bb[@]}"
    expect_status 200
    expect_json '.raw_data.id' "$id"

    # Bad requests: Merge's error shape, the right status, nothing created.
    before=$(opportunities)
    req POST "$api/candidates" "${auth[@]}" -d '{"model": {"first_name": "A",'
    merge_error 400 ERROR
    req POST "$api/candidates" "${auth[@]}" -d '{"remote_user_id": "x"}'
    merge_error 400 MISSING_REQUIRED_FIELD model
    req POST "$api/candidates" "${auth[@]}" -d '{"model": {"first_name": 7}}'
    merge_error 400 INCORRECT_FIELD_TYPE model/first_name
    req POST "$api/candidates" "${auth[@]}" \
        -d '{"model": {"attachments": ["a1", {"file_url": "data:text/plain;base64,SGk=", "attachment_type": "CV"}]}}'
    merge_error 400 INVALID_FIELD_CHOICE model/attachments/1/attachment_type
    req POST "$api/candidates" "${auth[@]}" -d '{"model": {"applications": {"job": "x"}}}'
    merge_error 400 INCORRECT_FIELD_TYPE model/applications
    req POST "$api/candidates" -H "Authorization: Bearer ${key}x" -H "X-Account-Token: $token" \
        -d '{"model": {"first_name": "A"}}'
    merge_error 401 ERROR
    req POST "$api/candidates" -H "X-Account-Token: $token" -d '{"model": {"first_name": "A"}}'
    expect_status 401
    req POST "$api/candidates" -H "Authorization: Bearer $key" -H "X-Account-Token: not-a-token" \
        -d '{"model": {"first_name": "A"}}'
    merge_error 401 ERROR
    req POST "$api/candidates" -H "Authorization: Bearer $key" -d '{"model": {"first_name": "A"}}'
    merge_error 400 ERROR
    head -c 70000 /dev/zero | tr '\0' 'a' | sed 's/^/{"model": {"first_name": "/; s/$/"}}/' \
        >"$work/big.json"
    # Refused from its Content-Length before a route is chosen: the server's
    # own error shape. Chunked, it is refused on the route: Merge's.
    req POST "$api/candidates" "${auth[@]}" --data-binary @"$work/big.json"
    expect_status 413
    jq -e . "$work/body" >/dev/null || fail "413 without a JSON body"
    req POST "$api/candidates" "${auth[@]}" -H "Transfer-Encoding: chunked" \
        --data-binary @"$work/big.json"
    merge_error 413 ERROR
    req POST "$api/attachments" "${auth[@]}" -d '{"model": {"file_url": "data:text/plain;base64,SGk="}}'
    merge_error 400 MISSING_REQUIRED_FIELD model/candidate
    req POST "$api/attachments" "${auth[@]}" -d "{\"model\": {\"candidate\": \"$id\", \"file_url\": \"data:text/plain,hi\"}}"
    merge_error 400 INCORRECT_FIELD_TYPE model/file_url
    # Lever takes no file URLs: 400 as Merge answers it, not a 5xx that
    # Merge's clients would send twice more.
    req POST "$api/attachments" "${auth[@]}" -d "{\"model\": {\"candidate\": \"$id\", \"file_url\": \"https://files.example/cv.pdf\"}}"
    merge_error 400 PROVIDER_ERROR
    req GET "$api/candidates/no-such-id" "${auth[@]}"
    merge_error 404 PROVIDER_ERROR
    req GET "$api/candidates/$id" "${auth[@]}" -H "x-connector-token: $token"
    merge_error 400 ERROR
    req GET "$api/candidates/$id" -H "Authorization: Bearer $key"
    merge_error 400 ERROR
    req GET "$api/candidates/$id" -H "Authorization: Bearer $key" -H "x-connector-token: not-a-token"
    merge_error 401 ERROR
    # A method the path does not take: 405, in Merge's shape too.
    req DELETE "$api/candidates/$id" "${auth[@]}"
    merge_error 405 ERROR
    [ "$(opportunities)" -eq "$before" ] || fail "a refused request created a candidate"
    req GET "$api/candidates/$id" "${auth[@]}"
    expect_json '.attachments | length' 2
    # Idempotency-Key, as on the native API: a retry gets the first answer
    # and writes nothing; the key cannot be reused for another request.
    before=$(opportunities)
    local ikey="merge-$run_id" once
    req POST "$api/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d '{"model": {"first_name": "Once"}}'
    expect_status 201
    once=$(jbody .model.id)
    curl -s -D "$work/headers" -o "$work/body" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d '{"model": {"first_name": "Once"}}' "$api/candidates"
    expect_json .model.id "$once"
    grep -qi "^Idempotent-Replayed: true" "$work/headers" || fail "the retry was not a replay"
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "a retried create made a second candidate"
    req POST "$api/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d '{"model": {"first_name": "Other"}}'
    merge_error 422 ERROR

    # Merge's official Node client, when installed.
    if command -v node >/dev/null && [ -d "$clients/node_modules/@mergeapi/merge-node-client" ]; then
        before=$(opportunities)
        (cd "$clients" && UATSD_URL=$GW UATSD_KEY=$key UATSD_MERGE_ACCOUNT=$token \
            CANDIDATE_ID=$id EXPECT_FIRST_NAME=Ada EXPECT_LAST_NAME=Lovelace \
            EXPECT_EMAIL=ada@example.com EXPECT_ATTACHMENTS=2 node merge.mjs) \
            >"$work/node.out" 2>&1 || { cat "$work/node.out"; fail "merge.mjs"; }
        cat "$work/node.out"
        [ "$(opportunities)" -eq $((before + 1)) ] || fail "merge.mjs: one create, one opportunity"
    else
        echo "note: Merge's Node client not installed (npm ci in tests/clients): merge.mjs skipped"
    fi

    stop_uatsd "$GW_PID"
    for f in "$GW_LOG" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$token" sandbox-api-key; do lacks "$f" "$s"; done
    done
    jq -s -e 'map(select(.api == "merge" and .status == 201)) | length >= 2' "$GW_LOG" >/dev/null \
        || fail "access log: Merge's writes not logged as api merge"
}
for_each_store suite

# A create sent and never answered: 409, which Merge's Node client does not
# retry (it retries 408, 429 and 5xx), with the advice to look before
# resending.
STORE="sqlite:$work/unknown.db"
mkdir "$work/slow"
"$SANDBOX" --config-dir "$work/slow" --latency 1500 >"$work/slow/urls" &
gw_pids+=("$!")
for _ in $(seq 100); do [ -s "$work/slow/lever.json" ] && break; sleep 0.05; done
jq '. + {timeouts: {total_ms: 500}}' "$work/slow/lever.json" >"$work/slow/lever-timeout.json"
key=$(new_key)
token=$(add_conn slow "$work/slow/lever-timeout.json")
start_uatsd
req POST "$GW/api/ats/v1/candidates" -H "Authorization: Bearer $key" -H "X-Account-Token: $token" \
    -H "Idempotency-Key: maybe-$run_id" \
    -d '{"model": {"first_name": "Maybe"}, "remote_user_id": "sandbox-user-0001"}'
merge_error 409 ERROR
expect_json '.errors[0].title' "Outcome Unknown"
contains "$work/body" "look for it before sending this request again"
# Merge's Python client, told to retry, retries a 409 too: with the same
# Idempotency-Key the retry gets the recorded answer and sends nothing.
curl -s -D "$work/headers" -o "$work/body" -H "Authorization: Bearer $key" \
    -H "X-Account-Token: $token" -H "Idempotency-Key: maybe-$run_id" \
    -d '{"model": {"first_name": "Maybe"}, "remote_user_id": "sandbox-user-0001"}' \
    "$GW/api/ats/v1/candidates"
grep -q "^HTTP/1.1 409" "$work/headers" || fail "the retry was not answered 409"
grep -qi "^Idempotent-Replayed: true" "$work/headers" || fail "the retry was sent again"
echo "PASS"
