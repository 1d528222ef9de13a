// <stdio.h> streams over the descriptors of io.ts: fopen/fclose, fread/fwrite, characters and lines,
// ungetc, positions, error and end-of-file flags, setvbuf, _fdopen, tmpfile. FILE* values are guest
// addresses of msvcrt's FILE (the free _iob slots first, as msvcrt hands them out): _file is the
// descriptor and _flag carries _IOREAD/_IOWRT/_IORW/_IOEOF/_IOERR, so code reading them (old MSVC
// feof/ferror macros) sees what the functions see. Data is not buffered in guest memory: _cnt stays 0,
// which sends the old getc/putc macros to _filbuf/_flsbuf; ungetc keeps its characters host-side.
import { fn, type Export } from '../spec.js';
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { encodeString } from '../text.js';
import { vfs } from '../vfs/volume.js';
import { tickCount } from '../kernel32/time.js';
import { hasSecureCrt } from './flavour.js';
import type { CrtFlavour } from './format.js';
import { _close, defaultText, fdOf, lseek, O, readFd, SH, sopen, S, writeFd } from './io.js';
import { crt, ERRNO, FILE_FIELD, FILE_SIZE, IOB_ENTRIES, IOFLAG, setErrno, type CrtStream } from './state.js';

export const EOF = -1;
/** The most streams msvcrt allows open at once (_NSTREAM_). */
const MAX_STREAMS = 512;
export const IOBUF = { FBF: 0x0, LBF: 0x40, NBF: 0x4 } as const;

/** A FILE's host-side state (the CrtStream of state.ts, which the _iob entries start with). */
interface Stream extends CrtStream {
  /** ungetc'd characters, the next one last. */
  pushback?: number[];
}

const streamsKey = stateKey<{ spare: number[] }>('crt.streams', () => ({ spare: [] }));

function streamOf(p: Process, file: number): Stream | undefined {
  return file ? (p.state(crt).streams.get(file) as Stream | undefined) : undefined;
}

function flags(p: Process, file: number): number {
  return p.mem.u32(file + FILE_FIELD.flag);
}

function setFlags(p: Process, file: number, set: number, clear = 0): void {
  const f = (flags(p, file) & ~clear) | set;
  p.mem.setU32(file + FILE_FIELD.flag, f);
  const s = streamOf(p, file);
  if (s) {
    s.eof = (f & IOFLAG.EOF) !== 0;
    s.error = (f & IOFLAG.ERR) !== 0;
  }
}

/** The stream of a FILE*, or EINVAL. */
function need(p: Process, file: number): Stream | undefined {
  const s = streamOf(p, file);
  if (!s) setErrno(p, ERRNO.EINVAL);
  return s;
}

// ---- opening and closing ----------------------------------------------------------------------

/** fopen's mode string -> _open flags and the FILE's _flag; undefined when invalid. */
export function parseMode(mode: string, defaultText: boolean): { oflag: number; flag: number } | undefined {
  const m = mode.replace(/^ +/, '');
  let oflag: number;
  let flag: number;
  switch (m[0]) {
    case 'r':
      oflag = O.RDONLY;
      flag = IOFLAG.READ;
      break;
    case 'w':
      oflag = O.WRONLY | O.CREAT | O.TRUNC;
      flag = IOFLAG.WRT;
      break;
    case 'a':
      oflag = O.WRONLY | O.CREAT | O.APPEND;
      flag = IOFLAG.WRT;
      break;
    default:
      return undefined;
  }
  const seen = new Set<string>();
  let rest = m.slice(1);
  const ccs = /, *ccs *= *(UTF-8|UTF-16LE|UNICODE) *$/i.exec(rest);
  if (ccs) rest = rest.slice(0, ccs.index);
  let mode_: 't' | 'b' | undefined;
  for (const c of rest) {
    if (c === ' ') continue;
    if (seen.has(c)) return undefined;
    seen.add(c);
    switch (c) {
      case '+':
        oflag = (oflag & ~(O.RDONLY | O.WRONLY)) | O.RDWR;
        flag = IOFLAG.RW;
        break;
      case 't':
      case 'b':
        if (mode_) return undefined;
        mode_ = c;
        break;
      case 'x':
        if (m[0] !== 'w') return undefined;
        oflag |= O.EXCL;
        break;
      case 'D':
        oflag |= O.TEMPORARY;
        break;
      case 'T':
        oflag |= O.SHORT_LIVED;
        break;
      case 'S':
        oflag |= O.SEQUENTIAL;
        break;
      case 'R':
        oflag |= O.RANDOM;
        break;
      case 'N':
        oflag |= O.NOINHERIT;
        break;
      case 'c':
      case 'n':
        break; // commit to disk on fflush, or not: every write reaches the file at once here
      default:
        return undefined;
    }
  }
  const text = mode_ === 't' || (mode_ === undefined && (ccs !== null || defaultText));
  oflag |= text ? O.TEXT : O.BINARY;
  return { oflag, flag };
}

/** A FILE for a descriptor: a free _iob slot, else one of our own. 0 with EMFILE when none is left. */
function newStream(p: Process, fd: number, flag: number): number {
  const c = p.state(crt);
  let file = 0;
  for (let i = 3; i < IOB_ENTRIES && !file; i++) if (!c.streams.has(c.iob + i * FILE_SIZE)) file = c.iob + i * FILE_SIZE;
  if (!file) {
    if (c.streams.size >= MAX_STREAMS) {
      setErrno(p, ERRNO.EMFILE);
      return 0;
    }
    file = p.state(streamsKey).spare.pop() ?? p.allocStatic(FILE_SIZE, 4);
  }
  p.mem.fill(file, 0, FILE_SIZE);
  p.mem.setU32(file + FILE_FIELD.flag, flag);
  p.mem.setU32(file + FILE_FIELD.file, fd);
  c.streams.set(file, { fd, eof: false, error: false } as Stream);
  return file;
}

/** _fsopen / fopen (share _SH_DENYNO). */
export function fsopen(p: Process, name: string | null, mode: string | null, shflag: number): number {
  if (name === null || mode === null) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const m = parseMode(mode, defaultText(p));
  if (!m) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const fd = sopen(p, name, m.oflag, shflag, S.IREAD | S.IWRITE);
  if (fd < 0) return 0;
  const file = newStream(p, fd, m.flag);
  if (!file) _close(p, fd);
  return file;
}

/** _fdopen: a stream over an open descriptor. */
export function fdopen(p: Process, fd: number, mode: string | null): number {
  const f = fdOf(p, fd);
  if (!f || mode === null) {
    setErrno(p, f ? ERRNO.EINVAL : ERRNO.EBADF);
    return 0;
  }
  const m = parseMode(mode, f.text);
  if (!m) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  if (m.oflag & O.APPEND) f.append = true;
  if (/[tb]/.test(mode)) f.text = (m.oflag & O.TEXT) !== 0;
  return newStream(p, fd, m.flag);
}

export function fclose(p: Process, file: number): number {
  const s = need(p, file);
  if (!s) return EOF;
  const r = _close(p, s.fd);
  p.state(crt).streams.delete(file);
  p.mem.fill(file, 0, FILE_SIZE);
  const c = p.state(crt);
  if (file < c.iob || file >= c.iob + IOB_ENTRIES * FILE_SIZE) p.state(streamsKey).spare.push(file);
  return r < 0 ? EOF : 0;
}

/** _fcloseall: every stream but stdin, stdout and stderr; returns how many were closed. */
export function fcloseall(p: Process): number {
  const c = p.state(crt);
  let n = 0;
  for (const file of [...c.streams.keys()]) {
    if (file >= c.iob && file < c.iob + 3 * FILE_SIZE) continue;
    fclose(p, file);
    n++;
  }
  return n;
}

/** tmpfile: a new binary read/write file in the temporary folder, deleted when closed. */
export function tmpfile(p: Process): number {
  const vol = p.state(vfs);
  const dir = vol.tempPath((n) => p.env.get(n)?.value);
  let n = (tickCount() & 0xffff) || 1;
  for (let tries = 0; tries < 0x10000; tries++, n = (n % 0xffff) + 1) {
    const fd = sopen(p, `${dir}t${n.toString(16)}.tmp`, O.CREAT | O.EXCL | O.RDWR | O.BINARY | O.TEMPORARY, SH.DENYNO, S.IREAD | S.IWRITE);
    if (fd >= 0) {
      const file = newStream(p, fd, IOFLAG.RW);
      if (!file) _close(p, fd);
      return file;
    }
    if (p.mem.u32(p.state(crt).errnoAddr) !== ERRNO.EEXIST) return 0;
  }
  return 0;
}

// ---- reading ----------------------------------------------------------------------------------

/** Reads up to n bytes (after the ungetc'd ones), setting _IOEOF/_IOERR as it goes. */
function readStream(p: Process, file: number, s: Stream, n: number): Uint8Array {
  const out: number[] = [];
  while (out.length < n && s.pushback?.length) out.push(s.pushback.pop()!);
  while (out.length < n) {
    const data = readFd(p, s.fd, n - out.length);
    if (data === -1) {
      setFlags(p, file, IOFLAG.ERR);
      break;
    }
    if (!data.length) {
      setFlags(p, file, IOFLAG.EOF);
      break;
    }
    for (const b of data) out.push(b);
  }
  return Uint8Array.from(out);
}

export function fread(p: Process, buf: number, size: number, count: number, file: number): number {
  const s = need(p, file);
  if (!s) return 0;
  const total = size * count;
  if (!total) return 0;
  const data = readStream(p, file, s, total);
  p.mem.write(buf, data);
  return Math.floor(data.length / size);
}

export function fgetc(p: Process, file: number): number {
  const s = need(p, file);
  if (!s) return EOF;
  const b = readStream(p, file, s, 1);
  return b.length ? b[0]! : EOF;
}

/** _filbuf: what an old getc macro calls when the (always empty) buffer runs out. */
export function filbuf(p: Process, file: number): number {
  const c = fgetc(p, file);
  if (streamOf(p, file)) p.mem.setU32(file + FILE_FIELD.cnt, 0);
  return c;
}

export function fgets(p: Process, buf: number, n: number, file: number): number {
  const s = need(p, file);
  if (!s || !buf || n <= 0) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const line: number[] = [];
  while (line.length < n - 1) {
    const b = readStream(p, file, s, 1);
    if (!b.length) break;
    line.push(b[0]!);
    if (b[0] === 0x0a) break;
  }
  if (!line.length && n > 1) return 0;
  p.mem.write(buf, Uint8Array.from(line));
  p.mem.setU8(buf + line.length, 0);
  return buf;
}

export function ungetc(p: Process, c: number, file: number): number {
  const s = need(p, file);
  if (!s || c === EOF || c === 0xffff_ffff) return EOF;
  (s.pushback ??= []).push(c & 0xff);
  setFlags(p, file, 0, IOFLAG.EOF);
  return c & 0xff;
}

// ---- wide characters ------------------------------------------------------------------------------

export const WEOF = 0xffff;

/** Does the stream's descriptor translate text? (Binary streams carry wide characters as 2 bytes.) */
function isText(p: Process, s: Stream): boolean {
  return fdOf(p, s.fd)?.text ?? false;
}

/** fgetwc: a byte as a character in text mode (the "C" locale), two bytes (UTF-16LE) in binary mode. */
export function fgetwc(p: Process, file: number): number {
  const s = need(p, file);
  if (!s) return WEOF;
  const n = isText(p, s) ? 1 : 2;
  const b = readStream(p, file, s, n);
  if (b.length < n) return WEOF;
  return n === 1 ? b[0]! : b[0]! | (b[1]! << 8);
}

/** fputwc: in text mode a character above U+00FF cannot be written in the "C" locale (EILSEQ). */
export function fputwc(p: Process, c: number, file: number): number {
  const s = need(p, file);
  if (!s) return WEOF;
  c &= 0xffff;
  let bytes: Uint8Array;
  if (isText(p, s)) {
    if (c > 0xff) {
      setErrno(p, ERRNO.EILSEQ);
      setFlags(p, file, IOFLAG.ERR);
      return WEOF;
    }
    bytes = Uint8Array.of(c);
  } else bytes = Uint8Array.of(c & 0xff, c >> 8);
  return streamWrite(p, file, bytes) < 0 ? WEOF : c;
}

export function ungetwc(p: Process, c: number, file: number): number {
  const s = need(p, file);
  c &= 0xffff;
  if (!s || c === WEOF) return WEOF;
  const stack = (s.pushback ??= []);
  if (isText(p, s)) {
    if (c > 0xff) return WEOF;
    stack.push(c);
  } else stack.push(c >> 8, c & 0xff);
  setFlags(p, file, 0, IOFLAG.EOF);
  return c;
}

export function fgetws(p: Process, buf: number, n: number, file: number): number {
  if (!need(p, file) || !buf || n <= 0) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const line: number[] = [];
  while (line.length < n - 1) {
    const c = fgetwc(p, file);
    if (c === WEOF) break;
    line.push(c);
    if (c === 0x0a) break;
  }
  if (!line.length && n > 1) return 0;
  line.forEach((c, i) => p.mem.setU16(buf + 2 * i, c));
  p.mem.setU16(buf + 2 * line.length, 0);
  return buf;
}

export function fputws(p: Process, str: number, file: number): number {
  for (const c of p.mem.readWUnits(str)) if (fputwc(p, c, file) === WEOF) return WEOF;
  return 0;
}

// ---- writing ----------------------------------------------------------------------------------

/** Writes to a stream: the count written, or -1 with _IOERR set (the printf family writes through this). */
export function streamWrite(p: Process, file: number, bytes: Uint8Array): number {
  const s = need(p, file);
  if (!s) return -1;
  s.pushback = [];
  const n = writeFd(p, s.fd, bytes);
  if (n < 0) setFlags(p, file, IOFLAG.ERR);
  return n;
}

export function fwrite(p: Process, buf: number, size: number, count: number, file: number): number {
  const total = size * count;
  if (!total) return 0;
  const n = streamWrite(p, file, p.mem.read(buf, total));
  return n < 0 ? 0 : Math.floor(n / size);
}

export function fputc(p: Process, c: number, file: number): number {
  return streamWrite(p, file, Uint8Array.of(c & 0xff)) < 0 ? EOF : c & 0xff;
}

/** _flsbuf: what an old putc macro calls when the (always full) buffer is to be flushed. */
export function flsbuf(p: Process, c: number, file: number): number {
  const r = fputc(p, c, file);
  if (streamOf(p, file)) p.mem.setU32(file + FILE_FIELD.cnt, 0);
  return r;
}

export function fputs(p: Process, str: number, file: number): number {
  return streamWrite(p, file, p.mem.readCBytes(str)) < 0 ? EOF : 0;
}

export function puts(p: Process, str: number): number {
  const b = p.mem.readCBytes(str);
  const out = new Uint8Array(b.length + 1);
  out.set(b);
  out[b.length] = 0x0a;
  return streamWrite(p, stdStream(p, 1), out) < 0 ? EOF : 0;
}

/** &_iob[n]: stdin, stdout, stderr. */
export function stdStream(p: Process, n: number): number {
  return p.state(crt).iob + n * FILE_SIZE;
}

// ---- positions and flags ----------------------------------------------------------------------

export const SEEK = { SET: 0, CUR: 1, END: 2 } as const;

/** fseek/_fseeki64: drops ungetc'd characters and the end-of-file flag. */
export function fseek(p: Process, file: number, offset: number, origin: number): number {
  const s = need(p, file);
  if (!s) return -1;
  if (origin < SEEK.SET || origin > SEEK.END) {
    setErrno(p, ERRNO.EINVAL);
    return -1;
  }
  if (origin === SEEK.CUR) offset -= s.pushback?.length ?? 0;
  s.pushback = [];
  if (lseek(p, s.fd, offset, origin) < 0) return -1;
  setFlags(p, file, 0, IOFLAG.EOF);
  return 0;
}

/** _ftelli64: the file position less the ungetc'd characters. */
export function ftell64(p: Process, file: number): number {
  const s = need(p, file);
  if (!s) return -1;
  const pos = lseek(p, s.fd, 0, SEEK.CUR);
  if (pos < 0) return -1;
  return Math.max(0, pos - (s.pushback?.length ?? 0));
}

export function ftell(p: Process, file: number): number {
  const pos = ftell64(p, file);
  if (pos > 0x7fff_ffff) {
    setErrno(p, ERRNO.EINVAL);
    return -1;
  }
  return pos;
}

export function rewind(p: Process, file: number): void {
  if (fseek(p, file, 0, SEEK.SET) === 0) setFlags(p, file, 0, IOFLAG.ERR);
}

export function feof(p: Process, file: number): number {
  if (!need(p, file)) return 0;
  return flags(p, file) & IOFLAG.EOF;
}

export function ferror(p: Process, file: number): number {
  if (!need(p, file)) return 0;
  return flags(p, file) & IOFLAG.ERR;
}

export function clearerr(p: Process, file: number): void {
  if (need(p, file)) setFlags(p, file, 0, IOFLAG.EOF | IOFLAG.ERR);
}

/** fflush: nothing is buffered for output; an input stream forgets its ungetc'd characters. NULL flushes all. */
export function fflush(p: Process, file: number): number {
  if (file === 0) return 0;
  const s = need(p, file);
  if (!s) return EOF;
  s.pushback = [];
  return 0;
}

/** _flushall: the number of open streams. */
export function flushall(p: Process): number {
  return p.state(crt).streams.size;
}

/** fgetpos: fpos_t is a 64-bit position. */
export function fgetpos(p: Process, file: number, pos: number): number {
  const at = ftell64(p, file);
  if (at < 0) return -1;
  p.mem.setU64(pos, BigInt(at));
  return 0;
}

export function fsetpos(p: Process, file: number, pos: number): number {
  return fseek(p, file, Number(p.mem.i64(pos)), SEEK.SET);
}

export function setvbuf(p: Process, file: number, _buf: number, mode: number, size: number): number {
  const s = need(p, file);
  if (!s) return -1;
  if ((mode !== IOBUF.FBF && mode !== IOBUF.LBF && mode !== IOBUF.NBF) || (mode !== IOBUF.NBF && (size < 2 || size > 0x7fff_ffff))) {
    setErrno(p, ERRNO.EINVAL);
    return -1;
  }
  if (mode === IOBUF.NBF) setFlags(p, file, IOFLAG.NBF);
  else setFlags(p, file, 0, IOFLAG.NBF);
  return 0;
}

export function fileno(p: Process, file: number): number {
  const s = need(p, file);
  return s ? s.fd : -1;
}

/** fopen_s & co.: the FILE* through `out` (NULL on failure) and the errno value as the result. */
function openS(p: Process, out: number, open: () => number): number {
  if (!out) {
    setErrno(p, ERRNO.EINVAL);
    return ERRNO.EINVAL;
  }
  const file = open();
  p.mem.setU32(out, file);
  return file ? 0 : p.mem.u32(p.state(crt).errnoAddr);
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function filesApi(_flavour: CrtFlavour, version: number): Record<string, Export> {
  const bytes = (p: Process, s: string | null) => (s === null ? null : String.fromCharCode(...encodeString(s, p.ansiCodePage).bytes));
  const secure: Record<string, Export> = hasSecureCrt(version)
    ? {
        // The secure forms open files unshared for writing (_SH_SECURE).
        _wfopen_s: fn('cdecl', ['ptr', 'wstr', 'wstr'], 'int', (p, out, n, m) => openS(p, out, () => fsopen(p, n, bytes(p, m), SH.SECURE))),
        fopen_s: fn('cdecl', ['ptr', 'str', 'str'], 'int', (p, out, n, m) => openS(p, out, () => fsopen(p, n, m, SH.SECURE))),
        tmpfile_s: fn('cdecl', ['ptr'], 'int', (p, out) => openS(p, out, () => tmpfile(p))),
      }
    : {};
  return {
    ...secure,
    _fcloseall: fn('cdecl', [], 'int', fcloseall),
    _fdopen: fn('cdecl', ['int', 'str'], 'ptr', fdopen),
    _filbuf: fn('cdecl', ['ptr'], 'int', filbuf),
    _fileno: fn('cdecl', ['ptr'], 'int', fileno),
    _flsbuf: fn('cdecl', ['int', 'ptr'], 'int', flsbuf),
    _flushall: fn('cdecl', [], 'int', flushall),
    _fseeki64: fn('cdecl', ['ptr', 'int64', 'int'], 'int', (p, f, off, origin) => fseek(p, f, Number(off), origin)),
    _fsopen: fn('cdecl', ['str', 'str', 'int'], 'ptr', fsopen),
    _ftelli64: fn('cdecl', ['ptr'], 'int64', (p, f) => BigInt(ftell64(p, f))),
    _getc_nolock: fn('cdecl', ['ptr'], 'int', fgetc),
    _putc_nolock: fn('cdecl', ['int', 'ptr'], 'int', fputc),
    _wfdopen: fn('cdecl', ['int', 'wstr'], 'ptr', (p, fd, m) => fdopen(p, fd, bytes(p, m))),
    _wfopen: fn('cdecl', ['wstr', 'wstr'], 'ptr', (p, n, m) => fsopen(p, n, bytes(p, m), SH.DENYNO)),
    _wfsopen: fn('cdecl', ['wstr', 'wstr', 'int'], 'ptr', (p, n, m, sh) => fsopen(p, n, bytes(p, m), sh)),
    clearerr: fn('cdecl', ['ptr'], 'void', clearerr),
    fclose: fn('cdecl', ['ptr'], 'int', fclose),
    feof: fn('cdecl', ['ptr'], 'int', feof),
    ferror: fn('cdecl', ['ptr'], 'int', ferror),
    fflush: fn('cdecl', ['ptr'], 'int', fflush),
    fgetc: fn('cdecl', ['ptr'], 'int', fgetc),
    fgetpos: fn('cdecl', ['ptr', 'ptr'], 'int', fgetpos),
    fgets: fn('cdecl', ['ptr', 'int', 'ptr'], 'ptr', fgets),
    fgetwc: fn('cdecl', ['ptr'], 'int', fgetwc),
    fgetws: fn('cdecl', ['ptr', 'int', 'ptr'], 'ptr', fgetws),
    fopen: fn('cdecl', ['str', 'str'], 'ptr', (p, n, m) => fsopen(p, n, m, SH.DENYNO)),
    fputc: fn('cdecl', ['int', 'ptr'], 'int', fputc),
    fputs: fn('cdecl', ['ptr', 'ptr'], 'int', fputs),
    fputwc: fn('cdecl', ['int', 'ptr'], 'int', fputwc),
    fputws: fn('cdecl', ['ptr', 'ptr'], 'int', fputws),
    fread: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'long', fread),
    fseek: fn('cdecl', ['ptr', 'int', 'int'], 'int', fseek),
    fsetpos: fn('cdecl', ['ptr', 'ptr'], 'int', fsetpos),
    ftell: fn('cdecl', ['ptr'], 'int', ftell),
    fwrite: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'long', fwrite),
    getc: fn('cdecl', ['ptr'], 'int', fgetc),
    getchar: fn('cdecl', [], 'int', (p) => fgetc(p, stdStream(p, 0))),
    getwc: fn('cdecl', ['ptr'], 'int', fgetwc),
    getwchar: fn('cdecl', [], 'int', (p) => fgetwc(p, stdStream(p, 0))),
    putc: fn('cdecl', ['int', 'ptr'], 'int', fputc),
    putchar: fn('cdecl', ['int'], 'int', (p, c) => fputc(p, c, stdStream(p, 1))),
    puts: fn('cdecl', ['ptr'], 'int', puts),
    putwc: fn('cdecl', ['int', 'ptr'], 'int', fputwc),
    putwchar: fn('cdecl', ['int'], 'int', (p, c) => fputwc(p, c, stdStream(p, 1))),
    rewind: fn('cdecl', ['ptr'], 'void', rewind),
    setbuf: fn('cdecl', ['ptr', 'ptr'], 'void', (p, f, b) => void setvbuf(p, f, b, b ? IOBUF.FBF : IOBUF.NBF, 512)),
    setvbuf: fn('cdecl', ['ptr', 'ptr', 'int', 'long'], 'int', setvbuf),
    tmpfile: fn('cdecl', [], 'ptr', tmpfile),
    ungetc: fn('cdecl', ['int', 'ptr'], 'int', ungetc),
    ungetwc: fn('cdecl', ['int', 'ptr'], 'int', ungetwc),
  };
}
