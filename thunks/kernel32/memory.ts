// Virtual memory (VirtualAlloc & co.) over the emulator's page manager, and the Heap* functions.
import { fn, forward } from '../spec.js';
import { GuestMemoryError, OutOfGuestMemoryError } from '../../emulator/errors.js';
import { PROT, type Prot } from '../../emulator/memory.js';
import { Heap } from '../heap.js';
import type { Process } from '../process.js';
import { ERROR, HEAP, MEM, PAGE } from '../win32.js';

const PAGE_SIZE = 0x1000;
const GRANULARITY = 0x1_0000;

/** PAGE_* -> emulator protection; undefined for an invalid combination. */
export function protFromPage(page: number): Prot | undefined {
  switch (page & 0xff) {
    case PAGE.NOACCESS:
      return PROT.none;
    case PAGE.READONLY:
      return PROT.r;
    case PAGE.READWRITE:
    case PAGE.WRITECOPY:
      return PROT.rw;
    case PAGE.EXECUTE:
      return PROT.x;
    case PAGE.EXECUTE_READ:
      return PROT.rx;
    case PAGE.EXECUTE_READWRITE:
    case PAGE.EXECUTE_WRITECOPY:
      return PROT.rwx;
    default:
      return undefined;
  }
}

export function pageFromProt(prot: Prot): number {
  switch (prot) {
    case PROT.none:
      return PAGE.NOACCESS;
    case PROT.r:
      return PAGE.READONLY;
    case PROT.w:
    case PROT.rw:
      return PAGE.READWRITE;
    case PROT.x:
      return PAGE.EXECUTE;
    case PROT.rx:
      return PAGE.EXECUTE_READ;
    default:
      return PAGE.EXECUTE_READWRITE;
  }
}

export function VirtualAlloc(p: Process, addr: number, size: number, type: number, protect: number): number {
  const prot = protFromPage(protect);
  if (prot === undefined || size === 0 || (type & (MEM.COMMIT | MEM.RESERVE | MEM.RESET)) === 0) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const mem = p.mem;
  try {
    if (type & MEM.RESET) return addr; // contents may be discarded: keeping them is allowed
    if (type & MEM.RESERVE) {
      const at = addr ? Math.floor(addr / GRANULARITY) * GRANULARITY : undefined;
      const span = addr ? Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE - at! : Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
      const base = mem.reserve(span, { ...(at !== undefined ? { at } : {}), topDown: (type & MEM.TOP_DOWN) !== 0, prot });
      if (type & MEM.COMMIT) mem.commit(base, span, prot);
      return base; // the region starts at the address rounded down to the allocation granularity
    }
    // MEM_COMMIT alone: inside an existing reservation.
    const start = addr - (addr % PAGE_SIZE);
    const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    const region = mem.query(start);
    if (addr === 0 || region.state === 'free') {
      p.setLastError(addr === 0 ? ERROR.INVALID_PARAMETER : ERROR.INVALID_ADDRESS);
      return 0;
    }
    mem.commit(start, end - start, prot);
    return start;
  } catch (e) {
    if (e instanceof OutOfGuestMemoryError) {
      p.setLastError(addr ? ERROR.INVALID_ADDRESS : ERROR.NOT_ENOUGH_MEMORY);
      return 0;
    }
    if (e instanceof GuestMemoryError || e instanceof RangeError) {
      p.setLastError(ERROR.INVALID_ADDRESS);
      return 0;
    }
    throw e;
  }
}

export function VirtualFree(p: Process, addr: number, size: number, type: number): boolean {
  const mem = p.mem;
  try {
    if (type === MEM.RELEASE) {
      const info = mem.query(addr);
      if (size !== 0 || info.state === 'free' || info.allocationBase !== addr || info.system || p.modules.moduleAt(addr)) {
        p.setLastError(ERROR.INVALID_PARAMETER);
        return false;
      }
      mem.release(addr);
      return true;
    }
    if (type === MEM.DECOMMIT) {
      const info = mem.query(addr);
      if (info.state === 'free' || info.system) {
        p.setLastError(ERROR.INVALID_ADDRESS);
        return false;
      }
      const start = addr - (addr % PAGE_SIZE);
      const end = size === 0 ? info.allocationBase + allocationSize(p, info.allocationBase) : Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
      mem.decommit(start, end - start);
      return true;
    }
  } catch {
    p.setLastError(ERROR.INVALID_ADDRESS);
    return false;
  }
  p.setLastError(ERROR.INVALID_PARAMETER);
  return false;
}

function allocationSize(p: Process, base: number): number {
  let end = base;
  for (;;) {
    const r = p.mem.query(end);
    if (r.state === 'free' || r.allocationBase !== base) return end - base;
    end += r.regionSize;
  }
}

export function VirtualProtect(p: Process, addr: number, size: number, newProtect: number, oldOut: number): boolean {
  const prot = protFromPage(newProtect);
  if (prot === undefined || oldOut === 0) {
    p.setLastError(oldOut === 0 ? ERROR.NOACCESS : ERROR.INVALID_PARAMETER);
    return false;
  }
  const start = addr - (addr % PAGE_SIZE);
  const end = Math.ceil((addr + Math.max(size, 1)) / PAGE_SIZE) * PAGE_SIZE;
  const info = p.mem.query(start);
  if (info.state !== 'committed' || info.system) {
    p.setLastError(ERROR.INVALID_ADDRESS);
    return false;
  }
  try {
    const old = p.mem.protect(start, end - start, prot);
    p.mem.setU32(oldOut, pageFromProt(old));
    return true;
  } catch (e) {
    if (e instanceof GuestMemoryError) {
      p.setLastError(ERROR.INVALID_ADDRESS);
      return false;
    }
    throw e;
  }
}

/** Fills a MEMORY_BASIC_INFORMATION (28 bytes); returns bytes written or 0. */
export function VirtualQuery(p: Process, addr: number, out: number, size: number): number {
  if (size < 28) {
    p.setLastError(ERROR.BAD_LENGTH);
    return 0;
  }
  if (addr >= 0x7fff_0000) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const r = p.mem.query(addr);
  const m = p.mem;
  m.setU32(out, r.baseAddress);
  m.setU32(out + 4, r.allocationBase);
  m.setU32(out + 8, r.state === 'free' ? 0 : pageFromProt(r.allocationProt));
  m.setU32(out + 12, r.regionSize);
  m.setU32(out + 16, r.state === 'committed' ? MEM.COMMIT : r.state === 'reserved' ? MEM.RESERVE : MEM.FREE);
  m.setU32(out + 20, r.state === 'committed' ? pageFromProt(r.prot) : 0);
  m.setU32(out + 24, r.state === 'free' ? 0 : p.modules.moduleAt(addr) ? MEM.IMAGE : MEM.PRIVATE);
  return 28;
}

// ---- heaps ---------------------------------------------------------------------------------

export function heapOf(p: Process, h: number): Heap | undefined {
  const heap = p.heaps.get(h);
  if (!heap) p.setLastError(ERROR.INVALID_HANDLE);
  return heap;
}

export function GetProcessHeap(p: Process): number {
  return p.heap.handle;
}

export function HeapCreate(p: Process, _options: number, _initial: number, maximum: number): number {
  try {
    const handle = p.mem.map(0x1000, PROT.rw);
    p.heaps.set(handle, new Heap(p.mem, handle, maximum));
    return handle;
  } catch {
    p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
    return 0;
  }
}

export function HeapDestroy(p: Process, h: number): boolean {
  const heap = heapOf(p, h);
  if (!heap || heap === p.heap) return false;
  heap.destroy();
  p.heaps.delete(h);
  p.mem.release(h);
  return true;
}

export function HeapAlloc(p: Process, h: number, flags: number, size: number): number {
  const heap = heapOf(p, h);
  if (!heap) return 0;
  const addr = heap.alloc(size, (flags & HEAP.ZERO_MEMORY) !== 0);
  if (!addr) p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
  return addr;
}

export function HeapFree(p: Process, h: number, _flags: number, addr: number): boolean {
  if (addr === 0) return true;
  const heap = heapOf(p, h);
  if (!heap) return false;
  if (!heap.free(addr)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  return true;
}

export function HeapReAlloc(p: Process, h: number, flags: number, addr: number, size: number): number {
  const heap = heapOf(p, h);
  if (!heap) return 0;
  if (!heap.isBlock(addr)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const r = heap.realloc(addr, size, { inPlaceOnly: (flags & HEAP.REALLOC_IN_PLACE_ONLY) !== 0, zero: (flags & HEAP.ZERO_MEMORY) !== 0 });
  if (!r) p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
  return r;
}

export function HeapSize(p: Process, h: number, _flags: number, addr: number): number {
  const heap = heapOf(p, h);
  const n = heap ? heap.size(addr) : -1;
  if (n < 0) p.setLastError(ERROR.INVALID_PARAMETER);
  return n < 0 ? 0xffff_ffff : n;
}

export function HeapValidate(p: Process, h: number, _flags: number, addr: number): boolean {
  const heap = heapOf(p, h);
  return !!heap && (addr === 0 || heap.isBlock(addr));
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const memoryApi = {
  GetProcessHeap: fn('stdcall', [], 'long', GetProcessHeap, { quiet: true }),
  HeapAlloc: fn('stdcall', ['long', 'long', 'long'], 'ptr', HeapAlloc, { quiet: true }),
  HeapCreate: fn('stdcall', ['long', 'long', 'long'], 'long', HeapCreate),
  HeapDestroy: fn('stdcall', ['long'], 'bool', HeapDestroy),
  HeapFree: fn('stdcall', ['long', 'long', 'ptr'], 'bool', HeapFree, { quiet: true }),
  HeapReAlloc: fn('stdcall', ['long', 'long', 'ptr', 'long'], 'ptr', HeapReAlloc),
  HeapSize: fn('stdcall', ['long', 'long', 'ptr'], 'long', HeapSize),
  HeapValidate: fn('stdcall', ['long', 'long', 'ptr'], 'bool', HeapValidate),
  VirtualAlloc: fn('stdcall', ['ptr', 'long', 'long', 'long'], 'ptr', VirtualAlloc),
  VirtualFree: fn('stdcall', ['ptr', 'long', 'long'], 'bool', VirtualFree),
  VirtualProtect: fn('stdcall', ['ptr', 'long', 'long', 'ptr'], 'bool', VirtualProtect),
  VirtualQuery: fn('stdcall', ['ptr', 'ptr', 'long'], 'long', VirtualQuery),
  RtlMoveMemory: forward('ntdll.RtlMoveMemory'),
  RtlZeroMemory: forward('ntdll.RtlZeroMemory'),
  RtlFillMemory: forward('ntdll.RtlFillMemory'),
};
