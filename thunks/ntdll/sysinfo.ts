// NtQuerySystemInformation: the information classes winternl.h documents, answered for the machine
// wowasm presents (one processor, the guest RAM, the guest process and its threads, the host's clock and
// CPU times). The processes listed are the System Idle Process, System and the guest process: nothing of
// the host's own processes is visible. Each class keeps the kernel's own length rules (an exact size,
// a minimum size, or at most a size), so callers that probe with a big buffer see what Windows gives them.
import type { Process } from '../process.js';
import { hostCpuTimes, processorTimes } from '../kernel32/datetime.js';
import { fileTimeFromMs, fileTimeNow, tickCount, TICKS_PER_MS } from '../kernel32/time.js';
import { fn } from '../spec.js';
import { STATUS } from './rtl.js';

export const SYSTEM_INFO_CLASS = {
  Basic: 0,
  Performance: 2,
  TimeOfDay: 3,
  Process: 5,
  ProcessorPerformance: 8,
  Interrupt: 23,
  Exception: 33,
  RegistryQuota: 37,
  Lookaside: 45,
  CodeIntegrity: 103,
} as const;

const PAGE = 0x1000;

/** How a class checks the caller's length: exactly its size, at least its size, or at most its size. */
type LengthRule = 'exact' | 'min' | 'max';

interface Answer {
  bytes: Uint8Array;
  rule: LengthRule;
}

class Writer {
  readonly bytes: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.dv = new DataView(this.bytes.buffer);
  }
  u16(at: number, v: number): this {
    this.dv.setUint16(at, v, true);
    return this;
  }
  u32(at: number, v: number): this {
    this.dv.setUint32(at, v >>> 0, true);
    return this;
  }
  u64(at: number, v: bigint): this {
    this.dv.setBigUint64(at, BigInt.asUintN(64, v), true);
    return this;
  }
}

/** The machine's boot time (FILETIME): now minus GetTickCount's uptime. */
function bootTime(): bigint {
  return fileTimeNow() - BigInt(tickCount()) * TICKS_PER_MS;
}

function committedPages(p: Process): number {
  return (p.mem.ramSize - p.mem.framesFree * PAGE) / PAGE;
}

// SYSTEM_BASIC_INFORMATION (44 bytes); only an exact length is accepted.
function basic(p: Process): Answer {
  const pages = p.mem.ramSize / PAGE;
  const w = new Writer(44);
  [0, 156_250, PAGE, pages, 1, pages, 0x1_0000, 0x1_0000, 0x7ffe_ffff, 1].forEach((v, i) => w.u32(4 * i, v));
  w.bytes[40] = 1; // NumberOfProcessors
  return { bytes: w.bytes, rule: 'exact' };
}

// SYSTEM_PERFORMANCE_INFORMATION (312 bytes on 32-bit Windows): memory and scheduling
// counters of the emulated machine; the I/O and cache-manager counters stay 0.
function performance(p: Process): Answer {
  const w = new Writer(312);
  const cpu = processorTimes();
  const pages = p.mem.ramSize / PAGE;
  const committed = committedPages(p);
  w.u64(0x00, cpu.idle); // IdleProcessTime
  w.u32(0x2c, p.mem.framesFree); // AvailablePages
  w.u32(0x30, committed); // CommittedPages
  w.u32(0x34, pages); // CommitLimit (no page file)
  w.u32(0x38, committed); // PeakCommitment
  w.u32(0x128, p.scheduler.contextSwitches); // ContextSwitches
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_TIMEOFDAY_INFORMATION (48 bytes): the kernel copies at most 48 bytes and refuses more.
function timeOfDay(p: Process): Answer {
  const w = new Writer(48);
  const bias = BigInt(p.timeZoneOption?.bias ?? 0) * 60n * 10_000_000n;
  w.u64(0, bootTime()).u64(8, fileTimeNow()).u64(16, bias).u32(24, 0).u32(28, 0).u64(32, 0n).u64(40, 0n);
  return { bytes: w.bytes, rule: 'max' };
}

const PROCESS_ENTRY = 0xb8; // SYSTEM_PROCESS_INFORMATION on 32-bit Windows
const THREAD_ENTRY = 0x40; // SYSTEM_THREAD_INFORMATION

interface ProcessEntry {
  pid: number;
  parent: number;
  name: string;
  basePriority: number;
  handles: number;
  threads: { tid: number; start: number; kernel: bigint; user: bigint; state: number }[];
  kernel: bigint;
  user: bigint;
  created: bigint;
  virtualSize: number;
  workingSet: number;
}

// SYSTEM_PROCESS_INFORMATION records, each followed by its threads and its name (UTF-16, in the buffer:
// ImageName.Buffer is a guest pointer into the caller's own buffer).
function processList(p: Process, base: number): Answer {
  const cpu = processorTimes();
  const own = hostCpuTimes();
  const created = fileTimeFromMs(p.createdAt);
  const committed = committedPages(p) * PAGE;
  const entries: ProcessEntry[] = [
    { pid: 0, parent: 0, name: '', basePriority: 0, handles: 0, threads: [{ tid: 0, start: 0, kernel: cpu.idle, user: 0n, state: 2 }], kernel: cpu.idle, user: 0n, created: 0n, virtualSize: 0, workingSet: 8 * PAGE },
    { pid: 4, parent: 0, name: 'System', basePriority: 8, handles: 0, threads: [], kernel: cpu.kernel - cpu.idle, user: 0n, created: bootTime(), virtualSize: 0x40_0000, workingSet: 36 * PAGE },
    {
      pid: p.processId,
      parent: 0,
      name: p.hostExePath.slice(p.hostExePath.lastIndexOf('\\') + 1),
      basePriority: 8,
      handles: p.handles.size,
      threads: p.threads
        .filter((t) => !p.scheduler.isFinished(t))
        .map((t) => ({ tid: t.id, start: 0, kernel: t === p.currentThread ? own.kernel : 0n, user: t === p.currentThread ? own.user : 0n, state: t === p.currentThread ? 2 : 5 })),
      kernel: own.kernel,
      user: own.user,
      created,
      virtualSize: committed,
      workingSet: committed,
    },
  ];
  const sizes = entries.map((e) => PROCESS_ENTRY + THREAD_ENTRY * e.threads.length + (e.name ? 2 * e.name.length + 2 : 0));
  const total = sizes.reduce((a, b) => a + b, 0);
  const w = new Writer(total);
  let at = 0;
  entries.forEach((e, i) => {
    const size = sizes[i]!;
    w.u32(at, i === entries.length - 1 ? 0 : size).u32(at + 4, e.threads.length);
    w.u32(at + 0x14, e.threads.length); // NumberOfThreadsHighWatermark
    w.u64(at + 0x20, e.created).u64(at + 0x28, e.user).u64(at + 0x30, e.kernel);
    const nameAt = at + PROCESS_ENTRY + THREAD_ENTRY * e.threads.length;
    if (e.name) {
      w.u16(at + 0x38, 2 * e.name.length).u16(at + 0x3a, 2 * e.name.length + 2).u32(at + 0x3c, base + nameAt);
      for (let k = 0; k < e.name.length; k++) w.u16(nameAt + 2 * k, e.name.charCodeAt(k));
    }
    w.u32(at + 0x40, e.basePriority).u32(at + 0x44, e.pid).u32(at + 0x48, e.parent).u32(at + 0x4c, e.handles);
    w.u32(at + 0x50, e.pid === 0 || e.pid === 4 ? 0 : 1); // SessionId
    w.u32(at + 0x58, e.virtualSize).u32(at + 0x5c, e.virtualSize); // PeakVirtualSize, VirtualSize
    w.u32(at + 0x64, e.workingSet).u32(at + 0x68, e.workingSet); // PeakWorkingSetSize, WorkingSetSize
    w.u32(at + 0x7c, e.virtualSize).u32(at + 0x80, e.virtualSize).u32(at + 0x84, e.virtualSize); // page file, private
    e.threads.forEach((t, k) => {
      const ta = at + PROCESS_ENTRY + THREAD_ENTRY * k;
      w.u64(ta, t.kernel).u64(ta + 8, t.user).u64(ta + 16, e.created);
      w.u32(ta + 0x1c, t.start).u32(ta + 0x20, e.pid).u32(ta + 0x24, t.tid);
      w.u32(ta + 0x28, e.basePriority).u32(ta + 0x2c, e.basePriority).u32(ta + 0x34, t.state); // priorities, state
    });
    at += size;
  });
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_PROCESSOR_PERFORMANCE_INFORMATION (48 bytes per processor).
function processorPerformance(): Answer {
  const t = processorTimes();
  const w = new Writer(48);
  w.u64(0, t.idle).u64(8, t.kernel).u64(16, t.user).u64(24, 0n).u64(32, t.interrupt).u32(40, tickCount() >>> 4);
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_INTERRUPT_INFORMATION (24 bytes per processor): context switches, DPC counts and rates.
function interrupts(p: Process): Answer {
  const w = new Writer(24);
  w.u32(0, Math.max(1, p.scheduler.threadCount)).u32(4, 0).u32(8, 4).u32(12, 0).u32(16, 0).u32(20, 0);
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_EXCEPTION_INFORMATION (16 bytes): alignment fixups, exceptions dispatched, float emulations, byte-word emulations.
function exceptions(p: Process): Answer {
  const w = new Writer(16);
  w.u32(4, p.seh.dispatchedCount);
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_REGISTRY_QUOTA_INFORMATION (12 bytes): quota allowed, quota used, paged pool size.
function registryQuota(): Answer {
  const w = new Writer(12);
  w.u32(0, 0xffff_ffff).u32(4, 0x0200_0000).u32(8, 0x0800_0000);
  return { bytes: w.bytes, rule: 'min' };
}

// SYSTEM_CODEINTEGRITY_INFORMATION (8 bytes, Length set by the caller): CODEINTEGRITY_OPTION_ENABLED.
function codeIntegrity(): Answer {
  const w = new Writer(8);
  w.u32(0, 8).u32(4, 1);
  return { bytes: w.bytes, rule: 'exact' };
}

export function NtQuerySystemInformation(p: Process, cls: number, buf: number, len: number, retLen: number): number {
  let a: Answer;
  switch (cls) {
    case SYSTEM_INFO_CLASS.Basic: a = basic(p); break;
    case SYSTEM_INFO_CLASS.Performance: a = performance(p); break;
    case SYSTEM_INFO_CLASS.TimeOfDay: a = timeOfDay(p); break;
    case SYSTEM_INFO_CLASS.Process: a = processList(p, buf); break;
    case SYSTEM_INFO_CLASS.ProcessorPerformance: a = processorPerformance(); break;
    case SYSTEM_INFO_CLASS.Interrupt: a = interrupts(p); break;
    case SYSTEM_INFO_CLASS.Exception: a = exceptions(p); break;
    case SYSTEM_INFO_CLASS.RegistryQuota: a = registryQuota(); break;
    case SYSTEM_INFO_CLASS.CodeIntegrity:
      if (len !== 8 || p.mem.u32(buf) !== 8) return STATUS.INFO_LENGTH_MISMATCH;
      a = codeIntegrity();
      break;
    default:
      return STATUS.INVALID_INFO_CLASS;
  }
  const size = a.bytes.length;
  const fits = a.rule === 'exact' ? len === size : a.rule === 'min' ? len >= size : len <= size;
  if (!fits) {
    if (retLen) p.mem.setU32(retLen, size);
    return STATUS.INFO_LENGTH_MISMATCH;
  }
  const n = a.rule === 'max' ? len : size;
  if (n) p.mem.write(buf, a.bytes.subarray(0, n));
  if (retLen) p.mem.setU32(retLen, n);
  return STATUS.SUCCESS;
}

// ---- NtPowerInformation -------------------------------------------------------------------------------

const POWER_LEVEL = { SystemBatteryState: 5, ProcessorInformation: 11, SystemPowerInformation: 12 } as const;
const STATUS_BUFFER_TOO_SMALL = 0xc000_0023;
const STATUS_NOT_SUPPORTED = 0xc000_00bb;
/** The processor's clock, as GetSystemInfo's and the registry's CPU figures give it. */
const CPU_MHZ = 1000;

/**
 * The power levels that describe the machine (a desktop on AC power without a battery, one processor
 * at its full clock); policy levels and the ones that change settings are STATUS_NOT_SUPPORTED.
 */
export function NtPowerInformation(p: Process, level: number, _in: number, _inLen: number, out: number, outLen: number): number {
  let w: Writer;
  switch (level) {
    case POWER_LEVEL.SystemBatteryState:
      w = new Writer(32); // SYSTEM_BATTERY_STATE
      w.bytes[0] = 1; // AcOnLine; no battery present, so the capacities stay 0
      break;
    case POWER_LEVEL.ProcessorInformation:
      w = new Writer(24); // PROCESSOR_POWER_INFORMATION for processor 0
      w.u32(0, 0).u32(4, CPU_MHZ).u32(8, CPU_MHZ).u32(12, CPU_MHZ).u32(16, 1).u32(20, 0);
      break;
    case POWER_LEVEL.SystemPowerInformation:
      w = new Writer(16); // SYSTEM_POWER_INFORMATION: idleness allowed, idleness, time remaining, cooling mode
      w.u32(0, 0).u32(4, 0).u32(8, 0);
      w.bytes[12] = 0; // PO_TZ_ACTIVE
      break;
    default:
      return STATUS_NOT_SUPPORTED;
  }
  if (!out || outLen < w.bytes.length) return STATUS_BUFFER_TOO_SMALL;
  p.mem.write(out, w.bytes);
  return STATUS.SUCCESS;
}

export const sysinfoApi = {
  NtQuerySystemInformation: fn('stdcall', ['long', 'ptr', 'long', 'ptr'], 'long', NtQuerySystemInformation),
  ZwQuerySystemInformation: fn('stdcall', ['long', 'ptr', 'long', 'ptr'], 'long', NtQuerySystemInformation),
  NtPowerInformation: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'long'], 'long', NtPowerInformation),
};
