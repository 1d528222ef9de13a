// Who the guest runs as: GetUserName, and a process token answering the questions programs ask of it
// (the user's SID, elevation, session). The user is a standard, non-elevated one; the name comes from
// HKCU\Volatile Environment\USERNAME (as Windows' own profile keeps it), "wowasm" unless a seed changes it.
import { UnimplementedApiError } from '../errors.js';
import { CURRENT_PROCESS, type KernelObject } from '../handles.js';
import type { Process } from '../process.js';
import { fn } from '../spec.js';
import { encodeString, writeAnsi, writeWide } from '../text.js';
import { ERROR } from '../win32.js';
import { DEFAULT_USER_NAME, dword, REG, storedString } from './hive.js';
import { registryHive } from './registry.js';

const TOKEN_QUERY = 0x8;
const TOKEN_ALL_ACCESS = 0xf_01ff;
const TOKEN_READ = 0x2_0008;
const TOKEN_WRITE = 0x2_00e0;
const MAXIMUM_ALLOWED = 0x200_0000;

/** TOKEN_INFORMATION_CLASS values wowasm answers. */
export const TOKEN_CLASS = { User: 1, SessionId: 12, ElevationType: 18, Elevation: 20, IsAppContainer: 29 } as const;
const TokenElevationTypeDefault = 1;

interface Token extends KernelObject {
  readonly type: 'token';
  readonly access: number;
}

/** The user's name as GetUserName reports it. */
export function userName(p: Process): string {
  const v = registryHive(p).currentUser.subkey('Volatile Environment')?.value('USERNAME');
  return v && v.type === REG.SZ && v.data.length >= 2 ? storedString(v.data) : DEFAULT_USER_NAME;
}

/** GetUserName: *pcbBuffer is in characters, counting the NUL, on the way in and out. */
export function GetUserName(p: Process, lpBuffer: number, pcbBuffer: number, wide: boolean): boolean {
  const name = userName(p);
  const needed = (wide ? name.length : encodeString(name, p.ansiCodePage).bytes.length) + 1;
  if (p.mem.u32(pcbBuffer) < needed) {
    p.mem.setU32(pcbBuffer, needed);
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  if (wide) writeWide(p.mem, lpBuffer, name);
  else writeAnsi(p.mem, lpBuffer, name, p.ansiCodePage);
  p.mem.setU32(pcbBuffer, needed);
  return true;
}

/** The bytes of a SID ("S-1-5-21-..."): revision, sub-authority count, 48-bit authority, sub-authorities. */
export function sidBytes(sid: string): Uint8Array {
  const [, revision, authority, ...subs] = sid.split('-');
  const b = new Uint8Array(8 + 4 * subs.length);
  const dv = new DataView(b.buffer);
  b[0] = Number(revision);
  b[1] = subs.length;
  const auth = BigInt(authority!);
  for (let i = 0; i < 6; i++) b[2 + i] = Number((auth >> BigInt(8 * (5 - i))) & 0xffn);
  subs.forEach((s, i) => dv.setUint32(8 + 4 * i, Number(s), true));
  return b;
}

export function OpenProcessToken(p: Process, processHandle: number, desiredAccess: number, tokenHandle: number): boolean {
  // Only this process exists (no OpenProcess handles): GetCurrentProcess()'s pseudo-handle.
  if (processHandle >>> 0 !== CURRENT_PROCESS) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (!tokenHandle || !p.mem.isAccessible(tokenHandle, 4, true)) {
    p.setLastError(ERROR.NOACCESS);
    return false;
  }
  let access = desiredAccess & TOKEN_ALL_ACCESS;
  if (desiredAccess & 0x8000_0000) access |= TOKEN_READ;
  if (desiredAccess & 0x4000_0000) access |= TOKEN_WRITE;
  if (desiredAccess & (0x1000_0000 | MAXIMUM_ALLOWED)) access |= TOKEN_ALL_ACCESS;
  const token: Token = { type: 'token', access };
  p.mem.setU32(tokenHandle, p.handles.add(token));
  return true;
}

/** GetTokenInformation for the classes above; others stop the call (UnimplementedApiError). */
export function GetTokenInformation(p: Process, tokenHandle: number, tokenInformationClass: number, tokenInformation: number, tokenInformationLength: number, returnLength: number): boolean {
  const token = p.handles.get<Token>(tokenHandle, 'token');
  if (!token) {
    p.setLastError(ERROR.INVALID_HANDLE);
    return false;
  }
  if (!(token.access & TOKEN_QUERY)) {
    p.setLastError(ERROR.ACCESS_DENIED);
    return false;
  }
  let data: Uint8Array;
  switch (tokenInformationClass) {
    case TOKEN_CLASS.User: {
      // TOKEN_USER: SID_AND_ATTRIBUTES { PSID Sid; DWORD Attributes }, the SID right after it.
      const sid = sidBytes(registryHive(p).userSid);
      data = new Uint8Array(8 + sid.length);
      new DataView(data.buffer).setUint32(0, tokenInformation + 8, true);
      data.set(sid, 8);
      break;
    }
    case TOKEN_CLASS.SessionId:
      data = dword(1);
      break;
    case TOKEN_CLASS.ElevationType:
      data = dword(TokenElevationTypeDefault);
      break;
    case TOKEN_CLASS.Elevation:
      data = dword(0); // TOKEN_ELEVATION.TokenIsElevated
      break;
    case TOKEN_CLASS.IsAppContainer:
      data = dword(0);
      break;
    default:
      throw new UnimplementedApiError('advapi32.dll', `GetTokenInformation(TokenInformationClass ${tokenInformationClass})`, p.where());
  }
  if (!returnLength || !p.mem.isAccessible(returnLength, 4, true)) {
    p.setLastError(ERROR.NOACCESS);
    return false;
  }
  p.mem.setU32(returnLength, data.length);
  if (tokenInformationLength >>> 0 < data.length) {
    p.setLastError(ERROR.INSUFFICIENT_BUFFER);
    return false;
  }
  p.mem.write(tokenInformation, data);
  return true;
}

/** advapi32 exports of this area (the DLL table is their union, see thunks/advapi32.ts). */
export const securityApi = {
  GetTokenInformation: fn('stdcall', ['long', 'long', 'ptr', 'long', 'ptr'], 'bool', GetTokenInformation),
  GetUserNameA: fn('stdcall', ['ptr', 'ptr'], 'bool', (p, b, n) => GetUserName(p, b, n, false)),
  GetUserNameW: fn('stdcall', ['ptr', 'ptr'], 'bool', (p, b, n) => GetUserName(p, b, n, true)),
  OpenProcessToken: fn('stdcall', ['long', 'long', 'ptr'], 'bool', OpenProcessToken),
};
