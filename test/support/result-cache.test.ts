/**
 * The result cache (test/support/result-cache.ts): entries read back whole; TEST_RESULT_CACHE=off
 * reads and writes nothing. That a key changes with any byte of any input (hashParts, treeParts) is
 * in test/cli/build-assets.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readResult, writeResult } from './result-cache';

/** The run's own setting, put back after each test. */
const CACHE_SETTING = process.env.TEST_RESULT_CACHE;
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'result-cache-'));
  delete process.env.TEST_RESULT_CACHE;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (CACHE_SETTING === undefined) delete process.env.TEST_RESULT_CACHE;
  else process.env.TEST_RESULT_CACHE = CACHE_SETTING;
});

test('an entry reads back as written; a missing one is undefined', () => {
  const cache = path.join(dir, 'cache');
  expect(readResult('consumers-tsc', 'k1', cache)).toBeUndefined();
  writeResult('consumers-tsc', 'k1', { passed: true }, cache);
  expect(readResult('consumers-tsc', 'k1', cache)).toEqual({ passed: true });
  expect(readResult('cfn-lint', 'k1', cache)).toBeUndefined();
  expect(fs.readdirSync(path.join(cache, 'consumers-tsc'))).toEqual(['k1.json']);
});

test('TEST_RESULT_CACHE=off neither reads nor writes', () => {
  const cache = path.join(dir, 'cache');
  writeResult('cfn-lint', 'k2', [], cache);
  process.env.TEST_RESULT_CACHE = 'off';
  expect(readResult('cfn-lint', 'k2', cache)).toBeUndefined();
  writeResult('cfn-lint', 'k3', [], cache);
  expect(fs.existsSync(path.join(cache, 'cfn-lint', 'k3.json'))).toBe(false);
});
