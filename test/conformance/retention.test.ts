/**
 * The data-retention cell per platform: passes on the real artifacts of a production spec, fails on a
 * broken copy of each (bad fixtures), and does not fire on valid but unusual input.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CfnTemplate } from '../../lib/conformance/aws';
import type { PreviewDocument } from '../../lib/conformance/pulumi';
import {
  awsRetention,
  bitnamiRetention,
  dataDirRemovals,
  opstreeRetention,
  pulumiRetention,
  selfHostedRetention,
} from '../../lib/conformance/retention';
import { loadPatched } from '../k8s/patched-bitnami';
import { synthLocal } from '../../lib/diff/artifacts';
import { previewDocument, runProgram } from '../../lib/pulumi/run';

const ROOT = path.join(__dirname, '..', '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-iac-retention-'));
let template: CfnTemplate;
let k8s: Record<string, string>;
let self: Record<string, string>;
const previews: Record<string, PreviewDocument> = {};

const read = (sub: string) =>
  Object.fromEntries(
    fs.readdirSync(path.join(dir, sub)).map((f) => [f, fs.readFileSync(path.join(dir, sub, f), 'utf8')]),
  );

beforeAll(async () => {
  // Both flavors: production examples run OpsTree only (no patched Bitnami image), the fixture adds it back.
  synthLocal(loadPatched(path.join(ROOT, 'examples/default.yaml')), dir);
  const aws = read('aws');
  template = JSON.parse(Object.values(aws)[0]) as CfnTemplate;
  k8s = read('k8s');
  self = read('self-hosted');
  for (const t of ['gcp', 'azure-premium', 'azure-managed'])
    previews[t] = previewDocument(
      await runProgram('examples/default.yaml', t, { root: ROOT }),
    ) as unknown as PreviewDocument;
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('AWS: replication group DeletionPolicy/UpdateReplacePolicy', () => {
  test('the synthesized template passes (Retain)', () => expect(awsRetention(template).status).toBe('pass'));
  test('Delete fails, naming the group and the policy', () => {
    const t = clone(template);
    const rg = Object.values(t.Resources!).find((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup') as {
      DeletionPolicy?: string;
    };
    rg.DeletionPolicy = 'Delete';
    const e = awsRetention(t);
    expect(e.status).toBe('fail');
    expect(e.detail).toMatch(/DeletionPolicy Delete.*expected Retain or Snapshot/);
  });
  test('Snapshot on both passes', () => {
    const t = clone(template);
    const rg = Object.values(t.Resources!).find(
      (r) => r.Type === 'AWS::ElastiCache::ReplicationGroup',
    ) as unknown as Record<string, string>;
    rg.DeletionPolicy = 'Snapshot';
    rg.UpdateReplacePolicy = 'Snapshot';
    expect(awsRetention(t).status).toBe('pass');
  });
});

describe.each(['gcp', 'azure-premium', 'azure-managed'])(
  'Pulumi %s: protect and retainOnDelete',
  (target) => {
    test('the production preview passes', () =>
      expect(pulumiRetention(previews[target]).status).toBe('pass'));
    test('a cache resource with protect only fails', () => {
      const d = clone(previews[target]);
      for (const r of d.resources)
        if ((r as { options?: object }).options) (r as { options?: object }).options = { protect: true };
      const e = pulumiRetention(d);
      expect(e.status).toBe('fail');
      expect(e.detail).toContain('without protect and retainOnDelete');
    });
  },
);

describe('OpsTree: RedisCluster keeps its PVCs', () => {
  test('the synthesized manifest passes', () =>
    expect(opstreeRetention(k8s['opstree.yaml']).status).toBe('pass'));
  test('keepAfterDelete false fails', () => {
    const bad = k8s['opstree.yaml'].replace('keepAfterDelete: true', 'keepAfterDelete: false');
    expect(bad).not.toBe(k8s['opstree.yaml']);
    expect(opstreeRetention(bad).status).toBe('fail');
  });
  test('whenDeleted Delete fails', () => {
    const bad = k8s['opstree.yaml'].replace('whenDeleted: Retain', 'whenDeleted: Delete');
    expect(opstreeRetention(bad).status).toBe('fail');
  });
});

describe('Bitnami: chart values keep the PVCs', () => {
  test('the synthesized values pass', () =>
    expect(bitnamiRetention(k8s['values-redis.yaml']).status).toBe('pass'));
  test('a values file without the retention policy fails', () => {
    const bad = k8s['values-redis.yaml'].replace(
      /persistentVolumeClaimRetentionPolicy:\n(\s+\w+: \w+\n){3}/g,
      '',
    );
    expect(bad).not.toBe(k8s['values-redis.yaml']);
    const e = bitnamiRetention(bad);
    expect(e.status).toBe('fail');
    expect(e.detail).toContain('master');
  });
  test('persistence off is not applicable', () =>
    expect(
      bitnamiRetention(
        'master:\n  persistence:\n    enabled: false\nreplica:\n  persistence:\n    enabled: false\n',
      ).status,
    ).toBe('na'));
});

describe('self-hosted: install.sh and stop.sh never remove a data dir', () => {
  test('the rendered scripts pass', () => expect(selfHostedRetention(self).status).toBe('pass'));
  test.each([
    ['rm -rf "$DATA_DIR"', 'the deployment folder through a variable'],
    ['rm -rf /var/lib/redis-iac', 'a folder above it'],
    ['rm -rf "${DATA_DIR}/6380"', 'the node dir with ${}'],
    ['rm -f "$DATA_DIR/6381/dump.rdb"', 'the RDB inside it'],
    ['find "$DATA_DIR" -mindepth 1 -delete', 'find -delete'],
    ['rm -rf /var/lib/redis-iac/app-cache/*', 'a glob'],
  ])('stop.sh with %s fails (%s)', (cmd) => {
    const e = selfHostedRetention({ ...self, 'stop.sh': `${self['stop.sh']}\n${cmd}\n` });
    expect(e.status).toBe('fail');
    expect(e.detail).toMatch(/stop\.sh:\d+ removes \/var\/lib\/redis-iac\/app-cache\/638[01]/);
  });
  test('valid but unusual lines do not fire', () => {
    const extra = [
      '# rm -rf "$DATA_DIR" is never done here',
      'rm -f "$DATA_DIR/6380/redis.pid"',
      'rm -rf /var/lib/redis-iac/app-cache2',
      'rm -f "$TLS_DIR/redis.key.tmp"',
      'echo "rm is not run: $DATA_DIR"',
    ].join('\n');
    expect(selfHostedRetention({ ...self, 'install.sh': `${self['install.sh']}\n${extra}\n` }).status).toBe(
      'pass',
    );
  });
  test('dataDirRemovals names file, line and dir', () => {
    expect(dataDirRemovals({ 'x.sh': "D='/data/r1'\nrm -rf $D\n" }, ['/data/r1/7000'])).toEqual([
      'x.sh:2 removes /data/r1/7000 (rm -rf $D)',
    ]);
  });
});
