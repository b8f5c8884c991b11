import { HandshakeError } from './errors/handshake-error.js';

/** The status line and header fields of an HTTP/1.1 response. */
export interface HttpResponseHead {
  readonly status: number;
  readonly statusText: string;
  /** Header fields in arrival order, names as sent. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

// A literal, not `16 * 1024`: bundlers keep an unused module-level product as if it had side effects.
/** @default 16 KiB, as Node's HTTP parser (`--max-http-header-size`). */
export const DEFAULT_MAX_RESPONSE_HEADER_BYTES = 16_384;

const CRLFCRLF = [13, 10, 13, 10];

/**
 * Sans-I/O reader for the handshake response head. Feed it bytes as they arrive; it returns the
 * parsed head and the bytes after it (the first frames may share a TCP segment with the head),
 * or `undefined` while incomplete. Throws `HandshakeError` (`response-too-large`,
 * `malformed-response`) and never buffers more than `maxBytes`.
 */
export class HttpResponseHeadReader {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;
  private matched = 0;

  constructor(private readonly maxBytes: number = DEFAULT_MAX_RESPONSE_HEADER_BYTES) {}

  push(chunk: Uint8Array): { head: HttpResponseHead; rest: Uint8Array } | undefined {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      this.matched = byte === CRLFCRLF[this.matched] ? this.matched + 1 : byte === 13 ? 1 : 0;
      if (this.matched === 4) {
        if (this.size + i + 1 > this.maxBytes) break;
        this.chunks.push(chunk.subarray(0, i + 1));
        const all = concat(this.chunks, this.size + i + 1);
        return { head: parseHead(all), rest: chunk.subarray(i + 1) };
      }
    }
    if (this.size + chunk.length > this.maxBytes) {
      throw new HandshakeError('response-too-large', `The handshake response head exceeds ${this.maxBytes} bytes`);
    }
    this.chunks.push(chunk);
    this.size += chunk.length;
    return undefined;
  }
}

function concat(chunks: Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0] as Uint8Array;
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}

const STATUS_LINE = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/;
const FIELD = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*(.*?)[ \t]*$/;

/** One decoder for every response (constructing one costs more than parsing a head; a whole-input decode keeps no state). */
let latin1: TextDecoder | undefined;

function parseHead(bytes: Uint8Array): HttpResponseHead {
  // Header bytes are ISO-8859-1 by HTTP's rules; latin1 keeps every byte one character.
  latin1 ??= new TextDecoder('latin1');
  const text = latin1.decode(bytes.subarray(0, bytes.length - 4));
  const lines = text.split('\r\n');
  const statusMatch = STATUS_LINE.exec(lines[0] ?? '');
  if (!statusMatch) {
    throw new HandshakeError('malformed-response', 'The server did not answer with an HTTP/1.1 status line');
  }
  const headers: Array<[string, string]> = [];
  for (const line of lines.slice(1)) {
    const field = FIELD.exec(line);
    // RFC 7230 §3.2.4: obsolete line folding and malformed fields are rejected, not guessed at.
    if (!field) throw new HandshakeError('malformed-response', 'The handshake response has a malformed header field');
    headers.push([field[1] as string, field[2] as string]);
  }
  return { status: Number(statusMatch[1]), statusText: statusMatch[2] ?? '', headers };
}
