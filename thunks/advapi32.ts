// advapi32.dll: the export table, the union of the areas' tables (thunks/advapi32/*.ts): the registry,
// CryptoAPI's random numbers, and the user and token functions.
import { cryptApi } from './advapi32/crypt.js';
import { registryApi } from './advapi32/registry.js';
import { securityApi } from './advapi32/security.js';
import { dll } from './spec.js';

export default dll('advapi32.dll', {
  ...cryptApi,
  ...registryApi,
  ...securityApi,
});
