#!/usr/bin/env bash
# The CLI against a local server: a key, its accept value, a probe and a scripted session.
# Run: bash examples/cli.sh   (after `pnpm build`)
set -euo pipefail
cd "$(dirname "$0")/.."
cli="node packages/sturdysocket/dist/cli.js"

key=$($cli key)
echo "key:    $key"
echo "accept: $($cli accept "$key")"

# A throwaway echo server for the probe and the session.
port_file=$(mktemp)
node --input-type=module -e "
  import { startEchoServer } from './examples/echo-server.mjs';
  const server = await startEchoServer();
  (await import('node:fs')).writeFileSync('$port_file', server.url);
  setTimeout(() => server.close(), 10000);
" &
server_pid=$!
trap 'kill $server_pid 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
url=$(cat "$port_file")

$cli probe "$url"
printf 'first line\nsecond line\n' | $cli connect "$url" --stdin --wait-ms 300
