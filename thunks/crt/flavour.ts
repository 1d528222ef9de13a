// Which C runtime a table is built for. The areas (thunks/crt/*.ts) take the formatting flavour
// (CrtFlavour, in format.ts) and, where DLL versions differ, the runtime's version:
// 60 = Windows' own msvcrt.dll, 70-120 = msvcr70.dll ... msvcr120.dll, 140 = ucrtbase.dll.
export type { CrtFlavour } from './format.js';

export const MSVCRT_DLL = 60;
export const UCRT = 140;

/**
 * The secure CRT (the `_s` functions, invalid parameter handlers, `_wassert`): msvcr80 and later, and the
 * msvcrt.dll of Windows Vista and later, which exports them too.
 */
export function hasSecureCrt(version: number): boolean {
  return version === MSVCRT_DLL || version >= 80;
}

/** `%n` works without `_set_printf_count_output(1)` only before msvcr80. */
export function countOutputByDefault(version: number): boolean {
  return version < 80;
}
