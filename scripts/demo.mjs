#!/usr/bin/env node
// The sturdysocket demo: the SDK doing its main job against servers it starts itself.
// Run it with `bash scripts/demo.sh` (installs and builds first) or `pnpm demo` after a build.
import { handshakeChapter } from '../demo/handshake.mjs';
import { timelineChapter } from '../demo/timeline.mjs';

const started = performance.now();
const log = (line) => console.log(`${((performance.now() - started) / 1000).toFixed(2).padStart(6)}s  ${line}`);

log('══ the opening handshake, by hand with @sturdysocket/core ══');
await handshakeChapter(log);
log('══ connect(): token, reconnect, outbox, heartbeat ══');
const ok = await timelineChapter(log);
process.exitCode = ok ? 0 : 1;
