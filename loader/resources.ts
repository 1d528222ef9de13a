// The resource section of a PE image (.rsrc): a three-level tree of type -> name -> language whose
// leaves point at the data (string tables, version info, dialogs, ...). Read from a laid-out image or
// from guest memory alike, through a small reader; every offset is checked, so a damaged section gives
// PeFormatError instead of reading wild.

import { PeFormatError } from './errors.js';

/** A resource type or name: a 16-bit ID or a (case-insensitive) string. */
export type ResourceKey = number | string;

/** Reads an image by RVA (throws on bytes outside it). */
export interface RvaReader {
  bytes(rva: number, length: number): Uint8Array;
}

/** Standard resource types (winuser.h RT_*). */
export const RT = {
  CURSOR: 1,
  BITMAP: 2,
  ICON: 3,
  MENU: 4,
  DIALOG: 5,
  STRING: 6,
  FONTDIR: 7,
  FONT: 8,
  ACCELERATOR: 9,
  RCDATA: 10,
  MESSAGETABLE: 11,
  GROUP_CURSOR: 12,
  GROUP_ICON: 14,
  VERSION: 16,
  MANIFEST: 24,
} as const;

export interface ResourceEntry {
  type: ResourceKey;
  name: ResourceKey;
  language: number;
  /** RVA of the data (resource data entries hold RVAs, not offsets). */
  rva: number;
  size: number;
  codePage: number;
}

const DIRECTORY_HEADER = 16;
const ENTRY = 8;
const DATA_ENTRY = 16;
const HIGH_BIT = 0x8000_0000;

/** The parsed resource tree of one image. */
export class ResourceDirectory {
  readonly entries: readonly ResourceEntry[];

  /**
   * `dir` is the resource data directory (IMAGE_DIRECTORY_ENTRY_RESOURCE). An image without one has no
   * entries.
   */
  constructor(
    private readonly reader: RvaReader,
    dir: { rva: number; size: number },
    private readonly imageName = 'image',
  ) {
    this.entries = dir.rva === 0 || dir.size === 0 ? [] : this.parse(dir.rva, dir.size);
  }

  get isEmpty(): boolean {
    return this.entries.length === 0;
  }

  hasType(type: ResourceKey): boolean {
    return this.entries.some((e) => keyEquals(e.type, type));
  }

  /**
   * The resource of this type and name in the preferred language: `language` if given and present,
   * else the order FindResource uses for a process running in US English (neutral, then the user's and
   * the system's default language, then English), else the first language there is.
   */
  find(type: ResourceKey, name: ResourceKey, language?: number): ResourceEntry | undefined {
    const candidates = this.entries.filter((e) => keyEquals(e.type, type) && keyEquals(e.name, name));
    if (candidates.length === 0) return undefined;
    const order = [...(language !== undefined ? [language] : []), ...LANGUAGE_FALLBACK];
    for (const lang of order) {
      const hit = candidates.find((e) => e.language === lang);
      if (hit) return hit;
    }
    return candidates[0];
  }

  /** The data of an entry. */
  data(e: ResourceEntry): Uint8Array {
    return this.reader.bytes(e.rva, e.size);
  }

  private parse(base: number, size: number): ResourceEntry[] {
    const dir = this.reader.bytes(base, size);
    const dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
    const fail = (what: string): never => {
      throw new PeFormatError(this.imageName, `resource directory: ${what}`);
    };
    const u16 = (o: number) => (o + 2 <= dir.length ? dv.getUint16(o, true) : fail(`offset 0x${o.toString(16)} is past its end`));
    const u32 = (o: number) => (o + 4 <= dir.length ? dv.getUint32(o, true) : fail(`offset 0x${o.toString(16)} is past its end`));
    const nameAt = (o: number): string => {
      const n = u16(o);
      if (o + 2 + 2 * n > dir.length) fail(`a name at 0x${o.toString(16)} is past its end`);
      let s = '';
      for (let i = 0; i < n; i++) s += String.fromCharCode(dv.getUint16(o + 2 + 2 * i, true));
      return s;
    };
    const level = (o: number, seen: Set<number>): { key: ResourceKey; at: number; isDir: boolean }[] => {
      if (seen.has(o)) fail('a subdirectory refers back to its parent');
      seen.add(o);
      const named = u16(o + 12);
      const ids = u16(o + 14);
      const out: { key: ResourceKey; at: number; isDir: boolean }[] = [];
      for (let i = 0; i < named + ids; i++) {
        const at = o + DIRECTORY_HEADER + i * ENTRY;
        const nameField = u32(at);
        const target = u32(at + 4);
        const key = nameField & HIGH_BIT ? nameAt(nameField & ~HIGH_BIT) : nameField & 0xffff;
        out.push({ key, at: target & ~HIGH_BIT, isDir: (target & HIGH_BIT) !== 0 });
      }
      return out;
    };
    const entries: ResourceEntry[] = [];
    const seen = new Set<number>();
    for (const t of level(0, seen)) {
      if (!t.isDir) fail('a type entry is not a directory');
      for (const n of level(t.at, seen)) {
        if (!n.isDir) fail('a name entry is not a directory');
        for (const l of level(n.at, seen)) {
          if (l.isDir) fail('a language entry is a directory');
          if (l.at + DATA_ENTRY > dir.length) fail(`a data entry at 0x${l.at.toString(16)} is past its end`);
          entries.push({ type: t.key, name: n.key, language: typeof l.key === 'number' ? l.key : 0, rva: u32(l.at), size: u32(l.at + 4), codePage: u32(l.at + 8) });
        }
      }
    }
    return entries;
  }
}

// LANG_NEUTRAL, LANG_NEUTRAL/SUBLANG_DEFAULT, en-US (user and system default here), LANG_ENGLISH,
// LANG_SYSTEM_DEFAULT.
const LANGUAGE_FALLBACK = [0x0000, 0x0400, 0x0409, 0x0009, 0x0800];

function keyEquals(a: ResourceKey, b: ResourceKey): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.toUpperCase() === b.toUpperCase();
}

/**
 * A resource name as FindResource takes it: an integer resource (`MAKEINTRESOURCE`, high word zero),
 * a "#123" string meaning ID 123, or a name.
 */
export function resourceKey(value: number | string): ResourceKey {
  if (typeof value === 'number') return value & 0xffff;
  const m = /^#(\d+)$/.exec(value);
  return m ? Number(m[1]) & 0xffff : value;
}

/** One string of an RT_STRING block: where its UTF-16 characters start (RVA) and how many there are. */
export interface TableString {
  rva: number;
  length: number;
  text: string;
}

/**
 * String `id` from the image's string tables. Strings live in blocks of 16 (block `id / 16 + 1`), each a
 * run of counted UTF-16 strings. Undefined when the block does not exist; an empty string when the block
 * exists but this slot is empty.
 */
export function findString(res: ResourceDirectory, id: number, language?: number): TableString | undefined {
  const e = res.find(RT.STRING, ((id & 0xffff) >>> 4) + 1, language);
  if (!e) return undefined;
  const block = res.data(e);
  const dv = new DataView(block.buffer, block.byteOffset, block.byteLength);
  let at = 0;
  for (let i = 0; i < 16; i++) {
    if (at + 2 > block.length) return { rva: e.rva + at, length: 0, text: '' }; // a short (damaged) block
    const n = dv.getUint16(at, true);
    const chars = Math.min(n, Math.floor((block.length - at - 2) / 2));
    if (i === (id & 0xf)) {
      let text = '';
      for (let k = 0; k < chars; k++) text += String.fromCharCode(dv.getUint16(at + 2 + 2 * k, true));
      return { rva: e.rva + at + 2, length: chars, text };
    }
    at += 2 + 2 * n;
  }
  return undefined;
}

/** A reader over a laid-out image (PeFile.image). */
export function imageReader(image: Uint8Array, name = 'image'): RvaReader {
  return {
    bytes(rva, length) {
      if (rva < 0 || length < 0 || rva + length > image.length) throw new PeFormatError(name, `resource data at RVA 0x${(rva >>> 0).toString(16)} lies outside the image`);
      return image.subarray(rva, rva + length);
    },
  };
}
