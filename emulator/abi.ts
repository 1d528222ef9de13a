// Calling guest functions with the 32-bit x86 conventions, for 32-bit arguments. (The typed FFI in
// worker/ builds richer stack frames itself and uses Cpu.execute directly.)

import type { Cpu } from './cpu.js';

export type CallConv = 'cdecl' | 'stdcall' | 'thiscall' | 'fastcall';

/** Where a host->guest call's frame goes: below the current frame when nested, else at `stackTop`. */
export function frameTop(cpu: Cpu, stackTop: number): number {
  return cpu.callDepth > 0 ? ((cpu.esp - 64) & ~15) >>> 0 : stackTop;
}

export interface CallOptions {
  /** Put the frame exactly here (a caller that keeps data just below the current ESP). */
  stackTop?: number;
  /** EBP for the callee (SEH filter and __finally funclets address their parent's frame through it). */
  ebp?: number;
}

/** Calls `addr` with 32-bit arguments; returns EAX (EDX is in cpu.returned.edx). */
export function callGuest(cpu: Cpu, addr: number, stackTop: number, conv: CallConv, args: readonly number[], opts: CallOptions = {}): number {
  let stackArgs = args;
  if (conv === 'thiscall') {
    cpu.ecx = args[0] ?? 0;
    stackArgs = args.slice(1);
  } else if (conv === 'fastcall') {
    cpu.ecx = args[0] ?? 0;
    cpu.edx = args[1] ?? 0;
    stackArgs = args.slice(2);
  }
  const top = opts.stackTop ?? frameTop(cpu, stackTop);
  if (opts.ebp !== undefined) cpu.set('ebp', opts.ebp);
  const esp = (top - 4 * stackArgs.length - 4) >>> 0;
  cpu.mem.writeWords(esp, [cpu.returnAddress, ...stackArgs]);
  cpu.execute(addr, esp);
  return cpu.returned.eax;
}
