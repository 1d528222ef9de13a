// The "C" locale, the only one there is: setlocale for every category (asking for "C", or for "" — the user's
// default, which is "C" here — succeeds; other names fail), localeconv, per-thread locale switches, the
// code page and MB_CUR_MAX queries, and _locale_t objects that all stand for "C".
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { fn, type Export } from '../spec.js';
import { writeWide } from '../text.js';
import { hasSecureCrt } from './flavour.js';
import type { CrtFlavour } from './format.js';
import { invalidParameter } from './signal.js';
import { crt, staticBuffer } from './state.js';

/** LC_ALL .. LC_TIME of <locale.h>. */
export const LC = { ALL: 0, COLLATE: 1, CTYPE: 2, MONETARY: 3, NUMERIC: 4, TIME: 5 } as const;

/** _configthreadlocale's modes. */
const ENABLE_PER_THREAD_LOCALE = 1;
const DISABLE_PER_THREAD_LOCALE = 2;

const localeState = stateKey('crt.locale', () => ({ perThread: false, locale: 0 }));

/** Whether setlocale accepts a locale name: only the "C" locale exists ("" asks for the user default: "C" too). */
function acceptsLocale(name: string): boolean {
  return name === '' || name === 'C';
}

/** setlocale / _wsetlocale: "C", or NULL for a locale that does not exist (an invalid category is an invalid parameter). */
export function setlocale(p: Process, category: number, locale: string | null, wide: boolean): number {
  if (category < LC.ALL || category > LC.TIME) {
    invalidParameter(p, wide ? '_wsetlocale' : 'setlocale', `category ${category} is not LC_ALL..LC_TIME`);
    return 0;
  }
  if (locale !== null && !acceptsLocale(locale)) return 0;
  const buf = staticBuffer(p, wide ? '_wsetlocale' : 'setlocale', 4);
  if (wide) writeWide(p.mem, buf, 'C');
  else {
    p.mem.setU8(buf, 0x43);
    p.mem.setU8(buf + 1, 0);
  }
  return buf;
}

/** struct lconv of the "C" locale: "." as decimal point, empty strings and CHAR_MAX elsewhere. */
export function localeconv(p: Process): number {
  const key = 'lconv';
  const cached = p.cached.get(key);
  if (cached) return cached;
  const dot = p.allocStatic(2, 1);
  p.mem.setU8(dot, 0x2e);
  const empty = p.allocStatic(1, 1);
  // The ucrt lconv continues with wide copies of the ten strings; make room for them too.
  const lconv = p.allocStatic(56 + 40);
  // decimal_point, thousands_sep, grouping, int_curr_symbol, currency_symbol, mon_decimal_point,
  // mon_thousands_sep, mon_grouping, positive_sign, negative_sign (10 pointers), then 8 chars.
  p.mem.setU32(lconv, dot);
  for (let i = 1; i < 10; i++) p.mem.setU32(lconv + 4 * i, empty);
  for (let i = 0; i < 8; i++) p.mem.setU8(lconv + 40 + i, 127); // CHAR_MAX: not available
  const wdot = p.allocStatic(4, 2);
  writeWide(p.mem, wdot, '.');
  const wempty = p.allocStatic(2, 2);
  p.mem.setU32(lconv + 48, wdot);
  for (let i = 1; i < 10; i++) p.mem.setU32(lconv + 48 + 4 * i, wempty);
  p.cached.set(key, lconv);
  return lconv;
}

/** _configthreadlocale(mode): the previous mode (1 per-thread, 2 global); 0 only asks; others are invalid. */
export function _configthreadlocale(p: Process, mode: number): number {
  const s = p.state(localeState);
  const old = s.perThread ? ENABLE_PER_THREAD_LOCALE : DISABLE_PER_THREAD_LOCALE;
  if (mode === ENABLE_PER_THREAD_LOCALE) s.perThread = true;
  else if (mode === DISABLE_PER_THREAD_LOCALE) s.perThread = false;
  else if (mode !== 0) {
    invalidParameter(p, '_configthreadlocale', `mode ${mode}`);
    return -1;
  }
  return old;
}

/** A _locale_t for "C": a small object whose two pointers (locinfo, mbcinfo) lead to zeroed data. */
function cLocaleObject(p: Process): number {
  const s = p.state(localeState);
  if (!s.locale) {
    s.locale = p.allocStatic(8, 4);
    p.mem.setU32(s.locale, p.allocStatic(0x100, 4));
    p.mem.setU32(s.locale + 4, p.allocStatic(0x120, 4));
  }
  return s.locale;
}

/** _create_locale(category, name): the "C" locale object, or NULL for other names. */
function createLocale(p: Process, category: number, name: string | null): number {
  if (category < LC.ALL || category > LC.TIME || name === null) return 0;
  return acceptsLocale(name) ? cLocaleObject(p) : 0;
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function localeApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const r = { reentrant: true };
  const table: Record<string, Export> = {
    // The "C" locale has no code page: its conversions widen and narrow bytes as they are.
    ___lc_codepage_func: fn('cdecl', [], 'int', (_p) => 0),
    ___lc_collate_cp_func: fn('cdecl', [], 'int', (_p) => 0),
    ___mb_cur_max_func: fn('cdecl', [], 'int', (p) => p.mem.u32(p.state(crt).mbCurMax)),
    _wsetlocale: fn('cdecl', ['int', 'wstr'], 'ptr', (p, c, l) => setlocale(p, c, l, true), r),
    localeconv: fn('cdecl', [], 'ptr', localeconv),
    setlocale: fn('cdecl', ['int', 'str'], 'ptr', (p, c, l) => setlocale(p, c, l, false), r),
  };
  if (hasSecureCrt(version)) {
    Object.assign(table, {
      ___mb_cur_max_l_func: fn('cdecl', ['ptr'], 'int', (p, _l) => p.mem.u32(p.state(crt).mbCurMax)),
      _configthreadlocale: fn('cdecl', ['int'], 'int', _configthreadlocale, r),
      _create_locale: fn('cdecl', ['int', 'str'], 'ptr', createLocale),
      _free_locale: fn('cdecl', ['ptr'], 'void', (_p, _l) => {}),
      _get_current_locale: fn('cdecl', [], 'ptr', cLocaleObject),
      _wcreate_locale: fn('cdecl', ['int', 'wstr'], 'ptr', createLocale),
    });
  }
  if (flavour === 'ucrt') {
    // ___lc_locale_name_func: the six category names; NULL each for "C".
    table.___lc_locale_name_func = fn('cdecl', [], 'ptr', (p) => staticBuffer(p, 'lc_locale_names', 24));
  }
  return table;
}
