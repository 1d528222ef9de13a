// ucrtbase.dll: the Universal C Runtime (Visual C++ 2015 and later), built from the C runtime areas in their
// ucrt flavour: 2-digit exponents, "inf"/"nan", exact decimal digits, and the __stdio_common_* entry points
// behind the headers' inline printf/scanf. The api-ms-win-crt-* API sets resolve to it.
import { UCRT } from './crt/flavour.js';
import { crtExports } from './msvcrt.js';
import { dll } from './spec.js';

export default dll('ucrtbase.dll', crtExports('ucrt', UCRT));
