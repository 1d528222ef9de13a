// parsePe: what the loader learns from a file's headers, and the typed errors a wrong file gets.
// Expected values come from `i686-w64-mingw32-objdump -h -p` on the committed fixtures.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { NotPeError, PeFormatError, UnsupportedArchitectureError } from '../../loader/errors.js';
import { DIR, parsePe, SCN } from '../../loader/pe.js';

const BIN = path.resolve('fixtures/bin');
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(BIN, name)));

const TEXT = SCN.MEM_EXECUTE | SCN.MEM_READ | 0x20; // CNT_CODE
const RDATA = SCN.MEM_READ | 0x40; // CNT_INITIALIZED_DATA
const DATA = SCN.MEM_READ | SCN.MEM_WRITE | 0x40;
const BSS = SCN.MEM_READ | SCN.MEM_WRITE | SCN.CNT_UNINITIALIZED_DATA;
const RELOC = RDATA | SCN.MEM_DISCARDABLE;

describe('parsePe on the fixtures', () => {
  // [file, SizeOfImage, entry point RVA, DllCharacteristics, sections: name, RVA, virtual size, characteristics]
  const cases: [string, number, number, number, [string, number, number, number][]][] = [
    ['deplib-msvc.dll', 0x5000, 0x1000, 0x540, [
      ['.text', 0x1000, 0x3c, TEXT],
      ['.rdata', 0x2000, 0x10a, RDATA],
      ['.data', 0x3000, 0x8, DATA],
      ['.reloc', 0x4000, 0xc, RELOC],
    ]],
    ['deplib-mingw.dll', 0xc000, 0x1390, 0x140, [
      ['.text', 0x1000, 0x1414, TEXT | 0x40],
      ['.data', 0x3000, 0x2c, DATA],
      ['.rdata', 0x4000, 0x364, RDATA],
      ['.eh_fram', 0x5000, 0x794, RDATA],
      ['.bss', 0x6000, 0x8c, BSS],
      ['.edata', 0x7000, 0xde, RDATA],
      ['.idata', 0x8000, 0x314, DATA],
      ['.CRT', 0x9000, 0x2c, DATA],
      ['.tls', 0xa000, 0x8, DATA],
      ['.reloc', 0xb000, 0x1e0, RELOC],
    ]],
    ['tls-msvc.dll', 0x7000, 0x1000, 0x540, [
      ['.text', 0x1000, 0xad, TEXT],
      ['.rdata', 0x2000, 0xf4, RDATA],
      ['.data', 0x3000, 0x118, DATA],
      ['.CRT', 0x4000, 0xc, RDATA],
      ['.tls', 0x5000, 0x9, DATA],
      ['.reloc', 0x6000, 0x40, RELOC],
    ]],
  ];

  test.each(cases)('%s: headers and sections', (file, sizeOfImage, entry, dllChars, sections) => {
    const pe = parsePe(read(file), file);
    expect(pe.name).toBe(file);
    expect(pe.isDll).toBe(true);
    expect(pe.imageBase).toBe(0x1000_0000);
    expect(pe.sizeOfImage).toBe(sizeOfImage);
    expect(pe.sizeOfHeaders).toBe(0x400);
    expect(pe.sectionAlignment).toBe(0x1000);
    expect(pe.entryPoint).toBe(entry);
    expect(pe.dllCharacteristics).toBe(dllChars);
    expect(pe.relocsStripped).toBe(false);
    expect(pe.sections.map((s) => [s.name, s.virtualAddress, s.virtualSize, s.characteristics >>> 0])).toEqual(
      sections.map(([n, va, vs, c]) => [n, va, vs, c >>> 0]),
    );
    expect(pe.image.length).toBe(sizeOfImage);
  });

  // Data directories that are present (index -> [RVA, size]).
  const dirs: [string, Record<number, [number, number]>][] = [
    ['deplib-msvc.dll', { [DIR.EXPORT]: [0x201c, 0xee], [DIR.BASERELOC]: [0x4000, 0xc], [DIR.DEBUG]: [0x2000, 0x1c] }],
    ['deplib-mingw.dll', { [DIR.EXPORT]: [0x7000, 0xde], [DIR.IMPORT]: [0x8000, 0x314], [DIR.BASERELOC]: [0xb000, 0x1e0], [DIR.TLS]: [0x4048, 0x18], [DIR.IAT]: [0x80ac, 0x70] }],
    ['depuser-msvc.dll', { [DIR.EXPORT]: [0x2050, 0xdc], [DIR.IMPORT]: [0x212c, 0x3c], [DIR.BASERELOC]: [0x4000, 0x24], [DIR.DEBUG]: [0x2034, 0x1c], [DIR.IAT]: [0x2194, 0x2c] }],
    ['depuser-mingw.dll', { [DIR.EXPORT]: [0x7000, 0xd9], [DIR.IMPORT]: [0x8000, 0x3b4], [DIR.BASERELOC]: [0xb000, 0x1f4], [DIR.TLS]: [0x407c, 0x18], [DIR.IAT]: [0x80d8, 0x88] }],
    ['tls-msvc.dll', { [DIR.EXPORT]: [0x2034, 0xc0], [DIR.BASERELOC]: [0x6000, 0x40], [DIR.DEBUG]: [0x2018, 0x1c], [DIR.TLS]: [0x2000, 0x18] }],
  ];

  test.each(dirs)('%s: data directories', (file, present) => {
    const pe = parsePe(read(file), file);
    expect(pe.dirs).toHaveLength(16);
    pe.dirs.forEach((d, i) => expect([i, d.rva, d.size]).toEqual([i, ...(present[i] ?? [0, 0])]));
  });

  test('the image is laid out by RVA: section bytes at their virtual address, .bss and the gaps zero', () => {
    const bytes = read('deplib-msvc.dll');
    const pe = parsePe(bytes, 'deplib-msvc.dll');
    // .text: file offset 0x400 -> RVA 0x1000; .data: file offset 0x800 -> RVA 0x3000 (dep_counter = 100).
    expect(pe.image.subarray(0x1000, 0x103c)).toEqual(bytes.subarray(0x400, 0x43c));
    expect(new DataView(pe.image.buffer).getInt32(0x3000, true)).toBe(100);
    expect(pe.image.subarray(0x103c, 0x2000).every((b) => b === 0)).toBe(true);
    expect(pe.image.subarray(0, 0x400)).toEqual(bytes.subarray(0, 0x400));
  });

  test('a mingw DLL with a COFF symbol table parses (pe-library would refuse it as is)', () => {
    const bytes = read('depuser-mingw.dll');
    const lfanew = new DataView(bytes.buffer).getUint32(0x3c, true);
    expect(new DataView(bytes.buffer).getUint32(lfanew + 12, true)).toBe(0x3600); // PointerToSymbolTable
    expect(new DataView(bytes.buffer).getUint32(lfanew + 16, true)).toBe(720); // NumberOfSymbols
    expect(parsePe(bytes, 'depuser-mingw.dll').sections).toHaveLength(10);
    // ... and parsing leaves the caller's bytes alone.
    expect(new DataView(bytes.buffer).getUint32(lfanew + 12, true)).toBe(0x3600);
  });

  test.each(fs.readdirSync(BIN).filter((f) => f.endsWith('.dll')))('%s parses as a 32-bit DLL', (file) => {
    const pe = parsePe(read(file), file);
    expect([pe.isDll, pe.imageBase]).toEqual([true, 0x1000_0000]);
  });
});

describe('parsePe errors', () => {
  const base = () => read('deplib-msvc.dll');
  const lfanewOf = (b: Uint8Array) => new DataView(b.buffer).getUint32(0x3c, true);
  const patch = (f: (dv: DataView, lfanew: number) => void) => {
    const b = base();
    f(new DataView(b.buffer), lfanewOf(b));
    return b;
  };
  const errorOf = (bytes: Uint8Array, name = 'x.dll'): unknown => {
    try {
      parsePe(bytes, name);
    } catch (e) {
      return e;
    }
    throw new Error('parsePe accepted the file');
  };

  test('not MZ: NotPeError', () => {
    const e = errorOf(new TextEncoder().encode('#!/bin/sh\necho hello\n'), 'script.dll');
    expect(e).toBeInstanceOf(NotPeError);
    expect((e as NotPeError).code).toBe('WOWASM_NOT_PE');
    expect((e as Error).message).toBe('script.dll is not a Windows DLL (no MZ signature)');
    expect(errorOf(new Uint8Array(0))).toBeInstanceOf(NotPeError);
  });

  test('MZ without a PE header: NotPeError', () => {
    const dos = new Uint8Array(0x80);
    dos.set([0x4d, 0x5a]);
    new DataView(dos.buffer).setUint32(0x3c, 0x1000, true); // e_lfanew past the end
    const e = errorOf(dos, 'old.dll');
    expect(e).toBeInstanceOf(NotPeError);
    expect((e as Error).message).toBe('old.dll is not a Windows DLL (an MZ file without a PE header (a DOS program?))');
    new DataView(dos.buffer).setUint32(0x3c, 0x40, true); // points at zeros: no "PE\0\0"
    expect((errorOf(dos, 'old.dll') as Error).message).toBe('old.dll is not a Windows DLL (no PE signature (a DOS or NE program?))');
  });

  test('PE32+ x64: UnsupportedArchitectureError naming the architecture', () => {
    const b = patch((dv, l) => {
      dv.setUint16(l + 4, 0x8664, true);
      dv.setUint16(l + 24, 0x20b, true);
    });
    const e = errorOf(b, 'zlib64.dll');
    expect(e).toBeInstanceOf(UnsupportedArchitectureError);
    expect((e as UnsupportedArchitectureError).code).toBe('WOWASM_UNSUPPORTED_ARCH');
    expect((e as Error).message).toBe('wowasm runs 32-bit i386 DLLs; zlib64.dll is a 64-bit (PE32+) image for x64 (AMD64)');
  });

  test('ARM and unknown machines: UnsupportedArchitectureError', () => {
    const arm = patch((dv, l) => dv.setUint16(l + 4, 0x01c4, true));
    expect((errorOf(arm, 'a.dll') as Error).message).toBe('wowasm runs 32-bit i386 DLLs; a.dll is an image for ARM (Thumb-2)');
    expect(errorOf(arm)).toBeInstanceOf(UnsupportedArchitectureError);
    const odd = patch((dv, l) => dv.setUint16(l + 4, 0x1234, true));
    expect((errorOf(odd, 'b.dll') as Error).message).toBe('wowasm runs 32-bit i386 DLLs; b.dll is an image for machine type 0x1234');
  });

  test('truncated files: PeFormatError', () => {
    const b = base();
    // Cut inside the section table, then inside the raw data of the last section (.reloc at 0xa00).
    for (const len of [0x100, 0xa10]) {
      const e = errorOf(b.subarray(0, len).slice());
      expect(e).toBeInstanceOf(PeFormatError);
      expect((e as PeFormatError).code).toBe('WOWASM_BAD_PE');
    }
    expect((errorOf(b.subarray(0, 0xa10).slice(), 'cut.dll') as Error).message).toBe(
      'cut.dll is damaged: section .reloc needs file bytes up to 0xc00, but the file has 0xa10 (truncated?)',
    );
  });

  test('SizeOfImage 0, or a section past SizeOfImage: PeFormatError', () => {
    const zero = patch((dv, l) => dv.setUint32(l + 24 + 56, 0, true));
    expect(errorOf(zero)).toBeInstanceOf(PeFormatError);
    expect((errorOf(zero, 'z.dll') as Error).message).toBe('z.dll is damaged: SizeOfImage is 0x0');
    // SizeOfImage 0x4000 leaves .reloc (RVA 0x4000) outside the image.
    const short = patch((dv, l) => dv.setUint32(l + 24 + 56, 0x4000, true));
    expect((errorOf(short, 's.dll') as Error).message).toBe('s.dll is damaged: section .reloc (0x4000+0x200) lies past SizeOfImage 0x4000');
    // A section whose virtual size runs past the end.
    const long = patch((dv, l) => {
      const sectionTable = l + 24 + dv.getUint16(l + 20, true);
      dv.setUint32(sectionTable + 3 * 40 + 8, 0x2000, true); // .reloc VirtualSize
    });
    expect(errorOf(long)).toBeInstanceOf(PeFormatError);
  });
});
