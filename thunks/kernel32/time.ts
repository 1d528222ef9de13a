// Clocks and sleeping. Time is the host's real time; time zones are UTC.
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { EPOCH_DIFF_100NS } from '../vfs/fs.js';

const startedAt = performance.now();
/** Milliseconds since "boot": a fixed offset so tick counts look like a machine that has run a while. */
const BOOT_OFFSET_MS = 3_600_000;

export function tickCount(): number {
  return Math.floor(performance.now() - startedAt) + BOOT_OFFSET_MS;
}

export function GetTickCount(_p: Process): number {
  return tickCount() >>> 0;
}

export function GetTickCount64(_p: Process): bigint {
  return BigInt(tickCount());
}

export const TICKS_PER_MS = 10_000n;

/** A time in milliseconds since 1970 (Date.now(), Process.createdAt) as a FILETIME: 100 ns units since 1601-01-01 UTC. */
export function fileTimeFromMs(ms: number): bigint {
  return BigInt(ms) * TICKS_PER_MS + EPOCH_DIFF_100NS;
}

/** 100 ns units since 1601-01-01 UTC. */
export function fileTimeNow(): bigint {
  return fileTimeFromMs(Date.now());
}

export function GetSystemTimeAsFileTime(p: Process, out: number): void {
  p.mem.setU64(out, fileTimeNow());
}

export const QPC_FREQUENCY = 10_000_000n;

export function QueryPerformanceCounter(p: Process, out: number): boolean {
  p.mem.setU64(out, BigInt(Math.floor((performance.now() - startedAt + BOOT_OFFSET_MS) * 10_000)));
  return true;
}

export function QueryPerformanceFrequency(p: Process, out: number): boolean {
  p.mem.setU64(out, QPC_FREQUENCY);
  return true;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const timeApi = {
  GetSystemTimeAsFileTime: fn('stdcall', ['ptr'], 'void', GetSystemTimeAsFileTime),
  GetTickCount: fn('stdcall', [], 'long', GetTickCount),
  GetTickCount64: fn('stdcall', [], 'int64', GetTickCount64),
  QueryPerformanceCounter: fn('stdcall', ['ptr'], 'bool', QueryPerformanceCounter),
  QueryPerformanceFrequency: fn('stdcall', ['ptr'], 'bool', QueryPerformanceFrequency),
};
