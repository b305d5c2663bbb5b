/**
 * choose() compares only the AWS candidates (awsOptions(ctx, 'candidates')): every other option costs
 * more than anything it can pick or name. Proved here against the whole option list on random specs:
 * the same choice, reason, price and cost frontier, and fewer options to build.
 */
import fc from 'fast-check';
import { fromSpec } from '../../lib/deployment';
import { computeNeed } from '../../lib/planner/need';
import { contextFor } from '../../lib/planner/plan';
import { awsOptions, choose } from '../../lib/planner/select';
import { validateSpec } from '../../lib/spec/load';
import { awsCatalog } from '../../lib/catalog';

const NODE_TYPES = awsCatalog().nodeTypes.map((n) => n.type);

const spec = fc.record({
  profile: fc.constantFrom('production', 'staging', 'development'),
  engine: fc.constantFrom('redis', 'valkey'),
  devices: fc.oneof(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 50_000_000 })),
  peak: fc.oneof(fc.integer({ min: 100, max: 200_000 }), fc.integer({ min: 100, max: 5_000_000 })),
  concurrent: fc.integer({ min: 1, max: 70_000 }),
  topology: fc.constantFrom('cluster', 'cluster', 'replication', 'standalone'),
  minShards: fc.integer({ min: 1, max: 40 }),
  commitment: fc.constantFrom('none', '1y', '3y'),
  region: fc.constantFrom('us-east-1', 'eu-west-1', 'ap-southeast-2'),
  nodeType: fc.option(fc.constantFrom(...NODE_TYPES), { freq: 4 }),
});

/** One drawn spec; the fixed cases below give only the fields they need. */
type Drawn = typeof spec extends fc.Arbitrary<infer T> ? Partial<T> : never;

function contextOf(v: Drawn) {
  const availability =
    v.topology === 'cluster'
      ? { topology: 'cluster', minShards: v.minShards }
      : { topology: v.profile === 'production' ? 'replication' : 'standalone' };
  const aws: Record<string, unknown> = {
    region: v.region,
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    subnetIds: ['subnet-0a1b2c3d4e5f60711', 'subnet-0a1b2c3d4e5f60722'],
  };
  if (v.nodeType) aws.nodeType = v.nodeType;
  const d = fromSpec(
    validateSpec({
      name: 'cand-1',
      profile: v.profile,
      engine: v.engine,
      commitment: v.commitment,
      workload: { devices: v.devices, peakOpsPerSecond: v.peak, concurrentRequests: v.concurrent },
      availability,
      targets: { aws },
    }),
  );
  return contextFor(d.spec, d.policy, computeNeed(d.spec, d.policy));
}

test('the candidates give the same AWS choice as every option (random specs)', () => {
  let planned = 0;
  let pruned = 0;
  fc.assert(
    fc.property(spec, (v) => {
      let ctx;
      try {
        ctx = contextOf(v);
      } catch {
        return; // a combination the spec rejects (too big for one primary): nothing to plan
      }
      planned++;
      expect(choose('aws', ctx, 'candidates')).toEqual(choose('aws', ctx, 'all'));
      if (awsOptions(ctx, 'candidates').length < awsOptions(ctx, 'all').length) pruned++;
    }),
    { numRuns: 300 },
  );
  // Not vacuous: most specs were planned, and the candidates really are fewer on many of them.
  expect(planned).toBeGreaterThan(60);
  expect(pruned).toBeGreaterThan(planned / 5);
});

/** A production cluster for 100,000 devices in us-east-1, with `extra` fields changed. */
const cluster100k = (extra: Drawn = {}) =>
  contextOf({
    profile: 'production',
    engine: 'redis',
    devices: 100_000,
    peak: 1000,
    concurrent: 100,
    topology: 'cluster',
    minShards: 3,
    commitment: 'none',
    region: 'us-east-1',
    ...extra,
  });

test('a cluster workload that fits in a few shards builds a small share of the options', () => {
  const ctx = cluster100k();
  const all = awsOptions(ctx, 'all');
  const candidates = awsOptions(ctx, 'candidates');
  expect(choose('aws', ctx, 'candidates')).toEqual(choose('aws', ctx, 'all'));
  expect(candidates.length * 4).toBeLessThan(all.length);
});

test('when nothing fits, every option is a candidate (the reason names the largest)', () => {
  // Burstable node types are not used in production: pinned, no shard count fits.
  const ctx = cluster100k({ nodeType: 'cache.t4g.micro' });
  expect(choose('aws', ctx).available).toBe(false);
  expect(awsOptions(ctx, 'candidates')).toEqual(awsOptions(ctx, 'all'));
});
