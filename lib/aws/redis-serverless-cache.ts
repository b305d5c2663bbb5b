/**
 * RedisServerlessCacheBase: an ElastiCache Serverless cache (AWS::ElastiCache::ServerlessCache) for
 * Redis OSS or Valkey with the same secure defaults as the replication group: TLS (a serverless cache
 * accepts TLS only), RBAC users with Secrets Manager passwords and a disabled default user, a customer
 * managed KMS key for data at rest and snapshots, a security group, private subnets, daily snapshots
 * kept for the policy's days, usage limits (data storage and ECPUs per second) and CloudWatch alarms
 * on the serverless metrics.
 *
 * Why the L1 `CfnServerlessCache` and not `ServerlessCache` of `@aws-cdk/aws-elasticache-alpha`: the
 * npm registry's only alpha is 2.235.1-alpha.0, forty minor versions behind the aws-cdk-lib 2.276.0
 * we pin, alpha modules are exempt from semver (any minor may change the API), and its RBAC users and
 * user groups would duplicate the L1 users of ./rbac.ts that the replication group and the
 * conformance reader already share, and its metrics use a dimension CloudWatch does not publish for
 * serverless caches (see SERVERLESS_METRIC_DIMENSION). The L1 maps 1:1 onto the template the
 * conformance matrix reads.
 *
 * What a serverless cache does not have, so this construct has no prop for it: node types, shards and
 * replicas (the service scales them and keeps data in three zones), a port (6379, reader 6380), a
 * parameter group (maxmemory-policy is volatile-lru once the data-storage maximum is reached), a
 * maintenance window (minor and patch versions apply without downtime), an AUTH token, log delivery
 * and an SNS events topic (its events go to EventBridge).
 */
import { RemovalPolicy, Token } from 'aws-cdk-lib/core';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { awsCatalog } from '../catalog';
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import { SpecError } from '../errors';
import { RedisNotifications } from './notifications';
import { createRedisKey } from './redis-replication-group';
import { appUserOf, grantReadRbacPassword, RedisRbacUsers, type RbacUser, type RbacUserSpec } from './rbac';
import type { RedisEngine } from './engine';
import { ServerlessCacheAlarms, serverlessMetric, type ServerlessAlarmThresholds } from './serverless-alarms';

/** Usage maximums of a serverless cache (CacheUsageLimits). */
export interface ServerlessUsageLimits {
  /** DataStorage maximum in GB (catalog bounds: 1 to 5000). */
  readonly dataStorageMaxGb: number;
  /** ECPUPerSecond maximum (catalog bounds: 1000 to 15,000,000). */
  readonly ecpuPerSecondMax: number;
}

export interface RedisServerlessCacheBaseProps {
  /** VPC the cache's security group lives in. */
  readonly vpc: ec2.IVpc;
  /**
   * Private subnets of the cache endpoints, in two or more availability zones.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** ServerlessCacheName (1-40 lower-case letters, digits and single hyphens); also the metrics' `clusterId`. */
  readonly serverlessCacheName: string;
  /**
   * Description of the cache.
   * @default - names the engine and the usage limits
   */
  readonly description?: string;
  /**
   * Engine.
   * @default 'redis'
   */
  readonly engine?: RedisEngine;
  /** Major engine version, e.g. "7" (redis) or "8" (valkey); checked against the serverless catalog. */
  readonly majorEngineVersion: string;
  /**
   * Require authentication: RBAC users in a user group, the `default` user disabled. Off leaves the
   * cache's default user, which needs no password.
   * @default true
   */
  readonly authentication?: boolean;
  /**
   * RBAC users (roles); the first whose role is `app` is the one the connection contract names.
   * @default - one `app` user with every key and every command but `@dangerous`
   */
  readonly users?: readonly RbacUserSpec[];
  /**
   * Length of the generated RBAC passwords, 32-128.
   * @default 64
   */
  readonly passwordLength?: number;
  /**
   * Customer managed key for data at rest and snapshots.
   * @default - the construct's own key (the one that encrypts the secrets and the alarms topic)
   */
  readonly atRestKey?: kms.IKey;
  /**
   * Days automatic snapshots are kept, 0 to 35; 0 turns daily snapshots off.
   * @default 15
   */
  readonly snapshotRetentionDays?: number;
  /**
   * UTC time of the daily snapshot, "HH:MM".
   * @default '03:00'
   */
  readonly dailySnapshotTime?: string;
  /** Usage maximums: data storage (GB) and ECPUs per second. */
  readonly usageLimits: ServerlessUsageLimits;
  /**
   * Security groups of the clients allowed to connect (ports 6379 and 6380).
   * @default - none
   */
  readonly clientSecurityGroups?: ec2.ISecurityGroup[];
  /**
   * IPv4 CIDRs of the clients allowed to connect.
   * @default - none
   */
  readonly clientCidrs?: string[];
  /**
   * Alarm thresholds; without them no alarms are created.
   * @default - no alarms
   */
  readonly alarms?: ServerlessAlarmThresholds;
  /**
   * E-mail address subscribed to the alarms topic.
   * @default - no subscription
   */
  readonly alarmEmail?: string;
  /**
   * Keep the cache (and its users, secrets and key) when it leaves the stack. When off and snapshots
   * are on, ElastiCache takes a final snapshot `<name>-final` on delete.
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/** The app user when no `users` are given: every key, every command but `@dangerous`. */
const DEFAULT_APP_USER: RbacUserSpec = {
  role: 'app',
  userName: 'app',
  rules: ['~*', '&*', '+@all', '-@dangerous'],
  purpose: 'application',
};

const NAME = /^[a-z](?!.*--)[a-z0-9-]{0,38}[a-z0-9]$|^[a-z]$/;

export class RedisServerlessCacheBase extends Construct implements ec2.IConnectable {
  /** The L1 resource, for overrides. */
  readonly resource: elasticache.CfnServerlessCache;
  readonly serverlessCacheName: string;
  /** Port of the read-write endpoint (6379, fixed by the service). */
  readonly port: number;
  /** Port of the reader endpoint (6380). */
  readonly readerPort: number;
  /** A serverless cache is always cluster mode enabled (every slot on one virtual node). */
  readonly clusterMode = true;
  /** Security group of the endpoints; `connections.allowDefaultPortFrom(x)` opens 6379. */
  readonly connections: ec2.Connections;
  readonly securityGroup: ec2.SecurityGroup;
  /** The RBAC users, user group and password secrets, when authentication is on. */
  readonly rbac?: RedisRbacUsers;
  /** Key encrypting the secrets, the alarms topic and (unless `atRestKey` is given) the data. */
  readonly encryptionKey: kms.Key;
  /** KMS-encrypted topic of the CloudWatch alarms. */
  readonly topic: sns.ITopic;
  readonly alarms: cloudwatch.Alarm[];
  readonly usageLimits: ServerlessUsageLimits;
  /** Always true: a serverless cache has no plaintext endpoint. */
  readonly transitEncryption = true;
  readonly authEnabled: boolean;
  /** No shared AUTH token on a serverless cache (kept for a uniform shape with the replication group). */
  readonly authTokenSecret?: undefined;

  constructor(scope: Construct, id: string, props: RedisServerlessCacheBaseProps) {
    super(scope, id);
    const cat = awsServerlessCatalog();
    const r = resolve(props, this.node.path);
    this.serverlessCacheName = props.serverlessCacheName;
    this.port = cat.port;
    this.readerPort = cat.readerPort;
    this.usageLimits = props.usageLimits;
    this.authEnabled = r.auth;
    const removal = r.deletionProtection ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.encryptionKey = createRedisKey(this, props.serverlessCacheName, removal);
    this.securityGroup = this.createSecurityGroup(props);
    this.connections = new ec2.Connections({
      securityGroups: [this.securityGroup],
      defaultPort: ec2.Port.tcp(this.port),
    });
    const notifications = new RedisNotifications(this, 'Notifications', {
      encryptionKey: this.encryptionKey,
      email: props.alarmEmail,
      events: false,
    });
    this.topic = notifications.topic;

    if (r.auth) {
      this.rbac = new RedisRbacUsers(this, 'Users', {
        replicationGroupId: props.serverlessCacheName,
        users: props.users ?? [DEFAULT_APP_USER],
        restrictedCommands: awsCatalog().restrictedCommands,
        encryptionKey: this.encryptionKey,
        passwordLength: props.passwordLength,
        removalPolicy: removal,
      });
    }

    const limits = props.usageLimits;
    this.resource = new elasticache.CfnServerlessCache(this, 'Resource', {
      serverlessCacheName: props.serverlessCacheName,
      description:
        props.description ??
        `${r.engine} ${props.majorEngineVersion} serverless, at most ${limits.dataStorageMaxGb} GB and ${limits.ecpuPerSecondMax} ECPU/s`,
      engine: r.engine,
      majorEngineVersion: props.majorEngineVersion,
      subnetIds: r.subnets.map((s) => s.subnetId),
      securityGroupIds: [this.securityGroup.securityGroupId],
      kmsKeyId: (props.atRestKey ?? this.encryptionKey).keyArn,
      userGroupId: this.rbac?.userGroup.ref,
      snapshotRetentionLimit: r.retentionDays > 0 ? r.retentionDays : undefined,
      dailySnapshotTime: r.retentionDays > 0 ? (props.dailySnapshotTime ?? '03:00') : undefined,
      finalSnapshotName:
        !r.deletionProtection && r.retentionDays > 0 ? `${props.serverlessCacheName}-final` : undefined,
      cacheUsageLimits: {
        dataStorage: { maximum: limits.dataStorageMaxGb, unit: 'GB' },
        ecpuPerSecond: { maximum: limits.ecpuPerSecondMax },
      },
    });
    this.resource.applyRemovalPolicy(removal);
    if (r.deletionProtection) this.securityGroup.applyRemovalPolicy(RemovalPolicy.RETAIN);

    this.alarms = props.alarms
      ? new ServerlessCacheAlarms(this, 'Alarms', {
          thresholds: props.alarms,
          cacheName: props.serverlessCacheName,
          dataStorageMaxGb: limits.dataStorageMaxGb,
          ecpuPerSecondMax: limits.ecpuPerSecondMax,
          topic: this.topic,
        }).alarms
      : [];
  }

  /** Host clients connect to (read-write endpoint). */
  get endpointAddress(): string {
    return this.resource.attrEndpointAddress;
  }

  /** Port of the endpoint, as CloudFormation reports it (a token). */
  get endpointPort(): string {
    return this.resource.attrEndpointPort;
  }

  /** Reader endpoint (port 6380). */
  get readerEndpointAddress(): string {
    return this.resource.attrReaderEndpointAddress;
  }

  /** The RBAC user applications connect as (role `app`, else the first user). */
  get appUser(): RbacUser | undefined {
    return appUserOf(this.rbac);
  }

  /** Lets `grantee` read the password of the RBAC user of `role`. */
  grantReadUserPassword(role: string, grantee: iam.IGrantable): iam.Grant {
    return grantReadRbacPassword(this.rbac, role, grantee, {
      resource: 'serverless cache',
      offNote: 'authentication is off',
      path: this.node.path,
    });
  }

  /** One metric of the cache in AWS/ElastiCache (dimension clusterId). */
  metric(metricName: string, props?: cloudwatch.MetricOptions): cloudwatch.Metric {
    return serverlessMetric(this.serverlessCacheName, metricName, props);
  }

  private createSecurityGroup(props: RedisServerlessCacheBaseProps): ec2.SecurityGroup {
    const cat = awsServerlessCatalog();
    const sg = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `${props.serverlessCacheName}: clients on TCP ${cat.port} and ${cat.readerPort} only`,
      allowAllOutbound: false,
    });
    // One rule per port: the reader endpoint listens on its own port.
    const ports = ec2.Port.tcpRange(cat.port, cat.readerPort);
    for (const client of props.clientSecurityGroups ?? []) {
      sg.addIngressRule(
        ec2.Peer.securityGroupId(client.securityGroupId),
        ports,
        `Redis clients in ${Token.isUnresolved(client.securityGroupId) ? 'a client security group' : client.securityGroupId}`,
      );
    }
    for (const cidr of props.clientCidrs ?? []) {
      sg.addIngressRule(ec2.Peer.ipv4(cidr), ports, `Redis clients in ${cidr}`);
    }
    return sg;
  }
}

interface Resolved {
  engine: RedisEngine;
  auth: boolean;
  retentionDays: number;
  deletionProtection: boolean;
  subnets: ec2.ISubnet[];
}

/** Props -> checked values with defaults; one-line errors naming the prop. */
function resolve(props: RedisServerlessCacheBaseProps, src: string): Resolved {
  const cat = awsServerlessCatalog();
  const fail = (field: string, value: unknown, allowed: string): never => {
    throw new SpecError(field, value, allowed, src);
  };
  if (!NAME.test(props.serverlessCacheName)) {
    fail(
      'serverlessCacheName',
      props.serverlessCacheName,
      '1-40 lower-case letters, digits or single hyphens, starting with a letter',
    );
  }
  const engine = props.engine ?? 'redis';
  const majors = cat.majorEngineVersions[engine];
  if (!majors.includes(props.majorEngineVersion)) {
    fail(
      'majorEngineVersion (spec: engineVersion)',
      props.majorEngineVersion,
      `ElastiCache Serverless runs ${engine} ${majors.join(', ')} (lib/catalog/data/aws-serverless.json); use one of them`,
    );
  }
  const retentionDays = props.snapshotRetentionDays ?? 15;
  if (!Number.isInteger(retentionDays) || retentionDays < 0 || retentionDays > cat.maxSnapshotRetentionDays) {
    fail(
      'snapshotRetentionDays',
      retentionDays,
      `expected an integer from 0 to ${cat.maxSnapshotRetentionDays}`,
    );
  }
  if (props.dailySnapshotTime !== undefined && !/^([01]\d|2[0-3]):[0-5]\d$/.test(props.dailySnapshotTime)) {
    fail('dailySnapshotTime', props.dailySnapshotTime, 'expected a UTC time "HH:MM" such as "03:00"');
  }
  const { dataStorageMaxGb: gb, ecpuPerSecondMax: ecpu } = props.usageLimits ?? ({} as ServerlessUsageLimits);
  if (!Number.isInteger(gb) || gb < cat.dataStorageGb.min || gb > cat.dataStorageGb.max) {
    fail(
      'usageLimits.dataStorageMaxGb',
      gb,
      `expected whole GB from ${cat.dataStorageGb.min} to ${cat.dataStorageGb.max} (ElastiCache Serverless DataStorage limit)`,
    );
  }
  if (!Number.isInteger(ecpu) || ecpu < cat.ecpuPerSecond.min || ecpu > cat.ecpuPerSecond.max) {
    fail(
      'usageLimits.ecpuPerSecondMax',
      ecpu,
      `expected a whole number from ${cat.ecpuPerSecond.min} to ${cat.ecpuPerSecond.max} (ElastiCache Serverless ECPUPerSecond limit)`,
    );
  }
  for (const cidr of props.clientCidrs ?? []) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr) || cidr.endsWith('/0')) {
      fail('clientCidrs', cidr, 'expected an IPv4 CIDR narrower than /0, such as 10.0.0.0/16');
    }
  }
  let subnets: ec2.ISubnet[];
  try {
    subnets = props.vpc.selectSubnets(
      props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    ).subnets;
  } catch {
    subnets = [];
  }
  // A serverless cache spreads its data over the zones of its subnets; it needs at least two.
  if (new Set(subnets.map((s) => s.subnetId)).size < 2) {
    fail(
      'vpcSubnets (spec: targets.aws.subnetIds)',
      subnets.map((s) => s.subnetId),
      'a serverless cache needs private subnets in at least two availability zones; list two or more private subnet ids',
    );
  }
  return {
    engine,
    auth: props.authentication ?? true,
    retentionDays,
    deletionProtection: props.deletionProtection ?? true,
    subnets,
  };
}
