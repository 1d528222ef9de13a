// Structured exception handling as 32-bit Windows does it. A CPU fault, RaiseException, or a bad pointer
// handed to an API becomes an EXCEPTION_RECORD and a CONTEXT on the guest stack. Then the dispatcher
// runs: vectored handlers, the FS:[0] chain of registration frames, and finally the unhandled-exception
// filter. Handler return values are honoured (continue execution, continue search, nested exception).
// The dispatcher is a state machine driven by two traps. Handlers are called by guest-style transfers,
// not nested host calls, so a handler that never returns (it jumps into an __except block) simply
// abandons the dispatcher's frame, as on Windows. An exception nobody handles reaches the host as a
// GuestFaultError.

import type { Cpu } from '../emulator/cpu.js';
import { GuestFaultError, type RegisterDump } from '../emulator/errors.js';
import { EXCEPTION } from '../emulator/faults.js';
import type { Process } from './process.js';

export const EXCEPTION_FLAG = {
  NONCONTINUABLE: 0x01,
  UNWINDING: 0x02,
  EXIT_UNWIND: 0x04,
  STACK_INVALID: 0x08,
  NESTED_CALL: 0x10,
  TARGET_UNWIND: 0x20,
  COLLIDED_UNWIND: 0x40,
} as const;

export const DISPOSITION = { CONTINUE_EXECUTION: 0, CONTINUE_SEARCH: 1, NESTED_EXCEPTION: 2, COLLIDED_UNWIND: 3 } as const;

export const STATUS = {
  NONCONTINUABLE_EXCEPTION: 0xc000_0025,
  INVALID_DISPOSITION: 0xc000_0026,
  UNWIND: 0xc000_0027,
  INVALID_UNWIND_TARGET: 0xc000_0029,
  CPP_EXCEPTION: 0xe06d_7363,
} as const;

/** What the filter functions return (EXCEPTION_EXECUTE_HANDLER etc.). */
export const FILTER = { EXECUTE_HANDLER: 1, CONTINUE_SEARCH: 0, CONTINUE_EXECUTION: -1 } as const;

export const RECORD_SIZE = 0x50;
export const CONTEXT_SIZE = 0x2cc;
const CONTEXT_FLAGS_ALL = 0x0001_003f; // CONTEXT_i386 | control | integer | segments | float | debug | extended
const END_OF_CHAIN = 0xffff_ffff;

// CONTEXT field offsets.
const CTX = {
  flags: 0x00,
  floatSave: 0x1c,
  segGs: 0x8c,
  segFs: 0x90,
  segEs: 0x94,
  segDs: 0x98,
  edi: 0x9c,
  esi: 0xa0,
  ebx: 0xa4,
  edx: 0xa8,
  ecx: 0xac,
  eax: 0xb0,
  ebp: 0xb4,
  eip: 0xb8,
  segCs: 0xbc,
  eflags: 0xc0,
  esp: 0xc4,
  segSs: 0xc8,
} as const;

/** An exception as guest code sees it: its record, before it is written to memory. */
export interface ExceptionInfo {
  code: number;
  flags: number;
  address: number;
  params: number[];
  /** An exception that was being dispatched when this one arose (ExceptionRecord->ExceptionRecord). */
  chained?: number;
  /** For host messages: the words a CPU fault was described with. */
  description?: string;
  vector?: number;
  /** Keep the dispatch below this address: stack above it is still in use (the frames and objects of an
   *  exception passed on out of a host->guest call). */
  stackBelow?: number;
}

/**
 * A guest exception that escaped a host function which had called back into guest code (qsort's
 * comparator faulted, say). The trap that entered that host function raises it again in the guest,
 * at its call site, so frames further up get their chance.
 */
export class UnhandledGuestException extends GuestFaultError {
  readonly info: ExceptionInfo;
  readonly guestStack: string[];
  constructor(message: string, info: ExceptionInfo, registers: RegisterDump, location: string, guestStack: string[]) {
    super(message, {
      exceptionCode: info.code,
      vector: info.vector ?? -1,
      eip: info.address,
      ...(info.code === EXCEPTION.ACCESS_VIOLATION && info.params.length >= 2 ? { address: info.params[1]!, access: accessKind(info.params[0]!) } : {}),
      registers,
      location,
    });
    this.name = 'GuestFaultError';
    this.info = info;
    this.guestStack = guestStack;
  }
}

function accessKind(p0: number): 'read' | 'write' | 'execute' {
  return p0 === 1 ? 'write' : p0 === 8 ? 'execute' : 'read';
}

// Dispatcher frame on the guest stack, at S (16-aligned):
const ST = {
  record: 0,
  context: 4,
  current: 8, // next registration frame to try
  nestedFrame: 12, // frames up to this establisher belong to an outer dispatch: skip them
  phase: 16, // 0 vectored handlers, 1 frame handlers, 2 unhandled-exception filter
  index: 20, // next vectored handler
  calling: 24, // frame whose handler is running
  dispatcherContext: 28,
  guard: 32, // registration {next, handler} guarding the running handler (nested exceptions)
  pointers: 40, // EXCEPTION_POINTERS {record, context}
  magic: 48,
  size: 0x40,
} as const;
const MAGIC = 0x5e4d_15f0;

export class SehRuntime {
  /** SetUnhandledExceptionFilter's filter (0 = none). */
  topLevelFilter = 0;
  /** Exceptions dispatched so far (NtQuerySystemInformation's SystemExceptionInformation reports it). */
  dispatchedCount = 0;
  /** AddVectoredExceptionHandler's handlers, in call order. */
  readonly vectored: number[] = [];
  /** Describes an exception nobody handled (the C++ runtime names a C++ exception's type), if it can. */
  describeHook: ((info: ExceptionInfo) => string | undefined) | undefined;
  private readonly dispatchTrap: number;
  private readonly afterHandlerTrap: number;
  private readonly nestedGuardTrap: number;

  constructor(private readonly p: Process) {
    const cpu = p.cpu;
    this.dispatchTrap = cpu.defineTrap((c) => this.step(c), { name: 'ntdll.dll!KiUserExceptionDispatcher' });
    this.afterHandlerTrap = cpu.defineTrap((c) => this.handlerReturned(c), { name: 'ntdll.dll!RtlpExecuteHandler (return)' });
    this.nestedGuardTrap = cpu.defineTrap((c) => this.nestedGuard(c), { name: 'ntdll.dll!RtlpExceptionHandler' });
  }

  // ---- raising --------------------------------------------------------------------------------

  /**
   * Writes the record and context below `ctx.esp` and points the CPU at the dispatcher. Returns the new
   * EIP and ESP (the caller applies them: a fault stub's frame, or the registers of a trap).
   */
  prepare(info: ExceptionInfo, ctx: RegisterDump): { eip: number; esp: number } {
    const m = this.p.mem;
    this.dispatchedCount++;
    const below = (Math.min(ctx.esp, info.stackBelow ?? ctx.esp) - 16) & ~15;
    const context = (below - CONTEXT_SIZE) & ~15;
    const record = (context - RECORD_SIZE) & ~15;
    const s = (record - ST.size) & ~15;
    m.fill(s, 0, below - s);
    writeRecord(m, record, info);
    this.writeContext(context, ctx);
    m.setU32(s + ST.record, record);
    m.setU32(s + ST.context, context);
    m.setU32(s + ST.current, this.chainHead());
    m.setU32(s + ST.nestedFrame, 0);
    m.setU32(s + ST.phase, this.vectored.length ? 0 : 1);
    m.setU32(s + ST.index, 0);
    m.setU32(s + ST.pointers, record);
    m.setU32(s + ST.pointers + 4, context);
    m.setU32(s + ST.magic, (MAGIC ^ s) >>> 0);
    if (info.description !== undefined || info.vector !== undefined) this.described.set(record, { description: info.description, vector: info.vector });
    else this.described.delete(record); // an earlier, handled exception's words must not describe this one
    return { eip: this.dispatchTrap, esp: s };
  }

  /** From inside a trap handler: raise now (the trap must not then return normally). */
  raiseFromTrap(cpu: Cpu, info: ExceptionInfo, ctx: RegisterDump): void {
    const { eip, esp } = this.prepare(info, ctx);
    cpu.eip = eip;
    cpu.esp = esp;
  }

  private readonly described = new Map<number, { description: string | undefined; vector: number | undefined }>();

  // ---- the dispatcher ---------------------------------------------------------------------------

  /** The dispatcher's loop body: pick the next handler and call it, or give up. */
  private step(cpu: Cpu): void {
    const m = this.p.mem;
    const s = cpu.esp;
    this.checkFrame(s);
    const record = m.u32(s + ST.record);
    const context = m.u32(s + ST.context);
    const phase = m.u32(s + ST.phase);
    if (phase === 0) {
      const i = m.u32(s + ST.index);
      if (i < this.vectored.length) {
        m.setU32(s + ST.index, i + 1);
        this.callHandler(cpu, s, this.vectored[i]!, [s + ST.pointers], 'vectored');
        return;
      }
      m.setU32(s + ST.phase, 1);
    }
    if (m.u32(s + ST.phase) === 1) {
      const frame = m.u32(s + ST.current);
      if (frame !== END_OF_CHAIN && frame !== 0) {
        const boundary = this.p.nestedCallBoundary();
        if (boundary !== undefined && frame > boundary) return this.leaveNestedCall(s, record);
        if (!this.validFrame(frame)) {
          // A corrupt chain ends the search, as Windows marks the record STACK_INVALID and stops.
          m.setU32(record + 4, m.u32(record + 4) | EXCEPTION_FLAG.STACK_INVALID);
          m.setU32(s + ST.phase, 2);
        } else {
          m.setU32(s + ST.calling, frame);
          m.setU32(s + ST.dispatcherContext, 0);
          const handler = m.u32(frame + 4);
          this.callHandler(cpu, s, handler, [record, frame, context, s + ST.dispatcherContext], 'frame');
          return;
        }
      } else m.setU32(s + ST.phase, 2);
    }
    if (m.u32(s + ST.phase) === 2 && this.topLevelFilter) {
      m.setU32(s + ST.phase, 3);
      this.callHandler(cpu, s, this.topLevelFilter, [s + ST.pointers], 'filter');
      return;
    }
    this.unhandled(cpu, record, context);
  }

  /** Calls a handler the way guest code would, with our return trap and the dispatcher frame in EBX. */
  private callHandler(cpu: Cpu, s: number, handler: number, args: number[], kind: 'vectored' | 'frame' | 'filter'): void {
    const m = this.p.mem;
    // A registration frame around the call: an exception inside the handler finds it and learns,
    // through ExceptionNestedException, how far the outer dispatch had come.
    const guard = s + ST.guard;
    m.setU32(guard, this.chainHead());
    m.setU32(guard + 4, this.nestedGuardTrap);
    this.setChainHead(guard);
    if (kind !== 'frame') m.setU32(s + ST.calling, 0);
    const esp = s - 4 * (args.length + 1);
    m.setU32(esp, this.afterHandlerTrap);
    args.forEach((a, i) => m.setU32(esp + 4 + 4 * i, a));
    cpu.set('ebx', s);
    cpu.esp = esp;
    cpu.eip = handler;
  }

  /** A handler returned (its EAX is the disposition or filter result). */
  private handlerReturned(cpu: Cpu): void {
    const m = this.p.mem;
    const s = cpu.get('ebx');
    this.checkFrame(s);
    const result = cpu.eax | 0;
    // Unlink the guard (and anything a misbehaving handler left above it).
    this.setChainHead(m.u32(s + ST.guard));
    cpu.esp = s;
    cpu.eip = this.dispatchTrap;
    const record = m.u32(s + ST.record);
    const context = m.u32(s + ST.context);
    const flags = m.u32(record + 4);
    const phase = m.u32(s + ST.phase);
    if (phase === 0 || phase === 3) {
      // A vectored handler or the unhandled-exception filter: EXCEPTION_CONTINUE_EXECUTION (-1)
      // resumes, EXCEPTION_EXECUTE_HANDLER (1) from the top-level filter ends the process.
      if (result === FILTER.CONTINUE_EXECUTION) return this.continueOrRefuse(cpu, s, record, context, flags);
      if (phase === 3 && result === FILTER.EXECUTE_HANDLER) return this.unhandled(cpu, record, context, 'the unhandled-exception filter chose to end the process');
      if (phase === 3) return this.unhandled(cpu, record, context);
      return; // continue search: step() moves on
    }
    const frame = m.u32(s + ST.calling);
    const nested = m.u32(s + ST.nestedFrame);
    if (frame === nested) {
      m.setU32(record + 4, flags & ~EXCEPTION_FLAG.NESTED_CALL);
      m.setU32(s + ST.nestedFrame, 0);
    }
    switch (result) {
      case DISPOSITION.CONTINUE_EXECUTION:
        return this.continueOrRefuse(cpu, s, record, context, flags);
      case DISPOSITION.CONTINUE_SEARCH:
        m.setU32(s + ST.current, m.u32(frame));
        return;
      case DISPOSITION.NESTED_EXCEPTION: {
        m.setU32(record + 4, m.u32(record + 4) | EXCEPTION_FLAG.NESTED_CALL);
        const establisher = m.u32(s + ST.dispatcherContext);
        if (establisher > nested) m.setU32(s + ST.nestedFrame, establisher);
        m.setU32(s + ST.current, m.u32(frame));
        return;
      }
      default:
        return this.raiseFromTrap(cpu, { code: STATUS.INVALID_DISPOSITION, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: m.u32(record + 12), params: [], chained: record }, this.readContext(context));
    }
  }

  /** Resumes at the (possibly edited) context, unless the exception may not be continued. */
  private continueOrRefuse(cpu: Cpu, _s: number, record: number, context: number, flags: number): void {
    if (flags & EXCEPTION_FLAG.NONCONTINUABLE) {
      this.raiseFromTrap(cpu, { code: STATUS.NONCONTINUABLE_EXCEPTION, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: this.p.mem.u32(record + 12), params: [], chained: record }, this.readContext(context));
      return;
    }
    this.loadContext(cpu, context);
  }

  /** The guard frame's handler: an exception raised while a handler ran. */
  private nestedGuard(cpu: Cpu): void {
    const m = this.p.mem;
    const esp = cpu.esp;
    const ret = m.u32(esp);
    const record = m.u32(esp + 4);
    const guard = m.u32(esp + 8);
    const dc = m.u32(esp + 16);
    const s = guard - ST.guard;
    const flags = m.u32(record + 4);
    let result: number = DISPOSITION.CONTINUE_SEARCH;
    if ((flags & (EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND)) === 0 && (m.u32(s + ST.magic) ^ s) >>> 0 === MAGIC) {
      // Tell the inner dispatch which frame the outer one was handling: frames up to it are skipped.
      m.setU32(dc, m.u32(s + ST.calling) || guard);
      result = DISPOSITION.NESTED_EXCEPTION;
    }
    cpu.eax = result;
    cpu.eip = ret;
    cpu.esp = esp + 4;
  }

  /**
   * The next frame belongs to the code a host function (qsort, say) returns to, not to the guest code it
   * called: the exception ends that call and the API raises it again at its own call site (dispatch.ts),
   * where those frames get their chance. The frames inside the call stay registered and their stack
   * intact (the new dispatch keeps below this one), so a handler further out unwinds them as usual.
   */
  private leaveNestedCall(s: number, record: number): never {
    const info = readRecord(this.p.mem, record);
    const extra = this.described.get(record);
    const description = extra?.description ?? this.describeHook?.(info) ?? describeException(info);
    const location = this.p.describe(info.address);
    const passed: ExceptionInfo = { ...info, ...(extra?.vector !== undefined ? { vector: extra.vector } : {}), ...(extra?.description ? { description: extra.description } : {}), stackBelow: s };
    throw new UnhandledGuestException(`${description} at ${location}`, passed, this.p.cpu.registers(), location, [location]);
  }

  /** Nobody handled it: the host gets a GuestFaultError describing it, with the guest call stack. */
  private unhandled(cpu: Cpu, record: number, context: number, why?: string): never {
    const m = this.p.mem;
    const info = readRecord(m, record);
    const extra = this.described.get(record);
    this.described.delete(record);
    const regs = this.readContext(context);
    const description = extra?.description ?? this.describeHook?.(info) ?? describeException(info);
    const location = this.p.describe(info.address);
    const stack = this.guestStack(regs);
    const message = `${description} at ${location}${why ? ` (${why})` : ''}` + (stack.length > 1 ? `; guest stack: ${stack.slice(0, 8).join(' <- ')}` : '');
    cpu.eip = context; // nothing resumes: the call ends here
    throw new UnhandledGuestException(message, { ...info, ...(extra?.vector !== undefined ? { vector: extra.vector } : {}), ...(extra?.description ? { description: extra.description } : {}) }, regs, location, stack);
  }

  /** Return addresses along the EBP chain, as module+offset. */
  guestStack(regs: RegisterDump): string[] {
    const m = this.p.mem;
    const t = this.p.currentThread;
    const out = [this.p.describe(regs.eip)];
    let ebp = regs.ebp;
    for (let i = 0; i < 32 && ebp >= t.stackLimit && ebp + 8 <= t.stackBase && (ebp & 3) === 0; i++) {
      const ret = m.u32(ebp + 4);
      if (ret === 0) break;
      out.push(this.p.describe(ret));
      const next = m.u32(ebp);
      if (next <= ebp) break;
      ebp = next;
    }
    return out;
  }

  // ---- unwinding ----------------------------------------------------------------------------------

  /**
   * RtlUnwind: calls the handlers of every frame above `target` with the unwinding flags (they run
   * their __finally blocks), removing each frame from the chain. `target` 0 unwinds everything (exit
   * unwind). Runs on the host: unwind handlers return to their caller.
   */
  unwind(target: number, recordIn: number, ctx: RegisterDump): void {
    const m = this.p.mem;
    const cpu = this.p.cpu;
    // Our own record (STATUS_UNWIND) when the caller gave none, and a context for the handlers.
    const scratch = ((cpu.esp - 128 - CONTEXT_SIZE - RECORD_SIZE) & ~15) >>> 0;
    const record = recordIn || scratch;
    if (!recordIn) writeRecord(m, record, { code: STATUS.UNWIND, flags: 0, address: ctx.eip, params: [] });
    const context = scratch + RECORD_SIZE;
    this.writeContext(context, ctx);
    const flags = m.u32(record + 4) | EXCEPTION_FLAG.UNWINDING | (target === 0 ? EXCEPTION_FLAG.EXIT_UNWIND : 0);
    m.setU32(record + 4, flags);
    const dc = scratch - 16;
    for (let frame = this.chainHead(); frame !== END_OF_CHAIN && frame !== 0 && frame !== target; frame = this.chainHead()) {
      if (target !== 0 && frame > target) {
        this.raiseNow({ code: STATUS.INVALID_UNWIND_TARGET, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params: [] });
      }
      if (!this.validFrame(frame)) {
        this.raiseNow({ code: 0xc000_0028 /* STATUS_BAD_STACK */, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params: [] });
      }
      this.p.callGuest(m.u32(frame + 4), 'cdecl', [record, frame, context, dc], { stackTop: (dc - 16) >>> 0 });
      this.setChainHead(m.u32(frame));
    }
    m.setU32(record + 4, flags & ~(EXCEPTION_FLAG.UNWINDING | EXCEPTION_FLAG.EXIT_UNWIND));
    if (target !== 0 && this.chainHead() !== target) {
      this.raiseNow({ code: STATUS.INVALID_UNWIND_TARGET, flags: EXCEPTION_FLAG.NONCONTINUABLE, address: ctx.eip, params: [] });
    }
  }

  /** Raises from host code that will not return to guest code normally: thrown as a guest exception. */
  raiseNow(info: ExceptionInfo): never {
    const regs = this.p.cpu.registers();
    throw new UnhandledGuestException(`${describeException(info)} at ${this.p.describe(info.address)}`, info, regs, this.p.describe(info.address), [this.p.describe(info.address)]);
  }

  // ---- the chain and contexts -----------------------------------------------------------------

  chainHead(): number {
    return this.p.mem.u32(this.p.currentThread.teb);
  }

  setChainHead(v: number): void {
    this.p.mem.setU32(this.p.currentThread.teb, v);
  }

  /** A registration frame must lie in the thread's stack, 4-aligned, as RtlDispatchException checks. */
  private validFrame(frame: number): boolean {
    const t = this.p.currentThread;
    return (frame & 3) === 0 && frame >= t.stackReservation && frame + 8 <= t.stackBase;
  }

  private checkFrame(s: number): void {
    if ((this.p.mem.u32(s + ST.magic) ^ s) >>> 0 !== MAGIC) {
      throw new GuestFaultError(`the exception dispatcher's frame at 0x${s.toString(16)} was overwritten`, {
        exceptionCode: STATUS.INVALID_DISPOSITION,
        vector: -1,
        eip: this.p.cpu.eip,
        registers: this.p.cpu.registers(),
        location: this.p.describe(this.p.cpu.eip),
      });
    }
  }

  writeContext(at: number, r: RegisterDump): void {
    const m = this.p.mem;
    const cpu = this.p.cpu;
    m.fill(at, 0, CONTEXT_SIZE);
    m.setU32(at + CTX.flags, CONTEXT_FLAGS_ALL);
    m.setU32(at + CTX.floatSave, 0xffff_0000 | cpu.x87ControlWord);
    m.setU32(at + CTX.floatSave + 4, 0xffff_0000 | cpu.x87StatusWord);
    m.setU32(at + CTX.floatSave + 8, 0xffff_ffff); // tag word: all empty as far as the context says
    m.setU32(at + CTX.segGs, 0x23);
    m.setU32(at + CTX.segFs, 0x3b);
    m.setU32(at + CTX.segEs, 0x23);
    m.setU32(at + CTX.segDs, 0x23);
    m.setU32(at + CTX.edi, r.edi);
    m.setU32(at + CTX.esi, r.esi);
    m.setU32(at + CTX.ebx, r.ebx);
    m.setU32(at + CTX.edx, r.edx);
    m.setU32(at + CTX.ecx, r.ecx);
    m.setU32(at + CTX.eax, r.eax);
    m.setU32(at + CTX.ebp, r.ebp);
    m.setU32(at + CTX.eip, r.eip);
    m.setU32(at + CTX.segCs, 0x1b);
    m.setU32(at + CTX.eflags, r.eflags);
    m.setU32(at + CTX.esp, r.esp);
    m.setU32(at + CTX.segSs, 0x23);
    m.setU32(at + 0xcc + 24, cpu.mxcsr); // FXSAVE image: MXCSR at offset 24
  }

  readContext(at: number): RegisterDump {
    const m = this.p.mem;
    return {
      eax: m.u32(at + CTX.eax),
      ecx: m.u32(at + CTX.ecx),
      edx: m.u32(at + CTX.edx),
      ebx: m.u32(at + CTX.ebx),
      esp: m.u32(at + CTX.esp),
      ebp: m.u32(at + CTX.ebp),
      esi: m.u32(at + CTX.esi),
      edi: m.u32(at + CTX.edi),
      eip: m.u32(at + CTX.eip),
      eflags: m.u32(at + CTX.eflags),
    };
  }

  /** NtContinue: the CPU takes the registers of a CONTEXT. */
  loadContext(cpu: Cpu, at: number): void {
    const m = this.p.mem;
    const r = this.readContext(at);
    const flags = m.u32(at + CTX.flags);
    if (flags & 0x2) {
      cpu.set('eax', r.eax);
      cpu.set('ecx', r.ecx);
      cpu.set('edx', r.edx);
      cpu.set('ebx', r.ebx);
      cpu.set('esi', r.esi);
      cpu.set('edi', r.edi);
    }
    if (flags & 0x8) {
      cpu.x87ControlWord = m.u32(at + CTX.floatSave) & 0xffff;
      cpu.x87StatusWord = m.u32(at + CTX.floatSave + 4) & 0xffff;
    }
    if (flags & 0x1) {
      cpu.set('ebp', r.ebp);
      cpu.setEflags(r.eflags);
      cpu.esp = r.esp;
      cpu.eip = r.eip;
    }
  }
}

function writeRecord(m: Process['mem'], at: number, info: ExceptionInfo): void {
  m.fill(at, 0, RECORD_SIZE);
  m.setU32(at, info.code);
  m.setU32(at + 4, info.flags);
  m.setU32(at + 8, info.chained ?? 0);
  m.setU32(at + 12, info.address);
  const n = Math.min(info.params.length, 15);
  m.setU32(at + 16, n);
  for (let i = 0; i < n; i++) m.setU32(at + 20 + 4 * i, info.params[i]!);
}

export function readRecord(m: Process['mem'], at: number): ExceptionInfo {
  const n = Math.min(m.u32(at + 16), 15);
  return {
    code: m.u32(at),
    flags: m.u32(at + 4),
    chained: m.u32(at + 8),
    address: m.u32(at + 12),
    params: Array.from({ length: n }, (_, i) => m.u32(at + 20 + 4 * i)),
  };
}

const NAMES: Record<number, string> = {
  [EXCEPTION.ACCESS_VIOLATION]: 'access violation',
  [EXCEPTION.INT_DIVIDE_BY_ZERO]: 'integer division by zero',
  [EXCEPTION.INT_OVERFLOW]: 'integer overflow',
  [EXCEPTION.ILLEGAL_INSTRUCTION]: 'illegal instruction',
  [EXCEPTION.PRIV_INSTRUCTION]: 'privileged instruction',
  [EXCEPTION.BREAKPOINT]: 'breakpoint',
  [EXCEPTION.STACK_OVERFLOW]: 'stack overflow',
  [STATUS.NONCONTINUABLE_EXCEPTION]: 'a handler continued a noncontinuable exception',
  [STATUS.INVALID_DISPOSITION]: 'an exception handler returned an invalid disposition',
  [STATUS.INVALID_UNWIND_TARGET]: 'unwind to a frame not on the stack',
  [STATUS.CPP_EXCEPTION]: 'C++ exception',
};

export function describeException(info: ExceptionInfo): string {
  if (info.code === EXCEPTION.ACCESS_VIOLATION && info.params.length >= 2) {
    const verb = info.params[0] === 1 ? 'writing' : info.params[0] === 8 ? 'executing' : 'reading';
    return `access violation ${verb} 0x${info.params[1]!.toString(16).padStart(8, '0')}`;
  }
  const name = NAMES[info.code];
  return `${name ?? 'exception'} (0x${info.code.toString(16).padStart(8, '0')})`;
}
