// Acceptance tests against a real third-party DLL: Debian's zlib1.dll (zlib 1.2.13, built with mingw),
// checked against Node's own zlib. The DLL is fetched by `npm run fetch-dlls` (fixtures/fetch-thirdparty.sh).

import { randomFillSync } from 'node:crypto';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as wowasm from '../../worker/index.js';
import { describeIfPresent, thirdPartyDll } from '../helpers/thirdparty.js';

const ZLIB = thirdPartyDll('zlib1.dll');

/** What the tests need from a loaded library; the sync and async APIs both give it (results awaited). */
interface Lib {
  func(prototype: string): (...args: unknown[]) => unknown;
  close(): unknown;
}

interface Variant {
  api: string;
  open(file: string): Promise<Lib>;
}

const variants: Variant[] = [
  { api: 'loadSync', open: async (file) => wowasm.loadSync(file) },
  { api: 'load', open: (file) => wowasm.load(file) },
];

/** 1 MiB: half random bytes, half repetitive text, interleaved in 64 KiB blocks. */
function mixedData(): Buffer {
  const out = Buffer.alloc(1 << 20);
  const text = Buffer.from('The quick brown fox jumps over the lazy dog. wowasm runs zlib1.dll inside Node. ');
  for (let at = 0, block = 0; at < out.length; at += 0x1_0000, block++) {
    const chunk = out.subarray(at, at + 0x1_0000);
    if (block % 2 === 0) randomFillSync(chunk);
    else for (let i = 0; i < chunk.length; i += text.length) text.copy(chunk, i, 0, Math.min(text.length, chunk.length - i));
  }
  return out;
}

/** Reference CRC-32 (IEEE) for Node versions without zlib.crc32. */
function crc32Reference(buf: Uint8Array): number {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  let crc = 0xffffffff;
  for (const b of buf) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const nodeCrc32 = (zlib as unknown as { crc32?: (b: Uint8Array) => number }).crc32 ?? crc32Reference;

describeIfPresent(ZLIB, 'zlib1.dll', () => describe.each(variants)('through $api', ({ open }) => {
  let lib: Lib;
  beforeAll(async () => {
    lib = await open(ZLIB);
  });
  afterAll(async () => {
    await lib?.close();
  });

  test('zlibVersion() is 1.2.13', async () => {
    expect(await lib.func('const char *zlibVersion(void)')()).toBe('1.2.13');
  });

  test('crc32 of "123456789" is 0xcbf43926', async () => {
    const crc32 = lib.func('unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len)');
    expect(await crc32(0, Buffer.from('123456789'), 9)).toBe(0xcbf43926);
  });

  test('adler32 of the quick brown fox is 0x5bdc0fda', async () => {
    const adler32 = lib.func('unsigned long adler32(unsigned long adler, const unsigned char *buf, unsigned int len)');
    const s = Buffer.from('The quick brown fox jumps over the lazy dog');
    expect(s.length).toBe(43);
    expect(await adler32(1, s, 43)).toBe(0x5bdc0fda);
  });

  test('compressBound(1000) is 1013', async () => {
    expect(await lib.func('unsigned long compressBound(unsigned long sourceLen)')(1000)).toBe(1013);
  });

  test('compress2 of 1 MiB of mixed data inflates with Node to the same bytes; uncompress round-trips', async () => {
    const source = mixedData();
    const bound = (await lib.func('unsigned long compressBound(unsigned long sourceLen)')(source.length)) as number;
    const compress2 = lib.func('int compress2(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen, int level)');
    const dest = Buffer.alloc(bound);
    const destLen = [bound];
    expect(await compress2(dest, destLen, source, source.length, 6)).toBe(0); // Z_OK
    const compressed = dest.subarray(0, destLen[0]);
    expect(destLen[0]).toBeGreaterThan(source.length / 2); // the random half does not shrink
    expect(destLen[0]).toBeLessThan(source.length * 0.6); // the text half does
    expect(zlib.inflateSync(compressed).equals(source)).toBe(true);

    const uncompress = lib.func('int uncompress(unsigned char *dest, unsigned long *destLen, const unsigned char *source, unsigned long sourceLen)');
    const back = Buffer.alloc(source.length);
    const backLen = new Uint32Array([back.length]);
    expect(await uncompress(back, backLen, compressed, compressed.length)).toBe(0);
    expect(backLen[0]).toBe(source.length);
    expect(back.equals(source)).toBe(true);

    // Node's deflate output uncompresses in the DLL too.
    const fromNode = zlib.deflateSync(source, { level: 9 });
    const back2 = Buffer.alloc(source.length);
    const back2Len = [back2.length];
    expect(await uncompress(back2, back2Len, fromNode, fromNode.length)).toBe(0);
    expect(back2.equals(source)).toBe(true);
  });

  test('crc32 of 8 MiB of random bytes equals Node', async () => {
    const data = Buffer.alloc(8 << 20);
    randomFillSync(data);
    const crc32 = lib.func('unsigned long crc32(unsigned long crc, const unsigned char *buf, unsigned int len)');
    expect(await crc32(0, data, data.length)).toBe(nodeCrc32(data));
  });
}));
