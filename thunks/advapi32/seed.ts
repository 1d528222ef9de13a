// The registry a DLL sees, as the user describes it to load(): the public types of the `registry` load
// option and of lib.registry.export(). Types only (no code), so the public declarations stay small.

/** Registry value types by their SDK names (REG_DWORD_LITTLE_ENDIAN is REG_DWORD, REG_QWORD_LITTLE_ENDIAN is REG_QWORD). */
export type RegistryTypeName =
  | 'REG_NONE'
  | 'REG_SZ'
  | 'REG_EXPAND_SZ'
  | 'REG_BINARY'
  | 'REG_DWORD'
  | 'REG_DWORD_BIG_ENDIAN'
  | 'REG_LINK'
  | 'REG_MULTI_SZ'
  | 'REG_RESOURCE_LIST'
  | 'REG_FULL_RESOURCE_DESCRIPTOR'
  | 'REG_RESOURCE_REQUIREMENTS_LIST'
  | 'REG_QWORD';

/**
 * One registry value:
 * - a string: REG_SZ;
 * - a number: REG_DWORD (an integer from 0 to 0xFFFFFFFF);
 * - an array of strings: REG_MULTI_SZ;
 * - `null`: the value is deleted (when seeding over the defaults);
 * - `{ type, value }`: strings for REG_SZ, REG_EXPAND_SZ and REG_LINK, an array of strings for
 *   REG_MULTI_SZ, a number for REG_DWORD and REG_DWORD_BIG_ENDIAN, a number, bigint or decimal/"0x"
 *   string for REG_QWORD, bytes (array of numbers, Uint8Array, or hex text such as "01 02 ff") for the
 *   others;
 * - `{ type, hex }`: the exact stored bytes as hex text ("00,ff" or "00 ff" or "00ff"), for any type
 *   (how export() writes a string stored without its terminating NUL, for instance).
 *
 * Strings are stored as Windows stores them: UTF-16, with a terminating NUL.
 */
export type RegistryValueSeed =
  | string
  | number
  | string[]
  | null
  | { type: RegistryTypeName | number; value: string | number | bigint | string[] | number[] | Uint8Array }
  | { type: RegistryTypeName | number; hex: string };

/**
 * Registry contents by key: full key paths ("HKEY_CURRENT_USER\\Software\\Acme"; the short root names
 * HKCU, HKLM, HKCR, HKU and HKCC work too) to their values by name ("" is the key's default value).
 * `{}` creates an empty key; `null` deletes the key and everything under it. Seeds are applied in order,
 * over the Windows 10 defaults wowasm starts from.
 */
export type RegistrySeed = Record<string, Record<string, RegistryValueSeed> | null>;

export interface RegistryOptions {
  /**
   * What the registry holds besides the Windows 10 defaults: a RegistrySeed, or a `.reg` file (a path,
   * relative to the current directory, or the file's text itself, recognised by its first line
   * "Windows Registry Editor Version 5.00" or "REGEDIT4"). Changes the DLL makes stay in memory;
   * lib.registry.export() returns them.
   */
  seed?: RegistrySeed | string;
}

/** What lib.registry.export() returns: `.reg` text (regedit's format) or a RegistrySeed. */
export interface RegistryExportOptions {
  /** 'reg' (default): the text of a .reg file, Windows Registry Editor Version 5.00; 'json': a RegistrySeed. */
  format?: 'reg' | 'json';
  /** Only this key and its subkeys ("HKEY_CURRENT_USER\\Software\\Acme"); default: the whole registry. */
  key?: string;
}

/** lib.registry of a loadSync() library. */
export interface LibraryRegistry {
  /** The registry now, the DLL's changes included: .reg text by default, or a RegistrySeed. */
  export(opts?: { format?: 'reg'; key?: string }): string;
  export(opts: { format: 'json'; key?: string }): RegistrySeed;
}

/** lib.registry of a load() library: the same, answered by the library thread. */
export interface AsyncLibraryRegistry {
  export(opts?: { format?: 'reg'; key?: string }): Promise<string>;
  export(opts: { format: 'json'; key?: string }): Promise<RegistrySeed>;
}
