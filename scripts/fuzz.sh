#!/usr/bin/env bash
# Runs each cargo-fuzz target for a fixed time budget (default 60 s each) and prints the CPU time
# fuzzed and any crash found (kept in fuzz/artifacts/). Usage: scripts/fuzz.sh [SECONDS]
# The machine's toolchain is stable: RUSTC_BOOTSTRAP lets cargo-fuzz's instrumentation flags
# through, and no sanitizer is used (libFuzzer's coverage guidance still works).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/fuzz"
SECONDS_EACH="${1:-60}"
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked
mkdir -p corpus/ingest corpus/graphml corpus/shapes
cp -n ../corpus/demo/*.txt corpus/ingest/ 2>/dev/null || true
status=0
for target in ingest graphml shapes; do
  start=$(date +%s)
  if RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none "$target" "corpus/$target" -- \
      -max_total_time="$SECONDS_EACH" -rss_limit_mb=4096 -print_final_stats=1 2>"/tmp/fuzz-$target.log"; then
    result="no crash"
  else
    result="CRASH (see fuzz/artifacts/$target and /tmp/fuzz-$target.log)"
    status=1
  fi
  runs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "/tmp/fuzz-$target.log" | grep -o "[0-9]*$" || echo "?")
  echo "fuzz $target: $(( $(date +%s) - start )) s wall, ${runs} executions, ${result}"
done
exit $status
