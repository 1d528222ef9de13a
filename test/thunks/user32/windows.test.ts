// The window-system queries, answered as for a process without windows on a 1024x768 desktop.
import { beforeEach, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
const u = (name: string, ...args: number[]) => w.call('user32.dll', name, args);
beforeEach(() => {
  w = win32();
});

test('no active, capture, focus, foreground or clipboard windows', () => {
  for (const f of ['GetActiveWindow', 'GetCapture', 'GetFocus', 'GetForegroundWindow', 'GetClipboardOwner', 'GetClipboardViewer', 'GetOpenClipboardWindow']) {
    expect(u(f), f).toBe(0);
  }
});

test('the desktop window exists and is a window; nothing else is', () => {
  const desktop = u('GetDesktopWindow');
  expect(desktop).not.toBe(0);
  expect(u('GetDesktopWindow')).toBe(desktop);
  expect(u('IsWindow', desktop)).toBe(1);
  expect(u('IsWindow', 0)).toBe(0);
  expect(u('IsWindow', 0x1234)).toBe(0);
});

test('no input and no message retrieved yet; keys are up', () => {
  expect(u('GetInputState')).toBe(0);
  expect(u('GetMessagePos')).toBe(0);
  expect(u('GetMessageTime')).toBe(0);
  expect(u('GetKeyState', 0x10)).toBe(0); // VK_SHIFT
  expect(u('GetAsyncKeyState', 0x01)).toBe(0); // VK_LBUTTON
});

test('cursor and caret positions', () => {
  const pt = w.buf(8);
  expect(u('GetCursorPos', pt)).toBe(1);
  const [x, y] = [w.i32(pt), w.i32(pt + 4)];
  expect(x >= 0 && x < 1024 && y >= 0 && y < 768).toBe(true);
  w.cpu.mem.fill(pt, 0xff, 8);
  expect(u('GetCaretPos', pt)).toBe(1);
  expect([w.i32(pt), w.i32(pt + 4)]).toEqual([0, 0]);
  expect(u('GetCursorPos', 0)).toBe(0);
  expect(w.lastError()).toBe(998); // ERROR_NOACCESS
});

test('GetSystemMetrics: a 1024x768 screen, one monitor, a mouse; unknown indexes give 0', () => {
  expect(u('GetSystemMetrics', 0)).toBe(1024); // SM_CXSCREEN
  expect(u('GetSystemMetrics', 1)).toBe(768); // SM_CYSCREEN
  expect(u('GetSystemMetrics', 78)).toBe(1024); // SM_CXVIRTUALSCREEN
  expect(u('GetSystemMetrics', 79)).toBe(768); // SM_CYVIRTUALSCREEN
  expect(u('GetSystemMetrics', 80)).toBe(1); // SM_CMONITORS
  expect(u('GetSystemMetrics', 19)).toBe(1); // SM_MOUSEPRESENT
  expect(u('GetSystemMetrics', 22)).toBe(0); // SM_DEBUG
  expect(u('GetSystemMetrics', 0x1000)).toBe(0); // SM_REMOTESESSION
  expect(u('GetSystemMetrics', 12345)).toBe(0);
  expect(u('GetSystemMetrics', -1)).toBe(0);
});

test('a window station handle; no right to hand the foreground on', () => {
  const ws = u('GetProcessWindowStation');
  expect(ws).not.toBe(0);
  expect(u('GetProcessWindowStation')).toBe(ws);
  expect(u('AllowSetForegroundWindow', 0xffffffff)).toBe(0); // ASFW_ANY
  expect(w.lastError()).toBe(5); // ERROR_ACCESS_DENIED
  expect(u('MessageBeep', 0)).toBe(1);
});
