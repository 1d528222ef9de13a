// Locales: the user, system and thread locale (en-US, LCID 0x409; the invariant locale 0x7F is known too),
// locale names, GetLocaleInfo with the en-US data, EnumSystemLocales. Other locales are not installed:
// asking for them fails with ERROR_INVALID_PARAMETER.
import { fn } from '../spec.js';
import { stateKey, type Process } from '../process.js';
import { encodeString } from '../text.js';
import { ERROR } from '../win32.js';

export const LCID_EN_US = 0x0409;
export const LCID_INVARIANT = 0x007f;
const LOCALE = { USER_DEFAULT: 0x0400, SYSTEM_DEFAULT: 0x0800, NEUTRAL: 0x0000, CUSTOM_DEFAULT: 0x0c00, CUSTOM_UNSPECIFIED: 0x1000, CUSTOM_UI_DEFAULT: 0x1400 } as const;
const LOCALE_NOUSEROVERRIDE = 0x8000_0000;
const LOCALE_USE_CP_ACP = 0x4000_0000;
const LOCALE_RETURN_NUMBER = 0x2000_0000;
const LOCALE_RETURN_GENITIVE_NAMES = 0x1000_0000;
const LOCALE_ALLOW_NEUTRAL_NAMES = 0x0800_0000;

const localeState = stateKey('kernel32.locale', () => ({ thread: new Map<number, number>(), threadUi: new Map<number, number>() }));

/**
 * The LCID a request means: the defaults are en-US, sort-order bits (above bit 15) are dropped. Undefined
 * for locales that are not installed.
 */
export function resolveLcid(_p: Process, lcid: number): number | undefined {
  const lang = lcid & 0xffff;
  if (lcid >>> 16 > 0xf) return undefined;
  switch (lang) {
    case LOCALE.USER_DEFAULT:
    case LOCALE.SYSTEM_DEFAULT:
    case LOCALE.NEUTRAL:
    case LOCALE.CUSTOM_DEFAULT:
    case LOCALE.CUSTOM_UNSPECIFIED:
    case LOCALE.CUSTOM_UI_DEFAULT:
      return LCID_EN_US;
    case LCID_EN_US:
    case LCID_INVARIANT:
      return lang;
    default:
      return undefined;
  }
}

/** A locale name as the *Ex functions take it: NULL is the user default, "" the invariant locale. */
export function resolveLocaleName(name: string | null): number | undefined {
  if (name === null || name.toLowerCase() === '!x-sys-default-locale') return LCID_EN_US;
  if (name === '') return LCID_INVARIANT;
  return name.toLowerCase() === 'en-us' ? LCID_EN_US : undefined;
}

export const localeName = (lcid: number) => (lcid === LCID_INVARIANT ? '' : 'en-US');

export function GetThreadLocale(p: Process): number {
  return p.state(localeState).thread.get(p.currentThread.id) ?? LCID_EN_US;
}

export function SetThreadLocale(p: Process, lcid: number): boolean {
  const l = resolveLcid(p, lcid);
  if (l === undefined || (lcid & 0xffff) === LOCALE.NEUTRAL) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.state(localeState).thread.set(p.currentThread.id, l);
  return true;
}

/** SetThreadUILanguage: 0 or an installed language; returns the language now in use (0 on failure). */
export function SetThreadUILanguage(p: Process, lang: number): number {
  if (lang !== 0 && lang !== LCID_EN_US) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  p.state(localeState).threadUi.set(p.currentThread.id, LCID_EN_US);
  return LCID_EN_US;
}

export function GetThreadUILanguage(p: Process): number {
  return p.state(localeState).threadUi.get(p.currentThread.id) ?? LCID_EN_US;
}

/** Copies a name with its NUL into a buffer of `size` characters; returns the characters with the NUL, 0 when it does not fit. */
export function copyWide(p: Process, s: string, buf: number, size: number): number {
  if (size === 0) return s.length + 1;
  if (s.length + 1 > size || !buf) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  for (let i = 0; i < s.length; i++) p.mem.setU16(buf + 2 * i, s.charCodeAt(i));
  p.mem.setU16(buf + 2 * s.length, 0);
  return s.length + 1;
}

export function GetUserDefaultLocaleName(p: Process, buf: number, size: number): number {
  return copyWide(p, 'en-US', buf, size);
}

export function LocaleNameToLCID(p: Process, name: string | null, flags: number): number {
  if (flags & ~LOCALE_ALLOW_NEUTRAL_NAMES) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return 0;
  }
  if (name !== null && name.toLowerCase() === 'en' && flags & LOCALE_ALLOW_NEUTRAL_NAMES) return 0x0009;
  const l = resolveLocaleName(name);
  if (l === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  return l;
}

export function LCIDToLocaleName(p: Process, lcid: number, buf: number, size: number, _flags: number): number {
  const l = resolveLcid(p, lcid);
  if (l === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  return copyWide(p, localeName(l), buf, size);
}

/** LCID_INSTALLED (1) or LCID_SUPPORTED (2): only en-US and the invariant locale exist. */
export function IsValidLocale(_p: Process, lcid: number, _flags: number): boolean {
  return lcid === LCID_EN_US || lcid === LCID_INVARIANT;
}

export function IsValidLocaleName(_p: Process, name: string | null): boolean {
  return name !== null && resolveLocaleName(name) !== undefined;
}

/** Calls back with "00000409" (each installed locale) until the callback returns FALSE. */
export function EnumSystemLocales(p: Process, callback: number, _flags: number, wide: boolean): boolean {
  if (!callback) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const text = '00000409';
  const buf = p.heap.alloc(2 * (text.length + 1));
  if (wide) for (let i = 0; i <= text.length; i++) p.mem.setU16(buf + 2 * i, i < text.length ? text.charCodeAt(i) : 0);
  else p.mem.write(buf, encodeString(text + '\0').bytes);
  try {
    p.callGuest(callback, 'stdcall', [buf]);
  } finally {
    p.heap.free(buf);
  }
  return true;
}

/** EnumSystemLocalesEx: "en-US" with LOCALE_SPECIFICDATA (2), unless the flags ask for other kinds only. */
export function EnumSystemLocalesEx(p: Process, callback: number, flags: number, lParam: number, _reserved: number): boolean {
  if (!callback) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const LOCALE_SPECIFICDATA = 2;
  if (flags !== 0 && !(flags & LOCALE_SPECIFICDATA)) return true;
  const buf = p.heap.alloc(2 * 6);
  for (const [i, c] of [...'en-US\0'].entries()) p.mem.setU16(buf + 2 * i, c.charCodeAt(0));
  try {
    p.callGuest(callback, 'stdcall', [buf, LOCALE_SPECIFICDATA, lParam]);
  } finally {
    p.heap.free(buf);
  }
  return true;
}

// ---- GetLocaleInfo ---------------------------------------------------------------------------------

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** LCTYPE -> en-US value (Windows 10's data). */
const EN_US: Record<number, string> = {
  0x01: '0409', // LOCALE_ILANGUAGE
  0x02: 'English (United States)', // LOCALE_SLOCALIZEDDISPLAYNAME (SLANGUAGE)
  0x03: 'ENU', // LOCALE_SABBREVLANGNAME
  0x04: 'English', // LOCALE_SNATIVELANGNAME
  0x05: '1', // LOCALE_ICOUNTRY
  0x06: 'United States', // LOCALE_SLOCALIZEDCOUNTRYNAME
  0x07: 'USA', // LOCALE_SABBREVCTRYNAME
  0x08: 'United States', // LOCALE_SNATIVECTRYNAME
  0x09: '0409', // LOCALE_IDEFAULTLANGUAGE
  0x0a: '1', // LOCALE_IDEFAULTCOUNTRY
  0x0b: '437', // LOCALE_IDEFAULTCODEPAGE
  0x0c: ',', // LOCALE_SLIST
  0x0d: '1', // LOCALE_IMEASURE: U.S.
  0x0e: '.', // LOCALE_SDECIMAL
  0x0f: ',', // LOCALE_STHOUSAND
  0x10: '3;0', // LOCALE_SGROUPING
  0x11: '2', // LOCALE_IDIGITS
  0x12: '1', // LOCALE_ILZERO
  0x13: '0123456789', // LOCALE_SNATIVEDIGITS
  0x14: '$', // LOCALE_SCURRENCY
  0x15: 'USD', // LOCALE_SINTLSYMBOL
  0x16: '.', // LOCALE_SMONDECIMALSEP
  0x17: ',', // LOCALE_SMONTHOUSANDSEP
  0x18: '3;0', // LOCALE_SMONGROUPING
  0x19: '2', // LOCALE_ICURRDIGITS
  0x1a: '2', // LOCALE_IINTLCURRDIGITS
  0x1b: '0', // LOCALE_ICURRENCY
  0x1c: '0', // LOCALE_INEGCURR
  0x1d: '/', // LOCALE_SDATE
  0x1e: ':', // LOCALE_STIME
  0x1f: 'M/d/yyyy', // LOCALE_SSHORTDATE
  0x20: 'dddd, MMMM d, yyyy', // LOCALE_SLONGDATE
  0x21: '0', // LOCALE_IDATE
  0x22: '0', // LOCALE_ILDATE
  0x23: '0', // LOCALE_ITIME
  0x24: '1', // LOCALE_ICENTURY
  0x25: '0', // LOCALE_ITLZERO
  0x26: '0', // LOCALE_IDAYLZERO
  0x27: '0', // LOCALE_IMONLZERO
  0x28: 'AM', // LOCALE_S1159
  0x29: 'PM', // LOCALE_S2359
  ...Object.fromEntries(DAYS.map((d, i) => [0x2a + i, d])), // LOCALE_SDAYNAME1..7
  ...Object.fromEntries(DAYS.map((d, i) => [0x31 + i, d.slice(0, 3)])), // LOCALE_SABBREVDAYNAME1..7
  ...Object.fromEntries(MONTHS.map((m, i) => [0x38 + i, m])), // LOCALE_SMONTHNAME1..12
  ...Object.fromEntries(MONTHS.map((m, i) => [0x44 + i, m.slice(0, 3)])), // LOCALE_SABBREVMONTHNAME1..12
  0x50: '', // LOCALE_SPOSITIVESIGN
  0x51: '-', // LOCALE_SNEGATIVESIGN
  0x52: '3', // LOCALE_IPOSSIGNPOSN
  0x53: '0', // LOCALE_INEGSIGNPOSN
  0x54: '1', // LOCALE_IPOSSYMPRECEDES
  0x55: '0', // LOCALE_IPOSSEPBYSPACE
  0x56: '1', // LOCALE_INEGSYMPRECEDES
  0x57: '0', // LOCALE_INEGSEPBYSPACE
  0x59: 'en', // LOCALE_SISO639LANGNAME
  0x5a: 'US', // LOCALE_SISO3166CTRYNAME
  0x5b: '244', // LOCALE_IGEOID
  0x5c: 'en-US', // LOCALE_SNAME
  0x5d: 'h:mm:ss', // LOCALE_SDURATION
  0x5e: '0409:00000409', // LOCALE_SKEYBOARDSTOINSTALL
  ...Object.fromEntries(DAYS.map((d, i) => [0x60 + i, d.slice(0, 2)])), // LOCALE_SSHORTESTDAYNAME1..7
  0x67: 'eng', // LOCALE_SISO639LANGNAME2
  0x68: 'USA', // LOCALE_SISO3166CTRYNAME2
  0x69: 'NaN', // LOCALE_SNAN
  0x6a: '\u221e', // LOCALE_SPOSINFINITY
  0x6b: '-\u221e', // LOCALE_SNEGINFINITY
  0x6c: 'Latn;', // LOCALE_SSCRIPTS
  0x6d: 'en', // LOCALE_SPARENT
  0x6e: 'en-US', // LOCALE_SCONSOLEFALLBACKNAME
  0x6f: 'English', // LOCALE_SLOCALIZEDLANGUAGENAME
  0x70: '0', // LOCALE_IREADINGLAYOUT: left to right
  0x71: '0', // LOCALE_INEUTRAL
  0x72: 'English (United States)', // LOCALE_SENGLISHDISPLAYNAME
  0x73: 'English (United States)', // LOCALE_SNATIVEDISPLAYNAME
  0x74: '1', // LOCALE_INEGATIVEPERCENT
  0x75: '1', // LOCALE_IPOSITIVEPERCENT
  0x76: '%', // LOCALE_SPERCENT
  0x77: '\u2030', // LOCALE_SPERMILLE
  0x78: 'MMMM d', // LOCALE_SMONTHDAY
  0x79: 'h:mm tt', // LOCALE_SSHORTTIME
  0x7a: 'ENG', // LOCALE_SOPENTYPELANGUAGETAG
  0x7b: 'en-US', // LOCALE_SSORTLOCALE
  0x7c: 'dddd, MMMM d', // LOCALE_SRELATIVELONGDATE
  0x7e: 'a', // LOCALE_SSHORTESTAM
  0x7f: 'p', // LOCALE_SSHORTESTPM
  0x1001: 'English', // LOCALE_SENGLISHLANGUAGENAME
  0x1002: 'United States', // LOCALE_SENGLISHCOUNTRYNAME
  0x1003: 'h:mm:ss tt', // LOCALE_STIMEFORMAT
  0x1004: '1252', // LOCALE_IDEFAULTANSICODEPAGE
  0x1005: '0', // LOCALE_ITIMEMARKPOSN
  0x1006: 'MMMM yyyy', // LOCALE_SYEARMONTH
  0x1007: 'US Dollar', // LOCALE_SENGCURRNAME
  0x1008: 'US Dollar', // LOCALE_SNATIVECURRNAME
  0x1009: '1', // LOCALE_ICALENDARTYPE: Gregorian (localized)
  0x100a: '1', // LOCALE_IPAPERSIZE: letter
  0x100b: '0', // LOCALE_IOPTIONALCALENDAR
  0x100c: '6', // LOCALE_IFIRSTDAYOFWEEK: Sunday
  0x100d: '0', // LOCALE_IFIRSTWEEKOFYEAR
  0x100e: '', // LOCALE_SMONTHNAME13
  0x100f: '', // LOCALE_SABBREVMONTHNAME13
  0x1010: '1', // LOCALE_INEGNUMBER
  0x1011: '10000', // LOCALE_IDEFAULTMACCODEPAGE
  0x1012: '37', // LOCALE_IDEFAULTEBCDICCODEPAGE
  0x1013: 'Default', // LOCALE_SSORTNAME
  0x1014: '1', // LOCALE_IDIGITSUBSTITUTION: none
};

/** Where the invariant locale differs from en-US. */
const INVARIANT: Record<number, string> = {
  0x01: '007f',
  0x02: 'Invariant Language (Invariant Country)',
  0x03: 'IVL',
  0x04: 'Invariant Language',
  0x05: '0',
  0x06: 'Invariant Country',
  0x07: 'IVC',
  0x08: 'Invariant Country',
  0x09: '007f',
  0x0a: '0',
  0x14: '\u00a4',
  0x15: 'XDR',
  0x1f: 'MM/dd/yyyy',
  0x20: 'dddd, dd MMMM yyyy',
  0x26: '1',
  0x27: '1',
  0x59: 'iv',
  0x5a: 'IV',
  0x5c: '',
  0x6d: '',
  0x72: 'Invariant Language (Invariant Country)',
  0x73: 'Invariant Language (Invariant Country)',
  0x79: 'HH:mm',
  0x7b: '',
  0x1001: 'Invariant Language',
  0x1002: 'Invariant Country',
  0x1003: 'HH:mm:ss',
  0x1006: 'yyyy MMMM',
  0x1007: 'International Monetary Fund',
  0x1008: 'International Monetary Fund',
  0x100c: '0',
  0x1013: 'Default',
};

/** Numeric LCTYPEs (LOCALE_I*) that LOCALE_RETURN_NUMBER may return as a DWORD. */
const numericType = (t: number) => /^\d+$/.test(EN_US[t] ?? '') && ![0x10, 0x13, 0x18, 0x5e].includes(t) && t !== 0x1d;

export function localeInfo(lcid: number, type: number): string | undefined {
  const t = type & 0x0fff_ffff & ~LOCALE_RETURN_GENITIVE_NAMES;
  if (lcid === LCID_INVARIANT && t in INVARIANT) return INVARIANT[t];
  return EN_US[t];
}

/** GetLocaleInfoA/W/Ex: the characters (A: bytes) written with the NUL, or needed when cchData is 0. */
export function GetLocaleInfo(p: Process, lcid: number | undefined, type: number, buf: number, size: number, wide: boolean): number {
  if (lcid === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  if (size < 0 || (size > 0 && !buf)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const base = type & ~(LOCALE_NOUSEROVERRIDE | LOCALE_USE_CP_ACP | LOCALE_RETURN_NUMBER | LOCALE_RETURN_GENITIVE_NAMES);
  const value = localeInfo(lcid, base);
  if (value === undefined) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return 0;
  }
  if (type & LOCALE_RETURN_NUMBER) {
    if (!numericType(base)) {
      p.setLastError(ERROR.INVALID_FLAGS);
      return 0;
    }
    const need = wide ? 2 : 4; // one DWORD, counted in characters
    if (size === 0) return need;
    if (size < need) {
      p.setLastError(ERROR.INSUFFICIENT_BUFFER);
      return 0;
    }
    p.mem.setU32(buf, parseInt(value, base === 0x01 || base === 0x09 ? 16 : 10));
    return need;
  }
  if (wide) return copyWide(p, value, buf, size);
  const bytes = encodeString(value + '\0', 1252).bytes;
  if (size === 0) return bytes.length;
  if (bytes.length > size) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  p.mem.write(buf, bytes);
  return bytes.length;
}

/** Settings belong to the user's profile, which this process may not change: ERROR_ACCESS_DENIED. */
export function SetLocaleInfo(p: Process, _lcid: number, _type: number, _data: number): boolean {
  p.setLastError(ERROR.ACCESS_DENIED);
  return false;
}

const GEO_NATION = 16;

export function GetUserGeoID(_p: Process, geoClass: number): number {
  return geoClass === GEO_NATION ? 244 : -1 >>> 0; // the United States; GEOID_NOT_AVAILABLE otherwise
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const localeApi = {
  EnumSystemLocalesA: fn('stdcall', ['ptr', 'long'], 'bool', (p, cb, f) => EnumSystemLocales(p, cb, f, false), { reentrant: true }),
  EnumSystemLocalesEx: fn('stdcall', ['ptr', 'long', 'long', 'ptr'], 'bool', EnumSystemLocalesEx, { reentrant: true }),
  EnumSystemLocalesW: fn('stdcall', ['ptr', 'long'], 'bool', (p, cb, f) => EnumSystemLocales(p, cb, f, true), { reentrant: true }),
  GetLocaleInfoA: fn('stdcall', ['long', 'long', 'ptr', 'int'], 'int', (p, l, t, b, n) => GetLocaleInfo(p, resolveLcid(p, l), t, b, n, false)),
  GetLocaleInfoEx: fn('stdcall', ['wstr', 'long', 'ptr', 'int'], 'int', (p, name, t, b, n) => GetLocaleInfo(p, resolveLocaleName(name), t, b, n, true)),
  GetLocaleInfoW: fn('stdcall', ['long', 'long', 'ptr', 'int'], 'int', (p, l, t, b, n) => GetLocaleInfo(p, resolveLcid(p, l), t, b, n, true)),
  GetSystemDefaultLCID: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetSystemDefaultLangID: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetSystemDefaultLocaleName: fn('stdcall', ['ptr', 'int'], 'int', GetUserDefaultLocaleName),
  GetSystemDefaultUILanguage: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetThreadLocale: fn('stdcall', [], 'long', GetThreadLocale),
  GetThreadUILanguage: fn('stdcall', [], 'long', GetThreadUILanguage),
  GetUserDefaultLCID: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetUserDefaultLangID: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetUserDefaultLocaleName: fn('stdcall', ['ptr', 'int'], 'int', GetUserDefaultLocaleName),
  GetUserDefaultUILanguage: fn('stdcall', [], 'long', (_p) => LCID_EN_US),
  GetUserGeoID: fn('stdcall', ['long'], 'long', GetUserGeoID),
  IsValidLocale: fn('stdcall', ['long', 'long'], 'bool', IsValidLocale),
  IsValidLocaleName: fn('stdcall', ['wstr'], 'bool', IsValidLocaleName),
  LCIDToLocaleName: fn('stdcall', ['long', 'ptr', 'int', 'long'], 'int', LCIDToLocaleName),
  LocaleNameToLCID: fn('stdcall', ['wstr', 'long'], 'long', LocaleNameToLCID),
  SetLocaleInfoA: fn('stdcall', ['long', 'long', 'ptr'], 'bool', SetLocaleInfo),
  SetLocaleInfoW: fn('stdcall', ['long', 'long', 'ptr'], 'bool', SetLocaleInfo),
  SetThreadLocale: fn('stdcall', ['long'], 'bool', SetThreadLocale),
  SetThreadUILanguage: fn('stdcall', ['long'], 'long', SetThreadUILanguage),
};
