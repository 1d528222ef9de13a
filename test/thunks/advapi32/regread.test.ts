// The regread fixture (fixtures/regread, both builds) through the public API: a DLL reading values
// seeded with the `registry` load option (a RegistrySeed object or a .reg file), reading Windows 10's
// own values, writing some that lib.registry.export() then shows, plus GetUserNameA and RtlGenRandom.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { load, loadSync, RegistrySeedError, type Library, type RegistrySeed } from '../../../worker/index.js';

const bin = (flavour: string) => fileURLToPath(new URL(`../../../fixtures/bin/regread-${flavour}.dll`, import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-regread-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const ERROR_SUCCESS = 0;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;
const ERROR_UNSUPPORTED_TYPE = 1630;

const seed: RegistrySeed = {
  'HKEY_CURRENT_USER\\Software\\Acme': { Name: 'Widget', Count: 3 },
  'HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Setup': { InstallDir: 'C:\\Program Files\\Acme' },
};

const REG_FILE = [
  'Windows Registry Editor Version 5.00',
  '',
  '[HKEY_CURRENT_USER\\Software\\Acme]',
  '"Name"="Widget"',
  '"Count"=dword:00000003',
  '',
  '[HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Setup]',
  '"InstallDir"="C:\\\\Program Files\\\\Acme"',
  '',
].join('\r\n');

/** The fixture's exports, bound with their C prototypes. */
function bind(lib: Library) {
  return {
    readString: lib.func('int __cdecl read_string(const char *key, const char *value, _Out_writes_(size) char *out, int size)'),
    readDword: lib.func('unsigned __cdecl read_dword(const char *key, const char *value)'),
    lastStatus: lib.func('int __cdecl last_status(void)'),
    writeString: lib.func('int __cdecl write_string(const char *key, const char *value, const char *s)'),
    writeDword: lib.func('int __cdecl write_dword(const char *key, const char *value, unsigned v)'),
    getWString: lib.func('int __cdecl get_wstring(const wchar_t *key, const wchar_t *value, wchar_t *out, unsigned bytes, unsigned *needed)'),
    userName: lib.func('int __cdecl user_name(char *out, int size)'),
    randomBytes: lib.func('int __cdecl random_bytes(unsigned char *out, int n)'),
  };
}

const text = (b: Buffer) => b.subarray(0, b.indexOf(0)).toString('latin1');

describe.each(['mingw', 'msvc'])('regread-%s.dll', (flavour) => {
  /** The values the seeds above put in, as the DLL reads them. */
  function expectSeeded(lib: Library): void {
    const f = bind(lib);
    const out = Buffer.alloc(64, 0xaa);
    expect(f.readString('HKCU\\Software\\Acme', 'Name', out, 64)).toBe(ERROR_SUCCESS);
    expect(text(out)).toBe('Widget');
    expect(f.readString('HKEY_LOCAL_MACHINE\\SOFTWARE\\Acme\\Setup', 'InstallDir', out, 64)).toBe(ERROR_SUCCESS);
    expect(text(out)).toBe('C:\\Program Files\\Acme');
    expect(f.readDword('HKCU\\Software\\Acme', 'Count')).toBe(3);
    expect(f.lastStatus()).toBe(ERROR_SUCCESS);
  }

  test('reads values seeded with a RegistrySeed (loadSync)', () => {
    const lib = loadSync(bin(flavour), { registry: { seed } });
    try {
      expectSeeded(lib);
      const f = bind(lib);
      const out = Buffer.alloc(64);
      expect(f.readDword('HKCU\\Software\\Acme', 'Missing')).toBe(0xffff_ffff);
      expect(f.lastStatus()).toBe(ERROR_FILE_NOT_FOUND);
      expect(f.readDword('HKCU\\Software\\Nowhere', 'Count')).toBe(0xffff_ffff);
      expect(f.lastStatus()).toBe(ERROR_FILE_NOT_FOUND);
      expect(f.readString('HKCU\\Software\\Acme', 'Count', out, 64)).toBe(ERROR_UNSUPPORTED_TYPE);
      // "Widget" and its NUL need 7 bytes; 6 leave room for 5.
      expect(f.readString('HKCU\\Software\\Acme', 'Name', out, 6)).toBe(ERROR_MORE_DATA);
    } finally {
      lib.close();
    }
  });

  test('reads values seeded with a .reg file (UTF-16LE with a BOM, as regedit saves it)', () => {
    const file = path.join(tmp, `seed-${flavour}.reg`);
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(REG_FILE, 'utf16le')]));
    const lib = loadSync(bin(flavour), { registry: { seed: file } });
    try {
      expectSeeded(lib);
    } finally {
      lib.close();
    }
  });

  test("reads Windows 10's own values, the user name and random bytes", () => {
    const lib = loadSync(bin(flavour));
    try {
      const f = bind(lib);
      const out = Buffer.alloc(64);
      expect(f.readString('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'ProductName', out, 64)).toBe(ERROR_SUCCESS);
      expect(text(out)).toBe('Windows 10 Pro');
      expect(f.readDword('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentMajorVersionNumber')).toBe(10);
      const wide = Buffer.alloc(64);
      const needed = new Uint32Array(1);
      expect(f.getWString('HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', 'CurrentBuildNumber', wide, 64, needed)).toBe(ERROR_SUCCESS);
      expect(wide.subarray(0, 12).toString('utf16le')).toBe('19045\0');
      expect(needed[0]).toBe(12);
      expect(f.userName(out, 64)).toBe(6);
      expect(text(out)).toBe('wowasm');
      expect(f.userName(out, 3)).toBe(-122); // ERROR_INSUFFICIENT_BUFFER
      const a = Buffer.alloc(32);
      const b = Buffer.alloc(32);
      expect(f.randomBytes(a, 32)).toBe(1);
      expect(f.randomBytes(b, 32)).toBe(1);
      expect(a.equals(b)).toBe(false);
      expect(a.equals(Buffer.alloc(32))).toBe(false);
    } finally {
      lib.close();
    }
  });

  test("what the DLL writes stays in memory and comes out of lib.registry.export()", () => {
    const lib = loadSync(bin(flavour), { registry: { seed } });
    try {
      const f = bind(lib);
      expect(f.writeDword('HKCU\\Software\\Acme\\State', 'Runs', 0x2a)).toBe(ERROR_SUCCESS);
      expect(f.writeString('HKCU\\Software\\Acme\\State', 'Last', 'caf\u00e9')).toBe(ERROR_SUCCESS);
      expect(f.readDword('HKCU\\Software\\Acme\\State', 'Runs')).toBe(0x2a);
      expect(lib.registry.export({ key: 'HKEY_CURRENT_USER\\Software\\Acme' })).toBe(
        [
          'Windows Registry Editor Version 5.00',
          '',
          '[HKEY_CURRENT_USER\\Software\\Acme]',
          '"Name"="Widget"',
          '"Count"=dword:00000003',
          '',
          '[HKEY_CURRENT_USER\\Software\\Acme\\State]',
          '"Runs"=dword:0000002a',
          '"Last"="caf\u00e9"',
          '',
          '',
        ].join('\r\n'),
      );
      expect(lib.registry.export({ format: 'json', key: 'HKCU\\Software\\Acme\\State' })).toEqual({ 'HKCU\\Software\\Acme\\State': { Runs: 42, Last: 'caf\u00e9' } });
      // Nothing was written to the seed or to disk: a new library starts from the seed again.
      const fresh = loadSync(bin(flavour), { registry: { seed } });
      expect(bind(fresh).readDword('HKCU\\Software\\Acme\\State', 'Runs')).toBe(0xffff_ffff);
      fresh.close();
    } finally {
      lib.close();
    }
  });
});

describe('the registry option through load() (the library thread)', () => {
  test('seeded values, written values and export()', async () => {
    const lib = await load(bin('msvc'), { registry: { seed } });
    try {
      const readDword = lib.func('unsigned __cdecl read_dword(const char *key, const char *value)');
      const writeDword = lib.func('int __cdecl write_dword(const char *key, const char *value, unsigned v)');
      const readString = lib.func('int __cdecl read_string(const char *key, const char *value, char *out, int size)');
      const out = Buffer.alloc(32);
      expect(await readString('HKCU\\Software\\Acme', 'Name', out, 32)).toBe(ERROR_SUCCESS);
      expect(text(out)).toBe('Widget');
      expect(await readDword('HKCU\\Software\\Acme', 'Count')).toBe(3);
      expect(await writeDword('HKCU\\Software\\Acme', 'Count', 4)).toBe(ERROR_SUCCESS);
      expect(await lib.registry.export({ format: 'json', key: 'HKCU\\Software\\Acme' })).toEqual({ 'HKCU\\Software\\Acme': { Name: 'Widget', Count: 4 } });
      expect(await lib.registry.export({ key: 'HKCU\\Software\\Acme' })).toContain('"Count"=dword:00000004\r\n');
    } finally {
      await lib.close();
    }
  });

  test('a bad seed fails the load, with the same error class in either API', async () => {
    const bad = { registry: { seed: { 'HKEY_NOWHERE\\x': {} } } };
    expect(() => loadSync(bin('mingw'), bad)).toThrow(RegistrySeedError);
    await expect(load(bin('mingw'), bad)).rejects.toBeInstanceOf(RegistrySeedError);
    await expect(load(bin('mingw'), { registry: { seed: path.join(tmp, 'no-such-file.reg') } })).rejects.toThrow(/cannot read the \.reg file/);
  });
});
