// <stdlib.h>: number conversions both ways, sorting and searching with guest callbacks, integer
// arithmetic, the random number generator, the environment, and the multibyte conversions.
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import { decodeBytes, encodeString, writeAnsi, writeWide } from '../text.js';
import { ctype } from './ctype.js';
import { hasSecureCrt } from './flavour.js';
import { decimalDigits, roundDigits, type CrtFlavour } from './format.js';
import { invalidParameter } from './signal.js';
import { environmentChanged } from './startup.js';
import { crt, ERRNO, setErrno } from './state.js';

// ---- string -> integer ------------------------------------------------------------------------

export type IntKind = 'i32' | 'u32' | 'i64' | 'u64';
const LIMITS: Record<IntKind, { min: bigint; max: bigint; bits: number; signed: boolean }> = {
  i32: { min: -(1n << 31n), max: (1n << 31n) - 1n, bits: 32, signed: true },
  u32: { min: 0n, max: (1n << 32n) - 1n, bits: 32, signed: false },
  i64: { min: -(1n << 63n), max: (1n << 63n) - 1n, bits: 64, signed: true },
  u64: { min: 0n, max: (1n << 64n) - 1n, bits: 64, signed: false },
};

/**
 * The strtol family on bytes: leading white space, a sign, a 0x/0X prefix (base 0 or 16) or a leading 0
 * (base 0: octal), then digits. Returns the value as C returns it (clamped with `overflow` for the signed
 * kinds; for the unsigned ones a negative number wraps and an overflow gives the maximum), the bytes
 * consumed (0 when there is no number), and whether the base was invalid.
 */
export function parseIntegerText(b: Uint8Array, base: number, kind: IntKind): { value: bigint; end: number; overflow: boolean; badBase: boolean } {
  if (base !== 0 && (base < 2 || base > 36)) return { value: 0n, end: 0, overflow: false, badBase: true };
  const lim = LIMITS[kind];
  let i = 0;
  while (i < b.length && ctype.isspace(b[i]!)) i++;
  let neg = false;
  if (b[i] === 0x2b || b[i] === 0x2d) {
    neg = b[i] === 0x2d;
    i++;
  }
  if ((base === 0 || base === 16) && b[i] === 0x30 && (b[i + 1] === 0x78 || b[i + 1] === 0x58) && ctype.isxdigit(b[i + 2] ?? 0)) {
    i += 2;
    base = 16;
  } else if (base === 0) base = b[i] === 0x30 ? 8 : 10;
  const start = i;
  let v = 0n;
  const B = BigInt(base);
  const cap = 1n << 70n; // past any limit: stop growing, keep consuming digits
  while (i < b.length) {
    const c = b[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x7a ? c - 0x61 + 10 : c >= 0x41 && c <= 0x5a ? c - 0x41 + 10 : 99;
    if (d >= base) break;
    if (v < cap) v = v * B + BigInt(d);
    i++;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false, badBase: false };
  if (lim.signed) {
    const max = neg ? -lim.min : lim.max;
    if (v > max) return { value: neg ? lim.min : lim.max, end: i, overflow: true, badBase: false };
    return { value: neg ? -v : v, end: i, overflow: false, badBase: false };
  }
  if (v > lim.max) return { value: lim.max, end: i, overflow: true, badBase: false };
  return { value: neg ? BigInt.asUintN(lim.bits, -v) : v, end: i, overflow: false, badBase: false };
}

/** strtol & co. on a guest string: errno ERANGE on overflow; an invalid base is an invalid parameter. */
export function strtoint(p: Process, s: number, endp: number, base: number, kind: IntKind, fnName: string): bigint {
  if (!s) {
    invalidParameter(p, fnName, 'string is NULL');
    return 0n;
  }
  const r = parseIntegerText(p.mem.readCBytes(s), base | 0, kind);
  if (r.badBase) {
    if (endp) p.mem.setU32(endp, s);
    invalidParameter(p, fnName, `base ${base} is not 0 or 2-36`);
    return 0n;
  }
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (endp) p.mem.setU32(endp, s + r.end);
  return r.value;
}

/** atoi/atol/_atoi64: base 10, clamping to the type's limits with errno ERANGE (Microsoft documents both). */
export function atoint(p: Process, s: number, kind: IntKind): bigint {
  const r = parseIntegerText(p.mem.readCBytes(s), 10, kind);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  return r.value;
}

// ---- string -> double -------------------------------------------------------------------------

/**
 * strtod on bytes, correctly rounded (as exact as JS's own number parsing). ucrt also reads hexadecimal
 * floats, "inf"/"infinity" and "nan"/"nan(chars)"; the msvcrt flavours read decimal numbers only.
 */
export function parseDoubleText(b: Uint8Array, flavour: CrtFlavour): { value: number; end: number; overflow: boolean } {
  const text = decodeBytes(b, 1252);
  const decimal = /^[\t\n\v\f\r ]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
  const c99 = /^[\t\n\v\f\r ]*([+-]?(?:0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))/i;
  const m = (flavour === 'ucrt' ? c99 : decimal).exec(text);
  // An exponent marker without digits is not part of the number ("1e" reads as 1, leaving "e").
  if (!m) return { value: 0, end: 0, overflow: false };
  const t = m[1]!;
  const sign = t.startsWith('-') ? -1 : 1;
  const u = t.replace(/^[+-]/, '');
  let value: number;
  if (/^inf/i.test(u)) value = sign * Infinity;
  else if (/^nan/i.test(u)) value = sign < 0 ? -NaN : NaN;
  else if (/^0x/i.test(u)) value = sign * parseHexFloat(u.slice(2));
  else value = Number(t); // JS parses "5.", ".5", "+5e3" too, correctly rounded
  const special = /^(inf|nan)/i.test(u);
  const mantissa = u.split(/[eEpP]/)[0]!.replace(/^0x/i, '');
  const overflow = !special && (!Number.isFinite(value) || (value === 0 && /[1-9a-fA-F]/.test(mantissa)));
  return { value, end: m[0].length, overflow };
}

/** A hexadecimal float's value (without "0x"), correctly rounded to a double. */
function parseHexFloat(h: string): number {
  const [mant, exp] = h.split(/[pP]/) as [string, string | undefined];
  const [ip, fp = ''] = mant.split('.');
  const digits = ((ip ?? '') + fp).replace(/^0+/, '') || '0';
  let e2 = Number(exp ?? 0) - 4 * fp.length;
  let v = BigInt('0x' + digits);
  if (v === 0n) return 0;
  // Keep 54+ significant bits and a sticky bit, then let the double conversion round once.
  const bits = v.toString(2).length;
  if (bits > 64) {
    const drop = BigInt(bits - 64);
    const sticky = (v & ((1n << drop) - 1n)) !== 0n ? 1n : 0n;
    v = (v >> drop) | sticky;
    e2 += Number(drop);
  }
  return scaleExact(v, e2);
}

/** v * 2^e2 with one rounding (v has at most 64 bits), including subnormal results. */
function scaleExact(v: bigint, e2: number): number {
  const bits = v.toString(2).length;
  const top = bits - 1 + e2; // exponent of the leading bit
  if (top > 1023) return Infinity;
  // Bits the result can hold below the leading one: 52 for normals, fewer for subnormals.
  const keep = top >= -1022 ? 52 : 52 - (-1022 - top);
  if (keep < -1) return 0;
  const shift = bits - 1 - keep;
  let m = v;
  let e = e2;
  if (shift > 0) {
    const half = 1n << BigInt(shift - 1);
    const rem = m & ((1n << BigInt(shift)) - 1n);
    m >>= BigInt(shift);
    if (rem > half || (rem === half && (m & 1n) === 1n)) m += 1n;
    e += shift;
  }
  // m * 2^e is exactly representable now (maybe one bit more after rounding up, still exact).
  return Number(m) * 2 ** e;
}

/** strtof: the float nearest to the decimal value (not the float nearest to the nearest double). */
export function parseFloatText(b: Uint8Array, flavour: CrtFlavour): { value: number; end: number; overflow: boolean } {
  const r = parseDoubleText(b, flavour);
  let f = Math.fround(r.value);
  if (Number.isFinite(r.value) && r.value !== f) {
    // Rounding twice goes wrong only when the double is exactly halfway between two floats.
    const other = nextFloatToward(f, r.value);
    if ((f + other) / 2 === r.value) {
      const text = decodeBytes(b.subarray(0, r.end), 1252).trim();
      if (/^[+-]?(\d|\.\d)/.test(text)) {
        const c = compareDecimal(text, r.value);
        // Above the midpoint in magnitude: the larger float; below: the smaller; exactly: the even one.
        const away = Math.abs(other) > Math.abs(f) ? other : f;
        const toward = away === other ? f : other;
        const cmp = r.value < 0 ? -c : c;
        f = cmp > 0 ? away : cmp < 0 ? toward : (floatBits(f) & 1) === 0 ? f : other;
      }
    }
  }
  return { ...r, value: f, overflow: r.overflow || (Number.isFinite(r.value) && !Number.isFinite(f)) || (r.value !== 0 && f === 0) };
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function floatBits(f: number): number {
  f32[0] = f;
  return u32[0]!;
}
/** The float next to f in the direction of v. */
function nextFloatToward(f: number, v: number): number {
  f32[0] = f;
  if (f === 0) u32[0] = v > 0 ? 1 : 0x8000_0001;
  else u32[0] = u32[0]! + ((v > f) === (f > 0) ? 1 : -1);
  return f32[0]!;
}

/** Sign of (decimal text - d), exactly. */
function compareDecimal(text: string, d: number): number {
  const m = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return 0;
  const neg = m[1] === '-';
  let digits = BigInt((m[2] || '') + (m[3] || '') || '0');
  if (neg) digits = -digits;
  const exp10 = Number(m[4] ?? 0) - (m[3] ?? '').length;
  // d = mant * 2^e2
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, d);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const e2 = bexp === 0 ? -1074 : bexp - 1075;
  if (bexp !== 0) mant |= 1n << 52n;
  if (hi >>> 31) mant = -mant;
  // Compare digits * 10^exp10 with mant * 2^e2 over a common denominator.
  let left = digits;
  let right = mant;
  if (exp10 >= 0) left *= 10n ** BigInt(exp10);
  else right *= 10n ** BigInt(-exp10);
  if (e2 >= 0) right <<= BigInt(e2);
  else left <<= BigInt(-e2);
  return left > right ? 1 : left < right ? -1 : 0;
}

export function strtod(p: Process, s: number, endp: number, flavour: CrtFlavour): number {
  const r = parseDoubleText(p.mem.readCBytes(s), flavour);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (endp) p.mem.setU32(endp, s + r.end);
  return r.value;
}

// ---- integer -> string ------------------------------------------------------------------------

/** _itoa & co.: radix 10 prints a sign for negative signed values; other radices print the two's complement bits. */
export function formatInteger(value: bigint, radix: number, signed: boolean, bits: 32 | 64): string {
  if (signed && radix === 10) return BigInt.asIntN(bits, value).toString(10);
  return BigInt.asUintN(bits, value).toString(radix);
}

function intToAscii(p: Process, fnName: string, value: bigint, dst: number, radix: number, signed: boolean, bits: 32 | 64): number {
  if (!dst || radix < 2 || radix > 36) {
    if (dst) p.mem.setU8(dst, 0);
    invalidParameter(p, fnName, !dst ? 'buffer is NULL' : `radix ${radix} is not 2-36`);
    return dst;
  }
  writeAnsi(p.mem, dst, formatInteger(value, radix, signed, bits), 1252);
  return dst;
}

/** _itoa_s & co.: 0, or EINVAL/ERANGE (with the invalid parameter handler and an emptied buffer). */
function intToAsciiSecure(p: Process, fnName: string, value: bigint, dst: number, size: number, radix: number, signed: boolean, bits: 32 | 64, wide: boolean): number {
  if (!dst || size === 0 || radix < 2 || radix > 36) {
    if (dst && size) wide ? p.mem.setU16(dst, 0) : p.mem.setU8(dst, 0);
    invalidParameter(p, fnName, 'invalid buffer or radix');
    return ERRNO.EINVAL;
  }
  const text = formatInteger(value, radix, signed, bits);
  if (text.length + 1 > size) {
    wide ? p.mem.setU16(dst, 0) : p.mem.setU8(dst, 0);
    invalidParameter(p, fnName, 'the buffer is too small', ERRNO.ERANGE);
    return ERRNO.ERANGE;
  }
  if (wide) writeWide(p.mem, dst, text);
  else writeAnsi(p.mem, dst, text, 1252);
  return 0;
}

// ---- sorting and searching --------------------------------------------------------------------

/** qsort with a guest comparator: a stable merge sort is a valid qsort and keeps results deterministic. */
export function qsort(p: Process, base: number, count: number, size: number, cmp: number, context?: number): void {
  if (count < 2 || size === 0) return;
  const data = p.mem.read(base, count * size);
  // Sorting happens on copies in scratch memory the comparator can read: element i at scratch + i*size.
  const scratch = p.heap.alloc(count * size);
  if (!scratch) throw new Error('qsort: out of guest memory');
  try {
    p.mem.write(scratch, data);
    const order = Array.from({ length: count }, (_, i) => i);
    const compare = (a: number, b: number) =>
      p.callGuest(cmp, 'cdecl', context === undefined ? [scratch + a * size, scratch + b * size] : [context, scratch + a * size, scratch + b * size]) | 0;
    const sorted = mergeSort(order, compare);
    const out = new Uint8Array(count * size);
    sorted.forEach((idx, i) => out.set(data.subarray(idx * size, idx * size + size), i * size));
    p.mem.write(base, out);
  } finally {
    p.heap.free(scratch);
  }
}

function mergeSort(a: number[], cmp: (x: number, y: number) => number): number[] {
  if (a.length < 2) return a;
  const mid = a.length >> 1;
  const l = mergeSort(a.slice(0, mid), cmp);
  const r = mergeSort(a.slice(mid), cmp);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < l.length && j < r.length) out.push(cmp(l[i]!, r[j]!) <= 0 ? l[i++]! : r[j++]!);
  while (i < l.length) out.push(l[i++]!);
  while (j < r.length) out.push(r[j++]!);
  return out;
}

export function bsearch(p: Process, key: number, base: number, count: number, size: number, cmp: number, context?: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = base + mid * size;
    const c = p.callGuest(cmp, 'cdecl', context === undefined ? [key, at] : [context, key, at]) | 0;
    if (c === 0) return at;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}

/** _lfind / _lsearch: a linear search with a guest comparator; _lsearch appends a missing key. */
export function lfind(p: Process, key: number, base: number, pcount: number, size: number, cmp: number, append: boolean): number {
  const count = p.mem.u32(pcount);
  for (let i = 0; i < count; i++) {
    const at = base + i * size;
    if ((p.callGuest(cmp, 'cdecl', [key, at]) | 0) === 0) return at;
  }
  if (!append) return 0;
  const at = base + count * size;
  p.mem.copyWithin(at, key, size);
  p.mem.setU32(pcount, count + 1);
  return at;
}

// ---- multibyte conversions ----------------------------------------------------------------------

/** wcstombs in the "C" locale: bytes written (without NUL), or -1 (EILSEQ) for a character above U+00FF. */
export function wcstombs(p: Process, dst: number, src: number, n: number): number {
  const units = p.mem.readWUnits(src);
  if (units.some((u) => u > 0xff)) {
    setErrno(p, ERRNO.EILSEQ);
    return 0xffff_ffff;
  }
  if (!dst) return units.length;
  const k = Math.min(n, units.length);
  p.mem.write(dst, Uint8Array.from(units.subarray(0, k)));
  if (k < n) p.mem.setU8(dst + k, 0);
  return k;
}

/** mbstowcs in the "C" locale: each byte widens to the character of the same value. */
export function mbstowcs(p: Process, dst: number, src: number, n: number): number {
  const bytes = p.mem.readCBytes(src);
  if (!dst) return bytes.length;
  const k = Math.min(n, bytes.length);
  for (let i = 0; i < k; i++) p.mem.setU16(dst + 2 * i, bytes[i]!);
  if (k < n) p.mem.setU16(dst + 2 * k, 0);
  return k;
}

// ---- environment --------------------------------------------------------------------------------

function envText(p: Process, name: string): string | undefined {
  return p.env.get(name.toUpperCase())?.value;
}

/** getenv/_wgetenv: a pointer to the value that stays valid (one copy per name and value). */
export function getenv(p: Process, name: string | null, wide = false): number {
  const value = name ? envText(p, name) : undefined;
  if (value === undefined) return 0;
  const key = `env${wide ? 'W' : 'A'}:${name!.toUpperCase()}=${value}`;
  let addr = p.cached.get(key);
  if (addr === undefined) {
    if (wide) {
      addr = p.allocStatic(2 * value.length + 2, 2);
      writeWide(p.mem, addr, value);
    } else {
      const { bytes } = encodeString(value, p.ansiCodePage);
      addr = p.allocStatic(bytes.length + 1, 1);
      p.mem.write(addr, bytes);
    }
    p.cached.set(key, addr);
  }
  return addr;
}

/** Sets (or, with an empty value, removes) a variable: the CRT's and the process's environment are one here. */
export function setEnv(p: Process, name: string, value: string): void {
  if (value === '') p.env.delete(name.toUpperCase());
  else p.env.set(name.toUpperCase(), { name, value });
  environmentChanged(p);
}

/** _putenv("NAME=value"): 0, or -1 (EINVAL) for a string without '=' or an empty name. */
export function _putenv(p: Process, s: string | null): number {
  const eq = s ? s.indexOf('=') : -1;
  if (!s || eq <= 0) {
    invalidParameter(p, '_putenv', 'the string is not NAME=value');
    return -1;
  }
  setEnv(p, s.slice(0, eq), s.slice(eq + 1));
  return 0;
}

export function _putenv_s(p: Process, name: string | null, value: string | null): number {
  if (!name || value === null || name.includes('=')) {
    invalidParameter(p, '_putenv_s', 'invalid name or value');
    return ERRNO.EINVAL;
  }
  setEnv(p, name, value);
  return 0;
}

/** getenv_s(&required, buffer, size, name): the value copied, `required` counting the terminator. */
export function getenv_s(p: Process, preq: number, buf: number, size: number, name: string | null, wide: boolean): number {
  if (!preq || (!buf && size > 0) || !name) {
    invalidParameter(p, wide ? '_wgetenv_s' : 'getenv_s', 'invalid argument');
    return ERRNO.EINVAL;
  }
  const value = envText(p, name);
  if (buf && size > 0) wide ? p.mem.setU16(buf, 0) : p.mem.setU8(buf, 0);
  if (value === undefined) {
    p.mem.setU32(preq, 0);
    return 0;
  }
  const bytes = wide ? undefined : encodeString(value, p.ansiCodePage).bytes;
  const need = (wide ? value.length : bytes!.length) + 1;
  p.mem.setU32(preq, need);
  if (!buf) return 0;
  if (size < need) return ERRNO.ERANGE;
  if (wide) writeWide(p.mem, buf, value);
  else {
    p.mem.write(buf, bytes!);
    p.mem.setU8(buf + bytes!.length, 0);
  }
  return 0;
}

/** _dupenv_s(&buffer, &length, name): a malloc'd copy (NULL and 0 when the variable is not set). */
export function _dupenv_s(p: Process, pbuf: number, plen: number, name: string | null, wide: boolean): number {
  if (!pbuf || !name) {
    invalidParameter(p, wide ? '_wdupenv_s' : '_dupenv_s', 'invalid argument');
    return ERRNO.EINVAL;
  }
  const value = envText(p, name);
  p.mem.setU32(pbuf, 0);
  if (plen) p.mem.setU32(plen, 0);
  if (value === undefined) return 0;
  const unit = wide ? 2 : 1;
  const bytes = wide ? undefined : encodeString(value, p.ansiCodePage).bytes;
  const count = (wide ? value.length : bytes!.length) + 1;
  const a = p.heap.alloc(count * unit);
  if (!a) {
    setErrno(p, ERRNO.ENOMEM);
    return ERRNO.ENOMEM;
  }
  if (wide) writeWide(p.mem, a, value);
  else {
    p.mem.write(a, bytes!);
    p.mem.setU8(a + bytes!.length, 0);
  }
  p.mem.setU32(pbuf, a);
  if (plen) p.mem.setU32(plen, count);
  return 0;
}

// ---- random numbers -----------------------------------------------------------------------------

/** rand's seed, per thread as in the CRT (a new thread starts from 1). */
const randState = stateKey('crt.rand', () => new Map<number, number>());

/** rand(): Microsoft's LCG, seed = seed * 214013 + 2531011, result bits 16-30. */
export function rand(p: Process): number {
  const seeds = p.state(randState);
  const id = p.currentThread.id;
  const seed = (Math.imul(seeds.get(id) ?? 1, 214013) + 2531011) >>> 0;
  seeds.set(id, seed);
  return (seed >>> 16) & 0x7fff;
}

export function srand(p: Process, seed: number): void {
  p.state(randState).set(p.currentThread.id, seed >>> 0);
}

/** rand_s: a cryptographically random 32-bit number. */
export function rand_s(p: Process, out: number): number {
  if (!out) {
    invalidParameter(p, 'rand_s', 'the pointer is NULL');
    return ERRNO.EINVAL;
  }
  p.mem.setU32(out, crypto.getRandomValues(new Uint32Array(1))[0]!);
  return 0;
}

// ---- integer arithmetic -------------------------------------------------------------------------

/** div/ldiv: div_t { quot, rem } comes back in EDX:EAX (rem high, quot low). */
function divide(p: Process, a: number, b: number): bigint {
  if (b === 0) p.raiseIntegerDivideByZero();
  // INT_MIN / -1 overflows the idiv inside the real function: #DE as well.
  if (a === -0x8000_0000 && b === -1) p.raiseIntegerDivideByZero();
  const q = Math.trunc(a / b) | 0;
  const r = (a - Math.imul(q, b)) | 0;
  return (BigInt(r >>> 0) << 32n) | BigInt(q >>> 0);
}

function lldiv(p: Process, ret: number, a: bigint, b: bigint): number {
  if (b === 0n) p.raiseIntegerDivideByZero();
  const q = BigInt.asIntN(64, a / b);
  p.mem.setU64(ret, BigInt.asUintN(64, q));
  p.mem.setU64(ret + 8, BigInt.asUintN(64, a % b));
  return ret;
}

const rotl32 = (v: number, n: number) => ((v << (n & 31)) | (v >>> (32 - (n & 31)))) >>> 0;

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function stdlibApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const n = (v: bigint) => Number(v);
  const table: Record<string, Export> = {
    __doserrno: fn('cdecl', [], 'ptr', (p) => p.state(crt).doserrnoAddr),
    __mb_cur_max: dataAt((p) => p.state(crt).mbCurMax),
    __p___mb_cur_max: fn('cdecl', [], 'ptr', (p) => p.state(crt).mbCurMax),
    _abs64: fn('cdecl', ['int64'], 'int64', (_p, v) => BigInt.asIntN(64, v < 0n ? -v : v)),
    _atoi64: fn('cdecl', ['ptr'], 'int64', (p, s) => atoint(p, s, 'i64')),
    _byteswap_uint64: fn('cdecl', ['int64'], 'int64', (_p, v) => {
      let x = BigInt.asUintN(64, v);
      let out = 0n;
      for (let i = 0; i < 8; i++, x >>= 8n) out = (out << 8n) | (x & 0xffn);
      return out;
    }),
    _byteswap_ulong: fn('cdecl', ['long'], 'long', (_p, v) => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0),
    _byteswap_ushort: fn('cdecl', ['long'], 'long', (_p, v) => ((v & 0xff) << 8) | ((v >>> 8) & 0xff)),
    _getpid: fn('cdecl', [], 'int', (p) => p.processId),
    _i64toa: fn('cdecl', ['int64', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToAscii(p, '_i64toa', v, d, radix, true, 64), r),
    _itoa: fn('cdecl', ['int', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToAscii(p, '_itoa', BigInt(v), d, radix, true, 32), r),
    _lfind: fn('cdecl', ['ptr', 'ptr', 'ptr', 'long', 'ptr'], 'ptr', (p, k, b, c, s, f) => lfind(p, k, b, c, s, f, false), r),
    _lrotl: fn('cdecl', ['long', 'int'], 'long', (_p, v, s) => rotl32(v, s)),
    _lrotr: fn('cdecl', ['long', 'int'], 'long', (_p, v, s) => rotl32(v, 32 - (s & 31))),
    _lsearch: fn('cdecl', ['ptr', 'ptr', 'ptr', 'long', 'ptr'], 'ptr', (p, k, b, c, s, f) => lfind(p, k, b, c, s, f, true), r),
    _ltoa: fn('cdecl', ['int', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToAscii(p, '_ltoa', BigInt(v), d, radix, true, 32), r),
    _putenv: fn('cdecl', ['str'], 'int', _putenv, r),
    _rotl: fn('cdecl', ['long', 'int'], 'long', (_p, v, s) => rotl32(v, s)),
    _rotl64: fn('cdecl', ['int64', 'int'], 'int64', (_p, v, s) => {
      const k = BigInt(s & 63);
      const x = BigInt.asUintN(64, v);
      return BigInt.asUintN(64, (x << k) | (x >> ((64n - k) & 63n)));
    }),
    _rotr: fn('cdecl', ['long', 'int'], 'long', (_p, v, s) => rotl32(v, 32 - (s & 31))),
    _rotr64: fn('cdecl', ['int64', 'int'], 'int64', (_p, v, s) => {
      const k = BigInt(s & 63);
      const x = BigInt.asUintN(64, v);
      return BigInt.asUintN(64, (x >> k) | (x << ((64n - k) & 63n)));
    }),
    _strtoi64: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => strtoint(p, s, e, b, 'i64', '_strtoi64'), r),
    _strtoui64: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => strtoint(p, s, e, b, 'u64', '_strtoui64'), r),
    _swab: fn('cdecl', ['ptr', 'ptr', 'int'], 'void', (p, src, dst, count) => {
      const b = p.mem.read(src, Math.max(0, count & ~1));
      for (let i = 0; i + 1 < b.length; i += 2) [b[i], b[i + 1]] = [b[i + 1]!, b[i]!];
      p.mem.write(dst, b);
    }),
    _ui64toa: fn('cdecl', ['int64', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToAscii(p, '_ui64toa', v, d, radix, false, 64), r),
    _ultoa: fn('cdecl', ['long', 'ptr', 'int'], 'ptr', (p, v, d, radix) => intToAscii(p, '_ultoa', BigInt(v), d, radix, false, 32), r),
    _wgetenv: fn('cdecl', ['wstr'], 'ptr', (p, name) => getenv(p, name, true)),
    _wputenv: fn('cdecl', ['wstr'], 'int', _putenv, r),
    abs: fn('cdecl', ['int'], 'int', (_p, v) => (v === -0x8000_0000 ? v : Math.abs(v))),
    atof: fn('cdecl', ['ptr'], 'double', (p, s) => strtod(p, s, 0, flavour)),
    atoi: fn('cdecl', ['ptr'], 'int', (p, s) => n(atoint(p, s, 'i32'))),
    atol: fn('cdecl', ['ptr'], 'int', (p, s) => n(atoint(p, s, 'i32'))),
    bsearch: fn('cdecl', ['ptr', 'ptr', 'long', 'long', 'ptr'], 'ptr', (p, k, b, c, s, f) => bsearch(p, k, b, c, s, f), r),
    div: fn('cdecl', ['int', 'int'], 'int64', divide),
    getenv: fn('cdecl', ['str'], 'ptr', (p, name) => getenv(p, name)),
    labs: fn('cdecl', ['int'], 'int', (_p, v) => (v === -0x8000_0000 ? v : Math.abs(v))),
    ldiv: fn('cdecl', ['int', 'int'], 'int64', divide),
    mbstowcs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', mbstowcs),
    qsort: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'void', (p, b, c, s, f) => qsort(p, b, c, s, f), r),
    rand: fn('cdecl', [], 'int', rand),
    srand: fn('cdecl', ['long'], 'void', srand),
    strtod: fn('cdecl', ['ptr', 'ptr'], 'double', (p, s, e) => strtod(p, s, e, flavour)),
    strtol: fn('cdecl', ['ptr', 'ptr', 'int'], 'int', (p, s, e, b) => n(strtoint(p, s, e, b, 'i32', 'strtol')), r),
    strtoul: fn('cdecl', ['ptr', 'ptr', 'int'], 'long', (p, s, e, b) => n(strtoint(p, s, e, b, 'u32', 'strtoul')), r),
    wcstombs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', wcstombs),
  };
  Object.assign(table, {
    // _atodbl / _atoflt: 0, _OVERFLOW (3) or _UNDERFLOW (4); the value goes to a _CRT_DOUBLE / _CRT_FLOAT.
    _atodbl: fn('cdecl', ['ptr', 'ptr'], 'int', (p, out, s) => {
      const r = parseDoubleText(p.mem.readCBytes(s), flavour);
      p.mem.setF64(out, r.value);
      return r.overflow ? (r.value === 0 ? 4 : 3) : 0;
    }),
    _atoflt: fn('cdecl', ['ptr', 'ptr'], 'int', (p, out, s) => {
      const r = parseFloatText(p.mem.readCBytes(s), flavour);
      p.mem.setF32(out, r.value);
      return r.overflow ? (r.value === 0 ? 4 : 3) : 0;
    }),
    _atof_l: fn('cdecl', ['ptr', 'ptr'], 'double', (p, s, _l) => strtod(p, s, 0, flavour)),
    _atoi_l: fn('cdecl', ['ptr', 'ptr'], 'int', (p, s, _l) => n(atoint(p, s, 'i32'))),
    _atoi64_l: fn('cdecl', ['ptr', 'ptr'], 'int64', (p, s, _l) => atoint(p, s, 'i64')),
    _atol_l: fn('cdecl', ['ptr', 'ptr'], 'int', (p, s, _l) => n(atoint(p, s, 'i32'))),
  });
  table._ecvt = fn('cdecl', ['double', 'int', 'ptr', 'ptr'], 'ptr', (p, v, c, d, sg) => cvt(p, '_ecvt', v, c, d, sg, false, flavour), r);
  table._fcvt = fn('cdecl', ['double', 'int', 'ptr', 'ptr'], 'ptr', (p, v, c, d, sg) => cvt(p, '_fcvt', v, c, d, sg, true, flavour), r);
  if (hasSecureCrt(version)) {
    table._ecvt_s = fn('cdecl', ['ptr', 'long', 'double', 'int', 'ptr', 'ptr'], 'int', (p, b, n, v, c, d, sg) => cvtSecure(p, '_ecvt_s', b, n, v, c, d, sg, false, flavour), r);
    table._fcvt_s = fn('cdecl', ['ptr', 'long', 'double', 'int', 'ptr', 'ptr'], 'int', (p, b, n, v, c, d, sg) => cvtSecure(p, '_fcvt_s', b, n, v, c, d, sg, true, flavour), r);
  }
  if (hasSecureCrt(version)) {
    Object.assign(table, {
      _dupenv_s: fn('cdecl', ['ptr', 'ptr', 'str'], 'int', (p, b, l, name) => _dupenv_s(p, b, l, name, false), r),
      _get_doserrno: fn('cdecl', ['ptr'], 'int', (p, out) => getErrnoInto(p, out, p.state(crt).doserrnoAddr), r),
      _get_errno: fn('cdecl', ['ptr'], 'int', (p, out) => getErrnoInto(p, out, p.state(crt).errnoAddr), r),
      _i64toa_s: fn('cdecl', ['int64', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_i64toa_s', v, d, size, radix, true, 64, false), r),
      _i64tow_s: fn('cdecl', ['int64', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_i64tow_s', v, d, size, radix, true, 64, true), r),
      _itoa_s: fn('cdecl', ['int', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_itoa_s', BigInt(v), d, size, radix, true, 32, false), r),
      _itow_s: fn('cdecl', ['int', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_itow_s', BigInt(v), d, size, radix, true, 32, true), r),
      _ltoa_s: fn('cdecl', ['int', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ltoa_s', BigInt(v), d, size, radix, true, 32, false), r),
      _ltow_s: fn('cdecl', ['int', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ltow_s', BigInt(v), d, size, radix, true, 32, true), r),
      _putenv_s: fn('cdecl', ['str', 'str'], 'int', _putenv_s, r),
      _set_doserrno: fn('cdecl', ['int'], 'int', (p, v) => (p.mem.setU32(p.state(crt).doserrnoAddr, v), 0)),
      _set_errno: fn('cdecl', ['int'], 'int', (p, v) => (setErrno(p, v), 0)),
      _strtoi64_l: fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int64', (p, s, e, b, _l) => strtoint(p, s, e, b, 'i64', '_strtoi64_l'), r),
      _strtol_l: fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int', (p, s, e, b, _l) => n(strtoint(p, s, e, b, 'i32', '_strtol_l')), r),
      _strtod_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'double', (p, s, e, _l) => strtod(p, s, e, flavour)),
      _strtoui64_l: fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'int64', (p, s, e, b, _l) => strtoint(p, s, e, b, 'u64', '_strtoui64_l'), r),
      _strtoul_l: fn('cdecl', ['ptr', 'ptr', 'int', 'ptr'], 'long', (p, s, e, b, _l) => n(strtoint(p, s, e, b, 'u32', '_strtoul_l')), r),
      _ui64toa_s: fn('cdecl', ['int64', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ui64toa_s', v, d, size, radix, false, 64, false), r),
      _ui64tow_s: fn('cdecl', ['int64', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ui64tow_s', v, d, size, radix, false, 64, true), r),
      _ultoa_s: fn('cdecl', ['long', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ultoa_s', BigInt(v), d, size, radix, false, 32, false), r),
      _ultow_s: fn('cdecl', ['long', 'ptr', 'long', 'int'], 'int', (p, v, d, size, radix) => intToAsciiSecure(p, '_ultow_s', BigInt(v), d, size, radix, false, 32, true), r),
      _wdupenv_s: fn('cdecl', ['ptr', 'ptr', 'wstr'], 'int', (p, b, l, name) => _dupenv_s(p, b, l, name, true), r),
      _wgetenv_s: fn('cdecl', ['ptr', 'ptr', 'long', 'wstr'], 'int', (p, q, b, s, name) => getenv_s(p, q, b, s, name, true), r),
      _wputenv_s: fn('cdecl', ['wstr', 'wstr'], 'int', _putenv_s, r),
      bsearch_s: fn('cdecl', ['ptr', 'ptr', 'long', 'long', 'ptr', 'ptr'], 'ptr', (p, k, b, c, s, f, ctx) => bsearch(p, k, b, c, s, f, ctx), r),
      getenv_s: fn('cdecl', ['ptr', 'ptr', 'long', 'str'], 'int', (p, q, b, s, name) => getenv_s(p, q, b, s, name, false), r),
      qsort_s: fn('cdecl', ['ptr', 'long', 'long', 'ptr', 'ptr'], 'void', (p, b, c, s, f, ctx) => qsort(p, b, c, s, f, ctx), r),
      rand_s: fn('cdecl', ['ptr'], 'int', rand_s, r),
    });
  }
  if (flavour === 'ucrt' || version >= 120) {
    // C99 additions (Visual C++ 2013 and later).
    Object.assign(table, {
      atoll: fn('cdecl', ['ptr'], 'int64', (p, s) => atoint(p, s, 'i64')),
      llabs: fn('cdecl', ['int64'], 'int64', (_p, v) => BigInt.asIntN(64, v < 0n ? -v : v)),
      lldiv: fn('cdecl', ['ptr', 'int64', 'int64'], 'ptr', lldiv),
      strtof: fn('cdecl', ['ptr', 'ptr'], 'float', (p, s, e) => {
        const res = parseFloatText(p.mem.readCBytes(s), flavour);
        if (res.overflow) setErrno(p, ERRNO.ERANGE);
        if (e) p.mem.setU32(e, s + res.end);
        return res.value;
      }),
      strtoll: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => strtoint(p, s, e, b, 'i64', 'strtoll'), r),
      strtoull: fn('cdecl', ['ptr', 'ptr', 'int'], 'int64', (p, s, e, b) => strtoint(p, s, e, b, 'u64', 'strtoull'), r),
    });
  }
  return table;
}

/**
 * _ecvt (count significant digits) / _fcvt (count digits after the point): the digits of |value|, rounded
 * as printf rounds them, with the decimal point's position and the sign apart. Zero gives zeros and
 * position 0.
 */
export function cvtDigits(value: number, count: number, fixed: boolean, flavour: CrtFlavour): { digits: string; dec: number; neg: boolean } {
  const neg = value < 0 || Object.is(value, -0);
  const a = Math.abs(value);
  const n = Math.max(0, Math.min(count, 348));
  if (a === 0) return { digits: '0'.repeat(fixed ? n : n), dec: 0, neg };
  const d = decimalDigits(a, flavour);
  const keep = fixed ? d.point + n : n;
  if (keep <= 0) {
    // Nothing survives the rounding but a possible carry into the first place.
    const r = roundDigits(d, 0, flavour);
    return r.digits ? { digits: r.digits, dec: r.point, neg } : { digits: '', dec: -n, neg };
  }
  const r = roundDigits(d, keep, flavour);
  const digits = r.digits.padEnd(fixed ? r.point + n : n, '0');
  return { digits, dec: r.point, neg };
}

function cvt(p: Process, fnName: string, value: number, count: number, pdec: number, psign: number, fixed: boolean, flavour: CrtFlavour): number {
  if (!pdec || !psign) {
    invalidParameter(p, fnName, 'a pointer is NULL');
    return 0;
  }
  const r = cvtDigits(value, count, fixed, flavour);
  const buf = staticBufferOf(p);
  writeAnsi(p.mem, buf, r.digits.slice(0, 348), 1252);
  p.mem.setU32(pdec, r.dec >>> 0);
  p.mem.setU32(psign, r.neg ? 1 : 0);
  return buf;
}

function cvtSecure(p: Process, fnName: string, buf: number, size: number, value: number, count: number, pdec: number, psign: number, fixed: boolean, flavour: CrtFlavour): number {
  if (!buf || size === 0 || !pdec || !psign) {
    if (buf && size) p.mem.setU8(buf, 0);
    invalidParameter(p, fnName, 'invalid argument');
    return ERRNO.EINVAL;
  }
  const r = cvtDigits(value, count, fixed, flavour);
  if (r.digits.length + 1 > size) {
    p.mem.setU8(buf, 0);
    invalidParameter(p, fnName, 'the buffer is too small', ERRNO.ERANGE);
    return ERRNO.ERANGE;
  }
  writeAnsi(p.mem, buf, r.digits, 1252);
  p.mem.setU32(pdec, r.dec >>> 0);
  p.mem.setU32(psign, r.neg ? 1 : 0);
  return 0;
}

function staticBufferOf(p: Process): number {
  const key = 'crt:cvtbuf';
  let a = p.cached.get(key);
  if (a === undefined) {
    a = p.allocStatic(349, 1); // _CVTBUFSIZE
    p.cached.set(key, a);
  }
  return a;
}

function getErrnoInto(p: Process, out: number, from: number): number {
  if (!out) {
    invalidParameter(p, '_get_errno', 'the pointer is NULL');
    return ERRNO.EINVAL;
  }
  p.mem.setU32(out, p.mem.u32(from));
  return 0;
}
