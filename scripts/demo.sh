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
export UATS_CONNECTOR_PATH="$PWD/plugins/lever:$PWD/plugins/greenhouse:$PWD/plugins/memory"
tools/uats demo
