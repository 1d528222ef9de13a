// The console: modes, screen buffer, colours, code pages, title, control handlers, standard handles.
import { beforeEach, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
let stdin: number;
let stdout: number;
beforeEach(() => {
  w = win32();
  stdin = w.k32('GetStdHandle', 0xffff_fff6);
  stdout = w.k32('GetStdHandle', 0xffff_fff5);
});

test('modes: conhost defaults, checked changes, ERROR_INVALID_HANDLE for what is no console', () => {
  const m = w.buf(4);
  expect(w.k32('GetConsoleMode', stdin, m)).toBe(1);
  expect(w.u32(m)).toBe(0x1f7);
  expect(w.k32('GetConsoleMode', stdout, m)).toBe(1);
  expect(w.u32(m)).toBe(0x3);
  expect(w.k32('SetConsoleMode', stdout, 0x7)).toBe(1); // + ENABLE_VIRTUAL_TERMINAL_PROCESSING
  w.k32('GetConsoleMode', w.k32('GetStdHandle', 0xffff_fff4), m);
  expect(w.u32(m)).toBe(0x7);
  expect(w.k32('SetConsoleMode', stdout, 0x100)).toBe(0);
  expect(w.lastError()).toBe(87);
  const notConsole = w.k32('OpenProcess', 0x1000, 0, w.k32('GetCurrentProcessId'));
  expect(w.k32('GetConsoleMode', notConsole, m)).toBe(0);
  expect(w.lastError()).toBe(6);
});

test('the screen buffer is 80x25; text attributes are remembered', () => {
  const info = w.buf(22);
  expect(w.k32('SetConsoleTextAttribute', stdout, 0x1e)).toBe(1);
  expect(w.k32('GetConsoleScreenBufferInfo', stdout, info)).toBe(1);
  expect(Array.from({ length: 11 }, (_, i) => w.cpu.mem.u16(info + 2 * i))).toEqual([80, 25, 0, 0, 0x1e, 0, 0, 79, 24, 80, 25]);
  expect(w.k32('GetConsoleScreenBufferInfo', stdin, info)).toBe(0);
  expect(w.lastError()).toBe(6);
});

test('input: no events, reading returns nothing', () => {
  const n = w.buf(4);
  w.cpu.mem.setU32(n, 9);
  expect(w.k32('GetNumberOfConsoleInputEvents', stdin, n)).toBe(1);
  expect(w.u32(n)).toBe(0);
  expect(w.k32('FlushConsoleInputBuffer', stdin)).toBe(1);
  w.cpu.mem.setU32(n, 9);
  expect(w.k32('ReadConsoleW', stdin, w.buf(16), 8, n, 0)).toBe(1);
  expect(w.u32(n)).toBe(0);
  expect(w.k32('ReadConsoleA', stdout, w.buf(16), 8, n, 0)).toBe(0);
});

test('the process has a console: AllocConsole fails until FreeConsole', () => {
  expect(w.k32('AllocConsole')).toBe(0);
  expect(w.lastError()).toBe(5);
  expect(w.k32('AttachConsole', 0xffff_ffff)).toBe(0);
  expect(w.k32('FreeConsole')).toBe(1);
  expect(w.k32('GetConsoleMode', stdout, w.buf(4))).toBe(0);
  expect(w.k32('AllocConsole')).toBe(1);
  expect(w.k32('GetConsoleMode', stdout, w.buf(4))).toBe(1);
  expect(w.k32('GetConsoleWindow')).toBe(0);
});

test('control handlers are added and removed in order', () => {
  expect(w.k32('SetConsoleCtrlHandler', 0x1000, 1)).toBe(1);
  expect(w.k32('SetConsoleCtrlHandler', 0x1000, 0)).toBe(1);
  expect(w.k32('SetConsoleCtrlHandler', 0x1000, 0)).toBe(0);
  expect(w.lastError()).toBe(87);
  expect(w.k32('SetConsoleCtrlHandler', 0, 1)).toBe(1); // ignore Ctrl+C
});

test('console code pages start at the OEM code page and take valid ones', () => {
  expect(w.k32('GetConsoleCP')).toBe(437);
  expect(w.k32('GetConsoleOutputCP')).toBe(437);
  expect(w.k32('SetConsoleOutputCP', 65001)).toBe(1);
  expect(w.k32('GetConsoleOutputCP')).toBe(65001);
  expect(w.k32('SetConsoleCP', 850)).toBe(0);
  expect(w.lastError()).toBe(87);
});

test('title: the EXE path, then what was set; the length is returned', () => {
  const buf = w.buf(64);
  expect(w.k32('GetConsoleTitleA', buf, 64)).toBe('C:\\wowasm\\host.exe'.length);
  expect(w.readStr(buf)).toBe('C:\\wowasm\\host.exe');
  expect(w.k32('SetConsoleTitleW', w.wstr('build'))).toBe(1);
  expect(w.k32('GetConsoleTitleW', buf, 3)).toBe(5);
  expect(w.readWStr(buf)).toBe('bu');
});

test('SetStdHandle redirects GetStdHandle; CloseHandle of pseudo-handles succeeds, of protected ones fails', () => {
  const h = w.k32('OpenProcess', 0x1000, 0, w.k32('GetCurrentProcessId'));
  expect(w.k32('SetStdHandle', 0xffff_fff5, h)).toBe(1);
  expect(w.k32('GetStdHandle', 0xffff_fff5)).toBe(h);
  expect(w.k32('SetStdHandle', 7, h)).toBe(0);
  expect(w.lastError()).toBe(6);
  expect(w.k32('CloseHandle', 0xffff_ffff)).toBe(1);
  expect(w.k32('SetHandleInformation', h, 2, 2)).toBe(1); // HANDLE_FLAG_PROTECT_FROM_CLOSE
  expect(w.k32('CloseHandle', h)).toBe(0);
  expect(w.lastError()).toBe(6);
  w.k32('SetHandleInformation', h, 2, 0);
  expect(w.k32('CloseHandle', h)).toBe(1);
});

test('the stdin option: ReadFile/ReadConsoleA read it a line at a time, ReadConsoleW decodes it; then the end', () => {
  const v = win32({ stdin: 'first line\nsecond \u00e9\nrest' });
  const inH = v.k32('GetStdHandle', 0xffff_fff6);
  const buf = v.buf(64);
  const n = v.buf(4);
  expect(v.k32('GetNumberOfConsoleInputEvents', inH, n)).toBe(1);
  expect(v.u32(n)).toBe(24);
  expect(v.k32('ReadFile', inH, buf, 64, n, 0)).toBe(1);
  expect([v.u32(n), v.readStr(buf)]).toEqual([11, 'first line\n']);
  expect(v.k32('ReadConsoleW', inH, buf, 64, n, 0)).toBe(1);
  expect([v.u32(n), v.readWStr(buf)]).toEqual([9, 'second \u00e9\n']); // from code page 437
  expect(v.k32('ReadConsoleA', inH, buf, 2, n, 0)).toBe(1);
  expect(v.u32(n)).toBe(2);
  expect(v.k32('ReadConsoleA', inH, buf, 64, n, 0)).toBe(1);
  expect(v.u32(n)).toBe(2); // "st"
  expect(v.k32('ReadFile', inH, buf, 64, n, 0)).toBe(1);
  expect(v.u32(n)).toBe(0); // the end
});

test('the timeZone option: the bias and name GetTimeZoneInformation reports, and local time follows it', () => {
  const v = win32({ timeZone: { bias: 300, standardName: 'Eastern Standard Time' } });
  const tzi = v.buf(172);
  expect(v.k32('GetTimeZoneInformation', tzi)).toBe(0);
  expect(v.i32(tzi)).toBe(300);
  expect(v.readWStr(tzi + 4)).toBe('Eastern Standard Time');
  const out = v.buf(8);
  const ft = v.buf(8);
  v.cpu.mem.setU64(ft, 125_911_584_000_000_000n); // 2000-01-01 00:00 UTC
  v.k32('FileTimeToLocalFileTime', ft, out);
  expect(v.cpu.mem.u64(out)).toBe(125_911_584_000_000_000n - 300n * 600_000_000n);
  const w2 = win32({ timeZone: { bias: -330 } });
  const tzi2 = w2.buf(172);
  w2.k32('GetTimeZoneInformation', tzi2);
  expect(w2.readWStr(tzi2 + 4)).toBe('UTC+05:30');
});
