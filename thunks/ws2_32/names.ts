// Byte order, address text, and name resolution. The conversions are real (inet_addr's a.b.c.d forms
// with octal and hex parts, IPv6 text as RFC 5952 writes it). The sandbox has no resolver: numeric
// addresses, "localhost" and the machine's own name resolve locally (to the loopback addresses), every
// other name fails with WSAHOST_NOT_FOUND (getaddrinfo's EAI_NONAME), as on a machine without DNS.

import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { writeAnsi, writeWide } from '../text.js';
import { started, ws2State, WSA } from './sockets.js';

export const AF_INET = 2;
export const AF_INET6 = 23;
const INADDR_NONE = 0xffff_ffff;

/** The machine's host name: the COMPUTERNAME the process sees, else WOWASM (the registry's name). */
export function hostName(p: Process): string {
  return p.env.get('COMPUTERNAME')?.value || 'WOWASM';
}

// ---- byte order ------------------------------------------------------------------------------

const swap16 = (v: number) => ((v & 0xff) << 8) | ((v >>> 8) & 0xff);
const swap32 = (v: number) => (((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24)) >>> 0;

// ---- IPv4 and IPv6 text ----------------------------------------------------------------------

/**
 * inet_addr: "a.b.c.d", "a.b.c" (c 16 bits), "a.b" (b 24 bits) or "a" (32 bits); each part decimal,
 * octal (leading 0) or hex (0x). Returns the address as its 4 bytes in memory (network order) read as a
 * little-endian u32, or undefined when invalid. Trailing spaces end the address.
 */
export function parseInetAddr(s: string): number | undefined {
  const text = s.replace(/ +$/, '');
  const parts = text.split('.');
  if (text === '' || parts.length > 4) return undefined;
  const values: number[] = [];
  for (const part of parts) {
    let v: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(part)) v = parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) v = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) v = parseInt(part, 10);
    else return undefined;
    if (!Number.isSafeInteger(v) || v > 0xffff_ffff) return undefined;
    values.push(v);
  }
  const last = values.pop()!;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return undefined;
  let host = 0;
  values.forEach((v, i) => (host += v * 2 ** (8 * (3 - i))));
  host += last;
  return swap32(host >>> 0);
}

/** inet_pton's IPv4: exactly four decimal parts 0-255, no leading zeros. Bytes in network order. */
export function parseIpv4(s: string): Uint8Array | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map((x) => (x.length > 1 && x.startsWith('0') ? 256 : Number(x)));
  return parts.every((v) => v <= 255) ? Uint8Array.from(parts) : undefined;
}

/** IPv6 text (hex groups, one "::", an IPv4 tail) to 16 bytes; undefined when invalid. */
export function parseIpv6(s: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string, allowV4: boolean): number[] | undefined => {
    if (part === '') return [];
    const items = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (allowV4 && i === items.length - 1 && it.includes('.')) {
        const v4 = parseIpv4(it);
        if (!v4) return undefined;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(it)) out.push(parseInt(it, 16));
      else return undefined;
    }
    return out;
  };
  const head = groups(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? groups(halves[1]!, true) : [];
  if (!head || !tail) return undefined;
  const total = head.length + tail.length;
  if (halves.length === 1 ? total !== 8 : total > 7) return undefined;
  const all = [...head, ...new Array<number>(8 - total).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  all.forEach((g, i) => {
    bytes[2 * i] = g >>> 8;
    bytes[2 * i + 1] = g & 0xff;
  });
  return bytes;
}

export function formatIpv4(b: ArrayLike<number>): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** RFC 5952: lower-case hex, the longest run (2+) of zero groups as "::", IPv4-mapped as ::ffff:a.b.c.d. */
export function formatIpv6(b: ArrayLike<number>): string {
  const g = Array.from({ length: 8 }, (_, i) => (b[2 * i]! << 8) | b[2 * i + 1]!);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${formatIpv4([b[12]!, b[13]!, b[14]!, b[15]!])}`;
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) (best = i), (bestLen = j - i);
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(':');
  if (best < 0) return hex(g);
  return `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

function inet_addr(_p: Process, cp: string | null): number {
  return cp === null ? INADDR_NONE : parseInetAddr(cp) ?? INADDR_NONE;
}

/** inet_ntoa: the text in a per-thread buffer that the next call overwrites. */
function inet_ntoa(p: Process, inAddr: number): number {
  const s = p.state(ws2State);
  if (!s.ntoaBuffer) s.ntoaBuffer = p.allocStatic(16);
  writeAnsi(p.mem, s.ntoaBuffer, formatIpv4([inAddr & 0xff, (inAddr >>> 8) & 0xff, (inAddr >>> 16) & 0xff, inAddr >>> 24]));
  return s.ntoaBuffer;
}

/** inet_pton/InetPtonW: 1 converted, 0 not an address of that family, -1 (and an error) for bad arguments. */
function inetPton(p: Process, family: number, text: string | null, dst: number): number {
  if (family !== AF_INET && family !== AF_INET6) {
    p.setLastError(WSA.EAFNOSUPPORT);
    return -1;
  }
  if (text === null || dst === 0) {
    p.setLastError(WSA.EFAULT);
    return -1;
  }
  const bytes = family === AF_INET ? parseIpv4(text) : parseIpv6(text);
  if (!bytes) return 0;
  p.mem.write(dst, bytes);
  return 1;
}

/** inet_ntop/InetNtopW: the text in the caller's buffer (returned), or NULL and an error. */
function inetNtop(p: Process, family: number, src: number, buf: number, size: number, wide: boolean): number {
  if (family !== AF_INET && family !== AF_INET6) {
    p.setLastError(WSA.EAFNOSUPPORT);
    return 0;
  }
  if (src === 0 || buf === 0) {
    p.setLastError(WSA.EINVAL);
    return 0;
  }
  const text = family === AF_INET ? formatIpv4(p.mem.read(src, 4)) : formatIpv6(p.mem.read(src, 16));
  if (text.length + 1 > size) {
    p.setLastError(WSA.EINVAL);
    return 0;
  }
  if (wide) writeWide(p.mem, buf, text);
  else writeAnsi(p.mem, buf, text);
  return buf;
}

// ---- host names --------------------------------------------------------------------------------

function gethostname(p: Process, name: number, namelen: number, wide: boolean): number {
  if (!started(p)) return -1;
  const host = hostName(p);
  if (name === 0 || (namelen | 0) <= host.length) {
    p.setLastError(WSA.EFAULT);
    return -1;
  }
  if (wide) writeWide(p.mem, name, host);
  else writeAnsi(p.mem, name, host);
  return 0;
}

/** Addresses a name resolves to without a resolver (IPv4 and IPv6, network-order bytes), or undefined. */
function localAddresses(p: Process, name: string): { v4: Uint8Array[]; v6: Uint8Array[] } | undefined {
  const n = name.toLowerCase();
  if (n === 'localhost' || n === hostName(p).toLowerCase()) return { v4: [Uint8Array.of(127, 0, 0, 1)], v6: [loopback6()] };
  return undefined;
}

function loopback6(): Uint8Array {
  const b = new Uint8Array(16);
  b[15] = 1;
  return b;
}

/**
 * gethostbyname: a dotted address, "localhost", the own name or NULL (the own name) resolve; others fail
 * with WSAHOST_NOT_FOUND. The HOSTENT lives in a per-thread buffer the next call overwrites.
 */
function gethostbyname(p: Process, name: string | null): number {
  if (!started(p)) return 0;
  const wanted = name ?? hostName(p);
  let hostname = wanted;
  let addrs: number[];
  const literal = parseInetAddr(wanted);
  if (literal !== undefined && /^[0-9a-fA-FxX.]+$/.test(wanted)) addrs = [literal];
  else {
    const local = localAddresses(p, wanted);
    if (!local) {
      p.setLastError(WSA.HOST_NOT_FOUND);
      return 0;
    }
    hostname = wanted.toLowerCase() === 'localhost' ? wanted : hostName(p);
    addrs = local.v4.map((b) => b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24));
  }
  const s = p.state(ws2State);
  const SIZE = 0x200;
  if (!s.hostentBuffer) s.hostentBuffer = p.allocStatic(SIZE);
  const m = p.mem;
  const h = s.hostentBuffer;
  m.fill(h, 0, SIZE);
  // HOSTENT { h_name, h_aliases, short h_addrtype, short h_length, h_addr_list }, then the arrays.
  const aliases = h + 16;
  const list = aliases + 4;
  const data = list + 4 * (addrs.length + 1);
  const nameAt = data + 4 * addrs.length;
  m.setU32(h, nameAt);
  m.setU32(h + 4, aliases);
  m.setU16(h + 8, AF_INET);
  m.setU16(h + 10, 4);
  m.setU32(h + 12, list);
  addrs.forEach((a, i) => {
    m.setU32(data + 4 * i, a);
    m.setU32(list + 4 * i, data + 4 * i);
  });
  writeAnsi(m, nameAt, hostname.slice(0, SIZE - (nameAt - h) - 1));
  return h;
}

// ---- getaddrinfo ------------------------------------------------------------------------------------

const AI_PASSIVE = 0x1;
const AI_CANONNAME = 0x2;
const AI_NUMERICHOST = 0x4;
const AI_NUMERICSERV = 0x8;
const AI_KNOWN_FLAGS = 0x1 | 0x2 | 0x4 | 0x8 | 0x100 | 0x400 | 0x800 | 0x1000 | 0x2000 | 0x4000 | 0x8000 | 0x1_0000 | 0x2_0000 | 0x4_0000 | 0x8_0000;

/** Well-known services (the Windows services file's entries for the common ones). */
const SERVICES: Record<string, number> = { echo: 7, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, http: 80, www: 80, pop3: 110, ntp: 123, imap: 143, ldap: 389, https: 443 };

const ADDRINFO_SIZE = 32;

/**
 * getaddrinfo/GetAddrInfoW: one ADDRINFO per address (socket type and protocol as hinted), each in one
 * heap block with its sockaddr and canonical name, so freeaddrinfo frees them one by one. Returns 0 or
 * an EAI_* code (the WSA error of the same value, also set as the last error).
 */
function getaddrinfo(p: Process, node: string | null, service: string | null, hints: number, result: number, wide: boolean): number {
  const fail = (code: number) => {
    p.setLastError(code);
    return code;
  };
  if (!started(p)) return WSA.NOTINITIALISED;
  if (result === 0) return fail(WSA.EINVAL);
  p.mem.setU32(result, 0);
  const m = p.mem;
  const flags = hints ? m.u32(hints) : 0;
  const family = hints ? m.i32(hints + 4) : 0;
  const socktype = hints ? m.i32(hints + 8) : 0;
  const protocol = hints ? m.i32(hints + 12) : 0;
  if (flags & ~AI_KNOWN_FLAGS || (flags & AI_CANONNAME && node === null)) return fail(WSA.EINVAL); // EAI_BADFLAGS
  if (family !== 0 && family !== AF_INET && family !== AF_INET6) return fail(WSA.EAFNOSUPPORT); // EAI_FAMILY
  if (socktype < 0 || socktype > 5) return fail(WSA.ESOCKTNOSUPPORT); // EAI_SOCKTYPE
  if (node === null && service === null) return fail(WSA.HOST_NOT_FOUND); // EAI_NONAME

  let port = 0;
  if (service !== null && service !== '') {
    if (/^\d+$/.test(service) && Number(service) <= 65535) port = Number(service);
    else if (flags & AI_NUMERICSERV) return fail(WSA.HOST_NOT_FOUND);
    else if (SERVICES[service.toLowerCase()] !== undefined) port = SERVICES[service.toLowerCase()]!;
    else return fail(WSA.TYPE_NOT_FOUND); // EAI_SERVICE
  }

  let v4: Uint8Array[] = [];
  let v6: Uint8Array[] = [];
  let canonical = node ?? '';
  if (node === null) {
    if (flags & AI_PASSIVE) (v4 = [new Uint8Array(4)]), (v6 = [new Uint8Array(16)]);
    else (v4 = [Uint8Array.of(127, 0, 0, 1)]), (v6 = [loopback6()]);
  } else {
    const a4 = parseIpv4(node);
    const a6 = a4 ? undefined : parseIpv6(node);
    if (a4) v4 = [a4];
    else if (a6) v6 = [a6];
    else if (flags & AI_NUMERICHOST) return fail(WSA.HOST_NOT_FOUND);
    else {
      const local = localAddresses(p, node);
      if (!local) return fail(WSA.HOST_NOT_FOUND);
      ({ v4, v6 } = local);
      canonical = node.toLowerCase() === 'localhost' ? node : hostName(p);
    }
  }
  const entries = [...(family === AF_INET ? [] : v6.map((a) => ({ af: AF_INET6, a }))), ...(family === AF_INET6 ? [] : v4.map((a) => ({ af: AF_INET, a })))];
  if (entries.length === 0) return fail(WSA.HOST_NOT_FOUND);

  let prevNext = result;
  entries.forEach((e, i) => {
    const addrLen = e.af === AF_INET ? 16 : 28;
    const canon = i === 0 && flags & AI_CANONNAME ? canonical : undefined;
    const canonBytes = canon === undefined ? 0 : wide ? 2 * canon.length + 2 : canon.length + 1;
    const block = p.heap.alloc(ADDRINFO_SIZE + addrLen + canonBytes, true);
    const sa = block + ADDRINFO_SIZE;
    m.setU32(block, flags);
    m.setU32(block + 4, e.af);
    m.setU32(block + 8, socktype);
    m.setU32(block + 12, protocol);
    m.setU32(block + 16, addrLen);
    m.setU32(block + 24, sa);
    m.setU16(sa, e.af);
    m.setU16(sa + 2, swap16(port));
    m.write(sa + (e.af === AF_INET ? 4 : 8), e.a);
    if (canon !== undefined) {
      const at = sa + addrLen;
      if (wide) writeWide(m, at, canon);
      else writeAnsi(m, at, canon);
      m.setU32(block + 20, at);
    }
    m.setU32(prevNext, block);
    prevNext = block + 28;
  });
  return 0;
}

function freeaddrinfo(p: Process, ai: number): void {
  for (let a = ai, n = 0; a !== 0 && n < 1024; n++) {
    const next = p.mem.u32(a + 28);
    p.heap.free(a);
    a = next;
  }
}

/** ws2_32 exports of this area (the DLL table is their union, see thunks/ws2_32.ts). */
export const namesApi = {
  FreeAddrInfoW: fn('stdcall', ['ptr'], 'void', freeaddrinfo),
  GetAddrInfoW: fn('stdcall', ['wstr', 'wstr', 'ptr', 'ptr'], 'int', (p, node, service, hints, result) => getaddrinfo(p, node, service, hints, result, true)),
  GetHostNameW: fn('stdcall', ['ptr', 'int'], 'int', (p, name, len) => gethostname(p, name, len, true)),
  InetNtopW: fn('stdcall', ['int', 'ptr', 'ptr', 'long'], 'ptr', (p, af, src, buf, size) => inetNtop(p, af, src, buf, size, true)),
  InetPtonW: fn('stdcall', ['int', 'wstr', 'ptr'], 'int', inetPton),
  freeaddrinfo: fn('stdcall', ['ptr'], 'void', freeaddrinfo),
  getaddrinfo: fn('stdcall', ['str', 'str', 'ptr', 'ptr'], 'int', (p, node, service, hints, result) => getaddrinfo(p, node, service, hints, result, false)),
  gethostbyname: fn('stdcall', ['str'], 'ptr', gethostbyname),
  gethostname: fn('stdcall', ['ptr', 'int'], 'int', (p, name, len) => gethostname(p, name, len, false)),
  htonl: fn('stdcall', ['long'], 'long', (_p, v) => swap32(v)),
  htons: fn('stdcall', ['long'], 'long', (_p, v) => swap16(v & 0xffff)),
  inet_addr: fn('stdcall', ['str'], 'long', inet_addr),
  inet_ntoa: fn('stdcall', ['long'], 'ptr', inet_ntoa),
  inet_ntop: fn('stdcall', ['int', 'ptr', 'ptr', 'long'], 'ptr', (p, af, src, buf, size) => inetNtop(p, af, src, buf, size, false)),
  inet_pton: fn('stdcall', ['int', 'str', 'ptr'], 'int', inetPton),
  ntohl: fn('stdcall', ['long'], 'long', (_p, v) => swap32(v)),
  ntohs: fn('stdcall', ['long'], 'long', (_p, v) => swap16(v & 0xffff)),
};
