#!/usr/bin/env bash
# Official clients that nobody here wrote, from the npm registry, pointed at
# uatsd by base URL (issue 11): the Kombo TypeScript SDK creates a candidate
# with a resume through one uatsd instance, and the Merge Node client reads
# it back through a second instance on the same store: PostgreSQL when
# UATSD_TEST_PG holds a URL (CI), else an SQLite file.
# Needs node and npm (Debian 12's nodejs or the machine's), a built tree
# (scripts/build.sh), and the npm registry for `npm ci`.
# Usage: scripts/clients.sh   Prints "clients: ok" or "clients: FAILED: why".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
fail() { echo "clients: FAILED: $*"; exit 1; }

command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"
[ -x tools/uatsd/uatsd ] || fail "build first (scripts/build.sh); uatsd is missing"
(cd tests/clients && npm ci --no-audit --no-fund --loglevel=error >/dev/null) ||
    fail "npm ci in tests/clients"

work=$(mktemp -d /tmp/uats-clients-XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT

export UATS_CONNECTOR_PATH="$top/plugins/lever/.libs"
tools/uats-sandbox --config-dir "$work" >"$work/urls" &
pids+=($!)
for _ in $(seq 100); do [ -s "$work/lever.json" ] && break; sleep 0.05; done
[ -s "$work/lever.json" ] || fail "uats-sandbox did not start"

store=${UATSD_TEST_PG:-sqlite:$work/store.db}
case $store in postgres*) echo "store: postgresql" ;; *) echo "store: sqlite" ;; esac
key=$(tools/uatsd/uatsd --store "$store" --init --label clients) || fail "uatsd --init"
token=$(tools/uats --config <(printf '{"l": %s}' "$(cat "$work/lever.json")") --connection l \
        store add "clients-$$-$RANDOM" --store "$store") || fail "uats store add"

# start NAME: a uatsd instance on the store; its root URL in $GW. Not in
# a command substitution: uatsd would hold its pipe open (the script would
# wait forever) and its pid would not reach pids (it would outlive us).
start() {
    tools/uatsd/uatsd --store "$store" --listen 127.0.0.1:0 --port-file "$work/port.$1" \
        --access-log "$work/access.$1.log" >/dev/null 2>>"$work/uatsd.err" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/port.$1" ] && break; sleep 0.05; done
    [ -s "$work/port.$1" ] || { cat "$work/uatsd.err"; fail "uatsd did not start"; }
    GW="http://127.0.0.1:$(cat "$work/port.$1")"
}
start a
gw_a=$GW
start b
gw_b=$GW

echo "== Kombo SDK (@kombo-api/sdk) -> uatsd A"
UATSD_URL=$gw_a UATSD_KEY=$key UATSD_KOMBO_INTEGRATION=$token UATSD_JOB_ID=$(cat "$work/lever.job") \
    node tests/clients/kombo.mjs >"$work/kombo.out" 2>&1
rc=$?
cat "$work/kombo.out"
[ $rc -eq 0 ] || fail "the Kombo SDK run"
id=$(tail -n 1 "$work/kombo.out")
[ -n "$id" ] || fail "the Kombo run printed no candidate id"

echo "== Merge client (@mergeapi/merge-node-client) -> uatsd B, candidate $id"
UATSD_URL=$gw_b UATSD_KEY=$key UATSD_MERGE_ACCOUNT=$token CANDIDATE_ID=$id UATSD_JOB_ID=$(cat "$work/lever.job") \
    node tests/clients/merge.mjs >"$work/merge.out" 2>&1
rc=$?
cat "$work/merge.out"
[ $rc -eq 0 ] || fail "the Merge client run"

# The clients' calls really went through two instances, and no secret
# reached a log.
grep -q '"api":"kombo"' "$work/access.a.log" || fail "instance A logged no Kombo call"
grep -q '"api":"merge"' "$work/access.b.log" || fail "instance B logged no Merge call"
for f in "$work"/access.*.log "$work/uatsd.err"; do
    for s in "$key" "$token" sandbox-api-key; do
        grep -qF -- "$s" "$f" && fail "a secret in $(basename "$f")"
    done
done
echo "clients: ok"
