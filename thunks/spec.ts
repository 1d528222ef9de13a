// The declaration format of wowasm's built-in DLLs: one table per DLL, one line per export, in the
// spirit of Wine's .spec files. The dispatcher, the import binder, the tracer and the coverage report all
// read these tables; stack sizes are always derived from the argument lists.

import type { Cpu } from '../emulator/cpu.js';
import type { Process } from './process.js';

/**
 * Argument types, Wine's names: `long`/`ptr` a u32 number, `int` the same bits signed, `str`/`wstr` a
 * NUL-terminated ANSI/UTF-16 string decoded to a JS string (null for NULL), `int64` a bigint (8 bytes),
 * `double` (8 bytes) and `float` (4 bytes) numbers.
 */
export type ArgType = 'long' | 'int' | 'ptr' | 'str' | 'wstr' | 'int64' | 'double' | 'float';
/** Return types: `long`/`ptr`/`int`/`bool` in EAX, `int64` in EDX:EAX, `double`/`float` in ST(0). */
export type RetType = 'long' | 'int' | 'ptr' | 'bool' | 'int64' | 'double' | 'float' | 'void';
/**
 * `stdcall` (callee pops), `cdecl` (caller pops), `varargs` (cdecl with a trailing `...`: the handler
 * gets a VarArgs reader last), `thiscall` (`this` in ECX, callee pops), `fastcall` (ECX, EDX).
 */
export type Conv = 'stdcall' | 'cdecl' | 'varargs' | 'thiscall' | 'fastcall';

type ArgValue<T extends ArgType> = T extends 'str' | 'wstr' ? string | null : T extends 'int64' ? bigint : number;
export type ArgValues<A extends readonly ArgType[]> = { -readonly [K in keyof A]: A[K] extends ArgType ? ArgValue<A[K]> : never };
/** A handler's result meaning "I have set EIP/ESP myself; do not return to the caller" (a raise, a jump). */
export const NO_RETURN: unique symbol = Symbol('no return');
export type RetValue<R extends RetType> = (R extends 'void' ? void : R extends 'int64' ? bigint : R extends 'bool' ? boolean | number : number) | typeof NO_RETURN;

/** Reads the variable part of a `...` argument list, in order. */
export interface VarArgs {
  /** Guest address of the next unread argument. */
  readonly at: number;
  u32(): number;
  i32(): number;
  u64(): bigint;
  f64(): number;
}

export type Handler = (ctx: Process, ...args: never[]) => unknown;

export interface FnExport {
  kind: 'fn';
  conv: Conv;
  args: readonly ArgType[];
  ret: RetType;
  impl: Handler;
  /** The handler calls back into guest code (qsort, _initterm, LoadLibrary running DllMain, ...). */
  reentrant: boolean;
  /** Hidden from API traces (hot and uninteresting). */
  quiet: boolean;
  ordinal?: number;
}

export interface DataExport {
  kind: 'data';
  /** Bytes of guest memory the variable occupies. */
  size: number;
  /** Fills in its initial value once it is allocated at `addr`. */
  init?: (ctx: Process, addr: number) => void;
  /** For a variable that lives in a DLL's state: its address (size and init are then unused). */
  at?: (ctx: Process) => number;
  ordinal?: number;
}

/** An export wowasm knows of but does not implement: importable, fatal when called. */
export interface StubExport {
  kind: 'stub';
  ordinal?: number;
}

/** An export that is another DLL's ("ntdll.RtlAllocateHeap"). */
export interface ForwardExport {
  kind: 'forward';
  to: string;
  ordinal?: number;
}

/**
 * A function with a register convention of its own (the compiler helpers `_allshl` & co. take EDX:EAX
 * and CL). The handler reads and sets registers itself; the dispatcher returns and pops `pops` bytes.
 */
export interface RawExport {
  kind: 'raw';
  pops: number;
  impl: (ctx: Process, cpu: Cpu) => void;
  ordinal?: number;
}

export type Export = FnExport | DataExport | StubExport | ForwardExport | RawExport;

export interface DllSpec {
  /** Lower-case file name ("kernel32.dll"). */
  name: string;
  exports: Readonly<Record<string, Export>>;
}

export interface FnOptions {
  reentrant?: boolean;
  quiet?: boolean;
  ordinal?: number;
}

export function fn<const A extends readonly ArgType[], R extends RetType>(
  conv: Exclude<Conv, 'varargs'>,
  args: A,
  ret: R,
  impl: (ctx: Process, ...args: ArgValues<A>) => RetValue<R>,
  opts: FnOptions = {},
): FnExport {
  return { kind: 'fn', conv, args, ret, impl: impl as unknown as Handler, reentrant: opts.reentrant ?? false, quiet: opts.quiet ?? false, ...(opts.ordinal !== undefined ? { ordinal: opts.ordinal } : {}) };
}

/** A cdecl function with a trailing `...`: the handler receives a VarArgs reader after the fixed arguments. */
export function varargs<const A extends readonly ArgType[], R extends RetType>(
  args: A,
  ret: R,
  impl: (ctx: Process, ...args: [...ArgValues<A>, VarArgs]) => RetValue<R>,
  opts: FnOptions = {},
): FnExport {
  return { kind: 'fn', conv: 'varargs', args, ret, impl: impl as unknown as Handler, reentrant: opts.reentrant ?? false, quiet: opts.quiet ?? false, ...(opts.ordinal !== undefined ? { ordinal: opts.ordinal } : {}) };
}

export function data(size: number, init?: (ctx: Process, addr: number) => void, ordinal?: number): DataExport {
  return { kind: 'data', size, ...(init ? { init } : {}), ...(ordinal !== undefined ? { ordinal } : {}) };
}

/** A data export whose storage the DLL's state already owns (msvcrt's _iob, errno, ...). */
export function dataAt(at: (ctx: Process) => number, ordinal?: number): DataExport {
  return { kind: 'data', size: 0, at, ...(ordinal !== undefined ? { ordinal } : {}) };
}

export function stub(ordinal?: number): StubExport {
  return { kind: 'stub', ...(ordinal !== undefined ? { ordinal } : {}) };
}

export function forward(to: string, ordinal?: number): ForwardExport {
  return { kind: 'forward', to, ...(ordinal !== undefined ? { ordinal } : {}) };
}

export function raw(pops: number, impl: (ctx: Process, cpu: Cpu) => void): RawExport {
  return { kind: 'raw', pops, impl };
}

export function dll(name: string, exports: Record<string, Export>): DllSpec {
  return { name: name.toLowerCase(), exports };
}

/** Bytes an argument occupies on the stack. */
export function slotSize(t: ArgType): number {
  return t === 'int64' || t === 'double' ? 8 : 4;
}

/** Bytes of stack arguments the callee pops (stdcall/thiscall/fastcall) or 0 (cdecl/varargs). */
export function calleePops(e: FnExport): number {
  if (e.conv === 'cdecl' || e.conv === 'varargs') return 0;
  let bytes = 0;
  e.args.forEach((t, i) => {
    if (registerArg(e.conv, e.args, i)) return;
    bytes += slotSize(t);
  });
  return bytes;
}

/** Register an argument travels in, if any: thiscall's first in ECX, fastcall's first two 32-bit ones in ECX, EDX. */
export function registerArg(conv: Conv, args: readonly ArgType[], index: number): 'ecx' | 'edx' | undefined {
  if (conv === 'thiscall') return index === 0 ? 'ecx' : undefined;
  if (conv !== 'fastcall') return undefined;
  let regsUsed = 0;
  for (let i = 0; i <= index; i++) {
    const small = slotSize(args[i]!) === 4 && args[i] !== 'float';
    if (small && regsUsed < 2) {
      if (i === index) return regsUsed === 0 ? 'ecx' : 'edx';
      regsUsed++;
    }
  }
  return undefined;
}
