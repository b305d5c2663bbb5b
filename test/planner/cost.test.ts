/**
 * The cost frontier: serverless from the catalog formula, committed terms at their best payment
 * option, the break-even month, the spec's commitment and the AWS serverless flavor as the chosen cost.
 * Expected figures are computed here from the catalog accessors, never typed in.
 */
import { awsCatalog } from '../../lib/catalog';
import { committedRates, serverlessPricing } from '../../lib/catalog/commitments';
import { fromSpec, type Deployment } from '../../lib/deployment';
import { SERVERLESS } from '../../lib/planner/assumptions';
import { breakEvenMonth, combineRates, committedCost, serverlessCost } from '../../lib/planner/cost';
import { plan, requireChoice } from '../../lib/planner/plan';
import { PLATFORM_IDS } from '../../lib/planner/types';
import { validateSpec } from '../../lib/spec/load';
import { SpecError } from '../../lib/errors';
import { specError } from '../helpers';
import { usd } from '../../lib/numbers';

const AWS_TARGET = {
  vpcId: 'vpc-0123456789abcdef0',
  subnetIds: ['subnet-0123456789abcdef0'],
};

function deploy(extra: Record<string, unknown>, profile = 'production'): Deployment {
  return fromSpec(validateSpec({ name: 'cost-1', profile, ...extra }));
}

/** The serverless monthly figure by the catalog formula, from the plan's need and the catalog's prices. */
function expectedServerless(d: Deployment, region: string): number {
  const p = serverlessPricing(d.policy.engine);
  const mult = awsCatalog().regions[region].priceMultiplier;
  const needGb = (d.plan.sizing?.derivedNeededBytes ?? d.plan.memory.neededBytes) / 1e9;
  const gb = Math.max(p.minimumDataGb, needGb);
  const requestKb = d.plan.dataset.bytes / d.plan.dataset.keys / SERVERLESS.kilobyte.value;
  const ecpuPerRequest = Math.max(1, requestKb * p.ecpuPerKb);
  const ecpuPerMonth = d.plan.throughput.peakOpsPerSecond * ecpuPerRequest * 3600 * 730;
  return (gb * p.dataGbHourUsd * 730 + (ecpuPerMonth / 1e6) * p.ecpuPerMillionUsd) * mult;
}

describe('ElastiCache Serverless follows the catalog formula', () => {
  test.each([
    ['redis, stated dataset, us-east-1', { datasetGb: 3, peakOpsPerSecond: 12_000 }, 'redis', 'us-east-1'],
    ['valkey, devices (mixed item sizes), eu-central-1', { devices: 50_000 }, 'valkey', 'eu-central-1'],
    [
      'redis, tiny dataset below the minimum',
      { datasetGb: 0.01, peakOpsPerSecond: 100 },
      'redis',
      'us-east-1',
    ],
  ])('%s', (_name, workload, engine, region) => {
    const d = deploy({ engine, workload, targets: { aws: { region, ...AWS_TARGET } } });
    const s = d.plan.choices.aws.frontier!.serverless!;
    expect(s.monthlyCostUsd).toBeCloseTo(expectedServerless(d, region), 2);
    expect(s.billedDataGb).toBeGreaterThanOrEqual(serverlessPricing(d.policy.engine).minimumDataGb);
    expect(s.limitsExceeded).toEqual([]);
    expect(s.reason).toContain(`$${serverlessPricing(d.policy.engine).dataGbHourUsd}/GB-h`);
  });

  test('a request larger than a KB takes more than one ECPU', () => {
    const d = deploy({ workload: { organizations: 10_000, bytesPerOrganization: 8192 } });
    const s = d.plan.choices.aws.frontier!.serverless!;
    expect(s.requestBytes).toBe(8192);
    expect(s.ecpuPerRequest).toBeCloseTo(8 * serverlessPricing('redis').ecpuPerKb, 5);
    expect(s.monthlyCostUsd).toBeCloseTo(expectedServerless(d, 'us-east-1'), 2);
  });

  test('serverlessCost flags each limit the workload exceeds', () => {
    const p = serverlessPricing('redis');
    const over = serverlessCost(
      {
        engine: 'redis',
        dataBytes: (p.maxDataGb + 1) * 1e9,
        peakOpsPerSecond: p.maxEcpuPerSecond + 1,
        datasetBytes: 1000,
        datasetKeys: 1,
        multiplier: 1,
        region: 'us-east-1',
      },
      p,
    );
    expect(over.limitsExceeded).toEqual([
      expect.stringMatching(/GB of data > the [\d,]+ GB a serverless cache holds/),
      expect.stringMatching(/ECPU\/s at peak > the [\d,]+ ECPU\/s a serverless cache serves/),
    ]);
    expect(over.reason).toContain('exceeds serverless limits');
  });

  test('a workload past the serverless limits is never the cheapest, and the serverless flavor refuses it', () => {
    // A tiny serverless catalog whose limits this workload exceeds: cheap, but it cannot serve it.
    const real = serverlessPricing('redis');
    const prices = {
      committedRates: () => [],
      serverlessPricing: () => ({
        ...real,
        dataGbHourUsd: 0.0001,
        ecpuPerMillionUsd: 0.0001,
        maxEcpuPerSecond: 1000,
      }),
    };
    const d = deploy({ workload: { datasetGb: 2, peakOpsPerSecond: 5000 } });
    const f = plan(d.spec, d.policy, { prices }).choices.aws.frontier!;
    expect(f.serverless!.monthlyCostUsd).toBeLessThan(f.onDemandMonthlyUsd!);
    expect(f.serverless!.limitsExceeded).toHaveLength(1);
    expect(f.cheapest!.basis).toBe('on-demand');
    // As the chosen flavor, it is unavailable and the AWS target is refused with the reason.
    const s = plan(d.spec, d.policy, { awsFlavor: 'serverless', prices }).choices.aws;
    expect(s.available).toBe(false);
    expect(() => requireChoice({ ...d.plan, choices: { ...d.plan.choices, aws: s } }, 'aws')).toThrow(
      /exceeds|cannot hold/,
    );
  });

  test('the serverless flavor (a plan input) makes the AWS cost the serverless figure', () => {
    const d = deploy({ workload: { datasetGb: 2, peakOpsPerSecond: 5000 } });
    const nodes = d.plan.choices.aws;
    const p = plan(d.spec, d.policy, { awsFlavor: 'serverless' });
    const aws = p.choices.aws;
    expect(aws.service).toBe('elasticache-serverless');
    expect(aws.pricing).toBe('serverless');
    expect(aws.monthlyCostUsd).toBeCloseTo(expectedServerless(d, 'us-east-1'), 2);
    expect(aws.monthlyCostUsd).not.toBe(nodes.monthlyCostUsd);
    expect(aws.frontier!.chosen).toBe('serverless');
    // Other platforms are untouched by the AWS flavor.
    for (const pl of PLATFORM_IDS.filter((x) => x !== 'aws'))
      expect(p.choices[pl].monthlyCostUsd).toBe(d.plan.choices[pl].monthlyCostUsd);
  });

  test('serverlessCost: data below the minimum is billed at the minimum, and the region multiplier applies', () => {
    const p = { ...serverlessPricing('valkey'), minimumDataGb: 1 };
    const base = {
      engine: 'valkey' as const,
      peakOpsPerSecond: 1,
      datasetBytes: 100,
      datasetKeys: 1,
      region: 'r',
    };
    const one = serverlessCost({ ...base, dataBytes: 0.2e9, multiplier: 1 }, p);
    expect(one.billedDataGb).toBe(1);
    const twice = serverlessCost({ ...base, dataBytes: 0.2e9, multiplier: 2 }, p);
    expect(twice.monthlyCostUsd).toBeCloseTo(2 * one.monthlyCostUsd, 1);
  });
});

describe('break-even month', () => {
  test('the first month whose cumulative committed cost is below on-demand', () => {
    // 1000 upfront, nothing monthly, 100/month on-demand: 1000 < 1100 first at month 11 (month 10 ties).
    expect(breakEvenMonth(1000, 0, 100, 12)).toBe(11);
    // No upfront and a lower monthly rate: ahead from the first month.
    expect(breakEvenMonth(0, 60, 100, 12)).toBe(1);
    // Partial: 600 upfront + 50/month vs 100/month: 600 + 50m < 100m from m = 13.
    expect(breakEvenMonth(600, 50, 100, 36)).toBe(13);
    expect(breakEvenMonth(600, 50, 100, 12)).toBeNull();
    // A commitment that is never cheaper.
    expect(breakEvenMonth(0, 100, 100, 36)).toBeNull();
  });

  test("each term's figure on a plan is where the cumulative costs cross", () => {
    const d = deploy({ workload: { datasetGb: 8, peakOpsPerSecond: 20_000 } });
    const f = d.plan.choices.aws.frontier!;
    for (const t of ['1y', '3y'] as const) {
      const c = f.committed[t]!;
      expect(c).not.toBeNull();
      const m = c.breakEvenMonth!;
      const od = f.onDemandMonthlyUsd!;
      const cum = (n: number) => c.upfrontUsd + n * c.recurringMonthlyUsd;
      expect(cum(m)).toBeLessThan(m * od + 0.05);
      if (m > 1) expect(cum(m - 1)).toBeGreaterThanOrEqual((m - 1) * od - 0.05);
    }
  });

  test('committedCost compares with the on-demand monthly figure', () => {
    const c = committedCost(
      {
        term: '1y',
        payment: 'all-upfront',
        upfrontUsd: 1200,
        hourlyUsd: 0,
        source: 's',
        rateBasis: 'published',
      },
      { sku: 'x', shards: 1, nodes: 1 },
      200,
    );
    expect(c.monthlyCostUsd).toBe(100);
    expect(c.savingPct).toBe(50);
    expect(c.breakEvenMonth).toBe(7);
  });
});

describe('committed terms', () => {
  test('each term is the best payment option of the catalog rates for the chosen nodes', () => {
    const d = deploy({ workload: { datasetGb: 8, peakOpsPerSecond: 20_000 } });
    const c = d.plan.choices.aws;
    const f = c.frontier!;
    for (const t of ['1y', '3y'] as const) {
      const cc = f.committed[t]!;
      const node = cc.sku;
      const rates = committedRates({ platform: 'aws', nodeType: node, engine: 'redis' }).filter(
        (r) => r.term === t,
      );
      const months = t === '1y' ? 12 : 36;
      const monthly = Math.min(...rates.map((r) => (r.hourlyUsd * 730 + r.upfrontUsd / months) * cc.nodes));
      expect(cc.monthlyCostUsd).toBeCloseTo(monthly, 2);
      // The effective hourly rate the catalog states gives the same monthly figure.
      expect(Math.min(...rates.map((r) => r.effectiveHourlyUsd * 730 * cc.nodes))).toBeCloseTo(monthly, 1);
      expect(cc.monthlyCostUsd).toBeLessThan(f.onDemandMonthlyUsd!);
    }
    expect(f.committed['3y']!.monthlyCostUsd).toBeLessThan(f.committed['1y']!.monthlyCostUsd);
  });

  test("the catalog's region multiplier applies to committed prices as to on-demand", () => {
    const at = (region: string) =>
      deploy({
        workload: { datasetGb: 8, peakOpsPerSecond: 20_000 },
        targets: { aws: { region, ...AWS_TARGET } },
      }).plan.choices.aws.frontier!;
    const [home, far] = [at('us-east-1'), at('eu-central-1')];
    const mult = awsCatalog().regions['eu-central-1'].priceMultiplier;
    expect(mult).not.toBe(1);
    for (const t of ['1y', '3y'] as const) {
      expect(far.committed[t]!.sku).toBe(home.committed[t]!.sku);
      expect(far.committed[t]!.monthlyCostUsd).toBeCloseTo(home.committed[t]!.monthlyCostUsd * mult, 1);
      expect(far.committed[t]!.upfrontUsd).toBeCloseTo(home.committed[t]!.upfrontUsd * mult, 1);
    }
  });

  test('combineRates: an option is priced on a (term, payment) only when every billed part offers it', () => {
    const src = { url: 'https://example.com/p', retrieved: '2026-12-01' };
    const r = (
      term: '1y' | '3y',
      payment: 'no-upfront' | 'all-upfront',
      hourlyUsd: number,
      upfrontUsd = 0,
    ) => ({
      term,
      payment,
      hourlyUsd,
      upfrontUsd,
      effectiveHourlyUsd: hourlyUsd,
      source: src,
      basis: 'published' as const,
    });
    const combined = combineRates(
      [
        { rates: [r('1y', 'no-upfront', 1), r('3y', 'all-upfront', 0, 100)], count: 2 },
        { rates: [{ ...r('1y', 'no-upfront', 0.5), basis: 'derived' as const }], count: 4 },
      ],
      1.5,
    );
    expect(combined).toEqual([
      {
        term: '1y',
        payment: 'no-upfront',
        hourlyUsd: (2 + 2) * 1.5,
        upfrontUsd: 0,
        source: `${src.url} (${src.retrieved})`,
        // One part's rate is estimated: the combination is too.
        rateBasis: 'derived',
      },
    ]);
    // A part billed zero times does not restrict the terms.
    expect(
      combineRates(
        [
          { rates: [r('3y', 'all-upfront', 0, 100)], count: 1 },
          { rates: [], count: 0 },
        ],
        1,
      ),
    ).toHaveLength(1);
  });
});

describe('spec commitment', () => {
  const workload = { datasetGb: 8, peakOpsPerSecond: 20_000 };

  test('none (the default) keeps every chosen cost on-demand', () => {
    const d = deploy({ workload });
    expect(d.spec.commitment).toBe('none');
    for (const p of PLATFORM_IDS) {
      expect(d.plan.choices[p].pricing).toBe('on-demand');
      expect(d.plan.choices[p].monthlyCostUsd).toBe(d.plan.choices[p].frontier!.onDemandMonthlyUsd);
    }
  });

  test.each(['1y', '3y'] as const)(
    '%s makes the chosen AWS cost the committed one; Kubernetes stays on-demand',
    (t) => {
      const none = deploy({ workload });
      const d = deploy({ workload, commitment: t });
      const aws = d.plan.choices.aws;
      const cc = none.plan.choices.aws.frontier!.committed[t]!;
      expect(aws.pricing).toBe(t);
      expect(aws.monthlyCostUsd).toBe(cc.monthlyCostUsd);
      expect(aws.monthlyCostUsd).toBeLessThan(none.plan.choices.aws.monthlyCostUsd);
      expect(aws.reason).toContain(`priced on the ${t} commitment`);
      const k = d.plan.choices.kubernetes;
      expect(k.pricing).toBe('on-demand');
      expect(k.monthlyCostUsd).toBe(none.plan.choices.kubernetes.monthlyCostUsd);
      expect(k.reason).toMatch(
        new RegExp(`no ${t} commitment in the catalog for this platform .*priced on-demand`),
      );
    },
  );

  test('3y on a larger workload: every platform whose 3-year price is below on-demand is priced on it', () => {
    const none = deploy({ workload: { organizations: 1_000_000 } });
    const d = deploy({ workload: { organizations: 1_000_000 }, commitment: '3y' });
    const priced = PLATFORM_IDS.filter(
      (p) => (none.plan.choices[p].frontier!.committed['3y']?.savingPct ?? 0) > 0,
    );
    expect(priced).toEqual(['aws', 'gcp', 'azure-premium', 'azure-managed']);
    for (const p of priced) {
      expect(d.plan.choices[p].pricing).toBe('3y');
      expect(d.plan.choices[p].monthlyCostUsd).toBe(
        none.plan.choices[p].frontier!.committed['3y']!.monthlyCostUsd,
      );
    }
  });

  test('a term whose cheapest option costs more than on-demand is shown but not taken', () => {
    // 10,000 devices: the small Memorystore capacity the plan picks has no committed-use discount.
    const d = deploy({ workload: { devices: 10_000 }, commitment: '1y' });
    const gcp = d.plan.choices.gcp;
    const c = gcp.frontier!.committed['1y']!;
    expect(c.savingPct).toBeLessThan(0);
    expect(gcp.pricing).toBe('on-demand');
    expect(gcp.monthlyCostUsd).toBe(gcp.frontier!.onDemandMonthlyUsd);
    expect(gcp.reason).toContain(
      `the cheapest 1y commitment (${usd(c.monthlyCostUsd)}/month, ${c.sku}) costs more than on-demand here: priced on-demand`,
    );
  });

  test('a commitment the spec does not allow is a spec error naming field, value and allowed values', () => {
    const e = specError(() => validateSpec({ name: 'cost-1', profile: 'staging', commitment: '2y' }));
    expect(e).toBeInstanceOf(SpecError);
    expect(e.message).toBe('spec: commitment: got "2y"; expected one of "none", "1y", "3y"');
  });
});
