#!/usr/bin/env bash
# bench/gateway.sh: uatsd under load. GET /ats/v1/candidates/{id} through
# the gateway with wrk on loopback, next to the same read called in-process
# through libuats (bench_gateway_direct) and to the Lever emulator alone,
# with the CPU each process spent per GET; then where uatsd's instructions
# go (callgrind) and, where perf works, its user/kernel split.
# bench/README.md ("Gateway") explains the figures. Run from a built tree:
#   bench/gateway.sh [seconds per run] [rounds]     (make bench runs it too)
# Needs wrk (Debian package wrk: installed here when run as root), curl and
# valgrind. UATSD_THREADS sets uatsd's --threads (default: uatsd's own).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
top=$PWD
secs=${1:-10}
rounds=${2:-3}
lt=./libtool
export UATS_BENCH_PLUGINS="$top/plugins" UATS_CONNECTOR_PATH="$top/plugins/lever"

if ! command -v wrk >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "wrk: not installed; installing the Debian package"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1 ||
            { apt-get update -q >/dev/null 2>&1 &&
              DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >/dev/null 2>&1; }
    fi
    command -v wrk >/dev/null ||
        { echo "wrk: not installed (apt-get install wrk); gateway benchmark skipped"; exit 0; }
fi
for t in curl valgrind; do
    command -v $t >/dev/null || { echo "$t: not installed; gateway benchmark skipped"; exit 0; }
done
[ -x tools/uatsd/uatsd ] || { echo "uatsd not built (--disable-gateway); skipped"; exit 0; }
make -s -C bench bench_calls bench_gateway_direct >/dev/null || exit 1

work=$(mktemp -d /tmp/uats-bench-gw-XXXXXX)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
die() { echo "gateway.sh: $*" >&2; exit 1; }

# ---- the setup: emulator, store, key, connection, uatsd, one candidate ----

tools/uats-sandbox --config-dir "$work" >"$work/urls" 2>"$work/sandbox.err" &
sandbox=$!
pids+=("$sandbox")
for _ in $(seq 100); do [ -s "$work/lever.json" ] && break; sleep 0.05; done
[ -s "$work/lever.json" ] || die "uats-sandbox did not start"
url=$(awk '$1 == "lever" { print $2 }' "$work/urls")    # http://127.0.0.1:PORT/v1
emu=${url%/v1}

store="sqlite:$work/store.db"
key=$(tools/uatsd/uatsd --store "$store" --init --label bench) || die "uatsd --init"
# Lever's documented pace (9 requests/s) is lifted, as in run.sh, or this
# would measure the pacer; the sandbox enforces no limit.
{ echo '{"s": '; sed 's/^}$/, "rate": {"per_sec": 0}}/' "$work/lever.json"; echo '}'; } \
    >"$work/conns.json"
token=$(tools/uats --config "$work/conns.json" --connection s store add bench --store "$store") ||
    die "uats store add"

# start_uatsd LOG [command prefix...]: sets gw (root URL) and gw_pid.
start_uatsd() {
    local log=$1; shift
    local pf="$work/port.${#pids[@]}"
    "$@" tools/uatsd/uatsd --store "$store" --listen 127.0.0.1:0 --port-file "$pf" \
        --access-log "$log" ${UATSD_THREADS:+--threads "$UATSD_THREADS"} \
        2>>"$work/uatsd.err" &
    gw_pid=$!
    pids+=("$gw_pid")
    for _ in $(seq 600); do [ -s "$pf" ] && break; sleep 0.05; done
    [ -s "$pf" ] || { cat "$work/uatsd.err"; die "uatsd did not start"; }
    gw="http://127.0.0.1:$(cat "$pf")"
}
# The production setting: access log on, to a file.
start_uatsd "$work/access.log"
uatsd=$gw_pid
gw_main=$gw

auth=(-H "Authorization: Bearer $key" -H "X-Connection-Token: $token")
created=$(curl -s -f "${auth[@]}" -X POST "$gw/ats/v1/candidates" \
    -d '{"first_name": "Bench", "last_name": "Mark", "title": "Analyst",
         "email_addresses": [{"value": "bench@example.com"}], "tags": ["bench"]}') ||
    die "creating the candidate through uatsd failed"
id=$(printf '%s' "$created" | sed -n 's/^{"model":{"id":"\([^"]*\)".*/\1/p')
[ -n "$id" ] || die "no candidate id in: $created"
path="/ats/v1/candidates/$id"
curl -s -f -o /dev/null "${auth[@]}" "$gw$path" || die "GET $path failed"

# ---- measuring ----

# wrk's own summary, one line: requests/s, p50/p99 (ms), errors.
cat >"$work/done.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  local s = summary.duration / 1e6
  io.write(string.format("rate=%.0f p50_ms=%.3f p99_ms=%.3f requests=%d errors=%d non2xx=%d\n",
    summary.requests / s, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
LUA
# The emulator alone: the three requests of Lever's get, in turn.
{
    printf 'local paths = {"/v1/opportunities/%s", "/v1/opportunities/%s/resumes?limit=100",\n' \
        "$id" "$id"
    printf '  "/v1/opportunities/%s/files?limit=100"}\n' "$id"
    printf 'local i = 0\nrequest = function()\n  i = i %% 3 + 1\n'
    printf '  return wrk.format("GET", paths[i])\nend\n'
    cat "$work/done.lua"
} >"$work/emu.lua"
basic="Authorization: Basic $(printf 'sandbox-api-key:' | base64)"

hz=$(getconf CLK_TCK)
# CPU ticks (user + system) of a process, all its threads.
ticks() {
    local s
    s=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
    s=${s##*) }
    set -- $s
    echo $((${12} + ${13}))
}
# Of this shell's waited-for children (the client, once it has exited).
child_ticks() {
    local s
    s=$(cat "/proc/$$/stat")
    s=${s##*) }
    set -- $s
    echo $((${14} + ${15}))
}
# Busy ticks of the whole machine, all cores.
machine_busy() {
    local _c u n s _i w q sq st
    read -r _c u n s _i w q sq st _ </proc/stat
    echo $((u + n + s + q + sq + st))
}

# measure KEY NAME SETTINGS GETS_PER_UNIT CMD...: run the client CMD (it
# prints a rate=... line), then add one table row to $work/rows.KEY: its
# figures, and the CPU each process spent per GET (µs), with what other
# processes on the machine took meanwhile.
keys=()
measure() {
    local key=$1 name=$2 settings=$3 per=$4; shift 4
    local g0 e0 c0 m0 g1 e1 c1 m1 t0 t1
    g0=$(ticks "$uatsd"); e0=$(ticks "$sandbox"); m0=$(machine_busy)
    c0=$(child_ticks); t0=$(date +%s%N)
    "$@" >"$work/out" 2>&1
    t1=$(date +%s%N)
    g1=$(ticks "$uatsd"); e1=$(ticks "$sandbox"); m1=$(machine_busy); c1=$(child_ticks)
    local line
    line=$(grep -o 'rate=.*' "$work/out" | tail -n 1)
    [ -n "$line" ] || { cat "$work/out"; die "$name: no figures"; }
    local rate p50 p99 bad=0
    rate=$(sed 's/.*rate=\([0-9.]*\).*/\1/' <<<"$line")
    p50=$(sed 's/.*p50_ms=\([0-9.]*\).*/\1/' <<<"$line")
    p99=$(sed 's/.*p99_ms=\([0-9.]*\).*/\1/' <<<"$line")
    case $line in *errors=*) bad=$(sed 's/.*errors=\([0-9]*\) non2xx=\([0-9]*\).*/\1+\2/' <<<"$line") ;; esac
    [ "$((bad))" -eq 0 ] || echo "   warning: $name $settings: $((bad)) failed or non-2xx requests"
    [ -e "$work/rows.$key" ] || keys+=("$key")
    awk -v n="$name" -v st="$settings" -v r="$rate" -v per="$per" -v p50="$p50" \
        -v p99="$p99" -v hz="$hz" -v el="$(((t1 - t0) / 1000))" -v g=$((g1 - g0)) \
        -v e=$((e1 - e0)) -v c=$((c1 - c0)) -v m=$((m1 - m0)) 'BEGIN {
        gets = r * per * el / 1e6; us = 1e6 / hz / gets
        other = m - g - e - c; if (other < 0) other = 0
        total = (g + e + c) * us
        printf "%.0f\t| %s | %s | %.0f | %.2f | %.2f | %s | %.0f | %.0f | %.0f | %.2f | %.0f |\n",
            r * per, n, st, r * per, p50, p99, g ? sprintf("%.0f", g * us) : "-", e * us,
            c * us, total, other / hz / (el / 1e6), 2e6 / total }' >>"$work/rows.$key"
}

echo "== uatsd benchmark: uats $(tools/uats --version | cut -d' ' -f2), $(nproc) cores," \
     "$(wrk --version 2>&1 | head -n 1 | cut -d' ' -f1,2), $rounds rounds of $secs s per" \
     "setting, $(date -u +%Y-%m-%d)"
echo "   load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Rounds go through every setting in turn, so that a burst of load from
# elsewhere on the machine spreads over all of them.
for r in $(seq "$rounds"); do
    for c in 16 64; do
        measure "emu$c" "emulator alone (3 Lever GETs = 1)" "wrk -t2 -c$c" 0.333333 \
            wrk -t2 -c$c -d"${secs}s" -H "$basic" -s "$work/emu.lua" "$emu/"
    done
    for mt in "get 8" "json 8" "json 16"; do
        set -- $mt
        measure "direct$1$2" "in-process, libuats ($1)" "$2 threads, 1 connection" 1 \
            $lt --mode=execute bench/bench_gateway_direct "$url" "$id" "$2" "$secs" "$1"
    done
    for c in 16 64; do
        measure "gw$c" "through uatsd" "wrk -t2 -c$c" 1 \
            wrk -t2 -c$c -d"${secs}s" "${auth[@]}" -s "$work/done.lua" "$gw$path"
    done
    echo "   round $r done, load average $(cut -d' ' -f1-3 /proc/loadavg)"
done
lines=$(wc -l <"$work/access.log")
ok=$(grep -c '"status":200' "$work/access.log")
echo "   uatsd's access log: $lines lines, $ok with status 200"
echo
echo "| run | settings | GETs/s | p50 ms | p99 ms | CPU µs/GET uatsd | emulator | client | sum | other processes, cores busy | 2-core ceiling GETs/s |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
# Each setting's round with the median rate.
for k in "${keys[@]}"; do
    sort -n "$work/rows.$k" | awk -F'\t' '{ l[NR] = $2 } END { print l[int((NR + 1) / 2)] }'
done
echo
echo "Each row: the round with the median GETs/s of $rounds. GETs/s: the emulator"
echo "rows count its 3 requests as one GET. CPU µs/GET: each process's user +"
echo "system time over the run, per GET (client: wrk, or the in-process program,"
echo "which does the connector's work itself). 2-core ceiling: 2 s of CPU per"
echo "second / the sum: the rate if the three had both cores to themselves."
best=$(cat "$work"/rows.gw* | sort -n | awk -F'\t' '{ r[NR] = $1 } END { print r[NR] }')
med=$(for k in gw16 gw64; do sort -n "$work/rows.$k" | awk -F'\t' '{ r[NR] = $1 } END { print r[int((NR + 1) / 2)] }'; done | sort -n | tail -n 1)
if [ "$med" -ge 5000 ]; then verdict="met"; else verdict="missed"; fi
echo "Through uatsd: best median $med GETs/s (best single run $best); target ≥ 5,000 on 2 cores: $verdict."

# ---- where uatsd's instructions go ----

n=300
echo
echo "-- uatsd, instructions per GET (callgrind, $n GETs after warm-up, one client connection)"
start_uatsd "$work/access.cg.log" $lt --mode=execute valgrind --tool=callgrind \
    --callgrind-out-file="$work/cg.uatsd"
cg=$gw_pid
for _ in 1 2 3; do curl -s -o /dev/null "${auth[@]}" "$gw$path"; done
for _ in $(seq 100); do [ "$(wc -l <"$work/access.cg.log")" -ge 3 ] && break; sleep 0.1; done
callgrind_control --zero "$cg" >/dev/null 2>&1 || die "callgrind_control --zero"
for _ in $(seq $n); do echo "url = \"$gw$path\""; done >"$work/urls.cg"
curl -s "${auth[@]}" -K "$work/urls.cg" >/dev/null
for _ in $(seq 200); do [ "$(wc -l <"$work/access.cg.log")" -ge $((n + 3)) ] && break; sleep 0.1; done
[ "$(grep -c '"status":200' "$work/access.cg.log")" -eq $((n + 3)) ] || die "callgrind run: not all GETs answered 200"
callgrind_control --dump "$cg" >/dev/null 2>&1
kill "$cg"
wait "$cg" 2>/dev/null
callgrind_annotate --inclusive=yes --threshold=100 "$work/cg.uatsd".* >"$work/cg.txt" 2>/dev/null
total=$(sed -n 's/^totals: *//p' "$work/cg.uatsd".* | head -n 1)
incl() {    # inclusive instructions of file:function
    grep -F "$1 [" "$work/cg.txt" | head -n 1 | awk '{ gsub(",", "", $1); print $1 }'
}
get=$(incl 'core/ops.c:uats_candidate_get'); tojson=$(incl 'server.c:gw_unified_json')
link=$(incl 'links.c:gw_link_get'); send=$(incl 'server.c:send_json')
logl=$(incl 'server.c:on_completed'); onreq=$(incl 'server.c:on_request')
other=$(( ${onreq:-0} - ${get:-0} - ${tojson:-0} - ${link:-0} - ${send:-0} ))
mhd=$(( total - ${onreq:-0} - ${logl:-0} ))
row() {
    printf '   %-60s %9d  %4.1f %%\n' "$1" $(( ${2:-0} / n )) \
        "$(awk -v a="${2:-0}" -v t="$total" 'BEGIN { print 100 * a / t }')"
}
row "total" "$total"
row "uats_candidate_get (core, Lever connector, libcurl)" "$get"
row "the answer as JSON (gw_unified_json: uats_object_to_json)" "$tojson"
row "connection lookup (gw_link_get: SHA-256 of the token, cache)" "$link"
row "the response (send_json: json_dumps, MHD response)" "$send"
row "the access log line (on_completed)" "$logl"
row "routing, key check (SHA-256), freeing the result, the rest" "$other"
row "libmicrohttpd itself: reading, parsing, writing, its loop" "$mhd"
$lt --mode=execute valgrind --tool=callgrind --instr-atstart=no \
    --callgrind-out-file="$work/cg.direct" bench/bench_calls "$url" $n 1 uats get \
    >/dev/null 2>"$work/cg.direct.log"
direct=$(sed -n 's/^totals: *//p' "$work/cg.direct")
printf '   in-process, bench_calls uats get (same read, no HTTP server):  %9d\n' $((direct / n))

# ---- user and kernel time, where perf can sample ----

echo
if command -v perf >/dev/null && perf record -q -e cpu-clock -o "$work/perf.test" true >/dev/null 2>&1; then
    echo "-- uatsd, where its CPU time goes (perf record -e cpu-clock, wrk -t2 -c64, 5 s)"
    wrk -t2 -c64 -d7s "${auth[@]}" "$gw_main$path" >/dev/null 2>&1 &
    w=$!
    sleep 1
    perf record -q -e cpu-clock -F 999 -p "$uatsd" -o "$work/perf.data" -- sleep 5 >/dev/null 2>&1
    wait $w
    perf report -i "$work/perf.data" --no-children --sort dso -g none 2>/dev/null |
        grep -v '^#' | grep -v '^$' | head -n 10 | sed 's/^/   /'
    # Sampled by a timer, the time spent switching threads and waking them
    # (interrupts off) shows up where interrupts come back on.
    sched=$(perf report -i "$work/perf.data" --no-children --sort sym -g none 2>/dev/null |
        awk '/finish_task_switch|_raw_spin_unlock_irqrestore/ { gsub("%", "", $1); s += $1 }
             END { printf "%.1f", s }')
    echo "   of which thread switches and wake-ups (finish_task_switch,"
    echo "   _raw_spin_unlock_irqrestore): $sched %"
else
    echo "-- perf cannot sample here: user/kernel split skipped"
fi
