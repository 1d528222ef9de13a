// Fiber-local storage (with guest callbacks on FlsFree and at thread exit) and pointer encoding.
import { beforeEach, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { flsThreadExit } from '../../../thunks/kernel32/fls.js';
import { win32, type Win32 } from '../../helpers/win32.js';
import { le32 } from '../../helpers/x86.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** void WINAPI callback(void *data): appends data to a log { count; entries[] }. Returns [callback, log]. */
function loggingCallback(): [number, number] {
  const log = w.buf(64);
  const code = w.cpu.mem.map(0x1000, PROT.rwx);
  // prettier-ignore
  w.cpu.mem.write(code, Uint8Array.from([
    0x8b, 0x44, 0x24, 0x04, // mov eax,[esp+4]
    0x8b, 0x0d, ...le32(log), // mov ecx,[log]
    0x89, 0x04, 0x8d, ...le32(log + 4), // mov [log+4+ecx*4],eax
    0x41, // inc ecx
    0x89, 0x0d, ...le32(log), // mov [log],ecx
    0xc2, 0x04, 0x00, // ret 4
  ]));
  return [code, log];
}
const logged = (log: number) => Array.from({ length: w.u32(log) }, (_, i) => w.u32(log + 4 + 4 * i));

test('slots: values per slot, GetValue clears the last error, bad indexes fail with ERROR_INVALID_PARAMETER', () => {
  const a = w.k32('FlsAlloc', 0);
  const b = w.k32('FlsAlloc', 0);
  expect(b).not.toBe(a);
  expect(w.k32('FlsSetValue', a, 0x1111)).toBe(1);
  expect(w.k32('FlsSetValue', b, 0x2222)).toBe(1);
  w.k32('SetLastError', 5);
  expect(w.k32('FlsGetValue', a)).toBe(0x1111);
  expect(w.lastError()).toBe(0);
  expect(w.k32('FlsGetValue', b)).toBe(0x2222);
  expect(w.k32('FlsGetValue', 4000)).toBe(0); // in range but never allocated
  expect(w.lastError()).toBe(87);
  expect(w.k32('FlsSetValue', 0xffff_ffff, 1)).toBe(0);
  expect(w.lastError()).toBe(87);
  expect(w.k32('FlsFree', b)).toBe(1);
  expect(w.k32('FlsFree', b)).toBe(0);
  expect(w.lastError()).toBe(87);
  // A slot handed out again starts empty.
  expect(w.k32('FlsAlloc', 0)).toBe(b);
  expect(w.k32('FlsGetValue', b)).toBe(0);
});

test('FlsFree runs the callback with the slot value (not for NULL values)', () => {
  const [cb, log] = loggingCallback();
  const a = w.k32('FlsAlloc', cb);
  const empty = w.k32('FlsAlloc', cb);
  w.k32('FlsSetValue', a, 0xabcd);
  expect(w.k32('FlsFree', a)).toBe(1);
  expect(w.k32('FlsFree', empty)).toBe(1);
  expect(logged(log)).toEqual([0xabcd]);
});

test('a thread ending runs the callbacks of its non-NULL slots', () => {
  const [cb, log] = loggingCallback();
  const a = w.k32('FlsAlloc', cb);
  const b = w.k32('FlsAlloc', cb);
  const c = w.k32('FlsAlloc', 0);
  w.k32('FlsSetValue', a, 0x10);
  w.k32('FlsSetValue', b, 0x20);
  w.k32('FlsSetValue', c, 0x30);
  flsThreadExit(w.p, w.p.currentThread);
  expect(logged(log)).toEqual([0x10, 0x20]);
  expect(w.k32('FlsGetValue', a)).toBe(0);
});

test('running out of slots: FLS_OUT_OF_INDEXES with ERROR_NO_MORE_ITEMS', () => {
  let last = 0;
  for (let i = 0; i < 4080; i++) last = w.k32('FlsAlloc', 0);
  expect(last).toBe(4079);
  expect(w.k32('FlsAlloc', 0)).toBe(0xffff_ffff);
  expect(w.lastError()).toBe(259);
});

test('EncodePointer/DecodePointer round-trip and change the value; the system variant uses another cookie', () => {
  for (const v of [0, 1, 0x1234_5678, 0xffff_ffff, 0x7ffe_0000]) {
    const e = w.k32('EncodePointer', v);
    expect(e).not.toBe(v);
    expect(w.k32('DecodePointer', e)).toBe(v);
    const s = w.k32('EncodeSystemPointer', v);
    expect(w.k32('DecodeSystemPointer', s)).toBe(v);
  }
  expect(w.nt('RtlDecodePointer', w.k32('EncodePointer', 0x4000_1000))).toBe(0x4000_1000);
  const out = w.buf(4);
  expect(w.k32('EncodeRemotePointer', 0xffff_ffff, 0x5000, out)).toBe(0); // S_OK for this process
  expect(w.u32(out)).toBe(w.k32('EncodePointer', 0x5000));
  expect(w.k32('DecodeRemotePointer', 0xffff_ffff, w.u32(out), out)).toBe(0);
  expect(w.u32(out)).toBe(0x5000);
  expect(w.k32('EncodeRemotePointer', 0x1234, 0x5000, out)).toBe(0x8007_0057); // E_INVALIDARG
});

test('two processes encode differently (each has its own cookie)', () => {
  const other = win32();
  const v = 0x0040_1000;
  const mine = w.k32('EncodePointer', v);
  const theirs = other.k32('EncodePointer', v);
  // Equal only if both random cookies agree; 2^-32.
  expect(mine).not.toBe(theirs);
});

test('a guest thread that ends runs the FLS callback for its value (and only its own)', () => {
  const [cb, log] = loggingCallback();
  const slot = w.k32('FlsAlloc', cb);
  w.k32('FlsSetValue', slot, 0x1111); // the main thread's value stays
  // DWORD WINAPI proc(void *param): FlsSetValue(slot, param); return 0;
  const code = w.cpu.mem.map(0x1000, PROT.rwx);
  // prettier-ignore
  w.cpu.mem.write(code, Uint8Array.from([
    0x8b, 0x44, 0x24, 0x04, // mov eax,[esp+4]
    0x50, // push eax
    0x68, ...le32(slot), // push slot
    0xb8, ...le32(w.addr('kernel32.dll', 'FlsSetValue')), // mov eax, FlsSetValue
    0xff, 0xd0, // call eax
    0x31, 0xc0, // xor eax,eax
    0xc2, 0x04, 0x00, // ret 4
  ]));
  const h = w.k32('CreateThread', 0, 0, code, 0x2222, 0, 0);
  expect(h).not.toBe(0);
  expect(w.k32('WaitForSingleObject', h, 0xffff_ffff)).toBe(0);
  expect(logged(log)).toEqual([0x2222]);
  expect(w.k32('FlsGetValue', slot)).toBe(0x1111);
});
