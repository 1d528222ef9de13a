// user32's character functions (CharUpper/CharLower and their Buff forms, CharNext/CharPrev, IsChar*)
// called as guest code calls them, in code page 1252.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
const u = (name: string, ...args: number[]) => w.call('user32.dll', name, args);
beforeEach(() => {
  w = win32();
});

/** Bytes of a NUL-terminated ANSI string at `a`. */
const bytesAt = (a: number) => [...w.cpu.mem.readCBytes(a)];

describe('CharUpper / CharLower', () => {
  test('a string is converted in place and returned, in code page 1252', () => {
    // 0xE9 é -> 0xC9 É, 0xFF ÿ -> 0x9F Ÿ (U+0178 sits at 0x9F in 1252), 0xB5 µ stays (its capital
    // U+039C is not in 1252), 0xDF ß stays (no one-character capital).
    const s = w.bytes([0x61, 0x7a, 0x31, 0xe9, 0xff, 0xb5, 0xdf]);
    expect(u('CharUpperA', s)).toBe(s);
    expect(bytesAt(s)).toEqual([0x41, 0x5a, 0x31, 0xc9, 0x9f, 0xb5, 0xdf]);
    expect(u('CharLowerA', s)).toBe(s);
    expect(bytesAt(s)).toEqual([0x61, 0x7a, 0x31, 0xe9, 0xff, 0xb5, 0xdf]);
  });

  test('a pointer whose high word is zero is one character, returned in the low word', () => {
    expect(u('CharUpperA', 0x61)).toBe(0x41);
    expect(u('CharUpperA', 0xe9)).toBe(0xc9);
    expect(u('CharLowerA', 0x41)).toBe(0x61);
    expect(u('CharUpperA', 0x31)).toBe(0x31);
    expect(u('CharUpperW', 0x3b1)).toBe(0x391); // α -> Α
    expect(u('CharLowerW', 0x410)).toBe(0x430); // А -> а
    expect(u('CharUpperW', 0xdf)).toBe(0xdf); // ß has no single-character capital
    for (let c = 0; c < 256; c++) expect(u('CharUpperA', c) >>> 16).toBe(0);
  });

  test('wide strings', () => {
    const s = w.wstr('straße ÀÉ ǆ i');
    expect(u('CharUpperW', s)).toBe(s);
    expect(w.readWStr(s)).toBe('STRAßE ÀÉ Ǆ I');
    u('CharLowerW', s);
    expect(w.readWStr(s)).toBe('straße àé ǆ i');
  });

  test('the Buff forms convert exactly n characters, NULs included, and return n', () => {
    const s = w.bytes([0x61, 0x62, 0x00, 0x63, 0x64]);
    expect(u('CharUpperBuffA', s, 4)).toBe(4);
    expect([...w.cpu.mem.read(s, 5)]).toEqual([0x41, 0x42, 0x00, 0x43, 0x64]);
    expect(u('CharLowerBuffA', s, 1)).toBe(1);
    expect([...w.cpu.mem.read(s, 5)]).toEqual([0x61, 0x42, 0x00, 0x43, 0x64]);
    const ws = w.wstr('abcd');
    expect(u('CharUpperBuffW', ws, 2)).toBe(2);
    expect(w.readWStr(ws)).toBe('ABcd');
    expect(u('CharLowerBuffW', ws, 0)).toBe(0);
    expect(u('CharUpperBuffA', 0, 0)).toBe(0);
  });
});

describe('CharNext / CharPrev', () => {
  test('ANSI: one byte at a time, staying on the NUL and at the start', () => {
    const s = w.str('ab');
    expect(u('CharNextA', s)).toBe(s + 1);
    expect(u('CharNextA', s + 2)).toBe(s + 2);
    expect(u('CharPrevA', s, s + 2)).toBe(s + 1);
    expect(u('CharPrevA', s, s)).toBe(s);
    expect(u('CharNextExA', 0, s + 1, 0)).toBe(s + 2);
    expect(u('CharPrevExA', 0, s, s + 1, 0)).toBe(s);
  });

  test('wide: a non-spacing mark travels with the character before it', () => {
    // "a" + U+030A COMBINING RING ABOVE + "b": CharNext from "a" lands on "b" (the documented "å" case).
    const s = w.wstr('a\u030ab');
    expect(u('CharNextW', s)).toBe(s + 4);
    expect(u('CharNextW', s + 4)).toBe(s + 6);
    expect(u('CharNextW', s + 6)).toBe(s + 6);
    expect(u('CharPrevW', s, s + 4)).toBe(s);
    expect(u('CharPrevW', s, s + 6)).toBe(s + 4);
    expect(u('CharPrevW', s, s)).toBe(s);
    const plain = w.wstr('xy');
    expect(u('CharNextW', plain)).toBe(plain + 2);
    expect(u('CharPrevW', plain, plain + 2)).toBe(plain);
  });
});

describe('IsCharAlpha / IsCharAlphaNumeric / IsCharUpper / IsCharLower', () => {
  test('ANSI characters are classified as their 1252 meaning', () => {
    expect(u('IsCharAlphaA', 0x41)).toBe(1);
    expect(u('IsCharAlphaA', 0xe9)).toBe(1); // é
    expect(u('IsCharAlphaA', 0x8a)).toBe(1); // Š in 1252
    expect(u('IsCharAlphaA', 0x31)).toBe(0);
    expect(u('IsCharAlphaA', 0x2c)).toBe(0);
    expect(u('IsCharAlphaNumericA', 0x31)).toBe(1);
    expect(u('IsCharAlphaNumericA', 0x5f)).toBe(0);
    expect(u('IsCharUpperA', 0xc9)).toBe(1);
    expect(u('IsCharUpperA', 0xe9)).toBe(0);
    expect(u('IsCharLowerA', 0xe9)).toBe(1);
    expect(u('IsCharLowerA', 0x31)).toBe(0);
  });

  test('wide characters', () => {
    expect(u('IsCharAlphaW', 0x3b1)).toBe(1); // α
    expect(u('IsCharAlphaW', 0x4e2d)).toBe(1); // 中
    expect(u('IsCharAlphaW', 0x20ac)).toBe(0); // €
    expect(u('IsCharAlphaNumericW', 0x663)).toBe(1); // ARABIC-INDIC DIGIT THREE
    expect(u('IsCharUpperW', 0x391)).toBe(1);
    expect(u('IsCharLowerW', 0x3b1)).toBe(1);
    expect(u('IsCharUpperW', 0x4e2d)).toBe(0);
    expect(u('IsCharLowerW', 0x4e2d)).toBe(0);
  });
});
