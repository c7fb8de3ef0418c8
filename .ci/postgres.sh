#!/usr/bin/env bash
# Starts a PostgreSQL cluster for dossier's tests on loopback and prints the
# DSN the tests read from DOSSIER_TEST_POSTGRES. Idempotent: a cluster that
# already runs is reused. Source it to export the variable:
#
#   . .ci/postgres.sh            # exports DOSSIER_TEST_POSTGRES
#   eval "$(.ci/postgres.sh)"    # the same, from a subshell
#
# Settings (environment): DOSSIER_PG_DIR (cluster directory,
# default /tmp/dossier-pg), DOSSIER_PG_PORT (default 54320, apart from the
# 5432 of a cluster the Debian package may have started).
# The server runs as the unprivileged user "postgres" when started by root,
# as the current user otherwise.
set -euo pipefail

pg_dir=${DOSSIER_PG_DIR:-/tmp/dossier-pg}
pg_port=${DOSSIER_PG_PORT:-54320}
pg_pass=dossier-test

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# Debian's packages put the server binaries under /usr/lib/postgresql/N/bin.
find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    done
    return 1
}

if ! bindir=$(find_bindir); then
    echo "postgres.sh: installing postgresql from Debian's packages" >&2
    if [ "$(id -u)" != 0 ]; then
        echo "postgres.sh: postgresql is not installed and only root may install it" >&2
        exit 1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
    # The package starts its own "main" cluster; ours runs apart from it.
    bindir=$(find_bindir)
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
fi

if [ ! -s "$pg_dir/data/PG_VERSION" ]; then
    mkdir -p "$pg_dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$pg_dir"
    pwfile=$(as_owner mktemp "$pg_dir/pw.XXXXXX")
    echo "$pg_pass" | as_owner tee "$pwfile" >/dev/null
    as_owner "$bindir/initdb" -D "$pg_dir/data" -U postgres --pwfile="$pwfile" -A scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 ||
        { cat "$pg_dir/initdb.log" >&2; exit 1; }
    as_owner rm -f "$pwfile"
fi

export PGPASSWORD=$pg_pass
if ! as_owner "$bindir/pg_ctl" -D "$pg_dir/data" status >/dev/null 2>&1; then
    # Tests are many short sessions on small data: no fsync needed.
    as_owner "$bindir/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >&2 ||
        { tail -20 "$pg_dir/server.log" >&2; exit 1; }
fi

# A cluster started earlier keeps its port: read it back.
pg_port=$(sed -n 4p "$pg_dir/data/postmaster.pid")

psql_super() { psql -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
if [ "$(psql_super -c "SELECT 1 FROM pg_roles WHERE rolname = 'dossier'")" != 1 ]; then
    # CREATEDB: each test creates its own database.
    psql_super -c "CREATE ROLE dossier LOGIN CREATEDB PASSWORD '$pg_pass'" >/dev/null
fi
if [ "$(psql_super -c "SELECT 1 FROM pg_database WHERE datname = 'dossier_test'")" != 1 ]; then
    psql_super -c "CREATE DATABASE dossier_test OWNER dossier" >/dev/null
fi
unset PGPASSWORD

DOSSIER_TEST_POSTGRES="postgres://dossier:$pg_pass@127.0.0.1:$pg_port/dossier_test?sslmode=disable"
export DOSSIER_TEST_POSTGRES
echo "export DOSSIER_TEST_POSTGRES='$DOSSIER_TEST_POSTGRES'"
