// Anonymous pipes (CreatePipe): a byte queue with a read end and a write end, each a kernel object of
// its own, so closing the last handle of one end is what the other end sees. Reads wait while the pipe
// is empty and a writer exists; writes wait while the pipe is full and a reader exists (both through
// Scheduler.retry). With the other end gone, a read gets ERROR_BROKEN_PIPE and a write ERROR_NO_DATA.
import type { KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { fn } from '../spec.js';
import { WouldBlock } from '../threads.js';
import { fail } from '../vfs/path.js';
import { ERROR } from '../win32.js';

/** Windows' buffer for a pipe created with nSize 0 (one page). */
const DEFAULT_PIPE_SIZE = 4096;

class PipeQueue {
  private chunks: Uint8Array[] = [];
  size = 0;
  readers = 1;
  writers = 1;
  constructor(readonly capacity: number) {}

  /** The first n bytes (or fewer), removed from the queue when `remove`. */
  take(n: number, remove: boolean): Uint8Array {
    const out = new Uint8Array(Math.min(n, this.size));
    let at = 0;
    let whole = 0; // chunks taken completely
    while (at < out.length) {
      const c = this.chunks[whole]!;
      const k = Math.min(c.length, out.length - at);
      out.set(c.subarray(0, k), at);
      at += k;
      if (k < c.length) {
        if (remove) this.chunks[whole] = c.subarray(k);
        break;
      }
      whole++;
    }
    if (remove) {
      this.chunks.splice(0, whole);
      this.size -= out.length;
    }
    return out;
  }

  put(data: Uint8Array): void {
    this.chunks.push(data.slice());
    this.size += data.length;
  }
}

export interface PipeEnd extends KernelObject {
  readonly type: 'pipe';
  readonly end: 'read' | 'write';
  readonly queue: PipeQueue;
}

function endObject(queue: PipeQueue, end: 'read' | 'write', p: Process): PipeEnd {
  return {
    type: 'pipe',
    end,
    queue,
    close: () => {
      if (end === 'read') queue.readers--;
      else queue.writers--;
      p.scheduler.wakeWaiters(); // a thread waiting on the other end sees the change
    },
  };
}

/** The read end of a pipe that is empty and can never fill again. */
export function pipeAtEnd(o: PipeEnd): boolean {
  return o.end === 'read' && o.queue.size === 0 && o.queue.writers === 0;
}

/** Reads up to n bytes: what is there, or the end of the pipe once every writer has gone. */
export function pipeRead(o: PipeEnd, n: number): Uint8Array {
  if (o.end !== 'read') fail(ERROR.ACCESS_DENIED);
  const q = o.queue;
  if (q.size === 0) {
    if (q.writers === 0) fail(ERROR.BROKEN_PIPE);
    if (n === 0) return new Uint8Array(0);
    throw new WouldBlock('a read from an empty pipe');
  }
  return q.take(n, true);
}

/**
 * Writes as much of `data` as fits (at least one byte, unless it is empty) and returns the count;
 * WouldBlock while the pipe is full. A write to a pipe nobody can read is ERROR_NO_DATA.
 */
export function pipeWrite(o: PipeEnd, data: Uint8Array): number {
  if (o.end !== 'write') fail(ERROR.ACCESS_DENIED);
  const q = o.queue;
  if (q.readers === 0) fail(ERROR.NO_DATA);
  const room = q.capacity - q.size;
  if (data.length && room <= 0) throw new WouldBlock('a write to a full pipe');
  const n = Math.min(room, data.length);
  q.put(data.subarray(0, n));
  return n;
}

export function CreatePipe(p: Process, readOut: number, writeOut: number, _sa: number, size: number): boolean {
  if (!readOut || !writeOut) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const q = new PipeQueue(size > 0 ? size : DEFAULT_PIPE_SIZE);
  p.mem.setU32(readOut, p.handles.add(endObject(q, 'read', p)));
  p.mem.setU32(writeOut, p.handles.add(endObject(q, 'write', p)));
  return true;
}

/** PeekNamedPipe on the read end: copies without taking; the counts of what is there. */
export function PeekNamedPipe(p: Process, h: number, buf: number, n: number, readOut: number, availOut: number, leftOut: number): boolean {
  const o = p.handles.get<PipeEnd>(h, 'pipe');
  if (!o) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (pipeAtEnd(o)) {
    p.setLastError(ERROR.BROKEN_PIPE);
    return false;
  }
  const q = o.queue;
  const data = buf && n ? q.take(n, false) : new Uint8Array(0);
  if (data.length) p.mem.write(buf, data);
  if (readOut) p.mem.setU32(readOut, data.length);
  if (availOut) p.mem.setU32(availOut, q.size);
  if (leftOut) p.mem.setU32(leftOut, 0); // byte-mode pipes have no messages
  return true;
}

export const pipeApi = {
  CreatePipe: fn('stdcall', ['ptr', 'ptr', 'ptr', 'long'], 'bool', CreatePipe),
  PeekNamedPipe: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr', 'ptr'], 'bool', PeekNamedPipe),
};
