// The C prototype parser and the type layout, on their own (no DLL): what a header line turns into,
// which mistakes it refuses, and how structs are laid out under the 32-bit MSVC rules.
import { describe, expect, test } from 'vitest';
import { callback, struct } from '../../worker/library.js';
import { parsePrototype, parseType } from '../../worker/prototype.js';
import { PrototypeError, type CType } from '../../worker/types.js';

// Types spelled out by hand, to compare against.
const int = (name: string, size: number, signed: boolean, flavour?: string) => ({ kind: 'int', size, align: size, signed, name, ...(flavour ? { flavour } : {}) });
const INT = int('int', 4, true);
const CHAR = int('char', 1, true, 'char');
const WCHAR = int('wchar_t', 2, false, 'wchar');
const DOUBLE = { kind: 'float', size: 8, align: 8, name: 'double' };
const VOID = { kind: 'void', size: 0, align: 1, name: 'void' };
const ptr = (to: object & { name: string }, constTarget = false) => ({ kind: 'pointer', size: 4, align: 4, to, constTarget, name: `${constTarget ? 'const ' : ''}${to.name} *` });

const rejects = (text: string, problem: string | RegExp) => {
  let error: unknown;
  try {
    parsePrototype(text);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(PrototypeError);
  expect((error as PrototypeError).code).toBe('WOWASM_BAD_PROTOTYPE');
  expect((error as Error).message).toMatch(problem);
};

describe('prototypes', () => {
  test('return type, convention, name, parameters', () => {
    expect(parsePrototype('int __stdcall add(int a, int b)')).toEqual({
      name: 'add',
      conv: 'stdcall',
      ret: INT,
      params: [
        { name: 'a', type: INT, direction: 'in' },
        { name: 'b', type: INT, direction: 'in' },
      ],
    });
  });

  test('the default convention is __cdecl; every spelling of the others is understood', () => {
    expect(parsePrototype('int f(int a)').conv).toBe('cdecl');
    const spellings: [string, string][] = [
      ['__cdecl', 'cdecl'],
      ['_cdecl', 'cdecl'],
      ['__stdcall', 'stdcall'],
      ['WINAPI', 'stdcall'],
      ['CALLBACK', 'stdcall'],
      ['APIENTRY', 'stdcall'],
      ['__fastcall', 'fastcall'],
      ['__thiscall', 'thiscall'],
    ];
    for (const [word, conv] of spellings) expect(parsePrototype(`int ${word} f(int a)`).conv).toBe(conv);
  });

  test('(void) and () are no parameters; unnamed parameters are arg0, arg1, ...', () => {
    expect(parsePrototype('int f(void)').params).toEqual([]);
    expect(parsePrototype('int f()').params).toEqual([]);
    expect(parsePrototype('int f(int, double)').params.map((p) => p.name)).toEqual(['arg0', 'arg1']);
  });

  test('decorations a header carries are ignored: __declspec, extern, a trailing semicolon', () => {
    expect(parsePrototype('extern __declspec(dllexport) int __stdcall f(int a);')).toEqual(parsePrototype('int __stdcall f(int a)'));
  });

  test('a pointer parameter is in/out unless its target is const', () => {
    const [s, p, q, r] = parsePrototype('void f(const char *s, char *p, char const *q, const char *const r)').params;
    expect(s).toEqual({ name: 's', type: ptr(CHAR, true), direction: 'in' });
    expect(p).toEqual({ name: 'p', type: ptr(CHAR), direction: 'inout' });
    expect(q).toEqual({ name: 'q', type: ptr(CHAR, true), direction: 'in' });
    expect(r).toEqual({ name: 'r', type: ptr(CHAR, true), direction: 'in' }); // the pointer itself being const changes nothing
  });

  test('const binds to the innermost pointer target: const char ** is an in/out pointer to const char *', () => {
    const [pp] = parsePrototype('void f(const char **pp)').params;
    expect(pp).toEqual({ name: 'pp', type: ptr(ptr(CHAR, true)), direction: 'inout' });
    expect(pp!.type.name).toBe('const char * *');
  });

  test('SAL annotations set the direction, the old __in/__out spelling too', () => {
    const dirs = parsePrototype(
      'int f(_In_reads_(n) const int *a, _Inout_updates_(n) int *b, _Out_writes_(n) int *c, _Out_opt_ int *d, __out int *e, __in int *g, _Outptr_ void **h, _In_z_ const char *i, int n)',
    ).params.map((p) => p.direction);
    expect(dirs).toEqual(['in', 'inout', 'out', 'out', 'out', 'in', 'out', 'in', 'in']);
  });

  test('SAL annotations without a direction are skipped', () => {
    expect(parsePrototype('_Success_(return != 0) _Ret_maybenull_ void *f(_In_ int n)')).toEqual({
      name: 'f',
      conv: 'cdecl',
      ret: ptr(VOID),
      params: [{ name: 'n', type: INT, direction: 'in' }],
    });
  });

  test('SAL words are case-sensitive: __int64 and a parameter named _input are not annotations', () => {
    expect(parsePrototype('__int64 f(__int64 _input, unsigned __int32 _out)').params).toEqual([
      { name: '_input', type: int('__int64', 8, true), direction: 'in' },
      { name: '_out', type: int('unsigned __int32', 4, false), direction: 'in' },
    ]);
    expect(parsePrototype('__int64 f(void)').ret).toEqual(int('__int64', 8, true));
  });

  test('array parameters are pointers', () => {
    const [a, b] = parsePrototype('int f(int a[4], const int b[])').params;
    expect(a!.type).toEqual(ptr(INT));
    expect(b).toEqual({ name: 'b', type: ptr(INT, true), direction: 'in' });
  });

  test('function-pointer parameters keep their own convention', () => {
    const [cmp, visit] = parsePrototype('void f(int (__cdecl *cmp)(const void *, const void *), int (__stdcall *visit)(int value, void *ctx))').params;
    expect(cmp!.type).toMatchObject({
      kind: 'pointer',
      to: { kind: 'function', proto: { conv: 'cdecl', ret: INT, params: [{ type: ptr(VOID, true) }, { type: ptr(VOID, true) }] } },
    });
    expect(visit!.type).toMatchObject({ kind: 'pointer', to: { kind: 'function', proto: { conv: 'stdcall', params: [{ name: 'value', type: INT }, { name: 'ctx' }] } } });
    expect(parsePrototype('void f(int (WINAPI *cb)(int))').params[0]!.type).toMatchObject({ to: { proto: { conv: 'stdcall' } } });
  });

  test('a function parameter is a function pointer', () => {
    expect(parsePrototype('void f(double g(double))').params[0]!.type).toMatchObject({ kind: 'pointer', to: { kind: 'function', proto: { ret: DOUBLE, params: [{ type: DOUBLE }] } } });
  });

  test('a function returning a function pointer', () => {
    const p = parsePrototype('int (*get_op(char op))(int, int)');
    expect(p.name).toBe('get_op');
    expect(p.params).toEqual([{ name: 'op', type: CHAR, direction: 'in' }]);
    expect(p.ret).toMatchObject({ kind: 'pointer', to: { kind: 'function', proto: { ret: INT, params: [{ type: INT }, { type: INT }] } } });
  });

  test('pointer results: strings and plain addresses', () => {
    expect(parsePrototype('const char *greet(void)').ret).toEqual(ptr(CHAR, true));
    expect(parsePrototype('LPCWSTR wgreet(void)').ret).toEqual(ptr(WCHAR, true));
    expect(parsePrototype('HANDLE h(void)').ret).toEqual(ptr(VOID));
  });

  test('mistakes are PrototypeErrors that say what is wrong', () => {
    rejects('int add(int a, int b', /expected "," at the end/);
    rejects('int f(int a) extra', /unexpected "extra"/);
    rejects('int x', /not a function prototype/);
    rejects('int (int a)', /the function has no name/);
    rejects('int f(int)(int)', /cannot return an array or a function/);
    rejects('Foo f(int a)', /unknown type "Foo"/);
    rejects('int f(struct Nope *p)', /unknown type "Nope"/);
    rejects('int printf(const char *fmt, ...)', /variadic/);
    rejects('int f(int a,)', /expected a type/);
    rejects('int f(int a) #', /unexpected "#"/);
    rejects('int f(int a = 1)', /expected "," before "="/);
  });

  test('void is not a parameter type', () => {
    rejects('void f(void, int)', /parameter 1 cannot have type void/);
    rejects('void f(void x)', /parameter x cannot have type void/);
    expect(parsePrototype('void f(void *x)').params[0]!.type).toEqual(ptr(VOID));
  });
});

describe('type names', () => {
  const t = (text: string) => parseType(text);

  test('C integer types in any legal word order', () => {
    const cases: [string, object][] = [
      ['char', CHAR],
      ['signed char', int('signed char', 1, true)],
      ['unsigned char', int('unsigned char', 1, false)],
      ['short', int('short', 2, true)],
      ['short int', int('short', 2, true)],
      ['unsigned short int', int('unsigned short', 2, false)],
      ['int', INT],
      ['signed', INT],
      ['unsigned', int('unsigned int', 4, false)],
      ['long', int('long', 4, true)],
      ['long int', int('long', 4, true)],
      ['unsigned long', int('unsigned long', 4, false)],
      ['long long', int('long long', 8, true)],
      ['long long int', int('long long', 8, true)],
      ['unsigned long long', int('unsigned long long', 8, false)],
      ['long unsigned long', int('unsigned long long', 8, false)],
      ['__int64', int('__int64', 8, true)],
      ['unsigned __int64', int('unsigned __int64', 8, false)],
      ['bool', int('bool', 1, false, 'bool')],
      ['_Bool', int('bool', 1, false, 'bool')],
      ['wchar_t', WCHAR],
    ];
    for (const [text, type] of cases) expect(t(text), text).toEqual(type);
  });

  test('stdint and Windows names', () => {
    expect(t('int8_t')).toEqual(int('int8_t', 1, true));
    expect(t('uint16_t')).toEqual(int('uint16_t', 2, false));
    expect(t('uint64_t')).toEqual(int('uint64_t', 8, false));
    expect(t('size_t')).toEqual(int('size_t', 4, false));
    expect(t('DWORD')).toEqual(int('DWORD', 4, false));
    expect(t('BOOL')).toEqual(int('BOOL', 4, true));
    expect(t('BYTE')).toEqual(int('BYTE', 1, false));
    expect(t('WORD')).toEqual(int('WORD', 2, false));
    expect(t('LPSTR')).toEqual(ptr(CHAR));
    expect(t('LPCSTR')).toEqual(ptr(CHAR, true));
    expect(t('LPDWORD')).toEqual(ptr(int('DWORD', 4, false)));
  });

  test('floating point: long double is double, as in MSVC', () => {
    expect(t('float')).toEqual({ kind: 'float', size: 4, align: 4, name: 'float' });
    expect(t('double')).toEqual(DOUBLE);
    expect(t('long double')).toMatchObject({ kind: 'float', size: 8 });
  });

  test('combinations that are not C types are refused', () => {
    for (const text of ['long short', 'short long int', 'int int', 'unsigned unsigned', 'signed unsigned int', 'long long long', 'long long double', 'unsigned double', 'unsigned float', 'signed void', 'unsigned wchar_t', 'short char', 'long char', 'char int', 'float double']) {
      expect(() => t(text), text).toThrow(PrototypeError);
    }
  });

  test('arrays, multi-dimensional ones outermost first', () => {
    expect(t('char[16]')).toEqual({ kind: 'array', size: 16, align: 1, of: CHAR, length: 16, name: 'char[16]' });
    const grid = t('int[2][3]');
    expect(grid).toMatchObject({ kind: 'array', size: 24, length: 2, name: 'int[2][3]', of: { kind: 'array', length: 3, size: 12, of: INT, name: 'int[3]' } });
  });

  test('abstract function-pointer types', () => {
    expect(t('double (*)(double)')).toMatchObject({ kind: 'pointer', to: { kind: 'function', proto: { conv: 'cdecl', ret: DOUBLE, params: [{ type: DOUBLE }] } } });
    expect(t('void (__stdcall *)(int)')).toMatchObject({ kind: 'pointer', to: { kind: 'function', proto: { conv: 'stdcall', ret: VOID } } });
  });

  test('a type expression has no name', () => {
    expect(() => t('char name[16]')).toThrow(/has no name/);
  });
});

describe('structs', () => {
  const offsets = (s: CType) => (s.kind === 'struct' ? Object.fromEntries(s.fields.map((f) => [f.name, f.offset])) : {});

  test('natural alignment: a double is 8-aligned, the size a multiple of the largest alignment', () => {
    const mixed = struct('ProtoMixed', { c: 'char', d: 'double', i: 'int' });
    expect([mixed.size, mixed.align]).toEqual([24, 8]);
    expect(offsets(mixed)).toEqual({ c: 0, d: 8, i: 16 });
  });

  test('arrays in a struct (demo.c Record: 56 bytes)', () => {
    const rec = struct('ProtoRecord', { id: 'int', name: 'char[16]', values: 'double[3]', tags: 'short[4]' });
    expect(rec.size).toBe(56);
    expect(offsets(rec)).toEqual({ id: 0, name: 4, values: 24, tags: 48 });
  });

  test('nested structs by name (demo.c Shape: 32 bytes)', () => {
    struct('ProtoPoint', { x: 'double', y: 'double' });
    struct('ProtoRect', { left: 'int', top: 'int', right: 'int', bottom: 'int' });
    const shape = struct('ProtoShape', { origin: 'ProtoPoint', box: 'ProtoRect' });
    expect(shape.size).toBe(32);
    expect(offsets(shape)).toEqual({ origin: 0, box: 16 });
    expect(parsePrototype('int f(const ProtoShape *s)').params[0]!.type).toMatchObject({ kind: 'pointer', constTarget: true, to: { name: 'ProtoShape', size: 32 } });
    expect(parsePrototype('int f(struct ProtoShape *s)').params[0]!.type).toMatchObject({ to: { name: 'ProtoShape' } });
  });

  test('small structs: char-only, short pairs', () => {
    expect(struct('ProtoTiny', { c: 'char' })).toMatchObject({ size: 1, align: 1 });
    expect(struct('ProtoShortPair', { a: 'short', b: 'short' })).toMatchObject({ size: 4, align: 2 });
    expect(struct('ProtoPad', { i: 'int', c: 'char' })).toMatchObject({ size: 8, align: 4 });
  });

  test('#pragma pack: { pack: 1 } and { pack: 4 }', () => {
    const packed = struct('ProtoPacked1', { c: 'char', d: 'double', i: 'int' }, { pack: 1 });
    expect([packed.size, offsets(packed)]).toEqual([13, { c: 0, d: 1, i: 9 }]);
    const pack4 = struct('ProtoPacked4', { c: 'char', d: 'double', i: 'int' }, { pack: 4 });
    expect([pack4.size, offsets(pack4)]).toEqual([16, { c: 0, d: 4, i: 12 }]);
  });

  test('redefining a struct differently is refused; the same definition again is fine', () => {
    struct('ProtoOnce', { a: 'int' });
    expect(() => struct('ProtoOnce', { a: 'int' })).not.toThrow();
    expect(() => struct('ProtoOnce', { a: 'short' })).toThrow(/already defined differently/);
  });

  test('a void field is refused', () => {
    expect(() => struct('ProtoVoidField', { v: 'void' })).toThrow(PrototypeError);
  });
});

describe('named callback types', () => {
  callback('int __cdecl proto_cmp_fn(const void *a, const void *b)');

  test('a parameter of a callback type is a function pointer', () => {
    expect(parsePrototype('void sort(int *a, int n, proto_cmp_fn cmp)').params[2]!.type).toMatchObject({
      kind: 'pointer',
      size: 4,
      to: { kind: 'function', name: 'proto_cmp_fn', proto: { conv: 'cdecl', ret: INT } },
    });
  });

  test('so is a field of that type: a vtable struct', () => {
    callback('int __stdcall proto_get_fn(void *self)');
    const vtbl = struct('ProtoVtbl', { cmp: 'proto_cmp_fn', get: 'proto_get_fn' });
    expect(vtbl.size).toBe(8);
    expect(offsets(vtbl)).toEqual({ cmp: 0, get: 4 });
    expect(vtbl.kind === 'struct' && vtbl.fields[1]!.type).toMatchObject({ kind: 'pointer', to: { proto: { conv: 'stdcall' } } });
  });

  test('and a result of that type', () => {
    expect(parsePrototype('proto_cmp_fn get_cmp(void)').ret).toMatchObject({ kind: 'pointer', size: 4, to: { kind: 'function', name: 'proto_cmp_fn' } });
  });

  const offsets = (s: CType) => (s.kind === 'struct' ? Object.fromEntries(s.fields.map((f) => [f.name, f.offset])) : {});
});
