import { describe, expect, it } from 'vitest';
import { readJwtExpiryMs } from './jwt.js';

const b64url = (value: string) => btoa(value).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const makeJwt = (claims: object) => `${b64url('{"alg":"none"}')}.${b64url(JSON.stringify(claims))}.sig`;

describe('readJwtExpiryMs', () => {
  it('reads exp in milliseconds', () => {
    expect(readJwtExpiryMs(makeJwt({ exp: 1_700_000_000, sub: 'x' }))).toBe(1_700_000_000_000);
  });
  it('reads exp beside claims that are not ASCII (UTF-8 in the payload)', () => {
    const utf8 = String.fromCharCode(
      ...new TextEncoder().encode(JSON.stringify({ name: 'Zoë 🔑', exp: 1_800_000_000 })),
    );
    expect(readJwtExpiryMs(`${b64url('{"alg":"none"}')}.${b64url(utf8)}.sig`)).toBe(1_800_000_000_000);
  });
  it.each([
    ['an opaque token', 'opaque-token'],
    ['a JWT without exp', makeJwt({ sub: 'x' })],
    ['a non-numeric exp', makeJwt({ exp: 'soon' })],
    ['a payload that is not JSON', `a.${b64url('nope')}.c`],
    ['a payload that is not base64url', 'a.!!!.c'],
    ['a payload in standard base64', `a.${btoa('{"exp":1,"a":"~~~"}').replace(/=+$/, '')}.c`],
    ['a payload of impossible length', `a.${b64url('{"exp":1}')}A.c`],
    ['a JSON array payload', `a.${b64url('[1]')}.c`],
    ['a JSON null payload', `a.${b64url('null')}.c`],
    ['a JSON number payload', `a.${b64url('1')}.c`],
    ['two segments', 'a.b'],
  ])('is undefined for %s', (_label, token) => {
    expect(readJwtExpiryMs(token)).toBeUndefined();
  });
});
