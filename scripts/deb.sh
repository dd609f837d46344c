#!/usr/bin/env bash
# Build the Debian packages from a clean copy of this tree and prove the
# packaging works as packagers use it (issue 10):
#   1. dpkg-buildpackage -us -uc -b (tests skipped here: CI has just run them),
#   2. lintian on the result: errors and warnings fail, the rest is shown,
#   3. install libuats0, uats and ONE connector package: `uats connectors`
#      lists exactly that connector and `uats demo` works with it alone,
#   4. install a second connector package: it appears, nothing rebuilt,
#   5. remove what was installed.
# Usage: scripts/deb.sh [OUTDIR]   (the .deb files stay in OUTDIR, default a
# temporary directory). Needs root or sudo to install packages.
set -uo pipefail
cd "$(dirname "$0")/.."
top=$PWD
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

need=()
for p in debhelper dpkg-dev fakeroot lintian curl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    echo "installing: ${need[*]}"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${need[@]}" >/dev/null || exit 1
fi

out=${1:-$(mktemp -d /tmp/uats-deb-XXXXXX)}
mkdir -p "$out"
rm -rf "$out/uats"
git clone -q "$top" "$out/uats" || exit 1
fail() { echo "deb: FAILED: $*"; exit 1; }

echo "== dpkg-buildpackage"
(cd "$out/uats" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
    >"$out/build.log" 2>&1 || { tail -n 60 "$out/build.log"; fail "the package build"; }
ls "$out"/*.deb | xargs -n1 basename

echo "== lintian"
# Root runs it in CI (a fresh machine); lintian only warns about that.
lintian --info --pedantic "$out"/uats_*.changes >"$out/lintian.log" 2>&1
grep -v "running with root privileges" "$out/lintian.log"
grep -q "^[EW]: " "$out/lintian.log" && fail "lintian reported errors or warnings"

installed=()
install_debs() {
    local files=()
    for p in "$@"; do files+=("$out/${p}_"*.deb); installed+=("$p"); done
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${files[@]}" >"$out/apt.log" 2>&1 || { cat "$out/apt.log"; fail "installing $*"; }
}
cleanup() {
    [ ${#installed[@]} -eq 0 ] ||
        DEBIAN_FRONTEND=noninteractive $sudo apt-get purge -y -qq "${installed[@]}" >/dev/null 2>&1
}
trap cleanup EXIT

# The installed tools, not this tree's: no UATS_CONNECTOR_PATH.
unset UATS_CONNECTOR_PATH
connectors() { /usr/bin/uats connectors | awk '$1 != "rejected" { print $1 }' | sort | xargs; }

echo "== libuats0, uats and uats-connector-lever only"
install_debs libuats0 uats uats-connector-lever
[ "$(connectors)" = "lever" ] || fail "uats connectors lists '$(connectors)', not 'lever'"
/usr/bin/uats demo >"$out/demo.out" 2>"$out/demo.err" || { cat "$out/demo.out" "$out/demo.err"; fail "uats demo"; }
grep -q "^== lever (Lever)" "$out/demo.out" || fail "the demo did not show lever"
grep -q "^the candidate as lever stores it" "$out/demo.out" || fail "the demo did not finish lever"
grep -q "^== greenhouse\|^== memory" "$out/demo.out" && fail "the demo showed connectors not installed"
# Warnings (fields a vendor cannot store) are expected; errors are not.
grep "^uats" "$out/demo.err" && fail "the demo reported errors"
echo "uats connectors: lever; uats demo: lever only, no errors"

echo "== adding uats-connector-greenhouse"
install_debs uats-connector-greenhouse
[ "$(connectors)" = "greenhouse lever" ] || fail "uats connectors lists '$(connectors)'"
/usr/bin/uats demo >"$out/demo.out" 2>"$out/demo.err" || { cat "$out/demo.out" "$out/demo.err"; fail "uats demo"; }
[ "$(grep -c '^the candidate as ' "$out/demo.out")" -eq 3 ] ||
    fail "the demo did not finish lever and both Greenhouse APIs"
echo "uats connectors: greenhouse lever; uats demo: both, nothing rebuilt"

echo "== uatsd: a key, a connection, a candidate through the gateway"
install_debs uatsd
gw=$(mktemp -d /tmp/uats-deb-gw-XXXXXX)
/usr/bin/uats-sandbox --config-dir "$gw" >"$gw/urls" &
sandbox=$!
for _ in $(seq 100); do [ -s "$gw/lever.json" ] && break; sleep 0.05; done
key=$(/usr/sbin/uatsd --store "$gw/store.db" --init) || fail "uatsd --init"
token=$(/usr/bin/uats --config <(printf '{"l": %s}' "$(cat "$gw/lever.json")") --connection l \
        store add lever --store "$gw/store.db") || fail "uats store add"
/usr/sbin/uatsd --store "$gw/store.db" --listen 127.0.0.1:0 --port-file "$gw/port" \
    --access-log off 2>"$gw/uatsd.err" &
uatsd=$!
for _ in $(seq 100); do [ -s "$gw/port" ] && break; sleep 0.05; done
answer=$(curl -s -H "Authorization: Bearer $key" -H "X-Connection-Token: $token" \
    -d "{\"first_name\": \"Deb\", \"application\": {\"job_id\": \"$(cat "$gw/lever.job")\"}}" \
    "http://127.0.0.1:$(cat "$gw/port")/ats/v1/candidates")
kill "$uatsd" "$sandbox"; wait "$uatsd"; rc=$?; wait "$sandbox"
rm -rf "$gw"
echo "$answer" | grep -q '"first_name":"Deb"' || fail "no candidate through uatsd: $answer"
[ $rc -eq 0 ] || fail "uatsd exited $rc on SIGTERM"
echo "uatsd: created a candidate through the installed gateway"

echo "== the SDK from libuats-dev: pkg-config finds it"
install_debs libuats-dev
[ "$(pkg-config --variable=connectordir uats-connector)" = \
  "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/uats/connectors" ] ||
    fail "uats-connector.pc's connectordir is $(pkg-config --variable=connectordir uats-connector)"
echo "deb: ok"
