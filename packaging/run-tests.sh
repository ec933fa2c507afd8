#!/usr/bin/env bash
# Builds tokenledger (Release) and runs the whole test suite headless.
# This is the README's test command; .ci/run calls it and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/bootstrap.sh
cmake --preset release
cmake --build --preset release
QT_QPA_PLATFORM=offscreen ctest --preset release
