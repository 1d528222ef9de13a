// wsprintfA/W and wvsprintfA/W: user32's own small printf. Its rules (Microsoft's wsprintf page):
// `%[-][#][0][width][.precision]type`, flags only in that order; types c C d i u x X p s S with the
// size prefixes h, l, w, I, I32, I64; no floating point and no `*` widths. A character after `%` that
// is no type is printed as it is. NULL strings print "(null)", zero characters print nothing. The
// output holds at most 1024 characters including the NUL, so longer results are cut at 1023.

import { varargs, fn, type VarArgs } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString, writeWide } from '../text.js';
import { vaList } from '../crt/printf.js';

export const WSPRINTF_MAX = 1024;

/** Where the arguments come from: the stack of a varargs call, or a va_list (crt/printf.ts vaList). */
interface Args {
  u32(): number;
  u64(): bigint;
}

interface Spec {
  left: boolean;
  hexPrefix: boolean;
  zero: boolean;
  width: number;
  precision: number | undefined;
  size: '' | 'h' | 'l' | 'w' | 'I' | 'I32' | 'I64';
  type: string;
}

/**
 * Formats the format string's units (bytes for A, UTF-16 units for W) into output units. Returns the
 * text, already limited to 1023 units.
 */
export function formatWsprintf(p: Process, fmt: ArrayLike<number>, args: Args, wide: boolean): number[] {
  const out: number[] = [];
  const limit = WSPRINTF_MAX - 1;
  const text = (units: number[]) => {
    for (const u of units) if (out.length < limit) out.push(u);
  };
  const at = (i: number) => (i < fmt.length ? fmt[i]! : 0);
  let i = 0;
  while (i < fmt.length && out.length < limit) {
    const c = fmt[i]!;
    if (c !== 0x25 /* % */) {
      out.push(c);
      i++;
      continue;
    }
    i++;
    if (at(i) === 0x25) {
      out.push(0x25);
      i++;
      continue;
    }
    const s: Spec = { left: false, hexPrefix: false, zero: false, width: 0, precision: undefined, size: '', type: '' };
    if (at(i) === 0x2d /* - */) (s.left = true), i++;
    if (at(i) === 0x23 /* # */) (s.hexPrefix = true), i++;
    if (at(i) === 0x30 /* 0 */) (s.zero = true), i++;
    while (at(i) >= 0x30 && at(i) <= 0x39) s.width = s.width * 10 + (at(i++) - 0x30);
    if (at(i) === 0x2e /* . */) {
      i++;
      s.precision = 0;
      while (at(i) >= 0x30 && at(i) <= 0x39) s.precision = s.precision * 10 + (at(i++) - 0x30);
    }
    const ch = (k: number) => String.fromCharCode(at(i + k));
    if (ch(0) === 'l' || ch(0) === 'h' || ch(0) === 'w') s.size = ch(0) as Spec['size'], i++;
    else if (ch(0) === 'I') {
      if (ch(1) === '6' && ch(2) === '4') (s.size = 'I64'), (i += 3);
      else if (ch(1) === '3' && ch(2) === '2') (s.size = 'I32'), (i += 3);
      else (s.size = 'I'), i++;
    }
    if (i >= fmt.length) break; // the format ends inside a specification: nothing more to print
    s.type = ch(0);
    if (!'cCdiupxXsS'.includes(s.type)) continue; // not a type: printed as an ordinary character next
    i++;
    text(convert(p, s, args, wide));
  }
  return out.slice(0, limit);
}

function convert(p: Process, s: Spec, args: Args, wide: boolean): number[] {
  switch (s.type) {
    case 'c':
    case 'C': {
      // c is the function's own character width, C the other one; h forces CHAR, l/w WCHAR.
      const own = s.type === 'c';
      const isWide = s.size === 'h' ? false : s.size === 'l' || s.size === 'w' ? true : own === wide;
      const v = args.u32();
      const code = isWide ? v & 0xffff : v & 0xff;
      if (code === 0) return []; // zero characters are ignored
      return pad(s, toOutput(p, isWide ? String.fromCharCode(code) : decodeBytes(Uint8Array.of(code), p.ansiCodePage), wide, undefined));
    }
    case 's':
    case 'S': {
      const own = s.type === 's';
      const isWide = s.size === 'h' ? false : s.size === 'l' || s.size === 'w' ? true : own === wide;
      const addr = args.u32();
      let str: string;
      if (addr === 0) str = '(null)';
      else if (isWide) str = p.readWStr(addr) ?? '';
      else str = decodeBytes(p.mem.readCBytes(addr), p.ansiCodePage);
      return pad(s, toOutput(p, str, wide, s.precision || undefined));
    }
    default: {
      const signed = s.type === 'd' || s.type === 'i';
      const hex = s.type === 'x' || s.type === 'X' || s.type === 'p';
      let v: bigint;
      if (s.size === 'I64') v = signed ? BigInt.asIntN(64, args.u64()) : args.u64();
      else {
        const raw = args.u32();
        if (s.size === 'h') v = signed ? BigInt((raw << 16) >> 16) : BigInt(raw & 0xffff);
        else v = signed ? BigInt(raw | 0) : BigInt(raw >>> 0);
      }
      if (s.type === 'p') {
        s.zero = true;
        s.width = 8;
        s.precision = undefined;
      }
      const negative = v < 0n;
      let digits = (negative ? -v : v).toString(hex ? 16 : 10);
      if (s.type === 'X' || s.type === 'p') digits = digits.toUpperCase();
      const minDigits = s.precision || 1;
      digits = digits.padStart(minDigits, '0');
      const prefix = negative ? '-' : hex && s.hexPrefix && s.type !== 'p' ? (s.type === 'X' ? '0X' : '0x') : '';
      if (s.zero && !s.left && prefix.length + digits.length < s.width) digits = digits.padStart(s.width - prefix.length, '0');
      return pad(s, asciiUnits(prefix + digits));
    }
  }
}

function asciiUnits(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0));
}

/** A JS string as output units: UTF-16 for W, ANSI bytes for A; `max` limits the units taken. */
function toOutput(p: Process, s: string, wide: boolean, max: number | undefined): number[] {
  const units = wide ? asciiUnits(s) : Array.from(encodeString(s, p.ansiCodePage).bytes);
  return max === undefined ? units : units.slice(0, max);
}

/** Spaces to the field width, left or right; numbers already carry their zero padding. */
function pad(s: Spec, units: number[]): number[] {
  if (units.length >= s.width) return units;
  const fill = new Array<number>(s.width - units.length).fill(0x20);
  return s.left ? [...units, ...fill] : [...fill, ...units];
}

/** Writes the units and a NUL; returns the number of characters stored. */
function store(p: Process, out: number, units: number[], wide: boolean): number {
  if (wide) writeWide(p.mem, out, String.fromCharCode(...units));
  else {
    const b = new Uint8Array(units.length + 1);
    b.set(units);
    p.mem.write(out, b);
  }
  return units.length;
}

function formatUnits(p: Process, fmt: number, wide: boolean): ArrayLike<number> {
  return wide ? p.mem.readWUnits(fmt) : p.mem.readCBytes(fmt);
}

export function wvsprintf(p: Process, out: number, fmt: number, args: Args, wide: boolean): number {
  return store(p, out, formatWsprintf(p, formatUnits(p, fmt, wide), args, wide), wide);
}

/** user32 exports of this area (the DLL table is their union, see thunks/user32.ts). */
export const wsprintfApi = {
  wsprintfA: varargs(['ptr', 'ptr'], 'int', (p, out, fmt, va: VarArgs) => wvsprintf(p, out, fmt, va, false)),
  wsprintfW: varargs(['ptr', 'ptr'], 'int', (p, out, fmt, va: VarArgs) => wvsprintf(p, out, fmt, va, true)),
  wvsprintfA: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'int', (p, out, fmt, va) => wvsprintf(p, out, fmt, vaList(p, va), false)),
  wvsprintfW: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'int', (p, out, fmt, va) => wvsprintf(p, out, fmt, vaList(p, va), true)),
};
