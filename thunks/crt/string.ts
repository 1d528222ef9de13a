// <string.h> and <wchar.h> on guest memory. Comparisons are bytewise (unsigned char), as the C
// library specifies; the case-insensitive ones use the "C" locale.
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { ERRNO_TEXT, staticBuffer } from './state.js';
import { writeAnsi } from '../text.js';
import type { Process } from '../process.js';

const lowerAscii = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);
const upperAscii = (c: number) => (c >= 0x61 && c <= 0x7a ? c - 32 : c);

export function memcpy(p: Process, dst: number, src: number, n: number): number {
  if (n) p.mem.copyWithin(dst, src, n);
  return dst;
}
export const memmove = memcpy;

export function memset(p: Process, dst: number, c: number, n: number): number {
  if (n) p.mem.fill(dst, c & 0xff, n);
  return dst;
}

export function memcmp(p: Process, a: number, b: number, n: number): number {
  if (!n) return 0;
  const x = p.mem.read(a, n);
  const y = p.mem.read(b, n);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return 0;
}

export function memchr(p: Process, s: number, c: number, n: number): number {
  if (!n) return 0;
  const i = p.mem.read(s, n).indexOf(c & 0xff);
  return i < 0 ? 0 : s + i;
}

export function strlen(p: Process, s: number): number {
  return p.mem.readCBytes(s).length;
}

export function strnlen(p: Process, s: number, max: number): number {
  return p.mem.readCBytes(s, max).length;
}

function cmp(a: Uint8Array, b: Uint8Array, n: number, fold: boolean): number {
  for (let i = 0; i < n; i++) {
    const x = i < a.length ? (fold ? lowerAscii(a[i]!) : a[i]!) : 0;
    const y = i < b.length ? (fold ? lowerAscii(b[i]!) : b[i]!) : 0;
    if (x !== y) return x < y ? -1 : 1;
    if (x === 0) return 0;
  }
  return 0;
}

export function strcmp(p: Process, a: number, b: number): number {
  const x = p.mem.readCBytes(a);
  const y = p.mem.readCBytes(b);
  return cmp(x, y, Math.max(x.length, y.length) + 1, false);
}
export function strncmp(p: Process, a: number, b: number, n: number): number {
  return n ? cmp(p.mem.readCBytes(a, n), p.mem.readCBytes(b, n), n, false) : 0;
}
export function _stricmp(p: Process, a: number, b: number): number {
  const x = p.mem.readCBytes(a);
  const y = p.mem.readCBytes(b);
  return cmp(x, y, Math.max(x.length, y.length) + 1, true);
}
export function _strnicmp(p: Process, a: number, b: number, n: number): number {
  return n ? cmp(p.mem.readCBytes(a, n), p.mem.readCBytes(b, n), n, true) : 0;
}

export function strcpy(p: Process, dst: number, src: number): number {
  const b = p.mem.readCBytes(src);
  p.mem.write(dst, b);
  p.mem.setU8(dst + b.length, 0);
  return dst;
}

export function strncpy(p: Process, dst: number, src: number, n: number): number {
  const b = p.mem.readCBytes(src, n);
  p.mem.write(dst, b);
  if (b.length < n) p.mem.fill(dst + b.length, 0, n - b.length);
  return dst;
}

export function strcat(p: Process, dst: number, src: number): number {
  strcpy(p, dst + strlen(p, dst), src);
  return dst;
}

export function strncat(p: Process, dst: number, src: number, n: number): number {
  const end = dst + strlen(p, dst);
  const b = p.mem.readCBytes(src, n);
  p.mem.write(end, b);
  p.mem.setU8(end + b.length, 0);
  return dst;
}

export function strchr(p: Process, s: number, c: number): number {
  const b = p.mem.readCBytes(s);
  const ch = c & 0xff;
  if (ch === 0) return s + b.length;
  const i = b.indexOf(ch);
  return i < 0 ? 0 : s + i;
}

export function strrchr(p: Process, s: number, c: number): number {
  const b = p.mem.readCBytes(s);
  const ch = c & 0xff;
  if (ch === 0) return s + b.length;
  const i = b.lastIndexOf(ch);
  return i < 0 ? 0 : s + i;
}

export function strstr(p: Process, hay: number, needle: number): number {
  const h = p.mem.readCBytes(hay);
  const n = p.mem.readCBytes(needle);
  if (n.length === 0) return hay;
  outer: for (let i = 0; i + n.length <= h.length; i++) {
    for (let j = 0; j < n.length; j++) if (h[i + j] !== n[j]) continue outer;
    return hay + i;
  }
  return 0;
}

export function strspn(p: Process, s: number, set: number): number {
  const b = p.mem.readCBytes(s);
  const accept = new Set(p.mem.readCBytes(set));
  let i = 0;
  while (i < b.length && accept.has(b[i]!)) i++;
  return i;
}

export function strcspn(p: Process, s: number, set: number): number {
  const b = p.mem.readCBytes(s);
  const reject = new Set(p.mem.readCBytes(set));
  let i = 0;
  while (i < b.length && !reject.has(b[i]!)) i++;
  return i;
}

export function strpbrk(p: Process, s: number, set: number): number {
  const i = strcspn(p, s, set);
  return p.mem.u8(s + i) ? s + i : 0;
}

export function _strdup(p: Process, s: number): number {
  if (!s) return 0;
  const b = p.mem.readCBytes(s);
  const d = p.heap.alloc(b.length + 1);
  if (!d) return 0;
  p.mem.write(d, b);
  p.mem.setU8(d + b.length, 0);
  return d;
}

export function _strlwr(p: Process, s: number): number {
  const b = p.mem.readCBytes(s);
  p.mem.write(s, b.map(lowerAscii));
  return s;
}

export function _strupr(p: Process, s: number): number {
  const b = p.mem.readCBytes(s);
  p.mem.write(s, b.map(upperAscii));
  return s;
}

// ---- wide strings --------------------------------------------------------------------------

export function wcslen(p: Process, s: number): number {
  return p.mem.readWUnits(s).length;
}

export function wcscmp(p: Process, a: number, b: number): number {
  const x = p.mem.readWUnits(a);
  const y = p.mem.readWUnits(b);
  for (let i = 0; ; i++) {
    const c = x[i] ?? 0;
    const d = y[i] ?? 0;
    if (c !== d) return c < d ? -1 : 1;
    if (c === 0) return 0;
  }
}

export function wcscpy(p: Process, dst: number, src: number): number {
  const u = p.mem.readWUnits(src);
  p.mem.write(dst, new Uint8Array(u.buffer, u.byteOffset, u.byteLength));
  p.mem.setU16(dst + 2 * u.length, 0);
  return dst;
}

export function wcschr(p: Process, s: number, c: number): number {
  const u = p.mem.readWUnits(s);
  const ch = c & 0xffff;
  if (ch === 0) return s + 2 * u.length;
  const i = u.indexOf(ch);
  return i < 0 ? 0 : s + 2 * i;
}

// ---- character classes ("C" locale) ----------------------------------------------------------

export const ctype = {
  isalpha: (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a),
  isdigit: (c: number) => c >= 0x30 && c <= 0x39,
  isxdigit: (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66),
  isspace: (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d),
  isupper: (c: number) => c >= 0x41 && c <= 0x5a,
  islower: (c: number) => c >= 0x61 && c <= 0x7a,
  isalnum: (c: number) => ctype.isalpha(c) || ctype.isdigit(c),
  ispunct: (c: number) => c > 0x20 && c < 0x7f && !ctype.isalnum(c),
  isprint: (c: number) => c >= 0x20 && c < 0x7f,
  isgraph: (c: number) => c > 0x20 && c < 0x7f,
  iscntrl: (c: number) => (c >= 0 && c < 0x20) || c === 0x7f,
};

export function tolower(_p: Process, c: number): number {
  return lowerAscii(c | 0);
}
export function toupper(_p: Process, c: number): number {
  return upperAscii(c | 0);
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function stringApi(_flavour: CrtFlavour): Record<string, Export> {
  const ctypeApi = Object.fromEntries(Object.entries(ctype).map(([name, test]) => [name, fn('cdecl', ['int'], 'int', (_p, c) => (test(c) ? 1 : 0))]));
  return {
    ...ctypeApi,
    _strdup: fn('cdecl', ['ptr'], 'ptr', _strdup),
    _stricmp: fn('cdecl', ['ptr', 'ptr'], 'int', _stricmp),
    _strlwr: fn('cdecl', ['ptr'], 'ptr', _strlwr),
    _strnicmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _strnicmp),
    _strupr: fn('cdecl', ['ptr'], 'ptr', _strupr),
    memchr: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memchr),
    memcmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', memcmp),
    memcpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memcpy, { quiet: true }),
    memmove: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memmove, { quiet: true }),
    memset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memset, { quiet: true }),
    strcat: fn('cdecl', ['ptr', 'ptr'], 'ptr', strcat),
    strchr: fn('cdecl', ['ptr', 'int'], 'ptr', strchr),
    strcmp: fn('cdecl', ['ptr', 'ptr'], 'int', strcmp),
    strcpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', strcpy),
    strcspn: fn('cdecl', ['ptr', 'ptr'], 'long', strcspn),
    strerror: fn('cdecl', ['int'], 'ptr', (p, e) => {
      const buf = staticBuffer(p, 'strerror', 96);
      writeAnsi(p.mem, buf, ERRNO_TEXT[e] ?? 'Unknown error');
      return buf;
    }),
    strlen: fn('cdecl', ['ptr'], 'long', strlen, { quiet: true }),
    strncat: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncat),
    strncmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', strncmp),
    strncpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncpy),
    strnlen: fn('cdecl', ['ptr', 'long'], 'long', strnlen),
    strpbrk: fn('cdecl', ['ptr', 'ptr'], 'ptr', strpbrk),
    strrchr: fn('cdecl', ['ptr', 'int'], 'ptr', strrchr),
    strspn: fn('cdecl', ['ptr', 'ptr'], 'long', strspn),
    strstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', strstr),
    tolower: fn('cdecl', ['int'], 'int', tolower),
    toupper: fn('cdecl', ['int'], 'int', toupper),
    wcschr: fn('cdecl', ['ptr', 'int'], 'ptr', wcschr),
    wcscmp: fn('cdecl', ['ptr', 'ptr'], 'int', wcscmp),
    wcscpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcscpy),
    wcslen: fn('cdecl', ['ptr'], 'long', wcslen),
  };
}
