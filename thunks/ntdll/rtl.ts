// ntdll's Rtl helpers that C runtimes and libraries call directly: pointer encoding, ...
import { fn } from '../spec.js';
import { DecodePointer, DecodeSystemPointer, EncodePointer, EncodeSystemPointer } from '../kernel32/fls.js';

/** ntdll exports of this area (the DLL table is their union, see thunks/ntdll.ts). */
export const rtlApi = {
  RtlDecodePointer: fn('stdcall', ['ptr'], 'ptr', DecodePointer),
  RtlDecodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', DecodeSystemPointer),
  RtlEncodePointer: fn('stdcall', ['ptr'], 'ptr', EncodePointer),
  RtlEncodeSystemPointer: fn('stdcall', ['ptr'], 'ptr', EncodeSystemPointer),
};
