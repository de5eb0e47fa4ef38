#!/usr/bin/env bash
# The desktop app's checks: TypeScript, ESLint, vitest, bindings freshness, production build (no test
# hooks in it), then a build with the test hooks (--mode e2e) and the real-window end-to-end tests
# under Xvfb (tauri-driver + WebKitWebDriver) on the demo corpus.
# Needs scripts/setup-app.sh first. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
t() { local s=$SECONDS; "$@"; echo "[test-app] $* : $((SECONDS - s))s" >&2; }

[ -d node_modules ] || { echo "[test-app] node_modules missing (npm workspace at the root): run scripts/setup-app.sh" >&2; exit 1; }

# 1. the UI's own checks
t bash -c 'cd ui && npx --no-install tsc --noEmit'
t bash -c 'cd ui && npx --no-install eslint .'
t bash -c 'cd ui && npx --no-install vitest run'

# 2. the production build of the UI must leave the test hooks out; the window tests then need a build
#    with them (vite --mode e2e: ui/src/testhooks.ts), which the app embeds (custom-protocol)
t bash -c 'cd ui && npm run build --silent'
if grep -rq "__guanxi" ui/dist; then
  echo "[test-app] the production build of ui/ contains test hooks (__guanxi)" >&2
  exit 1
fi
t bash -c 'cd ui && npm run build:e2e --silent'
if ! grep -rq "__guanxi" ui/dist; then
  echo "[test-app] the e2e build of ui/ has no test hooks (__guanxi)" >&2
  exit 1
fi
rm -f target/debug/.guanxi-app-custom-protocol # scripts/run-app.sh rebuilds without the hooks

# 3. Rust tests of the shell; export_bindings regenerates ui/src/bindings.ts, which must not change
t cargo test -p guanxi-app --features custom-protocol
if ! git diff --exit-code -- ui/src/bindings.ts; then
  echo "[test-app] ui/src/bindings.ts is stale: commit the regenerated file" >&2
  exit 1
fi

# 4. the app binary with the frontend embedded, and the CLI that makes the demo database
t cargo build -p guanxi-app --features custom-protocol
t cargo build -p guanxi-cli --bin guanxi

# 5. the real window under Xvfb
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
t target/debug/guanxi ingest corpus/demo --db "$WORK/demo.db" >/dev/null
cp -r tests/app/second "$WORK/second"

PYTHON=""
for candidate in .venv/bin/python .venv/app/bin/python; do
  if [ -x "$candidate" ] && "$candidate" -c "import networkx" 2>/dev/null; then PYTHON=$ROOT/$candidate; break; fi
done
if [ -z "$PYTHON" ]; then
  python3 -m venv .venv/app
  .venv/app/bin/python -m pip install --quiet networkx
  PYTHON=$ROOT/.venv/app/bin/python
fi

TAURI_DRIVER="$(command -v tauri-driver || echo "${CARGO_HOME:-$HOME/.cargo}/bin/tauri-driver")"
export APP="$ROOT/target/debug/guanxi-app" DB="$WORK/demo.db" SECOND="$WORK/second" PYTHON TAURI_DRIVER
export ARTIFACTS="$ROOT/tests/artifacts"
mkdir -p "$ARTIFACTS"
rm -f "$ARTIFACTS"/*.png "$ARTIFACTS"/perf.json "$ARTIFACTS"/export.*
t xvfb-run -a -s "-screen 0 1280x800x24" scripts/e2e-app.sh

# 6. the overview of a month of news (issue 15): bench-pd98 with file-name dates, in a second window
#    session. The corpus lives outside the repository (../shared); without it this part is skipped,
#    saying so (a fresh clone still passes the demo tests above).
PD98="${GUANXI_PD98:-$ROOT/../shared/corpus/bench-pd98}"
if [ -d "$PD98" ]; then
  t scripts/dated-pd98.sh "$PD98" "$WORK/pd98"
  t target/debug/guanxi ingest "$WORK/pd98" --db "$WORK/pd98.db" >/dev/null
  DB="$WORK/pd98.db" t xvfb-run -a -s "-screen 0 1280x800x24" scripts/e2e-app.sh --test --test-concurrency=1 e2e/overview.wdio.test.mjs
else
  echo "[test-app] $PD98 missing: the overview window tests on bench-pd98 were skipped (set GUANXI_PD98)" >&2
fi
