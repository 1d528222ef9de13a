// Turning an x86 exception (vector, error code, CR2) into what 32-bit Windows would report for it: an
// exception code and, for access violations, the address and the kind of access.

import type { RegisterDump } from './errors.js';

export interface CpuFault {
  vector: number;
  errorCode: number;
  /** EIP of the faulting instruction (for #BP: of the int3 itself, as Windows reports it). */
  eip: number;
  /** CR2 for page faults. */
  cr2: number;
  registers: RegisterDump;
  /** First bytes at EIP, when readable (tells privileged instructions from other #GP causes). */
  code: Uint8Array | undefined;
  /** x87 status word and MXCSR, to name floating-point faults. */
  fpuStatus: number;
  mxcsr: number;
  /** Base of FS (for fs:-relative operands) and a reader of guest memory (undefined where unmapped). */
  fsBase: number;
  readMemory?: (addr: number, size: 1 | 2 | 4) => number | undefined;
}

export const EXCEPTION = {
  ACCESS_VIOLATION: 0xc000_0005,
  DATATYPE_MISALIGNMENT: 0x8000_0002,
  BREAKPOINT: 0x8000_0003,
  SINGLE_STEP: 0x8000_0004,
  ARRAY_BOUNDS_EXCEEDED: 0xc000_008c,
  FLT_DENORMAL_OPERAND: 0xc000_008d,
  FLT_DIVIDE_BY_ZERO: 0xc000_008e,
  FLT_INEXACT_RESULT: 0xc000_008f,
  FLT_INVALID_OPERATION: 0xc000_0090,
  FLT_OVERFLOW: 0xc000_0091,
  FLT_STACK_CHECK: 0xc000_0092,
  FLT_UNDERFLOW: 0xc000_0093,
  INT_DIVIDE_BY_ZERO: 0xc000_0094,
  INT_OVERFLOW: 0xc000_0095,
  PRIV_INSTRUCTION: 0xc000_0096,
  ILLEGAL_INSTRUCTION: 0xc000_001d,
  STACK_OVERFLOW: 0xc000_00fd,
  FLT_MULTIPLE_TRAPS: 0xc000_02b5,
} as const;

export interface ClassifiedFault {
  exceptionCode: number;
  /** Human words for the exception, without location ("access violation writing 0x00000000"). */
  description: string;
  address?: number;
  access?: 'read' | 'write' | 'execute';
}

const hex8 = (v: number) => '0x' + (v >>> 0).toString(16).padStart(8, '0');

export function classifyFault(f: CpuFault): ClassifiedFault {
  switch (f.vector) {
    case 0:
      return isDivideOverflow(f)
        ? { exceptionCode: EXCEPTION.INT_OVERFLOW, description: 'integer overflow (division result too large)' }
        : { exceptionCode: EXCEPTION.INT_DIVIDE_BY_ZERO, description: 'integer division by zero' };
    case 1:
      return { exceptionCode: EXCEPTION.SINGLE_STEP, description: 'single step (trap flag)' };
    case 3:
      return { exceptionCode: EXCEPTION.BREAKPOINT, description: 'breakpoint (int3)' };
    case 4:
      return { exceptionCode: EXCEPTION.INT_OVERFLOW, description: 'integer overflow (into)' };
    case 5:
      return { exceptionCode: EXCEPTION.ARRAY_BOUNDS_EXCEEDED, description: 'array bounds exceeded (bound)' };
    case 6:
      return { exceptionCode: EXCEPTION.ILLEGAL_INSTRUCTION, description: 'illegal instruction' };
    case 13:
      if (isPrivileged(f.code)) return { exceptionCode: EXCEPTION.PRIV_INSTRUCTION, description: 'privileged instruction' };
      // Windows reports a general-protection fault as an access violation at an unknown address.
      return { exceptionCode: EXCEPTION.ACCESS_VIOLATION, description: 'general protection fault', address: 0xffff_ffff, access: 'read' };
    case 14: {
      const access = f.errorCode & 2 ? 'write' : f.cr2 === f.eip ? 'execute' : 'read';
      const verb = access === 'write' ? 'writing' : access === 'execute' ? 'executing' : 'reading';
      return { exceptionCode: EXCEPTION.ACCESS_VIOLATION, description: `access violation ${verb} ${hex8(f.cr2)}`, address: f.cr2 >>> 0, access };
    }
    case 16:
      return classifyX87(f.fpuStatus);
    case 17:
      return { exceptionCode: EXCEPTION.DATATYPE_MISALIGNMENT, description: 'misaligned data access' };
    case 19:
      return classifySimd(f.mxcsr);
    default:
      return { exceptionCode: EXCEPTION.ILLEGAL_INSTRUCTION, description: `CPU exception ${f.vector}` };
  }
}

/** `div`/`idiv` raise #DE for a zero divisor and for a quotient that does not fit; Windows tells them apart. */
function isDivideOverflow(f: CpuFault): boolean {
  const code = f.code;
  if (!code) return false;
  let i = 0;
  let opsize: 1 | 2 | 4 = 4;
  let fsPrefix = false;
  while ([0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(code[i]!)) {
    if (code[i] === 0x66) opsize = 2;
    if (code[i] === 0x64) fsPrefix = true;
    i++;
  }
  const op = code[i];
  if (op !== 0xf6 && op !== 0xf7) return false;
  if (op === 0xf6) opsize = 1;
  const modrm = code[i + 1] ?? 0;
  const mod = modrm >> 6;
  const rm = modrm & 7;
  const r = f.registers;
  const regs = [r.eax, r.ecx, r.edx, r.ebx, r.esp, r.ebp, r.esi, r.edi];
  let divisor: number | undefined;
  if (mod === 3) {
    if (opsize === 1) divisor = rm < 4 ? regs[rm]! & 0xff : (regs[rm - 4]! >>> 8) & 0xff;
    else divisor = opsize === 2 ? regs[rm]! & 0xffff : regs[rm]! >>> 0;
  } else {
    const addr = effectiveAddress(code, i + 2, mod, rm, regs);
    if (addr === undefined || !f.readMemory) return false;
    divisor = f.readMemory((addr + (fsPrefix ? f.fsBase : 0)) >>> 0, opsize);
  }
  return divisor !== undefined && divisor !== 0;
}

/** The address a 32-bit ModRM memory operand names (flat segments). */
function effectiveAddress(code: Uint8Array, at: number, mod: number, rm: number, regs: number[]): number | undefined {
  let base: number;
  let i = at;
  if (rm === 4) {
    const sib = code[i++];
    if (sib === undefined) return undefined;
    const scale = 1 << (sib >> 6);
    const index = (sib >> 3) & 7;
    const b = sib & 7;
    base = (index === 4 ? 0 : regs[index]! * scale) + (b === 5 && mod === 0 ? 0 : regs[b]!);
    if (b === 5 && mod === 0) {
      if (i + 4 > code.length) return undefined;
      base += dword(code, i);
      i += 4;
    }
  } else if (rm === 5 && mod === 0) {
    return i + 4 <= code.length ? dword(code, i) : undefined;
  } else base = regs[rm]!;
  if (mod === 1) base += ((code[i] ?? 0) << 24) >> 24;
  else if (mod === 2) base += i + 4 <= code.length ? dword(code, i) | 0 : 0;
  return base >>> 0;
}

function dword(code: Uint8Array, i: number): number {
  return (code[i]! | (code[i + 1]! << 8) | (code[i + 2]! << 16) | (code[i + 3]! << 24)) >>> 0;
}

function isPrivileged(code: Uint8Array | undefined): boolean {
  if (!code || code.length === 0) return false;
  let i = 0;
  while (code[i] === 0x66 || code[i] === 0xf3 || code[i] === 0xf2) i++;
  const op = code[i]!;
  if ([0xf4, 0xfa, 0xfb, 0xe4, 0xe5, 0xe6, 0xe7, 0xec, 0xed, 0xee, 0xef, 0x6c, 0x6d, 0x6e, 0x6f, 0xcf].includes(op)) return true;
  if (op === 0x0f) {
    const op2 = code[i + 1]!;
    // clts, invd, wbinvd, wrmsr, rdmsr, mov to/from control and debug registers, lgdt/lidt/lmsw/invlpg
    if ([0x06, 0x08, 0x09, 0x30, 0x32, 0x20, 0x21, 0x22, 0x23].includes(op2)) return true;
    if (op2 === 0x01) {
      const reg = ((code[i + 2] ?? 0) >> 3) & 7;
      return reg === 2 || reg === 3 || reg === 6 || reg === 7;
    }
    if (op2 === 0x00) {
      const reg = ((code[i + 2] ?? 0) >> 3) & 7;
      return reg === 2 || reg === 3; // lldt, ltr
    }
  }
  return false;
}

function classifyX87(status: number): ClassifiedFault {
  const fpu = (code: number, what: string): ClassifiedFault => ({ exceptionCode: code, description: `floating-point ${what}` });
  if (status & 0x40) return fpu(EXCEPTION.FLT_STACK_CHECK, 'stack check');
  if (status & 0x01) return fpu(EXCEPTION.FLT_INVALID_OPERATION, 'invalid operation');
  if (status & 0x04) return fpu(EXCEPTION.FLT_DIVIDE_BY_ZERO, 'division by zero');
  if (status & 0x02) return fpu(EXCEPTION.FLT_DENORMAL_OPERAND, 'denormal operand');
  if (status & 0x08) return fpu(EXCEPTION.FLT_OVERFLOW, 'overflow');
  if (status & 0x10) return fpu(EXCEPTION.FLT_UNDERFLOW, 'underflow');
  return fpu(EXCEPTION.FLT_INEXACT_RESULT, 'inexact result');
}

function classifySimd(mxcsr: number): ClassifiedFault {
  // Flags not masked in MXCSR bits 7-12 are the ones that trapped.
  const pending = mxcsr & 0x3f & ~((mxcsr >> 7) & 0x3f);
  const base = classifyX87(pending || mxcsr & 0x3f);
  return { ...base, description: base.description.replace('floating-point', 'SSE floating-point') };
}
