// Windows DLLs wowasm has no table for load as stub modules (a call into one stops, naming the
// function); API-set names and kernelbase resolve to the DLL that hosts them. The sysimports fixture
// imports that way: GetSystemTimeAsFileTime through api-ms-win-core-sysinfo-l1-1-0, GetCurrentProcessId
// from kernelbase, strlen through api-ms-win-crt-string-l1-1-0 and DnsQuery_A from dnsapi.dll.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, test } from 'vitest';
import { MissingDependencyError } from '../../loader/errors.js';
import { parsePe } from '../../loader/pe.js';
import { parseImports } from '../../loader/tables.js';
import { UnimplementedApiError } from '../../thunks/errors.js';
import { registry } from '../../thunks/registry.js';
import { apiSetHost, isSystemDll } from '../../thunks/system-dlls.js';
import { importCoverage, locateDependency, summarize } from '../../worker/coverage.js';
import { win32, type Win32 } from '../helpers/win32.js';

const BIN = fileURLToPath(new URL('../../fixtures/bin/', import.meta.url));
const ERROR_MOD_NOT_FOUND = 126;
const ERROR_PROC_NOT_FOUND = 127;

let w: Win32;
beforeEach(() => {
  w = win32();
});

describe('stub modules', () => {
  test('LoadLibrary does not load a stub module by itself: the DLL is as absent as on a Windows without it', () => {
    expect(w.k32('LoadLibraryA', w.str('DNSAPI.DLL'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
    expect(w.k32('LoadLibraryA', w.str('winspool.drv'))).toBe(0);
    expect(w.k32('GetModuleHandleA', w.str('dnsapi.dll'))).toBe(0);
  });

  test('once an import loaded it, LoadLibrary and GetModuleHandle return it; GetProcAddress finds nothing in it', () => {
    w.loader.loadFile(`${BIN}sysimports-msvc.dll`);
    const h = w.k32('LoadLibraryA', w.str('DNSAPI.DLL'));
    expect(h).not.toBe(0);
    expect(w.cpu.mem.u16(h)).toBe(0x5a4d); // a module handle that looks like an image
    expect(w.k32('GetModuleHandleA', w.str('dnsapi.dll'))).toBe(h);
    expect(w.k32('GetProcAddress', h, w.str('DnsQuery_A'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_PROC_NOT_FOUND);
    expect(w.k32('FreeLibrary', h)).toBe(1);
  });

  test('a made-up name is still missing', () => {
    expect(w.k32('LoadLibraryA', w.str('wowasm_not_a_windows_dll.dll'))).toBe(0);
    expect(w.lastError()).toBe(ERROR_MOD_NOT_FOUND);
    expect(() => w.loader.loadLibrary('nosuchthing.dll')).toThrow(MissingDependencyError);
  });

  test('an import from a stub module binds to a stub that names dll!function when called', () => {
    const stub = w.p.builtinDll('dnsapi.dll')!.resolve({ name: 'DnsQuery_A' }, true)!;
    expect(stub).toBeGreaterThan(0);
    let err: unknown;
    try {
      w.p.callGuest(stub, 'stdcall', [0, 0, 0, 0, 0, 0]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UnimplementedApiError);
    expect((err as UnimplementedApiError).message).toMatch(/^dnsapi\.dll!DnsQuery_A is not implemented by wowasm/);
    expect(w.p.builtinDll('dnsapi.dll')!.implements({ name: 'DnsQuery_A' })).toBe(false);
  });

  test('the list: system DLLs and API sets yes, others no', () => {
    for (const n of ['dnsapi.dll', 'iphlpapi.dll', 'winmm.dll', 'version.dll', 'shell32.dll', 'winspool.drv', 'ext-ms-win-foo-l1-1-0.dll']) expect(isSystemDll(n), n).toBe(true);
    for (const n of ['zlib1.dll', 'msvcr100.dll', 'libgcc_s_dw2-1.dll', 'dnsapi.exe']) expect(isSystemDll(n), n).toBe(false);
  });
});

describe('API sets and kernelbase', () => {
  test('the mapping', () => {
    expect(apiSetHost('kernelbase.dll')).toBe('kernel32.dll');
    expect(apiSetHost('api-ms-win-core-synch-l1-2-0.dll')).toBe('kernel32.dll');
    expect(apiSetHost('api-ms-win-core-rtlsupport-l1-1-0.dll')).toBe('ntdll.dll');
    expect(apiSetHost('api-ms-win-core-com-l1-1-0.dll')).toBe('ole32.dll');
    expect(apiSetHost('api-ms-win-core-registry-l1-1-0.dll')).toBe('advapi32.dll');
    expect(apiSetHost('api-ms-win-crt-runtime-l1-1-0.dll')).toBe('ucrtbase.dll');
    expect(apiSetHost('api-ms-win-security-base-l1-1-0.dll')).toBe('advapi32.dll');
    expect(apiSetHost('api-ms-win-eventing-provider-l1-1-0.dll')).toBe('advapi32.dll');
    expect(apiSetHost('api-ms-win-shcore-scaling-l1-1-1.dll')).toBe('shcore.dll');
    expect(apiSetHost('api-ms-win-downlevel-shlwapi-l1-1-0.dll')).toBe('shlwapi.dll');
    expect(apiSetHost('ext-ms-win-ntuser-message-l1-1-0.dll')).toBe('user32.dll');
    expect(apiSetHost('ext-ms-win-gdi-dc-l1-2-0.dll')).toBe('gdi32.dll');
    expect(apiSetHost('api-ms-win-appmodel-runtime-l1-1-0.dll')).toBe('kernel32.dll');
    expect(apiSetHost('ext-ms-win-something-l1-1-0.dll')).toBeUndefined();
    expect(apiSetHost('kernel32.dll')).toBeUndefined();
  });

  test('LoadLibrary of an API set or kernelbase gives the host module, whose functions GetProcAddress finds', () => {
    const k32 = w.k32('GetModuleHandleA', w.str('kernel32.dll'));
    expect(w.k32('LoadLibraryA', w.str('api-ms-win-core-synch-l1-2-0.dll'))).toBe(k32);
    expect(w.k32('LoadLibraryA', w.str('KernelBase.dll'))).toBe(k32);
    const viaSet = w.k32('GetProcAddress', w.k32('LoadLibraryA', w.str('api-ms-win-core-sysinfo-l1-1-0.dll')), w.str('GetTickCount'));
    expect(viaSet).toBe(w.addr('kernel32.dll', 'GetTickCount'));
    expect(w.k32('LoadLibraryA', w.str('api-ms-win-core-com-l1-1-0.dll'))).toBe(w.k32('LoadLibraryA', w.str('ole32.dll')));
  });

  test('kernelbase is loaded from the start, as kernel32', () => {
    const k32 = w.k32('GetModuleHandleA', w.str('kernel32.dll'));
    expect(w.k32('GetModuleHandleW', w.wstr('kernelbase.dll'))).toBe(k32);
    expect(w.k32('GetProcAddress', k32, w.str('GetTickCount'))).toBe(w.addr('kernel32.dll', 'GetTickCount'));
  });

  test('API sets are never looked for as files', () => {
    // A file of that name next to the DLL does not win (the schema resolves them).
    expect(w.p.isKnownDll('api-ms-win-core-synch-l1-2-0.dll')).toBe(true);
    expect(w.p.isKnownDll('api-ms-win-crt-string-l1-1-0.dll')).toBe(true);
  });
});

describe('a DLL importing through API sets, kernelbase and a stub module (sysimports-msvc.dll)', () => {
  const m = () => w.loader.loadFile(`${BIN}sysimports-msvc.dll`);
  const call = (name: string, ...args: number[]) => {
    const mod = m();
    const n = [...mod.exports.byName.keys()].find((x) => x === `_${name}@${4 * args.length}` || x === name)!;
    return w.p.callGuest(w.loader.getProcAddress(mod, { name: n, hint: 0 })!, 'stdcall', args);
  };

  test('it loads; the API-set and kernelbase imports work', () => {
    const ft = w.buf(8);
    call('file_time', ft);
    const t = w.cpu.mem.u64(ft);
    expect(t > 116444736000000000n).toBe(true); // after 1970 in FILETIME units
    expect(call('process_id')).toBe(w.k32('GetCurrentProcessId'));
    expect(m().unimplementedImports).toContainEqual({ dll: 'dnsapi.dll', name: 'DnsQuery_A' });
  });

  test('the rarely used path fails only when taken, naming the function', () => {
    expect(() => call('dns_lookup', w.str('example.com'))).toThrow(/dnsapi\.dll!DnsQuery_A is not implemented by wowasm \(called from sysimports-msvc\.dll\+0x/);
  });

  test('wowasm info: the stub module and the API sets', () => {
    const pe = parsePe(new Uint8Array(fs.readFileSync(`${BIN}sysimports-msvc.dll`)), 'sysimports-msvc.dll');
    const deps = importCoverage(parseImports(pe), { dir: BIN });
    const by = Object.fromEntries(deps.map((d) => [d.dll, d]));
    expect(by['dnsapi.dll']!.source).toBe('stub-module');
    expect(by['dnsapi.dll']!.imports).toEqual([{ name: 'DnsQuery_A', ordinal: undefined, status: 'stub' }]);
    expect(by['api-ms-win-core-sysinfo-l1-1-0.dll']!.source).toBe('builtin');
    expect(by['api-ms-win-core-sysinfo-l1-1-0.dll']!.imports[0]!.status).toBe('implemented');
    expect(by['kernelbase.dll']!.imports[0]!.status).toBe('implemented');
    expect([by['api-ms-win-core-sysinfo-l1-1-0.dll']!.hostedBy, by['kernelbase.dll']!.hostedBy, by['dnsapi.dll']!.hostedBy]).toEqual(['kernel32.dll', 'kernel32.dll', undefined]);
    expect(summarize(deps).unloadable).toEqual([]);
    expect(locateDependency('iphlpapi.dll', { dir: BIN }).source).toBe('stub-module');
    expect(locateDependency('wowasm_no_such_dep.dll', { dir: BIN }).source).toBe('not-found');
    expect(registry.specs.some((s) => s.name === 'dnsapi.dll')).toBe(false); // no table: only the stub rule
  });
});
