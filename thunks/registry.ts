// The built-in system DLLs wowasm provides, and which names are always built-in.
import advapi32 from './advapi32.js';
import bcrypt from './bcrypt.js';
import bcryptprimitives from './bcryptprimitives.js';
import kernel32 from './kernel32.js';
import { msvcrDlls } from './msvcr.js';
import msvcrt from './msvcrt.js';
import ntdll from './ntdll.js';
import ole32 from './ole32.js';
import oleaut32 from './oleaut32.js';
import type { DllSpec } from './spec.js';
import ucrtbase from './ucrtbase.js';
import { apiSetHost, isSystemDll } from './system-dlls.js';
import user32 from './user32.js';
import ws2_32 from './ws2_32.js';
import vcruntime140, { vcruntime140_1 } from './vcruntime140.js';

export const BUILTIN_DLLS: DllSpec[] = [advapi32, bcrypt, bcryptprimitives, kernel32, msvcrt, ntdll, ole32, oleaut32, user32, ws2_32, ...msvcrDlls, ucrtbase, vcruntime140, vcruntime140_1];

/**
 * DLLs that are always wowasm's own, even when a file of the same name sits next to the loaded DLL
 * (Windows' KnownDLLs: a DLL cannot bring its own kernel32).
 */
export const KNOWN_DLLS = [
  'kernel32.dll',
  'kernelbase.dll',
  'ntdll.dll',
  'msvcrt.dll',
  'user32.dll',
  'gdi32.dll',
  'advapi32.dll',
  'bcrypt.dll',
  'bcryptprimitives.dll',
  'ws2_32.dll',
  'ole32.dll',
  'oleaut32.dll',
  'shell32.dll',
  'shlwapi.dll',
  'comdlg32.dll',
  'rpcrt4.dll',
  'imagehlp.dll',
  'psapi.dll',
  'setupapi.dll',
  'wldap32.dll',
  // Windows 10 always uses the system's Universal CRT, even when a program brings its own copy.
  'ucrtbase.dll',
];

/**
 * API-set names and kernelbase map onto the DLL that hosts them; Windows DLLs without a table load as
 * stub modules (both in thunks/system-dlls.ts).
 */
export const registry = { specs: BUILTIN_DLLS, knownDlls: KNOWN_DLLS, aliases: apiSetHost, stubModules: isSystemDll };
