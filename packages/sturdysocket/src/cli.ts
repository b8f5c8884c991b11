#!/usr/bin/env node
// The `sturdysocket` command (the package's bin). See `sturdysocket --help`.
import { main } from './cli/main.js';

// The first Ctrl-C asks the command to end cleanly; a second one (once) kills the process.
const interrupt = new AbortController();
process.once('SIGINT', () => interrupt.abort());

main(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  stdin: process.stdin,
  env: process.env,
  interrupt: interrupt.signal,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
