// The guest process: the state every built-in DLL shares (heaps, threads and their TEBs, the PEB, TLS,
// handles, last error, environment, command line, console output) and the services handlers use
// (strings, calls back into guest code, naming addresses for messages).

import { callGuest, frameTop, type CallConv, type CallOptions } from '../emulator/abi.js';
import type { Cpu, FaultDecision } from '../emulator/cpu.js';
import { WowasmError } from '../emulator/errors.js';
import { EXCEPTION, type ClassifiedFault, type CpuFault } from '../emulator/faults.js';
import { PROT, type GuestMemory } from '../emulator/memory.js';
import { BuiltinDllInstance, mapImageHeader, type ExportRef } from './builtin.js';
import { SehRuntime, UnhandledGuestException, type ExceptionInfo } from './seh.js';
import { HandleTable } from './handles.js';
import { Scheduler } from './threads.js';
import { Heap } from './heap.js';
import type { DllSpec, RetType } from './spec.js';
import type { MessageBoxEvent } from './user32/messagebox.js';
import type { FileSystemOptions } from './vfs/options.js';
import { readAnsi, readWide, type CodePage } from './text.js';
import type { RegistryOptions } from './advapi32/seed.js';

/** What the Win32 layer needs from the module loader (implemented by loader/Loader). */
export interface ModuleRef {
  readonly kind: 'pe' | 'builtin';
  readonly name: string;
  readonly base: number;
  refCount: number;
}
export interface PeModuleRef extends ModuleRef {
  readonly kind: 'pe';
  readonly path: string;
  readonly size: number;
  readonly tls: { startOfRawData: number; endOfRawData: number; addressOfIndex: number; sizeOfZeroFill: number } | undefined;
  tlsIndex?: number;
  threadCallsDisabled?: boolean;
}
export interface ModuleManager {
  loadLibrary(nameOrPath: string, requester?: PeModuleRef): ModuleRef;
  find(name: string): ModuleRef | undefined;
  byBase(base: number): ModuleRef | undefined;
  moduleAt(addr: number): PeModuleRef | undefined;
  getProcAddress(m: ModuleRef, ref: { name: string; hint: number } | { ordinal: number }): number | undefined;
  free(m: ModuleRef): void;
  describe(addr: number): string | undefined;
  /** DLL_THREAD_ATTACH (2) / DLL_THREAD_DETACH (3) to every initialized DLL, TLS callbacks included. */
  notifyThreads?(reason: number): void;
}

/** A typed key for per-DLL state kept in the process (see Process.state). */
export interface StateKey<T> {
  readonly name: string;
  create(p: Process): T;
}
export function stateKey<T>(name: string, create: (p: Process) => T): StateKey<T> {
  return { name, create };
}

export interface ProcessOptions {
  /** Environment variables the guest sees (nothing of the host's leaks in unless given here). */
  env?: Record<string, string>;
  /** The command line GetCommandLine returns. */
  commandLine?: string;
  /** Receives what the guest writes to its standard output / error / console. */
  output?: (stream: 'stdout' | 'stderr', bytes: Uint8Array) => void;
  /** Receives one line per traced API call when tracing is on. */
  trace?: (line: string) => void;
  /**
   * Answers the DLL's message boxes: return the button id pressed (IDOK = 1, IDYES = 6, ...), or nothing
   * for the box's default button. Without it, each box is logged as a line on stderr and answered with
   * its default button.
   */
  onMessageBox?: (e: MessageBoxEvent) => number | void;
  /** The registry the guest starts with besides the Windows 10 defaults (thunks/advapi32/registry.ts). */
  registry?: RegistryOptions;
  /** The guest's drive C: (thunks/vfs): a granted host folder or an in-memory volume; default an empty read-only one. */
  fs?: FileSystemOptions;
  /** What the guest reads from its standard input (ReadFile on it, ReadConsole); default: nothing, at once the end. */
  stdin?: string | Uint8Array;
  /** The time zone (default UTC): Bias in minutes as Windows counts it (UTC = local time + bias), and its name. No daylight saving. */
  timeZone?: { bias: number; standardName?: string };
}

export interface GuestThread {
  readonly id: number;
  readonly teb: number;
  readonly stackBase: number; // highest address (exclusive)
  readonly stackLimit: number; // lowest committed address
  readonly stackReservation: number;
  /** The guard page below the stack was committed for a stack overflow's handlers. */
  guardPageUsed?: boolean;
  /** TEB+0x2C array of per-module static TLS blocks. */
  readonly tlsArray: number;
}

// TEB field offsets (32-bit).
export const TEB = {
  exceptionList: 0x00,
  stackBase: 0x04,
  stackLimit: 0x08,
  self: 0x18,
  clientIdProcess: 0x20,
  clientIdThread: 0x24,
  threadLocalStoragePointer: 0x2c,
  peb: 0x30,
  lastErrorValue: 0x34,
  tlsSlots: 0xe10,
  tlsExpansionSlots: 0xf94,
} as const;
export const TLS_MINIMUM_AVAILABLE = 64;
export const TLS_EXPANSION_SLOTS = 1024;

const STACK_SIZE = 0x10_0000; // 1 MiB, the Windows default
const PROCESS_ID = 0x1a4;

export class Process {
  readonly cpu: Cpu;
  readonly mem: GuestMemory;
  readonly handles = new HandleTable();
  readonly heap: Heap;
  readonly heaps = new Map<number, Heap>();
  readonly threads: GuestThread[] = [];
  readonly peb: number;
  readonly ansiCodePage: CodePage = 1252;
  readonly oemCodePage: CodePage = 437;
  readonly processId = PROCESS_ID;
  readonly createdAt = Date.now(); // when the process started (ms since 1970), for GetProcessTimes
  /** Structured exception handling: the dispatcher and unwinder. */
  readonly seh: SehRuntime;
  /** Return address of the API call being serviced (for messages). */
  caller = 0;
  tracing = false;
  modules!: ModuleManager;
  readonly env = new Map<string, { name: string; value: string }>();
  readonly commandLine: string;
  /** Guest objects created once per process (command line strings, std handles, ...). */
  readonly cached = new Map<string, number>();
  /** The host "EXE" (no real image: a header page standing for the process that loaded the DLL). */
  readonly hostExeBase: number;
  readonly hostExePath = 'C:\\wowasm\\host.exe';

  private readonly specs = new Map<string, DllSpec>();
  private readonly aliases: ((name: string) => string | undefined)[] = [];
  private readonly knownDlls: Set<string>;
  /** Windows DLLs without a table that load as modules of named stubs (thunks/system-dlls.ts). */
  private readonly stubModules: (name: string) => boolean;
  private readonly builtins = new Map<string, BuiltinDllInstance>();
  private readonly dllState = new Map<string, unknown>();
  private readonly tlsSlotsUsed = new Uint8Array(TLS_MINIMUM_AVAILABLE + TLS_EXPANSION_SLOTS);
  /** Static TLS index -> the module holding it (undefined: free for the next DLL with TLS). */
  private readonly staticTlsModules: (PeModuleRef | undefined)[] = [];
  private current!: GuestThread;
  /** Guest threads: creation, scheduling, blocking waits. */
  readonly scheduler: Scheduler;
  private staticArena = { at: 0, end: 0 };
  private readonly out: NonNullable<ProcessOptions['output']>;
  private readonly traceSink: (line: string) => void;
  /** ProcessOptions.onMessageBox (user32's MessageBox asks it). */
  readonly onMessageBox: ProcessOptions['onMessageBox'];
  /** ProcessOptions.registry (advapi32 builds the registry from it on first use). */
  readonly registryOptions: RegistryOptions | undefined;
  /** ProcessOptions.fs (thunks/vfs/volume.ts builds the volume from it on first use). */
  readonly fsOptions: FileSystemOptions | undefined;
  /** ProcessOptions.stdin and .timeZone (kernel32's console input and time zone). */
  readonly stdinOption: ProcessOptions['stdin'];
  readonly timeZoneOption: ProcessOptions['timeZone'];
  /** Run for a thread that ends (ExitThread or its routine returning), before DLL_THREAD_DETACH. */
  readonly threadExitHooks: ((t: GuestThread) => void)[] = [];
  /** Run after a host call ended abnormally (an unhandled exception, an error): state that pointed into its stack is dropped. */
  readonly callAbortHooks: (() => void)[] = [];

  constructor(cpu: Cpu, registry: { specs: DllSpec[]; knownDlls: string[]; aliases?: (name: string) => string | undefined; stubModules?: (name: string) => boolean }, opts: ProcessOptions = {}) {
    this.cpu = cpu;
    this.mem = cpu.mem;
    for (const s of registry.specs) this.specs.set(s.name, s);
    if (registry.aliases) this.aliases.push(registry.aliases);
    this.knownDlls = new Set(registry.knownDlls);
    this.stubModules = registry.stubModules ?? (() => false);
    this.out = opts.output ?? ((stream, bytes) => (stream === 'stdout' ? process.stdout : process.stderr).write(bytes));
    this.traceSink = opts.trace ?? ((line) => process.stderr.write(line + '\n'));
    this.onMessageBox = opts.onMessageBox;
    this.registryOptions = opts.registry;
    this.fsOptions = opts.fs;
    this.stdinOption = opts.stdin;
    this.timeZoneOption = opts.timeZone;
    this.tracing = opts.trace !== undefined;
    this.commandLine = opts.commandLine ?? 'C:\\wowasm\\host.exe';
    const env = opts.env ?? { SystemRoot: 'C:\\Windows', windir: 'C:\\Windows', TEMP: 'C:\\Temp', TMP: 'C:\\Temp', PATH: 'C:\\Windows\\system32;C:\\Windows' };
    for (const [k, v] of Object.entries(env)) this.env.set(k.toUpperCase(), { name: k, value: v });

    this.peb = this.mem.map(0x1000, PROT.rw, { topDown: true, max: 0x7ffe_0000 });
    const heapHandle = this.mem.map(0x1000, PROT.rw);
    this.heap = new Heap(this.mem, heapHandle);
    this.heaps.set(heapHandle, this.heap);
    this.hostExeBase = mapImageHeader(this, 'host.exe', false);
    this.initPeb();
    const main = this.createThread();
    this.current = main;
    this.cpu.setFsBase(main.teb);
    this.cpu.describeAddress = (a) => this.describe(a);
    this.seh = new SehRuntime(this);
    this.cpu.onFault = (f) => this.onCpuFault(f);
    this.scheduler = new Scheduler(this);
    this.cpu.onCallAborted = () => {
      this.scheduler.resetAfterAbort();
      // The aborted call's registration frames are gone with its stack: the next call starts a new chain.
      this.mem.setU32(this.mainThread.teb + TEB.exceptionList, 0xffff_ffff);
      this.nestedCalls.clear();
      for (const hook of this.callAbortHooks) hook();
    };
  }

  /** The thread host calls run on (the first one). */
  get mainThread(): GuestThread {
    return this.threads[0]!;
  }

  /** The thread running now. */
  get currentThread(): GuestThread {
    return this.current;
  }

  /** Makes `t` the running thread: FS points at its TEB (the scheduler has loaded its registers). */
  setCurrentThread(t: GuestThread): void {
    this.current = t;
    this.cpu.setFsBase(t.teb);
  }

  /** DLL_THREAD_ATTACH to every loaded DLL, in the new thread (which is current). */
  threadAttach(_t: GuestThread): void {
    this.modules?.notifyThreads?.(2);
  }

  /** DLL_THREAD_DETACH, then the thread's static TLS blocks are freed. */
  threadDetach(t: GuestThread): void {
    for (const hook of this.threadExitHooks) hook(t); // FLS callbacks, before DLL_THREAD_DETACH
    this.modules?.notifyThreads?.(3);
    for (let i = 0; i < 64; i++) {
      const block = this.mem.u32(t.tlsArray + 4 * i);
      if (block) this.heap.free(block);
    }
  }

  // ---- per-DLL state ------------------------------------------------------------------------

  state<T>(key: StateKey<T>): T {
    let s = this.dllState.get(key.name) as T | undefined;
    if (s === undefined) {
      s = key.create(this);
      this.dllState.set(key.name, s);
    }
    return s;
  }

  // ---- built-in DLLs (the loader's LoaderHost side) -----------------------------------------

  builtin(name: string): BuiltinDllInstance | undefined {
    return this.builtinDll(name);
  }

  builtinDll(name: string): BuiltinDllInstance | undefined {
    const key = this.canonicalDll(name);
    let b = this.builtins.get(key);
    if (!b) {
      const spec = this.specs.get(key) ?? (this.stubModules(key) ? { name: key, exports: {} } : undefined);
      if (!spec) return undefined;
      b = new BuiltinDllInstance(this, spec, !this.specs.has(key));
      this.builtins.set(key, b);
    }
    return b;
  }

  /** Every built-in DLL spec, for coverage reports. */
  builtinSpecs(): DllSpec[] {
    return [...this.specs.values()];
  }

  hasBuiltin(name: string): boolean {
    return this.specs.has(this.canonicalDll(name));
  }

  private canonicalDll(name: string): string {
    const n = name.toLowerCase();
    for (const a of this.aliases) {
      const to = a(n);
      if (to) return to;
    }
    return n;
  }

  isKnownDll(name: string): boolean {
    return this.knownDlls.has(this.canonicalDll(name));
  }

  callStdcall(addr: number, args: number[]): number {
    return this.callGuest(addr, 'stdcall', args);
  }

  /**
   * Calls guest code (only from reentrant handlers, or from the host between calls). A call made from
   * inside an API call is a boundary for exceptions: guest frames registered above `boundary` (by
   * default the call's stack top) belong to the code the API returns to, so the exception dispatcher
   * passes exceptions on to them through the API's caller (seh.ts), not from inside this call.
   */
  callGuest(addr: number, conv: CallConv, args: readonly number[], opts: CallOptions & { boundary?: number } = {}): number {
    if (this.cpu.callDepth === 0) return callGuest(this.cpu, addr, this.currentThread.stackBase - 16, conv, args, opts);
    const top = opts.stackTop ?? frameTop(this.cpu, 0);
    const id = this.currentThread.id;
    let tops = this.nestedCalls.get(id);
    if (!tops) this.nestedCalls.set(id, (tops = []));
    tops.push(opts.boundary ?? top);
    try {
      return callGuest(this.cpu, addr, top, conv, args, { ...opts, stackTop: top });
    } finally {
      tops.pop();
    }
  }

  /** Per thread: the boundaries of the host->guest calls running inside API calls, innermost last. */
  private readonly nestedCalls = new Map<number, number[]>();

  /** The running thread's innermost such boundary, if any. */
  nestedCallBoundary(): number | undefined {
    const tops = this.nestedCalls.get(this.currentThread.id);
    return tops?.[tops.length - 1];
  }

  // ---- static TLS (__declspec(thread) data of loaded images) --------------------------------

  attachStaticTls(m: PeModuleRef, tls: NonNullable<PeModuleRef['tls']>): void {
    let index = this.staticTlsModules.indexOf(undefined);
    if (index < 0) index = this.staticTlsModules.length;
    if (index >= 64) throw new WowasmError('WOWASM_TOO_MANY_TLS_DLLS', `${m.name}: more than 64 loaded DLLs with static TLS (__declspec(thread) data)`);
    this.staticTlsModules[index] = m;
    m.tlsIndex = index;
    if (tls.addressOfIndex) this.mem.setU32(tls.addressOfIndex, index);
    for (const t of this.threads) this.mem.setU32(t.tlsArray + 4 * index, this.staticTlsBlock(tls));
  }

  detachStaticTls(m: PeModuleRef): void {
    if (m.tlsIndex === undefined) return;
    for (const t of this.threads) {
      const block = this.mem.u32(t.tlsArray + 4 * m.tlsIndex);
      if (block) this.heap.free(block);
      this.mem.setU32(t.tlsArray + 4 * m.tlsIndex, 0);
    }
    this.staticTlsModules[m.tlsIndex] = undefined;
  }

  private staticTlsBlock(tls: NonNullable<PeModuleRef['tls']>): number {
    const dataSize = Math.max(0, tls.endOfRawData - tls.startOfRawData);
    const block = this.heap.alloc(dataSize + tls.sizeOfZeroFill + 8, true);
    if (dataSize) this.mem.write(block, this.mem.read(tls.startOfRawData, dataSize));
    return block;
  }

  // ---- dynamic TLS slots (TlsAlloc) ---------------------------------------------------------

  tlsAlloc(): number {
    const i = this.tlsSlotsUsed.indexOf(0);
    if (i < 0) return 0xffff_ffff; // TLS_OUT_OF_INDEXES
    this.tlsSlotsUsed[i] = 1;
    for (const t of this.threads) this.tlsSet(i, 0, t);
    return i;
  }

  /** Frees a slot and clears it in every thread, as TlsFree does. */
  tlsFree(i: number): boolean {
    if (i >= this.tlsSlotsUsed.length || !this.tlsSlotsUsed[i]) return false;
    this.tlsSlotsUsed[i] = 0;
    for (const t of this.threads) this.tlsSet(i, 0, t);
    return true;
  }

  /** Is `i` a slot index at all (allocated or not)? */
  tlsInRange(i: number): boolean {
    return i < this.tlsSlotsUsed.length;
  }

  tlsGet(i: number, t = this.currentThread): number {
    if (i < TLS_MINIMUM_AVAILABLE) return this.mem.u32(t.teb + TEB.tlsSlots + 4 * i);
    const exp = this.mem.u32(t.teb + TEB.tlsExpansionSlots);
    return exp ? this.mem.u32(exp + 4 * (i - TLS_MINIMUM_AVAILABLE)) : 0;
  }

  tlsSet(i: number, v: number, t = this.currentThread): void {
    if (i < TLS_MINIMUM_AVAILABLE) return this.mem.setU32(t.teb + TEB.tlsSlots + 4 * i, v);
    let exp = this.mem.u32(t.teb + TEB.tlsExpansionSlots);
    if (!exp) {
      exp = this.heap.alloc(4 * TLS_EXPANSION_SLOTS, true);
      this.mem.setU32(t.teb + TEB.tlsExpansionSlots, exp);
    }
    this.mem.setU32(exp + 4 * (i - TLS_MINIMUM_AVAILABLE), v);
  }

  // ---- errors -------------------------------------------------------------------------------

  get lastError(): number {
    return this.mem.u32(this.currentThread.teb + TEB.lastErrorValue);
  }

  setLastError(code: number): void {
    this.mem.setU32(this.currentThread.teb + TEB.lastErrorValue, code >>> 0);
  }

  /**
   * Raises a CPU-style exception from inside an API (a helper that divides by zero does so on Windows
   * too). Becomes a GuestFaultError located at the API's caller.
   */
  raiseException(exceptionCode: number, description: string, params: number[] = []): never {
    const location = this.describe(this.caller);
    const info = { code: exceptionCode, flags: 0, address: this.caller, params, description, vector: exceptionCode === EXCEPTION.INT_DIVIDE_BY_ZERO ? 0 : -1 };
    // The trap that called the API raises it in the guest, at the API's call site.
    throw new UnhandledGuestException(`${description} at ${location}`, info, this.cpu.registers(), location, [location]);
  }

  raiseIntegerDivideByZero(): never {
    return this.raiseException(EXCEPTION.INT_DIVIDE_BY_ZERO, 'integer division by zero');
  }

  // ---- memory for built-in variables --------------------------------------------------------

  /** Zeroed guest memory that lives as long as the process (data exports, CRT globals). */
  allocStatic(size: number, align = 16): number {
    let at = Math.ceil(this.staticArena.at / align) * align;
    if (at + size > this.staticArena.end) {
      const chunk = Math.max(0x1_0000, Math.ceil(size / 0x1_0000) * 0x1_0000);
      const base = this.mem.map(chunk, PROT.rw);
      this.staticArena = { at: base, end: base + chunk };
      at = base;
    }
    this.staticArena.at = at + size;
    return at;
  }

  // ---- strings ------------------------------------------------------------------------------

  readStr(addr: number): string | null {
    return readAnsi(this.mem, addr, this.ansiCodePage);
  }

  readWStr(addr: number): string | null {
    return readWide(this.mem, addr);
  }

  // ---- console ------------------------------------------------------------------------------

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    if (bytes.length) this.out(stream, bytes);
  }

  // ---- naming addresses ---------------------------------------------------------------------

  /** "zlib1.dll+0x1a2b", "kernel32.dll!HeapAlloc" (a trap stub), or the bare address. */
  describe(addr: number): string {
    const a = addr >>> 0;
    return this.modules?.describe(a) ?? (this.cpu.trapName(a) ? `wowasm ${this.cpu.trapName(a)}` : undefined) ?? `0x${a.toString(16).padStart(8, '0')}`;
  }

  /** Where the API call being serviced came from. */
  where(): string {
    return this.describe(this.caller);
  }

  // ---- tracing ------------------------------------------------------------------------------

  trace(label: string, args: unknown[], result: unknown, ret: RetType): void {
    const fmt = (v: unknown): string =>
      typeof v === 'number' ? '0x' + (v >>> 0).toString(16) : typeof v === 'string' ? JSON.stringify(v) : typeof v === 'bigint' ? v.toString() + 'n' : v === null ? 'NULL' : String(v);
    const shown = args.filter((a) => typeof a !== 'object' || a === null).map(fmt);
    const r = result instanceof Error ? `threw ${result.name}` : ret === 'void' ? '' : ` -> ${fmt(result)}`;
    this.traceSink(`${label}(${shown.join(', ')})${r}  [from ${this.describe(this.caller)}]`);
  }

  // ---- set-up -------------------------------------------------------------------------------

  private initPeb(): void {
    const m = this.mem;
    const p = this.peb;
    m.setU32(p + 0x08, this.hostExeBase); // ImageBaseAddress
    m.setU32(p + 0x18, this.heap.handle); // ProcessHeap
    m.setU32(p + 0x64, 1); // NumberOfProcessors
    m.setU32(p + 0xa4, 10); // OSMajorVersion
    m.setU32(p + 0xa8, 0); // OSMinorVersion
    m.setU16(p + 0xac, 19045); // OSBuildNumber
    m.setU32(p + 0xb0, 2); // OSPlatformId: VER_PLATFORM_WIN32_NT
  }

  /** A thread's TEB and stack (the main thread at start-up). */
  createThread(): GuestThread {
    const m = this.mem;
    const teb = m.map(0x2000, PROT.rw, { topDown: true, max: 0x7ffe_0000 });
    const stack = m.reserve(STACK_SIZE);
    // All but the lowest page committed; touching that one is a stack overflow.
    m.commit(stack + 0x1000, STACK_SIZE - 0x1000, PROT.rw);
    const tlsArray = m.map(0x1000, PROT.rw);
    const id = PROCESS_ID + 4 + 4 * this.threads.length;
    const t: GuestThread = { id, teb, stackBase: stack + STACK_SIZE, stackLimit: stack + 0x1000, stackReservation: stack, tlsArray };
    m.setU32(teb + TEB.exceptionList, 0xffff_ffff);
    m.setU32(teb + TEB.stackBase, t.stackBase);
    m.setU32(teb + TEB.stackLimit, t.stackLimit);
    m.setU32(teb + TEB.self, teb);
    m.setU32(teb + TEB.clientIdProcess, PROCESS_ID);
    m.setU32(teb + TEB.clientIdThread, id);
    m.setU32(teb + TEB.threadLocalStoragePointer, tlsArray);
    m.setU32(teb + TEB.peb, this.peb);
    // Static TLS of the DLLs loaded so far: a block each for this thread too.
    this.staticTlsModules.forEach((mod, index) => {
      if (mod?.tls) m.setU32(tlsArray + 4 * index, this.staticTlsBlock(mod.tls));
    });
    this.threads.push(t);
    return t;
  }

  /**
   * A CPU exception in guest code: dispatch it to the guest's handlers (SEH). A fault on a stack's guard
   * page is a stack overflow: the page is committed so the handlers have room, once.
   */
  private onCpuFault(f: CpuFault & ClassifiedFault): FaultDecision {
    const t = this.currentThread;
    let info: ExceptionInfo = { code: f.exceptionCode, flags: 0, address: f.eip, params: faultParams(f), description: f.description, vector: f.vector };
    if (f.vector === 14 && f.address !== undefined && f.address >= t.stackReservation && f.address < t.stackLimit) {
      if (t.guardPageUsed) return { action: 'abort', exceptionCode: EXCEPTION.STACK_OVERFLOW, description: 'stack overflow (again, with the guard page used up)' };
      t.guardPageUsed = true;
      this.mem.commit(t.stackReservation, t.stackLimit - t.stackReservation, PROT.rw);
      info = { ...info, code: EXCEPTION.STACK_OVERFLOW, description: 'stack overflow' };
    }
    try {
      const { eip, esp } = this.seh.prepare(info, f.registers);
      return { action: 'redirect', eip, esp };
    } catch {
      // No room on the guest stack for the exception record: nothing can handle it.
      return { action: 'abort', exceptionCode: info.code, ...(info.description ? { description: info.description } : {}) };
    }
  }
}

export type { ExportRef };

/** ExceptionInformation of a CPU fault: for access violations, the access kind (0 read, 1 write, 8 execute) and address. */
function faultParams(f: ClassifiedFault): number[] {
  if (f.exceptionCode !== EXCEPTION.ACCESS_VIOLATION || f.address === undefined) return [];
  return [f.access === 'write' ? 1 : f.access === 'execute' ? 8 : 0, f.address];
}
