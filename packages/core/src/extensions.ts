import { isToken } from './http-token.js';

/** One `name[=value]` parameter of an extension; a bare name has the value `true`. */
export type ExtensionParam = readonly [name: string, value: string | true];

/** One entry of a `Sec-WebSocket-Extensions` header (RFC 6455 §9.1). */
export interface ExtensionEntry {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
}

/**
 * An extension the client offers in the opening handshake. The engine stays runtime-free: an
 * offer only formats itself and judges the server's answer; the runtime package supplies codecs.
 */
export interface ExtensionOffer<Negotiated = unknown> {
  /** The extension token, e.g. `permessage-deflate`. */
  readonly name: string;
  /** The offer as written in the request header, e.g. `permessage-deflate; client_max_window_bits`. */
  readonly offer: string;
  /**
   * Judges the parameters the server answered with and returns the agreed configuration.
   * Throws (any error; its message is kept) when they are not acceptable — the handshake then
   * fails with `bad-extension-params`.
   */
  accept(params: readonly ExtensionParam[]): Negotiated;
}

/** An extension both sides agreed on, with the configuration its offer returned. */
export interface NegotiatedExtension<Negotiated = unknown> {
  readonly name: string;
  readonly params: readonly ExtensionParam[];
  readonly config: Negotiated;
}

/**
 * Parses a `Sec-WebSocket-Extensions` value:
 *   extension-list = 1#extension
 *   extension = extension-token *( ";" extension-param )
 *   extension-param = token [ "=" (token | quoted-string) ]
 * Empty list elements (`a, , b`, a leading or trailing comma) are skipped, as RFC 7230 §7 requires
 * of a recipient, but at least one extension must be there. Throws a `SyntaxError` on anything else.
 */
export function parseExtensions(header: string): ExtensionEntry[] {
  const entries: ExtensionEntry[] = [];
  let i = 0;
  const length = header.length;
  const skipSpace = () => {
    while (i < length && (header[i] === ' ' || header[i] === '\t')) i++;
  };
  const readToken = (): string => {
    const start = i;
    while (i < length && isToken(header[i] as string)) i++;
    if (start === i) throw new SyntaxError(`expected a token at offset ${start} of the extensions header`);
    return header.slice(start, i);
  };
  const readQuoted = (): string => {
    i++; // opening quote
    let value = '';
    while (i < length && header[i] !== '"') {
      if (header[i] === '\\') i++;
      if (i >= length) break;
      value += header[i];
      i++;
    }
    if (header[i] !== '"') throw new SyntaxError('unterminated quoted-string in the extensions header');
    i++;
    // RFC 6455 §9.1: a quoted value must itself conform to the token ABNF.
    if (!isToken(value)) throw new SyntaxError('a quoted extension parameter must hold a token');
    return value;
  };

  while (true) {
    skipSpace();
    // RFC 7230 §7: a recipient MUST parse and ignore empty list elements (senders that merge
    // values leave them); the header's size limit bounds how many there can be.
    while (header[i] === ',') {
      i++;
      skipSpace();
    }
    if (i >= length && entries.length > 0) return entries;
    const name = readToken();
    const params: ExtensionParam[] = [];
    skipSpace();
    while (header[i] === ';') {
      i++;
      skipSpace();
      const paramName = readToken();
      skipSpace();
      let value: string | true = true;
      if (header[i] === '=') {
        i++;
        skipSpace();
        value = header[i] === '"' ? readQuoted() : readToken();
        skipSpace();
      }
      params.push([paramName.toLowerCase(), value]);
    }
    entries.push({ name: name.toLowerCase(), params });
    if (i >= length) return entries;
    if (header[i] !== ',') throw new SyntaxError(`unexpected character at offset ${i} of the extensions header`);
    i++;
  }
}
