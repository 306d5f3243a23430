#!/usr/bin/env bash
# Installs everything the test suite needs and runs it: a virtualenv with runner and its test
# extra, and Debian's chromium for the playground's browser test (when missing and we may
# install it). Arguments go to pytest.
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

exec .venv/bin/python -m pytest "$@"
