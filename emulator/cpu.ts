// The emulated 32-bit x86 CPU: the v86 wasm core instantiated with host functions of our own (no BIOS,
// no devices), booted into protected mode with paging, running guest code in ring 3. Guest code reaches
// the host through trap stubs (`out` to a port the TSS bitmap opens); host->guest calls end on a return
// stub; CPU exceptions land in ring-0 stubs that `hlt`, which hands control back to the host.
//
// Only this file and v86-internals.ts know that v86 is underneath.

import { BudgetExceededError, EmulatorCrashedError, GuestFaultError, WowasmError, type RegisterDump } from './errors.js';
import { f64ToF80, f80ToF32, f80ToF64, type F80 } from './f80.js';
import { classifyFault, type ClassifiedFault, type CpuFault } from './faults.js';
import {
  BOOT_CODE,
  BOOT_DATA,
  PAGE_SIZE,
  PARK_STUB,
  PORT,
  RESET_VECTOR,
  RETURN_STUB,
  SEL,
  SYS_GDT,
  SYS_IDT,
  SYS_STACK_BASE,
  SYS_STACK_TOP,
  SYS_STUBS,
  SYS_TSS,
  TRAP_BASE,
  TRAP_MAX,
  TRAP_REGION_SIZE,
  TRAP_STUB_SIZE,
} from './layout.js';
import {
  bootCode,
  controlStubs,
  descriptorTableRegister,
  FAULT_STUB_HLT_END,
  FAULT_STUB_SIZE,
  faultStubs,
  gdt,
  idt,
  resetVectorJump,
  tebDescriptor,
  TRAP_OUT_LENGTH,
  trapStub,
  tss,
} from './machine-code.js';
import { GuestMemory, PROT, type PhysicalMemory } from './memory.js';
import {
  jitImportsFrom,
  OFF,
  SREG,
  unexpectedImports,
  v86Module,
  WASM_TABLE_OFFSET,
  WASM_TABLE_SIZE,
  type V86Exports,
  type V86Imports,
} from './v86-internals.js';

export type Reg = 'eax' | 'ecx' | 'edx' | 'ebx' | 'esp' | 'ebp' | 'esi' | 'edi';
const REG_INDEX: Record<Reg, number> = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7 };

/** A host function guest code can call. It runs with the guest's registers in place and must set the
 * return state itself (thunks/dispatch.ts does: result registers, EIP <- return address, ESP). */
export type TrapHandler = (cpu: Cpu) => void;

export interface TrapOptions {
  /** Name for error messages and traces ("kernel32.dll!HeapAlloc"). */
  name: string;
  /**
   * The handler calls back into guest code (cpu.execute). Such handlers run outside the CPU's inner loop,
   * which costs a little more per call; all others run inline.
   */
  reentrant?: boolean;
}

export interface CpuOptions {
  /** Guest RAM in MiB (default 256). Untouched RAM costs address space, not resident memory. */
  memoryMiB?: number;
  /** Compile hot guest code to wasm (default true). */
  jit?: boolean;
  /** Guest run time allowed per outermost call, in ms; 0 = unlimited (default 10,000). */
  timeoutMs?: number;
}

/** What a guest exception handler may decide (see Cpu.onFault). */
export type FaultDecision =
  | { action: 'abort'; exceptionCode?: number; description?: string }
  | { action: 'resume' }
  | { action: 'redirect'; eip: number; esp: number };

/** Registers at the moment a host->guest call returned to the return stub. */
export interface ReturnState {
  eax: number;
  edx: number;
  esp: number;
}

/** A thread's CPU state (see Cpu.captureThreadState). */
export interface ThreadState {
  regs: Int32Array;
  eip: number;
  eflags: number;
  fpu: Uint8Array;
}

/** Byte ranges of v86's state holding x87 and SSE registers: stack tags, MXCSR+XMM, stack top+control+status, ST(0-7). */
const FPU_SPANS: [number, number][] = [
  [OFF.fpuStackEmpty, OFF.fpuStackEmpty + 1],
  [OFF.mxcsr, OFF.regXmm + 8 * 16],
  [OFF.fpuStackPtr, OFF.fpuStatusWord + 2],
  [OFF.fpuSt, OFF.fpuSt + 8 * 16],
];

const enum Stop {
  None = 0,
  Return = 1,
  DeferredTrap = 2,
  Error = 3,
  Park = 4,
}

interface Trap {
  name: string;
  handler: TrapHandler;
  reentrant: boolean;
}

let nextInstanceId = 1;

export class Cpu {
  readonly mem: GuestMemory;
  /** Time budget per outermost call in ms (0 = none). */
  timeoutMs: number;
  /** Names an address for error messages ("zlib1.dll+0x1a2b"); set by the process that owns the CPU. */
  describeAddress: (addr: number) => string = (addr) => '0x' + (addr >>> 0).toString(16).padStart(8, '0');
  /**
   * Called for every CPU exception in guest code before it becomes a GuestFaultError; structured exception
   * handling hooks in here. Default: abort the call.
   */
  onFault: ((fault: CpuFault & ClassifiedFault) => FaultDecision) | undefined;
  readonly returned: ReturnState = { eax: 0, edx: 0, esp: 0 };
  /** Called when a time slice (about a millisecond) of user code ends; the scheduler preempts here. */
  onSliceEnd: (() => void) | undefined;
  /** Called after an outermost call was abandoned (a fault, an error, the budget), once the CPU is idle. */
  onCallAborted: (() => void) | undefined;
  readonly id = nextInstanceId++;

  private readonly ex: V86Exports;
  private readonly table: WebAssembly.Table;
  private readonly phys: PhysicalMemory & { base: number };
  private reg!: Int32Array;
  private ip!: Int32Array;
  private inHlt!: Uint8Array;
  private state8!: Uint8Array;
  private stateDv!: DataView;
  private buffer!: ArrayBuffer;
  private readonly jitPending: { index: number; start: number; flags: number; module: WebAssembly.Module }[] = [];
  private readonly traps: Trap[] = [];
  private stop: Stop = Stop.None;
  private pendingTrap: Trap | undefined;
  private pendingError: unknown;
  private depth = 0;
  private insideLoop = false;
  private deadline = 0; // 0 = none, -1 = set at the next microtick
  private dead: EmulatorCrashedError | undefined;
  /** Counters for tests and benchmarks. */
  readonly stats = { jitCompiles: 0, jitCompileFailures: 0, traps: 0, slices: 0 };

  static create(opts: CpuOptions = {}): Cpu {
    return new Cpu(opts);
  }

  private constructor(opts: CpuOptions) {
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    const mod = v86Module();
    const extra = unexpectedImports(mod);
    if (extra.length) throw new EmulatorCrashedError(`this v86 build imports functions wowasm does not provide: ${extra.join(', ')}`);
    this.table = new WebAssembly.Table({ element: 'anyfunc', initial: WASM_TABLE_OFFSET + WASM_TABLE_SIZE });
    const instance = new WebAssembly.Instance(mod, { env: { ...this.imports(), __indirect_function_table: this.table } });
    this.ex = instance.exports as unknown as V86Exports;
    this.ex.rust_init();
    if (opts.jit === false) this.ex.set_jit_config(0, 1);

    const size = Math.max(16, Math.floor(opts.memoryMiB ?? 256)) * 1024 * 1024;
    const self = this;
    this.phys = {
      size,
      base: 0,
      u8: new Uint8Array(0),
      dv: new DataView(new ArrayBuffer(0)),
      flushTlb: () => this.ex.full_clear_tlb(),
      invalidateCode(start: number, end: number) {
        self.ex.jit_dirty_cache(start, end);
      },
    };
    new Uint32Array(this.ex.memory.buffer, OFF.memorySize, 1)[0] = size;
    this.phys.base = this.ex.allocate_memory(size);
    this.refreshViews();
    this.ex.reset_cpu();
    this.mem = new GuestMemory(this.phys, [BOOT_CODE >>> 12, RESET_VECTOR >>> 12]);
    this.boot();
  }

  // ---- registers ----------------------------------------------------------------------------

  get(r: Reg): number {
    return this.reg[REG_INDEX[r]]! >>> 0;
  }
  set(r: Reg, v: number): void {
    this.reg[REG_INDEX[r]] = v;
  }
  get eax(): number {
    return this.reg[0]! >>> 0;
  }
  set eax(v: number) {
    this.reg[0] = v;
  }
  get ecx(): number {
    return this.reg[1]! >>> 0;
  }
  set ecx(v: number) {
    this.reg[1] = v;
  }
  get edx(): number {
    return this.reg[2]! >>> 0;
  }
  set edx(v: number) {
    this.reg[2] = v;
  }
  get esp(): number {
    return this.reg[4]! >>> 0;
  }
  set esp(v: number) {
    this.reg[4] = v;
  }
  get eip(): number {
    return this.ip[0]! >>> 0;
  }
  set eip(v: number) {
    this.ip[0] = v;
  }
  get eflags(): number {
    return this.ex.get_eflags() >>> 0;
  }
  /**
   * Sets the flags user code may change (arithmetic, TF, DF, AC, ID), as popfd in ring 3 would; the
   * system flags (IF, IOPL, VM, ...) keep their values.
   */
  setEflags(v: number): void {
    const USER_FLAGS = 0x0025_0dd5; // CF PF AF ZF SF TF DF OF AC ID
    const merged = ((this.ex.get_eflags() & ~USER_FLAGS) | (v & USER_FLAGS) | 2) >>> 0;
    // v86 computes arithmetic flags lazily: store them all as computed.
    this.stateDv.setInt32(OFF.flags, merged | 0, true);
    this.stateDv.setInt32(OFF.flagsChanged, 0, true);
  }
  get cpl(): number {
    return this.state8[OFF.cpl]!;
  }
  cr(n: number): number {
    return this.stateDv.getUint32(OFF.cr + n * 4, true);
  }
  segmentBase(sreg: keyof typeof SREG): number {
    return this.stateDv.getUint32(OFF.segmentOffsets + SREG[sreg] * 4, true);
  }
  selector(sreg: keyof typeof SREG): number {
    return this.stateDv.getUint16(OFF.sreg + SREG[sreg] * 2, true);
  }

  registers(): RegisterDump {
    const r = this.reg;
    return {
      eax: r[0]! >>> 0,
      ecx: r[1]! >>> 0,
      edx: r[2]! >>> 0,
      ebx: r[3]! >>> 0,
      esp: r[4]! >>> 0,
      ebp: r[5]! >>> 0,
      esi: r[6]! >>> 0,
      edi: r[7]! >>> 0,
      eip: this.eip,
      eflags: this.eflags,
    };
  }

  // ---- x87 stack (float and double values cross the call boundary in ST(0)) ------------------

  /** Number of occupied x87 stack slots. */
  fpuDepth(): number {
    const empty = this.state8[OFF.fpuStackEmpty]!;
    let n = 0;
    for (let i = 0; i < 8; i++) if (((empty >> i) & 1) === 0) n++;
    return n;
  }

  /** Reads ST(0) and pops it, as a caller of a function returning float or double does. */
  popSt0(as: 'f64' | 'f32' = 'f64'): number {
    const v = this.st0();
    if (!v) return NaN; // nothing was returned: the x87 would load its indefinite NaN
    this.popFpu();
    return as === 'f32' ? f80ToF32(v) : f80ToF64(v);
  }

  /**
   * Pops ST(0) and truncates it toward zero to a 64-bit integer from its full extended precision (as
   * _ftol does); NaN, infinities and values out of range give the x87's integer indefinite, -2^63.
   */
  popSt0Truncated(): bigint {
    const indefinite = -(1n << 63n);
    const st0 = this.st0();
    this.popFpu(); // popped even when empty
    if (!st0) return indefinite;
    const { mantissa, signExponent } = st0;
    const exp = signExponent & 0x7fff;
    if (exp === 0x7fff) return indefinite;
    const shift = exp - 16383 - 63; // value = mantissa * 2^shift
    const magnitude = shift >= 0 ? (shift > 64 ? 1n << 64n : mantissa << BigInt(shift)) : shift < -64 ? 0n : mantissa >> BigInt(-shift);
    const v = signExponent & 0x8000 ? -magnitude : magnitude;
    return v < indefinite || v >= 1n << 63n ? indefinite : v;
  }

  /** ST(0) as it is stored, or undefined when its slot is empty. */
  private st0(): F80 | undefined {
    const top = this.state8[OFF.fpuStackPtr]! & 7;
    if ((this.state8[OFF.fpuStackEmpty]! >> top) & 1) return undefined;
    const at = OFF.fpuSt + top * 16;
    return { mantissa: this.stateDv.getBigUint64(at, true), signExponent: this.stateDv.getUint16(at + 8, true) };
  }

  /** Marks ST(0) empty and moves the stack top up, as fstp does. */
  private popFpu(): void {
    const top = this.state8[OFF.fpuStackPtr]! & 7;
    this.state8[OFF.fpuStackEmpty] = this.state8[OFF.fpuStackEmpty]! | (1 << top);
    this.state8[OFF.fpuStackPtr] = (top + 1) & 7;
  }

  /** Pushes a value on the x87 stack, as a function returning float or double leaves it. */
  pushSt0(value: number): void {
    const top = (this.state8[OFF.fpuStackPtr]! - 1) & 7;
    const v = f64ToF80(value);
    const at = OFF.fpuSt + top * 16;
    this.stateDv.setBigUint64(at, v.mantissa, true);
    this.stateDv.setUint16(at + 8, v.signExponent, true);
    this.state8[OFF.fpuStackPtr] = top;
    this.state8[OFF.fpuStackEmpty] = this.state8[OFF.fpuStackEmpty]! & ~(1 << top);
  }

  /** The x87 control word (precision, rounding, exception masks); a write affects later x87 instructions. */
  get x87ControlWord(): number {
    return this.stateDv.getUint16(OFF.fpuControlWord, true);
  }
  set x87ControlWord(v: number) {
    this.stateDv.setUint16(OFF.fpuControlWord, v & 0xffff, true);
  }

  /** The x87 status word as fnstsw stores it (TOP in bits 11-13); a write keeps TOP. */
  get x87StatusWord(): number {
    const top = this.state8[OFF.fpuStackPtr]! & 7;
    return (this.stateDv.getUint16(OFF.fpuStatusWord, true) & ~(7 << 11)) | (top << 11);
  }
  set x87StatusWord(v: number) {
    this.stateDv.setUint16(OFF.fpuStatusWord, v & ~(7 << 11) & 0xffff, true);
  }

  /** The SSE control/status register. */
  get mxcsr(): number {
    return this.stateDv.getUint32(OFF.mxcsr, true);
  }
  set mxcsr(v: number) {
    this.stateDv.setUint32(OFF.mxcsr, v >>> 0, true);
  }

  /**
   * Everything of the CPU one thread owns: general registers, EIP, EFLAGS, and the x87/SSE state
   * (registers, stack top, tags, control/status words, MXCSR). The FS base (its TEB) is set apart.
   */
  captureThreadState(): ThreadState {
    const fpu = new Uint8Array(FPU_SPANS.reduce((n, [a, b]) => n + (b - a), 0));
    let at = 0;
    for (const [a, b] of FPU_SPANS) {
      fpu.set(this.state8.subarray(a, b), at);
      at += b - a;
    }
    return { regs: this.reg.slice(), eip: this.ip[0]! >>> 0, eflags: this.eflags, fpu };
  }

  restoreThreadState(t: ThreadState): void {
    this.reg.set(t.regs);
    this.ip[0] = t.eip;
    this.setEflags(t.eflags);
    let at = 0;
    for (const [a, b] of FPU_SPANS) {
      this.state8.set(t.fpu.subarray(at, at + (b - a)), a);
      at += b - a;
    }
  }

  /** Empties the x87 stack (after an aborted call left values on it). */
  resetFpuStack(): void {
    this.state8[OFF.fpuStackEmpty] = 0xff;
  }

  // ---- traps --------------------------------------------------------------------------------

  /** Creates a guest-callable entry point that runs `handler` on the host. Returns its guest address. */
  defineTrap(handler: TrapHandler, opts: TrapOptions): number {
    const id = this.traps.length;
    if (id >= TRAP_MAX) throw new WowasmError('WOWASM_TOO_MANY_TRAPS', `more than ${TRAP_MAX} host entry points defined`);
    this.traps.push({ name: opts.name, handler, reentrant: opts.reentrant ?? false });
    const addr = TRAP_BASE + id * TRAP_STUB_SIZE;
    this.mem.write(addr, Uint8Array.from(trapStub(PORT.trap)));
    return addr;
  }

  /** Name of the trap whose stub is at `addr`, if any. */
  trapName(addr: number): string | undefined {
    const off = addr - TRAP_BASE;
    if (off < 0 || off % TRAP_STUB_SIZE !== 0) return undefined;
    return this.traps[off / TRAP_STUB_SIZE]?.name;
  }

  /** Guest address host->guest calls return to: push it as the return address. */
  get returnAddress(): number {
    return RETURN_STUB;
  }

  /** Points FS at a thread's TEB. */
  setFsBase(teb: number): void {
    this.mem.write(SYS_GDT + (SEL.teb & ~7), Uint8Array.from(tebDescriptor(teb)));
    // The CPU caches segment bases when FS is loaded; update the cache as a reload would.
    this.stateDv.setInt32(OFF.segmentOffsets + SREG.fs * 4, teb | 0, true);
  }

  // ---- execution ----------------------------------------------------------------------------

  /**
   * Runs guest code from `eip` with stack pointer `esp` (where the caller has placed the return address
   * `returnAddress` and the arguments) until it returns there. Results are in `returned`. Nested calls
   * (from a reentrant trap handler) restore every register afterwards.
   */
  execute(eip: number, esp: number): void {
    if (this.dead) throw this.dead;
    if (this.insideLoop) {
      throw new WowasmError('WOWASM_TRAP_NOT_REENTRANT', 'a host function called guest code without being declared reentrant');
    }
    const nested = this.depth > 0;
    const saved = nested ? this.saveRegisters() : undefined;
    if (!nested) this.deadline = this.timeoutMs > 0 ? -1 : 0;
    this.depth++;
    try {
      this.reg[4] = esp;
      this.ip[0] = eip;
      this.run();
      this.returned.eax = this.reg[0]! >>> 0;
      this.returned.edx = this.reg[2]! >>> 0;
      this.returned.esp = this.reg[4]! >>> 0;
    } catch (e) {
      // Abandon the call (out of a fault stub if need be) before an outer level's registers come back.
      this.park();
      throw e;
    } finally {
      this.depth--;
      if (saved) this.restoreRegisters(saved);
    }
  }

  /** The inner loop: run slices until the call returns, servicing deferred traps and faults. */
  private run(): void {
    for (;;) {
      this.slice();
      const stop = this.stop;
      if (stop === Stop.None) {
        if (this.inHlt[0]) this.handleHalt();
        else {
          this.checkBudget();
          // A time slice ended in user code: the thread scheduler may switch threads here.
          if (this.onSliceEnd && this.cpl === 3) this.onSliceEnd();
        }
        continue;
      }
      this.stop = Stop.None;
      if (stop === Stop.Return) return;
      if (stop === Stop.DeferredTrap) {
        const trap = this.pendingTrap!;
        this.pendingTrap = undefined;
        trap.handler(this);
        this.checkBudget();
        continue;
      }
      if (stop === Stop.Error) {
        const e = this.pendingError;
        this.pendingError = undefined;
        throw e;
      }
      throw new EmulatorCrashedError(`unexpected stop ${stop} at eip ${this.describeAddress(this.eip)}`);
    }
  }

  /** One pass through v86's main loop: returns on a stop, a fault, or after about a millisecond. */
  private slice(): void {
    this.inHlt[0] = 0;
    this.insideLoop = true;
    try {
      this.ex.main_loop();
    } catch (e) {
      this.crash(e);
    } finally {
      this.insideLoop = false;
    }
    this.stats.slices++;
    if (this.jitPending.length) this.installJit();
    if (this.ex.memory.buffer !== this.buffer) this.refreshViews();
  }

  /** Throws BudgetExceededError if the running call is past its time budget (for host-side waits). */
  checkBudgetNow(): void {
    this.checkBudget();
  }

  private checkBudget(): void {
    if (this.deadline > 0 && performance.now() > this.deadline) {
      const eip = this.eip;
      throw new BudgetExceededError(this.timeoutMs, eip, this.describeAddress(eip));
    }
  }

  /** The CPU halted without a stop request: a CPU exception reached one of the ring-0 stubs. */
  private handleHalt(): void {
    const eip = this.eip;
    const off = eip - SYS_STUBS - FAULT_STUB_HLT_END;
    if (this.cpl !== 0 || off < 0 || off % FAULT_STUB_SIZE !== 0 || off / FAULT_STUB_SIZE >= 32) {
      this.crash(new Error(`CPU halted at unexpected eip 0x${eip.toString(16)} (cpl ${this.cpl})`));
    }
    const frame = this.reg[4]! >>> 0; // ring-0 stack: vector, error code, eip, cs, eflags, esp, ss
    const m = this.mem;
    const cs = m.u32(frame + 12) & 0xffff;
    if ((cs & 3) !== 3) this.crash(new Error(`CPU exception ${m.u32(frame)} in ring 0 at 0x${m.u32(frame + 8).toString(16)}`));
    const vector = m.u32(frame);
    const faultEip = m.u32(frame + 8);
    const regs = this.registers();
    regs.eip = vector === 3 ? (faultEip - 1) >>> 0 : faultEip;
    regs.esp = m.u32(frame + 20);
    regs.eflags = m.u32(frame + 16);
    const raw: CpuFault = {
      vector,
      errorCode: m.u32(frame + 4),
      eip: regs.eip,
      cr2: this.cr(2),
      registers: regs,
      code: this.readCode(regs.eip),
      fpuStatus: this.stateDv.getUint16(OFF.fpuStatusWord, true),
      mxcsr: this.stateDv.getUint32(OFF.mxcsr, true),
      fsBase: this.segmentBase('fs'),
      readMemory: (addr, size) => {
        if (!m.isAccessible(addr, size, false)) return undefined;
        return size === 1 ? m.u8(addr) : size === 2 ? m.u16(addr) : m.u32(addr);
      },
    };
    const fault = { ...raw, ...classifyFault(raw) };
    const decision: FaultDecision = this.onFault?.(fault) ?? { action: 'abort' };
    if (decision.action === 'resume') return; // the stub's iretd retries the instruction
    if (decision.action === 'redirect') {
      m.setU32(frame + 8, decision.eip);
      m.setU32(frame + 20, decision.esp);
      return;
    }
    if (decision.exceptionCode !== undefined) fault.exceptionCode = decision.exceptionCode;
    if (decision.description !== undefined) fault.description = decision.description;
    const location = this.describeAddress(regs.eip);
    throw new GuestFaultError(`${fault.description} at ${location}`, {
      exceptionCode: fault.exceptionCode,
      vector,
      eip: regs.eip,
      ...(fault.address !== undefined ? { address: fault.address } : {}),
      ...(fault.access ? { access: fault.access } : {}),
      registers: regs,
      location,
    });
  }

  private readCode(eip: number): Uint8Array | undefined {
    try {
      const n = Math.min(16, PAGE_SIZE - (eip & (PAGE_SIZE - 1)));
      return this.mem.isAccessible(eip, n, false) ? this.mem.read(eip, n) : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Brings the CPU back to a clean ring-3 idle state after an aborted call: out of a fault stub (via its
   * iretd, with the frame pointed at the park stub) and with an empty x87 stack.
   */
  private park(): void {
    if (this.dead) return;
    this.stop = Stop.None;
    this.pendingTrap = undefined;
    this.pendingError = undefined;
    if (this.cpl === 0) {
      const frame = this.reg[4]! >>> 0;
      this.mem.setU32(frame + 8, PARK_STUB);
      this.mem.setU32(frame + 20, 0);
      for (let i = 0; i < 4 && this.stopped() !== Stop.Park; i++) this.slice();
      if (this.stopped() !== Stop.Park) this.crash(new Error('could not return to ring 3 after an aborted call'));
      this.stop = Stop.None;
    }
    this.resetFpuStack();
    if (this.depth <= 1) this.onCallAborted?.();
  }

  // The calling convention preserves nothing else a host function could observe: flags are scratch and
  // the x87 stack is shared by design.
  private saveRegisters(): { r: Int32Array; eip: number } {
    return { r: this.reg.slice(), eip: this.ip[0]! };
  }

  private restoreRegisters(s: { r: Int32Array; eip: number }): void {
    this.reg.set(s.r);
    this.ip[0] = s.eip;
  }

  // ---- host functions imported by the v86 core ------------------------------------------------

  private imports(): V86Imports {
    const ignore = () => {};
    return {
      microtick: () => {
        const t = performance.now();
        if (this.deadline === -1) this.deadline = t + this.timeoutMs;
        return t;
      },
      get_rand_int: () => (Math.random() * 0x1_0000_0000) | 0,
      stop_idling: ignore,
      cpu_event_halt: ignore,
      run_hardware_timers: () => 100,
      // Reads from our ports are not part of the protocol; the TSS bitmap blocks all others.
      io_port_read8: () => 0xff,
      io_port_read16: () => 0xffff,
      io_port_read32: () => -1,
      io_port_write8: (port) => this.onPort(port, 1),
      io_port_write16: (port) => this.onPort(port, 2),
      io_port_write32: (port) => this.onPort(port, 4),
      // Guest RAM never overlaps device memory (those frames are never mapped).
      mmap_read8: () => 0,
      mmap_read32: () => 0,
      mmap_write8: ignore,
      mmap_write16: ignore,
      mmap_write32: ignore,
      mmap_write64: ignore,
      mmap_write128: ignore,
      jit_clear_func: (index) => this.table.set(index + WASM_TABLE_OFFSET, null),
      codegen_finalize: (index, start, flags, ptr, len) => this.compileJit(index, start, flags, ptr, len),
      console_log_from_wasm: (ptr, len) => {
        // v86 logs panics here before trapping; keep the text for the crash report.
        this.lastWasmLog = Buffer.from(this.ex.memory.buffer, ptr >>> 0, len >>> 0).toString('utf8');
      },
    };
  }
  private lastWasmLog = '';

  /**
   * An `out` to one of our ports. Runs inside v86's main loop: it must never throw (an exception would
   * unwind through wasm frames and leave the core's state inconsistent), so errors are parked and the
   * loop is stopped.
   */
  private onPort(port: number, size: number): void {
    if (this.ex.memory.buffer !== this.buffer) this.refreshViews();
    const eip = this.ip[0]! >>> 0;
    const stub = (eip - TRAP_OUT_LENGTH) >>> 0;
    if (size === 1 && port === PORT.trap) {
      const off = stub - TRAP_BASE;
      const trap = off >= 0 && off < TRAP_REGION_SIZE && off % TRAP_STUB_SIZE === 0 ? this.traps[off / TRAP_STUB_SIZE] : undefined;
      if (trap) {
        this.stats.traps++;
        if (trap.reentrant) {
          this.pendingTrap = trap;
          this.halt(Stop.DeferredTrap);
          return;
        }
        try {
          trap.handler(this);
        } catch (e) {
          this.pendingError = e;
          this.halt(Stop.Error);
        }
        return;
      }
    } else if (size === 1 && port === PORT.ret && stub === RETURN_STUB) {
      this.halt(Stop.Return);
      return;
    } else if (size === 1 && port === PORT.park && stub === PARK_STUB) {
      this.halt(Stop.Park);
      return;
    }
    // Guest code wrote to one of our ports from somewhere else: what Windows would call a privileged
    // instruction. Report it as such (and never treat it as a trap or a return).
    this.pendingError = new GuestFaultError(`privileged instruction (out to port 0x${port.toString(16)}) at ${this.describeAddress(stub)}`, {
      exceptionCode: 0xc000_0096,
      vector: 13,
      eip: stub,
      registers: this.registers(),
      location: this.describeAddress(stub),
    });
    this.halt(Stop.Error);
  }

  /** The stop flag, read through a method because slices change it behind the type checker's back. */
  private stopped(): Stop {
    return this.stop;
  }

  private halt(stop: Stop): void {
    this.stop = stop;
    this.inHlt[0] = 1;
  }

  // ---- JIT: compile synchronously inside the loop, install after it returns ------------------

  private compileJit(index: number, start: number, flags: number, ptr: number, len: number): void {
    try {
      const module = new WebAssembly.Module(new Uint8Array(this.ex.memory.buffer, ptr >>> 0, len >>> 0));
      this.jitPending.push({ index, start, flags, module });
      this.stats.jitCompiles++;
    } catch {
      // Leave the block to the interpreter; v86 keeps working without it.
      this.stats.jitCompileFailures++;
    }
  }

  private installJit(): void {
    const imports = { e: (this.jitImports ??= jitImportsFrom(this.ex)) };
    for (const p of this.jitPending) {
      const instance = new WebAssembly.Instance(p.module, imports);
      this.table.set(p.index + WASM_TABLE_OFFSET, instance.exports['f'] as Function);
      try {
        this.ex.codegen_finalize_finished(p.index, p.start, p.flags);
      } catch (e) {
        this.crash(e);
      }
    }
    this.jitPending.length = 0;
  }
  private jitImports: WebAssembly.ModuleImports | undefined;

  // ---- machine set-up -----------------------------------------------------------------------

  private refreshViews(): void {
    const buf = this.ex.memory.buffer;
    this.buffer = buf;
    this.reg = new Int32Array(buf, OFF.reg32, 8);
    this.ip = new Int32Array(buf, OFF.instructionPointer, 1);
    this.inHlt = new Uint8Array(buf, OFF.inHlt, 1);
    this.state8 = new Uint8Array(buf, 0, OFF.stateEnd);
    this.stateDv = new DataView(buf, 0, OFF.stateEnd);
    this.phys.u8 = new Uint8Array(buf, this.phys.base, this.phys.size);
    this.phys.dv = new DataView(buf, this.phys.base, this.phys.size);
  }

  private boot(): void {
    const m = this.mem;
    // System structures, supervisor-only.
    m.mapSystem(SYS_GDT, 0x1000);
    m.mapSystem(SYS_IDT, 0x1000);
    m.mapSystem(SYS_TSS, 0x1000);
    m.mapSystem(SYS_STUBS, 0x1000);
    m.mapSystem(SYS_STACK_BASE, SYS_STACK_TOP - SYS_STACK_BASE);
    m.write(SYS_GDT, gdt(0));
    m.write(SYS_IDT, idt());
    m.write(SYS_TSS, tss());
    m.write(SYS_STUBS, faultStubs());
    // Trap region: user read+execute. Unused stubs are ud2 so a stray jump there faults.
    m.map(TRAP_REGION_SIZE, PROT.rx, { at: TRAP_BASE });
    const ud2 = new Uint8Array(TRAP_REGION_SIZE);
    for (let i = 0; i < ud2.length; i += 2) ud2.set([0x0f, 0x0b], i);
    m.write(TRAP_BASE, ud2);
    const { ret, park } = controlStubs();
    m.write(RETURN_STUB, Uint8Array.from(ret));
    m.write(PARK_STUB, Uint8Array.from(park));

    // Real-mode boot code, identity-mapped for the instant paging turns on.
    const u8 = this.phys.u8;
    u8.set(resetVectorJump(BOOT_CODE), RESET_VECTOR);
    u8.set(descriptorTableRegister(SYS_GDT, 8 * 8 - 1), BOOT_DATA);
    u8.set(descriptorTableRegister(SYS_IDT, 256 * 8 - 1), BOOT_DATA + 8);
    u8.set(bootCode({ bootCode: BOOT_CODE, gdtr: BOOT_DATA, idtr: BOOT_DATA + 8, pageDirectory: m.pageDirectory, parkEip: PARK_STUB }), BOOT_CODE);
    m.mapIdentityForBoot(BOOT_CODE);
    this.ex.jit_dirty_cache(0, 0x10_0000);
    this.depth++;
    try {
      for (let i = 0; i < 8 && this.stopped() !== Stop.Park; i++) this.slice();
    } finally {
      this.depth--;
    }
    if (this.stopped() !== Stop.Park || this.cpl !== 3) {
      throw new EmulatorCrashedError(`boot failed: stop=${this.stop} eip=0x${this.eip.toString(16)} cpl=${this.cpl}`);
    }
    this.stop = Stop.None;
    m.unmapIdentityAfterBoot(BOOT_CODE);
  }

  private crash(cause: unknown): never {
    const detail = cause instanceof Error ? cause.message : String(cause);
    this.dead = new EmulatorCrashedError(
      `the emulated CPU failed internally (${detail}${this.lastWasmLog ? '; ' + this.lastWasmLog : ''}); load the library again`,
      { eip: this.eip },
    );
    throw this.dead;
  }

  /** How many host->guest calls are running (more than one inside a reentrant trap handler). */
  get callDepth(): number {
    return this.depth;
  }

  /** True once the core has failed; every later call throws EmulatorCrashedError. */
  get isDead(): boolean {
    return this.dead !== undefined;
  }

  // ---- snapshots ----------------------------------------------------------------------------

  /** Captures CPU state and all of guest memory; restore() returns to exactly this point. */
  snapshot(): CpuSnapshot {
    if (this.depth > 0) throw new WowasmError('WOWASM_BUSY', 'cannot snapshot while a call is running');
    return {
      cpuId: this.id,
      state: this.state8.slice(),
      ram: this.phys.u8.slice(),
      mappings: this.mem.saveMappings(),
      traps: this.traps.length,
    };
  }

  restore(s: CpuSnapshot): void {
    if (s.cpuId !== this.id) throw new WowasmError('WOWASM_BAD_SNAPSHOT', 'snapshot belongs to another CPU instance');
    if (this.depth > 0) throw new WowasmError('WOWASM_BUSY', 'cannot restore while a call is running');
    this.state8.set(s.state);
    this.phys.u8.set(s.ram);
    this.mem.restoreMappings(s.mappings);
    this.traps.length = s.traps;
    this.ex.jit_clear_cache_js();
    this.ex.full_clear_tlb();
    if (this.ex.memory.buffer !== this.buffer) this.refreshViews();
  }
}

export interface CpuSnapshot {
  readonly cpuId: number;
  readonly state: Uint8Array;
  readonly ram: Uint8Array;
  readonly mappings: ReturnType<GuestMemory['saveMappings']>;
  readonly traps: number;
}
