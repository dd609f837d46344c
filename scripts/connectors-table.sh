#!/usr/bin/env bash
# Regenerate docs/connectors.md from the descriptors of the connectors built
# in this tree (run after scripts/build.sh). tests/cli/connectors.sh fails
# when the file is out of date.
set -euo pipefail
cd "$(dirname "$0")/.."
path=
for d in plugins/*/; do
    ls "$d"*.la >/dev/null 2>&1 && path="$path${path:+:}$PWD/$d"
done
UATS_CONNECTOR_PATH=$path tools/uats connectors --markdown >docs/connectors.md
echo "docs/connectors.md written"
