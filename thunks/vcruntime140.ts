// vcruntime140.dll (and vcruntime140_1.dll): the compiler-support half of the Visual C++ 2015+ runtime that
// every MSVC-built DLL imports next to ucrtbase.dll. Neither is a known DLL: a copy shipped next to the DLL
// is loaded for real instead.
import { signalApi } from './crt/signal.js';
import { UCRT } from './crt/flavour.js';
import { setjmpApi } from './crt/setjmp.js';
import { vcruntimeApi } from './crt/vcruntime.js';
import { cxxEhApi } from './cxx-eh.js';
import { rttiApi } from './rtti.js';
import { crtExceptionApi } from './seh-api.js';
import { dll, stub, type Export } from './spec.js';

/** Exports wowasm does not implement: importable, an UnimplementedApiError when called. */
const UNIMPLEMENTED = [
  // The SEH2 language handler of Visual C++ 4-5 era code (nothing built for vcruntime140 uses it).
  '_except_handler2',
];

function vcruntimeExports(): Record<string, Export> {
  const table: Record<string, Export> = Object.fromEntries(UNIMPLEMENTED.map((n) => [n, stub()]));
  const { _purecall, _get_purecall_handler, _set_purecall_handler } = signalApi('ucrt', UCRT);
  const rt = { dll: 'vcruntime140' } as const;
  return {
    ...table,
    ...crtExceptionApi,
    ...vcruntimeApi(),
    ...cxxEhApi(rt),
    ...rttiApi({ naming: 'std', vc2015: true }, { typeInfoVftable: true }),
    ...setjmpApi(rt),
    _purecall: _purecall!,
    _get_purecall_handler: _get_purecall_handler!,
    _set_purecall_handler: _set_purecall_handler!,
  };
}

export default dll('vcruntime140.dll', vcruntimeExports());

/** vcruntime140_1.dll holds the FH4 C++ frame handler of 64-bit code; its names are declared for completeness. */
export const vcruntime140_1 = dll('vcruntime140_1.dll', { __CxxFrameHandler4: stub() });
