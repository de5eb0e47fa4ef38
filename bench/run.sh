#!/usr/bin/env bash
# Guanxi benchmark: prints one report: ingest at ×1, ×10 and ×100 (vs jieba-rs `tag` alone and the
# Python jieba + networkx peer, peak memory, database size, re-ingest), query latency and the
# overview's date ranges at ×10 and ×100; then the app window under Xvfb (launch → first graph, a
# hub's 2-hop view, the overview and a week, layout and frame times) on the demo corpus and on ×10.
# Usage: bench/run.sh [--corpus DIR] [--skip-peer-x10] [--skip-x100] [--skip-app | --only-app [--x10-db FILE]]
#   (default corpus: ../shared/corpus/bench-pd98)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh >/dev/null
cargo build --quiet --release --bin guanxi --bin guanxi-bench
if [[ " $* " != *" --skip-app "* ]]; then
  # The window's frontend is embedded at build time (custom-protocol), so build it first, in the e2e
  # mode: ui/e2e/bench-hub.wdio.mjs reads its figures through the test hooks (ui/src/testhooks.ts).
  (cd ui && npm run build:e2e --silent) >/dev/null
  cargo build --quiet --release -p guanxi-app --features custom-protocol
  rm -f target/debug/.guanxi-app-custom-protocol # ui/dist holds the hooks: run-app.sh rebuilds
fi
if ! .venv/bin/python -c "import jieba" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q --disable-pip-version-check jieba==0.42.1
fi
exec .venv/bin/python bench/run.py "$@"
