// Winsock start-up and sockets. WSAStartup negotiates a version and succeeds, but the sandbox has no
// network: creating a socket fails with WSAEACCES ("access forbidden", what a firewall-denied socket
// gives), and since no socket can exist, every call on a socket handle fails with WSAENOTSOCK. Calls
// made before WSAStartup (or after the last WSACleanup) fail with WSANOTINITIALISED, as on Windows.
// Winsock's error is the thread's last error (WSAGetLastError is GetLastError).

import { fn } from '../spec.js';
import { stateKey, type Process } from '../process.js';
import { writeAnsi } from '../text.js';

export const WSA = {
  EINTR: 10004,
  EBADF: 10009,
  EACCES: 10013,
  EFAULT: 10014,
  EINVAL: 10022,
  EWOULDBLOCK: 10035,
  ENOTSOCK: 10038,
  EPROTONOSUPPORT: 10043,
  ESOCKTNOSUPPORT: 10044,
  EOPNOTSUPP: 10045,
  EAFNOSUPPORT: 10047,
  SYSNOTREADY: 10091,
  VERNOTSUPPORTED: 10092,
  NOTINITIALISED: 10093,
  TYPE_NOT_FOUND: 10109,
  HOST_NOT_FOUND: 11001,
  TRY_AGAIN: 11002,
  NO_RECOVERY: 11003,
  NO_DATA: 11004,
} as const;

export const SOCKET_ERROR = -1;
export const INVALID_SOCKET = 0xffff_ffff;

const SOL_SOCKET = 0xffff;
const SO_OPENTYPE = 0x7008;

export const ws2State = stateKey('ws2_32', () => ({
  /** Successful WSAStartup calls not yet matched by WSACleanup. */
  startups: 0,
  /** SO_OPENTYPE, a per-thread option that needs no socket. */
  openType: 0,
  /** Per-thread result buffers of inet_ntoa and gethostbyname. */
  ntoaBuffer: 0,
  hostentBuffer: 0,
}));

/** Fails a call made before WSAStartup; true when Winsock is started. */
export function started(p: Process): boolean {
  if (p.state(ws2State).startups > 0) return true;
  p.setLastError(WSA.NOTINITIALISED);
  return false;
}

/** A call on a socket handle: the handle cannot be a socket. Returns SOCKET_ERROR. */
function notSocket(p: Process): number {
  if (started(p)) p.setLastError(WSA.ENOTSOCK);
  return SOCKET_ERROR;
}

const SUPPORTED_VERSIONS = [0x0001, 0x0101, 0x0002, 0x0102, 0x0202]; // 1.0 1.1 2.0 2.1 2.2 (minor in the high byte)

/**
 * WSAStartup: the highest supported version not above the requested one (2.2 at most); a request below
 * 1.0 is refused. Fills WSADATA (32-bit layout: 400 bytes).
 */
export function WSAStartup(p: Process, wVersionRequested: number, lpWSAData: number): number {
  if (lpWSAData === 0) return WSA.EFAULT;
  const major = wVersionRequested & 0xff;
  const minor = (wVersionRequested >>> 8) & 0xff;
  const rank = (v: number) => (v & 0xff) * 256 + (v >>> 8);
  const requested = major * 256 + minor;
  const version = [...SUPPORTED_VERSIONS].reverse().find((v) => rank(v) <= requested);
  const m = p.mem;
  m.fill(lpWSAData, 0, 400);
  m.setU16(lpWSAData, version ?? 0x0202);
  m.setU16(lpWSAData + 2, 0x0202); // wHighVersion
  writeAnsi(m, lpWSAData + 4, 'WinSock 2.0');
  writeAnsi(m, lpWSAData + 261, 'Running');
  if (version === undefined) return WSA.VERNOTSUPPORTED;
  if (major === 1) {
    // Winsock 1 callers read these limits; 2.x leaves them 0.
    m.setU16(lpWSAData + 390, 32767); // iMaxSockets
    m.setU16(lpWSAData + 392, 65467); // iMaxUdpDg
  }
  p.state(ws2State).startups++;
  return 0;
}

export function WSACleanup(p: Process): number {
  const s = p.state(ws2State);
  if (s.startups === 0) {
    p.setLastError(WSA.NOTINITIALISED);
    return SOCKET_ERROR;
  }
  s.startups--;
  return 0;
}

/** socket/WSASocket: arguments are checked as Windows does, then the sandbox refuses the socket. */
function newSocket(p: Process, af: number, type: number, _protocol: number): number {
  if (!started(p)) return INVALID_SOCKET;
  if (af !== 0 && af !== 2 && af !== 23) p.setLastError(WSA.EAFNOSUPPORT); // AF_UNSPEC, AF_INET, AF_INET6
  else if (type < 0 || type > 5) p.setLastError(WSA.ESOCKTNOSUPPORT);
  else p.setLastError(WSA.EACCES);
  return INVALID_SOCKET;
}

/** select: every set empty is WSAEINVAL; a socket in any set is not a socket. */
function select(p: Process, _nfds: number, readfds: number, writefds: number, exceptfds: number, _timeout: number): number {
  if (!started(p)) return SOCKET_ERROR;
  const counts = [readfds, writefds, exceptfds].map((set) => (set ? p.mem.u32(set) : 0));
  p.setLastError(counts.some((n) => n > 0) ? WSA.ENOTSOCK : WSA.EINVAL);
  return SOCKET_ERROR;
}

/** __WSAFDIsSet (the FD_ISSET macro): is the socket in the fd_set? */
function WSAFDIsSet(p: Process, fd: number, set: number): number {
  const n = Math.min(p.mem.u32(set), 64);
  for (let i = 0; i < n; i++) if (p.mem.u32(set + 4 + 4 * i) === fd >>> 0) return 1;
  return 0;
}

/** getsockopt/setsockopt: only the per-thread SO_OPENTYPE works without a socket. */
function getsockopt(p: Process, s: number, level: number, optname: number, optval: number, optlen: number): number {
  if (!started(p)) return SOCKET_ERROR;
  if (s === INVALID_SOCKET && level === SOL_SOCKET && optname === SO_OPENTYPE) {
    if (optval === 0 || optlen === 0 || p.mem.i32(optlen) < 4) {
      p.setLastError(WSA.EFAULT);
      return SOCKET_ERROR;
    }
    p.mem.setU32(optval, p.state(ws2State).openType);
    p.mem.setU32(optlen, 4);
    return 0;
  }
  return notSocket(p);
}

function setsockopt(p: Process, s: number, level: number, optname: number, optval: number, optlen: number): number {
  if (!started(p)) return SOCKET_ERROR;
  if (s === INVALID_SOCKET && level === SOL_SOCKET && optname === SO_OPENTYPE) {
    if (optval === 0 || (optlen | 0) < 4) {
      p.setLastError(WSA.EFAULT);
      return SOCKET_ERROR;
    }
    p.state(ws2State).openType = p.mem.u32(optval);
    return 0;
  }
  return notSocket(p);
}

/** ws2_32 exports of this area (the DLL table is their union, see thunks/ws2_32.ts). */
export const socketsApi = {
  WSACleanup: fn('stdcall', [], 'int', WSACleanup),
  WSAGetLastError: fn('stdcall', [], 'int', (p) => p.lastError | 0),
  WSASetLastError: fn('stdcall', ['int'], 'void', (p, e) => p.setLastError(e)),
  WSAStartup: fn('stdcall', ['long', 'ptr'], 'int', (p, v, d) => WSAStartup(p, v & 0xffff, d)),
  WSASocketA: fn('stdcall', ['int', 'int', 'int', 'ptr', 'long', 'long'], 'long', (p, af, type, proto, _info, _g, _flags) => newSocket(p, af, type, proto)),
  WSASocketW: fn('stdcall', ['int', 'int', 'int', 'ptr', 'long', 'long'], 'long', (p, af, type, proto, _info, _g, _flags) => newSocket(p, af, type, proto)),
  __WSAFDIsSet: fn('stdcall', ['long', 'ptr'], 'int', WSAFDIsSet),
  accept: fn('stdcall', ['long', 'ptr', 'ptr'], 'long', (p, _s, _addr, _len) => (notSocket(p), INVALID_SOCKET)),
  bind: fn('stdcall', ['long', 'ptr', 'int'], 'int', (p, _s, _addr, _len) => notSocket(p)),
  closesocket: fn('stdcall', ['long'], 'int', (p, _s) => notSocket(p)),
  connect: fn('stdcall', ['long', 'ptr', 'int'], 'int', (p, _s, _addr, _len) => notSocket(p)),
  getpeername: fn('stdcall', ['long', 'ptr', 'ptr'], 'int', (p, _s, _addr, _len) => notSocket(p)),
  getsockname: fn('stdcall', ['long', 'ptr', 'ptr'], 'int', (p, _s, _addr, _len) => notSocket(p)),
  getsockopt: fn('stdcall', ['long', 'int', 'int', 'ptr', 'ptr'], 'int', getsockopt),
  ioctlsocket: fn('stdcall', ['long', 'long', 'ptr'], 'int', (p, _s, _cmd, _argp) => notSocket(p)),
  listen: fn('stdcall', ['long', 'int'], 'int', (p, _s, _backlog) => notSocket(p)),
  recv: fn('stdcall', ['long', 'ptr', 'int', 'int'], 'int', (p, _s, _buf, _len, _flags) => notSocket(p)),
  recvfrom: fn('stdcall', ['long', 'ptr', 'int', 'int', 'ptr', 'ptr'], 'int', (p, _s, _buf, _len, _flags, _from, _fromlen) => notSocket(p)),
  select: fn('stdcall', ['int', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', select),
  send: fn('stdcall', ['long', 'ptr', 'int', 'int'], 'int', (p, _s, _buf, _len, _flags) => notSocket(p)),
  sendto: fn('stdcall', ['long', 'ptr', 'int', 'int', 'ptr', 'int'], 'int', (p, _s, _buf, _len, _flags, _to, _tolen) => notSocket(p)),
  setsockopt: fn('stdcall', ['long', 'int', 'int', 'ptr', 'int'], 'int', setsockopt),
  shutdown: fn('stdcall', ['long', 'int'], 'int', (p, _s, _how) => notSocket(p)),
  socket: fn('stdcall', ['int', 'int', 'int'], 'long', newSocket),
  WSAIoctl: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr', 'long', 'ptr', 'ptr', 'ptr'], 'int', (p, _s, _code, _in, _inLen, _out, _outLen, _ret, _ov, _cr) => notSocket(p)),
  WSARecv: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', (p, _s, _bufs, _n, _rcvd, _flags, _ov, _cr) => notSocket(p)),
  WSARecvFrom: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr', 'ptr'], 'int', (p, _s, _bufs, _n, _rcvd, _flags, _from, _fromlen, _ov, _cr) => notSocket(p)),
  WSASend: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'long', 'ptr', 'ptr'], 'int', (p, _s, _bufs, _n, _sent, _flags, _ov, _cr) => notSocket(p)),
  WSASendTo: fn('stdcall', ['long', 'ptr', 'long', 'ptr', 'long', 'ptr', 'int', 'ptr', 'ptr'], 'int', (p, _s, _bufs, _n, _sent, _flags, _to, _tolen, _ov, _cr) => notSocket(p)),
};
