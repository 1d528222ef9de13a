// Error texts and error modes: FormatMessageA/W (system messages, ntdll's NTSTATUS texts, a module's
// RT_MESSAGETABLE, or a caller's string, with %1..%99 inserts and printf-style !format! specs) and
// SetErrorMode & co.
import { GuestMemoryError, WowasmError } from '../../emulator/errors.js';
import { ResourceDirectory, RT } from '../../loader/resources.js';
import { formatPrintf, type ArgSource, type FormatHost } from '../crt/format.js';
import { fn } from '../spec.js';
import { stateKey, type ModuleRef, type Process } from '../process.js';
import { decodeBytes, encodeString, encodeUtf16, readAnsi, readWide } from '../text.js';
import { ERROR } from '../win32.js';
import { MemAlloc } from './global.js';
import { ntstatusMessage, systemMessage } from './messages.js';

export const FORMAT_MESSAGE = {
  ALLOCATE_BUFFER: 0x100,
  IGNORE_INSERTS: 0x200,
  FROM_STRING: 0x400,
  FROM_HMODULE: 0x800,
  FROM_SYSTEM: 0x1000,
  ARGUMENT_ARRAY: 0x2000,
  MAX_WIDTH_MASK: 0xff,
} as const;

const ERROR_MR_MID_NOT_FOUND = 317;
const ERROR_RESOURCE_TYPE_NOT_FOUND = 1813;
const ERROR_RESOURCE_LANG_NOT_FOUND = 15100;

/** Where a message template comes from, and what went wrong when there is none. */
type Template = { text: string } | { error: number };

/** Languages the system messages exist in: neutral, the user/system defaults, English (US or neutral). */
function systemLanguageOk(lang: number): boolean {
  const primary = lang & 0x3ff;
  return lang === 0 || lang === 0x400 || lang === 0x800 || primary === 0x09;
}

function moduleTemplate(p: Process, hModule: number, id: number, lang: number): Template {
  const m: ModuleRef | undefined = hModule === 0 ? undefined : p.modules.byBase(hModule);
  if (m?.kind === 'builtin') {
    // ntdll.dll holds the NTSTATUS texts, kernel32/kernelbase the system messages; the others none.
    const name = m.name.toLowerCase();
    const table = name === 'ntdll.dll' ? ntstatusMessage : name === 'kernel32.dll' || name === 'kernelbase.dll' ? systemMessage : undefined;
    if (!table) return { error: ERROR_RESOURCE_TYPE_NOT_FOUND };
    const text = table(id);
    return text === undefined ? { error: ERROR_MR_MID_NOT_FOUND } : { text };
  }
  if (!m || m.kind !== 'pe') return { error: ERROR_RESOURCE_TYPE_NOT_FOUND }; // the host EXE (NULL) has no message table
  const res = resources(p, m);
  const e = res?.find(RT.MESSAGETABLE, 1, lang || undefined);
  if (!res || !e) return { error: ERROR_RESOURCE_TYPE_NOT_FOUND };
  if (lang && e.language !== lang && !systemLanguageOk(lang)) return { error: ERROR_RESOURCE_LANG_NOT_FOUND };
  const text = messageTableEntry(p, res.data(e), id);
  return text === undefined ? { error: ERROR_MR_MID_NOT_FOUND } : { text };
}

const resourceCache = new WeakMap<ModuleRef, ResourceDirectory | null>();

/** The resource tree of an image, read through its headers in guest memory (null: none, or damaged). */
function resources(p: Process, m: ModuleRef): ResourceDirectory | null {
  let r = resourceCache.get(m);
  if (r !== undefined) return r;
  r = null;
  try {
    const mem = p.mem;
    const opt = m.base + mem.u32(m.base + 0x3c) + 24;
    const sizeOfImage = mem.u32(opt + 56);
    if (mem.u32(opt + 92) > 2) {
      const dir = { rva: mem.u32(opt + 96 + 16), size: mem.u32(opt + 100 + 16) };
      const reader = {
        bytes: (rva: number, length: number) => {
          if (rva + length > sizeOfImage) throw new WowasmError('WOWASM_BAD_PE', `${m.name}: resource data outside the image`);
          return mem.read(m.base + rva, length);
        },
      };
      r = new ResourceDirectory(reader, dir, m.name);
    }
  } catch (e) {
    if (!(e instanceof WowasmError || e instanceof GuestMemoryError)) throw e;
  }
  resourceCache.set(m, r);
  return r;
}

/**
 * MESSAGE_RESOURCE_DATA: NumberOfBlocks, then blocks { LowId, HighId, OffsetToEntries }; the entries of a
 * block follow one another: { u16 Length (with this header), u16 Flags (1: UTF-16), text padded with NULs }.
 */
export function messageTableEntry(p: Process, data: Uint8Array, id: number): string | undefined {
  const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u32 = (o: number) => (o + 4 <= data.length ? dv.getUint32(o, true) : undefined);
  const blocks = u32(0) ?? 0;
  for (let b = 0; b < blocks; b++) {
    const low = u32(4 + 12 * b);
    const high = u32(8 + 12 * b);
    let at = u32(12 + 12 * b);
    if (low === undefined || high === undefined || at === undefined) return undefined;
    if (id < low || id > high) continue;
    for (let n = low; at + 4 <= data.length; n++) {
      const length = dv.getUint16(at, true);
      const unicode = (dv.getUint16(at + 2, true) & 1) !== 0;
      if (length < 4) return undefined;
      if (n === id) {
        const body = data.subarray(at + 4, Math.min(at + length, data.length));
        let text: string;
        if (unicode) {
          text = '';
          for (let i = 0; i + 1 < body.length; i += 2) text += String.fromCharCode(body[i]! | (body[i + 1]! << 8));
        } else text = decodeBytes(body, p.ansiCodePage);
        const nul = text.indexOf('\0');
        return nul < 0 ? text : text.slice(0, nul);
      }
      at += length;
    }
    return undefined;
  }
  return undefined;
}

interface RenderOptions {
  ignoreInserts: boolean;
  /** 0: line breaks kept; 0xFF: the template's line breaks become spaces; 1-254: also wrapped at this width. */
  maxWidth: number;
  wide: boolean;
  /** Insert arguments: the 32-bit value of slot `index` (1-based); undefined when there are none. */
  arg: ((index: number) => number) | undefined;
}

export type Rendered = { text: string; slotsUsed: number } | { error: number };

// Stand-ins for %n and %r until lines are wrapped (private-use characters).
const HARD_BREAK = '\ue000';
const CARRIAGE_RETURN = '\ue001';

/**
 * Formats a message template as FormatMessage does:
 * - `%1`..`%99` inserts, `!spec!` a printf conversion (default `s`). A `*` width or precision takes the
 *   argument of the insert's number, the following ones come after the highest argument used so far.
 * - `%n` a line break, `%r` a bare CR, `%t` a tab, `%0` ends the message (no final line break), `%x`
 *   for any other character x is x.
 * - With IGNORE_INSERTS only `%n`, `%r`, `%t` and `%0` are processed; everything else is copied.
 * - The template's own line breaks (LF, CR, CR LF) become CR LF, or a space when a width is given.
 */
export function renderMessage(template: string, o: RenderOptions, host: FormatHost): Rendered {
  let out = '';
  let last = 0; // the highest argument slot read
  const t = template;
  for (let i = 0; i < t.length; ) {
    const c = t[i]!;
    if (c === '%') {
      const next = t[i + 1];
      if (next === undefined) return { error: ERROR.INVALID_PARAMETER };
      if (next === '0') break;
      if (next === 'n' || next === 'r' || next === 't') {
        out += next === 'n' ? HARD_BREAK : next === 'r' ? CARRIAGE_RETURN : '\t';
        i += 2;
        continue;
      }
      if (next >= '1' && next <= '9') {
        let j = i + 2;
        if (t[j] !== undefined && t[j]! >= '0' && t[j]! <= '9') j++;
        const n = Number(t.slice(i + 1, j));
        let spec = 's';
        if (t[j] === '!') {
          const close = t.indexOf('!', j + 1);
          if (close < 0) return { error: ERROR.INVALID_PARAMETER };
          spec = t.slice(j + 1, close);
          j = close + 1;
        }
        if (o.ignoreInserts) out += t.slice(i, j);
        else {
          const arg = o.arg;
          if (!arg) return { error: ERROR.INVALID_PARAMETER };
          let first = true;
          const slot = () => {
            const k = first ? n : last + 1;
            first = false;
            last = Math.max(last, k);
            return arg(k);
          };
          const source: ArgSource = {
            u32: slot,
            u64: () => {
              const lo = slot();
              return (BigInt(slot()) << 32n) | BigInt(lo);
            },
            f64: () => {
              const lo = slot();
              const dv = new DataView(new ArrayBuffer(8));
              dv.setUint32(0, lo, true);
              dv.setUint32(4, slot(), true);
              return dv.getFloat64(0, true);
            },
          };
          out += formatPrintf('%' + spec, source, host, { flavour: 'msvcrt', wide: o.wide });
        }
        i = j;
        continue;
      }
      out += o.ignoreInserts ? '%' + next : next;
      i += 2;
      continue;
    }
    if (c === '\r' || c === '\n') {
      out += o.maxWidth === 0 ? '\r\n' : ' ';
      i += c === '\r' && t[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    out += c;
    i++;
  }
  return { text: wrap(out, o.maxWidth), slotsUsed: last };
}

/**
 * Wraps at `width` (1-254) as Windows does: a word goes to the next line unless it ends before the
 * width (strictly), a word longer than a line is cut, spaces that reach the width end the line, and
 * the spaces at the end of a wrapped line are dropped. `%n` and `%r` start a new line.
 */
function wrap(text: string, width: number): string {
  if (width === 0 || width === FORMAT_MESSAGE.MAX_WIDTH_MASK) return text.replaceAll(HARD_BREAK, '\r\n').replaceAll(CARRIAGE_RETURN, '\r');
  let out = '';
  let lineStart = 0;
  let col = 0;
  const newLine = () => {
    let end = out.length;
    while (end > lineStart && out[end - 1] === ' ') end--;
    out = out.slice(0, end) + '\r\n';
    lineStart = out.length;
    col = 0;
  };
  for (const run of text.match(/ +|\ue000|\ue001|[^ \ue000\ue001]+/g) ?? []) {
    if (run === HARD_BREAK) {
      out += '\r\n';
      lineStart = out.length;
      col = 0;
    } else if (run === CARRIAGE_RETURN) {
      out += '\r';
      lineStart = out.length;
      col = 0;
    } else if (run[0] === ' ') {
      for (let k = 0; k < run.length; k++) {
        out += ' ';
        if (++col >= width) newLine();
      }
    } else {
      if (col > 0 && col + run.length >= width) newLine();
      for (const ch of run) {
        out += ch;
        if (++col >= width) newLine();
      }
    }
  }
  return out;
}

const ERROR_NO_WORK_DONE = 235;
/** FormatMessageA refuses results of this many characters or more. */
const ANSI_LIMIT = 32767;

export function FormatMessage(p: Process, wide: boolean, flags: number, source: number, id: number, lang: number, buffer: number, size: number, args: number): number {
  const F = FORMAT_MESSAGE;
  if (!buffer) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  let template: Template;
  if (flags & F.FROM_STRING) {
    const s = source ? (wide ? readWide(p.mem, source) : readAnsi(p.mem, source, p.ansiCodePage)) : null;
    template = s === null ? { error: ERROR.INVALID_PARAMETER } : { text: s };
  } else if (flags & (F.FROM_HMODULE | F.FROM_SYSTEM)) {
    template = { error: ERROR_MR_MID_NOT_FOUND };
    if (flags & F.FROM_HMODULE) template = moduleTemplate(p, source, id, lang);
    if ('error' in template && flags & F.FROM_SYSTEM) {
      if (!systemLanguageOk(lang)) template = { error: ERROR_RESOURCE_LANG_NOT_FOUND };
      else {
        const text = systemMessage(id);
        template = text === undefined ? { error: ERROR_MR_MID_NOT_FOUND } : { text };
      }
    }
  } else template = { error: ERROR.INVALID_PARAMETER };
  if ('error' in template) {
    p.setLastError(template.error);
    return 0;
  }

  // Arguments: an array of 32-bit values, or a va_list * (whose va_list moves past what was used).
  const vaList = args !== 0 && !(flags & F.ARGUMENT_ARRAY);
  let list: number | undefined; // read only when an insert needs it
  const slotBase = () => (list ??= vaList ? p.mem.u32(args) : args);
  const host: FormatHost = {
    str: (a) => readAnsi(p.mem, a, p.ansiCodePage),
    wstr: (a) => readWide(p.mem, a),
    storeCount: () => {}, // %n inside an insert's format stores nothing
  };
  const r = renderMessage(
    template.text,
    { ignoreInserts: (flags & F.IGNORE_INSERTS) !== 0, maxWidth: flags & F.MAX_WIDTH_MASK, wide, arg: args ? (k) => p.mem.u32(slotBase() + 4 * (k - 1)) : undefined },
    host,
  );
  if ('error' in r) {
    p.setLastError(r.error);
    return 0;
  }
  if (vaList && r.slotsUsed > 0) p.mem.setU32(args, slotBase() + 4 * r.slotsUsed);

  const bytes = wide ? encodeUtf16(r.text) : encodeString(r.text, p.ansiCodePage).bytes;
  const unit = wide ? 2 : 1;
  const length = bytes.length / unit;
  const terminate = (at: number) => (wide ? p.mem.setU16(at, 0) : p.mem.setU8(at, 0));
  if (!wide && length >= ANSI_LIMIT) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return 0;
  }
  if (length === 0) {
    // Nothing to return: FormatMessageW still stores an empty string.
    if (wide && !(flags & F.ALLOCATE_BUFFER) && size > 0) terminate(buffer);
    p.setLastError(ERROR_NO_WORK_DONE);
    return 0;
  }
  let dst = buffer;
  if (flags & F.ALLOCATE_BUFFER) {
    dst = MemAlloc(p, 'local', 0, Math.max(size, length + 1) * unit);
    if (!dst) {
      p.setLastError(ERROR.NOT_ENOUGH_MEMORY);
      return 0;
    }
    p.mem.setU32(buffer, dst);
  } else if (length + 1 > size) {
    // FormatMessageW stores what fits (NUL-terminated); FormatMessageA leaves the buffer alone.
    if (wide && size > 0) {
      p.mem.write(dst, bytes.subarray(0, 2 * (size - 1)));
      terminate(dst + 2 * (size - 1));
    }
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return 0;
  }
  p.mem.write(dst, bytes);
  terminate(dst + bytes.length);
  return length;
}

// ---- error modes -------------------------------------------------------------------------------

const SEM = { FAILCRITICALERRORS: 0x1, NOGPFAULTERRORBOX: 0x2, NOALIGNMENTFAULTEXCEPT: 0x4, NOOPENFILEERRORBOX: 0x8000 } as const;
const errorModes = stateKey('kernel32.errorMode', () => ({ process: 0, thread: new Map<number, number>() }));

/** SetErrorMode returns the previous mode. SEM_NOALIGNMENTFAULTEXCEPT, once set, stays set. */
export function SetErrorMode(p: Process, mode: number): number {
  const s = p.state(errorModes);
  const old = s.process;
  s.process = (mode | (old & SEM.NOALIGNMENTFAULTEXCEPT)) >>> 0;
  return old;
}

export function GetErrorMode(p: Process): number {
  return p.state(errorModes).process;
}

export function SetThreadErrorMode(p: Process, mode: number, oldOut: number): boolean {
  if (mode & ~(SEM.FAILCRITICALERRORS | SEM.NOGPFAULTERRORBOX | SEM.NOOPENFILEERRORBOX)) {
    p.setLastError(ERROR.INVALID_PARAMETER);
    return false;
  }
  const s = p.state(errorModes);
  if (oldOut) p.mem.setU32(oldOut, s.thread.get(p.currentThread.id) ?? 0);
  s.thread.set(p.currentThread.id, mode);
  return true;
}

export function GetThreadErrorMode(p: Process): number {
  return p.state(errorModes).thread.get(p.currentThread.id) ?? 0;
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const errorsApi = {
  FormatMessageA: fn('stdcall', ['long', 'ptr', 'long', 'long', 'ptr', 'long', 'ptr'], 'long', (p, f, s, id, l, b, n, a) => FormatMessage(p, false, f, s, id, l, b, n, a)),
  FormatMessageW: fn('stdcall', ['long', 'ptr', 'long', 'long', 'ptr', 'long', 'ptr'], 'long', (p, f, s, id, l, b, n, a) => FormatMessage(p, true, f, s, id, l, b, n, a)),
  GetErrorMode: fn('stdcall', [], 'long', GetErrorMode),
  GetThreadErrorMode: fn('stdcall', [], 'long', GetThreadErrorMode),
  SetErrorMode: fn('stdcall', ['long'], 'long', SetErrorMode),
  SetThreadErrorMode: fn('stdcall', ['long', 'ptr'], 'bool', SetThreadErrorMode),
};
