// CryptoAPI's random numbers: CryptAcquireContext/CryptReleaseContext/CryptGenRandom, and
// SystemFunction036 (RtlGenRandom). Providers are looked up where Windows looks them up, in
// HKLM\SOFTWARE\Microsoft\Cryptography\Defaults; key containers exist per process, in memory.
import { fillRandom } from '../bcryptprimitives.js';
import { stateKey, type Process } from '../process.js';
import { fn } from '../spec.js';
import { ERROR } from '../win32.js';
import { upcase } from '../vfs/path.js';
import { REG, storedString } from './hive.js';
import { registryHive } from './registry.js';
import { userName } from './security.js';

/** CryptoAPI error codes (winerror.h), set as the last error. */
export const NTE = {
  BAD_UID: 0x8009_0001,
  BAD_FLAGS: 0x8009_0009,
  EXISTS: 0x8009_000f,
  BAD_PROV_TYPE: 0x8009_0014,
  BAD_KEYSET: 0x8009_0016,
  PROV_TYPE_NOT_DEF: 0x8009_0017,
  KEYSET_NOT_DEF: 0x8009_0019,
  PROV_TYPE_NO_MATCH: 0x8009_001b,
} as const;

export const CRYPT = {
  NEWKEYSET: 0x8,
  DELETEKEYSET: 0x10,
  MACHINE_KEYSET: 0x20,
  SILENT: 0x40,
  DEFAULT_CONTAINER_OPTIONAL: 0x80,
  VERIFYCONTEXT: 0xf000_0000,
} as const;

const PROVIDERS_KEY = 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Cryptography\\Defaults';

interface Provider {
  name: string;
  type: number;
}

const cryptState = stateKey('advapi32.crypt', () => ({ providers: new Map<number, Provider>(), containers: new Set<string>() }));

function fail(p: Process, code: number): false {
  p.setLastError(code);
  return false;
}

export function CryptAcquireContext(p: Process, phProv: number, szContainer: string | null, szProvider: string | null, dwProvType: number, dwFlags: number): boolean {
  if (!phProv) return fail(p, ERROR.INVALID_PARAMETER);
  const flags = dwFlags >>> 0;
  if (flags & ~(CRYPT.VERIFYCONTEXT | CRYPT.NEWKEYSET | CRYPT.DELETEKEYSET | CRYPT.MACHINE_KEYSET | CRYPT.SILENT | CRYPT.DEFAULT_CONTAINER_OPTIONAL)) return fail(p, NTE.BAD_FLAGS);
  if (dwProvType === 0 || dwProvType > 999) return fail(p, NTE.BAD_PROV_TYPE);
  const hive = registryHive(p);
  let name = szProvider;
  if (!name) {
    const def = hive.find(`${PROVIDERS_KEY}\\Provider Types\\Type ${String(dwProvType).padStart(3, '0')}`)?.value('Name');
    if (!def || def.type !== REG.SZ) return fail(p, NTE.PROV_TYPE_NOT_DEF);
    name = storedString(def.data);
  }
  const typeValue = hive.find(`${PROVIDERS_KEY}\\Provider\\${name}`)?.value('Type');
  if (!typeValue || typeValue.data.length !== 4) return fail(p, NTE.KEYSET_NOT_DEF);
  if (new DataView(typeValue.data.buffer, typeValue.data.byteOffset, 4).getUint32(0, true) !== dwProvType) return fail(p, NTE.PROV_TYPE_NO_MATCH);
  const st = p.state(cryptState);
  if ((flags & CRYPT.VERIFYCONTEXT) >>> 0 === CRYPT.VERIFYCONTEXT) {
    // An ephemeral context without a key container: what code wanting random bytes asks for.
    if (szContainer) return fail(p, NTE.BAD_FLAGS);
  } else {
    const container = `${flags & CRYPT.MACHINE_KEYSET ? 'machine' : 'user'}\\${upcase(name)}\\${upcase(szContainer || userName(p))}`;
    const exists = st.containers.has(container);
    if (flags & CRYPT.DELETEKEYSET) {
      if (!exists) return fail(p, NTE.BAD_KEYSET);
      st.containers.delete(container);
      p.mem.setU32(phProv, 0);
      return true;
    }
    if (flags & CRYPT.NEWKEYSET) {
      if (exists) return fail(p, NTE.EXISTS);
      st.containers.add(container);
    } else if (!exists) return fail(p, NTE.BAD_KEYSET);
  }
  // HCRYPTPROV is a pointer to the provider's object on Windows; here a small heap block.
  const h = p.heap.alloc(16, true);
  st.providers.set(h, { name, type: dwProvType });
  p.mem.setU32(phProv, h);
  return true;
}

/** Releases the context; a non-zero dwFlags still releases it but fails with NTE_BAD_FLAGS, as documented. */
export function CryptReleaseContext(p: Process, hProv: number, dwFlags: number): boolean {
  if (!hProv) return fail(p, NTE.BAD_UID);
  const st = p.state(cryptState);
  if (!st.providers.delete(hProv >>> 0)) return fail(p, ERROR.INVALID_PARAMETER);
  p.heap.free(hProv);
  return dwFlags ? fail(p, NTE.BAD_FLAGS) : true;
}

export function CryptGenRandom(p: Process, hProv: number, dwLen: number, pbBuffer: number): boolean {
  if (!hProv) return fail(p, ERROR.INVALID_HANDLE);
  if (!p.state(cryptState).providers.has(hProv >>> 0)) return fail(p, ERROR.INVALID_PARAMETER);
  fillRandom(p, pbBuffer, dwLen);
  return true;
}

/** RtlGenRandom: a BOOLEAN, always TRUE. */
export function SystemFunction036(p: Process, randomBuffer: number, randomBufferLength: number): boolean {
  fillRandom(p, randomBuffer, randomBufferLength);
  return true;
}

/** advapi32 exports of this area (the DLL table is their union, see thunks/advapi32.ts). */
export const cryptApi = {
  CryptAcquireContextA: fn('stdcall', ['ptr', 'str', 'str', 'long', 'long'], 'bool', CryptAcquireContext),
  CryptAcquireContextW: fn('stdcall', ['ptr', 'wstr', 'wstr', 'long', 'long'], 'bool', CryptAcquireContext),
  CryptGenRandom: fn('stdcall', ['long', 'long', 'ptr'], 'bool', CryptGenRandom),
  CryptReleaseContext: fn('stdcall', ['long', 'long'], 'bool', CryptReleaseContext),
  SystemFunction036: fn('stdcall', ['ptr', 'long'], 'bool', SystemFunction036),
};
