// Standard handles and console output. The guest's stdout/stderr reach the host through the process's
// output sink; ReadFile/WriteFile on these handles are in file.ts, with the other handle kinds.
import { fn } from '../spec.js';
import { CURRENT_PROCESS, CURRENT_THREAD, type KernelObject } from '../handles.js';
import { stateKey, type Process } from '../process.js';
import { decodeBytes, decodeUtf16, encodeString, writeAnsi, writeWide } from '../text.js';
import { isProtectedFromClose } from './process-info.js';
import { codePage, IsValidCodePage } from './text.js';
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
  if (h === CURRENT_PROCESS || h === CURRENT_THREAD) return true; // pseudo-handles need no closing
  if (isProtectedFromClose(p, h)) {
    p.setLastError(ERROR.INVALID_HANDLE); // STATUS_HANDLE_NOT_CLOSABLE
    return false;
  }
  if (!p.handles.close(h)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  return true;
}

// ---- the console itself: modes, screen buffer, code pages, title, control handlers ------------------

const INPUT_MODE_DEFAULT = 0x1f7; // processed, line, echo, mouse, insert, quick edit, extended flags, auto position
const OUTPUT_MODE_DEFAULT = 0x3; // ENABLE_PROCESSED_OUTPUT | ENABLE_WRAP_AT_EOL_OUTPUT
const INPUT_MODE_VALID = 0x3ff; // ... | ENABLE_VIRTUAL_TERMINAL_INPUT (0x200)
const OUTPUT_MODE_VALID = 0x1f; // ... | VIRTUAL_TERMINAL_PROCESSING | DISABLE_NEWLINE_AUTO_RETURN | LVB_GRID_WORLDWIDE
const SCREEN = { columns: 80, rows: 25 } as const;

interface ConsoleState {
  inputMode: number;
  outputMode: number;
  attributes: number;
  inputCodePage: number;
  outputCodePage: number;
  title: string;
  attached: boolean;
  ctrlHandlers: number[];
  ignoreCtrlC: boolean;
}

export const consoleState = stateKey<ConsoleState>('kernel32.console', (p) => ({
  inputMode: INPUT_MODE_DEFAULT,
  outputMode: OUTPUT_MODE_DEFAULT,
  attributes: 0x07, // light grey on black
  inputCodePage: p.oemCodePage,
  outputCodePage: p.oemCodePage,
  title: p.hostExePath,
  attached: true,
  ctrlHandlers: [],
  ignoreCtrlC: false,
}));

/** The console stream behind a handle (and the console must be attached), or undefined with ERROR_INVALID_HANDLE. */
function consoleOf(p: Process, h: number, want?: 'input' | 'output'): ConsoleStream | undefined {
  const obj = p.handles.get<ConsoleStream>(h);
  const ok = obj?.type === 'console' && p.state(consoleState).attached && (want === undefined || (want === 'input') === (obj.stream === 'stdin'));
  if (!ok) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return undefined;
  }
  return obj;
}

export function GetConsoleMode(p: Process, h: number, out: number): boolean {
  const c = consoleOf(p, h);
  if (!c) return false;
  const s = p.state(consoleState);
  p.mem.setU32(out, c.stream === 'stdin' ? s.inputMode : s.outputMode);
  return true;
}

export function SetConsoleMode(p: Process, h: number, mode: number): boolean {
  const c = consoleOf(p, h);
  if (!c) return false;
  const input = c.stream === 'stdin';
  if (mode & ~(input ? INPUT_MODE_VALID : OUTPUT_MODE_VALID)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const s = p.state(consoleState);
  if (input) s.inputMode = mode;
  else s.outputMode = mode;
  return true;
}

/** CONSOLE_SCREEN_BUFFER_INFO (22 bytes) of an 80x25 screen whose window shows all of it. */
export function GetConsoleScreenBufferInfo(p: Process, h: number, out: number): boolean {
  if (!consoleOf(p, h, 'output')) return false;
  const m = p.mem;
  m.setU16(out, SCREEN.columns); // dwSize
  m.setU16(out + 2, SCREEN.rows);
  m.setU16(out + 4, 0); // dwCursorPosition
  m.setU16(out + 6, 0);
  m.setU16(out + 8, p.state(consoleState).attributes);
  m.setU16(out + 10, 0); // srWindow: left, top, right, bottom
  m.setU16(out + 12, 0);
  m.setU16(out + 14, SCREEN.columns - 1);
  m.setU16(out + 16, SCREEN.rows - 1);
  m.setU16(out + 18, SCREEN.columns); // dwMaximumWindowSize
  m.setU16(out + 20, SCREEN.rows);
  return true;
}

/** Colours are remembered (GetConsoleScreenBufferInfo reports them); the output stays plain text. */
export function SetConsoleTextAttribute(p: Process, h: number, attributes: number): boolean {
  if (!consoleOf(p, h, 'output')) return false;
  p.state(consoleState).attributes = attributes & 0xffff;
  return true;
}

// ---- input: the stdin option's bytes, then the end ------------------------------------------------

const ENABLE_LINE_INPUT = 0x2;
const consoleInput = stateKey('kernel32.consoleInput', () => ({ bytes: undefined as Uint8Array | undefined, pos: 0 }));

/** The unread input, in the console's input code page (text given as a string is encoded on first use). */
function pendingInput(p: Process): Uint8Array {
  const s = p.state(consoleInput);
  if (!s.bytes) {
    const o = p.stdinOption;
    s.bytes = o === undefined ? new Uint8Array(0) : typeof o === 'string' ? encodeString(o, codePage(p, p.state(consoleState).inputCodePage) ?? 437).bytes : o;
  }
  return s.bytes.subarray(s.pos);
}

/** Up to `n` bytes of standard input; in line-input mode a read ends after a line feed. Empty at the end. */
export function readConsoleInput(p: Process, n: number): Uint8Array {
  const rest = pendingInput(p);
  let take = Math.min(n, rest.length);
  if (p.state(consoleState).inputMode & ENABLE_LINE_INPUT) {
    const nl = rest.subarray(0, take).indexOf(0x0a);
    if (nl >= 0) take = nl + 1;
  }
  p.state(consoleInput).pos += take;
  return rest.slice(0, take);
}

export function GetNumberOfConsoleInputEvents(p: Process, h: number, out: number): boolean {
  if (!consoleOf(p, h, 'input')) return false;
  p.mem.setU32(out, pendingInput(p).length); // one event per character still to come
  return true;
}

export function FlushConsoleInputBuffer(p: Process, h: number): boolean {
  return consoleOf(p, h, 'input') !== undefined;
}

/**
 * ReadConsoleA/W: the next characters of the input (a line at most in line-input mode); nothing at the
 * end. There is no keyboard: without the stdin option a read returns nothing at once.
 */
export function ReadConsole(p: Process, h: number, buf: number, n: number, read: number, wide: boolean): boolean {
  if (!consoleOf(p, h, 'input')) return false;
  let count: number;
  if (!wide) {
    const bytes = readConsoleInput(p, n);
    p.mem.write(buf, bytes);
    count = bytes.length;
  } else {
    // Decode what is left, take up to n characters (a line at most), and consume their bytes.
    const cp = codePage(p, p.state(consoleState).inputCodePage) ?? 437;
    const text = decodeBytes(pendingInput(p), cp);
    let chars = text.slice(0, n);
    if (p.state(consoleState).inputMode & ENABLE_LINE_INPUT && chars.includes('\n')) chars = chars.slice(0, chars.indexOf('\n') + 1);
    p.state(consoleInput).pos += encodeString(chars, cp).bytes.length;
    for (let i = 0; i < chars.length; i++) p.mem.setU16(buf + 2 * i, chars.charCodeAt(i));
    count = chars.length;
  }
  if (read) p.mem.setU32(read, count);
  return true;
}

/** The process has its console from the start: AllocConsole and AttachConsole fail until FreeConsole. */
export function AllocConsole(p: Process): boolean {
  const s = p.state(consoleState);
  if (s.attached) {
    p.setLastError(ERROR.ACCESS_DENIED);
    return false;
  }
  s.attached = true;
  return true;
}

const ATTACH_PARENT_PROCESS = 0xffff_ffff;
export function AttachConsole(p: Process, pid: number): boolean {
  const s = p.state(consoleState);
  if (s.attached) {
    p.setLastError(ERROR.ACCESS_DENIED);
    return false;
  }
  if (pid !== ATTACH_PARENT_PROCESS) {
    p.setLastError(ERROR.INVALID_HANDLE); // no other process has a console to share
    return false;
  }
  s.attached = true;
  return true;
}

export function FreeConsole(p: Process): boolean {
  p.state(consoleState).attached = false;
  return true;
}

/** Handlers are recorded (in order); no Ctrl+C ever arrives. NULL with TRUE/FALSE sets/clears ignoring Ctrl+C. */
export function SetConsoleCtrlHandler(p: Process, handler: number, add: number): boolean {
  const s = p.state(consoleState);
  if (!handler) {
    s.ignoreCtrlC = add !== 0;
    return true;
  }
  if (add) {
    s.ctrlHandlers.push(handler);
    return true;
  }
  const i = s.ctrlHandlers.lastIndexOf(handler);
  if (i < 0) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  s.ctrlHandlers.splice(i, 1);
  return true;
}

export function GetConsoleCP(p: Process): number {
  return p.state(consoleState).inputCodePage;
}

export function GetConsoleOutputCP(p: Process): number {
  return p.state(consoleState).outputCodePage;
}

export function SetConsoleCP(p: Process, cp: number, output: boolean): boolean {
  if (!IsValidCodePage(p, cp)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const s = p.state(consoleState);
  if (output) s.outputCodePage = cp;
  else s.inputCodePage = cp;
  return true;
}

/** The title (the EXE's path until set); returns its length, copied and NUL-terminated as far as it fits. */
export function GetConsoleTitle(p: Process, buf: number, size: number, wide: boolean): number {
  const title = p.state(consoleState).title;
  if (size === 0 || !buf) return title.length;
  const text = title.slice(0, size - 1);
  if (wide) writeWide(p.mem, buf, text);
  else writeAnsi(p.mem, buf, text, p.ansiCodePage);
  return title.length;
}

export function SetConsoleTitle(p: Process, title: string | null): boolean {
  p.state(consoleState).title = title ?? '';
  return true;
}

/** SetStdHandle: GetStdHandle returns this handle from now on. */
export function SetStdHandle(p: Process, which: number, h: number): boolean {
  const stream = which === STD_INPUT ? 'stdin' : which === STD_OUTPUT ? 'stdout' : which === STD_ERROR ? 'stderr' : undefined;
  if (!stream) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  p.cached.set(`std:${stream}`, h);
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const consoleApi = {
  AllocConsole: fn('stdcall', [], 'bool', AllocConsole),
  AttachConsole: fn('stdcall', ['long'], 'bool', AttachConsole),
  FlushConsoleInputBuffer: fn('stdcall', ['long'], 'bool', FlushConsoleInputBuffer),
  FreeConsole: fn('stdcall', [], 'bool', FreeConsole),
  GetConsoleCP: fn('stdcall', [], 'long', GetConsoleCP),
  GetConsoleMode: fn('stdcall', ['long', 'ptr'], 'bool', GetConsoleMode),
  GetConsoleOutputCP: fn('stdcall', [], 'long', GetConsoleOutputCP),
  GetConsoleScreenBufferInfo: fn('stdcall', ['long', 'ptr'], 'bool', GetConsoleScreenBufferInfo),
  GetConsoleTitleA: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => GetConsoleTitle(p, b, n, false)),
  GetConsoleTitleW: fn('stdcall', ['ptr', 'long'], 'long', (p, b, n) => GetConsoleTitle(p, b, n, true)),
  GetConsoleWindow: fn('stdcall', [], 'long', (_p) => 0), // no window: the console is the host's output
  GetNumberOfConsoleInputEvents: fn('stdcall', ['long', 'ptr'], 'bool', GetNumberOfConsoleInputEvents),
  ReadConsoleA: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, r, _control) => ReadConsole(p, h, b, n, r, false)),
  ReadConsoleW: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, r, _control) => ReadConsole(p, h, b, n, r, true)),
  SetConsoleCP: fn('stdcall', ['long'], 'bool', (p, cp) => SetConsoleCP(p, cp, false)),
  SetConsoleCtrlHandler: fn('stdcall', ['ptr', 'long'], 'bool', SetConsoleCtrlHandler),
  SetConsoleMode: fn('stdcall', ['long', 'long'], 'bool', SetConsoleMode),
  SetConsoleOutputCP: fn('stdcall', ['long'], 'bool', (p, cp) => SetConsoleCP(p, cp, true)),
  SetConsoleTextAttribute: fn('stdcall', ['long', 'long'], 'bool', SetConsoleTextAttribute),
  SetConsoleTitleA: fn('stdcall', ['str'], 'bool', SetConsoleTitle),
  SetConsoleTitleW: fn('stdcall', ['wstr'], 'bool', SetConsoleTitle),
  SetStdHandle: fn('stdcall', ['long', 'long'], 'bool', SetStdHandle),
  CloseHandle: fn('stdcall', ['long'], 'bool', CloseHandle),
  GetStdHandle: fn('stdcall', ['long'], 'long', GetStdHandle),
  OutputDebugStringA: fn('stdcall', ['str'], 'void', (p, s) => OutputDebugString(p, s)),
  OutputDebugStringW: fn('stdcall', ['wstr'], 'void', (p, s) => OutputDebugString(p, s)),
  WriteConsoleA: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, w, _reserved) => WriteConsole(p, h, b, n, w, false)),
  WriteConsoleW: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr'], 'bool', (p, h, b, n, w, _reserved) => WriteConsole(p, h, b, n, w, true)),
};
