// Code-page conversions and string helpers of kernel32.
import { fn } from '../spec.js';
import { stateKey, type Process } from '../process.js';
import { GuestMemoryError } from '../../emulator/errors.js';
import { decodeBytes, decodeUtf16, encodeString, type CodePage } from '../text.js';
import { collate, NORM } from './collation.js';
import { ERROR } from '../win32.js';

const MB_ERR_INVALID_CHARS = 0x8;
const WC_ERR_INVALID_CHARS = 0x80;

/** CP_ACP, CP_OEMCP, CP_THREAD_ACP and the code pages wowasm knows; undefined for others. */
export function codePage(p: Process, cp: number): CodePage | undefined {
  if (cp === 0 || cp === 3) return p.ansiCodePage; // CP_ACP, CP_THREAD_ACP
  if (cp === 1) return p.oemCodePage; // CP_OEMCP
  if (cp === 1252 || cp === 437 || cp === 65001) return cp;
  if (cp === 20127) return 1252; // US-ASCII: a subset
  return undefined;
}

export function MultiByteToWideChar(p: Process, cp: number, flags: number, src: number, srcLen: number, dst: number, dstLen: number): number {
  const page = codePage(p, cp);
  if (page === undefined || src === 0 || srcLen === 0 || dstLen < 0 || (dst === 0 && dstLen !== 0)) {
    p.setLastError(page === undefined ? ERROR.INVALID_PARAMETER : ERROR.INVALID_PARAMETER);
    return 0;
  }
  const len = srcLen | 0;
  const bytes = len < 0 ? withNul(p.mem.readCBytes(src)) : p.mem.read(src, len);
  let text: string;
  if (page === 65001) {
    try {
      text = new TextDecoder('utf-8', { fatal: (flags & MB_ERR_INVALID_CHARS) !== 0, ignoreBOM: true }).decode(bytes);
    } catch {
      p.setLastError(ERROR.NO_UNICODE_TRANSLATION);
      return 0;
    }
  } else {
    text = decodeBytes(bytes, page);
  }
  if (dstLen === 0) return text.length;
  if (text.length > dstLen) {
    writeUnits(p, dst, text.slice(0, dstLen));
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  writeUnits(p, dst, text);
  return text.length;
}

export function WideCharToMultiByte(
  p: Process,
  cp: number,
  flags: number,
  src: number,
  srcLen: number,
  dst: number,
  dstLen: number,
  defaultChar: number,
  usedDefault: number,
): number {
  const page = codePage(p, cp);
  if (page === undefined || src === 0 || srcLen === 0 || dstLen < 0 || (dst === 0 && dstLen !== 0)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  if (page === 65001 && (defaultChar !== 0 || usedDefault !== 0)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const len = srcLen | 0;
  const units = len < 0 ? [...p.mem.readWUnits(src), 0] : Array.from({ length: len }, (_, i) => p.mem.u16(src + 2 * i));
  const text = decodeUtf16(Uint16Array.from(units));
  let bytes: Uint8Array;
  if (page === 65001) {
    if (flags & WC_ERR_INVALID_CHARS && /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
      p.setLastError(ERROR.NO_UNICODE_TRANSLATION);
      return 0;
    }
    bytes = new TextEncoder().encode(text);
  } else {
    // Per UTF-16 unit: the code page's byte; else (unless WC_NO_BEST_FIT_CHARS) a best-fit byte; else the
    // default character, which lpUsedDefaultChar reports.
    const d = defaultChar ? p.mem.u8(defaultChar) : 0x3f;
    bytes = new Uint8Array(text.length);
    let defaulted = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      const direct = encodeString(c, page);
      if (!direct.lossy) bytes[i] = direct.bytes[0]!;
      else {
        const fit = flags & WC_NO_BEST_FIT_CHARS ? undefined : bestFit(c, page);
        if (fit !== undefined) bytes[i] = fit;
        else {
          bytes[i] = d;
          defaulted = true;
        }
      }
    }
    if (usedDefault) p.mem.setU32(usedDefault, defaulted ? 1 : 0);
  }
  if (dstLen === 0) return bytes.length;
  if (bytes.length > dstLen) {
    p.mem.write(dst, bytes.subarray(0, dstLen));
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  p.mem.write(dst, bytes);
  return bytes.length;
}

const WC_NO_BEST_FIT_CHARS = 0x400;

/**
 * Windows' best-fit mapping for a character a single-byte code page lacks, where it is plain: fullwidth
 * ASCII as ASCII, and a letter with diacritics as its base letter (U+0100 "A" with macron as "A").
 */
function bestFit(c: string, page: CodePage): number | undefined {
  const u = c.charCodeAt(0);
  if (u >= 0xff01 && u <= 0xff5e) return u - 0xfee0;
  const base = c.normalize('NFD')[0];
  if (base === undefined || base === c || !/\p{L}/u.test(base)) return undefined;
  const r = encodeString(base, page);
  return r.lossy ? undefined : r.bytes[0];
}

function withNul(b: Uint8Array): Uint8Array {
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  return out;
}

function writeUnits(p: Process, dst: number, s: string): void {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 0xff;
    out[2 * i + 1] = s.charCodeAt(i) >>> 8;
  }
  p.mem.write(dst, out);
}

/** Single-byte code pages have no lead bytes. */
export function IsDBCSLeadByteEx(p: Process, cp: number, _byte: number): boolean {
  if (codePage(p, cp) === undefined) p.setLastError(ERROR.INVALID_PARAMETER);
  return false;
}

// ---- code pages -----------------------------------------------------------------------------------

/** The code pages this system has (IsValidCodePage): the ANSI and OEM ones, US-ASCII and UTF-8. */
const CODE_PAGES: Record<number, { maxCharSize: number; unicodeDefault: number; name: string }> = {
  437: { maxCharSize: 1, unicodeDefault: 0x3f, name: '437   (OEM - United States)' },
  1252: { maxCharSize: 1, unicodeDefault: 0x3f, name: '1252  (ANSI - Latin I)' },
  20127: { maxCharSize: 1, unicodeDefault: 0x3f, name: '20127 (US-ASCII)' },
  65001: { maxCharSize: 4, unicodeDefault: 0xfffd, name: '65001 (UTF-8)' },
};

export function GetACP(p: Process): number {
  return p.ansiCodePage;
}

export function GetOEMCP(p: Process): number {
  return p.oemCodePage;
}

export function IsValidCodePage(_p: Process, cp: number): boolean {
  return cp in CODE_PAGES;
}

/** CP_ACP, CP_OEMCP, CP_THREAD_ACP and real code pages (CP_MACCP: no Macintosh code page here). */
function cpInfoOf(p: Process, cp: number): { cp: number; info: (typeof CODE_PAGES)[number] } | undefined {
  const real = cp === 0 || cp === 3 ? p.ansiCodePage : cp === 1 ? p.oemCodePage : cp;
  const info = CODE_PAGES[real];
  return info ? { cp: real, info } : undefined;
}

/** CPINFO (20 bytes): MaxCharSize, DefaultChar[2], LeadByte[12] (no lead bytes in these code pages). */
export function GetCPInfo(p: Process, cp: number, out: number): boolean {
  const c = cpInfoOf(p, cp);
  if (!c || !out) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.fill(out, 0, 20);
  p.mem.setU32(out, c.info.maxCharSize);
  p.mem.setU8(out + 4, 0x3f); // '?'
  return true;
}

/** CPINFOEXA (284 bytes) / CPINFOEXW (544): CPINFO, UnicodeDefaultChar, CodePage, CodePageName[MAX_PATH]. */
export function GetCPInfoEx(p: Process, cp: number, flags: number, out: number, wide: boolean): boolean {
  const c = cpInfoOf(p, cp);
  if (!c || !out || flags !== 0) {
    p.setLastError(flags !== 0 && c ? ERROR.INVALID_FLAGS : ERROR.INVALID_PARAMETER);
    return false;
  }
  GetCPInfo(p, cp, out);
  p.mem.setU16(out + 18, c.info.unicodeDefault);
  p.mem.setU32(out + 20, c.cp);
  if (wide) {
    p.mem.fill(out + 24, 0, 520);
    for (let i = 0; i < c.info.name.length; i++) p.mem.setU16(out + 24 + 2 * i, c.info.name.charCodeAt(i));
  } else {
    p.mem.fill(out + 24, 0, 260);
    p.mem.write(out + 24, encodeString(c.info.name, p.ansiCodePage).bytes);
  }
  return true;
}

// ---- lstr* (they catch bad pointers, as Windows' do with SEH) ----------------------------------------

function guarded<T>(fallback: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof GuestMemoryError) return fallback;
    throw e;
  }
}

export function lstrlen(p: Process, s: number, wide: boolean): number {
  return s ? guarded(0, () => (wide ? p.mem.readWUnits(s).length : p.mem.readCBytes(s).length)) : 0;
}

export function lstrcpy(p: Process, dst: number, src: number, wide: boolean): number {
  if (!dst || !src) return 0;
  return guarded(0, () => {
    if (wide) {
      const u = p.mem.readWUnits(src);
      for (let i = 0; i < u.length; i++) p.mem.setU16(dst + 2 * i, u[i]!);
      p.mem.setU16(dst + 2 * u.length, 0);
    } else {
      const b = p.mem.readCBytes(src);
      p.mem.write(dst, b);
      p.mem.setU8(dst + b.length, 0);
    }
    return dst;
  });
}

/** Copies at most n - 1 characters and a NUL (nothing at all when n is 0). */
export function lstrcpyn(p: Process, dst: number, src: number, n: number, wide: boolean): number {
  if (!dst || !src) return 0;
  const max = n | 0;
  return guarded(0, () => {
    if (max <= 0) return dst;
    if (wide) {
      const u = p.mem.readWUnits(src, max - 1);
      for (let i = 0; i < u.length; i++) p.mem.setU16(dst + 2 * i, u[i]!);
      p.mem.setU16(dst + 2 * u.length, 0);
    } else {
      const b = p.mem.readCBytes(src, max - 1);
      p.mem.write(dst, b);
      p.mem.setU8(dst + b.length, 0);
    }
    return dst;
  });
}

export function lstrcat(p: Process, dst: number, src: number, wide: boolean): number {
  if (!dst || !src) return 0;
  return guarded(0, () => {
    const end = dst + (wide ? 2 : 1) * (wide ? p.mem.readWUnits(dst).length : p.mem.readCBytes(dst).length);
    return lstrcpy(p, end, src, wide) ? dst : 0;
  });
}

/** lstrcmp(i): CompareString in the thread's locale (word sort), as -1, 0 or 1; NULL sorts first. */
export function lstrcmp(p: Process, a: number, b: number, ignoreCase: boolean, wide: boolean): number {
  if (!a || !b) return !a && !b ? 0 : !a ? -1 : 1;
  const read = (s: number) => (wide ? String.fromCharCode(...p.mem.readWUnits(s)) : decodeBytes(p.mem.readCBytes(s), p.ansiCodePage));
  return collate(read(a), read(b), ignoreCase ? NORM.IGNORECASE : 0);
}

/** Calls back with each code page's number as text ("437", "1252", ...) until the callback returns FALSE. */
export function EnumSystemCodePages(p: Process, callback: number, flags: number, wide: boolean): boolean {
  if (!callback || (flags !== 1 && flags !== 2)) {
    p.setLastError(callback ? ERROR.INVALID_FLAGS : ERROR.INVALID_PARAMETER);
    return false;
  }
  const buf = p.heap.alloc(16);
  try {
    for (const cp of Object.keys(CODE_PAGES)) {
      if (wide) for (let i = 0; i <= cp.length; i++) p.mem.setU16(buf + 2 * i, i < cp.length ? cp.charCodeAt(i) : 0);
      else p.mem.write(buf, encodeString(cp + '\0').bytes);
      if (!p.callGuest(callback, 'stdcall', [buf])) break;
    }
  } finally {
    p.heap.free(buf);
  }
  return true;
}

// ---- the code page of the file functions' ANSI names ---------------------------------------------

const fileApis = stateKey('kernel32.fileApis', () => ({ oem: false }));

/** The code page the ...A file functions should use for names: ANSI, or OEM after SetFileApisToOEM. */
export function fileApisCodePage(p: Process): CodePage {
  return p.state(fileApis).oem ? p.oemCodePage : p.ansiCodePage;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const textApi = {
  AreFileApisANSI: fn('stdcall', [], 'bool', (p) => !p.state(fileApis).oem),
  EnumSystemCodePagesA: fn('stdcall', ['ptr', 'long'], 'bool', (p, cb, f) => EnumSystemCodePages(p, cb, f, false), { reentrant: true }),
  EnumSystemCodePagesW: fn('stdcall', ['ptr', 'long'], 'bool', (p, cb, f) => EnumSystemCodePages(p, cb, f, true), { reentrant: true }),
  SetFileApisToANSI: fn('stdcall', [], 'void', (p) => void (p.state(fileApis).oem = false)),
  SetFileApisToOEM: fn('stdcall', [], 'void', (p) => void (p.state(fileApis).oem = true)),
  GetACP: fn('stdcall', [], 'long', GetACP),
  GetCPInfo: fn('stdcall', ['long', 'ptr'], 'bool', GetCPInfo),
  GetCPInfoExA: fn('stdcall', ['long', 'long', 'ptr'], 'bool', (p, cp, f, o) => GetCPInfoEx(p, cp, f, o, false)),
  GetCPInfoExW: fn('stdcall', ['long', 'long', 'ptr'], 'bool', (p, cp, f, o) => GetCPInfoEx(p, cp, f, o, true)),
  GetOEMCP: fn('stdcall', [], 'long', GetOEMCP),
  IsValidCodePage: fn('stdcall', ['long'], 'bool', IsValidCodePage),
  lstrcat: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcat(p, d, s, false)),
  lstrcatA: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcat(p, d, s, false)),
  lstrcatW: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcat(p, d, s, true)),
  lstrcmp: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, false, false)),
  lstrcmpA: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, false, false)),
  lstrcmpW: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, false, true)),
  lstrcmpi: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, true, false)),
  lstrcmpiA: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, true, false)),
  lstrcmpiW: fn('stdcall', ['ptr', 'ptr'], 'int', (p, a, b) => lstrcmp(p, a, b, true, true)),
  lstrcpy: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcpy(p, d, s, false)),
  lstrcpyA: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcpy(p, d, s, false)),
  lstrcpyW: fn('stdcall', ['ptr', 'ptr'], 'ptr', (p, d, s) => lstrcpy(p, d, s, true)),
  lstrcpyn: fn('stdcall', ['ptr', 'ptr', 'int'], 'ptr', (p, d, s, n) => lstrcpyn(p, d, s, n, false)),
  lstrcpynA: fn('stdcall', ['ptr', 'ptr', 'int'], 'ptr', (p, d, s, n) => lstrcpyn(p, d, s, n, false)),
  lstrcpynW: fn('stdcall', ['ptr', 'ptr', 'int'], 'ptr', (p, d, s, n) => lstrcpyn(p, d, s, n, true)),
  lstrlen: fn('stdcall', ['ptr'], 'int', (p, s) => lstrlen(p, s, false)),
  IsDBCSLeadByte: fn('stdcall', ['long'], 'bool', (p, b) => IsDBCSLeadByteEx(p, 0, b)),
  IsDBCSLeadByteEx: fn('stdcall', ['long', 'long'], 'bool', IsDBCSLeadByteEx),
  MultiByteToWideChar: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', MultiByteToWideChar),
  WideCharToMultiByte: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int', 'ptr', 'ptr'], 'int', WideCharToMultiByte),
  lstrlenA: fn('stdcall', ['ptr'], 'int', (p, s) => lstrlen(p, s, false)),
  lstrlenW: fn('stdcall', ['ptr'], 'int', (p, s) => lstrlen(p, s, true)),
};
