// The guest's drive C: as Win32 sees it: the file system the user granted (or an empty read-only one),
// the current directory, and what Windows adds on top of a file system within one process: creation
// dispositions, sharing modes between open handles, read-only/hidden attributes, delete-on-close, and
// the rules of DeleteFile, MoveFile, CopyFile, CreateDirectory and RemoveDirectory. kernel32 and the C
// runtime both work through this, so their results agree.
import { stateKey, type Process } from '../process.js';
import { ERROR } from '../win32.js';
import { ATTR, SETTABLE_ATTRIBUTES, type FileContent, type FileSystem, type NodeInfo } from './fs.js';
import { HostFolderFs } from './host.js';
import { MemoryFs } from './memory.js';
import type { FileSystemOptions } from './options.js';
import { drivePath, fail, FsError, fullPathName, locate, upcase, type Located } from './path.js';

/** Access rights (winnt.h) after mapping the generic ones. */
export const ACCESS = {
  FILE_READ_DATA: 0x1,
  FILE_WRITE_DATA: 0x2,
  FILE_APPEND_DATA: 0x4,
  FILE_READ_EA: 0x8,
  FILE_WRITE_EA: 0x10,
  FILE_EXECUTE: 0x20,
  FILE_READ_ATTRIBUTES: 0x80,
  FILE_WRITE_ATTRIBUTES: 0x100,
  DELETE: 0x1_0000,
  READ_CONTROL: 0x2_0000,
  SYNCHRONIZE: 0x10_0000,
  MAXIMUM_ALLOWED: 0x200_0000,
  GENERIC_ALL: 0x1000_0000,
  GENERIC_EXECUTE: 0x2000_0000,
  GENERIC_WRITE: 0x4000_0000,
  GENERIC_READ: 0x8000_0000,
} as const;

export const SHARE = { READ: 1, WRITE: 2, DELETE: 4 } as const;
export const DISPOSITION = { CREATE_NEW: 1, CREATE_ALWAYS: 2, OPEN_EXISTING: 3, OPEN_ALWAYS: 4, TRUNCATE_EXISTING: 5 } as const;

const FILE_ALL = 0x1f01ff;

/** GENERIC_* -> the specific file rights (FILE_GENERIC_READ & co.). */
export function mapAccess(access: number): number {
  let a = access >>> 0;
  if (a & ACCESS.GENERIC_READ) a |= ACCESS.FILE_READ_DATA | ACCESS.FILE_READ_ATTRIBUTES | ACCESS.FILE_READ_EA | ACCESS.READ_CONTROL | ACCESS.SYNCHRONIZE;
  if (a & ACCESS.GENERIC_WRITE) a |= ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA | ACCESS.FILE_WRITE_ATTRIBUTES | ACCESS.FILE_WRITE_EA | ACCESS.READ_CONTROL | ACCESS.SYNCHRONIZE;
  if (a & ACCESS.GENERIC_EXECUTE) a |= ACCESS.FILE_EXECUTE | ACCESS.FILE_READ_ATTRIBUTES | ACCESS.READ_CONTROL | ACCESS.SYNCHRONIZE;
  if (a & (ACCESS.GENERIC_ALL | ACCESS.MAXIMUM_ALLOWED)) a |= FILE_ALL;
  return (a & ~(ACCESS.GENERIC_READ | ACCESS.GENERIC_WRITE | ACCESS.GENERIC_EXECUTE | ACCESS.GENERIC_ALL | ACCESS.MAXIMUM_ALLOWED)) >>> 0;
}

const DATA_ACCESS = ACCESS.FILE_READ_DATA | ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA | ACCESS.FILE_EXECUTE | ACCESS.DELETE;
const WRITE_ACCESS = ACCESS.FILE_WRITE_DATA | ACCESS.FILE_APPEND_DATA;

/** One open of a file or folder, for sharing checks. */
interface OpenEntry {
  access: number;
  share: number;
  /** Upper-case full path, to find opens below a folder being renamed. */
  path: string;
}

/** Can two opens coexist? (Each one's data access must be shared by the other.) */
function compatible(a1: number, s1: number, a2: number, s2: number): boolean {
  a1 &= DATA_ACCESS;
  a2 &= DATA_ACCESS;
  if (!a1) s1 = SHARE.READ | SHARE.WRITE | SHARE.DELETE;
  if (!a2) s2 = SHARE.READ | SHARE.WRITE | SHARE.DELETE;
  const needs = (a: number, s: number) =>
    (!(a & (ACCESS.FILE_READ_DATA | ACCESS.FILE_EXECUTE)) || s & SHARE.READ) && (!(a & WRITE_ACCESS) || s & SHARE.WRITE) && (!(a & ACCESS.DELETE) || s & SHARE.DELETE);
  return !!(needs(a1, s2) && needs(a2, s1));
}

export interface OpenRequest {
  /** Mapped access rights (mapAccess). */
  access: number;
  share: number;
  disposition: number;
  /** FILE_ATTRIBUTE_* for a new file. */
  attributes: number;
  /** FILE_FLAG_BACKUP_SEMANTICS: folders may be opened. */
  folders: boolean;
  deleteOnClose: boolean;
}

/** A file or folder opened through the volume. */
export class OpenedFile {
  /** Components below C:\ (kept up to date when the file is moved). */
  parts: string[];
  readonly isDir: boolean;
  readonly id: string;
  /** It existed before (CREATE_ALWAYS/OPEN_ALWAYS then report ERROR_ALREADY_EXISTS). */
  readonly existed: boolean;
  readonly content: FileContent | undefined;
  readonly access: number;
  private released = false;

  constructor(
    private readonly volume: Volume,
    readonly entry: OpenEntry,
    init: { parts: string[]; isDir: boolean; id: string; existed: boolean; content: FileContent | undefined; access: number },
  ) {
    this.parts = init.parts;
    this.isDir = init.isDir;
    this.id = init.id;
    this.existed = init.existed;
    this.content = init.content;
    this.access = init.access;
  }

  get path(): string {
    return drivePath(this.parts);
  }

  info(): NodeInfo {
    return this.content ? this.content.info() : this.volume.fs.info(this.parts);
  }

  /** Closes the open (the last one of a delete-on-close file deletes it). */
  release(): void {
    if (this.released) return;
    this.released = true;
    this.content?.close();
    this.volume.unregister(this);
  }
}

export class Volume {
  readonly fs: FileSystem;
  /** The current directory: a full path without a trailing separator (except "C:\"). */
  cwd = 'C:\\';
  private readonly opens = new Map<string, Set<OpenEntry>>();
  private readonly deletePending = new Set<string>();
  private readonly openFiles = new Map<OpenEntry, OpenedFile>();

  constructor(opts?: FileSystemOptions) {
    if (!opts) this.fs = new MemoryFs({}, false);
    else if ('root' in opts) this.fs = new HostFolderFs(opts.root, opts.writable === true);
    else this.fs = new MemoryFs(opts.files ?? {}, opts.writable !== false);
  }

  get writable(): boolean {
    return this.fs.writable;
  }

  /** Closes every open file and folder (the process ends). */
  dispose(): void {
    for (const f of [...this.openFiles.values()]) f.release();
  }

  /** GetFullPathName against the current directory. */
  fullPath(path: string): string {
    return fullPathName(path, this.cwd);
  }

  locate(path: string): Located {
    return locate(path, this.cwd);
  }

  /** A path that must name something on the disk (devices: ERROR_ACCESS_DENIED for what changes files). */
  disk(path: string, deviceError: number = ERROR.ACCESS_DENIED): Located & { kind: 'disk' } {
    const l = this.locate(path);
    if (l.kind !== 'disk') fail(deviceError);
    return l;
  }

  /** The entry a path names; a trailing separator after a file name is ERROR_INVALID_NAME. */
  stat(l: Located & { kind: 'disk' }): NodeInfo {
    const info = this.fs.info(l.parts);
    if (l.trailingSep && !info.isDir) fail(ERROR.INVALID_NAME);
    return info;
  }

  /** Like stat, undefined when the last component does not exist (a missing parent still throws). */
  private lookup(parts: readonly string[]): NodeInfo | undefined {
    try {
      return this.fs.info(parts);
    } catch (e) {
      if (e instanceof FsError && e.code === ERROR.FILE_NOT_FOUND) return undefined;
      throw e;
    }
  }

  // ---- opening ------------------------------------------------------------------------------

  /** CreateFile on a disk path. */
  open(l: Located & { kind: 'disk' }, req: OpenRequest): OpenedFile {
    const D = DISPOSITION;
    if (req.disposition < D.CREATE_NEW || req.disposition > D.TRUNCATE_EXISTING) fail(ERROR.INVALID_PARAMETER);
    let access = req.access;
    if (req.deleteOnClose) access |= ACCESS.DELETE;
    if (req.disposition === D.TRUNCATE_EXISTING && !(access & ACCESS.FILE_WRITE_DATA)) fail(ERROR.INVALID_PARAMETER);
    const found = this.lookup(l.parts);
    const path = upcase(l.full);
    if (found) {
      if (l.trailingSep && !found.isDir) fail(ERROR.INVALID_NAME);
      if (req.disposition === D.CREATE_NEW) fail(ERROR.FILE_EXISTS);
      if (found.isDir) {
        if (!req.folders) fail(l.trailingSep ? ERROR.PATH_NOT_FOUND : ERROR.ACCESS_DENIED);
        if (req.disposition === D.CREATE_ALWAYS || req.disposition === D.TRUNCATE_EXISTING || access & WRITE_ACCESS) fail(ERROR.ACCESS_DENIED);
        if (req.deleteOnClose && !this.writable) fail(ERROR.ACCESS_DENIED);
        const entry = this.register(found.id, access, req.share, path);
        return this.track(new OpenedFile(this, entry, { parts: [...l.parts], isDir: true, id: found.id, existed: true, content: undefined, access }), req.deleteOnClose);
      }
      const truncate = req.disposition === D.CREATE_ALWAYS || req.disposition === D.TRUNCATE_EXISTING;
      const writes = !!(access & (WRITE_ACCESS | ACCESS.DELETE)) || truncate;
      if (found.attributes & ATTR.READONLY && writes) fail(ERROR.ACCESS_DENIED);
      if (req.disposition === D.CREATE_ALWAYS) {
        for (const a of [ATTR.HIDDEN, ATTR.SYSTEM]) if (found.attributes & a && !(req.attributes & a)) fail(ERROR.ACCESS_DENIED);
      }
      if (writes && !this.writable) fail(ERROR.ACCESS_DENIED);
      const entry = this.register(found.id, access, req.share, path);
      let content: FileContent;
      try {
        content = this.fs.open(l.parts, writes);
        if (truncate && content.size() > 0) content.setSize(0);
        if (req.disposition === D.CREATE_ALWAYS) this.fs.setAttributes(l.parts, ATTR.ARCHIVE | (req.attributes & SETTABLE_ATTRIBUTES));
      } catch (e) {
        this.unregisterEntry(found.id, entry);
        throw e;
      }
      return this.track(new OpenedFile(this, entry, { parts: [...l.parts], isDir: false, id: found.id, existed: true, content, access }), req.deleteOnClose);
    }
    if (req.disposition === D.OPEN_EXISTING || req.disposition === D.TRUNCATE_EXISTING) fail(ERROR.FILE_NOT_FOUND);
    if (l.trailingSep || !l.parts.length) fail(ERROR.INVALID_NAME);
    const content = this.fs.create(l.parts, ATTR.ARCHIVE | (req.attributes & SETTABLE_ATTRIBUTES));
    const id = content.info().id;
    const entry = this.register(id, access, req.share, path);
    return this.track(new OpenedFile(this, entry, { parts: [...l.parts], isDir: false, id, existed: false, content, access }), req.deleteOnClose);
  }

  private track(f: OpenedFile, deleteOnClose: boolean): OpenedFile {
    this.openFiles.set(f.entry, f);
    if (deleteOnClose) this.deletePending.add(f.id);
    return f;
  }

  private register(id: string, access: number, share: number, path: string): OpenEntry {
    const set = this.opens.get(id) ?? new Set<OpenEntry>();
    for (const o of set) if (!compatible(o.access, o.share, access, share)) fail(ERROR.SHARING_VIOLATION);
    const entry: OpenEntry = { access, share, path };
    set.add(entry);
    this.opens.set(id, set);
    return entry;
  }

  private unregisterEntry(id: string, entry: OpenEntry): void {
    const set = this.opens.get(id);
    set?.delete(entry);
    if (set && !set.size) this.opens.delete(id);
  }

  /** @internal An OpenedFile closes. */
  unregister(f: OpenedFile): void {
    this.openFiles.delete(f.entry);
    this.unregisterEntry(f.id, f.entry);
    if (this.opens.has(f.id) || !this.deletePending.delete(f.id)) return;
    try {
      if (this.fs.info(f.parts).id === f.id) this.fs.remove(f.parts);
    } catch {
      // already gone, or a folder that is not empty: nothing to delete
    }
  }

  /** Would an open with DELETE access (DeleteFile, MoveFile) be refused by the opens of `id`? */
  private checkShare(id: string, access: number, share = SHARE.READ | SHARE.WRITE | SHARE.DELETE): void {
    for (const o of this.opens.get(id) ?? []) if (!compatible(o.access, o.share, access, share)) fail(ERROR.SHARING_VIOLATION);
  }

  /** Are any opens (or the current directory) inside the folder at `full`? */
  private busyBelow(full: string): boolean {
    const prefix = upcase(full).replace(/\\?$/, '\\');
    if (upcase(this.cwd + '\\').startsWith(prefix)) return true;
    for (const set of this.opens.values()) for (const o of set) if (o.path.startsWith(prefix)) return true;
    return false;
  }

  /** Changes need a writable volume (checked once the names are known to exist). */
  private mustWrite(): void {
    if (!this.writable) fail(ERROR.ACCESS_DENIED);
  }

  private isCwd(full: string): boolean {
    return upcase(full).replace(/\\$/, '') === upcase(this.cwd).replace(/\\$/, '');
  }

  // ---- names --------------------------------------------------------------------------------

  mkdir(path: string): void {
    const l = this.disk(path);
    if (!l.parts.length) fail(ERROR.ALREADY_EXISTS);
    if (this.lookup(l.parts)) fail(ERROR.ALREADY_EXISTS);
    this.fs.mkdir(l.parts);
  }

  rmdir(path: string): void {
    const l = this.disk(path);
    if (!l.parts.length) fail(ERROR.ACCESS_DENIED);
    const info = this.fs.info(l.parts);
    if (!info.isDir) fail(ERROR.DIRECTORY);
    this.mustWrite();
    if (this.isCwd(l.full)) fail(ERROR.SHARING_VIOLATION);
    this.checkShare(info.id, ACCESS.DELETE);
    if (this.fs.list(l.parts).length) fail(ERROR.DIR_NOT_EMPTY);
    this.fs.remove(l.parts);
  }

  unlink(path: string): void {
    const l = this.disk(path);
    const info = this.stat(l);
    this.mustWrite();
    if (info.isDir || info.attributes & ATTR.READONLY) fail(ERROR.ACCESS_DENIED);
    this.checkShare(info.id, ACCESS.DELETE);
    this.fs.remove(l.parts);
  }

  /** MoveFileEx without the reboot flag: `replace` = MOVEFILE_REPLACE_EXISTING. */
  move(from: string, to: string, replace: boolean): void {
    const src = this.disk(from);
    const dst = this.disk(to);
    const s = this.stat(src);
    this.mustWrite();
    if (!src.parts.length || !dst.parts.length) fail(ERROR.ACCESS_DENIED);
    const d = this.lookup(dst.parts);
    if (d && d.id !== s.id) {
      if (!replace) fail(ERROR.ALREADY_EXISTS);
      if (d.isDir || s.isDir || d.attributes & ATTR.READONLY) fail(ERROR.ACCESS_DENIED);
      this.checkShare(d.id, ACCESS.DELETE);
    }
    this.checkShare(s.id, ACCESS.DELETE);
    if (s.isDir && this.busyBelow(src.full)) fail(ERROR.ACCESS_DENIED);
    this.fs.rename(src.parts, dst.parts);
    this.renamed(src.parts, dst.parts);
  }

  /** Keeps open files' paths pointing at them after a move. */
  private renamed(from: readonly string[], to: readonly string[]): void {
    const key = (ps: readonly string[]) => ps.map(upcase).join('\\');
    const f = key(from);
    for (const o of this.openFiles.values()) {
      const k = key(o.parts);
      if (k === f || k.startsWith(f + '\\')) {
        o.parts = [...to, ...o.parts.slice(from.length)];
        o.entry.path = upcase(drivePath(o.parts));
      }
    }
  }

  /** CopyFile: contents, attributes and the last-write time. */
  copy(from: string, to: string, failIfExists: boolean): void {
    const src = this.disk(from);
    const dst = this.disk(to);
    const s = this.stat(src);
    if (s.isDir) fail(ERROR.ACCESS_DENIED);
    this.checkShare(s.id, ACCESS.FILE_READ_DATA, SHARE.READ | SHARE.WRITE);
    const d = this.lookup(dst.parts);
    if (d) {
      if (failIfExists) fail(ERROR.FILE_EXISTS);
      if (d.id === s.id) fail(ERROR.SHARING_VIOLATION);
      if (d.isDir || d.attributes & (ATTR.READONLY | ATTR.HIDDEN)) fail(ERROR.ACCESS_DENIED);
      this.checkShare(d.id, ACCESS.FILE_WRITE_DATA | ACCESS.DELETE, SHARE.READ);
    }
    this.mustWrite();
    const input = this.fs.open(src.parts, false);
    try {
      const out = d ? this.fs.open(dst.parts, true) : this.fs.create(dst.parts, s.attributes & SETTABLE_ATTRIBUTES & ~ATTR.READONLY);
      try {
        out.setSize(0);
        const size = input.size();
        for (let pos = 0; pos < size; pos += 1 << 20) out.write(pos, input.read(pos, 1 << 20));
        out.setTimes(undefined, undefined, s.write);
      } finally {
        out.close();
      }
      this.fs.setAttributes(dst.parts, s.attributes & SETTABLE_ATTRIBUTES);
    } finally {
      input.close();
    }
  }

  /** Sets times of a file or folder by name (undefined: unchanged). */
  setTimes(path: string, creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void {
    const l = this.disk(path);
    this.stat(l);
    this.mustWrite();
    this.fs.setTimes(l.parts, creation, access, write);
  }

  /** CreateHardLink: files only, a new name, on a file system that has links. */
  link(newName: string, existing: string): void {
    const to = this.disk(newName);
    const from = this.disk(existing);
    const s = this.stat(from);
    if (this.lookup(to.parts)) fail(ERROR.ALREADY_EXISTS);
    this.mustWrite();
    if (s.isDir) fail(ERROR.ACCESS_DENIED);
    if (!this.fs.link) fail(ERROR.INVALID_FUNCTION);
    this.fs.link(from.parts, to.parts);
  }

  setAttributes(path: string, attributes: number): void {
    const l = this.disk(path);
    this.stat(l);
    this.mustWrite();
    this.fs.setAttributes(l.parts, attributes);
  }

  /** SetCurrentDirectory: the folder must exist; the path is kept as given (made full). */
  chdir(path: string): void {
    const l = this.disk(path, ERROR.DIRECTORY);
    const info = this.fs.info(l.parts);
    if (!info.isDir) fail(ERROR.DIRECTORY);
    this.cwd = l.parts.length ? l.full.replace(/\\$/, '') : 'C:\\';
  }

  /** Entries of a folder, with `.` and `..` first in folders other than the root (as FindFirstFile lists them). */
  entries(parts: readonly string[]): NodeInfo[] {
    // In NTFS's order: by upper-case name.
    const list = this.fs.list(parts).sort((a, b) => {
      const x = upcase(a.name);
      const y = upcase(b.name);
      return x < y ? -1 : x > y ? 1 : 0;
    });
    if (!parts.length) return list;
    const self = this.fs.info(parts);
    const parent = this.fs.info(parts.slice(0, -1));
    return [{ ...self, name: '.' }, { ...parent, name: '..' }, ...list];
  }

  /** The temporary folder of GetTempPath (TMP, TEMP, USERPROFILE, else C:\Temp), created on first use when writable. */
  tempPath(env: (name: string) => string | undefined): string {
    const from = env('TMP') ?? env('TEMP') ?? env('USERPROFILE');
    let full = 'C:\\Temp\\';
    if (from) {
      try {
        full = this.fullPath(from);
      } catch {
        // keep the default
      }
    }
    if (!full.endsWith('\\')) full += '\\';
    if (this.writable) this.ensureFolder(full);
    return full;
  }

  private ensureFolder(full: string): void {
    let l: Located;
    try {
      l = locate(full, this.cwd);
    } catch {
      return;
    }
    if (l.kind !== 'disk') return;
    for (let i = 1; i <= l.parts.length; i++) {
      const sub = l.parts.slice(0, i);
      try {
        if (!this.lookup(sub)) this.fs.mkdir(sub);
      } catch {
        return;
      }
    }
  }
}

const volumes = new WeakMap<Process, Volume>();

/** The volume of a process (built from its `fs` option on first use). */
export const vfs = stateKey<Volume>('vfs', (p: Process) => {
  const v = new Volume(p.fsOptions);
  volumes.set(p, v);
  return v;
});

/** The process ends: every file it has open is closed (host descriptors too; delete-on-close files go). */
export function closeVolume(p: Process): void {
  volumes.get(p)?.dispose();
}
