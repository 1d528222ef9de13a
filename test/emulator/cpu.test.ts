// The CPU: booting into ring 3, calls, traps, faults, time budget, nesting, memory protection, x87 values.
import { describe, expect, test } from 'vitest';
import { BudgetExceededError, GuestFaultError, GuestMemoryError } from '../../emulator/errors.js';
import { EXCEPTION } from '../../emulator/faults.js';
import { PROT } from '../../emulator/memory.js';
import { machine } from '../helpers/guest.js';
import { le32, X86 } from '../helpers/x86.js';

describe('boot', () => {
  const m = machine();
  test('guest code runs in ring 3 with paging and Windows selectors', () => {
    expect(m.cpu.cpl).toBe(3);
    expect((m.cpu.cr(0) & 0x8000_0001) >>> 0).toBe(0x8000_0001);
    expect(m.call(m.code(X86.cs))).toBe(0x1b);
    expect(m.call(m.code(X86.flags)) & 0x200).toBe(0x200); // interrupts on, as user code sees on Windows
  });

  test('FS points at the TEB the host sets', () => {
    const teb = m.cpu.mem.map(0x1000, PROT.rw);
    m.cpu.mem.setU32(teb + 0x18, teb);
    m.cpu.setFsBase(teb);
    expect(m.call(m.code(X86.fsSelf))).toBe(teb);
  });
});

describe('host -> guest calls', () => {
  test('arguments on the stack, result in eax, many calls in a row', () => {
    const m = machine();
    const add = m.code(X86.add);
    for (let i = 0; i < 1000; i++) expect(m.call(add, [i, 0xffff_ffff])).toBe((i - 1) >>> 0);
  });

  test('doubles come back in ST(0) bit-exactly and the x87 stack is left empty', () => {
    const m = machine();
    const f = m.code(X86.faddDouble);
    const esp = m.stackTop - 20;
    m.cpu.mem.setU32(esp, m.cpu.returnAddress);
    m.cpu.mem.setF64(esp + 4, 0.1);
    m.cpu.mem.setF64(esp + 12, 0.2);
    m.cpu.execute(f, esp);
    expect(m.cpu.popSt0()).toBe(0.30000000000000004);
    expect(m.cpu.fpuDepth()).toBe(0);
  });
});

describe('guest -> host traps', () => {
  test('a trap reads its arguments and returns like stdcall', () => {
    const m = machine();
    const seen: number[] = [];
    const trap = m.cpu.defineTrap(
      (cpu) => {
        const esp = cpu.esp;
        seen.push(cpu.mem.u32(esp + 4), cpu.mem.u32(esp + 8));
        cpu.eax = 42;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 12;
      },
      { name: 'test!two' },
    );
    // push 7; push 6; mov eax, trap; call eax; ret
    const caller = m.code([0x6a, 0x07, 0x6a, 0x06, 0xb8, ...le32(trap), 0xff, 0xd0, 0xc3]);
    expect(m.call(caller)).toBe(42);
    expect(seen).toEqual([6, 7]);
    expect(m.cpu.trapName(trap)).toBe('test!two');
  });

  test('traps keep working once the calling loop is JIT-compiled', () => {
    const m = machine();
    let n = 0;
    const trap = m.cpu.defineTrap(
      (cpu) => {
        n++;
        const esp = cpu.esp;
        cpu.eax = cpu.mem.u32(esp + 4) * 2;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 8;
      },
      { name: 'double' },
    );
    const ptr = m.code(le32(trap));
    // push ebx; mov ecx,[esp+8]; xor ebx,ebx; L: push ecx; call [ptr]; add ebx,eax; dec ecx; jnz L; mov eax,ebx; pop ebx; ret
    const loop = m.code([0x53, 0x8b, 0x4c, 0x24, 0x08, 0x31, 0xdb, 0x51, 0xff, 0x15, ...le32(ptr), 0x01, 0xc3, 0x49, 0x75, 0xf4, 0x89, 0xd8, 0x5b, 0xc3]);
    const N = 300_000;
    expect(m.call(loop, [N])).toBe((N * (N + 1)) >>> 0);
    expect(n).toBe(N);
    expect(m.cpu.stats.jitCompiles).toBeGreaterThan(0);
  });

  test('a reentrant trap calls back into guest code and the caller continues intact', () => {
    const m = machine();
    const double = m.code([0x8b, 0x44, 0x24, 0x04, 0x01, 0xc0, 0xc3]); // mov eax,[esp+4]; add eax,eax; ret
    const trap = m.cpu.defineTrap(
      (cpu) => {
        const esp = cpu.esp;
        const fn = cpu.mem.u32(esp + 4);
        const x = cpu.mem.u32(esp + 8);
        // Call fn(x) twice from the host, below the current stack.
        let sum = 0;
        for (let i = 0; i < 2; i++) {
          const inner = esp - 64;
          cpu.mem.setU32(inner, cpu.returnAddress);
          cpu.mem.setU32(inner + 4, x + i);
          cpu.execute(fn, inner);
          sum += cpu.returned.eax;
        }
        cpu.eax = sum;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 12;
      },
      { name: 'callTwice', reentrant: true },
    );
    // push esi; mov esi, 0x55; push 10; push double; mov eax, trap; call eax; add eax, esi; pop esi; ret
    const caller = m.code([0x56, 0xbe, ...le32(0x55), 0x6a, 0x0a, 0x68, ...le32(double), 0xb8, ...le32(trap), 0xff, 0xd0, 0x01, 0xf0, 0x5e, 0xc3]);
    expect(m.call(caller)).toBe(20 + 22 + 0x55);
  });

  test('an error thrown by a host function ends the call and the next call works', () => {
    const m = machine();
    const trap = m.cpu.defineTrap(() => {
      throw new Error('host says no');
    }, { name: 'fails' });
    const caller = m.code([0xb8, ...le32(trap), 0xff, 0xd0, 0xc3]);
    expect(() => m.call(caller)).toThrow('host says no');
    expect(m.call(m.code(X86.add), [1, 2])).toBe(3);
  });
});

describe('CPU exceptions become typed errors', () => {
  const m = machine();
  const load = m.code(X86.load);
  const store = m.code(X86.store);

  const fault = (fn: () => unknown): GuestFaultError => {
    try {
      fn();
    } catch (e) {
      if (e instanceof GuestFaultError) return e;
      throw e;
    }
    throw new Error('no fault');
  };

  test('reading NULL', () => {
    const e = fault(() => m.call(load, [0]));
    expect(e.exceptionCode).toBe(EXCEPTION.ACCESS_VIOLATION);
    expect(e.address).toBe(0);
    expect(e.access).toBe('read');
    expect(e.eip).toBe(load + 4);
    expect(e.message).toMatch(/access violation reading 0x00000000/);
  });

  test('writing to a read-only page, then after unprotecting it', () => {
    const page = m.cpu.mem.map(0x1000, PROT.r);
    const e = fault(() => m.call(store, [page + 8, 1]));
    expect(e.access).toBe('write');
    expect(e.address).toBe(page + 8);
    m.cpu.mem.protect(page, 0x1000, PROT.rw);
    m.call(store, [page + 8, 77]);
    expect(m.cpu.mem.u32(page + 8)).toBe(77);
  });

  test('touching the emulator\'s own supervisor pages', () => {
    expect(fault(() => m.call(load, [0xffff_0000])).access).toBe('read');
  });

  test('executing unmapped memory', () => {
    const e = fault(() => m.call(m.code(X86.jumpTo), [0x3000_0000]));
    expect(e.access).toBe('execute');
    expect(e.eip).toBe(0x3000_0000);
  });

  test('division by zero and division overflow', () => {
    expect(fault(() => m.call(m.code(X86.idivReg), [5, 0])).exceptionCode).toBe(EXCEPTION.INT_DIVIDE_BY_ZERO);
    expect(fault(() => m.call(m.code(X86.idivReg), [0x8000_0000, 0xffff_ffff])).exceptionCode).toBe(EXCEPTION.INT_OVERFLOW);
    expect(fault(() => m.call(m.code(X86.idiv), [5, 0])).vector).toBe(0);
  });

  test('illegal and privileged instructions, breakpoints', () => {
    expect(fault(() => m.call(m.code(X86.ud2))).exceptionCode).toBe(EXCEPTION.ILLEGAL_INSTRUCTION);
    expect(fault(() => m.call(m.code(X86.hlt))).exceptionCode).toBe(EXCEPTION.PRIV_INSTRUCTION);
    expect(fault(() => m.call(m.code(X86.cli))).exceptionCode).toBe(EXCEPTION.PRIV_INSTRUCTION);
    expect(fault(() => m.call(m.code(X86.inPort))).exceptionCode).toBe(EXCEPTION.PRIV_INSTRUCTION);
    const bp = m.code(X86.int3);
    const e = fault(() => m.call(bp));
    expect(e.exceptionCode).toBe(EXCEPTION.BREAKPOINT);
    expect(e.eip).toBe(bp);
  });

  test('guest code cannot fake a trap or a return by writing to wowasm\'s ports', () => {
    const e = fault(() => m.call(m.code(X86.outTrapPort)));
    expect(e.exceptionCode).toBe(EXCEPTION.PRIV_INSTRUCTION);
  });

  test('the fault report names the location through describeAddress', () => {
    m.cpu.describeAddress = (a) => `demo.dll+0x${(a - 0x400000).toString(16)}`;
    expect(fault(() => m.call(load, [4])).message).toBe(`access violation reading 0x00000004 at demo.dll+0x${(load + 4 - 0x400000).toString(16)}`);
    m.cpu.describeAddress = (a) => '0x' + a.toString(16);
  });

  test('after all of these the machine still runs calls', () => {
    expect(m.cpu.cpl).toBe(3);
    expect(m.call(m.code(X86.add), [40, 2])).toBe(42);
  });
});

describe('time budget', () => {
  test('a runaway loop stops with a typed error near the budget, and the next call works', () => {
    const m = machine({ timeoutMs: 200 });
    const spin = m.code(X86.spin);
    const t0 = performance.now();
    expect(() => m.call(spin)).toThrow(BudgetExceededError);
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(200);
    expect(took).toBeLessThan(2000);
    expect(m.call(m.code(X86.add), [1, 1])).toBe(2);
  });

  test('timeoutMs = 0 means no budget', () => {
    const m = machine({ timeoutMs: 0 });
    // mov ecx, 50_000_000; L: dec ecx; jnz L; ret
    const busy = m.code([0xb9, ...le32(50_000_000), 0x49, 0x75, 0xfd, 0xc3]);
    m.call(busy);
  });
});

describe('guest memory', () => {
  test('reserve, commit, query, decommit, release', () => {
    const m = machine();
    const mem = m.cpu.mem;
    const base = mem.reserve(0x10000);
    expect(mem.query(base)).toMatchObject({ baseAddress: base, allocationBase: base, state: 'reserved', regionSize: 0x10000 });
    mem.commit(base + 0x2000, 0x1000, PROT.rw);
    expect(mem.query(base + 0x2000)).toMatchObject({ state: 'committed', prot: PROT.rw, regionSize: 0x1000, allocationBase: base });
    expect(mem.query(base)).toMatchObject({ state: 'reserved', regionSize: 0x2000 });
    // A host write straddling into an uncommitted page fails as a whole: nothing is half-written.
    mem.setU32(base + 0x2ff8, 0xaaaa_aaaa);
    expect(() => mem.setU32(base + 0x2ffe, 0x1122_3344)).toThrow(GuestMemoryError);
    expect(mem.u16(base + 0x2ffe)).toBe(0);
    mem.decommit(base + 0x2000, 0x1000);
    expect(mem.query(base + 0x2000).state).toBe('reserved');
    expect(() => mem.u32(base + 0x2000)).toThrow(GuestMemoryError);
    mem.commit(base + 0x2000, 0x1000, PROT.rw);
    expect(mem.u32(base + 0x2ff8)).toBe(0); // fresh pages are zeroed
    mem.release(base);
    expect(mem.query(base).state).toBe('free');
  });

  test('frames are reused after release, zeroed', () => {
    const m = machine({ memoryMiB: 16 });
    const mem = m.cpu.mem;
    const before = mem.framesFree;
    for (let i = 0; i < 50; i++) {
      const a = mem.map(0x100000, PROT.rw);
      expect(mem.u32(a + 0x1234)).toBe(0);
      mem.setU32(a + 0x1234, i + 1);
      mem.release(a);
    }
    expect(mem.framesFree).toBe(before);
  });

  test('running out of guest RAM is a typed error', () => {
    const m = machine({ memoryMiB: 16 });
    expect(() => m.cpu.mem.map(64 << 20, PROT.rw)).toThrow(/guest RAM exhausted/);
  });

  test('host strings: C and UTF-16, across page boundaries', () => {
    const m = machine();
    const mem = m.cpu.mem;
    const a = mem.map(0x2000, PROT.rw);
    mem.write(a + 0xffd, new TextEncoder().encode('hello\0'));
    expect(new TextDecoder().decode(mem.readCBytes(a + 0xffd))).toBe('hello');
    const w = Uint16Array.from([0x48, 0x20ac, 0]);
    mem.write(a + 0xffe, new Uint8Array(w.buffer));
    expect(String.fromCharCode(...mem.readWUnits(a + 0xffe))).toBe('H\u20ac');
  });

  test('snapshot and restore bring back memory and registers', () => {
    const m = machine();
    const data = m.cpu.mem.map(0x1000, PROT.rw);
    m.cpu.mem.setU32(data, 1);
    const snap = m.cpu.snapshot();
    m.call(m.code(X86.store), [data, 99]);
    const extra = m.cpu.mem.map(0x1000, PROT.rw);
    expect(m.cpu.mem.u32(data)).toBe(99);
    m.cpu.restore(snap);
    expect(m.cpu.mem.u32(data)).toBe(1);
    expect(m.cpu.mem.query(extra).state).toBe('free');
    expect(m.call(m.code(X86.add), [2, 2])).toBe(4);
  });
});

describe('Windows thread defaults', () => {
  test('x87 precision control is 53 bits (control word 0x27F), as Windows starts threads', () => {
    const m = machine();
    // sub esp, 4; fnstcw [esp]; movzx eax, word [esp]; add esp, 4; ret
    expect(m.call(m.code([0x83, 0xec, 0x04, 0xd9, 0x3c, 0x24, 0x0f, 0xb7, 0x04, 0x24, 0x83, 0xc4, 0x04, 0xc3]))).toBe(0x27f);
  });
});

describe('division faults with a memory divisor', () => {
  test('idiv by a zero in memory is a division by zero; INT_MIN / -1 is an integer overflow', () => {
    const m = machine();
    const fn = m.code(X86.idiv); // idiv dword [esp+8]
    const code = (a: number, b: number) => {
      try {
        m.call(fn, [a, b]);
      } catch (e) {
        return (e as GuestFaultError).exceptionCode;
      }
      return 0;
    };
    expect(code(5, 0)).toBe(EXCEPTION.INT_DIVIDE_BY_ZERO);
    expect(code(0x8000_0000, 0xffff_ffff)).toBe(EXCEPTION.INT_OVERFLOW);
  });
});
