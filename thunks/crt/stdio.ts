// <stdio.h> and the low-level <io.h> descriptors. Descriptors 0-2 are the console; files come with the
// sandboxed file system (until then, opening a file finds nothing, as in an empty folder).
import { fn, varargs, type Export } from '../spec.js';
import type { Process } from '../process.js';
import type { VarArgs } from '../spec.js';
import { encodeString, readAnsi, readWide } from '../text.js';
import { formatPrintf, type ArgSource, type CrtFlavour, type FormatHost } from './format.js';
import { crt, ERRNO, FILE_FIELD, FILE_SIZE, IOB_ENTRIES, IOFLAG, setErrno, type CrtStream } from './state.js';

export const EOF = -1;

/** Arguments of a va_list: a pointer into the guest stack, read in order. */
export function vaList(p: Process, at: number): ArgSource {
  let a = at;
  return {
    u32: () => {
      const v = p.mem.u32(a);
      a += 4;
      return v;
    },
    u64: () => {
      const v = p.mem.u64(a);
      a += 8;
      return v;
    },
    f64: () => {
      const v = p.mem.f64(a);
      a += 8;
      return v;
    },
  };
}

export function formatHost(p: Process): FormatHost {
  return {
    str: (addr) => readAnsi(p.mem, addr, p.ansiCodePage),
    wstr: (addr) => readWide(p.mem, addr),
    storeCount: (addr, n, size) => (size === 'h' ? p.mem.setU16(addr, n) : size === 'll' ? p.mem.setU64(addr, BigInt(n)) : p.mem.setU32(addr, n)),
  };
}

export function format(p: Process, fmt: number, args: ArgSource | VarArgs, flavour: CrtFlavour, wide = false): string {
  const f = wide ? readWide(p.mem, fmt) : readAnsi(p.mem, fmt, p.ansiCodePage);
  if (f === null) throw new Error('printf: NULL format string');
  return formatPrintf(f, args, formatHost(p), { flavour, wide });
}

/** The stream behind a FILE*, or undefined (EBADF). */
export function stream(p: Process, file: number): CrtStream | undefined {
  return p.state(crt).streams.get(file);
}

/** Writes bytes to a descriptor; returns the count written or -1. */
export function writeFd(p: Process, fd: number, bytes: Uint8Array): number {
  if (fd === 1 || fd === 2) {
    p.write(fd === 1 ? 'stdout' : 'stderr', bytes);
    return bytes.length;
  }
  setErrno(p, ERRNO.EBADF);
  return -1;
}

/** Writes bytes to the stream behind a FILE*; returns the count written or -1 (the printf family uses it). */
export function writeStream(p: Process, file: number, bytes: Uint8Array): number {
  const s = stream(p, file);
  if (!s) {
    setErrno(p, ERRNO.EBADF);
    return -1;
  }
  const n = writeFd(p, s.fd, bytes);
  if (n < 0) {
    s.error = true;
    p.mem.setU32(file + FILE_FIELD.flag, p.mem.u32(file + FILE_FIELD.flag) | IOFLAG.ERR);
  }
  return n;
}

function ansi(p: Process, text: string): Uint8Array {
  return encodeString(text, p.ansiCodePage).bytes;
}

export function fwrite(p: Process, buf: number, size: number, count: number, file: number): number {
  const total = size * count;
  if (total === 0) return 0;
  const n = writeStream(p, file, p.mem.read(buf, total));
  return n < 0 ? 0 : Math.floor(n / size);
}

export function fputc(p: Process, c: number, file: number): number {
  return writeStream(p, file, Uint8Array.of(c & 0xff)) < 0 ? EOF : c & 0xff;
}

export function fputs(p: Process, s: number, file: number): number {
  return writeStream(p, file, p.mem.readCBytes(s)) < 0 ? EOF : 0;
}

export function puts(p: Process, s: number): number {
  const b = p.mem.readCBytes(s);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  out[b.length] = 0x0a;
  return writeFd(p, 1, out) < 0 ? EOF : 0;
}

export function fflush(p: Process, file: number): number {
  if (file !== 0 && !stream(p, file)) {
    setErrno(p, ERRNO.EBADF);
    return EOF;
  }
  return 0; // output is unbuffered on our side
}

export function vfprintf(p: Process, file: number, fmt: number, args: ArgSource | VarArgs, flavour: CrtFlavour): number {
  const text = format(p, fmt, args, flavour);
  const bytes = ansi(p, text);
  return writeStream(p, file, bytes) < 0 ? -1 : bytes.length;
}

/** sprintf family into a buffer: `size` undefined = unbounded; returns the length, or -1 if truncated (_snprintf). */
export function vsnprintf(p: Process, buf: number, size: number | undefined, fmt: number, args: ArgSource | VarArgs, flavour: CrtFlavour, mode: 'ms' | 'c99'): number {
  const bytes = ansi(p, format(p, fmt, args, flavour));
  if (size === undefined) {
    p.mem.write(buf, bytes);
    p.mem.setU8(buf + bytes.length, 0);
    return bytes.length;
  }
  if (mode === 'c99') {
    if (size > 0) {
      const k = Math.min(bytes.length, size - 1);
      p.mem.write(buf, bytes.subarray(0, k));
      p.mem.setU8(buf + k, 0);
    }
    return bytes.length;
  }
  // Microsoft's _snprintf: no terminator when the text fills the buffer exactly; -1 when it does not fit.
  const k = Math.min(bytes.length, size);
  p.mem.write(buf, bytes.subarray(0, k));
  if (bytes.length < size) p.mem.setU8(buf + bytes.length, 0);
  return bytes.length > size ? -1 : bytes.length;
}

/** The stdin/stdout/stderr FILE* values (&_iob[n]). */
export function iobEntry(p: Process, n: number): number {
  return p.state(crt).iob + n * FILE_SIZE;
}

export function fileno(p: Process, file: number): number {
  const s = stream(p, file);
  if (!s) {
    setErrno(p, ERRNO.EINVAL);
    return -1;
  }
  return s.fd;
}

// ---- low-level descriptors -----------------------------------------------------------------

export function _write(p: Process, fd: number, buf: number, n: number): number {
  return writeFd(p, fd, p.mem.read(buf, n));
}

export function _read(p: Process, fd: number, _buf: number, _n: number): number {
  if (fd === 0) return 0; // no console input: end of file
  setErrno(p, ERRNO.EBADF);
  return -1;
}

/** No files exist yet in the guest's sandbox: opening one fails as it would in an empty folder. */
export function _open(p: Process, _path: string | null): number {
  setErrno(p, ERRNO.ENOENT);
  return -1;
}

export function _close(p: Process, fd: number): number {
  if (fd >= 0 && fd <= 2) return 0;
  setErrno(p, ERRNO.EBADF);
  return -1;
}

export function _lseek(p: Process, fd: number): number {
  setErrno(p, fd >= 0 && fd <= 2 ? ERRNO.ESPIPE : ERRNO.EBADF);
  return -1;
}

export { IOB_ENTRIES };

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts); the printf family is in printf.ts. */
export function stdioApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    __iob_func: fn('cdecl', [], 'ptr', (p) => p.state(crt).iob),
    _close: fn('cdecl', ['int'], 'int', _close),
    _fileno: fn('cdecl', ['ptr'], 'int', fileno),
    _lseek: fn('cdecl', ['int', 'int', 'int'], 'int', (p, fd, _offset, _origin) => _lseek(p, fd)),
    _lseeki64: fn('cdecl', ['int', 'int64', 'int'], 'int64', (p, fd, _offset, _origin) => BigInt(_lseek(p, fd))),
    _open: varargs(['str', 'int'], 'int', (p, path, _oflag, _mode) => _open(p, path)),
    _read: fn('cdecl', ['int', 'ptr', 'long'], 'int', _read),
    _wopen: varargs(['wstr', 'int'], 'int', (p, path, _oflag, _mode) => _open(p, path)),
    _write: fn('cdecl', ['int', 'ptr', 'long'], 'int', _write),
    fflush: fn('cdecl', ['ptr'], 'int', fflush),
    fputc: fn('cdecl', ['int', 'ptr'], 'int', fputc),
    fputs: fn('cdecl', ['ptr', 'ptr'], 'int', fputs),
    fwrite: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'long', fwrite),
    putchar: fn('cdecl', ['int'], 'int', (p, c) => fputc(p, c, iobEntry(p, 1))),
    puts: fn('cdecl', ['ptr'], 'int', puts),
  };
}
