// File mappings: CreateFileMapping over a file handle or the paging file, MapViewOfFile, FlushViewOfFile,
// UnmapViewOfFile, OpenFileMapping. A view is guest memory holding a copy of the section's bytes at the
// time it is mapped; what a writable view changes goes back to the file (or the paging-file section) when
// it is flushed or unmapped. Two views of one section are therefore not kept in step while both are
// mapped; copy-on-write views (FILE_MAP_COPY) never write back.
import { fn } from '../spec.js';
import { INVALID_HANDLE_VALUE, type KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { stateKey } from '../process.js';
import { PROT } from '../../emulator/memory.js';
import { ERROR, PAGE } from '../win32.js';
import { ACCESS, type OpenedFile } from '../vfs/volume.js';
import { fail } from '../vfs/path.js';
import { ioObject, win32Call } from './file.js';

export const FILE_MAP = { COPY: 0x1, WRITE: 0x2, READ: 0x4, EXECUTE: 0x20, ALL_ACCESS: 0xf001f } as const;
export const SEC = { IMAGE: 0x100_0000, RESERVE: 0x400_0000, COMMIT: 0x800_0000, LARGE_PAGES: 0x8000_0000 } as const;
const ERROR_MAPPED_ALIGNMENT = 1132;
const GRANULARITY = 0x1_0000;
const PAGE_SIZE = 0x1000;

/**
 * A section: a file's bytes (the file stays open while the section lives), or bytes of its own (the
 * paging file). It lives while handles or views refer to it; a name is released with it.
 */
interface Section extends KernelObject {
  readonly type: 'section';
  readonly size: number;
  /** PAGE_READONLY, PAGE_READWRITE, PAGE_WRITECOPY (or their EXECUTE forms). */
  readonly protect: number;
  readonly file: OpenedFile | undefined;
  readonly data: Uint8Array | undefined;
  readonly name: string | undefined;
  handles: number;
  views: number;
  /** Our own handle to the file, closed when the section goes. */
  fileHandle: number | undefined;
}

function newSection(p: Process, init: Pick<Section, 'size' | 'protect' | 'file' | 'data' | 'name' | 'fileHandle'>): Section {
  const s: Section = {
    type: 'section',
    ...init,
    handles: 0,
    views: 0,
    close: () => {
      s.handles--;
      release(p, s);
    },
  };
  return s;
}

function addHandle(p: Process, s: Section): number {
  s.handles++;
  return p.handles.add(s);
}

function release(p: Process, s: Section): void {
  if (s.handles > 0 || s.views > 0) return;
  if (s.fileHandle !== undefined) p.handles.close(s.fileHandle);
  s.fileHandle = undefined;
  if (s.name !== undefined && p.state(mappings).names.get(s.name) === s) p.state(mappings).names.delete(s.name);
}

interface View {
  readonly section: Section;
  readonly base: number;
  readonly offset: number;
  readonly size: number;
  /** Changes go back to the section (FILE_MAP_WRITE on a shared section). */
  readonly writesBack: boolean;
}

const mappings = stateKey<{ views: Map<number, View>; names: Map<string, Section> }>('kernel32.mappings', () => ({ views: new Map(), names: new Map() }));

const writable = (protect: number) => protect === PAGE.READWRITE || protect === PAGE.EXECUTE_READWRITE;
const copyOnWrite = (protect: number) => protect === PAGE.WRITECOPY || protect === PAGE.EXECUTE_WRITECOPY;

export function CreateFileMapping(p: Process, h: number, _sa: number, flProtect: number, maxHigh: number, maxLow: number, name: string | null): number {
  return win32Call(p, 0, () => {
    const protect = flProtect & 0xff;
    if (![PAGE.READONLY, PAGE.READWRITE, PAGE.WRITECOPY, PAGE.EXECUTE_READ, PAGE.EXECUTE_READWRITE, PAGE.EXECUTE_WRITECOPY].includes(protect as 2)) fail(ERROR.INVALID_PARAMETER);
    if (flProtect & SEC.IMAGE) fail(ERROR.INVALID_PARAMETER); // image sections are the loader's business
    const m = p.state(mappings);
    if (name !== null) {
      const existing = m.names.get(name);
      if (existing) {
        const dup = addHandle(p, existing);
        p.setLastError(ERROR.ALREADY_EXISTS);
        return dup;
      }
    }
    const max = maxHigh * 2 ** 32 + maxLow;
    let section: Section;
    if (h === INVALID_HANDLE_VALUE) {
      if (max === 0 || max > 0x7fff_0000) fail(ERROR.INVALID_PARAMETER);
      section = newSection(p, { size: max, protect, file: undefined, data: new Uint8Array(max), name: name ?? undefined, fileHandle: undefined });
    } else {
      const o = ioObject(p, h);
      if (!o) fail(ERROR.INVALID_HANDLE);
      if (o.type !== 'file' || o.file.isDir) fail(ERROR.ACCESS_DENIED);
      const needs = ACCESS.FILE_READ_DATA | (writable(protect) ? ACCESS.FILE_WRITE_DATA : 0);
      if ((o.file.access & needs) !== needs) fail(ERROR.ACCESS_DENIED);
      const content = o.file.content!;
      const fileSize = content.size();
      if (max === 0 && fileSize === 0) fail(ERROR.FILE_INVALID);
      if (max > 0x7fff_0000) fail(ERROR.NOT_ENOUGH_MEMORY);
      if (max > fileSize) {
        // A section larger than its file grows the file, which needs write access.
        if (!writable(protect)) fail(ERROR.ACCESS_DENIED);
        content.setSize(max);
      }
      section = newSection(p, { size: max || fileSize, protect, file: o.file, data: undefined, name: name ?? undefined, fileHandle: p.handles.duplicate(h) });
    }
    if (name !== null) m.names.set(name, section);
    const handle = addHandle(p, section);
    p.setLastError(ERROR.SUCCESS);
    return handle;
  });
}

export function OpenFileMapping(p: Process, _access: number, _inherit: number, name: string | null): number {
  const s = name === null ? undefined : p.state(mappings).names.get(name);
  if (!s) {
    p.setLastError(ERROR.FILE_NOT_FOUND);
    return 0;
  }
  return addHandle(p, s);
}

export function MapViewOfFileEx(p: Process, h: number, access: number, offHigh: number, offLow: number, bytes: number, at: number): number {
  return win32Call(p, 0, () => {
    const s = p.handles.get<Section>(h, 'section');
    if (!s) fail(ERROR.INVALID_HANDLE);
    const offset = offHigh * 2 ** 32 + offLow;
    if (offset % GRANULARITY) fail(ERROR_MAPPED_ALIGNMENT);
    if (offset >= s.size || (bytes && offset + bytes > s.size)) fail(ERROR.ACCESS_DENIED);
    const size = bytes || s.size - offset;
    const wantsWrite = (access & FILE_MAP.WRITE) !== 0 && (access & FILE_MAP.COPY) === 0;
    const wantsCopy = access === FILE_MAP.COPY || (access & FILE_MAP.COPY) !== 0;
    if (wantsWrite && !writable(s.protect)) fail(ERROR.ACCESS_DENIED);
    if (wantsCopy && !(writable(s.protect) || copyOnWrite(s.protect))) fail(ERROR.ACCESS_DENIED);
    const span = Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
    let base: number;
    try {
      base = p.mem.map(span, PROT.rw, at ? { at } : { align: GRANULARITY });
    } catch {
      fail(at ? ERROR.INVALID_ADDRESS : ERROR.NOT_ENOUGH_MEMORY);
    }
    const data = s.data ? s.data.subarray(offset, offset + size) : s.file!.content!.read(offset, size);
    p.mem.write(base, data);
    const exec = (access & FILE_MAP.EXECUTE) !== 0;
    const prot = wantsWrite || wantsCopy ? (exec ? PROT.rwx : PROT.rw) : exec ? PROT.rx : PROT.r;
    if (prot !== PROT.rw) p.mem.protect(base, span, prot);
    p.state(mappings).views.set(base, { section: s, base, offset, size, writesBack: wantsWrite && !copyOnWrite(s.protect) });
    s.views++;
    return base;
  });
}

/** Writes a view's bytes [from, from + n) back to its section. */
function writeBack(p: Process, v: View, from: number, n: number): void {
  if (!v.writesBack || n <= 0) return;
  const bytes = p.mem.read(v.base + from, n);
  if (v.section.data) v.section.data.set(bytes, v.offset + from);
  else v.section.file!.content!.write(v.offset + from, bytes);
}

function viewAt(p: Process, addr: number): View | undefined {
  for (const v of p.state(mappings).views.values()) if (addr >= v.base && addr < v.base + v.size) return v;
  return undefined;
}

export function FlushViewOfFile(p: Process, addr: number, bytes: number): boolean {
  return win32Call(p, false, () => {
    const v = viewAt(p, addr);
    if (!v) fail(ERROR.INVALID_ADDRESS);
    const from = addr - v.base;
    writeBack(p, v, from, bytes ? Math.min(bytes, v.size - from) : v.size - from);
    return true;
  });
}

export function UnmapViewOfFile(p: Process, addr: number): boolean {
  return win32Call(p, false, () => {
    const m = p.state(mappings);
    const v = m.views.get(addr) ?? viewAt(p, addr);
    if (!v) fail(ERROR.INVALID_ADDRESS);
    writeBack(p, v, 0, v.size);
    m.views.delete(v.base);
    p.mem.release(v.base);
    v.section.views--;
    release(p, v.section);
    return true;
  });
}

/** kernel32 exports of this area (the DLL table is their union, see thunks/kernel32.ts). */
export const mappingApi = {
  CreateFileMappingA: fn('stdcall', ['long', 'ptr', 'long', 'long', 'long', 'str'], 'long', CreateFileMapping),
  CreateFileMappingW: fn('stdcall', ['long', 'ptr', 'long', 'long', 'long', 'wstr'], 'long', CreateFileMapping),
  FlushViewOfFile: fn('stdcall', ['ptr', 'long'], 'bool', FlushViewOfFile),
  MapViewOfFile: fn('stdcall', ['long', 'long', 'long', 'long', 'long'], 'ptr', (p, h, a, hi, lo, n) => MapViewOfFileEx(p, h, a, hi, lo, n, 0)),
  MapViewOfFileEx: fn('stdcall', ['long', 'long', 'long', 'long', 'long', 'ptr'], 'ptr', MapViewOfFileEx),
  OpenFileMappingA: fn('stdcall', ['long', 'long', 'str'], 'long', OpenFileMapping),
  OpenFileMappingW: fn('stdcall', ['long', 'long', 'wstr'], 'long', OpenFileMapping),
  UnmapViewOfFile: fn('stdcall', ['ptr'], 'bool', UnmapViewOfFile),
};
