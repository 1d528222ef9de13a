// <wchar.h>: wide (UTF-16) strings on guest memory, their conversions to numbers and back, and the
// multibyte <-> wide conversions of the ANSI code page. Comparisons are by code unit; case folding and
// collation are the "C" locale's (ASCII letters only).
import { stateKey, type Process } from '../process.js';
import { fn, type Export } from '../spec.js';
import { lowerAscii, upperAscii } from './ctype.js';
import type { CrtFlavour } from './format.js';
import { hasSecureCrt } from './flavour.js';
import { invalidParameter } from './signal.js';
import { ERRNO, setErrno } from './state.js';
import { formatInteger, parseDoubleText, parseIntegerText, type IntKind } from './stdlib.js';

const units = (p: Process, s: number): Uint16Array => p.mem.readWUnits(s);

function writeUnits(p: Process, dst: number, u: ArrayLike<number>, terminate = true): void {
  for (let i = 0; i < u.length; i++) p.mem.setU16(dst + 2 * i, u[i]!);
  if (terminate) p.mem.setU16(dst + 2 * u.length, 0);
}

function compareUnits(x: ArrayLike<number>, y: ArrayLike<number>, n: number, fold: boolean): number {
  for (let i = 0; i < n; i++) {
    let c = i < x.length ? x[i]! : 0;
    let d = i < y.length ? y[i]! : 0;
    if (fold) {
      c = lowerAscii(c);
      d = lowerAscii(d);
    }
    if (c !== d) return c < d ? -1 : 1;
    if (c === 0) return 0;
  }
  return 0;
}

export function wcslen(p: Process, s: number): number {
  return units(p, s).length;
}

export function wcsnlen(p: Process, s: number, max: number): number {
  let n = 0;
  while (n < max && p.mem.u16(s + 2 * n) !== 0) n++;
  return n;
}

export function wcscmp(p: Process, a: number, b: number): number {
  const x = units(p, a);
  const y = units(p, b);
  return compareUnits(x, y, Math.max(x.length, y.length) + 1, false);
}

export function wcsncmp(p: Process, a: number, b: number, n: number): number {
  return n ? compareUnits(units(p, a).subarray(0, n), units(p, b).subarray(0, n), n, false) : 0;
}

export function _wcsicmp(p: Process, a: number, b: number): number {
  const x = units(p, a);
  const y = units(p, b);
  return compareUnits(x, y, Math.max(x.length, y.length) + 1, true);
}

export function _wcsnicmp(p: Process, a: number, b: number, n: number): number {
  return n ? compareUnits(units(p, a).subarray(0, n), units(p, b).subarray(0, n), n, true) : 0;
}

export function wcscpy(p: Process, dst: number, src: number): number {
  writeUnits(p, dst, units(p, src).slice());
  return dst;
}

export function wcsncpy(p: Process, dst: number, src: number, n: number): number {
  const u = units(p, src).subarray(0, n).slice();
  writeUnits(p, dst, u, false);
  for (let i = u.length; i < n; i++) p.mem.setU16(dst + 2 * i, 0);
  return dst;
}

export function wcscat(p: Process, dst: number, src: number): number {
  wcscpy(p, dst + 2 * wcslen(p, dst), src);
  return dst;
}

export function wcsncat(p: Process, dst: number, src: number, n: number): number {
  writeUnits(p, dst + 2 * wcslen(p, dst), units(p, src).subarray(0, n).slice());
  return dst;
}

export function wcschr(p: Process, s: number, c: number): number {
  const u = units(p, s);
  const ch = c & 0xffff;
  if (ch === 0) return s + 2 * u.length;
  const i = u.indexOf(ch);
  return i < 0 ? 0 : s + 2 * i;
}

export function wcsrchr(p: Process, s: number, c: number): number {
  const u = units(p, s);
  const ch = c & 0xffff;
  if (ch === 0) return s + 2 * u.length;
  const i = u.lastIndexOf(ch);
  return i < 0 ? 0 : s + 2 * i;
}

export function wcsstr(p: Process, hay: number, needle: number): number {
  const h = String.fromCharCode(...units(p, hay));
  const n = String.fromCharCode(...units(p, needle));
  const i = h.indexOf(n);
  return i < 0 ? 0 : hay + 2 * i;
}

export function wcsspn(p: Process, s: number, set: number): number {
  const u = units(p, s);
  const accept = new Set(units(p, set));
  let i = 0;
  while (i < u.length && accept.has(u[i]!)) i++;
  return i;
}

export function wcscspn(p: Process, s: number, set: number): number {
  const u = units(p, s);
  const reject = new Set(units(p, set));
  let i = 0;
  while (i < u.length && !reject.has(u[i]!)) i++;
  return i;
}

export function wcspbrk(p: Process, s: number, set: number): number {
  const i = wcscspn(p, s, set);
  return p.mem.u16(s + 2 * i) ? s + 2 * i : 0;
}

export function _wcsdup(p: Process, s: number): number {
  if (!s) return 0;
  const u = units(p, s).slice();
  const d = p.heap.alloc(2 * u.length + 2);
  if (!d) {
    setErrno(p, ERRNO.ENOMEM);
    return 0;
  }
  writeUnits(p, d, u);
  return d;
}

function mapInPlace(p: Process, s: number, f: (c: number) => number): number {
  const u = units(p, s);
  writeUnits(p, s, Array.from(u, f), false);
  return s;
}

export function _wcsrev(p: Process, s: number): number {
  const u = units(p, s).slice().reverse();
  writeUnits(p, s, u, false);
  return s;
}

/** wcstok's position, per thread as in the CRT. */
const wcstokState = stateKey('crt.wcstok', () => new Map<number, { next: number }>());

/** wcstok_s / strtok_s logic on units: returns [token address, next position]. */
function tokenize(p: Process, s: number, delim: number, context: number | undefined, width: 1 | 2): { token: number; next: number } {
  const read = (a: number) => (width === 2 ? p.mem.u16(a) : p.mem.u8(a));
  const set = new Set(width === 2 ? units(p, delim) : p.mem.readCBytes(delim));
  let at = s || (context ?? 0);
  if (!at) return { token: 0, next: 0 };
  while (read(at) && set.has(read(at))) at += width;
  if (!read(at)) return { token: 0, next: at };
  const token = at;
  while (read(at) && !set.has(read(at))) at += width;
  if (read(at)) {
    if (width === 2) p.mem.setU16(at, 0);
    else p.mem.setU8(at, 0);
    at += width;
  }
  return { token, next: at };
}

export function strtokCore(p: Process, s: number, delim: number, contextPtr: number, width: 1 | 2, fnName: string): number {
  if (!delim || !contextPtr || (!s && !p.mem.u32(contextPtr))) {
    invalidParameter(p, fnName, !delim ? 'delimiters are NULL' : 'context is NULL');
    return 0;
  }
  const { token, next } = tokenize(p, s, delim, p.mem.u32(contextPtr), width);
  p.mem.setU32(contextPtr, next);
  return token;
}

/** wcstok (msvcrt: two arguments and a hidden per-thread position). */
export function wcstok(p: Process, s: number, delim: number): number {
  const threads = p.state(wcstokState);
  let st = threads.get(p.currentThread.id);
  if (!st) threads.set(p.currentThread.id, (st = { next: 0 }));
  const { token, next } = tokenize(p, s, delim, st.next, 2);
  st.next = next;
  return token;
}

// ---- numbers ----------------------------------------------------------------------------------

/** Wide text for the number parsers: code units above 0xFF cannot be digits or signs; they stop parsing. */
function asBytes(u: Uint16Array): Uint8Array {
  const b = new Uint8Array(u.length);
  for (let i = 0; i < u.length; i++) b[i] = u[i]! > 0xff ? 0 : u[i]!;
  return b;
}

export function wcstoint(p: Process, s: number, endp: number, base: number, kind: IntKind): bigint {
  const r = parseIntegerText(asBytes(units(p, s)), base | 0, kind);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (r.badBase) setErrno(p, ERRNO.EINVAL);
  if (endp) p.mem.setU32(endp, s + 2 * r.end);
  return r.value;
}

export function wcstod(p: Process, s: number, endp: number, flavour: CrtFlavour): number {
  const r = parseDoubleText(asBytes(units(p, s)), flavour);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (endp) p.mem.setU32(endp, s + 2 * r.end);
  return r.value;
}

/** _itow & co.: the digits of a value in a radix (2-36), into a wide buffer. */
export function intToWide(p: Process, value: bigint, dst: number, radix: number, signed: boolean, bits: 32 | 64): number {
  writeUnits(p, dst, Array.from(formatInteger(value, radix, signed, bits), (c) => c.charCodeAt(0)));
  return dst;
}

// ---- multibyte conversions in the "C" locale: a byte is the character of the same value ---------------

/** mbtowc: one character of a multibyte string. */
export function mbtowc(p: Process, dst: number, src: number, n: number): number {
  if (!src) return 0;
  if (n === 0) return -1;
  const b = p.mem.u8(src);
  if (dst) p.mem.setU16(dst, b);
  return b === 0 ? 0 : 1;
}

/** wctomb: one byte, or -1 (EILSEQ) for a character above U+00FF. */
export function wctomb(p: Process, dst: number, wc: number): number {
  if (!dst) return 0;
  if ((wc & 0xffff) > 0xff) {
    setErrno(p, ERRNO.EILSEQ);
    return -1;
  }
  p.mem.setU8(dst, wc & 0xff);
  return 1;
}

export function btowc(_p: Process, c: number): number {
  return c < 0 || c > 0xff ? 0xffff : c; // WEOF for EOF
}

export function wctob(_p: Process, wc: number): number {
  return (wc & 0xffff) > 0xff ? -1 : wc & 0xff;
}

/** mbsrtowcs: widens up to len characters; *src ends at NULL once the terminator was converted. */
function mbsrtowcs(p: Process, dst: number, psrc: number, len: number): number {
  const src = p.mem.u32(psrc);
  const bytes = p.mem.readCBytes(src);
  const n = dst ? Math.min(len, bytes.length) : bytes.length;
  if (dst) {
    for (let i = 0; i < n; i++) p.mem.setU16(dst + 2 * i, bytes[i]!);
    if (n === bytes.length && n < len) {
      p.mem.setU16(dst + 2 * n, 0);
      p.mem.setU32(psrc, 0);
    } else p.mem.setU32(psrc, src + n);
  }
  return n;
}

/** wcsrtombs: narrows up to len bytes; -1 (EILSEQ) at a character above U+00FF. */
function wcsrtombs(p: Process, dst: number, psrc: number, len: number): number {
  const src = p.mem.u32(psrc);
  const u = units(p, src);
  let i = 0;
  for (; i < u.length && (!dst || i < len); i++) {
    if (u[i]! > 0xff) {
      if (dst) p.mem.setU32(psrc, src + 2 * i);
      setErrno(p, ERRNO.EILSEQ);
      return 0xffff_ffff;
    }
    if (dst) p.mem.setU8(dst + i, u[i]!);
  }
  if (dst) {
    if (i === u.length && i < len) {
      p.mem.setU8(dst + i, 0);
      p.mem.setU32(psrc, 0);
    } else p.mem.setU32(psrc, src + 2 * i);
  }
  return i;
}

/**
 * mbstowcs_s / wcstombs_s: converts at most `count` characters (or all, _TRUNCATE) into a buffer of `size`;
 * *converted counts the terminator. ERANGE (the buffer emptied) when it does not fit, unless truncating.
 */
function convertSecure(p: Process, fnName: string, pret: number, dst: number, size: number, src: number, count: number, wideToNarrow: boolean): number {
  if ((!dst && size > 0) || (dst && size === 0) || !src) {
    if (pret) p.mem.setU32(pret, 0);
    invalidParameter(p, fnName, 'invalid buffer or source');
    return ERRNO.EINVAL;
  }
  const text = wideToNarrow ? String.fromCharCode(...units(p, src)) : String.fromCharCode(...p.mem.readCBytes(src));
  if (wideToNarrow && [...text].some((c) => c.charCodeAt(0) > 0xff)) {
    if (dst) p.mem.setU8(dst, 0);
    if (pret) p.mem.setU32(pret, 0);
    setErrno(p, ERRNO.EILSEQ);
    return ERRNO.EILSEQ;
  }
  let take = count === 0xffff_ffff ? text.length : Math.min(count, text.length);
  const put = (n: number) => {
    for (let i = 0; i < n; i++) wideToNarrow ? p.mem.setU8(dst + i, text.charCodeAt(i)) : p.mem.setU16(dst + 2 * i, text.charCodeAt(i));
    wideToNarrow ? p.mem.setU8(dst + n, 0) : p.mem.setU16(dst + 2 * n, 0);
  };
  if (!dst) {
    if (pret) p.mem.setU32(pret, take + 1);
    return 0;
  }
  if (take + 1 > size) {
    if (count === 0xffff_ffff) {
      take = size - 1;
      put(take);
      if (pret) p.mem.setU32(pret, take + 1);
      return 80; // STRUNCATE
    }
    wideToNarrow ? p.mem.setU8(dst, 0) : p.mem.setU16(dst, 0);
    if (pret) p.mem.setU32(pret, 0);
    invalidParameter(p, fnName, 'the buffer is too small', ERRNO.ERANGE);
    return ERRNO.ERANGE;
  }
  put(take);
  if (pret) p.mem.setU32(pret, take + 1);
  return 0;
}

function wmemcopy(p: Process, fnName: string, dst: number, size: number, src: number, count: number, move: boolean): number {
  if (count === 0) return 0;
  if (!dst || !src || size < count) {
    if (dst && src && !move) p.mem.fill(dst, 0, 2 * size);
    invalidParameter(p, fnName, !dst ? 'destination is NULL' : !src ? 'source is NULL' : 'the destination is too small', dst && src ? ERRNO.ERANGE : ERRNO.EINVAL);
    return dst && src ? ERRNO.ERANGE : ERRNO.EINVAL;
  }
  p.mem.copyWithin(dst, src, 2 * count);
  return 0;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function wideApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const table: Record<string, Export> = {
    _i64tow: fn('cdecl', ['int64', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToWide(p, v, d, radix, true, 64)),
    _itow: fn('cdecl', ['int', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToWide(p, BigInt(v), d, radix, true, 32)),
    _ltow: fn('cdecl', ['int', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToWide(p, BigInt(v), d, radix, true, 32)),
    _ui64tow: fn('cdecl', ['int64', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToWide(p, v, d, radix, false, 64)),
    _ultow: fn('cdecl', ['long', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToWide(p, BigInt(v), d, radix, false, 32)),
    _wcsdup: fn('cdecl', ['ptr'], 'ptr', _wcsdup),
    _wcsicmp: fn('cdecl', ['ptr', 'ptr'], 'int', _wcsicmp),
    _wcsicoll: fn('cdecl', ['ptr', 'ptr'], 'int', _wcsicmp),
    _wcslwr: fn('cdecl', ['ptr'], 'ptr', (p, s) => mapInPlace(p, s, lowerAscii)),
    _wcsncoll: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', wcsncmp),
    _wcsnicmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _wcsnicmp),
    _wcsnicoll: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _wcsnicmp),
    _wcsnset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', (p, s, c, n) => {
      const len = Math.min(wcslen(p, s), n);
      for (let i = 0; i < len; i++) p.mem.setU16(s + 2 * i, c & 0xffff);
      return s;
    }),
    _wcsrev: fn('cdecl', ['ptr'], 'ptr', _wcsrev),
    _wcsset: fn('cdecl', ['ptr', 'int'], 'ptr', (p, s, c) => mapInPlace(p, s, () => c & 0xffff)),
    _wcstoi64: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => wcstoint(p, s, e, b, 'i64')),
    _wcstoui64: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => wcstoint(p, s, e, b, 'u64')),
    _wcsupr: fn('cdecl', ['ptr'], 'ptr', (p, s) => mapInPlace(p, s, upperAscii)),
    _wtof: fn('cdecl', ['ptr'], 'double', (p, s) => wcstod(p, s, 0, flavour)),
    _wtoi: fn('cdecl', ['ptr'], 'int', (p, s) => Number(wcstoint(p, s, 0, 10, 'i32'))),
    _wtoi64: fn('cdecl', ['ptr'], 'int64', (p, s) => wcstoint(p, s, 0, 10, 'i64')),
    _wtol: fn('cdecl', ['ptr'], 'int', (p, s) => Number(wcstoint(p, s, 0, 10, 'i32'))),
    btowc: fn('cdecl', ['int'], 'int', btowc),
    mblen: fn('cdecl', ['ptr', 'long'], 'int', (p, s, n) => (!s ? 0 : n === 0 ? -1 : p.mem.u8(s) ? 1 : 0)),
    mbtowc: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', mbtowc),
    wcscat: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcscat),
    wcschr: fn('cdecl', ['ptr', 'int'], 'ptr', wcschr),
    wcscmp: fn('cdecl', ['ptr', 'ptr'], 'int', wcscmp),
    // "C" locale collation is code unit order; wcsxfrm copies.
    wcscoll: fn('cdecl', ['ptr', 'ptr'], 'int', wcscmp),
    wcscpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcscpy),
    wcscspn: fn('cdecl', ['ptr', 'ptr'], 'long', wcscspn),
    wcslen: fn('cdecl', ['ptr'], 'long', wcslen, { quiet: true }),
    wcsncat: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', wcsncat),
    wcsncmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', wcsncmp),
    wcsncpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', wcsncpy),
    wcsnlen: fn('cdecl', ['ptr', 'long'], 'long', wcsnlen),
    wcspbrk: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcspbrk),
    wcsrchr: fn('cdecl', ['ptr', 'int'], 'ptr', wcsrchr),
    wcsspn: fn('cdecl', ['ptr', 'ptr'], 'long', wcsspn),
    wcsstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcsstr),
    wcstod: fn('cdecl', ['ptr', 'ptr'], 'double', (p, s, e) => wcstod(p, s, e, flavour)),
    wcstol: fn('cdecl', ['ptr', 'ptr', 'int'], 'int', (p, s, e, b) => Number(wcstoint(p, s, e, b, 'i32'))),
    wcstoul: fn('cdecl', ['ptr', 'ptr', 'int'], 'long', (p, s, e, b) => Number(wcstoint(p, s, e, b, 'u32'))),
    wcsxfrm: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', (p, d, s, n) => {
      const u = units(p, s).slice();
      if (d && u.length < n) writeUnits(p, d, u);
      return u.length;
    }),
    wctob: fn('cdecl', ['int'], 'int', wctob),
    wctomb: fn('cdecl', ['ptr', 'int'], 'int', wctomb),
  };
  if (flavour === 'ucrt') {
    // ucrt's wcstok is the C11 one with a context argument.
    table.wcstok = fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', (p, s, d, ctx) => (ctx ? strtokCore(p, s, d, ctx, 2, 'wcstok') : wcstok(p, s, d)), r);
    table._wcstoll_l = fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int64', (p, s, e, b, _l) => wcstoint(p, s, e, b, 'i64'));
    table.wcstoll = fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => wcstoint(p, s, e, b, 'i64'));
    table.wcstoull = fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => wcstoint(p, s, e, b, 'u64'));
    table._wtoll = fn('cdecl', ['ptr'], 'int64', (p, s) => wcstoint(p, s, 0, 10, 'i64'));
  } else table.wcstok = fn('cdecl', ['ptr', 'ptr'], 'ptr', wcstok);
  Object.assign(table, {
    // Restartable conversions: the "C" locale has no shift states.
    mbrlen: fn('cdecl', ['ptr', 'long', 'ptr'], 'int', (p, s, n, _st) => (!s ? 0 : n === 0 ? -2 : p.mem.u8(s) ? 1 : 0)),
    mbrtowc: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'int', (p, pwc, s, n, _st) => (!s ? 0 : n === 0 ? -2 : mbtowc(p, pwc, s, n))),
    mbsinit: fn('cdecl', ['ptr'], 'int', (_p, _st) => 1),
    mbsrtowcs: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'long', (p, d, ps, n, _st) => mbsrtowcs(p, d, ps, n)),
    wcrtomb: fn('cdecl', ['ptr', 'int', 'ptr'], 'int', (p, s, wc, _st) => (!s ? 1 : wctomb(p, s, wc))),
    wcsrtombs: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'long', (p, d, ps, n, _st) => wcsrtombs(p, d, ps, n)),
    _wcsicmp_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => _wcsicmp(p, a, b)),
    _wcsnicmp_l: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'int', (p, a, b, n, _l) => _wcsnicmp(p, a, b, n)),
    _wcscoll_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => wcscmp(p, a, b)),
    _wcsicoll_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => _wcsicmp(p, a, b)),
    _wcslwr_l: fn('cdecl', ['ptr', 'ptr'], 'ptr', (p, s, _l) => mapInPlace(p, s, lowerAscii)),
    _wcsupr_l: fn('cdecl', ['ptr', 'ptr'], 'ptr', (p, s, _l) => mapInPlace(p, s, upperAscii)),
    _wtof_l: fn('cdecl', ['ptr', 'ptr'], 'double', (p, s, _l) => wcstod(p, s, 0, flavour)),
    _wtoi_l: fn('cdecl', ['ptr', 'ptr'], 'int', (p, s, _l) => Number(wcstoint(p, s, 0, 10, 'i32'))),
    _wtol_l: fn('cdecl', ['ptr', 'ptr'], 'int', (p, s, _l) => Number(wcstoint(p, s, 0, 10, 'i32'))),
  });
  if (hasSecureCrt(version)) {
    Object.assign(table, {
      mbstowcs_s: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr', 'long'], 'int', (p, r, d, n, s, c) => convertSecure(p, 'mbstowcs_s', r, d, n, s, c, false), { reentrant: true }),
      wcstombs_s: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr', 'long'], 'int', (p, r, d, n, s, c) => convertSecure(p, 'wcstombs_s', r, d, n, s, c, true), { reentrant: true }),
      wmemcpy_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', (p, d, n, s, c) => wmemcopy(p, 'wmemcpy_s', d, n, s, c, false), { reentrant: true }),
      wmemmove_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', (p, d, n, s, c) => wmemcopy(p, 'wmemmove_s', d, n, s, c, true), { reentrant: true }),
    });
    table.wcstok_s = fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', (p, s, d, ctx) => strtokCore(p, s, d, ctx, 2, 'wcstok_s'), r);
    table._wcstol_l = fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int', (p, s, e, b, _l) => Number(wcstoint(p, s, e, b, 'i32')));
    table._wcstoul_l = fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'long', (p, s, e, b, _l) => Number(wcstoint(p, s, e, b, 'u32')));
    table._wcstod_l = fn('cdecl', ['ptr', 'ptr', 'ptr'], 'double', (p, s, e, _l) => wcstod(p, s, e, flavour));
    table._wcstoi64_l = fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int64', (p, s, e, b, _l) => wcstoint(p, s, e, b, 'i64'));
    table._wcstoui64_l = fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int64', (p, s, e, b, _l) => wcstoint(p, s, e, b, 'u64'));
  }
  return table;
}
