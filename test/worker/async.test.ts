// load(): the same library API, asynchronous, with the DLL in its own worker thread.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  BudgetExceededError,
  ExportNotFoundError,
  GuestFaultError,
  load,
  MissingDependencyError,
  NotPeError,
  struct,
  WowasmError,
  type AsyncLibrary,
} from '../../worker/index.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const Point = struct('Point', { x: 'double', y: 'double' });
void Point;

describe.each(['mingw', 'msvc'])('demo-%s.dll through load()', (flavour) => {
  let lib: AsyncLibrary;
  beforeAll(async () => {
    lib = await load(`fixtures/bin/demo-${flavour}.dll`);
  });
  afterAll(async () => {
    await lib.close();
  });

  test('calls resolve with the same values as in-thread calls', async () => {
    expect(await lib.func('int __stdcall add(int a, int b)')(2, 3)).toBe(5);
    expect(await lib.func('int __cdecl sub(int a, int b)')(2, 3)).toBe(-1);
    expect(await lib.func('int __fastcall fast_add3(int a, int b, int c)')(1, 2, 3)).toBe(6);
    expect(await lib.func('long long __cdecl mul_i64(long long a, long long b)')(0x1_0000_0001n, 3n)).toBe(0x3_0000_0003n);
    expect(await lib.func('double __stdcall distance(Point a, Point b)')({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
    expect(await lib.func('const char *greet(void)')()).toBe('hello from demo');
    expect(await lib.func('const char *null_string(void)')()).toBe(null);
  });

  test('out-parameters are copied back into the caller\'s buffers, arrays and objects', async () => {
    const buf = Buffer.from('abcdef');
    await lib.func('void reverse_bytes(unsigned char *buf, unsigned int len)')(buf, buf.length);
    expect(buf.toString()).toBe('fedcba');
    const ints = new Int32Array(4);
    await lib.func('void fill_ints(int *out, int n, int start)')(ints, 4, 10);
    expect([...ints]).toEqual([10, 11, 12, 13]);
    const arr = [0, 0, 0];
    await lib.func('void fill_ints(int *out, int n, int start)')(arr, 3, 7);
    expect(arr).toEqual([7, 8, 9]);
    const p = { x: 1.5, y: -2 };
    await lib.func('void point_scale(Point *p, double k)')(p, 2);
    expect(p).toEqual({ x: 3, y: -4 });
  });

  test('calls issued together run in order, batched', async () => {
    const next = lib.func('int counter_next(void)');
    const first = (await next()) as number;
    const results = await Promise.all(Array.from({ length: 500 }, () => next()));
    expect(results).toEqual(Array.from({ length: 500 }, (_, i) => first + 1 + i));
  });

  test('JS callbacks run in this thread, sync or async, and may call the library again', async () => {
    const arr = [5, 3, 9, 1, 7];
    const readInt = async (a: number) => new DataView((await lib.memory.read(a, 4)).buffer).getInt32(0, true);
    await lib.func('void sort_ints(int *arr, int n, int (__cdecl *cmp)(const void *, const void *))')(arr, 5, async (a: number, b: number) => (await readInt(a)) - (await readInt(b)));
    expect(arr).toEqual([1, 3, 5, 7, 9]);
    const seen: number[] = [];
    const visits = await lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)')(
      [4, 5, 6, 7],
      4,
      (v: number) => {
        seen.push(v);
        return v < 6 ? 1 : 0;
      },
      null,
    );
    expect(seen).toEqual([4, 5, 6]);
    expect(visits).toBe(3);
    const strings: [string, number][] = [];
    await lib.func('void emit_strings(void (*f)(const char *s, int n))')((s: string, n: number) => void strings.push([s, n]));
    expect(strings).toEqual([
      ['one', 1],
      ['two', 2],
      ['three', 3],
    ]);
  });

  test('a callback that throws fails the call with that error; the library keeps working', async () => {
    const err = new RangeError('comparator refused');
    await expect(
      lib.func('void sort_ints(int *arr, int n, int (__cdecl *cmp)(const void *, const void *))')([2, 1], 2, () => {
        throw err;
      }),
    ).rejects.toThrow(RangeError);
    expect(await lib.func('int __stdcall add(int a, int b)')(1, 1)).toBe(2);
  });

  test('persistent callbacks and function pointers', async () => {
    const addr = await lib.callback('double __cdecl square(double x)', (x: number) => x * x);
    const integrate = lib.func('double integrate(double (*f)(double), double a, double b, int n)');
    const n = 10;
    let expected = 0;
    for (let i = 0; i < n; i++) {
      const x = (i + 0.5) / n;
      expected += x * x;
    }
    expect(await integrate(addr, 0, 1, n)).toBeCloseTo(expected / n, 12);
    await lib.releaseCallback(addr);
    const op = (await lib.func('void *get_op(char op)')('*')) as number;
    expect(await lib.func(op, 'int __cdecl op(int a, int b)')(6, 7)).toBe(42);
  });

  test('guest memory: alloc, write, read, strings, free', async () => {
    const a = await lib.memory.alloc(16);
    await lib.memory.write(a, Buffer.from('wowasm\0'));
    expect(await lib.memory.readCString(a)).toBe('wowasm');
    expect(Buffer.from(await lib.memory.read(a, 3)).toString()).toBe('wow');
    expect(await lib.func('int str_len(const char *s)')(a)).toBe(6);
    await lib.memory.free(a);
    await expect(lib.memory.free(a)).rejects.toThrow(WowasmError);
  });

  test('errors arrive as the same classes; later calls work', async () => {
    const e = await lib.func('int read_null(void)')().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(GuestFaultError);
    expect((e as GuestFaultError).code).toBe('WOWASM_GUEST_FAULT');
    expect((e as GuestFaultError).address).toBe(0);
    expect((e as Error).message).toMatch(new RegExp(`access violation reading 0x00000000 at demo-${flavour}\\.dll\\+0x`));
    expect(() => lib.func('int nonexistent_function(void)')).toThrow(ExportNotFoundError);
    expect(await lib.func('int __stdcall add(int a, int b)')(40, 2)).toBe(42);
  });
});

describe('load() lifecycle', () => {
  test('two loads of one DLL are independent processes', async () => {
    const a = await load('fixtures/bin/demo-mingw.dll');
    const b = await load('fixtures/bin/demo-mingw.dll');
    const na = a.func('int counter_next(void)');
    const nb = b.func('int counter_next(void)');
    expect([await na(), await na(), await nb()]).toEqual([1, 2, 1]);
    await Promise.all([a.close(), b.close()]);
  });

  test('the time budget stops a runaway call and the library still answers', async () => {
    const lib = await load('fixtures/bin/demo-mingw.dll', { timeoutMs: 300 });
    await expect(lib.func('void spin_forever(void)')()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(await lib.func('int __stdcall add(int a, int b)')(1, 2)).toBe(3);
    await lib.close();
  });

  test('load errors are typed: not a PE, missing dependency', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-'));
    const fake = path.join(dir, 'fake.dll');
    fs.writeFileSync(fake, 'not a dll at all');
    await expect(load(fake)).rejects.toBeInstanceOf(NotPeError);
    await expect(load('fixtures/bin/needs-missing-mingw.dll')).rejects.toBeInstanceOf(MissingDependencyError);
  });

  test('after close, calls reject and close is idempotent', async () => {
    const lib = await load('fixtures/bin/demo-msvc.dll');
    const add = lib.func('int __stdcall add(int a, int b)');
    await lib.close();
    await expect(add(1, 2)).rejects.toMatchObject({ code: 'WOWASM_CLOSED' });
    await lib.close();
  });

  test('the API trace of the library thread reaches the trace option', async () => {
    const lines: string[] = [];
    const lib = await load('fixtures/bin/demo-mingw.dll', { trace: (l) => void lines.push(l) });
    await lib.func('unsigned int tick_delta(void)')();
    await lib.close();
    // DllMain's C runtime start-up, then the call's Sleep(20).
    expect(lines.some((l) => l.startsWith('msvcrt.dll!_initterm('))).toBe(true);
    expect(lines.some((l) => l.startsWith('kernel32.dll!Sleep(0x14)'))).toBe(true);
  });
});
