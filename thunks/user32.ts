// user32.dll: the export table, the union of the areas' tables (thunks/user32/*.ts). There is no
// window system: message boxes become host events, and the window queries answer as for a process
// without windows.
import { dll } from './spec.js';
import { messageBoxApi } from './user32/messagebox.js';
import { resourcesApi } from './user32/resources.js';
import { textApi } from './user32/text.js';
import { windowsApi } from './user32/windows.js';
import { wsprintfApi } from './user32/wsprintf.js';

export default dll('user32.dll', {
  ...messageBoxApi,
  ...resourcesApi,
  ...textApi,
  ...windowsApi,
  ...wsprintfApi,
});
