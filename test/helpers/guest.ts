// Small helpers for emulator tests: put machine code in guest memory and call it with a fresh stack.
import { Cpu } from '../../emulator/cpu.js';
import { PROT } from '../../emulator/memory.js';

export interface TestMachine {
  cpu: Cpu;
  code(bytes: number[]): number;
  call(addr: number, args?: number[]): number;
  stackTop: number;
}

export function machine(opts: ConstructorParameters<typeof Object>[0] & { jit?: boolean; timeoutMs?: number; memoryMiB?: number } = {}): TestMachine {
  const cpu = Cpu.create(opts);
  const codeBase = cpu.mem.map(0x10000, PROT.rx, { at: 0x0040_0000 });
  const stackBase = cpu.mem.map(0x10000, PROT.rw, { at: 0x0080_0000 });
  const stackTop = stackBase + 0x10000 - 0x100;
  let next = codeBase;
  return {
    cpu,
    stackTop,
    code(bytes) {
      const at = next;
      cpu.mem.write(at, Uint8Array.from(bytes));
      next += (bytes.length + 15) & ~15;
      return at;
    },
    call(addr, args = []) {
      const esp = stackTop - 4 * args.length - 4;
      cpu.mem.setU32(esp, cpu.returnAddress);
      args.forEach((a, i) => cpu.mem.setU32(esp + 4 + 4 * i, a));
      cpu.execute(addr, esp);
      return cpu.returned.eax;
    },
  };
}
