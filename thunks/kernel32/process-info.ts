// Process and thread identity, environment, command line, version and system information.
import { fn, stub } from '../spec.js';
import { ProcessExitError } from '../errors.js';
import { CURRENT_PROCESS, CURRENT_THREAD } from '../handles.js';
import type { Process } from '../process.js';
import { writeAnsi, writeWide } from '../text.js';
import { ERROR } from '../win32.js';

export function GetCurrentProcess(_p: Process): number {
  return CURRENT_PROCESS;
}
export function GetCurrentThread(_p: Process): number {
  return CURRENT_THREAD;
}
export function GetCurrentProcessId(p: Process): number {
  return p.processId;
}
export function GetCurrentThreadId(p: Process): number {
  return p.currentThread.id;
}

export function ExitProcess(p: Process, code: number): never {
  throw new ProcessExitError('ExitProcess', code, p.where());
}

export function TerminateProcess(p: Process, h: number, code: number): boolean {
  if (h === CURRENT_PROCESS || h === p.processId) throw new ProcessExitError('TerminateProcess', code, p.where());
  p.setLastError(ERROR.INVALID_HANDLE);
  return false;
}

/** Command line strings live in guest memory for the process lifetime (callers keep the pointer). */
export function GetCommandLine(p: Process, wide: boolean): number {
  const key = wide ? 'cmdW' : 'cmdA';
  const cached = p.cached.get(key);
  if (cached) return cached;
  const addr = p.allocStatic((p.commandLine.length + 1) * (wide ? 2 : 1));
  if (wide) writeWide(p.mem, addr, p.commandLine);
  else writeAnsi(p.mem, addr, p.commandLine, p.ansiCodePage);
  p.cached.set(key, addr);
  return addr;
}

/** GetEnvironmentVariable: copies the value; returns its length, or the size needed (with NUL). */
export function GetEnvironmentVariable(p: Process, name: string | null, buf: number, size: number, wide: boolean): number {
  const e = name === null ? undefined : p.env.get(name.toUpperCase());
  if (!e) {
    p.setLastError(ERROR.ENVVAR_NOT_FOUND);
    return 0;
  }
  if (e.value.length + 1 > size) return e.value.length + 1;
  if (wide) writeWide(p.mem, buf, e.value);
  else writeAnsi(p.mem, buf, e.value, p.ansiCodePage);
  return e.value.length;
}

export function SetEnvironmentVariable(p: Process, name: string | null, value: string | null): boolean {
  if (!name || name.includes('=')) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  if (value === null) p.env.delete(name.toUpperCase());
  else p.env.set(name.toUpperCase(), { name, value });
  return true;
}

// Windows 10 22H2, as the guest sees it.
export const WINDOWS_VERSION = { major: 10, minor: 0, build: 19045 } as const;

export function GetVersion(_p: Process): number {
  // Low byte major, next minor, high word build (NT: top bit clear).
  return (WINDOWS_VERSION.build << 16) | (WINDOWS_VERSION.minor << 8) | WINDOWS_VERSION.major;
}

/** OSVERSIONINFO(EX)A/W: the size field says which; returns FALSE for a wrong size. */
export function GetVersionEx(p: Process, info: number, wide: boolean): boolean {
  const size = p.mem.u32(info);
  const base = wide ? 276 : 148;
  if (size !== base && size !== base + 8) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  const m = p.mem;
  m.setU32(info + 4, WINDOWS_VERSION.major);
  m.setU32(info + 8, WINDOWS_VERSION.minor);
  m.setU32(info + 12, WINDOWS_VERSION.build);
  m.setU32(info + 16, 2); // VER_PLATFORM_WIN32_NT
  m.fill(info + 20, 0, wide ? 256 : 128); // szCSDVersion: no service pack
  if (size === base + 8) {
    const ex = info + base;
    m.setU16(ex, 0); // wServicePackMajor
    m.setU16(ex + 2, 0);
    m.setU16(ex + 4, 0x100); // wSuiteMask: VER_SUITE_SINGLEUSERTS
    m.setU8(ex + 6, 1); // wProductType: VER_NT_WORKSTATION
    m.setU8(ex + 7, 0);
  }
  return true;
}

/** SYSTEM_INFO for one x86 processor with 4 KiB pages and 64 KiB allocation granularity. */
export function GetSystemInfo(p: Process, out: number): void {
  const m = p.mem;
  m.setU16(out, 0); // PROCESSOR_ARCHITECTURE_INTEL
  m.setU16(out + 2, 0);
  m.setU32(out + 4, 0x1000); // dwPageSize
  m.setU32(out + 8, 0x1_0000); // lpMinimumApplicationAddress
  m.setU32(out + 12, 0x7ffe_ffff); // lpMaximumApplicationAddress
  m.setU32(out + 16, 1); // dwActiveProcessorMask
  m.setU32(out + 20, 1); // dwNumberOfProcessors
  m.setU32(out + 24, 586); // dwProcessorType: PROCESSOR_INTEL_PENTIUM
  m.setU32(out + 28, 0x1_0000); // dwAllocationGranularity
  m.setU16(out + 32, 6); // wProcessorLevel
  m.setU16(out + 34, 0x0f0b); // wProcessorRevision
}

/** PF_* features of the emulated CPU (its CPUID: a Pentium III class with SSE, SSE2, SSE3, MMX, TSC, CX8). */
const PRESENT_FEATURES = new Set([
  2, // PF_COMPARE_EXCHANGE_DOUBLE
  3, // PF_MMX_INSTRUCTIONS_AVAILABLE
  6, // PF_XMMI_INSTRUCTIONS_AVAILABLE
  8, // PF_RDTSC_INSTRUCTION_AVAILABLE
  10, // PF_XMMI64_INSTRUCTIONS_AVAILABLE
  13, // PF_SSE3_INSTRUCTIONS_AVAILABLE
]);

export function IsProcessorFeaturePresent(_p: Process, feature: number): boolean {
  return PRESENT_FEATURES.has(feature);
}

/** STARTUPINFOA/W (68 bytes): no window, standard handles not redirected. */
export function GetStartupInfo(p: Process, out: number): void {
  p.mem.fill(out, 0, 68);
  p.mem.setU32(out, 68);
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const processApi = {
  ExitProcess: fn('stdcall', ['long'], 'void', ExitProcess),
  GetCommandLineA: fn('stdcall', [], 'ptr', (p) => GetCommandLine(p, false)),
  GetCommandLineW: fn('stdcall', [], 'ptr', (p) => GetCommandLine(p, true)),
  GetCurrentProcess: fn('stdcall', [], 'long', GetCurrentProcess),
  GetCurrentProcessId: fn('stdcall', [], 'long', GetCurrentProcessId),
  GetCurrentThread: fn('stdcall', [], 'long', GetCurrentThread),
  GetCurrentThreadId: fn('stdcall', [], 'long', GetCurrentThreadId),
  GetEnvironmentVariableA: fn('stdcall', ['str', 'ptr', 'long'], 'long', (p, n, b, s) => GetEnvironmentVariable(p, n, b, s, false)),
  GetEnvironmentVariableW: fn('stdcall', ['wstr', 'ptr', 'long'], 'long', (p, n, b, s) => GetEnvironmentVariable(p, n, b, s, true)),
  GetLastError: fn('stdcall', [], 'long', (p) => p.lastError, { quiet: true }),
  GetStartupInfoA: fn('stdcall', ['ptr'], 'void', GetStartupInfo),
  GetStartupInfoW: fn('stdcall', ['ptr'], 'void', GetStartupInfo),
  GetSystemInfo: fn('stdcall', ['ptr'], 'void', GetSystemInfo),
  GetVersion: fn('stdcall', [], 'long', GetVersion),
  GetVersionExA: fn('stdcall', ['ptr'], 'bool', (p, i) => GetVersionEx(p, i, false)),
  GetVersionExW: fn('stdcall', ['ptr'], 'bool', (p, i) => GetVersionEx(p, i, true)),
  IsProcessorFeaturePresent: fn('stdcall', ['long'], 'bool', IsProcessorFeaturePresent),
  SetEnvironmentVariableA: fn('stdcall', ['str', 'str'], 'bool', SetEnvironmentVariable),
  SetEnvironmentVariableW: fn('stdcall', ['wstr', 'wstr'], 'bool', SetEnvironmentVariable),
  SetLastError: fn('stdcall', ['long'], 'void', (p, e) => p.setLastError(e), { quiet: true }),
  TerminateProcess: fn('stdcall', ['long', 'long'], 'bool', TerminateProcess),
  GetSystemPowerStatus: stub(),
};
