import { type Sha1, verifyAccept } from './accept.js';
import { HandshakeError, type HandshakeFailureReason } from './errors/handshake-error.js';
import { type NegotiatedExtension, parseExtensions } from './extensions.js';
import type { HandshakeRequest } from './handshake-request.js';
import { type HeadersInput, headerRecord } from './headers.js';

/** What the server answered, as far as the handshake cares. */
export interface HandshakeResponse {
  /** The HTTP status code. */
  status: number;
  /** The response headers; names are matched case-insensitively. */
  headers: HeadersInput;
}

/** What a successful handshake agreed. */
export interface HandshakeResult {
  /** The subprotocol the server chose, or `''`. */
  readonly protocol: string;
  /** The extensions agreed, in the server's order, with each offer's configuration. */
  readonly extensions: readonly NegotiatedExtension[];
  /** The `Sec-WebSocket-Extensions` value the server sent (`''` if none), as WHATWG `extensions`. */
  readonly extensionsHeader: string;
  /** The response headers, lower-cased names, repeated fields joined. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Splits a comma-separated header value into trimmed, non-empty items. */
function listItems(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** Runtime capabilities `validateHandshakeResponse` may use. */
export interface HandshakeValidationOptions {
  /**
   * The SHA-1 that checks `Sec-WebSocket-Accept`; a runtime with a synchronous one (Node's
   * `node:crypto`) saves a WebCrypto round trip per connection.
   * @default WebCrypto's `crypto.subtle.digest('SHA-1', …)`
   */
  sha1?: Sha1;
}

/**
 * RFC 6455 §4.1, "the client MUST validate the server's response as follows", items 1–6, with a
 * typed failure for each. Resolves with the agreed protocol and extensions; rejects with a
 * `HandshakeError` whose `reason` names the rule that failed.
 */
export async function validateHandshakeResponse(
  request: HandshakeRequest,
  response: HandshakeResponse,
  options: HandshakeValidationOptions = {},
): Promise<HandshakeResult> {
  const headers = headerRecord(response.headers);
  // Errors get logged: the cookies a refusing server sets are credentials, so they stay out.
  let errorHeaders: Record<string, string> =
    'set-cookie' in headers ? { ...headers, 'set-cookie': '[redacted]' } : headers;
  const fail = (reason: HandshakeFailureReason, message: string, cause?: unknown): never => {
    throw new HandshakeError(reason, message, {
      status: response.status,
      headers: errorHeaders,
      ...(cause === undefined ? {} : { cause }),
    });
  };

  // 1. A status other than 101 is handled per HTTP; for us, it ends the attempt.
  if (response.status !== 101) {
    if (response.status >= 300 && response.status < 400 && headers.location !== undefined) {
      fail('redirect', `The server redirected (HTTP ${response.status}) and redirects are not followed`);
    }
    fail('http-status', `The server answered HTTP ${response.status} instead of 101 Switching Protocols`);
  }
  // 2. Upgrade must be "websocket", case-insensitively.
  if (headers.upgrade?.trim().toLowerCase() !== 'websocket') {
    fail('missing-upgrade', 'The response lacks "Upgrade: websocket"');
  }
  // 3. Connection must contain the token "Upgrade", case-insensitively.
  if (!listItems(headers.connection).some((token) => token.toLowerCase() === 'upgrade')) {
    fail('missing-connection', 'The response lacks "Connection: Upgrade"');
  }
  // 4. Sec-WebSocket-Accept must be base64(SHA-1(key + GUID)), exactly.
  const accept = headers['sec-websocket-accept'];
  if (accept === undefined) fail('missing-accept', 'The response lacks Sec-WebSocket-Accept');
  if (!(await verifyAccept(request.key, (accept as string).trim(), options.sha1))) {
    fail('bad-accept', 'Sec-WebSocket-Accept does not match the key sent');
  }
  // 6. A subprotocol must be one we offered; §4.2.2 allows the server exactly one.
  const protocolHeader = headers['sec-websocket-protocol'];
  let protocol = '';
  if (protocolHeader !== undefined) {
    protocol = protocolHeader.trim();
    if (protocol.includes(',') && listItems(protocol).some((item) => request.protocols.includes(item))) {
      // The server echoed (part of) our offer: what we offered may carry a credential (the auth
      // layer's subprotocol carrier), and errors get logged, so none of it goes into this one.
      errorHeaders = { ...errorHeaders, 'sec-websocket-protocol': '[redacted]' };
      fail('unrequested-protocol', 'The server chose more than one subprotocol (it must choose one of those offered)');
    }
    if (protocol.includes(',') || !request.protocols.includes(protocol)) {
      fail(
        'unrequested-protocol',
        `The server chose the subprotocol ${JSON.stringify(protocol)}, which was not offered`,
      );
    }
  } else if (request.requireProtocol && request.protocols.length > 0) {
    fail('missing-protocol', 'The server chose none of the offered subprotocols');
  }
  // 5. Every extension must be one we offered, with parameters the offer accepts.
  const extensionsHeader = headers['sec-websocket-extensions'] ?? '';
  const extensions: NegotiatedExtension[] = [];
  if (extensionsHeader.trim() !== '') {
    let entries: ReturnType<typeof parseExtensions> = [];
    try {
      entries = parseExtensions(extensionsHeader);
    } catch (cause) {
      fail('bad-extension-params', 'Sec-WebSocket-Extensions is malformed', cause);
    }
    for (const entry of entries) {
      const offer = request.extensions.find((candidate) => candidate.name.toLowerCase() === entry.name);
      if (!offer)
        fail('unrequested-extension', `The server accepted the extension ${entry.name}, which was not offered`);
      if (extensions.some((agreed) => agreed.name === entry.name)) {
        fail('bad-extension-params', `The server accepted the extension ${entry.name} twice`);
      }
      let config: unknown;
      try {
        config = offer?.accept(entry.params);
      } catch (cause) {
        fail(
          'bad-extension-params',
          `The server's ${entry.name} parameters are not acceptable: ${(cause as Error)?.message ?? cause}`,
          cause,
        );
      }
      extensions.push({ name: entry.name, params: entry.params, config });
    }
  }
  return { protocol, extensions, extensionsHeader: extensionsHeader.trim(), headers };
}
