import { describe, expect, it } from 'vitest';
import { AuthError } from './auth-error.js';
import {
  assertSecureTransport,
  carryInHeader,
  carryInQuery,
  carryInSubprotocol,
  isLoopbackHost,
  tokenSubprotocol,
} from './carriers.js';

const inputs = { url: 'wss://api.example/ws?room=1', protocols: ['chat'], headers: { 'X-A': '1' } };

describe('carriers', () => {
  it('header: Authorization: Bearer by default, or a named header and scheme', () => {
    expect(carryInHeader(inputs, 'tok').headers).toEqual({ 'X-A': '1', Authorization: 'Bearer tok' });
    expect(carryInHeader(inputs, 'tok', { name: 'X-Api-Key', scheme: '' }).headers['X-Api-Key']).toBe('tok');
  });
  it('header: refuses a token with CR/LF without echoing it', () => {
    let error: unknown;
    try {
      carryInHeader(inputs, 'secret\r\nX-Evil: 1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthError);
    expect(String((error as Error).message)).not.toContain('secret');
  });
  it('subprotocol: unpadded base64url after the real protocols', () => {
    const result = carryInSubprotocol(inputs, 'a?b>c');
    expect(result.protocols[0]).toBe('chat');
    expect(result.protocols[1]).toBe('base64url.bearer.authorization.k8s.io.YT9iPmM');
    expect(result.secretProtocols).toEqual([result.protocols[1]]);
    expect(tokenSubprotocol('tok', 'auth.')).toBe('auth.dG9r');
    expect(() => tokenSubprotocol('tok', 'bad prefix')).toThrow(TypeError);
  });
  it('query: sets the named parameter and keeps the rest', () => {
    expect(carryInQuery(inputs, 't k').url).toBe('wss://api.example/ws?room=1&access_token=t+k');
    expect(carryInQuery(inputs, 'x', { parameter: 'jwt' }).url).toContain('jwt=x');
  });
  it.each(['localhost', 'LocalHost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', 'app.localhost', 'a.b.localhost'])(
    '%s is loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(true);
    },
  );
  it.each(['example.com', '10.0.0.1', '128.0.0.1', 'localhost.example.com', '::2', 'notlocalhost', '127.0.0.1.nip.io'])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
  it('refuses ws: to a remote host unless allowed', () => {
    expect(() => assertSecureTransport('ws://example.com/', false)).toThrow(AuthError);
    expect(() => assertSecureTransport('ws://example.com/', true)).not.toThrow();
    expect(() => assertSecureTransport('ws://127.0.0.1:8080/', false)).not.toThrow();
    expect(() => assertSecureTransport('wss://example.com/', false)).not.toThrow();
  });
});
