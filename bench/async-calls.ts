// Trivial calls through load(): awaiting each call, and 1,000 calls in flight at a time.
import { load } from '../worker/index.js';
import { CPUBENCH, measureAsync, type Rate } from './common.js';

export async function asyncCalls(): Promise<Rate[]> {
  const lib = await load(CPUBENCH('mingw'));
  const add = lib.func('int add(int a, int b)');
  const awaited = await measureAsync(1_000, async () => {
    for (let i = 0; i < 1_000; i++) await add(i, 1);
  });
  const inFlight = await measureAsync(10_000, async () => {
    for (let k = 0; k < 10; k++) await Promise.all(Array.from({ length: 1_000 }, (_, i) => add(i, 1)));
  });
  await lib.close();
  return [
    { name: 'async worker: add, awaiting each call', perSecond: awaited },
    { name: 'async worker: add, 1,000 calls in flight', perSecond: inFlight },
  ];
}
