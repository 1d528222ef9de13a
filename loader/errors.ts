// Errors the loader raises: every one names the file and says what a user can do about it.
import { WowasmError } from '../emulator/errors.js';

/** The bytes are not a Windows PE image at all. */
export class NotPeError extends WowasmError {
  constructor(file: string, why: string) {
    super('WOWASM_NOT_PE', `${file} is not a Windows DLL (${why})`, { file, why });
  }
}

/** A PE image for another CPU (x64, ARM, ...) or a PE32+ image. */
export class UnsupportedArchitectureError extends WowasmError {
  constructor(file: string, arch: string) {
    super('WOWASM_UNSUPPORTED_ARCH', `wowasm runs 32-bit i386 DLLs; ${file} is ${arch}`, { file, arch });
  }
}

/** A PE image whose headers or tables are truncated or contradict each other. */
export class PeFormatError extends WowasmError {
  constructor(file: string, problem: string) {
    super('WOWASM_BAD_PE', `${file} is damaged: ${problem}`, { file, problem });
  }
}

/** A DLL the image imports could not be found. */
export class MissingDependencyError extends WowasmError {
  constructor(dependency: string, wantedBy: string, searched: string[]) {
    super(
      'WOWASM_MISSING_DEPENDENCY',
      `${wantedBy} needs ${dependency}, which was not found. wowasm looked in: ${searched.join(', ') || '(nowhere)'}` +
        ' — put the DLL next to the one you load, or add its folder to `searchPath`.',
      { dependency, wantedBy, searched },
    );
  }
}

/** The file to load does not exist. */
export class DllNotFoundError extends WowasmError {
  constructor(file: string, searched: string[]) {
    super('WOWASM_DLL_NOT_FOUND', `cannot find ${file}${searched.length ? ` (looked in: ${searched.join(', ')})` : ''}`, { file, searched });
  }
}

/** An export asked for by name or ordinal does not exist. */
export class ExportNotFoundError extends WowasmError {
  constructor(module: string, name: string, closeMatches: string[]) {
    super(
      'WOWASM_EXPORT_NOT_FOUND',
      `${module} has no export named ${name}` + (closeMatches.length ? `; did you mean ${closeMatches.join(', ')}?` : ''),
      { module, name, closeMatches },
    );
  }
}

/** DllMain (or a TLS callback) reported failure for DLL_PROCESS_ATTACH. */
export class DllInitError extends WowasmError {
  constructor(module: string, result: number) {
    super('WOWASM_DLL_INIT_FAILED', `${module}: DllMain returned FALSE (${result}) for DLL_PROCESS_ATTACH, so the DLL refused to load`, {
      module,
      result,
    });
  }
}

/** A forwarder chain that loops or names something that does not exist. */
export class ForwarderError extends WowasmError {
  constructor(module: string, name: string, forwarder: string, why: string) {
    super('WOWASM_BAD_FORWARDER', `${module}!${name} forwards to ${forwarder}, which ${why}`, { module, name, forwarder });
  }
}

/** An import of an image refers to something its dependency does not export. */
export class MissingImportError extends WowasmError {
  constructor(importer: string, dll: string, what: string) {
    super('WOWASM_MISSING_IMPORT', `${importer} imports ${what} from ${dll}, which ${dll} does not export`, { importer, dll, what });
  }
}
