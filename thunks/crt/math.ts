// <math.h>: results go back in ST(0). The operations IEEE 754 defines exactly (sqrt, fabs, floor, ceil,
// fmod, remainder, ldexp, frexp, modf, fma, rounding) are exact here: JS computes sqrt/floor/ceil/% exactly,
// the others are done on the bits or in exact integer arithmetic. The transcendental functions come from
// JS's Math (fdlibm in V8: within 1 ulp). errno follows Microsoft's CRT: EDOM for a domain error (the
// result is the x87 "indefinite" NaN, printed -nan(ind)), ERANGE for overflow and poles.
// Also the MSVC intrinsic forms (_CIsqrt & co.: argument and result in ST(0)) and _ftol.
import type { Cpu } from '../../emulator/cpu.js';
import { ldexp as scaleExact } from '../../emulator/f80.js';
import type { Process } from '../process.js';
import { fn, forward, raw, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { ERRNO, setErrno } from './state.js';

// ---- bits ------------------------------------------------------------------------------------------

const dv = new DataView(new ArrayBuffer(8));

export function bitsOf(x: number): bigint {
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
}

export function fromBits(b: bigint): number {
  dv.setBigUint64(0, BigInt.asUintN(64, b));
  return dv.getFloat64(0);
}

/** The x87 "indefinite" quiet NaN (negative, only the quiet bit): what invalid operations produce. */
export const INDEFINITE = fromBits(0xfff8_0000_0000_0000n);

const signBit = (x: number) => (bitsOf(x) >> 63n) === 1n;

/** A finite double as sign, integer significand and exponent: |x| = mant * 2^exp. */
function decompose(x: number): { neg: boolean; mant: bigint; exp: number } {
  const b = bitsOf(x);
  const neg = b >> 63n === 1n;
  const e = Number((b >> 52n) & 0x7ffn);
  const frac = b & 0xf_ffff_ffff_ffffn;
  if (e === 0) return { neg, mant: frac, exp: -1074 };
  return { neg, mant: frac | (1n << 52n), exp: e - 1075 };
}

/**
 * The double nearest to (-1)^neg * mant * 2^exp (round half to even), with subnormals and overflow to
 * infinity: one rounding, whatever the size of mant.
 */
export function roundToDouble(neg: boolean, mant: bigint, exp: number, format: 'double' | 'float' = 'double'): number {
  if (mant === 0n) return neg ? -0 : 0;
  const [fracBits, lowest, emax] = format === 'double' ? [52, -1074, 1023] : [23, -149, 127];
  const len = mant.toString(2).length;
  const top = exp + len - 1; // weight of the leading bit
  if (top > emax) return neg ? -Infinity : Infinity;
  // Weight of the last bit the result can keep.
  const q = Math.max(top - fracBits, lowest);
  let m = mant;
  let e = exp;
  if (q > exp) {
    const s = BigInt(q - exp);
    const rem = m & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    m >>= s;
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    e = q;
  }
  // m has at most 54 bits now; m * 2^e is exact or overflows.
  if (m === 0n) return neg ? -0 : 0;
  let r = scaleExact(Number(m), e);
  if (format === 'float' && r > 3.4028234663852886e38) r = Infinity; // rounded up past FLT_MAX
  return neg ? -r : r;
}

// ---- exact operations ------------------------------------------------------------------------

/** frexp: x = m * 2^e with 0.5 <= |m| < 1 (m = x, e = 0 for 0, infinities and NaN). */
export function frexp(x: number): { m: number; e: number } {
  if (x === 0 || !Number.isFinite(x)) return { m: x, e: 0 };
  const { neg, mant, exp } = decompose(x);
  const len = mant.toString(2).length;
  const e = exp + len;
  // m = mant / 2^len: exact.
  const m = roundToDouble(neg, mant, -len);
  return { m, e };
}

/** ldexp/scalbn: x * 2^n, rounded once. */
export function ldexp(x: number, n: number): number {
  if (x === 0 || !Number.isFinite(x)) return x;
  const { neg, mant, exp } = decompose(x);
  const k = Math.max(-5000, Math.min(5000, n));
  return roundToDouble(neg, mant, exp + k);
}

/** fmod: x - trunc(x/y) * y, exact (JS % is IEEE fmod). */
export function fmod(x: number, y: number): number {
  return x % y;
}

/** remainder / remquo: x - n*y with n = x/y rounded half to even; exact. Returns the low quotient bits too. */
export function remquo(x: number, y: number): { r: number; quo: number } {
  if (Number.isNaN(x) || Number.isNaN(y) || !Number.isFinite(x) || y === 0) return { r: NaN, quo: 0 };
  if (!Number.isFinite(y)) return { r: x, quo: 0 };
  if (x === 0) return { r: x, quo: 0 };
  const a = decompose(x);
  const b = decompose(y);
  const e = Math.min(a.exp, b.exp);
  const X = a.mant << BigInt(a.exp - e);
  const Y = b.mant << BigInt(b.exp - e);
  let n = X / Y;
  let rem = X - n * Y;
  // round half to even
  if (2n * rem > Y || (2n * rem === Y && (n & 1n) === 1n)) {
    n += 1n;
    rem -= Y;
  }
  const negQ = a.neg !== b.neg;
  const quoBits = Number(n & 0x7fn);
  // Sign of the remainder: that of x for a positive rem; zero keeps x's sign.
  const rNeg = rem < 0n ? !a.neg : a.neg;
  const r = roundToDouble(rNeg, rem < 0n ? -rem : rem, e);
  return { r, quo: negQ ? -quoBits : quoBits };
}

/** fma: x*y + z rounded once (to a double, or to a float for fmaf). */
export function fma(x: number, y: number, z: number, format: 'double' | 'float' = 'double'): number {
  if (Number.isNaN(x) || Number.isNaN(y) || Number.isNaN(z)) return NaN;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    if (x === 0 || y === 0) return INDEFINITE; // inf * 0
    const p = x * y;
    if (Number.isFinite(z) || Math.sign(z) === Math.sign(p)) return p;
    return INDEFINITE; // inf - inf
  }
  if (!Number.isFinite(z)) return z;
  const a = decompose(x);
  const b = decompose(y);
  const c = decompose(z);
  const pNeg = a.neg !== b.neg;
  const pm = a.mant * b.mant;
  const pe = a.exp + b.exp;
  if (pm === 0n && c.mant === 0n) {
    // Zeros: -0 only when both are -0 (round to nearest).
    return pNeg && c.neg ? -0 : 0;
  }
  const e = Math.min(pe, c.exp);
  const P = (pNeg ? -pm : pm) << BigInt(pe - e);
  const C = (c.neg ? -c.mant : c.mant) << BigInt(c.exp - e);
  const sum = P + C;
  if (sum === 0n) return 0; // exact cancellation gives +0 when rounding to nearest
  return roundToDouble(sum < 0n, sum < 0n ? -sum : sum, e, format);
}

/** rint / nearbyint: to an integer in a rounding direction (the x87 control word's RC field: 0 near, 1 down, 2 up, 3 chop). */
export function rint(x: number, rc = 0): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 2 ** 52) return x;
  let r: number;
  if (rc === 1) r = Math.floor(x);
  else if (rc === 2) r = Math.ceil(x);
  else if (rc === 3) r = Math.trunc(x);
  else {
    const f = Math.floor(x);
    const d = x - f; // exact
    r = d > 0.5 ? f + 1 : d < 0.5 ? f : f % 2 === 0 ? f : f + 1;
  }
  return r === 0 && signBit(x) ? -0 : r;
}

/** round: halfway cases away from zero. */
export function round(x: number): number {
  if (!Number.isFinite(x)) return x;
  const t = Math.trunc(x);
  const r = Math.abs(x - t) >= 0.5 ? t + Math.sign(x) : t;
  return r === 0 && signBit(x) ? -0 : r;
}

export function nextafter(x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  if (x === y) return y;
  if (x === 0) return y > 0 ? fromBits(1n) : fromBits((1n << 63n) | 1n);
  const b = bitsOf(x);
  const up = (y > x) === (x > 0);
  return fromBits(up ? b + 1n : b - 1n);
}

export function copysign(x: number, y: number): number {
  const b = bitsOf(x) & ~(1n << 63n);
  return fromBits(signBit(y) ? b | (1n << 63n) : b);
}

/** logb: the unbiased exponent (subnormals included) as a double. */
export function logb(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x === 0) return -Infinity;
  const { mant, exp } = decompose(x);
  return exp + mant.toString(2).length - 1;
}

// ---- classification --------------------------------------------------------------------------

/** _fpclass results. */
export const FPCLASS = { SNAN: 0x1, QNAN: 0x2, NINF: 0x4, NN: 0x8, ND: 0x10, NZ: 0x20, PZ: 0x40, PD: 0x80, PN: 0x100, PINF: 0x200 } as const;

export function fpclass(x: number | bigint): number {
  const b = typeof x === 'bigint' ? x : bitsOf(x);
  const neg = b >> 63n === 1n;
  const e = Number((b >> 52n) & 0x7ffn);
  const frac = b & 0xf_ffff_ffff_ffffn;
  if (e === 0x7ff) {
    if (frac === 0n) return neg ? FPCLASS.NINF : FPCLASS.PINF;
    return frac & (1n << 51n) ? FPCLASS.QNAN : FPCLASS.SNAN;
  }
  if (e === 0) {
    if (frac === 0n) return neg ? FPCLASS.NZ : FPCLASS.PZ;
    return neg ? FPCLASS.ND : FPCLASS.PD;
  }
  return neg ? FPCLASS.NN : FPCLASS.PN;
}

/** ucrt's _dclass (fpclassify): FP_INFINITE 1, FP_NAN 2, FP_NORMAL -1, FP_SUBNORMAL -2, FP_ZERO 0. */
export function dclass(x: number): number {
  if (Number.isNaN(x)) return 2;
  if (!Number.isFinite(x)) return 1;
  if (x === 0) return 0;
  return Math.abs(x) < 2 ** -1022 ? -2 : -1;
}

/** _dpcomp: _FP_LT 1, _FP_EQ 2, _FP_GT 4, 0 when unordered. */
export function dpcomp(x: number, y: number): number {
  return x < y ? 1 : x === y ? 2 : x > y ? 4 : 0;
}

// ---- the C library functions with errno -------------------------------------------------------

type Check = (p: Process, r: number, ...a: number[]) => number;

/** Domain error: EDOM and the indefinite NaN (NaN arguments pass through quietly). */
function domain(p: Process, args: number[]): number {
  const nan = args.find((a) => Number.isNaN(a));
  if (nan !== undefined) return nan;
  setErrno(p, ERRNO.EDOM);
  return INDEFINITE;
}

function range(p: Process, r: number): number {
  setErrno(p, ERRNO.ERANGE);
  return r;
}

/** Overflow of a result from finite arguments (and underflow to zero from a non-zero one): ERANGE. */
const overflowCheck: Check = (p, r, ...a) => {
  if (a.every(Number.isFinite) && (!Number.isFinite(r) || (r === 0 && a.some((v) => v !== 0)))) return range(p, r);
  return r;
};

export function sqrt(p: Process, x: number): number {
  return x < 0 ? domain(p, [x]) : Math.sqrt(x);
}

export function log(p: Process, x: number, f: (v: number) => number): number {
  if (x < 0 || x === -Infinity) return domain(p, [x]);
  if (x === 0) return range(p, -Infinity);
  return f(x);
}

export function pow(p: Process, x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return x === 1 || y === 0 ? 1 : NaN;
  if (x < 0 && Number.isFinite(x) && Number.isFinite(y) && !Number.isInteger(y)) return domain(p, [x, y]);
  if (x === 0 && y < 0) return range(p, Number.isInteger(y) && Math.abs(y) % 2 === 1 && signBit(x) ? -Infinity : Infinity);
  const r = Math.pow(x, y);
  if (Number.isFinite(x) && Number.isFinite(y) && (!Number.isFinite(r) || (r === 0 && x !== 0))) return range(p, r);
  return r;
}

function trig(p: Process, x: number, f: (v: number) => number): number {
  return Number.isFinite(x) || Number.isNaN(x) ? f(x) : domain(p, [x]);
}

function inverseTrig(p: Process, x: number, f: (v: number) => number): number {
  return Math.abs(x) > 1 ? domain(p, [x]) : f(x);
}

export function fmodChecked(p: Process, x: number, y: number): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return x + y;
  if (y === 0 || !Number.isFinite(x)) return domain(p, [x, y]);
  return fmod(x, y);
}

function lround(p: Process, x: number, bits: 32 | 64, mode: 'round' | 'rint', rc: number): bigint {
  const r = mode === 'round' ? round(x) : rint(x, rc);
  const lim = 2 ** (bits - 1);
  if (!Number.isFinite(r) || r >= lim || r < -lim) {
    setErrno(p, ERRNO.EDOM);
    return -(1n << BigInt(bits - 1)); // the "integer indefinite" value, as the x87 gives it
  }
  return BigInt(r);
}

const rcOf = (p: Process) => (p.cpu.x87ControlWord >> 10) & 3;

// ---- x87 intrinsic forms ---------------------------------------------------------------------------

/** _CIsqrt & co.: the argument in ST(0) (two: ST(1) first, ST(0) second), the result left in ST(0). */
function intrinsic1(f: (p: Process, x: number) => number) {
  return raw(0, (p, cpu) => {
    const x = cpu.popSt0();
    cpu.pushSt0(f(p, x));
  });
}
function intrinsic2(f: (p: Process, x: number, y: number) => number) {
  return raw(0, (p, cpu) => {
    const y = cpu.popSt0();
    const x = cpu.popSt0();
    cpu.pushSt0(f(p, x, y));
  });
}

/** _ftol: ST(0) popped and truncated to a 64-bit integer in EDX:EAX (out of range: 0x8000000000000000). */
export function ftol(cpu: Cpu): void {
  const v = cpu.popSt0Truncated();
  const b = BigInt.asUintN(64, v);
  cpu.eax = Number(b & 0xffff_ffffn);
  cpu.edx = Number(b >> 32n);
}

// ---- exports ----------------------------------------------------------------------------------

const D = ['double'] as const;
const DD = ['double', 'double'] as const;
const F = ['float'] as const;
const FF = ['float', 'float'] as const;

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function mathApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const d1 = (f: (p: Process, x: number) => number) => fn('cdecl', D, 'double', f);
  const d2 = (f: (p: Process, x: number, y: number) => number) => fn('cdecl', DD, 'double', f);
  const f1 = (f: (p: Process, x: number) => number) => fn('cdecl', F, 'float', (p, x) => Math.fround(f(p, x)));
  const f2 = (f: (p: Process, x: number, y: number) => number) => fn('cdecl', FF, 'float', (p, x, y) => Math.fround(f(p, x, y)));
  const fns = {
    acos: (p: Process, x: number) => inverseTrig(p, x, Math.acos),
    asin: (p: Process, x: number) => inverseTrig(p, x, Math.asin),
    atan: (_p: Process, x: number) => Math.atan(x),
    atan2: (_p: Process, y: number, x: number) => Math.atan2(y, x),
    ceil: (_p: Process, x: number) => Math.ceil(x),
    cos: (p: Process, x: number) => trig(p, x, Math.cos),
    cosh: (p: Process, x: number) => overflowCheck(p, Math.cosh(x), x),
    exp: (p: Process, x: number) => overflowCheck(p, Math.exp(x), x === -Infinity ? 0 : x),
    fabs: (_p: Process, x: number) => Math.abs(x),
    floor: (_p: Process, x: number) => Math.floor(x),
    fmod: fmodChecked,
    hypot: (p: Process, x: number, y: number) => overflowCheck(p, Math.hypot(x, y), x, y),
    log: (p: Process, x: number) => log(p, x, Math.log),
    log10: (p: Process, x: number) => log(p, x, Math.log10),
    pow,
    sin: (p: Process, x: number) => trig(p, x, Math.sin),
    sinh: (p: Process, x: number) => overflowCheck(p, Math.sinh(x), x),
    sqrt,
    tan: (p: Process, x: number) => trig(p, x, Math.tan),
    tanh: (_p: Process, x: number) => Math.tanh(x),
  };
  const table: Record<string, Export> = {
    _CIacos: intrinsic1(fns.acos),
    _CIasin: intrinsic1(fns.asin),
    _CIatan: intrinsic1(fns.atan),
    _CIatan2: intrinsic2(fns.atan2),
    _CIcos: intrinsic1(fns.cos),
    _CIcosh: intrinsic1(fns.cosh),
    _CIexp: intrinsic1(fns.exp),
    _CIfmod: intrinsic2(fns.fmod),
    _CIlog: intrinsic1(fns.log),
    _CIlog10: intrinsic1(fns.log10),
    _CIpow: intrinsic2(fns.pow),
    _CIsin: intrinsic1(fns.sin),
    _CIsinh: intrinsic1(fns.sinh),
    _CIsqrt: intrinsic1(fns.sqrt),
    _CItan: intrinsic1(fns.tan),
    _CItanh: intrinsic1(fns.tanh),
    _cabs: fn('cdecl', DD, 'double', (p, re, im) => fns.hypot(p, re, im)),
    _chgsign: d1((_p, x) => copysign(x, signBit(x) ? 1 : -1)),
    _copysign: d2((_p, x, y) => copysign(x, y)),
    _finite: fn('cdecl', D, 'int', (_p, x) => (Number.isFinite(x) ? 1 : 0)),
    // Read as two words: a signaling NaN would be quieted on its way through a JS array of doubles.
    _fpclass: fn('cdecl', ['long', 'long'], 'int', (_p, lo, hi) => fpclass((BigInt(hi) << 32n) | BigInt(lo))),
    _hypot: d2(fns.hypot),
    _isnan: fn('cdecl', D, 'int', (_p, x) => (Number.isNaN(x) ? 1 : 0)),
    _logb: d1((p, x) => (x === 0 ? range(p, -Infinity) : logb(x))),
    _nextafter: d2((_p, x, y) => nextafter(x, y)),
    _scalb: fn('cdecl', ['double', 'int'], 'double', (p, x, n) => overflowCheck(p, ldexp(x, n), x)),
    frexp: fn('cdecl', ['double', 'ptr'], 'double', (p, x, pe) => {
      const r = frexp(x);
      if (pe) p.mem.setU32(pe, r.e);
      return r.m;
    }),
    ldexp: fn('cdecl', ['double', 'int'], 'double', (p, x, n) => overflowCheck(p, ldexp(x, n), x)),
    modf: fn('cdecl', ['double', 'ptr'], 'double', (p, x, pi) => {
      const ip = Number.isFinite(x) ? Math.trunc(x) : x;
      if (pi) p.mem.setF64(pi, ip === 0 && signBit(x) ? -0 : ip);
      return Number.isFinite(x) ? copysign(x - ip, x) : Number.isNaN(x) ? x : copysign(0, x);
    }),
  };
  for (const [name, f] of Object.entries(fns)) table[name] = f.length === 3 ? d2(f as (p: Process, x: number, y: number) => number) : d1(f as (p: Process, x: number) => number);
  if (version >= 80 || flavour === 'ucrt') {
    // _hypotf on x86 since msvcr80.
    table._hypotf = f2(fns.hypot);
  }
  if (version >= 120 || flavour === 'ucrt') {
    // C99 <math.h> (Visual C++ 2013 and later), with the float forms x86 exports for them.
    const c99 = {
      acosh: (p: Process, x: number) => (x < 1 ? domain(p, [x]) : Math.acosh(x)),
      asinh: (_p: Process, x: number) => Math.asinh(x),
      atanh: (p: Process, x: number) => (Math.abs(x) > 1 ? domain(p, [x]) : Math.abs(x) === 1 ? range(p, Math.atanh(x)) : Math.atanh(x)),
      cbrt: (_p: Process, x: number) => Math.cbrt(x),
      exp2: (p: Process, x: number) => overflowCheck(p, Math.pow(2, x), x === -Infinity ? 0 : x),
      expm1: (p: Process, x: number) => overflowCheck(p, Math.expm1(x), x === -Infinity ? 0 : x),
      log1p: (p: Process, x: number) => (x < -1 ? domain(p, [x]) : x === -1 ? range(p, -Infinity) : Math.log1p(x)),
      log2: (p: Process, x: number) => log(p, x, Math.log2),
      logb: (p: Process, x: number) => (x === 0 ? range(p, -Infinity) : logb(x)),
      nearbyint: (p: Process, x: number) => rint(x, rcOf(p)),
      rint: (p: Process, x: number) => rint(x, rcOf(p)),
      round: (_p: Process, x: number) => round(x),
      trunc: (_p: Process, x: number) => Math.trunc(x),
    };
    const c99two = {
      copysign: (_p: Process, x: number, y: number) => copysign(x, y),
      fdim: (p: Process, x: number, y: number) => (Number.isNaN(x) || Number.isNaN(y) ? x + y : x > y ? overflowCheck(p, x - y, x, y) : 0),
      fmax: (_p: Process, x: number, y: number) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : x === y && x === 0 ? (signBit(x) ? y : x) : Math.max(x, y)),
      fmin: (_p: Process, x: number, y: number) => (Number.isNaN(x) ? y : Number.isNaN(y) ? x : x === y && x === 0 ? (signBit(x) ? x : y) : Math.min(x, y)),
      hypot: fns.hypot,
      nextafter: (_p: Process, x: number, y: number) => nextafter(x, y),
      remainder: (p: Process, x: number, y: number) => (y === 0 || !Number.isFinite(x) ? domain(p, [x, y]) : remquo(x, y).r),
    };
    for (const [name, f] of Object.entries(c99)) {
      table[name] = d1(f);
      table[`${name}f`] = f1(f);
    }
    for (const [name, f] of Object.entries(c99two)) {
      table[name] = d2(f);
      table[`${name}f`] = f2(f);
    }
    Object.assign(table, {
      fma: fn('cdecl', ['double', 'double', 'double'], 'double', (p, x, y, z) => {
        const r = fma(x, y, z);
        if (Object.is(r, INDEFINITE) && !Number.isNaN(x) && !Number.isNaN(y) && !Number.isNaN(z)) setErrno(p, ERRNO.EDOM);
        return overflowCheck(p, r, x, y, z);
      }),
      fmaf: fn('cdecl', ['float', 'float', 'float'], 'float', (_p, x, y, z) => fma(x, y, z, 'float')),
      // FP_ILOGB0 is INT_MIN, FP_ILOGBNAN (and infinities) INT_MAX in Microsoft's <math.h>.
      ilogb: fn('cdecl', D, 'int', (_p, x) => (x === 0 ? -0x8000_0000 : !Number.isFinite(x) ? 0x7fff_ffff : logb(x))),
      llrint: fn('cdecl', D, 'int64', (p, x) => lround(p, x, 64, 'rint', rcOf(p))),
      llround: fn('cdecl', D, 'int64', (p, x) => lround(p, x, 64, 'round', 0)),
      lrint: fn('cdecl', D, 'int', (p, x) => Number(lround(p, x, 32, 'rint', rcOf(p)))),
      lround: fn('cdecl', D, 'int', (p, x) => Number(lround(p, x, 32, 'round', 0))),
      nan: fn('cdecl', ['ptr'], 'double', (_p, _tag) => NaN),
      nanf: fn('cdecl', ['ptr'], 'float', (_p, _tag) => NaN),
      remquo: fn('cdecl', ['double', 'double', 'ptr'], 'double', (p, x, y, pq) => {
        if (y === 0 || !Number.isFinite(x)) return domain(p, [x, y]);
        const { r, quo } = remquo(x, y);
        if (pq) p.mem.setU32(pq, quo >>> 0);
        return r;
      }),
      scalbn: fn('cdecl', ['double', 'int'], 'double', (p, x, n) => overflowCheck(p, ldexp(x, n), x)),
      scalbln: fn('cdecl', ['double', 'int'], 'double', (p, x, n) => overflowCheck(p, ldexp(x, n), x)),
    });
  }
  if (flavour === 'ucrt') {
    Object.assign(table, {
      _dclass: fn('cdecl', D, 'int', (_p, x) => dclass(x)),
      _dpcomp: fn('cdecl', DD, 'int', (_p, x, y) => dpcomp(x, y)),
      _dsign: fn('cdecl', D, 'int', (_p, x) => (signBit(x) ? 0x8000 : 0)),
      _dtest: fn('cdecl', ['ptr'], 'int', (p, px) => dclass(p.mem.f64(px))),
      _fdclass: fn('cdecl', F, 'int', (_p, x) => dclass(x)),
      _fdpcomp: fn('cdecl', FF, 'int', (_p, x, y) => dpcomp(x, y)),
      _fdsign: fn('cdecl', F, 'int', (_p, x) => (signBit(x) ? 0x8000 : 0)),
      _fdtest: fn('cdecl', ['ptr'], 'int', (p, px) => dclass(p.mem.f32(px))),
      _ldclass: fn('cdecl', D, 'int', (_p, x) => dclass(x)),
      _ldpcomp: fn('cdecl', DD, 'int', (_p, x, y) => dpcomp(x, y)),
      _ldsign: fn('cdecl', D, 'int', (_p, x) => (signBit(x) ? 0x8000 : 0)),
      _ldtest: fn('cdecl', ['ptr'], 'int', (p, px) => dclass(p.mem.f64(px))),
    });
  } else {
    // _ftol & co. (the ucrt has only _ftol; the msvcr runtimes all three).
    table._ftol2 = raw(0, (_p, cpu) => ftol(cpu));
    table._ftol2_sse = raw(0, (_p, cpu) => ftol(cpu));
    // The 64-bit arithmetic helpers MSVC-built code calls are exported by the msvcrt-style runtimes too.
    for (const name of ['_alldiv', '_alldvrm', '_allmul', '_allrem', '_allshl', '_allshr', '_aulldiv', '_aulldvrm', '_aullrem', '_aullshr']) table[name] = forward(`ntdll.${name}`);
  }
  table._ftol = raw(0, (_p, cpu) => ftol(cpu));
  return table;
}
