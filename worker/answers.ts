// Questions the library thread must have answered before the guest can go on (onMessageBox): the
// question goes to the user's thread through comlink, like console output; the answer comes back in a
// SharedArrayBuffer the library thread sleeps on. The user's function may be async. An error it throws
// travels back as data and is thrown again in the library thread, so the guest call fails with it.

import { bump, CTL } from './channel.js';
import { deserializeError, serializeError, type SerializedError } from './remote-errors.js';

const SEQ = 0;
const STATUS = 1;
const VALUE = 2;
const LENGTH = 3;
const HEADER = 16;
const PAYLOAD = 8192;

const OK = 0;
const NO_ANSWER = 1;
const FAILED = 2;

export function createAnswerBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + PAYLOAD);
}

/** The answer sequence number now; the library thread waits for it to change. */
export function answerSeq(buffer: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(buffer, 0, 4), SEQ);
}

/**
 * The user's side: a function comlink can call with each question. It runs `fn`, writes the answer (a
 * number, nothing, or the error), and wakes the library thread through the channel's doorbell.
 */
export function answerer<Q>(buffer: SharedArrayBuffer, ctl: SharedArrayBuffer, fn: (q: Q) => unknown): (q: Q) => void {
  const head = new Int32Array(buffer, 0, 4);
  const bytes = new Uint8Array(buffer, HEADER);
  const bell = new Int32Array(ctl);
  const write = (status: number, value: number, error?: SerializedError) => {
    Atomics.store(head, STATUS, status);
    Atomics.store(head, VALUE, value);
    if (error) {
      let json = new TextEncoder().encode(JSON.stringify(error));
      if (json.length > PAYLOAD) json = new TextEncoder().encode(JSON.stringify({ name: error.name, message: error.message.slice(0, 4000), code: error.code }));
      bytes.set(json.subarray(0, PAYLOAD));
      Atomics.store(head, LENGTH, Math.min(json.length, PAYLOAD));
    }
    Atomics.add(head, SEQ, 1);
    Atomics.notify(head, SEQ);
    bump(bell, CTL.DOORBELL);
  };
  return (q) => {
    Promise.resolve()
      .then(() => fn(q))
      .then(
        (v) => {
          if (v === undefined || v === null) write(NO_ANSWER, 0);
          else if (typeof v === 'number' && Number.isInteger(v)) write(OK, v);
          else write(FAILED, 0, serializeError(new TypeError(`the answer must be a button id (an integer), not ${typeof v === 'string' ? JSON.stringify(v) : typeof v}`)));
        },
        (e) => write(FAILED, 0, serializeError(e)),
      );
  };
}

/** The library thread's side, once the sequence number moved: the number, undefined, or the error thrown. */
export function readAnswer(buffer: SharedArrayBuffer): number | undefined {
  const head = new Int32Array(buffer, 0, 4);
  const status = Atomics.load(head, STATUS);
  if (status === OK) return Atomics.load(head, VALUE);
  if (status === NO_ANSWER) return undefined;
  const json = new Uint8Array(buffer, HEADER, Atomics.load(head, LENGTH)).slice();
  throw deserializeError(JSON.parse(new TextDecoder().decode(json)) as SerializedError);
}
