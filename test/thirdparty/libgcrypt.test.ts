// Acceptance tests against Debian's libgcrypt-20.dll (libgcrypt 1.10.1) and its dependency
// libgpg-error-0.dll (packages libgcrypt-mingw-w64-dev, libgpg-error-mingw-w64-dev): a real mingw DLL
// whose DllMain and initialisation use a broad slice of kernel32 and msvcrt (threads, TLS, files,
// registry, random). Digests are checked against Node's crypto. Fetched by `npm run fetch-dlls`.

import { createHash, randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import * as wowasm from '../../worker/index.js';
import { describeIfPresent, thirdPartyDll } from '../helpers/thirdparty.js';

const LIBGCRYPT = thirdPartyDll('libgcrypt-20.dll');
const LIBGPG_ERROR = thirdPartyDll('libgpg-error-0.dll');

// gcry_md_algos values from gcrypt.h.
const ALGOS = [
  { name: 'MD5', id: 1, node: 'md5', size: 16 },
  { name: 'SHA-1', id: 2, node: 'sha1', size: 20 },
  { name: 'SHA-256', id: 8, node: 'sha256', size: 32 },
  { name: 'SHA-512', id: 10, node: 'sha512', size: 64 },
  { name: 'SHA3-256', id: 313, node: 'sha3-256', size: 32 },
] as const;

const FOX = Buffer.from('The quick brown fox jumps over the lazy dog');
const MIB = randomBytes(1 << 20);

describeIfPresent(LIBGCRYPT, 'libgcrypt-20.dll', () => {
  test('gcry_check_version(NULL) is "1.10.1"; gcry_md_hash_buffer equals Node for text and 1 MiB of random bytes', () => {
    const lib = wowasm.loadSync(LIBGCRYPT);
    try {
      expect(lib.modules.map((m) => m.name.toLowerCase())).toContain('libgpg-error-0.dll');
      expect(lib.func('const char *gcry_check_version(const char *req)')(null)).toBe('1.10.1');
      const hash = lib.func('void gcry_md_hash_buffer(int algo, void *digest, const void *buffer, size_t length)');
      const getLen = lib.func('unsigned int gcry_md_get_algo_dlen(int algo)');
      for (const a of ALGOS) {
        expect(getLen(a.id), a.name).toBe(a.size);
        for (const [what, data] of [['fox', FOX], ['1 MiB', MIB]] as const) {
          const digest = Buffer.alloc(a.size);
          hash(a.id, digest, data, data.length);
          expect(digest.toString('hex'), `${a.name} of ${what}`).toBe(createHash(a.node).update(data).digest('hex'));
        }
      }
    } finally {
      lib.close();
    }
  });

  test('the known SHA-256 of the fox sentence (a fixed value, not only Node agreeing)', () => {
    const lib = wowasm.loadSync(LIBGCRYPT);
    try {
      const digest = Buffer.alloc(32);
      lib.func('void gcry_md_hash_buffer(int algo, void *digest, const void *buffer, size_t length)')(8, digest, FOX, FOX.length);
      expect(digest.toString('hex')).toBe('d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592');
    } finally {
      lib.close();
    }
  });
  // The random pool seeds itself from NtQuerySystemInformation, NtPowerInformation, RtlGenRandom and CPU
  // jitter, as on Windows: with those answered it fills in a few polls, inside the default time budget.
  test('gcry_randomize fills buffers with different random bytes within the default timeout', () => {
    const lib = wowasm.loadSync(LIBGCRYPT);
    try {
      lib.func('const char *gcry_check_version(const char *req)')(null);
      const randomize = lib.func('void gcry_randomize(void *buffer, size_t length, int level)');
      const a = Buffer.alloc(32);
      const b = Buffer.alloc(32);
      randomize(a, 32, 1); // GCRY_STRONG_RANDOM
      randomize(b, 32, 1);
      expect(a.equals(Buffer.alloc(32))).toBe(false);
      expect(a.equals(b)).toBe(false);
    } finally {
      lib.close();
    }
  });
});

describeIfPresent(LIBGPG_ERROR, 'libgpg-error-0.dll', () => {
  test('gpg_strerror(1) is "General error"; gpg_strsource names the source', () => {
    const lib = wowasm.loadSync(LIBGPG_ERROR);
    try {
      const strerror = lib.func('const char *gpg_strerror(unsigned int err)');
      expect(strerror(1)).toBe('General error');
      expect(strerror(0)).toBe('Success');
      // An error value carries its source in the top bits: GPG_ERR_SOURCE_GCRYPT (1) << 24.
      expect(lib.func('const char *gpg_strsource(unsigned int err)')((1 << 24) | 1)).toBe('gcrypt');
    } finally {
      lib.close();
    }
  });
});
