// Bundles the benchmarks next to the built library (dist/, which holds the library thread's script)
// and runs them. `npm run bench` builds dist first.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist', 'bench.mjs');
await esbuild.build({
  entryPoints: [path.join(root, 'bench', 'run.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: out,
  external: ['v86', 'pe-library', 'comlink'],
  logLevel: 'warning',
});
const r = spawnSync(process.execPath, [out], { stdio: 'inherit' });
process.exit(r.status ?? 1);
