import { formatError, UsageError } from './format-error.js';
import { acceptCommand, keyCommand } from './key-commands.js';

export const USAGE = `Usage: sturdysocket <command> [options]

Commands:
  connect <url>   an interactive session: lines typed are sent, messages received are printed;
                  Ctrl-C closes it cleanly (exit 130)
                  --header 'Name: value' (repeatable)  --protocol NAME (repeatable)
                  --token TOKEN (never echoed; or STURDYSOCKET_TOKEN)  --reconnect  --json
                  --ca FILE, --insecure (TLS: trust a CA; skip certificate checks)
                  --stdin (non-interactive: send stdin lines, print replies, exit at EOF)
                  --wait-ms N (with --stdin: how long to wait for replies once the input is sent, default 1000)
  probe <url>     perform the handshake and report it: request, key, accept, status, headers,
                  protocol, extensions, TLS, timings, ping round trip  (--json, --header, --protocol,
                  --ca FILE, --insecure, --timeout-ms N: handshake and ping, default 10000)
  accept <key>    print the Sec-WebSocket-Accept for a Sec-WebSocket-Key
  key             print a fresh Sec-WebSocket-Key

Global options: --verbose (stack traces on errors)  --help`;

/** What a command may use of the outside world; injected so tests can run commands in-process. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  stdin: NodeJS.ReadableStream;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether `--verbose` was given: errors print their stacks. */
  verbose?: boolean;
  /**
   * Aborted when the user interrupts (Ctrl-C, SIGINT): `connect` then closes its socket with a
   * closing handshake and exits 130, instead of leaving the server a dropped connection.
   */
  interrupt?: AbortSignal;
}

type Command = (args: readonly string[], io: CliIo) => Promise<number> | number;

const commands: Record<string, () => Promise<Command>> = {
  key: async () => (_args, io) => keyCommand(io.out),
  accept: async () => (args, io) => acceptCommand(args, io.out),
  connect: async () => (await import('./connect-command.js')).connectCommand,
  probe: async () => (await import('./probe-command.js')).probeCommand,
};

/** Runs the CLI; resolves with the process exit code (0 pass, 1 failure, 2 usage). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const verbose = argv.includes('--verbose');
  const args = argv.filter((arg) => arg !== '--verbose');
  const [name, ...rest] = args;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (!load) {
    io.err(`error: unknown command ${JSON.stringify(name)}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest, { ...io, verbose });
  } catch (error) {
    io.err(formatError(error, verbose));
    // node:util's parseArgs refuses unknown options and missing values with these codes.
    const code = (error as { code?: unknown } | undefined)?.code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'))) {
      io.err('run `sturdysocket --help` for usage');
      return 2;
    }
    return 1;
  }
}
