// Builds the npm package into dist/: esbuild bundles the library (dist/index.js), the CLI (dist/cli.js)
// and the worker-thread entry of the async API when there is one; tsc writes the type declarations.
// `node build.mjs` (npm run build); `--no-types` skips the declarations.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(root, 'dist');
const withTypes = !process.argv.includes('--no-types');

// load() starts its library thread from `thread.js` beside the running bundle (workerScript() in
// worker/async-library.ts), so the thread entry is bundled as its own file next to dist/index.js.
const WORKER_ENTRIES = ['worker/thread.ts'];

fs.rmSync(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // Kept as dependencies: v86's wasm is found at run time with createRequire('v86/build/v86.wasm').
  external: ['v86', 'pe-library', 'comlink'],
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const entries = [{ in: 'worker/index.ts', out: 'index' }];
for (const e of WORKER_ENTRIES) if (fs.existsSync(path.join(root, e))) entries.push({ in: e, out: path.basename(e, '.ts') });

await esbuild.build({ ...common, absWorkingDir: root, entryPoints: entries, outdir: dist });
await esbuild.build({
  ...common,
  absWorkingDir: root,
  entryPoints: [{ in: 'worker/cli.ts', out: 'cli' }],
  outdir: dist,
  banner: { js: '#!/usr/bin/env node' },
});
fs.chmodSync(path.join(dist, 'cli.js'), 0o755);

if (withTypes) {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  // The package's "types": dist/index.d.ts, next to dist/index.js, re-exports the emitted tree.
  fs.writeFileSync(path.join(dist, 'index.d.ts'), "export * from './types/worker/index.js';\n");
}

const built = fs.readdirSync(dist).filter((f) => f.endsWith('.js'));
console.log(`built ${built.map((f) => `dist/${f}`).join(', ')}${withTypes ? ' and type declarations' : ''}`);
