// Fiber-local storage (FlsAlloc & co.; without fibers, one set of values per thread) and pointer encoding
// (EncodePointer & co.).
import { randomBytes } from 'node:crypto';
import { fn } from '../spec.js';
import { stateKey, type GuestThread, type Process } from '../process.js';
import { ERROR } from '../win32.js';
import { isOwnProcess } from './process-info.js';

/** Windows 10 has 4080 FLS slots (the SDK's FLS_MAXIMUM_AVAILABLE says 128, from Vista's days). */
export const FLS_MAXIMUM_AVAILABLE = 4080;
export const FLS_OUT_OF_INDEXES = 0xffff_ffff;

interface FlsState {
  /** Slot -> its callback (0: none); undefined: free. */
  slots: (number | undefined)[];
  /** Thread id -> slot -> value. */
  values: Map<number, Map<number, number>>;
}

const flsState = stateKey<FlsState>('kernel32.fls', (p) => {
  p.threadExitHooks.push((t) => flsThreadExit(p, t));
  return { slots: [], values: new Map() };
});

function valuesOf(p: Process, t: GuestThread = p.currentThread): Map<number, number> {
  const s = p.state(flsState);
  let v = s.values.get(t.id);
  if (!v) {
    v = new Map();
    s.values.set(t.id, v);
  }
  return v;
}

export function FlsAlloc(p: Process, callback: number): number {
  const s = p.state(flsState);
  let i = s.slots.indexOf(undefined);
  if (i < 0) i = s.slots.length;
  if (i >= FLS_MAXIMUM_AVAILABLE) {
    p.setLastError(ERROR.NO_MORE_ITEMS);
    return FLS_OUT_OF_INDEXES;
  }
  s.slots[i] = callback;
  for (const v of s.values.values()) v.delete(i);
  return i;
}

const allocated = (p: Process, i: number) => i < FLS_MAXIMUM_AVAILABLE && p.state(flsState).slots[i] !== undefined;

/** Clears the last error on success, so a stored 0 can be told from a failure. */
export function FlsGetValue(p: Process, i: number): number {
  if (!allocated(p, i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  p.setLastError(ERROR.SUCCESS);
  return valuesOf(p).get(i) ?? 0;
}

export function FlsSetValue(p: Process, i: number, value: number): boolean {
  if (!allocated(p, i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  valuesOf(p).set(i, value);
  return true;
}

/** Frees a slot; its callback runs first for every thread whose value in it is not NULL. */
export function FlsFree(p: Process, i: number): boolean {
  if (!allocated(p, i)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const s = p.state(flsState);
  const callback = s.slots[i]!;
  for (const v of s.values.values()) {
    const value = v.get(i) ?? 0;
    v.delete(i);
    if (callback && value) p.callGuest(callback, 'stdcall', [value]);
  }
  s.slots[i] = undefined;
  return true;
}

/** A thread is ending: the callbacks of its non-NULL slots run (lowest slot first), then its values go. */
export function flsThreadExit(p: Process, t: GuestThread): void {
  const s = p.state(flsState);
  const v = s.values.get(t.id);
  if (!v) return;
  for (const i of [...v.keys()].sort((a, b) => a - b)) {
    const value = v.get(i) ?? 0;
    v.delete(i);
    const callback = s.slots[i];
    if (callback && value) p.callGuest(callback, 'stdcall', [value]);
  }
  s.values.delete(t.id);
}

/** IsThreadAFiber: no thread is converted to a fiber. */
export function IsThreadAFiber(_p: Process): boolean {
  return false;
}

// ---- pointer encoding --------------------------------------------------------------------------

interface Cookies {
  process: number;
  system: number;
}

/** A random cookie whose low five bits (the rotation) are never 0: encoding always XORs and rotates. */
function cookie(): number {
  const c = randomBytes(4).readUInt32LE(0);
  return (c & 0x1f ? c : c | 0x11) >>> 0;
}

// The system cookie belongs to the machine (every guest process of this host shares it); the process
// cookie is per guest process.
const systemCookie = cookie();
const cookies = stateKey<Cookies>('kernel32.cookies', () => ({ process: cookie(), system: systemCookie }));

const rotr = (v: number, n: number) => ((v >>> n) | (v << (32 - n))) >>> 0;
const rotl = (v: number, n: number) => ((v << n) | (v >>> (32 - n))) >>> 0;

/** XOR with the cookie, then rotate right by the cookie's low five bits. */
export function encode(ptr: number, c: number): number {
  return rotr((ptr ^ c) >>> 0, c & 0x1f);
}
export function decode(ptr: number, c: number): number {
  return (rotl(ptr >>> 0, c & 0x1f) ^ c) >>> 0;
}

export function EncodePointer(p: Process, ptr: number): number {
  return encode(ptr, p.state(cookies).process);
}
export function DecodePointer(p: Process, ptr: number): number {
  return decode(ptr, p.state(cookies).process);
}
export function EncodeSystemPointer(p: Process, ptr: number): number {
  return encode(ptr, p.state(cookies).system);
}
export function DecodeSystemPointer(p: Process, ptr: number): number {
  return decode(ptr, p.state(cookies).system);
}

const S_OK = 0;
const E_INVALIDARG = 0x8007_0057;

/** Encode/DecodeRemotePointer: only this process can be named (its pseudo-handle or its id). */
export function RemotePointer(p: Process, hProcess: number, ptr: number, out: number, dir: 'encode' | 'decode'): number {
  if (!isOwnProcess(p, hProcess)) return E_INVALIDARG;
  if (!out) return E_INVALIDARG;
  p.mem.setU32(out, dir === 'encode' ? EncodePointer(p, ptr) : DecodePointer(p, ptr));
  return S_OK;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const flsApi = {
  DecodePointer: fn('stdcall', ['ptr'], 'ptr', DecodePointer, { quiet: true }),
  DecodeRemotePointer: fn('stdcall', ['long', 'ptr', 'ptr'], 'long', (p, h, v, o) => RemotePointer(p, h, v, o, 'decode')),
  DecodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', DecodeSystemPointer),
  EncodePointer: fn('stdcall', ['ptr'], 'ptr', EncodePointer, { quiet: true }),
  EncodeRemotePointer: fn('stdcall', ['long', 'ptr', 'ptr'], 'long', (p, h, v, o) => RemotePointer(p, h, v, o, 'encode')),
  EncodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', EncodeSystemPointer),
  FlsAlloc: fn('stdcall', ['ptr'], 'long', FlsAlloc),
  FlsFree: fn('stdcall', ['long'], 'bool', FlsFree, { reentrant: true }),
  FlsGetValue: fn('stdcall', ['long'], 'ptr', FlsGetValue, { quiet: true }),
  FlsSetValue: fn('stdcall', ['long', 'ptr'], 'bool', FlsSetValue, { quiet: true }),
  IsThreadAFiber: fn('stdcall', [], 'bool', IsThreadAFiber),
};
