// The machine as the guest sees it: a 32-bit Windows 10 22H2 (10.0.19045) workstation named WOWASM with
// one x86 processor. It is not a 64-bit Windows running the process under WOW64: IsWow64Process says
// FALSE, GetNativeSystemInfo reports the same x86 processor as GetSystemInfo, and there is no SysWOW64
// folder. (The guest cannot run 64-bit code, so a 32-bit system is the consistent picture.)
import { fn } from '../spec.js';
import { CURRENT_PROCESS } from '../handles.js';
import { stateKey, type Process } from '../process.js';
import { encodeString } from '../text.js';
import { ERROR } from '../win32.js';
import { GetSystemInfo, isOwnProcess, WINDOWS_VERSION } from './process-info.js';

export const COMPUTER_NAME = 'WOWASM';
export const WINDOWS_DIRECTORY = 'C:\\Windows';
export const SYSTEM_DIRECTORY = 'C:\\Windows\\system32';

const ERROR_BAD_ARGUMENTS = 160;
const ERROR_OLD_WIN_VERSION = 1150;

/** Writes `s` with its NUL if `size` (in characters) has room; returns the characters written or needed. */
function copyOut(p: Process, s: string, buf: number, size: number, wide: boolean): { fits: boolean; length: number } {
  const bytes = wide ? undefined : encodeString(s, p.ansiCodePage).bytes;
  const length = wide ? s.length : bytes!.length;
  if (length + 1 > size || !buf) return { fits: false, length };
  if (wide) {
    for (let i = 0; i < s.length; i++) p.mem.setU16(buf + 2 * i, s.charCodeAt(i));
    p.mem.setU16(buf + 2 * s.length, 0);
  } else {
    p.mem.write(buf, bytes!);
    p.mem.setU8(buf + length, 0);
  }
  return { fits: true, length };
}

/** GetSystemDirectory & co.: the length without the NUL, or the size needed with it when the buffer is too small. */
function directory(p: Process, path: string, buf: number, size: number, wide: boolean): number {
  const r = copyOut(p, path, buf, size, wide);
  return r.fits ? r.length : r.length + 1;
}

/** A 32-bit Windows has no WOW64 folder. */
export function GetSystemWow64Directory(p: Process, _buf: number, _size: number): number {
  p.setLastError(ERROR.CALL_NOT_IMPLEMENTED);
  return 0;
}

/** lpnSize in: the buffer's characters; out: the name's length, or the size needed (with the NUL) and ERROR_BUFFER_OVERFLOW. */
export function GetComputerName(p: Process, buf: number, sizePtr: number, wide: boolean): boolean {
  const r = copyOut(p, COMPUTER_NAME, buf, p.mem.u32(sizePtr), wide);
  if (!r.fits) {
    p.mem.setU32(sizePtr, r.length + 1);
    p.setLastError(ERROR.BUFFER_OVERFLOW);
    return false;
  }
  p.mem.setU32(sizePtr, r.length);
  return true;
}

/** COMPUTER_NAME_FORMAT: NetBIOS, DnsHostname, DnsDomain, DnsFullyQualified and their Physical* twins. No domain. */
export function GetComputerNameEx(p: Process, format: number, buf: number, sizePtr: number, wide: boolean): boolean {
  if (format > 7) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const name = (format & 3) === 2 ? '' : COMPUTER_NAME;
  const r = copyOut(p, name, buf, p.mem.u32(sizePtr), wide);
  if (!r.fits) {
    p.mem.setU32(sizePtr, r.length + 1);
    p.setLastError(ERROR.MORE_DATA);
    return false;
  }
  p.mem.setU32(sizePtr, r.length);
  return true;
}

/** The same x86 processor GetSystemInfo reports (no WOW64). */
export function GetNativeSystemInfo(p: Process, out: number): void {
  GetSystemInfo(p, out);
}

export function IsWow64Process(p: Process, h: number, out: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.mem.setU32(out, 0);
  return true;
}

const IMAGE_FILE_MACHINE_I386 = 0x14c;

/** Not under WOW64: the process machine is IMAGE_FILE_MACHINE_UNKNOWN, the native one i386. */
export function IsWow64Process2(p: Process, h: number, processMachine: number, nativeMachine: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.mem.setU16(processMachine, 0);
  if (nativeMachine) p.mem.setU16(nativeMachine, IMAGE_FILE_MACHINE_I386);
  return true;
}

/** No file-system redirection exists without WOW64. */
export function Wow64FsRedirection(p: Process, _arg: number): boolean {
  p.setLastError(ERROR.INVALID_FUNCTION);
  return false;
}

// ---- version checks -----------------------------------------------------------------------------

const VER = { MINORVERSION: 0x1, MAJORVERSION: 0x2, BUILDNUMBER: 0x4, PLATFORMID: 0x8, SERVICEPACKMINOR: 0x10, SERVICEPACKMAJOR: 0x20, SUITENAME: 0x40, PRODUCT_TYPE: 0x80 } as const;
const COND = { EQUAL: 1, GREATER: 2, GREATER_EQUAL: 3, LESS: 4, LESS_EQUAL: 5, AND: 6, OR: 7 } as const;
const TYPE_BITS = [VER.MINORVERSION, VER.MAJORVERSION, VER.BUILDNUMBER, VER.PLATFORMID, VER.SERVICEPACKMINOR, VER.SERVICEPACKMAJOR, VER.SUITENAME, VER.PRODUCT_TYPE];
const SUITE_SINGLEUSERTS = 0x100;
const VER_NT_WORKSTATION = 1;

/** Each type bit has three condition bits in the mask, in the order of the VER_* values. */
export function VerSetConditionMask(_p: Process, mask: bigint, typeMask: number, condition: number): bigint {
  const c = BigInt(condition & 7);
  if (c === 0n) return mask;
  let m = BigInt.asUintN(64, mask);
  TYPE_BITS.forEach((bit, i) => {
    if (typeMask & bit) m |= c << BigInt(3 * i);
  });
  return m;
}

function conditionOf(mask: bigint, bit: number): number {
  return Number((BigInt.asUintN(64, mask) >> BigInt(3 * TYPE_BITS.indexOf(bit as (typeof TYPE_BITS)[number]))) & 7n);
}

function compare(actual: number, wanted: number, cond: number): boolean {
  switch (cond) {
    case COND.EQUAL:
      return actual === wanted;
    case COND.GREATER:
      return actual > wanted;
    case COND.GREATER_EQUAL:
      return actual >= wanted;
    case COND.LESS:
      return actual < wanted;
    case COND.LESS_EQUAL:
      return actual <= wanted;
    default:
      return false;
  }
}

/**
 * OSVERSIONINFOEX against this system. Major, minor and service-pack versions compare as one number
 * (the next part counts only when this one is equal), the others one by one; a mismatch is
 * ERROR_OLD_WIN_VERSION.
 */
export function VerifyVersionInfo(p: Process, info: number, typeMask: number, mask: bigint, wide: boolean): boolean {
  if (typeMask === 0 || mask === 0n) {
    p.setLastError(ERROR_BAD_ARGUMENTS);
    return false;
  }
  const m = p.mem;
  const ex = info + (wide ? 276 : 148);
  const wanted = {
    major: m.u32(info + 4),
    minor: m.u32(info + 8),
    build: m.u32(info + 12),
    platform: m.u32(info + 16),
    spMajor: m.u16(ex),
    spMinor: m.u16(ex + 2),
    suite: m.u16(ex + 4),
    product: m.u8(ex + 6),
  };
  const actual = { major: WINDOWS_VERSION.major, minor: WINDOWS_VERSION.minor, build: WINDOWS_VERSION.build, platform: 2, spMajor: 0, spMinor: 0, suite: SUITE_SINGLEUSERTS, product: VER_NT_WORKSTATION };
  let ok = true;
  const hierarchy: [number, keyof typeof actual][] = [
    [VER.MAJORVERSION, 'major'],
    [VER.MINORVERSION, 'minor'],
    [VER.SERVICEPACKMAJOR, 'spMajor'],
    [VER.SERVICEPACKMINOR, 'spMinor'],
  ];
  for (const [bit, key] of hierarchy) {
    if (!(typeMask & bit)) continue;
    if (!compare(actual[key], wanted[key], conditionOf(mask, bit))) {
      ok = false;
      break;
    }
    if (actual[key] !== wanted[key]) break; // decided by this part
  }
  if (ok && typeMask & VER.BUILDNUMBER) ok = compare(actual.build, wanted.build, conditionOf(mask, VER.BUILDNUMBER));
  if (ok && typeMask & VER.PLATFORMID) ok = compare(actual.platform, wanted.platform, conditionOf(mask, VER.PLATFORMID));
  if (ok && typeMask & VER.PRODUCT_TYPE) ok = compare(actual.product, wanted.product, conditionOf(mask, VER.PRODUCT_TYPE));
  if (ok && typeMask & VER.SUITENAME) {
    const c = conditionOf(mask, VER.SUITENAME);
    ok = c === COND.OR ? (actual.suite & wanted.suite) !== 0 || wanted.suite === 0 : (actual.suite & wanted.suite) === wanted.suite;
  }
  if (!ok) p.setLastError(ERROR_OLD_WIN_VERSION);
  return ok;
}

const PRODUCT_PROFESSIONAL = 0x30;

export function GetProductInfo(p: Process, _major: number, _minor: number, _spMajor: number, _spMinor: number, out: number): boolean {
  p.mem.setU32(out, PRODUCT_PROFESSIONAL);
  return true;
}

// ---- processors ----------------------------------------------------------------------------------

const ALL_PROCESSOR_GROUPS = 0xffff;

export function GetActiveProcessorCount(p: Process, group: number): number {
  if (group === 0 || group === ALL_PROCESSOR_GROUPS) return 1;
  p.setLastError(ERROR.INVALID_PARAMETER);
  return 0;
}

/**
 * SYSTEM_LOGICAL_PROCESSOR_INFORMATION (24 bytes each): one core, one NUMA node, its caches (L1 data
 * and instruction 32 KiB 8-way, L2 256 KiB 4-way, L3 8 MiB 16-way, 64-byte lines), one package.
 */
export function GetLogicalProcessorInformation(p: Process, buf: number, lenPtr: number): boolean {
  type Entry = { relationship: number; fill: (at: number) => void };
  const cache = (level: number, assoc: number, size: number, type: number): Entry => ({
    relationship: 2,
    fill: (at) => {
      p.mem.setU8(at, level);
      p.mem.setU8(at + 1, assoc);
      p.mem.setU16(at + 2, 64);
      p.mem.setU32(at + 4, size);
      p.mem.setU32(at + 8, type); // CacheUnified 0, CacheInstruction 1, CacheData 2
    },
  });
  const entries: Entry[] = [
    { relationship: 0, fill: (at) => p.mem.setU8(at, 0) }, // RelationProcessorCore, no SMT
    { relationship: 1, fill: (at) => p.mem.setU32(at, 0) }, // RelationNumaNode 0
    cache(1, 8, 32 * 1024, 2),
    cache(1, 8, 32 * 1024, 1),
    cache(2, 4, 256 * 1024, 0),
    cache(3, 16, 8 * 1024 * 1024, 0),
    { relationship: 3, fill: () => {} }, // RelationProcessorPackage
  ];
  const need = 24 * entries.length;
  const have = p.mem.u32(lenPtr);
  p.mem.setU32(lenPtr, need);
  if (have < need || !buf) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  entries.forEach((e, i) => {
    const at = buf + 24 * i;
    p.mem.fill(at, 0, 24);
    p.mem.setU32(at, 1); // ProcessorMask
    p.mem.setU32(at + 4, e.relationship);
    e.fill(at + 8);
  });
  return true;
}

/**
 * SYSTEM_LOGICAL_PROCESSOR_INFORMATION_EX records (32-bit layout) of the same machine: one core, one NUMA
 * node, four caches, one package, one processor group; `relationship` picks one kind, or RelationAll (0xFFFF).
 */
export function GetLogicalProcessorInformationEx(p: Process, relationship: number, buf: number, lenPtr: number): boolean {
  type Rec = { kind: number; size: number; fill: (at: number) => void };
  const affinity = (at: number) => p.mem.setU32(at, 1); // GROUP_AFFINITY { Mask 1, Group 0 }
  const cache = (level: number, assoc: number, size: number, type: number): Rec => ({
    kind: 2,
    size: 52,
    fill: (at) => {
      p.mem.setU8(at, level);
      p.mem.setU8(at + 1, assoc);
      p.mem.setU16(at + 2, 64);
      p.mem.setU32(at + 4, size);
      p.mem.setU32(at + 8, type);
      p.mem.setU16(at + 30, 1); // GroupCount
      affinity(at + 32);
    },
  });
  const processor = (kind: number): Rec => ({
    kind,
    size: 44,
    fill: (at) => {
      p.mem.setU16(at + 22, 1); // GroupCount
      affinity(at + 24);
    },
  });
  const all: Rec[] = [
    processor(0), // RelationProcessorCore
    { kind: 1, size: 44, fill: (at) => (p.mem.setU16(at + 22, 1), affinity(at + 24)) }, // RelationNumaNode 0
    cache(1, 8, 32 * 1024, 2),
    cache(1, 8, 32 * 1024, 1),
    cache(2, 4, 256 * 1024, 0),
    cache(3, 16, 8 * 1024 * 1024, 0),
    processor(3), // RelationProcessorPackage
    {
      kind: 4, // RelationGroup
      size: 76,
      fill: (at) => {
        p.mem.setU16(at, 1); // MaximumGroupCount
        p.mem.setU16(at + 2, 1); // ActiveGroupCount
        p.mem.setU8(at + 24, 1); // MaximumProcessorCount
        p.mem.setU8(at + 25, 1); // ActiveProcessorCount
        p.mem.setU32(at + 64, 1); // ActiveProcessorMask
      },
    },
  ];
  if (relationship !== 0xffff && (relationship > 4 || relationship < 0)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const recs = all.filter((r) => relationship === 0xffff || r.kind === relationship);
  const need = recs.reduce((n, r) => n + r.size, 0);
  const have = p.mem.u32(lenPtr);
  p.mem.setU32(lenPtr, need);
  if (have < need || !buf) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  let at = buf;
  for (const r of recs) {
    p.mem.fill(at, 0, r.size);
    p.mem.setU32(at, r.kind);
    p.mem.setU32(at + 4, r.size);
    r.fill(at + 8);
    at += r.size;
  }
  return true;
}

export function GetCurrentProcessorNumberEx(p: Process, out: number): void {
  p.mem.setU16(out, 0); // Group
  p.mem.setU8(out + 2, 0); // Number
  p.mem.setU8(out + 3, 0);
}

// ---- priority ------------------------------------------------------------------------------------

const PRIORITY = { IDLE: 0x40, BELOW_NORMAL: 0x4000, NORMAL: 0x20, ABOVE_NORMAL: 0x8000, HIGH: 0x80, REALTIME: 0x100 } as const;
const PROCESS_MODE_BACKGROUND = { BEGIN: 0x10_0000, END: 0x20_0000 } as const;
const ERROR_PROCESS_MODE_ALREADY_BACKGROUND = 402;
const ERROR_PROCESS_MODE_NOT_BACKGROUND = 403;

const priorityState = stateKey('kernel32.priority', () => ({ cls: PRIORITY.NORMAL as number, background: false }));
const priority = (p: Process) => p.state(priorityState);

export function GetPriorityClass(p: Process, h: number): number {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return 0;
  }
  return priority(p).cls;
}

/** REALTIME_PRIORITY_CLASS without SeIncreaseBasePriorityPrivilege becomes HIGH, as on Windows. */
export function SetPriorityClass(p: Process, h: number, cls: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const s = priority(p);
  if (cls === PROCESS_MODE_BACKGROUND.BEGIN || cls === PROCESS_MODE_BACKGROUND.END) {
    if (h !== CURRENT_PROCESS) {
      p.setLastError(ERROR.INVALID_HANDLE);
      return false;
    }
    const begin = cls === PROCESS_MODE_BACKGROUND.BEGIN;
    if (s.background === begin) {
      p.setLastError(begin ? ERROR_PROCESS_MODE_ALREADY_BACKGROUND : ERROR_PROCESS_MODE_NOT_BACKGROUND);
      return false;
    }
    s.background = begin;
    return true;
  }
  if (!(Object.values(PRIORITY) as number[]).includes(cls)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  s.cls = cls === PRIORITY.REALTIME ? PRIORITY.HIGH : cls;
  return true;
}

/** MulDiv: a * b / c with a 64-bit product, rounded half away from zero; -1 when c is 0 or the result overflows. */
export function MulDiv(_p: Process, a: number, b: number, c: number): number {
  if (c === 0) return -1;
  const product = BigInt(a) * BigInt(b);
  const q = product / BigInt(c);
  const r = product % BigInt(c);
  const rounded = 2n * (r < 0n ? -r : r) >= BigInt(Math.abs(c)) ? q + ((product < 0n) !== (c < 0) ? -1n : 1n) : q;
  return rounded > 0x7fff_ffffn || rounded < -0x8000_0000n ? -1 : Number(rounded);
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const sysinfoApi = {
  MulDiv: fn('stdcall', ['int', 'int', 'int'], 'int', MulDiv),
  GetActiveProcessorCount: fn('stdcall', ['long'], 'long', GetActiveProcessorCount),
  GetActiveProcessorGroupCount: fn('stdcall', [], 'long', (_p) => 1),
  GetComputerNameA: fn('stdcall', ['ptr', 'ptr'], 'bool', (p, b, n) => GetComputerName(p, b, n, false)),
  GetComputerNameExA: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', (p, f, b, n) => GetComputerNameEx(p, f, b, n, false)),
  GetComputerNameExW: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', (p, f, b, n) => GetComputerNameEx(p, f, b, n, true)),
  GetComputerNameW: fn('stdcall', ['ptr', 'ptr'], 'bool', (p, b, n) => GetComputerName(p, b, n, true)),
  GetCurrentProcessorNumber: fn('stdcall', [], 'long', (_p) => 0),
  GetCurrentProcessorNumberEx: fn('stdcall', ['ptr'], 'void', GetCurrentProcessorNumberEx),
  GetLogicalProcessorInformation: fn('stdcall', ['ptr', 'ptr'], 'bool', GetLogicalProcessorInformation),
  GetLogicalProcessorInformationEx: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', GetLogicalProcessorInformationEx),
  GetMaximumProcessorCount: fn('stdcall', ['long'], 'long', GetActiveProcessorCount),
  GetMaximumProcessorGroupCount: fn('stdcall', [], 'long', (_p) => 1),
  GetNativeSystemInfo: fn('stdcall', ['ptr'], 'void', GetNativeSystemInfo),
  GetPriorityClass: fn('stdcall', ['long'], 'long', GetPriorityClass),
  GetProductInfo: fn('stdcall', ['long', 'long', 'long', 'long', 'ptr'], 'bool', GetProductInfo),
  GetSystemDirectoryA: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, SYSTEM_DIRECTORY, b, n, false)),
  GetSystemDirectoryW: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, SYSTEM_DIRECTORY, b, n, true)),
  GetSystemWindowsDirectoryA: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, WINDOWS_DIRECTORY, b, n, false)),
  GetSystemWindowsDirectoryW: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, WINDOWS_DIRECTORY, b, n, true)),
  GetSystemWow64DirectoryA: fn('stdcall', ['ptr', 'long'], 'long', GetSystemWow64Directory),
  GetSystemWow64DirectoryW: fn('stdcall', ['ptr', 'long'], 'long', GetSystemWow64Directory),
  GetWindowsDirectoryA: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, WINDOWS_DIRECTORY, b, n, false)),
  GetWindowsDirectoryW: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => directory(p, WINDOWS_DIRECTORY, b, n, true)),
  IsWow64Process: fn('stdcall', ['long', 'ptr'], 'bool', IsWow64Process),
  IsWow64Process2: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', IsWow64Process2),
  SetPriorityClass: fn('stdcall', ['long', 'long'], 'bool', SetPriorityClass),
  VerSetConditionMask: fn('stdcall', ['int64', 'long', 'long'], 'int64', VerSetConditionMask),
  VerifyVersionInfoA: fn('stdcall', ['ptr', 'long', 'int64'], 'bool', (p, i, t, m) => VerifyVersionInfo(p, i, t, m, false)),
  VerifyVersionInfoW: fn('stdcall', ['ptr', 'long', 'int64'], 'bool', (p, i, t, m) => VerifyVersionInfo(p, i, t, m, true)),
  Wow64DisableWow64FsRedirection: fn('stdcall', ['ptr'], 'bool', Wow64FsRedirection),
  Wow64RevertWow64FsRedirection: fn('stdcall', ['ptr'], 'bool', Wow64FsRedirection),
};
