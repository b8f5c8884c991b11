// RFC 7230 §3.2.6: token = 1*tchar; tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-"
//   / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Whether `value` is an RFC 7230 token (header names, subprotocols, extension names). */
export function isToken(value: string): boolean {
  return TOKEN.test(value);
}

/** Whether `value` may stand as a header value: no CR, LF or NUL (header injection). */
export function isSafeHeaderValue(value: string): boolean {
  return !/[\r\n\0]/.test(value);
}
