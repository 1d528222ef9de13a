// ntdll's Rtl helpers: versions, counted strings, memory comparison, status codes, time, system
// information, and the C runtime functions ntdll exports.
import { beforeEach, describe, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

test('RtlGetVersion fills RTL_OSVERSIONINFOEXW; RtlGetNtVersionNumbers marks a free build', () => {
  const info = w.buf(284);
  w.cpu.mem.setU32(info, 284);
  expect(w.nt('RtlGetVersion', info)).toBe(0);
  expect([w.u32(info + 4), w.u32(info + 8), w.u32(info + 12), w.u32(info + 16)]).toEqual([10, 0, 19045, 2]);
  expect(w.cpu.mem.u8(info + 282)).toBe(1); // VER_NT_WORKSTATION
  w.cpu.mem.setU32(info, 100);
  expect(w.nt('RtlGetVersion', info)).toBe(0xc000_000d);
  const [a, b, c] = [w.buf(4), w.buf(4), w.buf(4)];
  w.nt('RtlGetNtVersionNumbers', a, b, c);
  expect([w.u32(a), w.u32(b), w.u32(c)]).toEqual([10, 0, 0xf000_4a65]);
});

describe('counted strings', () => {
  test('RtlInitUnicodeString / RtlInitAnsiString: byte lengths without the NUL, NULL gives an empty string', () => {
    const us = w.buf(8);
    const s = w.wstr('hello');
    w.nt('RtlInitUnicodeString', us, s);
    expect([w.cpu.mem.u16(us), w.cpu.mem.u16(us + 2), w.u32(us + 4)]).toEqual([10, 12, s]);
    w.nt('RtlInitUnicodeString', us, 0);
    expect([w.cpu.mem.u16(us), w.cpu.mem.u16(us + 2), w.u32(us + 4)]).toEqual([0, 0, 0]);
    const as = w.buf(8);
    const t = w.str('abc');
    w.nt('RtlInitAnsiString', as, t);
    expect([w.cpu.mem.u16(as), w.cpu.mem.u16(as + 2), w.u32(as + 4)]).toEqual([3, 4, t]);
  });

  test('ANSI <-> Unicode conversions: allocated on the process heap, or into a buffer that must be big enough', () => {
    const as = w.buf(8);
    w.nt('RtlInitAnsiString', as, w.str('caf\u00e9'));
    const us = w.buf(8);
    expect(w.nt('RtlAnsiStringToUnicodeString', us, as, 1)).toBe(0);
    expect([w.cpu.mem.u16(us), w.cpu.mem.u16(us + 2)]).toEqual([8, 10]);
    expect(w.readWStr(w.u32(us + 4))).toBe('caf\u00e9');
    expect(w.k32('HeapValidate', w.p.heap.handle, 0, w.u32(us + 4))).toBe(1);
    const back = w.buf(8);
    w.cpu.mem.setU16(back + 2, 3); // MaximumLength 3: too small for 4 bytes
    w.cpu.mem.setU32(back + 4, w.buf(8));
    expect(w.nt('RtlUnicodeStringToAnsiString', back, us, 0)).toBe(0x8000_0005); // STATUS_BUFFER_OVERFLOW
    w.cpu.mem.setU16(back + 2, 5);
    expect(w.nt('RtlUnicodeStringToAnsiString', back, us, 0)).toBe(0);
    expect([w.cpu.mem.u16(back), w.readStr(w.u32(back + 4))]).toEqual([4, 'caf\u00e9']);
    w.nt('RtlFreeUnicodeString', us);
    expect([w.cpu.mem.u16(us), w.u32(us + 4)]).toEqual([0, 0]);
  });

  test('comparison and case', () => {
    const mk = (s: string) => {
      const us = w.buf(8);
      w.nt('RtlInitUnicodeString', us, w.wstr(s));
      return us;
    };
    expect(w.nt('RtlEqualUnicodeString', mk('Kernel32'), mk('KERNEL32'), 1)).toBe(1);
    expect(w.nt('RtlEqualUnicodeString', mk('Kernel32'), mk('KERNEL32'), 0)).toBe(0);
    expect(w.nt('RtlCompareUnicodeString', mk('abc'), mk('abd'), 0) | 0).toBeLessThan(0);
    expect(w.nt('RtlCompareUnicodeString', mk('ab'), mk('a'), 0) | 0).toBeGreaterThan(0);
    expect(w.nt('RtlUpcaseUnicodeChar', 0xe9)).toBe(0xc9);
    expect(w.nt('RtlUpcaseUnicodeChar', 0xdf)).toBe(0xdf); // sharp s has no single uppercase
    expect(w.nt('RtlDowncaseUnicodeChar', 0x41)).toBe(0x61);
    const up = w.buf(8);
    expect(w.nt('RtlUpcaseUnicodeString', up, mk('mixed Case'), 1)).toBe(0);
    expect(String.fromCharCode(...Array.from({ length: 10 }, (_, i) => w.cpu.mem.u16(w.u32(up + 4) + 2 * i)))).toBe('MIXED CASE');
  });
});

test('RtlCompareMemory counts the equal leading bytes; RtlFillMemoryUlong and RtlCompareMemoryUlong', () => {
  const a = w.bytes([1, 2, 3, 4, 5]);
  const b = w.bytes([1, 2, 3, 9, 5]);
  expect(w.nt('RtlCompareMemory', a, b, 5)).toBe(3);
  expect(w.nt('RtlCompareMemory', a, a, 5)).toBe(5);
  const f = w.buf(16);
  w.nt('RtlFillMemoryUlong', f, 12, 0xdeadbeef);
  expect([w.u32(f), w.u32(f + 8), w.u32(f + 12)]).toEqual([0xdeadbeef, 0xdeadbeef, 0]);
  expect(w.nt('RtlCompareMemoryUlong', f, 16, 0xdeadbeef)).toBe(12);
});

test('RtlNtStatusToDosError maps the common statuses; unknown ones are ERROR_MR_MID_NOT_FOUND', () => {
  const map: [number, number][] = [
    [0, 0],
    [0xc000_0005, 998],
    [0xc000_0008, 6],
    [0xc000_000d, 87],
    [0xc000_0017, 8],
    [0xc000_0022, 5],
    [0xc000_0023, 122],
    [0xc000_0034, 2],
    [0xc000_003a, 3],
    [0xc000_0035, 183],
    [0xc000_0043, 32],
    [0xc000_0135, 126],
    [0x8000_0005, 234],
    [0x0000_0102, 258],
    [0xc007_0020, 32], // NTSTATUS_FROM_WIN32
    [0xc0ff_eeee, 317],
  ];
  for (const [status, error] of map) expect(w.nt('RtlNtStatusToDosError', status)).toBe(error);
  w.nt('RtlSetLastWin32ErrorAndNtStatusFromNtStatus', 0xc000_0022);
  expect(w.lastError()).toBe(5);
});

test('NtClose closes handles, STATUS_INVALID_HANDLE for others', () => {
  const h = w.k32('OpenProcess', 0x1000, 0, w.k32('GetCurrentProcessId'));
  expect(w.nt('NtClose', h)).toBe(0);
  expect(w.nt('NtClose', h)).toBe(0xc000_0008);
});

test('time: seconds since 1970 and TIME_FIELDS', () => {
  const t = w.buf(8);
  w.nt('RtlSecondsSince1970ToTime', 946_684_800, t); // 2000-01-01
  expect(w.cpu.mem.u64(t)).toBe(125_911_584_000_000_000n);
  const secs = w.buf(4);
  expect(w.nt('RtlTimeToSecondsSince1970', t, secs)).toBe(1);
  expect(w.u32(secs)).toBe(946_684_800);
  const fields = w.buf(16);
  w.nt('RtlTimeToTimeFields', t, fields);
  expect(Array.from({ length: 8 }, (_, i) => w.cpu.mem.u16(fields + 2 * i))).toEqual([2000, 1, 1, 0, 0, 0, 0, 6]); // ..., Weekday Saturday
  w.cpu.mem.setU16(fields + 2, 2);
  w.cpu.mem.setU16(fields + 4, 30); // February 30th
  expect(w.nt('RtlTimeFieldsToTime', fields, t)).toBe(0);
  const now = w.buf(8);
  expect(w.nt('NtQuerySystemTime', now)).toBe(0);
  expect(w.cpu.mem.u64(now) > 125_911_584_000_000_000n).toBe(true);
});

test("ntdll's C runtime: string functions and sprintf work as msvcrt's", () => {
  const buf = w.buf(64);
  expect(w.nt('strlen', w.str('hello'))).toBe(5);
  expect(w.nt('_stricmp', w.str('ABC'), w.str('abc'))).toBe(0);
  expect(w.nt('wcslen', w.wstr('wide'))).toBe(4);
  expect(w.nt('sprintf', buf, w.str('%d-%s'), 42, w.str('x'))).toBe(4);
  expect(w.readStr(buf)).toBe('42-x');
  w.nt('memset', buf, 0x41, 3);
  expect(w.nt('memcmp', buf, w.str('AAA'), 3)).toBe(0);
});
