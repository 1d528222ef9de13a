// Shared helpers of the benchmarks: timing loops, the native build of the cpubench fixture, versions.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const CPUBENCH = (flavour: 'mingw' | 'msvc') => path.join(ROOT, 'fixtures', 'bin', `cpubench-${flavour}.dll`);

export interface Rate {
  name: string;
  perSecond: number;
  note?: string;
}

/** Runs `batch` (which performs `perBatch` operations) until `ms` have passed; returns operations/s. */
export function measure(perBatch: number, batch: () => void, ms = 1500): number {
  batch(); // warm-up
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    batch();
    n += perBatch;
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

export async function measureAsync(perBatch: number, batch: () => Promise<void>, ms = 1500): Promise<number> {
  await batch();
  let n = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < ms) {
    await batch();
    n += perBatch;
    t = performance.now();
  }
  return (n / (t - t0)) * 1000;
}

/** The cpubench fixture built natively (`gcc -m32 -O2 -march=i686`, the DLLs' own flags), or why not. */
export function nativeCpubench(): { path: string } | { error: string } {
  const out = path.join(ROOT, 'node_modules', '.cache', 'wowasm', 'cpubench-native');
  const src = path.join(ROOT, 'fixtures', 'cpubench', 'native.c');
  try {
    if (!fs.existsSync(out) || fs.statSync(out).mtimeMs < fs.statSync(src).mtimeMs) {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      execFileSync('gcc', ['-m32', '-O2', '-march=i686', '-o', out, src], { stdio: 'pipe' });
    }
    return { path: out };
  } catch (e) {
    return { error: `gcc -m32 failed (install gcc-multilib): ${(e as Error).message.split('\n')[0]}` };
  }
}

export function versions(): string {
  const require = createRequire(import.meta.url);
  const v86 = (JSON.parse(fs.readFileSync(require.resolve('v86/package.json'), 'utf8')) as { version: string }).version;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `Node ${process.version}, v86 ${v86}, ${os.cpus().length} × ${cpu}, ${os.platform()} ${os.arch()}`;
}

export function fmtRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M/s` : r >= 1e3 ? `${(r / 1e3).toFixed(1)} k/s` : `${r.toFixed(0)} /s`;
}
