#!/usr/bin/env bash
# Refresh the vendored Ace editor (https://ace.c9.io, BSD-3-Clause) from the npm registry.
#
# Why vendored: the playground must work offline (no CDN), so the editor's upstream *built*
# distribution files are shipped as package data. Nothing here is edited by hand.
#
# Usage: bash runner/playground/static/vendor/update-ace.sh [VERSION]   (needs `npm` and `tar`)
set -euo pipefail

version="${1:-1.45.2}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dest="$here/ace"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "ace-builds@$version" >/dev/null && tar xzf "ace-builds-$version.tgz")
src="$work/package/src-min-noconflict"

rm -rf "$dest"
mkdir -p "$dest"
# The editor core (includes the default "textmate" theme) and the two modes the page uses.
for f in ace.js mode-javascript.js mode-json.js ext-searchbox.js; do
  cp "$src/$f" "$dest/$f"
done
# *.txt so that setuptools ships it with the package data next to the code it licenses.
cp "$work/package/LICENSE" "$dest/LICENSE.txt"
echo "ace-builds $version (npm), files from src-min-noconflict/" > "$dest/VERSION.txt"
echo "vendored ace-builds $version into $dest"
