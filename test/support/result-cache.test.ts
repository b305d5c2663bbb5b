/**
 * The result cache (test/support/result-cache.ts): a key changes with any byte of any input, so a
 * recorded verdict is never used for other inputs; entries are whole; TEST_RESULT_CACHE=off reads
 * and writes nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hashParts, readResult, treeParts, writeResult } from './result-cache';

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

const tree = (files: Record<string, string>) => {
  const root = fs.mkdtempSync(path.join(dir, 'tree-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
};

test('the same parts give the same key; moving bytes between parts gives another', () => {
  expect(hashParts(['a', 'bc'])).toBe(hashParts(['a', Buffer.from('bc')]));
  expect(hashParts(['a', 'bc'])).not.toBe(hashParts(['ab', 'c']));
  expect(hashParts(['a', 'bc'])).toMatch(/^[0-9a-f]{64}$/);
});

test('a tree hashes by path and bytes: same files in another folder give the same key', () => {
  const files = { 'build/lib/public/aws.d.ts': 'export {};', 'package.json': '{"name":"redis-iac"}' };
  expect(hashParts(treeParts(tree(files)))).toBe(hashParts(treeParts(tree(files))));
});

test('files the filter leaves out do not count; the ones it keeps do', () => {
  const files = { 'build/x.d.ts': 'export {};', 'README.md': '# one' };
  const onlyBuild = (f: string) => f.startsWith('build/');
  const key = (t: Record<string, string>) => hashParts(treeParts(tree(t), onlyBuild));
  expect(key({ ...files, 'README.md': '# two' })).toBe(key(files));
  expect(key({ ...files, 'build/x.d.ts': 'export { y };' })).not.toBe(key(files));
});

test.each([
  ['a changed byte in a file', { 'build/lib/public/aws.d.ts': 'export { x };' }],
  ['an added file', { 'build/lib/public/gcp2.d.ts': 'export {};' }],
  ['a renamed file', { 'build/lib/public/aws.d.ts': undefined, 'build/lib/public/aws2.d.ts': 'export {};' }],
])('%s changes the key (bad fixture: a stale verdict)', (_, change) => {
  const base: Record<string, string> = { 'build/lib/public/aws.d.ts': 'export {};', 'package.json': '{}' };
  const changed: Record<string, string> = { ...base };
  for (const [rel, text] of Object.entries(change)) {
    if (text === undefined) delete changed[rel];
    else changed[rel] = text;
  }
  expect(hashParts(treeParts(tree(changed)))).not.toBe(hashParts(treeParts(tree(base))));
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
