// printf formatting of Microsoft's two C runtimes: msvcrt.dll (3-digit exponents, "1.#INF00", 17
// significant digits then zeros, round half up) and ucrtbase.dll (2-digit exponents, "inf"/"nan", exact
// digits, IEEE round half to even). Expectations follow Microsoft's documentation of printf, the Visual
// C++ 2015 breaking-changes list (infinity/NaN strings) and the Windows 10 2004 rounding change.
import { describe, expect, test } from 'vitest';
import { formatPrintf, type ArgSource, type CrtFlavour, type FormatHost } from '../../../thunks/crt/format.js';

/** A value for the argument list: 32-bit number, 64-bit bigint, or a double. */
type Arg = number | bigint | { f: number };

const STRINGS: Record<number, string> = { 0x1000: 'hello' };
const WSTRINGS: Record<number, string> = { 0x2000: 'wide \u20ac' };
const HELLO = 0x1000;
const WIDE = 0x2000;

function argsOf(values: Arg[]): ArgSource & { left: () => number } {
  let i = 0;
  const next = (want: string) => {
    const v = values[i++];
    const got = typeof v === 'object' ? 'double' : typeof v;
    if (got !== want) throw new Error(`argument ${i - 1}: the format read a ${want}, the list has a ${got}`);
    return v;
  };
  return {
    u32: () => (next('number') as number) >>> 0,
    u64: () => BigInt.asUintN(64, next('bigint') as bigint),
    f64: () => (next('double') as { f: number }).f,
    left: () => values.length - i,
  };
}

const host: FormatHost = {
  str: (a) => STRINGS[a] ?? null,
  wstr: (a) => WSTRINGS[a] ?? null,
  storeCount: () => {
    throw new Error('%n');
  },
};

function fmt(flavour: CrtFlavour, format: string, values: Arg[], wide = false): string {
  const args = argsOf(values);
  const out = formatPrintf(format, args, host, { flavour, wide });
  expect(args.left(), `${format}: arguments left unread`).toBe(0);
  return out;
}

/** A double from its IEEE bits (NaN payloads survive a JS number when it is only passed around). */
function bits(hex: bigint): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, hex);
  return dv.getFloat64(0);
}
function bitsOf(v: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return dv.getBigUint64(0);
}
const INDEFINITE = bits(0xfff8_0000_0000_0000n); // what 0.0/0.0 gives on x87
const QNAN = bits(0x7ff8_0000_0000_0000n);
const SNAN = bits(0x7ff0_0000_0000_0001n);
const f = (v: number) => ({ f: v });

// Formats both runtimes print the same way.
const COMMON: [string, Arg[], string][] = [
  ['%d', [42], '42'],
  ['%d', [-42], '-42'],
  ['%i', [-2147483648], '-2147483648'],
  ['%u', [-1], '4294967295'],
  ['%x', [0xdeadbeef], 'deadbeef'],
  ['%X', [0xdeadbeef], 'DEADBEEF'],
  ['%o', [8], '10'],
  ['%c', [65], 'A'],
  ['%-5c|', [65], 'A    |'],
  ['%lc', [0x20ac], '\u20ac'],
  ['%s', [HELLO], 'hello'],
  ['%s', [0], '(null)'],
  ['%ls', [WIDE], 'wide \u20ac'],
  ['%S', [WIDE], 'wide \u20ac'],
  ['%p', [0x12ff7c], '0012FF7C'],
  ['%I64d', [-1234567890123n], '-1234567890123'],
  ['%lld', [-1234567890123n], '-1234567890123'],
  ['%I64u', [-1n], '18446744073709551615'],
  ['%I64x', [0x123456789abcdefn], '123456789abcdef'],
  ['%hd', [0x12345], '9029'],
  ['%hd', [0xffff8000], '-32768'],
  ['%hu', [-1], '65535'],
  ['%hhd', [-3], '-3'],
  ['%5.2f', [f(3.14159)], ' 3.14'],
  ['%-8d|', [42], '42      |'],
  ['%08.3f', [f(3.14159)], '0003.142'], // '0' pads floats even with a precision
  ['%08.3f', [f(-3.14159)], '-003.142'],
  ['%05d', [-42], '-0042'],
  ['%05.3d', [42], '  042'], // ... but not integers with a precision
  ['%-05d|', [42], '42   |'],
  ['%.3d', [5], '005'],
  ['%.0d', [0], ''],
  ['%+d', [5], '+5'],
  ['%+d', [0], '+0'],
  ['%+d', [-5], '-5'],
  ['% d', [5], ' 5'],
  ['%+ d', [5], '+5'],
  ['%#x', [255], '0xff'],
  ['%#X', [255], '0XFF'],
  ['%#x', [0], '0'],
  ['%#010x', [255], '0x000000ff'],
  ['%#o', [8], '010'],
  ['%#o', [0], '0'],
  ['%.0f', [f(3.7)], '4'],
  ['%#.0f', [f(3)], '3.'],
  ['%10s', [HELLO], '     hello'],
  ['%-10s|', [HELLO], 'hello     |'],
  ['%.3s', [HELLO], 'hel'],
  ['%*d', [5, 42], '   42'],
  ['%*d', [-5, 42], '42   '],
  ['%.*f', [2, f(3.14159)], '3.14'],
  ['%.*f', [-1, f(3.14159)], '3.141590'],
  ['%f', [f(1.5)], '1.500000'],
  ['%f', [f(-0)], '-0.000000'],
  ['%g', [f(0.0001)], '0.0001'],
  ['%g', [f(123456)], '123456'],
  ['%g', [f(100)], '100'],
  ['%g', [f(0)], '0'],
  ['%#g', [f(1)], '1.00000'],
  ['%.1f', [f(2.35)], '2.4'], // 2.35 is 2.35000000000000008882...
  ['%%|%d', [7], '%|7'],
];

// [format, args, msvcrt, ucrt]
const DIFFERENT: [string, Arg[], string, string][] = [
  ['%e', [f(1)], '1.000000e+000', '1.000000e+00'],
  ['%e', [f(1.5)], '1.500000e+000', '1.500000e+00'],
  ['%E', [f(12345.678)], '1.234568E+004', '1.234568E+04'],
  ['%e', [f(0)], '0.000000e+000', '0.000000e+00'],
  ['%e', [f(1e100)], '1.000000e+100', '1.000000e+100'],
  ['%e', [f(1e-300)], '1.000000e-300', '1.000000e-300'],
  ['%.0e', [f(12345)], '1e+004', '1e+04'],
  ['%g', [f(1e-5)], '1e-005', '1e-05'],
  ['%g', [f(1234567)], '1.23457e+006', '1.23457e+06'],
  ['%G', [f(1e-10)], '1E-010', '1E-10'],
  // Rounding of exact halves: msvcrt rounds its digit string half up, ucrt rounds half to even.
  ['%.0f', [f(0.5)], '1', '0'],
  ['%.0f', [f(1.5)], '2', '2'],
  ['%.0f', [f(2.5)], '3', '2'],
  ['%.2f', [f(0.125)], '0.13', '0.12'],
  ['%.2f', [f(0.375)], '0.38', '0.38'],
  // Digits: msvcrt has 17 significant ones, then zeros; ucrt prints the exact binary value.
  ['%.20f', [f(0.1)], '0.10000000000000001000', '0.10000000000000000555'],
  ['%.25f', [f(1 / 3)], '0.3333333333333333100000000', '0.3333333333333333148296163'],
  // Infinities and NaNs.
  ['%f', [f(Infinity)], '1.#INF00', 'inf'],
  ['%f', [f(-Infinity)], '-1.#INF00', '-inf'],
  ['%f', [f(INDEFINITE)], '-1.#IND00', '-nan(ind)'],
  ['%f', [f(QNAN)], '1.#QNAN0', 'nan'],
  ['%f', [f(SNAN)], '1.#SNAN0', 'nan(snan)'],
  ['%.2f', [f(Infinity)], '1.#J', 'inf'],
  ['%e', [f(Infinity)], '1.#INF00e+000', 'inf'],
  ['%g', [f(Infinity)], '1.#INF', 'inf'],
  ['%g', [f(-Infinity)], '-1.#INF', '-inf'],
  ['%10f', [f(Infinity)], '  1.#INF00', '       inf'],
];

describe.each(['msvcrt', 'ucrt'] as const)('%s', (flavour) => {
  // (Titles leave out the arguments: vitest cannot print a bigint in one.)
  test.each(COMMON.map(([format, args, expected]) => [format, expected, args] as const))('%j -> %j', (format, expected, args) => {
    expect(fmt(flavour, format, args)).toBe(expected);
  });
  test.each(DIFFERENT.map(([format, args, msvcrt, ucrt]) => [format, msvcrt, ucrt, args] as const))('%j -> msvcrt %j, ucrt %j', (format, msvcrt, ucrt, args) => {
    expect(fmt(flavour, format, args)).toBe(flavour === 'msvcrt' ? msvcrt : ucrt);
  });
});

test('ucrt: capital conversions print capital INF and NAN', () => {
  expect(fmt('ucrt', '%F %E %G', [f(Infinity), f(QNAN), f(INDEFINITE)])).toBe('INF NAN -NAN(IND)');
});

describe('ucrt %a', () => {
  const cases: [string, number, string][] = [
    ['%a', 1, '0x1.0000000000000p+0'],
    ['%a', 0.5, '0x1.0000000000000p-1'],
    ['%a', -2, '-0x1.0000000000000p+1'],
    ['%a', 0.1, '0x1.999999999999ap-4'],
    ['%A', 1, '0X1.0000000000000P+0'],
    ['%.2a', 1, '0x1.00p+0'],
    ['%a', 0, '0x0.0000000000000p+0'],
  ];
  test.each(cases)('%j of %j -> %j', (format, v, expected) => {
    expect(fmt('ucrt', format, [f(v)])).toBe(expected);
  });
});

describe('wide printf (the wprintf family)', () => {
  test('%s takes a wide string, %S and %hs a narrow one', () => {
    expect(fmt('ucrt', '%s|%S|%hs|%ls', [WIDE, HELLO, HELLO, WIDE], true)).toBe('wide \u20ac|hello|hello|wide \u20ac');
    expect(fmt('msvcrt', '%c%C%lc', [0x20ac, 0x41, 0x20ac], true)).toBe('\u20acA\u20ac');
  });
});

test('NaN payloads survive being passed around as JS numbers (what the cases above rely on)', () => {
  expect(bitsOf(INDEFINITE)).toBe(0xfff8_0000_0000_0000n);
  expect(bitsOf(SNAN)).toBe(0x7ff0_0000_0000_0001n);
});
