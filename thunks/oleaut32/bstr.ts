// BSTRs: UTF-16 strings on the process heap with their length in bytes in the 4 bytes before the first
// character and a NUL after the last; a BSTR may contain NULs. NULL is a valid, empty BSTR.

import { fn } from '../spec.js';
import type { Process } from '../process.js';

/** Longest string a BSTR can hold, in bytes (its length prefix is a 32-bit count; keep it positive). */
const MAX_BYTES = 0x7fff_fff0;

/** A new BSTR of `bytes` bytes, copying from `src` if given (else zeroed); 0 when out of memory. */
export function allocBstr(p: Process, src: number, bytes: number): number {
  if (bytes < 0 || bytes > MAX_BYTES) return 0;
  const block = p.heap.alloc(4 + bytes + 2, src === 0);
  if (block === 0) return 0;
  p.mem.setU32(block, bytes);
  if (src !== 0 && bytes > 0) p.mem.write(block + 4, p.mem.read(src, bytes));
  // The terminator: a wide NUL (for an odd byte count, the byte after the data is 0 as well).
  p.mem.setU8(block + 4 + bytes, 0);
  p.mem.setU8(block + 4 + bytes + 1, 0);
  return block + 4;
}

export function SysFreeString(p: Process, bstr: number): void {
  if (bstr !== 0) p.heap.free(bstr - 4);
}

function SysAllocString(p: Process, psz: number): number {
  if (psz === 0) return 0;
  return allocBstr(p, psz, 2 * p.mem.readWUnits(psz).length);
}

function SysStringByteLen(p: Process, bstr: number): number {
  return bstr === 0 ? 0 : p.mem.u32(bstr - 4);
}

/** SysReAllocStringLen: a new BSTR of `len` characters (from psz, which may lie in the old one) replaces *pbstr. */
function SysReAllocStringLen(p: Process, pbstr: number, psz: number, len: number): number {
  const fresh = allocBstr(p, psz, 2 * len);
  if (fresh === 0) return 0;
  SysFreeString(p, p.mem.u32(pbstr));
  p.mem.setU32(pbstr, fresh);
  return 1;
}

function SysReAllocString(p: Process, pbstr: number, psz: number): number {
  return SysReAllocStringLen(p, pbstr, psz, psz === 0 ? 0 : p.mem.readWUnits(psz).length);
}

/** oleaut32 exports of this area (ordinals: the fixed ones of oleaut32.dll, which is often imported by ordinal). */
export const bstrApi = {
  SysAllocString: fn('stdcall', ['ptr'], 'ptr', SysAllocString, { ordinal: 2 }),
  SysReAllocString: fn('stdcall', ['ptr', 'ptr'], 'int', SysReAllocString, { ordinal: 3 }),
  SysAllocStringLen: fn('stdcall', ['ptr', 'long'], 'ptr', (p, s, n) => allocBstr(p, s, 2 * n), { ordinal: 4 }),
  SysReAllocStringLen: fn('stdcall', ['ptr', 'ptr', 'long'], 'int', SysReAllocStringLen, { ordinal: 5 }),
  SysFreeString: fn('stdcall', ['ptr'], 'void', SysFreeString, { ordinal: 6 }),
  SysStringLen: fn('stdcall', ['ptr'], 'long', (p, b) => Math.floor(SysStringByteLen(p, b) / 2), { ordinal: 7 }),
  SysStringByteLen: fn('stdcall', ['ptr'], 'long', SysStringByteLen, { ordinal: 149 }),
  SysAllocStringByteLen: fn('stdcall', ['ptr', 'long'], 'ptr', allocBstr, { ordinal: 150 }),
};
