// A granted host folder as drive C:: files the guest writes appear on the host, names match
// case-insensitively, and nothing outside the folder is reachable: `..`, host-absolute paths, symbolic
// links leading out (refused with ERROR_ACCESS_DENIED and not listed), links the guest could write
// through; read-only grants refuse every change with ERROR_ACCESS_DENIED.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { FileSystemOptionError } from '../../../thunks/vfs/options.js';
import { closeVolume } from '../../../thunks/vfs/volume.js';
import { CREATE_ALWAYS, CREATE_NEW, ERROR, FILE_SHARE_READ, fileOps, GENERIC_READ, GENERIC_WRITE, INVALID_HANDLE_VALUE, OPEN_ALWAYS, type FileOps } from '../../helpers/files.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-vfs-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

let n = 0;
let root: string;
let outside: string;
let w: Win32;
let f: FileOps;

/** A fresh granted folder next to an "outside" folder holding a secret, with links in every direction. */
function setup(writable: boolean): void {
  const dir = path.join(base, `case${n++}`);
  root = path.join(dir, 'granted');
  outside = path.join(dir, 'outside');
  fs.mkdirSync(path.join(root, 'Sub'), { recursive: true });
  fs.mkdirSync(outside);
  fs.writeFileSync(path.join(outside, 'secret.txt'), 'SECRET');
  fs.writeFileSync(path.join(dir, 'secret'), 'SECRET NEXT TO THE FOLDER');
  fs.writeFileSync(path.join(root, 'Hello.TXT'), 'hi');
  fs.writeFileSync(path.join(root, 'Sub', 'inner.txt'), 'inner');
  fs.symlinkSync(outside, path.join(root, 'outlink'));
  fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'outfile'));
  fs.symlinkSync(path.join(outside, 'not-yet.txt'), path.join(root, 'dangling'));
  fs.symlinkSync(path.join(root, 'Sub'), path.join(root, 'inlink'));
  w = win32({ fs: { root, writable } });
  f = fileOps(w);
}

describe('a writable host folder', () => {
  beforeEach(() => setup(true));

  test('files the guest writes appear on the host, with the case it gave', () => {
    f.put('C:\\NewFile.Txt', 'from the guest');
    expect(fs.readFileSync(path.join(root, 'NewFile.Txt'), 'latin1')).toBe('from the guest');
    expect(w.k32('CreateDirectoryA', w.str('Made\\'), 0)).toBe(1);
    f.put('made\\deeper.bin', 'x');
    expect(fs.readFileSync(path.join(root, 'Made', 'deeper.bin'), 'latin1')).toBe('x');
    expect(w.k32('MoveFileA', w.str('NEWFILE.TXT'), w.str('made\\renamed.txt'))).toBe(1);
    expect(fs.existsSync(path.join(root, 'Made', 'renamed.txt'))).toBe(true);
    expect(w.k32('DeleteFileA', w.str('made\\RENAMED.txt'))).toBe(1);
    expect(fs.existsSync(path.join(root, 'Made', 'renamed.txt'))).toBe(false);
  });

  test('host files are found in any case; host changes are seen', () => {
    expect(f.get('hello.txt')).toBe('hi');
    expect(f.get('SUB\\INNER.TXT')).toBe('inner');
    fs.writeFileSync(path.join(root, 'later.txt'), 'new on the host');
    expect(f.get('LATER.TXT')).toBe('new on the host');
  });

  test('listings show the folder, without links that lead out or nowhere', () => {
    expect(f.list('C:\\*')).toEqual(['Hello.TXT', 'inlink', 'Sub']);
    expect(f.list('inlink\\*')).toEqual(['.', '..', 'inner.txt']);
  });

  test('`..` never climbs above C:\\: C:\\..\\secret is the sandbox\'s own C:\\secret', () => {
    expect(f.get('C:\\..\\secret')).toBe(ERROR.FILE_NOT_FOUND);
    expect(f.get('..\\..\\outside\\secret.txt')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.get('sub\\..\\..\\..\\secret')).toBe(ERROR.FILE_NOT_FOUND);
    f.put('secret', 'the sandbox one');
    expect(f.get('C:\\..\\secret')).toBe('the sandbox one');
    expect(fs.readFileSync(path.join(root, '..', 'secret'), 'latin1')).toBe('SECRET NEXT TO THE FOLDER');
  });

  test('host-absolute paths are paths on C:', () => {
    const hostPath = path.join(outside, 'secret.txt');
    expect(f.get(hostPath)).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.get('/etc/passwd')).toBe(ERROR.PATH_NOT_FOUND);
    expect(f.get('C:/etc/passwd')).toBe(ERROR.PATH_NOT_FOUND);
    fs.mkdirSync(path.join(root, 'etc'));
    fs.writeFileSync(path.join(root, 'etc', 'passwd'), 'sandboxed');
    expect(f.get('/etc/passwd')).toBe('sandboxed');
    expect(f.get('C:/etc/passwd')).toBe('sandboxed');
  });

  test('links leading out are refused with ERROR_ACCESS_DENIED, for reading and for writing', () => {
    expect(f.get('outfile')).toBe(ERROR.ACCESS_DENIED);
    expect(f.get('outlink\\secret.txt')).toBe(ERROR.ACCESS_DENIED);
    expect(f.list('outlink\\*')).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('outfile', { access: GENERIC_WRITE, disposition: CREATE_ALWAYS })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('outlink\\new.txt', { disposition: CREATE_NEW })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('DeleteFileA', w.str('outlink\\secret.txt'))).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('MoveFileA', w.str('hello.txt'), w.str('outlink\\moved.txt'))).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('CopyFileA', w.str('outfile'), w.str('copy.txt'), 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'latin1')).toBe('SECRET');
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });

  test('a dangling link is never written through', () => {
    for (const disposition of [CREATE_NEW, CREATE_ALWAYS, OPEN_ALWAYS]) {
      expect(f.open('dangling', { disposition })).toBe(INVALID_HANDLE_VALUE);
    }
    expect(fs.existsSync(path.join(outside, 'not-yet.txt'))).toBe(false);
  });

  test('links inside the folder are followed', () => {
    expect(f.get('inlink\\inner.txt')).toBe('inner');
    f.put('inlink\\via-link.txt', 'v');
    expect(fs.readFileSync(path.join(root, 'Sub', 'via-link.txt'), 'latin1')).toBe('v');
  });

  test('attributes and times: READONLY is the write permission, the write time the mtime', () => {
    expect(w.k32('SetFileAttributesA', w.str('hello.txt'), 1)).toBe(1);
    expect(fs.statSync(path.join(root, 'Hello.TXT')).mode & 0o222).toBe(0);
    expect(f.open('hello.txt', { access: GENERIC_WRITE })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(w.k32('SetFileAttributesA', w.str('hello.txt'), 0x80)).toBe(1);
    expect(fs.statSync(path.join(root, 'Hello.TXT')).mode & 0o200).toBe(0o200);
    const mtime = new Date('2020-01-02T03:04:05Z');
    fs.utimesSync(path.join(root, 'Hello.TXT'), mtime, mtime);
    const d = w.buf(36);
    expect(w.k32('GetFileAttributesExA', w.str('hello.txt'), 0, d)).toBe(1);
    expect(w.cpu.mem.u64(d + 20)).toBe(BigInt(mtime.getTime()) * 10_000n + 116_444_736_000_000_000n);
    const h = f.open('hello.txt');
    const t = w.buf(8);
    w.cpu.mem.setU64(t, 132_000_000_000_000_000n); // 2019-04-14 (whole seconds)
    expect(w.k32('SetFileTime', h, 0, 0, t)).toBe(1);
    f.close(h);
    expect(fs.statSync(path.join(root, 'Hello.TXT')).mtime.getTime()).toBe(Number((132_000_000_000_000_000n - 116_444_736_000_000_000n) / 10_000n));
  });

  test('CreateHardLink makes a second name for a file inside the folder', () => {
    expect(w.k32('CreateHardLinkA', w.str('second.txt'), w.str('hello.txt'), 0)).toBe(1);
    expect(fs.statSync(path.join(root, 'second.txt')).ino).toBe(fs.statSync(path.join(root, 'Hello.TXT')).ino);
    const h = f.open('second.txt', { access: GENERIC_READ, share: FILE_SHARE_READ });
    const info = w.buf(52);
    w.k32('GetFileInformationByHandle', h, info);
    expect(w.u32(info + 40)).toBe(2); // nNumberOfLinks
    expect(w.k32('CreateHardLinkA', w.str('third.txt'), w.str('outfile'), 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
  });

  test('free space comes from the host file system', () => {
    const total = w.buf(8);
    expect(w.k32('GetDiskFreeSpaceExA', 0, 0, total, 0)).toBe(1);
    const s = fs.statfsSync(root);
    expect(w.cpu.mem.u64(total)).toBe(BigInt(s.blocks * s.bsize));
  });
});

describe('a read-only host folder', () => {
  beforeEach(() => setup(false));

  test('reading works; every change is ERROR_ACCESS_DENIED and the host is untouched', () => {
    expect(f.get('hello.txt')).toBe('hi');
    const before = fs.readdirSync(root).sort();
    const denied = (r: number) => {
      expect(r).toBe(0);
      expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    };
    expect(f.open('hello.txt', { access: GENERIC_WRITE })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('new.txt', { disposition: CREATE_NEW })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(f.open('hello.txt', { access: GENERIC_READ, share: FILE_SHARE_READ, disposition: CREATE_ALWAYS })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    denied(w.k32('DeleteFileA', w.str('hello.txt')));
    denied(w.k32('CreateDirectoryA', w.str('d'), 0));
    denied(w.k32('RemoveDirectoryA', w.str('sub')));
    denied(w.k32('MoveFileA', w.str('hello.txt'), w.str('x.txt')));
    denied(w.k32('CopyFileA', w.str('hello.txt'), w.str('x.txt'), 0));
    denied(w.k32('SetFileAttributesA', w.str('hello.txt'), 2));
    const tmp = w.buf(260);
    w.k32('GetTempPathA', 260, tmp);
    expect(w.k32('GetTempFileNameA', tmp, w.str('t'), 0, w.buf(260))).toBe(0);
    expect(w.lastError()).toBe(ERROR.ACCESS_DENIED);
    expect(fs.readdirSync(root).sort()).toEqual(before);
    expect(fs.readFileSync(path.join(root, 'Hello.TXT'), 'latin1')).toBe('hi');
    // A missing file is still "not found" when only reading is asked for.
    expect(f.open('missing.txt', { access: GENERIC_READ })).toBe(INVALID_HANDLE_VALUE);
    expect(w.lastError()).toBe(ERROR.FILE_NOT_FOUND);
  });
});

test('when the process ends its files close: host descriptors are released, delete-on-close files go', () => {
  setup(true);
  const fds = () => (fs.existsSync('/proc/self/fd') ? fs.readdirSync('/proc/self/fd').length : 0);
  const before = fds();
  const keep = f.open('keep.txt', { disposition: CREATE_NEW });
  const temp = f.open('temp.txt', { disposition: CREATE_NEW, flags: 0x0400_0000 });
  expect([keep, temp]).not.toContain(INVALID_HANDLE_VALUE);
  expect(fs.existsSync(path.join(root, 'temp.txt'))).toBe(true);
  if (fs.existsSync('/proc/self/fd')) expect(fds()).toBe(before + 2);
  closeVolume(w.p);
  expect(fds()).toBe(before);
  expect(fs.existsSync(path.join(root, 'temp.txt'))).toBe(false);
  expect(fs.existsSync(path.join(root, 'keep.txt'))).toBe(true);
});

test('a folder that does not exist is refused when the volume is built', () => {
  const v = win32({ fs: { root: path.join(base, 'no-such-folder') } });
  expect(() => v.k32('GetFileAttributesA', v.str('x'))).toThrow(FileSystemOptionError);
});
