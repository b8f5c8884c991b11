import { describe, expect, it } from 'vitest';
import { checkHandshakeHeaders, HANDSHAKE_OWNED_HEADERS } from './transport.js';

describe('checkHandshakeHeaders', () => {
  it('flattens a record, pairs and a Headers object into ordered pairs', () => {
    expect(checkHandshakeHeaders({ Authorization: 'Bearer a', 'X-Many': ['1', '2'] })).toEqual([
      ['Authorization', 'Bearer a'],
      ['X-Many', '1'],
      ['X-Many', '2'],
    ]);
    expect(checkHandshakeHeaders([['X-A', '1']])).toEqual([['X-A', '1']]);
    expect(checkHandshakeHeaders(new Headers({ 'X-B': '2' }))).toEqual([['x-b', '2']]);
    expect(checkHandshakeHeaders(undefined)).toEqual([]);
  });

  it.each([...HANDSHAKE_OWNED_HEADERS])('refuses %s, in any letter case', (name) => {
    expect(() => checkHandshakeHeaders({ [name]: 'x' })).toThrow(TypeError);
    expect(() => checkHandshakeHeaders({ [name.toUpperCase()]: 'x' })).toThrow(/belongs to the handshake/);
  });

  it('refuses a name that is not a token', () => {
    expect(() => checkHandshakeHeaders({ 'Bad Name': 'x' })).toThrow(TypeError);
    expect(() => checkHandshakeHeaders([['', 'x']])).toThrow(TypeError);
  });

  it('refuses CR, LF and NUL in a value without echoing the value', () => {
    for (const value of ['secret\r\nX-Evil: 1', 'secret\n', 'secret\0']) {
      let error: unknown;
      try {
        checkHandshakeHeaders({ Authorization: value });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(TypeError);
      expect((error as Error).message).toContain('Authorization');
      expect((error as Error).message).not.toContain('secret');
    }
  });
});
