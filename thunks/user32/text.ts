// user32's character functions: case conversion (CharUpper/CharLower and their Buff forms), stepping
// through strings (CharNext/CharPrev) and classification (IsCharAlpha & co.). The ANSI forms work in
// the process's ANSI code page (1252): each byte is taken to Unicode, mapped and brought back, and a
// character whose counterpart the code page lacks stays as it is. Every code page wowasm knows has one
// byte per character, so CharNext/CharPrev step one byte.

import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString } from '../text.js';
import { lowerChar, upperChar } from '../kernel32/collation.js';

/** One UTF-16 unit through a simple (one-to-one) case mapping (kernel32's); units without one stay. */
function mapUnit(c: number, upper: boolean): number {
  return (upper ? upperChar : lowerChar)(String.fromCharCode(c)).charCodeAt(0);
}

/** One byte of the ANSI code page through the same mapping. */
function mapAnsiByte(p: Process, b: number, upper: boolean): number {
  if (p.ansiCodePage === 65001 && b >= 0x80) return b; // a UTF-8 sequence byte: not a character of its own
  const u = decodeBytes(Uint8Array.of(b), p.ansiCodePage).charCodeAt(0);
  const m = mapUnit(u, upper);
  if (m === u) return b;
  const { bytes, lossy } = encodeString(String.fromCharCode(m), p.ansiCodePage);
  return lossy || bytes.length !== 1 ? b : bytes[0]!;
}

/** CharUpperA/CharLowerA: a string converted in place (returned), or a character in the low word. */
export function charCaseA(p: Process, lpsz: number, upper: boolean): number {
  if (lpsz >>> 16 === 0) return mapAnsiByte(p, lpsz & 0xff, upper);
  for (let a = lpsz; ; a++) {
    const b = p.mem.u8(a);
    if (b === 0) break;
    const m = mapAnsiByte(p, b, upper);
    if (m !== b) p.mem.setU8(a, m);
  }
  return lpsz;
}

export function charCaseW(p: Process, lpsz: number, upper: boolean): number {
  if (lpsz >>> 16 === 0) return mapUnit(lpsz & 0xffff, upper);
  for (let a = lpsz; ; a += 2) {
    const c = p.mem.u16(a);
    if (c === 0) break;
    const m = mapUnit(c, upper);
    if (m !== c) p.mem.setU16(a, m);
  }
  return lpsz;
}

/** CharUpperBuffA/CharLowerBuffA: exactly `cch` bytes (NULs included) in place; returns `cch`. */
export function charCaseBuffA(p: Process, lpsz: number, cch: number, upper: boolean): number {
  if (lpsz === 0) return 0;
  for (let i = 0; i < cch; i++) {
    const b = p.mem.u8(lpsz + i);
    const m = mapAnsiByte(p, b, upper);
    if (m !== b) p.mem.setU8(lpsz + i, m);
  }
  return cch;
}

export function charCaseBuffW(p: Process, lpsz: number, cch: number, upper: boolean): number {
  if (lpsz === 0) return 0;
  for (let i = 0; i < cch; i++) {
    const c = p.mem.u16(lpsz + 2 * i);
    const m = mapUnit(c, upper);
    if (m !== c) p.mem.setU16(lpsz + 2 * i, m);
  }
  return cch;
}

/** Non-spacing marks (U+0301 & co.) belong to the character before them. */
function isNonSpacing(c: number): boolean {
  return /\p{Mn}/u.test(String.fromCharCode(c));
}

/** CharNextA/CharNextExA: the next character, or the string's end when already at the NUL. */
export function CharNextA(p: Process, lpsz: number): number {
  return p.mem.u8(lpsz) === 0 ? lpsz : lpsz + 1;
}

/** CharNextW: past one character and the non-spacing marks that combine with it; stays on the NUL. */
export function CharNextW(p: Process, lpsz: number): number {
  if (p.mem.u16(lpsz) === 0) return lpsz;
  let a = lpsz + 2;
  for (let c = p.mem.u16(a); c !== 0 && isNonSpacing(c); c = p.mem.u16(a)) a += 2;
  return a;
}

/** CharPrevA/CharPrevExA: the character before `current`, or `start` when there is none. */
export function CharPrevA(_p: Process, start: number, current: number): number {
  return current > start ? current - 1 : start;
}

/** CharPrevW: back over the non-spacing marks to the character they combine with. */
export function CharPrevW(p: Process, start: number, current: number): number {
  if (current <= start) return start;
  let a = current - 2;
  while (a > start && isNonSpacing(p.mem.u16(a))) a -= 2;
  return Math.max(a, start);
}

type CharClass = 'alpha' | 'alnum' | 'upper' | 'lower';

function classify(c: number, cls: CharClass): boolean {
  const s = String.fromCharCode(c);
  switch (cls) {
    case 'alpha':
      return /\p{L}/u.test(s);
    case 'alnum':
      return /[\p{L}\p{Nd}]/u.test(s);
    case 'upper':
      return /\p{Lu}/u.test(s);
    case 'lower':
      return /\p{Ll}/u.test(s);
  }
}

/** IsCharAlphaA & co.: the CHAR argument (low byte) is a character of the ANSI code page. */
function isCharA(p: Process, ch: number, cls: CharClass): boolean {
  const b = ch & 0xff;
  if (p.ansiCodePage === 65001 && b >= 0x80) return false;
  return classify(decodeBytes(Uint8Array.of(b), p.ansiCodePage).charCodeAt(0), cls);
}

/** user32 exports of this area (the DLL table is their union, see thunks/user32.ts). */
export const textApi = {
  CharLowerA: fn('stdcall', ['ptr'], 'ptr', (p, s) => charCaseA(p, s, false)),
  CharLowerBuffA: fn('stdcall', ['ptr', 'long'], 'long', (p, s, n) => charCaseBuffA(p, s, n, false)),
  CharLowerBuffW: fn('stdcall', ['ptr', 'long'], 'long', (p, s, n) => charCaseBuffW(p, s, n, false)),
  CharLowerW: fn('stdcall', ['ptr'], 'ptr', (p, s) => charCaseW(p, s, false)),
  CharNextA: fn('stdcall', ['ptr'], 'ptr', CharNextA),
  CharNextExA: fn('stdcall', ['long', 'ptr', 'long'], 'ptr', (p, _codePage, s, _dwFlags) => CharNextA(p, s)),
  CharNextW: fn('stdcall', ['ptr'], 'ptr', CharNextW),
  CharPrevA: fn('stdcall', ['ptr', 'ptr'], 'ptr', CharPrevA),
  CharPrevExA: fn('stdcall', ['long', 'ptr', 'ptr', 'long'], 'ptr', (p, _codePage, start, cur, _dwFlags) => CharPrevA(p, start, cur)),
  CharPrevW: fn('stdcall', ['ptr', 'ptr'], 'ptr', CharPrevW),
  CharUpperA: fn('stdcall', ['ptr'], 'ptr', (p, s) => charCaseA(p, s, true)),
  CharUpperBuffA: fn('stdcall', ['ptr', 'long'], 'long', (p, s, n) => charCaseBuffA(p, s, n, true)),
  CharUpperBuffW: fn('stdcall', ['ptr', 'long'], 'long', (p, s, n) => charCaseBuffW(p, s, n, true)),
  CharUpperW: fn('stdcall', ['ptr'], 'ptr', (p, s) => charCaseW(p, s, true)),
  IsCharAlphaA: fn('stdcall', ['long'], 'bool', (p, c) => isCharA(p, c, 'alpha')),
  IsCharAlphaNumericA: fn('stdcall', ['long'], 'bool', (p, c) => isCharA(p, c, 'alnum')),
  IsCharAlphaNumericW: fn('stdcall', ['long'], 'bool', (_p, c) => classify(c & 0xffff, 'alnum')),
  IsCharAlphaW: fn('stdcall', ['long'], 'bool', (_p, c) => classify(c & 0xffff, 'alpha')),
  IsCharLowerA: fn('stdcall', ['long'], 'bool', (p, c) => isCharA(p, c, 'lower')),
  IsCharLowerW: fn('stdcall', ['long'], 'bool', (_p, c) => classify(c & 0xffff, 'lower')),
  IsCharUpperA: fn('stdcall', ['long'], 'bool', (p, c) => isCharA(p, c, 'upper')),
  IsCharUpperW: fn('stdcall', ['long'], 'bool', (_p, c) => classify(c & 0xffff, 'upper')),
};
