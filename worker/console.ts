// Where the DLL's console output goes: the host's own stdout/stderr ('inherit', the default), readable
// streams on the library object ('pipe': lib.stdout / lib.stderr, as child_process gives them), or
// nowhere ('ignore'); an `output` function given at load time receives it as well.
import { Readable } from 'node:stream';

export type StdioMode = 'inherit' | 'pipe' | 'ignore';
export type OutputStream = 'stdout' | 'stderr';
export type OutputSink = (stream: OutputStream, bytes: Uint8Array) => void;

/** Console output of a library, per LoadOptions.stdio and LoadOptions.output. */
export class ConsoleOutput {
  /** The DLL's standard output as a byte stream (stdio: 'pipe'); null otherwise. */
  readonly stdout: Readable | null;
  /** The DLL's standard error as a byte stream (stdio: 'pipe'); null otherwise. */
  readonly stderr: Readable | null;
  private readonly mode: StdioMode;
  private ended = false;

  constructor(mode: StdioMode = 'inherit', private readonly extra?: OutputSink) {
    if (mode !== 'inherit' && mode !== 'pipe' && mode !== 'ignore') throw new TypeError(`stdio must be 'inherit', 'pipe' or 'ignore', not ${JSON.stringify(mode)}`);
    this.mode = mode;
    // Output is pushed as the guest writes it; a stream keeps what its reader has not taken yet.
    this.stdout = mode === 'pipe' ? new Readable({ read() {} }) : null;
    this.stderr = mode === 'pipe' ? new Readable({ read() {} }) : null;
  }

  /** The sink the guest process writes to. */
  readonly write: OutputSink = (stream, bytes) => {
    if (!bytes.length) return;
    if (this.mode === 'inherit') (stream === 'stdout' ? process.stdout : process.stderr).write(bytes.slice());
    else if (this.mode === 'pipe' && !this.ended) (stream === 'stdout' ? this.stdout : this.stderr)!.push(bytes.slice());
    this.extra?.(stream, bytes);
  };

  /** The library closed: the streams end (after what they hold is read). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.stdout?.push(null);
    this.stderr?.push(null);
  }
}
