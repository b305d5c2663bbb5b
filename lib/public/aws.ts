/**
 * `redis-iac/aws`: the ElastiCache replication group and serverless cache for a user's own CDK app.
 *
 * This entry point loads aws-cdk-lib and constructs only (no Pulumi, no cdk8s): see the load test
 * in test/public/package.test.ts.
 */
import { Stack, Tags, Token } from 'aws-cdk-lib/core';
import type { Construct } from 'constructs';
import { awsCatalog } from '../catalog';
import { connectionContract, type ConnectionContract } from '../contract';
import type { Deployment } from '../deployment';
import type { ResolvedPolicy } from '../policy/types';
import { alarmThresholdsFor } from '../aws/alarms';
import { rbacUsers, USER_SECRET_PASSWORD_KEY } from '../aws/rbac';
import { AUTH_TOKEN_JSON_KEY } from '../aws/auth-token';
import { RedisContractOutputs } from '../aws/contract-outputs';
import { acknowledgeNagFindings, acknowledgeServerlessNagFindings } from '../aws/nag';
import {
  RedisServerlessCacheBase as ServerlessCacheBase,
  type RedisServerlessCacheBaseProps as ServerlessBaseProps,
  type ServerlessUsageLimits,
} from '../aws/redis-serverless-cache';
import { serverlessAlarmThresholdsFor } from '../aws/serverless-alarms';
import { serverlessUsageLimits } from '../aws/serverless-limits';
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import { serverlessMajorVersion } from '../policy/aws-flavor';
import {
  RedisReplicationGroup as ReplicationGroupBase,
  type RedisReplicationGroupProps as BaseProps,
} from '../aws/redis-replication-group';
import {
  availabilityFor,
  buildSpec,
  checkInt,
  checkOneOf,
  choiceOf,
  constructSource,
  deploymentOf,
  propError,
  withPlan,
  type RedisPlan,
  type RedisPolicy,
} from './common';

export { DEFAULT_REDIS_PORT } from '../aws/redis-replication-group';
export type { RedisAlarmThresholds } from '../aws/alarms';
export type { ServerlessAlarmThresholds } from '../aws/serverless-alarms';
export type { ServerlessUsageLimits } from '../aws/redis-serverless-cache';
export { planRedis, type RedisPlan, type RedisPolicy, type RedisWorkload } from './common';

/** Settings that come from `policy` (secure defaults) and are therefore not props of their own. */
type PolicyOwned =
  | 'engine'
  | 'engineVersion'
  | 'allowedEngineVersions'
  | 'transitEncryption'
  | 'authToken'
  | 'authTokenLength'
  | 'encryptionAtRest'
  | 'snapshotRetentionDays'
  | 'snapshotWindow'
  | 'maintenanceWindow'
  | 'autoMinorVersionUpgrade'
  | 'maxmemoryPolicy'
  | 'keyspaceNotifications'
  | 'automaticFailover'
  | 'multiAz'
  | 'alarms'
  | 'alarmEmail'
  | 'deletionProtection';

/** Sizes: explicit here, else from `sizing`, else the smallest plan for the policy. */
type Sized = 'replicationGroupId' | 'nodeType' | 'clusterMode' | 'shards' | 'replicasPerShard';

export interface RedisReplicationGroupProps extends Omit<BaseProps, PolicyOwned | Sized> {
  /**
   * ElastiCache replication group id (1-40 lower-case letters, digits and single hyphens); also the
   * key prefix and the SSM parameter path of the connection contract.
   * @default - the construct id, lower-cased
   */
  readonly replicationGroupId?: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec. TLS (mode required),
   * an AUTH token in Secrets Manager, encryption at rest, snapshots, windows, failover, multi-AZ,
   * alarms and deletion protection all follow it.
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`: node type, shards and replicas come from its AWS choice.
   * Explicit `nodeType`, `shards` and `replicasPerShard` win over it.
   * @default - the smallest plan for the policy (one cache.r7g.large primary with one replica in production)
   */
  readonly sizing?: RedisPlan;
  /**
   * Node type, e.g. cache.r7g.large; must be in the AWS catalog (lib/catalog/data/aws-elasticache.json).
   * @default - the plan's choice
   */
  readonly nodeType?: string;
  /**
   * Cluster mode (sharding).
   * @default - on when the plan is a cluster or `shards` > 1
   */
  readonly clusterMode?: boolean;
  /**
   * Shards (node groups), 1 to the catalog's maximum (500); more than one turns cluster mode on.
   * @default - the plan's
   */
  readonly shards?: number;
  /**
   * Replicas per shard, 0 to the catalog's maximum (5). 0 in production needs waivers for
   * automatic-failover and multi-az in `policy`.
   * @default - the policy's (1 in production, 0 in staging and development)
   */
  readonly replicasPerShard?: number;
  /**
   * Publish the connection contract: an SSM parameter `/redis/<id>/connection-contract` with the
   * REDIS_* variables as JSON, and stack outputs with fixed names (so one group per stack).
   * @default true
   */
  readonly publishContract?: boolean;
  /**
   * Acknowledge the cdk-nag findings the policy accounts for (events topic without KMS, token without
   * rotation, and each weakening the policy allows), with the policy's reason, so AwsSolutions,
   * HIPAA and NIST 800-53 R5 packs pass.
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;
}

/**
 * An ElastiCache (Redis OSS or Valkey) replication group with the project's secure defaults:
 * TLS required, AUTH token in Secrets Manager, encryption at rest, private subnets, a non-default
 * port, logs, alarms and events to SNS, deletion protection, all from the policy.
 *
 * @example
 * new RedisReplicationGroup(this, 'Cache', { vpc, sizing: planRedis({ devices: 100000 }) });
 */
export class RedisReplicationGroup extends ReplicationGroupBase {
  /** The resolved policy the group was built with. */
  readonly policy: ResolvedPolicy;
  /** The plan the sizes came from (with explicit sizes applied). */
  readonly plan: RedisPlan;
  /** REDIS_* variables for applications (tokens resolve at deploy time). */
  readonly contract: ConnectionContract;
  /** The published contract (SSM parameter and outputs), when `publishContract` is on. */
  readonly contractOutputs?: RedisContractOutputs;

  constructor(scope: Construct, id: string, props: RedisReplicationGroupProps) {
    const resolved = resolveAwsProps(scope, id, props);
    super(scope, id, resolved.props);
    this.policy = resolved.deployment.policy;
    this.plan = resolved.deployment.plan;
    // RBAC: the app user's secret and name; token mode: the shared token.
    const app = this.appUser;
    const passwordFrom = app
      ? `aws-secretsmanager:${app.secret.secretArn}:${USER_SECRET_PASSWORD_KEY}`
      : this.authTokenSecret
        ? `aws-secretsmanager:${this.authTokenSecret.secretArn}:${AUTH_TOKEN_JSON_KEY}`
        : 'none';
    this.contract = connectionContract(this.policy, this.plan, {
      host: this.endpointAddress,
      port: this.port,
      passwordFrom,
      username: app?.spec.userName,
    });
    if (props.publishContract ?? true) {
      this.contractOutputs = new RedisContractOutputs(this, 'Contract', {
        group: this,
        contract: this.contract,
      });
    }
    for (const [key, value] of Object.entries(this.policy.tags)) Tags.of(this).add(key, value);
    if (props.acknowledgeNagFindings ?? true) acknowledgeNagFindings(this, this.policy);
  }
}

/** props -> (policy, plan) -> the base construct's props. Throws before anything is created. */
function resolveAwsProps(
  scope: Construct,
  id: string,
  props: RedisReplicationGroupProps,
): { props: BaseProps; deployment: Deployment } {
  const source = constructSource('RedisReplicationGroup', scope.node.path ? `${scope.node.path}/${id}` : id);
  if (!props || typeof props !== 'object')
    throw propError(source, 'props', props, 'expected an object with at least vpc');
  if (!props.vpc)
    throw propError(source, 'vpc', props.vpc, 'give the VPC the group lives in (ec2.Vpc or Vpc.fromLookup)');
  const cat = awsCatalog();
  checkOneOf(
    source,
    'nodeType',
    props.nodeType,
    cat.nodeTypes.map((n) => n.type),
    'an ElastiCache node type in the AWS catalog',
  );
  checkInt(source, 'shards', props.shards, 1, cat.maxShards, 'ElastiCache node groups, lib/catalog');
  checkInt(
    source,
    'replicasPerShard',
    props.replicasPerShard,
    0,
    cat.maxReplicasPerShard,
    'ElastiCache replicas per shard, lib/catalog',
  );
  if (props.clusterMode === false && (props.shards ?? 1) > 1) {
    throw propError(
      source,
      'shards',
      props.shards,
      'cluster mode is off, so there is one shard; set clusterMode: true or shards: 1',
    );
  }
  const name = props.replicationGroupId ?? id.toLowerCase();
  const engine = props.policy?.engine ?? 'redis';
  checkOneOf(
    source,
    'policy.engineVersion',
    props.policy?.engineVersion,
    cat.engineVersions[engine],
    `a ${engine} version ElastiCache offers`,
  );

  const spec = buildSpec(source, name, props.policy, {
    availability: availabilityFor(props.policy, {
      shards: props.shards,
      replicasPerShard: props.replicasPerShard,
      cluster: props.clusterMode,
    }),
    // The planner reads only the node type and region here; ids are placeholders it never uses.
    ...(props.nodeType
      ? {
          targets: {
            aws: {
              region: regionOf(scope) ?? cat.defaultRegion,
              vpcId: 'vpc-00000000',
              subnetIds: ['subnet-00000000'],
              nodeType: props.nodeType,
            },
          },
        }
      : {}),
  });
  const d = withPlan(deploymentOf(spec, source), props.sizing, source);
  const { policy, plan } = d;
  const choice = props.nodeType ? d.plan.choices.aws : choiceOf(d, 'aws', source);
  const clusterMode = props.clusterMode ?? ((props.shards ?? 1) > 1 || plan.topology.mode === 'cluster');
  const {
    policy: _p,
    sizing: _s,
    publishContract: _c,
    acknowledgeNagFindings: _a,
    replicationGroupId: _r,
    nodeType: _n,
    clusterMode: _m,
    shards: _sh,
    replicasPerShard: _rp,
    ...passThrough
  } = props;
  const replicas = props.replicasPerShard ?? choice.replicasPerShard;
  return {
    deployment: d,
    props: {
      ...passThrough,
      replicationGroupId: name,
      engine: policy.engine,
      engineVersion: policy.engineVersion,
      nodeType: props.nodeType ?? choice.sku,
      clusterMode,
      shards: clusterMode ? (props.shards ?? choice.shards) : 1,
      replicasPerShard: replicas,
      automaticFailover: policy.availability.automaticFailover && replicas > 0,
      multiAz: policy.availability.multiAz && replicas > 0,
      transitEncryption: policy.security.tls,
      authToken: policy.security.auth,
      // RBAC users from the role model (app, metrics, admin) unless the caller gives its own or picks token mode.
      users:
        policy.security.auth && (props.authMode ?? 'rbac') === 'rbac'
          ? (props.users ?? rbacUsers(policy))
          : undefined,
      authTokenLength: policy.security.authTokenLength,
      encryptionAtRest: policy.security.encryptionAtRest,
      snapshotRetentionDays: policy.persistence.rdb ? policy.persistence.snapshotRetentionDays : 0,
      snapshotWindow: policy.persistence.snapshotWindow,
      maintenanceWindow: policy.maintenanceWindow,
      autoMinorVersionUpgrade: true,
      maxmemoryPolicy: policy.keyspace.evictionPolicy,
      keyspaceNotifications: policy.keyspace.keyspaceNotifications || undefined,
      alarms: alarmThresholdsFor(policy, plan),
      alarmEmail: policy.alerts.email,
      deletionProtection: policy.availability.deletionProtection,
    },
  };
}

/** The stack's region when it is a literal the catalog can price, else undefined (environment-agnostic). */
function regionOf(scope: Construct): string | undefined {
  const region = Stack.of(scope).region;
  if (Token.isUnresolved(region)) return undefined;
  return region in awsCatalog().regions ? region : undefined;
}

/** Settings of the serverless cache that come from `policy` (secure defaults). */
type ServerlessPolicyOwned =
  | 'engine'
  | 'majorEngineVersion'
  | 'authentication'
  | 'passwordLength'
  | 'snapshotRetentionDays'
  | 'dailySnapshotTime'
  | 'alarms'
  | 'alarmEmail'
  | 'deletionProtection';

export interface RedisServerlessCacheProps extends Omit<
  ServerlessBaseProps,
  ServerlessPolicyOwned | 'serverlessCacheName' | 'usageLimits'
> {
  /**
   * ServerlessCacheName (1-40 lower-case letters, digits and single hyphens); also the key prefix, the
   * metrics' `clusterId` and the SSM parameter path of the connection contract.
   * @default - the construct id, lower-cased
   */
  readonly serverlessCacheName?: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec. RBAC users, snapshot
   * retention and time, alarms and deletion protection follow it. Settings a serverless cache does
   * not have (replicas, shards, multiAz: false, an eviction policy other than volatile-lru, keyspace
   * notifications, tls: false) are refused with the field and the fix.
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`: the usage limits derive from its memory need and peak
   * operations (see `usageLimits`).
   * @default - the smallest plan for the policy
   */
  readonly sizing?: RedisPlan;
  /**
   * Usage maximums. Explicit values win over the plan.
   * @default - from the plan: need / 75% (AWS's alarm share), within the catalog's bounds
   */
  readonly usageLimits?: Partial<ServerlessUsageLimits>;
  /**
   * Publish the connection contract: an SSM parameter `/redis/<name>/connection-contract` with the
   * REDIS_* variables as JSON, and stack outputs with fixed names (so one cache per stack).
   * @default true
   */
  readonly publishContract?: boolean;
  /**
   * Acknowledge the cdk-nag findings the policy accounts for (RBAC passwords without a rotation
   * schedule), with the reason, so AwsSolutions, HIPAA and NIST 800-53 R5 packs pass.
   * @default true
   */
  readonly acknowledgeNagFindings?: boolean;
}

/**
 * An ElastiCache Serverless cache (Redis OSS or Valkey) with the project's secure defaults: TLS only,
 * RBAC users with Secrets Manager passwords and a disabled default user, a customer managed KMS key,
 * private subnets and a security group, daily snapshots, usage limits from the plan, alarms on the
 * serverless metrics, deletion protection, all from the policy.
 *
 * @example
 * new RedisServerlessCache(this, 'Cache', { vpc, sizing: planRedis({ datasetGb: 2, peakOpsPerSecond: 10000 }) });
 */
export class RedisServerlessCache extends ServerlessCacheBase {
  /** The resolved policy the cache was built with. */
  readonly policy: ResolvedPolicy;
  /** The plan the usage limits came from. */
  readonly plan: RedisPlan;
  /** REDIS_* variables for applications (tokens resolve at deploy time). */
  readonly contract: ConnectionContract;
  /** The published contract (SSM parameter and outputs), when `publishContract` is on. */
  readonly contractOutputs?: RedisContractOutputs;

  constructor(scope: Construct, id: string, props: RedisServerlessCacheProps) {
    const resolved = resolveServerlessProps(scope, id, props);
    super(scope, id, resolved.props);
    this.policy = resolved.deployment.policy;
    this.plan = resolved.deployment.plan;
    this.contract = serverlessContract(this, this.policy, this.plan);
    if (props.publishContract ?? true) {
      this.contractOutputs = new RedisContractOutputs(this, 'Contract', {
        group: this,
        contract: this.contract,
      });
    }
    for (const [key, value] of Object.entries(this.policy.tags)) Tags.of(this).add(key, value);
    if (props.acknowledgeNagFindings ?? true) acknowledgeServerlessNagFindings(this);
  }
}

/**
 * The connection contract of a serverless cache: its endpoint as the one cluster node (a serverless
 * cache is cluster mode enabled with every slot on one virtual node), TLS with the system CA, and
 * the app user's Secrets Manager password.
 */
export function serverlessContract(
  cache: ServerlessCacheBase,
  policy: ResolvedPolicy,
  plan: RedisPlan,
): ConnectionContract {
  const app = cache.appUser;
  return connectionContract(
    policy,
    { ...plan, topology: { ...plan.topology, mode: 'cluster' } },
    {
      host: cache.endpointAddress,
      port: cache.port,
      passwordFrom: app ? `aws-secretsmanager:${app.secret.secretArn}:${USER_SECRET_PASSWORD_KEY}` : 'none',
      username: app?.spec.userName,
    },
  );
}

/** props -> (policy, plan) -> the base construct's props. Throws before anything is created. */
function resolveServerlessProps(
  scope: Construct,
  id: string,
  props: RedisServerlessCacheProps,
): { props: ServerlessBaseProps; deployment: Deployment } {
  const source = constructSource('RedisServerlessCache', scope.node.path ? `${scope.node.path}/${id}` : id);
  if (!props || typeof props !== 'object')
    throw propError(source, 'props', props, 'expected an object with at least vpc');
  if (!props.vpc)
    throw propError(source, 'vpc', props.vpc, 'give the VPC the cache lives in (ec2.Vpc or Vpc.fromLookup)');
  const cat = awsServerlessCatalog();
  checkInt(
    source,
    'usageLimits.dataStorageMaxGb',
    props.usageLimits?.dataStorageMaxGb,
    cat.dataStorageGb.min,
    cat.dataStorageGb.max,
    'ElastiCache Serverless DataStorage GB, lib/catalog/data/aws-serverless.json',
  );
  checkInt(
    source,
    'usageLimits.ecpuPerSecondMax',
    props.usageLimits?.ecpuPerSecondMax,
    cat.ecpuPerSecond.min,
    cat.ecpuPerSecond.max,
    'ElastiCache Serverless ECPUPerSecond, lib/catalog/data/aws-serverless.json',
  );
  const name = props.serverlessCacheName ?? id.toLowerCase();
  // The flavor on a placeholder AWS target: the spec checks of lib/policy/aws-flavor.ts then refuse
  // policy settings a serverless cache does not have, with the prop's name.
  const spec = buildSpec(source, name, props.policy, {
    targets: {
      aws: {
        region: regionOf(scope) ?? awsCatalog().defaultRegion,
        vpcId: 'vpc-00000000',
        subnetIds: ['subnet-00000000'],
        flavor: 'serverless',
      },
    },
  });
  const d = withPlan(deploymentOf(spec, source), props.sizing, source);
  const { policy, plan } = d;
  const derived = serverlessUsageLimits(plan);
  const {
    policy: _p,
    sizing: _s,
    publishContract: _c,
    acknowledgeNagFindings: _a,
    serverlessCacheName: _n,
    usageLimits: _u,
    ...passThrough
  } = props;
  const retention = policy.persistence.rdb ? policy.persistence.snapshotRetentionDays : 0;
  return {
    deployment: d,
    props: {
      ...passThrough,
      serverlessCacheName: name,
      engine: policy.engine,
      majorEngineVersion: serverlessMajorVersion(policy.engineVersion),
      authentication: policy.security.auth,
      // RBAC users from the role model (app, metrics, admin) unless the caller gives its own.
      users: policy.security.auth ? (props.users ?? rbacUsers(policy)) : undefined,
      passwordLength: policy.security.authTokenLength,
      snapshotRetentionDays: retention,
      // The start of the policy's daily snapshot window.
      dailySnapshotTime: policy.persistence.snapshotWindow.split('-')[0],
      usageLimits: {
        dataStorageMaxGb: props.usageLimits?.dataStorageMaxGb ?? derived.dataStorageMaxGb,
        ecpuPerSecondMax: props.usageLimits?.ecpuPerSecondMax ?? derived.ecpuPerSecondMax,
      },
      alarms: serverlessAlarmThresholdsFor(policy, plan, cat.limitAlarmPercent),
      alarmEmail: policy.alerts.email,
      deletionProtection: policy.availability.deletionProtection,
    },
  };
}
