// The few bytes of x86 code and the descriptor tables the emulated machine needs, built by hand so no
// assembler is needed at run time. Each encoding is spelled out next to its mnemonic.

import { PORT, SEL, SYS_STACK_TOP, SYS_STUBS, SYS_TSS } from './layout.js';

const u32le = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const u16le = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff];

/** CR0: PE | MP | ET | NE | WP | PG. CR4: OSFXSR | OSXMMEXCPT (so SSE instructions run). */
export const CR0_VALUE = 0x8001_0033;
export const CR4_VALUE = 0x0000_0600;
/** The x87 control word of a new Windows thread: all exceptions masked, 53-bit precision, round to nearest. */
export const X87_CONTROL_WORD = 0x27f;
/** EFLAGS for user code: IF and the always-one bit; IOPL 0 so only the TSS bitmap's ports are open. */
export const USER_EFLAGS = 0x0000_0202;

/** Vectors whose exceptions push an error code. */
const HAS_ERROR_CODE = new Set([8, 10, 11, 12, 13, 14, 17, 21, 29, 30]);
export const FAULT_STUB_SIZE = 16;
/** Offset of the `hlt` inside each fault stub: the host recognises a fault by EIP = stub + HLT_END. */
export const FAULT_STUB_HLT_END = 5;

/** A real-mode far jump at the reset vector to the boot code: `jmp 0000:bootCode`. */
export function resetVectorJump(bootCode: number): Uint8Array {
  return Uint8Array.from([0xea, ...u16le(bootCode), 0x00, 0x00]);
}

export interface BootParams {
  bootCode: number; // physical = linear address of this code
  gdtr: number; // address of the 6-byte GDTR operand (below 64 KiB)
  idtr: number; // address of the 6-byte IDTR operand
  pageDirectory: number; // physical address for CR3
  parkEip: number; // ring-3 address the boot ends at
}

/**
 * Real mode -> protected mode with paging -> ring 3. Ends with an `iretd` to the park stub, whose `out`
 * tells the host the machine is ready.
 */
export function bootCode(p: BootParams): Uint8Array {
  const code: number[] = [];
  const emit = (...b: number[]) => code.push(...b);
  emit(0xfa); // cli
  emit(0x66, 0x2e, 0x0f, 0x01, 0x16, ...u16le(p.gdtr)); // o32 lgdt cs:[gdtr] (o32: all 32 base bits)
  emit(0x66, 0x2e, 0x0f, 0x01, 0x1e, ...u16le(p.idtr)); // o32 lidt cs:[idtr]
  emit(0x66, 0xb8, ...u32le(CR4_VALUE)); // mov eax, CR4_VALUE
  emit(0x0f, 0x22, 0xe0); // mov cr4, eax
  emit(0x66, 0xb8, ...u32le(p.pageDirectory)); // mov eax, page directory
  emit(0x0f, 0x22, 0xd8); // mov cr3, eax
  emit(0x66, 0xb8, ...u32le(CR0_VALUE)); // mov eax, CR0_VALUE
  emit(0x0f, 0x22, 0xc0); // mov cr0, eax
  const farJump = code.length;
  emit(0x66, 0xea, 0, 0, 0, 0, ...u16le(SEL.kernelCode)); // jmp dword 0x08:entry32
  const entry32 = p.bootCode + code.length;
  code.splice(farJump + 2, 4, ...u32le(entry32));
  // 32-bit protected mode, ring 0.
  emit(0x66, 0xb8, ...u16le(SEL.kernelData)); // mov ax, 0x10
  emit(0x8e, 0xd0); // mov ss, ax
  emit(0xbc, ...u32le(SYS_STACK_TOP)); // mov esp, SYS_STACK_TOP
  emit(0x66, 0xb8, ...u16le(SEL.tss)); // mov ax, 0x28
  emit(0x0f, 0x00, 0xd8); // ltr ax
  emit(0x66, 0xb8, ...u16le(SEL.userData)); // mov ax, 0x23
  emit(0x8e, 0xd8); // mov ds, ax
  emit(0x8e, 0xc0); // mov es, ax
  emit(0x8e, 0xe8); // mov gs, ax
  emit(0x66, 0xb8, ...u16le(SEL.teb)); // mov ax, 0x3b
  emit(0x8e, 0xe0); // mov fs, ax
  emit(0xdb, 0xe3); // fninit
  // Windows starts every thread with x87 precision control at 53 bits (0x27F), not fninit's 64 bits;
  // results of x87 code depend on it.
  emit(0x83, 0xec, 0x04); // sub esp, 4
  emit(0xc7, 0x04, 0x24, ...u32le(X87_CONTROL_WORD)); // mov dword [esp], 0x27f
  emit(0xd9, 0x2c, 0x24); // fldcw [esp]
  emit(0x83, 0xc4, 0x04); // add esp, 4
  emit(0x6a, SEL.userData); // push ss (ring 3)
  emit(0x68, ...u32le(0)); // push esp (ring 3; every call sets its own)
  emit(0x68, ...u32le(USER_EFLAGS)); // push eflags
  emit(0x6a, SEL.userCode); // push cs (ring 3)
  emit(0x68, ...u32le(p.parkEip)); // push eip
  emit(0xcf); // iretd
  return Uint8Array.from(code);
}

/**
 * Ring-0 fault stubs, one per vector: push a dummy error code where the CPU pushes none, push the
 * vector, `hlt` (which returns control to the host), then drop both and `iretd` to wherever the host
 * left the interrupted frame.
 */
export function faultStubs(): Uint8Array {
  const out = new Uint8Array(32 * FAULT_STUB_SIZE);
  for (let v = 0; v < 32; v++) {
    const stub = HAS_ERROR_CODE.has(v)
      ? [0x90, 0x90, 0x6a, v] // nop; nop; push v
      : [0x6a, 0x00, 0x6a, v]; // push 0; push v
    stub.push(0xf4); // hlt
    stub.push(0x83, 0xc4, 0x08); // add esp, 8
    stub.push(0xcf); // iretd
    while (stub.length < FAULT_STUB_SIZE) stub.push(0xcc);
    out.set(stub, v * FAULT_STUB_SIZE);
  }
  return out;
}

/** `out PORT, al` then `ud2`: a guest->host trap whose identity is its own address. */
export function trapStub(port: number): number[] {
  return [0xe6, port, 0x0f, 0x0b];
}
/** Bytes of a trap stub executed before the host sees it (EIP at the trap = stub address + this). */
export const TRAP_OUT_LENGTH = 2;

export function controlStubs(): { ret: number[]; park: number[] } {
  return { ret: trapStub(PORT.ret), park: trapStub(PORT.park) };
}

function segmentDescriptor(base: number, limit: number, access: number, flags: number): number[] {
  return [
    limit & 0xff,
    (limit >>> 8) & 0xff,
    base & 0xff,
    (base >>> 8) & 0xff,
    (base >>> 16) & 0xff,
    access,
    ((limit >>> 16) & 0x0f) | (flags << 4),
    (base >>> 24) & 0xff,
  ];
}

export const TSS_IOMAP_OFFSET = 0x68;
/** Ports 0..255 are described by the bitmap; any port above its end faults. */
const IOMAP_BYTES = 32;
export const TSS_LIMIT = TSS_IOMAP_OFFSET + IOMAP_BYTES; // includes the 0xFF terminator byte

/** The GDT, with the FS descriptor's base pointing at the current thread's TEB. */
export function gdt(tebBase: number): Uint8Array {
  const entries = [
    [0, 0, 0, 0, 0, 0, 0, 0], // 0x00 null
    segmentDescriptor(0, 0xfffff, 0x9a, 0xc), // 0x08 ring-0 code, flat
    segmentDescriptor(0, 0xfffff, 0x92, 0xc), // 0x10 ring-0 data, flat
    segmentDescriptor(0, 0xfffff, 0xfa, 0xc), // 0x18 ring-3 code, flat
    segmentDescriptor(0, 0xfffff, 0xf2, 0xc), // 0x20 ring-3 data, flat
    segmentDescriptor(SYS_TSS, TSS_LIMIT, 0x89, 0x0), // 0x28 32-bit TSS (available)
    [0, 0, 0, 0, 0, 0, 0, 0], // 0x30 unused
    tebDescriptor(tebBase), // 0x38 ring-3 data, base = TEB
  ];
  return Uint8Array.from(entries.flat());
}

export function tebDescriptor(tebBase: number): number[] {
  return segmentDescriptor(tebBase, 0xfff, 0xf2, 0x4); // byte granular, 4 KiB, as Windows does
}

/** Interrupt gates for all 256 vectors; only #BP and #OF may be raised from ring 3 (`int3`, `into`). */
export function idt(): Uint8Array {
  const out = new Uint8Array(256 * 8);
  for (let v = 0; v < 256; v++) {
    const handler = SYS_STUBS + Math.min(v, 31) * FAULT_STUB_SIZE;
    const dpl = v === 3 || v === 4 ? 3 : 0;
    const gate = [
      handler & 0xff,
      (handler >>> 8) & 0xff,
      SEL.kernelCode,
      0,
      0,
      0x8e | (dpl << 5), // present, 32-bit interrupt gate
      (handler >>> 16) & 0xff,
      (handler >>> 24) & 0xff,
    ];
    out.set(gate, v * 8);
  }
  return out;
}

export function tss(): Uint8Array {
  const out = new Uint8Array(TSS_LIMIT + 1);
  const dv = new DataView(out.buffer);
  dv.setUint32(4, SYS_STACK_TOP, true); // esp0
  dv.setUint32(8, SEL.kernelData, true); // ss0
  dv.setUint16(0x66, TSS_IOMAP_OFFSET, true); // I/O map base
  for (let i = 0; i < IOMAP_BYTES; i++) out[TSS_IOMAP_OFFSET + i] = 0xff; // all ports closed...
  for (const port of Object.values(PORT)) out[TSS_IOMAP_OFFSET + (port >> 3)]! &= ~(1 << (port & 7)); // ...but ours
  out[TSS_LIMIT] = 0xff;
  return out;
}

/** The 6-byte operand of lgdt/lidt. */
export function descriptorTableRegister(base: number, limit: number): Uint8Array {
  return Uint8Array.from([...u16le(limit), ...u32le(base)]);
}
