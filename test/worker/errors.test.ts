// Every way loading or calling a DLL can fail, as a typed error with a stable `code` and a message that
// says what happened and where; after each one, the library (if it loaded) and new loads keep working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import * as wowasm from '../../worker/index.js';
import {
  ArgumentCountError,
  ArgumentTypeError,
  BudgetExceededError,
  DllInitError,
  DllNotFoundError,
  ExportNotFoundError,
  GuestFaultError,
  GuestMemoryError,
  loadSync,
  MissingDependencyError,
  NotPeError,
  PeFormatError,
  PrototypeError,
  StackImbalanceError,
  UnimplementedApiError,
  UnsupportedArchitectureError,
  WowasmError,
  type Library,
} from '../../worker/index.js';

const binDir = fileURLToPath(new URL('../../fixtures/bin/', import.meta.url));
const fixture = (name: string) => path.join(binDir, name);
const FLAVOURS = ['mingw', 'msvc'] as const;

/** Runs `f`, which must throw; returns what it threw. */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

/** A fresh load of demo works and can be called. */
function expectNewLoadWorks(flavour: (typeof FLAVOURS)[number] = 'mingw'): void {
  const lib = loadSync(fixture(`demo-${flavour}.dll`));
  try {
    expect(lib.func('int __stdcall add(int a, int b)')(40, 2)).toBe(42);
  } finally {
    lib.close();
  }
}

// PE header offsets (from the PE/COFF specification).
const E_LFANEW = 0x3c;
const MACHINE = 4; // after "PE\0\0"
const OPTIONAL_MAGIC = 24;
const SIZE_OF_IMAGE = 24 + 56;

describe('files that are not a loadable 32-bit DLL', () => {
  let tmp: string;
  let demo: Buffer;
  let peOffset: number;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-errors-'));
    demo = fs.readFileSync(fixture('demo-mingw.dll'));
    peOffset = demo.readUInt32LE(E_LFANEW);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = (name: string, bytes: Uint8Array | string) => {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  test('a text file named .dll is a NotPeError', () => {
    const e = thrown(() => loadSync(write('x.dll', 'hello, I am not a DLL\n')));
    expect(e).toBeInstanceOf(NotPeError);
    expect((e as WowasmError).code).toBe('WOWASM_NOT_PE');
    expect(e.message).toBe('x.dll is not a Windows DLL (no MZ signature)');
    expectNewLoadWorks();
  });

  test('a 64-bit DLL is an UnsupportedArchitectureError that says what wowasm runs', () => {
    const x64 = Buffer.from(demo);
    x64.writeUInt16LE(0x8664, peOffset + MACHINE); // IMAGE_FILE_MACHINE_AMD64
    x64.writeUInt16LE(0x20b, peOffset + OPTIONAL_MAGIC); // PE32+
    const e = thrown(() => loadSync(write('x64.dll', x64)));
    expect(e).toBeInstanceOf(UnsupportedArchitectureError);
    expect((e as WowasmError).code).toBe('WOWASM_UNSUPPORTED_ARCH');
    expect(e.message).toMatch(/^wowasm runs 32-bit i386 DLLs; x64\.dll is .*x64/);
    expectNewLoadWorks();
  });

  test('a truncated DLL is a PeFormatError', () => {
    const e = thrown(() => loadSync(write('half.dll', demo.subarray(0, demo.length >> 1))));
    expect(e).toBeInstanceOf(PeFormatError);
    expect((e as WowasmError).code).toBe('WOWASM_BAD_PE');
    expect(e.message).toMatch(/^half\.dll is damaged: .*truncated/);
    expectNewLoadWorks();
  });

  test('headers that contradict themselves (SizeOfImage 0) are a PeFormatError', () => {
    const bad = Buffer.from(demo);
    bad.writeUInt32LE(0, peOffset + SIZE_OF_IMAGE);
    const e = thrown(() => loadSync(write('size0.dll', bad)));
    expect(e).toBeInstanceOf(PeFormatError);
    expect(e.message).toBe('size0.dll is damaged: SizeOfImage is 0x0');
    expectNewLoadWorks();
  });

  test('a file that does not exist is a DllNotFoundError', () => {
    const missing = path.join(tmp, 'nope.dll');
    const e = thrown(() => loadSync(missing));
    expect(e).toBeInstanceOf(DllNotFoundError);
    expect((e as WowasmError).code).toBe('WOWASM_DLL_NOT_FOUND');
    expect(e.message).toContain(missing);
    expectNewLoadWorks();
  });
});

describe.each(FLAVOURS)('%s build', (flavour) => {
  describe('loading', () => {
    test('a missing dependency is a MissingDependencyError naming it, who wanted it and where wowasm looked', () => {
      const e = thrown(() => loadSync(fixture(`needs-missing-${flavour}.dll`)));
      expect(e).toBeInstanceOf(MissingDependencyError);
      expect((e as WowasmError).code).toBe('WOWASM_MISSING_DEPENDENCY');
      expect((e as WowasmError).detail).toMatchObject({ dependency: 'wowasm_no_such_dep.dll', wantedBy: `needs-missing-${flavour}.dll` });
      expect((e as WowasmError).detail.searched).toContain(binDir.replace(/\/$/, ''));
      expect(e.message).toContain(`needs-missing-${flavour}.dll needs wowasm_no_such_dep.dll`);
      expect(e.message).toContain(binDir.replace(/\/$/, ''));
      expectNewLoadWorks(flavour);
    });

    test('the searchPath option is listed among the folders searched', () => {
      const extra = os.tmpdir();
      const e = thrown(() => loadSync(fixture(`needs-missing-${flavour}.dll`), { searchPath: [extra] }));
      expect((e as WowasmError).detail.searched).toContain(extra);
    });

    test('DllMain returning FALSE is a DllInitError', () => {
      const e = thrown(() => loadSync(fixture(`dllmain-fails-${flavour}.dll`)));
      expect(e).toBeInstanceOf(DllInitError);
      expect((e as WowasmError).code).toBe('WOWASM_DLL_INIT_FAILED');
      expect(e.message).toBe(`dllmain-fails-${flavour}.dll: DllMain returned FALSE (0) for DLL_PROCESS_ATTACH, so the DLL refused to load`);
      expectNewLoadWorks(flavour);
    });
  });

  describe('calling', () => {
    let lib: Library;
    let base: number;
    const add = () => lib.func('int __stdcall add(int a, int b)')(1, 2);
    beforeAll(() => {
      lib = loadSync(fixture(`demo-${flavour}.dll`), { timeoutMs: 300 });
      base = lib.modules.find((m) => m.name === `demo-${flavour}.dll`)!.base;
    });
    afterAll(() => lib.close());
    afterEach(() => expectNewLoadWorks(flavour));

    /** The fault happened inside `fn` (whose code is well under 64 bytes) and the message says where. */
    const expectFaultIn = (e: Error, fn: string, description: string) => {
      expect(e).toBeInstanceOf(GuestFaultError);
      const f = e as GuestFaultError;
      expect(f.code).toBe('WOWASM_GUEST_FAULT');
      const start = lib.symbol(fn);
      expect(f.eip).toBeGreaterThanOrEqual(start);
      expect(f.eip).toBeLessThan(start + 64);
      expect(f.registers.eip).toBe(f.eip);
      expect(e.message).toBe(`${description} at demo-${flavour}.dll+0x${(f.eip - base).toString(16)}`);
    };

    test('an export that does not exist: ExportNotFoundError with close matches', () => {
      const e = thrown(() => lib.func('int sumints(const int *p, int n)'));
      expect(e).toBeInstanceOf(ExportNotFoundError);
      expect((e as WowasmError).code).toBe('WOWASM_EXPORT_NOT_FOUND');
      expect(e.message).toBe(`demo-${flavour}.dll has no export named sumints; did you mean sum_ints?`);
      const none = thrown(() => lib.func('int zzzzzzzzzz(void)'));
      expect(none.message).toBe(`demo-${flavour}.dll has no export named zzzzzzzzzz`);
      expect(add()).toBe(3);
    });

    test('a Win32 function wowasm does not implement: UnimplementedApiError naming it and the caller', () => {
      const e = thrown(() => lib.func('int call_unimplemented(void)')());
      expect(e).toBeInstanceOf(UnimplementedApiError);
      const u = e as UnimplementedApiError;
      expect(u.code).toBe('WOWASM_UNIMPLEMENTED_API');
      expect([u.dll, u.function]).toEqual(['kernel32.dll', 'GetSystemPowerStatus']);
      expect(e.message).toMatch(/^kernel32\.dll!GetSystemPowerStatus is not implemented by wowasm \(called from demo-(mingw|msvc)\.dll\+0x[0-9a-f]+\)/);
      const offset = parseInt(/\+0x([0-9a-f]+)\)/.exec(e.message)![1]!, 16);
      const fn = lib.symbol('call_unimplemented') - base;
      expect(e.message).toContain(`demo-${flavour}.dll+0x`);
      expect(offset).toBeGreaterThan(fn);
      expect(offset).toBeLessThan(fn + 64);
      expect(add()).toBe(3);
    });

    test('reading NULL: access violation reading 0x00000000', () => {
      const e = thrown(() => lib.func('int read_null(void)')());
      expectFaultIn(e, 'read_null', 'access violation reading 0x00000000');
      const f = e as GuestFaultError;
      expect([f.exceptionCode, f.vector, f.address, f.access]).toEqual([0xc000_0005, 14, 0, 'read']);
      expect(add()).toBe(3);
    });

    test('writing to an unmapped address: access violation writing it', () => {
      const e = thrown(() => lib.func('void write_to(int *p, int v)')(0x1234_5678, 1));
      expectFaultIn(e, 'write_to', 'access violation writing 0x12345678');
      const f = e as GuestFaultError;
      expect([f.exceptionCode, f.address, f.access]).toEqual([0xc000_0005, 0x1234_5678, 'write']);
      expect(add()).toBe(3);
    });

    test('integer division by zero: 0xC0000094', () => {
      const e = thrown(() => lib.func('int divide(int a, int b)')(1, 0));
      expectFaultIn(e, 'divide', 'integer division by zero');
      expect([(e as GuestFaultError).exceptionCode, (e as GuestFaultError).vector]).toEqual([0xc000_0094, 0]);
      expect(lib.func('int divide(int a, int b)')(-7, 2)).toBe(-3);
    });

    test('ud2: illegal instruction 0xC000001D', () => {
      const e = thrown(() => lib.func('void illegal(void)')());
      expect(e).toBeInstanceOf(GuestFaultError);
      // GCC puts __builtin_trap's ud2 out of line, after the function body.
      expect((e as GuestFaultError).exceptionCode).toBe(0xc000_001d);
      expect(e.message).toMatch(new RegExp(`^illegal instruction at demo-${flavour}\\.dll\\+0x[0-9a-f]+$`));
      expect(add()).toBe(3);
    });

    test('int3: breakpoint 0x80000003', () => {
      const e = thrown(() => lib.func('void breakpoint(void)')());
      expectFaultIn(e, 'breakpoint', 'breakpoint (int3)');
      expect((e as GuestFaultError).exceptionCode).toBe(0x8000_0003);
      expect(add()).toBe(3);
    });

    test('endless recursion: stack overflow 0xC00000FD', () => {
      const e = thrown(() => lib.func('int recurse_forever(int n)')(1));
      expectFaultIn(e, 'recurse_forever', 'stack overflow');
      expect((e as GuestFaultError).exceptionCode).toBe(0xc000_00fd);
      expect(add()).toBe(3);
      expect(lib.func('int __stdcall sum8(int, int, int, int, int, int, int, int)')(1, 2, 3, 4, 5, 6, 7, 8)).toBe(36);
    });

    test('calling a NULL function pointer: access violation executing 0x00000000', () => {
      const e = thrown(() => lib.func(0, 'int f(void)')());
      expect(e).toBeInstanceOf(GuestFaultError);
      const f = e as GuestFaultError;
      expect([f.exceptionCode, f.eip, f.address, f.access]).toEqual([0xc000_0005, 0, 0, 'execute']);
      expect(e.message).toBe('access violation executing 0x00000000 at 0x00000000');
      expect(add()).toBe(3);
    });

    test('the host reading or writing unmapped guest memory is a GuestMemoryError', () => {
      const r = thrown(() => lib.memory.read(0, 4));
      expect(r).toBeInstanceOf(GuestMemoryError);
      expect([(r as GuestMemoryError).code, (r as GuestMemoryError).address, (r as GuestMemoryError).access]).toEqual(['WOWASM_GUEST_MEMORY', 0, 'read']);
      const w = thrown(() => lib.memory.write(0x10, new Uint8Array(4)));
      expect(w).toBeInstanceOf(GuestMemoryError);
      expect((w as GuestMemoryError).access).toBe('write');
      expect(add()).toBe(3);
    });

    test('a bad pointer handed to the DLL faults in the DLL', () => {
      const e = thrown(() => lib.func('int str_len(const char *s)')(0x10));
      expectFaultIn(e, 'str_len', 'access violation reading 0x00000010');
      expect(add()).toBe(3);
    });

    test('an endless loop is stopped after timeoutMs with a BudgetExceededError', () => {
      const started = performance.now();
      const e = thrown(() => lib.func('void spin_forever(void)')());
      const elapsed = performance.now() - started;
      expect(e).toBeInstanceOf(BudgetExceededError);
      expect((e as WowasmError).code).toBe('WOWASM_BUDGET_EXCEEDED');
      expect(e.message).toMatch(new RegExp(`^the call ran for more than 300 ms of guest time and was stopped at demo-${flavour}\\.dll\\+0x[0-9a-f]+ \\(timeoutMs\\)$`));
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(2000);
      expect(add()).toBe(3);
    });

    test('a guest fault inside a callback-driven call leaves the library usable', () => {
      const forEach = lib.func('int for_each_int(const int *arr, int n, int (__stdcall *fn)(int value, void *ctx), void *ctx)');
      const readNull = lib.func('int read_null(void)');
      const e = thrown(() => forEach([1, 2], 2, () => readNull(), null));
      expect(e).toBeInstanceOf(GuestFaultError);
      expect(forEach([1, 2], 2, () => 1, null)).toBe(2);
      expect(add()).toBe(3);
    });

    test('argument mistakes: ArgumentCountError, ArgumentTypeError, StackImbalanceError, PrototypeError', () => {
      const cases: [() => unknown, Function, string][] = [
        [() => lib.func('int __stdcall add(int a, int b)')(1), ArgumentCountError, 'WOWASM_ARGUMENT_COUNT'],
        [() => lib.func('int __stdcall add(int a, int b)')(1, 'two'), ArgumentTypeError, 'WOWASM_BAD_ARGUMENT'],
        [() => lib.func('int __cdecl add(int a, int b)')(1, 2), StackImbalanceError, 'WOWASM_STACK_IMBALANCE'],
        [() => lib.func('int __stdcall add(int a, int b'), PrototypeError, 'WOWASM_BAD_PROTOTYPE'],
        [() => lib.func('NoSuchType add(int a, int b)'), PrototypeError, 'WOWASM_BAD_PROTOTYPE'],
      ];
      for (const [f, type, code] of cases) {
        const e = thrown(f);
        expect(e).toBeInstanceOf(type);
        expect((e as WowasmError).code).toBe(code);
        expect(add()).toBe(3);
      }
    });

    test('the message of a StackImbalanceError says what to check', () => {
      const e = thrown(() => lib.func('int __cdecl add(int a, int b)')(1, 2));
      expect(e.message).toBe(
        'add returned with the stack off: the prototype says __cdecl (the caller pops the arguments), but the function popped 8 bytes of arguments. ' +
          'Check its calling convention (__cdecl/__stdcall) and parameter types.',
      );
    });
  });
});

describe('the error classes', () => {
  // Every class a user can catch, with its code. Codes are part of the API: they never change.
  const CODES: Record<string, string> = {
    ApiArgumentError: 'WOWASM_API_ARGUMENT',
    ArgumentCountError: 'WOWASM_ARGUMENT_COUNT',
    ArgumentTypeError: 'WOWASM_BAD_ARGUMENT',
    BudgetExceededError: 'WOWASM_BUDGET_EXCEEDED',
    CrtAssertionError: 'WOWASM_CRT_ASSERTION',
    CrtInvalidParameterError: 'WOWASM_CRT_INVALID_PARAMETER',
    CrtSignalError: 'WOWASM_CRT_SIGNAL',
    DllInitError: 'WOWASM_DLL_INIT_FAILED',
    DllNotFoundError: 'WOWASM_DLL_NOT_FOUND',
    EmulatorCrashedError: 'WOWASM_EMULATOR_CRASHED',
    EmulatorSelfTestError: 'WOWASM_EMULATOR_SELF_TEST',
    ExportNotFoundError: 'WOWASM_EXPORT_NOT_FOUND',
    FileSystemOptionError: 'WOWASM_BAD_FS_OPTION',
    ForwarderError: 'WOWASM_BAD_FORWARDER',
    GuestFaultError: 'WOWASM_GUEST_FAULT',
    GuestMemoryError: 'WOWASM_GUEST_MEMORY',
    LibraryExitedError: 'WOWASM_LIBRARY_EXITED',
    MissingDependencyError: 'WOWASM_MISSING_DEPENDENCY',
    MissingImportError: 'WOWASM_MISSING_IMPORT',
    NotPeError: 'WOWASM_NOT_PE',
    OutOfGuestMemoryError: 'WOWASM_OUT_OF_GUEST_MEMORY',
    PeFormatError: 'WOWASM_BAD_PE',
    ProcessExitError: 'WOWASM_PROCESS_EXIT',
    PrototypeError: 'WOWASM_BAD_PROTOTYPE',
    PureVirtualCallError: 'WOWASM_CRT_PURECALL',
    RegistrySeedError: 'WOWASM_BAD_REGISTRY_SEED',
    StackImbalanceError: 'WOWASM_STACK_IMBALANCE',
    UnimplementedApiError: 'WOWASM_UNIMPLEMENTED_API',
    UnsupportedArchitectureError: 'WOWASM_UNSUPPORTED_ARCH',
  };
  const regs = { eax: 0, ecx: 0, edx: 0, ebx: 0, esp: 0, ebp: 0, esi: 0, edi: 0, eip: 0, eflags: 0 };
  // One instance of each, built with plausible arguments.
  const samples: Record<string, () => WowasmError> = {
    ApiArgumentError: () => new wowasm.ApiArgumentError('CreateFileA', 'bad name', 'x.dll+0x10'),
    ArgumentCountError: () => new wowasm.ArgumentCountError('add', 2, 1),
    ArgumentTypeError: () => new wowasm.ArgumentTypeError('add(a)', 'an integer for int', 'x'),
    BudgetExceededError: () => new wowasm.BudgetExceededError(100, 0x1000, 'x.dll+0x10'),
    CrtAssertionError: () => new wowasm.CrtAssertionError('n > 0', 'a.c', 3, 'x.dll+0x10'),
    CrtInvalidParameterError: () => new wowasm.CrtInvalidParameterError('strcpy_s', 'destination is NULL', 'x.dll+0x10'),
    CrtSignalError: () => new wowasm.CrtSignalError(22, 'SIGABRT', 'x.dll+0x10'),
    DllInitError: () => new wowasm.DllInitError('x.dll', 0),
    DllNotFoundError: () => new wowasm.DllNotFoundError('x.dll', []),
    EmulatorCrashedError: () => new wowasm.EmulatorCrashedError('broken'),
    EmulatorSelfTestError: () => new wowasm.EmulatorSelfTestError('broken'),
    ExportNotFoundError: () => new wowasm.ExportNotFoundError('x.dll', 'f', []),
    FileSystemOptionError: () => new wowasm.FileSystemOptionError('the folder /nowhere does not exist', { root: '/nowhere' }),
    ForwarderError: () => new wowasm.ForwarderError('x.dll', 'f', 'y.g', 'loops'),
    GuestFaultError: () => new wowasm.GuestFaultError('fault', { exceptionCode: 0xc000_0005, vector: 14, eip: 0, registers: regs, location: '0x0' }),
    GuestMemoryError: () => new wowasm.GuestMemoryError(0, 'read'),
    LibraryExitedError: () => new wowasm.LibraryExitedError('x.dll', new wowasm.ProcessExitError('exit', 1, 'x.dll+0x10')),
    MissingDependencyError: () => new wowasm.MissingDependencyError('y.dll', 'x.dll', []),
    MissingImportError: () => new wowasm.MissingImportError('x.dll', 'y.dll', 'f'),
    NotPeError: () => new wowasm.NotPeError('x.dll', 'no MZ signature'),
    OutOfGuestMemoryError: () => new wowasm.OutOfGuestMemoryError('full'),
    PeFormatError: () => new wowasm.PeFormatError('x.dll', 'bad'),
    ProcessExitError: () => new wowasm.ProcessExitError('exit', 1, 'x.dll+0x10'),
    PrototypeError: () => new wowasm.PrototypeError('int f(', 'it ends too early'),
    PureVirtualCallError: () => new wowasm.PureVirtualCallError('x.dll+0x10'),
    RegistrySeedError: () => new wowasm.RegistrySeedError('seed.reg', 'line 3: a value before any [key] line'),
    StackImbalanceError: () => new wowasm.StackImbalanceError('f', '__cdecl', 4),
    UnimplementedApiError: () => new wowasm.UnimplementedApiError('kernel32.dll', 'Beep', 'x.dll+0x10'),
    UnsupportedArchitectureError: () => new wowasm.UnsupportedArchitectureError('x.dll', 'x64'),
  };

  const exportedErrorClasses = Object.entries(wowasm).filter(([name, v]) => typeof v === 'function' && name.endsWith('Error') && name !== 'WowasmError');

  test('every error class worker/index.ts exports has a known code', () => {
    expect(exportedErrorClasses.map(([name]) => name).sort()).toEqual(Object.keys(CODES).sort());
  });

  test.each(Object.entries(CODES))('%s extends WowasmError and has code %s', (name, code) => {
    const e = samples[name]!();
    expect(e).toBeInstanceOf((wowasm as Record<string, unknown>)[name] as Function);
    expect(e).toBeInstanceOf(WowasmError);
    expect(e).toBeInstanceOf(Error);
    expect(e.code).toBe(code);
    expect(e.name).toBe(name);
    expect(structuredClone(e.detail)).toEqual(e.detail); // plain data, can cross a worker boundary
  });

  test('codes are unique', () => {
    expect(new Set(Object.values(CODES)).size).toBe(Object.keys(CODES).length);
  });
});
