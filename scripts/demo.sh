#!/usr/bin/env bash
# The README's first command: installs what the demo needs (pnpm, dependencies), builds the
# packages, and runs the demo against servers it starts itself on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(pnpm --version 2>/dev/null || true)" != "12.21.0" ]; then npm install -g pnpm@12.21.0 --silent; fi
pnpm install --frozen-lockfile --silent >/dev/null
pnpm -r --filter './packages/*' run build >/dev/null
node scripts/demo.mjs "$@"
