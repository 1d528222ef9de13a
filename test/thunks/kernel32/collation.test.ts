// CompareString (word sort, flags), lstrcmp, LCMapString (case, sort keys), GetStringType, FoldString.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

const LESS = 1;
const EQUAL = 2;
const GREATER = 3;
const NORM_IGNORECASE = 1;
const NORM_IGNORENONSPACE = 2;
const NORM_IGNORESYMBOLS = 4;
const SORT_DIGITSASNUMBERS = 8;
const SORT_STRINGSORT = 0x1000;
const NORM_IGNOREWIDTH = 0x2_0000;

const cmpW = (a: string, b: string, flags = 0) => w.k32('CompareStringW', 0x409, flags, w.wstr(a), -1, w.wstr(b), -1);

describe('CompareString', () => {
  test.each([
    ['a', 'A', 0, LESS], // lowercase first
    ['abc', 'ABC', NORM_IGNORECASE, EQUAL],
    ['apple', 'Banana', 0, LESS], // case does not decide before the letters do
    ['a', '\u00e1', 0, LESS], // a diacritic counts after the letters
    ['\u00e1', 'b', 0, LESS],
    ['r\u00e9sum\u00e9', 'resume', NORM_IGNORENONSPACE, EQUAL],
    ['r\u00e9sum\u00e9', 'resume', 0, GREATER],
    ['coop', 'co-op', 0, LESS], // word sort: hyphens count last
    ['co-op', 'cop', 0, LESS], // ... so co-op sorts as coop
    ['a-b', 'aa', 0, GREATER],
    ['a-b', 'aa', SORT_STRINGSORT, LESS], // string sort: the hyphen is a symbol, before letters
    ["it's", 'its', 0, GREATER],
    ['10', '9', 0, LESS],
    ['10', '9', SORT_DIGITSASNUMBERS, GREATER],
    ['file2', 'file10', SORT_DIGITSASNUMBERS, LESS],
    [' ', '!', 0, LESS], // whitespace, punctuation, digits, letters
    ['_', '0', 0, LESS],
    ['9', 'a', 0, LESS],
    ['a.b', 'ab', NORM_IGNORESYMBOLS, EQUAL],
    ['a b', 'ab', NORM_IGNORESYMBOLS, EQUAL],
    ['\uff21', 'A', NORM_IGNOREWIDTH, EQUAL], // fullwidth A
    ['\uff21', 'A', 0, GREATER],
    ['same', 'same', 0, EQUAL],
    ['ab', 'abc', 0, LESS],
  ])('%j vs %j (flags %i)', (a, b, flags, result) => {
    expect(cmpW(a, b, flags)).toBe(result);
    expect(cmpW(b, a, flags)).toBe(4 - result);
  });

  test('counted strings, the A version, CompareStringEx and bad arguments', () => {
    expect(w.k32('CompareStringW', 0x409, 0, w.wstr('abcX'), 3, w.wstr('abcY'), 3)).toBe(EQUAL);
    expect(w.k32('CompareStringA', 0x400, NORM_IGNORECASE, w.str('\u00c9t\u00e9'), -1, w.str('\u00e9T\u00c9'), -1)).toBe(EQUAL); // cp1252
    expect(w.k32('CompareStringEx', w.wstr('en-US'), 0, w.wstr('a'), -1, w.wstr('b'), -1, 0, 0, 0)).toBe(LESS);
    expect(w.k32('CompareStringEx', 0, 0, w.wstr('b'), -1, w.wstr('a'), -1, 0, 0, 0)).toBe(GREATER); // NULL: the user default
    expect(w.k32('CompareStringW', 0x409, 0x80, w.wstr('a'), -1, w.wstr('b'), -1)).toBe(0);
    expect(w.lastError()).toBe(1004); // ERROR_INVALID_FLAGS
    expect(w.k32('CompareStringW', 0x409, 0, 0, -1, w.wstr('b'), -1)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('CompareStringW', 0x407, 0, w.wstr('a'), -1, w.wstr('b'), -1)).toBe(0); // German is not installed
    expect(w.lastError()).toBe(87);
  });

  test('CompareStringOrdinal compares code units; bIgnoreCase upper-cases first', () => {
    const ord = (a: string, b: string, ic: number) => w.k32('CompareStringOrdinal', w.wstr(a), -1, w.wstr(b), -1, ic);
    expect(ord('a', 'B', 0)).toBe(GREATER);
    expect(ord('a', 'B', 1)).toBe(LESS);
    expect(ord('ABC', 'abc', 1)).toBe(EQUAL);
    expect(ord('_', 'a', 0)).toBe(LESS);
    expect(ord('\u00e9', 'f', 0)).toBe(GREATER);
  });

  test('lstrcmp and lstrcmpi: -1, 0, 1 in word sort', () => {
    const r = (name: string, a: string, b: string) => w.k32(name, w.str(a), w.str(b)) | 0;
    expect(r('lstrcmpA', 'a', 'B')).toBe(-1);
    expect(r('lstrcmpA', 'B', 'a')).toBe(1);
    expect(r('lstrcmpA', 'a', 'A')).toBe(-1);
    expect(r('lstrcmpiA', 'abc', 'ABC')).toBe(0);
    expect(r('lstrcmpA', 'co-op', 'coop')).toBe(1);
    expect(w.k32('lstrcmpW', w.wstr('x'), w.wstr('y')) | 0).toBe(-1);
    expect(w.k32('lstrcmpA', 0, w.str('a')) | 0).toBe(-1);
    expect(w.k32('lstrcmpA', 0, 0)).toBe(0);
  });
});

describe('LCMapString', () => {
  const LCMAP_LOWERCASE = 0x100;
  const LCMAP_UPPERCASE = 0x200;
  const LCMAP_TITLECASE = 0x300;
  const LCMAP_SORTKEY = 0x400;
  const LCMAP_BYTEREV = 0x800;
  const LCMAP_FULLWIDTH = 0x80_0000;
  const LCMAP_KATAKANA = 0x20_0000;

  function mapW(flags: number, s: string, count = -1): [number, string] {
    const dst = w.buf(256);
    const n = w.k32('LCMapStringW', 0x409, flags, w.wstr(s), count, dst, 128);
    return [n, w.readWStr(dst)];
  }

  test('case mapping: one character for one (ß has no single uppercase), the NUL counted with cchSrc -1', () => {
    expect(mapW(LCMAP_UPPERCASE, 'Stra\u00dfe \u00e9t\u00e9')).toEqual([11, 'STRA\u00dfE \u00c9T\u00c9']);
    expect(mapW(LCMAP_LOWERCASE, 'HeLLo', 5)).toEqual([5, 'hello']);
    expect(mapW(LCMAP_TITLECASE, "hello wORLD it's")).toEqual([17, "Hello World It's"]);
    const dst = w.buf(16);
    expect(w.k32('LCMapStringA', 0x409, LCMAP_UPPERCASE, w.str('abc'), -1, dst, 16)).toBe(4);
    expect(w.readStr(dst)).toBe('ABC');
    expect(w.k32('LCMapStringW', 0x409, LCMAP_UPPERCASE, w.wstr('abc'), -1, 0, 0)).toBe(4); // size query
    expect(w.k32('LCMapStringW', 0x409, LCMAP_UPPERCASE, w.wstr('abc'), -1, dst, 3)).toBe(0);
    expect(w.lastError()).toBe(122);
  });

  test('width, kana and byte-reversal mappings; incompatible flags refused', () => {
    expect(mapW(LCMAP_FULLWIDTH, 'A1 ', 3)[1]).toBe('\uff21\uff11\u3000');
    expect(mapW(LCMAP_KATAKANA, '\u3042\u3044', 2)[1]).toBe('\u30a2\u30a4');
    expect(mapW(LCMAP_BYTEREV, 'A', 1)[1]).toBe('\u4100');
    expect(w.k32('LCMapStringW', 0x409, LCMAP_LOWERCASE | LCMAP_UPPERCASE | LCMAP_FULLWIDTH | 0x40_0000, w.wstr('a'), -1, w.buf(8), 4)).toBe(0);
    expect(w.lastError()).toBe(1004);
    expect(w.k32('LCMapStringW', 0x409, LCMAP_SORTKEY | LCMAP_UPPERCASE, w.wstr('a'), -1, w.buf(64), 64)).toBe(0);
    expect(w.lastError()).toBe(1004);
  });

  test('sort keys: byte strings that compare as CompareString does, ending in a zero byte', () => {
    const key = (s: string, flags = 0) => {
      const n = w.k32('LCMapStringW', 0x409, LCMAP_SORTKEY | flags, w.wstr(s), -1, 0, 0);
      const dst = w.buf(n);
      expect(w.k32('LCMapStringW', 0x409, LCMAP_SORTKEY | flags, w.wstr(s), -1, dst, n)).toBe(n);
      return Array.from(w.cpu.mem.read(dst, n));
    };
    const order = (a: number[], b: number[]) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? LESS : GREATER;
      return a.length === b.length ? EQUAL : a.length < b.length ? LESS : GREATER;
    };
    const words = ['a', 'A', 'ab', '\u00e1', 'b', 'co-op', 'coop', 'cop', '10', '9', '_x', ' '];
    for (const a of words) {
      for (const b of words) expect(order(key(a), key(b))).toBe(cmpW(a, b));
      expect(key(a).at(-1)).toBe(0);
    }
    expect(key('ABC', NORM_IGNORECASE)).toEqual(key('abc', NORM_IGNORECASE));
  });
});

describe('GetStringType', () => {
  const types = (t: number, s: string) => {
    const out = w.buf(2 * s.length + 2);
    expect(w.k32('GetStringTypeW', t, w.wstr(s), s.length, out)).toBe(1);
    return Array.from({ length: s.length }, (_, i) => w.cpu.mem.u16(out + 2 * i));
  };

  test('CT_CTYPE1 of ASCII and Latin-1', () => {
    // UPPER 1, LOWER 2, DIGIT 4, SPACE 8, PUNCT 0x10, CNTRL 0x20, BLANK 0x40, XDIGIT 0x80, ALPHA 0x100, DEFINED 0x200
    expect(types(1, 'AzG5 \t\n!\u00e9\u00c4\u00a0\u00b2\u00d7')).toEqual([0x381, 0x302, 0x301, 0x284, 0x248, 0x268, 0x228, 0x210, 0x302, 0x301, 0x248, 0x214, 0x210]);
    const out = w.buf(8);
    expect(w.k32('GetStringTypeW', 1, w.wstr('a'), -1, out)).toBe(1); // with -1 the NUL has a type too
    expect(w.cpu.mem.u16(out + 2)).toBe(0x220);
  });

  test('CT_CTYPE2: bidirectional classes', () => {
    // L 1, R 2, EN 3, ES 4, ET 5, CS 7, B 8, S 9, WS 10, ON 11
    expect(types(2, 'A1+$,\n\t !\u05d0')).toEqual([1, 3, 4, 5, 7, 8, 9, 10, 11, 2]);
  });

  test('CT_CTYPE3: combining marks and surrogates', () => {
    expect(types(4, '\u0301')).toEqual([0x3]); // NONSPACING | DIACRITIC
    expect(types(4, '\ud83d\ude00')).toEqual([0x800, 0x1000]);
  });

  test('the A versions take the ANSI code page; bad types and arguments are refused', () => {
    const out = w.buf(8);
    expect(w.k32('GetStringTypeA', 0x409, 1, w.str('\u00e9'), 1, out)).toBe(1);
    expect(w.cpu.mem.u16(out)).toBe(0x302);
    expect(w.k32('GetStringTypeExA', 0x409, 1, w.bytes([0x80]), 1, out)).toBe(1); // the euro sign: a symbol
    expect(w.cpu.mem.u16(out)).toBe(0x210);
    expect(w.k32('GetStringTypeW', 3, w.wstr('a'), 1, out)).toBe(0);
    expect(w.lastError()).toBe(1004);
    expect(w.k32('GetStringTypeW', 1, 0, 1, out)).toBe(0);
    expect(w.lastError()).toBe(87);
  });
});

test('FoldString: digits, composition, ligatures', () => {
  const fold = (flags: number, s: string) => {
    const dst = w.buf(64);
    const n = w.k32('FoldStringW', flags, w.wstr(s), -1, dst, 32);
    return [n, w.readWStr(dst)];
  };
  expect(fold(0x80, '\u0661\u0662\uff13')).toEqual([4, '123']); // MAP_FOLDDIGITS
  expect(fold(0x40, '\u00e9')).toEqual([3, 'e\u0301']); // MAP_COMPOSITE
  expect(fold(0x20, 'e\u0301')).toEqual([2, '\u00e9']); // MAP_PRECOMPOSED
  expect(fold(0x2000, '\u00e6\ufb01')).toEqual([5, 'aefi']); // MAP_EXPAND_LIGATURES
  expect(w.k32('FoldStringW', 0x60, w.wstr('a'), -1, w.buf(8), 4)).toBe(0);
  expect(w.lastError()).toBe(1004);
});
