#!/usr/bin/env bash
# Sets up everything, then runs every check and test: formatting, clippy, the Rust unit and
# integration tests, the end-to-end tests of the CLI and the GraphML export (pytest + networkx),
# and the desktop app's checks and real-window tests (scripts/test-app.sh). `.ci/run` runs this.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

step() { printf '\n=== %s ===\n' "$*"; }

step setup
scripts/setup.sh

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test"
if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --workspace --no-fail-fast
  cargo test --workspace --doc --quiet
else
  cargo test --workspace --quiet
fi

step "end-to-end: CLI and GraphML (pytest)"
cargo build --quiet --bin guanxi
GUANXI_BIN="$ROOT/target/debug/guanxi" .venv/bin/python -m pytest -q tests

if [ -x scripts/test-app.sh ]; then
  step "desktop app"
  scripts/test-app.sh
fi

step "all tests passed"
