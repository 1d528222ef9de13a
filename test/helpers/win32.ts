// A guest process without a DLL: CPU, Win32 state and loader, plus small helpers to call built-in
// exports the way guest code does (through their trap stubs) and to put strings and buffers in guest
// memory. Thunk tests build on this.
import { Cpu, type CpuOptions } from '../../emulator/cpu.js';
import { Loader, type LoaderOptions } from '../../loader/loader.js';
import { Process, type ProcessOptions } from '../../thunks/process.js';
import { registry } from '../../thunks/registry.js';
import type { FnExport } from '../../thunks/spec.js';
import { encodeString, encodeUtf16, type CodePage } from '../../thunks/text.js';

/** An argument of a guest call: 32-bit numbers, 64-bit bigints (two slots) or doubles (two slots). */
export type GuestArg = number | bigint | { double: number };

export interface Win32 {
  cpu: Cpu;
  p: Process;
  loader: Loader;
  /** Guest address of an export of a built-in DLL, as GetProcAddress would give it. */
  addr(dll: string, name: string): number;
  /** Calls a built-in export with the convention its table entry declares; returns EAX. */
  call(dll: string, name: string, args?: GuestArg[]): number;
  /** Shorthands for kernel32 / msvcrt / ntdll. */
  k32(name: string, ...args: GuestArg[]): number;
  crt(name: string, ...args: GuestArg[]): number;
  nt(name: string, ...args: GuestArg[]): number;
  /** advapi32 (the registry comes from the `registry` option of win32()). */
  adv(name: string, ...args: GuestArg[]): number;
  /** EDX:EAX of the last call, as a bigint. */
  readonly edxEax: bigint;
  /** ST(0) left by the last call (a double-returning export), popped. */
  st0(): number;
  /** A zeroed guest buffer of `size` bytes on the process heap. */
  buf(size: number): number;
  /** A NUL-terminated ANSI (code page 1252 unless given) string in guest memory. */
  str(s: string, cp?: CodePage): number;
  /** Raw bytes, NUL-terminated. */
  bytes(b: ArrayLike<number>): number;
  /** A NUL-terminated UTF-16 string in guest memory. */
  wstr(s: string): number;
  /** Reads a NUL-terminated ANSI string (latin1 bytes shown as is). */
  readStr(addr: number): string;
  readWStr(addr: number): string;
  u32(addr: number): number;
  i32(addr: number): number;
  lastError(): number;
}

export function win32(opts: CpuOptions & ProcessOptions & LoaderOptions = {}): Win32 {
  const cpu = Cpu.create({ timeoutMs: 0, ...opts });
  const p = new Process(cpu, registry, { output: () => {}, ...opts });
  const loader = new Loader(p, opts);
  p.modules = loader;
  const addr = (dll: string, name: string): number => {
    const a = p.builtinDll(dll)?.resolve({ name }, false);
    if (a === undefined) throw new Error(`${dll}!${name} is not exported`);
    return a;
  };
  const call = (dll: string, name: string, args: GuestArg[] = []): number => {
    const b = p.builtinDll(dll)!;
    let e = b.spec.exports[name];
    if (e?.kind === 'forward') {
      const [d, n] = e.to.split('.') as [string, string];
      e = p.builtinDll(d.toLowerCase() + '.dll')!.spec.exports[n];
    }
    const conv = e?.kind === 'fn' ? (e as FnExport).conv : 'stdcall';
    const words: number[] = [];
    for (const a of args) {
      if (typeof a === 'number') words.push(a >>> 0);
      else if (typeof a === 'bigint') {
        const u = BigInt.asUintN(64, a);
        words.push(Number(u & 0xffff_ffffn), Number(u >> 32n));
      } else {
        const dv = new DataView(new ArrayBuffer(8));
        dv.setFloat64(0, a.double, true);
        words.push(dv.getUint32(0, true), dv.getUint32(4, true));
      }
    }
    return p.callGuest(addr(dll, name), conv === 'varargs' ? 'cdecl' : conv, words);
  };
  const buf = (size: number): number => {
    const a = p.heap.alloc(size, true);
    if (!a) throw new Error('out of guest heap');
    return a;
  };
  const bytes = (b: ArrayLike<number>): number => {
    const a = buf(b.length + 1);
    cpu.mem.write(a, Uint8Array.from(b));
    return a;
  };
  return {
    cpu,
    p,
    loader,
    addr,
    call,
    k32: (name, ...args) => call('kernel32.dll', name, args),
    crt: (name, ...args) => call('msvcrt.dll', name, args),
    nt: (name, ...args) => call('ntdll.dll', name, args),
    adv: (name, ...args) => call('advapi32.dll', name, args),
    get edxEax() {
      return (BigInt(cpu.returned.edx >>> 0) << 32n) | BigInt(cpu.returned.eax >>> 0);
    },
    st0: () => cpu.popSt0(),
    buf,
    str: (s, cp = 1252) => bytes(encodeString(s, cp).bytes),
    bytes,
    wstr: (s) => {
      const a = buf(2 * s.length + 2);
      cpu.mem.write(a, encodeUtf16(s));
      return a;
    },
    readStr: (a) => String.fromCharCode(...cpu.mem.readCBytes(a)),
    readWStr: (a) => String.fromCharCode(...cpu.mem.readWUnits(a)),
    u32: (a) => cpu.mem.u32(a),
    i32: (a) => cpu.mem.i32(a),
    lastError: () => p.lastError,
  };
}
