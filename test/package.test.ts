// The npm package as a user gets it: `npm run build`, `npm pack`, install the tarball into a fresh
// project, import it from ESM, type-check a strict TypeScript file against it, and run its `wowasm` bin.
// Slow (a build and an npm install), so it is the only test in this file.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const demo = path.join(root, 'fixtures/bin/demo-mingw.dll');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wowasm-package-'));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}) in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('build, pack, install, import, type-check and run the bin', () => {
  run(npm, ['run', 'build'], root);
  for (const f of ['index.js', 'index.d.ts', 'cli.js', 'thread.js']) expect(fs.existsSync(path.join(root, 'dist', f)), f).toBe(true);
  expect(fs.statSync(path.join(root, 'dist/cli.js')).mode & 0o111).not.toBe(0);
  expect(fs.readFileSync(path.join(root, 'dist/cli.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);

  // Pack what `npm publish` would (the build just ran; no lifecycle scripts).
  const packOut = run(npm, ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], root);
  const tarball = path.join(tmp, (JSON.parse(packOut) as { filename: string }[])[0]!.filename);
  expect(fs.existsSync(tarball)).toBe(true);

  // A fresh project depending on the tarball. Its dependencies (v86, pe-library, comlink) come from the
  // npm cache that `npm ci` filled; offline first, the registry only if the cache lacks something.
  const proj = path.join(tmp, 'project');
  fs.mkdirSync(proj);
  fs.writeFileSync(path.join(proj, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module' }, null, 2));
  try {
    run(npm, ['install', tarball, '--offline', '--no-audit', '--no-fund'], proj);
  } catch {
    run(npm, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund'], proj);
  }

  // ESM import from the package name.
  fs.writeFileSync(
    path.join(proj, 'main.mjs'),
    [
      "import { load, loadSync, struct } from 'wowasm';",
      "struct('PkgPoint', { x: 'double', y: 'double' });",
      'const lib = loadSync(process.argv[2]);',
      "console.log(lib.func('int __stdcall add(int a, int b)')(2, 3));",
      'lib.close();',
      '// the async API: the library thread is dist/thread.js',
      'const alib = await load(process.argv[2]);',
      "console.log(await alib.func('int __stdcall add(int a, int b)')(20, 3));",
      'await alib.close();',
    ].join('\n'),
  );
  expect(run(process.execPath, ['main.mjs', demo], proj)).toBe('5\n23\n');

  // Types: a strict TypeScript consumer, checked with tsc against the installed package.
  fs.writeFileSync(
    path.join(proj, 'check.ts'),
    [
      "import { load, loadSync, struct, WowasmError, type AsyncLibrary, type CType, type ForeignFunction, type Library, type LoadOptions } from 'wowasm';",
      "const Point: CType = struct('Point', { x: 'double', y: 'double' });",
      'const opts: LoadOptions = { timeoutMs: 1000, charset: "utf-8" };',
      "const lib: Library = loadSync('demo.dll', opts);",
      "const add: ForeignFunction = lib.func('int __stdcall add(int a, int b)');",
      'const sum = add(2, 3) as number;',
      'const at: number = lib.memory.alloc(Point.size);',
      'const bytes: Uint8Array = lib.memory.read(at, 4);',
      "const err = new WowasmError('WOWASM_X', 'message');",
      'const code: string = err.code;',
      'console.log(sum + bytes.length, code, lib.exports().map((e) => e.name));',
      'async function viaThread(): Promise<number> {',
      "  const alib: AsyncLibrary = await load('demo.dll', opts);",
      "  const r = (await alib.func('int __stdcall add(int a, int b)')(2, 3)) as number;",
      '  await alib.close();',
      '  return r;',
      '}',
      'void viaThread();',
      '// @ts-expect-error: loadSync needs a path',
      'loadSync();',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(proj, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        target: 'ES2022',
        types: ['node'],
        typeRoots: [path.join(root, 'node_modules/@types')],
      },
      files: ['check.ts'],
    }),
  );
  run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], proj);

  // The bin, as npm linked it.
  const bin = path.join(proj, 'node_modules/.bin/wowasm');
  expect(run(process.execPath, [bin, 'call', demo, 'int __stdcall add(int a, int b)', '2', '3'], proj)).toBe('5\n');
  expect(run(bin, ['--version'], proj).trim()).toBe((JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version);
  expect(run(bin, ['info', demo], proj)).toMatch(/add@8/);
});
