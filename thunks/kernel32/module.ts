// Modules: GetModuleHandle, GetModuleFileName, LoadLibrary, GetProcAddress, FreeLibrary.
import { fn } from '../spec.js';
import { WowasmError } from '../../emulator/errors.js';
import type { ModuleRef, PeModuleRef, Process } from '../process.js';
import { ERROR } from '../win32.js';
import { writeAnsi, writeWide } from '../text.js';

/** The guest-visible path of a module: images appear in the application folder C:\wowasm. */
export function guestPath(m: ModuleRef | undefined, p: Process): string {
  if (!m) return p.hostExePath;
  return m.kind === 'pe' ? `C:\\wowasm\\${baseName((m as PeModuleRef).path)}` : `C:\\Windows\\System32\\${m.name}`;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

export function GetModuleHandle(p: Process, name: string | null): number {
  if (name === null) return p.hostExeBase;
  const m = p.modules.find(name);
  if (!m) {
    p.setLastError(ERROR.MOD_NOT_FOUND);
    return 0;
  }
  return m.base;
}

/** GetModuleHandleEx: flag 4 (FROM_ADDRESS) takes an address inside the module; 2 (UNCHANGED_REFCOUNT) is the only way we behave anyway... */
export function GetModuleHandleEx(p: Process, flags: number, nameOrAddr: number, out: number, wide: boolean): boolean {
  const FROM_ADDRESS = 4;
  let base = 0;
  if (flags & FROM_ADDRESS) base = p.modules.moduleAt(nameOrAddr)?.base ?? 0;
  else base = GetModuleHandle(p, nameOrAddr === 0 ? null : wide ? p.readWStr(nameOrAddr) : p.readStr(nameOrAddr));
  if (out) p.mem.setU32(out, base);
  if (!base) p.setLastError(ERROR.MOD_NOT_FOUND);
  return base !== 0;
}

function moduleFromHandle(p: Process, h: number): ModuleRef | undefined | null {
  if (h === 0 || h === p.hostExeBase) return undefined; // the host "EXE"
  return p.modules.byBase(h) ?? null;
}

/** Copies the module path into a buffer with Windows' truncation rules; returns the characters copied. */
export function GetModuleFileName(p: Process, h: number, buf: number, size: number, wide: boolean): number {
  const m = moduleFromHandle(p, h);
  if (m === null) {
    p.setLastError(ERROR.MOD_NOT_FOUND);
    return 0;
  }
  const path = guestPath(m, p);
  if (size === 0) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  const fits = path.length < size;
  const text = fits ? path : path.slice(0, size - 1);
  if (wide) writeWide(p.mem, buf, text);
  else writeAnsi(p.mem, buf, text, p.ansiCodePage);
  p.setLastError(fits ? ERROR.SUCCESS : ERROR.INSUFFICIENT_BUFFER);
  return fits ? text.length : size;
}

export function LoadLibrary(p: Process, name: string | null): number {
  if (!name) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  try {
    const requester = p.modules.moduleAt(p.caller);
    return p.modules.loadLibrary(name, requester).base;
  } catch (e) {
    if (!(e instanceof WowasmError)) throw e;
    const code = LOAD_ERRORS[e.code];
    if (code === undefined) throw e; // a guest fault in DllMain ends the whole call, as it would crash on Windows
    p.setLastError(code);
    return 0;
  }
}

const LOAD_ERRORS: Record<string, number> = {
  WOWASM_MISSING_DEPENDENCY: ERROR.MOD_NOT_FOUND,
  WOWASM_DLL_NOT_FOUND: ERROR.MOD_NOT_FOUND,
  WOWASM_NOT_PE: ERROR.BAD_EXE_FORMAT,
  WOWASM_UNSUPPORTED_ARCH: ERROR.BAD_EXE_FORMAT,
  WOWASM_BAD_PE: ERROR.BAD_EXE_FORMAT,
  WOWASM_DLL_INIT_FAILED: ERROR.DLL_INIT_FAILED,
  WOWASM_MISSING_IMPORT: ERROR.PROC_NOT_FOUND,
  WOWASM_BAD_FORWARDER: ERROR.PROC_NOT_FOUND,
};

export function GetProcAddress(p: Process, h: number, nameOrOrdinal: number): number {
  const m = moduleFromHandle(p, h);
  if (!m) {
    p.setLastError(m === null ? ERROR.MOD_NOT_FOUND : ERROR.PROC_NOT_FOUND);
    return 0;
  }
  const ref = nameOrOrdinal >>> 16 === 0 ? { ordinal: nameOrOrdinal } : { name: p.readStr(nameOrOrdinal) ?? '', hint: 0 };
  let addr: number | undefined;
  try {
    // A forwarder may have to load its target DLL, which can fail like LoadLibrary does.
    addr = p.modules.getProcAddress(m, ref);
  } catch (e) {
    const code = e instanceof WowasmError ? LOAD_ERRORS[e.code] : undefined;
    if (code === undefined) throw e;
    p.setLastError(code);
    return 0;
  }
  if (addr === undefined) {
    p.setLastError(ERROR.PROC_NOT_FOUND);
    return 0;
  }
  return addr;
}

export function FreeLibrary(p: Process, h: number): boolean {
  const m = moduleFromHandle(p, h);
  if (!m) {
    p.setLastError(ERROR.MOD_NOT_FOUND);
    return false;
  }
  p.modules.free(m);
  return true;
}

export function DisableThreadLibraryCalls(p: Process, h: number): boolean {
  const m = moduleFromHandle(p, h);
  if (!m) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (m.kind === 'pe') (m as PeModuleRef).threadCallsDisabled = true;
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const moduleApi = {
  DisableThreadLibraryCalls: fn('stdcall', ['long'], 'bool', DisableThreadLibraryCalls),
  FreeLibrary: fn('stdcall', ['long'], 'bool', FreeLibrary, { reentrant: true }),
  GetModuleFileNameA: fn('stdcall', ['long', 'ptr', 'long'], 'long', (p, h, b, s) => GetModuleFileName(p, h, b, s, false)),
  GetModuleFileNameW: fn('stdcall', ['long', 'ptr', 'long'], 'long', (p, h, b, s) => GetModuleFileName(p, h, b, s, true)),
  GetModuleHandleA: fn('stdcall', ['str'], 'long', GetModuleHandle),
  GetModuleHandleExA: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', (p, f, n, o) => GetModuleHandleEx(p, f, n, o, false)),
  GetModuleHandleExW: fn('stdcall', ['long', 'ptr', 'ptr'], 'bool', (p, f, n, o) => GetModuleHandleEx(p, f, n, o, true)),
  GetModuleHandleW: fn('stdcall', ['wstr'], 'long', GetModuleHandle),
  GetProcAddress: fn('stdcall', ['long', 'ptr'], 'ptr', GetProcAddress, { reentrant: true }), // a forwarder's DLL may run DllMain,
  LoadLibraryA: fn('stdcall', ['str'], 'long', LoadLibrary, { reentrant: true }),
  LoadLibraryExA: fn('stdcall', ['str', 'long', 'long'], 'long', (p, n, _hFile, _dwFlags) => LoadLibrary(p, n), { reentrant: true }),
  LoadLibraryExW: fn('stdcall', ['wstr', 'long', 'long'], 'long', (p, n, _hFile, _dwFlags) => LoadLibrary(p, n), { reentrant: true }),
  LoadLibraryW: fn('stdcall', ['wstr'], 'long', LoadLibrary, { reentrant: true }),
};
