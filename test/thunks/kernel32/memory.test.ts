// Virtual memory (VirtualAlloc, VirtualProtect, VirtualQuery, VirtualFree) and heaps (HeapCreate & co.)
// as guest code sees them through kernel32.
import path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const MEM_COMMIT = 0x1000;
const MEM_RESERVE = 0x2000;
const MEM_DECOMMIT = 0x4000;
const MEM_RELEASE = 0x8000;
const MEM_FREE = 0x1_0000;
const MEM_PRIVATE = 0x2_0000;
const MEM_IMAGE = 0x100_0000;
const PAGE_NOACCESS = 0x01;
const PAGE_READONLY = 0x02;
const PAGE_READWRITE = 0x04;
const PAGE_EXECUTE_READ = 0x20;
const PAGE_EXECUTE_READWRITE = 0x40;
const HEAP_ZERO_MEMORY = 0x8;
const HEAP_REALLOC_IN_PLACE_ONLY = 0x10;
const ERROR_INVALID_PARAMETER = 87;
const ERROR_INVALID_ADDRESS = 487;
const ERROR_BAD_LENGTH = 24;
const ERROR_NOT_ENOUGH_MEMORY = 8;

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** MEMORY_BASIC_INFORMATION of an address, field by field. */
function query(addr: number) {
  const mbi = w.buf(28);
  expect(w.k32('VirtualQuery', addr, mbi, 28)).toBe(28);
  const [BaseAddress, AllocationBase, AllocationProtect, RegionSize, State, Protect, Type] = Array.from({ length: 7 }, (_, i) => w.u32(mbi + 4 * i));
  return { BaseAddress, AllocationBase, AllocationProtect, RegionSize, State, Protect, Type };
}

describe('VirtualAlloc / VirtualQuery / VirtualProtect / VirtualFree', () => {
  test('reserve, then commit part of the reservation', () => {
    const base = w.k32('VirtualAlloc', 0, 0x3000, MEM_RESERVE, PAGE_READWRITE);
    expect(base).not.toBe(0);
    expect(base % 0x1_0000).toBe(0); // allocation granularity
    expect(query(base)).toMatchObject({ BaseAddress: base, AllocationBase: base, AllocationProtect: PAGE_READWRITE, RegionSize: 0x3000, State: MEM_RESERVE, Type: MEM_PRIVATE });
    expect(w.cpu.mem.isAccessible(base, 1, false)).toBe(false);

    // Commit the middle page (an address inside it is rounded down to the page).
    expect(w.k32('VirtualAlloc', base + 0x1234, 0x10, MEM_COMMIT, PAGE_READONLY)).toBe(base + 0x1000);
    expect(query(base + 0x1800)).toEqual({
      BaseAddress: base + 0x1000,
      AllocationBase: base,
      AllocationProtect: PAGE_READWRITE,
      RegionSize: 0x1000,
      State: MEM_COMMIT,
      Protect: PAGE_READONLY,
      Type: MEM_PRIVATE,
    });
    expect(query(base)).toMatchObject({ BaseAddress: base, RegionSize: 0x1000, State: MEM_RESERVE });
    expect(query(base + 0x2000)).toMatchObject({ BaseAddress: base + 0x2000, RegionSize: 0x1000, State: MEM_RESERVE });
    expect(w.cpu.mem.read(base + 0x1000, 16).every((b) => b === 0)).toBe(true); // committed memory is zeroed
  });

  test('VirtualProtect reports the old protection and changes what VirtualQuery says', () => {
    const base = w.k32('VirtualAlloc', 0, 0x2000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    const old = w.buf(4);
    expect(w.k32('VirtualProtect', base, 0x1000, PAGE_EXECUTE_READ, old)).toBe(1);
    expect(w.u32(old)).toBe(PAGE_READWRITE);
    expect(query(base)).toMatchObject({ BaseAddress: base, RegionSize: 0x1000, Protect: PAGE_EXECUTE_READ });
    expect(query(base + 0x1000)).toMatchObject({ BaseAddress: base + 0x1000, RegionSize: 0x1000, Protect: PAGE_READWRITE });
    expect(w.cpu.mem.isAccessible(base, 4, true)).toBe(false);
    expect(w.cpu.mem.isAccessible(base, 4, false)).toBe(true);
    expect(w.k32('VirtualProtect', base, 0x2000, PAGE_NOACCESS, old)).toBe(1);
    expect(w.u32(old)).toBe(PAGE_EXECUTE_READ);
    expect(w.cpu.mem.isAccessible(base + 0x1000, 4, false)).toBe(false);
    // Without somewhere to put the old protection it fails (ERROR_NOACCESS), as on Windows.
    expect(w.k32('VirtualProtect', base, 0x1000, PAGE_READWRITE, 0)).toBe(0);
    expect(w.lastError()).toBe(998);
  });

  test('VirtualProtect of reserved-only pages fails with ERROR_INVALID_ADDRESS', () => {
    const base = w.k32('VirtualAlloc', 0, 0x1000, MEM_RESERVE, PAGE_READWRITE);
    expect(w.k32('VirtualProtect', base, 0x1000, PAGE_READONLY, w.buf(4))).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_ADDRESS);
  });

  test('reserve+commit with PAGE_EXECUTE_READWRITE; the memory works', () => {
    const base = w.k32('VirtualAlloc', 0, 100, MEM_RESERVE | MEM_COMMIT, PAGE_EXECUTE_READWRITE);
    expect(query(base)).toMatchObject({ RegionSize: 0x1000, State: MEM_COMMIT, Protect: PAGE_EXECUTE_READWRITE, AllocationProtect: PAGE_EXECUTE_READWRITE });
    w.cpu.mem.setU32(base + 96, 0xcafef00d);
    expect(w.u32(base + 96)).toBe(0xcafef00d);
  });

  test('at a chosen address: rounded down to 64 KiB when reserving; taken ranges fail', () => {
    const at = 0x5000_0000;
    expect(w.k32('VirtualAlloc', at + 0x1234, 0x100, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)).toBe(at);
    // The region runs from the rounded base to the end of the last page touched.
    expect(query(at)).toMatchObject({ BaseAddress: at, AllocationBase: at, RegionSize: 0x2000, State: MEM_COMMIT });
    expect(w.k32('VirtualAlloc', at, 0x1000, MEM_RESERVE, PAGE_READWRITE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_ADDRESS);
    // Committing where nothing is reserved fails too.
    expect(w.k32('VirtualAlloc', 0x6000_0000, 0x1000, MEM_COMMIT, PAGE_READWRITE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_ADDRESS);
  });

  test('bad arguments: ERROR_INVALID_PARAMETER', () => {
    for (const [size, type, protect] of [
      [0x1000, MEM_RESERVE, 0], // no protection
      [0x1000, MEM_RESERVE, 0x3], // not a PAGE_* value
      [0, MEM_RESERVE, PAGE_READWRITE], // no size
      [0x1000, 0, PAGE_READWRITE], // no allocation type
    ]) {
      w.p.setLastError(0);
      expect(w.k32('VirtualAlloc', 0, size!, type!, protect!)).toBe(0);
      expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    }
  });

  test('decommit then release', () => {
    const base = w.k32('VirtualAlloc', 0, 0x3000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    expect(w.k32('VirtualFree', base + 0x1000, 0x1000, MEM_DECOMMIT)).toBe(1);
    expect(query(base + 0x1000)).toMatchObject({ BaseAddress: base + 0x1000, RegionSize: 0x1000, State: MEM_RESERVE, AllocationBase: base });
    // Release needs the base of the reservation and a size of 0.
    expect(w.k32('VirtualFree', base + 0x1000, 0, MEM_RELEASE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    expect(w.k32('VirtualFree', base, 0x3000, MEM_RELEASE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    expect(w.k32('VirtualFree', base, 0, MEM_RELEASE)).toBe(1);
    expect(query(base)).toMatchObject({ BaseAddress: base, State: MEM_FREE });
    expect(w.k32('VirtualFree', base, 0, MEM_RELEASE)).toBe(0); // already free
  });

  test('decommit with size 0 decommits the whole reservation from the address on', () => {
    const base = w.k32('VirtualAlloc', 0, 0x4000, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    const free = w.cpu.mem.framesFree;
    expect(w.k32('VirtualFree', base, 0, MEM_DECOMMIT)).toBe(1);
    expect(w.cpu.mem.framesFree).toBe(free + 4);
    expect(query(base)).toMatchObject({ RegionSize: 0x4000, State: MEM_RESERVE });
  });

  test('VirtualQuery: a too small buffer, and addresses of loaded images', () => {
    const mbi = w.buf(28);
    expect(w.k32('VirtualQuery', 0x1_0000, mbi, 27)).toBe(0);
    expect(w.lastError()).toBe(ERROR_BAD_LENGTH);
    const m = w.loader.loadFile(path.resolve('fixtures/bin/deplib-msvc.dll'));
    expect(query(m.base + 0x1000)).toMatchObject({ BaseAddress: m.base + 0x1000, AllocationBase: m.base, RegionSize: 0x1000, State: MEM_COMMIT, Protect: PAGE_EXECUTE_READ, Type: MEM_IMAGE });
    expect(query(m.base + 0x3000)).toMatchObject({ Protect: PAGE_READWRITE, Type: MEM_IMAGE }); // .data
    expect(query(m.base)).toMatchObject({ Protect: PAGE_READONLY, Type: MEM_IMAGE }); // headers
    // An image cannot be released with VirtualFree.
    expect(w.k32('VirtualFree', m.base, 0, MEM_RELEASE)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
  });
});

describe('Heap*', () => {
  test('HeapCreate, HeapAlloc (zeroed), HeapReAlloc, HeapSize, HeapFree, HeapDestroy', () => {
    const h = w.k32('HeapCreate', 0, 0, 0);
    expect(h).not.toBe(0);
    expect(h).not.toBe(w.k32('GetProcessHeap'));
    const a = w.k32('HeapAlloc', h, HEAP_ZERO_MEMORY, 100);
    expect(a % 8).toBe(0);
    expect(w.cpu.mem.read(a, 100).every((b) => b === 0)).toBe(true);
    expect(w.k32('HeapSize', h, 0, a)).toBe(100);
    w.cpu.mem.fill(a, 0x5a, 100);
    const b = w.k32('HeapReAlloc', h, HEAP_ZERO_MEMORY, a, 5000);
    expect(b).not.toBe(0);
    expect(w.k32('HeapSize', h, 0, b)).toBe(5000);
    expect(w.cpu.mem.read(b, 100).every((x) => x === 0x5a)).toBe(true);
    expect(w.cpu.mem.read(b + 100, 4900).every((x) => x === 0)).toBe(true);
    expect(w.k32('HeapValidate', h, 0, b)).toBe(1);
    expect(w.k32('HeapFree', h, 0, b)).toBe(1);
    expect(w.k32('HeapValidate', h, 0, b)).toBe(0);
    expect(w.k32('HeapSize', h, 0, b)).toBe(0xffff_ffff);
    expect(w.k32('HeapFree', h, 0, 0)).toBe(1); // freeing NULL is fine
    expect(w.k32('HeapDestroy', h)).toBe(1);
    expect(w.k32('HeapAlloc', h, 0, 10)).toBe(0);
    expect(w.k32('HeapDestroy', w.k32('GetProcessHeap'))).toBe(0); // the process heap stays
  });

  test('a zero-byte block is a real, distinct block', () => {
    const heap = w.k32('GetProcessHeap');
    const a = w.k32('HeapAlloc', heap, 0, 0);
    const b = w.k32('HeapAlloc', heap, 0, 0);
    expect(a).not.toBe(0);
    expect(b).not.toBe(a);
    expect(w.k32('HeapSize', heap, 0, a)).toBe(0);
  });

  test('HEAP_REALLOC_IN_PLACE_ONLY fails instead of moving, keeping the block', () => {
    const heap = w.k32('GetProcessHeap');
    const a = w.k32('HeapAlloc', heap, 0, 16);
    w.k32('HeapAlloc', heap, 0, 16); // a neighbour in the way
    expect(w.k32('HeapReAlloc', heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 4096)).toBe(0);
    expect(w.lastError()).toBe(ERROR_NOT_ENOUGH_MEMORY);
    expect(w.k32('HeapSize', heap, 0, a)).toBe(16);
    expect(w.k32('HeapReAlloc', heap, HEAP_REALLOC_IN_PLACE_ONLY, a, 8)).toBe(a); // shrinking works in place
  });

  test('a heap with a maximum size runs out', () => {
    const h = w.k32('HeapCreate', 0, 0, 0x1_0000);
    let n = 0;
    while (w.k32('HeapAlloc', h, 0, 1024)) n++;
    expect(n).toBeGreaterThan(40);
    expect(n).toBeLessThan(64);
    expect(w.lastError()).toBe(ERROR_NOT_ENOUGH_MEMORY);
  });

  test('freeing a block twice or a foreign pointer fails with ERROR_INVALID_PARAMETER', () => {
    const heap = w.k32('GetProcessHeap');
    const a = w.k32('HeapAlloc', heap, 0, 32);
    expect(w.k32('HeapFree', heap, 0, a)).toBe(1);
    expect(w.k32('HeapFree', heap, 0, a)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    expect(w.k32('HeapFree', heap, 0, a + 4)).toBe(0);
  });

  test('the ntdll names are the same heap functions', () => {
    const heap = w.k32('GetProcessHeap');
    const a = w.nt('RtlAllocateHeap', heap, HEAP_ZERO_MEMORY, 24);
    expect(w.k32('HeapSize', heap, 0, a)).toBe(24);
    expect(w.nt('RtlSizeHeap', heap, 0, a)).toBe(24);
    expect(w.nt('RtlFreeHeap', heap, 0, a)).toBe(1);
  });
});
