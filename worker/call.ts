// Calling a guest function through a C prototype: lay out the stack frame (and ECX/EDX) for its calling
// convention, marshal the arguments, run, check that the callee popped what the convention says, read
// the result from EAX / EDX:EAX / ST(0) / a hidden return buffer, and copy out-parameters back.

import { frameTop } from '../emulator/abi.js';
import { ArgumentCountError, StackImbalanceError } from './call-errors.js';
import type { Cpu } from '../emulator/cpu.js';
import { ArgumentTypeError, decodeAt, encodeAt, intSlot, pointerValue, readString, type Charset, type MarshalContext, type Scratch } from './marshal.js';
import { isCharPointer, isWcharPointer, type CType, type FunctionProto } from './types.js';

/** What a call needs from the library it runs in. */
export interface CallEnv {
  cpu: Cpu;
  /** Top of the stack host->guest calls use when no call is running. */
  stackTop: number;
  scratch: Scratch & { mark(): number; release(mark: number): void };
  charset: Charset;
  /** A guest address for a JS function, valid until releaseCallbacks(mark). */
  callback(type: CType & { kind: 'function' }, fn: Function, where: string): number;
  callbackMark(): number;
  releaseCallbacks(mark: number): void;
}

export type Slot = { reg: 'ecx' | 'edx' } | { stack: number };

export interface ParamPlan {
  type: CType;
  name: string;
  slot: Slot;
  copyBack: boolean;
  skipCopyIn: boolean;
}

const REGISTER_RETURN_SIZES = new Set([1, 2, 4, 8]);

/** Structs of 1, 2, 4 or 8 bytes come back in EAX (EDX:EAX); others through a hidden pointer. */
export function returnsViaHiddenPointer(ret: CType): boolean {
  return ret.kind === 'struct' && !REGISTER_RETURN_SIZES.has(ret.size);
}

/** Where each argument of a prototype travels (register or stack offset after the return address). */
export function layoutFrame(proto: FunctionProto): { plans: ParamPlan[]; hidden: Slot | undefined; stackBytes: number } {
  const regs: ('ecx' | 'edx')[] = proto.conv === 'fastcall' ? ['ecx', 'edx'] : proto.conv === 'thiscall' ? ['ecx'] : [];
  let offset = 0;
  let hidden: Slot | undefined;
  if (returnsViaHiddenPointer(proto.ret)) {
    // The caller's buffer for a big struct result: first stack argument (ECX for fastcall).
    if (proto.conv === 'fastcall') hidden = { reg: regs.shift()! };
    else {
      hidden = { stack: offset };
      offset += 4;
    }
  }
  const plans: ParamPlan[] = [];
  for (const p of proto.params) {
    const t = p.type;
    const small = (t.kind === 'int' && t.size <= 4) || t.kind === 'pointer';
    let slot: Slot;
    if (small && regs.length) slot = { reg: regs.shift()! };
    else {
      slot = { stack: offset };
      offset += Math.ceil(Math.max(t.size, 4) / 4) * 4;
    }
    if (proto.conv === 'thiscall') regs.length = 0; // only the first argument (`this`) travels in ECX
    plans.push({ type: t, name: p.name, slot, copyBack: t.kind === 'pointer' && p.direction !== 'in', skipCopyIn: p.direction === 'out' });
  }
  return { plans, hidden, stackBytes: offset };
}

export class CallSite {
  readonly proto: FunctionProto;
  private readonly plans: ParamPlan[];
  private readonly hidden: Slot | undefined;
  private readonly stackBytes: number;
  private readonly fastInts: boolean;
  private readonly label: string;

  constructor(
    private readonly env: CallEnv,
    readonly address: number,
    proto: FunctionProto,
  ) {
    this.proto = proto;
    this.label = proto.name || `function at 0x${address.toString(16)}`;
    const layout = layoutFrame(proto);
    this.plans = layout.plans;
    this.hidden = layout.hidden;
    this.stackBytes = layout.stackBytes;
    const ret = proto.ret;
    this.fastInts =
      (proto.conv === 'cdecl' || proto.conv === 'stdcall') &&
      this.hidden === undefined &&
      proto.params.every((p) => p.type.kind === 'int' && p.type.size <= 4) &&
      (ret.kind === 'void' || (ret.kind === 'int' && ret.size <= 4));
  }

  invoke(args: unknown[]): unknown {
    if (args.length !== this.plans.length) throw new ArgumentCountError(this.label, this.plans.length, args.length);
    return this.fastInts ? this.invokeInts(args) : this.invokeGeneral(args);
  }

  /** All-integer signatures: no scratch memory, no callbacks, no copy-back. */
  private invokeInts(args: unknown[]): unknown {
    const { cpu } = this.env;
    const mem = cpu.mem;
    const n = args.length;
    const esp = this.frameEsp();
    const words = new Array<number>(n + 1);
    words[0] = cpu.returnAddress;
    for (let i = 0; i < n; i++) {
      const v = args[i];
      const t = this.plans[i]!.type as CType & { kind: 'int' };
      // A number that fits 32 bits is its own slot; narrower types are truncated and extended.
      if (t.size === 4 && typeof v === 'number' && Number.isInteger(v) && v >= -0x8000_0000 && v <= 0xffff_ffff) words[i + 1] = v >>> 0;
      else words[i + 1] = intSlot(v, t, `${this.label}(${this.plans[i]!.name})`, this.env.charset);
    }
    mem.writeWords(esp, words);
    cpu.execute(this.address, esp);
    this.checkStack(esp);
    return this.decodeIntReturn(cpu.returned.eax, cpu.returned.edx);
  }

  private invokeGeneral(args: unknown[]): unknown {
    const env = this.env;
    const { cpu } = env;
    const mem = cpu.mem;
    const scratchMark = env.scratch.mark();
    const cbMark = env.callbackMark();
    const ctx: MarshalContext = { mem, scratch: env.scratch, charset: env.charset, callback: (t, f, w) => env.callback(t, f, w) };
    try {
      const copyBacks: (() => void)[] = [];
      const regs: { ecx?: number; edx?: number } = {};
      const esp = this.frameEsp();
      const put = (slot: Slot, t: CType, value: unknown, where: string) => {
        // Integers narrower than 32 bits fill their whole slot or register, extended by signedness.
        if (t.kind === 'int' && t.size <= 4) {
          const word = intSlot(value, t, where, env.charset);
          if ('reg' in slot) regs[slot.reg] = word;
          else mem.setU32(esp + 4 + slot.stack, word);
        } else if ('reg' in slot) regs[slot.reg] = pointerValue(ctx, t as CType & { kind: 'pointer' }, value, where);
        else encodeAt(ctx, esp + 4 + slot.stack, t, value, where);
      };
      let retBuf = 0;
      if (this.hidden) {
        retBuf = env.scratch.alloc(this.proto.ret.size, 8);
        put(this.hidden, { kind: 'int', size: 4, align: 4, signed: false, name: 'hidden return pointer' }, retBuf, 'hidden');
      }
      for (let i = 0; i < this.plans.length; i++) {
        const plan = this.plans[i]!;
        const where = `${this.label}(${plan.name})`;
        const value = args[i];
        if (plan.type.kind === 'pointer') {
          const addr = this.pointerArg(ctx, plan, value, where, copyBacks);
          put(plan.slot, plan.type, addr, where);
        } else put(plan.slot, plan.type, value, where);
      }
      mem.setU32(esp, cpu.returnAddress);
      if (regs.ecx !== undefined) cpu.ecx = regs.ecx;
      if (regs.edx !== undefined) cpu.edx = regs.edx;
      cpu.execute(this.address, esp);
      this.checkStack(esp);
      const result = this.decodeReturn(retBuf);
      for (const cb of copyBacks) cb();
      return result;
    } finally {
      env.releaseCallbacks(cbMark);
      env.scratch.release(scratchMark);
    }
  }

  /** A pointer argument: buffers, arrays and struct objects are copied in (and back out if not const). */
  private pointerArg(ctx: MarshalContext, plan: ParamPlan, value: unknown, where: string, copyBacks: (() => void)[]): number {
    const t = plan.type as CType & { kind: 'pointer' };
    const mem = ctx.mem;
    const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : undefined;
    if (bytes) {
      // Copied in even for _Out_ parameters: bytes the callee does not write come back unchanged.
      const at = ctx.scratch.alloc(Math.max(bytes.length, 1), 16);
      mem.write(at, bytes);
      if (plan.copyBack) copyBacks.push(() => bytes.set(mem.read(at, bytes.length)));
      return at;
    }
    const elem = t.to;
    if (Array.isArray(value)) {
      if (elem.kind === 'void' || elem.kind === 'function' || elem.size === 0) throw new ArgumentTypeError(where, `${t.name} (an array needs a typed pointer)`, value);
      const at = ctx.scratch.alloc(Math.max(value.length * elem.size, 1), Math.max(elem.align, 4));
      // An _Out_ array is not read (it may be `new Array(n)`); the callee sees zeros.
      if (plan.skipCopyIn) mem.fill(at, 0, value.length * elem.size);
      else for (let i = 0; i < value.length; i++) encodeAt(ctx, at + i * elem.size, elem, value[i], `${where}[${i}]`);
      if (plan.copyBack)
        copyBacks.push(() => {
          for (let i = 0; i < value.length; i++) value[i] = updateInPlace(value[i], decodeAt(mem, at + i * elem.size, elem, ctx.charset));
        });
      return at;
    }
    if (elem.kind === 'struct' && typeof value === 'object' && value !== null) {
      const at = ctx.scratch.alloc(elem.size, Math.max(elem.align, 4));
      encodeAt(ctx, at, elem, value, where);
      if (plan.copyBack) copyBacks.push(() => updateInPlace(value, decodeAt(mem, at, elem, ctx.charset)));
      return at;
    }
    if (typeof value === 'object' && value !== null && !(elem.kind === 'struct')) {
      throw new ArgumentTypeError(where, `${t.name}: an address, null, a string, a buffer or an array`, value);
    }
    return pointerValue(ctx, t, value, where);
  }

  /** ESP for a new frame: below the running call's frame when nested, args 16-byte aligned. */
  private frameEsp(): number {
    const top = frameTop(this.env.cpu, this.env.stackTop);
    return ((((top - this.stackBytes) & ~15) >>> 0) - 4) >>> 0;
  }

  private checkStack(esp: number): void {
    const popped = this.env.cpu.returned.esp - esp - 4;
    const calleePops = this.proto.conv !== 'cdecl';
    const expected = calleePops ? this.stackBytes : 0;
    if (popped === expected) return;
    // Some compilers pop the hidden return pointer of a cdecl function themselves.
    if (!calleePops && this.hidden && popped === 4) return;
    const declared = calleePops ? `__${this.proto.conv} with ${this.stackBytes} bytes of arguments` : '__cdecl (the caller pops the arguments)';
    throw new StackImbalanceError(this.label, declared, popped);
  }

  private decodeIntReturn(eax: number, edx: number): unknown {
    const t = this.proto.ret;
    if (t.kind === 'void') return undefined;
    if (t.kind !== 'int') throw new Error('not an integer return');
    if (t.size === 8) {
      const v = (BigInt(edx >>> 0) << 32n) | BigInt(eax >>> 0);
      return t.signed ? BigInt.asIntN(64, v) : v;
    }
    // Only the declared width of EAX is defined: AL for char/bool, AX for short.
    const bits = t.size * 8;
    let v = bits === 32 ? eax : eax & ((1 << bits) - 1);
    if (t.signed) v = bits === 32 ? v | 0 : (v << (32 - bits)) >> (32 - bits);
    else v = v >>> 0;
    return t.flavour === 'bool' ? v !== 0 : v;
  }

  private decodeReturn(retBuf: number): unknown {
    const t = this.proto.ret;
    const { cpu } = this.env;
    const { eax, edx } = cpu.returned;
    switch (t.kind) {
      case 'void':
      case 'int':
        return this.decodeIntReturn(eax, edx);
      case 'float':
        return cpu.popSt0(t.size === 4 ? 'f32' : 'f64');
      case 'pointer':
        if (isCharPointer(t)) return readString(cpu.mem, eax, false, this.env.charset);
        if (isWcharPointer(t)) return readString(cpu.mem, eax, true, this.env.charset);
        return eax >>> 0;
      case 'struct': {
        if (retBuf) return decodeAt(cpu.mem, retBuf, t, this.env.charset);
        const tmp = this.env.scratch.alloc(8, 8);
        cpu.mem.setU32(tmp, eax);
        cpu.mem.setU32(tmp + 4, edx);
        return decodeAt(cpu.mem, tmp, t, this.env.charset);
      }
      default:
        throw new ArgumentTypeError(this.label, 'a returnable type', t.name);
    }
  }
}

/**
 * Copies a decoded struct or array into the JS value that was passed, keeping its identity and that of
 * the objects, arrays and typed arrays inside it; returns what the slot should now hold.
 */
export function updateInPlace(target: unknown, decoded: unknown): unknown {
  if (Array.isArray(decoded)) {
    if (Array.isArray(target) && target.length === decoded.length) {
      for (let i = 0; i < decoded.length; i++) target[i] = updateInPlace(target[i], decoded[i]);
      return target;
    }
    if (ArrayBuffer.isView(target) && !(target instanceof DataView) && (target as unknown as ArrayLike<unknown>).length === decoded.length) {
      const typed = target as unknown as { [i: number]: unknown; length: number };
      for (let i = 0; i < decoded.length; i++) typed[i] = decoded[i];
      return target;
    }
    return decoded;
  }
  if (typeof decoded === 'object' && decoded !== null && typeof target === 'object' && target !== null && !Array.isArray(target) && !ArrayBuffer.isView(target)) {
    const obj = target as Record<string, unknown>;
    for (const [k, v] of Object.entries(decoded)) obj[k] = updateInPlace(obj[k], v);
    return target;
  }
  return decoded;
}
