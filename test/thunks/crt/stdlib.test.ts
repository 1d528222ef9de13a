// <stdlib.h> and <string.h> additions as guest code calls them: the strtol family's limits and errno, strtod
// and strtof exact (per flavour: hex floats, inf and nan only in the ucrt), the itoa family, rand's
// documented LCG, div, the environment (shared with kernel32), the _s string functions, strtok, aligned
// allocation, sorting and searching with guest callbacks.
import { beforeEach, describe, expect, test } from 'vitest';
import { GuestFaultError } from '../../../emulator/errors.js';
import { PROT } from '../../../emulator/memory.js';
import { CrtInvalidParameterError } from '../../../thunks/crt/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const EINVAL = 22;
const ERANGE = 34;
const STRUNCATE = 80;

let w: Win32;
beforeEach(() => {
  w = win32();
});

const errno = (dll = 'msvcrt.dll') => w.u32(w.call(dll, '_errno'));
const setErrno = (v: number, dll = 'msvcrt.dll') => w.cpu.mem.setU32(w.call(dll, '_errno'), v);
function code(bytes: number[]): number {
  const at = w.cpu.mem.map(0x1000, PROT.rwx);
  w.cpu.mem.write(at, Uint8Array.from(bytes));
  return at;
}
/** A guest function that does nothing and returns (an invalid parameter handler). */
const nop = () => code([0xc3]);

describe('strtol family', () => {
  test('limits: ERANGE and the clamped value; strtoul wraps a minus sign', () => {
    const end = w.buf(4);
    setErrno(0);
    expect(w.crt('strtol', w.str('99999999999'), end, 10) | 0).toBe(2147483647);
    expect(errno()).toBe(ERANGE);
    expect(w.crt('strtol', w.str('-99999999999'), 0, 10) | 0).toBe(-2147483648);
    setErrno(0);
    expect(w.crt('strtoul', w.str('-1'), 0, 10)).toBe(4294967295);
    expect(errno()).toBe(0);
    expect(w.crt('strtoul', w.str('4294967296'), 0, 10)).toBe(4294967295);
    expect(errno()).toBe(ERANGE);
    const s = w.str('0x');
    expect(w.crt('strtol', s, end, 16)).toBe(0);
    expect(w.u32(end)).toBe(s + 1); // the "0" is the number
    const none = w.str('  +z');
    expect(w.crt('strtol', none, end, 10)).toBe(0);
    expect(w.u32(end)).toBe(none); // no number: the end is the start
  });

  test('64-bit forms', () => {
    w.crt('_strtoi64', w.str('9223372036854775808'), 0, 10);
    expect(w.edxEax).toBe((1n << 63n) - 1n);
    w.crt('_strtoui64', w.str('-1'), 0, 0);
    expect(w.edxEax).toBe((1n << 64n) - 1n);
    w.crt('_atoi64', w.str('  -123456789012x'));
    expect(BigInt.asIntN(64, w.edxEax)).toBe(-123456789012n);
    w.call('ucrtbase.dll', 'strtoll', [w.str('0777'), 0, 0]);
    expect(w.edxEax).toBe(511n);
  });

  test('an invalid base is an invalid parameter (EINVAL, 0)', () => {
    expect(() => w.crt('strtol', w.str('10'), 0, 37)).toThrow(CrtInvalidParameterError);
    w.crt('_set_invalid_parameter_handler', nop());
    setErrno(0);
    expect(w.crt('strtol', w.str('10'), 0, 1)).toBe(0);
    expect(errno()).toBe(EINVAL);
  });
});

describe('strtod / strtof', () => {
  test('decimal numbers, correctly rounded, and their ends', () => {
    const end = w.buf(4);
    const s = w.str(' -1.5e3xyz');
    w.crt('strtod', s, end);
    expect(w.st0()).toBe(-1500);
    expect(w.u32(end)).toBe(s + 7);
    w.crt('strtod', w.str('0.1000000000000000055511151231257827'), 0);
    expect(w.st0()).toBe(0.1);
    w.crt('strtod', w.str('2.2250738585072011e-308'), 0); // the classic hard case
    expect(w.st0()).toBe(2.225073858507201e-308);
    const dot = w.str('5.');
    w.crt('strtod', dot, end);
    expect([w.st0(), w.u32(end) - dot]).toEqual([5, 2]);
  });

  test('overflow and underflow: ERANGE', () => {
    setErrno(0);
    w.crt('strtod', w.str('1e400'), 0);
    expect([w.st0(), errno()]).toEqual([Infinity, ERANGE]);
    setErrno(0);
    w.crt('strtod', w.str('1e-400'), 0);
    expect([w.st0(), errno()]).toEqual([0, ERANGE]);
  });

  test('msvcrt reads no inf/nan/hex; the ucrt does', () => {
    const end = w.buf(4);
    const inf = w.str('inf');
    w.crt('strtod', inf, end);
    expect([w.st0(), w.u32(end)]).toEqual([0, inf]);
    w.call('ucrtbase.dll', 'strtod', [w.str('-Infinity'), end]);
    expect(w.st0()).toBe(-Infinity);
    w.call('ucrtbase.dll', 'strtod', [w.str('0x1p-1074'), 0]);
    expect(w.st0()).toBe(5e-324);
    w.call('ucrtbase.dll', 'strtod', [w.str('0x1.fffffffffffff8p0'), 0]); // a tie: to even, 2
    expect(w.st0()).toBe(2);
    w.call('ucrtbase.dll', 'strtod', [w.str('nan(123)'), end]);
    expect(Number.isNaN(w.st0())).toBe(true);
  });

  test('strtof rounds the decimal value once, not through a double', () => {
    // 1 + 2^-24 is halfway between the floats 1 and 1 + 2^-23; a hair above it must give the upper one,
    // although the nearest double is exactly the midpoint.
    w.call('ucrtbase.dll', 'strtof', [w.str('1.0000000596046447753906250001'), 0]);
    expect(w.st0()).toBe(1 + 2 ** -23);
    w.call('ucrtbase.dll', 'strtof', [w.str('1.000000059604644775390625'), 0]); // the midpoint itself: to even
    expect(w.st0()).toBe(1);
    w.call('ucrtbase.dll', 'strtof', [w.str('0.1'), 0]);
    expect(w.st0()).toBe(Math.fround(0.1));
  });
});

describe('integers to text', () => {
  test('_itoa & co.: a sign in base 10 only; other radices print the two\'s complement', () => {
    const b = w.buf(80);
    expect(w.crt('_itoa', -255, b, 16)).toBe(b);
    expect(w.readStr(b)).toBe('ffffff01');
    w.crt('_itoa', -255, b, 10);
    expect(w.readStr(b)).toBe('-255');
    w.crt('_ultoa', 0xffffffff, b, 2);
    expect(w.readStr(b)).toBe('1'.repeat(32));
    w.crt('_ltoa', 35, b, 36);
    expect(w.readStr(b)).toBe('z');
    w.crt('_i64toa', -1n, b, 16);
    expect(w.readStr(b)).toBe('ffffffffffffffff');
    w.crt('_ui64toa', 18446744073709551615n, b, 10);
    expect(w.readStr(b)).toBe('18446744073709551615');
  });

  test('_itoa_s: ERANGE for a buffer too small (emptied), EINVAL for a bad radix', () => {
    w.crt('_set_invalid_parameter_handler', nop());
    const b = w.buf(8);
    expect(w.crt('_itoa_s', 12345, b, 8, 10)).toBe(0);
    expect(w.readStr(b)).toBe('12345');
    expect(w.crt('_itoa_s', 12345, b, 5, 10)).toBe(ERANGE);
    expect(w.readStr(b)).toBe('');
    expect(w.crt('_itoa_s', 1, b, 8, 1)).toBe(EINVAL);
  });
});

describe('arithmetic and random numbers', () => {
  test('rand: Microsoft\'s LCG from seed 1, and again after srand(1)', () => {
    const first = Array.from({ length: 5 }, () => w.crt('rand'));
    expect(first).toEqual([41, 18467, 6334, 26500, 19169]);
    w.crt('srand', 1);
    expect(w.crt('rand')).toBe(41);
    w.crt('srand', 0);
    expect(w.crt('rand')).toBe(38);
  });

  test('abs, div (div_t in EDX:EAX: quot low, rem high), division by zero faults', () => {
    expect(w.crt('abs', -5)).toBe(5);
    expect(w.crt('labs', -2147483648) | 0).toBe(-2147483648);
    w.crt('div', 7, -2);
    expect([w.cpu.returned.eax | 0, w.cpu.returned.edx | 0]).toEqual([-3, 1]);
    w.crt('ldiv', -7, 2);
    expect([w.cpu.returned.eax | 0, w.cpu.returned.edx | 0]).toEqual([-3, -1]);
    expect(() => w.crt('div', 1, 0)).toThrow(GuestFaultError);
    const r = w.buf(16);
    expect(w.call('ucrtbase.dll', 'lldiv', [r, -7n, 2n])).toBe(r);
    expect([w.cpu.mem.i64(r), w.cpu.mem.i64(r + 8)]).toEqual([-3n, -1n]);
    w.call('ucrtbase.dll', 'llabs', [-(2n ** 40n)]);
    expect(w.edxEax).toBe(2n ** 40n);
  });

  test('rand_s gives a random number', () => {
    const out = w.buf(4);
    expect(w.crt('rand_s', out)).toBe(0);
  });
});

describe('environment (one environment with kernel32)', () => {
  test('_putenv sets and removes; getenv, GetEnvironmentVariableA and _environ see it', () => {
    expect(w.crt('_putenv', w.str('Wowasm_Test=one two'))).toBe(0);
    expect(w.readStr(w.crt('getenv', w.str('WOWASM_TEST')))).toBe('one two');
    const b = w.buf(32);
    expect(w.k32('GetEnvironmentVariableA', w.str('wowasm_test'), b, 32)).toBe(7);
    expect(w.readStr(b)).toBe('one two');
    const env = w.u32(w.addr('msvcrt.dll', '_environ'));
    const entries: string[] = [];
    for (let i = 0; w.u32(env + 4 * i); i++) entries.push(w.readStr(w.u32(env + 4 * i)));
    expect(entries).toContain('Wowasm_Test=one two');
    expect(w.crt('_putenv', w.str('WOWASM_TEST='))).toBe(0);
    expect(w.crt('getenv', w.str('WOWASM_TEST'))).toBe(0);
    expect(() => w.crt('_putenv', w.str('novalue'))).toThrow(CrtInvalidParameterError);
    expect(w.readWStr(w.crt('_wgetenv', w.wstr('systemroot')))).toBe('C:\\Windows');
  });

  test('getenv_s and _dupenv_s', () => {
    const need = w.buf(4);
    const b = w.buf(16);
    expect(w.crt('getenv_s', need, b, 16, w.str('TEMP'))).toBe(0);
    expect([w.u32(need), w.readStr(b)]).toEqual([8, 'C:\\Temp']);
    expect(w.crt('getenv_s', need, b, 4, w.str('TEMP'))).toBe(ERANGE);
    expect(w.crt('getenv_s', need, b, 16, w.str('NO_SUCH_VARIABLE'))).toBe(0);
    expect([w.u32(need), w.readStr(b)]).toEqual([0, '']);
    const pb = w.buf(4);
    const len = w.buf(4);
    expect(w.crt('_dupenv_s', pb, len, w.str('TMP'))).toBe(0);
    expect([w.readStr(w.u32(pb)), w.u32(len)]).toEqual(['C:\\Temp', 8]);
    expect(w.crt('_dupenv_s', pb, len, w.str('NO_SUCH_VARIABLE'))).toBe(0);
    expect([w.u32(pb), w.u32(len)]).toEqual([0, 0]);
  });
});

describe('<string.h> additions', () => {
  test('strtok keeps its place; strtok_s uses the context', () => {
    const s = w.str('  one, two,,three ');
    const tokens: string[] = [];
    for (let t = w.crt('strtok', s, w.str(' ,')); t; t = w.crt('strtok', 0, w.str(' ,'))) tokens.push(w.readStr(t));
    expect(tokens).toEqual(['one', 'two', 'three']);
    const ctx = w.buf(4);
    const s2 = w.str('a:b');
    expect(w.readStr(w.crt('strtok_s', s2, w.str(':'), ctx))).toBe('a');
    expect(w.readStr(w.crt('strtok_s', 0, w.str(':'), ctx))).toBe('b');
    expect(w.crt('strtok_s', 0, w.str(':'), ctx)).toBe(0);
  });

  test('_strrev, _strset, _strnset, _memicmp, _memccpy', () => {
    const s = w.str('abcdef');
    w.crt('_strrev', s);
    expect(w.readStr(s)).toBe('fedcba');
    w.crt('_strnset', s, 0x2a, 2);
    expect(w.readStr(s)).toBe('**dcba');
    w.crt('_strset', s, 0x2b);
    expect(w.readStr(s)).toBe('++++++');
    expect(w.crt('_memicmp', w.str('HeLLo'), w.str('hello'), 5)).toBe(0);
    const d = w.buf(16);
    expect(w.crt('_memccpy', d, w.str('key=value'), 0x3d, 9)).toBe(d + 4);
    expect(w.readStr(d)).toBe('key=');
  });

  test('strcpy_s / strcat_s / strncpy_s: sizes, _TRUNCATE, the invalid parameter handler', () => {
    const d = w.buf(8);
    expect(w.crt('strcpy_s', d, 8, w.str('abc'))).toBe(0);
    expect(w.crt('strcat_s', d, 8, w.str('def'))).toBe(0);
    expect(w.readStr(d)).toBe('abcdef');
    expect(() => w.crt('strcat_s', d, 8, w.str('gh'))).toThrow(CrtInvalidParameterError);
    w.crt('_set_invalid_parameter_handler', nop());
    w.crt('strcpy_s', d, 8, w.str('abcdef'));
    expect(w.crt('strcat_s', d, 8, w.str('gh'))).toBe(ERANGE);
    expect(w.readStr(d)).toBe('');
    expect(w.crt('strncpy_s', d, 4, w.str('abcdef'), 0xffffffff)).toBe(STRUNCATE);
    expect(w.readStr(d)).toBe('abc');
    expect(w.crt('strncpy_s', d, 8, w.str('abcdef'), 2)).toBe(0);
    expect(w.readStr(d)).toBe('ab');
    expect(w.crt('strncat_s', d, 8, w.str('cdefgh'), 0xffffffff)).toBe(STRUNCATE);
    expect(w.readStr(d)).toBe('abcdefg');
    expect(w.crt('memcpy_s', d, 4, w.str('12345'), 5)).toBe(ERANGE);
    expect([...w.cpu.mem.read(d, 4)]).toEqual([0, 0, 0, 0]);
  });

  test('strerror_s and _strerror', () => {
    const b = w.buf(32);
    expect(w.crt('strerror_s', b, 32, 2)).toBe(0);
    expect(w.readStr(b)).toBe('No such file or directory');
    expect(w.crt('strerror_s', b, 8, 2)).toBe(0);
    expect(w.readStr(b)).toBe('No such');
    setErrno(13);
    expect(w.readStr(w.crt('_strerror', w.str('open')))).toBe('open: Permission denied\n');
  });
});

describe('memory', () => {
  test('_aligned_malloc / _aligned_offset_malloc / _aligned_realloc / _aligned_free', () => {
    const a = w.crt('_aligned_malloc', 100, 64);
    expect(a % 64).toBe(0);
    w.cpu.mem.write(a, Uint8Array.from({ length: 100 }, (_, i) => i));
    const b = w.crt('_aligned_realloc', a, 300, 256);
    expect(b % 256).toBe(0);
    expect([...w.cpu.mem.read(b, 100)]).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(w.crt('_aligned_msize', b, 256, 0)).toBe(300);
    w.crt('_aligned_free', b);
    const c = w.crt('_aligned_offset_malloc', 100, 32, 8);
    expect((c + 8) % 32).toBe(0);
    w.crt('_aligned_free', c);
    expect(() => w.crt('_aligned_malloc', 16, 24)).toThrow(CrtInvalidParameterError);
  });
});

describe('searching with guest callbacks', () => {
  // int cmp(void *ctx, const void *a, const void *b) { return *(int *)a - *(int *)b; } with the context unused.
  const cmpCtx = () => code([0x8b, 0x44, 0x24, 0x08, 0x8b, 0x00, 0x8b, 0x4c, 0x24, 0x0c, 0x2b, 0x01, 0xc3]);
  // int cmp(const void *a, const void *b)
  const cmp = () => code([0x8b, 0x44, 0x24, 0x04, 0x8b, 0x00, 0x8b, 0x4c, 0x24, 0x08, 0x2b, 0x01, 0xc3]);

  test('qsort_s / bsearch_s pass the context first', () => {
    const arr = w.buf(20);
    [5, -1, 3, 9, 0].forEach((v, i) => w.cpu.mem.setU32(arr + 4 * i, v >>> 0));
    const f = cmpCtx();
    w.crt('qsort_s', arr, 5, 4, f, 0x1234);
    expect([0, 1, 2, 3, 4].map((i) => w.i32(arr + 4 * i))).toEqual([-1, 0, 3, 5, 9]);
    const key = w.buf(4);
    w.cpu.mem.setU32(key, 5);
    expect(w.crt('bsearch_s', key, arr, 5, 4, f, 0)).toBe(arr + 12);
  });

  test('_lfind and _lsearch (which appends a missing key)', () => {
    const arr = w.buf(16);
    const n = w.buf(4);
    [7, 8].forEach((v, i) => w.cpu.mem.setU32(arr + 4 * i, v));
    w.cpu.mem.setU32(n, 2);
    const key = w.buf(4);
    w.cpu.mem.setU32(key, 8);
    expect(w.crt('_lfind', key, arr, n, 4, cmp())).toBe(arr + 4);
    w.cpu.mem.setU32(key, 9);
    expect(w.crt('_lfind', key, arr, n, 4, cmp())).toBe(0);
    expect(w.crt('_lsearch', key, arr, n, 4, cmp())).toBe(arr + 8);
    expect([w.u32(n), w.u32(arr + 8)]).toEqual([3, 9]);
  });
});

describe('error texts and small conversions', () => {
  test('perror writes "prefix: text" to stderr; _sys_errlist and _sys_nerr; _wcserror', () => {
    let err = '';
    const w2 = win32({ output: (stream, bytes) => (err += stream === 'stderr' ? String.fromCharCode(...bytes) : '') });
    w2.cpu.mem.setU32(w2.crt('_errno'), 2);
    w2.crt('perror', w2.str('open'));
    w2.crt('perror', 0);
    expect(err).toBe('open: No such file or directory\nNo such file or directory\n');
    const list = w2.addr('msvcrt.dll', '_sys_errlist'); // the array itself (char *_sys_errlist[])
    expect(w2.readStr(w2.u32(list + 4 * 13))).toBe('Permission denied');
    expect(w2.u32(w2.addr('msvcrt.dll', '_sys_nerr'))).toBe(43);
    expect(w2.readWStr(w2.crt('_wcserror', 34))).toBe('Result too large');
  });

  test('_atodbl and _atoflt report overflow (3) and underflow (4)', () => {
    const out = w.buf(8);
    expect(w.crt('_atodbl', out, w.str('2.5'))).toBe(0);
    expect(w.cpu.mem.f64(out)).toBe(2.5);
    expect(w.crt('_atodbl', out, w.str('1e999'))).toBe(3);
    expect(w.crt('_atoflt', out, w.str('1e-50'))).toBe(4);
    expect(w.crt('_atoflt', out, w.str('0.5'))).toBe(0);
    expect(w.cpu.mem.f32(out)).toBe(0.5);
  });
});

describe('_ecvt / _fcvt', () => {
  const run = (dll: string, name: string, v: number, count: number) => {
    const dec = w.buf(4);
    const sign = w.buf(4);
    const s = w.call(dll, name, [{ double: v }, count, dec, sign]);
    return [w.readStr(s), w.i32(dec), w.i32(sign)];
  };

  test('Microsoft\'s examples and the sign, point and rounding', () => {
    expect(run('msvcrt.dll', '_ecvt', 3.1415926535, 10)).toEqual(['3141592654', 1, 0]);
    expect(run('msvcrt.dll', '_fcvt', 3.1415926535, 7)).toEqual(['31415927', 1, 0]);
    expect(run('msvcrt.dll', '_ecvt', -0.000123, 3)).toEqual(['123', -3, 1]);
    expect(run('msvcrt.dll', '_fcvt', 1234.5678, 2)).toEqual(['123457', 4, 0]);
    expect(run('msvcrt.dll', '_ecvt', 9.99, 2)).toEqual(['10', 2, 0]);
  });

  test('the digits follow the runtime: 17 significant ones in msvcrt, exact in the ucrt', () => {
    expect(run('msvcrt.dll', '_ecvt', 0.1, 20)[0]).toBe('10000000000000001000');
    expect(run('ucrtbase.dll', '_ecvt', 0.1, 20)[0]).toBe('10000000000000000555');
  });

  test('_ecvt_s wants room for the digits and the terminator', () => {
    w.crt('_set_invalid_parameter_handler', nop());
    const b = w.buf(8);
    const dec = w.buf(4);
    const sign = w.buf(4);
    expect(w.crt('_ecvt_s', b, 8, { double: 2.5 }, 3, dec, sign)).toBe(0);
    expect([w.readStr(b), w.i32(dec)]).toEqual(['250', 1]);
    expect(w.crt('_ecvt_s', b, 3, { double: 2.5 }, 3, dec, sign)).toBe(ERANGE);
  });
});

test('rand\'s seed is per thread: a new thread starts from 1 whatever the main thread did', () => {
  w.crt('srand', 12345);
  const mainFirst = w.crt('rand');
  // DWORD WINAPI proc(void *out): *out = rand(); return 0;
  const code = w.cpu.mem.map(0x1000, PROT.rwx);
  const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  // prettier-ignore
  w.cpu.mem.write(code, Uint8Array.from([
    0xb8, ...le(w.addr('msvcrt.dll', 'rand')), 0xff, 0xd0, // call rand
    0x8b, 0x4c, 0x24, 0x04, 0x89, 0x01, // mov ecx,[esp+4]; mov [ecx],eax
    0x31, 0xc0, 0xc2, 0x04, 0x00, // xor eax,eax; ret 4
  ]));
  const out = w.buf(4);
  const h = w.k32('CreateThread', 0, 0, code, out, 0, 0);
  expect(w.k32('WaitForSingleObject', h, 0xffff_ffff)).toBe(0);
  expect(w.u32(out)).toBe(41);
  // The main thread's sequence went on undisturbed: seed 12345's second value.
  let seed = 12345;
  const next = () => ((seed = (Math.imul(seed, 214013) + 2531011) >>> 0), (seed >>> 16) & 0x7fff);
  expect(mainFirst).toBe(next());
  expect(w.crt('rand')).toBe(next());
});

test('errno is per thread: another thread has its own _errno() cell', () => {
  const mine = w.crt('_errno');
  w.cpu.mem.setU32(mine, 34);
  // DWORD WINAPI proc(void *out): out[0] = (DWORD)_errno(); out[1] = *_errno(); return 0;
  const code = w.cpu.mem.map(0x1000, PROT.rwx);
  const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  // prettier-ignore
  w.cpu.mem.write(code, Uint8Array.from([
    0xb8, ...le(w.addr('msvcrt.dll', '_errno')), 0xff, 0xd0, // call _errno
    0x8b, 0x4c, 0x24, 0x04, 0x89, 0x01, // mov ecx,[esp+4]; mov [ecx],eax
    0x8b, 0x00, 0x89, 0x41, 0x04, // mov eax,[eax]; mov [ecx+4],eax
    0x31, 0xc0, 0xc2, 0x04, 0x00, // xor eax,eax; ret 4
  ]));
  const out = w.buf(8);
  const h = w.k32('CreateThread', 0, 0, code, out, 0, 0);
  expect(w.k32('WaitForSingleObject', h, 0xffff_ffff)).toBe(0);
  expect(w.u32(out)).not.toBe(mine);
  expect(w.u32(out + 4)).toBe(0);
  expect(w.u32(w.crt('_errno'))).toBe(34);
});
