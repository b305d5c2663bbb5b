/** `npm run schema`: strict flags, and --check tells whether the committed schema is current without writing. */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const schema = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'lib/cli/schema.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });

test('an unknown flag is one line with the usage, exit 2', () => {
  const r = schema('--bogus');
  expect([r.status, r.stderr.trim().split('\n').length]).toEqual([2, 1]);
  expect(r.stderr).toMatch(/Unknown option '--bogus'; usage: npm run schema/);
});

test('--check reports the committed schema as current', () => {
  const r = schema('--check');
  expect([r.status, r.stdout.trim()]).toEqual([0, 'schema/deployment-spec.schema.json is current']);
});
