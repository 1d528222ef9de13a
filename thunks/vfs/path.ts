// Guest path rules, as Win32 applies them before a name reaches a file system: path types, the current
// directory, separators, `.`/`..`, the trailing dots and spaces Win32 strips, DOS device names, and the
// mapping of a full path onto the sandbox volume (drive C: only). Nothing here touches a file system.
//
// Errors a path alone decides (the Windows codes):
// - UNC paths (`\\server\share\...`, `\\?\UNC\...`): ERROR_BAD_NETPATH (53), no network is reachable.
// - a drive other than C: ERROR_PATH_NOT_FOUND (3), as for a drive letter that is not mapped.
// - `\\.\C:`, `\\?\C:` (the volume itself), `\\.\PhysicalDriveN`: ERROR_ACCESS_DENIED (5), what an
//   unprivileged process gets; other `\\.\` / `\\?\` device names: ERROR_FILE_NOT_FOUND (2).
// - wildcards, `"<>|`, control characters, `:` inside a name (alternate data streams) and names longer
//   than 255 characters: ERROR_INVALID_NAME (123).
// - an empty path: ERROR_PATH_NOT_FOUND (3).
import { ERROR } from '../win32.js';

export const MAX_PATH = 260;
/** The sandbox's only drive. */
export const DRIVE = 'C';
/** Its volume GUID path (FindFirstVolume, GetVolumeNameForVolumeMountPoint): \\?\Volume{...}\ is C:\. */
export const VOLUME_GUID = '{5741534d-0000-0000-0000-000000000001}';

/** A Win32 failure decided while resolving or using a path (caught at the API boundary). */
export class FsError extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`Win32 error ${code}`);
    this.code = code;
  }
}

export function fail(code: number): never {
  throw new FsError(code);
}

/** Upper case as Windows compares names (of files, registry keys and values): one character at a time (no ß -> SS expansions). */
export function upcase(s: string): string {
  let out = '';
  for (const c of s) {
    const u = c.toUpperCase();
    out += u.length === c.length ? u : c;
  }
  return out;
}

const isSep = (c: string | undefined): boolean => c === '\\' || c === '/';

/** RtlDetermineDosPathNameType_U. */
export type PathType = 'unc' | 'drive-absolute' | 'drive-relative' | 'rooted' | 'relative' | 'local-device' | 'root-local-device';

export function pathType(p: string): PathType {
  if (isSep(p[0])) {
    if (!isSep(p[1])) return 'rooted';
    // `\\?\` (backslashes only) passes names to the object manager untouched; `\\.\` and `//?/` are
    // device paths that are still normalized.
    if (p.startsWith('\\\\?\\')) return 'root-local-device';
    if ((p[2] === '.' || p[2] === '?') && (p.length === 3 || isSep(p[3]))) return 'local-device';
    return 'unc';
  }
  if (p.length >= 2 && p[1] === ':' && /[A-Za-z]/.test(p[0]!)) return isSep(p[2]) ? 'drive-absolute' : 'drive-relative';
  return 'relative';
}

const DEVICE_NAMES = new Set(['CON', 'PRN', 'AUX', 'NUL', ...[1, 2, 3, 4, 5, 6, 7, 8, 9].flatMap((n) => [`COM${n}`, `LPT${n}`])]);

/**
 * RtlIsDosDeviceName_U as Windows 10 has it: the last component of a DOS path (not UNC, not `\\.\`),
 * cut at its first `.` or `:` and stripped of trailing spaces, names a device ("nul.txt" and
 * "C:\dir\con" are devices). Returns the device name in upper case.
 */
export function dosDeviceName(p: string): string | undefined {
  const t = pathType(p);
  if (t === 'unc' || t === 'local-device' || t === 'root-local-device') return undefined;
  let start = 0;
  for (let i = 0; i < p.length; i++) if (isSep(p[i])) start = i + 1;
  if (start === 0 && t === 'drive-relative') start = 2;
  let name = p.slice(start);
  const cut = name.search(/[.:]/);
  if (cut >= 0) name = name.slice(0, cut);
  name = upcase(name.replace(/ +$/, ''));
  return DEVICE_NAMES.has(name) ? name : undefined;
}

/** Splits on either separator, dropping empty components (runs of separators collapse). */
function components(s: string): string[] {
  return s.split(/[\\/]+/).filter((c) => c.length > 0);
}

/**
 * Applies `.`, `..` (never above the root) and the trailing-character rules to components: a single
 * trailing `.` is dropped from every component; the last one (when the path does not end with a
 * separator) loses all its trailing dots and spaces.
 */
function normalize(parts: string[], endsWithSep: boolean): string[] {
  const out: string[] = [];
  parts.forEach((c, i) => {
    if (c === '.') return;
    if (c === '..') {
      out.pop();
      return;
    }
    let name = c;
    if (i === parts.length - 1 && !endsWithSep) name = name.replace(/[. ]+$/, '');
    else if (name.endsWith('.') && !name.endsWith('..')) name = name.slice(0, -1);
    if (name.length) out.push(name);
  });
  return out;
}

/** The root of a full path: "C:\", "\\server\share\" or "\\.\". */
function splitRoot(full: string): { root: string; rest: string } {
  const t = pathType(full);
  if (t === 'drive-absolute') return { root: full[0]!.toUpperCase() + ':\\', rest: full.slice(3) };
  if (t === 'local-device') return { root: `\\\\${full[2]}\\`, rest: full.slice(4) };
  if (t === 'unc') {
    const c = components(full);
    const root = c.length >= 2 ? `\\\\${c[0]}\\${c[1]}\\` : `\\\\${c[0] ?? ''}\\`;
    return { root, rest: c.slice(2).join('\\') };
  }
  throw new Error(`not a full path: ${full}`);
}

/**
 * GetFullPathName: the absolute form of `p` against the current directory `cwd` (itself a full path).
 * DOS device names become `\\.\NAME`; `\\?\` paths are returned untouched. No file system access.
 */
export function fullPathName(p: string, cwd: string): string {
  const t = pathType(p);
  if (t === 'root-local-device') return p;
  if (t !== 'unc' && t !== 'local-device') {
    const dev = dosDeviceName(p);
    if (dev) return `\\\\.\\${dev}`;
  }
  const endsWithSep = isSep(p[p.length - 1]);
  let root: string;
  let parts: string[];
  const here = splitRoot(cwd);
  const cwdParts = components(here.rest);
  switch (t) {
    case 'unc':
    case 'local-device': {
      const r = splitRoot(p);
      root = r.root;
      parts = components(r.rest);
      break;
    }
    case 'drive-absolute':
      root = p[0]!.toUpperCase() + ':\\';
      parts = components(p.slice(3));
      break;
    case 'drive-relative': {
      const letter = p[0]!.toUpperCase();
      if (here.root === `${letter}:\\`) {
        root = here.root;
        parts = [...cwdParts, ...components(p.slice(2))];
      } else {
        root = `${letter}:\\`;
        parts = components(p.slice(2));
      }
      break;
    }
    case 'rooted':
      root = here.root;
      parts = components(p);
      break;
    default:
      root = here.root;
      parts = [...cwdParts, ...components(p)];
  }
  const norm = normalize(parts, endsWithSep);
  return root + norm.join('\\') + (endsWithSep && norm.length ? '\\' : '');
}

/** Where a full path leads on the sandbox volume. */
export type Located =
  | { kind: 'disk'; parts: string[]; full: string; trailingSep: boolean }
  | { kind: 'device'; device: string; full: string };

const INVALID_NAME_CHAR = /[\u0000-\u001f"*:<>?|/\\]/;

/** ERROR_INVALID_NAME for characters NTFS refuses (and `:`: alternate data streams are not supported). */
export function checkName(name: string): void {
  if (name.length > 255 || INVALID_NAME_CHAR.test(name)) fail(ERROR.INVALID_NAME);
}

/**
 * Resolves a guest path (relative to `cwd`) to components under the root of drive C:, or to a device.
 * Throws FsError for paths that cannot lead into the sandbox (see the table at the top of this file).
 */
export function locate(p: string, cwd: string): Located {
  if (p.length === 0) fail(ERROR.PATH_NOT_FOUND);
  if (pathType(p) === 'root-local-device') return locateNtLiteral(p);
  const full = fullPathName(p, cwd);
  const t = pathType(full);
  if (t === 'root-local-device') return locateNtLiteral(full); // `//?/x`, normalized to `\\?\x`
  if (t === 'unc') fail(ERROR.BAD_NETPATH);
  if (t === 'local-device') {
    const rest = full.slice(4);
    if (/^[A-Za-z]:\\/.test(rest)) return onDrive(rest[0]!, components(rest.slice(3)), full, rest.endsWith('\\'));
    return device(rest.replace(/\\$/, ''), full);
  }
  return onDrive(full[0]!, components(full.slice(3)), full, full.endsWith('\\') && full.length > 3);
}

function onDrive(letter: string, parts: string[], full: string, trailingSep: boolean): Located {
  if (letter.toUpperCase() !== DRIVE) fail(ERROR.PATH_NOT_FOUND);
  for (const c of parts) checkName(c);
  return { kind: 'disk', parts, full, trailingSep };
}

/** A name in the `\\.\` namespace. */
function device(name: string, full: string): Located {
  const u = upcase(name);
  if (u === 'NUL' || u === 'CON' || u === 'CONIN$' || u === 'CONOUT$') return { kind: 'device', device: u, full };
  if (/^[A-Z]:$/.test(u) || /^PHYSICALDRIVE\d+$/.test(u)) fail(ERROR.ACCESS_DENIED);
  fail(ERROR.FILE_NOT_FOUND); // COM1, LPT1, pipe\x, ...: no such device on this machine
}

/** `\\?\` paths go to the object manager as they are: no `/`, `.`, `..` or empty components. */
function locateNtLiteral(p: string): Located {
  let rest = p.slice(4);
  if (/^UNC(\\|$)/i.test(rest)) fail(ERROR.BAD_NETPATH);
  if (rest.toUpperCase().startsWith(`VOLUME${VOLUME_GUID.toUpperCase()}`)) rest = `${DRIVE}:${rest.slice(6 + VOLUME_GUID.length)}`;
  const m = /^([A-Za-z]):(\\.*)?$/s.exec(rest);
  if (!m) return device(rest, p);
  if (m[2] === undefined) fail(ERROR.ACCESS_DENIED); // the volume device
  const tail = m[2].slice(1);
  const trailingSep = tail.endsWith('\\');
  const parts = tail.length ? tail.replace(/\\$/, '').split('\\') : [];
  for (const c of parts) if (c === '' || c === '.' || c === '..') fail(ERROR.INVALID_NAME);
  return onDrive(m[1]!, parts, p, trailingSep);
}

/** The full guest path of components on drive C:. */
export function drivePath(parts: readonly string[]): string {
  return `${DRIVE}:\\` + parts.join('\\');
}
