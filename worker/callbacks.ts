// JS functions guest code can call: each gets a trap stub whose handler decodes the arguments by the
// callback's prototype, calls the function, and returns its result the way the convention says.
// Stubs are pooled: a callback passed for one call is released when that call returns.

import type { Cpu } from '../emulator/cpu.js';
import { WowasmError } from '../emulator/errors.js';
import { layoutFrame, returnsViaHiddenPointer } from './call.js';
import { ArgumentTypeError, decodeAt, encodeAt, intSlot, pointerValue, readString, type MarshalContext } from './marshal.js';
import { isCharPointer, isWcharPointer, type CType, type FunctionProto } from './types.js';

interface CallbackSlot {
  address: number;
  proto: FunctionProto | undefined;
  /** Where each argument is, worked out once per acquire rather than per call. */
  layout: ReturnType<typeof layoutFrame> | undefined;
  fn: Function | undefined;
  persistent: boolean;
  /** What the callback was passed as, for error messages ("sort_ints(cmp)"). */
  where: string;
}

export class CallbackPool {
  private readonly slots: CallbackSlot[] = [];
  private readonly free: number[] = [];
  private readonly transient: number[] = [];

  constructor(
    private readonly cpu: Cpu,
    /** Marshalling context for values callbacks return (strings need scratch memory). */
    private readonly context: () => MarshalContext,
  ) {}

  /** A guest address that calls `fn` with prototype `type`; transient ones go at the next release. */
  acquire(type: CType & { kind: 'function' }, fn: Function, persistent = false, where = ''): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.slots.length;
      const slotId = id;
      const address = this.cpu.defineTrap((cpu) => this.invoke(cpu, slotId), { name: `callback #${slotId}`, reentrant: true });
      this.slots.push({ address, proto: undefined, layout: undefined, fn: undefined, persistent: false, where: '' });
    }
    const slot = this.slots[id]!;
    slot.proto = type.proto;
    slot.layout = layoutFrame(type.proto);
    slot.fn = fn;
    slot.where = where;
    slot.persistent = persistent;
    if (!persistent) this.transient.push(id);
    return slot.address;
  }

  mark(): number {
    return this.transient.length;
  }

  release(mark: number): void {
    while (this.transient.length > mark) this.retire(this.transient.pop()!);
  }

  /** Releases a persistent callback by its address. */
  releaseAddress(address: number): boolean {
    const id = this.slots.findIndex((s) => s.address === address && s.persistent && s.fn);
    if (id < 0) return false;
    this.retire(id);
    return true;
  }

  private retire(id: number): void {
    const s = this.slots[id]!;
    s.fn = undefined;
    s.proto = undefined;
    s.layout = undefined;
    s.persistent = false;
    this.free.push(id);
  }

  private invoke(cpu: Cpu, id: number): void {
    const slot = this.slots[id]!;
    if (!slot.fn || !slot.proto || !slot.layout) {
      throw new WowasmError('WOWASM_STALE_CALLBACK', `guest code called a JS callback after it was released (callback #${id}); pass it with lib.callback() to keep it alive`);
    }
    const proto = slot.proto;
    const mem = cpu.mem;
    const esp = cpu.esp;
    const ret = mem.u32(esp);
    const ctx = this.context();
    const { plans, hidden, stackBytes } = slot.layout;
    const args = plans.map((p) => {
      // Register arguments are 32-bit integers or pointers: decode them without touching memory.
      const v = 'reg' in p.slot ? fromRegister(cpu.get(p.slot.reg), p.type) : decodeAt(mem, esp + 4 + p.slot.stack, p.type, ctx.charset);
      if (isCharPointer(p.type)) return readString(mem, v as number, false, ctx.charset);
      if (isWcharPointer(p.type)) return readString(mem, v as number, true, ctx.charset);
      return v;
    });
    const result = slot.fn(...args);
    if (result instanceof Promise) {
      throw new WowasmError('WOWASM_ASYNC_CALLBACK', 'a callback returned a Promise; guest code needs its result synchronously');
    }
    const hiddenBuf = hidden ? ('reg' in hidden ? cpu.get(hidden.reg) : mem.u32(esp + 4 + hidden.stack)) >>> 0 : 0;
    this.writeResult(cpu, ctx, proto, result, hiddenBuf, slot.where);
    cpu.eip = ret;
    cpu.esp = esp + 4 + (proto.conv === 'cdecl' ? 0 : stackBytes);
  }

  private writeResult(cpu: Cpu, ctx: MarshalContext, proto: FunctionProto, value: unknown, hiddenBuf: number, passedAs: string): void {
    const t = proto.ret;
    const where = `return value of callback ${proto.name || passedAs}`.trim();
    if (t.kind === 'void') return;
    if (t.kind === 'float') {
      if (typeof value !== 'number') throw new ArgumentTypeError(where, `a number for ${t.name}`, value);
      cpu.pushSt0(value);
      return;
    }
    if (t.kind === 'int' && t.size <= 4) {
      cpu.eax = intSlot(value ?? 0, t, where, ctx.charset);
      return;
    }
    if (t.kind === 'pointer') {
      // Strings a callback returns live in scratch memory until the outermost call returns.
      cpu.eax = pointerValue(ctx, t, value, where);
      return;
    }
    if (returnsViaHiddenPointer(t)) {
      encodeAt(ctx, hiddenBuf, t, value, where);
      cpu.eax = hiddenBuf;
      return;
    }
    const tmp = ctx.scratch.alloc(8, 8);
    cpu.mem.setU32(tmp, 0);
    cpu.mem.setU32(tmp + 4, 0);
    encodeAt(ctx, tmp, t, value ?? 0, where);
    cpu.eax = cpu.mem.u32(tmp);
    cpu.edx = cpu.mem.u32(tmp + 4);
  }
}

/** An argument that arrived in ECX/EDX (an integer of at most 32 bits or a pointer) as a JS value. */
function fromRegister(word: number, t: CType): unknown {
  if (t.kind !== 'int') return word >>> 0;
  const bits = t.size * 8;
  const v = bits === 32 ? (t.signed ? word | 0 : word >>> 0) : t.signed ? (word << (32 - bits)) >> (32 - bits) : word & ((1 << bits) - 1);
  return t.flavour === 'bool' ? v !== 0 : v;
}
