#!/usr/bin/env bash
# Installs everything the test suite needs and runs it: a virtualenv with runner and its test
# extra, Debian's chromium for the playground's browser test and Debian's postgresql for the
# shared-queue tests (when missing and we may install them). Arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]' 2> >(grep -v "is ignored" >&2)

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser test…" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is not installed: the browser test will be skipped (apt-get install chromium)" >&2
  fi
fi

# PostgreSQL's server for the shared-queue tests (tests/support/postgres.py starts a throwaway
# one per run). Debian keeps its binaries off PATH, under /usr/lib/postgresql/<version>/bin.
if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null && ! command -v postgres >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's postgresql for the shared-queue tests…" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL is not installed: its tests will be skipped (apt-get install postgresql)" >&2
  fi
fi

exec .venv/bin/python -m pytest "$@"
