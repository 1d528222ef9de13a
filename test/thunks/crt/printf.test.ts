// The printf family's entry points as guest code calls them: buffer sizes, terminators and return values of
// sprintf/_snprintf/_scprintf/the _s forms (Microsoft's documentation of each), the wide forms, %n per
// runtime version, _set_output_format, the "C" locale's conversions, and ucrtbase's __stdio_common_* with
// their option bits (expected values as Wine's conformance tests record them from Windows).
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { CrtInvalidParameterError } from '../../../thunks/crt/errors.js';
import { win32, type GuestArg, type Win32 } from '../../helpers/win32.js';

const EINVAL = 22;
const ERANGE = 34;
const EILSEQ = 42;
const TRUNCATE = 0xffff_ffff;
const OPT = { LEGACY_VSPRINTF_NULL_TERMINATION: 1n, STANDARD_SNPRINTF_BEHAVIOR: 2n, LEGACY_WIDE_SPECIFIERS: 4n, LEGACY_MSVCRT_COMPATIBILITY: 8n, LEGACY_THREE_DIGIT_EXPONENTS: 16n };

let w: Win32;
let out: string;
beforeEach(() => {
  out = '';
  w = win32({ output: (_s, bytes) => (out += String.fromCharCode(...bytes)) });
});

const call = (dll: string, name: string, ...args: GuestArg[]) => w.call(dll, name, args) | 0;
const errno = (dll = 'msvcrt.dll') => w.u32(w.call(dll, '_errno'));
const setErrno = (v: number, dll = 'msvcrt.dll') => w.cpu.mem.setU32(w.call(dll, '_errno'), v);

/** A va_list: the arguments laid out as the caller's stack holds them. */
function va(...args: GuestArg[]): number {
  const size = args.reduce<number>((n, a) => n + (typeof a === 'number' ? 4 : 8), 0);
  const at = w.buf(size + 4);
  let o = at;
  for (const a of args) {
    if (typeof a === 'number') {
      w.cpu.mem.setU32(o, a >>> 0);
      o += 4;
    } else if (typeof a === 'bigint') {
      w.cpu.mem.setU64(o, BigInt.asUintN(64, a));
      o += 8;
    } else {
      w.cpu.mem.setF64(o, a.double);
      o += 8;
    }
  }
  return at;
}

/** A guest function that counts its calls (an invalid parameter handler, cdecl, returns). */
function counter(): { addr: number; calls: () => number } {
  const page = w.cpu.mem.map(0x1000, PROT.rwx);
  const cell = page + 0x800;
  const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  w.cpu.mem.write(page, Uint8Array.from([0xff, 0x05, ...le(cell), 0xc3])); // inc dword [cell]; ret
  return { addr: page, calls: () => w.u32(cell) };
}

const bytes = (at: number, n: number) => [...w.cpu.mem.read(at, n)];
const text = (s: string) => [...s].map((c) => c.charCodeAt(0));

describe('msvcrt.dll', () => {
  test('sprintf writes the text and a terminator and returns its length', () => {
    const b = w.buf(32);
    expect(call('msvcrt.dll', 'sprintf', b, w.str('%d-%s'), 42, w.str('x'))).toBe(4);
    expect(w.readStr(b)).toBe('42-x');
    // 2.25 is exact in binary: msvcrt rounds its digits half up.
    expect(call('msvcrt.dll', 'vsprintf', b, w.str('%05.1f|%x'), va({ double: 2.25 }, 255))).toBe(8);
    expect(w.readStr(b)).toBe('002.3|ff');
  });

  test('_snprintf: no terminator when the text fills the buffer, -1 when it does not fit', () => {
    const b = w.buf(16);
    w.cpu.mem.fill(b, 0x78, 16);
    expect(call('msvcrt.dll', '_snprintf', b, 4, w.str('abcdef'))).toBe(-1);
    expect(bytes(b, 5)).toEqual([...text('abcd'), 0x78]);
    w.cpu.mem.fill(b, 0x78, 16);
    expect(call('msvcrt.dll', '_snprintf', b, 6, w.str('abcdef'))).toBe(6);
    expect(bytes(b, 7)).toEqual([...text('abcdef'), 0x78]);
    expect(call('msvcrt.dll', '_snprintf', b, 7, w.str('abcdef'))).toBe(6);
    expect(bytes(b, 7)).toEqual([...text('abcdef'), 0]);
    expect(call('msvcrt.dll', '_vsnprintf', b, 3, w.str('%d'), va(12345))).toBe(-1);
  });

  test('_scprintf / _vscprintf count without writing', () => {
    expect(call('msvcrt.dll', '_scprintf', w.str('%d|%s'), 12345, w.str('abc'))).toBe(9);
    expect(call('msvcrt.dll', '_vscprintf', w.str('%.3e'), va({ double: 1 }))).toBe('1.000e+000'.length);
    expect(call('msvcrt.dll', '_scwprintf', w.wstr('%s'), w.wstr('wide'))).toBe(4);
  });

  test('printf and fprintf(stdout) reach the console', () => {
    expect(call('msvcrt.dll', 'printf', w.str('%s=%d\n'), w.str('x'), 7)).toBe(4);
    const stdout = w.call('msvcrt.dll', '__iob_func') + 32;
    expect(call('msvcrt.dll', 'fprintf', stdout, w.str('[%c]'), 0x41)).toBe(3);
    expect(call('msvcrt.dll', 'wprintf', w.wstr('%s!'), w.wstr('hi'))).toBe(3);
    expect(out).toBe('x=7\n[A]hi!');
  });

  test('the wide family: %s is wide there, %S and %hs narrow; swprintf has no count', () => {
    const b = w.buf(64);
    expect(call('msvcrt.dll', 'swprintf', b, w.wstr('%s|%S|%hs|%c'), w.wstr('w\u20ac'), w.str('n'), w.str('h'), 0x263a)).toBe(8);
    expect(w.readWStr(b)).toBe('w\u20ac|n|h|\u263a');
    expect(call('msvcrt.dll', '_snwprintf', b, 3, w.wstr('%d'), 123456)).toBe(-1);
    expect([w.u32(b) & 0xffff, w.cpu.mem.u16(b + 4)]).toEqual([0x31, 0x33]);
  });

  test('"C" locale: narrow text is bytes; a wide character above U+00FF cannot be converted (EILSEQ)', () => {
    const b = w.buf(16);
    expect(call('msvcrt.dll', 'sprintf', b, w.bytes([0x25, 0x73, 0xe9]), w.bytes([0x80, 0xff]))).toBe(3);
    expect(bytes(b, 4)).toEqual([0x80, 0xff, 0xe9, 0]);
    expect(call('msvcrt.dll', 'sprintf', b, w.str('%ls'), w.wstr('caf\u00e9'))).toBe(4);
    expect(bytes(b, 5)).toEqual([...text('caf'), 0xe9, 0]);
    setErrno(0);
    expect(call('msvcrt.dll', 'sprintf', b, w.str('%ls'), w.wstr('\u20ac'))).toBe(-1);
    expect(errno()).toBe(EILSEQ);
  });

  test('%n stores the count in msvcrt.dll', () => {
    const b = w.buf(16);
    const n = w.buf(4);
    expect(call('msvcrt.dll', 'sprintf', b, w.str('abc%ndef'), n)).toBe(6);
    expect(w.u32(n)).toBe(3);
  });

  test('sprintf_s: a buffer too small is emptied; the invalid parameter handler runs; errno ERANGE', () => {
    const b = w.buf(8);
    expect(() => call('msvcrt.dll', 'sprintf_s', b, 4, w.str('%s'), w.str('toolong'))).toThrow(CrtInvalidParameterError);
    const h = counter();
    w.call('msvcrt.dll', '_set_invalid_parameter_handler', [h.addr]);
    w.cpu.mem.fill(b, 0x78, 8);
    expect(call('msvcrt.dll', 'sprintf_s', b, 4, w.str('%s'), w.str('toolong'))).toBe(-1);
    expect(bytes(b, 2)).toEqual([0, 0x78]);
    expect(h.calls()).toBe(1);
    expect(errno()).toBe(ERANGE);
    expect(call('msvcrt.dll', 'sprintf_s', b, 4, w.str('%s'), w.str('abc'))).toBe(3);
    expect(w.readStr(b)).toBe('abc');
    expect(call('msvcrt.dll', 'sprintf_s', 0, 4, w.str('x'))).toBe(-1);
    expect(errno()).toBe(EINVAL);
    expect(h.calls()).toBe(2);
  });

  test('_snprintf_s: count, _TRUNCATE and the buffer size (Microsoft\'s documented cases)', () => {
    const b = w.buf(16);
    const h = counter();
    w.call('msvcrt.dll', '_set_invalid_parameter_handler', [h.addr]);
    expect(call('msvcrt.dll', '_snprintf_s', b, 14, TRUNCATE, w.str('AB%uC'), 123)).toBe(6);
    expect(w.readStr(b)).toBe('AB123C');
    expect(call('msvcrt.dll', '_snprintf_s', b, 7, TRUNCATE, w.str('AB%uC'), 123)).toBe(6);
    expect(call('msvcrt.dll', '_snprintf_s', b, 6, TRUNCATE, w.str('AB%uC'), 123)).toBe(-1);
    expect(w.readStr(b)).toBe('AB123');
    expect(call('msvcrt.dll', '_snprintf_s', b, 1, TRUNCATE, w.str('AB%uC'), 123)).toBe(-1);
    expect(w.readStr(b)).toBe('');
    expect(call('msvcrt.dll', '_snprintf_s', b, 10, 3, w.str('AB%uC'), 123)).toBe(-1); // count cuts it
    expect(w.readStr(b)).toBe('AB1');
    expect(h.calls()).toBe(0);
    expect(call('msvcrt.dll', '_snprintf_s', b, 4, 8, w.str('AB%uC'), 123)).toBe(-1); // does not fit the buffer
    expect(w.readStr(b)).toBe('');
    expect(h.calls()).toBe(1);
  });
});

describe('msvcr70-120', () => {
  test('%n works in msvcr71, is an invalid parameter from msvcr80 on until _set_printf_count_output(1)', () => {
    const b = w.buf(16);
    const n = w.buf(4);
    expect(call('msvcr71.dll', 'sprintf', b, w.str('ab%n'), n)).toBe(2);
    expect(w.u32(n)).toBe(2);
    expect(() => call('msvcr90.dll', 'sprintf', b, w.str('ab%n'), n)).toThrow(CrtInvalidParameterError);
    expect(call('msvcr90.dll', '_get_printf_count_output')).toBe(0);
    expect(call('msvcr90.dll', '_set_printf_count_output', 1)).toBe(0);
    expect(call('msvcr90.dll', 'sprintf', b, w.str('abc%n'), n)).toBe(3);
    expect(w.u32(n)).toBe(3);
  });

  test('three exponent digits until _set_output_format(_TWO_DIGIT_EXPONENT)', () => {
    const b = w.buf(32);
    call('msvcr100.dll', 'sprintf', b, w.str('%e'), { double: 1.5 });
    expect(w.readStr(b)).toBe('1.500000e+000');
    expect(call('msvcr100.dll', '_set_output_format', 1)).toBe(0);
    call('msvcr100.dll', 'sprintf', b, w.str('%e|%g'), { double: 1.5 }, { double: 1e-10 });
    expect(w.readStr(b)).toBe('1.500000e+00|1e-10');
    expect(call('msvcr100.dll', '_get_output_format')).toBe(1);
  });

  test('the secure forms exist from msvcr80 on only', () => {
    expect(() => w.addr('msvcr71.dll', 'sprintf_s')).toThrow();
    expect(w.addr('msvcr80.dll', 'sprintf_s')).toBeGreaterThan(0);
  });
});

describe('ucrtbase.dll __stdio_common_*', () => {
  const U = 'ucrtbase.dll';
  const vsprintf = (options: bigint, buf: number, size: number, fmt: number, args: number) => call(U, '__stdio_common_vsprintf', options, buf, size, fmt, 0, args);

  test.each([
    ['short', 5],
    ['justfit', 7],
    ['justfits', 8],
    ['muchlonger', -1],
  ])('legacy _vsnprintf termination: %j returns %i', (s, expected) => {
    const b = w.buf(8);
    expect(vsprintf(OPT.LEGACY_VSPRINTF_NULL_TERMINATION, b, 8, w.str(s), va())).toBe(expected);
    const valid = expected < 0 ? 8 : expected === 8 ? 8 : expected + 1;
    expect(bytes(b, valid)).toEqual(text((s + '\0').slice(0, valid)));
  });

  test.each([
    ['short', 5, 'short'],
    ['justfit', 7, 'justfit'],
    ['justfits', 8, 'justfit'],
    ['muchlonger', 10, 'muchlon'],
  ])('C99 snprintf: %j returns %i and holds %j', (s, expected, held) => {
    const b = w.buf(8);
    expect(vsprintf(OPT.STANDARD_SNPRINTF_BEHAVIOR, b, 8, w.str(s), va())).toBe(expected);
    expect(w.readStr(b)).toBe(held);
  });

  test.each([
    ['short', 5, 'short'],
    ['justfit', 7, 'justfit'],
    ['justfits', -2, 'justfit'],
    ['muchlonger', -2, 'muchlon'],
  ])('no option bits (swprintf style): %j returns %i', (s, expected, held) => {
    const b = w.buf(8);
    expect(vsprintf(0n, b, 8, w.str(s), va())).toBe(expected);
    expect(w.readStr(b)).toBe(held);
  });

  test('a NULL buffer counts', () => {
    for (const o of [0n, OPT.LEGACY_VSPRINTF_NULL_TERMINATION, OPT.STANDARD_SNPRINTF_BEHAVIOR]) expect(vsprintf(o, 0, 0, w.str('abcd'), va())).toBe(4);
  });

  test('wide specifiers: legacy %s is wide in wide output, ISO %s is narrow; %ls and %hs always fixed', () => {
    const b = w.buf(64);
    call(U, '__stdio_common_vswprintf', 0n, b, 20, w.wstr('%s %ls'), 0, va(w.str('abcd'), w.wstr('ABCD')));
    expect(w.readWStr(b)).toBe('abcd ABCD');
    call(U, '__stdio_common_vswprintf', OPT.LEGACY_WIDE_SPECIFIERS, b, 20, w.wstr('%hs %s'), 0, va(w.str('abcd'), w.wstr('ABCD')));
    expect(w.readWStr(b)).toBe('abcd ABCD');
    vsprintf(OPT.LEGACY_WIDE_SPECIFIERS, b, 20, w.str('%s %ls'), va(w.str('abcd'), w.wstr('ABCD')));
    expect(w.readStr(b)).toBe('abcd ABCD');
    call(U, '__stdio_common_vswprintf', 0n, b, 20, w.wstr('%s %Ts'), 0, va(w.str('abcd'), w.wstr('ABCD')));
    expect(w.readWStr(b)).toBe('abcd ABCD');
  });

  test('msvcrt compatibility: %F is a size prefix and infinities print as 1.#INF00', () => {
    const b = w.buf(64);
    vsprintf(0n, b, 50, w.str('%F'), va({ double: 1.23 }));
    expect(w.readStr(b)).toBe('1.230000');
    vsprintf(OPT.LEGACY_MSVCRT_COMPATIBILITY, b, 50, w.str('%Fd %Nd'), va(123, 456));
    expect(w.readStr(b)).toBe('123 456');
    vsprintf(0n, b, 50, w.str('%f %F %f %e %E %g %G'), va(...Array.from({ length: 7 }, (_, i) => ({ double: i === 2 ? -Infinity : Infinity }))));
    expect(w.readStr(b)).toBe('inf INF -inf inf INF inf INF');
    vsprintf(OPT.LEGACY_MSVCRT_COMPATIBILITY, b, 50, w.str('%f'), va({ double: Infinity }));
    expect(w.readStr(b)).toBe('1.#INF00');
  });

  test('three-digit exponents on request', () => {
    const b = w.buf(32);
    vsprintf(0n, b, 20, w.str('%E'), va({ double: 1.23 }));
    expect(w.readStr(b)).toBe('1.230000E+00');
    vsprintf(OPT.LEGACY_THREE_DIGIT_EXPONENTS, b, 20, w.str('%E'), va({ double: 1.23 }));
    expect(w.readStr(b)).toBe('1.230000E+000');
    vsprintf(0n, b, 20, w.str('%E'), va({ double: 1.23e123 }));
    expect(w.readStr(b)).toBe('1.230000E+123');
  });

  test('C99 sizes z, j, t', () => {
    const b = w.buf(80);
    vsprintf(0n, b, 80, w.str('%zx %d %jd %d %ju %td'), va(0xffffffff, 1, -(1n << 63n), 1, (1n << 64n) - 1n, -0x80000000));
    expect(w.readStr(b)).toBe('ffffffff 1 -9223372036854775808 1 18446744073709551615 -2147483648');
  });

  test('__stdio_common_vsnprintf_s (as _vsnprintf_s)', () => {
    const b = w.buf(16);
    const s = (size: number) => call(U, '__stdio_common_vsnprintf_s', 0n, b, size, TRUNCATE, w.str('AB%uC'), 0, va(123));
    expect([s(14), w.readStr(b)]).toEqual([6, 'AB123C']);
    expect([s(7), w.readStr(b)]).toEqual([6, 'AB123C']);
    expect([s(6), w.readStr(b)]).toEqual([-1, 'AB123']);
    expect([s(2), w.readStr(b)]).toEqual([-1, 'A']);
    expect([s(1), w.readStr(b)]).toEqual([-1, '']);
  });

  test('invalid formats and %n go to the invalid parameter handler: -1 and EINVAL', () => {
    const b = w.buf(16);
    const n = w.buf(4);
    expect(() => vsprintf(0n, b, 16, w.str('%y'), va())).toThrow(CrtInvalidParameterError);
    const h = counter();
    expect(call(U, '_set_invalid_parameter_handler', h.addr)).toBe(0);
    expect(vsprintf(0n, b, 16, w.str('%n'), va(n))).toBe(-1);
    expect(errno(U)).toBe(EINVAL);
    expect(vsprintf(0n, b, 16, 0, va())).toBe(-1);
    expect(h.calls()).toBe(2);
    expect(call(U, '_set_printf_count_output', 1)).toBe(0);
    expect(vsprintf(0n, b, 16, w.str('ab%n'), va(n))).toBe(2);
    expect(w.u32(n)).toBe(2);
    expect(call(U, '_set_invalid_parameter_handler', 0)).toBe(h.addr);
  });

  test('__stdio_common_vfprintf writes to a FILE* from __acrt_iob_func', () => {
    const stdout = w.call(U, '__acrt_iob_func', [1]);
    expect(call(U, '__stdio_common_vfprintf', 0n, stdout, w.str('%s %.2f\n'), 0, va(w.str('pi'), { double: Math.PI }))).toBe(8);
    expect(out).toBe('pi 3.14\n');
  });
});

test('the console forms: _cprintf and ucrt\'s __conio_common_vcprintf', () => {
  expect(call('msvcrt.dll', '_cprintf', w.str('[%03d]'), 7)).toBe(5);
  expect(call('ucrtbase.dll', '__conio_common_vcprintf', 0n, w.str('%s!'), 0, va(w.str('ok')))).toBe(3);
  expect(out).toBe('[007]ok!');
});

describe('positional arguments (the _p forms)', () => {
  test('ucrt __stdio_common_vsprintf_p: arguments by position, widths by position', () => {
    const b = w.buf(64);
    const p = (fmt: string, args: number) => call('ucrtbase.dll', '__stdio_common_vsprintf_p', 0n, b, 64, w.str(fmt), 0, args);
    expect(p('%2$s %1$d %2$s', va(7, w.str('x')))).toBe(5);
    expect(w.readStr(b)).toBe('x 7 x');
    expect(p('[%1$*2$d|%3$.2f]', va(42, 6, { double: 2.5 }))).toBe(13);
    expect(w.readStr(b)).toBe('[    42|2.50]');
    expect(p('%2$lld %1$s', va(w.str('a'), 1n << 40n))).toBe(15);
    expect(w.readStr(b)).toBe('1099511627776 a');
    expect(() => p('%1$d %d', va(1, 2))).toThrow(CrtInvalidParameterError);
    expect(() => p('%2$d', va(1, 2))).toThrow(CrtInvalidParameterError); // argument 1 unused
  });

  test('msvcr90 _sprintf_p takes the buffer size; plain sprintf has no positions', () => {
    const b = w.buf(32);
    expect(call('msvcr90.dll', '_sprintf_p', b, 32, w.str('%2$s-%1$s'), w.str('a'), w.str('b'))).toBe(3);
    expect(w.readStr(b)).toBe('b-a');
    expect(call('msvcr90.dll', '_scprintf_p', w.str('%1$05d'), 3)).toBe(5);
  });
});
