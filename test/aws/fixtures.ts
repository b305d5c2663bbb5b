/** Props-level fixtures: a stack with an imported VPC and valid RedisReplicationGroup props. */
import { App, Fn, Stack } from 'aws-cdk-lib/core';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import {
  RedisReplicationGroup,
  type RedisReplicationGroupProps,
} from '../../lib/aws/redis-replication-group';

export const SUBNETS = ['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2', 'subnet-0123456789abcdef3'];
export const CLIENT_SG = 'sg-0123456789abcdef0';

export function testStack(): Stack {
  return new Stack(new App(), 'TestStack', { env: { account: '123456789012', region: 'us-east-1' } });
}

type Overrides = Partial<RedisReplicationGroupProps> & { subnetIds?: string[] };

/** Valid props for a 3-shard, 1-replica cluster; override any field. */
export function groupProps(stack: Stack, overrides: Overrides = {}): RedisReplicationGroupProps {
  const { subnetIds = SUBNETS.slice(0, 2), ...rest } = overrides;
  const vpc = ec2.Vpc.fromVpcAttributes(stack, `Vpc${stack.node.children.length}`, {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: Fn.getAzs(),
  });
  const subnets = subnetIds.map((id, i) =>
    ec2.Subnet.fromSubnetId(stack, `S${stack.node.children.length}x${i}`, id),
  );
  return {
    vpc,
    vpcSubnets: { subnets },
    replicationGroupId: 'test-redis',
    engine: 'redis',
    engineVersion: '7.1',
    nodeType: 'cache.r7g.large',
    clusterMode: true,
    shards: 3,
    replicasPerShard: 1,
    automaticFailover: true,
    multiAz: true,
    port: 6380,
    authTokenLength: 64,
    snapshotRetentionDays: 15,
    snapshotWindow: '03:00-04:00',
    maintenanceWindow: 'sun:05:00-sun:06:00',
    clientSecurityGroups: [
      ec2.SecurityGroup.fromSecurityGroupId(stack, `Client${stack.node.children.length}`, CLIENT_SG),
    ],
    alarms: {
      cpuPercent: 80,
      memoryPercent: 90,
      evictionsPerHour: 1000,
      maxClients: 4900,
      connectionsPercent: 80,
      replicationLagSeconds: 1,
    },
    ...rest,
  };
}

export function makeGroup(overrides: Overrides = {}): { stack: Stack; group: RedisReplicationGroup } {
  const stack = testStack();
  const group = new RedisReplicationGroup(stack, 'Redis', groupProps(stack, overrides));
  return { stack, group };
}
