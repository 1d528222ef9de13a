// <stdlib.h> conversions and algorithms.
import { dataAt, fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { crt } from './state.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString } from '../text.js';
import { ERRNO, setErrno } from './state.js';
import { ctype } from './string.js';

/** strtol/strtoul core on a byte string: returns value (clamped), bytes consumed, overflow flag. */
export function parseInteger(b: Uint8Array, base: number, signed: boolean): { value: number; end: number; overflow: boolean } {
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
  if (base < 2 || base > 36) return { value: 0, end: 0, overflow: false };
  const start = i;
  let v = 0n;
  const B = BigInt(base);
  const cap = 1n << 40n; // past any 32-bit limit: stop growing, keep consuming digits
  while (i < b.length) {
    const c = b[i]!;
    const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x7a ? c - 0x61 + 10 : c >= 0x41 && c <= 0x5a ? c - 0x41 + 10 : 99;
    if (d >= base) break;
    if (v < cap) v = v * B + BigInt(d);
    i++;
  }
  if (i === start) return { value: 0, end: 0, overflow: false };
  let value: bigint;
  let overflow = false;
  if (signed) {
    const max = neg ? 0x8000_0000n : 0x7fff_ffffn;
    if (v > max) {
      overflow = true;
      v = max;
    }
    value = neg ? -v : v;
  } else {
    if (v > 0xffff_ffffn) {
      overflow = true;
      v = 0xffff_ffffn;
      neg = false;
    }
    value = neg ? BigInt.asUintN(32, -v) : v;
  }
  return { value: Number(value), end: i, overflow };
}

export function strtol(p: Process, s: number, endp: number, base: number, signed = true): number {
  const b = p.mem.readCBytes(s);
  const r = parseInteger(b, base | 0, signed);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (endp) p.mem.setU32(endp, s + r.end);
  return r.value;
}

/** atoi/atol: as strtol in base 10, clamping to INT_MIN/INT_MAX with errno ERANGE (Microsoft documents both). */
export function atoi(p: Process, s: number): number {
  const r = parseInteger(p.mem.readCBytes(s), 10, true);
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  return r.value;
}

/** strtod on a byte string, as exact as JS's own number parsing (correctly rounded). */
export function parseDouble(b: Uint8Array): { value: number; end: number; overflow: boolean } {
  const text = decodeBytes(b, 1252);
  const m = /^[\t\n\v\f\r ]*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?\d+)?|inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?))/i.exec(text);
  if (!m) return { value: 0, end: 0, overflow: false };
  const t = m[1]!;
  let value: number;
  const sign = t.startsWith('-') ? -1 : 1;
  const u = t.replace(/^[+-]/, '');
  if (/^inf/i.test(u)) value = sign * Infinity;
  else if (/^nan/i.test(u)) value = NaN;
  else if (/^0x/i.test(u)) value = sign * parseHexFloat(u.slice(2));
  else value = Number(t.replace(/\.$/, '').replace(/\.(?=[eE])/, ''));
  const overflow = !Number.isFinite(value) && !/inf|nan/i.test(u);
  return { value, end: m[0].length, overflow: overflow || (value === 0 && /[1-9]/.test(u.split(/[eE]/)[0]!)) };
}

function parseHexFloat(h: string): number {
  const [mant, exp] = h.split(/[pP]/) as [string, string | undefined];
  const [i, f = ''] = mant.split('.');
  const digits = (i ?? '') + f;
  let v = 0;
  for (const d of digits) v = v * 16 + parseInt(d, 16);
  return v * 2 ** (Number(exp ?? 0) - 4 * f.length);
}

export function strtod(p: Process, s: number, endp: number): number {
  const r = parseDouble(p.mem.readCBytes(s));
  if (r.overflow) setErrno(p, ERRNO.ERANGE);
  if (endp) p.mem.setU32(endp, s + r.end);
  return r.value;
}

export function atof(p: Process, s: number): number {
  return parseDouble(p.mem.readCBytes(s)).value;
}

/** qsort with a guest comparator: a stable merge sort is a valid qsort and keeps results deterministic. */
export function qsort(p: Process, base: number, count: number, size: number, cmp: number): void {
  if (count < 2 || size === 0) return;
  const data = p.mem.read(base, count * size);
  // Sorting happens on copies in scratch memory the comparator can read: element i at scratch + i*size.
  const scratch = p.heap.alloc(count * size);
  if (!scratch) throw new Error('qsort: out of guest memory');
  try {
    p.mem.write(scratch, data);
    const order = Array.from({ length: count }, (_, i) => i);
    const compare = (a: number, b: number) => p.callGuest(cmp, 'cdecl', [scratch + a * size, scratch + b * size]) | 0;
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

export function bsearch(p: Process, key: number, base: number, count: number, size: number, cmp: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = base + mid * size;
    const c = p.callGuest(cmp, 'cdecl', [key, at]) | 0;
    if (c === 0) return at;
    if (c < 0) hi = mid;
    else lo = mid + 1;
  }
  return 0;
}

/** wcstombs with the ANSI code page; returns bytes written (without NUL) or -1 for unconvertible text. */
export function wcstombs(p: Process, dst: number, src: number, n: number): number {
  const units = p.mem.readWUnits(src);
  const { bytes, lossy } = encodeString(String.fromCharCode(...units), p.ansiCodePage);
  if (lossy) {
    setErrno(p, ERRNO.EILSEQ);
    return 0xffff_ffff;
  }
  if (!dst) return bytes.length;
  const k = Math.min(n, bytes.length);
  p.mem.write(dst, bytes.subarray(0, k));
  if (k < n) p.mem.setU8(dst + k, 0);
  return k;
}

export function mbstowcs(p: Process, dst: number, src: number, n: number): number {
  const text = decodeBytes(p.mem.readCBytes(src), p.ansiCodePage);
  if (!dst) return text.length;
  const k = Math.min(n, text.length);
  for (let i = 0; i < k; i++) p.mem.setU16(dst + 2 * i, text.charCodeAt(i));
  if (k < n) p.mem.setU16(dst + 2 * k, 0);
  return k;
}

export function getenv(p: Process, name: string | null): number {
  const e = name ? p.env.get(name.toUpperCase()) : undefined;
  if (!e) return 0;
  const key = `env:${e.name}=${e.value}`;
  let addr = p.cached.get(key);
  if (addr === undefined) {
    const { bytes } = encodeString(e.value, p.ansiCodePage);
    addr = p.allocStatic(bytes.length + 1, 1);
    p.mem.write(addr, bytes);
    p.cached.set(key, addr);
  }
  return addr;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function stdlibApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    __mb_cur_max: dataAt((p) => p.state(crt).mbCurMax),
    __p___mb_cur_max: fn('cdecl', [], 'ptr', (p) => p.state(crt).mbCurMax),
    _iob: dataAt((p) => p.state(crt).iob),
    atof: fn('cdecl', ['ptr'], 'double', atof),
    atoi: fn('cdecl', ['ptr'], 'int', atoi),
    atol: fn('cdecl', ['ptr'], 'int', atoi),
    bsearch: fn('cdecl', ['ptr', 'ptr', 'long', 'long', 'ptr'], 'ptr', bsearch, { reentrant: true }),
    getenv: fn('cdecl', ['str'], 'ptr', getenv),
    mbstowcs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', mbstowcs),
    qsort: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'void', qsort, { reentrant: true }),
    strtod: fn('cdecl', ['ptr', 'ptr'], 'double', strtod),
    strtol: fn('cdecl', ['ptr', 'ptr', 'int'], 'int', (p, s, e, b) => strtol(p, s, e, b, true)),
    strtoul: fn('cdecl', ['ptr', 'ptr', 'int'], 'long', (p, s, e, b) => strtol(p, s, e, b, false)),
    wcstombs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', wcstombs),
  };
}
