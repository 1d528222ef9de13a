// C runtime start-up and shut-down around DllMain, in real DLLs: the crtstart fixture's mingw build runs
// mingw's own DllMainCRTStartup (constructors, an atexit list over msvcrt.dll); its MSVC-style build does
// what Visual C++'s DLL start-up does with ucrtbase.dll (_initterm_e over .CRT$XI, _initterm over .CRT$XC,
// an onexit table run after DllMain on detach).
import { describe, expect, test } from 'vitest';
import { load, loadSync } from '../../../worker/index.js';

describe.each(['mingw', 'msvc'])('crtstart-%s.dll', (flavour) => {
  test('initializers, then constructors, then DllMain; on unload DllMain, then the exit functions, last registered first', () => {
    const out: string[] = [];
    const lib = loadSync(`fixtures/bin/crtstart-${flavour}.dll`, { output: (_s, b) => out.push(Buffer.from(b).toString()) });
    expect(lib.func('const char *startup_log(void)')()).toBe('c-init ctor1 ctor2 dllmain');
    expect(out).toEqual([]);
    lib.close();
    expect(out.join('')).toBe('dllmain: detach\nexit: registered second\nexit: registered first\n');
  });
});

test('the same through load(), whose close() waits for the exit functions', async () => {
  const chunks: string[] = [];
  const lib = await load('fixtures/bin/crtstart-msvc.dll', { output: (_s, b) => chunks.push(Buffer.from(b).toString()) });
  expect(await lib.func('const char *startup_log(void)')()).toBe('c-init ctor1 ctor2 dllmain');
  await lib.close();
  expect(chunks.join('')).toBe('dllmain: detach\nexit: registered second\nexit: registered first\n');
});
