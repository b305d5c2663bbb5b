/**
 * `npm run snapshots:diff`: per example and target, which snapshot files were added, removed or
 * changed against a git ref, and what changed in each (JSON paths, Kubernetes objects and fields,
 * config directives). Run on a throwaway git repository.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describeChange, formatChanges, jsonChanges, SNAPSHOT_DIR, snapshotChanges } from './snapshots-diff';

let repo: string;
const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' });
const write = (rel: string, text: string) => {
  const f = path.join(repo, SNAPSHOT_DIR, rel);
  fs.mkdirSync(path.dirname(f), { recursive: true });
  fs.writeFileSync(f, text);
};

beforeAll(() => {
  repo = fs.mkdtempSync(path.join(os.tmpdir(), 'snapshots-diff-'));
  git('init', '-q');
  git('config', 'user.email', 't@example.com');
  git('config', 'user.name', 't');
  write('default/self-hosted/redis-6380.conf', 'port 0\nappendfsync everysec\nmaxclients 1000\n');
  write('default/self-hosted/contract.env', 'REDIS_HOST=127.0.0.1\nREDIS_TLS=true\n');
  write(
    'default/aws/t.template.json',
    JSON.stringify({ Resources: { Rg: { Properties: { EngineVersion: '7.1', Nodes: [1, 2] } } } }),
  );
  write(
    'acs-100k/k8s/opstree.yaml',
    'kind: RedisCluster\nmetadata: { name: acs }\nspec: { clusterSize: 3 }\n---\nkind: Service\nmetadata: { name: acs-svc }\nspec: { port: 6379 }\n',
  );
  write('acs-100k/report.md', '# acs\n');
  git('add', '-A');
  git('commit', '-qm', 'base');
});
afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

test('nothing changed: says so', () => {
  expect(formatChanges(snapshotChanges(repo), 'HEAD')).toBe('no snapshot changes against HEAD\n');
});

test('changes are grouped by example and target, with what changed in each file', () => {
  write('default/self-hosted/redis-6380.conf', 'port 0\nappendfsync always\nmaxclients 1000\nio-threads 4\n');
  write(
    'default/aws/t.template.json',
    JSON.stringify({ Resources: { Rg: { Properties: { EngineVersion: '7.2', Nodes: [1] } } } }),
  );
  write(
    'acs-100k/k8s/opstree.yaml',
    'kind: RedisCluster\nmetadata: { name: acs }\nspec: { clusterSize: 5 }\n---\nkind: NetworkPolicy\nmetadata: { name: acs-np }\n',
  );
  write('ai-engine/report.md', '# ai\n');
  fs.rmSync(path.join(repo, SNAPSHOT_DIR, 'acs-100k/report.md'));
  const out = formatChanges(snapshotChanges(repo), 'HEAD');
  expect(out).toBe(
    [
      '5 snapshot file(s) changed in 3 example(s) against HEAD (targets: aws, kubernetes, report, self-hosted)',
      '',
      'acs-100k',
      '  kubernetes',
      '    k8s/opstree.yaml  changed (+3 -4)',
      '      RedisCluster/acs: spec.clusterSize: 3 -> 5',
      '      - Service/acs-svc',
      '      + NetworkPolicy/acs-np',
      '  report',
      '    report.md  removed (+0 -1)',
      '',
      'ai-engine',
      '  report',
      '    report.md  added (+1 -0)',
      '',
      'default',
      '  aws',
      '    aws/t.template.json  changed (+1 -1)',
      '      Resources.Rg.Properties.EngineVersion: "7.1" -> "7.2"',
      '      - Resources.Rg.Properties.Nodes[1]',
      '  self-hosted',
      '    self-hosted/redis-6380.conf  changed (+2 -1)',
      '      appendfsync: everysec -> always',
      '      + io-threads 4',
      '',
    ].join('\n'),
  );
  // Against an older ref as well; the committed state is the reference, the working tree the change.
  git('add', '-A');
  git('commit', '-qm', 'change');
  expect(formatChanges(snapshotChanges(repo), 'HEAD')).toBe('no snapshot changes against HEAD\n');
  expect(snapshotChanges(repo, 'HEAD~1').map((c) => `${c.example} ${c.file} ${c.status}`)).toEqual([
    'acs-100k k8s/opstree.yaml changed',
    'acs-100k report.md removed',
    'ai-engine report.md added',
    'default aws/t.template.json changed',
    'default self-hosted/redis-6380.conf changed',
  ]);
});

test('long lists are cut with a count; env keys are compared by name', () => {
  const before = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i]));
  const after = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, i + 1]));
  expect(describeChange('x.json', JSON.stringify(before), JSON.stringify(after))).toEqual([
    'k0: 0 -> 1',
    'k1: 1 -> 2',
    'k2: 2 -> 3',
    'k3: 3 -> 4',
    'k4: 4 -> 5',
    'k5: 5 -> 6',
    '... 4 more',
  ]);
  expect(
    describeChange('contract.env', 'REDIS_TLS=true\nREDIS_PORT=6380\n', 'REDIS_TLS=false\nREDIS_PORT=6380\n'),
  ).toEqual(['REDIS_TLS: true -> false']);
  expect(jsonChanges({ a: [1] }, { a: [1], b: { c: 'x' } })).toEqual(['+ b: {"c":"x"}']);
});

test('the CLI: a bad ref is exit 2 and one line', () => {
  const r = spawnSync(
    path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'),
    [path.join(__dirname, 'snapshots-diff.ts'), 'no-such-ref'],
    { encoding: 'utf8' },
  );
  expect(r.status).toBe(2);
  expect(r.stderr).toBe(
    'error: no-such-ref: not a commit in this repository; pass a branch, tag or commit (default HEAD)\n',
  );
});
