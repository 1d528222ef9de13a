// MultiByteToWideChar / WideCharToMultiByte as guest code calls them: the ANSI code page 1252, the OEM
// code page 437, UTF-8, size queries, -1 lengths (the NUL counts), and the documented errors.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const CP_ACP = 0;
const CP_OEMCP = 1;
const CP_UTF8 = 65001;
const MB_ERR_INVALID_CHARS = 0x8;
const WC_ERR_INVALID_CHARS = 0x80;
const ERROR_INSUFFICIENT_BUFFER = 122;
const ERROR_INVALID_PARAMETER = 87;
const ERROR_NO_UNICODE_TRANSLATION = 1113;

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** UTF-16 code units written at `addr`. */
const units = (addr: number, n: number) => Array.from({ length: n }, (_, i) => w.cpu.mem.u16(addr + 2 * i));
const codes = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const bytesAt = (addr: number, n: number) => [...w.cpu.mem.read(addr, n)];

describe('MultiByteToWideChar', () => {
  const mb2wc = (cp: number, flags: number, src: number, srcLen: number, dst: number, dstLen: number) =>
    w.k32('MultiByteToWideChar', cp, flags, src, srcLen, dst, dstLen) | 0;

  test('CP_ACP is Windows-1252: 0x80 is the euro sign, 0xE9 é', () => {
    const src = w.bytes([0x80, 0x61, 0xe9, 0x9c]);
    const dst = w.buf(64);
    expect(mb2wc(CP_ACP, 0, src, 4, dst, 32)).toBe(4);
    expect(units(dst, 4)).toEqual([0x20ac, 0x61, 0xe9, 0x153]);
    expect(w.cpu.mem.u16(dst + 8)).toBe(0); // an explicit length writes no terminator
  });

  test('-1 source length: up to and including the NUL, which is counted', () => {
    const src = w.bytes([0x41, 0x42, 0x43]);
    expect(mb2wc(CP_ACP, 0, src, -1, 0, 0)).toBe(4); // size query
    const dst = w.buf(64);
    w.cpu.mem.fill(dst, 0xff, 64);
    expect(mb2wc(CP_ACP, 0, src, -1, dst, 4)).toBe(4);
    expect(units(dst, 5)).toEqual([0x41, 0x42, 0x43, 0, 0xffff]);
  });

  test('a size query (0 output length) ignores the output pointer', () => {
    expect(mb2wc(CP_ACP, 0, w.str('hello'), 5, w.buf(4), 0)).toBe(5);
  });

  test('a buffer too small: 0 and ERROR_INSUFFICIENT_BUFFER', () => {
    const src = w.str('hello');
    expect(mb2wc(CP_ACP, 0, src, -1, w.buf(16), 5)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INSUFFICIENT_BUFFER);
  });

  test('CP_UTF8: multi-byte sequences and surrogate pairs', () => {
    const src = w.bytes([0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]); // h é € 😀
    expect(mb2wc(CP_UTF8, 0, src, 10, 0, 0)).toBe(5);
    const dst = w.buf(32);
    expect(mb2wc(CP_UTF8, 0, src, 10, dst, 5)).toBe(5);
    expect(units(dst, 5)).toEqual([0x68, 0xe9, 0x20ac, 0xd83d, 0xde00]);
  });

  test('invalid UTF-8: U+FFFD, or with MB_ERR_INVALID_CHARS, ERROR_NO_UNICODE_TRANSLATION', () => {
    const src = w.bytes([0x61, 0xff, 0x62]);
    const dst = w.buf(32);
    expect(mb2wc(CP_UTF8, 0, src, 3, dst, 16)).toBe(3);
    expect(units(dst, 3)).toEqual([0x61, 0xfffd, 0x62]);
    w.p.setLastError(0);
    expect(mb2wc(CP_UTF8, MB_ERR_INVALID_CHARS, src, 3, dst, 16)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NO_UNICODE_TRANSLATION);
  });

  test('CP_OEMCP is code page 437: box drawing and accented letters', () => {
    const src = w.bytes([0x82, 0xb0, 0xc9, 0xe1, 0x9b]);
    const dst = w.buf(32);
    expect(mb2wc(CP_OEMCP, 0, src, 5, dst, 16)).toBe(5);
    expect(units(dst, 5)).toEqual([0xe9, 0x2591, 0x2554, 0xdf, 0xa2]); // é ░ ╔ ß ¢
    expect(mb2wc(437, 0, src, 5, dst, 16)).toBe(5);
  });

  test('bad arguments: ERROR_INVALID_PARAMETER', () => {
    const dst = w.buf(16);
    for (const call of [
      () => mb2wc(12345, 0, w.str('a'), 1, dst, 8), // unknown code page
      () => mb2wc(CP_ACP, 0, 0, 1, dst, 8), // no source
      () => mb2wc(CP_ACP, 0, w.str('a'), 0, dst, 8), // empty source
      () => mb2wc(CP_ACP, 0, w.str('a'), 1, 0, 8), // no output with a length
    ]) {
      w.p.setLastError(0);
      expect(call()).toBe(0);
      expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    }
  });
});

describe('WideCharToMultiByte', () => {
  const wc2mb = (cp: number, flags: number, src: number, srcLen: number, dst: number, dstLen: number, def = 0, used = 0) =>
    w.k32('WideCharToMultiByte', cp, flags, src, srcLen, dst, dstLen, def, used) | 0;

  test('CP_ACP: U+20AC is 0x80; -1 counts and writes the NUL', () => {
    const src = w.wstr('\u20ac\u00e9a');
    expect(wc2mb(CP_ACP, 0, src, -1, 0, 0)).toBe(4);
    const dst = w.buf(16);
    w.cpu.mem.fill(dst, 0xff, 16);
    expect(wc2mb(CP_ACP, 0, src, -1, dst, 16)).toBe(4);
    expect(bytesAt(dst, 5)).toEqual([0x80, 0xe9, 0x61, 0, 0xff]);
    expect(wc2mb(CP_ACP, 0, src, 2, dst, 16)).toBe(2);
  });

  test('characters the code page lacks become the default character, and lpUsedDefaultChar says so', () => {
    const src = w.wstr('a\u4e2db');
    const dst = w.buf(16);
    const used = w.buf(4);
    expect(wc2mb(CP_ACP, 0, src, 3, dst, 16, 0, used)).toBe(3);
    expect(bytesAt(dst, 3)).toEqual(codes('a?b'));
    expect(w.u32(used)).toBe(1);
    // A default character of the caller's choosing; a literal '?' in the text stays a '?'.
    const star = w.str('*');
    expect(wc2mb(CP_ACP, 0, w.wstr('?\u4e2d'), 2, dst, 16, star, used)).toBe(2);
    expect(bytesAt(dst, 2)).toEqual(codes('?*'));
    // Nothing lost: lpUsedDefaultChar is FALSE.
    w.cpu.mem.setU32(used, 7);
    expect(wc2mb(CP_ACP, 0, w.wstr('abc'), 3, dst, 16, 0, used)).toBe(3);
    expect(w.u32(used)).toBe(0);
  });

  test('best fit by default (base letters, fullwidth ASCII), the default character with WC_NO_BEST_FIT_CHARS', () => {
    const src = w.wstr('\u0100\u0107\uff0b\u4e2d');
    const dst = w.buf(16);
    const used = w.buf(4);
    expect(wc2mb(CP_ACP, 0, src, 4, dst, 16, 0, used)).toBe(4);
    expect(bytesAt(dst, 4)).toEqual(codes('Ac+?'));
    expect(w.u32(used)).toBe(1); // only for U+4E2D
    expect(wc2mb(CP_ACP, 0, src, 3, dst, 16, 0, used)).toBe(3);
    expect(w.u32(used)).toBe(0); // best fit is no default character
    expect(wc2mb(CP_ACP, 0x400, src, 3, dst, 16, 0, used)).toBe(3); // WC_NO_BEST_FIT_CHARS
    expect(bytesAt(dst, 3)).toEqual(codes('???'));
    expect(w.u32(used)).toBe(1);
  });

  test('CP_OEMCP is code page 437', () => {
    const dst = w.buf(16);
    expect(wc2mb(CP_OEMCP, 0, w.wstr('\u00e9\u2591'), 2, dst, 16)).toBe(2);
    expect(bytesAt(dst, 2)).toEqual([0x82, 0xb0]);
  });

  test('CP_UTF8, with lone surrogates replaced or refused (WC_ERR_INVALID_CHARS)', () => {
    const dst = w.buf(32);
    expect(wc2mb(CP_UTF8, 0, w.wstr('h\u00e9\u20ac\ud83d\ude00'), 5, dst, 32)).toBe(10);
    expect(bytesAt(dst, 10)).toEqual([0x68, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xf0, 0x9f, 0x98, 0x80]);
    const lone = w.wstr('a\ud800b');
    expect(wc2mb(CP_UTF8, 0, lone, 3, dst, 32)).toBe(5);
    expect(bytesAt(dst, 5)).toEqual([0x61, 0xef, 0xbf, 0xbd, 0x62]);
    expect(wc2mb(CP_UTF8, WC_ERR_INVALID_CHARS, lone, 3, dst, 32)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NO_UNICODE_TRANSLATION);
  });

  test('CP_UTF8 with lpDefaultChar or lpUsedDefaultChar: ERROR_INVALID_PARAMETER', () => {
    expect(wc2mb(CP_UTF8, 0, w.wstr('a'), 1, w.buf(8), 8, 0, w.buf(4))).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
  });

  test('a buffer too small: 0 and ERROR_INSUFFICIENT_BUFFER', () => {
    expect(wc2mb(CP_ACP, 0, w.wstr('hello'), -1, w.buf(8), 5)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INSUFFICIENT_BUFFER);
  });
});

describe('lstr*', () => {
  test('copy, bounded copy, concatenate, length', () => {
    const dst = w.buf(32);
    expect(w.k32('lstrcpyA', dst, w.str('hello'))).toBe(dst);
    expect(w.k32('lstrcatA', dst, w.str(' world'))).toBe(dst);
    expect(w.readStr(dst)).toBe('hello world');
    expect(w.k32('lstrlenA', dst)).toBe(11);
    expect(w.k32('lstrcpynA', dst, w.str('hello'), 3)).toBe(dst);
    expect(w.readStr(dst)).toBe('he');
    w.cpu.mem.fill(dst, 0x41, 4);
    expect(w.k32('lstrcpynA', dst, w.str('hello'), 0)).toBe(dst); // writes nothing
    expect(w.readStr(dst).slice(0, 4)).toBe('AAAA');
    const wd = w.buf(32);
    w.k32('lstrcpyW', wd, w.wstr('ab'));
    w.k32('lstrcatW', wd, w.wstr('\u00e9'));
    expect(w.readWStr(wd)).toBe('ab\u00e9');
    expect(w.k32('lstrlenW', wd)).toBe(3);
    expect(w.k32('lstrcpynW', wd, w.wstr('xyz'), 2)).toBe(wd);
    expect(w.readWStr(wd)).toBe('x');
  });

  test('bad pointers are caught: NULL from the copies, 0 from lstrlen', () => {
    const bad = 0x7ffe_f000; // not mapped
    expect(w.k32('lstrlenA', bad)).toBe(0);
    expect(w.k32('lstrlenW', 0)).toBe(0);
    expect(w.k32('lstrcpyA', bad, w.str('x'))).toBe(0);
    expect(w.k32('lstrcatW', w.buf(8), bad)).toBe(0);
  });
});
