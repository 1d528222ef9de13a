// The DLL's console output on the library object: stdio 'pipe' gives readable streams lib.stdout and
// lib.stderr (for loadSync and load() alike), 'inherit' (the default) writes to this process's
// stdout/stderr, 'ignore' drops it, and an `output` function sees every chunk. Through load(), the
// output of a call is in the stream before the call's promise settles.
import type { Readable } from 'node:stream';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { load, loadSync } from '../../worker/index.js';

/** Everything a stream holds now (it is not ended yet). */
function drain(s: Readable | null): string {
  if (!s) throw new Error('no stream');
  const parts: Buffer[] = [];
  for (let chunk = s.read(); chunk !== null; chunk = s.read()) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('latin1');
}

/** Everything a stream gives until it ends. */
async function readAll(s: Readable | null): Promise<string> {
  if (!s) throw new Error('no stream');
  const parts: Buffer[] = [];
  for await (const chunk of s) parts.push(chunk as Buffer);
  return Buffer.concat(parts).toString('latin1');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each(['mingw', 'msvc'])('console-%s.dll with loadSync', (flavour) => {
  test("stdio 'pipe': DllMain's line, WriteFile and WriteConsoleA on stdout, stderr apart; the streams end after unloading", async () => {
    const lib = loadSync(`fixtures/bin/console-${flavour}.dll`, { stdio: 'pipe' });
    expect(drain(lib.stdout)).toBe('console: loaded\n');
    expect(lib.func('int say(const char *s)')('hello\n')).toBe(6);
    expect(lib.func('int complain(const char *s)')('oops\n')).toBe(5);
    expect(lib.func('int say_console(const char *s)')('to the console\n')).toBe(15);
    const out = readAll(lib.stdout);
    const err = readAll(lib.stderr);
    lib.close();
    expect(await out).toBe('hello\nto the console\n');
    expect(await err).toBe('oops\nconsole: unloading\n');
  });

  test('100 KB from one call arrive whole and in order', () => {
    const lib = loadSync(`fixtures/bin/console-${flavour}.dll`, { stdio: 'pipe' });
    drain(lib.stdout);
    expect(lib.func('int chatter(int lines)')(1000)).toBe(1000);
    const lines = drain(lib.stdout).split('\n');
    expect(lines.length).toBe(1001);
    expect(lines[0]).toBe('00000000' + '.'.repeat(91));
    expect(lines[999]).toBe('00000999' + '.'.repeat(91));
    lib.close();
  });

  test("stdio 'inherit' (the default) writes to this process's stdout/stderr; there are no streams", () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((b: string | Uint8Array) => (written.push(`out:${Buffer.from(b).toString()}`), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((b: string | Uint8Array) => (written.push(`err:${Buffer.from(b).toString()}`), true));
    const lib = loadSync(`fixtures/bin/console-${flavour}.dll`);
    expect(lib.stdout).toBeNull();
    expect(lib.stderr).toBeNull();
    lib.func('int complain(const char *s)')('x\n');
    lib.close();
    vi.restoreAllMocks();
    expect(written).toEqual(['out:console: loaded\n', 'err:x\n', 'err:console: unloading\n']);
  });

  test("an output function sees every chunk; alone it replaces 'inherit', with 'pipe' the streams get the bytes too", () => {
    const seen: string[] = [];
    const output = (s: 'stdout' | 'stderr', b: Uint8Array) => seen.push(`${s}:${Buffer.from(b).toString()}`);
    const spy = vi.spyOn(process.stdout, 'write');
    const lib = loadSync(`fixtures/bin/console-${flavour}.dll`, { output });
    lib.func('int say(const char *s)')('a\n');
    lib.close();
    expect(spy).not.toHaveBeenCalled();
    expect(seen).toEqual(['stdout:console: loaded\n', 'stdout:a\n', 'stderr:console: unloading\n']);
    seen.length = 0;
    const both = loadSync(`fixtures/bin/console-${flavour}.dll`, { output, stdio: 'pipe' });
    both.func('int say(const char *s)')('b\n');
    expect(drain(both.stdout)).toBe('console: loaded\nb\n');
    expect(seen).toEqual(['stdout:console: loaded\n', 'stdout:b\n']);
    both.close();
  });

  test("stdio 'ignore' drops it", () => {
    const spy = vi.spyOn(process.stdout, 'write');
    const lib = loadSync(`fixtures/bin/console-${flavour}.dll`, { stdio: 'ignore' });
    lib.func('int say(const char *s)')('nowhere\n');
    lib.close();
    expect(spy).not.toHaveBeenCalled();
    expect(lib.stdout).toBeNull();
  });
});

test('mingw: printf and fputs(stderr) of msvcrt.dll reach the streams', () => {
  const lib = loadSync('fixtures/bin/console-mingw.dll', { stdio: 'pipe' });
  drain(lib.stdout);
  expect(lib.func('int crt_print(int v, const char *s)')(42, 'hi')).toBe('value=42 text=hi\n'.length);
  expect(drain(lib.stdout)).toBe('value=42 text=hi\n');
  expect(drain(lib.stderr)).toBe('crt: to stderr\n');
  lib.close();
});

test('a bad stdio value is a TypeError', () => {
  expect(() => loadSync('fixtures/bin/console-mingw.dll', { stdio: 'tty' as never })).toThrow(TypeError);
});

describe('console-msvc.dll through load()', () => {
  test("stdio 'pipe': DllMain's output is there when load() resolves, a call's output before its promise settles", async () => {
    const lib = await load('fixtures/bin/console-msvc.dll', { stdio: 'pipe' });
    expect(drain(lib.stdout)).toBe('console: loaded\n');
    expect(await lib.func('int say(const char *s)')('one\n')).toBe(4);
    expect(drain(lib.stdout)).toBe('one\n');
    expect(await lib.func('int complain(const char *s)')('two\n')).toBe(4);
    expect(drain(lib.stderr)).toBe('two\n');
    // 1 MB from one call: sent ahead in pieces while the call runs, all of it there when it returns.
    expect(await lib.func('int chatter(int lines)')(10_000)).toBe(10_000);
    const text = drain(lib.stdout);
    expect(text.length).toBe(1_000_000);
    expect(text.slice(-100)).toBe('00009999' + '.'.repeat(91) + '\n');
    const err = readAll(lib.stderr);
    await lib.close();
    expect(await err).toBe('console: unloading\n');
  });

  test('an output function runs in this thread, in order', async () => {
    const seen: string[] = [];
    const lib = await load('fixtures/bin/console-msvc.dll', { output: (s, b) => seen.push(`${s}:${Buffer.from(b).toString()}`) });
    await lib.func('int say(const char *s)')('x\n');
    expect(seen).toEqual(['stdout:console: loaded\n', 'stdout:x\n']);
    await lib.close();
    expect(seen.at(-1)).toBe('stderr:console: unloading\n');
  });
});
