// File handles: CreateFile and what works on the handles it returns (ReadFile, WriteFile, file pointers,
// sizes, times, information), over the sandboxed volume of thunks/vfs. One handle model serves disk
// files, folders opened with FILE_FLAG_BACKUP_SEMANTICS, the NUL device, the console streams and the ends
// of anonymous pipes, so ReadFile/WriteFile on a standard handle keep reaching the process's console output.
import { fn, type NO_RETURN } from '../spec.js';
import { INVALID_HANDLE_VALUE, type KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { encodeString } from '../text.js';
import { ERROR } from '../win32.js';
import { ATTR, reportedAttributes, type NodeInfo } from '../vfs/fs.js';
import { FsError, fail, upcase } from '../vfs/path.js';
import { ACCESS, DISPOSITION, mapAccess, vfs, type OpenedFile } from '../vfs/volume.js';
import { readConsoleInput, stdHandle, STD_ERROR, STD_INPUT, STD_OUTPUT, type ConsoleStream } from './console.js';
import { pipeRead, pipeWrite, type PipeEnd } from './pipe.js';

export const INVALID_SET_FILE_POINTER = 0xffff_ffff;
export const INVALID_FILE_SIZE = 0xffff_ffff;
export const FILE_FLAG = { BACKUP_SEMANTICS: 0x0200_0000, DELETE_ON_CLOSE: 0x0400_0000, OVERLAPPED: 0x4000_0000 } as const;
export const FILE_TYPE = { UNKNOWN: 0, DISK: 1, CHAR: 2, PIPE: 3 } as const;
/** The volume serial number GetFileInformationByHandle and GetVolumeInformation report. */
export const VOLUME_SERIAL = 0x5741_534d;

/** A disk file or folder behind a handle; the file pointer belongs to the handle (shared by duplicates). */
export interface FileHandle extends KernelObject {
  readonly type: 'file';
  readonly file: OpenedFile;
  readonly overlapped: boolean;
  position: number;
}

/** The NUL device: reads find the end at once, writes vanish. */
export interface NulDevice extends KernelObject {
  readonly type: 'nul';
}

export type IoObject = FileHandle | NulDevice | ConsoleStream | PipeEnd;

/** The object behind a handle that file I/O works on, or undefined. */
export function ioObject(p: Process, h: number): IoObject | undefined {
  const o = p.handles.get<KernelObject>(h);
  return o && (o.type === 'file' || o.type === 'nul' || o.type === 'console' || o.type === 'pipe') ? (o as IoObject) : undefined;
}

/** Runs a Win32 operation: a FsError becomes the last error and the failure value. */
export function win32Call<T>(p: Process, failure: T, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FsError) {
      p.setLastError(e.code);
      return failure;
    }
    throw e;
  }
}

function handleOf(p: Process, h: number): IoObject {
  const o = ioObject(p, h);
  if (!o) fail(ERROR.INVALID_HANDLE);
  return o;
}

function fileOf(p: Process, h: number, consoleError: number = ERROR.INVALID_FUNCTION): FileHandle | NulDevice {
  const o = handleOf(p, h);
  if (o.type === 'console' || o.type === 'pipe') fail(consoleError);
  return o;
}

// ---- CreateFile -----------------------------------------------------------------------------

export interface CreateFileArgs {
  access: number;
  share: number;
  disposition: number;
  flags: number;
}

/** CreateFile's work: a new handle, or a FsError. `existed` tells whether ERROR_ALREADY_EXISTS applies. */
export function openHandle(p: Process, name: string | null, a: CreateFileArgs): { handle: number; existed: boolean } {
  if (name === null) fail(ERROR.PATH_NOT_FOUND);
  if (a.share & ~7) fail(ERROR.INVALID_PARAMETER);
  const access = mapAccess(a.access);
  const special = upcase(name);
  if (special === 'CONIN$') return { handle: consoleHandle(p, 'stdin'), existed: false };
  if (special === 'CONOUT$') return { handle: consoleHandle(p, 'stdout'), existed: false };
  const vol = p.state(vfs);
  const l = vol.locate(name);
  if (l.kind === 'device') {
    if (a.disposition < DISPOSITION.CREATE_NEW || a.disposition > DISPOSITION.TRUNCATE_EXISTING) fail(ERROR.INVALID_PARAMETER);
    if (l.device === 'NUL') return { handle: p.handles.add({ type: 'nul' } as NulDevice), existed: false };
    if (l.device === 'CONIN$') return { handle: consoleHandle(p, 'stdin'), existed: false };
    if (l.device === 'CONOUT$') return { handle: consoleHandle(p, 'stdout'), existed: false };
    // CON: the direction follows the access asked for (both at once is refused, as documented).
    const r = !!(access & ACCESS.FILE_READ_DATA);
    const w = !!(access & ACCESS.FILE_WRITE_DATA);
    if (r && w) fail(ERROR.FILE_NOT_FOUND);
    if (!r && !w) fail(ERROR.INVALID_PARAMETER);
    return { handle: consoleHandle(p, r ? 'stdin' : 'stdout'), existed: false };
  }
  const file = vol.open(l, {
    access,
    share: a.share,
    disposition: a.disposition,
    attributes: a.flags & 0xffff,
    folders: !!(a.flags & FILE_FLAG.BACKUP_SEMANTICS),
    deleteOnClose: !!(a.flags & FILE_FLAG.DELETE_ON_CLOSE),
  });
  const obj: FileHandle = { type: 'file', file, overlapped: !!(a.flags & FILE_FLAG.OVERLAPPED), position: 0, close: () => file.release() };
  return { handle: p.handles.add(obj), existed: file.existed };
}

function consoleHandle(p: Process, stream: ConsoleStream['stream']): number {
  return p.handles.add({ type: 'console', stream } as ConsoleStream);
}

export function CreateFile(p: Process, name: string | null, access: number, share: number, _sa: number, disposition: number, flags: number, _template: number): number {
  return win32Call(p, INVALID_HANDLE_VALUE, () => {
    const r = openHandle(p, name, { access, share, disposition, flags });
    const reportsExisting = disposition === DISPOSITION.CREATE_ALWAYS || disposition === DISPOSITION.OPEN_ALWAYS;
    p.setLastError(r.existed && reportsExisting ? ERROR.ALREADY_EXISTS : ERROR.SUCCESS);
    return r.handle;
  });
}

// ---- reading and writing --------------------------------------------------------------------

/** OVERLAPPED: Internal, InternalHigh, Offset, OffsetHigh, hEvent. */
const OV = { internal: 0, internalHigh: 4, offset: 8, offsetHigh: 12 } as const;

function overlappedOffset(p: Process, ov: number): number {
  return p.mem.u32(ov + OV.offset) + p.mem.u32(ov + OV.offsetHigh) * 2 ** 32;
}

/** Reads up to `n` bytes at the handle's file pointer (or at `at`), moving the pointer. */
export function readHandle(p: Process, h: number, n: number, at?: number): Uint8Array {
  const o = handleOf(p, h);
  if (o.type === 'nul') return new Uint8Array(0);
  if (o.type === 'pipe') return pipeRead(o, n);
  if (o.type === 'console') {
    if (o.stream !== 'stdin') fail(ERROR.ACCESS_DENIED);
    return readConsoleInput(p, n); // the stdin option's bytes, then the end of the stream
  }
  if (o.file.isDir) fail(ERROR.INVALID_FUNCTION);
  if (!(o.file.access & ACCESS.FILE_READ_DATA)) fail(ERROR.ACCESS_DENIED);
  const pos = at ?? o.position;
  const data = o.file.content!.read(pos, n);
  o.position = pos + data.length;
  return data;
}

/** Writes at the handle's file pointer (or at `at`; appending handles write at the end); returns the count. */
export function writeHandle(p: Process, h: number, data: Uint8Array, at?: number): number {
  const o = handleOf(p, h);
  if (o.type === 'nul') return data.length;
  if (o.type === 'pipe') return pipeWrite(o, data);
  if (o.type === 'console') {
    if (o.stream === 'stdin') fail(ERROR.ACCESS_DENIED);
    p.write(o.stream, data);
    return data.length;
  }
  if (!(o.file.access & (ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA))) fail(ERROR.ACCESS_DENIED);
  if (o.file.isDir) fail(ERROR.INVALID_FUNCTION);
  const content = o.file.content!;
  const append = !(o.file.access & ACCESS.FILE_WRITE_DATA) || at === Infinity;
  const pos = append ? content.size() : (at ?? o.position);
  if (data.length) content.write(pos, data);
  o.position = pos + data.length;
  return data.length;
}

/** ReadFile; a read from an empty pipe waits for a writer (other threads run meanwhile). */
export function ReadFile(p: Process, h: number, buf: number, n: number, read: number, ov: number): number | typeof NO_RETURN {
  return p.scheduler.retry(() => (readFileOnce(p, h, buf, n, read, ov) ? 1 : 0), 20, 'data in a pipe (ReadFile)');
}

function readFileOnce(p: Process, h: number, buf: number, n: number, read: number, ov: number): boolean {
  return win32Call(p, false, () => {
    if (read) p.mem.setU32(read, 0);
    const o = handleOf(p, h);
    if (o.type === 'file' && !o.file.isDir && o.file.access & ACCESS.FILE_READ_DATA && n && !p.mem.isAccessible(buf, n, true)) fail(ERROR.NOACCESS);
    const data = readHandle(p, h, n, ov ? overlappedOffset(p, ov) : undefined);
    p.mem.write(buf, data);
    if (read) p.mem.setU32(read, data.length);
    if (ov) {
      p.mem.setU32(ov + OV.internal, 0);
      p.mem.setU32(ov + OV.internalHigh, data.length);
      // A read at the end with an OVERLAPPED reports it (NtReadFile's STATUS_END_OF_FILE).
      if (n && !data.length && o.type === 'file') fail(ERROR.HANDLE_EOF);
    }
    return true;
  });
}

/** WriteFile; a write to a full pipe waits until a reader has made room for all of it. */
export function WriteFile(p: Process, h: number, buf: number, n: number, written: number, ov: number): number | typeof NO_RETURN {
  const o = ioObject(p, h);
  if (o?.type === 'pipe') {
    let done = 0;
    return p.scheduler.retry(
      () =>
        win32Call(p, 0, () => {
          if (written && done === 0) p.mem.setU32(written, 0);
          while (done < n) {
            done += pipeWrite(o, p.mem.read(buf + done, n - done)); // WouldBlock while the pipe is full
          }
          if (written) p.mem.setU32(written, n);
          return 1;
        }),
      20,
      'room in a pipe (WriteFile)',
    );
  }
  return writeFileOnce(p, h, buf, n, written, ov) ? 1 : 0;
}

function writeFileOnce(p: Process, h: number, buf: number, n: number, written: number, ov: number): boolean {
  return win32Call(p, false, () => {
    if (written) p.mem.setU32(written, 0);
    const o = handleOf(p, h);
    if (n && o.type !== 'console' && !p.mem.isAccessible(buf, n, false)) {
      if (o.type === 'file' && !(o.file.access & (ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA))) fail(ERROR.ACCESS_DENIED);
      fail(ERROR.INVALID_USER_BUFFER);
    }
    let at: number | undefined;
    if (ov) {
      const lo = p.mem.u32(ov + OV.offset);
      const hi = p.mem.u32(ov + OV.offsetHigh);
      at = lo === 0xffff_ffff && hi === 0xffff_ffff ? Infinity : overlappedOffset(p, ov);
    }
    const count = writeHandle(p, h, n ? p.mem.read(buf, n) : new Uint8Array(0), at);
    if (written) p.mem.setU32(written, count);
    if (ov) {
      p.mem.setU32(ov + OV.internal, 0);
      p.mem.setU32(ov + OV.internalHigh, count);
    }
    return true;
  });
}

// ---- file pointer and size ------------------------------------------------------------------

export const FILE_BEGIN = 0;
export const FILE_CURRENT = 1;
export const FILE_END = 2;

/** Moves a handle's file pointer; returns the new position. */
export function seekHandle(p: Process, h: number, distance: number, method: number): number {
  const o = fileOf(p, h);
  if (o.type === 'nul') return 0;
  let base: number;
  if (method === FILE_BEGIN) base = 0;
  else if (method === FILE_CURRENT) base = o.position;
  else if (method === FILE_END) base = o.file.content ? o.file.content.size() : 0;
  else fail(ERROR.INVALID_PARAMETER);
  const pos = base + distance;
  if (pos < 0) fail(ERROR.NEGATIVE_SEEK);
  o.position = pos;
  return pos;
}

export function handleSize(p: Process, h: number): number {
  const o = fileOf(p, h);
  if (o.type === 'nul') return 0;
  return o.file.content ? o.file.content.size() : 0;
}

export function SetFilePointer(p: Process, h: number, lo: number, high: number, method: number): number {
  return win32Call(p, INVALID_SET_FILE_POINTER, () => {
    const distance = high ? p.mem.i32(high) * 2 ** 32 + (lo >>> 0) : lo | 0;
    const o = fileOf(p, h);
    if (!high && o.type === 'file') {
      // Without the high part the result must fit in 32 bits.
      const base = method === FILE_CURRENT ? o.position : method === FILE_END ? handleSize(p, h) : 0;
      if (method >= FILE_BEGIN && method <= FILE_END && base + distance > 0xffff_ffff) fail(ERROR.INVALID_PARAMETER);
    }
    const pos = seekHandle(p, h, distance, method);
    const low = pos % 2 ** 32;
    if (high) p.mem.setU32(high, Math.floor(pos / 2 ** 32));
    if (low === INVALID_SET_FILE_POINTER) p.setLastError(ERROR.SUCCESS);
    return low;
  });
}

export function SetFilePointerEx(p: Process, h: number, distance: bigint, out: number, method: number): boolean {
  return win32Call(p, false, () => {
    const pos = seekHandle(p, h, Number(BigInt.asIntN(64, distance)), method);
    if (out) p.mem.setU64(out, BigInt(pos));
    return true;
  });
}

export function GetFileSize(p: Process, h: number, high: number): number {
  return win32Call(p, INVALID_FILE_SIZE, () => {
    const size = handleSize(p, h);
    if (high) p.mem.setU32(high, Math.floor(size / 2 ** 32));
    const low = size % 2 ** 32;
    if (low === INVALID_FILE_SIZE) p.setLastError(ERROR.SUCCESS);
    return low;
  });
}

export function GetFileSizeEx(p: Process, h: number, out: number): boolean {
  return win32Call(p, false, () => {
    p.mem.setU64(out, BigInt(handleSize(p, h)));
    return true;
  });
}

/** A disk file handle with one of `rights`, else ERROR_ACCESS_DENIED. */
function writableFile(p: Process, h: number, rights: number): FileHandle {
  const o = fileOf(p, h);
  if (o.type !== 'file') fail(ERROR.INVALID_FUNCTION);
  if (!(o.file.access & rights)) fail(ERROR.ACCESS_DENIED);
  return o;
}

export function SetEndOfFile(p: Process, h: number): boolean {
  return win32Call(p, false, () => {
    const o = writableFile(p, h, ACCESS.FILE_WRITE_DATA);
    if (o.file.isDir) fail(ERROR.INVALID_FUNCTION);
    o.file.content!.setSize(o.position);
    return true;
  });
}

export function FlushFileBuffers(p: Process, h: number): boolean {
  return win32Call(p, false, () => {
    const o = handleOf(p, h);
    if (o.type === 'console' || o.type === 'nul') return true;
    if (o.type === 'pipe') return true; // written bytes are in the pipe already
    if (!(o.file.access & (ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA))) fail(ERROR.ACCESS_DENIED);
    o.file.content?.flush();
    return true;
  });
}

export function GetFileType(p: Process, h: number): number {
  if (h === STD_INPUT || h === STD_OUTPUT || h === STD_ERROR) h = stdHandle(p, h === STD_INPUT ? 'stdin' : h === STD_OUTPUT ? 'stdout' : 'stderr');
  const o = ioObject(p, h);
  if (!o) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return FILE_TYPE.UNKNOWN;
  }
  p.setLastError(ERROR.SUCCESS);
  return o.type === 'file' ? FILE_TYPE.DISK : o.type === 'pipe' ? FILE_TYPE.PIPE : FILE_TYPE.CHAR;
}

// ---- information and times ------------------------------------------------------------------

/** BY_HANDLE_FILE_INFORMATION (52 bytes). */
export function GetFileInformationByHandle(p: Process, h: number, out: number): boolean {
  return win32Call(p, false, () => {
    const o = fileOf(p, h);
    if (o.type !== 'file') fail(ERROR.INVALID_FUNCTION);
    const i = o.file.info();
    const m = p.mem;
    m.setU32(out, reportedAttributes(i.attributes));
    m.setU64(out + 4, i.creation);
    m.setU64(out + 12, i.access);
    m.setU64(out + 20, i.write);
    m.setU32(out + 28, VOLUME_SERIAL);
    m.setU32(out + 32, Math.floor(i.size / 2 ** 32));
    m.setU32(out + 36, i.size % 2 ** 32);
    m.setU32(out + 40, i.links);
    m.setU32(out + 44, Number((i.index >> 32n) & 0xffff_ffffn));
    m.setU32(out + 48, Number(i.index & 0xffff_ffffn));
    return true;
  });
}

export function GetFileTime(p: Process, h: number, creation: number, access: number, write: number): boolean {
  return win32Call(p, false, () => {
    const o = fileOf(p, h);
    if (o.type !== 'file') fail(ERROR.INVALID_FUNCTION);
    const i = o.file.info();
    if (creation) p.mem.setU64(creation, i.creation);
    if (access) p.mem.setU64(access, i.access);
    if (write) p.mem.setU64(write, i.write);
    return true;
  });
}

export function SetFileTime(p: Process, h: number, creation: number, access: number, write: number): boolean {
  return win32Call(p, false, () => {
    const o = writableFile(p, h, ACCESS.FILE_WRITE_ATTRIBUTES);
    // NULL leaves a time alone, and so does 0xFFFFFFFF'FFFFFFFF (which Windows also uses to stop updates).
    const t = (addr: number): bigint | undefined => {
      if (!addr) return undefined;
      const v = p.mem.u64(addr);
      return v === 0xffff_ffff_ffff_ffffn || v === 0n ? undefined : v;
    };
    const [c, a, w] = [t(creation), t(access), t(write)];
    if (o.file.content) o.file.content.setTimes(c, a, w);
    else p.state(vfs).fs.setTimes(o.file.parts, c, a, w);
    return true;
  });
}

/** The fields WIN32_FILE_ATTRIBUTE_DATA and WIN32_FIND_DATA share: attributes, three FILETIMEs, size. */
export function writeAttributeData(p: Process, out: number, i: NodeInfo): void {
  const m = p.mem;
  m.setU32(out, reportedAttributes(i.attributes));
  m.setU64(out + 4, i.creation);
  m.setU64(out + 12, i.access);
  m.setU64(out + 20, i.write);
  m.setU32(out + 28, Math.floor(i.size / 2 ** 32));
  m.setU32(out + 32, i.size % 2 ** 32);
}

/** A string result in a caller's buffer: the length without NUL when it fits, else the size needed (with NUL). */
export function putString(p: Process, buf: number, size: number, s: string, wide: boolean): number {
  if (wide) {
    if (size < s.length + 1) return s.length + 1;
    for (let i = 0; i < s.length; i++) p.mem.setU16(buf + 2 * i, s.charCodeAt(i));
    p.mem.setU16(buf + 2 * s.length, 0);
    return s.length;
  }
  const { bytes } = encodeString(s, p.ansiCodePage);
  if (size < bytes.length + 1) return bytes.length + 1;
  p.mem.write(buf, bytes);
  p.mem.setU8(buf + bytes.length, 0);
  return bytes.length;
}

/** The attributes DOS device names report (as FindFirstFile shows "nul"). */
export const DEVICE_ATTRIBUTES = ATTR.ARCHIVE;

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const fileApi = {
  CreateFileA: fn('stdcall', ['str', 'long', 'long', 'ptr', 'long', 'long', 'long'], 'long', CreateFile),
  CreateFileW: fn('stdcall', ['wstr', 'long', 'long', 'ptr', 'long', 'long', 'long'], 'long', CreateFile),
  FlushFileBuffers: fn('stdcall', ['long'], 'bool', FlushFileBuffers),
  GetFileInformationByHandle: fn('stdcall', ['long', 'ptr'], 'bool', GetFileInformationByHandle),
  GetFileSize: fn('stdcall', ['long', 'ptr'], 'long', GetFileSize),
  GetFileSizeEx: fn('stdcall', ['long', 'ptr'], 'bool', GetFileSizeEx),
  GetFileTime: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr'], 'bool', GetFileTime),
  GetFileType: fn('stdcall', ['long'], 'long', GetFileType),
  ReadFile: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', ReadFile),
  SetEndOfFile: fn('stdcall', ['long'], 'bool', SetEndOfFile),
  SetFilePointer: fn('stdcall', ['long', 'int', 'ptr', 'long'], 'long', SetFilePointer),
  SetFilePointerEx: fn('stdcall', ['long', 'int64', 'ptr', 'long'], 'bool', SetFilePointerEx),
  SetFileTime: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr'], 'bool', SetFileTime),
  WriteFile: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', WriteFile),
};
