// Sorting and character data of the en-US (and invariant) locale: CompareString, LCMapString (case,
// width and kana mapping, sort keys), GetStringType, FoldString.
//
// Collation is wowasm's model of Windows' "word sort", level by level: first the characters' primary
// weights (whitespace < punctuation < symbols < digits < letters; letters alphabetically whatever their
// case and accents, other characters by code point within their group), then diacritics, then case and
// width (lowercase before uppercase), then the hyphens and apostrophes that word sort leaves out of the
// first levels. CompareString compares exactly the sort keys LCMapString(LCMAP_SORTKEY) produces, so the
// two always agree. Where Windows' tables order two punctuation marks or symbols differently from their
// code points, or give a letter of another script an unusual place, this model differs.
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString, encodeUtf16, readAnsi, readWide } from '../text.js';
import { ERROR } from '../win32.js';
import { resolveLcid, resolveLocaleName } from './locale.js';

export const NORM = {
  IGNORECASE: 0x1,
  IGNORENONSPACE: 0x2,
  IGNORESYMBOLS: 0x4,
  SORT_DIGITSASNUMBERS: 0x8,
  LINGUISTIC_IGNORECASE: 0x10,
  LINGUISTIC_IGNOREDIACRITIC: 0x20,
  SORT_STRINGSORT: 0x1000,
  IGNOREKANATYPE: 0x1_0000,
  IGNOREWIDTH: 0x2_0000,
  LINGUISTIC_CASING: 0x800_0000,
} as const;
const COMPARE_FLAGS = Object.values(NORM).reduce((a, b) => a | b, 0);
const LOCALE_USE_CP_ACP = 0x4000_0000;

export const CSTR = { LESS_THAN: 1, EQUAL: 2, GREATER_THAN: 3 } as const;

// ---- sort keys -----------------------------------------------------------------------------------

const GROUP = { SPACE: 1, PUNCT: 2, SYMBOL: 3, DIGIT: 4, LETTER: 5, OTHER: 6 } as const;
const isSpace = (c: string) => /[\t\n\v\f\r\u0085\u2028\u2029]|\p{Zs}/u.test(c);
const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string) => /\p{Nd}/u.test(c);
const isMark = (c: string) => /\p{M}/u.test(c);
const isIgnorable = (c: string) => c === '\0' || (/[\p{Cc}\p{Cf}]/u.test(c) && !isSpace(c));

/** Fullwidth ASCII and the ideographic space as their ASCII forms. */
function narrow(c: string): { c: string; wide: boolean } {
  const u = c.charCodeAt(0);
  if (u >= 0xff01 && u <= 0xff5e) return { c: String.fromCharCode(u - 0xfee0), wide: true };
  if (u === 0x3000) return { c: ' ', wide: true };
  return { c, wide: false };
}

/** Katakana as hiragana (the kana "type" is a tertiary difference). */
function hiragana(c: string): { c: string; katakana: boolean } {
  const u = c.charCodeAt(0);
  if (u >= 0x30a1 && u <= 0x30f6) return { c: String.fromCharCode(u - 0x60), katakana: true };
  return { c, katakana: false };
}

/** Encodes a weight as three bytes in 2..254 (0 and 1 end the key and its sections). */
function weight3(w: number): number[] {
  return [2 + Math.floor(w / (253 * 253)), 2 + (Math.floor(w / 253) % 253), 2 + (w % 253)];
}

interface Element {
  primary: number;
  diacritic: number;
  tertiary: number;
}

export function sortKey(text: string, flags: number): Uint8Array {
  const ignoreCase = (flags & (NORM.IGNORECASE | NORM.LINGUISTIC_IGNORECASE)) !== 0;
  const ignoreDiacritics = (flags & (NORM.IGNORENONSPACE | NORM.LINGUISTIC_IGNOREDIACRITIC)) !== 0;
  const stringSort = (flags & NORM.SORT_STRINGSORT) !== 0;
  const elements: Element[] = [];
  const specials: number[] = [];
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const original = chars[i]!;
    if (isIgnorable(original)) continue;
    if (!stringSort && (original === '-' || original === "'")) {
      specials.push(...weight3(elements.length), original === '-' ? 2 : 3);
      continue;
    }
    if (isMark(original)) {
      // A combining mark: a diacritic of the element before it.
      const prev = elements[elements.length - 1];
      if (prev) prev.diacritic = Math.min(250, prev.diacritic + 1 + (original.codePointAt(0)! % 200));
      continue;
    }
    const w = narrow(original);
    const k = hiragana(w.c);
    const decomposed = k.c.normalize('NFD');
    const base = decomposed[0]!;
    const marks = decomposed.slice(1);
    let group: number = GROUP.OTHER;
    let sub = base.codePointAt(0)!;
    if (isSpace(base)) group = GROUP.SPACE;
    else if (/\p{P}/u.test(base)) group = GROUP.PUNCT;
    else if (/\p{S}/u.test(base)) group = GROUP.SYMBOL;
    else if (isDigit(base)) {
      group = GROUP.DIGIT;
      if (flags & NORM.SORT_DIGITSASNUMBERS && /[0-9]/.test(base)) {
        // A run of digits compares as a number: its length (without leading zeros), then its digits.
        let j = i;
        while (j < chars.length && /[0-9]/.test(chars[j]!)) j++;
        const digits = chars.slice(i, j).join('').replace(/^0+(?=\d)/, '');
        elements.push({ primary: GROUP.DIGIT * 0x2_0000 + 0x1_0000 + digits.length, diacritic: 2, tertiary: 2 });
        for (const d of digits) elements.push({ primary: GROUP.DIGIT * 0x2_0000 + Number(d), diacritic: 2, tertiary: 2 });
        i = j - 1;
        continue;
      }
      sub = Number.parseInt(base, 10);
      if (Number.isNaN(sub)) sub = 0x100 + base.codePointAt(0)!; // other scripts' digits after 0-9
    } else if (isLetter(base)) {
      group = GROUP.LETTER;
      const lower = base.toLowerCase();
      sub = (lower.length === 1 ? lower : base).codePointAt(0)!;
    } else if (/\p{N}/u.test(base)) group = GROUP.DIGIT;
    const upper = original !== original.toLowerCase() || base !== base.toLowerCase();
    let diacritic = 2;
    for (const m of marks) diacritic = Math.min(250, diacritic + 1 + (m.codePointAt(0)! % 200));
    let tertiary = 2;
    if (upper) tertiary += 1;
    if (w.wide && !(flags & NORM.IGNOREWIDTH)) tertiary += 2;
    if (k.katakana && !(flags & NORM.IGNOREKANATYPE)) tertiary += 4;
    if (flags & NORM.IGNORESYMBOLS && (group === GROUP.SPACE || group === GROUP.PUNCT || group === GROUP.SYMBOL)) continue;
    elements.push({ primary: group * 0x2_0000 + Math.min(sub, 0x1_ffff), diacritic, tertiary });
  }
  const key: number[] = [];
  for (const e of elements) key.push(...weight3(e.primary));
  key.push(1);
  if (!ignoreDiacritics) for (const e of elements) key.push(e.diacritic);
  key.push(1);
  if (!ignoreCase) for (const e of elements) key.push(e.tertiary);
  key.push(1);
  key.push(...specials);
  key.push(0);
  return Uint8Array.from(key);
}

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** -1, 0 or 1 as the locale sorts the two strings. */
export function collate(a: string, b: string, flags: number): number {
  return compareKeys(sortKey(a, flags), sortKey(b, flags));
}

// ---- reading the arguments ---------------------------------------------------------------------

/** A counted or (count < 0) NUL-terminated string; undefined for NULL. */
function readCounted(p: Process, at: number, count: number, wide: boolean): string | undefined {
  if (!at) return undefined;
  const n = count | 0;
  if (wide) {
    if (n < 0) return readWide(p.mem, at) ?? '';
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(p.mem.u16(at + 2 * i));
    return s;
  }
  if (n < 0) return readAnsi(p.mem, at, p.ansiCodePage) ?? '';
  return decodeBytes(p.mem.read(at, n), p.ansiCodePage);
}

// ---- CompareString ----------------------------------------------------------------------------------

export function CompareString(p: Process, lcid: number | undefined, flags: number, s1: number, c1: number, s2: number, c2: number, wide: boolean): number {
  if (lcid === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  if (flags & ~(COMPARE_FLAGS | (wide ? 0 : LOCALE_USE_CP_ACP))) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return 0;
  }
  const a = readCounted(p, s1, c1, wide);
  const b = readCounted(p, s2, c2, wide);
  if (a === undefined || b === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  return collate(a, b, flags) + 2;
}

/** Code-unit order; with bIgnoreCase both sides are upper-cased character by character first. */
export function CompareStringOrdinal(p: Process, s1: number, c1: number, s2: number, c2: number, ignoreCase: number): number {
  if (ignoreCase > 1) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  let a = readCounted(p, s1, c1, true);
  let b = readCounted(p, s2, c2, true);
  if (a === undefined || b === undefined) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  if (ignoreCase) {
    a = mapChars(a, upperChar);
    b = mapChars(b, upperChar);
  }
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x < y ? CSTR.LESS_THAN : CSTR.GREATER_THAN;
  }
  return a.length === b.length ? CSTR.EQUAL : a.length < b.length ? CSTR.LESS_THAN : CSTR.GREATER_THAN;
}

// ---- LCMapString -----------------------------------------------------------------------------------

export const LCMAP = {
  LOWERCASE: 0x100,
  UPPERCASE: 0x200,
  TITLECASE: 0x300,
  SORTKEY: 0x400,
  BYTEREV: 0x800,
  HIRAGANA: 0x10_0000,
  KATAKANA: 0x20_0000,
  HALFWIDTH: 0x40_0000,
  FULLWIDTH: 0x80_0000,
  LINGUISTIC_CASING: 0x100_0000,
  SIMPLIFIED_CHINESE: 0x200_0000,
  TRADITIONAL_CHINESE: 0x400_0000,
} as const;

/** Simple (one-to-one) case mappings: characters whose mapping is longer stay as they are (ß, ŉ). */
export const upperChar = (c: string) => {
  const u = c.toUpperCase();
  return u.length === 1 ? u : c;
};
export const lowerChar = (c: string) => {
  const l = c.toLowerCase();
  return l.length === 1 ? l : c;
};
const mapChars = (s: string, f: (c: string) => string) => Array.from(s, (c) => (c.length === 1 ? f(c) : c)).join('');

function titleCase(s: string): string {
  let out = '';
  let start = true;
  for (const c of s) {
    const letter = /[\p{L}\p{N}'\u2019]/u.test(c);
    out += letter ? (start ? upperChar(c) : lowerChar(c)) : c;
    start = !letter;
  }
  return out;
}

function widthMap(s: string, toWide: boolean): string {
  return Array.from(s, (c) => {
    const u = c.charCodeAt(0);
    if (toWide) return u >= 0x21 && u <= 0x7e ? String.fromCharCode(u + 0xfee0) : u === 0x20 ? '\u3000' : c;
    return u >= 0xff01 && u <= 0xff5e ? String.fromCharCode(u - 0xfee0) : u === 0x3000 ? ' ' : c;
  }).join('');
}

function kanaMap(s: string, toKatakana: boolean): string {
  return Array.from(s, (c) => {
    const u = c.charCodeAt(0);
    if (toKatakana) return u >= 0x3041 && u <= 0x3096 ? String.fromCharCode(u + 0x60) : c;
    return u >= 0x30a1 && u <= 0x30f6 ? String.fromCharCode(u - 0x60) : c;
  }).join('');
}

/** The mapped text (a string, or the sort key's bytes), or an error code. */
export function lcMap(text: string, flags: number): string | Uint8Array | number {
  const caseBits = flags & LCMAP.TITLECASE;
  const kana = flags & (LCMAP.HIRAGANA | LCMAP.KATAKANA);
  const width = flags & (LCMAP.HALFWIDTH | LCMAP.FULLWIDTH);
  if (flags & LCMAP.SORTKEY) {
    if (flags & (LCMAP.TITLECASE | LCMAP.BYTEREV | LCMAP.HIRAGANA | LCMAP.KATAKANA | LCMAP.HALFWIDTH | LCMAP.FULLWIDTH) || flags & ~(LCMAP.SORTKEY | COMPARE_FLAGS)) return ERROR.INVALID_FLAGS;
    return sortKey(text, flags);
  }
  if (kana === (LCMAP.HIRAGANA | LCMAP.KATAKANA) || width === (LCMAP.HALFWIDTH | LCMAP.FULLWIDTH)) return ERROR.INVALID_FLAGS;
  const known = LCMAP.TITLECASE | LCMAP.BYTEREV | LCMAP.HIRAGANA | LCMAP.KATAKANA | LCMAP.HALFWIDTH | LCMAP.FULLWIDTH | LCMAP.LINGUISTIC_CASING | NORM.IGNORENONSPACE | NORM.IGNORESYMBOLS;
  if (flags & ~known || flags === 0 || (flags & (LCMAP.SIMPLIFIED_CHINESE | LCMAP.TRADITIONAL_CHINESE)) !== 0) return ERROR.INVALID_FLAGS;
  let s = text;
  if (flags & NORM.IGNORENONSPACE) s = s.normalize('NFD').replace(/\p{Mn}/gu, '').normalize('NFC');
  if (flags & NORM.IGNORESYMBOLS) s = s.replace(/[\p{P}\p{S}\p{Zs}]/gu, '');
  if (caseBits === LCMAP.LOWERCASE) s = mapChars(s, lowerChar);
  else if (caseBits === LCMAP.UPPERCASE) s = mapChars(s, upperChar);
  else if (caseBits === LCMAP.TITLECASE) s = titleCase(s);
  if (kana) s = kanaMap(s, kana === LCMAP.KATAKANA);
  if (width) s = widthMap(s, width === LCMAP.FULLWIDTH);
  if (flags & LCMAP.BYTEREV) s = Array.from(s, (c) => String.fromCharCode(((c.charCodeAt(0) & 0xff) << 8) | (c.charCodeAt(0) >>> 8))).join('');
  return s;
}

/**
 * LCMapStringA/W/Ex: the characters written (bytes for a sort key, and for the A version), counting the
 * NUL when the source's count did (cchSrc -1); with cchDest 0 the size needed.
 */
export function LCMapString(p: Process, lcid: number | undefined, flags: number, src: number, cchSrc: number, dst: number, cchDest: number, wide: boolean): number {
  if (lcid === undefined || !src || (cchSrc | 0) === 0 || (cchDest | 0) < 0 || (cchDest !== 0 && !dst)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  let text = readCounted(p, src, cchSrc, wide)!;
  if ((cchSrc | 0) < 0) text += '\0';
  const cleanFlags = wide ? flags : flags & ~LOCALE_USE_CP_ACP;
  if (cleanFlags & LCMAP.SORTKEY && src === dst) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return 0;
  }
  const r = lcMap(cleanFlags & LCMAP.SORTKEY ? text.replace(/\0+$/, '') : text, cleanFlags);
  if (typeof r === 'number') {
    p.setLastError(r);
    return 0;
  }
  const bytes = r instanceof Uint8Array ? r : wide ? encodeUtf16(r) : encodeString(r, p.ansiCodePage).bytes;
  const count = r instanceof Uint8Array || !wide ? bytes.length : bytes.length / 2;
  if (cchDest === 0) return count;
  if (count > cchDest) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  p.mem.write(dst, bytes);
  return count;
}

// ---- GetStringType ------------------------------------------------------------------------------

export const CT = { CTYPE1: 1, CTYPE2: 2, CTYPE3: 4 } as const;
export const C1 = { UPPER: 0x1, LOWER: 0x2, DIGIT: 0x4, SPACE: 0x8, PUNCT: 0x10, CNTRL: 0x20, BLANK: 0x40, XDIGIT: 0x80, ALPHA: 0x100, DEFINED: 0x200 } as const;

/** CT_CTYPE1 of a UTF-16 code unit. */
export function ctype1(u: number): number {
  const c = String.fromCharCode(u);
  if (u >= 0xd800 && u <= 0xdfff) return 0;
  if (/\p{Cn}/u.test(c)) return 0; // unassigned
  let t: number = C1.DEFINED;
  if (/\p{Lu}|\p{Lt}/u.test(c)) t |= C1.UPPER | C1.ALPHA;
  else if (/\p{Ll}/u.test(c)) t |= C1.LOWER | C1.ALPHA;
  else if (/\p{L}/u.test(c)) t |= C1.ALPHA;
  if (/\p{Nd}/u.test(c)) t |= C1.DIGIT;
  if (u === 0xb2 || u === 0xb3 || u === 0xb9) t |= C1.DIGIT | C1.PUNCT; // superscript digits count as digits, as on Windows
  if (/[\p{P}\p{S}]/u.test(c) || /\p{No}/u.test(c)) t |= C1.PUNCT;
  if (/\p{Cc}/u.test(c)) t |= C1.CNTRL;
  if ((u >= 0x09 && u <= 0x0d) || u === 0x85 || /[\p{Zs}\u2028\u2029]/u.test(c)) t |= C1.SPACE;
  if (u === 0x09 || /\p{Zs}/u.test(c)) t |= C1.BLANK;
  if ((u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x46) || (u >= 0x61 && u <= 0x66) || (u >= 0xff10 && u <= 0xff19) || (u >= 0xff21 && u <= 0xff26) || (u >= 0xff41 && u <= 0xff46)) t |= C1.XDIGIT;
  return t;
}

export const C2 = { LEFTTORIGHT: 1, RIGHTTOLEFT: 2, EUROPENUMBER: 3, EUROPESEPARATOR: 4, EUROPETERMINATOR: 5, ARABICNUMBER: 6, COMMONSEPARATOR: 7, BLOCKSEPARATOR: 8, SEGMENTSEPARATOR: 9, WHITESPACE: 10, OTHERNEUTRAL: 11, NOTAPPLICABLE: 0 } as const;

/** CT_CTYPE2: the character's bidirectional class, as far as general categories and scripts tell it. */
export function ctype2(u: number): number {
  const c = String.fromCharCode(u);
  if (/[\n\r\u001c-\u001e\u0085\u2029]/.test(c)) return C2.BLOCKSEPARATOR;
  if (/[\t\u000b\u001f]/.test(c)) return C2.SEGMENTSEPARATOR;
  if (/[\f\u2028]|\p{Zs}/u.test(c)) return C2.WHITESPACE;
  if (/[0-9\u00b2\u00b3\u00b9\u06f0-\u06f9\u2070-\u2079\u2080-\u2089\uff10-\uff19]/.test(c)) return C2.EUROPENUMBER;
  if (/[\u0660-\u0669\u066b\u066c]/.test(c)) return C2.ARABICNUMBER;
  if (/[+\-\u207a\u207b\u208a\u208b\u2212\ufb29\ufe62\ufe63\uff0b\uff0d]/.test(c)) return C2.EUROPESEPARATOR;
  if (/[#$%\u00a2-\u00a5\u00b0\u00b1\u0e3f\u2030-\u2034\u20a0-\u20cf\u2103\u2109\u212e\u2213\ufe5f\ufe69\ufe6a\uff03-\uff05\uffe0\uffe1\uffe5\uffe6]/.test(c)) return C2.EUROPETERMINATOR;
  if (/[,./:\u00a0\u060c\u2044\ufe50\ufe52\ufe55\uff0c\uff0e\uff0f\uff1a]/.test(c)) return C2.COMMONSEPARATOR;
  if (/[\p{Script=Hebrew}\p{Script=Arabic}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}]/u.test(c) && !/\p{M}/u.test(c)) return C2.RIGHTTOLEFT;
  if (/[\p{Cc}\p{Cf}\p{Mn}\p{Me}]/u.test(c) || /\p{Cn}/u.test(c)) return C2.NOTAPPLICABLE;
  if (/[\p{L}\p{Mc}\p{Nl}]/u.test(c) || (u >= 0xe000 && u <= 0xf8ff)) return C2.LEFTTORIGHT;
  return C2.OTHERNEUTRAL;
}

export const C3 = { NONSPACING: 0x1, DIACRITIC: 0x2, VOWELMARK: 0x4, SYMBOL: 0x8, KATAKANA: 0x10, HIRAGANA: 0x20, HALFWIDTH: 0x40, FULLWIDTH: 0x80, IDEOGRAPH: 0x100, KASHIDA: 0x200, LEXICAL: 0x400, HIGHSURROGATE: 0x800, LOWSURROGATE: 0x1000, ALPHA: 0x8000 } as const;

/** CT_CTYPE3: text-processing information. */
export function ctype3(u: number): number {
  const c = String.fromCharCode(u);
  if (u >= 0xd800 && u <= 0xdbff) return C3.HIGHSURROGATE;
  if (u >= 0xdc00 && u <= 0xdfff) return C3.LOWSURROGATE;
  let t = 0;
  if (/\p{Mn}/u.test(c)) t |= C3.NONSPACING;
  if (/\p{Sk}|\p{Lm}/u.test(c) || /[\u0300-\u036f]/.test(c)) t |= C3.DIACRITIC;
  if (/\p{Mc}/u.test(c)) t |= C3.VOWELMARK;
  if (/\p{S}/u.test(c)) t |= C3.SYMBOL;
  if (/\p{Script=Katakana}/u.test(c) && u !== 0x30fc) t |= C3.KATAKANA;
  if (/\p{Script=Hiragana}/u.test(c)) t |= C3.HIRAGANA;
  if (/\p{Ideographic}/u.test(c)) t |= C3.IDEOGRAPH | C3.ALPHA;
  if (u === 0x0640) t |= C3.KASHIDA;
  if (/\p{L}/u.test(c)) t |= C3.ALPHA;
  if ((u >= 0xff01 && u <= 0xff5e) || u === 0x3000 || (u >= 0xffe0 && u <= 0xffe6) || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(c)) t |= C3.FULLWIDTH;
  else if ((u >= 0x20 && u <= 0x7e) || (u >= 0xff61 && u <= 0xffdc) || (u >= 0xffe8 && u <= 0xffee)) t |= C3.HALFWIDTH;
  return t;
}

/** GetStringTypeW and friends: one type word per character (with cchSrc -1, the NUL's too). */
export function GetStringType(p: Process, infoType: number, src: number, cch: number, out: number, wide: boolean): boolean {
  const f = infoType === CT.CTYPE1 ? ctype1 : infoType === CT.CTYPE2 ? ctype2 : infoType === CT.CTYPE3 ? ctype3 : undefined;
  if (!f) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return false;
  }
  if (!src || !out || (cch | 0) === 0) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  let text = readCounted(p, src, cch, wide)!;
  if ((cch | 0) < 0) text += '\0';
  for (let i = 0; i < text.length; i++) p.mem.setU16(out + 2 * i, f(text.charCodeAt(i)));
  return true;
}

// ---- FoldString ------------------------------------------------------------------------------------

const MAP = { FOLDCZONE: 0x10, PRECOMPOSED: 0x20, COMPOSITE: 0x40, FOLDDIGITS: 0x80, EXPAND_LIGATURES: 0x2000 } as const;
const LIGATURES: Record<string, string> = { '\u00c6': 'AE', '\u00e6': 'ae', '\u0152': 'OE', '\u0153': 'oe', '\u00df': 'ss', '\u0132': 'IJ', '\u0133': 'ij', '\ufb00': 'ff', '\ufb01': 'fi', '\ufb02': 'fl', '\ufb03': 'ffi', '\ufb04': 'ffl', '\ufb06': 'st' };

export function foldString(s: string, flags: number): string | undefined {
  const valid = MAP.FOLDCZONE | MAP.PRECOMPOSED | MAP.COMPOSITE | MAP.FOLDDIGITS | MAP.EXPAND_LIGATURES;
  if (!flags || flags & ~valid || (flags & MAP.PRECOMPOSED && flags & MAP.COMPOSITE) || (flags & MAP.EXPAND_LIGATURES && flags & (MAP.PRECOMPOSED | MAP.COMPOSITE))) return undefined;
  let out = s;
  if (flags & MAP.EXPAND_LIGATURES) out = Array.from(out, (c) => LIGATURES[c] ?? c).join('');
  if (flags & MAP.FOLDCZONE) out = Array.from(out, (c) => (c.charCodeAt(0) >= 0xf900 && c.charCodeAt(0) <= 0xffef ? c.normalize('NFKC') : c)).join('');
  if (flags & MAP.FOLDDIGITS) out = out.replace(/\p{Nd}/gu, (d) => String(Number.parseInt(d.normalize('NFKD'), 10) || digitValue(d)));
  if (flags & MAP.PRECOMPOSED) out = out.normalize('NFC');
  if (flags & MAP.COMPOSITE) out = out.normalize('NFD');
  return out;
}

/** The value of a decimal digit of any script (digits come in runs of ten starting at a zero). */
function digitValue(d: string): number {
  let u = d.codePointAt(0)!;
  let v = 0;
  while (v < 10 && /\p{Nd}/u.test(String.fromCodePoint(u - 1))) {
    u--;
    v++;
  }
  return v % 10;
}

export function FoldString(p: Process, flags: number, src: number, cchSrc: number, dst: number, cchDest: number, wide: boolean): number {
  if (!src || (cchSrc | 0) === 0 || (cchDest | 0) < 0 || (cchDest !== 0 && !dst) || src === dst) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  let text = readCounted(p, src, cchSrc, wide)!;
  if ((cchSrc | 0) < 0) text += '\0';
  const r = foldString(text, flags);
  if (r === undefined) {
    p.setLastError(ERROR.INVALID_FLAGS);
    return 0;
  }
  const bytes = wide ? encodeUtf16(r) : encodeString(r, p.ansiCodePage).bytes;
  const count = wide ? r.length : bytes.length;
  if (cchDest === 0) return count;
  if (count > cchDest) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  p.mem.write(dst, bytes);
  return count;
}

// ---- Unicode normalization ----------------------------------------------------------------------------

const NORM_FORMS: Record<number, 'NFC' | 'NFD' | 'NFKC' | 'NFKD'> = { 1: 'NFC', 2: 'NFD', 5: 'NFKC', 6: 'NFKD' };

/** NormalizeString: the length written (with the NUL when cwSrcLength is -1); with cwDstLength 0, an estimate. */
export function NormalizeString(p: Process, form: number, src: number, srcLen: number, dst: number, dstLen: number): number {
  const nf = NORM_FORMS[form];
  if (!nf || !src || (dstLen | 0) < 0) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  let text = readCounted(p, src, srcLen, true)!;
  if ((srcLen | 0) < 0) text += '\0';
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    p.setLastError(ERROR.NO_UNICODE_TRANSLATION);
    return 0;
  }
  const out = text.normalize(nf);
  if (dstLen === 0) return out.length;
  if (out.length > dstLen) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return -out.length; // a negative estimate of the size needed
  }
  p.mem.write(dst, encodeUtf16(out));
  p.setLastError(ERROR.SUCCESS);
  return out.length;
}

export function IsNormalizedString(p: Process, form: number, src: number, srcLen: number): boolean {
  const nf = NORM_FORMS[form];
  if (!nf || !src) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const text = readCounted(p, src, srcLen, true)!;
  p.setLastError(ERROR.SUCCESS);
  return text.normalize(nf) === text;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const collationApi = {
  IsNormalizedString: fn('stdcall', ['long', 'ptr', 'int'], 'bool', IsNormalizedString),
  NormalizeString: fn('stdcall', ['long', 'ptr', 'int', 'ptr', 'int'], 'int', NormalizeString),
  CompareStringA: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, l, f, a, n, b, m) => CompareString(p, resolveLcid(p, l), f, a, n, b, m, false)),
  CompareStringEx: fn('stdcall', ['wstr', 'long', 'ptr', 'int', 'ptr', 'int', 'ptr', 'ptr', 'long'], 'int', (p, name, f, a, n, b, m, _version, _reserved, _param) =>
    CompareString(p, resolveLocaleName(name), f, a, n, b, m, true),
  ),
  CompareStringOrdinal: fn('stdcall', ['ptr', 'int', 'ptr', 'int', 'long'], 'int', CompareStringOrdinal),
  CompareStringW: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, l, f, a, n, b, m) => CompareString(p, resolveLcid(p, l), f, a, n, b, m, true)),
  FoldStringA: fn('stdcall', ['long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, f, s, n, d, m) => FoldString(p, f, s, n, d, m, false)),
  FoldStringW: fn('stdcall', ['long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, f, s, n, d, m) => FoldString(p, f, s, n, d, m, true)),
  GetStringTypeA: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr'], 'bool', (p, _l, t, s, n, o) => GetStringType(p, t, s, n, o, false)),
  GetStringTypeExA: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr'], 'bool', (p, _l, t, s, n, o) => GetStringType(p, t, s, n, o, false)),
  GetStringTypeExW: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr'], 'bool', (p, _l, t, s, n, o) => GetStringType(p, t, s, n, o, true)),
  GetStringTypeW: fn('stdcall', ['long', 'ptr', 'int', 'ptr'], 'bool', (p, t, s, n, o) => GetStringType(p, t, s, n, o, true)),
  LCMapStringA: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, l, f, s, n, d, m) => LCMapString(p, resolveLcid(p, l), f, s, n, d, m, false)),
  LCMapStringEx: fn('stdcall', ['wstr', 'long', 'ptr', 'int', 'ptr', 'int', 'ptr', 'ptr', 'long'], 'int', (p, name, f, s, n, d, m, _version, _reserved, _param) =>
    LCMapString(p, resolveLocaleName(name), f, s, n, d, m, true),
  ),
  LCMapStringW: fn('stdcall', ['long', 'long', 'ptr', 'int', 'ptr', 'int'], 'int', (p, l, f, s, n, d, m) => LCMapString(p, resolveLcid(p, l), f, s, n, d, m, true)),
};
