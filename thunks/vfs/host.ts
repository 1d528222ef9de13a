// A host folder granted to the guest as drive C:. Every guest path is matched component by component
// below the folder (case-insensitively, preferring an exact match), so `..`, absolute host paths and
// drive letters never reach the host; a symbolic link is followed only when its target (fs.realpath)
// lies inside the folder, otherwise the entry is refused (ERROR_ACCESS_DENIED) and left out of listings.
// New files are created with O_EXCL|O_NOFOLLOW and existing ones opened with O_NOFOLLOW on their
// resolved path, so a link can never be written through. (A host process that swaps folders for links
// while the guest runs can still race these checks.)
//
// Windows attributes the host has no place for (HIDDEN, SYSTEM, ARCHIVE cleared, TEMPORARY, a creation
// time) are kept for the life of the process; READONLY is the owner's write permission.
import fs from 'node:fs';
import nodePath from 'node:path';
import { ERROR } from '../win32.js';
import { ATTR, fileTimeFromNs, nsFromFileTime, SETTABLE_ATTRIBUTES, type FileContent, type FileSystem, type NodeInfo } from './fs.js';
import { FileSystemOptionError } from './options.js';
import { checkName, fail, FsError, upcase } from './path.js';

const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;

/** Win32 error for a failed host call. */
export function hostError(e: unknown, notFound: number = ERROR.FILE_NOT_FOUND): number {
  switch ((e as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return notFound;
    case 'ENOTDIR':
      return ERROR.PATH_NOT_FOUND;
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
    case 'EISDIR':
    case 'ELOOP':
      return ERROR.ACCESS_DENIED;
    case 'EEXIST':
      return ERROR.FILE_EXISTS;
    case 'ENOTEMPTY':
      return ERROR.DIR_NOT_EMPTY;
    case 'ENOSPC':
    case 'EDQUOT':
    case 'EFBIG':
      return ERROR.DISK_FULL;
    case 'ENAMETOOLONG':
      return ERROR.FILENAME_EXCED_RANGE;
    case 'EBUSY':
    case 'EINVAL':
      return ERROR.SHARING_VIOLATION;
    case 'EXDEV':
      return 17; // ERROR_NOT_SAME_DEVICE
    default:
      return ERROR.GEN_FAILURE;
  }
}

function host<T>(f: () => T, notFound?: number): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof FsError) throw e;
    fail(hostError(e, notFound));
  }
}

interface Overlay {
  /** The settable attributes other than READONLY. */
  attributes?: number;
  creation?: bigint;
}

export class HostFolderFs implements FileSystem {
  readonly root: string;
  readonly writable: boolean;
  private readonly overlay = new Map<string, Overlay>();

  constructor(root: string, writable: boolean) {
    let real: string;
    try {
      real = fs.realpathSync(root);
    } catch {
      throw new FileSystemOptionError(`the folder ${root} does not exist`, { root });
    }
    if (!fs.statSync(real).isDirectory()) throw new FileSystemOptionError(`${root} is not a folder`, { root });
    this.root = real;
    this.writable = writable;
  }

  private inside(real: string): boolean {
    return real === this.root || real.startsWith(this.root.endsWith(nodePath.sep) ? this.root : this.root + nodePath.sep);
  }

  /** The name of the entry of host folder `dir` that the guest name `name` means, if any. */
  private match(dir: string, name: string): string | undefined {
    try {
      fs.lstatSync(nodePath.join(dir, name));
      return name;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') fail(ERROR.PATH_NOT_FOUND);
      if (code !== 'ENOENT') fail(hostError(e));
    }
    const want = upcase(name);
    const names = host(() => fs.readdirSync(dir), ERROR.PATH_NOT_FOUND).sort();
    return names.find((n) => upcase(n) === want && validName(n));
  }

  /** The real path an entry leads to: itself, or a symbolic link's target inside the folder. */
  private follow(p: string, missing: number): string {
    const st = host(() => fs.lstatSync(p), missing);
    if (!st.isSymbolicLink()) return p;
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch {
      fail(missing); // a dangling link
    }
    if (!this.inside(real)) fail(ERROR.ACCESS_DENIED);
    return real;
  }

  /** Host path of an existing entry (links followed); `folder`: the entry is a parent, so missing is PATH_NOT_FOUND. */
  private resolve(parts: readonly string[], folder = false): string {
    let cur = this.root;
    parts.forEach((name, i) => {
      const last = i === parts.length - 1 && !folder;
      const entry = this.match(cur, name);
      if (entry === undefined) fail(last ? ERROR.FILE_NOT_FOUND : ERROR.PATH_NOT_FOUND);
      cur = this.follow(nodePath.join(cur, entry), last ? ERROR.FILE_NOT_FOUND : ERROR.PATH_NOT_FOUND);
    });
    return cur;
  }

  /** The folder holding the last component, and that component's host name if it exists. */
  private parentOf(parts: readonly string[]): { dir: string; entry: string | undefined } {
    const dir = this.resolve(parts.slice(0, -1), true);
    if (!host(() => fs.statSync(dir)).isDirectory()) fail(ERROR.PATH_NOT_FOUND);
    return { dir, entry: this.match(dir, parts[parts.length - 1]!) };
  }

  /** An existing entry itself (a link is not followed, but must point inside). */
  private entry(parts: readonly string[]): { path: string; real: string } {
    if (!parts.length) return { path: this.root, real: this.root };
    const dir = this.resolve(parts.slice(0, -1), true);
    const entry = this.match(dir, parts[parts.length - 1]!);
    if (entry === undefined) fail(ERROR.FILE_NOT_FOUND);
    const p = nodePath.join(dir, entry);
    return { path: p, real: this.follow(p, ERROR.FILE_NOT_FOUND) };
  }

  private nodeInfo(name: string, st: fs.BigIntStats): NodeInfo {
    const id = `${st.dev}:${st.ino}`;
    const o = this.overlay.get(id);
    const isDir = st.isDirectory();
    let attributes = isDir ? ATTR.DIRECTORY : 0;
    if (!isDir && (st.mode & 0o200n) === 0n) attributes |= ATTR.READONLY;
    attributes |= o?.attributes ?? (isDir ? 0 : ATTR.ARCHIVE);
    const write = fileTimeFromNs(st.mtimeNs);
    return {
      name,
      isDir,
      size: isDir ? 0 : Number(st.size),
      attributes,
      creation: o?.creation ?? (st.birthtimeNs > 0n ? fileTimeFromNs(st.birthtimeNs) : write),
      access: fileTimeFromNs(st.atimeNs),
      write,
      id,
      index: st.ino,
      links: Number(st.nlink),
    };
  }

  private mustWrite(): void {
    if (!this.writable) fail(ERROR.ACCESS_DENIED);
  }

  info(parts: readonly string[]): NodeInfo {
    const { path: p, real } = this.entry(parts);
    return this.nodeInfo(parts.length ? nodePath.basename(p) : '', host(() => fs.statSync(real, { bigint: true })));
  }

  list(parts: readonly string[]): NodeInfo[] {
    const dir = this.resolve(parts);
    if (!host(() => fs.statSync(dir)).isDirectory()) fail(ERROR.DIRECTORY);
    const out: NodeInfo[] = [];
    for (const name of host(() => fs.readdirSync(dir)).sort()) {
      if (!validName(name)) continue;
      try {
        const real = this.follow(nodePath.join(dir, name), ERROR.FILE_NOT_FOUND);
        out.push(this.nodeInfo(name, fs.statSync(real, { bigint: true })));
      } catch {
        // links leading outside the folder, dangling links, entries that vanished: not shown
      }
    }
    return out;
  }

  open(parts: readonly string[], write: boolean): FileContent {
    if (write) this.mustWrite();
    const p = this.resolve(parts);
    if (host(() => fs.statSync(p)).isDirectory()) fail(ERROR.ACCESS_DENIED);
    const fd = host(() => fs.openSync(p, (write ? fs.constants.O_RDWR : fs.constants.O_RDONLY) | O_NOFOLLOW));
    return this.content(fd, nodePath.basename(p), parts);
  }

  create(parts: readonly string[], attributes: number): FileContent {
    this.mustWrite();
    const { dir, entry } = this.parentOf(parts);
    if (entry !== undefined) fail(ERROR.FILE_EXISTS);
    const name = parts[parts.length - 1]!;
    const mode = attributes & ATTR.READONLY ? 0o444 : 0o666;
    const fd = host(() => fs.openSync(nodePath.join(dir, name), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL | O_NOFOLLOW, mode));
    const st = fs.fstatSync(fd, { bigint: true });
    const rest = attributes & SETTABLE_ATTRIBUTES & ~ATTR.READONLY;
    this.overlay.set(`${st.dev}:${st.ino}`, { attributes: rest });
    return this.content(fd, name, parts);
  }

  mkdir(parts: readonly string[]): void {
    this.mustWrite();
    const { dir, entry } = this.parentOf(parts);
    if (entry !== undefined) fail(ERROR.ALREADY_EXISTS);
    host(() => fs.mkdirSync(nodePath.join(dir, parts[parts.length - 1]!)));
  }

  remove(parts: readonly string[]): void {
    this.mustWrite();
    if (!parts.length) fail(ERROR.ACCESS_DENIED);
    const { path: p, real } = this.entry(parts);
    const isLink = p !== real;
    if (!isLink && host(() => fs.statSync(p)).isDirectory()) host(() => fs.rmdirSync(p));
    else host(() => fs.unlinkSync(p));
  }

  rename(from: readonly string[], to: readonly string[]): void {
    this.mustWrite();
    const src = this.entry(from);
    const { dir, entry } = this.parentOf(to);
    const name = to[to.length - 1]!;
    const target = nodePath.join(dir, name);
    if (entry !== undefined && nodePath.join(dir, entry) !== src.path) {
      const existing = nodePath.join(dir, entry);
      this.follow(existing, ERROR.FILE_NOT_FOUND); // refuses a link leading outside
      if (entry !== name) host(() => fs.unlinkSync(existing)); // replaced under the new spelling
    }
    host(() => fs.renameSync(src.path, target));
  }

  link(existing: readonly string[], to: readonly string[]): void {
    this.mustWrite();
    const src = this.resolve(existing);
    const { dir, entry } = this.parentOf(to);
    if (entry !== undefined) fail(ERROR.ALREADY_EXISTS);
    host(() => fs.linkSync(src, nodePath.join(dir, to[to.length - 1]!)));
  }

  setAttributes(parts: readonly string[], attributes: number): void {
    this.mustWrite();
    const { real } = this.entry(parts);
    const st = host(() => fs.statSync(real, { bigint: true }));
    if (!st.isDirectory()) {
      const mode = Number(st.mode & 0o7777n);
      host(() => fs.chmodSync(real, attributes & ATTR.READONLY ? mode & ~0o222 : mode | 0o200));
    }
    const id = `${st.dev}:${st.ino}`;
    this.overlay.set(id, { ...this.overlay.get(id), attributes: attributes & SETTABLE_ATTRIBUTES & ~ATTR.READONLY });
  }

  setTimes(parts: readonly string[], creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void {
    this.mustWrite();
    const { real } = this.entry(parts);
    this.applyTimes(real, undefined, creation, access, write);
  }

  space(): { total: number; free: number } {
    try {
      const s = fs.statfsSync(this.root);
      return { total: s.blocks * s.bsize, free: this.writable ? s.bavail * s.bsize : 0 };
    } catch {
      return { total: 0, free: 0 };
    }
  }

  private applyTimes(real: string | undefined, fd: number | undefined, creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void {
    const st = host(() => (fd !== undefined ? fs.fstatSync(fd, { bigint: true }) : fs.statSync(real!, { bigint: true })));
    if (creation !== undefined) {
      const id = `${st.dev}:${st.ino}`;
      this.overlay.set(id, { ...this.overlay.get(id), creation });
    }
    if (access === undefined && write === undefined) return;
    const seconds = (ns: bigint) => Number(ns) / 1e9;
    const a = access !== undefined ? seconds(nsFromFileTime(access)) : seconds(st.atimeNs);
    const m = write !== undefined ? seconds(nsFromFileTime(write)) : seconds(st.mtimeNs);
    host(() => (fd !== undefined ? fs.futimesSync(fd, a, m) : fs.utimesSync(real!, a, m)));
  }

  private content(fd: number, name: string, _parts: readonly string[]): FileContent {
    const self = this;
    let closed = false;
    return {
      read(pos, length) {
        const buf = Buffer.alloc(length);
        let got = 0;
        while (got < length) {
          const n = host(() => fs.readSync(fd, buf, got, length - got, pos + got));
          if (n === 0) break;
          got += n;
        }
        return new Uint8Array(buf.buffer, buf.byteOffset, got);
      },
      write(pos, data) {
        let done = 0;
        while (done < data.length) done += host(() => fs.writeSync(fd, data, done, data.length - done, pos + done));
      },
      size: () => Number(host(() => fs.fstatSync(fd, { bigint: true })).size),
      setSize: (size) => host(() => fs.ftruncateSync(fd, size)),
      flush: () => host(() => fs.fsyncSync(fd)),
      close() {
        if (!closed) fs.closeSync(fd);
        closed = true;
      },
      info: () => self.nodeInfo(name, host(() => fs.fstatSync(fd, { bigint: true }))),
      setTimes: (c, a, w) => self.applyTimes(undefined, fd, c, a, w),
    };
  }
}

/** Host names a Windows program could not have made (and could not name) are not shown. */
function validName(name: string): boolean {
  try {
    checkName(name);
    return true;
  } catch {
    return false;
  }
}
