// Calendar time: SYSTEMTIME and FILETIME conversions, the time zone (UTC unless the timeZone option sets one,
// with Windows' daylight-saving rules for any TIME_ZONE_INFORMATION a program passes), and the process,
// thread and system CPU times.
import os from 'node:os';
import { fn } from '../spec.js';
import { CURRENT_THREAD } from '../handles.js';
import { stateKey, type Process } from '../process.js';
import { ERROR } from '../win32.js';
import { EPOCH_DIFF_100NS } from '../vfs/fs.js';
import { isOwnProcess } from './process-info.js';
import { fileTimeFromMs, fileTimeNow, TICKS_PER_MS } from './time.js';

const TICKS_PER_MINUTE = 600_000_000n;
const MAX_FILETIME = 0x7fff_ffff_ffff_ffffn;
const ERROR_PRIVILEGE_NOT_HELD = 1314;

// ---- SYSTEMTIME <-> FILETIME ---------------------------------------------------------------------

export interface SystemTime {
  year: number;
  month: number;
  dayOfWeek: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  milliseconds: number;
}

export function readSystemTime(p: Process, at: number): SystemTime {
  const u = (i: number) => p.mem.u16(at + 2 * i);
  return { year: u(0), month: u(1), dayOfWeek: u(2), day: u(3), hour: u(4), minute: u(5), second: u(6), milliseconds: u(7) };
}

export function writeSystemTime(p: Process, at: number, t: SystemTime): void {
  [t.year, t.month, t.dayOfWeek, t.day, t.hour, t.minute, t.second, t.milliseconds].forEach((v, i) => p.mem.setU16(at + 2 * i, v));
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export const daysInMonth = (y: number, m: number) => (m === 2 && isLeap(y) ? 29 : DAYS_IN_MONTH[m - 1]!);

/** Days from 1601-01-01 to the given date (proleptic Gregorian). */
function daysSince1601(y: number, m: number, d: number): number {
  const yy = y - 1601;
  let days = yy * 365 + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400);
  for (let k = 1; k < m; k++) days += daysInMonth(y, k);
  return days + d - 1;
}

/** A FILETIME as calendar fields, or undefined when it is beyond what SYSTEMTIME can hold. */
export function fileTimeToFields(ft: bigint): SystemTime | undefined {
  if (ft < 0n || ft > MAX_FILETIME) return undefined;
  const ms = ft / TICKS_PER_MS;
  const d = new Date(0);
  d.setUTCFullYear(1601, 0, 1);
  d.setUTCHours(0, 0, 0, 0);
  const base = d.getTime();
  const when = new Date(base + Number(ms));
  return {
    year: when.getUTCFullYear(),
    month: when.getUTCMonth() + 1,
    dayOfWeek: when.getUTCDay(),
    day: when.getUTCDate(),
    hour: when.getUTCHours(),
    minute: when.getUTCMinutes(),
    second: when.getUTCSeconds(),
    milliseconds: when.getUTCMilliseconds(),
  };
}

/** Calendar fields as a FILETIME; undefined for an invalid date (the day of the week is not checked). */
export function fieldsToFileTime(t: SystemTime): bigint | undefined {
  if (t.year < 1601 || t.year > 30827 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > daysInMonth(t.year, t.month)) return undefined;
  if (t.hour > 23 || t.minute > 59 || t.second > 59 || t.milliseconds > 999) return undefined;
  const ms = ((daysSince1601(t.year, t.month, t.day) * 24 + t.hour) * 60 + t.minute) * 60_000 + t.second * 1000 + t.milliseconds;
  return BigInt(ms) * TICKS_PER_MS;
}

export function GetSystemTime(p: Process, out: number): void {
  writeSystemTime(p, out, fileTimeToFields(fileTimeNow())!);
}

export function GetLocalTime(p: Process, out: number): void {
  writeSystemTime(p, out, fileTimeToFields(toLocal(p, fileTimeNow()))!);
}

/** The wall clock with the host's sub-millisecond resolution. */
export function GetSystemTimePreciseAsFileTime(p: Process, out: number): void {
  const micros = BigInt(Math.floor((performance.timeOrigin + performance.now()) * 1000));
  p.mem.setU64(out, micros * 10n + EPOCH_DIFF_100NS);
}

export function FileTimeToSystemTime(p: Process, ft: number, st: number): boolean {
  const t = fileTimeToFields(p.mem.u64(ft));
  if (!t) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  writeSystemTime(p, st, t);
  return true;
}

export function SystemTimeToFileTime(p: Process, st: number, ft: number): boolean {
  const v = fieldsToFileTime(readSystemTime(p, st));
  if (v === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.setU64(ft, v);
  return true;
}

export function CompareFileTime(p: Process, a: number, b: number): number {
  const x = p.mem.u64(a);
  const y = p.mem.u64(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** MS-DOS date (bits 9-15 years since 1980, 5-8 month, 0-4 day) and time (11-15 hours, 5-10 minutes, 0-4 seconds / 2). */
export function FileTimeToDosDateTime(p: Process, ft: number, date: number, time: number): boolean {
  const t = fileTimeToFields(p.mem.u64(ft));
  if (!t || t.year < 1980 || t.year > 2107) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.setU16(date, ((t.year - 1980) << 9) | (t.month << 5) | t.day);
  p.mem.setU16(time, (t.hour << 11) | (t.minute << 5) | (t.second >> 1));
  return true;
}

export function DosDateTimeToFileTime(p: Process, date: number, time: number, ft: number): boolean {
  const v = fieldsToFileTime({
    year: 1980 + ((date >>> 9) & 0x7f),
    month: (date >>> 5) & 0xf,
    dayOfWeek: 0,
    day: date & 0x1f,
    hour: (time >>> 11) & 0x1f,
    minute: (time >>> 5) & 0x3f,
    second: (time & 0x1f) * 2,
    milliseconds: 0,
  });
  if (v === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.setU64(ft, v);
  return true;
}

/** The clock advances by 15.625 ms (the default timer interrupt); no adjustment is applied. */
export function GetSystemTimeAdjustment(p: Process, adjustment: number, increment: number, disabled: number): boolean {
  p.mem.setU32(adjustment, 156_250);
  p.mem.setU32(increment, 156_250);
  p.mem.setU32(disabled, 1);
  return true;
}

// ---- time zones ------------------------------------------------------------------------------

/** TIME_ZONE_INFORMATION, with the transition rules as SYSTEMTIMEs (wYear 0: "the wDay'th wDayOfWeek of wMonth"). */
export interface TimeZone {
  bias: number; // minutes: UTC = local + bias
  standardName: string;
  standardDate: SystemTime;
  standardBias: number;
  daylightName: string;
  daylightDate: SystemTime;
  daylightBias: number;
  keyName: string;
}

const NO_RULE: SystemTime = { year: 0, month: 0, dayOfWeek: 0, day: 0, hour: 0, minute: 0, second: 0, milliseconds: 0 };

export const UTC_ZONE: TimeZone = {
  bias: 0,
  standardName: 'Coordinated Universal Time',
  standardDate: NO_RULE,
  standardBias: 0,
  daylightName: 'Coordinated Universal Time',
  daylightDate: NO_RULE,
  daylightBias: 0,
  keyName: 'UTC',
};

/** The zone GetTimeZoneInformation reports: UTC, unless something configured another. */
export const timeZoneState = stateKey<{ zone: TimeZone }>('kernel32.timeZone', (p) => {
  const o = p.timeZoneOption;
  if (!o) return { zone: UTC_ZONE };
  const name = o.standardName ?? `UTC${o.bias > 0 ? '-' : '+'}${String(Math.floor(Math.abs(o.bias) / 60)).padStart(2, '0')}:${String(Math.abs(o.bias) % 60).padStart(2, '0')}`;
  return { zone: { ...UTC_ZONE, bias: Math.trunc(o.bias), standardName: name, daylightName: name, keyName: name } };
});

function readWideField(p: Process, at: number, chars: number): string {
  let s = '';
  for (let i = 0; i < chars; i++) {
    const c = p.mem.u16(at + 2 * i);
    if (c === 0) break;
    s += String.fromCharCode(c);
  }
  return s;
}

function writeWideField(p: Process, at: number, chars: number, s: string): void {
  p.mem.fill(at, 0, 2 * chars);
  for (let i = 0; i < Math.min(s.length, chars - 1); i++) p.mem.setU16(at + 2 * i, s.charCodeAt(i));
}

export function readTimeZone(p: Process, at: number, dynamic = false): TimeZone {
  return {
    bias: p.mem.i32(at),
    standardName: readWideField(p, at + 4, 32),
    standardDate: readSystemTime(p, at + 68),
    standardBias: p.mem.i32(at + 84),
    daylightName: readWideField(p, at + 88, 32),
    daylightDate: readSystemTime(p, at + 152),
    daylightBias: p.mem.i32(at + 168),
    keyName: dynamic ? readWideField(p, at + 172, 128) : '',
  };
}

function writeTimeZone(p: Process, at: number, z: TimeZone, dynamic: boolean): void {
  p.mem.setU32(at, z.bias);
  writeWideField(p, at + 4, 32, z.standardName);
  writeSystemTime(p, at + 68, z.standardDate);
  p.mem.setU32(at + 84, z.standardBias);
  writeWideField(p, at + 88, 32, z.daylightName);
  writeSystemTime(p, at + 152, z.daylightDate);
  p.mem.setU32(at + 168, z.daylightBias);
  if (dynamic) {
    writeWideField(p, at + 172, 128, z.keyName);
    p.mem.setU32(at + 428, 0); // DynamicDaylightTimeDisabled = FALSE (and padding)
  }
}

const TIME_ZONE_ID = { INVALID: 0xffff_ffff, UNKNOWN: 0, STANDARD: 1, DAYLIGHT: 2 } as const;

const observesDst = (z: TimeZone) => z.standardDate.month !== 0 && z.daylightDate.month !== 0;

/** When a transition rule fires in `year`, as 100 ns ticks of the local clock it is stated in. */
function transition(rule: SystemTime, year: number): bigint | undefined {
  if (rule.year !== 0 && rule.year !== year) return undefined;
  let day = rule.day;
  if (rule.year === 0) {
    // The wDay'th (5 = last) wDayOfWeek of the month.
    const first = (daysSince1601(year, rule.month, 1) + 1) % 7; // 1601-01-01 was a Monday
    day = 1 + ((rule.dayOfWeek - first + 7) % 7) + 7 * (rule.day - 1);
    while (day > daysInMonth(year, rule.month)) day -= 7;
  }
  return fieldsToFileTime({ ...rule, year, day, dayOfWeek: 0 });
}

/** Is a UTC time (ticks) inside the zone's daylight-saving period? */
function isDaylightUtc(z: TimeZone, utc: bigint): boolean {
  if (!observesDst(z)) return false;
  const year = fileTimeToFields(utc - BigInt(z.bias) * TICKS_PER_MINUTE)?.year ?? 1601;
  const start = transition(z.daylightDate, year); // stated in standard time
  const end = transition(z.standardDate, year); // stated in daylight time
  if (start === undefined || end === undefined) return false;
  const startUtc = start + BigInt(z.bias + z.standardBias) * TICKS_PER_MINUTE;
  const endUtc = end + BigInt(z.bias + z.daylightBias) * TICKS_PER_MINUTE;
  return startUtc < endUtc ? utc >= startUtc && utc < endUtc : !(utc >= endUtc && utc < startUtc);
}

/** Is a local time (ticks) inside the daylight-saving period? (An ambiguous hour counts as standard time.) */
function isDaylightLocal(z: TimeZone, local: bigint): boolean {
  if (!observesDst(z)) return false;
  const year = fileTimeToFields(local)?.year ?? 1601;
  const start = transition(z.daylightDate, year);
  const end = transition(z.standardDate, year);
  if (start === undefined || end === undefined) return false;
  const endStd = end + BigInt(z.daylightBias - z.standardBias) * TICKS_PER_MINUTE; // the end in standard time
  return start < end ? local >= start && local < endStd : !(local >= endStd && local < start);
}

export function utcToLocal(z: TimeZone, utc: bigint): bigint {
  const bias = z.bias + (isDaylightUtc(z, utc) ? z.daylightBias : z.standardBias);
  return utc - BigInt(bias) * TICKS_PER_MINUTE;
}

export function localToUtc(z: TimeZone, local: bigint): bigint {
  const bias = z.bias + (isDaylightLocal(z, local) ? z.daylightBias : z.standardBias);
  return local + BigInt(bias) * TICKS_PER_MINUTE;
}

const toLocal = (p: Process, utc: bigint) => utcToLocal(p.state(timeZoneState).zone, utc);

export function GetTimeZoneInformation(p: Process, out: number): number {
  const z = p.state(timeZoneState).zone;
  writeTimeZone(p, out, z, false);
  return !observesDst(z) ? TIME_ZONE_ID.UNKNOWN : isDaylightUtc(z, fileTimeNow()) ? TIME_ZONE_ID.DAYLIGHT : TIME_ZONE_ID.STANDARD;
}

export function GetDynamicTimeZoneInformation(p: Process, out: number): number {
  const id = GetTimeZoneInformation(p, out);
  writeTimeZone(p, out, p.state(timeZoneState).zone, true);
  return id;
}

/** The zone's rules do not change from year to year here. */
export function GetTimeZoneInformationForYear(p: Process, _year: number, dtzi: number, out: number): boolean {
  const z = dtzi ? readTimeZone(p, dtzi, true) : p.state(timeZoneState).zone;
  writeTimeZone(p, out, z, false);
  return true;
}

/** Changing the system's time zone needs SE_TIME_ZONE_NAME, which the process does not hold. */
export function SetTimeZoneInformation(p: Process, _tzi: number): boolean {
  p.setLastError(ERROR_PRIVILEGE_NOT_HELD);
  return false;
}

export function SystemTimeToTzSpecificLocalTime(p: Process, tzi: number, utcSt: number, localSt: number, dynamic = false): boolean {
  const z = tzi ? readTimeZone(p, tzi, dynamic) : p.state(timeZoneState).zone;
  const utc = fieldsToFileTime(readSystemTime(p, utcSt));
  const local = utc === undefined ? undefined : fileTimeToFields(utcToLocal(z, utc));
  if (!local) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  writeSystemTime(p, localSt, local);
  return true;
}

export function TzSpecificLocalTimeToSystemTime(p: Process, tzi: number, localSt: number, utcSt: number, dynamic = false): boolean {
  const z = tzi ? readTimeZone(p, tzi, dynamic) : p.state(timeZoneState).zone;
  const local = fieldsToFileTime(readSystemTime(p, localSt));
  const utc = local === undefined ? undefined : fileTimeToFields(localToUtc(z, local));
  if (!utc) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  writeSystemTime(p, utcSt, utc);
  return true;
}

export function FileTimeToLocalFileTime(p: Process, ft: number, out: number): boolean {
  p.mem.setU64(out, BigInt.asUintN(64, toLocal(p, p.mem.u64(ft))));
  return true;
}

export function LocalFileTimeToFileTime(p: Process, ft: number, out: number): boolean {
  p.mem.setU64(out, BigInt.asUintN(64, localToUtc(p.state(timeZoneState).zone, p.mem.u64(ft))));
  return true;
}

// ---- process, thread and system times ------------------------------------------------------

/** Host CPU time of this (host) process, which runs the guest, in 100 ns ticks. */
export function hostCpuTimes(): { kernel: bigint; user: bigint } {
  const u = process.cpuUsage();
  return { kernel: BigInt(u.system) * 10n, user: BigInt(u.user) * 10n };
}

/**
 * The machine's times in 100 ns ticks: those of its first host CPU (the guest sees one processor). Kernel
 * time includes idle time, as on Windows.
 */
export function processorTimes(): { idle: bigint; kernel: bigint; user: bigint; interrupt: bigint } {
  const t = os.cpus()[0]?.times ?? { idle: 0, sys: 0, user: 0, irq: 0, nice: 0 };
  const ticks = (ms: number) => BigInt(Math.round(ms)) * TICKS_PER_MS;
  return { idle: ticks(t.idle), kernel: ticks(t.sys + t.irq + t.idle), user: ticks(t.user + t.nice), interrupt: ticks(t.irq) };
}

export function GetProcessTimes(p: Process, h: number, creation: number, exit: number, kernel: number, user: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const t = hostCpuTimes();
  p.mem.setU64(creation, fileTimeFromMs(p.createdAt));
  p.mem.setU64(exit, 0n); // still running
  p.mem.setU64(kernel, t.kernel);
  p.mem.setU64(user, t.user);
  return true;
}

/** The current thread gets the host's CPU times (it is the one running); other threads report none. */
export function GetThreadTimes(p: Process, h: number, creation: number, exit: number, kernel: number, user: number): boolean {
  const isCurrent = h === CURRENT_THREAD;
  if (!isCurrent && p.handles.get(h, 'thread') === undefined) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const t = isCurrent ? hostCpuTimes() : { kernel: 0n, user: 0n };
  p.mem.setU64(creation, fileTimeFromMs(p.createdAt));
  p.mem.setU64(exit, 0n);
  p.mem.setU64(kernel, t.kernel);
  p.mem.setU64(user, t.user);
  return true;
}

/** The machine's times (see processorTimes). */
export function GetSystemTimes(p: Process, idle: number, kernel: number, user: number): boolean {
  const t = processorTimes();
  if (idle) p.mem.setU64(idle, t.idle);
  if (kernel) p.mem.setU64(kernel, t.kernel);
  if (user) p.mem.setU64(user, t.user);
  return true;
}

/** Windows' default working-set limits: 50 and 345 pages. */
const WORKING_SET = { min: 50 * 0x1000, max: 345 * 0x1000 };
const workingSet = stateKey('kernel32.workingSet', () => ({ ...WORKING_SET }));

export function GetProcessWorkingSetSize(p: Process, h: number, min: number, max: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const ws = p.state(workingSet);
  p.mem.setU32(min, ws.min);
  p.mem.setU32(max, ws.max);
  return true;
}

/** (SIZE_T)-1 for both trims the working set (nothing to do here); otherwise the limits are recorded. */
export function SetProcessWorkingSetSize(p: Process, h: number, min: number, max: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (min === 0xffff_ffff && max === 0xffff_ffff) return true;
  if (min > max || (min === 0) !== (max === 0)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const ws = p.state(workingSet);
  if (min === 0) Object.assign(ws, WORKING_SET);
  else Object.assign(ws, { min, max });
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const datetimeApi = {
  CompareFileTime: fn('stdcall', ['ptr', 'ptr'], 'int', CompareFileTime),
  DosDateTimeToFileTime: fn('stdcall', ['long', 'long', 'ptr'], 'bool', DosDateTimeToFileTime),
  FileTimeToDosDateTime: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', FileTimeToDosDateTime),
  FileTimeToLocalFileTime: fn('stdcall', ['ptr', 'ptr'], 'bool', FileTimeToLocalFileTime),
  FileTimeToSystemTime: fn('stdcall', ['ptr', 'ptr'], 'bool', FileTimeToSystemTime),
  GetDynamicTimeZoneInformation: fn('stdcall', ['ptr'], 'long', GetDynamicTimeZoneInformation),
  GetLocalTime: fn('stdcall', ['ptr'], 'void', GetLocalTime),
  GetProcessTimes: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', GetProcessTimes),
  GetProcessWorkingSetSize: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', GetProcessWorkingSetSize),
  GetSystemTime: fn('stdcall', ['ptr'], 'void', GetSystemTime),
  GetSystemTimeAdjustment: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', GetSystemTimeAdjustment),
  GetSystemTimePreciseAsFileTime: fn('stdcall', ['ptr'], 'void', GetSystemTimePreciseAsFileTime),
  GetSystemTimes: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', GetSystemTimes),
  GetThreadTimes: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', GetThreadTimes),
  GetTimeZoneInformation: fn('stdcall', ['ptr'], 'long', GetTimeZoneInformation),
  GetTimeZoneInformationForYear: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', GetTimeZoneInformationForYear),
  LocalFileTimeToFileTime: fn('stdcall', ['ptr', 'ptr'], 'bool', LocalFileTimeToFileTime),
  SetProcessWorkingSetSize: fn('stdcall', ['long', 'long', 'long'], 'bool', SetProcessWorkingSetSize),
  SetTimeZoneInformation: fn('stdcall', ['ptr'], 'bool', SetTimeZoneInformation),
  SystemTimeToFileTime: fn('stdcall', ['ptr', 'ptr'], 'bool', SystemTimeToFileTime),
  SystemTimeToTzSpecificLocalTime: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', (p, z, u, l) => SystemTimeToTzSpecificLocalTime(p, z, u, l)),
  SystemTimeToTzSpecificLocalTimeEx: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', (p, z, u, l) => SystemTimeToTzSpecificLocalTime(p, z, u, l, true)),
  TzSpecificLocalTimeToSystemTime: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', (p, z, l, u) => TzSpecificLocalTimeToSystemTime(p, z, l, u)),
  TzSpecificLocalTimeToSystemTimeEx: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'bool', (p, z, l, u) => TzSpecificLocalTimeToSystemTime(p, z, l, u, true)),
};
