// printf formatting as Microsoft's C runtimes do it. Two flavours differ where the real DLLs do:
// `msvcrt` (msvcrt.dll and msvcr70-120: 3-digit exponents, "1.#INF00"-style infinities and NaNs, 17
// significant digits then zeros) and `ucrt` (ucrtbase.dll: 2-digit exponents, "inf"/"nan", exact digits).

export type CrtFlavour = 'msvcrt' | 'ucrt';

/** Where the values for the conversions come from (a varargs list or a va_list in guest memory). */
export interface ArgSource {
  u32(): number;
  u64(): bigint;
  f64(): number;
}

export interface FormatHost {
  /** A narrow string at a guest address (decoded with the ANSI code page), or null for NULL. */
  str(addr: number): string | null;
  wstr(addr: number): string | null;
  /** %n: store the count so far. */
  storeCount(addr: number, count: number, size: 'h' | 'l' | 'll' | ''): void;
  /** %Z: the text of an ANSI_STRING / UNICODE_STRING at a guest address. */
  countedString?(addr: number, wide: boolean): string | null;
}

export interface FormatOptions {
  flavour: CrtFlavour;
  /** The wprintf family (the text is wide; what %s means there depends on `isoWide`). */
  wide: boolean;
  /**
   * ucrt's ISO wide specifiers (no _CRT_INTERNAL_PRINTF_LEGACY_WIDE_SPECIFIERS): %s and %c of the wprintf
   * family take narrow strings as in C99. Otherwise (every msvcrt flavour, and ucrt's default) they take wide
   * ones and %S, %C the other width.
   */
  isoWide?: boolean;
  /** %n may store (msvcrt.dll, msvcr70/71; later runtimes only after _set_printf_count_output(1)). */
  countOutput?: boolean;
  /** Digits of an exponent at least: 3 before Visual C++ 2015 (unless _set_output_format), 2 in ucrt. */
  exponentDigits?: 2 | 3;
  /** ucrt's _CRT_INTERNAL_PRINTF_LEGACY_MSVCRT_COMPATIBILITY: "1.#INF" style non-finite values, F/N modifiers. */
  msvcrtCompat?: boolean;
}

/** The format is one ucrt rejects (its invalid parameter handler runs, the call returns -1 with EINVAL). */
export class FormatInvalidError extends Error {}

interface Spec {
  flags: string;
  width: number | undefined;
  precision: number | undefined;
  length: string;
  conv: string;
}

/** Formats `fmt` with arguments from `args`; returns the text (as UTF-16 JS string). */
export function formatPrintf(fmt: string, args: ArgSource, host: FormatHost, opts: FormatOptions): string {
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (fmt[i] === '%') {
      out += '%';
      i++;
      continue;
    }
    // flags
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i]!)) flags += fmt[i++];
    // width
    let width: number | undefined;
    if (fmt[i] === '*') {
      const w = args.u32() | 0;
      if (w < 0) flags += '-';
      width = Math.abs(w);
      i++;
    } else {
      const m = /^\d+/.exec(fmt.slice(i));
      if (m) {
        width = Number(m[0]);
        i += m[0].length;
      }
    }
    // precision
    let precision: number | undefined;
    if (fmt[i] === '.') {
      i++;
      if (fmt[i] === '*') {
        const p = args.u32() | 0;
        precision = p < 0 ? undefined : p;
        i++;
      } else {
        const m = /^\d*/.exec(fmt.slice(i))!;
        precision = m[0] ? Number(m[0]) : 0;
        i += m[0].length;
      }
    }
    // length (msvcrt also takes F and N, far/near pointer sizes of 16-bit days, and ignores them)
    const msvcrtModifiers = opts.flavour === 'msvcrt' || opts.msvcrtCompat === true;
    const lm = (msvcrtModifiers ? /^(I64|I32|hh|ll|[hlLIwFN])/ : /^(I64|I32|hh|ll|[hlLIjztwT])/).exec(fmt.slice(i));
    let length = lm ? lm[0] : '';
    i += length.length;
    if (length === 'F' || length === 'N') length = '';
    // msvcrt has no char size: a second h changes nothing.
    if (length === 'hh' && opts.flavour === 'msvcrt') length = 'h';
    const conv = fmt[i++];
    if (conv === undefined) {
      if (opts.flavour === 'ucrt') throw new FormatInvalidError('the format ends inside a conversion');
      break; // msvcrt: a lone % at the end prints nothing
    }
    out += convert({ flags, width, precision, length, conv }, args, host, opts, out.length);
  }
  return out;
}

function is64(length: string): boolean {
  return length === 'll' || length === 'I64' || length === 'j';
}

function convert(s: Spec, args: ArgSource, host: FormatHost, opts: FormatOptions, countSoFar: number): string {
  switch (s.conv) {
    case 'd':
    case 'i': {
      const v = is64(s.length) ? BigInt.asIntN(64, args.u64()) : BigInt(narrowSigned(args.u32(), s.length));
      return pad(s, integerDigits(v < 0n ? -v : v, 10, s.precision), v < 0n ? '-' : s.flags.includes('+') ? '+' : s.flags.includes(' ') ? ' ' : '', true);
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      const v = is64(s.length) ? args.u64() : BigInt(narrowUnsigned(args.u32(), s.length));
      const radix = s.conv === 'o' ? 8 : s.conv === 'u' ? 10 : 16;
      let digits = integerDigits(v, radix, s.precision);
      if (s.conv === 'X') digits = digits.toUpperCase();
      let prefix = '';
      if (s.flags.includes('#') && v !== 0n) {
        if (s.conv === 'o' && !digits.startsWith('0')) digits = '0' + digits;
        if (s.conv === 'x') prefix = '0x';
        if (s.conv === 'X') prefix = '0X';
      }
      return pad(s, digits, prefix, true);
    }
    case 'p': {
      const v = args.u32();
      return pad({ ...s, precision: undefined }, v.toString(16).toUpperCase().padStart(8, '0'), '', false);
    }
    case 'c':
    case 'C': {
      const v = args.u32();
      const wideChar = isWideArg(s, opts);
      return pad({ ...s, precision: undefined }, String.fromCharCode(wideChar ? v & 0xffff : v & 0xff), '', false);
    }
    case 's':
    case 'S': {
      const addr = args.u32();
      const wideStr = isWideArg(s, opts);
      let text = addr === 0 ? '(null)' : ((wideStr ? host.wstr(addr) : host.str(addr)) ?? '(null)');
      if (s.precision !== undefined) text = text.slice(0, s.precision);
      return pad({ ...s, precision: undefined }, text, '', false);
    }
    case 'Z': {
      // A counted string: ANSI_STRING (%Z, %hZ) or UNICODE_STRING (%wZ, %lZ) { Length, MaximumLength, Buffer }.
      const addr = args.u32();
      const wideStr = s.length === 'l' || s.length === 'w';
      let text = addr === 0 ? '(null)' : (host.countedString?.(addr, wideStr) ?? '(null)');
      if (s.precision !== undefined) text = text.slice(0, s.precision);
      return pad({ ...s, precision: undefined }, text, '', false);
    }
    case 'n': {
      const addr = args.u32();
      if (!(opts.countOutput ?? opts.flavour === 'msvcrt')) throw new FormatInvalidError('%n is disabled (see _set_printf_count_output)');
      host.storeCount(addr, countSoFar, s.length === 'h' ? 'h' : s.length === 'll' || s.length === 'I64' ? 'll' : '');
      return '';
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G':
    case 'a':
    case 'A':
      return formatFloat(s, args.f64(), opts);
    default:
      // ucrt validates its formats; msvcrt prints an unknown conversion character itself, and the argument
      // is not consumed.
      if (opts.flavour === 'ucrt') throw new FormatInvalidError(`%${s.conv} is not a conversion`);
      return s.conv;
  }
}

/**
 * Whether %c/%C/%s/%S take the wide form. h forces narrow and l/w wide; otherwise %s and %c are "natural"
 * (the width of the function's text, or narrow in ucrt's ISO mode) and %S and %C the other one.
 */
function isWideArg(s: Spec, opts: FormatOptions): boolean {
  if (s.length === 'h') return false;
  if (s.length === 'l' || s.length === 'w') return true;
  if (s.length === 'T') return opts.wide;
  const natural = opts.wide && !opts.isoWide;
  const lower = s.conv === 'c' || s.conv === 's';
  if (opts.wide && opts.isoWide) return !lower; // ISO: %s narrow, %S wide
  return lower ? natural : !natural;
}

function narrowSigned(v: number, length: string): number {
  if (length === 'h') return (v << 16) >> 16;
  if (length === 'hh') return (v << 24) >> 24;
  return v | 0;
}

function narrowUnsigned(v: number, length: string): number {
  if (length === 'h') return v & 0xffff;
  if (length === 'hh') return v & 0xff;
  return v >>> 0;
}

function integerDigits(v: bigint, radix: number, precision: number | undefined): string {
  if (precision === 0 && v === 0n) return '';
  const d = v.toString(radix);
  return precision !== undefined ? d.padStart(precision, '0') : d;
}

/** Applies width, '-' and '0' flags. `numeric` lets '0' pad between sign/prefix and digits. */
function pad(s: Spec, body: string, prefix: string, numeric: boolean): string {
  const width = s.width ?? 0;
  const len = prefix.length + body.length;
  if (len >= width) return prefix + body;
  if (s.flags.includes('-')) return prefix + body + ' '.repeat(width - len);
  if (s.flags.includes('0') && (numeric ? s.precision === undefined : false)) return prefix + '0'.repeat(width - len) + body;
  return ' '.repeat(width - len) + prefix + body;
}

// ---- floating point ------------------------------------------------------------------------

function formatFloat(s: Spec, v: number, opts: FormatOptions): string {
  const flavour = opts.flavour;
  const expDigits = opts.exponentDigits ?? (flavour === 'ucrt' ? 2 : 3);
  const legacyNonFinite = flavour === 'msvcrt' || opts.msvcrtCompat === true;
  const neg = v < 0 || Object.is(v, -0) || (Number.isNaN(v) && nanSign(v));
  const sign = neg ? '-' : s.flags.includes('+') ? '+' : s.flags.includes(' ') ? ' ' : '';
  const upper = s.conv === s.conv.toUpperCase();
  const conv = s.conv.toLowerCase();
  if (!Number.isFinite(v)) {
    const body = legacyNonFinite ? msvcrtNonFinite(v, conv, s, expDigits) : ucrtNonFinite(v, neg, upper);
    return pad({ ...s, flags: s.flags.replace('0', '') }, body, !legacyNonFinite && Number.isNaN(v) && neg ? '' : sign, true);
  }
  const a = Math.abs(v);
  let body: string;
  const precision = s.precision ?? (conv === 'a' ? -1 : 6);
  if (conv === 'f') body = fixed(a, precision, flavour, s.flags.includes('#'));
  else if (conv === 'e') body = exponential(a, precision, flavour, s.flags.includes('#'), upper, expDigits);
  else if (conv === 'g') body = general(a, precision, flavour, s.flags.includes('#'), upper, expDigits);
  else body = hexFloat(a, precision, upper);
  // '0' pads floating-point conversions whatever the precision (only integer ones drop it then).
  return pad({ ...s, precision: undefined }, body, sign, true);
}

const bitsView = new DataView(new ArrayBuffer(8));

/** The two 32-bit halves of a double's IEEE-754 bits. */
function doubleBits(v: number): { hi: number; lo: number } {
  bitsView.setFloat64(0, v);
  return { hi: bitsView.getUint32(0), lo: bitsView.getUint32(4) };
}

function nanSign(v: number): boolean {
  return doubleBits(v).hi >>> 31 === 1;
}

function isIndefinite(v: number): boolean {
  // The x87 "indefinite" NaN (what 0/0 produces) is negative with only the quiet bit set.
  const { hi, lo } = doubleBits(v);
  return hi === 0xfff8_0000 && lo === 0;
}

function ucrtNonFinite(v: number, neg: boolean, upper: boolean): string {
  let t: string;
  if (v === Infinity || v === -Infinity) t = (neg ? '-' : '') + 'inf';
  else t = isIndefinite(v) ? '-nan(ind)' : (neg ? '-' : '') + (quietBit(v) ? 'nan' : 'nan(snan)');
  // The sign of inf goes through pad(); keep it out of the body there.
  if (v === Infinity || v === -Infinity) t = 'inf';
  return upper ? t.toUpperCase() : t;
}

/** msvcrt prints "1.#INF", "1.#IND", "1.#QNAN", then treats "#INF" like fraction digits (rounding the ASCII!). */
function msvcrtNonFinite(v: number, conv: string, s: Spec, expDigits: number): string {
  const tail = v === Infinity || v === -Infinity ? '#INF' : isIndefinite(v) ? '#IND' : quietBit(v) ? '#QNAN' : '#SNAN';
  const precision = s.precision ?? 6;
  let digits: string;
  if (conv === 'g') {
    const p = precision === 0 ? 1 : precision;
    digits = roundAsciiDigits(tail, p - 1);
    digits = digits.replace(/0+$/, '');
    return digits ? `1.${digits}` : '1';
  }
  digits = roundAsciiDigits(tail, precision);
  const mantissa = precision === 0 ? (s.flags.includes('#') ? '1.' : '1') : `1.${digits}`;
  if (conv === 'e') return `${mantissa}${s.conv === 'E' ? 'E' : 'e'}+${'0'.repeat(expDigits)}`;
  return mantissa;
}

function quietBit(v: number): boolean {
  return (doubleBits(v).hi & 0x0008_0000) !== 0;
}

/** Truncate `tail` to n characters, padding with zeros; if the next character is >= '5', bump the last. */
function roundAsciiDigits(tail: string, n: number): string {
  if (n <= 0) return '';
  if (n >= tail.length) return tail + '0'.repeat(n - tail.length);
  let kept = tail.slice(0, n);
  if (tail.charCodeAt(n) >= 0x35) kept = kept.slice(0, -1) + String.fromCharCode(kept.charCodeAt(n - 1) + 1);
  return kept;
}

/**
 * Decimal digits of a non-negative finite double: `digits` (no leading zeros, at least one) and the
 * decimal exponent `point` (value = 0.d1d2d3... * 10^point). Exact (ucrt) or from 17 significant
 * digits (msvcrt).
 */
export function decimalDigits(a: number, flavour: CrtFlavour): { digits: string; point: number } {
  if (a === 0) return { digits: '0', point: 1 };
  if (flavour === 'msvcrt') {
    const [m, e] = a.toExponential(16).split('e') as [string, string];
    return { digits: m.replace('.', '').replace(/0+$/, '') || '0', point: Number(e) + 1 };
  }
  // Exact: a = mant * 2^exp.
  const { hi, lo } = doubleBits(a);
  const bexp = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp = bexp - 1075;
  if (bexp === 0) exp = -1074;
  else mant |= 1n << 52n;
  let digits: string;
  let point: number;
  if (exp >= 0) {
    digits = (mant << BigInt(exp)).toString();
    point = digits.length;
  } else {
    const scaled = mant * 5n ** BigInt(-exp); // a = scaled / 10^-exp
    digits = scaled.toString();
    point = digits.length + exp;
  }
  digits = digits.replace(/0+$/, '') || '0';
  return { digits, point };
}

/** Rounds to `keep` significant digits (keep <= 0 rounds at or above the leading digit). */
export function roundDigits(d: { digits: string; point: number }, keep: number, flavour: CrtFlavour): { digits: string; point: number } {
  const { digits, point } = d;
  if (keep >= digits.length) return { digits: digits + '0'.repeat(keep - digits.length), point };
  if (keep < 0) return { digits: '', point };
  const kept = digits.slice(0, keep);
  const next = digits.charCodeAt(keep) - 48;
  const exactHalf = next === 5 && /^0*$/.test(digits.slice(keep + 1));
  const odd = kept.length > 0 && (kept.charCodeAt(kept.length - 1) - 48) % 2 === 1;
  // ucrt rounds the exact value half-to-even; msvcrt rounds its digit string half-up.
  const up = next > 5 || (next === 5 && (flavour === 'msvcrt' || !exactHalf || odd));
  if (!up) return { digits: kept, point };
  if (keep === 0) return { digits: '1', point: point + 1 };
  const n = (BigInt(kept) + 1n).toString();
  return n.length > keep ? { digits: n.slice(0, keep), point: point + 1 } : { digits: n, point };
}

function fixed(a: number, precision: number, flavour: CrtFlavour, alt: boolean): string {
  const d = decimalDigits(a, flavour);
  const r = roundDigits(d, d.point + precision, flavour);
  let all = r.digits;
  const point = r.point;
  // all holds digits from the leading one; integer part is the first `point` of them.
  let intPart: string;
  let frac: string;
  if (point <= 0) {
    intPart = '0';
    frac = ('0'.repeat(-point) + all).slice(0, precision).padEnd(precision, '0');
  } else {
    all = all.padEnd(point + precision, '0');
    intPart = all.slice(0, point);
    frac = all.slice(point, point + precision);
  }
  return precision > 0 ? `${intPart}.${frac}` : alt ? `${intPart}.` : intPart;
}

function exponential(a: number, precision: number, flavour: CrtFlavour, alt: boolean, upper: boolean, expDigits: number): string {
  const d = decimalDigits(a, flavour);
  const r = a === 0 ? { digits: '0'.repeat(precision + 1), point: 1 } : roundDigits(d, precision + 1, flavour);
  const digits = r.digits.padEnd(precision + 1, '0').slice(0, precision + 1);
  const exp = a === 0 ? 0 : r.point - 1;
  const mant = precision > 0 ? `${digits[0]}.${digits.slice(1)}` : alt ? `${digits[0]}.` : digits[0]!;
  return `${mant}${upper ? 'E' : 'e'}${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(expDigits, '0')}`;
}

function general(a: number, precision: number, flavour: CrtFlavour, alt: boolean, upper: boolean, expDigits: number): string {
  const p = precision === 0 ? 1 : precision;
  const d = decimalDigits(a, flavour);
  const r = a === 0 ? { digits: '0', point: 1 } : roundDigits(d, p, flavour);
  const x = a === 0 ? 0 : r.point - 1;
  let s: string;
  if (x < -4 || x >= p) {
    s = exponential(a, p - 1, flavour, alt, upper, expDigits);
    if (!alt) s = s.replace(/\.?0+([eE])/, '$1').replace(/\.([eE])/, '$1');
  } else {
    s = fixed(a, p - 1 - x, flavour, alt);
    if (!alt && s.includes('.')) s = s.replace(/\.?0+$/, '');
  }
  return s;
}

/** %a: Microsoft prints 13 hex digits unless a precision is given: 0x1.0000000000000p+0. */
function hexFloat(a: number, precision: number, upper: boolean): string {
  const { hi, lo } = doubleBits(a);
  const bexp = (hi >>> 20) & 0x7ff;
  let frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let lead = bexp === 0 ? 0n : 1n;
  let exp = a === 0 ? 0 : bexp === 0 ? -1022 : bexp - 1023;
  let digits = 13;
  if (precision >= 0 && precision < 13) {
    const drop = BigInt((13 - precision) * 4);
    const half = 1n << (drop - 1n);
    const rem = frac & ((1n << drop) - 1n);
    frac >>= drop;
    if (rem > half || (rem === half && (frac & 1n) === 1n)) frac += 1n;
    if (frac >> BigInt(precision * 4) !== 0n) {
      frac = 0n;
      lead += 1n;
    }
    digits = precision;
  }
  let fracHex = digits > 0 ? frac.toString(16).padStart(digits, '0') : '';
  if (precision > 13) fracHex = fracHex.padEnd(precision, '0');
  if (lead === 2n) {
    lead = 1n;
    exp += 1;
  }
  const s = `0x${lead}${fracHex ? '.' + fracHex : ''}p${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
  return upper ? s.toUpperCase() : s;
}

// ---- positional arguments (the _p functions: "%2$s %1$d") -------------------------------------------

type ArgKind = 'int' | 'int64' | 'double' | 'ptr';

/**
 * Positional arguments: every conversion names its argument ("%2$d", widths "*1$"). The format is rewritten
 * without the positions and the arguments are read once, in position order, then handed out in the order
 * the rewritten format consumes them. Mixing positional and plain conversions, a gap in the positions, or
 * one position used with two types is an invalid format.
 */
export function positionalFormat(fmt: string, args: ArgSource, _flavour: CrtFlavour): { fmt: string; args: ArgSource } {
  const spec = /%(?:(\d+)\$)?([-+ #0]*)(\*(?:(\d+)\$)?|\d+)?(?:\.(\*(?:(\d+)\$)?|\d*))?(I64|I32|hh|ll|[hlLIjztwFNT])?([a-zA-Z%])/g;
  const uses: { pos: number; kind: ArgKind }[][] = [];
  let out = '';
  let last = 0;
  let positional: boolean | undefined;
  const kinds = new Map<number, ArgKind>();
  const use = (pos: number, kind: ArgKind, list: { pos: number; kind: ArgKind }[]) => {
    const known = kinds.get(pos);
    if (known && known !== kind) throw new FormatInvalidError(`argument ${pos} is used with two types`);
    kinds.set(pos, kind);
    list.push({ pos, kind });
  };
  for (let m = spec.exec(fmt); m; m = spec.exec(fmt)) {
    const [whole, pos, flags = '', width, widthPos, precision, precisionPos, length = '', conv] = m;
    out += fmt.slice(last, m.index);
    last = m.index + whole.length;
    if (conv === '%') {
      out += '%%';
      continue;
    }
    const isPositional = pos !== undefined;
    if (positional === undefined) positional = isPositional;
    else if (positional !== isPositional) throw new FormatInvalidError('positional and plain conversions are mixed');
    if (!isPositional) {
      out += whole;
      continue;
    }
    const list: { pos: number; kind: ArgKind }[] = [];
    if (width?.startsWith('*')) {
      if (widthPos === undefined) throw new FormatInvalidError('a * width without a position');
      use(Number(widthPos), 'int', list);
    }
    if (precision?.startsWith('*')) {
      if (precisionPos === undefined) throw new FormatInvalidError('a * precision without a position');
      use(Number(precisionPos), 'int', list);
    }
    const c = conv!;
    const kind: ArgKind = 'eEfFgGaA'.includes(c) ? 'double' : 'sSZnp'.includes(c) ? 'ptr' : length === 'll' || length === 'I64' || length === 'j' ? 'int64' : 'int';
    use(Number(pos), kind, list);
    uses.push(list);
    out += `%${flags}${width?.startsWith('*') ? '*' : (width ?? '')}${precision !== undefined ? '.' + (precision.startsWith('*') ? '*' : precision) : ''}${length}${c}`;
  }
  out += fmt.slice(last);
  if (!positional) return { fmt, args };
  const count = Math.max(0, ...kinds.keys());
  const values: (number | bigint)[] = [];
  for (let i = 1; i <= count; i++) {
    const kind = kinds.get(i);
    if (!kind) throw new FormatInvalidError(`argument ${i} is not used`);
    values[i] = kind === 'double' ? args.f64() : kind === 'int64' ? args.u64() : args.u32();
  }
  const order = uses.flat().map((u) => values[u.pos]!);
  let k = 0;
  const next = () => order[k++]!;
  return {
    fmt: out,
    args: {
      u32: () => Number(next()),
      u64: () => BigInt(next()),
      f64: () => Number(next()),
    },
  };
}
