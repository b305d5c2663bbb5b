import { specError as errorOf } from '../helpers';
import { WAIVER_TARGETS, waiverApplies } from '../../lib/policy/profiles';
import { resolvePolicy } from '../../lib/policy/resolve';
import { WAIVABLE_RULES } from '../../lib/spec/schema';
import { validateSpec } from '../../lib/spec/load';

const base = { name: 'svc', workload: { datasetGb: 1 } };
const resolve = (extra: Record<string, unknown>) =>
  resolvePolicy(validateSpec({ ...base, profile: 'production', ...extra }));

describe('profile defaults', () => {
  test('production is secure by default', () => {
    const p = resolve({});
    expect(p.security).toMatchObject({
      tls: true,
      tlsMinVersion: '1.2',
      auth: true,
      encryptionAtRest: true,
      privateNetworking: true,
    });
    expect(p.security.authTokenLength).toBeGreaterThanOrEqual(32);
    expect(p.persistence).toMatchObject({ rdb: true, aof: true, aofFsync: 'everysec' });
    expect(p.persistence.snapshotRetentionDays).toBeGreaterThanOrEqual(15);
    expect(p.availability).toMatchObject({
      automaticFailover: true,
      multiAz: true,
      deletionProtection: true,
    });
    expect(p.availability.minZones).toBeGreaterThanOrEqual(2);
    expect(p.availability.replicasPerShard).toBeGreaterThanOrEqual(1);
    expect(p.alerts.enabled).toBe(true);
    expect(p.waivers).toEqual([]);
  });

  test('staging allows a single primary with RDB snapshots', () => {
    const p = resolvePolicy(validateSpec({ ...base, profile: 'staging' }));
    expect(p.availability.replicasPerShard).toBe(0);
    expect(p.availability.automaticFailover).toBe(false);
    expect(p.persistence.rdb).toBe(true);
    expect(p.persistence.snapshotRetentionDays).toBeGreaterThanOrEqual(1);
    expect(p.security.tls).toBe(true);
  });

  test('development makes persistence optional and allows TLS off without a waiver', () => {
    const p = resolvePolicy(validateSpec({ ...base, profile: 'development', security: { tls: false } }));
    expect(p.persistence.rdb).toBe(false);
    expect(p.persistence.aof).toBe(false);
    expect(p.security.tls).toBe(false);
  });

  test('the key prefix defaults to the deployment name', () => {
    expect(resolve({}).keyspace.prefix).toBe('svc');
  });
});

describe('alert thresholds', () => {
  test("production defaults are the guides' (CPU warning 70%, hit rate 0.8, p95 100 ms, lag 1 s)", () => {
    expect(resolve({}).alerts).toMatchObject({
      cpuPercent: 80,
      cpuWarningPercent: 70,
      hitRateMin: 0.8,
      latencyP95Ms: 100,
      memoryPercent: 90,
      evictionsPerHour: 1000,
      replicationLagSeconds: 1,
    });
  });
  test('the spec overrides each threshold', () => {
    expect(resolve({ alerts: { cpuWarningPercent: 65, hitRateMin: 0.95 } }).alerts).toMatchObject({
      cpuWarningPercent: 65,
      hitRateMin: 0.95,
    });
  });
  test.each([
    [{ hitRateMin: 80 }, 'alerts.hitRateMin'],
    [{ cpuWarningPercent: 0 }, 'alerts.cpuWarningPercent'],
  ])('an out-of-range threshold names its field: %j', (alerts, field) => {
    expect(errorOf(() => resolve({ alerts })).message).toContain(field);
  });
});

describe('waivers', () => {
  test('production with TLS off and no waiver names the TLS field', () => {
    const e = errorOf(() => resolve({ security: { tls: false } }));
    expect(e.field).toBe('security.tls');
    expect(e.message).toMatch(/security\.tls: got false; production requires/);
    expect(e.message).toMatch(/rule: tls/);
  });

  test('a waiver with a reason allows the weakening and is listed', () => {
    const p = resolve({
      security: { tls: false },
      waivers: [{ rule: 'tls', reason: 'legacy client library cannot do TLS yet' }],
    });
    expect(p.security.tls).toBe(false);
    expect(p.waivers).toEqual([
      {
        rule: 'tls',
        reason: 'legacy client library cannot do TLS yet',
        detail: expect.stringContaining('TLS off'),
      },
    ]);
  });

  test.each([
    [{ security: { auth: false } }, 'security.auth'],
    [{ security: { encryptionAtRest: false } }, 'security.encryptionAtRest'],
    [{ security: { privateNetworking: false } }, 'security.privateNetworking'],
    [{ persistence: { snapshotRetentionDays: 7 } }, 'persistence.snapshotRetentionDays'],
    [{ persistence: { aof: false } }, 'persistence.aof'],
    [{ availability: { deletionProtection: false } }, 'availability.deletionProtection'],
    [{ alerts: { enabled: false } }, 'alerts.enabled'],
    [{ availability: { multiAz: false } }, 'availability.multiAz'],
  ])('weakening %j in production needs a waiver (%s)', (extra, field) => {
    expect(errorOf(() => resolve(extra)).field).toBe(field);
  });

  test('an unused waiver is rejected', () => {
    const e = errorOf(() => resolve({ waivers: [{ rule: 'tls', reason: 'not actually needed here' }] }));
    expect(e.field).toBe('waivers.0.rule');
  });

  test('the entra-id waiver is unused only where the spec has an Azure target', () => {
    // Without targets.azure (a public AWS or GCP construct resolving the same policy) it is kept quietly.
    const waivers = [{ rule: 'entra-id', reason: 'the app authenticates with keys until it moves to Entra' }];
    expect(() => resolve({ waivers })).not.toThrow();
    const withAzure = {
      waivers,
      targets: {
        azure: {
          resourceGroup: 'rg',
          location: 'eastus',
          appPrincipalId: '5b8c3e4a-7d9f-4a01-9c2d-3e4f5a6b7c83',
        },
      },
    };
    expect(errorOf(() => resolve(withAzure)).field).toBe('waivers.0.rule');
  });

  test('an Azure target without an app identity needs the entra-id waiver, which is then listed', () => {
    const azure = { resourceGroup: 'rg', location: 'eastus' };
    const e = errorOf(() => resolve({ targets: { azure } }));
    expect(e.field).toBe('targets.azure.appPrincipalId');
    expect(e.message).toContain(
      "production requires this (Azure access keys stay on (one shared key per cache): set the application's Entra object id to turn them off); restore the default or add a waiver {rule: entra-id, reason: ...}",
    );
    const reason = 'the app authenticates with keys until it moves to Entra';
    const p = resolve({ targets: { azure }, waivers: [{ rule: 'entra-id', reason }] });
    expect(p.waivers).toEqual([expect.objectContaining({ rule: 'entra-id', reason })]);
  });

  test('every waivable rule declares its targets; only entra-id is limited (to Azure)', () => {
    expect(Object.keys(WAIVER_TARGETS).sort()).toEqual([...WAIVABLE_RULES].sort());
    const limited = Object.entries(WAIVER_TARGETS).filter(([, t]) => t !== 'every');
    expect(limited).toEqual([['entra-id', ['azure']]]);
    const azure = { azure: { resourceGroup: 'rg', location: 'eastus' } };
    expect(waiverApplies('entra-id', { targets: {} })).toBe(false);
    expect(waiverApplies('entra-id', { targets: { aws: undefined } })).toBe(false);
    expect(waiverApplies('entra-id', { targets: azure })).toBe(true);
    expect(waiverApplies('tls', { targets: {} })).toBe(true);
  });

  test('waivers outside production are rejected as noise', () => {
    const e = errorOf(() =>
      resolvePolicy(
        validateSpec({
          ...base,
          profile: 'staging',
          waivers: [{ rule: 'tls', reason: 'staging does not need it' }],
        }),
      ),
    );
    expect(e.field).toBe('waivers');
  });

  test('a reason is required', () => {
    expect(() => resolve({ security: { tls: false }, waivers: [{ rule: 'tls', reason: '' }] })).toThrow(
      /waivers\.0\.reason/,
    );
  });
});

describe('contradictions', () => {
  test('retention < 1 day with RDB on', () => {
    const e = errorOf(() =>
      resolvePolicy(
        validateSpec({ ...base, profile: 'staging', persistence: { rdb: true, snapshotRetentionDays: 0 } }),
      ),
    );
    expect(e.field).toBe('persistence.snapshotRetentionDays');
  });

  test('cluster mode with a non-zero database', () => {
    const e = errorOf(() =>
      resolve({
        availability: { topology: 'cluster' },
        keyspace: { databases: [{ index: 1, name: 'cache', prefix: 'c-' }] },
      }),
    );
    expect(e.field).toBe('keyspace.databases.0.index');
    expect(e.message).toMatch(/no SELECT/);
  });

  test('overlapping maintenance and snapshot windows', () => {
    const e = errorOf(() =>
      resolve({ maintenanceWindow: 'sun:03:30-sun:04:30', persistence: { snapshotWindow: '03:00-04:00' } }),
    );
    expect(e.field).toBe('maintenanceWindow');
    expect(e.message).toMatch(/overlaps/);
  });

  test('a window that wraps past midnight still overlaps', () => {
    const e = errorOf(() =>
      resolve({ maintenanceWindow: 'sat:23:30-sun:01:00', persistence: { snapshotWindow: '00:30-01:30' } }),
    );
    expect(e.field).toBe('maintenanceWindow');
  });

  test('a replication topology without a replica (the staging default is 0 replicas)', () => {
    const e = errorOf(() =>
      resolvePolicy(validateSpec({ ...base, profile: 'staging', availability: { topology: 'replication' } })),
    );
    expect(e.message).toBe(
      'spec: availability.topology: got "replication"; a replication topology needs a replica, but replicasPerShard is 0 (the staging default): set availability.replicasPerShard: 1 or topology: standalone',
    );
    const ok = resolvePolicy(
      validateSpec({
        ...base,
        profile: 'staging',
        availability: { topology: 'replication', replicasPerShard: 1 },
      }),
    );
    expect(ok.availability.replicasPerShard).toBe(1);
  });

  test('failover without replicas', () => {
    const e = errorOf(() => resolve({ availability: { replicasPerShard: 0, automaticFailover: true } }));
    expect(e.field).toBe('availability.automaticFailover');
  });

  test('a short production auth token', () => {
    expect(errorOf(() => resolve({ security: { authTokenLength: 20 } })).field).toBe(
      'security.authTokenLength',
    );
  });

  test('a maintenance window longer than 24 hours (ElastiCache refuses it), also one whose end is before its start', () => {
    const dev = (w: string) =>
      errorOf(() => resolvePolicy(validateSpec({ ...base, profile: 'development', maintenanceWindow: w })));
    expect(dev('sun:05:00-sun:04:00').message).toBe(
      'spec: maintenanceWindow: got "sun:05:00-sun:04:00"; expected a window of at most 24 hours (this one is 167 h; ElastiCache limit), e.g. "sun:05:00-sun:07:00"',
    );
    expect(dev('mon:05:00-wed:05:00').field).toBe('maintenanceWindow');
    expect(errorOf(() => resolve({ maintenanceWindow: 'mon:05:00-wed:05:00' })).message).toMatch(
      /at most 24 hours \(this one is 48 h/,
    );
    // Exactly 24 hours is allowed.
    expect(
      resolvePolicy(
        validateSpec({ ...base, profile: 'development', maintenanceWindow: 'sat:05:00-sun:05:00' }),
      ).maintenanceWindow,
    ).toBe('sat:05:00-sun:05:00');
  });

  test('windows shorter than an hour', () => {
    expect(errorOf(() => resolve({ persistence: { snapshotWindow: '03:00-03:30' } })).field).toBe(
      'persistence.snapshotWindow',
    );
  });
});
