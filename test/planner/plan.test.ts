import { fromSpec } from '../../lib/deployment';
import { SpecError } from '../../lib/errors';
import { computeNeed, connectionNeed, datasetItems, memoryNeed } from '../../lib/planner/need';
import { contextFor, requireChoice } from '../../lib/planner/plan';
import { awsOptions, azureManagedOptions, azurePremiumOptions, gcpOptions } from '../../lib/planner/select';
import { PLATFORM_IDS } from '../../lib/planner/types';
import { validateSpec } from '../../lib/spec/load';
import { specError } from '../helpers';

const deploy = (extra: Record<string, unknown>, profile = 'production') =>
  fromSpec(validateSpec({ name: 'svc', profile, ...extra }));

describe('dataset', () => {
  test('devices use the ACS guide per-device figures', () => {
    const items = datasetItems({
      devices: 1000,
      loggedInShare: 0.5,
      pendingJobsPerDevice: 2,
      metricsPerDevice: 10,
    });
    expect(Object.fromEntries(items.map((i) => [i.name, i.bytes]))).toEqual({
      'device cache': 500_000,
      'sessions (logged-in users)': 500 * 2048,
      'pending queue jobs': 2000 * 1024,
      metrics: 10_000 * 100,
    });
  });

  test('no workload at all is a spec error naming the workload', () => {
    expect(() => datasetItems({})).toThrow(SpecError);
    expect(() => datasetItems({})).toThrow(/workload/);
  });
});

describe('memory factors', () => {
  test('every factor is named and applied in order', () => {
    const m = memoryNeed([{ name: 'x', count: 1, bytesEach: 1e9, bytes: 1e9, keys: 1e6 }], 'production');
    expect(m.factors.map((f) => f.name)).toEqual([
      'dataset',
      'per-key overhead',
      'fragmentation',
      'growth headroom',
      'replication and fork buffers',
    ]);
    // 1 GB + 1e6 x 80 B = 1.08 GB; x1.2 x1.5 = 1.944 GB of data; /0.75 = 2.592 GB of node memory.
    expect(m.dataBytes).toBe(Math.ceil(1.08e9 * 1.2 * 1.5));
    expect(m.neededBytes).toBeCloseTo(m.dataBytes / 0.75, -1);
    for (const f of m.factors) expect(f.why.length).toBeGreaterThan(10);
  });

  test('a stated growth factor replaces the profile default', () => {
    const m = memoryNeed([{ name: 'x', count: 1, bytesEach: 1e9, bytes: 1e9, keys: 0 }], 'production', 3);
    expect(m.factors.find((f) => f.name === 'growth headroom')?.factor).toBe(3);
  });
});

describe('connections', () => {
  test('pool = concurrent requests x calls per request / 10 (Go guide)', () => {
    const c = connectionNeed({ concurrentRequests: 2000, redisCallsPerRequest: 3, applicationReplicas: 4 });
    expect(c.poolSize).toBe(600);
    expect(c.minIdle).toBe(10);
    expect(c.expectedClients).toBe(600 * 4 + 16);
    expect(c.maxclients).toBeGreaterThanOrEqual(c.expectedClients * 2);
  });

  test('a fixed pool (Go API: 25) is kept and the table row is shown', () => {
    const c = connectionNeed({ poolSize: 25, concurrentRequests: 125 });
    expect(c.poolSize).toBe(25);
    expect(c.minIdle).toBe(5);
    expect(c.poolReason).toMatch(/fixed by the spec.*25/);
  });

  test.each([
    [99, 10, 2],
    [100, 25, 5],
    [1000, 25, 5],
    [1001, 50, 10],
    [10_000, 50, 10],
    [10_001, 100, 20],
  ])(
    '%d concurrent users fall in the Go guide table row with pool %d, min idle %d (bounds inclusive)',
    (users, pool, idle) => {
      const c = connectionNeed({ concurrentRequests: users, poolSize: 500 });
      expect(c.minIdle).toBe(idle);
      expect(c.poolReason).toMatch(new RegExp(`suggests ${pool} for`));
    },
  );

  test('small workloads get the minimum pool of 10', () => {
    expect(connectionNeed({ concurrentRequests: 5, redisCallsPerRequest: 1 }).poolSize).toBe(10);
  });
});

describe('topology', () => {
  test('a small production workload is one primary with a replica', () => {
    const d = deploy({ workload: { datasetGb: 1 } });
    expect(d.plan.topology).toMatchObject({ mode: 'replication', shards: 1, replicasPerShard: 1 });
  });

  test('staging runs a single primary', () => {
    const d = deploy({ workload: { datasetGb: 1 } }, 'staging');
    expect(d.plan.topology).toMatchObject({ mode: 'standalone', replicasPerShard: 0 });
    expect(d.plan.choices.aws.nodes).toBe(1);
  });

  test('more than 100 GB of data goes to a cluster', () => {
    const d = deploy({ workload: { datasetGb: 200 } });
    expect(d.plan.topology.mode).toBe('cluster');
    expect(d.plan.topology.reason).toMatch(/> 100 GB/);
    expect(d.plan.choices.aws.shards).toBeGreaterThanOrEqual(3);
  });

  test('more than 100K ops/s goes to a cluster with enough shards', () => {
    const d = deploy({ workload: { datasetGb: 1, peakOpsPerSecond: 450_000 } });
    expect(d.plan.topology.mode).toBe('cluster');
    expect(d.plan.choices.aws.shards).toBeGreaterThanOrEqual(5);
  });

  test('logical databases other than 0 are an error when the workload makes the plan a cluster', () => {
    const dbs = [
      { index: 0, name: 'general', prefix: 'g' },
      { index: 1, name: 'cache', prefix: 'c' },
    ];
    const e = specError(() => deploy({ workload: { datasetGb: 200 }, keyspace: { databases: dbs } }));
    expect(e.field).toBe('keyspace.databases.1.index');
    expect(e.message).toMatch(
      /got 1; the workload needs a cluster \(auto: data \d+ GB > 100 GB -> cluster\) and a cluster has no SELECT/,
    );
    expect(
      specError(() =>
        deploy({ workload: { datasetGb: 1, peakOpsPerSecond: 300_000 }, keyspace: { databases: dbs } }),
      ).message,
    ).toMatch(/300000 ops\/s > 100000 per shard/);
    // The same databases on one primary are fine.
    expect(deploy({ workload: { datasetGb: 1 }, keyspace: { databases: dbs } }).plan.topology.mode).toBe(
      'replication',
    );
  });

  test('a forced single-node topology that cannot hold the data is a spec error', () => {
    expect(() => deploy({ workload: { datasetGb: 500 }, availability: { topology: 'replication' } })).toThrow(
      /availability\.topology: got "replication"; the workload needs \d+ shards/,
    );
  });
});

describe('notes', () => {
  test.each([
    [{ devices: 100_000 }, 16],
    [{ devices: 10_000 }, 2],
    [{ organizations: 100_000 }, 4],
  ])('the advice to size to the reference row gives the row when followed (%j)', (workload, rowGb) => {
    const note = deploy({ workload }).plan.notes.find((n) => n.includes('to size to the row'));
    const m =
      /replace workload\.(devices|organizations) with workload\.datasetGb: ([\d.]+) \(the same factors then give (\d+) GB\)/.exec(
        note ?? '',
      );
    expect(m).not.toBeNull();
    expect(Number(m![3])).toBe(rowGb);
    const followed = deploy({ workload: { datasetGb: Number(m![2]) } }).plan.memory.neededBytes / 1e9;
    expect(followed).toBeLessThanOrEqual(rowGb);
    expect(followed).toBeGreaterThan(rowGb * 0.95);
  });
});

describe('choices', () => {
  test('a reason says what the choice was measured against and why the next cheaper option is out', () => {
    const d = deploy({ workload: { devices: 50_000 } });
    const aws = d.plan.choices.aws;
    expect(aws.sku).toBe('cache.m7g.large');
    expect(aws.reason).toMatch(
      /the cheapest option that holds 0\.33 GB of data per shard and 56 clients; the next cheaper, cache\.t4g\.medium at \$94\.90\/month, is out: burstable \(CPU credits\) not used in production$/,
    );
    const amr = deploy({ workload: { datasetGb: 4 } }).plan.choices['azure-managed'];
    expect(amr.reason).toMatch(
      /the next cheaper, \S+ at \$[\d,.]+\/month, is out: usable [\d.]+ GB < [\d.]+ GB/,
    );
  });

  test('more clients than a platform accepts per node is "none fits" there, on AWS too (maxclients 65,000)', () => {
    // 400,000 concurrent requests x 2 calls / 10 = 80,000 per app replica, x 2 replicas.
    const d = deploy({ workload: { datasetGb: 1, concurrentRequests: 400_000 } });
    expect(d.plan.connections.expectedClients).toBe(160_016);
    for (const p of ['aws', 'gcp', 'azure-premium'] as const) {
      expect(d.plan.choices[p].available).toBe(false);
    }
    expect(d.plan.choices.aws.reason).toMatch(/maxclients 65000 < 160016 expected clients/);
  });

  test('outside the default region a reason says its unit price is scaled, so the arithmetic checks out', () => {
    const d = deploy({
      workload: { datasetGb: 1 },
      targets: {
        azure: {
          resourceGroup: 'rg',
          location: 'westeurope',
          appPrincipalId: '5b8c3e4a-7d9f-4a01-9c2d-3e4f5a6b7c83',
        },
      },
    });
    const prem = d.plan.choices['azure-premium'];
    expect(prem.reason).toMatch(
      /at \$404\.42\/shard-month.*; unit prices are eastus list prices, x 1\.12 for westeurope; /,
    );
    expect(prem.monthlyCostUsd).toBeCloseTo(404.42 * 1.12, 2);
    expect(d.plan.choices.aws.reason).not.toMatch(/unit prices are/);
  });

  test('the cheaper option a reason names really is cheaper (brute force over the options)', () => {
    for (const [platform, options] of [
      ['aws', awsOptions],
      ['gcp', gcpOptions],
      ['azure-premium', azurePremiumOptions],
      ['azure-managed', azureManagedOptions],
    ] as const) {
      const d = deploy({ workload: { devices: 200_000 } });
      const c = d.plan.choices[platform];
      const named = /the next cheaper, (\S+)(?: x (\d+) shards)? at/.exec(c.reason);
      if (!named) {
        expect(c.reason).toMatch(/nothing cheaper in the catalog$/);
        continue;
      }
      const all = options(contextFor(d.spec, d.policy, computeNeed(d.spec, d.policy)));
      const o = all.find((x) => x.sku === named[1] && x.shards === Number(named[2] ?? 1));
      expect(o).toBeDefined();
      expect(o!.fits).toBe(false);
      expect(o!.monthlyCostUsd).toBeLessThan(c.monthlyCostUsd);
    }
  });

  test('every platform has a choice with a reason and a price source', () => {
    const d = deploy({ workload: { devices: 100_000 } });
    for (const p of PLATFORM_IDS) {
      const c = d.plan.choices[p];
      expect(c.available).toBe(true);
      expect(c.monthlyCostUsd).toBeGreaterThan(0);
      expect(c.reason.length).toBeGreaterThan(20);
      expect(c.priceSource).toMatch(/^https:\/\//);
    }
    expect(d.plan.reference).toMatchObject({ kind: 'devices', size: 100_000, memoryGb: 16, primaries: 3 });
  });

  test('production never picks burstable AWS nodes; development may', () => {
    expect(deploy({ workload: { datasetGb: 0.2 } }).plan.choices.aws.sku).not.toMatch(/t4g/);
    expect(deploy({ workload: { datasetGb: 0.2 } }, 'development').plan.choices.aws.sku).toMatch(/t4g/);
  });

  test('Premium shows the Managed Redis equivalent Microsoft maps it to', () => {
    const d = deploy({ workload: { datasetGb: 4 } });
    expect(d.plan.choices['azure-premium'].extra?.managedEquivalent).toMatch(/^(Balanced|MemoryOptimized)_/);
  });

  test('a platform that cannot hold the workload is marked unavailable, and requireChoice names it', () => {
    const d = deploy({ workload: { datasetGb: 1500 } });
    expect(d.plan.choices.aws.available).toBe(true);
    const amr = d.plan.choices['azure-managed'];
    if (!amr.available) {
      expect(() => requireChoice(d.plan, 'azure-managed')).toThrow(/azure-managed/);
    }
    expect(requireChoice(d.plan, 'aws').sku).toMatch(/^cache\./);
  });

  test('a node type the catalog does not know is rejected with the field', () => {
    expect(() =>
      deploy({
        workload: { datasetGb: 1 },
        targets: {
          aws: {
            region: 'us-east-1',
            vpcId: 'vpc-0123456789abcdef0',
            subnetIds: ['subnet-0123456789abcdef0'],
            nodeType: 'cache.x9.huge',
          },
        },
      }),
    ).toThrow(/targets\.aws\.nodeType: got "cache\.x9\.huge"/);
  });

  test('a region the catalog lacks is rejected with the field', () => {
    expect(() =>
      deploy({
        workload: { datasetGb: 1 },
        targets: { gcp: { project: 'proj-123456', region: 'mars-north1', network: 'n' } },
      }),
    ).toThrow(/targets\.gcp\.region/);
  });
});

describe('platform limits the plan must respect', () => {
  test('Azure Managed Redis is sized for throughput too: its SKU must have the vCPUs for the peak ops', () => {
    const busy = deploy({ workload: { datasetGb: 0.5, peakOpsPerSecond: 150_000 } });
    const c = requireChoice(busy.plan, 'azure-managed');
    expect(c.vcpuPerNode! * 50_000).toBeGreaterThanOrEqual(150_000);
    const small = azureManagedOptions(contextFor(busy.spec, busy.policy, computeNeed(busy.spec, busy.policy)))
      .filter((o) => (o.vcpuPerNode ?? 0) < 3)
      .map((o) => String(o.whyNot ?? ''));
    expect(small.length).toBeGreaterThan(0);
    for (const why of small) expect(why).toMatch(/vCPU serve ~100000 ops\/s < 150000 peak ops\/s/);
    // Far beyond the largest SKU: no Azure Managed Redis option, rather than a 2-vCPU one.
    expect(
      deploy({ workload: { datasetGb: 0.5, peakOpsPerSecond: 5_000_000 } }).plan.choices['azure-managed']
        .available,
    ).toBe(false);
  });

  test('ElastiCache: past 90 nodes the reason asks for a quota increase; past 500 the option is out', () => {
    const d = deploy({ workload: { datasetGb: 1, peakOpsPerSecond: 5_000_000 } });
    const c = requireChoice(d.plan, 'aws');
    expect(c.nodes).toBeGreaterThan(90);
    expect(c.reason).toMatch(/over the default quota of 90 nodes per cluster: request an increase/);
    const options = awsOptions(contextFor(d.spec, d.policy, computeNeed(d.spec, d.policy)));
    const huge = options.filter((o) => o.nodes > 500);
    expect(huge.length).toBeGreaterThan(0);
    for (const o of huge) expect(String(o.whyNot ?? '')).toMatch(/nodes > 500 per cluster/);
    const modest = deploy({ workload: { datasetGb: 1, peakOpsPerSecond: 50_000 } });
    expect(requireChoice(modest.plan, 'aws').reason).not.toMatch(/quota/);
  });
});

describe('alert destinations', () => {
  const targets = {
    aws: {
      region: 'us-east-1',
      vpcId: 'vpc-0a1b2c3d4e5f60718',
      subnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60722'],
    },
    gcp: { project: 'p-123456', region: 'us-central1', network: 'projects/p-123456/global/networks/default' },
  };
  test('alerts that notify no one are named in the plan notes, per platform', () => {
    const d = deploy({ workload: { datasetGb: 1 }, targets });
    const note = d.plan.notes.find((n) => n.startsWith('Alerts have no destination'));
    expect(note).toMatch(/AWS \(subscribe to the alarms SNS topic/);
    expect(note).toMatch(/GCP \(or set targets\.gcp\.alertNotificationChannels\)/);
  });
  test('an email, or a platform channel, is a destination', () => {
    const withEmail = deploy({
      workload: { datasetGb: 1 },
      targets,
      alerts: { email: 'oncall@example.com' },
    });
    expect(withEmail.plan.notes.some((n) => n.startsWith('Alerts have no destination'))).toBe(false);
    const gcpOnly = deploy({
      workload: { datasetGb: 1 },
      targets: {
        gcp: { ...targets.gcp, alertNotificationChannels: ['projects/p-123456/notificationChannels/1'] },
      },
    });
    expect(gcpOnly.plan.notes.some((n) => n.startsWith('Alerts have no destination'))).toBe(false);
  });
});
