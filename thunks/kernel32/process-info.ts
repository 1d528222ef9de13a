// Process and thread identity, environment, command line, version and system information.
import { EXCEPTION } from '../../emulator/faults.js';
import { fn, stub } from '../spec.js';
import { ProcessExitError } from '../errors.js';
import { CURRENT_PROCESS, CURRENT_THREAD, type KernelObject } from '../handles.js';
import { stateKey, type Process } from '../process.js';
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
  if (e.value.length === 0) p.setLastError(ERROR.SUCCESS); // an empty value, told from a failure
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

// ---- the process as an object: handles to it, exit codes, debugging -------------------------------

/** A handle to this process (OpenProcess on its own id); other processes cannot be opened. */
export interface ProcessObject extends KernelObject {
  readonly type: 'process';
}

export function isOwnProcess(p: Process, h: number): boolean {
  return h === CURRENT_PROCESS || p.handles.get(h, 'process') !== undefined;
}

const STILL_ACTIVE = 259;
const STATUS_FATAL_APP_EXIT = 0x4000_0015;

/** The System Idle Process (0) is an invalid parameter, System (4) access denied; no other process exists. */
export function OpenProcess(p: Process, _access: number, _inherit: number, pid: number): number {
  if (pid !== p.processId) {
    p.setLastError(pid === 4 ? ERROR.ACCESS_DENIED : ERROR.INVALID_PARAMETER);
    return 0;
  }
  return p.handles.add({ type: 'process' } as ProcessObject);
}

export function GetExitCodeProcess(p: Process, h: number, out: number): boolean {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.mem.setU32(out, STILL_ACTIVE);
  return true;
}

export function GetProcessId(p: Process, h: number): number {
  if (!isOwnProcess(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return 0;
  }
  return p.processId;
}

/**
 * The subsystem version of the process's EXE (MajorSubsystemVersion << 16 | Minor). The host EXE stands for
 * a program linked by a current linker: 6.0.
 */
export function GetProcessVersion(p: Process, pid: number): number {
  if (pid !== 0 && pid !== p.processId) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const opt = p.hostExeBase + p.mem.u32(p.hostExeBase + 0x3c) + 24;
  const v = (p.mem.u16(opt + 48) << 16) | p.mem.u16(opt + 50);
  return v || 0x6_0000;
}

/** No debugger is ever attached (the PEB's BeingDebugged is 0). */
export function IsDebuggerPresent(p: Process): boolean {
  return p.mem.u8(p.peb + 2) !== 0;
}

export function CheckRemoteDebuggerPresent(p: Process, h: number, out: number): boolean {
  if (!isOwnProcess(p, h) || !out) {
    p.setLastError(out ? ERROR.INVALID_HANDLE : ERROR.INVALID_PARAMETER);
    return false;
  }
  p.mem.setU32(out, IsDebuggerPresent(p) ? 1 : 0);
  return true;
}

/** An int3 in the API: EXCEPTION_BREAKPOINT raised at the caller, for its handlers (or the host) to see. */
export function DebugBreak(p: Process): void {
  p.raiseException(EXCEPTION.BREAKPOINT, 'breakpoint (DebugBreak)');
}

/** Shows the message (in the error), then ends the process with STATUS_FATAL_APP_EXIT. */
export function FatalAppExit(p: Process, _action: number, message: string | null): never {
  throw new ProcessExitError(`FatalAppExit(${JSON.stringify(message ?? '')})`, STATUS_FATAL_APP_EXIT, p.where());
}

export function FatalExit(p: Process, code: number): never {
  throw new ProcessExitError('FatalExit', code, p.where());
}

/**
 * Starting another program is impossible inside wowasm (one emulated process, no executables to run):
 * CreateProcess fails with ERROR_ACCESS_DENIED, as it does for a process whose job forbids children.
 * Nothing is written to PROCESS_INFORMATION.
 */
export function CreateProcess(p: Process, app: string | null, cmd: number): boolean {
  if (app === null && !cmd) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  p.setLastError(ERROR.ACCESS_DENIED);
  return false;
}

// ---- handle information ---------------------------------------------------------------------------

const HANDLE_FLAG = { INHERIT: 0x1, PROTECT_FROM_CLOSE: 0x2 } as const;
const handleFlags = stateKey('kernel32.handleFlags', () => new Map<number, number>());

const isHandle = (p: Process, h: number) => p.handles.get(h) !== undefined;

/** Whether a handle was protected with HANDLE_FLAG_PROTECT_FROM_CLOSE (for CloseHandle). */
export function isProtectedFromClose(p: Process, h: number): boolean {
  return ((p.state(handleFlags).get(h >>> 0) ?? 0) & HANDLE_FLAG.PROTECT_FROM_CLOSE) !== 0;
}

export function SetHandleInformation(p: Process, h: number, mask: number, flags: number): boolean {
  if (!isHandle(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const m = p.state(handleFlags);
  const known = mask & (HANDLE_FLAG.INHERIT | HANDLE_FLAG.PROTECT_FROM_CLOSE);
  m.set(h >>> 0, ((m.get(h >>> 0) ?? 0) & ~known) | (flags & known));
  return true;
}

export function GetHandleInformation(p: Process, h: number, out: number): boolean {
  if (!isHandle(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.mem.setU32(out, p.state(handleFlags).get(h >>> 0) ?? 0);
  return true;
}

/** No device behind any handle takes control codes: ERROR_INVALID_FUNCTION (ERROR_INVALID_HANDLE for bad handles). */
export function DeviceIoControl(p: Process, h: number, _code: number, _in: number, _inSize: number, _out: number, _outSize: number, returned: number, _overlapped: number): boolean {
  if (!isHandle(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (returned) p.mem.setU32(returned, 0);
  p.setLastError(ERROR.INVALID_FUNCTION);
  return false;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const processApi = {
  CheckRemoteDebuggerPresent: fn('stdcall', ['long', 'ptr'], 'bool', CheckRemoteDebuggerPresent),
  CreateProcessA: fn('stdcall', ['str', 'ptr', 'ptr', 'ptr', 'long', 'long', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', (p, app, cmd, _pa, _ta, _inh, _flags, _env, _dir, _si, _pi) => CreateProcess(p, app, cmd)),
  CreateProcessW: fn('stdcall', ['wstr', 'ptr', 'ptr', 'ptr', 'long', 'long', 'ptr', 'ptr', 'ptr', 'ptr'], 'bool', (p, app, cmd, _pa, _ta, _inh, _flags, _env, _dir, _si, _pi) => CreateProcess(p, app, cmd)),
  DebugBreak: fn('stdcall', [], 'void', DebugBreak),
  DeviceIoControl: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', DeviceIoControl),
  FatalAppExitA: fn('stdcall', ['long', 'str'], 'void', FatalAppExit),
  FatalAppExitW: fn('stdcall', ['long', 'wstr'], 'void', FatalAppExit),
  FatalExit: fn('stdcall', ['long'], 'void', FatalExit),
  GetExitCodeProcess: fn('stdcall', ['long', 'ptr'], 'bool', GetExitCodeProcess),
  GetHandleInformation: fn('stdcall', ['long', 'ptr'], 'bool', GetHandleInformation),
  GetProcessId: fn('stdcall', ['long'], 'long', GetProcessId),
  GetProcessVersion: fn('stdcall', ['long'], 'long', GetProcessVersion),
  IsDebuggerPresent: fn('stdcall', [], 'bool', IsDebuggerPresent),
  OpenProcess: fn('stdcall', ['long', 'long', 'long'], 'long', OpenProcess),
  SetHandleInformation: fn('stdcall', ['long', 'long', 'long'], 'bool', SetHandleInformation),
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
