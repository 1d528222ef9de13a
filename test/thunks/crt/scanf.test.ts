// The scanf family on strings as guest code calls it: conversions, widths, sizes, suppression, scansets,
// %n, the EOF rule (-1 only when the input ends before the first conversion), the secure forms' buffer
// sizes, and ucrtbase's __stdio_common_vsscanf. Expected values follow the C standard's description of
// fscanf and Microsoft's documentation of scanf type fields and size prefixes.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type GuestArg, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

const sscanf = (input: string, fmt: string, ...args: GuestArg[]) => w.crt('sscanf', w.str(input), w.str(fmt), ...args) | 0;
const i32 = (a: number) => w.i32(a);

describe('sscanf (msvcrt.dll)', () => {
  test('integers in every base, with signs, widths and sizes', () => {
    const a = w.buf(64);
    expect(sscanf(' 42 -17 0x1F 017 ff', '%d %i %i %i %x', a, a + 4, a + 8, a + 12, a + 16)).toBe(5);
    expect([i32(a), i32(a + 4), i32(a + 8), i32(a + 12), i32(a + 16)]).toEqual([42, -17, 31, 15, 255]);
    expect(sscanf('123456', '%2d%3d%d', a, a + 4, a + 8)).toBe(3);
    expect([i32(a), i32(a + 4), i32(a + 8)]).toEqual([12, 345, 6]);
    w.cpu.mem.fill(a, 0xee, 16);
    expect(sscanf('-1 70000 12345678901234', '%hd %hu %I64d', a, a + 2, a + 8)).toBe(3);
    expect([w.cpu.mem.u16(a), w.cpu.mem.u16(a + 2), w.cpu.mem.u16(a + 4)]).toEqual([0xffff, 70000 & 0xffff, 0xeeee]);
    expect(w.cpu.mem.i64(a + 8)).toBe(12345678901234n);
    expect(sscanf('-1 777 12', '%u %o %lld', a, a + 4, a + 8)).toBe(3);
    expect([w.u32(a), i32(a + 4), w.cpu.mem.i64(a + 8)]).toEqual([0xffffffff, 0o777, 12n]);
    expect(sscanf('0012FF7C', '%p', a)).toBe(1);
    expect(w.u32(a)).toBe(0x12ff7c);
  });

  test('floating point: float by default, double with l; correctly rounded', () => {
    const a = w.buf(32);
    expect(sscanf('3.25 -1e-3 0.1', '%f %lf %le', a, a + 8, a + 16)).toBe(3);
    expect(w.cpu.mem.f32(a)).toBe(3.25);
    expect(w.cpu.mem.f64(a + 8)).toBe(-1e-3);
    expect(w.cpu.mem.f64(a + 16)).toBe(0.1);
    expect(sscanf('1.5e2xyz', '%lg', a)).toBe(1);
    expect(w.cpu.mem.f64(a)).toBe(150);
  });

  test('strings, characters, scansets and suppression', () => {
    const a = w.buf(64);
    const b = w.buf(64);
    const n = w.buf(8);
    expect(sscanf('  hello world', '%s %*s%n', a, n)).toBe(1);
    expect(w.readStr(a)).toBe('hello');
    expect(w.u32(n)).toBe(13); // %n counts what was read and is not a conversion
    w.cpu.mem.fill(b, 0x78, 8);
    expect(sscanf('abcdef', '%3c', b)).toBe(1);
    expect(w.readStr(b).slice(0, 4)).toBe('abcx'); // %c writes no terminator
    expect(sscanf('key=value;rest', '%[^=]=%[a-z]', a, b)).toBe(2);
    expect([w.readStr(a), w.readStr(b)]).toEqual(['key', 'value']);
    expect(sscanf(']x-y', '%[]x-]', a)).toBe(1);
    expect(w.readStr(a)).toBe(']x-');
    expect(sscanf('wide', '%ls', a)).toBe(1);
    expect(w.readWStr(a)).toBe('wide');
  });

  test('literal characters must match; a mismatch stops the scan; -1 only at the end of input', () => {
    const a = w.buf(16);
    expect(sscanf('10:20', '%d:%d', a, a + 4)).toBe(2);
    expect(sscanf('10-20', '%d:%d', a, a + 4)).toBe(1);
    expect(sscanf('abc', '%d', a)).toBe(0);
    expect(sscanf('', '%d', a)).toBe(-1);
    expect(sscanf('   ', '%d', a)).toBe(-1);
    expect(sscanf('5', '%d %d', a, a + 4)).toBe(1);
    expect(sscanf('100%', '%d%%', a)).toBe(1);
  });

  test('swscanf reads wide text; %s stores wide there, %hs narrow', () => {
    const a = w.buf(32);
    const b = w.buf(32);
    expect(w.crt('swscanf', w.wstr('\u20ac42 word more'), w.wstr('\u20ac%d %s %hs'), a + 28, a, b)).toBe(3);
    expect(i32(a + 28)).toBe(42);
    expect(w.readWStr(a)).toBe('word');
    expect(w.readStr(b)).toBe('more');
  });

  test('_snscanf reads at most count characters', () => {
    const a = w.buf(8);
    expect(w.crt('_snscanf', w.str('12345'), 3, w.str('%d'), a)).toBe(1);
    expect(i32(a)).toBe(123);
  });
});

describe('secure forms', () => {
  test('sscanf_s takes a size after each %s/%c/%[ buffer; a field too large empties it (ENOMEM)', () => {
    const a = w.buf(16);
    const b = w.buf(16);
    expect(w.crt('sscanf_s', w.str('ab cdefgh'), w.str('%s %s'), a, 8, b, 4) | 0).toBe(1);
    expect(w.readStr(a)).toBe('ab');
    expect(w.readStr(b)).toBe('');
    expect(w.u32(w.crt('_errno'))).toBe(12);
    expect(w.crt('sscanf_s', w.str('x7'), w.str('%c%d'), a, 1, b) | 0).toBe(2);
    expect([w.cpu.mem.u8(a), i32(b)]).toEqual([0x78, 7]);
  });
});

describe('ucrtbase __stdio_common_vsscanf', () => {
  /** A va_list of pointers. */
  const va = (...ptrs: number[]) => {
    const at = w.buf(4 * ptrs.length + 4);
    ptrs.forEach((p, i) => w.cpu.mem.setU32(at + 4 * i, p));
    return at;
  };
  const common = (options: bigint, input: number, count: number, fmt: number, args: number) => w.call('ucrtbase.dll', '__stdio_common_vsscanf', [options, input, count, fmt, 0, args]) | 0;

  test('reads hexadecimal floats, infinities and NaN as strtod does in the ucrt', () => {
    const a = w.buf(32);
    expect(common(0n, w.str('0x1.8p1 inf -nan'), 0xffffffff, w.str('%lf %lf %lf'), va(a, a + 8, a + 16))).toBe(3);
    expect(w.cpu.mem.f64(a)).toBe(3);
    expect(w.cpu.mem.f64(a + 8)).toBe(Infinity);
    expect(Number.isNaN(w.cpu.mem.f64(a + 16))).toBe(true);
  });

  test('the count limits the input; SECURECRT wants buffer sizes', () => {
    const a = w.buf(16);
    expect(common(0n, w.str('98765'), 2, w.str('%d'), va(a))).toBe(1);
    expect(i32(a)).toBe(98);
    const sized = w.buf(8);
    w.cpu.mem.setU32(sized, a);
    w.cpu.mem.setU32(sized + 4, 3);
    expect(common(1n, w.str('toolong'), 0xffffffff, w.str('%s'), sized)).toBe(0);
    expect(w.readStr(a)).toBe('');
  });

  test('msvcrt.dll does not read inf or hexadecimal floats', () => {
    const a = w.buf(16);
    expect(sscanf('inf', '%lf', a)).toBe(0);
    expect(sscanf('0x10', '%lf', a)).toBe(1);
    expect(w.cpu.mem.f64(a)).toBe(0); // "0", then "x10" is left over
  });
});

describe('fscanf on a FILE stream', () => {
  beforeEach(() => {
    w = win32({ fs: { memory: true, files: { 'in.txt': '12 abc 3.5;rest', 'u.txt': '0x1p4 7' } } });
  });

  test('reads only as far as it must: the character after a field stays in the stream', () => {
    const f = w.crt('fopen', w.str('in.txt'), w.str('r'));
    expect(f).not.toBe(0);
    const a = w.buf(32);
    expect(w.crt('fscanf', f, w.str('%d %s'), a, a + 4)).toBe(2);
    expect([w.i32(a), w.readStr(a + 4)]).toEqual([12, 'abc']);
    expect(w.crt('fscanf', f, w.str('%lf'), a + 16)).toBe(1);
    expect(w.cpu.mem.f64(a + 16)).toBe(3.5);
    expect(w.crt('fgetc', f)).toBe(0x3b); // ';' was read ahead and given back
    expect(w.crt('fscanf', f, w.str('%s'), a)).toBe(1);
    expect(w.readStr(a)).toBe('rest');
    expect(w.crt('fscanf', f, w.str('%s'), a) | 0).toBe(-1);
    w.crt('fclose', f);
  });

  test('ucrtbase __stdio_common_vfscanf', () => {
    const f = w.call('ucrtbase.dll', 'fopen', [w.str('u.txt'), w.str('r')]);
    const a = w.buf(16);
    const args = w.buf(8);
    w.cpu.mem.setU32(args, a);
    w.cpu.mem.setU32(args + 4, a + 8);
    expect(w.call('ucrtbase.dll', '__stdio_common_vfscanf', [0n, f, w.str('%lf %d'), 0, args])).toBe(2);
    expect([w.cpu.mem.f64(a), w.i32(a + 8)]).toEqual([16, 7]);
  });
});
