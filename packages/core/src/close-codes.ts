/**
 * Close codes (RFC 6455 §7.4.1 and the IANA registry) by name.
 * `NoStatusReceived`, `AbnormalClosure` and `TLSHandshake` are reported locally and never sent.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  ProtocolError: 1002,
  UnsupportedData: 1003,
  NoStatusReceived: 1005,
  AbnormalClosure: 1006,
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  MandatoryExtension: 1010,
  InternalError: 1011,
  ServiceRestart: 1012,
  TryAgainLater: 1013,
  BadGateway: 1014,
  TLSHandshake: 1015,
} as const;

export type CloseCodeName = keyof typeof CloseCode;

/** A close reason may hold at most 123 bytes of UTF-8 (RFC 6455 §5.5: 125 minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/**
 * Whether `code` may appear in a close frame on the wire (RFC 6455 §7.4). 1004, 1005, 1006 and
 * 1015 are reserved or local-only; 1016–2999 are unassigned or reserved for extensions and the
 * protocol; 3000–4999 belong to libraries and applications.
 */
export function isValidCloseCode(code: number): boolean {
  if (!Number.isInteger(code)) return false;
  return (
    (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999)
  );
}

/**
 * Whether an application may pass `code` to `close()` (WHATWG WebSockets, `close()` step 1):
 * 1000 or 3000–4999.
 */
export function isClientCloseCode(code: number): boolean {
  return code === 1000 || (Number.isInteger(code) && code >= 3000 && code <= 4999);
}

/** Whether a close code belongs to the application range (4000–4999). */
export function isApplicationCloseCode(code: number): boolean {
  return Number.isInteger(code) && code >= 4000 && code <= 4999;
}

const encoder = /* @__PURE__ */ new TextEncoder();

/** The length of `reason` in UTF-8 bytes, the unit RFC 6455 limits (not UTF-16 units). */
export function closeReasonByteLength(reason: string): number {
  return encoder.encode(reason).length;
}
