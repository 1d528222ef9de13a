// Acceptance tests against Debian's mingw runtime DLLs (gcc-mingw-w64-i686-win32-runtime, gcc 12):
// libgcc_s_dw2-1.dll's 64-bit division helpers against BigInt, and libstdc++-6.dll loading with
// every import bound and its DllMain run. The DLLs are fetched by `npm run fetch-dlls`.

import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import * as wowasm from '../../worker/index.js';
import { describeIfPresent, thirdPartyDll } from '../helpers/thirdparty.js';

const LIBGCC = thirdPartyDll('libgcc_s_dw2-1.dll');
const LIBSTDCXX = thirdPartyDll('libstdc++-6.dll');

const U64 = (1n << 64n) - 1n;
const asSigned = (v: bigint): bigint => BigInt.asIntN(64, v);

/** 1,000 random pairs, with the shapes that take different paths in the helpers mixed in. */
function pairs(): [bigint, bigint][] {
  const out: [bigint, bigint][] = [];
  const r64 = () => randomBytes(8).readBigUInt64LE();
  for (let i = 0; i < 1000; i++) {
    let a = r64();
    let b = r64();
    switch (i % 5) {
      case 1: b >>= 33n; break; // 31-bit divisor: the one-word fast path
      case 2: a >>= 32n; break; // dividend smaller than the divisor (mostly)
      case 3: b >>= BigInt(i % 63); break; // every divisor width
      case 4: a = b * (r64() & 0xffn) + (r64() % (b === 0n ? 1n : b)); break; // small quotients
    }
    if (b === 0n) b = 1n;
    out.push([a & U64, b]);
  }
  out.push([U64, 1n], [U64, U64], [0n, 3n], [1n << 63n, U64], [1n << 63n, 1n]); // edges (INT64_MIN / -1 excluded: UB in C)
  return out;
}

describeIfPresent(LIBGCC, 'libgcc_s_dw2-1.dll', () => {
  // C's / truncates toward zero and % takes the dividend's sign: BigInt's / and % do the same.
  test('__udivdi3, __umoddi3, __divdi3, __moddi3 equal BigInt on 1,000 random pairs', () => {
    const lib = wowasm.loadSync(LIBGCC);
    try {
      const udiv = lib.func('unsigned long long __udivdi3(unsigned long long a, unsigned long long b)');
      const umod = lib.func('unsigned long long __umoddi3(unsigned long long a, unsigned long long b)');
      const sdiv = lib.func('long long __divdi3(long long a, long long b)');
      const smod = lib.func('long long __moddi3(long long a, long long b)');
      let checked = 0;
      for (const [a, b] of pairs()) {
        expect(udiv(a, b), `${a} / ${b}`).toBe(a / b);
        expect(umod(a, b), `${a} % ${b}`).toBe(a % b);
        const sa = asSigned(a);
        const sb = asSigned(b);
        if (sa === -(1n << 63n) && sb === -1n) continue;
        expect(sdiv(sa, sb), `${sa} / ${sb}`).toBe(sa / sb);
        expect(smod(sa, sb), `${sa} % ${sb}`).toBe(sa % sb);
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(1000);
    } finally {
      lib.close();
    }
  });

  test('a division by zero reaches the host as EXCEPTION_INT_DIVIDE_BY_ZERO at its libgcc address', () => {
    const lib = wowasm.loadSync(LIBGCC);
    try {
      const udiv = lib.func('unsigned long long __udivdi3(unsigned long long a, unsigned long long b)');
      let fault: unknown;
      try {
        udiv(5n, 0n);
      } catch (e) {
        fault = e;
      }
      expect(fault).toBeInstanceOf(wowasm.GuestFaultError);
      const f = fault as InstanceType<typeof wowasm.GuestFaultError>;
      expect(f.exceptionCode).toBe(0xc0000094); // EXCEPTION_INT_DIVIDE_BY_ZERO
      expect(f.message).toMatch(/^integer division by zero at libgcc_s_dw2-1\.dll\+0x[0-9a-f]+/);
      // The library stays usable after the fault.
      expect(udiv(10n, 3n)).toBe(3n);
    } finally {
      lib.close();
    }
  });
});

describeIfPresent(LIBSTDCXX, 'libstdc++-6.dll', () => {
  test('loads with every import bound (libgcc_s_dw2-1.dll from its folder) and DllMain succeeds', () => {
    const lib = wowasm.loadSync(LIBSTDCXX);
    try {
      const modules = lib.modules.map((m) => m.name.toLowerCase());
      expect(modules).toContain('libgcc_s_dw2-1.dll');
      expect(modules).toContain('libstdc++-6.dll');
      // No import of either DLL is left bound to a missing-function trap.
      expect(lib.unimplementedImports).toEqual([]);
    } finally {
      lib.close();
    }
  });
});
