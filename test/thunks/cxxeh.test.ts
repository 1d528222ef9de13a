// C++ exceptions and RTTI of MSVC x86, end to end: fixtures/cxxeh built with clang in MSVC style against
// vcruntime140.dll/ucrtbase.dll (cxxeh.cpp /EHs, cxxeh-eha.cpp /EHa). Expected values follow from C++
// semantics (the fixture's comments say how each number is made) and from what Microsoft's runtime does
// (/EHs frames ignore structured exceptions, the runtime's what() texts).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../emulator/memory.js';
import { ProcessExitError } from '../../thunks/errors.js';
import { GuestFaultError, loadSync, type Library } from '../../worker/index.js';
import { win32, type Win32 } from '../helpers/win32.js';

const DLL = 'fixtures/bin/cxxeh-msvc.dll';
const UNMAPPED = 0x3000_0000;

describe('cxxeh-msvc.dll', () => {
  let lib: Library;
  let f: (proto: string) => (...args: number[]) => unknown;
  let log: () => string;
  beforeAll(() => {
    lib = loadSync(DLL);
    f = (proto) => lib.func(proto) as (...args: number[]) => unknown;
    log = () => lib.func('const char *cx_log(void)')() as string;
  });
  afterAll(() => lib.close());

  describe('throw and catch', () => {
    test('an int is caught by catch (int)', () => {
      expect(f('int cx_throw_int(int)')(21)).toBe(42);
      expect(f('int cx_throw_int(int)')(0)).toBe(-1);
    });

    test('by value: the catch parameter is copy-constructed, object and copy both destroyed', () => {
      // seen 107 (7 + 100 from the copy), 1 construction, 1 copy, 2 destructions
      expect(f('int cx_catch_value(void)')()).toBe(107_112);
    });

    test('by reference and rethrown: one object, not copied, destroyed once after the outer handler', () => {
      // v 10 (9 + 1 in the inner handler), same address 1, copies 0, destroyed 0 inside the outer handler, 1 after
      expect(f('int cx_catch_ref_rethrow(void)')()).toBe(101_001);
    });

    test('a pointer to a derived class is caught as a pointer to its second base, adjusted', () => {
      // same address as static_cast 1, b 2, virtual id() of C 30 / 10
      expect(f('int cx_catch_pointer(void)')()).toBe(123);
      expect(f('int cx_catch_void_pointer(void)')()).toBe(1);
    });

    test('a pointer to const is not caught by a pointer to non-const', () => {
      expect(f('int cx_catch_const(void)')()).toBe(4);
    });

    test('derived to base with multiple inheritance: by reference (B subobject), by value (A sliced by its copy constructor)', () => {
      expect(f('int cx_catch_base_ref(void)')()).toBe(123);
      expect(f('int cx_catch_base_value(void)')()).toBe(111); // a 1 + 10, one copy
    });

    test('virtual bases: by reference through the vbtable, by value, and a class with a virtual base by value', () => {
      expect(f('int cx_vbase_ref(void)')()).toBe(50); // v 5, no copy
      expect(f('int cx_vbase_value(void)')()).toBe(61); // v 5 + 1, one copy
      expect(f('int cx_vbase_class_value(void)')()).toBe(661); // x 6, its V copied (6), one copy
    });

    test('catch (...) takes whatever the other handlers do not', () => {
      expect([0, 1, 2, 3].map((k) => f('int cx_catch_all(int)')(k))).toEqual([1, 99, 99, 99]);
    });

    test('a try inside a catch block: each exception is destroyed when its own handler ends', () => {
      expect(f('int cx_nested(void)')()).toBe(12);
      expect(log()).toBe('c1 c2 2 ~T 2 after ~T 1 end');
    });

    test('a handler that throws anew: the first exception is destroyed as its handler is left', () => {
      expect(f('int cx_replace(void)')()).toBe(0);
      expect(log()).toBe('c1 ~T 1 c2 2 ~T 2 end');
    });

    test('a rethrow caught inside the same handler: the same object, destroyed once at the end', () => {
      expect(f('int cx_rethrow_inside(void)')()).toBe(0);
      expect(log()).toBe('inner 1 outer ~T 3 end');
    });
  });

  describe('unwinding', () => {
    test('destructors of every frame left run innermost first, before the handler, with uncaught_exceptions() 1', () => {
      expect(f('int cx_unwind_order(int)')(5)).toBe(5);
      expect(log()).toBe('o a b ~b1 ~a1 ~o1 catch');
      expect(f('int cx_unwind_order(int)')(0)).toBe(0);
      expect(log()).toBe('o a b no ~b0 ~a0 ~o0');
    });

    test('an exception leaves one exported function for another; std::exception::what()', () => {
      expect(f('int cx_call_export(int)')(1)).toBe(1);
      expect(log()).toBe('t ~t1 crossed');
    });

    test('an exception from guest code a host function calls back (qsort\'s comparator) reaches the frame that called it', () => {
      expect(f('int cx_through_qsort(void)')()).toBe(9);
      expect(log()).toBe('cmp ~cmp1 caught 9 ~T 9');
      expect(f('int cx_fault_through_qsort(void)')()).toBe(-7); // an access violation, and an __except
      expect(f('int cx_throw_int(int)')(4)).toBe(8); // and the DLL goes on working
    });

    test('std::exception caught by value is a copy with its own text (__std_exception_copy)', () => {
      const out = lib.memory.alloc(32);
      expect(f('int cx_exception_by_value(char *, int)')(out, 32)).toBe(8);
      expect(lib.memory.readCString(out)).toBe('by value');
    });
  });

  describe('RTTI', () => {
    test('dynamic_cast: down, across, failing, to void*, through virtual bases', () => {
      expect([0, 1, 2, 3, 4, 5, 6].map((k) => f('int cx_dynamic_cast(int)')(k))).toEqual([1, 2, 1, 1, 6, 7, 1]);
    });

    test('a failed dynamic_cast to a reference throws std::bad_cast, whose what() is the runtime\'s', () => {
      expect(f('int cx_dynamic_cast(int)')(7)).toBe(7);
      expect(log()).toBe('Bad dynamic_cast!');
    });

    test('typeid of a polymorphic object names its complete type', () => {
      const name = f('const char *cx_typeid_name(int)');
      expect([0, 1, 2, 3].map((k) => name(k))).toEqual(['struct C', 'struct C', 'int', 'struct Z']);
      expect(name(4)).toBe('.?AUC@@');
    });

    test('typeid of *nullptr throws std::bad_typeid', () => {
      expect(f('int cx_typeid_null(void)')()).toBe(5);
      expect(log()).toBe('Attempted a typeid of nullptr pointer!');
    });
  });

  describe('/EHa and structured exceptions', () => {
    test('catch (...) takes an access violation under /EHa, not under /EHs', () => {
      expect(f('int cx_eha_catch_all(int *)')(UNMAPPED)).toBe(-1);
      // /EHs: the violation passes the catch (...) and the frame's destructor; an outer __except takes it.
      expect(f('int cx_ehs_seh_unwind(int *)')(UNMAPPED)).toBe(-2);
      expect(log()).toBe('f except');
    });

    test('an outer __except unwinding an /EHa frame runs its destructors', () => {
      expect(f('int cx_eha_seh_unwind(int *)')(UNMAPPED)).toBe(-2);
      expect(log()).toBe('f ~f1 except');
    });

    test('_set_se_translator turns the violation into a C++ exception, under /EHa only', () => {
      // the code 0xC0000005 & 0xffff; the translator's own object is destroyed as it is left
      expect(f('int cx_eha_translate(int *)')(UNMAPPED)).toBe(5);
      expect(log()).toBe('tr ~tr1 caught');
      expect(f('int cx_eha_translator_returns(int *)')(UNMAPPED)).toBe(-4);
      expect(log()).toBe('seen all');
      expect(f('int cx_ehs_translate(int *)')(UNMAPPED)).toBe(-2);
      expect(log()).toBe('f except');
    });
  });

  describe('setjmp/longjmp in C++', () => {
    test('longjmp leaves an /EHs frame without its destructors, an /EHa frame with them', () => {
      expect(f('int cx_longjmp_ehs(void)')()).toBe(3);
      expect(log()).toBe('j back');
      expect(f('int cx_longjmp_eha(void)')()).toBe(5);
      expect(log()).toBe('j ~j1 back');
    });

    test('longjmp within a frame unwinds it to the state setjmp saw (__CxxLongjmpUnwind)', () => {
      expect(f('int cx_longjmp_own_frame(void)')()).toBe(4);
      expect(log()).toBe('outer inner ~inner1 back ~outer0');
    });
  });
});

describe('cxxeh-msvc.dll: exceptions that end the call or the process', () => {
  /** A fresh copy of the DLL for each: the process is over afterwards. */
  function run(proto: string, ...args: number[]) {
    const lib = loadSync(DLL);
    const flag = lib.memory.alloc(4);
    lib.memory.write(flag, new Uint8Array(4));
    let error: unknown;
    let result: unknown;
    try {
      result = lib.func(proto)(...args, flag);
    } catch (e) {
      error = e;
    }
    const flagValue = new DataView(lib.memory.read(flag, 4).buffer).getInt32(0, true);
    lib.close();
    return { error, result, flag: flagValue };
  }

  test('an exception nobody catches reaches the host as a guest fault naming the C++ type and what()', () => {
    const lib = loadSync(DLL);
    try {
      let err: unknown;
      try {
        lib.func('void cx_throw_uncaught(void)')();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GuestFaultError);
      expect((err as GuestFaultError).exceptionCode).toBe(0xe06d_7363);
      expect((err as Error).message).toMatch(/^C\+\+ exception of type 'class std::runtime_error': nobody catches this at cxxeh-msvc\.dll\+0x/);
      expect(() => lib.func('void cx_throw_uncaught_int(void)')()).toThrow(/^C\+\+ exception of type 'int' at cxxeh-msvc\.dll\+0x/);
    } finally {
      lib.close();
    }
  });

  test('a rethrow nobody catches names the exception being handled; a rethrow of nothing says so', () => {
    const lib = loadSync(DLL);
    try {
      expect(() => lib.func('void cx_rethrow_uncaught(void)')()).toThrow("C++ exception of type 'struct Tracked' (rethrown) at cxxeh-msvc.dll+0x");
      // The call that failed inside a catch block left nothing being handled behind it.
      expect(() => lib.func('int cx_rethrow_nothing_caught(void)')()).toThrow('C++ exception (a rethrow with no exception being handled) at cxxeh-msvc.dll+0x');
      expect(() => lib.func('void cx_rethrow_nothing(void)')()).toThrow('C++ exception (a rethrow with no exception being handled) at cxxeh-msvc.dll+0x');
      expect(lib.func('int cx_catch_ref_rethrow(void)')()).toBe(101_001);
    } finally {
      lib.close();
    }
  });

  test('leaving a noexcept function: terminate(), which calls the set_terminate handler, then abort', () => {
    const r = run('int cx_noexcept(int, int *)', 1);
    expect(r.error).toBeInstanceOf(ProcessExitError);
    expect((r.error as ProcessExitError).exitCode).toBe(3);
    expect((r.error as Error).message).toContain('terminate()');
    expect(r.flag).toBe(0x7e);
    expect(run('int cx_noexcept(int, int *)', 0)).toMatchObject({ result: 0, flag: 0 });
  });

  test('an exception leaving a destructor during unwinding terminates', () => {
    const r = run('int cx_dtor_throws(int *)');
    expect(r.error).toBeInstanceOf(ProcessExitError);
    expect((r.error as Error).message).toContain("C++ exception of type 'int' escaped a destructor during unwinding");
    expect(r.flag).toBe(0x7e);
  });

  test("an exception leaving the catch object's copy constructor terminates", () => {
    const r = run('int cx_copy_throws(int *)');
    expect(r.error).toBeInstanceOf(ProcessExitError);
    expect((r.error as Error).message).toContain("escaped the catch object's copy constructor");
    expect(r.flag).toBe(0x7e);
  });

  test('the noexcept flag of a FuncInfo (EHFlags bit 2) terminates when an exception reaches the frame', () => {
    const r = run('int cx_handmade(int, int *)', 0);
    expect(r.error).toBeInstanceOf(ProcessExitError);
    expect((r.error as Error).message).toContain("C++ exception of type 'int' left a noexcept function");
    expect(r.flag).toBe(0x7e);
  });

  test('an exception specification: an allowed type passes, another calls unexpected(), then terminate()', () => {
    expect(run('int cx_handmade(int, int *)', 1)).toMatchObject({ result: 3, flag: 0 });
    const r = run('int cx_handmade(int, int *)', 2);
    expect(r.error).toBeInstanceOf(ProcessExitError);
    expect((r.error as Error).message).toContain("C++ exception of type 'double' is not in the exception specification");
    expect(r.flag).toBe(0x17e); // the unexpected handler (0x100), then the terminate handler (0x7e)
  });
});

// ---- the runtime's helpers as guest code calls them (no DLL; the tables are built in guest memory) ----

describe('C++ runtime helpers', () => {
  let w: Win32;
  beforeEach(() => {
    w = win32();
  });

  const words = (values: number[]) => {
    const a = w.buf(4 * values.length);
    values.forEach((v, i) => w.cpu.mem.setU32(a + 4 * i, v >>> 0));
    return a;
  };
  /** TypeDescriptor {vftable, spare, name}. */
  const typeDescriptor = (name: string) => {
    const a = w.buf(8 + name.length + 1);
    w.cpu.mem.write(a + 8, Uint8Array.from([...name].map((c) => c.charCodeAt(0))));
    return a;
  };
  /** CatchableType {properties, type, PMD, size, copy constructor}. */
  const catchable = (type: number, mdisp: number, size: number, properties = 0) => words([properties, type, mdisp, -1, 0, size, 0]);
  /** ThrowInfo {attributes, destructor, forward compat, CatchableTypeArray}. */
  const throwInfo = (types: number[], destructor = 0) => words([0, destructor, 0, words([types.length, ...types])]);
  /** An EXCEPTION_RECORD of a C++ throw; EXCEPTION_POINTERS to it. */
  const cxxRecord = (object: number, info: number) => words([0xe06d_7363, 1, 0, 0x1000, 3, 0x1993_0520, object, info]);
  const pointers = (record: number) => words([record, w.buf(0x2cc)]);
  function code(bytes: number[]): number {
    const at = w.cpu.mem.map(0x1000, PROT.rwx);
    w.cpu.mem.write(at, Uint8Array.from(bytes));
    return at;
  }
  /** A thiscall destructor that writes 0xDEAD into the object's first word (mov dword [ecx], 0xDEAD; ret). */
  const stampingDestructor = () => code([0xc7, 0x01, 0xad, 0xde, 0x00, 0x00, 0xc3]);

  /** An object of a class Derived : Base, Base 4 bytes in; thrown as Derived. */
  function derivedThrow(destructor = 0) {
    const derived = typeDescriptor('.?AVDerived@@');
    const base = typeDescriptor('.?AVBase@@');
    const object = words([0x1111, 0x2222, 0x3333]);
    const info = throwInfo([catchable(derived, 0, 12), catchable(base, 4, 8)], destructor);
    return { derived, base, object, info, record: cxxRecord(object, info) };
  }

  test('__AdjustPointer: a plain displacement, and a virtual base through the vbtable', () => {
    const object = w.buf(16);
    const vbtable = words([0, 12]);
    w.cpu.mem.setU32(object + 8, vbtable);
    expect(w.call('vcruntime140.dll', '__AdjustPointer', [object, words([8, -1, 0])])).toBe(object + 8);
    // mdisp 4 + pdisp 8 + vbtable[1] (12)
    expect(w.call('vcruntime140.dll', '__AdjustPointer', [object, words([4, 8, 4])])).toBe(object + 24);
  });

  test('__CxxQueryExceptionSize: the storage __CxxRegisterExceptionObject needs (FRAMEINFO and the saved exception)', () => {
    expect(w.call('vcruntime140.dll', '__CxxQueryExceptionSize')).toBe(16);
  });

  test('__CxxDetectRethrow: a rethrow (no object, no ThrowInfo) is handled and counts as unwinding', () => {
    expect(w.call('vcruntime140.dll', '__uncaught_exceptions')).toBe(0);
    expect(w.call('vcruntime140.dll', '__CxxDetectRethrow', [pointers(cxxRecord(0, 0))])).toBe(1);
    expect(w.call('vcruntime140.dll', '__uncaught_exceptions')).toBe(1);
    expect(w.call('msvcrt.dll', '__uncaught_exception')).toBe(1);
    const { record } = derivedThrow();
    expect(w.call('vcruntime140.dll', '__CxxDetectRethrow', [pointers(record)])).toBe(0);
    expect(w.call('vcruntime140.dll', '__CxxDetectRethrow', [0])).toBe(0);
  });

  test('_is_exception_typeof: any of the catchable types, by name', () => {
    const { record } = derivedThrow();
    expect(w.call('vcruntime140.dll', '_is_exception_typeof', [typeDescriptor('.?AVBase@@'), pointers(record)])).toBe(1);
    expect(w.call('vcruntime140.dll', '_is_exception_typeof', [typeDescriptor('.?AVOther@@'), pointers(record)])).toBe(0);
    const av = words([0xc000_0005, 0, 0, 0, 2, 0, 0]);
    expect(w.call('vcruntime140.dll', '_is_exception_typeof', [typeDescriptor('.?AVBase@@'), pointers(av)])).toBe(0);
  });

  test('__CxxExceptionFilter: would catch (Base) take it, and the catch object it would get', () => {
    const { base, object, record } = derivedThrow();
    const byValue = w.buf(8);
    expect(w.call('msvcrt.dll', '__CxxExceptionFilter', [pointers(record), base, 0, byValue])).toBe(1);
    expect([w.u32(byValue), w.u32(byValue + 4)]).toEqual([0x2222, 0x3333]); // the Base part, copied
    const byReference = w.buf(4);
    expect(w.call('msvcrt.dll', '__CxxExceptionFilter', [pointers(record), typeDescriptor('.?AVBase@@'), 8, byReference])).toBe(1);
    expect(w.u32(byReference)).toBe(object + 4);
    expect(w.call('msvcrt.dll', '__CxxExceptionFilter', [pointers(record), typeDescriptor('.?AVOther@@'), 0, 0])).toBe(0);
    expect(w.call('msvcrt.dll', '__CxxExceptionFilter', [pointers(record), 0, 0, 0])).toBe(1); // catch (...)
  });

  test('__DestructExceptionObject runs the ThrowInfo destructor on the object', () => {
    const { object, record } = derivedThrow(stampingDestructor());
    w.call('vcruntime140.dll', '__DestructExceptionObject', [record]);
    expect(w.u32(object)).toBe(0xdead);
  });

  test('__CxxRegisterExceptionObject makes the exception current; unregistering destroys it unless rethrown', () => {
    const { object, record } = derivedThrow(stampingDestructor());
    const ptrs = pointers(record);
    const storage = w.buf(16);
    const current = w.call('vcruntime140.dll', '__current_exception');
    expect(w.call('vcruntime140.dll', '__CxxRegisterExceptionObject', [ptrs, storage])).toBe(1);
    expect(w.u32(current)).toBe(record);
    expect(w.u32(w.call('vcruntime140.dll', '__current_exception_context'))).toBe(w.u32(ptrs + 4));
    expect(w.call('vcruntime140.dll', '_IsExceptionObjectToBeDestroyed', [object])).toBe(0);
    w.call('vcruntime140.dll', '__CxxUnregisterExceptionObject', [storage, 1]);
    expect(w.u32(object)).toBe(0x1111); // rethrown: not destroyed
    expect(w.u32(current)).toBe(0);
    expect(w.call('vcruntime140.dll', '_IsExceptionObjectToBeDestroyed', [object])).toBe(1);
    w.call('vcruntime140.dll', '__CxxRegisterExceptionObject', [ptrs, storage]);
    w.call('vcruntime140.dll', '__CxxUnregisterExceptionObject', [storage, 0]);
    expect(w.u32(object)).toBe(0xdead);
  });

  test('set_terminate / set_unexpected / _set_se_translator return the previous handler', () => {
    expect(w.call('ucrtbase.dll', 'set_terminate', [0x1234])).toBe(0);
    expect(w.call('ucrtbase.dll', '_get_terminate')).toBe(0x1234);
    expect(w.call('ucrtbase.dll', 'set_terminate', [0])).toBe(0x1234);
    expect(w.call('vcruntime140.dll', 'set_unexpected', [0x5678])).toBe(0);
    expect(w.call('vcruntime140.dll', '_get_unexpected')).toBe(0x5678);
    expect(w.call('vcruntime140.dll', '_set_se_translator', [0x9abc])).toBe(0);
    expect(w.call('vcruntime140.dll', '_set_se_translator', [0])).toBe(0x9abc);
    expect(w.crt('?set_terminate@@YAP6AXXZP6AXXZ@Z', 0x4321)).toBe(0);
    expect(w.crt('?set_terminate@@YAP6AXXZP6AXXZ@Z', 0)).toBe(0x4321);
  });

  test('terminate() calls the terminate handler, then aborts', () => {
    // inc dword [cell]; ret
    const cell = w.buf(4);
    const handler = code([0xff, 0x05, cell & 255, (cell >>> 8) & 255, (cell >>> 16) & 255, cell >>> 24, 0xc3]);
    w.crt('?set_terminate@@YAP6AXXZP6AXXZ@Z', handler);
    expect(() => w.crt('?terminate@@YAXXZ')).toThrow(ProcessExitError);
    expect(w.u32(cell)).toBe(1);
    expect(() => w.call('vcruntime140.dll', '__std_terminate')).toThrow(/abort from terminate\(\)/);
  });

  test('__RTtypeid and __RTDynamicCast throw the runtime\'s own classes, named per runtime', () => {
    expect(() => w.call('vcruntime140.dll', '__RTtypeid', [0])).toThrow("C++ exception of type 'class std::bad_typeid': Attempted a typeid of nullptr pointer!");
    expect(() => w.crt('__RTtypeid', 0)).toThrow("C++ exception of type 'class bad_typeid': Attempted a typeid of NULL pointer!");
    expect(() => w.call('msvcr80.dll', '__RTtypeid', [0])).toThrow("C++ exception of type 'class std::bad_typeid': Attempted a typeid of NULL pointer!");
    // An object whose vftable[-1] is not a readable locator; an object that cannot be read at all.
    const noRtti = words([words([0x4000_0000, 0])  + 4]);
    expect(() => w.call('vcruntime140.dll', '__RTtypeid', [noRtti])).toThrow("C++ exception of type 'class std::__non_rtti_object': Bad read pointer - no RTTI data!");
    expect(() => w.call('vcruntime140.dll', '__RTtypeid', [UNMAPPED])).toThrow("C++ exception of type 'class std::__non_rtti_object': Access violation - no RTTI data!");
    expect(w.call('vcruntime140.dll', '__RTDynamicCast', [0, 0, 0, 0, 1])).toBe(0); // a null pointer stays null
    expect(() => w.call('vcruntime140.dll', '__RTCastToVoid', [UNMAPPED])).toThrow("C++ exception of type 'class std::__non_rtti_object': Access violation - no RTTI data!");
  });
});

describe("the msvcrt-style runtimes' exception classes", () => {
  let w: Win32;
  beforeEach(() => {
    w = win32();
  });
  const ptr = (v: number) => {
    const a = w.buf(4);
    w.cpu.mem.setU32(a, v);
    return a;
  };
  /** The name in a TypeDescriptor (type_info). */
  const rawName = (td: number) => w.readStr(td + 8);

  test('exception(const char *const &) keeps its own copy of the text; what() through the vftable; the copy constructor copies it again', () => {
    const text = w.str('disk full');
    const e = w.buf(12);
    expect(w.crt('??0exception@@QAE@ABQBD@Z', e, ptr(text))).toBe(e);
    expect(w.u32(e)).toBe(w.addr('msvcrt.dll', '??_7exception@@6B@'));
    const what = w.p.callGuest(w.u32(w.u32(e) + 4), 'thiscall', [e]); // vftable slot 1: what()
    expect(what).not.toBe(text);
    expect(w.readStr(what)).toBe('disk full');
    const copy = w.buf(12);
    w.crt('??0exception@@QAE@ABV0@@Z', copy, e);
    expect(w.crt('?what@exception@@UBEPBDXZ', copy)).not.toBe(what);
    expect(w.readStr(w.crt('?what@exception@@UBEPBDXZ', copy))).toBe('disk full');
    // The (const char *const &, int) form uses the string as it is.
    const shared = w.buf(12);
    w.crt('??0exception@@QAE@ABQBDH@Z', shared, ptr(text), 1);
    expect(w.crt('?what@exception@@UBEPBDXZ', shared)).toBe(text);
    // A default-constructed one has no text of its own.
    const empty = w.buf(12);
    w.crt('??0exception@@QAE@XZ', empty);
    expect(w.readStr(w.crt('?what@exception@@UBEPBDXZ', empty))).toBe('Unknown exception');
  });

  test('bad_cast and bad_typeid: their default texts, their RTTI (typeid and dynamic_cast to exception)', () => {
    const cast = w.buf(12);
    w.crt('??_Fbad_cast@@QAEXXZ', cast);
    expect(w.readStr(w.crt('?what@exception@@UBEPBDXZ', cast))).toBe('bad cast');
    expect(w.u32(cast)).toBe(w.addr('msvcrt.dll', '??_7bad_cast@@6B@'));
    const castType = w.crt('__RTtypeid', cast);
    expect(rawName(castType)).toBe('.?AVbad_cast@@');
    const typeidObject = w.buf(12);
    w.crt('??_Fbad_typeid@@QAEXXZ', typeidObject);
    expect(w.readStr(w.crt('?what@exception@@UBEPBDXZ', typeidObject))).toBe('bad typeid');
    // dynamic_cast<exception *>(bad_cast *): the same object (single inheritance).
    const exceptionType = w.crt('__RTtypeid', (() => {
      const e = w.buf(12);
      w.crt('??0exception@@QAE@XZ', e);
      return e;
    })());
    expect(rawName(exceptionType)).toBe('.?AVexception@@');
    expect(w.crt('__RTDynamicCast', cast, 0, castType, exceptionType, 0)).toBe(cast);
    expect(w.crt('__RTDynamicCast', typeidObject, 0, w.crt('__RTtypeid', typeidObject), castType, 0)).toBe(0);
  });

  test('msvcr80 and later name them in namespace std', () => {
    const e = w.buf(12);
    w.call('msvcr80.dll', '??0exception@std@@QAE@ABQBD@Z', [e, ptr(w.str('x'))]);
    expect(rawName(w.call('msvcr80.dll', '__RTtypeid', [e]))).toBe('.?AVexception@std@@');
    expect(w.u32(e)).toBe(w.addr('msvcr80.dll', '??_7exception@std@@6B@'));
  });

  test('operator= replaces the text; the deleting destructor frees what the object owns', () => {
    const a = w.buf(12);
    const b = w.buf(12);
    w.crt('??0exception@@QAE@ABQBD@Z', a, ptr(w.str('first')));
    w.crt('??0exception@@QAE@ABQBD@Z', b, ptr(w.str('second')));
    expect(w.crt('??4exception@@QAEAAV0@ABV0@@Z', a, b)).toBe(a);
    expect(w.readStr(w.crt('?what@exception@@UBEPBDXZ', a))).toBe('second');
    const owned = w.u32(a + 4);
    expect(w.p.heap.isBlock(owned)).toBe(true);
    expect(w.crt('??_Gexception@@UAEPAXI@Z', a, 0)).toBe(a); // destroy, do not free the object
    expect(w.u32(a + 4)).toBe(0);
    expect(w.p.heap.isBlock(owned)).toBe(false);
    expect(w.p.heap.isBlock(a)).toBe(true);
    expect(w.crt('??_Gexception@@UAEPAXI@Z', b, 1)).toBe(b); // destroy and free
    expect(w.p.heap.isBlock(b)).toBe(false);
  });
});
