// Parsing a PE32 (i386) file into the image the loader maps: headers are checked here first, so a wrong
// file gets a precise error; pe-library then splits the container into sections.

import * as PE from 'pe-library';
import { NotPeError, PeFormatError, UnsupportedArchitectureError } from './errors.js';

export const SCN = {
  CNT_UNINITIALIZED_DATA: 0x0000_0080,
  MEM_DISCARDABLE: 0x0200_0000,
  MEM_SHARED: 0x1000_0000,
  MEM_EXECUTE: 0x2000_0000,
  MEM_READ: 0x4000_0000,
  MEM_WRITE: 0x8000_0000,
} as const;

export const DIR = {
  EXPORT: 0,
  IMPORT: 1,
  RESOURCE: 2,
  EXCEPTION: 3,
  SECURITY: 4,
  BASERELOC: 5,
  DEBUG: 6,
  TLS: 9,
  LOAD_CONFIG: 10,
  BOUND_IMPORT: 11,
  IAT: 12,
  DELAY_IMPORT: 13,
  CLR: 14,
} as const;

const IMAGE_FILE_DLL = 0x2000;
const IMAGE_FILE_RELOCS_STRIPPED = 0x0001;

export interface PeSection {
  name: string;
  virtualAddress: number;
  virtualSize: number;
  characteristics: number;
}

export interface PeFile {
  /** File name used in messages. */
  name: string;
  isDll: boolean;
  imageBase: number;
  sizeOfImage: number;
  sizeOfHeaders: number;
  entryPoint: number; // RVA, 0 = none
  sectionAlignment: number;
  relocsStripped: boolean;
  dllCharacteristics: number;
  timeDateStamp: number;
  subsystem: number;
  sections: PeSection[];
  dirs: { rva: number; size: number }[];
  /** The image as the loader lays it out in memory: headers and sections at their RVAs, zero elsewhere. */
  image: Uint8Array;
}

const ARCH_NAMES: Record<number, string> = {
  0x8664: 'x64 (AMD64)',
  0xaa64: 'ARM64',
  0x01c0: 'ARM',
  0x01c4: 'ARM (Thumb-2)',
  0x0200: 'Itanium (IA-64)',
  0x0166: 'MIPS',
  0x01f0: 'PowerPC',
  0x5032: 'RISC-V 32',
  0x5064: 'RISC-V 64',
};

/** Reads and checks a PE32 i386 file and lays it out as it will be mapped. */
export function parsePe(bytes: Uint8Array, name: string): PeFile {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number, what: string) => {
    if (end > bytes.length) throw new PeFormatError(name, `file ends at ${bytes.length} bytes, inside the ${what}`);
  };
  if (bytes.length < 2 || dv.getUint16(0, true) !== 0x5a4d) throw new NotPeError(name, 'no MZ signature');
  if (bytes.length < 0x40) throw new NotPeError(name, 'file too short for a DOS header');
  const lfanew = dv.getUint32(0x3c, true);
  if (lfanew + 4 > bytes.length) throw new NotPeError(name, 'an MZ file without a PE header (a DOS program?)');
  if (dv.getUint32(lfanew, true) !== 0x0000_4550) throw new NotPeError(name, 'no PE signature (a DOS or NE program?)');
  need(lfanew + 24, 'COFF file header');
  const machine = dv.getUint16(lfanew + 4, true);
  const numberOfSections = dv.getUint16(lfanew + 6, true);
  const timeDateStamp = dv.getUint32(lfanew + 8, true);
  const sizeOfOptionalHeader = dv.getUint16(lfanew + 20, true);
  const characteristics = dv.getUint16(lfanew + 22, true);
  const optAt = lfanew + 24;
  need(optAt + 2, 'optional header');
  const magic = dv.getUint16(optAt, true);
  const arch = ARCH_NAMES[machine] ?? `machine type 0x${machine.toString(16)}`;
  if (magic === 0x20b) throw new UnsupportedArchitectureError(name, `a 64-bit (PE32+) image for ${arch}`);
  if (machine !== 0x014c) throw new UnsupportedArchitectureError(name, `an image for ${arch}`);
  if (magic !== 0x10b) throw new PeFormatError(name, `optional header magic is 0x${magic.toString(16)}, not PE32 (0x10b)`);
  if (sizeOfOptionalHeader < 96) throw new PeFormatError(name, `optional header is only ${sizeOfOptionalHeader} bytes`);
  need(optAt + sizeOfOptionalHeader, 'optional header');
  if (numberOfSections === 0 || numberOfSections > 96) throw new PeFormatError(name, `${numberOfSections} sections`);
  const sectionTable = optAt + sizeOfOptionalHeader;
  need(sectionTable + numberOfSections * 40, 'section table');

  const imageBase = dv.getUint32(optAt + 28, true);
  const sectionAlignment = dv.getUint32(optAt + 32, true);
  const fileAlignment = dv.getUint32(optAt + 36, true);
  const sizeOfImage = dv.getUint32(optAt + 56, true);
  const sizeOfHeaders = dv.getUint32(optAt + 60, true);
  const entryPoint = dv.getUint32(optAt + 16, true);
  const subsystem = dv.getUint16(optAt + 68, true);
  const dllCharacteristics = dv.getUint16(optAt + 70, true);
  const numberOfRvaAndSizes = Math.min(16, dv.getUint32(optAt + 92, true));
  if (imageBase % 0x10000 !== 0) throw new PeFormatError(name, `image base 0x${imageBase.toString(16)} is not 64 KiB aligned`);
  if (sectionAlignment === 0 || (sectionAlignment & (sectionAlignment - 1)) !== 0) throw new PeFormatError(name, `section alignment ${sectionAlignment}`);
  if (fileAlignment === 0 || (fileAlignment & (fileAlignment - 1)) !== 0) throw new PeFormatError(name, `file alignment ${fileAlignment}`);
  if (sizeOfImage === 0 || sizeOfImage > 0x4000_0000) throw new PeFormatError(name, `SizeOfImage is 0x${sizeOfImage.toString(16)}`);
  if (sizeOfHeaders > sizeOfImage || sizeOfHeaders > bytes.length) throw new PeFormatError(name, `SizeOfHeaders 0x${sizeOfHeaders.toString(16)} is past the image or the file`);
  if (96 + numberOfRvaAndSizes * 8 > sizeOfOptionalHeader) throw new PeFormatError(name, 'data directories overflow the optional header');

  const dirs: { rva: number; size: number }[] = [];
  for (let i = 0; i < 16; i++) {
    dirs.push(i < numberOfRvaAndSizes ? { rva: dv.getUint32(optAt + 96 + i * 8, true), size: dv.getUint32(optAt + 100 + i * 8, true) } : { rva: 0, size: 0 });
  }

  // Our own reading of the section table, checked against the file and the image size.
  const sections: (PeSection & { rawPointer: number; rawSize: number })[] = [];
  for (let i = 0; i < numberOfSections; i++) {
    const at = sectionTable + i * 40;
    const rawName = bytes.subarray(at, at + 8);
    const nul = rawName.indexOf(0);
    const sname = new TextDecoder('latin1').decode(nul >= 0 ? rawName.subarray(0, nul) : rawName);
    const virtualSize = dv.getUint32(at + 8, true);
    const virtualAddress = dv.getUint32(at + 12, true);
    const rawSize = dv.getUint32(at + 16, true);
    const rawPointer = dv.getUint32(at + 20, true);
    const chars = dv.getUint32(at + 36, true);
    const span = Math.max(virtualSize, rawSize);
    if (virtualAddress + span > sizeOfImage && virtualAddress + virtualSize > sizeOfImage) {
      throw new PeFormatError(name, `section ${sname} (0x${virtualAddress.toString(16)}+0x${span.toString(16)}) lies past SizeOfImage 0x${sizeOfImage.toString(16)}`);
    }
    if (rawSize > 0 && rawPointer + Math.min(rawSize, alignUp(virtualSize || rawSize, fileAlignment)) > bytes.length) {
      throw new PeFormatError(name, `section ${sname} needs file bytes up to 0x${(rawPointer + rawSize).toString(16)}, but the file has 0x${bytes.length.toString(16)} (truncated?)`);
    }
    sections.push({ name: sname, virtualAddress, virtualSize: virtualSize || rawSize, characteristics: chars, rawPointer, rawSize });
  }

  checkContainer(bytes, lfanew, name);

  const image = new Uint8Array(sizeOfImage);
  image.set(bytes.subarray(0, sizeOfHeaders));
  for (const s of sections) {
    if (s.rawSize === 0) continue;
    const n = Math.min(s.rawSize, s.virtualSize, bytes.length - s.rawPointer, sizeOfImage - s.virtualAddress);
    image.set(bytes.subarray(s.rawPointer, s.rawPointer + n), s.virtualAddress);
  }

  return {
    name,
    isDll: (characteristics & IMAGE_FILE_DLL) !== 0,
    imageBase,
    sizeOfImage,
    sizeOfHeaders,
    entryPoint,
    sectionAlignment,
    relocsStripped: (characteristics & IMAGE_FILE_RELOCS_STRIPPED) !== 0,
    dllCharacteristics,
    timeDateStamp,
    subsystem,
    sections: sections.map(({ name: n, virtualAddress, virtualSize, characteristics: c }) => ({ name: n, virtualAddress, virtualSize, characteristics: c })),
    dirs,
    image,
  };
}

/**
 * Lets pe-library parse the container too, as a second opinion on the headers. It refuses images with a
 * COFF symbol table (debug data only, common in mingw DLLs), so it reads a copy without that pointer.
 */
function checkContainer(bytes: Uint8Array, lfanew: number, name: string): void {
  const copy = bytes.slice();
  const dv = new DataView(copy.buffer);
  dv.setUint32(lfanew + 12, 0, true); // PointerToSymbolTable
  dv.setUint32(lfanew + 16, 0, true); // NumberOfSymbols
  try {
    const exe = PE.NtExecutable.from(copy, { ignoreCert: true });
    if (!exe.is32bit()) throw new Error('not a 32-bit image');
  } catch (e) {
    throw new PeFormatError(name, `the PE container does not parse (${e instanceof Error ? e.message : String(e)})`);
  }
}

function alignUp(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

/** Bounds-checked reads of a laid-out image by RVA. */
export class ImageReader {
  private readonly dv: DataView;
  constructor(
    readonly image: Uint8Array,
    readonly name: string,
  ) {
    this.dv = new DataView(image.buffer, image.byteOffset, image.byteLength);
  }
  private check(rva: number, size: number, what: string): void {
    if (rva < 0 || rva + size > this.image.length) {
      throw new PeFormatError(this.name, `${what} at RVA 0x${(rva >>> 0).toString(16)} lies outside the image`);
    }
  }
  u16(rva: number, what = 'a table'): number {
    this.check(rva, 2, what);
    return this.dv.getUint16(rva, true);
  }
  u32(rva: number, what = 'a table'): number {
    this.check(rva, 4, what);
    return this.dv.getUint32(rva, true);
  }
  setU32(rva: number, v: number): void {
    this.check(rva, 4, 'a relocation target');
    this.dv.setUint32(rva, v >>> 0, true);
  }
  cstring(rva: number, what = 'a name'): string {
    this.check(rva, 1, what);
    const end = this.image.indexOf(0, rva);
    if (end < 0) throw new PeFormatError(this.name, `${what} at RVA 0x${rva.toString(16)} is not terminated`);
    return new TextDecoder('latin1').decode(this.image.subarray(rva, end));
  }
}
