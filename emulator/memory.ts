// Guest virtual memory: reserve/commit/protect/decommit/release over 4 KiB pages, backed by physical
// frames of the emulated machine and described to the CPU by page tables the host writes itself.
// The host keeps a shadow of every mapping (frame and state per page), so host-side reads and writes
// translate addresses with one array lookup and never walk the guest's page tables.

import { GuestMemoryError, OutOfGuestMemoryError } from './errors.js';
import {
  MMIO_END_FRAME,
  MMIO_FIRST_FRAME,
  PAGE_COUNT,
  PAGE_SHIFT,
  PAGE_SIZE,
  USER_END,
  USER_MIN,
} from './layout.js';

/** Page protection as bit flags. x86 without PAE cannot refuse execution, so X is recorded, not enforced. */
export const PROT = { none: 0, r: 1, w: 2, x: 4, rw: 3, rx: 5, rwx: 7 } as const;
export type Prot = number;

export type PageState = 'free' | 'reserved' | 'committed';

export interface RegionInfo {
  baseAddress: number;
  allocationBase: number;
  allocationProt: Prot;
  regionSize: number;
  state: PageState;
  prot: Prot;
  /** True for pages only ring 0 may touch (the emulator's own structures). */
  system: boolean;
}

/** What the memory manager needs from the physical machine. */
export interface PhysicalMemory {
  /** Size of guest RAM in bytes (a multiple of the page size). */
  readonly size: number;
  /** Current views over guest RAM; the owner replaces them whenever wasm memory grows. */
  u8: Uint8Array;
  dv: DataView;
  /** Drop cached translations after page-table edits. */
  flushTlb(): void;
  /** Physical bytes [start, end) changed behind the CPU's back: discard JIT code compiled from them. */
  invalidateCode(start: number, end: number): void;
}

// Per-page flags in `flags`.
const STATE_MASK = 0x3;
const RESERVED = 0x1;
const COMMITTED = 0x2;
const PROT_SHIFT = 2; // bits 2..4: Prot
const SYSTEM = 0x20;
const RESERVATION_START = 0x40; // first page of a reservation

const PTE_PRESENT = 0x1;
const PTE_WRITE = 0x2;
const PTE_USER = 0x4;

export class GuestMemory {
  /** Virtual page -> physical frame number; 0 means not backed (frame 0 is never handed out). */
  private readonly frameOf = new Int32Array(PAGE_COUNT);
  private readonly flags = new Uint8Array(PAGE_COUNT);
  /** Virtual page -> first page of its reservation, and that reservation's initial protection. */
  private readonly allocBase = new Int32Array(PAGE_COUNT);
  private readonly allocProt = new Map<number, Prot>();
  private readonly freeFrames: Int32Array;
  private freeCount = 0;
  readonly pageDirectory: number;
  private tlbDirty = false;
  private searchHint = USER_MIN >>> PAGE_SHIFT;

  constructor(
    private readonly phys: PhysicalMemory,
    reservedFrames: Iterable<number>,
  ) {
    const frames = phys.size >>> PAGE_SHIFT;
    const skip = new Set(reservedFrames);
    skip.add(0);
    for (let f = MMIO_FIRST_FRAME; f < MMIO_END_FRAME; f++) skip.add(f);
    this.freeFrames = new Int32Array(frames);
    // Hand out low frames first (pushed last), which keeps early structures compact.
    for (let f = frames - 1; f >= 0; f--) if (!skip.has(f)) this.freeFrames[this.freeCount++] = f;
    this.pageDirectory = this.takeFrame() << PAGE_SHIFT;
  }

  get framesFree(): number {
    return this.freeCount;
  }

  /** Bytes of guest RAM (what GlobalMemoryStatus reports as physical memory). */
  get ramSize(): number {
    return this.phys.size;
  }

  // ---- address-space management -------------------------------------------------------------

  /**
   * Reserves `size` bytes of address space. With `at`, exactly there (or throws if anything is in the
   * way); otherwise the lowest (or, `topDown`, the highest) free range aligned to `align`.
   */
  reserve(size: number, opts: { at?: number; align?: number; topDown?: boolean; prot?: Prot; min?: number; max?: number } = {}): number {
    const pages = pagesFor(size);
    if (pages === 0) throw new RangeError('reserve: size must be positive');
    let first: number;
    if (opts.at !== undefined) {
      first = opts.at >>> PAGE_SHIFT;
      if ((opts.at & (PAGE_SIZE - 1)) !== 0) throw new RangeError(`reserve: 0x${hex(opts.at)} is not page-aligned`);
      if (!this.rangeFree(first, pages)) throw new OutOfGuestMemoryError(`address range 0x${hex(opts.at)}+0x${hex(size)} is not free`);
    } else {
      const found = this.findFree(pages, (opts.align ?? 0x10000) >>> PAGE_SHIFT, opts.topDown ?? false, opts.min ?? USER_MIN, opts.max ?? USER_END);
      if (found < 0) throw new OutOfGuestMemoryError(`no free guest address range of 0x${hex(size)} bytes`);
      first = found;
    }
    for (let p = first; p < first + pages; p++) {
      this.flags[p] = RESERVED | ((opts.prot ?? PROT.none) << PROT_SHIFT);
      this.allocBase[p] = first;
    }
    this.flags[first]! |= RESERVATION_START;
    this.allocProt.set(first, opts.prot ?? PROT.none);
    return first << PAGE_SHIFT;
  }

  /** Backs [addr, addr+size) with zeroed frames (pages already committed keep their contents). */
  commit(addr: number, size: number, prot: Prot): void {
    const [first, end] = this.pageSpan(addr, size);
    for (let p = first; p < end; p++) {
      if ((this.flags[p]! & STATE_MASK) === 0) throw new GuestMemoryError(p << PAGE_SHIFT, 'write');
    }
    const needed = this.countUncommitted(first, end);
    if (needed > this.freeCount) {
      throw new OutOfGuestMemoryError(`guest RAM exhausted: ${needed} pages wanted, ${this.freeCount} free (raise memoryMiB)`);
    }
    for (let p = first; p < end; p++) {
      if ((this.flags[p]! & STATE_MASK) !== COMMITTED) {
        const frame = this.takeFrame();
        const at = frame << PAGE_SHIFT;
        this.phys.u8.fill(0, at, at + PAGE_SIZE);
        this.phys.invalidateCode(at, at + PAGE_SIZE);
        this.frameOf[p] = frame;
      }
      this.flags[p] = (this.flags[p]! & (SYSTEM | RESERVATION_START)) | COMMITTED | (prot << PROT_SHIFT);
      this.writePte(p);
    }
    this.flushIfNeeded();
  }

  /** Reserve and commit in one step, at a fixed address or anywhere. */
  map(size: number, prot: Prot, opts: { at?: number; align?: number; topDown?: boolean; min?: number; max?: number } = {}): number {
    const base = this.reserve(size, { ...opts, prot });
    this.commit(base, size, prot);
    return base;
  }

  /** Changes the protection of committed pages; returns the old protection of the first page. */
  protect(addr: number, size: number, prot: Prot): Prot {
    const [first, end] = this.pageSpan(addr, size);
    for (let p = first; p < end; p++) {
      if ((this.flags[p]! & STATE_MASK) !== COMMITTED) throw new GuestMemoryError(p << PAGE_SHIFT, 'write');
    }
    const old = (this.flags[first]! >>> PROT_SHIFT) & 7;
    for (let p = first; p < end; p++) {
      this.flags[p] = (this.flags[p]! & ~(7 << PROT_SHIFT)) | (prot << PROT_SHIFT);
      this.writePte(p);
    }
    this.flushIfNeeded();
    return old;
  }

  /** Returns committed pages to the reserved state, freeing their frames. */
  decommit(addr: number, size: number): void {
    const [first, end] = this.pageSpan(addr, size);
    for (let p = first; p < end; p++) {
      if ((this.flags[p]! & STATE_MASK) === COMMITTED) {
        this.releaseFrame(p);
        this.flags[p] = (this.flags[p]! & ~STATE_MASK) | RESERVED;
      }
    }
    this.flushIfNeeded();
  }

  /** Frees a whole reservation made by reserve()/map(); `base` must be its first address. */
  release(base: number): void {
    const first = base >>> PAGE_SHIFT;
    if ((base & (PAGE_SIZE - 1)) !== 0 || (this.flags[first]! & RESERVATION_START) === 0) {
      throw new RangeError(`release: 0x${hex(base)} is not the base of a reservation`);
    }
    let p = first;
    do {
      if ((this.flags[p]! & STATE_MASK) === COMMITTED) this.releaseFrame(p);
      this.flags[p] = 0;
      this.allocBase[p] = 0;
      p++;
    } while (p < PAGE_COUNT && this.allocBase[p] === first && (this.flags[p]! & RESERVATION_START) === 0 && this.flags[p] !== 0);
    this.allocProt.delete(first);
    if (first < this.searchHint) this.searchHint = first;
    this.flushIfNeeded();
  }

  /** Maps supervisor-only pages (GDT, IDT, TSS, ring-0 stack): invisible to guest code. */
  mapSystem(addr: number, size: number): void {
    const [first, end] = this.pageSpan(addr, size);
    this.reserve(size, { at: addr, prot: PROT.rw });
    for (let p = first; p < end; p++) this.flags[p]! |= SYSTEM;
    this.commit(addr, size, PROT.rw);
  }

  /** Maps a page at the physical frame of the same number, for the boot code only. */
  mapIdentityForBoot(addr: number): void {
    const p = addr >>> PAGE_SHIFT;
    this.frameOf[p] = p;
    this.flags[p] = COMMITTED | SYSTEM | (PROT.rwx << PROT_SHIFT);
    this.writePte(p);
  }

  unmapIdentityAfterBoot(addr: number): void {
    const p = addr >>> PAGE_SHIFT;
    this.flags[p] = 0;
    this.frameOf[p] = 0;
    this.writePte(p);
    this.flushIfNeeded();
  }

  query(addr: number): RegionInfo {
    const p0 = addr >>> PAGE_SHIFT;
    const f0 = this.flags[p0]!;
    const key = f0 & (STATE_MASK | (7 << PROT_SHIFT) | SYSTEM);
    const base = f0 & STATE_MASK ? this.allocBase[p0]! : 0;
    let end = p0 + 1;
    while (
      end < PAGE_COUNT &&
      (this.flags[end]! & (STATE_MASK | (7 << PROT_SHIFT) | SYSTEM)) === key &&
      (this.flags[end]! & RESERVATION_START) === 0 &&
      (key & STATE_MASK ? this.allocBase[end] === base : true)
    ) {
      end++;
    }
    const state: PageState = (f0 & STATE_MASK) === COMMITTED ? 'committed' : (f0 & STATE_MASK) === RESERVED ? 'reserved' : 'free';
    return {
      baseAddress: (p0 << PAGE_SHIFT) >>> 0,
      allocationBase: state === 'free' ? 0 : (base << PAGE_SHIFT) >>> 0,
      allocationProt: state === 'free' ? 0 : (this.allocProt.get(base) ?? 0),
      regionSize: ((end - p0) * PAGE_SIZE) >>> 0,
      state,
      prot: state === 'committed' ? (f0 >>> PROT_SHIFT) & 7 : 0,
      system: (f0 & SYSTEM) !== 0,
    };
  }

  /** True when every byte of [addr, addr+size) is committed and readable (or writable) by the guest. */
  isAccessible(addr: number, size: number, write: boolean): boolean {
    if (size <= 0) return true;
    const first = addr >>> PAGE_SHIFT;
    const last = ((addr + size - 1) >>> 0) >>> PAGE_SHIFT;
    if (last < first) return false; // wraps around 4 GiB
    for (let p = first; p <= last; p++) {
      const f = this.flags[p]!;
      if ((f & STATE_MASK) !== COMMITTED || (f & SYSTEM) !== 0) return false;
      const prot = (f >>> PROT_SHIFT) & 7;
      if (write ? (prot & PROT.w) === 0 : prot === 0) return false;
    }
    return true;
  }

  /** Physical address of a virtual one, or -1 when the page is not backed. */
  physical(addr: number): number {
    const frame = this.frameOf[addr >>> PAGE_SHIFT]!;
    return frame === 0 ? -1 : (frame << PAGE_SHIFT) | (addr & (PAGE_SIZE - 1));
  }

  // ---- host-side access (ignores guest protection; fails only on unbacked pages) ------------

  private phys8(addr: number, access: 'read' | 'write'): number {
    const frame = this.frameOf[addr >>> PAGE_SHIFT]!;
    if (frame === 0) throw new GuestMemoryError(addr, access);
    return (frame << PAGE_SHIFT) | (addr & (PAGE_SIZE - 1));
  }

  /** Physical offset of `size` bytes at addr when they lie in one page, else -1 (caller goes bytewise). */
  private physIn(addr: number, size: number, access: 'read' | 'write'): number {
    if ((addr & (PAGE_SIZE - 1)) > PAGE_SIZE - size) return -1;
    return this.phys8(addr, access);
  }

  u8(addr: number): number {
    return this.phys.u8[this.phys8(addr >>> 0, 'read')]!;
  }
  u16(addr: number): number {
    const pa = this.physIn(addr >>> 0, 2, 'read');
    return pa >= 0 ? this.phys.dv.getUint16(pa, true) : this.u8(addr) | (this.u8(addr + 1) << 8);
  }
  u32(addr: number): number {
    const pa = this.physIn(addr >>> 0, 4, 'read');
    return pa >= 0 ? this.phys.dv.getUint32(pa, true) : (this.u16(addr) | (this.u16(addr + 2) << 16)) >>> 0;
  }
  i32(addr: number): number {
    return this.u32(addr) | 0;
  }
  i8(addr: number): number {
    return (this.u8(addr) << 24) >> 24;
  }
  i16(addr: number): number {
    return (this.u16(addr) << 16) >> 16;
  }
  u64(addr: number): bigint {
    return (BigInt(this.u32(addr + 4)) << 32n) | BigInt(this.u32(addr));
  }
  i64(addr: number): bigint {
    return BigInt.asIntN(64, this.u64(addr));
  }
  f32(addr: number): number {
    scratch.setUint32(0, this.u32(addr), true);
    return scratch.getFloat32(0, true);
  }
  f64(addr: number): number {
    scratch.setUint32(0, this.u32(addr), true);
    scratch.setUint32(4, this.u32(addr + 4), true);
    return scratch.getFloat64(0, true);
  }

  setU8(addr: number, v: number): void {
    const pa = this.phys8(addr >>> 0, 'write');
    this.phys.u8[pa] = v;
    this.phys.invalidateCode(pa, pa + 1);
  }
  setU16(addr: number, v: number): void {
    const pa = this.physIn(addr >>> 0, 2, 'write');
    if (pa < 0) {
      this.phys8((addr + 1) >>> 0, 'write'); // both pages must exist before either is written
      this.setU8(addr, v & 0xff);
      this.setU8(addr + 1, (v >>> 8) & 0xff);
      return;
    }
    this.phys.dv.setUint16(pa, v, true);
    this.phys.invalidateCode(pa, pa + 2);
  }
  setU32(addr: number, v: number): void {
    const pa = this.physIn(addr >>> 0, 4, 'write');
    if (pa < 0) {
      this.phys8((addr + 3) >>> 0, 'write'); // both pages must exist before either is written
      this.setU16(addr, v & 0xffff);
      this.setU16(addr + 2, (v >>> 16) & 0xffff);
      return;
    }
    this.phys.dv.setUint32(pa, v >>> 0, true);
    this.phys.invalidateCode(pa, pa + 4);
  }
  setU64(addr: number, v: bigint): void {
    this.phys8((addr + 7) >>> 0, 'write');
    const u = BigInt.asUintN(64, v);
    this.setU32(addr, Number(u & 0xffff_ffffn));
    this.setU32(addr + 4, Number(u >> 32n));
  }
  setF32(addr: number, v: number): void {
    scratch.setFloat32(0, v, true);
    this.setU32(addr, scratch.getUint32(0, true));
  }
  setF64(addr: number, v: number): void {
    this.phys8((addr + 7) >>> 0, 'write');
    scratch.setFloat64(0, v, true);
    this.setU32(addr, scratch.getUint32(0, true));
    this.setU32(addr + 4, scratch.getUint32(4, true));
  }

  /** Writes consecutive 32-bit words (a call frame): one translation and one code invalidation per page. */
  writeWords(addr: number, words: readonly number[]): void {
    const a = addr >>> 0;
    const bytes = words.length * 4;
    if ((a & (PAGE_SIZE - 1)) > PAGE_SIZE - bytes || (a & 3) !== 0) {
      for (let i = 0; i < words.length; i++) this.setU32(a + 4 * i, words[i]!);
      return;
    }
    const pa = this.phys8(a, 'write');
    const dv = this.phys.dv;
    for (let i = 0; i < words.length; i++) dv.setUint32(pa + 4 * i, words[i]! >>> 0, true);
    this.phys.invalidateCode(pa, pa + bytes);
  }

  /** Copies `length` guest bytes out. */
  read(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.forEachChunk(addr >>> 0, length, 'read', (pa, n, done) => out.set(this.phys.u8.subarray(pa, pa + n), done));
    return out;
  }

  /** Copies bytes in. */
  write(addr: number, bytes: Uint8Array): void {
    if (bytes.length) {
      // Fail before writing anything, naming the first unmapped byte.
      this.phys8(addr >>> 0, 'write');
      this.phys8((addr + bytes.length - 1) >>> 0, 'write');
    }
    this.forEachChunk(addr >>> 0, bytes.length, 'write', (pa, n, done) => {
      this.phys.u8.set(bytes.subarray(done, done + n), pa);
      this.phys.invalidateCode(pa, pa + n);
    });
  }

  fill(addr: number, value: number, length: number): void {
    this.forEachChunk(addr >>> 0, length, 'write', (pa, n) => {
      this.phys.u8.fill(value, pa, pa + n);
      this.phys.invalidateCode(pa, pa + n);
    });
  }

  /** Guest-to-guest copy with memmove semantics. */
  copyWithin(dst: number, src: number, length: number): void {
    if (length <= 0) return;
    this.write(dst, this.read(src, length));
  }

  /** Bytes up to (not including) the first NUL, at most `max` of them. */
  readCBytes(addr: number, max = 0x10_0000): Uint8Array {
    const u8 = this.phys.u8;
    const parts: Uint8Array[] = [];
    let total = 0;
    let a = addr >>> 0;
    while (total < max) {
      const pa = this.phys8(a, 'read');
      const n = Math.min(PAGE_SIZE - (a & (PAGE_SIZE - 1)), max - total);
      const chunk = u8.subarray(pa, pa + n);
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        parts.push(chunk.slice(0, nul));
        total += nul;
        break;
      }
      parts.push(chunk.slice());
      total += n;
      a = (a + n) >>> 0;
    }
    return parts.length === 1 ? parts[0]! : concat(parts, total);
  }

  /** UTF-16 code units up to the first NUL. */
  readWUnits(addr: number, max = 0x8_0000): Uint16Array {
    const units: number[] = [];
    for (let a = addr >>> 0; units.length < max; a = (a + 2) >>> 0) {
      const c = this.u16(a);
      if (c === 0) break;
      units.push(c);
    }
    return Uint16Array.from(units);
  }

  private forEachChunk(addr: number, length: number, access: 'read' | 'write', fn: (pa: number, n: number, done: number) => void): void {
    let done = 0;
    while (done < length) {
      const a = (addr + done) >>> 0;
      const n = Math.min(PAGE_SIZE - (a & (PAGE_SIZE - 1)), length - done);
      fn(this.phys8(a, access), n, done);
      done += n;
    }
  }

  // ---- snapshots ------------------------------------------------------------------------------

  /** The mapping state (not the contents) needed to restore this address space later. */
  saveMappings(): { frameOf: Int32Array; flags: Uint8Array; allocBase: Int32Array; allocProt: Map<number, Prot>; free: Int32Array } {
    return {
      frameOf: this.frameOf.slice(),
      flags: this.flags.slice(),
      allocBase: this.allocBase.slice(),
      allocProt: new Map(this.allocProt),
      free: this.freeFrames.slice(0, this.freeCount),
    };
  }

  restoreMappings(s: ReturnType<GuestMemory['saveMappings']>): void {
    this.frameOf.set(s.frameOf);
    this.flags.set(s.flags);
    this.allocBase.set(s.allocBase);
    this.allocProt.clear();
    for (const [k, v] of s.allocProt) this.allocProt.set(k, v);
    this.freeFrames.set(s.free);
    this.freeCount = s.free.length;
    this.searchHint = USER_MIN >>> PAGE_SHIFT;
    // The page tables themselves live in guest RAM, which the caller restores with the frames.
    this.tlbDirty = true;
    this.flushIfNeeded();
  }

  // ---- internals ------------------------------------------------------------------------------

  private takeFrame(): number {
    if (this.freeCount === 0) throw new OutOfGuestMemoryError('guest RAM exhausted (raise memoryMiB)');
    return this.freeFrames[--this.freeCount]!;
  }

  private releaseFrame(page: number): void {
    this.freeFrames[this.freeCount++] = this.frameOf[page]!;
    this.frameOf[page] = 0;
    this.writePte(page);
  }

  private countUncommitted(first: number, end: number): number {
    let n = 0;
    for (let p = first; p < end; p++) if ((this.flags[p]! & STATE_MASK) !== COMMITTED) n++;
    return n;
  }

  /** Rewrites the page-table entry of one virtual page from the shadow state. */
  private writePte(page: number): void {
    const dv = this.phys.dv;
    const pdeAt = this.pageDirectory + (page >>> 10) * 4;
    let pde = dv.getUint32(pdeAt, true);
    if ((pde & PTE_PRESENT) === 0) {
      const table = this.takeFrame() << PAGE_SHIFT;
      this.phys.u8.fill(0, table, table + PAGE_SIZE);
      // Directory entries allow everything; the table entries decide.
      pde = table | PTE_PRESENT | PTE_WRITE | PTE_USER;
      dv.setUint32(pdeAt, pde, true);
    }
    const f = this.flags[page]!;
    const prot = (f >>> PROT_SHIFT) & 7;
    let pte = 0;
    if ((f & STATE_MASK) === COMMITTED && prot !== PROT.none) {
      pte = (this.frameOf[page]! << PAGE_SHIFT) | PTE_PRESENT;
      if (prot & PROT.w) pte |= PTE_WRITE;
      if ((f & SYSTEM) === 0) pte |= PTE_USER;
    }
    dv.setUint32((pde & ~0xfff) + (page & 0x3ff) * 4, pte >>> 0, true);
    this.tlbDirty = true;
  }

  private flushIfNeeded(): void {
    if (this.tlbDirty) {
      this.tlbDirty = false;
      this.phys.flushTlb();
    }
  }

  private pageSpan(addr: number, size: number): [number, number] {
    const first = (addr >>> 0) >>> PAGE_SHIFT;
    const end = Math.ceil(((addr >>> 0) + size) / PAGE_SIZE);
    if (size <= 0 || end > PAGE_COUNT) throw new RangeError(`bad range 0x${hex(addr)}+0x${hex(size)}`);
    return [first, end];
  }

  private rangeFree(first: number, pages: number): boolean {
    if (first + pages > PAGE_COUNT) return false;
    for (let p = first; p < first + pages; p++) if (this.flags[p] !== 0) return false;
    return true;
  }

  private findFree(pages: number, alignPages: number, topDown: boolean, min: number, max: number): number {
    const lo = Math.ceil((min >>> PAGE_SHIFT) / alignPages) * alignPages;
    const hi = (max >>> PAGE_SHIFT) - pages;
    if (topDown) {
      for (let p = Math.floor(hi / alignPages) * alignPages; p >= lo; p -= alignPages) if (this.rangeFree(p, pages)) return p;
      return -1;
    }
    const start = Math.max(lo, Math.ceil(this.searchHint / alignPages) * alignPages);
    for (let p = start; p <= hi; p += alignPages) {
      if (this.rangeFree(p, pages)) {
        if (p === start) this.searchHint = p + pages;
        return p;
      }
    }
    // The hint may have skipped a range freed earlier: search the rest from the bottom.
    for (let p = lo; p < start && p <= hi; p += alignPages) if (this.rangeFree(p, pages)) return p;
    return -1;
  }
}

const scratch = new DataView(new ArrayBuffer(8));

function pagesFor(size: number): number {
  return Math.ceil(size / PAGE_SIZE);
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function hex(v: number): string {
  return (v >>> 0).toString(16);
}
