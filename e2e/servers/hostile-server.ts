// A WebSocket server that misbehaves on purpose. Each connection's behaviour is chosen by the
// request path (see BEHAVIOURS); the server records the close frames clients send it, so a test
// can check which code a client failed the connection with.
import { createHash } from 'node:crypto';
import * as net from 'node:net';
import { deflateRawSync } from 'node:zlib';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface ClientFrame {
  readonly opcode: number;
  readonly fin: boolean;
  readonly masked: boolean;
  readonly payload: Buffer;
}

export interface HostileServer {
  readonly port: number;
  url(path: string): string;
  /** Close codes (or `null` for an empty close frame) received per request path, in order. */
  closeCodes(path: string): Array<number | null>;
  /** Every frame received per request path. */
  frames(path: string): ClientFrame[];
  /** Resolves when a connection to `path` has closed (its TCP connection ended). */
  closed(path: string): Promise<void>;
  close(): Promise<void>;
}

interface Request {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly accept: string;
}

export function frame(
  opcode: number,
  payload: Buffer | string = Buffer.alloc(0),
  options: { fin?: boolean; rsv1?: boolean; mask?: boolean } = {},
): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = body.length;
  const lengthBytes = length < 126 ? 0 : length < 0x10000 ? 2 : 8;
  const maskBytes = options.mask ? 4 : 0;
  const out = Buffer.alloc(2 + lengthBytes + maskBytes + length);
  out[0] = ((options.fin ?? true) ? 0x80 : 0) | (options.rsv1 ? 0x40 : 0) | opcode;
  out[1] = (options.mask ? 0x80 : 0) | (length < 126 ? length : length < 0x10000 ? 126 : 127);
  if (lengthBytes === 2) out.writeUInt16BE(length, 2);
  if (lengthBytes === 8) out.writeBigUInt64BE(BigInt(length), 2);
  const start = 2 + lengthBytes + maskBytes;
  if (options.mask) {
    const key = Buffer.from([1, 2, 3, 4]);
    key.copy(out, 2 + lengthBytes);
    for (let i = 0; i < length; i++) out[start + i] = (body[i] as number) ^ (key[i & 3] as number);
  } else body.copy(out, start);
  return out;
}

export function closeFrame(code?: number, reason = ''): Buffer {
  if (code === undefined) return frame(8);
  const payload = Buffer.alloc(2 + Buffer.byteLength(reason));
  payload.writeUInt16BE(code, 0);
  payload.write(reason, 2);
  return frame(8, payload);
}

function upgradeResponse(
  request: Request,
  extra: string[] = [],
  overrides: Partial<Record<string, string | null>> = {},
): string {
  const fields: Record<string, string | null> = {
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Accept': request.accept,
    ...overrides,
  };
  const lines = ['HTTP/1.1 101 Switching Protocols'];
  for (const [name, value] of Object.entries(fields)) if (value !== null) lines.push(`${name}: ${value}`);
  return `${[...lines, ...extra].join('\r\n')}\r\n\r\n`;
}

/** What the server does after the behaviour ran; by default it answers like a polite peer. */
interface Manners {
  /** Echo the client's close frame and close TCP (RFC 6455 §5.5.1). @default true */
  echoClose?: boolean;
  /** Close TCP when the client does. @default true */
  endOnFin?: boolean;
}

/** May return `Manners`; any other return value (e.g. of `socket.write`) is ignored. */
type Behaviour = (socket: net.Socket, request: Request) => unknown;

function mannersOf(value: unknown): Manners {
  if (typeof value === 'object' && value !== null && ('echoClose' in value || 'endOnFin' in value))
    return value as Manners;
  return {};
}

/** A well-formed upgrade, then `after`. */
function open(after: (socket: net.Socket) => unknown): Behaviour {
  return (socket, request) => {
    socket.write(upgradeResponse(request));
    return after(socket);
  };
}

/** How many pings `/ping-flood` sends: 100,000 pongs are about 13 MB. */
export const PING_FLOOD_COUNT = 100_000;

/** The compression bomb's deflated bytes (made by `startHostileServer`). */
let deflateBomb: Buffer | undefined;

function compressBomb(): Buffer {
  return deflateRawSync(Buffer.alloc(64 * 1024 * 1024), { finishFlush: 2 /* Z_SYNC_FLUSH */ });
}

export const BEHAVIOURS: Record<string, Behaviour> = {
  // Handshake failures.
  '/wrong-accept': (socket, request) =>
    socket.write(upgradeResponse(request, [], { 'Sec-WebSocket-Accept': 'dGhpcyBpcyBub3QgdGhlIGhhc2g=' })),
  '/missing-accept': (socket, request) => socket.write(upgradeResponse(request, [], { 'Sec-WebSocket-Accept': null })),
  '/missing-upgrade': (socket, request) => socket.write(upgradeResponse(request, [], { Upgrade: null })),
  '/missing-connection': (socket, request) => socket.write(upgradeResponse(request, [], { Connection: 'keep-alive' })),
  '/unrequested-protocol': (socket, request) =>
    socket.write(upgradeResponse(request, ['Sec-WebSocket-Protocol: never-offered'])),
  '/unrequested-extension': (socket, request) =>
    socket.write(upgradeResponse(request, ['Sec-WebSocket-Extensions: x-unheard-of; level=9'])),
  '/status-200': (socket) =>
    socket.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Trace: abc\r\nContent-Length: 5\r\n\r\nhello'),
  '/status-503': (socket) =>
    socket.end('HTTP/1.1 503 Service Unavailable\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n'),
  '/redirect': (socket) => socket.end('HTTP/1.1 302 Found\r\nLocation: /elsewhere\r\nContent-Length: 0\r\n\r\n'),
  '/huge-headers': (socket) => {
    // Headers without end: the client must stop at its limit, not buffer the stream forever.
    socket.write('HTTP/1.1 101 Switching Protocols\r\n');
    const line = `X-Filler: ${'a'.repeat(1000)}\r\n`;
    const pump = () => {
      while (!socket.destroyed && socket.write(line)) {}
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
  },
  '/malformed-status': (socket) => socket.write('HTTP/2.0 101 Switching\r\n\r\n'),
  '/never-answer': () => {},
  '/close-during-handshake': (socket) => socket.end(),
  '/odd-case-headers': (socket, request) =>
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nuPGRADE: WebSocket\r\nCONNECTION: keep-alive, UpGrade\r\nsec-websocket-ACCEPT:   ${request.accept}\r\n\r\n`,
    ),
  '/bad-deflate-params': (socket, request) =>
    // RFC 7692 §7.1.2.1: window bits are 8–15.
    socket.write(upgradeResponse(request, ['Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=7'])),
  // A compression bomb: 64 MiB of zeros deflated to a few dozen KiB, in one message.
  // Compressed when the server starts: deflating 64 MiB takes a while on a busy machine, and a
  // client that meanwhile times out the handshake or gives up on an idle connection tests nothing.
  '/deflate-bomb': (socket, request) => {
    deflateBomb ??= compressBomb();
    socket.write(upgradeResponse(request, ['Sec-WebSocket-Extensions: permessage-deflate']));
    socket.write(frame(2, deflateBomb.subarray(0, deflateBomb.length - 4), { rsv1: true }));
  },
  // A compressed message, its close frame and the FIN in one write: the client must finish
  // inflating before it treats the FIN as the end.
  '/deflate-then-fin': (socket, request) => {
    const compressed = deflateRawSync(Buffer.from('squeezed '.repeat(20_000)), { finishFlush: 2 });
    socket.end(
      Buffer.concat([
        Buffer.from(upgradeResponse(request, ['Sec-WebSocket-Extensions: permessage-deflate'])),
        frame(1, compressed.subarray(0, compressed.length - 4), { rsv1: true }),
        closeFrame(1000, 'compressed goodbye'),
      ]),
    );
    return { echoClose: false };
  },
  // Protocol violations after a good handshake.
  '/masked-frame': open((socket) => socket.write(frame(1, 'masked', { mask: true }))),
  '/bad-opcode': open((socket) => socket.write(frame(3, 'x'))),
  '/reserved-bits': open((socket) => socket.write(frame(1, 'x', { rsv1: true }))),
  '/bad-utf8': open((socket) => socket.write(frame(1, Buffer.from([0x68, 0xc3, 0x28])))),
  '/bad-close-code': open((socket) => socket.write(closeFrame(1005))),
  '/oversize': open((socket) => {
    // A header announcing 2^40 bytes, then a trickle: nothing of it may be buffered.
    const header = Buffer.alloc(10);
    header[0] = 0x82;
    header[1] = 127;
    header.writeBigUInt64BE(2n ** 40n, 2);
    socket.write(header);
    socket.write(Buffer.alloc(1024));
  }),
  // Well-formed but awkward delivery.
  '/one-byte-writes': (socket, request) => {
    const bytes = Buffer.concat([
      Buffer.from(upgradeResponse(request)),
      frame(1, 'first'),
      frame(1, 'sec', { fin: false }),
      frame(9, 'ping-in-between'),
      frame(0, 'ond'),
      frame(2, Buffer.from([1, 2, 3])),
      closeFrame(1000, 'done'),
    ]);
    let i = 0;
    const next = () => {
      if (socket.destroyed || i >= bytes.length) return;
      socket.write(bytes.subarray(i, i + 1));
      i++;
      setImmediate(next);
    };
    next();
  },
  '/many-frames-one-write': (socket, request) => {
    const frames: Buffer[] = [Buffer.from(upgradeResponse(request))];
    for (let i = 0; i < 1000; i++) frames.push(frame(1, `message ${i}`));
    frames.push(closeFrame(4000, 'bye'));
    socket.write(Buffer.concat(frames));
  },
  // Closing behaviours.
  '/server-close': open((socket) => socket.write(closeFrame(4001, 'server says bye'))),
  '/server-close-no-code': open((socket) => socket.write(closeFrame())),
  '/close-then-silence': open((socket) => {
    // Sends its close frame and never closes TCP: the client must give up after closeTimeoutMs.
    socket.write(closeFrame(1000));
    return { echoClose: false, endOnFin: false };
  }),
  '/ignore-close': open(() => ({ echoClose: false, endOnFin: false })),
  '/fin-after-open': open((socket) => socket.end()),
  // Resets when the client's first frame arrives, so the reset cannot race the handshake.
  '/reset-after-open': open((socket) => socket.once('data', () => socket.resetAndDestroy())),
  '/send-ping': open((socket) => socket.write(frame(9, 'are you there'))),
  // Pings without reading the pongs (PING_FLOOD_COUNT of them, far more pong bytes than the
  // kernel buffers between us hold), then reads again and closes. Each payload starts with the
  // ping's number.
  '/ping-flood': open((socket) => {
    socket.pause();
    const pings: Buffer[] = [];
    for (let i = 0; i < PING_FLOOD_COUNT; i++) {
      const payload = Buffer.alloc(125);
      payload.writeUInt32BE(i, 0);
      pings.push(frame(9, payload));
    }
    socket.write(Buffer.concat(pings), () => {
      setTimeout(() => {
        socket.resume();
        socket.write(closeFrame(1000, 'flood over'));
      }, 200);
    });
  }),
  // Closes with an application code, then resets the connection once the client's echo arrives
  // (as a server does that closes its socket with unread input): the close frame still counts.
  '/close-then-reset': open((socket) => {
    socket.write(closeFrame(4401, 'unauthorized'));
    socket.once('data', () => socket.resetAndDestroy());
    return { echoClose: false, endOnFin: false };
  }),
};

function parseRequest(head: string): Request | undefined {
  const [requestLine, ...lines] = head.split('\r\n');
  const match = /^GET (\S+) HTTP\/1\.1$/.exec(requestLine ?? '');
  if (!match) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const key = headers['sec-websocket-key'] ?? '';
  const accept = createHash('sha1')
    .update(key + GUID)
    .digest('base64');
  return { path: (match[1] as string).split('?')[0] as string, headers, accept };
}

/** Reads the client's (masked) frames after the handshake; good enough for a test server. */
function readFrames(buffer: Buffer, onFrame: (frame: ClientFrame) => void): Buffer {
  let offset = 0;
  while (buffer.length - offset >= 2) {
    const first = buffer[offset] as number;
    const second = buffer[offset + 1] as number;
    let length = second & 0x7f;
    let at = offset + 2;
    if (length === 126) {
      if (buffer.length < at + 2) break;
      length = buffer.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      if (buffer.length < at + 8) break;
      length = Number(buffer.readBigUInt64BE(at));
      at += 8;
    }
    const masked = (second & 0x80) !== 0;
    const key = masked ? buffer.subarray(at, at + 4) : undefined;
    if (masked) at += 4;
    if (buffer.length < at + length) break;
    const payload = Buffer.from(buffer.subarray(at, at + length));
    if (key) for (let i = 0; i < payload.length; i++) payload[i] = (payload[i] as number) ^ (key[i & 3] as number);
    onFrame({ opcode: first & 0x0f, fin: (first & 0x80) !== 0, masked, payload });
    offset = at + length;
  }
  return buffer.subarray(offset);
}

/** Starts the hostile server on an ephemeral port of 127.0.0.1. */
export async function startHostileServer(): Promise<HostileServer> {
  deflateBomb ??= compressBomb();
  const framesByPath = new Map<string, ClientFrame[]>();
  const closedWaiters = new Map<string, Array<() => void>>();
  const closedPaths = new Set<string>();
  const sockets = new Set<net.Socket>();

  // Half-open allowed, so a behaviour can keep its side open after the client's FIN.
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    let head: Buffer = Buffer.alloc(0);
    let request: Request | undefined;
    let rest: Buffer = Buffer.alloc(0);
    socket.on('close', () => {
      sockets.delete(socket);
      if (request === undefined) return;
      closedPaths.add(request.path);
      for (const resolve of closedWaiters.get(request.path) ?? []) resolve();
      closedWaiters.delete(request.path);
    });
    const onHead = (chunk: Buffer) => {
      if (request === undefined) {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end === -1) return;
        request = parseRequest(head.subarray(0, end).toString('latin1'));
        if (request === undefined) {
          socket.destroy();
          return;
        }
        rest = head.subarray(end + 4);
        const behaviour = BEHAVIOURS[request.path];
        if (behaviour === undefined) {
          socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
          return;
        }
        const path = request.path;
        // Record every frame; echo the client's close frame unless the behaviour says otherwise.
        const manners = mannersOf(behaviour(socket, request));
        if (manners.endOnFin !== false) socket.on('end', () => socket.end());
        const collect = (bytes: Buffer) => {
          rest = readFrames(Buffer.concat([rest, bytes]), (received) => {
            const list = framesByPath.get(path) ?? [];
            list.push(received);
            framesByPath.set(path, list);
            if (received.opcode === 8 && manners.echoClose !== false && !socket.destroyed && socket.writable) {
              socket.end(frame(8, received.payload.subarray(0, 2)));
            }
          });
        };
        socket.off('data', onHead);
        socket.on('data', collect);
        if (rest.length > 0) collect(Buffer.alloc(0));
      }
    };
    socket.on('data', onHead);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    url: (path) => `ws://127.0.0.1:${port}${path}`,
    frames: (path) => framesByPath.get(path) ?? [],
    closeCodes: (path) =>
      (framesByPath.get(path) ?? [])
        .filter((received) => received.opcode === 8)
        .map((received) => (received.payload.length >= 2 ? received.payload.readUInt16BE(0) : null)),
    closed: (path) =>
      closedPaths.has(path)
        ? Promise.resolve()
        : new Promise((resolve) => closedWaiters.set(path, [...(closedWaiters.get(path) ?? []), resolve])),
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
