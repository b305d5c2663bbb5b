/**
 * Property tests of the planner:
 * - more load never gives less memory or cost (within one topology mode: crossing from one primary
 *   to a cluster changes the service, and is tested by the mode-switch cases in plan.test.ts);
 * - every choice meets the need (memory, connections, replicas);
 * - the choice is the cheapest fitting option, checked against an independent brute force over the
 *   catalog written here from the catalog data and the planner's published assumptions.
 */
import fc from 'fast-check';
import { awsCatalog, azureManagedCatalog, azurePremiumCatalog, gcpCatalog } from '../../lib/catalog';
import { fromSpec, type Deployment } from '../../lib/deployment';
import { GB, GIB, MONTH_HOURS, TOPOLOGY, USABLE_MEMORY } from '../../lib/planner/assumptions';
import { PLATFORM_IDS } from '../../lib/planner/types';
import { validateSpec } from '../../lib/spec/load';

type Topology = 'cluster' | 'replication';

function deployment(
  devices: number,
  concurrent: number,
  topology: Topology,
  profile = 'production',
): Deployment {
  return fromSpec(
    validateSpec({
      name: 'prop',
      profile,
      workload: { devices, concurrentRequests: concurrent, peakOpsPerSecond: 1000 },
      availability:
        topology === 'cluster'
          ? { topology: 'cluster', minShards: 3 }
          : { topology: profile === 'production' ? 'replication' : 'standalone' },
    }),
  );
}

const dataNeed = (d: Deployment) => d.plan.memory.factors[d.plan.memory.factors.length - 2].bytesAfter;

describe('monotonic: more load never gives less memory or cost', () => {
  test.each<[Topology, number]>([
    ['cluster', 20_000_000],
    ['replication', 2_000_000],
  ])('%s topology', (topology, maxDevices) => {
    const comparedOn = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: maxDevices }),
        fc.integer({ min: 1, max: maxDevices }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (a, b, concurrent, extraConcurrent) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const small = deployment(lo, concurrent, topology);
          const big = deployment(hi, concurrent + extraConcurrent, topology);
          expect(big.plan.memory.neededBytes).toBeGreaterThanOrEqual(small.plan.memory.neededBytes);
          expect(big.plan.connections.maxclients).toBeGreaterThanOrEqual(small.plan.connections.maxclients);
          let compared = 0;
          for (const p of PLATFORM_IDS) {
            const s = small.plan.choices[p];
            const g = big.plan.choices[p];
            if (!g.available) continue; // nothing fits: no cost to compare
            expect(s.available).toBe(true);
            expect(g.monthlyCostUsd + 0.005).toBeGreaterThanOrEqual(s.monthlyCostUsd);
            compared++;
            comparedOn.add(p);
          }
          // Some platform always fits (self-hosted and Kubernetes have no size limit): never vacuous.
          expect(compared).toBeGreaterThan(0);
        },
      ),
      { numRuns: 60 },
    );
    // Over the run, every platform was compared at least once.
    expect([...comparedOn].sort()).toEqual([...PLATFORM_IDS].sort());
  });
});

describe('every choice meets the need', () => {
  test('memory, connections and replicas', () => {
    const checkedOn = new Set<string>();
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom<Topology>('cluster', 'replication'),
        fc.constantFrom('production', 'staging', 'development'),
        (devices, concurrent, topology, profile) => {
          const d = deployment(devices, concurrent, topology, profile);
          let checked = 0;
          for (const p of PLATFORM_IDS) {
            const c = d.plan.choices[p];
            if (!c.available) continue;
            checked++;
            checkedOn.add(p);
            // memoryGbPerShard is rounded to 0.01 GB for display.
            expect((c.memoryGbPerShard + 0.005) * GB * c.shards).toBeGreaterThanOrEqual(dataNeed(d));
            if (c.maxConnectionsPerShard !== undefined) {
              expect(c.maxConnectionsPerShard).toBeGreaterThanOrEqual(d.plan.connections.expectedClients);
            }
            expect(c.replicasPerShard).toBeGreaterThanOrEqual(
              d.policy.availability.replicasPerShard > 0 ? 1 : 0,
            );
            if (profile === 'production') expect(c.nodes).toBeGreaterThanOrEqual(2 * c.shards);
          }
          expect(checked).toBeGreaterThan(0);
        },
      ),
      { numRuns: 80 },
    );
    expect([...checkedOn].sort()).toEqual([...PLATFORM_IDS].sort());
  });
});

/** Independent brute force: the cheapest monthly cost of anything in the catalog that fits. */
const bruteForce = {
  aws(d: Deployment): number {
    const cat = awsCatalog();
    const replicas = d.plan.topology.replicasPerShard;
    const min = d.plan.topology.mode === 'cluster' ? d.plan.topology.shards : 1;
    const max = d.plan.topology.mode === 'cluster' ? cat.maxShards : 1;
    let best = Infinity;
    if (cat.maxClientsPerNode < d.plan.connections.expectedClients) return best;
    for (const n of cat.nodeTypes) {
      if (n.ssdGib > 0 || (n.burstable && d.policy.profile === 'production')) continue;
      for (let s = min; s <= max; s++) {
        if (s * (1 + replicas) > cat.maxNodesPerCluster) continue;
        if (n.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100) * s < dataNeed(d)) continue;
        best = Math.min(best, n.hourlyUsd[d.policy.engine] * s * (1 + replicas) * MONTH_HOURS);
      }
    }
    return best;
  },
  'azure-premium'(d: Deployment): number {
    const cat = azurePremiumCatalog();
    const replicas = Math.max(1, d.plan.topology.replicasPerShard);
    const min = d.plan.topology.mode === 'cluster' ? d.plan.topology.shards : 1;
    const max = d.plan.topology.mode === 'cluster' ? cat.maxShards : 1;
    let best = Infinity;
    for (const sku of cat.skus) {
      if (sku.maxConnections < d.plan.connections.expectedClients) continue;
      for (let s = min; s <= max; s++) {
        if (sku.memoryGb * USABLE_MEMORY.azurePremium.value * GB * s < dataNeed(d)) continue;
        best = Math.min(best, sku.monthlyUsdPerShard * s * (1 + (replicas - 1) / 2));
      }
    }
    return best;
  },
  'azure-managed'(d: Deployment): number {
    const ha = d.plan.topology.replicasPerShard > 0;
    const cat = azureManagedCatalog();
    const usable =
      cat.reservedMemoryPercent !== undefined
        ? 1 - cat.reservedMemoryPercent / 100
        : USABLE_MEMORY.azureManaged.value;
    const fits = cat.skus.filter(
      (s) =>
        s.family !== 'FlashOptimized' &&
        !(s.preview && d.policy.profile === 'production') &&
        s.memoryGb * usable * GB >= dataNeed(d) &&
        s.maxConnections >= d.plan.connections.expectedClients &&
        s.vcpu * TOPOLOGY.amrOpsPerVcpu.value >= d.plan.throughput.peakOpsPerSecond,
    );
    return Math.min(...fits.map((s) => (ha ? s.hourlyUsdHa : s.hourlyUsdNoHa) * MONTH_HOURS));
  },
  gcp(d: Deployment): number {
    const cat = gcpCatalog();
    const replicas = d.plan.topology.replicasPerShard;
    let best = Infinity;
    if (d.plan.topology.mode !== 'cluster') {
      const r = cat.memorystoreRedis;
      for (let gb = r.minGb; gb <= r.maxGb; gb++) {
        const tier = r.tiers.find((t) => gb >= t.minGb && gb <= t.maxGb)!;
        if (
          gb * USABLE_MEMORY.gcp.value * GB < dataNeed(d) ||
          tier.maxClients < d.plan.connections.expectedClients
        )
          continue;
        if (replicas > 1 && gb < 5) continue;
        const price =
          replicas > 0
            ? tier.standardGbHourUsd * gb + (replicas - 1) * tier.readReplicaGbHourUsd * gb
            : tier.basicGbHourUsd * gb;
        best = Math.min(best, price * MONTH_HOURS);
      }
      return best;
    }
    const c = cat.memorystoreCluster;
    for (const n of c.nodeTypes) {
      if (n.vcpu < 1 && d.policy.profile === 'production') continue;
      if (n.maxClients < d.plan.connections.expectedClients) continue;
      for (let s = d.plan.topology.shards; s <= c.maxShards; s++) {
        if (n.memoryGb * USABLE_MEMORY.gcp.value * GB * s < dataNeed(d)) continue;
        best = Math.min(best, n.hourlyUsd * s * (1 + replicas) * MONTH_HOURS);
      }
    }
    return best;
  },
};

describe('the choice is the cheapest fitting option (brute force over the catalog)', () => {
  test.each(Object.keys(bruteForce) as Array<keyof typeof bruteForce>)('%s', (platform) => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3_000_000 }),
        fc.integer({ min: 1, max: 5_000 }),
        fc.constantFrom<Topology>('cluster', 'replication'),
        fc.constantFrom('production', 'development'),
        (devices, concurrent, topology, profile) => {
          const d = deployment(devices, concurrent, topology, profile);
          const c = d.plan.choices[platform];
          const expected = bruteForce[platform](d);
          if (!Number.isFinite(expected)) {
            expect(c.available).toBe(false);
            return;
          }
          expect(c.monthlyCostUsd).toBeCloseTo(expected, 1);
        },
      ),
      { numRuns: 40 },
    );
  });
});
