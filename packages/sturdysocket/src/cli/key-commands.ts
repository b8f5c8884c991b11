import { computeAccept, generateKey, isValidKey } from '@sturdysocket/core';
import { UsageError } from './format-error.js';

/** `sturdysocket key`: prints a fresh Sec-WebSocket-Key (16 CSPRNG bytes, base64). */
export function keyCommand(write: (line: string) => void): number {
  write(generateKey());
  return 0;
}

/** `sturdysocket accept <key>`: prints the Sec-WebSocket-Accept a server must answer for `key`. */
export async function acceptCommand(args: readonly string[], write: (line: string) => void): Promise<number> {
  const key = args[0];
  if (key === undefined || args.length > 1) throw new UsageError('accept takes exactly one key');
  if (!isValidKey(key))
    throw new UsageError(`${JSON.stringify(key)} is not a valid Sec-WebSocket-Key (base64 of 16 bytes)`);
  write(await computeAccept(key));
  return 0;
}
