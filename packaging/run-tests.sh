#!/usr/bin/env bash
# Builds tokenledger (Release) and runs the whole test suite headless, then
# builds the GUI and query suites with AddressSanitizer + UndefinedBehavior-
# Sanitizer (build/asan) and runs them again, so that a use-after-free or an
# overflow fails here, not for a user.
# This is the README's test command; .ci/run calls it and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/bootstrap.sh
cmake --preset release
cmake --build --preset release
QT_QPA_PLATFORM=offscreen ctest --preset release
# The Debian package: built, checked (lintian, AppStream, desktop entry, MIME,
# man page), unpacked into a clean prefix and run headless.
bash packaging/package-check.sh build/release

if [ "${TOKENLEDGER_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake --preset asan
  cmake --build --preset asan
  QT_QPA_PLATFORM=offscreen ctest --preset asan
  # libFuzzer over every reader and file parser, a short run each
  # (tests/fuzz/README.md: a longer campaign, and what to do with a crash).
  cmake --preset fuzz
  cmake --build --preset fuzz
  bash tests/fuzz/run.sh "${TOKENLEDGER_FUZZ_SECONDS:-20}"
fi
