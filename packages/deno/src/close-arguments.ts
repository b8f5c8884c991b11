import { closeReasonByteLength, isClientCloseCode, MAX_CLOSE_REASON_BYTES } from '@sturdysocket/core';

/**
 * WHATWG WebSockets, `close(code, reason)` steps 1–2: a code other than 1000 or 3000–4999 throws an
 * `InvalidAccessError`, a reason over 123 UTF-8 bytes a `SyntaxError`, and nothing is sent.
 */
export function checkCloseArguments(code: number | undefined, reason: string | undefined): void {
  // Non-integers are left to the native WebIDL [Clamp] conversion.
  if (code !== undefined && Number.isInteger(code) && !isClientCloseCode(code)) {
    throw new DOMException(`close() takes 1000 or a code in 3000–4999, not ${code}`, 'InvalidAccessError');
  }
  if (reason !== undefined && closeReasonByteLength(String(reason)) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`A close reason is at most ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`, 'SyntaxError');
  }
}

/**
 * Gives `socket` a `close()` that checks its arguments as WHATWG says before calling the native
 * one. Deno's own `close()` already does; Bun's (1.4) sends any code it is given, so without this a
 * misuse that throws in a browser would put a reserved code on the wire there. The socket is
 * otherwise untouched.
 */
export function enforceCloseArguments<Socket extends { close(code?: number, reason?: string): void }>(
  socket: Socket,
): Socket {
  const nativeClose = socket.close;
  Object.defineProperty(socket, 'close', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function close(...args: [code?: number, reason?: string]): void {
      checkCloseArguments(args[0], args[1]);
      Reflect.apply(nativeClose, socket, args);
    },
  });
  return socket;
}
