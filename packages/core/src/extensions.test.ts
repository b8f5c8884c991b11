import { describe, expect, it } from 'vitest';
import { parseExtensions } from './extensions.js';

describe('parseExtensions (RFC 6455 §9.1)', () => {
  it('reads entries with bare, token and quoted parameters, names lower-cased', () => {
    expect(parseExtensions('Permessage-Deflate; Client_Max_Window_Bits; server_max_window_bits="10", x-foo')).toEqual([
      {
        name: 'permessage-deflate',
        params: [
          ['client_max_window_bits', true],
          ['server_max_window_bits', '10'],
        ],
      },
      { name: 'x-foo', params: [] },
    ]);
  });

  it.each([
    ['permessage-deflate,'],
    [', permessage-deflate'],
    ['permessage-deflate , ,'],
    [' ,\t, permessage-deflate ,'],
  ])('ignores the empty list elements in %j (RFC 7230 §7)', (header) => {
    expect(parseExtensions(header)).toEqual([{ name: 'permessage-deflate', params: [] }]);
  });

  it('keeps both entries around an empty element', () => {
    expect(parseExtensions('a, , b').map((entry) => entry.name)).toEqual(['a', 'b']);
  });

  it.each([
    [''],
    [','],
    [' , , '],
    ['permessage-deflate; '],
    ['permessage-deflate; x="a b"'],
    ['permessage-deflate x'],
    ['permessage-deflate; x="unterminated'],
  ])('refuses %j with a SyntaxError', (header) => {
    expect(() => parseExtensions(header)).toThrow(SyntaxError);
  });
});
