// SYSTEMTIME/FILETIME conversions, time zones (UTC by default, daylight-saving rules of a given
// TIME_ZONE_INFORMATION), process and thread times.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

type Fields = [number, number, number, number, number, number, number, number]; // year, month, dow, day, h, m, s, ms
const readSt = (at: number): Fields => Array.from({ length: 8 }, (_, i) => w.cpu.mem.u16(at + 2 * i)) as Fields;
function st(f: Fields): number {
  const at = w.buf(16);
  f.forEach((v, i) => w.cpu.mem.setU16(at + 2 * i, v));
  return at;
}
function ft(v: bigint): number {
  const at = w.buf(8);
  w.cpu.mem.setU64(at, v);
  return at;
}

describe('FILETIME <-> SYSTEMTIME', () => {
  test.each([
    [0n, [1601, 1, 1, 1, 0, 0, 0, 0]], // a Monday
    [116_444_736_000_000_000n, [1970, 1, 4, 1, 0, 0, 0, 0]], // the Unix epoch, a Thursday
    [125_911_584_000_000_000n, [2000, 1, 6, 1, 0, 0, 0, 0]], // a Saturday
    [133_486_086_967_890_000n + 1234n, [2024, 1, 1, 1, 18, 51, 36, 789]], // sub-millisecond ticks are dropped
    [0x7fff_ffff_ffff_ffffn, [30828, 9, 4, 14, 2, 48, 5, 477]], // the largest FILETIME
  ] as [bigint, Fields][])('FileTimeToSystemTime(%s)', (value, fields) => {
    const out = w.buf(16);
    expect(w.k32('FileTimeToSystemTime', ft(value), out)).toBe(1);
    expect(readSt(out)).toEqual(fields);
  });

  test('FileTimeToSystemTime refuses negative FILETIMEs', () => {
    expect(w.k32('FileTimeToSystemTime', ft(0x8000_0000_0000_0000n), w.buf(16))).toBe(0);
    expect(w.lastError()).toBe(87);
  });

  test('SystemTimeToFileTime: exact values, the day of the week ignored, invalid dates refused', () => {
    const out = w.buf(8);
    expect(w.k32('SystemTimeToFileTime', st([2000, 1, 3, 1, 0, 0, 0, 0]), out)).toBe(1); // wrong weekday: ignored
    expect(w.cpu.mem.u64(out)).toBe(125_911_584_000_000_000n);
    expect(w.k32('SystemTimeToFileTime', st([2000, 2, 0, 29, 23, 59, 59, 999]), out)).toBe(1);
    expect(w.cpu.mem.u64(out)).toBe(125_911_584_000_000_000n + (59n * 86400n + 86399n) * 10_000_000n + 9_990_000n);
    for (const bad of [
      [2001, 2, 0, 29, 0, 0, 0, 0], // not a leap year
      [1900, 2, 0, 29, 0, 0, 0, 0], // nor this
      [1600, 12, 0, 31, 0, 0, 0, 0], // before 1601
      [2000, 13, 0, 1, 0, 0, 0, 0],
      [2000, 4, 0, 31, 0, 0, 0, 0],
      [2000, 1, 0, 1, 24, 0, 0, 0],
      [2000, 1, 0, 1, 0, 60, 0, 0],
      [2000, 1, 0, 1, 0, 0, 60, 0],
      [2000, 1, 0, 1, 0, 0, 0, 1000],
    ] as Fields[]) {
      w.k32('SetLastError', 0);
      expect(w.k32('SystemTimeToFileTime', st(bad), out)).toBe(0);
      expect(w.lastError()).toBe(87);
    }
    expect(w.k32('SystemTimeToFileTime', st([2000, 2, 0, 29, 0, 0, 0, 0]), out)).toBe(1); // 2000 is a leap year
  });

  test('CompareFileTime orders FILETIMEs as unsigned 64-bit values', () => {
    expect(w.k32('CompareFileTime', ft(5n), ft(7n))).toBe(0xffff_ffff);
    expect(w.k32('CompareFileTime', ft(7n), ft(7n))).toBe(0);
    expect(w.k32('CompareFileTime', ft(1n << 40n), ft(7n))).toBe(1);
  });

  test('MS-DOS dates and times', () => {
    const d = w.buf(2);
    const t = w.buf(2);
    const f = w.buf(8);
    w.k32('SystemTimeToFileTime', st([2020, 6, 0, 15, 13, 45, 31, 0]), f);
    expect(w.k32('FileTimeToDosDateTime', f, d, t)).toBe(1);
    expect([w.cpu.mem.u16(d), w.cpu.mem.u16(t)]).toEqual([(40 << 9) | (6 << 5) | 15, (13 << 11) | (45 << 5) | 15]); // 2-second resolution
    const back = w.buf(8);
    expect(w.k32('DosDateTimeToFileTime', w.cpu.mem.u16(d), w.cpu.mem.u16(t), back)).toBe(1);
    const out = w.buf(16);
    w.k32('FileTimeToSystemTime', back, out);
    expect(readSt(out)).toEqual([2020, 6, 1, 15, 13, 45, 30, 0]);
    w.k32('SystemTimeToFileTime', st([1979, 12, 0, 31, 0, 0, 0, 0]), f);
    expect(w.k32('FileTimeToDosDateTime', f, d, t)).toBe(0); // before 1980
  });

  test('the clocks agree: GetSystemTime, GetLocalTime (UTC), GetSystemTimeAsFileTime, the precise one', () => {
    const before = BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n;
    const a = w.buf(8);
    const b = w.buf(8);
    w.k32('GetSystemTimeAsFileTime', a);
    w.k32('GetSystemTimePreciseAsFileTime', b);
    const sys = w.buf(16);
    const loc = w.buf(16);
    w.k32('GetSystemTime', sys);
    w.k32('GetLocalTime', loc);
    const conv = w.buf(8);
    w.k32('SystemTimeToFileTime', sys, conv);
    const after = BigInt(Date.now() + 1) * 10_000n + 116_444_736_000_000_000n;
    for (const v of [w.cpu.mem.u64(a), w.cpu.mem.u64(b), w.cpu.mem.u64(conv)]) {
      expect(v >= before - 10_000n && v <= after).toBe(true);
    }
    const now = new Date();
    expect(readSt(sys).slice(0, 4)).toEqual([now.getUTCFullYear(), now.getUTCMonth() + 1, now.getUTCDay(), now.getUTCDate()]);
    expect(readSt(loc).slice(0, 5)).toEqual(readSt(sys).slice(0, 5));
  });
});

describe('time zones', () => {
  test('GetTimeZoneInformation: UTC, no daylight saving (TIME_ZONE_ID_UNKNOWN)', () => {
    const tzi = w.buf(172);
    w.cpu.mem.fill(tzi, 0xcc, 172);
    expect(w.k32('GetTimeZoneInformation', tzi)).toBe(0);
    expect(w.i32(tzi)).toBe(0); // Bias
    expect(w.readWStr(tzi + 4)).toBe('Coordinated Universal Time');
    expect(w.cpu.mem.u16(tzi + 68 + 2)).toBe(0); // StandardDate.wMonth: no transition
    expect(w.i32(tzi + 84)).toBe(0);
    expect(w.readWStr(tzi + 88)).toBe('Coordinated Universal Time');
    expect(w.cpu.mem.u16(tzi + 152 + 2)).toBe(0);
    expect(w.i32(tzi + 168)).toBe(0);
    const dtzi = w.buf(432);
    expect(w.k32('GetDynamicTimeZoneInformation', dtzi)).toBe(0);
    expect(w.readWStr(dtzi + 172)).toBe('UTC'); // TimeZoneKeyName
    expect(w.cpu.mem.u8(dtzi + 428)).toBe(0); // DynamicDaylightTimeDisabled
  });

  test('local FILETIMEs equal UTC ones', () => {
    const out = w.buf(8);
    expect(w.k32('FileTimeToLocalFileTime', ft(123_456_789n), out)).toBe(1);
    expect(w.cpu.mem.u64(out)).toBe(123_456_789n);
    expect(w.k32('LocalFileTimeToFileTime', ft(987_654_321n), out)).toBe(1);
    expect(w.cpu.mem.u64(out)).toBe(987_654_321n);
  });

  /** A TIME_ZONE_INFORMATION with transition rules "the nth weekday of a month at hh:00". */
  function zone(bias: number, std: [number, number, number, number], dst: [number, number, number, number]): number {
    const tzi = w.buf(172);
    w.cpu.mem.setU32(tzi, bias);
    const rule = (at: number, [month, dow, nth, hour]: [number, number, number, number]) => [0, month, dow, nth, hour, 0, 0, 0].forEach((v, i) => w.cpu.mem.setU16(at + 2 * i, v));
    rule(tzi + 68, std);
    rule(tzi + 152, dst);
    w.cpu.mem.setU32(tzi + 168, -60); // DaylightBias
    return tzi;
  }
  // US Pacific: UTC-8, daylight time from the second Sunday of March 2:00 to the first Sunday of November 2:00.
  const pacific = () => zone(480, [11, 0, 1, 2], [3, 0, 2, 2]);
  // Sydney: UTC+10, daylight time from the first Sunday of October 2:00 to the first Sunday of April 3:00.
  const sydney = () => zone(-600, [4, 0, 1, 3], [10, 0, 1, 2]);

  test.each([
    ['pacific', [2024, 1, 1, 15, 12, 0, 0, 0], [2024, 1, 1, 15, 4, 0, 0, 0]], // PST
    ['pacific', [2024, 7, 1, 1, 12, 0, 0, 0], [2024, 7, 1, 1, 5, 0, 0, 0]], // PDT
    ['pacific', [2024, 3, 0, 10, 9, 59, 0, 0], [2024, 3, 0, 10, 1, 59, 0, 0]], // just before the switch
    ['pacific', [2024, 3, 0, 10, 10, 0, 0, 0], [2024, 3, 0, 10, 3, 0, 0, 0]], // 2:00 PST becomes 3:00 PDT
    ['pacific', [2024, 11, 0, 3, 8, 59, 0, 0], [2024, 11, 0, 3, 1, 59, 0, 0]], // 1:59 PDT
    ['pacific', [2024, 11, 0, 3, 9, 0, 0, 0], [2024, 11, 0, 3, 1, 0, 0, 0]], // back to 1:00 PST
    ['sydney', [2024, 1, 1, 15, 0, 0, 0, 0], [2024, 1, 1, 15, 11, 0, 0, 0]], // AEDT in January
    ['sydney', [2024, 7, 1, 15, 0, 0, 0, 0], [2024, 7, 1, 15, 10, 0, 0, 0]], // AEST in July
  ] as [string, Fields, Fields][])('SystemTimeToTzSpecificLocalTime (%s) %j -> %j', (which, utc, local) => {
    const tzi = which === 'pacific' ? pacific() : sydney();
    const out = w.buf(16);
    expect(w.k32('SystemTimeToTzSpecificLocalTime', tzi, st(utc), out)).toBe(1);
    expect(readSt(out)).toEqual(local);
  });

  test('TzSpecificLocalTimeToSystemTime goes back', () => {
    const out = w.buf(16);
    expect(w.k32('TzSpecificLocalTimeToSystemTime', pacific(), st([2024, 7, 1, 1, 5, 0, 0, 0]), out)).toBe(1);
    expect(readSt(out)).toEqual([2024, 7, 1, 1, 12, 0, 0, 0]);
    expect(w.k32('TzSpecificLocalTimeToSystemTime', pacific(), st([2024, 12, 0, 1, 4, 0, 0, 0]), out)).toBe(1);
    expect(readSt(out)).toEqual([2024, 12, 0, 1, 12, 0, 0, 0]);
    expect(w.k32('TzSpecificLocalTimeToSystemTime', sydney(), st([2024, 1, 0, 15, 11, 0, 0, 0]), out)).toBe(1);
    expect(readSt(out)).toEqual([2024, 1, 1, 15, 0, 0, 0, 0]);
    // NULL: the current zone (UTC).
    expect(w.k32('TzSpecificLocalTimeToSystemTime', 0, st([2024, 12, 0, 1, 4, 0, 0, 0]), out)).toBe(1);
    expect(readSt(out)).toEqual([2024, 12, 0, 1, 4, 0, 0, 0]);
  });

  test('SetTimeZoneInformation needs a privilege the process lacks', () => {
    expect(w.k32('SetTimeZoneInformation', w.buf(172))).toBe(0);
    expect(w.lastError()).toBe(1314);
  });
});

describe('process and thread times', () => {
  test('GetProcessTimes: created when the process was, not exited, some CPU time used', () => {
    const [c, e, k, u] = [w.buf(8), w.buf(8), w.buf(8), w.buf(8)];
    const now = BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n;
    expect(w.k32('GetProcessTimes', 0xffff_ffff, c, e, k, u)).toBe(1);
    const created = w.cpu.mem.u64(c);
    expect(created <= now && created > now - 600_000_000n).toBe(true); // within the last minute
    expect(w.cpu.mem.u64(e)).toBe(0n);
    expect(w.cpu.mem.u64(k) + w.cpu.mem.u64(u) > 0n).toBe(true);
    expect(w.k32('GetThreadTimes', 0xffff_fffe, c, e, k, u)).toBe(1);
    expect(w.k32('GetProcessTimes', 0x1234, c, e, k, u)).toBe(0);
    expect(w.lastError()).toBe(6);
    expect(w.k32('GetThreadTimes', 0xffff_ffff, c, e, k, u)).toBe(0); // a process handle is no thread
    expect(w.lastError()).toBe(6);
  });

  test('GetSystemTimes: kernel time includes idle time', () => {
    const [i, k, u] = [w.buf(8), w.buf(8), w.buf(8)];
    expect(w.k32('GetSystemTimes', i, k, u)).toBe(1);
    expect(w.cpu.mem.u64(k) >= w.cpu.mem.u64(i)).toBe(true);
  });

  test("working-set limits: Windows' defaults, then what was set", () => {
    const [lo, hi] = [w.buf(4), w.buf(4)];
    expect(w.k32('GetProcessWorkingSetSize', 0xffff_ffff, lo, hi)).toBe(1);
    expect([w.u32(lo), w.u32(hi)]).toEqual([204_800, 1_413_120]);
    expect(w.k32('SetProcessWorkingSetSize', 0xffff_ffff, 0x10_0000, 0x20_0000)).toBe(1);
    w.k32('GetProcessWorkingSetSize', 0xffff_ffff, lo, hi);
    expect([w.u32(lo), w.u32(hi)]).toEqual([0x10_0000, 0x20_0000]);
    expect(w.k32('SetProcessWorkingSetSize', 0xffff_ffff, 0x20_0000, 0x10_0000)).toBe(0);
    expect(w.lastError()).toBe(87);
  });
});
