#!/bin/bash
# The SDK's promise, checked against an installed uats (make installcheck,
# which `make distcheck` runs): a connector built outside the tree with
# pkg-config only, installed into a directory named by UATS_CONNECTOR_PATH,
# is listed and used by the installed `uats` with nothing rebuilt; a module
# needing a newer ABI minor is refused with a clear message, and one
# declaring an older minor loads.
# Usage: check-outoftree.sh PKGCONFIGDIR BINDIR TEMPLATE_DIR
set -eu
pcdir=$1 bindir=$2 template=$3
tmp=$(mktemp -d /tmp/uats-sdk-check-XXXXXX)
emulator=
cleanup() { [ -n "$emulator" ] && kill "$emulator" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

export PKG_CONFIG_PATH="$pcdir"
cp -r "$template" "$tmp/acme"
chmod -R u+w "$tmp/acme"
make -s -C "$tmp/acme" >/dev/null
make -s -C "$tmp/acme" install CONNECTORDIR="$tmp/connectors" >/dev/null
[ "$(pkg-config --variable=connectordir uats-connector)" != "" ] || fail "no connectordir in uats-connector.pc"
nm -D --defined-only "$tmp/acme/acme.so" | grep -q ' acme_LTX_uats_connector_entry$' ||
    fail "the module does not export its entry point"

export UATS_CONNECTOR_PATH="$tmp/connectors"
"$bindir/uats" connectors >"$tmp/list"
grep -q '^acme ' "$tmp/list" || { cat "$tmp/list"; fail "the installed uats does not list acme"; }

"$tmp/acme/acme-emulator" sdk-check-key >"$tmp/url" &
emulator=$!
for _ in $(seq 100); do [ -s "$tmp/url" ] && break; sleep 0.05; done
url=$(cat "$tmp/url")
export ACME_KEY=sdk-check-key
acme() { "$bindir/uats" --connector acme --base-url "$url" --api-key-env ACME_KEY "$@"; }

acme candidate create --set first_name=Ada --set email_addresses=ada@example.com \
    >"$tmp/created" 2>"$tmp/warnings"
id=$(sed -n 's/^  "id": "\(.*\)",$/\1/p' "$tmp/created")
[ -n "$id" ] || { cat "$tmp/created"; fail "no candidate created through acme"; }
acme candidate get "$id" >"$tmp/got"
grep -q '"ada@example.com"' "$tmp/got" || fail "get did not return the e-mail"
printf 'Ada Lovelace, CV\n' >"$tmp/cv.txt"
acme attachment add "$id" "$tmp/cv.txt" --type resume >"$tmp/att"
grep -q '"size": 17' "$tmp/att" || { cat "$tmp/att"; fail "the attachment did not round-trip"; }
acme candidate get "$id" >"$tmp/got"
grep -q '"att-' "$tmp/got" || fail "the attachment is not listed on the candidate"

# The template passes the conformance kit against its own emulator.
printf '{"connector": "acme", "base_url": "%s", "credentials": {"api_key": "$env:ACME_KEY"}}\n' \
    "$url" >"$tmp/acme.json"
"$bindir/uats-conformance" "$tmp/acme.json" >"$tmp/conformance" ||
    { cat "$tmp/conformance"; fail "the template does not pass uats-conformance"; }

# ABI minors: needing one more than the installed core provides is refused
# by name; declaring minor 0 (only 1.0 services used) loads.
minor=$(sed -n 's/^#define UATS_ABI_MINOR \([0-9]*\)$/\1/p' \
        "$(pkg-config --variable=includedir uats-connector)/uats/connector.h")
for m in newer older; do
    want=$([ $m = newer ] && echo $((minor + 1)) || echo 0)
    mkdir -p "$tmp/$m"
    make -s -C "$tmp/acme" clean
    make -s -C "$tmp/acme" acme.so CFLAGS="-O2 -DUATS_ABI_REQUIRED_MINOR=$want"
    cp "$tmp/acme/acme.so" "$tmp/$m/acme.so"
    UATS_CONNECTOR_PATH="$tmp/$m" "$bindir/uats" connectors >"$tmp/list"
    if [ $m = newer ]; then
        grep -q "rejected .*acme.so: needs connector ABI 1.$want" "$tmp/list" ||
            { cat "$tmp/list"; fail "a module needing ABI 1.$want was not refused"; }
    else
        grep -q '^acme ' "$tmp/list" || { cat "$tmp/list"; fail "a 1.0 module did not load"; }
    fi
done
echo "out-of-tree connector: built, installed, loaded and used by the installed uats"
