/** redis-iac/selfhosted and redis-iac/policy: the renderer as a function and the policy resolver. */
import { deploymentFromYaml } from '../../lib/deployment';
import { buildSelfHosted } from '../../lib/selfhosted/render';
import { resolveRedisPolicy } from '../../lib/public/policy';
import { planRedis, renderSelfHosted } from '../../lib/public/selfhosted';

describe('renderSelfHosted', () => {
  test('the same files as the pipeline for the same spec', () => {
    const out = renderSelfHosted({ name: 'cache', host: '10.0.0.5', sizing: planRedis({ devices: 100000 }) });
    const pipeline = buildSelfHosted(
      deploymentFromYaml(
        'name: cache\nprofile: production\nworkload: { devices: 100000 }\ntargets: { selfHosted: { host: 10.0.0.5 } }\n',
      ),
    );
    expect(out.files.map((f) => f.name)).toEqual(pipeline.files.map((f) => f.name));
    expect(out.files).toEqual(pipeline.files);
    expect(out.contract.REDIS_HOST).toBe('10.0.0.5');
  });

  test('explicit cluster: 3 shards x 1 replica = 6 nodes and create-cluster.sh', () => {
    const out = renderSelfHosted({ name: 'grid', shards: 3, replicasPerShard: 1, basePort: 7000 });
    expect(out.layout.mode).toBe('cluster');
    expect(out.layout.nodes.map((n) => n.port)).toEqual([7000, 7001, 7002, 7003, 7004, 7005]);
    expect(out.files.map((f) => f.name)).toContain('create-cluster.sh');
  });

  test.each([
    [
      { name: 'grid', shards: 2 },
      /^renderSelfHosted "grid": shards: got 2; a Redis Cluster needs at least 3 primaries/,
    ],
    [
      { name: 'grid', replicasPerShard: 9 },
      /^renderSelfHosted "grid": replicasPerShard: got 9; expected an integer from 0 to 5/,
    ],
    [{ name: 'Grid' }, /^renderSelfHosted "Grid": name \(the construct id unless given\): got "Grid"; /],
    [
      { name: 'grid', dataDir: 'relative/dir' },
      /^renderSelfHosted "grid": (targets\.selfHosted\.)?dataDir: got "relative\/dir"; expected an absolute path/,
    ],
  ])('wrong prop %#', (props, message) => {
    expect(() => renderSelfHosted(props)).toThrow(message);
  });
});

describe('resolveRedisPolicy', () => {
  test('profile defaults and a waived weakening', () => {
    expect(resolveRedisPolicy({ profile: 'staging' }).persistence.snapshotRetentionDays).toBe(7);
    const p = resolveRedisPolicy({
      availability: { multiAz: false },
      waivers: [{ rule: 'multi-az', reason: 'single-zone region for now' }],
    });
    expect(p.availability.multiAz).toBe(false);
    expect(p.waivers.map((w) => w.rule)).toEqual(['multi-az']);
  });

  test('a weakening without a waiver is one line naming the field and the fix', () => {
    expect(() => resolveRedisPolicy({ security: { auth: false } })).toThrow(
      /^resolveRedisPolicy "redis": policy\.security\.auth: got false; .*waiver/,
    );
  });
});
