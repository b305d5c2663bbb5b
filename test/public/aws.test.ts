/** redis-iac/aws: the public RedisReplicationGroup in a user's own stack (own VPC, plain props). */
import { App, Stack, Validations } from 'aws-cdk-lib/core';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { addNagPacks } from '../../lib/aws/nag';
import { RedisReplicationGroup, planRedis } from '../../lib/public/aws';

const RG = 'AWS::ElastiCache::ReplicationGroup';

function userStack(): { app: App; stack: Stack; vpc: ec2.Vpc } {
  const app = new App();
  const stack = new Stack(app, 'UserStack', { env: { account: '123456789012', region: 'us-east-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  return { app, stack, vpc };
}

describe('RedisReplicationGroup with planRedis sizing', () => {
  const { app, stack, vpc } = userStack();
  const plan = planRedis({ devices: 100000 });
  const group = new RedisReplicationGroup(stack, 'Cache', { vpc, sizing: plan });
  const template = Template.fromStack(stack);

  test('node type, shards and replicas are the plan AWS choice; security from the production policy', () => {
    const c = plan.choices.aws;
    template.hasResourceProperties(RG, {
      ReplicationGroupId: 'cache',
      CacheNodeType: c.sku,
      TransitEncryptionMode: 'required',
      AtRestEncryptionEnabled: true,
      MultiAZEnabled: true,
      AutomaticFailoverEnabled: true,
      SnapshotRetentionLimit: 15,
      ...(plan.topology.mode === 'cluster'
        ? { NumNodeGroups: c.shards, ReplicasPerNodeGroup: c.replicasPerShard }
        : { NumCacheClusters: c.replicasPerShard + 1 }),
    });
    expect(group.policy.profile).toBe('production');
    expect(group.contract.REDIS_TLS_ENABLED).toBe('true');
  });

  test('publishes the connection contract in SSM and passes the three cdk-nag packs', () => {
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/redis/cache/connection-contract' });
    addNagPacks(app);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('RedisReplicationGroup policy and explicit sizes', () => {
  test('staging policy: one node, no failover, 7 days of snapshots, explicit node type', () => {
    const { stack, vpc } = userStack();
    new RedisReplicationGroup(stack, 'Cache', {
      vpc,
      replicationGroupId: 'staging-cache',
      nodeType: 'cache.t4g.small',
      policy: { profile: 'staging' },
    });
    Template.fromStack(stack).hasResourceProperties(RG, {
      CacheNodeType: 'cache.t4g.small',
      NumCacheClusters: 1,
      AutomaticFailoverEnabled: false,
      SnapshotRetentionLimit: 7,
    });
  });

  test('explicit shards turn cluster mode on', () => {
    const { stack, vpc } = userStack();
    new RedisReplicationGroup(stack, 'Cache', { vpc, shards: 3, replicasPerShard: 2 });
    Template.fromStack(stack).hasResourceProperties(RG, {
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 2,
    });
  });

  test('a production weakening without a waiver names the policy field', () => {
    const { stack, vpc } = userStack();
    expect(
      () => new RedisReplicationGroup(stack, 'Cache', { vpc, policy: { security: { tls: false } } }),
    ).toThrow(/RedisReplicationGroup "UserStack\/Cache": policy\.security\.tls: .*waiver/);
  });

  test('a plan for another profile is refused', () => {
    const { stack, vpc } = userStack();
    const plan = planRedis({ devices: 1000 }, { policy: { profile: 'staging' } });
    expect(() => new RedisReplicationGroup(stack, 'Cache', { vpc, sizing: plan })).toThrow(
      /sizing: got "a plan for profile staging"; the policy's profile is production/,
    );
  });

  test.each([
    ['shards', { shards: 0 }, /shards: got 0; expected an integer from 1 to 500/],
    [
      'nodeType',
      { nodeType: 'cache.x9.huge' },
      /nodeType: got "cache\.x9\.huge"; not an ElastiCache node type in the AWS catalog; use one of cache\./,
    ],
    ['replicasPerShard', { replicasPerShard: 6 }, /replicasPerShard: got 6; expected an integer from 0 to 5/],
    [
      'engineVersion',
      { policy: { engineVersion: '9.9' } },
      /policy\.engineVersion: got "9\.9"; not a redis version ElastiCache offers/,
    ],
    ['unknown policy key', { policy: { tls: true } }, /policy\.tls: got true; not a policy field/],
  ])('wrong %s: one error naming construct, prop, value and fix', (_name, props, message) => {
    const { stack, vpc } = userStack();
    let error: Error | undefined;
    try {
      new RedisReplicationGroup(stack, 'Cache', { vpc, ...(props as object) });
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(/^RedisReplicationGroup "UserStack\/Cache": /);
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
    // Nothing half-built: the failed construct left no child in the stack.
    expect(stack.node.tryFindChild('Cache')).toBeUndefined();
    void Validations;
  });
});
