// Critical sections and interlocked operations. One guest thread runs at a time, so a critical section
// is never contended; the RTL_CRITICAL_SECTION fields are still kept as Windows keeps them, because
// guest code (and CRTs) read them.
import { fn } from '../spec.js';
import type { Process } from '../process.js';

// RTL_CRITICAL_SECTION: DebugInfo, LockCount, RecursionCount, OwningThread, LockSemaphore, SpinCount.
const CS = { debugInfo: 0, lockCount: 4, recursionCount: 8, owningThread: 12, lockSemaphore: 16, spinCount: 20 } as const;

export function InitializeCriticalSection(p: Process, cs: number, spinCount: number): boolean {
  const m = p.mem;
  m.setU32(cs + CS.debugInfo, 0);
  m.setU32(cs + CS.lockCount, -1);
  m.setU32(cs + CS.recursionCount, 0);
  m.setU32(cs + CS.owningThread, 0);
  m.setU32(cs + CS.lockSemaphore, 0);
  m.setU32(cs + CS.spinCount, spinCount & 0x00ff_ffff);
  return true;
}

export function DeleteCriticalSection(p: Process, cs: number): void {
  p.mem.fill(cs, 0, 24);
}

export function EnterCriticalSection(p: Process, cs: number): void {
  const m = p.mem;
  const tid = p.currentThread.id;
  const owner = m.u32(cs + CS.owningThread);
  m.setU32(cs + CS.lockCount, m.i32(cs + CS.lockCount) + 1);
  if (owner === tid) {
    m.setU32(cs + CS.recursionCount, m.u32(cs + CS.recursionCount) + 1);
    return;
  }
  m.setU32(cs + CS.owningThread, tid);
  m.setU32(cs + CS.recursionCount, 1);
}

export function TryEnterCriticalSection(p: Process, cs: number): boolean {
  const owner = p.mem.u32(cs + CS.owningThread);
  if (owner !== 0 && owner !== p.currentThread.id) return false;
  EnterCriticalSection(p, cs);
  return true;
}

export function LeaveCriticalSection(p: Process, cs: number): void {
  const m = p.mem;
  const rec = m.u32(cs + CS.recursionCount);
  if (rec === 0) return; // leaving an unowned section: Windows corrupts it; we stay consistent
  m.setU32(cs + CS.lockCount, m.i32(cs + CS.lockCount) - 1);
  if (rec === 1) m.setU32(cs + CS.owningThread, 0);
  m.setU32(cs + CS.recursionCount, rec - 1);
}

export function SetCriticalSectionSpinCount(p: Process, cs: number, spin: number): number {
  const old = p.mem.u32(cs + CS.spinCount);
  p.mem.setU32(cs + CS.spinCount, spin & 0x00ff_ffff);
  return old;
}

// Interlocked*: atomic on a single CPU by construction.
export function InterlockedIncrement(p: Process, addr: number): number {
  const v = (p.mem.i32(addr) + 1) | 0;
  p.mem.setU32(addr, v);
  return v;
}
export function InterlockedDecrement(p: Process, addr: number): number {
  const v = (p.mem.i32(addr) - 1) | 0;
  p.mem.setU32(addr, v);
  return v;
}
export function InterlockedExchange(p: Process, addr: number, value: number): number {
  const old = p.mem.i32(addr);
  p.mem.setU32(addr, value);
  return old;
}
export function InterlockedExchangeAdd(p: Process, addr: number, value: number): number {
  const old = p.mem.i32(addr);
  p.mem.setU32(addr, (old + value) | 0);
  return old;
}
export function InterlockedCompareExchange(p: Process, addr: number, exchange: number, comparand: number): number {
  const old = p.mem.i32(addr);
  if (old === (comparand | 0)) p.mem.setU32(addr, exchange);
  return old;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const syncApi = {
  DeleteCriticalSection: fn('stdcall', ['ptr'], 'void', DeleteCriticalSection),
  EnterCriticalSection: fn('stdcall', ['ptr'], 'void', EnterCriticalSection, { quiet: true }),
  InitializeCriticalSection: fn('stdcall', ['ptr'], 'void', (p, cs) => void InitializeCriticalSection(p, cs, 0)),
  InitializeCriticalSectionAndSpinCount: fn('stdcall', ['ptr', 'long'], 'bool', (p, cs, spin) => InitializeCriticalSection(p, cs, spin)),
  InitializeCriticalSectionEx: fn('stdcall', ['ptr', 'long', 'long'], 'bool', (p, cs, spin, _flags) => InitializeCriticalSection(p, cs, spin)),
  InterlockedCompareExchange: fn('stdcall', ['ptr', 'long', 'long'], 'long', InterlockedCompareExchange),
  InterlockedDecrement: fn('stdcall', ['ptr'], 'long', InterlockedDecrement),
  InterlockedExchange: fn('stdcall', ['ptr', 'long'], 'long', InterlockedExchange),
  InterlockedExchangeAdd: fn('stdcall', ['ptr', 'long'], 'long', InterlockedExchangeAdd),
  InterlockedIncrement: fn('stdcall', ['ptr'], 'long', InterlockedIncrement),
  LeaveCriticalSection: fn('stdcall', ['ptr'], 'void', LeaveCriticalSection, { quiet: true }),
  SetCriticalSectionSpinCount: fn('stdcall', ['ptr', 'long'], 'long', SetCriticalSectionSpinCount),
  TryEnterCriticalSection: fn('stdcall', ['ptr'], 'bool', TryEnterCriticalSection),
};
