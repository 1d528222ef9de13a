// GUIDs: CoCreateGuid (random, version 4) and the text form "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}"
// (StringFromGUID2, StringFromCLSID/IID, CLSIDFromString, IIDFromString). A GUID in memory is Data1
// (u32), Data2 and Data3 (u16, little-endian), then the 8 bytes of Data4 as they are.

import { randomBytes } from 'node:crypto';
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { writeWide } from '../text.js';
import { HR } from './hresult.js';

/** The lower-case text of a GUID in memory, without braces. */
export function readGuid(p: Process, addr: number): string {
  return guidText(p.mem.read(addr, 16)).toLowerCase();
}

export function guidEquals(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** 16 bytes -> "XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX" (upper case, as StringFromGUID2 writes). */
export function guidText(b: Uint8Array): string {
  const hex = (from: number, to: number, reverse: boolean) => {
    const bytes = Array.from(b.subarray(from, to));
    return (reverse ? bytes.reverse() : bytes).map((x) => x.toString(16).padStart(2, '0')).join('').toUpperCase();
  };
  return `${hex(0, 4, true)}-${hex(4, 6, true)}-${hex(6, 8, true)}-${hex(8, 10, false)}-${hex(10, 16, false)}`;
}

/** "{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}" -> 16 bytes, or undefined. */
export function parseGuid(s: string): Uint8Array | undefined {
  const m = /^\{([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}$/.exec(s);
  if (!m) return undefined;
  const b = new Uint8Array(16);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, parseInt(m[1]!, 16), true);
  dv.setUint16(4, parseInt(m[2]!, 16), true);
  dv.setUint16(6, parseInt(m[3]!, 16), true);
  const rest = m[4]! + m[5]!;
  for (let i = 0; i < 8; i++) b[8 + i] = parseInt(rest.slice(2 * i, 2 * i + 2), 16);
  return b;
}

function CoCreateGuid(p: Process, pguid: number): number {
  if (pguid === 0) return HR.E_INVALIDARG;
  const b = randomBytes(16);
  b[7] = (b[7]! & 0x0f) | 0x40; // version 4: the high nibble of Data3
  b[8] = (b[8]! & 0x3f) | 0x80; // the RFC 4122 variant
  p.mem.write(pguid, b);
  return HR.S_OK;
}

/** StringFromGUID2: the 38 characters and a NUL; returns 39, or 0 when cchMax is too small. */
function StringFromGUID2(p: Process, rguid: number, lpsz: number, cchMax: number): number {
  if ((cchMax | 0) < 39) return 0;
  const text = `{${guidText(p.mem.read(rguid, 16))}}`;
  writeWide(p.mem, lpsz, text);
  return 39;
}

/** StringFromCLSID/StringFromIID: the text in a CoTaskMemAlloc block the caller frees. */
function StringFromCLSID(p: Process, rclsid: number, lplpsz: number): number {
  const block = p.heap.alloc(78); // CoTaskMemAlloc: the process heap
  if (block === 0) return HR.E_OUTOFMEMORY;
  StringFromGUID2(p, rclsid, block, 39);
  p.mem.setU32(lplpsz, block);
  return HR.S_OK;
}

/**
 * CLSIDFromString: NULL is CLSID_NULL; "{...}" is parsed; anything else would be a ProgID, and no
 * ProgID is registered. Failures give CO_E_CLASSSTRING and CLSID_NULL.
 */
function CLSIDFromString(p: Process, lpsz: string | null, pclsid: number): number {
  if (pclsid === 0) return HR.E_INVALIDARG;
  const b = lpsz === null ? new Uint8Array(16) : parseGuid(lpsz);
  p.mem.write(pclsid, b ?? new Uint8Array(16));
  return b ? HR.S_OK : HR.CO_E_CLASSSTRING;
}

/** IIDFromString: NULL is IID_NULL; anything but "{...}" is E_INVALIDARG. */
function IIDFromString(p: Process, lpsz: string | null, lpiid: number): number {
  if (lpiid === 0) return HR.E_INVALIDARG;
  const b = lpsz === null ? new Uint8Array(16) : parseGuid(lpsz);
  if (!b) return HR.E_INVALIDARG;
  p.mem.write(lpiid, b);
  return HR.S_OK;
}

function CLSIDFromProgID(p: Process, progId: string | null, pclsid: number): number {
  if (progId === null || pclsid === 0) return HR.E_INVALIDARG;
  p.mem.write(pclsid, new Uint8Array(16));
  return HR.CO_E_CLASSSTRING; // no ProgID is registered
}

/** ole32 exports of this area (the DLL table is their union, see thunks/ole32.ts). */
export const guidApi = {
  CLSIDFromProgID: fn('stdcall', ['wstr', 'ptr'], 'long', CLSIDFromProgID),
  CLSIDFromString: fn('stdcall', ['wstr', 'ptr'], 'long', CLSIDFromString),
  CoCreateGuid: fn('stdcall', ['ptr'], 'long', CoCreateGuid),
  IIDFromString: fn('stdcall', ['wstr', 'ptr'], 'long', IIDFromString),
  StringFromCLSID: fn('stdcall', ['ptr', 'ptr'], 'long', StringFromCLSID),
  StringFromGUID2: fn('stdcall', ['ptr', 'ptr', 'int'], 'int', StringFromGUID2),
  StringFromIID: fn('stdcall', ['ptr', 'ptr'], 'long', StringFromCLSID),
};
