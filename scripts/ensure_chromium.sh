#!/bin/sh
# Make sure Debian's Chromium is installed for the browser tests (tests/e2e).
# poppler-utils (pdftoppm) lets the tests render a page of the Protokollsbilaga PDF.
#
# `make test` runs this before pytest. Playwright's own `playwright install` downloads
# a browser from the internet and does not work here, so the suite drives Debian's
# /usr/bin/chromium instead. This script installs it from the Debian archive when it is
# missing and it can: as root, or with passwordless sudo (`sudo -n`), with `apt-get
# update` first. Where it cannot, it says so loudly and leaves the decision to pytest,
# which skips the browser tests with the same message - except under CI (CI=true),
# where a missing browser is a failure here and in pytest, never a skip.
#
# Usage: scripts/ensure_chromium.sh [--dry-run]
#   --dry-run  print what would be run, change nothing.
# Environment (for tests of this script):
#   BUDGETRUMMET_CHROMIUM  the browser to look for (default /usr/bin/chromium)
#   ENSURE_CHROMIUM_AS     root | sudo | none: how to install (default: detected)
set -eu

CHROMIUM="${BUDGETRUMMET_CHROMIUM:-/usr/bin/chromium}"
PACKAGES="chromium fonts-dejavu-core poppler-utils"
DRY_RUN=0
case "${1:-}" in
    --dry-run) DRY_RUN=1 ;;
    "") ;;
    *) echo "användning: $0 [--dry-run]" >&2; exit 2 ;;
esac

say() { printf '%s\n' "ensure_chromium: $*"; }

loud() {
    printf '\n%s\n%s\n%s\n\n' \
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" \
        "ensure_chromium: $*" \
        "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
}

run() {
    say "kör: $*"
    if [ "$DRY_RUN" = 0 ]; then
        "$@"
    fi
}

if [ -x "$CHROMIUM" ]; then
    version=""
    if command -v dpkg-query >/dev/null 2>&1; then
        version=$(dpkg-query -W -f='${Version}' chromium 2>/dev/null || true)
    fi
    say "chromium finns: $CHROMIUM${version:+ (Debian-paketet $version)}"
    exit 0
fi

# How may we install? Root directly; otherwise only with sudo that needs no password
# (make must never stop and wait for one).
how="${ENSURE_CHROMIUM_AS:-}"
if [ -z "$how" ]; then
    if [ "$(id -u)" = 0 ]; then
        how=root
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        how=sudo
    else
        how=none
    fi
fi
if [ "$how" != none ] && ! command -v apt-get >/dev/null 2>&1; then
    say "apt-get saknas (inte Debian), kan inte installera chromium här."
    how=none
fi

case "$how" in
    root) sudo="" ;;
    sudo) sudo="sudo -n" ;;
    none)
        message="chromium saknas ($CHROMIUM) och kan inte installeras (varken root eller sudo utan lösenord). Webbläsartesterna hoppas över. Installera med: sudo apt-get update && sudo apt-get install chromium"
        if [ "${CI:-}" = "true" ]; then
            loud "$message - men CI=true: i CI är en saknad webbläsare ett fel."
            exit 1
        fi
        loud "$message"
        exit 0
        ;;
    *) echo "ENSURE_CHROMIUM_AS måste vara root, sudo eller none" >&2; exit 2 ;;
esac

say "chromium saknas; installerar från Debians paketarkiv ($how)."
# shellcheck disable=SC2086  # $sudo is empty or "sudo -n", $PACKAGES a word list
run $sudo apt-get update
# shellcheck disable=SC2086
run $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $PACKAGES
if [ "$DRY_RUN" = 1 ]; then
    exit 0
fi
if [ ! -x "$CHROMIUM" ]; then
    loud "apt-get installerade chromium men $CHROMIUM finns inte."
    exit 1
fi
say "chromium installerad: $CHROMIUM"
