// GetModuleHandle, GetModuleHandleEx, GetModuleFileName, GetProcAddress (by name and ordinal), LoadLibrary
// and FreeLibrary as guest code calls them, on built-in DLLs and on a loaded image.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import type { PeModule } from '../../../loader/loader.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const ERROR_MOD_NOT_FOUND = 126;
const ERROR_PROC_NOT_FOUND = 127;
const GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS = 4;

let w: Win32;
let dep: PeModule;
beforeEach(() => {
  w = win32();
  dep = w.loader.loadFile(path.resolve('fixtures/bin/deplib-msvc.dll'));
});

describe('GetModuleHandle', () => {
  test('built-in DLLs by any spelling of their name', () => {
    const k32 = w.p.builtinDll('kernel32.dll')!.base;
    for (const n of ['kernel32.dll', 'KERNEL32.DLL', 'kernel32', 'Kernel32.Dll']) expect(w.k32('GetModuleHandleA', w.str(n))).toBe(k32);
    expect(w.k32('GetModuleHandleW', w.wstr('KERNEL32'))).toBe(k32);
    // A handle is the module's base: "MZ" is there.
    expect(w.cpu.mem.u16(k32)).toBe(0x5a4d);
  });

  test('NULL is the process EXE; loaded images by name', () => {
    expect(w.k32('GetModuleHandleA', 0)).toBe(w.p.hostExeBase);
    expect(w.k32('GetModuleHandleA', w.str('deplib-msvc.dll'))).toBe(dep.base);
    expect(w.k32('GetModuleHandleW', w.wstr('DEPLIB-MSVC'))).toBe(dep.base);
  });

  test('not loaded: NULL and ERROR_MOD_NOT_FOUND (a built-in is not loaded just by asking)', () => {
    expect(w.k32('GetModuleHandleA', w.str('libgcc_s_dw2-1.dll'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
    expect(w.k32('GetModuleHandleA', w.str('msvcrt.dll'))).toBe(0); // nothing imported it
  });

  test('ntdll.dll and kernel32.dll are loaded in every process, imported or not', () => {
    // deplib-msvc imports nothing at all.
    expect(dep.imports).toEqual([]);
    const ntdll = w.k32('GetModuleHandleA', w.str('ntdll.dll'));
    expect(ntdll).toBe(w.p.builtinDll('ntdll.dll')!.base);
    expect(w.k32('GetProcAddress', ntdll, w.str('RtlAllocateHeap'))).toBe(w.addr('ntdll.dll', 'RtlAllocateHeap'));
  });

  test('GetModuleHandleEx by name and from an address inside the module', () => {
    const out = w.buf(4);
    expect(w.k32('GetModuleHandleExA', 0, w.str('deplib-msvc.dll'), out)).toBe(1);
    expect(w.u32(out)).toBe(dep.base);
    expect(w.k32('GetModuleHandleExW', GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, dep.base + 0x1010, out)).toBe(1);
    expect(w.u32(out)).toBe(dep.base);
    expect(w.k32('GetModuleHandleExA', GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, 0x0001_0000, out)).toBe(0);
    expect(w.u32(out)).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
  });
});

describe('GetModuleFileName', () => {
  test('images appear in C:\\wowasm, built-ins in System32, NULL is the EXE (A and W)', () => {
    const buf = w.buf(520);
    expect(w.k32('GetModuleFileNameA', dep.base, buf, 260)).toBe('C:\\wowasm\\deplib-msvc.dll'.length);
    expect(w.readStr(buf)).toBe('C:\\wowasm\\deplib-msvc.dll');
    expect(w.k32('GetModuleFileNameW', w.p.builtinDll('ntdll.dll')!.base, buf, 260)).toBe('C:\\Windows\\System32\\ntdll.dll'.length);
    expect(w.readWStr(buf)).toBe('C:\\Windows\\System32\\ntdll.dll');
    expect(w.k32('GetModuleFileNameA', 0, buf, 260)).toBe('C:\\wowasm\\host.exe'.length);
    expect(w.readStr(buf)).toBe('C:\\wowasm\\host.exe');
  });

  test('truncation: nSize characters including the NUL, returns nSize, ERROR_INSUFFICIENT_BUFFER', () => {
    const buf = w.buf(64);
    expect(w.k32('GetModuleFileNameA', dep.base, buf, 10)).toBe(10);
    expect(w.readStr(buf)).toBe('C:\\wowasm');
    expect(w.lastError()).toBe(122);
    // Exactly fitting (path + NUL) succeeds.
    expect(w.k32('GetModuleFileNameA', dep.base, buf, 26)).toBe(25);
    expect(w.lastError()).toBe(0);
  });

  test('an address that is no module: 0 and ERROR_MOD_NOT_FOUND', () => {
    expect(w.k32('GetModuleFileNameA', 0x0012_3400, w.buf(16), 16)).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
  });
});

describe('GetProcAddress', () => {
  test('by name and by ordinal on an image; names it lacks give ERROR_PROC_NOT_FOUND', () => {
    const rva = (o: number) => (dep.exports.byOrdinal.get(o) as { rva: number }).rva;
    expect(w.k32('GetProcAddress', dep.base, w.str('dep_square'))).toBe(dep.base + rva(11));
    expect(w.k32('GetProcAddress', dep.base, 7)).toBe(dep.base + rva(7)); // dep_secret, NONAME
    expect(w.k32('GetProcAddress', dep.base, w.str('dep_counter'))).toBe(dep.base + 0x3000); // data
    expect(w.k32('GetProcAddress', dep.base, 6)).toBe(0); // an empty slot of the address table
    expect(w.lastError()).toBe(ERROR_PROC_NOT_FOUND);
    expect(w.k32('GetProcAddress', dep.base, w.str('Dep_Square'))).toBe(0); // names are case-sensitive
    expect(w.lastError()).toBe(ERROR_PROC_NOT_FOUND);
  });

  test('a forwarder resolves to its target; the result is callable', () => {
    const tick = w.k32('GetProcAddress', dep.base, w.str('dep_tick'));
    expect(tick).toBe(w.addr('kernel32.dll', 'GetTickCount'));
    const before = w.k32('GetTickCount');
    const t = w.p.callGuest(tick, 'stdcall', []);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t - before).toBeLessThan(5000);
  });

  test('built-ins answer for what wowasm implements, not for stubs', () => {
    const k32 = w.p.builtinDll('kernel32.dll')!.base;
    expect(w.k32('GetProcAddress', k32, w.str('HeapAlloc'))).toBe(w.addr('kernel32.dll', 'HeapAlloc'));
    expect(w.k32('GetProcAddress', k32, w.str('GetSystemPowerStatus'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_PROC_NOT_FOUND);
    expect(w.k32('GetProcAddress', k32, w.str('NoSuchFunction'))).toBe(0);
    // RtlZeroMemory is kernel32's forward to ntdll.
    expect(w.k32('GetProcAddress', k32, w.str('RtlZeroMemory'))).toBe(w.addr('ntdll.dll', 'RtlZeroMemory'));
  });

  test('a forwarder to a DLL that cannot be found: NULL and ERROR_MOD_NOT_FOUND, not a host error', () => {
    // A copy of deplib-msvc whose forwarder NTDLL.RtlAllocateHeap names NOSUC.RtlAllocateHeap instead.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-fwd-'));
    try {
      const bytes = fs.readFileSync(path.resolve('fixtures/bin/deplib-msvc.dll'));
      const at = bytes.indexOf('NTDLL.RtlAllocateHeap');
      expect(at).toBeGreaterThan(0);
      bytes.write('NOSUC.', at, 'latin1');
      fs.writeFileSync(path.join(dir, 'fwd.dll'), bytes);
      const m = w.loader.loadFile(path.join(dir, 'fwd.dll'));
      expect(m.exports.byOrdinal.get(10)).toEqual({ kind: 'forward', to: 'NOSUC.RtlAllocateHeap' });
      expect(w.k32('GetProcAddress', m.base, w.str('dep_heap_alloc'))).toBe(0);
      expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
      // The module's other exports still work.
      expect(w.k32('GetProcAddress', m.base, w.str('dep_square'))).toBe(m.base + 0x1010);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a forwarder to another image loads and initializes it (its DllMain runs)', () => {
    // deplib-msvc's forwarder NTDLL.RtlAllocateHeap rewritten to t.tls_calls, with tls-msvc.dll as t.dll.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-fwd-'));
    try {
      const bytes = fs.readFileSync(path.resolve('fixtures/bin/deplib-msvc.dll'));
      const at = bytes.indexOf('NTDLL.RtlAllocateHeap');
      bytes.fill(0, at, at + 21);
      bytes.write('t.tls_calls', at, 'latin1');
      fs.writeFileSync(path.join(dir, 'fwd.dll'), bytes);
      fs.copyFileSync(path.resolve('fixtures/bin/tls-msvc.dll'), path.join(dir, 't.dll'));
      const m = w.loader.loadFile(path.join(dir, 'fwd.dll'));
      expect(w.loader.find('t.dll')).toBeUndefined();
      const f = w.k32('GetProcAddress', m.base, w.str('dep_heap_alloc'));
      const t = w.loader.find('t.dll') as PeModule;
      expect(t.state).toBe('ready');
      expect(f).toBe(w.loader.getProcAddress(t, { name: 'tls_calls', hint: 0 }));
      expect(w.p.callGuest(f, 'cdecl', [])).toBe(1); // its TLS callback ran once, at DLL_PROCESS_ATTACH
      expect(w.p.callGuest(w.loader.getProcAddress(t, { name: 'dllmain_calls', hint: 0 })!, 'cdecl', [])).toBe(1);
      // Asking again does not load or initialize it twice.
      expect(w.k32('GetProcAddress', m.base, w.str('dep_heap_alloc'))).toBe(f);
      expect(w.p.callGuest(f, 'cdecl', [])).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a handle that is no module: ERROR_MOD_NOT_FOUND', () => {
    expect(w.k32('GetProcAddress', 0x0012_0000, w.str('x'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
  });
});

describe('LoadLibrary / FreeLibrary', () => {
  test('counts references: each LoadLibrary needs its FreeLibrary', () => {
    expect(w.k32('LoadLibraryA', w.str('deplib-msvc.dll'))).toBe(dep.base);
    expect(w.k32('LoadLibraryW', w.wstr('DEPLIB-MSVC'))).toBe(dep.base);
    expect(dep.refCount).toBe(3);
    expect(w.k32('FreeLibrary', dep.base)).toBe(1);
    expect(w.k32('FreeLibrary', dep.base)).toBe(1);
    expect(dep.state).toBe('ready');
    expect(w.k32('FreeLibrary', dep.base)).toBe(1);
    expect(dep.state).toBe('unloaded');
    expect(w.k32('GetModuleHandleA', w.str('deplib-msvc.dll'))).toBe(0);
    expect(w.k32('FreeLibrary', dep.base)).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
  });

  test('a built-in DLL loads by name without a file', () => {
    const h = w.k32('LoadLibraryA', w.str('ntdll'));
    expect(h).toBe(w.p.builtinDll('ntdll.dll')!.base);
    expect(w.k32('FreeLibrary', h)).toBe(1);
    expect(w.k32('GetModuleHandleA', w.str('ntdll.dll'))).toBe(h); // built-ins stay
  });

  test('LoadLibraryA(NULL): ERROR_INVALID_PARAMETER; a missing DLL: ERROR_MOD_NOT_FOUND', () => {
    expect(w.k32('LoadLibraryA', 0)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('LoadLibraryA', w.str('nothere.dll'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
  });
});
