import {
  COMMIT_TERM_HOURS,
  awsCatalog,
  committedRates,
  effectiveHourlyUsd,
  serverlessPricing,
  validateCatalog,
  type CommitUnit,
  type CommittedRate,
} from '../../lib/catalog';
import { SpecError } from '../../lib/errors';
import awsRaw from '../../lib/catalog/data/aws-elasticache.json';

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

const PAYMENTS = ['no-upfront', 'partial-upfront', 'all-upfront'] as const;

/** Every unit the catalogs price, each with its on-demand price in the unit its commitments use. */
function allUnits(): Array<{ unit: CommitUnit; onDemand: number }> {
  return awsCatalog().nodeTypes.flatMap((n) =>
    (['redis', 'valkey'] as const).map((engine) => ({
      unit: { platform: 'aws' as const, nodeType: n.type, engine },
      onDemand: n.hourlyUsd[engine],
    })),
  );
}

/** The cheapest effective price of a term, or undefined when the term is not offered. */
function best(rates: CommittedRate[], term: '1y' | '3y'): number | undefined {
  const effs = rates.filter((r) => r.term === term).map((r) => r.effectiveHourlyUsd);
  return effs.length ? Math.min(...effs) : undefined;
}

describe('committed rates cover every unit of every catalog', () => {
  const units = allUnits();

  it('iterates the catalogs, not a hand-written list', () => {
    expect(units.length).toBe(awsCatalog().nodeTypes.length * 2);
  });

  it.each(units.map((u) => [JSON.stringify(u.unit), u] as const))(
    '%s: rates offered, effective = upfront / term hours + hourly, 3y <= 1y <= on-demand',
    (_label, { unit, onDemand }) => {
      const rates = committedRates(unit);
      expect(rates.length).toBeGreaterThan(0);
      for (const r of rates) {
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
    for (const { unit } of units) {
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
