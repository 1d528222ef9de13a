// The `wowasm` command line, run in-process through main() with captured output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { main, parseArg } from '../../worker/commands.js';
import { parseType } from '../../worker/prototype.js';

const bin = (f: string) => fileURLToPath(new URL(`../../fixtures/bin/${f}`, import.meta.url));
const DEMO = bin('demo-mingw.dll');

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('wowasm call', () => {
  test('add 2 3 prints 5', async () => {
    expect(await cli('call', DEMO, 'int __stdcall add(int a, int b)', '2', '3')).toEqual({ code: 0, out: '5\n', err: '' });
  });

  test('negative and hex integers, 64-bit, floats', async () => {
    expect((await cli('call', DEMO, 'int __stdcall add(int a, int b)', '-2', '0x10')).out).toBe('14\n');
    expect((await cli('call', DEMO, 'int __stdcall add(int a, int b)', '--', '-0x10', '-1')).out).toBe('-17\n');
    expect((await cli('call', DEMO, 'long long mul_i64(long long, long long)', '3', '-40000000000')).out).toBe('-120000000000\n');
    expect((await cli('call', DEMO, 'unsigned long long __stdcall add_u64(unsigned long long, unsigned long long)', '0xffffffffffffffff', '2')).out).toBe('1\n');
    expect((await cli('call', DEMO, 'double hypot_d(double x, double y)', '3', '4')).out).toBe('5\n');
    expect((await cli('call', DEMO, 'unsigned int inc_u32(unsigned int)', '0xffffffff')).out).toBe('0\n');
    expect((await cli('call', DEMO, '_Bool is_even(int x)', '4')).out).toBe('true\n');
  });

  test('strings in and out, charset', async () => {
    expect((await cli('call', DEMO, 'const char *greet(void)')).out).toBe('hello from demo\n');
    expect((await cli('call', DEMO, 'const wchar_t *wgreet(void)')).out).toBe('h\u00e9llo \u20ac\n');
    expect((await cli('call', DEMO, 'const char *null_string(void)')).out).toBe('null\n');
    expect((await cli('call', DEMO, 'int str_len(const char *s)', 'h\u00e9llo')).out).toBe('5\n');
    expect((await cli('call', '--charset', 'utf-8', DEMO, 'int str_len(const char *s)', 'h\u00e9llo')).out).toBe('6\n');
    expect((await cli('call', DEMO, 'int wstr_len(const wchar_t *s)', 'h\u00e9llo')).out).toBe('5\n');
    expect((await cli('call', DEMO, 'int count_char(const char *s, char c)', 'banana', 'a')).out).toBe('3\n');
    // bytes of the text for an unsigned char * parameter
    expect((await cli('call', DEMO, 'unsigned int sum_bytes(const unsigned char *buf, unsigned int len)', 'AB', '2')).out).toBe('131\n');
  });

  test('JSON arrays in; out-parameters printed after the result', async () => {
    expect((await cli('call', DEMO, 'int sum_ints(const int *p, int n)', '[1,2,3]', '3')).out).toBe('6\n');
    expect((await cli('call', DEMO, 'void fill_ints(int *out, int n, int start)', '[0,0,0]', '3', '10')).out).toBe('out = [10,11,12]\n');
  });

  test('structs are printed as JSON', async () => {
    const r = await cli('call', DEMO, 'ShortPair make_short_pair(short a, short b)', '1', '2');
    // ShortPair is not a type the CLI knows: a clear error
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ShortPair/);
  });

  test('--trace logs Win32 calls to stderr', async () => {
    const r = await cli('call', '--trace', DEMO, 'unsigned int tick_delta(void)');
    expect(Number(r.out)).toBeGreaterThanOrEqual(0);
    expect(r.err).toMatch(/kernel32\.dll!Sleep\(0x14\)/);
  });

  test('--timeout stops an endless loop', async () => {
    const r = await cli('call', '--timeout', '100', DEMO, 'void spin_forever(void)');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^wowasm: .*100 ms/);
  });

  test('errors: message to stderr, exit code 1', async () => {
    for (const argv of [
      ['call', DEMO, 'int __stdcall add(int a, int b)', '2'],
      ['call', DEMO, 'int __stdcall add(int a, int b)', '2', 'x'],
      ['call', DEMO, 'int __stdcall add(int a, int b)', '2', '0x1ffffffff'],
      ['call', DEMO, 'int nope(void)'],
      ['call', DEMO, 'int add(int a, int b'],
      ['call', bin('no-such.dll'), 'int f(void)'],
      ['call', DEMO, 'int read_null(void)'],
      ['call', '--charset', 'koi8-r', DEMO, 'int f(void)'],
      ['frobnicate'],
      ['info', '--bogus', DEMO],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toMatch(/^wowasm: \S/);
    }
  });
});

describe('wowasm info', () => {
  test('headers, exports, imports with their status', async () => {
    const r = await cli('info', bin('demo-msvc.dll'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/machine\s+i386/);
    expect(r.out).toMatch(/image base\s+0x10000000/);
    expect(r.out).toMatch(/_add@8\s+0x[0-9a-f]{8}/);
    expect(r.out).toMatch(/kernel32\.dll: wowasm's built-in DLL/);
    expect(r.out).toMatch(/GetSystemPowerStatus\s+stub \(not implemented\)/);
    expect(r.out).toMatch(/HeapAlloc\s+implemented/);
    expect(r.out).toMatch(/_alldiv\s+implemented/);
  });

  test('a real dependency found next to the DLL; forwarders and ordinals', async () => {
    const r = await cli('info', bin('depuser-mingw.dll'));
    expect(r.out).toMatch(/deplib-mingw\.dll: real DLL, found at .*deplib-mingw\.dll/);
    expect(r.out).toMatch(/#7\s+real DLL/);
    const d = await cli('info', bin('deplib-mingw.dll'));
    expect(d.out).toMatch(/dep_tick\s+-> KERNEL32\.GetTickCount/);
    expect(d.out).toMatch(/\n\s+7\s+\(no name\)/);
  });

  test('a dependency that is not found', async () => {
    const r = await cli('info', bin('needs-missing-msvc.dll'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/wowasm_no_such_dep\.dll: real DLL, NOT found/);
    expect(r.out).toMatch(/wowasm_missing_function\s+missing/);
    expect(r.out).toMatch(/Loading fails/);
  });

  test('--json', async () => {
    const r = await cli('info', '--json', bin('demo-msvc.dll'));
    const j = JSON.parse(r.out);
    expect(j.machine).toBe('i386');
    expect(j.imageBase).toBe(0x10000000);
    expect(j.exports.find((e: { name: string }) => e.name === '_add@8').rva).toBeGreaterThan(0);
    const k32 = j.imports.find((d: { dll: string }) => d.dll.toLowerCase() === 'kernel32.dll');
    expect(k32.source).toBe('builtin');
    expect(k32.imports.find((i: { name: string }) => i.name === 'GetSystemPowerStatus').status).toBe('stub');
    expect(j.summary.stub).toBe(1);
  });

  test('an x64 image: typed error, exit 1', async () => {
    const bytes = fs.readFileSync(bin('demo-msvc.dll'));
    bytes.writeUInt16LE(0x8664, bytes.readUInt32LE(0x3c) + 4); // COFF Machine
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-cli-')), 'x64.dll');
    fs.writeFileSync(file, bytes);
    for (const argv of [['info', file], ['call', file, 'int f(void)']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/^wowasm: wowasm runs 32-bit i386 DLLs; x64\.dll is .*x64 \(AMD64\)\n$/);
    }
    fs.rmSync(path.dirname(file), { recursive: true });
  });

  test('not a DLL: typed error, exit 1', async () => {
    const r = await cli('info', fileURLToPath(new URL('../../package.json', import.meta.url)));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/is not a Windows DLL/);
  });
});

test('--help and --version', async () => {
  const h = await cli('--help');
  expect(h.code).toBe(0);
  expect(h.out).toMatch(/wowasm call/);
  const v = await cli('--version');
  expect(v.out).toMatch(/^\d+\.\d+\.\d+\n$/);
});

test('parseArg by parameter type', () => {
  expect(parseArg('-0x10', parseType('int'), 'x')).toBe(-16);
  expect(parseArg('0xffffffff', parseType('int'), 'x')).toBe(0xffffffff);
  expect(parseArg('-1', parseType('long long'), 'x')).toBe(-1n);
  expect(parseArg('1e3', parseType('double'), 'x')).toBe(1000);
  expect(parseArg('-inf', parseType('float'), 'x')).toBe(-Infinity);
  expect(parseArg('null', parseType('int *'), 'x')).toBe(null);
  expect(parseArg('0x1000', parseType('int *'), 'x')).toBe(0x1000);
  expect(parseArg('@0x1000', parseType('void *'), 'x')).toBe(0x1000);
  expect(parseArg('123', parseType('const unsigned char *'), 'x')).toEqual(Buffer.from('123'));
  expect(parseArg('{"a":1}', parseType('void *'), 'x')).toEqual({ a: 1 });
  expect(() => parseArg('300', parseType('unsigned char'), 'x')).toThrow(/does not fit/);
  expect(() => parseArg('1.5', parseType('int'), 'x')).toThrow(/not an integer/);
});
