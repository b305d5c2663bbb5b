/**
 * The aws-serverless column: cells read from a template with an AWS::ElastiCache::ServerlessCache.
 * The valid fixture is the synthesized go-api-serverless template (its committed snapshot); each bad
 * fixture breaks one thing and must fail its cell; the unusual one sets every optional property.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readConformance } from '../../lib/conformance';
import {
  awsServerlessEvidence,
  isServerlessTemplate,
  SERVERLESS_ALARM_METRICS,
  type CfnTemplate,
} from '../../lib/conformance/aws';
import { awsRetention } from '../../lib/conformance/retention';
import { sizingMismatches } from '../../lib/conformance/sizing';
import { loadDeployment } from '../../lib/deployment';

const ROOT = path.join(__dirname, '..', '..');
const SNAPSHOT = path.join(
  ROOT,
  'test/synth/__snapshots__/examples/go-api-serverless/aws/go-api-serverless-elasticache.template.json',
);
const d = loadDeployment(path.join(ROOT, 'examples/go-api-serverless.yaml'));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const fresh = (): Json => JSON.parse(fs.readFileSync(SNAPSHOT, 'utf8'));
const cacheOf = (t: Json) =>
  Object.values(t.Resources as Record<string, Json>).find(
    (r) => r.Type === 'AWS::ElastiCache::ServerlessCache',
  );
/** Replaces `from` by `to` in the string parts of the SSM contract parameter's value. */
function editContract(t: Json, from: string, to: string): void {
  const param = Object.values(t.Resources as Record<string, Json>).find(
    (r) => r.Type === 'AWS::SSM::Parameter',
  );
  const parts: unknown[] = param.Properties.Value['Fn::Join'][1];
  const hit = parts.findIndex((part) => typeof part === 'string' && part.includes(from));
  expect(hit).toBeGreaterThanOrEqual(0);
  parts[hit] = (parts[hit] as string).replace(from, to);
}

describe('valid serverless template', () => {
  const t = fresh() as CfnTemplate;
  test('is recognised as serverless and every cell passes (maintenance window n/a)', () => {
    expect(isServerlessTemplate(t)).toBe(true);
    const e = awsServerlessEvidence(t, d.policy);
    const statuses = Object.fromEntries(Object.entries(e).map(([k, v]) => [k, v.status]));
    expect(statuses).toEqual({
      tls: 'pass',
      auth: 'pass',
      'encryption-at-rest': 'pass',
      'private-networking': 'pass',
      'replicas-zones': 'pass',
      snapshots: 'pass',
      'maintenance-window': 'na',
      alerts: 'pass',
      'deletion-protection': 'pass',
    });
    expect(awsRetention(t).status).toBe('pass');
  });

  test('readConformance puts it in the aws-serverless column, and its usage limits match the plan', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'conf-serverless-'));
    try {
      fs.mkdirSync(path.join(dir, 'aws'));
      fs.copyFileSync(SNAPSHOT, path.join(dir, 'aws', path.basename(SNAPSHOT)));
      const [r] = readConformance(dir, d);
      expect(r.target).toBe('aws-serverless');
      expect(Object.values(r.cells).filter((c) => c.status === 'fail')).toEqual([]);
      expect(r.contract?.REDIS_CLUSTER_ENABLED).toBe('true');
      expect(r.users?.map((u) => u.name).sort()).toEqual(
        ['default', 'openctem-admin', 'openctem-app', 'openctem-metrics'].sort(),
      );
      expect(sizingMismatches(dir, d)).toEqual([]);
      // A usage limit that is not the plan's is a sizing mismatch.
      const t2 = fresh();
      cacheOf(t2).Properties.CacheUsageLimits.DataStorage.Maximum = 5000;
      fs.writeFileSync(path.join(dir, 'aws', path.basename(SNAPSHOT)), JSON.stringify(t2));
      expect(sizingMismatches(dir, d)).toEqual([
        expect.stringMatching(/^aws-serverless: .* sets usage limits at most 5000 GB .*; the plan derives/),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('each bad fixture fails its cell', () => {
  type Cell = Exclude<keyof ReturnType<typeof awsServerlessEvidence>, 'images'>;
  const cases: Array<[string, Cell, (t: Json) => void, RegExp]> = [
    [
      'the contract asks clients for plaintext (REDIS_TLS_ENABLED=false)',
      'tls',
      (t) => editContract(t, '"REDIS_TLS_ENABLED":"true"', '"REDIS_TLS_ENABLED":"false"'),
      /REDIS_TLS_ENABLED=false/,
    ],
    ['no user group', 'auth', (t) => delete cacheOf(t).Properties.UserGroupId, /no UserGroupId/],
    [
      'the user group is not one of the template',
      'auth',
      (t) => (cacheOf(t).Properties.UserGroupId = 'some-group'),
      /does not reference an AWS::ElastiCache::UserGroup/,
    ],
    [
      'the default user is on',
      'auth',
      (t) => {
        const u = Object.values(t.Resources as Record<string, Json>).find(
          (r) => r.Type === 'AWS::ElastiCache::User' && r.Properties.UserName === 'default',
        );
        u.Properties.AccessString = 'on ~* +@all';
      },
      /"default" user is on/,
    ],
    [
      'no customer KMS key',
      'encryption-at-rest',
      (t) => delete cacheOf(t).Properties.KmsKeyId,
      /no KmsKeyId/,
    ],
    [
      'a public cache',
      'private-networking',
      (t) => (cacheOf(t).Properties.ConnectionType = 'public'),
      /public/,
    ],
    [
      'no security group',
      'private-networking',
      (t) => delete cacheOf(t).Properties.SecurityGroupIds,
      /security groups missing/,
    ],
    [
      'one subnet (one zone)',
      'replicas-zones',
      (t) => (cacheOf(t).Properties.SubnetIds = ['subnet-0900000000000001a']),
      /1 subnet/,
    ],
    [
      'retention below the policy',
      'snapshots',
      (t) => (cacheOf(t).Properties.SnapshotRetentionLimit = 3),
      /SnapshotRetentionLimit=3/,
    ],
    ['no daily snapshot time', 'snapshots', (t) => delete cacheOf(t).Properties.DailySnapshotTime, /none/],
    [
      'no alarm on throttling',
      'alerts',
      (t) => {
        for (const [id, r] of Object.entries(t.Resources as Record<string, Json>))
          if (r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r).includes('ThrottledCmds'))
            delete t.Resources[id];
      },
      /ThrottledCmds/,
    ],
    [
      'alarms without a subscribed topic',
      'alerts',
      (t) => {
        for (const [id, r] of Object.entries(t.Resources as Record<string, Json>))
          if (r.Type === 'AWS::SNS::Subscription') delete t.Resources[id];
      },
      /notify nobody/,
    ],
    [
      'the cache is deleted with the stack',
      'deletion-protection',
      (t) => {
        delete cacheOf(t).DeletionPolicy;
        delete cacheOf(t).UpdateReplacePolicy;
      },
      /DeletionPolicy=Delete/,
    ],
  ];
  test.each(cases)('%s -> %s fails', (_, cell, breakIt, detail) => {
    const t = fresh();
    breakIt(t);
    const e = awsServerlessEvidence(t, d.policy)[cell];
    expect(e.status).toBe('fail');
    expect(e.detail).toMatch(detail);
  });

  test('a template with no serverless cache fails every cell', () => {
    const t = fresh();
    for (const [id, r] of Object.entries(t.Resources as Record<string, Json>))
      if (r.Type === 'AWS::ElastiCache::ServerlessCache') delete t.Resources[id];
    expect(isServerlessTemplate(t)).toBe(false);
    const e = awsServerlessEvidence(t, d.policy);
    expect(Object.values(e).every((c) => c.status === 'fail')).toBe(true);
    expect(awsRetention(t).status).toBe('fail');
  });
});

test('valid but unusual: every optional property set, names with digits, three subnets: nothing fires', () => {
  const t = fresh();
  const p = cacheOf(t).Properties;
  Object.assign(p, {
    ServerlessCacheName: 'api2-cache-7x',
    ConnectionType: 'vpc',
    NetworkType: 'dual_stack',
    FinalSnapshotName: 'api2-cache-7x-final',
    SnapshotArnsToRestore: ['arn:aws:elasticache:us-east-1:123456789012:serverlesscachesnapshot:s1'],
    SubnetIds: ['subnet-0900000000000001a', 'subnet-0900000000000002a', 'subnet-0900000000000003a'],
    SnapshotRetentionLimit: 35,
    DailySnapshotTime: '23:59',
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    CacheUsageLimits: {
      DataStorage: { Maximum: 5000, Minimum: 1, Unit: 'GB' },
      ECPUPerSecond: { Maximum: 15000000, Minimum: 1000 },
    },
    Description: 'v2 cache 7',
  });
  cacheOf(t).DeletionPolicy = 'Snapshot';
  cacheOf(t).UpdateReplacePolicy = 'Snapshot';
  const e = awsServerlessEvidence(t, d.policy);
  expect(Object.entries(e).filter(([, v]) => v.status === 'fail')).toEqual([]);
  expect(SERVERLESS_ALARM_METRICS).toContain('ElastiCacheProcessingUnits');
});
