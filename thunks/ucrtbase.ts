// ucrtbase.dll: the Universal C Runtime (Visual C++ 2015 and later), built from the C runtime areas in their
// ucrt flavour: 2-digit exponents, "inf"/"nan", exact decimal digits, and the __stdio_common_* entry points
// behind the headers' inline printf/scanf. The api-ms-win-crt-* API sets resolve to it.
import { UCRT } from './crt/flavour.js';
import { crtExports } from './msvcrt.js';
import { dll, type Export } from './spec.js';

/** Exports of the msvcrt-style areas that ucrtbase.dll does not have (its FILE table is reached by __acrt_iob_func). */
const NOT_IN_UCRT = ['__iob_func', '_iob'];

function ucrtExports(): Record<string, Export> {
  const all = crtExports('ucrt', UCRT);
  for (const name of NOT_IN_UCRT) delete all[name];
  return all;
}

export default dll('ucrtbase.dll', ucrtExports());
