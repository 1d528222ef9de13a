// An in-memory volume: a tree of folders and byte arrays that lives as long as the library. It is the
// default (empty and read-only) when the user grants no file system, so nothing of the host is visible.
import { fileTimeNow } from '../kernel32/time.js';
import { ERROR } from '../win32.js';
import { ATTR, SETTABLE_ATTRIBUTES, type FileContent, type FileSystem, type NodeInfo } from './fs.js';
import { FileSystemOptionError } from './options.js';
import { checkName, fail, upcase } from './path.js';

interface MemNode {
  name: string;
  parent: MemNode | undefined;
  /** Folders only: children by upper-case name. */
  children: Map<string, MemNode> | undefined;
  data: Uint8Array;
  size: number;
  attributes: number;
  creation: bigint;
  access: bigint;
  write: bigint;
  id: number;
}

/** Bytes the volume reports as its capacity. */
const CAPACITY = 1 << 30;

export class MemoryFs implements FileSystem {
  readonly writable: boolean;
  private readonly root: MemNode;
  private nextId = 1;
  private used = 0;

  constructor(files: Record<string, Uint8Array | string> = {}, writable = true) {
    this.writable = writable;
    this.root = this.node('', undefined, true);
    for (const [path, content] of Object.entries(files)) this.seed(path, content);
  }

  private node(name: string, parent: MemNode | undefined, dir: boolean): MemNode {
    const now = fileTimeNow();
    return {
      name,
      parent,
      children: dir ? new Map() : undefined,
      data: new Uint8Array(0),
      size: 0,
      attributes: dir ? ATTR.DIRECTORY : ATTR.ARCHIVE,
      creation: now,
      access: now,
      write: now,
      id: this.nextId++,
    };
  }

  private seed(path: string, content: Uint8Array | string): void {
    const trimmed = path.replace(/^[A-Za-z]:/, '');
    const folder = /[\\/]$/.test(trimmed);
    const parts = trimmed.split(/[\\/]+/).filter((c) => c.length > 0);
    if (!parts.length && !folder) throw new FileSystemOptionError(`"${path}" names no file`, { path });
    let dir = this.root;
    parts.forEach((name, i) => {
      try {
        checkName(name);
      } catch {
        throw new FileSystemOptionError(`"${path}": "${name}" is not a valid Windows file name`, { path });
      }
      const existing = dir.children!.get(upcase(name));
      const last = i === parts.length - 1 && !folder;
      if (existing) {
        if (last || !existing.children) throw new FileSystemOptionError(`"${path}" is given twice or collides with a folder`, { path });
        dir = existing;
        return;
      }
      const n = this.node(name, dir, !last);
      dir.children!.set(upcase(name), n);
      if (last) {
        const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : Uint8Array.from(content);
        n.data = bytes;
        n.size = bytes.length;
        this.used += bytes.length;
      } else dir = n;
    });
  }

  private find(parts: readonly string[]): MemNode {
    let n = this.root;
    parts.forEach((name, i) => {
      if (!n.children) fail(ERROR.PATH_NOT_FOUND);
      const next = n.children.get(upcase(name));
      if (!next) fail(i === parts.length - 1 ? ERROR.FILE_NOT_FOUND : ERROR.PATH_NOT_FOUND);
      n = next;
    });
    return n;
  }

  /** The folder that holds (or would hold) the last component. */
  private parentOf(parts: readonly string[]): MemNode {
    let dir: MemNode;
    try {
      dir = this.find(parts.slice(0, -1));
    } catch {
      fail(ERROR.PATH_NOT_FOUND);
    }
    if (!dir.children) fail(ERROR.PATH_NOT_FOUND);
    return dir;
  }

  private info_(n: MemNode): NodeInfo {
    return {
      name: n.name,
      isDir: n.children !== undefined,
      size: n.size,
      attributes: n.attributes,
      creation: n.creation,
      access: n.access,
      write: n.write,
      id: `mem:${n.id}`,
      index: BigInt(n.id),
      links: 1,
    };
  }

  private mustWrite(): void {
    if (!this.writable) fail(ERROR.ACCESS_DENIED);
  }

  info(parts: readonly string[]): NodeInfo {
    return this.info_(this.find(parts));
  }

  list(parts: readonly string[]): NodeInfo[] {
    const dir = this.find(parts);
    if (!dir.children) fail(ERROR.DIRECTORY);
    return [...dir.children.values()].map((n) => this.info_(n));
  }

  open(parts: readonly string[], write: boolean): FileContent {
    const n = this.find(parts);
    if (n.children) fail(ERROR.ACCESS_DENIED);
    if (write) this.mustWrite();
    return this.content(n);
  }

  create(parts: readonly string[], attributes: number): FileContent {
    this.mustWrite();
    const dir = this.parentOf(parts);
    const name = parts[parts.length - 1]!;
    if (dir.children!.has(upcase(name))) fail(ERROR.FILE_EXISTS);
    const n = this.node(name, dir, false);
    n.attributes = attributes & SETTABLE_ATTRIBUTES;
    dir.children!.set(upcase(name), n);
    this.touch(dir);
    return this.content(n);
  }

  mkdir(parts: readonly string[]): void {
    this.mustWrite();
    const dir = this.parentOf(parts);
    const name = parts[parts.length - 1]!;
    if (dir.children!.has(upcase(name))) fail(ERROR.ALREADY_EXISTS);
    dir.children!.set(upcase(name), this.node(name, dir, true));
    this.touch(dir);
  }

  remove(parts: readonly string[]): void {
    this.mustWrite();
    const n = this.find(parts);
    if (!n.parent) fail(ERROR.ACCESS_DENIED);
    if (n.children?.size) fail(ERROR.DIR_NOT_EMPTY);
    n.parent.children!.delete(upcase(n.name));
    this.touch(n.parent);
    if (!n.children) this.used -= n.size;
    n.parent = undefined;
  }

  rename(from: readonly string[], to: readonly string[]): void {
    this.mustWrite();
    const n = this.find(from);
    const dir = this.parentOf(to);
    const name = to[to.length - 1]!;
    for (let d: MemNode | undefined = dir; d; d = d.parent) if (d === n) fail(ERROR.SHARING_VIOLATION); // into itself
    const existing = dir.children!.get(upcase(name));
    if (existing && existing !== n) {
      if (existing.children || n.children) fail(ERROR.ACCESS_DENIED);
      this.used -= existing.size;
      existing.parent = undefined;
    }
    n.parent!.children!.delete(upcase(n.name));
    this.touch(n.parent!);
    n.name = name;
    n.parent = dir;
    dir.children!.set(upcase(name), n);
    this.touch(dir);
  }

  setAttributes(parts: readonly string[], attributes: number): void {
    this.mustWrite();
    const n = this.find(parts);
    n.attributes = (n.attributes & ~SETTABLE_ATTRIBUTES) | (attributes & SETTABLE_ATTRIBUTES);
  }

  setTimes(parts: readonly string[], creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void {
    this.mustWrite();
    this.setNodeTimes(this.find(parts), creation, access, write);
  }

  space(): { total: number; free: number } {
    return { total: CAPACITY, free: this.writable ? Math.max(0, CAPACITY - this.used) : 0 };
  }

  private touch(n: MemNode): void {
    n.write = n.access = fileTimeNow();
  }

  private setNodeTimes(n: MemNode, creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void {
    if (creation !== undefined) n.creation = creation;
    if (access !== undefined) n.access = access;
    if (write !== undefined) n.write = write;
  }

  private content(n: MemNode): FileContent {
    const fs = this;
    const grow = (size: number): void => {
      if (size > n.data.length) {
        const d = new Uint8Array(Math.max(size, n.data.length * 2, 256));
        d.set(n.data.subarray(0, n.size));
        n.data = d;
      }
    };
    return {
      read(pos, length) {
        if (pos >= n.size) return new Uint8Array(0);
        return n.data.slice(pos, Math.min(n.size, pos + length));
      },
      write(pos, data) {
        if (!fs.writable) fail(ERROR.ACCESS_DENIED);
        const end = pos + data.length;
        if (end > CAPACITY) fail(ERROR.DISK_FULL);
        grow(end);
        if (pos > n.size) n.data.fill(0, n.size, pos);
        n.data.set(data, pos);
        if (end > n.size) {
          if (n.parent) fs.used += end - n.size;
          n.size = end;
        }
        n.write = fileTimeNow();
      },
      size: () => n.size,
      setSize(size) {
        if (!fs.writable) fail(ERROR.ACCESS_DENIED);
        if (size > CAPACITY) fail(ERROR.DISK_FULL);
        grow(size);
        if (size > n.size) n.data.fill(0, n.size, size);
        if (n.parent) fs.used += size - n.size;
        n.size = size;
        n.write = fileTimeNow();
      },
      flush() {},
      close() {},
      info: () => fs.info_(n),
      setTimes: (c, a, w) => fs.setNodeTimes(n, c, a, w),
    };
  }
}
