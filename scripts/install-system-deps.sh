#!/usr/bin/env bash
# Install the system packages shenbao's tests need, from Debian's archive:
#   postgresql — server binaries (initdb, pg_ctl, postgres) for the review-store
#                tests, which start a throw-away server of their own on 127.0.0.1.
# Idempotent: does nothing when the binaries are already there. As root (CI) it
# runs apt-get; otherwise it prints what to install and exits 1.
# No cluster is created or started by the package: the tests make their own.
set -euo pipefail

have_postgres() {
    if [ -n "${SHENBAO_PG_BINDIR:-}" ] && [ -x "${SHENBAO_PG_BINDIR}/initdb" ]; then
        return 0
    fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        return 0
    fi
    compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

if have_postgres; then
    echo "install-system-deps: PostgreSQL server binaries present, nothing to do"
    exit 0
fi

packages=(postgresql)

if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: PostgreSQL server binaries (initdb, pg_ctl) are missing." >&2
    echo "  Debian/Ubuntu:  sudo apt-get install --no-install-recommends ${packages[*]}" >&2
    echo "  elsewhere:      install the PostgreSQL server and put initdb/pg_ctl on PATH," >&2
    echo "                  or set SHENBAO_PG_BINDIR to their folder" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: no apt-get here; install the PostgreSQL server (initdb, pg_ctl) by hand" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
}

echo "install-system-deps: installing ${packages[*]}"
apt-get update -q
# postgresql-common first, so that installing the server does not create and
# start a 'main' cluster on port 5432 (the tests start their own server).
dpkg -s postgresql-common >/dev/null 2>&1 || apt_install postgresql-common
conf=/etc/postgresql-common/createcluster.conf
if [ -f "$conf" ]; then
    sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' "$conf"
fi
apt_install "${packages[@]}"

if ! have_postgres; then
    echo "install-system-deps: installed ${packages[*]} but initdb is still missing" >&2
    exit 1
fi
echo "install-system-deps: done"
