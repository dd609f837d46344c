#!/usr/bin/env bash
# Bootstrap, configure and build uats in the source tree (incrementally:
# steps already done are skipped). Extra arguments go to configure.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x configure ] || autoreconf -fi
# configure's "cannot remove 'core'" lines are harmless (see configure.ac).
[ -f config.status ] || ./configure --enable-werror "$@" 2> >(grep -v "cannot remove 'core'" >&2)
make -j"$(nproc)" >/dev/null
