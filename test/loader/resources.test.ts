// The resource section reader (loader/resources.ts) on the strings fixture, whose string table
// fixtures/strings/strings.rc spells out, and on hand-made damaged sections.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { DIR, parsePe } from '../../loader/pe.js';
import { findString, imageReader, resourceKey, ResourceDirectory, RT } from '../../loader/resources.js';

const BIN = fileURLToPath(new URL('../../fixtures/bin/', import.meta.url));

function resourcesOf(file: string): ResourceDirectory {
  const pe = parsePe(new Uint8Array(fs.readFileSync(BIN + file)), file);
  return new ResourceDirectory(imageReader(pe.image, file), pe.dirs[DIR.RESOURCE]!, file);
}

describe.each(['strings-mingw.dll', 'strings-msvc.dll'])('%s', (file) => {
  const res = resourcesOf(file);

  test('string blocks: one per 16 IDs, US English, and block 1 in German too', () => {
    const blocks = res.entries.filter((e) => e.type === RT.STRING).map((e) => [e.name as number, e.language] as const);
    // IDs 0-3 -> block 1, 17 -> 2, 100 -> 7, 65534 -> 4096.
    expect([...blocks].sort((a, b) => a[0] - b[0] || a[1] - b[1])).toEqual([
      [1, 0x407],
      [1, 0x409],
      [2, 0x409],
      [7, 0x409],
      [4096, 0x409],
    ]);
    expect(res.hasType(RT.STRING)).toBe(true);
    expect(res.hasType(RT.VERSION)).toBe(false);
  });

  test('strings by ID, in the English block, with their length', () => {
    expect(findString(res, 0)).toMatchObject({ text: 'String resource', length: 15 });
    expect(findString(res, 1)?.text).toBe('%s has %d items (0x%04X)');
    expect(findString(res, 1, 0x407)?.text).toBe('%s hat %d Dinge (0x%04X)');
    expect(findString(res, 3)?.text).toBe('caf\u00e9 \u20ac\u4e2d');
    expect(findString(res, 17)?.text).toBe('block two');
    expect(findString(res, 100)?.text).toBe('one hundred');
    expect(findString(res, 65534)?.text).toBe('last block');
  });

  test('an empty slot of an existing block is an empty string; a missing block is undefined', () => {
    expect(findString(res, 4)).toMatchObject({ text: '', length: 0 });
    expect(findString(res, 16)).toMatchObject({ text: '', length: 0 });
    expect(findString(res, 32)).toBeUndefined();
    expect(findString(res, 65535)?.text).toBe('');
  });

  test('the RVA of a string points at its UTF-16 characters in the image', () => {
    const pe = parsePe(new Uint8Array(fs.readFileSync(BIN + file)), file);
    const s = findString(res, 17)!;
    const units = Array.from({ length: s.length }, (_, i) => pe.image[s.rva + 2 * i]! | (pe.image[s.rva + 2 * i + 1]! << 8));
    expect(String.fromCharCode(...units)).toBe('block two');
    expect(pe.image[s.rva - 2]).toBe(9); // the count before the characters
  });
});

test('a DLL without resources has an empty tree', () => {
  const res = resourcesOf('demo-msvc.dll');
  expect(res.isEmpty).toBe(true);
  expect(findString(res, 0)).toBeUndefined();
});

test('resource keys: MAKEINTRESOURCE numbers, "#123" strings and names', () => {
  expect(resourceKey(6)).toBe(6);
  expect(resourceKey(0x1_0006)).toBe(6);
  expect(resourceKey('#123')).toBe(123);
  expect(resourceKey('MYDATA')).toBe('MYDATA');
});

describe('hand-made sections', () => {
  // type 10 (RT_RCDATA) -> name "DATA" -> language 0x409 -> 4 bytes at RVA 0x1000 + 0x60.
  function section(): Uint8Array {
    const b = new Uint8Array(0x80);
    const dv = new DataView(b.buffer);
    const dir = (at: number, named: number, ids: number) => {
      dv.setUint16(at + 12, named, true);
      dv.setUint16(at + 14, ids, true);
    };
    dir(0x00, 0, 1);
    dv.setUint32(0x10, 10, true);
    dv.setUint32(0x14, 0x8000_0018, true);
    dir(0x18, 1, 0);
    dv.setUint32(0x28, 0x8000_0050, true); // name string at 0x50
    dv.setUint32(0x2c, 0x8000_0030, true);
    dir(0x30, 0, 1);
    dv.setUint32(0x40, 0x409, true);
    dv.setUint32(0x44, 0x68, true); // data entry
    dv.setUint16(0x50, 4, true);
    [...'DATA'].forEach((c, i) => dv.setUint16(0x52 + 2 * i, c.charCodeAt(0), true));
    dv.setUint32(0x68, 0x1060, true);
    dv.setUint32(0x6c, 4, true);
    dv.setUint32(0x70, 1252, true);
    b.set([1, 2, 3, 4], 0x60);
    return b;
  }
  function image(sec: Uint8Array): Uint8Array {
    const img = new Uint8Array(0x2000);
    img.set(sec, 0x1000);
    return img;
  }

  test('named entries are found case-insensitively; data comes by RVA', () => {
    const res = new ResourceDirectory(imageReader(image(section())), { rva: 0x1000, size: 0x80 });
    expect(res.entries).toEqual([{ type: 10, name: 'DATA', language: 0x409, rva: 0x1060, size: 4, codePage: 1252 }]);
    const e = res.find(RT.RCDATA, 'data')!;
    expect([...res.data(e)]).toEqual([1, 2, 3, 4]);
    expect(res.find(RT.RCDATA, 'other')).toBeUndefined();
  });

  test('a language that is not in the fallback order is still found', () => {
    const s = section();
    new DataView(s.buffer).setUint32(0x40, 0x411, true); // Japanese only
    const res = new ResourceDirectory(imageReader(image(s)), { rva: 0x1000, size: 0x80 });
    expect(res.find(RT.RCDATA, 'DATA')?.language).toBe(0x411);
  });

  test('damage: a loop, an offset past the end, data outside the image', () => {
    const loop = section();
    new DataView(loop.buffer).setUint32(0x2c, 0x8000_0018, true); // the name level points at itself
    expect(() => new ResourceDirectory(imageReader(image(loop), 'x.dll'), { rva: 0x1000, size: 0x80 }, 'x.dll')).toThrow(/x\.dll is damaged: resource directory: a subdirectory refers back/);
    const past = section();
    new DataView(past.buffer).setUint32(0x14, 0x8000_0200, true);
    expect(() => new ResourceDirectory(imageReader(image(past)), { rva: 0x1000, size: 0x80 })).toThrow(/past its end/);
    const outside = section();
    new DataView(outside.buffer).setUint32(0x68, 0x5000, true);
    const res = new ResourceDirectory(imageReader(image(outside)), { rva: 0x1000, size: 0x80 });
    expect(() => res.data(res.entries[0]!)).toThrow(/outside the image/);
  });
});
