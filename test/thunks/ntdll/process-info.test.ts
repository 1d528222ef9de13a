// NtQueryInformationProcess on the guest's own process: a 32-bit process on 32-bit Windows with no
// debugger, each class with its exact (or minimum) length.
import { beforeEach, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

const CURRENT_PROCESS = -1;
const STATUS_SUCCESS = 0;
const STATUS_INFO_LENGTH_MISMATCH = 0xc000_0004;

let w: Win32;
beforeEach(() => {
  w = win32();
});

const query = (cls: number, size: number, handle = CURRENT_PROCESS) => {
  const buf = w.buf(Math.max(size, 4));
  const len = w.buf(4);
  const status = w.nt('NtQueryInformationProcess', handle, cls, buf, size, len) >>> 0;
  return { status, buf, returned: w.u32(len) };
};

test('ProcessBasicInformation (0): still running, the PEB the TEB points at, this process id', () => {
  expect(query(0, 28)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 24 });
  const r = query(0, 24);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: 24 });
  const teb = w.p.currentThread.teb;
  expect(w.u32(r.buf)).toBe(0x103); // STATUS_PENDING
  expect(w.u32(r.buf + 4)).toBe(w.u32(teb + 0x30)); // PebBaseAddress = TEB.ProcessEnvironmentBlock
  expect(w.u32(r.buf + 16)).toBe(w.call('kernel32.dll', 'GetCurrentProcessId'));
});

test('debugger probes: ProcessDebugPort 0, ProcessDebugObjectHandle STATUS_PORT_NOT_SET, ProcessDebugFlags 1; not WOW64', () => {
  expect(query(7, 4)).toMatchObject({ status: STATUS_SUCCESS });
  expect(w.u32(query(7, 4).buf)).toBe(0);
  expect(query(30, 4).status).toBe(0xc000_0353);
  const flags = query(31, 4);
  expect(w.u32(flags.buf)).toBe(1);
  const wow = query(26, 4);
  expect(wow.status).toBe(STATUS_SUCCESS);
  expect(w.u32(wow.buf)).toBe(0);
});

test('ProcessImageFileName (27): a UNICODE_STRING with the NT path of the EXE, in the same buffer', () => {
  const expected = '\\Device\\HarddiskVolume1\\wowasm\\host.exe';
  const need = 8 + 2 * expected.length + 2;
  expect(query(27, 16)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: need });
  const r = query(27, 512);
  expect(r).toMatchObject({ status: STATUS_SUCCESS, returned: need });
  expect(w.cpu.mem.u16(r.buf)).toBe(2 * expected.length);
  expect(w.u32(r.buf + 4)).toBe(r.buf + 8);
  expect(w.readWStr(r.buf + 8)).toBe(expected);
});

test('ProcessTimes (4) and ProcessHandleCount (20); VM counters in both sizes', () => {
  const t = query(4, 32);
  expect(t).toMatchObject({ status: STATUS_SUCCESS, returned: 32 });
  const created = w.cpu.mem.u64(t.buf);
  const now = BigInt(Date.now()) * 10_000n + 116_444_736_000_000_000n;
  expect(created <= now && now - created < 600_000_000n).toBe(true); // created within the last minute
  expect(w.cpu.mem.u64(t.buf + 8)).toBe(0n); // no exit time
  const before = w.u32(query(20, 4).buf);
  const ev = w.call('kernel32.dll', 'CreateEventA', [0, 1, 0, 0]);
  expect(ev).not.toBe(0);
  expect(w.u32(query(20, 4).buf)).toBe(before + 1);
  expect(query(3, 44).status).toBe(STATUS_SUCCESS);
  expect(query(3, 48).status).toBe(STATUS_SUCCESS);
  expect(query(3, 40)).toMatchObject({ status: STATUS_INFO_LENGTH_MISMATCH, returned: 44 });
});

test('handles: another kind of object is a type mismatch, a bad handle is invalid; unknown classes refused', () => {
  const ev = w.call('kernel32.dll', 'CreateEventA', [0, 1, 0, 0]);
  expect(query(0, 24, ev).status).toBe(0xc000_0024); // STATUS_OBJECT_TYPE_MISMATCH
  expect(query(0, 24, 0x1234).status).toBe(0xc000_0008); // STATUS_INVALID_HANDLE
  const own = w.call('kernel32.dll', 'OpenProcess', [0x1000, 0, w.call('kernel32.dll', 'GetCurrentProcessId')]);
  expect(query(0, 24, own).status).toBe(STATUS_SUCCESS);
  expect(query(1, 64).status).toBe(0xc000_0003); // ProcessQuotaLimits: STATUS_INVALID_INFO_CLASS
});
