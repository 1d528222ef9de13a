// The "C" locale as the CRT exposes it: setlocale per category, _configthreadlocale, the code page and
// MB_CUR_MAX queries, the _pctype table (the classes of Microsoft's "C" ctype table, e.g. 'A' = _UPPER |
// _HEX | _ALPHA = 0x181, ' ' = _SPACE | _BLANK = 0x48, '\t' = _SPACE | _CONTROL = 0x28), the wide classes
// (Unicode properties whatever the locale), case mapping (ASCII only), collation (byte / code unit order),
// and the wide string functions.
import { beforeEach, describe, expect, test } from 'vitest';
import { CrtInvalidParameterError } from '../../../thunks/crt/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

describe('setlocale and friends', () => {
  test('every category knows "C"; "" (the user default) is "C" too; other names fail', () => {
    for (let cat = 0; cat <= 5; cat++) {
      expect(w.readStr(w.crt('setlocale', cat, 0))).toBe('C');
      expect(w.readStr(w.crt('setlocale', cat, w.str('')))).toBe('C');
      expect(w.readStr(w.crt('setlocale', cat, w.str('C')))).toBe('C');
      expect(w.crt('setlocale', cat, w.str('English_United States.1252'))).toBe(0);
    }
    expect(w.readWStr(w.crt('_wsetlocale', 0, w.wstr('C')))).toBe('C');
    expect(() => w.crt('setlocale', 6, w.str('C'))).toThrow(CrtInvalidParameterError);
  });

  test('_configthreadlocale answers and remembers the mode', () => {
    expect(w.call('ucrtbase.dll', '_configthreadlocale', [0])).toBe(2); // _DISABLE_PER_THREAD_LOCALE
    expect(w.call('ucrtbase.dll', '_configthreadlocale', [1])).toBe(2);
    expect(w.call('ucrtbase.dll', '_configthreadlocale', [0])).toBe(1);
    expect(() => w.call('ucrtbase.dll', '_configthreadlocale', [7])).toThrow(CrtInvalidParameterError);
  });

  test('code page and MB_CUR_MAX', () => {
    expect(w.crt('___lc_codepage_func')).toBe(0);
    expect(w.crt('___mb_cur_max_func')).toBe(1);
    expect(w.u32(w.addr('msvcrt.dll', '__mb_cur_max'))).toBe(1);
  });
});

describe('character classes', () => {
  test('the _pctype table of the "C" locale', () => {
    const t = w.crt('__pctype_func');
    const cls = (c: number) => w.cpu.mem.u16(t + 2 * c);
    expect([0x41, 0x47, 0x61, 0x67, 0x30, 0x20, 0x09, 0x0a, 0x00, 0x7f, 0x21, 0x80, 0xe9].map(cls)).toEqual([0x181, 0x101, 0x182, 0x102, 0x84, 0x48, 0x28, 0x28, 0x20, 0x20, 0x10, 0, 0]);
    expect(w.cpu.mem.u16(t - 2)).toBe(0); // _pctype[EOF]
    expect(w.u32(w.addr('msvcrt.dll', '_pctype'))).toBe(t);
    expect(w.u32(w.crt('__p__pctype'))).toBe(t);
  });

  test('the is* functions return the table bits under their masks (_ALPHA = 0x100 | _UPPER | _LOWER); isprint takes space but not tab; isblank both', () => {
    expect([w.crt('isupper', 0x41), w.crt('islower', 0x41), w.crt('isalnum', 0x35), w.crt('isgraph', 0x20), w.crt('isprint', 0x20), w.crt('isprint', 0x09)]).toEqual([1, 0, 4, 0, 0x40, 0]);
    expect([w.call('ucrtbase.dll', 'isblank', [0x09]), w.call('ucrtbase.dll', 'isblank', [0x20]), w.call('ucrtbase.dll', 'isblank', [0x0a])]).toEqual([0x40, 0x40, 0]);
    expect([w.crt('isalpha', 0x62), w.crt('isalpha', 0xe9), w.crt('iscntrl', 0x7f), w.crt('__isascii', 0x80), w.crt('__toascii', 0xc1)]).toEqual([0x102, 0, 0x20, 0, 0x41]);
    expect(w.crt('_isctype', 0x66, 0x80)).toBe(0x80);
  });

  test('wide classes follow Unicode; case mapping stays ASCII in the "C" locale', () => {
    expect(w.crt('iswalpha', 0xe9)).not.toBe(0);
    expect(w.crt('iswupper', 0xc9)).not.toBe(0);
    expect(w.crt('iswlower', 0xc9)).toBe(0);
    expect(w.crt('iswspace', 0x3000)).not.toBe(0);
    expect(w.crt('iswpunct', 0x20ac)).not.toBe(0);
    expect(w.crt('iswdigit', 0x39)).toBe(4);
    expect(w.crt('iswctype', 0x41, 0x103)).toBe(0x101);
    expect([w.crt('towlower', 0x41), w.crt('towlower', 0xc9), w.crt('towupper', 0x7a), w.crt('tolower', 0xc9)]).toEqual([0x61, 0xc9, 0x5a, 0xc9]);
    expect(w.crt('wctype', w.str('alpha'))).toBe(0x103);
  });
});

describe('collation in the "C" locale: byte and code unit order', () => {
  test('strcoll, _stricoll, wcscoll, strxfrm', () => {
    expect(w.crt('strcoll', w.str('a'), w.str('B')) | 0).toBe(1);
    expect(w.crt('_stricoll', w.str('a'), w.str('B')) | 0).toBe(-1);
    expect(w.crt('wcscoll', w.wstr('\u00e9'), w.wstr('z')) | 0).toBe(1);
    const b = w.buf(16);
    expect(w.crt('strxfrm', b, w.str('abc'), 16)).toBe(3);
    expect(w.readStr(b)).toBe('abc');
    expect(w.crt('strxfrm', 0, w.str('abcdef'), 0)).toBe(6);
  });
});

describe('wide strings', () => {
  test('copying, concatenating, searching', () => {
    const b = w.buf(64);
    w.crt('wcscpy', b, w.wstr('ab'));
    w.crt('wcscat', b, w.wstr('cd\u20ac'));
    expect(w.readWStr(b)).toBe('abcd\u20ac');
    expect(w.crt('wcsrchr', b, 0x20ac)).toBe(b + 8);
    expect(w.crt('wcsstr', b, w.wstr('cd'))).toBe(b + 4);
    expect(w.crt('wcsspn', b, w.wstr('ba'))).toBe(2);
    expect(w.crt('wcspbrk', b, w.wstr('dc'))).toBe(b + 4);
    w.cpu.mem.fill(b, 0xff, 16);
    w.crt('wcsncpy', b, w.wstr('x'), 3);
    expect([0, 1, 2, 3].map((i) => w.cpu.mem.u16(b + 2 * i))).toEqual([0x78, 0, 0, 0xffff]);
    expect(w.crt('_wcsicmp', w.wstr('HeLLo'), w.wstr('hello'))).toBe(0);
    const u = w.wstr('Mixed \u00e9');
    w.crt('_wcsupr', u);
    expect(w.readWStr(u)).toBe('MIXED \u00e9');
    w.crt('_wcsrev', u);
    expect(w.readWStr(u)).toBe('\u00e9 DEXIM');
  });

  test('wcstok (msvcrt: two arguments; ucrt: with a context)', () => {
    const s = w.wstr('a,b;;c');
    const delim = w.wstr(',;');
    const tokens: string[] = [];
    for (let t = w.crt('wcstok', s, delim); t; t = w.crt('wcstok', 0, delim)) tokens.push(w.readWStr(t));
    expect(tokens).toEqual(['a', 'b', 'c']);
    const s2 = w.wstr('x y');
    const ctx = w.buf(4);
    expect(w.readWStr(w.call('ucrtbase.dll', 'wcstok', [s2, w.wstr(' '), ctx]))).toBe('x');
    expect(w.readWStr(w.call('ucrtbase.dll', 'wcstok', [0, w.wstr(' '), ctx]))).toBe('y');
    expect(w.call('ucrtbase.dll', 'wcstok', [0, w.wstr(' '), ctx])).toBe(0);
  });

  test('numbers to and from wide text', () => {
    const end = w.buf(4);
    const s = w.wstr('  -0x1Fz');
    expect(w.crt('wcstol', s, end, 16) | 0).toBe(-31);
    expect(w.u32(end)).toBe(s + 14);
    expect(w.crt('wcstoul', w.wstr('4294967296'), 0, 10)).toBe(0xffffffff);
    expect(w.crt('_wtoi', w.wstr('123abc'))).toBe(123);
    w.crt('wcstod', w.wstr('2.5e3'), 0);
    expect(w.st0()).toBe(2500);
    const b = w.buf(80);
    w.crt('_itow', -255, b, 16);
    expect(w.readWStr(b)).toBe('ffffff01');
    w.crt('_i64tow', -12345678901234n, b, 10);
    expect(w.readWStr(b)).toBe('-12345678901234');
  });

  test('multibyte conversions in the "C" locale widen and narrow bytes as they are', () => {
    const b = w.buf(16);
    expect(w.crt('mbstowcs', b, w.bytes([0x41, 0x80, 0xff]), 8)).toBe(3);
    expect([0, 1, 2, 3].map((i) => w.cpu.mem.u16(b + 2 * i))).toEqual([0x41, 0x80, 0xff, 0]);
    expect(w.crt('wcstombs', b, w.wstr('A\u00e9'), 8)).toBe(2);
    expect([...w.cpu.mem.read(b, 3)]).toEqual([0x41, 0xe9, 0]);
    expect(w.crt('wcstombs', b, w.wstr('\u20ac'), 8) | 0).toBe(-1);
    expect(w.u32(w.crt('_errno'))).toBe(42);
    expect(w.crt('wctomb', b, 0x20ac) | 0).toBe(-1);
    expect(w.crt('btowc', 0x80)).toBe(0x80);
  });
});

describe('restartable and secure conversions', () => {
  test('mbrtowc, wcrtomb, mbsrtowcs, wcsrtombs in the "C" locale', () => {
    const wc = w.buf(4);
    expect(w.crt('mbrtowc', wc, w.bytes([0xe9]), 1, 0)).toBe(1);
    expect(w.cpu.mem.u16(wc)).toBe(0xe9);
    expect(w.crt('mbrtowc', wc, w.bytes([0x41]), 0, 0) | 0).toBe(-2);
    expect(w.crt('mbsinit', 0)).toBe(1);
    const b = w.buf(16);
    expect(w.crt('wcrtomb', b, 0x263a, 0) | 0).toBe(-1);
    const psrc = w.buf(4);
    const src = w.str('abc');
    w.cpu.mem.setU32(psrc, src);
    expect(w.crt('mbsrtowcs', b, psrc, 8, 0)).toBe(3);
    expect([w.readWStr(b), w.u32(psrc)]).toEqual(['abc', 0]);
    const wsrc = w.wstr('xyz');
    w.cpu.mem.setU32(psrc, wsrc);
    expect(w.crt('wcsrtombs', b, psrc, 2, 0)).toBe(2); // stops after 2 bytes, no terminator
    expect(w.u32(psrc)).toBe(wsrc + 4);
  });

  test('mbstowcs_s / wcstombs_s count the terminator; _TRUNCATE cuts with STRUNCATE', () => {
    const ret = w.buf(4);
    const b = w.buf(32);
    expect(w.crt('mbstowcs_s', ret, b, 16, w.str('hello'), 0xffffffff)).toBe(0);
    expect([w.u32(ret), w.readWStr(b)]).toEqual([6, 'hello']);
    expect(w.crt('wcstombs_s', ret, b, 4, w.wstr('hello'), 0xffffffff)).toBe(80);
    expect([w.u32(ret), w.readStr(b)]).toEqual([4, 'hel']);
    expect(w.crt('wcstombs_s', ret, 0, 0, w.wstr('hello'), 0xffffffff)).toBe(0);
    expect(w.u32(ret)).toBe(6);
  });
});
