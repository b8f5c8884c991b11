/** RFC 6455 §1.3: the GUID a server appends to the key before hashing it into the accept value. */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * The longest delay the platforms' `setTimeout` honours (2^31 − 1 ms, about 24.8 days); a longer
 * one, `Infinity` included, fires at once, so callers cap their delays at it.
 */
export const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** RFC 6455 §4.1: the only protocol version this client speaks. */
export const WEBSOCKET_VERSION = '13';
