// ntdll's compiler helpers for 64-bit arithmetic, called as MSVC-built code calls them: the division and
// multiplication helpers are stdcall with two 64-bit stack arguments and return EDX:EAX; the shifts take
// the value in EDX:EAX and the count in CL. Plus the Rtl memory and last-error functions.
import { beforeAll, describe, expect, test } from 'vitest';
import { GuestFaultError } from '../../emulator/errors.js';
import { PROT } from '../../emulator/memory.js';
import { win32, type Win32 } from '../helpers/win32.js';

let w: Win32;
let viaRegisters: number;
beforeAll(() => {
  w = win32();
  // mov eax,[esp+4]; mov edx,[esp+8]; mov ecx,[esp+12]; call [esp+16]; ret
  const code = [0x8b, 0x44, 0x24, 0x04, 0x8b, 0x54, 0x24, 0x08, 0x8b, 0x4c, 0x24, 0x0c, 0xff, 0x54, 0x24, 0x10, 0xc3];
  viaRegisters = w.cpu.mem.map(0x1000, PROT.rwx);
  w.cpu.mem.write(viaRegisters, Uint8Array.from(code));
});

const MASK = (1n << 64n) - 1n;
const u64 = (v: bigint) => v & MASK;
const i64 = (v: bigint) => BigInt.asIntN(64, v);

/** 64-bit values spread over the whole range: small, around 2^32 and 2^53, huge, negative. */
function operands(n: number): bigint[] {
  let x = 0x9e3779b97f4a7c15n;
  const next = () => {
    x ^= (x << 13n) & MASK;
    x ^= x >> 7n;
    x ^= (x << 17n) & MASK;
    return x;
  };
  const out: bigint[] = [0n, 1n, -1n, 7n, -7n, 2n, 0xffff_ffffn, 0x1_0000_0000n, (1n << 53n) + 1n, -(1n << 53n) - 3n, (1n << 63n) - 1n, -(1n << 63n)];
  while (out.length < n) {
    const r = next();
    const bits = BigInt(Number(r & 63n) + 1);
    out.push(i64(r >> (64n - bits)) * (r & 1n ? -1n : 1n));
  }
  return out;
}

/** C's truncating division, written out by sign and magnitude. */
function cDiv(a: bigint, b: bigint): bigint {
  const q = (a < 0n ? -a : a) / (b < 0n ? -b : b);
  return (a < 0n) !== (b < 0n) ? -q : q;
}
const cRem = (a: bigint, b: bigint) => a - cDiv(a, b) * b;

function call64(name: string, a: bigint, b: bigint): bigint {
  w.nt(name, a, b);
  // stdcall: the helper popped both 8-byte arguments.
  expect(w.cpu.returned.esp).toBe(w.p.currentThread.stackBase - 16);
  return w.edxEax;
}

describe('division and multiplication helpers (stdcall, EDX:EAX)', () => {
  const pairs = operands(40).flatMap((a, i, all) => all.slice(i % 7, (i % 7) + 5).map((b) => [a, b] as const)).slice(0, 200);

  test('_alldiv and _allrem truncate toward zero, as C does', () => {
    for (const [a, b] of pairs) {
      if (b === 0n) continue;
      const q = i64(cDiv(a, b)); // INT64_MIN / -1 wraps to INT64_MIN
      expect(i64(call64('_alldiv', a, b)), `${a} / ${b}`).toBe(q);
      expect(i64(call64('_allrem', a, b)), `${a} % ${b}`).toBe(cRem(a, b));
    }
    expect(i64(call64('_alldiv', -7n, 2n))).toBe(-3n);
    expect(i64(call64('_allrem', -7n, 2n))).toBe(-1n);
    expect(i64(call64('_allrem', 7n, -2n))).toBe(1n);
  });

  test('_aulldiv and _aullrem treat both operands as unsigned', () => {
    for (const [a, b] of pairs) {
      const [ua, ub] = [u64(a), u64(b)];
      if (ub === 0n) continue;
      expect(call64('_aulldiv', a, b), `${ua} / ${ub}`).toBe(ua / ub);
      expect(call64('_aullrem', a, b), `${ua} % ${ub}`).toBe(ua % ub);
    }
    expect(call64('_aulldiv', -1n, 2n)).toBe(0x7fff_ffff_ffff_ffffn);
  });

  test('_allmul keeps the low 64 bits of the product', () => {
    for (const [a, b] of pairs) expect(call64('_allmul', a, b), `${a} * ${b}`).toBe(u64(a * b));
    expect(call64('_allmul', 0x1_0000_0001n, 0x1_0000_0001n)).toBe(0x2_0000_0001n);
  });

  test('_alldvrm / _aulldvrm: quotient in EDX:EAX, remainder in EBX:ECX', () => {
    for (const [name, a, b, q, r] of [
      ['_alldvrm', -100n, 7n, -14n, -2n],
      ['_alldvrm', 1n << 62n, -3n, cDiv(1n << 62n, -3n), cRem(1n << 62n, -3n)],
      ['_aulldvrm', -1n, 10n, u64(-1n) / 10n, u64(-1n) % 10n],
    ] as const) {
      const quotient = call64(name, a, b);
      const remainder = (BigInt(w.cpu.get('ebx')) << 32n) | BigInt(w.cpu.get('ecx'));
      expect([quotient, remainder]).toEqual([u64(q), u64(r)]);
    }
  });

  test.each(['_alldiv', '_allrem', '_aulldiv', '_aullrem', '_alldvrm', '_aulldvrm'])('%s by zero raises STATUS_INTEGER_DIVIDE_BY_ZERO', (name) => {
    let err: unknown;
    try {
      w.nt(name, 5n, 0n);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuestFaultError);
    expect((err as GuestFaultError).exceptionCode).toBe(0xc000_0094);
    expect((err as GuestFaultError).vector).toBe(0);
    // Located at the helper's caller (here the host's return stub), as a #DE inside the helper would be.
    expect((err as GuestFaultError).eip).toBe(w.cpu.returnAddress);
    // The CPU is usable afterwards.
    expect(call64('_alldiv', 10n, 3n)).toBe(3n);
  });
});

describe('shift helpers (value in EDX:EAX, count in CL)', () => {
  function shift(name: string, v: bigint, count: number): bigint {
    const x = u64(v);
    w.p.callGuest(viaRegisters, 'cdecl', [Number(x & 0xffff_ffffn), Number(x >> 32n), count, w.addr('ntdll.dll', name)]);
    return w.edxEax;
  }
  const values = operands(30);
  const counts = [0, 1, 4, 31, 32, 33, 47, 63, 64, 100, 255];

  test('_allshl', () => {
    for (const v of values) for (const n of counts) expect(shift('_allshl', v, n), `${v} << ${n}`).toBe(n >= 64 ? 0n : u64(v << BigInt(n)));
  });
  test('_allshr is arithmetic (sign-filling)', () => {
    for (const v of values) for (const n of counts) expect(shift('_allshr', v, n), `${v} >> ${n}`).toBe(u64(i64(v) >> BigInt(Math.min(n, 63))));
  });
  test('_aullshr is logical (zero-filling)', () => {
    for (const v of values) for (const n of counts) expect(shift('_aullshr', v, n), `${u64(v)} >>> ${n}`).toBe(n >= 64 ? 0n : u64(v) >> BigInt(n));
  });
  test('only CL counts: the rest of ECX is ignored', () => {
    expect(shift('_allshl', 1n, 0x1234_5604)).toBe(16n);
  });
});

describe('Rtl memory and last-error functions', () => {
  test('RtlMoveMemory handles overlap; RtlFillMemory and RtlZeroMemory', () => {
    const b = w.bytes([1, 2, 3, 4, 5, 6, 7, 8]);
    w.nt('RtlMoveMemory', b + 2, b, 5);
    expect([...w.cpu.mem.read(b, 8)]).toEqual([1, 2, 1, 2, 3, 4, 5, 8]);
    w.nt('RtlMoveMemory', b, b + 3, 5);
    expect([...w.cpu.mem.read(b, 8)]).toEqual([2, 3, 4, 5, 8, 4, 5, 8]);
    w.nt('RtlFillMemory', b, 3, 0x1ab);
    expect([...w.cpu.mem.read(b, 4)]).toEqual([0xab, 0xab, 0xab, 5]);
    w.nt('RtlZeroMemory', b + 1, 6);
    expect([...w.cpu.mem.read(b, 8)]).toEqual([0xab, 0, 0, 0, 0, 0, 0, 8]);
    // kernel32 forwards its RtlZeroMemory to ntdll's.
    w.k32('RtlZeroMemory', b, 1);
    expect(w.cpu.mem.u8(b)).toBe(0);
  });

  test('RtlSetLastWin32Error / RtlGetLastWin32Error share the TEB field with SetLastError', () => {
    w.nt('RtlSetLastWin32Error', 1234);
    expect(w.k32('GetLastError')).toBe(1234);
    w.k32('SetLastError', 99);
    expect(w.nt('RtlGetLastWin32Error')).toBe(99);
  });
});
