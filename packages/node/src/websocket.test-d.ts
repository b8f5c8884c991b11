// Type tests (checked by `tsc` in the package's typecheck).
import { expectTypeOf } from 'vitest';
import type { CloseEvent, ErrorEvent } from './events.js';
import type { HandshakeInfo } from './handshake-info.js';
import { WebSocket } from './websocket.js';

declare const socket: WebSocket;

socket.addEventListener('message', (event) => {
  expectTypeOf(event).toEqualTypeOf<MessageEvent>();
});
socket.addEventListener('close', (event) => {
  expectTypeOf(event).toEqualTypeOf<CloseEvent>();
  expectTypeOf(event.code).toBeNumber();
  expectTypeOf(event.sentCode).toEqualTypeOf<number | undefined>();
});
socket.addEventListener('error', (event) => {
  expectTypeOf(event).toEqualTypeOf<ErrorEvent>();
});
socket.addEventListener('custom', (event) => {
  expectTypeOf(event).toEqualTypeOf<Event>();
});
socket.onclose = (event) => expectTypeOf(event).toEqualTypeOf<CloseEvent>();
expectTypeOf(socket.readyState).toEqualTypeOf<0 | 1 | 2 | 3>();
expectTypeOf(socket.ping()).toEqualTypeOf<Promise<number>>();
expectTypeOf(socket.handshake).toEqualTypeOf<HandshakeInfo | undefined>();
expectTypeOf(socket.binaryType).toEqualTypeOf<'blob' | 'arraybuffer' | 'nodebuffer'>();

// The constructor takes protocols, options, or both.
new WebSocket('ws://localhost', ['a']);
new WebSocket('ws://localhost', { protocols: 'a', handshakeTimeoutMs: 1000 });
new WebSocket('ws://localhost', 'a', { closeTimeoutMs: 10, closeFlushTimeoutMs: 60_000 });
// @ts-expect-error an unknown option
new WebSocket('ws://localhost', { handshakeTimeout: 1000 });
// @ts-expect-error send() takes no numbers
socket.send(42);
