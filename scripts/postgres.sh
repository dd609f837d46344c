#!/usr/bin/env bash
# Ensure a local PostgreSQL server on 127.0.0.1 for uatsd's tests, and print
# its store URL on stdout:  postgresql://USER:PASS@127.0.0.1:PORT/DB
# Everything else goes to stderr, so that   url=$(scripts/postgres.sh)   works.
#
# Installs Debian's postgresql package if missing, starts the newest
# cluster (creating one if there is none), and makes a login role and a
# database owned by it. The role's password is made once, at random, and
# kept in a file readable by root and postgres only, so that running this
# again gives the same URL (idempotent) and nothing secret is in the tree.
#
# Environment: UATSD_PG_USER, UATSD_PG_DB (default uatsd_test both),
# UATSD_PG_PASSFILE (default /var/lib/postgresql/uatsd_test.password).
# Needs root, or sudo.
set -euo pipefail

user=${UATSD_PG_USER:-uatsd_test}
db=${UATSD_PG_DB:-uatsd_test}
passfile=${UATSD_PG_PASSFILE:-/var/lib/postgresql/uatsd_test.password}

say() { echo "postgres.sh: $*" >&2; }
# Names go into SQL text below: keep them to plain identifiers.
for name in "$user" "$db"; do
  [[ $name =~ ^[a-z_][a-z0-9_]*$ ]] || { say "not a plain identifier: $name"; exit 2; }
done

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "ok installed"; then
  say "installing postgresql"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    postgresql >&2
fi

# The newest installed server version, and its first cluster.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
[ -n "$version" ] || { say "no PostgreSQL server installed"; exit 1; }
cluster=$(pg_lsclusters -h | awk -v v="$version" '$1 == v { print $2; exit }')
if [ -z "$cluster" ]; then
  cluster=main
  say "creating cluster $version/$cluster"
  $sudo pg_createcluster "$version" "$cluster" >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $3 }')
status=$(pg_lsclusters -h | awk -v v="$version" -v c="$cluster" '$1 == v && $2 == c { print $4 }')
if [ "$status" != "online" ]; then
  say "starting cluster $version/$cluster on port $port"
  # Another caller may be starting it at the same moment: then it is up.
  $sudo pg_ctlcluster "$version" "$cluster" start >&2 ||
    pg_lsclusters -h | awk -v v="$version" -v c="$cluster" \
      '$1 == v && $2 == c && $4 == "online" { ok = 1 } END { exit !ok }'
fi
for _ in $(seq 1 60); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -q -h 127.0.0.1 -p "$port" || { say "the server does not answer on 127.0.0.1:$port"; exit 1; }

# From / : postgres may not be allowed into the caller's directory.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -u postgres "$@")
  fi
}
psql_admin() { as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres "$@"; }

# The password: letters and digits only, so that the URL needs no escaping.
if ! $sudo test -s "$passfile"; then
  pass=$(tr -dc 'A-Za-z0-9' </dev/urandom | head -c 24 || true)
  [ ${#pass} -eq 24 ] || { say "cannot make a password"; exit 1; }
  (umask 077 && printf '%s\n' "$pass" | $sudo tee "$passfile" >/dev/null)
  $sudo chown postgres: "$passfile" 2>/dev/null || true
fi
pass=$($sudo cat "$passfile")

# The password is passed as a psql variable on standard input, never on a
# command line (ps would show it). Each step tolerates a concurrent run.
psql_admin -v user="$user" -v pass="$pass" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'user')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'user') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'user', :'pass') \gexec
SQL
db_exists() { [ -n "$(psql_admin -tA -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; }
if ! db_exists; then
  as_postgres createdb -p "$port" -O "$user" "$db" 2>/dev/null || db_exists ||
    { say "cannot create database $db"; exit 1; }
fi

echo "postgresql://$user:$pass@127.0.0.1:$port/$db"
