// advapi32's registry functions (Reg*, ANSI and wide) over the in-memory hive of thunks/advapi32/hive.ts.
// Opened keys live in a handle table of their own: HKEYs are not kernel handles here, and never collide
// with the predefined ones (0x80000000 and up). The ANSI functions convert names and string data with the
// process's ANSI code page and the registry stores UTF-16, as on Windows.
//
// Not modelled: security descriptors and ACLs (every key may be opened with any access), registry
// symbolic links, WOW64 redirection (the guest is 32-bit Windows) and HKEY_PERFORMANCE_DATA.

import fs from 'node:fs';
import path from 'node:path';
import { RegistrySeedError, UnimplementedApiError } from '../errors.js';
import { WowasmError } from '../../emulator/errors.js';
import { EventObject } from '../kernel32/waits.js';
import { stateKey, type Process } from '../process.js';
import { fn, NO_RETURN } from '../spec.js';
import { decodeBytes, decodeUtf16, encodeString, encodeUtf16 } from '../text.js';
import { ERROR } from '../win32.js';
import { applySeed, CHANGE, exportSeed, Hive, HKEY, isStringType, REG, splitPath, storedString, sz, type RegKey, type RegValue } from './hive.js';
import { applyRegFile, decodeRegFile, formatRegFile, looksLikeRegFile } from './regfile.js';
import type { RegistryExportOptions, RegistrySeed } from './seed.js';

/** Win32 error codes of the registry functions (winerror.h). */
export const REG_ERROR = {
  BAD_PATHNAME: 161,
  BADKEY: 1010,
  KEY_DELETED: 1018,
  CHILD_MUST_BE_VOLATILE: 1021,
  PRIVILEGE_NOT_HELD: 1314,
  DATATYPE_MISMATCH: 1629,
  UNSUPPORTED_TYPE: 1630,
} as const;

/** Access rights (winnt.h). */
export const KEY = {
  QUERY_VALUE: 0x1,
  SET_VALUE: 0x2,
  CREATE_SUB_KEY: 0x4,
  ENUMERATE_SUB_KEYS: 0x8,
  NOTIFY: 0x10,
  CREATE_LINK: 0x20,
  WOW64_64KEY: 0x100,
  WOW64_32KEY: 0x200,
  DELETE: 0x1_0000,
  READ: 0x2_0019,
  WRITE: 0x2_0006,
  ALL_ACCESS: 0xf_003f,
  MAXIMUM_ALLOWED: 0x200_0000,
} as const;
const GENERIC_READ = 0x8000_0000;
const GENERIC_WRITE = 0x4000_0000;
const GENERIC_EXECUTE = 0x2000_0000;
const GENERIC_ALL = 0x1000_0000;

export const REG_OPTION = { VOLATILE: 0x1, CREATE_LINK: 0x2, BACKUP_RESTORE: 0x4, OPEN_LINK: 0x8 } as const;
export const REG_CREATED_NEW_KEY = 1;
export const REG_OPENED_EXISTING_KEY = 2;

/** RegGetValue's flags. */
export const RRF = {
  RT_REG_NONE: 0x1,
  RT_REG_SZ: 0x2,
  RT_REG_EXPAND_SZ: 0x4,
  RT_REG_BINARY: 0x8,
  RT_REG_DWORD: 0x10,
  RT_REG_MULTI_SZ: 0x20,
  RT_REG_QWORD: 0x40,
  RT_DWORD: 0x18,
  RT_QWORD: 0x48,
  RT_ANY: 0xffff,
  NOEXPAND: 0x1000_0000,
  ZEROONFAILURE: 0x2000_0000,
} as const;

const REG_NOTIFY_FILTER = 0x1 | 0x2 | 0x4 | 0x8 | 0x1000_0000; // NAME, ATTRIBUTES, LAST_SET, SECURITY, THREAD_AGNOSTIC

/** What an access mask grants (generic rights mapped as for keys; no ACL ever refuses). */
export function grantedAccess(sam: number): number {
  let a = sam & 0x00ff_fc3f; // standard and specific rights, minus the WOW64 view bits
  if (sam & GENERIC_READ || sam & GENERIC_EXECUTE) a |= KEY.READ;
  if (sam & GENERIC_WRITE) a |= KEY.WRITE;
  if (sam & (GENERIC_ALL | KEY.MAXIMUM_ALLOWED)) a |= KEY.ALL_ACCESS;
  return a & ~KEY.MAXIMUM_ALLOWED;
}

// ---- per-process state ----------------------------------------------------------------------------

interface OpenKey {
  key: RegKey;
  access: number;
}

/** A RegNotifyChangeKeyValue request: one-shot, as on Windows. */
interface Watch {
  key: RegKey;
  subtree: boolean;
  filter: number;
  /** The HKEY it was made through: closing it fires the request. */
  handle: number;
  fire(): void;
}

export class RegistryState {
  readonly hive: Hive;
  readonly open = new Map<number, OpenKey>();
  private readonly watches: Watch[] = [];
  private next = 0x1_0000;

  constructor(hive: Hive) {
    this.hive = hive;
    hive.onChange = (k, what) => this.fire((w) => (what === CHANGE.KEY_DELETED ? k === w.key : (w.filter & what) !== 0 && (k === w.key || (w.subtree && k.isWithin(w.key)))));
  }

  watch(w: Watch): void {
    this.watches.push(w);
  }

  /** Closes an HKEY: the change requests made through it fire (Windows signals their events). */
  close(h: number): boolean {
    if (!this.open.delete(h)) return false;
    this.fire((w) => w.handle === h);
    return true;
  }

  private fire(match: (w: Watch) => boolean): void {
    const hits = this.watches.filter(match);
    if (hits.length === 0) return;
    for (const w of hits) this.watches.splice(this.watches.indexOf(w), 1);
    for (const w of hits) w.fire();
  }

  /** A new HKEY for `key` (values step by 4 like kernel handles, far below the predefined keys). */
  add(key: RegKey, access: number): number {
    const h = this.next;
    this.next += 4;
    this.open.set(h, { key, access });
    return h;
  }
}

export const registryState = stateKey('advapi32.registry', (p: Process) => new RegistryState(buildHive(p)));

/** The process's registry: the Windows 10 defaults, then the `registry.seed` load option. */
export function registryHive(p: Process): Hive {
  return p.state(registryState).hive;
}

function buildHive(p: Process): Hive {
  const hive = new Hive();
  const seed = p.registryOptions?.seed;
  if (typeof seed === 'string') {
    if (looksLikeRegFile(seed)) applyRegFile(hive, seed, '.reg text');
    else {
      const file = path.resolve(seed);
      let bytes: Uint8Array;
      try {
        bytes = fs.readFileSync(file);
      } catch (e) {
        throw new RegistrySeedError(file, `cannot read the .reg file: ${(e as Error).message}`);
      }
      applyRegFile(hive, decodeRegFile(bytes), file);
    }
  } else if (seed !== undefined) applySeed(hive, seed, 'the registry load option');
  return hive;
}

/** The registry as it is now (lib.registry.export()): .reg text, or a RegistrySeed with format 'json'. */
export function exportRegistry(p: Process, opts: RegistryExportOptions = {}): string | RegistrySeed {
  const hive = registryHive(p);
  if (opts.format === 'json') return exportSeed(hive, opts.key);
  if (opts.format !== undefined && opts.format !== 'reg') throw new WowasmError('WOWASM_BAD_ARGUMENT', `registry.export(): format is "reg" or "json", not "${String(opts.format)}"`);
  return formatRegFile(hive, opts.key);
}

export function isPredefined(hkey: number): boolean {
  const h = hkey >>> 0;
  return (h >= HKEY.CLASSES_ROOT && h <= HKEY.CURRENT_USER_LOCAL_SETTINGS) || h === HKEY.PERFORMANCE_TEXT || h === HKEY.PERFORMANCE_NLSTEXT;
}

interface Resolved {
  key: RegKey;
  access: number;
  predefined: boolean;
}

/** The key behind an HKEY, checking that it still exists and that the handle grants `need`. */
function resolve(p: Process, hkey: number, need = 0): Resolved | number {
  const st = p.state(registryState);
  const h = hkey >>> 0;
  let r: Resolved;
  const pre = h === 0 ? undefined : st.hive.predefined(h);
  if (pre) r = { key: pre, access: KEY.ALL_ACCESS, predefined: true };
  else {
    const o = st.open.get(h);
    if (!o) return ERROR.INVALID_HANDLE;
    r = { ...o, predefined: false };
  }
  if (r.key.deleted) return REG_ERROR.KEY_DELETED;
  if ((r.access & need) !== need) return ERROR.ACCESS_DENIED;
  return r;
}

/** An existing key below `base`, or the error Windows gives. */
function openPath(base: RegKey, subKey: string | null): RegKey | number {
  const parts = splitPath(subKey);
  if (!parts) return REG_ERROR.BAD_PATHNAME;
  let k = base;
  for (const c of parts) {
    const next = k.subkey(c);
    if (!next) return ERROR.FILE_NOT_FOUND;
    k = next;
  }
  return k;
}

/** Opens or creates a key below `base` (RegCreateKeyEx's work): the key and whether it is new. */
function createPath(p: Process, base: RegKey, subKey: string | null, className: string, options: number): { key: RegKey; created: boolean } | number {
  if (options & REG_OPTION.CREATE_LINK) throw new UnimplementedApiError('advapi32.dll', 'RegCreateKeyEx with REG_OPTION_CREATE_LINK (registry symbolic links)', p.where());
  const parts = splitPath(subKey);
  if (!parts) return REG_ERROR.BAD_PATHNAME;
  const hive = p.state(registryState).hive;
  let k = base;
  let created = false;
  for (const c of parts) {
    const next = k.subkey(c);
    if (next) {
      k = next;
      created = false;
      continue;
    }
    // No key can be created directly under HKEY_LOCAL_MACHINE or HKEY_USERS (only hives are there).
    if (k === hive.machine || k === hive.users) return ERROR.ACCESS_DENIED;
    const volatile = (options & REG_OPTION.VOLATILE) !== 0;
    if (k.volatile && !volatile) return REG_ERROR.CHILD_MUST_BE_VOLATILE;
    k = k.addSubkey(c);
    k.volatile = volatile;
    k.className = className;
    created = true;
  }
  return { key: k, created };
}

// ---- strings in and out ---------------------------------------------------------------------------

function encodeName(p: Process, s: string, wide: boolean): Uint8Array {
  return wide ? encodeUtf16(s) : encodeString(s, p.ansiCodePage).bytes;
}

/** Characters (wide) or bytes (ANSI) of a name, without its NUL. */
function nameLength(p: Process, s: string, wide: boolean): number {
  return wide ? s.length : encodeString(s, p.ansiCodePage).bytes.length;
}

/** Writes a name and its NUL. */
function writeName(p: Process, addr: number, bytes: Uint8Array, wide: boolean): void {
  p.mem.write(addr, bytes);
  if (wide) p.mem.setU16(addr + bytes.length, 0);
  else p.mem.setU8(addr + bytes.length, 0);
}

/** A value's data as the caller gets it: as stored, or string types converted to ANSI. */
function valueBytes(p: Process, v: RegValue, wide: boolean): Uint8Array {
  return wide || !isStringType(v.type) ? v.data : unicodeToAnsi(p, v.data);
}

function unicodeToAnsi(p: Process, data: Uint8Array): Uint8Array {
  const units = new Uint16Array(data.length >> 1);
  for (let i = 0; i < units.length; i++) units[i] = data[2 * i]! | (data[2 * i + 1]! << 8);
  return encodeString(decodeUtf16(units), p.ansiCodePage).bytes;
}

function ansiToUnicode(p: Process, data: Uint8Array): Uint8Array {
  return encodeUtf16(decodeBytes(data, p.ansiCodePage));
}

/** ExpandEnvironmentStrings over the process environment: %NAME% is replaced when NAME is defined. */
export function expandEnvironment(p: Process, s: string): string {
  return s.replace(/%([^%]+)%/g, (whole, name: string) => p.env.get(name.toUpperCase())?.value ?? whole);
}

// ---- keys -----------------------------------------------------------------------------------------

export function RegOpenKeyEx(p: Process, hKey: number, subKey: string | null, _options: number, samDesired: number, phkResult: number): number {
  if (!phkResult) return ERROR.INVALID_PARAMETER;
  if (isPredefined(hKey) && !subKey) {
    p.mem.setU32(phkResult, hKey);
    return ERROR.SUCCESS;
  }
  const r = resolve(p, hKey);
  if (typeof r === 'number') return r;
  p.mem.setU32(phkResult, 0);
  // Since Windows 2000 HKEY_CLASSES_ROOT also takes a path with a leading backslash.
  const sub = (hKey >>> 0) === HKEY.CLASSES_ROOT && subKey?.startsWith('\\') ? subKey.slice(1) : subKey;
  const k = openPath(r.key, sub);
  if (typeof k === 'number') return k;
  p.mem.setU32(phkResult, p.state(registryState).add(k, grantedAccess(samDesired)));
  return ERROR.SUCCESS;
}

/** RegOpenKey: an empty subkey gives back the very handle passed in (even NULL), unlike RegOpenKeyEx. */
export function RegOpenKey(p: Process, hKey: number, subKey: string | null, phkResult: number): number {
  if (!phkResult) return ERROR.INVALID_PARAMETER;
  if (!subKey) {
    p.mem.setU32(phkResult, hKey);
    return ERROR.SUCCESS;
  }
  return RegOpenKeyEx(p, hKey, subKey, 0, KEY.MAXIMUM_ALLOWED, phkResult);
}

export function RegCreateKeyEx(
  p: Process,
  hKey: number,
  subKey: string | null,
  reserved: number,
  lpClass: string | null,
  dwOptions: number,
  samDesired: number,
  _lpSecurityAttributes: number,
  phkResult: number,
  lpdwDisposition: number,
): number {
  if (reserved || !phkResult) return ERROR.INVALID_PARAMETER;
  // The access rights of the parent handle do not matter.
  const r = resolve(p, hKey);
  if (typeof r === 'number') return r;
  const c = createPath(p, r.key, subKey, lpClass ?? '', dwOptions);
  if (typeof c === 'number') return c;
  p.mem.setU32(phkResult, p.state(registryState).add(c.key, grantedAccess(samDesired)));
  if (lpdwDisposition) p.mem.setU32(lpdwDisposition, c.created ? REG_CREATED_NEW_KEY : REG_OPENED_EXISTING_KEY);
  return ERROR.SUCCESS;
}

/** RegCreateKey: a predefined key with no subkey comes back as itself. */
export function RegCreateKey(p: Process, hKey: number, subKey: string | null, phkResult: number): number {
  if (!phkResult) return ERROR.INVALID_PARAMETER;
  if (isPredefined(hKey) && !subKey) {
    p.mem.setU32(phkResult, hKey);
    return ERROR.SUCCESS;
  }
  return RegCreateKeyEx(p, hKey, subKey, 0, null, 0, KEY.MAXIMUM_ALLOWED, 0, phkResult, 0);
}

export function RegCloseKey(p: Process, hKey: number): number {
  if (isPredefined(hKey)) return ERROR.SUCCESS;
  return p.state(registryState).close(hKey >>> 0) ? ERROR.SUCCESS : ERROR.INVALID_HANDLE;
}

export function RegOpenCurrentUser(p: Process, samDesired: number, phkResult: number): number {
  if (!phkResult) return ERROR.INVALID_PARAMETER;
  const st = p.state(registryState);
  p.mem.setU32(phkResult, st.add(st.hive.currentUser, grantedAccess(samDesired)));
  return ERROR.SUCCESS;
}

/** Deletes a key without subkeys: "" deletes the key `hKey` itself (which needs DELETE access). */
export function RegDeleteKeyEx(p: Process, hKey: number, subKey: string | null, _samDesired: number, _reserved: number): number {
  if (subKey === null) return ERROR.INVALID_PARAMETER;
  const r = resolve(p, hKey);
  if (typeof r === 'number') return r;
  let target: RegKey;
  if (subKey === '') {
    if (!(r.access & KEY.DELETE)) return ERROR.ACCESS_DENIED;
    target = r.key;
  } else {
    const k = openPath(r.key, subKey);
    if (typeof k === 'number') return k;
    target = k;
  }
  if (target.subkeyCount > 0 || target.hiveRoot || !target.parent) return ERROR.ACCESS_DENIED;
  target.parent.removeSubkey(target);
  return ERROR.SUCCESS;
}

/** Deletes a subkey with everything under it; with no subkey, empties `hKey` (values and subkeys) but keeps it. */
export function RegDeleteTree(p: Process, hKey: number, subKey: string | null): number {
  const r = resolve(p, hKey);
  if (typeof r === 'number') return r;
  const hive = p.state(registryState).hive;
  let target = r.key;
  if (subKey) {
    const k = openPath(r.key, subKey);
    if (typeof k === 'number') return k;
    target = k;
    return hive.deleteTree(target) ? ERROR.SUCCESS : ERROR.ACCESS_DENIED;
  }
  const children = [...target.subkeys()];
  if (!children.every((c) => hive.canDeleteTree(c))) return ERROR.ACCESS_DENIED;
  for (const c of children) hive.deleteTree(c);
  for (const v of [...target.values()]) target.deleteValue(v.name);
  return ERROR.SUCCESS;
}

export function RegFlushKey(p: Process, hKey: number): number {
  const r = resolve(p, hKey);
  return typeof r === 'number' ? r : ERROR.SUCCESS;
}

// ---- values ---------------------------------------------------------------------------------------

/** Stores a value as RegSetValueEx does, including NT's repair of a string whose NUL was not counted. */
function setValueCore(p: Process, key: RegKey, name: string | null, type: number, lpData: number, cbData: number, wide: boolean): number {
  let count = cbData >>> 0;
  if (count > 0 && (!lpData || !p.mem.isAccessible(lpData, count, false))) return ERROR.NOACCESS;
  const m = p.mem;
  if (count > 0 && isStringType(type)) {
    // "If the caller forgot to count the terminating NUL, add it": NT looks one character further.
    if (wide) {
      const i = count >>> 1;
      if (i > 0 && m.isAccessible(lpData + 2 * i, 2, false) && m.u16(lpData + 2 * (i - 1)) !== 0 && m.u16(lpData + 2 * i) === 0) count += 2;
    } else if (m.isAccessible(lpData + count, 1, false) && m.u8(lpData + count - 1) !== 0 && m.u8(lpData + count) === 0) count++;
  }
  let bytes = count > 0 ? m.read(lpData, count) : new Uint8Array(0);
  if (!wide && isStringType(type)) bytes = ansiToUnicode(p, bytes);
  key.setValue(name ?? '', type >>> 0, bytes);
  return ERROR.SUCCESS;
}

export function RegSetValueEx(p: Process, hKey: number, name: string | null, _reserved: number, dwType: number, lpData: number, cbData: number, wide: boolean): number {
  const r = resolve(p, hKey, KEY.SET_VALUE);
  if (typeof r === 'number') return r;
  return setValueCore(p, r.key, name, dwType, lpData, cbData, wide);
}

/** RegSetValue: the default value of a subkey (created if needed), REG_SZ only; cbData is ignored. */
export function RegSetValue(p: Process, hKey: number, subKey: string | null, dwType: number, data: string | null, _cbData: number): number {
  if (dwType !== REG.SZ || data === null) return ERROR.INVALID_PARAMETER;
  const target = subKeyForWrite(p, hKey, subKey);
  if (typeof target === 'number') return target;
  target.setValue('', REG.SZ, sz(data));
  return ERROR.SUCCESS;
}

export function RegSetKeyValue(p: Process, hKey: number, subKey: string | null, valueName: string | null, dwType: number, lpData: number, cbData: number, wide: boolean): number {
  const target = subKeyForWrite(p, hKey, subKey);
  if (typeof target === 'number') return target;
  return setValueCore(p, target, valueName, dwType, lpData, cbData, wide);
}

/** `hKey` itself (which must allow KEY_SET_VALUE), or its subkey, created if missing. */
function subKeyForWrite(p: Process, hKey: number, subKey: string | null): RegKey | number {
  const r = resolve(p, hKey, subKey ? 0 : KEY.SET_VALUE);
  if (typeof r === 'number') return r;
  if (!subKey) return r.key;
  const c = createPath(p, r.key, subKey, '', 0);
  return typeof c === 'number' ? c : c.key;
}

export function RegDeleteValue(p: Process, hKey: number, name: string | null): number {
  const r = resolve(p, hKey, KEY.SET_VALUE);
  if (typeof r === 'number') return r;
  return r.key.deleteValue(name ?? '') ? ERROR.SUCCESS : ERROR.FILE_NOT_FOUND;
}

export function RegDeleteKeyValue(p: Process, hKey: number, subKey: string | null, name: string | null): number {
  const r = resolve(p, hKey, subKey ? 0 : KEY.SET_VALUE);
  if (typeof r === 'number') return r;
  const k = subKey ? openPath(r.key, subKey) : r.key;
  if (typeof k === 'number') return k;
  return k.deleteValue(name ?? '') ? ERROR.SUCCESS : ERROR.FILE_NOT_FOUND;
}

/** RegQueryValueEx's work once the key is known. */
function queryCore(p: Process, key: RegKey, name: string | null, lpType: number, lpData: number, lpcbData: number, wide: boolean): number {
  const m = p.mem;
  const v = key.value(name ?? '');
  if (!v) {
    if (!lpData && lpcbData) m.setU32(lpcbData, 0);
    return ERROR.FILE_NOT_FOUND;
  }
  const capacity = lpcbData ? m.u32(lpcbData) : 0; // read first: lpType may point at the same DWORD
  const bytes = valueBytes(p, v, wide);
  let status: number = ERROR.SUCCESS;
  if (lpData && lpcbData) {
    if (bytes.length > capacity) status = ERROR.MORE_DATA;
    else if (!m.isAccessible(lpData, bytes.length, true)) return ERROR.NOACCESS;
    else {
      m.write(lpData, bytes);
      // The ANSI function terminates a string stored without its NUL when there is room.
      if (!wide && isStringType(v.type) && bytes.length > 0 && bytes.length < capacity && bytes[bytes.length - 1] !== 0) m.setU8(lpData + bytes.length, 0);
    }
  }
  if (lpType) m.setU32(lpType, v.type);
  if (lpcbData) m.setU32(lpcbData, bytes.length);
  return status;
}

export function RegQueryValueEx(p: Process, hKey: number, name: string | null, lpReserved: number, lpType: number, lpData: number, lpcbData: number, wide: boolean): number {
  if ((lpData && !lpcbData) || lpReserved) return ERROR.INVALID_PARAMETER;
  const r = resolve(p, hKey, KEY.QUERY_VALUE);
  if (typeof r === 'number') return r;
  return queryCore(p, r.key, name, lpType, lpData, lpcbData, wide);
}

/** RegQueryValue: a (sub)key's default value; a key without one reads as the empty string. */
export function RegQueryValue(p: Process, hKey: number, subKey: string | null, lpData: number, lpcbData: number, wide: boolean): number {
  const r = resolve(p, hKey, subKey ? 0 : KEY.QUERY_VALUE);
  if (typeof r === 'number') return r;
  const k = subKey ? openPath(r.key, subKey) : r.key;
  if (typeof k === 'number') return k;
  if (lpData && !lpcbData) return ERROR.INVALID_PARAMETER;
  const status = queryCore(p, k, '', 0, lpData, lpcbData, wide);
  if (status !== ERROR.FILE_NOT_FOUND) return status;
  if (lpData) (wide ? p.mem.setU16(lpData, 0) : p.mem.setU8(lpData, 0));
  if (lpcbData) p.mem.setU32(lpcbData, wide ? 2 : 1);
  return ERROR.SUCCESS;
}

/** Which RRF_RT_ flag admits a value type (types without one pass only RRF_RT_ANY). */
function typeMask(type: number): number {
  switch (type) {
    case REG.NONE:
      return RRF.RT_REG_NONE;
    case REG.SZ:
      return RRF.RT_REG_SZ;
    case REG.EXPAND_SZ:
      return RRF.RT_REG_EXPAND_SZ;
    case REG.BINARY:
      return RRF.RT_REG_BINARY;
    case REG.DWORD:
      return RRF.RT_REG_DWORD;
    case REG.MULTI_SZ:
      return RRF.RT_REG_MULTI_SZ;
    case REG.QWORD:
      return RRF.RT_REG_QWORD;
    default:
      return RRF.RT_ANY & ~0x7f;
  }
}

/**
 * RegGetValue: RegQueryValueEx plus a type filter, REG_EXPAND_SZ expanded (reported as REG_SZ) unless
 * RRF_NOEXPAND, 32/64-bit REG_BINARY accepted as RRF_RT_DWORD/QWORD, and for the wide function
 * strings always NUL-terminated (a size query allows for the terminator it may have to add).
 */
export function RegGetValue(p: Process, hKey: number, subKey: string | null, valueName: string | null, dwFlags: number, pdwType: number, pvData: number, pcbData: number, wide: boolean): number {
  if (pvData && !pcbData) return ERROR.INVALID_PARAMETER;
  if (!(dwFlags & RRF.RT_ANY)) return ERROR.INVALID_PARAMETER;
  const r = resolve(p, hKey, subKey ? 0 : KEY.QUERY_VALUE);
  if (typeof r === 'number') return r;
  const k = subKey ? openPath(r.key, subKey) : r.key;
  if (typeof k === 'number') return k;
  const m = p.mem;
  const capacity = pcbData ? m.u32(pcbData) : 0;
  const v = k.value(valueName ?? '');
  let status: number;
  if (!v) status = ERROR.FILE_NOT_FOUND;
  else {
    let type = v.type;
    let bytes = valueBytes(p, v, wide);
    if (type === REG.EXPAND_SZ && !(dwFlags & RRF.NOEXPAND)) {
      const expanded = expandEnvironment(p, storedString(v.data)) + '\0';
      bytes = wide ? encodeUtf16(expanded) : encodeString(expanded, p.ansiCodePage).bytes;
      type = REG.SZ;
    }
    let size = bytes.length;
    const terminate = wide && isStringType(type) && (bytes.length < 2 || bytes[bytes.length - 1] !== 0 || bytes[bytes.length - 2] !== 0 || bytes.length % 2 !== 0);
    status = ERROR.SUCCESS;
    if (!pvData) {
      if (wide && isStringType(type)) size += 2;
    } else {
      if (terminate) size = (bytes.length & ~1) + 2;
      if (size > capacity) status = ERROR.MORE_DATA;
      else if (!m.isAccessible(pvData, size, true)) return ERROR.NOACCESS;
      else {
        m.write(pvData, bytes.subarray(0, terminate ? bytes.length & ~1 : bytes.length));
        if (terminate) m.setU16(pvData + size - 2, 0);
        else if (!wide && isStringType(type) && size > 0 && size < capacity && bytes[size - 1] !== 0) m.setU8(pvData + size, 0);
      }
    }
    if (!(dwFlags & typeMask(type))) status = REG_ERROR.UNSUPPORTED_TYPE;
    else if (type === REG.BINARY) {
      const rt = dwFlags & RRF.RT_ANY;
      const want = rt === RRF.RT_DWORD ? 4 : rt === RRF.RT_QWORD ? 8 : 0;
      if (want && bytes.length !== want) status = REG_ERROR.DATATYPE_MISMATCH;
    }
    if (pdwType) m.setU32(pdwType, type);
    if (pcbData) m.setU32(pcbData, size);
  }
  if (pvData && status !== ERROR.SUCCESS && dwFlags & RRF.ZEROONFAILURE) m.fill(pvData, 0, capacity);
  return status;
}

// ---- enumeration and information ------------------------------------------------------------------

export function RegEnumKeyEx(
  p: Process,
  hKey: number,
  dwIndex: number,
  lpName: number,
  lpcchName: number,
  lpReserved: number,
  lpClass: number,
  lpcchClass: number,
  lpftLastWriteTime: number,
  wide: boolean,
): number {
  const r = resolve(p, hKey, KEY.ENUMERATE_SUB_KEYS);
  if (typeof r === 'number') return r;
  if (lpReserved || !lpName || !lpcchName) return ERROR.INVALID_PARAMETER;
  const subs = r.key.subkeys();
  if (dwIndex >>> 0 >= subs.length) return ERROR.NO_MORE_ITEMS;
  const k = subs[dwIndex >>> 0]!;
  const m = p.mem;
  const name = encodeName(p, k.name, wide);
  const cls = encodeName(p, k.className, wide);
  const nameLen = nameLength(p, k.name, wide);
  const clsLen = nameLength(p, k.className, wide);
  if (nameLen >= m.u32(lpcchName) || (lpClass && lpcchClass && clsLen >= m.u32(lpcchClass))) return ERROR.MORE_DATA;
  writeName(p, lpName, name, wide);
  m.setU32(lpcchName, nameLen);
  if (lpcchClass) {
    if (lpClass) writeName(p, lpClass, cls, wide);
    m.setU32(lpcchClass, clsLen);
  }
  if (lpftLastWriteTime) m.setU64(lpftLastWriteTime, k.lastWrite);
  return ERROR.SUCCESS;
}

export function RegEnumKey(p: Process, hKey: number, dwIndex: number, lpName: number, cchName: number, wide: boolean): number {
  const r = resolve(p, hKey, KEY.ENUMERATE_SUB_KEYS);
  if (typeof r === 'number') return r;
  if (!lpName) return ERROR.INVALID_PARAMETER;
  const subs = r.key.subkeys();
  if (dwIndex >>> 0 >= subs.length) return ERROR.NO_MORE_ITEMS;
  const k = subs[dwIndex >>> 0]!;
  if (nameLength(p, k.name, wide) >= cchName >>> 0) return ERROR.MORE_DATA;
  writeName(p, lpName, encodeName(p, k.name, wide), wide);
  return ERROR.SUCCESS;
}

/**
 * RegEnumValue. The two functions differ on a short buffer as Windows' do: the wide one fills in
 * nothing when the name does not fit (the name, but not the data, when only the data does not fit);
 * the ANSI one copies the data first, then as much of the name as fits.
 */
export function RegEnumValue(
  p: Process,
  hKey: number,
  dwIndex: number,
  lpValueName: number,
  lpcchValueName: number,
  lpReserved: number,
  lpType: number,
  lpData: number,
  lpcbData: number,
  wide: boolean,
): number {
  const r = resolve(p, hKey, KEY.QUERY_VALUE);
  if (typeof r === 'number') return r;
  if (lpReserved || !lpValueName || !lpcchValueName || (lpData && !lpcbData)) return ERROR.INVALID_PARAMETER;
  const vals = r.key.values();
  if (dwIndex >>> 0 >= vals.length) return ERROR.NO_MORE_ITEMS;
  const v = vals[dwIndex >>> 0]!;
  const m = p.mem;
  const dataCap = lpcbData ? m.u32(lpcbData) : 0;
  const nameCap = m.u32(lpcchValueName);
  const bytes = valueBytes(p, v, wide);
  const name = encodeName(p, v.name, wide);
  const nameLen = nameLength(p, v.name, wide);
  let status: number = ERROR.SUCCESS;
  const copyData = (): boolean => {
    if (!lpData) return true;
    if (bytes.length > dataCap) return false;
    m.write(lpData, bytes);
    if (!wide && isStringType(v.type) && bytes.length > 0 && bytes.length < dataCap && bytes[bytes.length - 1] !== 0) m.setU8(lpData + bytes.length, 0);
    return true;
  };
  if (wide) {
    if (nameLen >= nameCap) status = ERROR.MORE_DATA;
    else {
      writeName(p, lpValueName, name, true);
      m.setU32(lpcchValueName, nameLen);
      if (!copyData()) status = ERROR.MORE_DATA;
    }
  } else if (!copyData()) status = ERROR.MORE_DATA;
  else if (nameLen >= nameCap) {
    status = ERROR.MORE_DATA;
    if (nameCap > 0) writeName(p, lpValueName, name.subarray(0, nameCap - 1), false);
  } else {
    writeName(p, lpValueName, name, false);
    m.setU32(lpcchValueName, nameLen);
  }
  if (lpType) m.setU32(lpType, v.type);
  if (lpcbData) m.setU32(lpcbData, bytes.length);
  return status;
}

export function RegQueryInfoKey(
  p: Process,
  hKey: number,
  lpClass: number,
  lpcchClass: number,
  lpReserved: number,
  lpcSubKeys: number,
  lpcbMaxSubKeyLen: number,
  lpcbMaxClassLen: number,
  lpcValues: number,
  lpcbMaxValueNameLen: number,
  lpcbMaxValueLen: number,
  lpcbSecurityDescriptor: number,
  lpftLastWriteTime: number,
  wide: boolean,
): number {
  const r = resolve(p, hKey, KEY.QUERY_VALUE);
  if (typeof r === 'number') return r;
  if (lpReserved || (lpClass && !lpcchClass)) return ERROR.INVALID_PARAMETER;
  const m = p.mem;
  const k = r.key;
  let status: number = ERROR.SUCCESS;
  if (lpcchClass) {
    const cls = encodeName(p, k.className, wide);
    const len = nameLength(p, k.className, wide);
    const cap = m.u32(lpcchClass);
    if (!lpClass) m.setU32(lpcchClass, len);
    else if (cap === 0) m.setU32(lpcchClass, 0);
    else if (len < cap) {
      writeName(p, lpClass, cls, wide);
      m.setU32(lpcchClass, len);
    } else if (wide) {
      // The wide function leaves a short buffer alone and says how much the class needs.
      m.setU32(lpcchClass, len);
      status = ERROR.INSUFFICIENT_BUFFER;
    } else {
      writeName(p, lpClass, cls.subarray(0, cap - 1), false);
      m.setU32(lpcchClass, cap - 1);
      status = ERROR.MORE_DATA;
    }
  }
  const subs = k.subkeys();
  const vals = k.values();
  const max = (xs: readonly number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  if (lpcSubKeys) m.setU32(lpcSubKeys, subs.length);
  if (lpcbMaxSubKeyLen) m.setU32(lpcbMaxSubKeyLen, max(subs.map((s) => s.name.length)));
  if (lpcbMaxClassLen) m.setU32(lpcbMaxClassLen, max(subs.map((s) => s.className.length)));
  if (lpcValues) m.setU32(lpcValues, vals.length);
  if (lpcbMaxValueNameLen) m.setU32(lpcbMaxValueNameLen, max(vals.map((v) => v.name.length)));
  // In bytes as stored (UTF-16 for strings), for the ANSI function too.
  if (lpcbMaxValueLen) m.setU32(lpcbMaxValueLen, max(vals.map((v) => v.data.length)));
  if (lpcbSecurityDescriptor) m.setU32(lpcbSecurityDescriptor, 0); // no security descriptors are kept
  if (lpftLastWriteTime) m.setU64(lpftLastWriteTime, k.lastWrite);
  return status;
}

// ---- change notifications -----------------------------------------------------------------------------

/**
 * RegNotifyChangeKeyValue: one change of the key (or of a key below it with bWatchSubtree) of a kind
 * the filter names (REG_NOTIFY_CHANGE_NAME: subkeys added or deleted; _LAST_SET: values set or
 * deleted), the key's deletion, or closing the handle ends the request: asynchronously it signals
 * hEvent, synchronously it is what the calling thread waits for (with no other thread able to change
 * the registry, that wait is a deadlock, reported as DeadlockError). Attribute and security changes
 * never happen here. Not modelled: the event being signalled when the requesting thread exits without
 * REG_NOTIFY_THREAD_AGNOSTIC.
 */
export function RegNotifyChangeKeyValue(p: Process, hKey: number, bWatchSubtree: number, dwNotifyFilter: number, hEvent: number, fAsynchronous: number): number | typeof NO_RETURN {
  const r = resolve(p, hKey, KEY.NOTIFY);
  if (typeof r === 'number') return r;
  if (!(dwNotifyFilter & 0xf) || dwNotifyFilter & ~REG_NOTIFY_FILTER) return ERROR.INVALID_PARAMETER;
  const st = p.state(registryState);
  const request = { key: r.key, subtree: bWatchSubtree !== 0, filter: dwNotifyFilter & 0xf, handle: hKey >>> 0 };
  if (fAsynchronous) {
    if (!hEvent) return ERROR.INVALID_PARAMETER;
    const event = p.handles.get(hEvent);
    if (!(event instanceof EventObject)) return ERROR.INVALID_HANDLE;
    st.watch({ ...request, fire: () => void (event.state = true) });
    return ERROR.SUCCESS;
  }
  let fired = false;
  st.watch({ ...request, fire: () => void (fired = true) });
  return p.scheduler.block({ poll: () => (fired ? ERROR.SUCCESS : undefined), deadline: undefined, timeoutResult: ERROR.SUCCESS, what: 'a registry change (RegNotifyChangeKeyValue)' }, 20);
}

// ---- what wowasm declines ---------------------------------------------------------------------------

/** Saving and loading hives needs SeBackupPrivilege/SeRestorePrivilege, which the guest's token lacks. */
function needsPrivilege(p: Process, hKey: number): number {
  const r = resolve(p, hKey);
  return typeof r === 'number' ? r : REG_ERROR.PRIVILEGE_NOT_HELD;
}

// ---- the export table -------------------------------------------------------------------------------

/** advapi32 exports of this area (the DLL table is their union, see thunks/advapi32.ts). */
export const registryApi = {
  RegCloseKey: fn('stdcall', ['long'], 'long', RegCloseKey),
  RegCreateKeyA: fn('stdcall', ['long', 'str', 'ptr'], 'long', RegCreateKey),
  RegCreateKeyW: fn('stdcall', ['long', 'wstr', 'ptr'], 'long', RegCreateKey),
  RegCreateKeyExA: fn('stdcall', ['long', 'str', 'long', 'str', 'long', 'long', 'ptr', 'ptr', 'ptr'], 'long', RegCreateKeyEx),
  RegCreateKeyExW: fn('stdcall', ['long', 'wstr', 'long', 'wstr', 'long', 'long', 'ptr', 'ptr', 'ptr'], 'long', RegCreateKeyEx),
  RegDeleteKeyA: fn('stdcall', ['long', 'str'], 'long', (p, h, s) => RegDeleteKeyEx(p, h, s, 0, 0)),
  RegDeleteKeyW: fn('stdcall', ['long', 'wstr'], 'long', (p, h, s) => RegDeleteKeyEx(p, h, s, 0, 0)),
  RegDeleteKeyExA: fn('stdcall', ['long', 'str', 'long', 'long'], 'long', RegDeleteKeyEx),
  RegDeleteKeyExW: fn('stdcall', ['long', 'wstr', 'long', 'long'], 'long', RegDeleteKeyEx),
  RegDeleteKeyValueA: fn('stdcall', ['long', 'str', 'str'], 'long', RegDeleteKeyValue),
  RegDeleteKeyValueW: fn('stdcall', ['long', 'wstr', 'wstr'], 'long', RegDeleteKeyValue),
  RegDeleteTreeA: fn('stdcall', ['long', 'str'], 'long', RegDeleteTree),
  RegDeleteTreeW: fn('stdcall', ['long', 'wstr'], 'long', RegDeleteTree),
  RegDeleteValueA: fn('stdcall', ['long', 'str'], 'long', RegDeleteValue),
  RegDeleteValueW: fn('stdcall', ['long', 'wstr'], 'long', RegDeleteValue),
  RegDisablePredefinedCache: fn('stdcall', [], 'long', (_p) => ERROR.SUCCESS),
  RegDisablePredefinedCacheEx: fn('stdcall', [], 'long', (_p) => ERROR.SUCCESS),
  RegEnumKeyA: fn('stdcall', ['long', 'long', 'ptr', 'long'], 'long', (p, h, i, n, c) => RegEnumKey(p, h, i, n, c, false)),
  RegEnumKeyW: fn('stdcall', ['long', 'long', 'ptr', 'long'], 'long', (p, h, i, n, c) => RegEnumKey(p, h, i, n, c, true)),
  RegEnumKeyExA: fn('stdcall', ['long', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, i, n, nc, r, c, cc, ft) => RegEnumKeyEx(p, h, i, n, nc, r, c, cc, ft, false)),
  RegEnumKeyExW: fn('stdcall', ['long', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, i, n, nc, r, c, cc, ft) => RegEnumKeyEx(p, h, i, n, nc, r, c, cc, ft, true)),
  RegEnumValueA: fn('stdcall', ['long', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, i, n, nc, r, t, d, dc) => RegEnumValue(p, h, i, n, nc, r, t, d, dc, false)),
  RegEnumValueW: fn('stdcall', ['long', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, i, n, nc, r, t, d, dc) => RegEnumValue(p, h, i, n, nc, r, t, d, dc, true)),
  RegFlushKey: fn('stdcall', ['long'], 'long', RegFlushKey),
  RegGetValueA: fn('stdcall', ['long', 'str', 'str', 'long', 'ptr', 'ptr', 'ptr'], 'long', (p, h, s, v, f, t, d, c) => RegGetValue(p, h, s, v, f, t, d, c, false)),
  RegGetValueW: fn('stdcall', ['long', 'wstr', 'wstr', 'long', 'ptr', 'ptr', 'ptr'], 'long', (p, h, s, v, f, t, d, c) => RegGetValue(p, h, s, v, f, t, d, c, true)),
  RegLoadKeyA: fn('stdcall', ['long', 'str', 'str'], 'long', (p, h, _sub, _file) => needsPrivilege(p, h)),
  RegLoadKeyW: fn('stdcall', ['long', 'wstr', 'wstr'], 'long', (p, h, _sub, _file) => needsPrivilege(p, h)),
  RegNotifyChangeKeyValue: fn('stdcall', ['long', 'long', 'long', 'long', 'long'], 'long', RegNotifyChangeKeyValue, { reentrant: true }),
  RegOpenCurrentUser: fn('stdcall', ['long', 'ptr'], 'long', RegOpenCurrentUser),
  RegOpenKeyA: fn('stdcall', ['long', 'str', 'ptr'], 'long', RegOpenKey),
  RegOpenKeyW: fn('stdcall', ['long', 'wstr', 'ptr'], 'long', RegOpenKey),
  RegOpenKeyExA: fn('stdcall', ['long', 'str', 'long', 'long', 'ptr'], 'long', RegOpenKeyEx),
  RegOpenKeyExW: fn('stdcall', ['long', 'wstr', 'long', 'long', 'ptr'], 'long', RegOpenKeyEx),
  RegQueryInfoKeyA: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, c, cc, r, sk, msk, mc, v, mvn, mv, sd, ft) =>
    RegQueryInfoKey(p, h, c, cc, r, sk, msk, mc, v, mvn, mv, sd, ft, false),
  ),
  RegQueryInfoKeyW: fn('stdcall', ['long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, c, cc, r, sk, msk, mc, v, mvn, mv, sd, ft) =>
    RegQueryInfoKey(p, h, c, cc, r, sk, msk, mc, v, mvn, mv, sd, ft, true),
  ),
  RegQueryValueA: fn('stdcall', ['long', 'str', 'ptr', 'ptr'], 'long', (p, h, s, d, c) => RegQueryValue(p, h, s, d, c, false)),
  RegQueryValueW: fn('stdcall', ['long', 'wstr', 'ptr', 'ptr'], 'long', (p, h, s, d, c) => RegQueryValue(p, h, s, d, c, true)),
  RegQueryValueExA: fn('stdcall', ['long', 'str', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, n, r, t, d, c) => RegQueryValueEx(p, h, n, r, t, d, c, false)),
  RegQueryValueExW: fn('stdcall', ['long', 'wstr', 'ptr', 'ptr', 'ptr', 'ptr'], 'long', (p, h, n, r, t, d, c) => RegQueryValueEx(p, h, n, r, t, d, c, true)),
  RegReplaceKeyA: fn('stdcall', ['long', 'str', 'str', 'str'], 'long', (p, h, _sub, _new, _old) => needsPrivilege(p, h)),
  RegReplaceKeyW: fn('stdcall', ['long', 'wstr', 'wstr', 'wstr'], 'long', (p, h, _sub, _new, _old) => needsPrivilege(p, h)),
  RegRestoreKeyA: fn('stdcall', ['long', 'str', 'long'], 'long', (p, h, _file, _flags) => needsPrivilege(p, h)),
  RegRestoreKeyW: fn('stdcall', ['long', 'wstr', 'long'], 'long', (p, h, _file, _flags) => needsPrivilege(p, h)),
  RegSaveKeyA: fn('stdcall', ['long', 'str', 'ptr'], 'long', (p, h, _file, _sa) => needsPrivilege(p, h)),
  RegSaveKeyW: fn('stdcall', ['long', 'wstr', 'ptr'], 'long', (p, h, _file, _sa) => needsPrivilege(p, h)),
  RegSaveKeyExA: fn('stdcall', ['long', 'str', 'ptr', 'long'], 'long', (p, h, _file, _sa, _flags) => needsPrivilege(p, h)),
  RegSaveKeyExW: fn('stdcall', ['long', 'wstr', 'ptr', 'long'], 'long', (p, h, _file, _sa, _flags) => needsPrivilege(p, h)),
  RegSetKeyValueA: fn('stdcall', ['long', 'str', 'str', 'long', 'ptr', 'long'], 'long', (p, h, s, n, t, d, c) => RegSetKeyValue(p, h, s, n, t, d, c, false)),
  RegSetKeyValueW: fn('stdcall', ['long', 'wstr', 'wstr', 'long', 'ptr', 'long'], 'long', (p, h, s, n, t, d, c) => RegSetKeyValue(p, h, s, n, t, d, c, true)),
  RegSetValueA: fn('stdcall', ['long', 'str', 'long', 'str', 'long'], 'long', RegSetValue),
  RegSetValueW: fn('stdcall', ['long', 'wstr', 'long', 'wstr', 'long'], 'long', RegSetValue),
  RegSetValueExA: fn('stdcall', ['long', 'str', 'long', 'long', 'ptr', 'long'], 'long', (p, h, n, r, t, d, c) => RegSetValueEx(p, h, n, r, t, d, c, false)),
  RegSetValueExW: fn('stdcall', ['long', 'wstr', 'long', 'long', 'ptr', 'long'], 'long', (p, h, n, r, t, d, c) => RegSetValueEx(p, h, n, r, t, d, c, true)),
  RegUnLoadKeyA: fn('stdcall', ['long', 'str'], 'long', (p, h, _sub) => needsPrivilege(p, h)),
  RegUnLoadKeyW: fn('stdcall', ['long', 'wstr'], 'long', (p, h, _sub) => needsPrivilege(p, h)),
};
