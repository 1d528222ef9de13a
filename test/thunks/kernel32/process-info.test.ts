// Process identity, the Windows version and SYSTEM_INFO the guest sees.
import { beforeEach, expect, test } from 'vitest';
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
