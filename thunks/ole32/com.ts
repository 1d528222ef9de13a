// The COM library of ole32, minimal: apartments (CoInitialize[Ex]/CoUninitialize/OleInitialize), the
// task allocator (CoTaskMem* and the IMalloc CoGetMalloc hands out, both on the process heap), and
// object creation, which always fails with REGDB_E_CLASSNOTREG because no COM server is registered.

import { apiTrap } from '../dispatch.js';
import { fn, type FnExport } from '../spec.js';
import { stateKey, type Process } from '../process.js';
import { guidEquals, readGuid } from './guid.js';
import { HR } from './hresult.js';

const COINIT_APARTMENTTHREADED = 0x2;
const COINIT_VALID = 0x2 | 0x4 | 0x8; // APARTMENTTHREADED, DISABLE_OLE1DDE, SPEED_OVER_MEMORY
const MEMCTX_TASK = 1;

const IID_IUnknown = '00000000-0000-0000-c000-000000000046';
const IID_IMalloc = '00000002-0000-0000-c000-000000000046';

interface ComState {
  /** Per thread: successful CoInitialize[Ex] calls not yet balanced, and the apartment they made. */
  apartments: Map<number, { count: number; sta: boolean }>;
  /** The process's IMalloc object (its address), made on first use. */
  malloc: number;
}

const comState = stateKey<ComState>('ole32', () => ({ apartments: new Map(), malloc: 0 }));

/** Is COM initialized on the calling thread? */
export function comInitialized(p: Process): boolean {
  return (p.state(comState).apartments.get(p.currentThread.id)?.count ?? 0) > 0;
}

export function CoInitializeEx(p: Process, pvReserved: number, dwCoInit: number): number {
  if (pvReserved !== 0 || dwCoInit & ~COINIT_VALID) return HR.E_INVALIDARG;
  const sta = (dwCoInit & COINIT_APARTMENTTHREADED) !== 0;
  const apartments = p.state(comState).apartments;
  const a = apartments.get(p.currentThread.id);
  if (a && a.count > 0) {
    if (a.sta !== sta) return HR.RPC_E_CHANGED_MODE;
    a.count++;
    return HR.S_FALSE;
  }
  apartments.set(p.currentThread.id, { count: 1, sta });
  return HR.S_OK;
}

export function CoUninitialize(p: Process): void {
  const a = p.state(comState).apartments.get(p.currentThread.id);
  if (a && a.count > 0) a.count--;
}

// ---- the task allocator ---------------------------------------------------------------------------

export function CoTaskMemAlloc(p: Process, cb: number): number {
  return p.heap.alloc(cb);
}

/** NULL pv allocates; a zero size frees and returns NULL; a failed resize leaves the block as it was. */
export function CoTaskMemRealloc(p: Process, pv: number, cb: number): number {
  if (pv === 0) return p.heap.alloc(cb);
  if (cb === 0) {
    p.heap.free(pv);
    return 0;
  }
  return p.heap.realloc(pv, cb);
}

export function CoTaskMemFree(p: Process, pv: number): void {
  if (pv !== 0) p.heap.free(pv);
}

/** The IMalloc methods, in vtable order (this first, stdcall). */
function mallocMethods(): [string, FnExport][] {
  return [
    [
      'QueryInterface',
      fn('stdcall', ['ptr', 'ptr', 'ptr'], 'long', (p, self, riid, ppv) => {
        if (ppv === 0) return HR.E_POINTER;
        const iid = readGuid(p, riid);
        const ok = guidEquals(iid, IID_IUnknown) || guidEquals(iid, IID_IMalloc);
        p.mem.setU32(ppv, ok ? self : 0);
        return ok ? HR.S_OK : HR.E_NOINTERFACE;
      }),
    ],
    ['AddRef', fn('stdcall', ['ptr'], 'long', (_p, _self) => 1)], // a static object: its count means nothing
    ['Release', fn('stdcall', ['ptr'], 'long', (_p, _self) => 1)],
    ['Alloc', fn('stdcall', ['ptr', 'long'], 'ptr', (p, _self, cb) => CoTaskMemAlloc(p, cb))],
    ['Realloc', fn('stdcall', ['ptr', 'ptr', 'long'], 'ptr', (p, _self, pv, cb) => CoTaskMemRealloc(p, pv, cb))],
    ['Free', fn('stdcall', ['ptr', 'ptr'], 'void', (p, _self, pv) => CoTaskMemFree(p, pv))],
    ['GetSize', fn('stdcall', ['ptr', 'ptr'], 'long', (p, _self, pv) => (pv === 0 ? -1 : p.heap.size(pv)) >>> 0)],
    ['DidAlloc', fn('stdcall', ['ptr', 'ptr'], 'int', (p, _self, pv) => (pv === 0 ? -1 : p.heap.isBlock(pv) ? 1 : 0))],
    ['HeapMinimize', fn('stdcall', ['ptr'], 'void', (_p, _self) => {})],
  ];
}

/** The process's IMalloc: a static object whose vtable entries are wowasm functions. */
function mallocObject(p: Process): number {
  const s = p.state(comState);
  if (s.malloc) return s.malloc;
  const methods = mallocMethods();
  const vtable = p.allocStatic(4 * methods.length, 4);
  methods.forEach(([name, e], i) => {
    const label = `IMalloc::${name}`;
    p.mem.setU32(vtable + 4 * i, p.cpu.defineTrap(apiTrap(p, 'ole32.dll', label, e), { name: `ole32.dll!${label}` }));
  });
  s.malloc = p.allocStatic(4, 4);
  p.mem.setU32(s.malloc, vtable);
  return s.malloc;
}

function CoGetMalloc(p: Process, dwMemContext: number, ppMalloc: number): number {
  if (ppMalloc === 0) return HR.E_POINTER;
  if (dwMemContext !== MEMCTX_TASK) {
    p.mem.setU32(ppMalloc, 0);
    return HR.E_INVALIDARG;
  }
  p.mem.setU32(ppMalloc, mallocObject(p));
  return HR.S_OK;
}

// ---- object creation ----------------------------------------------------------------------------

/** CoCreateInstance/CoGetClassObject: no class is registered, so there is nothing to create. */
function noServer(p: Process, ppv: number): number {
  if (ppv === 0) return HR.E_POINTER;
  p.mem.setU32(ppv, 0);
  if (!comInitialized(p)) return HR.CO_E_NOTINITIALIZED;
  return HR.REGDB_E_CLASSNOTREG;
}

/** ole32 exports of this area (the DLL table is their union, see thunks/ole32.ts). */
export const comApi = {
  CoCreateInstance: fn('stdcall', ['ptr', 'ptr', 'long', 'ptr', 'ptr'], 'long', (p, _clsid, _outer, _ctx, _riid, ppv) => noServer(p, ppv)),
  CoFreeUnusedLibraries: fn('stdcall', [], 'void', (_p) => {}), // no server DLL is ever loaded
  CoGetClassObject: fn('stdcall', ['ptr', 'long', 'ptr', 'ptr', 'ptr'], 'long', (p, _clsid, _ctx, _info, _riid, ppv) => noServer(p, ppv)),
  CoGetMalloc: fn('stdcall', ['long', 'ptr'], 'long', CoGetMalloc),
  CoInitialize: fn('stdcall', ['ptr'], 'long', (p, r) => CoInitializeEx(p, r, COINIT_APARTMENTTHREADED)),
  CoInitializeEx: fn('stdcall', ['ptr', 'long'], 'long', CoInitializeEx),
  CoTaskMemAlloc: fn('stdcall', ['long'], 'ptr', CoTaskMemAlloc),
  CoTaskMemFree: fn('stdcall', ['ptr'], 'void', CoTaskMemFree),
  CoTaskMemRealloc: fn('stdcall', ['ptr', 'long'], 'ptr', CoTaskMemRealloc),
  CoUninitialize: fn('stdcall', [], 'void', CoUninitialize),
  // OLE's own set-up is COM in a single-threaded apartment (there is no clipboard or drag and drop).
  OleInitialize: fn('stdcall', ['ptr'], 'long', (p, _r) => CoInitializeEx(p, 0, COINIT_APARTMENTTHREADED)),
  OleUninitialize: fn('stdcall', [], 'void', CoUninitialize),
};
