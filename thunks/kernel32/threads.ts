// Threads: CreateThread and friends, Sleep, SwitchToThread. The scheduling itself is thunks/threads.ts.
import { CURRENT_PROCESS, CURRENT_THREAD, type KernelObject } from '../handles.js';
import type { GuestThread, Process } from '../process.js';
import { fn, NO_RETURN, type Export } from '../spec.js';
import { WAIT, type ThreadObject } from '../threads.js';
import { ERROR } from '../win32.js';

const CREATE_SUSPENDED = 0x4;
const STILL_ACTIVE = 0x103;

/** The thread behind a handle (GetCurrentThread's pseudo-handle included). */
export function threadOf(p: Process, h: number): GuestThread | undefined {
  if (h === CURRENT_THREAD) return p.currentThread;
  const obj = p.handles.get<KernelObject>(h);
  if (obj?.type === 'thread') return (obj as ThreadObject).thread;
  p.setLastError(ERROR.INVALID_HANDLE);
  return undefined;
}

function CreateThread(p: Process, _sa: number, _stackSize: number, start: number, param: number, flags: number, idOut: number): number {
  if (!start) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  const t = p.scheduler.create(start, param, (flags & CREATE_SUSPENDED) !== 0);
  if (idOut) p.mem.setU32(idOut, t.id);
  return p.handles.add(p.scheduler.objectOf(t));
}

function ExitThread(p: Process, code: number): typeof NO_RETURN {
  p.scheduler.exit(code);
  return NO_RETURN;
}

function GetExitCodeThread(p: Process, h: number, out: number): boolean {
  const t = threadOf(p, h);
  if (!t) return false;
  p.mem.setU32(out, p.scheduler.isFinished(t) ? p.scheduler.exitCodeOf(t) : STILL_ACTIVE);
  return true;
}

/** Ends another thread where it is (no DLL_THREAD_DETACH, as Windows); the current one exits. */
function TerminateThread(p: Process, h: number, code: number): boolean | typeof NO_RETURN {
  const t = threadOf(p, h);
  if (!t) return false;
  if (t === p.currentThread) return ExitThread(p, code);
  return p.scheduler.terminate(t, code);
}

function SuspendThread(p: Process, h: number): number {
  const t = threadOf(p, h);
  return t ? p.scheduler.suspend(t) : 0xffff_ffff;
}

function ResumeThread(p: Process, h: number): number {
  const t = threadOf(p, h);
  return t ? p.scheduler.resumeThread(t) : 0xffff_ffff;
}

/** Sleep: other threads run meanwhile; with none, the host sleeps. Sleep(0) yields. */
function sleep(p: Process, ms: number, pops: number): number | typeof NO_RETURN {
  if (ms === 0) {
    const r = p.scheduler.yieldNow(pops, 0);
    return r === NO_RETURN ? NO_RETURN : 0;
  }
  const until = ms === WAIT.INFINITE ? undefined : performance.now() + ms;
  return p.scheduler.block({ poll: () => undefined, deadline: until, timeoutResult: 0, what: ms === WAIT.INFINITE ? 'Sleep(INFINITE)' : `Sleep(${ms})` }, pops);
}

function SwitchToThread(p: Process): boolean | typeof NO_RETURN {
  return p.scheduler.yieldNow(0, 1);
}

function GetThreadId(p: Process, h: number): number {
  return threadOf(p, h)?.id ?? 0;
}

function DuplicateHandle(p: Process, srcProcess: number, src: number, dstProcess: number, out: number, _access: number, _inherit: number, options: number): boolean {
  const DUPLICATE_CLOSE_SOURCE = 1;
  if ((srcProcess !== CURRENT_PROCESS && srcProcess !== p.processId) || (dstProcess !== CURRENT_PROCESS && dstProcess !== p.processId)) {
    p.setLastError(ERROR.ACCESS_DENIED);
    return false;
  }
  let h: number | undefined;
  if (src === CURRENT_THREAD) h = p.handles.add(p.scheduler.objectOf(p.currentThread));
  else if (src === CURRENT_PROCESS) h = CURRENT_PROCESS;
  else h = p.handles.duplicate(src);
  if (h === undefined) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (out) p.mem.setU32(out, h);
  if (options & DUPLICATE_CLOSE_SOURCE && src !== CURRENT_THREAD && src !== CURRENT_PROCESS) p.handles.close(src);
  return true;
}

export const threadApi: Record<string, Export> = {
  CreateThread: fn('stdcall', ['ptr', 'long', 'ptr', 'ptr', 'long', 'ptr'], 'long', CreateThread),
  DuplicateHandle: fn('stdcall', ['long', 'long', 'long', 'ptr', 'long', 'long', 'long'], 'bool', DuplicateHandle),
  ExitThread: fn('stdcall', ['long'], 'void', ExitThread, { reentrant: true }),
  GetExitCodeThread: fn('stdcall', ['long', 'ptr'], 'bool', GetExitCodeThread),
  GetThreadId: fn('stdcall', ['long'], 'long', GetThreadId),
  GetThreadPriority: fn('stdcall', ['long'], 'int', (p, h) => (threadOf(p, h) ? 0 : 0x7fff_ffff)),
  ResumeThread: fn('stdcall', ['long'], 'long', ResumeThread),
  SetThreadPriority: fn('stdcall', ['long', 'int'], 'bool', (p, h, _prio) => threadOf(p, h) !== undefined),
  Sleep: fn('stdcall', ['long'], 'void', (p, ms) => (sleep(p, ms, 4) === NO_RETURN ? NO_RETURN : undefined), { reentrant: true }),
  SleepEx: fn('stdcall', ['long', 'long'], 'long', (p, ms, _alertable) => sleep(p, ms, 8), { reentrant: true }),
  SuspendThread: fn('stdcall', ['long'], 'long', SuspendThread),
  SwitchToThread: fn('stdcall', [], 'bool', SwitchToThread, { reentrant: true }),
  TerminateThread: fn('stdcall', ['long', 'long'], 'bool', TerminateThread, { reentrant: true }),
};
