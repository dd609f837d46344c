#!/usr/bin/env bash
# bench/run.sh: build and run every benchmark against uats-sandbox and print
# the figures (bench/README.md explains them). Run from a built tree:
#   make bench        (or bench/run.sh [calls-per-round] [rounds])
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
calls=${1:-2000}
rounds=${2:-5}
export UATS_BENCH_PLUGINS="$top/plugins" UATS_CONNECTOR_PATH="$top/plugins/lever"
make -s -C bench bench_calls bench_load >/dev/null || exit 1
work=$(mktemp -d /tmp/uats-bench-XXXXXX)
tools/uats-sandbox --config-dir "$work" >"$work/urls" &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do [ -s "$work/lever.json" ] && break; sleep 0.05; done
url=$(awk '$1 == "lever" { print $2 }' "$work/urls")
lt=./libtool
state() {
    local hp=${url#http://}; hp=${hp%%/*}
    exec 3<>"/dev/tcp/${hp%:*}/${hp#*:}"
    printf 'GET /_sandbox/state HTTP/1.0\r\n\r\n' >&3
    sed '1,/^\r$/d' <&3
    exec 3<&-
}

echo "== uats $(tools/uats --version | cut -d' ' -f2), $(nproc) cores, $(date -u +%Y-%m-%d)"
echo
echo "-- 1. calls per second (median of $rounds rounds of $calls calls, one kept-alive connection)"
$lt --mode=execute bench/bench_calls "$url" "$calls" "$rounds"
if command -v node >/dev/null; then
    node bench/node_client.mjs "$url" "$calls" "$rounds"
else
    echo "node: not installed, Node.js comparison skipped"
fi
echo
echo "-- 2. instructions per call (callgrind, 300 calls after one warm-up)"
for op in get create; do
    for mode in uats raw; do
        $lt --mode=execute valgrind --tool=callgrind --instr-atstart=no \
            --callgrind-out-file="$work/cg.$mode.$op" bench/bench_calls "$url" 300 1 $mode $op \
            >/dev/null 2>"$work/cg.$mode.$op.log"
        ir=$(sed -n 's/^totals: *//p' "$work/cg.$mode.$op")
        eval "ir_${mode}_$op=$ir"
    done
    u=$(eval echo "\$ir_uats_$op"); r=$(eval echo "\$ir_raw_$op")
    printf '%-8s uats %7d instr/call   raw %7d instr/call   ratio %.2f\n' "$op" \
        $((u / 300)) $((r / 300)) "$(awk -v u="$u" -v r="$r" 'BEGIN { print u / r }')"
done
echo "   where uats spends more than raw on get (top functions, inclusive, own code):"
callgrind_annotate --inclusive=yes "$work/cg.uats.get" 2>/dev/null |
    grep -E 'core/|plugins/' | head -n 8 | sed 's/^/   /'
echo
echo "-- 3. load and memory"
$lt --mode=execute bench/bench_load "$top/plugins" "$url"
echo
echo "-- 4. bulk import of 10,000 candidates (uats candidate import)"
for i in $(seq 10000); do
    echo "{\"first_name\": \"Bulk$i\", \"email_addresses\": [{\"value\": \"bulk$i@example.com\"}]}"
done >"$work/bulk.jsonl"
# Lever's documented pace (9 requests/s) would make this a 20-minute test
# of the pacer: the benchmark lifts it (the sandbox enforces no limit).
{ echo "{\"s\": "; sed 's/^}$/, "rate": {"per_sec": 0}}/' "$work/lever.json"; echo "}"; } \
    >"$work/conns.json"
for j in 1 4; do
    rm -f "$work/bulk.jsonl.state"
    before=$(state | sed -n 's/.*"connections": *\([0-9]*\).*/\1/p')
    start=$(date +%s%N)
    tools/uats --config "$work/conns.json" --connection s candidate import -j $j "$work/bulk.jsonl" \
        >"$work/import.out" 2>&1 &
    pid=$!
    peak=0
    while kill -0 $pid 2>/dev/null; do
        for p in $pid $(pgrep -P $pid); do
            k=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$p/status 2>/dev/null)
            [ -n "$k" ] && [ "$k" -gt "$peak" ] && peak=$k
        done
        sleep 0.05
    done
    wait $pid
    secs=$(awk -v a="$start" -v b="$(date +%s%N)" 'BEGIN { print (b - a) / 1e9 }')
    after=$(state | sed -n 's/.*"connections": *\([0-9]*\).*/\1/p')
    printf -- '-j %d: %.0f candidates/s (%.1f s), %d TCP connections opened, peak RSS %d KiB  [%s]\n' \
        $j "$(awk -v s="$secs" 'BEGIN { print 10000 / s }')" "$secs" $((after - before - 1)) "$peak" \
        "$(tail -n 1 "$work/import.out")"
done
echo
echo "-- 5. the emulator's capacity: the raw client figures in 1 are what one"
echo "   connection to uats-sandbox serves; uats runs below them, not against them."
echo
echo "-- 6. the gateway: GET through uatsd with wrk, next to the same read in-process"
bash bench/gateway.sh
