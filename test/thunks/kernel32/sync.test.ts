// Critical sections keep RTL_CRITICAL_SECTION's fields as Windows does (guest code and CRTs read them);
// the Interlocked functions.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** RTL_CRITICAL_SECTION: DebugInfo, LockCount, RecursionCount, OwningThread, LockSemaphore, SpinCount. */
function fields(cs: number) {
  return { LockCount: w.i32(cs + 4), RecursionCount: w.i32(cs + 8), OwningThread: w.u32(cs + 12), SpinCount: w.u32(cs + 20) };
}

describe('critical sections', () => {
  test('initialized free; entered recursively by one thread; left as often', () => {
    const cs = w.buf(24);
    w.cpu.mem.fill(cs, 0xcc, 24);
    w.k32('InitializeCriticalSection', cs);
    expect(fields(cs)).toEqual({ LockCount: -1, RecursionCount: 0, OwningThread: 0, SpinCount: 0 });
    expect(w.u32(cs)).toBe(0);
    const tid = w.k32('GetCurrentThreadId');
    w.k32('EnterCriticalSection', cs);
    expect(fields(cs)).toMatchObject({ RecursionCount: 1, OwningThread: tid });
    w.k32('EnterCriticalSection', cs);
    expect(w.k32('TryEnterCriticalSection', cs)).toBe(1); // the owner may re-enter
    expect(fields(cs)).toMatchObject({ RecursionCount: 3, OwningThread: tid });
    w.k32('LeaveCriticalSection', cs);
    w.k32('LeaveCriticalSection', cs);
    expect(fields(cs)).toMatchObject({ RecursionCount: 1, OwningThread: tid });
    w.k32('LeaveCriticalSection', cs);
    expect(fields(cs)).toEqual({ LockCount: -1, RecursionCount: 0, OwningThread: 0, SpinCount: 0 });
    // Leaving once more than entered leaves the section consistent.
    w.k32('LeaveCriticalSection', cs);
    expect(fields(cs)).toEqual({ LockCount: -1, RecursionCount: 0, OwningThread: 0, SpinCount: 0 });
  });

  test('owned by another thread: TryEnterCriticalSection fails', () => {
    const cs = w.buf(24);
    w.k32('InitializeCriticalSection', cs);
    w.cpu.mem.setU32(cs + 12, 0x9999); // OwningThread: some other thread
    w.cpu.mem.setU32(cs + 8, 1);
    expect(w.k32('TryEnterCriticalSection', cs)).toBe(0);
    expect(fields(cs)).toMatchObject({ RecursionCount: 1, OwningThread: 0x9999 });
  });

  test('spin counts: InitializeCriticalSectionAndSpinCount, SetCriticalSectionSpinCount', () => {
    const cs = w.buf(24);
    expect(w.k32('InitializeCriticalSectionAndSpinCount', cs, 4000)).toBe(1);
    expect(fields(cs).SpinCount).toBe(4000);
    expect(w.k32('SetCriticalSectionSpinCount', cs, 100)).toBe(4000);
    expect(fields(cs).SpinCount).toBe(100);
    expect(w.k32('InitializeCriticalSectionEx', cs, 50, 0)).toBe(1);
    expect(fields(cs)).toEqual({ LockCount: -1, RecursionCount: 0, OwningThread: 0, SpinCount: 50 });
    w.k32('DeleteCriticalSection', cs);
    expect([...w.cpu.mem.read(cs, 24)].every((b) => b === 0)).toBe(true);
  });
});

describe('Interlocked*', () => {
  test('increment, decrement, exchange, exchange-add and compare-exchange return what Windows documents', () => {
    const v = w.buf(4);
    w.cpu.mem.setU32(v, 0x7fff_ffff);
    expect(w.k32('InterlockedIncrement', v) | 0).toBe(-0x8000_0000); // the new value, wrapping
    expect(w.k32('InterlockedDecrement', v)).toBe(0x7fff_ffff);
    expect(w.k32('InterlockedExchange', v, 5)).toBe(0x7fff_ffff); // the old value
    expect(w.k32('InterlockedExchangeAdd', v, -2)).toBe(5); // the old value
    expect(w.u32(v)).toBe(3);
    expect(w.k32('InterlockedCompareExchange', v, 10, 4)).toBe(3); // no match: unchanged
    expect(w.u32(v)).toBe(3);
    expect(w.k32('InterlockedCompareExchange', v, 10, 3)).toBe(3);
    expect(w.u32(v)).toBe(10);
  });
});
