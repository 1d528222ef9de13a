// Global*/Local* memory (fixed pointers and moveable handles with lock counts), the memory status and the
// heap information functions. Expected values follow Windows 10's documented and observed behaviour.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const GMEM_MOVEABLE = 0x2;
const GMEM_ZEROINIT = 0x40;
const GMEM_MODIFY = 0x80;
const GMEM_DISCARDABLE = 0x100;
const GMEM_DDESHARE = 0x2000;
const GMEM_DISCARDED = 0x4000;
const GMEM_INVALID_HANDLE = 0x8000;
const LMEM_DISCARDABLE = 0xf00;
const ERROR_INVALID_HANDLE = 6;
const ERROR_NOT_ENOUGH_MEMORY = 8;
const ERROR_NOACCESS = 998;
const ERROR_DISCARDED = 157;
const ERROR_NOT_LOCKED = 158;

let w: Win32;
beforeEach(() => {
  w = win32({ memoryMiB: 64 });
});

const setError = (e: number) => w.k32('SetLastError', e);

describe('fixed memory', () => {
  test('GMEM_FIXED returns a pointer: Lock gives it back, Handle maps it to itself, Flags are 0', () => {
    const p = w.k32('GlobalAlloc', GMEM_ZEROINIT, 100);
    expect(p % 8).toBe(0);
    expect(w.k32('HeapValidate', w.p.heap.handle, 0, p)).toBe(1); // a block of the process heap
    expect(w.cpu.mem.read(p, 100).every((b) => b === 0)).toBe(true);
    expect(w.k32('GlobalLock', p)).toBe(p);
    expect(w.k32('GlobalHandle', p)).toBe(p);
    expect(w.k32('GlobalFlags', p)).toBe(0);
    expect(w.k32('GlobalSize', p)).toBe(100);
    expect(w.k32('GlobalUnlock', p)).toBe(1); // GlobalUnlock of fixed memory succeeds
    expect(w.k32('GlobalFree', p)).toBe(0);
  });

  test('a zero-byte allocation: GlobalAlloc keeps one byte, LocalAlloc none', () => {
    const g = w.k32('GlobalAlloc', 0, 0);
    expect(g).not.toBe(0);
    expect(w.k32('GlobalSize', g)).toBe(1);
    const l = w.k32('LocalAlloc', 0, 0);
    expect(l).not.toBe(0);
    expect(w.k32('LocalSize', l)).toBe(0);
  });

  test('LocalUnlock of fixed memory fails with ERROR_NOT_LOCKED', () => {
    const p = w.k32('LocalAlloc', 0, 16);
    expect(w.k32('LocalLock', p)).toBe(p);
    setError(0);
    expect(w.k32('LocalUnlock', p)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOT_LOCKED);
  });

  test('fixed memory cannot be resized in place (even to its size), only moved with GMEM_MOVEABLE; GMEM_MODIFY alone changes nothing', () => {
    const p = w.k32('GlobalAlloc', 0, 10);
    w.cpu.mem.write(p, Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    expect(w.k32('GlobalReAlloc', p, 9, GMEM_MODIFY)).toBe(p);
    expect(w.k32('GlobalSize', p)).toBe(10);
    setError(0);
    expect(w.k32('GlobalReAlloc', p, 10, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOT_ENOUGH_MEMORY);
    const q = w.k32('GlobalReAlloc', p, 5000, GMEM_MOVEABLE | GMEM_ZEROINIT);
    expect(q).not.toBe(0);
    expect(q % 8).toBe(0); // still fixed: a pointer
    expect(w.k32('GlobalLock', q)).toBe(q);
    expect(Array.from(w.cpu.mem.read(q, 12))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0, 0]);
    expect(w.k32('GlobalSize', q)).toBe(5000);
  });

  test('GlobalReAlloc(GMEM_MODIFY | GMEM_MOVEABLE) turns fixed memory moveable; LocalReAlloc keeps it fixed', () => {
    const p = w.k32('GlobalAlloc', 0, 64);
    const h = w.k32('GlobalReAlloc', p, 0, GMEM_MODIFY | GMEM_MOVEABLE);
    expect(h).not.toBe(p);
    expect(h % 8).toBe(4);
    expect(w.k32('GlobalSize', h)).toBe(64);
    expect(w.k32('GlobalLock', h)).toBe(p);
    const l = w.k32('LocalAlloc', 0, 64);
    expect(w.k32('LocalReAlloc', l, 0, GMEM_MODIFY | GMEM_MOVEABLE)).toBe(l);
    expect(w.k32('LocalLock', l)).toBe(l);
  });
});

describe('moveable memory', () => {
  test('a handle whose first dword is the data; lock counts in Flags; Unlock reports the last unlock', () => {
    const h = w.k32('GlobalAlloc', GMEM_MOVEABLE, 256);
    expect(h % 8).toBe(4); // not a heap pointer
    const p = w.k32('GlobalLock', h);
    expect(p).not.toBe(h);
    expect(w.u32(h)).toBe(p); // *(void **)hMem
    expect(w.k32('GlobalFlags', h)).toBe(1);
    expect(w.k32('GlobalLock', h)).toBe(p);
    expect(w.k32('GlobalFlags', h)).toBe(2);
    expect(w.k32('GlobalHandle', p)).toBe(h);
    expect(w.k32('GlobalHandle', h)).toBe(h);
    expect(w.k32('GlobalSize', h)).toBe(256);
    expect(w.k32('GlobalUnlock', h)).toBe(1);
    setError(0xdead);
    expect(w.k32('GlobalUnlock', h)).toBe(0);
    expect(w.lastError()).toBe(0); // ERROR_SUCCESS: it is now unlocked
    expect(w.k32('GlobalFlags', h)).toBe(0);
    expect(w.k32('GlobalUnlock', h)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOT_LOCKED);
    expect(w.k32('GlobalFree', h)).toBe(0);
  });

  test('the lock count saturates at 255', () => {
    const h = w.k32('LocalAlloc', GMEM_MOVEABLE, 8);
    for (let i = 0; i < 300; i++) w.k32('LocalLock', h);
    expect(w.k32('LocalFlags', h)).toBe(255);
    for (let i = 0; i < 254; i++) expect(w.k32('LocalUnlock', h)).toBe(1);
    expect(w.k32('LocalUnlock', h)).toBe(0);
    expect(w.k32('LocalFlags', h)).toBe(0);
  });

  test('a zero-size moveable object is discarded: Lock fails with ERROR_DISCARDED; ReAlloc brings it back', () => {
    const h = w.k32('GlobalAlloc', GMEM_MOVEABLE | GMEM_DISCARDABLE, 0);
    expect(w.k32('GlobalFlags', h)).toBe(GMEM_DISCARDED | GMEM_DISCARDABLE);
    expect(w.u32(h)).toBe(0);
    expect(w.u32(h - 4)).toBe(0xf); // Windows' entry flags: live, discardable, discarded
    expect(w.k32('GlobalSize', h)).toBe(0);
    setError(0);
    expect(w.k32('GlobalLock', h)).toBe(0);
    expect(w.lastError()).toBe(ERROR_DISCARDED);
    expect(w.k32('GlobalReAlloc', h, 10, GMEM_MOVEABLE)).toBe(h);
    expect(w.k32('GlobalSize', h)).toBe(10);
    expect(w.k32('GlobalFlags', h)).toBe(GMEM_DISCARDABLE);
    expect(w.u32(h - 4)).toBe(0x7);
    // Discarding again (GlobalDiscard) works only while unlocked.
    w.k32('GlobalLock', h);
    expect(w.k32('GlobalReAlloc', h, 0, GMEM_MOVEABLE)).toBe(0);
    w.k32('GlobalUnlock', h);
    expect(w.k32('GlobalReAlloc', h, 0, GMEM_MOVEABLE)).toBe(h);
    expect(w.k32('GlobalFlags', h)).toBe(GMEM_DISCARDED | GMEM_DISCARDABLE);
  });

  test('LocalFlags reports LMEM_DISCARDABLE; GlobalFlags reports GMEM_DDESHARE', () => {
    expect(w.k32('LocalFlags', w.k32('LocalAlloc', GMEM_MOVEABLE | LMEM_DISCARDABLE, 4))).toBe(LMEM_DISCARDABLE);
    const h = w.k32('GlobalAlloc', GMEM_MOVEABLE | GMEM_DISCARDABLE | GMEM_DDESHARE, 1);
    expect(w.k32('GlobalFlags', h)).toBe(GMEM_DISCARDABLE | GMEM_DDESHARE);
    expect(w.u32(h - 4)).toBe(0x8007);
  });

  test('ReAlloc keeps the handle and the contents, zeroes what grows with GMEM_ZEROINIT', () => {
    const h = w.k32('GlobalAlloc', GMEM_MOVEABLE, 16);
    w.cpu.mem.fill(w.k32('GlobalLock', h), 0x5a, 16);
    w.k32('GlobalUnlock', h);
    expect(w.k32('GlobalReAlloc', h, 100_000, GMEM_MOVEABLE | GMEM_ZEROINIT)).toBe(h);
    const p = w.k32('GlobalLock', h);
    expect(w.k32('GlobalSize', h)).toBe(100_000);
    expect(Array.from(w.cpu.mem.read(p + 14, 4))).toEqual([0x5a, 0x5a, 0, 0]);
    expect(w.cpu.mem.read(p + 16, 100_000 - 16).every((b) => b === 0)).toBe(true);
    expect(w.k32('GlobalHandle', p)).toBe(h);
  });

  test('a locked object is freed all the same', () => {
    const h = w.k32('LocalAlloc', GMEM_MOVEABLE, 32);
    w.k32('LocalLock', h);
    expect(w.k32('LocalFree', h)).toBe(0);
  });
});

describe('bad handles', () => {
  test('a freed handle: Free returns it, the others fail with ERROR_INVALID_HANDLE (GlobalUnlock still says TRUE)', () => {
    const h = w.k32('GlobalAlloc', GMEM_MOVEABLE, 256);
    expect(w.k32('GlobalFree', h)).toBe(0);
    setError(0);
    expect(w.k32('GlobalFree', h)).toBe(h);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('GlobalFlags', h)).toBe(GMEM_INVALID_HANDLE);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('GlobalSize', h)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('GlobalLock', h)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('GlobalUnlock', h)).toBe(1);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('LocalUnlock', h)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    setError(0);
    expect(w.k32('GlobalReAlloc', h, 0, GMEM_MOVEABLE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
  });

  test('a pointer to nowhere: Free and ReAlloc fail with ERROR_NOACCESS, GlobalUnlock says TRUE, LocalLock leaves the error alone', () => {
    const bad = 0xdeadbee0;
    setError(0);
    expect(w.k32('GlobalFree', bad)).toBe(bad);
    expect(w.lastError()).toBe(ERROR_NOACCESS);
    setError(0);
    expect(w.k32('LocalReAlloc', bad, 0, GMEM_MOVEABLE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOACCESS);
    setError(0x1234);
    expect(w.k32('GlobalUnlock', bad)).toBe(1);
    expect(w.k32('LocalLock', bad)).toBe(0);
    expect(w.lastError()).toBe(0x1234);
    expect(w.k32('GlobalLock', bad)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    expect(w.k32('LocalUnlock', bad)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOT_LOCKED);
  });

  test('NULL: GlobalFree(NULL) succeeds, GlobalReAlloc(NULL) fails', () => {
    expect(w.k32('GlobalFree', 0)).toBe(0);
    expect(w.k32('LocalFree', 0)).toBe(0);
    expect(w.k32('GlobalReAlloc', 0, 10, GMEM_MOVEABLE)).toBe(0);
  });
});

describe('memory status', () => {
  test('GlobalMemoryStatusEx: RAM from the guest machine, 2 GiB - 128 KiB of user address space', () => {
    const st = w.buf(64);
    expect(w.k32('GlobalMemoryStatusEx', st)).toBe(0); // dwLength not set
    expect(w.lastError()).toBe(87);
    w.cpu.mem.setU32(st, 64);
    expect(w.k32('GlobalMemoryStatusEx', st)).toBe(1);
    const q = (i: number) => w.cpu.mem.u64(st + 8 + 8 * i);
    expect(q(0)).toBe(64n * 1024n * 1024n); // ullTotalPhys: memoryMiB
    expect(q(1) > 0n && q(1) < q(0)).toBe(true); // ullAvailPhys
    expect(q(4)).toBe(0x7ffe_0000n); // ullTotalVirtual
    expect(q(5) > 0x7000_0000n && q(5) < 0x7ffe_0000n).toBe(true); // most of it is free
    expect(q(6)).toBe(0n); // ullAvailExtendedVirtual
    // dwMemoryLoad: the percentage of physical memory in use.
    expect(w.u32(st + 4)).toBe(Math.round((100 * Number(q(0) - q(1))) / Number(q(0))));
  });

  test('GlobalMemoryStatus fills MEMORYSTATUS and sets dwLength; a bigger allocation lowers the free figures', () => {
    const st = w.buf(32);
    w.k32('GlobalMemoryStatus', st);
    expect(w.u32(st)).toBe(32);
    expect(w.u32(st + 8)).toBe(64 * 1024 * 1024);
    expect(w.u32(st + 24)).toBe(0x7ffe_0000);
    const availPhys = w.u32(st + 12);
    const availVirtual = w.u32(st + 28);
    expect(w.k32('VirtualAlloc', 0, 0x40_0000, 0x3000, 4)).not.toBe(0);
    w.k32('GlobalMemoryStatus', st);
    const used = availPhys - w.u32(st + 12); // the pages, and the page tables that map them
    expect(used).toBeGreaterThanOrEqual(0x40_0000);
    expect(used).toBeLessThanOrEqual(0x40_0000 + 2 * 0x1000);
    expect(availVirtual - w.u32(st + 28)).toBe(0x40_0000);
  });
});

describe('heap information', () => {
  test('GetProcessHeaps lists the process heap first and counts created heaps', () => {
    const out = w.buf(16);
    expect(w.k32('GetProcessHeaps', 0, 0)).toBe(1);
    const h = w.k32('HeapCreate', 0, 0, 0);
    expect(w.k32('GetProcessHeaps', 4, out)).toBe(2);
    expect([w.u32(out), w.u32(out + 4)]).toEqual([w.k32('GetProcessHeap'), h]);
    w.k32('HeapDestroy', h);
    expect(w.k32('GetProcessHeaps', 4, out)).toBe(1);
  });

  test('HeapWalk lists the live blocks of a heap in address order, then ERROR_NO_MORE_ITEMS', () => {
    const h = w.k32('HeapCreate', 0, 0, 0);
    const blocks = [w.k32('HeapAlloc', h, 0, 10), w.k32('HeapAlloc', h, 0, 200), w.k32('HeapAlloc', h, 0, 30)];
    w.k32('HeapFree', h, 0, blocks[1]!);
    const e = w.buf(28);
    const seen: [number, number, number][] = [];
    while (w.k32('HeapWalk', h, e)) seen.push([w.u32(e), w.u32(e + 4), w.cpu.mem.u16(e + 10)]);
    expect(w.lastError()).toBe(259);
    expect(seen).toEqual([
      [blocks[0], 10, 4], // PROCESS_HEAP_ENTRY_BUSY
      [blocks[2], 30, 4],
    ]);
  });

  test('HeapCompact, HeapLock/HeapUnlock and HeapSet/QueryInformation check the handle; LFH can be switched on', () => {
    const h = w.k32('HeapCreate', 0, 0, 0);
    w.k32('HeapAlloc', h, 0, 100);
    expect(w.k32('HeapCompact', h, 0)).toBeGreaterThan(0);
    expect(w.k32('HeapLock', h)).toBe(1);
    expect(w.k32('HeapUnlock', h)).toBe(1);
    expect(w.k32('HeapLock', 0x1234)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
    const v = w.buf(4);
    const ret = w.buf(4);
    expect(w.k32('HeapQueryInformation', h, 0, v, 4, ret)).toBe(1);
    expect([w.u32(v), w.u32(ret)]).toEqual([0, 4]);
    w.cpu.mem.setU32(v, 2); // HEAP_LFH
    expect(w.k32('HeapSetInformation', h, 0, v, 4)).toBe(1);
    expect(w.k32('HeapQueryInformation', h, 0, v, 4, ret)).toBe(1);
    expect(w.u32(v)).toBe(2);
    expect(w.k32('HeapQueryInformation', h, 0, v, 2, ret)).toBe(0);
    expect(w.lastError()).toBe(122);
    expect(w.k32('HeapSetInformation', 0, 1, 0, 0)).toBe(1); // HeapEnableTerminationOnCorruption
  });
});
