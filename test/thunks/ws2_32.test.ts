// ws2_32 in the sandbox: start-up works, sockets are refused (WSAEACCES), calls on socket handles fail
// with WSAENOTSOCK, address conversions are real, and only local names resolve. Error codes, structure
// layouts and ordinals are those of Microsoft's Winsock reference (winsock2.h, ws2tcpip.h).
import { beforeEach, describe, expect, test } from 'vitest';
import { registry } from '../../thunks/registry.js';
import { win32, type Win32 } from '../helpers/win32.js';

const WSAEACCES = 10013;
const WSAEFAULT = 10014;
const WSAEINVAL = 10022;
const WSAENOTSOCK = 10038;
const WSAESOCKTNOSUPPORT = 10044;
const WSAEAFNOSUPPORT = 10047;
const WSAVERNOTSUPPORTED = 10092;
const WSANOTINITIALISED = 10093;
const WSATYPE_NOT_FOUND = 10109;
const WSAHOST_NOT_FOUND = 11001;
const SOCKET_ERROR = -1;
const INVALID_SOCKET = 0xffffffff;
const AF_INET = 2;
const AF_INET6 = 23;
const SOCK_STREAM = 1;
const IPPROTO_TCP = 6;

let w: Win32;
const ws = (name: string, ...args: (number | bigint)[]) => w.call('ws2_32.dll', name, args);
const wsi = (name: string, ...args: number[]) => ws(name, ...args) | 0;

function startup(version = 0x0202): number {
  return wsi('WSAStartup', version, w.buf(400));
}

beforeEach(() => {
  w = win32();
});

describe('WSAStartup / WSACleanup', () => {
  test('version 2.2: WSADATA filled in, counted start-ups', () => {
    const d = w.buf(400);
    expect(wsi('WSAStartup', 0x0202, d)).toBe(0);
    expect(w.cpu.mem.u16(d)).toBe(0x0202); // wVersion
    expect(w.cpu.mem.u16(d + 2)).toBe(0x0202); // wHighVersion
    expect(w.readStr(d + 4)).toBe('WinSock 2.0');
    expect(w.readStr(d + 261)).toBe('Running');
    expect(w.cpu.mem.u16(d + 390)).toBe(0); // iMaxSockets: 0 for 2.x
    expect(w.u32(d + 396)).toBe(0); // lpVendorInfo
    expect(startup()).toBe(0);
    expect(wsi('WSACleanup')).toBe(0);
    expect(wsi('WSACleanup')).toBe(0);
    expect(wsi('WSACleanup')).toBe(SOCKET_ERROR);
    expect(wsi('WSAGetLastError')).toBe(WSANOTINITIALISED);
  });

  test('the negotiated version: the highest supported one not above the request', () => {
    const version = (req: number) => {
      const d = w.buf(400);
      const r = wsi('WSAStartup', req, d);
      return [r, w.cpu.mem.u16(d)];
    };
    expect(version(0x0101)).toEqual([0, 0x0101]); // 1.1
    expect(version(0x0001)).toEqual([0, 0x0001]); // 1.0
    expect(version(0x0501)).toEqual([0, 0x0101]); // 1.5 -> 1.1
    expect(version(0x0002)).toEqual([0, 0x0002]); // 2.0
    expect(version(0x0303)).toEqual([0, 0x0202]); // 3.3 -> 2.2
    expect(version(0x0000)[0]).toBe(WSAVERNOTSUPPORTED);
    expect(wsi('WSAStartup', 0x0202, 0)).toBe(WSAEFAULT);
  });

  test('Winsock 1.1 callers get the 1.1 limits', () => {
    const d = w.buf(400);
    expect(wsi('WSAStartup', 0x0101, d)).toBe(0);
    expect(w.cpu.mem.u16(d + 390)).toBe(32767);
    expect(w.cpu.mem.u16(d + 392)).toBe(65467);
  });

  test('WSAGetLastError is the thread last error', () => {
    ws('WSASetLastError', 12345);
    expect(w.k32('GetLastError')).toBe(12345);
    w.k32('SetLastError', 777);
    expect(wsi('WSAGetLastError')).toBe(777);
  });
});

describe('sockets are refused', () => {
  test('before WSAStartup: WSANOTINITIALISED', () => {
    expect(ws('socket', AF_INET, SOCK_STREAM, IPPROTO_TCP)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSANOTINITIALISED);
    expect(ws('WSASocketA', 0, 0, 0, 0, 0, 0)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSANOTINITIALISED);
    expect(wsi('closesocket', 0x100)).toBe(SOCKET_ERROR);
    expect(wsi('WSAGetLastError')).toBe(WSANOTINITIALISED);
    expect(ws('gethostbyname', w.str('localhost'))).toBe(0);
    expect(wsi('WSAGetLastError')).toBe(WSANOTINITIALISED);
  });

  test('socket and WSASocket: WSAEACCES; bad families and types are named as such', () => {
    startup();
    expect(ws('socket', AF_INET, SOCK_STREAM, IPPROTO_TCP)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSAEACCES);
    expect(ws('WSASocketW', AF_INET6, 2, 17, 0, 0, 1)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSAEACCES);
    expect(ws('socket', 99, SOCK_STREAM, 0)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSAEAFNOSUPPORT);
    expect(ws('socket', AF_INET, 42, 0)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSAESOCKTNOSUPPORT);
  });

  test('calls on a socket handle: SOCKET_ERROR and WSAENOTSOCK', () => {
    startup();
    const b = w.buf(64);
    const calls: [string, number[]][] = [
      ['closesocket', [0x1234]],
      ['connect', [0x1234, b, 16]],
      ['bind', [0x1234, b, 16]],
      ['listen', [0x1234, 5]],
      ['send', [0x1234, b, 4, 0]],
      ['recv', [0x1234, b, 4, 0]],
      ['sendto', [0x1234, b, 4, 0, b, 16]],
      ['recvfrom', [0x1234, b, 4, 0, b, b + 32]],
      ['ioctlsocket', [0x1234, 0x8004667e, b]],
      ['setsockopt', [0x1234, 0xffff, 4, b, 4]],
      ['getsockopt', [0x1234, 0xffff, 4, b, b + 32]],
      ['shutdown', [0x1234, 2]],
      ['getsockname', [0x1234, b, b + 32]],
      ['getpeername', [0x1234, b, b + 32]],
      ['WSAIoctl', [0x1234, 0x4004747b, 0, 0, b, 4, b + 8, 0, 0]],
      ['WSASend', [0x1234, b, 1, b + 8, 0, 0, 0]],
      ['WSARecv', [0x1234, b, 1, b + 8, b + 12, 0, 0]],
    ];
    for (const [name, args] of calls) {
      w.k32('SetLastError', 0);
      expect(wsi(name, ...args), name).toBe(SOCKET_ERROR);
      expect(wsi('WSAGetLastError'), name).toBe(WSAENOTSOCK);
    }
    expect(ws('accept', 0x1234, 0, 0)).toBe(INVALID_SOCKET);
    expect(wsi('WSAGetLastError')).toBe(WSAENOTSOCK);
  });

  test('select: a socket in a set is not a socket; no sockets at all is WSAEINVAL', () => {
    startup();
    const set = w.buf(4 + 64 * 4);
    expect(wsi('select', 0, set, 0, 0, 0)).toBe(SOCKET_ERROR);
    expect(wsi('WSAGetLastError')).toBe(WSAEINVAL);
    w.cpu.mem.setU32(set, 1);
    w.cpu.mem.setU32(set + 4, 0x88);
    expect(wsi('select', 0, 0, set, 0, 0)).toBe(SOCKET_ERROR);
    expect(wsi('WSAGetLastError')).toBe(WSAENOTSOCK);
    expect(wsi('__WSAFDIsSet', 0x88, set)).toBe(1);
    expect(wsi('__WSAFDIsSet', 0x89, set)).toBe(0);
  });

  test('SO_OPENTYPE works without a socket, per thread', () => {
    startup();
    const v = w.buf(8);
    const len = w.buf(4);
    w.cpu.mem.setU32(v, 0x20);
    expect(wsi('setsockopt', INVALID_SOCKET, 0xffff, 0x7008, v, 4)).toBe(0);
    w.cpu.mem.setU32(len, 4);
    expect(wsi('getsockopt', INVALID_SOCKET, 0xffff, 0x7008, v + 4, len)).toBe(0);
    expect(w.u32(v + 4)).toBe(0x20);
  });
});

describe('byte order and address text', () => {
  test('htons/htonl/ntohs/ntohl', () => {
    expect(ws('htons', 0x1234)).toBe(0x3412);
    expect(ws('htons', 0xabcd_1234)).toBe(0x3412); // u_short: the high word is not part of it
    expect(ws('ntohs', 0x3412)).toBe(0x1234);
    expect(ws('htonl', 0x1234_5678)).toBe(0x7856_3412);
    expect(ws('ntohl', 0x7856_3412)).toBe(0x1234_5678);
  });

  test('inet_addr: all the a.b.c.d forms, in network order', () => {
    const a = (s: string) => ws('inet_addr', w.str(s));
    expect(a('1.2.3.4')).toBe(0x0403_0201);
    expect(a('127.0.0.1')).toBe(0x0100_007f);
    expect(a('0x7f.1')).toBe(0x0100_007f); // a.b: b is 24 bits
    expect(a('10.1.258')).toBe(0x0201_010a); // a.b.c: c is 16 bits
    expect(a('3232235777')).toBe(0x0101_a8c0); // a: 32 bits = 192.168.1.1
    expect(a('0300.0250.01.01')).toBe(0x0101_a8c0); // octal parts
    expect(a('255.255.255.255')).toBe(0xffff_ffff);
    for (const bad of ['', '1.2.3.256', '1.2.3.4.5', 'a.b.c.d', '1..2.3', '08.1.1.1', '1.2.3.4x']) expect(a(bad), bad).toBe(0xffff_ffff);
    expect(ws('inet_addr', 0)).toBe(0xffff_ffff);
  });

  test('inet_ntoa: the dotted text in a per-thread buffer', () => {
    const p = ws('inet_ntoa', 0x0403_0201);
    expect(w.readStr(p)).toBe('1.2.3.4');
    expect(ws('inet_ntoa', 0xffff_ffff)).toBe(p);
    expect(w.readStr(p)).toBe('255.255.255.255');
  });

  test('inet_pton / InetPtonW', () => {
    const out = w.buf(16);
    expect(wsi('inet_pton', AF_INET, w.str('192.168.0.1'), out)).toBe(1);
    expect([...w.cpu.mem.read(out, 4)]).toEqual([192, 168, 0, 1]);
    expect(wsi('inet_pton', AF_INET, w.str('192.168.0'), out)).toBe(0);
    expect(wsi('inet_pton', AF_INET, w.str('0x7f.0.0.1'), out)).toBe(0);
    expect(wsi('inet_pton', AF_INET6, w.str('2001:db8::ff00:42:8329'), out)).toBe(1);
    expect([...w.cpu.mem.read(out, 16)]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0xff, 0x00, 0x00, 0x42, 0x83, 0x29]);
    expect(wsi('InetPtonW', AF_INET6, w.wstr('::ffff:1.2.3.4'), out)).toBe(1);
    expect([...w.cpu.mem.read(out, 16)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    for (const bad of ['1::2::3', '12345::', ':::', '1:2:3:4:5:6:7:8:9', 'fe80::1%3', 'g::1']) expect(wsi('inet_pton', AF_INET6, w.str(bad), out), bad).toBe(0);
    expect(wsi('inet_pton', 99, w.str('1.2.3.4'), out)).toBe(-1);
    expect(wsi('WSAGetLastError')).toBe(WSAEAFNOSUPPORT);
    expect(wsi('inet_pton', AF_INET, 0, out)).toBe(-1);
    expect(wsi('WSAGetLastError')).toBe(WSAEFAULT);
  });

  test('inet_ntop / InetNtopW', () => {
    const addr = w.bytes([10, 0, 0, 255]);
    const buf = w.buf(64);
    expect(ws('inet_ntop', AF_INET, addr, buf, 64)).toBe(buf);
    expect(w.readStr(buf)).toBe('10.0.0.255');
    const six = (bytes: number[]) => {
      expect(ws('inet_ntop', AF_INET6, w.bytes(bytes), buf, 64)).toBe(buf);
      return w.readStr(buf);
    };
    expect(six([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('2001:db8::1');
    expect(six(Array(16).fill(0))).toBe('::');
    expect(six([...Array(15).fill(0), 1])).toBe('::1');
    expect(six([0xfe, 0x80, ...Array(14).fill(0)])).toBe('fe80::');
    expect(six([0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3])).toBe('1:0:0:2::3'); // the longer run
    expect(six([...Array(10).fill(0), 0xff, 0xff, 192, 0, 2, 1])).toBe('::ffff:192.0.2.1');
    expect(ws('InetNtopW', AF_INET, addr, buf, 11)).toBe(buf);
    expect(w.readWStr(buf)).toBe('10.0.0.255');
    expect(ws('inet_ntop', AF_INET, addr, buf, 10)).toBe(0); // no room for the NUL
    expect(wsi('WSAGetLastError')).toBe(WSAEINVAL);
    expect(ws('inet_ntop', 99, addr, buf, 64)).toBe(0);
    expect(wsi('WSAGetLastError')).toBe(WSAEAFNOSUPPORT);
  });
});

describe('names', () => {
  test('gethostname / GetHostNameW: the computer name, WSAEFAULT when it does not fit', () => {
    startup();
    const buf = w.buf(64);
    expect(wsi('gethostname', buf, 64)).toBe(0);
    expect(w.readStr(buf)).toBe('WOWASM');
    expect(wsi('gethostname', buf, 6)).toBe(SOCKET_ERROR);
    expect(wsi('WSAGetLastError')).toBe(WSAEFAULT);
    expect(wsi('GetHostNameW', buf, 7)).toBe(0);
    expect(w.readWStr(buf)).toBe('WOWASM');
    const named = win32({ env: { COMPUTERNAME: 'BUILD-07' } });
    named.call('ws2_32.dll', 'WSAStartup', [0x202, named.buf(400)]);
    const b2 = named.buf(32);
    expect(named.call('ws2_32.dll', 'gethostname', [b2, 32])).toBe(0);
    expect(named.readStr(b2)).toBe('BUILD-07');
  });

  test('gethostbyname: local names and dotted addresses only', () => {
    startup();
    const h = ws('gethostbyname', w.str('localhost'));
    expect(h).not.toBe(0);
    expect(w.readStr(w.u32(h))).toBe('localhost');
    expect(w.cpu.mem.u16(h + 8)).toBe(AF_INET); // h_addrtype
    expect(w.cpu.mem.u16(h + 10)).toBe(4); // h_length
    const list = w.u32(h + 12);
    expect([...w.cpu.mem.read(w.u32(list), 4)]).toEqual([127, 0, 0, 1]);
    expect(w.u32(list + 4)).toBe(0);
    expect(w.u32(w.u32(h + 4))).toBe(0); // no aliases
    const lit = ws('gethostbyname', w.str('10.9.8.7'));
    expect([...w.cpu.mem.read(w.u32(w.u32(lit + 12)), 4)]).toEqual([10, 9, 8, 7]);
    expect(w.readStr(w.u32(lit))).toBe('10.9.8.7');
    expect(ws('gethostbyname', w.str('example.com'))).toBe(0);
    expect(wsi('WSAGetLastError')).toBe(WSAHOST_NOT_FOUND);
  });

  /** Reads an ADDRINFO chain: [family, socktype, protocol, address text, port, canonname]. */
  function chain(first: number, wide = false): (string | number | null)[][] {
    const out: (string | number | null)[][] = [];
    for (let a = first; a !== 0; a = w.u32(a + 28)) {
      const fam = w.u32(a + 4);
      const sa = w.u32(a + 24);
      expect(w.u32(a + 16)).toBe(fam === AF_INET ? 16 : 28);
      const port = (w.cpu.mem.u8(sa + 2) << 8) | w.cpu.mem.u8(sa + 3);
      const bytes = [...w.cpu.mem.read(sa + (fam === AF_INET ? 4 : 8), fam === AF_INET ? 4 : 16)];
      const canon = w.u32(a + 20);
      out.push([fam, w.u32(a + 8), w.u32(a + 12), bytes.join('.'), port, canon ? (wide ? w.readWStr(canon) : w.readStr(canon)) : null]);
    }
    return out;
  }

  function hints(flags: number, family: number, socktype = 0, protocol = 0) {
    const h = w.buf(32);
    [flags, family, socktype, protocol].forEach((v, i) => w.cpu.mem.setU32(h + 4 * i, v));
    return h;
  }

  test('getaddrinfo: numeric hosts, services and hints', () => {
    startup();
    const res = w.buf(4);
    expect(wsi('getaddrinfo', w.str('192.0.2.33'), w.str('443'), hints(0, AF_INET, SOCK_STREAM, IPPROTO_TCP), res)).toBe(0);
    expect(chain(w.u32(res))).toEqual([[AF_INET, SOCK_STREAM, IPPROTO_TCP, '192.0.2.33', 443, null]]);
    ws('freeaddrinfo', w.u32(res));
    expect(wsi('getaddrinfo', w.str('::1'), w.str('http'), 0, res)).toBe(0);
    expect(chain(w.u32(res))).toEqual([[AF_INET6, 0, 0, '0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.1', 80, null]]);
    ws('freeaddrinfo', w.u32(res));
    // NULL host: the wildcard address with AI_PASSIVE, loopback without.
    expect(wsi('getaddrinfo', 0, w.str('8080'), hints(1, AF_INET), res)).toBe(0);
    expect(chain(w.u32(res))).toEqual([[AF_INET, 0, 0, '0.0.0.0', 8080, null]]);
    expect(wsi('getaddrinfo', 0, w.str('8080'), hints(0, AF_INET), res)).toBe(0);
    expect(chain(w.u32(res))).toEqual([[AF_INET, 0, 0, '127.0.0.1', 8080, null]]);
  });

  test('getaddrinfo: localhost resolves to both loopbacks; other names do not resolve', () => {
    startup();
    const res = w.buf(4);
    expect(wsi('getaddrinfo', w.str('localhost'), 0, hints(2, 0), res)).toBe(0); // AI_CANONNAME
    const c = chain(w.u32(res));
    expect(c.map((e) => e[0]).sort()).toEqual([AF_INET, AF_INET6]);
    expect(c.map((e) => e[3])).toContain('127.0.0.1');
    expect(c[0]![5]).toBe('localhost');
    expect(c[1]![5]).toBe(null);
    expect(wsi('getaddrinfo', w.str('www.example.com'), w.str('80'), 0, res)).toBe(WSAHOST_NOT_FOUND); // EAI_NONAME
    expect(w.u32(res)).toBe(0);
    expect(wsi('WSAGetLastError')).toBe(WSAHOST_NOT_FOUND);
    expect(wsi('getaddrinfo', w.str('localhost'), 0, hints(4, 0), res)).toBe(WSAHOST_NOT_FOUND); // AI_NUMERICHOST
    expect(wsi('getaddrinfo', w.str('1.2.3.4'), w.str('no-such-service'), 0, res)).toBe(WSATYPE_NOT_FOUND); // EAI_SERVICE
    expect(wsi('getaddrinfo', w.str('1.2.3.4'), 0, hints(0, 99), res)).toBe(WSAEAFNOSUPPORT); // EAI_FAMILY
    expect(wsi('getaddrinfo', 0, 0, 0, res)).toBe(WSAHOST_NOT_FOUND);
    expect(wsi('getaddrinfo', w.str('::1'), 0, hints(0, AF_INET), res)).toBe(WSAHOST_NOT_FOUND);
  });

  test('GetAddrInfoW / FreeAddrInfoW, and freeing returns the blocks to the heap', () => {
    startup();
    const res = w.buf(4);
    expect(wsi('GetAddrInfoW', w.wstr('10.0.0.1'), w.wstr('22'), hints(2, AF_INET), res)).toBe(0);
    expect(chain(w.u32(res), true)).toEqual([[AF_INET, 0, 0, '10.0.0.1', 22, '10.0.0.1']]);
    const block = w.u32(res);
    expect(w.p.heap.isBlock(block)).toBe(true);
    ws('FreeAddrInfoW', block);
    expect(w.p.heap.isBlock(block)).toBe(false);
  });

  test('getaddrinfo before WSAStartup', () => {
    expect(wsi('getaddrinfo', w.str('1.2.3.4'), 0, 0, w.buf(4))).toBe(WSANOTINITIALISED);
  });
});

test('the classic exports have their Windows ordinals', () => {
  const spec = registry.specs.find((s) => s.name === 'ws2_32.dll')!;
  const ord = (n: string) => spec.exports[n]!.ordinal;
  expect([ord('accept'), ord('closesocket'), ord('connect'), ord('htons'), ord('inet_addr'), ord('ioctlsocket'), ord('recv'), ord('send'), ord('socket')]).toEqual([1, 3, 4, 9, 11, 10, 16, 19, 23]);
  expect([ord('gethostbyname'), ord('gethostname'), ord('WSAGetLastError'), ord('WSAStartup'), ord('WSACleanup'), ord('__WSAFDIsSet')]).toEqual([52, 57, 111, 115, 116, 151]);
  // An import by ordinal binds to the same function as by name.
  const dll = w.p.builtinDll('ws2_32.dll')!;
  expect(dll.resolve({ ordinal: 9 }, true)).toBe(dll.resolve({ name: 'htons' }, true));
  expect(dll.implements({ ordinal: 23 })).toBe(true);
});
