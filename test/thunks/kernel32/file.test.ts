// File handles as guest code uses them (CreateFile, ReadFile/WriteFile, file pointers, sizes, times,
// sharing, delete-on-close, the NUL device and console handles), on an in-memory volume. Expected
// results follow Microsoft's documentation of each function and the behaviour Wine's conformance tests
// record for Windows (dlls/kernel32/tests/file.c).
import { beforeEach, describe, expect, test } from 'vitest';
import {
  CREATE_ALWAYS,
  CREATE_NEW,
  DELETE,
  ERROR,
  FILE_APPEND_DATA,
  FILE_FLAG_BACKUP_SEMANTICS,
  FILE_FLAG_DELETE_ON_CLOSE,
  FILE_SHARE_DELETE,
  FILE_SHARE_READ,
  FILE_SHARE_WRITE,
  fileOps,
  GENERIC_READ,
  GENERIC_WRITE,
  INVALID_HANDLE_VALUE,
  OPEN_ALWAYS,
  OPEN_EXISTING,
  TRUNCATE_EXISTING,
  type FileOps,
} from '../../helpers/files.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const FILE_BEGIN = 0;
const FILE_CURRENT = 1;
const FILE_END = 2;
const FILE_ATTRIBUTE_READONLY = 0x1;
const FILE_ATTRIBUTE_HIDDEN = 0x2;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_ARCHIVE = 0x20;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const FILE_TYPE_DISK = 1;
const FILE_TYPE_CHAR = 2;
const STD_INPUT_HANDLE = -10;
const STD_OUTPUT_HANDLE = -11;

let w: Win32;
let f: FileOps;
let out: string;
beforeEach(() => {
  out = '';
  w = win32({ fs: { memory: true, files: { 'data.txt': 'hello world', 'dir/inner.txt': 'x', 'empty/': '' } }, output: (_s, b) => (out += Buffer.from(b).toString('latin1')) });
  f = fileOps(w);
});

describe('CreateFile dispositions', () => {
  test('OPEN_EXISTING: a missing file is ERROR_FILE_NOT_FOUND, a missing folder ERROR_PATH_NOT_FOUND', () => {
    expect(f.open('nope.txt')).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.open('nodir\\x.txt')).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.open('data.txt\\x')).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.PATH_NOT_FOUND);
  });

  test('CREATE_NEW creates, then fails with ERROR_FILE_EXISTS', () => {
    w.k32('SetLastError', 0xdead);
    const h = f.open('new.txt', { disposition: CREATE_NEW });
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(0);
    f.close(h);
    expect(f.open('new.txt', { disposition: CREATE_NEW })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.FILE_EXISTS);
  });

  test('CREATE_ALWAYS truncates an existing file and reports ERROR_ALREADY_EXISTS', () => {
    const h = f.open('data.txt', { disposition: CREATE_ALWAYS });
    expect(w.lastError()).toBe(ERROR.ALREADY_EXISTS);
    expect(w.k32('GetFileSize', h, 0)).toBe(0);
    f.close(h);
    f.open('fresh.txt', { disposition: CREATE_ALWAYS });
    expect(w.lastError()).toBe(0);
  });

  test('OPEN_ALWAYS keeps the contents; ERROR_ALREADY_EXISTS only when it existed', () => {
    const h = f.open('data.txt', { disposition: OPEN_ALWAYS });
    expect(w.lastError()).toBe(ERROR.ALREADY_EXISTS);
    expect(f.read(h)).toBe('hello world');
    f.close(h);
    w.k32('SetLastError', 0xdead);
    expect(f.open('other.txt', { disposition: OPEN_ALWAYS })).not.toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(0);
  });

  test('TRUNCATE_EXISTING needs GENERIC_WRITE, truncates, and fails on a missing file', () => {
    expect(f.open('data.txt', { access: GENERIC_READ, disposition: TRUNCATE_EXISTING })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
    const h = f.open('data.txt', { access: GENERIC_WRITE, disposition: TRUNCATE_EXISTING });
    expect(w.k32('GetFileSize', h, 0)).toBe(0);
    expect(f.open('nope.txt', { access: GENERIC_WRITE, disposition: TRUNCATE_EXISTING })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });

  test('an invalid disposition, an empty name, wildcards', () => {
    for (const d of [0, 6]) {
      expect(f.open('data.txt', { disposition: d })).toBe(INVALID_HANDLE_VALUE);
      expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
    }
    expect(f.open('', { disposition: CREATE_NEW })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.open('C:\\*.*')).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.INVALID_NAME);
  });

  test('folders: ERROR_ACCESS_DENIED without FILE_FLAG_BACKUP_SEMANTICS, a handle with it', () => {
    expect(f.open('dir', { access: GENERIC_READ })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('dir\\', { access: GENERIC_READ })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.PATH_NOT_FOUND);
    const h = f.open('dir', { access: GENERIC_READ, share: FILE_SHARE_READ, flags: FILE_FLAG_BACKUP_SEMANTICS });
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    const info = w.buf(52);
    expect(w.k32('GetFileInformationByHandle', h, info)).toBe(1);
    expect(w.u32(info)).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(f.read(h)).toBe(false);
    expect(w.lastError()).toBe(ERROR.INVALID_FUNCTION);
    expect(f.open('C:\\', { access: GENERIC_READ, flags: FILE_FLAG_BACKUP_SEMANTICS })).not.toBe(INVALID_HANDLE_VALUE);
  });

  test('a file name with a trailing separator is ERROR_INVALID_NAME', () => {
    expect(f.open('data.txt\\')).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.INVALID_NAME);
  });

  test('names are case-insensitive; new names keep the case given', () => {
    const h = f.open('DATA.TXT', { access: GENERIC_READ });
    expect(f.read(h)).toBe('hello world');
    f.put('MixedCase.Txt', 'm');
    expect(f.list('mixed*')).toEqual(['MixedCase.Txt']);
  });

  test('read-only files refuse write access and deletion, not reading', () => {
    expect(w.k32('SetFileAttributesA', w.str('data.txt'), FILE_ATTRIBUTE_READONLY)).toBe(1);
    expect(f.open('data.txt', { access: GENERIC_WRITE })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('data.txt', { access: GENERIC_READ, disposition: CREATE_ALWAYS })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('DeleteFileA', w.str('data.txt'))).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.get('data.txt')).toBe('hello world');
  });

  test('CREATE_ALWAYS over a hidden file without FILE_ATTRIBUTE_HIDDEN is refused; with it the file is replaced', () => {
    w.k32('SetFileAttributesA', w.str('data.txt'), FILE_ATTRIBUTE_HIDDEN);
    expect(f.open('data.txt', { disposition: CREATE_ALWAYS, flags: FILE_ATTRIBUTE_NORMAL })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    const h = f.open('data.txt', { disposition: CREATE_ALWAYS, flags: FILE_ATTRIBUTE_HIDDEN });
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    expect(f.attributes('data.txt')).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
  });

  test('new files get FILE_ATTRIBUTE_ARCHIVE added to what was asked', () => {
    f.close(f.open('plain.txt', { disposition: CREATE_NEW, flags: FILE_ATTRIBUTE_NORMAL }));
    expect(f.attributes('plain.txt')).toBe(FILE_ATTRIBUTE_ARCHIVE);
    f.close(f.open('ro.txt', { disposition: CREATE_NEW, flags: FILE_ATTRIBUTE_READONLY }));
    expect(f.attributes('ro.txt')).toBe(FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_ARCHIVE);
  });
});

describe('sharing modes between handles', () => {
  test('a second open must be allowed by the share mode of the first, and allow its access', () => {
    const h = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ });
    expect(f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ })).not.toBe(INVALID_HANDLE_VALUE);
    expect(f.open('data.txt', { access: GENERIC_WRITE, share: FILE_SHARE_READ })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.SHARING_VIOLATION);
    expect(f.open('data.txt', { access: GENERIC_READ, share: 0 })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.SHARING_VIOLATION);
    f.close(h);
  });

  test('an open without data access conflicts with nothing', () => {
    const h = f.open('data.txt', { access: GENERIC_READ | GENERIC_WRITE, share: 0 });
    expect(f.open('data.txt', { access: 0, share: 0 })).not.toBe(INVALID_HANDLE_VALUE);
    f.close(h);
  });

  test('DeleteFile needs every open to share delete; a deleted open file stays readable', () => {
    let h = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ });
    expect(w.k32('DeleteFileA', w.str('data.txt'))).toBe(0);
    expect(w.lastError()).toBe(ERROR.SHARING_VIOLATION);
    f.close(h);
    h = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ | FILE_SHARE_DELETE });
    expect(w.k32('DeleteFileA', w.str('data.txt'))).toBe(1);
    expect(f.attributes('data.txt')).toBe(0xffff_ffff);
    expect(f.read(h)).toBe('hello world');
  });

  test('FILE_FLAG_DELETE_ON_CLOSE deletes the file when its last handle closes', () => {
    const h = f.open('temp.txt', { disposition: CREATE_NEW, share: FILE_SHARE_READ | FILE_SHARE_DELETE, flags: FILE_FLAG_DELETE_ON_CLOSE });
    f.write(h, 'scratch');
    const h2 = f.open('temp.txt', { access: GENERIC_READ, share: FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE });
    f.close(h);
    expect(f.read(h2)).toBe('scratch');
    f.close(h2);
    expect(f.attributes('temp.txt')).toBe(0xffff_ffff);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });

  test('DELETE access alone does not let others delete', () => {
    const h = f.open('data.txt', { access: DELETE, share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    expect(f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ | FILE_SHARE_WRITE })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.SHARING_VIOLATION);
  });
});

describe('ReadFile / WriteFile', () => {
  test('write, rewind, read; reading at the end gives TRUE and 0 bytes', () => {
    const h = f.open('rw.bin', { disposition: CREATE_NEW });
    expect(f.write(h, 'abcdef')).toBe(6);
    expect(w.k32('SetFilePointer', h, 0, 0, FILE_BEGIN)).toBe(0);
    expect(f.read(h, 4)).toBe('abcd');
    expect(f.read(h, 4)).toBe('ef');
    expect(f.read(h, 4)).toBe('');
  });

  test('an OVERLAPPED gives the offset and moves the file pointer; at the end it is ERROR_HANDLE_EOF', () => {
    const h = f.open('data.txt');
    const ov = w.buf(20);
    w.cpu.mem.setU32(ov + 8, 6);
    const buf = w.buf(16);
    const n = w.buf(4);
    expect(w.k32('ReadFile', h, buf, 5, n, ov)).toBe(1);
    expect(w.readStr(buf)).toBe('world');
    expect(w.u32(ov + 4)).toBe(5); // InternalHigh: bytes transferred
    expect(w.k32('SetFilePointer', h, 0, 0, FILE_CURRENT)).toBe(11);
    w.cpu.mem.setU32(ov + 8, 11);
    expect(w.k32('ReadFile', h, buf, 5, n, ov)).toBe(0);
    expect(w.lastError()).toBe(ERROR.HANDLE_EOF);
    expect(w.u32(n)).toBe(0);
    w.cpu.mem.setU32(ov + 8, 2);
    const src = w.str('XY');
    expect(w.k32('WriteFile', h, src, 2, n, ov)).toBe(1);
    expect(w.k32('SetFilePointer', h, 0, 0, FILE_CURRENT)).toBe(4);
    f.close(h);
    expect(f.get('data.txt')).toBe('heXYo world');
  });

  test('writing after a seek past the end fills the gap with zeros', () => {
    const h = f.open('gap.bin', { disposition: CREATE_NEW });
    w.k32('SetFilePointer', h, 4, 0, FILE_BEGIN);
    f.write(h, 'z');
    expect(w.k32('GetFileSize', h, 0)).toBe(5);
    w.k32('SetFilePointer', h, 0, 0, FILE_BEGIN);
    expect(f.read(h)).toBe('\0\0\0\0z');
  });

  test('FILE_APPEND_DATA without FILE_WRITE_DATA writes at the end', () => {
    const h = f.open('data.txt', { access: FILE_APPEND_DATA, share: FILE_SHARE_READ });
    f.write(h, '!');
    f.close(h);
    expect(f.get('data.txt')).toBe('hello world!');
  });

  test('access rights: no reading on a write-only handle, no writing on a read-only one', () => {
    const r = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    expect(f.write(r, 'x')).toBe(false);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    const wr = f.open('data.txt', { access: GENERIC_WRITE, share: FILE_SHARE_READ | FILE_SHARE_WRITE });
    expect(f.read(wr)).toBe(false);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
  });

  test('bad buffers: ERROR_NOACCESS for reads, ERROR_INVALID_USER_BUFFER for writes; bad handles', () => {
    const h = f.open('data.txt');
    const n = w.buf(4);
    expect(w.k32('ReadFile', h, 0, 10, n, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.NOACCESS);
    expect(w.k32('WriteFile', h, 0, 10, n, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_USER_BUFFER);
    expect(w.k32('WriteFile', h, 0, 0, n, 0)).toBe(1);
    expect(w.u32(n)).toBe(0);
    expect(w.k32('ReadFile', 0xdead, w.buf(4), 4, n, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_HANDLE);
  });
});

describe('file pointer and size', () => {
  test('FILE_BEGIN, FILE_CURRENT, FILE_END; a negative result is ERROR_NEGATIVE_SEEK and leaves the pointer', () => {
    const h = f.open('data.txt');
    expect(w.k32('SetFilePointer', h, 3, 0, FILE_BEGIN)).toBe(3);
    expect(w.k32('SetFilePointer', h, 2, 0, FILE_CURRENT)).toBe(5);
    expect(w.k32('SetFilePointer', h, -1, 0, FILE_END)).toBe(10);
    expect(w.k32('SetFilePointer', h, -20, 0, FILE_CURRENT) >>> 0).toBe(0xffff_ffff);
    expect(w.lastError()).toBe(ERROR.NEGATIVE_SEEK);
    expect(w.k32('SetFilePointer', h, 0, 0, FILE_CURRENT)).toBe(10);
    expect(w.k32('SetFilePointer', h, 0, 0, 3) >>> 0).toBe(0xffff_ffff);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
  });

  test('the high part: 64-bit positions, and 0xFFFFFFFF with the last error cleared', () => {
    const h = f.open('data.txt');
    const high = w.buf(4);
    w.cpu.mem.setU32(high, 1);
    expect(w.k32('SetFilePointer', h, 0x10, high, FILE_BEGIN)).toBe(0x10);
    w.cpu.mem.setU32(high, 0);
    expect(w.k32('SetFilePointer', h, 0, high, FILE_CURRENT)).toBe(0x10);
    expect(w.u32(high)).toBe(1);
    w.k32('SetLastError', 0xdead);
    w.cpu.mem.setU32(high, 0);
    expect(w.k32('SetFilePointer', h, -1, high, FILE_BEGIN) >>> 0).toBe(0xffff_ffff);
    expect(w.lastError()).toBe(0);
    // Without the high part, a position beyond 32 bits is refused.
    expect(w.k32('SetFilePointer', h, 0x10, 0, FILE_CURRENT) >>> 0).toBe(0xffff_ffff);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
  });

  test('SetFilePointerEx returns the 64-bit position', () => {
    const h = f.open('data.txt');
    const pos = w.buf(8);
    expect(w.k32('SetFilePointerEx', h, 0x2_0000_0004n, pos, FILE_BEGIN)).toBe(1);
    expect(w.cpu.mem.u64(pos)).toBe(0x2_0000_0004n);
    expect(w.k32('SetFilePointerEx', h, -3n, pos, FILE_END)).toBe(1);
    expect(w.cpu.mem.u64(pos)).toBe(8n);
  });

  test('GetFileSize(Ex), SetEndOfFile shortening and lengthening', () => {
    const h = f.open('data.txt');
    const high = w.buf(4);
    w.cpu.mem.setU32(high, 0xdead);
    expect(w.k32('GetFileSize', h, high)).toBe(11);
    expect(w.u32(high)).toBe(0);
    w.k32('SetFilePointer', h, 5, 0, FILE_BEGIN);
    expect(w.k32('SetEndOfFile', h)).toBe(1);
    const size = w.buf(8);
    expect(w.k32('GetFileSizeEx', h, size)).toBe(1);
    expect(w.cpu.mem.u64(size)).toBe(5n);
    w.k32('SetFilePointer', h, 100, 0, FILE_BEGIN);
    w.k32('SetEndOfFile', h);
    expect(w.k32('GetFileSize', h, 0)).toBe(100);
    f.close(h);
    const r = f.open('data.txt', { access: GENERIC_READ });
    expect(w.k32('SetEndOfFile', r)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('FlushFileBuffers', r)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
  });
});

describe('times and information', () => {
  test('SetFileTime / GetFileTime; NULL leaves a time alone', () => {
    const h = f.open('data.txt');
    const t = w.buf(8);
    const when = 133_000_000_000_000_000n; // 2022-06-16
    w.cpu.mem.setU64(t, when);
    expect(w.k32('SetFileTime', h, 0, 0, t)).toBe(1);
    const c = w.buf(8);
    const a = w.buf(8);
    const m = w.buf(8);
    expect(w.k32('GetFileTime', h, c, a, m)).toBe(1);
    expect(w.cpu.mem.u64(m)).toBe(when);
    expect(w.cpu.mem.u64(c)).not.toBe(when);
    const r = f.open('dir\\inner.txt', { access: GENERIC_READ });
    expect(w.k32('SetFileTime', r, 0, 0, t)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
  });

  test('GetFileInformationByHandle', () => {
    const h = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ });
    const i = w.buf(52);
    expect(w.k32('GetFileInformationByHandle', h, i)).toBe(1);
    expect(w.u32(i)).toBe(FILE_ATTRIBUTE_ARCHIVE);
    expect(w.u32(i + 32)).toBe(0); // nFileSizeHigh
    expect(w.u32(i + 36)).toBe(11);
    expect(w.u32(i + 40)).toBe(1); // nNumberOfLinks
    const h2 = f.open('data.txt', { access: GENERIC_READ, share: FILE_SHARE_READ });
    const j = w.buf(52);
    w.k32('GetFileInformationByHandle', h2, j);
    expect([w.u32(j + 28), w.u32(j + 44), w.u32(j + 48)]).toEqual([w.u32(i + 28), w.u32(i + 44), w.u32(i + 48)]); // same volume and file index
  });
});

describe('devices and console handles', () => {
  test('WriteFile on the standard output reaches the output sink; ReadFile on standard input is at its end', () => {
    const n = w.buf(4);
    expect(w.k32('WriteFile', w.k32('GetStdHandle', STD_OUTPUT_HANDLE), w.str('to stdout'), 9, n, 0)).toBe(1);
    expect(out).toBe('to stdout');
    expect(w.k32('ReadFile', w.k32('GetStdHandle', STD_INPUT_HANDLE), w.buf(4), 4, n, 0)).toBe(1);
    expect(w.u32(n)).toBe(0);
  });

  test('CONOUT$ and CON opened for writing are the console; CON for reading and writing is refused', () => {
    const h = f.open('CONOUT$', { access: GENERIC_WRITE });
    f.write(h, 'a');
    const con = f.open('con', { access: GENERIC_WRITE });
    f.write(con, 'b');
    expect(out).toBe('ab');
    expect(f.open('CON', { access: GENERIC_READ | GENERIC_WRITE })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });

  test('NUL swallows writes and reads nothing, in any folder and with any extension', () => {
    const h = f.open('C:\\dir\\nul.txt', { disposition: CREATE_ALWAYS });
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    expect(f.write(h, 'gone')).toBe(4);
    expect(f.read(h)).toBe('');
    expect(f.list('C:\\dir\\*')).toEqual(['.', '..', 'inner.txt']);
    expect(w.k32('GetFileType', h)).toBe(FILE_TYPE_CHAR);
  });

  test('GetFileType', () => {
    expect(w.k32('GetFileType', f.open('data.txt'))).toBe(FILE_TYPE_DISK);
    expect(w.k32('GetFileType', w.k32('GetStdHandle', STD_OUTPUT_HANDLE))).toBe(FILE_TYPE_CHAR);
    expect(w.k32('GetFileType', STD_OUTPUT_HANDLE)).toBe(FILE_TYPE_CHAR);
    expect(w.k32('GetFileType', 0x1234)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_HANDLE);
  });

  test('serial ports and printers do not exist', () => {
    for (const name of ['COM1', 'lpt1.txt', 'PRN', 'aux', '\\\\.\\COM2']) {
      expect(f.open(name)).toBe(INVALID_HANDLE_VALUE);
      expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
    }
  });
});

describe('the default volume', () => {
  test('without an fs option drive C: is empty and read-only', () => {
    const d = win32();
    const g = fileOps(d);
    expect(g.list('C:\\*')).toBe(ERROR.FILE_NOT_FOUND);
    expect(g.open('a.txt', { disposition: CREATE_NEW })).toBe(INVALID_HANDLE_VALUE);
    expect(d.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(g.open('a.txt')).toBe(INVALID_HANDLE_VALUE);
    expect(d.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });
});
