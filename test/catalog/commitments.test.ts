import {
  COMMIT_TERM_HOURS,
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  committedRates,
  effectiveHourlyUsd,
  gcpCatalog,
  notOfferedReason,
  onDemandHourlyUsd,
  serverlessPricing,
  validateCatalog,
  type CatalogName,
  type CommitUnit,
  type CommittedRate,
} from '../../lib/catalog';
import { SpecError } from '../../lib/errors';
import awsRaw from '../../lib/catalog/data/aws-elasticache.json';
import gcpRaw from '../../lib/catalog/data/gcp-memorystore.json';
import azurePremiumRaw from '../../lib/catalog/data/azure-premium.json';
import azureManagedRaw from '../../lib/catalog/data/azure-managed.json';

/** A deep copy of raw catalog data that a test may break freely. */
function copy<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}

/** The SpecError thrown by fn (fails the test when fn does not throw one). */
function specErrorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError, nothing was thrown');
}

/** Raw catalog JSON that a fixture breaks on purpose, so it cannot keep the typed shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Raw = any;

const PAYMENTS = ['no-upfront', 'partial-upfront', 'all-upfront'] as const;

/** Every unit the catalogs price, each with its on-demand price in the unit its commitments use. */
function allUnits(): Array<{ unit: CommitUnit; onDemand: number }> {
  const aws = awsCatalog().nodeTypes.flatMap((n) =>
    (['redis', 'valkey'] as const).map((engine) => ({
      unit: { platform: 'aws' as const, nodeType: n.type, engine },
      onDemand: n.hourlyUsd[engine],
    })),
  );
  const gcpRedis = gcpCatalog().memorystoreRedis.tiers.flatMap((t) => [
    {
      unit: { platform: 'gcp-redis' as const, tier: t.name, kind: 'basic' as const },
      onDemand: t.basicGbHourUsd,
    },
    {
      unit: { platform: 'gcp-redis' as const, tier: t.name, kind: 'standard' as const },
      onDemand: t.standardGbHourUsd,
    },
    {
      unit: { platform: 'gcp-redis' as const, tier: t.name, kind: 'readReplica' as const },
      onDemand: t.readReplicaGbHourUsd,
    },
  ]);
  const gcpCluster = gcpCatalog().memorystoreCluster.nodeTypes.map((n) => ({
    unit: { platform: 'gcp-cluster' as const, nodeType: n.type },
    onDemand: n.hourlyUsd,
  }));
  const premium = azurePremiumCatalog().skus.map((s) => ({
    unit: { platform: 'azure-premium' as const, sku: s.name },
    onDemand: s.monthlyUsdPerShard / 730,
  }));
  const managed = azureManagedCatalog().skus.flatMap((s) => [
    { unit: { platform: 'azure-managed' as const, sku: s.name, ha: true }, onDemand: s.hourlyUsdHa },
    { unit: { platform: 'azure-managed' as const, sku: s.name, ha: false }, onDemand: s.hourlyUsdNoHa },
  ]);
  return [...aws, ...gcpRedis, ...gcpCluster, ...premium, ...managed];
}

/** The cheapest effective price of a term, or undefined when the term is not offered. */
function best(rates: CommittedRate[], term: '1y' | '3y'): number | undefined {
  const effs = rates.filter((r) => r.term === term).map((r) => r.effectiveHourlyUsd);
  return effs.length ? Math.min(...effs) : undefined;
}

describe('committed rates cover every unit of every catalog', () => {
  const units = allUnits();

  it('iterates the catalogs, not a hand-written list', () => {
    expect(units.length).toBe(
      awsCatalog().nodeTypes.length * 2 +
        gcpCatalog().memorystoreRedis.tiers.length * 3 +
        gcpCatalog().memorystoreCluster.nodeTypes.length +
        azurePremiumCatalog().skus.length +
        azureManagedCatalog().skus.length * 2,
    );
  });

  it.each(units.map((u) => [JSON.stringify(u.unit), u] as const))(
    '%s: rates or a reason; effective = upfront / term hours + hourly; 3y <= 1y <= on-demand',
    (_label, { unit, onDemand }) => {
      const rates = committedRates(unit);
      expect(onDemandHourlyUsd(unit)).toBeCloseTo(onDemand, 12);
      if (rates.length === 0) {
        // Not offered: the catalog says why, with a source behind it.
        expect(notOfferedReason(unit)).toMatch(/\w{3,}/);
        return;
      }
      expect(notOfferedReason(unit)).toBeUndefined();
      expect(new Set(rates.map((r) => r.term))).toEqual(new Set(['1y', '3y']));
      for (const r of rates) {
        expect(['published', 'derived']).toContain(r.basis);
        expect(r.effectiveHourlyUsd).toBeCloseTo(r.upfrontUsd / COMMIT_TERM_HOURS[r.term] + r.hourlyUsd, 12);
        expect(r.effectiveHourlyUsd).toBeGreaterThan(0);
        expect(r.effectiveHourlyUsd).toBeLessThanOrEqual(onDemand);
        expect(r.source.url).toMatch(/^https:\/\//);
        expect(r.source.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
      for (const payment of PAYMENTS) {
        const one = rates.find((r) => r.term === '1y' && r.payment === payment);
        const three = rates.find((r) => r.term === '3y' && r.payment === payment);
        if (one && three) expect(three.effectiveHourlyUsd).toBeLessThanOrEqual(one.effectiveHourlyUsd);
      }
      const b1 = best(rates, '1y');
      const b3 = best(rates, '3y');
      if (b1 !== undefined && b3 !== undefined) expect(b3).toBeLessThanOrEqual(b1);
    },
  );

  it('AWS offers all three payment options for both terms on every node type and engine', () => {
    for (const { unit } of units.filter((u) => u.unit.platform === 'aws')) {
      const offered = committedRates(unit).map((r) => `${r.term} ${r.payment}`);
      expect(offered.sort()).toEqual(['1y', '3y'].flatMap((t) => PAYMENTS.map((p) => `${t} ${p}`)).sort());
    }
  });

  it('Valkey reservations cost 80% of the Redis OSS ones, as the recorded AWS offer shows', () => {
    for (const n of awsCatalog().nodeTypes) {
      const redis = committedRates({ platform: 'aws', nodeType: n.type, engine: 'redis' });
      const valkey = committedRates({ platform: 'aws', nodeType: n.type, engine: 'valkey' });
      redis.forEach((r, i) => {
        expect(valkey[i].effectiveHourlyUsd).toBeCloseTo(r.effectiveHourlyUsd * 0.8, 3);
      });
    }
  });

  it('effectiveHourlyUsd spreads the upfront over 8760 or 26280 hours', () => {
    expect(effectiveHourlyUsd({ term: '1y', upfrontUsd: 876, hourlyUsd: 0.1 })).toBeCloseTo(0.2, 12);
    expect(effectiveHourlyUsd({ term: '3y', upfrontUsd: 2628, hourlyUsd: 0 })).toBeCloseTo(0.1, 12);
  });

  it('GCP CUDs are 20% (1y) and 40% (3y) off on-demand, hourly with nothing upfront, never on M1', () => {
    for (const { unit, onDemand } of units.filter((u) => u.unit.platform.startsWith('gcp'))) {
      const rates = committedRates(unit);
      if (unit.platform === 'gcp-redis' && unit.tier === 'M1') {
        expect(rates).toEqual([]);
        expect(notOfferedReason(unit)).toMatch(/M1/);
        continue;
      }
      expect(rates.map((r) => [r.term, r.payment, r.upfrontUsd])).toEqual([
        ['1y', 'no-upfront', 0],
        ['3y', 'no-upfront', 0],
      ]);
      expect(rates[0].hourlyUsd).toBeCloseTo(onDemand * 0.8, 12);
      expect(rates[1].hourlyUsd).toBeCloseTo(onDemand * 0.6, 12);
      expect(rates.every((r) => r.basis === 'published')).toBe(true);
    }
  });

  it('Azure: monthly (no-upfront) and upfront cost the same over the term; Balanced has none in East US', () => {
    for (const { unit } of units.filter((u) => u.unit.platform.startsWith('azure'))) {
      const rates = committedRates(unit);
      if (unit.platform === 'azure-managed' && unit.sku.startsWith('Balanced_')) {
        expect(rates).toEqual([]);
        expect(notOfferedReason(unit)).toMatch(/Balanced/);
        continue;
      }
      for (const term of ['1y', '3y'] as const) {
        const monthly = rates.find((r) => r.term === term && r.payment === 'no-upfront');
        const upfront = rates.find((r) => r.term === term && r.payment === 'all-upfront');
        expect(monthly?.effectiveHourlyUsd).toBeCloseTo(upfront?.effectiveHourlyUsd ?? NaN, 5);
      }
    }
  });

  it('Azure Premium P1, P2, P5 are the recorded East US reservation prices (2 nodes per shard)', () => {
    const allUpfront = (sku: string, term: '1y' | '3y') =>
      committedRates({ platform: 'azure-premium', sku }).find(
        (r) => r.term === term && r.payment === 'all-upfront',
      );
    expect(allUpfront('P1', '1y')).toMatchObject({ upfrontUsd: 2 * 1553, basis: 'published' });
    expect(allUpfront('P1', '3y')).toMatchObject({ upfrontUsd: 2 * 3276, basis: 'published' });
    expect(allUpfront('P5', '3y')).toMatchObject({ upfrontUsd: 2 * 59426, basis: 'published' });
    expect(allUpfront('P3', '1y')?.basis).toBe('derived');
  });

  it('Azure Managed Redis with HA reserves two nodes: twice the price without HA', () => {
    for (const s of azureManagedCatalog().skus.filter((k) => k.family === 'MemoryOptimized')) {
      const ha = committedRates({ platform: 'azure-managed', sku: s.name, ha: true });
      const single = committedRates({ platform: 'azure-managed', sku: s.name, ha: false });
      ha.forEach((r, i) => expect(r.upfrontUsd).toBe(2 * single[i].upfrontUsd));
    }
  });

  it.each([
    [{ platform: 'gcp-redis', tier: 'M9', kind: 'basic' }, 'commitUnit.tier', 'M5'],
    [{ platform: 'gcp-cluster', nodeType: 'REDIS_HUGE' }, 'commitUnit.nodeType', 'REDIS_HIGHMEM_MEDIUM'],
    [{ platform: 'azure-premium', sku: 'P9' }, 'commitUnit.sku', 'P1'],
    [{ platform: 'azure-managed', sku: 'MemoryOptimized_M99', ha: true }, 'commitUnit.sku', 'Balanced_B5'],
    [{ platform: 'gcp-redis', tier: 'M2', kind: 'premium' }, 'commitUnit.kind', 'readReplica'],
    [{ platform: 'oracle' }, 'commitUnit.platform', 'azure-managed'],
  ])('unknown unit %j is a SpecError naming %s and the known units', (unit, field, known) => {
    const e = specErrorOf(() => committedRates(unit as unknown as CommitUnit));
    expect(e.message).toContain(field);
    expect(e.message).toContain(known);
  });

  it('an unknown unit is a SpecError naming it', () => {
    const e = specErrorOf(() =>
      committedRates({ platform: 'aws', nodeType: 'cache.r9z.huge', engine: 'redis' }),
    );
    expect(e.message).toContain('cache.r9z.huge');
    expect(e.message).toContain('commitUnit.nodeType');
    expect(e.message).toContain('cache.r7g.large');
  });
});

describe('ElastiCache Serverless pricing', () => {
  it.each(['redis', 'valkey'] as const)('%s has rates, a minimum, limits and sources', (engine) => {
    const p = serverlessPricing(engine);
    expect(p.engine).toBe(engine);
    expect(p.dataGbHourUsd).toBeGreaterThan(0);
    expect(p.ecpuPerMillionUsd).toBeGreaterThan(0);
    expect(p.minimumDataGb).toBeGreaterThan(0);
    expect(p.maxDataGb).toBe(5000);
    expect(p.maxEcpuPerSecond).toBe(15_000_000);
    expect(p.ecpuPerKb).toBe(1);
    expect(p.source.url).toMatch(/^https:\/\//);
    expect(p.limitsSource.url).toMatch(/^https:\/\//);
  });

  it('Valkey is cheaper than Redis OSS and bills a smaller minimum (100 MB vs 1 GB)', () => {
    const r = serverlessPricing('redis');
    const v = serverlessPricing('valkey');
    expect(v.dataGbHourUsd).toBeLessThan(r.dataGbHourUsd);
    expect(v.ecpuPerMillionUsd).toBeLessThan(r.ecpuPerMillionUsd);
    expect(r.minimumDataGb).toBe(1);
    expect(v.minimumDataGb).toBe(0.1);
  });
});

describe('broken commitment data is rejected naming the field', () => {
  type AwsRaw = typeof awsRaw;
  const cases: Array<[string, (d: AwsRaw) => void, RegExp]> = [
    [
      'a 3y price above the 1y one',
      (d) => {
        d.reservedNodes.offerings[0].rates[3].hourlyUsd = 0.015;
      },
      /reservedNodes\.offerings\.0\.rates\.3\.hourlyUsd: got 0\.015; expected the 3y no-upfront effective price .* at most the 1y one/,
    ],
    [
      'a reservation dearer than on-demand',
      (d) => {
        d.reservedNodes.offerings[0].rates[0].hourlyUsd = 0.02;
      },
      /reservedNodes\.offerings\.0\.rates\.0\.hourlyUsd: got 0\.02; expected an effective price .* at most on-demand \(0\.016\/h\)/,
    ],
    [
      'a negative upfront',
      (d) => {
        d.reservedNodes.offerings[2].rates[1].upfrontUsd = -5;
      },
      /reservedNodes\.offerings\.2\.rates\.1\.upfrontUsd: got -5; expected the upfront USD per unit as a number >= 0/,
    ],
    [
      'a missing source',
      (d) => {
        delete (d.reservedNodes as Partial<AwsRaw['reservedNodes']>).source;
      },
      /reservedNodes\.source: got nothing \(the field is missing\)/,
    ],
    [
      'an unknown node type',
      (d) => {
        d.reservedNodes.offerings[5].nodeType = 'cache.r9z.large';
      },
      /reservedNodes\.offerings\.5\.nodeType: got "cache\.r9z\.large"; expected a unit the catalog lists/,
    ],
    [
      'a node type without an offering',
      (d) => {
        d.reservedNodes.offerings.splice(1, 1);
      },
      /reservedNodes\.offerings: .*expected an offering \(rates or a notOffered record\) for cache\.t4g\.micro valkey/,
    ],
    [
      'no rates and no reason',
      (d) => {
        d.reservedNodes.offerings[0].rates = [];
      },
      /reservedNodes\.offerings\.0\.notOffered: got nothing .*; expected rates, or notOffered saying why/,
    ],
    [
      'an upfront on a no-upfront rate',
      (d) => {
        d.reservedNodes.offerings[0].rates[0].upfrontUsd = 10;
      },
      /reservedNodes\.offerings\.0\.rates\.0\.upfrontUsd: got 10; expected 0 for a no-upfront rate/,
    ],
    [
      'an unknown term',
      (d) => {
        (d.reservedNodes.offerings[0].rates[0] as { term: string }).term = '5y';
      },
      /reservedNodes\.offerings\.0\.rates\.0\.term: got "5y"; expected the term: 1y or 3y/,
    ],
    [
      'the same option twice',
      (d) => {
        d.reservedNodes.offerings[0].rates[1] = copy(d.reservedNodes.offerings[0].rates[0]);
      },
      /reservedNodes\.offerings\.0\.rates\.1\.payment: got "no-upfront"; duplicate 1y no-upfront rate/,
    ],
    [
      'a serverless rate of 0',
      (d) => {
        d.serverless.engines.valkey.ecpuPerMillionUsd = 0;
      },
      /serverless\.engines\.valkey\.ecpuPerMillionUsd: got 0; expected the USD per million ECPUs as a number > 0/,
    ],
    [
      'serverless Valkey dearer than Redis OSS',
      (d) => {
        d.serverless.engines.valkey.dataGbHourUsd = 0.2;
      },
      /serverless\.engines\.valkey\.dataGbHourUsd: got 0\.2; expected the Valkey rate at most the Redis OSS rate/,
    ],
    [
      'serverless limits copied back next to the prices (they live in aws-serverless.json)',
      (d) => {
        (d.serverless as Record<string, unknown>).limits = { maxDataGb: 5000, maxEcpuPerSecond: 15e6 };
      },
      /serverless.*limits/,
    ],
  ];

  it.each(cases)('%s', (_name, breakIt, expected) => {
    const data = copy(awsRaw);
    breakIt(data);
    const e = specErrorOf(() => validateCatalog('aws-elasticache', data));
    expect(e.message).toMatch(/^lib\/catalog\/data\/aws-elasticache\.json: /);
    expect(e.message).toMatch(expected);
  });

  it('valid but unusual data passes: a unit with no reservation (and its reason), digits in names', () => {
    const data = copy(awsRaw);
    const offering = data.reservedNodes.offerings[0] as { rates: unknown[]; notOffered?: string };
    offering.rates = [];
    offering.notOffered = 'AWS sells no reserved nodes for this node type (example)';
    const cat = validateCatalog('aws-elasticache', data);
    expect(cat.reservedNodes.offerings[0].rates).toEqual([]);
    // Node types with digits in every part (cache.r6gd.16xlarge) and all payment options present.
    const r6gd = cat.reservedNodes.offerings.find((o) => o.nodeType === 'cache.r6gd.16xlarge');
    expect(r6gd?.rates.map((r) => r.payment)).toEqual(expect.arrayContaining([...PAYMENTS]));
  });
});

describe('broken GCP and Azure commitment data is rejected naming the field', () => {
  const cases: Array<[CatalogName, string, (d: Raw) => void, RegExp]> = [
    [
      'gcp-memorystore',
      'a 3y discount below the 1y one',
      (d) => {
        d.committedUse.memorystoreRedis.discounts[1].percent = 10;
      },
      /committedUse\.memorystoreRedis\.discounts\.1\.percent: got 10; expected the 3y discount at least the 1y discount/,
    ],
    [
      'gcp-memorystore',
      'a discount of 100%',
      (d) => {
        d.committedUse.memorystoreCluster.discounts[0].percent = 100;
      },
      /committedUse\.memorystoreCluster\.discounts\.0\.percent: got 100; expected the discount as a percentage above 0 and below 100/,
    ],
    [
      'gcp-memorystore',
      'an exclusion naming an unknown tier',
      (d) => {
        d.committedUse.memorystoreRedis.notEligible[0].unit = 'M7';
      },
      /committedUse\.memorystoreRedis\.notEligible\.0\.unit: got "M7"; expected a unit the catalog lists \(M1, M2/,
    ],
    [
      'gcp-memorystore',
      'a missing CUD source',
      (d) => {
        delete d.committedUse.memorystoreCluster.source;
      },
      /committedUse\.memorystoreCluster\.source: got nothing/,
    ],
    [
      'azure-premium',
      'a size without a reservation offering',
      (d) => {
        d.reservations.offerings.splice(2, 1);
      },
      /reservations\.offerings: .*expected an offering \(rates or a notOffered record\) for P3/,
    ],
    [
      'azure-premium',
      'a reservation above pay-as-you-go',
      (d) => {
        d.reservations.offerings[0].rates[1].upfrontUsd = 9000;
      },
      /reservations\.offerings\.0\.rates\.1\.upfrontUsd: got 9000; expected an effective price .* at most on-demand/,
    ],
    [
      'azure-premium',
      'a 3y reservation dearer than the 1y one',
      (d) => {
        d.reservations.offerings[0].rates[3].upfrontUsd = 9500;
      },
      /reservations\.offerings\.0\.rates\.3\.upfrontUsd: got 9500; expected the 3y all-upfront effective price .* at most the 1y one/,
    ],
    [
      'azure-managed',
      'a SKU without its non-HA offering',
      (d) => {
        d.reservations.offerings = d.reservations.offerings.filter(
          (o: { sku: string; ha: boolean }) => !(o.sku === 'MemoryOptimized_M20' && !o.ha),
        );
      },
      /reservations\.offerings: .*expected an offering \(rates or a notOffered record\) for MemoryOptimized_M20 no-ha/,
    ],
    [
      'azure-managed',
      'a negative upfront',
      (d) => {
        const i = d.reservations.offerings.findIndex((o: { sku: string }) => o.sku === 'MemoryOptimized_M10');
        d.reservations.offerings[i].rates[1].upfrontUsd = -1;
      },
      /reservations\.offerings\.\d+\.rates\.1\.upfrontUsd: got -1; expected the upfront USD per unit as a number >= 0/,
    ],
    [
      'azure-managed',
      'an unknown basis',
      (d) => {
        d.reservations.basis = 'guessed';
      },
      /reservations\.basis: got "guessed"; expected published or derived/,
    ],
  ];
  const raw: Record<string, unknown> = {
    'gcp-memorystore': gcpRaw,
    'azure-premium': azurePremiumRaw,
    'azure-managed': azureManagedRaw,
  };

  it.each(cases)('%s: %s', (catalog, _name, breakIt, expected) => {
    const data = copy(raw[catalog]) as Raw;
    breakIt(data);
    const e = specErrorOf(() => validateCatalog(catalog, data));
    expect(e.message).toMatch(new RegExp(`^lib/catalog/data/${catalog}\\.json: `));
    expect(e.message).toMatch(expected);
  });

  it('valid but unusual data passes: no exclusions at all, a SKU with no reservation, every option', () => {
    const gcp = copy(gcpRaw) as Raw;
    gcp.committedUse.memorystoreRedis.notEligible = [];
    expect(validateCatalog('gcp-memorystore', gcp).committedUse.memorystoreRedis.notEligible).toEqual([]);

    const managed = copy(azureManagedRaw) as Raw;
    const m150 = managed.reservations.offerings.find(
      (o: { sku: string; ha: boolean }) => o.sku === 'MemoryOptimized_M150' && o.ha,
    );
    m150.rates = [];
    m150.notOffered = 'no reservation for preview sizes (example)';
    expect(validateCatalog('azure-managed', managed).reservations.offerings).toContainEqual(
      expect.objectContaining({ sku: 'MemoryOptimized_M150', ha: true, rates: [] }),
    );

    // A partial-upfront option added beside monthly and upfront (Azure sells none, the schema allows it).
    const premium = copy(azurePremiumRaw) as Raw;
    premium.reservations.offerings[0].rates.push({
      term: '1y',
      payment: 'partial-upfront',
      upfrontUsd: 1000,
      hourlyUsd: 0.2,
    });
    expect(validateCatalog('azure-premium', premium).reservations.offerings[0].rates).toHaveLength(5);
  });
});
