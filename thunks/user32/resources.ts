// Resources of loaded images as user32 reads them: LoadStringA/W from a module's RT_STRING tables. The
// resource section is read from the mapped image in guest memory (so a pointer LoadStringW hands out
// points into the image, as on Windows); the host EXE and built-in DLLs have no resources.

import { GuestMemoryError, WowasmError } from '../../emulator/errors.js';
import { findString, ResourceDirectory, type TableString } from '../../loader/resources.js';
import { fn } from '../spec.js';
import type { ModuleRef, Process } from '../process.js';
import { encodeString, writeWide } from '../text.js';

export const RESOURCE_ERROR = {
  /** The image has no resource section. */
  DATA_NOT_FOUND: 1812,
  /** No resource of that type. */
  TYPE_NOT_FOUND: 1813,
  /** No resource of that name (here: no string block). */
  NAME_NOT_FOUND: 1814,
} as const;

const cache = new WeakMap<ModuleRef, ResourceDirectory | null>();

/** The resource tree of the image an HINSTANCE/HMODULE names; null when it has none (or is no image). */
export function moduleResources(p: Process, hModule: number): ResourceDirectory | null {
  const m = hModule === 0 ? undefined : p.modules.byBase(hModule);
  if (!m || m.kind !== 'pe') return null;
  let res = cache.get(m);
  if (res === undefined) {
    res = readResources(p, m);
    cache.set(m, res);
  }
  return res;
}

/** Parses the resource section of an image mapped at m.base, through its headers in guest memory. */
function readResources(p: Process, m: ModuleRef): ResourceDirectory | null {
  const mem = p.mem;
  const base = m.base;
  try {
    const opt = base + mem.u32(base + 0x3c) + 24;
    const sizeOfImage = mem.u32(opt + 56);
    if (mem.u32(opt + 92) <= 2) return null; // NumberOfRvaAndSizes: no resource directory entry
    const dir = { rva: mem.u32(opt + 96 + 2 * 8), size: mem.u32(opt + 100 + 2 * 8) };
    if (dir.rva === 0 || dir.size === 0) return null;
    const reader = {
      bytes(rva: number, length: number): Uint8Array {
        if (rva + length > sizeOfImage) throw new WowasmError('WOWASM_BAD_PE', `${m.name}: resource data at RVA 0x${rva.toString(16)} lies outside the image`);
        return mem.read(base + rva, length);
      },
    };
    return new ResourceDirectory(reader, dir, m.name);
  } catch (e) {
    // A damaged resource section holds nothing usable, as FindResource would find nothing in it.
    if (e instanceof WowasmError || e instanceof GuestMemoryError) return null;
    throw e;
  }
}

/** String `id` of a module's string table, or undefined with the last error set as FindResource does. */
export function resourceString(p: Process, hInstance: number, id: number): TableString | undefined {
  const res = moduleResources(p, hInstance);
  if (!res || res.isEmpty) {
    p.setLastError(RESOURCE_ERROR.DATA_NOT_FOUND);
    return undefined;
  }
  let s: TableString | undefined;
  try {
    s = findString(res, id & 0xffff);
  } catch (e) {
    if (!(e instanceof WowasmError || e instanceof GuestMemoryError)) throw e;
  }
  if (!s) p.setLastError(res.hasType(6) ? RESOURCE_ERROR.NAME_NOT_FOUND : RESOURCE_ERROR.TYPE_NOT_FOUND);
  return s;
}

/**
 * LoadStringW: copies up to cchBufferMax - 1 characters and a NUL; with cchBufferMax 0, stores a
 * read-only pointer to the string inside the image instead (not NUL-terminated) and returns its length.
 */
export function LoadStringW(p: Process, hInstance: number, uID: number, lpBuffer: number, cchBufferMax: number): number {
  if (lpBuffer === 0) return 0;
  const s = resourceString(p, hInstance, uID);
  if (!s) {
    if (cchBufferMax > 0) p.mem.setU16(lpBuffer, 0);
    return 0;
  }
  if (cchBufferMax === 0) {
    p.mem.setU32(lpBuffer, hInstance + s.rva);
    return s.length;
  }
  if (cchBufferMax < 0) return 0;
  return writeWide(p.mem, lpBuffer, s.text.slice(0, cchBufferMax - 1));
}

/** LoadStringA: the string in the ANSI code page, cut to cchBufferMax - 1 bytes; -1 for a zero size. */
export function LoadStringA(p: Process, hInstance: number, uID: number, lpBuffer: number, cchBufferMax: number): number {
  if (cchBufferMax === 0) return -1;
  const s = resourceString(p, hInstance, uID);
  const bytes = s ? encodeString(s.text, p.ansiCodePage).bytes : new Uint8Array(0);
  const n = Math.max(0, Math.min(cchBufferMax - 1, bytes.length));
  const out = new Uint8Array(n + 1);
  out.set(bytes.subarray(0, n));
  p.mem.write(lpBuffer, out);
  return n;
}

/** user32 exports of this area (the DLL table is their union, see thunks/user32.ts). */
export const resourcesApi = {
  LoadStringA: fn('stdcall', ['long', 'long', 'ptr', 'int'], 'int', LoadStringA),
  LoadStringW: fn('stdcall', ['long', 'long', 'ptr', 'int'], 'int', LoadStringW),
};
