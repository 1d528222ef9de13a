// Waitable kernel objects (events, mutexes, semaphores; threads are waitable too) and the wait
// functions. A wait that cannot be satisfied parks the calling thread in the scheduler.

import { CURRENT_PROCESS, CURRENT_THREAD, type KernelObject } from '../handles.js';
import type { GuestThread, Process } from '../process.js';
import { fn, NO_RETURN, type Export } from '../spec.js';
import { stateKey } from '../process.js';
import { WAIT, type ThreadObject } from '../threads.js';
import { ERROR } from '../win32.js';

/** An object a thread can wait for. */
export interface Waitable extends KernelObject {
  /** Could `t` take it now? */
  signaled(t: GuestThread): boolean;
  /** `t` takes it (an auto-reset event resets, a semaphore counts down, a mutex is owned). */
  acquire(t: GuestThread): void;
}

export class EventObject implements Waitable {
  readonly type = 'event';
  constructor(
    readonly manualReset: boolean,
    public state: boolean,
  ) {}
  signaled(): boolean {
    return this.state;
  }
  acquire(): void {
    if (!this.manualReset) this.state = false;
  }
}

export class MutexObject implements Waitable {
  readonly type = 'mutex';
  owner: GuestThread | undefined;
  count = 0;
  /** Its owner ended without releasing it: the next acquirer gets WAIT_ABANDONED. */
  abandoned = false;
  constructor(private readonly p: Process) {}
  signaled(t: GuestThread): boolean {
    if (this.owner && this.p.scheduler.isFinished(this.owner)) {
      this.owner = undefined;
      this.count = 0;
      this.abandoned = true;
    }
    return this.owner === undefined || this.owner === t;
  }
  acquire(t: GuestThread): void {
    this.owner = t;
    this.count++;
  }
}

export class SemaphoreObject implements Waitable {
  readonly type = 'semaphore';
  constructor(
    public count: number,
    readonly maximum: number,
  ) {}
  signaled(): boolean {
    return this.count > 0;
  }
  acquire(): void {
    this.count--;
  }
}

/** Named kernel objects of the process (CreateEvent with an existing name opens it). */
const names = stateKey('kernel32.objectNames', () => new Map<string, KernelObject>());

function threadWaitable(p: Process, obj: ThreadObject): Waitable {
  return { type: 'thread', signaled: () => p.scheduler.isFinished(obj.thread), acquire: () => {} };
}

/** The waitable behind a handle (pseudo-handles included), or undefined. */
export function waitableOf(p: Process, h: number): Waitable | undefined {
  if (h === CURRENT_THREAD) return threadWaitable(p, p.scheduler.objectOf(p.currentThread));
  if (h === CURRENT_PROCESS) return { type: 'process', signaled: () => false, acquire: () => {} };
  const obj = p.handles.get<KernelObject>(h);
  if (!obj) return undefined;
  if (obj.type === 'thread') return threadWaitable(p, obj as ThreadObject);
  return 'signaled' in obj ? (obj as Waitable) : undefined;
}

function deadline(ms: number): number | undefined {
  return ms === WAIT.INFINITE ? undefined : performance.now() + ms;
}

/** Waits for any one (or all) of the objects; `pops` is the API's stdcall argument size. */
function waitFor(p: Process, handles: number[], all: boolean, ms: number, pops: number): number | typeof NO_RETURN {
  const objs: Waitable[] = [];
  for (const h of handles) {
    const w = waitableOf(p, h);
    if (!w) {
      p.setLastError(ERROR.INVALID_HANDLE);
      return WAIT.FAILED;
    }
    objs.push(w);
  }
  const t = p.currentThread;
  const resultFor = (i: number, o: Waitable) => {
    const abandoned = o instanceof MutexObject && o.abandoned;
    if (abandoned) (o as MutexObject).abandoned = false;
    return (abandoned ? WAIT.ABANDONED_0 : WAIT.OBJECT_0) + i;
  };
  const poll = () => {
    if (all) {
      if (!objs.every((o) => o.signaled(t))) return undefined;
      let r: number = WAIT.OBJECT_0;
      objs.forEach((o, i) => {
        if (resultFor(i, o) >= WAIT.ABANDONED_0) r = WAIT.ABANDONED_0;
        o.acquire(t);
      });
      return r;
    }
    for (let i = 0; i < objs.length; i++) {
      if (objs[i]!.signaled(t)) {
        const r = resultFor(i, objs[i]!);
        objs[i]!.acquire(t);
        return r;
      }
    }
    return undefined;
  };
  return p.scheduler.block({ poll, deadline: deadline(ms), timeoutResult: WAIT.TIMEOUT, what: `${all ? 'all of' : 'one of'} ${objs.map((o) => o.type).join(', ')}` }, pops);
}

function WaitForSingleObject(p: Process, h: number, ms: number) {
  return waitFor(p, [h], false, ms, 8);
}
function WaitForSingleObjectEx(p: Process, h: number, ms: number, _alertable: number) {
  return waitFor(p, [h], false, ms, 12);
}
function WaitForMultipleObjects(p: Process, n: number, handles: number, all: number, ms: number) {
  if (n === 0 || n > 64) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return WAIT.FAILED;
  }
  return waitFor(p, Array.from({ length: n }, (_, i) => p.mem.u32(handles + 4 * i)), all !== 0, ms, 16);
}
function WaitForMultipleObjectsEx(p: Process, n: number, handles: number, all: number, ms: number, _alertable: number) {
  if (n === 0 || n > 64) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return WAIT.FAILED;
  }
  return waitFor(p, Array.from({ length: n }, (_, i) => p.mem.u32(handles + 4 * i)), all !== 0, ms, 20);
}

function SignalObjectAndWait(p: Process, toSignal: number, toWait: number, ms: number, _alertable: number) {
  const obj = p.handles.get<KernelObject>(toSignal);
  if (obj instanceof EventObject) obj.state = true;
  else if (obj instanceof MutexObject) {
    if (!releaseMutex(p, obj)) return WAIT.FAILED;
  } else if (obj instanceof SemaphoreObject) {
    if (obj.count >= obj.maximum) {
      p.setLastError(ERROR.TOO_MANY_POSTS);
      return WAIT.FAILED;
    }
    obj.count++;
  } else {
    p.setLastError(ERROR.INVALID_HANDLE);
    return WAIT.FAILED;
  }
  return waitFor(p, [toWait], false, ms, 16);
}

// ---- creating and opening ------------------------------------------------------------------------

/** Creates a named or unnamed object, or opens the existing one of that name (ERROR_ALREADY_EXISTS). */
function createNamed(p: Process, name: string | null, type: string, make: () => KernelObject): number {
  const table = p.state(names);
  if (name) {
    const existing = table.get(name);
    if (existing) {
      if (existing.type !== type) {
        p.setLastError(ERROR.INVALID_HANDLE);
        return 0;
      }
      p.setLastError(ERROR.ALREADY_EXISTS);
      return p.handles.add(existing);
    }
  }
  const obj = make();
  if (name) table.set(name, obj);
  p.setLastError(ERROR.SUCCESS);
  return p.handles.add(obj);
}

function openNamed(p: Process, name: string | null, type: string): number {
  const obj = name ? p.state(names).get(name) : undefined;
  if (!obj || obj.type !== type) {
    p.setLastError(name ? ERROR.FILE_NOT_FOUND : ERROR.INVALID_PARAMETER);
    return 0;
  }
  return p.handles.add(obj);
}

function CreateEvent(p: Process, _sa: number, manual: number, initial: number, name: string | null): number {
  return createNamed(p, name, 'event', () => new EventObject(manual !== 0, initial !== 0));
}

const CREATE_EVENT_MANUAL_RESET = 1;
const CREATE_EVENT_INITIAL_SET = 2;
function CreateEventEx(p: Process, _sa: number, name: string | null, flags: number, _access: number): number {
  return createNamed(p, name, 'event', () => new EventObject((flags & CREATE_EVENT_MANUAL_RESET) !== 0, (flags & CREATE_EVENT_INITIAL_SET) !== 0));
}

function eventOf(p: Process, h: number): EventObject | undefined {
  const obj = p.handles.get<KernelObject>(h);
  if (obj instanceof EventObject) return obj;
  p.setLastError(ERROR.INVALID_HANDLE);
  return undefined;
}

function SetEvent(p: Process, h: number): boolean {
  const e = eventOf(p, h);
  if (e) e.state = true;
  return !!e;
}
function ResetEvent(p: Process, h: number): boolean {
  const e = eventOf(p, h);
  if (e) e.state = false;
  return !!e;
}
/**
 * PulseEvent: sets the event, lets the threads waiting for it now take it (all of them for a
 * manual-reset event, one for an auto-reset event), then resets it.
 */
function PulseEvent(p: Process, h: number): boolean {
  const e = eventOf(p, h);
  if (!e) return false;
  e.state = true;
  p.scheduler.wakeWaiters();
  e.state = false;
  return true;
}

function CreateMutex(p: Process, _sa: number, initialOwner: number, name: string | null): number {
  return createNamed(p, name, 'mutex', () => {
    const m = new MutexObject(p);
    if (initialOwner) m.acquire(p.currentThread);
    return m;
  });
}

const CREATE_MUTEX_INITIAL_OWNER = 1;
function CreateMutexEx(p: Process, _sa: number, name: string | null, flags: number, _access: number): number {
  return CreateMutex(p, 0, flags & CREATE_MUTEX_INITIAL_OWNER, name);
}

function releaseMutex(p: Process, m: MutexObject): boolean {
  if (m.owner !== p.currentThread) {
    p.setLastError(ERROR.NOT_OWNER);
    return false;
  }
  if (--m.count === 0) m.owner = undefined;
  return true;
}

function ReleaseMutex(p: Process, h: number): boolean {
  const obj = p.handles.get<KernelObject>(h);
  if (!(obj instanceof MutexObject)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  return releaseMutex(p, obj);
}

function CreateSemaphore(p: Process, _sa: number, initial: number, maximum: number, name: string | null): number {
  if ((maximum | 0) <= 0 || (initial | 0) < 0 || (initial | 0) > (maximum | 0)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  return createNamed(p, name, 'semaphore', () => new SemaphoreObject(initial, maximum));
}

function CreateSemaphoreEx(p: Process, sa: number, initial: number, maximum: number, name: string | null, _flags: number, _access: number): number {
  return CreateSemaphore(p, sa, initial, maximum, name);
}

function ReleaseSemaphore(p: Process, h: number, count: number, previous: number): boolean {
  const obj = p.handles.get<KernelObject>(h);
  if (!(obj instanceof SemaphoreObject)) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if ((count | 0) <= 0 || obj.count + count > obj.maximum) {
    p.setLastError(ERROR.TOO_MANY_POSTS);
    return false;
  }
  if (previous) p.mem.setU32(previous, obj.count);
  obj.count += count;
  return true;
}

export const waitApi: Record<string, Export> = {
  CreateEventA: fn('stdcall', ['ptr', 'long', 'long', 'str'], 'long', CreateEvent),
  CreateEventExA: fn('stdcall', ['ptr', 'str', 'long', 'long'], 'long', CreateEventEx),
  CreateEventExW: fn('stdcall', ['ptr', 'wstr', 'long', 'long'], 'long', CreateEventEx),
  CreateEventW: fn('stdcall', ['ptr', 'long', 'long', 'wstr'], 'long', CreateEvent),
  CreateMutexA: fn('stdcall', ['ptr', 'long', 'str'], 'long', CreateMutex),
  CreateMutexExA: fn('stdcall', ['ptr', 'str', 'long', 'long'], 'long', CreateMutexEx),
  CreateMutexExW: fn('stdcall', ['ptr', 'wstr', 'long', 'long'], 'long', CreateMutexEx),
  CreateMutexW: fn('stdcall', ['ptr', 'long', 'wstr'], 'long', CreateMutex),
  CreateSemaphoreA: fn('stdcall', ['ptr', 'long', 'long', 'str'], 'long', CreateSemaphore),
  CreateSemaphoreExA: fn('stdcall', ['ptr', 'long', 'long', 'str', 'long', 'long'], 'long', CreateSemaphoreEx),
  CreateSemaphoreExW: fn('stdcall', ['ptr', 'long', 'long', 'wstr', 'long', 'long'], 'long', CreateSemaphoreEx),
  CreateSemaphoreW: fn('stdcall', ['ptr', 'long', 'long', 'wstr'], 'long', CreateSemaphore),
  OpenEventA: fn('stdcall', ['long', 'long', 'str'], 'long', (p, _a, _i, n) => openNamed(p, n, 'event')),
  OpenEventW: fn('stdcall', ['long', 'long', 'wstr'], 'long', (p, _a, _i, n) => openNamed(p, n, 'event')),
  OpenMutexA: fn('stdcall', ['long', 'long', 'str'], 'long', (p, _a, _i, n) => openNamed(p, n, 'mutex')),
  OpenMutexW: fn('stdcall', ['long', 'long', 'wstr'], 'long', (p, _a, _i, n) => openNamed(p, n, 'mutex')),
  OpenSemaphoreA: fn('stdcall', ['long', 'long', 'str'], 'long', (p, _a, _i, n) => openNamed(p, n, 'semaphore')),
  OpenSemaphoreW: fn('stdcall', ['long', 'long', 'wstr'], 'long', (p, _a, _i, n) => openNamed(p, n, 'semaphore')),
  PulseEvent: fn('stdcall', ['long'], 'bool', PulseEvent),
  ReleaseMutex: fn('stdcall', ['long'], 'bool', ReleaseMutex),
  ReleaseSemaphore: fn('stdcall', ['long', 'long', 'ptr'], 'bool', ReleaseSemaphore),
  ResetEvent: fn('stdcall', ['long'], 'bool', ResetEvent),
  SetEvent: fn('stdcall', ['long'], 'bool', SetEvent),
  SignalObjectAndWait: fn('stdcall', ['long', 'long', 'long', 'long'], 'long', SignalObjectAndWait, { reentrant: true }),
  WaitForMultipleObjects: fn('stdcall', ['long', 'ptr', 'long', 'long'], 'long', WaitForMultipleObjects, { reentrant: true }),
  WaitForMultipleObjectsEx: fn('stdcall', ['long', 'ptr', 'long', 'long', 'long'], 'long', WaitForMultipleObjectsEx, { reentrant: true }),
  WaitForSingleObject: fn('stdcall', ['long', 'long'], 'long', WaitForSingleObject, { reentrant: true }),
  WaitForSingleObjectEx: fn('stdcall', ['long', 'long', 'long'], 'long', WaitForSingleObjectEx, { reentrant: true }),
};
