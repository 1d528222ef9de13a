// Guest path rules (thunks/vfs/path.ts) without a file system: GetFullPathName's normalization as
// Microsoft documents it ("File path formats on Windows systems": separators collapse, `.`/`..` never
// climb above the root, a segment's single trailing period and the last segment's trailing periods and
// spaces are removed), DOS device names, the errors of paths that cannot lead into the sandbox, and
// FindFirstFile's wildcards.
import { describe, expect, test } from 'vitest';
import { dosPattern, matchesPattern } from '../../../thunks/vfs/fs.js';
import { dosDeviceName, FsError, fullPathName, locate, pathType } from '../../../thunks/vfs/path.js';

const ERROR_FILE_NOT_FOUND = 2;
const ERROR_PATH_NOT_FOUND = 3;
const ERROR_ACCESS_DENIED = 5;
const ERROR_BAD_NETPATH = 53;
const ERROR_INVALID_NAME = 123;

/** The Win32 error locate() fails with, or 'ok'. */
function errorOf(path: string, cwd = 'C:\\'): number | 'ok' {
  try {
    locate(path, cwd);
    return 'ok';
  } catch (e) {
    if (e instanceof FsError) return e.code;
    throw e;
  }
}

describe('path types (RtlDetermineDosPathNameType_U)', () => {
  test.each([
    ['C:\\x', 'drive-absolute'],
    ['c:/x', 'drive-absolute'],
    ['C:x', 'drive-relative'],
    ['\\x', 'rooted'],
    ['/x', 'rooted'],
    ['x\\y', 'relative'],
    ['\\\\server\\share', 'unc'],
    ['//server/share', 'unc'],
    ['\\\\.\\NUL', 'local-device'],
    ['\\\\?\\C:\\x', 'root-local-device'],
  ])('%s is %s', (p, t) => expect(pathType(p)).toBe(t));
});

describe('GetFullPathName normalization', () => {
  test.each([
    ['foo\\bar', 'C:\\dir', 'C:\\dir\\foo\\bar'],
    ['foo/bar', 'C:\\dir', 'C:\\dir\\foo\\bar'],
    ['a//b\\\\\\c', 'C:\\', 'C:\\a\\b\\c'],
    ['.\\x\\.\\y', 'C:\\dir', 'C:\\dir\\x\\y'],
    ['..\\x', 'C:\\dir\\sub', 'C:\\dir\\x'],
    // `..` stops at the root
    ['C:\\..\\secret', 'C:\\dir', 'C:\\secret'],
    ['..\\..\\..\\etc\\passwd', 'C:\\dir', 'C:\\etc\\passwd'],
    ['C:\\a\\..\\..\\..', 'C:\\', 'C:\\'],
    // a rooted path is on the current drive; forward slashes are separators
    ['/etc/passwd', 'C:\\dir', 'C:\\etc\\passwd'],
    ['C:/etc/passwd', 'C:\\dir', 'C:\\etc\\passwd'],
    // drive-relative: the current directory of that drive (C:'s is the cwd; D: has none, so its root)
    ['C:foo', 'C:\\dir', 'C:\\dir\\foo'],
    ['D:foo', 'C:\\dir', 'D:\\foo'],
    // trailing periods and spaces
    ['name.', 'C:\\', 'C:\\name'],
    ['name. .  ', 'C:\\', 'C:\\name'],
    ['dir.\\x', 'C:\\', 'C:\\dir\\x'],
    ['dir..\\x', 'C:\\', 'C:\\dir..\\x'],
    ['dir \\x', 'C:\\', 'C:\\dir \\x'],
    ['dir\\', 'C:\\', 'C:\\dir\\'],
    // UNC roots are \\server\share
    ['\\\\server\\share\\..\\..\\x', 'C:\\', '\\\\server\\share\\x'],
    // \\?\ paths are not touched
    ['\\\\?\\C:\\x\\..\\y.', 'C:\\', '\\\\?\\C:\\x\\..\\y.'],
  ])('%s (cwd %s) -> %s', (p, cwd, full) => expect(fullPathName(p, cwd)).toBe(full));

  test('DOS device names become \\\\.\\NAME, with an extension, in any folder, in any case', () => {
    expect(fullPathName('nul.txt', 'C:\\')).toBe('\\\\.\\NUL');
    expect(fullPathName('C:\\some\\dir\\con', 'C:\\')).toBe('\\\\.\\CON');
    expect(fullPathName('Com1:', 'C:\\')).toBe('\\\\.\\COM1');
    expect(fullPathName('lpt9 .log', 'C:\\')).toBe('\\\\.\\LPT9');
  });
});

describe('DOS device names (RtlIsDosDeviceName_U, Windows 10)', () => {
  test.each([
    ['CON', 'CON'],
    ['prn', 'PRN'],
    ['aux.c', 'AUX'],
    ['NUL.tar.gz', 'NUL'],
    ['C:\\x\\COM9', 'COM9'],
    ['C:LPT1', 'LPT1'],
  ])('%s names %s', (p, d) => expect(dosDeviceName(p)).toBe(d));

  test.each(['COM0', 'LPT10', 'CONSOLE', 'nulx', 'C:\\nul\\x', '\\\\.\\NUL', '\\\\server\\share\\con', 'CONIN$'])('%s is no DOS device name', (p) =>
    expect(dosDeviceName(p)).toBeUndefined(),
  );
});

describe('locating a path in the sandbox', () => {
  test('paths on drive C: become components below its root', () => {
    expect(locate('C:\\Dir\\File.txt', 'C:\\')).toEqual({ kind: 'disk', parts: ['Dir', 'File.txt'], full: 'C:\\Dir\\File.txt', trailingSep: false });
    expect(locate('sub\\', 'C:\\dir')).toEqual({ kind: 'disk', parts: ['dir', 'sub'], full: 'C:\\dir\\sub\\', trailingSep: true });
    expect(locate('\\\\?\\C:\\x\\y', 'C:\\')).toMatchObject({ kind: 'disk', parts: ['x', 'y'] });
    expect(locate('\\\\.\\C:\\x\\..\\y', 'C:\\')).toMatchObject({ kind: 'disk', parts: ['y'] });
    expect(locate('C:\\', 'C:\\dir')).toMatchObject({ kind: 'disk', parts: [], trailingSep: false });
  });

  test('devices', () => {
    expect(locate('CON', 'C:\\')).toMatchObject({ kind: 'device', device: 'CON' });
    expect(locate('C:\\dir\\nul.txt', 'C:\\')).toMatchObject({ kind: 'device', device: 'NUL' });
    expect(locate('\\\\.\\nul', 'C:\\')).toMatchObject({ kind: 'device', device: 'NUL' });
    expect(locate('\\\\.\\CONOUT$', 'C:\\')).toMatchObject({ kind: 'device', device: 'CONOUT$' });
  });

  test.each([
    ['', ERROR_PATH_NOT_FOUND],
    ['\\\\server\\share\\x', ERROR_BAD_NETPATH],
    ['//server/share/x', ERROR_BAD_NETPATH],
    ['\\\\?\\UNC\\server\\share\\x', ERROR_BAD_NETPATH],
    ['D:\\x', ERROR_PATH_NOT_FOUND],
    ['\\\\?\\D:\\x', ERROR_PATH_NOT_FOUND],
    ['\\\\.\\C:', ERROR_ACCESS_DENIED],
    ['\\\\?\\C:', ERROR_ACCESS_DENIED],
    ['\\\\.\\PhysicalDrive0', ERROR_ACCESS_DENIED],
    ['\\\\.\\BOGUS', ERROR_FILE_NOT_FOUND],
    ['COM1', ERROR_FILE_NOT_FOUND],
    ['lpt1.txt', ERROR_FILE_NOT_FOUND],
    ['\\\\?\\C:\\..\\x', ERROR_INVALID_NAME],
    ['\\\\?\\C:\\a\\.\\x', ERROR_INVALID_NAME],
    ['\\\\?\\C:\\a\\\\x', ERROR_INVALID_NAME],
    ['C:\\*.*', ERROR_INVALID_NAME],
    ['a?b', ERROR_INVALID_NAME],
    ['dir*\\x', ERROR_INVALID_NAME],
    ['file.txt:stream', ERROR_INVALID_NAME],
    ['a"b', ERROR_INVALID_NAME],
    ['a<b', ERROR_INVALID_NAME],
    ['a|b', ERROR_INVALID_NAME],
    ['a\u0001b', ERROR_INVALID_NAME],
    ['x'.repeat(256), ERROR_INVALID_NAME],
  ])('%j fails with %i', (p, code) => expect(errorOf(p)).toBe(code));

  test('escapes stay inside: `..` above the root, host-absolute paths and forward slashes land on C:', () => {
    expect(locate('..\\..\\etc\\passwd', 'C:\\')).toMatchObject({ parts: ['etc', 'passwd'] });
    expect(locate('C:\\..\\secret', 'C:\\')).toMatchObject({ parts: ['secret'] });
    expect(locate('/etc/passwd', 'C:\\x')).toMatchObject({ parts: ['etc', 'passwd'] });
    expect(locate('C:/../../etc', 'C:\\')).toMatchObject({ parts: ['etc'] });
    expect(errorOf('x'.repeat(255))).toBe('ok');
  });
});

describe('FindFirstFile wildcards (DOS semantics)', () => {
  const m = (pattern: string, name: string) => matchesPattern(dosPattern(pattern), name);

  test('* matches everything, *.* too (names without a dot included)', () => {
    for (const n of ['a', 'abc', 'a.b', '.', '..', 'a.b.c']) {
      expect(m('*', n)).toBe(true);
      expect(m('*.*', n)).toBe(true);
    }
  });

  test('*.ext matches that extension only, case-insensitively', () => {
    expect(m('*.txt', 'a.txt')).toBe(true);
    expect(m('*.txt', 'A.TXT')).toBe(true);
    expect(m('*.txt', 'a.b.txt')).toBe(true);
    expect(m('*.txt', 'a.txt.bak')).toBe(false);
    expect(m('*.txt', 'atxt')).toBe(false);
    expect(m('*.txt', '.')).toBe(false);
  });

  test('*. matches names without an extension', () => {
    expect(m('*.', 'README')).toBe(true);
    expect(m('*.', 'a.txt')).toBe(false);
  });

  test('? matches one character, or none before a dot or the end', () => {
    expect(m('a?c', 'abc')).toBe(true);
    expect(m('a?c', 'ac')).toBe(false);
    expect(m('file?.txt', 'file1.txt')).toBe(true);
    expect(m('file?.txt', 'file.txt')).toBe(true);
    expect(m('file?.txt', 'file12.txt')).toBe(false);
    expect(m('a??', 'a')).toBe(true);
    expect(m('a??', 'abcd')).toBe(false);
    expect(m('*.tx?', 'a.tx')).toBe(true);
    expect(m('*.tx?', 'a.txt')).toBe(true);
    expect(m('a?c', 'a.c')).toBe(false);
  });

  test('literal names compare case-insensitively', () => {
    expect(m('ReadMe.TXT', 'readme.txt')).toBe(true);
    expect(m('readme', 'readme.txt')).toBe(false);
  });
});
