/**
 * The file-snapshot comparison behind test/synth/examples-*.test.ts: --ci fails on a missing file,
 * a plain run writes it, a changed file fails with a diff unless -u, an obsolete file fails unless
 * -u (which deletes it); and the redaction masks what varies between runs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareWithSnapshotFiles, redact, REPO } from '../support/example-snapshots';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshot-files-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const actual = new Map([
  ['self-hosted/redis-6380.conf', 'port 0\ntls-port 6380\n'],
  ['report.md', '# report\n'],
]);
const PATHS = ['self-hosted', 'report.md'];

test('--ci: a missing snapshot file fails and nothing is written', () => {
  const problems = compareWithSnapshotFiles(actual, dir, PATHS, 'none');
  expect(problems).toEqual([
    expect.stringMatching(/^self-hosted\/redis-6380.conf: no snapshot file/),
    expect.stringMatching(/^report.md: no snapshot file/),
  ]);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a plain run writes missing files; then --ci passes', () => {
  expect(compareWithSnapshotFiles(actual, dir, PATHS, 'new')).toEqual([]);
  expect(fs.readFileSync(path.join(dir, 'self-hosted/redis-6380.conf'), 'utf8')).toBe(
    'port 0\ntls-port 6380\n',
  );
  expect(compareWithSnapshotFiles(actual, dir, PATHS, 'none')).toEqual([]);
});

test('a changed file fails with a diff naming the line, in --ci and plain runs; -u rewrites it', () => {
  compareWithSnapshotFiles(actual, dir, PATHS, 'new');
  const changed = new Map(actual).set('self-hosted/redis-6380.conf', 'port 6379\ntls-port 6380\n');
  for (const mode of ['none', 'new'] as const) {
    const [problem, ...rest] = compareWithSnapshotFiles(changed, dir, PATHS, mode);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^self-hosted\/redis-6380.conf differs from its snapshot/);
    expect(problem).toMatch(/- port 0/);
    expect(problem).toMatch(/\+ port 6379/);
  }
  expect(compareWithSnapshotFiles(changed, dir, PATHS, 'all')).toEqual([]);
  expect(compareWithSnapshotFiles(changed, dir, PATHS, 'none')).toEqual([]);
});

test('a snapshot file no target writes any more fails; -u deletes it; files of other targets are not touched', () => {
  compareWithSnapshotFiles(actual, dir, PATHS, 'new');
  fs.mkdirSync(path.join(dir, 'aws'));
  fs.writeFileSync(path.join(dir, 'aws/t.json'), '{}');
  const fewer = new Map([...actual].filter(([rel]) => rel !== 'report.md'));
  expect(compareWithSnapshotFiles(fewer, dir, PATHS, 'none')).toEqual([
    expect.stringMatching(/^report.md: snapshot file with no synthesized file/),
  ]);
  expect(compareWithSnapshotFiles(fewer, dir, PATHS, 'all')).toEqual([]);
  expect(fs.existsSync(path.join(dir, 'report.md'))).toBe(false);
  expect(fs.existsSync(path.join(dir, 'aws/t.json'))).toBe(true);
});

test('redact masks the output folder, the checkout, temp paths and today, and nothing else', () => {
  const today = new Date().toISOString().slice(0, 10);
  const text = [
    '/tmp/x-123/app/report.md',
    `${REPO}/examples/default.yaml`,
    `${os.tmpdir()}/redis-iac-cdk-abc/t.json`,
    `generated ${today}`,
    'retires 2028-09-30',
  ].join('\n');
  expect(redact(text, '/tmp/x-123')).toBe(
    [
      '<out>/app/report.md',
      '<repo>/examples/default.yaml',
      '<tmp>/redis-iac-cdk-abc/t.json',
      'generated <today>',
      'retires 2028-09-30',
    ].join('\n'),
  );
});
