// wsprintfA/W and wvsprintfA/W: user32's printf, with the rules of Microsoft's wsprintf page. The
// 64-bit cases and "%010ld" are the results Windows gives (they are checked on Windows by Wine's
// user32 tests); the rest follow from the documented fields.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type GuestArg, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

function fa(fmt: string, ...args: GuestArg[]): [number, string] {
  const out = w.buf(1100);
  const n = w.call('user32.dll', 'wsprintfA', [out, w.str(fmt), ...args]);
  return [n, w.readStr(out)];
}

function fw(fmt: string, ...args: GuestArg[]): [number, string] {
  const out = w.buf(2200);
  const n = w.call('user32.dll', 'wsprintfW', [out, w.wstr(fmt), ...args]);
  return [n, w.readWStr(out)];
}

describe('wsprintfA', () => {
  test('integers: d i u x X, width, zero padding, left alignment, precision', () => {
    expect(fa('%010ld', -1)).toEqual([10, '-000000001']);
    expect(fa('%d|%i|%u', -5, 42, -1)).toEqual([16, '-5|42|4294967295']);
    expect(fa('%x %X %#x %#X', 0xbeef, 0xbeef, 255, 255)).toEqual([19, 'beef BEEF 0xff 0XFF']);
    expect(fa('[%5d][%-5d][%05u]', 42, 42, 42)).toEqual([21, '[   42][42   ][00042]']);
    expect(fa('%.4d %.0d %.d', 7, 0, 3)).toEqual([8, '0007 0 3']);
    expect(fa('%lu %ld %lx', 4000000000, -3, 0xabc)).toEqual([17, '4000000000 -3 abc']);
    expect(fa('%hd %hu', 0x1_8000, 0x1_fffe)).toEqual([12, '-32768 65534']);
  });

  test('64-bit and pointer-sized sizes', () => {
    const v = (0x12345n << 32n) | 0x67890an;
    expect(fa('%I64X', v)).toEqual([13, '123450067890A']);
    expect(fa('%I64d', 543210n * 1000000n)).toEqual([12, '543210000000']);
    expect(fa('%I64X', -0x12345n)).toEqual([16, 'FFFFFFFFFFFEDCBB']);
    expect(fa('%I64u', -123n)).toEqual([20, '18446744073709551493']);
    expect(fa('%I32x', -0x12345)).toEqual([8, 'fffedcbb']);
    expect(fa('%Id', -12345)).toEqual([6, '-12345']);
    expect(fa('%Ix', -0x12345)).toEqual([8, 'fffedcbb']);
    expect(fa('%p', -0x12345)).toEqual([8, 'FFFEDCBB']);
    expect(fa('%p', 0x1234)).toEqual([8, '00001234']);
    // After a 64-bit argument the next one follows it.
    expect(fa('%I64d/%d', 5n, 6)).toEqual([3, '5/6']);
  });

  test('strings and characters: s S hs ls, precision cuts, NULL prints (null)', () => {
    expect(fa('%s and %S', w.str('narrow'), w.wstr('wide'))).toEqual([15, 'narrow and wide']);
    expect(fa('%hs %ls %ws', w.str('a'), w.wstr('b'), w.wstr('c'))).toEqual([5, 'a b c']);
    expect(fa('[%.3s][%6s][%-6s]', w.str('abcdef'), w.str('ab'), w.str('ab'))).toEqual([21, '[abc][    ab][ab    ]']);
    expect(fa('%s', 0)).toEqual([6, '(null)']);
    expect(fa('%c%C%hc%lc', 0x41, 0x42, 0x43, 0x44)).toEqual([4, 'ABCD']);
    // A wide character or string goes through code page 1252 ("é" is 0xE9, "€" 0x80).
    const [n, s] = fa('%S%lc', w.wstr('\u00e9'), 0x20ac);
    expect([n, [...s].map((c) => c.charCodeAt(0))]).toEqual([2, [0xe9, 0x80]]);
    // Characters whose value is zero are left out.
    expect(fa('[%c]', 0)).toEqual([2, '[]']);
  });

  test('%% and characters that are no type', () => {
    expect(fa('100%%')).toEqual([4, '100%']);
    expect(fa('%y|%-5q|', 1)).toEqual([4, 'y|q|']);
    expect(fa('end%')).toEqual([3, 'end']);
    expect(fa('no floats: %f', 1)).toEqual([12, 'no floats: f']);
  });

  test('the output stops at 1023 characters and a NUL', () => {
    const out = w.buf(1100);
    w.cpu.mem.fill(out, 0x7a, 1100);
    const long = 'x'.repeat(1500);
    const n = w.call('user32.dll', 'wsprintfA', [out, w.str('%s!'), w.str(long)]);
    expect(n).toBe(1023);
    expect(w.cpu.mem.u8(out + 1022)).toBe(0x78);
    expect(w.cpu.mem.u8(out + 1023)).toBe(0);
    expect(w.cpu.mem.u8(out + 1024)).toBe(0x7a); // nothing written past the 1024 bytes
  });
});

describe('wsprintfW', () => {
  test('the same fields, with c and s wide and C and S narrow', () => {
    expect(fw('%010ld', -1)).toEqual([10, '-000000001']);
    expect(fw('%I64x', 0x1_0000_0000n)).toEqual([9, '100000000']);
    expect(fw('%s|%S|%hs|%ls', w.wstr('\u4e2d'), w.str('n'), w.str('h'), w.wstr('l'))).toEqual([7, '\u4e2d|n|h|l']);
    expect(fw('%c%C%hc%lc', 0x3b1, 0x41, 0x42, 0x3b2)).toEqual([4, '\u03b1AB\u03b2']);
    // A narrow character or string is read in code page 1252.
    expect(fw('%S%C', w.bytes([0x80]), 0xe9)).toEqual([2, '\u20ac\u00e9']);
    expect(fw('%.2s %s', w.wstr('wxyz'), 0)).toEqual([9, 'wx (null)']);
  });

  test('the output stops at 1023 characters', () => {
    const out = w.buf(2200);
    const n = w.call('user32.dll', 'wsprintfW', [out, w.wstr('%s'), w.wstr('y'.repeat(2000))]);
    expect(n).toBe(1023);
    expect(w.readWStr(out).length).toBe(1023);
  });
});

describe('wvsprintfA/W take a va_list', () => {
  test('arguments are read from the list in order (stdcall, three arguments)', () => {
    const va = w.buf(16);
    w.cpu.mem.setU32(va, w.str('list'));
    w.cpu.mem.setU32(va + 4, 7);
    w.cpu.mem.setU64(va + 8, 0x1_0000_0001n);
    const out = w.buf(64);
    expect(w.call('user32.dll', 'wvsprintfA', [out, w.str('%s-%d-%I64x'), va])).toBe(16);
    expect(w.readStr(out)).toBe('list-7-100000001');
    const vaw = w.buf(8);
    w.cpu.mem.setU32(vaw, w.wstr('wide'));
    w.cpu.mem.setU32(vaw + 4, 0xff);
    expect(w.call('user32.dll', 'wvsprintfW', [out, w.wstr('%s %#x'), vaw])).toBe(9);
    expect(w.readWStr(out)).toBe('wide 0xff');
  });
});
