// A heap in guest memory, behind HeapAlloc/HeapFree/HeapReAlloc/HeapSize and the C runtime's malloc.
// Blocks live in guest memory (8-byte aligned, with an 8-byte gap before each, as on Windows); the
// allocator's bookkeeping lives on the host, so guest code overrunning a block cannot corrupt it.

import type { GuestMemory } from '../emulator/memory.js';
import { PROT } from '../emulator/memory.js';

const GAP = 8; // bytes between blocks (where Windows keeps its block header)
const ALIGN = 8;
const SEGMENT = 0x10_0000; // 1 MiB
const LARGE = 0x8_0000; // blocks this big get a region of their own

const sizeClass = (n: number) => 31 - Math.clz32(n);

export class Heap {
  private readonly segments: { base: number; size: number }[] = [];
  /** Allocated block address -> requested size. */
  private readonly requested = new Map<number, number>();
  /** Allocated block address -> span (block + following gap), for coalescing on free. */
  private readonly span = new Map<number, number>();
  private readonly large = new Map<number, { region: number; size: number }>(); // address -> its own region
  private readonly freeByStart = new Map<number, number>(); // start -> size
  private readonly freeByEnd = new Map<number, number>(); // end -> start
  private readonly bins: Set<number>[] = Array.from({ length: 32 }, () => new Set());
  private committed = 0;

  constructor(
    private readonly mem: GuestMemory,
    /** Handle value given to guest code (the address of a reserved page, as on Windows). */
    readonly handle: number,
    /** Upper bound on committed bytes (0 = growable without limit, like HeapCreate's dwMaximumSize). */
    private readonly maximumSize = 0,
  ) {}

  /** Returns a block of at least `size` bytes, or 0 when the heap (or guest RAM) is exhausted. */
  alloc(size: number, zero = false): number {
    const need = roundUp(Math.max(size, 1), ALIGN);
    let addr: number;
    try {
      addr = need >= LARGE ? this.allocLarge(need) : this.allocSmall(need);
    } catch {
      return 0; // out of guest memory: Windows returns NULL too
    }
    if (addr === 0) return 0;
    this.requested.set(addr, size);
    if (zero) this.mem.fill(addr, 0, need);
    return addr;
  }

  /** Frees a block; false if `addr` is not a live block of this heap. */
  free(addr: number): boolean {
    if (!this.requested.has(addr)) return false;
    this.requested.delete(addr);
    const large = this.large.get(addr);
    if (large !== undefined) {
      this.large.delete(addr);
      this.mem.release(large.region);
      this.committed -= large.size;
      return true;
    }
    const span = this.span.get(addr)!;
    this.span.delete(addr);
    this.addFree(addr - GAP, span);
    return true;
  }

  /** The requested size of a live block, or -1. */
  size(addr: number): number {
    return this.requested.get(addr) ?? -1;
  }

  isBlock(addr: number): boolean {
    return this.requested.has(addr);
  }

  /** Usable bytes of the largest free range in the committed segments (HeapCompact). */
  largestFree(): number {
    let best = 0;
    for (const size of this.freeByStart.values()) best = Math.max(best, size - GAP);
    return best;
  }

  /**
   * Resizes a block, moving it unless `inPlaceOnly`; returns the (new) address, or 0 on failure (the old
   * block is then untouched). New bytes are zeroed with `zero`.
   */
  realloc(addr: number, size: number, opts: { inPlaceOnly?: boolean; zero?: boolean } = {}): number {
    const old = this.requested.get(addr);
    if (old === undefined) return 0;
    const need = roundUp(Math.max(size, 1), ALIGN);
    const span = this.span.get(addr);
    if (span !== undefined && need + GAP <= span) {
      // Shrinking or growing within the span we already own.
      if (opts.zero && size > old) this.mem.fill(addr + old, 0, size - old);
      this.requested.set(addr, size);
      return addr;
    }
    if (span !== undefined) {
      // Try to grow into a free neighbour.
      const nextStart = addr - GAP + span;
      const nextSize = this.freeByStart.get(nextStart);
      if (nextSize !== undefined && span + nextSize >= need + GAP) {
        this.removeFree(nextStart, nextSize);
        const total = span + nextSize;
        const keep = need + GAP;
        if (total - keep >= 2 * GAP + ALIGN) {
          this.span.set(addr, keep);
          this.addFree(addr - GAP + keep, total - keep);
        } else {
          this.span.set(addr, total);
        }
        if (opts.zero && size > old) this.mem.fill(addr + old, 0, size - old);
        this.requested.set(addr, size);
        return addr;
      }
    }
    if (opts.inPlaceOnly) return 0;
    const fresh = this.alloc(size, false);
    if (fresh === 0) return 0;
    this.mem.copyWithin(fresh, addr, Math.min(old, size));
    if (opts.zero && size > old) this.mem.fill(fresh + old, 0, size - old);
    this.free(addr);
    return fresh;
  }

  /** Releases every segment (HeapDestroy). */
  destroy(): void {
    for (const { region } of this.large.values()) this.mem.release(region);
    for (const s of this.segments) this.mem.release(s.base);
    this.segments.length = 0;
    this.committed = 0;
    this.large.clear();
    this.requested.clear();
    this.span.clear();
    this.freeByStart.clear();
    this.freeByEnd.clear();
    for (const b of this.bins) b.clear();
  }

  /** Live blocks (address, requested size), for diagnostics and tests. */
  blocks(): [number, number][] {
    return [...this.requested.entries()];
  }

  private allocLarge(need: number): number {
    const regionSize = roundUp(need + 16, 0x1000);
    if (this.maximumSize && this.committed + regionSize > this.maximumSize) return 0;
    const region = this.mem.map(regionSize, PROT.rw);
    this.committed += regionSize;
    const addr = region + 16; // room for the header Windows keeps there
    this.large.set(addr, { region, size: regionSize });
    return addr;
  }

  private allocSmall(need: number): number {
    const want = need + GAP;
    let found = this.takeFree(want);
    if (found < 0) {
      this.grow(want);
      found = this.takeFree(want);
      if (found < 0) return 0;
    }
    return found;
  }

  /** Finds a free range of at least `want` bytes, splits it, and returns the block address or -1. */
  private takeFree(want: number): number {
    for (let c = sizeClass(want); c < 32; c++) {
      for (const start of this.bins[c]!) {
        const size = this.freeByStart.get(start)!;
        if (size < want) continue;
        this.removeFree(start, size);
        const rest = size - want;
        let span = want;
        if (rest >= 2 * GAP + ALIGN) this.addFree(start + want, rest);
        else span = size;
        const addr = start + GAP;
        this.span.set(addr, span);
        return addr;
      }
    }
    return -1;
  }

  private grow(want: number): void {
    let size = roundUp(Math.max(SEGMENT, want + GAP), 0x10000);
    if (this.maximumSize) {
      // A fixed-size heap (HeapCreate with dwMaximumSize) gets at most what is left of its maximum.
      size = Math.min(size, Math.floor((this.maximumSize - this.committed) / 0x1000) * 0x1000);
      if (size < want + GAP) return;
    }
    const base = this.mem.map(size, PROT.rw);
    this.committed += size;
    this.segments.push({ base, size });
    this.addFree(base, size);
  }

  private addFree(start: number, size: number): void {
    // Coalesce with neighbours on both sides.
    const before = this.freeByEnd.get(start);
    if (before !== undefined) {
      const beforeSize = this.freeByStart.get(before)!;
      this.removeFree(before, beforeSize);
      start = before;
      size += beforeSize;
    }
    const afterSize = this.freeByStart.get(start + size);
    if (afterSize !== undefined) {
      this.removeFree(start + size, afterSize);
      size += afterSize;
    }
    this.freeByStart.set(start, size);
    this.freeByEnd.set(start + size, start);
    this.bins[sizeClass(size)]!.add(start);
  }

  private removeFree(start: number, size: number): void {
    this.freeByStart.delete(start);
    this.freeByEnd.delete(start + size);
    this.bins[sizeClass(size)]!.delete(start);
  }
}

function roundUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}
