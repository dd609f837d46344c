#!/usr/bin/env bash
# The main job: install what is missing, build, and run `uats demo`: it
# starts the bundled vendor emulators (uats-sandbox) on loopback and, through
# every bundled connector, creates a candidate with a resume, adds a cover
# letter and prints the candidate read back. No network or account needed.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh

# The connectors built in this tree (an installed uats finds its own).
UATS_CONNECTOR_PATH=
for d in plugins/*/; do
    ls "$d"*.la >/dev/null 2>&1 && UATS_CONNECTOR_PATH="$UATS_CONNECTOR_PATH${UATS_CONNECTOR_PATH:+:}$PWD/$d"
done
export UATS_CONNECTOR_PATH
tools/uats demo
