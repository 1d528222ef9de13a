// C++ as mingw builds it, on the real runtime: the cxxmingw fixture is linked against Debian's
// libstdc++-6.dll and libgcc_s_dw2-1.dll (fetched by `npm run fetch-dlls`, found through searchPath).
// Its exceptions unwind through libgcc's DWARF-2 unwinder and libstdc++'s personality routine, all guest
// code; wowasm provides only the Win32 and msvcrt.dll underneath.
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as wowasm from '../../worker/index.js';
import { describeIfPresent, thirdPartyDll } from '../helpers/thirdparty.js';

const LIBSTDCXX = thirdPartyDll('libstdc++-6.dll');
const searchPath = [thirdPartyDll('')];

describeIfPresent(LIBSTDCXX, 'cxxmingw-mingw.dll on libstdc++-6.dll', () => {
  let lib: wowasm.Library;
  beforeAll(() => {
    lib = wowasm.loadSync('fixtures/bin/cxxmingw-mingw.dll', { searchPath });
  });
  afterAll(() => lib.close());

  test('its C++ runtime comes from the real DLLs', () => {
    const names = lib.modules.map((m) => m.name.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(['libstdc++-6.dll', 'libgcc_s_dw2-1.dll']));
    expect(lib.unimplementedImports).toEqual([]);
  });

  test('a std::runtime_error built from a std::string is thrown and caught as std::exception', () => {
    const out = Buffer.alloc(64);
    const f = lib.func('int catch_runtime_error(int n, char *out, int size)');
    expect(f(42, out, 64)).toBe(1);
    expect(out.toString('latin1', 0, out.indexOf(0))).toBe('bad value: 42');
    expect(f(0, out, 64)).toBe(0);
  });

  test('unwinding through nine frames runs each destructor, innermost first', () => {
    // The int thrown (1), then destruction order 1, 2, ..., 9 as digits.
    expect(lib.func('int unwind_frames(int depth)')(9)).toBe(1_000_000 + 123_456_789);
  });

  test('throw; from catch (...) reaches a handler for a base class', () => {
    const out = Buffer.alloc(64);
    expect(lib.func('int rethrow_to_base(char *out, int size)')(out, 64)).toBe(2);
    expect(out.toString('latin1', 0, out.indexOf(0))).toBe('index 7 is out of range');
  });

  test('std::vector grows, and at() past the end throws std::out_of_range', () => {
    expect(lib.func('long vector_sum(int n)')(1000)).toBe(500500);
  });

  test('an exception nobody catches ends in std::terminate -> abort: ProcessExitError, then the library refuses calls', () => {
    // A library of its own: this one ends its process.
    const doomed = wowasm.loadSync('fixtures/bin/cxxmingw-mingw.dll', { searchPath, stdio: 'pipe' });
    let err: unknown;
    try {
      doomed.func('int escape(void)')();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(wowasm.ProcessExitError);
    expect((err as wowasm.ProcessExitError).exitCode).toBe(3);
    expect((err as Error).message).toMatch(/^the DLL called abort \(exit code 3\) from libstdc\+\+-6\.dll\+0x/);
    // libstdc++'s verbose terminate handler said why on stderr before aborting.
    expect(String(doomed.stderr?.read())).toBe("terminate called after throwing an instance of 'std::runtime_error'\n  what():  nobody catches this\n");
    expect(() => doomed.func('long vector_sum(int n)')(10)).toThrow(wowasm.LibraryExitedError);
    doomed.close(); // no DLL_PROCESS_DETACH in a process that has ended
    // The other library is untouched.
    expect(lib.func('long vector_sum(int n)')(10)).toBe(55);
  });
});
