// The machine the guest sees: names, folders, a 32-bit Windows 10 19045 (no WOW64), processors, priority.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

const size = (n: number) => {
  const a = w.buf(4);
  w.cpu.mem.setU32(a, n);
  return a;
};

describe('names and folders', () => {
  test('GetComputerNameA/W: WOWASM; too small a buffer gives the size needed and ERROR_BUFFER_OVERFLOW', () => {
    const buf = w.buf(64);
    let n = size(32);
    expect(w.k32('GetComputerNameA', buf, n)).toBe(1);
    expect([w.readStr(buf), w.u32(n)]).toEqual(['WOWASM', 6]);
    n = size(6);
    expect(w.k32('GetComputerNameW', buf, n)).toBe(0);
    expect([w.lastError(), w.u32(n)]).toEqual([111, 7]);
    n = size(7);
    expect(w.k32('GetComputerNameW', buf, n)).toBe(1);
    expect([w.readWStr(buf), w.u32(n)]).toEqual(['WOWASM', 6]);
  });

  test('GetComputerNameEx: host names, no DNS domain, ERROR_MORE_DATA when short, bad formats refused', () => {
    const buf = w.buf(64);
    let n = size(32);
    expect(w.k32('GetComputerNameExW', 3, buf, n)).toBe(1); // ComputerNameDnsFullyQualified
    expect(w.readWStr(buf)).toBe('WOWASM');
    n = size(32);
    expect(w.k32('GetComputerNameExA', 2, buf, n)).toBe(1); // ComputerNameDnsDomain
    expect([w.readStr(buf), w.u32(n)]).toEqual(['', 0]);
    n = size(3);
    expect(w.k32('GetComputerNameExA', 0, buf, n)).toBe(0);
    expect([w.lastError(), w.u32(n)]).toEqual([234, 7]);
    expect(w.k32('GetComputerNameExA', 8, buf, size(32))).toBe(0);
    expect(w.lastError()).toBe(87);
  });

  test('system and Windows folders: length without the NUL, or the size needed with it', () => {
    const buf = w.buf(128);
    expect(w.k32('GetSystemDirectoryA', buf, 128)).toBe(19);
    expect(w.readStr(buf)).toBe('C:\\Windows\\system32');
    expect(w.k32('GetSystemDirectoryW', buf, 19)).toBe(20);
    expect(w.k32('GetWindowsDirectoryW', buf, 64)).toBe(10);
    expect(w.readWStr(buf)).toBe('C:\\Windows');
    expect(w.k32('GetSystemWindowsDirectoryA', buf, 64)).toBe(10);
    expect(w.k32('GetWindowsDirectoryA', 0, 0)).toBe(11);
  });
});

describe('a 32-bit system, not WOW64', () => {
  test('IsWow64Process FALSE, IsWow64Process2 reports an i386 machine, no SysWOW64, no redirection', () => {
    const out = w.buf(4);
    w.cpu.mem.setU32(out, 7);
    expect(w.k32('IsWow64Process', 0xffff_ffff, out)).toBe(1);
    expect(w.u32(out)).toBe(0);
    const pm = w.buf(2);
    const nm = w.buf(2);
    expect(w.k32('IsWow64Process2', 0xffff_ffff, pm, nm)).toBe(1);
    expect([w.cpu.mem.u16(pm), w.cpu.mem.u16(nm)]).toEqual([0, 0x14c]); // IMAGE_FILE_MACHINE_UNKNOWN, I386
    expect(w.k32('IsWow64Process', 0x1234, out)).toBe(0);
    expect(w.lastError()).toBe(6);
    expect(w.k32('GetSystemWow64DirectoryA', w.buf(64), 64)).toBe(0);
    expect(w.lastError()).toBe(120); // ERROR_CALL_NOT_IMPLEMENTED
    expect(w.k32('Wow64DisableWow64FsRedirection', w.buf(4))).toBe(0);
  });

  test('GetNativeSystemInfo is GetSystemInfo', () => {
    const a = w.buf(36);
    const b = w.buf(36);
    w.k32('GetSystemInfo', a);
    w.k32('GetNativeSystemInfo', b);
    expect(Array.from(w.cpu.mem.read(b, 36))).toEqual(Array.from(w.cpu.mem.read(a, 36)));
    expect(w.cpu.mem.u16(b)).toBe(0); // PROCESSOR_ARCHITECTURE_INTEL
  });
});

describe('VerifyVersionInfo', () => {
  const VER_MINORVERSION = 1;
  const VER_MAJORVERSION = 2;
  const VER_BUILDNUMBER = 4;
  const VER_SERVICEPACKMAJOR = 0x20;
  const VER_PRODUCT_TYPE = 0x80;
  const GE = 3;
  const EQ = 1;
  const LESS = 4;

  function mask(pairs: [number, number][]): bigint {
    let m = 0n;
    for (const [bit, cond] of pairs) {
      w.k32('VerSetConditionMask', m, bit, cond); // ULONGLONG in EDX:EAX
      m = w.edxEax;
    }
    return m;
  }
  function info(major: number, minor: number, build = 0, spMajor = 0, product = 0): number {
    const a = w.buf(156);
    w.cpu.mem.setU32(a, 156);
    w.cpu.mem.setU32(a + 4, major);
    w.cpu.mem.setU32(a + 8, minor);
    w.cpu.mem.setU32(a + 12, build);
    w.cpu.mem.setU16(a + 148, spMajor);
    w.cpu.mem.setU8(a + 154, product);
    return a;
  }
  const verify = (i: number, type: number, m: bigint) => w.k32('VerifyVersionInfoA', i, type, m);

  test('VerSetConditionMask packs three bits per type, in VER_* order', () => {
    expect(mask([[VER_MAJORVERSION, GE]])).toBe(3n << 3n);
    expect(mask([[VER_MINORVERSION, GE], [VER_MAJORVERSION, GE], [VER_SERVICEPACKMAJOR, GE]])).toBe(3n | (3n << 3n) | (3n << 15n));
    expect(mask([[VER_PRODUCT_TYPE, EQ]])).toBe(1n << 21n);
  });

  test('IsWindows10OrGreater and friends: major, minor and service pack compare as one version', () => {
    const ge = mask([[VER_MAJORVERSION, GE], [VER_MINORVERSION, GE], [VER_SERVICEPACKMAJOR, GE]]);
    const t = VER_MAJORVERSION | VER_MINORVERSION | VER_SERVICEPACKMAJOR;
    expect(verify(info(10, 0), t, ge)).toBe(1);
    expect(verify(info(6, 3), t, ge)).toBe(1); // 8.1: 10.0 >= 6.3 although 0 < 3
    expect(verify(info(6, 1, 0, 1), t, ge)).toBe(1); // 7 SP1
    expect(verify(info(10, 1), t, ge)).toBe(0);
    expect(w.lastError()).toBe(1150); // ERROR_OLD_WIN_VERSION
  });

  test('build numbers and the product type are checked on their own', () => {
    expect(verify(info(0, 0, 19045), VER_BUILDNUMBER, mask([[VER_BUILDNUMBER, EQ]]))).toBe(1);
    expect(verify(info(0, 0, 22000), VER_BUILDNUMBER, mask([[VER_BUILDNUMBER, GE]]))).toBe(0);
    expect(verify(info(0, 0, 22000), VER_BUILDNUMBER, mask([[VER_BUILDNUMBER, LESS]]))).toBe(1);
    expect(verify(info(0, 0, 0, 0, 1), VER_PRODUCT_TYPE, mask([[VER_PRODUCT_TYPE, EQ]]))).toBe(1); // VER_NT_WORKSTATION
    expect(verify(info(0, 0, 0, 0, 3), VER_PRODUCT_TYPE, mask([[VER_PRODUCT_TYPE, EQ]]))).toBe(0); // not a server
  });

  test('no type or no condition: ERROR_BAD_ARGUMENTS', () => {
    expect(verify(info(10, 0), 0, mask([[VER_MAJORVERSION, GE]]))).toBe(0);
    expect(w.lastError()).toBe(160);
    expect(verify(info(10, 0), VER_MAJORVERSION, 0n)).toBe(0);
    expect(w.lastError()).toBe(160);
  });
});

describe('processors and priority', () => {
  test('one active processor; GetLogicalProcessorInformation sizes its answer and describes one core', () => {
    expect(w.k32('GetActiveProcessorCount', 0xffff)).toBe(1);
    expect(w.k32('GetActiveProcessorCount', 3)).toBe(0);
    const len = size(0);
    expect(w.k32('GetLogicalProcessorInformation', 0, len)).toBe(0);
    expect(w.lastError()).toBe(122);
    const n = w.u32(len);
    expect(n % 24).toBe(0);
    const buf = w.buf(n);
    expect(w.k32('GetLogicalProcessorInformation', buf, len)).toBe(1);
    const relations = Array.from({ length: n / 24 }, (_, i) => w.u32(buf + 24 * i + 4));
    expect(relations.filter((r) => r === 0)).toHaveLength(1); // RelationProcessorCore
    expect(relations.filter((r) => r === 3)).toHaveLength(1); // RelationProcessorPackage
    expect(Array.from({ length: n / 24 }, (_, i) => w.u32(buf + 24 * i))).toEqual(relations.map(() => 1)); // ProcessorMask
  });

  test('priority class: NORMAL; REALTIME without the privilege becomes HIGH; background mode pairs', () => {
    expect(w.k32('GetPriorityClass', 0xffff_ffff)).toBe(0x20);
    expect(w.k32('SetPriorityClass', 0xffff_ffff, 0x100)).toBe(1);
    expect(w.k32('GetPriorityClass', 0xffff_ffff)).toBe(0x80);
    expect(w.k32('SetPriorityClass', 0xffff_ffff, 0x4000)).toBe(1);
    expect(w.k32('GetPriorityClass', 0xffff_ffff)).toBe(0x4000);
    expect(w.k32('SetPriorityClass', 0xffff_ffff, 0x1234)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('SetPriorityClass', 0xffff_ffff, 0x20_0000)).toBe(0); // END without BEGIN
    expect(w.lastError()).toBe(403);
    expect(w.k32('SetPriorityClass', 0xffff_ffff, 0x10_0000)).toBe(1);
    expect(w.k32('GetPriorityClass', 0x1234)).toBe(0);
    expect(w.lastError()).toBe(6);
  });
});

test('MulDiv: 64-bit product, rounded half away from zero, -1 on division by zero or overflow', () => {
  const md = (a: number, b: number, c: number) => w.k32('MulDiv', a, b, c) | 0;
  expect(md(10, 3, 4)).toBe(8); // 7.5 -> 8
  expect(md(-10, 3, 4)).toBe(-8);
  expect(md(10, 3, -4)).toBe(-8);
  expect(md(7, 1, 3)).toBe(2); // 2.33
  expect(md(0x4000_0000, 8, 4)).toBe(-1); // 2^31 does not fit
  expect(md(0x4000_0000, 4, 8)).toBe(0x2000_0000);
  expect(md(5, 5, 0)).toBe(-1);
});

test('GetLogicalProcessorInformationEx: variable-size records, one core, filtered by relationship', () => {
  const len = size(0);
  expect(w.k32('GetLogicalProcessorInformationEx', 0xffff, 0, len)).toBe(0);
  expect(w.lastError()).toBe(122);
  const n = w.u32(len);
  const buf = w.buf(n);
  expect(w.k32('GetLogicalProcessorInformationEx', 0xffff, buf, len)).toBe(1);
  const kinds: number[] = [];
  for (let at = buf; at < buf + n; at += w.u32(at + 4)) kinds.push(w.u32(at));
  expect(kinds.filter((k) => k === 0)).toHaveLength(1); // one RelationProcessorCore
  expect(kinds).toContain(4); // RelationGroup
  // Only the cores: one record, whose GROUP_AFFINITY mask is processor 0.
  const core = size(64);
  const one = w.buf(64);
  expect(w.k32('GetLogicalProcessorInformationEx', 0, one, core)).toBe(1);
  expect(w.u32(core)).toBe(w.u32(one + 4));
  expect(w.cpu.mem.u16(one + 8 + 22)).toBe(1); // GroupCount
  expect(w.u32(one + 8 + 24)).toBe(1); // GroupMask[0].Mask
  expect(w.k32('GetLogicalProcessorInformationEx', 9, one, core)).toBe(0);
  expect(w.lastError()).toBe(87);
});
