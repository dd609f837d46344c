#!/usr/bin/env bash
# The reliability gate's memory and thread checks (docs/reliability.md):
#   asan      the whole test suite in a separate build with AddressSanitizer
#             and UndefinedBehaviorSanitizer; any report fails it
#   valgrind  every C test, and uatsd through its end-to-end test, under
#             memcheck (definite and indirect leaks and every error fail it);
#             the allocation sweep samples 1 point in 10
#   helgrind  the threads test under helgrind
# Usage: scripts/check-sanitizers.sh [asan|valgrind|helgrind]...  (all by default)
# Run after scripts/build.sh. Prints "<stage>: ok" or "<stage>: FAILED".
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(asan valgrind helgrind)
status=0

asan() {
    local work; work=$(mktemp -d /tmp/uats-asan-XXXXXX)
    git clone -q "$top" "$work/src" || return 1
    (
        cd "$work/src" &&
        autoreconf -fi >/dev/null 2>&1 &&
        ./configure -q CFLAGS="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
            LDFLAGS="-fsanitize=address,undefined" 2> >(grep -v "cannot remove 'core'" >&2) &&
        make -j"$(nproc)" >/dev/null &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
            make -j"$(nproc)" check >make.log 2>&1
    )
    local rc=$?
    if [ $rc -ne 0 ] || grep -lE "runtime error|AddressSanitizer|LeakSanitizer" \
            "$work"/src/tests/*.log "$work"/src/tests/cli/*.log "$work"/src/tests/gateway/*.log \
            >/dev/null 2>&1; then
        grep -lE "^(FAIL|ERROR)|runtime error|AddressSanitizer|LeakSanitizer" \
            "$work"/src/tests/*.log "$work"/src/tests/cli/*.log "$work"/src/tests/gateway/*.log \
            2>/dev/null | while read -r f; do
            echo "== $f"; tail -n 60 "$f"; done
        tail -n 30 "$work/src/make.log" 2>/dev/null
        rm -rf "$work"; return 1
    fi
    grep -h "^# PASS\|^# FAIL" "$work/src/tests/test-suite.log" | tr '\n' ' '; echo
    rm -rf "$work"
}

valgrind_all() {
    make -s -C tests check TESTS= >/dev/null || return 1
    local failed=0
    for t in tests/check_*; do
        [ -x "$t" ] && [ "${t%.*}" = "$t" ] || continue
        (cd tests &&
         UATS_TEST_MODULES="$top/tests/modules/.libs" UATS_TEST_PLUGINS="$top/plugins" \
         UATS_BUILDDIR="$top" UATS_CONNECTOR_PATH= UATS_SWEEP_STRIDE=10 CK_FORK=no \
         ../libtool --mode=execute valgrind -q --leak-check=full \
             --errors-for-leak-kinds=definite,indirect --error-exitcode=1 \
             "./$(basename "$t")" >"$top/$t.valgrind" 2>&1) ||
            { echo "== $t"; tail -n 40 "$t.valgrind"; failed=1; }
    done
    # The gateway: uatsd itself under memcheck through the native API's
    # end-to-end test (every route, errors, two instances, graceful stop).
    if [ -x tools/uatsd/uatsd ]; then
        (cd tests &&
         UATS_TEST_PLUGINS="$top/plugins" UATS_BUILDDIR="$top" UATS_CONNECTOR_PATH= \
         UATS_TEST_CONNECTORS="$(sed -n 's/^UATS_BUILT_CONNECTORS = //p' Makefile)" \
         UATSD_TEST_WRAPPER="$top/libtool --mode=execute valgrind -q --leak-check=full \
             --errors-for-leak-kinds=definite,indirect --error-exitcode=99" \
         bash gateway/native.sh >"$top/tests/gateway/native.valgrind" 2>&1) ||
            { echo "== uatsd under valgrind"; tail -n 60 tests/gateway/native.valgrind; failed=1; }
    fi
    return $failed
}

helgrind() {
    make -s -C tests check_threads >/dev/null || return 1
    (cd tests &&
     UATS_TEST_MODULES="$top/tests/modules/.libs" UATS_TEST_PLUGINS="$top/plugins" CK_FORK=no \
     ../libtool --mode=execute valgrind -q --tool=helgrind --suppressions=helgrind.supp \
         --error-exitcode=1 ./check_threads >"$top/tests/check_threads.helgrind" 2>&1) ||
        { tail -n 60 tests/check_threads.helgrind; return 1; }
}

for s in "${stages[@]}"; do
    case $s in
    asan) asan ;;
    valgrind) valgrind_all ;;
    helgrind) helgrind ;;
    *) echo "unknown stage $s" >&2; false ;;
    esac
    if [ $? -eq 0 ]; then echo "$s: ok"; else echo "$s: FAILED"; status=1; fi
done
exit $status
