// advapi32's registry functions as guest code calls them. Expected values are Windows' documented
// behaviour (learn.microsoft.com) and what Windows does in the cases the documentation leaves open
// (as recorded by Wine's conformance tests, dlls/advapi32/tests/registry.c, run on Windows).
import { beforeEach, describe, expect, test } from 'vitest';
import { DeadlockError } from '../../../thunks/threads.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const HKEY_CLASSES_ROOT = 0x8000_0000;
const HKEY_CURRENT_USER = 0x8000_0001;
const HKEY_LOCAL_MACHINE = 0x8000_0002;
const HKEY_USERS = 0x8000_0003;
const HKEY_CURRENT_CONFIG = 0x8000_0005;

const KEY_QUERY_VALUE = 0x1;
const KEY_SET_VALUE = 0x2;
const KEY_ENUMERATE_SUB_KEYS = 0x8;
const KEY_READ = 0x2_0019;
const KEY_ALL_ACCESS = 0xf_003f;

const REG_NONE = 0;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_BINARY = 3;
const REG_DWORD = 4;
const REG_MULTI_SZ = 7;
const REG_QWORD = 11;
const REG_OPTION_VOLATILE = 1;
const REG_CREATED_NEW_KEY = 1;
const REG_OPENED_EXISTING_KEY = 2;

const RRF_RT_REG_SZ = 0x2;
const RRF_RT_REG_EXPAND_SZ = 0x4;
const RRF_RT_REG_BINARY = 0x8;
const RRF_RT_REG_DWORD = 0x10;
const RRF_RT_DWORD = 0x18;
const RRF_RT_QWORD = 0x48;
const RRF_RT_ANY = 0xffff;
const RRF_NOEXPAND = 0x1000_0000;
const RRF_ZEROONFAILURE = 0x2000_0000;

const ERROR_SUCCESS = 0;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_ACCESS_DENIED = 5;
const ERROR_INVALID_HANDLE = 6;
const ERROR_INVALID_PARAMETER = 87;
const ERROR_INSUFFICIENT_BUFFER = 122;
const ERROR_BAD_PATHNAME = 161;
const ERROR_MORE_DATA = 234;
const ERROR_NO_MORE_ITEMS = 259;
const ERROR_NOACCESS = 998;
const ERROR_KEY_DELETED = 1018;
const ERROR_CHILD_MUST_BE_VOLATILE = 1021;
const ERROR_PRIVILEGE_NOT_HELD = 1314;
const ERROR_DATATYPE_MISMATCH = 1629;
const ERROR_UNSUPPORTED_TYPE = 1630;

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** RegOpenKeyExA; returns [status, hkey]. */
function openA(root: number, path: string | null, sam = KEY_ALL_ACCESS): [number, number] {
  const ph = w.buf(4);
  const r = w.adv('RegOpenKeyExA', root, path === null ? 0 : w.str(path), 0, sam, ph);
  return [r, w.u32(ph)];
}

function open(root: number, path: string, sam = KEY_ALL_ACCESS): number {
  const [r, h] = openA(root, path, sam);
  expect(r).toBe(ERROR_SUCCESS);
  return h;
}

/** RegCreateKeyExA; returns [status, hkey, disposition]. */
function createA(root: number, path: string, opts: { cls?: string; options?: number; sam?: number } = {}): [number, number, number] {
  const ph = w.buf(4);
  const disp = w.buf(4);
  const r = w.adv('RegCreateKeyExA', root, w.str(path), 0, opts.cls === undefined ? 0 : w.str(opts.cls), opts.options ?? 0, opts.sam ?? KEY_ALL_ACCESS, 0, ph, disp);
  return [r, w.u32(ph), w.u32(disp)];
}

function create(root: number, path: string, opts: { cls?: string; options?: number; sam?: number } = {}): number {
  const [r, h] = createA(root, path, opts);
  expect(r).toBe(ERROR_SUCCESS);
  return h;
}

/** RegQueryValueExA/W into a buffer of `size` bytes pre-filled with 0xbd. */
function query(h: number, name: string | null, size: number, wide = false) {
  const type = w.buf(4);
  const cb = w.buf(4);
  const data = w.buf(size + 4);
  w.cpu.mem.fill(data, 0xbd, size + 4);
  w.cpu.mem.setU32(type, 0xdead_beef);
  w.cpu.mem.setU32(cb, size);
  const nameArg = name === null ? 0 : wide ? w.wstr(name) : w.str(name);
  const status = w.adv(wide ? 'RegQueryValueExW' : 'RegQueryValueExA', h, nameArg, 0, type, data, cb);
  return { status, type: w.u32(type), size: w.u32(cb), bytes: Array.from(w.cpu.mem.read(data, size + 4)), data };
}

/** RegQueryValueExA/W with a NULL buffer: the size query. */
function sizeOf(h: number, name: string, wide = false) {
  const type = w.buf(4);
  const cb = w.buf(4);
  w.cpu.mem.setU32(cb, 0xdead_beef);
  const status = w.adv(wide ? 'RegQueryValueExW' : 'RegQueryValueExA', h, wide ? w.wstr(name) : w.str(name), 0, type, 0, cb);
  return { status, type: w.u32(type), size: w.u32(cb) };
}

function setA(h: number, name: string | null, type: number, bytes: ArrayLike<number>, count = bytes.length): number {
  return w.adv('RegSetValueExA', h, name === null ? 0 : w.str(name), 0, type, w.bytes(bytes), count);
}

const ascii = (s: string) => Array.from(s, (c) => c.charCodeAt(0));
const utf16 = (s: string) => Array.from(s).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);

describe('the Windows 10 registry the guest starts with', () => {
  test('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion says Windows 10 Pro 22H2, build 19045', () => {
    const h = open(HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', KEY_READ);
    const name = query(h, 'ProductName', 64);
    expect(name).toMatchObject({ status: ERROR_SUCCESS, type: REG_SZ, size: 15 });
    expect(w.readStr(name.data)).toBe('Windows 10 Pro');
    expect(w.readStr(query(h, 'CurrentBuildNumber', 16).data)).toBe('19045');
    expect(w.readStr(query(h, 'CurrentBuild', 16).data)).toBe('19045');
    expect(w.readStr(query(h, 'CurrentVersion', 16).data)).toBe('6.3');
    expect(w.readStr(query(h, 'DisplayVersion', 16).data)).toBe('22H2');
    expect(w.readStr(query(h, 'ReleaseId', 16).data)).toBe('2009');
    expect(w.readStr(query(h, 'InstallationType', 16).data)).toBe('Client');
    expect(w.readStr(query(h, 'SystemRoot', 16).data)).toBe('C:\\Windows');
    const major = query(h, 'CurrentMajorVersionNumber', 4);
    expect(major).toMatchObject({ status: ERROR_SUCCESS, type: REG_DWORD, size: 4 });
    expect(w.u32(major.data)).toBe(10);
    const minor = query(h, 'CurrentMinorVersionNumber', 4);
    expect(w.u32(minor.data)).toBe(0);
    expect(w.adv('RegCloseKey', h)).toBe(ERROR_SUCCESS);
  });

  test('key and value names are case-insensitive and keep their case', () => {
    const h = open(HKEY_LOCAL_MACHINE, 'software\\MICROSOFT\\windows nt\\currentversion', KEY_READ);
    expect(w.readStr(query(h, 'productname', 64).data)).toBe('Windows 10 Pro');
    const name = w.buf(64);
    const cch = w.buf(4);
    // Find "CurrentVersion" among the subkeys of Windows NT: its stored spelling comes back.
    const nt = open(HKEY_LOCAL_MACHINE, 'SOFTWARE\\MICROSOFT\\WINDOWS NT', KEY_READ);
    w.cpu.mem.setU32(cch, 64);
    expect(w.adv('RegEnumKeyExA', nt, 0, name, cch, 0, 0, 0, 0)).toBe(ERROR_SUCCESS);
    expect(w.readStr(name)).toBe('CurrentVersion');
  });

  test('code pages, Program Files, the processor, the user locale', () => {
    const nls = open(HKEY_LOCAL_MACHINE, 'SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage', KEY_READ);
    expect(w.readStr(query(nls, 'ACP', 16).data)).toBe('1252');
    expect(w.readStr(query(nls, 'OEMCP', 16).data)).toBe('437');
    const cv = open(HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows\\CurrentVersion', KEY_READ);
    expect(w.readStr(query(cv, 'ProgramFilesDir', 64).data)).toBe('C:\\Program Files');
    expect(w.readStr(query(cv, 'CommonFilesDir', 64).data)).toBe('C:\\Program Files\\Common Files');
    const cpu = open(HKEY_LOCAL_MACHINE, 'HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0', KEY_READ);
    // CPUID of the emulated processor: vendor GenuineIntel, family 6 model 7 stepping 3, 1000 MHz.
    expect(w.readStr(query(cpu, 'Identifier', 64).data)).toBe('x86 Family 6 Model 7 Stepping 3');
    expect(w.readStr(query(cpu, 'VendorIdentifier', 64).data)).toBe('GenuineIntel');
    const mhz = query(cpu, '~MHz', 4);
    expect(mhz.type).toBe(REG_DWORD);
    expect(w.u32(mhz.data)).toBe(1000);
    expect(query(cpu, 'ProcessorNameString', 64).type).toBe(REG_SZ);
    const intl = open(HKEY_CURRENT_USER, 'Control Panel\\International', KEY_READ);
    expect(w.readStr(query(intl, 'sDecimal', 8).data)).toBe('.');
    expect(w.readStr(query(intl, 'sThousand', 8).data)).toBe(',');
    expect(w.readStr(query(intl, 'LocaleName', 16).data)).toBe('en-US');
  });

  test('HKCU\\Software exists and is empty; HKCU is the user key under HKEY_USERS', () => {
    const sw = open(HKEY_CURRENT_USER, 'Software', KEY_READ);
    const subkeys = w.buf(4);
    const values = w.buf(4);
    expect(w.adv('RegQueryInfoKeyA', sw, 0, 0, 0, subkeys, 0, 0, values, 0, 0, 0, 0)).toBe(ERROR_SUCCESS);
    expect([w.u32(subkeys), w.u32(values)]).toEqual([0, 0]);
    // A value written through HKCU is seen through HKEY_USERS\<the user's SID> (RegOpenCurrentUser).
    const k = create(HKEY_CURRENT_USER, 'Software\\Acme');
    expect(setA(k, 'v', REG_DWORD, [7, 0, 0, 0])).toBe(ERROR_SUCCESS);
    const cu = w.buf(4);
    expect(w.adv('RegOpenCurrentUser', KEY_READ, cu)).toBe(ERROR_SUCCESS);
    expect(w.u32(cu)).not.toBe(HKEY_CURRENT_USER);
    const viaUser = open(w.u32(cu), 'Software\\Acme', KEY_READ);
    expect(w.u32(query(viaUser, 'v', 4).data)).toBe(7);
    // And HKEY_USERS has .DEFAULT.
    expect(openA(HKEY_USERS, '.DEFAULT', KEY_READ)[0]).toBe(ERROR_SUCCESS);
  });

  test('HKEY_CLASSES_ROOT is HKLM\\SOFTWARE\\Classes; HKEY_CURRENT_CONFIG has Software and System', () => {
    const k = create(HKEY_CLASSES_ROOT, '.wowasm');
    expect(w.adv('RegSetValueA', k, 0, REG_SZ, w.str('wowasmfile'), 0)).toBe(ERROR_SUCCESS);
    const viaHklm = open(HKEY_LOCAL_MACHINE, 'SOFTWARE\\Classes\\.wowasm', KEY_READ);
    expect(w.readStr(query(viaHklm, '', 32).data)).toBe('wowasmfile');
    expect(openA(HKEY_CLASSES_ROOT, 'CLSID', KEY_READ)[0]).toBe(ERROR_SUCCESS);
    expect(openA(HKEY_CURRENT_CONFIG, 'Software', KEY_READ)[0]).toBe(ERROR_SUCCESS);
    expect(openA(HKEY_CURRENT_CONFIG, 'System', KEY_READ)[0]).toBe(ERROR_SUCCESS);
  });
});

describe('opening and creating keys', () => {
  test('RegOpenKeyEx: failures leave NULL, or nothing for a bad parent handle; NULL phkResult is refused', () => {
    expect(openA(HKEY_CURRENT_USER, 'Software\\Nonexistent')).toEqual([ERROR_FILE_NOT_FOUND, 0]);
    const ph = w.buf(4);
    w.cpu.mem.setU32(ph, 0x1234);
    expect(w.adv('RegOpenKeyExA', 0, w.str('Software'), 0, KEY_READ, ph)).toBe(ERROR_INVALID_HANDLE);
    expect(w.u32(ph)).toBe(0x1234);
    expect(w.adv('RegOpenKeyExA', 0x4321, w.str('Software'), 0, KEY_READ, ph)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegOpenKeyExA', HKEY_CURRENT_USER, w.str('Software'), 0, KEY_READ, 0)).toBe(ERROR_INVALID_PARAMETER);
    // A leading backslash is a bad path; trailing ones are fine.
    expect(openA(HKEY_CURRENT_USER, '\\Software')[0]).toBe(ERROR_BAD_PATHNAME);
    expect(openA(HKEY_CURRENT_USER, 'Software\\\\')[0]).toBe(ERROR_SUCCESS);
    // HKEY_CLASSES_ROOT alone takes a leading backslash (Windows 2000 and later).
    expect(openA(HKEY_CLASSES_ROOT, '\\CLSID', KEY_QUERY_VALUE)[0]).toBe(ERROR_SUCCESS);
  });

  test('an empty subkey: a predefined key comes back as itself, an opened one as a new handle', () => {
    expect(openA(HKEY_CURRENT_USER, null)).toEqual([ERROR_SUCCESS, HKEY_CURRENT_USER]);
    expect(openA(HKEY_CLASSES_ROOT, '')).toEqual([ERROR_SUCCESS, HKEY_CLASSES_ROOT]);
    const k = open(HKEY_CURRENT_USER, 'Software');
    const [r, again] = openA(k, '');
    expect(r).toBe(ERROR_SUCCESS);
    expect(again).not.toBe(k);
    expect(again).not.toBe(0);
    expect(w.adv('RegCloseKey', again)).toBe(ERROR_SUCCESS);
    // Opening the same key twice gives two handles.
    expect(open(HKEY_CURRENT_USER, 'Software')).not.toBe(k);
  });

  test('RegOpenKey: NULL or "" gives back the handle passed in, any handle', () => {
    const ph = w.buf(4);
    const k = open(HKEY_CURRENT_USER, 'Software');
    expect(w.adv('RegOpenKeyA', k, 0, ph)).toBe(ERROR_SUCCESS);
    expect(w.u32(ph)).toBe(k);
    expect(w.adv('RegOpenKeyA', k, w.str(''), ph)).toBe(ERROR_SUCCESS);
    expect(w.u32(ph)).toBe(k);
    w.cpu.mem.setU32(ph, 0x1234);
    expect(w.adv('RegOpenKeyA', 0, 0, ph)).toBe(ERROR_SUCCESS);
    expect(w.u32(ph)).toBe(0);
    expect(w.adv('RegOpenKeyA', HKEY_CURRENT_USER, w.str('Software'), 0)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegOpenKeyW', HKEY_CURRENT_USER, w.wstr('Control Panel\\International'), ph)).toBe(ERROR_SUCCESS);
    expect(w.u32(ph)).not.toBe(0);
  });

  test('RegCreateKeyEx creates missing keys along the path and reports the disposition', () => {
    const [r1, k1, d1] = createA(HKEY_CURRENT_USER, 'Software\\Acme\\Tool\\Settings', { cls: 'my class' });
    expect([r1, d1]).toEqual([ERROR_SUCCESS, REG_CREATED_NEW_KEY]);
    const [r2, k2, d2] = createA(HKEY_CURRENT_USER, 'software\\ACME\\tool\\settings');
    expect([r2, d2]).toEqual([ERROR_SUCCESS, REG_OPENED_EXISTING_KEY]);
    expect(k2).not.toBe(k1);
    expect(openA(HKEY_CURRENT_USER, 'Software\\Acme\\Tool')[0]).toBe(ERROR_SUCCESS);
    // The class is kept (RegQueryInfoKey reports it).
    const cls = w.buf(32);
    const len = w.buf(4);
    w.cpu.mem.setU32(len, 32);
    expect(w.adv('RegQueryInfoKeyA', k1, cls, len, 0, 0, 0, 0, 0, 0, 0, 0, 0)).toBe(ERROR_SUCCESS);
    expect([w.readStr(cls), w.u32(len)]).toEqual(['my class', 8]);
    // Reserved must be 0; a leading backslash is a bad path.
    expect(w.adv('RegCreateKeyExA', HKEY_CURRENT_USER, w.str('Software\\X'), 1, 0, 0, KEY_ALL_ACCESS, 0, w.buf(4), 0)).toBe(ERROR_INVALID_PARAMETER);
    expect(createA(HKEY_CURRENT_USER, '\\Software\\X')[0]).toBe(ERROR_BAD_PATHNAME);
  });

  test('the rights of the parent handle do not matter to RegCreateKeyEx', () => {
    const parent = open(HKEY_CURRENT_USER, 'Software', 0x10); // KEY_NOTIFY only
    expect(createA(parent, 'Child', { sam: KEY_SET_VALUE })[0]).toBe(ERROR_SUCCESS);
  });

  test('volatile keys: their subkeys must be volatile too', () => {
    const v = create(HKEY_CURRENT_USER, 'Software\\Volatile', { options: REG_OPTION_VOLATILE });
    expect(createA(v, 'Sub')[0]).toBe(ERROR_CHILD_MUST_BE_VOLATILE);
    expect(createA(v, 'Sub', { options: REG_OPTION_VOLATILE })[0]).toBe(ERROR_SUCCESS);
    // Once it exists, opening it through RegCreateKeyEx is fine whatever the options.
    expect(createA(v, 'Sub')).toEqual([ERROR_SUCCESS, expect.any(Number), REG_OPENED_EXISTING_KEY]);
  });

  test('no key can be created directly under HKEY_LOCAL_MACHINE or HKEY_USERS', () => {
    expect(createA(HKEY_LOCAL_MACHINE, 'Wowasm')[0]).toBe(ERROR_ACCESS_DENIED);
    expect(createA(HKEY_USERS, 'Wowasm')[0]).toBe(ERROR_ACCESS_DENIED);
    expect(createA(HKEY_LOCAL_MACHINE, 'SOFTWARE\\Wowasm')[0]).toBe(ERROR_SUCCESS);
  });

  test('RegCreateKey: a predefined key with no subkey comes back as itself', () => {
    const ph = w.buf(4);
    expect(w.adv('RegCreateKeyA', HKEY_CURRENT_USER, 0, ph)).toBe(ERROR_SUCCESS);
    expect(w.u32(ph)).toBe(HKEY_CURRENT_USER);
    expect(w.adv('RegCreateKeyW', HKEY_CURRENT_USER, w.wstr('Software\\Wide'), ph)).toBe(ERROR_SUCCESS);
    expect(openA(HKEY_CURRENT_USER, 'Software\\Wide')[0]).toBe(ERROR_SUCCESS);
  });

  test('RegCloseKey: predefined keys close fine; a closed or unknown handle is invalid', () => {
    const k = open(HKEY_CURRENT_USER, 'Software');
    expect(w.adv('RegCloseKey', k)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegCloseKey', k)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegCloseKey', 0)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegCloseKey', HKEY_LOCAL_MACHINE)).toBe(ERROR_SUCCESS);
    // A closed handle no longer works.
    expect(query(k, 'x', 4).status).toBe(ERROR_INVALID_HANDLE);
  });

  test('access rights: a key opened for reading cannot be written, one opened with no rights cannot be read', () => {
    create(HKEY_CURRENT_USER, 'Software\\Acme');
    const ro = open(HKEY_CURRENT_USER, 'Software\\Acme', KEY_READ);
    expect(setA(ro, 'v', REG_DWORD, [1, 0, 0, 0])).toBe(ERROR_ACCESS_DENIED);
    expect(w.adv('RegDeleteValueA', ro, w.str('v'))).toBe(ERROR_ACCESS_DENIED);
    const none = open(HKEY_CURRENT_USER, 'Software\\Acme', 0);
    expect(query(none, 'v', 4).status).toBe(ERROR_ACCESS_DENIED);
    const qv = open(HKEY_CURRENT_USER, 'Software\\Acme', KEY_QUERY_VALUE);
    expect(w.adv('RegEnumKeyA', qv, 0, w.buf(16), 16)).toBe(ERROR_ACCESS_DENIED);
    const en = open(HKEY_CURRENT_USER, 'Software', KEY_ENUMERATE_SUB_KEYS);
    expect(w.adv('RegEnumKeyA', en, 0, w.buf(16), 16)).toBe(ERROR_SUCCESS);
  });
});

describe('values', () => {
  let k: number;
  beforeEach(() => {
    k = create(HKEY_CURRENT_USER, 'Software\\Wine\\Test');
  });

  test('REG_SZ through the ANSI functions is stored as UTF-16 with its NUL', () => {
    expect(setA(k, 'CleanSingleString', REG_SZ, ascii('ThisNeverBreaks\0'))).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'CleanSingleString')).toEqual({ status: ERROR_SUCCESS, type: REG_SZ, size: 16 });
    expect(sizeOf(k, 'CleanSingleString', true)).toEqual({ status: ERROR_SUCCESS, type: REG_SZ, size: 32 });
    const a = query(k, 'CleanSingleString', 16);
    expect(a.bytes.slice(0, 17)).toEqual([...ascii('ThisNeverBreaks\0'), 0xbd]);
    const wide = query(k, 'CleanSingleString', 32, true);
    expect(wide.bytes.slice(0, 34)).toEqual([...utf16('ThisNeverBreaks\0'), 0xbd, 0xbd]);
  });

  test('NT adds the NUL a caller forgot to count, but not one that is not there', () => {
    // Off by one: the NUL follows in memory, so it is stored.
    expect(setA(k, 'stringtest', REG_SZ, ascii('FullString\0'), 10)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'stringtest')).toMatchObject({ size: 11 });
    const short = query(k, 'stringtest', 10);
    expect([short.status, short.size]).toEqual([ERROR_MORE_DATA, 11]);
    // Off by two: stored without a NUL; the ANSI query returns exactly those bytes...
    expect(setA(k, 'stringtest', REG_SZ, ascii('FullString\0'), 9)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'stringtest')).toMatchObject({ size: 9 });
    const exact = query(k, 'stringtest', 9);
    expect([exact.status, exact.size]).toEqual([ERROR_SUCCESS, 9]);
    expect(exact.bytes.slice(0, 10)).toEqual([...ascii('FullStrin'), 0xbd]);
    // ...and adds a NUL when there is room, still reporting 9 bytes.
    const room = query(k, 'stringtest', 10);
    expect([room.status, room.size]).toEqual([ERROR_SUCCESS, 9]);
    expect(room.bytes.slice(0, 10)).toEqual([...ascii('FullStrin'), 0]);
    // The wide query never terminates it.
    const wide = query(k, 'stringtest', 20, true);
    expect([wide.status, wide.size]).toEqual([ERROR_SUCCESS, 18]);
    expect(wide.bytes.slice(18, 20)).toEqual([0xbd, 0xbd]);
  });

  test('a zero-byte string, an empty one, one with NULs inside', () => {
    expect(setA(k, 'zero', REG_SZ, [0], 0)).toBe(ERROR_SUCCESS);
    const zero = query(k, 'zero', 8);
    expect([zero.status, zero.type, zero.size, zero.bytes[0]]).toEqual([ERROR_SUCCESS, REG_SZ, 0, 0xbd]);
    expect(setA(k, 'empty', REG_SZ, [0], 1)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'empty', true)).toMatchObject({ size: 2 });
    const inner = ascii('This\0Breaks\0\0A\0\0\0Lot\0\0\0\0\0');
    expect(setA(k, 'SomeIntraZeroedString', REG_SZ, inner)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'SomeIntraZeroedString')).toMatchObject({ size: inner.length });
    expect(sizeOf(k, 'SomeIntraZeroedString', true)).toMatchObject({ size: 2 * inner.length });
    expect(query(k, 'SomeIntraZeroedString', inner.length).bytes.slice(0, inner.length)).toEqual(inner);
  });

  test('ANSI strings go through code page 1252 both ways', () => {
    // "café €": é is 0xE9 and € is 0x80 in Windows-1252 (U+00E9, U+20AC).
    expect(setA(k, 'text', REG_SZ, [0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0])).toBe(ERROR_SUCCESS);
    const wide = query(k, 'text', 14, true);
    expect(wide.size).toBe(14);
    expect(w.readWStr(wide.data)).toBe('café €');
    // A character 1252 lacks comes back as '?'.
    const v = w.wstr('Ω');
    expect(w.adv('RegSetValueExW', k, w.wstr('omega'), 0, REG_SZ, v, 4)).toBe(ERROR_SUCCESS);
    expect(query(k, 'omega', 4).bytes.slice(0, 2)).toEqual([0x3f, 0]);
  });

  test('REG_MULTI_SZ and REG_EXPAND_SZ are converted too; other types are stored as given', () => {
    expect(setA(k, 'multi', REG_MULTI_SZ, ascii('ab\0c\0\0'))).toBe(ERROR_SUCCESS);
    const m = query(k, 'multi', 12, true);
    expect([m.type, m.size]).toEqual([REG_MULTI_SZ, 12]);
    expect(m.bytes.slice(0, 12)).toEqual(utf16('ab\0c\0\0'));
    expect(setA(k, 'path', REG_EXPAND_SZ, ascii('%TEMP%\\x\0'))).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'path', true)).toEqual({ status: ERROR_SUCCESS, type: REG_EXPAND_SZ, size: 18 });
    expect(setA(k, 'bin', REG_BINARY, [0x78, 0x56, 0x34, 0x12, 0x21, 0x43, 0x65, 0x87])).toBe(ERROR_SUCCESS);
    expect(query(k, 'bin', 8, true)).toMatchObject({ type: REG_BINARY, size: 8 });
    expect(setA(k, 'q', REG_QWORD, [1, 2, 3, 4, 5, 6, 7, 8])).toBe(ERROR_SUCCESS);
    const q = query(k, 'q', 8);
    expect(w.cpu.mem.u64(q.data)).toBe(0x0807_0605_0403_0201n);
    // The registry does not check sizes: a two-byte "REG_DWORD" stays two bytes.
    expect(setA(k, 'liar', REG_DWORD, [1, 2])).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'liar')).toEqual({ status: ERROR_SUCCESS, type: REG_DWORD, size: 2 });
  });

  test('queries: a short buffer gives ERROR_MORE_DATA and the size needed; a missing value ERROR_FILE_NOT_FOUND', () => {
    expect(setA(k, 'DWORD', REG_DWORD, [0x78, 0x56, 0x34, 0x12])).toBe(ERROR_SUCCESS);
    expect(query(k, 'DWORD', 3)).toMatchObject({ status: ERROR_MORE_DATA, type: REG_DWORD, size: 4 });
    // A missing value: the size becomes 0 for a size query, and stays as it was with a buffer.
    expect(sizeOf(k, 'Nonexistent Value')).toMatchObject({ status: ERROR_FILE_NOT_FOUND, size: 0 });
    expect(query(k, 'Nonexistent Value', 10)).toMatchObject({ status: ERROR_FILE_NOT_FOUND, size: 10, type: 0xdead_beef });
    // lpData without lpcbData is invalid; neither is fine (does the value exist?).
    expect(w.adv('RegQueryValueExA', k, w.str('DWORD'), 0, 0, w.buf(4), 0)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegQueryValueExA', k, w.str('DWORD'), 0, 0, 0, 0)).toBe(ERROR_SUCCESS);
    // lpType and lpcbData may be the same variable.
    const both = w.buf(4);
    w.cpu.mem.setU32(both, 4);
    expect(w.adv('RegQueryValueExA', k, w.str('DWORD'), 0, both, w.buf(4), both)).toBe(ERROR_SUCCESS);
  });

  test('RegSetValueEx refuses data it cannot read (ERROR_NOACCESS), but not a NULL of length 0', () => {
    expect(w.adv('RegSetValueExW', k, 0, 0, REG_SZ, 0, 4)).toBe(ERROR_NOACCESS);
    expect(w.adv('RegSetValueExW', k, 0, 0, REG_DWORD, 1, 1)).toBe(ERROR_NOACCESS);
    expect(w.adv('RegSetValueExW', k, 0, 0, REG_DWORD, 0, 0)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, '')).toEqual({ status: ERROR_SUCCESS, type: REG_DWORD, size: 0 });
  });

  test('the default value: NULL and "" name it', () => {
    expect(setA(k, '', REG_SZ, ascii('value\0'))).toBe(ERROR_SUCCESS);
    expect(w.readStr(query(k, null, 8).data)).toBe('value');
    expect(w.adv('RegDeleteValueA', k, 0)).toBe(ERROR_SUCCESS);
    expect(query(k, '', 8).status).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('RegDeleteValue and RegDeleteKeyValue', () => {
    expect(setA(k, 'test', REG_SZ, ascii('value\0'))).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteValueA', k, w.str('TEST'))).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteValueA', k, w.str('test'))).toBe(ERROR_FILE_NOT_FOUND);
    const sub = create(k, 'Subkey1');
    expect(setA(sub, 'test', REG_SZ, ascii('value\0'))).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteKeyValueA', 0, 0, 0)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegDeleteKeyValueA', k, 0, 0)).toBe(ERROR_FILE_NOT_FOUND);
    expect(w.adv('RegDeleteKeyValueA', k, w.str('Subkey1'), w.str('test'))).toBe(ERROR_SUCCESS);
    expect(query(sub, 'test', 8).status).toBe(ERROR_FILE_NOT_FOUND);
  });

  test('RegSetValue/RegQueryValue: the default value of a subkey, REG_SZ only, size ignored', () => {
    expect(w.adv('RegSetValueA', k, w.str('subkey'), REG_SZ, w.str('data'), 2)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegSetValueA', k, 0, REG_BINARY, w.str('data'), 4)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegSetValueA', k, 0, REG_SZ, 0, 0)).toBe(ERROR_INVALID_PARAMETER);
    const val = w.buf(16);
    const size = w.buf(4);
    w.cpu.mem.setU32(size, 16);
    expect(w.adv('RegQueryValueA', k, w.str('subkey'), val, size)).toBe(ERROR_SUCCESS);
    expect([w.readStr(val), w.u32(size)]).toEqual(['data', 5]);
    // Too small: ERROR_MORE_DATA, the buffer untouched.
    w.cpu.mem.setU8(val, 0);
    w.cpu.mem.setU32(size, 1);
    expect(w.adv('RegQueryValueA', k, w.str('subkey'), val, size)).toBe(ERROR_MORE_DATA);
    expect([w.cpu.mem.u8(val), w.u32(size)]).toEqual([0, 5]);
    expect(w.adv('RegQueryValueA', k, w.str('subkey'), val, 0)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegQueryValueA', k, w.str('subkey'), 0, 0)).toBe(ERROR_SUCCESS);
    // The wide function counts bytes: 5 is too small for L"data".
    const valW = w.buf(16);
    w.cpu.mem.setU32(size, 5);
    expect(w.adv('RegQueryValueW', k, w.wstr('subkey'), valW, size)).toBe(ERROR_MORE_DATA);
    expect(w.u32(size)).toBe(10);
    // A key without a default value reads as the empty string.
    create(k, 'nodefault');
    w.cpu.mem.setU32(size, 16);
    w.cpu.mem.setU8(val, 0x55);
    expect(w.adv('RegQueryValueA', k, w.str('nodefault'), val, size)).toBe(ERROR_SUCCESS);
    expect([w.cpu.mem.u8(val), w.u32(size)]).toEqual([0, 1]);
    expect(w.adv('RegQueryValueA', 0xcafe_babe, w.str('subkey'), val, size)).toBe(ERROR_INVALID_HANDLE);
  });

  test('RegSetKeyValue writes into a subkey, creating it', () => {
    const data = w.wstr('x');
    expect(w.adv('RegSetKeyValueW', k, w.wstr('made\\here'), w.wstr('n'), REG_SZ, data, 4)).toBe(ERROR_SUCCESS);
    const sub = open(k, 'made\\here', KEY_READ);
    expect(sizeOf(sub, 'n', true)).toEqual({ status: ERROR_SUCCESS, type: REG_SZ, size: 4 });
    expect(w.adv('RegSetKeyValueW', k, w.wstr('made'), w.wstr('n'), REG_DWORD, 0, 4)).toBe(ERROR_NOACCESS);
  });
});

describe('RegGetValue', () => {
  let k: number;
  const get = (flags: number, name: string, capacity: number, opts: { wide?: boolean; sub?: string } = {}) => {
    const type = w.buf(4);
    const size = w.buf(4);
    const data = w.buf(capacity + 8);
    w.cpu.mem.fill(data, 0xbd, capacity + 8);
    w.cpu.mem.setU32(type, 0xdead_beef);
    w.cpu.mem.setU32(size, capacity);
    const s = (x: string) => (opts.wide ? w.wstr(x) : w.str(x));
    const status = w.adv(opts.wide ? 'RegGetValueW' : 'RegGetValueA', opts.sub === undefined ? k : HKEY_CURRENT_USER, opts.sub === undefined ? 0 : s(opts.sub), s(name), flags, type, data, size);
    return { status, type: w.u32(type), size: w.u32(size), data, bytes: Array.from(w.cpu.mem.read(data, capacity + 8)) };
  };
  beforeEach(() => {
    k = create(HKEY_CURRENT_USER, 'Software\\Wine\\Test');
    w.p.env.set('FOO', { name: 'FOO', value: 'ImARatherLongButIndeedNeededString' });
    setA(k, 'DWORD', REG_DWORD, [0x78, 0x56, 0x34, 0x12]);
    setA(k, 'BIN32', REG_BINARY, [0x78, 0x56, 0x34, 0x12]);
    setA(k, 'BIN64', REG_BINARY, [0x78, 0x56, 0x34, 0x12, 0x21, 0x43, 0x65, 0x87]);
    setA(k, 'TP1_SZ', REG_SZ, ascii('%FOO%\\subdir1\0'));
    setA(k, 'TP2_EXP_SZ', REG_EXPAND_SZ, ascii('%FOO%\\subdir1\0'));
  });

  test('a type filter that matches returns the data; pvData without pcbData is invalid', () => {
    expect(w.adv('RegGetValueA', k, 0, w.str('DWORD'), RRF_RT_REG_DWORD, w.buf(4), w.buf(4), 0)).toBe(ERROR_INVALID_PARAMETER);
    const dw = get(RRF_RT_REG_DWORD, 'DWORD', 4);
    expect([dw.status, dw.type, dw.size, w.u32(dw.data)]).toEqual([ERROR_SUCCESS, REG_DWORD, 4, 0x1234_5678]);
    expect(get(RRF_RT_DWORD, 'DWORD', 4).status).toBe(ERROR_SUCCESS);
    // By subkey name, with everything else NULL.
    expect(w.adv('RegGetValueA', HKEY_CURRENT_USER, w.str('Software\\Wine\\Test'), w.str('DWORD'), RRF_RT_REG_DWORD, 0, 0, 0)).toBe(ERROR_SUCCESS);
  });

  test('a type the filter excludes: ERROR_UNSUPPORTED_TYPE, yet the data was read (zeroed with RRF_ZEROONFAILURE)', () => {
    const r = get(RRF_RT_REG_BINARY, 'DWORD', 4);
    expect([r.status, r.size, r.type, w.u32(r.data)]).toEqual([ERROR_UNSUPPORTED_TYPE, 4, REG_DWORD, 0x1234_5678]);
    const z = get(RRF_RT_REG_SZ | RRF_ZEROONFAILURE, 'DWORD', 4);
    expect([z.status, z.size, z.type, w.u32(z.data)]).toEqual([ERROR_UNSUPPORTED_TYPE, 4, REG_DWORD, 0]);
  });

  test('RRF_RT_DWORD and RRF_RT_QWORD take REG_BINARY of exactly 4 and 8 bytes', () => {
    const b32 = get(RRF_RT_DWORD, 'BIN32', 4);
    expect([b32.status, b32.type, b32.size, w.u32(b32.data)]).toEqual([ERROR_SUCCESS, REG_BINARY, 4, 0x1234_5678]);
    const b64 = get(RRF_RT_DWORD, 'BIN64', 8);
    expect([b64.status, b64.size, b64.type]).toEqual([ERROR_DATATYPE_MISMATCH, 8, REG_BINARY]);
    expect(w.cpu.mem.u64(b64.data)).toBe(0x8765_4321_1234_5678n);
    const q = get(RRF_RT_QWORD, 'BIN64', 8);
    expect([q.status, q.size]).toEqual([ERROR_SUCCESS, 8]);
    const short = get(RRF_RT_REG_BINARY, 'BIN64', 4);
    expect([short.status, short.size, short.bytes.slice(0, 4)]).toEqual([ERROR_MORE_DATA, 8, [0xbd, 0xbd, 0xbd, 0xbd]]);
  });

  test('REG_EXPAND_SZ is expanded into a REG_SZ unless RRF_NOEXPAND', () => {
    const e = get(RRF_RT_REG_SZ, 'TP2_EXP_SZ', 80);
    expect([e.status, e.type, w.readStr(e.data)]).toEqual([ERROR_SUCCESS, REG_SZ, 'ImARatherLongButIndeedNeededString\\subdir1']);
    expect(e.size).toBe('ImARatherLongButIndeedNeededString\\subdir1'.length + 1);
    const any = get(RRF_RT_ANY, 'TP2_EXP_SZ', 80);
    expect([any.status, any.type]).toEqual([ERROR_SUCCESS, REG_SZ]);
    const raw = get(RRF_RT_REG_EXPAND_SZ | RRF_NOEXPAND, 'TP2_EXP_SZ', 80);
    expect([raw.status, raw.type, raw.size, w.readStr(raw.data)]).toEqual([ERROR_SUCCESS, REG_EXPAND_SZ, 14, '%FOO%\\subdir1']);
    expect(get(RRF_RT_REG_SZ | RRF_NOEXPAND, 'TP2_EXP_SZ', 80).status).toBe(ERROR_UNSUPPORTED_TYPE);
    // A REG_SZ is never expanded.
    expect(w.readStr(get(RRF_RT_REG_SZ, 'TP1_SZ', 80).data)).toBe('%FOO%\\subdir1');
    // A variable that is not defined stays as it is.
    setA(k, 'undef', REG_EXPAND_SZ, ascii('%NOT_DEFINED_HERE%\\x\0'));
    expect(w.readStr(get(RRF_RT_REG_SZ, 'undef', 80).data)).toBe('%NOT_DEFINED_HERE%\\x');
  });

  test('the wide function always returns terminated strings; its size query allows for the terminator', () => {
    expect(w.adv('RegSetValueExW', k, w.wstr('Test'), 0, REG_SZ, w.wstr('abcde'), 12)).toBe(ERROR_SUCCESS);
    const sizeQuery = w.buf(4);
    expect(w.adv('RegGetValueW', k, 0, w.wstr('Test'), RRF_RT_REG_SZ, 0, 0, sizeQuery)).toBe(ERROR_SUCCESS);
    expect(w.u32(sizeQuery)).toBe(14);
    const full = get(RRF_RT_REG_SZ, 'Test', 14, { wide: true });
    expect([full.status, full.size, w.readWStr(full.data)]).toEqual([ERROR_SUCCESS, 12, 'abcde']);
    // Stored without its NUL (10 bytes): RegGetValueW adds it.
    expect(w.adv('RegSetValueExW', k, w.wstr('Bare'), 0, REG_SZ, w.wstr('abcde\0zz'), 10)).toBe(ERROR_SUCCESS);
    const bare = get(RRF_RT_REG_SZ, 'Bare', 12, { wide: true });
    expect([bare.status, bare.size, bare.bytes.slice(0, 14)]).toEqual([ERROR_SUCCESS, 12, [...utf16('abcde\0'), 0xbd, 0xbd]]);
    expect(get(RRF_RT_REG_SZ, 'Bare', 10, { wide: true })).toMatchObject({ status: ERROR_MORE_DATA, size: 12 });
  });

  test('missing values and keys', () => {
    expect(get(RRF_RT_ANY, 'nope', 4).status).toBe(ERROR_FILE_NOT_FOUND);
    expect(get(RRF_RT_ANY, 'x', 4, { sub: 'Software\\Nope' }).status).toBe(ERROR_FILE_NOT_FOUND);
    expect(w.adv('RegGetValueA', k, 0, w.str('DWORD'), 0, 0, 0, 0)).toBe(ERROR_INVALID_PARAMETER);
  });
});

describe('enumeration and key information', () => {
  test('subkeys come sorted case-insensitively; ERROR_NO_MORE_ITEMS after the last', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Enum');
    for (const n of ['b', 'A', 'c', 'B2']) create(k, n);
    const names: string[] = [];
    const name = w.buf(16);
    for (let i = 0; ; i++) {
      const r = w.adv('RegEnumKeyA', k, i, name, 16);
      if (r === ERROR_NO_MORE_ITEMS) break;
      expect(r).toBe(ERROR_SUCCESS);
      names.push(w.readStr(name));
    }
    expect(names).toEqual(['A', 'b', 'B2', 'c']);
    // RegEnumKeyEx: the count is in characters with the NUL going in, without it coming out.
    const cch = w.buf(4);
    w.cpu.mem.setU32(cch, 2);
    expect(w.adv('RegEnumKeyExW', k, 2, name, cch, 0, 0, 0, 0)).toBe(ERROR_MORE_DATA);
    expect(w.u32(cch)).toBe(2);
    w.cpu.mem.setU32(cch, 3);
    const ft = w.buf(8);
    expect(w.adv('RegEnumKeyExW', k, 2, name, cch, 0, 0, 0, ft)).toBe(ERROR_SUCCESS);
    expect([w.readWStr(name), w.u32(cch)]).toEqual(['B2', 2]);
    // A FILETIME of now, give or take: after 2020-01-01 (0x01D5C03669E0C000).
    expect(w.cpu.mem.u64(ft)).toBeGreaterThan(0x01d5_c036_69e0_c000n);
    expect(w.adv('RegEnumKeyExA', k, 4, name, cch, 0, 0, 0, 0)).toBe(ERROR_NO_MORE_ITEMS);
    expect(w.adv('RegEnumKeyExA', k, 0, name, cch, 1, 0, 0, 0)).toBe(ERROR_INVALID_PARAMETER);
  });

  test('values come in the order they were first set', () => {
    const k = create(HKEY_CURRENT_USER, 'test_rw_order');
    for (const n of ['A', 'C', 'D', 'B']) expect(setA(k, n, REG_DWORD, [0, 0, 0, 0])).toBe(ERROR_SUCCESS);
    expect(setA(k, 'C', REG_DWORD, [1, 0, 0, 0])).toBe(ERROR_SUCCESS); // overwriting keeps the place
    const names: string[] = [];
    const name = w.buf(4);
    const len = w.buf(4);
    for (let i = 0; i < 4; i++) {
      w.cpu.mem.setU32(len, 2);
      expect(w.adv('RegEnumValueA', k, i, name, len, 0, 0, 0, 0)).toBe(ERROR_SUCCESS);
      names.push(w.readStr(name));
    }
    expect(names).toEqual(['A', 'C', 'D', 'B']);
    w.cpu.mem.setU32(len, 2);
    expect(w.adv('RegEnumValueA', k, 4, name, len, 0, 0, 0, 0)).toBe(ERROR_NO_MORE_ITEMS);
  });

  describe('RegEnumValue with buffers too small', () => {
    let k: number;
    const enumValue = (wide: boolean, nameCount: number, dataCount: number, nullName = false) => {
      const name = w.buf(40);
      const data = w.buf(40);
      const fill = wide ? utf16('xxxxxxxxxx\0') : ascii('xxxxxxxxxx\0');
      w.cpu.mem.write(name, Uint8Array.from(fill));
      w.cpu.mem.write(data, Uint8Array.from(fill));
      const vc = w.buf(4);
      const dc = w.buf(4);
      const type = w.buf(4);
      w.cpu.mem.setU32(vc, nameCount);
      w.cpu.mem.setU32(dc, dataCount);
      w.cpu.mem.setU32(type, 1234);
      const status = w.adv(wide ? 'RegEnumValueW' : 'RegEnumValueA', k, 0, nullName ? 0 : name, vc, 0, type, data, dc);
      const str = (a: number) => (wide ? w.readWStr(a) : w.readStr(a));
      return { status, valCount: w.u32(vc), dataCount: w.u32(dc), type: w.u32(type), name: str(name), data: str(data) };
    };
    beforeEach(() => {
      k = create(HKEY_CURRENT_USER, 'Software\\Wine\\Test\\TestKey');
      expect(setA(k, 'Test', REG_SZ, ascii('foobar\0'))).toBe(ERROR_SUCCESS);
    });

    test('ANSI', () => {
      expect(enumValue(false, 20, 20)).toEqual({ status: ERROR_SUCCESS, valCount: 4, dataCount: 7, type: REG_SZ, name: 'Test', data: 'foobar' });
      expect(enumValue(false, 2, 2)).toEqual({ status: ERROR_MORE_DATA, valCount: 2, dataCount: 7, type: REG_SZ, name: 'xxxxxxxxxx', data: 'xxxxxxxxxx' });
      expect(enumValue(false, 20, 2)).toEqual({ status: ERROR_MORE_DATA, valCount: 20, dataCount: 7, type: REG_SZ, name: 'xxxxxxxxxx', data: 'xxxxxxxxxx' });
      const shortName = enumValue(false, 3, 20);
      expect([shortName.status, shortName.valCount, shortName.dataCount, shortName.type]).toEqual([ERROR_MORE_DATA, 3, 7, REG_SZ]);
      expect(['Te', 'xxxxxxxxxx']).toContain(shortName.name);
      expect(enumValue(false, 0, 20)).toMatchObject({ status: ERROR_MORE_DATA, valCount: 0, dataCount: 7, name: 'xxxxxxxxxx' });
      expect(enumValue(false, 20, 20, true).status).toBe(ERROR_INVALID_PARAMETER);
    });

    test('wide', () => {
      expect(w.adv('RegSetValueExW', k, w.wstr('Test'), 0, REG_SZ, w.wstr('foobar'), 14)).toBe(ERROR_SUCCESS);
      expect(enumValue(true, 20, 20)).toEqual({ status: ERROR_SUCCESS, valCount: 4, dataCount: 14, type: REG_SZ, name: 'Test', data: 'foobar' });
      expect(enumValue(true, 2, 2)).toEqual({ status: ERROR_MORE_DATA, valCount: 2, dataCount: 14, type: REG_SZ, name: 'xxxxxxxxxx', data: 'xxxxxxxxxx' });
      expect(enumValue(true, 3, 20)).toEqual({ status: ERROR_MORE_DATA, valCount: 3, dataCount: 14, type: REG_SZ, name: 'xxxxxxxxxx', data: 'xxxxxxxxxx' });
      expect(enumValue(true, 20, 2)).toEqual({ status: ERROR_MORE_DATA, valCount: 4, dataCount: 14, type: REG_SZ, name: 'Test', data: 'xxxxxxxxxx' });
    });

    test('data of zero bytes, and no data buffer', () => {
      expect(setA(k, 'Test', REG_BINARY, [0], 0)).toBe(ERROR_SUCCESS);
      expect(enumValue(false, 20, 20)).toEqual({ status: ERROR_SUCCESS, valCount: 4, dataCount: 0, type: REG_BINARY, name: 'Test', data: 'xxxxxxxxxx' });
    });
  });

  test('RegQueryInfoKey: counts, longest names and data, class', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Info\\subkey', { cls: 'subkey class' });
    const out = () => Array.from({ length: 8 }, () => w.buf(4));
    const info = (wide: boolean) => {
      const [classlen, subkeys, maxsub, maxclass, values, maxname, maxvalue, sd] = out() as [number, number, number, number, number, number, number, number];
      const ft = w.buf(8);
      const r = w.adv(wide ? 'RegQueryInfoKeyW' : 'RegQueryInfoKeyA', k, 0, classlen, 0, subkeys, maxsub, maxclass, values, maxname, maxvalue, sd, ft);
      return { r, classlen: w.u32(classlen), subkeys: w.u32(subkeys), maxsub: w.u32(maxsub), maxclass: w.u32(maxclass), values: w.u32(values), maxname: w.u32(maxname), maxvalue: w.u32(maxvalue), ft: w.cpu.mem.u64(ft) };
    };
    expect(info(false)).toMatchObject({ r: ERROR_SUCCESS, classlen: 12, subkeys: 0, maxsub: 0, maxclass: 0, values: 0, maxname: 0, maxvalue: 0 });
    expect(info(false).ft).toBeGreaterThan(0n);
    create(k, 'subsubkey', { cls: 'subsubkey class' });
    expect(setA(k, null, REG_SZ, ascii('data\0'))).toBe(ERROR_SUCCESS);
    expect(info(true)).toMatchObject({ classlen: 12, subkeys: 1, maxsub: 9, maxclass: 15, values: 1, maxname: 0, maxvalue: 10 });
    expect(setA(k, 'value one', REG_SZ, ascii('first value data\0'))).toBe(ERROR_SUCCESS);
    expect(setA(k, 'value 2', REG_SZ, ascii('second value data\0'))).toBe(ERROR_SUCCESS);
    // The longest data in bytes as stored (UTF-16), for the ANSI function too.
    expect(info(false)).toMatchObject({ values: 3, maxname: 9, maxvalue: 36 });
    expect(w.adv('RegQueryInfoKeyA', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegQueryInfoKeyA', k, w.buf(8), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)).toBe(ERROR_INVALID_PARAMETER);
  });

  test('RegQueryInfoKey: a class buffer too small', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Info\\subkey', { cls: 'subkey class' });
    const cls = w.buf(32);
    const len = w.buf(4);
    const withLength = (wide: boolean, n: number) => {
      w.cpu.mem.fill(cls, 0x55, 32);
      w.cpu.mem.setU32(len, n);
      const r = w.adv(wide ? 'RegQueryInfoKeyW' : 'RegQueryInfoKeyA', k, cls, len, 0, 0, 0, 0, 0, 0, 0, 0, 0);
      return [r, w.u32(len), Array.from(w.cpu.mem.read(cls, 14))];
    };
    const untouched = Array(14).fill(0x55);
    expect(withLength(false, 0)).toEqual([ERROR_SUCCESS, 0, untouched]);
    expect(withLength(false, 1)).toEqual([ERROR_MORE_DATA, 0, [0, ...Array(13).fill(0x55)]]);
    expect(withLength(false, 12)).toEqual([ERROR_MORE_DATA, 11, [...ascii('subkey clas\0'), 0x55, 0x55]]);
    expect(withLength(false, 13)).toEqual([ERROR_SUCCESS, 12, [...ascii('subkey class\0'), 0x55]]);
    expect(withLength(true, 12)).toEqual([ERROR_INSUFFICIENT_BUFFER, 12, untouched]);
    const wide = withLength(true, 13);
    expect([wide[0], wide[1]]).toEqual([ERROR_SUCCESS, 12]);
    expect(w.readWStr(cls)).toBe('subkey class');
  });
});

describe('deleting keys', () => {
  test('RegDeleteKey: a key with subkeys cannot be deleted; "" deletes the key itself; NULL is invalid', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Del\\a\\b');
    const parent = open(HKEY_CURRENT_USER, 'Software\\Del');
    expect(w.adv('RegDeleteKeyA', parent, w.str('a'))).toBe(ERROR_ACCESS_DENIED);
    expect(w.adv('RegDeleteKeyA', parent, 0)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegDeleteKeyA', k, w.str(''))).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteKeyW', parent, w.wstr('A'))).toBe(ERROR_SUCCESS);
    expect(openA(parent, 'a')[0]).toBe(ERROR_FILE_NOT_FOUND);
    expect(w.adv('RegDeleteKeyExA', parent, w.str('a'), 0x100, 0)).toBe(ERROR_FILE_NOT_FOUND);
    // Deleting needs DELETE access on the handle for "".
    create(HKEY_CURRENT_USER, 'Software\\Del\\c');
    const ro = open(HKEY_CURRENT_USER, 'Software\\Del\\c', KEY_READ);
    expect(w.adv('RegDeleteKeyA', ro, w.str(''))).toBe(ERROR_ACCESS_DENIED);
    // Hive roots stay.
    expect(w.adv('RegDeleteKeyA', HKEY_LOCAL_MACHINE, w.str('SOFTWARE\\Classes'))).toBe(ERROR_ACCESS_DENIED);
  });

  test('handles to a deleted key answer ERROR_KEY_DELETED', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Wine\\Test');
    const other = open(HKEY_CURRENT_USER, 'Software\\Wine\\Test');
    expect(w.adv('RegDeleteKeyA', k, w.str(''))).toBe(ERROR_SUCCESS);
    const len = w.buf(4);
    w.cpu.mem.setU32(len, 20);
    expect(w.adv('RegEnumValueA', other, 0, w.buf(20), len, 0, 0, 0, 0)).toBe(ERROR_KEY_DELETED);
    expect(w.adv('RegEnumKeyA', other, 0, w.buf(20), 20)).toBe(ERROR_KEY_DELETED);
    expect(query(other, 'test', 8).status).toBe(ERROR_KEY_DELETED);
    expect(setA(other, 'test', REG_SZ, ascii('value\0'))).toBe(ERROR_KEY_DELETED);
    expect(openA(other, 'test')[0]).toBe(ERROR_KEY_DELETED);
    expect(createA(other, 'test')[0]).toBe(ERROR_KEY_DELETED);
    expect(w.adv('RegFlushKey', other)).toBe(ERROR_KEY_DELETED);
    expect(w.adv('RegCloseKey', other)).toBe(ERROR_SUCCESS);
  });

  test('RegDeleteTree: a subkey with everything under it, or everything under a key', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\Tree\\subkey');
    create(k, 'subkey2\\deeper');
    w.adv('RegSetValueA', k, 0, REG_SZ, w.str('data'), 4);
    const root = open(HKEY_CURRENT_USER, 'Software\\Tree');
    expect(w.adv('RegDeleteTreeA', root, w.str('subkey\\subkey2'))).toBe(ERROR_SUCCESS);
    expect(openA(k, 'subkey2')[0]).toBe(ERROR_FILE_NOT_FOUND);
    expect(query(k, '', 8).status).toBe(ERROR_SUCCESS);
    // With no subkey: values and subkeys go, the key stays.
    create(k, 'subkey3');
    setA(k, 'value', REG_SZ, ascii('data2\0'));
    expect(w.adv('RegDeleteTreeA', k, 0)).toBe(ERROR_SUCCESS);
    expect(openA(root, 'subkey')[0]).toBe(ERROR_SUCCESS);
    expect(openA(k, 'subkey3')[0]).toBe(ERROR_FILE_NOT_FOUND);
    expect(query(k, 'value', 8).status).toBe(ERROR_FILE_NOT_FOUND);
    expect(w.adv('RegDeleteTreeA', k, w.str(''))).toBe(ERROR_SUCCESS);
    expect(openA(root, 'subkey')[0]).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteTreeA', root, w.str('not-here'))).toBe(ERROR_FILE_NOT_FOUND);
    expect(w.adv('RegDeleteTreeW', root, w.wstr('subkey'))).toBe(ERROR_SUCCESS);
    expect(openA(root, 'subkey')[0]).toBe(ERROR_FILE_NOT_FOUND);
  });
});

describe('RegNotifyChangeKeyValue', () => {
  const REG_NOTIFY_CHANGE_NAME = 1;
  const REG_NOTIFY_CHANGE_LAST_SET = 4;
  const WAIT_OBJECT_0 = 0;
  const WAIT_TIMEOUT = 0x102;
  let event: number;
  const signalled = () => w.k32('WaitForSingleObject', event, 0);
  const notify = (k: number, subtree: number, filter = REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET) =>
    w.adv('RegNotifyChangeKeyValue', k, subtree, filter, event, 1);
  beforeEach(() => {
    event = w.k32('CreateEventW', 0, 0, 0, 0); // auto-reset, not signalled
    expect(event).not.toBe(0);
  });

  test('a change of the key, or below it with bWatchSubtree, signals the event once', () => {
    const key = create(HKEY_CURRENT_USER, 'Software\\Wine\\Test\\TestKey');
    expect(notify(key, 1)).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_TIMEOUT);
    const sub = create(key, 'SubKey');
    expect(signalled()).toBe(WAIT_OBJECT_0);
    // Watching deeper keys.
    expect(notify(key, 1)).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_TIMEOUT);
    const subsub = create(sub, 'SubKey');
    expect(signalled()).toBe(WAIT_OBJECT_0);
    // Watching deeper values.
    expect(notify(key, 1)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegSetValueA', subsub, 0, REG_SZ, w.str('SubSubKeyValue'), 0)).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_OBJECT_0);
    // Not watching deeper values.
    expect(notify(key, 0)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegSetValueA', subsub, 0, REG_SZ, w.str('SubSubKeyValueNEW'), 0)).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_TIMEOUT);
    // One shot: the request that fired is gone.
    expect(setA(key, 'v', REG_DWORD, [1, 0, 0, 0])).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_OBJECT_0);
    expect(setA(key, 'v', REG_DWORD, [2, 0, 0, 0])).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_TIMEOUT);
  });

  test('the filter: REG_NOTIFY_CHANGE_NAME ignores values, _LAST_SET ignores subkeys', () => {
    const key = create(HKEY_CURRENT_USER, 'Software\\Notify');
    expect(notify(key, 1, REG_NOTIFY_CHANGE_NAME)).toBe(ERROR_SUCCESS);
    expect(setA(key, 'v', REG_DWORD, [1, 0, 0, 0])).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_TIMEOUT);
    create(key, 'Sub');
    expect(signalled()).toBe(WAIT_OBJECT_0);
    expect(notify(key, 1, REG_NOTIFY_CHANGE_LAST_SET)).toBe(ERROR_SUCCESS);
    create(key, 'Sub2');
    expect(signalled()).toBe(WAIT_TIMEOUT);
    expect(w.adv('RegDeleteValueA', key, w.str('v'))).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_OBJECT_0);
  });

  test('closing the handle or deleting the key signals too', () => {
    const key = create(HKEY_CURRENT_USER, 'Software\\Notify');
    expect(notify(key, 0)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegCloseKey', key)).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_OBJECT_0);
    const again = open(HKEY_CURRENT_USER, 'Software\\Notify');
    expect(notify(again, 0, REG_NOTIFY_CHANGE_LAST_SET)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegDeleteKeyA', HKEY_CURRENT_USER, w.str('Software\\Notify'))).toBe(ERROR_SUCCESS);
    expect(signalled()).toBe(WAIT_OBJECT_0);
  });

  test('bad requests; a synchronous wait with no other thread is a deadlock', () => {
    const key = create(HKEY_CURRENT_USER, 'Software\\Notify');
    expect(w.adv('RegNotifyChangeKeyValue', key, 1, REG_NOTIFY_CHANGE_NAME, 0, 1)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegNotifyChangeKeyValue', key, 1, 0x100, event, 1)).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('RegNotifyChangeKeyValue', key, 1, REG_NOTIFY_CHANGE_NAME, 0x1234, 1)).toBe(ERROR_INVALID_HANDLE);
    expect(w.adv('RegNotifyChangeKeyValue', open(HKEY_CURRENT_USER, 'Software\\Notify', KEY_QUERY_VALUE), 1, 1, event, 1)).toBe(ERROR_ACCESS_DENIED);
    expect(() => w.adv('RegNotifyChangeKeyValue', key, 0, REG_NOTIFY_CHANGE_NAME, 0, 0)).toThrow(DeadlockError);
  });
});

describe('what wowasm declines', () => {
  test('saving and loading hives needs privileges the guest does not hold', () => {
    expect(w.adv('RegSaveKeyA', HKEY_CURRENT_USER, w.str('C:\\x.hiv'), 0)).toBe(ERROR_PRIVILEGE_NOT_HELD);
    expect(w.adv('RegSaveKeyExW', HKEY_CURRENT_USER, w.wstr('C:\\x.hiv'), 0, 1)).toBe(ERROR_PRIVILEGE_NOT_HELD);
    expect(w.adv('RegLoadKeyA', HKEY_LOCAL_MACHINE, w.str('Test'), w.str('C:\\x.hiv'))).toBe(ERROR_PRIVILEGE_NOT_HELD);
    expect(w.adv('RegUnLoadKeyW', HKEY_LOCAL_MACHINE, w.wstr('Test'))).toBe(ERROR_PRIVILEGE_NOT_HELD);
    expect(w.adv('RegRestoreKeyA', HKEY_CURRENT_USER, w.str('C:\\x.hiv'), 0)).toBe(ERROR_PRIVILEGE_NOT_HELD);
    expect(w.adv('RegSaveKeyA', 0x1234, w.str('C:\\x.hiv'), 0)).toBe(ERROR_INVALID_HANDLE);
  });

  test('REG_NONE values and RegFlushKey', () => {
    const k = create(HKEY_CURRENT_USER, 'Software\\None');
    expect(setA(k, 'none', REG_NONE, [], 0)).toBe(ERROR_SUCCESS);
    expect(sizeOf(k, 'none')).toEqual({ status: ERROR_SUCCESS, type: REG_NONE, size: 0 });
    expect(w.adv('RegFlushKey', k)).toBe(ERROR_SUCCESS);
    expect(w.adv('RegFlushKey', 0x1234)).toBe(ERROR_INVALID_HANDLE);
  });
});
