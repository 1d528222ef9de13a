// The runtimes' start-up and shut-down entry points as each flavour's start-up code calls them: argv from the
// command line (the rules and examples of Microsoft's "Parsing C command-line arguments"), the environment
// and the data exports, ucrt's onexit tables, exit handlers; and which names each flavour exports.
import { describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { ProcessExitError } from '../../../thunks/errors.js';
import { parseCommandLine } from '../../../thunks/crt/startup.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const argvOf = (w: Win32, argv: number, argc: number, wide = false) =>
  Array.from({ length: argc }, (_, i) => (wide ? w.readWStr(w.u32(argv + 4 * i)) : w.readStr(w.u32(argv + 4 * i))));

/** Guest functions that append `value` to a log (cdecl, no arguments). */
function logger(w: Win32) {
  const page = w.cpu.mem.map(0x1000, PROT.rwx);
  const log = page + 0x800;
  const count = page + 0x7fc;
  let next = page;
  const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  return {
    fn(value: number): number {
      const at = next;
      // mov eax, [count]; mov dword [log + eax*4], value; inc dword [count]; xor eax, eax; ret
      const bytes = [0xa1, ...le(count), 0xc7, 0x04, 0x85, ...le(log), ...le(value), 0xff, 0x05, ...le(count), 0x31, 0xc0, 0xc3];
      w.cpu.mem.write(at, Uint8Array.from(bytes));
      next += 32;
      return at;
    },
    read: () => Array.from({ length: w.u32(count) }, (_, i) => w.u32(log + 4 * i)),
  };
}

describe('argv from the command line', () => {
  test.each([
    ['"a b c" d e', ['a b c', 'd', 'e']],
    ['"ab\\"c" "\\\\" d', ['ab"c', '\\', 'd']],
    ['a\\\\\\b d"e f"g h', ['a\\\\\\b', 'de fg', 'h']],
    ['a\\\\\\"b c d', ['a\\"b', 'c', 'd']],
    ['a\\\\\\\\"b c" d e', ['a\\\\b c', 'd', 'e']],
    ['a"b"" c d', ['ab" c d']],
  ])('%s', (args, expected) => {
    expect(parseCommandLine(`test.exe ${args}`)).toEqual(['test.exe', ...expected]);
  });

  test('the program name honours quotes only', () => {
    expect(parseCommandLine('"C:\\Program Files\\a\\b.exe" x')).toEqual(['C:\\Program Files\\a\\b.exe', 'x']);
    // A quote opens until the next one (here: none), backslashes stay: all of it is the name.
    expect(parseCommandLine('C:\\a\\"b c.exe x')).toEqual(['C:\\a\\b c.exe x']);
  });

  test('__getmainargs / __wgetmainargs and the data exports agree', () => {
    const w = win32({ commandLine: 'C:\\app\\tool.exe one "two three"' });
    const pargc = w.buf(4);
    const pargv = w.buf(4);
    const penv = w.buf(4);
    expect(w.crt('__getmainargs', pargc, pargv, penv, 0, w.buf(4))).toBe(0);
    expect(w.u32(pargc)).toBe(3);
    expect(argvOf(w, w.u32(pargv), 3)).toEqual(['C:\\app\\tool.exe', 'one', 'two three']);
    expect(w.u32(w.u32(pargv) + 12)).toBe(0); // argv[argc] is NULL
    expect(w.u32(w.addr('msvcrt.dll', '__argc'))).toBe(3);
    expect(w.u32(w.addr('msvcrt.dll', '__argv'))).toBe(w.u32(pargv));
    expect(w.u32(w.crt('__p___argv'))).toBe(w.u32(pargv));
    const env = w.u32(penv);
    const entries: string[] = [];
    for (let i = 0; w.u32(env + 4 * i); i++) entries.push(w.readStr(w.u32(env + 4 * i)));
    expect(entries).toEqual(['PATH=C:\\Windows\\system32;C:\\Windows', 'SystemRoot=C:\\Windows', 'TEMP=C:\\Temp', 'TMP=C:\\Temp', 'windir=C:\\Windows']);
    w.crt('__wgetmainargs', pargc, pargv, penv, 0, w.buf(4));
    expect(argvOf(w, w.u32(pargv), 3, true)).toEqual(['C:\\app\\tool.exe', 'one', 'two three']);
    expect(w.readStr(w.u32(w.addr('msvcrt.dll', '_acmdln')))).toBe('C:\\app\\tool.exe one "two three"');
    expect(w.readWStr(w.u32(w.crt('__p__wcmdln')))).toBe('C:\\app\\tool.exe one "two three"');
    expect(w.u32(w.addr('msvcrt.dll', '_winmajor'))).toBe(10);
    expect(w.u32(w.crt('__p__fmode'))).toBe(0);
  });

  test('ucrt: _configure_narrow_argv, __p___argc/__p___argv, the WinMain command line', () => {
    const w = win32({ commandLine: '"C:\\my app\\x.exe"   -v  file' });
    expect(w.call('ucrtbase.dll', '_configure_narrow_argv', [2])).toBe(0);
    expect(w.call('ucrtbase.dll', '_initialize_narrow_environment')).toBe(0);
    const argc = w.u32(w.call('ucrtbase.dll', '__p___argc'));
    expect(argvOf(w, w.u32(w.call('ucrtbase.dll', '__p___argv')), argc)).toEqual(['C:\\my app\\x.exe', '-v', 'file']);
    expect(w.readStr(w.call('ucrtbase.dll', '_get_narrow_winmain_command_line'))).toBe('-v  file');
    expect(w.readWStr(w.call('ucrtbase.dll', '_get_wide_winmain_command_line'))).toBe('-v  file');
    expect(w.readStr(w.u32(w.call('ucrtbase.dll', '_get_initial_narrow_environment')))).toBe('PATH=C:\\Windows\\system32;C:\\Windows');
  });
});

describe('exit handlers', () => {
  test('ucrt onexit tables run last registered first and empty the table', () => {
    const w = win32();
    const log = logger(w);
    const table = w.buf(12);
    expect(w.call('ucrtbase.dll', '_initialize_onexit_table', [table])).toBe(0);
    for (let i = 1; i <= 40; i++) expect(w.call('ucrtbase.dll', '_register_onexit_function', [table, log.fn(i)])).toBe(0);
    expect((w.u32(table + 4) - w.u32(table)) / 4).toBe(40);
    expect(w.call('ucrtbase.dll', '_execute_onexit_table', [table])).toBe(0);
    expect(log.read()).toEqual(Array.from({ length: 40 }, (_, i) => 40 - i));
    expect([w.u32(table), w.u32(table + 4), w.u32(table + 8)]).toEqual([0, 0, 0]);
  });

  test('atexit functions run at _cexit and at exit (which then ends the process); _exit runs none', () => {
    const w = win32();
    const log = logger(w);
    w.crt('atexit', log.fn(1));
    w.crt('_onexit', log.fn(2));
    w.crt('_cexit');
    expect(log.read()).toEqual([2, 1]);
    w.crt('atexit', log.fn(3));
    let err: unknown;
    try {
      w.crt('exit', 7);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ProcessExitError);
    expect((err as ProcessExitError).exitCode).toBe(7);
    expect(log.read()).toEqual([2, 1, 3]);
    const w2 = win32();
    const log2 = logger(w2);
    w2.call('ucrtbase.dll', '_crt_atexit', [log2.fn(9)]);
    expect(() => w2.call('ucrtbase.dll', '_exit', [1])).toThrow(ProcessExitError);
    expect(log2.read()).toEqual([]);
  });
});

describe('what each flavour exports', () => {
  test('msvcrt-style names versus ucrt names', () => {
    const w = win32();
    const has = (dll: string, name: string) => w.p.builtinDll(dll)!.spec.exports[name] !== undefined;
    for (const name of ['_iob', '__iob_func', '__getmainargs', 'printf', 'sprintf', 'time', 'localtime', '_timezone', 'atexit']) {
      expect([name, has('msvcrt.dll', name)]).toEqual([name, true]);
      expect([name, has('ucrtbase.dll', name)]).toEqual([name, false]);
    }
    for (const name of ['__acrt_iob_func', '__stdio_common_vsprintf', '_time64', '_localtime64', '__timezone', '_crt_atexit', '_configure_narrow_argv', '_initialize_onexit_table'])
      expect([name, has('ucrtbase.dll', name)]).toEqual([name, true]);
    expect(has('msvcr71.dll', 'sprintf_s')).toBe(false);
    expect(has('msvcr80.dll', 'sprintf_s')).toBe(true);
    expect(has('msvcr80.dll', '_set_output_format')).toBe(true);
    expect(has('msvcr110.dll', 'fma')).toBe(false);
    expect(has('msvcr120.dll', 'fma')).toBe(true);
    expect(has('vcruntime140.dll', '__std_type_info_compare')).toBe(true);
  });

  test('__acrt_iob_func gives the standard streams', () => {
    const w = win32();
    const out = w.call('ucrtbase.dll', '__acrt_iob_func', [1]);
    expect(w.call('ucrtbase.dll', '_fileno', [out])).toBe(1);
    expect(w.call('ucrtbase.dll', '__acrt_iob_func', [2]) - out).toBe(w.call('ucrtbase.dll', '__acrt_iob_func', [1]) - w.call('ucrtbase.dll', '__acrt_iob_func', [0]));
  });
});

test('_set_fmode / _get_fmode: the default translation mode, shared with _fmode', () => {
  const w = win32();
  const m = w.buf(4);
  expect(w.call('ucrtbase.dll', '_set_fmode', [0x8000])).toBe(0); // _O_BINARY
  expect(w.call('ucrtbase.dll', '_get_fmode', [m])).toBe(0);
  expect(w.u32(m)).toBe(0x8000);
  expect(w.u32(w.call('msvcrt.dll', '__p__fmode'))).toBe(0x8000);
  expect(() => w.call('ucrtbase.dll', '_set_fmode', [0x1234])).toThrow(/_set_fmode: invalid parameter/);
});
