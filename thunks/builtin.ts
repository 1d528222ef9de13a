// A built-in system DLL as the loader sees it: a module handle backed by a tiny mapped image, and exports
// that turn into trap stubs (functions) or guest variables (data) the first time something binds them.

import { PROT } from '../emulator/memory.js';
import { apiTrap, rawTrap, unimplementedTrap } from './dispatch.js';
import type { Process } from './process.js';
import type { DllSpec, Export } from './spec.js';

export type ExportRef = { name: string } | { ordinal: number };

export class BuiltinDllInstance {
  readonly name: string;
  readonly base: number;
  private readonly bound = new Map<string, number>();
  private readonly byOrdinal = new Map<number, string>();

  constructor(
    private readonly process: Process,
    readonly spec: DllSpec,
    /** A stub module (a Windows DLL wowasm has no table for), see BuiltinDll.isStub. */
    readonly isStub = false,
  ) {
    this.name = spec.name;
    for (const [name, e] of Object.entries(spec.exports)) if (e.ordinal !== undefined) this.byOrdinal.set(e.ordinal, name);
    this.base = mapImageHeader(process, spec.name, true);
  }

  /** Address of an export; see BuiltinDll.resolve in loader/loader.ts. */
  resolve(ref: ExportRef, forImport: boolean): number | undefined {
    const name = this.exportName(ref);
    const e = name === undefined ? undefined : this.spec.exports[name];
    const label = name ?? `#${(ref as { ordinal: number }).ordinal}`;
    if (!e || e.kind === 'stub') return forImport ? this.bind(label, e, () => unimplementedTrapAddress(this.process, this.name, label)) : undefined;
    if (e.kind === 'forward') return this.bind(label, e, () => this.resolveForward(e.to, label, forImport));
    return this.bind(label, e, () => this.materialize(label, e));
  }

  implements(ref: ExportRef): boolean {
    const name = this.exportName(ref);
    const e = name === undefined ? undefined : this.spec.exports[name];
    if (!e || e.kind === 'stub') return false;
    if (e.kind === 'forward') {
      const [dll, fn] = splitForward(e.to);
      return this.process.builtinDll(dll)?.implements({ name: fn }) ?? false;
    }
    return true;
  }

  private exportName(ref: ExportRef): string | undefined {
    return 'name' in ref ? ref.name : this.byOrdinal.get(ref.ordinal);
  }

  private bind(label: string, _e: Export | undefined, make: () => number | undefined): number | undefined {
    const known = this.bound.get(label);
    if (known !== undefined) return known;
    const addr = make();
    if (addr !== undefined) this.bound.set(label, addr);
    return addr;
  }

  private materialize(name: string, e: Export): number {
    const p = this.process;
    if (e.kind === 'fn') return p.cpu.defineTrap(apiTrap(p, this.name, name, e), { name: `${this.name}!${name}`, reentrant: e.reentrant });
    if (e.kind === 'raw') return p.cpu.defineTrap(rawTrap(p, e), { name: `${this.name}!${name}` });
    if (e.kind === 'data') {
      if (e.at) return e.at(p);
      const addr = p.allocStatic(e.size);
      e.init?.(p, addr);
      return addr;
    }
    throw new Error(`cannot materialize ${e.kind} export ${this.name}!${name}`);
  }

  private resolveForward(to: string, label: string, forImport: boolean): number | undefined {
    const [dll, fn] = splitForward(to);
    const target = this.process.builtinDll(dll);
    if (!target) return forImport ? unimplementedTrapAddress(this.process, this.name, label) : undefined;
    return target.resolve({ name: fn }, forImport);
  }
}

function splitForward(to: string): [string, string] {
  const dot = to.lastIndexOf('.');
  return [to.slice(0, dot).toLowerCase() + '.dll', to.slice(dot + 1)];
}

function unimplementedTrapAddress(p: Process, dll: string, name: string): number {
  return p.cpu.defineTrap(unimplementedTrap(p, dll, name), { name: `${dll}!${name} (not implemented)` });
}

/**
 * Maps a 64 KiB module region whose first page holds minimal, valid DOS and PE headers, so an HMODULE of
 * a built-in DLL points at something that looks like an image (code that checks for "MZ" finds it).
 */
export function mapImageHeader(p: Process, name: string, isDll: boolean): number {
  const base = p.mem.reserve(0x1_0000, { topDown: true, max: 0x7f00_0000 });
  p.mem.commit(base, 0x1000, PROT.rw);
  const h = new Uint8Array(0x400);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, 0x5a4d, true); // MZ
  dv.setUint32(0x3c, 0x80, true); // e_lfanew
  dv.setUint32(0x80, 0x4550, true); // PE\0\0
  dv.setUint16(0x84, 0x14c, true); // i386
  dv.setUint16(0x86, 0, true); // no sections
  dv.setUint16(0x94, 0xe0, true); // SizeOfOptionalHeader
  dv.setUint16(0x96, isDll ? 0x2102 : 0x0102, true); // executable, 32-bit (, DLL)
  dv.setUint16(0x98, 0x10b, true); // PE32
  dv.setUint32(0x98 + 28, base, true); // ImageBase
  dv.setUint32(0x98 + 32, 0x1000, true); // SectionAlignment
  dv.setUint32(0x98 + 36, 0x200, true); // FileAlignment
  dv.setUint32(0x98 + 56, 0x1_0000, true); // SizeOfImage
  dv.setUint32(0x98 + 60, 0x400, true); // SizeOfHeaders
  dv.setUint32(0x98 + 92, 16, true); // NumberOfRvaAndSizes
  const label = new TextEncoder().encode(`wowasm built-in ${name}\0`);
  h.set(label, 0x300);
  p.mem.write(base, h);
  p.mem.protect(base, 0x1000, PROT.r);
  return base;
}
