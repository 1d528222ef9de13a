// Code-page conversions and string helpers of kernel32.
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, decodeUtf16, encodeString, type CodePage } from '../text.js';
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
    const r = encodeString(text, page);
    bytes = r.bytes;
    if (r.lossy && defaultChar) {
      const d = p.mem.u8(defaultChar);
      const fallback = encodeString(text, page);
      for (let i = 0; i < text.length; i++) if (fallback.bytes[i] === 0x3f && text[i] !== '?') bytes[i] = d;
    }
    if (usedDefault) p.mem.setU32(usedDefault, r.lossy ? 1 : 0);
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

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const textApi = {
  IsDBCSLeadByte: fn('stdcall', ['long'], 'bool', (p, b) => IsDBCSLeadByteEx(p, 0, b)),
  IsDBCSLeadByteEx: fn('stdcall', ['long', 'long'], 'bool', IsDBCSLeadByteEx),
  MultiByteToWideChar: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', MultiByteToWideChar),
  WideCharToMultiByte: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int', 'ptr', 'ptr'], 'int', WideCharToMultiByte),
  lstrlenA: fn('stdcall', ['ptr'], 'int', (p, s) => (s ? p.mem.readCBytes(s).length : 0)),
  lstrlenW: fn('stdcall', ['ptr'], 'int', (p, s) => (s ? p.mem.readWUnits(s).length : 0)),
};
