#!/usr/bin/env bash
# Sets up everything Guanxi needs on Debian 12: system packages, a Python venv for the
# end-to-end tests (networkx, pytest), the desktop app's packages (scripts/setup-app.sh) and the
# CLI build. Idempotent, and quick when everything is already there.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

packages=(build-essential pkg-config python3 python3-venv python3-pip ca-certificates git)
missing=()
for package in "${packages[@]}"; do
  dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "setup: cargo not found; install the Rust toolchain (rustup) and re-run" >&2
  exit 1
fi

# Python for the end-to-end tests (GraphML read back by networkx).
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import networkx, pytest" >/dev/null 2>&1; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r tests/requirements.txt
fi

# The desktop app: WebKitGTK, Xvfb, WebDriver, npm packages, tauri-driver.
if [ -x scripts/setup-app.sh ]; then
  scripts/setup-app.sh
fi

cargo build --quiet --bin guanxi
echo "setup: done"
