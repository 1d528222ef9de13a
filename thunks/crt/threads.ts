// The C runtime's thread functions, over kernel32's threads (thunks/threads.ts).
import type { Process } from '../process.js';
import { fn, NO_RETURN, type Export } from '../spec.js';
import { ERRNO, setErrno } from './state.js';

const CREATE_SUSPENDED = 0x4;

/** _beginthreadex: as CreateThread (the routine is `unsigned __stdcall f(void *)`); 0 and errno on failure. */
function beginthreadex(p: Process, _security: number, _stack: number, start: number, arg: number, flags: number, idOut: number): number {
  if (!start) {
    setErrno(p, ERRNO.EINVAL);
    return 0;
  }
  const t = p.scheduler.create(start, arg, (flags & CREATE_SUSPENDED) !== 0);
  if (idOut) p.mem.setU32(idOut, t.id);
  return p.handles.add(p.scheduler.objectOf(t));
}

/**
 * _beginthread: the routine is `void __cdecl f(void *)`. It is entered exactly as a stdcall routine would
 * be ([esp] return address, [esp+4] argument); the caller-pops convention does not matter, since
 * returning ends the thread. Returns the thread's handle, or -1 (errno set).
 */
function beginthread(p: Process, start: number, _stack: number, arg: number): number {
  if (!start) {
    setErrno(p, ERRNO.EINVAL);
    return 0xffff_ffff;
  }
  const t = p.scheduler.create(start, arg, false);
  return p.handles.add(p.scheduler.objectOf(t));
}

export const crtThreadApi: Record<string, Export> = {
  _beginthread: fn('cdecl', ['ptr', 'long', 'ptr'], 'long', beginthread),
  _beginthreadex: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr', 'long', 'ptr'], 'long', beginthreadex),
  _endthread: fn('cdecl', [], 'void', (p) => {
    p.scheduler.exit(0);
    return NO_RETURN;
  }, { reentrant: true }),
  _endthreadex: fn('cdecl', ['long'], 'void', (p, code) => {
    p.scheduler.exit(code);
    return NO_RETURN;
  }, { reentrant: true }),
};

