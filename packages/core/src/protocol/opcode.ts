/**
 * Frame opcodes (RFC 6455 §5.2, §11.8). 0x3–0x7 and 0xB–0xF are reserved: receiving one fails
 * the connection (§5.2, "If an unknown opcode is received, the receiving endpoint MUST _Fail the
 * WebSocket Connection_").
 */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

export type Opcode = (typeof Opcode)[keyof typeof Opcode];

/** Whether `opcode` is a control frame's (§5.5: the most significant bit of the opcode is set). */
export function isControlOpcode(opcode: number): boolean {
  return (opcode & 0x8) !== 0;
}

/** Whether `opcode` is defined by RFC 6455 (every other value is reserved, §5.2). */
export function isKnownOpcode(opcode: number): boolean {
  return opcode <= 0x2 || (opcode >= 0x8 && opcode <= 0xa);
}

/** Control frames carry at most 125 bytes of payload (§5.5). */
export const MAX_CONTROL_PAYLOAD_BYTES = 125;
