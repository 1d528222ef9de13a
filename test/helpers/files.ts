// File API shorthands for thunk tests: open, read, write and list through kernel32 as guest code does.
import type { Win32 } from './win32.js';

export const GENERIC_READ = 0x8000_0000;
export const GENERIC_WRITE = 0x4000_0000;
export const FILE_APPEND_DATA = 0x4;
export const DELETE = 0x1_0000;
export const FILE_SHARE_READ = 1;
export const FILE_SHARE_WRITE = 2;
export const FILE_SHARE_DELETE = 4;
export const CREATE_NEW = 1;
export const CREATE_ALWAYS = 2;
export const OPEN_EXISTING = 3;
export const OPEN_ALWAYS = 4;
export const TRUNCATE_EXISTING = 5;
export const FILE_FLAG_BACKUP_SEMANTICS = 0x0200_0000;
export const FILE_FLAG_DELETE_ON_CLOSE = 0x0400_0000;
export const INVALID_HANDLE_VALUE = 0xffff_ffff;

export const ERROR = {
  SUCCESS: 0,
  INVALID_FUNCTION: 1,
  FILE_NOT_FOUND: 2,
  PATH_NOT_FOUND: 3,
  ACCESS_DENIED: 5,
  INVALID_HANDLE: 6,
  NO_MORE_FILES: 18,
  SHARING_VIOLATION: 32,
  HANDLE_EOF: 38,
  BAD_NETPATH: 53,
  FILE_EXISTS: 80,
  INVALID_PARAMETER: 87,
  INVALID_NAME: 123,
  NEGATIVE_SEEK: 131,
  DIR_NOT_EMPTY: 145,
  ALREADY_EXISTS: 183,
  DIRECTORY: 267,
  NOACCESS: 998,
  INVALID_USER_BUFFER: 1784,
} as const;

export interface FileOps {
  /** CreateFileA; returns the handle (INVALID_HANDLE_VALUE on failure). */
  open(name: string, opts?: { access?: number; disposition?: number; share?: number; flags?: number }): number;
  /** WriteFile of a string (latin1) or bytes; returns the count written, or false. */
  write(h: number, data: string | Uint8Array): number | false;
  /** ReadFile of up to n bytes, as a latin1 string, or false. */
  read(h: number, n?: number): string | false;
  close(h: number): void;
  /** The names FindFirstFileA/FindNextFileA list for a pattern (or the error code). */
  list(pattern: string): string[] | number;
  /** Creates (or replaces) a file with the given contents. */
  put(name: string, data: string): void;
  /** The contents of a file, or the error code. */
  get(name: string): string | number;
  attributes(name: string): number;
}

export function fileOps(w: Win32): FileOps {
  const open: FileOps['open'] = (name, o = {}) =>
    w.k32('CreateFileA', w.str(name), o.access ?? GENERIC_READ | GENERIC_WRITE, o.share ?? 0, 0, o.disposition ?? OPEN_EXISTING, o.flags ?? 0, 0) >>> 0;
  const write: FileOps['write'] = (h, data) => {
    const bytes = typeof data === 'string' ? Uint8Array.from(data, (c) => c.charCodeAt(0)) : data;
    const buf = w.buf(bytes.length + 1);
    w.cpu.mem.write(buf, bytes);
    const n = w.buf(4);
    return w.k32('WriteFile', h, buf, bytes.length, n, 0) ? w.u32(n) : false;
  };
  const read: FileOps['read'] = (h, count = 4096) => {
    const buf = w.buf(count + 1);
    const n = w.buf(4);
    if (!w.k32('ReadFile', h, buf, count, n, 0)) return false;
    return String.fromCharCode(...w.cpu.mem.read(buf, w.u32(n)));
  };
  const close = (h: number) => void w.k32('CloseHandle', h);
  return {
    open,
    write,
    read,
    close,
    list(pattern) {
      const data = w.buf(320);
      const h = w.k32('FindFirstFileA', w.str(pattern), data) >>> 0;
      if (h === INVALID_HANDLE_VALUE) return w.lastError();
      const names = [w.readStr(data + 44)];
      while (w.k32('FindNextFileA', h, data)) names.push(w.readStr(data + 44));
      w.k32('FindClose', h);
      return names;
    },
    put(name, data) {
      const h = open(name, { access: GENERIC_WRITE, disposition: CREATE_ALWAYS });
      if (h === INVALID_HANDLE_VALUE) throw new Error(`cannot create ${name}: error ${w.lastError()}`);
      write(h, data);
      close(h);
    },
    get(name) {
      const h = open(name, { access: GENERIC_READ, share: FILE_SHARE_READ });
      if (h === INVALID_HANDLE_VALUE) return w.lastError();
      const s = read(h, 1 << 16);
      close(h);
      return s === false ? w.lastError() : s;
    },
    attributes: (name) => w.k32('GetFileAttributesA', w.str(name)) >>> 0,
  };
}
