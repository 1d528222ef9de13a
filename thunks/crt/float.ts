// <float.h> and <fenv.h>: the floating-point control and status words as the CRT presents them. The
// "abstract" control word of _controlfp/_control87 maps onto the guest's x87 control word and MXCSR (x86:
// both are set, as Microsoft's x86 CRT does since Visual C++ 2005); a change takes effect for the guest's
// next floating-point instructions.
import type { Cpu } from '../../emulator/cpu.js';
import type { Process } from '../process.js';
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { hasSecureCrt } from './flavour.js';
import { invalidParameter } from './signal.js';
import { ERRNO } from './state.js';

/** Bits of the abstract control word (<float.h>). */
export const CW = {
  EM_INEXACT: 0x1,
  EM_UNDERFLOW: 0x2,
  EM_OVERFLOW: 0x4,
  EM_ZERODIVIDE: 0x8,
  EM_INVALID: 0x10,
  EM_DENORMAL: 0x80000,
  RC_DOWN: 0x100,
  RC_UP: 0x200,
  RC_CHOP: 0x300,
  PC_24: 0x20000,
  PC_53: 0x10000,
  IC_AFFINE: 0x40000,
  DN_FLUSH: 0x1000000,
  MCW_EM: 0x8001f,
  MCW_RC: 0x300,
  MCW_PC: 0x30000,
  MCW_IC: 0x40000,
  MCW_DN: 0x3000000,
} as const;

/** Bits of the abstract status word: _SW_INEXACT .. _SW_INVALID, _SW_DENORMAL. */
export const SW = { INEXACT: 0x1, UNDERFLOW: 0x2, OVERFLOW: 0x4, ZERODIVIDE: 0x8, INVALID: 0x10, DENORMAL: 0x80000 } as const;

/** x87 exception bits in order: invalid, denormal, zero divide, overflow, underflow, precision. */
const X87_EXCEPTIONS = [SW.INVALID, SW.DENORMAL, SW.ZERODIVIDE, SW.OVERFLOW, SW.UNDERFLOW, SW.INEXACT];

/** The x87 control word as the abstract control word. */
export function x87ToAbstract(cw: number): number {
  let r = 0;
  X87_EXCEPTIONS.forEach((bit, i) => {
    if (cw & (1 << i)) r |= bit; // a set mask bit = exception masked = _EM_ bit set
  });
  r |= [0, CW.RC_DOWN, CW.RC_UP, CW.RC_CHOP][(cw >> 10) & 3]!;
  r |= [CW.PC_24, 0, CW.PC_53, 0][(cw >> 8) & 3]!;
  if (cw & 0x1000) r |= CW.IC_AFFINE;
  return r >>> 0;
}

export function abstractToX87(a: number, old: number): number {
  let cw = old & ~0x1f3f;
  X87_EXCEPTIONS.forEach((bit, i) => {
    if (a & bit) cw |= 1 << i;
  });
  cw |= ((a & CW.MCW_RC) >> 8) << 10;
  const pc = a & CW.MCW_PC;
  cw |= (pc === CW.PC_24 ? 0 : pc === CW.PC_53 ? 2 : 3) << 8;
  if (a & CW.IC_AFFINE) cw |= 0x1000;
  return cw;
}

/** MXCSR: masks in bits 7-12 (invalid, denormal, zero, overflow, underflow, precision), RC 13-14, FZ 15, DAZ 6. */
export function sseToAbstract(mxcsr: number): number {
  let r = 0;
  X87_EXCEPTIONS.forEach((bit, i) => {
    if (mxcsr & (1 << (7 + i))) r |= bit;
  });
  r |= [0, CW.RC_DOWN, CW.RC_UP, CW.RC_CHOP][(mxcsr >> 13) & 3]!;
  if (mxcsr & 0x8040) r |= CW.DN_FLUSH;
  return r >>> 0;
}

export function abstractToSse(a: number, old: number): number {
  let m = old & ~(0x3f << 7) & ~(3 << 13) & ~0x8040;
  X87_EXCEPTIONS.forEach((bit, i) => {
    if (a & bit) m |= 1 << (7 + i);
  });
  m |= ((a & CW.MCW_RC) >> 8) << 13;
  if ((a & CW.MCW_DN) === CW.DN_FLUSH) m |= 0x8040;
  return m >>> 0;
}

/** _control87(new, mask): sets the masked bits in both units; returns the new x87 control word (abstract). */
export function control87(cpu: Cpu, value: number, mask: number): number {
  if (mask) {
    const x87 = x87ToAbstract(cpu.x87ControlWord);
    cpu.x87ControlWord = abstractToX87((x87 & ~mask) | (value & mask), cpu.x87ControlWord);
    const sse = sseToAbstract(cpu.mxcsr);
    cpu.mxcsr = abstractToSse((sse & ~mask) | (value & mask), cpu.mxcsr);
  }
  return x87ToAbstract(cpu.x87ControlWord);
}

function statusOf(bits: number): number {
  let r = 0;
  X87_EXCEPTIONS.forEach((bit, i) => {
    if (bits & (1 << i)) r |= bit;
  });
  return r;
}

/** The accumulated exception flags of both units (abstract), optionally cleared (_clearfp). */
export function status(cpu: Cpu, clear: boolean): number {
  const r = statusOf(cpu.x87StatusWord) | statusOf(cpu.mxcsr);
  if (clear) {
    cpu.x87StatusWord = cpu.x87StatusWord & ~0x80ff; // fnclex: exception flags, ES and B
    cpu.mxcsr = cpu.mxcsr & ~0x3f;
  }
  return r;
}

/** _fpreset: the x87 re-initialized to Windows' start-up state (control word 0x27F) and MXCSR 0x1F80. */
export function fpreset(cpu: Cpu): void {
  cpu.resetFpuStack();
  cpu.x87StatusWord = 0;
  cpu.x87ControlWord = 0x27f;
  cpu.mxcsr = 0x1f80;
}

const VALID_CW = CW.MCW_EM | CW.MCW_RC | CW.MCW_PC | CW.MCW_IC | CW.MCW_DN;

/** <fenv.h> rounding directions and exception flags use the <float.h> values in Microsoft's CRT. */
const FE_ALL_EXCEPT = 0x1f;

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function floatApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const table: Record<string, Export> = {
    _clearfp: fn('cdecl', [], 'long', (p) => status(p.cpu, true)),
    _control87: fn('cdecl', ['long', 'long'], 'long', (p, v, m) => control87(p.cpu, v, m)),
    // _controlfp leaves the denormal exception mask alone.
    _controlfp: fn('cdecl', ['long', 'long'], 'long', (p, v, m) => control87(p.cpu, v, m & ~CW.EM_DENORMAL)),
    _fpreset: fn('cdecl', [], 'void', (p) => fpreset(p.cpu)),
    _statusfp: fn('cdecl', [], 'long', (p) => status(p.cpu, false)),
    __control87_2: fn('cdecl', ['long', 'long', 'ptr', 'ptr'], 'int', (p, v, m, px87, psse) => {
      const cpu = p.cpu;
      if (px87) {
        if (m) cpu.x87ControlWord = abstractToX87((x87ToAbstract(cpu.x87ControlWord) & ~m) | (v & m), cpu.x87ControlWord);
        p.mem.setU32(px87, x87ToAbstract(cpu.x87ControlWord));
      }
      if (psse) {
        if (m) cpu.mxcsr = abstractToSse((sseToAbstract(cpu.mxcsr) & ~m) | (v & m), cpu.mxcsr);
        p.mem.setU32(psse, sseToAbstract(cpu.mxcsr));
      }
      return 1;
    }),
    _statusfp2: fn('cdecl', ['ptr', 'ptr'], 'void', (p, px87, psse) => {
      if (px87) p.mem.setU32(px87, statusOf(p.cpu.x87StatusWord));
      if (psse) p.mem.setU32(psse, statusOf(p.cpu.mxcsr));
    }),
  };
  if (hasSecureCrt(version)) {
    Object.assign(table, {
      _controlfp_s: fn(
        'cdecl',
        ['ptr', 'long', 'long'],
        'int',
        (p, pcur, v, m) => {
          if (v & m & ~VALID_CW) {
            if (pcur) p.mem.setU32(pcur, control87(p.cpu, 0, 0));
            invalidParameter(p, '_controlfp_s', 'bits outside the control word');
            return ERRNO.EINVAL;
          }
          const cur = control87(p.cpu, v, m & ~CW.EM_DENORMAL);
          if (pcur) p.mem.setU32(pcur, cur);
          return 0;
        },
        r,
      ),
      _set_controlfp: fn('cdecl', ['long', 'long'], 'void', (p, v, m) => {
        control87(p.cpu, v, m & ~CW.EM_DENORMAL);
      }),
    });
  }
  if (flavour === 'ucrt' || version >= 120) {
    Object.assign(table, {
      feclearexcept: fn('cdecl', ['int'], 'int', (p, e) => {
        const bits = e & FE_ALL_EXCEPT;
        const x87Bits = X87_EXCEPTIONS.reduce((acc, bit, i) => (bits & bit ? acc | (1 << i) : acc), 0);
        p.cpu.x87StatusWord = p.cpu.x87StatusWord & ~x87Bits;
        p.cpu.mxcsr = p.cpu.mxcsr & ~x87Bits;
        return 0;
      }),
      fegetenv: fn('cdecl', ['ptr'], 'int', (p, env) => {
        p.mem.setU32(env, control87(p.cpu, 0, 0));
        p.mem.setU32(env + 4, status(p.cpu, false));
        return 0;
      }),
      fegetround: fn('cdecl', [], 'int', (p) => control87(p.cpu, 0, 0) & CW.MCW_RC),
      feholdexcept: fn('cdecl', ['ptr'], 'int', (p, env) => {
        p.mem.setU32(env, control87(p.cpu, 0, 0));
        p.mem.setU32(env + 4, status(p.cpu, true));
        control87(p.cpu, CW.MCW_EM, CW.MCW_EM);
        return 0;
      }),
      fesetenv: fn('cdecl', ['ptr'], 'int', (p, env) => {
        control87(p.cpu, p.mem.u32(env), CW.MCW_EM | CW.MCW_RC | CW.MCW_PC | CW.MCW_DN);
        return 0;
      }),
      fesetround: fn('cdecl', ['int'], 'int', (p, mode) => {
        if (mode & ~CW.MCW_RC) return 1;
        control87(p.cpu, mode, CW.MCW_RC);
        return 0;
      }),
      fetestexcept: fn('cdecl', ['int'], 'int', (p, e) => status(p.cpu, false) & e & FE_ALL_EXCEPT),
    });
  }
  return table;
}
