// Everything wowasm knows about the inside of the v86 wasm core, in one place: the exports it calls, the
// imports it supplies, and the byte offsets of CPU state in wasm memory (v86's global_pointers.rs).
// test/emulator/v86-internals.test.ts checks each of these against the pinned v86 build, so a v86 upgrade
// that moves anything fails there, loudly, before anything else runs.

import fs from 'node:fs';
import { createRequire } from 'node:module';

/** The exact v86 version this file was written against (package.json pins it). */
export const V86_VERSION = '0.5.462';

/** Offsets into wasm memory of the CPU state v86 keeps at fixed addresses. */
export const OFF = {
  reg32: 64, // 8 x i32: eax ecx edx ebx esp ebp esi edi
  lastOpSize: 96,
  flagsChanged: 100,
  flags: 120,
  instructionPointer: 556, // linear EIP (CS base is 0 in protected mode here)
  cr: 580, // 8 x i32
  cpl: 612, // u8
  inHlt: 616, // u8 (bool)
  instructionCounter: 664, // u32
  sreg: 668, // 8 x u16: es cs ss ds fs gs tr ldtr
  segmentIsNull: 724, // 8 x u8
  segmentOffsets: 736, // 8 x i32 (segment bases)
  protectedMode: 800,
  memorySize: 812, // u32
  fpuStackEmpty: 816, // u8 bitmap
  mxcsr: 824,
  regXmm: 832, // 8 x 16 bytes
  fpuStackPtr: 1032, // u8
  fpuControlWord: 1036, // u16
  fpuStatusWord: 1040, // u16
  fpuSt: 1152, // 8 x { mantissa u64, sign_exponent u16 } at 16-byte stride
  /** One past the last byte of CPU state copied by a snapshot. */
  stateEnd: 1280,
} as const;

export const SREG = { es: 0, cs: 1, ss: 2, ds: 3, fs: 4, gs: 5, tr: 6, ldtr: 7 } as const;

/** JIT code lives in the indirect function table after this offset (v86 WASM_TABLE_OFFSET). */
export const WASM_TABLE_OFFSET = 1024;
/** Slots for JIT code (v86 WASM_TABLE_SIZE). */
export const WASM_TABLE_SIZE = 900;

/** The wasm exports wowasm calls. */
export interface V86Exports {
  memory: WebAssembly.Memory;
  rust_init(): void;
  allocate_memory(size: number): number;
  reset_cpu(): void;
  main_loop(): number;
  full_clear_tlb(): void;
  jit_dirty_cache(start: number, end: number): void;
  jit_clear_cache_js(): void;
  codegen_finalize_finished(index: number, start: number, stateFlags: number): void;
  set_jit_config(index: number, value: number): void;
  get_jit_config(index: number): number;
  get_eflags(): number;
  update_state_flags(): void;
  [name: string]: unknown;
}

/** The host functions v86.wasm imports (module "env"). */
export interface V86Imports {
  microtick(): number;
  get_rand_int(): number;
  stop_idling(): void;
  cpu_event_halt(): void;
  run_hardware_timers(acpiEnabled: number, now: number): number;
  io_port_read8(port: number): number;
  io_port_read16(port: number): number;
  io_port_read32(port: number): number;
  io_port_write8(port: number, value: number): void;
  io_port_write16(port: number, value: number): void;
  io_port_write32(port: number, value: number): void;
  mmap_read8(addr: number): number;
  mmap_read32(addr: number): number;
  mmap_write8(addr: number, value: number): void;
  mmap_write16(addr: number, value: number): void;
  mmap_write32(addr: number, value: number): void;
  mmap_write64(addr: number, v0: number, v1: number): void;
  mmap_write128(addr: number, v0: number, v1: number, v2: number, v3: number): void;
  jit_clear_func(index: number): void;
  codegen_finalize(index: number, start: number, stateFlags: number, ptr: number, len: number): void;
  console_log_from_wasm(ptr: number, len: number): void;
}

/** Exports that generated JIT modules must not import (as v86's own cpu.js filters them). */
export function jitImportsFrom(ex: V86Exports): WebAssembly.ModuleImports {
  const out: WebAssembly.ModuleImports = Object.create(null);
  out['m'] = ex.memory;
  for (const [name, value] of Object.entries(ex)) {
    if (name.startsWith('_') || name.startsWith('zstd') || name.endsWith('_js')) continue;
    out[name] = value as WebAssembly.ImportValue;
  }
  return out;
}

let compiled: WebAssembly.Module | undefined;
let wasmPathOverride: string | undefined;

/** Use a different v86.wasm file (tests of the self-check use this). Resets the compiled module. */
export function setV86WasmPath(path: string | undefined): void {
  wasmPathOverride = path;
  compiled = undefined;
}

export function v86WasmPath(): string {
  if (wasmPathOverride) return wasmPathOverride;
  const require = createRequire(import.meta.url);
  return require.resolve('v86/build/v86.wasm');
}

/** The v86 core, compiled once per thread and shared by every CPU instance in it. */
export function v86Module(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(fs.readFileSync(v86WasmPath()));
  return compiled;
}

/** Names v86.wasm imports that V86Imports does not list: must be empty for this build. */
export function unexpectedImports(mod: WebAssembly.Module): string[] {
  const known = new Set([
    '__indirect_function_table',
    'microtick',
    'get_rand_int',
    'stop_idling',
    'cpu_event_halt',
    'run_hardware_timers',
    'io_port_read8',
    'io_port_read16',
    'io_port_read32',
    'io_port_write8',
    'io_port_write16',
    'io_port_write32',
    'mmap_read8',
    'mmap_read32',
    'mmap_write8',
    'mmap_write16',
    'mmap_write32',
    'mmap_write64',
    'mmap_write128',
    'jit_clear_func',
    'codegen_finalize',
    'console_log_from_wasm',
  ]);
  return WebAssembly.Module.imports(mod)
    .filter((i) => i.module !== 'env' || !known.has(i.name))
    .map((i) => `${i.module}.${i.name}`);
}

export const REQUIRED_EXPORTS = [
  'memory',
  'rust_init',
  'allocate_memory',
  'reset_cpu',
  'main_loop',
  'full_clear_tlb',
  'jit_dirty_cache',
  'jit_clear_cache_js',
  'codegen_finalize_finished',
  'set_jit_config',
  'get_jit_config',
  'get_eflags',
  'update_state_flags',
] as const;
