#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 20) over its corpus in
# build/fuzz/corpus/TARGET (kept between runs), seeded from the fixtures, the
# built-in resources and the regression inputs. A crash stops the run with
# exit 1 and leaves the input in build/fuzz/crashes/: copy it into
# tests/fuzz/regressions/TARGET/ and it becomes a test of every build.
# A longer campaign: tests/fuzz/run.sh 3600
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-20}"
for target in readers files text live; do
  corpus="build/fuzz/corpus/$target"
  mkdir -p "$corpus" build/fuzz/crashes
  echo "fuzz: $target for ${seconds}s"
  "build/fuzz/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -max_len=65536 -timeout=20 \
    -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$target-" \
    "$corpus" "tests/fuzz/regressions/$target" tests/fixtures resources 2>&1 |
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::peak_rss|==[0-9]+==ERROR|SUMMARY)" || true
  if ls build/fuzz/crashes/"$target"-* >/dev/null 2>&1; then
    echo "fuzz: $target found a crash: see build/fuzz/crashes/" >&2
    exit 1
  fi
done
