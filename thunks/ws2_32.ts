// ws2_32.dll: the export table, the union of the areas' tables (thunks/ws2_32/*.ts). Winsock exports
// are often imported by ordinal, so the classic ones carry their Windows ordinals (stable since
// Winsock 1.1: 1-23 the BSD calls, 51-57 the database calls, 101-116 the WSA calls, 151 __WSAFDIsSet).
import { dll, type Export } from './spec.js';
import { namesApi } from './ws2_32/names.js';
import { socketsApi } from './ws2_32/sockets.js';

const ORDINALS: Record<string, number> = {
  accept: 1,
  bind: 2,
  closesocket: 3,
  connect: 4,
  getpeername: 5,
  getsockname: 6,
  getsockopt: 7,
  htonl: 8,
  htons: 9,
  ioctlsocket: 10,
  inet_addr: 11,
  inet_ntoa: 12,
  listen: 13,
  ntohl: 14,
  ntohs: 15,
  recv: 16,
  recvfrom: 17,
  select: 18,
  send: 19,
  sendto: 20,
  setsockopt: 21,
  shutdown: 22,
  socket: 23,
  gethostbyname: 52,
  gethostname: 57,
  WSAGetLastError: 111,
  WSASetLastError: 112,
  WSAStartup: 115,
  WSACleanup: 116,
  __WSAFDIsSet: 151,
};

const exports: Record<string, Export> = { ...namesApi, ...socketsApi };
for (const [name, ordinal] of Object.entries(ORDINALS)) exports[name] = { ...exports[name]!, ordinal };

export default dll('ws2_32.dll', exports);
