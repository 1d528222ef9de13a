// The environment block and %VARIABLE% expansion.
import { beforeEach, expect, test } from 'vitest';
import { win32, type Win32 } from '../../helpers/win32.js';

let w: Win32;
beforeEach(() => {
  w = win32({ env: { windir: 'C:\\Windows', Path: 'C:\\bin', B: '2', a: '1' } });
});

/** The strings of a block, up to the empty one. */
function blockA(at: number): string[] {
  const out: string[] = [];
  for (;;) {
    const s = w.readStr(at);
    if (!s) return out;
    out.push(s);
    at += s.length + 1;
  }
}

test('GetEnvironmentStrings: NAME=value strings sorted by name, a double NUL at the end; W the same in UTF-16', () => {
  const a = w.k32('GetEnvironmentStringsA');
  expect(blockA(a)).toEqual(['a=1', 'B=2', 'Path=C:\\bin', 'windir=C:\\Windows']);
  expect(w.cpu.mem.u8(a + 'a=1B=2Path=C:\\binwindir=C:\\Windows'.length + 4)).toBe(0);
  expect(w.k32('FreeEnvironmentStringsA', a)).toBe(1);
  const wide = w.k32('GetEnvironmentStringsW');
  expect(w.readWStr(wide)).toBe('a=1');
  expect(w.readWStr(wide + 8)).toBe('B=2');
  expect(w.k32('FreeEnvironmentStringsW', wide)).toBe(1);
  // The block is a copy: later changes do not show in it.
  w.k32('SetEnvironmentVariableA', w.str('C'), w.str('3'));
  expect(blockA(w.k32('GetEnvironmentStrings'))).toContain('C=3');
});

test('SetEnvironmentStringsW replaces the whole environment; a string without a name is refused', () => {
  const block = w.wstr('X=1\0Y=two\0\0');
  expect(w.k32('SetEnvironmentStringsW', block)).toBe(1);
  const buf = w.buf(16);
  expect(w.k32('GetEnvironmentVariableA', w.str('Y'), buf, 16)).toBe(3);
  expect(w.readStr(buf)).toBe('two');
  expect(w.k32('GetEnvironmentVariableA', w.str('Path'), buf, 16)).toBe(0);
  expect(w.k32('SetEnvironmentStringsW', w.wstr('=bad\0\0'))).toBe(0);
  expect(w.lastError()).toBe(87);
});

test('ExpandEnvironmentStrings: defined names replaced (any case), others kept; count with the NUL', () => {
  const buf = w.buf(128);
  expect(w.k32('ExpandEnvironmentStringsA', w.str('%WINDIR%\\system32;%PATH%'), buf, 128)).toBe(27);
  expect(w.readStr(buf)).toBe('C:\\Windows\\system32;C:\\bin');
  expect(w.k32('ExpandEnvironmentStringsW', w.wstr('%nope% 100% %a%%b%'), buf, 64)).toBe(15);
  expect(w.readWStr(buf)).toBe('%nope% 100% 12');
  expect(w.k32('ExpandEnvironmentStringsA', w.str('x%a'), buf, 64)).toBe(4);
  expect(w.readStr(buf)).toBe('x%a');
  // Too small: the size needed, nothing written.
  w.cpu.mem.fill(buf, 0x41, 4);
  expect(w.k32('ExpandEnvironmentStringsA', w.str('%PATH%'), buf, 3)).toBe(7);
  expect(w.readStr(buf).slice(0, 4)).toBe('AAAA');
  expect(w.k32('ExpandEnvironmentStringsA', w.str('%PATH%'), 0, 0)).toBe(7);
});
