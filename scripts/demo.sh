#!/usr/bin/env bash
# Sets up everything, ingests the bundled demo corpus (corpus/demo: two pages of 江门日报) into a
# fresh database and opens it in the desktop app. Without a display it prints the graph's summary
# and writes a GraphML file instead.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

scripts/setup.sh
cargo build --quiet --release --bin guanxi
GUANXI="$ROOT/target/release/guanxi"

mkdir -p out
rm -f out/demo.db out/demo.db-wal out/demo.db-shm
"$GUANXI" ingest corpus/demo --db out/demo.db
"$GUANXI" export --db out/demo.db -o out/demo.graphml
echo
echo "Try:  $GUANXI search yjw --db out/demo.db"
echo "      $GUANXI evidence 袁加伟 区信访局 --db out/demo.db"

if [ -x scripts/run-app.sh ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  scripts/run-app.sh "$ROOT/out/demo.db"
elif [ -x scripts/run-app.sh ]; then
  echo "No display: run the app under Xvfb with  xvfb-run -a scripts/run-app.sh $ROOT/out/demo.db"
fi
