// The module loader of a guest process: maps PE images (and the DLLs they need) into guest memory,
// relocates them, binds their imports to other images or to wowasm's built-in system DLLs, sets up
// static TLS, runs TLS callbacks and DllMain, and answers LoadLibrary/GetProcAddress/FreeLibrary.

import fs from 'node:fs';
import path from 'node:path';
import { PROT, type GuestMemory, type Prot } from '../emulator/memory.js';
import { DllInitError, MissingImportError, DllNotFoundError, ForwarderError, MissingDependencyError, PeFormatError } from './errors.js';
import { parsePe, SCN, type PeFile } from './pe.js';
import { clearSearchCache, findInDir, normalizeDllName } from './search.js';
import { applyRelocations, hasRelocations, parseExports, parseImports, parseTls, type ExportTable, type ImportDescriptor, type ImportRef, type TlsDirectory } from './tables.js';

export const DLL_PROCESS_DETACH = 0;
export const DLL_PROCESS_ATTACH = 1;
export const DLL_THREAD_ATTACH = 2;
export const DLL_THREAD_DETACH = 3;

/** A system DLL implemented by wowasm (see thunks/). */
export interface BuiltinDll {
  readonly name: string;
  /** Its module handle: a small mapped image in guest memory. */
  readonly base: number;
  /**
   * Guest address of an export. With `forImport`, an export wowasm lacks still gets an address (a stub
   * that fails loudly if called); otherwise undefined means "no such export" (GetProcAddress -> NULL).
   */
  resolve(ref: ImportRef, forImport: boolean): number | undefined;
  /** Is this export implemented (not a stub)? */
  implements(ref: ImportRef): boolean;
  /**
   * A stub module: a Windows DLL wowasm has no table for. Imports from it bind to stubs, but LoadLibrary
   * does not load it (nothing in it could be called), unless an image's imports already did.
   */
  readonly isStub?: boolean;
}

/** What the loader needs from the process that hosts it. */
export interface LoaderHost {
  readonly mem: GuestMemory;
  /** The built-in module for a normalized DLL name, if wowasm has one (created on first use). */
  builtin(name: string): BuiltinDll | undefined;
  /** DLLs that are always built-in, even when a file of that name sits next to the DLL (KnownDLLs). */
  isKnownDll(name: string): boolean;
  /** Calls guest code with the stdcall convention and returns EAX. */
  callStdcall(addr: number, args: number[]): number;
  /** Gives a module's static TLS an index and per-thread data. */
  attachStaticTls(module: PeModule, tls: TlsDirectory): void;
  detachStaticTls(module: PeModule): void;
}

export interface LoaderOptions {
  /** Extra folders searched for dependencies, after the loading DLL's own folder. */
  searchPath?: string[];
}

export interface PeModule {
  readonly kind: 'pe';
  /** Normalized name ("zlib1.dll"). */
  readonly name: string;
  readonly path: string;
  readonly base: number;
  readonly size: number;
  readonly file: PeFile;
  readonly exports: ExportTable;
  readonly imports: ImportDescriptor[];
  /** Imports bound to stubs because wowasm does not implement them. */
  readonly unimplementedImports: { dll: string; name: string }[];
  readonly tls: TlsDirectory | undefined;
  deps: Module[];
  refCount: number;
  state: 'mapped' | 'initializing' | 'ready' | 'failed' | 'unloaded';
  /** TLS index assigned by the host for static TLS. */
  tlsIndex?: number;
  /** DisableThreadLibraryCalls was called: DllMain gets no thread notifications. */
  threadCallsDisabled?: boolean;
}

export interface BuiltinModule {
  readonly kind: 'builtin';
  readonly name: string;
  readonly base: number;
  readonly dll: BuiltinDll;
  refCount: number;
}

export type Module = PeModule | BuiltinModule;

export { MissingImportError };

// kernelbase.dll is kernel32.dll here (thunks/system-dlls.ts), loaded with it as on Windows.
const ALWAYS_LOADED = ['ntdll.dll', 'kernel32.dll', 'kernelbase.dll'];

export class Loader {
  private readonly byName = new Map<string, Module>();
  private readonly pe: PeModule[] = [];
  private readonly searchPath: string[];

  constructor(
    private readonly host: LoaderHost,
    opts: LoaderOptions = {},
  ) {
    this.searchPath = (opts.searchPath ?? []).map((p) => path.resolve(p));
    // Every Windows process has these loaded, whatever it imports: GetModuleHandle("ntdll.dll")
    // followed by GetProcAddress is how code probes for optional functions.
    for (const name of ALWAYS_LOADED) {
      const dll = host.builtin(name);
      if (dll) this.byName.set(name, { kind: 'builtin', name, base: dll.base, dll, refCount: 1 });
    }
  }

  /** Every loaded module, images first in load order. */
  modules(): Module[] {
    return [...this.byName.values()];
  }

  peModules(): readonly PeModule[] {
    return this.pe;
  }

  /**
   * Loads a DLL file (the user's entry point) with everything it needs, and initializes it. A second
   * load of the same file returns the same module with its reference count raised.
   */
  loadFile(file: string): PeModule {
    clearSearchCache();
    const full = path.resolve(file);
    if (!fs.existsSync(full)) throw new DllNotFoundError(file, []);
    const name = normalizeDllName(full);
    const existing = this.byName.get(name);
    if (existing?.kind === 'pe') {
      existing.refCount++;
      return existing;
    }
    const m = this.mapImage(full, name, []);
    this.initialize(m);
    return m;
  }

  /**
   * LoadLibrary: by name (searched next to `requester`, then in searchPath, then built-ins) or by path.
   * Throws MissingDependencyError when nothing is found.
   */
  loadLibrary(nameOrPath: string, requester?: PeModule): Module {
    clearSearchCache();
    const m = this.resolveDependency(nameOrPath, requester?.name ?? 'the host', requester, [], true);
    if (m.kind === 'pe') this.initialize(m);
    return m;
  }

  /** The module whose name matches (no loading). */
  find(name: string): Module | undefined {
    return this.byName.get(normalizeDllName(name));
  }

  /** The module mapped at this base address, if any. */
  byBase(base: number): Module | undefined {
    for (const m of this.byName.values()) if (m.base === base >>> 0) return m;
    return undefined;
  }

  /** The image containing a guest address. */
  moduleAt(addr: number): PeModule | undefined {
    const a = addr >>> 0;
    return this.pe.find((m) => m.state !== 'unloaded' && a >= m.base && a < m.base + m.size);
  }

  /** "zlib1.dll+0x1a2b", or undefined outside every image. */
  describe(addr: number): string | undefined {
    const m = this.moduleAt(addr);
    return m ? `${m.name}+0x${((addr >>> 0) - m.base).toString(16)}` : undefined;
  }

  /**
   * GetProcAddress: the address of an export, following forwarders, or undefined. Built-in DLLs answer
   * only for exports wowasm implements.
   */
  getProcAddress(m: Module, ref: ImportRef): number | undefined {
    const addr = this.resolveExport(m, ref, false, 0);
    // A forwarder may just have mapped its target DLL: initialize it, as LoadLibrary would have.
    if (m.kind === 'pe' && m.state === 'ready') for (const d of m.deps) if (d.kind === 'pe' && d.state === 'mapped') this.initialize(d);
    return addr;
  }

  /** Drops one reference; at zero, runs DLL_PROCESS_DETACH and unmaps the image and its unused deps. */
  free(m: Module): void {
    if (m.refCount <= 0) return;
    if (--m.refCount > 0 || m.kind === 'builtin') return;
    if (m.state === 'ready') this.notify(m, DLL_PROCESS_DETACH);
    this.unmap(m);
  }

  /**
   * DLL_THREAD_ATTACH / DLL_THREAD_DETACH for a thread starting or ending (the current one): DllMain of
   * every initialized image, in load order.
   */
  notifyThreads(reason: number): void {
    for (const m of this.pe) if (m.state === 'ready') this.notify(m, reason);
  }

  /** Unloads everything in reverse initialization order (process exit). */
  unloadAll(): void {
    for (const m of [...this.pe].reverse()) {
      if (m.state === 'ready') {
        try {
          this.notify(m, DLL_PROCESS_DETACH);
        } catch {
          // a failing DETACH must not keep the others from being told
        }
      }
      this.unmap(m);
    }
  }

  // ---- mapping ------------------------------------------------------------------------------

  private mapImage(full: string, name: string, chain: string[]): PeModule {
    const bytes = new Uint8Array(fs.readFileSync(full));
    const file = parsePe(bytes, path.basename(full));
    const mem = this.host.mem;
    let base: number;
    try {
      base = mem.reserve(file.sizeOfImage, { at: file.imageBase });
    } catch {
      if (!hasRelocations(file)) {
        throw new PeFormatError(file.name, `its preferred base 0x${file.imageBase.toString(16)} is taken and it has no relocations`);
      }
      base = mem.reserve(file.sizeOfImage, { align: 0x10000 });
    }
    let m: PeModule;
    try {
      if (base !== file.imageBase) applyRelocations(file, (base - file.imageBase) | 0);
      m = {
        kind: 'pe',
        name,
        path: full,
        base,
        size: file.sizeOfImage,
        file,
        exports: parseExports(file),
        imports: parseImports(file, base),
        unimplementedImports: [],
        tls: parseTls(file),
        deps: [],
        refCount: 1,
        state: 'mapped',
      };
    } catch (e) {
      mem.release(base);
      throw e;
    }
    // Registered before its dependencies load, so import cycles find it.
    this.byName.set(name, m);
    this.pe.push(m);
    try {
      this.bindImports(m, [...chain, name]);
      this.commitImage(m);
    } catch (e) {
      this.unmap(m);
      throw e;
    }
    return m;
  }

  private commitImage(m: PeModule): void {
    const mem = this.host.mem;
    const f = m.file;
    mem.commit(m.base, f.sizeOfImage, PROT.rw);
    mem.write(m.base, f.image);
    // Headers read-only; sections as their characteristics say (page by page, strongest wins when
    // unaligned sections share a page).
    const pageProt = new Uint8Array(Math.ceil(f.sizeOfImage / 0x1000)).fill(PROT.r);
    for (const s of f.sections) {
      const prot = sectionProt(s.characteristics);
      const first = Math.floor(s.virtualAddress / 0x1000);
      const end = Math.ceil((s.virtualAddress + s.virtualSize) / 0x1000);
      for (let p = first; p < end && p < pageProt.length; p++) pageProt[p] = p === first && s.virtualAddress % 0x1000 ? pageProt[p]! | prot : prot;
    }
    for (let p = 0; p < pageProt.length; ) {
      let q = p + 1;
      while (q < pageProt.length && pageProt[q] === pageProt[p]) q++;
      mem.protect(m.base + p * 0x1000, (q - p) * 0x1000, pageProt[p]!);
      p = q;
    }
  }

  private unmap(m: Module): void {
    if (m.kind !== 'pe' || m.state === 'unloaded') return;
    if (m.tlsIndex !== undefined) this.host.detachStaticTls(m);
    m.state = 'unloaded';
    this.byName.delete(m.name);
    const i = this.pe.indexOf(m);
    if (i >= 0) this.pe.splice(i, 1);
    try {
      this.host.mem.release(m.base);
    } catch {
      // already released
    }
    for (const d of m.deps) if (d.kind === 'pe' && d.state !== 'unloaded') this.free(d);
    m.deps = [];
  }

  // ---- dependencies and binding -------------------------------------------------------------

  private bindImports(m: PeModule, chain: string[]): void {
    const iat = new DataView(m.file.image.buffer, m.file.image.byteOffset, m.file.image.byteLength);
    for (const desc of m.imports) {
      // Delay-loaded DLLs are the DLL's own business: its delay-load helper calls LoadLibrary and
      // GetProcAddress on first use, as on Windows, so a missing one fails only when called.
      if (desc.delayed) continue;
      const dep = this.resolveDependency(desc.dll, m.name, m, chain);
      addDependency(m, dep);
      for (const entry of desc.entries) {
        let addr = this.resolveExport(dep, entry.ref, true, 0);
        if (addr === undefined) {
          const what = 'name' in entry.ref ? entry.ref.name : `ordinal ${entry.ref.ordinal}`;
          throw new MissingImportError(m.name, dep.name, what);
        }
        if (dep.kind === 'builtin' && !dep.dll.implements(entry.ref)) {
          m.unimplementedImports.push({ dll: dep.name, name: 'name' in entry.ref ? entry.ref.name : `#${entry.ref.ordinal}` });
        }
        iat.setUint32(entry.iatRva, addr >>> 0, true);
      }
    }
  }

  /**
   * Finds (loading if needed) the module an image names in its imports, a forwarder or LoadLibrary.
   * The name comes from guest code, so it never reaches the host file system as a path: a guest path
   * ("C:\\x\\foo.dll", "/etc/passwd") is reduced to its base name, which is looked up only in the
   * requesting DLL's folder, the folders of the loaded images and `searchPath`.
   */
  private resolveDependency(nameOrPath: string, wantedBy: string, requester: PeModule | undefined, chain: string[], dynamic = false): Module {
    const name = normalizeDllName(nameOrPath);
    const existing = this.byName.get(name);
    if (existing) {
      existing.refCount++;
      return existing;
    }
    const searched: string[] = [];
    let file: string | undefined;
    if (!this.host.isKnownDll(name)) {
      const dirs = [...(requester ? [path.dirname(requester.path)] : []), ...this.rootDirs(), ...this.searchPath];
      for (const dir of new Set(dirs)) {
        searched.push(dir);
        file = findInDir(dir, name);
        if (file) break;
      }
    }
    if (file) {
      if (chain.length > 64) throw new PeFormatError(name, 'dependency chain deeper than 64 DLLs');
      return this.mapImage(file, name, chain);
    }
    const dll = this.host.builtin(name);
    if (dll && !(dynamic && dll.isStub)) {
      const m: BuiltinModule = { kind: 'builtin', name, base: dll.base, dll, refCount: 1 };
      this.byName.set(name, m);
      return m;
    }
    throw new MissingDependencyError(name, wantedBy, [...searched, 'wowasm built-in system DLLs']);
  }

  /** Folders of the images the user loaded directly: later LoadLibrary calls search them too. */
  private rootDirs(): string[] {
    return this.pe.map((m) => path.dirname(m.path));
  }

  private resolveExport(m: Module, ref: ImportRef, forImport: boolean, depth: number): number | undefined {
    if (m.kind === 'builtin') return m.dll.resolve(ref, forImport);
    const t = m.exports;
    const ordinal = 'ordinal' in ref ? ref.ordinal : t.byName.get(ref.name);
    if (ordinal === undefined) return undefined;
    const target = t.byOrdinal.get(ordinal);
    if (!target) return undefined;
    if (target.kind === 'rva') return (m.base + target.rva) >>> 0;
    // Forwarder "DLL.Name" or "DLL.#ordinal".
    const label = 'name' in ref ? ref.name : `#${ref.ordinal}`;
    if (depth > 16) throw new ForwarderError(m.name, label, target.to, 'forms a loop');
    const dot = target.to.lastIndexOf('.');
    if (dot <= 0) throw new ForwarderError(m.name, label, target.to, 'is not of the form DLL.Function');
    const dllName = target.to.slice(0, dot);
    const fname = target.to.slice(dot + 1);
    const dep = this.resolveDependency(dllName, `${m.name} (forwarding ${label})`, m, [m.name]);
    addDependency(m, dep);
    const next: ImportRef = fname.startsWith('#') ? { ordinal: Number(fname.slice(1)) } : { name: fname, hint: 0 };
    const addr = this.resolveExport(dep, next, forImport, depth + 1);
    if (addr === undefined && forImport) throw new ForwarderError(m.name, label, target.to, `does not exist in ${dep.name}`);
    return addr;
  }

  // ---- initialization -----------------------------------------------------------------------

  /** Runs static TLS set-up, TLS callbacks and DllMain(PROCESS_ATTACH), dependencies first. */
  private initialize(m: PeModule): void {
    if (m.state !== 'mapped') return;
    m.state = 'initializing';
    try {
      for (const d of m.deps) if (d.kind === 'pe') this.initialize(d);
      if (m.tls) this.host.attachStaticTls(m, m.tls);
      const ok = this.notify(m, DLL_PROCESS_ATTACH);
      if (!ok) {
        // As Windows does after a failed attach: tell the DLL to detach, then unload it.
        try {
          this.notify(m, DLL_PROCESS_DETACH);
        } catch {
          // its detach failing too changes nothing for the caller
        }
        throw new DllInitError(m.name, 0);
      }
      m.state = 'ready';
    } catch (e) {
      m.state = 'failed';
      this.unmap(m);
      throw e;
    }
  }

  /** TLS callbacks then the entry point, with `reason`. Returns the entry point's BOOL (true if none). */
  private notify(m: PeModule, reason: number): boolean {
    const mem = this.host.mem;
    const threadNotice = reason === DLL_THREAD_ATTACH || reason === DLL_THREAD_DETACH;
    if (m.tls && m.tls.addressOfCallbacks) {
      for (let at = m.tls.addressOfCallbacks, n = 0; n < 256; at += 4, n++) {
        const cb = mem.u32(at);
        if (cb === 0) break;
        this.host.callStdcall(cb, [m.base, reason, 0]);
      }
    }
    if (m.file.entryPoint === 0 || !m.file.isDll) return true;
    if (threadNotice && m.threadCallsDisabled) return true; // DisableThreadLibraryCalls: TLS callbacks only
    return this.host.callStdcall(m.base + m.file.entryPoint, [m.base, reason, 0]) !== 0;
  }
}

/**
 * Records `dep` (whose reference count resolveDependency raised) as a dependency of `m`: a module holds
 * one reference to each dependency however often it names it, and none to itself.
 */
function addDependency(m: PeModule, dep: Module): void {
  if (dep === m || m.deps.includes(dep)) {
    if (dep.kind === 'pe') dep.refCount--;
  } else m.deps.push(dep);
}

function sectionProt(chars: number): Prot {
  const x = chars & SCN.MEM_EXECUTE ? PROT.x : 0;
  const w = chars & SCN.MEM_WRITE ? PROT.w : 0;
  const r = chars & (SCN.MEM_READ | SCN.MEM_EXECUTE | SCN.MEM_WRITE) ? PROT.r : 0;
  return r | w | x || PROT.r;
}
