// Message boxes: there is no screen, so MessageBox becomes an event of the host. The load option
// `onMessageBox` answers it with the button the "user" pressed; without one, the box is logged as one
// line on the guest's stderr ("[wowasm] MessageBox "caption": text -> IDOK") and answered with its
// default button, the one Enter would press: MB_DEFBUTTONn of the buttons the type shows, the first
// one unless the type picks another.

import { WowasmError } from '../../emulator/errors.js';
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { resourceString } from './resources.js';

export const ID = { OK: 1, CANCEL: 2, ABORT: 3, RETRY: 4, IGNORE: 5, YES: 6, NO: 7, TRYAGAIN: 10, CONTINUE: 11 } as const;

const ID_NAMES: Record<number, string> = Object.fromEntries(Object.entries(ID).map(([k, v]) => [v, `ID${k}`]));

/** The buttons of each MB_ type (low 4 bits), left to right (MB_HELP's Help button closes nothing). */
const BUTTONS: readonly (readonly number[])[] = [
  [ID.OK], // MB_OK
  [ID.OK, ID.CANCEL], // MB_OKCANCEL
  [ID.ABORT, ID.RETRY, ID.IGNORE], // MB_ABORTRETRYIGNORE
  [ID.YES, ID.NO, ID.CANCEL], // MB_YESNOCANCEL
  [ID.YES, ID.NO], // MB_YESNO
  [ID.RETRY, ID.CANCEL], // MB_RETRYCANCEL
  [ID.CANCEL, ID.TRYAGAIN, ID.CONTINUE], // MB_CANCELTRYCONTINUE
];

const ERROR_INVALID_MSGBOX_STYLE = 1438;

/** What a message box shows, as the host's onMessageBox receives it. */
export interface MessageBoxEvent {
  text: string;
  caption: string;
  /** The uType flags (MB_YESNO | MB_ICONWARNING | MB_DEFBUTTON2 ...). */
  type: number;
}

/** The buttons a box of this type shows, and the one that is pressed by default. */
export function messageBoxButtons(type: number): { buttons: readonly number[]; defaultButton: number } | undefined {
  const buttons = BUTTONS[type & 0xf];
  if (!buttons) return undefined;
  const def = (type >>> 8) & 0xf; // MB_DEFBUTTON1..4 = 0x000, 0x100, 0x200, 0x300
  return { buttons, defaultButton: buttons[def] ?? buttons[0]! };
}

/** Shows (reports) a box; returns the button id, or 0 with the last error for an invalid type. */
export function showMessageBox(p: Process, text: string | null, caption: string | null, type: number): number {
  const box = messageBoxButtons(type);
  if (!box) {
    p.setLastError(ERROR_INVALID_MSGBOX_STYLE);
    return 0;
  }
  const e: MessageBoxEvent = { text: text ?? '', caption: caption ?? 'Error', type: type >>> 0 };
  const handler = p.onMessageBox;
  if (!handler) {
    p.write('stderr', new TextEncoder().encode(`[wowasm] MessageBox ${JSON.stringify(e.caption)}: ${e.text} -> ${ID_NAMES[box.defaultButton]}\n`));
    return box.defaultButton;
  }
  const answer: unknown = handler(e);
  if (answer === undefined || answer === null) return box.defaultButton;
  if (typeof (answer as { then?: unknown }).then === 'function') {
    throw new WowasmError('WOWASM_BAD_MESSAGEBOX_ANSWER', 'onMessageBox returned a promise, but loadSync needs the answer at once (load() accepts async functions)', {});
  }
  if (typeof answer !== 'number' || !box.buttons.includes(answer)) {
    throw new WowasmError(
      'WOWASM_BAD_MESSAGEBOX_ANSWER',
      `onMessageBox answered ${String(answer)}, but the box ${JSON.stringify(e.caption)} only has ${box.buttons.map((b) => `${ID_NAMES[b]} (${b})`).join(', ')}`,
      { answer: typeof answer === 'number' ? answer : String(answer), buttons: [...box.buttons] },
    );
  }
  return answer;
}

/** MessageBoxIndirect: MSGBOXPARAMS, whose text and caption may be string resources of hInstance. */
function MessageBoxIndirect(p: Process, params: number, wide: boolean): number {
  const m = p.mem;
  const hInstance = m.u32(params + 8);
  const str = (addr: number): string | null => {
    if (addr === 0) return null;
    if (addr >>> 16 === 0) return resourceString(p, hInstance, addr)?.text ?? '';
    return wide ? p.readWStr(addr) : p.readStr(addr);
  };
  return showMessageBox(p, str(m.u32(params + 12)), str(m.u32(params + 16)), m.u32(params + 20));
}

// The host's answer may take calls into the library (load(): served while the box waits), so the
// handler may run guest code.
const REENTRANT = { reentrant: true };

/** user32 exports of this area (the DLL table is their union, see thunks/user32.ts). */
export const messageBoxApi = {
  MessageBoxA: fn('stdcall', ['long', 'str', 'str', 'long'], 'int', (p, _hWnd, text, caption, type) => showMessageBox(p, text, caption, type), REENTRANT),
  MessageBoxExA: fn('stdcall', ['long', 'str', 'str', 'long', 'long'], 'int', (p, _hWnd, text, caption, type, _lang) => showMessageBox(p, text, caption, type), REENTRANT),
  MessageBoxExW: fn('stdcall', ['long', 'wstr', 'wstr', 'long', 'long'], 'int', (p, _hWnd, text, caption, type, _lang) => showMessageBox(p, text, caption, type), REENTRANT),
  MessageBoxIndirectA: fn('stdcall', ['ptr'], 'int', (p, params) => MessageBoxIndirect(p, params, false), REENTRANT),
  MessageBoxIndirectW: fn('stdcall', ['ptr'], 'int', (p, params) => MessageBoxIndirect(p, params, true), REENTRANT),
  MessageBoxW: fn('stdcall', ['long', 'wstr', 'wstr', 'long'], 'int', (p, _hWnd, text, caption, type) => showMessageBox(p, text, caption, type), REENTRANT),
};
