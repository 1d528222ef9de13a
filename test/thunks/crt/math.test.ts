// <math.h> and <float.h> as guest code calls them (results in ST(0)). Exact operations are compared with
// exact values worked out by hand (binary expansions given in the comments); the transcendental functions
// with correctly rounded references to within 1 ulp; errno as Microsoft documents it (EDOM with the x87
// indefinite NaN, ERANGE on overflow and poles); the x87 intrinsics and _ftol through real x87 code; the
// abstract control word against the guest's fnstcw.
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { CrtInvalidParameterError } from '../../../thunks/crt/errors.js';
import { undecorateTypeName } from '../../../thunks/crt/vcruntime.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const EDOM = 33;
const ERANGE = 34;

let w: Win32;
beforeEach(() => {
  w = win32();
});

const d = (v: number) => ({ double: v });
const bits = (v: number) => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
};
/** Distance in units in the last place between two finite doubles of the same sign. */
const ulps = (a: number, b: number) => Number(bits(a) > bits(b) ? bits(a) - bits(b) : bits(b) - bits(a));

/** Calls a double-returning export of a CRT, returns ST(0). */
function call(name: string, args: (number | { double: number })[], dll = 'ucrtbase.dll'): number {
  w.call(dll, name, args);
  return w.st0();
}
const errno = (dll = 'ucrtbase.dll') => w.u32(w.call(dll, '_errno'));
const clearErrno = (dll = 'ucrtbase.dll') => w.cpu.mem.setU32(w.call(dll, '_errno'), 0);

function code(bytes: number[]): number {
  const at = w.cpu.mem.map(0x1000, PROT.rwx);
  w.cpu.mem.write(at, Uint8Array.from(bytes));
  return at;
}
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];

describe('exact operations', () => {
  test('sqrt, fabs, floor, ceil (signs of zero included)', () => {
    expect(call('sqrt', [d(2)])).toBe(1.4142135623730951);
    expect(call('sqrt', [d(0.25)])).toBe(0.5);
    expect(Object.is(call('sqrt', [d(-0)]), -0)).toBe(true);
    expect(call('fabs', [d(-3.5)])).toBe(3.5);
    expect(call('floor', [d(-0.5)])).toBe(-1);
    expect(Object.is(call('ceil', [d(-0.5)]), -0)).toBe(true);
    expect(call('ceil', [d(2.000000001)])).toBe(3);
  });

  test('fmod is exact: 1 mod 0.1 = 0.09999999999999995 (0.1 is 0.1000000000000000055511...)', () => {
    expect(call('fmod', [d(1), d(0.1)])).toBe(0.09999999999999995);
    expect(call('fmod', [d(0.3), d(0.1)])).toBe(0.09999999999999998);
    expect(call('fmod', [d(-5.5), d(2)])).toBe(-1.5);
    // Huge operands: the exact integer remainder (BigInt of an integral double is exact).
    expect(call('fmod', [d(1e300), d(7)])).toBe(Number(BigInt(1e300) % 7n));
    expect(call('fmod', [d(2 ** 1000), d(3)])).toBe(Number(2n ** 1000n % 3n));
    expect(Object.is(call('fmod', [d(-4), d(2)]), -0)).toBe(true);
    expect(call('fmod', [d(5e-324), d(1)])).toBe(5e-324);
  });

  test('remainder and remquo round the quotient half to even', () => {
    expect(call('remainder', [d(5), d(3)])).toBe(-1);
    expect(call('remainder', [d(7), d(2)])).toBe(-1);
    expect(call('remainder', [d(5), d(2)])).toBe(1);
    const q = w.buf(4);
    expect(call('remquo', [d(-7), d(2), q])).toBe(1);
    expect(w.i32(q)).toBe(-4);
  });

  test('fma rounds once: 0.1*10-1 = 2^-54, (1+2^-52)(1-2^-52)-1 = -2^-104', () => {
    expect(call('fma', [d(0.1), d(10), d(-1)])).toBe(2 ** -54);
    expect(call('fma', [d(1 + 2 ** -52), d(1 - 2 ** -52), d(-1)])).toBe(-(2 ** -104));
    expect(call('fma', [d(2), d(3), d(4)])).toBe(10);
    expect(call('fma', [d(1e308), d(10), d(-Infinity)])).toBe(-Infinity);
    expect(Object.is(call('fma', [d(-0), d(1), d(0)]), 0)).toBe(true);
    expect(Object.is(call('fma', [d(-0), d(1), d(-0)]), -0)).toBe(true);
    // 2^-1022 * 0.5 + 2^-1074: the exact subnormal 2^-1023 + 2^-1074.
    expect(call('fma', [d(2 ** -1022), d(0.5), d(5e-324)])).toBe(2 ** -1023 + 5e-324);
    clearErrno();
    expect(bits(call('fma', [d(Infinity), d(0), d(1)]))).toBe(0xfff8_0000_0000_0000n);
    expect(errno()).toBe(EDOM);
  });

  test('ldexp and frexp: one rounding into the subnormals, overflow and underflow set ERANGE', () => {
    expect(call('ldexp', [d(1.5), -1074])).toBe(2 ** -1073); // 1.5 units: a tie, to even (2 units)
    expect(call('ldexp', [d(0.75), -1074])).toBe(5e-324);
    expect(call('ldexp', [d(5e-324), 2097])).toBe(2 ** 1023);
    clearErrno();
    expect(call('ldexp', [d(1), 1024])).toBe(Infinity);
    expect(errno()).toBe(ERANGE);
    clearErrno();
    expect(call('ldexp', [d(1), -1075])).toBe(0);
    expect(errno()).toBe(ERANGE);
    expect(call('ldexp', [d(3), 4])).toBe(48);
    const e = w.buf(4);
    expect(call('frexp', [d(8), e])).toBe(0.5);
    expect(w.i32(e)).toBe(4);
    expect(call('frexp', [d(5e-324), e])).toBe(0.5);
    expect(w.i32(e)).toBe(-1073);
    expect(call('frexp', [d(-3), e])).toBe(-0.75);
    expect(w.i32(e)).toBe(2);
  });

  test('modf splits exactly and keeps signs', () => {
    const ip = w.buf(8);
    expect(call('modf', [d(-3.75), ip])).toBe(-0.75);
    expect(w.cpu.mem.f64(ip)).toBe(-3);
    expect(Object.is(call('modf', [d(-2), ip]), -0)).toBe(true);
    expect(Object.is(call('modf', [d(Infinity), ip]), 0)).toBe(true);
    expect(w.cpu.mem.f64(ip)).toBe(Infinity);
  });

  test('rounding functions', () => {
    expect(call('round', [d(-2.5)])).toBe(-3);
    expect(call('round', [d(0.49999999999999994)])).toBe(0);
    expect(call('trunc', [d(-1.7)])).toBe(-1);
    expect(call('rint', [d(2.5)])).toBe(2);
    expect(Object.is(call('rint', [d(-0.5)]), -0)).toBe(true);
    expect(call('nearbyint', [d(3.5)])).toBe(4);
    expect(w.call('ucrtbase.dll', 'lround', [d(-2.5)]) | 0).toBe(-3);
    expect(w.call('ucrtbase.dll', 'lrint', [d(-2.5)]) | 0).toBe(-2);
    w.call('ucrtbase.dll', 'llround', [d(1e15 + 0.5)]);
    expect(w.edxEax).toBe(1000000000000001n);
  });

  test('rint follows the rounding direction set with fesetround / _controlfp', () => {
    expect(w.call('ucrtbase.dll', 'fesetround', [0x100])).toBe(0); // FE_DOWNWARD
    expect(w.call('ucrtbase.dll', 'fegetround')).toBe(0x100);
    expect(call('rint', [d(2.7)])).toBe(2);
    expect(call('rint', [d(-2.2)])).toBe(-3);
    w.call('ucrtbase.dll', '_controlfp', [0x200, 0x300]); // _RC_UP
    expect(call('nearbyint', [d(2.2)])).toBe(3);
  });

  test('nextafter, copysign, fmin/fmax, logb, _chgsign, _scalb', () => {
    expect(call('nextafter', [d(1), d(2)])).toBe(1 + 2 ** -52);
    expect(call('nextafter', [d(0), d(-1)])).toBe(-5e-324);
    expect(call('_nextafter', [d(1), d(0)], 'msvcrt.dll')).toBe(1 - 2 ** -53);
    expect(call('copysign', [d(3), d(-0)])).toBe(-3);
    expect(call('_copysign', [d(-3), d(1)], 'msvcrt.dll')).toBe(3);
    expect(call('_chgsign', [d(2)], 'msvcrt.dll')).toBe(-2);
    expect(call('fmax', [d(NaN), d(1)])).toBe(1);
    expect(Object.is(call('fmin', [d(0), d(-0)]), -0)).toBe(true);
    expect(call('logb', [d(1024)])).toBe(10);
    expect(call('logb', [d(5e-324)])).toBe(-1074);
    expect(call('_scalb', [d(3), 2], 'msvcrt.dll')).toBe(12);
  });

  test('classification: _fpclass, _isnan, _finite, _dclass, _dsign', () => {
    const cls = (v: number) => w.call('msvcrt.dll', '_fpclass', [d(v)]);
    // A signaling NaN as raw words (a JS object property may quiet it).
    expect(w.call('msvcrt.dll', '_fpclass', [1, 0x7ff0_0000])).toBe(1);
    expect([cls(NaN), cls(-Infinity), cls(-1), cls(-5e-324), cls(-0), cls(0), cls(5e-324), cls(1), cls(Infinity)]).toEqual([2, 4, 8, 0x10, 0x20, 0x40, 0x80, 0x100, 0x200]);
    expect(w.call('msvcrt.dll', '_isnan', [d(NaN)])).toBe(1);
    expect(w.call('msvcrt.dll', '_finite', [d(Infinity)])).toBe(0);
    expect([0, 5e-324, 1, Infinity, NaN].map((v) => w.call('ucrtbase.dll', '_dclass', [d(v)]) | 0)).toEqual([0, -2, -1, 1, 2]);
    expect(w.call('ucrtbase.dll', '_dsign', [d(-0)])).toBe(0x8000);
  });
});

describe('errno and domain errors (Microsoft: EDOM returns the indefinite NaN)', () => {
  test.each([
    ['sqrt', [-1], EDOM, 'ind'],
    ['log', [-1], EDOM, 'ind'],
    ['log', [0], ERANGE, -Infinity],
    ['log10', [0], ERANGE, -Infinity],
    ['exp', [1000], ERANGE, Infinity],
    ['pow', [0, -1], ERANGE, Infinity],
    ['pow', [-8, 1 / 3], EDOM, 'ind'],
    ['pow', [10, 400], ERANGE, Infinity],
    ['acos', [2], EDOM, 'ind'],
    ['asin', [-1.5], EDOM, 'ind'],
    ['sin', [Infinity], EDOM, 'ind'],
    ['fmod', [1, 0], EDOM, 'ind'],
    ['cosh', [1000], ERANGE, Infinity],
  ] as const)('%s(%j): errno %i', (name, args, e, result) => {
    for (const dll of ['msvcrt.dll', 'ucrtbase.dll']) {
      clearErrno(dll);
      const r = call(name, args.map(d), dll);
      if (result === 'ind') expect(bits(r)).toBe(0xfff8_0000_0000_0000n);
      else expect(r).toBe(result);
      expect(errno(dll)).toBe(e);
    }
  });

  test('a NaN argument passes through without errno', () => {
    clearErrno();
    expect(Number.isNaN(call('sqrt', [d(NaN)]))).toBe(true);
    expect(call('pow', [d(NaN), d(0)])).toBe(1);
    expect(errno()).toBe(0);
  });
});

describe('transcendental functions: within 1 ulp of the correctly rounded value', () => {
  test.each([
    ['sin', [1], 0.8414709848078965],
    ['cos', [1], 0.5403023058681398],
    ['tan', [1], 1.5574077246549023],
    ['asin', [1], 1.5707963267948966],
    ['acos', [0], 1.5707963267948966],
    ['atan', [1], 0.7853981633974483],
    ['atan2', [1, 2], 0.4636476090008061],
    ['exp', [1], 2.718281828459045],
    ['log', [10], 2.302585092994046],
    ['log10', [2], 0.3010299956639812],
    ['pow', [2, 0.5], 1.4142135623730951],
    ['pow', [10, 22], 1e22],
    ['sinh', [1], 1.1752011936438014],
    ['cosh', [1], 1.5430806348152437],
    ['tanh', [1], 0.7615941559557649],
    ['exp2', [10], 1024],
    ['log2', [8], 3],
    ['cbrt', [27], 3],
    ['hypot', [3, 4], 5],
    ['expm1', [1e-10], 1.00000000005e-10],
    ['log1p', [1e-10], 9.9999999995e-11],
  ] as const)('%s(%j)', (name, args, expected) => {
    expect(ulps(call(name, args.map(d)), expected)).toBeLessThanOrEqual(1);
  });

  test('float forms round to float', () => {
    w.call('ucrtbase.dll', 'cbrtf', [0x41000000]); // 8.0f
    expect(w.st0()).toBe(2);
    w.call('ucrtbase.dll', 'fmaf', [0x3f800000, 0x3f800000, 0x33800000]); // 1*1 + 2^-24: a tie, to even
    expect(w.st0()).toBe(1);
    w.call('ucrtbase.dll', 'fmaf', [0x3f800000, 0x3f800000, 0x33800001]); // just above the tie
    expect(w.st0()).toBe(1 + 2 ** -23);
  });
});

describe('x87 intrinsics and _ftol', () => {
  /** fld qword [x] (and [y]); call target; fstp qword [out]; ret */
  function intrinsic(name: string, x: number, y?: number): number {
    const data = w.buf(32);
    w.cpu.mem.setF64(data, x);
    if (y !== undefined) w.cpu.mem.setF64(data + 8, y);
    const target = w.addr('msvcrt.dll', name);
    const f = code([
      0xdd, 0x05, ...le32(data),
      ...(y !== undefined ? [0xdd, 0x05, ...le32(data + 8)] : []),
      0xb8, ...le32(target),
      0xff, 0xd0,
      0xdd, 0x1d, ...le32(data + 16),
      0xc3,
    ]);
    w.p.callGuest(f, 'cdecl', []);
    expect(w.cpu.fpuDepth()).toBe(0);
    return w.cpu.mem.f64(data + 16);
  }

  test('_CIsqrt, _CIpow (x in ST(1), y in ST(0)), _CIfmod, _CIatan2', () => {
    expect(intrinsic('_CIsqrt', 2)).toBe(1.4142135623730951);
    expect(intrinsic('_CIpow', 2, 10)).toBe(1024);
    expect(intrinsic('_CIfmod', 7, 4)).toBe(3);
    expect(ulps(intrinsic('_CIatan2', 1, 2), 0.4636476090008061)).toBeLessThanOrEqual(1);
  });

  /** fild/fld the value, call _ftol, store EDX:EAX. */
  function ftol(value: number | bigint, name = '_ftol'): bigint {
    const data = w.buf(32);
    if (typeof value === 'bigint') w.cpu.mem.setU64(data, value);
    else w.cpu.mem.setF64(data, value);
    const load = typeof value === 'bigint' ? [0xdf, 0x2d] : [0xdd, 0x05];
    const f = code([...load, ...le32(data), 0xb8, ...le32(w.addr('msvcrt.dll', name)), 0xff, 0xd0, 0xa3, ...le32(data + 16), 0x89, 0x15, ...le32(data + 20), 0xc3]);
    w.p.callGuest(f, 'cdecl', []);
    return w.cpu.mem.i64(data + 16);
  }

  test('_ftol truncates toward zero from the full extended value; out of range is 0x8000000000000000', () => {
    expect(ftol(-2.9)).toBe(-2n);
    expect(ftol(2.9, '_ftol2')).toBe(2n);
    expect(ftol(1e18, '_ftol2_sse')).toBe(1000000000000000000n);
    expect(ftol((1n << 60n) + 1n)).toBe((1n << 60n) + 1n); // exact in ST(0), not in a double
    expect(ftol(9.3e18)).toBe(-(1n << 63n));
    expect(ftol(NaN)).toBe(-(1n << 63n));
  });
});

describe('<float.h>: the control and status words', () => {
  const fnstcw = () => {
    const cell = w.buf(4);
    w.p.callGuest(code([0xd9, 0x3d, ...le32(cell), 0xc3]), 'cdecl', []);
    return w.cpu.mem.u16(cell);
  };

  test('_controlfp: the documented default 0x9001F; a rounding change reaches the guest\'s control word', () => {
    expect(w.crt('_controlfp', 0, 0)).toBe(0x9001f);
    expect(fnstcw()).toBe(0x27f);
    expect(w.crt('_controlfp', 0x300, 0x300)).toBe(0x9031f); // _RC_CHOP
    expect(fnstcw()).toBe(0xe7f);
    expect(w.crt('_controlfp', 0x20000, 0x30000)).toBe(0xa031f); // _PC_24
    expect(fnstcw()).toBe(0xc7f);
    w.crt('_controlfp', 0, 0x10); // unmask invalid
    expect(fnstcw() & 0x3f).toBe(0x3e);
    // _controlfp leaves the denormal mask alone, _control87 does not.
    expect(w.crt('_controlfp', 0, 0x80000) & 0x80000).toBe(0x80000);
    expect(w.crt('_control87', 0, 0x80000) & 0x80000).toBe(0);
    w.crt('_fpreset');
    expect(fnstcw()).toBe(0x27f);
    expect(w.crt('_controlfp', 0, 0)).toBe(0x9001f);
  });

  test('_statusfp / _clearfp see the exceptions guest x87 code raised', () => {
    // fld1; fldz; fdivp st(1), st; fstp st(0); ret: a masked division by zero.
    w.p.callGuest(code([0xd9, 0xe8, 0xd9, 0xee, 0xde, 0xf9, 0xdd, 0xd8, 0xc3]), 'cdecl', []);
    expect(w.crt('_statusfp') & 0x8).toBe(0x8); // _SW_ZERODIVIDE
    expect(w.crt('_clearfp') & 0x8).toBe(0x8);
    expect(w.crt('_statusfp')).toBe(0);
  });

  test('_controlfp_s rejects bits outside the control word (invalid parameter)', () => {
    const cur = w.buf(4);
    expect(w.crt('_controlfp_s', cur, 0, 0)).toBe(0);
    expect(w.u32(cur)).toBe(0x9001f);
    expect(() => w.crt('_controlfp_s', cur, 0x1000_0000, 0x1000_0000)).toThrow(CrtInvalidParameterError);
  });

  test('__control87_2 reports the x87 and SSE words separately', () => {
    const x87 = w.buf(4);
    const sse = w.buf(4);
    expect(w.call('ucrtbase.dll', '__control87_2', [0x100, 0x300, x87, sse])).toBe(1);
    expect(w.u32(x87)).toBe(0x9011f);
    expect(w.u32(sse)).toBe(0x8011f);
    expect(w.cpu.mxcsr).toBe(0x1f80 | 0x2000);
  });
});

test('undecorated type names for __std_type_info_name', () => {
  expect(undecorateTypeName('.?AVWidget@ui@@')).toBe('class ui::Widget');
  expect(undecorateTypeName('.?AUpoint@@')).toBe('struct point');
  expect(undecorateTypeName('.H')).toBe('int');
  expect(undecorateTypeName('.?AV?$vector@HV?$allocator@H@std@@@std@@')).toBe('.?AV?$vector@HV?$allocator@H@std@@@std@@');
});

test('msvcrt forwards the 64-bit helpers to ntdll', () => {
  expect(w.call('msvcrt.dll', '_allmul', [-3n, 5n])).toBe(w.call('ntdll.dll', '_allmul', [-3n, 5n]));
  expect(BigInt.asIntN(64, w.edxEax)).toBe(-15n);
  expect(w.addr('msvcr90.dll', '_aulldiv')).toBe(w.addr('ntdll.dll', '_aulldiv'));
});
