// C types as the FFI sees them: sizes and alignment of the 32-bit Windows ABI, structs with their
// natural layout, and a registry of named types (structs and callback prototypes). Type descriptors
// are plain data so they can travel to a worker thread unchanged.

import { WowasmError } from '../emulator/errors.js';

export type Direction = 'in' | 'out' | 'inout';
export type Conv = 'cdecl' | 'stdcall' | 'fastcall' | 'thiscall';

export type CType =
  | { kind: 'void'; size: 0; align: 1; name: string }
  | { kind: 'int'; size: 1 | 2 | 4 | 8; align: number; signed: boolean; name: string; flavour?: 'bool' | 'char' | 'wchar' }
  | { kind: 'float'; size: 4 | 8; align: number; name: string }
  | { kind: 'pointer'; size: 4; align: 4; to: CType; constTarget: boolean; name: string }
  | { kind: 'array'; size: number; align: number; of: CType; length: number; name: string }
  | { kind: 'struct'; size: number; align: number; name: string; fields: StructField[] }
  | { kind: 'function'; size: 0; align: 1; name: string; proto: FunctionProto };

export interface StructField {
  name: string;
  type: CType;
  offset: number;
}

export interface Param {
  name: string;
  type: CType;
  /** From SAL annotations or const-ness: whether data behind a pointer goes in, out or both. */
  direction: Direction;
}

export interface FunctionProto {
  name: string;
  conv: Conv;
  ret: CType;
  params: Param[];
}

/** A prototype or type expression could not be understood. */
export class PrototypeError extends WowasmError {
  constructor(text: string, problem: string) {
    super('WOWASM_BAD_PROTOTYPE', `cannot parse "${text}": ${problem}`, { text, problem });
  }
}

const int = (name: string, size: 1 | 2 | 4 | 8, signed: boolean, flavour?: 'bool' | 'char' | 'wchar'): CType => ({
  kind: 'int',
  size,
  align: size,
  signed,
  name,
  ...(flavour ? { flavour } : {}),
});
const float = (name: string, size: 4 | 8): CType => ({ kind: 'float', size, align: size, name });
export const VOID: CType = { kind: 'void', size: 0, align: 1, name: 'void' };
export function pointerTo(to: CType, constTarget = false): CType {
  return { kind: 'pointer', size: 4, align: 4, to, constTarget, name: `${constTarget ? 'const ' : ''}${to.name} *` };
}

/** Built-in type names: C keywords (as normalized by the parser), <stdint.h> and Windows SDK names. */
const PRIMITIVES: Record<string, CType> = {
  void: VOID,
  bool: int('bool', 1, false, 'bool'),
  _Bool: int('bool', 1, false, 'bool'),
  char: int('char', 1, true, 'char'),
  'signed char': int('signed char', 1, true),
  'unsigned char': int('unsigned char', 1, false),
  short: int('short', 2, true),
  'unsigned short': int('unsigned short', 2, false),
  int: int('int', 4, true),
  'unsigned int': int('unsigned int', 4, false),
  long: int('long', 4, true),
  'unsigned long': int('unsigned long', 4, false),
  'long long': int('long long', 8, true),
  'unsigned long long': int('unsigned long long', 8, false),
  __int8: int('__int8', 1, true),
  'unsigned __int8': int('unsigned __int8', 1, false),
  __int16: int('__int16', 2, true),
  'unsigned __int16': int('unsigned __int16', 2, false),
  __int32: int('__int32', 4, true),
  'unsigned __int32': int('unsigned __int32', 4, false),
  __int64: int('__int64', 8, true),
  'unsigned __int64': int('unsigned __int64', 8, false),
  int8_t: int('int8_t', 1, true),
  uint8_t: int('uint8_t', 1, false),
  int16_t: int('int16_t', 2, true),
  uint16_t: int('uint16_t', 2, false),
  int32_t: int('int32_t', 4, true),
  uint32_t: int('uint32_t', 4, false),
  int64_t: int('int64_t', 8, true),
  uint64_t: int('uint64_t', 8, false),
  size_t: int('size_t', 4, false),
  ssize_t: int('ssize_t', 4, true),
  ptrdiff_t: int('ptrdiff_t', 4, true),
  intptr_t: int('intptr_t', 4, true),
  uintptr_t: int('uintptr_t', 4, false),
  wchar_t: int('wchar_t', 2, false, 'wchar'),
  char16_t: int('char16_t', 2, false, 'wchar'),
  float: float('float', 4),
  double: float('double', 8),
  'long double': float('long double', 8), // MSVC: long double is double
  // Windows SDK
  BOOL: int('BOOL', 4, true),
  BOOLEAN: int('BOOLEAN', 1, false),
  BYTE: int('BYTE', 1, false),
  CHAR: int('CHAR', 1, true, 'char'),
  UCHAR: int('UCHAR', 1, false),
  WCHAR: int('WCHAR', 2, false, 'wchar'),
  SHORT: int('SHORT', 2, true),
  USHORT: int('USHORT', 2, false),
  WORD: int('WORD', 2, false),
  INT: int('INT', 4, true),
  UINT: int('UINT', 4, false),
  LONG: int('LONG', 4, true),
  ULONG: int('ULONG', 4, false),
  DWORD: int('DWORD', 4, false),
  LONGLONG: int('LONGLONG', 8, true),
  ULONGLONG: int('ULONGLONG', 8, false),
  INT64: int('INT64', 8, true),
  UINT64: int('UINT64', 8, false),
  DWORD64: int('DWORD64', 8, false),
  QWORD: int('QWORD', 8, false),
  SIZE_T: int('SIZE_T', 4, false),
  UINT_PTR: int('UINT_PTR', 4, false),
  INT_PTR: int('INT_PTR', 4, true),
  ULONG_PTR: int('ULONG_PTR', 4, false),
  LONG_PTR: int('LONG_PTR', 4, true),
  DWORD_PTR: int('DWORD_PTR', 4, false),
  WPARAM: int('WPARAM', 4, false),
  LPARAM: int('LPARAM', 4, true),
  LRESULT: int('LRESULT', 4, true),
  HRESULT: int('HRESULT', 4, true),
  FLOAT: float('FLOAT', 4),
  DOUBLE: float('DOUBLE', 8),
};

/** Windows typedefs that are pointers. */
const POINTER_TYPEDEFS: Record<string, [string, boolean]> = {
  LPVOID: ['void', false],
  PVOID: ['void', false],
  LPCVOID: ['void', true],
  HANDLE: ['void', false],
  HMODULE: ['void', false],
  HINSTANCE: ['void', false],
  HWND: ['void', false],
  HKEY: ['void', false],
  LPSTR: ['char', false],
  PSTR: ['char', false],
  LPCSTR: ['char', true],
  PCSTR: ['char', true],
  LPWSTR: ['wchar_t', false],
  PWSTR: ['wchar_t', false],
  LPCWSTR: ['wchar_t', true],
  PCWSTR: ['wchar_t', true],
  LPBYTE: ['BYTE', false],
  PBYTE: ['BYTE', false],
  LPDWORD: ['DWORD', false],
  PDWORD: ['DWORD', false],
  LPLONG: ['LONG', false],
  LPINT: ['int', false],
  LPBOOL: ['BOOL', false],
};

/** Named types shared by every library of this thread: structs and callback prototypes. */
const named = new Map<string, CType>();

export function lookupType(name: string): CType | undefined {
  const p = PRIMITIVES[name];
  if (p) return p;
  const ptr = POINTER_TYPEDEFS[name];
  if (ptr) return pointerTo(lookupType(ptr[0])!, ptr[1]);
  return named.get(name);
}

export function defineType(t: CType): CType {
  const existing = named.get(t.name);
  if (existing && JSON.stringify(existing) !== JSON.stringify(t)) {
    throw new WowasmError('WOWASM_TYPE_REDEFINED', `type ${t.name} is already defined differently`, { name: t.name });
  }
  named.set(t.name, t);
  return t;
}

/** Lays out a struct with MSVC's default packing (natural alignment, /Zp8). */
export function layoutStruct(name: string, fields: { name: string; type: CType }[], pack = 8): CType {
  let offset = 0;
  let align = 1;
  const out: StructField[] = [];
  for (const f of fields) {
    if (f.type.kind === 'void' || (f.type.kind === 'array' && f.type.of.kind === 'void')) throw new PrototypeError(`${name}.${f.name}`, `a field cannot have type ${f.type.name}`);
    // A field of a callback() type is a function pointer, as a typedef'd one would be in C.
    const type = f.type.kind === 'function' ? pointerTo(f.type) : f.type;
    const a = Math.min(type.align, pack);
    offset = Math.ceil(offset / a) * a;
    out.push({ name: f.name, type, offset });
    offset += type.size;
    align = Math.max(align, a);
  }
  const size = Math.ceil(offset / align) * align;
  return { kind: 'struct', name, size, align, fields: out };
}

export function arrayOf(of: CType, length: number): CType {
  // int[2][3] is an array of 2 int[3]: the new dimension goes before the element's own.
  const name = of.kind === 'array' ? of.name.replace(/\[/, `[${length}][`) : `${of.name}[${length}]`;
  return { kind: 'array', size: of.size * length, align: of.align, of, length, name };
}

/** True for `char *`-like pointers that marshal as narrow strings. */
export function isCharPointer(t: CType): boolean {
  return t.kind === 'pointer' && t.to.kind === 'int' && t.to.flavour === 'char';
}

export function isWcharPointer(t: CType): boolean {
  return t.kind === 'pointer' && t.to.kind === 'int' && t.to.flavour === 'wchar';
}
