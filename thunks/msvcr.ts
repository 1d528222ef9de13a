// msvcr70.dll ... msvcr120.dll: the Visual C++ 2002-2013 runtimes, built from the same C runtime areas as
// msvcrt.dll (thunks/msvcrt.ts) with their version: they differ in what they export (the secure CRT from
// msvcr80 on) and in behaviour (%n is off from msvcr80 on, _set_output_format). None of them is a known
// DLL: a copy that ships next to the DLL is loaded for real instead.
import { crtExports } from './msvcrt.js';
import { dll, type DllSpec } from './spec.js';

export const MSVCR_VERSIONS = [70, 71, 80, 90, 100, 110, 120] as const;

export const msvcrDlls: DllSpec[] = MSVCR_VERSIONS.map((v) => dll(`msvcr${v}.dll`, crtExports('msvcrt', v)));
