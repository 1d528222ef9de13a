// Names of Windows' own DLLs that wowasm has no table for, and how API-set names map onto DLLs.
//
// A DLL often imports a system DLL only for rarely used paths (dnsapi for one lookup, winmm for a
// timer, version for a file version check). Such a DLL should still load: a system DLL named here that
// wowasm has no table for becomes a *stub module*, a built-in module with no exports. Its imports bind to
// stubs that stop the call naming `dll!function` when called; GetProcAddress on it finds nothing
// (ERROR_PROC_NOT_FOUND), as for a function the DLL lacks. LoadLibrary does not load a stub module by
// itself (ERROR_MOD_NOT_FOUND, as on a Windows without that DLL): code that loads a DLL dynamically
// checks for failure and takes its fallback, where a half-present DLL would only fail later (libgcrypt's
// random gatherer, for one, probes netapi32 that way). Once an image's imports have loaded it, LoadLibrary
// and GetModuleHandle return it. A name that is no Windows DLL fails to load (MissingDependencyError).
//
// API sets (api-ms-win-*, ext-ms-win-*) are contracts that Windows' loader resolves to a host DLL through
// its API-set schema; no file of that name is searched. wowasm maps them by prefix (apiSetHost below),
// to the DLL that hosts (or, on Windows 10, forwards) those functions:
//
// | API set                                                     | host                                  |
// | ----------------------------------------------------------- | ------------------------------------- |
// | api-ms-win-crt-*                                            | ucrtbase.dll                          |
// | api-ms-win-core-rtlsupport-*                                | ntdll.dll                             |
// | api-ms-win-core-com-*                                       | ole32.dll (combase on Windows 10)     |
// | api-ms-win-core-winrt-*                                     | combase.dll                           |
// | api-ms-win-core-registry-*                                  | advapi32.dll (kernelbase on Win 10)   |
// | api-ms-win-core-*, and any other api-ms-win-* not listed    | kernel32.dll (kernelbase semantics)   |
// | api-ms-win-security-*, -eventing-*, -service-*              | advapi32.dll (sechost on Windows 10)  |
// | api-ms-win-downlevel-<dll>-*                                | <dll>.dll (advapi32, kernel32, ...)   |
// | api-ms-win-shcore-*                                         | shcore.dll                            |
// | api-ms-win-shell-*                                          | shell32.dll                           |
// | api-ms-win-ntuser-*, ext-ms-win-ntuser-*, -rtcore-ntuser-*  | user32.dll                            |
// | ext-ms-win-gdi-*, ext-ms-win-rtcore-gdi-*                   | gdi32.dll                             |
// | api-ms-win-mm-*                                             | winmm.dll                             |
// | api-ms-win-power-*                                          | powrprof.dll                          |
// | api-ms-win-devices-config-*                                 | cfgmgr32.dll                          |
// | any other ext-ms-* (optional extension sets)                | itself, as a stub module              |
//
// kernelbase.dll is kernel32.dll.

/** Windows system DLLs (lower case, with extension) that load as stub modules when wowasm has no table. */
export const SYSTEM_DLLS: readonly string[] = [
  'advapi32.dll',
  'authz.dll',
  'avrt.dll',
  'bcrypt.dll',
  'bcryptprimitives.dll',
  'cabinet.dll',
  'cfgmgr32.dll',
  'clusapi.dll',
  'combase.dll',
  'comctl32.dll',
  'comdlg32.dll',
  'credui.dll',
  'crypt32.dll',
  'cryptbase.dll',
  'cryptnet.dll',
  'cryptsp.dll',
  'cryptui.dll',
  'd2d1.dll',
  'd3d9.dll',
  'd3d10.dll',
  'd3d11.dll',
  'd3d12.dll',
  'dbgeng.dll',
  'dbghelp.dll',
  'ddraw.dll',
  'dhcpcsvc.dll',
  'dinput8.dll',
  'dnsapi.dll',
  'dsound.dll',
  'dwmapi.dll',
  'dwrite.dll',
  'dxgi.dll',
  'esent.dll',
  'fltlib.dll',
  'gdi32.dll',
  'gdiplus.dll',
  'glu32.dll',
  'hid.dll',
  'httpapi.dll',
  'icmp.dll',
  'imagehlp.dll',
  'imm32.dll',
  'iphlpapi.dll',
  'ktmw32.dll',
  'mfplat.dll',
  'mpr.dll',
  'msacm32.dll',
  'mscoree.dll',
  'msi.dll',
  'msimg32.dll',
  'mswsock.dll',
  'msvfw32.dll',
  'ncrypt.dll',
  'netapi32.dll',
  'normaliz.dll',
  'ntdsapi.dll',
  'odbc32.dll',
  'ole32.dll',
  'oleacc.dll',
  'oleaut32.dll',
  'opengl32.dll',
  'pdh.dll',
  'powrprof.dll',
  'propsys.dll',
  'psapi.dll',
  'rasapi32.dll',
  'rpcrt4.dll',
  'rstrtmgr.dll',
  'sechost.dll',
  'secur32.dll',
  'sensapi.dll',
  'setupapi.dll',
  'shcore.dll',
  'shell32.dll',
  'shfolder.dll',
  'shlwapi.dll',
  'sspicli.dll',
  'tapi32.dll',
  'ucrtbase.dll',
  'urlmon.dll',
  'user32.dll',
  'userenv.dll',
  'usp10.dll',
  'uxtheme.dll',
  'version.dll',
  'wevtapi.dll',
  'windowscodecs.dll',
  'winhttp.dll',
  'wininet.dll',
  'winmm.dll',
  'winscard.dll',
  'winspool.drv',
  'wintrust.dll',
  'winusb.dll',
  'wlanapi.dll',
  'wldap32.dll',
  'ws2_32.dll',
  'wsock32.dll',
  'wtsapi32.dll',
  'xinput1_3.dll',
  'xinput1_4.dll',
  'xinput9_1_0.dll',
  'xmllite.dll',
];

const DOWNLEVEL = new Set(['advapi32', 'kernel32', 'user32', 'shlwapi', 'ole32', 'shell32', 'version', 'normaliz', 'crypt32', 'secur32']);

/** Prefix rules, first match wins (see the table above). */
const API_SET_RULES: readonly [RegExp, string][] = [
  [/^api-ms-win-crt-/, 'ucrtbase.dll'],
  [/^api-ms-win-core-rtlsupport-/, 'ntdll.dll'],
  [/^api-ms-win-core-com-/, 'ole32.dll'],
  [/^api-ms-win-core-winrt-/, 'combase.dll'],
  [/^api-ms-win-core-registry-/, 'advapi32.dll'],
  [/^api-ms-win-core-/, 'kernel32.dll'],
  [/^api-ms-win-(security|eventing|service)-/, 'advapi32.dll'],
  [/^api-ms-win-shcore-/, 'shcore.dll'],
  [/^api-ms-win-shell-/, 'shell32.dll'],
  [/^(api-ms-win-ntuser-|ext-ms-win-ntuser-|ext-ms-win-rtcore-ntuser-)/, 'user32.dll'],
  [/^(ext-ms-win-gdi-|ext-ms-win-rtcore-gdi-)/, 'gdi32.dll'],
  [/^api-ms-win-mm-/, 'winmm.dll'],
  [/^api-ms-win-power-/, 'powrprof.dll'],
  [/^api-ms-win-devices-config-/, 'cfgmgr32.dll'],
];

/** Is this (lower-case, normalized) name an API set rather than a DLL file? */
export function isApiSet(name: string): boolean {
  return /^(api|ext)-ms-/.test(name);
}

/**
 * The DLL that implements a name: an API set's host, kernelbase's kernel32, or undefined for a name
 * that is a DLL of its own (and for ext-ms-* sets wowasm does not map, which stay stub modules).
 */
export function apiSetHost(name: string): string | undefined {
  if (name === 'kernelbase.dll') return 'kernel32.dll';
  if (!isApiSet(name)) return undefined;
  const down = /^api-ms-win-downlevel-([a-z0-9]+)-/.exec(name);
  if (down && DOWNLEVEL.has(down[1]!)) return `${down[1]}.dll`;
  for (const [re, host] of API_SET_RULES) if (re.test(name)) return host;
  return name.startsWith('api-ms-win-') ? 'kernel32.dll' : undefined;
}

/** Does a name (after aliases) stand for a Windows DLL that may load as a stub module? */
export function isSystemDll(name: string): boolean {
  return SYSTEM_SET.has(name) || isApiSet(name);
}

const SYSTEM_SET = new Set(SYSTEM_DLLS);
