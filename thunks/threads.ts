// Guest threads on the one emulated CPU. Each thread is a saved CPU state (registers, x87/SSE), a TEB
// and a stack. Threads are scheduled cooperatively at blocking calls (waits, Sleep, critical sections,
// thread exit), and preemptively when a time slice ends. A blocked thread is parked "inside" its API
// call: it resumes at the call's return address with the result in EAX. Switching happens in place,
// without host recursion, so any number of threads can be blocked at once.

import type { Cpu, ThreadState } from '../emulator/cpu.js';
import { WowasmError } from '../emulator/errors.js';
import type { KernelObject } from './handles.js';
import type { GuestThread, Process } from './process.js';
import { NO_RETURN } from './spec.js';

export const WAIT = { OBJECT_0: 0, ABANDONED_0: 0x80, TIMEOUT: 0x102, FAILED: 0xffff_ffff, INFINITE: 0xffff_ffff, IO_COMPLETION: 0xc0 } as const;

/** How long a thread runs before another ready thread gets the CPU (ms of guest time). */
const SLICE_MS = 4;
/** How long the host sleeps at most at a time while every thread waits for a timeout (ms). */
const IDLE_STEP_MS = 20;

/** A condition a blocked thread waits for. */
export interface Wait {
  /** If the thread can go on now: take what it waited for and return the result for EAX. */
  poll(): number | undefined;
  /** performance.now() at which the wait times out (undefined = never). */
  deadline: number | undefined;
  /** EAX when it times out. */
  timeoutResult: number;
  /** For deadlock reports: what the thread waits for. */
  what: string;
  /** The poll decides about the timeout itself (it must retake a lock first); the deadline only wakes it. */
  selfTimed?: boolean;
  /** Runs when the scheduler applies the timeout (to set the waiting thread's last error, say). */
  onTimeout?: () => void;
}

export type RunState = 'ready' | 'running' | 'blocked' | 'finished';

export interface ThreadObject extends KernelObject {
  readonly type: 'thread';
  readonly thread: GuestThread;
}

/** Per-thread scheduling facts, beside the process's GuestThread. */
interface Sched {
  run: RunState;
  saved: ThreadState | undefined;
  wait: Wait | undefined;
  exitCode: number;
  suspendCount: number;
  sliceStart: number;
  object: ThreadObject;
}

/**
 * Thrown by an operation that cannot go on yet (an empty pipe, say). APIs that wait run it through
 * Scheduler.retry; anywhere else it reaches the host and names the operation.
 */
export class WouldBlock extends WowasmError {
  constructor(what: string) {
    super('WOWASM_WOULD_BLOCK', `${what} would have to wait, and this caller cannot wait for it`, { what });
  }
}

/** Every thread is waiting and none can ever be woken. */
export class DeadlockError extends WowasmError {
  constructor(waits: string[]) {
    super('WOWASM_DEADLOCK', `every guest thread waits and nothing can wake them (deadlock): ${waits.join('; ')}`, { waits });
  }
}

export class Scheduler {
  private readonly info = new Map<GuestThread, Sched>();
  private readonly startTrap: number;
  private readonly exitTrap: number;
  /** Thread start routines not yet entered: the start trap finds them by thread. */
  private readonly pendingStart = new Map<GuestThread, { start: number; param: number }>();
  /** Switches from one thread to another so far (system performance counters report it). */
  contextSwitches = 0;

  constructor(private readonly p: Process) {
    const cpu = p.cpu;
    this.startTrap = cpu.defineTrap((c) => this.threadStarts(c), { name: 'kernel32.dll!BaseThreadInitThunk', reentrant: true });
    this.exitTrap = cpu.defineTrap((c) => this.threadReturned(c), { name: 'kernel32.dll!BaseThreadExit', reentrant: true });
    cpu.onSliceEnd = () => this.preempt();
    for (const t of p.threads) this.adopt(t, 'running');
  }

  private adopt(t: GuestThread, run: RunState): Sched {
    const s: Sched = { run, saved: undefined, wait: undefined, exitCode: 0x103 /* STILL_ACTIVE */, suspendCount: 0, sliceStart: performance.now(), object: { type: 'thread', thread: t } };
    this.info.set(t, s);
    return s;
  }

  private sched(t: GuestThread): Sched {
    return this.info.get(t) ?? this.adopt(t, 'ready');
  }

  /** The kernel object of a thread (its handles point at it). */
  objectOf(t: GuestThread): ThreadObject {
    return this.sched(t).object;
  }

  isFinished(t: GuestThread): boolean {
    return this.sched(t).run === 'finished';
  }

  exitCodeOf(t: GuestThread): number {
    return this.sched(t).exitCode;
  }

  get threadCount(): number {
    return [...this.info.values()].filter((s) => s.run !== 'finished').length;
  }

  // ---- creating and ending threads ------------------------------------------------------------------

  /**
   * A new thread that will run start(param) (a stdcall LPTHREAD_START_ROUTINE). It first runs the
   * DLLs' DLL_THREAD_ATTACH notifications, then its routine; returning from it ends the thread.
   */
  create(start: number, param: number, suspended: boolean): GuestThread {
    const p = this.p;
    const t = p.createThread();
    const s = this.adopt(t, 'ready');
    if (suspended) s.suspendCount = 1;
    // Its first state: at the start trap, with [esp] = the exit trap (the routine's return address).
    const esp = t.stackBase - 16;
    p.mem.setU32(esp, this.exitTrap);
    p.mem.setU32(esp + 4, param);
    const state = p.cpu.captureThreadState();
    state.regs.fill(0);
    state.regs[4] = esp - 4; // the start trap is "called": its own return address is below
    p.mem.setU32(esp - 4, this.exitTrap);
    state.eip = this.startTrap;
    state.eflags = 0x202;
    state.fpu = freshFpu(p.cpu);
    s.saved = state;
    this.pendingStart.set(t, { start, param });
    return t;
  }

  private threadStarts(cpu: Cpu): void {
    const t = this.p.currentThread;
    const pending = this.pendingStart.get(t);
    if (!pending) throw new WowasmError('WOWASM_THREAD', 'thread start trap reached outside a new thread');
    this.pendingStart.delete(t);
    this.p.threadAttach(t);
    // Enter the routine as if called from the exit trap: [esp] = exit trap, [esp+4] = param.
    cpu.esp = t.stackBase - 16;
    cpu.eip = pending.start;
  }

  /** The start routine returned: its EAX is the exit code. */
  private threadReturned(cpu: Cpu): void {
    this.exit(cpu.eax);
  }

  /** ExitThread: ends the current thread and runs another; the main thread cannot end this way. */
  exit(code: number): never | typeof NO_RETURN {
    const p = this.p;
    const t = p.currentThread;
    if (t === p.mainThread) throw new WowasmError('WOWASM_THREAD_EXIT', `the thread running the host's call ended itself (ExitThread(${code})) from ${p.where()}`);
    p.threadDetach(t);
    const s = this.sched(t);
    s.run = 'finished';
    s.exitCode = code >>> 0;
    s.saved = undefined;
    this.switchAway();
    return NO_RETURN;
  }

  /** TerminateThread of another thread: it ends where it is, without DLL_THREAD_DETACH (as on Windows). */
  terminate(t: GuestThread, code: number): boolean {
    if (t === this.p.mainThread) throw new WowasmError('WOWASM_THREAD_EXIT', `guest code terminated the thread running the host's call (from ${this.p.where()})`);
    const s = this.sched(t);
    if (s.run === 'finished') return true;
    s.run = 'finished';
    s.exitCode = code >>> 0;
    s.saved = undefined;
    s.wait = undefined;
    this.pendingStart.delete(t);
    return true;
  }

  // ---- blocking ---------------------------------------------------------------------------------------

  /**
   * Called by an API that may have to wait (the current thread is inside it; `pops` is its stdcall
   * argument size). Returns the result at once if the wait is satisfied; otherwise parks the thread to
   * resume at the API's return with the result in EAX, runs another thread, and returns NO_RETURN.
   */
  block(wait: Wait, pops: number): number | typeof NO_RETURN {
    const now = wait.poll();
    if (now !== undefined) return now;
    if (!wait.selfTimed && wait.deadline !== undefined && wait.deadline <= performance.now()) {
      wait.onTimeout?.();
      return wait.timeoutResult;
    }
    const p = this.p;
    const cpu = p.cpu;
    const t = p.currentThread;
    const s = this.sched(t);
    const esp = cpu.esp;
    const state = cpu.captureThreadState();
    state.eip = p.mem.u32(esp);
    state.regs[4] = esp + 4 + pops;
    s.saved = state;
    s.wait = wait;
    s.run = 'blocked';
    this.switchAway();
    return NO_RETURN;
  }

  /**
   * Runs `attempt` now; while it throws WouldBlock, the thread waits and the scheduler re-runs it (as
   * that thread, so its last error lands in the right TEB) until it completes. For APIs whose whole
   * work can be retried: nothing changes before the WouldBlock.
   */
  retry(attempt: () => number, pops: number, what: string): number | typeof NO_RETURN {
    try {
      return attempt();
    } catch (e) {
      if (!(e instanceof WouldBlock)) throw e;
    }
    const p = this.p;
    const t = p.currentThread;
    const poll = (): number | undefined => {
      const running = p.currentThread;
      if (running !== t) p.setCurrentThread(t);
      try {
        return attempt();
      } catch (e) {
        if (e instanceof WouldBlock) return undefined;
        throw e;
      } finally {
        if (running !== t) p.setCurrentThread(running);
      }
    };
    return this.block({ poll, deadline: undefined, timeoutResult: 0, what }, pops);
  }

  /** Lets another ready thread run (Sleep(0), SwitchToThread). Returns whether one ran. */
  yieldNow(pops: number, result: number): boolean | typeof NO_RETURN {
    const p = this.p;
    const next = this.pickReady(p.currentThread);
    if (!next) return false;
    const t = p.currentThread;
    const s = this.sched(t);
    const esp = p.cpu.esp;
    const state = p.cpu.captureThreadState();
    state.eip = p.mem.u32(esp);
    state.regs[4] = esp + 4 + pops;
    state.regs[0] = result;
    s.saved = state;
    s.run = 'ready';
    this.resume(next);
    return NO_RETURN;
  }

  /** The time slice of user code ended: give another ready thread its turn. */
  private preempt(): void {
    if (this.info.size < 2) return;
    const p = this.p;
    const t = p.currentThread;
    const s = this.sched(t);
    if (performance.now() - s.sliceStart < SLICE_MS) return;
    const next = this.pickReady(t);
    if (!next) {
      s.sliceStart = performance.now();
      return;
    }
    s.saved = p.cpu.captureThreadState();
    s.run = 'ready';
    this.resume(next);
  }

  /** The current thread cannot go on: run the next one that can, sleeping the host until one can. */
  private switchAway(): void {
    const p = this.p;
    for (;;) {
      const next = this.pickReady(p.currentThread);
      if (next) return this.resume(next);
      const sleeping = [...this.info.values()].filter((s) => s.run === 'blocked' && s.wait?.deadline !== undefined);
      if (sleeping.length === 0) {
        const waits = [...this.info.entries()].filter(([, s]) => s.run === 'blocked').map(([t, s]) => `thread 0x${t.id.toString(16)} waits for ${s.wait?.what ?? '?'}`);
        throw new DeadlockError(waits);
      }
      // Every thread waits; some with a timeout: sleep until the earliest one (or a budget check).
      const earliest = Math.min(...sleeping.map((s) => s.wait!.deadline!));
      const ms = Math.max(0, Math.min(IDLE_STEP_MS, earliest - performance.now()));
      if (ms > 0) Atomics.wait(sleeper, 0, 0, ms);
      p.cpu.checkBudgetNow();
    }
  }

  /**
   * The next thread that can run, round-robin after `after`. A blocked thread whose wait is now
   * satisfied (or timed out) becomes ready with its result in EAX.
   */
  private pickReady(after: GuestThread): GuestThread | undefined {
    const order = this.p.threads;
    const start = order.indexOf(after);
    const now = performance.now();
    for (let k = 1; k <= order.length; k++) {
      const t = order[(start + k) % order.length]!;
      const s = this.info.get(t);
      if (!s || s.suspendCount > 0) continue;
      if (s.run === 'ready' && t !== after) return t;
      if (s.run === 'blocked' && s.wait && s.saved) {
        let r = s.wait.poll();
        if (r === undefined && !s.wait.selfTimed && s.wait.deadline !== undefined && s.wait.deadline <= now) {
          s.wait.onTimeout?.();
          r = s.wait.timeoutResult;
        }
        if (r !== undefined) {
          s.saved.regs[0] = r;
          s.wait = undefined;
          s.run = 'ready';
          return t;
        }
      }
    }
    return undefined;
  }

  private resume(t: GuestThread): void {
    const p = this.p;
    const s = this.sched(t);
    if (t !== p.currentThread) this.contextSwitches++;
    const cur = this.info.get(p.currentThread);
    if (cur && cur.run === 'running') cur.run = 'ready';
    p.setCurrentThread(t);
    p.cpu.restoreThreadState(s.saved!);
    s.saved = undefined;
    s.run = 'running';
    s.sliceStart = performance.now();
  }

  /** Lets every blocked thread whose wait is satisfied now take what it waits for (PulseEvent). */
  wakeWaiters(): void {
    for (const [t, s] of this.info) {
      if (t === this.p.currentThread || s.run !== 'blocked' || !s.wait || !s.saved) continue;
      const r = s.wait.poll();
      if (r !== undefined) {
        s.saved.regs[0] = r;
        s.wait = undefined;
        s.run = 'ready';
      }
    }
  }

  // ---- suspend/resume ---------------------------------------------------------------------------------

  suspend(t: GuestThread): number {
    const s = this.sched(t);
    return s.suspendCount++;
  }

  resumeThread(t: GuestThread): number {
    const s = this.sched(t);
    const old = s.suspendCount;
    if (s.suspendCount > 0) s.suspendCount--;
    return old;
  }

  /** After a host call ended abnormally: the main thread is current again, idle; others keep their states. */
  resetAfterAbort(): void {
    const p = this.p;
    const main = p.mainThread;
    const cur = p.currentThread;
    if (cur !== main) {
      const s = this.sched(cur);
      // The thread that was running when the call failed cannot resume where it was.
      s.run = 'finished';
      s.exitCode = 0xc000_0005;
      s.saved = undefined;
    }
    const m = this.sched(main);
    m.run = 'running';
    m.wait = undefined;
    m.saved = undefined;
    if (cur !== main) p.setCurrentThread(main);
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** The x87/SSE state of a new thread: empty stack, Windows' control word (0x27F), default MXCSR. */
function freshFpu(cpu: Cpu): Uint8Array {
  const current = cpu.captureThreadState();
  cpu.resetFpuStack();
  cpu.x87ControlWord = 0x27f;
  cpu.x87StatusWord = 0;
  cpu.mxcsr = 0x1f80;
  const fresh = cpu.captureThreadState().fpu;
  cpu.restoreThreadState(current);
  return fresh;
}
