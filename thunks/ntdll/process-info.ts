// NtQueryInformationProcess for the guest's own process: the classes winternl.h documents plus the
// ones libraries commonly read (times, handle count, memory counters, debugger probes). A 32-bit
// process on 32-bit Windows: no WOW64, no debugger attached.
import { CURRENT_PROCESS, type KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { fn } from '../spec.js';
import { hostCpuTimes } from '../kernel32/datetime.js';
import { fileTimeFromMs } from '../kernel32/time.js';
import { STATUS } from './rtl.js';

const STATUS_OBJECT_TYPE_MISMATCH = 0xc000_0024;
const STATUS_PORT_NOT_SET = 0xc000_0353;
const STATUS_PENDING = 0x103; // ExitStatus of a running process

export const PROCESS_INFO_CLASS = {
  Basic: 0,
  VmCounters: 3,
  Times: 4,
  DebugPort: 7,
  HandleCount: 20,
  Wow64: 26,
  ImageFileName: 27,
  BreakOnTermination: 29,
  DebugObjectHandle: 30,
  DebugFlags: 31,
} as const;

/** Where the host EXE's volume appears in NT paths. */
const SYSTEM_VOLUME = '\\Device\\HarddiskVolume1';

function words(values: readonly number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setUint32(4 * i, v >>> 0, true));
  return out;
}

function quads(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(8 * values.length);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => dv.setBigUint64(8 * i, v, true));
  return out;
}

/** VM_COUNTERS (44 bytes) or VM_COUNTERS_EX (48, with PrivateUsage) from the committed guest memory. */
function vmCounters(p: Process, size: number): Uint8Array {
  const used = p.mem.ramSize - p.mem.framesFree * 0x1000;
  const fields = [used, used, 0, used, used, 0, 0, 0, 0, used, used];
  if (size === 48) fields.push(used);
  return words(fields);
}

function imageFileName(p: Process, buf: number): Uint8Array {
  const path = SYSTEM_VOLUME + p.hostExePath.slice(2); // C:\wowasm\host.exe -> \Device\HarddiskVolume1\wowasm\host.exe
  const out = new Uint8Array(8 + 2 * path.length + 2);
  const dv = new DataView(out.buffer);
  dv.setUint16(0, 2 * path.length, true);
  dv.setUint16(2, 2 * path.length + 2, true);
  dv.setUint32(4, buf + 8, true); // Buffer: right after the UNICODE_STRING, in the caller's buffer
  for (let i = 0; i < path.length; i++) dv.setUint16(8 + 2 * i, path.charCodeAt(i), true);
  return out;
}

export function NtQueryInformationProcess(p: Process, h: number, cls: number, buf: number, len: number, retLen: number): number {
  if (h !== CURRENT_PROCESS) {
    const o = p.handles.get<KernelObject>(h);
    if (!o) return STATUS.INVALID_HANDLE;
    if (o.type !== 'process') return STATUS_OBJECT_TYPE_MISMATCH;
  }
  let data: Uint8Array;
  let exact = true;
  let status: number = STATUS.SUCCESS;
  switch (cls) {
    case PROCESS_INFO_CLASS.Basic:
      // PROCESS_BASIC_INFORMATION: ExitStatus, PebBaseAddress, AffinityMask, BasePriority, pid, parent pid.
      data = words([STATUS_PENDING, p.peb, 1, 8, p.processId, 0]);
      break;
    case PROCESS_INFO_CLASS.VmCounters:
      if (len !== 44 && len !== 48) return mismatch(p, retLen, 44);
      data = vmCounters(p, len);
      break;
    case PROCESS_INFO_CLASS.Times: {
      // KERNEL_USER_TIMES: creation, exit (none yet), kernel and user time of the host's thread.
      const t = hostCpuTimes();
      data = quads([fileTimeFromMs(p.createdAt), 0n, t.kernel, t.user]);
      break;
    }
    case PROCESS_INFO_CLASS.DebugPort:
    case PROCESS_INFO_CLASS.Wow64:
    case PROCESS_INFO_CLASS.BreakOnTermination:
      data = words([0]);
      break;
    case PROCESS_INFO_CLASS.HandleCount:
      data = words([p.handles.size]);
      break;
    case PROCESS_INFO_CLASS.DebugFlags:
      data = words([1]); // PROCESS_DEBUG_INHERIT: no debugger
      break;
    case PROCESS_INFO_CLASS.DebugObjectHandle:
      data = words([0]);
      status = STATUS_PORT_NOT_SET;
      break;
    case PROCESS_INFO_CLASS.ImageFileName:
      data = imageFileName(p, buf);
      exact = false;
      break;
    default:
      return STATUS.INVALID_INFO_CLASS;
  }
  if (exact ? len !== data.length : len < data.length) return mismatch(p, retLen, data.length);
  p.mem.write(buf, data);
  if (retLen) p.mem.setU32(retLen, data.length);
  return status;
}

function mismatch(p: Process, retLen: number, size: number): number {
  if (retLen) p.mem.setU32(retLen, size);
  return STATUS.INFO_LENGTH_MISMATCH;
}

export const processInfoApi = {
  NtQueryInformationProcess: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr'], 'long', NtQueryInformationProcess),
  ZwQueryInformationProcess: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr'], 'long', NtQueryInformationProcess),
};
