// The C runtime's per-process state: errno, the stdio table, exit handlers, static buffers.
import { stateKey, type Process } from '../process.js';

/** msvcrt's FILE: _ptr, _cnt, _base, _flag, _file, _charbuf, _bufsiz, _tmpfname. */
export const FILE_SIZE = 32;
export const IOB_ENTRIES = 20;
export const FILE_FIELD = { ptr: 0, cnt: 4, base: 8, flag: 12, file: 16, charbuf: 20, bufsiz: 24, tmpfname: 28 } as const;
export const IOFLAG = { READ: 0x1, WRT: 0x2, NBF: 0x4, MYBUF: 0x8, EOF: 0x10, ERR: 0x20, STRG: 0x40, RW: 0x80 } as const;

export interface CrtStream {
  fd: number;
  eof: boolean;
  error: boolean;
}

export interface CrtState {
  /** The running thread's errno and _doserrno. */
  readonly errnoAddr: number;
  readonly doserrnoAddr: number;
  /** Guest address of the _iob array. */
  iob: number;
  /** FILE* -> stream state. */
  streams: Map<number, CrtStream>;
  /** atexit/_onexit functions of the process (run at unload, last registered first). */
  atexit: number[];
  /** int __mb_cur_max (1: single-byte code page). */
  mbCurMax: number;
  /** A static buffer per purpose (strerror, asctime, ...), allocated once. */
  buffers: Map<string, number>;
}

export const crt = stateKey<CrtState>('crt', (p: Process) => {
  const iob = p.allocStatic(FILE_SIZE * IOB_ENTRIES);
  const streams = new Map<number, CrtStream>();
  const flags = [IOFLAG.READ, IOFLAG.WRT, IOFLAG.WRT | IOFLAG.NBF];
  for (let i = 0; i < 3; i++) {
    const f = iob + i * FILE_SIZE;
    p.mem.setU32(f + FILE_FIELD.flag, flags[i]!);
    p.mem.setU32(f + FILE_FIELD.file, i);
    streams.set(f, { fd: i, eof: false, error: false });
  }
  const mbCurMax = p.allocStatic(4);
  p.mem.setU32(mbCurMax, 1);
  // errno and _doserrno are per thread, as in the CRT: each thread gets its own cells on first use.
  const errnoCells = new Map<number, number>();
  const doserrnoCells = new Map<number, number>();
  const perThreadCell = (cells: Map<number, number>) => {
    const id = p.currentThread.id;
    let a = cells.get(id);
    if (a === undefined) cells.set(id, (a = p.allocStatic(4, 4)));
    return a;
  };
  return {
    get errnoAddr() {
      return perThreadCell(errnoCells);
    },
    get doserrnoAddr() {
      return perThreadCell(doserrnoCells);
    },
    iob,
    streams,
    atexit: [],
    buffers: new Map(),
    mbCurMax,
  };
});

export function setErrno(p: Process, e: number): void {
  p.mem.setU32(p.state(crt).errnoAddr, e);
}

export function staticBuffer(p: Process, purpose: string, size: number): number {
  const s = p.state(crt);
  let b = s.buffers.get(purpose);
  if (b === undefined) {
    b = p.allocStatic(size);
    s.buffers.set(purpose, b);
  }
  return b;
}


/** errno values (Microsoft's numbering). */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  EINTR: 4,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EEXIST: 17,
  EINVAL: 22,
  EMFILE: 24,
  ENOSPC: 28,
  ESPIPE: 29,
  EDOM: 33,
  ERANGE: 34,
  EILSEQ: 42,
} as const;

/** strerror texts of Microsoft's C runtime, by errno. */
export const ERRNO_TEXT: Record<number, string> = {
  0: 'No error',
  1: 'Operation not permitted',
  2: 'No such file or directory',
  3: 'No such process',
  4: 'Interrupted function call',
  5: 'Input/output error',
  6: 'No such device or address',
  7: 'Arg list too long',
  8: 'Exec format error',
  9: 'Bad file descriptor',
  10: 'No child processes',
  11: 'Resource temporarily unavailable',
  12: 'Not enough space',
  13: 'Permission denied',
  14: 'Bad address',
  16: 'Resource device',
  17: 'File exists',
  18: 'Improper link',
  19: 'No such device',
  20: 'Not a directory',
  21: 'Is a directory',
  22: 'Invalid argument',
  23: 'Too many open files in system',
  24: 'Too many open files',
  25: 'Inappropriate I/O control operation',
  27: 'File too large',
  28: 'No space left on device',
  29: 'Invalid seek',
  30: 'Read-only file system',
  31: 'Too many links',
  32: 'Broken pipe',
  33: 'Domain error',
  34: 'Result too large',
  36: 'Resource deadlock avoided',
  38: 'Filename too long',
  39: 'No locks available',
  40: 'Function not implemented',
  41: 'Directory not empty',
  42: 'Illegal byte sequence',
};
