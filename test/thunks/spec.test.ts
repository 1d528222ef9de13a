// Consistency of the built-in DLL tables: every handler takes exactly the arguments its entry declares,
// ANSI exports come with their wide partners, ordinals are unique, forwarders lead somewhere, and stack
// sizes follow from the argument lists.
import { describe, expect, test } from 'vitest';
import { BUILTIN_DLLS, KNOWN_DLLS } from '../../thunks/registry.js';
import { calleePops, registerArg, type Export, type FnExport } from '../../thunks/spec.js';

/** Exports Windows has in an ANSI form only. */
const ANSI_ONLY = new Set(['user32.dll!CharNextExA', 'user32.dll!CharPrevExA']);

const entries = BUILTIN_DLLS.flatMap((d) => Object.entries(d.exports).map(([name, e]) => ({ dll: d.name, name, e })));

describe.each(BUILTIN_DLLS.map((d) => [d.name, d] as const))('%s', (_name, dll) => {
  const exports = Object.entries(dll.exports) as [string, Export][];

  test('every handler takes the process, then exactly the declared arguments (and the VarArgs reader)', () => {
    const wrong = exports
      .filter((x): x is [string, FnExport] => x[1].kind === 'fn')
      .map(([name, e]) => ({ name, declared: 1 + e.args.length + (e.conv === 'varargs' ? 1 : 0), handler: e.impl.length }))
      .filter((x) => x.declared !== x.handler);
    expect(wrong).toEqual([]);
  });

  test('every ...A export has its ...W partner', () => {
    const names = new Set(exports.map(([n]) => n));
    const lonely = [...names].filter((n) => /[a-z0-9]A$/.test(n) && !names.has(n.slice(0, -1) + 'W') && !ANSI_ONLY.has(`${dll.name}!${n}`));
    expect(lonely).toEqual([]);
  });

  test('no ordinal is used twice', () => {
    const byOrdinal = new Map<number, string[]>();
    for (const [name, e] of exports) if (e.ordinal !== undefined) byOrdinal.set(e.ordinal, [...(byOrdinal.get(e.ordinal) ?? []), name]);
    expect([...byOrdinal].filter(([, names]) => names.length > 1)).toEqual([]);
  });

  test('the table is named in lower case and is a known DLL (or a C runtime an application may ship itself)', () => {
    expect(dll.name).toBe(dll.name.toLowerCase());
    if (!/^(msvcr\d+|vcruntime140(_1)?)\.dll$/.test(dll.name)) expect(KNOWN_DLLS).toContain(dll.name);
    else expect(KNOWN_DLLS).not.toContain(dll.name);
  });
});

test('forwarders name an implemented export of another built-in DLL', () => {
  const broken = entries
    .filter(({ e }) => e.kind === 'forward')
    .map(({ dll, name, e }) => {
      const to = (e as { to: string }).to;
      const [target, fn] = to.split('.') as [string, string];
      const spec = BUILTIN_DLLS.find((d) => d.name === `${target.toLowerCase()}.dll`);
      const t = spec?.exports[fn];
      return { at: `${dll}!${name}`, to, ok: t !== undefined && t.kind !== 'stub' && t.kind !== 'forward' };
    })
    .filter((x) => !x.ok);
  expect(broken).toEqual([]);
  expect(entries.filter(({ e }) => e.kind === 'forward').length).toBeGreaterThan(0);
});

test('the conventions: stdcall pops its arguments, cdecl and varargs leave them, int64/double take 8 bytes', () => {
  const k32 = BUILTIN_DLLS.find((d) => d.name === 'kernel32.dll')!.exports;
  const crt = BUILTIN_DLLS.find((d) => d.name === 'msvcrt.dll')!.exports;
  const nt = BUILTIN_DLLS.find((d) => d.name === 'ntdll.dll')!.exports;
  expect(calleePops(k32.WideCharToMultiByte as FnExport)).toBe(32);
  expect(calleePops(k32.GetTickCount as FnExport)).toBe(0);
  expect(calleePops(nt._alldiv as FnExport)).toBe(16);
  expect(calleePops(crt.memcpy as FnExport)).toBe(0);
  expect(calleePops(crt.sprintf as FnExport)).toBe(0);
  // Register arguments are not on the stack.
  expect(registerArg('fastcall', ['long', 'int64', 'long', 'long'], 0)).toBe('ecx');
  expect(registerArg('fastcall', ['long', 'int64', 'long', 'long'], 1)).toBeUndefined();
  expect(registerArg('fastcall', ['long', 'int64', 'long', 'long'], 2)).toBe('edx');
  expect(registerArg('fastcall', ['long', 'int64', 'long', 'long'], 3)).toBeUndefined();
  expect(registerArg('thiscall', ['ptr', 'long'], 0)).toBe('ecx');
  expect(calleePops({ kind: 'fn', conv: 'fastcall', args: ['long', 'float', 'long', 'double'], ret: 'void', impl: () => 0, reentrant: false, quiet: false })).toBe(12);
});
