// Conversions between JS numbers and the x87's 80-bit extended format, for float/double values that
// cross the host/guest boundary in ST(0). Both directions round to nearest-even exactly as an x87 `fstp`
// would, so a returned double is bit-identical to what native code would see.

export interface F80 {
  /** 64-bit significand with its explicit integer bit (bit 63). */
  mantissa: bigint;
  /** Sign in bit 15, biased exponent (bias 16383) in bits 0-14. */
  signExponent: number;
}

const scratch = new DataView(new ArrayBuffer(8));

export function f64ToF80(value: number): F80 {
  scratch.setFloat64(0, value, true);
  const lo = scratch.getUint32(0, true);
  const hi = scratch.getUint32(4, true);
  const sign = hi >>> 31;
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const signBit = sign << 15;
  if (exp === 0x7ff) {
    // Infinity keeps an empty fraction; a NaN keeps its payload (quiet bit lands on bit 62).
    return { mantissa: (1n << 63n) | (frac << 11n), signExponent: signBit | 0x7fff };
  }
  if (exp === 0) {
    if (frac === 0n) return { mantissa: 0n, signExponent: signBit };
    // A double subnormal is a normal extended number: shift its top bit up to bit 63.
    const top = frac.toString(2).length - 1; // index of the leading one
    return { mantissa: frac << BigInt(63 - top), signExponent: signBit | (16383 - 1074 + top) };
  }
  return { mantissa: (1n << 63n) | (frac << 11n), signExponent: signBit | (exp - 1023 + 16383) };
}

export function f80ToF64(v: F80): number {
  return roundF80(v, 52, 1023);
}

export function f80ToF32(v: F80): number {
  return roundF80(v, 23, 127);
}

/** Rounds an extended value to a binary format with `fracBits` fraction bits and max exponent `emax`. */
function roundF80(v: F80, fracBits: number, emax: number): number {
  const negative = (v.signExponent & 0x8000) !== 0;
  const exp = v.signExponent & 0x7fff;
  const m = v.mantissa & 0xffff_ffff_ffff_ffffn;
  const signed = (x: number) => (negative ? -x : x);
  if (exp === 0x7fff) {
    if ((m & 0x7fff_ffff_ffff_ffffn) === 0n) return signed(Infinity);
    return nanWithPayload(negative, m, fracBits);
  }
  if (m === 0n) return signed(0);
  // value = m * 2^e0, with e0 the weight of the significand's bit 0.
  const e0 = (exp === 0 ? 1 : exp) - 16383 - 63;
  const top = e0 + m.toString(2).length - 1; // weight of the leading one
  const emin = 1 - emax;
  // Weight of the last representable bit: fracBits below the leading one, but never below the subnormals'.
  const q = Math.max(top - fracBits, emin - fracBits);
  const shift = q - e0;
  let kept = m;
  if (shift > 0) {
    const s = BigInt(shift);
    kept = m >> s;
    const rem = m & ((1n << s) - 1n);
    const half = 1n << (s - 1n);
    if (rem > half || (rem === half && (kept & 1n) === 1n)) kept += 1n;
  }
  // kept * 2^q (or m * 2^e0 when nothing was rounded away) is exact in the target format, or overflows.
  const result = shift > 0 ? ldexp(Number(kept), q) : ldexp(Number(m), e0);
  const largest = (2 - 2 ** -fracBits) * 2 ** emax;
  return signed(result > largest ? Infinity : result);
}

/** x * 2^e without intermediate overflow or underflow (x has at most 53 significant bits). */
export function ldexp(x: number, e: number): number {
  let r = x;
  let k = e;
  while (k > 1000) {
    r *= 2 ** 1000;
    k -= 1000;
  }
  while (k < -1000) {
    r *= 2 ** -1000;
    k += 1000;
  }
  return r * 2 ** k;
}

function nanWithPayload(negative: boolean, m: bigint, fracBits: number): number {
  if (fracBits === 23) return NaN; // a float NaN's payload does not survive JS numbers anyway
  const frac = (m >> 11n) & 0xf_ffff_ffff_ffffn;
  scratch.setUint32(0, Number(frac & 0xffff_ffffn), true);
  scratch.setUint32(4, ((negative ? 0x8000_0000 : 0) | 0x7ff0_0000 | Number(frac >> 32n)) >>> 0, true);
  return scratch.getFloat64(0, true);
}
