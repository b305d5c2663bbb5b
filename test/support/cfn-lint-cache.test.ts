/**
 * The cfn-lint result cache (test/support/cfn-lint-cache.ts): a template is linted again whenever
 * its bytes or the linter changed, and a cached finding fails a test exactly as a fresh one does.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CfnLintFinding, CfnLintResult } from '../../lib/aws/cfn-lint';
import { cachedCfnLint } from './cfn-lint-cache';

/** The run's own setting, put back after each test. */
const CACHE_SETTING = process.env.TEST_RESULT_CACHE;
let dir: string;
let linted: string[][];
let version: string | undefined;
const bad = (file: string): CfnLintFinding => ({
  rule: 'E3002',
  level: 'Error',
  message: "Additional properties are not allowed ('NoSuchProperty' was unexpected)",
  file,
  line: 3,
});
/** A stand-in linter: an Error on every template holding NoSuchProperty, nothing on the others. */
const lint = (files: string[]): CfnLintResult => {
  linted.push(files.map((f) => path.basename(f)));
  return {
    available: true,
    findings: files.filter((f) => fs.readFileSync(f, 'utf8').includes('NoSuchProperty')).map(bad),
  };
};
const run = (files: string[]) =>
  cachedCfnLint(files, { dir: path.join(dir, 'cache'), lint, version: () => version });
const template = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cfn-lint-cache-'));
  linted = [];
  version = 'cfn-lint 1.51.0';
  delete process.env.TEST_RESULT_CACHE;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  if (CACHE_SETTING === undefined) delete process.env.TEST_RESULT_CACHE;
  else process.env.TEST_RESULT_CACHE = CACHE_SETTING;
});

test('the second run lints nothing it has seen and gives the same findings, under the new paths', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  const b = template('b2.template.json', '{"Resources":{"Rg":{"NoSuchProperty":1}}}');
  const first = run([a, b]);
  expect(linted).toEqual([['a1.template.json', 'b2.template.json']]);
  expect(first).toEqual({ available: true, findings: [bad(b)] });
  // Another run writes the same templates elsewhere (a new temp dir): same bytes, not linted again.
  const b2 = template('copy-of-b.template.json', fs.readFileSync(b, 'utf8'));
  expect(run([a, b2])).toEqual({ available: true, findings: [bad(b2)] });
  expect(linted).toHaveLength(1);
});

test('a cached finding still fails: a bad template stays bad on every later run (bad fixture)', () => {
  const b = template('bad-3.template.json', '{"NoSuchProperty":1}');
  run([b]);
  const again = run([b]);
  expect(linted).toHaveLength(1);
  expect(again.findings.filter((f) => f.level === 'Error')).toHaveLength(1);
});

test('a changed template is linted again, the unchanged one is not', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  const b = template('b2.template.json', '{"Resources":{}}');
  run([a, b]);
  fs.writeFileSync(b, '{"Resources":{"Rg":{"NoSuchProperty":1}}}');
  expect(run([a, b]).findings).toEqual([bad(b)]);
  expect(linted).toEqual([['a1.template.json', 'b2.template.json'], ['b2.template.json']]);
});

test('another cfn-lint version lints everything again', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  run([a]);
  version = 'cfn-lint 1.52.0';
  run([a]);
  expect(linted).toHaveLength(2);
});

test('TEST_RESULT_CACHE=off, or a linter that cannot say its version, always lints', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  process.env.TEST_RESULT_CACHE = 'off';
  run([a]);
  run([a]);
  delete process.env.TEST_RESULT_CACHE;
  version = undefined;
  run([a]);
  expect(linted).toHaveLength(3);
  expect(fs.existsSync(path.join(dir, 'cache'))).toBe(false);
});

test('an unavailable linter is reported as such and nothing is remembered', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  const none = cachedCfnLint([a], {
    dir: path.join(dir, 'cache'),
    lint: () => ({ available: false, findings: [] }),
    version: () => version,
  });
  expect(none).toEqual({ available: false, findings: [] });
  run([a]);
  expect(linted).toHaveLength(1);
});

test('a finding naming a file it was not given is an error, not a clean template (bad fixture)', () => {
  const a = template('a1.template.json', '{"Resources":{}}');
  expect(() =>
    cachedCfnLint([a], {
      dir: path.join(dir, 'cache'),
      lint: () => ({ available: true, findings: [bad('a1.template.json.orig')] }),
      version: () => version,
    }),
  ).toThrow('cfn-lint named files it was not given: a1.template.json.orig');
});
