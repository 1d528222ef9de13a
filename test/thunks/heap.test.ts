// The guest heap behind HeapAlloc and malloc, driven directly on a CPU's memory.
import { beforeAll, describe, expect, test } from 'vitest';
import { Cpu } from '../../emulator/cpu.js';
import { PROT, type GuestMemory } from '../../emulator/memory.js';
import { Heap } from '../../thunks/heap.js';

let mem: GuestMemory;
beforeAll(() => {
  mem = Cpu.create({ jit: false }).mem;
});

/** A deterministic pseudo-random sequence (xorshift32). */
function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return (n: number) => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x % n;
  };
}

/** The reservation a guest address belongs to. */
const regionOf = (addr: number) => mem.query(addr).allocationBase;

describe('Heap', () => {
  test('blocks are 8-byte aligned and never overlap, through thousands of alloc/free/realloc', () => {
    const heap = new Heap(mem, 0x1234);
    const live = new Map<number, { size: number; fill: number }>();
    const rand = rng(20240601);
    const check = (addr: number, size: number, fill: number) => {
      const bytes = mem.read(addr, size);
      expect(bytes.every((b) => b === fill), `contents of 0x${addr.toString(16)}+${size}`).toBe(true);
    };
    const place = (addr: number, size: number) => {
      expect(addr % 8).toBe(0);
      expect(heap.size(addr)).toBe(size);
      const fill = 1 + rand(255);
      mem.fill(addr, fill, size);
      live.set(addr, { size, fill });
    };
    for (let i = 0; i < 4000; i++) {
      const op = rand(10);
      const addrs = [...live.keys()];
      if (op < 5 || addrs.length === 0) {
        const size = rand(8) === 0 ? rand(20_000) : rand(300);
        const a = heap.alloc(size);
        expect(a).not.toBe(0);
        expect(live.has(a)).toBe(false);
        place(a, size);
      } else if (op < 8) {
        const a = addrs[rand(addrs.length)]!;
        check(a, live.get(a)!.size, live.get(a)!.fill);
        expect(heap.free(a)).toBe(true);
        live.delete(a);
      } else {
        const a = addrs[rand(addrs.length)]!;
        const old = live.get(a)!;
        const size = rand(4) === 0 ? rand(30_000) : rand(600);
        const b = heap.realloc(a, size);
        expect(b).not.toBe(0);
        check(b, Math.min(old.size, size), old.fill); // contents kept up to the smaller size
        live.delete(a);
        place(b, size);
      }
    }
    // Every live block still holds its own bytes (no block was handed out twice), and the ranges are disjoint.
    for (const [a, { size, fill }] of live) check(a, size, fill);
    const sorted = [...live].map(([a, { size }]) => [a, a + Math.max(size, 1)] as const).sort((x, y) => x[0] - y[0]);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]![0]).toBeGreaterThanOrEqual(sorted[i - 1]![1]);
    expect(new Map(heap.blocks())).toEqual(new Map([...live].map(([a, { size }]) => [a, size])));
    heap.destroy();
  });

  test('freed neighbours coalesce: after freeing everything, a big block fits in the first segment', () => {
    const heap = new Heap(mem, 0x1234);
    const rand = rng(7);
    const blocks = Array.from({ length: 1000 }, () => heap.alloc(16 + rand(400)));
    const first = Math.min(...blocks);
    const segment = regionOf(first);
    expect(blocks.every((b) => regionOf(b) === segment)).toBe(true);
    // Free in a scrambled order so that coalescing has to merge on both sides.
    for (let i = blocks.length - 1; i > 0; i--) {
      const j = rand(i + 1);
      [blocks[i], blocks[j]] = [blocks[j]!, blocks[i]!];
    }
    for (const b of blocks) heap.free(b);
    const big = heap.alloc(0x7_0000); // 448 KiB: more than all the small blocks took together
    expect(big).toBe(first);
    expect(regionOf(big)).toBe(segment);
    heap.destroy();
  });

  test('realloc grows in place into a free neighbour, and moves (keeping the bytes) when it cannot', () => {
    const heap = new Heap(mem, 0x1234);
    const a = heap.alloc(64);
    const b = heap.alloc(64);
    const c = heap.alloc(64);
    expect([b - a, c - b]).toEqual([72, 72]); // 64 bytes + an 8-byte gap
    heap.free(b);
    mem.fill(a, 0xab, 64);
    expect(heap.realloc(a, 120)).toBe(a); // takes b's room
    expect(heap.size(a)).toBe(120);
    expect(mem.read(a, 64).every((x) => x === 0xab)).toBe(true);
    // c is in the way now: growing further moves the block.
    const moved = heap.realloc(a, 1000);
    expect(moved).not.toBe(a);
    expect(mem.read(moved, 64).every((x) => x === 0xab)).toBe(true);
    expect(heap.isBlock(a)).toBe(false);
    // In-place-only (HEAP_REALLOC_IN_PLACE_ONLY) fails instead of moving and leaves the block alone.
    const d = heap.alloc(32);
    heap.alloc(32);
    expect(heap.realloc(d, 4096, { inPlaceOnly: true })).toBe(0);
    expect(heap.size(d)).toBe(32);
    // Shrinking stays in place.
    expect(heap.realloc(moved, 10)).toBe(moved);
    expect(heap.size(moved)).toBe(10);
    heap.destroy();
  });

  test('zeroing: alloc(size, true) and realloc({ zero }) clear the new bytes', () => {
    const heap = new Heap(mem, 0x1234);
    const a = heap.alloc(256);
    mem.fill(a, 0xee, 256);
    heap.free(a);
    const z = heap.alloc(256, true);
    expect(z).toBe(a); // the same dirty bytes come back...
    expect(mem.read(z, 256).every((x) => x === 0)).toBe(true); // ...cleared
    mem.fill(z, 0x11, 256);
    const r = heap.realloc(z, 4000, { zero: true });
    expect(mem.read(r, 256).every((x) => x === 0x11)).toBe(true);
    expect(mem.read(r + 256, 4000 - 256).every((x) => x === 0)).toBe(true);
    heap.destroy();
  });

  test('size() is the requested size; unknown addresses are not blocks', () => {
    const heap = new Heap(mem, 0x1234);
    const a = heap.alloc(13);
    const z = heap.alloc(0); // a valid, distinct block
    expect([heap.size(a), heap.size(z)]).toEqual([13, 0]);
    expect(z).not.toBe(a);
    expect(heap.size(a + 8)).toBe(-1);
    expect(heap.free(a + 8)).toBe(false);
    expect(heap.free(a)).toBe(true);
    expect(heap.free(a)).toBe(false); // a double free is refused, not corrupting
    expect(heap.size(a)).toBe(-1);
    heap.destroy();
  });

  test('blocks of 512 KiB and more get a region of their own, released on free', () => {
    const heap = new Heap(mem, 0x1234);
    const small = heap.alloc(100);
    const big = heap.alloc(0x8_0000);
    expect(regionOf(big)).not.toBe(regionOf(small));
    expect(regionOf(big)).toBe(big - 16);
    expect(mem.query(big).state).toBe('committed');
    const free = mem.framesFree;
    expect(heap.free(big)).toBe(true);
    expect(mem.query(big).state).toBe('free');
    expect(mem.framesFree).toBe(free + 0x81); // 512 KiB + the 16-byte header, in pages
    // Just below the threshold stays in the segments.
    const below = heap.alloc(0x8_0000 - 8);
    expect(mem.query(below).allocationBase).not.toBe(below - 16);
    heap.destroy();
  });

  test('maximumSize bounds what the heap commits', () => {
    const max = 0x1_0000; // 64 KiB, as HeapCreate(0, 0, 0x10000) asks
    const heap = new Heap(mem, 0x1234, max);
    const free = mem.framesFree;
    const got: number[] = [];
    for (;;) {
      const a = heap.alloc(1000);
      if (!a) break;
      got.push(a);
      expect(got.length).toBeLessThan(1000);
    }
    expect(free - mem.framesFree).toBeLessThanOrEqual(max / 0x1000 + 1); // the segment, plus at most a page table
    expect(got.length).toBeGreaterThan(50); // ~64 KiB of 1008-byte slots
    expect(heap.alloc(0x8_0000)).toBe(0); // a large block does not fit either
    // Freeing makes room again.
    heap.free(got[0]!);
    expect(heap.alloc(1000)).toBe(got[0]);
    heap.destroy();
  });

  test('maximumSize: large blocks given back count as free room again', () => {
    const heap = new Heap(mem, 0x1234, 0x18_0000); // 1.5 MiB
    const a = heap.alloc(0x10_0000);
    expect(a).not.toBe(0);
    expect(heap.alloc(0x10_0000)).toBe(0); // 2 MiB would exceed the maximum
    heap.free(a);
    const b = heap.alloc(0x10_0000);
    expect(b).not.toBe(0);
    heap.destroy();
  });

  test('destroy releases every segment and large region', () => {
    const run = () => {
      const heap = new Heap(mem, 0x1234);
      for (let i = 0; i < 3000; i++) heap.alloc(700); // ~2 MiB: more than one segment
      heap.alloc(0x10_0000);
      heap.alloc(0x9_0000);
      heap.destroy();
      expect(heap.blocks()).toEqual([]);
    };
    run(); // the first run creates the page tables for these addresses; those stay, as on x86 Windows
    const free = mem.framesFree;
    run();
    expect(mem.framesFree).toBe(free);
  });

  test('allocations the guest address space cannot hold return 0', () => {
    const heap = new Heap(mem, 0x1234);
    expect(heap.alloc(0xffff_fff0)).toBe(0);
    expect(heap.alloc(0x7fff_0000)).toBe(0);
    const a = heap.alloc(8);
    expect(heap.realloc(a, 0xffff_0000)).toBe(0);
    expect(heap.size(a)).toBe(8); // the old block survives a failed realloc
    heap.destroy();
  });
});

test('PROT is what the heap maps its memory with (read/write)', () => {
  const heap = new Heap(mem, 0x1234);
  const a = heap.alloc(10);
  expect(mem.query(a).prot).toBe(PROT.rw);
  heap.destroy();
});
