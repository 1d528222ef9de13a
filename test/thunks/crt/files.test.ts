// msvcrt's files as guest code uses them: descriptors (_open, _read/_write with text-mode translation,
// _lseek, _chsize, _dup, _stat/_fstat layouts, _findfirst, _access, ...) and FILE streams (fopen, fgets,
// ungetc, fseek/ftell, error flags, tmpfile), on an in-memory volume. Expectations follow Microsoft's
// CRT documentation (errno values, struct layouts of <sys/stat.h> and <io.h>, the _dosmaperr table).
import { beforeEach, describe, expect, test } from 'vitest';
import { fileOps, type FileOps } from '../../helpers/files.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const O_RDONLY = 0x0;
const O_WRONLY = 0x1;
const O_RDWR = 0x2;
const O_APPEND = 0x8;
const O_TEMPORARY = 0x40;
const O_CREAT = 0x100;
const O_TRUNC = 0x200;
const O_EXCL = 0x400;
const O_TEXT = 0x4000;
const O_BINARY = 0x8000;
const S_IREAD = 0x100;
const S_IWRITE = 0x80;
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const ENOENT = 2;
const EBADF = 9;
const EACCES = 13;
const EEXIST = 17;
const EINVAL = 22;
const ERANGE = 34;
const ENOTEMPTY = 41;
const EOF = 0xffff_ffff;
const FILE_SIZE = 32;
const _IOREAD = 0x1;
const _IOWRT = 0x2;
const _IOEOF = 0x10;
const _IOERR = 0x20;
const _IORW = 0x80;

let w: Win32;
let f: FileOps;
let out: string;
beforeEach(() => {
  out = '';
  w = win32({
    fs: { memory: true, files: { 'crlf.txt': 'x\r\ny\r\n\x1az', 'split.txt': 'ab\r\ncd', 'cr.txt': 'a\rb', 'bin.dat': new Uint8Array([1, 2, 3, 4, 5]), 'dir/a.c': 'a', 'dir/b.h': 'bb', 'tool.exe': 'MZ' } },
    output: (_s, b) => (out += Buffer.from(b).toString('latin1')),
  });
  f = fileOps(w);
});

const errno = () => w.u32(w.crt('_errno'));
const doserrno = () => w.u32(w.crt('__doserrno'));
const open = (name: string, flags: number, mode = S_IREAD | S_IWRITE) => w.crt('_open', w.str(name), flags, mode) | 0;
const read = (fd: number, n: number): string | number => {
  const b = w.buf(n + 1);
  const r = w.crt('_read', fd, b, n) | 0;
  return r < 0 ? r : String.fromCharCode(...w.cpu.mem.read(b, r));
};
const write = (fd: number, s: string) => w.crt('_write', fd, w.str(s), s.length) | 0;
/** The failure: return value -1 and this errno. */
function failsWith(r: number, e: number) {
  expect(r | 0).toBe(-1);
  expect(errno()).toBe(e);
}

describe('descriptors', () => {
  test('_open: ENOENT (and _doserrno) for a missing file, EEXIST with _O_EXCL, EACCES for a folder', () => {
    failsWith(open('none.txt', O_RDONLY), ENOENT);
    expect(doserrno()).toBe(2); // ERROR_FILE_NOT_FOUND
    failsWith(open('no\\none.txt', O_RDONLY), ENOENT);
    expect(doserrno()).toBe(3);
    const fd = open('new.txt', O_CREAT | O_EXCL | O_WRONLY);
    expect(fd).toBe(3);
    failsWith(open('new.txt', O_CREAT | O_EXCL | O_WRONLY), EEXIST);
    failsWith(open('dir', O_RDONLY), EACCES);
    failsWith(open('bad*name', O_CREAT | O_WRONLY), EINVAL);
    failsWith(open('new.txt', O_WRONLY | O_RDWR), EINVAL);
  });

  test('descriptors are the lowest free ones; 0-2 are the console', () => {
    expect(open('crlf.txt', O_RDONLY)).toBe(3);
    expect(open('crlf.txt', O_RDONLY)).toBe(4);
    expect(w.crt('_close', 3)).toBe(0);
    expect(open('crlf.txt', O_RDONLY)).toBe(3);
    failsWith(w.crt('_close', 99), EBADF);
    failsWith(w.crt('_close', -1), EBADF);
    expect(w.crt('_isatty', 1)).toBe(0x40);
    expect(w.crt('_isatty', 3)).toBe(0);
    expect(write(1, 'to the console\n')).toBe(15);
    expect(out).toBe('to the console\n');
  });

  test('text mode: CR LF reads as LF, CTRL+Z ends the input and the pointer stays on it', () => {
    const fd = open('crlf.txt', O_RDONLY | O_TEXT);
    expect(read(fd, 100)).toBe('x\ny\n');
    expect(read(fd, 100)).toBe('');
    expect(w.crt('_eof', fd)).toBe(1);
    expect(w.crt('_lseek', fd, 0, SEEK_CUR)).toBe(6);
    const bin = open('crlf.txt', O_RDONLY | O_BINARY);
    expect(read(bin, 100)).toBe('x\r\ny\r\n\x1az');
  });

  test('text mode: a CR ending one read is joined with the LF that follows; a lone CR stays', () => {
    const fd = open('split.txt', O_RDONLY | O_TEXT);
    expect(read(fd, 3)).toBe('ab\n');
    expect(read(fd, 10)).toBe('cd');
    expect(read(open('cr.txt', O_RDONLY | O_TEXT), 10)).toBe('a\rb');
  });

  test('text mode writes LF as CR LF and returns the caller\'s count; binary mode writes as is', () => {
    const t = open('t.txt', O_CREAT | O_WRONLY | O_TEXT);
    expect(write(t, 'a\nb\n')).toBe(4);
    w.crt('_close', t);
    expect(f.get('t.txt')).toBe('a\r\nb\r\n');
    const b = open('b.txt', O_CREAT | O_WRONLY | O_BINARY);
    expect(write(b, 'a\nb')).toBe(3);
    w.crt('_close', b);
    expect(f.get('b.txt')).toBe('a\nb');
  });

  test('the default mode follows _fmode', () => {
    w.cpu.mem.setU32(w.crt('__p__fmode'), O_BINARY);
    const fd = open('d.txt', O_CREAT | O_WRONLY);
    write(fd, 'a\n');
    w.crt('_close', fd);
    expect(f.get('d.txt')).toBe('a\n');
  });

  test('_O_APPEND writes at the end whatever the position', () => {
    const fd = open('crlf.txt', O_WRONLY | O_APPEND | O_BINARY);
    w.crt('_lseek', fd, 0, SEEK_SET);
    write(fd, '!');
    w.crt('_close', fd);
    expect(f.get('crlf.txt')).toBe('x\r\ny\r\n\x1az!');
  });

  test('_O_TRUNC, _O_TEMPORARY, and a read-only new file from the permission', () => {
    const fd = open('bin.dat', O_WRONLY | O_TRUNC);
    expect(w.crt('_filelength', fd)).toBe(0);
    w.crt('_close', fd);
    const tmp = open('gone.tmp', O_CREAT | O_RDWR | O_TEMPORARY);
    expect(f.attributes('gone.tmp')).toBe(0x20);
    w.crt('_close', tmp);
    expect(f.attributes('gone.tmp')).toBe(0xffff_ffff);
    w.crt('_close', open('ro.txt', O_CREAT | O_WRONLY, S_IREAD));
    expect(f.attributes('ro.txt')).toBe(0x21);
  });

  test('reading a write-only descriptor (or writing a read-only one) is EBADF', () => {
    const wo = open('bin.dat', O_WRONLY);
    failsWith(w.crt('_read', wo, w.buf(4), 4), EBADF);
    expect(doserrno()).toBe(5);
    const ro = open('bin.dat', O_RDONLY);
    failsWith(write(ro, 'x'), EBADF);
  });

  test('_lseek, _lseeki64, _tell: origins, errors, and the 31-bit limit of _lseek', () => {
    const fd = open('bin.dat', O_RDWR | O_BINARY);
    expect(w.crt('_lseek', fd, -2, SEEK_END)).toBe(3);
    expect(read(fd, 10)).toBe('\x04\x05');
    expect(w.crt('_tell', fd)).toBe(5);
    failsWith(w.crt('_lseek', fd, 0, 3), EINVAL);
    failsWith(w.crt('_lseek', fd, -10, SEEK_SET), EINVAL);
    expect(w.crt('_lseeki64', fd, 0x1_0000_0000n, SEEK_SET)).toBe(0);
    expect(w.edxEax).toBe(0x1_0000_0000n);
    w.crt('_telli64', fd);
    expect(w.edxEax).toBe(0x1_0000_0000n);
    w.crt('_lseek', fd, 1, SEEK_SET);
    failsWith(w.crt('_lseek', fd, 0x7fff_ffff, SEEK_CUR), EINVAL);
    expect(w.crt('_tell', fd)).toBe(1);
    failsWith(w.crt('_lseek', 42, 0, SEEK_SET), EBADF);
  });

  test('_chsize extends with zeros and truncates, keeping the position; _filelength', () => {
    const fd = open('bin.dat', O_RDWR | O_BINARY);
    w.crt('_lseek', fd, 2, SEEK_SET);
    expect(w.crt('_chsize', fd, 7)).toBe(0);
    expect(w.crt('_filelength', fd)).toBe(7);
    expect(w.crt('_tell', fd)).toBe(2);
    expect(read(fd, 10)).toBe('\x03\x04\x05\0\0');
    expect(w.crt('_chsize', fd, 1)).toBe(0);
    expect(w.crt('_filelengthi64', fd)).toBe(1);
    failsWith(w.crt('_chsize', fd, -1), EINVAL);
    failsWith(w.crt('_chsize', open('bin.dat', O_RDONLY), 0), EACCES);
  });

  test('_dup and _dup2 share the file position; _setmode reports the previous mode', () => {
    const fd = open('bin.dat', O_RDONLY | O_BINARY);
    const d = w.crt('_dup', fd);
    expect(d).toBe(fd + 1);
    read(d, 2);
    expect(w.crt('_tell', fd)).toBe(2);
    expect(w.crt('_dup2', fd, 10)).toBe(0);
    expect(read(10, 1)).toBe('\x03');
    w.crt('_close', fd);
    expect(read(d, 1)).toBe('\x04');
    expect(w.crt('_setmode', d, O_TEXT)).toBe(O_BINARY);
    expect(w.crt('_setmode', d, O_BINARY)).toBe(O_TEXT);
    failsWith(w.crt('_setmode', d, 0x1234), EINVAL);
    expect(w.crt('_setmode', 1, O_BINARY)).toBe(O_TEXT); // stdout starts in text mode
  });

  test('_get_osfhandle / _open_osfhandle bridge to kernel32 handles', () => {
    const fd = open('bin.dat', O_RDONLY | O_BINARY);
    const h = w.crt('_get_osfhandle', fd);
    expect(f.read(h, 2)).toBe('\x01\x02');
    const h2 = f.open('split.txt', { access: 0x8000_0000, share: 1 });
    const fd2 = w.crt('_open_osfhandle', h2, O_RDONLY | O_TEXT);
    expect(read(fd2, 10)).toBe('ab\ncd');
    expect(w.crt('_get_osfhandle', 77) | 0).toBe(-1);
    expect(errno()).toBe(EBADF);
  });
});

describe('names', () => {
  test('_access: 0 exists, 2 writable, 4 readable; folders are always read/write', () => {
    expect(w.crt('_access', w.str('bin.dat'), 0)).toBe(0);
    expect(w.crt('_access', w.str('bin.dat'), 6)).toBe(0);
    w.k32('SetFileAttributesA', w.str('bin.dat'), 1);
    failsWith(w.crt('_access', w.str('bin.dat'), 2), EACCES);
    expect(w.crt('_access', w.str('bin.dat'), 4)).toBe(0);
    expect(w.crt('_access', w.str('dir'), 6)).toBe(0);
    failsWith(w.crt('_access', w.str('none'), 0), ENOENT);
    failsWith(w.crt('_access', w.str('bin.dat'), 1), EINVAL);
  });

  test('_mkdir, _rmdir, _unlink, remove, rename: errno from the CRT table', () => {
    expect(w.crt('_mkdir', w.str('new'))).toBe(0);
    failsWith(w.crt('_mkdir', w.str('new')), EEXIST);
    failsWith(w.crt('_rmdir', w.str('dir')), ENOTEMPTY);
    expect(w.crt('_rmdir', w.str('new'))).toBe(0);
    expect(w.crt('_unlink', w.str('cr.txt'))).toBe(0);
    failsWith(w.crt('remove', w.str('cr.txt')), ENOENT);
    failsWith(w.crt('remove', w.str('dir')), EACCES);
    expect(w.crt('rename', w.str('bin.dat'), w.str('dir\\moved.dat'))).toBe(0);
    failsWith(w.crt('rename', w.str('split.txt'), w.str('crlf.txt')), EEXIST);
    failsWith(w.crt('rename', w.str('none'), w.str('x')), ENOENT);
    expect(w.crt('_wrename', w.wstr('split.txt'), w.wstr('split2.txt'))).toBe(0);
  });

  test('_getcwd / _chdir: a NULL buffer is allocated, a small one is ERANGE', () => {
    expect(w.crt('_chdir', w.str('dir'))).toBe(0);
    const b = w.buf(16);
    expect(w.crt('_getcwd', b, 16)).toBe(b);
    expect(w.readStr(b)).toBe('C:\\dir');
    expect(w.crt('_getcwd', b, 6)).toBe(0);
    expect(errno()).toBe(ERANGE);
    const m = w.crt('_getcwd', 0, 0);
    expect(w.readStr(m)).toBe('C:\\dir');
    const wb = w.buf(32);
    w.crt('_wgetcwd', wb, 16);
    expect(w.readWStr(wb)).toBe('C:\\dir');
    failsWith(w.crt('_chdir', w.str('none')), ENOENT);
    const full = w.buf(64);
    expect(w.crt('_fullpath', full, w.str('..\\x.c'), 64)).toBe(full);
    expect(w.readStr(full)).toBe('C:\\x.c');
  });
});

describe('permissions and times', () => {
  test('_chmod: without _S_IWRITE the file becomes read-only, with it writable again', () => {
    expect(w.crt('_chmod', w.str('bin.dat'), S_IREAD)).toBe(0);
    expect(f.attributes('bin.dat')).toBe(0x21);
    failsWith(open('bin.dat', O_WRONLY), EACCES);
    expect(w.crt('_wchmod', w.wstr('bin.dat'), S_IREAD | S_IWRITE)).toBe(0);
    expect(f.attributes('bin.dat')).toBe(0x20);
    failsWith(w.crt('_chmod', w.str('none'), S_IREAD), ENOENT);
  });

  test('_utime / _utime64 / _futime set the access and modification times', () => {
    const st = w.buf(64);
    const t32 = w.buf(8);
    w.cpu.mem.setU32(t32, 1_000_000_000);
    w.cpu.mem.setU32(t32 + 4, 1_100_000_000);
    expect(w.crt('_utime', w.str('bin.dat'), t32)).toBe(0);
    w.crt('_stat', w.str('bin.dat'), st);
    expect([w.u32(st + 24), w.u32(st + 28)]).toEqual([1_000_000_000, 1_100_000_000]);
    const t64 = w.buf(16);
    w.cpu.mem.setU64(t64, 5_000_000_000n);
    w.cpu.mem.setU64(t64 + 8, 5_000_000_001n);
    expect(w.crt('_wutime64', w.wstr('bin.dat'), t64)).toBe(0);
    w.crt('_stat64', w.str('bin.dat'), st);
    expect(w.cpu.mem.u64(st + 40)).toBe(5_000_000_001n);
    const fd = open('bin.dat', O_RDWR);
    expect(w.crt('_futime', fd, t32)).toBe(0);
    w.crt('_fstat', fd, st);
    expect(w.u32(st + 28)).toBe(1_100_000_000);
    failsWith(w.crt('_futime', open('bin.dat', O_RDONLY), t32), EACCES);
    failsWith(w.crt('_utime', w.str('none'), t32), ENOENT);
  });
});

describe('_stat and _fstat', () => {
  const when = 1_600_000_000; // 2020-09-13T12:26:40Z
  function setMtime(name: string) {
    const h = f.open(name, { access: 0x4000_0000, share: 7 });
    const t = w.buf(8);
    w.cpu.mem.setU64(t, BigInt(when) * 10_000_000n + 116_444_736_000_000_000n);
    w.k32('SetFileTime', h, 0, 0, t);
    f.close(h);
  }

  test('struct _stat (msvcrt, 36 bytes): mode, size, times, st_dev = drive C (2)', () => {
    setMtime('bin.dat');
    const st = w.buf(64);
    expect(w.crt('_stat', w.str('bin.dat'), st)).toBe(0);
    expect(w.u32(st)).toBe(2); // st_dev
    expect(w.cpu.mem.u16(st + 6)).toBe(0x81b6); // _S_IFREG | rw for owner, group, others
    expect(w.cpu.mem.u16(st + 8)).toBe(1); // st_nlink
    expect(w.u32(st + 16)).toBe(2); // st_rdev
    expect(w.u32(st + 20)).toBe(5); // st_size
    expect(w.u32(st + 28)).toBe(when); // st_mtime
  });

  test('struct _stat64 (56 bytes: 64-bit size at 24, times at 32/40/48) and _stati64 (64-bit size, 32-bit times)', () => {
    setMtime('bin.dat');
    const st = w.buf(64);
    expect(w.crt('_stat64', w.str('bin.dat'), st)).toBe(0);
    expect(w.cpu.mem.u64(st + 24)).toBe(5n);
    expect(w.cpu.mem.u64(st + 40)).toBe(BigInt(when));
    expect(w.crt('_stati64', w.str('bin.dat'), st)).toBe(0);
    expect(w.cpu.mem.u64(st + 24)).toBe(5n);
    expect(w.u32(st + 36)).toBe(when);
    expect(w.crt('_wstat64', w.wstr('BIN.DAT'), st)).toBe(0);
    expect(w.cpu.mem.u64(st + 24)).toBe(5n);
  });

  test('modes: folders, read-only files, programs', () => {
    const st = w.buf(64);
    w.crt('_stat', w.str('dir'), st);
    expect(w.cpu.mem.u16(st + 6)).toBe(0x41ff);
    w.crt('_stat', w.str('tool.exe'), st);
    expect(w.cpu.mem.u16(st + 6)).toBe(0x81ff);
    w.k32('SetFileAttributesA', w.str('bin.dat'), 1);
    w.crt('_stat', w.str('bin.dat'), st);
    expect(w.cpu.mem.u16(st + 6)).toBe(0x8124);
    failsWith(w.crt('_stat', w.str('none'), st), ENOENT);
    failsWith(w.crt('_stat', w.str('*.dat'), st), ENOENT);
  });

  test('_fstat: a file, and the console (a character device whose st_dev is the descriptor)', () => {
    const st = w.buf(64);
    const fd = open('bin.dat', O_RDONLY);
    expect(w.crt('_fstat', fd, st)).toBe(0);
    expect(w.cpu.mem.u16(st + 6)).toBe(0x81b6);
    expect(w.u32(st + 20)).toBe(5);
    expect(w.crt('_fstat', 1, st)).toBe(0);
    expect(w.cpu.mem.u16(st + 6)).toBe(0x21b6);
    expect(w.u32(st)).toBe(1);
    failsWith(w.crt('_fstat', 55, st), EBADF);
  });
});

describe('_findfirst / _findnext', () => {
  test('struct _finddata_t (280 bytes: attrib, 3 times, size, name at 20)', () => {
    const d = w.buf(280);
    const h = w.crt('_findfirst', w.str('dir\\*'), d);
    expect(h | 0).not.toBe(-1);
    const names = [w.readStr(d + 20)];
    while (w.crt('_findnext', h, d) === 0) names.push(w.readStr(d + 20));
    expect(names).toEqual(['.', '..', 'a.c', 'b.h']);
    expect(errno()).toBe(ENOENT);
    expect(w.u32(d + 16)).toBe(2); // b.h's size
    expect(w.u32(d)).toBe(0x20);
    expect(w.crt('_findclose', h)).toBe(0);
    failsWith(w.crt('_findclose', h), EINVAL);
  });

  test('_findfirst64 (name at 40, 64-bit size at 32) and _wfindfirst', () => {
    const d = w.buf(600);
    const h = w.crt('_findfirst64', w.str('dir\\*.h'), d);
    expect(w.readStr(d + 40)).toBe('b.h');
    expect(w.cpu.mem.u64(d + 32)).toBe(2n);
    w.crt('_findclose', h);
    w.crt('_wfindfirst', w.wstr('dir\\a.*'), d);
    expect(w.readWStr(d + 20)).toBe('a.c');
    failsWith(w.crt('_findfirst', w.str('*.none'), d), ENOENT);
    failsWith(w.crt('_findfirst', w.str('none\\*'), d), ENOENT);
  });
});

describe('FILE streams', () => {
  const fopen = (name: string, mode: string) => w.crt('fopen', w.str(name), w.str(mode));
  const iob = () => w.crt('__iob_func');

  test('fopen hands out the free _iob slots; _file and _flag are set', () => {
    const a = fopen('bin.dat', 'r');
    expect(a).toBe(iob() + 3 * FILE_SIZE);
    expect(w.u32(a + 16)).toBe(3); // _file
    expect(w.u32(a + 12)).toBe(_IOREAD);
    const b = fopen('new.txt', 'w');
    expect(w.u32(b + 12)).toBe(_IOWRT);
    const c = fopen('bin.dat', 'r+b');
    expect(w.u32(c + 12)).toBe(_IORW);
    expect(w.crt('_fileno', c)).toBe(w.u32(c + 16));
    expect(w.crt('fclose', a)).toBe(0);
    expect(w.u32(a + 12)).toBe(0);
    expect(fopen('bin.dat', 'rb')).toBe(a);
  });

  test('invalid modes and missing files: NULL with EINVAL / ENOENT; "wx" refuses an existing file', () => {
    for (const m of ['', 'q', 'rw', 'r++', 'rtb']) {
      expect(fopen('bin.dat', m)).toBe(0);
      expect(errno()).toBe(EINVAL);
    }
    expect(fopen('none.txt', 'r')).toBe(0);
    expect(errno()).toBe(ENOENT);
    expect(fopen('bin.dat', 'wx')).toBe(0);
    expect(errno()).toBe(EEXIST);
    expect(fopen('bin.dat', 'rb, ccs=UTF-8')).not.toBe(0);
  });

  test('text streams: fputs/fputc/fwrite write CR LF, fgets reads lines back', () => {
    const o = fopen('lines.txt', 'w');
    expect(w.crt('fputs', w.str('one\n'), o)).toBe(0);
    expect(w.crt('fputc', 0x32, o)).toBe(0x32);
    expect(w.crt('fwrite', w.str('\nthree'), 1, 6, o)).toBe(6);
    w.crt('fclose', o);
    expect(f.get('lines.txt')).toBe('one\r\n2\r\nthree');
    const i = fopen('lines.txt', 'r');
    const b = w.buf(64);
    expect(w.crt('fgets', b, 64, i)).toBe(b);
    expect(w.readStr(b)).toBe('one\n');
    expect(w.crt('fgets', b, 2, i)).toBe(b);
    expect(w.readStr(b)).toBe('2');
    w.crt('fgets', b, 64, i);
    expect(w.readStr(b)).toBe('\n');
    expect(w.crt('fgets', b, 64, i)).toBe(b);
    expect(w.readStr(b)).toBe('three');
    expect(w.crt('feof', i)).toBe(_IOEOF);
    expect(w.crt('fgets', b, 64, i)).toBe(0);
  });

  test('fread/fwrite in binary mode; end of file and error flags (also in _flag); clearerr', () => {
    const s = fopen('bin.dat', 'rb');
    const b = w.buf(16);
    expect(w.crt('fread', b, 2, 4, s)).toBe(2); // 5 bytes: two whole items
    expect([...w.cpu.mem.read(b, 5)]).toEqual([1, 2, 3, 4, 5]);
    expect(w.crt('feof', s)).toBe(_IOEOF);
    expect(w.u32(s + 12) & _IOEOF).toBe(_IOEOF);
    expect(w.crt('fwrite', b, 1, 1, s)).toBe(0);
    expect(w.crt('ferror', s)).toBe(_IOERR);
    w.crt('clearerr', s);
    expect([w.crt('feof', s), w.crt('ferror', s), w.u32(s + 12) & (_IOEOF | _IOERR)]).toEqual([0, 0, 0]);
    expect(w.crt('fgetc', s)).toBe(EOF);
  });

  test('ungetc, ftell and fseek', () => {
    const s = fopen('bin.dat', 'rb');
    expect(w.crt('fgetc', s)).toBe(1);
    expect(w.crt('fgetc', s)).toBe(2);
    expect(w.crt('ungetc', 0x42, s)).toBe(0x42);
    expect(w.crt('ftell', s)).toBe(1);
    expect(w.crt('fgetc', s)).toBe(0x42);
    expect(w.crt('ftell', s)).toBe(2);
    expect(w.crt('ungetc', EOF, s)).toBe(EOF);
    expect(w.crt('fseek', s, -1, SEEK_END)).toBe(0);
    expect(w.crt('fgetc', s)).toBe(5);
    expect(w.crt('fgetc', s)).toBe(EOF);
    expect(w.crt('fseek', s, 1, SEEK_SET)).toBe(0);
    expect(w.crt('feof', s)).toBe(0);
    expect(w.crt('fgetc', s)).toBe(2);
    expect(w.crt('fseek', s, 0, 7) | 0).toBe(-1);
    expect(errno()).toBe(EINVAL);
    w.crt('rewind', s);
    expect(w.crt('ftell', s)).toBe(0);
    expect(w.crt('_fseeki64', s, 3n, SEEK_SET)).toBe(0);
    w.crt('_ftelli64', s);
    expect(w.edxEax).toBe(3n);
  });

  test('fgetpos / fsetpos (a 64-bit fpos_t)', () => {
    const s = fopen('bin.dat', 'rb');
    w.crt('fgetc', s);
    w.crt('fgetc', s);
    const pos = w.buf(8);
    expect(w.crt('fgetpos', s, pos)).toBe(0);
    expect(w.cpu.mem.u64(pos)).toBe(2n);
    w.crt('fgetc', s);
    expect(w.crt('fsetpos', s, pos)).toBe(0);
    expect(w.crt('fgetc', s)).toBe(3);
  });

  test('"a" appends; "a+" reads from anywhere and still appends', () => {
    const a = fopen('split.txt', 'ab');
    w.crt('fputs', w.str('!'), a);
    w.crt('fclose', a);
    expect(f.get('split.txt')).toBe('ab\r\ncd!');
    const ap = fopen('split.txt', 'a+b');
    w.crt('fseek', ap, 0, SEEK_SET);
    expect(w.crt('fgetc', ap)).toBe(0x61);
    w.crt('fputc', 0x3f, ap);
    w.crt('fclose', ap);
    expect(f.get('split.txt')).toBe('ab\r\ncd!?');
  });

  test('setvbuf validates its arguments', () => {
    const s = fopen('bin.dat', 'rb');
    expect(w.crt('setvbuf', s, 0, 0, 512)).toBe(0);
    expect(w.crt('setvbuf', s, 0, 4, 0)).toBe(0);
    expect(w.crt('setvbuf', s, 0, 3, 512) | 0).toBe(-1);
    expect(errno()).toBe(EINVAL);
    expect(w.crt('setvbuf', s, 0, 0, 1) | 0).toBe(-1);
  });

  test('_fdopen over a descriptor; fclose closes the descriptor too', () => {
    const fd = open('bin.dat', O_RDONLY | O_BINARY);
    const s = w.crt('_fdopen', fd, w.str('rb'));
    expect(w.u32(s + 16)).toBe(fd);
    expect(w.crt('fgetc', s)).toBe(1);
    expect(w.crt('fclose', s)).toBe(0);
    failsWith(w.crt('_close', fd), EBADF);
    expect(w.crt('fclose', s)).toBe(EOF);
  });

  test('tmpfile: a binary read/write file in the temporary folder, gone after fclose', () => {
    const s = w.crt('tmpfile');
    expect(s).not.toBe(0);
    w.crt('fwrite', w.str('a\nb'), 1, 3, s);
    w.crt('rewind', s);
    const b = w.buf(8);
    expect(w.crt('fread', b, 1, 8, s)).toBe(3);
    expect(w.readStr(b)).toBe('a\nb');
    expect(f.list('C:\\Temp\\*.tmp')).not.toBe(2);
    w.crt('fclose', s);
    expect(f.list('C:\\Temp\\*.tmp')).toBe(2); // ERROR_FILE_NOT_FOUND: nothing left
  });

  test('fopen_s, _sopen_s, tmpfile_s, _chsize_s: errno values as results; files opened for writing are not shared', () => {
    const pf = w.buf(4);
    expect(w.crt('fopen_s', pf, w.str('bin.dat'), w.str('rb'))).toBe(0);
    expect(w.u32(pf)).toBe(iob() + 3 * FILE_SIZE);
    expect(fopen('bin.dat', 'rb')).not.toBe(0); // a reader may share with readers
    expect(w.crt('fopen_s', pf, w.str('none.txt'), w.str('r'))).toBe(ENOENT);
    expect(w.u32(pf)).toBe(0);
    expect(w.crt('fopen_s', 0, w.str('bin.dat'), w.str('r'))).toBe(EINVAL);
    expect(w.crt('fopen_s', pf, w.str('out.txt'), w.str('w'))).toBe(0);
    expect(fopen('out.txt', 'r')).toBe(0);
    expect(errno()).toBe(EACCES); // ERROR_SHARING_VIOLATION
    const pfd = w.buf(4);
    expect(w.crt('_sopen_s', pfd, w.str('split.txt'), O_RDONLY | O_BINARY, 0x40, 0)).toBe(0);
    expect(read(w.u32(pfd), 2)).toBe('ab');
    expect(w.crt('_sopen_s', pfd, w.str('none.txt'), O_RDONLY, 0x40, 0)).toBe(ENOENT);
    expect(w.i32(pfd)).toBe(-1);
    const rw = open('cr.txt', O_RDWR);
    expect(w.crt('_chsize_s', rw, 1n)).toBe(0);
    expect(w.crt('_filelength', rw)).toBe(1);
    expect(w.crt('tmpfile_s', pf)).toBe(0);
    expect(w.u32(pf)).not.toBe(0);
  });

  test('wide characters: one byte each in text mode ("C" locale), UTF-16LE in binary mode', () => {
    const t = fopen('w.txt', 'w');
    expect(w.crt('fputwc', 0xe9, t)).toBe(0xe9);
    expect(w.crt('fputwc', 0x20ac, t)).toBe(0xffff); // not in the "C" locale
    expect(errno()).toBe(42); // EILSEQ
    expect(w.crt('ferror', t)).toBe(_IOERR);
    w.crt('clearerr', t);
    expect(w.crt('fputws', w.wstr('a\nb'), t)).toBe(0);
    w.crt('fclose', t);
    expect(f.get('w.txt')).toBe('\u00e9a\r\nb');
    const b = fopen('w.bin', 'wb');
    w.crt('putwc', 0x20ac, b);
    w.crt('fclose', b);
    expect(f.get('w.bin')).toBe('\xac\x20');
    const r = fopen('w.bin', 'rb');
    expect(w.crt('fgetwc', r)).toBe(0x20ac);
    expect(w.crt('ungetwc', 0x263a, r)).toBe(0x263a);
    expect(w.crt('getwc', r)).toBe(0x263a);
    expect(w.crt('fgetwc', r)).toBe(0xffff);
    const l = fopen('w.txt', 'r');
    const buf = w.buf(32);
    expect(w.crt('fgetws', buf, 16, l)).toBe(buf);
    expect(w.readWStr(buf)).toBe('\u00e9a\n');
  });

  test('the old getc/putc macros: _filbuf and _flsbuf keep _cnt at 0', () => {
    const s = fopen('bin.dat', 'rb');
    w.cpu.mem.setU32(s + 4, 0xffff_ffff); // what "--_cnt" leaves behind
    expect(w.crt('_filbuf', s)).toBe(1);
    expect(w.u32(s + 4)).toBe(0);
    const o = fopen('o.txt', 'wb');
    expect(w.crt('_flsbuf', 0x41, o)).toBe(0x41);
    w.crt('fclose', o);
    expect(f.get('o.txt')).toBe('A');
  });

  test('stdout: puts, putchar and fwrite reach the console with LF line ends; _fcloseall leaves it', () => {
    const so = iob() + FILE_SIZE;
    w.crt('puts', w.str('line'));
    w.crt('putchar', 0x21);
    w.crt('fwrite', w.str('\n'), 1, 1, so);
    expect(out).toBe('line\n!\n');
    fopen('bin.dat', 'r');
    fopen('cr.txt', 'r');
    expect(w.crt('_fcloseall')).toBe(2);
    w.crt('fputs', w.str('still here'), so);
    expect(out).toBe('line\n!\nstill here');
  });
});
