import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHandshakeRequest, serializeHandshakeRequest } from './handshake-request.js';
import { isValidKey } from './key.js';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

function expectDomException(fn: () => unknown, name: string) {
  const error = thrown(fn);
  expect(error).toBeInstanceOf(DOMException);
  expect((error as DOMException).name).toBe(name);
}

describe('createHandshakeRequest: URL (WHATWG steps 1–5)', () => {
  it('builds the request line target and the ordered header list', () => {
    const request = createHandshakeRequest({ url: 'ws://example.com/chat?room=1', key: 'dGhlIHNhbXBsZSBub25jZQ==' });
    expect(request.target).toBe('/chat?room=1');
    expect(request.headers).toEqual([
      ['Host', 'example.com'],
      ['Upgrade', 'websocket'],
      ['Connection', 'Upgrade'],
      ['Sec-WebSocket-Key', 'dGhlIHNhbXBsZSBub25jZQ=='],
      ['Sec-WebSocket-Version', '13'],
    ]);
    expect(serializeHandshakeRequest(request)).toBe(
      'GET /chat?room=1 HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
  });
  it('generates a fresh valid key per request', () => {
    const a = createHandshakeRequest({ url: 'ws://h/' });
    const b = createHandshakeRequest({ url: 'ws://h/' });
    expect(isValidKey(a.key)).toBe(true);
    expect(a.key).not.toBe(b.key);
  });
  it.each([
    ['ws://h', 'h', 80, false, '/'],
    ['ws://h:80/', 'h', 80, false, '/'],
    ['ws://h:8080/x', 'h:8080', 8080, false, '/x'],
    ['wss://h/', 'h', 443, true, '/'],
    ['wss://h:8443/', 'h:8443', 8443, true, '/'],
    ['http://h/', 'h', 80, false, '/'],
    ['https://h/', 'h', 443, true, '/'],
    ['ws://[::1]:9000/', '[::1]:9000', 9000, false, '/'],
  ])('%s → Host %s, port %d, secure %s', (url, host, port, secure, target) => {
    const request = createHandshakeRequest({ url });
    expect(request.headers[0]).toEqual(['Host', host]);
    expect(request.port).toBe(port);
    expect(request.secure).toBe(secure);
    expect(request.target).toBe(target);
  });
  it('maps http/https to ws/wss and strips brackets from IPv6 host names', () => {
    expect(createHandshakeRequest({ url: 'https://h/' }).url.protocol).toBe('wss:');
    expect(createHandshakeRequest({ url: 'ws://[::1]/' }).hostname).toBe('::1');
  });
  it.each(['not a url', 'ftp://h/', 'file:///x', 'ws://h/#frag', 'ws://h/#', ''])(
    'rejects %j with SyntaxError',
    (url) => {
      expectDomException(() => createHandshakeRequest({ url }), 'SyntaxError');
    },
  );
});

describe('createHandshakeRequest: protocols (WHATWG step 8)', () => {
  it('offers protocols in order', () => {
    const request = createHandshakeRequest({ url: 'ws://h/', protocols: ['chat', 'superchat'] });
    expect(request.headers).toContainEqual(['Sec-WebSocket-Protocol', 'chat, superchat']);
    expect(request.protocols).toEqual(['chat', 'superchat']);
  });
  it('accepts a single string', () => {
    expect(createHandshakeRequest({ url: 'ws://h/', protocols: 'chat' }).protocols).toEqual(['chat']);
  });
  it.each([[['a b']], [['']], [['a,b']], [['chat', 'chat']], [['é']], [['a\r\n']]])(
    'rejects %j with SyntaxError',
    (protocols) => {
      expectDomException(() => createHandshakeRequest({ url: 'ws://h/', protocols }), 'SyntaxError');
    },
  );
  it('accepts every RFC 7230 token', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]{1,20}$/), (protocol) => {
        expect(createHandshakeRequest({ url: 'ws://h/', protocols: [protocol] }).protocols).toEqual([protocol]);
      }),
    );
  });
});

describe('createHandshakeRequest: headers', () => {
  it('appends extra headers and the origin after the handshake headers', () => {
    const request = createHandshakeRequest({
      url: 'ws://h/',
      headers: { 'X-Trace': '1', Authorization: 'Bearer secret' },
      origin: 'https://app.example',
    });
    expect(request.headers.slice(5)).toEqual([
      ['X-Trace', '1'],
      ['Authorization', 'Bearer secret'],
      ['Origin', 'https://app.example'],
    ]);
  });
  it('takes headers as pairs, records with arrays, or a Headers object', () => {
    expect(createHandshakeRequest({ url: 'ws://h/', headers: [['a', '1']] }).headers.at(-1)).toEqual(['a', '1']);
    expect(createHandshakeRequest({ url: 'ws://h/', headers: { a: ['1', '2'] } }).headers.slice(-2)).toEqual([
      ['a', '1'],
      ['a', '2'],
    ]);
    expect(createHandshakeRequest({ url: 'ws://h/', headers: new Headers({ b: '2' }) }).headers.at(-1)).toEqual([
      'b',
      '2',
    ]);
  });
  it.each(['X-Evil\r\nInjected: 1', 'a b', '', 'x:y', 'é'])('rejects the header name %j with TypeError', (name) => {
    expect(() => createHandshakeRequest({ url: 'ws://h/', headers: [[name, 'v']] })).toThrow(TypeError);
  });
  it.each(['v\r\nInjected: 1', 'v\nx', 'v\rx', 'v\0x'])(
    'rejects the header value %j with TypeError, without echoing it',
    (value) => {
      const error = thrown(() => createHandshakeRequest({ url: 'ws://h/', headers: { Authorization: value } }));
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).not.toContain(value);
    },
  );
  it('sends repeated Cookie entries as one Cookie field, joined with "; " (RFC 6265 §5.4)', () => {
    const { headers } = createHandshakeRequest({
      url: 'ws://h/',
      headers: [
        ['Cookie', 'a=1'],
        ['X-Other', 'x'],
        ['cookie', 'b=2'],
      ],
    });
    expect(headers.slice(5)).toEqual([
      ['Cookie', 'a=1; b=2'],
      ['X-Other', 'x'],
    ]);
    expect(createHandshakeRequest({ url: 'ws://h/', headers: { Cookie: 'a=1' } }).headers.at(-1)).toEqual([
      'Cookie',
      'a=1',
    ]);
  });

  it('never echoes a header value in an error message', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 8 }).map((s) => `tok${s}\r\n`),
        (value) => {
          const error = thrown(() =>
            createHandshakeRequest({ url: 'ws://h/', headers: { 'X-Token': value } }),
          ) as Error;
          expect(error.message.includes(value)).toBe(false);
        },
      ),
    );
  });
  it.each([
    'Host',
    'upgrade',
    'CONNECTION',
    'Sec-WebSocket-Key',
    'sec-websocket-version',
    'Sec-WebSocket-Accept',
    'Sec-WebSocket-Protocol',
    'Sec-WebSocket-Extensions',
  ])('refuses to let %s be overridden', (name) => {
    expect(() => createHandshakeRequest({ url: 'ws://h/', headers: { [name]: 'x' } })).toThrow(TypeError);
  });
  it('refuses an origin given twice or with CR/LF', () => {
    expect(() => createHandshakeRequest({ url: 'ws://h/', origin: 'a', headers: { Origin: 'b' } })).toThrow(TypeError);
    expect(() => createHandshakeRequest({ url: 'ws://h/', origin: 'a\r\nb' })).toThrow(TypeError);
  });
  it('offers extensions in order', () => {
    const offer = (name: string) => ({ name, offer: `${name}; x`, accept: () => true });
    const request = createHandshakeRequest({ url: 'ws://h/', extensions: [offer('a'), offer('b')] });
    expect(request.headers).toContainEqual(['Sec-WebSocket-Extensions', 'a; x, b; x']);
  });
});
