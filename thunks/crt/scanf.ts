// The scanf family: the format engine (white space, literal characters, %d %i %o %u %x %X %p %e %f %g %a
// %c %s %[...] %n with '*', widths and the h/hh/l/ll/I64/L/w sizes) and the string entry points of every
// flavour: sscanf/swscanf, _snscanf, the _s forms (a buffer size after each %c/%s/%[ pointer), _l forms, and
// ucrtbase's __stdio_common_vsscanf/__stdio_common_vswscanf with their option bits. Numbers convert as strtol
// and strtod do (ucrt also reads hexadecimal floats, inf and nan); integers that do not fit wrap, as
// Microsoft's scanf stores them.
import type { Process } from '../process.js';
import { fn, varargs, type Export } from '../spec.js';
import { readWide } from '../text.js';
import { hasSecureCrt } from './flavour.js';
import type { ArgSource, CrtFlavour } from './format.js';
import { cLocaleText, vaList } from './printf.js';
import { invalidParameter } from './signal.js';
import { ERRNO, setErrno } from './state.js';
import { fgetc, stdStream, ungetc } from './files.js';
import { parseDoubleText } from './stdlib.js';

/** ucrt's scanf option bits. */
export const SCANF_OPTION = { SECURECRT: 1n, LEGACY_WIDE_SPECIFIERS: 2n, LEGACY_MSVCRT_COMPATIBILITY: 4n } as const;

/** Where scanf stores what it converts. */
export interface ScanHost {
  storeInt(addr: number, value: bigint, bytes: 1 | 2 | 4 | 8): void;
  storeFloat(addr: number, value: number, bytes: 4 | 8): void;
  /** Stores text (with a terminator unless `terminate` is false) as narrow bytes or UTF-16. */
  storeText(addr: number, text: string, wide: boolean, terminate: boolean): void;
}

export interface ScanOptions {
  flavour: CrtFlavour;
  /** The wscanf family (the input and format are wide). */
  wide: boolean;
  /** Secure forms: %c, %s and %[ take a buffer size (in characters) after the pointer. */
  secure: boolean;
  /** ucrt without LEGACY_WIDE_SPECIFIERS: %s and %c of the wscanf family are narrow. */
  isoWide?: boolean;
}

/** The secure forms found a buffer too small: scanning stops (the buffer holds an empty string). */
export class ScanBufferTooSmall extends Error {
  constructor(readonly assigned: number) {
    super('buffer too small');
  }
}

/** The input, one character (code unit) at a time: -1 at its end. */
export interface ScanSource {
  peek(): number;
  next(): void;
  /** Characters consumed so far (what %n stores). */
  readonly pos: number;
}

/** A string as input. */
class TextSource implements ScanSource {
  pos = 0;
  constructor(private readonly text: string) {}
  peek(): number {
    return this.pos < this.text.length ? this.text.charCodeAt(this.pos) : -1;
  }
  next(): void {
    this.pos++;
  }
}

/** A source that reads only as far as it must: one character of lookahead (a stream's ungetc). */
export class LazySource implements ScanSource {
  pos = 0;
  private ahead: number | undefined;
  constructor(private readonly read: () => number) {}
  peek(): number {
    if (this.ahead === undefined) this.ahead = this.read();
    return this.ahead;
  }
  next(): void {
    this.peek();
    this.ahead = undefined;
    this.pos++;
  }
  /** The character read ahead and not consumed, if any (to give back to the stream). */
  get pending(): number | undefined {
    return this.ahead !== undefined && this.ahead >= 0 ? this.ahead : undefined;
  }
}

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d);

/** Characters of a scanset "[...]": a predicate (ranges, ^ negation, ']' first is literal). */
function scanset(fmt: string, at: number): { test: (c: number) => boolean; end: number } {
  let i = at;
  let negate = false;
  if (fmt[i] === '^') {
    negate = true;
    i++;
  }
  const chars = new Set<number>();
  const ranges: [number, number][] = [];
  let first = true;
  while (i < fmt.length && (first || fmt[i] !== ']')) {
    const c = fmt.charCodeAt(i);
    if (fmt[i + 1] === '-' && i + 2 < fmt.length && fmt[i + 2] !== ']') {
      const d = fmt.charCodeAt(i + 2);
      ranges.push(c <= d ? [c, d] : [d, c]);
      i += 3;
    } else {
      chars.add(c);
      i++;
    }
    first = false;
  }
  const inSet = (c: number) => chars.has(c) || ranges.some(([a, b]) => c >= a && c <= b);
  return { test: (c) => (negate ? !inSet(c) : inSet(c)), end: i };
}

const isDigitIn = (c: number, base: number) => {
  const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x7a ? c - 0x61 + 10 : c >= 0x41 && c <= 0x5a ? c - 0x41 + 10 : 99;
  return d < base;
};

/**
 * Reads an integer's characters (sign, a 0x prefix for base 16 or 0, digits) at most `limit` of them, with
 * one character of lookahead. Returns the text, or undefined when no digit came.
 */
function integerText(src: ScanSource, base: number, limit: number): { text: string; base: number } | undefined {
  let text = '';
  const take = () => {
    text += String.fromCharCode(src.peek());
    src.next();
  };
  let c = src.peek();
  if ((c === 0x2b || c === 0x2d) && text.length < limit) take();
  let b = base;
  if ((b === 0 || b === 16) && src.peek() === 0x30 && text.length < limit) {
    take();
    if ((src.peek() === 0x78 || src.peek() === 0x58) && text.length < limit) {
      take();
      b = 16;
    } else if (b === 0) b = 8;
  }
  if (b === 0) b = 10;
  let digits = /[0-9]$/.test(text) ? 1 : 0;
  for (c = src.peek(); text.length < limit && c >= 0 && isDigitIn(c, b); c = src.peek()) {
    take();
    digits++;
  }
  if (/0[xX]$/.test(text)) digits++; // "0x" alone reads as 0
  return digits ? { text, base: b } : undefined;
}

/** The value of integerText's text: wrapped to 64 bits, as scanf stores what does not fit. */
function integerValue(t: { text: string; base: number }): bigint {
  const neg = t.text.startsWith('-');
  const digits = t.text.replace(/^[+-]/, '').replace(/^0[xX]/, '');
  let v = 0n;
  const B = BigInt(t.base);
  for (const ch of digits) v = BigInt.asUintN(64, v * B + BigInt(parseInt(ch, 36)));
  return BigInt.asUintN(64, neg ? -v : v);
}

/**
 * Reads a floating-point number's characters: sign, digits, a point, an exponent; the ucrt also takes
 * hexadecimal digits after 0x with a 'p' exponent, "inf", "infinity", "nan" and "nan(...)".
 */
function floatText(src: ScanSource, limit: number, flavour: CrtFlavour): string {
  let text = '';
  const take = () => {
    text += String.fromCharCode(src.peek());
    src.next();
  };
  const is = (chars: string) => text.length < limit && src.peek() >= 0 && chars.includes(String.fromCharCode(src.peek()));
  if (is('+-')) take();
  if (flavour === 'ucrt' && is('iInN')) {
    const word = is('iI') ? 'infinity' : 'nan';
    let k = 0;
    while (k < word.length && text.length < limit && String.fromCharCode(src.peek()).toLowerCase() === word[k]) {
      take();
      k++;
    }
    if (word === 'nan' && k === 3 && is('(')) {
      take();
      while (is('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_')) take();
      if (is(')')) take();
    }
    return text;
  }
  let hex = false;
  if (flavour === 'ucrt' && is('0')) {
    take();
    if (is('xX')) {
      take();
      hex = true;
    }
  }
  const digits = hex ? '0123456789abcdefABCDEF' : '0123456789';
  while (is(digits)) take();
  if (is('.')) {
    take();
    while (is(digits)) take();
  }
  if (is(hex ? 'pP' : 'eE')) {
    take();
    if (is('+-')) take();
    while (is('0123456789')) take();
  }
  return text;
}

/**
 * Scans `input` by `fmt`; returns the number of fields assigned, or -1 (EOF) when the input ended before
 * the first conversion.
 */
export function scanText(input: string | ScanSource, fmt: string, args: ArgSource, host: ScanHost, opts: ScanOptions): number {
  const inp = typeof input === 'string' ? new TextSource(input) : input;
  const atEnd = () => inp.peek() < 0;
  let assigned = 0;
  let conversions = 0;
  let i = 0;
  const eofResult = () => (conversions === 0 && assigned === 0 ? -1 : assigned);
  while (i < fmt.length) {
    const fc = fmt.charCodeAt(i);
    if (isSpace(fc)) {
      while (isSpace(inp.peek())) inp.next();
      i++;
      continue;
    }
    if (fmt[i] !== '%' || fmt[i + 1] === '%') {
      if (fmt[i] === '%') {
        i++;
        while (isSpace(inp.peek())) inp.next();
      }
      if (atEnd()) return eofResult();
      if (inp.peek() !== fmt.charCodeAt(i)) return assigned;
      inp.next();
      i++;
      continue;
    }
    i++;
    let suppress = false;
    if (fmt[i] === '*') {
      suppress = true;
      i++;
    }
    let width = 0;
    while (fmt[i] !== undefined && fmt[i]! >= '0' && fmt[i]! <= '9') width = width * 10 + (fmt.charCodeAt(i++) - 48);
    const sm = /^(I64|I32|hh|ll|[hlLIwjztFN])/.exec(fmt.slice(i));
    let size = sm ? sm[0]! : '';
    i += size.length;
    if (size === 'F' || size === 'N') size = '';
    if (size === 'hh' && opts.flavour === 'msvcrt') size = 'h';
    const conv = fmt[i++];
    if (conv === undefined) return assigned;
    const limit = width > 0 ? width : Infinity;
    const wideArg = (lower: boolean) => {
      if (size === 'h') return false;
      if (size === 'l' || size === 'w') return true;
      if (opts.wide && opts.isoWide) return !lower;
      return lower ? opts.wide : !opts.wide;
    };
    const bufferSize = (): number => (opts.secure ? args.u32() : Infinity);
    if (conv === 'n') {
      if (!suppress) host.storeInt(args.u32(), BigInt(inp.pos), intBytes(size));
      continue;
    }
    if (conv !== 'c' && conv !== '[' && conv !== 'C') {
      while (isSpace(inp.peek())) inp.next();
    }
    if (atEnd()) return eofResult();
    conversions++;
    switch (conv) {
      case 'd':
      case 'i':
      case 'u':
      case 'o':
      case 'x':
      case 'X':
      case 'p': {
        const base = conv === 'd' || conv === 'u' ? 10 : conv === 'i' ? 0 : conv === 'o' ? 8 : 16;
        const tok = integerText(inp, base, limit);
        if (!tok) return assigned;
        if (!suppress) {
          host.storeInt(args.u32(), integerValue(tok), conv === 'p' ? 4 : intBytes(size));
          assigned++;
        }
        break;
      }
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G':
      case 'a':
      case 'A': {
        const text = floatText(inp, limit, opts.flavour);
        const r = parseDoubleText(Uint8Array.from(text, (c) => c.charCodeAt(0)), opts.flavour);
        if (r.end === 0) return assigned;
        if (!suppress) {
          host.storeFloat(args.u32(), r.value, size === 'l' || size === 'L' || size === 'll' ? 8 : 4);
          assigned++;
        }
        break;
      }
      case 'c':
      case 'C': {
        const n = width > 0 ? width : 1;
        let text = '';
        while (text.length < n && !atEnd()) {
          text += String.fromCharCode(inp.peek());
          inp.next();
        }
        if (text.length < n) return assigned; // the input ended inside the field
        if (!suppress) {
          const addr = args.u32();
          if (bufferSize() < text.length) throw new ScanBufferTooSmall(assigned);
          host.storeText(addr, text, wideArg(conv === 'c'), false);
          assigned++;
        }
        break;
      }
      case 's':
      case 'S':
      case '[': {
        let test = (c: number) => c >= 0 && !isSpace(c);
        if (conv === '[') {
          const set = scanset(fmt, i);
          test = (c) => c >= 0 && set.test(c);
          i = set.end + 1;
        }
        let text = '';
        while (text.length < limit && test(inp.peek())) {
          text += String.fromCharCode(inp.peek());
          inp.next();
        }
        if (!text) return assigned;
        if (!suppress) {
          const addr = args.u32();
          if (bufferSize() < text.length + 1) {
            host.storeText(addr, '', wideArg(conv !== 'S'), true);
            throw new ScanBufferTooSmall(assigned);
          }
          host.storeText(addr, text, wideArg(conv !== 'S'), true);
          assigned++;
        }
        break;
      }
      default:
        // An unknown conversion ends the scan.
        return assigned;
    }
  }
  return assigned;
}

function intBytes(size: string): 1 | 2 | 4 | 8 {
  if (size === 'hh') return 1;
  if (size === 'h') return 2;
  if (size === 'll' || size === 'I64' || size === 'j' || size === 'L') return 8;
  return 4;
}

export function scanHost(p: Process): ScanHost {
  return {
    storeInt: (addr, v, bytes) => {
      const u = BigInt.asUintN(64, v);
      if (bytes === 1) p.mem.setU8(addr, Number(u & 0xffn));
      else if (bytes === 2) p.mem.setU16(addr, Number(u & 0xffffn));
      else if (bytes === 4) p.mem.setU32(addr, Number(u & 0xffff_ffffn));
      else p.mem.setU64(addr, u);
    },
    storeFloat: (addr, v, bytes) => (bytes === 4 ? p.mem.setF32(addr, v) : p.mem.setF64(addr, v)),
    storeText: (addr, text, wide, terminate) => {
      for (let k = 0; k < text.length; k++) {
        if (wide) p.mem.setU16(addr + 2 * k, text.charCodeAt(k));
        else p.mem.setU8(addr + k, text.charCodeAt(k) & 0xff);
      }
      if (terminate) {
        if (wide) p.mem.setU16(addr + 2 * text.length, 0);
        else p.mem.setU8(addr + text.length, 0);
      }
    },
  };
}

/** A guest string as scanf reads it: narrow bytes as "C" locale characters, at most `count` units. */
function inputText(p: Process, s: number, wide: boolean, count?: number): string {
  if (wide) {
    const u = p.mem.readWUnits(s);
    return String.fromCharCode(...(count === undefined ? u : u.subarray(0, count)));
  }
  return cLocaleText(p.mem.readCBytes(s, count));
}

export interface ScanContext {
  flavour: CrtFlavour;
  wide: boolean;
  secure: boolean;
  ucrtOptions?: bigint;
}

/** The format text and the scanning options of a call (ucrt's option bits override the flavour's defaults). */
function formatAndOptions(p: Process, c: ScanContext, fmt: number): { f: string; opts: ScanOptions } {
  const f = c.wide ? readWide(p.mem, fmt)! : cLocaleText(p.mem.readCBytes(fmt));
  const o = c.ucrtOptions;
  const opts: ScanOptions = {
    flavour: c.flavour,
    wide: c.wide,
    secure: o === undefined ? c.secure : (o & SCANF_OPTION.SECURECRT) !== 0n,
    isoWide: o !== undefined && (o & SCANF_OPTION.LEGACY_WIDE_SPECIFIERS) === 0n,
  };
  return { f, opts };
}

/** sscanf & co. on a guest string: the count, or -1 (EOF, or an invalid parameter with errno EINVAL). */
export function sscanfGuest(p: Process, fnName: string, c: ScanContext, s: number, count: number | undefined, fmt: number, args: ArgSource): number {
  if (!s || !fmt) {
    invalidParameter(p, fnName, !s ? 'string is NULL' : 'format is NULL');
    return -1;
  }
  const { f, opts } = formatAndOptions(p, c, fmt);
  try {
    return scanText(inputText(p, s, c.wide, count), f, args, scanHost(p), opts);
  } catch (e) {
    // A buffer too small for its field: emptied, errno ENOMEM, scanning stops there.
    if (!(e instanceof ScanBufferTooSmall)) throw e;
    setErrno(p, ERRNO.ENOMEM);
    return e.assigned;
  }
}

/** fscanf & co.: reads a FILE* one character at a time and gives the character read ahead back (ungetc). */
export function fscanfGuest(p: Process, fnName: string, c: ScanContext, file: number, fmt: number, args: ArgSource): number {
  if (!file || !fmt) {
    invalidParameter(p, fnName, !file ? 'stream is NULL' : 'format is NULL');
    return -1;
  }
  const { f, opts } = formatAndOptions(p, c, fmt);
  // Text streams hold multibyte characters; the "C" locale widens each byte.
  const src = new LazySource(() => fgetc(p, file));
  try {
    return scanText(src, f, args, scanHost(p), opts);
  } catch (e) {
    if (!(e instanceof ScanBufferTooSmall)) throw e;
    setErrno(p, ERRNO.ENOMEM);
    return e.assigned;
  } finally {
    if (src.pending !== undefined) ungetc(p, src.pending, file);
  }
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function scanfApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  if (flavour === 'ucrt') {
    const common = (name: string, wide: boolean) =>
      fn('cdecl', ['int64', 'ptr', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, o, s, n, f, _l, a) =>
        sscanfGuest(p, name, { flavour, wide, secure: false, ucrtOptions: BigInt.asUintN(64, o) }, s, n === 0xffff_ffff ? undefined : n, f, vaList(p, a)), r);
    const stream = (name: string, wide: boolean) =>
      fn('cdecl', ['int64', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', (p, o, file, f, _l, a) =>
        fscanfGuest(p, name, { flavour, wide, secure: false, ucrtOptions: BigInt.asUintN(64, o) }, file, f, vaList(p, a)), r);
    return {
      __stdio_common_vfscanf: stream('__stdio_common_vfscanf', false),
      __stdio_common_vfwscanf: stream('__stdio_common_vfwscanf', true),
      __stdio_common_vsscanf: common('__stdio_common_vsscanf', false),
      __stdio_common_vswscanf: common('__stdio_common_vswscanf', true),
    };
  }
  const A = { flavour, wide: false, secure: false };
  const W = { flavour, wide: true, secure: false };
  const stdin = (p: Process) => stdStream(p, 0);
  const table: Record<string, Export> = {
    _snscanf: varargs(['ptr', 'long', 'ptr'], 'int', (p, s, n, f, a) => sscanfGuest(p, '_snscanf', A, s, n, f, a), r),
    _snwscanf: varargs(['ptr', 'long', 'ptr'], 'int', (p, s, n, f, a) => sscanfGuest(p, '_snwscanf', W, s, n, f, a), r),
    fscanf: varargs(['ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'fscanf', A, file, f, a), r),
    fwscanf: varargs(['ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'fwscanf', W, file, f, a), r),
    scanf: varargs(['ptr'], 'int', (p, f, a) => fscanfGuest(p, 'scanf', A, stdin(p), f, a), r),
    sscanf: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'sscanf', A, s, undefined, f, a), r),
    swscanf: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'swscanf', W, s, undefined, f, a), r),
    wscanf: varargs(['ptr'], 'int', (p, f, a) => fscanfGuest(p, 'wscanf', W, stdin(p), f, a), r),
  };
  if (hasSecureCrt(version)) {
    const AS = { ...A, secure: true };
    const WS = { ...W, secure: true };
    Object.assign(table, {
      _snscanf_s: varargs(['ptr', 'long', 'ptr'], 'int', (p, s, n, f, a) => sscanfGuest(p, '_snscanf_s', AS, s, n, f, a), r),
      _snwscanf_s: varargs(['ptr', 'long', 'ptr'], 'int', (p, s, n, f, a) => sscanfGuest(p, '_snwscanf_s', WS, s, n, f, a), r),
      _sscanf_l: varargs(['ptr', 'ptr', 'ptr'], 'int', (p, s, f, _l, a) => sscanfGuest(p, '_sscanf_l', A, s, undefined, f, a), r),
      _sscanf_s_l: varargs(['ptr', 'ptr', 'ptr'], 'int', (p, s, f, _l, a) => sscanfGuest(p, '_sscanf_s_l', AS, s, undefined, f, a), r),
      _swscanf_l: varargs(['ptr', 'ptr', 'ptr'], 'int', (p, s, f, _l, a) => sscanfGuest(p, '_swscanf_l', W, s, undefined, f, a), r),
      fscanf_s: varargs(['ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'fscanf_s', AS, file, f, a), r),
      fwscanf_s: varargs(['ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'fwscanf_s', WS, file, f, a), r),
      scanf_s: varargs(['ptr'], 'int', (p, f, a) => fscanfGuest(p, 'scanf_s', AS, stdin(p), f, a), r),
      sscanf_s: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'sscanf_s', AS, s, undefined, f, a), r),
      swscanf_s: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'swscanf_s', WS, s, undefined, f, a), r),
      wscanf_s: varargs(['ptr'], 'int', (p, f, a) => fscanfGuest(p, 'wscanf_s', WS, stdin(p), f, a), r),
    });
  }
  if (version >= 120) {
    // C99's v*scanf (Visual C++ 2013).
    Object.assign(table, {
      vfscanf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'vfscanf', A, file, f, vaList(p, a)), r),
      vfwscanf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, file, f, a) => fscanfGuest(p, 'vfwscanf', W, file, f, vaList(p, a)), r),
      vscanf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => fscanfGuest(p, 'vscanf', A, stdin(p), f, vaList(p, a)), r),
      vsscanf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'vsscanf', A, s, undefined, f, vaList(p, a)), r),
      vswscanf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => sscanfGuest(p, 'vswscanf', W, s, undefined, f, vaList(p, a)), r),
      vwscanf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => fscanfGuest(p, 'vwscanf', W, stdin(p), f, vaList(p, a)), r),
    });
  }
  return table;
}
