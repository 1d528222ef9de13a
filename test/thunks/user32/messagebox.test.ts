// MessageBox as a host event: onMessageBox answers with a button, or the default button is taken and a
// line is logged on the guest's stderr. The buttons and IDs are those of Microsoft's MessageBox page.
import { describe, expect, test } from 'vitest';
import type { MessageBoxEvent } from '../../../thunks/user32/messagebox.js';
import { win32 } from '../../helpers/win32.js';

const MB_OK = 0x0;
const MB_OKCANCEL = 0x1;
const MB_ABORTRETRYIGNORE = 0x2;
const MB_YESNOCANCEL = 0x3;
const MB_YESNO = 0x4;
const MB_RETRYCANCEL = 0x5;
const MB_CANCELTRYCONTINUE = 0x6;
const MB_ICONWARNING = 0x30;
const MB_DEFBUTTON2 = 0x100;
const MB_DEFBUTTON3 = 0x200;
const MB_DEFBUTTON4 = 0x300;
const IDOK = 1;
const IDCANCEL = 2;
const IDABORT = 3;
const IDRETRY = 4;
const IDYES = 6;
const IDNO = 7;
const IDTRYAGAIN = 10;
const IDCONTINUE = 11;

function logged() {
  const lines: string[] = [];
  const w = win32({ output: (stream, bytes) => lines.push(`${stream}:${new TextDecoder().decode(bytes)}`) });
  return { w, lines };
}

describe('without onMessageBox: the default button, and a line on stderr', () => {
  test.each([
    [MB_OK, IDOK],
    [MB_OKCANCEL, IDOK],
    [MB_OKCANCEL | MB_DEFBUTTON2, IDCANCEL],
    [MB_ABORTRETRYIGNORE, IDABORT],
    [MB_YESNOCANCEL | MB_DEFBUTTON3, IDCANCEL],
    [MB_YESNO, IDYES],
    [MB_YESNO | MB_DEFBUTTON2, IDNO],
    [MB_YESNO | MB_DEFBUTTON3, IDYES], // no third button: the first one
    [MB_RETRYCANCEL | MB_ICONWARNING, IDRETRY],
    [MB_CANCELTRYCONTINUE | MB_DEFBUTTON2, IDTRYAGAIN],
    [MB_CANCELTRYCONTINUE | MB_DEFBUTTON3, IDCONTINUE],
    [MB_OK | MB_DEFBUTTON4, IDOK],
  ])('type 0x%s answers %i', (type, id) => {
    const { w } = logged();
    expect(w.call('user32.dll', 'MessageBoxA', [0, w.str('text'), w.str('caption'), type])).toBe(id);
  });

  test('the log line names caption, text and answer', () => {
    const { w, lines } = logged();
    w.call('user32.dll', 'MessageBoxW', [0, w.wstr('Disk full \u2013 retry?'), w.wstr('Backup'), MB_RETRYCANCEL]);
    w.call('user32.dll', 'MessageBoxA', [0, w.str('no caption'), 0, MB_OK]);
    expect(lines).toEqual(['stderr:[wowasm] MessageBox "Backup": Disk full \u2013 retry? -> IDRETRY\n', 'stderr:[wowasm] MessageBox "Error": no caption -> IDOK\n']);
  });

  test('an invalid type fails with ERROR_INVALID_MSGBOX_STYLE', () => {
    const { w, lines } = logged();
    expect(w.call('user32.dll', 'MessageBoxA', [0, w.str('x'), w.str('y'), 0x7])).toBe(0);
    expect(w.lastError()).toBe(1438);
    expect(lines).toEqual([]);
  });
});

describe('onMessageBox', () => {
  test('receives text, caption and type, and its answer is returned', () => {
    const seen: MessageBoxEvent[] = [];
    const w = win32({
      onMessageBox: (e) => {
        seen.push(e);
        return IDNO;
      },
      output: () => {
        throw new Error('nothing is logged when the host answers');
      },
    });
    expect(w.call('user32.dll', 'MessageBoxA', [0, w.str('Overwrite?'), w.str('Save'), MB_YESNO | MB_ICONWARNING])).toBe(IDNO);
    expect(w.call('user32.dll', 'MessageBoxExW', [0, w.wstr('\u4e2d'), w.wstr('W'), MB_YESNOCANCEL, 0x409])).toBe(IDNO);
    expect(w.call('user32.dll', 'MessageBoxExA', [0, 0, 0, MB_YESNO, 0])).toBe(IDNO);
    expect(seen).toEqual([
      { text: 'Overwrite?', caption: 'Save', type: MB_YESNO | MB_ICONWARNING },
      { text: '\u4e2d', caption: 'W', type: MB_YESNOCANCEL },
      { text: '', caption: 'Error', type: MB_YESNO },
    ]);
  });

  test('no answer means the default button; a button the box lacks is an error', () => {
    const w = win32({ onMessageBox: (e) => (e.text === 'bad' ? IDCANCEL : undefined) });
    expect(w.call('user32.dll', 'MessageBoxA', [0, w.str('ok'), 0, MB_YESNO | MB_DEFBUTTON2])).toBe(IDNO);
    expect(() => w.call('user32.dll', 'MessageBoxA', [0, w.str('bad'), w.str('Q'), MB_YESNO])).toThrow(/onMessageBox answered 2, but the box "Q" only has IDYES \(6\), IDNO \(7\)/);
  });

  test('MessageBoxIndirect: MSGBOXPARAMS, with strings given inline or as resource IDs', () => {
    const seen: MessageBoxEvent[] = [];
    const w = win32({ onMessageBox: (e) => void seen.push(e) });
    const params = (text: number, caption: number, style: number, hInstance = 0) => {
      const m = w.buf(40);
      [40, 0, hInstance, text, caption, style].forEach((v, i) => w.cpu.mem.setU32(m + 4 * i, v));
      return m;
    };
    expect(w.call('user32.dll', 'MessageBoxIndirectA', [params(w.str('inline'), w.str('cap'), MB_OKCANCEL)])).toBe(IDOK);
    expect(w.call('user32.dll', 'MessageBoxIndirectW', [params(w.wstr('wide'), 0, MB_ABORTRETRYIGNORE | MB_DEFBUTTON2)])).toBe(IDRETRY);
    const base = w.loader.loadFile(new URL('../../../fixtures/bin/strings-msvc.dll', import.meta.url).pathname).base;
    expect(w.call('user32.dll', 'MessageBoxIndirectW', [params(0, 2, MB_OK, base)])).toBe(IDOK); // a NULL text, a caption from the table
    expect(w.call('user32.dll', 'MessageBoxIndirectA', [params(17, 2, MB_OK, base)])).toBe(IDOK);
    expect(seen).toEqual([
      { text: 'inline', caption: 'cap', type: MB_OKCANCEL },
      { text: 'wide', caption: 'Error', type: MB_ABORTRETRYIGNORE | MB_DEFBUTTON2 },
      { text: '', caption: 'Strings fixture', type: MB_OK },
      { text: 'block two', caption: 'Strings fixture', type: MB_OK },
    ]);
  });
});
