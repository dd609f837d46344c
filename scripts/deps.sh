#!/usr/bin/env bash
# Install the Debian 12 packages uats needs to build and test, if any are
# missing. Uses sudo when not run as root.
set -euo pipefail

packages=(
  build-essential autoconf automake libtool libltdl-dev pkg-config
  libjansson-dev check libcurl4-openssl-dev libmicrohttpd-dev valgrind
  libsqlite3-dev libpq-dev libssl-dev curl jq python3
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
