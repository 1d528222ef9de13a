// Thread-local storage slots: TlsAlloc/TlsSetValue/TlsGetValue/TlsFree, stored in the TEB as on Windows.
import { beforeEach, expect, test } from 'vitest';
import { TEB } from '../../../thunks/process.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const TLS_OUT_OF_INDEXES = 0xffff_ffff;
const ERROR_INVALID_PARAMETER = 87;

let w: Win32;
beforeEach(() => {
  w = win32();
});

test('a slot holds a value; TlsGetValue clears the last error on success', () => {
  const i = w.k32('TlsAlloc');
  expect(i).toBeLessThan(64);
  expect(w.k32('TlsGetValue', i)).toBe(0); // a new slot is zero
  expect(w.k32('TlsSetValue', i, 0x1234_5678)).toBe(1);
  w.k32('SetLastError', 5);
  expect(w.k32('TlsGetValue', i)).toBe(0x1234_5678);
  expect(w.k32('GetLastError')).toBe(0);
  // The first 64 slots live in TEB.TlsSlots.
  expect(w.u32(w.p.currentThread.teb + TEB.tlsSlots + 4 * i)).toBe(0x1234_5678);
});

test('TlsFree clears the slot; Get/SetValue check only that the index is in range, as documented', () => {
  const i = w.k32('TlsAlloc');
  w.k32('TlsSetValue', i, 77);
  expect(w.k32('TlsFree', i)).toBe(1);
  w.k32('SetLastError', 5);
  expect(w.k32('TlsGetValue', i)).toBe(0); // "succeeds if dwTlsIndex is in the range 0 through 63"
  expect(w.lastError()).toBe(0);
  expect(w.k32('TlsFree', i)).toBe(0); // freeing twice is refused
  expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
  w.k32('SetLastError', 0);
  expect(w.k32('TlsGetValue', 1088)).toBe(0); // past the 64 + 1024 slots
  expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
  expect(w.k32('TlsSetValue', 5000, 1)).toBe(0);
  expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
  // An expansion slot this thread never set reads as 0.
  expect(w.k32('TlsGetValue', 1000)).toBe(0);
  expect(w.lastError()).toBe(0);
});

test('a reused slot starts at zero again', () => {
  const i = w.k32('TlsAlloc');
  w.k32('TlsSetValue', i, 99);
  w.k32('TlsFree', i);
  expect(w.k32('TlsAlloc')).toBe(i);
  expect(w.k32('TlsGetValue', i)).toBe(0);
});

test('1088 slots: 64 in the TEB, 1024 expansion slots, then TLS_OUT_OF_INDEXES', () => {
  const slots: number[] = [];
  for (;;) {
    const i = w.k32('TlsAlloc');
    if (i === TLS_OUT_OF_INDEXES) break;
    slots.push(i);
    expect(slots.length).toBeLessThanOrEqual(1088);
  }
  expect(slots.length).toBe(1088);
  expect(new Set(slots).size).toBe(1088);
  const high = slots.find((s) => s >= 64)!;
  expect(w.k32('TlsSetValue', high, 0xabc)).toBe(1);
  expect(w.k32('TlsGetValue', high)).toBe(0xabc);
  const expansion = w.u32(w.p.currentThread.teb + TEB.tlsExpansionSlots);
  expect(expansion).not.toBe(0);
  expect(w.u32(expansion + 4 * (high - 64))).toBe(0xabc);
});
