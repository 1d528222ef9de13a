// <time.h> as guest code calls it: broken-down times of known instants (worked out from the calendar),
// mktime's normalization, the CRT's Pacific-time defaults before _tzset, TZ strings with the daylight-saving
// rules of each runtime generation, asctime's fixed format, and strftime with Microsoft's conversions.
import { beforeEach, describe, expect, test } from 'vitest';
import { CrtInvalidParameterError } from '../../../thunks/crt/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

const tm = (at: number) => Array.from({ length: 9 }, (_, i) => w.i32(at + 4 * i));
/** [sec, min, hour, mday, mon, year-1900, wday, yday, isdst] */
type Fields = [number, number, number, number, number, number, number, number, number];
function tmBuf(f: Fields): number {
  const at = w.buf(36);
  f.forEach((v, i) => w.cpu.mem.setU32(at + 4 * i, v >>> 0));
  return at;
}
function time64(t: number): number {
  const at = w.buf(8);
  w.cpu.mem.setU64(at, BigInt(t));
  return at;
}
function time32(t: number): number {
  const at = w.buf(4);
  w.cpu.mem.setU32(at, t >>> 0);
  return at;
}

const LEAP_DAY_2000 = 951_782_400; // 2000-02-29 00:00:00 UTC, a Tuesday, day 59 of the year

describe('calendar time', () => {
  test('time / _time64 return now and store it', () => {
    const out = w.buf(8);
    const before = Math.floor(Date.now() / 1000);
    const t = w.crt('time', out);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(w.u32(out)).toBe(t);
    w.call('ucrtbase.dll', '_time64', [0]);
    expect(Number(w.edxEax)).toBeGreaterThanOrEqual(before);
  });

  test('gmtime: the epoch and a leap day', () => {
    expect(tm(w.crt('gmtime', time32(0)))).toEqual([0, 0, 0, 1, 0, 70, 4, 0, 0]);
    expect(tm(w.crt('_gmtime64', time64(LEAP_DAY_2000 + 12 * 3600 + 34 * 60 + 56)))).toEqual([56, 34, 12, 29, 1, 100, 2, 59, 0]);
    expect(tm(w.call('ucrtbase.dll', '_gmtime64', [time64(32_535_215_999)]))).toEqual([59, 59, 23, 31, 11, 1100, 3, 364, 0]);
  });

  test('times before 1970 or past the type\'s range: NULL and EINVAL', () => {
    expect(w.crt('gmtime', time32(-1))).toBe(0);
    expect(w.u32(w.crt('_errno'))).toBe(22);
    expect(w.crt('_localtime64', time64(32_535_216_000))).toBe(0);
  });

  test('mktime normalizes the fields and fills in the day of week and year', () => {
    w.crt('_tzset'); // the system zone: UTC
    const t = tmBuf([0, 0, 12, 32, 0, 100, 0, 0, -1]); // January 32nd, 2000
    expect(w.crt('mktime', t)).toBe(949_406_400); // 2000-02-01 12:00 UTC
    expect(tm(t)).toEqual([0, 0, 12, 1, 1, 100, 2, 31, 0]);
    expect(w.crt('mktime', tmBuf([0, 0, 0, 1, 0, 69, 0, 0, 0])) | 0).toBe(-1); // 1969: out of range
    w.call('ucrtbase.dll', '_mkgmtime64', [tmBuf([0, 0, 0, 29, 1, 100, 0, 0, 0])]);
    expect(Number(w.edxEax)).toBe(LEAP_DAY_2000);
  });

  test('difftime, clock', () => {
    w.crt('difftime', 10, 3);
    expect(w.st0()).toBe(7);
    w.call('ucrtbase.dll', '_difftime64', [10n, 25n]);
    expect(w.st0()).toBe(-15);
    const c = w.crt('clock') | 0;
    expect(c).toBeGreaterThanOrEqual(0);
  });

  test('asctime and ctime: "Www Mmm dd hh:mm:ss yyyy\\n" (the day of month zero-padded)', () => {
    expect(w.readStr(w.crt('asctime', tmBuf([5, 4, 3, 2, 0, 80, 3, 1, 0])))).toBe('Wed Jan 02 03:04:05 1980\n');
    w.crt('_tzset');
    expect(w.readStr(w.crt('ctime', time32(LEAP_DAY_2000)))).toBe('Tue Feb 29 00:00:00 2000\n');
    expect(w.readWStr(w.crt('_wctime64', time64(0)))).toBe('Thu Jan 01 00:00:00 1970\n');
  });
});

describe('time zones', () => {
  const tzVars = (dll = 'msvcrt.dll') => {
    const names = w.u32(w.call(dll, '__p__tzname'));
    return {
      timezone: w.i32(w.call(dll, '__p__timezone')),
      daylight: w.i32(w.call(dll, '__p__daylight')),
      names: [w.readStr(names), w.readStr(w.u32(w.call(dll, '__p__tzname') + 4))],
    };
  };

  test('before _tzset the CRT holds its static defaults (Pacific time); _tzset reads the system zone (UTC)', () => {
    expect(w.i32(w.addr('msvcrt.dll', '_timezone'))).toBe(8 * 3600);
    expect(tzVars()).toEqual({ timezone: 28800, daylight: 1, names: ['PST', 'PDT'] });
    w.crt('_tzset');
    expect(tzVars()).toEqual({ timezone: 0, daylight: 0, names: ['Coordinated Universal Time', 'Coordinated Universal Time'] });
  });

  test('TZ=PST8PDT: standard and daylight time (ucrt: the 2007 US rules)', () => {
    expect(w.call('ucrtbase.dll', '_putenv', [w.str('TZ=PST8PDT')])).toBe(0);
    w.call('ucrtbase.dll', '_tzset');
    const tz = w.buf(4);
    expect(w.call('ucrtbase.dll', '_get_timezone', [tz])).toBe(0);
    expect(w.i32(tz)).toBe(28800);
    expect(tm(w.call('ucrtbase.dll', '_localtime64', [time64(1_625_140_800)]))).toEqual([0, 0, 5, 1, 6, 121, 4, 181, 1]); // 2021-07-01 12:00 UTC
    expect(tm(w.call('ucrtbase.dll', '_localtime64', [time64(1_609_502_400)]))).toEqual([0, 0, 4, 1, 0, 121, 5, 0, 0]); // 2021-01-01 12:00 UTC
    // 2021-03-20 12:00 UTC: after the second Sunday of March (the 14th): daylight time in the ucrt.
    expect(tm(w.call('ucrtbase.dll', '_localtime64', [time64(1_616_241_600)]))[8]).toBe(1);
    // mktime of a local daylight time.
    expect(Number((w.call('ucrtbase.dll', '_mktime64', [w.call('ucrtbase.dll', '_localtime64', [time64(1_625_140_800)])]), w.edxEax))).toBe(1_625_140_800);
  });

  test('msvcrt.dll keeps the pre-2007 rules: the first Sunday of April', () => {
    w.crt('_putenv', w.str('TZ=PST8PDT'));
    w.crt('_tzset');
    expect(tm(w.crt('localtime', time32(1_616_241_600)))).toEqual([0, 0, 4, 20, 2, 121, 6, 78, 0]);
    expect(tm(w.crt('localtime', time32(1_617_969_600)))[8]).toBe(1); // 2021-04-09
  });

  test('TZ with an offset east of UTC and no daylight time', () => {
    w.crt('_putenv', w.str('TZ=IST-5:30'));
    w.crt('_tzset');
    expect(tzVars()).toEqual({ timezone: -19800, daylight: 0, names: ['IST', ''] });
    expect(tm(w.crt('localtime', time32(0))).slice(0, 3)).toEqual([0, 30, 5]);
  });
});

describe('strftime', () => {
  const strftime = (fmt: string, f: Fields, dll = 'msvcrt.dll', size = 128) => {
    const b = w.buf(size);
    const n = w.call(dll, 'strftime', [b, size, w.str(fmt), tmBuf(f)]);
    return [n, w.readStr(b)] as const;
  };
  const LEAP: Fields = [0, 0, 12, 29, 1, 100, 2, 59, 0]; // Tuesday 2000-02-29 12:00:00

  test('the classic conversions in the "C" locale', () => {
    w.crt('_tzset');
    const [n, s] = strftime('%a %A %b %B %d %H %I %j %m %M %p %S %U %w %W %y %Y %%', LEAP);
    expect(s).toBe('Tue Tuesday Feb February 29 12 12 060 02 00 PM 00 09 2 09 00 2000 %');
    expect(n).toBe(s.length);
    expect(strftime('%c|%x|%X', LEAP)[1]).toBe('02/29/00 12:00:00|02/29/00|12:00:00');
    expect(strftime('%Z', LEAP)[1]).toBe('Coordinated Universal Time');
  });

  test('the # flag: no leading zeros, long %c and %x', () => {
    expect(strftime('%#d %#j %#m %#H', [5, 4, 3, 2, 0, 80, 3, 1, 0])[1]).toBe('2 2 1 3');
    expect(strftime('%#c', LEAP)[1]).toBe('Tuesday, February 29, 2000 12:00:00');
    expect(strftime('%#x', LEAP)[1]).toBe('Tuesday, February 29, 2000');
  });

  test('ucrt adds the C99 conversions, %z as an offset', () => {
    w.call('ucrtbase.dll', '_tzset');
    expect(strftime('%F %T %D %e %u %V %G %g %C %R %r %h %n%t%z', LEAP, 'ucrtbase.dll')[1]).toBe('2000-02-29 12:00:00 02/29/00 29 2 09 2000 00 20 12:00 12:00:00 PM Feb \n\t+0000');
    // 2021-01-03 (a Sunday) belongs to ISO week 53 of 2020.
    expect(strftime('%G-W%V-%u', [0, 0, 0, 3, 0, 121, 0, 2, 0], 'ucrtbase.dll')[1]).toBe('2020-W53-7');
  });

  test('a result that does not fit gives 0 (ERANGE); an unknown conversion is an invalid parameter', () => {
    expect(strftime('%A', LEAP, 'msvcrt.dll', 5)).toEqual([0, '']);
    expect(() => strftime('%Q', LEAP)).toThrow(CrtInvalidParameterError);
    expect(() => strftime('%e', LEAP)).toThrow(CrtInvalidParameterError); // msvcrt.dll has no %e
  });

  test('wcsftime', () => {
    const b = w.buf(64);
    expect(w.crt('wcsftime', b, 32, w.wstr('%B %d'), tmBuf(LEAP))).toBe(11);
    expect(w.readWStr(b)).toBe('February 29');
  });
});

test('_ftime / _ftime64: seconds, milliseconds, the zone in minutes west, daylight flag', () => {
  w.crt('_putenv', w.str('TZ=EST5'));
  const b = w.buf(16);
  const before = Math.floor(Date.now() / 1000);
  w.crt('_ftime', b);
  expect(w.u32(b)).toBeGreaterThanOrEqual(before);
  expect(w.cpu.mem.u16(b + 4)).toBeLessThan(1000);
  expect([w.cpu.mem.u16(b + 6), w.cpu.mem.u16(b + 8)]).toEqual([300, 0]);
  w.crt('_ftime64', b);
  expect(Number(w.cpu.mem.i64(b))).toBeGreaterThanOrEqual(before);
  expect(w.cpu.mem.u16(b + 10)).toBe(300);
});
