// Critical sections, slim reader/writer locks, condition variables, one-time initialization,
// WaitOnAddress and interlocked operations. A thread that must wait is parked in the scheduler.
// The RTL_CRITICAL_SECTION fields are kept as Windows keeps them, because guest code and CRTs read them.

import { stateKey, TEB, type GuestThread, type Process } from '../process.js';
import { fn, NO_RETURN, type Export } from '../spec.js';
import { ERROR } from '../win32.js';

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

/** Takes a free (or own) critical section with `times` recursion levels; false when another thread owns it. */
function tryTake(p: Process, cs: number, t: GuestThread, times = 1): boolean {
  const m = p.mem;
  const owner = m.u32(cs + CS.owningThread);
  if (owner !== 0 && owner !== t.id) return false;
  m.setU32(cs + CS.lockCount, m.i32(cs + CS.lockCount) + times);
  m.setU32(cs + CS.owningThread, t.id);
  m.setU32(cs + CS.recursionCount, (owner === t.id ? m.u32(cs + CS.recursionCount) : 0) + times);
  return true;
}

export function EnterCriticalSection(p: Process, cs: number): void | typeof NO_RETURN {
  const t = p.currentThread;
  if (tryTake(p, cs, t)) return;
  // Contended: wait until the owner leaves it.
  const r = p.scheduler.block({ poll: () => (tryTake(p, cs, t) ? 0 : undefined), deadline: undefined, timeoutResult: 0, what: `critical section 0x${cs.toString(16)}` }, 4);
  return r === NO_RETURN ? NO_RETURN : undefined;
}

export function TryEnterCriticalSection(p: Process, cs: number): boolean {
  return tryTake(p, cs, p.currentThread);
}

export function LeaveCriticalSection(p: Process, cs: number): void {
  const m = p.mem;
  const rec = m.u32(cs + CS.recursionCount);
  if (rec === 0 || m.u32(cs + CS.owningThread) !== p.currentThread.id) return; // not ours: Windows corrupts it; we stay consistent
  m.setU32(cs + CS.lockCount, m.i32(cs + CS.lockCount) - 1);
  if (rec === 1) m.setU32(cs + CS.owningThread, 0);
  m.setU32(cs + CS.recursionCount, rec - 1);
}

export function SetCriticalSectionSpinCount(p: Process, cs: number, spin: number): number {
  const old = p.mem.u32(cs + CS.spinCount);
  p.mem.setU32(cs + CS.spinCount, spin & 0x00ff_ffff);
  return old;
}

// ---- slim reader/writer locks -------------------------------------------------------------------

interface SrwState {
  exclusive: GuestThread | undefined;
  shared: number;
}
const srwLocks = stateKey('kernel32.srw', () => new Map<number, SrwState>());

function srw(p: Process, lock: number): SrwState {
  const map = p.state(srwLocks);
  let s = map.get(lock);
  if (!s) map.set(lock, (s = { exclusive: undefined, shared: 0 }));
  return s;
}

/** The lock word guest code sees: 0 when free (SRWLOCK_INIT), non-zero while held. */
function syncSrwWord(p: Process, lock: number, s: SrwState): void {
  p.mem.setU32(lock, s.exclusive ? 1 : s.shared ? (s.shared << 4) | 2 : 0);
}

function takeExclusive(p: Process, lock: number, t: GuestThread): boolean {
  const s = srw(p, lock);
  if (s.exclusive || s.shared) return false;
  s.exclusive = t;
  syncSrwWord(p, lock, s);
  return true;
}

function takeShared(p: Process, lock: number): boolean {
  const s = srw(p, lock);
  if (s.exclusive) return false;
  s.shared++;
  syncSrwWord(p, lock, s);
  return true;
}

function AcquireSRWLockExclusive(p: Process, lock: number): void | typeof NO_RETURN {
  const t = p.currentThread;
  if (takeExclusive(p, lock, t)) return;
  const r = p.scheduler.block({ poll: () => (takeExclusive(p, lock, t) ? 0 : undefined), deadline: undefined, timeoutResult: 0, what: `SRW lock 0x${lock.toString(16)} (exclusive)` }, 4);
  return r === NO_RETURN ? NO_RETURN : undefined;
}

function AcquireSRWLockShared(p: Process, lock: number): void | typeof NO_RETURN {
  if (takeShared(p, lock)) return;
  const r = p.scheduler.block({ poll: () => (takeShared(p, lock) ? 0 : undefined), deadline: undefined, timeoutResult: 0, what: `SRW lock 0x${lock.toString(16)} (shared)` }, 4);
  return r === NO_RETURN ? NO_RETURN : undefined;
}

function ReleaseSRWLockExclusive(p: Process, lock: number): void {
  const s = srw(p, lock);
  if (s.exclusive === p.currentThread) s.exclusive = undefined;
  syncSrwWord(p, lock, s);
}

function ReleaseSRWLockShared(p: Process, lock: number): void {
  const s = srw(p, lock);
  if (s.shared > 0) s.shared--;
  syncSrwWord(p, lock, s);
}

// ---- condition variables -----------------------------------------------------------------------

interface Sleeper {
  woken: boolean;
}
const conditionVariables = stateKey('kernel32.cv', () => new Map<number, Sleeper[]>());

/**
 * Releases the lock, waits to be woken (or the timeout), then takes the lock again before returning:
 * TRUE when woken, FALSE with ERROR_TIMEOUT when the time ran out.
 */
function sleepOnCondition(p: Process, cv: number, ms: number, pops: number, lock: { release(): () => boolean }): number | typeof NO_RETURN {
  const t = p.currentThread;
  const retake = lock.release();
  const me: Sleeper = { woken: false };
  const sleepers = p.state(conditionVariables);
  sleepers.set(cv, [...(sleepers.get(cv) ?? []), me]);
  const deadline = ms === 0xffff_ffff ? undefined : performance.now() + ms;
  let timedOut = false;
  const poll = () => {
    if (!me.woken && deadline !== undefined && performance.now() >= deadline) {
      timedOut = true;
      me.woken = true;
      sleepers.set(cv, (sleepers.get(cv) ?? []).filter((s) => s !== me));
    }
    if (!me.woken || !retake()) return undefined;
    if (timedOut) p.mem.setU32(t.teb + TEB.lastErrorValue, ERROR.TIMEOUT);
    return timedOut ? 0 : 1;
  };
  return p.scheduler.block({ poll, deadline, timeoutResult: 0, selfTimed: true, what: `condition variable 0x${cv.toString(16)}` }, pops);
}

function SleepConditionVariableCS(p: Process, cv: number, cs: number, ms: number): number | typeof NO_RETURN {
  const t = p.currentThread;
  return sleepOnCondition(p, cv, ms, 12, {
    release() {
      // Leave every recursion level, and take them all back afterwards.
      const levels = p.mem.u32(cs + CS.recursionCount);
      for (let i = 0; i < levels; i++) LeaveCriticalSection(p, cs);
      return () => tryTake(p, cs, t, Math.max(levels, 1));
    },
  });
}

const CONDITION_VARIABLE_LOCKMODE_SHARED = 1;
function SleepConditionVariableSRW(p: Process, cv: number, lock: number, ms: number, flags: number): number | typeof NO_RETURN {
  const t = p.currentThread;
  const shared = (flags & CONDITION_VARIABLE_LOCKMODE_SHARED) !== 0;
  return sleepOnCondition(p, cv, ms, 16, {
    release() {
      if (shared) ReleaseSRWLockShared(p, lock);
      else ReleaseSRWLockExclusive(p, lock);
      return () => (shared ? takeShared(p, lock) : takeExclusive(p, lock, t));
    },
  });
}

function WakeConditionVariable(p: Process, cv: number): void {
  const sleepers = p.state(conditionVariables);
  const list = sleepers.get(cv) ?? [];
  const first = list.shift();
  if (first) first.woken = true;
  sleepers.set(cv, list);
}

function WakeAllConditionVariable(p: Process, cv: number): void {
  const sleepers = p.state(conditionVariables);
  for (const s of sleepers.get(cv) ?? []) s.woken = true;
  sleepers.delete(cv);
}

// ---- one-time initialization --------------------------------------------------------------------

// INIT_ONCE (pointer-sized): 0 not done, 1 in progress, (context | 2) done.
const INIT_ONCE_CHECK_ONLY = 1;
const INIT_ONCE_ASYNC = 2;
const INIT_ONCE_INIT_FAILED = 4;
const onceOwners = stateKey('kernel32.initonce', () => new Map<number, GuestThread>());

/** Waits while another thread runs the initialization (it either completes or fails it). */
function awaitOnce(p: Process, once: number, pops: number, then: () => number): number | typeof NO_RETURN {
  const owner = p.state(onceOwners).get(once);
  if ((p.mem.u32(once) & 3) !== 1 || owner === p.currentThread) return then();
  return p.scheduler.block({ poll: () => ((p.mem.u32(once) & 3) === 1 ? undefined : then()), deadline: undefined, timeoutResult: 0, what: `INIT_ONCE 0x${once.toString(16)}` }, pops);
}

function InitOnceExecuteOnce(p: Process, once: number, callback: number, param: number, context: number): number | typeof NO_RETURN {
  return awaitOnce(p, once, 16, () => {
    const m = p.mem;
    const v = m.u32(once);
    if ((v & 3) === 2) {
      if (context) m.setU32(context, v & ~3);
      return 1;
    }
    m.setU32(once, 1);
    p.state(onceOwners).set(once, p.currentThread);
    const out = ((p.cpu.esp - 64) & ~15) >>> 0;
    m.setU32(out, 0);
    const ok = p.callGuest(callback, 'stdcall', [once, param, out], { stackTop: (out - 16) >>> 0 }) !== 0;
    p.state(onceOwners).delete(once);
    if (!ok) {
      m.setU32(once, 0);
      return 0;
    }
    const ctx = m.u32(out);
    m.setU32(once, (ctx & ~3) | 2);
    if (context) m.setU32(context, ctx & ~3);
    return 1;
  });
}

function InitOnceBeginInitialize(p: Process, once: number, flags: number, pending: number, context: number): number | typeof NO_RETURN {
  const m = p.mem;
  if (flags & ~(INIT_ONCE_CHECK_ONLY | INIT_ONCE_ASYNC) || !pending) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const v = m.u32(once);
  if ((v & 3) === 2) {
    m.setU32(pending, 0);
    if (context) m.setU32(context, v & ~3);
    return 1;
  }
  if (flags & INIT_ONCE_CHECK_ONLY) {
    p.setLastError(ERROR.GEN_FAILURE);
    return 0;
  }
  return awaitOnce(p, once, 16, () => {
    const w = m.u32(once);
    if ((w & 3) === 2) {
      m.setU32(pending, 0);
      if (context) m.setU32(context, w & ~3);
      return 1;
    }
    m.setU32(once, 1);
    p.state(onceOwners).set(once, p.currentThread);
    m.setU32(pending, 1);
    return 1;
  });
}

function InitOnceComplete(p: Process, once: number, flags: number, context: number): boolean {
  const m = p.mem;
  if ((m.u32(once) & 3) !== 1) {
    p.setLastError(ERROR.GEN_FAILURE);
    return false;
  }
  p.state(onceOwners).delete(once);
  if (flags & INIT_ONCE_INIT_FAILED) m.setU32(once, 0);
  else m.setU32(once, (context & ~3) | 2);
  return true;
}

// ---- WaitOnAddress ------------------------------------------------------------------------------

/** Returns once the value at `addr` differs from the one at `compare` (a wake may come early: allowed). */
function WaitOnAddress(p: Process, addr: number, compare: number, size: number, ms: number): number | typeof NO_RETURN {
  if (![1, 2, 4, 8].includes(size)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const t = p.currentThread;
  const expected = p.mem.read(compare, size);
  const changed = () => p.mem.read(addr, size).some((b, i) => b !== expected[i]);
  const deadline = ms === 0xffff_ffff ? undefined : performance.now() + ms;
  return p.scheduler.block(
    {
      poll: () => (changed() ? 1 : undefined),
      deadline,
      timeoutResult: 0,
      what: `address 0x${addr.toString(16)}`,
      onTimeout: () => p.mem.setU32(t.teb + TEB.lastErrorValue, ERROR.TIMEOUT),
    },
    16,
  );
}

// ---- interlocked operations: atomic on one CPU by construction -----------------------------------

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
export const syncApi: Record<string, Export> = {
  AcquireSRWLockExclusive: fn('stdcall', ['ptr'], 'void', AcquireSRWLockExclusive),
  AcquireSRWLockShared: fn('stdcall', ['ptr'], 'void', AcquireSRWLockShared),
  DeleteCriticalSection: fn('stdcall', ['ptr'], 'void', DeleteCriticalSection),
  EnterCriticalSection: fn('stdcall', ['ptr'], 'void', EnterCriticalSection, { quiet: true }),
  InitOnceBeginInitialize: fn('stdcall', ['ptr', 'long', 'ptr', 'ptr'], 'bool', InitOnceBeginInitialize),
  InitOnceComplete: fn('stdcall', ['ptr', 'long', 'ptr'], 'bool', InitOnceComplete),
  InitOnceExecuteOnce: fn('stdcall', ['ptr', 'ptr', 'ptr', 'ptr'], 'bool', InitOnceExecuteOnce, { reentrant: true }),
  InitOnceInitialize: fn('stdcall', ['ptr'], 'void', (p, once) => p.mem.setU32(once, 0)),
  InitializeConditionVariable: fn('stdcall', ['ptr'], 'void', (p, cv) => p.mem.setU32(cv, 0)),
  InitializeCriticalSection: fn('stdcall', ['ptr'], 'void', (p, cs) => void InitializeCriticalSection(p, cs, 0)),
  InitializeCriticalSectionAndSpinCount: fn('stdcall', ['ptr', 'long'], 'bool', InitializeCriticalSection),
  InitializeCriticalSectionEx: fn('stdcall', ['ptr', 'long', 'long'], 'bool', (p, cs, spin, _flags) => InitializeCriticalSection(p, cs, spin)),
  InitializeSRWLock: fn('stdcall', ['ptr'], 'void', (p, lock) => {
    p.state(srwLocks).delete(lock);
    p.mem.setU32(lock, 0);
  }),
  InterlockedCompareExchange: fn('stdcall', ['ptr', 'long', 'long'], 'long', InterlockedCompareExchange),
  InterlockedDecrement: fn('stdcall', ['ptr'], 'long', InterlockedDecrement),
  InterlockedExchange: fn('stdcall', ['ptr', 'long'], 'long', InterlockedExchange),
  InterlockedExchangeAdd: fn('stdcall', ['ptr', 'long'], 'long', InterlockedExchangeAdd),
  InterlockedIncrement: fn('stdcall', ['ptr'], 'long', InterlockedIncrement),
  LeaveCriticalSection: fn('stdcall', ['ptr'], 'void', LeaveCriticalSection, { quiet: true }),
  ReleaseSRWLockExclusive: fn('stdcall', ['ptr'], 'void', ReleaseSRWLockExclusive),
  ReleaseSRWLockShared: fn('stdcall', ['ptr'], 'void', ReleaseSRWLockShared),
  SetCriticalSectionSpinCount: fn('stdcall', ['ptr', 'long'], 'long', SetCriticalSectionSpinCount),
  SleepConditionVariableCS: fn('stdcall', ['ptr', 'ptr', 'long'], 'bool', SleepConditionVariableCS),
  SleepConditionVariableSRW: fn('stdcall', ['ptr', 'ptr', 'long', 'long'], 'bool', SleepConditionVariableSRW),
  TryAcquireSRWLockExclusive: fn('stdcall', ['ptr'], 'bool', (p, lock) => takeExclusive(p, lock, p.currentThread)),
  TryAcquireSRWLockShared: fn('stdcall', ['ptr'], 'bool', (p, lock) => takeShared(p, lock)),
  TryEnterCriticalSection: fn('stdcall', ['ptr'], 'bool', TryEnterCriticalSection),
  WaitOnAddress: fn('stdcall', ['ptr', 'ptr', 'long', 'long'], 'bool', WaitOnAddress),
  WakeAllConditionVariable: fn('stdcall', ['ptr'], 'void', WakeAllConditionVariable),
  WakeByAddressAll: fn('stdcall', ['ptr'], 'void', (_p, _addr) => {}),
  WakeByAddressSingle: fn('stdcall', ['ptr'], 'void', (_p, _addr) => {}),
  WakeConditionVariable: fn('stdcall', ['ptr'], 'void', WakeConditionVariable),
};
