// C++ exception handling of Microsoft's 32-bit runtimes (msvcrt.dll, msvcr70-120, vcruntime140/ucrtbase),
// on top of the guest SEH of thunks/seh.ts.
//
// A `throw` is _CxxThrowException: exception 0xE06D7363 with [magic, object, ThrowInfo]. Every function with
// objects to destroy or try blocks registers a frame {savedESP, next, handler, state} whose handler loads
// its FuncInfo into EAX and jumps to __CxxFrameHandler3. The frame handler matches the try blocks around the
// frame's state against the thrown type's catchable types, builds the catch object in the frame, unwinds
// the frames above (RtlUnwind) and its own objects down to the try block, and calls the catch funclet with
// EBP = registration + 12; the funclet returns where execution continues.
//
// How it runs here: the handler is a reentrant host function. Copy constructors and destructors are short
// nested guest calls behind a guard frame (an exception escaping them terminates, as on Windows). The
// catch funclet is entered guest-style instead, below the dispatcher's frame, behind a "catch guard"
// registration, with a trap as its return address: exceptions thrown inside it (rethrows, new throws,
// nested try blocks) dispatch normally from there and may leave it for good, as on Windows. When it returns,
// the trap destroys the exception object and jumps to the continuation with the frame's ESP and EBP.
//
// Layouts (x86, absolute pointers): FuncInfo {magic, maxState, unwindMap, nTryBlocks, tryBlockMap,
// nIPMapEntries, ipMap, esTypeList (magic >= ..21), ehFlags (>= ..22)}; UnwindMapEntry {toState, action};
// TryBlockMapEntry {tryLow, tryHigh, catchHigh, nCatches, handlerArray}; HandlerType {adjectives, type,
// dispCatchObj, handler}; ThrowInfo {attributes, destructor, forwardCompat, catchableTypeArray};
// CatchableTypeArray {count, types[]}; CatchableType {properties, type, PMD {mdisp, pdisp, vdisp}, size,
// copyConstructor}; TypeDescriptor {vftable, spare, name[]}.

import type { CallConv } from '../emulator/abi.js';
import type { Cpu } from '../emulator/cpu.js';
import { GuestMemoryError } from '../emulator/errors.js';
import { abort } from './crt/signal.js';
import { undecorateTypeName } from './crt/vcruntime.js';
import { apiTrap } from './dispatch.js';
import { ProcessExitError } from './errors.js';
import { stateKey, type Process } from './process.js';
import { DISPOSITION, describeException, EXCEPTION_FLAG, FILTER, readRecord, STATUS, UnhandledGuestException, type ExceptionInfo } from './seh.js';
import { fn, NO_RETURN, type Export } from './spec.js';
import { readAnsi } from './text.js';

export const EH_MAGIC = { VC6: 0x1993_0520, VC7: 0x1993_0521, VC8: 0x1993_0522 } as const;
const PURE_MAGIC = 0x0199_4000;

/** FuncInfo.EHFlags */
const FI_EHS = 1; // /EHs: only C++ exceptions concern this function
const FI_NOEXCEPT = 4;
/** HandlerType.adjectives */
const HT = { CONST: 1, VOLATILE: 2, UNALIGNED: 4, REFERENCE: 8, STD_DOTDOT: 0x40, BAD_ALLOC_COMPAT: 0x80 } as const;
/** CatchableType.properties */
const CT = { SIMPLE: 1, BYREF_ONLY: 2, HAS_VIRTUAL_BASE: 4, STD_BAD_ALLOC: 0x10 } as const;
/** ThrowInfo.attributes */
const TI = { CONST: 1, VOLATILE: 2, UNALIGNED: 4 } as const;

// ---- reading the compiler's tables ---------------------------------------------------------------

type Mem = Process['mem'];

interface FuncInfo {
  magic: number;
  maxState: number;
  unwindMap: number;
  nTryBlocks: number;
  tryBlockMap: number;
  esTypeList: number;
  ehFlags: number;
}

function readFuncInfo(m: Mem, at: number): FuncInfo {
  const magic = m.u32(at) & 0x1fff_ffff; // the top 3 bits are BBT flags
  return {
    magic,
    maxState: m.i32(at + 4),
    unwindMap: m.u32(at + 8),
    nTryBlocks: m.u32(at + 12),
    tryBlockMap: m.u32(at + 16),
    esTypeList: magic >= EH_MAGIC.VC7 ? m.u32(at + 28) : 0,
    ehFlags: magic >= EH_MAGIC.VC8 ? m.u32(at + 32) : 0,
  };
}

interface TryBlock {
  index: number;
  tryLow: number;
  tryHigh: number;
  catchHigh: number;
  nCatches: number;
  handlers: number;
}

function tryBlock(m: Mem, fi: FuncInfo, index: number): TryBlock {
  const at = fi.tryBlockMap + 20 * index;
  return { index, tryLow: m.i32(at), tryHigh: m.i32(at + 4), catchHigh: m.i32(at + 8), nCatches: m.u32(at + 12), handlers: m.u32(at + 16) };
}

interface HandlerType {
  adjectives: number;
  type: number;
  disp: number;
  address: number;
}

function handlerType(m: Mem, at: number): HandlerType {
  return { adjectives: m.u32(at), type: m.u32(at + 4), disp: m.i32(at + 8), address: m.u32(at + 12) };
}

interface Pmd {
  mdisp: number;
  pdisp: number;
  vdisp: number;
}

interface CatchableType {
  at: number;
  properties: number;
  type: number;
  pmd: Pmd;
  size: number;
  copy: number;
}

function catchableType(m: Mem, at: number): CatchableType {
  return { at, properties: m.u32(at), type: m.u32(at + 4), pmd: { mdisp: m.i32(at + 8), pdisp: m.i32(at + 12), vdisp: m.i32(at + 16) }, size: m.u32(at + 20), copy: m.u32(at + 24) };
}

/** The catchable types of a ThrowInfo, most derived first. */
function catchableTypes(m: Mem, throwInfo: number): CatchableType[] {
  const array = m.u32(throwInfo + 12);
  const n = Math.min(m.u32(array), 256);
  return Array.from({ length: n }, (_, i) => catchableType(m, m.u32(array + 4 + 4 * i)));
}

/** A TypeDescriptor's decorated name (".?AVWidget@@"). */
export function typeName(m: Mem, typeDescriptor: number): string {
  return String.fromCharCode(...m.readCBytes(typeDescriptor + 8, 4096));
}

function sameType(m: Mem, a: number, b: number): boolean {
  return a === b || typeName(m, a) === typeName(m, b);
}

/** PMD: where a base sits in an object, through the vbtable for a virtual base (pdisp >= 0). */
export function adjustPointer(m: Mem, object: number, pmd: Pmd): number {
  let p = object + pmd.mdisp;
  if (pmd.pdisp >= 0) {
    const vbtable = m.u32(object + pmd.pdisp);
    p += pmd.pdisp + m.i32(vbtable + pmd.vdisp);
  }
  return p >>> 0;
}

// ---- the exception record ------------------------------------------------------------------------

/** An MSVC C++ exception record (PER_IS_MSVC_EH): the code, three parameters and a known magic. */
export function isCxxRecord(m: Mem, record: number): boolean {
  if (m.u32(record) !== STATUS.CPP_EXCEPTION || m.u32(record + 16) !== 3) return false;
  const magic = m.u32(record + 20);
  return magic === EH_MAGIC.VC6 || magic === EH_MAGIC.VC7 || magic === EH_MAGIC.VC8 || magic === PURE_MAGIC;
}

const recordObject = (m: Mem, record: number) => m.u32(record + 24);
const recordThrowInfo = (m: Mem, record: number) => m.u32(record + 28);

/** A readable name for a decorated type name: classes and built-in types, and pointers to them. */
function readableType(decorated: string): string {
  const ptr = /^\.P([ABCD])(.+)$/.exec(decorated);
  if (ptr) {
    const quals = { A: '', B: 'const ', C: 'volatile ', D: 'const volatile ' }[ptr[1] as 'A' | 'B' | 'C' | 'D'];
    return `${quals}${readableType('.' + ptr[2]!)} *`;
  }
  return undecorateTypeName(decorated);
}

/** "C++ exception of type 'class std::runtime_error': what() text", for messages. */
export function describeCxxThrow(p: Process, object: number, throwInfo: number): string {
  const m = p.mem;
  try {
    if (!throwInfo) {
      const cur = threadEh(p).currentRecord;
      if (cur && isCxxRecord(m, cur) && recordThrowInfo(m, cur)) return `${describeCxxThrow(p, recordObject(m, cur), recordThrowInfo(m, cur))} (rethrown)`;
      return 'C++ exception (a rethrow with no exception being handled)';
    }
    const types = catchableTypes(m, throwInfo);
    if (!types.length) return 'C++ exception';
    let text = `C++ exception of type '${readableType(typeName(m, types[0]!.type))}'`;
    const std = types.find((t) => /^\.\?AVexception@(std@)?@$/.test(typeName(m, t.type)));
    if (std && object) {
      try {
        // std::exception is {vftable, what, owned}: the text what() would return, unless a subclass overrides it.
        const what = m.u32(adjustPointer(m, object, std.pmd) + 4);
        const s = what ? readAnsi(m, what, p.ansiCodePage) : null;
        if (s) text += `: ${s.length > 200 ? s.slice(0, 200) + '...' : s}`;
      } catch (e) {
        if (!(e instanceof GuestMemoryError)) throw e;
      }
    }
    return text;
  } catch (e) {
    if (e instanceof GuestMemoryError) return 'C++ exception';
    throw e;
  }
}

/** The description of a C++ exception record for an unhandled-exception message (seh.ts's hook). */
export function describeCxxRecord(p: Process, info: ExceptionInfo): string | undefined {
  if (info.code !== STATUS.CPP_EXCEPTION || info.params.length !== 3) return undefined;
  return describeCxxThrow(p, info.params[1]!, info.params[2]!);
}

/** Makes unhandled C++ exceptions name their type (idempotent). */
export function installCxxDescriber(p: Process): void {
  p.seh.describeHook ??= (info) => describeCxxRecord(p, info);
}

// ---- per-thread state ------------------------------------------------------------------------------

interface ThreadEh {
  /** Guest cells: [0] the exception being handled (EXCEPTION_RECORD*), [4] its CONTEXT*, [8] the
   *  unwinding count (__processing_throw; what __uncaught_exceptions reports). */
  cells: number;
  terminate: number;
  unexpected: number;
  translator: number;
  /** A translator is running on this thread (it is not called again for exceptions inside it). */
  translating: number;
  /** _CreateFrameInfo's list: FRAMEINFO {object, next} records of objects in use outside a catch block. */
  frames: number;
  readonly currentRecord: number;
}

const ehState = stateKey('crt.cxx-eh', (p: Process) => {
  const threads = new Map<number, ThreadEh>();
  // A call that ended in an unhandled exception leaves no exception being handled, and no frame info.
  p.callAbortHooks.push(() => {
    for (const t of threads.values()) {
      p.mem.fill(t.cells, 0, 12);
      t.frames = 0;
      t.translating = 0;
    }
  });
  return { threads };
});

export function threadEh(p: Process): ThreadEh {
  const threads = p.state(ehState).threads;
  const id = p.currentThread.id;
  let t = threads.get(id);
  if (!t) {
    const cells = p.allocStatic(12, 4);
    t = {
      cells,
      terminate: 0,
      unexpected: 0,
      translator: 0,
      translating: 0,
      frames: 0,
      get currentRecord() {
        return p.mem.u32(cells);
      },
    };
    threads.set(id, t);
  }
  return t;
}

function setCurrent(p: Process, record: number, context: number): void {
  const t = threadEh(p);
  p.mem.setU32(t.cells, record);
  p.mem.setU32(t.cells + 4, context);
}

function bumpUnwinding(p: Process, delta: number): void {
  const cell = threadEh(p).cells + 8;
  p.mem.setU32(cell, Math.max(0, p.mem.i32(cell) + delta));
}

// ---- guard frames and the traps behind them --------------------------------------------------------

const GUARD_MAGIC = 0x43_58_58_47; // "GXXC"

/** What a nested call was doing, for the message of the terminate() an escaping exception causes. */
const REASON = ['the runtime', 'a destructor during unwinding', "the catch object's copy constructor", "the exception object's destructor", 'the terminate handler', 'the unexpected handler'];
const R = { RUNTIME: 0, DESTRUCTOR: 1, COPY: 2, OBJECT_DTOR: 3, TERMINATE_HANDLER: 4, UNEXPECTED_HANDLER: 5 } as const;

// The catch guard: the registration in front of a running catch funclet.
const CG = { next: 0, handler: 4, rn: 8, funcInfo: 12, tryIndex: 16, prevRecord: 20, prevContext: 24, record: 28, context: 32, savedEsp: 36, object: 40, throwInfo: 44, magic: 48, size: 64 } as const;

interface Traps {
  catchGuard: number;
  catchReturn: number;
  terminateGuard: number;
  captureGuard: number;
}

const trapsKey = stateKey<Traps>('crt.cxx-eh.traps', (p) => {
  const cpu = p.cpu;
  const catchGuard = fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'int', catchGuardHandler, { reentrant: true });
  return {
    catchGuard: cpu.defineTrap(apiTrap(p, 'c++ runtime', 'CatchGuardHandler', catchGuard), { name: 'c++ runtime!CatchGuardHandler', reentrant: true }),
    catchReturn: cpu.defineTrap((c) => catchReturned(p, c), { name: 'c++ runtime!CallCatchBlock (return)', reentrant: true }),
    terminateGuard: cpu.defineTrap((c) => nestedGuard(p, c, 'terminate'), { name: 'c++ runtime!FrameUnwindFilter', reentrant: true }),
    captureGuard: cpu.defineTrap((c) => nestedGuard(p, c, 'capture'), { name: 'c++ runtime!TranslatorGuardHandler', reentrant: true }),
  };
});

const traps = (p: Process) => p.state(trapsKey);

/** An exception that left a guest call made with callCapturing: its record and context, still on the stack. */
class CapturedException extends Error {
  constructor(
    readonly record: number,
    readonly context: number,
  ) {
    super('guest exception captured by the C++ runtime');
  }
}

/** A structured exception left a guest call of the runtime: it goes on from the handler's caller. */
class EscapedException extends Error {
  constructor(readonly info: ExceptionInfo, readonly why: string) {
    super(why);
  }
}

/**
 * The handler of the guard frames around nested calls. `terminate`: a C++ exception leaving the call ends
 * the process through terminate(), as the CRT's __FrameUnwindFilter decides; a structured one cannot be
 * passed on across the host frame below, so it is rethrown from the runtime function's call site.
 * `capture`: any exception leaving the call is handed to the host caller after the frames in between
 * are unwound.
 */
function nestedGuard(p: Process, cpu: Cpu, kind: 'terminate' | 'capture'): void {
  const m = p.mem;
  const esp = cpu.esp;
  const ret = m.u32(esp);
  const record = m.u32(esp + 4);
  const frame = m.u32(esp + 8);
  const context = m.u32(esp + 12);
  const finish = (disposition: number) => {
    cpu.eax = disposition;
    cpu.eip = ret;
    cpu.esp = esp + 4;
  };
  if (m.u32(record + 4) & (EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND) || (m.u32(frame + 12) ^ frame) >>> 0 !== GUARD_MAGIC) return finish(DISPOSITION.CONTINUE_SEARCH);
  const reason = REASON[m.u32(frame + 8)] ?? REASON[0]!;
  if (kind === 'capture') {
    p.seh.unwind(frame, record, { ...cpu.registers(), eip: ret, esp });
    throw new CapturedException(record, context);
  }
  if (isCxxRecord(m, record)) terminate(p, `${describeCxxThrow(p, recordObject(m, record), recordThrowInfo(m, record))} escaped ${reason}`, m.u32(record + 12));
  const info = readRecord(m, record);
  throw new EscapedException(info, `${describeException(info)} escaped ${reason}`);
}

interface CallOpts {
  ebp?: number;
  /** Highest stack address the call may use (the runtime keeps data above it). */
  top?: number;
}

function guardedCall(p: Process, kind: 'terminate' | 'capture', reason: number, addr: number, conv: CallConv, args: number[], opts: CallOpts): number {
  const cpu = p.cpu;
  const m = p.mem;
  const top = ((opts.top ?? cpu.esp - 64) & ~15) >>> 0;
  const reg = top - 16;
  m.setU32(reg, p.seh.chainHead());
  m.setU32(reg + 4, kind === 'terminate' ? traps(p).terminateGuard : traps(p).captureGuard);
  m.setU32(reg + 8, reason);
  m.setU32(reg + 12, (GUARD_MAGIC ^ reg) >>> 0);
  p.seh.setChainHead(reg);
  const ebp = cpu.get('ebp');
  try {
    // The guard belongs to the call: exceptions leaving the callee stop at it (process.ts's boundary).
    return p.callGuest(addr, conv, args, { stackTop: (reg - 16) >>> 0, boundary: reg + 16, ...(opts.ebp !== undefined ? { ebp: opts.ebp } : {}) });
  } catch (e) {
    if (e instanceof EscapedException) throw new UnhandledGuestException(`${e.why} (at ${p.describe(e.info.address)})`, e.info, cpu.registers(), p.describe(e.info.address), [p.describe(e.info.address)]);
    throw e;
  } finally {
    p.seh.setChainHead(m.u32(reg));
    cpu.set('ebp', ebp);
  }
}

/** A call the runtime makes on behalf of unwinding: a C++ exception escaping it calls terminate(). */
function callTerminating(p: Process, reason: number, addr: number, conv: CallConv, args: number[], opts: CallOpts = {}): number {
  return guardedCall(p, 'terminate', reason, addr, conv, args, opts);
}

/** A call whose escaping exception the runtime handles itself: the result, or the exception left. */
function callCapturing(p: Process, reason: number, addr: number, conv: CallConv, args: number[], opts: CallOpts = {}): { result: number } | { record: number; context: number } {
  try {
    return { result: guardedCall(p, 'capture', reason, addr, conv, args, opts) };
  } catch (e) {
    if (e instanceof CapturedException) return { record: e.record, context: e.context };
    throw e;
  }
}

// ---- terminate and unexpected ------------------------------------------------------------------------

/**
 * terminate(): the thread's terminate handler (set_terminate), then abort(); an exception from the handler
 * goes nowhere. Ends the process: a ProcessExitError saying why (and where: `at`, the address of the
 * exception that caused it, or the caller).
 */
export function terminate(p: Process, why?: string, at?: number): never {
  const handler = threadEh(p).terminate;
  if (handler) callCapturing(p, R.TERMINATE_HANDLER, handler, 'cdecl', []);
  try {
    abort(p);
  } catch (e) {
    if (e instanceof ProcessExitError) throw new ProcessExitError(`abort from terminate()${why ? ` (${why})` : ''}`, e.exitCode, at !== undefined ? p.describe(at) : p.where());
    throw e;
  }
}

/** unexpected(): the thread's unexpected handler if any (an exception from it is not passed on), then terminate(). */
function unexpected(p: Process, why?: string, at?: number): never {
  const handler = threadEh(p).unexpected;
  if (handler) callCapturing(p, R.UNEXPECTED_HANDLER, handler, 'cdecl', []);
  terminate(p, why, at);
}

// ---- matching ------------------------------------------------------------------------------------

const isCatchAll = (m: Mem, h: HandlerType) => h.type === 0 || m.u8(h.type + 8) === 0;

/** TypeMatch: does handler `h` take an exception of catchable type `ct` thrown with `throwInfo`? */
function typeMatch(m: Mem, h: HandlerType, ct: CatchableType, throwInfo: number): boolean {
  if (isCatchAll(m, h)) return true;
  if (h.adjectives & HT.BAD_ALLOC_COMPAT && ct.properties & CT.STD_BAD_ALLOC) return true;
  if (!sameType(m, h.type, ct.type)) return false;
  if (ct.properties & CT.BYREF_ONLY && !(h.adjectives & HT.REFERENCE)) return false;
  const attributes = m.u32(throwInfo);
  if (attributes & TI.CONST && !(h.adjectives & HT.CONST)) return false;
  if (attributes & TI.UNALIGNED && !(h.adjectives & HT.UNALIGNED)) return false;
  if (attributes & TI.VOLATILE && !(h.adjectives & HT.VOLATILE)) return false;
  return true;
}

/**
 * The try blocks around `state` that this level handles, innermost first. A state inside a catch block
 * belongs to that catch: the try blocks nested in it are searched by the catch guard in front of the
 * running funclet (level = that try block), the others by the frame's own registration (level undefined).
 */
function tryBlocksFor(m: Mem, fi: FuncInfo, state: number, level: number | undefined): TryBlock[] {
  const all = Array.from({ length: Math.min(fi.nTryBlocks, 4096) }, (_, i) => tryBlock(m, fi, i));
  const catching = all.filter((t) => t.tryHigh < state && state <= t.catchHigh);
  const inside = (t: TryBlock, c: TryBlock) => t.tryLow > c.tryHigh && t.catchHigh <= c.catchHigh;
  return all.filter((t) => {
    if (!(t.tryLow <= state && state <= t.tryHigh)) return false;
    // The innermost running catch this try block sits in decides which level searches it.
    const owners = catching.filter((c) => inside(t, c));
    const owner = owners.reduce<TryBlock | undefined>((best, c) => (!best || inside(c, best) ? c : best), undefined);
    return owner?.index === level;
  });
}

/** Is the exception allowed by an exception specification (ESTypeList {count, HandlerType[]})? */
function inExceptionSpec(m: Mem, list: number, throwInfo: number): boolean {
  const n = m.u32(list);
  const types = m.u32(list + 4);
  const cts = catchableTypes(m, throwInfo);
  for (let i = 0; i < n; i++) {
    const h = handlerType(m, types + 16 * i);
    if (cts.some((ct) => typeMatch(m, h, ct, throwInfo))) return true;
  }
  return false;
}

// ---- catching ------------------------------------------------------------------------------------

/** Where a handler of the frame at registration `rn` wants its catch object (nowhere for catch(...)). */
function catchObjectAddress(m: Mem, rn: number, h: HandlerType): number {
  return isCatchAll(m, h) || !h.disp ? 0 : (rn + 12 + h.disp) >>> 0;
}

/** Copies (or points at) the thrown object at `dest`, as the catch block's parameter. */
function buildCatchObject(p: Process, record: number, dest: number, h: HandlerType, ct: CatchableType, top: number): void {
  const m = p.mem;
  if (!dest) return;
  const object = recordObject(m, record);
  if (h.adjectives & HT.REFERENCE) {
    m.setU32(dest, adjustPointer(m, object, ct.pmd));
  } else if (ct.properties & CT.SIMPLE) {
    m.copyWithin(dest, object, ct.size);
    if (ct.size === 4 && m.u32(dest)) m.setU32(dest, adjustPointer(m, m.u32(dest), ct.pmd));
  } else if (!ct.copy) {
    m.copyWithin(dest, adjustPointer(m, object, ct.pmd), ct.size);
  } else {
    const args = ct.properties & CT.HAS_VIRTUAL_BASE ? [dest, adjustPointer(m, object, ct.pmd), 1] : [dest, adjustPointer(m, object, ct.pmd)];
    callTerminating(p, R.COPY, ct.copy, 'thiscall', args, { top });
  }
}

/** Runs the frame's unwind actions (destructors) from its current state down to `target`. */
function frameUnwindToState(p: Process, rn: number, fi: FuncInfo, target: number, top?: number): void {
  const m = p.mem;
  let state = m.i32(rn + 8);
  bumpUnwinding(p, 1);
  try {
    for (let steps = 0; state !== target; steps++) {
      if (state < 0 || state >= fi.maxState || steps > fi.maxState) terminate(p, `the C++ frame at 0x${rn.toString(16)} is in state ${state}, which its FuncInfo does not have`);
      const entry = fi.unwindMap + 8 * state;
      const next = m.i32(entry);
      const action = m.u32(entry + 4);
      m.setU32(rn + 8, next >>> 0);
      if (action) callTerminating(p, R.DESTRUCTOR, action, 'cdecl', [], { ebp: rn + 12, ...(top !== undefined ? { top } : {}) });
      state = next;
    }
  } finally {
    bumpUnwinding(p, -1);
  }
  m.setU32(rn + 8, state >>> 0);
}

/** The stack below which the runtime may work: under `floor` (data above it is still in use). */
const workTop = (p: Process, floor: number | undefined) => ((Math.min(floor ?? p.cpu.esp, p.cpu.esp) - 64) & ~15) >>> 0;

/** RtlUnwind to `target` from inside the handler, with the stack pointer at or under `floor`. */
function unwindTo(p: Process, target: number, record: number, floor: number | undefined): void {
  const cpu = p.cpu;
  const esp = cpu.esp;
  const ctx = { ...cpu.registers(), eip: p.mem.u32(esp), esp };
  if (floor !== undefined && floor < esp) cpu.esp = workTop(p, floor);
  try {
    p.seh.unwind(target, record, ctx);
  } finally {
    cpu.esp = esp;
  }
}

interface Catch {
  record: number;
  context: number;
  rn: number;
  funcInfo: number;
  fi: FuncInfo;
  tb: TryBlock;
  handler: HandlerType;
  ct: CatchableType | undefined;
  /** The catch guard whose level found the catch, or 0 for the frame itself. */
  marker: number;
  floor: number | undefined;
}

/**
 * Catches: builds the catch object, unwinds the frames above (to the frame, or to the catch guard that
 * searched), runs the frame's destructors down to the try block, and enters the catch funclet.
 */
function catchIt(p: Process, c: Catch): typeof NO_RETURN {
  const m = p.mem;
  const cpu = p.cpu;
  if (c.ct) buildCatchObject(p, c.record, catchObjectAddress(m, c.rn, c.handler), c.handler, c.ct, workTop(p, c.floor));
  unwindTo(p, c.marker || c.rn, c.record, c.floor);
  frameUnwindToState(p, c.rn, c.fi, c.tb.tryLow, workTop(p, c.floor));
  m.setU32(c.rn + 8, (c.tb.tryHigh + 1) >>> 0);
  // The catch guard and the funclet's return address, under everything still in use.
  const guard = (workTop(p, c.floor) - CG.size) >>> 0;
  const t = threadEh(p);
  m.fill(guard, 0, CG.size);
  m.setU32(guard + CG.next, p.seh.chainHead());
  m.setU32(guard + CG.handler, traps(p).catchGuard);
  m.setU32(guard + CG.rn, c.rn);
  m.setU32(guard + CG.funcInfo, c.funcInfo);
  m.setU32(guard + CG.tryIndex, c.tb.index);
  m.setU32(guard + CG.prevRecord, t.currentRecord);
  m.setU32(guard + CG.prevContext, m.u32(t.cells + 4));
  m.setU32(guard + CG.record, c.record);
  m.setU32(guard + CG.context, c.context);
  m.setU32(guard + CG.savedEsp, m.u32(c.rn - 4));
  if (isCxxRecord(m, c.record)) {
    m.setU32(guard + CG.object, recordObject(m, c.record));
    m.setU32(guard + CG.throwInfo, recordThrowInfo(m, c.record));
  }
  m.setU32(guard + CG.magic, (GUARD_MAGIC ^ guard) >>> 0);
  p.seh.setChainHead(guard);
  setCurrent(p, c.record, c.context);
  m.setU32(guard - 4, traps(p).catchReturn);
  cpu.set('ebp', c.rn + 12);
  cpu.esp = guard - 4;
  cpu.eip = c.handler.address;
  return NO_RETURN;
}

/** Is `object` still the exception of a running catch block (a catch guard on the chain from `from`) or registered with _CreateFrameInfo? */
function objectInUse(p: Process, object: number, from: number): boolean {
  const m = p.mem;
  const guardTrap = traps(p).catchGuard;
  for (let r = from, n = 0; r !== 0xffff_ffff && r !== 0 && n < 10_000; r = m.u32(r), n++) {
    if (m.u32(r + 4) === guardTrap && (m.u32(r + CG.magic) ^ r) >>> 0 === GUARD_MAGIC && m.u32(r + CG.object) === object) return true;
  }
  for (let f = threadEh(p).frames, n = 0; f && n < 10_000; f = m.u32(f + 4), n++) if (m.u32(f) === object) return true;
  return false;
}

/** Runs the thrown object's destructor (ThrowInfo's), if it has one. */
function destroyObject(p: Process, object: number, throwInfo: number, top?: number): void {
  if (!object || !throwInfo) return;
  const dtor = p.mem.u32(throwInfo + 4);
  if (dtor) callTerminating(p, R.OBJECT_DTOR, dtor, 'thiscall', [object], top !== undefined ? { top } : {});
}

/** Leaving a catch block (normally or not): the guard's bookkeeping undone. */
function leaveCatch(p: Process, guard: number): void {
  const m = p.mem;
  setCurrent(p, m.u32(guard + CG.prevRecord), m.u32(guard + CG.prevContext));
  const rn = m.u32(guard + CG.rn);
  m.setU32(rn - 4, m.u32(guard + CG.savedEsp));
}

/** The catch funclet returned the continuation address in EAX. */
function catchReturned(p: Process, cpu: Cpu): void {
  const m = p.mem;
  const guard = cpu.esp;
  if ((m.u32(guard + CG.magic) ^ guard) >>> 0 !== GUARD_MAGIC) throw new UnhandledGuestException(`a C++ catch block returned with its stack damaged (at 0x${guard.toString(16)})`, { code: STATUS.INVALID_DISPOSITION, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: guard, params: [] }, cpu.registers(), p.describe(guard), []);
  const continuation = cpu.eax;
  const rn = m.u32(guard + CG.rn);
  p.seh.setChainHead(m.u32(guard + CG.next));
  leaveCatch(p, guard);
  const object = m.u32(guard + CG.object);
  if (object && !objectInUse(p, object, p.seh.chainHead())) destroyObject(p, object, m.u32(guard + CG.throwInfo), (guard - 64) >>> 0);
  if (!continuation) terminate(p, 'a catch block returned no continuation address');
  cpu.set('ebp', rn + 12);
  cpu.esp = m.u32(rn - 4);
  cpu.eip = continuation;
}

/**
 * The catch guard's handler. Unwinding: the catch block is left by an exception (or a longjmp): its
 * exception object is destroyed unless the same object travels on (a rethrow) or another catch block
 * still has it. Searching: the try blocks inside the running catch block get their chance, as if the
 * guard were their frame.
 */
function catchGuardHandler(p: Process, record: number, guard: number, context: number, _dc: number): number | typeof NO_RETURN {
  const m = p.mem;
  if ((m.u32(guard + CG.magic) ^ guard) >>> 0 !== GUARD_MAGIC) return DISPOSITION.CONTINUE_SEARCH;
  if (m.u32(record + 4) & (EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND)) {
    leaveCatch(p, guard);
    const object = m.u32(guard + CG.object);
    const travelsOn = isCxxRecord(m, record) && recordObject(m, record) === object;
    if (object && !travelsOn && !objectInUse(p, object, m.u32(guard + CG.next))) destroyObject(p, object, m.u32(guard + CG.throwInfo));
    return DISPOSITION.CONTINUE_SEARCH;
  }
  const funcInfo = m.u32(guard + CG.funcInfo);
  return frameHandler(p, record, m.u32(guard + CG.rn), context, funcInfo, { guard, tryIndex: m.i32(guard + CG.tryIndex) });
}

// ---- the frame handler --------------------------------------------------------------------------------

interface Level {
  guard: number;
  tryIndex: number;
}

/** __CxxFrameHandler / 2 / 3: FuncInfo in EAX. */
function cxxFrameHandler(p: Process, record: number, rn: number, context: number, _dc: number): number | typeof NO_RETURN {
  return frameHandler(p, record, rn, context, p.cpu.eax, undefined);
}

function frameHandler(p: Process, record: number, rn: number, context: number, funcInfo: number, level: Level | undefined): number | typeof NO_RETURN {
  const m = p.mem;
  installCxxDescriber(p);
  const fi = readFuncInfo(m, funcInfo);
  if (fi.magic < EH_MAGIC.VC6 || fi.magic > EH_MAGIC.VC8) terminate(p, `the C++ frame at 0x${rn.toString(16)} has no valid FuncInfo (0x${funcInfo.toString(16)})`);
  const cxx = isCxxRecord(m, record);
  // A /EHs function has nothing to do with other exceptions, not even while they unwind.
  if (!cxx && fi.magic >= EH_MAGIC.VC8 && fi.ehFlags & FI_EHS) return DISPOSITION.CONTINUE_SEARCH;
  if (m.u32(record + 4) & (EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND)) {
    if (fi.maxState > 0 && !level) frameUnwindToState(p, rn, fi, -1);
    return DISPOSITION.CONTINUE_SEARCH;
  }
  const noexcept = fi.magic >= EH_MAGIC.VC8 && (fi.ehFlags & FI_NOEXCEPT) !== 0;
  if (fi.nTryBlocks === 0 && !fi.esTypeList && !noexcept) return DISPOSITION.CONTINUE_SEARCH;
  if (findHandler(p, record, rn, context, funcInfo, fi, level) === NO_RETURN) return NO_RETURN;
  if (noexcept && !level) terminate(p, `${cxx ? describeCxxThrow(p, recordObject(m, record), recordThrowInfo(m, record)) : describeException(readRecord(m, record))} left a noexcept function`, m.u32(record + 12));
  return DISPOSITION.CONTINUE_SEARCH;
}

/** Looks for a catch block in the frame; enters it (NO_RETURN: the CPU is in the catch funclet) when one matches. */
function findHandler(p: Process, recordIn: number, rn: number, contextIn: number, funcInfo: number, fi: FuncInfo, level: Level | undefined): typeof NO_RETURN | undefined {
  const m = p.mem;
  const state = m.i32(rn + 8);
  if (state < -1 || state >= fi.maxState) terminate(p, `the C++ frame at 0x${rn.toString(16)} is in state ${state}, which its FuncInfo does not have`);
  let record = recordIn;
  let context = contextIn;
  if (isCxxRecord(m, record) && !recordThrowInfo(m, record)) {
    // throw; : the exception being handled, again.
    const t = threadEh(p);
    if (!t.currentRecord) return undefined;
    record = t.currentRecord;
    context = m.u32(t.cells + 4);
  }
  const tryBlocks = tryBlocksFor(m, fi, state, level?.tryIndex);
  const common = { rn, funcInfo, fi, marker: level?.guard ?? 0 };
  if (isCxxRecord(m, record)) {
    if (matchCxx(p, { ...common, record, context, floor: undefined }, tryBlocks) === NO_RETURN) return NO_RETURN;
    if (fi.esTypeList && !level && !inExceptionSpec(m, fi.esTypeList, recordThrowInfo(m, record))) {
      // Not allowed by the function's exception specification: unwind it, then unexpected().
      unwindTo(p, rn, record, undefined);
      frameUnwindToState(p, rn, fi, -1);
      unexpected(p, `${describeCxxThrow(p, recordObject(m, record), recordThrowInfo(m, record))} is not in the exception specification`, m.u32(record + 12));
    }
    return undefined;
  }
  if (!tryBlocks.length) return undefined;
  // A structured exception: the thread's translator may turn it into a C++ one, caught here or dropped.
  const t = threadEh(p);
  if (t.translator && !t.translating) {
    const pointers = workTop(p, undefined) - 16;
    m.setU32(pointers, record);
    m.setU32(pointers + 4, context);
    t.translating++;
    let outcome;
    try {
      outcome = callCapturing(p, R.RUNTIME, t.translator, 'cdecl', [m.u32(record), pointers], { top: pointers - 16 });
    } finally {
      t.translating--;
    }
    if ('record' in outcome) {
      // The translated exception and its object live in the translator's abandoned frames: keep above them.
      const floor = (outcome.record - 64) >>> 0;
      const translated = { ...common, record: outcome.record, context: outcome.context, floor };
      // Not caught in this frame: the translated exception is dropped and the structured one goes on.
      return isCxxRecord(m, outcome.record) ? matchCxx(p, translated, tryBlocks) : matchForeign(p, translated, tryBlocks);
    }
  }
  return matchForeign(p, { ...common, record, context, floor: undefined }, tryBlocks);
}

type CatchSite = Omit<Catch, 'tb' | 'handler' | 'ct'>;

function matchCxx(p: Process, site: CatchSite, tryBlocks: TryBlock[]): typeof NO_RETURN | undefined {
  const m = p.mem;
  const throwInfo = recordThrowInfo(m, site.record);
  const cts = catchableTypes(m, throwInfo);
  for (const tb of tryBlocks) {
    for (let j = 0; j < Math.min(tb.nCatches, 4096); j++) {
      const h = handlerType(m, tb.handlers + 16 * j);
      for (const ct of cts) if (typeMatch(m, h, ct, throwInfo)) return catchIt(p, { ...site, tb, handler: h, ct });
    }
  }
  return undefined;
}

/** catch(...) takes a structured exception (only a non-std catch-all, and only where /EHa allows it). */
function matchForeign(p: Process, site: CatchSite, tryBlocks: TryBlock[]): typeof NO_RETURN | undefined {
  const m = p.mem;
  for (const tb of tryBlocks) {
    if (!tb.nCatches) continue;
    const h = handlerType(m, tb.handlers + 16 * (tb.nCatches - 1));
    if (isCatchAll(m, h) && !(h.adjectives & HT.STD_DOTDOT)) return catchIt(p, { ...site, tb, handler: h, ct: undefined });
  }
  return undefined;
}

// ---- helpers the compiler and the STL call ------------------------------------------------------------

/** EXCEPTION_POINTERS* -> its record, or 0. */
function pointersRecord(m: Mem, pointers: number): number {
  return pointers ? m.u32(pointers) : 0;
}

/** __CxxDetectRethrow(EXCEPTION_POINTERS*): a rethrow counts as unwinding and is handled. */
function CxxDetectRethrow(p: Process, pointers: number): number {
  const record = pointersRecord(p.mem, pointers);
  if (record && isCxxRecord(p.mem, record) && !recordThrowInfo(p.mem, record)) {
    bumpUnwinding(p, 1);
    return FILTER.EXECUTE_HANDLER;
  }
  return FILTER.CONTINUE_SEARCH;
}

/**
 * __CxxExceptionFilter(EXCEPTION_POINTERS*, type, adjectives, buildObject): a filter that answers whether
 * the exception would be caught by `catch (type)`, and when so and `buildObject` is given, stores the catch
 * object there as a handler would (a pointer for a reference).
 */
function CxxExceptionFilter(p: Process, pointers: number, type: number, adjectives: number, buildObject: number): number {
  const m = p.mem;
  let record = pointersRecord(m, pointers);
  if (!record) return FILTER.CONTINUE_SEARCH;
  if (isCxxRecord(m, record) && !recordThrowInfo(m, record)) {
    record = threadEh(p).currentRecord;
    if (!record) return FILTER.CONTINUE_SEARCH;
  }
  const h: HandlerType = { adjectives, type, disp: 0, address: 0 };
  if (isCatchAll(m, h)) return FILTER.EXECUTE_HANDLER;
  if (!isCxxRecord(m, record)) return FILTER.CONTINUE_SEARCH;
  const throwInfo = recordThrowInfo(m, record);
  for (const ct of catchableTypes(m, throwInfo)) {
    if (!typeMatch(m, h, ct, throwInfo)) continue;
    if (buildObject) buildCatchObject(p, record, buildObject, h, ct, p.cpu.esp - 64);
    return FILTER.EXECUTE_HANDLER;
  }
  return FILTER.CONTINUE_SEARCH;
}

/**
 * __BuildCatchObjectHelper(record, registration, HandlerType*, CatchableType*): does the copying a catch
 * object needs short of calling a copy constructor; returns 0 when done, 1 when the copy constructor must
 * be called, 2 when it takes the virtual-base flag too.
 */
function BuildCatchObjectHelper(p: Process, record: number, rn: number, handler: number, ctAddr: number): number {
  const m = p.mem;
  const h = handlerType(m, handler);
  const ct = catchableType(m, ctAddr);
  const dest = catchObjectAddress(m, rn, h);
  if (!dest) return 0;
  if (h.adjectives & HT.REFERENCE || ct.properties & CT.SIMPLE || !ct.copy) {
    buildCatchObject(p, record, dest, h, ct, p.cpu.esp - 64);
    return 0;
  }
  return ct.properties & CT.HAS_VIRTUAL_BASE ? 2 : 1;
}

function BuildCatchObject(p: Process, record: number, rn: number, handler: number, ctAddr: number): void {
  const h = handlerType(p.mem, handler);
  buildCatchObject(p, record, catchObjectAddress(p.mem, rn, h), h, catchableType(p.mem, ctAddr), p.cpu.esp - 64);
}

/** __DestructExceptionObject(record): the thrown object's destructor (a C++ exception escaping it terminates). */
function DestructExceptionObject(p: Process, record: number): void {
  const m = p.mem;
  if (!record || !isCxxRecord(m, record)) return;
  destroyObject(p, recordObject(m, record), recordThrowInfo(m, record));
}

// The storage __CxxRegisterExceptionObject fills: FRAMEINFO {object, next}, then the saved current exception.
const FRAME_STORAGE = 16;

function CreateFrameInfo(p: Process, frame: number, object: number): number {
  const t = threadEh(p);
  p.mem.setU32(frame, object);
  p.mem.setU32(frame + 4, t.frames);
  t.frames = frame;
  return frame;
}

function FindAndUnlinkFrame(p: Process, frame: number): void {
  const m = p.mem;
  const t = threadEh(p);
  if (t.frames === frame) {
    t.frames = m.u32(frame + 4);
    return;
  }
  for (let f = t.frames, n = 0; f && n < 10_000; f = m.u32(f + 4), n++) {
    if (m.u32(f + 4) === frame) {
      m.setU32(f + 4, m.u32(frame + 4));
      return;
    }
  }
  // Not on the list: the CRT calls this an inconsistency.
  terminate(p, '_FindAndUnlinkFrame: the frame is not registered');
}

/** _IsExceptionObjectToBeDestroyed(object): no running catch block and no registered frame uses it. */
function IsExceptionObjectToBeDestroyed(p: Process, object: number): number {
  return objectInUse(p, object, p.seh.chainHead()) ? 0 : 1;
}

/** __CxxRegisterExceptionObject(EXCEPTION_POINTERS*, storage): makes the exception the current one (outside a catch block). */
function CxxRegisterExceptionObject(p: Process, pointers: number, storage: number): number {
  const m = p.mem;
  const t = threadEh(p);
  let record = pointersRecord(m, pointers);
  if (!record) {
    m.setU32(storage + 8, 0xffff_ffff);
    m.setU32(storage + 12, 0xffff_ffff);
    return 1;
  }
  let context = m.u32(pointers + 4);
  if (isCxxRecord(m, record) && !recordThrowInfo(m, record) && t.currentRecord) {
    record = t.currentRecord;
    context = m.u32(t.cells + 4);
    m.setU32(pointers, record);
    m.setU32(pointers + 4, context);
  }
  CreateFrameInfo(p, storage, isCxxRecord(m, record) ? recordObject(m, record) : 0);
  m.setU32(storage + 8, t.currentRecord);
  m.setU32(storage + 12, m.u32(t.cells + 4));
  setCurrent(p, record, context);
  return 1;
}

/** __CxxUnregisterExceptionObject(storage, rethrowing): undoes the registration; the object is destroyed unless rethrown or still used. */
function CxxUnregisterExceptionObject(p: Process, storage: number, rethrow: number): void {
  const m = p.mem;
  if (!storage || m.u32(storage + 8) === 0xffff_ffff) return;
  const t = threadEh(p);
  FindAndUnlinkFrame(p, storage);
  const current = t.currentRecord;
  if (!rethrow && current && isCxxRecord(m, current)) {
    const object = recordObject(m, current);
    if (object && !objectInUse(p, object, p.seh.chainHead())) destroyObject(p, object, recordThrowInfo(m, current));
  }
  setCurrent(p, m.u32(storage + 8), m.u32(storage + 12));
  m.setU32(storage + 8, 0xffff_ffff);
}

/** _is_exception_typeof(const type_info&, EXCEPTION_POINTERS*): is one of the exception's catchable types `type`? */
function isExceptionTypeof(p: Process, type: number, pointers: number): number {
  const m = p.mem;
  const record = pointersRecord(m, pointers);
  if (!record || !isCxxRecord(m, record) || !recordThrowInfo(m, record)) return 0;
  const name = typeName(m, type);
  return catchableTypes(m, recordThrowInfo(m, record)).some((ct) => typeName(m, ct.type) === name) ? 1 : 0;
}

/** __CxxLongjmpUnwind(jmp_buf*): longjmp into a C++ frame runs its destructors down to setjmp's state. */
export function CxxLongjmpUnwind(p: Process, jmpBuf: number): void {
  const m = p.mem;
  const rn = m.u32(jmpBuf + 24);
  const funcInfo = m.u32(jmpBuf + 40);
  const fi = readFuncInfo(m, funcInfo);
  if (fi.magic < EH_MAGIC.VC6 || fi.magic > EH_MAGIC.VC8) terminate(p, `longjmp into a C++ frame with no valid FuncInfo (0x${funcInfo.toString(16)})`);
  frameUnwindToState(p, rn, fi, m.i32(jmpBuf + 28));
}

// ---- exports ------------------------------------------------------------------------------------------

function swapHandler(field: 'terminate' | 'unexpected' | 'translator') {
  return (p: Process, h: number): number => {
    const t = threadEh(p);
    const old = t[field];
    t[field] = h;
    return old;
  };
}

/** Which runtime a table is for: msvcrt.dll / msvcrNN (60, 70-120), ucrtbase.dll or vcruntime140.dll. */
export type CxxRuntime = { dll: 'msvcrt'; version: number } | { dll: 'ucrtbase' } | { dll: 'vcruntime140' };

export function cxxEhApi(rt: CxxRuntime): Record<string, Export> {
  const r = { reentrant: true };
  const handler = fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'int', cxxFrameHandler, { reentrant: true });
  const set = (field: 'terminate' | 'unexpected' | 'translator') => fn('cdecl', ['ptr'], 'ptr', swapHandler(field));
  const get = (field: 'terminate' | 'unexpected') => fn('cdecl', [], 'ptr', (p) => threadEh(p)[field]);
  const common: Record<string, Export> = {
    __CxxDetectRethrow: fn('cdecl', ['ptr'], 'int', CxxDetectRethrow),
    __CxxExceptionFilter: fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int', CxxExceptionFilter, r),
    __CxxFrameHandler: handler,
    __CxxLongjmpUnwind: fn('stdcall', ['ptr'], 'void', CxxLongjmpUnwind, r),
    __CxxQueryExceptionSize: fn('cdecl', [], 'int', (_p) => FRAME_STORAGE),
    __CxxRegisterExceptionObject: fn('cdecl', ['ptr', 'ptr'], 'int', CxxRegisterExceptionObject),
    __CxxUnregisterExceptionObject: fn('cdecl', ['ptr', 'int'], 'void', CxxUnregisterExceptionObject, r),
    __DestructExceptionObject: fn('cdecl', ['ptr'], 'void', DestructExceptionObject, r),
    __uncaught_exception: fn('cdecl', [], 'bool', (p) => p.mem.i32(threadEh(p).cells + 8) > 0),
  };
  const modern: Record<string, Export> = {
    __AdjustPointer: fn('cdecl', ['ptr', 'ptr'], 'ptr', (p, object, pmd) => adjustPointer(p.mem, object, { mdisp: p.mem.i32(pmd), pdisp: p.mem.i32(pmd + 4), vdisp: p.mem.i32(pmd + 8) })),
    __BuildCatchObject: fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'void', BuildCatchObject, r),
    __BuildCatchObjectHelper: fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'int', BuildCatchObjectHelper, r),
    __CxxFrameHandler2: handler,
    __CxxFrameHandler3: handler,
    _CreateFrameInfo: fn('cdecl', ['ptr', 'ptr'], 'ptr', CreateFrameInfo),
    _FindAndUnlinkFrame: fn('cdecl', ['ptr'], 'void', FindAndUnlinkFrame, r),
    _IsExceptionObjectToBeDestroyed: fn('cdecl', ['ptr'], 'int', IsExceptionObjectToBeDestroyed),
  };
  const current: Record<string, Export> = {
    __current_exception: fn('cdecl', [], 'ptr', (p) => threadEh(p).cells),
    __current_exception_context: fn('cdecl', [], 'ptr', (p) => threadEh(p).cells + 4),
    __processing_throw: fn('cdecl', [], 'ptr', (p) => threadEh(p).cells + 8),
    __std_terminate: fn('cdecl', [], 'void', (p) => terminate(p), r),
    _is_exception_typeof: fn('cdecl', ['ptr', 'ptr'], 'int', isExceptionTypeof),
  };
  if (rt.dll === 'msvcrt') {
    return {
      ...common,
      ...(rt.version === 60 || rt.version >= 80 ? { __CxxFrameHandler2: handler, __CxxFrameHandler3: handler } : {}),
      ...(rt.version >= 80 ? modern : {}),
      '?_set_se_translator@@YAP6AXIPAU_EXCEPTION_POINTERS@@@ZP6AXI0@Z@Z': set('translator'),
      '?set_terminate@@YAP6AXXZP6AXXZ@Z': set('terminate'),
      '?set_unexpected@@YAP6AXXZP6AXXZ@Z': set('unexpected'),
      '?terminate@@YAXXZ': fn('cdecl', [], 'void', (p) => terminate(p), r),
      '?unexpected@@YAXXZ': fn('cdecl', [], 'void', (p) => unexpected(p), r),
    };
  }
  if (rt.dll === 'ucrtbase') {
    return {
      ...common,
      ...modern,
      ...current,
      _get_terminate: get('terminate'),
      _get_unexpected: get('unexpected'),
      set_terminate: set('terminate'),
      set_unexpected: set('unexpected'),
      terminate: fn('cdecl', [], 'void', (p) => terminate(p), r),
      unexpected: fn('cdecl', [], 'void', (p) => unexpected(p), r),
    };
  }
  return {
    ...common,
    ...modern,
    ...current,
    __uncaught_exceptions: fn('cdecl', [], 'int', (p) => Math.max(0, p.mem.i32(threadEh(p).cells + 8))),
    _get_unexpected: get('unexpected'),
    _set_se_translator: set('translator'),
    set_unexpected: set('unexpected'),
    unexpected: fn('cdecl', [], 'void', (p) => unexpected(p), r),
  };
}
