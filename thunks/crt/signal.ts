// Where the C runtime gives up: signal/raise, abort, assertions, pure virtual calls and the invalid
// parameter handler. What would end the process on Windows becomes a typed error (thunks/crt/errors.ts);
// handlers the guest installs are called as the CRT calls them.
import { ProcessExitError } from '../errors.js';
import { stateKey, type Process } from '../process.js';
import { fn, type Export } from '../spec.js';
import { CrtAssertionError, CrtInvalidParameterError, CrtSignalError, PureVirtualCallError } from './errors.js';
import type { CrtFlavour } from './format.js';
import { hasSecureCrt } from './flavour.js';
import { ERRNO, setErrno } from './state.js';

/** Signal numbers of Microsoft's <signal.h>. */
export const SIG = { INT: 2, ILL: 4, ABRT_COMPAT: 6, FPE: 8, SEGV: 11, TERM: 15, BREAK: 21, ABRT: 22 } as const;
const SIG_NAMES: Record<number, string> = { 2: 'SIGINT', 4: 'SIGILL', 6: 'SIGABRT', 8: 'SIGFPE', 11: 'SIGSEGV', 15: 'SIGTERM', 21: 'SIGBREAK', 22: 'SIGABRT' };
export const SIG_DFL = 0;
export const SIG_IGN = 1;
export const SIG_ERR = 0xffff_ffff;
/** raise(SIGFPE) hands the handler this sub-code as its second argument. */
const FPE_EXPLICITGEN = 0x8c;

interface FatalState {
  /** Signal number (SIGABRT_COMPAT folded into SIGABRT) -> handler (SIG_DFL, SIG_IGN or a guest function). */
  handlers: Map<number, number>;
  invalidParameterHandler: number;
  threadInvalidParameterHandler: number;
  purecallHandler: number;
  /** _set_abort_behavior flags (_WRITE_ABORT_MSG 1 | _CALL_REPORTFAULT 2). */
  abortBehavior: number;
}

const fatal = stateKey<FatalState>('crt.fatal', () => ({
  handlers: new Map(),
  invalidParameterHandler: 0,
  threadInvalidParameterHandler: 0,
  purecallHandler: 0,
  abortBehavior: 3,
}));

const canonical = (sig: number) => (sig === SIG.ABRT_COMPAT ? SIG.ABRT : sig);
const isSignal = (sig: number) => SIG_NAMES[sig] !== undefined;

/**
 * A CRT function found an invalid parameter: the thread's or the process's invalid parameter handler runs
 * (the caller must be declared reentrant), then errno is set and the function returns its failure value.
 * Without a handler the CRT ends the process: CrtInvalidParameterError.
 */
export function invalidParameter(p: Process, fnName: string, problem: string, errno: number = ERRNO.EINVAL): void {
  const s = p.state(fatal);
  const handler = s.threadInvalidParameterHandler || s.invalidParameterHandler;
  if (!handler) throw new CrtInvalidParameterError(fnName, problem, p.where());
  p.callGuest(handler, 'cdecl', [0, 0, 0, 0, 0]);
  setErrno(p, errno);
}

/** signal(sig, func): installs a handler, returns the previous one (SIG_ERR and EINVAL for an unknown signal). */
export function signal(p: Process, sig: number, func: number): number {
  if (!isSignal(sig)) {
    invalidParameter(p, 'signal', `${sig} is not a signal`);
    return SIG_ERR;
  }
  if (func === SIG_ERR || func === 2 || func === 3 || func === 4) {
    // SIG_GET/SIG_SGE/SIG_ACK are not valid actions to set.
    invalidParameter(p, 'signal', `0x${func.toString(16)} is not a signal action`);
    return SIG_ERR;
  }
  const s = p.state(fatal);
  const key = canonical(sig);
  const old = s.handlers.get(key) ?? SIG_DFL;
  s.handlers.set(key, func);
  return old;
}

/**
 * raise(sig): runs the installed handler (reset to SIG_DFL first, as the CRT does), ignores SIG_IGN, and
 * takes the default action otherwise: SIGTERM is ignored, the others end the process (CrtSignalError).
 */
export function raise(p: Process, sig: number): number {
  if (!isSignal(sig)) {
    invalidParameter(p, 'raise', `${sig} is not a signal`);
    return -1;
  }
  const s = p.state(fatal);
  const key = canonical(sig);
  const h = s.handlers.get(key) ?? SIG_DFL;
  if (h === SIG_IGN) return 0;
  if (h === SIG_DFL) {
    if (key === SIG.TERM) return 0;
    throw new CrtSignalError(sig, SIG_NAMES[sig]!, p.where());
  }
  s.handlers.set(key, SIG_DFL);
  p.callGuest(h, 'cdecl', key === SIG.FPE ? [sig, FPE_EXPLICITGEN] : [sig]);
  return 0;
}

/** abort(): raises SIGABRT (a handler the guest installed runs), then ends the process with exit code 3. */
export function abort(p: Process): never {
  const s = p.state(fatal);
  const h = s.handlers.get(SIG.ABRT) ?? SIG_DFL;
  if (h !== SIG_DFL && h !== SIG_IGN) {
    s.handlers.set(SIG.ABRT, SIG_DFL);
    p.callGuest(h, 'cdecl', [SIG.ABRT]);
  }
  throw new ProcessExitError('abort', 3, p.where());
}

export function _assert(p: Process, expression: string | null, file: string | null, line: number): never {
  throw new CrtAssertionError(expression ?? '(null)', file ?? '(null)', line, p.where());
}

/** _purecall: calls the handler set with _set_purecall_handler (if any), then ends the process. */
export function _purecall(p: Process): never {
  const h = p.state(fatal).purecallHandler;
  if (h) p.callGuest(h, 'cdecl', []);
  throw new PureVirtualCallError(p.where());
}

function swap(p: Process, field: 'invalidParameterHandler' | 'threadInvalidParameterHandler' | 'purecallHandler', v: number): number {
  const s = p.state(fatal);
  const old = s[field];
  s[field] = v;
  return old;
}

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function signalApi(flavour: CrtFlavour, version: number): Record<string, Export> {
  const reentrant = { reentrant: true };
  const common: Record<string, Export> = {
    _assert: fn('cdecl', ['str', 'str', 'int'], 'void', _assert),
    _purecall: fn('cdecl', [], 'int', _purecall, reentrant),
    abort: fn('cdecl', [], 'void', abort, reentrant),
    raise: fn('cdecl', ['int'], 'int', raise, reentrant),
    signal: fn('cdecl', ['int', 'ptr'], 'ptr', signal, reentrant),
  };
  if (!hasSecureCrt(version)) return common;
  // The secure CRT (msvcr80 and later, Windows' msvcrt.dll, ucrtbase): invalid parameter and purecall
  // handlers, _wassert.
  const later: Record<string, Export> = {
    ...common,
    _get_invalid_parameter_handler: fn('cdecl', [], 'ptr', (p) => p.state(fatal).invalidParameterHandler),
    _get_purecall_handler: fn('cdecl', [], 'ptr', (p) => p.state(fatal).purecallHandler),
    _invalid_parameter_noinfo: fn('cdecl', [], 'void', (p) => invalidParameter(p, '_invalid_parameter_noinfo', 'reported by the caller'), reentrant),
    _invalid_parameter_noinfo_noreturn: fn(
      'cdecl',
      [],
      'void',
      (p) => {
        invalidParameter(p, '_invalid_parameter_noinfo_noreturn', 'reported by the caller');
        throw new CrtInvalidParameterError('_invalid_parameter_noinfo_noreturn', 'the handler returned; the C runtime ends the process', p.where());
      },
      reentrant,
    ),
    _invoke_watson: fn('cdecl', ['wstr', 'wstr', 'wstr', 'long', 'long'], 'void', (p, expression, fnName, _file, _line, _reserved) => {
      throw new CrtInvalidParameterError(fnName ?? '_invoke_watson', expression ?? 'reported by the caller', p.where());
    }),
    _set_abort_behavior: fn('cdecl', ['long', 'long'], 'long', (p, flags, mask) => {
      const s = p.state(fatal);
      const old = s.abortBehavior;
      s.abortBehavior = (old & ~mask) | (flags & mask);
      return old;
    }),
    _set_invalid_parameter_handler: fn('cdecl', ['ptr'], 'ptr', (p, h) => swap(p, 'invalidParameterHandler', h)),
    _set_purecall_handler: fn('cdecl', ['ptr'], 'ptr', (p, h) => swap(p, 'purecallHandler', h)),
    _wassert: fn('cdecl', ['wstr', 'wstr', 'int'], 'void', _assert),
  };
  if (version >= 110 || flavour === 'ucrt') {
    later._get_thread_local_invalid_parameter_handler = fn('cdecl', [], 'ptr', (p) => p.state(fatal).threadInvalidParameterHandler);
    later._set_thread_local_invalid_parameter_handler = fn('cdecl', ['ptr'], 'ptr', (p, h) => swap(p, 'threadInvalidParameterHandler', h));
  }
  if (flavour === 'msvcrt') {
    later._invalid_parameter = fn(
      'cdecl',
      ['wstr', 'wstr', 'wstr', 'long', 'long'],
      'void',
      (p, expression, fnName, _file, _line, _reserved) => invalidParameter(p, fnName ?? '_invalid_parameter', expression ?? 'reported by the caller'),
      reentrant,
    );
  }
  return later;
}
