// malloc and friends, on the process heap (as msvcrt.dll does since Windows Vista).
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import type { Process } from '../process.js';
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

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function memoryApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    _expand: fn('cdecl', ['ptr', 'long'], 'ptr', _expand),
    _msize: fn('cdecl', ['ptr'], 'long', _msize),
    _recalloc: fn('cdecl', ['ptr', 'long', 'long'], 'ptr', _recalloc),
    calloc: fn('cdecl', ['long', 'long'], 'ptr', calloc),
    free: fn('cdecl', ['ptr'], 'void', free, { quiet: true }),
    malloc: fn('cdecl', ['long'], 'ptr', malloc, { quiet: true }),
    realloc: fn('cdecl', ['ptr', 'long'], 'ptr', realloc),
  };
}
