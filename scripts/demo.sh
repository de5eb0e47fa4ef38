#!/usr/bin/env bash
# Sets up everything, ingests the bundled demo corpus (corpus/demo: two pages of 江门日报) into a
# fresh database, writes out/demo.graphml and opens the database in the desktop app (without a
# display it builds the app and prints how to open it).
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

if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec scripts/run-app.sh "$ROOT/out/demo.db"
fi
# No display (a server, CI): build the app all the same and say how to open it.
(cd ui && npm run build --silent)
cargo build --quiet -p guanxi-app --features custom-protocol
touch target/debug/.guanxi-app-custom-protocol
echo
echo "No display here. The app is built: on a desktop run  scripts/run-app.sh $ROOT/out/demo.db"
echo "or, invisibly under Xvfb,  xvfb-run -a scripts/run-app.sh $ROOT/out/demo.db"
