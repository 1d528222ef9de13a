// .reg files, as regedit writes and reads them: "Windows Registry Editor Version 5.00" (UTF-16LE with a
// BOM when regedit writes it; UTF-8 is accepted too) or the older ANSI "REGEDIT4". Keys in [brackets]
// ([-key] deletes), then "name"=data lines (@ for the default value, =- deletes): "text", dword:hex,
// hex:bytes (REG_BINARY), hex(N):bytes (type N), with lines continued by a trailing backslash.

import { RegistrySeedError } from '../errors.js';
import { decodeBytes, decodeUtf16, encodeUtf16 } from '../text.js';
import { dword, exportRoots, Hive, hexBytes, isStringType, REG, storedString, walkTree, type RegValue } from './hive.js';

export const REG5_HEADER = 'Windows Registry Editor Version 5.00';
export const REG4_HEADER = 'REGEDIT4';

/** Is this text a .reg file (rather than a path to one)? */
export function looksLikeRegFile(text: string): boolean {
  const first = text.replace(/^\ufeff/, '').trimStart().split(/\r?\n|\r/, 1)[0]!.trim();
  return first === REG5_HEADER || first === REG4_HEADER;
}

/** The text of a .reg file from its bytes: UTF-16LE or UTF-8 by BOM, else UTF-8, else Windows-1252. */
export function decodeRegFile(bytes: Uint8Array): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    const n = (bytes.length - 2) >> 1;
    const units = new Uint16Array(n);
    for (let i = 0; i < n; i++) units[i] = bytes[2 + 2 * i]! | (bytes[3 + 2 * i]! << 8);
    return decodeUtf16(units);
  }
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return decodeBytes(bytes, 1252);
  }
}

/** Applies a .reg file to the hive, line by line, in order. */
export function applyRegFile(hive: Hive, text: string, source: string): void {
  const lines = text.replace(/^\ufeff/, '').split(/\r\n|\n|\r/);
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === '') i++;
  const header = (lines[i] ?? '').trim();
  if (header !== REG5_HEADER && header !== REG4_HEADER) {
    throw new RegistrySeedError(source, `line ${i + 1}: a .reg file starts with "${REG5_HEADER}" or "${REG4_HEADER}", not "${header.slice(0, 60)}"`);
  }
  const ansi = header === REG4_HEADER;
  let key: ReturnType<Hive['create']> | undefined;
  let deletedKey = false;
  for (i++; i < lines.length; i++) {
    const lineNo = i + 1;
    let line = lines[i]!.trim();
    if (line === '' || line.startsWith(';')) continue;
    const fail = (problem: string): never => {
      throw new RegistrySeedError(source, `line ${lineNo}: ${problem}`);
    };
    if (line.startsWith('[')) {
      const end = line.lastIndexOf(']');
      if (end < 0) fail(`"${line}" has no closing ]`);
      let path = line.slice(1, end).trim();
      const del = path.startsWith('-');
      if (del) path = path.slice(1);
      const r = hive.resolvePath(path);
      if (!r) fail(`"${path}" does not start with a registry root such as HKEY_CURRENT_USER`);
      if (del) {
        const k = hive.walk(r!.root, r!.components);
        if (k && !hive.deleteTree(k)) fail(`"${path}" cannot be deleted: it is, or holds, a root of the registry`);
        key = undefined;
        deletedKey = true;
      } else {
        key = hive.create(r!.root, r!.components);
        deletedKey = false;
      }
      continue;
    }
    // A value: continued lines (hex data ending in a backslash) are joined first.
    while (line.endsWith('\\') && /=\s*hex(\([0-9a-fA-F]+\))?:/i.test(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.trim();
    }
    if (!key) {
      if (deletedKey) continue; // regedit ignores the values of a deleted key
      fail('a value before any [key] line');
    }
    const { name, rest } = parseName(line, fail);
    const eq = /^\s*=\s*/.exec(rest);
    if (!eq) fail(`expected = after the value name in "${line}"`);
    const data = rest.slice(eq![0].length);
    if (data === '-') {
      key!.deleteValue(name);
      continue;
    }
    const v = parseData(data, ansi, fail);
    key!.setValue(name, v.type, v.data);
  }
}

function parseName(line: string, fail: (p: string) => never): { name: string; rest: string } {
  if (line.startsWith('@')) return { name: '', rest: line.slice(1) };
  if (!line.startsWith('"')) fail(`a value line starts with "name" or @, not "${line.slice(0, 40)}"`);
  const s = parseQuoted(line, 0, fail);
  return { name: s.text, rest: line.slice(s.end) };
}

/** A "quoted" string from `at` (the opening quote): \\ and \" are escapes. Returns the text and the index after it. */
function parseQuoted(line: string, at: number, fail: (p: string) => never): { text: string; end: number } {
  let text = '';
  for (let i = at + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"') return { text, end: i + 1 };
    if (c === '\\' && (line[i + 1] === '\\' || line[i + 1] === '"')) {
      text += line[++i];
      continue;
    }
    text += c;
  }
  return fail(`unterminated string in "${line.slice(0, 60)}"`);
}

function parseData(data: string, ansi: boolean, fail: (p: string) => never): { type: number; data: Uint8Array } {
  if (data.startsWith('"')) {
    const s = parseQuoted(data, 0, fail);
    if (data.slice(s.end).trim() !== '') fail(`unexpected text after the string: "${data.slice(s.end)}"`);
    return { type: REG.SZ, data: encodeUtf16(s.text + '\0') };
  }
  const dw = /^dword:([0-9a-fA-F]{1,8})$/i.exec(data);
  if (dw) return { type: REG.DWORD, data: dword(parseInt(dw[1]!, 16)) };
  const hex = /^hex(?:\(([0-9a-fA-F]{1,8})\))?:(.*)$/i.exec(data);
  if (!hex) return fail(`unknown value data "${data.slice(0, 40)}" (expected "text", dword:, hex: or hex(N):)`);
  const type = hex[1] === undefined ? REG.BINARY : parseInt(hex[1], 16);
  const body = hex[2]!.trim().replace(/,$/, '');
  const bytes: number[] = [];
  if (body !== '') {
    for (const t of body.split(',')) {
      const b = t.trim();
      if (!/^[0-9a-fA-F]{1,2}$/.test(b)) fail(`"${b}" is not a hex byte`);
      bytes.push(parseInt(b, 16));
    }
  }
  let out: Uint8Array = Uint8Array.from(bytes);
  // REGEDIT4 files hold strings as ANSI bytes; the registry keeps UTF-16.
  if (ansi && isStringType(type)) out = encodeUtf16(decodeBytes(out, 1252));
  return { type, data: out };
}

// ---- writing ------------------------------------------------------------------------------------

/** The registry (or one key's subtree) as the text of a .reg file, lines ending in CR LF as regedit's. */
export function formatRegFile(hive: Hive, key?: string): string {
  const out: string[] = [REG5_HEADER, ''];
  for (const root of exportRoots(hive, key)) {
    for (const { key: k, path } of walkTree(root.key, root.path)) {
      out.push(`[${path}]`);
      for (const v of k.values()) out.push(...formatValue(v));
      out.push('');
    }
  }
  return out.join('\r\n') + '\r\n';
}

function quote(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';
}

function formatValue(v: RegValue): string[] {
  const name = v.name === '' ? '@' : quote(v.name);
  const d = v.data;
  if (v.type === REG.SZ && d.length >= 2 && d.length % 2 === 0) {
    const text = storedString(d);
    // "text" says exactly these bytes only for a string with its NUL and nothing after it.
    if ((text.length + 1) * 2 === d.length && !/[\r\n]/.test(text)) return [`${name}=${quote(text)}`];
  }
  if (v.type === REG.DWORD && d.length === 4) return [`${name}=dword:${new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true).toString(16).padStart(8, '0')}`];
  const prefix = `${name}=${v.type === REG.BINARY ? 'hex' : `hex(${v.type.toString(16)})`}:`;
  // regedit wraps long hex data at 80 columns, continuing with a backslash and two spaces.
  const lines: string[] = [];
  let line = prefix;
  const bytes = hexBytes(d, ',').split(',').filter((b) => b !== '');
  bytes.forEach((b, i) => {
    const piece = b + (i < bytes.length - 1 ? ',' : '');
    if (line.length + piece.length > 78 && i > 0) {
      lines.push(line + '\\');
      line = '  ';
    }
    line += piece;
  });
  lines.push(line);
  return lines;
}
