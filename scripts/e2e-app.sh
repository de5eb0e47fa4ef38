#!/usr/bin/env bash
# Runs ui/e2e/app.wdio.test.mjs against a running tauri-driver; called by scripts/test-app.sh inside
# xvfb-run with APP, DB, SECOND, PYTHON, ARTIFACTS and TAURI_DRIVER set. APP must embed the UI built
# with `npm run build:e2e` (the tests read window.__guanxi…); webdriverio and pngjs come from the
# root node_modules (npm workspace). With arguments, runs `node ARGS…` in ui/ instead (bench/run.py:
# `scripts/e2e-app.sh e2e/bench-hub.wdio.mjs`).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${TAURI_DRIVER_PORT:-4444}"
"$TAURI_DRIVER" --port "$PORT" --native-port $((PORT + 1)) > "$ARTIFACTS/tauri-driver.log" 2>&1 &
DRIVER_PID=$!
# The test deletes its session (which closes the app) before the driver is stopped.
trap 'kill "$DRIVER_PID" 2>/dev/null || true; wait "$DRIVER_PID" 2>/dev/null || true' EXIT
for _ in $(seq 100); do (echo > /dev/tcp/127.0.0.1/"$PORT") 2>/dev/null && break; sleep 0.1; done
cd ui
if [ $# -gt 0 ]; then node "$@"; else node --test --test-concurrency=1 e2e/app.wdio.test.mjs; fi
