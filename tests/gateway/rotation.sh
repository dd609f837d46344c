#!/usr/bin/env bash
# uatsd and a vendor that rotates OAuth refresh tokens (tests/gateway/
# oauth_vendor.py in front of the Lever emulator): the rotated token is
# stored, so a restarted uatsd still gets in; storing it does not make the
# connection cache reopen the connection (which would fetch, and rotate, a
# token again at every cache check); a connection replaced in the store
# while a token was being fetched is not overwritten with the old
# configuration.
. "$(dirname "$0")/../cli/common.sh"
. "$(dirname "$0")/common.sh"
need lever
command -v python3 >/dev/null || { echo "SKIP: python3 is needed"; exit 77; }
start_sandbox

# start_vendor: a fresh OAuth vendor whose first refresh token is rt-1;
# sets VURL, VLOG and writes $work/oauth.json, a connection through it.
start_vendor() {
    local n=$RANDOM
    VLOG="$work/vendor-$n.log"
    python3 "$(dirname "$0")/oauth_vendor.py" "$work/vendor-$n.port" "$LEVER_URL" \
        sandbox-api-key rt-1 "$VLOG" &
    gw_pids+=("$!")
    for _ in $(seq 100); do [ -s "$work/vendor-$n.port" ] && break; sleep 0.05; done
    [ -s "$work/vendor-$n.port" ] || fail "oauth_vendor.py did not start"
    VURL="http://127.0.0.1:$(cat "$work/vendor-$n.port")"
    cat >"$work/oauth.json" <<JSON
{"connector": "lever", "base_url": "$VURL/v1",
 "credentials": {"client_id": "c", "client_secret": "s", "refresh_token": "rt-1",
                 "token_url": "$VURL/token"},
 "options": {"perform_as": "$(jq -r .options.perform_as "$work/lever.json")"}}
JSON
}

suite() {
    local key token id
    key=$(new_key) || fail "uatsd --init"
    start_vendor
    token=$(add_conn oauth "$work/oauth.json") || fail "uats store add"
    start_uatsd --cache-ttl 1
    local auth=(-H "Authorization: Bearer $key" -H "X-Connection-Token: $token")

    req POST "$GW/ats/v1/candidates" "${auth[@]}" -d '{"first_name": "Rota"}'
    expect_status 201
    id=$(jbody .model.id)
    # Requests across several cache checks: one token fetch in all.
    for _ in 1 2 3; do
        sleep 1.2
        req GET "$GW/ats/v1/candidates/$id" "${auth[@]}"
        expect_status 200
    done
    [ "$(wc -l <"$VLOG")" -eq 1 ] || { cat "$VLOG"; fail "the token was fetched more than once"; }
    grep -q "^refresh_token rt-1 200$" "$VLOG" || { cat "$VLOG"; fail "no refresh with rt-1"; }

    # A restarted uatsd reads the rotated token (rt-2) from the store.
    stop_uatsd "$GW_PID"
    start_uatsd --cache-ttl 1
    req GET "$GW/ats/v1/candidates/$id" "${auth[@]}"
    expect_status 200
    grep -q "^refresh_token rt-2 200$" "$VLOG" || { cat "$VLOG"; fail "rt-2 was not stored"; }
    grep -q " 400$" "$VLOG" && { cat "$VLOG"; fail "a stale refresh token was used"; }

    # The connection is replaced (same name and token, now the API key
    # straight to the emulator) while a token fetch is under way: the
    # rotated token must not be written over the new configuration.
    start_vendor
    local race
    race=$(add_conn race "$work/oauth.json") || fail "uats store add"
    touch "$VLOG.slow"
    curl -s -o "$work/race.body" -w '%{http_code}' -H "Authorization: Bearer $key" \
        -H "X-Connection-Token: $race" "$GW/ats/v1/candidates/$id" >"$work/race.status" &
    local curl_pid=$!
    sleep 0.7
    RACE_TOKEN=$race "$UATS" --config <(printf '{"c": %s}' "$(cat "$work/lever.json")") \
        --connection c store add "race-$run_id" --replace --client-token-env RACE_TOKEN \
        --store "$STORE" || fail "uats store add --replace"
    wait "$curl_pid"
    [ "$(cat "$work/race.status")" = 200 ] || { cat "$work/race.body"; fail "the raced request"; }
    rm "$VLOG.slow"
    # A fresh instance uses what the store holds: the API key, no token.
    stop_uatsd "$GW_PID"
    start_uatsd --cache-ttl 1
    req GET "$GW/ats/v1/candidates/$id" -H "Authorization: Bearer $key" -H "X-Connection-Token: $race"
    expect_status 200
    [ "$(wc -l <"$VLOG")" -eq 1 ] || { cat "$VLOG"; fail "the replaced configuration was overwritten"; }
    contains "$work/uatsd.err" "race-$run_id"

    stop_uatsd "$GW_PID"
    for f in "$GW_LOG" "$work/uatsd.err" "$work/body"; do
        for s in "$key" "$token" "$race" rt-2 rt-3 at-1 at-2; do lacks "$f" "$s"; done
    done
}
for_each_store suite
echo "PASS"
