# tests/cli/common.sh: shared by the command-line tests. Sourced.
# Starts uats-sandbox on loopback, points uats at it, and offers small
# assertion helpers. Needs only bash and coreutils.
set -u

builddir=${UATS_BUILDDIR:?run the tests with make check}
UATS="$builddir/tools/uats"
SANDBOX="$builddir/tools/uats-sandbox"
# The connectors configure built (all by default; see --enable-connectors).
built=${UATS_TEST_CONNECTORS-memory lever greenhouse}
all_connectors=${UATS_ALL_CONNECTORS-$built}
UATS_CONNECTOR_PATH=
for c in $built; do UATS_CONNECTOR_PATH="$UATS_CONNECTOR_PATH${UATS_CONNECTOR_PATH:+:}$UATS_TEST_PLUGINS/$c"; done
export UATS_CONNECTOR_PATH
work=$(mktemp -d /tmp/uats-cli-test-XXXXXX)
sandbox_pid=

cleanup() {
    [ -n "$sandbox_pid" ] && kill "$sandbox_pid" 2>/dev/null && wait "$sandbox_pid" 2>/dev/null
    # KEEP_WORK=1 keeps the scratch directory for a look after a failure.
    if [ -n "${KEEP_WORK:-}" ]; then echo "kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# has CONNECTOR: whether this build has it.
has() { case " $built " in *" $1 "*) return 0 ;; esac; return 1; }

# need CONNECTOR...: skip the whole test (exit 77) unless this build has them.
need() {
    for c in "$@"; do has "$c" || { echo "SKIP: no $c connector in this build"; exit 77; }; done
}

# start_sandbox [sandbox options]: then $work/<vendor>.json exist, and with
# Lever $CONNS (connection "sandbox") and $LEVER_URL.
start_sandbox() {
    "$SANDBOX" --config-dir "$work" "$@" >"$work/urls" &
    sandbox_pid=$!
    # One URL line per emulated vendor, printed once every configuration
    # is written (or one line saying there are none).
    local want=0
    for c in $built; do [ "$c" = memory ] || want=$((want + 1)); done
    [ $want -gt 0 ] || want=1
    for _ in $(seq 100); do [ "$(wc -l <"$work/urls")" -ge $want ] && break; sleep 0.05; done
    [ "$(wc -l <"$work/urls")" -ge $want ] || fail "uats-sandbox did not start"
    CONNS="$work/connections.json"
    if has lever; then
        { echo "{\"sandbox\": "; cat "$work/lever.json"; echo "}"; } >"$CONNS"
        LEVER_URL=$(awk '$1 == "lever" { print $2 }' "$work/urls")
    fi
}

# uats with the sandbox's Lever connection.
u() { "$UATS" --config "$CONNS" --connection sandbox "$@"; }

# expect_exit CODE CMD...: run CMD, check its exit status, keep its output.
expect_exit() {
    local want=$1; shift
    "$@" >"$work/out" 2>"$work/err"
    local got=$?
    [ "$got" -eq "$want" ] || {
        echo "--- stdout"; cat "$work/out"; echo "--- stderr"; cat "$work/err"
        fail "'$*' exited $got, expected $want"
    }
}

contains() { grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 lacks: $2"; }; }
lacks() { ! grep -qF -- "$2" "$1" || { cat "$1"; fail "$1 should not contain: $2"; }; }

# GET a sandbox path over bash's /dev/tcp (no curl needed): body on stdout.
sandbox_get() {
    local hostport=${LEVER_URL#http://}; hostport=${hostport%%/*}
    exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" || fail "cannot reach the sandbox"
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$1" "$hostport" >&3
    sed '1,/^\r$/d' <&3
    exec 3<&-
}

# How many opportunities the Lever emulator holds.
opportunities() { sandbox_get /_sandbox/state | sed -n 's/.*"opportunities": *\([0-9]*\).*/\1/p'; }

# How many POSTs creating opportunities the emulator received (including
# any it refused with 429).
posts() { sandbox_get /_sandbox/requests | grep -o '"method":"POST","target":"/v1/opportunities?' | wc -l; }
