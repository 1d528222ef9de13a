// Text between JS strings and guest memory: the ANSI code page (1252, as a Western Windows uses), the
// OEM code page 437, UTF-8, and UTF-16LE for the W functions.

import type { GuestMemory } from '../emulator/memory.js';

// Windows-1252 bytes 0x80-0x9F; undefined slots (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls
// of the same value, as MultiByteToWideChar does.
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

export type CodePage = 1252 | 437 | 65001;

const toUnicode = new Map<CodePage, Uint16Array>();
const fromUnicode = new Map<CodePage, Map<number, number>>();

function table(cp: 1252 | 437): Uint16Array {
  let t = toUnicode.get(cp);
  if (!t) {
    t = new Uint16Array(256);
    for (let i = 0; i < 128; i++) t[i] = i;
    for (let i = 128; i < 256; i++) t[i] = cp === 1252 ? (i < 0xa0 ? CP1252_HIGH[i - 0x80]! : i) : CP437_HIGH.charCodeAt(i - 128);
    toUnicode.set(cp, t);
    fromUnicode.set(cp, new Map([...t].map((u, b) => [u, b])));
  }
  return t;
}

export function decodeBytes(bytes: Uint8Array, cp: CodePage = 1252): string {
  if (cp === 65001) return new TextDecoder('utf-8').decode(bytes);
  const t = table(cp);
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...Array.from(bytes.subarray(i, i + 4096), (b) => t[b]!));
  }
  return s;
}

/** Encodes to a code page; characters it lacks become `?` (the default character), as Windows does. */
export function encodeString(s: string, cp: CodePage = 1252): { bytes: Uint8Array; lossy: boolean } {
  if (cp === 65001) return { bytes: new TextEncoder().encode(s), lossy: false };
  table(cp);
  const map = fromUnicode.get(cp)!;
  const out = new Uint8Array(s.length);
  let lossy = false;
  for (let i = 0; i < s.length; i++) {
    const b = map.get(s.charCodeAt(i));
    if (b === undefined) lossy = true;
    out[i] = b ?? 0x3f;
  }
  return { bytes: out, lossy };
}

export function decodeUtf16(units: Uint16Array): string {
  let s = '';
  for (let i = 0; i < units.length; i += 4096) s += String.fromCharCode(...units.subarray(i, i + 4096));
  return s;
}

export function encodeUtf16(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** A NUL-terminated ANSI string at `addr`, or null for a NULL pointer. */
export function readAnsi(mem: GuestMemory, addr: number, cp: CodePage = 1252): string | null {
  return addr === 0 ? null : decodeBytes(mem.readCBytes(addr), cp);
}

/** A NUL-terminated UTF-16 string at `addr`, or null for a NULL pointer. */
export function readWide(mem: GuestMemory, addr: number): string | null {
  return addr === 0 ? null : decodeUtf16(mem.readWUnits(addr));
}

/** Writes `s` and a NUL; returns the bytes written without the NUL. */
export function writeAnsi(mem: GuestMemory, addr: number, s: string, cp: CodePage = 1252): number {
  const { bytes } = encodeString(s, cp);
  mem.write(addr, bytes);
  mem.setU8(addr + bytes.length, 0);
  return bytes.length;
}

/** Writes `s` and a NUL as UTF-16; returns the code units written without the NUL. */
export function writeWide(mem: GuestMemory, addr: number, s: string): number {
  mem.write(addr, encodeUtf16(s));
  mem.setU16(addr + 2 * s.length, 0);
  return s.length;
}
