/**
 * The build stamp (lib/cli/build-assets.ts): the hash over what `npm run build` reads decides whether
 * the package test rebuilds, so it must change with any input and only with an input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildInputsHash, hashParts, treeParts } from '../../lib/cli/build-assets';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'build-stamp-'));
  fs.mkdirSync(path.join(root, 'lib', 'k8s', 'schemas'), { recursive: true });
  fs.writeFileSync(path.join(root, 'lib', 'a1.ts'), 'export const a = 1;\n');
  fs.writeFileSync(path.join(root, 'lib', 'k8s', 'backup.sh'), 'echo 1\n');
  fs.writeFileSync(path.join(root, 'lib', 'k8s', 'schemas', 'x2.validator.js'), 'module.exports = 1;\n');
  for (const f of ['tsconfig.json', 'tsconfig.build.json', 'typedoc.json', 'package-lock.json'])
    fs.writeFileSync(path.join(root, f), '{}\n');
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('the same inputs give the same hash', () => {
  expect(buildInputsHash(root)).toBe(buildInputsHash(root));
  expect(buildInputsHash(root)).toMatch(/^[0-9a-f]{64}$/);
});

test.each([
  ['a TypeScript source', 'lib/a1.ts', 'export const a = 2;\n'],
  ['a runtime asset (shell script)', 'lib/k8s/backup.sh', 'echo 2\n'],
  ['a precompiled validator', 'lib/k8s/schemas/x2.validator.js', 'module.exports = 2;\n'],
  ['a new file under lib/', 'lib/new-3.ts', 'export {};\n'],
  ['tsconfig.build.json', 'tsconfig.build.json', '{ "include": [] }\n'],
  ['typedoc.json (the API reference)', 'typedoc.json', '{ "excludePrivate": false }\n'],
  ['package-lock.json (other dependencies)', 'package-lock.json', '{ "lockfileVersion": 3 }\n'],
])('changing %s changes the hash (bad fixture: a stale build)', (_, rel, text) => {
  const before = buildInputsHash(root);
  fs.writeFileSync(path.join(root, rel), text);
  expect(buildInputsHash(root)).not.toBe(before);
});

test('a file outside the inputs (tests, docs, package.json scripts) leaves the hash alone', () => {
  const before = buildInputsHash(root);
  fs.mkdirSync(path.join(root, 'test'));
  fs.writeFileSync(path.join(root, 'test', 'a.test.ts'), 'test("x", () => undefined);\n');
  fs.writeFileSync(path.join(root, 'README.md'), '# x\n');
  fs.writeFileSync(path.join(root, 'package.json'), '{ "scripts": { "test": "jest" } }\n');
  expect(buildInputsHash(root)).toBe(before);
});

test('moving content between files changes the hash (names are part of it)', () => {
  fs.writeFileSync(path.join(root, 'lib', 'b.ts'), '');
  const before = buildInputsHash(root);
  fs.writeFileSync(path.join(root, 'lib', 'a1.ts'), '');
  fs.writeFileSync(path.join(root, 'lib', 'b.ts'), 'export const a = 1;\n');
  expect(buildInputsHash(root)).not.toBe(before);
});

// hashParts and treeParts also key the test result cache (test/support/result-cache.ts).
const tree = (files: Record<string, string>) => {
  const dir = fs.mkdtempSync(path.join(root, 'tree-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
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

test('treeParts names files relative to base: lib/ files as lib/<path>, as the build stamp hashes them', () => {
  expect(treeParts(path.join(root, 'lib'), (f) => f.endsWith('.ts'), root)).toEqual([
    'lib/a1.ts',
    Buffer.from('export const a = 1;\n'),
  ]);
});
