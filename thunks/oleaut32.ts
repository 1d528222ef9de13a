// oleaut32.dll: the export table, the union of the areas' tables (thunks/oleaut32/*.ts): BSTRs and the
// basics of VARIANTs. oleaut32 is commonly imported by ordinal; each entry carries its Windows ordinal.
import { bstrApi } from './oleaut32/bstr.js';
import { variantApi } from './oleaut32/variant.js';
import { dll } from './spec.js';

export default dll('oleaut32.dll', {
  ...bstrApi,
  ...variantApi,
});
