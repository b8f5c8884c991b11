// Headers the transport refuses on every attempt are refused once, by connect() itself: they were
// refused inside each attempt as a provider failure, and the loop retried them forever.
import { afterEach, describe, expect, it } from 'vitest';
import { connect as browserConnect } from './browser.js';
import { connect as denoConnect } from './deno.js';
import { connect as nodeConnect } from './node.js';

const opened: Array<{ close(): void }> = [];
afterEach(() => {
  for (const socket of opened.splice(0)) socket.close();
});

describe('connect() refuses headers its transport can never send, at once', () => {
  it.each([
    ['node', nodeConnect],
    ['deno', denoConnect],
  ] as const)('%s: a header the handshake owns, a bad name, a value with CR/LF', (_runtime, connect) => {
    for (const headers of [
      { 'Sec-WebSocket-Key': 'x' },
      { 'Bad Name': 'x' },
      [['X-A', 'a\r\nB: c']] as Array<[string, string]>,
    ]) {
      expect(() => opened.push(connect('ws://127.0.0.1:9/', { headers, heartbeat: false }))).toThrow(TypeError);
    }
    // Good headers still connect in the background.
    const socket = connect('ws://127.0.0.1:9/', { headers: { 'X-A': '1' }, heartbeat: false });
    opened.push(socket);
    expect(socket.state).not.toBe('closed');
  });

  it('browser: any header, in any form', () => {
    for (const headers of [{ Authorization: 'Bearer x' }, new Headers({ 'X-A': '1' })]) {
      expect(() => opened.push(browserConnect('ws://127.0.0.1:9/', { headers, lifecycle: false }))).toThrow(
        /cannot send custom handshake headers/,
      );
    }
    // A record that names no header is no header.
    const socket = browserConnect('ws://127.0.0.1:9/', { headers: { 'X-A': undefined }, lifecycle: false });
    opened.push(socket);
    expect(socket.state).not.toBe('closed');
  });
});
