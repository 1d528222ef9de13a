// Trivial calls in this thread: loadSync + a cdecl add(a, b).
import { loadSync } from '../worker/index.js';
import { CPUBENCH, measure, type Rate } from './common.js';

export function syncCalls(): Rate[] {
  const lib = loadSync(CPUBENCH('mingw'));
  const add = lib.func('int add(int a, int b)');
  const nop = lib.func('int nop(void)');
  let sink = 0;
  const addRate = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) sink += add(i, 1) as number;
  });
  const nopRate = measure(10_000, () => {
    for (let i = 0; i < 10_000; i++) sink += nop() as number;
  });
  lib.close();
  if (sink === 0.5) console.log(''); // keep the results alive
  return [
    { name: 'sync in-thread: add(a, b)', perSecond: addRate },
    { name: 'sync in-thread: nop()', perSecond: nopRate },
  ];
}
