// ntdll's Rtl helpers that C runtimes and libraries call directly: pointer encoding, version numbers,
// counted strings (UNICODE_STRING / ANSI_STRING), memory comparison, NTSTATUS -> Win32 error codes,
// time conversions, debugging output, and ntdll's small C runtime
// (exported by forwarding to msvcrt's implementations, which behave the same for these functions).
import { EXCEPTION } from '../../emulator/faults.js';
import { fn, forward, varargs, type Export, type VarArgs } from '../spec.js';
import type { Process } from '../process.js';
import { decodeBytes, encodeString, encodeUtf16 } from '../text.js';
import { fieldsToFileTime, fileTimeToFields } from '../kernel32/datetime.js';
import { DecodePointer, DecodeSystemPointer, EncodePointer, EncodeSystemPointer } from '../kernel32/fls.js';
import { WINDOWS_VERSION } from '../kernel32/process-info.js';
import { fileTimeNow, QueryPerformanceCounter, QueryPerformanceFrequency } from '../kernel32/time.js';
import { EPOCH_DIFF_100NS } from '../vfs/fs.js';
import { lowerChar, upperChar } from '../kernel32/collation.js';
import { formatPrintf } from '../crt/format.js';

export const STATUS = {
  SUCCESS: 0,
  BUFFER_OVERFLOW: 0x8000_0005,
  INVALID_INFO_CLASS: 0xc000_0003,
  INFO_LENGTH_MISMATCH: 0xc000_0004,
  INVALID_HANDLE: 0xc000_0008,
  INVALID_PARAMETER: 0xc000_000d,
  NO_MEMORY: 0xc000_0017,
  NAME_TOO_LONG: 0xc000_0106,
  INVALID_PARAMETER_2: 0xc000_00f0,
} as const;

// ---- versions -----------------------------------------------------------------------------------

/** RTL_OSVERSIONINFOW (276 bytes) or RTL_OSVERSIONINFOEXW (284): Windows 10 19045, a workstation. */
export function RtlGetVersion(p: Process, info: number): number {
  const size = p.mem.u32(info);
  if (size !== 276 && size !== 284) return STATUS.INVALID_PARAMETER;
  p.mem.setU32(info + 4, WINDOWS_VERSION.major);
  p.mem.setU32(info + 8, WINDOWS_VERSION.minor);
  p.mem.setU32(info + 12, WINDOWS_VERSION.build);
  p.mem.setU32(info + 16, 2); // VER_PLATFORM_WIN32_NT
  p.mem.fill(info + 20, 0, 256);
  if (size === 284) {
    p.mem.setU32(info + 276, 0); // service pack 0.0
    p.mem.setU16(info + 280, 0x100); // VER_SUITE_SINGLEUSERTS
    p.mem.setU8(info + 282, 1); // VER_NT_WORKSTATION
    p.mem.setU8(info + 283, 0);
  }
  return STATUS.SUCCESS;
}

/** The build number carries 0xF0000000, the mark of a free (retail) build. */
export function RtlGetNtVersionNumbers(p: Process, major: number, minor: number, build: number): void {
  if (major) p.mem.setU32(major, WINDOWS_VERSION.major);
  if (minor) p.mem.setU32(minor, WINDOWS_VERSION.minor);
  if (build) p.mem.setU32(build, (WINDOWS_VERSION.build | 0xf000_0000) >>> 0);
}

// ---- memory -------------------------------------------------------------------------------------

/** How many bytes from the start are equal. */
export function RtlCompareMemory(p: Process, a: number, b: number, n: number): number {
  const x = p.mem.read(a, n);
  const y = p.mem.read(b, n);
  let i = 0;
  while (i < n && x[i] === y[i]) i++;
  return i;
}

/** How many bytes from the start match the repeated ULONG (length rounded down to whole ULONGs). */
export function RtlCompareMemoryUlong(p: Process, src: number, n: number, pattern: number): number {
  let i = 0;
  while (i + 4 <= n && p.mem.u32(src + i) === pattern >>> 0) i += 4;
  return i;
}

export function RtlFillMemoryUlong(p: Process, dst: number, n: number, pattern: number): void {
  for (let i = 0; i + 4 <= n; i += 4) p.mem.setU32(dst + i, pattern);
}

// ---- counted strings ------------------------------------------------------------------------------

/** UNICODE_STRING and ANSI_STRING: USHORT Length (bytes, no NUL), USHORT MaximumLength, Buffer. */
const US = { length: 0, max: 2, buffer: 4 } as const;
const MAX_USHORT_EVEN = 0xfffe;

export function RtlInitUnicodeString(p: Process, us: number, src: number): void {
  const bytes = src ? Math.min(2 * p.mem.readWUnits(src).length, 0xfffc) : 0;
  p.mem.setU16(us + US.length, bytes);
  p.mem.setU16(us + US.max, src ? bytes + 2 : 0);
  p.mem.setU32(us + US.buffer, src);
}

export function RtlInitUnicodeStringEx(p: Process, us: number, src: number): number {
  if (src && 2 * p.mem.readWUnits(src).length > 0xfffc) return STATUS.NAME_TOO_LONG;
  RtlInitUnicodeString(p, us, src);
  return STATUS.SUCCESS;
}

export function RtlInitAnsiString(p: Process, as: number, src: number): void {
  const bytes = src ? Math.min(p.mem.readCBytes(src).length, 0xfffe) : 0;
  p.mem.setU16(as + US.length, bytes);
  p.mem.setU16(as + US.max, src ? bytes + 1 : 0);
  p.mem.setU32(as + US.buffer, src);
}

/** Frees a string RtlAnsiStringToUnicodeString (& co.) allocated, and empties it. */
export function RtlFreeString(p: Process, s: number): void {
  const buf = p.mem.u32(s + US.buffer);
  if (buf) p.heap.free(buf);
  p.mem.setU16(s + US.length, 0);
  p.mem.setU16(s + US.max, 0);
  p.mem.setU32(s + US.buffer, 0);
}

const readUnicode = (p: Process, us: number) => {
  const n = p.mem.u16(us + US.length) >>> 1;
  const buf = p.mem.u32(us + US.buffer);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(p.mem.u16(buf + 2 * i));
  return s;
};
const readAnsiString = (p: Process, as: number) => decodeBytes(p.mem.read(p.mem.u32(as + US.buffer), p.mem.u16(as + US.length)), p.ansiCodePage);

/** Stores bytes (and a NUL) in a counted string: into its buffer, or a new one from the process heap. */
function storeCounted(p: Process, dst: number, bytes: Uint8Array, nul: number, allocate: number): number {
  if (bytes.length > MAX_USHORT_EVEN) return STATUS.INVALID_PARAMETER_2;
  if (allocate) {
    const buf = p.heap.alloc(bytes.length + nul);
    if (!buf) return STATUS.NO_MEMORY;
    p.mem.setU32(dst + US.buffer, buf);
    p.mem.setU16(dst + US.max, bytes.length + nul);
  } else if (p.mem.u16(dst + US.max) < bytes.length) {
    return STATUS.BUFFER_OVERFLOW;
  }
  const buf = p.mem.u32(dst + US.buffer);
  p.mem.write(buf, bytes);
  if (p.mem.u16(dst + US.max) >= bytes.length + nul) p.mem.fill(buf + bytes.length, 0, nul);
  p.mem.setU16(dst + US.length, bytes.length);
  return STATUS.SUCCESS;
}

export function RtlAnsiStringToUnicodeString(p: Process, dst: number, src: number, allocate: number): number {
  return storeCounted(p, dst, encodeUtf16(readAnsiString(p, src)), 2, allocate & 0xff);
}

export function RtlUnicodeStringToAnsiString(p: Process, dst: number, src: number, allocate: number): number {
  return storeCounted(p, dst, encodeString(readUnicode(p, src), p.ansiCodePage).bytes, 1, allocate & 0xff);
}

export function RtlUpcaseUnicodeString(p: Process, dst: number, src: number, allocate: number): number {
  return storeCounted(p, dst, encodeUtf16(Array.from(readUnicode(p, src), upperChar).join('')), 0, allocate & 0xff);
}

export function RtlCompareUnicodeString(p: Process, a: number, b: number, caseInsensitive: number): number {
  let x = readUnicode(p, a);
  let y = readUnicode(p, b);
  if (caseInsensitive & 0xff) {
    x = Array.from(x, upperChar).join('');
    y = Array.from(y, upperChar).join('');
  }
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x.charCodeAt(i) !== y.charCodeAt(i)) return x.charCodeAt(i) - y.charCodeAt(i);
  return x.length - y.length;
}

export function RtlEqualUnicodeString(p: Process, a: number, b: number, caseInsensitive: number): boolean {
  return RtlCompareUnicodeString(p, a, b, caseInsensitive) === 0;
}

// ---- status codes -------------------------------------------------------------------------------

/** NTSTATUS -> Win32 error, for the statuses APIs commonly return. */
const STATUS_TO_ERROR = new Map<number, number>([
  [0x0000_0000, 0], // STATUS_SUCCESS
  [0x0000_0102, 258], // STATUS_TIMEOUT -> WAIT_TIMEOUT
  [0x0000_0103, 997], // STATUS_PENDING -> ERROR_IO_PENDING
  [0x8000_0002, 998], // STATUS_DATATYPE_MISALIGNMENT -> ERROR_NOACCESS
  [0x8000_0005, 234], // STATUS_BUFFER_OVERFLOW -> ERROR_MORE_DATA
  [0x8000_0006, 18], // STATUS_NO_MORE_FILES
  [0x8000_001a, 259], // STATUS_NO_MORE_ENTRIES -> ERROR_NO_MORE_ITEMS
  [0xc000_0001, 31], // STATUS_UNSUCCESSFUL -> ERROR_GEN_FAILURE
  [0xc000_0002, 1], // STATUS_NOT_IMPLEMENTED -> ERROR_INVALID_FUNCTION
  [0xc000_0003, 87], // STATUS_INVALID_INFO_CLASS -> ERROR_INVALID_PARAMETER
  [0xc000_0004, 24], // STATUS_INFO_LENGTH_MISMATCH -> ERROR_BAD_LENGTH
  [0xc000_0005, 998], // STATUS_ACCESS_VIOLATION -> ERROR_NOACCESS
  [0xc000_0008, 6], // STATUS_INVALID_HANDLE
  [0xc000_000d, 87], // STATUS_INVALID_PARAMETER
  [0xc000_000f, 2], // STATUS_NO_SUCH_FILE -> ERROR_FILE_NOT_FOUND
  [0xc000_0010, 1], // STATUS_INVALID_DEVICE_REQUEST -> ERROR_INVALID_FUNCTION
  [0xc000_0011, 38], // STATUS_END_OF_FILE -> ERROR_HANDLE_EOF
  [0xc000_0017, 8], // STATUS_NO_MEMORY -> ERROR_NOT_ENOUGH_MEMORY
  [0xc000_0022, 5], // STATUS_ACCESS_DENIED
  [0xc000_0023, 122], // STATUS_BUFFER_TOO_SMALL -> ERROR_INSUFFICIENT_BUFFER
  [0xc000_0024, 6], // STATUS_OBJECT_TYPE_MISMATCH -> ERROR_INVALID_HANDLE
  [0xc000_0033, 123], // STATUS_OBJECT_NAME_INVALID -> ERROR_INVALID_NAME
  [0xc000_0034, 2], // STATUS_OBJECT_NAME_NOT_FOUND -> ERROR_FILE_NOT_FOUND
  [0xc000_0035, 183], // STATUS_OBJECT_NAME_COLLISION -> ERROR_ALREADY_EXISTS
  [0xc000_0039, 161], // STATUS_OBJECT_PATH_INVALID -> ERROR_BAD_PATHNAME
  [0xc000_003a, 3], // STATUS_OBJECT_PATH_NOT_FOUND -> ERROR_PATH_NOT_FOUND
  [0xc000_0043, 32], // STATUS_SHARING_VIOLATION
  [0xc000_0061, 1314], // STATUS_PRIVILEGE_NOT_HELD
  [0xc000_007f, 112], // STATUS_DISK_FULL
  [0xc000_009a, 1450], // STATUS_INSUFFICIENT_RESOURCES -> ERROR_NO_SYSTEM_RESOURCES
  [0xc000_00ba, 5], // STATUS_FILE_IS_A_DIRECTORY -> ERROR_ACCESS_DENIED
  [0xc000_00bb, 50], // STATUS_NOT_SUPPORTED
  [0xc000_00f0, 87], // STATUS_INVALID_PARAMETER_2
  [0xc000_0101, 145], // STATUS_DIRECTORY_NOT_EMPTY -> ERROR_DIR_NOT_EMPTY
  [0xc000_0103, 267], // STATUS_NOT_A_DIRECTORY -> ERROR_DIRECTORY
  [0xc000_0106, 206], // STATUS_NAME_TOO_LONG -> ERROR_FILENAME_EXCED_RANGE
  [0xc000_0120, 995], // STATUS_CANCELLED -> ERROR_OPERATION_ABORTED
  [0xc000_0135, 126], // STATUS_DLL_NOT_FOUND -> ERROR_MOD_NOT_FOUND
  [0xc000_0139, 127], // STATUS_ENTRYPOINT_NOT_FOUND -> ERROR_PROC_NOT_FOUND
  [0xc000_0142, 1114], // STATUS_DLL_INIT_FAILED
  [0xc000_0225, 1168], // STATUS_NOT_FOUND -> ERROR_NOT_FOUND
]);

/** Unknown statuses give ERROR_MR_MID_NOT_FOUND; NTSTATUS_FROM_WIN32 (0xC007xxxx) gives the Win32 code back. */
export function RtlNtStatusToDosError(_p: Process, status: number): number {
  const s = status >>> 0;
  const known = STATUS_TO_ERROR.get(s);
  if (known !== undefined) return known;
  if ((s & 0xffff_0000) >>> 0 === 0xc007_0000) return s & 0xffff;
  return 317;
}

export function RtlSetLastWin32ErrorAndNtStatusFromNtStatus(p: Process, status: number): void {
  p.setLastError(RtlNtStatusToDosError(p, status));
}

export function NtClose(p: Process, h: number): number {
  return p.handles.close(h) ? STATUS.SUCCESS : STATUS.INVALID_HANDLE;
}

// ---- time -------------------------------------------------------------------------------------------

export function NtQuerySystemTime(p: Process, out: number): number {
  p.mem.setU64(out, fileTimeNow());
  return STATUS.SUCCESS;
}

/** FALSE for times before 1970 or after 2106 (what a ULONG of seconds can hold). */
export function RtlTimeToSecondsSince1970(p: Process, time: number, out: number): boolean {
  const secs = (p.mem.u64(time) - EPOCH_DIFF_100NS) / 10_000_000n;
  if (p.mem.u64(time) < EPOCH_DIFF_100NS || secs > 0xffff_ffffn) return false;
  p.mem.setU32(out, Number(secs));
  return true;
}

export function RtlSecondsSince1970ToTime(p: Process, secs: number, out: number): void {
  p.mem.setU64(out, BigInt(secs >>> 0) * 10_000_000n + EPOCH_DIFF_100NS);
}

/** TIME_FIELDS: CSHORT Year, Month, Day, Hour, Minute, Second, Milliseconds, Weekday. */
export function RtlTimeToTimeFields(p: Process, time: number, out: number): void {
  const t = fileTimeToFields(BigInt.asUintN(63, p.mem.u64(time)))!;
  [t.year, t.month, t.day, t.hour, t.minute, t.second, t.milliseconds, t.dayOfWeek].forEach((v, i) => p.mem.setU16(out + 2 * i, v));
}

export function RtlTimeFieldsToTime(p: Process, fields: number, out: number): boolean {
  const u = (i: number) => p.mem.u16(fields + 2 * i);
  const v = fieldsToFileTime({ year: u(0), month: u(1), day: u(2), hour: u(3), minute: u(4), second: u(5), milliseconds: u(6), dayOfWeek: 0 });
  if (v === undefined) return false;
  p.mem.setU64(out, v);
  return true;
}

// ---- debugging ----------------------------------------------------------------------------------------

/** DbgPrint: no debugger listens; the text shows in the API trace when tracing is on. */
export function DbgPrint(p: Process, format: number, va: VarArgs): number {
  if (p.tracing && format) {
    const text = formatPrintf(decodeBytes(p.mem.readCBytes(format), p.ansiCodePage), va, { str: (a) => decodeBytes(p.mem.readCBytes(a), p.ansiCodePage), wstr: (a) => String.fromCharCode(...p.mem.readWUnits(a)), storeCount: () => {} }, { flavour: 'msvcrt', wide: false });
    p.trace('DbgPrint', [text], undefined, 'void');
  }
  return STATUS.SUCCESS;
}

export function DbgBreakPoint(p: Process): void {
  p.raiseException(EXCEPTION.BREAKPOINT, 'breakpoint (DbgBreakPoint)');
}

/** ntdll's C runtime functions, forwarded to msvcrt's (same behaviour for these). */
const CRT_FORWARDS = [
  'memcpy', 'memmove', 'memset', 'memcmp', 'memchr', 'strlen', 'strnlen', 'strcmp', 'strncmp', 'strcpy', 'strncpy', 'strcat', 'strncat', 'strchr', 'strrchr',
  'strstr', 'strspn', 'strcspn', 'strpbrk', '_stricmp', '_strnicmp', '_strlwr', '_strupr', '_strcmpi', '_memicmp', 'wcslen', 'wcsnlen', 'wcscmp', 'wcsncmp',
  'wcscpy', 'wcsncpy', 'wcscat', 'wcsncat', 'wcschr', 'wcsrchr', 'wcsstr', 'wcsspn', 'wcscspn', 'wcspbrk', '_wcsicmp', '_wcsnicmp', '_wcslwr', '_wcsupr',
  'towlower', 'towupper', 'tolower', 'toupper', 'isalpha', 'isdigit', 'isspace', 'isxdigit', 'isupper', 'islower', 'isalnum', 'isprint', 'ispunct', 'iscntrl',
  'isgraph', 'iswalpha', 'iswdigit', 'iswspace', 'iswxdigit', 'iswctype', 'atoi', 'atol', '_atoi64', 'strtol', 'strtoul', 'wcstol', 'wcstoul', '_itoa', '_ltoa',
  '_ultoa', '_i64toa', '_ui64toa', '_itow', '_ltow', '_ultow', '_i64tow', '_ui64tow', 'sprintf', '_snprintf', '_vsnprintf', 'vsprintf', 'swprintf', '_snwprintf',
  '_vsnwprintf', 'sscanf', 'qsort', 'bsearch', 'abs', 'labs', 'mbstowcs', 'wcstombs', 'ceil', 'floor', 'sqrt', 'sin', 'cos', 'tan', 'atan', 'log', 'pow', 'fabs',
];

/** ntdll exports of this area (the DLL table is their union, see thunks/ntdll.ts). */
export const rtlApi: Record<string, Export> = {
  ...Object.fromEntries(CRT_FORWARDS.map((n) => [n, forward(`msvcrt.${n}`)])),
  DbgBreakPoint: fn('stdcall', [], 'void', DbgBreakPoint),
  DbgPrint: varargs(['ptr'], 'long', DbgPrint),
  NtClose: fn('stdcall', ['long'], 'long', NtClose),
  NtQuerySystemTime: fn('stdcall', ['ptr'], 'long', NtQuerySystemTime),
  RtlAnsiStringToUnicodeString: fn('stdcall', ['ptr', 'ptr', 'long'], 'long', RtlAnsiStringToUnicodeString),
  RtlCompareMemory: fn('stdcall', ['ptr', 'ptr', 'long'], 'long', RtlCompareMemory),
  RtlCompareMemoryUlong: fn('stdcall', ['ptr', 'long', 'long'], 'long', RtlCompareMemoryUlong),
  RtlCompareUnicodeString: fn('stdcall', ['ptr', 'ptr', 'long'], 'int', RtlCompareUnicodeString),
  RtlDecodePointer: fn('stdcall', ['ptr'], 'ptr', DecodePointer),
  RtlDecodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', DecodeSystemPointer),
  RtlDowncaseUnicodeChar: fn('stdcall', ['long'], 'long', (_p, c) => lowerChar(String.fromCharCode(c & 0xffff)).charCodeAt(0)),
  RtlEncodePointer: fn('stdcall', ['ptr'], 'ptr', EncodePointer),
  RtlEncodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', EncodeSystemPointer),
  RtlEqualUnicodeString: fn('stdcall', ['ptr', 'ptr', 'long'], 'bool', RtlEqualUnicodeString),
  RtlFillMemoryUlong: fn('stdcall', ['ptr', 'long', 'long'], 'void', RtlFillMemoryUlong),
  RtlFreeAnsiString: fn('stdcall', ['ptr'], 'void', RtlFreeString),
  RtlFreeUnicodeString: fn('stdcall', ['ptr'], 'void', RtlFreeString),
  RtlGetCurrentPeb: fn('stdcall', [], 'ptr', (p) => p.peb),
  RtlGetNtGlobalFlags: fn('stdcall', [], 'long', (_p) => 0),
  RtlGetNtVersionNumbers: fn('stdcall', ['ptr', 'ptr', 'ptr'], 'void', RtlGetNtVersionNumbers),
  RtlGetVersion: fn('stdcall', ['ptr'], 'long', RtlGetVersion),
  RtlInitAnsiString: fn('stdcall', ['ptr', 'ptr'], 'void', RtlInitAnsiString),
  RtlInitString: fn('stdcall', ['ptr', 'ptr'], 'void', RtlInitAnsiString),
  RtlInitUnicodeString: fn('stdcall', ['ptr', 'ptr'], 'void', RtlInitUnicodeString),
  RtlInitUnicodeStringEx: fn('stdcall', ['ptr', 'ptr'], 'long', RtlInitUnicodeStringEx),
  RtlNtStatusToDosError: fn('stdcall', ['long'], 'long', RtlNtStatusToDosError),
  RtlNtStatusToDosErrorNoTeb: fn('stdcall', ['long'], 'long', RtlNtStatusToDosError),
  RtlQueryPerformanceCounter: fn('stdcall', ['ptr'], 'bool', QueryPerformanceCounter),
  RtlQueryPerformanceFrequency: fn('stdcall', ['ptr'], 'bool', QueryPerformanceFrequency),
  RtlSecondsSince1970ToTime: fn('stdcall', ['long', 'ptr'], 'void', RtlSecondsSince1970ToTime),
  RtlSetLastWin32ErrorAndNtStatusFromNtStatus: fn('stdcall', ['long'], 'void', RtlSetLastWin32ErrorAndNtStatusFromNtStatus),
  RtlTimeFieldsToTime: fn('stdcall', ['ptr', 'ptr'], 'bool', RtlTimeFieldsToTime),
  RtlTimeToSecondsSince1970: fn('stdcall', ['ptr', 'ptr'], 'bool', RtlTimeToSecondsSince1970),
  RtlTimeToTimeFields: fn('stdcall', ['ptr', 'ptr'], 'void', RtlTimeToTimeFields),
  RtlUnicodeStringToAnsiString: fn('stdcall', ['ptr', 'ptr', 'long'], 'long', RtlUnicodeStringToAnsiString),
  RtlUpcaseUnicodeChar: fn('stdcall', ['long'], 'long', (_p, c) => upperChar(String.fromCharCode(c & 0xffff)).charCodeAt(0)),
  RtlUpcaseUnicodeString: fn('stdcall', ['ptr', 'ptr', 'long'], 'long', RtlUpcaseUnicodeString),
};
