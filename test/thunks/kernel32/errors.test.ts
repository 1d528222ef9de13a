// FormatMessage (system texts as Windows 10 prints them, inserts, width, buffers) and the error modes.
import { beforeEach, describe, expect, test } from 'vitest';
import { messageTableEntry } from '../../../thunks/kernel32/errors.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const FROM_SYSTEM = 0x1000;
const FROM_STRING = 0x400;
const FROM_HMODULE = 0x800;
const ALLOCATE_BUFFER = 0x100;
const IGNORE_INSERTS = 0x200;
const ARGUMENT_ARRAY = 0x2000;
const MAX_WIDTH_MASK = 0xff;

let w: Win32;
beforeEach(() => {
  w = win32();
});

/** FormatMessageA into a 512-byte buffer: [return value, text]. */
function fmtA(flags: number, source: number, id: number, args = 0, lang = 0): [number, string] {
  const buf = w.buf(512);
  const n = w.k32('FormatMessageA', flags, source, id, lang, buf, 512, args);
  return [n, w.readStr(buf)];
}
/** A va_list of 32-bit values in guest memory, and a pointer to it (FormatMessage takes va_list *). */
function vaList(values: number[]): number {
  const list = w.buf(4 * values.length + 4);
  values.forEach((v, i) => w.cpu.mem.setU32(list + 4 * i, v));
  const ptr = w.buf(4);
  w.cpu.mem.setU32(ptr, list);
  return ptr;
}

describe('system messages', () => {
  test.each([
    [0, 'The operation completed successfully.'],
    [2, 'The system cannot find the file specified.'],
    [5, 'Access is denied.'],
    [6, 'The handle is invalid.'],
    [8, 'Not enough memory resources are available to process this command.'],
    [14, 'Not enough memory resources are available to complete this operation.'],
    [32, 'The process cannot access the file because it is being used by another process.'],
    [87, 'The parameter is incorrect.'],
    [122, 'The data area passed to a system call is too small.'],
    [126, 'The specified module could not be found.'],
    [183, 'Cannot create a file when that file already exists.'],
    [998, 'Invalid access to memory location.'],
    [1114, 'A dynamic link library (DLL) initialization routine failed.'],
    [1450, 'Insufficient system resources exist to complete the requested service.'],
    [10061, 'No connection could be made because the target machine actively refused it.'],
  ])('error %i', (id, text) => {
    expect(fmtA(FROM_SYSTEM, 0, id)).toEqual([text.length + 2, text + '\r\n']);
  });

  test('HRESULTs: E_FAIL has its own text, FACILITY_WIN32 ones are the Win32 text', () => {
    expect(fmtA(FROM_SYSTEM, 0, 0x8000_4005)[1]).toBe('Unspecified error\r\n');
    expect(fmtA(FROM_SYSTEM, 0, 0x8007_0005)[1]).toBe('Access is denied.\r\n');
  });

  test('FormatMessageW gives UTF-16 and counts characters', () => {
    const buf = w.buf(512);
    expect(w.k32('FormatMessageW', FROM_SYSTEM, 0, 3, 0, buf, 256, 0)).toBe(44);
    expect(w.readWStr(buf)).toBe('The system cannot find the path specified.\r\n');
  });

  test('FORMAT_MESSAGE_MAX_WIDTH_MASK turns the final line break into a space', () => {
    expect(fmtA(FROM_SYSTEM | MAX_WIDTH_MASK, 0, 2)[1]).toBe('The system cannot find the file specified. ');
  });

  test('inserts of a system message: ignored, or filled from an argument array', () => {
    expect(fmtA(FROM_SYSTEM | IGNORE_INSERTS, 0, 193)[1]).toBe('%1 is not a valid Win32 application.\r\n');
    const args = w.buf(4);
    w.cpu.mem.setU32(args, w.str('C:\\x\\tool.exe'));
    expect(fmtA(FROM_SYSTEM | ARGUMENT_ARRAY, 0, 193, args)[1]).toBe('C:\\x\\tool.exe is not a valid Win32 application.\r\n');
  });

  test('an unknown id fails with ERROR_MR_MID_NOT_FOUND; another language with ERROR_RESOURCE_LANG_NOT_FOUND', () => {
    expect(fmtA(FROM_SYSTEM, 0, 0x1234_5678)[0]).toBe(0);
    expect(w.lastError()).toBe(317);
    expect(fmtA(FROM_SYSTEM, 0, 2, 0, 0x407)[0]).toBe(0); // German
    expect(w.lastError()).toBe(15100);
    expect(fmtA(FROM_SYSTEM, 0, 2, 0, 0x409)[1]).toBe('The system cannot find the file specified.\r\n'); // en-US
  });

  test('inserts without arguments (and without IGNORE_INSERTS) fail with ERROR_INVALID_PARAMETER', () => {
    expect(fmtA(FROM_SYSTEM, 0, 193)[0]).toBe(0);
    expect(w.lastError()).toBe(87);
  });

  test("ntdll's message table holds the NTSTATUS texts", () => {
    const ntdll = w.k32('GetModuleHandleA', w.str('ntdll.dll'));
    expect(fmtA(FROM_HMODULE | IGNORE_INSERTS, ntdll, 0xc000_0005)[1]).toBe('The instruction at 0x%p referenced memory at 0x%p. The memory could not be %s.\r\n');
    expect(fmtA(FROM_HMODULE, ntdll, 0xc000_0094)[1]).toBe('{EXCEPTION}\r\nInteger division by zero.\r\n');
    // FROM_HMODULE | FROM_SYSTEM falls back to the system table.
    expect(fmtA(FROM_HMODULE | FROM_SYSTEM, ntdll, 5)[1]).toBe('Access is denied.\r\n');
    expect(fmtA(FROM_HMODULE, 0, 5)[0]).toBe(0); // the EXE has no message table
    expect(w.lastError()).toBe(1813);
  });
});

describe('message strings', () => {
  test('inserts with printf formats, escapes and %0', () => {
    const args = vaList([w.str('world'), 0xff, w.str('abc')]);
    expect(fmtA(FROM_STRING, w.str('Hello %1, %2!04x! %3!-5s!| %% %. %!%n'), 0, args)[1]).toBe('Hello world, 00ff abc  | % . !\r\n');
    expect(fmtA(FROM_STRING, w.str('tab%tcr%rend%0 never'), 0)[1]).toBe('tab\tcr\rend');
  });

  test('the documented example: * width and precision take the following arguments', () => {
    // FormatMessage("%1!*.*s! %4 %5!*s!", 4, 2, "Bill", "Bob", 6, "Bill") -> "  Bi Bob   Bill"
    const args = vaList([4, 2, w.str('Bill'), w.str('Bob'), 6, w.str('Bill')]);
    expect(fmtA(FROM_STRING, w.str('%1!*.*s! %4 %5!*s!'), 0, args)).toEqual([15, '  Bi Bob   Bill']);
  });

  test('inserts may repeat and come in any order; %10 and later', () => {
    const values = Array.from({ length: 11 }, (_, i) => w.str(String.fromCharCode(65 + i)));
    const args = w.buf(44);
    values.forEach((v, i) => w.cpu.mem.setU32(args + 4 * i, v));
    expect(fmtA(FROM_STRING | ARGUMENT_ARRAY, w.str('%2%1%2 %10%11 %1'), 0, args)[1]).toBe('BAB JK A');
  });

  test('FormatMessageW: %s inserts are wide strings', () => {
    const args = vaList([w.wstr('wide'), 42]);
    const buf = w.buf(128);
    expect(w.k32('FormatMessageW', FROM_STRING, w.wstr('%1 %2!u!'), 0, 0, buf, 64, args)).toBe(7);
    expect(w.readWStr(buf)).toBe('wide 42');
  });

  test('line breaks of the template become CR LF, or spaces with a width', () => {
    expect(fmtA(FROM_STRING, w.str('a\nb\rc\r\nd\r\r\n'), 0)[1]).toBe('a\r\nb\r\nc\r\nd\r\n\r\n');
    expect(fmtA(FROM_STRING | MAX_WIDTH_MASK, w.str('one\r\ntwo\n%nthree\r\r\n'), 0)[1]).toBe('one two \r\nthree  ');
  });

  test.each([
    // [width, template, result] as Windows wraps them
    [20, 'short long line', 'short long line'],
    [11, 'short long line', 'short long\r\nline'],
    [10, 'short long line', 'short\r\nlong line'], // a word must end before the width
    [16, 'short long    line', 'short long\r\nline'],
    [12, 'short long    line', 'short long\r\n  line'], // spaces reaching the width end the line
    [12, 'short long    wordlongerthanaline', 'short long\r\n\r\nwordlongerth\r\nanaline'],
    [11, '   shortlong line', '\r\nshortlong\r\nline'],
    [5, 'l1               ', 'l1\r\n\r\n\r\n  '],
    [8, 'shortlon', 'shortlon\r\n'],
    [8, 'shortlongline', 'shortlon\r\ngline'],
    [8, 'shortlon%n', 'shortlon\r\n\r\n'],
    [8, 'short%nlong line', 'short\r\nlong\r\nline'],
    [8, 'short%rlong line', 'short\rlong\r\nline'],
    [11, 'short\nlong line', 'short long\r\nline'],
    [11, 'short long\tline', 'short\r\nlong\tline'],
  ])('width %i wraps %j', (width, template, result) => {
    expect(fmtA(FROM_STRING | width, w.str(template), 0)).toEqual([result.length, result]);
  });

  test('IGNORE_INSERTS copies inserts and %-escapes, but still processes %n, %r, %t, %0 and wraps', () => {
    expect(fmtA(FROM_STRING | IGNORE_INSERTS, w.str('test%1%2!*.*s!%99'), 0)[1]).toBe('test%1%2!*.*s!%99');
    expect(fmtA(FROM_STRING | IGNORE_INSERTS, w.str('%%% %.%!'), 0)[1]).toBe('%%% %.%!');
    expect(fmtA(FROM_STRING | IGNORE_INSERTS, w.str('%n%r%tx%0y'), 0)[1]).toBe('\r\n\r\tx');
    expect(fmtA(FROM_STRING | IGNORE_INSERTS | 8, w.str('short%nlong line%1'), 0)[1]).toBe('short\r\nlong\r\nline%1');
  });

  test('* arguments: the first is the insert number, the next ones follow the highest argument used', () => {
    expect(fmtA(FROM_STRING, w.str('%1!*.*u!'), 0, vaList([5, 3, 1]))[1]).toBe('  001');
    expect(fmtA(FROM_STRING, w.str('%1!*.*u!,%1!*.*u!'), 0, vaList([5, 3, 1, 4, 2]))[1]).toBe('  001, 0002');
    const args = w.buf(24);
    [6, 4, 2, 5, 3, 1].forEach((v, i) => w.cpu.mem.setU32(args + 4 * i, v));
    expect(fmtA(FROM_STRING | ARGUMENT_ARRAY, w.str('%1!*.*u!,%1!*.*u!'), 0, args)[1]).toBe('  0002, 00003');
    expect(fmtA(FROM_STRING | ARGUMENT_ARRAY, w.str('%1!*.*u!,%4!*.*u!'), 0, args)[1]).toBe('  0002,  001');
  });

  test('arguments are only read when an insert needs them', () => {
    expect(fmtA(FROM_STRING, w.str('no inserts'), 0, 0x7ffe_f000)[1]).toBe('no inserts'); // an unmapped va_list *
  });

  test('the va_list moves past the arguments used; NULL strings print (null)', () => {
    const ptr = vaList([0, w.str('x'), 7]);
    const list = w.u32(ptr);
    expect(fmtA(FROM_STRING, w.str('%1|%2'), 0, ptr)[1]).toBe('(null)|x');
    expect(w.u32(ptr)).toBe(list + 8);
  });

  test('an empty result is ERROR_NO_WORK_DONE; a lone % or an unclosed !format! is ERROR_INVALID_PARAMETER', () => {
    expect(fmtA(FROM_STRING, w.str('%0abc'), 0)[0]).toBe(0);
    expect(w.lastError()).toBe(235);
    expect(fmtA(FROM_STRING, w.str('test%'), 0)[0]).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(fmtA(FROM_STRING, w.str('%1!d'), 0, vaList([1]))[0]).toBe(0);
    expect(w.lastError()).toBe(87);
  });
});

describe('buffers', () => {
  test('too small a buffer fails with ERROR_INSUFFICIENT_BUFFER: A leaves it alone, W stores what fits', () => {
    const buf = w.buf(64);
    w.cpu.mem.fill(buf, 0x78, 8);
    expect(w.k32('FormatMessageA', FROM_SYSTEM, 0, 5, 0, buf, 19, 0)).toBe(0); // "Access is denied.\r\n" needs 20
    expect(w.lastError()).toBe(122);
    expect(w.readStr(buf).slice(0, 8)).toBe('xxxxxxxx');
    expect(w.k32('FormatMessageA', FROM_SYSTEM, 0, 5, 0, buf, 20, 0)).toBe(19);
    expect(w.k32('FormatMessageW', FROM_STRING, w.wstr('test'), 0, 0, buf, 4, 0)).toBe(0);
    expect(w.lastError()).toBe(122);
    expect(w.readWStr(buf)).toBe('tes');
  });

  test('FormatMessageA refuses results of 32767 characters or more; FormatMessageW does not', () => {
    const big = 'A'.repeat(32766);
    const buf = w.buf(2 * 40000);
    expect(w.k32('FormatMessageA', FROM_STRING, w.str(big), 0, 0, buf, 40000, 0)).toBe(32766);
    expect(w.k32('FormatMessageA', FROM_STRING, w.str(big + 'B'), 0, 0, buf, 40000, 0)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('FormatMessageW', FROM_STRING, w.wstr(big + 'B'), 0, 0, buf, 40000, 0)).toBe(32767);
  });

  test('FORMAT_MESSAGE_ALLOCATE_BUFFER stores a LocalAlloc block of at least nSize characters', () => {
    const out = w.buf(4);
    expect(w.k32('FormatMessageW', FROM_SYSTEM | ALLOCATE_BUFFER, 0, 6, 0, out, 0, 0)).toBe(24);
    const p = w.u32(out);
    expect(w.readWStr(p)).toBe('The handle is invalid.\r\n');
    expect(w.k32('LocalSize', p)).toBe(50);
    expect(w.k32('LocalFree', p)).toBe(0);
    expect(w.k32('FormatMessageA', FROM_SYSTEM | ALLOCATE_BUFFER, 0, 6, 0, out, 100, 0)).toBe(24);
    expect(w.k32('LocalSize', w.u32(out))).toBe(100);
  });

  test('no source flag, or a NULL buffer: ERROR_INVALID_PARAMETER', () => {
    expect(w.k32('FormatMessageA', 0, 0, 5, 0, w.buf(64), 64, 0)).toBe(0);
    expect(w.lastError()).toBe(87);
    expect(w.k32('FormatMessageA', FROM_SYSTEM, 0, 5, 0, 0, 64, 0)).toBe(0);
    expect(w.lastError()).toBe(87);
  });
});

test('message tables: blocks of ids, ANSI and UTF-16 entries padded with NULs', () => {
  // Two blocks: ids 1-2 and 0x100; entry 1 ANSI, 2 UTF-16, 0x100 ANSI.
  const entry = (text: Uint8Array, unicode: boolean) => {
    const len = (4 + text.length + 3) & ~3;
    const e = new Uint8Array(len);
    new DataView(e.buffer).setUint16(0, len, true);
    new DataView(e.buffer).setUint16(2, unicode ? 1 : 0, true);
    e.set(text, 4);
    return e;
  };
  const ansi = (s: string) => Uint8Array.from([...s].map((c) => c.charCodeAt(0)).concat(0));
  const wide = (s: string) => Uint8Array.from([...s + '\0'].flatMap((c) => [c.charCodeAt(0) & 255, c.charCodeAt(0) >> 8]));
  const e1 = entry(ansi('First %1\r\n'), false);
  const e2 = entry(wide('Zweite \u00e9\r\n'), true);
  const e3 = entry(ansi('Third\r\n'), false);
  const header = 4 + 2 * 12;
  const data = new Uint8Array(header + e1.length + e2.length + e3.length);
  const dv = new DataView(data.buffer);
  dv.setUint32(0, 2, true);
  dv.setUint32(4, 1, true);
  dv.setUint32(8, 2, true);
  dv.setUint32(12, header, true);
  dv.setUint32(16, 0x100, true);
  dv.setUint32(20, 0x100, true);
  dv.setUint32(24, header + e1.length + e2.length, true);
  data.set(e1, header);
  data.set(e2, header + e1.length);
  data.set(e3, header + e1.length + e2.length);
  expect(messageTableEntry(w.p, data, 1)).toBe('First %1\r\n');
  expect(messageTableEntry(w.p, data, 2)).toBe('Zweite \u00e9\r\n');
  expect(messageTableEntry(w.p, data, 0x100)).toBe('Third\r\n');
  expect(messageTableEntry(w.p, data, 3)).toBeUndefined();
});

test('error modes: SetErrorMode returns the previous mode; SEM_NOALIGNMENTFAULTEXCEPT sticks; thread modes are checked', () => {
  expect(w.k32('GetErrorMode')).toBe(0);
  expect(w.k32('SetErrorMode', 0x8003)).toBe(0);
  expect(w.k32('SetErrorMode', 0x4)).toBe(0x8003);
  expect(w.k32('SetErrorMode', 0)).toBe(0x4);
  expect(w.k32('GetErrorMode')).toBe(0x4);
  const old = w.buf(4);
  expect(w.k32('SetThreadErrorMode', 0x1, old)).toBe(1);
  expect(w.u32(old)).toBe(0);
  expect(w.k32('GetThreadErrorMode')).toBe(1);
  expect(w.k32('SetThreadErrorMode', 0x4, old)).toBe(0);
  expect(w.lastError()).toBe(87);
});
