// The C++ support the msvcrt-style runtimes export under decorated names: operator new/delete (with the new
// handler of _set_new_handler and _callnewh) and type_info's members for typeid; terminate() & co. are in
// thunks/cxx-eh.ts. (ucrtbase keeps _callnewh and the new handler; its operator new lives in each DLL's
// static vcruntime code.)
import { stateKey, type Process } from '../process.js';
import { fn, type Export } from '../spec.js';
import { writeAnsi } from '../text.js';
import type { CrtFlavour } from './format.js';
import { undecorateTypeName } from './vcruntime.js';

const newState = stateKey('crt.new', () => ({ handler: 0 }));

/** _callnewh: runs the new handler; 1 if it says to try again, 0 if there is none or it gives up. */
export function callNewHandler(p: Process, size: number): number {
  const h = p.state(newState).handler;
  if (!h) return 0;
  return p.callGuest(h, 'cdecl', [size]) ? 1 : 0;
}

/** operator new: the CRT heap; out of memory, the new handler may free some and ask for another try. */
export function operatorNew(p: Process, size: number): number {
  for (;;) {
    const a = p.heap.alloc(Math.max(size, 1));
    if (a) return a;
    if (!callNewHandler(p, size)) return 0;
  }
}

function operatorDelete(p: Process, ptr: number): void {
  if (ptr) p.heap.free(ptr);
}

/** type_info's name(): the undecorated name, kept in the object's _m_data on first use. */
function typeInfoName(p: Process, ti: number): number {
  const cached = p.mem.u32(ti + 4);
  if (cached) return cached;
  const name = undecorateTypeName(String.fromCharCode(...p.mem.readCBytes(ti + 8)));
  const a = p.heap.alloc(name.length + 1);
  if (!a) return 0;
  writeAnsi(p.mem, a, name, 1252);
  p.mem.setU32(ti + 4, a);
  return a;
}

function sameType(p: Process, a: number, b: number): boolean {
  if (a === b) return true;
  const x = p.mem.readCBytes(a + 8);
  const y = p.mem.readCBytes(b + 8);
  return x.length === y.length && x.every((c, i) => c === y[i]);
}

function before(p: Process, a: number, b: number): number {
  const x = p.mem.readCBytes(a + 8);
  const y = p.mem.readCBytes(b + 8);
  for (let i = 0; ; i++) {
    const c = x[i] ?? 0;
    const d = y[i] ?? 0;
    if (c !== d) return c < d ? 1 : 0;
    if (c === 0) return 0;
  }
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function cxxApi(flavour: CrtFlavour): Record<string, Export> {
  const r = { reentrant: true };
  const common: Record<string, Export> = {
    _callnewh: fn('cdecl', ['long'], 'int', callNewHandler, r),
    _query_new_handler: fn('cdecl', [], 'ptr', (p) => p.state(newState).handler),
    _set_new_handler: fn('cdecl', ['ptr'], 'ptr', (p, h) => {
      const s = p.state(newState);
      const old = s.handler;
      s.handler = h;
      return old;
    }),
  };
  if (flavour === 'ucrt') return common;
  return {
    ...common,
    // void *operator new(size_t), operator new[](size_t), operator delete(void *), operator delete[](void *)
    '??2@YAPAXI@Z': fn('cdecl', ['long'], 'ptr', operatorNew, r),
    '??_U@YAPAXI@Z': fn('cdecl', ['long'], 'ptr', operatorNew, r),
    '??3@YAXPAX@Z': fn('cdecl', ['ptr'], 'void', operatorDelete),
    '??_V@YAXPAX@Z': fn('cdecl', ['ptr'], 'void', operatorDelete),
    // _set_new_handler / _query_new_handler under their C++ names
    '?_set_new_handler@@YAP6AHI@ZP6AHI@Z@Z': fn('cdecl', ['ptr'], 'ptr', (p, h) => {
      const s = p.state(newState);
      const old = s.handler;
      s.handler = h;
      return old;
    }),
    '?_query_new_handler@@YAP6AHI@ZXZ': fn('cdecl', [], 'ptr', (p) => p.state(newState).handler),
    // type_info: { vftable, _m_data (the undecorated name, made on demand), _m_d_name[] }
    '??1type_info@@UAE@XZ': fn('thiscall', ['ptr'], 'void', (p, ti) => {
      const name = p.mem.u32(ti + 4);
      if (name) p.heap.free(name);
      p.mem.setU32(ti + 4, 0);
    }),
    '??8type_info@@QBEHABV0@@Z': fn('thiscall', ['ptr', 'ptr'], 'int', (p, a, b) => (sameType(p, a, b) ? 1 : 0)),
    '??9type_info@@QBEHABV0@@Z': fn('thiscall', ['ptr', 'ptr'], 'int', (p, a, b) => (sameType(p, a, b) ? 0 : 1)),
    '?before@type_info@@QBEHABV1@@Z': fn('thiscall', ['ptr', 'ptr'], 'int', before),
    '?name@type_info@@QBEPBDXZ': fn('thiscall', ['ptr'], 'ptr', typeInfoName),
    '?raw_name@type_info@@QBEPBDXZ': fn('thiscall', ['ptr'], 'ptr', (_p, ti) => ti + 8),
  };
}
