// Locale-formatted dates, times, numbers and currency amounts (GetDateFormat, GetTimeFormat,
// GetNumberFormat, GetCurrencyFormat) with the en-US / invariant data of locale.ts, and the picture
// strings Windows documents ("dddd, MMMM d, yyyy", "h:mm:ss tt", ...).
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { encodeString, readAnsi, readWide } from '../text.js';
import { ERROR } from '../win32.js';
import { fieldsToFileTime, fileTimeToFields, readSystemTime, utcToLocal, timeZoneState, type SystemTime } from './datetime.js';
import { localeInfo, resolveLcid, resolveLocaleName } from './locale.js';
import { fileTimeNow } from './time.js';

const LOCALE_NOUSEROVERRIDE = 0x8000_0000;
const LOCALE_USE_CP_ACP = 0x4000_0000;
const DATE = { SHORTDATE: 0x1, LONGDATE: 0x2, USE_ALT_CALENDAR: 0x4, YEARMONTH: 0x8, LTRREADING: 0x10, RTLREADING: 0x20, AUTOLAYOUT: 0x40, MONTHDAY: 0x80 } as const;
const TIME = { NOMINUTESORSECONDS: 0x1, NOSECONDS: 0x2, NOTIMEMARKER: 0x4, FORCE24HOURFORMAT: 0x8 } as const;

type Result = { text: string } | { error: number };

/** The local time now, or the caller's SYSTEMTIME (validated; the day of the week is recomputed). */
function timeArg(p: Process, at: number, checkDate: boolean): SystemTime | undefined {
  if (!at) return fileTimeToFields(utcToLocal(p.state(timeZoneState).zone, fileTimeNow()));
  const t = readSystemTime(p, at);
  if (checkDate) {
    const ft = fieldsToFileTime({ ...t, hour: 0, minute: 0, second: 0, milliseconds: 0 });
    return ft === undefined ? undefined : { ...fileTimeToFields(ft)!, hour: t.hour, minute: t.minute, second: t.second, milliseconds: t.milliseconds };
  }
  if (t.hour > 23 || t.minute > 59 || t.second > 59 || t.milliseconds > 999) return undefined;
  return t;
}

/** Splits a picture into runs of one format letter and literal text ('quoted', '' is a quote). */
function tokens(picture: string, letters: string): { letter: string; count: number; literal?: string }[] {
  const out: { letter: string; count: number; literal?: string }[] = [];
  for (let i = 0; i < picture.length; ) {
    const c = picture[i]!;
    if (c === "'") {
      let text = '';
      i++;
      while (i < picture.length) {
        if (picture[i] === "'") {
          if (picture[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        text += picture[i++];
      }
      out.push({ letter: '', count: 0, literal: text });
      continue;
    }
    if (letters.includes(c)) {
      let j = i;
      while (picture[j] === c) j++;
      out.push({ letter: c, count: j - i });
      i = j;
      continue;
    }
    out.push({ letter: '', count: 0, literal: c });
    i++;
  }
  return out;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

export function formatDate(lcid: number, t: SystemTime, picture: string): string {
  const info = (type: number) => localeInfo(lcid, type) ?? '';
  return tokens(picture, 'dMyg')
    .map((k) => {
      if (k.literal !== undefined) return k.literal;
      switch (k.letter) {
        case 'd':
          if (k.count === 1) return String(t.day);
          if (k.count === 2) return pad2(t.day);
          return info((k.count === 3 ? 0x31 : 0x2a) + ((t.dayOfWeek + 6) % 7)); // LOCALE_SABBREVDAYNAME1 / SDAYNAME1 is Monday
        case 'M':
          if (k.count === 1) return String(t.month);
          if (k.count === 2) return pad2(t.month);
          return info((k.count === 3 ? 0x44 : 0x38) + t.month - 1);
        case 'y':
          if (k.count === 1) return String(t.year % 100);
          if (k.count === 2) return pad2(t.year % 100);
          return String(t.year);
        default:
          return 'A.D.'; // g, gg: the Gregorian era
      }
    })
    .join('');
}

export function formatTime(lcid: number, t: SystemTime, picture: string, flags: number): string {
  const info = (type: number) => localeInfo(lcid, type) ?? '';
  const out: string[] = [];
  let dropUntilElement = false;
  const drop = (letter: string) =>
    (letter === 's' && flags & (TIME.NOSECONDS | TIME.NOMINUTESORSECONDS)) || (letter === 'm' && flags & TIME.NOMINUTESORSECONDS) || (letter === 't' && flags & TIME.NOTIMEMARKER);
  for (const k of tokens(picture, 'hHmst')) {
    if (k.literal !== undefined) {
      if (!dropUntilElement) out.push(k.literal);
      continue;
    }
    if (drop(k.letter)) {
      // An element left out takes the separator before it along (and, at the start, the one after it).
      while (out.length && !/[0-9A-Za-z\u00c0-\uffff]$/.test(out[out.length - 1]!)) out.pop();
      dropUntilElement = out.length === 0;
      continue;
    }
    dropUntilElement = false;
    const h12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    const marker = info(t.hour < 12 ? 0x28 : 0x29); // LOCALE_S1159 / S2359
    let letter = k.letter;
    if (letter === 'h' && flags & TIME.FORCE24HOURFORMAT) letter = 'H';
    switch (letter) {
      case 'h':
        out.push(k.count === 1 ? String(h12) : pad2(h12));
        break;
      case 'H':
        out.push(k.count === 1 ? String(t.hour) : pad2(t.hour));
        break;
      case 'm':
        out.push(k.count === 1 ? String(t.minute) : pad2(t.minute));
        break;
      case 's':
        out.push(k.count === 1 ? String(t.second) : pad2(t.second));
        break;
      default:
        out.push(k.count === 1 ? marker.slice(0, 1) : marker);
    }
  }
  return out.join('').trim();
}

function dateFormat(p: Process, lcid: number | undefined, flags: number, date: number, picture: string | null): Result {
  if (lcid === undefined) return { error: ERROR.INVALID_PARAMETER };
  const kind = flags & (DATE.SHORTDATE | DATE.LONGDATE | DATE.YEARMONTH | DATE.MONTHDAY);
  if (flags & ~(LOCALE_NOUSEROVERRIDE | LOCALE_USE_CP_ACP | DATE.SHORTDATE | DATE.LONGDATE | DATE.YEARMONTH | DATE.MONTHDAY | DATE.LTRREADING | DATE.RTLREADING | DATE.AUTOLAYOUT | DATE.USE_ALT_CALENDAR)) return { error: ERROR.INVALID_FLAGS };
  if ((picture !== null && kind) || (kind & (kind - 1)) !== 0) return { error: ERROR.INVALID_FLAGS };
  const t = timeArg(p, date, true);
  if (!t) return { error: ERROR.INVALID_PARAMETER };
  const pic = picture ?? localeInfo(lcid, kind === DATE.LONGDATE ? 0x20 : kind === DATE.YEARMONTH ? 0x1006 : kind === DATE.MONTHDAY ? 0x78 : 0x1f)!;
  return { text: formatDate(lcid, t, pic) };
}

function timeFormat(p: Process, lcid: number | undefined, flags: number, time: number, picture: string | null): Result {
  if (lcid === undefined) return { error: ERROR.INVALID_PARAMETER };
  if (flags & ~(LOCALE_NOUSEROVERRIDE | LOCALE_USE_CP_ACP | TIME.NOMINUTESORSECONDS | TIME.NOSECONDS | TIME.NOTIMEMARKER | TIME.FORCE24HOURFORMAT)) return { error: ERROR.INVALID_FLAGS };
  if (picture !== null && flags & LOCALE_NOUSEROVERRIDE) return { error: ERROR.INVALID_FLAGS };
  const t = timeArg(p, time, false);
  if (!t) return { error: ERROR.INVALID_PARAMETER };
  return { text: formatTime(lcid, t, picture ?? localeInfo(lcid, 0x1003)!, flags) };
}

// ---- numbers and currency -----------------------------------------------------------------------

interface NumberFormat {
  digits: number;
  leadingZero: boolean;
  grouping: number[]; // group sizes from the decimal point; a trailing 0 repeats the one before
  decimal: string;
  thousand: string;
  negativeOrder: number;
}

/** "3;0" or NUMBERFMT's 32 ("3;2;0") as group sizes. */
function groupingList(text: string): number[] {
  return text.split(';').map((g) => Number.parseInt(g, 10) || 0);
}
function groupingFromNumber(n: number): number[] {
  if (n === 0) return [0];
  return [...String(n)].map(Number).concat(n % 10 === 0 ? [] : [0]);
}

/** The value's digits rounded (half away from zero) to `digits` decimals; undefined when the string is not a number. */
function parseValue(s: string, digits: number): { negative: boolean; int: string; frac: string } | undefined {
  const m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const negative = m[1] === '-';
  let int = m[2]!.replace(/^0+(?=\d)/, '') || '0';
  let frac = m[3] ?? '';
  if (frac.length > digits) {
    const roundUp = frac.charCodeAt(digits) >= 0x35; // '5'
    frac = frac.slice(0, digits);
    if (roundUp) {
      const all = (int + frac).split('').map(Number);
      let i = all.length - 1;
      while (i >= 0) {
        if (all[i]! < 9) {
          all[i]!++;
          break;
        }
        all[i] = 0;
        i--;
      }
      const joined = (i < 0 ? '1' : '') + all.join('');
      int = joined.slice(0, joined.length - frac.length) || '0';
      frac = joined.slice(joined.length - frac.length);
    }
  }
  frac = frac.padEnd(digits, '0');
  const isZero = /^0*$/.test(int + frac);
  return { negative: negative && !isZero, int, frac };
}

function group(int: string, sizes: number[], sep: string): string {
  const parts: string[] = [];
  let rest = int;
  let k = 0;
  let size = sizes[0] ?? 0;
  while (size > 0 && rest.length > size) {
    parts.unshift(rest.slice(rest.length - size));
    rest = rest.slice(0, rest.length - size);
    k++;
    const next = sizes[k];
    if (next === undefined) break; // no repetition: the rest stays whole
    if (next !== 0) size = next;
    else k--; // a trailing 0 repeats the last size
  }
  parts.unshift(rest);
  return parts.join(sep);
}

function formatAbsolute(v: { int: string; frac: string }, f: NumberFormat): string {
  const int = v.int === '0' && !f.leadingZero && f.digits > 0 ? '' : group(v.int, f.grouping, f.thousand);
  return f.digits > 0 ? `${int}${f.decimal}${v.frac}` : int;
}

const NEGATIVE_NUMBER = ['(n)', '-n', '- n', 'n-', 'n -'];
const POSITIVE_CURRENCY = ['$n', 'n$', '$ n', 'n $'];
const NEGATIVE_CURRENCY = ['($n)', '-$n', '$-n', '$n-', '(n$)', '-n$', 'n-$', 'n$-', '-n $', '-$ n', 'n $-', '$ n-', '$ -n', 'n- $', '($ n)', '(n $)'];

function readNumberFmt(p: Process, at: number, wide: boolean): NumberFormat | undefined {
  const m = p.mem;
  const str = (a: number) => (wide ? readWide(m, a) : readAnsi(m, a, p.ansiCodePage)) ?? '';
  const f: NumberFormat = { digits: m.u32(at), leadingZero: m.u32(at + 4) !== 0, grouping: groupingFromNumber(m.u32(at + 8)), decimal: str(m.u32(at + 12)), thousand: str(m.u32(at + 16)), negativeOrder: m.u32(at + 20) };
  if (f.digits > 9 || m.u32(at + 4) > 1 || f.negativeOrder > 4 || !m.u32(at + 12) || !m.u32(at + 16)) return undefined;
  return f;
}

function localeNumberFormat(lcid: number, currency: boolean): NumberFormat {
  const info = (t: number) => localeInfo(lcid, t) ?? '';
  return {
    digits: Number(info(currency ? 0x19 : 0x11)),
    leadingZero: info(0x12) === '1',
    grouping: groupingList(info(currency ? 0x18 : 0x10)),
    decimal: info(currency ? 0x16 : 0x0e),
    thousand: info(currency ? 0x17 : 0x0f),
    negativeOrder: Number(info(currency ? 0x1c : 0x1010)),
  };
}

function numberFormat(p: Process, lcid: number | undefined, flags: number, value: string | null, fmt: number, wide: boolean): Result {
  if (lcid === undefined || value === null) return { error: ERROR.INVALID_PARAMETER };
  if (flags & ~(LOCALE_NOUSEROVERRIDE | LOCALE_USE_CP_ACP) || (fmt && flags & LOCALE_NOUSEROVERRIDE)) return { error: ERROR.INVALID_FLAGS };
  const f = fmt ? readNumberFmt(p, fmt, wide) : localeNumberFormat(lcid, false);
  if (!f) return { error: ERROR.INVALID_PARAMETER };
  const v = parseValue(value, f.digits);
  if (!v) return { error: ERROR.INVALID_PARAMETER };
  const body = formatAbsolute(v, f);
  return { text: v.negative ? NEGATIVE_NUMBER[f.negativeOrder]!.replace('n', body) : body };
}

function currencyFormat(p: Process, lcid: number | undefined, flags: number, value: string | null, fmt: number, wide: boolean): Result {
  if (lcid === undefined || value === null) return { error: ERROR.INVALID_PARAMETER };
  if (flags & ~(LOCALE_NOUSEROVERRIDE | LOCALE_USE_CP_ACP) || (fmt && flags & LOCALE_NOUSEROVERRIDE)) return { error: ERROR.INVALID_FLAGS };
  let f: NumberFormat;
  let positiveOrder: number;
  let symbol: string;
  if (fmt) {
    const m = p.mem;
    const str = (a: number) => (wide ? readWide(m, a) : readAnsi(m, a, p.ansiCodePage)) ?? '';
    f = { digits: m.u32(fmt), leadingZero: m.u32(fmt + 4) !== 0, grouping: groupingFromNumber(m.u32(fmt + 8)), decimal: str(m.u32(fmt + 12)), thousand: str(m.u32(fmt + 16)), negativeOrder: m.u32(fmt + 20) };
    positiveOrder = m.u32(fmt + 24);
    symbol = str(m.u32(fmt + 28));
    if (f.digits > 9 || f.negativeOrder > 15 || positiveOrder > 3 || !m.u32(fmt + 12) || !m.u32(fmt + 16) || !m.u32(fmt + 28)) return { error: ERROR.INVALID_PARAMETER };
  } else {
    f = localeNumberFormat(lcid, true);
    positiveOrder = Number(localeInfo(lcid, 0x1b));
    symbol = localeInfo(lcid, 0x14) ?? '$';
  }
  const v = parseValue(value, f.digits);
  if (!v) return { error: ERROR.INVALID_PARAMETER };
  const body = formatAbsolute(v, f);
  const pattern = v.negative ? NEGATIVE_CURRENCY[f.negativeOrder]! : POSITIVE_CURRENCY[positiveOrder]!;
  return { text: pattern.replace('n', '\u0000').replace('$', symbol).replace('\u0000', body) };
}

// ---- output -------------------------------------------------------------------------------------

/** Characters (A: bytes) written with the NUL, or needed when the size is 0. */
function output(p: Process, r: Result, buf: number, size: number, wide: boolean): number {
  if ('error' in r) {
    p.setLastError(r.error);
    return 0;
  }
  const s = r.text + '\0';
  const bytes = wide ? undefined : encodeString(s, p.ansiCodePage).bytes;
  const count = wide ? s.length : bytes!.length;
  if (size === 0) return count;
  if (count > size || !buf) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  if (wide) for (let i = 0; i < s.length; i++) p.mem.setU16(buf + 2 * i, s.charCodeAt(i));
  else p.mem.write(buf, bytes!);
  return count;
}

const lcidOf = (p: Process, l: number) => resolveLcid(p, l);

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const formatsApi = {
  GetCurrencyFormatA: fn('stdcall', ['long', 'long', 'str', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, c, b, n) => output(p, currencyFormat(p, lcidOf(p, l), f, v, c, false), b, n, false)),
  GetCurrencyFormatEx: fn('stdcall', ['wstr', 'long', 'wstr', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, c, b, n) => output(p, currencyFormat(p, resolveLocaleName(l), f, v, c, true), b, n, true)),
  GetCurrencyFormatW: fn('stdcall', ['long', 'long', 'wstr', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, c, b, n) => output(p, currencyFormat(p, lcidOf(p, l), f, v, c, true), b, n, true)),
  GetDateFormatA: fn('stdcall', ['long', 'long', 'ptr', 'str', 'ptr', 'int'], 'int', (p, l, f, d, pic, b, n) => output(p, dateFormat(p, lcidOf(p, l), f, d, pic), b, n, false)),
  GetDateFormatEx: fn('stdcall', ['wstr', 'long', 'ptr', 'wstr', 'ptr', 'int', 'wstr'], 'int', (p, l, f, d, pic, b, n, _calendar) => output(p, dateFormat(p, resolveLocaleName(l), f, d, pic), b, n, true)),
  GetDateFormatW: fn('stdcall', ['long', 'long', 'ptr', 'wstr', 'ptr', 'int'], 'int', (p, l, f, d, pic, b, n) => output(p, dateFormat(p, lcidOf(p, l), f, d, pic), b, n, true)),
  GetNumberFormatA: fn('stdcall', ['long', 'long', 'str', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, fmt, b, n) => output(p, numberFormat(p, lcidOf(p, l), f, v, fmt, false), b, n, false)),
  GetNumberFormatEx: fn('stdcall', ['wstr', 'long', 'wstr', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, fmt, b, n) => output(p, numberFormat(p, resolveLocaleName(l), f, v, fmt, true), b, n, true)),
  GetNumberFormatW: fn('stdcall', ['long', 'long', 'wstr', 'ptr', 'ptr', 'int'], 'int', (p, l, f, v, fmt, b, n) => output(p, numberFormat(p, lcidOf(p, l), f, v, fmt, true), b, n, true)),
  GetTimeFormatA: fn('stdcall', ['long', 'long', 'ptr', 'str', 'ptr', 'int'], 'int', (p, l, f, t, pic, b, n) => output(p, timeFormat(p, lcidOf(p, l), f, t, pic), b, n, false)),
  GetTimeFormatEx: fn('stdcall', ['wstr', 'long', 'ptr', 'wstr', 'ptr', 'int'], 'int', (p, l, f, t, pic, b, n) => output(p, timeFormat(p, resolveLocaleName(l), f, t, pic), b, n, true)),
  GetTimeFormatW: fn('stdcall', ['long', 'long', 'ptr', 'wstr', 'ptr', 'int'], 'int', (p, l, f, t, pic, b, n) => output(p, timeFormat(p, lcidOf(p, l), f, t, pic), b, n, true)),
};
