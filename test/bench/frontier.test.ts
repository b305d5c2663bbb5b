/**
 * The cost-frontier bench's brute force on a tiny catalog whose answers are worked out by hand, and
 * its comparison flagging a planner figure that is off.
 */
import { awsCatalog } from '../../lib/catalog';
import type { CommittedRate, CommitUnit, ServerlessPricing } from '../../lib/catalog/commitments';
import type { AwsNodeType } from '../../lib/catalog/types';
import {
  bruteForce,
  bruteForceTerm,
  realCatalogs,
  type BruteCatalogs,
  type Mode,
  type Need,
} from '../../bench/brute';
import { bruteForceServerless, compareFrontier, summarizeFrontier } from '../../bench/frontier';
import { compare, productionDeployment, referenceSizings } from '../../bench/sizing';
import { PLATFORM_IDS } from '../../lib/planner/types';
import type { Deployment } from '../../lib/deployment';
import { GB } from '../../lib/planner/assumptions';

const src = { url: 'https://example.com/tiny', retrieved: '2026-12-01' };
const node = (
  type: string,
  memoryGib: number,
  hourly: number,
  extra: Partial<AwsNodeType> = {},
): AwsNodeType => ({
  ...awsCatalog().nodeTypes[0],
  type,
  memoryGib,
  hourlyUsd: { redis: hourly, valkey: hourly },
  burstable: false,
  ssdGib: 0,
  ...extra,
});
const rate = (
  term: '1y' | '3y',
  payment: CommittedRate['payment'],
  upfrontUsd: number,
  hourlyUsd: number,
): CommittedRate => ({
  term,
  payment,
  upfrontUsd,
  hourlyUsd,
  effectiveHourlyUsd: hourlyUsd + upfrontUsd / (term === '1y' ? 8760 : 26280),
  source: src,
  basis: 'published',
});

/**
 * Two usable node types and a cheaper data-tiering one the production rules exclude. The small
 * node is the on-demand answer; on a 1-year term the large node is cheaper (its all-upfront rate);
 * only the small node has a 3-year rate.
 */
const RATES: Record<string, CommittedRate[]> = {
  'cache.x1.small': [
    rate('1y', 'no-upfront', 0, 0.07),
    rate('1y', 'all-upfront', 438, 0),
    rate('3y', 'partial-upfront', 394.2, 0.015),
  ],
  'cache.x1.large': [rate('1y', 'all-upfront', 350.4, 0)],
  'cache.x1.ssd': [rate('1y', 'all-upfront', 8.76, 0), rate('3y', 'all-upfront', 8.76, 0)],
};

const serverless: ServerlessPricing = {
  engine: 'redis',
  dataGbHourUsd: 0.1,
  ecpuPerMillionUsd: 2,
  minimumDataGb: 1,
  maxDataGb: 10,
  maxEcpuPerSecond: 1000,
  ecpuPerKb: 1,
  source: src,
  limitsSource: src,
};

const real = realCatalogs();
const tiny: BruteCatalogs = {
  ...real,
  aws: {
    ...real.aws,
    reservedMemoryPercent: 25,
    nodeTypes: [
      node('cache.x1.small', 2, 0.1),
      node('cache.x1.large', 8, 0.3),
      node('cache.x1.ssd', 8, 0.01, { ssdGib: 32 }),
    ],
  },
  committedRates: (u: CommitUnit) => (u.platform === 'aws' ? (RATES[u.nodeType] ?? []) : []),
  serverlessPricing: () => serverless,
};

const need: Need = {
  dataBytes: 1 * GB,
  cluster: false,
  minShards: 1,
  replicasPerShard: 1,
  clients: 100,
  production: true,
  engine: 'redis',
  peakOps: 1000,
};

/** The brute force's monthly figure in one mode (undefined: nothing fits or is offered). */
const bruteForceMode = (n: Need, platform: 'aws', mode: Mode, cats: BruteCatalogs) =>
  bruteForce(n, platform, mode, cats)?.monthlyUsd;

describe('brute force on a tiny catalog', () => {
  test('on-demand: the small node (2 GiB x 75% = 1.61 GB holds 1 GB), 2 nodes x $0.10 x 730 h', () => {
    expect(bruteForceMode(need, 'aws', 'on-demand', tiny)).toBeCloseTo(146, 6);
  });

  test('1 year: every payment option of every node; the large node all-upfront wins ($0.04/h effective)', () => {
    expect(bruteForceMode(need, 'aws', { term: '1y', payment: 'no-upfront' }, tiny)).toBeCloseTo(
      0.07 * 2 * 730,
      6,
    );
    expect(bruteForceTerm(need, 'aws', '1y', tiny)).toEqual({
      monthly: expect.closeTo(0.04 * 2 * 730, 6),
      payment: 'all-upfront',
    });
  });

  test('3 years: only the small node offers it; a payment option nobody offers prices nothing', () => {
    expect(bruteForceTerm(need, 'aws', '3y', tiny)).toEqual({
      monthly: expect.closeTo(0.03 * 2 * 730, 6),
      payment: 'partial-upfront',
    });
    expect(bruteForceMode(need, 'aws', { term: '3y', payment: 'no-upfront' }, tiny)).toBeUndefined();
  });

  test('a need no node holds has no answer in any mode', () => {
    const big = { ...need, dataBytes: 100 * GB };
    expect(bruteForceMode(big, 'aws', 'on-demand', tiny)).toBeUndefined();
    expect(bruteForceTerm(big, 'aws', '1y', tiny)).toBeUndefined();
  });

  test('a cluster need tries every shard count from the minimum', () => {
    const cluster = { ...need, cluster: true, minShards: 3, dataBytes: 12 * GB };
    // 12 GB over 3 shards needs 4 GB per shard: large nodes; over 8 shards 1.5 GB fits the small ones.
    const small8 = 8 * 2 * 0.1 * 730;
    const large3 = 3 * 2 * 0.3 * 730;
    expect(bruteForceMode(cluster, 'aws', 'on-demand', tiny)).toBeCloseTo(Math.min(small8, large3), 6);
  });

  test('serverless: the 1 GB minimum and 2 KB requests at 2 ECPU each, and the ECPU/s limit', () => {
    const n = {
      engine: 'redis' as const,
      neededBytes: 0.5 * GB,
      peakOps: 100,
      datasetBytes: 20480,
      datasetKeys: 10,
    };
    const s = bruteForceServerless(n, tiny);
    expect(s.monthly).toBeCloseTo(1 * 0.1 * 730 + ((100 * 2 * 3600 * 730) / 1e6) * 2, 6);
    expect(s.withinLimits).toBe(true);
    expect(bruteForceServerless({ ...n, peakOps: 600 }, tiny).withinLimits).toBe(false);
    expect(bruteForceServerless({ ...n, neededBytes: 11 * GB }, tiny).withinLimits).toBe(false);
  });
});

describe('compareFrontier', () => {
  const d = productionDeployment('devices', 100000);

  /** The deployment with the AWS frontier changed. */
  function withAws(
    change: (f: NonNullable<Deployment['plan']['choices']['aws']['frontier']>) => void,
  ): Deployment {
    const f = structuredClone(d.plan.choices.aws.frontier!);
    change(f);
    const aws = { ...d.plan.choices.aws, frontier: f };
    return { ...d, plan: { ...d.plan, choices: { ...d.plan.choices, aws } } };
  }

  test('the planner agrees with the brute force on the real catalogs', () => {
    const rows = ['aws', 'gcp', 'kubernetes'].map((p) => compareFrontier(d, p as 'aws'));
    expect(rows.map((r) => r.agrees)).toEqual([true, true, true]);
    expect(rows[0].ratios).toEqual({ onDemand: 1, '1y': 1, '3y': 1, serverless: 1 });
  });

  test("its on-demand column is the sizing section's brute force (one search, shared)", () => {
    const ref = referenceSizings(1).find((r) => r.kind === 'devices' && r.size === 100000)!;
    for (const p of PLATFORM_IDS) {
      const sized = compare(d, ref, p).bruteForce!.monthlyUsd;
      expect(compareFrontier(d, p).bruteForce.onDemand).toBe(Math.round(sized * 100) / 100);
    }
  });

  test('Kubernetes has no committed price in the brute force, even where a catalog had rates', () => {
    const anyRate: BruteCatalogs = { ...tiny, committedRates: () => RATES['cache.x1.small'] };
    const k8s = { ...need, cluster: true, minShards: 1 };
    expect(bruteForce(k8s, 'kubernetes', 'on-demand', anyRate)).toBeDefined();
    expect(bruteForce(k8s, 'kubernetes', { term: '1y', payment: 'all-upfront' }, anyRate)).toBeUndefined();
  });

  test('an on-demand figure 5% off is flagged (bad fixture)', () => {
    const r = compareFrontier(
      withAws((f) => {
        f.onDemandMonthlyUsd = f.onDemandMonthlyUsd! * 1.05;
      }),
      'aws',
    );
    expect(r.agrees).toBe(false);
    expect(r.ratios.onDemand).toBe(1.05);
  });

  test('a committed figure 10% off is flagged, with its ratio', () => {
    const r = compareFrontier(
      withAws((f) => {
        f.committed['3y']!.monthlyCostUsd *= 1.1;
      }),
      'aws',
    );
    expect(r.agrees).toBe(false);
    expect(r.ratios['3y']).toBe(1.1);
  });

  test('a missing term, a wrong serverless figure or a wrong cheapest basis is flagged', () => {
    expect(
      compareFrontier(
        withAws((f) => (f.committed['1y'] = null)),
        'aws',
      ).agrees,
    ).toBe(false);
    expect(
      compareFrontier(
        withAws((f) => {
          f.serverless!.monthlyCostUsd += 1;
        }),
        'aws',
      ).agrees,
    ).toBe(false);
    expect(
      compareFrontier(
        withAws((f) => (f.cheapest = { ...f.cheapest!, basis: 'on-demand' })),
        'aws',
      ).agrees,
    ).toBe(false);
  });

  test('summary counts agreement and the cheapest bases', () => {
    const ok = { kind: 'devices' as const, size: 1, ...compareFrontier(d, 'aws') };
    const bad = { ...ok, agrees: false };
    const m = summarizeFrontier([ok, bad]);
    expect(m).toMatchObject({ rows: 2, agree: 1, committedOffered: 2, serverlessPriced: 2 });
    expect(m.cheapest[ok.planner.cheapest!]).toBe(2);
  });
});
