// The registry in memory: keys (names compared case-insensitively, stored as given) holding subkeys and
// typed values, the predefined roots, the Windows 10 contents wowasm starts from, and RegistrySeed
// objects (the JSON-friendly form of the `registry` load option and of lib.registry.export()).
//
// Values keep their raw bytes and type, as the registry does: strings are UTF-16 with (normally) a
// terminating NUL; the ANSI functions convert on the way in and out.

import { WowasmError } from '../../emulator/errors.js';
import { RegistrySeedError } from '../errors.js';
import { fileTimeNow } from '../kernel32/time.js';
import { decodeUtf16, encodeUtf16 } from '../text.js';
import { upcase } from '../vfs/path.js';
import type { RegistrySeed, RegistryTypeName, RegistryValueSeed } from './seed.js';

export const REG = {
  NONE: 0,
  SZ: 1,
  EXPAND_SZ: 2,
  BINARY: 3,
  DWORD: 4,
  DWORD_BIG_ENDIAN: 5,
  LINK: 6,
  MULTI_SZ: 7,
  RESOURCE_LIST: 8,
  FULL_RESOURCE_DESCRIPTOR: 9,
  RESOURCE_REQUIREMENTS_LIST: 10,
  QWORD: 11,
} as const;

const TYPE_NAMES: readonly RegistryTypeName[] = [
  'REG_NONE',
  'REG_SZ',
  'REG_EXPAND_SZ',
  'REG_BINARY',
  'REG_DWORD',
  'REG_DWORD_BIG_ENDIAN',
  'REG_LINK',
  'REG_MULTI_SZ',
  'REG_RESOURCE_LIST',
  'REG_FULL_RESOURCE_DESCRIPTOR',
  'REG_RESOURCE_REQUIREMENTS_LIST',
  'REG_QWORD',
];

/** REG_SZ, REG_EXPAND_SZ and REG_MULTI_SZ: the types the ANSI functions convert. */
export function isStringType(type: number): boolean {
  return type === REG.SZ || type === REG.EXPAND_SZ || type === REG.MULTI_SZ;
}

/** The predefined HKEY values (winreg.h). */
export const HKEY = {
  CLASSES_ROOT: 0x8000_0000,
  CURRENT_USER: 0x8000_0001,
  LOCAL_MACHINE: 0x8000_0002,
  USERS: 0x8000_0003,
  PERFORMANCE_DATA: 0x8000_0004,
  CURRENT_CONFIG: 0x8000_0005,
  DYN_DATA: 0x8000_0006,
  CURRENT_USER_LOCAL_SETTINGS: 0x8000_0007,
  PERFORMANCE_TEXT: 0x8000_0050,
  PERFORMANCE_NLSTEXT: 0x8000_0060,
} as const;

/** What changed, for change notifications: REG_NOTIFY_CHANGE_NAME / _LAST_SET bits, and a deleted key. */
export const CHANGE = { NAME: 0x1, LAST_SET: 0x4, KEY_DELETED: 0x100 } as const;

export interface RegValue {
  /** As first written (case preserved); "" is the key's default value. */
  name: string;
  type: number;
  data: Uint8Array;
}

export class RegKey {
  className = '';
  volatile = false;
  /** Deleted while handles to it were open: those see ERROR_KEY_DELETED. */
  deleted = false;
  /** The root of a hive file on Windows (HKLM\SOFTWARE, HKU\.DEFAULT, ...): it cannot be deleted. */
  hiveRoot = false;
  /** FILETIME of the last change. */
  lastWrite = fileTimeNow();
  /** On a root key: told of every change below it (the hive's change notifications). */
  onChange: ((changed: RegKey, what: number) => void) | undefined;
  private readonly keys = new Map<string, RegKey>();
  private readonly vals = new Map<string, RegValue>();
  private sorted: RegKey[] | undefined;
  private valueList: RegValue[] | undefined;

  constructor(
    readonly name: string,
    readonly parent: RegKey | undefined,
  ) {}

  subkey(name: string): RegKey | undefined {
    return this.keys.get(upcase(name));
  }

  /** Subkeys in the order RegEnumKeyEx gives them: sorted by upper-cased name, as hives store them. */
  subkeys(): readonly RegKey[] {
    this.sorted ??= [...this.keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
    return this.sorted;
  }

  get subkeyCount(): number {
    return this.keys.size;
  }

  addSubkey(name: string): RegKey {
    const k = new RegKey(name, this);
    this.keys.set(upcase(name), k);
    this.sorted = undefined;
    this.touch();
    this.changed(CHANGE.NAME);
    return k;
  }

  /** Unlinks a subkey that has no subkeys of its own; handles to it see it as deleted. */
  removeSubkey(k: RegKey): void {
    this.keys.delete(upcase(k.name));
    this.sorted = undefined;
    k.deleted = true;
    this.touch();
    this.changed(CHANGE.NAME);
    this.changed(CHANGE.KEY_DELETED, k);
  }

  value(name: string): RegValue | undefined {
    return this.vals.get(upcase(name));
  }

  /** Values in the order they were first set (RegEnumValue's order on Windows). */
  values(): readonly RegValue[] {
    this.valueList ??= [...this.vals.values()];
    return this.valueList;
  }

  setValue(name: string, type: number, data: Uint8Array): void {
    const v = this.vals.get(upcase(name));
    if (v) {
      v.type = type;
      v.data = data;
    } else {
      this.vals.set(upcase(name), { name, type, data });
      this.valueList = undefined;
    }
    this.touch();
    this.changed(CHANGE.LAST_SET);
  }

  deleteValue(name: string): boolean {
    const had = this.vals.delete(upcase(name));
    if (had) {
      this.valueList = undefined;
      this.touch();
      this.changed(CHANGE.LAST_SET);
    }
    return had;
  }

  touch(): void {
    this.lastWrite = fileTimeNow();
  }

  /** Tells the root's listener that `k` (this key unless given) changed. */
  private changed(what: number, k: RegKey = this): void {
    let root: RegKey = this;
    while (root.parent) root = root.parent;
    root.onChange?.(k, what);
  }

  /** Is this key (or a key above it) `k`? */
  isWithin(k: RegKey): boolean {
    for (let at: RegKey | undefined = this; at; at = at.parent) if (at === k) return true;
    return false;
  }
}

/** Splits a relative key path; undefined for one starting with a backslash (ERROR_BAD_PATHNAME). */
export function splitPath(path: string | null): string[] | undefined {
  if (!path) return [];
  if (path.startsWith('\\')) return undefined;
  return path.split('\\').filter((c) => c.length > 0);
}

// ---- the registry of one process ------------------------------------------------------------------

/** The SID of the user the guest runs as (HKEY_CURRENT_USER is HKEY_USERS\<this>). */
export const USER_SID = 'S-1-5-21-3421719224-1391813456-2213590547-1001';
/** The user's name unless a seed changes HKCU\Volatile Environment\USERNAME. */
export const DEFAULT_USER_NAME = 'wowasm';

const CLASSES_PATH = ['SOFTWARE', 'Classes'];
const CURRENT_CONFIG_PATH = ['SYSTEM', 'CurrentControlSet', 'Hardware Profiles', 'Current'];

const ROOT_NAMES: Record<string, 'HKLM' | 'HKCU' | 'HKCR' | 'HKU' | 'HKCC'> = {
  HKEY_LOCAL_MACHINE: 'HKLM',
  HKLM: 'HKLM',
  HKEY_CURRENT_USER: 'HKCU',
  HKCU: 'HKCU',
  HKEY_CLASSES_ROOT: 'HKCR',
  HKCR: 'HKCR',
  HKEY_USERS: 'HKU',
  HKU: 'HKU',
  HKEY_CURRENT_CONFIG: 'HKCC',
  HKCC: 'HKCC',
};

export class Hive {
  readonly machine = new RegKey('HKEY_LOCAL_MACHINE', undefined);
  readonly users = new RegKey('HKEY_USERS', undefined);
  readonly userSid = USER_SID;
  /** Told of every change (advapi32's RegNotifyChangeKeyValue listens here). */
  onChange: ((changed: RegKey, what: number) => void) | undefined;

  constructor() {
    applySeed(this, windows10Defaults(), 'the Windows 10 defaults');
    for (const p of [['SOFTWARE'], ['SYSTEM'], ['HARDWARE'], ['SAM'], ['SECURITY'], CLASSES_PATH, CURRENT_CONFIG_PATH]) this.walk(this.machine, p)!.hiveRoot = true;
    for (const p of [['.DEFAULT'], [USER_SID]]) this.walk(this.users, p)!.hiveRoot = true;
    // HKLM\HARDWARE is rebuilt at every boot, as is the user's Volatile Environment.
    markVolatile(this.walk(this.machine, ['HARDWARE'])!);
    markVolatile(this.walk(this.currentUser, ['Volatile Environment'])!);
    this.machine.onChange = this.users.onChange = (k, what) => this.onChange?.(k, what);
  }

  /** HKEY_CURRENT_USER: the user's key under HKEY_USERS. */
  get currentUser(): RegKey {
    return this.users.subkey(USER_SID)!;
  }

  /** HKEY_CLASSES_ROOT: a view of HKLM\SOFTWARE\Classes. */
  get classesRoot(): RegKey {
    return this.walk(this.machine, CLASSES_PATH)!;
  }

  /** HKEY_CURRENT_CONFIG: a view of HKLM\SYSTEM\CurrentControlSet\Hardware Profiles\Current. */
  get currentConfig(): RegKey {
    return this.walk(this.machine, CURRENT_CONFIG_PATH)!;
  }

  /** The key a predefined handle stands for (undefined for the performance-data ones wowasm lacks). */
  predefined(hkey: number): RegKey | undefined {
    switch (hkey >>> 0) {
      case HKEY.CLASSES_ROOT:
        return this.classesRoot;
      case HKEY.CURRENT_USER:
        return this.currentUser;
      case HKEY.LOCAL_MACHINE:
        return this.machine;
      case HKEY.USERS:
        return this.users;
      case HKEY.CURRENT_CONFIG:
        return this.currentConfig;
      default:
        return undefined;
    }
  }

  walk(from: RegKey, components: readonly string[]): RegKey | undefined {
    let k: RegKey | undefined = from;
    for (const c of components) {
      k = k.subkey(c);
      if (!k) return undefined;
    }
    return k;
  }

  /** Walks down, creating what is missing (new keys inherit volatility from their parent). */
  create(from: RegKey, components: readonly string[]): RegKey {
    let k = from;
    for (const c of components) {
      let next = k.subkey(c);
      if (!next) {
        next = k.addSubkey(c);
        next.volatile = k.volatile;
      }
      k = next;
    }
    return k;
  }

  /** The root key and components of a full path ("HKEY_CURRENT_USER\\Software\\Acme"), or undefined. */
  resolvePath(path: string): { root: RegKey; components: string[] } | undefined {
    const parts = path.split('\\').filter((c) => c.length > 0);
    const which = ROOT_NAMES[(parts[0] ?? '').toUpperCase()];
    if (!which) return undefined;
    const root = which === 'HKLM' ? this.machine : which === 'HKCU' ? this.currentUser : which === 'HKCR' ? this.classesRoot : which === 'HKU' ? this.users : this.currentConfig;
    return { root, components: parts.slice(1) };
  }

  /** The key at a full path, if it exists. */
  find(path: string): RegKey | undefined {
    const r = this.resolvePath(path);
    return r && this.walk(r.root, r.components);
  }

  /** Can `k` be deleted with everything under it (no hive root among them)? */
  canDeleteTree(k: RegKey): boolean {
    return canDeleteTree(k);
  }

  /** Deletes a key and everything under it; false if a hive root is in the way (nothing is deleted then). */
  deleteTree(k: RegKey): boolean {
    if (!canDeleteTree(k)) return false;
    deleteTree(k);
    return true;
  }
}

function markVolatile(k: RegKey): void {
  k.volatile = true;
  for (const s of k.subkeys()) markVolatile(s);
}

function canDeleteTree(k: RegKey): boolean {
  return !k.hiveRoot && k.parent !== undefined && k.subkeys().every(canDeleteTree);
}

function deleteTree(k: RegKey): void {
  for (const s of [...k.subkeys()]) deleteTree(s);
  k.parent!.removeSubkey(k);
}

// ---- RegistrySeed -------------------------------------------------------------------------------

/** Applies a seed: keys in order, their values in order (null deletes). */
export function applySeed(hive: Hive, seed: RegistrySeed, source: string): void {
  if (seed === null || typeof seed !== 'object' || Array.isArray(seed)) throw new RegistrySeedError(source, 'a registry seed is an object of key paths');
  for (const [path, values] of Object.entries(seed)) {
    const r = hive.resolvePath(path);
    if (!r) throw new RegistrySeedError(source, `"${path}" does not start with a registry root (HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CLASSES_ROOT, HKEY_USERS, HKEY_CURRENT_CONFIG or their short names)`);
    if (values === null) {
      const k = hive.walk(r.root, r.components);
      if (k && !hive.deleteTree(k)) throw new RegistrySeedError(source, `"${path}" cannot be deleted: it is, or holds, a root of the registry`);
      continue;
    }
    if (typeof values !== 'object' || Array.isArray(values)) throw new RegistrySeedError(source, `the values of "${path}" must be an object of value names`);
    const key = hive.create(r.root, r.components);
    for (const [name, v] of Object.entries(values)) {
      if (v === null) key.deleteValue(name);
      else {
        const { type, data } = encodeSeedValue(v, `${path}\\${name || '(default)'}`, source);
        key.setValue(name, type, data);
      }
    }
  }
}

export function typeCode(t: RegistryTypeName | number, where: string, source: string): number {
  if (typeof t === 'number') {
    if (!Number.isInteger(t) || t < 0 || t > 0xffff_ffff) throw new RegistrySeedError(source, `${where}: type ${t} is not a registry type number`);
    return t;
  }
  const i = TYPE_NAMES.indexOf(t);
  if (i < 0) throw new RegistrySeedError(source, `${where}: unknown type "${String(t)}" (expected one of ${TYPE_NAMES.join(', ')} or a number)`);
  return i;
}

export function typeName(type: number): RegistryTypeName | number {
  return TYPE_NAMES[type] ?? type;
}

/** UTF-16 bytes of `s` and a NUL. */
export function sz(s: string): Uint8Array {
  return encodeUtf16(s + '\0');
}

export function multiSz(list: readonly string[]): Uint8Array {
  return encodeUtf16(list.map((s) => s + '\0').join('') + '\0');
}

export function dword(v: number, bigEndian = false): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, !bigEndian);
  return b;
}

export function qword(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true);
  return b;
}

/** "01,02,ff", "01 02 ff" or "0102ff" (commas, spaces and line breaks between bytes are ignored). */
export function parseHexBytes(text: string, where: string, source: string): Uint8Array {
  const t = text.trim();
  if (t === '') return new Uint8Array(0);
  const tokens = /[,\s]/.test(t) ? t.split(/[,\s]+/).filter((x) => x !== '') : (t.match(/../g) ?? []);
  if (!/[,\s]/.test(t) && t.length % 2 !== 0) throw new RegistrySeedError(source, `${where}: "${text}" has an odd number of hex digits`);
  return Uint8Array.from(tokens, (x) => {
    if (!/^[0-9a-fA-F]{1,2}$/.test(x)) throw new RegistrySeedError(source, `${where}: "${x}" is not a hex byte`);
    return parseInt(x, 16);
  });
}

export function hexBytes(data: Uint8Array, sep = ' '): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(sep);
}

function encodeSeedValue(v: RegistryValueSeed, where: string, source: string): { type: number; data: Uint8Array } {
  if (typeof v === 'string') return { type: REG.SZ, data: sz(v) };
  if (typeof v === 'number') return { type: REG.DWORD, data: dword(checkDword(v, where, source)) };
  if (Array.isArray(v)) return { type: REG.MULTI_SZ, data: multiSz(checkStrings(v, where, source)) };
  if (v === null || typeof v !== 'object' || !('type' in v)) throw new RegistrySeedError(source, `${where}: expected a string, a number, an array of strings, null or { type, value }`);
  const type = typeCode(v.type, where, source);
  if ('hex' in v) {
    if (typeof v.hex !== 'string') throw new RegistrySeedError(source, `${where}: "hex" must be a string of hex bytes`);
    return { type, data: parseHexBytes(v.hex, where, source) };
  }
  if (!('value' in v)) throw new RegistrySeedError(source, `${where}: { type } needs a "value" or a "hex"`);
  const value = v.value;
  const bad = (what: string) => new RegistrySeedError(source, `${where}: a ${typeName(type)} value must be ${what}`);
  switch (type) {
    case REG.SZ:
    case REG.EXPAND_SZ:
      if (typeof value !== 'string') throw bad('a string');
      return { type, data: sz(value) };
    case REG.LINK:
      if (typeof value !== 'string') throw bad('a string');
      return { type, data: encodeUtf16(value) }; // a link target is stored without a NUL
    case REG.MULTI_SZ:
      if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw bad('an array of strings');
      return { type, data: multiSz(checkStrings(value as string[], where, source)) };
    case REG.DWORD:
    case REG.DWORD_BIG_ENDIAN:
      if (typeof value !== 'number') throw bad('a number');
      return { type, data: dword(checkDword(value, where, source), type === REG.DWORD_BIG_ENDIAN) };
    case REG.QWORD: {
      let q: bigint;
      try {
        if (typeof value === 'bigint') q = value;
        else if (typeof value === 'number' && Number.isInteger(value)) q = BigInt(value);
        else if (typeof value === 'string' && /^(0x[0-9a-fA-F]+|\d+)$/.test(value.trim())) q = BigInt(value.trim());
        else throw bad('an integer (number, bigint, or decimal or 0x string)');
      } catch (e) {
        if (e instanceof RegistrySeedError) throw e;
        throw bad('an integer');
      }
      if (q < 0n || q > 0xffff_ffff_ffff_ffffn) throw bad('between 0 and 2^64-1');
      return { type, data: qword(q) };
    }
    default:
      if (typeof value === 'string') return { type, data: parseHexBytes(value, where, source) };
      if (value instanceof Uint8Array) return { type, data: value.slice() };
      if (Array.isArray(value) && value.every((b) => typeof b === 'number' && Number.isInteger(b) && b >= 0 && b <= 255)) return { type, data: Uint8Array.from(value as number[]) };
      throw bad('bytes: an array of numbers 0-255, a Uint8Array or hex text');
  }
}

function checkDword(v: number, where: string, source: string): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffff_ffff) throw new RegistrySeedError(source, `${where}: a REG_DWORD is an integer from 0 to 0xFFFFFFFF, not ${v}`);
  return v;
}

function checkStrings(list: readonly unknown[], where: string, source: string): string[] {
  for (const s of list) {
    if (typeof s !== 'string') throw new RegistrySeedError(source, `${where}: a REG_MULTI_SZ holds strings only`);
    if (s === '' || s.includes('\0')) throw new RegistrySeedError(source, `${where}: a REG_MULTI_SZ cannot hold an empty string or a NUL (it would end the list)`);
  }
  return list as string[];
}

/** The data of a REG_SZ-like value as text: everything up to the first NUL. */
export function storedString(data: Uint8Array): string {
  const units = new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + (data.length & ~1)));
  const nul = units.indexOf(0);
  return decodeUtf16(nul < 0 ? units : units.subarray(0, nul));
}

/** A value as a RegistryValueSeed: the plain forms where they say it exactly, { type, hex } otherwise. */
export function valueToSeed(v: RegValue): RegistryValueSeed {
  const d = v.data;
  const units = d.length % 2 === 0 ? new Uint16Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.length)) : undefined;
  const exactSz = units !== undefined && units.length > 0 && units.indexOf(0) === units.length - 1;
  switch (v.type) {
    case REG.SZ:
      if (exactSz) return decodeUtf16(units.subarray(0, -1));
      break;
    case REG.EXPAND_SZ:
      if (exactSz) return { type: 'REG_EXPAND_SZ', value: decodeUtf16(units.subarray(0, -1)) };
      break;
    case REG.LINK:
      if (units !== undefined && units.indexOf(0) < 0) return { type: 'REG_LINK', value: decodeUtf16(units) };
      break;
    case REG.MULTI_SZ:
      if (units !== undefined && units.length > 0) {
        const text = decodeUtf16(units);
        const list = text === '\0' ? [] : text.endsWith('\0\0') ? text.slice(0, -2).split('\0') : undefined;
        if (list && !list.includes('') && bytesEqual(multiSz(list), d)) return list;
      }
      break;
    case REG.DWORD:
      if (d.length === 4) return new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true);
      break;
    case REG.DWORD_BIG_ENDIAN:
      if (d.length === 4) return { type: 'REG_DWORD_BIG_ENDIAN', value: new DataView(d.buffer, d.byteOffset, 4).getUint32(0, false) };
      break;
    case REG.QWORD:
      if (d.length === 8) {
        const q = new DataView(d.buffer, d.byteOffset, 8).getBigUint64(0, true);
        return { type: 'REG_QWORD', value: q <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(q) : q.toString() };
      }
      break;
  }
  return { type: typeName(v.type), hex: hexBytes(d) };
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The keys under `start` (itself first, parents before children) with their full paths. */
export function* walkTree(start: RegKey, path: string): Generator<{ key: RegKey; path: string }> {
  yield { key: start, path };
  for (const s of start.subkeys()) yield* walkTree(s, `${path}\\${s.name}`);
}

/** Where export() starts: one key, or the whole registry under the names regedit shows. */
export function exportRoots(hive: Hive, key: string | undefined): { key: RegKey; path: string }[] {
  if (key !== undefined) {
    const r = hive.resolvePath(key);
    const k = r && hive.walk(r.root, r.components);
    if (!k) throw new WowasmError('WOWASM_NO_SUCH_KEY', `registry.export(): there is no key "${key}"`, { key });
    return [{ key: k, path: key.split('\\').filter((c) => c !== '').join('\\') }];
  }
  // HKCR and HKCC are views into HKLM, and HKCU is the user's key under HKU: each key is written once.
  const roots = [{ key: hive.machine, path: 'HKEY_LOCAL_MACHINE' }, { key: hive.currentUser, path: 'HKEY_CURRENT_USER' }];
  for (const u of hive.users.subkeys()) if (u !== hive.currentUser) roots.push({ key: u, path: `HKEY_USERS\\${u.name}` });
  return roots;
}

/** The registry (or one key's subtree) as a RegistrySeed. */
export function exportSeed(hive: Hive, key?: string): RegistrySeed {
  const out: RegistrySeed = {};
  for (const root of exportRoots(hive, key)) {
    for (const { key: k, path } of walkTree(root.key, root.path)) {
      const values: Record<string, RegistryValueSeed> = {};
      for (const v of k.values()) values[v.name] = valueToSeed(v);
      out[path] = values;
    }
  }
  return out;
}

// ---- what a fresh Windows 10 22H2 (x86, en-US) holds ----------------------------------------------

function windows10Defaults(): RegistrySeed {
  const user = DEFAULT_USER_NAME;
  const profile = `C:\\Users\\${user}`;
  const expand = (value: string) => ({ type: 'REG_EXPAND_SZ' as const, value });
  return {
    'HKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System': { Identifier: 'AT/AT COMPATIBLE' },
    // What the emulated CPU reports through CPUID: GenuineIntel, family 6 model 7 stepping 3, 1000 MHz
    // (leaf 0x16); it has no brand string, so the name is the one Windows gives that processor.
    'HKEY_LOCAL_MACHINE\\HARDWARE\\DESCRIPTION\\System\\CentralProcessor\\0': {
      '~MHz': 1000,
      Identifier: 'x86 Family 6 Model 7 Stepping 3',
      ProcessorNameString: 'Intel(R) Pentium(R) III processor',
      VendorIdentifier: 'GenuineIntel',
    },
    'HKEY_LOCAL_MACHINE\\SAM': {},
    'HKEY_LOCAL_MACHINE\\SECURITY': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\CLSID': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Classes\\Interface': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography': { MachineGuid: '6f1c7d3e-2b4a-4c59-9e8d-0a1b2c3d4e5f' },
    // The CryptoAPI providers and each provider type's default, which CryptAcquireContext reads.
    ...cryptoProviders(),
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion': {
      CommonFilesDir: 'C:\\Program Files\\Common Files',
      DevicePath: expand('%SystemRoot%\\inf'),
      MediaPathUnexpanded: expand('%SystemRoot%\\Media'),
      ProgramFilesDir: 'C:\\Program Files',
      ProgramFilesPath: expand('%ProgramFiles%'),
    },
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall': {},
    'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion': {
      BuildBranch: 'vb_release',
      BuildLab: '19041.vb_release.191206-1406',
      BuildLabEx: '19041.1.x86fre.vb_release.191206-1406',
      CompositionEditionID: 'Enterprise',
      CurrentBuild: '19045',
      CurrentBuildNumber: '19045',
      CurrentMajorVersionNumber: 10,
      CurrentMinorVersionNumber: 0,
      CurrentType: 'Multiprocessor Free',
      CurrentVersion: '6.3',
      DisplayVersion: '22H2',
      EditionID: 'Professional',
      InstallationType: 'Client',
      InstallDate: 1_672_531_200, // 2023-01-01 00:00 UTC
      PathName: 'C:\\Windows',
      ProductId: '00330-80000-00000-AA481',
      ProductName: 'Windows 10 Pro',
      RegisteredOrganization: '',
      RegisteredOwner: user,
      ReleaseId: '2009',
      SoftwareType: 'System',
      SystemRoot: 'C:\\Windows',
      UBR: 3803,
    },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ActiveComputerName': { ComputerName: 'WOWASM' },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName': { ComputerName: 'WOWASM' },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\CodePage': { ACP: '1252', MACCP: '10000', OEMCP: '437' },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Nls\\Language': { Default: '0409', InstallLanguage: '0409' },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions': { ProductType: 'WinNT' },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment': {
      ComSpec: expand('%SystemRoot%\\system32\\cmd.exe'),
      NUMBER_OF_PROCESSORS: '1',
      OS: 'Windows_NT',
      Path: expand('%SystemRoot%\\system32;%SystemRoot%;%SystemRoot%\\System32\\Wbem'),
      PATHEXT: '.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC',
      PROCESSOR_ARCHITECTURE: 'x86',
      TEMP: expand('%SystemRoot%\\TEMP'),
      TMP: expand('%SystemRoot%\\TEMP'),
      windir: expand('%SystemRoot%'),
    },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\TimeZoneInformation': { TimeZoneKeyName: 'UTC', Bias: 0, ActiveTimeBias: 0 },
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current\\Software': {},
    'HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Hardware Profiles\\Current\\System': {},
    'HKEY_USERS\\.DEFAULT\\Software': {},
    [`HKEY_USERS\\${USER_SID}\\Software`]: {},
    [`HKEY_USERS\\${USER_SID}\\Control Panel\\International`]: {
      Locale: '00000409',
      LocaleName: 'en-US',
      s1159: 'AM',
      s2359: 'PM',
      sCountry: 'United States',
      sCurrency: '$',
      sDate: '/',
      sDecimal: '.',
      sGrouping: '3;0',
      sLanguage: 'ENU',
      sList: ',',
      sLongDate: 'dddd, MMMM d, yyyy',
      sMonDecimalSep: '.',
      sMonGrouping: '3;0',
      sMonThousandSep: ',',
      sNativeDigits: '0123456789',
      sNegativeSign: '-',
      sPositiveSign: '',
      sShortDate: 'M/d/yyyy',
      sShortTime: 'h:mm tt',
      sThousand: ',',
      sTime: ':',
      sTimeFormat: 'h:mm:ss tt',
      sYearMonth: 'MMMM yyyy',
      iCalendarType: '1',
      iCountry: '1',
      iCurrDigits: '2',
      iCurrency: '0',
      iDate: '0',
      iDigits: '2',
      iFirstDayOfWeek: '6',
      iFirstWeekOfYear: '0',
      iLZero: '1',
      iMeasure: '1',
      iNegCurr: '0',
      iNegNumber: '1',
      iPaperSize: '1',
      iTime: '0',
      iTimePrefix: '0',
      iTLZero: '0',
      NumShape: '1',
    },
    [`HKEY_USERS\\${USER_SID}\\Volatile Environment`]: {
      APPDATA: `${profile}\\AppData\\Roaming`,
      HOMEDRIVE: 'C:',
      HOMEPATH: `\\Users\\${user}`,
      LOCALAPPDATA: `${profile}\\AppData\\Local`,
      LOGONSERVER: '\\\\WOWASM',
      USERDOMAIN: 'WOWASM',
      USERNAME: user,
      USERPROFILE: profile,
    },
  };
}

/** CryptoAPI providers as Windows 10 registers them: name -> provider type. */
export const CRYPTO_PROVIDERS: Record<string, number> = {
  'Microsoft Base Cryptographic Provider v1.0': 1,
  'Microsoft Base DSS and Diffie-Hellman Cryptographic Provider': 13,
  'Microsoft Base DSS Cryptographic Provider': 3,
  'Microsoft DH SChannel Cryptographic Provider': 18,
  'Microsoft Enhanced Cryptographic Provider v1.0': 1,
  'Microsoft Enhanced DSS and Diffie-Hellman Cryptographic Provider': 13,
  'Microsoft Enhanced RSA and AES Cryptographic Provider': 24,
  'Microsoft RSA SChannel Cryptographic Provider': 12,
  'Microsoft Strong Cryptographic Provider': 1,
};

const DEFAULT_PROVIDER_OF_TYPE: Record<number, string> = {
  1: 'Microsoft Strong Cryptographic Provider',
  3: 'Microsoft Base DSS Cryptographic Provider',
  12: 'Microsoft RSA SChannel Cryptographic Provider',
  13: 'Microsoft Enhanced DSS and Diffie-Hellman Cryptographic Provider',
  18: 'Microsoft DH SChannel Cryptographic Provider',
  24: 'Microsoft Enhanced RSA and AES Cryptographic Provider',
};

function cryptoProviders(): RegistrySeed {
  const base = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\Defaults';
  const seed: RegistrySeed = {};
  for (const [name, type] of Object.entries(CRYPTO_PROVIDERS)) {
    const image = type === 3 || type === 13 ? 'dssenh.dll' : 'rsaenh.dll';
    seed[`${base}\\Provider\\${name}`] = { 'Image Path': image, Type: type };
  }
  for (const [type, name] of Object.entries(DEFAULT_PROVIDER_OF_TYPE)) {
    seed[`${base}\\Provider Types\\Type ${type.padStart(3, '0')}`] = { Name: name };
  }
  return seed;
}
