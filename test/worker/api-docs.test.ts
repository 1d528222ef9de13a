// docs/api-coverage.md is generated from the built-in DLL tables; it must match them (run `npm run docs`
// after changing a table), and it says what each export is.
import fs from 'node:fs';
import { expect, test } from 'vitest';
import { API_DOC_PATH, apiCoverageMarkdown, apiRows } from '../../worker/api-docs.js';
import { registry } from '../../thunks/registry.js';
import { main } from '../../worker/commands.js';

test('docs/api-coverage.md is up to date with the tables (if not: npm run docs)', () => {
  const committed = fs.readFileSync(API_DOC_PATH, 'utf8');
  expect(committed === apiCoverageMarkdown(), 'docs/api-coverage.md is stale: run `npm run docs` and commit it').toBe(true);
});

test('one row per export of every built-in DLL; kinds and signatures as the tables declare them', () => {
  const rows = apiRows();
  expect(rows.length).toBe(registry.specs.reduce((n, s) => n + Object.keys(s.exports).length, 0));
  const row = (dll: string, name: string) => rows.find((r) => r.dll === dll && r.name === name);
  expect(row('kernel32.dll', 'HeapAlloc')).toMatchObject({ kind: 'implemented', detail: 'stdcall (long, long, long) -> ptr' });
  expect(row('kernel32.dll', 'GetSystemPowerStatus')).toMatchObject({ kind: 'stub', detail: '' });
  expect(row('ntdll.dll', 'strlen')).toMatchObject({ kind: 'forward', detail: '→ msvcrt.dll!strlen' });
  expect(row('msvcrt.dll', '_iob')?.kind).toBe('data');
  expect(row('ws2_32.dll', 'htons')?.ordinal).toBe(9); // the classic Winsock ordinal
});

test('`wowasm api` prints the document; --json the rows', async () => {
  let out = '';
  const io = { out: (s: string) => void (out += s), err: () => {} };
  expect(await main(['api'], io)).toBe(0);
  expect(out).toBe(apiCoverageMarkdown());
  out = '';
  expect(await main(['api', '--json'], io)).toBe(0);
  expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(apiRows())));
});
