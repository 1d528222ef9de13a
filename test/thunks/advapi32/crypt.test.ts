// Cryptographic random numbers as guest code asks for them: RtlGenRandom (advapi32!SystemFunction036),
// CryptoAPI (CryptAcquireContext/CryptGenRandom), CNG (bcrypt!BCryptGenRandom) and ProcessPrng.
// Error codes are those of the SDK headers (winerror.h, ntstatus.h) and Microsoft's documentation.
import { beforeEach, describe, expect, test } from 'vitest';
import { UnimplementedApiError } from '../../../thunks/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const PROV_RSA_FULL = 1;
const PROV_RSA_AES = 24;
const CRYPT_VERIFYCONTEXT = 0xf000_0000;
const CRYPT_NEWKEYSET = 0x8;
const CRYPT_DELETEKEYSET = 0x10;
const MS_ENH_RSA_AES_PROV = 'Microsoft Enhanced RSA and AES Cryptographic Provider';
const MS_DEF_PROV = 'Microsoft Base Cryptographic Provider v1.0';

const ERROR_INVALID_HANDLE = 6;
const ERROR_INVALID_PARAMETER = 87;
const NTE_BAD_UID = 0x8009_0001;
const NTE_BAD_FLAGS = 0x8009_0009;
const NTE_EXISTS = 0x8009_000f;
const NTE_BAD_PROV_TYPE = 0x8009_0014;
const NTE_BAD_KEYSET = 0x8009_0016;
const NTE_PROV_TYPE_NOT_DEF = 0x8009_0017;
const NTE_KEYSET_NOT_DEF = 0x8009_0019;
const NTE_PROV_TYPE_NO_MATCH = 0x8009_001b;

const STATUS_SUCCESS = 0;
const STATUS_INVALID_HANDLE = 0xc000_0008;
const STATUS_INVALID_PARAMETER = 0xc000_000d;
const STATUS_NOT_FOUND = 0xc000_0225;
const BCRYPT_USE_SYSTEM_PREFERRED_RNG = 2;
const BCRYPT_RNG_ALG_HANDLE = 0x81;

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** A guest buffer of `n` bytes filled with 0xAA, and a reader for it. */
function marked(n: number): { at: number; bytes: () => number[] } {
  const at = w.buf(n + 4);
  w.cpu.mem.fill(at, 0xaa, n + 4);
  return { at, bytes: () => Array.from(w.cpu.mem.read(at, n + 4)) };
}

/** Random bytes: not the fill pattern, different each time, nothing written past the end. */
function expectRandom(draw: (at: number, n: number) => void): void {
  const a = marked(32);
  const b = marked(32);
  draw(a.at, 32);
  draw(b.at, 32);
  expect(a.bytes().slice(32)).toEqual([0xaa, 0xaa, 0xaa, 0xaa]);
  expect(a.bytes().slice(0, 32)).not.toEqual(b.bytes().slice(0, 32));
  expect(new Set(a.bytes().slice(0, 32)).size).toBeGreaterThan(8);
  // 64 KiB take nearly every byte value.
  const big = w.buf(0x1_0000);
  draw(big, 0x1_0000);
  expect(new Set(w.cpu.mem.read(big, 0x1_0000)).size).toBeGreaterThan(250);
}

function acquire(container: string | null, provider: string | null, type: number, flags: number): { ok: number; h: number; error: number } {
  const ph = w.buf(4);
  w.p.setLastError(0);
  const ok = w.adv('CryptAcquireContextA', ph, container === null ? 0 : w.str(container), provider === null ? 0 : w.str(provider), type, flags);
  return { ok, h: w.u32(ph), error: w.lastError() };
}

describe('advapi32', () => {
  test('SystemFunction036 (RtlGenRandom) fills the buffer and returns TRUE; a length of 0 writes nothing', () => {
    expectRandom((at, n) => expect(w.adv('SystemFunction036', at, n)).toBe(1));
    const m = marked(4);
    expect(w.adv('SystemFunction036', m.at, 0)).toBe(1);
    expect(w.adv('SystemFunction036', 0, 0)).toBe(1);
    expect(m.bytes()).toEqual(Array(8).fill(0xaa));
  });

  test('CryptAcquireContext(CRYPT_VERIFYCONTEXT) + CryptGenRandom + CryptReleaseContext', () => {
    const { ok, h } = acquire(null, null, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT);
    expect(ok).toBe(1);
    expect(h).not.toBe(0);
    expectRandom((at, n) => expect(w.adv('CryptGenRandom', h, n, at)).toBe(1));
    expect(w.adv('CryptGenRandom', h, 0, 0)).toBe(1);
    expect(w.adv('CryptReleaseContext', h, 0)).toBe(1);
    // The handle is gone.
    expect(w.adv('CryptGenRandom', h, 4, w.buf(4))).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('CryptReleaseContext', h, 0)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    expect(w.adv('CryptReleaseContext', 0, 0)).toBe(0);
    expect(w.lastError()).toBe(NTE_BAD_UID);
    expect(w.adv('CryptGenRandom', 0, 4, w.buf(4))).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_HANDLE);
  });

  test('CryptReleaseContext with flags releases the context but fails with NTE_BAD_FLAGS', () => {
    const { h } = acquire(null, null, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT);
    expect(w.adv('CryptReleaseContext', h, 1)).toBe(0);
    expect(w.lastError()).toBe(NTE_BAD_FLAGS);
    expect(w.adv('CryptGenRandom', h, 4, w.buf(4))).toBe(0);
  });

  test('providers: by name and type, and the errors for a wrong one', () => {
    expect(acquire(null, MS_ENH_RSA_AES_PROV, PROV_RSA_AES, CRYPT_VERIFYCONTEXT).ok).toBe(1);
    expect(acquire(null, MS_DEF_PROV, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT).ok).toBe(1);
    expect(acquire(null, null, PROV_RSA_AES, CRYPT_VERIFYCONTEXT).ok).toBe(1);
    expect(acquire(null, MS_ENH_RSA_AES_PROV, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT)).toMatchObject({ ok: 0, error: NTE_PROV_TYPE_NO_MATCH });
    expect(acquire(null, 'No Such Provider', PROV_RSA_FULL, CRYPT_VERIFYCONTEXT)).toMatchObject({ ok: 0, error: NTE_KEYSET_NOT_DEF });
    expect(acquire(null, null, 0, CRYPT_VERIFYCONTEXT)).toMatchObject({ ok: 0, error: NTE_BAD_PROV_TYPE });
    expect(acquire(null, null, 999, CRYPT_VERIFYCONTEXT)).toMatchObject({ ok: 0, error: NTE_PROV_TYPE_NOT_DEF });
    expect(acquire(null, null, PROV_RSA_FULL, 0x4)).toMatchObject({ ok: 0, error: NTE_BAD_FLAGS });
    expect(w.adv('CryptAcquireContextW', 0, 0, 0, PROV_RSA_FULL, CRYPT_VERIFYCONTEXT)).toBe(0);
    expect(w.lastError()).toBe(ERROR_INVALID_PARAMETER);
    const ph = w.buf(4);
    expect(w.adv('CryptAcquireContextW', ph, 0, w.wstr(MS_ENH_RSA_AES_PROV), PROV_RSA_AES, CRYPT_VERIFYCONTEXT)).toBe(1);
  });

  test('key containers: none at first, CRYPT_NEWKEYSET makes one, CRYPT_DELETEKEYSET removes it', () => {
    expect(acquire(null, null, PROV_RSA_FULL, 0)).toMatchObject({ ok: 0, error: NTE_BAD_KEYSET });
    expect(acquire(null, null, PROV_RSA_FULL, CRYPT_NEWKEYSET).ok).toBe(1);
    expect(acquire(null, null, PROV_RSA_FULL, CRYPT_NEWKEYSET)).toMatchObject({ ok: 0, error: NTE_EXISTS });
    expect(acquire(null, null, PROV_RSA_FULL, 0).ok).toBe(1);
    expect(acquire('other', null, PROV_RSA_FULL, 0)).toMatchObject({ ok: 0, error: NTE_BAD_KEYSET });
    expect(acquire(null, null, PROV_RSA_FULL, CRYPT_DELETEKEYSET).ok).toBe(1);
    expect(acquire(null, null, PROV_RSA_FULL, 0)).toMatchObject({ ok: 0, error: NTE_BAD_KEYSET });
    expect(acquire(null, null, PROV_RSA_FULL, CRYPT_DELETEKEYSET)).toMatchObject({ ok: 0, error: NTE_BAD_KEYSET });
  });
});

describe('bcrypt and bcryptprimitives', () => {
  const bc = (name: string, ...args: number[]) => w.call('bcrypt.dll', name, args);

  test('BCryptGenRandom with the system-preferred RNG (the handle must then be NULL)', () => {
    expectRandom((at, n) => expect(bc('BCryptGenRandom', 0, at, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)).toBe(STATUS_SUCCESS));
    expect(bc('BCryptGenRandom', 0, w.buf(4), 4, 0)).toBe(STATUS_INVALID_HANDLE);
    expect(bc('BCryptGenRandom', 0, 0, 4, BCRYPT_USE_SYSTEM_PREFERRED_RNG)).toBe(STATUS_INVALID_PARAMETER);
    expect(bc('BCryptGenRandom', 0, w.buf(4), 4, 0x100)).toBe(STATUS_INVALID_PARAMETER);
    const m = marked(4);
    expect(bc('BCryptGenRandom', 0, m.at, 0, BCRYPT_USE_SYSTEM_PREFERRED_RNG)).toBe(STATUS_SUCCESS);
    expect(m.bytes()).toEqual(Array(8).fill(0xaa));
  });

  test('BCryptGenRandom with BCRYPT_RNG_ALG_HANDLE or a handle from BCryptOpenAlgorithmProvider(RNG)', () => {
    expectRandom((at, n) => expect(bc('BCryptGenRandom', BCRYPT_RNG_ALG_HANDLE, at, n, 0)).toBe(STATUS_SUCCESS));
    const ph = w.buf(4);
    expect(bc('BCryptOpenAlgorithmProvider', ph, w.wstr('RNG'), 0, 0)).toBe(STATUS_SUCCESS);
    const h = w.u32(ph);
    expect(h).not.toBe(0);
    expectRandom((at, n) => expect(bc('BCryptGenRandom', h, at, n, 0)).toBe(STATUS_SUCCESS));
    expect(bc('BCryptGenRandom', h, w.buf(4), 4, BCRYPT_USE_SYSTEM_PREFERRED_RNG)).toBe(STATUS_INVALID_PARAMETER);
    expect(bc('BCryptCloseAlgorithmProvider', h, 0)).toBe(STATUS_SUCCESS);
    expect(bc('BCryptCloseAlgorithmProvider', h, 0)).toBe(STATUS_INVALID_HANDLE);
    expect(bc('BCryptGenRandom', h, w.buf(4), 4, 0)).toBe(STATUS_INVALID_HANDLE);
    // The primitive provider by name works; another provider or an unknown algorithm is not found.
    expect(bc('BCryptOpenAlgorithmProvider', ph, w.wstr('RNG'), w.wstr('Microsoft Primitive Provider'), 0)).toBe(STATUS_SUCCESS);
    expect(bc('BCryptOpenAlgorithmProvider', ph, w.wstr('RNG'), w.wstr('Some Other Provider'), 0)).toBe(STATUS_NOT_FOUND);
    expect(bc('BCryptOpenAlgorithmProvider', ph, w.wstr('NOT-AN-ALGORITHM'), 0, 0)).toBe(STATUS_NOT_FOUND);
    expect(bc('BCryptOpenAlgorithmProvider', 0, w.wstr('RNG'), 0, 0)).toBe(STATUS_INVALID_PARAMETER);
    expect(bc('BCryptOpenAlgorithmProvider', ph, 0, 0, 0)).toBe(STATUS_INVALID_PARAMETER);
  });

  test('other CNG algorithms are reported as not implemented, not as missing', () => {
    expect(() => bc('BCryptOpenAlgorithmProvider', w.buf(4), w.wstr('SHA256'), 0, 0)).toThrow(UnimplementedApiError);
  });

  test('ProcessPrng always returns TRUE', () => {
    expectRandom((at, n) => expect(w.call('bcryptprimitives.dll', 'ProcessPrng', [at, n])).toBe(1));
  });
});
