#!/usr/bin/env bash
# Installs runner in a virtualenv and previews the bundled handlers on the bundled samples.
# Arguments go to `runner preview` after the transforms directory (e.g. --all, --format json);
# by default samples no handler changed are only counted, in the table at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e . 2> >(grep -v "is ignored" >&2)
exec .venv/bin/runner preview transforms/ "$@"
