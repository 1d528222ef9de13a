// LoadStringA/W from a module's own string table: the strings fixture (fixtures/strings/strings.rc
// spells out its table) loaded into a guest process, called directly with its HINSTANCE and through
// its exports, which call LoadString themselves. Expected behaviour: Microsoft's LoadString page, and
// what Windows does for a zero-size buffer (LoadStringA: -1) as Wine's user32 tests check on Windows.
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const BIN = fileURLToPath(new URL('../../../fixtures/bin/', import.meta.url));
const ERROR_RESOURCE_DATA_NOT_FOUND = 1812;
const ERROR_RESOURCE_NAME_NOT_FOUND = 1814;

describe.each(['mingw', 'msvc'])('strings-%s.dll', (flavour) => {
  let w: Win32;
  let base: number;
  const u = (name: string, ...args: number[]) => w.call('user32.dll', name, args) | 0;
  /** Calls an export of the fixture (stdcall). */
  const ex = (name: string, ...args: number[]) => {
    const m = w.loader.peModules().find((x) => x.name === `strings-${flavour}.dll`)!;
    const decorated = [...m.exports.byName.keys()].find((n) => n === name || n.startsWith(`${name}@`) || n.startsWith(`_${name}@`))!;
    return w.p.callGuest(w.loader.getProcAddress(m, { name: decorated, hint: 0 })!, 'stdcall', args) | 0;
  };

  beforeEach(() => {
    w = win32();
    base = w.loader.loadFile(`${BIN}strings-${flavour}.dll`).base;
  });

  test('the DLL knows its HINSTANCE, which is its base', () => {
    expect(ex('strings_module')).toBe(base);
  });

  test('LoadStringW copies the string and a NUL, returns its length; the English one wins', () => {
    const buf = w.buf(128);
    expect(u('LoadStringW', base, 1, buf, 64)).toBe(24);
    expect(w.readWStr(buf)).toBe('%s has %d items (0x%04X)');
    expect(u('LoadStringW', base, 3, buf, 64)).toBe(7);
    expect(w.readWStr(buf)).toBe('caf\u00e9 \u20ac\u4e2d');
    expect(u('LoadStringW', base, 17, buf, 64)).toBe(9);
    expect(u('LoadStringW', base, 65534, buf, 64)).toBe(10);
    expect(w.readWStr(buf)).toBe('last block');
    // Only the low word of the ID counts.
    expect(u('LoadStringW', base, 0x8000_0011, buf, 64)).toBe(9);
    expect(w.readWStr(buf)).toBe('block two');
  });

  test('LoadStringW truncates to cchBufferMax - 1 characters', () => {
    const buf = w.buf(64);
    w.cpu.mem.fill(buf, 0x55, 64);
    expect(u('LoadStringW', base, 0, buf, 7)).toBe(6);
    expect(w.readWStr(buf)).toBe('String');
    expect(w.cpu.mem.u16(buf + 14)).toBe(0x5555);
    expect(u('LoadStringW', base, 0, buf, 1)).toBe(0);
    expect(w.cpu.mem.u16(buf)).toBe(0);
  });

  test('LoadStringW with cchBufferMax 0 hands out a read-only pointer into the image', () => {
    const where = w.buf(4);
    expect(u('LoadStringW', base, 100, where, 0)).toBe(11);
    const p = w.u32(where);
    const m = w.loader.peModules().find((x) => x.name === `strings-${flavour}.dll`)!;
    expect(p > base && p < base + m.size).toBe(true);
    expect(String.fromCharCode(...Array.from({ length: 11 }, (_, i) => w.cpu.mem.u16(p + 2 * i)))).toBe('one hundred');
    expect(w.cpu.mem.u16(p - 2)).toBe(11); // the count of the counted string
    // Through the DLL's own call.
    const where2 = w.buf(4);
    expect(ex('load_w_pointer', 100, where2)).toBe(11);
    expect(w.u32(where2)).toBe(p);
    // NULL buffer: 0, whatever the size.
    expect(u('LoadStringW', base, 100, 0, 0)).toBe(0);
    expect(u('LoadStringW', base, 100, 0, 128)).toBe(0);
  });

  test('LoadStringA converts to code page 1252 and cuts at cchBufferMax - 1 bytes', () => {
    const buf = w.buf(64);
    expect(u('LoadStringA', base, 0, buf, 64)).toBe(15);
    expect(w.readStr(buf)).toBe('String resource');
    expect(u('LoadStringA', base, 0, buf, 16)).toBe(15);
    expect(u('LoadStringA', base, 0, buf, 15)).toBe(14);
    expect(w.readStr(buf)).toBe('String resourc');
    expect(u('LoadStringA', base, 3, buf, 64)).toBe(7);
    expect([...w.cpu.mem.readCBytes(buf)]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80, 0x3f]); // 中 is not in 1252
    expect(u('LoadStringA', base, 0, buf, 0)).toBe(-1);
  });

  test('missing strings: 0 and an empty buffer; the error says what was missing', () => {
    const buf = w.buf(16);
    w.cpu.mem.fill(buf, 0x41, 16);
    expect(u('LoadStringA', base, 40, buf, 16)).toBe(0); // no block 3
    expect(w.cpu.mem.u8(buf)).toBe(0);
    expect(w.lastError()).toBe(ERROR_RESOURCE_NAME_NOT_FOUND);
    w.cpu.mem.fill(buf, 0x41, 16);
    expect(u('LoadStringW', base, 40, buf, 8)).toBe(0);
    expect(w.cpu.mem.u16(buf)).toBe(0);
    // An empty slot of an existing block: 0 too.
    expect(u('LoadStringW', base, 5, buf, 8)).toBe(0);
    // The host EXE (NULL) and built-in DLLs have no resources.
    expect(u('LoadStringW', 0, 1, buf, 8)).toBe(0);
    expect(w.lastError()).toBe(ERROR_RESOURCE_DATA_NOT_FOUND);
    const k32 = w.k32('GetModuleHandleA', w.str('kernel32.dll'));
    expect(u('LoadStringA', k32, 1, buf, 8)).toBe(0);
    expect(w.lastError()).toBe(ERROR_RESOURCE_DATA_NOT_FOUND);
  });

  test("the DLL's own LoadStringA/W calls, and wsprintf with a format from the table", () => {
    const buf = w.buf(128);
    expect(ex('load_a', 2, buf, 128)).toBe(15);
    expect(w.readStr(buf)).toBe('Strings fixture');
    expect(ex('load_w', 2, buf, 4)).toBe(3);
    expect(w.readWStr(buf)).toBe('Str');
    expect(ex('format_a', buf, w.str('box'), 255)).toBe(26);
    expect(w.readStr(buf)).toBe('box has 255 items (0x00FF)');
    expect(ex('format_w', buf, w.wstr('\u00e9t\u00e9'), 4096)).toBe(27);
    expect(w.readWStr(buf)).toBe('\u00e9t\u00e9 has 4096 items (0x1000)');
  });
});
