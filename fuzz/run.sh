#!/usr/bin/env bash
# Build the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,
# undefined) and run each for SECONDS (default 60), seeded from the
# documented payloads in fuzz/seeds/. Needs a configured, built tree
# (scripts/build.sh). Prints executions per harness; exits non-zero on the
# first crash, leaving the crashing input in fuzz/crashes/.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
out=fuzz/build
mkdir -p "$out" fuzz/crashes
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I. -Icore \
       -Itests -Iplugins/lever -Iplugins/greenhouse $(pkg-config --cflags jansson libcurl)"
libs="$(pkg-config --libs jansson libcurl) -lltdl -lpthread -lm"
core=$(ls core/*.c)
declare -A sources=(
    [model]="fuzz/fuzz_model.c $core"
    [lever]="fuzz/fuzz_lever.c tests/fakehost.c plugins/lever/lever_map.c $core"
    [greenhouse]="fuzz/fuzz_greenhouse.c tests/fakehost.c plugins/greenhouse/greenhouse_map.c $core"
    [config]="fuzz/fuzz_config.c $core"
)
status=0
for h in model lever greenhouse config; do
    # shellcheck disable=SC2086
    clang $flags -DUATS_CONNECTOR_DIR='"/nonexistent"' -o "$out/fuzz_$h" ${sources[$h]} $libs ||
        { echo "fuzz_$h: build failed"; status=1; continue; }
    mkdir -p "$out/corpus_$h"
    UATS_FUZZ_PLUGINS="$PWD/plugins" "$out/fuzz_$h" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix=fuzz/crashes/"$h"- -print_final_stats=1 \
        "$out/corpus_$h" "fuzz/seeds/$h" >"$out/$h.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$h.log")
    if [ $rc -ne 0 ]; then
        echo "fuzz_$h: CRASH after ${runs:-?} executions"; tail -n 40 "$out/$h.log"; status=1
    else
        echo "fuzz_$h: ${runs:-?} executions in ${seconds} s, 0 crashes"
    fi
done
exit $status
