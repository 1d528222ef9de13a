// Fixed addresses of the emulated machine. The guest sees a 32-bit Windows-like address space: user
// space below 0x80000000, the NULL page range never mapped, and the structures only the CPU itself reads
// (GDT, IDT, TSS, ring-0 stubs and stack) in supervisor-only pages at the top of the address space.

export const PAGE_SIZE = 0x1000;
export const PAGE_SHIFT = 12;
export const PAGE_COUNT = 0x100000; // 4 GiB / 4 KiB

/** Lowest address a guest allocation may use: 0..0xFFFF stays unmapped so NULL dereferences fault. */
export const USER_MIN = 0x0001_0000;
/** One past the highest user address (0x7FFF0000..0x7FFFFFFF is a no-access gap, as on Windows). */
export const USER_END = 0x7fff_0000;

/** Guest->host trap stubs: one `out` instruction each, read+execute for the guest. */
export const TRAP_BASE = 0x7ff0_0000;
export const TRAP_STUB_SIZE = 4;
export const TRAP_REGION_SIZE = 0x4_0000; // 64k stubs
export const TRAP_MAX = TRAP_REGION_SIZE / TRAP_STUB_SIZE - 16; // the last 64 bytes hold the control stubs

/** Control stubs at the end of the trap region. */
export const RETURN_STUB = TRAP_BASE + TRAP_REGION_SIZE - 64; // host->guest calls return here
export const PARK_STUB = TRAP_BASE + TRAP_REGION_SIZE - 48; // where an idle or aborted CPU rests

/** Supervisor-only system area (guest ring 3 cannot touch it). */
export const SYS_GDT = 0xffff_0000;
export const SYS_IDT = 0xffff_1000;
export const SYS_TSS = 0xffff_2000;
export const SYS_STUBS = 0xffff_3000; // ring-0 fault stubs, 16 bytes per vector
export const SYS_STACK_BASE = 0xffff_8000;
export const SYS_STACK_TOP = 0xffff_c000;

/** Physical addresses used only while booting (identity-mapped, released afterwards). */
export const BOOT_CODE = 0x7000;
export const BOOT_DATA = 0x7800;
export const RESET_VECTOR = 0xffff0;

/** Physical frames the v86 core treats as device memory (VGA window); never handed out. */
export const MMIO_FIRST_FRAME = 0xa0;
export const MMIO_END_FRAME = 0xc0;

/** GDT selectors, the values 32-bit Windows uses. */
export const SEL = {
  kernelCode: 0x08,
  kernelData: 0x10,
  userCode: 0x1b,
  userData: 0x23,
  tss: 0x28,
  teb: 0x3b,
} as const;

/** I/O ports the TSS permission bitmap opens to ring 3; any other port faults (#GP). */
export const PORT = {
  trap: 0xe1,
  ret: 0xe2,
  park: 0xe3,
} as const;
