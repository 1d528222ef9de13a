// Process identity, the Windows version and SYSTEM_INFO the guest sees.
import { beforeEach, describe, expect, test } from 'vitest';
import { ProcessExitError } from '../../../thunks/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32({ env: { Path: 'C:\\Windows', WOWASM: 'yes' }, commandLine: 'C:\\wowasm\\host.exe --flag' });
});

test('GetVersionExA with OSVERSIONINFOEXA: Windows 10 22H2 workstation', () => {
  const info = w.buf(156);
  w.cpu.mem.setU32(info, 156);
  w.cpu.mem.fill(info + 20, 0x41, 128);
  expect(w.k32('GetVersionExA', info)).toBe(1);
  expect(Array.from({ length: 5 }, (_, i) => w.u32(info + 4 * i))).toEqual([156, 10, 0, 19045, 2]); // size, major, minor, build, VER_PLATFORM_WIN32_NT
  expect(w.readStr(info + 20)).toBe(''); // szCSDVersion: no service pack
  expect([w.cpu.mem.u16(info + 148), w.cpu.mem.u16(info + 150), w.cpu.mem.u16(info + 152), w.cpu.mem.u8(info + 154)]).toEqual([0, 0, 0x100, 1]);
  // The plain OSVERSIONINFOA (148 bytes) works too; other sizes fail.
  w.cpu.mem.setU32(info, 148);
  expect(w.k32('GetVersionExA', info)).toBe(1);
  w.cpu.mem.setU32(info, 100);
  expect(w.k32('GetVersionExA', info)).toBe(0);
  expect(w.lastError()).toBe(122);
});

test('GetVersionExW with OSVERSIONINFOEXW (284 bytes) and GetVersion agree', () => {
  const info = w.buf(284);
  w.cpu.mem.setU32(info, 284);
  expect(w.k32('GetVersionExW', info)).toBe(1);
  expect([w.u32(info + 4), w.u32(info + 8), w.u32(info + 12)]).toEqual([10, 0, 19045]);
  expect(w.cpu.mem.u8(info + 282)).toBe(1); // wProductType
  expect(w.k32('GetVersion')).toBe((19045 << 16) | 10);
});

test('GetSystemInfo: one x86 processor, 4 KiB pages, 64 KiB granularity', () => {
  const si = w.buf(36);
  w.cpu.mem.fill(si, 0xff, 36);
  w.k32('GetSystemInfo', si);
  const m = w.cpu.mem;
  expect({
    wProcessorArchitecture: m.u16(si),
    dwPageSize: m.u32(si + 4),
    lpMinimumApplicationAddress: m.u32(si + 8),
    lpMaximumApplicationAddress: m.u32(si + 12),
    dwActiveProcessorMask: m.u32(si + 16),
    dwNumberOfProcessors: m.u32(si + 20),
    dwProcessorType: m.u32(si + 24),
    dwAllocationGranularity: m.u32(si + 28),
    wProcessorLevel: m.u16(si + 32),
  }).toEqual({
    wProcessorArchitecture: 0,
    dwPageSize: 0x1000,
    lpMinimumApplicationAddress: 0x1_0000,
    lpMaximumApplicationAddress: 0x7ffe_ffff,
    dwActiveProcessorMask: 1,
    dwNumberOfProcessors: 1,
    dwProcessorType: 586,
    dwAllocationGranularity: 0x1_0000,
    wProcessorLevel: 6,
  });
});

test('process and thread ids match the TEB', () => {
  const teb = w.p.currentThread.teb;
  expect(w.k32('GetCurrentProcessId')).toBe(w.u32(teb + 0x20));
  expect(w.k32('GetCurrentThreadId')).toBe(w.u32(teb + 0x24));
  expect(w.k32('GetCurrentProcess')).toBe(0xffff_ffff);
  expect(w.k32('GetCurrentThread')).toBe(0xffff_fffe);
});

test('environment variables: case-insensitive names, size queries, only what the host gave', () => {
  const buf = w.buf(64);
  expect(w.k32('GetEnvironmentVariableA', w.str('wowasm'), buf, 64)).toBe(3);
  expect(w.readStr(buf)).toBe('yes');
  expect(w.k32('GetEnvironmentVariableA', w.str('PATH'), buf, 5)).toBe(11); // too small: the size needed, with NUL
  expect(w.k32('GetEnvironmentVariableW', w.wstr('Path'), buf, 32)).toBe(10);
  expect(w.readWStr(buf)).toBe('C:\\Windows');
  expect(w.k32('GetEnvironmentVariableA', w.str('HOME'), buf, 64)).toBe(0);
  expect(w.lastError()).toBe(203); // ERROR_ENVVAR_NOT_FOUND
  expect(w.k32('SetEnvironmentVariableA', w.str('NEW'), w.str('1'))).toBe(1);
  expect(w.k32('GetEnvironmentVariableA', w.str('new'), buf, 64)).toBe(1);
  expect(w.k32('SetEnvironmentVariableA', w.str('NEW'), 0)).toBe(1);
  expect(w.k32('GetEnvironmentVariableA', w.str('NEW'), buf, 64)).toBe(0);
});

test('GetCommandLine returns the same string every time, A and W', () => {
  const a = w.k32('GetCommandLineA');
  expect(w.readStr(a)).toBe('C:\\wowasm\\host.exe --flag');
  expect(w.k32('GetCommandLineA')).toBe(a);
  expect(w.readWStr(w.k32('GetCommandLineW'))).toBe('C:\\wowasm\\host.exe --flag');
});

describe('the process as an object', () => {
  test('OpenProcess opens only this process; its handle works where the pseudo-handle does', () => {
    const pid = w.k32('GetCurrentProcessId');
    const h = w.k32('OpenProcess', 0x1000, 0, pid);
    expect(h).not.toBe(0);
    expect(w.k32('GetProcessId', h)).toBe(pid);
    expect(w.k32('GetProcessId', 0xffff_ffff)).toBe(pid);
    const code = w.buf(4);
    expect(w.k32('GetExitCodeProcess', h, code)).toBe(1);
    expect(w.u32(code)).toBe(259); // STILL_ACTIVE
    expect(w.k32('CloseHandle', h)).toBe(1);
    expect(w.k32('OpenProcess', 0x1000, 0, pid + 400)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('OpenProcess', 0x1000, 0, 4)).toBe(0); // System
    expect(w.lastError()).toBe(5);
    expect(w.k32('GetExitCodeProcess', 0x1234, code)).toBe(0);
    expect(w.lastError()).toBe(6);
  });

  test('no debugger; GetProcessVersion is the EXE subsystem version', () => {
    expect(w.k32('IsDebuggerPresent')).toBe(0);
    const b = w.buf(4);
    w.cpu.mem.setU32(b, 1);
    expect(w.k32('CheckRemoteDebuggerPresent', 0xffff_ffff, b)).toBe(1);
    expect(w.u32(b)).toBe(0);
    expect(w.k32('GetProcessVersion', 0)).toBe(0x6_0000);
    expect(w.k32('GetProcessVersion', 1234)).toBe(0);
  });

  test('FatalAppExit and FatalExit end the process with a typed error, not the host', () => {
    let err: unknown;
    try {
      w.k32('FatalAppExitA', 0, w.str('the end'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProcessExitError);
    expect((err as ProcessExitError).exitCode).toBe(0x4000_0015); // STATUS_FATAL_APP_EXIT
    expect((err as Error).message).toContain('the end');
    expect(() => w.k32('FatalExit', 3)).toThrow(ProcessExitError);
  });

  test('DebugBreak raises EXCEPTION_BREAKPOINT (unhandled here, it reaches the host)', () => {
    let err: unknown;
    try {
      w.k32('DebugBreak');
    } catch (e) {
      err = e;
    }
    expect((err as { exceptionCode?: number }).exceptionCode ?? (err as { detail?: { exceptionCode?: number } }).detail?.exceptionCode).toBe(0x8000_0003);
  });

  test('handle information: inherit and protect flags per handle; DeviceIoControl refuses', () => {
    const h = w.k32('GetStdHandle', 0xffff_fff5);
    const flags = w.buf(4);
    expect(w.k32('GetHandleInformation', h, flags)).toBe(1);
    expect(w.u32(flags)).toBe(0);
    expect(w.k32('SetHandleInformation', h, 3, 1)).toBe(1);
    expect(w.k32('SetHandleInformation', h, 2, 2)).toBe(1);
    w.k32('GetHandleInformation', h, flags);
    expect(w.u32(flags)).toBe(3);
    expect(w.k32('SetHandleInformation', h, 1, 0)).toBe(1);
    w.k32('GetHandleInformation', h, flags);
    expect(w.u32(flags)).toBe(2);
    expect(w.k32('SetHandleInformation', 0x1230, 1, 1)).toBe(0);
    expect(w.lastError()).toBe(6);
    const ret = w.buf(4);
    expect(w.k32('DeviceIoControl', h, 0x90000, 0, 0, 0, 0, ret, 0)).toBe(0);
    expect(w.lastError()).toBe(1); // ERROR_INVALID_FUNCTION
    expect(w.k32('DeviceIoControl', 0x1230, 0x90000, 0, 0, 0, 0, ret, 0)).toBe(0);
    expect(w.lastError()).toBe(6);
  });

  test('an empty variable is told from a missing one by the last error', () => {
    w.k32('SetEnvironmentVariableA', w.str('EMPTY'), w.str(''));
    w.k32('SetLastError', 99);
    expect(w.k32('GetEnvironmentVariableA', w.str('EMPTY'), w.buf(8), 8)).toBe(0);
    expect(w.lastError()).toBe(0);
    expect(w.k32('GetEnvironmentVariableA', w.str('EMPTY'), 0, 0)).toBe(1); // the size needed
  });
});

test('CreateProcess cannot start programs: ERROR_ACCESS_DENIED, PROCESS_INFORMATION untouched', () => {
  const pi = w.buf(16);
  w.cpu.mem.fill(pi, 0xab, 16);
  expect(w.k32('CreateProcessA', 0, w.str('cmd.exe /c dir'), 0, 0, 0, 0, 0, 0, w.buf(68), pi)).toBe(0);
  expect(w.lastError()).toBe(5);
  expect(w.u32(pi)).toBe(0xabababab);
  expect(w.k32('CreateProcessW', 0, 0, 0, 0, 0, 0, 0, 0, w.buf(68), pi)).toBe(0);
  expect(w.lastError()).toBe(87);
});
