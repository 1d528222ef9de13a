// bcrypt.dll (CNG): the random number generator. BCryptGenRandom with BCRYPT_USE_SYSTEM_PREFERRED_RNG,
// with the BCRYPT_RNG_ALG_HANDLE pseudo-handle, or with a handle from
// BCryptOpenAlgorithmProvider(BCRYPT_RNG_ALGORITHM). Other CNG algorithms are not provided: opening one
// stops the call with UnimplementedApiError rather than pretending it does not exist.
import { fillRandom } from './bcryptprimitives.js';
import { UnimplementedApiError } from './errors.js';
import { stateKey, type Process } from './process.js';
import { dll, fn } from './spec.js';

export const STATUS = {
  SUCCESS: 0,
  INVALID_HANDLE: 0xc000_0008,
  INVALID_PARAMETER: 0xc000_000d,
  NOT_FOUND: 0xc000_0225,
} as const;

export const BCRYPT_USE_SYSTEM_PREFERRED_RNG = 0x2;
const BCRYPT_RNG_USE_ENTROPY_IN_BUFFER = 0x1; // ignored since Windows 8, as documented
const BCRYPT_PROV_DISPATCH = 0x1;
/** The Windows 10 pseudo-handle for the RNG algorithm (no BCryptOpenAlgorithmProvider needed). */
export const BCRYPT_RNG_ALG_HANDLE = 0x81;
const MS_PRIMITIVE_PROVIDER = 'Microsoft Primitive Provider';

/** Algorithm identifiers that name a random number generator. */
const RNG_ALGORITHMS = new Set(['RNG', 'FIPS186DSARNG', 'DUALECRNG']);
/** Other algorithms Windows' primitive provider has, which wowasm does not implement. */
const OTHER_ALGORITHMS = new Set([
  '3DES', '3DES_112', 'AES', 'AES-CMAC', 'AES-GMAC', 'CAPI_KDF', 'DES', 'DESX', 'DH', 'DSA', 'ECDH', 'ECDH_P256', 'ECDH_P384', 'ECDH_P521',
  'ECDSA', 'ECDSA_P256', 'ECDSA_P384', 'ECDSA_P521', 'HKDF', 'MD2', 'MD4', 'MD5', 'PBKDF2', 'RC2', 'RC4', 'RSA', 'RSA_SIGN', 'SHA1',
  'SHA256', 'SHA384', 'SHA512', 'SP800_108_CTR_HMAC', 'SP800_56A_CONCAT', 'TLS1_1_KDF', 'TLS1_2_KDF', 'XTS-AES',
]);

interface Algorithm {
  id: string;
}

const bcryptState = stateKey('bcrypt', () => new Map<number, Algorithm>());

export function BCryptOpenAlgorithmProvider(p: Process, phAlgorithm: number, pszAlgId: string | null, pszImplementation: string | null, dwFlags: number): number {
  if (!phAlgorithm || pszAlgId === null) return STATUS.INVALID_PARAMETER;
  if (pszImplementation && pszImplementation.toUpperCase() !== MS_PRIMITIVE_PROVIDER.toUpperCase()) return STATUS.NOT_FOUND;
  const id = pszAlgId.toUpperCase();
  if (!RNG_ALGORITHMS.has(id)) {
    if (OTHER_ALGORITHMS.has(id)) throw new UnimplementedApiError('bcrypt.dll', `BCryptOpenAlgorithmProvider("${pszAlgId}") (only the RNG algorithms are provided)`, p.where());
    return STATUS.NOT_FOUND;
  }
  if (dwFlags & ~BCRYPT_PROV_DISPATCH) return STATUS.INVALID_PARAMETER;
  // An algorithm handle is a pointer to the provider's object on Windows; here a small heap block.
  const h = p.heap.alloc(16, true);
  p.state(bcryptState).set(h, { id });
  p.mem.setU32(phAlgorithm, h);
  return STATUS.SUCCESS;
}

export function BCryptCloseAlgorithmProvider(p: Process, hAlgorithm: number, _dwFlags: number): number {
  const algs = p.state(bcryptState);
  if (!algs.delete(hAlgorithm >>> 0)) return STATUS.INVALID_HANDLE;
  p.heap.free(hAlgorithm);
  return STATUS.SUCCESS;
}

export function BCryptGenRandom(p: Process, hAlgorithm: number, pbBuffer: number, cbBuffer: number, dwFlags: number): number {
  if (dwFlags & ~(BCRYPT_USE_SYSTEM_PREFERRED_RNG | BCRYPT_RNG_USE_ENTROPY_IN_BUFFER)) return STATUS.INVALID_PARAMETER;
  if (dwFlags & BCRYPT_USE_SYSTEM_PREFERRED_RNG) {
    if (hAlgorithm) return STATUS.INVALID_PARAMETER; // the handle must be NULL then
  } else if (hAlgorithm >>> 0 !== BCRYPT_RNG_ALG_HANDLE && !p.state(bcryptState).has(hAlgorithm >>> 0)) return STATUS.INVALID_HANDLE;
  if (!pbBuffer) return STATUS.INVALID_PARAMETER;
  fillRandom(p, pbBuffer, cbBuffer);
  return STATUS.SUCCESS;
}

export default dll('bcrypt.dll', {
  BCryptCloseAlgorithmProvider: fn('stdcall', ['long', 'long'], 'long', BCryptCloseAlgorithmProvider),
  BCryptGenRandom: fn('stdcall', ['long', 'ptr', 'long', 'long'], 'long', BCryptGenRandom),
  BCryptOpenAlgorithmProvider: fn('stdcall', ['ptr', 'wstr', 'wstr', 'long'], 'long', BCryptOpenAlgorithmProvider),
});
