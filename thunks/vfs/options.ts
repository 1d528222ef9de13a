// What the user grants the guest in load() options: a host folder (read-only unless `writable`), or an
// in-memory volume seeded from a record of files. Plain data, so it crosses to the worker thread as is.
import { WowasmError } from '../../emulator/errors.js';

export type FileSystemOptions =
  | {
      /** Host folder that becomes the root of drive C:. */
      root: string;
      /** Allow the guest to create, change and delete files in it (default false: read-only). */
      writable?: boolean;
    }
  | {
      memory: true;
      /** Initial files: guest path ("dir/a.txt", "C:\\dir\\a.txt") -> contents (strings are UTF-8). A key ending in a separator makes an empty folder. */
      files?: Record<string, Uint8Array | string>;
      /** Default true (the volume lives and dies with the library). */
      writable?: boolean;
    };

/** The `fs` load option is malformed (no such folder, a bad seed path, ...). */
export class FileSystemOptionError extends WowasmError {
  constructor(problem: string, detail: Record<string, unknown> = {}) {
    super('WOWASM_BAD_FS_OPTION', `fs option: ${problem}`, detail);
  }
}
