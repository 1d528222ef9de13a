// The tables inside a PE image the loader acts on: exports, imports, base relocations and TLS.

import { PeFormatError } from './errors.js';
import { DIR, ImageReader, type PeFile } from './pe.js';

// ---- exports --------------------------------------------------------------------------------

export type ExportTarget = { kind: 'rva'; rva: number } | { kind: 'forward'; to: string };

export interface ExportTable {
  /** The DLL's own idea of its name (from the export directory). */
  dllName: string;
  ordinalBase: number;
  /** Ordinal -> target. */
  byOrdinal: Map<number, ExportTarget>;
  /** Exported name -> ordinal. */
  byName: Map<string, number>;
}

export function parseExports(pe: PeFile): ExportTable {
  const { rva: dirRva, size: dirSize } = pe.dirs[DIR.EXPORT]!;
  const empty: ExportTable = { dllName: pe.name, ordinalBase: 1, byOrdinal: new Map(), byName: new Map() };
  if (dirRva === 0 || dirSize === 0) return empty;
  const r = new ImageReader(pe.image, pe.name);
  const what = 'the export directory';
  const nameRva = r.u32(dirRva + 12, what);
  const base = r.u32(dirRva + 16, what);
  const nFunctions = r.u32(dirRva + 20, what);
  const nNames = r.u32(dirRva + 24, what);
  const functions = r.u32(dirRva + 28, what);
  const names = r.u32(dirRva + 32, what);
  const ordinals = r.u32(dirRva + 36, what);
  if (nFunctions > 0x10000 || nNames > nFunctions + 0x10000) throw new PeFormatError(pe.name, `export directory claims ${nFunctions} functions`);
  const out: ExportTable = { dllName: nameRva ? r.cstring(nameRva, 'the export DLL name') : pe.name, ordinalBase: base, byOrdinal: new Map(), byName: new Map() };
  for (let i = 0; i < nFunctions; i++) {
    const rva = r.u32(functions + 4 * i, 'the export address table');
    if (rva === 0) continue;
    // An RVA inside the export directory is a forwarder string ("NTDLL.RtlAllocateHeap").
    const target: ExportTarget = rva >= dirRva && rva < dirRva + dirSize ? { kind: 'forward', to: r.cstring(rva, 'a forwarder') } : { kind: 'rva', rva };
    out.byOrdinal.set(base + i, target);
  }
  for (let i = 0; i < nNames; i++) {
    const name = r.cstring(r.u32(names + 4 * i, 'the export name table'), 'an export name');
    const index = r.u16(ordinals + 2 * i, 'the export ordinal table');
    if (index >= nFunctions) throw new PeFormatError(pe.name, `export ${name} points past the export address table`);
    out.byName.set(name, base + index);
  }
  return out;
}

// ---- imports --------------------------------------------------------------------------------

export type ImportRef = { name: string; hint: number } | { ordinal: number };

export interface ImportEntry {
  ref: ImportRef;
  /** RVA of the IAT slot the loader fills. */
  iatRva: number;
}

export interface ImportDescriptor {
  dll: string;
  entries: ImportEntry[];
  /** Delay-load imports are bound at load time too (wowasm has no lazy binding). */
  delayed: boolean;
}

/**
 * The import and delay-import directories. `loadedAt` is the base the image has been relocated to: old
 * (Visual C++ 6) delay-import descriptors hold virtual addresses, which relocation moved along.
 */
export function parseImports(pe: PeFile, loadedAt = pe.imageBase): ImportDescriptor[] {
  const r = new ImageReader(pe.image, pe.name);
  const out: ImportDescriptor[] = [];
  const { rva: dirRva, size: dirSize } = pe.dirs[DIR.IMPORT]!;
  if (dirRva !== 0 && dirSize !== 0) {
    for (let d = dirRva; ; d += 20) {
      const lookup = r.u32(d, 'the import directory');
      const nameRva = r.u32(d + 12, 'the import directory');
      const iat = r.u32(d + 16, 'the import directory');
      if (nameRva === 0 && iat === 0 && lookup === 0) break;
      if (out.length > 4096) throw new PeFormatError(pe.name, 'import directory is not terminated');
      out.push({ dll: r.cstring(nameRva, 'an imported DLL name'), entries: readThunks(r, lookup || iat, iat), delayed: false });
    }
  }
  const delay = pe.dirs[DIR.DELAY_IMPORT]!;
  if (delay.rva !== 0 && delay.size !== 0) {
    for (let d = delay.rva; ; d += 32) {
      const attrs = r.u32(d, 'the delay-import directory');
      const nameField = r.u32(d + 4, 'the delay-import directory');
      if (nameField === 0) break;
      // Old (Visual C++ 6) descriptors hold virtual addresses instead of RVAs.
      const toRva = (v: number) => (attrs & 1 ? v : v - loadedAt) >>> 0;
      const iat = toRva(r.u32(d + 12, 'the delay-import directory'));
      const names = toRva(r.u32(d + 16, 'the delay-import directory'));
      out.push({ dll: r.cstring(toRva(nameField), 'a delay-imported DLL name'), entries: readThunks(r, names, iat, attrs & 1 ? 0 : loadedAt), delayed: true });
    }
  }
  return out;
}

function readThunks(r: ImageReader, lookup: number, iat: number, vaBias = 0): ImportEntry[] {
  const entries: ImportEntry[] = [];
  for (let i = 0; ; i++) {
    const v = r.u32(lookup + 4 * i, 'an import lookup table');
    if (v === 0) break;
    if (i > 0x10000) throw new PeFormatError(r.name, 'import lookup table is not terminated');
    const ref: ImportRef = v & 0x8000_0000 ? { ordinal: v & 0xffff } : { hint: r.u16((v - vaBias) >>> 0, 'an import name'), name: r.cstring((v - vaBias + 2) >>> 0, 'an import name') };
    entries.push({ ref, iatRva: iat + 4 * i });
  }
  return entries;
}

// ---- base relocations -----------------------------------------------------------------------

/** Applies base relocations to the laid-out image for a load at `imageBase + delta`. */
export function applyRelocations(pe: PeFile, delta: number): number {
  const { rva: dirRva, size: dirSize } = pe.dirs[DIR.BASERELOC]!;
  const r = new ImageReader(pe.image, pe.name);
  let applied = 0;
  for (let block = dirRva; block < dirRva + dirSize; ) {
    const page = r.u32(block, 'a relocation block');
    const size = r.u32(block + 4, 'a relocation block');
    if (size < 8 || block + size > dirRva + dirSize) {
      if (size === 0 && page === 0) break; // some linkers pad the directory with zeros
      throw new PeFormatError(pe.name, `relocation block at RVA 0x${block.toString(16)} has size ${size}`);
    }
    for (let at = block + 8; at + 2 <= block + size; at += 2) {
      const entry = r.u16(at);
      const type = entry >>> 12;
      const target = page + (entry & 0xfff);
      if (type === 0) continue; // IMAGE_REL_BASED_ABSOLUTE: padding
      if (type === 3) {
        // IMAGE_REL_BASED_HIGHLOW
        r.setU32(target, r.u32(target, 'a relocation target') + delta);
      } else if (type === 1 || type === 2) {
        // HIGH / LOW halves (rare in 32-bit images)
        const image = pe.image;
        const v = image[target]! | (image[target + 1]! << 8);
        const add = type === 1 ? delta >>> 16 : delta & 0xffff;
        const nv = (v + add) & 0xffff;
        image[target] = nv & 0xff;
        image[target + 1] = nv >>> 8;
      } else {
        throw new PeFormatError(pe.name, `unsupported relocation type ${type} at RVA 0x${target.toString(16)}`);
      }
      applied++;
    }
    block += size;
  }
  return applied;
}

export function hasRelocations(pe: PeFile): boolean {
  const d = pe.dirs[DIR.BASERELOC]!;
  return d.rva !== 0 && d.size !== 0 && !pe.relocsStripped;
}

// ---- TLS ------------------------------------------------------------------------------------

export interface TlsDirectory {
  /** Virtual addresses (already relocated) of the template data. */
  startOfRawData: number;
  endOfRawData: number;
  addressOfIndex: number;
  addressOfCallbacks: number;
  sizeOfZeroFill: number;
}

/** Reads the TLS directory of an image already relocated to `base`. */
export function parseTls(pe: PeFile): TlsDirectory | undefined {
  const { rva, size } = pe.dirs[DIR.TLS]!;
  if (rva === 0 || size === 0) return undefined;
  const r = new ImageReader(pe.image, pe.name);
  return {
    startOfRawData: r.u32(rva, 'the TLS directory'),
    endOfRawData: r.u32(rva + 4, 'the TLS directory'),
    addressOfIndex: r.u32(rva + 8, 'the TLS directory'),
    addressOfCallbacks: r.u32(rva + 12, 'the TLS directory'),
    sizeOfZeroFill: r.u32(rva + 16, 'the TLS directory'),
  };
}
