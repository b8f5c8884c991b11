import { describe, expect, it } from 'vitest';
import { HandshakeError } from './errors/handshake-error.js';
import type { ExtensionParam } from './extensions.js';
import { createHandshakeRequest } from './handshake-request.js';
import { validateHandshakeResponse } from './handshake-response.js';

const key = 'dGhlIHNhbXBsZSBub25jZQ==';
const accept = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
const good = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Accept': accept };

const deflateOffer = {
  name: 'permessage-deflate',
  offer: 'permessage-deflate; client_max_window_bits',
  accept(params: readonly ExtensionParam[]) {
    for (const [name] of params) {
      if (name !== 'server_no_context_takeover') throw new Error(`unexpected parameter ${name}`);
    }
    return { params: params.length };
  },
};

async function failure(promise: Promise<unknown>): Promise<HandshakeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(HandshakeError);
    return error as HandshakeError;
  }
  throw new Error('expected the handshake to fail');
}

describe('validateHandshakeResponse', () => {
  const request = createHandshakeRequest({
    url: 'ws://h/',
    key,
    protocols: ['chat', 'v2'],
    extensions: [deflateOffer],
  });

  it('accepts a valid response and reports what was agreed', async () => {
    const result = await validateHandshakeResponse(request, {
      status: 101,
      headers: {
        ...good,
        'Sec-WebSocket-Protocol': 'v2',
        'Sec-WebSocket-Extensions': 'permessage-deflate; server_no_context_takeover',
      },
    });
    expect(result.protocol).toBe('v2');
    expect(result.extensionsHeader).toBe('permessage-deflate; server_no_context_takeover');
    expect(result.extensions).toEqual([
      { name: 'permessage-deflate', params: [['server_no_context_takeover', true]], config: { params: 1 } },
    ]);
  });
  it('matches header names case-insensitively and accepts odd-case and list values', async () => {
    const result = await validateHandshakeResponse(request, {
      status: 101,
      headers: [
        ['UPGRADE', 'WebSocket'],
        ['connection', 'keep-alive, Upgrade'],
        ['sec-websocket-accept', accept],
      ],
    });
    expect(result.protocol).toBe('');
  });
  it('accepts a Headers object', async () => {
    await expect(validateHandshakeResponse(request, { status: 101, headers: new Headers(good) })).resolves.toBeTruthy();
  });

  it.each([
    [200, 'http-status'],
    [401, 'http-status'],
    [503, 'http-status'],
    [304, 'http-status'],
  ])('fails HTTP %d with %s, keeping the status and headers', async (status, reason) => {
    const error = await failure(validateHandshakeResponse(request, { status, headers: { 'Retry-After': '5' } }));
    expect(error.reason).toBe(reason);
    expect(error.status).toBe(status);
    expect(error.headers?.['retry-after']).toBe('5');
    expect(error.code).toBe('ERR_WS_HANDSHAKE');
  });
  it('keeps Set-Cookie values out of the error (errors get logged)', async () => {
    const error = await failure(
      validateHandshakeResponse(request, { status: 401, headers: { 'Set-Cookie': 'session=abc123' } }),
    );
    expect(error.headers?.['set-cookie']).toBe('[redacted]');
    expect(JSON.stringify(error)).not.toContain('abc123');
  });
  it('fails a 3xx with a Location as redirect', async () => {
    const error = await failure(
      validateHandshakeResponse(request, { status: 302, headers: { Location: 'ws://elsewhere/' } }),
    );
    expect(error.reason).toBe('redirect');
  });
  it.each([
    ['missing-upgrade', { Connection: 'Upgrade', 'Sec-WebSocket-Accept': accept }],
    ['missing-upgrade', { ...good, Upgrade: 'h2c' }],
    ['missing-connection', { Upgrade: 'websocket', 'Sec-WebSocket-Accept': accept }],
    ['missing-connection', { ...good, Connection: 'keep-alive' }],
    ['missing-connection', { ...good, Connection: 'upgrades' }],
    ['missing-accept', { Upgrade: 'websocket', Connection: 'Upgrade' }],
    ['bad-accept', { ...good, 'Sec-WebSocket-Accept': 'Dhg2s/gXkbuTiYk690dns7LmEhY=' }],
    ['bad-accept', { ...good, 'Sec-WebSocket-Accept': 'not base64' }],
    ['unrequested-protocol', { ...good, 'Sec-WebSocket-Protocol': 'other' }],
    ['unrequested-protocol', { ...good, 'Sec-WebSocket-Protocol': 'chat, v2' }],
    ['unrequested-protocol', { ...good, 'Sec-WebSocket-Protocol': 'CHAT' }],
    ['unrequested-extension', { ...good, 'Sec-WebSocket-Extensions': 'x-webkit-deflate-frame' }],
    ['bad-extension-params', { ...good, 'Sec-WebSocket-Extensions': 'permessage-deflate; client_max_window_bits=99' }],
    ['bad-extension-params', { ...good, 'Sec-WebSocket-Extensions': 'permessage-deflate, permessage-deflate' }],
    ['bad-extension-params', { ...good, 'Sec-WebSocket-Extensions': 'permessage-deflate;;' }],
    ['bad-extension-params', { ...good, 'Sec-WebSocket-Extensions': 'permessage-deflate; x="a b"' }],
  ] as const)('fails with %s', async (reason, headers) => {
    const error = await failure(validateHandshakeResponse(request, { status: 101, headers }));
    expect(error.reason).toBe(reason);
    expect(error.status).toBe(101);
  });
  it('fails an unrequested protocol when none were offered', async () => {
    const bare = createHandshakeRequest({ url: 'ws://h/', key });
    const error = await failure(
      validateHandshakeResponse(bare, { status: 101, headers: { ...good, 'Sec-WebSocket-Protocol': 'chat' } }),
    );
    expect(error.reason).toBe('unrequested-protocol');
  });
  it('keeps offered subprotocols out of the error when the server echoes several (one may carry a token)', async () => {
    const token = 'base64url.bearer.authorization.k8s.io.U0VDUkVULVRPS0VO';
    const offer = createHandshakeRequest({ url: 'ws://h/', key, protocols: ['chat', token] });
    const error = await failure(
      validateHandshakeResponse(offer, {
        status: 101,
        headers: { ...good, 'Sec-WebSocket-Protocol': `chat, ${token}`, 'X-Other': 'kept' },
      }),
    );
    expect(error.reason).toBe('unrequested-protocol');
    expect(error.message).not.toContain(token);
    expect(error.message).toMatch(/more than one/);
    expect(JSON.stringify(error.headers)).not.toContain(token);
    expect(error.headers?.['sec-websocket-protocol']).toBe('[redacted]');
    expect(error.headers?.['x-other']).toBe('kept');
  });
  it('names a subprotocol the server made up in the error', async () => {
    const error = await failure(
      validateHandshakeResponse(request, { status: 101, headers: { ...good, 'Sec-WebSocket-Protocol': 'other' } }),
    );
    expect(error.message).toContain('"other"');
    expect(error.headers?.['sec-websocket-protocol']).toBe('other');
  });
  it('fails a missing protocol only where the caller requires one', async () => {
    const optional = createHandshakeRequest({ url: 'ws://h/', key, protocols: ['chat'] });
    await expect(validateHandshakeResponse(optional, { status: 101, headers: good })).resolves.toMatchObject({
      protocol: '',
    });
    const required = createHandshakeRequest({ url: 'ws://h/', key, protocols: ['chat'], requireProtocol: true });
    const error = await failure(validateHandshakeResponse(required, { status: 101, headers: good }));
    expect(error.reason).toBe('missing-protocol');
  });
  it('fails a repeated Sec-WebSocket-Accept', async () => {
    const error = await failure(
      validateHandshakeResponse(request, {
        status: 101,
        headers: [
          ['Upgrade', 'websocket'],
          ['Connection', 'Upgrade'],
          ['Sec-WebSocket-Accept', accept],
          ['Sec-WebSocket-Accept', accept],
        ],
      }),
    );
    expect(error.reason).toBe('bad-accept');
  });
  it('accepts a quoted extension parameter that is a token', async () => {
    const result = await validateHandshakeResponse(request, {
      status: 101,
      headers: { ...good, 'Sec-WebSocket-Extensions': 'permessage-deflate; server_no_context_takeover="x"' },
    });
    expect(result.extensions[0]?.params).toEqual([['server_no_context_takeover', 'x']]);
  });
});
