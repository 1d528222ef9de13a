// npm run bench: every scenario in one run, side by side, with the ratios the targets are about.
import { asyncCalls } from './async-calls.js';
import { fmtRate, versions, type Rate } from './common.js';
import { cpuBound } from './cpu-bound.js';
import { surrogateCalls } from './surrogate.js';
import { syncCalls } from './sync-calls.js';

const line = (s = '') => console.log(s);

line(`wowasm benchmarks — ${versions()}`);
line();
const sync = syncCalls();
const async = await asyncCalls();
const surrogate = await surrogateCalls();
const rates: Rate[] = [...sync, ...async, ...(typeof surrogate === 'string' ? [] : surrogate)];
line('Trivial calls (higher is better)');
for (const r of rates) line(`  ${r.name.padEnd(56)} ${fmtRate(r.perSecond).padStart(12)}`);
if (typeof surrogate === 'string') line(`  surrogate process: not measured — ${surrogate}`);
line();

const find = (prefix: string) => rates.find((r) => r.name.startsWith(prefix))?.perSecond;
const syncRate = find('sync in-thread: add')!;
const awaited = find('async worker: add, awaiting')!;
const inFlight = find('async worker: add, 1,000')!;
const surAwaited = find('surrogate process (pipe): add, awaiting');
const surInFlight = find('surrogate process (pipe): add, 1,000');
const check = (ok: boolean) => (ok ? 'met' : 'NOT MET');
line('Targets');
line(`  sync in-thread ≥ 1,000,000 calls/s: ${fmtRate(syncRate)} — ${check(syncRate >= 1e6)}`);
if (surAwaited) {
  line(`  async awaiting each call ≥ 1.5× surrogate: ${(awaited / surAwaited).toFixed(2)}× — ${check(awaited >= 1.5 * surAwaited)}`);
  line(`  async with 1,000 in flight ≥ 10× surrogate (its awaited rate): ${(inFlight / surAwaited).toFixed(2)}× — ${check(inFlight >= 10 * surAwaited)}`);
  if (surInFlight) line(`  (for comparison, with 1,000 in flight on both sides: ${(inFlight / surInFlight).toFixed(2)}× the surrogate)`);
}
line();

const cpu = cpuBound();
line('CPU-bound guest code, ns per iteration (lower is better)');
for (const r of cpu.results) {
  const ratio = r.nativeNsPerIter ? r.nativeNsPerIter / r.emulatedNsPerIter : undefined;
  line(
    `  ${r.name.padEnd(24)} emulated ${r.emulatedNsPerIter.toFixed(1).padStart(7)}  native ${r.nativeNsPerIter?.toFixed(1).padStart(6) ?? '   n/a'}` +
      (ratio ? `  speed ${(ratio * 100).toFixed(1)}% of native (1/${(1 / ratio).toFixed(1)})` : '') +
      (r.sameResult === false ? '  RESULTS DIFFER' : r.sameResult ? '  same result' : ''),
  );
}
if (cpu.note) line(`  native: not measured — ${cpu.note}`);
const intRatios = cpu.results.filter((r) => r.name.startsWith('int_work') && r.nativeNsPerIter).map((r) => r.nativeNsPerIter! / r.emulatedNsPerIter);
if (intRatios.length) line(`  integer code ≥ 1/8 of native: best ${(Math.max(...intRatios) * 100).toFixed(1)}% — ${check(Math.max(...intRatios) >= 1 / 8)}`);
