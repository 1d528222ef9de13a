// <io.h>, <direct.h>, <sys/stat.h>: the C runtime's low-level file descriptors over kernel32 handles (as
// Microsoft's CRT keeps them: a handle, a text/binary mode, append and end-of-file flags per descriptor),
// text-mode translation (CR LF <-> LF, CTRL+Z ends input), _stat/_fstat in msvcrt's struct layouts,
// _findfirst & co., _access, _mkdir/_rmdir/_unlink, _getcwd/_chdir. Descriptors 0-2 start as the console.
// Win32 failures become errno values through the CRT's table (_dosmaperr), with _doserrno set too.
import { dataAt, fn, varargs, type Export, type NO_RETURN } from '../spec.js';
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { encodeString, writeAnsi, writeWide } from '../text.js';
import { ERROR } from '../win32.js';
import { stdHandle } from '../kernel32/console.js';
import { handleSize, ioObject, openHandle, readHandle, seekHandle, writeHandle, FILE_BEGIN, FILE_CURRENT, FILE_END, FILE_FLAG } from '../kernel32/file.js';
import { findEntries } from '../kernel32/path.js';
import { CreatePipe, pipeAtEnd, pipeWrite } from '../kernel32/pipe.js';
import { ATTR, EPOCH_DIFF_100NS, type NodeInfo } from '../vfs/fs.js';
import { FsError, fail, MAX_PATH } from '../vfs/path.js';
import { ACCESS, DISPOSITION, SHARE, vfs } from '../vfs/volume.js';
import type { CrtFlavour } from './format.js';
import { hasSecureCrt } from './flavour.js';
import { malloc } from './memory.js';
import { crt, ERRNO, setErrno } from './state.js';

/** <fcntl.h> */
export const O = {
  RDONLY: 0x0,
  WRONLY: 0x1,
  RDWR: 0x2,
  APPEND: 0x8,
  RANDOM: 0x10,
  SEQUENTIAL: 0x20,
  TEMPORARY: 0x40,
  NOINHERIT: 0x80,
  CREAT: 0x100,
  TRUNC: 0x200,
  EXCL: 0x400,
  SHORT_LIVED: 0x1000,
  OBTAIN_DIR: 0x2000,
  TEXT: 0x4000,
  BINARY: 0x8000,
  WTEXT: 0x1_0000,
  U16TEXT: 0x2_0000,
  U8TEXT: 0x4_0000,
} as const;

/** <share.h> */
export const SH = { DENYRW: 0x10, DENYWR: 0x20, DENYRD: 0x30, DENYNO: 0x40, SECURE: 0x80 } as const;

/** <sys/stat.h> mode bits. */
export const S = { IFMT: 0xf000, IFDIR: 0x4000, IFCHR: 0x2000, IFIFO: 0x1000, IFREG: 0x8000, IREAD: 0x100, IWRITE: 0x80, IEXEC: 0x40 } as const;

/** Descriptors a process may have (msvcrt's _NHANDLE_). */
const MAX_FDS = 2048;
const CTRL_Z = 0x1a;

/** One descriptor: the handle behind it and how the CRT treats it. */
export interface Fd {
  handle: number;
  text: boolean;
  append: boolean;
  /** A character device (the console, NUL): no seeking, _isatty is true. */
  device: boolean;
  /** A CTRL+Z was met reading in text mode: reads give 0 until the next seek. */
  eof: boolean;
}

interface IoState {
  fds: (Fd | undefined)[];
  /** Guest address of `int _fmode` (0: text, as _O_TEXT; _O_BINARY makes binary the default). */
  fmode: number;
  /** _findfirst handles -> the entries still to return. */
  finds: Map<number, { entries: NodeInfo[]; next: number }>;
  nextFind: number;
}

export const crtIo = stateKey<IoState>('crt.io', (p: Process) => {
  const fds: (Fd | undefined)[] = [];
  (['stdin', 'stdout', 'stderr'] as const).forEach((s, i) => {
    fds[i] = { handle: stdHandle(p, s), text: true, append: false, device: true, eof: false };
  });
  return { fds, fmode: p.allocStatic(4), finds: new Map(), nextFind: 1 };
});

/** errno for a Win32 error, as Microsoft's CRT maps them (_dosmaperr). */
export function errnoFromWin32(code: number): number {
  switch (code) {
    case ERROR.INVALID_FUNCTION:
    case ERROR.INVALID_DATA:
    case ERROR.INVALID_PARAMETER:
    case ERROR.NEGATIVE_SEEK:
      return ERRNO.EINVAL;
    case ERROR.FILE_NOT_FOUND:
    case ERROR.PATH_NOT_FOUND:
    case 15: // ERROR_INVALID_DRIVE
    case ERROR.NO_MORE_FILES:
    case ERROR.BAD_NETPATH:
    case 67: // ERROR_BAD_NET_NAME
    case 161: // ERROR_BAD_PATHNAME
    case ERROR.FILENAME_EXCED_RANGE:
      return ERRNO.ENOENT;
    case 4: // ERROR_TOO_MANY_OPEN_FILES
      return ERRNO.EMFILE;
    case ERROR.ACCESS_DENIED:
    case 16: // ERROR_CURRENT_DIRECTORY
    case 65: // ERROR_NETWORK_ACCESS_DENIED
    case 82: // ERROR_CANNOT_MAKE
    case 132: // ERROR_SEEK_ON_DEVICE
    case ERROR.NOT_LOCKED:
      return ERRNO.EACCES;
    case ERROR.INVALID_HANDLE:
      return ERRNO.EBADF;
    case ERROR.NOT_ENOUGH_MEMORY:
    case ERROR.OUTOFMEMORY:
      return ERRNO.ENOMEM;
    case 17: // ERROR_NOT_SAME_DEVICE
      return 18; // EXDEV
    case ERROR.FILE_EXISTS:
    case ERROR.ALREADY_EXISTS:
      return ERRNO.EEXIST;
    case ERROR.DISK_FULL:
      return ERRNO.ENOSPC;
    case ERROR.DIR_NOT_EMPTY:
      return 41; // ENOTEMPTY
    case 109: // ERROR_BROKEN_PIPE
      return 32; // EPIPE
  }
  if (code >= 19 && code <= 36) return ERRNO.EACCES; // write-protect .. sharing-buffer-exceeded
  if (code >= 188 && code <= 202) return 8; // ENOEXEC
  return ERRNO.EINVAL;
}

/** Sets errno (and _doserrno) from a Win32 error; returns -1 for the caller to return. */
export function dosError(p: Process, code: number): -1 {
  setErrno(p, errnoFromWin32(code));
  p.mem.setU32(p.state(crt).doserrnoAddr, code);
  return -1;
}

/** Runs a CRT operation over kernel32: a FsError sets errno and gives `failure`. */
export function crtCall<T>(p: Process, failure: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FsError) {
      dosError(p, e.code);
      return failure;
    }
    throw e;
  }
}

function errno(p: Process, e: number): -1 {
  setErrno(p, e);
  return -1;
}

export function fdOf(p: Process, fd: number): Fd | undefined {
  const io = p.state(crtIo);
  const f = fd >= 0 && fd < MAX_FDS ? io.fds[fd] : undefined;
  return f && ioObject(p, f.handle) ? f : undefined;
}

/** The lowest free descriptor for a handle, or -1 (EMFILE). */
export function allocFd(p: Process, f: Fd): number {
  const io = p.state(crtIo);
  let fd = io.fds.findIndex((x) => x === undefined);
  if (fd < 0) fd = io.fds.length;
  if (fd >= MAX_FDS) return errno(p, ERRNO.EMFILE);
  io.fds[fd] = f;
  return fd;
}

export function defaultText(p: Process): boolean {
  return (p.mem.u32(p.state(crtIo).fmode) & O.BINARY) === 0;
}

// ---- opening and closing ----------------------------------------------------------------------

/** _sopen: flags, share mode and (with _O_CREAT) the permission for a new file. */
export function sopen(p: Process, path: string | null, oflag: number, shflag: number, pmode: number): number {
  if (path === null) return errno(p, ERRNO.EINVAL);
  const accessMode = oflag & (O.RDONLY | O.WRONLY | O.RDWR);
  if (accessMode === 3) return errno(p, ERRNO.EINVAL);
  let share: number;
  switch (shflag) {
    case SH.DENYRW:
      share = 0;
      break;
    case SH.DENYWR:
      share = SHARE.READ;
      break;
    case SH.DENYRD:
      share = SHARE.WRITE;
      break;
    case SH.DENYNO:
      share = SHARE.READ | SHARE.WRITE;
      break;
    case SH.SECURE: // the _s functions: readers may share with readers, writers with nobody
      share = accessMode === O.RDONLY ? SHARE.READ : 0;
      break;
    default:
      return errno(p, ERRNO.EINVAL);
  }
  const access = accessMode === O.RDONLY ? ACCESS.GENERIC_READ : accessMode === O.WRONLY ? ACCESS.GENERIC_WRITE : ACCESS.GENERIC_READ | ACCESS.GENERIC_WRITE;
  const c = oflag & (O.CREAT | O.EXCL | O.TRUNC);
  const disposition =
    c === (O.CREAT | O.EXCL) || c === (O.CREAT | O.EXCL | O.TRUNC)
      ? DISPOSITION.CREATE_NEW
      : c === (O.CREAT | O.TRUNC)
        ? DISPOSITION.CREATE_ALWAYS
        : c & O.CREAT
          ? DISPOSITION.OPEN_ALWAYS
          : c & O.TRUNC
            ? DISPOSITION.TRUNCATE_EXISTING
            : DISPOSITION.OPEN_EXISTING;
  let flags = 0;
  if (oflag & O.CREAT && !(pmode & S.IWRITE)) flags |= ATTR.READONLY;
  if (oflag & O.SHORT_LIVED) flags |= ATTR.TEMPORARY;
  if (oflag & O.TEMPORARY) {
    flags |= FILE_FLAG.DELETE_ON_CLOSE;
    share |= SHARE.DELETE;
  }
  if (oflag & O.OBTAIN_DIR) flags |= FILE_FLAG.BACKUP_SEMANTICS;
  return crtCall(p, -1, () => {
    const { handle } = openHandle(p, path, { access, share, disposition, flags });
    const o = ioObject(p, handle)!;
    const text = oflag & O.BINARY ? false : oflag & (O.TEXT | O.WTEXT | O.U16TEXT | O.U8TEXT) ? true : defaultText(p);
    const fd = allocFd(p, { handle, text, append: (oflag & O.APPEND) !== 0, device: o.type !== 'file', eof: false });
    if (fd < 0) p.handles.close(handle);
    return fd;
  });
}

export function _close(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  p.state(crtIo).fds[fd] = undefined;
  p.handles.close(f.handle);
  return 0;
}

// ---- reading and writing ----------------------------------------------------------------------

/** _read: up to n bytes; in text mode CR LF becomes LF and CTRL+Z ends the input. Returns the count or -1. */
export function readFd(p: Process, fd: number, n: number): Uint8Array | -1 {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (n === 0 || f.eof) return new Uint8Array(0);
  const o = ioObject(p, f.handle);
  if (o?.type === 'pipe' && pipeAtEnd(o)) return new Uint8Array(0); // every writer gone: the end of the input, not an error
  return badfOnDenied(p, () => {
    const raw = readHandle(p, f.handle, n);
    if (!f.text) return raw;
    const out: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const b = raw[i]!;
      if (b === CTRL_Z && !f.device) {
        // The end of the text: the file pointer stays on the CTRL+Z.
        seekHandle(p, f.handle, -(raw.length - i), FILE_CURRENT);
        f.eof = true;
        break;
      }
      if (b === 0x0d) {
        if (i + 1 < raw.length) {
          if (raw[i + 1] === 0x0a) continue; // the CR of a CR LF
        } else if (!f.device) {
          // A CR at the end of what was read: look at the next byte.
          const next = readHandle(p, f.handle, 1);
          if (next.length && next[0] === 0x0a) {
            out.push(0x0a);
            break;
          }
          if (next.length) seekHandle(p, f.handle, -1, FILE_CURRENT);
        }
      }
      out.push(b);
    }
    return Uint8Array.from(out);
  });
}

/** _write: the bytes of the caller's buffer (in text mode LF goes out as CR LF); returns that count or -1. */
export function writeFd(p: Process, fd: number, bytes: Uint8Array): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  return badfOnDenied(p, () => {
    // Text mode sends LF as CR LF, except to the console: the host receives console output with its own line ends.
    const data = f.text && ioObject(p, f.handle)!.type !== 'console' ? crlf(bytes) : bytes;
    if (f.append && !f.device) seekHandle(p, f.handle, 0, FILE_END);
    const written = writeHandle(p, f.handle, data);
    if (written < data.length) return errno(p, ERRNO.ENOSPC);
    return bytes.length;
  });
}

/** Text mode's output translation: every LF goes out as CR LF. */
function crlf(bytes: Uint8Array): Uint8Array {
  if (!bytes.includes(0x0a)) return bytes;
  const out: number[] = [];
  for (const b of bytes) {
    if (b === 0x0a) out.push(0x0d);
    out.push(b);
  }
  return Uint8Array.from(out);
}

/** _read/_write on a descriptor without that access: EBADF (with _doserrno ERROR_ACCESS_DENIED), as the CRT reports it. */
function badfOnDenied<T>(p: Process, f: () => T): T | -1 {
  try {
    return f();
  } catch (e) {
    if (e instanceof FsError) {
      dosError(p, e.code);
      if (e.code === ERROR.ACCESS_DENIED) setErrno(p, ERRNO.EBADF);
      return -1;
    }
    throw e;
  }
}

/** _read; on an empty pipe it waits for a writer (other threads run meanwhile). */
export function _read(p: Process, fd: number, buf: number, n: number): number | typeof NO_RETURN {
  if (n > 0x7fff_ffff) return errno(p, ERRNO.EINVAL);
  return p.scheduler.retry(
    () => {
      const data = readFd(p, fd, n);
      if (data === -1) return -1;
      p.mem.write(buf, data);
      return data.length;
    },
    0,
    'data in a pipe (_read)',
  );
}

/** _write; to a pipe it waits until a reader has made room for all of it. */
export function _write(p: Process, fd: number, buf: number, n: number): number | typeof NO_RETURN {
  const f = fdOf(p, fd);
  const o = f && ioObject(p, f.handle);
  if (o?.type !== 'pipe') return writeFd(p, fd, n ? p.mem.read(buf, n) : new Uint8Array(0));
  // Text mode's LF -> CR LF applies to pipes too.
  const raw = n ? p.mem.read(buf, n) : new Uint8Array(0);
  const data = f!.text ? crlf(raw) : raw;
  let done = 0;
  return p.scheduler.retry(
    () =>
      crtCall(p, -1, () => {
        while (done < data.length) done += pipeWrite(o, data.subarray(done)); // WouldBlock while full
        return n;
      }),
    0,
    'room in a pipe (_write)',
  );
}

/** _pipe: a pipe of `size` bytes as two descriptors, [read, write], in `textmode` (_O_BINARY/_O_TEXT, or the default). */
export function _pipe(p: Process, fds: number, size: number, textmode: number): number {
  if (!fds) return errno(p, ERRNO.EINVAL);
  const ends = p.heap.alloc(8);
  try {
    if (!CreatePipe(p, ends, ends + 4, 0, size)) return dosError(p, p.lastError);
    const [r, w] = [p.mem.u32(ends), p.mem.u32(ends + 4)];
    const text = textmode & O.BINARY ? false : textmode & O.TEXT ? true : defaultText(p);
    const rfd = allocFd(p, { handle: r, text, append: false, device: true, eof: false });
    const wfd = rfd < 0 ? -1 : allocFd(p, { handle: w, text, append: false, device: true, eof: false });
    if (rfd < 0 || wfd < 0) {
      if (rfd >= 0) p.state(crtIo).fds[rfd] = undefined;
      p.handles.close(r);
      p.handles.close(w);
      return errno(p, ERRNO.EMFILE);
    }
    p.mem.setU32(fds, rfd);
    p.mem.setU32(fds + 4, wfd);
    return 0;
  } finally {
    p.heap.free(ends);
  }
}

// ---- positions and sizes ---------------------------------------------------------------------

/** _lseeki64: the new position, or -1. Seeking clears a text-mode end of file. */
export function lseek(p: Process, fd: number, offset: number, origin: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (origin < 0 || origin > 2) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const pos = seekHandle(p, f.handle, offset, origin === 0 ? FILE_BEGIN : origin === 1 ? FILE_CURRENT : FILE_END);
    f.eof = false;
    return pos;
  });
}

/** _lseek: as _lseeki64, but a position beyond a long is EINVAL (and the pointer stays). */
export function _lseek(p: Process, fd: number, offset: number, origin: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  const here = lseek(p, fd, 0, 1);
  if (here < 0) return -1;
  const pos = lseek(p, fd, offset, origin);
  if (pos > 0x7fff_ffff) {
    lseek(p, fd, here, 0);
    return errno(p, ERRNO.EINVAL);
  }
  return pos;
}

export function _eof(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (f.eof) return 1;
  return crtCall(p, -1, () => {
    const here = seekHandle(p, f.handle, 0, FILE_CURRENT);
    return here >= handleSize(p, f.handle) ? 1 : 0;
  });
}

export function filelength(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  return crtCall(p, -1, () => handleSize(p, f.handle));
}

/** _chsize: extends with zeros or truncates, leaving the file pointer where it was. */
export function chsize(p: Process, fd: number, size: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (size < 0) return errno(p, ERRNO.EINVAL);
  const o = ioObject(p, f.handle)!;
  if (o.type !== 'file' || !(o.file.access & ACCESS.FILE_WRITE_DATA)) return errno(p, ERRNO.EACCES);
  return crtCall(p, -1, () => {
    o.file.content!.setSize(size);
    return 0;
  });
}

export function _commit(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  const o = ioObject(p, f.handle)!;
  if (o.type === 'file') o.file.content?.flush();
  return 0;
}

// ---- descriptors and handles ------------------------------------------------------------------

export function _get_osfhandle(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  return f.handle;
}

/** _open_osfhandle: a descriptor that owns `handle` (closing it closes the handle). */
export function _open_osfhandle(p: Process, handle: number, flags: number): number {
  const o = ioObject(p, handle);
  if (!o) return errno(p, ERRNO.EBADF);
  const text = flags & O.BINARY ? false : flags & O.TEXT ? true : defaultText(p);
  return allocFd(p, { handle, text, append: (flags & O.APPEND) !== 0, device: o.type !== 'file', eof: false });
}

export function _dup(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  const h = p.handles.duplicate(f.handle);
  if (h === undefined) return errno(p, ERRNO.EBADF);
  const n = allocFd(p, { ...f, handle: h, eof: false });
  if (n < 0) p.handles.close(h);
  return n;
}

export function _dup2(p: Process, fd: number, to: number): number {
  const f = fdOf(p, fd);
  if (!f || to < 0 || to >= MAX_FDS) return errno(p, ERRNO.EBADF);
  if (fd === to) return 0;
  const h = p.handles.duplicate(f.handle)!;
  if (fdOf(p, to)) _close(p, to);
  p.state(crtIo).fds[to] = { ...f, handle: h, eof: false };
  return 0;
}

/** _setmode: the previous mode (_O_TEXT or _O_BINARY), or -1. */
export function _setmode(p: Process, fd: number, mode: number): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (![O.TEXT, O.BINARY, O.WTEXT, O.U16TEXT, O.U8TEXT].includes(mode as 0x4000)) return errno(p, ERRNO.EINVAL);
  const before = f.text ? O.TEXT : O.BINARY;
  f.text = mode !== O.BINARY;
  return before;
}

/** _isatty: non-zero (0x40, the CRT's FDEV bit) for character devices. */
export function _isatty(p: Process, fd: number): number {
  const f = fdOf(p, fd);
  if (!f) {
    setErrno(p, ERRNO.EBADF);
    return 0;
  }
  return f.device ? 0x40 : 0;
}

// ---- names --------------------------------------------------------------------------------------

/** A void Win32 operation on a path: 0, or -1 with errno. */
function pathOp(p: Process, path: string | null, op: (path: string) => void): number {
  if (path === null) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    op(path);
    return 0;
  });
}

export function unlink(p: Process, path: string | null): number {
  return pathOp(p, path, (n) => p.state(vfs).unlink(n));
}

export function mkdir(p: Process, path: string | null): number {
  return pathOp(p, path, (n) => p.state(vfs).mkdir(n));
}

export function rmdir(p: Process, path: string | null): number {
  return pathOp(p, path, (n) => p.state(vfs).rmdir(n));
}

export function chdir(p: Process, path: string | null): number {
  return pathOp(p, path, (n) => p.state(vfs).chdir(n));
}

/** rename: MoveFileEx without replacing (an existing target is EEXIST). */
export function rename(p: Process, from: string | null, to: string | null): number {
  if (from === null || to === null) return errno(p, ERRNO.EINVAL);
  return pathOp(p, from, (n) => p.state(vfs).move(n, to, false));
}

/** _access: mode 0 (exists), 2 (writable), 4 (readable), 6 (both); folders are always read/write. */
export function access(p: Process, path: string | null, mode: number): number {
  if (path === null || (mode & ~6) !== 0) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const info = nodeAt(p, path);
    if (mode & 2 && !info.isDir && info.attributes & ATTR.READONLY) fail(ERROR.ACCESS_DENIED);
    return 0;
  });
}

/** _chmod: _S_IWRITE clears the read-only attribute, its absence sets it; other attributes stay. */
export function chmod(p: Process, path: string | null, pmode: number): number {
  if (path === null) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const info = nodeAt(p, path);
    const attrs = pmode & S.IWRITE ? info.attributes & ~ATTR.READONLY : info.attributes | ATTR.READONLY;
    p.state(vfs).setAttributes(path, attrs & ~ATTR.DIRECTORY);
    return 0;
  });
}

/** FILETIME of a time_t. */
export function fileTime(t: bigint): bigint {
  return t * 10_000_000n + EPOCH_DIFF_100NS;
}

/** The access and modification times of a _utimbuf (32- or 64-bit time_t), or now for NULL. */
function utimbuf(p: Process, times: number, big: boolean): { access: bigint; write: bigint } {
  if (!times) {
    const now = fileTime(BigInt(Math.floor(Date.now() / 1000)));
    return { access: now, write: now };
  }
  const at = (i: number) => (big ? p.mem.i64(times + 8 * i) : BigInt(p.mem.i32(times + 4 * i)));
  return { access: fileTime(at(0)), write: fileTime(at(1)) };
}

/** _utime & co.: sets a file's access and modification times (both now for NULL). */
export function utime(p: Process, path: string | null, times: number, big: boolean): number {
  if (path === null) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const t = utimbuf(p, times, big);
    p.state(vfs).setTimes(path, undefined, t.access, t.write);
    return 0;
  });
}

export function futime(p: Process, fd: number, times: number, big: boolean): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  const o = ioObject(p, f.handle)!;
  if (o.type !== 'file') return errno(p, ERRNO.EBADF);
  if (!(o.file.access & ACCESS.FILE_WRITE_ATTRIBUTES)) return dosError(p, ERROR.ACCESS_DENIED);
  return crtCall(p, -1, () => {
    const t = utimbuf(p, times, big);
    if (o.file.content) o.file.content.setTimes(undefined, t.access, t.write);
    else p.state(vfs).fs.setTimes(o.file.parts, undefined, t.access, t.write);
    return 0;
  });
}

/** What a path names (devices as a character device), for _stat and _access; wildcards are ENOENT. */
function nodeAt(p: Process, path: string): NodeInfo {
  if (/[*?]/.test(path)) fail(ERROR.FILE_NOT_FOUND);
  const vol = p.state(vfs);
  const l = vol.locate(path);
  if (l.kind === 'device') return { name: l.device, isDir: false, size: 0, attributes: ATTR.DEVICE, creation: 0n, access: 0n, write: 0n, id: '', index: 0n, links: 1 };
  return vol.stat(l);
}

/** _getcwd / _wgetcwd: into `buf` (or a malloc'd one when NULL, at least `size` long); ERANGE if too small. */
export function getcwd(p: Process, buf: number, size: number, wide: boolean): number {
  const cwd = p.state(vfs).cwd;
  const units = wide ? cwd.length : encodeString(cwd, p.ansiCodePage).bytes.length;
  if (!buf) {
    buf = malloc(p, Math.max(size, units + 1) * (wide ? 2 : 1));
    if (!buf) return 0;
  } else if (size <= 0) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  } else if (units + 1 > size) {
    setErrno(p, ERRNO.ERANGE);
    return 0;
  }
  writeText(p, buf, cwd, wide);
  return buf;
}

/** _fullpath / _wfullpath: GetFullPathName into `buf` (malloc'd when NULL); NULL with ERANGE if too small. */
export function fullpath(p: Process, buf: number, rel: string | null, max: number, wide: boolean): number {
  const full = p.state(vfs).fullPath(rel === null || rel === '' ? '.' : rel);
  const units = wide ? full.length : encodeString(full, p.ansiCodePage).bytes.length;
  if (!buf) {
    buf = malloc(p, (units + 1) * (wide ? 2 : 1));
    if (!buf) return 0;
  } else if (units + 1 > max) {
    setErrno(p, ERRNO.ERANGE);
    return 0;
  }
  writeText(p, buf, full, wide);
  return buf;
}

function writeText(p: Process, at: number, s: string, wide: boolean): void {
  if (wide) writeWide(p.mem, at, s);
  else writeAnsi(p.mem, at, s, p.ansiCodePage);
}

// ---- _stat / _fstat ---------------------------------------------------------------------------

/** time_t of a FILETIME (seconds since 1970, UTC). */
export function timeT(ft: bigint): bigint {
  return ft === 0n ? -1n : (ft - EPOCH_DIFF_100NS) / 10_000_000n;
}

/** struct layouts: 32- or 64-bit st_size, 32- or 64-bit times (_stat32, _stat32i64, _stat64i32, _stat64). */
export type StatLayout = { bigSize: boolean; bigTime: boolean };
export const STAT = {
  stat32: { bigSize: false, bigTime: false },
  stat32i64: { bigSize: true, bigTime: false },
  stat64i32: { bigSize: false, bigTime: true },
  stat64: { bigSize: true, bigTime: true },
} as const satisfies Record<string, StatLayout>;

interface StatFields {
  dev: number;
  mode: number;
  size: number;
  atime: bigint;
  mtime: bigint;
  ctime: bigint;
}

/** st_mode for an entry: type, read (always), write (unless READONLY), exec for folders and .exe/.com/.bat/.cmd, repeated for group and others. */
export function statMode(info: NodeInfo, name: string | undefined): number {
  let mode = info.isDir ? S.IFDIR | S.IEXEC : info.attributes & ATTR.DEVICE ? S.IFCHR : S.IFREG;
  mode |= S.IREAD;
  if (!(info.attributes & ATTR.READONLY)) mode |= S.IWRITE;
  if (name && /\.(exe|com|bat|cmd)$/i.test(name)) mode |= S.IEXEC;
  return mode | ((mode & 0o700) >> 3) | ((mode & 0o700) >> 6);
}

function writeStat(p: Process, buf: number, s: StatFields, layout: StatLayout): void {
  const m = p.mem;
  const size = layout.bigSize ? (layout.bigTime ? 56 : 48) : layout.bigTime ? 48 : 36;
  m.fill(buf, 0, size);
  m.setU32(buf, s.dev); // st_dev
  m.setU16(buf + 4, 0); // st_ino
  m.setU16(buf + 6, s.mode);
  m.setU16(buf + 8, 1); // st_nlink
  m.setU32(buf + 16, s.dev); // st_rdev
  // st_size at 20 (32 bits) or 24 (64 bits, 8-aligned); the times follow (64-bit ones 8-aligned).
  if (layout.bigSize) m.setU64(buf + 24, BigInt(s.size));
  else m.setU32(buf + 20, s.size >>> 0);
  let at = layout.bigSize ? 32 : 24;
  for (const t of [s.atime, s.mtime, s.ctime]) {
    if (layout.bigTime) {
      m.setU64(buf + at, BigInt.asUintN(64, t));
      at += 8;
    } else {
      m.setU32(buf + at, Number(BigInt.asUintN(32, t)));
      at += 4;
    }
  }
}

/** _stat & co.: 0, or -1 with ENOENT (also for wildcards) and the like. */
export function stat(p: Process, path: string | null, buf: number, layout: StatLayout): number {
  if (path === null || !buf) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const info = nodeAt(p, path);
    writeStat(p, buf, { dev: 2, mode: statMode(info, path), size: info.size, atime: timeT(info.access), mtime: timeT(info.write), ctime: timeT(info.creation) }, layout);
    return 0;
  });
}

/** _fstat & co. on a descriptor: devices have st_dev = st_rdev = the descriptor. */
export function fstat(p: Process, fd: number, buf: number, layout: StatLayout): number {
  const f = fdOf(p, fd);
  if (!f) return errno(p, ERRNO.EBADF);
  if (!buf) return errno(p, ERRNO.EINVAL);
  const o = ioObject(p, f.handle)!;
  if (o.type !== 'file') {
    writeStat(p, buf, { dev: fd, mode: S.IFCHR | S.IREAD | S.IWRITE | ((S.IREAD | S.IWRITE) >> 3) | ((S.IREAD | S.IWRITE) >> 6), size: 0, atime: 0n, mtime: 0n, ctime: 0n }, layout);
    return 0;
  }
  return crtCall(p, -1, () => {
    const info = o.file.info();
    writeStat(p, buf, { dev: 0, mode: statMode(info, undefined), size: info.size, atime: timeT(info.access), mtime: timeT(info.write), ctime: timeT(info.creation) }, layout);
    return 0;
  });
}

// ---- _findfirst / _findnext -------------------------------------------------------------------

/** _finddata layouts: 32/64-bit times, 32/64-bit size, narrow/wide name. */
export type FindLayout = { bigTime: boolean; bigSize: boolean; wide: boolean };

function writeFindData(p: Process, buf: number, e: NodeInfo, l: FindLayout): void {
  const m = p.mem;
  m.setU32(buf, e.attributes === 0 ? ATTR.NORMAL : e.attributes);
  let at = l.bigTime ? 8 : 4;
  for (const t of [e.creation, e.access, e.write]) {
    if (l.bigTime) m.setU64(buf + at, BigInt.asUintN(64, timeT(t)));
    else m.setU32(buf + at, Number(BigInt.asUintN(32, timeT(t))));
    at += l.bigTime ? 8 : 4;
  }
  if (l.bigSize) {
    at = Math.ceil(at / 8) * 8;
    m.setU64(buf + at, BigInt(e.size));
    at += 8;
  } else {
    m.setU32(buf + at, e.size >>> 0);
    at += 4;
  }
  writeText(p, buf + at, e.name.slice(0, MAX_PATH - 1), l.wide);
}

export function findfirst(p: Process, spec: string | null, buf: number, l: FindLayout): number {
  if (spec === null || !buf) return errno(p, ERRNO.EINVAL);
  return crtCall(p, -1, () => {
    const entries = findEntries(p, spec);
    writeFindData(p, buf, entries[0]!, l);
    const io = p.state(crtIo);
    const h = io.nextFind++;
    io.finds.set(h, { entries, next: 1 });
    return h;
  });
}

export function findnext(p: Process, h: number, buf: number, l: FindLayout): number {
  const f = p.state(crtIo).finds.get(h);
  if (!f || !buf) return errno(p, ERRNO.EINVAL);
  const e = f.entries[f.next];
  if (!e) return errno(p, ERRNO.ENOENT);
  f.next++;
  writeFindData(p, buf, e, l);
  return 0;
}

export function findclose(p: Process, h: number): number {
  return p.state(crtIo).finds.delete(h) ? 0 : errno(p, ERRNO.EINVAL);
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function ioApi(_flavour: CrtFlavour, version: number): Record<string, Export> {
  const F = (bigTime: boolean, bigSize: boolean, wide: boolean): FindLayout => ({ bigTime, bigSize, wide });
  const api: Record<string, Export> = {
    __p__fmode: fn('cdecl', [], 'ptr', (p) => p.state(crtIo).fmode),
    _access: fn('cdecl', ['str', 'int'], 'int', access),
    _chdir: fn('cdecl', ['str'], 'int', chdir),
    _chmod: fn('cdecl', ['str', 'int'], 'int', chmod),
    _chsize: fn('cdecl', ['int', 'int'], 'int', chsize),
    _close: fn('cdecl', ['int'], 'int', _close),
    _commit: fn('cdecl', ['int'], 'int', _commit),
    _creat: fn('cdecl', ['str', 'int'], 'int', (p, n, mode) => sopen(p, n, O.CREAT | O.TRUNC | O.RDWR, SH.DENYNO, mode)),
    _dup: fn('cdecl', ['int'], 'int', _dup),
    _dup2: fn('cdecl', ['int', 'int'], 'int', _dup2),
    _eof: fn('cdecl', ['int'], 'int', _eof),
    _filelength: fn('cdecl', ['int'], 'int', (p, fd) => {
      const n = filelength(p, fd);
      return n > 0x7fff_ffff ? errno(p, ERRNO.EINVAL) : n;
    }),
    _filelengthi64: fn('cdecl', ['int'], 'int64', (p, fd) => BigInt(filelength(p, fd))),
    _findclose: fn('cdecl', ['long'], 'int', findclose),
    _findfirst: fn('cdecl', ['str', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(false, false, false))),
    _findfirst64: fn('cdecl', ['str', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(true, true, false))),
    _findfirsti64: fn('cdecl', ['str', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(false, true, false))),
    _findnext: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(false, false, false))),
    _findnext64: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(true, true, false))),
    _findnexti64: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(false, true, false))),
    _fmode: dataAt((p) => p.state(crtIo).fmode),
    _fstat: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, b) => fstat(p, fd, b, STAT.stat32)),
    _fstat64: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, b) => fstat(p, fd, b, STAT.stat64)),
    _fstati64: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, b) => fstat(p, fd, b, STAT.stat32i64)),
    _fullpath: fn('cdecl', ['ptr', 'str', 'long'], 'ptr', (p, b, r, n) => fullpath(p, b, r, n, false)),
    _futime: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, t) => futime(p, fd, t, false)),
    _futime64: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, t) => futime(p, fd, t, true)),
    _get_osfhandle: fn('cdecl', ['int'], 'long', _get_osfhandle),
    _getcwd: fn('cdecl', ['ptr', 'int'], 'ptr', (p, b, n) => getcwd(p, b, n, false)),
    _isatty: fn('cdecl', ['int'], 'int', _isatty),
    _lseek: fn('cdecl', ['int', 'int', 'int'], 'int', _lseek),
    _lseeki64: fn('cdecl', ['int', 'int64', 'int'], 'int64', (p, fd, off, origin) => BigInt(lseek(p, fd, Number(off), origin))),
    _mkdir: fn('cdecl', ['str'], 'int', mkdir),
    _open: varargs(['str', 'int'], 'int', (p, n, oflag, va) => sopen(p, n, oflag, SH.DENYNO, oflag & O.CREAT ? va.u32() : 0)),
    _open_osfhandle: fn('cdecl', ['long', 'int'], 'int', _open_osfhandle),
    _pipe: fn('cdecl', ['ptr', 'long', 'int'], 'int', _pipe),
    _read: fn('cdecl', ['int', 'ptr', 'long'], 'int', _read),
    _rmdir: fn('cdecl', ['str'], 'int', rmdir),
    _setmode: fn('cdecl', ['int', 'int'], 'int', _setmode),
    _sopen: varargs(['str', 'int', 'int'], 'int', (p, n, oflag, sh, va) => sopen(p, n, oflag, sh, oflag & O.CREAT ? va.u32() : 0)),
    _stat: fn('cdecl', ['str', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat32)),
    _stat64: fn('cdecl', ['str', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat64)),
    _stati64: fn('cdecl', ['str', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat32i64)),
    _tell: fn('cdecl', ['int'], 'int', (p, fd) => _lseek(p, fd, 0, 1)),
    _telli64: fn('cdecl', ['int'], 'int64', (p, fd) => BigInt(lseek(p, fd, 0, 1))),
    _unlink: fn('cdecl', ['str'], 'int', unlink),
    _utime: fn('cdecl', ['str', 'ptr'], 'int', (p, n, t) => utime(p, n, t, false)),
    _utime64: fn('cdecl', ['str', 'ptr'], 'int', (p, n, t) => utime(p, n, t, true)),
    _waccess: fn('cdecl', ['wstr', 'int'], 'int', access),
    _wchdir: fn('cdecl', ['wstr'], 'int', chdir),
    _wchmod: fn('cdecl', ['wstr', 'int'], 'int', chmod),
    _wcreat: fn('cdecl', ['wstr', 'int'], 'int', (p, n, mode) => sopen(p, n, O.CREAT | O.TRUNC | O.RDWR, SH.DENYNO, mode)),
    _wfindfirst: fn('cdecl', ['wstr', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(false, false, true))),
    _wfindfirst64: fn('cdecl', ['wstr', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(true, true, true))),
    _wfindfirsti64: fn('cdecl', ['wstr', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(false, true, true))),
    _wfindnext: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(false, false, true))),
    _wfindnext64: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(true, true, true))),
    _wfindnexti64: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(false, true, true))),
    _wfullpath: fn('cdecl', ['ptr', 'wstr', 'long'], 'ptr', (p, b, r, n) => fullpath(p, b, r, n, true)),
    _wgetcwd: fn('cdecl', ['ptr', 'int'], 'ptr', (p, b, n) => getcwd(p, b, n, true)),
    _wmkdir: fn('cdecl', ['wstr'], 'int', mkdir),
    _wopen: varargs(['wstr', 'int'], 'int', (p, n, oflag, va) => sopen(p, n, oflag, SH.DENYNO, oflag & O.CREAT ? va.u32() : 0)),
    _wremove: fn('cdecl', ['wstr'], 'int', unlink),
    _wrename: fn('cdecl', ['wstr', 'wstr'], 'int', rename),
    _wrmdir: fn('cdecl', ['wstr'], 'int', rmdir),
    _wsopen: varargs(['wstr', 'int', 'int'], 'int', (p, n, oflag, sh, va) => sopen(p, n, oflag, sh, oflag & O.CREAT ? va.u32() : 0)),
    _wstat: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat32)),
    _wstat64: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat64)),
    _wstati64: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat32i64)),
    _wunlink: fn('cdecl', ['wstr'], 'int', unlink),
    _wutime: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, t) => utime(p, n, t, false)),
    _wutime64: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, t) => utime(p, n, t, true)),
    _write: fn('cdecl', ['int', 'ptr', 'long'], 'int', _write),
    remove: fn('cdecl', ['str'], 'int', unlink),
    rename: fn('cdecl', ['str', 'str'], 'int', rename),
  };
  if (hasSecureCrt(version)) {
    /** The _s forms return the errno value (0 on success) and the descriptor through a pointer. */
    const sopenS = (p: Process, out: number, n: string | null, oflag: number, sh: number, pmode: number): number => {
      if (!out) {
        setErrno(p, ERRNO.EINVAL);
        return ERRNO.EINVAL;
      }
      p.mem.setU32(out, 0xffff_ffff);
      const fd = sopen(p, n, oflag, sh, pmode);
      if (fd < 0) return p.mem.u32(p.state(crt).errnoAddr);
      p.mem.setU32(out, fd);
      return 0;
    };
    Object.assign(api, {
      _chsize_s: fn('cdecl', ['int', 'int64'], 'int', (p, fd, size) => (chsize(p, fd, Number(BigInt.asIntN(64, size))) < 0 ? p.mem.u32(p.state(crt).errnoAddr) : 0)),
      _sopen_s: fn('cdecl', ['ptr', 'str', 'int', 'int', 'int'], 'int', sopenS),
      _wsopen_s: fn('cdecl', ['ptr', 'wstr', 'int', 'int', 'int'], 'int', sopenS),
    });
  }
  if (version >= 80) {
    // The explicitly sized names of msvcr80 and later (msvcrt.dll has only the plain ones).
    Object.assign(api, {
      _findfirst32: api._findfirst,
      _findnext32: api._findnext,
      _findfirst64i32: fn('cdecl', ['str', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(true, false, false))),
      _findnext64i32: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(true, false, false))),
      _wfindfirst32: api._wfindfirst,
      _wfindnext32: api._wfindnext,
      _wfindfirst64i32: fn('cdecl', ['wstr', 'ptr'], 'long', (p, s, b) => findfirst(p, s, b, F(true, false, true))),
      _wfindnext64i32: fn('cdecl', ['long', 'ptr'], 'int', (p, h, b) => findnext(p, h, b, F(true, false, true))),
      _fstat32: api._fstat,
      _fstat32i64: api._fstati64,
      _fstat64i32: fn('cdecl', ['int', 'ptr'], 'int', (p, fd, b) => fstat(p, fd, b, STAT.stat64i32)),
      _stat32: api._stat,
      _stat32i64: api._stati64,
      _stat64i32: fn('cdecl', ['str', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat64i32)),
      _wstat32: api._wstat,
      _wstat32i64: api._wstati64,
      _wstat64i32: fn('cdecl', ['wstr', 'ptr'], 'int', (p, n, b) => stat(p, n, b, STAT.stat64i32)),
      _futime32: api._futime,
      _utime32: api._utime,
      _wutime32: api._wutime,
    });
  }
  return api;
}
