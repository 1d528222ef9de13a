// setjmp/longjmp of the 32-bit Microsoft runtimes: the _JUMP_BUFFER layout of <setjmp.h> (Ebp, Ebx, Edi,
// Esi, Esp, Eip, Registration, TryLevel, Cookie, UnwindFunc, UnwindData[6]) as _setjmp and _setjmp3 fill
// it, longjmp's registers, and the unwinding longjmp does in both fixture builds (fixtures/cxxeh/sjlj.c).
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { loadSync, type Library } from '../../../worker/index.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const JB = { ebp: 0, ebx: 4, edi: 8, esi: 12, esp: 16, eip: 20, registration: 24, tryLevel: 28, cookie: 32, unwindFunc: 36, unwindData: 40 };
const VC20 = 0x5643_3230; // 'VC20'

let w: Win32;
beforeEach(() => {
  w = win32();
});

function code(bytes: number[]): number {
  const at = w.cpu.mem.map(0x1000, PROT.rwx);
  w.cpu.mem.write(at, Uint8Array.from(bytes));
  return at;
}

/**
 * f(jb, setjmp, count): pushes a registration {next, handler 0, scope table 0, try level 9} on FS:[0], loads
 * EBX..EBP with 0x11111111, 0x22222222, 0x33333333, 0x44444444 and calls setjmp(jb, count, 0xAAAA0000,
 * 5, 0xBBBB0000) (cdecl); the call's return address is f + 72.
 */
const SETJMP_CALLER = [
  0x53, 0x56, 0x57, 0x55, 0x8b, 0x44, 0x24, 0x14, 0x8b, 0x4c, 0x24, 0x18, 0x8b, 0x54, 0x24, 0x1c, 0x6a, 0x09, 0x6a, 0x00, 0x6a, 0x00, 0x64, 0xff, 0x35, 0x00, 0x00, 0x00, 0x00,
  0x64, 0x89, 0x25, 0x00, 0x00, 0x00, 0x00, 0xbb, 0x11, 0x11, 0x11, 0x11, 0xbe, 0x22, 0x22, 0x22, 0x22, 0xbf, 0x33, 0x33, 0x33, 0x33, 0xbd, 0x44, 0x44, 0x44, 0x44, 0x68,
  0x00, 0x00, 0xbb, 0xbb, 0x6a, 0x05, 0x68, 0x00, 0x00, 0xaa, 0xaa, 0x52, 0x50, 0xff, 0xd1, 0x83, 0xc4, 0x14, 0x58, 0x64, 0xa3, 0x00, 0x00, 0x00, 0x00, 0x83, 0xc4, 0x0c,
  0x5d, 0x5f, 0x5e, 0x5b, 0xc3,
];

/**
 * g(jb, longjmp, out): fills jb as setjmp would at this point (EBP..ESI = 0x44444444, 0x11111111, 0x33333333,
 * 0x22222222, a return address of its own, FS:[0], no cookie), clears the registers and calls longjmp(jb, 0);
 * where it lands it stores EAX, EBX, ESI, EDI, EBP to out[0..4] and returns normally.
 */
const LONGJMP_CALLER = [
  0x53, 0x56, 0x57, 0x55, 0x8b, 0x44, 0x24, 0x14, 0x8d, 0x4c, 0x24, 0xfc, 0x89, 0x48, 0x10, 0xc7, 0x00, 0x44, 0x44, 0x44, 0x44, 0xc7, 0x40, 0x04, 0x11, 0x11, 0x11, 0x11,
  0xc7, 0x40, 0x08, 0x33, 0x33, 0x33, 0x33, 0xc7, 0x40, 0x0c, 0x22, 0x22, 0x22, 0x22, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x59, 0x83, 0xc1, 0x2a, 0x89, 0x48, 0x14, 0x64, 0x8b,
  0x0d, 0x00, 0x00, 0x00, 0x00, 0x89, 0x48, 0x18, 0xc7, 0x40, 0x20, 0x00, 0x00, 0x00, 0x00, 0x8b, 0x4c, 0x24, 0x18, 0x31, 0xdb, 0x31, 0xf6, 0x31, 0xff, 0x31, 0xed, 0x6a,
  0x00, 0x50, 0xff, 0xd1, 0xcc, 0x8b, 0x54, 0x24, 0x1c, 0x89, 0x02, 0x89, 0x5a, 0x04, 0x89, 0x72, 0x08, 0x89, 0x7a, 0x0c, 0x89, 0x6a, 0x10, 0x5d, 0x5f, 0x5e, 0x5b, 0xc3,
];

function runSetjmp(dll: string, name: string, count: number) {
  const f = code(SETJMP_CALLER);
  const jb = w.buf(64);
  w.cpu.mem.fill(jb, 0xee, 64);
  w.p.callGuest(f, 'cdecl', [jb, w.addr(dll, name), count]);
  const field = (k: keyof typeof JB) => w.u32(jb + JB[k]);
  return { f, jb, field };
}

describe('the jump buffer', () => {
  test('_setjmp3 with unwind data: registers, the return address and its slot, FS:[0], try level and data from the arguments', () => {
    const { f, field } = runSetjmp('vcruntime140.dll', '_setjmp3', 3);
    expect([field('ebp'), field('ebx'), field('edi'), field('esi')]).toEqual([0x4444_4444, 0x1111_1111, 0x3333_3333, 0x2222_2222]);
    expect(field('eip')).toBe(f + 72);
    // The registration is at the ESP after its four pushes; then five arguments and the return address.
    const registration = field('registration');
    expect(field('esp')).toBe(registration - 24);
    expect(field('tryLevel')).toBe(5);
    expect(field('cookie')).toBe(VC20);
    expect(field('unwindFunc')).toBe(0xaaaa_0000);
  });

  test('_setjmp3 without unwind data takes the try level from the registration; _setjmp leaves the cookie alone', () => {
    const three = runSetjmp('vcruntime140.dll', '_setjmp3', 3);
    expect(w.u32(three.jb + JB.unwindData)).toBe(0xbbbb_0000);
    expect(w.u32(three.jb + JB.unwindData + 4)).toBe(0);
    const none = runSetjmp('ucrtbase.dll', '_setjmp3', 0);
    expect([none.field('tryLevel'), none.field('unwindFunc'), none.field('cookie')]).toEqual([9, 0, VC20]);
    const plain = runSetjmp('msvcrt.dll', '_setjmp', 0);
    expect([plain.field('tryLevel'), plain.field('cookie'), plain.field('unwindFunc')]).toEqual([9, 0xeeee_eeee, 0xeeee_eeee]);
    expect(plain.field('eip')).toBe(plain.f + 72);
    expect(plain.field('esp')).toBe(plain.field('registration') - 24);
  });

  test.each([
    ['msvcrt.dll', 'longjmp'],
    ['vcruntime140.dll', 'longjmp'],
    ['msvcrt.dll', '_longjmpex'],
  ])('%s!%s loads the saved registers and makes setjmp return 1 for 0', (dll, name) => {
    const g = code(LONGJMP_CALLER);
    const jb = w.buf(64);
    const out = w.buf(20);
    w.p.callGuest(g, 'cdecl', [jb, w.addr(dll, name), out]);
    expect([0, 4, 8, 12, 16].map((o) => w.u32(out + o))).toEqual([1, 0x1111_1111, 0x2222_2222, 0x3333_3333, 0x4444_4444]);
  });
});

describe.each(['mingw', 'msvc'])('cxxeh-%s.dll: setjmp/longjmp in C', (flavour) => {
  let lib: Library;
  beforeAll(() => {
    lib = loadSync(`fixtures/bin/cxxeh-${flavour}.dll`);
  });
  afterAll(() => lib.close());

  test('setjmp returns 0, then what longjmp passes (1 for 0), and volatile locals keep their values', () => {
    const plain = lib.func('int sj_plain(int)');
    expect(plain(7)).toBe(72);
    expect(plain(0)).toBe(12);
  });

  test('longjmp unwinds the registration frames it leaves (once each, STATUS_UNWIND) and restores FS:[0]', () => {
    const code = lib.memory.alloc(4);
    expect(lib.func('int sj_across_frame(int, unsigned *)')(3, code)).toBe(11);
    expect(new DataView(lib.memory.read(code, 4).buffer).getUint32(0, true)).toBe(0xc000_0027);
  });

  if (flavour === 'mingw') {
    test("msvcrt's _setjmp called directly", () => {
      expect(lib.func('int sj_underscore(int)')(6)).toBe(62);
    });
  } else {
    test('the __finally blocks of the frames longjmp leaves run, innermost first', () => {
      expect(lib.func('int sj_across_finally(int)')(2)).toBe(11);
    });

    test('longjmp within the frame of setjmp runs the __finally blocks entered after setjmp only', () => {
      // setjmp's value is read after the inner __finally (10); the outer one runs on the way out (100).
      expect(lib.func('int sj_local_unwind(int)')(4)).toBe(10_110);
    });
  }
});
