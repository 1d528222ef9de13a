// The call channel between a library's thread and its user: SharedArrayBuffers with sequence counters.
// Calls issued in one tick travel as one batch; results come back as one message; callbacks into the
// user's thread block the library thread until their result arrives. Messages too big for a buffer go
// through a MessagePort and are received synchronously on the other side.

import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

/** Indices into the control block (Int32Array). */
export const CTL = {
  /** main -> worker: batches written. */
  REQ_SEQ: 0,
  /** worker -> main: batches taken (the request buffer is free again). */
  REQ_ACK: 1,
  /** worker -> main: messages written (results or callback requests). */
  RES_SEQ: 2,
  /** main -> worker: messages taken. */
  RES_ACK: 3,
  /** main -> worker: callback results written. */
  CB_SEQ: 4,
  /** main -> worker: bumped with every REQ_SEQ or CB_SEQ change; the worker sleeps on this one word. */
  DOORBELL: 5,
  /** worker: 1 once its loop runs, 2 after close. */
  STATE: 6,
} as const;

export const MSG = {
  // requests
  DEFINE: 1,
  CALL: 2,
  OP: 3,
  // responses
  RESULTS: 10,
  CALLBACK: 11,
  /** Console output only (every response starts with the output written since the last one). */
  OUTPUT: 12,
} as const;

const BUFFER_BYTES = 1 << 20;
/** Length word meaning "the payload is in the port". */
const VIA_PORT = 0xffff_ffff;

export interface SharedChannel {
  ctl: SharedArrayBuffer;
  req: SharedArrayBuffer;
  res: SharedArrayBuffer;
  cb: SharedArrayBuffer;
}

export function createSharedChannel(): SharedChannel {
  return {
    ctl: new SharedArrayBuffer(64),
    req: new SharedArrayBuffer(BUFFER_BYTES),
    res: new SharedArrayBuffer(BUFFER_BYTES),
    cb: new SharedArrayBuffer(BUFFER_BYTES),
  };
}

/** One direction of the channel: a buffer holding one message at a time, and the port for big ones. */
export class Mailbox {
  private readonly bytes: Uint8Array;
  private readonly dv: DataView;

  constructor(
    buffer: SharedArrayBuffer,
    private readonly port: MessagePort,
  ) {
    this.bytes = new Uint8Array(buffer);
    this.dv = new DataView(buffer);
  }

  write(payload: Uint8Array): void {
    if (payload.length + 4 > this.bytes.length) {
      this.dv.setUint32(0, VIA_PORT, true);
      const copy = payload.slice();
      this.port.postMessage(copy, [copy.buffer]);
      return;
    }
    this.dv.setUint32(0, payload.length, true);
    this.bytes.set(payload, 4);
  }

  read(): Uint8Array {
    const n = this.dv.getUint32(0, true);
    if (n !== VIA_PORT) return this.bytes.slice(4, 4 + n);
    // The writer posted before bumping the sequence number, so the message is already queued.
    for (;;) {
      const m = receiveMessageOnPort(this.port);
      if (m) return m.message as Uint8Array;
    }
  }
}

/** Spins briefly (the other side usually answers within microseconds), then sleeps. */
export function waitChange(ctl: Int32Array, index: number, seen: number, spinMicros: number): void {
  if (Atomics.load(ctl, index) !== seen) return;
  const until = performance.now() + spinMicros / 1000;
  while (performance.now() < until) if (Atomics.load(ctl, index) !== seen) return;
  while (Atomics.load(ctl, index) === seen) Atomics.wait(ctl, index, seen);
}

/** As waitChange, but sleeping without blocking this thread's event loop. */
export async function waitChangeAsync(ctl: Int32Array, index: number, seen: number, spinMicros: number): Promise<void> {
  if (Atomics.load(ctl, index) !== seen) return;
  const until = performance.now() + spinMicros / 1000;
  while (performance.now() < until) if (Atomics.load(ctl, index) !== seen) return;
  while (Atomics.load(ctl, index) === seen) {
    const r = Atomics.waitAsync(ctl, index, seen);
    if (r.async) await r.value;
  }
}

export function bump(ctl: Int32Array, index: number): void {
  Atomics.add(ctl, index, 1);
  Atomics.notify(ctl, index);
}
