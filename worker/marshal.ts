// Converting JS values to and from guest memory according to C types: scalars, strings, buffers,
// arrays, structs (with nested structs and arrays), pointers as raw addresses.
//
// Integers up to 32 bits are JS numbers, 64-bit ones bigints (a parameter takes either). `char` and
// `wchar_t` are integer types: a result is a number (to_upper('a') === 65), a parameter takes a number
// or a one-character string, encoded in the library's charset for `char`. `bool` results are booleans.
// `char *` / `wchar_t *` results and callback arguments are decoded to strings; other pointers are
// addresses (numbers).

import { WowasmError } from '../emulator/errors.js';
import type { GuestMemory } from '../emulator/memory.js';
import { decodeBytes, decodeUtf16, encodeString } from '../thunks/text.js';
import { isCharPointer, isWcharPointer, type CType } from './types.js';

/** How narrow (char) strings are encoded in guest memory. */
export type Charset = 'windows-1252' | 'utf-8';

/** A JS value does not fit the C type it is passed as. */
export class ArgumentTypeError extends WowasmError {
  constructor(where: string, expected: string, got: unknown) {
    super('WOWASM_BAD_ARGUMENT', `${where}: expected ${expected}, got ${describeValue(got)}`, { where, expected });
  }
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name} of ${v.byteLength} bytes`;
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return typeof v === 'object' ? 'an object' : `${typeof v} ${String(v)}`;
}

/** Scratch guest memory for the duration of one call (strings, buffers, structs passed by pointer). */
export interface Scratch {
  alloc(size: number, align?: number): number;
}

export interface MarshalContext {
  mem: GuestMemory;
  scratch: Scratch;
  charset: Charset;
  /** Turns a JS function into a guest-callable address for a function-pointer type. */
  callback(type: CType & { kind: 'function' }, fn: Function, where: string): number;
}

export function encodeNarrow(s: string, charset: Charset, where: string): Uint8Array {
  if (charset === 'utf-8') return new TextEncoder().encode(s);
  const { bytes, lossy } = encodeString(s, 1252);
  if (lossy) throw new ArgumentTypeError(where, 'text representable in Windows-1252 (load with { charset: "utf-8" } for UTF-8)', s);
  return bytes;
}

export function decodeNarrow(b: Uint8Array, charset: Charset): string {
  return charset === 'utf-8' ? new TextDecoder().decode(b) : decodeBytes(b, 1252);
}

/** Bytes of a narrow string with its NUL, in scratch memory; returns the address. */
export function stringIn(ctx: MarshalContext, s: string, wide: boolean, where: string): number {
  if (wide) {
    const at = ctx.scratch.alloc(2 * s.length + 2, 2);
    for (let i = 0; i < s.length; i++) ctx.mem.setU16(at + 2 * i, s.charCodeAt(i));
    ctx.mem.setU16(at + 2 * s.length, 0);
    return at;
  }
  const b = encodeNarrow(s, ctx.charset, where);
  const at = ctx.scratch.alloc(b.length + 1, 1);
  ctx.mem.write(at, b);
  ctx.mem.setU8(at + b.length, 0);
  return at;
}

/**
 * A JS value for an integer type, checked to fit: a number or bigint within the type's width (either
 * signedness: -1 passes as 0xff for an unsigned char), a boolean, or a one-character string for 8- and
 * 16-bit types (a char is encoded in the library's charset, a wchar_t is one UTF-16 unit).
 */
export function intValue(v: unknown, t: CType & { kind: 'int' }, where: string, charset: Charset = 'windows-1252'): bigint {
  let n: bigint;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  // A C bool is 0 or 1 (compilers rely on it): any other number converts as `(bool)x` would.
  if (t.flavour === 'bool') {
    if ((typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint') return v ? 1n : 0n;
    throw new ArgumentTypeError(where, `a boolean for ${t.name}`, v);
  }
  if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string' && t.size === 1) {
    const b = v.length === 1 ? encodeNarrowChar(v, charset) : undefined;
    if (b === undefined) throw new ArgumentTypeError(where, `one character of ${charsetName(charset)} (or a number) for ${t.name}`, v);
    return BigInt(b);
  } else if (typeof v === 'string' && t.size === 2 && v.length === 1) return BigInt(v.charCodeAt(0));
  else throw new ArgumentTypeError(where, `an integer for ${t.name}`, v);
  const bits = BigInt(t.size * 8);
  if (n < -(1n << (bits - 1n)) || n >= 1n << bits) throw new ArgumentTypeError(where, `an integer that fits ${t.name} (${t.size * 8} bits)`, v);
  return n;
}

/** The byte of a one-character string in `charset`, if it is exactly one byte there. */
function encodeNarrowChar(s: string, charset: Charset): number | undefined {
  if (charset === 'utf-8') {
    const b = new TextEncoder().encode(s);
    return b.length === 1 ? b[0] : undefined;
  }
  const { bytes, lossy } = encodeString(s, 1252);
  return lossy || bytes.length !== 1 ? undefined : bytes[0];
}

function charsetName(charset: Charset): string {
  return charset === 'utf-8' ? 'UTF-8 that is one byte long' : 'Windows-1252';
}

/**
 * The 32-bit stack slot or register for an integer of at most 32 bits: truncated to the type's width,
 * then sign- or zero-extended by its signedness, as MSVC and GCC callers do.
 */
export function intSlot(v: unknown, t: CType & { kind: 'int' }, where: string, charset: Charset): number {
  const n = intValue(v, t, where, charset);
  const bits = t.size * 8;
  return Number(t.signed ? BigInt.asUintN(32, BigInt.asIntN(bits, n)) : BigInt.asUintN(bits, n));
}

/** Writes `value` as `t` at `addr`. Pointers inside structs accept addresses, null, and strings. */
export function encodeAt(ctx: MarshalContext, addr: number, t: CType, value: unknown, where: string): void {
  const mem = ctx.mem;
  switch (t.kind) {
    case 'int': {
      const v = BigInt.asUintN(t.size * 8, intValue(value, t, where, ctx.charset));
      if (t.size === 1) mem.setU8(addr, Number(v));
      else if (t.size === 2) mem.setU16(addr, Number(v));
      else if (t.size === 4) mem.setU32(addr, Number(v));
      else mem.setU64(addr, v);
      return;
    }
    case 'float':
      if (typeof value !== 'number') throw new ArgumentTypeError(where, `a number for ${t.name}`, value);
      if (t.size === 4) mem.setF32(addr, value);
      else mem.setF64(addr, value);
      return;
    case 'pointer':
      mem.setU32(addr, pointerValue(ctx, t, value, where));
      return;
    case 'array': {
      if (t.of.kind === 'int' && t.of.flavour === 'char' && typeof value === 'string') {
        const b = encodeNarrow(value, ctx.charset, where);
        if (b.length >= t.length) throw new ArgumentTypeError(where, `a string shorter than ${t.length} bytes`, value);
        mem.fill(addr, 0, t.size);
        mem.write(addr, b);
        return;
      }
      if (t.of.kind === 'int' && t.of.flavour === 'wchar' && typeof value === 'string') {
        if (value.length >= t.length) throw new ArgumentTypeError(where, `a string shorter than ${t.length} characters`, value);
        mem.fill(addr, 0, t.size);
        for (let i = 0; i < value.length; i++) mem.setU16(addr + 2 * i, value.charCodeAt(i));
        return;
      }
      const items = arrayLike(value);
      if (!items || items.length > t.length) throw new ArgumentTypeError(where, `an array of at most ${t.length} ${t.of.name}`, value);
      mem.fill(addr, 0, t.size);
      for (let i = 0; i < items.length; i++) encodeAt(ctx, addr + i * t.of.size, t.of, items[i], `${where}[${i}]`);
      return;
    }
    case 'struct': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ArgumentTypeError(where, `an object for struct ${t.name}`, value);
      const obj = value as Record<string, unknown>;
      mem.fill(addr, 0, t.size);
      for (const f of t.fields) {
        if (!(f.name in obj)) continue; // missing fields stay zero, as `= {0}` would leave them
        encodeAt(ctx, addr + f.offset, f.type, obj[f.name], `${where}.${f.name}`);
      }
      for (const k of Object.keys(obj)) if (!t.fields.some((f) => f.name === k)) throw new ArgumentTypeError(where, `fields of ${t.name} (${t.fields.map((f) => f.name).join(', ')})`, `a field "${k}"`);
      return;
    }
    default:
      throw new ArgumentTypeError(where, `a value of a passable type, not ${t.name}`, value);
  }
}

function arrayLike(v: unknown): ArrayLike<unknown> | undefined {
  if (Array.isArray(v)) return v;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return v as unknown as ArrayLike<unknown>;
  return undefined;
}

/** A pointer-typed value that needs no copy-back: address, null, string, callback. */
export function pointerValue(ctx: MarshalContext, t: CType & { kind: 'pointer' }, value: unknown, where: string): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff) throw new ArgumentTypeError(where, 'a 32-bit guest address', value);
    return value;
  }
  if (typeof value === 'string') {
    if (isCharPointer(t)) return stringIn(ctx, value, false, where);
    if (isWcharPointer(t)) return stringIn(ctx, value, true, where);
    throw new ArgumentTypeError(where, `${t.name} (strings go to char * or wchar_t * parameters)`, value);
  }
  if (typeof value === 'function') {
    if (t.to.kind !== 'function') throw new ArgumentTypeError(where, `${t.name} (a JS function needs a function-pointer parameter)`, value);
    return ctx.callback(t.to, value, where);
  }
  throw new ArgumentTypeError(where, `${t.name}: an address, null or a string`, value);
}

/** Reads a `t` at `addr` into a JS value. */
export function decodeAt(mem: GuestMemory, addr: number, t: CType, charset: Charset): unknown {
  switch (t.kind) {
    case 'int': {
      let v: number | bigint;
      if (t.size === 1) v = t.signed ? mem.i8(addr) : mem.u8(addr);
      else if (t.size === 2) v = t.signed ? mem.i16(addr) : mem.u16(addr);
      else if (t.size === 4) v = t.signed ? mem.i32(addr) : mem.u32(addr);
      else v = t.signed ? mem.i64(addr) : mem.u64(addr);
      return t.flavour === 'bool' ? v !== 0 : v;
    }
    case 'float':
      return t.size === 4 ? mem.f32(addr) : mem.f64(addr);
    case 'pointer':
      return mem.u32(addr);
    case 'array': {
      if (t.of.kind === 'int' && t.of.flavour === 'char') {
        const b = mem.read(addr, t.length);
        const nul = b.indexOf(0);
        return decodeNarrow(nul >= 0 ? b.subarray(0, nul) : b, charset);
      }
      if (t.of.kind === 'int' && t.of.flavour === 'wchar') {
        let s = '';
        for (let i = 0; i < t.length; i++) {
          const c = mem.u16(addr + 2 * i);
          if (c === 0) break;
          s += String.fromCharCode(c);
        }
        return s;
      }
      return Array.from({ length: t.length }, (_, i) => decodeAt(mem, addr + i * t.of.size, t.of, charset));
    }
    case 'struct': {
      const out: Record<string, unknown> = {};
      for (const f of t.fields) out[f.name] = decodeAt(mem, addr + f.offset, f.type, charset);
      return out;
    }
    default:
      return undefined;
  }
}

/** A narrow or wide C string at a guest address, or null. */
export function readString(mem: GuestMemory, addr: number, wide: boolean, charset: Charset): string | null {
  if (addr === 0) return null;
  if (wide) return decodeUtf16(mem.readWUnits(addr));
  return decodeNarrow(mem.readCBytes(addr), charset);
}
