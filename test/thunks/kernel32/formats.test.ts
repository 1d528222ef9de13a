// Locale formatting of dates, times, numbers and currency (en-US).
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

type Fields = [number, number, number, number, number, number, number, number];
function st(f: Fields): number {
  const at = w.buf(16);
  f.forEach((v, i) => w.cpu.mem.setU16(at + 2 * i, v));
  return at;
}
// Tuesday 2024-03-05 14:05:09.250 (the day of the week given wrong on purpose: it is recomputed)
const when = (): number => st([2024, 3, 0, 5, 14, 5, 9, 250]);

function dateW(flags: number, picture: string | null, date = when()): string | number {
  const buf = w.buf(256);
  const n = w.k32('GetDateFormatW', 0x409, flags, date, picture === null ? 0 : w.wstr(picture), buf, 128);
  return n === 0 ? -w.lastError() : w.readWStr(buf);
}
function timeW(flags: number, picture: string | null, time = when()): string | number {
  const buf = w.buf(256);
  const n = w.k32('GetTimeFormatW', 0x409, flags, time, picture === null ? 0 : w.wstr(picture), buf, 128);
  return n === 0 ? -w.lastError() : w.readWStr(buf);
}

describe('dates', () => {
  test.each([
    [1, null, '3/5/2024'], // DATE_SHORTDATE
    [2, null, 'Tuesday, March 5, 2024'], // DATE_LONGDATE
    [8, null, 'March 2024'], // DATE_YEARMONTH
    [0, 'ddd dd MMM yy', 'Tue 05 Mar 24'],
    [0, "'Day' d 'of' MMMM, y gg", 'Day 5 of March, 24 A.D.'],
    [0, "yyyy-MM-dd'T'", '2024-03-05T'],
    [0, "'it''s' dddd", "it's Tuesday"],
  ])('flags %i picture %j', (flags, picture, result) => {
    expect(dateW(flags, picture)).toBe(result);
  });

  test('sizes, bad dates, bad flag combinations; NULL is today', () => {
    expect(w.k32('GetDateFormatW', 0x409, 1, when(), 0, 0, 0)).toBe(9);
    expect(w.k32('GetDateFormatA', 0x409, 1, when(), 0, w.buf(8), 8)).toBe(0);
    expect(w.lastError()).toBe(122);
    expect(dateW(1, null, st([2023, 2, 0, 29, 0, 0, 0, 0]))).toBe(-87);
    expect(dateW(1 | 2, null)).toBe(-1004);
    expect(dateW(1, 'd')).toBe(-1004);
    const now = new Date();
    expect(dateW(0, 'yyyy', 0)).toBe(String(now.getUTCFullYear()));
  });
});

describe('times', () => {
  test.each([
    [0, null, '2:05:09 PM'],
    [2, null, '2:05 PM'], // TIME_NOSECONDS
    [1, null, '2 PM'], // TIME_NOMINUTESORSECONDS
    [4, null, '2:05:09'], // TIME_NOTIMEMARKER
    [8 | 4, null, '14:05:09'], // 24 hours, no marker
    [0, 'HH:mm:ss', '14:05:09'],
    [0, 'hh.mm t', '02.05 P'],
    [4, 'tt h:mm', '2:05'],
  ])('flags %i picture %j', (flags, picture, result) => {
    expect(timeW(flags, picture)).toBe(result);
  });

  test('a morning time, and invalid times', () => {
    expect(timeW(0, null, st([2024, 1, 0, 1, 0, 7, 0, 0]))).toBe('12:07:00 AM');
    expect(timeW(0, null, st([2024, 1, 0, 1, 24, 0, 0, 0]))).toBe(-87);
  });
});

describe('numbers and currency', () => {
  const num = (value: string, fmt = 0) => {
    const buf = w.buf(128);
    const n = w.k32('GetNumberFormatW', 0x409, 0, w.wstr(value), fmt, buf, 64);
    return n === 0 ? -w.lastError() : w.readWStr(buf);
  };
  const cur = (value: string) => {
    const buf = w.buf(128);
    const n = w.k32('GetCurrencyFormatW', 0x409, 0, w.wstr(value), 0, buf, 64);
    return n === 0 ? -w.lastError() : w.readWStr(buf);
  };

  test.each([
    ['1234.5', '1,234.50'],
    ['-1234567.891', '-1,234,567.89'],
    ['.5', '0.50'],
    ['0.005', '0.01'], // rounds half away from zero
    ['999.999', '1,000.00'],
    ['12', '12.00'],
  ])('GetNumberFormat(%j) = %j', (value, result) => {
    expect(num(value)).toBe(result);
  });

  test('bad numbers; a NUMBERFMT of its own (no decimals, Indian grouping, parentheses)', () => {
    expect(num('12a')).toBe(-87);
    expect(num('1.2.3')).toBe(-87);
    const fmt = w.buf(24);
    w.cpu.mem.writeWords(fmt, [0, 1, 32, w.wstr('.'), w.wstr(','), 0]);
    expect(num('-1234567.5', fmt)).toBe('(12,34,568)');
  });

  test.each([
    ['1234.5', '$1,234.50'],
    ['-1234.5', '($1,234.50)'],
    ['0', '$0.00'],
  ])('GetCurrencyFormat(%j) = %j', (value, result) => {
    expect(cur(value)).toBe(result);
  });
});

test('NormalizeString and IsNormalizedString (forms C, D, KC, KD)', () => {
  const src = w.wstr('e\u0301\ufb01');
  const dst = w.buf(32);
  expect(w.k32('NormalizeString', 1, src, 3, dst, 16)).toBe(2);
  expect(String.fromCharCode(w.cpu.mem.u16(dst), w.cpu.mem.u16(dst + 2))).toBe('\u00e9\ufb01');
  expect(w.k32('NormalizeString', 5, src, 3, dst, 16)).toBe(3);
  expect(String.fromCharCode(w.cpu.mem.u16(dst), w.cpu.mem.u16(dst + 2), w.cpu.mem.u16(dst + 4))).toBe('\u00e9fi');
  expect(w.k32('IsNormalizedString', 2, src, 3)).toBe(1);
  expect(w.k32('IsNormalizedString', 1, src, 3)).toBe(0);
  expect(w.k32('NormalizeString', 3, src, 3, dst, 16)).toBe(0);
  expect(w.lastError()).toBe(87);
});

test('file APIs use the ANSI code page until SetFileApisToOEM', () => {
  expect(w.k32('AreFileApisANSI')).toBe(1);
  w.k32('SetFileApisToOEM');
  expect(w.k32('AreFileApisANSI')).toBe(0);
  w.k32('SetFileApisToANSI');
  expect(w.k32('AreFileApisANSI')).toBe(1);
});
