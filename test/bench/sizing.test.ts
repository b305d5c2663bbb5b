/**
 * The sizing bench's own logic: the reference pricing rule, the independent brute force
 * (bench/brute.ts, on-demand) and the checks, including bad plans the checks must flag.
 */
import fc from 'fast-check';
import { awsCatalog, azureManagedCatalog, referenceCatalog } from '../../lib/catalog';
import { fromSpec, type Deployment } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';
import { GB, GIB } from '../../lib/planner/assumptions';
import { PLATFORM_IDS, type Choice, type PlatformId } from '../../lib/planner/types';
import {
  bruteForce,
  dataNeedBytes,
  needOf,
  priceAws,
  priceAzureManaged,
  priceKubernetes,
  type Ask,
} from '../../bench/brute';
import {
  compare,
  headroomPct,
  priceReference,
  productionDeployment,
  referenceSizings,
} from '../../bench/sizing';

const ask = (over: Partial<Ask> = {}): Ask => ({
  perShardBytes: 10 * GB,
  shards: 1,
  cluster: false,
  replicasPerShard: 1,
  clients: 100,
  production: true,
  engine: 'redis',
  peakOps: 10_000,
  ...over,
});

/** A copy of the deployment whose choice for one platform is replaced. */
function withChoice(d: Deployment, platform: PlatformId, change: Partial<Choice>): Deployment {
  const choices = { ...d.plan.choices, [platform]: { ...d.plan.choices[platform], ...change } };
  return { ...d, plan: { ...d.plan, choices } };
}

describe('reference rows', () => {
  test('every devices and organizations row of the catalog is covered', () => {
    const ref = referenceCatalog();
    const rows = referenceSizings(1);
    expect(rows).toHaveLength(ref.devices.length + ref.organizations.length);
    expect(rows.map((r) => `${r.kind}:${r.size}`)).toEqual(
      expect.arrayContaining([
        'devices:10000',
        'devices:500000',
        'organizations:100000',
        'organizations:5000000',
      ]),
    );
  });
  test('device rows keep their own topology; organization rows take the policy replicas', () => {
    const rows = referenceSizings(2);
    expect(rows.find((r) => r.kind === 'devices' && r.size === 100000)).toMatchObject({
      memoryGb: 16,
      primaries: 3,
      replicasPerPrimary: 1,
      statedTopology: true,
    });
    expect(rows.find((r) => r.kind === 'organizations' && r.size === 1000000)).toMatchObject({
      primaries: 1,
      replicasPerPrimary: 2,
      statedTopology: false,
    });
  });
});

describe('pricing rule', () => {
  test('AWS: cheapest production node whose usable memory holds the shard, times the nodes', () => {
    const cat = awsCatalog();
    const p = priceAws(ask({ perShardBytes: (16 * GB) / 3, shards: 3, cluster: true }))!;
    const node = cat.nodeTypes.find((n) => n.type === p.label)!;
    expect(node.burstable).toBe(false);
    expect(node.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100)).toBeGreaterThanOrEqual(
      (16 * GB) / 3,
    );
    expect(p.nodes).toBe(6);
    expect(p.monthlyUsd).toBeCloseTo(node.hourlyUsd.redis * 6 * 730, 6);
    // Every cheaper production node is too small.
    for (const n of cat.nodeTypes.filter(
      (x) => !x.burstable && x.ssdGib === 0 && x.hourlyUsd.redis < node.hourlyUsd.redis,
    )) {
      expect(n.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100)).toBeLessThan((16 * GB) / 3);
    }
  });
  test('a shard larger than any node is not priceable (bad fixture)', () => {
    expect(priceAws(ask({ perShardBytes: 10_000 * GB }))).toBeUndefined();
    expect(priceAzureManaged(ask({ perShardBytes: 10_000 * GB }))).toBeUndefined();
    expect(priceKubernetes(ask({ perShardBytes: 10_000 * GB }))).toBeUndefined();
  });
  test('Azure Managed Redis holds the whole dataset in one SKU (sharding is internal)', () => {
    const p = priceAzureManaged(ask({ perShardBytes: 4 * GB, shards: 3 }))!;
    const sku = azureManagedCatalog().skus.find((s) => s.name === p.label)!;
    expect(sku.memoryGb * 0.9).toBeGreaterThanOrEqual(12);
    expect(p.nodes).toBe(2);
  });
  test('Kubernetes pod memory is a multiple of 256 Mi whose maxmemory share holds the shard', () => {
    const p = priceKubernetes(ask({ perShardBytes: 1 * GB }))!;
    const mi = Number(/^(\d+)Mi/.exec(p.label)![1]);
    expect(mi % 256).toBe(0);
    expect(p.usableGb).toBeGreaterThanOrEqual(1);
    expect(p.usableGb - (256 * 1024 * 1024) / GB).toBeLessThan(1);
  });
  test('the reference sizing of 100k devices is 16 GB over 3 primaries + 3 replicas', () => {
    const d = productionDeployment('devices', 100000);
    const ref = referenceSizings(1).find((r) => r.kind === 'devices' && r.size === 100000)!;
    const p = priceReference(d, ref, 'aws')!;
    expect(p.shards).toBe(3);
    expect(p.nodes).toBe(6);
    expect(p.usableGb).toBeGreaterThanOrEqual(16);
  });
});

describe('brute force and checks', () => {
  const ref = referenceSizings(1).find((r) => r.kind === 'organizations' && r.size === 1000000)!;
  const d = productionDeployment('organizations', 1000000);

  test.each(PLATFORM_IDS)('%s: the real planner passes every check', (platform) => {
    const r = compare(d, ref, platform);
    expect(r.checks).toMatchObject({ meetsNeed: true, cheapestFitting: true, notAboveReference: true });
    expect(r.ratioToBruteForce).toBe(1);
  });

  test('a planner choice that costs more than the brute force is flagged', () => {
    const c = d.plan.choices.aws;
    const r = compare(withChoice(d, 'aws', { monthlyCostUsd: c.monthlyCostUsd * 3 }), ref, 'aws');
    expect(r.checks.cheapestFitting).toBe(false);
    expect(r.checks.notAboveReference).toBe(false);
    expect(r.ratioToBruteForce).toBe(3);
  });

  test('a planner choice with too little memory is flagged', () => {
    const r = compare(withChoice(d, 'gcp', { memoryGbPerShard: 1 }), ref, 'gcp');
    expect(r.checks.meetsNeed).toBe(false);
    expect(r.planner.headroomPct).toBeLessThan(0);
  });

  test('a planner that says "nothing fits" while the catalog has an option is flagged', () => {
    const r = compare(withChoice(d, 'azure-premium', { available: false }), ref, 'azure-premium');
    expect(r.checks.cheapestFitting).toBe(false);
    expect(r.checks.meetsNeed).toBe(false);
  });

  test('a reference sizing below the derived need is reported, not compared on price', () => {
    const small = referenceSizings(1).find((r) => r.kind === 'organizations' && r.size === 5000000)!;
    const big = productionDeployment('organizations', 5000000);
    const r = compare(big, { ...small, memoryGb: 1 }, 'aws');
    expect(r.checks.referenceMeetsNeed).toBe(false);
    expect(r.checks.notAboveReference).toBeUndefined();
    expect('unavailable' in r.reference ? 0 : r.reference.headroomPct).toBeLessThan(0);
  });

  test('brute force only returns options that hold the need', () => {
    for (const p of PLATFORM_IDS) {
      const b = bruteForce(needOf(d), p)!;
      expect(b.usableGb * GB).toBeGreaterThanOrEqual(dataNeedBytes(d));
    }
  });
});

test('headroom percent', () => {
  expect(headroomPct(15, 10)).toBe(50);
  expect(headroomPct(8, 10)).toBe(-20);
});

describe('the brute force agrees with the planner beyond the reference rows', () => {
  test.each(PLATFORM_IDS)('%s: random workloads, one primary or a cluster of 1-4+ shards', (platform) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.constantFrom<'replication' | 'cluster'>('replication', 'cluster'),
        fc.integer({ min: 1, max: 4 }),
        (devices, topology, minShards) => {
          const d = fromSpec(
            validateSpec({
              name: 'bench-prop',
              profile: 'production',
              workload: { devices },
              availability: topology === 'cluster' ? { topology, minShards } : { topology },
            }),
          );
          const c = d.plan.choices[platform];
          const b = bruteForce(needOf(d), platform);
          if (!b) return expect(c.available).toBe(false);
          expect(c.available).toBe(true);
          expect(c.monthlyCostUsd).toBeCloseTo(b.monthlyUsd, 1);
        },
      ),
      { numRuns: 25 },
    );
  });
});
