// Seeding the registry (the `registry` load option: a RegistrySeed object, or a .reg file as regedit
// writes it) and exporting it back. The .reg syntax is regedit's ("Windows Registry Editor Version 5.00":
// UTF-16LE text with a BOM; hex(2) expandable strings and hex(7) multi-strings as UTF-16LE bytes;
// "REGEDIT4": the same with ANSI text and ANSI bytes in hex(2)/hex(7)).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { registryHive } from '../../../thunks/advapi32/registry.js';
import { RegistrySeedError } from '../../../thunks/errors.js';
import { exportRegistry } from '../../../thunks/advapi32/registry.js';
import type { RegistrySeed } from '../../../thunks/advapi32/seed.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const HKEY_CURRENT_USER = 0x8000_0001;
const HKEY_LOCAL_MACHINE = 0x8000_0002;
const REG_SZ = 1;
const REG_EXPAND_SZ = 2;
const REG_BINARY = 3;
const REG_DWORD = 4;
const REG_DWORD_BIG_ENDIAN = 5;
const REG_MULTI_SZ = 7;
const REG_QWORD = 11;
const ERROR_FILE_NOT_FOUND = 2;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-reg-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A value as RegQueryValueExW returns it: type and raw bytes; undefined when missing. */
function read(w: Win32, root: number, key: string, name: string): { type: number; bytes: number[] } | undefined {
  const ph = w.buf(4);
  if (w.adv('RegOpenKeyExW', root, w.wstr(key), 0, 0x2_0019, ph) !== 0) return undefined;
  const type = w.buf(4);
  const size = w.buf(4);
  w.cpu.mem.setU32(size, 256);
  const data = w.buf(256);
  const r = w.adv('RegQueryValueExW', w.u32(ph), w.wstr(name), 0, type, data, size);
  if (r === ERROR_FILE_NOT_FOUND) return undefined;
  expect(r).toBe(0);
  return { type: w.u32(type), bytes: Array.from(w.cpu.mem.read(data, w.u32(size))) };
}

const utf16 = (s: string) => Array.from(s).flatMap((c) => [c.charCodeAt(0) & 0xff, c.charCodeAt(0) >> 8]);
const keyExists = (w: Win32, root: number, key: string) => w.adv('RegOpenKeyExW', root, w.wstr(key), 0, 0x2_0019, w.buf(4)) === 0;

describe('RegistrySeed objects', () => {
  const seed: RegistrySeed = {
    'HKEY_CURRENT_USER\\Software\\Acme': {
      '': 'the default value',
      Name: 'x',
      Count: 3,
      Paths: ['C:\\a', 'C:\\b'],
      Home: { type: 'REG_EXPAND_SZ', value: '%USERPROFILE%\\acme' },
      Big: { type: 'REG_QWORD', value: '0x123456789abcdef0' },
      Small: { type: 'REG_QWORD', value: 5 },
      Be: { type: 'REG_DWORD_BIG_ENDIAN', value: 0x0102_0304 },
      Blob: { type: 'REG_BINARY', value: [1, 2, 255] },
      Blob2: { type: 'REG_BINARY', value: 'de ad be ef' },
      Raw: { type: 'REG_SZ', hex: '41,00,42,00' },
      Custom: { type: 0x1234, hex: '01 02' },
    },
    'HKCU\\Software\\Acme\\Empty': {},
  };

  test('each form gives the type and bytes it says', () => {
    const w = win32({ registry: { seed } });
    const k = 'Software\\Acme';
    expect(read(w, HKEY_CURRENT_USER, k, '')).toEqual({ type: REG_SZ, bytes: utf16('the default value\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Name')).toEqual({ type: REG_SZ, bytes: utf16('x\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Count')).toEqual({ type: REG_DWORD, bytes: [3, 0, 0, 0] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Paths')).toEqual({ type: REG_MULTI_SZ, bytes: utf16('C:\\a\0C:\\b\0\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Home')).toEqual({ type: REG_EXPAND_SZ, bytes: utf16('%USERPROFILE%\\acme\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Big')).toEqual({ type: REG_QWORD, bytes: [0xf0, 0xde, 0xbc, 0x9a, 0x78, 0x56, 0x34, 0x12] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Small')).toEqual({ type: REG_QWORD, bytes: [5, 0, 0, 0, 0, 0, 0, 0] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Be')).toEqual({ type: REG_DWORD_BIG_ENDIAN, bytes: [1, 2, 3, 4] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Blob')).toEqual({ type: REG_BINARY, bytes: [1, 2, 255] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Blob2')).toEqual({ type: REG_BINARY, bytes: [0xde, 0xad, 0xbe, 0xef] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Raw')).toEqual({ type: REG_SZ, bytes: [0x41, 0, 0x42, 0] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Custom')).toEqual({ type: 0x1234, bytes: [1, 2] });
    expect(keyExists(w, HKEY_CURRENT_USER, 'Software\\Acme\\Empty')).toBe(true);
  });

  test('null deletes defaults: a value, or a key with everything under it', () => {
    const w = win32({
      registry: {
        seed: {
          'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion': { ProductName: 'Windows 10 Enterprise', ReleaseId: null },
          'HKEY_CURRENT_USER\\Control Panel': null,
        },
      },
    });
    expect(read(w, HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName')?.bytes).toEqual(utf16('Windows 10 Enterprise\0'));
    expect(read(w, HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ReleaseId')).toBeUndefined();
    expect(read(w, HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuild')?.bytes).toEqual(utf16('19045\0'));
    expect(keyExists(w, HKEY_CURRENT_USER, 'Control Panel')).toBe(false);
    expect(keyExists(w, HKEY_CURRENT_USER, 'Software')).toBe(true);
  });

  test('mistakes are reported with where they are', () => {
    const bad = (s: unknown) => () => registryHive(win32({ registry: { seed: s as RegistrySeed } }).p);
    expect(bad({ 'HKEY_NOWHERE\\x': {} })).toThrow(RegistrySeedError);
    expect(bad({ 'HKCU\\x': { v: 1.5 } })).toThrow(/HKCU\\x\\v: a REG_DWORD is an integer/);
    expect(bad({ 'HKCU\\x': { v: -1 } })).toThrow(RegistrySeedError);
    expect(bad({ 'HKCU\\x': { v: { type: 'REG_TEXT', value: 'a' } } })).toThrow(/unknown type "REG_TEXT"/);
    expect(bad({ 'HKCU\\x': { v: { type: 'REG_SZ', value: 3 } } })).toThrow(/a REG_SZ value must be a string/);
    expect(bad({ 'HKCU\\x': { v: ['a', ''] } })).toThrow(/REG_MULTI_SZ cannot hold an empty string/);
    expect(bad({ 'HKCU\\x': { v: { type: 'REG_BINARY', hex: '0g' } } })).toThrow(/not a hex byte/);
    expect(bad({ 'HKLM\\SOFTWARE': null })).toThrow(/cannot be deleted/);
    expect(bad({ 'HKCU\\x': 'text' })).toThrow(/must be an object of value names/);
  });
});

describe('.reg files', () => {
  const REG5 = [
    'Windows Registry Editor Version 5.00',
    '',
    '; a comment',
    '[HKEY_CURRENT_USER\\Software\\Acme]',
    '@="default \\"quoted\\" \\\\ text"',
    '"Name"="x"',
    '"Count"=dword:0000002a',
    '"Bin"=hex:01,02,03,\\',
    '  04,05',
    '"Exp"=hex(2):25,00,54,00,45,00,4d,00,50,00,25,00,00,00',
    '"Multi"=hex(7):61,00,00,00,62,00,00,00,00,00',
    '"Q"=hex(b):01,00,00,00,00,00,00,00',
    '"None"=hex(0):',
    '',
    '[HKEY_CURRENT_USER\\Software\\Acme\\Sub]',
    '"Gone"="soon"',
    '"Gone"=-',
    '',
    '[-HKEY_CURRENT_USER\\Control Panel]',
    '',
    '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion]',
    '"ProductName"="Windows 10 Home"',
  ].join('\r\n');

  const check = (w: Win32) => {
    const k = 'Software\\Acme';
    expect(read(w, HKEY_CURRENT_USER, k, '')).toEqual({ type: REG_SZ, bytes: utf16('default "quoted" \\ text\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Name')).toEqual({ type: REG_SZ, bytes: utf16('x\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Count')).toEqual({ type: REG_DWORD, bytes: [42, 0, 0, 0] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Bin')).toEqual({ type: REG_BINARY, bytes: [1, 2, 3, 4, 5] });
    expect(read(w, HKEY_CURRENT_USER, k, 'Exp')).toEqual({ type: REG_EXPAND_SZ, bytes: utf16('%TEMP%\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Multi')).toEqual({ type: REG_MULTI_SZ, bytes: utf16('a\0b\0\0') });
    expect(read(w, HKEY_CURRENT_USER, k, 'Q')).toEqual({ type: REG_QWORD, bytes: [1, 0, 0, 0, 0, 0, 0, 0] });
    expect(read(w, HKEY_CURRENT_USER, k, 'None')).toEqual({ type: 0, bytes: [] });
    expect(keyExists(w, HKEY_CURRENT_USER, 'Software\\Acme\\Sub')).toBe(true);
    expect(read(w, HKEY_CURRENT_USER, 'Software\\Acme\\Sub', 'Gone')).toBeUndefined();
    expect(keyExists(w, HKEY_CURRENT_USER, 'Control Panel')).toBe(false);
    expect(read(w, HKEY_LOCAL_MACHINE, 'SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName')?.bytes).toEqual(utf16('Windows 10 Home\0'));
  };

  test('version 5.00 as regedit writes it: UTF-16LE with a BOM, from a file', () => {
    const file = path.join(tmp, 'utf16.reg');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(REG5, 'utf16le')]));
    check(win32({ registry: { seed: file } }));
  });

  test('version 5.00 as UTF-8 text, from a file and given directly', () => {
    const file = path.join(tmp, 'utf8.reg');
    fs.writeFileSync(file, REG5.replace(/\r\n/g, '\n'));
    check(win32({ registry: { seed: file } }));
    check(win32({ registry: { seed: REG5 } }));
  });

  test('REGEDIT4: ANSI text, and ANSI bytes in hex(2) and hex(7)', () => {
    const text = [
      'REGEDIT4',
      '',
      '[HKEY_CURRENT_USER\\Software\\Old]',
      '"Name"="caf\u00e9"',
      '"Exp"=hex(2):25,54,45,4d,50,25,00',
      '"Multi"=hex(7):61,00,e9,00,00',
    ].join('\r\n');
    const file = path.join(tmp, 'old.reg');
    fs.writeFileSync(file, Buffer.from(text, 'latin1'));
    const w = win32({ registry: { seed: file } });
    expect(read(w, HKEY_CURRENT_USER, 'Software\\Old', 'Name')).toEqual({ type: REG_SZ, bytes: utf16('café\0') });
    expect(read(w, HKEY_CURRENT_USER, 'Software\\Old', 'Exp')).toEqual({ type: REG_EXPAND_SZ, bytes: utf16('%TEMP%\0') });
    expect(read(w, HKEY_CURRENT_USER, 'Software\\Old', 'Multi')).toEqual({ type: REG_MULTI_SZ, bytes: utf16('a\0é\0\0') });
  });

  test('mistakes are reported with their line', () => {
    const bad = (t: string) => () => registryHive(win32({ registry: { seed: `Windows Registry Editor Version 5.00\r\n\r\n${t}` } }).p);
    expect(bad('"x"="y"')).toThrow(/line 3: a value before any \[key\] line/);
    expect(bad('[HKEY_CURRENT_USER\\A]\r\n"x"=dword:1234567890')).toThrow(/line 4: unknown value data/);
    expect(bad('[HKEY_CURRENT_USER\\A]\r\n"x"=hex:1,zz')).toThrow(/line 4: "zz" is not a hex byte/);
    expect(bad('[HKEY_CURRENT_USER\\A]\r\n"x="y"')).toThrow(/line 4: /);
    expect(bad('[HKEY_NOWHERE\\A]')).toThrow(/line 3: "HKEY_NOWHERE\\A" does not start with a registry root/);
    expect(() => registryHive(win32({ registry: { seed: path.join(tmp, 'missing.reg') } }).p)).toThrow(/cannot read the \.reg file/);
    const notReg = path.join(tmp, 'notreg.reg');
    fs.writeFileSync(notReg, 'hello');
    expect(() => registryHive(win32({ registry: { seed: notReg } }).p)).toThrow(/line 1: a \.reg file starts with/);
  });
});

describe('export', () => {
  test('.reg text in regedit\'s format, for one key', () => {
    const w = win32({ registry: { seed: { 'HKCU\\Software\\Acme': { '': 'd', Name: 'a "b" \\c', Count: 3, Blob: { type: 'REG_BINARY', value: Array.from({ length: 30 }, (_, i) => i) } } } } });
    const ph = w.buf(4);
    expect(w.adv('RegCreateKeyExA', HKEY_CURRENT_USER, w.str('Software\\Acme\\Made'), 0, 0, 0, 0xf_003f, 0, ph, 0)).toBe(0);
    expect(w.adv('RegSetValueExW', w.u32(ph), w.wstr('Exp'), 0, REG_EXPAND_SZ, w.wstr('%A%'), 8)).toBe(0);
    const text = exportRegistry(w.p, { key: 'HKEY_CURRENT_USER\\Software\\Acme' });
    expect(text).toBe(
      [
        'Windows Registry Editor Version 5.00',
        '',
        '[HKEY_CURRENT_USER\\Software\\Acme]',
        '@="d"',
        '"Name"="a \\"b\\" \\\\c"',
        '"Count"=dword:00000003',
        // regedit's wrapping: at most 78 columns before the backslash.
        '"Blob"=hex:00,01,02,03,04,05,06,07,08,09,0a,0b,0c,0d,0e,0f,10,11,12,13,14,15,\\',
        '  16,17,18,19,1a,1b,1c,1d',
        '',
        '[HKEY_CURRENT_USER\\Software\\Acme\\Made]',
        '"Exp"=hex(2):25,00,41,00,25,00,00,00',
        '',
        '',
      ].join('\r\n'),
    );
    // What was exported seeds an identical registry.
    const again = win32({ registry: { seed: text as string } });
    expect(exportRegistry(again.p, { key: 'HKEY_CURRENT_USER\\Software\\Acme' })).toBe(text);
  });

  test('JSON: a RegistrySeed that rebuilds the same values', () => {
    const seed: RegistrySeed = {
      'HKEY_CURRENT_USER\\Software\\Acme': {
        Name: 'x',
        Count: 3,
        Paths: ['a', 'b'],
        Home: { type: 'REG_EXPAND_SZ', value: '%X%' },
        Q: { type: 'REG_QWORD', value: 7 },
        Huge: { type: 'REG_QWORD', value: '18446744073709551615' },
        Bare: { type: 'REG_SZ', hex: '41 00' },
        Bin: { type: 'REG_BINARY', hex: '01 02' },
      },
      'HKEY_CURRENT_USER\\Software\\Acme\\Sub': {},
    };
    const w = win32({ registry: { seed } });
    const json = exportRegistry(w.p, { format: 'json', key: 'HKCU\\Software\\Acme' });
    expect(json).toEqual({ 'HKCU\\Software\\Acme': seed['HKEY_CURRENT_USER\\Software\\Acme'], 'HKCU\\Software\\Acme\\Sub': {} });
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  test('the whole registry: HKLM, HKCU and the other users, each key once', () => {
    const w = win32();
    const all = exportRegistry(w.p, { format: 'json' }) as RegistrySeed;
    expect(all['HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion']).toMatchObject({ ProductName: 'Windows 10 Pro', CurrentMajorVersionNumber: 10 });
    expect(all['HKEY_CURRENT_USER\\Control Panel\\International']).toMatchObject({ sDecimal: '.' });
    expect(all['HKEY_USERS\\.DEFAULT']).toEqual({});
    expect(Object.keys(all).some((k) => k.startsWith('HKEY_CLASSES_ROOT') || k.startsWith('HKEY_USERS\\S-1-5-21'))).toBe(false);
    const text = exportRegistry(w.p) as string;
    expect(text.startsWith('Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE]\r\n')).toBe(true);
    expect(text).toContain('[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage]\r\n"ACP"="1252"\r\n');
    expect(() => exportRegistry(w.p, { key: 'HKCU\\Nope' })).toThrow(/there is no key "HKCU\\Nope"/);
  });
});
