#!/usr/bin/env bash
# Opens the Guanxi window on a database: scripts/run-app.sh DB_FILE
# Builds the UI and the app (frontend embedded) first when their sources are newer than the binary
# (scripts/test-app.sh and bench/run.sh remove the stamp: their builds carry the test hooks).
set -euo pipefail
cd "$(dirname "$0")/.."
DB="${1:-${GUANXI_DB:-}}"
[ -n "$DB" ] || { echo "usage: scripts/run-app.sh DB_FILE" >&2; exit 2; }
APP=target/debug/guanxi-app
STAMP=target/debug/.guanxi-app-custom-protocol

[ -d node_modules ] || scripts/setup-app.sh
newer() { [ -n "$(find "$@" -newer "$STAMP" -type f -print -quit 2>/dev/null)" ]; }
if [ ! -x "$APP" ] || [ ! -f "$STAMP" ] || newer ui/src ui/index.html package-lock.json src-tauri crates/guanxi-core/src; then
  (cd ui && npm run build --silent)
  cargo build -p guanxi-app --features custom-protocol
  touch "$STAMP"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "run-app: no display; starting the window under xvfb-run (invisible)" >&2
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$APP" --db "$DB"
fi
exec "$APP" --db "$DB"
