import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ReconnectStoppedError } from '@sturdysocket/reconnect';
import { connect, tokenAuth } from '../runtime/node.js';
import { formatError, UsageError } from './format-error.js';
import type { CliIo } from './main.js';

/** Parses repeated `--header 'Name: value'` options into pairs. */
export function parseHeaderOptions(values: readonly string[]): Array<[string, string]> {
  return values.map((value) => {
    const colon = value.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header takes 'Name: value', got ${JSON.stringify(value.split(':')[0])}`);
    return [value.slice(0, colon).trim(), value.slice(colon + 1).trim()];
  });
}

/** `url` for printing: a password in it is a credential, and credentials are never printed. */
export function describeUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const shown = new URL(url);
  if (shown.password !== '') shown.password = '[redacted]';
  return shown.href;
}

function describeData(data: unknown): string {
  if (typeof data === 'string') return data;
  const bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : ArrayBuffer.isView(data)
        ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
        : undefined;
  if (!bytes) return String(data);
  const hex = Buffer.from(bytes.subarray(0, 64)).toString('hex');
  return `<binary ${bytes.length} bytes: ${hex}${bytes.length > 64 ? '…' : ''}>`;
}

/**
 * `sturdysocket connect <url>`: like wscat/websocat. Interactive by default (lines typed are
 * sent, messages received printed); `--stdin` reads stdin to EOF, sends each line, waits
 * `--wait-ms` for replies and exits. `--json` prints one JSON object per event. The token is
 * never printed, not even in errors.
 */
export async function connectCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      header: { type: 'string', multiple: true, default: [] },
      protocol: { type: 'string', multiple: true, default: [] },
      token: { type: 'string' },
      reconnect: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      stdin: { type: 'boolean', default: false },
      'wait-ms': { type: 'string', default: '1000' },
      ca: { type: 'string' },
      insecure: { type: 'boolean', default: false },
    },
  });
  const url = positionals[0];
  if (url === undefined || positionals.length > 1) throw new UsageError('connect takes exactly one URL');
  const waitMs = Number(values['wait-ms']);
  if (!Number.isFinite(waitMs) || waitMs < 0) throw new UsageError('--wait-ms takes a number of milliseconds');
  const token = values.token ?? io.env.STURDYSOCKET_TOKEN;
  const emit = (event: Record<string, unknown>, text: string) => io.out(values.json ? JSON.stringify(event) : text);
  const transport: Record<string, unknown> = {};
  if (values.ca) transport.ca = (await import('node:fs')).readFileSync(values.ca);
  if (values.insecure) transport.rejectUnauthorized = false;

  const socket = connect(url, {
    protocols: values.protocol,
    headers: parseHeaderOptions(values.header),
    transport,
    ...(token ? { auth: tokenAuth({ token }) } : {}),
    // Binary messages as bytes, which describeData prints; a Blob would print as [object Blob].
    reconnect: { binaryType: 'arraybuffer', ...(values.reconnect ? {} : { retry: { maxRetries: 0 } }) },
  });

  let exitCode = 0;
  const finished = new Promise<void>((resolve) => {
    socket.on('state', ({ to }) => {
      if (to === 'closed') resolve();
    });
  });
  socket.on('open', () =>
    emit(
      { type: 'open', url: describeUrl(socket.url), protocol: socket.protocol },
      `connected to ${describeUrl(socket.url)}${socket.protocol ? ` (protocol ${socket.protocol})` : ''}`,
    ),
  );
  socket.on('message', (data) => emit({ type: 'message', data: describeData(data) }, `< ${describeData(data)}`));
  socket.on('reconnecting', ({ attempt, delayMs, decision }) =>
    emit(
      { type: 'reconnecting', attempt, delayMs: Math.round(delayMs), reason: decision.reason },
      `* reconnecting in ${(delayMs / 1000).toFixed(1)}s (retry ${attempt}: ${decision.reason})`,
    ),
  );
  socket.on('close', ({ code, reason, willReconnect }) => {
    if (!willReconnect)
      emit({ type: 'close', code, reason }, `disconnected (code ${code}${reason ? `, ${reason}` : ''})`);
  });
  socket.on('error', (error) => {
    if (error instanceof ReconnectStoppedError) {
      // Without --reconnect, a server that ends the session normally (1000) stops the loop at
      // once; that is the session's end, not a failure.
      const { failure } = error;
      if (!values.reconnect && failure.kind === 'close' && failure.code === 1000) return;
      exitCode = 1;
      const cause = error.cause ?? error;
      io.err(formatError(cause, io.verbose ?? false));
    }
  });

  // Lines queued while the socket is not open, until they reach it or are dropped: the end of
  // input waits for them, or closing would drop lines still in the outbox.
  const queued = new Set<Promise<void>>();
  const input = createInterface({ input: io.stdin, terminal: false });
  input.on('line', (line) => {
    if (line === '') return;
    const { status, delivered } = socket.sendWithReceipt(line);
    if (status !== 'sent') emit({ type: 'send', status }, `* ${status}`);
    if (status !== 'queued') return;
    const settled = delivered.catch(() => undefined);
    queued.add(settled);
    void settled.then(() => queued.delete(settled));
  });
  const endOfInput = new Promise<void>((resolve) => input.once('close', () => resolve()));
  const inputSent = endOfInput.then(() => Promise.all(queued));
  let interrupted = false;
  const interruption = new Promise<void>((resolve) => {
    if (io.interrupt?.aborted) resolve();
    io.interrupt?.addEventListener('abort', () => resolve(), { once: true });
  }).then(() => {
    interrupted = true;
  });

  if (values.stdin) {
    await Promise.race([
      inputSent.then(() => new Promise((resolve) => setTimeout(resolve, waitMs))),
      finished,
      interruption,
    ]);
  } else {
    await Promise.race([inputSent, finished, interruption]);
  }
  input.close();
  if (socket.state !== 'closed') {
    socket.close(1000);
    await finished;
  }
  // 128 + SIGINT's number, as shells report a command Ctrl-C ended.
  return interrupted ? 130 : exitCode;
}
