// msvcrt.dll as guest code calls it (cdecl, through the trap stubs): strings, number parsing, sorting with
// a guest comparator, the sprintf family's return values, the heap functions, start-up tables, the "C"
// locale and strerror.
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../emulator/memory.js';
import { win32, type Win32 } from '../helpers/win32.js';

const ERANGE = 34;
const ENOMEM = 12;

let w: Win32;
let out: string;
beforeEach(() => {
  out = '';
  w = win32({ output: (_stream, bytes) => (out += String.fromCharCode(...bytes)) });
});

const errno = () => w.u32(w.crt('_errno'));
const setErrno = (v: number) => w.cpu.mem.setU32(w.crt('_errno'), v);

/** Machine code in an executable page; returns its address. */
function code(bytes: number[]): number {
  const at = w.cpu.mem.map(0x1000, PROT.rwx);
  w.cpu.mem.write(at, Uint8Array.from(bytes));
  return at;
}
const le32 = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];

describe('<string.h>', () => {
  test('lengths, copies and concatenation', () => {
    const buf = w.buf(64);
    expect(w.crt('strlen', w.str('hello'))).toBe(5);
    expect(w.crt('strlen', w.str(''))).toBe(0);
    expect(w.crt('strnlen', w.str('hello'), 3)).toBe(3);
    expect(w.crt('strcpy', buf, w.str('abc'))).toBe(buf);
    expect(w.crt('strcat', buf, w.str('def'))).toBe(buf);
    expect(w.readStr(buf)).toBe('abcdef');
    w.crt('strncat', buf, w.str('ghijk'), 2);
    expect(w.readStr(buf)).toBe('abcdefgh');
    // strncpy pads with NULs up to n, and does not terminate when the source is longer.
    w.cpu.mem.fill(buf, 0x78, 16);
    w.crt('strncpy', buf, w.str('ab'), 5);
    expect([...w.cpu.mem.read(buf, 6)]).toEqual([0x61, 0x62, 0, 0, 0, 0x78]);
    w.crt('strncpy', buf, w.str('abcdefgh'), 3);
    expect([...w.cpu.mem.read(buf, 4)]).toEqual([0x61, 0x62, 0x63, 0]);
    const dup = w.crt('_strdup', w.str('copy me'));
    expect(w.readStr(dup)).toBe('copy me');
    expect(w.crt('_msize', dup)).toBe(8);
  });

  test('comparisons: unsigned bytes, -1/0/1, case folding to lower case', () => {
    const cmp = (f: string, a: string, b: string, n?: number) => w.crt(f, w.str(a), w.str(b), ...(n === undefined ? [] : [n])) | 0;
    expect(cmp('strcmp', 'abc', 'abc')).toBe(0);
    expect(cmp('strcmp', 'abc', 'abd')).toBe(-1);
    expect(cmp('strcmp', 'abc', 'ab')).toBe(1);
    expect(cmp('strcmp', '\u00e9', 'z')).toBe(1); // 0xE9 > 'z': bytes compare unsigned
    expect(cmp('strncmp', 'abcX', 'abcY', 3)).toBe(0);
    expect(cmp('strncmp', 'abcX', 'abcY', 4)).toBe(-1);
    expect(cmp('_stricmp', 'HeLLo', 'hello')).toBe(0);
    expect(cmp('_stricmp', '_', 'A')).toBe(-1); // '_' (0x5F) < 'a' (0x61): _stricmp lowers both
    expect(cmp('_strnicmp', 'ABCdef', 'abcXYZ', 3)).toBe(0);
    expect(w.crt('memcmp', w.bytes([1, 2, 0x80]), w.bytes([1, 2, 0x7f]), 3) | 0).toBe(1);
    expect(w.crt('memcmp', w.bytes([1]), w.bytes([2]), 0)).toBe(0);
  });

  test('searching', () => {
    const s = w.str('hello world');
    expect(w.crt('strchr', s, 0x6f)).toBe(s + 4);
    expect(w.crt('strrchr', s, 0x6f)).toBe(s + 7);
    expect(w.crt('strchr', s, 0)).toBe(s + 11); // the terminator is part of the string
    expect(w.crt('strchr', s, 0x7a)).toBe(0);
    const e = w.str('caf\u00e9');
    expect(w.crt('strchr', e, -23)).toBe(e + 3); // (char)0xE9 promoted to int is -23
    expect(w.crt('strstr', s, w.str('o w'))).toBe(s + 4);
    expect(w.crt('strstr', s, w.str(''))).toBe(s);
    expect(w.crt('strstr', s, w.str('xyz'))).toBe(0);
    expect(w.crt('strspn', s, w.str('leh'))).toBe(4);
    expect(w.crt('strcspn', s, w.str(' '))).toBe(5);
    expect(w.crt('strpbrk', s, w.str('wr'))).toBe(s + 6);
    expect(w.crt('strpbrk', s, w.str('xyz'))).toBe(0);
    expect(w.crt('memchr', s, 0x77, 11)).toBe(s + 6);
    expect(w.crt('memchr', s, 0x77, 6)).toBe(0);
  });

  test('memset, memcpy and memmove (overlapping)', () => {
    const b = w.bytes([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(w.crt('memmove', b + 1, b, 6)).toBe(b + 1);
    expect([...w.cpu.mem.read(b, 8)]).toEqual([1, 1, 2, 3, 4, 5, 6, 8]);
    w.crt('memcpy', b, b + 4, 4);
    expect([...w.cpu.mem.read(b, 8)]).toEqual([4, 5, 6, 8, 4, 5, 6, 8]);
    expect(w.crt('memset', b, 0x1ff, 3)).toBe(b);
    expect([...w.cpu.mem.read(b, 4)]).toEqual([0xff, 0xff, 0xff, 8]);
  });

  test('_strlwr, _strupr, tolower, toupper: ASCII only in the "C" locale', () => {
    const s = w.str('MiXeD \u00c9');
    w.crt('_strlwr', s);
    expect(w.readStr(s)).toBe('mixed \u00c9');
    w.crt('_strupr', s);
    expect(w.readStr(s)).toBe('MIXED \u00c9');
    expect([w.crt('toupper', 0x61), w.crt('tolower', 0x41), w.crt('toupper', 0xe9), w.crt('tolower', -1) | 0]).toEqual([0x41, 0x61, 0xe9, -1]);
    // The class functions return the table's bits under their mask: _ALPHA is 0x100 | _UPPER | _LOWER, so
    // isalpha('A') is 0x101; _DIGIT 4, _SPACE 8, _PUNCT 0x10.
    expect([w.crt('isalpha', 0x41), w.crt('isdigit', 0x35), w.crt('isspace', 0x0b), w.crt('isxdigit', 0x47), w.crt('ispunct', 0x21)]).toEqual([0x101, 4, 8, 0, 0x10]);
  });

  test('wide strings', () => {
    const s = w.wstr('wide \u20ac');
    expect(w.crt('wcslen', s)).toBe(6);
    const d = w.buf(32);
    expect(w.crt('wcscpy', d, s)).toBe(d);
    expect(w.readWStr(d)).toBe('wide \u20ac');
    expect(w.crt('wcscmp', s, d)).toBe(0);
    expect(w.crt('wcscmp', s, w.wstr('wide!')) | 0).toBe(-1); // ' ' < '!'
    expect(w.crt('wcscmp', s, w.wstr('wide ')) | 0).toBe(1);
    expect(w.crt('wcschr', s, 0x20ac)).toBe(s + 10);
  });
});

describe('strtol / strtoul', () => {
  const parse = (f: 'strtol' | 'strtoul', text: string, base: number) => {
    const s = w.str(text);
    const end = w.buf(4);
    setErrno(0);
    const v = w.crt(f, s, end, base);
    return { value: f === 'strtol' ? v | 0 : v, end: w.u32(end) - s, errno: errno() };
  };
  const cases: [string, number, 'strtol' | 'strtoul', { value: number; end: number; errno: number }][] = [
    ['  -123abc', 10, 'strtol', { value: -123, end: 6, errno: 0 }],
    ['\t\n +42', 10, 'strtol', { value: 42, end: 6, errno: 0 }],
    ['0x1A', 0, 'strtol', { value: 26, end: 4, errno: 0 }],
    ['0X1a', 16, 'strtol', { value: 26, end: 4, errno: 0 }],
    ['0x', 16, 'strtol', { value: 0, end: 1, errno: 0 }], // "0", then an x that starts no number
    ['0xg', 0, 'strtol', { value: 0, end: 1, errno: 0 }],
    ['017', 0, 'strtol', { value: 15, end: 3, errno: 0 }],
    ['08', 0, 'strtol', { value: 0, end: 1, errno: 0 }], // octal: 8 is not a digit
    ['-0x10', 0, 'strtol', { value: -16, end: 5, errno: 0 }],
    ['zz', 36, 'strtol', { value: 1295, end: 2, errno: 0 }],
    ['1010', 2, 'strtol', { value: 10, end: 4, errno: 0 }],
    ['abc', 10, 'strtol', { value: 0, end: 0, errno: 0 }], // nothing parsed: endptr is the string
    ['   ', 10, 'strtol', { value: 0, end: 0, errno: 0 }],
    ['-', 10, 'strtol', { value: 0, end: 0, errno: 0 }],
    ['2147483647', 10, 'strtol', { value: 2147483647, end: 10, errno: 0 }],
    ['2147483648', 10, 'strtol', { value: 2147483647, end: 10, errno: ERANGE }],
    ['-2147483648', 10, 'strtol', { value: -2147483648, end: 11, errno: 0 }],
    ['-2147483649', 10, 'strtol', { value: -2147483648, end: 11, errno: ERANGE }],
    ['99999999999999999999999x', 10, 'strtol', { value: 2147483647, end: 23, errno: ERANGE }],
    ['4294967295', 10, 'strtoul', { value: 4294967295, end: 10, errno: 0 }],
    ['4294967296', 10, 'strtoul', { value: 4294967295, end: 10, errno: ERANGE }],
    ['-1', 10, 'strtoul', { value: 4294967295, end: 2, errno: 0 }], // negated in unsigned arithmetic
    ['-4294967295', 10, 'strtoul', { value: 1, end: 11, errno: 0 }],
    ['-4294967296', 10, 'strtoul', { value: 4294967295, end: 11, errno: ERANGE }],
    ['0xffffffff', 0, 'strtoul', { value: 0xffffffff, end: 10, errno: 0 }],
  ];
  test.each(cases)('%j in base %i (%s)', (text, base, f, expected) => {
    expect(parse(f, text, base)).toEqual(expected);
  });

  test('atoi and atol stop at the first non-digit and clamp', () => {
    expect(w.crt('atoi', w.str('  12ab')) | 0).toBe(12);
    expect(w.crt('atol', w.str('-7')) | 0).toBe(-7);
    expect(w.crt('atoi', w.str('x'))).toBe(0);
    setErrno(0);
    expect(w.crt('atoi', w.str('99999999999')) | 0).toBe(2147483647);
    expect(errno()).toBe(ERANGE);
    setErrno(0);
    expect(w.crt('atol', w.str('-99999999999')) | 0).toBe(-2147483648);
    expect(errno()).toBe(ERANGE);
  });
});

describe('strtod', () => {
  const texts = [
    '3.14159',
    '  -2.5e-3xyz',
    '0.1',
    '1e308',
    '2.2250738585072011e-308', // the largest subnormal, a classic hard case
    '2.2250738585072012e-308',
    '9007199254740993', // 2^53 + 1: halfway, rounds to even
    '123456789012345678901234567890',
    '.5',
    '5.',
    '-.5e1',
    '1.e5',
    '123.456e',
    '+0',
    '-0',
    '4.9406564584124654e-324',
    '0.000000000000000000000000000000000000000000001',
    '1.7976931348623157e308',
  ];
  test.each(texts)('%j is read exactly as JS reads it', (text) => {
    const s = w.str(text);
    const end = w.buf(4);
    w.crt('strtod', s, end);
    const v = w.st0();
    const m = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text)!;
    const expected = Number(m[0].trim().replace(/\.(?=[eE]|$)/, ''));
    expect(Object.is(v, expected) || v === expected, `${v} vs ${expected}`).toBe(true);
    expect(Object.is(v, -0)).toBe(Object.is(expected, -0));
    expect(w.u32(end) - s).toBe(m[0].length);
  });

  test('out of range: HUGE_VAL or 0 with ERANGE; nothing to read: 0 and endptr at the start', () => {
    const end = w.buf(4);
    setErrno(0);
    let s = w.str('1e400');
    w.crt('strtod', s, end);
    expect([w.st0(), errno(), w.u32(end) - s]).toEqual([Infinity, ERANGE, 5]);
    setErrno(0);
    s = w.str('-1e-400');
    w.crt('strtod', s, end);
    const tiny = w.st0();
    expect([Object.is(tiny, -0), errno()]).toEqual([true, ERANGE]);
    s = w.str('  xyz');
    w.crt('strtod', s, end);
    expect([w.st0(), w.u32(end)]).toEqual([0, s]);
    w.crt('atof', w.str('6.02e23 molecules'));
    expect(w.st0()).toBe(6.02e23);
  });
});

describe('qsort and bsearch with a guest comparator', () => {
  // int cmp(const int *a, const int *b) { return (*a > *b) - (*a < *b); }  (cdecl)
  const compare = () =>
    code([
      0x8b, 0x44, 0x24, 0x04, // mov eax,[esp+4]
      0x8b, 0x00, // mov eax,[eax]
      0x8b, 0x4c, 0x24, 0x08, // mov ecx,[esp+8]
      0x8b, 0x09, // mov ecx,[ecx]
      0x31, 0xd2, // xor edx,edx
      0x39, 0xc8, // cmp eax,ecx
      0x0f, 0x9f, 0xc2, // setg dl
      0x0f, 0x9c, 0xc0, // setl al
      0x0f, 0xb6, 0xc0, // movzx eax,al
      0x29, 0xc2, // sub edx,eax
      0x89, 0xd0, // mov eax,edx
      0xc3, // ret
    ]);

  test('sorts ints as the comparator orders them (signed)', () => {
    const cmp = compare();
    let x = 12345;
    const values = Array.from({ length: 300 }, () => ((x = (x * 1103515245 + 12345) >>> 0), (x | 0) >> 3));
    values.push(-2147483648, 2147483647, 0, 0);
    const arr = w.buf(4 * values.length);
    values.forEach((v, i) => w.cpu.mem.setU32(arr + 4 * i, v));
    w.crt('qsort', arr, values.length, 4, cmp);
    const sorted = Array.from({ length: values.length }, (_, i) => w.i32(arr + 4 * i));
    expect(sorted).toEqual([...values].sort((a, b) => a - b));

    // bsearch finds present keys (their address) and misses absent ones.
    const key = w.buf(4);
    for (const i of [0, 1, 150, values.length - 1]) {
      w.cpu.mem.setU32(key, sorted[i]!);
      const found = w.crt('bsearch', key, arr, values.length, 4, cmp);
      expect(w.i32(found)).toBe(sorted[i]);
    }
    w.cpu.mem.setU32(key, 7);
    expect(sorted.includes(7)).toBe(false);
    expect(w.crt('bsearch', key, arr, values.length, 4, cmp)).toBe(0);
  });

  test('elements larger than the key move whole', () => {
    // struct { int key; int payload; } sorted by key: payloads follow their keys.
    const cmp = compare();
    const keys = [5, -1, 3, 3, 9, 0];
    const arr = w.buf(8 * keys.length);
    keys.forEach((k, i) => {
      w.cpu.mem.setU32(arr + 8 * i, k);
      w.cpu.mem.setU32(arr + 8 * i + 4, 100 + i);
    });
    w.crt('qsort', arr, keys.length, 8, cmp);
    const rows = Array.from({ length: keys.length }, (_, i) => [w.i32(arr + 8 * i), w.i32(arr + 8 * i + 4)]);
    expect(rows.map(([k]) => k)).toEqual([-1, 0, 3, 3, 5, 9]);
    expect(rows.map(([k, p]) => keys[p! - 100])).toEqual(rows.map(([k]) => k));
  });
});

describe('sprintf family', () => {
  test('sprintf returns the length and terminates', () => {
    const buf = w.buf(64);
    expect(w.crt('sprintf', buf, w.str('%d-%s-%.2f'), 42, w.str('x'), { double: 2.5 })).toBe(9);
    expect(w.readStr(buf)).toBe('42-x-2.50');
  });

  test('_snprintf: -1 and no terminator when the text does not fit; no terminator when it fits exactly', () => {
    const buf = w.buf(16);
    const fresh = () => w.cpu.mem.fill(buf, 0x23, 16);
    fresh();
    expect(w.crt('_snprintf', buf, 5, w.str('hello world')) | 0).toBe(-1);
    expect(String.fromCharCode(...w.cpu.mem.read(buf, 6))).toBe('hello#');
    fresh();
    expect(w.crt('_snprintf', buf, 5, w.str('%s'), w.str('hello'))).toBe(5);
    expect(String.fromCharCode(...w.cpu.mem.read(buf, 6))).toBe('hello#');
    fresh();
    expect(w.crt('_snprintf', buf, 10, w.str('hi %d'), 7)).toBe(4);
    expect([...w.cpu.mem.read(buf, 5)]).toEqual([0x68, 0x69, 0x20, 0x37, 0]);
    fresh();
    expect(w.crt('_snprintf', buf, 0, w.str('x')) | 0).toBe(-1);
    expect(w.cpu.mem.u8(buf)).toBe(0x23);
  });

  test('_vsnprintf and vsprintf read a va_list from guest memory', () => {
    const va = w.buf(32);
    w.cpu.mem.setU32(va, 0xff);
    w.cpu.mem.setF64(va + 4, -1.25);
    w.cpu.mem.setU32(va + 12, w.str('end'));
    const buf = w.buf(32);
    expect(w.crt('_vsnprintf', buf, 32, w.str('%#x %g %s'), va)).toBe(14);
    expect(w.readStr(buf)).toBe('0xff -1.25 end');
    expect(w.crt('_vsnprintf', buf, 4, w.str('%#x %g %s'), va) | 0).toBe(-1);
    expect(w.crt('vsprintf', buf, w.str('[%s]'), va + 12)).toBe(5);
    expect(w.readStr(buf)).toBe('[end]');
  });

  test('printf, puts, fputs and fwrite reach the process output', () => {
    expect(w.crt('printf', w.str('%s=%d\n'), w.str('n'), 5)).toBe(4);
    expect(w.crt('puts', w.str('line'))).toBe(0);
    const stdout = w.crt('__iob_func') + 32;
    expect(w.crt('fputs', w.str('abc'), stdout)).toBe(0);
    expect(w.crt('fwrite', w.str('xyz'), 1, 2, stdout)).toBe(2);
    expect(out).toBe('n=5\nline\nabcxy');
  });
});

describe('heap functions', () => {
  test('malloc, _msize, realloc (keeps the bytes), free', () => {
    const a = w.crt('malloc', 10);
    expect(a % 8).toBe(0);
    expect(w.crt('_msize', a)).toBe(10);
    w.cpu.mem.write(a, Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    w.crt('malloc', 10); // a neighbour, so that growing moves the block
    const b = w.crt('realloc', a, 100000);
    expect(b).not.toBe(a);
    expect([...w.cpu.mem.read(b, 10)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(w.crt('_msize', b)).toBe(100000);
    w.crt('free', b);
    w.crt('free', 0);
    expect(w.p.heap.isBlock(b)).toBe(false);
  });

  test('calloc zeroes; an overflowing count*size fails with ENOMEM', () => {
    const dirty = w.crt('malloc', 100);
    w.cpu.mem.fill(dirty, 0xaa, 100);
    w.crt('free', dirty);
    const c = w.crt('calloc', 4, 25);
    expect(w.crt('_msize', c)).toBe(100);
    expect(w.cpu.mem.read(c, 100).every((x) => x === 0)).toBe(true);
    setErrno(0);
    expect(w.crt('calloc', 0x1_0000, 0x1_0000)).toBe(0);
    expect(errno()).toBe(ENOMEM);
  });

  test('realloc(NULL, n) allocates; realloc(p, 0) frees and returns NULL', () => {
    const a = w.crt('realloc', 0, 16);
    expect(w.crt('_msize', a)).toBe(16);
    expect(w.crt('realloc', a, 0)).toBe(0);
    expect(w.p.heap.isBlock(a)).toBe(false);
  });
});

describe('start-up tables', () => {
  /** A function that appends `id` to a log in guest memory and returns `ret`. */
  function logger(logBase: number, countAt: number, id: number, ret: number): number {
    return code([
      0xa1, ...le32(countAt), // mov eax,[count]
      0xc7, 0x04, 0x85, ...le32(logBase), ...le32(id), // mov dword [eax*4+log], id
      0xff, 0x05, ...le32(countAt), // inc dword [count]
      0xb8, ...le32(ret), // mov eax, ret
      0xc3, // ret
    ]);
  }

  test('_initterm calls every non-NULL pointer in order; _initterm_e stops at the first failure', () => {
    const log = w.buf(64);
    const count = w.buf(4);
    const read = () => Array.from({ length: w.u32(count) }, (_, i) => w.u32(log + 4 * i));
    const table = w.buf(16);
    [logger(log, count, 1, 0), 0, logger(log, count, 2, 0), logger(log, count, 3, 0)].forEach((f, i) => w.cpu.mem.setU32(table + 4 * i, f));
    w.crt('_initterm', table, table + 16);
    expect(read()).toEqual([1, 2, 3]);
    w.crt('_initterm', table, table); // an empty range
    expect(read()).toEqual([1, 2, 3]);

    w.cpu.mem.setU32(count, 0);
    [logger(log, count, 4, 0), logger(log, count, 5, 28), logger(log, count, 6, 0)].forEach((f, i) => w.cpu.mem.setU32(table + 4 * i, f));
    expect(w.crt('_initterm_e', table, table + 12)).toBe(28);
    expect(read()).toEqual([4, 5]);
  });
});

test('__dllonexit grows a DLL\'s private exit table on the CRT heap', () => {
  const pbegin = w.buf(4);
  const pend = w.buf(4);
  for (let f = 1; f <= 40; f++) expect(w.crt('__dllonexit', 0x1000 + f, pbegin, pend)).toBe(0x1000 + f);
  const begin = w.u32(pbegin);
  expect(w.u32(pend) - begin).toBe(160);
  expect(Array.from({ length: 40 }, (_, i) => w.u32(begin + 4 * i))).toEqual(Array.from({ length: 40 }, (_, i) => 0x1001 + i));
  expect(w.p.heap.size(begin)).toBeGreaterThanOrEqual(160);
});

describe('locale and errors', () => {
  test('setlocale knows the "C" locale only', () => {
    expect(w.readStr(w.crt('setlocale', 0, 0))).toBe('C'); // LC_ALL, query
    expect(w.readStr(w.crt('setlocale', 0, w.str('C')))).toBe('C');
    expect(w.crt('setlocale', 0, w.str('French_France.1252'))).toBe(0);
  });

  test('localeconv: "." as the decimal point, empty strings, CHAR_MAX for the rest', () => {
    const lc = w.crt('localeconv');
    expect(w.readStr(w.u32(lc))).toBe('.');
    for (let i = 1; i < 10; i++) expect(w.readStr(w.u32(lc + 4 * i))).toBe('');
    expect([...w.cpu.mem.read(lc + 40, 8)]).toEqual([127, 127, 127, 127, 127, 127, 127, 127]);
    expect(w.crt('localeconv')).toBe(lc);
  });

  test.each([
    [0, 'No error'],
    [2, 'No such file or directory'],
    [12, 'Not enough space'],
    [13, 'Permission denied'],
    [16, 'Resource device'],
    [22, 'Invalid argument'],
    [34, 'Result too large'],
    [42, 'Illegal byte sequence'],
    [15, 'Unknown error'],
    [1000, 'Unknown error'],
    [-1, 'Unknown error'],
  ])('strerror(%i) is %j', (e, text) => {
    expect(w.readStr(w.crt('strerror', e))).toBe(text);
  });
});
