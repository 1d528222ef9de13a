// Import coverage from the files and the built-in DLL tables (the data behind `wowasm info` and the docs).
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { parsePe } from '../../loader/pe.js';
import { parseImports } from '../../loader/tables.js';
import { builtinExportStatus, importCoverage, locateDependency, summarize } from '../../worker/coverage.js';
import { registry } from '../../thunks/registry.js';
import fs from 'node:fs';

const dir = fileURLToPath(new URL('../../fixtures/bin/', import.meta.url));

function coverageOf(name: string) {
  const pe = parsePe(new Uint8Array(fs.readFileSync(dir + name)), name);
  return importCoverage(parseImports(pe), { dir });
}

test('built-in exports: implemented, stub, missing; ordinals', () => {
  expect(builtinExportStatus('KERNEL32.dll', { name: 'GetTickCount', hint: 0 }).status).toBe('implemented');
  expect(builtinExportStatus('kernel32', { name: 'GetSystemPowerStatus', hint: 0 }).status).not.toBe('implemented');
  expect(builtinExportStatus('kernel32.dll', { name: 'NoSuchFunctionAnywhere', hint: 0 }).status).toBe('missing');
  expect(builtinExportStatus('msvcrt.dll', { ordinal: 65000 }).status).toBe('missing');
});

test('every built-in forwarder is followed to its target', () => {
  for (const spec of registry.specs) {
    for (const [name, e] of Object.entries(spec.exports)) {
      if (e.kind !== 'forward') continue;
      const st = builtinExportStatus(spec.name, { name, hint: 0 });
      expect(st.forwardedTo, `${spec.name}!${name}`).toMatch(/^[a-z0-9_]+\.dll!/);
    }
  }
});

test('dependencies: KnownDLLs and built-ins, files next to the DLL, missing ones', () => {
  expect(locateDependency('KERNEL32.dll', { dir }).source).toBe('builtin');
  expect(locateDependency('deplib-mingw.dll', { dir })).toEqual({ source: 'file', path: dir + 'deplib-mingw.dll' });
  expect(locateDependency('wowasm_no_such_dep.dll', { dir }).source).toBe('not-found');
  expect(locateDependency('user32.dll', { dir }).source).toMatch(/^(builtin|unsupported)$/);
});

test('the fixtures: what build.sh lists is what coverage sees', () => {
  const demo = coverageOf('demo-msvc.dll');
  const s = summarize(demo);
  expect(s.total).toBe(11);
  expect(s.stub + s.missing).toBe(1); // GetSystemPowerStatus
  const dep = coverageOf('depuser-msvc.dll').find((d) => d.dll === 'deplib-msvc.dll')!;
  expect(dep.source).toBe('file');
  expect(dep.imports.map((i) => i.name)).toEqual(['dep_bump', 'dep_counter', '#7', 'dep_square', 'dep_tick']);
  expect(dep.imports.every((i) => i.status === 'real-dll' && i.exported === true)).toBe(true);
  const missing = summarize(coverageOf('needs-missing-mingw.dll'));
  expect(missing.unloadable).toEqual(['wowasm_no_such_dep.dll']);
});

