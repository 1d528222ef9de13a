// msvcrt.dll: the export table, the union of the C runtime areas' tables (thunks/crt/*.ts). The same
// areas serve every CRT flavour; msvcrt.dll formats numbers as the pre-2015 runtimes do.
import { localeApi } from './crt/locale.js';
import { memoryApi } from './crt/memory.js';
import { startupApi } from './crt/startup.js';
import { stdioApi } from './crt/stdio.js';
import { stdlibApi } from './crt/stdlib.js';
import { stringApi } from './crt/string.js';
import { crtThreadApi } from './crt/threads.js';
import { crtExceptionApi } from './seh-api.js';
import { dll } from './spec.js';

export default dll('msvcrt.dll', {
  ...crtExceptionApi,
  ...crtThreadApi,
  ...localeApi('msvcrt'),
  ...memoryApi('msvcrt'),
  ...startupApi('msvcrt'),
  ...stdioApi('msvcrt'),
  ...stdlibApi('msvcrt'),
  ...stringApi('msvcrt'),
});
