#!/bin/bash
# uats-conformance: every in-tree connector passes the standard suite
# against its emulator (through the kit's fault-injecting proxy).
. "$(dirname "$0")/common.sh"
start_sandbox

CONFORMANCE="$builddir/tools/uats-conformance"
# Every configuration the sandbox wrote passes, applying the candidate to
# the vendor's job when it has one (vendors that keep files on applications
# need it for the attachment check).
for config in "$work"/*.json; do
    [ "$(basename "$config")" = connections.json ] && continue
    job="${config%.json}.job"
    if [ -f "$job" ]; then
        expect_exit 0 "$CONFORMANCE" --job-id "$(cat "$job")" "$config"
    else
        expect_exit 0 "$CONFORMANCE" "$config"
    fi
    contains "$work/out" "0 failed"
    contains "$work/out" "PASS  401 is an authentication error"
    contains "$work/out" "PASS  a create answered 502 is reported as possibly done, not resent"
    # Greenhouse keeps files (others may take none: Teamtailor wants URLs).
    case "$(basename "$config")" in
    greenhouse*) contains "$work/out" "PASS  the candidate lists the attachment" ;;
    esac
done

if has memory; then
    echo '{"connector": "memory"}' >"$work/memory.json"
    expect_exit 0 "$CONFORMANCE" "$work/memory.json"
    contains "$work/out" "SKIP  fault checks"
fi
expect_exit 2 "$CONFORMANCE"
has lever || exit 0

# The kit fails what it should: pointed at a path where no Lever lives, the
# create fails, and the kit says so with exit status 1.
hostport=${LEVER_URL#http://}; hostport=${hostport%%/*}
cat >"$work/wrong.json" <<JSON
{"connector": "lever", "base_url": "http://$hostport/nowhere",
 "credentials": {"api_key": "sandbox-api-key"}, "options": {"perform_as": "u-1"}}
JSON
expect_exit 1 "$CONFORMANCE" "$work/wrong.json"
contains "$work/out" "FAIL  create a candidate"
