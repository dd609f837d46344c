#!/usr/bin/env bash
# The main job: install what is missing, build, and run the quickstart host
# program against the connectors built here (no network, no credentials).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh
make -C examples demo --no-print-directory
