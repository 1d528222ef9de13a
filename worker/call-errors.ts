// Errors of calling through a prototype (kept apart from the call machinery so the public type
// declarations stay free of it).
import { WowasmError } from '../emulator/errors.js';

/** The callee removed a different number of argument bytes than its prototype implies. */
export class StackImbalanceError extends WowasmError {
  constructor(fn: string, declared: string, popped: number) {
    super(
      'WOWASM_STACK_IMBALANCE',
      `${fn} returned with the stack off: the prototype says ${declared}, but the function popped ${popped} bytes of arguments. ` +
        'Check its calling convention (__cdecl/__stdcall) and parameter types.',
      { fn, declared, popped },
    );
  }
}

/** The wrong number of arguments for a prototype. */
export class ArgumentCountError extends WowasmError {
  constructor(fn: string, expected: number, got: number) {
    super('WOWASM_ARGUMENT_COUNT', `${fn} takes ${expected} argument${expected === 1 ? '' : 's'}, got ${got}`, { fn, expected, got });
  }
}

