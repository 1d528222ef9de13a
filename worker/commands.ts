// The `wowasm` command line: `info` (what a DLL exports and imports, and what of it wowasm provides),
// `call` (load a DLL and call one export with arguments from the command line) and `api` (the built-in
// DLLs' exports: docs/api-coverage.md).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { WowasmError } from '../emulator/errors.js';
import { DllNotFoundError } from '../loader/errors.js';
import { DIR, parsePe, type PeFile } from '../loader/pe.js';
import { parseExports, parseImports } from '../loader/tables.js';
import { apiCoverageMarkdown, apiRows } from './api-docs.js';
import { IMPORT_STATUS_TEXT, importCoverage, summarize, type DependencyCoverage } from './coverage.js';
import { loadSync, type LoadOptions } from './library.js';
import type { Charset } from './marshal.js';
import { parsePrototype } from './prototype.js';
import { isCharPointer, isWcharPointer, type CType, type FunctionProto } from './types.js';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
};

/** A mistake on the command line (bad option, bad argument for a parameter). */
export class UsageError extends WowasmError {
  constructor(message: string) {
    super('WOWASM_USAGE', message);
  }
}

const HELP = `Usage: wowasm <command> [options]

Runs 32-bit Windows DLLs inside Node through an emulated x86 CPU.

Commands:
  info <dll>                       Headers, exports and imports of a DLL, and which imports
                                   wowasm implements (no DLL code runs).
  call <dll> "<prototype>" [args]  Load the DLL, call one export, print the result.
  api                              Every export of wowasm's built-in DLLs and its status, as
                                   Markdown (docs/api-coverage.md), or --json.

Examples:
  wowasm info zlib1.dll
  wowasm call demo.dll "int __stdcall add(int a, int b)" 2 3
  wowasm call zlib1.dll "const char *zlibVersion(void)"

Arguments of \`call\` are read by the parameter types of the prototype:
  integers      decimal or 0x hex, negative too (-5, -0x10); true/false for bool
  64-bit        the same, any size (bigint)
  float/double  any JS number (1.5, -2e3, inf, nan)
  char *        the text itself (encoded as --charset says); wchar_t *: UTF-16
  byte pointer  unsigned char *, void *, ...: the text's bytes
  other pointer null, an address (1234, 0x4d2; @0x4d2 for byte pointers too), or JSON:
                an array or object is copied in and, unless the pointer is const,
                printed after the call as "name = JSON" (out-parameters: [0])
Put -- before arguments that look like options.

Options:
  --json                    info, api: machine-readable output
  --search-path <dir>       another folder to find dependencies in (repeatable)
  --timeout <ms>            call: guest time allowed for the call (default 10000, 0 = none)
  --trace                   call: log every Win32 API call to stderr
  --charset <name>          call: encoding of char * strings: windows-1252 (default) or utf-8
  -h, --help                this help
  -v, --version             wowasm's version
`;

/** Runs the CLI; returns the exit code. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  try {
    return run(argv, io);
  } catch (e) {
    io.err(`wowasm: ${e instanceof Error ? e.message : String(e)}\n`);
    if (process.env.WOWASM_DEBUG && e instanceof Error && e.stack) io.err(e.stack + '\n');
    return 1;
  }
}

// Negative numbers would be taken for options by parseArgs; they are hidden behind this prefix.
const NEG = '\u0000neg\u0000';
const unhide = (s: string) => (s.startsWith(NEG) ? s.slice(NEG.length) : s);

function run(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.map((a) => (/^-(\d|\.\d|inf|nan)/i.test(a) ? NEG + a : a)),
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
        json: { type: 'boolean' },
        trace: { type: 'boolean' },
        timeout: { type: 'string' },
        charset: { type: 'string' },
        'search-path': { type: 'string', multiple: true },
      },
    });
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)} (see wowasm --help)`);
  }
  const { values } = parsed;
  const positionals = parsed.positionals.map(unhide);
  if (values.version) {
    io.out(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  if (values.help || command === undefined || command === 'help') {
    io.out(HELP);
    return command === undefined && !values.help ? 1 : 0;
  }
  const searchPath = (values['search-path'] ?? []).map(unhide);
  if (command === 'info') {
    if (rest.length !== 1) throw new UsageError('usage: wowasm info <dll> [--json] [--search-path <dir>]');
    return info(rest[0]!, { json: values.json ?? false, searchPath }, io);
  }
  if (command === 'api') {
    if (rest.length !== 0) throw new UsageError('usage: wowasm api [--json]');
    io.out(values.json ? JSON.stringify(apiRows(), null, 2) + '\n' : apiCoverageMarkdown());
    return 0;
  }
  if (command === 'call') {
    if (rest.length < 2) throw new UsageError('usage: wowasm call <dll> "<prototype>" [args...]');
    const opts: LoadOptions = { searchPath };
    if (values.timeout !== undefined) {
      const t = Number(unhide(values.timeout));
      if (!Number.isFinite(t) || t < 0) throw new UsageError(`--timeout needs a number of milliseconds, not "${unhide(values.timeout)}"`);
      opts.timeoutMs = t;
    }
    if (values.charset !== undefined) opts.charset = charsetOption(values.charset);
    if (values.trace) opts.trace = (line) => io.err(line + '\n');
    return call(rest[0]!, rest[1]!, rest.slice(2), opts, io);
  }
  throw new UsageError(`unknown command "${command}" (see wowasm --help)`);
}

function charsetOption(v: string): Charset {
  const c = v.toLowerCase().replace(/^cp/, 'windows-');
  if (c === 'utf-8' || c === 'utf8') return 'utf-8';
  if (c === 'windows-1252' || c === 'latin1') return 'windows-1252';
  throw new UsageError(`--charset is utf-8 or windows-1252, not "${v}"`);
}

function version(): string {
  // worker/commands.ts and dist/cli.js both sit one folder below package.json.
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(fs.readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'wowasm' && pkg.version) return pkg.version;
    } catch {
      // try the next place
    }
  }
  return 'unknown';
}

// ---- info -------------------------------------------------------------------------------------

const MACHINES: Record<number, string> = { 0x14c: 'i386' };

interface InfoReport {
  file: string;
  machine: string;
  kind: 'DLL' | 'EXE';
  imageBase: number;
  sizeOfImage: number;
  entryPoint: number;
  subsystem: number;
  sections: { name: string; rva: number; size: number; flags: string }[];
  exportName: string | undefined;
  exports: { ordinal: number; name: string | null; rva?: number; forwarder?: string }[];
  imports: DependencyCoverage[];
  summary: ReturnType<typeof summarize>;
}

function inspect(file: string, searchPath: string[]): InfoReport {
  if (!fs.existsSync(file)) throw new DllNotFoundError(file, []);
  const bytes = new Uint8Array(fs.readFileSync(file));
  const pe: PeFile = parsePe(bytes, path.basename(file));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const machine = dv.getUint16(dv.getUint32(0x3c, true) + 4, true);
  const ex = parseExports(pe);
  const names = new Map<number, string[]>();
  for (const [n, o] of ex.byName) names.set(o, [...(names.get(o) ?? []), n]);
  const exports: InfoReport['exports'] = [];
  for (const [ordinal, target] of [...ex.byOrdinal].sort((a, b) => a[0] - b[0])) {
    for (const name of names.get(ordinal) ?? [null]) {
      exports.push(target.kind === 'rva' ? { ordinal, name, rva: target.rva } : { ordinal, name, forwarder: target.to });
    }
  }
  const imports = importCoverage(parseImports(pe), { dir: path.dirname(path.resolve(file)), searchPath });
  return {
    file: path.resolve(file),
    machine: MACHINES[machine] ?? `0x${machine.toString(16)}`,
    kind: pe.isDll ? 'DLL' : 'EXE',
    imageBase: pe.imageBase,
    sizeOfImage: pe.sizeOfImage,
    entryPoint: pe.entryPoint,
    subsystem: pe.subsystem,
    sections: pe.sections.map((s) => ({ name: s.name, rva: s.virtualAddress, size: s.virtualSize, flags: sectionFlags(s.characteristics) })),
    exportName: pe.dirs[DIR.EXPORT]!.rva ? ex.dllName : undefined,
    exports,
    imports,
    summary: summarize(imports),
  };
}

function sectionFlags(c: number): string {
  return (c & 0x4000_0000 ? 'r' : '-') + (c & 0x8000_0000 ? 'w' : '-') + (c & 0x2000_0000 ? 'x' : '-');
}

const hex = (v: number, w = 8) => `0x${(v >>> 0).toString(16).padStart(w, '0')}`;

function info(file: string, o: { json: boolean; searchPath: string[] }, io: CliIo): number {
  const r = inspect(file, o.searchPath);
  if (o.json) {
    io.out(JSON.stringify(r, null, 2) + '\n');
    return 0;
  }
  const lines: string[] = [];
  lines.push(`${r.file}`);
  lines.push(`  machine     ${r.machine} (PE32 ${r.kind})`);
  lines.push(`  image base  ${hex(r.imageBase)}`);
  lines.push(`  image size  0x${r.sizeOfImage.toString(16)} (${r.sizeOfImage} bytes)`);
  lines.push(`  entry point ${r.entryPoint ? `RVA ${hex(r.entryPoint)}` : 'none'}`);
  lines.push(`  sections    ${r.sections.map((s) => `${s.name} ${s.flags}`).join(', ')}`);
  lines.push('');
  lines.push(`Exports (${r.exports.length})${r.exportName ? ` of ${r.exportName}` : ''}:`);
  if (r.exports.length) {
    const w = Math.max(4, ...r.exports.map((e) => (e.name ?? '(no name)').length));
    lines.push(`  ${'ordinal'.padStart(7)}  ${'name'.padEnd(w)}  RVA / forwarder`);
    for (const e of r.exports) {
      lines.push(`  ${String(e.ordinal).padStart(7)}  ${(e.name ?? '(no name)').padEnd(w)}  ${e.forwarder !== undefined ? `-> ${e.forwarder}` : hex(e.rva!)}`);
    }
  }
  lines.push('');
  const s = r.summary;
  const counts = [`${s.implemented} implemented`, `${s.stub} stub`, `${s.missing} missing`, ...(s.realDll ? [`${s.realDll} from real DLLs`] : [])];
  lines.push(`Imports (${s.total} from ${r.imports.length} DLL${r.imports.length === 1 ? '' : 's'}: ${counts.join(', ')}):`);
  for (const d of r.imports) {
    lines.push(`  ${d.dll}${d.delayed ? ' (delay-loaded)' : ''}: ${describeSource(d)}`);
    const w = Math.max(...d.imports.map((i) => i.name.length), 4);
    for (const i of d.imports) {
      let status = IMPORT_STATUS_TEXT[i.status];
      if (i.forwardedTo) status += ` (forwarded to ${i.forwardedTo})`;
      if (i.exported === false) status += `, but ${path.basename(d.path!)} does not export it: loading fails`;
      lines.push(`    ${i.name.padEnd(w)}  ${status}`);
    }
  }
  if (s.unloadable.length) {
    lines.push('');
    lines.push(`Loading fails: ${s.unloadable.join(', ')} cannot be found (put it next to the DLL or use --search-path).`);
  } else if (s.stub || s.missing) {
    lines.push('');
    const n = s.stub + s.missing;
    lines.push(`The DLL loads, but ${n === 1 ? 'a call that reaches the unimplemented import' : `a call that reaches any of the ${n} unimplemented imports`} stops with UnimplementedApiError.`);
  }
  io.out(lines.join('\n') + '\n');
  return 0;
}

function describeSource(d: DependencyCoverage): string {
  switch (d.source) {
    case 'builtin':
      return d.hostedBy ? `wowasm's built-in ${d.hostedBy} (which hosts this name)` : "wowasm's built-in DLL";
    case 'file':
      return `real DLL, found at ${d.path}`;
    case 'stub-module':
      return `${d.hostedBy ? `${d.hostedBy} (which hosts this name), ` : ''}a Windows system DLL wowasm has no module for: a stub module (loads; a call into it stops with UnimplementedApiError)`;
    case 'not-found':
      return 'real DLL, NOT found next to the DLL or in the search path (loading fails)';
    case 'unsupported':
      return 'a Windows system DLL wowasm does not provide yet (loading fails)';
  }
}

// ---- call -------------------------------------------------------------------------------------

function call(file: string, prototype: string, args: string[], opts: LoadOptions, io: CliIo): number {
  const proto = parsePrototype(prototype);
  if (args.length !== proto.params.length) {
    throw new UsageError(`${proto.name} takes ${proto.params.length} argument${proto.params.length === 1 ? '' : 's'}, got ${args.length}`);
  }
  const charset = opts.charset ?? 'windows-1252';
  const values = proto.params.map((p, i) => parseArg(args[i]!, p.type, `${proto.name}(${p.name})`, charset));
  const lib = loadSync(file, opts);
  try {
    const result = lib.func(prototype)(...values);
    let text = formatResult(result, proto);
    proto.params.forEach((p, i) => {
      const v = values[i];
      if (p.direction !== 'in' && typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) text += `${p.name} = ${toJson(v)}\n`;
    });
    io.out(text);
  } finally {
    lib.close();
  }
  return 0;
}

function formatResult(v: unknown, proto: FunctionProto): string {
  if (proto.ret.kind === 'void') return '';
  if (v === null) return 'null\n';
  if (typeof v === 'string') return v + '\n';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${v}\n`;
  return toJson(v) + '\n';
}

function toJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
}

/** An integer literal: decimal, 0x hex, 0b binary, 0o octal, with an optional sign. */
function parseInteger(text: string): bigint | undefined {
  const m = /^([+-]?)(0x[0-9a-f]+|0b[01]+|0o[0-7]+|\d+)$/i.exec(text.trim().replace(/_/g, ''));
  if (!m) return undefined;
  const v = BigInt(m[2]!);
  return m[1] === '-' ? -v : v;
}

/** Converts one command-line argument to the JS value the FFI takes for `t`. */
export function parseArg(text: string, t: CType, where: string, charset: Charset = 'windows-1252'): unknown {
  switch (t.kind) {
    case 'int': {
      if (t.flavour === 'bool' && /^(true|false)$/i.test(text)) return /^true$/i.test(text);
      let v = parseInteger(text);
      if (v === undefined && /^(true|false)$/i.test(text)) v = /^true$/i.test(text) ? 1n : 0n;
      if (v === undefined && (t.flavour === 'char' || t.flavour === 'wchar') && [...text].length === 1) return text;
      if (v === undefined) throw new UsageError(`${where}: "${text}" is not an integer (${t.name})`);
      const bits = BigInt(t.size * 8);
      const min = -(1n << (bits - 1n));
      const max = (1n << bits) - 1n; // signed or unsigned spelling of the same bits
      if (v < min || v > max) throw new UsageError(`${where}: ${text} does not fit in ${t.name} (${t.size * 8} bits)`);
      return t.size === 8 ? v : Number(v);
    }
    case 'float': {
      const s = text.trim().toLowerCase();
      const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, infinity: Infinity, '-infinity': -Infinity, nan: NaN };
      if (s in special) return special[s];
      const v = Number(s);
      if (s === '' || Number.isNaN(v)) throw new UsageError(`${where}: "${text}" is not a number (${t.name})`);
      return v;
    }
    case 'pointer': {
      if (isCharPointer(t) || isWcharPointer(t)) return text;
      const json = tryJson(text);
      if (json === null) return null;
      if (typeof json === 'object') return json;
      const explicit = text.startsWith('@');
      const target = t.to;
      const bytes = target.kind === 'void' || (target.kind === 'int' && target.size === 1);
      if (bytes && !explicit) return charset === 'utf-8' ? Buffer.from(text, 'utf8') : Buffer.from(text, 'latin1');
      const addr = parseInteger(explicit ? text.slice(1) : text);
      if (addr === undefined || addr < 0n || addr > 0xffff_ffffn) {
        throw new UsageError(`${where}: "${text}" is not a 32-bit address, null, or a JSON array/object for ${t.name}`);
      }
      return Number(addr);
    }
    case 'struct': {
      const json = tryJson(text);
      if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new UsageError(`${where}: struct ${t.name} needs a JSON object, not "${text}"`);
      return json;
    }
    default:
      throw new UsageError(`${where}: parameters of type ${t.name} cannot be given on the command line`);
  }
}

function tryJson(text: string): unknown {
  const s = text.trim();
  if (s === 'null' || s === 'NULL') return null;
  if (!s.startsWith('[') && !s.startsWith('{')) return undefined;
  try {
    return JSON.parse(s);
  } catch {
    throw new UsageError(`"${text}" is not valid JSON`);
  }
}
