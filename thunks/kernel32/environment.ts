// The environment block: GetEnvironmentStrings (a copy the caller frees), SetEnvironmentStrings,
// ExpandEnvironmentStrings. Single variables are in process-info.ts (Get/SetEnvironmentVariable).
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString, encodeUtf16 } from '../text.js';
import { ERROR } from '../win32.js';

/** The variables in the order Windows keeps them: sorted by upper-cased name. */
export function environmentEntries(p: Process): { name: string; value: string }[] {
  return [...p.env.values()].sort((a, b) => {
    const x = a.name.toUpperCase();
    const y = b.name.toUpperCase();
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** "NAME=value\0...NAME=value\0\0" on the process heap. */
export function GetEnvironmentStrings(p: Process, wide: boolean): number {
  const text = environmentEntries(p).map((e) => `${e.name}=${e.value}\0`).join('') + '\0';
  const bytes = wide ? encodeUtf16(text.length === 1 ? '\0\0' : text) : encodeString(text.length === 1 ? '\0\0' : text, p.ansiCodePage).bytes;
  const block = p.heap.alloc(bytes.length);
  if (!block) {
    p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
    return 0;
  }
  p.mem.write(block, bytes);
  return block;
}

export function FreeEnvironmentStrings(p: Process, block: number): boolean {
  if (block) p.heap.free(block);
  return true;
}

/** Replaces the whole environment with a "NAME=value\0...\0" block; a string without a name is refused. */
export function SetEnvironmentStrings(p: Process, block: number, wide: boolean): boolean {
  if (!block) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const entries: [string, string][] = [];
  for (let at = block; ; ) {
    const s = wide ? readWideAt(p, at) : decodeBytes(p.mem.readCBytes(at), p.ansiCodePage);
    if (s.length === 0) break;
    const eq = s.indexOf('=', 1);
    if (eq < 1) {
      p.setLastError(ERROR.INVALID_PARAMETER);
      return false;
    }
    entries.push([s.slice(0, eq), s.slice(eq + 1)]);
    at += wide ? 2 * (s.length + 1) : p.mem.readCBytes(at).length + 1;
  }
  p.env.clear();
  for (const [name, value] of entries) p.env.set(name.toUpperCase(), { name, value });
  return true;
}

function readWideAt(p: Process, at: number): string {
  return String.fromCharCode(...p.mem.readWUnits(at));
}

/** Replaces each %NAME% of a defined variable by its value; anything else stays as written. */
export function expandEnvironment(p: Process, s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('%', i);
    if (open < 0) {
      out += s.slice(i);
      break;
    }
    out += s.slice(i, open);
    const close = s.indexOf('%', open + 1);
    if (close < 0) {
      out += s.slice(open);
      break;
    }
    const name = s.slice(open + 1, close);
    const v = name ? p.env.get(name.toUpperCase()) : undefined;
    if (v) {
      out += v.value;
      i = close + 1;
    } else {
      // Not a variable: the first % is text, and the second may open a name.
      out += s.slice(open, close);
      i = close;
    }
  }
  return out;
}

/**
 * Returns the characters (bytes for the A version) stored with the NUL, or, when nSize is too small, the
 * size needed; nothing is written then.
 */
export function ExpandEnvironmentStrings(p: Process, src: string | null, dst: number, size: number, wide: boolean): number {
  if (src === null) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const text = expandEnvironment(p, src);
  const bytes = wide ? encodeUtf16(text + '\0') : encodeString(text + '\0', p.ansiCodePage).bytes;
  const count = wide ? bytes.length / 2 : bytes.length;
  if (count > size || !dst) {
    if (dst && size) p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return count;
  }
  p.mem.write(dst, bytes);
  return count;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const environmentApi = {
  ExpandEnvironmentStringsA: fn('stdcall', ['str', 'ptr', 'long'], 'long', (p, s, d, n) => ExpandEnvironmentStrings(p, s, d, n, false)),
  ExpandEnvironmentStringsW: fn('stdcall', ['wstr', 'ptr', 'long'], 'long', (p, s, d, n) => ExpandEnvironmentStrings(p, s, d, n, true)),
  FreeEnvironmentStringsA: fn('stdcall', ['ptr'], 'bool', FreeEnvironmentStrings),
  FreeEnvironmentStringsW: fn('stdcall', ['ptr'], 'bool', FreeEnvironmentStrings),
  GetEnvironmentStrings: fn('stdcall', [], 'ptr', (p) => GetEnvironmentStrings(p, false)),
  GetEnvironmentStringsA: fn('stdcall', [], 'ptr', (p) => GetEnvironmentStrings(p, false)),
  GetEnvironmentStringsW: fn('stdcall', [], 'ptr', (p) => GetEnvironmentStrings(p, true)),
  SetEnvironmentStringsA: fn('stdcall', ['ptr'], 'bool', (p, b) => SetEnvironmentStrings(p, b, false)),
  SetEnvironmentStringsW: fn('stdcall', ['ptr'], 'bool', (p, b) => SetEnvironmentStrings(p, b, true)),
};
