#!/usr/bin/env bash
# Builds the Debian package from a release build, checks it the way Debian
# and desktops do (lintian, appstreamcli, desktop-file-validate,
# update-mime-database, man), unpacks it into a clean prefix and runs the
# installed binary headless: --version, then a generated fleet imported and
# summarised. run-tests.sh calls it; a failure fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}

rm -f "$BUILD"/tokenledger_*.deb
(cd "$BUILD" && cpack -G DEB > /dev/null)
DEB=$(ls "$BUILD"/tokenledger_*.deb)
echo "package-check: built $(basename "$DEB")"

# Debian's own checks: no errors (warnings and notes are shown, not fatal).
lintian --fail-on error --display-level '>=warning' "$DEB"
echo "package-check: lintian passed"

PREFIX=$(mktemp -d)
trap 'rm -rf "$PREFIX"' EXIT
dpkg-deb -x "$DEB" "$PREFIX"
SHARE="$PREFIX/usr/share"
for f in bin/tokenledger share/applications/io.tokenledger.tokenledger.desktop \
         share/metainfo/io.tokenledger.tokenledger.metainfo.xml \
         share/mime/packages/tokenledger.xml share/icons/hicolor/scalable/apps/tokenledger.svg \
         share/icons/hicolor/256x256/apps/tokenledger.png share/man/man1/tokenledger.1.gz \
         share/bash-completion/completions/tokenledger share/doc/tokenledger/copyright; do
  [ -e "$PREFIX/usr/$f" ] || { echo "package-check: /usr/$f is not in the package" >&2; exit 1; }
done
desktop-file-validate "$SHARE/applications/io.tokenledger.tokenledger.desktop"
appstreamcli validate --no-net "$SHARE/metainfo/io.tokenledger.tokenledger.metainfo.xml"
out=$(update-mime-database "$SHARE/mime" 2>&1) || { echo "package-check: MIME: $out" >&2; exit 1; }
# The manual page renders without a warning; the completion is valid bash.
warnings=$(MANWIDTH=100 man --warnings -l "$SHARE/man/man1/tokenledger.1.gz" 2>&1 >/dev/null || true)
[ -z "$warnings" ] || { echo "package-check: man: $warnings" >&2; exit 1; }
bash -n "$SHARE/bash-completion/completions/tokenledger"
echo "package-check: desktop entry, AppStream, MIME types, manual page and completion valid"

# The installed binary, headless.
BIN="$PREFIX/usr/bin/tokenledger"
export QT_QPA_PLATFORM=offscreen
"$BIN" --version
"$BIN" generate --out "$PREFIX/fleet.csv" --agents 6 --days 3 --calls-per-day 400 > /dev/null
"$BIN" import --db "$PREFIX/fleet.tlw" "$PREFIX/fleet.csv" > /dev/null
"$BIN" summary --db "$PREFIX/fleet.tlw" --by team | tail -n 3
echo "package-check: the installed tokenledger ran"
