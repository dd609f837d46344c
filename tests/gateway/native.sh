#!/usr/bin/env bash
# uatsd's native API (/ats/v1) end to end: gateway -> Lever connector ->
# Lever emulator, on each store; bad requests; two instances on one store;
# secrets kept out of every output; graceful shutdown.
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
start_sandbox
JOB=$(cat "$work/lever.job")

suite() {
    local key token key2
    key=$(new_key) || fail "uatsd --init"
    token=$(add_conn lever "$work/lever.json") || fail "uats store add"
    [ -n "$token" ] || fail "no client token printed"
    "$UATS" store list --store "$STORE" >"$work/list" || fail "uats store list"
    contains "$work/list" "lever-$run_id"
    lacks "$work/list" "sandbox-api-key"
    start_uatsd --cache-ttl 1
    local gw1=$GW log1=$GW_LOG pid1=$GW_PID
    # ps(1) must not show the store's password (uatsd's own argv: not
    # under a wrapper such as valgrind, whose command line is its own).
    [ -z "${UATSD_TEST_WRAPPER:-}" ] && case $STORE in postgres*://*:*@*)
        local pw=${STORE#*://*:}; pw=${pw%%@*}
        ps -o args= -p "$pid1" | grep -qF -- ":$pw@" && fail "ps shows the store's password"
        ps -o args= -p "$pid1" | grep -qF -- "--store" || fail "ps shows no --store at all" ;;
    esac
    local auth=(-H "Authorization: Bearer $key" -H "X-Connection-Token: $token")

    req GET "$gw1/healthz"
    expect_status 200
    expect_json .status ok

    # Create, read back, attach.
    local before
    before=$(opportunities)
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -d @- <<JSON
{"first_name": "Grace", "last_name": "Hopper", "email_addresses": [{"value": "grace@example.com"}],
 "phone_numbers": [{"value": "+1 555 0100", "type": "MOBILE"}],
 "tags": ["navy"], "application": {"job_id": "$JOB"}}
JSON
    expect_status 201
    expect_json .model.first_name Grace
    expect_json '.warnings | type' array
    local id
    id=$(jbody .model.id)
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "one create, one opportunity"
    req GET "$gw1/ats/v1/candidates/$id" "${auth[@]}"
    expect_status 200
    expect_json .last_name Hopper
    expect_json '.email_addresses[0].value' grace@example.com
    expect_json '.remote_data' null
    req GET "$gw1/ats/v1/candidates/$id?include_raw_data=true" "${auth[@]}"
    expect_status 200
    expect_json '.remote_data | type' object
    req POST "$gw1/ats/v1/candidates/$id/attachments" "${auth[@]}" \
        -d '{"file_name": "cv.txt", "content_type": "text/plain", "type": "RESUME",
             "data": "SGVsbG8sIHdvcmxkIQ=="}'
    expect_status 201
    expect_json .model.file_name cv.txt
    expect_json .model.size 13
    req GET "$gw1/ats/v1/candidates/$id" "${auth[@]}"
    expect_json '.attachments | length' 1
    req GET "$gw1/ats/v1/candidates/no-such-id" "${auth[@]}"
    expect_status 404
    expect_json .error.code NOT_FOUND
    expect_json .error.http_status 404
    # An id of "." or "..", raw or percent-encoded, is refused: as a dot
    # segment it would send the request to another vendor endpoint
    # (/opportunities/.. is /).
    for dots in . .. %2e %2E%2e; do
        req GET "$gw1/ats/v1/candidates/$dots" "${auth[@]}" --path-as-is
        expect_status 400
        expect_json .error.code INVALID_INPUT
        req POST "$gw1/ats/v1/candidates/$dots/attachments" "${auth[@]}" --path-as-is \
            -d '{"file_name": "cv.txt", "data": "SGVsbG8="}'
        expect_status 400
    done

    # Bad requests: the right status, a JSON error, nothing created.
    before=$(opportunities)
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -d '{"first_name": "A",'
    expect_status 400
    expect_json .error.code MALFORMED_JSON
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -d '[1, 2]'
    expect_status 400
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" \
        -d '{"first_name": "A", "email_addresses": [{"value": "a@example.com", "type": "PAGER"}]}'
    expect_status 400
    expect_json .error.field 'email_addresses[0].type'
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" --data-binary $'{"first_name": "\xff"}'
    expect_status 400
    req POST "$gw1/ats/v1/candidates" -H "Authorization: Bearer uatsd_00000000_$(printf '%064d' 0)" \
        -H "X-Connection-Token: $token" -d '{"first_name": "A"}'
    expect_status 401
    expect_json .error.code UNAUTHORIZED
    req POST "$gw1/ats/v1/candidates" -H "X-Connection-Token: $token" -d '{"first_name": "A"}'
    expect_status 401
    # Without a valid key no body is read (or buffered): a client that
    # waits for "100 Continue" is answered 401 instead.
    head -c 2000 /dev/zero | tr '\0' 'a' | sed 's/^/{"first_name": "/; s/$/"}/' >"$work/mid.json"
    curl -s -D "$work/headers" -o "$work/body" -H "Expect: 100-continue" \
        -H "X-Connection-Token: $token" --data-binary @"$work/mid.json" "$gw1/ats/v1/candidates"
    grep -q "^HTTP/1.1 401" "$work/headers" || { cat "$work/headers"; fail "no 401 before the body"; }
    grep -q "^HTTP/1.1 100" "$work/headers" && fail "the body was asked for without a key"
    expect_json .error.code UNAUTHORIZED
    req POST "$gw1/ats/v1/candidates" -H "Authorization: Bearer ${key}x" \
        -H "X-Connection-Token: $token" -d '{"first_name": "A"}'
    expect_status 401
    req POST "$gw1/ats/v1/candidates" -H "Authorization: Bearer $key" \
        -H "X-Connection-Token: not-a-token" -d '{"first_name": "A"}'
    expect_status 401
    expect_json .error.code UNKNOWN_CONNECTION
    req POST "$gw1/ats/v1/candidates" -H "Authorization: Bearer $key" -d '{"first_name": "A"}'
    expect_status 400
    expect_json .error.code MISSING_CONNECTION_TOKEN
    req GET "$gw1/ats/v1/nothing" "${auth[@]}"
    expect_status 404
    # A path that decodes to bytes that are not UTF-8 is still logged.
    req GET "$gw1/ats/v1/candidates/bad%FFutf8" "${auth[@]}"
    expect_status 404
    curl -s -D "$work/headers" -o "$work/body" -X DELETE "${auth[@]}" "$gw1/ats/v1/candidates/$id"
    grep -q "^HTTP/1.1 405" "$work/headers" || fail "DELETE: not 405"
    grep -qi "^Allow: GET" "$work/headers" || fail "405 without Allow"
    # A challenge only for the gateway key.
    curl -s -D "$work/headers" -o /dev/null -H "X-Connection-Token: $token" "$gw1/ats/v1/candidates/$id"
    grep -qi "^WWW-Authenticate: Bearer" "$work/headers" || fail "no challenge for a missing key"
    curl -s -D "$work/headers" -o /dev/null -H "Authorization: Bearer $key" \
        -H "X-Connection-Token: not-a-token" "$gw1/ats/v1/candidates/$id"
    grep -qi "^WWW-Authenticate" "$work/headers" && fail "a challenge for an unknown connection"
    [ "$(opportunities)" -eq "$before" ] || fail "a refused request created a candidate"

    # A second instance on the same store, with a small body cap.
    start_uatsd --max-body 1024 --cache-ttl 0 --thread-per-connection
    local gw2=$GW log2=$GW_LOG pid2=$GW_PID
    req GET "$gw2/ats/v1/candidates/$id" "${auth[@]}"
    expect_status 200
    expect_json .first_name Grace
    head -c 4000 /dev/zero | tr '\0' 'a' | sed 's/^/{"first_name": "/; s/$/"}/' >"$work/big.json"
    req POST "$gw2/ats/v1/candidates" "${auth[@]}" --data-binary @"$work/big.json"
    expect_status 413
    expect_json .error.code BODY_TOO_LARGE
    # Chunked, with no Content-Length to refuse it up front.
    req POST "$gw2/ats/v1/candidates" "${auth[@]}" -H "Transfer-Encoding: chunked" \
        --data-binary @"$work/big.json"
    expect_status 413
    [ "$(opportunities)" -eq "$before" ] || fail "an oversized request created a candidate"
    # Two Content-Length headers: refused, whatever their values (a proxy
    # in front may frame the body by the other one: request smuggling).
    local dup='{"first_name": "Dup"}' status_line
    exec 3<>"/dev/tcp/127.0.0.1/${gw2##*:}"
    # (In a subshell: bash writes line by line, and the answer may close the
    # socket before the last line, which would end this script by SIGPIPE.)
    (printf 'POST /ats/v1/candidates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Connection-Token: %s\r\nContent-Length: %d\r\nContent-Length: 2\r\nConnection: close\r\n\r\n%s' \
        "$key" "$token" ${#dup} "$dup") >&3 2>/dev/null
    status_line=$(timeout 10 head -n 1 <&3)
    exec 3<&-
    case $status_line in "HTTP/1.1 400 "*) ;; *) fail "two Content-Length headers: '$status_line'" ;; esac
    # Content-Length and chunked together: refused too.
    exec 3<>"/dev/tcp/127.0.0.1/${gw2##*:}"
    (printf 'POST /ats/v1/candidates HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Connection-Token: %s\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n%x\r\n%s\r\n0\r\n\r\n' \
        "$key" "$token" ${#dup} "$dup") >&3 2>/dev/null
    status_line=$(timeout 10 head -n 1 <&3)
    exec 3<&-
    case $status_line in "HTTP/1.1 400 "*) ;; *) fail "Content-Length and chunked: '$status_line'" ;; esac
    [ "$(opportunities)" -eq "$before" ] || fail "a request with two Content-Length headers created a candidate"
    # A key and a connection made while both run are seen by both; a
    # removed connection stops working on both.
    key2=$(new_key)
    req GET "$gw1/ats/v1/candidates/$id" -H "Authorization: Bearer $key2" -H "X-Connection-Token: $token"
    expect_status 200
    local token2
    token2=$(add_conn lever2 "$work/lever.json")
    req GET "$gw2/ats/v1/candidates/$id" -H "Authorization: Bearer $key" -H "X-Connection-Token: $token2"
    expect_status 200
    "$UATS" store remove "lever2-$run_id" --store "$STORE" || fail "uats store remove"
    req GET "$gw2/ats/v1/candidates/$id" -H "Authorization: Bearer $key" -H "X-Connection-Token: $token2"
    expect_status 401
    sleep 1.1   # the first instance's cache-ttl
    req GET "$gw1/ats/v1/candidates/$id" -H "Authorization: Bearer $key" -H "X-Connection-Token: $token2"
    expect_status 401
    # A revoked key stops working once the cache forgets it.
    "$UATSD" --store "$STORE" --revoke-key "$key2" || fail "--revoke-key"
    req GET "$gw2/ats/v1/candidates/$id" -H "Authorization: Bearer $key2" -H "X-Connection-Token: $token"
    expect_status 401

    # Idempotency-Key: a retry gets the first answer, on either instance;
    # the key cannot be reused for another request.
    before=$(opportunities)
    local ikey="create-$run_id" body
    body="{\"first_name\": \"Once\", \"application\": {\"job_id\": \"$JOB\"}}"
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" -d "$body"
    expect_status 201
    local once
    once=$(jbody .model.id)
    curl -s -D "$work/headers" -o "$work/body" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d "$body" "$gw2/ats/v1/candidates"
    expect_json .model.id "$once"
    grep -qi "^Idempotent-Replayed: true" "$work/headers" || fail "the retry was not a replay"
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "a retried create made a second candidate"
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d '{"first_name": "Other"}'
    expect_status 422
    expect_json .error.code IDEMPOTENCY_KEY_REUSED
    # A refused create frees its key: the corrected retry runs.
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -H "Idempotency-Key: fix-$run_id" \
        -d '{"first_name": "Fix", "remote_fields": {"origin": "nowhere"}}'
    expect_status 422
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -H "Idempotency-Key: fix-$run_id" \
        -d "{\"first_name\": \"Fix\", \"application\": {\"job_id\": \"$JOB\"}}"
    expect_status 201
    req POST "$gw1/ats/v1/candidates" "${auth[@]}" -H "Idempotency-Key: $(printf 'k%.0s' $(seq 300))" \
        -d "$body"
    expect_status 400
    expect_json .error.code BAD_IDEMPOTENCY_KEY

    stop_uatsd "$pid1"
    stop_uatsd "$pid2"
    # Secrets: never in the logs or answers.
    for f in "$log1" "$log2" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$key2" "$token" "$token2" sandbox-api-key; do lacks "$f" "$s"; done
    done
    [ "$(wc -l <"$log1")" -ge 20 ] || fail "the access log lacks lines"
    jq -s -e 'map(select(.status == 201 and .api == "native" and .connection != "")) | length >= 2' "$log1" >/dev/null \
        || fail "access log lines lack fields"
    grep -qF '"path":"/ats/v1/candidates/bad\ufffdutf8"' "$log1" || fail "a non-UTF-8 path left no log line"
}
for_each_store suite

# Graceful shutdown: a request in flight when SIGTERM arrives is answered.
STORE="sqlite:$work/graceful.db"
mkdir "$work/slow"
"$SANDBOX" --config-dir "$work/slow" --latency 1500 >"$work/slow/urls" &
slow_pid=$!
gw_pids+=("$slow_pid")
for _ in $(seq 100); do [ -s "$work/slow/lever.json" ] && break; sleep 0.05; done
key=$(new_key)
token=$(add_conn slow "$work/slow/lever.json")
start_uatsd --shutdown-timeout 10
curl -s -o "$work/slow.body" -w '%{http_code}' -H "Authorization: Bearer $key" \
    -H "X-Connection-Token: $token" -X POST "$GW/ats/v1/candidates" \
    -d "{\"first_name\": \"Slow\", \"application\": {\"job_id\": \"$(cat "$work/slow/lever.job")\"}}" \
    >"$work/slow.status" &
curl_pid=$!
sleep 0.5
# Log rotation: move the log, SIGHUP, and the next line lands in a new file.
mv "$GW_LOG" "$GW_LOG.1"
kill -HUP "$GW_PID"
# The signal is handled, and a request's line written once it is answered,
# a moment later (longer under valgrind): ask until a line shows up.
for _ in $(seq 50); do
    curl -s -o /dev/null "$GW/healthz"
    sleep 0.1
    [ -s "$GW_LOG" ] && break
done
[ -s "$GW_LOG" ] || fail "SIGHUP did not reopen the access log"
kill -TERM "$GW_PID"
wait "$curl_pid"
[ "$(cat "$work/slow.status")" = 201 ] || { cat "$work/slow.body"; fail "in-flight request not finished"; }
wait "$GW_PID" || fail "uatsd did not exit cleanly"
curl -s "$GW/healthz" >/dev/null && fail "uatsd still answers after stopping"
echo "PASS"
