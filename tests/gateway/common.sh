# tests/gateway/common.sh: shared by the gateway tests. Sourced after
# tests/cli/common.sh (which starts uats-sandbox). Runs uatsd instances on
# loopback against a store, and offers request and JSON helpers (curl, jq).
#
# Stores: every test runs its suite once per store given by for_each_store:
# a fresh SQLite file always, and PostgreSQL when UATSD_TEST_PG holds a
# server URL (scripts/postgres.sh starts one; CI sets it). Names and tokens
# are unique per run, so tests can share one PostgreSQL database.
set -u

UATSD="$builddir/tools/uatsd/uatsd"
[ -x "$UATSD" ] || { echo "SKIP: uatsd not built (--disable-gateway)"; exit 77; }
command -v curl >/dev/null || fail "curl is needed"
command -v jq >/dev/null || fail "jq is needed"

gw_pids=()
gw_cleanup() {
    local rc=$?
    for p in "${gw_pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${gw_pids[@]}"; do wait "$p" 2>/dev/null; done
    if [ $rc -ne 0 ] && [ -s "$work/uatsd.err" ]; then
        echo "--- uatsd's stderr"; tail -n 80 "$work/uatsd.err"
    fi
    cleanup
}
trap gw_cleanup EXIT
# A write by this shell to a peer that has gone (bash's /dev/tcp in
# sandbox_get) must fail that one step, which the test then notices, not
# kill the whole test with SIGPIPE (seen once in many runs). A handler, not
# an ignore: children still get the default action.
trap 'echo "note: SIGPIPE in ${FUNCNAME[*]:-the script}" >&2' PIPE

run_id="$(basename "$0" .sh)-$$-$RANDOM"

# The stores this run uses: "sqlite:$work/..." and maybe a PostgreSQL URL.
test_stores() {
    echo "sqlite:$work/store-$run_id.db"
    [ -n "${UATSD_TEST_PG:-}" ] && echo "$UATSD_TEST_PG"
    return 0
}

# for_each_store FN: run FN with STORE set to each store in turn.
for_each_store() {
    local fn=$1 s
    [ -z "${UATSD_TEST_PG:-}" ] && echo "note: UATSD_TEST_PG unset: PostgreSQL store not tested"
    while read -r s; do
        STORE=$s
        case $s in postgres*) echo "== store: postgresql" ;; *) echo "== store: sqlite" ;; esac
        "$fn"
    done < <(test_stores)
}

# new_key: a fresh gateway API key in $STORE.
new_key() { "$UATSD" --store "$STORE" --init --label "$run_id"; }

# add_conn NAME CONFIG_FILE: store a connection; prints its client token.
add_conn() {
    "$UATS" --config <(printf '{"c": %s}' "$(cat "$2")") --connection c \
        store add "$1-$run_id" --store "$STORE"
}

# start_uatsd [uatsd options]: start an instance on $STORE; sets GW (its
# root URL), GW_PID and GW_LOG (its access log). Its stderr goes to
# $work/uatsd.err.
start_uatsd() {
    local n=${#gw_pids[@]}
    local pf="$work/port.$n"
    GW_LOG="$work/access.$n.log"
    # UATSD_TEST_WRAPPER: run uatsd under a checker (valgrind, in
    # scripts/check-sanitizers.sh).
    ${UATSD_TEST_WRAPPER:-} "$UATSD" --store "$STORE" --listen 127.0.0.1:0 --port-file "$pf" \
        --access-log "$GW_LOG" "$@" 2>>"$work/uatsd.err" &
    GW_PID=$!
    gw_pids+=("$GW_PID")
    for _ in $(seq 600); do [ -s "$pf" ] && break; sleep 0.05; done
    [ -s "$pf" ] || { cat "$work/uatsd.err"; fail "uatsd did not start"; }
    GW="http://127.0.0.1:$(cat "$pf")"
}

# stop_uatsd PID: SIGTERM, and wait for a clean exit.
stop_uatsd() {
    kill -TERM "$1"
    wait "$1"
    local rc=$?
    [ "$rc" -eq 0 ] || fail "uatsd exited $rc after SIGTERM"
}

# req METHOD URL [curl args]: the status in $STATUS, the body in $work/body.
req() {
    local m=$1 u=$2; shift 2
    STATUS=$(curl -s -o "$work/body" -w '%{http_code}' -X "$m" "$u" "$@")
}

# expect_status CODE: the last req's status.
expect_status() {
    [ "$STATUS" = "$1" ] || { cat "$work/body"; echo; fail "HTTP $STATUS, expected $1"; }
}

# jbody FILTER: jq on the last body (raw output).
jbody() { jq -r "$1" "$work/body"; }

# expect_json FILTER VALUE: the filter's raw output equals VALUE.
expect_json() {
    local got
    got=$(jq -r "$1" "$work/body") || { cat "$work/body"; fail "not JSON"; }
    [ "$got" = "$2" ] || { cat "$work/body"; echo; fail "$1 is '$got', expected '$2'"; }
}

# expect_idempotent_create ID_FILTER URL [curl args]: the same create sent
# twice with one Idempotency-Key is answered 201 twice with the same id
# (jq ID_FILTER on the body), and the Lever emulator holds one opportunity
# more, not two.
expect_idempotent_create() {
    local filter=$1 url=$2; shift 2
    local before once key="idem-$run_id-$RANDOM"
    local body='{"first_name": "Once", "last_name": "Only"}'
    before=$(opportunities)
    req POST "$url" "$@" -H "Idempotency-Key: $key" -d "$body"
    [ "$STATUS" = 201 ] || { cat "$work/body"; fail "HTTP $STATUS for an idempotent create"; }
    once=$(jbody "$filter")
    req POST "$url" "$@" -H "Idempotency-Key: $key" -d "$body"
    [ "$STATUS" = 201 ] && [ "$(jbody "$filter")" = "$once" ] || fail "the retry was not a replay"
    [ "$(opportunities)" -eq $((before + 1)) ] || fail "a retried create made a second candidate"
}
