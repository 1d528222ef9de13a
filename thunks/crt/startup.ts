// C runtime start-up and shut-down: _initterm, exit handlers, locks, fatal exits.
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { ProcessExitError } from '../errors.js';
import type { Process } from '../process.js';
import { crt } from './state.js';

/** Calls each non-NULL function pointer in [begin, end): the CRT's constructor tables. */
export function _initterm(p: Process, begin: number, end: number): void {
  for (let at = begin; at < end; at += 4) {
    const f = p.mem.u32(at);
    if (f) p.callGuest(f, 'cdecl', []);
  }
}

/** As _initterm, stopping at the first function returning non-zero, which it returns. */
export function _initterm_e(p: Process, begin: number, end: number): number {
  for (let at = begin; at < end; at += 4) {
    const f = p.mem.u32(at);
    if (f) {
      const r = p.callGuest(f, 'cdecl', []);
      if (r !== 0) return r;
    }
  }
  return 0;
}

export function atexit(p: Process, f: number): number {
  if (!f) return -1;
  p.state(crt).atexit.push(f);
  return 0;
}

export function _onexit(p: Process, f: number): number {
  return atexit(p, f) === 0 ? f : 0;
}

/**
 * __dllonexit(func, &begin, &end): a DLL's private atexit table, grown on the CRT heap. The DLL calls the
 * functions itself at DLL_PROCESS_DETACH.
 */
export function __dllonexit(p: Process, f: number, pbegin: number, pend: number): number {
  const m = p.mem;
  const begin = m.u32(pbegin);
  const end = m.u32(pend);
  const count = begin ? (end - begin) / 4 : 0;
  const size = p.heap.size(begin);
  let table = begin;
  if (!begin || size < 0 || (count + 1) * 4 > size) {
    table = begin ? p.heap.realloc(begin, (count + 16) * 4) : p.heap.alloc(16 * 4, true);
    if (!table) return 0;
  }
  m.setU32(table + count * 4, f);
  m.setU32(pbegin, table);
  m.setU32(pend, table + (count + 1) * 4);
  return f;
}

/** Runs the process's atexit functions, last registered first (on unload). */
export function runAtExit(p: Process): void {
  const list = p.state(crt).atexit;
  while (list.length) p.callGuest(list.pop()!, 'cdecl', []);
}

/** _lock/_unlock guard the CRT's internal tables; one guest thread runs at a time. */
export function _lock(_p: Process, _n: number): void {}
export function _unlock(_p: Process, _n: number): void {}

export function _amsg_exit(p: Process, code: number): never {
  throw new ProcessExitError(`_amsg_exit (C runtime error R60${String(code).padStart(2, '0')})`, 255, p.where());
}

export function abort(p: Process): never {
  throw new ProcessExitError('abort', 3, p.where());
}

export function exit(p: Process, code: number): never {
  throw new ProcessExitError('exit', code, p.where());
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function startupApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    __dllonexit: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', __dllonexit),
    _amsg_exit: fn('cdecl', ['int'], 'void', _amsg_exit),
    _errno: fn('cdecl', [], 'ptr', (p) => p.state(crt).errnoAddr, { quiet: true }),
    _exit: fn('cdecl', ['int'], 'void', exit),
    _initterm: fn('cdecl', ['ptr', 'ptr'], 'void', _initterm, { reentrant: true }),
    _initterm_e: fn('cdecl', ['ptr', 'ptr'], 'int', _initterm_e, { reentrant: true }),
    _lock: fn('cdecl', ['int'], 'void', _lock, { quiet: true }),
    _onexit: fn('cdecl', ['ptr'], 'ptr', _onexit),
    _unlock: fn('cdecl', ['int'], 'void', _unlock, { quiet: true }),
    abort: fn('cdecl', [], 'void', abort),
    atexit: fn('cdecl', ['ptr'], 'int', atexit),
    exit: fn('cdecl', ['int'], 'void', exit),
  };
}
