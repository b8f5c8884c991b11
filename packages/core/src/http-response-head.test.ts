import { describe, expect, it } from 'vitest';
import { HandshakeError } from './errors/handshake-error.js';
import { HttpResponseHeadReader } from './http-response-head.js';

const bytes = (text: string) => new TextEncoder().encode(text);
const head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n';

describe('HttpResponseHeadReader', () => {
  it('parses a head and returns the bytes after it', () => {
    const result = new HttpResponseHeadReader().push(new Uint8Array([...bytes(head), 0x81, 0x00]));
    expect(result?.head).toEqual({
      status: 101,
      statusText: 'Switching Protocols',
      headers: [
        ['Upgrade', 'websocket'],
        ['Connection', 'Upgrade'],
      ],
    });
    expect([...(result?.rest ?? [])]).toEqual([0x81, 0x00]);
  });
  it('parses a head split into one-byte chunks', () => {
    const reader = new HttpResponseHeadReader();
    const all = bytes(head);
    let result: ReturnType<HttpResponseHeadReader['push']>;
    for (let i = 0; i < all.length; i++) {
      result = reader.push(all.subarray(i, i + 1));
      if (i < all.length - 1) expect(result).toBeUndefined();
    }
    expect(result?.head.status).toBe(101);
    expect(result?.rest.length).toBe(0);
  });
  it('fails a head larger than the cap without buffering past it', () => {
    const reader = new HttpResponseHeadReader(1024);
    reader.push(bytes('HTTP/1.1 101 OK\r\n'));
    let error: unknown;
    try {
      for (let i = 0; i < 100; i++) reader.push(bytes(`X-Filler-${i}: ${'a'.repeat(100)}\r\n`));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HandshakeError);
    expect((error as HandshakeError).reason).toBe('response-too-large');
  });
  it.each([
    'HTTP/2 101\r\n\r\n',
    'garbage\r\n\r\n',
    'HTTP/1.1 101 OK\r\nbad header\r\n\r\n',
    'HTTP/1.1 101 OK\r\n folded: x\r\n\r\n',
  ])('fails a malformed head %j', (text) => {
    let error: unknown;
    try {
      new HttpResponseHeadReader().push(bytes(text));
    } catch (e) {
      error = e;
    }
    expect((error as HandshakeError).reason).toBe('malformed-response');
  });
});
