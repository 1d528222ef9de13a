// The file system behind drive C:: what a backend (a granted host folder, or an in-memory tree) offers.
// Backends see paths as components below the root, already checked by thunks/vfs/path.ts; they match
// names case-insensitively, create them with the case given, and report failures as FsError with the
// Windows error code. The Win32 semantics (dispositions, sharing, attributes) live in thunks/vfs/volume.ts.
import { upcase } from './path.js';

/** FILE_ATTRIBUTE_* */
export const ATTR = {
  READONLY: 0x1,
  HIDDEN: 0x2,
  SYSTEM: 0x4,
  DIRECTORY: 0x10,
  ARCHIVE: 0x20,
  DEVICE: 0x40,
  NORMAL: 0x80,
  TEMPORARY: 0x100,
  OFFLINE: 0x1000,
  NOT_CONTENT_INDEXED: 0x2000,
} as const;

/** The attributes SetFileAttributes can change. */
export const SETTABLE_ATTRIBUTES = ATTR.READONLY | ATTR.HIDDEN | ATTR.SYSTEM | ATTR.ARCHIVE | ATTR.TEMPORARY | ATTR.OFFLINE | ATTR.NOT_CONTENT_INDEXED;

/** A directory entry or an open file's metadata. Times are FILETIMEs (100 ns since 1601). */
export interface NodeInfo {
  /** The name as stored (its case may differ from the one asked for). */
  name: string;
  isDir: boolean;
  size: number;
  /** FILE_ATTRIBUTE_* bits (DIRECTORY for directories; never NORMAL, see reportedAttributes). */
  attributes: number;
  creation: bigint;
  access: bigint;
  write: bigint;
  /** Identity of the file within the volume (the same for every path and handle reaching it). */
  id: string;
  /** nFileIndexHigh:nFileIndexLow. */
  index: bigint;
  links: number;
}

/** FILE_ATTRIBUTE_NORMAL stands alone when no other attribute is set. */
export function reportedAttributes(attributes: number): number {
  return attributes === 0 ? ATTR.NORMAL : attributes;
}

/** The contents of an open regular file. */
export interface FileContent {
  /** Up to `length` bytes at `pos` (fewer at the end of the file). */
  read(pos: number, length: number): Uint8Array;
  /** Writes at `pos`, extending the file (with zeros between the old end and `pos`). */
  write(pos: number, data: Uint8Array): void;
  size(): number;
  setSize(size: number): void;
  flush(): void;
  close(): void;
  info(): NodeInfo;
  setTimes(creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void;
}

export interface FileSystem {
  readonly writable: boolean;
  /** The entry at `parts` ([] is the root). Throws FILE_NOT_FOUND, or PATH_NOT_FOUND for a missing parent. */
  info(parts: readonly string[]): NodeInfo;
  /** The entries of a directory (without `.` and `..`). */
  list(parts: readonly string[]): NodeInfo[];
  /** Opens an existing regular file. */
  open(parts: readonly string[], write: boolean): FileContent;
  /** Creates a new empty regular file (the parent exists, the name does not), opened. */
  create(parts: readonly string[], attributes: number): FileContent;
  mkdir(parts: readonly string[]): void;
  /** Removes a file or an empty directory. */
  remove(parts: readonly string[]): void;
  /** Renames/moves; an existing target file (not directory) is replaced. */
  rename(from: readonly string[], to: readonly string[]): void;
  /** Sets the settable attributes (READONLY, HIDDEN, ...). */
  setAttributes(parts: readonly string[], attributes: number): void;
  setTimes(parts: readonly string[], creation: bigint | undefined, access: bigint | undefined, write: bigint | undefined): void;
  /** A second name for an existing file (hard link); undefined: the file system has none (like FAT). */
  link?(existing: readonly string[], to: readonly string[]): void;
  /** Bytes of the volume: total, and free for writing (0 when read-only). */
  space(): { total: number; free: number };
  /** Releases host resources (open descriptors are closed by their FileContent). */
  dispose?(): void;
}

/** 100 ns units between 1601-01-01 and 1970-01-01. */
export const EPOCH_DIFF_100NS = 116_444_736_000_000_000n;

export function fileTimeFromNs(ns: bigint): bigint {
  return ns / 100n + EPOCH_DIFF_100NS;
}

export function nsFromFileTime(ft: bigint): bigint {
  return (ft - EPOCH_DIFF_100NS) * 100n;
}

// ---- wildcards ---------------------------------------------------------------------------------

const DOS_STAR = '<';
const DOS_QM = '>';
const DOS_DOT = '"';

/**
 * FindFirstFile's pattern as the file system sees it: `?` becomes DOS_QM, `*` before a `.` DOS_STAR, and
 * a `.` before `?`, `*` or the end DOS_DOT (so `*.*` matches names without a dot, and `*.` only them).
 */
export function dosPattern(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const next = pattern[i + 1];
    if (c === '?') out += DOS_QM;
    else if (c === '*' && next === '.') out += DOS_STAR;
    else if (c === '.' && (next === '?' || next === '*' || next === undefined)) out += DOS_DOT;
    else out += c;
  }
  return out;
}

export function hasWildcards(name: string): boolean {
  return /[*?]/.test(name);
}

/**
 * FsRtlIsNameInExpression (case-insensitive) for a pattern from dosPattern: `*` any run; DOS_STAR any run
 * that does not take the name's last `.`; DOS_QM one character, or none before a `.` or the end;
 * DOS_DOT a `.`, or nothing at the end of the name.
 */
export function matchesPattern(expr: string, name: string): boolean {
  const e = upcase(expr);
  const n = upcase(name);
  const lastDot = n.lastIndexOf('.');
  const memo = new Map<number, boolean>();
  const go = (i: number, j: number): boolean => {
    const key = i * (n.length + 1) + j;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (i === e.length) r = j === n.length;
    else {
      const c = e[i]!;
      if (c === '*') {
        r = false;
        for (let k = j; k <= n.length && !r; k++) r = go(i + 1, k);
      } else if (c === DOS_STAR) {
        r = false;
        for (let k = j; k <= n.length && !r; k++) {
          if (k > j && k - 1 === lastDot) break; // it may not consume the last dot
          r = go(i + 1, k);
        }
      } else if (c === DOS_QM) {
        r = j < n.length && n[j] !== '.' ? go(i + 1, j + 1) : go(i + 1, j);
      } else if (c === DOS_DOT) {
        r = j === n.length ? go(i + 1, j) : n[j] === '.' ? go(i + 1, j + 1) : false;
      } else {
        r = j < n.length && n[j] === c && go(i + 1, j + 1);
      }
    }
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}
