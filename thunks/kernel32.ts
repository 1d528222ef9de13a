// kernel32.dll: the export table, the union of the areas' tables (thunks/kernel32/*.ts), where each
// entry sits next to its implementation.
import { collationApi } from './kernel32/collation.js';
import { consoleApi } from './kernel32/console.js';
import { datetimeApi } from './kernel32/datetime.js';
import { environmentApi } from './kernel32/environment.js';
import { errorsApi } from './kernel32/errors.js';
import { fileApi } from './kernel32/file.js';
import { formatsApi } from './kernel32/formats.js';
import { flsApi } from './kernel32/fls.js';
import { globalApi } from './kernel32/global.js';
import { localeApi } from './kernel32/locale.js';
import { mappingApi } from './kernel32/mapping.js';
import { memoryApi } from './kernel32/memory.js';
import { moduleApi } from './kernel32/module.js';
import { pathApi } from './kernel32/path.js';
import { pipeApi } from './kernel32/pipe.js';
import { processApi } from './kernel32/process-info.js';
import { sysinfoApi } from './kernel32/sysinfo.js';
import { syncApi } from './kernel32/sync.js';
import { textApi } from './kernel32/text.js';
import { timeApi } from './kernel32/time.js';
import { tlsApi } from './kernel32/tls.js';
import { threadApi } from './kernel32/threads.js';
import { waitApi } from './kernel32/waits.js';
import { kernel32ExceptionApi } from './seh-api.js';
import { dll } from './spec.js';

export default dll('kernel32.dll', {
  ...collationApi,
  ...consoleApi,
  ...datetimeApi,
  ...environmentApi,
  ...errorsApi,
  ...kernel32ExceptionApi,
  ...threadApi,
  ...waitApi,
  ...fileApi,
  ...formatsApi,
  ...flsApi,
  ...globalApi,
  ...localeApi,
  ...mappingApi,
  ...memoryApi,
  ...moduleApi,
  ...pathApi,
  ...pipeApi,
  ...processApi,
  ...sysinfoApi,
  ...syncApi,
  ...textApi,
  ...timeApi,
  ...tlsApi,
});
