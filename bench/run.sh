#!/usr/bin/env bash
# Guanxi benchmark: prints one table (ingest throughput vs jieba-rs `tag` alone vs the Python
# jieba + networkx peer, peak memory, database size, re-ingest, query latency at ×10).
# Usage: bench/run.sh [--corpus DIR] [--skip-peer-x10]   (default corpus: ../shared/corpus/bench-pd98)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/setup.sh >/dev/null
cargo build --quiet --release --bin guanxi --bin guanxi-bench
if ! .venv/bin/python -c "import jieba" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q --disable-pip-version-check jieba==0.42.1
fi
exec .venv/bin/python bench/run.py "$@"
