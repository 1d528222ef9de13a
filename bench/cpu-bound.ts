// CPU-bound guest code against the same C compiled natively: int_work (integer mixing, loads/stores)
// and float_work (x87 double arithmetic), per iteration, emulated (JIT) vs native.
import { execFileSync } from 'node:child_process';
import { loadSync } from '../worker/index.js';
import { CPUBENCH, nativeCpubench } from './common.js';

export interface CpuResult {
  name: string;
  emulatedNsPerIter: number;
  nativeNsPerIter: number | undefined;
  sameResult: boolean | undefined;
}

function nativeRun(exe: string, kind: 'int' | 'float', n: number): { result: string; ns: number } {
  const out = execFileSync(exe, [kind, String(n)], { encoding: 'utf8' });
  const m = /=\s*(\S+).*?([\d.]+) ns\/iteration/.exec(out);
  if (!m) throw new Error(`unexpected native output: ${out}`);
  return { result: m[1]!, ns: Number(m[2]) };
}

export function cpuBound(): { results: CpuResult[]; note?: string } {
  const native = nativeCpubench();
  const results: CpuResult[] = [];
  for (const flavour of ['mingw', 'msvc'] as const) {
    const lib = loadSync(CPUBENCH(flavour), { timeoutMs: 0 });
    const intWork = lib.func('unsigned int int_work(unsigned int n)');
    const floatWork = lib.func('double float_work(int n)');
    for (const [kind, fn, n] of [
      ['int', intWork, 20_000_000],
      ['float', floatWork, 10_000_000],
    ] as const) {
      fn(100_000); // compile the hot loop first
      const t0 = performance.now();
      const r = fn(n);
      const ns = ((performance.now() - t0) * 1e6) / n;
      let nativeNs: number | undefined;
      let same: boolean | undefined;
      if ('path' in native) {
        const nr = nativeRun(native.path, kind, n);
        nativeNs = nr.ns;
        same = kind === 'int' ? Number(nr.result) === r : Number(nr.result) === r;
      }
      results.push({ name: `${kind === 'int' ? 'int_work' : 'float_work'} (${flavour} DLL)`, emulatedNsPerIter: ns, nativeNsPerIter: nativeNs, sameResult: same });
    }
    lib.close();
  }
  return { results, ...('error' in native ? { note: native.error } : {}) };
}
