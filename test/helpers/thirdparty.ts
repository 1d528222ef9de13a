// Third-party DLLs for acceptance tests: fetched by `npm run fetch-dlls` (fixtures/fetch-thirdparty.sh)
// into fixtures/thirdparty/bin, never committed. A missing DLL fails one test that says how to get it,
// and skips the tests that need it.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'vitest';

export function thirdPartyDll(name: string): string {
  return fileURLToPath(new URL(`../../fixtures/thirdparty/bin/${name}`, import.meta.url));
}

/** A describe block that runs when `file` is present, plus a test that fails when it is not. */
export function describeIfPresent(file: string, title: string, body: () => void): void {
  const present = fs.existsSync(file);
  test(`${title} is present (run \`npm run fetch-dlls\` if this fails)`, () => {
    if (!present) throw new Error(`${file} is missing: run \`npm run fetch-dlls\` (bash fixtures/fetch-thirdparty.sh) to download it from Debian`);
  });
  describe.runIf(present)(title, body);
}
