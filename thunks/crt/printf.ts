// The printf family's entry points, narrow and wide, for every CRT flavour: the msvcrt.dll / msvcr70-120
// exports (sprintf, _snprintf, _scprintf, the _s and _l forms, swprintf ...) and ucrtbase's
// __stdio_common_v*printf* with their option bits. The formatting itself is format.ts; writing to a FILE*
// goes through the stream functions of files.ts.
import { stateKey, type Process } from '../process.js';
import { fn, varargs, type Export, type VarArgs } from '../spec.js';
import { readWide } from '../text.js';
import { countOutputByDefault, hasSecureCrt } from './flavour.js';
import { FormatInvalidError, formatPrintf, positionalFormat, type ArgSource, type CrtFlavour, type FormatHost, type FormatOptions } from './format.js';
import { invalidParameter } from './signal.js';
import { ERRNO, setErrno } from './state.js';
import { stdStream, streamWrite } from './files.js';

/** ucrt's printf option bits (<corecrt_stdio_config.h>). */
export const PRINTF_OPTION = {
  LEGACY_VSPRINTF_NULL_TERMINATION: 1n << 0n,
  STANDARD_SNPRINTF_BEHAVIOR: 1n << 1n,
  LEGACY_WIDE_SPECIFIERS: 1n << 2n,
  LEGACY_MSVCRT_COMPATIBILITY: 1n << 3n,
  LEGACY_THREE_DIGIT_EXPONENTS: 1n << 4n,
} as const;

/** _TRUNCATE for the _snprintf_s family's count. */
export const TRUNCATE = 0xffff_ffff;

interface PrintfState {
  /** _set_output_format(_TWO_DIGIT_EXPONENT) (msvcr80-120). */
  twoDigitExponent: boolean;
  /** _set_printf_count_output: undefined until set (then the runtime's default applies). */
  countOutput: boolean | undefined;
}
const printfState = stateKey<PrintfState>('crt.printf', () => ({ twoDigitExponent: false, countOutput: undefined }));

/** Arguments of a va_list: a pointer into guest memory, read in order. */
export function vaList(p: Process, at: number): ArgSource {
  let a = at;
  return {
    u32: () => {
      const v = p.mem.u32(a);
      a += 4;
      return v;
    },
    u64: () => {
      const v = p.mem.u64(a);
      a += 8;
      return v;
    },
    f64: () => {
      const v = p.mem.f64(a);
      a += 8;
      return v;
    },
  };
}

/**
 * Narrow text in the "C" locale: one byte is one character (U+0000-U+00FF), both ways, as Microsoft's CRT
 * converts when no locale is set (mbtowc widens a byte, wctomb fails above U+00FF).
 */
export function cLocaleText(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode(...b.subarray(i, i + 4096));
  return s;
}

/** The "C" locale's bytes of a text, or undefined if a character is above U+00FF (EILSEQ). */
export function cLocaleBytes(text: string): Uint8Array | undefined {
  const b = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) return undefined;
    b[i] = c;
  }
  return b;
}

export function formatHost(p: Process): FormatHost {
  return {
    str: (addr) => (addr ? cLocaleText(p.mem.readCBytes(addr)) : null),
    wstr: (addr) => readWide(p.mem, addr),
    storeCount: (addr, n, size) => (size === 'h' ? p.mem.setU16(addr, n) : size === 'll' ? p.mem.setU64(addr, BigInt(n)) : p.mem.setU32(addr, n)),
    countedString: (addr, wide) => {
      const length = p.mem.u16(addr);
      const buffer = p.mem.u32(addr + 4);
      if (!buffer) return null;
      if (!wide) return String.fromCharCode(...p.mem.read(buffer, length));
      const units: number[] = [];
      for (let i = 0; i + 1 < length; i += 2) units.push(p.mem.u16(buffer + i));
      return String.fromCharCode(...units);
    },
  };
}

/** Which runtime is formatting, and how (ucrt's option bits, when the caller passed them). */
export interface PrintfContext {
  flavour: CrtFlavour;
  version: number;
  wide: boolean;
  ucrtOptions?: bigint;
  /** The _p forms: conversions may name their arguments ("%2$s"). */
  positional?: boolean;
}

export function printfOptions(p: Process, c: PrintfContext): FormatOptions {
  const s = p.state(printfState);
  const countOutput = s.countOutput ?? countOutputByDefault(c.version);
  if (c.flavour === 'ucrt') {
    const o = c.ucrtOptions ?? PRINTF_OPTION.LEGACY_WIDE_SPECIFIERS;
    return {
      flavour: 'ucrt',
      wide: c.wide,
      isoWide: (o & PRINTF_OPTION.LEGACY_WIDE_SPECIFIERS) === 0n,
      countOutput,
      exponentDigits: o & PRINTF_OPTION.LEGACY_THREE_DIGIT_EXPONENTS ? 3 : 2,
      msvcrtCompat: (o & PRINTF_OPTION.LEGACY_MSVCRT_COMPATIBILITY) !== 0n,
    };
  }
  return { flavour: 'msvcrt', wide: c.wide, countOutput, exponentDigits: s.twoDigitExponent ? 2 : 3 };
}

/** Text units of a formatted result: bytes in the ANSI code page, or UTF-16 code units. */
type Units = Uint8Array | Uint16Array;

/**
 * Formats; undefined when the format is invalid (the invalid parameter handler has run and errno is
 * EINVAL) or the text cannot be converted (EILSEQ): the caller returns -1.
 */
export function formatUnits(p: Process, fnName: string, c: PrintfContext, fmt: number, args: ArgSource): Units | undefined {
  const f = c.wide ? readWide(p.mem, fmt) : fmt ? cLocaleText(p.mem.readCBytes(fmt)) : null;
  if (f === null) {
    invalidParameter(p, fnName, 'format is NULL');
    return undefined;
  }
  let text: string;
  try {
    const { fmt: plain, args: ordered } = c.positional ? positionalFormat(f, args, c.flavour) : { fmt: f, args };
    text = formatPrintf(plain, ordered, formatHost(p), printfOptions(p, c));
  } catch (e) {
    if (!(e instanceof FormatInvalidError)) throw e;
    invalidParameter(p, fnName, e.message);
    return undefined;
  }
  if (c.wide) {
    const u = new Uint16Array(text.length);
    for (let i = 0; i < text.length; i++) u[i] = text.charCodeAt(i);
    return u;
  }
  // A wide argument with characters the "C" locale cannot convert: the call fails with EILSEQ.
  const bytes = cLocaleBytes(text);
  if (!bytes) setErrno(p, ERRNO.EILSEQ);
  return bytes;
}

function put(p: Process, buf: number, units: Units, count: number, terminate: boolean): void {
  const n = Math.min(count, units.length);
  if (units instanceof Uint16Array) {
    if (n) p.mem.write(buf, new Uint8Array(units.buffer, units.byteOffset, 2 * n));
    if (terminate) p.mem.setU16(buf + 2 * n, 0);
  } else {
    if (n) p.mem.write(buf, units.subarray(0, n));
    if (terminate) p.mem.setU8(buf + n, 0);
  }
}

const unitSize = (c: PrintfContext) => (c.wide ? 2 : 1);

/**
 * How a function writes into a caller's buffer:
 * - `unbounded`: sprintf, vsprintf, swprintf (pre-2015): everything and a terminator.
 * - `ms`: _snprintf, _vsnprintf: at most `size` units; a terminator only if there is room; -1 when the text
 *   does not fit.
 * - `c99`: snprintf: at most size-1 units and always a terminator; returns the full length.
 * - `count`: _scprintf: nothing is written.
 * - `secure`: sprintf_s: the text and its terminator must fit, or the buffer is emptied and the invalid
 *   parameter handler runs (ERANGE).
 */
export type BufferMode = 'unbounded' | 'ms' | 'c99' | 'count' | 'secure';

export function sprintfInto(p: Process, fnName: string, c: PrintfContext, mode: BufferMode, buf: number, size: number, fmt: number, args: ArgSource): number {
  if (mode === 'secure' && (buf === 0 || size === 0)) {
    invalidParameter(p, fnName, buf === 0 ? 'buffer is NULL' : 'buffer size is 0');
    return -1;
  }
  if ((mode === 'unbounded' || (mode === 'ms' && size > 0)) && buf === 0) {
    invalidParameter(p, fnName, 'buffer is NULL');
    return -1;
  }
  const units = formatUnits(p, fnName, c, fmt, args);
  if (!units) return -1;
  const len = units.length;
  switch (mode) {
    case 'count':
      return len;
    case 'unbounded':
      put(p, buf, units, len, true);
      return len;
    case 'ms':
      if (buf) put(p, buf, units, Math.min(len, size), len < size);
      return len > size ? -1 : len;
    case 'c99':
      if (buf && size > 0) put(p, buf, units, Math.min(len, size - 1), true);
      return len;
    case 'secure':
      if (len >= size) {
        put(p, buf, units, 0, true);
        invalidParameter(p, fnName, 'the buffer is too small', ERRNO.ERANGE);
        return -1;
      }
      put(p, buf, units, len, true);
      return len;
  }
}

/** _snprintf_s / _vsnwprintf_s: at most `count` units (or as many as fit, for _TRUNCATE) into a buffer of `size`. */
export function snprintfSecure(p: Process, fnName: string, c: PrintfContext, buf: number, size: number, count: number, fmt: number, args: ArgSource): number {
  if (buf === 0 && size === 0 && count === 0) return 0;
  if (buf === 0 || size === 0) {
    invalidParameter(p, fnName, buf === 0 ? 'buffer is NULL' : 'buffer size is 0');
    return -1;
  }
  const units = formatUnits(p, fnName, c, fmt, args);
  if (!units) return -1;
  const len = units.length;
  if (count === TRUNCATE) {
    if (len < size) {
      put(p, buf, units, len, true);
      return len;
    }
    put(p, buf, units, size - 1, true);
    return -1;
  }
  const kept = Math.min(len, count);
  if (kept >= size) {
    put(p, buf, units, 0, true);
    invalidParameter(p, fnName, 'the buffer is too small', ERRNO.ERANGE);
    return -1;
  }
  put(p, buf, units, kept, true);
  return len <= count ? len : -1;
}

/** ucrt's __stdio_common_vsprintf / __stdio_common_vswprintf: the buffer behaviour follows the option bits. */
export function commonVsprintf(p: Process, fnName: string, c: PrintfContext, buf: number, size: number, fmt: number, args: ArgSource): number {
  const o = c.ucrtOptions ?? 0n;
  if (buf === 0 && size !== 0) {
    invalidParameter(p, fnName, 'buffer is NULL');
    return -1;
  }
  const units = formatUnits(p, fnName, c, fmt, args);
  if (!units) return -1;
  const len = units.length;
  if (buf === 0) return len;
  if (o & PRINTF_OPTION.LEGACY_VSPRINTF_NULL_TERMINATION) {
    // _vsnprintf: a terminator only if there is room, -1 when the text is longer than the buffer.
    put(p, buf, units, Math.min(len, size), len < size);
    return len > size ? -1 : len;
  }
  if (len >= size) {
    if (size > 0) put(p, buf, units, size - 1, true);
    if (o & PRINTF_OPTION.STANDARD_SNPRINTF_BEHAVIOR) return len;
    return size > 0 ? -2 : -1;
  }
  put(p, buf, units, len, true);
  return len;
}

/** fprintf & co.: formats and writes to a FILE*; returns the units written or -1. */
export function printfToStream(p: Process, fnName: string, c: PrintfContext, file: number, fmt: number, args: ArgSource): number {
  if (!file) {
    invalidParameter(p, fnName, 'stream is NULL');
    return -1;
  }
  const units = formatUnits(p, fnName, c, fmt, args);
  if (!units) return -1;
  // Wide text reaches a stream in text mode as multibyte characters ("C" locale: one byte each).
  const bytes = units instanceof Uint16Array ? cLocaleBytes(String.fromCharCode(...units)) : units;
  if (!bytes) {
    setErrno(p, ERRNO.EILSEQ);
    return -1;
  }
  return streamWrite(p, file, bytes) < 0 ? -1 : units.length;
}

/** _cprintf & co.: formatted text straight to the console (the process's standard output here). */
export function printfToConsole(p: Process, fnName: string, c: PrintfContext, fmt: number, args: ArgSource): number {
  const units = formatUnits(p, fnName, c, fmt, args);
  if (!units) return -1;
  const bytes = units instanceof Uint16Array ? cLocaleBytes(String.fromCharCode(...units)) : units;
  if (!bytes) {
    setErrno(p, ERRNO.EILSEQ);
    return -1;
  }
  p.write('stdout', bytes);
  return units.length;
}

export function _set_output_format(p: Process, format: number): number {
  const s = p.state(printfState);
  const old = s.twoDigitExponent ? 1 : 0;
  s.twoDigitExponent = (format & 1) !== 0;
  return old;
}

export function _set_printf_count_output(p: Process, version: number, enable: number): number {
  const s = p.state(printfState);
  const old = (s.countOutput ?? countOutputByDefault(version)) ? 1 : 0;
  s.countOutput = enable !== 0;
  return old;
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function printfApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  if (flavour === 'ucrt') return ucrtPrintfApi(version);
  const A: PrintfContext = { flavour, version, wide: false };
  const W: PrintfContext = { flavour, version, wide: true };
  const out = (p: Process) => stdStream(p, 1);
  const va = vaList;
  const table: Record<string, Export> = {
    // narrow
    _scprintf: varargs(['ptr'], 'int', (p, f, a) => sprintfInto(p, '_scprintf', A, 'count', 0, 0, f, a), r),
    _snprintf: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_snprintf', A, 'ms', b, n, f, a), r),
    _vscprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => sprintfInto(p, '_vscprintf', A, 'count', 0, 0, f, va(p, a)), r),
    _vsnprintf: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vsnprintf', A, 'ms', b, n, f, va(p, a)), r),
    fprintf: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'fprintf', A, s, f, a), r),
    printf: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, 'printf', A, out(p), f, a), r),
    sprintf: varargs(['ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, 'sprintf', A, 'unbounded', b, 0, f, a), r),
    vfprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'vfprintf', A, s, f, va(p, a)), r),
    vprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, 'vprintf', A, out(p), f, va(p, a)), r),
    vsprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, 'vsprintf', A, 'unbounded', b, 0, f, va(p, a)), r),
    // wide (swprintf is the pre-ISO form without a count in every msvcrt flavour)
    _scwprintf: varargs(['ptr'], 'int', (p, f, a) => sprintfInto(p, '_scwprintf', W, 'count', 0, 0, f, a), r),
    _snwprintf: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_snwprintf', W, 'ms', b, n, f, a), r),
    _vscwprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => sprintfInto(p, '_vscwprintf', W, 'count', 0, 0, f, va(p, a)), r),
    _vsnwprintf: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vsnwprintf', W, 'ms', b, n, f, va(p, a)), r),
    fwprintf: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'fwprintf', W, s, f, a), r),
    swprintf: varargs(['ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, 'swprintf', W, 'unbounded', b, 0, f, a), r),
    vfwprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'vfwprintf', W, s, f, va(p, a)), r),
    vswprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, 'vswprintf', W, 'unbounded', b, 0, f, va(p, a)), r),
    vwprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, 'vwprintf', W, out(p), f, va(p, a)), r),
    wprintf: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, 'wprintf', W, out(p), f, a), r),
    // the console forms
    _cprintf: varargs(['ptr'], 'int', (p, f, a) => printfToConsole(p, '_cprintf', A, f, a), r),
    _cwprintf: varargs(['ptr'], 'int', (p, f, a) => printfToConsole(p, '_cwprintf', W, f, a), r),
    _vcprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToConsole(p, '_vcprintf', A, f, va(p, a)), r),
    _vcwprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToConsole(p, '_vcwprintf', W, f, va(p, a)), r),
  };
  if (version >= 80) {
    Object.assign(table, {
      _swprintf: varargs(['ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, '_swprintf', W, 'unbounded', b, 0, f, a), r),
      _vswprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, b, f, a) => sprintfInto(p, '_vswprintf', W, 'unbounded', b, 0, f, va(p, a)), r),
      // The _c ("count") forms: _snprintf's semantics.
      _snprintf_c: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_snprintf_c', A, 'ms', b, n, f, a), r),
      _swprintf_c: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_swprintf_c', W, 'ms', b, n, f, a), r),
      _vsnprintf_c: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vsnprintf_c', A, 'ms', b, n, f, va(p, a)), r),
      _vswprintf_c: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vswprintf_c', W, 'ms', b, n, f, va(p, a)), r),
      _get_output_format: fn('cdecl', [], 'long', (p) => (p.state(printfState).twoDigitExponent ? 1 : 0)),
      _set_output_format: fn('cdecl', ['long'], 'long', _set_output_format),
      _get_printf_count_output: fn('cdecl', [], 'int', (p) => ((p.state(printfState).countOutput ?? countOutputByDefault(version)) ? 1 : 0)),
      _set_printf_count_output: fn('cdecl', ['int'], 'int', (p, e) => _set_printf_count_output(p, version, e)),
    });
  }
  if (hasSecureCrt(version)) Object.assign(table, secureApi(A, W), localeApi(A, W));
  if (version >= 80) Object.assign(table, positionalApi({ ...A, positional: true }, { ...W, positional: true }));
  return table;
}

/** The _s forms (msvcr80+, Windows' msvcrt.dll). */
function secureApi(A: PrintfContext, W: PrintfContext): Record<string, Export> {
  const r = { reentrant: true };
  const va = vaList;
  const out = (p: Process) => stdStream(p, 1);
  return {
    _snprintf_s: varargs(['ptr', 'long', 'long', 'ptr'], 'int', (p, b, s, n, f, a) => snprintfSecure(p, '_snprintf_s', A, b, s, n, f, a), r),
    _snwprintf_s: varargs(['ptr', 'long', 'long', 'ptr'], 'int', (p, b, s, n, f, a) => snprintfSecure(p, '_snwprintf_s', W, b, s, n, f, a), r),
    _vsnprintf_s: fn('cdecl', ['ptr', 'long', 'long', 'ptr', 'ptr'], 'int', (p, b, s, n, f, a) => snprintfSecure(p, '_vsnprintf_s', A, b, s, n, f, va(p, a)), r),
    _vsnwprintf_s: fn('cdecl', ['ptr', 'long', 'long', 'ptr', 'ptr'], 'int', (p, b, s, n, f, a) => snprintfSecure(p, '_vsnwprintf_s', W, b, s, n, f, va(p, a)), r),
    fprintf_s: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'fprintf_s', A, s, f, a), r),
    fwprintf_s: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'fwprintf_s', W, s, f, a), r),
    printf_s: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, 'printf_s', A, out(p), f, a), r),
    sprintf_s: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, 'sprintf_s', A, 'secure', b, n, f, a), r),
    swprintf_s: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, 'swprintf_s', W, 'secure', b, n, f, a), r),
    vfprintf_s: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'vfprintf_s', A, s, f, va(p, a)), r),
    vfwprintf_s: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, 'vfwprintf_s', W, s, f, va(p, a)), r),
    vprintf_s: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, 'vprintf_s', A, out(p), f, va(p, a)), r),
    vsprintf_s: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, 'vsprintf_s', A, 'secure', b, n, f, va(p, a)), r),
    vswprintf_s: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, 'vswprintf_s', W, 'secure', b, n, f, va(p, a)), r),
    vwprintf_s: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, 'vwprintf_s', W, out(p), f, va(p, a)), r),
    wprintf_s: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, 'wprintf_s', W, out(p), f, a), r),
  };
}

/** The _p forms (msvcr80+): positional arguments; the buffer forms take its size, as the _s forms do. */
function positionalApi(A: PrintfContext, W: PrintfContext): Record<string, Export> {
  const r = { reentrant: true };
  const va = vaList;
  const out = (p: Process) => stdStream(p, 1);
  return {
    _fprintf_p: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, '_fprintf_p', A, s, f, a), r),
    _fwprintf_p: varargs(['ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, '_fwprintf_p', W, s, f, a), r),
    _printf_p: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, '_printf_p', A, out(p), f, a), r),
    _scprintf_p: varargs(['ptr'], 'int', (p, f, a) => sprintfInto(p, '_scprintf_p', A, 'count', 0, 0, f, a), r),
    _scwprintf_p: varargs(['ptr'], 'int', (p, f, a) => sprintfInto(p, '_scwprintf_p', W, 'count', 0, 0, f, a), r),
    _sprintf_p: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_sprintf_p', A, 'secure', b, n, f, a), r),
    _swprintf_p: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_swprintf_p', W, 'secure', b, n, f, a), r),
    _vfprintf_p: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, '_vfprintf_p', A, s, f, va(p, a)), r),
    _vfwprintf_p: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, s, f, a) => printfToStream(p, '_vfwprintf_p', W, s, f, va(p, a)), r),
    _vprintf_p: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, '_vprintf_p', A, out(p), f, va(p, a)), r),
    _vscprintf_p: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => sprintfInto(p, '_vscprintf_p', A, 'count', 0, 0, f, va(p, a)), r),
    _vscwprintf_p: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => sprintfInto(p, '_vscwprintf_p', W, 'count', 0, 0, f, va(p, a)), r),
    _vsprintf_p: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vsprintf_p', A, 'secure', b, n, f, va(p, a)), r),
    _vswprintf_p: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, a) => sprintfInto(p, '_vswprintf_p', W, 'secure', b, n, f, va(p, a)), r),
    _vwprintf_p: fn('cdecl', ['ptr', 'ptr'], 'int', (p, f, a) => printfToStream(p, '_vwprintf_p', W, out(p), f, va(p, a)), r),
    _wprintf_p: varargs(['ptr'], 'int', (p, f, a) => printfToStream(p, '_wprintf_p', W, out(p), f, a), r),
  };
}

/** The _l forms: a locale argument after the format, ignored (only "C" exists). */
function localeApi(A: PrintfContext, W: PrintfContext): Record<string, Export> {
  const r = { reentrant: true };
  const va = vaList;
  const out = (p: Process) => stdStream(p, 1);
  return {
    _fprintf_l: varargs(['ptr', 'ptr', 'ptr'], 'int', (p, s, f, _l, a) => printfToStream(p, '_fprintf_l', A, s, f, a), r),
    _printf_l: varargs(['ptr', 'ptr'], 'int', (p, f, _l, a) => printfToStream(p, '_printf_l', A, out(p), f, a), r),
    _scprintf_l: varargs(['ptr', 'ptr'], 'int', (p, f, _l, a) => sprintfInto(p, '_scprintf_l', A, 'count', 0, 0, f, a), r),
    _scwprintf_l: varargs(['ptr', 'ptr'], 'int', (p, f, _l, a) => sprintfInto(p, '_scwprintf_l', W, 'count', 0, 0, f, a), r),
    _snprintf_l: varargs(['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, _l, a) => sprintfInto(p, '_snprintf_l', A, 'ms', b, n, f, a), r),
    _snwprintf_l: varargs(['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, _l, a) => sprintfInto(p, '_snwprintf_l', W, 'ms', b, n, f, a), r),
    _sprintf_l: varargs(['ptr', 'ptr', 'ptr'], 'int', (p, b, f, _l, a) => sprintfInto(p, '_sprintf_l', A, 'unbounded', b, 0, f, a), r),
    _vscprintf_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, f, _l, a) => sprintfInto(p, '_vscprintf_l', A, 'count', 0, 0, f, va(p, a)), r),
    _vsnprintf_l: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, b, n, f, _l, a) => sprintfInto(p, '_vsnprintf_l', A, 'ms', b, n, f, va(p, a)), r),
    _vsprintf_l: fn('cdecl', ['ptr', 'ptr', 'ptr', 'ptr'], 'int', (p, b, f, _l, a) => sprintfInto(p, '_vsprintf_l', A, 'unbounded', b, 0, f, va(p, a)), r),
    _wprintf_l: varargs(['ptr', 'ptr'], 'int', (p, f, _l, a) => printfToStream(p, '_wprintf_l', W, out(p), f, a), r),
  };
}

/** ucrtbase: the __stdio_common_* entry points (printf & co. are inline functions of the ucrt headers). */
function ucrtPrintfApi(version: number): Record<string, Export> {
  const r = { reentrant: true };
  const ctx = (wide: boolean, o: bigint, positional = false): PrintfContext => ({ flavour: 'ucrt', version, wide, ucrtOptions: BigInt.asUintN(64, o), positional });
  const va = vaList;
  const sprintfS = (name: string, wide: boolean) =>
    fn('cdecl', ['int64', 'ptr', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, o, b, n, f, _l, a) => sprintfInto(p, name, ctx(wide, o), 'secure', b, n, f, va(p, a)), r);
  const sprintfCommon = (name: string, wide: boolean) =>
    fn('cdecl', ['int64', 'ptr', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, o, b, n, f, _l, a) => commonVsprintf(p, name, ctx(wide, o, name.endsWith('_p')), b, n, f, va(p, a)), r);
  const snprintfS = (name: string, wide: boolean) =>
    fn('cdecl', ['int64', 'ptr', 'long', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, o, b, s, n, f, _l, a) => snprintfSecure(p, name, ctx(wide, o), b, s, n, f, va(p, a)), r);
  const fprintfCommon = (name: string, wide: boolean) =>
    fn('cdecl', ['int64', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', (p, o, s, f, _l, a) => printfToStream(p, name, ctx(wide, o, name.endsWith('_p')), s, f, va(p, a)), r);
  const conio = (name: string, wide: boolean) => fn('cdecl', ['int64', 'ptr', 'ptr', 'ptr'], 'int', (p, o, f, _l, a) => printfToConsole(p, name, ctx(wide, o), f, va(p, a)), r);
  return {
    __conio_common_vcprintf: conio('__conio_common_vcprintf', false),
    __conio_common_vcwprintf: conio('__conio_common_vcwprintf', true),
    __stdio_common_vfprintf: fprintfCommon('__stdio_common_vfprintf', false),
    __stdio_common_vfprintf_p: fprintfCommon('__stdio_common_vfprintf_p', false),
    __stdio_common_vfprintf_s: fprintfCommon('__stdio_common_vfprintf_s', false),
    __stdio_common_vfwprintf: fprintfCommon('__stdio_common_vfwprintf', true),
    __stdio_common_vfwprintf_p: fprintfCommon('__stdio_common_vfwprintf_p', true),
    __stdio_common_vfwprintf_s: fprintfCommon('__stdio_common_vfwprintf_s', true),
    __stdio_common_vsnprintf_s: snprintfS('__stdio_common_vsnprintf_s', false),
    __stdio_common_vsnwprintf_s: snprintfS('__stdio_common_vsnwprintf_s', true),
    __stdio_common_vsprintf: sprintfCommon('__stdio_common_vsprintf', false),
    __stdio_common_vsprintf_p: sprintfCommon('__stdio_common_vsprintf_p', false),
    __stdio_common_vsprintf_s: sprintfS('__stdio_common_vsprintf_s', false),
    __stdio_common_vswprintf: sprintfCommon('__stdio_common_vswprintf', true),
    __stdio_common_vswprintf_p: sprintfCommon('__stdio_common_vswprintf_p', true),
    __stdio_common_vswprintf_s: sprintfS('__stdio_common_vswprintf_s', true),
    _get_printf_count_output: fn('cdecl', [], 'int', (p) => ((p.state(printfState).countOutput ?? false) ? 1 : 0)),
    _set_printf_count_output: fn('cdecl', ['int'], 'int', (p, e) => _set_printf_count_output(p, version, e)),
  };
}

export type { VarArgs };
