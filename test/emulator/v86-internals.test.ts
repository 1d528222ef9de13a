// Self-tests of every v86 internal emulator/ relies on. If a v86 upgrade moves or changes any of them,
// these fail first and name the internal.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, test } from 'vitest';
import { OFF, REQUIRED_EXPORTS, unexpectedImports, V86_VERSION, v86Module } from '../../emulator/v86-internals.js';
import { PROT } from '../../emulator/memory.js';
import { machine } from '../helpers/guest.js';
import { le32, X86 } from '../helpers/x86.js';

describe('the pinned v86 package', () => {
  test('is the version emulator/ was written for, pinned exactly', () => {
    const require = createRequire(import.meta.url);
    const pkg = JSON.parse(fs.readFileSync(require.resolve('v86/package.json'), 'utf8'));
    expect(pkg.version.split('+')[0]).toBe(V86_VERSION);
    const ours = JSON.parse(fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(ours.dependencies.v86).toBe(V86_VERSION);
  });

  test('imports only the host functions wowasm supplies', () => {
    expect(unexpectedImports(v86Module())).toEqual([]);
  });

  test('exports every function wowasm calls', () => {
    const names = new Set(WebAssembly.Module.exports(v86Module()).map((e) => e.name));
    for (const name of REQUIRED_EXPORTS) expect(names.has(name), name).toBe(true);
  });
});

describe('CPU state offsets (global_pointers.rs)', () => {
  const m = machine();

  test('reg32 at 64: guest writes to all eight registers are seen by the host', () => {
    // Each of eax..edi gets a distinct value inside a trap handler's view; esp is checked against the call.
    let seen: number[] = [];
    const trap = m.cpu.defineTrap(
      (cpu) => {
        seen = (['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi'] as const).map((r) => cpu.get(r));
        const esp = cpu.esp;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 4;
      },
      { name: 'regs' },
    );
    const ptr = m.code(le32(trap));
    // push ebx/ebp/esi/edi; mov eax..edi (not esp), 0x11111111 * n; call [ptr]; pop them back; ret
    const code = [0x53, 0x55, 0x56, 0x57];
    [0xb8, 0xb9, 0xba, 0xbb, 0xbd, 0xbe, 0xbf].forEach((op, i) => code.push(op, ...le32(0x1111_1111 * (i + 1))));
    code.push(0xff, 0x15, ...le32(ptr));
    code.push(0x5f, 0x5e, 0x5d, 0x5b, 0xc3);
    m.call(m.code(code));
    expect(seen).toEqual([0x1111_1111, 0x2222_2222, 0x3333_3333, 0x4444_4444, 0x5555_5555, 0x6666_6666, 0x7777_7777]);
  });

  test('instruction_pointer at 556: traps see the address after their out instruction', () => {
    let eipSeen = 0;
    const trap = m.cpu.defineTrap(
      (cpu) => {
        eipSeen = cpu.eip;
        const esp = cpu.esp;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 4;
      },
      { name: 'eip' },
    );
    m.call(m.code([0xb8, ...le32(trap), 0xff, 0xd0, 0xc3]));
    expect(eipSeen).toBe(trap + 2);
  });

  test('cr at 580, cpl at 612, sreg at 668: the booted machine reads back as built', () => {
    expect(m.cpu.cr(3)).toBe(m.cpu.mem.pageDirectory);
    expect(m.cpu.cpl).toBe(3);
    expect(m.cpu.selector('cs')).toBe(0x1b);
    expect(m.cpu.selector('ss')).toBe(0x23);
    expect(m.cpu.selector('fs')).toBe(0x3b);
  });

  test('segment_offsets at 736: setFsBase changes what fs: addresses', () => {
    for (const size of [0x1000, 0x3000]) {
      const teb = m.cpu.mem.map(size, PROT.rw);
      m.cpu.mem.setU32(teb + 0x18, teb + 1);
      m.cpu.setFsBase(teb);
      expect(m.cpu.segmentBase('fs')).toBe(teb);
      expect(m.call(m.code(X86.fsSelf))).toBe(teb + 1);
    }
  });

  test('memory_size at 812 holds the guest RAM size', () => {
    const mm = machine({ memoryMiB: 48 });
    const buf = (mm.cpu as unknown as { ex: { memory: WebAssembly.Memory } }).ex.memory.buffer;
    expect(new Uint32Array(buf, OFF.memorySize, 1)[0]).toBe(48 << 20);
  });

  test('x87 stack at 816/1032/1152: values pushed by the host are read by guest code and back', () => {
    // fld st0 is not needed: fadd qword [esp+4] with ST(0) pushed by the host; ret
    const fn = m.code([0xdc, 0x44, 0x24, 0x04, 0xc3]);
    for (const [a, b] of [
      [1.5, 2.25],
      [-0, 5e-324],
      [1e308, 1e308],
      [Math.PI, Math.E],
    ] as const) {
      const esp = m.stackTop - 12;
      m.cpu.mem.setU32(esp, m.cpu.returnAddress);
      m.cpu.mem.setF64(esp + 4, b);
      m.cpu.pushSt0(a);
      m.cpu.execute(fn, esp);
      expect(m.cpu.popSt0()).toBe(a + b);
    }
    expect(m.cpu.fpuDepth()).toBe(0);
  });
});

describe('JIT under the synchronous driver', () => {
  test('hot code is compiled and installed, and runs far faster than interpreted', () => {
    const time = (jit: boolean) => {
      const mm = machine({ jit });
      // mov ecx, 20M; xor eax, eax; L: add eax, ecx; dec ecx; jnz L; ret
      const fn = mm.code([0xb9, ...le32(20_000_000), 0x31, 0xc0, 0x01, 0xc8, 0x49, 0x75, 0xfb, 0xc3]);
      const t0 = performance.now();
      const r = mm.call(fn);
      return { r, ms: performance.now() - t0, compiles: mm.cpu.stats.jitCompiles };
    };
    const jit = time(true);
    const interp = time(false);
    expect(jit.r).toBe(interp.r);
    expect(jit.compiles).toBeGreaterThan(0);
    expect(interp.compiles).toBe(0);
    expect(jit.ms * 3).toBeLessThan(interp.ms);
  });

  test('code rewritten by the host after it was compiled runs in its new form (jit_dirty_cache)', () => {
    const mm = machine();
    const fn = mm.code([0xb8, ...le32(1), 0xc3, 0x90, 0x90]); // mov eax, 1; ret
    // call it in a hot guest loop so it gets compiled: mov ecx, N; L: push ecx; call fn; pop ecx; dec ecx; jnz L; ret
    const loop = mm.code([0xb9, ...le32(400_000), 0x51, 0xe8, 0, 0, 0, 0, 0x59, 0x49, 0x75, 0xf6, 0xc3]);
    mm.cpu.mem.setU32(loop + 7, fn - (loop + 11));
    mm.call(loop);
    expect(mm.cpu.stats.jitCompiles).toBeGreaterThan(0);
    expect(mm.call(fn)).toBe(1);
    mm.cpu.mem.write(fn, Uint8Array.from([0xb8, ...le32(2), 0xc3]));
    expect(mm.call(fn)).toBe(2);
    mm.call(loop);
    expect(mm.call(fn)).toBe(2);
  });
});

describe('flags at 120 / flags_changed at 100', () => {
  test('setEflags makes guest code see exactly the user flags written (lazy flags cleared)', () => {
    const m = machine();
    // Run an add that leaves lazily computed flags, then overwrite them from the host.
    const trap = m.cpu.defineTrap(
      (cpu) => {
        cpu.setEflags(0x0000_0ad5 | 0x200); // CF PF AF ZF SF OF set (DF clear); IF may not be changed
        const esp = cpu.esp;
        cpu.eip = cpu.mem.u32(esp);
        cpu.esp = esp + 4;
      },
      { name: 'flags' },
    );
    const ptr = m.code(le32(trap));
    // mov eax, 1; add eax, 1 (clears CF/ZF lazily); call [ptr]; pushfd; pop eax; ret
    const fn = m.code([0xb8, ...le32(1), 0x83, 0xc0, 0x01, 0xff, 0x15, ...le32(ptr), 0x9c, 0x58, 0xc3]);
    expect(m.call(fn) & 0x0cd5).toBe(0x08d5);
    expect(m.call(fn) & 0x200).toBe(0x200); // IF stays as it was
  });
});

describe('thread state: x87 at 816/1032-1041/1152, SSE at 824-959', () => {
  test('captureThreadState/restoreThreadState keep a thread\'s registers, x87 stack and XMM registers', () => {
    const m = machine();
    const load = m.code([0xd9, 0xe8, 0xd9, 0xeb, 0xb8, ...le32(5), 0xf2, 0x0f, 0x2a, 0xc0, 0xc3]); // fld1; fldpi; mov eax,5; cvtsi2sd xmm0,eax
    const clobber = m.code([0xdd, 0xd8, 0xdd, 0xd8, 0x0f, 0x57, 0xc0, 0xc3]); // fstp st0 (x2); xorps xmm0,xmm0
    // mov ecx,[esp+4]; fstp qword [ecx]; fstp qword [ecx+8]; movsd [ecx+16], xmm0; ret
    const store = m.code([0x8b, 0x4c, 0x24, 0x04, 0xdd, 0x19, 0xdd, 0x59, 0x08, 0xf2, 0x0f, 0x11, 0x41, 0x10, 0xc3]);
    m.call(load);
    const saved = m.cpu.captureThreadState();
    m.call(clobber);
    m.cpu.restoreThreadState(saved);
    const out = m.cpu.mem.map(0x1000, PROT.rw);
    m.call(store, [out]);
    expect([m.cpu.mem.f64(out), m.cpu.mem.f64(out + 8), m.cpu.mem.f64(out + 16)]).toEqual([Math.PI, 1, 5]);
    expect(m.cpu.fpuDepth()).toBe(0);
  });
});
