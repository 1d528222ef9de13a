// The FFI against the demo fixture (fixtures/demo/demo.c), built by mingw and by clang in MSVC mode:
// calling conventions, decorated names, every integer width, bool/char/wchar_t, float and double,
// buffers, strings, structs by pointer / by value / returned, raw guest memory, callbacks, function
// pointers handed out, per-instance state. Expected values are worked out from demo.c by hand.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  ArgumentCountError,
  ArgumentTypeError,
  ExportNotFoundError,
  loadSync,
  StackImbalanceError,
  struct,
  WowasmError,
  type Library,
} from '../../worker/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/bin/${name}`, import.meta.url));

// The structs of demo.c, field for field.
struct('Counter', { total: 'int' });
struct('Point', { x: 'double', y: 'double' });
struct('Rect', { left: 'int', top: 'int', right: 'int', bottom: 'int' });
struct('ShortPair', { a: 'short', b: 'short' });
struct('Mixed', { c: 'char', d: 'double', i: 'int' });
struct('IntPair', { a: 'int', b: 'int' });
struct('Tiny', { c: 'char' });
struct('Record', { id: 'int', name: 'char[16]', values: 'double[3]', tags: 'short[4]' });
struct('Shape', { origin: 'Point', box: 'Rect' });

/** What the MSVC-style build's linker writes for decorated names, next to mingw's (fixtures/README.md). */
const DECORATED = {
  mingw: { add: 'add@8', sum8: 'sum8@32', fast_add3: '@fast_add3@12', make_rect: 'make_rect@16' },
  msvc: { add: '_add@8', sum8: '_sum8@32', fast_add3: '@fast_add3@12', make_rect: '_make_rect@16' },
};

const i32s = (lib: Library, addr: number, n: number) => [...new Int32Array(lib.memory.read(addr, 4 * n).slice().buffer)];
const i32at = (lib: Library, addr: number) => new DataView(lib.memory.read(addr, 4).buffer).getInt32(0, true);
const u32at = (lib: Library, addr: number) => new DataView(lib.memory.read(addr, 4).buffer).getUint32(0, true);

describe.each(['mingw', 'msvc'] as const)('demo-%s.dll', (flavour) => {
  const file = fixture(`demo-${flavour}.dll`);
  let lib: Library;
  beforeAll(() => {
    lib = loadSync(file);
  });
  afterAll(() => lib.close());

  describe('calling conventions', () => {
    test('__stdcall: the callee pops its arguments', () => {
      const add = lib.func('int __stdcall add(int a, int b)');
      expect(add(2, 3)).toBe(5);
      expect(add(-7, 3)).toBe(-4);
      expect(add(0x7fff_ffff, 1)).toBe(-0x8000_0000); // int arithmetic wraps
    });

    test('__cdecl: the caller pops', () => {
      const sub = lib.func('int __cdecl sub(int a, int b)');
      expect(sub(2, 3)).toBe(-1);
      expect(sub(-0x8000_0000, 1)).toBe(0x7fff_ffff);
    });

    test('a prototype without a convention is __cdecl', () => {
      expect(lib.func('int sub(int a, int b)')(10, 4)).toBe(6);
    });

    test('__fastcall: the first two arguments in ECX and EDX, the third on the stack', () => {
      const f = lib.func('int __fastcall fast_add3(int a, int b, int c)');
      expect(f(1, 20, 300)).toBe(321);
      expect(f(-1, -2, -3)).toBe(-6);
    });

    test('__thiscall: `this` in ECX; the struct behind a non-const pointer is updated in place', () => {
      const counterAdd = lib.func('int __thiscall counter_add(Counter *self, int v)');
      const counterGet = lib.func('int counter_get(const Counter *c)');
      const c = { total: 5 };
      expect(counterAdd(c, 3)).toBe(8);
      expect(c).toEqual({ total: 8 });
      expect(counterAdd(c, -10)).toBe(-2);
      expect(c.total).toBe(-2);
      expect(counterGet(c)).toBe(-2);
    });

    test('eight __stdcall arguments', () => {
      const sum8 = lib.func('int __stdcall sum8(int a, int b, int c, int d, int e, int f, int g, int h)');
      expect(sum8(1, 2, 3, 4, 5, 6, 7, 8)).toBe(36);
      expect(sum8(1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000)).toBe(11_111_111);
    });
  });

  describe('export names', () => {
    test('a plain name finds the decorated export', () => {
      const names = DECORATED[flavour];
      expect(lib.func('int __stdcall add(int a, int b)').address).toBe(lib.symbol(names.add));
      expect(lib.func('int __stdcall sum8(int, int, int, int, int, int, int, int)').address).toBe(lib.symbol(names.sum8));
      expect(lib.func('int __fastcall fast_add3(int, int, int)').address).toBe(lib.symbol(names.fast_add3));
      expect(lib.func('Rect __stdcall make_rect(int, int, int, int)').address).toBe(lib.symbol(names.make_rect));
    });

    test('a missing export is an ExportNotFoundError that suggests close names', () => {
      for (const typo of ['ad', 'addd', 'Add']) {
        const e = catchError(() => lib.func(`int __stdcall ${typo}(int a, int b)`));
        expect(e).toBeInstanceOf(ExportNotFoundError);
        expect((e as ExportNotFoundError).detail.closeMatches).toContain(DECORATED[flavour].add);
        expect((e as Error).message).toContain(`has no export named ${typo}`);
        expect((e as Error).message).toContain(DECORATED[flavour].add);
      }
    });

    test('symbol() of a missing name is an ExportNotFoundError too', () => {
      expect(() => lib.symbol('no_such_export')).toThrow(ExportNotFoundError);
    });
  });

  describe('integers', () => {
    test('8-bit results are truncated to AL and sign- or zero-extended', () => {
      const neg = lib.func('signed char neg_i8(signed char x)');
      const inc = lib.func('unsigned char inc_u8(unsigned char x)');
      expect(neg(5)).toBe(-5);
      expect(neg(-128)).toBe(-128);
      expect(neg(-1)).toBe(1);
      expect(inc(255)).toBe(0);
      expect(inc(127)).toBe(128);
      expect(inc(-1)).toBe(0); // -1 is 0xff as an unsigned char
    });

    test('16-bit results are truncated to AX', () => {
      const neg = lib.func('short neg_i16(short x)');
      const inc = lib.func('unsigned short inc_u16(unsigned short x)');
      expect(neg(5)).toBe(-5);
      expect(neg(-32768)).toBe(-32768);
      expect(inc(65535)).toBe(0); // msvc: `inc eax` leaves 0x10000 in EAX
      expect(inc(0x7fff)).toBe(0x8000);
    });

    test('unsigned 32-bit results are non-negative numbers', () => {
      const inc = lib.func('unsigned int inc_u32(unsigned int x)');
      expect(inc(0xffff_ffff)).toBe(0);
      expect(inc(0x7fff_ffff)).toBe(0x8000_0000);
      expect(inc(-2)).toBe(0xffff_ffff);
    });

    test('<stdint.h> and Windows spellings of the same types', () => {
      expect(lib.func('int8_t neg_i8(int8_t x)')(100)).toBe(-100);
      expect(lib.func('uint8_t inc_u8(uint8_t x)')(0xff)).toBe(0);
      expect(lib.func('BYTE inc_u8(BYTE x)')(0x7f)).toBe(0x80);
      expect(lib.func('int16_t neg_i16(int16_t x)')(-300)).toBe(300);
      expect(lib.func('WORD inc_u16(WORD x)')(0xffff)).toBe(0);
      expect(lib.func('DWORD inc_u32(DWORD x)')(0xffff_ffff)).toBe(0);
      expect(lib.func('int64_t mul_i64(int64_t a, int64_t b)')(-3n, 7n)).toBe(-21n);
      expect(lib.func('UINT64 __stdcall add_u64(UINT64 a, UINT64 b)')(1n, 2n ** 64n - 2n)).toBe(2n ** 64n - 1n);
      expect(lib.func('__int64 __fastcall neg_i64(__int64 a)')(7n)).toBe(-7n);
    });

    test('integers that do not fit the parameter type are rejected', () => {
      const inc8 = lib.func('unsigned char inc_u8(unsigned char x)');
      const add = lib.func('int __stdcall add(int a, int b)');
      expect(() => inc8(256)).toThrow(ArgumentTypeError);
      expect(() => inc8(-129)).toThrow(ArgumentTypeError);
      expect(() => add(2 ** 32, 0)).toThrow(ArgumentTypeError);
      expect(() => add(1.5, 0)).toThrow(ArgumentTypeError);
      expect(() => add('1', 0)).toThrow(ArgumentTypeError);
      expect(add(0xffff_ffff, 0)).toBe(-1); // an unsigned spelling of the same 32 bits is fine
    });

    test('64-bit values are bigints, in EDX:EAX', () => {
      const mul = lib.func('long long __cdecl mul_i64(long long a, long long b)');
      expect(mul(3_000_000_000n, 5n)).toBe(15_000_000_000n);
      expect(mul(-(2n ** 40n), 3n)).toBe(-3_298_534_883_328n);
      expect(mul(2n ** 62n, 2n)).toBe(-(2n ** 63n)); // wraps like C
    });

    test('numbers are accepted for 64-bit arguments', () => {
      expect(lib.func('long long mul_i64(long long a, long long b)')(3, -4)).toBe(-12n);
      expect(lib.func('unsigned long long __stdcall add_u64(unsigned long long a, unsigned long long b)')(2 ** 53, 1)).toBe(2n ** 53n + 1n);
    });

    test('unsigned 64-bit arithmetic above 2^53 (stdcall, 16 bytes of arguments)', () => {
      const add = lib.func('unsigned long long __stdcall add_u64(unsigned long long a, unsigned long long b)');
      expect(add(2n ** 63n, 2n ** 63n - 1n)).toBe(2n ** 64n - 1n);
      expect(add(2n ** 64n - 1n, 2n)).toBe(1n);
      expect(add(9_007_199_254_740_993n, 0n)).toBe(9_007_199_254_740_993n);
    });

    test('64-bit values outside the type are rejected', () => {
      const mul = lib.func('long long mul_i64(long long a, long long b)');
      expect(() => mul(2n ** 64n, 1n)).toThrow(ArgumentTypeError);
      expect(() => mul(2 ** 53 + 0.5, 1n)).not.toThrow(); // 2^53 + 0.5 is the double 2^53, an integer
      expect(() => mul(0.5, 1n)).toThrow(ArgumentTypeError);
    });

    test('64-bit division and remainder (libgcc helpers / ntdll _alldiv & co.)', () => {
      const div = lib.func('long long div_i64(long long a, long long b)');
      const udiv = lib.func('unsigned long long div_u64(unsigned long long a, unsigned long long b)');
      const mod = lib.func('long long mod_i64(long long a, long long b)');
      expect(div(-(10n ** 18n), 7n)).toBe(-142_857_142_857_142_857n);
      expect(div(2n ** 62n, -(2n ** 31n))).toBe(-(2n ** 31n));
      expect(udiv(2n ** 64n - 1n, 3n)).toBe(6_148_914_691_236_517_205n);
      expect(udiv(2n ** 63n, 2n ** 32n + 1n)).toBe(2_147_483_647n);
      expect(mod(-7n, 3n)).toBe(-1n);
      expect(mod(10n ** 18n + 5n, 10n ** 9n)).toBe(5n);
    });

    test('64-bit shifts', () => {
      const shl = lib.func('unsigned long long shl_u64(unsigned long long a, int n)');
      expect(shl(1n, 63)).toBe(2n ** 63n);
      expect(shl(0xffff_ffffn, 16)).toBe(0xffff_ffff_0000n);
      expect(shl(0x8000_0000_0000_0001n, 1)).toBe(2n);
    });

    test('__fastcall with a 64-bit argument passes it on the stack', () => {
      const neg = lib.func('long long __fastcall neg_i64(long long a)');
      expect(neg(5n)).toBe(-5n);
      expect(neg(-(2n ** 40n) - 1n)).toBe(2n ** 40n + 1n);
      expect(neg(-(2n ** 63n))).toBe(-(2n ** 63n));
    });
  });

  describe('bool, char, wchar_t', () => {
    test('_Bool results are JS booleans', () => {
      const isEven = lib.func('bool is_even(int x)');
      expect(isEven(4)).toBe(true);
      expect(isEven(7)).toBe(false);
      expect(isEven(-2)).toBe(true);
    });

    test('a char parameter takes a one-character string or a number; a char result is a number', () => {
      const toUpper = lib.func('char to_upper(char c)');
      expect(toUpper('a')).toBe(65);
      expect(toUpper(97)).toBe(65);
      expect(toUpper('Z')).toBe(90);
      expect(toUpper('1')).toBe(49);
    });

    test('char is signed, and a one-character string is encoded in the charset (é is 0xE9 in Windows-1252)', () => {
      const toUpper = lib.func('char to_upper(char c)');
      expect(toUpper('é')).toBe(0xe9 - 256);
    });

    test('a char argument in Windows-1252 that is not Latin-1: € is 0x80', () => {
      const countChar = lib.func('int count_char(const char *s, char c)');
      expect(countChar('banana', 'a')).toBe(3);
      expect(countChar('€1,€2', '€')).toBe(2);
      expect(countChar('¬¬', '€')).toBe(0); // 0xAC, the low byte of U+20AC, is not €
    });

    test('a char argument must be a single character of the charset', () => {
      const toUpper = lib.func('char to_upper(char c)');
      expect(() => toUpper('ab')).toThrow(ArgumentTypeError);
      expect(() => toUpper('漢')).toThrow(ArgumentTypeError);
    });

    test('wchar_t is an unsigned 16-bit number', () => {
      const wtoUpper = lib.func('wchar_t wto_upper(wchar_t c)');
      expect(wtoUpper('a')).toBe(65);
      expect(wtoUpper(0x7a)).toBe(0x5a);
      expect(wtoUpper('é')).toBe(0xe9);
      expect(wtoUpper('漢')).toBe(0x6f22);
    });
  });

  describe('float and double', () => {
    test('float arguments and a float result in ST(0), rounded to float', () => {
      const scale = lib.func('float scale_f(float x, float k)');
      expect(scale(1.5, 3)).toBe(4.5);
      expect(scale(0.1, 3)).toBe(Math.fround(Math.fround(0.1) * 3));
      expect(scale(1e30, 1e10)).toBe(Infinity); // beyond float's range
    });

    test('double arguments and result', () => {
      const hypot = lib.func('double hypot_d(double x, double y)');
      expect(hypot(3, 4)).toBe(5);
      expect(hypot(1, 1)).toBe(Math.SQRT2);
      expect(hypot(-5, 12)).toBe(13);
    });

    test('x87 code rounds to double precision as on Windows (53-bit precision control)', () => {
      // With 64-bit x87 precision, about 5% of these would differ from the double computation in the
      // last bit; Windows runs threads at 53 bits, so every one must equal it.
      const hypot = lib.func('double hypot_d(double x, double y)');
      let seed = 12345;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32) * 10;
      for (let i = 0; i < 500; i++) {
        const a = rnd();
        const b = rnd();
        expect(hypot(a, b)).toBe(Math.sqrt(a * a + b * b));
      }
    });

    test('double, float and int mixed, __stdcall', () => {
      const avg3 = lib.func('double __stdcall avg3(double a, float b, int c)');
      expect(avg3(1.0, 2.0, 3)).toBe(2);
      expect(avg3(0.5, 0.25, -3)).toBe(-0.75);
    });

    test('__fastcall never puts a float in a register', () => {
      const half = lib.func('float __fastcall half_f(float x)');
      expect(half(3)).toBe(1.5);
      expect(half(0.1)).toBe(Math.fround(Math.fround(0.1) * 0.5));
    });

    test('a float parameter needs a number', () => {
      expect(() => lib.func('float scale_f(float x, float k)')('1', 2)).toThrow(ArgumentTypeError);
    });
  });

  describe('pointers and buffers', () => {
    test('a const int * takes an Int32Array or a JS array', () => {
      const sumInts = lib.func('int sum_ints(const int *p, int n)');
      expect(sumInts(Int32Array.of(1, 2, 3), 3)).toBe(6);
      expect(sumInts([10, -3, 7], 3)).toBe(14);
      expect(sumInts([], 0)).toBe(0);
      expect(sumInts(null, 0)).toBe(0);
    });

    test('an int * gets the values back, into an Int32Array or a JS array', () => {
      const fillInts = lib.func('void fill_ints(int *out, int n, int start)');
      const typed = new Int32Array(4);
      fillInts(typed, 4, 100);
      expect([...typed]).toEqual([100, 101, 102, 103]);
      const array = [0, 0, 0];
      fillInts(array, 3, -1);
      expect(array).toEqual([-1, 0, 1]);
    });

    test('an _Out_ array may be empty slots: nothing is read from it', () => {
      const fillInts = lib.func('void fill_ints(_Out_writes_(n) int *out, int n, int start)');
      const array = new Array<number>(3);
      fillInts(array, 3, 7);
      expect(array).toEqual([7, 8, 9]);
    });

    test('bytes in a Buffer', () => {
      const sumBytes = lib.func('unsigned int sum_bytes(const unsigned char *buf, unsigned int len)');
      expect(sumBytes(Buffer.from([1, 2, 250]), 3)).toBe(253);
      expect(sumBytes(new Uint8Array(1000).fill(255), 1000)).toBe(255_000);
    });

    test('a Buffer behind a non-const pointer is copied back, also a view into a larger buffer', () => {
      const reverse = lib.func('void reverse_bytes(unsigned char *buf, unsigned int len)');
      const buf = Buffer.from('abcdef');
      reverse(buf, 6);
      expect(buf.toString()).toBe('fedcba');
      const whole = Buffer.from('abcdef');
      reverse(whole.subarray(1, 5), 4);
      expect(whole.toString()).toBe('aedcbf');
    });

    test('a pointer parameter rejects values it cannot pass', () => {
      const sumInts = lib.func('int sum_ints(const int *p, int n)');
      expect(() => sumInts(1.5, 0)).toThrow(ArgumentTypeError);
      expect(() => sumInts({ a: 1 }, 0)).toThrow(ArgumentTypeError);
      expect(() => sumInts('123', 0)).toThrow(ArgumentTypeError);
    });
  });

  describe('what a callee receives, seen through a JS callback called as if it were the DLL', () => {
    test('copy-back follows const: data behind a const pointer is not copied back, behind a plain pointer it is', () => {
      const scribble = lib.callback('void __cdecl scribble(int *p)', (p: number) => lib.memory.write(p, Int32Array.of(-1, -2)));
      try {
        const viaConst = [1, 2];
        lib.func(scribble, 'void __cdecl f(const int *p)')(viaConst);
        expect(viaConst).toEqual([1, 2]);
        const viaPlain = [1, 2];
        lib.func(scribble, 'void __cdecl f(int *p)')(viaPlain);
        expect(viaPlain).toEqual([-1, -2]);
        const viaIn = Int32Array.of(1, 2);
        lib.func(scribble, 'void __cdecl f(_In_ int *p)')(viaIn);
        expect([...viaIn]).toEqual([1, 2]);
      } finally {
        lib.releaseCallback(scribble);
      }
    });

    test('small integer arguments fill their whole 32-bit slot, truncated then extended as MSVC does', () => {
      // The callee sees exactly the 32-bit slots the FFI pushed.
      const seen: number[] = [];
      const spy = lib.callback('void __cdecl spy(unsigned int a, unsigned int b, unsigned int c, unsigned int d)', (...v: number[]) => {
        seen.push(...v);
      });
      const dirty = lib.func(spy, 'void __cdecl f(unsigned int a, unsigned int b, unsigned int c, unsigned int d)');
      try {
        // The all-integer path: 255 as a signed char is -1, -1 as an unsigned char is 255.
        dirty(0xaaaa_aaaa, 0xaaaa_aaaa, 0xaaaa_aaaa, 0xaaaa_aaaa);
        seen.length = 0;
        lib.func(spy, 'void __cdecl f(signed char a, unsigned char b, short c, unsigned short d)')(255, -1, -2, 0xffff);
        expect(seen).toEqual([0xffff_ffff, 0xff, 0xffff_fffe, 0xffff]);
        // The general path (a frame with a pointer in it), over a stack that held other values.
        dirty(0xaaaa_aaaa, 0xaaaa_aaaa, 0xaaaa_aaaa, 0xaaaa_aaaa);
        seen.length = 0;
        lib.func(spy, 'void __cdecl f(signed char a, unsigned char b, short c, double *d)')(-1, 'é', 0x8000, null);
        expect(seen).toEqual([0xffff_ffff, 0xe9, 0xffff_8000, 0]);
      } finally {
        lib.releaseCallback(spy);
      }
    });

    test('a bool argument is 0 or 1, whatever JS value stands for it', () => {
      const seen: number[] = [];
      const spy = lib.callback('void __cdecl spy(unsigned int a, unsigned int b, unsigned int c, unsigned int d)', (...v: number[]) => {
        seen.push(...v);
      });
      try {
        lib.func(spy, 'void __cdecl f(bool a, bool b, bool c, bool d)')(2, 0, true, -0.5);
        expect(seen).toEqual([1, 0, 1, 1]);
        expect(() => lib.func(spy, 'void __cdecl f(bool a, bool b, bool c, bool d)')('yes', 0, 0, 0)).toThrow(ArgumentTypeError);
      } finally {
        lib.releaseCallback(spy);
      }
    });

    test('__fastcall register arguments are extended too', () => {
      const seen: number[] = [];
      const spy = lib.callback('void __fastcall spy(unsigned int a, unsigned int b)', (...v: number[]) => {
        seen.push(...v);
      });
      try {
        lib.func(spy, 'void __fastcall f(signed char a, unsigned short b)')(-3, 0xfffe);
        expect(seen).toEqual([0xffff_fffd, 0xfffe]);
      } finally {
        lib.releaseCallback(spy);
      }
    });
  });

  describe('strings', () => {
    test('a const char * takes a JS string, encoded in Windows-1252 by default', () => {
      const strLen = lib.func('int str_len(const char *s)');
      expect(strLen('hello')).toBe(5);
      expect(strLen('')).toBe(0);
      expect(strLen('héllo')).toBe(5); // é is one byte in Windows-1252
      expect(strLen('€')).toBe(1); // so is €, 0x80
    });

    test('a string with characters outside Windows-1252 is an ArgumentTypeError', () => {
      const e = catchError(() => lib.func('int str_len(const char *s)')('漢字'));
      expect(e).toBeInstanceOf(ArgumentTypeError);
      expect((e as Error).message).toContain('Windows-1252');
      expect((e as Error).message).toContain('str_len(s)');
    });

    test('wide strings are UTF-16', () => {
      const wstrLen = lib.func('int wstr_len(const wchar_t *s)');
      expect(wstrLen('héllo €')).toBe(7);
      expect(wstrLen('漢字')).toBe(2);
      expect(wstrLen('😀')).toBe(2); // a surrogate pair
    });

    test('a Buffer passed as char * is changed in place', () => {
      const upcase = lib.func('void upcase(char *s)');
      const buf = Buffer.from('hello, world\0');
      upcase(buf);
      expect(buf.toString('latin1')).toBe('HELLO, WORLD\0');
      const wide = Buffer.from('wide\0', 'utf16le');
      lib.func('void wupcase(wchar_t *s)')(wide);
      expect(wide.toString('utf16le')).toBe('WIDE\0');
    });

    test('a char * result is decoded to a JS string; NULL is null', () => {
      expect(lib.func('const char *greet(void)')()).toBe('hello from demo');
      expect(lib.func('const wchar_t *wgreet(void)')()).toBe('h\u00e9llo \u20ac');
      expect(lib.func('const char *null_string(void)')()).toBe(null);
    });

    test('an _Out_writes_ buffer: what the callee wrote comes back, the rest is untouched', () => {
      const writeGreeting = lib.func('int write_greeting(_Out_writes_(size) char *buf, int size)');
      const buf = Buffer.alloc(16);
      expect(writeGreeting(buf, 16)).toBe(9);
      expect(buf.subarray(0, 10).toString('latin1')).toBe('greetings\0');
      const small = Buffer.alloc(8, 0xaa);
      expect(writeGreeting(small, 4)).toBe(9);
      expect([...small]).toEqual([...Buffer.from('gre\0', 'latin1'), 0xaa, 0xaa, 0xaa, 0xaa]);
      expect(writeGreeting(null, 0)).toBe(9);
    });
  });

  describe('structs by pointer', () => {
    test('a non-const struct pointer is in/out: the JS object is updated', () => {
      const pointScale = lib.func('void point_scale(Point *p, double k)');
      const p = { x: 1.5, y: -2 };
      pointScale(p, 2);
      expect(p).toEqual({ x: 3, y: -4 });
    });

    test('the update keeps the identity of nested objects, arrays and typed arrays', () => {
      const recordFill = lib.func('void record_fill(Record *r, int id)');
      const values = new Float64Array(3);
      const tags = [0, 0, 0, 0];
      const r = { id: 0, name: '', values, tags };
      recordFill(r, 3);
      expect(r.values).toBe(values);
      expect([...values]).toEqual([3, 1.5, 0.75]);
      expect(r.tags).toBe(tags);
      expect(tags).toEqual([1, 2, 3, 4]);
      expect(r.name).toBe('rec-3');
    });

    test('an array of structs: each element object is updated in place', () => {
      const pointScale = lib.func('void point_scale(Point *p, double k)');
      const first = { x: 1, y: 2 };
      const second = { x: 3, y: 4 };
      const points = [first, second];
      pointScale(points, -1); // point_scale only touches the first
      expect(points[0]).toBe(first);
      expect(points[1]).toBe(second);
      expect(points).toEqual([
        { x: -1, y: -2 },
        { x: 3, y: 4 },
      ]);
    });

    test('a const struct pointer is read only', () => {
      const p = { x: 3, y: 4 };
      expect(lib.func('double point_len(const Point *p)')(p)).toBe(5);
      expect(p).toEqual({ x: 3, y: 4 });
    });

    test('arrays inside a struct come back as a string (char[]) and arrays of numbers', () => {
      const recordFill = lib.func('void record_fill(Record *r, int id)');
      const r: Record<string, unknown> = {};
      recordFill(r, 7);
      expect(r).toEqual({ id: 7, name: 'rec-7', values: [7, 3.5, 1.75], tags: [1, 2, 3, 4] });
      recordFill(r, -42);
      expect(r).toEqual({ id: -42, name: 'rec--42', values: [-42, -21, -10.5], tags: [1, 2, 3, 4] });
    });

    test('arrays inside a struct are passed from JS arrays and strings; missing fields are zero', () => {
      const recordSum = lib.func('double record_sum(const Record *r)');
      expect(recordSum({ id: 1, name: 'x', values: [0.5, 0.25, 0.125], tags: [1, 2, 3, 4] })).toBe(11.875);
      expect(recordSum({ id: 2, tags: [10] })).toBe(12);
      expect(recordSum({ values: Float64Array.of(1, 2) })).toBe(3);
    });

    test('nested structs', () => {
      const shapeCheck = lib.func('int shape_check(const Shape *s)');
      // (int)(1.5 + 2.5) + (3 - 0) * (4 - 0)
      expect(shapeCheck({ origin: { x: 1.5, y: 2.5 }, box: { left: 0, top: 0, right: 3, bottom: 4 } })).toBe(16);
      expect(shapeCheck({ origin: { x: -0.5, y: 0 }, box: { left: 1, top: 1, right: 3, bottom: 2 } })).toBe(2);
    });

    test('fields the struct does not have are an ArgumentTypeError', () => {
      expect(() => lib.func('double point_len(const Point *p)')({ x: 1, z: 2 })).toThrow(ArgumentTypeError);
    });
  });

  describe('structs by value', () => {
    test('two 16-byte structs, __stdcall (callee pops 32 bytes)', () => {
      const distance = lib.func('double __stdcall distance(Point a, Point b)');
      expect(distance({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
      expect(distance({ x: 1, y: 1 }, { x: -4, y: -11 })).toBe(13);
    });

    test('a struct of ints', () => {
      expect(lib.func('int __cdecl rect_area(Rect r)')({ left: 1, top: 2, right: 4, bottom: 7 })).toBe(15);
    });

    test('a 4-byte struct of two shorts shares one stack slot', () => {
      const pairSum = lib.func('int pair_sum(ShortPair p)');
      expect(pairSum({ a: -3, b: 10 })).toBe(7);
      expect(pairSum({ a: 32767, b: 32767 })).toBe(65534);
    });

    test('a struct with padding: char at 0, double at 8, int at 16', () => {
      const mixedSum = lib.func('double mixed_sum(Mixed m)');
      expect(mixedSum({ c: 2, d: 0.5, i: 100 })).toBe(102.5);
      expect(mixedSum({ c: -1, d: -0.25, i: -1000 })).toBe(-1001.25);
    });
  });

  describe('structs returned', () => {
    test('8 bytes in EDX:EAX', () => {
      expect(lib.func('IntPair make_pair(int a, int b)')(3, -4)).toEqual({ a: 3, b: -4 });
    });

    test('16 bytes through a hidden pointer, __cdecl', () => {
      expect(lib.func('Point make_point(double x, double y)')(1.5, -2.5)).toEqual({ x: 1.5, y: -2.5 });
    });

    test('16 bytes through a hidden pointer, __stdcall (the callee pops the hidden pointer too)', () => {
      const makeRect = lib.func('Rect __stdcall make_rect(int l, int t, int r, int b)');
      expect(makeRect(1, 2, 3, 4)).toEqual({ left: 1, top: 2, right: 3, bottom: 4 });
      expect(makeRect(-1, -2, -3, -4)).toEqual({ left: -1, top: -2, right: -3, bottom: -4 });
    });

    test('4 bytes in EAX', () => {
      expect(lib.func('ShortPair make_short_pair(short a, short b)')(-1, 2)).toEqual({ a: -1, b: 2 });
    });

    test('1 byte in AL', () => {
      const makeTiny = lib.func('Tiny make_tiny(char c)');
      expect(makeTiny('A')).toEqual({ c: 65 });
      expect(makeTiny(-5)).toEqual({ c: -5 });
    });
  });

  describe('raw guest memory', () => {
    test('an address from memory.alloc can be passed where a pointer is expected', () => {
      const p = lib.memory.alloc(16);
      try {
        lib.memory.write(p, Int32Array.of(1, 2, 3, 4));
        expect(lib.func('int sum_ints(const int *p, int n)')(p, 4)).toBe(10);
        lib.func('void fill_ints(int *out, int n, int start)')(p, 3, 50);
        expect(i32s(lib, p, 4)).toEqual([50, 51, 52, 4]);
      } finally {
        lib.memory.free(p);
      }
    });

    test('memory.alloc returns zeroed memory', () => {
      const p = lib.memory.alloc(64);
      expect([...lib.memory.read(p, 64)]).toEqual(new Array(64).fill(0));
      lib.memory.free(p);
    });

    test('C strings read from guest memory', () => {
      const p = lib.memory.alloc(32);
      lib.memory.write(p, Buffer.from('caf\xe9\0', 'latin1'));
      expect(lib.memory.readCString(p)).toBe('café');
      lib.memory.write(p, Buffer.from('wide €\0', 'utf16le'));
      expect(lib.memory.readWString(p)).toBe('wide €');
      expect(lib.memory.readCString(0)).toBe(null);
      lib.memory.free(p);
    });

    test('a pointer the DLL allocated', () => {
      const p = lib.func('void *demo_alloc(unsigned int n)')(8) as number;
      expect(p).not.toBe(0);
      lib.func('void fill_ints(int *out, int n, int start)')(p, 2, -9);
      expect(i32s(lib, p, 2)).toEqual([-9, -8]);
      lib.func('void demo_free(void *p)')(p);
    });

    test('freeing something memory.alloc did not return is an error', () => {
      const p = lib.memory.alloc(8);
      lib.memory.free(p);
      const e = catchError(() => lib.memory.free(p));
      expect(e).toBeInstanceOf(WowasmError);
      expect((e as WowasmError).code).toBe('WOWASM_BAD_FREE');
    });
  });

  describe('callbacks', () => {
    test('a __cdecl comparator reading ints through lib.memory', () => {
      const sortInts = lib.func('void sort_ints(int *arr, int n, int (__cdecl *cmp)(const void *a, const void *b))');
      const arr = [5, 3, 9, 1, -2, 3];
      let calls = 0;
      sortInts(arr, arr.length, (pa: number, pb: number) => {
        calls++;
        return i32at(lib, pa) - i32at(lib, pb);
      });
      expect(arr).toEqual([-2, 1, 3, 3, 5, 9]);
      expect(calls).toBeGreaterThan(0);
      // Descending, through the same code.
      sortInts(arr, arr.length, (pa: number, pb: number) => i32at(lib, pb) - i32at(lib, pa));
      expect(arr).toEqual([9, 5, 3, 3, 1, -2]);
    });

    test('a __stdcall callback that stops the loop by returning 0; the stack stays balanced', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const seen: [number, number][] = [];
      const visit = (v: number, ctx: number) => {
        seen.push([v, ctx]);
        return v < 3 ? 1 : 0;
      };
      expect(forEach([1, 2, 3, 4, 5], 5, visit, 0x1234)).toBe(3);
      expect(seen).toEqual([
        [1, 0x1234],
        [2, 0x1234],
        [3, 0x1234],
      ]);
      // Were the callback's 8 bytes popped wrongly, the caller's frame would be off now.
      expect(forEach([1, 1, 1, 1], 4, () => 1, null)).toBe(4);
      expect(lib.func('int __stdcall add(int a, int b)')(1, 2)).toBe(3);
    });

    test('a double (*)(double) callback: the midpoint rule for x*x over [0, 1]', () => {
      const integrate = lib.func('double integrate(double (*f)(double), double a, double b, int n)');
      // The same arithmetic as demo.c, in doubles.
      const midpoint = (f: (x: number) => number, a: number, b: number, n: number) => {
        const h = (b - a) / n;
        let s = 0;
        for (let i = 0; i < n; i++) s += f(a + (i + 0.5) * h);
        return s * h;
      };
      const xs: number[] = [];
      const got = integrate((x: number) => (xs.push(x), x * x), 0, 1, 1000) as number;
      expect(xs).toHaveLength(1000);
      expect(xs[0]).toBe(0.0005);
      expect(got).toBe(midpoint((x) => x * x, 0, 1, 1000));
      expect(Math.abs(got - 1 / 3)).toBeLessThan(1e-6);
    });

    test('a callback receiving strings', () => {
      const emit = lib.func('void emit_strings(void (__cdecl *f)(const char *s, int n))');
      const got: [string, number][] = [];
      emit((s: string, n: number) => {
        got.push([s, n]);
      });
      expect(got).toEqual([
        ['one', 1],
        ['two', 2],
        ['three', 3],
      ]);
    });

    test('a callback that throws: the call fails with that error, and the library keeps working', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const boom = new Error('boom');
      let calls = 0;
      const e = catchError(() =>
        forEach([1, 2, 3], 3, () => {
          if (++calls === 2) throw boom;
          return 1;
        }, null),
      );
      expect(e).toBe(boom);
      expect(calls).toBe(2);
      expect(forEach([1, 2, 3], 3, () => 1, null)).toBe(3);
      expect(lib.func('int __stdcall add(int a, int b)')(20, 22)).toBe(42);
    });

    test('a callback may call into the library while the DLL waits for it', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const add = lib.func('int __stdcall add(int a, int b)');
      const inner = lib.func('void sort_ints(int *arr, int n, int (__cdecl *cmp)(const void *a, const void *b))');
      let sum = 0;
      const sorted: number[][] = [];
      const calls = forEach([4, 5, 6], 3, (v: number) => {
        sum = add(sum, v) as number;
        const arr = [v, 1, 2 * v];
        inner(arr, 3, (pa: number, pb: number) => i32at(lib, pb) - i32at(lib, pa));
        sorted.push(arr);
        return 1;
      }, null);
      expect(calls).toBe(3);
      expect(sum).toBe(15);
      expect(sorted).toEqual([
        [8, 4, 1],
        [10, 5, 1],
        [12, 6, 1],
      ]);
    });

    test('a callback result that does not fit its type is an ArgumentTypeError naming the parameter', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const e = catchError(() => forEach([1], 1, () => 'yes', null));
      expect(e).toBeInstanceOf(ArgumentTypeError);
      expect((e as Error).message).toBe('return value of callback for_each_int(fn): expected an integer for int, got the string "yes"');
      expect(() => forEach([1], 1, () => 2 ** 40, null)).toThrow(ArgumentTypeError);
      expect(forEach([1, 2], 2, () => true, null)).toBe(2);
    });

    test('a callback cannot be async', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const e = catchError(() => forEach([1], 1, async () => 1, null));
      expect((e as WowasmError).code).toBe('WOWASM_ASYNC_CALLBACK');
      expect(forEach([1], 1, () => 0, null)).toBe(1);
    });

    test('a callback kept with lib.callback() is a plain address until released', () => {
      const sortInts = lib.func('void sort_ints(int *arr, int n, void *cmp)');
      const cmp = lib.callback('int __cdecl cmp(const void *a, const void *b)', (pa: number, pb: number) => i32at(lib, pa) - i32at(lib, pb));
      expect(typeof cmp).toBe('number');
      const arr = Int32Array.of(3, 1, 2);
      sortInts(arr, 3, cmp);
      expect([...arr]).toEqual([1, 2, 3]);
      lib.releaseCallback(cmp);
      const e = catchError(() => lib.releaseCallback(cmp));
      expect((e as WowasmError).code).toBe('WOWASM_BAD_CALLBACK');
    });
  });

  describe('function pointers handed out', () => {
    test('a COM-style object: calls through its vtable', () => {
      const obj = lib.func('void *calc_create(int start)')(10) as number;
      expect(obj).not.toBe(0);
      const vtbl = u32at(lib, obj);
      const [addFn, getFn, releaseFn] = [u32at(lib, vtbl), u32at(lib, vtbl + 4), u32at(lib, vtbl + 8)];
      const add = lib.func(addFn, 'int __stdcall add(void *self, int v)');
      const get = lib.func(getFn, 'int __stdcall get(void *self)');
      expect(get(obj)).toBe(10);
      expect(add(obj, 5)).toBe(15);
      expect(add(obj, -20)).toBe(-5);
      expect(get(obj)).toBe(-5);
      expect(i32at(lib, obj + 4)).toBe(-5); // Calc.total
      lib.func(releaseFn, 'void __stdcall release(void *self)')(obj);
    });

    test('get_op returns __cdecl function pointers, NULL for an unknown operator', () => {
      const getOp = lib.func('void *get_op(char op)');
      const call = (op: string, a: number, b: number) => lib.func(getOp(op) as number, 'int __cdecl op(int, int)')(a, b);
      expect(call('+', 6, 7)).toBe(13);
      expect(call('-', 6, 7)).toBe(-1);
      expect(call('*', 6, 7)).toBe(42);
      expect(getOp('/')).toBe(0);
    });

    test('the same function pointer is distinct for each operator', () => {
      const getOp = lib.func('void *get_op(char op)');
      expect(new Set([getOp('+'), getOp('-'), getOp('*')]).size).toBe(3);
    });
  });

  describe('Win32 calls and state', () => {
    test('SetLastError / GetLastError round trip', () => {
      const roundtrip = lib.func('int get_last_error_roundtrip(int code)');
      expect(roundtrip(1234)).toBe(1234);
      expect(roundtrip(0)).toBe(0);
    });

    test('GetTickCount advances across Sleep(20)', () => {
      const delta = lib.func('unsigned int tick_delta(void)')() as number;
      expect(delta).toBeGreaterThanOrEqual(15);
      expect(delta).toBeLessThan(1000);
    });

    test('static state lives per loaded instance', () => {
      const a = loadSync(file);
      const b = loadSync(file);
      try {
        const nextA = a.func('int counter_next(void)');
        const nextB = b.func('int counter_next(void)');
        expect([nextA(), nextA(), nextA()]).toEqual([1, 2, 3]);
        expect(nextB()).toBe(1);
        expect(nextA()).toBe(4);
      } finally {
        a.close();
        b.close();
      }
    });
  });

  describe('mistakes in a call', () => {
    test('the wrong number of arguments is an ArgumentCountError, before anything runs', () => {
      const add = lib.func('int __stdcall add(int a, int b)');
      const e = catchError(() => add(1));
      expect(e).toBeInstanceOf(ArgumentCountError);
      expect((e as Error).message).toBe('add takes 2 arguments, got 1');
      expect(() => add(1, 2, 3)).toThrow(ArgumentCountError);
      expect(() => lib.func('const char *greet(void)')('x')).toThrow(ArgumentCountError);
    });

    test('a __stdcall function declared __cdecl is a StackImbalanceError, and the next call works', () => {
      const e = catchError(() => lib.func('int __cdecl add(int a, int b)')(1, 2));
      expect(e).toBeInstanceOf(StackImbalanceError);
      expect((e as WowasmError).detail).toMatchObject({ fn: 'add', popped: 8 });
      expect(lib.func('int __stdcall add(int a, int b)')(1, 2)).toBe(3);
    });

    test('a __cdecl function declared __stdcall is a StackImbalanceError too', () => {
      const e = catchError(() => lib.func('int __stdcall sub(int a, int b)')(1, 2));
      expect(e).toBeInstanceOf(StackImbalanceError);
      expect((e as WowasmError).detail).toMatchObject({ fn: 'sub', popped: 0 });
      expect(lib.func('int sub(int a, int b)')(1, 2)).toBe(-1);
    });

    test('too few parameters in a __stdcall prototype', () => {
      const e = catchError(() => lib.func('int __stdcall add(int a)')(1));
      expect(e).toBeInstanceOf(StackImbalanceError);
      expect(lib.func('int __stdcall add(int a, int b)')(2, 2)).toBe(4);
    });

    test('a closed library refuses calls', () => {
      const other = loadSync(file);
      const add = other.func('int __stdcall add(int a, int b)');
      other.close();
      const e = catchError(() => add(1, 2));
      expect((e as WowasmError).code).toBe('WOWASM_CLOSED');
    });
  });
});

describe('charset: utf-8', () => {
  let lib: Library;
  beforeAll(() => {
    lib = loadSync(fixture('demo-mingw.dll'), { charset: 'utf-8' });
  });
  afterAll(() => lib.close());

  test('char * strings are UTF-8', () => {
    const strLen = lib.func('int str_len(const char *s)');
    expect(strLen('héllo')).toBe(6);
    expect(strLen('漢')).toBe(3);
    expect(strLen('€')).toBe(3);
  });

  test('strings read back are decoded as UTF-8', () => {
    const p = lib.memory.alloc(16);
    lib.memory.write(p, Buffer.from('héllo\0', 'utf8'));
    expect(lib.memory.readCString(p)).toBe('héllo');
    lib.memory.free(p);
  });

  test('a char argument must be one byte of UTF-8', () => {
    const countChar = lib.func('int count_char(const char *s, char c)');
    expect(countChar('a,b,c', ',')).toBe(2);
    expect(() => countChar('é', 'é')).toThrow(ArgumentTypeError);
  });
});

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}
