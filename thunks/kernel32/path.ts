// Names on the sandboxed drive C:: attributes, folders, deleting/moving/copying, searching
// (FindFirstFile & co.), the current directory, full/long/short names, the temporary folder and names,
// and what kernel32 tells about drives and volumes. The path rules are in thunks/vfs/path.ts.
import { fn } from '../spec.js';
import { INVALID_HANDLE_VALUE, type KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { encodeString } from '../text.js';
import { ERROR } from '../win32.js';
import { dosPattern, hasWildcards, matchesPattern, reportedAttributes, type NodeInfo } from '../vfs/fs.js';
import { dosDeviceName, FsError, fail, MAX_PATH, VOLUME_GUID } from '../vfs/path.js';
import { ACCESS, DISPOSITION, vfs } from '../vfs/volume.js';
import { fileTimeNow, tickCount } from './time.js';
import { DEVICE_ATTRIBUTES, putString, VOLUME_SERIAL, win32Call, writeAttributeData } from './file.js';

export const INVALID_FILE_ATTRIBUTES = 0xffff_ffff;

function required(name: string | null): string {
  if (name === null) fail(ERROR.PATH_NOT_FOUND);
  return name;
}

// ---- attributes -----------------------------------------------------------------------------

/** Attributes of what a path names (DOS devices report FILE_ATTRIBUTE_ARCHIVE). */
function attributesOf(p: Process, name: string): NodeInfo | undefined {
  const vol = p.state(vfs);
  const l = vol.locate(name);
  if (l.kind === 'device') return undefined;
  return vol.stat(l);
}

export function GetFileAttributes(p: Process, name: string | null): number {
  return win32Call(p, INVALID_FILE_ATTRIBUTES, () => {
    const i = attributesOf(p, required(name));
    return i ? reportedAttributes(i.attributes) : DEVICE_ATTRIBUTES;
  });
}

/** GetFileAttributesEx with GetFileExInfoStandard: WIN32_FILE_ATTRIBUTE_DATA (36 bytes). */
export function GetFileAttributesEx(p: Process, name: string | null, level: number, out: number): boolean {
  return win32Call(p, false, () => {
    if (level !== 0) fail(ERROR.INVALID_PARAMETER);
    const i = attributesOf(p, required(name)) ?? deviceEntry('');
    writeAttributeData(p, out, i);
    return true;
  });
}

export function SetFileAttributes(p: Process, name: string | null, attributes: number): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).setAttributes(required(name), attributes);
    return true;
  });
}

// ---- folders and names ----------------------------------------------------------------------

export function CreateDirectory(p: Process, name: string | null, _sa: number): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).mkdir(required(name));
    return true;
  });
}

export function RemoveDirectory(p: Process, name: string | null): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).rmdir(required(name));
    return true;
  });
}

export function DeleteFile(p: Process, name: string | null): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).unlink(required(name));
    return true;
  });
}

export const MOVEFILE = { REPLACE_EXISTING: 1, COPY_ALLOWED: 2, DELAY_UNTIL_REBOOT: 4, WRITE_THROUGH: 8 } as const;

export function MoveFileEx(p: Process, from: string | null, to: string | null, flags: number): boolean {
  return win32Call(p, false, () => {
    // Changes at the next reboot need the rights of an administrator.
    if (flags & MOVEFILE.DELAY_UNTIL_REBOOT) fail(ERROR.ACCESS_DENIED);
    if (to === null) fail(ERROR.INVALID_PARAMETER);
    p.state(vfs).move(required(from), to, (flags & MOVEFILE.REPLACE_EXISTING) !== 0);
    return true;
  });
}

export function CopyFile(p: Process, from: string | null, to: string | null, failIfExists: number): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).copy(required(from), required(to), failIfExists !== 0);
    return true;
  });
}

// ---- searching ------------------------------------------------------------------------------

interface FindHandle extends KernelObject {
  readonly type: 'find';
  readonly entries: NodeInfo[];
  next: number;
  readonly wide: boolean;
}

function deviceEntry(name: string): NodeInfo {
  const now = fileTimeNow();
  return { name, isDir: false, size: 0, attributes: DEVICE_ATTRIBUTES, creation: now, access: now, write: now, id: `device:${name}`, index: 0n, links: 1 };
}

/** What FindFirstFile finds: one entry for a plain name, the matching entries of a folder for a pattern. */
export function findEntries(p: Process, name: string, foldersOnly = false): NodeInfo[] {
  const vol = p.state(vfs);
  if (!name.length) fail(ERROR.PATH_NOT_FOUND);
  let cut = -1;
  for (let i = 0; i < name.length; i++) if (name[i] === '\\' || name[i] === '/') cut = i;
  const drive = cut < 0 && /^[A-Za-z]:/.test(name);
  const dirRaw = cut >= 0 ? name.slice(0, cut + 1) : drive ? name.slice(0, 2) : '';
  const pattern = cut >= 0 ? name.slice(cut + 1) : drive ? name.slice(2) : name;
  const folder = (): readonly string[] => {
    try {
      const l = vol.disk(dirRaw || '.', ERROR.PATH_NOT_FOUND);
      if (!vol.fs.info(l.parts).isDir) fail(ERROR.PATH_NOT_FOUND);
      return l.parts;
    } catch (e) {
      if (e instanceof FsError && e.code === ERROR.FILE_NOT_FOUND) fail(ERROR.PATH_NOT_FOUND);
      throw e;
    }
  };
  if (!pattern.length) {
    folder();
    fail(ERROR.FILE_NOT_FOUND);
  }
  let found: NodeInfo[];
  if (!hasWildcards(pattern)) {
    if (dosDeviceName(name)) {
      folder();
      found = [deviceEntry(pattern.replace(/[. ]+$/, ''))];
    } else {
      const l = vol.disk(name, ERROR.FILE_NOT_FOUND);
      if (!l.parts.length) fail(ERROR.FILE_NOT_FOUND);
      found = [vol.stat(l)];
    }
  } else {
    if (/[\u0000-\u001f:|/\\]/.test(pattern)) fail(ERROR.INVALID_NAME);
    const parts = folder();
    const expr = dosPattern(pattern);
    found = vol.entries(parts).filter((e) => matchesPattern(expr, e.name));
  }
  if (foldersOnly) found = found.filter((e) => e.isDir);
  if (!found.length) fail(ERROR.FILE_NOT_FOUND);
  return found;
}

/** WIN32_FIND_DATAA (320 bytes) / WIN32_FIND_DATAW (592 bytes). */
function writeFindData(p: Process, out: number, e: NodeInfo, wide: boolean): void {
  writeAttributeData(p, out, e);
  p.mem.setU32(out + 36, 0); // dwReserved0
  p.mem.setU32(out + 40, 0);
  if (wide) {
    const name = e.name.slice(0, MAX_PATH - 1);
    for (let i = 0; i < name.length; i++) p.mem.setU16(out + 44 + 2 * i, name.charCodeAt(i));
    p.mem.setU16(out + 44 + 2 * name.length, 0);
    p.mem.setU16(out + 44 + 2 * MAX_PATH, 0); // cAlternateFileName: no 8.3 names on this volume
  } else {
    const bytes = encodeString(e.name, p.ansiCodePage).bytes.subarray(0, MAX_PATH - 1);
    p.mem.write(out + 44, bytes);
    p.mem.setU8(out + 44 + bytes.length, 0);
    p.mem.setU8(out + 44 + MAX_PATH, 0);
  }
}

export const FINDEX = { INFO_STANDARD: 0, INFO_BASIC: 1, SEARCH_NAME_MATCH: 0, SEARCH_LIMIT_TO_DIRECTORIES: 1, SEARCH_LIMIT_TO_DEVICES: 2 } as const;

export function FindFirstFileEx(p: Process, name: string | null, level: number, data: number, op: number, filter: number, _flags: number, wide: boolean): number {
  return win32Call(p, INVALID_HANDLE_VALUE, () => {
    if ((level !== FINDEX.INFO_STANDARD && level !== FINDEX.INFO_BASIC) || op > FINDEX.SEARCH_LIMIT_TO_DIRECTORIES || filter) fail(ERROR.INVALID_PARAMETER);
    const entries = findEntries(p, required(name), op === FINDEX.SEARCH_LIMIT_TO_DIRECTORIES);
    writeFindData(p, data, entries[0]!, wide);
    return p.handles.add({ type: 'find', entries, next: 1, wide } as FindHandle);
  });
}

export function FindNextFile(p: Process, h: number, data: number): boolean {
  const f = p.handles.get<FindHandle>(h, 'find');
  if (!f) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const e = f.entries[f.next];
  if (!e) {
    p.setLastError(ERROR.NO_MORE_FILES);
    return false;
  }
  f.next++;
  writeFindData(p, data, e, f.wide);
  return true;
}

export function FindClose(p: Process, h: number): boolean {
  if (!p.handles.get<FindHandle>(h, 'find')) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.handles.close(h);
  return true;
}

// ---- current directory, full and long names ---------------------------------------------------

export function GetCurrentDirectory(p: Process, size: number, buf: number, wide: boolean): number {
  return putString(p, buf, size, p.state(vfs).cwd, wide);
}

export function SetCurrentDirectory(p: Process, name: string | null): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).chdir(required(name));
    return true;
  });
}

export function GetFullPathName(p: Process, name: string | null, size: number, buf: number, filePart: number, wide: boolean): number {
  return win32Call(p, 0, () => {
    if (name === null) fail(ERROR.INVALID_PARAMETER);
    if (!name.length) fail(ERROR.INVALID_NAME);
    const full = p.state(vfs).fullPath(name);
    const n = putString(p, buf, size, full, wide);
    if (n < size && filePart) {
      const cut = full.lastIndexOf('\\') + 1;
      const offset = wide ? 2 * cut : encodeString(full.slice(0, cut), p.ansiCodePage).bytes.length;
      p.mem.setU32(filePart, cut === full.length ? 0 : buf + offset);
    }
    return n;
  });
}

/** GetLongPathName / GetShortPathName: the path must exist; 8.3 names are off on this volume, so both return it as given. */
export function GetLongPathName(p: Process, name: string | null, buf: number, size: number, wide: boolean): number {
  return win32Call(p, 0, () => {
    if (name === null) fail(ERROR.INVALID_PARAMETER);
    const vol = p.state(vfs);
    const l = vol.locate(name);
    if (l.kind === 'disk') vol.stat(l);
    return putString(p, buf, size, name, wide);
  });
}

// ---- the temporary folder ---------------------------------------------------------------------

export function GetTempPath(p: Process, size: number, buf: number, wide: boolean): number {
  const env = (n: string) => p.env.get(n)?.value;
  return putString(p, buf, size, p.state(vfs).tempPath(env), wide);
}

/** GetTempFileName: `<path>\<first 3 of prefix><hex>.tmp`; with uUnique 0 it creates the file, trying numbers until one is free. */
export function GetTempFileName(p: Process, path: string | null, prefix: string | null, unique: number, out: number, wide: boolean): number {
  return win32Call(p, 0, () => {
    if (path === null) fail(ERROR.INVALID_PARAMETER);
    const vol = p.state(vfs);
    let dir = vol.fullPath(path);
    if (!dir.endsWith('\\')) dir += '\\';
    let isFolder = false;
    try {
      const l = vol.disk(dir, ERROR.DIRECTORY);
      isFolder = vol.fs.info(l.parts).isDir;
    } catch (e) {
      if (!(e instanceof FsError)) throw e;
    }
    if (!isFolder) {
      // A read-only sandbox cannot create its temporary folder: writing there is what is refused.
      const temp = vol.tempPath((n) => p.env.get(n)?.value);
      fail(!vol.writable && dir.toUpperCase() === temp.toUpperCase() ? ERROR.ACCESS_DENIED : ERROR.DIRECTORY);
    }
    const pre = (prefix ?? '').slice(0, 3);
    const nameFor = (n: number) => `${dir}${pre}${n.toString(16).toUpperCase()}.tmp`;
    if (nameFor(0xffff).length + 1 > MAX_PATH) fail(ERROR.BUFFER_OVERFLOW);
    let n = unique & 0xffff;
    if (unique === 0) {
      n = tickCount() & 0xffff || 1;
      for (let tries = 0; ; tries++) {
        if (tries === 0xffff) fail(ERROR.FILE_EXISTS);
        try {
          const l = vol.disk(nameFor(n));
          vol.open(l, { access: ACCESS.FILE_WRITE_DATA, share: 0, disposition: DISPOSITION.CREATE_NEW, attributes: 0, folders: false, deleteOnClose: false }).release();
          break;
        } catch (e) {
          if (!(e instanceof FsError) || e.code !== ERROR.FILE_EXISTS) throw e;
          n = (n % 0xffff) + 1;
        }
      }
    }
    putString(p, out, MAX_PATH, nameFor(n), wide);
    return unique === 0 ? n : unique;
  });
}

// ---- drives and volumes -----------------------------------------------------------------------

export const DRIVE_TYPE = { UNKNOWN: 0, NO_ROOT_DIR: 1, REMOVABLE: 2, FIXED: 3, REMOTE: 4, CDROM: 5, RAMDISK: 6 } as const;

/** Is `root` drive C:'s root ("C:\", "C:", "c:/")? NULL means the current drive, which is C:. */
function isRoot(root: string | null): boolean {
  return root === null || /^[Cc]:[\\/]?$/.test(root);
}

export function GetDriveType(_p: Process, root: string | null): number {
  return isRoot(root) ? DRIVE_TYPE.FIXED : DRIVE_TYPE.NO_ROOT_DIR;
}

export function GetLogicalDrives(_p: Process): number {
  return 1 << 2;
}

export function GetLogicalDriveStrings(p: Process, size: number, buf: number, wide: boolean): number {
  const need = 5; // "C:\" NUL NUL
  if (size < need) return need;
  putString(p, buf, size, 'C:\\', wide);
  if (wide) p.mem.setU16(buf + 8, 0);
  else p.mem.setU8(buf + 4, 0);
  return need - 1;
}

/** The folder a disk-space query names (NULL: the current one); it must exist. */
function spaceOf(p: Process, dir: string | null): { total: number; free: number } {
  const vol = p.state(vfs);
  const l = vol.disk(dir ?? '.', ERROR.PATH_NOT_FOUND);
  const info = vol.fs.info(l.parts);
  if (!info.isDir) fail(ERROR.DIRECTORY);
  return vol.fs.space();
}

export function GetDiskFreeSpaceEx(p: Process, dir: string | null, freeToCaller: number, total: number, totalFree: number): boolean {
  return win32Call(p, false, () => {
    const s = spaceOf(p, dir);
    if (freeToCaller) p.mem.setU64(freeToCaller, BigInt(s.free));
    if (total) p.mem.setU64(total, BigInt(s.total));
    if (totalFree) p.mem.setU64(totalFree, BigInt(s.free));
    return true;
  });
}

/** Clusters of 8 sectors of 512 bytes; cluster counts above 32 bits are reported as 0xFFFFFFFF. */
export function GetDiskFreeSpace(p: Process, root: string | null, spc: number, bps: number, freeClusters: number, totalClusters: number): boolean {
  return win32Call(p, false, () => {
    const s = spaceOf(p, root);
    const cluster = 4096;
    const cap = (n: number) => Math.min(0xffff_ffff, Math.floor(n / cluster));
    if (spc) p.mem.setU32(spc, 8);
    if (bps) p.mem.setU32(bps, 512);
    if (freeClusters) p.mem.setU32(freeClusters, cap(s.free));
    if (totalClusters) p.mem.setU32(totalClusters, cap(s.total));
    return true;
  });
}

/** The volume GUID path of drive C: ("\\?\Volume{...}\"). */
export const VOLUME_NAME = `\\\\?\\Volume${VOLUME_GUID}\\`;

interface VolumeFind extends KernelObject {
  readonly type: 'volume-find';
}

/** FindFirstVolume: the one volume; a buffer too small is ERROR_FILENAME_EXCED_RANGE. */
export function FindFirstVolume(p: Process, buf: number, size: number, wide: boolean): number {
  if (putString(p, buf, size, VOLUME_NAME, wide) > VOLUME_NAME.length) {
    p.setLastError(ERROR.FILENAME_EXCED_RANGE);
    return INVALID_HANDLE_VALUE;
  }
  return p.handles.add({ type: 'volume-find' } as VolumeFind);
}

export function FindNextVolume(p: Process, h: number, _buf: number, _size: number): boolean {
  p.setLastError(p.handles.get(h, 'volume-find') ? ERROR.NO_MORE_FILES : ERROR.INVALID_HANDLE);
  return false;
}

export function FindVolumeClose(p: Process, h: number): boolean {
  if (!p.handles.get(h, 'volume-find')) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  return p.handles.close(h);
}

/** GetVolumeNameForVolumeMountPoint: "C:\" (with its backslash) is the volume above. */
export function GetVolumeNameForVolumeMountPoint(p: Process, mount: string | null, buf: number, size: number, wide: boolean): boolean {
  return win32Call(p, false, () => {
    if (mount === null || !/[\\/]$/.test(mount)) fail(ERROR.INVALID_NAME);
    if (!isRoot(mount)) fail(ERROR.FILE_NOT_FOUND);
    if (putString(p, buf, size, VOLUME_NAME, wide) > VOLUME_NAME.length) fail(ERROR.FILENAME_EXCED_RANGE);
    return true;
  });
}

export function CreateHardLink(p: Process, newName: string | null, existing: string | null, _sa: number): boolean {
  return win32Call(p, false, () => {
    p.state(vfs).link(required(newName), required(existing));
    return true;
  });
}

export const VOLUME_LABEL = 'WOWASM';
export const FS_FLAGS = { CASE_PRESERVED_NAMES: 0x2, UNICODE_ON_DISK: 0x4, READ_ONLY_VOLUME: 0x8_0000 } as const;

export function GetVolumeInformation(p: Process, root: string | null, name: number, nameSize: number, serial: number, maxComponent: number, flags: number, fsName: number, fsNameSize: number, wide: boolean): boolean {
  return win32Call(p, false, () => {
    if (root !== null && !/^[A-Za-z]:[\\/]$/.test(root)) fail(root.length > 3 ? 144 /* ERROR_DIR_NOT_ROOT */ : ERROR.INVALID_NAME);
    if (!isRoot(root)) fail(ERROR.PATH_NOT_FOUND);
    if (name && putString(p, name, nameSize, VOLUME_LABEL, wide) > VOLUME_LABEL.length) fail(ERROR.BAD_LENGTH);
    if (fsName && putString(p, fsName, fsNameSize, 'NTFS', wide) > 4) fail(ERROR.BAD_LENGTH);
    if (serial) p.mem.setU32(serial, VOLUME_SERIAL);
    if (maxComponent) p.mem.setU32(maxComponent, 255);
    if (flags) p.mem.setU32(flags, FS_FLAGS.CASE_PRESERVED_NAMES | FS_FLAGS.UNICODE_ON_DISK | (p.state(vfs).writable ? 0 : FS_FLAGS.READ_ONLY_VOLUME));
    return true;
  });
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const pathApi = {
  CopyFileA: fn('stdcall', ['str', 'str', 'long'], 'bool', CopyFile),
  CopyFileW: fn('stdcall', ['wstr', 'wstr', 'long'], 'bool', CopyFile),
  CreateDirectoryA: fn('stdcall', ['str', 'ptr'], 'bool', CreateDirectory),
  CreateDirectoryW: fn('stdcall', ['wstr', 'ptr'], 'bool', CreateDirectory),
  CreateHardLinkA: fn('stdcall', ['str', 'str', 'ptr'], 'bool', CreateHardLink),
  CreateHardLinkW: fn('stdcall', ['wstr', 'wstr', 'ptr'], 'bool', CreateHardLink),
  DeleteFileA: fn('stdcall', ['str'], 'bool', DeleteFile),
  DeleteFileW: fn('stdcall', ['wstr'], 'bool', DeleteFile),
  FindClose: fn('stdcall', ['long'], 'bool', FindClose),
  FindFirstFileA: fn('stdcall', ['str', 'ptr'], 'long', (p, n, d) => FindFirstFileEx(p, n, FINDEX.INFO_STANDARD, d, FINDEX.SEARCH_NAME_MATCH, 0, 0, false)),
  FindFirstFileExA: fn('stdcall', ['str', 'long', 'ptr', 'long', 'ptr', 'long'], 'long', (p, n, l, d, o, f, fl) => FindFirstFileEx(p, n, l, d, o, f, fl, false)),
  FindFirstFileExW: fn('stdcall', ['wstr', 'long', 'ptr', 'long', 'ptr', 'long'], 'long', (p, n, l, d, o, f, fl) => FindFirstFileEx(p, n, l, d, o, f, fl, true)),
  FindFirstFileW: fn('stdcall', ['wstr', 'ptr'], 'long', (p, n, d) => FindFirstFileEx(p, n, FINDEX.INFO_STANDARD, d, FINDEX.SEARCH_NAME_MATCH, 0, 0, true)),
  FindFirstVolumeA: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => FindFirstVolume(p, b, n, false)),
  FindFirstVolumeW: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => FindFirstVolume(p, b, n, true)),
  FindNextFileA: fn('stdcall', ['long', 'ptr'], 'bool', FindNextFile),
  FindNextFileW: fn('stdcall', ['long', 'ptr'], 'bool', FindNextFile),
  FindNextVolumeA: fn('stdcall', ['long', 'ptr', 'long'], 'bool', FindNextVolume),
  FindNextVolumeW: fn('stdcall', ['long', 'ptr', 'long'], 'bool', FindNextVolume),
  FindVolumeClose: fn('stdcall', ['long'], 'bool', FindVolumeClose),
  GetCurrentDirectoryA: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetCurrentDirectory(p, n, b, false)),
  GetCurrentDirectoryW: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetCurrentDirectory(p, n, b, true)),
  GetDiskFreeSpaceA: fn('stdcall', ['str', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', GetDiskFreeSpace),
  GetDiskFreeSpaceExA: fn('stdcall', ['str', 'ptr', 'ptr', 'ptr'], 'bool', GetDiskFreeSpaceEx),
  GetDiskFreeSpaceExW: fn('stdcall', ['wstr', 'ptr', 'ptr', 'ptr'], 'bool', GetDiskFreeSpaceEx),
  GetDiskFreeSpaceW: fn('stdcall', ['wstr', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', GetDiskFreeSpace),
  GetDriveTypeA: fn('stdcall', ['str'], 'long', GetDriveType),
  GetDriveTypeW: fn('stdcall', ['wstr'], 'long', GetDriveType),
  GetFileAttributesA: fn('stdcall', ['str'], 'long', GetFileAttributes),
  GetFileAttributesExA: fn('stdcall', ['str', 'long', 'ptr'], 'bool', GetFileAttributesEx),
  GetFileAttributesExW: fn('stdcall', ['wstr', 'long', 'ptr'], 'bool', GetFileAttributesEx),
  GetFileAttributesW: fn('stdcall', ['wstr'], 'long', GetFileAttributes),
  GetFullPathNameA: fn('stdcall', ['str', 'long', 'ptr', 'ptr'], 'long', (p, n, s, b, f) => GetFullPathName(p, n, s, b, f, false)),
  GetFullPathNameW: fn('stdcall', ['wstr', 'long', 'ptr', 'ptr'], 'long', (p, n, s, b, f) => GetFullPathName(p, n, s, b, f, true)),
  GetLogicalDrives: fn('stdcall', [], 'long', GetLogicalDrives),
  GetLogicalDriveStringsA: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetLogicalDriveStrings(p, n, b, false)),
  GetLogicalDriveStringsW: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetLogicalDriveStrings(p, n, b, true)),
  GetLongPathNameA: fn('stdcall', ['str', 'ptr', 'long'], 'long', (p, n, b, s) => GetLongPathName(p, n, b, s, false)),
  GetLongPathNameW: fn('stdcall', ['wstr', 'ptr', 'long'], 'long', (p, n, b, s) => GetLongPathName(p, n, b, s, true)),
  GetShortPathNameA: fn('stdcall', ['str', 'ptr', 'long'], 'long', (p, n, b, s) => GetLongPathName(p, n, b, s, false)),
  GetShortPathNameW: fn('stdcall', ['wstr', 'ptr', 'long'], 'long', (p, n, b, s) => GetLongPathName(p, n, b, s, true)),
  GetTempFileNameA: fn('stdcall', ['str', 'str', 'long', 'ptr'], 'long', (p, d, x, u, o) => GetTempFileName(p, d, x, u, o, false)),
  GetTempFileNameW: fn('stdcall', ['wstr', 'wstr', 'long', 'ptr'], 'long', (p, d, x, u, o) => GetTempFileName(p, d, x, u, o, true)),
  GetTempPathA: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetTempPath(p, n, b, false)),
  GetTempPathW: fn('stdcall', ['long', 'ptr'], 'long', (p, n, b) => GetTempPath(p, n, b, true)),
  GetVolumeNameForVolumeMountPointA: fn('stdcall', ['str', 'ptr', 'long'], 'bool', (p, m, b, n) => GetVolumeNameForVolumeMountPoint(p, m, b, n, false)),
  GetVolumeNameForVolumeMountPointW: fn('stdcall', ['wstr', 'ptr', 'long'], 'bool', (p, m, b, n) => GetVolumeNameForVolumeMountPoint(p, m, b, n, true)),
  GetVolumeInformationA: fn('stdcall', ['str', 'ptr', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'long'], 'bool', (p, r, n, ns, s, m, f, fs, fss) => GetVolumeInformation(p, r, n, ns, s, m, f, fs, fss, false)),
  GetVolumeInformationW: fn('stdcall', ['wstr', 'ptr', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'long'], 'bool', (p, r, n, ns, s, m, f, fs, fss) => GetVolumeInformation(p, r, n, ns, s, m, f, fs, fss, true)),
  MoveFileA: fn('stdcall', ['str', 'str'], 'bool', (p, a, b) => MoveFileEx(p, a, b, MOVEFILE.COPY_ALLOWED)),
  MoveFileExA: fn('stdcall', ['str', 'str', 'long'], 'bool', MoveFileEx),
  MoveFileExW: fn('stdcall', ['wstr', 'wstr', 'long'], 'bool', MoveFileEx),
  MoveFileW: fn('stdcall', ['wstr', 'wstr'], 'bool', (p, a, b) => MoveFileEx(p, a, b, MOVEFILE.COPY_ALLOWED)),
  RemoveDirectoryA: fn('stdcall', ['str'], 'bool', RemoveDirectory),
  RemoveDirectoryW: fn('stdcall', ['wstr'], 'bool', RemoveDirectory),
  SetCurrentDirectoryA: fn('stdcall', ['str'], 'bool', SetCurrentDirectory),
  SetCurrentDirectoryW: fn('stdcall', ['wstr'], 'bool', SetCurrentDirectory),
  SetFileAttributesA: fn('stdcall', ['str', 'long'], 'bool', SetFileAttributes),
  SetFileAttributesW: fn('stdcall', ['wstr', 'long'], 'bool', SetFileAttributes),
};
