/**
 * One serverless need: the planner works out data stored, ECPUs per request and peak ECPU/s once
 * (plan.serverless); the frontier's serverless price and the AWS adapter's usage limits both follow it.
 * Read from examples/go-api-serverless.yaml and variants: pinned above and below the derived need, and
 * items larger than a KB (fractional ECPUs per request, which the adapter once rounded up).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { serverlessUsageLimits } from '../../lib/aws/serverless-limits';
import { awsServerlessCatalog } from '../../lib/catalog/aws-serverless';
import { deploymentFromYaml } from '../../lib/deployment';

const SPEC = path.join(__dirname, '..', '..', 'examples', 'go-api-serverless.yaml');
const base = parse(fs.readFileSync(SPEC, 'utf8')) as Record<string, unknown>;
const cat = awsServerlessCatalog();
const headroom = 100 / cat.limitAlarmPercent;
const clamp = (n: number, r: { min: number; max: number }) => Math.min(r.max, Math.max(r.min, n));

const variants: Array<[string, Record<string, unknown>]> = [
  ['the example', {}],
  ['pinned above the derived need', { sizing: { memoryGb: 30, reason: 'the guide tier of 30 GB' } }],
  ['pinned below the derived need', { sizing: { memoryGb: 1, reason: 'a 1 GB budget' } }],
  [
    'items of 3,000 B (2.93 ECPU per request)',
    { workload: { organizations: 1000, bytesPerOrganization: 3000, peakOpsPerSecond: 9000 } },
  ],
];

describe.each(variants)('%s', (_name, change) => {
  const spec = { ...base, ...change };
  const d = deploymentFromYaml(stringify(spec));
  const need = d.plan.serverless;
  const price = d.plan.choices.aws.frontier!.serverless!;
  const limits = serverlessUsageLimits(d.plan);
  const pin = (spec.sizing as { memoryGb: number } | undefined)?.memoryGb;

  test('the price bills the plan need', () => {
    expect(d.plan.choices.aws.pricing).toBe('serverless');
    expect(price.dataGb).toBeCloseTo(need.derivedBytes / 1e9, 2);
    expect(price.requestBytes).toBe(Math.round(need.requestBytes));
    expect(price.ecpuPerRequest).toBeCloseTo(need.ecpuPerRequest, 2);
    expect(price.ecpuPerSecond).toBe(Math.ceil(need.peakEcpuPerSecond));
  });

  test('the usage limits are the plan need / the alarm share, nothing recomputed', () => {
    expect(limits.neededBytes).toBe(need.dataStoredBytes);
    expect(limits.peakEcpuPerSecond).toBe(need.peakEcpuPerSecond);
    expect(limits.dataStorageMaxGb).toBe(
      clamp(Math.ceil((need.dataStoredBytes * headroom) / 1e9), cat.dataStorageGb),
    );
    expect(limits.ecpuPerSecondMax).toBe(
      clamp(Math.ceil((need.peakEcpuPerSecond * headroom) / 1000) * 1000, cat.ecpuPerSecond),
    );
    expect(limits.reason).toContain(need.reason);
  });

  test('a pin sets data stored for the limit; the price says it billed the derived need', () => {
    if (pin === undefined) {
      expect(need.dataStoredFrom).toBe('derived');
      expect(need.dataStoredBytes).toBe(need.derivedBytes);
      expect(price.reason).not.toContain('pinned');
    } else {
      expect(need.dataStoredFrom).toBe('pin');
      expect(need.dataStoredBytes).toBe(pin * 1e9);
      expect(need.derivedBytes).toBe(d.plan.sizing!.derivedNeededBytes);
      expect(price.reason).toContain(`the usage limit follows the pinned ${pin.toFixed(2)} GB`);
    }
  });
});

test('the variants really differ where the old code disagreed', () => {
  const plans = variants.map(([, change]) => deploymentFromYaml(stringify({ ...base, ...change })).plan);
  const [, , below, big] = plans;
  // A pin below the need is honoured (the adapter once took the larger of the two).
  expect(below.serverless.dataStoredBytes).toBeLessThan(below.serverless.derivedBytes);
  // ECPUs per request in fractions (the adapter once rounded them up to 3).
  expect(big.serverless.ecpuPerRequest).toBeCloseTo((3000 / 1024) * cat.ecpuPerKb, 5);
  expect(serverlessUsageLimits(big).peakEcpuPerSecond).toBeLessThan(9000 * 3);
});
