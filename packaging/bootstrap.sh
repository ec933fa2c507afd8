#!/usr/bin/env bash
# Installs the Debian 12 packages tokenledger needs to build, test and run.
# Idempotent: does nothing (and touches no network) when everything is present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
  libgl-dev libglx-dev libvulkan-dev
  nlohmann-json3-dev libsqlite3-dev libsimdjson-dev sqlite3
  poppler-utils fonts-dejavu-core
  libasan8 libubsan1
  clang-14 libclang-rt-14-dev
  libpq-dev postgresql-15 postgresql-client-15
  zlib1g-dev nodejs curl
  lintian desktop-file-utils appstream shared-mime-info dpkg-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# npm: Debian's package, unless the installed Node.js brings its own (NodeSource's does,
# and conflicts with Debian's).
command -v npm >/dev/null 2>&1 || missing+=(npm)

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#PACKAGES[@]} packages present"
else
  echo "bootstrap: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The OpenTelemetry JavaScript SDK, pinned by its lock file: the real client
# the live-collection test sends spans with (tests/app/otel-js). Installed
# here, never at build or test time.
js="$(dirname "$0")/../tests/app/otel-js"
if [ ! -d "$js/node_modules/@opentelemetry/sdk-trace-base" ]; then
  echo "bootstrap: installing the OpenTelemetry JavaScript SDK for the tests (npm ci)"
  (cd "$js" && npm ci --no-audit --no-fund --loglevel=error)
fi
