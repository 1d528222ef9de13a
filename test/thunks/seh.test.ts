// Structured exception handling, end to end: guest handlers catch CPU faults and RaiseException,
// __finally blocks run on unwind, filters continue execution, nested exceptions, vectored handlers
// and the unhandled-exception filter. MSVC style uses clang's __try (msvcrt's _except_handler3);
// the mingw build installs registration frames by hand.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GuestFaultError, loadSync, type Library } from '../../worker/index.js';

const UNMAPPED = 0x3000_0000;

describe.each(['mingw', 'msvc'])('seh-%s.dll', (flavour) => {
  let lib: Library;
  beforeAll(() => {
    lib = loadSync(`fixtures/bin/seh-${flavour}.dll`);
  });
  afterAll(() => lib.close());

  test('an access violation is caught by the guest and the call returns normally', () => {
    const catchAv = lib.func('int catch_av(int *p)');
    expect(catchAv(UNMAPPED)).toBe(-1);
    const ok = lib.memory.alloc(4);
    lib.memory.write(ok, Uint8Array.of(7, 0, 0, 0));
    expect(catchAv(ok)).toBe(7);
    expect(catchAv(0)).toBe(-1);
  });

  test('the handler sees the access kind and address (ExceptionInformation)', () => {
    // av_address returns ExceptionInformation[1] + ExceptionInformation[0] * 0x10000000 for a write.
    expect(lib.func('unsigned av_address(int *p)')(0x0100_0010)).toBe(0x1100_0010);
  });

  test('RaiseException is caught by a filter matching its code, parameters included', () => {
    expect(lib.func('unsigned catch_raise(unsigned code, unsigned param)')(0xe000_0010, 0x1234)).toBe(0xe000_0010);
  });

  test('integer division by zero is caught by its code', () => {
    const div = lib.func('int catch_divide(int d)');
    expect(div(0)).toBe(-2);
    expect(div(5)).toBe(20);
  });

  test('cleanup of inner frames runs while unwinding to the handler (__finally / RtlUnwind)', () => {
    expect(lib.func('int finally_on_unwind(int *p)')(UNMAPPED)).toBe(1);
  });

  test('a vectored handler continues execution after a breakpoint', () => {
    expect(lib.func('int vectored_skip(void)')()).toBe(7);
  });

  test('an exception no frame handles goes to the unhandled-exception filter, then to the host', () => {
    lib.func('void install_unhandled_filter(void)')();
    const before = lib.func('unsigned unhandled_filter_calls(void)')() as number;
    let err: unknown;
    try {
      lib.func('void raise_unhandled(unsigned code)')(0xe000_0bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(GuestFaultError);
    expect((err as GuestFaultError).exceptionCode).toBe(0xe000_0bad);
    expect((err as Error).message).toMatch(new RegExp(`exception \\(0xe0000bad\\) at seh-${flavour}\\.dll\\+0x`));
    expect(lib.func('unsigned unhandled_filter_calls(void)')()).toBe(before + 1);
    // The library works on after it.
    expect(lib.func('int catch_av(int *p)')(UNMAPPED)).toBe(-1);
  });
});

describe('seh-msvc.dll: the compiler\'s __try/__except/__finally', () => {
  let lib: Library;
  beforeAll(() => {
    lib = loadSync('fixtures/bin/seh-msvc.dll');
  });
  afterAll(() => lib.close());

  test('a filter returning EXCEPTION_CONTINUE_EXECUTION resumes after RaiseException', () => {
    expect(lib.func('int continue_after_raise(void)')()).toBe(42);
  });

  test('continuing a noncontinuable exception raises STATUS_NONCONTINUABLE_EXCEPTION', () => {
    expect(lib.func('unsigned noncontinuable(void)')()).toBe(0xc000_0025);
  });

  test('__finally runs on normal exit too', () => {
    expect(lib.func('int finally_normal(void)')()).toBe(11);
  });

  test('an exception raised and handled inside a filter, during another dispatch', () => {
    expect(lib.func('unsigned nested_in_filter(int *bad)')(UNMAPPED)).toBe(0xc000_0005);
  });
});
