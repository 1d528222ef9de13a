// <stdio.h>'s FILE table as the msvcrt-style runtimes export it. The streams themselves (fopen, fread,
// fputc, and stdStream for &_iob[n]) are in files.ts, the descriptors under them in io.ts, printf in printf.ts.
import { dataAt, fn, type Export } from '../spec.js';
import type { CrtFlavour } from './format.js';
import { crt } from './state.js';

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). ucrtbase has neither: its FILE table is reached by __acrt_iob_func (startup.ts). */
export function stdioApi(flavour: CrtFlavour): Record<string, Export> {
  if (flavour === 'ucrt') return {};
  return {
    __iob_func: fn('cdecl', [], 'ptr', (p) => p.state(crt).iob),
    _iob: dataAt((p) => p.state(crt).iob),
  };
}
