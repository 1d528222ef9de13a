// The "C" locale: setlocale and localeconv as msvcrt answers them.
import { fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import type { Process } from '../process.js';
import { staticBuffer } from './state.js';

/** setlocale: only the "C" locale exists; asking for it (or querying) answers "C". */
export function setlocale(p: Process, _category: number, locale: string | null): number {
  if (locale !== null && locale !== '' && locale !== 'C') return 0;
  const buf = staticBuffer(p, 'setlocale', 2);
  p.mem.setU8(buf, 0x43);
  p.mem.setU8(buf + 1, 0);
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
  const lconv = p.allocStatic(56);
  // decimal_point, thousands_sep, grouping, int_curr_symbol, currency_symbol, mon_decimal_point,
  // mon_thousands_sep, mon_grouping, positive_sign, negative_sign (10 pointers), then 8 chars.
  p.mem.setU32(lconv, dot);
  for (let i = 1; i < 10; i++) p.mem.setU32(lconv + 4 * i, empty);
  for (let i = 0; i < 8; i++) p.mem.setU8(lconv + 40 + i, 127); // CHAR_MAX: not available
  p.cached.set(key, lconv);
  return lconv;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function localeApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    localeconv: fn('cdecl', [], 'ptr', localeconv),
    setlocale: fn('cdecl', ['int', 'str'], 'ptr', setlocale),
  };
}
