// A parser for C function prototypes and type expressions, as found in a DLL's header:
//   "int __stdcall add(int a, int b)", "double distance(Point a, Point b)",
//   "void sort(int *arr, int n, int (__cdecl *cmp)(const void *, const void *))",
//   "_Out_writes_(n) char *buf", "LPCWSTR name", "unsigned long long x", "char name[16]".

import {
  arrayOf,
  lookupType,
  pointerTo,
  PrototypeError,
  type Conv,
  type CType,
  type Direction,
  type FunctionProto,
  type Param,
} from './types.js';

type Tok = { t: 'id' | 'num' | 'punct'; v: string };

function tokenize(text: string): Tok[] {
  const out: Tok[] = [];
  // Any other character is a token of its own: SAL arguments such as `_Success_(return != 0)` are
  // skipped as balanced groups, and anywhere else it is reported as unexpected by the parser.
  const re = /\s*(?:([A-Za-z_$][\w$]*)|(0[xX][0-9a-fA-F]+|\d+)|(\.\.\.|[^\s\w$]))/y;
  let i = 0;
  while (i < text.length) {
    if (/^\s*$/.test(text.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) throw new PrototypeError(text, `unexpected character "${text.slice(i).trim()[0]}"`);
    if (m[1]) out.push({ t: 'id', v: m[1] });
    else if (m[2]) out.push({ t: 'num', v: m[2] });
    else out.push({ t: 'punct', v: m[3]! });
    i = re.lastIndex;
  }
  return out;
}

const CONVS: Record<string, Conv> = {
  __cdecl: 'cdecl',
  _cdecl: 'cdecl',
  cdecl: 'cdecl',
  __stdcall: 'stdcall',
  _stdcall: 'stdcall',
  stdcall: 'stdcall',
  WINAPI: 'stdcall',
  CALLBACK: 'stdcall',
  APIENTRY: 'stdcall',
  NTAPI: 'stdcall',
  __fastcall: 'fastcall',
  _fastcall: 'fastcall',
  fastcall: 'fastcall',
  __thiscall: 'thiscall',
  thiscall: 'thiscall',
};

const TYPE_WORDS = new Set(['void', 'bool', '_Bool', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'float', 'double', '__int8', '__int16', '__int32', '__int64', 'wchar_t']);
const IGNORED = new Set(['extern', 'static', 'inline', '__inline', 'volatile', 'register', 'IN', 'OUT', 'OPTIONAL', 'CONST', 'restrict', '__restrict', '__ptr32', '__unaligned', 'WINBASEAPI', 'WINAPI_INLINE', 'EXPORT']);

/**
 * SAL annotation -> direction (undefined: an annotation without one, e.g. _Success_; null: not SAL).
 * SAL words are case-sensitive: `_In_`, `_Out_writes_`, `_Inout_opt_`, `_Outptr_`, and the older
 * `__in`, `__out_ecount`, `__inout_opt`. (`__int64` is a type, not `__in`.)
 */
function salDirection(word: string): Direction | undefined | null {
  const m = /^_(Inout|Outptr|Outref|Out|In)_/.exec(word) ?? /^__(inout|out|in)(?:_|$)/.exec(word);
  if (m) {
    const d = m[1]!.toLowerCase();
    return d === 'inout' ? 'inout' : d === 'in' ? 'in' : 'out';
  }
  if (/^_(Ret|Success|Pre|Post|Printf|Check|Must|Null|Notnull|Deref|Field|Frees|Acquires|Releases|Requires|When|Use_decl|Reserved|Pre_|Post_)\w*_$/.test(word)) return undefined;
  if (/^__(checkReturn|success|reserved|deref_\w+|nullterminated)$/.test(word)) return undefined;
  return null; // not SAL
}

class Parser {
  private i = 0;
  constructor(
    private readonly text: string,
    private readonly toks: Tok[],
  ) {}

  fail(problem: string): never {
    throw new PrototypeError(this.text, problem);
  }
  peek(k = 0): Tok | undefined {
    return this.toks[this.i + k];
  }
  next(): Tok {
    const t = this.toks[this.i++];
    if (!t) this.fail('it ends too early');
    return t;
  }
  accept(v: string): boolean {
    if (this.peek()?.v === v) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(v: string): void {
    if (!this.accept(v)) this.fail(`expected "${v}" ${this.peek() ? `before "${this.peek()!.v}"` : 'at the end'}`);
  }
  atEnd(): boolean {
    return this.i >= this.toks.length || (this.peek()?.v === ';' && this.i === this.toks.length - 1);
  }

  /** Skips a balanced (...) group after __declspec, __attribute__ or a SAL macro. */
  skipGroup(): void {
    if (this.peek()?.v !== '(') return;
    let depth = 0;
    do {
      const t = this.next();
      if (t.v === '(') depth++;
      if (t.v === ')') depth--;
    } while (depth > 0);
  }

  /** Type specifiers: returns the base type, const-ness, a calling convention and a SAL direction. */
  specifiers(): { base: CType; isConst: boolean; conv?: Conv; dir?: Direction } {
    const words: string[] = [];
    let named: CType | undefined;
    let isConst = false;
    let conv: Conv | undefined;
    let dir: Direction | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'id') break;
      const v = t.v;
      if (v === 'const') {
        isConst = true;
        this.i++;
      } else if (CONVS[v]) {
        conv = CONVS[v];
        this.i++;
      } else if (v === '__declspec' || v === '__attribute__') {
        this.i++;
        this.skipGroup();
      } else if (IGNORED.has(v)) {
        this.i++;
      } else if (v === 'struct' || v === 'union' || v === 'enum') {
        this.i++;
        if (v === 'enum') {
          this.next();
          words.push('int');
        }
      } else if (salDirection(v) !== null) {
        dir = salDirection(v) ?? dir;
        this.i++;
        this.skipGroup();
      } else if (TYPE_WORDS.has(v)) {
        if (named) break;
        words.push(v);
        this.i++;
      } else if (!named && words.length === 0) {
        const found = lookupType(v);
        if (!found) this.fail(`unknown type "${v}" (define structs with struct() and callbacks with callback())`);
        named = found;
        this.i++;
      } else break;
    }
    if (named) return { base: named, isConst, ...(conv ? { conv } : {}), ...(dir ? { dir } : {}) };
    if (words.length === 0) this.fail(`expected a type ${this.peek() ? `at "${this.peek()!.v}"` : 'at the end'}`);
    return { base: baseFromWords(words, this), isConst, ...(conv ? { conv } : {}), ...(dir ? { dir } : {}) };
  }

  /**
   * A declarator (possibly abstract). Returns the declared name and a function wrapping the type it
   * receives from the left (C's inside-out reading).
   */
  declarator(): { name: string | undefined; conv: Conv | undefined; wrap: (t: CType) => CType } {
    const ptrs: boolean[] = []; // const-ness of each pointer level
    let conv: Conv | undefined;
    for (;;) {
      const t = this.peek();
      if (t?.v === '*' || t?.v === '&') {
        this.i++;
        ptrs.push(false);
      } else if (t?.t === 'id' && (t.v === 'const' || IGNORED.has(t.v))) {
        this.i++;
        if (t.v === 'const' && ptrs.length) ptrs[ptrs.length - 1] = true;
      } else if (t?.t === 'id' && CONVS[t.v]) {
        conv = CONVS[t.v];
        this.i++;
      } else break;
    }
    let name: string | undefined;
    let inner: ReturnType<Parser['declarator']> | undefined;
    const t = this.peek();
    if (t?.v === '(' && this.startsNestedDeclarator()) {
      this.i++;
      inner = this.declarator();
      this.expect(')');
    } else if (t?.t === 'id') {
      name = t.v;
      this.i++;
    }
    const suffixes: ({ kind: 'array'; n: number } | { kind: 'fn'; params: Param[] })[] = [];
    for (;;) {
      if (this.accept('[')) {
        const n = this.peek()?.t === 'num' ? Number(this.next().v) : 0;
        this.expect(']');
        suffixes.push({ kind: 'array', n });
      } else if (this.peek()?.v === '(') {
        this.i++;
        suffixes.push({ kind: 'fn', params: this.params() });
      } else break;
    }
    const innerConv = inner?.conv;
    const wrap = (base: CType): CType => {
      let ty = base;
      // `T * const` makes the pointer itself const, which changes nothing for a call; `const T *` is
      // applied by the caller (applyConst), since the const sits in the specifiers.
      for (let k = 0; k < ptrs.length; k++) ty = pointerTo(ty, false);
      for (let k = suffixes.length - 1; k >= 0; k--) {
        const s = suffixes[k]!;
        if (s.kind === 'array') ty = arrayOf(ty, s.n);
        else ty = { kind: 'function', size: 0, align: 1, name: 'function', proto: { name: '', conv: innerConv ?? conv ?? 'cdecl', ret: ty, params: s.params } };
      }
      return inner ? inner.wrap(ty) : ty;
    };
    return { name: inner ? inner.name : name, conv: inner ? undefined : conv, wrap };
  }

  /** "(" starts a nested declarator (not a parameter list) when followed by *, a convention or "(". */
  private startsNestedDeclarator(): boolean {
    const n = this.peek(1);
    return !!n && (n.v === '*' || n.v === '&' || n.v === '(' || (n.t === 'id' && !!CONVS[n.v]));
  }

  params(): Param[] {
    const out: Param[] = [];
    if (this.accept(')')) return out;
    if (this.peek()?.v === 'void' && this.peek(1)?.v === ')') {
      this.i += 2;
      return out;
    }
    for (;;) {
      if (this.accept('...')) this.fail('variadic functions (...) are not supported by the FFI yet');
      const spec = this.specifiers();
      const d = this.declarator();
      let type = d.wrap(spec.base);
      // `const T *x`: the const belongs to the pointee.
      type = applyConst(type, spec.base, spec.isConst);
      // C adjusts array and function parameters to pointers.
      if (type.kind === 'array') type = pointerTo(type.of, spec.isConst);
      if (type.kind === 'function') type = pointerTo(type);
      if (type.kind === 'void') this.fail(`parameter ${d.name ?? out.length + 1} cannot have type void`);
      const direction: Direction = spec.dir ?? (type.kind === 'pointer' && !type.constTarget ? 'inout' : 'in');
      out.push({ name: d.name ?? `arg${out.length}`, type, direction });
      if (this.accept(')')) return out;
      this.expect(',');
    }
  }
}

/** Marks the innermost pointer of `t` (whose chain ends at `base`) as pointing to const. */
function applyConst(t: CType, base: CType, isConst: boolean): CType {
  if (!isConst || t.kind !== 'pointer') return t;
  if (t.to === base) return pointerTo(base, true);
  return pointerTo(applyConst(t.to, base, isConst), t.constTarget);
}

function baseFromWords(words: string[], p: Parser): CType {
  const bad = (): never => p.fail(`"${words.join(' ')}" is not a type`);
  const count = (w: string) => words.filter((x) => x === w).length;
  const [unsigned, signed, longs, shorts, ints] = ['unsigned', 'signed', 'long', 'short', 'int'].map(count) as [number, number, number, number, number];
  if (unsigned + signed > 1 || longs > 2 || shorts > 1 || ints > 1 || (shorts && longs)) bad();
  const others = words.filter((w) => !['unsigned', 'signed', 'long', 'short', 'int'].includes(w));
  if (others.length > 1) bad();
  const core = others[0];
  const sign = unsigned ? 'unsigned ' : '';
  let key: string;
  if (core === undefined) key = shorts ? `${sign}short` : longs === 2 ? `${sign}long long` : longs ? `${sign}long` : `${sign}int`;
  else if (shorts || ints) bad();
  else if (core === 'double') {
    if (unsigned || signed || longs > 1) bad();
    key = longs ? 'long double' : 'double';
  } else if (longs) bad();
  else if (core === 'char') key = unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  else if (core.startsWith('__int')) key = `${sign}${core}`;
  else if (unsigned || signed) bad();
  else key = core; // void, bool, _Bool, float, wchar_t
  return lookupType(key!) ?? p.fail(`unknown type ${key!}`);
}

/** Parses "ret [conv] name(params)". The default convention is __cdecl. */
export function parsePrototype(text: string): FunctionProto {
  const p: Parser = new Parser(text, tokenize(text));
  const spec = p.specifiers();
  const d = p.declarator();
  p.accept(';');
  if (!p.atEnd()) p.fail(`unexpected "${p.peek()!.v}"`);
  const full = d.wrap(spec.base);
  if (full.kind !== 'function') p.fail('it is not a function prototype (expected "name(...)")');
  if (!d.name) p.fail('the function has no name');
  let ret = applyConst(full.proto.ret, spec.base, spec.isConst);
  // A callback() type names a function pointer, so it can be returned.
  if (ret.kind === 'function' && full.proto.ret === spec.base) ret = pointerTo(ret);
  if (ret.kind === 'array' || ret.kind === 'function') p.fail('a function cannot return an array or a function');
  const conv = spec.conv ?? d.conv ?? full.proto.conv;
  return { name: d.name, conv, ret, params: full.proto.params };
}

/** Parses a type expression ("const char *", "int[4]", "Point", "double (*)(double)"). */
export function parseType(text: string): CType {
  const p: Parser = new Parser(text, tokenize(text));
  const spec = p.specifiers();
  const d = p.declarator();
  if (!p.atEnd()) p.fail(`unexpected "${p.peek()!.v}"`);
  if (d.name) p.fail(`a type expression has no name ("${d.name}")`);
  return applyConst(d.wrap(spec.base), spec.base, spec.isConst);
}
