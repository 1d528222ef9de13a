// vcruntime140.dll's own functions (the compiler-support half of the Visual C++ 2015+ runtime): the memory
// and string search functions it exports, type_info support (__std_type_info_*), std::exception's string
// handling (__std_exception_*). Structured exception handling (_except_handler4_common, _CxxThrowException,
// ...) comes from thunks/seh-api.ts, C++ exception handling and RTTI from thunks/cxx-eh.ts and thunks/rtti.ts.
import type { Process } from '../process.js';
import { fn, type Export } from '../spec.js';
import { writeAnsi } from '../text.js';
import { memchr, memcmp, memcpy, memmove, memset, strchr, strrchr, strstr } from './string.js';
import { wcschr, wcsrchr, wcsstr } from './wide.js';

/** The decorated name in a type_info's data part (__std_type_info_data: _UndecoratedName, _DecoratedName[]). */
const DECORATED = 4;

function decoratedName(p: Process, data: number): Uint8Array {
  return p.mem.readCBytes(data + DECORATED);
}

/** __std_type_info_compare: 0 when both describe the same type (same decorated name, the leading '.' aside). */
export function __std_type_info_compare(p: Process, a: number, b: number): number {
  if (a === b) return 0;
  const x = decoratedName(p, a).subarray(1);
  const y = decoratedName(p, b).subarray(1);
  for (let i = 0; ; i++) {
    const c = x[i] ?? 0;
    const d = y[i] ?? 0;
    if (c !== d) return c < d ? -1 : 1;
    if (c === 0) return 0;
  }
}

/** __std_type_info_hash: 32-bit FNV-1a of the decorated name after its leading '.'. */
export function __std_type_info_hash(p: Process, data: number): number {
  let h = 0x811c9dc5;
  for (const c of decoratedName(p, data).subarray(1)) h = Math.imul(h ^ c, 0x01000193) >>> 0;
  return h >>> 0;
}

const PRIMITIVES: Record<string, string> = {
  C: 'signed char',
  D: 'char',
  E: 'unsigned char',
  F: 'short',
  G: 'unsigned short',
  H: 'int',
  I: 'unsigned int',
  J: 'long',
  K: 'unsigned long',
  M: 'float',
  N: 'double',
  O: 'long double',
  X: 'void',
  _J: '__int64',
  _K: 'unsigned __int64',
  _N: 'bool',
  _W: 'wchar_t',
};

/**
 * The readable name of a type from its decorated name (".?AVWidget@ui@@" -> "class ui::Widget", ".H" ->
 * "int"): classes, structs, unions and enums in namespaces, and the built-in types. Anything else (templates,
 * pointers, functions) keeps its decorated form.
 */
export function undecorateTypeName(decorated: string): string {
  const d = decorated.startsWith('.') ? decorated.slice(1) : decorated;
  if (PRIMITIVES[d]) return PRIMITIVES[d]!;
  const m = /^\?A([VUTW])(?:4)?([A-Za-z_$][\w$]*(?:@[A-Za-z_$][\w$]*)*)@@$/.exec(d);
  if (!m) return decorated;
  const kind = { V: 'class', U: 'struct', T: 'union', W: 'enum' }[m[1] as 'V' | 'U' | 'T' | 'W'];
  return `${kind} ${m[2]!.split('@').reverse().join('::')}`;
}

/**
 * __std_type_info_name(data, list): the undecorated name, computed once and kept in the type_info
 * (_UndecoratedName); the memory is linked into `list` (__type_info_node: _MemPtr, _Next) so that
 * __std_type_info_destroy_list can free it.
 */
export function __std_type_info_name(p: Process, data: number, list: number): number {
  const cachedName = p.mem.u32(data);
  if (cachedName) return cachedName;
  const name = undecorateTypeName(String.fromCharCode(...decoratedName(p, data)));
  const node = p.heap.alloc(8 + name.length + 1);
  if (!node) return 0;
  const text = node + 8;
  writeAnsi(p.mem, text, name, p.ansiCodePage);
  p.mem.setU32(node, text);
  if (list) {
    p.mem.setU32(node + 4, p.mem.u32(list + 4));
    p.mem.setU32(list + 4, node);
  } else p.mem.setU32(node + 4, 0);
  p.mem.setU32(data, text);
  return text;
}

/** __std_type_info_destroy_list: frees the names __std_type_info_name kept. */
export function __std_type_info_destroy_list(p: Process, list: number): void {
  if (!list) return;
  let node = p.mem.u32(list + 4);
  p.mem.setU32(list + 4, 0);
  while (node) {
    const next = p.mem.u32(node + 4);
    p.heap.free(node);
    node = next;
  }
}

/** struct __std_exception_data { const char *_What; bool _DoFree; }: copies, duplicating an owned string. */
export function __std_exception_copy(p: Process, from: number, to: number): void {
  const what = p.mem.u32(from);
  const doFree = p.mem.u8(from + 4) !== 0;
  if (!doFree || !what) {
    p.mem.setU32(to, what);
    p.mem.setU8(to + 4, 0);
    return;
  }
  const bytes = p.mem.readCBytes(what);
  const copy = p.heap.alloc(bytes.length + 1);
  if (!copy) {
    p.mem.setU32(to, 0);
    p.mem.setU8(to + 4, 0);
    return;
  }
  p.mem.write(copy, bytes);
  p.mem.setU8(copy + bytes.length, 0);
  p.mem.setU32(to, copy);
  p.mem.setU8(to + 4, 1);
}

export function __std_exception_destroy(p: Process, data: number): void {
  if (p.mem.u8(data + 4)) p.heap.free(p.mem.u32(data));
  p.mem.setU32(data, 0);
  p.mem.setU8(data + 4, 0);
}

/** vcruntime140.dll's own exports (the SEH, C++ EH and RTTI ones are added from thunks/seh-api.ts, cxx-eh.ts, rtti.ts). */
export function vcruntimeApi(): Record<string, Export> {
  const q = { quiet: true };
  return {
    __std_exception_copy: fn('cdecl', ['ptr', 'ptr'], 'void', __std_exception_copy),
    __std_exception_destroy: fn('cdecl', ['ptr'], 'void', __std_exception_destroy),
    __std_type_info_compare: fn('cdecl', ['ptr', 'ptr'], 'int', __std_type_info_compare),
    __std_type_info_destroy_list: fn('cdecl', ['ptr'], 'void', __std_type_info_destroy_list),
    __std_type_info_hash: fn('cdecl', ['ptr'], 'long', __std_type_info_hash),
    __std_type_info_name: fn('cdecl', ['ptr', 'ptr'], 'ptr', __std_type_info_name),
    // Telemetry hooks of the Visual C++ start-up code: nothing to do.
    __telemetry_main_invoke_trigger: fn('cdecl', ['ptr'], 'void', (_p, _x) => {}),
    __telemetry_main_return_trigger: fn('cdecl', ['ptr'], 'void', (_p, _x) => {}),
    memchr: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memchr),
    memcmp: fn('cdecl', ['ptr', 'ptr', 'long'], 'int', memcmp),
    memcpy: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memcpy, q),
    memmove: fn('cdecl', ['ptr', 'ptr', 'long'], 'ptr', memmove, q),
    memset: fn('cdecl', ['ptr', 'int', 'long'], 'ptr', memset, q),
    strchr: fn('cdecl', ['ptr', 'int'], 'ptr', strchr),
    strrchr: fn('cdecl', ['ptr', 'int'], 'ptr', strrchr),
    strstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', strstr),
    wcschr: fn('cdecl', ['ptr', 'int'], 'ptr', wcschr),
    wcsrchr: fn('cdecl', ['ptr', 'int'], 'ptr', wcsrchr),
    wcsstr: fn('cdecl', ['ptr', 'ptr'], 'ptr', wcsstr),
  };
}
