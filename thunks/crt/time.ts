// <time.h>: calendar time, broken-down time in UTC and local time, strftime with Microsoft's formats (the
// "C" locale's names), clock, _ftime, and the time zone variables. Local time is the process's time zone
// (kernel32's GetTimeZoneInformation: UTC unless configured), or what the TZ environment variable says once
// _tzset (or anything that calls it) has read it, as Microsoft's CRT does ("PST8PDT", "EST5", ...).
// Before _tzset runs, _timezone/_daylight/_tzname hold the CRT's static defaults (Pacific time).
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import { writeAnsi, writeWide } from '../text.js';
import { hasSecureCrt } from './flavour.js';
import type { CrtFlavour } from './format.js';
import { invalidParameter } from './signal.js';
import { ERRNO, setErrno } from './state.js';
import { timeZoneState, type TimeZone } from '../kernel32/datetime.js';

/** struct tm: nine ints. */
export interface Tm {
  sec: number;
  min: number;
  hour: number;
  mday: number;
  mon: number;
  year: number; // years since 1900
  wday: number;
  yday: number;
  isdst: number;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Latest times each flavour of time_t converts: 2038-01-19 03:14:07 and 3000-12-31 23:59:59 UTC. */
const MAX_TIME32 = 0x7fff_ffff;
const MAX_TIME64 = 32_535_215_999;

export function readTm(p: Process, at: number): Tm {
  const m = p.mem;
  return { sec: m.i32(at), min: m.i32(at + 4), hour: m.i32(at + 8), mday: m.i32(at + 12), mon: m.i32(at + 16), year: m.i32(at + 20), wday: m.i32(at + 24), yday: m.i32(at + 28), isdst: m.i32(at + 32) };
}

export function writeTm(p: Process, at: number, t: Tm): void {
  [t.sec, t.min, t.hour, t.mday, t.mon, t.year, t.wday, t.yday, t.isdst].forEach((v, i) => p.mem.setU32(at + 4 * i, v >>> 0));
}

/** Broken-down UTC fields of a time in seconds since 1970. */
export function utcFields(t: number): Tm {
  const d = new Date(t * 1000);
  const jan1 = Date.UTC(d.getUTCFullYear(), 0, 1);
  return {
    sec: d.getUTCSeconds(),
    min: d.getUTCMinutes(),
    hour: d.getUTCHours(),
    mday: d.getUTCDate(),
    mon: d.getUTCMonth(),
    year: d.getUTCFullYear() - 1900,
    wday: d.getUTCDay(),
    yday: Math.floor((d.getTime() - jan1) / 86_400_000),
    isdst: 0,
  };
}

/** Seconds since 1970 of broken-down fields taken as UTC (any field may be out of its range: they carry over). */
function fieldsToSeconds(t: Tm): number {
  return Math.floor(Date.UTC(1900 + t.year, t.mon, 1) / 1000) + (t.mday - 1) * 86_400 + t.hour * 3600 + t.min * 60 + t.sec;
}

// ---- time zone --------------------------------------------------------------------------------------

/** A daylight-saving rule: the nth (5 = last) weekday of a month at an hour, of local standard or daylight time. */
interface Rule {
  month: number; // 0-11
  week: number; // 1-5
  weekday: number; // 0 Sunday
  hour: number;
}

interface Zone {
  /** Seconds west of UTC (_timezone). */
  timezone: number;
  /** Whether the zone has daylight saving (_daylight). */
  daylight: boolean;
  /** Seconds added to _timezone in daylight time (_dstbias, normally -3600). */
  dstbias: number;
  names: [string, string];
  start?: Rule; // daylight starts (local standard time)
  end?: Rule; // daylight ends (local daylight time)
}

interface TimeState {
  timezone: number;
  daylight: number;
  dstbias: number;
  tzname: number; // char *_tzname[2]
  wtzname: number;
  zone: Zone | undefined;
  /** The struct tm and string buffers localtime, gmtime, asctime and ctime return, per thread as in the CRT. */
  buffers: Map<number, { tm: number; asctime: number; wasctime: number }>;
  clockStart: number;
}

const timeState = stateKey<TimeState>('crt.time', (p) => {
  const s: TimeState = {
    timezone: p.allocStatic(4, 4),
    daylight: p.allocStatic(4, 4),
    dstbias: p.allocStatic(4, 4),
    tzname: p.allocStatic(8 + 2 * 64, 4),
    wtzname: p.allocStatic(8 + 2 * 128, 4),
    zone: undefined,
    buffers: new Map(),
    clockStart: performance.now(),
  };
  // The CRT's static defaults until _tzset runs: Pacific time.
  publishZone(p, s, { timezone: 8 * 3600, daylight: true, dstbias: -3600, names: ['PST', 'PDT'] });
  return s;
});

function threadBuffers(p: Process): { tm: number; asctime: number; wasctime: number } {
  const all = p.state(timeState).buffers;
  let b = all.get(p.currentThread.id);
  if (!b) all.set(p.currentThread.id, (b = { tm: p.allocStatic(36, 4), asctime: p.allocStatic(32, 4), wasctime: p.allocStatic(64, 4) }));
  return b;
}

function publishZone(p: Process, s: TimeState, z: Zone): void {
  p.mem.setU32(s.timezone, z.timezone >>> 0);
  p.mem.setU32(s.daylight, z.daylight ? 1 : 0);
  p.mem.setU32(s.dstbias, z.dstbias >>> 0);
  for (let i = 0; i < 2; i++) {
    const text = s.tzname + 8 + 64 * i;
    writeAnsi(p.mem, text, z.names[i]!.slice(0, 63), p.ansiCodePage);
    p.mem.setU32(s.tzname + 4 * i, text);
    const wtext = s.wtzname + 8 + 128 * i;
    writeWide(p.mem, wtext, z.names[i]!.slice(0, 63));
    p.mem.setU32(s.wtzname + 4 * i, wtext);
  }
}

/**
 * Parses Microsoft's TZ syntax: "tzn[+|-]hh[:mm[:ss]][dzn]" (three-letter names; hours west of UTC).
 * Daylight time follows the US rules: from 2007 on (the Visual C++ 2005+ runtimes and ucrt) the second
 * Sunday of March to the first Sunday of November, before that (msvcrt.dll, msvcr70/71) the first Sunday of
 * April to the last Sunday of October, at 2:00.
 */
export function parseTz(tz: string, newRules: boolean): Zone | undefined {
  const m = /^([A-Za-z]{3,})([+-]?)(\d{1,2})(?::(\d{1,2})(?::(\d{1,2}))?)?([A-Za-z]{3,})?$/.exec(tz.trim());
  if (!m) return undefined;
  const sign = m[2] === '-' ? -1 : 1;
  const seconds = sign * (Number(m[3]) * 3600 + Number(m[4] ?? 0) * 60 + Number(m[5] ?? 0));
  const dst = m[6];
  const zone: Zone = { timezone: seconds, daylight: dst !== undefined, dstbias: -3600, names: [m[1]!, dst ?? ''] };
  if (dst) {
    zone.start = newRules ? { month: 2, week: 2, weekday: 0, hour: 2 } : { month: 3, week: 1, weekday: 0, hour: 2 };
    zone.end = newRules ? { month: 10, week: 1, weekday: 0, hour: 2 } : { month: 9, week: 5, weekday: 0, hour: 2 };
  }
  return zone;
}

function fromSystemZone(z: TimeZone): Zone {
  const rule = (r: TimeZone['standardDate']): Rule => ({ month: r.month - 1, week: r.day, weekday: r.dayOfWeek, hour: r.hour });
  const observes = z.standardDate.month !== 0 && z.daylightDate.month !== 0;
  const zone: Zone = {
    timezone: (z.bias + z.standardBias) * 60,
    daylight: observes,
    dstbias: (z.daylightBias - z.standardBias) * 60,
    names: [z.standardName, z.daylightName],
  };
  if (observes) {
    zone.start = rule(z.daylightDate);
    zone.end = rule(z.standardDate);
  }
  return zone;
}

/** _tzset: the zone from TZ, or from the system. */
export function tzset(p: Process, version: number): Zone {
  const s = p.state(timeState);
  const tz = p.env.get('TZ')?.value;
  const zone = (tz ? parseTz(tz, version >= 80) : undefined) ?? fromSystemZone(p.state(timeZoneState).zone);
  s.zone = zone;
  publishZone(p, s, zone);
  return zone;
}

function zoneOf(p: Process, version: number): Zone {
  return p.state(timeState).zone ?? tzset(p, version);
}

/** Seconds since 1970 (local clock) at which a rule fires in a year. */
function ruleTime(r: Rule, year: number): number {
  const first = new Date(Date.UTC(year, r.month, 1)).getUTCDay();
  let day = 1 + ((r.weekday - first + 7) % 7) + 7 * (r.week - 1);
  const days = new Date(Date.UTC(year, r.month + 1, 0)).getUTCDate();
  while (day > days) day -= 7;
  return Date.UTC(year, r.month, day, r.hour) / 1000;
}

/** Is a UTC time (seconds) in daylight time? */
function isDaylight(z: Zone, t: number): boolean {
  if (!z.daylight || !z.start || !z.end) return false;
  const standard = t - z.timezone;
  const year = new Date(standard * 1000).getUTCFullYear();
  const start = ruleTime(z.start, year); // local standard time
  const end = ruleTime(z.end, year) + z.dstbias; // stated in daylight time: as standard time
  return start < end ? standard >= start && standard < end : !(standard >= end && standard < start);
}

/** localtime's fields of a UTC time. */
export function localFields(z: Zone, t: number): Tm {
  const dst = isDaylight(z, t);
  const f = utcFields(t - z.timezone - (dst ? z.dstbias : 0));
  f.isdst = dst ? 1 : 0;
  return f;
}

/**
 * mktime: local fields (normalized on the way) to a time. tm_isdst > 0 says the fields are daylight time,
 * 0 standard time, < 0 "find out".
 */
export function mktimeFields(z: Zone, t: Tm, utc: boolean): { time: number; tm: Tm } {
  const asUtc = fieldsToSeconds(t);
  if (utc) return { time: asUtc, tm: utcFields(asUtc) };
  let time = asUtc + z.timezone;
  if (t.isdst > 0 && z.daylight) time += z.dstbias;
  else if (t.isdst < 0 && isDaylight(z, time + z.dstbias)) time += z.dstbias;
  return { time, tm: localFields(z, time) };
}

// ---- formatting ---------------------------------------------------------------------------------

const two = (n: number) => String(n).padStart(2, '0');

/** asctime's 26 characters: "Wed Jan 02 02:03:55 1980\n". */
export function asctimeText(t: Tm): string {
  return `${DAYS[t.wday]!.slice(0, 3)} ${MONTHS[t.mon]!.slice(0, 3)} ${two(t.mday)} ${two(t.hour)}:${two(t.min)}:${two(t.sec)} ${1900 + t.year}\n`;
}

function validTm(t: Tm): boolean {
  return t.mon >= 0 && t.mon <= 11 && t.mday >= 1 && t.mday <= 31 && t.hour >= 0 && t.hour <= 23 && t.min >= 0 && t.min <= 59 && t.sec >= 0 && t.sec <= 60 && t.wday >= 0 && t.wday <= 6 && t.yday >= 0 && t.yday <= 365 && t.year >= -1900;
}

/** ISO 8601 week-based year and week of a date. */
function isoWeek(t: Tm): { year: number; week: number } {
  const year = 1900 + t.year;
  const wdayMon = (t.wday + 6) % 7; // Monday 0
  const thursdayYday = t.yday - wdayMon + 3;
  const daysIn = (y: number) => (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 366 : 365);
  if (thursdayYday < 0) {
    const prev = daysIn(year - 1);
    return { year: year - 1, week: Math.floor((thursdayYday + prev) / 7) + 1 };
  }
  if (thursdayYday >= daysIn(year)) return { year: year + 1, week: 1 };
  return { year, week: Math.floor(thursdayYday / 7) + 1 };
}

export class StrftimeInvalid extends Error {}

/**
 * strftime in the "C" locale as Microsoft formats it. '#' drops leading zeros (and gives %c, %x their long
 * forms); the C99 conversions (%C %D %e %F %g %G %h %n %r %R %t %T %u %V, %z as an offset) are ucrt's.
 */
export function strftimeText(fmt: string, t: Tm, z: Zone, flavour: CrtFlavour): string {
  let out = '';
  const c99 = flavour === 'ucrt';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i]!;
    if (ch !== '%') {
      out += ch;
      continue;
    }
    let alt = false;
    let c = fmt[++i];
    if (c === '#') {
      alt = true;
      c = fmt[++i];
    }
    if (c99 && (c === 'E' || c === 'O')) c = fmt[++i]; // locale-alternative modifiers: ignored in "C"
    const num = (n: number, width = 2) => (alt ? String(n) : String(n).padStart(width, '0'));
    const hour12 = t.hour % 12 === 0 ? 12 : t.hour % 12;
    const weekOf = (firstDay: number) => Math.floor((t.yday + 7 - ((t.wday - firstDay + 7) % 7)) / 7);
    switch (c) {
      case 'a':
        out += DAYS[t.wday]!.slice(0, 3);
        break;
      case 'A':
        out += DAYS[t.wday]!;
        break;
      case 'b':
        out += MONTHS[t.mon]!.slice(0, 3);
        break;
      case 'B':
        out += MONTHS[t.mon]!;
        break;
      case 'c':
        out += alt ? `${DAYS[t.wday]}, ${MONTHS[t.mon]} ${t.mday}, ${1900 + t.year} ${two(t.hour)}:${two(t.min)}:${two(t.sec)}` : `${two(t.mon + 1)}/${two(t.mday)}/${two((1900 + t.year) % 100)} ${two(t.hour)}:${two(t.min)}:${two(t.sec)}`;
        break;
      case 'd':
        out += num(t.mday);
        break;
      case 'H':
        out += num(t.hour);
        break;
      case 'I':
        out += num(hour12);
        break;
      case 'j':
        out += num(t.yday + 1, 3);
        break;
      case 'm':
        out += num(t.mon + 1);
        break;
      case 'M':
        out += num(t.min);
        break;
      case 'p':
        out += t.hour < 12 ? 'AM' : 'PM';
        break;
      case 'S':
        out += num(t.sec);
        break;
      case 'U':
        out += num(weekOf(0));
        break;
      case 'w':
        out += String(t.wday);
        break;
      case 'W':
        out += num(weekOf(1));
        break;
      case 'x':
        out += alt ? `${DAYS[t.wday]}, ${MONTHS[t.mon]} ${t.mday}, ${1900 + t.year}` : `${two(t.mon + 1)}/${two(t.mday)}/${two((1900 + t.year) % 100)}`;
        break;
      case 'X':
        out += `${two(t.hour)}:${two(t.min)}:${two(t.sec)}`;
        break;
      case 'y':
        out += num((1900 + t.year) % 100);
        break;
      case 'Y':
        out += alt ? String(1900 + t.year) : String(1900 + t.year).padStart(4, '0');
        break;
      case 'Z':
        out += z.names[t.isdst > 0 ? 1 : 0];
        break;
      case 'z':
        if (c99) {
          const west = z.timezone + (t.isdst > 0 ? z.dstbias : 0);
          const east = -west;
          out += `${east < 0 ? '-' : '+'}${two(Math.floor(Math.abs(east) / 3600))}${two(Math.floor((Math.abs(east) % 3600) / 60))}`;
        } else out += z.names[t.isdst > 0 ? 1 : 0];
        break;
      case '%':
        out += '%';
        break;
      default: {
        if (!c99) throw new StrftimeInvalid(`%${c ?? ''}`);
        const iso = isoWeek(t);
        switch (c) {
          case 'C':
            out += num(Math.floor((1900 + t.year) / 100));
            break;
          case 'D':
            out += `${two(t.mon + 1)}/${two(t.mday)}/${two((1900 + t.year) % 100)}`;
            break;
          case 'e':
            out += alt ? String(t.mday) : String(t.mday).padStart(2, ' ');
            break;
          case 'F':
            out += `${String(1900 + t.year).padStart(4, '0')}-${two(t.mon + 1)}-${two(t.mday)}`;
            break;
          case 'g':
            out += num(iso.year % 100);
            break;
          case 'G':
            out += String(iso.year);
            break;
          case 'h':
            out += MONTHS[t.mon]!.slice(0, 3);
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += `${two(hour12)}:${two(t.min)}:${two(t.sec)} ${t.hour < 12 ? 'AM' : 'PM'}`;
            break;
          case 'R':
            out += `${two(t.hour)}:${two(t.min)}`;
            break;
          case 't':
            out += '\t';
            break;
          case 'T':
            out += `${two(t.hour)}:${two(t.min)}:${two(t.sec)}`;
            break;
          case 'u':
            out += String(t.wday === 0 ? 7 : t.wday);
            break;
          case 'V':
            out += num(iso.week);
            break;
          default:
            throw new StrftimeInvalid(`%${c ?? ''}`);
        }
      }
    }
  }
  return out;
}

// ---- the entry points ----------------------------------------------------------------------------

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function storeTime(p: Process, out: number, t: number, bits: 32 | 64): void {
  if (!out) return;
  if (bits === 64) p.mem.setU64(out, BigInt(t));
  else p.mem.setU32(out, t >>> 0);
}

function readTime(p: Process, at: number, bits: 32 | 64): number {
  return bits === 64 ? Number(p.mem.i64(at)) : p.mem.i32(at);
}

/** localtime/gmtime into the static struct tm; NULL (EINVAL) for a time before 1970 or past the type's range. */
function brokenDown(p: Process, pt: number, bits: 32 | 64, version: number, local: boolean, into?: number): number {
  if (!pt) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const t = readTime(p, pt, bits);
  if (t < 0 || t > (bits === 64 ? MAX_TIME64 : MAX_TIME32)) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const fields = local ? localFields(zoneOf(p, version), t) : utcFields(t);
  const at = into ?? threadBuffers(p).tm;
  writeTm(p, at, fields);
  return at;
}

/** The _s forms: errno_t, the tm filled with -1 on a bad time. */
function brokenDownSecure(p: Process, fnName: string, ptm: number, pt: number, bits: 32 | 64, version: number, local: boolean): number {
  if (!ptm || !pt) {
    invalidParameter(p, fnName, 'a pointer is NULL');
    return ERRNO.EINVAL;
  }
  if (!brokenDown(p, pt, bits, version, local, ptm)) {
    writeTm(p, ptm, { sec: -1, min: -1, hour: -1, mday: -1, mon: -1, year: -1, wday: -1, yday: -1, isdst: -1 });
    invalidParameter(p, fnName, 'the time is out of range');
    return ERRNO.EINVAL;
  }
  return 0;
}

function mktime(p: Process, ptm: number, bits: 32 | 64, version: number, utc: boolean): bigint {
  if (!ptm) {
    setErrno(p, ERRNO.EINVAL);
    return -1n;
  }
  const { time, tm } = mktimeFields(zoneOf(p, version), readTm(p, ptm), utc);
  if (time < 0 || time > (bits === 64 ? MAX_TIME64 : MAX_TIME32)) {
    setErrno(p, ERRNO.EINVAL);
    return -1n;
  }
  writeTm(p, ptm, tm);
  return BigInt(time);
}

function strftimeInto(p: Process, fnName: string, buf: number, max: number, fmt: string | null, ptm: number, flavour: CrtFlavour, version: number, wide: boolean): number {
  if (!buf || max === 0 || fmt === null || !ptm) {
    invalidParameter(p, fnName, 'invalid argument');
    return 0;
  }
  const t = readTm(p, ptm);
  const clear = () => (wide ? p.mem.setU16(buf, 0) : p.mem.setU8(buf, 0));
  if (flavour === 'ucrt' && !validTm(t)) {
    clear();
    invalidParameter(p, fnName, 'a struct tm field is out of range');
    return 0;
  }
  let text: string;
  try {
    text = strftimeText(fmt, t, zoneOf(p, version), flavour);
  } catch (e) {
    if (!(e instanceof StrftimeInvalid)) throw e;
    clear();
    invalidParameter(p, fnName, `${e.message} is not a conversion`);
    return 0;
  }
  if (text.length + 1 > max) {
    clear();
    setErrno(p, ERRNO.ERANGE);
    return 0;
  }
  if (wide) writeWide(p.mem, buf, text);
  else writeAnsi(p.mem, buf, text, 1252);
  return text.length;
}

function asctimeInto(p: Process, ptm: number, wide: boolean): number {
  if (!ptm) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const s = threadBuffers(p);
  const text = asctimeText(readTm(p, ptm));
  if (wide) {
    writeWide(p.mem, s.wasctime, text);
    return s.wasctime;
  }
  writeAnsi(p.mem, s.asctime, text, 1252);
  return s.asctime;
}

function ctime(p: Process, pt: number, bits: 32 | 64, version: number, wide: boolean): number {
  const tm = brokenDown(p, pt, bits, version, true);
  return tm ? asctimeInto(p, tm, wide) : 0;
}

/** _ftime: struct _timeb { time_t time; unsigned short millitm; short timezone (minutes west); short dstflag; }. */
function ftime(p: Process, out: number, bits: 32 | 64, version: number): void {
  const now = Date.now();
  const t = Math.floor(now / 1000);
  const z = zoneOf(p, version);
  const dst = isDaylight(z, t);
  let at = out;
  if (bits === 64) {
    p.mem.setU64(at, BigInt(t));
    at += 8;
  } else {
    p.mem.setU32(at, t >>> 0);
    at += 4;
  }
  p.mem.setU16(at, now % 1000);
  p.mem.setU16(at + 2, (z.timezone / 60) & 0xffff);
  p.mem.setU16(at + 4, dst ? 1 : 0);
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function timeApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const st = (p: Process) => p.state(timeState);
  const forBits = (bits: 32 | 64, suffix: string): Record<string, Export> => ({
    [`_ctime${suffix}`]: fn('cdecl', ['ptr'], 'ptr', (p, t) => ctime(p, t, bits, version, false)),
    [`_difftime${suffix}`]: bits === 64 ? fn('cdecl', ['int64', 'int64'], 'double', (_p, a, b) => Number(a - b)) : fn('cdecl', ['int', 'int'], 'double', (_p, a, b) => a - b),
    [`_ftime${suffix}`]: fn('cdecl', ['ptr'], 'void', (p, out) => ftime(p, out, bits, version)),
    [`_gmtime${suffix}`]: fn('cdecl', ['ptr'], 'ptr', (p, t) => brokenDown(p, t, bits, version, false)),
    [`_localtime${suffix}`]: fn('cdecl', ['ptr'], 'ptr', (p, t) => brokenDown(p, t, bits, version, true)),
    [`_mkgmtime${suffix}`]: fn('cdecl', ['ptr'], bits === 64 ? 'int64' : 'int', ((p: Process, tm: number) => (bits === 64 ? mktime(p, tm, 64, version, true) : Number(mktime(p, tm, 32, version, true)))) as never),
    [`_mktime${suffix}`]: fn('cdecl', ['ptr'], bits === 64 ? 'int64' : 'int', ((p: Process, tm: number) => (bits === 64 ? mktime(p, tm, 64, version, false) : Number(mktime(p, tm, 32, version, false)))) as never),
    [`_time${suffix}`]: fn('cdecl', ['ptr'], bits === 64 ? 'int64' : 'int', ((p: Process, out: number) => {
      const t = nowSeconds();
      storeTime(p, out, t, bits);
      return bits === 64 ? BigInt(t) : t;
    }) as never),
    [`_wctime${suffix}`]: fn('cdecl', ['ptr'], 'ptr', (p, t) => ctime(p, t, bits, version, true)),
  });
  const table: Record<string, Export> = {
    ...forBits(64, '64'),
    _strdate: fn('cdecl', ['ptr'], 'ptr', (p, buf) => {
      const t = localFields(zoneOf(p, version), nowSeconds());
      writeAnsi(p.mem, buf, `${two(t.mon + 1)}/${two(t.mday)}/${two((1900 + t.year) % 100)}`, 1252);
      return buf;
    }),
    _strtime: fn('cdecl', ['ptr'], 'ptr', (p, buf) => {
      const t = localFields(zoneOf(p, version), nowSeconds());
      writeAnsi(p.mem, buf, `${two(t.hour)}:${two(t.min)}:${two(t.sec)}`, 1252);
      return buf;
    }),
    _tzset: fn('cdecl', [], 'void', (p) => {
      tzset(p, version);
    }),
    _wasctime: fn('cdecl', ['ptr'], 'ptr', (p, tm) => asctimeInto(p, tm, true)),
    asctime: fn('cdecl', ['ptr'], 'ptr', (p, tm) => asctimeInto(p, tm, false)),
    clock: fn('cdecl', [], 'int', (p) => {
      const start = st(p).clockStart;
      return Math.max(0, Math.floor(performance.now() - start)); // CLOCKS_PER_SEC is 1000
    }),
    strftime: fn('cdecl', ['ptr', 'long', 'str', 'ptr'], 'long', (p, b, n, f, tm) => strftimeInto(p, 'strftime', b, n, f, tm, flavour, version, false), r),
    wcsftime: fn('cdecl', ['ptr', 'long', 'wstr', 'ptr'], 'long', (p, b, n, f, tm) => strftimeInto(p, 'wcsftime', b, n, f, tm, flavour, version, true), r),
  };
  if (flavour === 'msvcrt') {
    // The msvcrt-style runtimes export the classic names with a 32-bit time_t, and the zone as data.
    Object.assign(table, forBits(32, '32'), {
      __p__daylight: fn('cdecl', [], 'ptr', (p) => st(p).daylight),
      __p__timezone: fn('cdecl', [], 'ptr', (p) => st(p).timezone),
      __p__tzname: fn('cdecl', [], 'ptr', (p) => st(p).tzname),
      _daylight: dataAt((p) => st(p).daylight),
      _dstbias: dataAt((p) => st(p).dstbias),
      _ftime: fn('cdecl', ['ptr'], 'void', (p, out) => ftime(p, out, 32, version)),
      _timezone: dataAt((p) => st(p).timezone),
      _tzname: dataAt((p) => st(p).tzname),
      ctime: fn('cdecl', ['ptr'], 'ptr', (p, t) => ctime(p, t, 32, version, false)),
      difftime: fn('cdecl', ['int', 'int'], 'double', (_p, a, b) => a - b),
      gmtime: fn('cdecl', ['ptr'], 'ptr', (p, t) => brokenDown(p, t, 32, version, false)),
      localtime: fn('cdecl', ['ptr'], 'ptr', (p, t) => brokenDown(p, t, 32, version, true)),
      mktime: fn('cdecl', ['ptr'], 'int', (p, tm) => Number(mktime(p, tm, 32, version, false))),
      time: fn('cdecl', ['ptr'], 'int', (p, out) => {
        const t = nowSeconds();
        storeTime(p, out, t, 32);
        return t;
      }),
      _mkgmtime: fn('cdecl', ['ptr'], 'int', (p, tm) => Number(mktime(p, tm, 32, version, true))),
      _wctime: fn('cdecl', ['ptr'], 'ptr', (p, t) => ctime(p, t, 32, version, true)),
    });
  } else {
    Object.assign(table, forBits(32, '32'), {
      __daylight: fn('cdecl', [], 'ptr', (p) => st(p).daylight),
      __dstbias: fn('cdecl', [], 'ptr', (p) => st(p).dstbias),
      __timezone: fn('cdecl', [], 'ptr', (p) => st(p).timezone),
      __tzname: fn('cdecl', [], 'ptr', (p) => st(p).tzname),
      __wtzname: fn('cdecl', [], 'ptr', (p) => st(p).wtzname),
      _timespec64_get: fn('cdecl', ['ptr', 'int'], 'int', (p, ts, base) => {
        if (base !== 1) return 0;
        const ns = BigInt(Date.now()) * 1_000_000n;
        p.mem.setU64(ts, ns / 1_000_000_000n);
        p.mem.setU32(ts + 8, Number(ns % 1_000_000_000n));
        return 1; // TIME_UTC
      }),
      _timespec32_get: fn('cdecl', ['ptr', 'int'], 'int', (p, ts, base) => {
        if (base !== 1) return 0;
        const now = Date.now();
        p.mem.setU32(ts, Math.floor(now / 1000));
        p.mem.setU32(ts + 4, (now % 1000) * 1_000_000);
        return 1;
      }),
    });
  }
  if (hasSecureCrt(version)) {
    const secure = (bits: 32 | 64, suffix: string): Record<string, Export> => ({
      [`_gmtime${suffix}_s`]: fn('cdecl', ['ptr', 'ptr'], 'int', (p, tm, t) => brokenDownSecure(p, `_gmtime${suffix}_s`, tm, t, bits, version, false), r),
      [`_localtime${suffix}_s`]: fn('cdecl', ['ptr', 'ptr'], 'int', (p, tm, t) => brokenDownSecure(p, `_localtime${suffix}_s`, tm, t, bits, version, true), r),
      [`_ftime${suffix}_s`]: fn('cdecl', ['ptr'], 'int', (p, out) => (out ? (ftime(p, out, bits, version), 0) : ERRNO.EINVAL)),
    });
    Object.assign(table, secure(32, '32'), secure(64, '64'), {
      _get_daylight: fn('cdecl', ['ptr'], 'int', (p, out) => getZoneValue(p, out, st(p).daylight), r),
      _get_dstbias: fn('cdecl', ['ptr'], 'int', (p, out) => getZoneValue(p, out, st(p).dstbias), r),
      _get_timezone: fn('cdecl', ['ptr'], 'int', (p, out) => getZoneValue(p, out, st(p).timezone), r),
      _get_tzname: fn('cdecl', ['ptr', 'ptr', 'long', 'int'], 'int', (p, pret, buf, size, index) => {
        if (!pret || (index !== 0 && index !== 1) || (!buf && size > 0)) {
          invalidParameter(p, '_get_tzname', 'invalid argument');
          return ERRNO.EINVAL;
        }
        const name = p.mem.readCBytes(p.mem.u32(st(p).tzname + 4 * index));
        p.mem.setU32(pret, name.length + 1);
        if (!buf) return 0;
        if (size < name.length + 1) return ERRNO.ERANGE;
        p.mem.write(buf, name);
        p.mem.setU8(buf + name.length, 0);
        return 0;
      }, r),
      asctime_s: fn('cdecl', ['ptr', 'long', 'ptr'], 'int', (p, buf, size, tm) => {
        if (!buf || size < 26 || !tm) {
          if (buf && size) p.mem.setU8(buf, 0);
          invalidParameter(p, 'asctime_s', 'invalid argument', buf && size ? ERRNO.EINVAL : ERRNO.EINVAL);
          return ERRNO.EINVAL;
        }
        writeAnsi(p.mem, buf, asctimeText(readTm(p, tm)), 1252);
        return 0;
      }, r),
      _strdate_s: fn('cdecl', ['ptr', 'long'], 'int', (p, buf, size) => {
        if (!buf || size < 9) {
          if (buf && size) p.mem.setU8(buf, 0);
          invalidParameter(p, '_strdate_s', 'the buffer is too small', buf && size ? ERRNO.ERANGE : ERRNO.EINVAL);
          return buf && size ? ERRNO.ERANGE : ERRNO.EINVAL;
        }
        const t = localFields(zoneOf(p, version), nowSeconds());
        writeAnsi(p.mem, buf, `${two(t.mon + 1)}/${two(t.mday)}/${two((1900 + t.year) % 100)}`, 1252);
        return 0;
      }, r),
      _strtime_s: fn('cdecl', ['ptr', 'long'], 'int', (p, buf, size) => {
        if (!buf || size < 9) {
          if (buf && size) p.mem.setU8(buf, 0);
          invalidParameter(p, '_strtime_s', 'the buffer is too small', buf && size ? ERRNO.ERANGE : ERRNO.EINVAL);
          return buf && size ? ERRNO.ERANGE : ERRNO.EINVAL;
        }
        const t = localFields(zoneOf(p, version), nowSeconds());
        writeAnsi(p.mem, buf, `${two(t.hour)}:${two(t.min)}:${two(t.sec)}`, 1252);
        return 0;
      }, r),
      _strftime_l: fn('cdecl', ['ptr', 'long', 'str', 'ptr', 'ptr'], 'long', (p, b, n, f, tm, _l) => strftimeInto(p, '_strftime_l', b, n, f, tm, flavour, version, false), r),
      _wcsftime_l: fn('cdecl', ['ptr', 'long', 'wstr', 'ptr', 'ptr'], 'long', (p, b, n, f, tm, _l) => strftimeInto(p, '_wcsftime_l', b, n, f, tm, flavour, version, true), r),
    });
  }
  return table;
}

function getZoneValue(p: Process, out: number, from: number): number {
  if (!out) {
    invalidParameter(p, '_get_timezone', 'the pointer is NULL');
    return ERRNO.EINVAL;
  }
  p.mem.setU32(out, p.mem.u32(from));
  return 0;
}
