// <ctype.h> and <wctype.h> in the "C" locale: the _pctype table (the classes Microsoft's CRT gives the 128
// ASCII characters; bytes 0x80-0xFF have none), the is* functions returning the table's bits as the real
// ones do, and the wide classes, which Microsoft's CRT takes from Unicode whatever the locale.
import { stateKey, type Process } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';

/** Character class bits of <ctype.h>. */
export const CT = { UPPER: 0x1, LOWER: 0x2, DIGIT: 0x4, SPACE: 0x8, PUNCT: 0x10, CONTROL: 0x20, BLANK: 0x40, HEX: 0x80, ALPHA: 0x100 } as const;

/** The "C" locale's class bits of a byte value (0-255). */
export function asciiClass(c: number): number {
  if (c < 0 || c > 0x7f) return 0;
  // Tab is not _BLANK in the table (isprint must reject it); isblank checks for it separately.
  if (c >= 0x09 && c <= 0x0d) return CT.SPACE | CT.CONTROL;
  if (c < 0x20 || c === 0x7f) return CT.CONTROL;
  if (c === 0x20) return CT.SPACE | CT.BLANK;
  if (c >= 0x30 && c <= 0x39) return CT.DIGIT | CT.HEX;
  if (c >= 0x41 && c <= 0x5a) return CT.UPPER | CT.ALPHA | (c <= 0x46 ? CT.HEX : 0);
  if (c >= 0x61 && c <= 0x7a) return CT.LOWER | CT.ALPHA | (c <= 0x66 ? CT.HEX : 0);
  return CT.PUNCT;
}

/** Unicode class bits of a UTF-16 unit, as GetStringTypeW's CT_CTYPE1 (what iswctype consults). */
export function wideClass(c: number): number {
  if (c < 0x80) return asciiClass(c);
  if (c > 0xffff) return 0;
  const ch = String.fromCharCode(c);
  let bits = 0;
  if (/\p{Lu}|\p{Lt}/u.test(ch)) bits |= CT.UPPER;
  if (/\p{Ll}/u.test(ch)) bits |= CT.LOWER;
  if (/\p{Nd}/u.test(ch)) bits |= CT.DIGIT;
  if (/\p{White_Space}/u.test(ch)) bits |= CT.SPACE;
  if (/\p{Cc}/u.test(ch)) bits |= CT.CONTROL;
  if (/\p{Zs}/u.test(ch)) bits |= CT.BLANK;
  if ((c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff26) || (c >= 0xff41 && c <= 0xff46)) bits |= CT.HEX;
  if (/\p{Alphabetic}/u.test(ch)) bits |= CT.ALPHA;
  if (/\p{P}|\p{S}/u.test(ch)) bits |= CT.PUNCT;
  return bits;
}

export const ctype = {
  isalpha: (c: number) => (asciiClass(c) & CT.ALPHA) !== 0,
  isdigit: (c: number) => c >= 0x30 && c <= 0x39,
  isxdigit: (c: number) => (asciiClass(c) & CT.HEX) !== 0,
  isspace: (c: number) => (asciiClass(c) & CT.SPACE) !== 0,
  isupper: (c: number) => c >= 0x41 && c <= 0x5a,
  islower: (c: number) => c >= 0x61 && c <= 0x7a,
  isalnum: (c: number) => (asciiClass(c) & (CT.ALPHA | CT.DIGIT)) !== 0,
};

export const lowerAscii = (c: number) => (c >= 0x41 && c <= 0x5a ? c + 32 : c);
export const upperAscii = (c: number) => (c >= 0x61 && c <= 0x7a ? c - 32 : c);

/** <ctype.h>'s _ALPHA mask: 0x0100 | _UPPER | _LOWER. */
const ALPHA = CT.ALPHA | CT.UPPER | CT.LOWER;

/** The narrow class functions: each returns the bits of the table it tests (zero or not), as Microsoft's do. */
const NARROW: Record<string, number> = {
  isalpha: ALPHA,
  isupper: CT.UPPER,
  islower: CT.LOWER,
  isdigit: CT.DIGIT,
  isxdigit: CT.HEX,
  isspace: CT.SPACE,
  ispunct: CT.PUNCT,
  isalnum: ALPHA | CT.DIGIT,
  isprint: CT.BLANK | CT.PUNCT | ALPHA | CT.DIGIT,
  isgraph: CT.PUNCT | ALPHA | CT.DIGIT,
  iscntrl: CT.CONTROL,
};

/** The class test of a narrow character: arguments outside -1..255 are undefined behaviour; 0 here. */
export function isctype(c: number, mask: number): number {
  return asciiClass(c) & mask;
}

export function iswctype(c: number, mask: number): number {
  const cls = wideClass(c & 0xffff);
  // Control characters are neither printable nor graphic, whatever else they are.
  if (mask === NARROW.isprint || mask === NARROW.isgraph) return cls & CT.CONTROL ? 0 : cls & mask;
  return cls & mask;
}

/** The tables behind _pctype / _pwctype: 257 and 256 unsigned shorts (the first _pctype entry is EOF). */
const tables = stateKey('crt.ctype', (p: Process) => {
  const ctypeBase = p.allocStatic(2 * 257 + 4, 4);
  for (let c = 0; c < 256; c++) p.mem.setU16(ctypeBase + 2 * (c + 1), asciiClass(c));
  const pctype = ctypeBase + 2; // points at the entry for 0, so that _pctype[-1] is EOF's
  const pctypeVar = p.allocStatic(4, 4);
  p.mem.setU32(pctypeVar, pctype);
  const pwctype = p.allocStatic(2 * 256, 4);
  for (let c = 0; c < 256; c++) p.mem.setU16(pwctype + 2 * c, wideClass(c));
  const pwctypeVar = p.allocStatic(4, 4);
  p.mem.setU32(pwctypeVar, pwctype);
  return { ctypeBase, pctype, pctypeVar, pwctype, pwctypeVar };
});

export function towlower(_p: Process, c: number): number {
  return lowerAscii(c & 0xffff);
}
export function towupper(_p: Process, c: number): number {
  return upperAscii(c & 0xffff);
}

/** wctype(name): the class mask for iswctype, 0 for an unknown name. */
export function wctype(_p: Process, name: string | null): number {
  const masks: Record<string, number> = { ...NARROW, blank: CT.BLANK };
  const key = name === 'blank' ? 'blank' : `is${name ?? ''}`;
  return masks[key] ?? 0;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function ctypeApi(flavour: CrtFlavour): Record<string, Export> {
  const q = { quiet: true };
  const t = (p: Process) => p.state(tables);
  const narrow = Object.fromEntries(Object.entries(NARROW).map(([name, mask]) => [name, fn('cdecl', ['int'], 'int', (_p, c) => isctype(c, mask), q)]));
  const wide = Object.fromEntries(Object.entries(NARROW).map(([name, mask]) => [`isw${name.slice(2)}`, fn('cdecl', ['int'], 'int', (_p, c) => iswctype(c, mask), q)]));
  const table: Record<string, Export> = {
    ...narrow,
    ...wide,
    __isascii: fn('cdecl', ['int'], 'int', (_p, c) => (c >>> 0 < 0x80 ? 1 : 0)),
    __iscsym: fn('cdecl', ['int'], 'int', (_p, c) => (c === 0x5f || isctype(c, ALPHA | CT.DIGIT) ? 1 : 0)),
    __iscsymf: fn('cdecl', ['int'], 'int', (_p, c) => (c === 0x5f || isctype(c, ALPHA) ? 1 : 0)),
    __pctype_func: fn('cdecl', [], 'ptr', (p) => t(p).pctype),
    __pwctype_func: fn('cdecl', [], 'ptr', (p) => t(p).pwctype),
    __toascii: fn('cdecl', ['int'], 'int', (_p, c) => c & 0x7f),
    _isctype: fn('cdecl', ['int', 'int'], 'int', (_p, c, mask) => isctype(c, mask)),
    _isctype_l: fn('cdecl', ['int', 'int', 'ptr'], 'int', (_p, c, mask, _l) => isctype(c, mask)),
    _iswctype_l: fn('cdecl', ['int', 'int', 'ptr'], 'int', (_p, c, mask, _l) => iswctype(c, mask)),
    _tolower: fn('cdecl', ['int'], 'int', (_p, c) => c + 32),
    _toupper: fn('cdecl', ['int'], 'int', (_p, c) => c - 32),
    _towlower_l: fn('cdecl', ['int', 'ptr'], 'int', (p, c, _l) => towlower(p, c)),
    _towupper_l: fn('cdecl', ['int', 'ptr'], 'int', (p, c, _l) => towupper(p, c)),
    is_wctype: fn('cdecl', ['int', 'int'], 'int', (_p, c, mask) => iswctype(c, mask)),
    isblank: fn('cdecl', ['int'], 'int', (_p, c) => (c === 0x09 ? CT.BLANK : isctype(c, CT.BLANK))),
    isleadbyte: fn('cdecl', ['int'], 'int', (_p, _c) => 0),
    iswascii: fn('cdecl', ['int'], 'int', (_p, c) => ((c & 0xffff) < 0x80 ? 1 : 0)),
    iswblank: fn('cdecl', ['int'], 'int', (_p, c) => (c === 0x09 ? CT.BLANK : iswctype(c, CT.BLANK))),
    iswctype: fn('cdecl', ['int', 'int'], 'int', (_p, c, mask) => iswctype(c, mask)),
    tolower: fn('cdecl', ['int'], 'int', (_p, c) => lowerAscii(c)),
    toupper: fn('cdecl', ['int'], 'int', (_p, c) => upperAscii(c)),
    towlower: fn('cdecl', ['int'], 'int', towlower),
    towupper: fn('cdecl', ['int'], 'int', towupper),
    wctype: fn('cdecl', ['str'], 'int', wctype),
  };
  // Narrow _l forms.
  for (const [name, mask] of Object.entries(NARROW)) table[`_${name}_l`] = fn('cdecl', ['int', 'ptr'], 'int', (_p, c, _l) => isctype(c, mask));
  for (const [name, mask] of Object.entries(NARROW)) table[`_isw${name.slice(2)}_l`] = fn('cdecl', ['int', 'ptr'], 'int', (_p, c, _l) => iswctype(c, mask));
  table._tolower_l = fn('cdecl', ['int', 'ptr'], 'int', (_p, c, _l) => lowerAscii(c));
  table._toupper_l = fn('cdecl', ['int', 'ptr'], 'int', (_p, c, _l) => upperAscii(c));
  if (flavour === 'msvcrt') {
    // The tables themselves are data exports of the msvcrt-style runtimes.
    table._ctype = dataAt((p) => t(p).ctypeBase);
    table._pctype = dataAt((p) => t(p).pctypeVar);
    table._pwctype = dataAt((p) => t(p).pwctypeVar);
    table.__p__pctype = fn('cdecl', [], 'ptr', (p) => t(p).pctypeVar);
    table.__p__pwctype = fn('cdecl', [], 'ptr', (p) => t(p).pwctypeVar);
  }
  return table;
}
