/**
 * The build stamp (lib/cli/build-assets.ts): the hash over what `npm run build` reads decides whether
 * the package test rebuilds, so it must change with any input and only with an input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildInputsHash } from '../../lib/cli/build-assets';

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
