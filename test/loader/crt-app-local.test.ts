// An application's own C runtime: msvcr70-120 and vcruntime140 are not KnownDLLs on Windows, so a copy in
// the DLL's folder is what the DLL gets. wowasm's built-in ones stand in only when no such file is there;
// msvcrt.dll (a KnownDLL) is always the built-in one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { encodeString } from '../../thunks/text.js';
import { Runtime } from '../../worker/runtime.js';

const BIN = path.resolve('fixtures/bin');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function folderWith(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-crt-'));
  dirs.push(d);
  for (const [as, from] of Object.entries(files)) fs.copyFileSync(path.join(BIN, from), path.join(d, as));
  return d;
}

function k32(rt: Runtime, name: string, ...args: number[]): number {
  return rt.process.callGuest(rt.process.builtinDll('kernel32.dll')!.resolve({ name }, false)!, 'stdcall', args);
}
function str(rt: Runtime, s: string): number {
  const { bytes } = encodeString(s, 1252);
  const a = rt.process.heap.alloc(bytes.length + 1, true);
  rt.cpu.mem.write(a, bytes);
  return a;
}

test('a real msvcr71.dll next to the DLL is loaded instead of the built-in one', () => {
  // deplib-msvc.dll under the name msvcr71.dll: recognizable by its exports.
  const dir = folderWith({ 'demo-msvc.dll': 'demo-msvc.dll', 'msvcr71.dll': 'deplib-msvc.dll' });
  const rt = new Runtime(path.join(dir, 'demo-msvc.dll'));
  try {
    const h = k32(rt, 'LoadLibraryA', str(rt, 'MSVCR71.DLL'));
    const m = rt.loader.find('msvcr71.dll');
    expect(m?.kind).toBe('pe');
    expect(m && 'path' in m ? m.path : undefined).toBe(path.join(dir, 'msvcr71.dll'));
    expect(h).toBe(m!.base);
    expect(k32(rt, 'GetProcAddress', h, str(rt, 'dep_square'))).not.toBe(0);
    expect(k32(rt, 'GetProcAddress', h, str(rt, 'sprintf'))).toBe(0);
  } finally {
    rt.close();
  }
});

test('without such a file the built-in msvcr71.dll answers; a msvcrt.dll file is ignored (a KnownDLL)', () => {
  const dir = folderWith({ 'demo-msvc.dll': 'demo-msvc.dll', 'msvcrt.dll': 'deplib-msvc.dll' });
  const rt = new Runtime(path.join(dir, 'demo-msvc.dll'));
  try {
    const h = k32(rt, 'LoadLibraryA', str(rt, 'msvcr71.dll'));
    expect(h).toBe(rt.process.builtinDll('msvcr71.dll')!.base);
    expect(rt.loader.find('msvcr71.dll')?.kind).toBe('builtin');
    expect(k32(rt, 'GetProcAddress', h, str(rt, 'sprintf'))).not.toBe(0);
    expect(k32(rt, 'LoadLibraryA', str(rt, 'msvcrt.dll'))).toBe(rt.process.builtinDll('msvcrt.dll')!.base);
    expect(rt.loader.find('msvcrt.dll')?.kind).toBe('builtin');
  } finally {
    rt.close();
  }
});

test('vcruntime140.dll shipped with the DLL wins too', () => {
  const dir = folderWith({ 'demo-msvc.dll': 'demo-msvc.dll', 'vcruntime140.dll': 'deplib-msvc.dll' });
  const rt = new Runtime(path.join(dir, 'demo-msvc.dll'));
  try {
    k32(rt, 'LoadLibraryA', str(rt, 'vcruntime140.dll'));
    expect(rt.loader.find('vcruntime140.dll')?.kind).toBe('pe');
  } finally {
    rt.close();
  }
});
