// Where the C runtime gives up, as Microsoft documents signal, raise, abort, assert and _purecall: handlers
// the guest installs run (reset to SIG_DFL first), default actions that end the process become typed
// errors, SIGTERM is ignored by default; plus vcruntime140's type_info and std::exception helpers.
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../../emulator/memory.js';
import { CrtAssertionError, CrtInvalidParameterError, CrtSignalError, PureVirtualCallError } from '../../../thunks/crt/errors.js';
import { ProcessExitError } from '../../../thunks/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32();
});

const SIGINT = 2;
const SIGFPE = 8;
const SIGTERM = 15;
const SIGABRT = 22;
const SIG_IGN = 1;

/** A cdecl handler that records its arguments: calls, last first argument, last second argument. */
function recorder() {
  const page = w.cpu.mem.map(0x1000, PROT.rwx);
  const cells = page + 0x800;
  const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
  // inc dword [cells]; mov eax, [esp+4]; mov [cells+4], eax; mov eax, [esp+8]; mov [cells+8], eax; ret
  w.cpu.mem.write(page, Uint8Array.from([0xff, 0x05, ...le(cells), 0x8b, 0x44, 0x24, 0x04, 0xa3, ...le(cells + 4), 0x8b, 0x44, 0x24, 0x08, 0xa3, ...le(cells + 8), 0xc3]));
  return { addr: page, calls: () => w.u32(cells), arg1: () => w.u32(cells + 4), arg2: () => w.u32(cells + 8) };
}

describe('signal and raise', () => {
  test('a handler runs once: it is reset to SIG_DFL before it is called', () => {
    const h = recorder();
    expect(w.crt('signal', SIGINT, h.addr)).toBe(0); // the previous action: SIG_DFL
    expect(w.crt('raise', SIGINT)).toBe(0);
    expect([h.calls(), h.arg1()]).toEqual([1, SIGINT]);
    expect(() => w.crt('raise', SIGINT)).toThrow(CrtSignalError);
  });

  test('SIGFPE handlers get _FPE_EXPLICITGEN as their second argument', () => {
    const h = recorder();
    w.crt('signal', SIGFPE, h.addr);
    w.crt('raise', SIGFPE);
    expect([h.arg1(), h.arg2()]).toEqual([SIGFPE, 0x8c]);
  });

  test('default actions: SIGTERM is ignored, SIGABRT ends the process; SIG_IGN ignores', () => {
    expect(w.crt('raise', SIGTERM)).toBe(0);
    let err: unknown;
    try {
      w.crt('raise', SIGABRT);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CrtSignalError);
    expect((err as CrtSignalError).signal).toBe(SIGABRT);
    expect((err as CrtSignalError).code).toBe('WOWASM_CRT_SIGNAL');
    const w2 = win32();
    expect(w2.crt('signal', SIGABRT, SIG_IGN)).toBe(0);
    expect(w2.crt('raise', SIGABRT)).toBe(0);
    expect(w2.crt('signal', SIGABRT, 0)).toBe(SIG_IGN);
  });

  test('an unknown signal is an invalid parameter: SIG_ERR and EINVAL once a handler lets it return', () => {
    expect(() => w.crt('signal', 99, 0)).toThrow(CrtInvalidParameterError);
    w.crt('_set_invalid_parameter_handler', recorder().addr);
    expect(w.crt('signal', 99, 0)).toBe(0xffffffff);
    expect(w.u32(w.crt('_errno'))).toBe(22);
    expect(w.crt('raise', 99) | 0).toBe(-1);
  });

  test('abort raises SIGABRT (a handler runs), then ends the process with exit code 3', () => {
    const h = recorder();
    w.crt('signal', 6, h.addr); // SIGABRT_COMPAT is SIGABRT
    let err: unknown;
    try {
      w.crt('abort');
    } catch (e) {
      err = e;
    }
    expect(h.calls()).toBe(1);
    expect(err).toBeInstanceOf(ProcessExitError);
    expect((err as ProcessExitError).exitCode).toBe(3);
  });
});

describe('assertions, pure virtual calls, invalid parameters', () => {
  test('_assert / _wassert: CrtAssertionError with the expression, file and line', () => {
    let err: unknown;
    try {
      w.crt('_assert', w.str('n > 0'), w.str('src\\list.c'), 42);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CrtAssertionError);
    const a = err as CrtAssertionError;
    expect([a.expression, a.file, a.line, a.code]).toEqual(['n > 0', 'src\\list.c', 42, 'WOWASM_CRT_ASSERTION']);
    expect(a.message).toMatch(/^Assertion failed: n > 0, file src\\list\.c, line 42/);
    expect(() => w.call('ucrtbase.dll', '_wassert', [w.wstr('p != NULL'), w.wstr('a.cpp'), 7])).toThrow(/p != NULL, file a\.cpp, line 7/);
  });

  test('_purecall: the handler from _set_purecall_handler runs, then PureVirtualCallError', () => {
    expect(() => w.crt('_purecall')).toThrow(PureVirtualCallError);
    const h = recorder();
    expect(w.call('vcruntime140.dll', '_set_purecall_handler', [h.addr])).toBe(0);
    expect(() => w.call('vcruntime140.dll', '_purecall')).toThrow(PureVirtualCallError);
    expect(h.calls()).toBe(1);
  });

  test('_invalid_parameter_noinfo: the handler runs and the call returns; without one the process ends', () => {
    expect(() => w.call('ucrtbase.dll', '_invalid_parameter_noinfo')).toThrow(CrtInvalidParameterError);
    const h = recorder();
    expect(w.call('ucrtbase.dll', '_set_invalid_parameter_handler', [h.addr])).toBe(0);
    expect(w.call('ucrtbase.dll', '_get_invalid_parameter_handler')).toBe(h.addr);
    w.call('ucrtbase.dll', '_invalid_parameter_noinfo');
    expect(h.calls()).toBe(1);
    expect(() => w.call('ucrtbase.dll', '_invalid_parameter_noinfo_noreturn')).toThrow(CrtInvalidParameterError);
    expect(h.calls()).toBe(2);
  });
});

describe('vcruntime140', () => {
  /** A type_info: vftable, _UndecoratedName, _DecoratedName[] ; returns the address of its data part (+4). */
  function typeInfo(decorated: string): number {
    const at = w.buf(8 + decorated.length + 1);
    w.cpu.mem.write(at + 8, Uint8Array.from(decorated, (c) => c.charCodeAt(0)));
    return at + 4;
  }

  test('__std_type_info_compare / _hash / _name / _destroy_list', () => {
    const a = typeInfo('.?AVWidget@ui@@');
    const b = typeInfo('.?AVWidget@ui@@');
    const c = typeInfo('.?AVGadget@ui@@');
    expect(w.call('vcruntime140.dll', '__std_type_info_compare', [a, b])).toBe(0);
    expect(w.call('vcruntime140.dll', '__std_type_info_compare', [a, c]) | 0).toBe(1);
    // FNV-1a (32-bit) of "?AVWidget@ui@@", worked out separately.
    let h = 0x811c9dc5;
    for (const ch of '?AVWidget@ui@@') h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    expect(w.call('vcruntime140.dll', '__std_type_info_hash', [a])).toBe(h);
    const list = w.buf(8);
    const name = w.call('vcruntime140.dll', '__std_type_info_name', [a, list]);
    expect(w.readStr(name)).toBe('class ui::Widget');
    expect(w.u32(a)).toBe(name); // cached in _UndecoratedName
    expect(w.call('vcruntime140.dll', '__std_type_info_name', [a, list])).toBe(name);
    expect(w.u32(list + 4)).not.toBe(0);
    w.call('vcruntime140.dll', '__std_type_info_destroy_list', [list]);
    expect(w.u32(list + 4)).toBe(0);
  });

  test('__std_exception_copy duplicates an owned message; __std_exception_destroy frees it', () => {
    const from = w.buf(8);
    const to = w.buf(8);
    const msg = w.str('bad thing');
    w.cpu.mem.setU32(from, msg);
    w.cpu.mem.setU8(from + 4, 1);
    w.call('vcruntime140.dll', '__std_exception_copy', [from, to]);
    expect(w.u32(to)).not.toBe(msg);
    expect(w.readStr(w.u32(to))).toBe('bad thing');
    expect(w.cpu.mem.u8(to + 4)).toBe(1);
    w.call('vcruntime140.dll', '__std_exception_destroy', [to]);
    expect([w.u32(to), w.cpu.mem.u8(to + 4)]).toEqual([0, 0]);
    w.cpu.mem.setU8(from + 4, 0); // a literal: shared, not copied
    w.call('vcruntime140.dll', '__std_exception_copy', [from, to]);
    expect([w.u32(to), w.cpu.mem.u8(to + 4)]).toEqual([msg, 0]);
  });

  test('the memory and search functions', () => {
    const s = w.str('haystack');
    expect(w.call('vcruntime140.dll', 'strstr', [s, w.str('st')])).toBe(s + 3);
    expect(w.call('vcruntime140.dll', 'memchr', [s, 0x6b, 8])).toBe(s + 7);
    const ws = w.wstr('wide');
    expect(w.call('vcruntime140.dll', 'wcsrchr', [ws, 0x64])).toBe(ws + 4);
  });
});

describe('C++ support under decorated names (msvcrt-style runtimes)', () => {
  test('operator new / delete on the CRT heap; the new handler runs when memory runs out', () => {
    const a = w.call('msvcr71.dll', '??2@YAPAXI@Z', [24]);
    expect(w.p.heap.size(a)).toBeGreaterThanOrEqual(24);
    w.call('msvcr71.dll', '??3@YAXPAX@Z', [a]);
    const giveUp = w.cpu.mem.map(0x1000, PROT.rwx);
    const le = (v: number) => [v & 255, (v >>> 8) & 255, (v >>> 16) & 255, v >>> 24];
    const calls = giveUp + 0x800;
    w.cpu.mem.write(giveUp, Uint8Array.from([0xff, 0x05, ...le(calls), 0x31, 0xc0, 0xc3])); // inc [calls]; xor eax, eax; ret
    expect(w.call('msvcr71.dll', '_set_new_handler', [giveUp])).toBe(0);
    expect(w.call('msvcr71.dll', '??_U@YAPAXI@Z', [0x7fff_fff0])).toBe(0);
    expect(w.u32(calls)).toBe(1);
    expect(w.call('msvcr71.dll', '_query_new_handler')).toBe(giveUp);
  });

  test('type_info members: name() undecorates, raw_name(), ==, !=, before()', () => {
    const ti = (decorated: string) => {
      const at = w.buf(8 + decorated.length + 1);
      w.cpu.mem.write(at + 8, Uint8Array.from(decorated, (c) => c.charCodeAt(0)));
      return at;
    };
    const a = ti('.?AVWidget@@');
    const b = ti('.?AVWidget@@');
    const c = ti('.?AUPoint@geo@@');
    expect(w.readStr(w.crt('?name@type_info@@QBEPBDXZ', a))).toBe('class Widget');
    expect(w.readStr(w.crt('?name@type_info@@QBEPBDXZ', c))).toBe('struct geo::Point');
    expect(w.readStr(w.crt('?raw_name@type_info@@QBEPBDXZ', a))).toBe('.?AVWidget@@');
    expect(w.crt('??8type_info@@QBEHABV0@@Z', a, b)).toBe(1);
    expect(w.crt('??9type_info@@QBEHABV0@@Z', a, c)).toBe(1);
    expect(w.crt('?before@type_info@@QBEHABV1@@Z', c, a)).toBe(1); // "?AUP..." sorts before "?AVW..."
    w.crt('??1type_info@@UAE@XZ', a);
    expect(w.u32(a + 4)).toBe(0);
  });

  test('the multibyte string functions of a single-byte code page', () => {
    const s = w.str('abc');
    expect(w.crt('_mbslen', s)).toBe(3);
    expect(w.crt('_mbsinc', s)).toBe(s + 1);
    expect(w.crt('_mbsdec', s, s)).toBe(0);
    expect(w.crt('_mbsdec', s, s + 2)).toBe(s + 1);
    expect(w.crt('_mbsnbcnt', s, 10)).toBe(3);
    expect(w.crt('_mbsicmp', w.str('ABC'), s)).toBe(0);
    expect(w.crt('_getmbcp')).toBe(0);
    expect(w.crt('_setmbcp', 1252)).toBe(0);
    expect(w.crt('_getmbcp')).toBe(1252);
    expect(() => w.crt('_setmbcp', 932)).toThrow(CrtInvalidParameterError);
    const mbctype = w.addr('msvcrt.dll', '_mbctype');
    expect([...w.cpu.mem.read(mbctype, 257)].every((b) => b === 0)).toBe(true);
  });
});
