// Locales (en-US and invariant), GetLocaleInfo, locale names, enumeration; code-page information.
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { win32, type Win32 } from '../../helpers/win32.js';
import { le32 } from '../../helpers/x86.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

function infoW(lcid: number, type: number): [number, string] {
  const buf = w.buf(256);
  const n = w.k32('GetLocaleInfoW', lcid, type, buf, 128);
  return [n, w.readWStr(buf)];
}

describe('the locale', () => {
  test('user, system and thread locale are en-US (0x409)', () => {
    for (const f of ['GetUserDefaultLCID', 'GetSystemDefaultLCID', 'GetThreadLocale', 'GetUserDefaultLangID', 'GetSystemDefaultLangID', 'GetUserDefaultUILanguage', 'GetSystemDefaultUILanguage']) {
      expect(w.k32(f)).toBe(0x409);
    }
    const buf = w.buf(200);
    expect(w.k32('GetUserDefaultLocaleName', buf, 85)).toBe(6);
    expect(w.readWStr(buf)).toBe('en-US');
    expect(w.k32('GetUserDefaultLocaleName', buf, 3)).toBe(0);
    expect(w.lastError()).toBe(122);
  });

  test('SetThreadLocale: installed locales only', () => {
    expect(w.k32('SetThreadLocale', 0x407)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('SetThreadLocale', 0x7f)).toBe(1);
    expect(w.k32('GetThreadLocale')).toBe(0x7f);
    expect(w.k32('SetThreadLocale', 0x400)).toBe(1); // LOCALE_USER_DEFAULT
    expect(w.k32('GetThreadLocale')).toBe(0x409);
  });

  test('names and LCIDs', () => {
    expect(w.k32('LocaleNameToLCID', w.wstr('en-US'), 0)).toBe(0x409);
    expect(w.k32('LocaleNameToLCID', w.wstr('de-DE'), 0)).toBe(0);
    expect(w.lastError()).toBe(87);
    const buf = w.buf(200);
    expect(w.k32('LCIDToLocaleName', 0x409, buf, 85, 0)).toBe(6);
    expect(w.readWStr(buf)).toBe('en-US');
    expect(w.k32('IsValidLocale', 0x409, 1)).toBe(1);
    expect(w.k32('IsValidLocale', 0x407, 1)).toBe(0);
    expect(w.k32('IsValidLocaleName', w.wstr('en-US'))).toBe(1);
    expect(w.k32('IsValidLocaleName', w.wstr(''))).toBe(1); // LOCALE_NAME_INVARIANT
    expect(w.k32('IsValidLocaleName', w.wstr('xx-YY'))).toBe(0);
  });

  test('EnumSystemLocalesW calls back with each locale as eight hex digits', () => {
    // BOOL CALLBACK cb(LPWSTR s): copies the pointer to a slot and returns TRUE.
    const slot = w.buf(4);
    const code = w.cpu.mem.map(0x1000, PROT.rwx);
    // prettier-ignore
    w.cpu.mem.write(code, Uint8Array.from([0x8b, 0x44, 0x24, 0x04, 0xa3, ...le32(slot), 0xb8, 1, 0, 0, 0, 0xc2, 4, 0]));
    expect(w.k32('EnumSystemLocalesW', code, 2)).toBe(1);
    expect(w.readWStr(w.u32(slot))).toBe('00000409'); // freed after the call, but not yet reused
    expect(w.k32('EnumSystemLocalesW', 0, 2)).toBe(0);
  });
});

describe('GetLocaleInfo', () => {
  test.each([
    [0x0e, '.'], // LOCALE_SDECIMAL
    [0x0f, ','], // LOCALE_STHOUSAND
    [0x1004, '1252'], // LOCALE_IDEFAULTANSICODEPAGE
    [0x0b, '437'], // LOCALE_IDEFAULTCODEPAGE
    [0x1001, 'English'], // LOCALE_SENGLISHLANGUAGENAME
    [0x1002, 'United States'], // LOCALE_SENGLISHCOUNTRYNAME
    [0x59, 'en'], // LOCALE_SISO639LANGNAME
    [0x5a, 'US'], // LOCALE_SISO3166CTRYNAME
    [0x5c, 'en-US'], // LOCALE_SNAME
    [0x1f, 'M/d/yyyy'], // LOCALE_SSHORTDATE
    [0x14, '$'], // LOCALE_SCURRENCY
    [0x38, 'January'], // LOCALE_SMONTHNAME1
    [0x30, 'Sunday'], // LOCALE_SDAYNAME7
    [0x100c, '6'], // LOCALE_IFIRSTDAYOFWEEK: Sunday
  ])('en-US LCTYPE 0x%s', (type, value) => {
    expect(infoW(0x409, type)).toEqual([value.length + 1, value]);
    expect(infoW(0x400, type)[1]).toBe(value);
  });

  test('LOCALE_RETURN_NUMBER gives a DWORD: 2 characters for W, 4 bytes for A', () => {
    const buf = w.buf(8);
    expect(w.k32('GetLocaleInfoW', 0x409, 0x2000_1004, buf, 2)).toBe(2);
    expect(w.u32(buf)).toBe(1252);
    expect(w.k32('GetLocaleInfoA', 0x409, 0x2000_0001, buf, 4)).toBe(4); // LOCALE_ILANGUAGE, hex
    expect(w.u32(buf)).toBe(0x409);
    expect(w.k32('GetLocaleInfoW', 0x409, 0x2000_000e, buf, 2)).toBe(0); // SDECIMAL is no number
    expect(w.lastError()).toBe(1004);
  });

  test('sizes: 0 asks, too small fails; unknown types and locales fail', () => {
    expect(w.k32('GetLocaleInfoA', 0x409, 0x1001, 0, 0)).toBe(8);
    const buf = w.buf(8);
    expect(w.k32('GetLocaleInfoA', 0x409, 0x1001, buf, 7)).toBe(0);
    expect(w.lastError()).toBe(122);
    expect(w.k32('GetLocaleInfoA', 0x409, 0x1001, buf, 8)).toBe(8);
    expect(w.readStr(buf)).toBe('English');
    expect(w.k32('GetLocaleInfoW', 0x409, 0xfff, buf, 4)).toBe(0);
    expect(w.lastError()).toBe(1004);
    expect(w.k32('GetLocaleInfoW', 0x407, 0x0e, buf, 4)).toBe(0);
    expect(w.lastError()).toBe(87);
  });

  test('GetLocaleInfoEx by name; the invariant locale has its own formats', () => {
    const buf = w.buf(128);
    expect(w.k32('GetLocaleInfoEx', w.wstr('en-US'), 0x5c, buf, 64)).toBe(6);
    expect(w.readWStr(buf)).toBe('en-US');
    expect(w.k32('GetLocaleInfoEx', w.wstr(''), 0x1f, buf, 64)).toBe(11);
    expect(w.readWStr(buf)).toBe('MM/dd/yyyy');
    expect(infoW(0x7f, 0x0e)[1]).toBe('.');
  });
});

describe('code pages', () => {
  test('ANSI 1252, OEM 437; valid code pages', () => {
    expect(w.k32('GetACP')).toBe(1252);
    expect(w.k32('GetOEMCP')).toBe(437);
    for (const cp of [1252, 437, 65001, 20127]) expect(w.k32('IsValidCodePage', cp)).toBe(1);
    for (const cp of [0, 1, 12345]) expect(w.k32('IsValidCodePage', cp)).toBe(0);
  });

  test('GetCPInfo: single-byte pages with "?" as default character; UTF-8 takes up to 4 bytes', () => {
    const info = w.buf(20);
    w.cpu.mem.fill(info, 0xcc, 20);
    expect(w.k32('GetCPInfo', 0, info)).toBe(1); // CP_ACP
    expect(Array.from(w.cpu.mem.read(info, 20))).toEqual([1, 0, 0, 0, 0x3f, 0, ...new Array(14).fill(0)]);
    expect(w.k32('GetCPInfo', 65001, info)).toBe(1);
    expect(w.u32(info)).toBe(4);
    expect(w.k32('GetCPInfo', 12345, info)).toBe(0);
    expect(w.lastError()).toBe(87);
  });

  test('GetCPInfoEx names the code page as Windows does', () => {
    const a = w.buf(284);
    expect(w.k32('GetCPInfoExA', 1, 0, a)).toBe(1); // CP_OEMCP
    expect([w.u32(a + 20), w.cpu.mem.u16(a + 18), w.readStr(a + 24)]).toEqual([437, 0x3f, '437   (OEM - United States)']);
    const x = w.buf(544);
    expect(w.k32('GetCPInfoExW', 1252, 0, x)).toBe(1);
    expect(w.readWStr(x + 24)).toBe('1252  (ANSI - Latin I)');
    expect(w.k32('GetCPInfoExW', 65001, 0, x)).toBe(1);
    expect([w.cpu.mem.u16(x + 18), w.readWStr(x + 24)]).toEqual([0xfffd, '65001 (UTF-8)']);
  });
});

test('EnumSystemCodePagesW lists the code pages there are; the callback can stop it', () => {
  // BOOL CALLBACK cb(LPWSTR cp): appends the pointer to a log and returns TRUE.
  const log = w.buf(64);
  const code = w.cpu.mem.map(0x1000, PROT.rwx);
  // prettier-ignore
  w.cpu.mem.write(code, Uint8Array.from([
    0x8b, 0x44, 0x24, 0x04, // mov eax,[esp+4]
    0x8b, 0x0d, ...le32(log), // mov ecx,[log]
    0x41, // inc ecx
    0x89, 0x0d, ...le32(log), // mov [log],ecx
    0xb8, 1, 0, 0, 0, // mov eax,1
    0xc2, 4, 0, // ret 4
  ]));
  expect(w.k32('EnumSystemCodePagesW', code, 1)).toBe(1); // CP_INSTALLED
  expect(w.u32(log)).toBe(4);
  expect(w.k32('EnumSystemCodePagesW', code, 7)).toBe(0);
  expect(w.lastError()).toBe(1004);
});
