// The fileio fixture (fixtures/fileio/fileio.c, mingw and MSVC-style builds) with a temporary host folder
// granted as drive C:: its file I/O shows up on the host, and every attempt to get out of the folder is
// refused (or lands inside it): `..`, UNC, `\\?\` and `\\.\` names, host paths, symbolic links leading
// out, alternate data streams; device names open devices, never host files. A read-only grant refuses
// every change with ERROR_ACCESS_DENIED. The option also reaches a DLL loaded in a worker (load()).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { load, loadSync, type Library } from '../../../worker/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../../../fixtures/bin/${name}`, import.meta.url));
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-fileio-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const ERROR_FILE_NOT_FOUND = 2;
const ERROR_PATH_NOT_FOUND = 3;
const ERROR_ACCESS_DENIED = 5;
const ERROR_BAD_NETPATH = 53;
const ERROR_INVALID_NAME = 123;

/** The fixture's exports, bound. */
function bind(lib: Library) {
  const out = lib.memory.alloc(1024);
  const withOut = (f: (...a: unknown[]) => unknown) => (...a: unknown[]) => {
    const r = f(...a, out, 1024) as number;
    return { r, text: lib.memory.readCString(out) ?? '' };
  };
  return {
    writeThenRead: lib.func('int __cdecl write_then_read(const char *name)') as (n: string) => number,
    tryOpen: lib.func('int __cdecl try_open(const char *path)') as (p: string) => number,
    tryCreate: lib.func('int __cdecl try_create(const char *path)') as (p: string) => number,
    writeFile: lib.func('int __cdecl write_file(const char *path, const char *text)') as (p: string, t: string) => number,
    readFile: withOut(lib.func('int __cdecl read_file(const char *path, char *out, int size)')),
    listDir: withOut(lib.func('int __cdecl list_dir(const char *pattern, char *out, int size)')),
    makeDir: lib.func('int __cdecl make_dir(const char *path)') as (p: string) => number,
    removeFile: lib.func('int __cdecl remove_file(const char *path)') as (p: string) => number,
    moveFile: lib.func('int __cdecl move_file(const char *from, const char *to)') as (a: string, b: string) => number,
    fullPath: withOut(lib.func('int __cdecl full_path(const char *path, char *out, int size)')),
    changeDir: withOut(lib.func('int __cdecl change_dir(const char *path, char *out, int size)')),
    tempFile: withOut(lib.func('int __cdecl temp_file(char *out, int size)')),
  };
}

/** A granted folder with a neighbour holding secrets, and a link from inside to it. */
function makeFolder(name: string): { root: string; outside: string } {
  const dir = path.join(base, name);
  const root = path.join(dir, 'granted');
  const outside = path.join(dir, 'outside');
  fs.mkdirSync(root, { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  fs.writeFileSync(path.join(dir, 'secret'), 'SECRET NEXT TO THE FOLDER');
  fs.writeFileSync(path.join(root, 'hello.txt'), 'hello from the host');
  fs.symlinkSync(outside, path.join(root, 'escape'));
  return { root, outside };
}

describe.each(['mingw', 'msvc'])('fileio-%s.dll with a writable host folder', (flavour) => {
  let lib: Library;
  let f: ReturnType<typeof bind>;
  let root: string;
  let outside: string;
  beforeAll(() => {
    ({ root, outside } = makeFolder(`rw-${flavour}`));
    lib = loadSync(fixture(`fileio-${flavour}.dll`), { fs: { root, writable: true }, output: () => {} });
    f = bind(lib);
  });
  afterAll(() => lib.close());

  test('what the DLL writes appears in the folder', () => {
    expect(f.writeThenRead('C:\\out\\..\\Written.txt')).toBe(17);
    expect(fs.readFileSync(path.join(root, 'Written.txt'), 'latin1')).toBe('wowasm file I/O\r\n');
    expect(f.makeDir('Data')).toBe(0);
    expect(f.writeFile('data\\notes.txt', 'abc')).toBe(3);
    expect(fs.readFileSync(path.join(root, 'Data', 'notes.txt'), 'latin1')).toBe('abc');
    expect(f.listDir('C:\\DATA\\*')).toEqual({ r: 3, text: '.|..|notes.txt' });
    expect(f.moveFile('data\\notes.txt', 'data\\moved.txt')).toBe(0);
    expect(fs.readdirSync(path.join(root, 'Data'))).toEqual(['moved.txt']);
    expect(f.removeFile('DATA\\MOVED.TXT')).toBe(0);
    expect(fs.readdirSync(path.join(root, 'Data'))).toEqual([]);
  });

  test('host files are read case-insensitively', () => {
    expect(f.readFile('HELLO.TXT')).toEqual({ r: 19, text: 'hello from the host' });
  });

  test('temporary files are made in C:\\Temp inside the folder', () => {
    const t = f.tempFile();
    expect(t.r).toBe(0);
    expect(t.text).toMatch(/^C:\\Temp\\wow[0-9A-F]{1,4}\.tmp$/);
    expect(fs.existsSync(path.join(root, 'Temp', t.text.slice('C:\\Temp\\'.length)))).toBe(true);
  });

  test('`..` stops at C:\\: neither ..\\..\\etc\\passwd nor C:\\..\\secret leaves the folder', () => {
    expect(f.fullPath('..\\..\\etc\\passwd')).toEqual({ r: 13, text: 'C:\\etc\\passwd' });
    expect(f.tryOpen('..\\..\\etc\\passwd')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryOpen('C:\\..\\secret')).toBe(ERROR_FILE_NOT_FOUND);
    expect(f.tryOpen('..\\..\\outside\\secret.txt')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryCreate('C:\\..\\..\\made-by-guest')).toBe(0);
    expect(fs.existsSync(path.join(root, 'made-by-guest'))).toBe(true);
    expect(fs.existsSync(path.join(root, '..', 'made-by-guest'))).toBe(false);
  });

  test('UNC names are refused with ERROR_BAD_NETPATH', () => {
    expect(f.tryOpen('\\\\server\\share\\x')).toBe(ERROR_BAD_NETPATH);
    expect(f.tryCreate('//server/share/x')).toBe(ERROR_BAD_NETPATH);
    expect(f.tryOpen('\\\\?\\UNC\\server\\share\\x')).toBe(ERROR_BAD_NETPATH);
  });

  test('\\\\?\\ and \\\\.\\ names: C: is the sandbox, other volumes and devices are refused', () => {
    expect(f.tryOpen('\\\\?\\C:\\x')).toBe(ERROR_FILE_NOT_FOUND);
    expect(f.tryCreate('\\\\?\\C:\\x')).toBe(0);
    expect(fs.existsSync(path.join(root, 'x'))).toBe(true);
    expect(f.tryOpen('\\\\?\\C:\\..\\secret')).toBe(ERROR_INVALID_NAME);
    expect(f.tryOpen('\\\\?\\D:\\x')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryOpen('\\\\?\\GLOBALROOT\\Device\\HarddiskVolume1\\x')).toBe(ERROR_FILE_NOT_FOUND);
    expect(f.tryOpen('\\\\.\\C:')).toBe(ERROR_ACCESS_DENIED);
    expect(f.tryOpen('\\\\.\\PhysicalDrive0')).toBe(ERROR_ACCESS_DENIED);
  });

  test('device names open devices (or nothing), never files in the folder', () => {
    expect(f.tryCreate('CON')).toBe(0); // the console, opened for output
    expect(f.tryCreate('NUL.txt')).toBe(0); // the null device
    expect(f.tryCreate('C:\\Data\\nul')).toBe(0);
    expect(f.tryOpen('COM1')).toBe(ERROR_FILE_NOT_FOUND); // no serial port
    expect(f.tryCreate('lpt1.log')).toBe(ERROR_FILE_NOT_FOUND);
    expect(f.fullPath('C:\\Data\\nul.txt')).toEqual({ r: 7, text: '\\\\.\\NUL' });
    const names = fs.readdirSync(root).concat(fs.readdirSync(path.join(root, 'Data')));
    expect(names.filter((n) => /^(con|nul|com1|lpt1)\b/i.test(n))).toEqual([]);
  });

  test('a link inside the folder that points outside is refused both ways', () => {
    expect(f.tryOpen('escape\\secret.txt')).toBe(ERROR_ACCESS_DENIED);
    expect(f.tryCreate('escape\\planted.txt')).toBe(ERROR_ACCESS_DENIED);
    expect(f.readFile('escape\\secret.txt').r).toBe(-ERROR_ACCESS_DENIED);
    expect(f.listDir('escape\\*').r).toBe(-ERROR_ACCESS_DENIED);
    expect(f.listDir('C:\\*').text.split('|')).not.toContain('escape');
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });

  test('host paths are paths on C:: /etc/passwd and C:/etc/passwd resolve inside the folder', () => {
    expect(f.tryOpen('/etc/passwd')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryOpen('C:/etc/passwd')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryOpen(path.join(outside, 'secret.txt'))).toBe(ERROR_PATH_NOT_FOUND);
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'sandboxed passwd');
    expect(f.readFile('/etc/passwd').text).toBe('sandboxed passwd');
    expect(f.readFile('C:/etc/passwd').text).toBe('sandboxed passwd');
  });

  test('other drives, streams and wildcards are refused', () => {
    expect(f.tryOpen('D:\\x')).toBe(ERROR_PATH_NOT_FOUND);
    expect(f.tryCreate('hello.txt:stream')).toBe(ERROR_INVALID_NAME);
    expect(f.tryCreate('C:\\*')).toBe(ERROR_INVALID_NAME);
  });

  test('the current directory moves within C: only', () => {
    expect(f.changeDir('data')).toEqual({ r: 7, text: 'C:\\data' }); // kept as given, as Windows does
    expect(f.changeDir('..\\..\\..')).toEqual({ r: 3, text: 'C:\\' });
    expect(f.changeDir('\\\\server\\share').r).toBe(-ERROR_BAD_NETPATH);
  });
});

describe('fileio-mingw.dll through msvcrt stdio', () => {
  test('text mode turns LF into CR LF on the way out and back; fopen errors are errno values', () => {
    const { root } = makeFolder('crt');
    const lib = loadSync(fixture('fileio-mingw.dll'), { fs: { root, writable: true } });
    try {
      const out = lib.memory.alloc(256);
      const roundtrip = lib.func('int __cdecl crt_roundtrip(const char *name, char *out, int size)');
      const openErrno = lib.func('int __cdecl crt_open_errno(const char *name, const char *mode)');
      // 20 bytes on disk (two CR LF line ends), 2 lines read back, the last one with a bare LF.
      expect(roundtrip('text.txt', out, 256)).toBe(20 * 100 + 2);
      expect(lib.memory.readCString(out)).toBe('line two\n');
      expect(fs.readFileSync(path.join(root, 'text.txt'), 'latin1')).toBe('line one\r\nline two\r\n');
      expect(openErrno('missing.txt', 'r')).toBe(2); // ENOENT
      expect(openErrno('text.txt', 'q')).toBe(22); // EINVAL
      expect(openErrno('..\\..\\etc\\passwd', 'r')).toBe(2);
      expect(openErrno('\\\\server\\share\\x', 'r')).toBe(2); // ERROR_BAD_NETPATH -> ENOENT
      expect(openErrno('escape\\secret.txt', 'r')).toBe(13); // EACCES
      expect(openErrno('bad*name', 'w')).toBe(22); // ERROR_INVALID_NAME -> EINVAL
    } finally {
      lib.close();
    }
  });
});

describe.each(['mingw', 'msvc'])('fileio-%s.dll with a read-only host folder', (flavour) => {
  test('reads work; every change is ERROR_ACCESS_DENIED and the folder stays as it was', () => {
    const { root } = makeFolder(`ro-${flavour}`);
    const lib = loadSync(fixture(`fileio-${flavour}.dll`), { fs: { root } });
    try {
      const f = bind(lib);
      const before = fs.readdirSync(root).sort();
      expect(f.readFile('hello.txt')).toEqual({ r: 19, text: 'hello from the host' });
      expect(f.writeThenRead('new.txt')).toBe(-ERROR_ACCESS_DENIED);
      expect(f.writeThenRead('hello.txt')).toBe(-ERROR_ACCESS_DENIED);
      expect(f.tryCreate('x')).toBe(ERROR_ACCESS_DENIED);
      expect(f.makeDir('d')).toBe(ERROR_ACCESS_DENIED);
      expect(f.removeFile('hello.txt')).toBe(ERROR_ACCESS_DENIED);
      expect(f.moveFile('hello.txt', 'moved.txt')).toBe(ERROR_ACCESS_DENIED);
      expect(f.tempFile().r).toBe(ERROR_ACCESS_DENIED);
      expect(fs.readdirSync(root).sort()).toEqual(before);
      expect(fs.readFileSync(path.join(root, 'hello.txt'), 'latin1')).toBe('hello from the host');
    } finally {
      lib.close();
    }
  });
});

test('the fs option reaches a DLL loaded in a worker (load())', async () => {
  const root = path.join(base, 'async');
  fs.mkdirSync(root);
  const lib = await load(fixture('fileio-msvc.dll'), { fs: { root, writable: true } });
  try {
    expect(await lib.func('int __cdecl write_then_read(const char *name)')('from-worker.txt')).toBe(17);
    expect(fs.readFileSync(path.join(root, 'from-worker.txt'), 'latin1')).toBe('wowasm file I/O\r\n');
  } finally {
    await lib.close();
  }
  const mem = await load(fixture('fileio-msvc.dll'), { fs: { memory: true, files: { 'seed.txt': new Uint8Array([0x6f, 0x6b]) } } });
  try {
    const out = await mem.memory.alloc(64);
    expect(await mem.func('int __cdecl read_file(const char *path, char *out, int size)')('C:\\SEED.TXT', out, 64)).toBe(2);
    expect(await mem.memory.readCString(out)).toBe('ok');
  } finally {
    await mem.close();
  }
});

test('a granted folder that does not exist fails the load', () => {
  expect(() => loadSync(fixture('fileio-msvc.dll'), { fs: { root: path.join(base, 'missing') } })).toThrow(/fs option: the folder .* does not exist/);
});
