// ole32 and oleaut32, minimal: apartments, the task allocator and IMalloc, GUIDs and their text, object
// creation without any registered class; BSTRs and VariantInit/VariantClear. HRESULTs, layouts and
// ordinals as in Microsoft's COM and Automation reference.
import { beforeEach, describe, expect, test } from 'vitest';
import { PROT } from '../../emulator/memory.js';
import { registry } from '../../thunks/registry.js';
import { le32 } from '../helpers/x86.js';
import { win32, type Win32 } from '../helpers/win32.js';

const S_OK = 0;
const S_FALSE = 1;
const E_INVALIDARG = 0x80070057;
const E_POINTER = 0x80004003;
const E_NOINTERFACE = 0x80004002;
const RPC_E_CHANGED_MODE = 0x80010106;
const CO_E_NOTINITIALIZED = 0x800401f0;
const CO_E_CLASSSTRING = 0x800401f3;
const REGDB_E_CLASSNOTREG = 0x80040154;
const DISP_E_BADVARTYPE = 0x80020008;
const COINIT_MULTITHREADED = 0;
const COINIT_APARTMENTTHREADED = 2;
const COINIT_DISABLE_OLE1DDE = 4;

let w: Win32;
const ole = (name: string, ...args: number[]) => w.call('ole32.dll', name, args) >>> 0;
const oa = (name: string, ...args: number[]) => w.call('oleaut32.dll', name, args) >>> 0;
beforeEach(() => {
  w = win32();
});

/** A GUID's 16 bytes from its text form, laid out as in memory. */
function guidBytes(text: string): number[] {
  const h = text.replace(/[{}-]/g, '');
  const byte = (i: number) => parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return [byte(3), byte(2), byte(1), byte(0), byte(5), byte(4), byte(7), byte(6), ...Array.from({ length: 8 }, (_, i) => byte(8 + i))];
}

describe('apartments', () => {
  test('S_OK, then S_FALSE; a different model is RPC_E_CHANGED_MODE and not counted', () => {
    expect(ole('CoInitializeEx', 0, COINIT_APARTMENTTHREADED)).toBe(S_OK);
    expect(ole('CoInitialize', 0)).toBe(S_FALSE);
    expect(ole('CoInitializeEx', 0, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE)).toBe(S_FALSE);
    expect(ole('CoInitializeEx', 0, COINIT_MULTITHREADED)).toBe(RPC_E_CHANGED_MODE);
    expect(ole('OleInitialize', 0)).toBe(S_FALSE); // OLE is a single-threaded apartment too
    for (let i = 0; i < 3; i++) ole('CoUninitialize'); // four successful calls, three undone
    // Still one left: the model is fixed until the last CoUninitialize.
    expect(ole('CoInitializeEx', 0, COINIT_MULTITHREADED)).toBe(RPC_E_CHANGED_MODE);
    ole('CoUninitialize');
    expect(ole('CoInitializeEx', 0, COINIT_MULTITHREADED)).toBe(S_OK);
    expect(ole('OleInitialize', 0)).toBe(RPC_E_CHANGED_MODE);
    ole('CoUninitialize');
    ole('CoUninitialize'); // one too many: harmless
  });

  test('reserved pointer and unknown flags are E_INVALIDARG', () => {
    expect(ole('CoInitializeEx', 0x1000, COINIT_MULTITHREADED)).toBe(E_INVALIDARG);
    expect(ole('CoInitializeEx', 0, 0x100)).toBe(E_INVALIDARG);
  });
});

describe('object creation: no class is registered', () => {
  test('CoCreateInstance / CoGetClassObject', () => {
    const clsid = w.bytes(guidBytes('{00021401-0000-0000-C000-000000000046}'));
    const iid = w.bytes(guidBytes('{00000000-0000-0000-C000-000000000046}'));
    const ppv = w.buf(4);
    w.cpu.mem.setU32(ppv, 0xdeadbeef);
    expect(ole('CoCreateInstance', clsid, 0, 1, iid, ppv)).toBe(CO_E_NOTINITIALIZED);
    expect(w.u32(ppv)).toBe(0);
    ole('CoInitialize', 0);
    w.cpu.mem.setU32(ppv, 0xdeadbeef);
    expect(ole('CoCreateInstance', clsid, 0, 1, iid, ppv)).toBe(REGDB_E_CLASSNOTREG);
    expect(w.u32(ppv)).toBe(0);
    expect(ole('CoGetClassObject', clsid, 1, 0, iid, ppv)).toBe(REGDB_E_CLASSNOTREG);
    expect(ole('CoCreateInstance', clsid, 0, 1, iid, 0)).toBe(E_POINTER);
  });
});

describe('task allocator', () => {
  test('CoTaskMemAlloc / Realloc / Free on the process heap', () => {
    const a = ole('CoTaskMemAlloc', 100);
    expect(w.p.heap.isBlock(a)).toBe(true);
    expect(w.p.heap.size(a)).toBe(100);
    w.cpu.mem.write(a, Uint8Array.from([1, 2, 3]));
    const b = ole('CoTaskMemRealloc', a, 5000);
    expect([...w.cpu.mem.read(b, 3)]).toEqual([1, 2, 3]);
    expect(w.p.heap.size(b)).toBe(5000);
    expect(ole('CoTaskMemRealloc', b, 0)).toBe(0);
    expect(w.p.heap.isBlock(b)).toBe(false);
    const c = ole('CoTaskMemRealloc', 0, 8);
    expect(w.p.heap.isBlock(c)).toBe(true);
    const z = ole('CoTaskMemAlloc', 0);
    expect(z).not.toBe(0); // a zero-length item, still a valid pointer
    ole('CoTaskMemFree', c);
    ole('CoTaskMemFree', 0);
    expect(w.p.heap.isBlock(c)).toBe(false);
  });

  test('CoGetMalloc: an IMalloc whose methods use the same heap', () => {
    const pp = w.buf(4);
    expect(ole('CoGetMalloc', 1, pp)).toBe(S_OK); // MEMCTX_TASK
    const m = w.u32(pp);
    const method = (i: number) => w.u32(w.u32(m) + 4 * i);
    const call = (i: number, ...args: number[]) => w.p.callGuest(method(i), 'stdcall', [m, ...args]) >>> 0;
    const block = call(3, 24); // Alloc
    expect(w.p.heap.size(block)).toBe(24);
    expect(call(6, block)).toBe(24); // GetSize
    expect(call(7, block)).toBe(1); // DidAlloc
    expect(call(7, w.buf(4) + 1)).toBe(0);
    const bigger = call(4, block, 64); // Realloc
    expect(call(6, bigger)).toBe(64);
    call(5, bigger); // Free
    expect(w.p.heap.isBlock(bigger)).toBe(false);
    const out = w.buf(4);
    expect(call(0, w.bytes(guidBytes('{00000002-0000-0000-C000-000000000046}')), out)).toBe(S_OK); // QueryInterface(IID_IMalloc)
    expect(w.u32(out)).toBe(m);
    expect(call(0, w.bytes(guidBytes('{00000001-0000-0000-C000-000000000046}')), out)).toBe(E_NOINTERFACE);
    expect(w.u32(out)).toBe(0);
    // The same object every time; other contexts are E_INVALIDARG.
    const pp2 = w.buf(4);
    ole('CoGetMalloc', 1, pp2);
    expect(w.u32(pp2)).toBe(m);
    expect(ole('CoGetMalloc', 2, pp2)).toBe(E_INVALIDARG);
  });
});

describe('GUIDs', () => {
  test('CoCreateGuid: random, version 4, RFC 4122 variant', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const g = w.buf(16);
      expect(ole('CoCreateGuid', g)).toBe(S_OK);
      const b = w.cpu.mem.read(g, 16);
      expect(b[7]! >> 4).toBe(4);
      expect(b[8]! >> 6).toBe(2);
      seen.add(Buffer.from(b).toString('hex'));
    }
    expect(seen.size).toBe(8);
    expect(ole('CoCreateGuid', 0)).toBe(E_INVALIDARG);
  });

  test('StringFromGUID2: 38 characters in braces, upper case; 0 when the buffer is short', () => {
    const text = '{6B29FC40-CA47-1067-B31D-00DD010662DA}';
    const g = w.bytes(guidBytes(text));
    const buf = w.buf(100);
    expect(ole('StringFromGUID2', g, buf, 39)).toBe(39);
    expect(w.readWStr(buf)).toBe(text);
    expect(ole('StringFromGUID2', g, buf, 38)).toBe(0);
    const pp = w.buf(4);
    expect(ole('StringFromCLSID', g, pp)).toBe(S_OK);
    expect(w.readWStr(w.u32(pp))).toBe(text);
    expect(w.p.heap.isBlock(w.u32(pp))).toBe(true); // the caller frees it with CoTaskMemFree
    expect(ole('StringFromIID', g, pp)).toBe(S_OK);
    expect(w.readWStr(w.u32(pp))).toBe(text);
  });

  test('CLSIDFromString / IIDFromString / CLSIDFromProgID', () => {
    const out = w.buf(16);
    expect(ole('CLSIDFromString', w.wstr('{6b29fc40-ca47-1067-b31d-00dd010662da}'), out)).toBe(S_OK);
    expect([...w.cpu.mem.read(out, 16)]).toEqual(guidBytes('{6B29FC40-CA47-1067-B31D-00DD010662DA}'));
    expect(ole('IIDFromString', w.wstr('{00000000-0000-0000-C000-000000000046}'), out)).toBe(S_OK);
    expect([...w.cpu.mem.read(out, 16)]).toEqual(guidBytes('{00000000-0000-0000-C000-000000000046}'));
    w.cpu.mem.fill(out, 0xff, 16);
    expect(ole('CLSIDFromString', 0, out)).toBe(S_OK); // NULL: CLSID_NULL
    expect([...w.cpu.mem.read(out, 16)]).toEqual(Array(16).fill(0));
    expect(ole('CLSIDFromString', w.wstr('Excel.Application'), out)).toBe(CO_E_CLASSSTRING); // a ProgID nobody registered
    expect(ole('CLSIDFromString', w.wstr('{6b29fc40-ca47-1067-b31d-00dd010662d}'), out)).toBe(CO_E_CLASSSTRING);
    expect(ole('IIDFromString', w.wstr('6b29fc40-ca47-1067-b31d-00dd010662da'), out)).toBe(E_INVALIDARG);
    expect(ole('CLSIDFromProgID', w.wstr('Scripting.FileSystemObject'), out)).toBe(CO_E_CLASSSTRING);
  });
});

describe('oleaut32: BSTR', () => {
  test('SysAllocString: length prefix in bytes, NUL after', () => {
    const b = oa('SysAllocString', w.wstr('h\u00e9llo'));
    expect(w.u32(b - 4)).toBe(10);
    expect(w.readWStr(b)).toBe('h\u00e9llo');
    expect(oa('SysStringLen', b)).toBe(5);
    expect(oa('SysStringByteLen', b)).toBe(10);
    expect(oa('SysAllocString', 0)).toBe(0);
    expect(oa('SysStringLen', 0)).toBe(0);
    expect(oa('SysStringByteLen', 0)).toBe(0);
    oa('SysFreeString', b);
    expect(w.p.heap.isBlock(b - 4)).toBe(false);
    oa('SysFreeString', 0);
  });

  test('SysAllocStringLen copies exactly n characters, NULs included; NULL source leaves room', () => {
    const src = w.wstr('ab\u0000cd');
    const b = oa('SysAllocStringLen', src, 4);
    expect(oa('SysStringLen', b)).toBe(4);
    expect([0, 1, 2, 3, 4].map((i) => w.cpu.mem.u16(b + 2 * i))).toEqual([0x61, 0x62, 0, 0x63, 0]);
    const empty = oa('SysAllocStringLen', 0, 3);
    expect(oa('SysStringLen', empty)).toBe(3);
    expect(w.cpu.mem.u16(empty + 6)).toBe(0);
  });

  test('SysAllocStringByteLen: any byte count, an odd one too', () => {
    const b = oa('SysAllocStringByteLen', w.bytes([1, 2, 3]), 3);
    expect(oa('SysStringByteLen', b)).toBe(3);
    expect(oa('SysStringLen', b)).toBe(1);
    expect([...w.cpu.mem.read(b, 5)]).toEqual([1, 2, 3, 0, 0]);
  });

  test('SysReAllocString / SysReAllocStringLen replace the BSTR', () => {
    const pb = w.buf(4);
    w.cpu.mem.setU32(pb, oa('SysAllocString', w.wstr('old')));
    const old = w.u32(pb);
    expect(oa('SysReAllocString', pb, w.wstr('brand new'))).toBe(1);
    expect(w.readWStr(w.u32(pb))).toBe('brand new');
    expect(oa('SysStringLen', w.u32(pb))).toBe(9);
    expect(w.p.heap.isBlock(old - 4)).toBe(false);
    expect(oa('SysReAllocStringLen', pb, w.wstr('xyz'), 2)).toBe(1);
    expect(w.readWStr(w.u32(pb))).toBe('xy');
  });
});

describe('oleaut32: VARIANT', () => {
  test('VariantInit sets VT_EMPTY; VariantClear frees a BSTR', () => {
    const v = w.buf(16);
    w.cpu.mem.fill(v, 0xcc, 16);
    oa('VariantInit', v);
    expect(w.cpu.mem.u16(v)).toBe(0);
    const b = oa('SysAllocString', w.wstr('owned'));
    w.cpu.mem.setU16(v, 8); // VT_BSTR
    w.cpu.mem.setU32(v + 8, b);
    expect(oa('VariantClear', v)).toBe(S_OK);
    expect(w.cpu.mem.u16(v)).toBe(0);
    expect(w.p.heap.isBlock(b - 4)).toBe(false);
  });

  test('VariantClear releases an interface (a guest IUnknown)', () => {
    // A Release that counts its calls: inc dword [counter]; mov eax, 0; ret 4
    const code = w.p.mem.map(0x1000, PROT.rwx);
    const counter = w.buf(4);
    w.cpu.mem.write(code, Uint8Array.from([0xff, 0x05, ...le32(counter), 0xb8, 0, 0, 0, 0, 0xc2, 0x04, 0x00]));
    const vtbl = w.buf(12);
    w.cpu.mem.setU32(vtbl + 8, code);
    const obj = w.buf(4);
    w.cpu.mem.setU32(obj, vtbl);
    const v = w.buf(16);
    w.cpu.mem.setU16(v, 13); // VT_UNKNOWN
    w.cpu.mem.setU32(v + 8, obj);
    expect(oa('VariantClear', v)).toBe(S_OK);
    expect(w.u32(counter)).toBe(1);
    expect(w.cpu.mem.u16(v)).toBe(0);
    w.cpu.mem.setU16(v, 9); // VT_DISPATCH, NULL: nothing to release
    w.cpu.mem.setU32(v + 8, 0);
    expect(oa('VariantClear', v)).toBe(S_OK);
    expect(w.u32(counter)).toBe(1);
  });

  test('by-reference variants own nothing; unknown types are DISP_E_BADVARTYPE', () => {
    const v = w.buf(16);
    const b = oa('SysAllocString', w.wstr('not owned'));
    w.cpu.mem.setU16(v, 0x4008); // VT_BYREF | VT_BSTR
    w.cpu.mem.setU32(v + 8, w.buf(4));
    expect(oa('VariantClear', v)).toBe(S_OK);
    expect(w.cpu.mem.u16(v)).toBe(0);
    expect(w.p.heap.isBlock(b - 4)).toBe(true);
    w.cpu.mem.setU16(v, 0x7f);
    expect(oa('VariantClear', v)).toBe(DISP_E_BADVARTYPE);
    expect(w.cpu.mem.u16(v)).toBe(0x7f);
    w.cpu.mem.setU16(v, 12); // VT_VARIANT only exists by reference
    expect(oa('VariantClear', v)).toBe(DISP_E_BADVARTYPE);
  });
});

test('oleaut32 ordinals', () => {
  const spec = registry.specs.find((s) => s.name === 'oleaut32.dll')!;
  const ord = Object.fromEntries(Object.entries(spec.exports).map(([n, e]) => [n, e.ordinal]));
  expect(ord).toEqual({ SysAllocString: 2, SysReAllocString: 3, SysAllocStringLen: 4, SysReAllocStringLen: 5, SysFreeString: 6, SysStringLen: 7, VariantInit: 8, VariantClear: 9, SysStringByteLen: 149, SysAllocStringByteLen: 150 });
});
