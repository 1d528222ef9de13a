// Finding DLL files on the host: Windows matches file names case-insensitively, the host file system
// may not, so a directory is listed once and looked up by lower-cased name.

import fs from 'node:fs';
import path from 'node:path';

/** Lower-cased base name with an extension: "KERNEL32" -> "kernel32.dll", "Foo.DLL" -> "foo.dll". */
export function normalizeDllName(name: string): string {
  const base = path.win32.basename(name.replace(/\//g, '\\')).toLowerCase();
  if (base.endsWith('.')) return base.slice(0, -1); // "name." means: no extension, don't add one
  return path.extname(base) ? base : base + '.dll';
}

const listings = new Map<string, Map<string, string> | null>();

/** Case-insensitive lookup of `fileName` in `dir`; returns the real path or undefined. */
export function findInDir(dir: string, fileName: string): string | undefined {
  let listing = listings.get(dir);
  if (listing === undefined) {
    listing = null;
    try {
      listing = new Map(fs.readdirSync(dir).map((f) => [f.toLowerCase(), f]));
    } catch {
      // an unreadable or missing folder simply holds nothing
    }
    listings.set(dir, listing);
  }
  const real = listing?.get(fileName.toLowerCase());
  if (!real) return undefined;
  const full = path.join(dir, real);
  try {
    return fs.statSync(full).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

/** Forget cached directory listings (files may have been added since). */
export function clearSearchCache(): void {
  listings.clear();
}
