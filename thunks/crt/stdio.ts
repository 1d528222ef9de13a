// <stdio.h>'s standard streams and the entry the printf family writes through. The streams themselves
// (fopen, fread, fputc, ...) are in files.ts, the descriptors under them in io.ts, printf in printf.ts.
import { fn, type Export } from '../spec.js';
import type { Process } from '../process.js';
import type { CrtFlavour } from './format.js';
import { streamWrite } from './files.js';
import { crt, FILE_SIZE, IOB_ENTRIES, type CrtStream } from './state.js';

export const EOF = -1;

/** The stream behind a FILE*, or undefined. */
export function stream(p: Process, file: number): CrtStream | undefined {
  return p.state(crt).streams.get(file);
}

/** Writes bytes to the stream behind a FILE*; returns the count written or -1 (the printf family uses it). */
export function writeStream(p: Process, file: number, bytes: Uint8Array): number {
  return streamWrite(p, file, bytes);
}

/** The stdin/stdout/stderr FILE* values (&_iob[n]). */
export function iobEntry(p: Process, n: number): number {
  return p.state(crt).iob + n * FILE_SIZE;
}

export { IOB_ENTRIES };

/** C runtime exports of this area, for a CRT of the given flavour (see thunks/msvcrt.ts). */
export function stdioApi(_flavour: CrtFlavour): Record<string, Export> {
  return {
    __iob_func: fn('cdecl', [], 'ptr', (p) => p.state(crt).iob),
  };
}
