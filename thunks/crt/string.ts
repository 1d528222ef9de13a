// <string.h> on guest memory. Comparisons are bytewise (unsigned char), as the C library specifies; the
// case-insensitive ones, collation and case mapping use the "C" locale. The secure (_s) forms validate as
// Microsoft documents, through the invalid parameter handler.
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import { writeAnsi } from '../text.js';
import { lowerAscii, upperAscii } from './ctype.js';
import { hasSecureCrt } from './flavour.js';
import type { CrtFlavour } from './format.js';
import { invalidParameter } from './signal.js';
import { crt, ERRNO, ERRNO_TEXT, staticBuffer } from './state.js';
import { TRUNCATE } from './printf.js';
import { strtokCore } from './wide.js';
import { stdStream, streamWrite } from './files.js';
import { cLocaleBytes } from './printf.js';
import { writeWide } from '../text.js';

/** strncpy_s & co. with _TRUNCATE return STRUNCATE when they cut the string. */
export const STRUNCATE = 80;

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

export function _strrev(p: Process, s: number): number {
  const b = p.mem.readCBytes(s);
  p.mem.write(s, b.slice().reverse());
  return s;
}

export function _memicmp(p: Process, a: number, b: number, n: number): number {
  if (!n) return 0;
  const x = p.mem.read(a, n);
  const y = p.mem.read(b, n);
  for (let i = 0; i < n; i++) {
    const c = lowerAscii(x[i]!);
    const d = lowerAscii(y[i]!);
    if (c !== d) return c < d ? -1 : 1;
  }
  return 0;
}

/** _memccpy: copies up to n bytes, stopping after the first c; returns the byte after it, or NULL. */
export function _memccpy(p: Process, dst: number, src: number, c: number, n: number): number {
  if (!n) return 0;
  const b = p.mem.read(src, n);
  const i = b.indexOf(c & 0xff);
  const k = i < 0 ? n : i + 1;
  p.mem.write(dst, b.subarray(0, k));
  return i < 0 ? 0 : dst + k;
}

/** strtok's position, per thread as in the CRT. */
const strtokState = stateKey('crt.strtok', () => new Map<number, { next: number }>());

export function strtok(p: Process, s: number, delim: number): number {
  const threads = p.state(strtokState);
  let st = threads.get(p.currentThread.id);
  if (!st) threads.set(p.currentThread.id, (st = { next: 0 }));
  const set = new Set(p.mem.readCBytes(delim));
  let at = s || st.next;
  if (!at) return 0;
  while (p.mem.u8(at) && set.has(p.mem.u8(at))) at++;
  if (!p.mem.u8(at)) {
    st.next = 0;
    return 0;
  }
  const token = at;
  while (p.mem.u8(at) && !set.has(p.mem.u8(at))) at++;
  if (p.mem.u8(at)) {
    p.mem.setU8(at, 0);
    at++;
  }
  st.next = at;
  return token;
}

/** strerror's text for an errno value ("Unknown error" past the table). */
export function errnoText(e: number): string {
  return ERRNO_TEXT[e] ?? 'Unknown error';
}

// ---- the secure forms ---------------------------------------------------------------------------

function fail(p: Process, fnName: string, problem: string, errno: number, clear?: { dst: number; size: number }): number {
  if (clear && clear.dst && clear.size > 0) p.mem.setU8(clear.dst, 0);
  invalidParameter(p, fnName, problem, errno);
  return errno;
}

export function strcpy_s(p: Process, dst: number, size: number, src: number): number {
  if (!dst || size === 0) return fail(p, 'strcpy_s', 'destination is NULL or has no room', ERRNO.EINVAL);
  if (!src) return fail(p, 'strcpy_s', 'source is NULL', ERRNO.EINVAL, { dst, size });
  const b = p.mem.readCBytes(src);
  if (b.length + 1 > size) return fail(p, 'strcpy_s', 'the destination is too small', ERRNO.ERANGE, { dst, size });
  p.mem.write(dst, b);
  p.mem.setU8(dst + b.length, 0);
  return 0;
}

export function strcat_s(p: Process, dst: number, size: number, src: number): number {
  if (!dst || size === 0) return fail(p, 'strcat_s', 'destination is NULL or has no room', ERRNO.EINVAL);
  if (!src) return fail(p, 'strcat_s', 'source is NULL', ERRNO.EINVAL, { dst, size });
  const have = p.mem.readCBytes(dst, size).length;
  if (have === size) return fail(p, 'strcat_s', 'the destination is not terminated', ERRNO.EINVAL, { dst, size });
  const b = p.mem.readCBytes(src);
  if (have + b.length + 1 > size) return fail(p, 'strcat_s', 'the destination is too small', ERRNO.ERANGE, { dst, size });
  p.mem.write(dst + have, b);
  p.mem.setU8(dst + have + b.length, 0);
  return 0;
}

export function strncpy_s(p: Process, dst: number, size: number, src: number, count: number): number {
  if (count === 0 && !dst && size === 0) return 0;
  if (!dst || size === 0) return fail(p, 'strncpy_s', 'destination is NULL or has no room', ERRNO.EINVAL);
  if (count === 0) {
    p.mem.setU8(dst, 0);
    return 0;
  }
  if (!src) return fail(p, 'strncpy_s', 'source is NULL', ERRNO.EINVAL, { dst, size });
  const b = p.mem.readCBytes(src, count === TRUNCATE ? undefined : count);
  if (count === TRUNCATE && b.length + 1 > size) {
    p.mem.write(dst, b.subarray(0, size - 1));
    p.mem.setU8(dst + size - 1, 0);
    return STRUNCATE;
  }
  if (b.length + 1 > size) return fail(p, 'strncpy_s', 'the destination is too small', ERRNO.ERANGE, { dst, size });
  p.mem.write(dst, b);
  p.mem.setU8(dst + b.length, 0);
  return 0;
}

export function strncat_s(p: Process, dst: number, size: number, src: number, count: number): number {
  if (count === 0 && !dst && size === 0) return 0;
  if (!dst || size === 0) return fail(p, 'strncat_s', 'destination is NULL or has no room', ERRNO.EINVAL);
  if (!src && count !== 0) return fail(p, 'strncat_s', 'source is NULL', ERRNO.EINVAL, { dst, size });
  const have = p.mem.readCBytes(dst, size).length;
  if (have === size) return fail(p, 'strncat_s', 'the destination is not terminated', ERRNO.EINVAL, { dst, size });
  const b = count === 0 ? new Uint8Array(0) : p.mem.readCBytes(src, count === TRUNCATE ? undefined : count);
  const room = size - have - 1;
  if (b.length > room) {
    if (count !== TRUNCATE) return fail(p, 'strncat_s', 'the destination is too small', ERRNO.ERANGE, { dst, size });
    p.mem.write(dst + have, b.subarray(0, room));
    p.mem.setU8(dst + have + room, 0);
    return STRUNCATE;
  }
  p.mem.write(dst + have, b);
  p.mem.setU8(dst + have + b.length, 0);
  return 0;
}

export function memcpy_s(p: Process, dst: number, size: number, src: number, count: number, move: boolean): number {
  const fnName = move ? 'memmove_s' : 'memcpy_s';
  if (count === 0) return 0;
  if (!dst) return fail(p, fnName, 'destination is NULL', ERRNO.EINVAL);
  if (!src) {
    if (!move) p.mem.fill(dst, 0, size);
    return fail(p, fnName, 'source is NULL', ERRNO.EINVAL);
  }
  if (size < count) {
    if (!move) p.mem.fill(dst, 0, size);
    return fail(p, fnName, 'the destination is too small', ERRNO.ERANGE);
  }
  p.mem.copyWithin(dst, src, count);
  return 0;
}

function caseSecure(p: Process, fnName: string, s: number, size: number, map: (c: number) => number): number {
  if (!s) return fail(p, fnName, 'string is NULL', ERRNO.EINVAL);
  const b = p.mem.readCBytes(s, size);
  if (b.length === size) return fail(p, fnName, 'the string is not terminated within its size', ERRNO.EINVAL, { dst: s, size });
  p.mem.write(s, b.map(map));
  return 0;
}

export function strerror_s(p: Process, buf: number, size: number, e: number): number {
  if (!buf || size === 0) return fail(p, 'strerror_s', 'buffer is NULL or has no room', ERRNO.EINVAL);
  const text = errnoText(e);
  const k = Math.min(text.length, size - 1);
  writeAnsi(p.mem, buf, text.slice(0, k), 1252);
  return 0;
}

/** _sys_errlist: the strerror texts as an array of char* (and _sys_nerr, their count). */
const errlist = stateKey('crt.errlist', (p: Process) => {
  const count = 43;
  const list = p.allocStatic(4 * count, 4);
  for (let e = 0; e < count; e++) {
    const text = errnoText(e);
    const at = p.allocStatic(text.length + 1, 1);
    writeAnsi(p.mem, at, text, 1252);
    p.mem.setU32(list + 4 * e, at);
  }
  const nerr = p.allocStatic(4, 4);
  p.mem.setU32(nerr, count);
  return { list, nerr };
});

/** perror / _wperror: "prefix: text\n" (or the text alone) on stderr. */
function perror(p: Process, prefix: string | null): void {
  const text = errnoText(p.mem.u32(p.state(crt).errnoAddr));
  const line = prefix ? `${prefix}: ${text}\n` : `${text}\n`;
  streamWrite(p, stdStream(p, 2), cLocaleBytes(line) ?? Uint8Array.from(line, (c) => c.charCodeAt(0) & 0xff));
}

/** _wcserror / __wcserror: strerror's text in a static wide buffer. */
function wcserror(p: Process, prefix: string | null, e: number, withPrefix: boolean): number {
  const buf = staticBuffer(p, withPrefix ? '__wcserror' : '_wcserror', 2 * 512);
  const text = errnoText(e);
  writeWide(p.mem, buf, withPrefix ? (prefix ? `${prefix.slice(0, 400)}: ${text}\n` : `${text}\n`) : text);
  return buf;
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function stringApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const table: Record<string, Export> = {
    _memccpy: fn('cdecl', ['ptr', 'ptr', 'int', 'long'], 'ptr', _memccpy),
    _memicmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _memicmp),
    _strcmpi: fn('cdecl', ['ptr', 'ptr'], 'int', _stricmp),
    _strdup: fn('cdecl', ['ptr'], 'ptr', _strdup),
    _strerror: fn('cdecl', ['ptr'], 'ptr', (p, s) => {
      const buf = staticBuffer(p, '_strerror', 512);
      const text = errnoText(p.mem.u32(p.state(crt).errnoAddr));
      const prefix = s ? String.fromCharCode(...p.mem.readCBytes(s, 400)) + ': ' : '';
      writeAnsi(p.mem, buf, `${prefix}${text}\n`, 1252);
      return buf;
    }),
    _stricmp: fn('cdecl', ['ptr', 'ptr'], 'int', _stricmp),
    _stricoll: fn('cdecl', ['ptr', 'ptr'], 'int', _stricmp),
    _strlwr: fn('cdecl', ['ptr'], 'ptr', _strlwr),
    _strncoll: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', strncmp),
    _strnicmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _strnicmp),
    _strnicoll: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', _strnicmp),
    _strnset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', (p, s, c, n) => {
      const len = p.mem.readCBytes(s, n).length;
      if (len) p.mem.fill(s, c & 0xff, len);
      return s;
    }),
    _strrev: fn('cdecl', ['ptr'], 'ptr', _strrev),
    _strset: fn('cdecl', ['ptr', 'int'], 'ptr', (p, s, c) => {
      const len = strlen(p, s);
      if (len) p.mem.fill(s, c & 0xff, len);
      return s;
    }),
    _strupr: fn('cdecl', ['ptr'], 'ptr', _strupr),
    memchr: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memchr),
    memcmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', memcmp),
    memcpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memcpy, { quiet: true }),
    memmove: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memmove, { quiet: true }),
    memset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memset, { quiet: true }),
    strcat: fn('cdecl', ['ptr', 'ptr'], 'ptr', strcat),
    strchr: fn('cdecl', ['ptr', 'int'], 'ptr', strchr),
    strcmp: fn('cdecl', ['ptr', 'ptr'], 'int', strcmp),
    // "C" locale collation is byte order; strxfrm copies.
    strcoll: fn('cdecl', ['ptr', 'ptr'], 'int', strcmp),
    strcpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', strcpy),
    strcspn: fn('cdecl', ['ptr', 'ptr'], 'long', strcspn),
    strerror: fn('cdecl', ['int'], 'ptr', (p, e) => {
      const buf = staticBuffer(p, 'strerror', 96);
      writeAnsi(p.mem, buf, errnoText(e), 1252);
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
    strtok: fn('cdecl', ['ptr', 'ptr'], 'ptr', strtok),
    strxfrm: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', (p, d, s, n) => {
      const b = p.mem.readCBytes(s);
      if (d && b.length < n) {
        p.mem.write(d, b);
        p.mem.setU8(d + b.length, 0);
      }
      return b.length;
    }),
  };
  Object.assign(table, {
    _wcserror: fn('cdecl', ['int'], 'ptr', (p, e) => wcserror(p, null, e, false)),
    __wcserror: fn('cdecl', ['wstr'], 'ptr', (p, s) => wcserror(p, s, p.mem.u32(p.state(crt).errnoAddr), true)),
    _wperror: fn('cdecl', ['wstr'], 'void', perror),
    perror: fn('cdecl', ['str'], 'void', perror),
    // The "C" locale forms with a locale argument.
    _strcoll_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => strcmp(p, a, b)),
    _stricmp_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => _stricmp(p, a, b)),
    _stricoll_l: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, a, b, _l) => _stricmp(p, a, b)),
    _strncoll_l: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'int', (p, a, b, n, _l) => strncmp(p, a, b, n)),
    _strnicmp_l: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'int', (p, a, b, n, _l) => _strnicmp(p, a, b, n)),
    _strnicoll_l: fn('cdecl', ['ptr', 'ptr', 'long', 'ptr'], 'int', (p, a, b, n, _l) => _strnicmp(p, a, b, n)),
    _strlwr_l: fn('cdecl', ['ptr', 'ptr'], 'ptr', (p, s, _l) => _strlwr(p, s)),
    _strupr_l: fn('cdecl', ['ptr', 'ptr'], 'ptr', (p, s, _l) => _strupr(p, s)),
  });
  if (flavour === 'msvcrt') {
    table._sys_errlist = dataAt((p) => p.state(errlist).list);
    table._sys_nerr = dataAt((p) => p.state(errlist).nerr);
  } else {
    table.__sys_errlist = fn('cdecl', [], 'ptr', (p) => p.state(errlist).list);
    table.__sys_nerr = fn('cdecl', [], 'ptr', (p) => p.state(errlist).nerr);
  }
  if (hasSecureCrt(version)) {
    Object.assign(table, {
      _wcserror_s: fn('cdecl', ['ptr', 'long', 'int'], 'int', (p, buf, size, e) => {
        if (!buf || size === 0) return fail(p, '_wcserror_s', 'buffer is NULL or has no room', ERRNO.EINVAL);
        writeWide(p.mem, buf, errnoText(e).slice(0, size - 1));
        return 0;
      }, r),
      _strlwr_s: fn('cdecl', ['ptr', 'long'], 'int', (p, s, n) => caseSecure(p, '_strlwr_s', s, n, lowerAscii), r),
      _strupr_s: fn('cdecl', ['ptr', 'long'], 'int', (p, s, n) => caseSecure(p, '_strupr_s', s, n, upperAscii), r),
      memcpy_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', (p, d, n, s, c) => memcpy_s(p, d, n, s, c, false), r),
      memmove_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', (p, d, n, s, c) => memcpy_s(p, d, n, s, c, true), r),
      strcat_s: fn('cdecl', ['ptr', 'long', 'ptr'], 'int', strcat_s, r),
      strcpy_s: fn('cdecl', ['ptr', 'long', 'ptr'], 'int', strcpy_s, r),
      strerror_s: fn('cdecl', ['ptr', 'long', 'int'], 'int', strerror_s, r),
      strncat_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', strncat_s, r),
      strncpy_s: fn('cdecl', ['ptr', 'long', 'ptr', 'long'], 'int', strncpy_s, r),
      strtok_s: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', (p, s, d, ctx) => strtokCore(p, s, d, ctx, 1, 'strtok_s'), r),
    });
  }
  return table;
}
