// wowasm's public API: load a 32-bit Windows DLL and call its exports from JS.
export { callback, Library, loadSync, struct, type ExportInfo, type ForeignFunction, type LoadOptions } from './library.js';
export { AsyncLibrary, load, type AsyncForeignFunction, type AsyncLoadOptions } from './async-library.js';
export type { Charset } from './marshal.js';
export type { FileSystemOptions } from '../thunks/vfs/options.js';
export type { MessageBoxEvent } from '../thunks/user32/messagebox.js';
export type {
  AsyncLibraryRegistry,
  LibraryRegistry,
  RegistryExportOptions,
  RegistryOptions,
  RegistrySeed,
  RegistryTypeName,
  RegistryValueSeed,
} from '../thunks/advapi32/seed.js';
export type { CType, FunctionProto } from './types.js';
export * from './errors.js';
