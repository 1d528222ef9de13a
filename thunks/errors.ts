// Errors raised by the Win32 layer.
import { WowasmError } from '../emulator/errors.js';

/** Guest code called a Win32/CRT function wowasm does not implement. */
export class UnimplementedApiError extends WowasmError {
  readonly dll: string;
  readonly function: string;
  constructor(dll: string, fn: string, calledFrom: string) {
    super(
      'WOWASM_UNIMPLEMENTED_API',
      `${dll}!${fn} is not implemented by wowasm (called from ${calledFrom}); the call was stopped. ` +
        'Please report which DLL needs it.',
      { dll, function: fn, calledFrom },
    );
    this.dll = dll;
    this.function = fn;
  }
}

/** Guest code ended the process (ExitProcess, exit, abort): the call cannot return. */
export class ProcessExitError extends WowasmError {
  readonly exitCode: number;
  constructor(how: string, exitCode: number, calledFrom: string) {
    super('WOWASM_PROCESS_EXIT', `the DLL called ${how} (exit code ${exitCode}) from ${calledFrom}; the library can no longer be used`, {
      how,
      exitCode,
      calledFrom,
    });
    this.exitCode = exitCode;
  }
}

/** A call into a library whose DLL has ended its process (ProcessExitError) earlier: no guest code runs any more. */
export class LibraryExitedError extends WowasmError {
  constructor(dll: string, exit: ProcessExitError) {
    super('WOWASM_LIBRARY_EXITED', `${dll} ended its process earlier (${exit.message.replace(/; the library can no longer be used$/, '')}): nothing more can run in it; load the DLL again`, {
      dll,
      exitCode: exit.exitCode,
    });
  }
}

/** The `registry` load option, or a `.reg` file it names, is not understood (the message says where). */
export class RegistrySeedError extends WowasmError {
  readonly source: string;
  constructor(source: string, problem: string) {
    super('WOWASM_BAD_REGISTRY_SEED', `registry seed (${source}): ${problem}`, { source, problem });
    this.source = source;
  }
}

/** A Win32 function received arguments it cannot work with in a way Windows would also crash on. */
export class ApiArgumentError extends WowasmError {
  constructor(api: string, problem: string, calledFrom: string) {
    super('WOWASM_API_ARGUMENT', `${api}: ${problem} (called from ${calledFrom})`, { api, problem, calledFrom });
  }
}
