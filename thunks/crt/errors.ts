// Errors the C runtime raises where Microsoft's CRT would end the process: failed assertions, pure virtual
// calls, invalid parameters without a handler, and signals whose default action is to terminate.
import { WowasmError } from '../../emulator/errors.js';

/** assert() / _assert / _wassert failed: the CRT would print "Assertion failed!" and abort. */
export class CrtAssertionError extends WowasmError {
  readonly expression: string;
  readonly file: string;
  readonly line: number;
  constructor(expression: string, file: string, line: number, calledFrom: string) {
    super('WOWASM_CRT_ASSERTION', `Assertion failed: ${expression}, file ${file}, line ${line} (called from ${calledFrom})`, {
      expression,
      file,
      line,
      calledFrom,
    });
    this.expression = expression;
    this.file = file;
    this.line = line;
  }
}

/** A pure virtual function was called (_purecall with no handler): R6025. */
export class PureVirtualCallError extends WowasmError {
  constructor(calledFrom: string) {
    super('WOWASM_CRT_PURECALL', `pure virtual function call (C runtime error R6025) from ${calledFrom}`, { calledFrom });
  }
}

/**
 * A CRT function received a parameter its documentation calls invalid and no invalid parameter handler was
 * set (the CRT's default handler ends the process, _invoke_watson).
 */
export class CrtInvalidParameterError extends WowasmError {
  readonly function: string;
  constructor(fn: string, problem: string, calledFrom: string) {
    super('WOWASM_CRT_INVALID_PARAMETER', `${fn}: invalid parameter (${problem}), called from ${calledFrom}; the C runtime ends the process here`, {
      function: fn,
      problem,
      calledFrom,
    });
    this.function = fn;
  }
}

/** A signal whose action is SIG_DFL terminates the process (raise(SIGABRT), raise(SIGSEGV), ...). */
export class CrtSignalError extends WowasmError {
  readonly signal: number;
  constructor(signal: number, name: string, calledFrom: string) {
    super('WOWASM_CRT_SIGNAL', `signal ${name} (${signal}) raised with its default action, which ends the process (called from ${calledFrom})`, {
      signal,
      name,
      calledFrom,
    });
    this.signal = signal;
  }
}
