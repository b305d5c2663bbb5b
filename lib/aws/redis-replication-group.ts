/**
 * RedisReplicationGroup: an ElastiCache (Redis OSS or Valkey) replication group with the secure
 * defaults of this project: TLS required, RBAC users with Secrets Manager passwords (or one AUTH
 * token), encryption at rest,
 * private subnets only, a non-default port, logs, alarms to an encrypted SNS topic and events to a TLS-only one.
 *
 * The construct takes plain props (no spec, no plan) so it can be reused on its own; the stack in
 * ./stack.ts maps a deployment (policy + plan + spec.targets.aws) onto these props.
 */
import {
  Duration,
  RemovalPolicy,
  Stack,
  Token,
  type IResolvable,
  type IResolveContext,
} from 'aws-cdk-lib/core';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { awsCatalog, compareVersions } from '../catalog';
import { SpecError } from '../errors';
import { RedisAlarms, type RedisAlarmThresholds } from './alarms';
import { RedisAuthToken } from './auth-token';
import { memberClusterIds, supportsTransitEncryptionMode, type RedisEngine } from './engine';
import { RedisLogDelivery } from './log-delivery';
import { RedisNotifications } from './notifications';
import { RedisParameterGroup } from './parameter-group';
import { appUserOf, grantReadRbacPassword, RedisRbacUsers, type RbacUser, type RbacUserSpec } from './rbac';

/** How clients authenticate: RBAC users (one per role) or the single shared AUTH token. */
export type RedisAuthMode = 'rbac' | 'token';

/** Port used when none is given: not 6379, so scans for the well-known port miss it (cdk-nag AEC5). */
export const DEFAULT_REDIS_PORT = 6380;

export interface RedisReplicationGroupProps {
  /** VPC the replication group and its security group live in. */
  readonly vpc: ec2.IVpc;
  /**
   * Private subnets for the subnet group; with multi-AZ they must be in at least two zones.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * ElastiCache replication group id (1-40 lower-case letters, digits and hyphens). Node ids, and
   * hence the CloudWatch dimensions the alarms use, derive from it.
   */
  readonly replicationGroupId: string;
  /**
   * Description of the replication group.
   * @default - names the engine and the topology
   */
  readonly description?: string;
  /**
   * Engine.
   * @default 'redis'
   */
  readonly engine?: RedisEngine;
  /** Engine version "major.minor", e.g. "7.1" (redis) or "8.0" (valkey). */
  readonly engineVersion: string;
  /**
   * Engine versions accepted for `engineVersion`.
   * @default - the versions of `engine` in the AWS catalog
   */
  readonly allowedEngineVersions?: readonly string[];
  /** Node type, e.g. cache.r7g.large; checked against the AWS catalog (lib/catalog). */
  readonly nodeType: string;
  /**
   * Node types accepted for `nodeType`.
   * @default - every node type in the AWS catalog
   */
  readonly allowedNodeTypes?: readonly string[];
  /** Cluster mode (sharding). Off means one shard with `NumCacheClusters` nodes. */
  readonly clusterMode: boolean;
  /**
   * Shards (node groups); must be 1 when cluster mode is off.
   * @default 1
   */
  readonly shards?: number;
  /** Replicas per shard (0-5). */
  readonly replicasPerShard: number;
  /**
   * Automatic failover to a replica. ElastiCache requires it in cluster mode, so cluster mode turns
   * it on whatever this says.
   * @default - true when there is at least one replica
   */
  readonly automaticFailover?: boolean;
  /**
   * Spread primaries and replicas over availability zones (needs automatic failover and >= 2 subnets).
   * @default - on when automatic failover is on and there are replicas
   */
  readonly multiAz?: boolean;
  /**
   * TCP port of every node.
   * @default DEFAULT_REDIS_PORT (6380)
   */
  readonly port?: number;
  /**
   * TLS between clients and nodes (TransitEncryptionMode `required`: plaintext connections refused).
   * @default true
   */
  readonly transitEncryption?: boolean;
  /**
   * Require authentication (needs transitEncryption): RBAC users or an AUTH token, see `authMode`.
   * @default true
   */
  readonly authToken?: boolean;
  /**
   * How clients authenticate when `authToken` is on. `rbac`: one ElastiCache user per entry of
   * `users` with its own generated password, a disabled `default` user and a user group on the
   * replication group. `token`: one AUTH token shared by every client (each is the `default` user
   * with every command).
   * @default 'rbac'
   */
  readonly authMode?: RedisAuthMode;
  /**
   * RBAC users (roles) when `authMode` is `rbac`; the first one whose role is `app` is the one the
   * connection contract names.
   * @default - one `app` user with every key and every command but `@dangerous`
   */
  readonly users?: readonly RbacUserSpec[];
  /**
   * Length of the generated AUTH token or RBAC passwords, 32-128.
   * @default 64
   */
  readonly authTokenLength?: number;
  /**
   * Encrypt data and snapshots at rest.
   * @default true
   */
  readonly encryptionAtRest?: boolean;
  /**
   * Customer managed key for data at rest and snapshots.
   * @default - the ElastiCache AWS managed key
   */
  readonly atRestKey?: kms.IKey;
  /**
   * Days automatic snapshots are kept; 0 turns snapshots off.
   * @default 15
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Daily UTC snapshot window "HH:MM-HH:MM" (at least 60 minutes).
   * @default '03:00-04:00'
   */
  readonly snapshotWindow?: string;
  /**
   * Weekly UTC maintenance window "ddd:HH:MM-ddd:HH:MM"; the caller keeps it clear of the snapshot window.
   * @default 'sun:05:00-sun:06:00'
   */
  readonly maintenanceWindow?: string;
  /**
   * Let ElastiCache apply minor engine versions in the maintenance window.
   * @default true
   */
  readonly autoMinorVersionUpgrade?: boolean;
  /**
   * `maxmemory-policy`.
   * @default 'volatile-lru'
   */
  readonly maxmemoryPolicy?: string;
  /**
   * `notify-keyspace-events` flags.
   * @default - off
   */
  readonly keyspaceNotifications?: string;
  /**
   * Security groups of the clients allowed to connect on the port.
   * @default - none
   */
  readonly clientSecurityGroups?: ec2.ISecurityGroup[];
  /**
   * IPv4 CIDRs of the clients allowed to connect on the port.
   * @default - none
   */
  readonly clientCidrs?: string[];
  /**
   * Retention of the slow-log and engine-log groups.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Alarm thresholds; without them no alarms are created (events still go to the topic).
   * @default - no alarms
   */
  readonly alarms?: RedisAlarmThresholds;
  /**
   * E-mail address subscribed to the events and alarms topics.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Keep the replication group (and its secret, key, logs, subnet group, parameter group and security
   * group, which it keeps using) when it leaves the stack. When off,
   * CloudFormation takes a final snapshot on delete if snapshots are on.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** Everything resolved from the props, with defaults applied. */
interface Resolved {
  engine: RedisEngine;
  shards: number;
  port: number;
  transit: boolean;
  auth: boolean;
  authMode: RedisAuthMode;
  atRest: boolean;
  automaticFailover: boolean;
  multiAz: boolean;
  retentionDays: number;
  deletionProtection: boolean;
  subnets: ec2.ISubnet[];
}

/** The app user when no `users` are given: every key, every command but `@dangerous`. */
const DEFAULT_APP_USER: RbacUserSpec = {
  role: 'app',
  userName: 'app',
  rules: ['~*', '&*', '+@all', '-@dangerous'],
  purpose: 'application',
};

/** KMS condition key: true when the grant is created by an AWS service integrated with KMS. */
export const GRANT_FOR_AWS_RESOURCE = 'kms:GrantIsForAWSResource';

/**
 * Adds `kms:GrantIsForAWSResource: true` to every Allow statement of the key policy that names
 * kms:CreateGrant (Secrets Manager's encryption grant adds one without it). The policy document is
 * resolved when the template is written, so statements added after this call are covered too.
 */
export function restrictCreateGrant(key: kms.Key): void {
  const cfn = key.node.defaultChild as kms.CfnKey;
  const original: unknown = cfn.keyPolicy;
  const wrapped: IResolvable = {
    creationStack: [],
    resolve: (ctx: IResolveContext) => {
      const doc = ctx.resolve(original) as { Statement?: Array<Record<string, unknown>> } | undefined;
      for (const st of doc?.Statement ?? []) {
        const actions = ([] as unknown[]).concat(st.Action ?? []);
        if (st.Effect !== 'Allow' || !actions.includes('kms:CreateGrant')) continue;
        const cond = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
        st.Condition = { ...cond, Bool: { ...(cond.Bool ?? {}), [GRANT_FOR_AWS_RESOURCE]: 'true' } };
      }
      return doc;
    },
    toString: () => Token.asString(wrapped),
  };
  cfn.keyPolicy = wrapped;
}

/**
 * One customer managed key (rotated yearly) for the secrets, the log groups and the topic. Its
 * policy lets CloudWatch Logs and CloudWatch alarms use it for this account only, and grants on
 * it may be created only for AWS resources (Secrets Manager and ElastiCache create their own grants
 * that way). Shared by the replication group and the serverless cache.
 */
export function createRedisKey(scope: Construct, cacheId: string, removal: RemovalPolicy): kms.Key {
  const stack = Stack.of(scope);
  const key = new kms.Key(scope, 'Key', {
    description: `Encrypts the password secrets, logs and notifications of ${cacheId}`,
    enableKeyRotation: true,
    removalPolicy: removal,
  });
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogs',
      principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: {
        ArnLike: {
          'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
        },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AlarmsToEncryptedTopic',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }),
  );
  // The account-root statement (kms:*) delegates to IAM and so also allows CreateGrant; this
  // denies every grant that is not for an AWS resource, whoever asks.
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'GrantsOnlyForAwsResources',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['kms:CreateGrant'],
      resources: ['*'],
      conditions: { Bool: { [GRANT_FOR_AWS_RESOURCE]: 'false' } },
    }),
  );
  restrictCreateGrant(key);
  return key;
}

export class RedisReplicationGroup extends Construct implements ec2.IConnectable {
  /** The L1 resource, for overrides. */
  readonly resource: elasticache.CfnReplicationGroup;
  readonly replicationGroupId: string;
  readonly port: number;
  readonly clusterMode: boolean;
  /** Security group of the nodes, with `defaultPort` set: `rg.connections.allowDefaultPortFrom(x)`. */
  readonly connections: ec2.Connections;
  readonly securityGroup: ec2.SecurityGroup;
  /** The AUTH token secret (JSON key `password`), in token mode. */
  readonly authTokenSecret?: secretsmanager.ISecret;
  /** The RBAC users, user group and password secrets, in RBAC mode. */
  readonly rbac?: RedisRbacUsers;
  /** `rbac`, `token`, or undefined when authentication is off. */
  readonly authMode?: RedisAuthMode;
  /** Key encrypting the secret, the log groups and the topic. */
  readonly encryptionKey: kms.Key;
  readonly parameterGroup: RedisParameterGroup;
  readonly subnetGroup: elasticache.CfnSubnetGroup;
  readonly logDelivery: RedisLogDelivery;
  /** KMS-encrypted topic of the CloudWatch alarms. */
  readonly topic: sns.ITopic;
  /** Topic of the ElastiCache events (unencrypted: ElastiCache cannot publish to an encrypted topic). */
  readonly eventsTopic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[];
  /** CacheClusterId of every node (CloudWatch dimension). */
  readonly nodeIds: string[];
  readonly transitEncryption: boolean;
  readonly authEnabled: boolean;

  constructor(scope: Construct, id: string, props: RedisReplicationGroupProps) {
    super(scope, id);
    const r = this.resolveProps(props);
    this.replicationGroupId = props.replicationGroupId;
    this.port = r.port;
    this.clusterMode = props.clusterMode;
    this.transitEncryption = r.transit;
    this.authEnabled = r.auth;
    this.authMode = r.auth ? r.authMode : undefined;
    const removal = r.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.encryptionKey = this.createKey(props, removal);
    this.securityGroup = this.createSecurityGroup(props);
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      defaultPort: ec2.Port.tcp(r.port),
    });

    this.subnetGroup = new elasticache.CfnSubnetGroup(this, 'SubnetGroup', {
      description: `Private subnets of ${props.replicationGroupId}`,
      subnetIds: r.subnets.map((s) => s.subnetId),
    });
    this.parameterGroup = new RedisParameterGroup(this, 'Parameters', {
      engine: r.engine,
      engineVersion: props.engineVersion,
      clusterMode: props.clusterMode,
      maxmemoryPolicy: props.maxmemoryPolicy,
      keyspaceNotifications: props.keyspaceNotifications,
    });
    this.logDelivery = new RedisLogDelivery(this, 'Logs', {
      encryptionKey: this.encryptionKey,
      retention: props.logRetention,
      removalPolicy: removal,
    });
    const notifications = new RedisNotifications(this, 'Notifications', {
      encryptionKey: this.encryptionKey,
      email: props.alarmEmail,
    });
    this.topic = notifications.topic;
    // Created: events default to on.
    this.eventsTopic = notifications.eventsTopic!;

    let token: RedisAuthToken | undefined;
    if (r.auth && r.authMode === 'rbac') {
      this.rbac = new RedisRbacUsers(this, 'Users', {
        replicationGroupId: props.replicationGroupId,
        users: props.users ?? [DEFAULT_APP_USER],
        restrictedCommands: awsCatalog().restrictedCommands,
        encryptionKey: this.encryptionKey,
        passwordLength: props.authTokenLength,
        removalPolicy: removal,
      });
    } else if (r.auth) {
      token = new RedisAuthToken(this, 'AuthToken', {
        length: props.authTokenLength,
        encryptionKey: this.encryptionKey,
        removalPolicy: removal,
        description: `AUTH token of ElastiCache replication group ${props.replicationGroupId}`,
      });
      this.authTokenSecret = token.secret;
    }

    this.resource = new elasticache.CfnReplicationGroup(this, 'Resource', {
      replicationGroupId: props.replicationGroupId,
      replicationGroupDescription:
        props.description ??
        `${r.engine} ${props.engineVersion}, ${props.clusterMode ? `${r.shards} shards` : 'cluster mode off'}, ${props.replicasPerShard} replica(s) per shard`,
      engine: r.engine,
      engineVersion: props.engineVersion,
      cacheNodeType: props.nodeType,
      dataTieringEnabled: this.dataTiering(props.nodeType) || undefined,
      clusterMode: props.clusterMode ? 'enabled' : 'disabled',
      ...(props.clusterMode
        ? { numNodeGroups: r.shards, replicasPerNodeGroup: props.replicasPerShard }
        : { numCacheClusters: props.replicasPerShard + 1 }),
      automaticFailoverEnabled: r.automaticFailover,
      multiAzEnabled: r.multiAz,
      port: r.port,
      cacheSubnetGroupName: this.subnetGroup.ref,
      cacheParameterGroupName: this.parameterGroup.parameterGroupName,
      securityGroupIds: [this.securityGroup.securityGroupId],
      atRestEncryptionEnabled: r.atRest,
      kmsKeyId: r.atRest ? props.atRestKey?.keyArn : undefined,
      transitEncryptionEnabled: r.transit,
      // 'required' (plaintext refused) where ElastiCache has the setting; older Redis with TLS is TLS-only.
      transitEncryptionMode:
        r.transit && supportsTransitEncryptionMode(r.engine, props.engineVersion) ? 'required' : undefined,
      authToken: token ? token.dynamicReference().unsafeUnwrap() : undefined,
      userGroupIds: this.rbac ? [this.rbac.userGroup.ref] : undefined,
      snapshotRetentionLimit: r.retentionDays,
      snapshotWindow: r.retentionDays > 0 ? (props.snapshotWindow ?? '03:00-04:00') : undefined,
      preferredMaintenanceWindow: props.maintenanceWindow ?? 'sun:05:00-sun:06:00',
      autoMinorVersionUpgrade: props.autoMinorVersionUpgrade ?? true,
      logDeliveryConfigurations: this.logDelivery.configurations(),
      notificationTopicArn: this.eventsTopic.topicArn,
    });
    // RETAIN keeps the data; otherwise take a final snapshot when there are snapshots to keep.
    this.resource.applyRemovalPolicy(
      r.deletionProtection
        ? RemovalPolicy.RETAIN
        : r.retentionDays > 0
          ? RemovalPolicy.SNAPSHOT
          : RemovalPolicy.DESTROY,
    );
    if (r.deletionProtection) {
      // A retained group keeps using these, and CloudFormation cannot delete a subnet group, parameter
      // group or security group in use: without RETAIN a stack deletion ends in DELETE_FAILED.
      for (const used of [this.subnetGroup, this.parameterGroup.resource, this.securityGroup]) {
        used.applyRemovalPolicy(RemovalPolicy.RETAIN);
      }
    }

    this.nodeIds = memberClusterIds(
      props.replicationGroupId,
      props.clusterMode,
      r.shards,
      props.replicasPerShard,
    );
    this.alarms = props.alarms
      ? new RedisAlarms(this, 'Alarms', {
          thresholds: props.alarms,
          nodeIds: this.nodeIds,
          hasReplicas: props.replicasPerShard > 0,
          topic: this.topic,
          nodeMetric: (name, node, options) => this.metricForNode(name, node, options),
        }).alarms
      : [];
  }

  /** Host clients connect to: the configuration endpoint in cluster mode, else the primary endpoint. */
  get endpointAddress(): string {
    return this.clusterMode
      ? this.resource.attrConfigurationEndPointAddress
      : this.resource.attrPrimaryEndPointAddress;
  }

  /** Port of the endpoint, as CloudFormation reports it (a token). */
  get endpointPort(): string {
    return this.clusterMode
      ? this.resource.attrConfigurationEndPointPort
      : this.resource.attrPrimaryEndPointPort;
  }

  /** Reader endpoint (cluster mode off only). */
  get readerEndpointAddress(): string | undefined {
    return this.clusterMode ? undefined : this.resource.attrReaderEndPointAddress;
  }

  /** The RBAC user applications connect as (role `app`, else the first user), in RBAC mode. */
  get appUser(): RbacUser | undefined {
    return appUserOf(this.rbac);
  }

  /** Lets `grantee` read the password of the RBAC user of `role` (secret value and its key). */
  grantReadUserPassword(role: string, grantee: iam.IGrantable): iam.Grant {
    return grantReadRbacPassword(this.rbac, role, grantee, {
      resource: 'replication group',
      offNote: 'RBAC is off',
      path: this.node.path,
    });
  }

  /** Lets `grantee` read the AUTH token (secret value and its key). */
  grantReadAuthToken(grantee: iam.IGrantable): iam.Grant {
    if (!this.authTokenSecret) {
      throw new SpecError(
        'grantReadAuthToken',
        this.replicationGroupId,
        'AUTH is off for this replication group, so there is no token to read; set authToken: true',
        this.node.path,
      );
    }
    return this.authTokenSecret.grantRead(grantee);
  }

  /** One node's metric in AWS/ElastiCache. */
  metricForNode(metricName: string, nodeId: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: 'AWS/ElastiCache',
      metricName,
      dimensionsMap: { CacheClusterId: nodeId },
      period: Duration.minutes(1),
      ...props,
    });
  }

  /**
   * A metric over every node: `MAX` (or `SUM`) of the per-node values. For dashboards; alarms
   * split nodes into groups because an alarm holds at most 10 queries.
   */
  metric(
    metricName: string,
    props?: cloudwatch.MetricOptions & { aggregate?: 'MAX' | 'SUM' | 'AVG' },
  ): cloudwatch.IMetric {
    const { aggregate = 'MAX', ...options } = props ?? {};
    const usingMetrics: Record<string, cloudwatch.IMetric> = {};
    this.nodeIds.forEach(
      (node, i) => (usingMetrics[`n${i}`] = this.metricForNode(metricName, node, options)),
    );
    return new cloudwatch.MathExpression({
      expression: `${aggregate}(METRICS())`,
      usingMetrics,
      period: options.period ?? Duration.minutes(1),
      label: `${aggregate} ${metricName} of ${this.replicationGroupId}`,
    });
  }

  /** Busiest node's Redis engine thread CPU, percent. */
  metricEngineCPUUtilization(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('EngineCPUUtilization', { statistic: 'Average', ...props });
  }

  /** Fullest node's memory use as a percent of maxmemory. */
  metricDatabaseMemoryUsagePercentage(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('DatabaseMemoryUsagePercentage', { statistic: 'Maximum', ...props });
  }

  /** Keys evicted, summed over the nodes. */
  metricEvictions(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('Evictions', { statistic: 'Sum', aggregate: 'SUM', ...props });
  }

  /** Most client connections on one node. */
  metricCurrConnections(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('CurrConnections', { statistic: 'Maximum', ...props });
  }

  /** Slowest replica's lag behind its primary, seconds. */
  metricReplicationLag(props?: cloudwatch.MetricOptions): cloudwatch.IMetric {
    return this.metric('ReplicationLag', { statistic: 'Maximum', ...props });
  }

  private resolveProps(props: RedisReplicationGroupProps): Resolved {
    const src = this.node.path;
    const fail = (field: string, value: unknown, allowed: string): never => {
      throw new SpecError(field, value, allowed, src);
    };
    if (!/^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/.test(props.replicationGroupId)) {
      fail(
        'replicationGroupId',
        props.replicationGroupId,
        '1-40 lower-case letters, digits or single hyphens, starting with a letter',
      );
    }
    const allowed = props.allowedNodeTypes ?? awsCatalog().nodeTypes.map((n) => n.type);
    if (!allowed.includes(props.nodeType)) {
      fail(
        'nodeType (spec: targets.aws.nodeType or the planner choice)',
        props.nodeType,
        `not an ElastiCache node type in lib/catalog; use one of ${allowed.slice(0, 6).join(', ')}${allowed.length > 6 ? ', ...' : ''}`,
      );
    }
    const engine = props.engine ?? 'redis';
    const versions = props.allowedEngineVersions ?? awsCatalog().engineVersions[engine];
    if (!versions.includes(props.engineVersion)) {
      fail(
        'engineVersion (spec: engineVersion)',
        props.engineVersion,
        `not a ${engine} version ElastiCache offers (lib/catalog); use one of ${versions.join(', ')}`,
      );
    }
    const shards = props.shards ?? 1;
    if (!Number.isInteger(shards) || shards < 1 || shards > 500)
      fail('shards', shards, 'expected an integer from 1 to 500');
    if (!props.clusterMode && shards !== 1) {
      fail(
        'shards',
        shards,
        'cluster mode is off, so there is exactly one shard; set clusterMode: true or shards: 1',
      );
    }
    const replicas = props.replicasPerShard;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > 5) {
      fail('replicasPerShard', replicas, 'expected an integer from 0 to 5 (ElastiCache limit)');
    }
    const automaticFailover = props.clusterMode || (props.automaticFailover ?? replicas > 0);
    if (automaticFailover && !props.clusterMode && replicas === 0) {
      fail(
        'automaticFailover',
        true,
        'automatic failover needs at least one replica (replicasPerShard >= 1)',
      );
    }
    const multiAz = props.multiAz ?? (automaticFailover && replicas > 0);
    if (multiAz && (!automaticFailover || replicas === 0)) {
      fail(
        'multiAz',
        true,
        'multi-AZ needs automatic failover and replicasPerShard >= 1 (spec: availability.multiAz)',
      );
    }
    const subnets = this.selectSubnets(props, fail);
    if (multiAz && new Set(subnets.map((s) => s.subnetId)).size < 2) {
      fail(
        'vpcSubnets (spec: targets.aws.subnetIds)',
        subnets.map((s) => s.subnetId),
        'multi-AZ needs subnets in at least two availability zones; add a second private subnet, or set availability.multiAz: false (in production also add a waiver: { rule: multi-az, reason: ... })',
      );
    }
    const port = props.port ?? DEFAULT_REDIS_PORT;
    if (!Number.isInteger(port) || port < 1024 || port > 65535)
      fail('port', port, 'expected an integer from 1024 to 65535');
    const transit = props.transitEncryption ?? true;
    const auth = props.authToken ?? true;
    const authMode = props.authMode ?? 'rbac';
    if (auth && !transit) {
      fail(
        'authToken',
        true,
        'ElastiCache accepts an AUTH token or RBAC users only with transitEncryption: true (spec: security.tls)',
      );
    }
    if (auth && authMode === 'rbac') {
      const min = awsCatalog().rbacMinEngineVersion[engine];
      if (compareVersions(props.engineVersion, min) < 0) {
        fail(
          'authMode (spec: targets.aws.auth)',
          'rbac',
          `ElastiCache RBAC needs ${engine} ${min} or later (engine version ${props.engineVersion}); upgrade engineVersion or set targets.aws.auth: token`,
        );
      }
    }
    const retentionDays = props.snapshotRetentionDays ?? 15;
    if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > 35) {
      fail('snapshotRetentionDays', retentionDays, 'expected an integer from 0 to 35 (ElastiCache limit)');
    }
    const atRest = props.encryptionAtRest ?? true;
    if (props.atRestKey && !atRest)
      fail('atRestKey', 'a key', 'a key for data at rest needs encryptionAtRest: true');
    for (const cidr of props.clientCidrs ?? []) {
      if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || cidr.endsWith('/0')) {
        fail('clientCidrs', cidr, 'expected an IPv4 CIDR narrower than /0, such as 10.0.0.0/16');
      }
    }
    return {
      engine,
      shards,
      port,
      transit,
      auth,
      authMode,
      atRest,
      automaticFailover,
      multiAz,
      retentionDays,
      deletionProtection: props.deletionProtection ?? true,
      subnets,
    };
  }

  private selectSubnets(
    props: RedisReplicationGroupProps,
    fail: (field: string, value: unknown, allowed: string) => never,
  ): ec2.ISubnet[] {
    let subnets: ec2.ISubnet[];
    try {
      subnets = props.vpc.selectSubnets(
        props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      ).subnets;
    } catch {
      // An imported VPC without subnet attributes cannot select by type: treat as "no subnets".
      subnets = [];
    }
    if (subnets.length === 0) {
      fail(
        'vpcSubnets (spec: targets.aws.subnetIds)',
        [],
        'a replication group needs private subnets (production never runs in a default VPC); list the private subnet ids',
      );
    }
    return subnets;
  }

  private dataTiering(nodeType: string): boolean {
    const node = awsCatalog().nodeTypes.find((n) => n.type === nodeType);
    return (node?.ssdGib ?? 0) > 0;
  }

  private createKey(props: RedisReplicationGroupProps, removal: RemovalPolicy): kms.Key {
    return createRedisKey(this, props.replicationGroupId, removal);
  }

  private createSecurityGroup(props: RedisReplicationGroupProps): ec2.SecurityGroup {
    const port = props.port ?? DEFAULT_REDIS_PORT;
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.replicationGroupId}: clients on TCP ${port} only`,
      // Nodes never open connections out; replication between nodes does not pass the security group.
      allowAllOutbound: false,
    });
    for (const client of props.clientSecurityGroups ?? []) {
      sg.addIngressRule(
        ec2.Peer.securityGroupId(client.securityGroupId),
        ec2.Port.tcp(port),
        `Redis clients in ${Token.isUnresolved(client.securityGroupId) ? 'a client security group' : client.securityGroupId}`,
      );
    }
    for (const cidr of props.clientCidrs ?? []) {
      sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(port), `Redis clients in ${cidr}`);
    }
    return sg;
  }
}
