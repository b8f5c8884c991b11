import { checkCloseArguments } from '@sturdysocket/core';

/**
 * Gives `socket` a `close()` that converts and checks its arguments exactly as WHATWG's does
 * (`checkCloseArguments`: WebIDL `[Clamp] unsigned short` and `USVString`, then
 * `InvalidAccessError` for a code other than 1000 or 3000–4999, `SyntaxError` for a reason over
 * 123 UTF-8 bytes, and code 1000 for a reason given alone) before calling the native one with the
 * converted values. Bun's own `close()` (1.4) takes every code RFC 6455 lets an endpoint send
 * (1001, 1011…), so a call that throws in a browser would put that code on the wire; Deno's
 * (2.9) sends a reason given without a code in a close frame without one, which the server must
 * fail with 1002. The socket is otherwise untouched.
 */
export function enforceCloseArguments<Socket extends { close(code?: number, reason?: string): void }>(
  socket: Socket,
): Socket {
  const nativeClose = socket.close;
  Object.defineProperty(socket, 'close', {
    configurable: true,
    writable: true,
    enumerable: false,
    value: function close(code?: unknown, reason?: unknown): void {
      const [checkedCode, checkedReason] = checkCloseArguments(code, reason);
      // Never a reason without a code: Deno 2.9 would send it as a close frame without one, which
      // the server must fail (the reason's first two bytes read as a code).
      if (checkedCode === undefined) Reflect.apply(nativeClose, socket, []);
      else if (checkedReason === undefined) Reflect.apply(nativeClose, socket, [checkedCode]);
      else Reflect.apply(nativeClose, socket, [checkedCode, checkedReason]);
    },
  });
  return socket;
}
