// A loaded DLL, used synchronously in this thread: typed functions from C prototypes, guest memory,
// callbacks. The worker-backed library (load()) runs one of these in its own thread.

import path from 'node:path';
import { WowasmError } from '../emulator/errors.js';
import { ExportNotFoundError } from '../loader/errors.js';
import type { Module } from '../loader/loader.js';
import { exportRegistry } from '../thunks/advapi32/registry.js';
import { LibraryExitedError, ProcessExitError } from '../thunks/errors.js';
import type { LibraryRegistry, RegistryExportOptions, RegistryOptions, RegistrySeed } from '../thunks/advapi32/seed.js';
import type { MessageBoxEvent } from '../thunks/user32/messagebox.js';
import type { FileSystemOptions } from '../thunks/vfs/options.js';
import { CallSite, type CallEnv } from './call.js';
import { CallbackPool } from './callbacks.js';
import { ConsoleOutput, type StdioMode } from './console.js';
import { readString, type Charset, type MarshalContext } from './marshal.js';
import { parsePrototype, parseType } from './prototype.js';
import { Runtime, type RuntimeOptions } from './runtime.js';
import { ScratchArena } from './scratch.js';
import { defineType, layoutStruct, type CType, type FunctionProto } from './types.js';

export interface LoadOptions {
  /** Guest run time allowed per call in ms (default 10,000; 0 = unlimited). */
  timeoutMs?: number;
  /** Guest RAM in MiB (default 256). */
  memoryMiB?: number;
  /** Compile hot guest code to wasm (default true). */
  jit?: boolean;
  /** Folders searched for dependencies after the DLL's own folder. */
  searchPath?: string[];
  /** Encoding of `char *` strings (default "windows-1252", what a Western Windows uses). */
  charset?: Charset;
  /** Environment variables the DLL sees (none of the host's unless given). */
  env?: Record<string, string>;
  /** The command line GetCommandLine returns. */
  commandLine?: string;
  /**
   * The registry: Windows 10's defaults plus `seed` (a RegistrySeed object, or a .reg file's path or
   * text). What the DLL writes stays in memory; lib.registry.export() returns it.
   */
  registry?: RegistryOptions;
  /**
   * The DLL's drive C:: `{ root, writable? }` grants a host folder (read-only unless `writable`), `{ memory:
   * true, files? }` an in-memory volume. Default: an empty read-only volume. Guest paths never leave it:
   * `..`, host paths, UNC names, links out of the folder and device names are refused.
   */
  fs?: FileSystemOptions;
  /**
   * Where the DLL's console output (stdout, stderr, the console) goes: 'inherit' this process's
   * stdout/stderr (the default), 'pipe' into the readable streams lib.stdout and lib.stderr, or 'ignore'.
   */
  stdio?: StdioMode;
  /** Also receives the DLL's console output, chunk by chunk (without `stdio`, instead of this process's stdout/stderr). */
  output?: (stream: 'stdout' | 'stderr', bytes: Uint8Array) => void;
  /** Log every Win32 call (name, arguments, result) to this function. Off by default. */
  trace?: (line: string) => void;
  /**
   * Answers the DLL's message boxes (MessageBox & co.; there is no screen): return the id of the button
   * pressed (IDOK = 1, IDCANCEL = 2, IDYES = 6, IDNO = 7, ...), or nothing for the box's default button.
   * Without it, each box is logged as one line on the DLL's stderr and answered with its default button.
   */
  onMessageBox?: (e: MessageBoxEvent) => number | void;
  /**
   * The DLL's standard input (ReadFile on STD_INPUT_HANDLE, ReadConsole): bytes, or text given in the
   * console's input code page (437 unless the DLL changes it). Default: none, reads see the end at once.
   */
  stdin?: string | Uint8Array;
  /**
   * The time zone GetTimeZoneInformation & co. report (default UTC): `bias` in minutes as Windows counts it
   * (UTC = local time + bias; 300 for New York's standard time), and a name. No daylight saving.
   */
  timeZone?: { bias: number; standardName?: string };
}

/** A function of the DLL, called like a JS function. */
export type ForeignFunction = ((...args: unknown[]) => unknown) & { readonly address: number; readonly prototype: FunctionProto };

export interface ExportInfo {
  name: string | undefined;
  ordinal: number;
  address: number | undefined;
  forwarder: string | undefined;
}

export class Library {
  readonly path: string;
  /** @internal The guest process behind the library (CPU, Win32 state, loader). */
  readonly runtime: Runtime;
  readonly charset: Charset;
  /** The DLL's standard output as a byte stream, with LoadOptions.stdio 'pipe' (null otherwise). */
  readonly stdout: ConsoleOutput['stdout'];
  /** The DLL's standard error as a byte stream, with LoadOptions.stdio 'pipe' (null otherwise). */
  readonly stderr: ConsoleOutput['stderr'];
  private readonly console: ConsoleOutput;
  private readonly arena: ScratchArena;
  private readonly callbacks: CallbackPool;
  private readonly env: CallEnv;
  private closed = false;
  /** The DLL ended its process (exit, abort, ExitProcess, terminate): calls are refused from then on. */
  private exited: ProcessExitError | undefined;

  constructor(file: string, opts: LoadOptions = {}) {
    this.path = path.resolve(file);
    this.charset = opts.charset ?? 'windows-1252';
    this.console = new ConsoleOutput(opts.stdio ?? (opts.output ? 'ignore' : 'inherit'), opts.output);
    this.stdout = this.console.stdout;
    this.stderr = this.console.stderr;
    try {
      this.runtime = new Runtime(file, { ...runtimeOptions(opts), output: this.console.write });
    } catch (e) {
      this.console.end();
      throw e;
    }
    const { cpu, process } = this.runtime;
    this.arena = new ScratchArena(cpu.mem, process.heap);
    const ctx = (): MarshalContext => ({ mem: cpu.mem, scratch: this.arena, charset: this.charset, callback: (t, f, w) => this.callbacks.acquire(t, f, false, w) });
    this.callbacks = new CallbackPool(cpu, ctx);
    this.env = {
      cpu,
      stackTop: process.mainThread.stackBase - 16,
      scratch: this.arena,
      charset: this.charset,
      callback: (t, f, w) => this.callbacks.acquire(t, f, false, w),
      callbackMark: () => this.callbacks.mark(),
      releaseCallbacks: (m) => this.callbacks.release(m),
    };
  }

  /**
   * A callable export: `func('int __stdcall add(int a, int b)')` finds `add` (or its decorated forms
   * `_add@8`, `add@8`, `@add@8`); `func(address, prototype)` calls a function pointer.
   */
  func(prototype: string): ForeignFunction;
  func(address: number, prototype: string): ForeignFunction;
  func(a: string | number, b?: string): ForeignFunction {
    const proto = parsePrototype(typeof a === 'string' ? a : b!);
    return this.bind(typeof a === 'number' ? a : proto.name, proto);
  }

  /** func() for an already parsed prototype: `target` is an export name or an address. */
  bind(target: string | number, proto: FunctionProto): ForeignFunction {
    this.checkOpen();
    const address = typeof target === 'number' ? target >>> 0 : this.resolveExport({ ...proto, name: target });
    const site = new CallSite(this.env, address, proto);
    const f = (...args: unknown[]) => {
      this.checkOpen();
      if (this.exited) throw new LibraryExitedError(path.basename(this.path), this.exited);
      try {
        return site.invoke(args);
      } catch (e) {
        if (e instanceof ProcessExitError) this.exited = e;
        throw e;
      }
    };
    return Object.assign(f, { address, prototype: proto });
  }

  /** Address of an export (functions or variables), by name or ordinal. */
  symbol(name: string | number): number {
    this.checkOpen();
    const m = this.runtime.main;
    const ref = typeof name === 'number' ? { ordinal: name } : { name, hint: 0 };
    const addr = this.runtime.loader.getProcAddress(m, ref);
    if (addr === undefined) throw new ExportNotFoundError(m.name, String(name), closeMatches(String(name), [...m.exports.byName.keys()]));
    return addr;
  }

  /** Keeps a JS function callable from guest code until releaseCallback(); returns its address. */
  callback(prototype: string, fn: Function): number {
    this.checkOpen();
    return this.callbacks.acquire(functionType(prototype), fn, true);
  }

  releaseCallback(address: number): void {
    if (!this.callbacks.releaseAddress(address)) throw new WowasmError('WOWASM_BAD_CALLBACK', `0x${address.toString(16)} is not a registered callback`);
  }

  /** Guest memory: allocate (on the DLL's process heap), read, write, and read C strings. */
  readonly memory = {
    alloc: (size: number): number => {
      this.checkOpen();
      const a = this.runtime.process.heap.alloc(size, true);
      if (!a) throw new WowasmError('WOWASM_OUT_OF_GUEST_MEMORY', `cannot allocate ${size} bytes of guest memory`);
      return a;
    },
    free: (addr: number): void => {
      this.checkOpen();
      if (!this.runtime.process.heap.free(addr)) throw new WowasmError('WOWASM_BAD_FREE', `0x${addr.toString(16)} is not a block allocated with memory.alloc`);
    },
    read: (addr: number, length: number): Uint8Array => this.open().cpu.mem.read(addr, length),
    write: (addr: number, bytes: Uint8Array | ArrayBufferView): void => {
      const b = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.open().cpu.mem.write(addr, b);
    },
    readCString: (addr: number): string | null => readString(this.open().cpu.mem, addr, false, this.charset),
    readWString: (addr: number): string | null => readString(this.open().cpu.mem, addr, true, this.charset),
  };

  /** The DLL's registry: export() gives its contents now (LoadOptions.registry plus what the DLL changed). */
  readonly registry: LibraryRegistry = {
    export: ((opts: RegistryExportOptions = {}): string | RegistrySeed => exportRegistry(this.open().process, opts)) as LibraryRegistry['export'],
  };

  /** The DLL's exports. */
  exports(): ExportInfo[] {
    const m = this.runtime.main;
    const names = new Map<number, string>();
    for (const [n, o] of m.exports.byName) names.set(o, n);
    return [...m.exports.byOrdinal].map(([ordinal, target]) => ({
      name: names.get(ordinal),
      ordinal,
      address: target.kind === 'rva' ? m.base + target.rva : this.runtime.loader.getProcAddress(m, { ordinal }),
      forwarder: target.kind === 'forward' ? target.to : undefined,
    }));
  }

  /** Imports of the loaded DLLs that wowasm does not implement (calling one stops the call). */
  get unimplementedImports(): { module: string; dll: string; name: string }[] {
    return this.runtime.loader.peModules().flatMap((m) => m.unimplementedImports.map((u) => ({ module: m.name, ...u })));
  }

  /** The modules loaded for this library (the DLL, its dependencies, built-in system DLLs). */
  get modules(): { name: string; base: number; builtin: boolean }[] {
    return this.runtime.loader.modules().map((m: Module) => ({ name: m.name, base: m.base, builtin: m.kind === 'builtin' }));
  }

  /** Runs DLL_PROCESS_DETACH and frees everything; further calls throw. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.runtime.close(!this.exited); // a process that has ended runs no DLL_PROCESS_DETACH
    } finally {
      this.console.end(); // after DLL_PROCESS_DETACH, which may still write
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private open(): Runtime {
    this.checkOpen();
    return this.runtime;
  }

  private checkOpen(): void {
    if (this.closed) throw new WowasmError('WOWASM_CLOSED', `${path.basename(this.path)} was closed`);
  }

  /** Finds an export by plain or decorated name. */
  private resolveExport(proto: FunctionProto): number {
    const m = this.runtime.main;
    const names = [...m.exports.byName.keys()];
    const name = findExport(names, proto);
    const addr = name === undefined ? undefined : this.runtime.loader.getProcAddress(m, { name, hint: 0 });
    if (addr === undefined) throw new ExportNotFoundError(m.name, proto.name, closeMatches(proto.name, names));
    return addr;
  }
}

/**
 * The export a prototype names: exactly, or a decorated form (`_add@8`, `add@8`, `@add@8`), preferring
 * the one whose @N matches the prototype's argument bytes.
 */
export function findExport(names: string[], proto: FunctionProto): string | undefined {
  const want = proto.name;
  if (names.includes(want)) return want;
  const bytes = stackBytes(proto);
  const candidates = names.filter((n) => undecorate(n) === want);
  candidates.sort((x, y) => Number(decoratedBytes(y) === bytes) - Number(decoratedBytes(x) === bytes));
  return candidates[0];
}

function runtimeOptions(o: LoadOptions): RuntimeOptions {
  const r: RuntimeOptions = {};
  if (o.timeoutMs !== undefined) r.timeoutMs = o.timeoutMs;
  if (o.memoryMiB !== undefined) r.memoryMiB = o.memoryMiB;
  if (o.jit !== undefined) r.jit = o.jit;
  if (o.searchPath) r.searchPath = o.searchPath;
  if (o.env) r.env = o.env;
  if (o.commandLine) r.commandLine = o.commandLine;
  if (o.registry) r.registry = o.registry;
  if (o.fs) r.fs = o.fs;
  if (o.trace) r.trace = o.trace;
  if (o.onMessageBox) r.onMessageBox = o.onMessageBox;
  if (o.stdin !== undefined) r.stdin = o.stdin;
  if (o.timeZone) r.timeZone = o.timeZone;
  return r;
}

/** "_add@8" -> "add", "@f@12" -> "f", "add@8" -> "add". */
export function undecorate(name: string): string {
  const m = /^[_@]?([A-Za-z_$?][\w$?]*?)(@\d+)?$/.exec(name);
  return m ? m[1]! : name;
}

function decoratedBytes(name: string): number | undefined {
  const m = /@(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

function stackBytes(proto: FunctionProto): number {
  return proto.params.reduce((n, p) => n + Math.ceil(Math.max(p.type.size, 4) / 4) * 4, 0);
}

/** Up to three export names closest to `want` (by edit distance, ignoring decoration and case). */
export function closeMatches(want: string, names: string[]): string[] {
  const w = want.toLowerCase();
  const scored = names.map((n) => ({ n, d: editDistance(w, undecorate(n).toLowerCase()) }));
  const limit = Math.max(2, Math.floor(w.length / 3));
  return scored
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d || a.n.localeCompare(b.n))
    .slice(0, 3)
    .map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0]!;
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = dp[j]!;
      dp[j] = Math.min(dp[j]! + 1, dp[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return dp[b.length]!;
}

// ---- named types ---------------------------------------------------------------------------

export type FieldSpec = string | CType;

/**
 * Defines a struct usable by name in prototypes: `struct('Point', { x: 'double', y: 'double' })`.
 * Field types are type expressions ('int', 'char[16]', 'const char *', 'Point') or types.
 */
export function struct(name: string, fields: Record<string, FieldSpec>, opts: { pack?: number } = {}): CType {
  const list = Object.entries(fields).map(([n, f]) => ({ name: n, type: typeof f === 'string' ? parseType(f) : f }));
  return defineType(layoutStruct(name, list, opts.pack ?? 8));
}

/** Defines a function-pointer type usable by name: `callback('int __cdecl cmp_fn(const void *, const void *)')`. */
export function callback(prototype: string): CType {
  const proto = parsePrototype(prototype);
  return defineType({ kind: 'function', size: 0, align: 1, name: proto.name, proto });
}

/** A function type from "int __cdecl name(params)" or an abstract "int (*)(params)". */
function functionType(prototype: string): CType & { kind: 'function' } {
  let t: CType;
  try {
    const proto = parsePrototype(prototype);
    t = { kind: 'function', size: 0, align: 1, name: proto.name, proto };
  } catch {
    t = parseType(prototype);
  }
  if (t.kind === 'pointer') t = t.to;
  if (t.kind !== 'function') throw new WowasmError('WOWASM_BAD_PROTOTYPE', `"${prototype}" is not a function prototype`);
  return t;
}

export function loadSync(file: string, opts: LoadOptions = {}): Library {
  return new Library(file, opts);
}
