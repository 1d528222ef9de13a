// File mappings through kernel32: views of files (read-only, read/write written back on flush and unmap,
// copy-on-write never written back), sections larger than their file, named paging-file sections, and the
// documented errors (Wine's test_MapFile: an empty file cannot be mapped whole, ERROR_FILE_INVALID).
import { beforeEach, describe, expect, test } from 'vitest';
import { CREATE_NEW, ERROR, FILE_SHARE_READ, FILE_SHARE_WRITE, fileOps, GENERIC_READ, INVALID_HANDLE_VALUE, type FileOps } from '../../helpers/files.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const PAGE_READONLY = 0x02;
const PAGE_READWRITE = 0x04;
const PAGE_WRITECOPY = 0x08;
const FILE_MAP_COPY = 0x1;
const FILE_MAP_WRITE = 0x2;
const FILE_MAP_READ = 0x4;
const ERROR_FILE_INVALID = 1006;
const ERROR_MAPPED_ALIGNMENT = 1132;
const ERROR_INVALID_ADDRESS = 487;

let w: Win32;
let f: FileOps;
beforeEach(() => {
  w = win32({ fs: { memory: true, files: { 'data.bin': 'hello world', 'empty.bin': '' } } });
  f = fileOps(w);
});

/** The file's contents, read through a handle that shares reading and writing. */
const contents = (name: string) => {
  const h = f.open(name, { access: GENERIC_READ, share: FILE_SHARE_READ | FILE_SHARE_WRITE });
  const s = f.read(h);
  f.close(h);
  return s;
};
const text = (addr: number, n: number) => String.fromCharCode(...w.cpu.mem.read(addr, n));
const mapping = (h: number, protect: number, size = 0, name?: string) => w.k32('CreateFileMappingA', h, 0, protect, 0, size, name === undefined ? 0 : w.str(name));
const view = (m: number, access: number, offset = 0, size = 0) => w.k32('MapViewOfFile', m, access, 0, offset, size);

describe('views of files', () => {
  test('a read-only view holds the file and is read-only memory', () => {
    const h = f.open('data.bin', { access: GENERIC_READ, share: FILE_SHARE_READ });
    const m = mapping(h, PAGE_READONLY);
    expect(m).not.toBe(0);
    const v = view(m, FILE_MAP_READ);
    expect(v % 0x1_0000).toBe(0);
    expect(text(v, 11)).toBe('hello world');
    const mbi = w.buf(28);
    w.k32('VirtualQuery', v, mbi, 28);
    expect(w.u32(mbi + 20)).toBe(PAGE_READONLY);
    expect(w.k32('UnmapViewOfFile', v)).toBe(1);
  });

  test('a writable view goes back to the file when flushed and when unmapped', () => {
    const h = f.open('data.bin', { share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    const m = mapping(h, PAGE_READWRITE);
    const v = view(m, FILE_MAP_WRITE);
    w.cpu.mem.write(v, Uint8Array.from('HELLO', (c) => c.charCodeAt(0)));
    expect(w.k32('FlushViewOfFile', v, 0)).toBe(1);
    expect(contents('data.bin')).toBe('HELLO world');
    w.cpu.mem.write(v + 6, Uint8Array.from('WORLD', (c) => c.charCodeAt(0)));
    expect(w.k32('UnmapViewOfFile', v)).toBe(1);
    expect(contents('data.bin')).toBe('HELLO WORLD');
  });

  test('a copy-on-write view never reaches the file', () => {
    const h = f.open('data.bin', { access: GENERIC_READ, share: FILE_SHARE_READ });
    const m = mapping(h, PAGE_WRITECOPY);
    const v = view(m, FILE_MAP_COPY);
    w.cpu.mem.write(v, Uint8Array.of(0x58));
    expect(text(v, 5)).toBe('Xello');
    w.k32('UnmapViewOfFile', v);
    expect(f.get('data.bin')).toBe('hello world');
  });

  test('a section larger than the file grows it; the file stays open while the section lives', () => {
    const h = f.open('data.bin', { share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    const m = mapping(h, PAGE_READWRITE, 100);
    expect(w.k32('GetFileSize', h, 0)).toBe(100);
    f.close(h);
    const v = view(m, FILE_MAP_READ | FILE_MAP_WRITE);
    expect(text(v, 12)).toBe('hello world\0');
    w.cpu.mem.write(v + 99, Uint8Array.of(0x21));
    w.k32('CloseHandle', m);
    w.k32('UnmapViewOfFile', v);
    expect((f.get('data.bin') as string).slice(-1)).toBe('!');
  });

  test('errors: an empty file, access the handle lacks, alignment, views past the end, bad addresses', () => {
    const e = f.open('empty.bin', { access: GENERIC_READ, share: FILE_SHARE_READ });
    expect(mapping(e, PAGE_READONLY)).toBe(0);
    expect(w.lastError()).toBe(ERROR_FILE_INVALID);
    const r = f.open('data.bin', { access: GENERIC_READ, share: FILE_SHARE_READ });
    expect(mapping(r, PAGE_READWRITE)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(mapping(r, 0x40000)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
    const m = mapping(r, PAGE_READONLY);
    expect(view(m, FILE_MAP_WRITE)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(view(m, FILE_MAP_READ, 0x1000)).toBe(0);
    expect(w.lastError()).toBe(ERROR_MAPPED_ALIGNMENT);
    expect(view(m, FILE_MAP_READ, 0, 12)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('UnmapViewOfFile', 0x1234)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_ADDRESS);
    expect(w.k32('MapViewOfFile', 0x4444, FILE_MAP_READ, 0, 0, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_HANDLE);
  });
});

describe('paging-file sections', () => {
  test('a named section is shared by name until its last handle and view go', () => {
    const m = mapping(INVALID_HANDLE_VALUE, PAGE_READWRITE, 4096, 'shared');
    expect(w.lastError()).toBe(0);
    const v = view(m, FILE_MAP_WRITE);
    w.cpu.mem.write(v, Uint8Array.of(1, 2, 3));
    w.k32('UnmapViewOfFile', v);
    const again = mapping(INVALID_HANDLE_VALUE, PAGE_READWRITE, 4096, 'shared');
    expect(again).not.toBe(0);
    expect(w.lastError()).toBe(ERROR.ALREADY_EXISTS);
    const o = w.k32('OpenFileMappingA', FILE_MAP_READ, 0, w.str('shared'));
    const v2 = view(o, FILE_MAP_READ);
    expect([...w.cpu.mem.read(v2, 4)]).toEqual([1, 2, 3, 0]);
    for (const h of [m, again, o]) w.k32('CloseHandle', h);
    expect(w.k32('OpenFileMappingA', FILE_MAP_READ, 0, w.str('shared'))).not.toBe(0); // the view keeps it
    w.k32('UnmapViewOfFile', v2);
  });

  test('a paging-file section needs a size; unknown names are ERROR_FILE_NOT_FOUND', () => {
    expect(mapping(INVALID_HANDLE_VALUE, PAGE_READWRITE, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
    expect(w.k32('OpenFileMappingW', FILE_MAP_READ, 0, w.wstr('nothing'))).toBe(0);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });

  test('an unnamed section from a new file', () => {
    const h = f.open('new.bin', { disposition: CREATE_NEW, share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    const m = mapping(h, PAGE_READWRITE, 8);
    const v = view(m, FILE_MAP_WRITE);
    w.cpu.mem.write(v, Uint8Array.from('mapped!!', (c) => c.charCodeAt(0)));
    w.k32('UnmapViewOfFile', v);
    w.k32('CloseHandle', m);
    f.close(h);
    expect(f.get('new.bin')).toBe('mapped!!');
  });
});
