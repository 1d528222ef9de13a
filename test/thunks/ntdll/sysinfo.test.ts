// NtQuerySystemInformation: the documented classes, each with the kernel's length rule, describing the
// emulated machine: one processor, the guest RAM, and only the System Idle Process, System and the guest
// process in the process list.
import { beforeEach, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const STATUS_SUCCESS = 0;
const STATUS_INFO_LENGTH_MISMATCH = 0xc000_0004;
const STATUS_INVALID_INFO_CLASS = 0xc000_0003;

let w: Win32;
beforeEach(() => {
  w = win32();
});

const query = (cls: number, size: number) => {
  const buf = w.buf(Math.max(size, 4));
  const len = w.buf(4);
  w.cpu.mem.setU32(len, 0xdead);
  const status = w.nt('NtQuerySystemInformation', cls, buf, size, len) >>> 0;
  return { status, buf, returned: w.u32(len) };
};

test('SystemBasicInformation (0) wants exactly 44 bytes: page size, allocation granularity, user range, one processor', () => {
  expect(query(0, 40)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 44 });
  expect(query(0, 0x1000)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 44 });
  const r = query(0, 44);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: 44 });
  expect([w.u32(r.buf + 8), w.u32(r.buf + 24), w.u32(r.buf + 28), w.u32(r.buf + 32), w.cpu.mem.u8(r.buf + 40)]).toEqual([0x1000, 0x1_0000, 0x1_0000, 0x7ffe_ffff, 1]);
});

test('SystemPerformanceInformation (2): at least 312 bytes; available pages and the commit limit from the guest RAM', () => {
  expect(query(2, 311)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 312 });
  const r = query(2, 4096);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: 312 });
  const ramPages = w.p.mem.ramSize / 0x1000;
  const available = w.u32(r.buf + 0x2c);
  const committed = w.u32(r.buf + 0x30);
  expect(w.u32(r.buf + 0x34)).toBe(ramPages); // CommitLimit
  expect(available + committed).toBe(ramPages);
  expect(committed).toBeGreaterThan(0); // the loader and the heap use pages
});

test('SystemTimeOfDayInformation (3): at most 48 bytes, a shorter buffer gets the first fields; boot time before now', () => {
  expect(query(3, 49)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 48 });
  const r = query(3, 48);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: 48 });
  const boot = w.cpu.mem.u64(r.buf);
  const now = w.cpu.mem.u64(r.buf + 8);
  const hostNow = BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n;
  expect(Number(hostNow - now)).toBeLessThan(10_000_000); // within a second of the host clock
  expect(boot < now).toBe(true);
  expect(w.cpu.mem.u64(r.buf + 16)).toBe(0n); // UTC: no bias
  const short = query(3, 16);
  expect(short).toMatchObject({ status: STATUS_SUCCESS, returned: 16 });
});

test('SystemProcessInformation (5): Idle, System and the guest process with its thread, linked by NextEntryOffset', () => {
  const small = query(5, 64);
  expect(small.status).toBe(STATUS_INFO_LENGTH_MISMATCH);
  const need = small.returned;
  // Three 0xB8-byte records, one thread record (0x40) each for Idle and the guest, two UTF-16 names.
  expect(need).toBe(3 * 0xb8 + 2 * 0x40 + ('System'.length + 1) * 2 + ('host.exe'.length + 1) * 2);
  const r = query(5, need);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: need });
  const records: { pid: number; threads: number; name: string; at: number }[] = [];
  for (let at = r.buf; ; ) {
    const nameLen = w.cpu.mem.u16(at + 0x38);
    const namePtr = w.u32(at + 0x3c);
    records.push({ pid: w.u32(at + 0x44), threads: w.u32(at + 4), name: nameLen ? w.readWStr(namePtr) : '', at });
    if (nameLen) expect(namePtr >= r.buf && namePtr < r.buf + need).toBe(true); // the name lives in the buffer
    const next = w.u32(at);
    if (next === 0) break;
    at += next;
  }
  expect(records.map(({ pid, threads, name }) => ({ pid, threads, name }))).toEqual([
    { pid: 0, threads: 1, name: '' },
    { pid: 4, threads: 0, name: 'System' },
    { pid: w.call('kernel32.dll', 'GetCurrentProcessId'), threads: 1, name: 'host.exe' },
  ]);
  const guestThread = records[2]!.at + 0xb8;
  expect(w.u32(guestThread + 0x20)).toBe(records[2]!.pid); // ClientId.UniqueProcess
  expect(w.u32(guestThread + 0x24)).toBe(w.call('kernel32.dll', 'GetCurrentThreadId')); // ClientId.UniqueThread
});

test('SystemProcessorPerformanceInformation (8), SystemInterruptInformation (23): one processor', () => {
  expect(query(8, 47).status).toBe(STATUS_INFO_LENGTH_MISMATCH);
  expect(query(8, 4096)).toMatchObject({ status: STATUS_SUCCESS, returned: 48 });
  expect(query(23, 4096)).toMatchObject({ status: STATUS_SUCCESS, returned: 24 });
});

test('SystemExceptionInformation (33): no exception dispatched yet; SystemRegistryQuotaInformation (37)', () => {
  const r = query(33, 16);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: 16 });
  expect(w.u32(r.buf + 4)).toBe(0);
  expect(query(37, 4096)).toMatchObject({ status: STATUS_SUCCESS, returned: 12 });
});

test('SystemCodeIntegrityInformation (103): the caller sets Length = 8; enabled', () => {
  const buf = w.buf(8);
  w.cpu.mem.setU32(buf, 8);
  expect(w.nt('NtQuerySystemInformation', 103, buf, 8, 0) >>> 0).toBe(STATUS_SUCCESS);
  expect(w.u32(buf + 4)).toBe(1); // CODEINTEGRITY_OPTION_ENABLED
});

test('undocumented or unsupported classes are STATUS_INVALID_INFO_CLASS; ZwQuerySystemInformation is the same function', () => {
  expect(query(1, 4096).status).toBe(STATUS_INVALID_INFO_CLASS);
  expect(query(200, 4096).status).toBe(STATUS_INVALID_INFO_CLASS);
  const len = w.buf(4);
  expect(w.nt('ZwQuerySystemInformation', 0, w.buf(44), 44, len)).toBe(STATUS_SUCCESS);
});

test('NtPowerInformation: on AC power without a battery, one processor at 1000 MHz; small buffers and policy levels refused', () => {
  const out = w.buf(64);
  expect(w.nt('NtPowerInformation', 5, 0, 0, out, 32)).toBe(STATUS_SUCCESS);
  expect([w.cpu.mem.u8(out), w.cpu.mem.u8(out + 1)]).toEqual([1, 0]); // AcOnLine, BatteryPresent
  expect(w.nt('NtPowerInformation', 11, 0, 0, out, 24)).toBe(STATUS_SUCCESS);
  expect([w.u32(out), w.u32(out + 4), w.u32(out + 8)]).toEqual([0, 1000, 1000]); // Number, MaxMhz, CurrentMhz
  expect(w.nt('NtPowerInformation', 11, 0, 0, out, 23) >>> 0).toBe(0xc000_0023); // STATUS_BUFFER_TOO_SMALL
  expect(w.nt('NtPowerInformation', 12, 0, 0, out, 16)).toBe(STATUS_SUCCESS);
  expect(w.nt('NtPowerInformation', 0, 0, 0, out, 64) >>> 0).toBe(0xc000_00bb); // SystemPowerPolicyAc: STATUS_NOT_SUPPORTED
});
