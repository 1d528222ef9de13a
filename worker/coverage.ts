// Which imports of a DLL wowasm provides, worked out from the files and the built-in DLL tables alone
// (no guest code runs): the `wowasm info` command reads this; worker/api-docs.ts follows forwarders with it.

import fs from 'node:fs';
import path from 'node:path';
import { parsePe } from '../loader/pe.js';
import { findInDir, normalizeDllName } from '../loader/search.js';
import { parseExports, type ExportTable, type ImportDescriptor, type ImportRef } from '../loader/tables.js';
import { registry } from '../thunks/registry.js';
import type { DllSpec, Export } from '../thunks/spec.js';

/**
 * What becomes of one import when the DLL loads:
 * - `implemented`: wowasm's built-in DLL implements it;
 * - `stub`: wowasm knows the export but does not implement it (calling it stops the call);
 * - `missing`: not in wowasm's table at all (binds to a stub too, so calling it stops the call);
 * - `real-dll`: the dependency is a real DLL file, which provides it.
 */
export type ImportStatus = 'implemented' | 'stub' | 'missing' | 'real-dll';

export const IMPORT_STATUS_TEXT: Record<ImportStatus, string> = {
  implemented: 'implemented',
  stub: 'stub (not implemented)',
  missing: "missing (not in wowasm's table)",
  'real-dll': 'real DLL',
};

/**
 * Where a dependency comes from:
 * - `builtin`: one of wowasm's own system DLLs;
 * - `file`: a DLL file found next to the DLL (or in the search path);
 * - `stub-module`: a Windows system DLL wowasm has no table for: it loads as a module of stubs, so the
 *   DLL loads and only a call into it fails (thunks/system-dlls.ts);
 * - `not-found`: no file and no built-in: loading fails with MissingDependencyError;
 * - `unsupported`: a Windows system DLL wowasm does not provide (yet): loading fails.
 */
export type DependencySource = 'builtin' | 'file' | 'stub-module' | 'not-found' | 'unsupported';

export interface ImportCoverage {
  /** The imported name, or "#N" for an import by ordinal. */
  name: string;
  ordinal: number | undefined;
  status: ImportStatus;
  /** For a built-in forwarder: where it leads ("ntdll.dll!RtlAllocateHeap"). */
  forwardedTo?: string;
  /** For a real DLL: false when that file does not export it (loading then fails with MissingImportError). */
  exported?: boolean;
}

export interface DependencyCoverage {
  /** The DLL name as the image writes it ("KERNEL32.dll"). */
  dll: string;
  source: DependencySource;
  /** For an API set or kernelbase (`builtin` or `stub-module`): the DLL that hosts it ("kernel32.dll"). */
  hostedBy?: string;
  /** For `file`: where it was found. */
  path?: string;
  /** Delay-loaded (wowasm binds these at load time too). */
  delayed: boolean;
  imports: ImportCoverage[];
}

export interface CoverageOptions {
  /** Folder of the DLL (searched first for dependencies). */
  dir: string;
  /** Further folders, as LoadOptions.searchPath. */
  searchPath?: string[];
}

interface Registry {
  specs: readonly DllSpec[];
  knownDlls: readonly string[];
  aliases?: (name: string) => string | undefined;
  stubModules?: (name: string) => boolean;
}

const reg: Registry = registry;

/** The registry's name for a DLL (api-set and other aliases applied), lower case with extension. */
function canonical(name: string): string {
  const n = normalizeDllName(name);
  return reg.aliases?.(n) ?? n;
}

function specOf(name: string): DllSpec | undefined {
  const c = canonical(name);
  return reg.specs.find((s) => s.name === c);
}

function isKnownDll(name: string): boolean {
  return reg.knownDlls.includes(canonical(name));
}

function specExport(spec: DllSpec, ref: ImportRef): [string, Export] | undefined {
  if ('name' in ref) {
    const e = spec.exports[ref.name];
    return e ? [ref.name, e] : undefined;
  }
  for (const [n, e] of Object.entries(spec.exports)) if (e.ordinal === ref.ordinal) return [n, e];
  return undefined;
}

/** Status of an export of a built-in DLL (forwarders followed to their target). */
export function builtinExportStatus(dll: string, ref: ImportRef): { status: Exclude<ImportStatus, 'real-dll'>; forwardedTo?: string } {
  let spec = specOf(dll);
  let current = ref;
  let forwardedTo: string | undefined;
  for (let depth = 0; spec && depth < 16; depth++) {
    const found = specExport(spec, current);
    if (!found) return { status: 'missing', ...(forwardedTo ? { forwardedTo } : {}) };
    const e = found[1];
    if (e.kind !== 'forward') return { status: e.kind === 'stub' ? 'stub' : 'implemented', ...(forwardedTo ? { forwardedTo } : {}) };
    const dot = e.to.lastIndexOf('.');
    const target = e.to.slice(dot + 1);
    forwardedTo = `${canonical(e.to.slice(0, dot))}!${target}`;
    spec = specOf(e.to.slice(0, dot));
    current = target.startsWith('#') ? { ordinal: Number(target.slice(1)) } : { name: target, hint: 0 };
  }
  // A forwarder into a DLL wowasm does not provide binds to a stub.
  return { status: 'stub', ...(forwardedTo ? { forwardedTo } : {}) };
}

function refLabel(ref: ImportRef): string {
  return 'name' in ref ? ref.name : `#${ref.ordinal}`;
}

/** Where the loader would take a dependency from, by the same rules (KnownDLLs, DLL's folder, searchPath, built-ins). */
export function locateDependency(dll: string, opts: CoverageOptions): { source: DependencySource; path?: string } {
  if (!isKnownDll(dll)) {
    for (const dir of new Set([path.resolve(opts.dir), ...(opts.searchPath ?? []).map((p) => path.resolve(p))])) {
      const file = findInDir(dir, normalizeDllName(dll));
      if (file) return { source: 'file', path: file };
    }
  }
  if (specOf(dll)) return { source: 'builtin' };
  if (reg.stubModules?.(canonical(dll))) return { source: 'stub-module' };
  return { source: isKnownDll(dll) ? 'unsupported' : 'not-found' };
}

function readExports(file: string): ExportTable | undefined {
  try {
    return parseExports(parsePe(new Uint8Array(fs.readFileSync(file)), path.basename(file)));
  } catch {
    return undefined;
  }
}

/** Coverage of every import of a parsed image. */
export function importCoverage(imports: readonly ImportDescriptor[], opts: CoverageOptions): DependencyCoverage[] {
  return imports.map((desc) => {
    const where = locateDependency(desc.dll, opts);
    const exportsOfFile = where.source === 'file' ? readExports(where.path!) : undefined;
    const entries = desc.entries.map(({ ref }): ImportCoverage => {
      const base = { name: refLabel(ref), ordinal: 'ordinal' in ref ? ref.ordinal : undefined };
      if (where.source === 'file') {
        if (!exportsOfFile) return { ...base, status: 'real-dll' };
        const exported = 'name' in ref ? exportsOfFile.byName.has(ref.name) : exportsOfFile.byOrdinal.has(ref.ordinal);
        return { ...base, status: 'real-dll', exported };
      }
      if (where.source === 'stub-module') return { ...base, status: 'stub' };
      if (where.source !== 'builtin') return { ...base, status: 'missing' };
      return { ...base, ...builtinExportStatus(desc.dll, ref) };
    });
    const host = where.source === 'builtin' || where.source === 'stub-module' ? canonical(desc.dll) : undefined;
    const hostedBy = host !== undefined && host !== normalizeDllName(desc.dll) ? { hostedBy: host } : {};
    return { dll: desc.dll, source: where.source, ...hostedBy, ...(where.path ? { path: where.path } : {}), delayed: desc.delayed, imports: entries };
  });
}

export interface CoverageSummary {
  total: number;
  implemented: number;
  stub: number;
  missing: number;
  realDll: number;
  /** Dependencies that make loading fail (not found, unsupported system DLL). */
  unloadable: string[];
}

export function summarize(deps: readonly DependencyCoverage[]): CoverageSummary {
  const s: CoverageSummary = { total: 0, implemented: 0, stub: 0, missing: 0, realDll: 0, unloadable: [] };
  for (const d of deps) {
    if (d.source === 'not-found' || d.source === 'unsupported') s.unloadable.push(d.dll);
    for (const i of d.imports) {
      s.total++;
      if (i.status === 'real-dll') s.realDll++;
      else s[i.status]++;
    }
  }
  return s;
}
