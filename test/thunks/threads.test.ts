// Guest threads on the one emulated CPU: creation, DLL_THREAD_ATTACH/DETACH, waits, events,
// semaphores, mutexes, critical sections under contention, condition variables, timeouts, exit
// codes, per-thread TLS, and preemption of a busy-waiting thread.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { load, loadSync, type Library } from '../../worker/index.js';

describe.each(['mingw', 'msvc'])('threads-%s.dll', (flavour) => {
  let lib: Library;
  beforeAll(() => {
    // DllMain starts a worker thread and waits for it: the load must complete, not hang.
    lib = loadSync(`fixtures/bin/threads-${flavour}.dll`, { timeoutMs: 20_000 });
  });
  afterAll(() => lib.close());

  test('a thread started in DllMain ran while DllMain waited for it', () => {
    expect(lib.func('long dllmain_result(void)')()).toBe(42);
  });

  test('threads contending for a critical section add up exactly', () => {
    expect(lib.func('long run_workers(int n)')(4)).toBe(4000);
  });

  test('two threads take turns through auto-reset events; the exit code arrives', () => {
    expect(lib.func('long ping_pong(long rounds)')(200)).toBe(200);
  });

  test('a wait times out with WAIT_TIMEOUT after about its time', () => {
    const t0 = performance.now();
    expect(lib.func('unsigned wait_timeout(unsigned ms)')(60)).toBe(0x102);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(55);
  });

  test('GetExitCodeThread gives what the thread returned', () => {
    expect(lib.func('unsigned exit_code(unsigned v)')(0xbeef)).toBe(0xbeef);
  });

  test('a semaphore of two lets at most two threads in at once (a mutex guards the count)', () => {
    expect(lib.func('long semaphore_max_inside(void)')()).toBe(2);
  });

  test('a consumer woken through a condition variable sees every item', () => {
    expect(lib.func('long produce_consume(long n)')(30)).toBe((30 * 31) / 2);
  });

  test('a 64-byte pipe carries 1,000 bytes between threads in order; the reader then gets ERROR_BROKEN_PIPE', () => {
    const writer = new Uint32Array(1);
    // 1000 bytes read, no checksum errors, the final ReadFile failed with ERROR_BROKEN_PIPE.
    expect(lib.func('long pipe_between_threads(unsigned *writer_result)')(writer)).toBe(1000 * 1000 + 1);
    expect(writer[0]).toBe(1000); // every WriteFile wrote all of its 250 bytes, waiting while the pipe was full
  });

  test('TLS slots hold one value per thread', () => {
    expect(lib.func('long tls_per_thread(void)')()).toBe(1002);
  });

  test('a thread busy-waiting on another one is preempted', () => {
    expect(lib.func('long busy_wait_for_thread(void)')()).toBe(1);
  });

  test('every thread that started and ended told DllMain (DLL_THREAD_ATTACH/DETACH)', () => {
    const attached = lib.func('long thread_attach_count(void)')() as number;
    const detached = lib.func('long thread_detach_count(void)')() as number;
    // run_workers (4) + ping_pong (1) + exit_code (1) + semaphore (6) + consumer (1) + pipe writer (1)
    // + tls (1) + busy (1). The worker DllMain started is not among them: a DLL hears of threads only
    // once it is loaded.
    expect(attached).toBe(16);
    expect(detached).toBe(16);
  });
});

describe('threads through load()', () => {
  test('a DLL whose DllMain waits for its own thread loads in a worker too', async () => {
    const lib = await load('fixtures/bin/threads-msvc.dll');
    expect(await lib.func('long dllmain_result(void)')()).toBe(42);
    expect(await lib.func('long run_workers(int n)')(3)).toBe(3000);
    await lib.close();
  });
});
