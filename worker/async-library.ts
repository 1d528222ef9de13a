// load(): a DLL in its own worker thread, with the same API as the in-thread Library but asynchronous.
// Calls made in one tick go to the library thread as one batch over shared memory; results come back
// the same way. JS callbacks stay in this thread: the library thread blocks while one runs.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { WowasmError } from '../emulator/errors.js';
import { ExportNotFoundError } from '../loader/errors.js';
import { bump, createSharedChannel, CTL, Mailbox, MSG, waitChangeAsync } from './channel.js';
import { answerer, createAnswerBuffer } from './answers.js';
import { applyCopyBack, Reader, Writer } from './codec.js';
import { Comlink, nodeEndpoint } from './comlink.js';
import { ConsoleOutput } from './console.js';
import { closeMatches, findExport, type ExportInfo, type LoadOptions } from './library.js';
import { parsePrototype } from './prototype.js';
import { deserializeError, serializeError, type SerializedError } from './remote-errors.js';
import type { InitResult, LibraryHost, OutputChunk } from './thread.js';
import type { AsyncLibraryRegistry, RegistryExportOptions } from '../thunks/advapi32/seed.js';
import type { FunctionProto } from './types.js';
import type { MessageBoxEvent } from '../thunks/user32/messagebox.js';

/**
 * How long the user's thread polls for results before it sleeps (µs), by default. Most calls answer
 * within a few microseconds and waking from a sleep costs tens of them, so a short poll multiplies the
 * rate of awaited calls (about 4x here); it holds this thread's event loop for at most that long.
 */
const DEFAULT_POLL_MICROS = 30;

/** Options of load(): those of loadSync, and how the user's thread waits for results. */
export interface AsyncLoadOptions extends Omit<LoadOptions, 'onMessageBox'> {
  /** Microseconds to poll for a result before sleeping (default 30; 0 never polls). */
  pollMicros?: number;
  /**
   * As LoadOptions.onMessageBox; it runs in this thread and may be async: the DLL waits for its answer
   * (and calls it makes on this library are served meanwhile).
   */
  onMessageBox?: (e: MessageBoxEvent) => number | void | Promise<number | void>;
}

/** A function of the DLL running in its library thread. */
export type AsyncForeignFunction = ((...args: unknown[]) => Promise<unknown>) & { readonly prototype: FunctionProto };

interface PendingCall {
  resolve(v: unknown): void;
  reject(e: unknown): void;
  /** The caller's arguments, to copy out-parameters back into. */
  args: unknown[] | undefined;
  /** Callback ids registered for this call only. */
  callbacks: number[];
}

export class AsyncLibrary {
  readonly path: string;
  /** The DLL's standard output as a byte stream, with stdio 'pipe' (null otherwise). Output of a call is in it before the call's promise settles. */
  readonly stdout: ConsoleOutput['stdout'];
  /** The DLL's standard error as a byte stream, with stdio 'pipe' (null otherwise). */
  readonly stderr: ConsoleOutput['stderr'];
  private readonly ctl: Int32Array;
  private readonly req: Mailbox;
  private readonly res: Mailbox;
  private readonly cb: Mailbox;
  private readonly batch = new Writer(1 << 16);
  private batchCount = 0;
  private flushScheduled = false;
  private waitingForAck = false;
  private readonly pending = new Map<number, PendingCall>();
  private readonly callbacks = new Map<number, Function>();
  private readonly persistentCallbacks = new Map<number, number>(); // guest address -> callback id
  private nextCall = 1;
  private nextFn = 1;
  private nextCallback = 1;
  private resSeen = 0;
  private pumping = false;
  private closed = false;
  private readonly exportNames: string[];

  /** @internal Use load(). */
  constructor(
    private readonly worker: Worker,
    init: InitResult,
    channel: ReturnType<typeof createSharedChannel>,
    ports: { req: import('node:worker_threads').MessagePort; res: import('node:worker_threads').MessagePort; cb: import('node:worker_threads').MessagePort },
    private readonly pollMicros: number,
    private readonly console: ConsoleOutput,
  ) {
    this.path = init.path;
    this.stdout = console.stdout;
    this.stderr = console.stderr;
    this.exportNames = init.exportNames;
    this.ctl = new Int32Array(channel.ctl);
    this.req = new Mailbox(channel.req, ports.req);
    this.res = new Mailbox(channel.res, ports.res);
    this.cb = new Mailbox(channel.cb, ports.cb);
    this.batch.u32(0); // entry count, filled in at flush
    worker.unref();
  }

  /** As Library.func, returning an async function. Unknown exports are reported here, synchronously. */
  func(prototype: string): AsyncForeignFunction;
  func(address: number, prototype: string): AsyncForeignFunction;
  func(a: string | number, b?: string): AsyncForeignFunction {
    this.checkOpen();
    const proto = parsePrototype(typeof a === 'string' ? a : b!);
    let target: string | number = a as number;
    if (typeof a === 'string') {
      const name = findExport(this.exportNames, proto);
      if (name === undefined) throw new ExportNotFoundError(path.basename(this.path).toLowerCase(), proto.name, closeMatches(proto.name, this.exportNames));
      target = name;
    }
    const fnId = this.nextFn++;
    this.enqueue(MSG.DEFINE, (w) => {
      w.u32(fnId);
      w.value(target);
      w.value(proto);
    }).catch(() => {}); // a failed definition shows up again in each call
    const f = (...args: unknown[]) => this.call(fnId, args);
    return Object.assign(f, { prototype: proto });
  }

  readonly memory = {
    alloc: (size: number) => this.op('alloc', [size]) as Promise<number>,
    free: (addr: number) => this.op('free', [addr]) as Promise<void>,
    read: (addr: number, length: number) => this.op('read', [addr, length]) as Promise<Uint8Array>,
    write: (addr: number, bytes: Uint8Array | ArrayBufferView) =>
      this.op('write', [addr, bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)]) as Promise<void>,
    readCString: (addr: number) => this.op('readCString', [addr]) as Promise<string | null>,
    readWString: (addr: number) => this.op('readWString', [addr]) as Promise<string | null>,
  };

  /** As Library.registry: the DLL's registry, exported by the library thread. */
  readonly registry: AsyncLibraryRegistry = {
    export: ((opts: RegistryExportOptions = {}) => this.op('registryExport', [opts])) as AsyncLibraryRegistry['export'],
  };

  symbol(name: string | number): Promise<number> {
    return this.op('symbol', [name]) as Promise<number>;
  }

  /** Keeps a JS function callable from guest code until releaseCallback(); resolves to its address. */
  async callback(prototype: string, fn: Function): Promise<number> {
    const id = this.nextCallback++;
    this.callbacks.set(id, fn);
    try {
      const addr = (await this.op('callback', [prototype, fn], id)) as number;
      this.persistentCallbacks.set(addr, id);
      return addr;
    } catch (e) {
      this.callbacks.delete(id);
      throw e;
    }
  }

  async releaseCallback(address: number): Promise<void> {
    await this.op('releaseCallback', [address]);
    const id = this.persistentCallbacks.get(address);
    if (id !== undefined) {
      this.callbacks.delete(id);
      this.persistentCallbacks.delete(address);
    }
  }

  exports(): Promise<ExportInfo[]> {
    return this.op('exports', []) as Promise<ExportInfo[]>;
  }

  unimplementedImports(): Promise<{ module: string; dll: string; name: string }[]> {
    return this.op('unimplementedImports', []) as Promise<{ module: string; dll: string; name: string }[]>;
  }

  modules(): Promise<{ name: string; base: number; builtin: boolean }[]> {
    return this.op('modules', []) as Promise<{ name: string; base: number; builtin: boolean }[]>;
  }

  /** Runs DLL_PROCESS_DETACH after every pending call, then ends the library thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.op('close', []);
    } finally {
      this.closed = true;
      this.console.end();
      await this.worker.terminate();
    }
  }

  // ---- sending ------------------------------------------------------------------------------

  private call(fnId: number, args: unknown[]): Promise<unknown> {
    const callbacks: number[] = [];
    return this.enqueue(
      MSG.CALL,
      (w) => {
        w.u32(fnId);
        w.value(args, (f) => this.registerCallback(f, callbacks));
      },
      args,
      callbacks,
    );
  }

  private op(name: string, args: unknown[], callbackId?: number): Promise<unknown> {
    try {
      this.checkOpen();
    } catch (e) {
      return Promise.reject(e);
    }
    return this.enqueue(MSG.OP, (w) => {
      w.value(name);
      w.value(args, (f) => {
        if (callbackId === undefined) throw new TypeError(`${name}() does not take a function`);
        return callbackId;
      });
    });
  }

  private registerCallback(f: Function, list: number[]): number {
    const id = this.nextCallback++;
    this.callbacks.set(id, f);
    list.push(id);
    return id;
  }

  private enqueue(kind: number, body: (w: Writer) => void, args?: unknown[], callbacks: number[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new WowasmError('WOWASM_CLOSED', `${path.basename(this.path)} was closed`));
    const callId = this.nextCall++;
    const w = this.batch;
    const start = w.pos;
    try {
      w.u8(kind);
      w.u32(callId);
      body(w);
    } catch (e) {
      w.pos = start; // drop the half-written entry
      for (const id of callbacks) this.callbacks.delete(id);
      return Promise.reject(e);
    }
    this.batchCount++;
    const p = new Promise<unknown>((resolve, reject) => this.pending.set(callId, { resolve, reject, args, callbacks }));
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      queueMicrotask(() => this.flush());
    }
    return p;
  }

  /** Sends the batch of this tick, once the library thread has taken the previous one. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.batchCount === 0) return;
    const ack = Atomics.load(this.ctl, CTL.REQ_ACK);
    if (ack !== Atomics.load(this.ctl, CTL.REQ_SEQ)) {
      if (!this.waitingForAck) {
        this.waitingForAck = true;
        void waitChangeAsync(this.ctl, CTL.REQ_ACK, ack, 0).then(() => {
          this.waitingForAck = false;
          this.flush();
        });
      }
      return;
    }
    const w = this.batch;
    w.dv.setUint32(0, this.batchCount, true);
    this.req.write(w.view());
    w.reset();
    w.u32(0);
    this.batchCount = 0;
    bump(this.ctl, CTL.REQ_SEQ);
    bump(this.ctl, CTL.DOORBELL);
    this.startPump();
  }

  // ---- receiving ----------------------------------------------------------------------------

  private startPump(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.worker.ref();
    void this.pump();
  }

  /** Reads the library thread's messages while calls are outstanding. */
  private async pump(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        await waitChangeAsync(this.ctl, CTL.RES_SEQ, this.resSeen, this.pollMicros);
        this.resSeen = Atomics.load(this.ctl, CTL.RES_SEQ);
        const msg = new Reader(this.res.read());
        Atomics.store(this.ctl, CTL.RES_ACK, this.resSeen);
        Atomics.notify(this.ctl, CTL.RES_ACK);
        const kind = msg.u8();
        // Console output written before this message comes first: it reaches the streams before the results.
        const chunks = msg.u32();
        for (let i = 0; i < chunks; i++) {
          const stream = msg.u8();
          this.console.write(stream === 0 ? 'stdout' : 'stderr', msg.bytes());
        }
        if (kind === MSG.RESULTS) this.settle(msg);
        else if (kind === MSG.CALLBACK) this.runCallback(msg);
      }
    } catch (e) {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    } finally {
      this.pumping = false;
      if (!this.closed) this.worker.unref();
      if (this.pending.size > 0) this.startPump();
    }
  }

  private settle(msg: Reader): void {
    const n = msg.u32();
    for (let i = 0; i < n; i++) {
      const callId = msg.u32();
      const ok = msg.u8() === 1;
      const p = this.pending.get(callId);
      this.pending.delete(callId);
      if (ok) {
        const value = msg.value();
        const copies = msg.u32();
        for (let k = 0; k < copies; k++) {
          const index = msg.u32();
          const fresh = msg.value();
          if (p?.args) applyCopyBack(p.args[index], fresh);
        }
        p?.resolve(value);
      } else p?.reject(deserializeError(msg.value() as SerializedError));
      for (const id of p?.callbacks ?? []) this.callbacks.delete(id);
    }
  }

  /** Guest code called a JS function: run it (it may be async) and hand the result back. */
  private runCallback(msg: Reader): void {
    const id = msg.u32();
    const args = msg.value() as unknown[];
    const fn = this.callbacks.get(id);
    const reply = (ok: boolean, value: unknown) => {
      const w = new Writer(256);
      w.u8(ok ? 1 : 0);
      try {
        w.value(value);
      } catch (e) {
        w.reset();
        w.u8(0);
        w.value(serializeError(e));
      }
      this.cb.write(w.view());
      bump(this.ctl, CTL.CB_SEQ);
      bump(this.ctl, CTL.DOORBELL);
    };
    if (!fn) return reply(false, serializeError(new WowasmError('WOWASM_STALE_CALLBACK', `callback #${id} was called after it was released`)));
    Promise.resolve()
      .then(() => fn(...args))
      .then(
        (v) => reply(true, v),
        (e) => reply(false, serializeError(e)),
      );
  }

  private checkOpen(): void {
    if (this.closed) throw new WowasmError('WOWASM_CLOSED', `${path.basename(this.path)} was closed`);
  }
}

// ---- starting a library thread -------------------------------------------------------------------

let devScript: string | undefined;

/** The library thread's script: next to this file when bundled; compiled on the fly from the sources. */
function workerScript(): string {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) return path.join(path.dirname(here), 'thread.js');
  if (devScript) return devScript;
  const root = path.resolve(path.dirname(here), '..');
  const out = path.join(root, 'node_modules', '.cache', 'wowasm', `thread-${process.pid}.mjs`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // esbuild is a development dependency: only used when running from TypeScript sources.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(path.dirname(here), 'thread.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: out,
    external: ['v86', 'pe-library', 'comlink', 'esbuild'],
    logLevel: 'silent',
  });
  devScript = out;
  return out;
}

function emit(console: ConsoleOutput, chunks: OutputChunk[]): void {
  for (const [stream, bytes] of chunks) console.write(stream === 0 ? 'stdout' : 'stderr', bytes);
}

/** Loads a DLL in a new worker thread. Same options as loadSync (stdio, output, trace and onMessageBox included). */
export async function load(file: string, opts: AsyncLoadOptions = {}): Promise<AsyncLibrary> {
  const worker = new Worker(workerScript());
  const remote = Comlink.wrap<LibraryHost>(nodeEndpoint(worker as never));
  const channel = createSharedChannel();
  const req = new MessageChannel();
  const res = new MessageChannel();
  const cb = new MessageChannel();
  const { output, stdio, trace, pollMicros, onMessageBox, ...plain } = opts;
  const consoleOut = new ConsoleOutput(stdio ?? (output ? 'ignore' : 'inherit'), output);
  const answers = onMessageBox ? createAnswerBuffer() : undefined;
  const args = {
    file: path.resolve(file),
    opts: plain,
    channel,
    reqPort: req.port2,
    resPort: res.port2,
    cbPort: cb.port2,
    ...(answers ? { answers } : {}),
  };
  let init: InitResult | { error: SerializedError; output: OutputChunk[] };
  try {
    // comlink proxies only top-level arguments, so the trace sink and the message box travel on their own.
    init = await remote.start(
      Comlink.transfer(args, [req.port2, res.port2, cb.port2]) as never,
      (trace ? Comlink.proxy(trace) : undefined) as never,
      (onMessageBox ? Comlink.proxy(answerer(answers!, channel.ctl, onMessageBox)) : undefined) as never,
    );
  } catch (e) {
    consoleOut.end();
    await worker.terminate();
    throw e;
  }
  emit(consoleOut, init.output); // what DllMain wrote
  if ('error' in init) {
    consoleOut.end();
    await worker.terminate();
    throw deserializeError(init.error);
  }
  return new AsyncLibrary(worker, init, channel, { req: req.port1, res: res.port1, cb: cb.port1 }, pollMicros ?? DEFAULT_POLL_MICROS, consoleOut);
}
