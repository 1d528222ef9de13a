// The library thread: runs a sync Library and serves the call channel (batches of calls and operations
// in, results and callback requests out). comlink carries the control plane: start-up, the guest's
// console output and API trace going back to the user's thread, and questions that need an answer
// (message boxes), whose answers come back through worker/answers.ts.

import { parentPort, type MessagePort } from 'node:worker_threads';
import { answerSeq, readAnswer } from './answers.js';
import { Comlink, nodeEndpoint } from './comlink.js';
import { WowasmError } from '../emulator/errors.js';
import { bump, CTL, Mailbox, MSG, waitChange, waitChangeAsync, type SharedChannel } from './channel.js';
import { Reader, Writer } from './codec.js';
import { Library, type ForeignFunction, type LoadOptions } from './library.js';
import { deserializeError, serializeError, type SerializedError } from './remote-errors.js';
import type { FunctionProto } from './types.js';
import type { MessageBoxEvent } from '../thunks/user32/messagebox.js';

/** How long the thread keeps polling for the next request before it sleeps (µs). */
const SPIN_MICROS = 200;

export interface InitArgs {
  file: string;
  opts: Omit<LoadOptions, 'output' | 'stdio' | 'trace' | 'onMessageBox'>;
  channel: SharedChannel;
  /** Ports for messages too big for the shared buffers: requests in, results out, callback results in. */
  reqPort: MessagePort;
  resPort: MessagePort;
  cbPort: MessagePort;
  /** The trace sink in the user's thread (a comlink proxy; calls return promises nobody waits for). */
  trace?: (line: string) => unknown;
  /** The user's onMessageBox (a comlink proxy) and the buffer its answers come back in. */
  messageBox?: (e: MessageBoxEvent) => unknown;
  answers?: SharedArrayBuffer;
}

export interface InitResult {
  path: string;
  exportNames: string[];
  /** What the DLL wrote to the console while loading. */
  output: OutputChunk[];
}

/** Console output on its way to the user's thread: 0 = stdout, 1 = stderr. */
export type OutputChunk = [0 | 1, Uint8Array];

/** Output is sent ahead of the call results once this much is waiting, or once it waited this long. */
const OUTPUT_FLUSH_BYTES = 1 << 16;
const OUTPUT_FLUSH_MS = 50;

/** One entry of a result batch. */
type Outcome = { callId: number; ok: true; value: unknown; copyBack: [number, unknown][] } | { callId: number; ok: false; error: SerializedError };

class LibraryHost {
  private lib!: Library;
  private ctl!: Int32Array;
  private req!: Mailbox;
  private res!: Mailbox;
  private cb!: Mailbox;
  private readonly fns = new Map<number, ForeignFunction>();
  private readonly out = new Writer(1 << 16);
  private reqSeen = 0;
  private cbSeen = 0;
  private resAckSeen = 0;
  private closed = false;
  /** Console output not yet sent; it goes out ahead of the next message, so it arrives before the results. */
  private output: OutputChunk[] = [];
  private outputBytes = 0;
  private outputSince = 0;
  private serving = false;

  /** Loads the DLL; errors come back as data so the user's thread can re-create their class. */
  start(a: InitArgs, trace?: InitArgs['trace'], messageBox?: InitArgs['messageBox']): InitResult | { error: SerializedError; output: OutputChunk[] } {
    try {
      return this.init({ ...a, ...(trace ? { trace } : {}), ...(messageBox ? { messageBox } : {}) });
    } catch (e) {
      return { error: serializeError(e), output: this.takeOutput() };
    }
  }

  /** The guest's console output: kept, and sent early when much is waiting or it has waited long. */
  private captureOutput(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    if (this.output.length === 0) this.outputSince = performance.now();
    this.output.push([stream === 'stdout' ? 0 : 1, bytes.slice()]);
    this.outputBytes += bytes.length;
    if (this.serving && (this.outputBytes >= OUTPUT_FLUSH_BYTES || performance.now() - this.outputSince >= OUTPUT_FLUSH_MS)) this.send(MSG.OUTPUT, () => {});
  }

  private takeOutput(): OutputChunk[] {
    const out = this.output;
    this.output = [];
    this.outputBytes = 0;
    return out;
  }

  private init(a: InitArgs): InitResult {
    // Console output travels with the results (so it arrives before them); the user's thread decides
    // where it goes. Traces go to the user's thread without waiting for an answer.
    const opts: LoadOptions = { ...a.opts, stdio: 'ignore', output: (stream, bytes) => this.captureOutput(stream, bytes) };
    if (a.trace) opts.trace = (line) => void a.trace!(line);
    // A message box waits for the user's answer (DllMain may show one too, so the channel is set up first).
    if (a.messageBox && a.answers) opts.onMessageBox = (e) => this.ask(a.messageBox!, a.answers!, e);
    this.ctl = new Int32Array(a.channel.ctl);
    this.req = new Mailbox(a.channel.req, a.reqPort);
    this.res = new Mailbox(a.channel.res, a.resPort);
    this.cb = new Mailbox(a.channel.cb, a.cbPort);
    this.lib = new Library(a.file, opts);
    void this.serve();
    return { path: this.lib.path, exportNames: [...this.lib.runtime.main.exports.byName.keys()], output: this.takeOutput() };
  }

  /** The main loop: wait (without blocking comlink) for a batch, run it, send the results. */
  private async serve(): Promise<void> {
    Atomics.store(this.ctl, CTL.STATE, 1);
    this.serving = true;
    // Waiting with Atomics.waitAsync holds no handle: without one, this thread's event loop would end
    // (and the thread exit) the first time it goes idle.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      while (!this.closed) {
        await waitChangeAsync(this.ctl, CTL.REQ_SEQ, this.reqSeen, SPIN_MICROS);
        this.runBatch();
      }
    } finally {
      clearInterval(keepAlive);
      Atomics.store(this.ctl, CTL.STATE, 2);
    }
  }

  /** Takes the pending batch, runs every entry in order, and sends one message with all outcomes. */
  private runBatch(): void {
    this.reqSeen = Atomics.load(this.ctl, CTL.REQ_SEQ);
    const batch = new Reader(this.req.read());
    Atomics.store(this.ctl, CTL.REQ_ACK, this.reqSeen);
    Atomics.notify(this.ctl, CTL.REQ_ACK);
    const outcomes: Outcome[] = [];
    const count = batch.u32();
    for (let i = 0; i < count; i++) {
      const kind = batch.u8();
      const callId = batch.u32();
      try {
        if (kind === MSG.DEFINE) {
          const fnId = batch.u32();
          const target = batch.value() as string | number;
          const proto = batch.value() as FunctionProto;
          this.fns.set(fnId, this.lib.bind(target, proto));
          outcomes.push({ callId, ok: true, value: undefined, copyBack: [] });
        } else if (kind === MSG.CALL) {
          const fnId = batch.u32();
          const args = batch.value((id) => this.remoteCallback(id)) as unknown[];
          const f = this.fns.get(fnId);
          if (!f) throw new WowasmError('WOWASM_CLOSED', 'function is not defined in the library thread');
          const value = f(...args);
          outcomes.push({ callId, ok: true, value, copyBack: copyBacks(f.prototype, args) });
        } else if (kind === MSG.OP) {
          const op = batch.value() as string;
          const args = batch.value((id) => this.remoteCallback(id)) as unknown[];
          outcomes.push({ callId, ok: true, value: this.operation(op, args), copyBack: [] });
        } else throw new Error(`unknown request kind ${kind}`);
      } catch (e) {
        // Each entry's bytes are read in full before it runs, so a failure leaves the reader in step.
        outcomes.push({ callId, ok: false, error: serializeError(e) });
      }
    }
    this.send(MSG.RESULTS, (w) => {
      w.u32(outcomes.length);
      for (const o of outcomes) {
        w.u32(o.callId);
        w.u8(o.ok ? 1 : 0);
        if (o.ok) {
          w.value(o.value);
          w.u32(o.copyBack.length);
          for (const [index, v] of o.copyBack) {
            w.u32(index);
            w.value(v);
          }
        } else w.value(o.error);
      }
    });
  }

  /** Writes one message to the user's thread, once it has taken the previous one; pending console output leads. */
  private send(kind: number, body: (w: Writer) => void): void {
    const w = this.out;
    w.reset();
    w.u8(kind);
    const output = this.takeOutput();
    w.u32(output.length);
    for (const [stream, bytes] of output) {
      w.u8(stream);
      w.bytes(bytes);
    }
    body(w);
    const seq = Atomics.load(this.ctl, CTL.RES_SEQ);
    while (Atomics.load(this.ctl, CTL.RES_ACK) !== seq) waitChange(this.ctl, CTL.RES_ACK, Atomics.load(this.ctl, CTL.RES_ACK), SPIN_MICROS);
    this.res.write(w.view());
    bump(this.ctl, CTL.RES_SEQ);
  }

  /**
   * A stand-in for a JS function of the user's thread: guest code calling it blocks this thread until
   * the user's thread answers. Calls the user's function makes on this library meanwhile are served
   * here, nested, so they do not deadlock.
   */
  private remoteCallback(id: number): Function {
    return (...args: unknown[]) => {
      this.send(MSG.CALLBACK, (w) => {
        w.u32(id);
        w.value(args);
      });
      for (;;) {
        const bell = Atomics.load(this.ctl, CTL.DOORBELL);
        if (Atomics.load(this.ctl, CTL.CB_SEQ) !== this.cbSeen) break;
        if (Atomics.load(this.ctl, CTL.REQ_SEQ) !== this.reqSeen) {
          this.runBatch();
          continue;
        }
        waitChange(this.ctl, CTL.DOORBELL, bell, SPIN_MICROS);
      }
      this.cbSeen = Atomics.load(this.ctl, CTL.CB_SEQ);
      const r = new Reader(this.cb.read());
      const ok = r.u8() === 1;
      const value = r.value();
      if (!ok) throw deserializeError(value as SerializedError);
      return value;
    };
  }

  /**
   * Asks the user's thread and sleeps until the answer is in `answers`. Calls the user's function makes on
   * this library meanwhile are served here, nested, so they do not deadlock.
   */
  private ask<Q>(post: (q: Q) => unknown, answers: SharedArrayBuffer, question: Q): number | undefined {
    const seen = answerSeq(answers);
    void post(question); // comlink posts at once; the promise it returns is of no use here
    for (;;) {
      const bell = Atomics.load(this.ctl, CTL.DOORBELL);
      if (answerSeq(answers) !== seen) break;
      if (this.lib && Atomics.load(this.ctl, CTL.REQ_SEQ) !== this.reqSeen) {
        this.runBatch();
        continue;
      }
      waitChange(this.ctl, CTL.DOORBELL, bell, SPIN_MICROS);
    }
    return readAnswer(answers);
  }

  /** Library operations other than calling functions (the async twins of Library's methods). */
  private operation(op: string, a: unknown[]): unknown {
    const lib = this.lib;
    switch (op) {
      case 'alloc':
        return lib.memory.alloc(a[0] as number);
      case 'free':
        return lib.memory.free(a[0] as number);
      case 'read':
        return lib.memory.read(a[0] as number, a[1] as number);
      case 'write':
        return lib.memory.write(a[0] as number, a[1] as Uint8Array);
      case 'readCString':
        return lib.memory.readCString(a[0] as number);
      case 'readWString':
        return lib.memory.readWString(a[0] as number);
      case 'symbol':
        return lib.symbol(a[0] as string | number);
      case 'callback':
        return lib.callback(a[0] as string, a[1] as Function);
      case 'releaseCallback':
        return lib.releaseCallback(a[0] as number);
      case 'exports':
        return lib.exports();
      case 'unimplementedImports':
        return lib.unimplementedImports;
      case 'modules':
        return lib.modules;
      case 'registryExport':
        return lib.registry.export(a[0] as { format: 'json' });
      case 'close':
        lib.close();
        this.closed = true;
        return undefined;
      default:
        throw new Error(`unknown library operation ${op}`);
    }
  }
}

/** Arguments the callee may have written to (non-const pointers), to be copied back on the other side. */
function copyBacks(proto: FunctionProto, args: unknown[]): [number, unknown][] {
  const out: [number, unknown][] = [];
  proto.params.forEach((p, i) => {
    const v = args[i];
    if (p.type.kind === 'pointer' && p.direction !== 'in' && v !== null && typeof v === 'object') out.push([i, v]);
  });
  return out;
}

if (parentPort) Comlink.expose(new LibraryHost(), nodeEndpoint(parentPort as never));

export type { LibraryHost };
