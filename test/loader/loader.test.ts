// The loader end to end: dependencies found next to the DLL or on searchPath, relocation of the second
// image at a taken base, imports by name / ordinal / data / forwarder, LoadLibrary at run time, static TLS
// and its callbacks, unloading, and what a guest can (not) reach on the host through LoadLibrary.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { DllInitError, MissingDependencyError } from '../../loader/errors.js';
import { MissingImportError, type PeModule } from '../../loader/loader.js';
import { UnimplementedApiError } from '../../thunks/errors.js';
import { encodeString } from '../../thunks/text.js';
import { loadSync, type Library } from '../../worker/library.js';
import { Runtime } from '../../worker/runtime.js';
import { win32 } from '../helpers/win32.js';

const BIN = path.resolve('fixtures/bin');
const FLAVOURS = ['mingw', 'msvc'] as const;
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-loader-'));
  tmpDirs.push(d);
  return d;
}

/** Calls a kernel32 export from the host the way guest code would (stdcall, 32-bit arguments). */
function kernel32(rt: Runtime, name: string, ...args: number[]): number {
  const addr = rt.process.builtinDll('kernel32.dll')!.resolve({ name }, false)!;
  return rt.process.callGuest(addr, 'stdcall', args);
}
function guestString(rt: Runtime, s: string): number {
  const { bytes } = encodeString(s, 1252);
  const a = rt.process.heap.alloc(bytes.length + 1, true);
  rt.cpu.mem.write(a, bytes);
  return a;
}
function module(rt: Runtime, name: string): PeModule {
  const m = rt.loader.find(name);
  if (m?.kind !== 'pe') throw new Error(`${name} is not loaded`);
  return m;
}

describe.each(FLAVOURS)('depuser-%s and deplib-%s', (flavour) => {
  const deplib = `deplib-${flavour}.dll`;
  const depuser = `depuser-${flavour}.dll`;

  test('deplib is found next to depuser; the second image is relocated', () => {
    const lib = loadSync(path.join(BIN, depuser));
    try {
      const rt = lib.runtime;
      const user = module(rt, depuser);
      const dep = module(rt, deplib);
      expect(dep.path).toBe(path.join(BIN, deplib));
      expect(user.file.imageBase).toBe(0x1000_0000);
      expect(dep.file.imageBase).toBe(0x1000_0000);
      // depuser is mapped first (at its preferred base), deplib while binding depuser's imports.
      expect(user.base).toBe(0x1000_0000);
      expect(dep.base).not.toBe(user.base);
      expect(dep.base % 0x1_0000).toBe(0);
      expect(user.deps.map((d) => d.name).sort()).toEqual(flavour === 'msvc' ? [deplib, 'kernel32.dll'] : [deplib, 'kernel32.dll', 'msvcrt.dll']);
      expect(lib.modules.filter((m) => !m.builtin).map((m) => m.name)).toEqual([depuser, deplib]);
    } finally {
      lib.close();
    }
  });

  test('calls through every kind of import work', () => {
    const lib = loadSync(path.join(BIN, depuser));
    try {
      const rt = lib.runtime;
      expect(lib.func('int use_square(int x)')(7)).toBe(49); // by name
      expect(lib.func('int use_secret(void)')()).toBe(1234); // by ordinal (#7, NONAME)
      expect(lib.func('int use_counter(void)')()).toBe(100); // data import: reads deplib's variable
      expect(lib.func('int use_bump_twice(void)')()).toBe(102); // deplib's code and depuser see one variable
      // The IAT slot of the data import holds the address of dep_counter inside the relocated deplib.
      const dep = module(rt, deplib);
      const counterRva = (dep.exports.byOrdinal.get(dep.exports.byName.get('dep_counter')!) as { rva: number }).rva;
      expect(rt.cpu.mem.i32(dep.base + counterRva)).toBe(102);
      // The forwarder deplib!dep_tick -> KERNEL32.GetTickCount binds the built-in GetTickCount itself.
      const before = kernel32(rt, 'GetTickCount');
      const tick = lib.func('unsigned int use_tick(void)')() as number;
      const after = kernel32(rt, 'GetTickCount');
      expect(tick).toBeGreaterThanOrEqual(before);
      expect(tick).toBeLessThanOrEqual(after);
      const iatTick = user(rt).imports.flatMap((d) => d.entries).find((e) => 'name' in e.ref && e.ref.name === 'dep_tick')!;
      expect(rt.cpu.mem.u32(user(rt).base + iatTick.iatRva)).toBe(rt.process.builtinDll('kernel32.dll')!.resolve({ name: 'GetTickCount' }, false));
    } finally {
      lib.close();
    }
    function user(rt: Runtime) {
      return module(rt, depuser);
    }
  });

  test('LoadLibraryA / GetProcAddress / FreeLibrary at run time', () => {
    const lib = loadSync(path.join(BIN, depuser));
    try {
      expect(lib.func('int dynamic_square(int x)')(9)).toBe(81);
      // FreeLibrary dropped only the reference LoadLibrary took: the import still holds deplib.
      expect(module(lib.runtime, deplib).refCount).toBe(1);
      expect(lib.func('int dynamic_missing(void)')()).toBe(126); // ERROR_MOD_NOT_FOUND
    } finally {
      lib.close();
    }
  });

  test('a dependency that is not next to the DLL is found on searchPath', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BIN, depuser), path.join(dir, depuser));
    const lib = loadSync(path.join(dir, depuser), { searchPath: ['fixtures/bin'] });
    try {
      expect(module(lib.runtime, deplib).path).toBe(path.join(BIN, deplib));
      expect(lib.func('int use_square(int x)')(12)).toBe(144);
      // Run-time loads search there too.
      expect(lib.func('int dynamic_square(int x)')(5)).toBe(25);
    } finally {
      lib.close();
    }
  });

  test('without it: MissingDependencyError naming the folders searched', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BIN, depuser), path.join(dir, depuser));
    const other = tempDir();
    let err: unknown;
    try {
      loadSync(path.join(dir, depuser), { searchPath: [other] }).close();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingDependencyError);
    const e = err as MissingDependencyError;
    expect(e.code).toBe('WOWASM_MISSING_DEPENDENCY');
    expect(e.detail).toEqual({ dependency: deplib, wantedBy: depuser, searched: [dir, other, 'wowasm built-in system DLLs'] });
    expect(e.message).toBe(
      `${depuser} needs ${deplib}, which was not found. wowasm looked in: ${dir}, ${other}, wowasm built-in system DLLs` +
        ' — put the DLL next to the one you load, or add its folder to `searchPath`.',
    );
  });
});

describe('module bookkeeping', () => {
  test('a DLL listed twice in the import directory is one module with one reference', () => {
    // depuser-msvc's first import descriptor (kernel32.dll) rewritten to be a second deplib-msvc.dll one.
    const dir = tempDir();
    const bytes = fs.readFileSync(path.join(BIN, 'depuser-msvc.dll'));
    const rdata = 0x600 - 0x2000; // file offset of .rdata minus its RVA
    const desc = 0x212c + rdata;
    bytes.copy(bytes, desc, desc + 20, desc + 40); // descriptor 0 := descriptor 1
    fs.writeFileSync(path.join(dir, 'depuser-msvc.dll'), bytes);
    fs.copyFileSync(path.join(BIN, 'deplib-msvc.dll'), path.join(dir, 'deplib-msvc.dll'));
    const rt = new Runtime(path.join(dir, 'depuser-msvc.dll'));
    try {
      expect(rt.main.imports.map((d) => d.dll)).toEqual(['deplib-msvc.dll', 'deplib-msvc.dll']);
      const dep = module(rt, 'deplib-msvc.dll');
      expect(rt.loader.peModules().map((m) => m.name)).toEqual(['depuser-msvc.dll', 'deplib-msvc.dll']);
      expect(rt.main.deps).toEqual([dep]);
      expect(dep.refCount).toBe(1);
      // Unloading depuser takes deplib with it.
      rt.loader.free(rt.main);
      expect(dep.state).toBe('unloaded');
      expect(rt.loader.peModules()).toEqual([]);
    } finally {
      rt.close();
    }
  });

  test('a forwarder to the DLL itself resolves without pinning it', () => {
    const dir = tempDir();
    const bytes = fs.readFileSync(path.join(BIN, 'deplib-msvc.dll'));
    const at = bytes.indexOf('NTDLL.RtlAllocateHeap');
    bytes.fill(0, at, at + 21);
    bytes.write('d.dep_square', at, 'latin1');
    fs.writeFileSync(path.join(dir, 'd.dll'), bytes);
    const { loader } = win32();
    const m = loader.loadFile(path.join(dir, 'd.dll'));
    expect(loader.getProcAddress(m, { name: 'dep_heap_alloc', hint: 0 })).toBe(loader.getProcAddress(m, { name: 'dep_square', hint: 0 }));
    expect(m.refCount).toBe(1);
    expect(m.deps).toEqual([]);
    loader.free(m);
    expect(m.state).toBe('unloaded');
  });

  test('loading the same file twice returns the same module with a second reference', () => {
    const rt = new Runtime(path.join(BIN, 'deplib-msvc.dll'));
    try {
      const again = rt.loader.loadFile(path.join(BIN, 'deplib-msvc.dll'));
      expect(again).toBe(rt.main);
      expect(rt.main.refCount).toBe(2);
      rt.loader.free(again);
      expect(rt.main.state).toBe('ready');
    } finally {
      rt.close();
    }
  });

  test('unloading gives every page back', () => {
    const rt = new Runtime(path.join(BIN, 'tls-msvc.dll'));
    rt.process.builtinDll('kernel32.dll'); // depuser imports from it: its header page stays, as on Windows
    const free = rt.cpu.mem.framesFree;
    const m = rt.loader.loadLibrary('depuser-msvc.dll', undefined); // found in the folder of the loaded image
    expect(m.kind).toBe('pe');
    expect(rt.cpu.mem.framesFree).toBeLessThan(free);
    rt.loader.free(m);
    expect(rt.loader.find('deplib-msvc.dll')).toBeUndefined();
    expect(rt.cpu.mem.framesFree).toBe(free);
    rt.close();
  });

  test.each(FLAVOURS)('dllmain-fails-%s: DllInitError, and nothing stays mapped', (flavour) => {
    const { loader, cpu, p } = win32();
    p.builtinDll('kernel32.dll');
    p.builtinDll('msvcrt.dll');
    p.heap.free(p.heap.alloc(16)); // the process heap's first segment
    cpu.mem.release(cpu.mem.map(0x1000, 3, { at: 0x1000_0000 })); // the page table for 0x10000000-0x103fffff stays
    const free = cpu.mem.framesFree;
    let err: unknown;
    try {
      loader.loadFile(path.join(BIN, `dllmain-fails-${flavour}.dll`));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DllInitError);
    expect((err as Error).message).toBe(`dllmain-fails-${flavour}.dll: DllMain returned FALSE (0) for DLL_PROCESS_ATTACH, so the DLL refused to load`);
    expect(loader.peModules()).toEqual([]);
    expect(loader.find(`dllmain-fails-${flavour}.dll`)).toBeUndefined();
    expect(cpu.mem.query(0x1000_0000).state).toBe('free');
    if (flavour === 'msvc') expect(cpu.mem.framesFree).toBe(free); // (the mingw CRT keeps what its start-up allocated)
  });

  test.each(FLAVOURS)('needs-missing-%s: MissingDependencyError for wowasm_no_such_dep.dll', (flavour) => {
    expect(() => new Runtime(path.join(BIN, `needs-missing-${flavour}.dll`))).toThrow(
      `needs-missing-${flavour}.dll needs wowasm_no_such_dep.dll, which was not found. wowasm looked in: ${BIN}, wowasm built-in system DLLs`,
    );
  });
});

describe('binding imports', () => {
  test('an import the dependency does not export: MissingImportError, and nothing stays loaded', () => {
    const dir = tempDir();
    const bytes = fs.readFileSync(path.join(BIN, 'depuser-msvc.dll'));
    const at = bytes.indexOf('dep_bump\0');
    bytes.write('dep_bumx', at, 'latin1');
    fs.writeFileSync(path.join(dir, 'depuser-msvc.dll'), bytes);
    fs.copyFileSync(path.join(BIN, 'deplib-msvc.dll'), path.join(dir, 'deplib-msvc.dll'));
    const { loader } = win32();
    let err: unknown;
    try {
      loader.loadFile(path.join(dir, 'depuser-msvc.dll'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingImportError);
    expect((err as Error).message).toBe('depuser-msvc.dll imports dep_bumx from deplib-msvc.dll, which deplib-msvc.dll does not export');
    expect(loader.peModules()).toEqual([]);
  });

  test('imports wowasm lacks bind to stubs: listed at load time, an error naming them when called', () => {
    const lib = loadSync(path.join(BIN, 'demo-msvc.dll'));
    try {
      expect(lib.unimplementedImports).toEqual([{ module: 'demo-msvc.dll', dll: 'kernel32.dll', name: 'GetSystemPowerStatus' }]);
      expect(() => lib.func('int call_unimplemented(void)')()).toThrow(UnimplementedApiError);
      expect(() => lib.func('int call_unimplemented(void)')()).toThrow(/^kernel32\.dll!GetSystemPowerStatus is not implemented by wowasm \(called from demo-msvc\.dll\+0x[0-9a-f]+\)/);
    } finally {
      lib.close();
    }
  });

  test('a DLL named like a system DLL next to the one loaded is ignored: system DLLs are built in', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BIN, 'depuser-msvc.dll'), path.join(dir, 'depuser-msvc.dll'));
    fs.copyFileSync(path.join(BIN, 'deplib-msvc.dll'), path.join(dir, 'deplib-msvc.dll'));
    fs.copyFileSync(path.join(BIN, 'tls-msvc.dll'), path.join(dir, 'KERNEL32.DLL'));
    const rt = new Runtime(path.join(dir, 'depuser-msvc.dll'));
    try {
      expect(rt.loader.find('kernel32.dll')?.kind).toBe('builtin');
      expect(rt.loader.peModules().map((m) => m.name)).toEqual(['depuser-msvc.dll', 'deplib-msvc.dll']);
      expect(kernel32(rt, 'LoadLibraryA', guestString(rt, 'kernel32.dll'))).toBe(rt.process.builtinDll('kernel32.dll')!.base);
    } finally {
      rt.close();
    }
  });
});

describe.each(FLAVOURS)('tls-%s', (flavour) => {
  const file = path.join(BIN, `tls-${flavour}.dll`);
  const TLS = 0x10;
  const MAIN = 0x20;
  const [DETACH, ATTACH] = [0, 1];

  test('TLS callbacks run before DllMain; the static TLS slot holds the template', () => {
    const lib = loadSync(file);
    try {
      const count = lib.runtime.cpu.mem.i32(lib.symbol('event_count'));
      const log = [...new Int32Array(lib.memory.read(lib.symbol('event_log'), 4 * count).slice().buffer)];
      expect(log).toEqual([TLS | ATTACH, MAIN | ATTACH]);
      expect(lib.func('int tls_calls(void)')()).toBe(1);
      expect(lib.func('int tls_last_reason(void)')()).toBe(ATTACH);
      expect(lib.func('int dllmain_calls(void)')()).toBe(1);
      const bump = lib.func('int tls_var_bump(void)');
      expect([bump(), bump()]).toEqual([42, 43]);
      // The thread's block is TEB.ThreadLocalStoragePointer[_tls_index]; the template itself is unchanged.
      const rt = lib.runtime;
      const m = rt.main;
      const index = rt.cpu.mem.u32(m.tls!.addressOfIndex);
      expect(index).toBe(m.tlsIndex);
      const block = rt.cpu.mem.u32(rt.process.mainThread.tlsArray + 4 * index);
      expect(block).not.toBe(0);
      const offset = 4; // tls_var follows _tls_start (1 byte, padded to 4) in both builds
      expect(rt.cpu.mem.i32(block + offset)).toBe(43);
      expect(rt.cpu.mem.i32(m.tls!.startOfRawData + offset)).toBe(41);
    } finally {
      lib.close();
    }
  });

  test('unloading sends DLL_PROCESS_DETACH, callbacks first again', () => {
    const rt = new Runtime(file);
    const logAddr = rt.loader.getProcAddress(rt.main, { name: 'event_log', hint: 0 })!;
    const countAddr = rt.loader.getProcAddress(rt.main, { name: 'event_count', hint: 0 })!;
    // The image is unmapped after DETACH, so take the log after every notification the loader sends.
    const calls: number[][] = [];
    let log: number[] = [];
    const call = rt.process.callStdcall.bind(rt.process);
    rt.process.callStdcall = (addr, args) => {
      const r = call(addr, args);
      calls.push([addr - rt.main.base, args[1]!]);
      log = [...new Int32Array(rt.cpu.mem.read(logAddr, 4 * rt.cpu.mem.i32(countAddr)).slice().buffer)];
      return r;
    };
    const base = rt.main.base;
    rt.close();
    expect(log).toEqual([TLS | ATTACH, MAIN | ATTACH, TLS | DETACH, MAIN | DETACH]);
    // The entry point comes last; every call got the DETACH reason.
    expect(calls.at(-1)).toEqual([rt.main.file.entryPoint, DETACH]);
    expect(calls.every(([, reason]) => reason === DETACH)).toBe(true);
    expect(rt.main.state).toBe('unloaded');
    expect(rt.cpu.mem.query(base).state).toBe('free');
  });
});

test('static TLS indexes are reused: a TLS DLL can be loaded and freed again and again', () => {
  const rt = new Runtime(path.join(BIN, 'deplib-msvc.dll'));
  try {
    const indexes = new Set<number>();
    for (let i = 0; i < 100; i++) {
      const m = rt.loader.loadLibrary('tls-msvc.dll') as PeModule;
      indexes.add(m.tlsIndex!);
      expect(rt.cpu.mem.u32(m.tls!.addressOfIndex)).toBe(m.tlsIndex);
      rt.loader.free(m);
      expect(m.state).toBe('unloaded');
    }
    expect([...indexes]).toEqual([0]);
  } finally {
    rt.close();
  }
});

describe('GetModuleHandle / GetModuleFileName / GetProcAddress from guest code', () => {
  test('by name (any case, with or without .dll), NULL, built-ins, and unknown names', () => {
    const rt = new Runtime(path.join(BIN, 'depuser-msvc.dll'));
    try {
      const dep = module(rt, 'deplib-msvc.dll');
      for (const name of ['deplib-msvc.dll', 'DEPLIB-MSVC.DLL', 'deplib-msvc']) {
        expect(kernel32(rt, 'GetModuleHandleA', guestString(rt, name))).toBe(dep.base);
      }
      expect(kernel32(rt, 'GetModuleHandleA', 0)).toBe(rt.process.hostExeBase);
      expect(kernel32(rt, 'GetModuleHandleA', guestString(rt, 'KERNEL32'))).toBe(rt.process.builtinDll('kernel32.dll')!.base);
      expect(kernel32(rt, 'GetModuleHandleA', guestString(rt, 'libgcc_s_dw2-1.dll'))).toBe(0);
      expect(kernel32(rt, 'GetLastError')).toBe(126);

      const buf = rt.process.heap.alloc(260, true);
      const name = () => String.fromCharCode(...rt.cpu.mem.readCBytes(buf));
      expect(kernel32(rt, 'GetModuleFileNameA', dep.base, buf, 260)).toBe('C:\\wowasm\\deplib-msvc.dll'.length);
      expect(name()).toBe('C:\\wowasm\\deplib-msvc.dll');
      kernel32(rt, 'GetModuleFileNameA', rt.process.builtinDll('kernel32.dll')!.base, buf, 260);
      expect(name()).toBe('C:\\Windows\\System32\\kernel32.dll');
      kernel32(rt, 'GetModuleFileNameA', 0, buf, 260);
      expect(name()).toBe('C:\\wowasm\\host.exe');
      // Too small: truncated, terminated, returns the size, ERROR_INSUFFICIENT_BUFFER.
      expect(kernel32(rt, 'GetModuleFileNameA', dep.base, buf, 8)).toBe(8);
      expect(name()).toBe('C:\\wowa');
      expect(kernel32(rt, 'GetLastError')).toBe(122);

      // GetProcAddress by name and by ordinal, on an image and on a built-in.
      const rva = (o: number) => dep.base + (dep.exports.byOrdinal.get(o) as { rva: number }).rva;
      expect(kernel32(rt, 'GetProcAddress', dep.base, guestString(rt, 'dep_square'))).toBe(rva(11));
      expect(kernel32(rt, 'GetProcAddress', dep.base, 7)).toBe(rva(7));
      expect(kernel32(rt, 'GetProcAddress', dep.base, guestString(rt, 'dep_secret'))).toBe(0); // NONAME
      expect(kernel32(rt, 'GetLastError')).toBe(127);
      const k32 = rt.process.builtinDll('kernel32.dll')!;
      expect(kernel32(rt, 'GetProcAddress', k32.base, guestString(rt, 'HeapAlloc'))).toBe(k32.resolve({ name: 'HeapAlloc' }, false));
      // A forwarder of the image resolves to its target.
      expect(kernel32(rt, 'GetProcAddress', dep.base, guestString(rt, 'dep_heap_alloc'))).toBe(
        rt.process.builtinDll('ntdll.dll')!.resolve({ name: 'RtlAllocateHeap' }, false),
      );
    } finally {
      rt.close();
    }
  });
});

describe('guest LoadLibrary stays inside the allowed folders', () => {
  const hostile = ['/etc/passwd', 'C:\\..\\..\\etc\\x.dll', '../../../../etc/hostname', '\\\\server\\share\\evil.dll', '..'];

  test.each(hostile)('LoadLibraryA(%j) fails with 126 and touches no host file outside them', (name) => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BIN, 'depuser-msvc.dll'), path.join(dir, 'depuser-msvc.dll'));
    const search = tempDir();
    const rt = new Runtime(path.join(dir, 'depuser-msvc.dll'), { searchPath: [BIN, search] });
    const allowed = [dir, BIN, search];
    const touched: string[] = [];
    // Record every path the file system is asked about while the guest call runs.
    const watched = (['existsSync', 'readFileSync', 'statSync', 'readdirSync', 'openSync', 'accessSync', 'lstatSync', 'realpathSync'] as const).map((f) => {
      const original = fs[f] as (...a: unknown[]) => unknown;
      return vi.spyOn(fs, f).mockImplementation(((...args: unknown[]) => {
        touched.push(String(args[0]));
        return original(...args);
      }) as never);
    });
    try {
      expect(kernel32(rt, 'LoadLibraryA', guestString(rt, name))).toBe(0);
      expect(kernel32(rt, 'GetLastError')).toBe(126);
    } finally {
      for (const s of watched) s.mockRestore();
      rt.close();
    }
    for (const t of touched) expect(allowed.some((a) => t === a || t.startsWith(a + path.sep)), t).toBe(true);
  });

  test('a path naming a real DLL elsewhere loads only what the allowed folders hold under its base name', () => {
    const dir = tempDir();
    fs.copyFileSync(path.join(BIN, 'tls-msvc.dll'), path.join(dir, 'tls-msvc.dll'));
    const rt = new Runtime(path.join(dir, 'tls-msvc.dll'));
    try {
      // deplib-msvc.dll exists on the host, but not in dir: the guest cannot reach it by its host path.
      expect(kernel32(rt, 'LoadLibraryA', guestString(rt, path.join(BIN, 'deplib-msvc.dll')))).toBe(0);
      expect(kernel32(rt, 'GetLastError')).toBe(126);
      // A Windows path whose base name is in the DLL's folder loads that file.
      const h = kernel32(rt, 'LoadLibraryA', guestString(rt, 'C:\\Windows\\System32\\TLS-MSVC.DLL'));
      expect(h).toBe(rt.main.base);
      expect(rt.main.refCount).toBe(2);
    } finally {
      rt.close();
    }
  });
});

describe('delay-loaded imports (delayload-msvc.dll)', () => {
  test('a missing delay-loaded DLL does not stop the load; present ones load on first call', () => {
    const lib = loadSync('fixtures/bin/delayload-msvc.dll');
    const names = () => lib.modules.map((m) => m.name);
    expect(lib.func('int present(void)')()).toBe(7);
    expect(names()).not.toContain('deplib-msvc.dll');
    expect(lib.func('int delay_helper_calls(void)')()).toBe(0);
    expect(lib.func('int delayed_square(int x)')(9)).toBe(81);
    expect(names()).toContain('deplib-msvc.dll');
    expect(lib.func('int delay_helper_calls(void)')()).toBe(1);
    expect(lib.func('int delayed_square(int x)')(5)).toBe(25); // the IAT slot is bound now
    expect(lib.func('int delay_helper_calls(void)')()).toBe(1);
    // The fixture's helper answers a DLL it cannot load with a fallback returning -126.
    expect(lib.func('int call_missing(void)')()).toBe(-126);
    lib.close();
  });
});
