#!/usr/bin/env bash
# Install the system packages shenbao's tests need, from Debian's archive:
#   postgresql      — server binaries (initdb, pg_ctl, postgres) for the review-store
#                     tests, which start a throw-away server of their own on 127.0.0.1.
#   chromium        — the headless browser of the UI test (tests/e2e), driven by
#                     Playwright through executable_path; Playwright's own browser
#                     download is never used.
#   fonts-noto-cjk  — Chinese glyphs, so the browser's screenshots show text, not boxes.
# Idempotent: installs only what is missing and does nothing when all is there. As
# root (CI) it runs apt-get; otherwise it prints what to install and exits 1.
# No PostgreSQL cluster is created or started by the package: the tests make their own.
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

have_chromium() {
    if [ -n "${SHENBAO_CHROMIUM:-}" ] && [ -x "${SHENBAO_CHROMIUM}" ]; then
        return 0
    fi
    command -v chromium >/dev/null 2>&1
}

have_cjk_fonts() {
    if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; then
        return 0
    fi
    dpkg -s fonts-noto-cjk >/dev/null 2>&1
}

packages=()
have_postgres || packages+=(postgresql)
have_chromium || packages+=(chromium)
have_cjk_fonts || packages+=(fonts-noto-cjk)

if [ "${#packages[@]}" -eq 0 ]; then
    echo "install-system-deps: PostgreSQL server binaries, Chromium and CJK fonts present, nothing to do"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-system-deps: missing system packages: ${packages[*]}" >&2
    echo "  Debian/Ubuntu:  sudo apt-get install --no-install-recommends ${packages[*]}" >&2
    echo "  elsewhere:      install the PostgreSQL server (initdb/pg_ctl on PATH, or set" >&2
    echo "                  SHENBAO_PG_BINDIR), Chromium (on PATH, or set SHENBAO_CHROMIUM)" >&2
    echo "                  and a CJK font (Noto Sans CJK)" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: no apt-get here; install by hand: ${packages[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_install() {
    apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confold "$@"
}

echo "install-system-deps: installing ${packages[*]}"
apt-get update -q
if [[ " ${packages[*]} " == *" postgresql "* ]]; then
    # postgresql-common first, so that installing the server does not create and
    # start a 'main' cluster on port 5432 (the tests start their own server).
    dpkg -s postgresql-common >/dev/null 2>&1 || apt_install postgresql-common
    conf=/etc/postgresql-common/createcluster.conf
    if [ -f "$conf" ]; then
        sed -ri 's/^#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' "$conf"
    fi
fi
apt_install "${packages[@]}"

missing=()
have_postgres || missing+=("PostgreSQL (initdb)")
have_chromium || missing+=("Chromium")
have_cjk_fonts || missing+=("CJK fonts")
if [ "${#missing[@]}" -ne 0 ]; then
    echo "install-system-deps: installed ${packages[*]} but still missing: ${missing[*]}" >&2
    exit 1
fi
echo "install-system-deps: done"
