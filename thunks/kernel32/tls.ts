// Thread-local storage slots (TlsAlloc & co.).
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { ERROR } from '../win32.js';

export function TlsAlloc(p: Process): number {
  const i = p.tlsAlloc();
  if (i === 0xffff_ffff) p.setLastError(ERROR.NO_MORE_ITEMS);
  return i;
}

export function TlsFree(p: Process, i: number): boolean {
  if (!p.tlsFree(i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  return true;
}

/**
 * Clears the last error on success, as Windows documents, so a stored 0 can be told from failure. Like
 * TlsSetValue it checks only the range of the index ("minimal parameter validation", for speed): a slot
 * that is not allocated reads as 0, its value since TlsFree.
 */
export function TlsGetValue(p: Process, i: number): number {
  if (!p.tlsInRange(i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  p.setLastError(ERROR.SUCCESS);
  return p.tlsGet(i);
}

export function TlsSetValue(p: Process, i: number, v: number): boolean {
  if (!p.tlsInRange(i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.tlsSet(i, v);
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const tlsApi = {
  TlsAlloc: fn('stdcall', [], 'long', TlsAlloc),
  TlsFree: fn('stdcall', ['long'], 'bool', TlsFree),
  TlsGetValue: fn('stdcall', ['long'], 'long', TlsGetValue, { quiet: true }),
  TlsSetValue: fn('stdcall', ['long', 'long'], 'bool', TlsSetValue, { quiet: true }),
};
