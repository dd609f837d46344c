#!/bin/bash
# uats connectors: lists what loads, refuses broken modules with reasons.
. "$(dirname "$0")/common.sh"

# Exactly the connectors this build made, each once.
expect_exit 0 "$UATS" connectors
# Each with create and get; attach where the vendor has it (Workable has not).
for c in $built; do
    grep -qE "^$c +[^ ]+ +ABI [0-9.]+ +create,get" "$work/out" || { cat "$work/out"; fail "$c: no create,get"; }
done
has workable && contains "$work/out" "create,get         "
for c in $all_connectors; do
    if has $c; then
        [ "$(grep -c "^$c " "$work/out")" -eq 1 ] || { cat "$work/out"; fail "$c not listed once"; }
    else
        lacks "$work/out" "$c "
    fi
done
expect_exit 0 "$UATS" connectors --json
if has lever; then
    contains "$work/out" '"name": "lever"'
    contains "$work/out" '"perform_as"'
fi
if has greenhouse; then
    contains "$work/out" '"name": "greenhouse"'
    contains "$work/out" '"on_behalf_of"'
fi

# A module built for a newer ABI in the path: refused by name, others load.
mkdir "$work/mods"
ln -s "$UATS_TEST_MODULES/abi_newer.so" "$work/mods/abi_newer.so"
echo "not a module" >"$work/mods/junk.so"
expect_exit 0 "$UATS" --connector-dir "$work/mods" connectors
contains "$work/out" "rejected     $work/mods/abi_newer.so: needs connector ABI 1.2"
contains "$work/out" "rejected     $work/mods/junk.so: cannot be loaded as a module"
for c in $built; do contains "$work/out" "$c"; done

expect_exit 0 "$UATS" --help
contains "$work/out" "Exit status:"
expect_exit 0 "$UATS" connectors --help
expect_exit 2 "$UATS" frobnicate
contains "$work/err" "unknown command 'frobnicate'"
expect_exit 2 "$UATS"
expect_exit 0 "$UATS" --version
contains "$work/out" "uats "

# docs/connectors.md is generated from the descriptors: with every connector
# built, regenerating it changes nothing.
every=yes
for c in $all_connectors; do has $c || every=no; done
if [ $every = yes ]; then
    expect_exit 0 "$UATS" connectors --markdown
    diff -u "$(dirname "$0")/../../docs/connectors.md" "$work/out" ||
        fail "docs/connectors.md is stale: run scripts/connectors-table.sh"
fi
