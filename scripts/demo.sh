#!/usr/bin/env bash
# The main job: install what is missing, build, start the bundled vendor
# emulators (uats-sandbox) and run the quickstart host program against the
# Lever connector through them: create a candidate with a resume, add a
# cover letter, read the candidate back. No network or account needed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh

work=$(mktemp -d)
trap 'kill "$sandbox" 2>/dev/null || true; rm -rf "$work"' EXIT
tools/uats-sandbox --config-dir "$work" >"$work/urls" &
sandbox=$!
for _ in $(seq 50); do [ -s "$work/lever.json" ] && break; sleep 0.1; done
echo "sandbox emulators:"
sed 's/^/  /' "$work/urls"
echo

export UATS_CONNECTOR_PATH="$PWD/plugins/lever:$PWD/plugins/memory"
examples/quickstart "$work/lever.json"
