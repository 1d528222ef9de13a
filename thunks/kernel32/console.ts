// Standard handles and console output. The guest's stdout/stderr reach the host through the process's
// output sink; ReadFile/WriteFile on these handles are in file.ts, with the other handle kinds.
import { fn } from '../spec.js';
import type { KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { decodeUtf16 } from '../text.js';
import { ERROR } from '../win32.js';

export const STD_INPUT = 0xffff_fff6; // (DWORD)-10
export const STD_OUTPUT = 0xffff_fff5; // (DWORD)-11
export const STD_ERROR = 0xffff_fff4; // (DWORD)-12

export interface ConsoleStream extends KernelObject {
  readonly type: 'console';
  readonly stream: 'stdin' | 'stdout' | 'stderr';
}

/** Handles of the three standard streams, created on first use. */
export function stdHandle(p: Process, which: 'stdin' | 'stdout' | 'stderr'): number {
  const key = `std:${which}`;
  let h = p.cached.get(key);
  if (h === undefined) {
    h = p.handles.add({ type: 'console', stream: which } as ConsoleStream);
    p.cached.set(key, h);
  }
  return h;
}

export function GetStdHandle(p: Process, which: number): number {
  if (which === STD_INPUT) return stdHandle(p, 'stdin');
  if (which === STD_OUTPUT) return stdHandle(p, 'stdout');
  if (which === STD_ERROR) return stdHandle(p, 'stderr');
  p.setLastError(ERROR.INVALID_HANDLE);
  return 0xffff_ffff;
}

export function WriteConsole(p: Process, h: number, buf: number, n: number, written: number, wide: boolean): boolean {
  const obj = p.handles.get<ConsoleStream>(h);
  if (!obj || obj.type !== 'console' || obj.stream === 'stdin') {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  const bytes = wide ? new TextEncoder().encode(decodeUtf16(Uint16Array.from({ length: n }, (_, i) => p.mem.u16(buf + 2 * i)))) : p.mem.read(buf, n);
  p.write(obj.stream, bytes);
  if (written) p.mem.setU32(written, n);
  return true;
}

/** No debugger is attached; the text shows up in the API trace when tracing is on. */
export function OutputDebugString(p: Process, s: string | null): void {
  if (s !== null && p.tracing) p.trace('OutputDebugString', [s], undefined, 'void');
}

export function CloseHandle(p: Process, h: number): boolean {
  if (!p.handles.close(h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const consoleApi = {
  CloseHandle: fn('stdcall', ['long'], 'bool', CloseHandle),
  GetStdHandle: fn('stdcall', ['long'], 'long', GetStdHandle),
  OutputDebugStringA: fn('stdcall', ['str'], 'void', (p, s) => OutputDebugString(p, s)),
  OutputDebugStringW: fn('stdcall', ['wstr'], 'void', (p, s) => OutputDebugString(p, s)),
  WriteConsoleA: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, w, _reserved) => WriteConsole(p, h, b, n, w, false)),
  WriteConsoleW: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, w, _reserved) => WriteConsole(p, h, b, n, w, true)),
};
