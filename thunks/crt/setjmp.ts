// setjmp/longjmp of the 32-bit Microsoft runtimes, with the unwinding they do on x86.
//
// The jmp_buf is the _JUMP_BUFFER of <setjmp.h>: Ebp, Ebx, Edi, Esi, Esp (pointing at setjmp's return
// address), Eip, Registration (FS:[0] at setjmp), TryLevel, Cookie, UnwindFunc, UnwindData[6].
// _setjmp fills the first eight. _setjmp3(buf, count, ...) is what the compiler calls: it also writes the
// cookie "VC20" and, from its extra arguments, the function that unwinds the frame that called setjmp
// (__CxxLongjmpUnwind for C++, _seh_longjmp_unwind(4) for __try) with that frame's state and data.
//
// longjmp: when FS:[0] is not the saved registration, the frames in between are unwound first (RtlUnwind
// with STATUS_UNWIND: __finally blocks run, and C++ frames compiled /EHa destroy their objects; /EHs frames
// ignore a non-C++ unwind, as Microsoft's frame handler does). Then the frame that called setjmp is unwound
// to the saved state: by the saved unwind function under "VC20", or, for a plain _setjmp buffer, as an
// _except_handler3 frame when that is its handler. Last the registers are loaded and setjmp "returns"
// the value (1 for 0).
import type { Process } from '../process.js';
import type { CxxRuntime } from '../cxx-eh.js';
import { localUnwind } from '../seh-api.js';
import { fn, NO_RETURN, varargs, type Export } from '../spec.js';

const JB = { ebp: 0, ebx: 4, edi: 8, esi: 12, esp: 16, eip: 20, registration: 24, tryLevel: 28, cookie: 32, unwindFunc: 36, unwindData: 40 } as const;
/** 'VC20': a buffer written by _setjmp3. */
const VC20 = 0x5643_3230;
const END_OF_CHAIN = 0xffff_ffff;

/** The caller's registers at the call of setjmp (the trap leaves them as they were). */
function saveRegisters(p: Process, jb: number): number {
  const m = p.mem;
  const cpu = p.cpu;
  m.setU32(jb + JB.ebp, cpu.get('ebp'));
  m.setU32(jb + JB.ebx, cpu.get('ebx'));
  m.setU32(jb + JB.edi, cpu.get('edi'));
  m.setU32(jb + JB.esi, cpu.get('esi'));
  m.setU32(jb + JB.esp, cpu.esp);
  m.setU32(jb + JB.eip, m.u32(cpu.esp));
  const registration = p.seh.chainHead();
  m.setU32(jb + JB.registration, registration);
  return registration;
}

/** The try level an SEH3 frame is at ([frame + 12]). */
const frameTryLevel = (p: Process, registration: number) => (registration === END_OF_CHAIN ? -1 : p.mem.i32(registration + 12));

function _setjmp(p: Process, jb: number): number {
  const registration = saveRegisters(p, jb);
  p.mem.setU32(jb + JB.tryLevel, frameTryLevel(p, registration) >>> 0);
  return 0;
}

function _setjmp3(p: Process, jb: number, count: number, args: { u32(): number }): number {
  const m = p.mem;
  const registration = saveRegisters(p, jb);
  m.setU32(jb + JB.cookie, VC20);
  m.setU32(jb + JB.unwindFunc, 0);
  for (let i = 0; i < 6; i++) m.setU32(jb + JB.unwindData + 4 * i, 0);
  if (registration === END_OF_CHAIN) {
    m.setU32(jb + JB.tryLevel, 0xffff_ffff);
    return 0;
  }
  const n = count | 0;
  if (n > 0) m.setU32(jb + JB.unwindFunc, args.u32());
  m.setU32(jb + JB.tryLevel, n > 1 ? args.u32() : frameTryLevel(p, registration) >>> 0);
  for (let i = 0; i < Math.min(n - 2, 6); i++) m.setU32(jb + JB.unwindData + 4 * i, args.u32());
  return 0;
}

/** Is `handler` _except_handler3 (a C runtime's, reached directly or through an import thunk `jmp [iat]`)? */
function isExceptHandler3(p: Process, handler: number): boolean {
  const named = (a: number) => /!_except_handler3$/.test(p.cpu.trapName(a) ?? '');
  if (named(handler)) return true;
  const m = p.mem;
  if (!m.isAccessible(handler, 6, false) || m.u8(handler) !== 0xff || m.u8(handler + 1) !== 0x25) return false;
  const slot = m.u32(handler + 2);
  return m.isAccessible(slot, 4, false) && named(m.u32(slot));
}

/** The SEH3 local unwind (_local_unwind2) of `frame` down to `level`. */
function sehLocalUnwind(p: Process, frame: number, level: number): void {
  const table = p.mem.u32(frame + 8);
  localUnwind(p, { frame, ebp: frame + 16, entry: (l) => table + 12 * l, topmost: -1 }, level);
}

/** _local_unwind4(cookie*, frame, level): the same for an SEH4 frame (encoded scope table, entries after a 16-byte header). */
function localUnwind4(p: Process, cookiePtr: number, frame: number, level: number): void {
  const table = (p.mem.u32(frame + 8) ^ p.mem.u32(cookiePtr)) >>> 0;
  localUnwind(p, { frame, ebp: frame + 16, entry: (l) => table + 16 + 12 * l, topmost: -2 }, level | 0);
}

function longjmp(p: Process, jb: number, value: number): typeof NO_RETURN {
  const m = p.mem;
  const cpu = p.cpu;
  const registration = m.u32(jb + JB.registration);
  if (registration !== p.seh.chainHead()) {
    p.seh.unwind(registration, 0, { ...cpu.registers(), eip: m.u32(cpu.esp), esp: cpu.esp + 4 });
  }
  if (registration !== END_OF_CHAIN && registration !== 0) {
    if (m.u32(jb + JB.cookie) === VC20) {
      const unwind = m.u32(jb + JB.unwindFunc);
      if (unwind) p.callGuest(unwind, 'stdcall', [jb]);
    } else if (isExceptHandler3(p, m.u32(registration + 4))) {
      sehLocalUnwind(p, registration, m.i32(jb + JB.tryLevel));
    }
  }
  cpu.set('ebp', m.u32(jb + JB.ebp));
  cpu.set('ebx', m.u32(jb + JB.ebx));
  cpu.set('edi', m.u32(jb + JB.edi));
  cpu.set('esi', m.u32(jb + JB.esi));
  cpu.eax = value || 1;
  cpu.esp = (m.u32(jb + JB.esp) + 4) >>> 0;
  cpu.eip = m.u32(jb + JB.eip);
  return NO_RETURN;
}

/** setjmp/longjmp exports of a runtime (see thunks/cxx-eh.ts for the CxxRuntime kinds). */
export function setjmpApi(rt: CxxRuntime): Record<string, Export> {
  const r = { reentrant: true };
  const jump = fn('cdecl', ['ptr', 'int'], 'void', longjmp, r);
  const base: Record<string, Export> = {
    _longjmpex: jump,
    _seh_longjmp_unwind: fn('stdcall', ['ptr'], 'void', (p, jb) => sehLocalUnwind(p, p.mem.u32(jb + JB.registration), p.mem.i32(jb + JB.tryLevel)), r),
    _setjmp3: varargs(['ptr', 'int'], 'int', _setjmp3),
    longjmp: jump,
  };
  const seh4: Record<string, Export> = {
    _local_unwind4: fn('cdecl', ['ptr', 'ptr', 'int'], 'void', localUnwind4, r),
    _seh_longjmp_unwind4: fn('stdcall', ['ptr'], 'void', (p, jb) => localUnwind4(p, p.mem.u32(jb + JB.unwindData), p.mem.u32(jb + JB.registration), p.mem.i32(jb + JB.tryLevel)), r),
  };
  const setjmp = fn('cdecl', ['ptr'], 'int', _setjmp);
  if (rt.dll === 'vcruntime140') return { ...base, ...seh4 };
  if (rt.dll === 'ucrtbase') return { ...base, ...seh4, _setjmp: setjmp, __intrinsic_setjmp: setjmp };
  return { ...base, ...(rt.version === 60 || rt.version >= 80 ? seh4 : {}), _setjmp: setjmp };
}
