// The one place that knows how a Win32 call sits on the stack: decode the arguments a table entry
// declares, call its handler, put the result where the convention says, and return to the caller with the
// right stack cleanup.

import type { Cpu, TrapHandler } from '../emulator/cpu.js';
import { GuestMemoryError } from '../emulator/errors.js';
import { EXCEPTION } from '../emulator/faults.js';
import type { GuestMemory } from '../emulator/memory.js';
import { UnimplementedApiError } from './errors.js';
import type { Process } from './process.js';
import { UnhandledGuestException, type ExceptionInfo } from './seh.js';
import { calleePops, NO_RETURN, registerArg, slotSize, type ArgType, type FnExport, type RawExport, type RetType, type VarArgs } from './spec.js';
import { readAnsi, readWide } from './text.js';

type Decoder = (cpu: Cpu, mem: GuestMemory, esp: number, process: Process) => unknown;

function decoder(t: ArgType, where: { reg?: 'ecx' | 'edx'; offset: number }): Decoder {
  if (where.reg) {
    const reg = where.reg;
    return t === 'int' ? (cpu) => cpu.get(reg) | 0 : (cpu) => cpu.get(reg);
  }
  const o = where.offset;
  switch (t) {
    case 'long':
    case 'ptr':
      return (_c, mem, esp) => mem.u32(esp + o);
    case 'int':
      return (_c, mem, esp) => mem.i32(esp + o);
    case 'str':
      return (_c, mem, esp, p) => readAnsi(mem, mem.u32(esp + o), p.ansiCodePage);
    case 'wstr':
      return (_c, mem, esp) => readWide(mem, mem.u32(esp + o));
    case 'int64':
      return (_c, mem, esp) => mem.i64(esp + o);
    case 'double':
      return (_c, mem, esp) => mem.f64(esp + o);
    case 'float':
      return (_c, mem, esp) => mem.f32(esp + o);
  }
}

class StackVarArgs implements VarArgs {
  constructor(
    private readonly mem: GuestMemory,
    public at: number,
  ) {}
  u32(): number {
    const v = this.mem.u32(this.at);
    this.at += 4;
    return v;
  }
  i32(): number {
    return this.u32() | 0;
  }
  u64(): bigint {
    const v = this.mem.u64(this.at);
    this.at += 8;
    return v;
  }
  f64(): number {
    const v = this.mem.f64(this.at);
    this.at += 8;
    return v;
  }
}

function setReturn(cpu: Cpu, ret: RetType, v: unknown): void {
  switch (ret) {
    case 'void':
      return;
    case 'bool':
      cpu.eax = v ? 1 : 0;
      return;
    case 'int64': {
      const b = BigInt.asUintN(64, BigInt((v as bigint | number | undefined) ?? 0));
      cpu.eax = Number(b & 0xffff_ffffn);
      cpu.edx = Number(b >> 32n);
      return;
    }
    case 'double':
    case 'float':
      cpu.pushSt0(Number(v ?? 0));
      return;
    default:
      cpu.eax = Number(v ?? 0);
  }
}

/** A trap handler running table entry `e` of `dll` as export `name`. */
export function apiTrap(process: Process, dll: string, name: string, e: FnExport): TrapHandler {
  const label = `${dll}!${name}`;
  const pops = calleePops(e);
  const decoders: Decoder[] = [];
  let offset = 4; // [esp] is the return address
  e.args.forEach((t, i) => {
    const reg = registerArg(e.conv, e.args, i);
    if (reg) decoders.push(decoder(t, { reg, offset: 0 }));
    else {
      decoders.push(decoder(t, { offset }));
      offset += slotSize(t);
    }
  });
  const fixedBytes = offset;
  const varargs = e.conv === 'varargs';
  const impl = e.impl as (p: Process, ...a: unknown[]) => unknown;
  return (cpu) => {
    const mem = cpu.mem;
    const esp = cpu.esp;
    const ret = mem.u32(esp);
    const outerCaller = process.caller;
    process.caller = ret;
    let args: unknown[] = [];
    let result: unknown;
    try {
      args = decoders.map((d) => d(cpu, mem, esp, process));
      if (varargs) args.push(new StackVarArgs(mem, esp + fixedBytes));
      result = impl(process, ...args);
      if (process.tracing && !e.quiet) process.trace(label, args, result, e.ret);
    } catch (err) {
      if (process.tracing) process.trace(label, args, err, e.ret);
      if (raiseInGuest(process, cpu, err, label, ret, esp + 4 + pops)) return;
      throw err;
    } finally {
      process.caller = outerCaller;
    }
    if (result === NO_RETURN) return; // the handler moved the CPU elsewhere (a raise, a jump to __except)
    setReturn(cpu, e.ret, result);
    cpu.eip = ret;
    cpu.esp = esp + 4 + pops;
  };
}

export { NO_RETURN };

/**
 * A guest exception inside an API call is raised in the guest, at the call site, so its frames can
 * handle it: a bad pointer the API dereferenced (an access violation, as it would crash inside the
 * API on Windows), an exception the API raised itself, or one guest code called back by the API left
 * unhandled. Returns false for host errors, which end the call.
 */
function raiseInGuest(process: Process, cpu: Cpu, err: unknown, label: string, ret: number, espAfter: number): boolean {
  let info: ExceptionInfo;
  if (err instanceof UnhandledGuestException) info = err.info;
  else if (err instanceof GuestMemoryError) {
    const verb = err.access === 'write' ? 'writing' : 'reading';
    info = {
      code: EXCEPTION.ACCESS_VIOLATION,
      flags: 0,
      address: ret,
      params: [err.access === 'write' ? 1 : 0, err.address],
      description: `access violation ${verb} 0x${err.address.toString(16).padStart(8, '0')} in ${label} (called from ${process.describe(ret)})`,
      vector: 14,
    };
  } else return false;
  // The context is the caller's, as if the API had returned: a handler that continues execution
  // resumes after the call.
  process.seh.raiseFromTrap(cpu, info, { ...cpu.registers(), eip: ret, esp: espAfter });
  return true;
}

/** A trap for an export wowasm lacks: calling it stops the call with an error naming it and the caller. */
export function unimplementedTrap(process: Process, dll: string, name: string): TrapHandler {
  return (cpu) => {
    const ret = cpu.mem.u32(cpu.esp);
    if (process.tracing) process.trace(`${dll}!${name}`, ['(not implemented)'], undefined, 'void');
    throw new UnimplementedApiError(dll, name, process.describe(ret));
  };
}

/** A trap for a register-convention helper: the handler works on the registers, we return and pop. */
export function rawTrap(process: Process, e: RawExport): TrapHandler {
  return (cpu) => {
    const esp = cpu.esp;
    const ret = cpu.mem.u32(esp);
    const outerCaller = process.caller;
    process.caller = ret; // a fault the helper raises is located at its caller
    try {
      e.impl(process, cpu);
    } catch (err) {
      if (raiseInGuest(process, cpu, err, 'helper', ret, esp + 4 + e.pops)) return;
      throw err;
    } finally {
      process.caller = outerCaller;
    }
    cpu.eip = ret;
    cpu.esp = esp + 4 + e.pops;
  };
}
