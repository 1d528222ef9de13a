// Run-time type information of Microsoft's 32-bit C++ (typeid, dynamic_cast) and the exception classes the
// runtime itself throws (std::bad_cast, std::bad_typeid, std::__non_rtti_object).
//
// x86 RTTI, absolute pointers: vftable[-1] is the CompleteObjectLocator {signature 0, offset of this
// vfptr in the complete object, constructor displacement offset, TypeDescriptor, ClassHierarchyDescriptor};
// the CHD {signature, attributes (1 multiple, 2 virtual inheritance), numBaseClasses, BaseClassArray} lists
// BaseClassDescriptors {TypeDescriptor, numContainedBases, PMD where, attributes (1 not visible, 2
// ambiguous, 0x40 has CHD), CHD} in pre-order, the class itself first. A PMD {mdisp, pdisp, vdisp} places
// a base in the complete object (through its vbtable when pdisp >= 0).
//
// The runtime's exception classes are made in guest memory once per process, with RTTI, vftables
// {scalar deleting destructor, what} and ThrowInfo, so that the guest catches them by name, calls what()
// through the vftable and asks typeid of them like of any class; their methods are host functions.

import { GuestMemoryError } from '../emulator/errors.js';
import { adjustPointer, installCxxDescriber, typeName } from './cxx-eh.js';
import { apiTrap } from './dispatch.js';
import { stateKey, type Process } from './process.js';
import { EXCEPTION_FLAG, STATUS } from './seh.js';
import { dataAt, fn, NO_RETURN, type Export, type FnExport } from './spec.js';
import { writeAnsi } from './text.js';

type Mem = Process['mem'];

/** Class names as the runtime declares them: in namespace std (Visual C++ 2005 and later) or global (msvcrt.dll, msvcr70/71). */
export type RttiNaming = 'std' | 'global';

const CLASS_CHAINS = {
  exception: ['exception'],
  bad_cast: ['bad_cast', 'exception'],
  bad_typeid: ['bad_typeid', 'exception'],
  __non_rtti_object: ['__non_rtti_object', 'bad_typeid', 'exception'],
} as const;
export type RuntimeClassName = keyof typeof CLASS_CHAINS;

interface RuntimeClass {
  typeDescriptor: number;
  vftable: number;
  throwInfo: number;
}

interface Runtime {
  typeInfoVftable: number;
  classes: Record<RuntimeClassName, RuntimeClass>;
}

const OBJECT_SIZE = 12; // {vftable, what, owned}

/** The runtime's exception classes of one naming, built on first use. */
const runtimes = stateKey('crt.rtti', () => new Map<RttiNaming, Runtime>());

function runtimeFor(p: Process, naming: RttiNaming): Runtime {
  let r = p.state(runtimes).get(naming);
  if (!r) p.state(runtimes).set(naming, (r = buildRuntime(p, naming)));
  return r;
}

function staticString(p: Process, text: string): number {
  const a = p.allocStatic(text.length + 1, 1);
  writeAnsi(p.mem, a, text, 1252);
  return a;
}

/** Frees an owned what() string: the destructor of the exception classes. */
function destroyData(p: Process, object: number): void {
  if (p.mem.u8(object + 8) && p.mem.u32(object + 4)) p.heap.free(p.mem.u32(object + 4));
  p.mem.setU32(object + 4, 0);
  p.mem.setU8(object + 8, 0);
}

/** Copies {what, owned} from `from`, duplicating an owned string. */
function copyData(p: Process, from: number, to: number): void {
  const m = p.mem;
  const what = m.u32(from + 4);
  if (!m.u8(from + 8) || !what) {
    m.setU32(to + 4, what);
    m.setU8(to + 8, 0);
    return;
  }
  const bytes = m.readCBytes(what);
  const copy = p.heap.alloc(bytes.length + 1);
  m.write(copy, bytes);
  m.setU8(copy + bytes.length, 0);
  m.setU32(to + 4, copy);
  m.setU8(to + 8, 1);
}

function buildRuntime(p: Process, naming: RttiNaming): Runtime {
  const m = p.mem;
  const trap = (name: string, e: FnExport) => p.cpu.defineTrap(apiTrap(p, 'c++ runtime', name, e), { name: `c++ runtime!${name}`, reentrant: e.reentrant });
  const decorated = (cls: string) => (naming === 'std' ? `.?AV${cls}@std@@` : `.?AV${cls}@@`);
  const unknown = runtimeString(p, 'Unknown exception');

  // type_info itself: its vftable (what every TypeDescriptor points at) with RTTI of its own.
  const typeInfoDtor = trap('type_info::`scalar deleting destructor\'', fn('thiscall', ['ptr', 'long'], 'ptr', (pp, self, flags) => {
    if (flags & 1) pp.heap.free(self);
    return self;
  }));
  const typeInfoVftable = p.allocStatic(8, 4) + 4;
  const descriptor = (name: string) => {
    const td = p.allocStatic(8 + name.length + 1, 4);
    m.setU32(td, typeInfoVftable);
    writeAnsi(m, td + 8, name, 1252);
    return td;
  };
  const hierarchy = (chain: readonly string[], tds: Map<string, number>): number => {
    // CHD and base class array for chain[0] (each class derives singly from the next).
    const chd = p.allocStatic(16, 4);
    const array = p.allocStatic(4 * chain.length, 4);
    m.setU32(chd + 4, 0);
    m.setU32(chd + 8, chain.length);
    m.setU32(chd + 12, array);
    chain.forEach((cls, i) => {
      const bcd = p.allocStatic(28, 4);
      m.setU32(bcd, tds.get(cls)!);
      m.setU32(bcd + 4, chain.length - 1 - i);
      m.setU32(bcd + 8, 0);
      m.setU32(bcd + 12, 0xffff_ffff);
      m.setU32(bcd + 16, 0);
      m.setU32(bcd + 20, i === 0 ? 0x40 : 0); // BCD_HASPCHD: the class's own descriptor follows
      m.setU32(bcd + 24, i === 0 ? chd : 0);
      m.setU32(array + 4 * i, bcd);
    });
    return chd;
  };
  const locator = (td: number, chd: number) => {
    const col = p.allocStatic(20, 4);
    m.setU32(col + 12, td);
    m.setU32(col + 16, chd);
    return col;
  };
  const tiTd = descriptor('.?AVtype_info@@');
  m.setU32(typeInfoVftable - 4, locator(tiTd, hierarchy(['type_info'], new Map([['type_info', tiTd]]))));
  m.setU32(typeInfoVftable, typeInfoDtor);

  const tds = new Map<string, number>();
  for (const cls of ['exception', 'bad_cast', 'bad_typeid', '__non_rtti_object']) tds.set(cls, descriptor(decorated(cls)));

  const what = trap('exception::what', fn('thiscall', ['ptr'], 'ptr', (pp, self) => pp.mem.u32(self + 4) || unknown));
  const destructor = trap('exception::`scalar deleting destructor\'', fn('thiscall', ['ptr', 'long'], 'ptr', (pp, self, flags) => {
    destroyData(pp, self);
    if (flags & 1) pp.heap.free(self);
    return self;
  }));
  // How the runtime disposes of the objects it throws itself (they live on the heap).
  const destroyThrown = trap('exception::`destroy thrown object\'', fn('thiscall', ['ptr'], 'void', (pp, self) => {
    destroyData(pp, self);
    pp.heap.free(self);
  }));

  const classes = {} as Record<RuntimeClassName, RuntimeClass>;
  const vftables = new Map<string, number>();
  for (const [name, chain] of Object.entries(CLASS_CHAINS) as [RuntimeClassName, readonly string[]][]) {
    const td = tds.get(name)!;
    const vftable = p.allocStatic(12, 4) + 4;
    m.setU32(vftable - 4, locator(td, hierarchy(chain, tds)));
    m.setU32(vftable, destructor);
    m.setU32(vftable + 4, what);
    vftables.set(name, vftable);
    classes[name] = { typeDescriptor: td, vftable, throwInfo: 0 };
  }
  const copyCtor = new Map<string, number>();
  for (const name of Object.keys(CLASS_CHAINS)) {
    const vftable = vftables.get(name)!;
    copyCtor.set(name, trap(`${name}::${name} (copy)`, fn('thiscall', ['ptr', 'ptr'], 'ptr', (pp, self, other) => {
      pp.mem.setU32(self, vftable);
      copyData(pp, other, self);
      return self;
    })));
  }
  const catchable = new Map<string, number>();
  for (const name of Object.keys(CLASS_CHAINS)) {
    const ct = p.allocStatic(28, 4);
    m.setU32(ct, 0);
    m.setU32(ct + 4, tds.get(name)!);
    m.setU32(ct + 8, 0);
    m.setU32(ct + 12, 0xffff_ffff);
    m.setU32(ct + 16, 0);
    m.setU32(ct + 20, OBJECT_SIZE);
    m.setU32(ct + 24, copyCtor.get(name)!);
    catchable.set(name, ct);
  }
  for (const [name, chain] of Object.entries(CLASS_CHAINS) as [RuntimeClassName, readonly string[]][]) {
    const cta = p.allocStatic(4 + 4 * chain.length, 4);
    m.setU32(cta, chain.length);
    chain.forEach((cls, i) => m.setU32(cta + 4 + 4 * i, catchable.get(cls)!));
    const ti = p.allocStatic(16, 4);
    m.setU32(ti + 4, destroyThrown);
    m.setU32(ti + 12, cta);
    classes[name].throwInfo = ti;
  }
  return { typeInfoVftable, classes };
}

/** The type_info vftable of the runtime (vcruntime140's ??_7type_info@@6B@). */
export function typeInfoVftable(p: Process, naming: RttiNaming): number {
  return runtimeFor(p, naming).typeInfoVftable;
}

/**
 * Throws one of the runtime's exceptions from a host function, at its call site (`pops`: argument bytes the
 * function pops). The object is on the heap, with a static what() string; it is freed when destroyed.
 */
export function throwRuntimeException(p: Process, naming: RttiNaming, cls: RuntimeClassName, message: string, pops: number): typeof NO_RETURN {
  const m = p.mem;
  const c = runtimeFor(p, naming).classes[cls];
  const object = p.heap.alloc(OBJECT_SIZE);
  m.setU32(object, c.vftable);
  m.setU32(object + 4, runtimeString(p, message));
  m.setU8(object + 8, 0);
  installCxxDescriber(p);
  const esp = p.cpu.esp;
  const ctx = { ...p.cpu.registers(), eip: m.u32(esp), esp: esp + 4 + pops };
  p.seh.raiseFromTrap(p.cpu, { code: STATUS.CPP_EXCEPTION, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params: [0x1993_0520, object, c.throwInfo] }, ctx);
  return NO_RETURN;
}

// ---- typeid and dynamic_cast ---------------------------------------------------------------------

interface Locator {
  offset: number;
  cdOffset: number;
  typeDescriptor: number;
  hierarchy: number;
}

/** The CompleteObjectLocator of a polymorphic object (from vftable[-1]); undefined when it is not one. */
function locatorOf(m: Mem, object: number): Locator | undefined {
  const col = m.u32(m.u32(object) - 4);
  if (!m.isAccessible(col, 20, false) || m.u32(col) !== 0) return undefined;
  const typeDescriptor = m.u32(col + 12);
  const hierarchy = m.u32(col + 16);
  if (!m.isAccessible(typeDescriptor, 9, false) || !m.isAccessible(hierarchy, 16, false)) return undefined;
  return { offset: m.i32(col + 4), cdOffset: m.i32(col + 8), typeDescriptor, hierarchy };
}

function completeObject(m: Mem, object: number, col: Locator): number {
  let whole = object - col.offset;
  if (col.cdOffset) whole += m.i32(object - col.cdOffset);
  return whole >>> 0;
}

interface BaseClass {
  typeDescriptor: number;
  contained: number;
  where: { mdisp: number; pdisp: number; vdisp: number };
  attributes: number;
}

function baseClasses(m: Mem, chd: number): BaseClass[] {
  const n = Math.min(m.u32(chd + 8), 4096);
  const array = m.u32(chd + 12);
  return Array.from({ length: n }, (_, i) => {
    const bcd = m.u32(array + 4 * i);
    return { typeDescriptor: m.u32(bcd), contained: m.u32(bcd + 4), where: { mdisp: m.i32(bcd + 8), pdisp: m.i32(bcd + 12), vdisp: m.i32(bcd + 16) }, attributes: m.u32(bcd + 20) };
  });
}

const BCD_NOTVISIBLE = 1;
const BCD_AMBIGUOUS = 2;
const CHD_MULTINH = 1;
const CHD_VIRTINH = 2;

/** Offset of a base in the complete object (PMDtoOffset). */
function offsetIn(m: Mem, whole: number, where: BaseClass['where']): number {
  return adjustPointer(m, whole, where) - whole;
}

const sameType = (m: Mem, a: number, b: number) => a === b || typeName(m, a) === typeName(m, b);

/**
 * The base class of the complete object that dynamic_cast<target> from the `source` subobject at
 * `sourceOffset` reaches: a down-cast to a class containing that very subobject, else an unambiguous,
 * visible cross-cast. Single, multiple and virtual inheritance as the CHD says.
 */
function findTarget(m: Mem, whole: number, chd: number, source: number, sourceOffset: number, target: number): BaseClass | undefined {
  const attributes = m.u32(chd + 4);
  const bases = baseClasses(m, chd);
  if (!(attributes & CHD_MULTINH)) {
    return bases.find((b) => sameType(m, b.typeDescriptor, target) && !(b.attributes & BCD_NOTVISIBLE));
  }
  const virtual = (attributes & CHD_VIRTINH) !== 0;
  const where = (b: BaseClass) => (virtual ? offsetIn(m, whole, b.where) : b.where.mdisp);
  // Down-casts: a target instance that contains the source instance.
  for (let i = 0; i < bases.length; i++) {
    const b = bases[i]!;
    if (!sameType(m, b.typeDescriptor, target)) continue;
    for (let j = 1; j <= b.contained && i + j < bases.length; j++) {
      const sub = bases[i + j]!;
      if (sameType(m, sub.typeDescriptor, source) && where(sub) === sourceOffset) return b;
    }
  }
  // Cross-casts: the one visible instance of the target.
  let found: BaseClass | undefined;
  for (const b of bases) {
    if (!sameType(m, b.typeDescriptor, target) || b.attributes & BCD_NOTVISIBLE) continue;
    if (!virtual && b.attributes & BCD_AMBIGUOUS) return undefined;
    if (found && where(found) !== where(b)) return undefined; // two instances: ambiguous
    found = b;
  }
  return found;
}

/** How a runtime names its classes, and whether its texts are the Visual C++ 2015+ ones ("nullptr"). */
export interface RttiRuntime {
  naming: RttiNaming;
  vc2015: boolean;
}

function messages(rt: RttiRuntime) {
  return {
    nullTypeid: rt.vc2015 ? 'Attempted a typeid of nullptr pointer!' : 'Attempted a typeid of NULL pointer!',
    noRtti: 'Bad read pointer - no RTTI data!',
    accessViolation: 'Access violation - no RTTI data!',
    badCast: 'Bad dynamic_cast!',
  };
}

/** __RTtypeid(object): the TypeDescriptor (type_info) of a polymorphic object's complete type. */
function RTtypeid(p: Process, rt: RttiRuntime, object: number): number | typeof NO_RETURN {
  const naming = rt.naming;
  const text = messages(rt);
  if (!object) return throwRuntimeException(p, naming, 'bad_typeid', text.nullTypeid, 0);
  try {
    const col = locatorOf(p.mem, object);
    if (!col) return throwRuntimeException(p, naming, '__non_rtti_object', text.noRtti, 0);
    return col.typeDescriptor;
  } catch (e) {
    if (e instanceof GuestMemoryError) return throwRuntimeException(p, naming, '__non_rtti_object', text.accessViolation, 0);
    throw e;
  }
}

/** __RTDynamicCast(object, vfDelta, source type, target type, isReference). */
function RTDynamicCast(p: Process, rt: RttiRuntime, object: number, vfDelta: number, source: number, target: number, isReference: number): number | typeof NO_RETURN {
  if (!object) return 0;
  const m = p.mem;
  const naming = rt.naming;
  const text = messages(rt);
  let result = 0;
  try {
    const col = locatorOf(m, object);
    if (!col) return throwRuntimeException(p, naming, '__non_rtti_object', text.accessViolation, 0);
    const whole = completeObject(m, object, col);
    const sourceOffset = (object - vfDelta - whole) | 0;
    const base = findTarget(m, whole, col.hierarchy, source, sourceOffset, target);
    if (base) result = adjustPointer(m, whole, base.where);
  } catch (e) {
    if (e instanceof GuestMemoryError) return throwRuntimeException(p, naming, '__non_rtti_object', text.accessViolation, 0);
    throw e;
  }
  if (!result && isReference) return throwRuntimeException(p, naming, 'bad_cast', text.badCast, 0);
  return result;
}

/** __RTCastToVoid(object): dynamic_cast<void *>, the complete object. */
function RTCastToVoid(p: Process, rt: RttiRuntime, object: number): number | typeof NO_RETURN {
  if (!object) return 0;
  try {
    const col = locatorOf(p.mem, object);
    if (!col) return throwRuntimeException(p, rt.naming, '__non_rtti_object', messages(rt).accessViolation, 0);
    return completeObject(p.mem, object, col);
  } catch (e) {
    if (e instanceof GuestMemoryError) return throwRuntimeException(p, rt.naming, '__non_rtti_object', messages(rt).accessViolation, 0);
    throw e;
  }
}

/** The RTTI exports of a runtime; vcruntime140 also exports the type_info vftable (`typeInfoVftable`). */
export function rttiApi(rt: RttiRuntime, opts: { typeInfoVftable?: boolean } = {}): Record<string, Export> {
  return {
    __RTCastToVoid: fn('cdecl', ['ptr'], 'ptr', (p, object) => RTCastToVoid(p, rt, object)),
    __RTDynamicCast: fn('cdecl', ['ptr', 'int', 'ptr', 'ptr', 'int'], 'ptr', (p, object, vfDelta, source, target, isReference) => RTDynamicCast(p, rt, object, vfDelta, source, target, isReference)),
    __RTtypeid: fn('cdecl', ['ptr'], 'ptr', (p, object) => RTtypeid(p, rt, object)),
    ...(opts.typeInfoVftable ? { '??_7type_info@@6B@': dataAt((p) => typeInfoVftable(p, rt.naming)) } : {}),
  };
}

// ---- the exception classes msvcrt.dll and msvcr70-120 export ----------------------------------------

/**
 * Members of exception, bad_cast, bad_typeid and __non_rtti_object as the msvcrt-style runtimes export
 * them (global names for msvcrt.dll and msvcr70/71, std:: from msvcr80 on): constructors, copy
 * constructors, operator=, destructors, the deleting destructors, what() and the vftables. The objects
 * are {vftable, what, owned}; a what() string the object owns is a heap copy.
 */
export function exceptionClassesApi(naming: RttiNaming): Record<string, Export> {
  const q = naming === 'std' ? '@std@@' : '@@';
  const self = naming === 'std' ? 'V01@' : 'V0@'; // a reference to the class itself in its own members' names
  const vftable = (p: Process, cls: RuntimeClassName) => runtimeFor(p, naming).classes[cls].vftable;
  /** Sets up an object of `cls` with a what() string: copied (owned) or not. */
  const construct = (p: Process, object: number, cls: RuntimeClassName, message: number, copy: boolean): number => {
    const m = p.mem;
    m.setU32(object, vftable(p, cls));
    m.setU32(object + 4, message);
    m.setU8(object + 8, 0);
    if (copy && message) {
      m.setU8(object + 8, 1);
      copyData(p, object, object); // duplicates the string it now "owns"
    }
    return object;
  };
  const literal = (p: Process, text: string) => runtimeString(p, text);
  const exports: Record<string, Export> = {};
  for (const cls of Object.keys(CLASS_CHAINS) as RuntimeClassName[]) {
    const name = `${cls}${q}`;
    exports[`??_7${name}6B@`] = dataAt((p) => vftable(p, cls));
    exports[`??0${name}QAE@AB${self}@Z`] = fn('thiscall', ['ptr', 'ptr'], 'ptr', (p, object, other) => {
      p.mem.setU32(object, vftable(p, cls));
      copyData(p, other, object);
      return object;
    });
    exports[`??1${name}UAE@XZ`] = fn('thiscall', ['ptr'], 'void', (p, object) => {
      p.mem.setU32(object, vftable(p, cls));
      destroyData(p, object);
    });
    exports[`??4${name}QAEAA${self}AB${self}@Z`] = fn('thiscall', ['ptr', 'ptr'], 'ptr', (p, object, other) => {
      if (object !== other) {
        destroyData(p, object);
        copyData(p, other, object);
      }
      return object;
    });
    exports[`??_G${name}UAEPAXI@Z`] = fn('thiscall', ['ptr', 'long'], 'ptr', (p, object, flags) => deletingDestructor(p, object, flags));
    exports[`??_E${name}UAEPAXI@Z`] = fn('thiscall', ['ptr', 'long'], 'ptr', (p, object, flags) => deletingDestructor(p, object, flags));
  }
  const ctorFromPointer = (cls: RuntimeClassName) => fn('thiscall', ['ptr', 'ptr'], 'ptr', (p, object, message) => construct(p, object, cls, message, true));
  const ctorFromReference = (cls: RuntimeClassName) => fn('thiscall', ['ptr', 'ptr'], 'ptr', (p, object, ref) => construct(p, object, cls, ref ? p.mem.u32(ref) : 0, true));
  Object.assign(exports, {
    [`??0exception${q}QAE@XZ`]: fn('thiscall', ['ptr'], 'ptr', (p, object) => construct(p, object, 'exception', 0, false)),
    [`??0exception${q}QAE@ABQBD@Z`]: ctorFromReference('exception'),
    // exception(const char *const &, int): the string is used as it is, not copied.
    [`??0exception${q}QAE@ABQBDH@Z`]: fn('thiscall', ['ptr', 'ptr', 'int'], 'ptr', (p, object, ref, _noCopy) => construct(p, object, 'exception', ref ? p.mem.u32(ref) : 0, false)),
    [`?what@exception${q}UBEPBDXZ`]: fn('thiscall', ['ptr'], 'ptr', (p, object) => p.mem.u32(object + 4) || literal(p, 'Unknown exception')),
    [`??0bad_cast${q}QAE@ABQBD@Z`]: ctorFromReference('bad_cast'),
    [`??0bad_cast${q}AAE@PBQBD@Z`]: ctorFromReference('bad_cast'),
    [`??0bad_cast${q}QAE@PBD@Z`]: ctorFromPointer('bad_cast'),
    [`??_Fbad_cast${q}QAEXXZ`]: fn('thiscall', ['ptr'], 'void', (p, object) => void construct(p, object, 'bad_cast', literal(p, 'bad cast'), true)),
    [`??0bad_typeid${q}QAE@PBD@Z`]: ctorFromPointer('bad_typeid'),
    [`??_Fbad_typeid${q}QAEXXZ`]: fn('thiscall', ['ptr'], 'void', (p, object) => void construct(p, object, 'bad_typeid', literal(p, 'bad typeid'), true)),
    [`??0__non_rtti_object${q}QAE@PBD@Z`]: ctorFromPointer('__non_rtti_object'),
  });
  return exports;
}

/** The scalar (flags bit 0: free) and vector (bit 1: an array with its count before it) deleting destructor. */
function deletingDestructor(p: Process, object: number, flags: number): number {
  if (flags & 2) {
    const count = p.mem.u32(object - 4);
    for (let i = count - 1; i >= 0; i--) destroyData(p, object + OBJECT_SIZE * i);
    if (flags & 1) p.heap.free(object - 4);
    return object - 4;
  }
  destroyData(p, object);
  if (flags & 1) p.heap.free(object);
  return object;
}

/** A static string made once per process and text. */
const literals = stateKey('crt.rtti.literals', () => new Map<string, number>());
function runtimeString(p: Process, text: string): number {
  const all = p.state(literals);
  let a = all.get(text);
  if (a === undefined) all.set(text, (a = staticString(p, text)));
  return a;
}
