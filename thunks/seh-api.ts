// The exception-handling exports of kernel32, ntdll and the C runtimes, over thunks/seh.ts:
// RaiseException, RtlUnwind, vectored and unhandled-exception filters, and the MSVC scope-table
// handlers `_except_handler3` (SEH3) and `_except_handler4_common` (SEH4) behind __try/__except/__finally.

import type { RegisterDump } from '../emulator/errors.js';
import { installCxxDescriber } from './cxx-eh.js';
import type { Process } from './process.js';
import { DISPOSITION, EXCEPTION_FLAG, FILTER, readRecord, STATUS, type ExceptionInfo } from './seh.js';
import { fn, NO_RETURN, type Export } from './spec.js';

/** The caller's registers as they will be when this stdcall API returns (`pops` argument bytes). */
function callerContext(p: Process, pops: number): RegisterDump {
  const esp = p.cpu.esp;
  return { ...p.cpu.registers(), eip: p.mem.u32(esp), esp: esp + 4 + pops };
}

// ---- raising -------------------------------------------------------------------------------------

function RaiseException(p: Process, code: number, flags: number, count: number, args: number): typeof NO_RETURN {
  const n = Math.min(count, 15);
  const params = args ? Array.from({ length: n }, (_, i) => p.mem.u32(args + 4 * i)) : [];
  const ctx = callerContext(p, 16);
  const info: ExceptionInfo = { code, flags: flags & EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params };
  p.seh.raiseFromTrap(p.cpu, info, ctx);
  return NO_RETURN;
}

function RtlRaiseException(p: Process, record: number): typeof NO_RETURN {
  const info = readRecord(p.mem, record);
  const ctx = callerContext(p, 4);
  p.seh.raiseFromTrap(p.cpu, { ...info, chained: info.chained ?? 0 }, ctx);
  return NO_RETURN;
}

/** _CxxThrowException: the C++ throw of MSVC, an exception 0xE06D7363 ("msc") with the object and its type info. */
function CxxThrowException(p: Process, object: number, throwInfo: number): typeof NO_RETURN {
  installCxxDescriber(p); // if nobody catches it, the message names the type (thunks/cxx-eh.ts)
  const ctx = callerContext(p, 8);
  p.seh.raiseFromTrap(p.cpu, { code: STATUS.CPP_EXCEPTION, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params: [0x1993_0520, object, throwInfo] }, ctx);
  return NO_RETURN;
}

function RtlCaptureContext(p: Process, context: number): void {
  p.seh.writeContext(context, callerContext(p, 4));
}

function RtlUnwind(p: Process, target: number, _targetIp: number, record: number, value: number): number {
  p.seh.unwind(target, record, callerContext(p, 16));
  return value;
}

// ---- filters -------------------------------------------------------------------------------------

function SetUnhandledExceptionFilter(p: Process, filter: number): number {
  const old = p.seh.topLevelFilter;
  p.seh.topLevelFilter = filter;
  return old;
}

/** Without a debugger: the top-level filter decides, or EXCEPTION_EXECUTE_HANDLER (end the process). */
function UnhandledExceptionFilter(p: Process, pointers: number): number {
  if (p.seh.topLevelFilter) return p.callGuest(p.seh.topLevelFilter, 'stdcall', [pointers]);
  return FILTER.EXECUTE_HANDLER;
}

function AddVectoredExceptionHandler(p: Process, first: number, handler: number): number {
  if (!handler) return 0;
  if (first) p.seh.vectored.unshift(handler);
  else p.seh.vectored.push(handler);
  return handler;
}

function RemoveVectoredExceptionHandler(p: Process, handle: number): number {
  const i = p.seh.vectored.indexOf(handle);
  if (i < 0) return 0;
  p.seh.vectored.splice(i, 1);
  return 1;
}

// ---- MSVC scope tables ---------------------------------------------------------------------------

/**
 * The frame of a function with __try, as MSVC and clang lay it out (SEH3 and SEH4 alike):
 *   [ebp-24] ESP saved after the prologue   [ebp-20] EXCEPTION_POINTERS* for GetExceptionInformation
 *   [ebp-16] next registration   [ebp-12] handler   [ebp-8] scope table   [ebp-4] try level
 * The registration record (the establisher frame) is at ebp-16.
 */
export interface ScopeFrame {
  frame: number;
  ebp: number;
  /** Address of scope-table entry `level` ({enclosing level, filter, handler}, 12 bytes each). */
  entry(level: number): number;
  /** The try level that means "outside every __try": -1 for SEH3, -2 for SEH4. */
  topmost: number;
}

let unwindingDepth = 0;

/** Runs the __finally blocks from the frame's current try level out to `target`. */
export function localUnwind(p: Process, f: ScopeFrame, target: number): void {
  const m = p.mem;
  for (let level = m.i32(f.frame + 12); level !== f.topmost && level !== target; level = m.i32(f.frame + 12)) {
    const entry = f.entry(level);
    m.setU32(f.frame + 12, m.u32(entry)); // leave this level before running its block
    if (m.u32(entry + 4) === 0) {
      unwindingDepth++;
      try {
        p.callGuest(m.u32(entry + 8), 'cdecl', [], { ebp: f.ebp });
      } finally {
        unwindingDepth--;
      }
    }
  }
}

/**
 * The language handler of __try/__except/__finally. While dispatching, asks the filters from the
 * innermost __try outwards. When one says EXECUTE_HANDLER, it unwinds the frames above, runs the
 * __finally blocks inside, and jumps to the __except block. While unwinding, it runs the frame's
 * __finally blocks.
 */
function scopeHandler(p: Process, f: ScopeFrame, record: number, context: number): number | typeof NO_RETURN {
  const m = p.mem;
  const flags = m.u32(record + 4);
  if (flags & (EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND)) {
    localUnwind(p, f, f.topmost);
    return DISPOSITION.CONTINUE_SEARCH;
  }
  // GetExceptionInformation() reads this pair through [ebp-20] while a filter runs.
  const pointers = ((p.cpu.esp - 32) & ~7) >>> 0;
  m.setU32(pointers, record);
  m.setU32(pointers + 4, context);
  m.setU32(f.ebp - 20, pointers);
  for (let level = m.i32(f.frame + 12); level !== f.topmost; ) {
    const entry = f.entry(level);
    const filter = m.u32(entry + 4);
    if (filter) {
      const verdict = p.callGuest(filter, 'cdecl', [], { ebp: f.ebp, stackTop: (pointers - 16) >>> 0 }) | 0;
      if (verdict < 0) return DISPOSITION.CONTINUE_EXECUTION;
      if (verdict > 0) {
        p.seh.unwind(f.frame, record, { ...p.cpu.registers(), eip: p.mem.u32(p.cpu.esp), esp: p.cpu.esp });
        localUnwind(p, f, level);
        m.setU32(f.frame + 12, m.u32(entry));
        const cpu = p.cpu;
        cpu.set('ebp', f.ebp);
        cpu.esp = m.u32(f.ebp - 24);
        cpu.eip = m.u32(entry + 8);
        return NO_RETURN;
      }
    }
    level = m.i32(entry);
  }
  return DISPOSITION.CONTINUE_SEARCH;
}

function exceptHandler3(p: Process, record: number, frame: number, context: number, _dc: number): number | typeof NO_RETURN {
  const table = p.mem.u32(frame + 8);
  return scopeHandler(p, { frame, ebp: frame + 16, entry: (l) => table + 12 * l, topmost: -1 }, record, context);
}

/**
 * SEH4: the scope table pointer is XORed with the module's security cookie, and the table starts with
 * a 16-byte header of stack-cookie offsets (the checks are the compiler's own business).
 */
function exceptHandler4Common(p: Process, cookiePtr: number, _check: number, record: number, frame: number, context: number, _dc: number): number | typeof NO_RETURN {
  const table = (p.mem.u32(frame + 8) ^ p.mem.u32(cookiePtr)) >>> 0;
  return scopeHandler(p, { frame, ebp: frame + 16, entry: (l) => table + 16 + 12 * l, topmost: -2 }, record, context);
}

function globalUnwind2(p: Process, frame: number): void {
  p.seh.unwind(frame, 0, { ...p.cpu.registers(), eip: p.mem.u32(p.cpu.esp), esp: p.cpu.esp + 4 });
}

function localUnwind2(p: Process, frame: number, level: number): void {
  const table = p.mem.u32(frame + 8);
  localUnwind(p, { frame, ebp: frame + 16, entry: (l) => table + 12 * l, topmost: -1 }, level | 0);
}

// ---- tables --------------------------------------------------------------------------------------

export const kernel32ExceptionApi: Record<string, Export> = {
  AddVectoredExceptionHandler: fn('stdcall', ['long', 'ptr'], 'ptr', AddVectoredExceptionHandler),
  RaiseException: fn('stdcall', ['long', 'long', 'long', 'ptr'], 'void', RaiseException),
  RemoveVectoredExceptionHandler: fn('stdcall', ['ptr'], 'long', RemoveVectoredExceptionHandler),
  RtlCaptureContext: fn('stdcall', ['ptr'], 'void', RtlCaptureContext),
  RtlUnwind: fn('stdcall', ['long', 'ptr', 'ptr', 'long'], 'long', RtlUnwind, { reentrant: true }),
  SetUnhandledExceptionFilter: fn('stdcall', ['ptr'], 'ptr', SetUnhandledExceptionFilter),
  UnhandledExceptionFilter: fn('stdcall', ['ptr'], 'long', UnhandledExceptionFilter, { reentrant: true }),
};

export const ntdllExceptionApi: Record<string, Export> = {
  RtlAddVectoredExceptionHandler: fn('stdcall', ['long', 'ptr'], 'ptr', AddVectoredExceptionHandler),
  RtlCaptureContext: fn('stdcall', ['ptr'], 'void', RtlCaptureContext),
  RtlRaiseException: fn('stdcall', ['ptr'], 'void', RtlRaiseException),
  RtlRemoveVectoredExceptionHandler: fn('stdcall', ['ptr'], 'long', RemoveVectoredExceptionHandler),
  RtlUnwind: fn('stdcall', ['long', 'ptr', 'ptr', 'long'], 'long', RtlUnwind, { reentrant: true }),
};

/** The C runtimes' exception helpers (msvcrt, msvcr*, vcruntime140). */
export const crtExceptionApi: Record<string, Export> = {
  _CxxThrowException: fn('stdcall', ['ptr', 'ptr'], 'void', CxxThrowException),
  // The C runtime's filter for its signal() emulation: no guest signal handlers for exceptions here.
  _XcptFilter: fn('cdecl', ['long', 'ptr'], 'int', (_p, _code, _pointers) => FILTER.CONTINUE_SEARCH),
  _abnormal_termination: fn('cdecl', [], 'int', (_p) => (unwindingDepth > 0 ? 1 : 0)),
  _except_handler3: fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'int', exceptHandler3, { reentrant: true }),
  _except_handler4_common: fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', exceptHandler4Common, { reentrant: true }),
  _global_unwind2: fn('cdecl', ['ptr'], 'void', globalUnwind2, { reentrant: true }),
  _local_unwind2: fn('cdecl', ['ptr', 'int'], 'void', localUnwind2, { reentrant: true }),
};
