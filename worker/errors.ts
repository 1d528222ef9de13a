// Every error class a wowasm user can catch, in one place.
export {
  BudgetExceededError,
  EmulatorCrashedError,
  EmulatorSelfTestError,
  GuestFaultError,
  GuestMemoryError,
  OutOfGuestMemoryError,
  WowasmError,
} from '../emulator/errors.js';
export { FileSystemOptionError } from '../thunks/vfs/options.js';
export {
  DllInitError,
  DllNotFoundError,
  ExportNotFoundError,
  ForwarderError,
  MissingDependencyError,
  MissingImportError,
  NotPeError,
  PeFormatError,
  UnsupportedArchitectureError,
} from '../loader/errors.js';
export { ApiArgumentError, LibraryExitedError, ProcessExitError, RegistrySeedError, UnimplementedApiError } from '../thunks/errors.js';
export { CrtAssertionError, CrtInvalidParameterError, CrtSignalError, PureVirtualCallError } from '../thunks/crt/errors.js';
export { ArgumentCountError, StackImbalanceError } from './call-errors.js';
export { ArgumentTypeError } from './marshal.js';
export { PrototypeError } from './types.js';
