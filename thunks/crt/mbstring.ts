// <mbstring.h>: the multibyte string functions. The runtime's multibyte code page is single-byte (the "C"
// locale, the ANSI code page 1252), where every character is one byte and no byte leads a pair: the _mbs
// functions are then the byte string functions, and _mbctype has no lead bytes. _setmbcp accepts
// single-byte code pages only.
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { invalidParameter } from './signal.js';
import { _stricmp, _strlwr, _strnicmp, _strrev, _strupr, strcat, strchr, strcmp, strcpy, strcspn, strlen, strncat, strncmp, strncpy, strpbrk, strrchr, strspn, strstr, strtok, _strdup } from './string.js';

const SBCS_CODE_PAGES = new Set([0, 1252, 437, -2, -3, -4]);

const mbState = stateKey('crt.mbstring', (p: Process) => ({ codePage: 0, mbctype: p.allocStatic(257, 4) }));

function setmbcp(p: Process, cp: number): number {
  if (!SBCS_CODE_PAGES.has(cp)) {
    invalidParameter(p, '_setmbcp', `code page ${cp} is not single-byte`);
    return -1;
  }
  p.state(mbState).codePage = cp === -3 || cp === -4 ? 1252 : cp === -2 ? 437 : cp;
  return 0;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function mbstringApi(flavour: CrtFlavour): Record<string, Export> {
  const s1 = (f: (p: Process, a: number) => number) => fn('cdecl', ['ptr'], 'ptr', f);
  const cmp2 = (f: (p: Process, a: number, b: number) => number) => fn('cdecl', ['ptr', 'ptr'], 'int', f);
  const cmp3 = (f: (p: Process, a: number, b: number, n: number) => number) => fn('cdecl', ['ptr', 'ptr', 'long'], 'int', f);
  const count = (p: Process, s: number, n: number) => Math.min(n, strlen(p, s));
  const table: Record<string, Export> = {
    _getmbcp: fn('cdecl', [], 'int', (p) => p.state(mbState).codePage),
    _ismbblead: fn('cdecl', ['int'], 'int', (_p, _c) => 0),
    _ismbbtrail: fn('cdecl', ['int'], 'int', (_p, _c) => 0),
    _ismbslead: fn('cdecl', ['ptr', 'ptr'], 'int', (_p, _s, _c) => 0),
    _ismbstrail: fn('cdecl', ['ptr', 'ptr'], 'int', (_p, _s, _c) => 0),
    _mbbtype: fn('cdecl', ['int', 'int'], 'int', (_p, _c, _t) => 0), // _MBC_SINGLE
    _mbccpy: fn('cdecl', ['ptr', 'ptr'], 'void', (p, d, s) => p.mem.setU8(d, p.mem.u8(s))),
    _mbclen: fn('cdecl', ['ptr'], 'long', (_p, _s) => 1),
    _mbscmp: cmp2(strcmp),
    _mbscoll: cmp2(strcmp),
    _mbscspn: fn('cdecl', ['ptr', 'ptr'], 'long', strcspn),
    _mbsdec: fn('cdecl', ['ptr', 'ptr'], 'ptr', (_p, start, cur) => (cur > start ? cur - 1 : 0)),
    _mbsdup: s1(_strdup),
    _mbsicmp: cmp2(_stricmp),
    _mbsicoll: cmp2(_stricmp),
    _mbsinc: s1((_p, s) => s + 1),
    _mbslen: fn('cdecl', ['ptr'], 'long', strlen),
    _mbslwr: s1(_strlwr),
    _mbsnbcat: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncat),
    _mbsnbcmp: cmp3(strncmp),
    _mbsnbcnt: fn('cdecl', ['ptr', 'long'], 'long', count),
    _mbsnbcoll: cmp3(strncmp),
    _mbsnbcpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncpy),
    _mbsnbicmp: cmp3(_strnicmp),
    _mbsnbicoll: cmp3(_strnicmp),
    _mbsnbset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', (p, s, c, n) => {
      const k = count(p, s, n);
      if (k) p.mem.fill(s, c & 0xff, k);
      return s;
    }),
    _mbsncat: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncat),
    _mbsnccnt: fn('cdecl', ['ptr', 'long'], 'long', count),
    _mbsncmp: cmp3(strncmp),
    _mbsncpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', strncpy),
    _mbsnextc: fn('cdecl', ['ptr'], 'long', (p, s) => p.mem.u8(s)),
    _mbsnicmp: cmp3(_strnicmp),
    _mbsninc: fn('cdecl', ['ptr', 'long'], 'ptr', (p, s, n) => (s ? s + count(p, s, n) : 0)),
    _mbsnset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', (p, s, c, n) => {
      const k = count(p, s, n);
      if (k) p.mem.fill(s, c & 0xff, k);
      return s;
    }),
    _mbspbrk: fn('cdecl', ['ptr', 'ptr'], 'ptr', strpbrk),
    _mbsrchr: fn('cdecl', ['ptr', 'int'], 'ptr', strrchr),
    _mbschr: fn('cdecl', ['ptr', 'int'], 'ptr', strchr),
    _mbsrev: s1(_strrev),
    _mbsset: fn('cdecl', ['ptr', 'int'], 'ptr', (p, s, c) => {
      const k = strlen(p, s);
      if (k) p.mem.fill(s, c & 0xff, k);
      return s;
    }),
    _mbsspn: fn('cdecl', ['ptr', 'ptr'], 'long', strspn),
    _mbsstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', strstr),
    _mbstok: fn('cdecl', ['ptr', 'ptr'], 'ptr', strtok),
    _mbstrlen: fn('cdecl', ['ptr'], 'long', strlen),
    _mbsupr: s1(_strupr),
    _setmbcp: fn('cdecl', ['int'], 'int', setmbcp, { reentrant: true }),
    __p__mbctype: fn('cdecl', [], 'ptr', (p) => p.state(mbState).mbctype),
  };
  if (flavour === 'msvcrt') {
    table._mbscat = fn('cdecl', ['ptr', 'ptr'], 'ptr', strcat);
    table._mbscpy = fn('cdecl', ['ptr', 'ptr'], 'ptr', strcpy);
    table._mbctype = dataAt((p) => p.state(mbState).mbctype);
  }
  return table;
}
