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
  let opsize = 32;
  while (code[i] === 0x66 || code[i] === 0x67 || code[i] === 0xf0 || code[i] === 0xf2 || code[i] === 0xf3 || [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65].includes(code[i]!)) {
    if (code[i] === 0x66) opsize = 16;
    i++;
  }
  const op = code[i];
  if (op !== 0xf6 && op !== 0xf7) return false;
  const modrm = code[i + 1] ?? 0;
  if ((modrm >> 6) !== 3) return false; // memory divisor: not decoded here, reported as division by zero
  const rm = modrm & 7;
  const r = f.registers;
  const regs = [r.eax, r.ecx, r.edx, r.ebx, r.esp, r.ebp, r.esi, r.edi];
  let divisor: number;
  if (op === 0xf6) divisor = rm < 4 ? regs[rm]! & 0xff : (regs[rm - 4]! >>> 8) & 0xff;
  else divisor = opsize === 16 ? regs[rm]! & 0xffff : regs[rm]! >>> 0;
  return divisor !== 0;
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
