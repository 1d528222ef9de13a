// msvcrt.dll: the export table, the union of the C runtime areas' tables (thunks/crt/*.ts). The same
// areas serve every CRT flavour (crtExports); msvcrt.dll formats numbers as the pre-2015 runtimes do.
import { MSVCRT_DLL } from './crt/flavour.js';
import type { CrtFlavour } from './crt/format.js';
import { ctypeApi } from './crt/ctype.js';
import { cxxApi } from './crt/cxx.js';
import { filesApi } from './crt/files.js';
import { floatApi } from './crt/float.js';
import { ioApi } from './crt/io.js';
import { localeApi } from './crt/locale.js';
import { mathApi } from './crt/math.js';
import { mbstringApi } from './crt/mbstring.js';
import { memoryApi } from './crt/memory.js';
import { printfApi } from './crt/printf.js';
import { scanfApi } from './crt/scanf.js';
import { signalApi } from './crt/signal.js';
import { startupApi } from './crt/startup.js';
import { stdioApi } from './crt/stdio.js';
import { stdlibApi } from './crt/stdlib.js';
import { stringApi } from './crt/string.js';
import { timeApi } from './crt/time.js';
import { wideApi } from './crt/wide.js';
import { crtThreadApi } from './crt/threads.js';
import { setjmpApi } from './crt/setjmp.js';
import { cxxEhApi, type CxxRuntime } from './cxx-eh.js';
import { exceptionClassesApi, rttiApi } from './rtti.js';
import { crtExceptionApi } from './seh-api.js';
import { dll, type Export } from './spec.js';

/** Every C runtime export of a runtime of this flavour and version (60 msvcrt.dll, 70-120 msvcrNN, 140 ucrtbase). */
export function crtExports(flavour: CrtFlavour, version: number): Record<string, Export> {
  const cxx: CxxRuntime = flavour === 'ucrt' ? { dll: 'ucrtbase' } : { dll: 'msvcrt', version };
  const naming = flavour === 'ucrt' || version >= 80 ? 'std' : 'global'; // std::exception from Visual C++ 2005 on
  return {
    ...crtExceptionApi,
    ...crtThreadApi,
    ...ctypeApi(flavour),
    ...localeApi(flavour, version),
    ...memoryApi(flavour, version),
    ...startupApi(flavour, version),
    ...stdioApi(flavour),
    ...filesApi(flavour, version),
    ...ioApi(flavour, version),
    ...stdlibApi(flavour, version),
    ...stringApi(flavour, version),
    ...wideApi(flavour, version),
    ...mbstringApi(flavour),
    ...cxxApi(flavour),
    ...mathApi(flavour, version),
    ...floatApi(flavour, version),
    ...timeApi(flavour, version),
    ...printfApi(flavour, version),
    ...scanfApi(flavour, version),
    ...signalApi(flavour, version),
    ...cxxEhApi(cxx),
    ...rttiApi({ naming, vc2015: flavour === 'ucrt' }),
    ...(flavour === 'msvcrt' ? exceptionClassesApi(naming) : {}),
    ...setjmpApi(cxx),
  };
}

export default dll('msvcrt.dll', crtExports('msvcrt', MSVCRT_DLL));
