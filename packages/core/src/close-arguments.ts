import { closeReasonByteLength, isClientCloseCode, MAX_CLOSE_REASON_BYTES } from './close-codes.js';

/** The largest WebIDL `unsigned short`. */
const MAX_UNSIGNED_SHORT = 0xffff;

/**
 * A surrogate that is not half of a pair: with the `u` flag a pair is one code point, outside
 * the `Cs` category (`String.prototype.toWellFormed` is ES2024, newer than the code targets).
 */
const LONE_SURROGATE = /\p{Cs}/gu;

/**
 * WebIDL "ConvertToInt" for `[Clamp] unsigned short`: `ToNumber` (a `TypeError` for a Symbol or a
 * BigInt), NaN to 0, then clamped to 0–65535 and rounded to the nearest integer, ties to even.
 */
function toClampedUnsignedShort(value: unknown): number {
  // Unary plus is ECMAScript's ToNumber; `Number()` would convert a BigInt instead of throwing.
  // `|| 0` takes NaN (and -0) to 0.
  const x = Math.min(Math.max(+(value as number) || 0, 0), MAX_UNSIGNED_SHORT);
  const rounded = Math.round(x);
  // Math.round takes a tie up; WebIDL takes it to the even neighbour.
  return rounded - x === 0.5 && rounded % 2 === 1 ? rounded - 1 : rounded;
}

/**
 * The arguments of WHATWG `WebSocket.close(code, reason)` after its WebIDL conversions and its
 * checks (https://websockets.spec.whatwg.org/#dom-websocket-close), as the closing handshake
 * uses them: `undefined` where an argument was not given (or given as `undefined`), except that a
 * non-empty reason without a code comes back with code 1000 ("close the WebSocket": "If reason is
 * non-empty but code is null, then set code to 1000"), so a close frame never carries a reason
 * without a code (RFC 6455 §5.5.1).
 *
 * - `code` is an optional `[Clamp] unsigned short`: `'4000'` is 4000, `3000.5` is 3000 (ties to
 *   even), `NaN` and `null` are 0, `Infinity` is 65535.
 * - `reason` is an optional `USVString`: any value becomes its string (lone surrogates become
 *   U+FFFD, three bytes of UTF-8).
 * - Step 1: a code that is then neither 1000 nor in 3000–4999 throws an `InvalidAccessError`
 *   `DOMException`. Step 2: a reason over 123 UTF-8 bytes throws a `SyntaxError` `DOMException`.
 *
 * Both arguments are converted before either is checked, as WebIDL converts arguments before the
 * method's steps run: a Symbol or BigInt code, or a Symbol reason, throws a `TypeError` first.
 */
export function checkCloseArguments(
  code: unknown,
  reason: unknown,
): [code: number | undefined, reason: string | undefined] {
  const convertedCode = code === undefined ? undefined : toClampedUnsignedShort(code);
  // A template literal is ECMAScript's ToString (a `TypeError` for a Symbol); `String()` is not.
  // Then WebIDL's USVString: each lone surrogate becomes U+FFFD, so that the string returned (and
  // sent, and given to a native close()) is the one measured.
  const convertedReason = reason === undefined ? undefined : `${reason}`.replace(LONE_SURROGATE, '\ufffd');
  if (convertedCode !== undefined && !isClientCloseCode(convertedCode)) {
    // The converted code: stringifying an object given as the code could run its code again.
    const given = typeof code === 'number' ? code : `${convertedCode} (from a ${typeof code})`;
    throw new DOMException(`close() takes 1000 or a code in 3000–4999, not ${given}`, 'InvalidAccessError');
  }
  if (convertedReason !== undefined && closeReasonByteLength(convertedReason) > MAX_CLOSE_REASON_BYTES) {
    throw new DOMException(`A close reason is at most ${MAX_CLOSE_REASON_BYTES} UTF-8 bytes`, 'SyntaxError');
  }
  // 1000 is CloseCode.Normal, written as its number so that a bundle using this (the browser's
  // reconnect loop) carries no CloseCode map.
  return [convertedCode ?? (convertedReason ? 1000 : undefined), convertedReason];
}
