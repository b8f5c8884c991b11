import { createHandshakeRequest } from '@sturdysocket/core';
import { describe, expect, it } from 'vitest';
import { parseProxyUrl, resolveProxy } from './proxy.js';

const request = (url: string) => createHandshakeRequest({ url });

describe('parseProxyUrl', () => {
  it('takes http: and https: proxies, with credentials', () => {
    expect(parseProxyUrl('http://proxy.internal:3128', 'test').host).toBe('proxy.internal:3128');
    const secure = parseProxyUrl('https://user:secret@proxy.internal', 'test');
    expect(secure.protocol).toBe('https:');
    expect(secure.username).toBe('user');
  });

  it('refuses other schemes and malformed URLs with a TypeError that does not echo them', () => {
    expect(() => parseProxyUrl('socks5://user:secret@proxy:1080', 'the proxy option')).toThrow(
      /must use http: or https:/,
    );
    for (const value of ['socks5://user:secret@proxy:1080', 'not a url secret']) {
      expect(() => parseProxyUrl(value, 'the proxy option')).toThrow(TypeError);
      expect(() => parseProxyUrl(value, 'the proxy option')).toThrow(
        expect.objectContaining({ message: expect.not.stringContaining('secret') }),
      );
    }
  });
});

describe("resolveProxy with 'env'", () => {
  it('uses HTTPS_PROXY for wss: and HTTP_PROXY for ws:, https: proxies included', () => {
    const env = { HTTPS_PROXY: 'https://secure-proxy:8443', http_proxy: 'plain-proxy:3128' };
    expect(resolveProxy('env', request('wss://example.com/'), env)?.href).toBe('https://secure-proxy:8443/');
    expect(resolveProxy('env', request('ws://example.com/'), env)?.href).toBe('http://plain-proxy:3128/');
  });

  it('ignores HTTP_PROXY under CGI, where a request sets it from its Proxy: header (httpoxy)', () => {
    const cgi = { REQUEST_METHOD: 'GET', HTTP_PROXY: 'http://attacker:8080', HTTPS_PROXY: 'http://corp:3128' };
    expect(resolveProxy('env', request('ws://example.com/'), cgi)).toBeUndefined();
    expect(resolveProxy('env', request('ws://example.com/'), { ...cgi, http_proxy: 'corp:3128' })?.host).toBe(
      'corp:3128',
    );
    expect(resolveProxy('env', request('wss://example.com/'), cgi)?.host).toBe('corp:3128');
    expect(resolveProxy('env', request('ws://example.com/'), { HTTP_PROXY: 'http://corp:3128' })?.host).toBe(
      'corp:3128',
    );
  });

  it('honours NO_PROXY, by suffix and by port', () => {
    const env = { HTTPS_PROXY: 'https://secure-proxy:8443', NO_PROXY: '.internal, example.com:8443' };
    expect(resolveProxy('env', request('wss://api.internal/'), env)).toBeUndefined();
    expect(resolveProxy('env', request('wss://example.com:8443/'), env)).toBeUndefined();
    expect(resolveProxy('env', request('wss://example.com/'), env)?.hostname).toBe('secure-proxy');
  });

  it('a direct connection when the variable is unset or empty', () => {
    expect(resolveProxy('env', request('wss://example.com/'), {})).toBeUndefined();
    expect(resolveProxy('env', request('wss://example.com/'), { HTTPS_PROXY: '' })).toBeUndefined();
    expect(resolveProxy(undefined, request('wss://example.com/'), { HTTPS_PROXY: 'https://p' })).toBeUndefined();
  });
});
