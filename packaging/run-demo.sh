#!/usr/bin/env bash
# Installs what is missing, builds tokenledger (Release), generates a demo
# fleet workspace and opens the app on it. The README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
bash packaging/bootstrap.sh
cmake --preset release
cmake --build --preset release
bin=build/release/app/tokenledger
demo=build/demo
mkdir -p "$demo"
if [ ! -f "$demo/demo.db" ]; then
  "$bin" generate --out "$demo/fleet.csv" --agents 60 --days 45 --calls-per-day 30000 --seed 42
  "$bin" import --db "$demo/demo.db" "$demo/fleet.csv"
  "$bin" budgets import --db "$demo/demo.db" resources/demo-budgets.json
  rm -f "$demo/fleet.csv"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "No display here: the demo workspace is ready at $demo/demo.db."
  echo "Open it from a desktop session with: $bin open $demo/demo.db"
  "$bin" summary --db "$demo/demo.db" --by team
  exit 0
fi
exec "$bin" open "$demo/demo.db"
