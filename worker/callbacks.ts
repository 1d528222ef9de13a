// JS functions guest code can call: each gets a trap stub whose handler decodes the arguments by the
// callback's prototype, calls the function, and returns its result the way the convention says.
// Stubs are pooled: a callback passed for one call is released when that call returns.

import type { Cpu } from '../emulator/cpu.js';
import { WowasmError } from '../emulator/errors.js';
import { layoutFrame, returnsViaHiddenPointer, type Slot } from './call.js';
import { decodeAt, encodeAt, readString, type MarshalContext } from './marshal.js';
import { isCharPointer, isWcharPointer, type CType, type FunctionProto } from './types.js';

interface CallbackSlot {
  address: number;
  proto: FunctionProto | undefined;
  fn: Function | undefined;
  persistent: boolean;
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
  acquire(type: CType & { kind: 'function' }, fn: Function, persistent = false): number {
    let id = this.free.pop();
    if (id === undefined) {
      id = this.slots.length;
      const slotId = id;
      const address = this.cpu.defineTrap((cpu) => this.invoke(cpu, slotId), { name: `callback #${slotId}`, reentrant: true });
      this.slots.push({ address, proto: undefined, fn: undefined, persistent: false });
    }
    const slot = this.slots[id]!;
    slot.proto = type.proto;
    slot.fn = fn;
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
    s.persistent = false;
    this.free.push(id);
  }

  private invoke(cpu: Cpu, id: number): void {
    const slot = this.slots[id]!;
    if (!slot.fn || !slot.proto) {
      throw new WowasmError('WOWASM_STALE_CALLBACK', `guest code called a JS callback after it was released (callback #${id}); pass it with lib.callback() to keep it alive`);
    }
    const proto = slot.proto;
    const mem = cpu.mem;
    const esp = cpu.esp;
    const ret = mem.u32(esp);
    const ctx = this.context();
    const { plans, hidden, stackBytes } = layoutFrame(proto);
    const read = (s: Slot, t: CType): unknown => {
      if ('reg' in s) {
        const tmp = ctx.scratch.alloc(4, 4);
        mem.setU32(tmp, cpu.get(s.reg));
        return decodeAt(mem, tmp, t, ctx.charset);
      }
      return decodeAt(mem, esp + 4 + s.stack, t, ctx.charset);
    };
    const args = plans.map((p) => {
      const v = read(p.slot, p.type);
      if (isCharPointer(p.type)) return readString(mem, v as number, false, ctx.charset);
      if (isWcharPointer(p.type)) return readString(mem, v as number, true, ctx.charset);
      return v;
    });
    const result = slot.fn(...args);
    if (result instanceof Promise) {
      throw new WowasmError('WOWASM_ASYNC_CALLBACK', 'a callback returned a Promise; guest code needs its result synchronously');
    }
    this.writeResult(cpu, ctx, proto, result, hidden ? (read(hidden, { kind: 'int', size: 4, align: 4, signed: false, name: 'ptr' }) as number) : 0);
    cpu.eip = ret;
    cpu.esp = esp + 4 + (proto.conv === 'cdecl' ? 0 : stackBytes);
  }

  private writeResult(cpu: Cpu, ctx: MarshalContext, proto: FunctionProto, value: unknown, hiddenBuf: number): void {
    const t = proto.ret;
    const where = `return value of callback ${proto.name || ''}`.trim();
    if (t.kind === 'void') return;
    if (t.kind === 'float') {
      if (typeof value !== 'number') throw new WowasmError('WOWASM_BAD_ARGUMENT', `${where}: expected a number`);
      cpu.pushSt0(value);
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
