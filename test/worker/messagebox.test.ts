// onMessageBox through the public API: loadSync calls it in this thread; load() sends the question to
// this thread and the DLL waits for the answer (an async function may answer, and may call the library
// meanwhile). The strings fixture's ask(text) shows MessageBoxA(MB_YESNO | MB_DEFBUTTON2) with its
// string 2, "Strings fixture", as caption; IDYES = 6, IDNO = 7.
import { describe, expect, test } from 'vitest';
import { load, loadSync, WowasmError, type MessageBoxEvent } from '../../worker/index.js';

const MB_YESNO_DEFBUTTON2 = 0x104;
const IDYES = 6;
const IDNO = 7;

describe('loadSync', () => {
  test('the answer of onMessageBox is what MessageBox returns', () => {
    const seen: MessageBoxEvent[] = [];
    const lib = loadSync('fixtures/bin/strings-msvc.dll', { onMessageBox: (e) => (seen.push(e), IDYES) });
    try {
      expect(lib.func('int __stdcall ask(const char *q)')('Proceed?')).toBe(IDYES);
      expect(seen).toEqual([{ text: 'Proceed?', caption: 'Strings fixture', type: MB_YESNO_DEFBUTTON2 }]);
    } finally {
      lib.close();
    }
  });

  test('without onMessageBox: the default button, and one line on the DLL stderr', () => {
    const out: string[] = [];
    const lib = loadSync('fixtures/bin/strings-mingw.dll', { output: (s, b) => out.push(`${s}:${new TextDecoder().decode(b)}`) });
    try {
      expect(lib.func('int __stdcall ask(const char *q)')('Delete it all?')).toBe(IDNO);
      expect(out).toEqual(['stderr:[wowasm] MessageBox "Strings fixture": Delete it all? -> IDNO\n']);
    } finally {
      lib.close();
    }
  });

  test('an async function cannot answer in-thread', () => {
    const lib = loadSync('fixtures/bin/strings-msvc.dll', { onMessageBox: (async () => IDYES) as never });
    try {
      expect(() => lib.func('int __stdcall ask(const char *q)')('?')).toThrow(/onMessageBox returned a promise, but loadSync needs the answer at once/);
    } finally {
      lib.close();
    }
  });
});

describe('load()', () => {
  test('the question comes to this thread and the answer goes back', async () => {
    const seen: MessageBoxEvent[] = [];
    const lib = await load('fixtures/bin/strings-mingw.dll', { onMessageBox: (e) => (seen.push(e), IDYES) });
    try {
      const ask = lib.func('int __stdcall ask(const char *q)');
      expect(await ask('first?')).toBe(IDYES);
      expect(await ask('second?')).toBe(IDYES);
      expect(seen.map((e) => e.text)).toEqual(['first?', 'second?']);
      expect(seen[0]).toEqual({ text: 'first?', caption: 'Strings fixture', type: MB_YESNO_DEFBUTTON2 });
    } finally {
      await lib.close();
    }
  });

  test('an async answer, which calls the library while the box waits', async () => {
    let lib!: Awaited<ReturnType<typeof load>>;
    lib = await load('fixtures/bin/strings-msvc.dll', {
      onMessageBox: async (e) => {
        await new Promise((r) => setTimeout(r, 5));
        const buf = new Uint8Array(32);
        const n = (await lib.func('int __stdcall load_a(unsigned id, char *buf, int size)')(17, buf, 32)) as number;
        return new TextDecoder().decode(buf.subarray(0, n)) === 'block two' && e.text === 'ok?' ? IDYES : IDNO;
      },
    });
    try {
      expect(await lib.func('int __stdcall ask(const char *q)')('ok?')).toBe(IDYES);
    } finally {
      await lib.close();
    }
  });

  test('no answer is the default button; an error thrown by onMessageBox fails the call with it', async () => {
    let calls = 0;
    const lib = await load('fixtures/bin/strings-msvc.dll', {
      onMessageBox: () => {
        if (++calls === 2) throw new WowasmError('APP_REFUSED', 'no boxes today');
      },
    });
    try {
      const ask = lib.func('int __stdcall ask(const char *q)');
      expect(await ask('default?')).toBe(IDNO);
      await expect(ask('again?')).rejects.toMatchObject({ code: 'APP_REFUSED', message: 'no boxes today' });
      expect(await ask('still works?')).toBe(IDNO);
    } finally {
      await lib.close();
    }
  });
});
