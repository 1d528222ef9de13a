// vcruntime140.dll (and vcruntime140_1.dll): the compiler-support half of the Visual C++ 2015+ runtime that
// every MSVC-built DLL imports next to ucrtbase.dll. Neither is a known DLL: a copy shipped next to the DLL
// is loaded for real instead.
import { signalApi } from './crt/signal.js';
import { UCRT } from './crt/flavour.js';
import { vcruntimeApi } from './crt/vcruntime.js';
import { crtExceptionApi } from './seh-api.js';
import { dll, stub, type Export } from './spec.js';

/** C++ exception and RTTI helpers not implemented yet: importable, an UnimplementedApiError when called. */
const CXX_EH = [
  '__CxxFrameHandler2',
  '__CxxFrameHandler3',
  '__CxxDetectRethrow',
  '__CxxExceptionFilter',
  '__CxxQueryExceptionSize',
  '__CxxRegisterExceptionObject',
  '__CxxUnregisterExceptionObject',
  '__DestructExceptionObject',
  '__RTCastToVoid',
  '__RTDynamicCast',
  '__RTtypeid',
  '__AdjustPointer',
  '__BuildCatchObject',
  '__BuildCatchObjectHelper',
  '__uncaught_exception',
  '__uncaught_exceptions',
  '_CxxThrowException',
  '_except_handler4_common',
  '_local_unwind4',
  '_except_handler2',
  '_except_handler3',
  '_global_unwind2',
  '_local_unwind2',
  '_longjmpex',
  '_setjmp3',
  '_set_se_translator',
  '_is_exception_typeof',
  'longjmp',
  'unexpected',
];

function vcruntimeExports(): Record<string, Export> {
  const table: Record<string, Export> = Object.fromEntries(CXX_EH.map((n) => [n, stub()]));
  const { _purecall, _get_purecall_handler, _set_purecall_handler } = signalApi('ucrt', UCRT);
  return { ...table, ...crtExceptionApi, ...vcruntimeApi(), _purecall: _purecall!, _get_purecall_handler: _get_purecall_handler!, _set_purecall_handler: _set_purecall_handler! };
}

export default dll('vcruntime140.dll', vcruntimeExports());

/** vcruntime140_1.dll holds the FH4 C++ frame handler of 64-bit code; its names are declared for completeness. */
export const vcruntime140_1 = dll('vcruntime140_1.dll', { __CxxFrameHandler4: stub() });
