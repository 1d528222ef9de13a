// The approach wowasm replaces: a separate process running the DLL's code, answering requests over a
// pipe. Here the child is the cpubench fixture built natively; requests are its binary protocol
// (12-byte request {fn, a, b}, 4-byte reply).
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { measureAsync, nativeCpubench, type Rate } from './common.js';

class Surrogate {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private buf: Buffer = Buffer.alloc(0);
  private waiting: { count: number; resolve: (b: Buffer) => void } | undefined;

  constructor(exe: string) {
    this.child = spawn(exe, ['serve'], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.child.stdout.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : Buffer.from(d);
      const w = this.waiting;
      if (w && this.buf.length >= w.count * 4) {
        const out = this.buf.subarray(0, w.count * 4);
        this.buf = this.buf.subarray(w.count * 4);
        this.waiting = undefined;
        w.resolve(out);
      }
    });
  }

  /** Sends `count` add requests at once and resolves with their replies. */
  calls(count: number, start: number): Promise<Buffer> {
    const req = Buffer.alloc(12 * count);
    for (let i = 0; i < count; i++) {
      req.writeUInt32LE(1, 12 * i);
      req.writeInt32LE(start + i, 12 * i + 4);
      req.writeInt32LE(1, 12 * i + 8);
    }
    return new Promise((resolve) => {
      this.waiting = { count, resolve };
      this.child.stdin.write(req);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

export async function surrogateCalls(): Promise<Rate[] | string> {
  const native = nativeCpubench();
  if ('error' in native) return native.error;
  const s = new Surrogate(native.path);
  const first = await s.calls(1, 41);
  if (first.readInt32LE(0) !== 42) throw new Error('surrogate answered wrongly');
  const awaited = await measureAsync(1_000, async () => {
    for (let i = 0; i < 1_000; i++) await s.calls(1, i);
  });
  const inFlight = await measureAsync(10_000, async () => {
    for (let k = 0; k < 10; k++) await s.calls(1_000, k);
  });
  s.close();
  return [
    { name: 'surrogate process (pipe): add, awaiting each call', perSecond: awaited },
    { name: 'surrogate process (pipe): add, 1,000 calls in flight', perSecond: inFlight },
  ];
}
