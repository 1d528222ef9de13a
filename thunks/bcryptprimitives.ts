// bcryptprimitives.dll: ProcessPrng, where every random number generator of Windows 10 ends up
// (RtlGenRandom, CryptGenRandom, BCryptGenRandom). Bytes come from the host's CSPRNG (node:crypto).
import { randomFillSync } from 'node:crypto';
import type { Process } from './process.js';
import { dll, fn } from './spec.js';

/** Fills `length` bytes of guest memory at `addr` with cryptographically strong random bytes. */
export function fillRandom(p: Process, addr: number, length: number): void {
  const n = length >>> 0;
  if (n === 0) return;
  p.mem.write(addr, randomFillSync(new Uint8Array(n)));
}

/** ProcessPrng: always succeeds, as documented (a bad buffer faults, as it does on Windows). */
export function ProcessPrng(p: Process, pbData: number, cbData: number): boolean {
  fillRandom(p, pbData, cbData);
  return true;
}

export default dll('bcryptprimitives.dll', {
  ProcessPrng: fn('stdcall', ['ptr', 'long'], 'bool', ProcessPrng),
});
