#!/usr/bin/env bash
# Installs what the desktop app needs to build and to be tested in a real window (Debian 12):
# the apt packages Tauri needs on Debian (+ a CJK font), node_modules (npm workspace at the root),
# and tauri-driver.
# Idempotent and quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  libgl1-mesa-dri libegl-mesa0
  xvfb xauth webkit2gtk-driver
  fonts-noto-cjk
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "[setup-app] apt: installing ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then SUDO="sudo"; else
      echo "[setup-app] not root and no sudo: install ${missing[*]} by hand" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "[setup-app] apt packages present" >&2
fi

# node_modules at the repository root (an npm workspace over ui/, hoisted; package.json and
# package-lock.json at the root): npm ci unless it already matches the lockfile (the stamp is the
# lockfile's hash, written after a successful install).
stamp=node_modules/.guanxi-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "[setup-app] node_modules up to date" >&2
else
  # ui/node_modules of the layout before the workspace would shadow the hoisted packages.
  [ ! -f ui/node_modules/.guanxi-lock.sha256 ] || rm -rf ui/node_modules
  echo "[setup-app] npm ci (workspace: ui/)" >&2
  npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# tauri-driver (WebDriver proxy to WebKitWebDriver); its newest release is an alpha: pin 2.1.0.
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if command -v tauri-driver >/dev/null || [ -x "$CARGO_BIN/tauri-driver" ]; then
  echo "[setup-app] tauri-driver present" >&2
else
  echo "[setup-app] cargo install tauri-driver@2.1.0" >&2
  cargo install tauri-driver@2.1.0 --locked
fi
