// msvcrt.dll: the export table. The C library itself lives in crt/*.ts and serves every CRT flavour.
import * as io from './crt/stdio.js';
import * as locale from './crt/locale.js';
import * as heap from './crt/memory.js';
import * as start from './crt/startup.js';
import { crt, ERRNO_TEXT, staticBuffer } from './crt/state.js';
import * as std from './crt/stdlib.js';
import * as str from './crt/string.js';
import { dataAt, dll, fn, varargs, type Export } from './spec.js';
import { writeAnsi } from './text.js';

const FLAVOUR = 'msvcrt' as const;

const ctypeExports = Object.fromEntries(
  Object.entries(str.ctype).map(([name, test]) => [name, fn('cdecl', ['int'], 'int', (_p, c) => (test(c) ? 1 : 0))] as const),
) as Record<string, Export>;

export default dll('msvcrt.dll', {
  ...ctypeExports,
  __dllonexit: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'ptr', start.__dllonexit),
  __iob_func: fn('cdecl', [], 'ptr', (p) => p.state(crt).iob),
  __mb_cur_max: dataAt((p) => p.state(crt).mbCurMax),
  __p___mb_cur_max: fn('cdecl', [], 'ptr', (p) => p.state(crt).mbCurMax),
  _amsg_exit: fn('cdecl', ['int'], 'void', start._amsg_exit),
  _close: fn('cdecl', ['int'], 'int', io._close),
  _errno: fn('cdecl', [], 'ptr', (p) => p.state(crt).errnoAddr, { quiet: true }),
  _exit: fn('cdecl', ['int'], 'void', start.exit),
  _expand: fn('cdecl', ['ptr', 'long'], 'ptr', heap._expand),
  _fileno: fn('cdecl', ['ptr'], 'int', io.fileno),
  _initterm: fn('cdecl', ['ptr', 'ptr'], 'void', start._initterm, { reentrant: true }),
  _initterm_e: fn('cdecl', ['ptr', 'ptr'], 'int', start._initterm_e, { reentrant: true }),
  _iob: dataAt((p) => p.state(crt).iob),
  _lock: fn('cdecl', ['int'], 'void', start._lock, { quiet: true }),
  _lseek: fn('cdecl', ['int', 'int', 'int'], 'int', (p, fd, _offset, _origin) => io._lseek(p, fd)),
  _lseeki64: fn('cdecl', ['int', 'int64', 'int'], 'int64', (p, fd, _offset, _origin) => BigInt(io._lseek(p, fd))),
  _msize: fn('cdecl', ['ptr'], 'long', heap._msize),
  _onexit: fn('cdecl', ['ptr'], 'ptr', start._onexit),
  _open: varargs(['str', 'int'], 'int', (p, path, _oflag, _mode) => io._open(p, path)),
  _read: fn('cdecl', ['int', 'ptr', 'long'], 'int', io._read),
  _recalloc: fn('cdecl', ['ptr', 'long', 'long'], 'ptr', heap._recalloc),
  _snprintf: varargs(['ptr', 'long', 'ptr'], 'int', (p, b, n, f, va) => io.vsnprintf(p, b, n, f, va, FLAVOUR, 'ms')),
  _strdup: fn('cdecl', ['ptr'], 'ptr', str._strdup),
  _stricmp: fn('cdecl', ['ptr', 'ptr'], 'int', str._stricmp),
  _strlwr: fn('cdecl', ['ptr'], 'ptr', str._strlwr),
  _strnicmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', str._strnicmp),
  _strupr: fn('cdecl', ['ptr'], 'ptr', str._strupr),
  _unlock: fn('cdecl', ['int'], 'void', start._unlock, { quiet: true }),
  _vsnprintf: fn('cdecl', ['ptr', 'long', 'ptr', 'ptr'], 'int', (p, b, n, f, va) => io.vsnprintf(p, b, n, f, io.vaList(p, va), FLAVOUR, 'ms')),
  _wopen: varargs(['wstr', 'int'], 'int', (p, path, _oflag, _mode) => io._open(p, path)),
  _write: fn('cdecl', ['int', 'ptr', 'long'], 'int', io._write),
  abort: fn('cdecl', [], 'void', start.abort),
  atexit: fn('cdecl', ['ptr'], 'int', start.atexit),
  atof: fn('cdecl', ['ptr'], 'double', std.atof),
  atoi: fn('cdecl', ['ptr'], 'int', std.atoi),
  atol: fn('cdecl', ['ptr'], 'int', std.atoi),
  bsearch: fn('cdecl', ['ptr', 'ptr', 'long', 'long', 'ptr'], 'ptr', std.bsearch, { reentrant: true }),
  calloc: fn('cdecl', ['long', 'long'], 'ptr', heap.calloc),
  exit: fn('cdecl', ['int'], 'void', start.exit),
  fflush: fn('cdecl', ['ptr'], 'int', io.fflush),
  fprintf: varargs(['ptr', 'ptr'], 'int', (p, f, fmt, va) => io.vfprintf(p, f, fmt, va, FLAVOUR)),
  fputc: fn('cdecl', ['int', 'ptr'], 'int', io.fputc),
  fputs: fn('cdecl', ['ptr', 'ptr'], 'int', io.fputs),
  free: fn('cdecl', ['ptr'], 'void', heap.free, { quiet: true }),
  fwrite: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'long', io.fwrite),
  getenv: fn('cdecl', ['str'], 'ptr', std.getenv),
  localeconv: fn('cdecl', [], 'ptr', locale.localeconv),
  malloc: fn('cdecl', ['long'], 'ptr', heap.malloc, { quiet: true }),
  mbstowcs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', std.mbstowcs),
  memchr: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', str.memchr),
  memcmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', str.memcmp),
  memcpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', str.memcpy, { quiet: true }),
  memmove: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', str.memmove, { quiet: true }),
  memset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', str.memset, { quiet: true }),
  printf: varargs(['ptr'], 'int', (p, fmt, va) => io.vfprintf(p, io.iobEntry(p, 1), fmt, va, FLAVOUR)),
  putchar: fn('cdecl', ['int'], 'int', (p, c) => io.fputc(p, c, io.iobEntry(p, 1))),
  puts: fn('cdecl', ['ptr'], 'int', io.puts),
  qsort: fn('cdecl', ['ptr', 'long', 'long', 'ptr'], 'void', std.qsort, { reentrant: true }),
  realloc: fn('cdecl', ['ptr', 'long'], 'ptr', heap.realloc),
  setlocale: fn('cdecl', ['int', 'str'], 'ptr', locale.setlocale),
  sprintf: varargs(['ptr', 'ptr'], 'int', (p, b, f, va) => io.vsnprintf(p, b, undefined, f, va, FLAVOUR, 'ms')),
  strcat: fn('cdecl', ['ptr', 'ptr'], 'ptr', str.strcat),
  strchr: fn('cdecl', ['ptr', 'int'], 'ptr', str.strchr),
  strcmp: fn('cdecl', ['ptr', 'ptr'], 'int', str.strcmp),
  strcpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', str.strcpy),
  strcspn: fn('cdecl', ['ptr', 'ptr'], 'long', str.strcspn),
  strerror: fn('cdecl', ['int'], 'ptr', (p, e) => {
    const buf = staticBuffer(p, 'strerror', 96);
    writeAnsi(p.mem, buf, ERRNO_TEXT[e] ?? 'Unknown error');
    return buf;
  }),
  strlen: fn('cdecl', ['ptr'], 'long', str.strlen, { quiet: true }),
  strncat: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', str.strncat),
  strncmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', str.strncmp),
  strncpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', str.strncpy),
  strnlen: fn('cdecl', ['ptr', 'long'], 'long', str.strnlen),
  strpbrk: fn('cdecl', ['ptr', 'ptr'], 'ptr', str.strpbrk),
  strrchr: fn('cdecl', ['ptr', 'int'], 'ptr', str.strrchr),
  strspn: fn('cdecl', ['ptr', 'ptr'], 'long', str.strspn),
  strstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', str.strstr),
  strtod: fn('cdecl', ['ptr', 'ptr'], 'double', std.strtod),
  strtol: fn('cdecl', ['ptr', 'ptr', 'int'], 'int', (p, s, e, b) => std.strtol(p, s, e, b, true)),
  strtoul: fn('cdecl', ['ptr', 'ptr', 'int'], 'long', (p, s, e, b) => std.strtol(p, s, e, b, false)),
  tolower: fn('cdecl', ['int'], 'int', str.tolower),
  toupper: fn('cdecl', ['int'], 'int', str.toupper),
  vfprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, f, fmt, va) => io.vfprintf(p, f, fmt, io.vaList(p, va), FLAVOUR)),
  vprintf: fn('cdecl', ['ptr', 'ptr'], 'int', (p, fmt, va) => io.vfprintf(p, io.iobEntry(p, 1), fmt, io.vaList(p, va), FLAVOUR)),
  vsprintf: fn('cdecl', ['ptr', 'ptr', 'ptr'], 'int', (p, b, f, va) => io.vsnprintf(p, b, undefined, f, io.vaList(p, va), FLAVOUR, 'ms')),
  wcschr: fn('cdecl', ['ptr', 'int'], 'ptr', str.wcschr),
  wcscmp: fn('cdecl', ['ptr', 'ptr'], 'int', str.wcscmp),
  wcscpy: fn('cdecl', ['ptr', 'ptr'], 'ptr', str.wcscpy),
  wcslen: fn('cdecl', ['ptr'], 'long', str.wcslen),
  wcstombs: fn('cdecl', ['ptr', 'ptr', 'long'], 'long', std.wcstombs),
});
