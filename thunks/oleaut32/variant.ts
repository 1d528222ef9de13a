// VARIANTs: VariantInit and VariantClear. A VARIANT is 16 bytes: the type (vt) in the first word, the
// value from offset 8. Clearing frees what the variant owns (a BSTR, a reference on an interface) and
// leaves VT_EMPTY.

import { UnimplementedApiError } from '../errors.js';
import { HR } from '../ole32/hresult.js';
import { fn } from '../spec.js';
import type { Process } from '../process.js';
import { SysFreeString } from './bstr.js';

export const VT = {
  EMPTY: 0,
  NULL: 1,
  BSTR: 8,
  DISPATCH: 9,
  VARIANT: 12,
  UNKNOWN: 13,
  RECORD: 36,
  ARRAY: 0x2000,
  BYREF: 0x4000,
} as const;

/** Types a VARIANT can hold by value (wtypes.h): the integers, reals, CY, DATE, BSTR, interfaces, ERROR, BOOL, DECIMAL. */
const BY_VALUE = new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 16, 17, 18, 19, 20, 21, 22, 23, 36]);

function VariantInit(p: Process, pvarg: number): void {
  p.mem.setU16(pvarg, VT.EMPTY);
}

/** VariantClear: frees the BSTR, releases the interface; VT_BYREF owns nothing. Bad types: DISP_E_BADVARTYPE. */
function VariantClear(p: Process, pvarg: number): number {
  const vt = p.mem.u16(pvarg);
  const base = vt & 0x0fff;
  if (vt & VT.BYREF) {
    if (!BY_VALUE.has(base) && base !== VT.VARIANT) return HR.DISP_E_BADVARTYPE;
  } else if (vt & VT.ARRAY) {
    throw new UnimplementedApiError('oleaut32.dll', 'VariantClear of a VT_ARRAY variant (SafeArrayDestroy)', p.where());
  } else if (!BY_VALUE.has(vt)) {
    return HR.DISP_E_BADVARTYPE;
  } else if (vt === VT.BSTR) {
    SysFreeString(p, p.mem.u32(pvarg + 8));
  } else if (vt === VT.DISPATCH || vt === VT.UNKNOWN) {
    const obj = p.mem.u32(pvarg + 8);
    if (obj !== 0) p.callGuest(p.mem.u32(p.mem.u32(obj) + 8), 'stdcall', [obj]); // IUnknown::Release
  } else if (vt === VT.RECORD) {
    throw new UnimplementedApiError('oleaut32.dll', 'VariantClear of a VT_RECORD variant (IRecordInfo::RecordClear)', p.where());
  }
  p.mem.setU16(pvarg, VT.EMPTY);
  return HR.S_OK;
}

/** oleaut32 exports of this area (with oleaut32.dll's fixed ordinals). */
export const variantApi = {
  VariantInit: fn('stdcall', ['ptr'], 'void', VariantInit, { ordinal: 8 }),
  VariantClear: fn('stdcall', ['ptr'], 'long', VariantClear, { ordinal: 9, reentrant: true }),
};
