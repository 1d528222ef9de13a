// Names on drive C: through kernel32 (attributes, folders, delete/move/copy, FindFirstFile, current
// directory, full/long/short names, temporary names, drives), on an in-memory volume. Expectations come
// from Microsoft's documentation and Wine's conformance tests of Windows (dlls/kernel32/tests/file.c,
// directory.c, path.c).
import { beforeEach, describe, expect, test } from 'vitest';
import { CREATE_NEW, ERROR, FILE_FLAG_BACKUP_SEMANTICS, FILE_SHARE_READ, fileOps, GENERIC_READ, INVALID_HANDLE_VALUE, type FileOps } from '../../helpers/files.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const INVALID_FILE_ATTRIBUTES = 0xffff_ffff;
const FILE_ATTRIBUTE_READONLY = 0x1;
const FILE_ATTRIBUTE_HIDDEN = 0x2;
const FILE_ATTRIBUTE_DIRECTORY = 0x10;
const FILE_ATTRIBUTE_ARCHIVE = 0x20;
const FILE_ATTRIBUTE_NORMAL = 0x80;
const MOVEFILE_REPLACE_EXISTING = 1;
const MOVEFILE_DELAY_UNTIL_REBOOT = 4;
const DRIVE_NO_ROOT_DIR = 1;
const DRIVE_FIXED = 3;

let w: Win32;
let f: FileOps;
beforeEach(() => {
  w = win32({ fs: { memory: true, files: { 'a.txt': 'AAA', 'b.txt': 'BB', 'dir/x.c': 'x', 'dir/y.h': 'y', 'dir/sub/z': 'z', 'dir/README': 'r' } } });
  f = fileOps(w);
});

const ok = (r: number) => expect(r).toBe(1);
function fails(r: number, code: number) {
  expect(r).toBe(0);
  expect(w.lastError()).toBe(code);
}

describe('attributes', () => {
  test('files are ARCHIVE, folders DIRECTORY; missing names INVALID_FILE_ATTRIBUTES', () => {
    expect(f.attributes('a.txt')).toBe(FILE_ATTRIBUTE_ARCHIVE);
    expect(f.attributes('dir')).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(f.attributes('C:\\')).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(f.attributes('dir\\')).toBe(FILE_ATTRIBUTE_DIRECTORY);
    expect(f.attributes('none')).toBe(INVALID_FILE_ATTRIBUTES);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.attributes('none\\x')).toBe(INVALID_FILE_ATTRIBUTES);
    expect(w.lastError()).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.attributes('a.txt\\')).toBe(INVALID_FILE_ATTRIBUTES);
    expect(w.lastError()).toBe(ERROR.INVALID_NAME);
  });

  test('SetFileAttributes; FILE_ATTRIBUTE_NORMAL alone when nothing else is set', () => {
    ok(w.k32('SetFileAttributesA', w.str('a.txt'), FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_READONLY | FILE_ATTRIBUTE_DIRECTORY));
    expect(f.attributes('a.txt')).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_READONLY);
    ok(w.k32('SetFileAttributesA', w.str('a.txt'), FILE_ATTRIBUTE_NORMAL));
    expect(f.attributes('a.txt')).toBe(FILE_ATTRIBUTE_NORMAL);
    fails(w.k32('SetFileAttributesA', w.str('none'), FILE_ATTRIBUTE_NORMAL), ERROR.FILE_NOT_FOUND);
  });

  test('GetFileAttributesEx: WIN32_FILE_ATTRIBUTE_DATA; only GetFileExInfoStandard', () => {
    const d = w.buf(36);
    ok(w.k32('GetFileAttributesExW', w.wstr('a.txt'), 0, d));
    expect(w.u32(d)).toBe(FILE_ATTRIBUTE_ARCHIVE);
    expect([w.u32(d + 28), w.u32(d + 32)]).toEqual([0, 3]);
    expect(w.cpu.mem.u64(d + 20)).toBeGreaterThan(116_444_736_000_000_000n); // after 1970
    fails(w.k32('GetFileAttributesExA', w.str('a.txt'), 1, d), ERROR.INVALID_PARAMETER);
  });
});

describe('folders', () => {
  test('CreateDirectory: ERROR_ALREADY_EXISTS for existing names and the root, ERROR_PATH_NOT_FOUND without a parent', () => {
    ok(w.k32('CreateDirectoryA', w.str('new'), 0));
    expect(f.attributes('NEW')).toBe(FILE_ATTRIBUTE_DIRECTORY);
    fails(w.k32('CreateDirectoryA', w.str('new'), 0), ERROR.ALREADY_EXISTS);
    fails(w.k32('CreateDirectoryA', w.str('a.txt'), 0), ERROR.ALREADY_EXISTS);
    fails(w.k32('CreateDirectoryA', w.str('C:\\'), 0), ERROR.ALREADY_EXISTS);
    fails(w.k32('CreateDirectoryA', w.str('.'), 0), ERROR.ALREADY_EXISTS);
    fails(w.k32('CreateDirectoryW', w.wstr('p1\\p2'), 0), ERROR.PATH_NOT_FOUND);
    fails(w.k32('CreateDirectoryA', w.str('bad?'), 0), ERROR.INVALID_NAME);
    fails(w.k32('CreateDirectoryA', w.str(''), 0), ERROR.PATH_NOT_FOUND);
  });

  test('a trailing dot or space is not part of the folder name', () => {
    ok(w.k32('CreateDirectoryA', w.str('Trail. '), 0));
    expect(f.list('Trail*')).toEqual(['Trail']);
  });

  test('RemoveDirectory: not empty, a file, missing, the current directory', () => {
    fails(w.k32('RemoveDirectoryA', w.str('dir')), ERROR.DIR_NOT_EMPTY);
    fails(w.k32('RemoveDirectoryA', w.str('a.txt')), ERROR.DIRECTORY);
    fails(w.k32('RemoveDirectoryA', w.str('none')), ERROR.FILE_NOT_FOUND);
    ok(w.k32('CreateDirectoryA', w.str('cwd'), 0));
    ok(w.k32('SetCurrentDirectoryA', w.str('cwd')));
    fails(w.k32('RemoveDirectoryA', w.str('C:\\cwd')), ERROR.SHARING_VIOLATION);
    ok(w.k32('SetCurrentDirectoryA', w.str('..')));
    ok(w.k32('RemoveDirectoryA', w.str('cwd')));
    expect(f.attributes('cwd')).toBe(INVALID_FILE_ATTRIBUTES);
  });

  test('an open folder handle without FILE_SHARE_DELETE keeps it', () => {
    ok(w.k32('CreateDirectoryA', w.str('held'), 0));
    const h = f.open('held', { access: GENERIC_READ, share: FILE_SHARE_READ, flags: FILE_FLAG_BACKUP_SEMANTICS });
    fails(w.k32('RemoveDirectoryA', w.str('held')), ERROR.SHARING_VIOLATION);
    f.close(h);
    ok(w.k32('RemoveDirectoryA', w.str('held')));
  });
});

describe('DeleteFile, MoveFile, CopyFile', () => {
  test('DeleteFile: files only', () => {
    ok(w.k32('DeleteFileA', w.str('a.txt')));
    fails(w.k32('DeleteFileA', w.str('a.txt')), ERROR.FILE_NOT_FOUND);
    fails(w.k32('DeleteFileA', w.str('dir')), ERROR.ACCESS_DENIED);
    fails(w.k32('DeleteFileW', w.wstr('')), ERROR.PATH_NOT_FOUND);
  });

  test('MoveFile refuses an existing target with ERROR_ALREADY_EXISTS; MoveFileEx can replace it', () => {
    fails(w.k32('MoveFileA', w.str('a.txt'), w.str('b.txt')), ERROR.ALREADY_EXISTS);
    ok(w.k32('MoveFileExA', w.str('a.txt'), w.str('b.txt'), MOVEFILE_REPLACE_EXISTING));
    expect(f.get('b.txt')).toBe('AAA');
    expect(f.attributes('a.txt')).toBe(INVALID_FILE_ATTRIBUTES);
  });

  test('MoveFile moves folders with their contents, renames in another case, and refuses wildcards', () => {
    ok(w.k32('MoveFileA', w.str('dir'), w.str('moved')));
    expect(f.get('moved\\sub\\z')).toBe('z');
    ok(w.k32('MoveFileW', w.wstr('a.txt'), w.wstr('A.TXT')));
    expect(f.list('a.*')).toEqual(['A.TXT']);
    fails(w.k32('MoveFileA', w.str('b.txt'), w.str('wild?.*')), ERROR.INVALID_NAME);
    fails(w.k32('MoveFileA', w.str('none'), w.str('x')), ERROR.FILE_NOT_FOUND);
    fails(w.k32('MoveFileA', w.str('moved'), w.str('moved\\sub\\inside')), ERROR.SHARING_VIOLATION);
    fails(w.k32('MoveFileExA', w.str('b.txt'), w.str('c.txt'), MOVEFILE_DELAY_UNTIL_REBOOT), ERROR.ACCESS_DENIED);
  });

  test('a folder holding an open file (or the current directory) cannot be moved', () => {
    const h = f.open('dir\\x.c', { access: GENERIC_READ, share: FILE_SHARE_READ });
    fails(w.k32('MoveFileA', w.str('dir'), w.str('d2')), ERROR.ACCESS_DENIED);
    f.close(h);
    ok(w.k32('SetCurrentDirectoryA', w.str('dir\\sub')));
    fails(w.k32('MoveFileA', w.str('C:\\dir'), w.str('C:\\d2')), ERROR.ACCESS_DENIED);
  });

  test('an open file moves with its handle: delete-on-close still finds it', () => {
    const h = f.open('tmp.bin', { disposition: CREATE_NEW, share: 7, flags: 0x0400_0000 });
    ok(w.k32('MoveFileA', w.str('tmp.bin'), w.str('dir\\tmp2.bin')));
    expect(f.attributes('dir\\tmp2.bin')).toBe(FILE_ATTRIBUTE_ARCHIVE);
    f.close(h);
    expect(f.attributes('dir\\tmp2.bin')).toBe(INVALID_FILE_ATTRIBUTES);
  });

  test('CopyFile: ERROR_FILE_EXISTS when asked to fail; copies contents, attributes and the write time', () => {
    fails(w.k32('CopyFileA', w.str('a.txt'), w.str('b.txt'), 1), ERROR.FILE_EXISTS);
    w.k32('SetFileAttributesA', w.str('a.txt'), FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
    ok(w.k32('CopyFileA', w.str('a.txt'), w.str('c.txt'), 1));
    expect(f.get('c.txt')).toBe('AAA');
    expect(f.attributes('c.txt')).toBe(FILE_ATTRIBUTE_HIDDEN | FILE_ATTRIBUTE_ARCHIVE);
    const t1 = w.buf(36);
    const t2 = w.buf(36);
    w.k32('GetFileAttributesExA', w.str('a.txt'), 0, t1);
    w.k32('GetFileAttributesExA', w.str('c.txt'), 0, t2);
    expect(w.cpu.mem.u64(t2 + 20)).toBe(w.cpu.mem.u64(t1 + 20));
    ok(w.k32('CopyFileW', w.wstr('a.txt'), w.wstr('b.txt'), 0));
    expect(f.get('b.txt')).toBe('AAA');
    fails(w.k32('CopyFileA', w.str('none'), w.str('x'), 0), ERROR.FILE_NOT_FOUND);
    fails(w.k32('CopyFileA', w.str('a.txt'), w.str('a.txt'), 0), ERROR.SHARING_VIOLATION);
    w.k32('SetFileAttributesA', w.str('b.txt'), FILE_ATTRIBUTE_READONLY);
    fails(w.k32('CopyFileA', w.str('c.txt'), w.str('b.txt'), 0), ERROR.ACCESS_DENIED);
  });
});

describe('FindFirstFile', () => {
  test('subfolders list . and .. first; the root does not', () => {
    expect(f.list('dir\\*')).toEqual(['.', '..', 'README', 'sub', 'x.c', 'y.h']);
    expect(f.list('C:\\*')).toEqual(['a.txt', 'b.txt', 'dir']);
    expect(f.list('*.txt')).toEqual(['a.txt', 'b.txt']);
    expect(f.list('dir\\*.')).toEqual(['.', '..', 'README', 'sub']);
    expect(f.list('dir/?.c')).toEqual(['x.c']);
  });

  test('a plain name finds that one entry, with its stored case', () => {
    expect(f.list('DIR\\X.C')).toEqual(['x.c']);
    expect(f.list('c:\\dir')).toEqual(['dir']);
  });

  test('errors: the root itself, missing folders, no match, a trailing separator', () => {
    expect(f.list('C:\\')).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.list('dir\\')).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.list('none\\')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.list('none\\*.*')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.list('none\\bar.txt')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.list('a.txt\\*')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.list('*.none')).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.list('none')).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.list('')).toBe(ERROR.PATH_NOT_FOUND);
  });

  test('DOS devices are found as one ARCHIVE entry of size 0 where the folder exists', () => {
    const d = w.buf(320);
    const h = w.k32('FindFirstFileA', w.str('C:\\nul'), d) >>> 0;
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    expect(w.readStr(d + 44)).toBe('nul');
    expect(w.u32(d)).toBe(FILE_ATTRIBUTE_ARCHIVE);
    expect(w.u32(d + 32)).toBe(0);
    fails(w.k32('FindNextFileA', h, d), ERROR.NO_MORE_FILES);
    ok(w.k32('FindClose', h));
    expect(f.list('C:\\none\\nul')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.list('C:\\nul*')).toBe(ERROR.FILE_NOT_FOUND);
  });

  test('WIN32_FIND_DATAW; FindFirstFileEx limited to folders; bad levels; FindClose of a bad handle', () => {
    const d = w.buf(592);
    const h = w.k32('FindFirstFileW', w.wstr('dir\\x.*'), d) >>> 0;
    expect(w.readWStr(d + 44)).toBe('x.c');
    expect(w.u32(d + 32)).toBe(1);
    w.k32('FindClose', h);
    const e = w.k32('FindFirstFileExA', w.str('dir\\*'), 1, d, 1, 0, 0) >>> 0;
    const names = [w.readStr(d + 44)];
    while (w.k32('FindNextFileA', e, d)) names.push(w.readStr(d + 44));
    expect(names).toEqual(['.', '..', 'sub']);
    expect(w.k32('FindFirstFileExA', w.str('*'), 2, d, 0, 0, 0) >>> 0).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.INVALID_PARAMETER);
    fails(w.k32('FindClose', 0x4321), ERROR.INVALID_HANDLE);
  });
});

describe('current directory and path names', () => {
  test('GetCurrentDirectory starts at C:\\; size queries count the NUL', () => {
    const b = w.buf(64);
    expect(w.k32('GetCurrentDirectoryA', 64, b)).toBe(3);
    expect(w.readStr(b)).toBe('C:\\');
    ok(w.k32('SetCurrentDirectoryA', w.str('dir/sub/')));
    expect(w.k32('GetCurrentDirectoryW', 0, 0)).toBe(11);
    expect(w.k32('GetCurrentDirectoryW', 64, b)).toBe(10);
    expect(w.readWStr(b)).toBe('C:\\dir\\sub');
    expect(f.get('z')).toBe('z');
    expect(f.get('..\\x.c')).toBe('x');
    expect(f.get('\\a.txt')).toBe('AAA');
  });

  test('SetCurrentDirectory: missing is ERROR_FILE_NOT_FOUND, a missing parent ERROR_PATH_NOT_FOUND, a file ERROR_DIRECTORY', () => {
    fails(w.k32('SetCurrentDirectoryA', w.str('\\some_dummy_dir')), ERROR.FILE_NOT_FOUND);
    fails(w.k32('SetCurrentDirectoryA', w.str('\\some_dummy\\subdir')), ERROR.PATH_NOT_FOUND);
    fails(w.k32('SetCurrentDirectoryA', w.str('a.txt')), ERROR.DIRECTORY);
    const b = w.buf(64);
    w.k32('GetCurrentDirectoryA', 64, b);
    expect(w.readStr(b)).toBe('C:\\');
  });

  test('GetFullPathName: the file part, the size needed, relative and device names', () => {
    const b = w.buf(260);
    const part = w.buf(4);
    w.k32('SetCurrentDirectoryA', w.str('dir'));
    expect(w.k32('GetFullPathNameA', w.str('..\\new\\file.txt'), 260, b, part)).toBe(15);
    expect(w.readStr(b)).toBe('C:\\new\\file.txt');
    expect(w.u32(part)).toBe(b + 7);
    expect(w.k32('GetFullPathNameA', w.str('sub\\'), 260, b, part)).toBe(11);
    expect(w.readStr(b)).toBe('C:\\dir\\sub\\');
    expect(w.u32(part)).toBe(0);
    expect(w.k32('GetFullPathNameW', w.wstr('x'), 3, b, part)).toBe(9);
    expect(w.k32('GetFullPathNameW', w.wstr('C:\\..\\..\\x'), 260, b, part)).toBe(4);
    expect(w.readWStr(b)).toBe('C:\\x');
    expect(w.u32(part)).toBe(b + 6);
    expect(w.k32('GetFullPathNameA', w.str('nul.txt'), 260, b, 0)).toBe(7);
    expect(w.readStr(b)).toBe('\\\\.\\NUL');
    expect(w.k32('GetFullPathNameA', w.str(''), 260, b, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.INVALID_NAME);
  });

  test('GetLongPathName / GetShortPathName need an existing path and return it', () => {
    const b = w.buf(260);
    expect(w.k32('GetLongPathNameA', w.str('C:\\dir\\x.c'), b, 260)).toBe(10);
    expect(w.readStr(b)).toBe('C:\\dir\\x.c');
    expect(w.k32('GetShortPathNameW', w.wstr('dir'), 0, 0)).toBe(4);
    expect(w.k32('GetLongPathNameA', w.str('C:\\none'), b, 260)).toBe(0);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });
});

describe('temporary files', () => {
  test('GetTempPath ends in a separator, counts the NUL when too small, and the folder exists', () => {
    const b = w.buf(64);
    w.cpu.mem.setU32(b, 0x61616161);
    expect(w.k32('GetTempPathA', 8, b)).toBe(9);
    expect(w.u32(b)).toBe(0x61616161);
    expect(w.k32('GetTempPathA', 64, b)).toBe(8);
    expect(w.readStr(b)).toBe('C:\\Temp\\');
    expect(f.attributes('C:\\Temp')).toBe(FILE_ATTRIBUTE_DIRECTORY);
    const e = win32({ env: { TMP: 'C:\\scratch' }, fs: { memory: true } });
    const eb = e.buf(64);
    expect(e.k32('GetTempPathW', 64, eb)).toBe(11);
    expect(e.readWStr(eb)).toBe('C:\\scratch\\');
  });

  test('GetTempFileName with uUnique 0 creates <prefix><hex>.tmp; otherwise it only forms the name', () => {
    const name = w.buf(260);
    w.k32('GetTempPathA', 260, name);
    const n = w.k32('GetTempFileNameA', w.str('C:\\Temp'), w.str('abcdef'), 0, name);
    expect(n).toBeGreaterThan(0);
    expect(w.readStr(name)).toBe(`C:\\Temp\\abc${n.toString(16).toUpperCase()}.tmp`);
    expect(f.get(w.readStr(name))).toBe('');
    const m = w.k32('GetTempFileNameA', w.str('C:\\Temp\\'), w.str('abc'), 0, name);
    expect(m).not.toBe(n);
    expect(w.k32('GetTempFileNameW', w.wstr('C:\\Temp'), w.wstr('t'), 0x1a2b, name)).toBe(0x1a2b);
    expect(w.readWStr(name)).toBe('C:\\Temp\\t1A2B.tmp');
    expect(f.attributes('C:\\Temp\\t1A2B.tmp')).toBe(INVALID_FILE_ATTRIBUTES);
    expect(w.k32('GetTempFileNameA', w.str('C:\\nowhere'), w.str('x'), 0, name)).toBe(0);
    expect(w.lastError()).toBe(ERROR.DIRECTORY);
    expect(w.k32('GetTempFileNameA', w.str('C:\\nowhere'), w.str('x'), 5, name)).toBe(0);
    expect(w.lastError()).toBe(ERROR.DIRECTORY);
  });

  test('a read-only volume cannot make temporary files', () => {
    const r = win32({ fs: { memory: true, writable: false } });
    const b = r.buf(260);
    expect(r.k32('GetTempPathA', 260, b)).toBe(8);
    expect(r.k32('GetTempFileNameA', b, r.str('x'), 0, r.buf(260))).toBe(0);
    expect(r.lastError()).toBe(ERROR.ACCESS_DENIED);
  });
});

describe('volumes and hard links', () => {
  test('FindFirstVolume gives the one volume; its GUID path names drive C:', () => {
    const b = w.buf(128);
    const h = w.k32('FindFirstVolumeW', b, 64) >>> 0;
    expect(h).not.toBe(INVALID_HANDLE_VALUE);
    const name = w.readWStr(b);
    expect(name).toMatch(/^\\\\\?\\Volume\{[0-9a-f-]{36}\}\\$/);
    fails(w.k32('FindNextVolumeW', h, b, 64), ERROR.NO_MORE_FILES);
    ok(w.k32('FindVolumeClose', h));
    expect(w.k32('FindFirstVolumeA', b, 10) >>> 0).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(206); // ERROR_FILENAME_EXCED_RANGE
    const v = w.buf(128);
    ok(w.k32('GetVolumeNameForVolumeMountPointW', w.wstr('C:\\'), v, 64));
    expect(w.readWStr(v)).toBe(name);
    fails(w.k32('GetVolumeNameForVolumeMountPointW', w.wstr('C:'), v, 64), ERROR.INVALID_NAME);
    expect(f.get(name + 'a.txt')).toBe('AAA');
  });

  test('CreateHardLink: the in-memory volume has no hard links (as FAT); the usual errors first', () => {
    fails(w.k32('CreateHardLinkA', w.str('link.txt'), w.str('a.txt'), 0), ERROR.INVALID_FUNCTION);
    fails(w.k32('CreateHardLinkW', w.wstr('link.txt'), w.wstr('none.txt'), 0), ERROR.FILE_NOT_FOUND);
    fails(w.k32('CreateHardLinkA', w.str('b.txt'), w.str('a.txt'), 0), ERROR.ALREADY_EXISTS);
  });
});

describe('drives', () => {
  test('only C:, a fixed disk', () => {
    expect(w.k32('GetLogicalDrives')).toBe(4);
    expect(w.k32('GetDriveTypeA', 0)).toBe(DRIVE_FIXED);
    expect(w.k32('GetDriveTypeA', w.str('C:\\'))).toBe(DRIVE_FIXED);
    expect(w.k32('GetDriveTypeW', w.wstr('c:'))).toBe(DRIVE_FIXED);
    expect(w.k32('GetDriveTypeA', w.str('D:\\'))).toBe(DRIVE_NO_ROOT_DIR);
    const b = w.buf(16);
    expect(w.k32('GetLogicalDriveStringsA', 16, b)).toBe(4);
    expect([...w.cpu.mem.read(b, 5)]).toEqual([0x43, 0x3a, 0x5c, 0, 0]);
    expect(w.k32('GetLogicalDriveStringsW', 2, b)).toBe(5);
  });

  test('free space: the in-memory volume holds 1 GiB, less what its files use', () => {
    const free = w.buf(8);
    const total = w.buf(8);
    ok(w.k32('GetDiskFreeSpaceExA', w.str('C:\\'), free, total, 0));
    expect(w.cpu.mem.u64(total)).toBe(1n << 30n);
    expect(w.cpu.mem.u64(free)).toBe((1n << 30n) - 9n); // 3 + 2 + 4 bytes of files
    ok(w.k32('GetDiskFreeSpaceExW', 0, free, 0, 0));
    fails(w.k32('GetDiskFreeSpaceExA', w.str('C:\\none'), free, total, 0), ERROR.FILE_NOT_FOUND);
    fails(w.k32('GetDiskFreeSpaceExA', w.str('C:\\a.txt'), free, total, 0), ERROR.DIRECTORY);
    const spc = w.buf(4);
    ok(w.k32('GetDiskFreeSpaceA', w.str('C:\\'), spc, 0, 0, total));
    expect(w.u32(spc)).toBe(8);
    expect(w.u32(total)).toBe((1 << 30) / 4096);
  });

  test('GetVolumeInformation', () => {
    const name = w.buf(32);
    const fsName = w.buf(32);
    const serial = w.buf(4);
    const max = w.buf(4);
    ok(w.k32('GetVolumeInformationA', w.str('C:\\'), name, 32, serial, max, 0, fsName, 32));
    expect(w.readStr(fsName)).toBe('NTFS');
    expect(w.u32(max)).toBe(255);
    const info = w.buf(52);
    const h = f.open('a.txt', { access: GENERIC_READ });
    w.k32('GetFileInformationByHandle', h, info);
    expect(w.u32(info + 28)).toBe(w.u32(serial));
    fails(w.k32('GetVolumeInformationA', w.str('D:\\'), 0, 0, 0, 0, 0, 0, 0), ERROR.PATH_NOT_FOUND);
  });
});
