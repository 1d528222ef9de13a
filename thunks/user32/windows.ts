// The window system, as a process that has no windows of its own sees it on a 1024x768 desktop at
// 96 DPI: no active, focus, capture or clipboard windows, no input waiting, no messages retrieved yet,
// keys up, the cursor in the middle of the screen. DLLs call these for entropy (libgcrypt's random
// gatherer) or to check whether they run interactively.

import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { ERROR } from '../win32.js';

export const SCREEN = { width: 1024, height: 768 } as const;
/** The desktop window's handle (the value Windows gives it in most sessions). */
export const DESKTOP_WINDOW = 0x0001_0010;
const TASKBAR_HEIGHT = 40;

/** GetSystemMetrics values of Windows 10 at 96 DPI on a single 1024x768 monitor. */
export const SYSTEM_METRICS: Readonly<Record<number, number>> = {
  0: SCREEN.width, // SM_CXSCREEN
  1: SCREEN.height, // SM_CYSCREEN
  2: 17, // SM_CXVSCROLL
  3: 17, // SM_CYHSCROLL
  4: 23, // SM_CYCAPTION
  5: 1, // SM_CXBORDER
  6: 1, // SM_CYBORDER
  7: 3, // SM_CXDLGFRAME
  8: 3, // SM_CYDLGFRAME
  9: 17, // SM_CYVTHUMB
  10: 17, // SM_CXHTHUMB
  11: 32, // SM_CXICON
  12: 32, // SM_CYICON
  13: 32, // SM_CXCURSOR
  14: 32, // SM_CYCURSOR
  15: 20, // SM_CYMENU
  16: SCREEN.width, // SM_CXFULLSCREEN
  17: SCREEN.height - TASKBAR_HEIGHT - 23, // SM_CYFULLSCREEN: work area minus a caption
  18: 0, // SM_CYKANJIWINDOW
  19: 1, // SM_MOUSEPRESENT
  20: 17, // SM_CYVSCROLL
  21: 17, // SM_CXHSCROLL
  22: 0, // SM_DEBUG
  23: 0, // SM_SWAPBUTTON
  28: 136, // SM_CXMIN
  29: 39, // SM_CYMIN
  30: 36, // SM_CXSIZE
  31: 22, // SM_CYSIZE
  32: 4, // SM_CXFRAME
  33: 4, // SM_CYFRAME
  34: 136, // SM_CXMINTRACK
  35: 39, // SM_CYMINTRACK
  36: 4, // SM_CXDOUBLECLK
  37: 4, // SM_CYDOUBLECLK
  38: 75, // SM_CXICONSPACING
  39: 75, // SM_CYICONSPACING
  40: 0, // SM_MENUDROPALIGNMENT
  41: 0, // SM_PENWINDOWS
  42: 0, // SM_DBCSENABLED
  43: 3, // SM_CMOUSEBUTTONS
  44: 0, // SM_SECURE
  45: 2, // SM_CXEDGE
  46: 2, // SM_CYEDGE
  47: 160, // SM_CXMINSPACING
  48: 28, // SM_CYMINSPACING
  49: 16, // SM_CXSMICON
  50: 16, // SM_CYSMICON
  51: 22, // SM_CYSMCAPTION
  52: 22, // SM_CXSMSIZE
  53: 21, // SM_CYSMSIZE
  54: 19, // SM_CXMENUSIZE
  55: 19, // SM_CYMENUSIZE
  56: 8, // SM_ARRANGE
  57: 160, // SM_CXMINIMIZED
  58: 28, // SM_CYMINIMIZED
  59: SCREEN.width + 12, // SM_CXMAXTRACK
  60: SCREEN.height + 12, // SM_CYMAXTRACK
  61: SCREEN.width + 16, // SM_CXMAXIMIZED
  62: SCREEN.height - TASKBAR_HEIGHT + 16, // SM_CYMAXIMIZED
  63: 3, // SM_NETWORK: present
  67: 0, // SM_CLEANBOOT: normal boot
  68: 4, // SM_CXDRAG
  69: 4, // SM_CYDRAG
  70: 0, // SM_SHOWSOUNDS
  71: 15, // SM_CXMENUCHECK
  72: 15, // SM_CYMENUCHECK
  73: 0, // SM_SLOWMACHINE
  74: 0, // SM_MIDEASTENABLED
  75: 1, // SM_MOUSEWHEELPRESENT
  76: 0, // SM_XVIRTUALSCREEN
  77: 0, // SM_YVIRTUALSCREEN
  78: SCREEN.width, // SM_CXVIRTUALSCREEN
  79: SCREEN.height, // SM_CYVIRTUALSCREEN
  80: 1, // SM_CMONITORS
  81: 1, // SM_SAMEDISPLAYFORMAT
  82: 1, // SM_IMMENABLED
  83: 1, // SM_CXFOCUSBORDER
  84: 1, // SM_CYFOCUSBORDER
  86: 0, // SM_TABLETPC
  87: 0, // SM_MEDIACENTER
  88: 0, // SM_STARTER
  89: 0, // SM_SERVERR2
  91: 0, // SM_MOUSEHORIZONTALWHEELPRESENT
  92: 4, // SM_CXPADDEDBORDER
  94: 0, // SM_DIGITIZER
  95: 0, // SM_MAXIMUMTOUCHES
  0x1000: 0, // SM_REMOTESESSION
  0x2000: 0, // SM_SHUTTINGDOWN
  0x2001: 0, // SM_REMOTECONTROL
  0x2003: 1, // SM_CONVERTIBLESLATEMODE: not in slate mode
  0x2004: 0, // SM_SYSTEMDOCKED
};

/** GetSystemMetrics: an unknown index gives 0 (and sets no error), as on Windows. */
export function GetSystemMetrics(_p: Process, nIndex: number): number {
  return SYSTEM_METRICS[nIndex] ?? 0;
}

/** Writes a POINT; a NULL one fails the way a bad pointer handed to win32k does. */
function writePoint(p: Process, lpPoint: number, x: number, y: number): boolean {
  if (lpPoint === 0) {
    p.setLastError(ERROR.NOACCESS);
    return false;
  }
  p.mem.setU32(lpPoint, x);
  p.mem.setU32(lpPoint + 4, y);
  return true;
}

const windowStation = stateKey('user32.windowStation', (p: Process) => ({ handle: p.handles.add({ type: 'windowstation' }) }));

/** user32 exports of this area (the DLL table is their union, see thunks/user32.ts). */
export const windowsApi = {
  // The caller cannot set the foreground window (it has none), so it cannot pass the right on.
  AllowSetForegroundWindow: fn('stdcall', ['long'], 'bool', (p, _dwProcessId) => {
    p.setLastError(ERROR.ACCESS_DENIED);
    return false;
  }),
  GetActiveWindow: fn('stdcall', [], 'long', (_p) => 0),
  GetAsyncKeyState: fn('stdcall', ['int'], 'int', (_p, _vKey) => 0),
  GetCapture: fn('stdcall', [], 'long', (_p) => 0),
  GetCaretPos: fn('stdcall', ['ptr'], 'bool', (p, pt) => writePoint(p, pt, 0, 0)),
  GetClipboardOwner: fn('stdcall', [], 'long', (_p) => 0),
  GetClipboardViewer: fn('stdcall', [], 'long', (_p) => 0),
  GetCursorPos: fn('stdcall', ['ptr'], 'bool', (p, pt) => writePoint(p, pt, SCREEN.width / 2, SCREEN.height / 2)),
  GetDesktopWindow: fn('stdcall', [], 'long', (_p) => DESKTOP_WINDOW),
  GetFocus: fn('stdcall', [], 'long', (_p) => 0),
  GetForegroundWindow: fn('stdcall', [], 'long', (_p) => 0),
  GetInputState: fn('stdcall', [], 'bool', (_p) => false),
  GetKeyState: fn('stdcall', ['int'], 'int', (_p, _nVirtKey) => 0),
  GetMessagePos: fn('stdcall', [], 'long', (_p) => 0),
  GetMessageTime: fn('stdcall', [], 'long', (_p) => 0),
  GetOpenClipboardWindow: fn('stdcall', [], 'long', (_p) => 0),
  GetProcessWindowStation: fn('stdcall', [], 'long', (p) => p.state(windowStation).handle),
  GetSystemMetrics: fn('stdcall', ['int'], 'int', GetSystemMetrics),
  IsWindow: fn('stdcall', ['long'], 'bool', (_p, hWnd) => hWnd === DESKTOP_WINDOW),
  MessageBeep: fn('stdcall', ['long'], 'bool', (_p, _uType) => true),
};
