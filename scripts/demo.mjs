#!/usr/bin/env node
// The sturdysocket demo: the SDK doing its main job against servers it starts itself.
// Run it with `bash scripts/demo.sh` (installs and builds first) or `pnpm demo` after a build.
import { handshakeChapter } from '../demo/handshake.mjs';

const started = performance.now();
const log = (line) => console.log(`${((performance.now() - started) / 1000).toFixed(2).padStart(6)}s  ${line}`);

await handshakeChapter(log);
