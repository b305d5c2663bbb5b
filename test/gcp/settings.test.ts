/** Memorystore translations: versions, windows, networks, labels, persistence and alert rules. */
import * as path from 'node:path';
import { loadDeployment } from '../../lib/deployment';
import { alertRules } from '../../lib/gcp/alerts';
import { clusterArgs, clusterBackups, clusterNodeType, clusterPersistence } from '../../lib/gcp/cluster';
import { instanceArgs, instanceMemoryGb } from '../../lib/gcp/instance';
import {
  labels,
  maintenanceWindow,
  memorystoreVersion,
  networkId,
  newestMemorystoreVersion,
  redisConfigs,
  snapshotStartTime,
} from '../../lib/gcp/settings';
import type { Choice } from '../../lib/planner/types';
import type { ResolvedPolicy } from '../../lib/policy/types';

const ROOT = path.join(__dirname, '..', '..');
const prod = loadDeployment(path.join(ROOT, 'examples/default.yaml'));
const dev = loadDeployment(path.join(ROOT, 'examples/hospitality-development.yaml'));
const acs = loadDeployment(path.join(ROOT, 'examples/acs-100k.yaml'));
const VERSIONS = ['REDIS_6_X', 'REDIS_7_0', 'REDIS_7_2'];

const withPolicy = (p: ResolvedPolicy, change: (c: ResolvedPolicy) => void): ResolvedPolicy => {
  const copy = structuredClone(p);
  change(copy);
  return copy;
};

describe('memorystoreVersion', () => {
  test.each([
    ['7.1', 'REDIS_7_2'],
    ['7.0', 'REDIS_7_0'],
    ['7.2', 'REDIS_7_2'],
    ['7.4', 'REDIS_7_2'],
    ['6.2', 'REDIS_6_X'],
  ])('%s -> %s', (v, want) => expect(memorystoreVersion(v, VERSIONS)).toBe(want));
  test('a major Memorystore lacks is an error naming the field and the offered versions', () => {
    expect(() => memorystoreVersion('8.0', VERSIONS)).toThrow(
      /engineVersion: got "8.0"; Memorystore offers REDIS_6_X, REDIS_7_0, REDIS_7_2/,
    );
  });
  test('newest version', () => expect(newestMemorystoreVersion(VERSIONS)).toBe('REDIS_7_2'));
});

test('maintenance window: day and start time from the weekly policy window', () => {
  expect(
    maintenanceWindow(withPolicy(prod.policy, (p) => (p.maintenanceWindow = 'wed:22:30-wed:23:30'))),
  ).toEqual({
    day: 'WEDNESDAY',
    startTime: { hours: 22, minutes: 30 },
  });
});

test('snapshot start aligns to the snapshot window', () => {
  expect(
    snapshotStartTime(withPolicy(prod.policy, (p) => (p.persistence.snapshotWindow = '02:15-03:15'))),
  ).toBe('2024-01-01T02:15:00Z');
});

describe('networkId', () => {
  test('name -> full id', () =>
    expect(networkId('p-123456', 'vpc-a')).toBe('projects/p-123456/global/networks/vpc-a'));
  test('self link -> id', () =>
    expect(
      networkId('p', 'https://www.googleapis.com/compute/v1/projects/host-1/global/networks/shared'),
    ).toBe('projects/host-1/global/networks/shared'));
  test('anything else is an error naming targets.gcp.network', () =>
    expect(() => networkId('p', 'https://example.com/vpc')).toThrow(
      /targets\.gcp\.network: got "https:\/\/example.com\/vpc"/,
    ));
});

test('labels: values lower-cased and limited to the characters GCP allows', () => {
  const p = withPolicy(prod.policy, (x) => (x.tags = { team: 'Platform Ops/EU', 'cost-center': 'CC 42' }));
  expect(labels(p)).toEqual({ team: 'platform_ops_eu', 'cost-center': 'cc_42' });
});

test('redisConfigs: eviction policy always, keyspace events only when set', () => {
  expect(redisConfigs(prod.policy)).toEqual({ 'maxmemory-policy': 'volatile-lru' });
  expect(redisConfigs(dev.policy)).toEqual({
    'maxmemory-policy': 'allkeys-lru',
    'notify-keyspace-events': 'Ex',
  });
});

describe('instance', () => {
  const where = { project: 'app-prod-123456', region: 'us-central1', network: 'app-vpc' };
  test('production: STANDARD_HA, AUTH, TLS, RDB, private service access', () => {
    const a = instanceArgs(prod.policy, prod.plan.choices.gcp, where, 'REDIS_7_2');
    expect(a).toMatchObject({
      tier: 'STANDARD_HA',
      authEnabled: true,
      transitEncryptionMode: 'SERVER_AUTHENTICATION',
      connectMode: 'PRIVATE_SERVICE_ACCESS',
      authorizedNetwork: 'projects/app-prod-123456/global/networks/app-vpc',
      persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'SIX_HOURS' },
      deletionProtection: true,
    });
    expect(a.customerManagedKey).toBeUndefined();
  });
  test('read replicas when the plan has them, CMEK when a key is given', () => {
    const choice: Choice = {
      ...prod.plan.choices.gcp,
      replicasPerShard: 3,
      capacityGb: 10,
      extra: { tier: 'STANDARD_HA', readReplicas: 2 },
    };
    const key = 'projects/app-prod-123456/locations/us-central1/keyRings/r/cryptoKeys/k';
    const a = instanceArgs(prod.policy, choice, { ...where, kmsKey: key }, 'REDIS_7_2');
    expect(a).toMatchObject({
      readReplicasMode: 'READ_REPLICAS_ENABLED',
      replicaCount: 3,
      memorySizeGb: 10,
      customerManagedKey: key,
    });
  });
  test('development without replicas: BASIC, no persistence', () => {
    const a = instanceArgs(
      dev.policy,
      {
        ...dev.plan.choices.gcp,
        service: 'memorystore-redis',
        replicasPerShard: 0,
        extra: { tier: 'BASIC', readReplicas: 0 },
      },
      where,
      'REDIS_7_2',
    );
    expect(a).toMatchObject({ tier: 'BASIC', persistenceConfig: { persistenceMode: 'DISABLED' } });
    expect(a.readReplicasMode).toBeUndefined();
  });
  test('memory rounds the planned capacity up to whole GB', () => {
    expect(instanceMemoryGb({ ...prod.plan.choices.gcp, capacityGb: undefined, memoryGbPerShard: 2.4 })).toBe(
      3,
    );
  });
});

describe('cluster', () => {
  const where = { project: 'acs-prod-424242', region: 'us-west1', network: 'acs-vpc' };
  test('shards, replicas, IAM auth, TLS, PSC, AOF, backups kept for the retention', () => {
    const choice = acs.plan.choices.gcp;
    const a = clusterArgs(acs.policy, choice, where);
    expect(a).toMatchObject({
      shardCount: choice.shards,
      replicaCount: choice.replicasPerShard,
      authorizationMode: 'AUTH_MODE_IAM_AUTH',
      transitEncryptionMode: 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION',
      pscConfigs: [{ network: 'projects/acs-prod-424242/global/networks/acs-vpc' }],
      persistenceConfig: { mode: 'AOF', aofConfig: { appendFsync: 'EVERYSEC' } },
      automatedBackupConfig: {
        retention: `${15 * 86400}s`,
        fixedFrequencySchedule: { startTime: { hours: 3 } },
      },
    });
  });
  test('RDB when AOF is off; nothing when persistence is off', () => {
    expect(clusterPersistence(withPolicy(acs.policy, (p) => (p.persistence.aof = false)))).toMatchObject({
      mode: 'RDB',
    });
    const off = withPolicy(acs.policy, (p) =>
      Object.assign(p.persistence, { aof: false, rdb: false, snapshotRetentionDays: 0 }),
    );
    expect(clusterPersistence(off)).toEqual({ mode: 'DISABLED' });
    expect(clusterBackups(off)).toBeUndefined();
  });
  test('node type from the SKU; a SKU without one is an error', () => {
    expect(clusterNodeType({ ...acs.plan.choices.gcp, sku: 'REDIS_HIGHMEM_MEDIUM', extra: undefined })).toBe(
      'REDIS_HIGHMEM_MEDIUM',
    );
    expect(() =>
      clusterNodeType({ ...acs.plan.choices.gcp, sku: 'STANDARD_HA 5 GB', extra: undefined }),
    ).toThrow(/plan\.choices\.gcp\.sku/);
  });
});

describe('alert rules', () => {
  test('instance: memory ratio, clients as a share of maxclients, evictions per hour, replica lag', () => {
    const rules = alertRules('instance', prod.policy, 65000, true);
    expect(rules.map((r) => [r.id, r.threshold, r.comparison ?? 'COMPARISON_GT'])).toEqual([
      ['memory', 0.9, 'COMPARISON_GT'],
      ['clients', 52000, 'COMPARISON_GT'],
      ['evictions', 1000, 'COMPARISON_GT'],
      ['cpu-warning', 0.7, 'COMPARISON_GT'],
      ['hit-rate', 0.8, 'COMPARISON_LT'],
      ['replication', 1, 'COMPARISON_GT'],
    ]);
    expect(rules.find((r) => r.id === 'hit-rate')!.metric).toBe('redis.googleapis.com/stats/cache_hit_ratio');
    expect(rules.find((r) => r.id === 'replication')!.metric).toBe(
      'redis.googleapis.com/replication/master/slaves/lag',
    );
  });
  test('cluster metrics; no replication rule without replicas', () => {
    const rules = alertRules('cluster', prod.policy, 1000, false);
    // The cluster documents no hit-ratio metric: CPU warning only.
    expect(rules.map((r) => r.id)).toEqual(['memory', 'clients', 'evictions', 'cpu-warning']);
    expect(rules[3].metric).toBe('redis.googleapis.com/cluster/cpu/maximum_utilization');
    expect(rules[0].metric).toBe('redis.googleapis.com/cluster/memory/maximum_utilization');
  });
});
