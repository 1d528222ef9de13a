// The Global* and Local* memory functions (one implementation: since Windows NT both work on the process
// heap), the memory status, and the heap information functions (GetProcessHeaps, HeapWalk, ...).
//
// GMEM_FIXED/LMEM_FIXED memory is a heap block whose address is the handle. GMEM_MOVEABLE memory is a
// handle: the address of the `ptr` field of an 8-byte entry { u32 flags; void *ptr } in a handle table,
// so handles are 4 mod 8 and heap pointers 0 mod 8, and `*(void **)hMem` is the data, as on Windows. The
// entry's flags are Windows' too: 3 for a live entry, +4 discardable, +8 discarded, +0x8000 DDE share,
// the lock count in bits 16-23.
import { fn } from '../spec.js';
import { stateKey, type Process } from '../process.js';
import { ERROR } from '../win32.js';
import { heapOf } from './memory.js';

export const GMEM = {
  FIXED: 0x0,
  MOVEABLE: 0x2,
  ZEROINIT: 0x40,
  MODIFY: 0x80,
  DISCARDABLE: 0x100,
  DDESHARE: 0x2000,
  DISCARDED: 0x4000,
  INVALID_HANDLE: 0x8000,
  LOCKCOUNT: 0xff,
} as const;
export const LMEM = { FIXED: 0x0, MOVEABLE: 0x2, ZEROINIT: 0x40, MODIFY: 0x80, DISCARDABLE: 0xf00, DISCARDED: 0x4000, INVALID_HANDLE: 0x8000 } as const;

const ERROR_DISCARDED = 157;
const MAX_HANDLES = 0x1_0000; // Windows' handle table holds this many moveable objects
const ENTRY_FLAG = { LIVE: 0x3, DISCARDABLE: 0x4, DISCARDED: 0x8, DDESHARE: 0x8000 } as const;

interface Moveable {
  readonly handle: number;
  ptr: number; // 0: discarded
  lock: number;
  discardable: boolean;
  ddeShare: boolean;
}

interface GlobalState {
  byHandle: Map<number, Moveable>;
  byPtr: Map<number, Moveable>;
  freeEntries: number[];
  arena: { at: number; end: number };
}

const globalState = stateKey<GlobalState>('kernel32.global', () => ({ byHandle: new Map(), byPtr: new Map(), freeEntries: [], arena: { at: 0, end: 0 } }));

type Kind = 'global' | 'local';

function writeEntry(p: Process, m: Moveable): void {
  const flags =
    ENTRY_FLAG.LIVE | (m.discardable ? ENTRY_FLAG.DISCARDABLE : 0) | (m.ptr === 0 ? ENTRY_FLAG.DISCARDED : 0) | (m.ddeShare ? ENTRY_FLAG.DDESHARE : 0) | (m.lock << 16);
  p.mem.setU32(m.handle - 4, flags);
  p.mem.setU32(m.handle, m.ptr);
}

function newMoveable(p: Process, ptr: number, discardable: boolean, ddeShare: boolean): Moveable | undefined {
  const s = p.state(globalState);
  if (s.byHandle.size >= MAX_HANDLES) return undefined;
  let entry = s.freeEntries.pop();
  if (entry === undefined) {
    if (s.arena.at >= s.arena.end) {
      const base = p.allocStatic(0x1000, 8);
      s.arena = { at: base, end: base + 0x1000 };
    }
    entry = s.arena.at;
    s.arena.at += 8;
  }
  const m: Moveable = { handle: entry + 4, ptr, lock: 0, discardable, ddeShare };
  s.byHandle.set(m.handle, m);
  if (ptr) s.byPtr.set(ptr, m);
  writeEntry(p, m);
  return m;
}

function dropMoveable(p: Process, m: Moveable): void {
  const s = p.state(globalState);
  s.byHandle.delete(m.handle);
  if (m.ptr) s.byPtr.delete(m.ptr);
  p.mem.setU32(m.handle - 4, 0);
  p.mem.setU32(m.handle, 0);
  s.freeEntries.push(m.handle - 4);
}

const isHandleShaped = (h: number) => (h & 7) === 4;

function moveable(p: Process, h: number): Moveable | undefined {
  return isHandleShaped(h) ? p.state(globalState).byHandle.get(h >>> 0) : undefined;
}

/** A live fixed block (a heap block that is not the data of a moveable object). */
function isFixedBlock(p: Process, h: number): boolean {
  return (h & 7) === 0 && h !== 0 && p.heap.isBlock(h) && !p.state(globalState).byPtr.has(h);
}

/** The error a bad handle gets: a pointer to nowhere is ERROR_NOACCESS, anything else ERROR_INVALID_HANDLE. */
function badHandleError(p: Process, h: number): number {
  return (h & 7) === 0 && !p.mem.isAccessible(h >>> 0, 1, false) ? ERROR.NOACCESS : ERROR.INVALID_HANDLE;
}

export function MemAlloc(p: Process, kind: Kind, flags: number, size: number): number {
  const zero = (flags & GMEM.ZEROINIT) !== 0;
  if (!(flags & GMEM.MOVEABLE)) {
    // GlobalAlloc(GMEM_FIXED, 0) still has a byte (GlobalSize says 1); LocalAlloc's has none.
    const ptr = p.heap.alloc(kind === 'global' ? Math.max(size, 1) : size, zero);
    if (!ptr) p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
    return ptr;
  }
  const discardable = kind === 'global' ? (flags & GMEM.DISCARDABLE) !== 0 : (flags & LMEM.DISCARDABLE) !== 0;
  const ddeShare = kind === 'global' && (flags & GMEM.DDESHARE) !== 0;
  let ptr = 0;
  if (size > 0) {
    ptr = p.heap.alloc(size, zero);
    if (!ptr) {
      p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
      return 0;
    }
  }
  const m = newMoveable(p, ptr, discardable, ddeShare);
  if (!m) {
    if (ptr) p.heap.free(ptr);
    p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
    return 0;
  }
  return m.handle;
}

/** Returns NULL on success, the handle on failure (and frees a locked object too, as Windows does). */
export function MemFree(p: Process, h: number): number {
  if (h === 0) return 0;
  const m = moveable(p, h);
  if (m) {
    if (m.ptr) p.heap.free(m.ptr);
    dropMoveable(p, m);
    return 0;
  }
  if (isFixedBlock(p, h)) {
    p.heap.free(h);
    return 0;
  }
  p.setLastError(badHandleError(p, h));
  return h;
}

export function MemLock(p: Process, kind: Kind, h: number): number {
  const m = moveable(p, h);
  if (m) {
    if (!m.ptr) {
      p.setLastError(ERROR_DISCARDED);
      return 0;
    }
    if (m.lock < GMEM.LOCKCOUNT) m.lock++;
    writeEntry(p, m);
    return m.ptr;
  }
  if (isFixedBlock(p, h)) return h;
  if (kind === 'global' || isHandleShaped(h)) p.setLastError(ERROR.INVALID_HANDLE);
  return 0;
}

/**
 * Nonzero while the object stays locked; FALSE with ERROR_SUCCESS when this unlocked it, FALSE with
 * ERROR_NOT_LOCKED when it was not locked. GlobalUnlock of fixed memory (or of a bad handle) returns TRUE,
 * LocalUnlock FALSE.
 */
export function MemUnlock(p: Process, kind: Kind, h: number): boolean {
  const m = moveable(p, h);
  if (m) {
    if (m.lock === 0) {
      p.setLastError(ERROR.NOT_LOCKED);
      return false;
    }
    m.lock--;
    writeEntry(p, m);
    if (m.lock === 0) p.setLastError(ERROR.SUCCESS);
    return m.lock !== 0;
  }
  if (isHandleShaped(h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return kind === 'global';
  }
  if (kind === 'global') return true;
  p.setLastError(ERROR.NOT_LOCKED);
  return false;
}

export function MemSize(p: Process, h: number): number {
  const m = moveable(p, h);
  if (m) return m.ptr ? p.heap.size(m.ptr) : 0;
  if (isFixedBlock(p, h)) return p.heap.size(h);
  p.setLastError(ERROR.INVALID_HANDLE);
  return 0;
}

export function MemFlags(p: Process, kind: Kind, h: number): number {
  const m = moveable(p, h);
  if (m) {
    let f = m.lock;
    if (m.discardable) f |= kind === 'global' ? GMEM.DISCARDABLE : LMEM.DISCARDABLE;
    if (!m.ptr) f |= GMEM.DISCARDED;
    if (m.ddeShare) f |= GMEM.DDESHARE;
    return f;
  }
  if (isFixedBlock(p, h)) return 0;
  p.setLastError(kind === 'local' ? badHandleError(p, h) : ERROR.INVALID_HANDLE);
  return GMEM.INVALID_HANDLE;
}

/** The handle of a pointer returned by Lock (or of a handle, or a fixed block: itself). */
export function MemHandle(p: Process, ptr: number): number {
  const s = p.state(globalState);
  const m = s.byPtr.get(ptr >>> 0) ?? moveable(p, ptr);
  if (m) return m.handle;
  if (isFixedBlock(p, ptr)) return ptr;
  p.setLastError(ERROR.INVALID_HANDLE);
  return 0;
}

export function MemReAlloc(p: Process, kind: Kind, h: number, size: number, flags: number): number {
  const zero = (flags & GMEM.ZEROINIT) !== 0;
  const mayMove = (flags & GMEM.MOVEABLE) !== 0;
  const m = moveable(p, h);
  if (m) {
    if (flags & GMEM.MODIFY) {
      if (flags & (kind === 'global' ? GMEM.DISCARDABLE : LMEM.DISCARDABLE)) m.discardable = true;
      writeEntry(p, m);
      return m.handle;
    }
    const s = p.state(globalState);
    if (size === 0 && mayMove) {
      // Discard (GlobalDiscard): only an unlocked object.
      if (m.lock) {
        p.setLastError(ERROR.INVALID_PARAMETER);
        return 0;
      }
      if (m.ptr) {
        s.byPtr.delete(m.ptr);
        p.heap.free(m.ptr);
        m.ptr = 0;
      }
      writeEntry(p, m);
      return m.handle;
    }
    if (!m.ptr) {
      const ptr = p.heap.alloc(size, zero);
      if (!ptr) {
        p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
        return 0;
      }
      m.ptr = ptr;
      s.byPtr.set(ptr, m);
      writeEntry(p, m);
      return m.handle;
    }
    // A locked object stays where it is unless the caller allows it to move.
    const ptr = p.heap.realloc(m.ptr, size, { inPlaceOnly: m.lock > 0 && !mayMove, zero });
    if (!ptr) {
      p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
      return 0;
    }
    s.byPtr.delete(m.ptr);
    m.ptr = ptr;
    s.byPtr.set(ptr, m);
    writeEntry(p, m);
    return m.handle;
  }
  if (!isFixedBlock(p, h)) {
    p.setLastError(badHandleError(p, h));
    return 0;
  }
  if (flags & GMEM.MODIFY) {
    // GlobalReAlloc(GMEM_MODIFY | GMEM_MOVEABLE) turns fixed memory into a moveable object; LocalReAlloc
    // leaves it fixed.
    if (kind === 'global' && mayMove) {
      const n = newMoveable(p, h, false, false);
      if (!n) {
        p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
        return 0;
      }
      return n.handle;
    }
    return h;
  }
  // Fixed memory may only change size when it may move (Windows 10 refuses even a same-size request).
  if (!mayMove) {
    p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
    return 0;
  }
  const ptr = p.heap.realloc(h, kind === 'global' ? Math.max(size, 1) : size, { zero });
  if (!ptr) p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
  return ptr;
}

// ---- memory status ---------------------------------------------------------------------------

/** User address space of a 32-bit process without /LARGEADDRESSAWARE: 64 KiB up to 2 GiB - 64 KiB. */
const USER_SPACE = { start: 0x1_0000, end: 0x7fff_0000 } as const;

function memoryFigures(p: Process): { load: number; totalPhys: number; availPhys: number; totalVirtual: number; availVirtual: number } {
  const totalPhys = p.mem.ramSize;
  const availPhys = p.mem.framesFree * 0x1000;
  let availVirtual = 0;
  for (let a: number = USER_SPACE.start; a < USER_SPACE.end; ) {
    const r = p.mem.query(a);
    const end = Math.min(a + r.regionSize, USER_SPACE.end);
    if (r.state === 'free') availVirtual += end - a;
    a = end;
  }
  return {
    load: Math.round((100 * (totalPhys - availPhys)) / totalPhys),
    totalPhys,
    availPhys,
    totalVirtual: USER_SPACE.end - USER_SPACE.start, // 0x7FFE0000, as Windows reports
    availVirtual,
  };
}

/** MEMORYSTATUS (32 bytes). Without a page file the commit limit is the RAM. */
export function GlobalMemoryStatus(p: Process, out: number): void {
  const f = memoryFigures(p);
  p.mem.writeWords(out, [32, f.load, f.totalPhys, f.availPhys, f.totalPhys, f.availPhys, f.totalVirtual, f.availVirtual]);
}

/** MEMORYSTATUSEX (64 bytes): dwLength must be set. */
export function GlobalMemoryStatusEx(p: Process, out: number): boolean {
  if (p.mem.u32(out) !== 64) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const f = memoryFigures(p);
  p.mem.setU32(out + 4, f.load);
  const q = [f.totalPhys, f.availPhys, f.totalPhys, f.availPhys, f.totalVirtual, f.availVirtual, 0];
  q.forEach((v, i) => p.mem.setU64(out + 8 + 8 * i, BigInt(v)));
  return true;
}

/** GetPhysicallyInstalledSystemMemory: kilobytes of RAM. */
export function GetPhysicallyInstalledSystemMemory(p: Process, out: number): boolean {
  if (!out) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.setU64(out, BigInt(p.mem.ramSize / 1024));
  return true;
}

// ---- heap information ------------------------------------------------------------------------

export function GetProcessHeaps(p: Process, count: number, out: number): number {
  const handles = [...p.heaps.keys()];
  const process = p.heap.handle;
  handles.sort((a, b) => (a === process ? -1 : b === process ? 1 : 0));
  if (count >= handles.length) handles.forEach((h, i) => p.mem.setU32(out + 4 * i, h));
  return handles.length;
}

/** The size of the largest free block (0 with ERROR_SUCCESS when there is none). */
export function HeapCompact(p: Process, h: number, _flags: number): number {
  const heap = heapOf(p, h);
  if (!heap) return 0;
  const n = heap.largestFree();
  if (n === 0) p.setLastError(ERROR.SUCCESS);
  return n;
}

/** One guest thread runs at a time: locking a heap only checks the handle. */
export function HeapLock(p: Process, h: number): boolean {
  return heapOf(p, h) !== undefined;
}

const HEAP_INFO = { COMPATIBILITY: 0, TERMINATE_ON_CORRUPTION: 1, OPTIMIZE_RESOURCES: 3 } as const;
const heapCompat = stateKey<Map<number, number>>('kernel32.heapCompat', () => new Map());

export function HeapSetInformation(p: Process, h: number, cls: number, info: number, len: number): boolean {
  if (cls === HEAP_INFO.TERMINATE_ON_CORRUPTION) return true; // process-wide, heap may be NULL
  if (cls === HEAP_INFO.OPTIMIZE_RESOURCES) {
    // HEAP_OPTIMIZE_RESOURCES_INFORMATION { Version = 1, Flags }
    if (len < 8 || p.mem.u32(info) !== 1) {
      p.setLastError(ERROR.INVALID_PARAMETER);
      return false;
    }
    return true;
  }
  if (cls !== HEAP_INFO.COMPATIBILITY) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  if (!heapOf(p, h)) return false;
  if (len < 4) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  const v = p.mem.u32(info);
  if (v !== 0 && v !== 2) {
    // Only the low-fragmentation heap (2) can be switched on; look-asides (1) no longer exist.
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.state(heapCompat).set(h, v);
  return true;
}

export function HeapQueryInformation(p: Process, h: number, cls: number, info: number, len: number, retLen: number): boolean {
  if (cls !== HEAP_INFO.COMPATIBILITY) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  if (!heapOf(p, h)) return false;
  if (retLen) p.mem.setU32(retLen, 4);
  if (len < 4 || !info) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  p.mem.setU32(info, p.state(heapCompat).get(h) ?? 0);
  return true;
}

const PROCESS_HEAP_ENTRY_BUSY = 0x4;
const PROCESS_HEAP_ENTRY_SIZE = 28;

/**
 * Walks the allocated blocks of a heap in address order: start with lpData = NULL; FALSE with
 * ERROR_NO_MORE_ITEMS at the end. Only busy blocks are listed (no region or free-range entries).
 */
export function HeapWalk(p: Process, h: number, entry: number): boolean {
  const heap = heapOf(p, h);
  if (!heap) return false;
  const prev = p.mem.u32(entry);
  let next: { addr: number; size: number } | undefined;
  for (const [addr, size] of heap.blocks()) if (addr > prev && (!next || addr < next.addr)) next = { addr, size };
  if (!next) {
    p.setLastError(ERROR.NO_MORE_ITEMS);
    return false;
  }
  p.mem.fill(entry, 0, PROCESS_HEAP_ENTRY_SIZE);
  p.mem.setU32(entry, next.addr);
  p.mem.setU32(entry + 4, next.size);
  p.mem.setU8(entry + 8, 8); // cbOverhead: the block header
  p.mem.setU16(entry + 10, PROCESS_HEAP_ENTRY_BUSY);
  const m = p.state(globalState).byPtr.get(next.addr);
  if (m) {
    p.mem.setU16(entry + 10, PROCESS_HEAP_ENTRY_BUSY | 0x10); // PROCESS_HEAP_ENTRY_MOVEABLE
    p.mem.setU32(entry + 12, m.handle); // Block.hMem
  }
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const globalApi = {
  GetPhysicallyInstalledSystemMemory: fn('stdcall', ['ptr'], 'bool', GetPhysicallyInstalledSystemMemory),
  GetProcessHeaps: fn('stdcall', ['long', 'ptr'], 'long', GetProcessHeaps),
  GlobalAlloc: fn('stdcall', ['long', 'long'], 'long', (p, f, n) => MemAlloc(p, 'global', f, n)),
  GlobalFlags: fn('stdcall', ['long'], 'long', (p, h) => MemFlags(p, 'global', h)),
  GlobalFree: fn('stdcall', ['long'], 'long', MemFree),
  GlobalHandle: fn('stdcall', ['ptr'], 'long', MemHandle),
  GlobalLock: fn('stdcall', ['long'], 'ptr', (p, h) => MemLock(p, 'global', h)),
  GlobalMemoryStatus: fn('stdcall', ['ptr'], 'void', GlobalMemoryStatus),
  GlobalMemoryStatusEx: fn('stdcall', ['ptr'], 'bool', GlobalMemoryStatusEx),
  GlobalReAlloc: fn('stdcall', ['long', 'long', 'long'], 'long', (p, h, n, f) => MemReAlloc(p, 'global', h, n, f)),
  GlobalSize: fn('stdcall', ['long'], 'long', MemSize),
  GlobalUnlock: fn('stdcall', ['long'], 'bool', (p, h) => MemUnlock(p, 'global', h)),
  HeapCompact: fn('stdcall', ['long', 'long'], 'long', HeapCompact),
  HeapLock: fn('stdcall', ['long'], 'bool', HeapLock),
  HeapQueryInformation: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr'], 'bool', HeapQueryInformation),
  HeapSetInformation: fn('stdcall', ['long', 'long', 'ptr', 'long'], 'bool', HeapSetInformation),
  HeapUnlock: fn('stdcall', ['long'], 'bool', HeapLock),
  HeapWalk: fn('stdcall', ['long', 'ptr'], 'bool', HeapWalk),
  LocalAlloc: fn('stdcall', ['long', 'long'], 'long', (p, f, n) => MemAlloc(p, 'local', f, n)),
  LocalFlags: fn('stdcall', ['long'], 'long', (p, h) => MemFlags(p, 'local', h)),
  LocalFree: fn('stdcall', ['long'], 'long', MemFree),
  LocalHandle: fn('stdcall', ['ptr'], 'long', MemHandle),
  LocalLock: fn('stdcall', ['long'], 'ptr', (p, h) => MemLock(p, 'local', h)),
  LocalReAlloc: fn('stdcall', ['long', 'long', 'long'], 'long', (p, h, n, f) => MemReAlloc(p, 'local', h, n, f)),
  LocalSize: fn('stdcall', ['long'], 'long', MemSize),
  LocalUnlock: fn('stdcall', ['long'], 'bool', (p, h) => MemUnlock(p, 'local', h)),
};
