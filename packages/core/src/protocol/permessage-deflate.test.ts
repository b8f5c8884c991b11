import { describe, expect, it } from 'vitest';
import { computeAccept } from '../accept.js';
import { HandshakeError } from '../errors/handshake-error.js';
import { parseExtensions } from '../extensions.js';
import { createHandshakeRequest } from '../handshake-request.js';
import { validateHandshakeResponse } from '../handshake-response.js';
import { hex, toHex } from './harness.test-helper.js';
import {
  createPermessageDeflateOffer,
  DEFAULT_PERMESSAGE_DEFLATE_OPTIONS,
  type PermessageDeflateOptions,
  stripDeflateTrailer,
} from './permessage-deflate.js';

/** Judges a server's `Sec-WebSocket-Extensions` answer against the offer made with `options`. */
function answer(header: string, options: PermessageDeflateOptions = {}) {
  const [entry] = parseExtensions(header);
  return createPermessageDeflateOffer(options).accept(entry!.params);
}

describe('permessage-deflate offer (RFC 7692 §7.1)', () => {
  it('offers client_max_window_bits by default', () => {
    expect(createPermessageDeflateOffer().offer).toBe('permessage-deflate; client_max_window_bits');
  });

  it('formats every parameter', () => {
    expect(
      createPermessageDeflateOffer({
        clientNoContextTakeover: true,
        serverNoContextTakeover: true,
        serverMaxWindowBits: 10,
        clientMaxWindowBits: 12,
      }).offer,
    ).toBe(
      'permessage-deflate; client_no_context_takeover; server_no_context_takeover; server_max_window_bits=10; client_max_window_bits=12',
    );
    expect(createPermessageDeflateOffer({ clientMaxWindowBits: false }).offer).toBe('permessage-deflate');
  });

  it('parses as a valid extensions header', () => {
    const offer = createPermessageDeflateOffer({ serverMaxWindowBits: 9, clientNoContextTakeover: true }).offer;
    expect(parseExtensions(offer)[0]?.name).toBe('permessage-deflate');
  });

  it.each([
    [{ clientMaxWindowBits: 7 }],
    [{ clientMaxWindowBits: 16 }],
    [{ serverMaxWindowBits: 8.5 }],
    [{ level: 10 }],
    [{ thresholdBytes: -1 }],
  ])('refuses the options %j', (options) => {
    expect(() => createPermessageDeflateOffer(options)).toThrow(RangeError);
  });
});

describe('permessage-deflate answer (RFC 7692 §7.1)', () => {
  it('agrees defaults from a bare answer', () => {
    expect(answer('permessage-deflate')).toEqual({
      clientNoContextTakeover: false,
      serverNoContextTakeover: false,
      clientMaxWindowBits: 15,
      serverMaxWindowBits: 15,
      thresholdBytes: DEFAULT_PERMESSAGE_DEFLATE_OPTIONS.thresholdBytes,
      level: 6,
    });
  });

  it('accepts what the server may declare or impose unasked', () => {
    expect(
      answer('permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=10'),
    ).toMatchObject({
      serverNoContextTakeover: true,
      clientNoContextTakeover: true,
      serverMaxWindowBits: 10,
    });
  });

  it('takes the client window the server picks in answer to our bare offer', () => {
    expect(answer('permessage-deflate; client_max_window_bits=9')).toMatchObject({ clientMaxWindowBits: 9 });
  });

  it('keeps our own client window cap when the answer leaves it out', () => {
    expect(answer('permessage-deflate', { clientMaxWindowBits: 11 })).toMatchObject({ clientMaxWindowBits: 11 });
  });

  it('accepts a server window at or below the one offered', () => {
    expect(answer('permessage-deflate; server_max_window_bits=10', { serverMaxWindowBits: 10 })).toMatchObject({
      serverMaxWindowBits: 10,
    });
    expect(answer('permessage-deflate; server_max_window_bits="8"', { serverMaxWindowBits: 10 })).toMatchObject({
      serverMaxWindowBits: 8,
    });
  });

  it.each<[string, string, PermessageDeflateOptions]>([
    ['an unknown parameter', 'permessage-deflate; foo', {}],
    ['a duplicate parameter', 'permessage-deflate; server_no_context_takeover; server_no_context_takeover', {}],
    ['a duplicate window', 'permessage-deflate; server_max_window_bits=10; server_max_window_bits=10', {}],
    ['server_no_context_takeover with a value', 'permessage-deflate; server_no_context_takeover=1', {}],
    ['client_no_context_takeover with a value', 'permessage-deflate; client_no_context_takeover=1', {}],
    ['server_max_window_bits=7', 'permessage-deflate; server_max_window_bits=7', {}],
    ['server_max_window_bits=16', 'permessage-deflate; server_max_window_bits=16', {}],
    ['server_max_window_bits=010', 'permessage-deflate; server_max_window_bits=010', {}],
    ['server_max_window_bits without a value', 'permessage-deflate; server_max_window_bits', {}],
    ['server_max_window_bits missing when offered', 'permessage-deflate', { serverMaxWindowBits: 10 }],
    [
      'server_max_window_bits above the offer',
      'permessage-deflate; server_max_window_bits=11',
      { serverMaxWindowBits: 10 },
    ],
    [
      'client_max_window_bits not offered',
      'permessage-deflate; client_max_window_bits=10',
      { clientMaxWindowBits: false },
    ],
    ['client_max_window_bits without a value', 'permessage-deflate; client_max_window_bits', {}],
    ['client_max_window_bits=16', 'permessage-deflate; client_max_window_bits=16', {}],
    [
      'client_max_window_bits above our cap',
      'permessage-deflate; client_max_window_bits=12',
      { clientMaxWindowBits: 11 },
    ],
    [
      'client_no_context_takeover refused by the options',
      'permessage-deflate; client_no_context_takeover',
      { clientNoContextTakeover: false },
    ],
  ])('rejects %s', (_, header, options) => {
    expect(() => answer(header, options)).toThrow(Error);
  });
});

describe('stripDeflateTrailer (RFC 7692 §7.2.1)', () => {
  it('removes a trailing 00 00 FF FF and nothing else', () => {
    expect(toHex(stripDeflateTrailer(hex('f248cdc9c90700 0000ffff')))).toBe('f248cdc9c90700');
    expect(toHex(stripDeflateTrailer(hex('f248cdc9c90700')))).toBe('f248cdc9c90700');
    expect(toHex(stripDeflateTrailer(hex('ffff')))).toBe('ffff');
  });
});

describe('permessage-deflate in the opening handshake (RFC 6455 §4.1, §9.1)', () => {
  async function handshake(extensionsHeader: string, options: PermessageDeflateOptions = {}) {
    const request = createHandshakeRequest({
      url: 'ws://example.com/',
      extensions: [createPermessageDeflateOffer(options)],
    });
    return validateHandshakeResponse(request, {
      status: 101,
      headers: {
        upgrade: 'websocket',
        connection: 'Upgrade',
        'sec-websocket-accept': await computeAccept(request.key),
        'sec-websocket-extensions': extensionsHeader,
      },
    });
  }

  it('offers itself in the request and returns the agreed configuration', async () => {
    const request = createHandshakeRequest({ url: 'ws://example.com/', extensions: [createPermessageDeflateOffer()] });
    expect(request.headers).toContainEqual(['Sec-WebSocket-Extensions', 'permessage-deflate; client_max_window_bits']);
    const result = await handshake('permessage-deflate; server_no_context_takeover; client_max_window_bits=10');
    expect(result.extensions[0]).toMatchObject({
      name: 'permessage-deflate',
      config: { serverNoContextTakeover: true, clientMaxWindowBits: 10 },
    });
  });

  it('fails with bad-extension-params when the answer breaks a rule', async () => {
    const failure = await handshake('permessage-deflate; server_max_window_bits=16').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(HandshakeError);
    expect(failure).toMatchObject({ reason: 'bad-extension-params' });
    await expect(handshake('permessage-deflate', { serverMaxWindowBits: 10 })).rejects.toMatchObject({
      reason: 'bad-extension-params',
    });
  });
});
