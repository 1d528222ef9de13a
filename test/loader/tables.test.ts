// The tables inside an image: exports (names, ordinals, forwarders), imports (by name with hint, by
// ordinal), base relocations and the TLS directory. Expected values are objdump's reading of the fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { PeFormatError } from '../../loader/errors.js';
import { DIR, parsePe, type PeFile } from '../../loader/pe.js';
import { applyRelocations, hasRelocations, parseExports, parseImports, parseTls, type ExportTarget } from '../../loader/tables.js';

const load = (name: string) => parsePe(new Uint8Array(fs.readFileSync(path.resolve('fixtures/bin', name))), name);
const u32 = (pe: PeFile, rva: number) => new DataView(pe.image.buffer).getUint32(rva, true);

describe('parseExports', () => {
  const rva = (r: number): ExportTarget => ({ kind: 'rva', rva: r });
  const fwd = (to: string): ExportTarget => ({ kind: 'forward', to });

  test('deplib-msvc: OrdinalBase 0, unused slots 0-6 skipped, dep_secret only by ordinal 7', () => {
    const t = parseExports(load('deplib-msvc.dll'));
    expect(t.dllName).toBe('deplib-msvc.dll');
    expect(t.ordinalBase).toBe(0);
    expect([...t.byOrdinal]).toEqual([
      [7, rva(0x1020)], // dep_secret (NONAME)
      [8, rva(0x1030)], // dep_bump
      [9, rva(0x3000)], // dep_counter (data)
      [10, fwd('NTDLL.RtlAllocateHeap')],
      [11, rva(0x1010)], // dep_square
      [12, fwd('KERNEL32.GetTickCount')],
    ]);
    expect(Object.fromEntries(t.byName)).toEqual({ dep_bump: 8, dep_counter: 9, dep_heap_alloc: 10, dep_square: 11, dep_tick: 12 });
  });

  test('deplib-mingw: OrdinalBase 2 (GNU ld starts at the lowest ordinal), dep_secret at 7', () => {
    const t = parseExports(load('deplib-mingw.dll'));
    expect(t.dllName).toBe('deplib-mingw.dll');
    expect(t.ordinalBase).toBe(2);
    expect([...t.byOrdinal]).toEqual([
      [2, rva(0x14e0)],
      [3, rva(0x3008)],
      [4, fwd('NTDLL.RtlAllocateHeap')],
      [5, rva(0x14c0)],
      [6, fwd('KERNEL32.GetTickCount')],
      [7, rva(0x14d0)],
    ]);
    expect(Object.fromEntries(t.byName)).toEqual({ dep_bump: 2, dep_counter: 3, dep_heap_alloc: 4, dep_square: 5, dep_tick: 6 });
    expect([...t.byName.values()]).not.toContain(7);
  });

  test('the code behind an export: dep_secret returns 1234 (mov eax, 0x4d2; ret)', () => {
    for (const f of ['deplib-msvc.dll', 'deplib-mingw.dll']) {
      const pe = load(f);
      const target = parseExports(pe).byOrdinal.get(7)!;
      expect(target.kind).toBe('rva');
      const at = (target as { rva: number }).rva;
      expect([...pe.image.subarray(at, at + 6)]).toEqual([0xb8, 0xd2, 0x04, 0x00, 0x00, 0xc3]);
    }
  });

  test('a DLL without an export directory has an empty table', () => {
    const pe = load('deplib-msvc.dll');
    pe.dirs[DIR.EXPORT] = { rva: 0, size: 0 };
    const t = parseExports(pe);
    expect([t.byOrdinal.size, t.byName.size, t.dllName]).toEqual([0, 0, 'deplib-msvc.dll']);
  });

  test('an export directory pointing outside the image: PeFormatError', () => {
    const pe = load('deplib-msvc.dll');
    pe.dirs[DIR.EXPORT] = { rva: 0x4ff0, size: 0x40 };
    expect(() => parseExports(pe)).toThrow(PeFormatError);
  });
});

describe('parseImports', () => {
  test('depuser-msvc: by name (hint 0), by ordinal, the data import, in IAT order', () => {
    const imports = parseImports(load('depuser-msvc.dll'));
    expect(imports.map((d) => d.dll)).toEqual(['kernel32.dll', 'deplib-msvc.dll']);
    expect(imports.every((d) => !d.delayed)).toBe(true);
    expect(imports[0]!.entries).toEqual(
      ['FreeLibrary', 'GetLastError', 'GetProcAddress', 'LoadLibraryA'].map((name, i) => ({ ref: { name, hint: 0 }, iatRva: 0x2194 + 4 * i })),
    );
    expect(imports[1]!.entries).toEqual([
      { ref: { name: 'dep_bump', hint: 0 }, iatRva: 0x21a8 },
      { ref: { name: 'dep_counter', hint: 0 }, iatRva: 0x21ac },
      { ref: { ordinal: 7 }, iatRva: 0x21b0 },
      { ref: { name: 'dep_square', hint: 0 }, iatRva: 0x21b4 },
      { ref: { name: 'dep_tick', hint: 0 }, iatRva: 0x21b8 },
    ]);
  });

  test("depuser-mingw: dlltool's hints (not deplib's ordinals) and the CRT baseline", () => {
    const imports = parseImports(load('depuser-mingw.dll'));
    expect(imports.map((d) => [d.dll, d.entries.length])).toEqual([
      ['KERNEL32.dll', 13],
      ['msvcrt.dll', 13],
      ['deplib-mingw.dll', 5],
    ]);
    expect(imports[0]!.entries[0]).toEqual({ ref: { name: 'DeleteCriticalSection', hint: 277 }, iatRva: 0x80d8 });
    expect(imports[1]!.entries.find((e) => 'name' in e.ref && e.ref.name === '_iob')).toEqual({ ref: { name: '_iob', hint: 342 }, iatRva: 0x8110 + 4 * 2 });
    expect(imports[2]!.entries).toEqual([
      { ref: { name: 'dep_bump', hint: 8 }, iatRva: 0x8148 },
      { ref: { name: 'dep_counter', hint: 9 }, iatRva: 0x814c },
      { ref: { ordinal: 7 }, iatRva: 0x8150 },
      { ref: { name: 'dep_square', hint: 10 }, iatRva: 0x8154 },
      { ref: { name: 'dep_tick', hint: 11 }, iatRva: 0x8158 },
    ]);
  });

  /** An image with one delay-import descriptor at 0x100 for x.dll!f, addresses as `style` says. */
  function delayImage(style: 'rva' | 'va', base: number): PeFile {
    const image = new Uint8Array(0x1000);
    const dv = new DataView(image.buffer);
    const at = (rva: number) => (style === 'rva' ? rva : base + rva);
    dv.setUint32(0x100, style === 'rva' ? 1 : 0, true); // grAttrs: dlattrRva
    dv.setUint32(0x104, at(0x200), true); // DLL name
    dv.setUint32(0x10c, at(0x300), true); // delay IAT
    dv.setUint32(0x110, at(0x400), true); // delay INT
    dv.setUint32(0x400, at(0x500), true); // INT[0] -> hint/name
    dv.setUint16(0x500, 3, true);
    image.set(new TextEncoder().encode('f\0'), 0x502);
    image.set(new TextEncoder().encode('x.dll\0'), 0x200);
    const dirs = Array.from({ length: 16 }, () => ({ rva: 0, size: 0 }));
    dirs[DIR.DELAY_IMPORT] = { rva: 0x100, size: 0x40 };
    return {
      name: 'delay.dll', isDll: true, imageBase: 0x1000_0000, sizeOfImage: 0x1000, sizeOfHeaders: 0, entryPoint: 0,
      sectionAlignment: 0x1000, relocsStripped: false, dllCharacteristics: 0, timeDateStamp: 0, subsystem: 2, sections: [], dirs, image,
    };
  }
  const delayed = [{ dll: 'x.dll', entries: [{ ref: { name: 'f', hint: 3 }, iatRva: 0x300 }], delayed: true }];

  test('delay imports with RVAs (the usual form)', () => {
    expect(parseImports(delayImage('rva', 0x1000_0000))).toEqual(delayed);
  });

  test('old-style delay imports hold virtual addresses, moved along when the image was relocated', () => {
    expect(parseImports(delayImage('va', 0x1000_0000))).toEqual(delayed);
    // Loaded (and relocated) at 0x20000000: the descriptor's addresses say so.
    expect(parseImports(delayImage('va', 0x2000_0000), 0x2000_0000)).toEqual(delayed);
  });

  test('MSVC-style DLLs without imports have none', () => {
    for (const f of ['deplib-msvc.dll', 'tls-msvc.dll', 'cpubench-msvc.dll', 'dllmain-fails-msvc.dll']) expect(parseImports(load(f))).toEqual([]);
  });
});

describe('applyRelocations', () => {
  // dep_bump is `mov eax, [dep_counter]; inc eax; mov [dep_counter], eax; ret`: two absolute addresses.
  const cases: [string, number, number, number][] = [
    // file, dep_bump RVA, dep_counter RVA, HIGHLOW entries in .reloc
    ['deplib-msvc.dll', 0x1030, 0x3000, 2],
    ['deplib-mingw.dll', 0x14e0, 0x3008, 215],
  ];
  test.each(cases)('%s: a delta moves every absolute address', (file, bump, counter, count) => {
    const pe = load(file);
    expect(hasRelocations(pe)).toBe(true);
    expect([u32(pe, bump + 1), u32(pe, bump + 7)]).toEqual([0x1000_0000 + counter, 0x1000_0000 + counter]);
    expect(applyRelocations(pe, 0x0234_0000)).toBe(count);
    expect([u32(pe, bump + 1), u32(pe, bump + 7)]).toEqual([0x1234_0000 + counter, 0x1234_0000 + counter]);
    expect([...pe.image.subarray(bump + 5, bump + 7)]).toEqual([0x40, 0xa3]); // inc eax; mov [..], eax: untouched
    // A negative delta (a load below the preferred base) wraps as 32-bit arithmetic does.
    expect(applyRelocations(pe, -0x1234_0000 + 0x0001_0000)).toBe(count);
    expect(u32(pe, bump + 1)).toBe(0x0001_0000 + counter);
  });

  /** A one-page image with a relocation block at RVA 0x800 holding `entries`. */
  function synthetic(entries: number[], blockSize = 8 + 2 * entries.length): PeFile {
    const image = new Uint8Array(0x1000);
    const dv = new DataView(image.buffer);
    dv.setUint32(0x800, 0x0000, true); // page RVA
    dv.setUint32(0x804, blockSize, true);
    entries.forEach((e, i) => dv.setUint16(0x808 + 2 * i, e, true));
    dv.setUint32(0x100, 0x1000_1234, true); // HIGHLOW target
    dv.setUint16(0x200, 0x1000, true); // HIGH target
    dv.setUint16(0x300, 0xfff0, true); // LOW target
    const dirs = Array.from({ length: 16 }, () => ({ rva: 0, size: 0 }));
    dirs[DIR.BASERELOC] = { rva: 0x800, size: blockSize };
    return {
      name: 'synthetic.dll', isDll: true, imageBase: 0x1000_0000, sizeOfImage: 0x1000, sizeOfHeaders: 0, entryPoint: 0,
      sectionAlignment: 0x1000, relocsStripped: false, dllCharacteristics: 0, timeDateStamp: 0, subsystem: 2, sections: [], dirs, image,
    };
  }

  test('HIGHLOW, HIGH and LOW entries; ABSOLUTE padding is skipped', () => {
    const pe = synthetic([0x3100, 0x1200, 0x2300, 0x0000]);
    const dv = new DataView(pe.image.buffer);
    expect(applyRelocations(pe, 0x0567_0020)).toBe(3);
    expect(dv.getUint32(0x100, true)).toBe(0x1567_1254);
    expect(dv.getUint16(0x200, true)).toBe(0x1000 + 0x0567); // high half of the delta
    expect(dv.getUint16(0x300, true)).toBe((0xfff0 + 0x0020) & 0xffff); // low half, carry dropped
  });

  test('damaged relocation data: PeFormatError', () => {
    expect(() => applyRelocations(synthetic([0xa100]), 0x10000)).toThrow('synthetic.dll is damaged: unsupported relocation type 10 at RVA 0x100');
    expect(() => applyRelocations(synthetic([0x3100], 4), 0x10000)).toThrow(PeFormatError);
    expect(() => applyRelocations(synthetic([0x3ffe]), 0x10000)).toThrow(PeFormatError); // target runs off the image
  });
});

describe('parseTls', () => {
  test('tls-msvc: the hand-made directory, as virtual addresses', () => {
    expect(parseTls(load('tls-msvc.dll'))).toEqual({
      startOfRawData: 0x1000_5000,
      endOfRawData: 0x1000_5008,
      addressOfIndex: 0x1000_300c,
      addressOfCallbacks: 0x1000_4004,
      sizeOfZeroFill: 0,
    });
  });
  test('a DLL without TLS has none', () => {
    expect(parseTls(load('deplib-msvc.dll'))).toBeUndefined();
  });
});
