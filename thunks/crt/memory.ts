// malloc and friends, on the process heap (as msvcrt.dll does since Windows Vista).
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import type { Process } from '../process.js';
import { hasSecureCrt } from './flavour.js';
import { invalidParameter } from './signal.js';
import { ERRNO, setErrno } from './state.js';

export function malloc(p: Process, n: number): number {
  const a = p.heap.alloc(n);
  if (!a) setErrno(p, ERRNO.ENOMEM);
  return a;
}

export function calloc(p: Process, count: number, size: number): number {
  const total = count * size;
  if (total > 0xffff_ffe0) {
    setErrno(p, ERRNO.ENOMEM);
    return 0;
  }
  const a = p.heap.alloc(total, true);
  if (!a) setErrno(p, ERRNO.ENOMEM);
  return a;
}

export function realloc(p: Process, ptr: number, n: number): number {
  if (ptr === 0) return malloc(p, n);
  if (n === 0) {
    p.heap.free(ptr);
    return 0;
  }
  const a = p.heap.realloc(ptr, n);
  if (!a) setErrno(p, ERRNO.ENOMEM);
  return a;
}

export function free(p: Process, ptr: number): void {
  if (ptr) p.heap.free(ptr);
}

export function _msize(p: Process, ptr: number): number {
  const n = p.heap.size(ptr);
  if (n < 0) {
    setErrno(p, ERRNO.EINVAL);
    return 0xffff_ffff;
  }
  return n;
}

export function _expand(p: Process, ptr: number, n: number): number {
  return p.heap.realloc(ptr, n, { inPlaceOnly: true });
}

export function _recalloc(p: Process, ptr: number, count: number, size: number): number {
  const old = ptr ? p.heap.size(ptr) : 0;
  const total = count * size;
  const a = realloc(p, ptr, total);
  if (a && total > old) p.mem.fill(a + Math.max(old, 0), 0, total - Math.max(old, 0));
  return a;
}

// ---- _aligned_malloc & co. ------------------------------------------------------------------------
// The block handed out starts at an address A with (A + offset) % alignment == 0; the heap block it lives in
// and the requested size are kept in two words just below A (at (A & ~3) - 8), as the CRT keeps its own.

const isPow2 = (v: number) => v > 0 && (v & (v - 1)) === 0;

function alignedHeader(a: number): number {
  return (a & ~3) - 8;
}

export function alignedOffsetMalloc(p: Process, fnName: string, size: number, alignment: number, offset: number): number {
  if (!isPow2(alignment) || (offset !== 0 && offset >= size)) {
    invalidParameter(p, fnName, !isPow2(alignment) ? `alignment ${alignment} is not a power of 2` : 'offset is not below size');
    return 0;
  }
  const align = Math.max(alignment, 4);
  const block = p.heap.alloc(size + align + 12);
  if (!block) {
    setErrno(p, ERRNO.ENOMEM);
    return 0;
  }
  const a = Math.ceil((block + 12 + offset) / align) * align - offset;
  p.mem.setU32(alignedHeader(a), block);
  p.mem.setU32(alignedHeader(a) + 4, size);
  return a;
}

export function _aligned_free(p: Process, a: number): void {
  if (a) p.heap.free(p.mem.u32(alignedHeader(a)));
}

export function alignedOffsetRealloc(p: Process, fnName: string, a: number, size: number, alignment: number, offset: number): number {
  if (!a) return alignedOffsetMalloc(p, fnName, size, alignment, offset);
  if (size === 0) {
    _aligned_free(p, a);
    return 0;
  }
  const old = p.mem.u32(alignedHeader(a) + 4);
  const b = alignedOffsetMalloc(p, fnName, size, alignment, offset);
  if (!b) return 0;
  p.mem.copyWithin(b, a, Math.min(old, size));
  _aligned_free(p, a);
  return b;
}

export function _aligned_msize(p: Process, a: number, alignment: number, _offset: number): number {
  if (!a || !isPow2(alignment)) {
    invalidParameter(p, '_aligned_msize', 'invalid block or alignment');
    return 0xffff_ffff;
  }
  return p.mem.u32(alignedHeader(a) + 4);
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function memoryApi(_flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const aligned: Record<string, Export> = {
    _aligned_free: fn('cdecl', ['ptr'], 'void', _aligned_free),
    _aligned_malloc: fn('cdecl', ['long', 'long'], 'ptr', (p, n, al) => alignedOffsetMalloc(p, '_aligned_malloc', n, al, 0), r),
    _aligned_offset_malloc: fn('cdecl', ['long', 'long', 'long'], 'ptr', (p, n, al, off) => alignedOffsetMalloc(p, '_aligned_offset_malloc', n, al, off), r),
    _aligned_offset_realloc: fn('cdecl', ['ptr', 'long', 'long', 'long'], 'ptr', (p, a, n, al, off) => alignedOffsetRealloc(p, '_aligned_offset_realloc', a, n, al, off), r),
    _aligned_realloc: fn('cdecl', ['ptr', 'long', 'long'], 'ptr', (p, a, n, al) => alignedOffsetRealloc(p, '_aligned_realloc', a, n, al, 0), r),
  };
  if (hasSecureCrt(version)) aligned._aligned_msize = fn('cdecl', ['ptr', 'long', 'long'], 'long', _aligned_msize, r);
  return {
    ...aligned,
    _expand: fn('cdecl', ['ptr', 'long'], 'ptr', _expand),
    _msize: fn('cdecl', ['ptr'], 'long', _msize),
    _recalloc: fn('cdecl', ['ptr', 'long', 'long'], 'ptr', _recalloc),
    calloc: fn('cdecl', ['long', 'long'], 'ptr', calloc),
    free: fn('cdecl', ['ptr'], 'void', free, { quiet: true }),
    malloc: fn('cdecl', ['long'], 'ptr', malloc, { quiet: true }),
    realloc: fn('cdecl', ['ptr', 'long'], 'ptr', realloc),
  };
}
