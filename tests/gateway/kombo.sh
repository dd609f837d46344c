#!/usr/bin/env bash
# uatsd's Kombo-compatible routes end to end: gateway -> Lever connector ->
# Lever emulator, on each store. Kombo's answer shapes (every key its schema
# requires), the translation both ways, bad requests (nothing created), a
# lost vendor answer (never a retryable status, never a second POST), and
# Kombo's official TypeScript SDK (tests/clients/kombo.mjs) when Node.js and
# the SDK (npm ci in tests/clients) are installed; UATSD_REQUIRE_CLIENTS=1
# makes their absence a failure (CI's main test run; not distcheck's copy,
# which has no node_modules).
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
start_sandbox
JOB=$(cat "$work/lever.job")
clients=$(cd "$(dirname "$0")/../clients" && pwd)

sdk=1
if ! command -v node >/dev/null || [ ! -d "$clients/node_modules/@kombo-api/sdk" ]; then
    [ "${UATSD_REQUIRE_CLIENTS:-}" = 1 ] &&
        fail "Node.js and the Kombo SDK are needed (npm ci in tests/clients)"
    echo "note: Node.js or tests/clients/node_modules missing: Kombo SDK not run"
    sdk=
fi

# A vendor that takes every write and loses the answer (HTTP 500 after the
# request arrived): the candidate may exist. Counts the POSTs it gets.
start_lost_vendor() {
    node --input-type=module -e '
        import http from "node:http";
        import fs from "node:fs";
        let posts = 0;
        const srv = http.createServer((req, res) => {
            req.resume();
            req.on("end", () => {
                if (req.url === "/_posts") return res.end(String(posts));
                if (req.method === "POST") posts++;
                res.writeHead(req.method === "POST" ? 500 : 404,
                              {"content-type": "application/json"});
                res.end("{\"code\": \"InternalError\", \"message\": \"lost\"}");
            });
        });
        srv.listen(0, "127.0.0.1", () => fs.writeFileSync(process.argv[1],
                                                         String(srv.address().port)));
        process.on("SIGTERM", () => process.exit(0));
    ' "$work/lost.port" &
    gw_pids+=("$!")
    for _ in $(seq 100); do [ -s "$work/lost.port" ] && break; sleep 0.05; done
    [ -s "$work/lost.port" ] || fail "the lost-answer vendor did not start"
    LOST="http://127.0.0.1:$(cat "$work/lost.port")"
    jq --arg u "$LOST/v1" '.base_url = $u' "$work/lever.json" >"$work/lost.json"
}
lost_posts() { curl -s "$LOST/_posts"; }
[ -n "$sdk" ] && start_lost_vendor

# The keys Kombo's schema requires of a candidate and of an application.
cand_keys='["id","remote_id","first_name","last_name","company","title","confidential",
  "source","custom_fields","remote_url","remote_created_at","remote_updated_at","changed_at",
  "remote_deleted_at","applications","tags"]'
app_keys='["id","remote_id","outcome","rejection_reason_name","rejected_at","remote_url",
  "changed_at","remote_created_at","remote_updated_at","current_stage","job"]'
# expect_kombo_candidate FILTER: the candidate at FILTER has every key.
expect_kombo_candidate() {
    jq -e --argjson ck "$cand_keys" --argjson ak "$app_keys" "$1"' as $c
        | ($ck | all(. as $k | $c | has($k)))
          and ($c.applications | all(. as $a | $ak | all(. as $k | $a | has($k))))' \
        "$work/body" >/dev/null || { cat "$work/body"; fail "$1 lacks keys of Kombo's schema"; }
}

# expect_kombo_error STATUS CODE: the last answer is Kombo's error envelope.
expect_kombo_error() {
    expect_status "$1"
    expect_json .status error
    expect_json .error.code "$2"
    expect_json '.error.message | type' string
    expect_json '.error | has("title") and has("log_url")' true
}

suite() {
    local key token
    key=$(new_key) || fail "uatsd --init"
    token=$(add_conn kombo "$work/lever.json") || fail "uats store add"
    start_uatsd --max-body 1048576
    local auth=(-H "Authorization: Bearer $key" -H "X-Integration-Id: $token")

    # Create with every part of Kombo's body; the answer in Kombo's shape.
    local before id
    before=$(opportunities)
    req POST "$GW/ats/candidates" "${auth[@]}" -d @- <<JSON
{"candidate": {"first_name": "Frank", "last_name": "Doe", "company": "Acme Inc.",
   "title": "Head of Integrations", "email_address": "frank.doe.$run_id@example.com",
   "additional_email_addresses": [{"type": "WORK", "email_address": "frank@acme.example"}],
   "phone_number": "+1-541-754-3010",
   "additional_phone_numbers": [{"type": "PERSONAL", "phone_number": "+1 555 0100"}],
   "gender": "MALE", "salary_expectations": {"amount": 100000, "period": "YEAR"},
   "availability_date": "2031-01-01T00:00:00.000Z",
   "location": {"city": "New York", "country": "US", "state": "NY"},
   "social_links": [{"url": "https://www.linkedin.com/in/frank-doe/"},
                    {"url": "https://twitter.com/frankdoe"}]},
 "application": {"job_id": "$JOB", "stage_id": "lead-new"},
 "attachments": [{"name": "Frank Doe CV.txt", "type": "CV", "content_type": "text/plain",
                  "data": "SGkgdGhlcmUsIEtvbWJvIGlzIGhpcmluZy4="}],
 "screening_question_answers": [{"question_id": "q1", "answer": "Yes"},
   {"question_id": "q2", "answer": ["a", "b"]}, {"question_id": "q3", "answer": true},
   {"question_id": "q4", "answer": {"name": "proof.pdf", "data": "SGk="}}],
 "source": {"name": "Example Job Board"}, "gdpr_consent": {"given": true},
 "remote_fields": {"lever": {"candidate": {"sources": ["Kombo"]}, "unknown": 1},
                   "greenhouse": {"post_headers": {"on_behalf_of": "42"}}}}
JSON
    expect_status 200
    expect_json .status success
    expect_kombo_candidate .data
    expect_json .data.first_name Frank
    expect_json '.data.email_addresses[0].email_address' "frank.doe.$run_id@example.com"
    expect_json '.data.phone_numbers[1].type' PERSONAL
    expect_json '.data.social_media[0].type' LINKEDIN
    expect_json '.data.social_media[1].type' TWITTER
    expect_json '.data.location.raw | contains("New York")' true
    expect_json '.data.applications | length' 1
    expect_json '.data.applications[0].job.remote_id' "$JOB"
    expect_json '.data.applications[0].current_stage.id' lead-new
    expect_json '.data.remote_id == .data.id' true
    # What uats cannot carry is said, not dropped: ours and Lever's.
    local w
    w=$(jbody '.warnings | map(.message) | join("\n")')
    for s in 'screening_question_answers[3]: a file answer' 'source: not passed on' \
             'gdpr_consent: not passed on' 'remote_fields.lever.unknown' \
             'candidate.gender: Lever' 'candidate.salary_expectations: Lever'; do
        grep -qF -- "$s" <<<"$w" || { echo "$w"; fail "no warning: $s"; }
    done
    grep -qF 'greenhouse' <<<"$w" && fail "another tool's remote_fields reported"
    id=$(jbody .data.id)
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "one create, one opportunity"

    # Add a file; Kombo answers with an empty data object.
    req POST "$GW/ats/candidates/$id/attachments" "${auth[@]}" \
        -d '{"attachment": {"name": "letter.txt", "type": "COVER_LETTER",
             "content_type": "text/plain", "data": "RGVhciB0ZWFt"}}'
    expect_status 200
    expect_json .status success
    expect_json '.data | length' 0
    expect_json '.warnings | type' array
    # Read back by ids (unknown ids are left out, as Kombo's filter does),
    # also under /v1, the path of Kombo's own base URL.
    req GET "$GW/v1/ats/candidates?ids=$id,no-such-id&page_size=100" "${auth[@]}"
    expect_status 200
    expect_json '.data.next' null
    expect_json '.data.results | length' 1
    expect_kombo_candidate '.data.results[0]'
    expect_json '.data.results[0].last_name' Doe

    # Bad requests: Kombo's error envelope, the right status, nothing created.
    before=$(opportunities)
    local ok='{"candidate": {"first_name": "A", "last_name": "B", "email_address": "a@example.com"},
               "application": {"job_id": "'"$JOB"'"}}'
    req POST "$GW/ats/candidates" "${auth[@]}" -d '{"candidate": {'
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    req POST "$GW/ats/candidates" "${auth[@]}" -d '{"candidate": {"first_name": "A"},
        "application": {"job_id": "x"}}'
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    expect_json .error.message 'candidate.last_name is required'
    req POST "$GW/ats/candidates" "${auth[@]}" \
        -d "$(jq '.candidate.location = {"country": "Germany"}' <<<"$ok")"
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    expect_json '.error.message | startswith("candidate.location.country:")' true
    req POST "$GW/ats/candidates" "${auth[@]}" \
        -d "$(jq '.attachments = [{"name": "x", "type": "RESUME", "data": "SGk="}]' <<<"$ok")"
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    req POST "$GW/ats/candidates" "${auth[@]}" \
        -d "$(jq '.attachments = [{"name": "x", "type": "CV", "data": "not base64!"}]' <<<"$ok")"
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    expect_json '.error.message | startswith("attachments[0].data")' true
    req POST "$GW/ats/candidates" "${auth[@]}" -d "$(jq 'del(.application)' <<<"$ok")"
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    req POST "$GW/ats/candidates" -H "Authorization: Bearer ${key}x" \
        -H "X-Integration-Id: $token" -d "$ok"
    expect_kombo_error 401 PLATFORM.AUTHENTICATION_INVALID
    req POST "$GW/ats/candidates" -H "X-Integration-Id: $token" -d "$ok"
    expect_kombo_error 401 PLATFORM.AUTHENTICATION_INVALID
    req POST "$GW/ats/candidates" -H "Authorization: Bearer $key" \
        -H "X-Integration-Id: not-an-integration" -d "$ok"
    expect_kombo_error 401 PLATFORM.INTEGRATION_NOT_FOUND
    req POST "$GW/ats/candidates" -H "Authorization: Bearer $key" -d "$ok"
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    head -c 2000000 /dev/zero | tr '\0' 'a' >"$work/big.json"
    req POST "$GW/ats/candidates" "${auth[@]}" --data-binary @"$work/big.json"
    expect_kombo_error 413 PLATFORM.INPUT_INVALID
    req POST "$GW/ats/candidates" "${auth[@]}" -H "Transfer-Encoding: chunked" \
        --data-binary @"$work/big.json"
    expect_kombo_error 413 PLATFORM.INPUT_INVALID
    req POST "$GW/ats/candidates/no-such-id/attachments" "${auth[@]}" \
        -d '{"attachment": {"name": "a.txt", "type": "OTHER", "data": "SGk="}}'
    expect_status 404
    expect_json .status error
    req POST "$GW/ats/candidates/$id/attachments" "${auth[@]}" -d '{}'
    expect_kombo_error 400 PLATFORM.INPUT_INVALID
    req GET "$GW/ats/candidates" "${auth[@]}"
    expect_kombo_error 400 INTEGRATION.ACTION_NOT_AVAILABLE
    req GET "$GW/ats/candidates?ids=$id&email=a@example.com" "${auth[@]}"
    expect_kombo_error 400 INTEGRATION.ACTION_NOT_AVAILABLE
    [ "$(opportunities)" -eq "$before" ] || fail "a refused request created a candidate"

    # Idempotency-Key, as on the native API: a resend gets the first answer
    # and writes nothing; the key cannot be reused for another request.
    local ikey="kombo-$run_id" once
    req POST "$GW/ats/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" -d "$ok"
    expect_status 200
    once=$(jbody .data.id)
    curl -s -D "$work/headers" -o "$work/body" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d "$ok" "$GW/ats/candidates"
    expect_json .data.id "$once"
    grep -qi "^Idempotent-Replayed: true" "$work/headers" || fail "the resend was not a replay"
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "a resent create made a second candidate"
    req POST "$GW/ats/candidates" "${auth[@]}" -H "Idempotency-Key: $ikey" \
        -d "$(jq '.candidate.first_name = "Other"' <<<"$ok")"
    expect_kombo_error 422 PLATFORM.INPUT_INVALID
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "a reused key created a candidate"

    # POST /ats/candidates is also Panora's (plural) create: a request with
    # Panora's header and not Kombo's is Panora's, answered in its shape.
    local ptoken
    ptoken=$(add_conn panora "$work/lever.json") || fail "uats store add (panora)"
    req POST "$GW/ats/candidates" -H "Authorization: Bearer $key" \
        -H "x-connection-token: $ptoken" -d "{\"first_name\": \"Pan\", \"last_name\": \"Ora\",
        \"email_addresses\": [{\"email_address\": \"pan.$run_id@example.com\"}]}"
    expect_status 201
    expect_json .first_name Pan
    expect_json '.status' null

    # Kombo's SDK, then a lost answer with the SDK's retries on.
    if [ -n "$sdk" ]; then
        local lost out posts
        lost=$(add_conn kombo-lost "$work/lost.json") || fail "uats store add (lost)"
        posts=$(lost_posts)   # the vendor serves every store's run
        (cd "$clients" && UATSD_URL=$GW UATSD_KEY=$key UATSD_KOMBO_INTEGRATION=$token \
            UATSD_JOB_ID=$JOB UATSD_KOMBO_LOST_INTEGRATION=$lost node kombo.mjs) \
            >"$work/sdk.out" 2>"$work/sdk.err" || { cat "$work/sdk.out" "$work/sdk.err"; fail "kombo.mjs"; }
        out=$(tail -n 1 "$work/sdk.out")
        req GET "$GW/ats/candidates?ids=$out" "${auth[@]}"
        expect_json '.data.results[0].first_name' Ada
        [ "$(lost_posts)" -eq $((posts + 1)) ] ||
            fail "the lost create reached the vendor $(($(lost_posts) - posts)) times"
        # The same over plain HTTP: 409, not a status clients retry.
        req POST "$GW/ats/candidates" -H "Authorization: Bearer $key" \
            -H "X-Integration-Id: $lost" -d "$ok"
        expect_kombo_error 409 REMOTE.UNKNOWN_HTTP_ERROR
        [ "$(lost_posts)" -eq $((posts + 2)) ] || fail "one create, one POST"
        for s in "$key" "$token" "$lost"; do lacks "$work/sdk.out" "$s"; lacks "$work/sdk.err" "$s"; done
    fi

    stop_uatsd "$GW_PID"
    for f in "$GW_LOG" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$token" sandbox-api-key; do lacks "$f" "$s"; done
    done
    jq -s -e 'map(select(.api == "kombo" and .status == 200)) | length >= 3' "$GW_LOG" \
        >/dev/null || fail "the access log lacks the kombo requests"
}
for_each_store suite
echo "PASS"
