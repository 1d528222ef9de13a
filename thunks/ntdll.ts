// ntdll.dll: the export table. The Rtl heap and memory functions, last-error accessors, and the 64-bit
// arithmetic helpers MSVC-built code calls (_allmul & co., with their own register conventions).
import type { Cpu } from '../emulator/cpu.js';
import * as mem from './kernel32/memory.js';
import { rtlApi } from './ntdll/rtl.js';
import { sysinfoApi } from './ntdll/sysinfo.js';
import { processInfoApi } from './ntdll/process-info.js';
import type { Process } from './process.js';
import { ntdllExceptionApi } from './seh-api.js';
import { dll, fn, raw } from './spec.js';

const u64 = (lo: number, hi: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const setEdxEax = (cpu: Cpu, v: bigint) => {
  const b = BigInt.asUintN(64, v);
  cpu.eax = Number(b & 0xffff_ffffn);
  cpu.edx = Number(b >> 32n);
};

/** Division helpers raise #DE on a zero divisor, as the real ones (an idiv inside) do. */
function divide(p: Process, a: bigint, b: bigint, op: 'div' | 'rem'): bigint {
  if (b === 0n) p.raiseIntegerDivideByZero();
  return op === 'div' ? a / b : a % b;
}

/** `_allshl` & co.: value in EDX:EAX, count in CL; result in EDX:EAX. */
function shift(kind: 'shl' | 'sar' | 'shr') {
  return raw(0, (_p, cpu) => {
    const n = BigInt(cpu.ecx & 0xff);
    const v = u64(cpu.eax, cpu.edx);
    // The real helpers handle counts >= 64 by saturating (0, or the sign for sar).
    if (kind === 'shl') setEdxEax(cpu, n >= 64n ? 0n : v << n);
    else if (kind === 'shr') setEdxEax(cpu, n >= 64n ? 0n : v >> n);
    else setEdxEax(cpu, BigInt.asIntN(64, v) >> (n >= 64n ? 63n : n));
  });
}

/** `_alldvrm`/`_aulldvrm`: quotient in EDX:EAX, remainder in EBX:ECX, 16 bytes of arguments popped. */
function divRem(signed: boolean) {
  return raw(16, (p, cpu) => {
    const esp = cpu.esp;
    const conv = (v: bigint) => (signed ? BigInt.asIntN(64, v) : v);
    const a = conv(p.mem.u64(esp + 4));
    const b = conv(p.mem.u64(esp + 12));
    const q = divide(p, a, b, 'div');
    const r = a % b;
    setEdxEax(cpu, q);
    const rb = BigInt.asUintN(64, r);
    cpu.ecx = Number(rb & 0xffff_ffffn);
    cpu.set('ebx', Number(rb >> 32n));
  });
}

export default dll('ntdll.dll', {
  ...rtlApi,
  ...sysinfoApi,
  ...processInfoApi,
  ...ntdllExceptionApi,
  RtlAllocateHeap: fn('stdcall', ['long', 'long', 'long'], 'ptr', mem.HeapAlloc),
  RtlFillMemory: fn('stdcall', ['ptr', 'long', 'long'], 'void', (p, d, n, v) => p.mem.fill(d, v & 0xff, n)),
  RtlFreeHeap: fn('stdcall', ['long', 'long', 'ptr'], 'bool', mem.HeapFree),
  RtlGetLastWin32Error: fn('stdcall', [], 'long', (p) => p.lastError),
  RtlMoveMemory: fn('stdcall', ['ptr', 'ptr', 'long'], 'void', (p, d, s, n) => p.mem.copyWithin(d, s, n)),
  RtlReAllocateHeap: fn('stdcall', ['long', 'long', 'ptr', 'long'], 'ptr', mem.HeapReAlloc),
  RtlSetLastWin32Error: fn('stdcall', ['long'], 'void', (p, e) => p.setLastError(e)),
  RtlSizeHeap: fn('stdcall', ['long', 'long', 'ptr'], 'long', mem.HeapSize),
  RtlZeroMemory: fn('stdcall', ['ptr', 'long'], 'void', (p, d, n) => p.mem.fill(d, 0, n)),
  _alldiv: fn('stdcall', ['int64', 'int64'], 'int64', (p, a, b) => divide(p, a, b, 'div')),
  _alldvrm: divRem(true),
  _allmul: fn('stdcall', ['int64', 'int64'], 'int64', (_p, a, b) => BigInt.asIntN(64, a * b)),
  _allrem: fn('stdcall', ['int64', 'int64'], 'int64', (p, a, b) => divide(p, a, b, 'rem')),
  _allshl: shift('shl'),
  _allshr: shift('sar'),
  _aulldiv: fn('stdcall', ['int64', 'int64'], 'int64', (p, a, b) => divide(p, BigInt.asUintN(64, a), BigInt.asUintN(64, b), 'div')),
  _aulldvrm: divRem(false),
  _aullrem: fn('stdcall', ['int64', 'int64'], 'int64', (p, a, b) => divide(p, BigInt.asUintN(64, a), BigInt.asUintN(64, b), 'rem')),
  _aullshr: shift('shr'),
});
