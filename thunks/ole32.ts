// ole32.dll: the export table, the union of the areas' tables (thunks/ole32/*.ts): apartments, the task
// allocator and GUIDs. No COM server is registered, so creating an object fails as for an unknown class.
import { comApi } from './ole32/com.js';
import { guidApi } from './ole32/guid.js';
import { dll } from './spec.js';

export default dll('ole32.dll', {
  ...comApi,
  ...guidApi,
});
