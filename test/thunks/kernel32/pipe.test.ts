// Anonymous pipes: CreatePipe's two ends, ReadFile/WriteFile/PeekNamedPipe on them, what each end sees
// when the other is closed, and the C runtime's _pipe/_read/_write over them. (Pipes between threads,
// where both ends wait, are in test/thunks/threads.test.ts.)
import { beforeEach, expect, test } from 'vitest';
import { DeadlockError } from '../../../thunks/threads.js';
import { win32, type Win32 } from '../../helpers/win32.js';

const ERROR_ACCESS_DENIED = 5;
const ERROR_BROKEN_PIPE = 109;
const ERROR_NO_DATA = 232;
const FILE_TYPE_PIPE = 3;

let w: Win32;
beforeEach(() => {
  w = win32();
});

function createPipe(size = 0): [number, number] {
  const ends = w.buf(8);
  expect(w.k32('CreatePipe', ends, ends + 4, 0, size)).toBe(1);
  return [w.u32(ends), w.u32(ends + 4)];
}

function write(h: number, text: string): { ok: number; put: number } {
  const put = w.buf(4);
  const ok = w.k32('WriteFile', h, w.str(text), text.length, put, 0);
  return { ok, put: w.u32(put) };
}

function read(h: number, n: number): { ok: number; text: string } {
  const buf = w.buf(n + 1);
  const got = w.buf(4);
  const ok = w.k32('ReadFile', h, buf, n, got, 0);
  return { ok, text: Buffer.from(w.p.mem.read(buf, w.u32(got))).toString('latin1') };
}

test('bytes come out of the read end in the order they went in, across writes and partial reads', () => {
  const [r, wr] = createPipe();
  expect(write(wr, 'hello ')).toEqual({ ok: 1, put: 6 });
  expect(write(wr, 'pipe')).toEqual({ ok: 1, put: 4 });
  expect(read(r, 3)).toEqual({ ok: 1, text: 'hel' });
  expect(read(r, 100)).toEqual({ ok: 1, text: 'lo pipe' });
  expect(w.k32('GetFileType', r)).toBe(FILE_TYPE_PIPE);
  expect(w.k32('GetFileType', wr)).toBe(FILE_TYPE_PIPE);
});

test('each end works one way: reading the write end or writing the read end is ERROR_ACCESS_DENIED', () => {
  const [r, wr] = createPipe();
  expect(read(wr, 4).ok).toBe(0);
  expect(w.lastError()).toBe(ERROR_ACCESS_DENIED);
  expect(write(r, 'x').ok).toBe(0);
  expect(w.lastError()).toBe(ERROR_ACCESS_DENIED);
});

test('PeekNamedPipe shows the data without taking it', () => {
  const [r, wr] = createPipe();
  write(wr, 'peekaboo');
  const buf = w.buf(8);
  const [got, avail, left] = [w.buf(4), w.buf(4), w.buf(4)];
  expect(w.k32('PeekNamedPipe', r, buf, 4, got, avail, left)).toBe(1);
  expect([w.readStr(buf), w.u32(got), w.u32(avail), w.u32(left)]).toEqual(['peek', 4, 8, 0]);
  expect(read(r, 8).text).toBe('peekaboo');
  expect(w.k32('PeekNamedPipe', r, 0, 0, 0, avail, 0)).toBe(1);
  expect(w.u32(avail)).toBe(0);
});

test('after the last write handle closes, the reader gets what is left and then ERROR_BROKEN_PIPE', () => {
  const [r, wr] = createPipe();
  const dup = w.buf(4);
  const self = -1;
  expect(w.k32('DuplicateHandle', self, wr, self, dup, 0, 0, 2 /* DUPLICATE_SAME_ACCESS */)).toBe(1);
  write(wr, 'tail');
  expect(w.k32('CloseHandle', wr)).toBe(1);
  expect(read(r, 2).text).toBe('ta'); // the duplicate still holds the write end open
  expect(w.k32('CloseHandle', w.u32(dup))).toBe(1);
  expect(read(r, 10)).toEqual({ ok: 1, text: 'il' });
  expect(read(r, 10).ok).toBe(0);
  expect(w.lastError()).toBe(ERROR_BROKEN_PIPE);
  expect(w.k32('PeekNamedPipe', r, 0, 0, 0, 0, 0)).toBe(0);
  expect(w.lastError()).toBe(ERROR_BROKEN_PIPE);
});

test('writing to a pipe whose read end is closed is ERROR_NO_DATA', () => {
  const [r, wr] = createPipe();
  w.k32('CloseHandle', r);
  expect(write(wr, 'lost').ok).toBe(0);
  expect(w.lastError()).toBe(ERROR_NO_DATA);
});

test('with one thread, reading an empty pipe (or overfilling one) can never finish: a DeadlockError', () => {
  const [r] = createPipe(8);
  expect(() => read(r, 4)).toThrow(DeadlockError);
  w = win32();
  const [, wr] = createPipe(8);
  expect(() => write(wr, 'more than eight')).toThrow(DeadlockError);
});

test('msvcrt _pipe: text mode turns LF into CR LF and back; a closed writer is the end of the input (0, not an error)', () => {
  const fds = w.buf(8);
  expect(w.crt('_pipe', fds, 256, 0x4000 /* _O_TEXT */)).toBe(0);
  const [rfd, wfd] = [w.u32(fds), w.u32(fds + 4)];
  const line = w.str('a\nb\n');
  expect(w.crt('_write', wfd, line, 4)).toBe(4);
  // The pipe holds the CR LF form: peek at the raw bytes through the read end's handle.
  const h = w.crt('_get_osfhandle', rfd);
  const raw = w.buf(8);
  const avail = w.buf(4);
  w.k32('PeekNamedPipe', h, raw, 8, 0, avail, 0);
  expect(w.u32(avail)).toBe(6);
  expect([...w.p.mem.read(raw, 6)]).toEqual([0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x0a]);
  const buf = w.buf(16);
  expect(w.crt('_read', rfd, buf, 16)).toBe(4);
  expect(w.readStr(buf)).toBe('a\nb\n');
  expect(w.crt('_close', wfd)).toBe(0);
  expect(w.crt('_read', rfd, buf, 16)).toBe(0);
});
