// C runtime start-up and shut-down: _initterm, exit handlers (the process's atexit list, a DLL's
// __dllonexit table, ucrt's onexit tables), locks, fatal exits, and what start-up code asks for: argc/argv
// from the process command line, the environment, _fmode and friends, in both the msvcrt style
// (__getmainargs, data exports) and the ucrt style (_configure_narrow_argv, __p__* accessors).
import { ProcessExitError } from '../errors.js';
import { stateKey, type Process } from '../process.js';
import { dataAt, fn, type Export } from '../spec.js';
import { encodeString, writeWide } from '../text.js';
import type { CrtFlavour } from './format.js';
import { crtIo } from './io.js';
import { invalidParameter } from './signal.js';
import { hasSecureCrt } from './flavour.js';
import { ERRNO } from './state.js';
import { crt } from './state.js';
import { stdStream } from './files.js';

/** Calls each non-NULL function pointer in [begin, end): the CRT's constructor tables. */
export function _initterm(p: Process, begin: number, end: number): void {
  for (let at = begin; at < end; at += 4) {
    const f = p.mem.u32(at);
    if (f) p.callGuest(f, 'cdecl', []);
  }
}

/** As _initterm, stopping at the first function returning non-zero, which it returns. */
export function _initterm_e(p: Process, begin: number, end: number): number {
  for (let at = begin; at < end; at += 4) {
    const f = p.mem.u32(at);
    if (f) {
      const r = p.callGuest(f, 'cdecl', []);
      if (r !== 0) return r;
    }
  }
  return 0;
}

export function atexit(p: Process, f: number): number {
  if (!f) return -1;
  p.state(crt).atexit.push(f);
  return 0;
}

export function _onexit(p: Process, f: number): number {
  return atexit(p, f) === 0 ? f : 0;
}

/**
 * __dllonexit(func, &begin, &end): a DLL's private atexit table, grown on the CRT heap. The DLL calls the
 * functions itself at DLL_PROCESS_DETACH.
 */
export function __dllonexit(p: Process, f: number, pbegin: number, pend: number): number {
  const m = p.mem;
  const begin = m.u32(pbegin);
  const end = m.u32(pend);
  const count = begin ? (end - begin) / 4 : 0;
  const size = p.heap.size(begin);
  let table = begin;
  if (!begin || size < 0 || (count + 1) * 4 > size) {
    table = begin ? p.heap.realloc(begin, (count + 16) * 4) : p.heap.alloc(16 * 4, true);
    if (!table) return 0;
  }
  m.setU32(table + count * 4, f);
  m.setU32(pbegin, table);
  m.setU32(pend, table + (count + 1) * 4);
  return f;
}

/** Runs the process's atexit functions, last registered first (on unload, _cexit, exit). */
export function runAtExit(p: Process): void {
  const list = p.state(crt).atexit;
  while (list.length) p.callGuest(list.pop()!, 'cdecl', []);
}

// ---- ucrt onexit tables: struct _onexit_table_t { _PVFV *_first, *_last, *_end; } ----------------

/** _initialize_onexit_table: an empty table. */
export function _initialize_onexit_table(p: Process, table: number): number {
  if (!table) return -1;
  // A table that already has storage is left alone, as ucrt does.
  if (p.mem.u32(table) !== 0) return 0;
  p.mem.setU32(table, 0);
  p.mem.setU32(table + 4, 0);
  p.mem.setU32(table + 8, 0);
  return 0;
}

/** _register_onexit_function: appends to the table, growing it on the CRT heap. 0, or -1 out of memory. */
export function _register_onexit_function(p: Process, table: number, f: number): number {
  if (!table) return -1;
  const m = p.mem;
  let first = m.u32(table);
  let last = m.u32(table + 4);
  let end = m.u32(table + 8);
  if (last === end) {
    const count = first ? (last - first) / 4 : 0;
    const grown = Math.max(32, count * 2);
    const t = first ? p.heap.realloc(first, grown * 4) : p.heap.alloc(grown * 4, true);
    if (!t) return -1;
    first = t;
    last = t + count * 4;
    end = t + grown * 4;
  }
  m.setU32(last, f);
  m.setU32(table, first);
  m.setU32(table + 4, last + 4);
  m.setU32(table + 8, end);
  return 0;
}

/** _execute_onexit_table: calls the functions last registered first, then empties the table. */
export function _execute_onexit_table(p: Process, table: number): number {
  if (!table) return -1;
  const m = p.mem;
  const first = m.u32(table);
  let last = m.u32(table + 4);
  m.setU32(table, 0);
  m.setU32(table + 4, 0);
  m.setU32(table + 8, 0);
  while (first && last > first) {
    last -= 4;
    const f = m.u32(last);
    if (f) p.callGuest(f, 'cdecl', []);
  }
  if (first) p.heap.free(first);
  return 0;
}

/** _lock/_unlock guard the CRT's internal tables; one guest thread runs at a time. */
export function _lock(_p: Process, _n: number): void {}
export function _unlock(_p: Process, _n: number): void {}

export function _amsg_exit(p: Process, code: number): never {
  throw new ProcessExitError(`_amsg_exit (C runtime error R60${String(code).padStart(2, '0')})`, 255, p.where());
}

/** exit(): the atexit functions run, then the process ends. */
export function exit(p: Process, code: number): never {
  runAtExit(p);
  throw new ProcessExitError('exit', code, p.where());
}

/** _exit(): the process ends at once. */
export function _exit(p: Process, code: number): never {
  throw new ProcessExitError('_exit', code, p.where());
}

// ---- command line and environment -------------------------------------------------------------

/**
 * Splits a command line as the C runtime does for argv: white space separates arguments; double quotes
 * group (and inside quotes `""` is a literal quote); 2n backslashes before a quote give n backslashes and
 * the quote acts, 2n+1 give n and a literal quote; other backslashes are literal. The program name
 * (argv[0]) only honours quotes.
 */
export function parseCommandLine(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  // argv[0]
  let name = '';
  let quoted = false;
  while (i < cmd.length) {
    const c = cmd[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) break;
    else name += c;
    i++;
  }
  args.push(name);
  for (;;) {
    while (i < cmd.length && (cmd[i] === ' ' || cmd[i] === '\t')) i++;
    if (i >= cmd.length) break;
    let arg = '';
    quoted = false;
    while (i < cmd.length) {
      const c = cmd[i]!;
      if (!quoted && (c === ' ' || c === '\t')) break;
      if (c === '\\') {
        let n = 0;
        while (cmd[i] === '\\') {
          n++;
          i++;
        }
        if (cmd[i] === '"') {
          arg += '\\'.repeat(n >> 1);
          if (n & 1) {
            arg += '"';
            i++;
          }
        } else arg += '\\'.repeat(n);
        continue;
      }
      if (c === '"') {
        if (quoted && cmd[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      arg += c;
      i++;
    }
    args.push(arg);
  }
  return args;
}

/** The environment as "NAME=value" strings, sorted as Windows keeps its environment block. */
export function environmentStrings(p: Process): string[] {
  return [...p.env.values()].map((e) => `${e.name}=${e.value}`).sort((a, b) => (a.toUpperCase() < b.toUpperCase() ? -1 : a.toUpperCase() > b.toUpperCase() ? 1 : 0));
}

interface StartupState {
  argc: number;
  /** Variables holding pointers (what the data exports and __p__* accessors point at). */
  argv: number;
  wargv: number;
  environ: number;
  wenviron: number;
  initenv: number;
  winitenv: number;
  acmdln: number;
  wcmdln: number;
  pgmptr: number;
  wpgmptr: number;
  commode: number;
  /** _osver, _winver, _winmajor, _winminor, _osplatform. */
  osver: number;
  winver: number;
  winmajor: number;
  winminor: number;
  osplatform: number;
  appType: number;
  errorMode: number;
  userMatherr: number;
  newMode: number;
  threadLocalExitCallback: number;
  /** at_quick_exit functions. */
  quickExit: number[];
}

function narrowString(p: Process, s: string): number {
  const { bytes } = encodeString(s, p.ansiCodePage);
  const a = p.allocStatic(bytes.length + 1, 1);
  p.mem.write(a, bytes);
  return a;
}

function wideString(p: Process, s: string): number {
  const a = p.allocStatic(2 * s.length + 2, 2);
  writeWide(p.mem, a, s);
  return a;
}

/** A NULL-terminated array of string pointers in guest memory. */
function stringArray(p: Process, items: string[], wide: boolean): number {
  const arr = p.allocStatic(4 * (items.length + 1), 4);
  items.forEach((s, i) => p.mem.setU32(arr + 4 * i, wide ? wideString(p, s) : narrowString(p, s)));
  return arr;
}

const startup = stateKey<StartupState>('crt.startup', (p) => {
  const v = () => p.allocStatic(4, 4);
  const s: StartupState = {
    argc: v(),
    argv: v(),
    wargv: v(),
    environ: v(),
    wenviron: v(),
    initenv: v(),
    winitenv: v(),
    acmdln: v(),
    wcmdln: v(),
    pgmptr: v(),
    wpgmptr: v(),
    commode: v(),
    osver: v(),
    winver: v(),
    winmajor: v(),
    winminor: v(),
    osplatform: v(),
    appType: 0,
    errorMode: 0,
    userMatherr: 0,
    newMode: 0,
    threadLocalExitCallback: 0,
    quickExit: [],
  };
  const m = p.mem;
  const args = parseCommandLine(p.commandLine);
  m.setU32(s.argc, args.length);
  m.setU32(s.argv, stringArray(p, args, false));
  m.setU32(s.wargv, stringArray(p, args, true));
  m.setU32(s.acmdln, narrowString(p, p.commandLine));
  m.setU32(s.wcmdln, wideString(p, p.commandLine));
  m.setU32(s.pgmptr, narrowString(p, p.hostExePath));
  m.setU32(s.wpgmptr, wideString(p, p.hostExePath));
  // Windows 10 (10.0.19045), as the PEB says; _osver is the build number, _winver major << 8 | minor.
  m.setU32(s.osver, 19045);
  m.setU32(s.winmajor, 10);
  m.setU32(s.winminor, 0);
  m.setU32(s.winver, 10 << 8);
  m.setU32(s.osplatform, 2);
  rebuildEnvironment(p, s);
  m.setU32(s.initenv, m.u32(s.environ));
  m.setU32(s.winitenv, m.u32(s.wenviron));
  return s;
});

function rebuildEnvironment(p: Process, s: StartupState): void {
  const env = environmentStrings(p);
  p.mem.setU32(s.environ, stringArray(p, env, false));
  p.mem.setU32(s.wenviron, stringArray(p, env, true));
}

/** After _putenv & co.: _environ and _wenviron show the new environment (if start-up built them). */
export function environmentChanged(p: Process): void {
  rebuildEnvironment(p, p.state(startup));
}

/** __getmainargs(&argc, &argv, &env, doWildCard, &startinfo): the arguments from the command line. */
export function __getmainargs(p: Process, pargc: number, pargv: number, penv: number, _wildcard: number, _startinfo: number, wide: boolean): number {
  const s = p.state(startup);
  const m = p.mem;
  if (pargc) m.setU32(pargc, m.u32(s.argc));
  if (pargv) m.setU32(pargv, m.u32(wide ? s.wargv : s.argv));
  if (penv) m.setU32(penv, m.u32(wide ? s.wenviron : s.environ));
  return 0;
}

/** The command line after the program name, with leading blanks skipped: WinMain's lpCmdLine. */
export function winMainCommandLine(cmd: string): string {
  let i = 0;
  let quoted = false;
  while (i < cmd.length && (quoted || (cmd[i] !== ' ' && cmd[i] !== '\t'))) {
    if (cmd[i] === '"') quoted = !quoted;
    i++;
  }
  while (i < cmd.length && (cmd[i] === ' ' || cmd[i] === '\t')) i++;
  return cmd.slice(i);
}

function cached(p: Process, key: string, make: () => number): number {
  let a = p.cached.get(key);
  if (a === undefined) {
    a = make();
    p.cached.set(key, a);
  }
  return a;
}

/** _set_fmode: _O_TEXT, _O_BINARY or _O_WTEXT as the default translation mode of files opened from now on. */
export function _set_fmode(p: Process, mode: number): number {
  if (mode !== 0x4000 && mode !== 0x8000 && mode !== 0x1_0000) {
    invalidParameter(p, '_set_fmode', `mode 0x${mode.toString(16)}`);
    return ERRNO.EINVAL;
  }
  p.mem.setU32(p.state(crtIo).fmode, mode);
  return 0;
}

export function _get_fmode(p: Process, out: number): number {
  if (!out) {
    invalidParameter(p, '_get_fmode', 'the pointer is NULL');
    return ERRNO.EINVAL;
  }
  p.mem.setU32(out, p.mem.u32(p.state(crtIo).fmode));
  return 0;
}

/** C runtime exports of this area, for a CRT of the given flavour and version (see thunks/msvcrt.ts). */
export function startupApi(flavour: CrtFlavour, version = 60): Record<string, Export> {
  const r = { reentrant: true };
  const st = (p: Process) => p.state(startup);
  const common: Record<string, Export> = {
    __p___argc: fn('cdecl', [], 'ptr', (p) => st(p).argc),
    __p___argv: fn('cdecl', [], 'ptr', (p) => st(p).argv),
    __p___wargv: fn('cdecl', [], 'ptr', (p) => st(p).wargv),
    __p__acmdln: fn('cdecl', [], 'ptr', (p) => st(p).acmdln),
    __p__commode: fn('cdecl', [], 'ptr', (p) => st(p).commode),
    __p__environ: fn('cdecl', [], 'ptr', (p) => st(p).environ),
    __p__pgmptr: fn('cdecl', [], 'ptr', (p) => st(p).pgmptr),
    __p__wcmdln: fn('cdecl', [], 'ptr', (p) => st(p).wcmdln),
    __p__wenviron: fn('cdecl', [], 'ptr', (p) => st(p).wenviron),
    __p__wpgmptr: fn('cdecl', [], 'ptr', (p) => st(p).wpgmptr),
    __setusermatherr: fn('cdecl', ['ptr'], 'void', (p, f) => {
      st(p).userMatherr = f;
    }),
    _cexit: fn('cdecl', [], 'void', runAtExit, r),
    _c_exit: fn('cdecl', [], 'void', (_p) => {}),
    _errno: fn('cdecl', [], 'ptr', (p) => p.state(crt).errnoAddr, { quiet: true }),
    _exit: fn('cdecl', ['int'], 'void', _exit),
    _initterm: fn('cdecl', ['ptr', 'ptr'], 'void', _initterm, r),
    _initterm_e: fn('cdecl', ['ptr', 'ptr'], 'int', _initterm_e, r),
    _set_error_mode: fn('cdecl', ['int'], 'int', (p, mode) => {
      const s = st(p);
      const old = s.errorMode;
      if (mode === 3) return old; // _REPORT_ERRMODE: query
      if (mode < 0 || mode > 2) return -1;
      s.errorMode = mode;
      return old;
    }),
    exit: fn('cdecl', ['int'], 'void', exit, r),
  };
  if (hasSecureCrt(version)) {
    common._get_fmode = fn('cdecl', ['ptr'], 'int', _get_fmode, r);
    common._set_fmode = fn('cdecl', ['int'], 'int', _set_fmode, r);
  }
  if (flavour === 'msvcrt') {
    return {
      ...common,
      __argc: dataAt((p) => st(p).argc),
      __argv: dataAt((p) => st(p).argv),
      __dllonexit: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', __dllonexit),
      __getmainargs: fn('cdecl', ['ptr', 'ptr', 'ptr', 'int', 'ptr'], 'int', (p, a, v, e, w, si) => __getmainargs(p, a, v, e, w, si, false)),
      __initenv: dataAt((p) => st(p).initenv),
      __p___initenv: fn('cdecl', [], 'ptr', (p) => st(p).initenv),
      __p___winitenv: fn('cdecl', [], 'ptr', (p) => st(p).winitenv),
      __set_app_type: fn('cdecl', ['int'], 'void', (p, t) => {
        st(p).appType = t;
      }),
      __wargv: dataAt((p) => st(p).wargv),
      __wgetmainargs: fn('cdecl', ['ptr', 'ptr', 'ptr', 'int', 'ptr'], 'int', (p, a, v, e, w, si) => __getmainargs(p, a, v, e, w, si, true)),
      __winitenv: dataAt((p) => st(p).winitenv),
      _acmdln: dataAt((p) => st(p).acmdln),
      _amsg_exit: fn('cdecl', ['int'], 'void', _amsg_exit),
      _commode: dataAt((p) => st(p).commode),
      _environ: dataAt((p) => st(p).environ),
      _lock: fn('cdecl', ['int'], 'void', _lock, { quiet: true }),
      _onexit: fn('cdecl', ['ptr'], 'ptr', _onexit),
      _osplatform: dataAt((p) => st(p).osplatform),
      _osver: dataAt((p) => st(p).osver),
      _pgmptr: dataAt((p) => st(p).pgmptr),
      _unlock: fn('cdecl', ['int'], 'void', _unlock, { quiet: true }),
      _wcmdln: dataAt((p) => st(p).wcmdln),
      _wenviron: dataAt((p) => st(p).wenviron),
      _winmajor: dataAt((p) => st(p).winmajor),
      _winminor: dataAt((p) => st(p).winminor),
      _winver: dataAt((p) => st(p).winver),
      _wpgmptr: dataAt((p) => st(p).wpgmptr),
      atexit: fn('cdecl', ['ptr'], 'int', atexit),
    };
  }
  // ucrtbase
  return {
    ...common,
    __acrt_iob_func: fn('cdecl', ['long'], 'ptr', stdStream),
    _configure_narrow_argv: fn('cdecl', ['int'], 'int', (p, _mode) => (st(p), 0)),
    _configure_wide_argv: fn('cdecl', ['int'], 'int', (p, _mode) => (st(p), 0)),
    _crt_at_quick_exit: fn('cdecl', ['ptr'], 'int', (p, f) => {
      if (!f) return -1;
      st(p).quickExit.push(f);
      return 0;
    }),
    _crt_atexit: fn('cdecl', ['ptr'], 'int', atexit),
    _execute_onexit_table: fn('cdecl', ['ptr'], 'int', _execute_onexit_table, r),
    _get_initial_narrow_environment: fn('cdecl', [], 'ptr', (p) => p.mem.u32(st(p).initenv)),
    _get_initial_wide_environment: fn('cdecl', [], 'ptr', (p) => p.mem.u32(st(p).winitenv)),
    _get_narrow_winmain_command_line: fn('cdecl', [], 'ptr', (p) => cached(p, 'crt:winmain-cmdline', () => narrowString(p, winMainCommandLine(p.commandLine)))),
    _get_wide_winmain_command_line: fn('cdecl', [], 'ptr', (p) => cached(p, 'crt:winmain-wcmdline', () => wideString(p, winMainCommandLine(p.commandLine)))),
    _initialize_narrow_environment: fn('cdecl', [], 'int', (p) => (st(p), 0)),
    _initialize_onexit_table: fn('cdecl', ['ptr'], 'int', _initialize_onexit_table),
    _initialize_wide_environment: fn('cdecl', [], 'int', (p) => (st(p), 0)),
    _query_new_mode: fn('cdecl', [], 'int', (p) => st(p).newMode),
    _register_onexit_function: fn('cdecl', ['ptr', 'ptr'], 'int', _register_onexit_function),
    _register_thread_local_exe_atexit_callback: fn('cdecl', ['ptr'], 'void', (p, f) => {
      st(p).threadLocalExitCallback = f;
    }),
    _seh_filter_dll: fn('cdecl', ['long', 'ptr'], 'int', (_p, _code, _pointers) => 0), // EXCEPTION_CONTINUE_SEARCH
    _seh_filter_exe: fn('cdecl', ['long', 'ptr'], 'int', (_p, _code, _pointers) => 0),
    _set_app_type: fn('cdecl', ['int'], 'void', (p, t) => {
      st(p).appType = t;
    }),
    _set_new_mode: fn('cdecl', ['int'], 'int', (p, mode) => {
      const s = st(p);
      const old = s.newMode;
      s.newMode = mode;
      return old;
    }),
    quick_exit: fn(
      'cdecl',
      ['int'],
      'void',
      (p, code) => {
        const list = st(p).quickExit;
        while (list.length) p.callGuest(list.pop()!, 'cdecl', []);
        throw new ProcessExitError('quick_exit', code, p.where());
      },
      r,
    ),
  };
}
