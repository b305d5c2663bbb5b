/** Minimal artifacts that satisfy every invariant, for the checkers' good/bad tests. */
import { imagesCatalog } from '../../lib/catalog';
import { imageRef } from '../../lib/catalog/images';
import { fromSpec } from '../../lib/deployment';
import { roleModel } from '../../lib/policy/roles';
import { validateSpec } from '../../lib/spec/load';

export const production = fromSpec(
  validateSpec({ name: 'fix', profile: 'production', workload: { datasetGb: 1 } }),
);
export const staging = fromSpec(
  validateSpec({ name: 'fix', profile: 'staging', workload: { datasetGb: 1 } }),
);
export const waivedTls = fromSpec(
  validateSpec({
    name: 'fix',
    profile: 'production',
    workload: { datasetGb: 1 },
    security: { tls: false },
    waivers: [{ rule: 'tls', reason: 'legacy client cannot speak TLS until Q3' }],
  }),
);

export const clone = <T>(o: T): T => structuredClone(o);

/** The role model of the production fixture: the users its RBAC template must hold. */
const FIX_ROLES = roleModel(production.policy);

export function awsTemplate() {
  return {
    Resources: {
      Sg: {
        Type: 'AWS::EC2::SecurityGroup',
        Properties: {
          SecurityGroupIngress: [
            {
              SourceSecurityGroupId: 'sg-0123456789abcdef0',
              FromPort: 6380,
              ToPort: 6380,
              IpProtocol: 'tcp',
            },
          ],
        },
      },
      Subnets: { Type: 'AWS::ElastiCache::SubnetGroup', Properties: { SubnetIds: ['subnet-a', 'subnet-b'] } },
      Rg: {
        Type: 'AWS::ElastiCache::ReplicationGroup',
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
        Properties: {
          TransitEncryptionEnabled: true,
          TransitEncryptionMode: 'required',
          AtRestEncryptionEnabled: true,
          UserGroupIds: [{ Ref: 'Users' }],
          CacheSubnetGroupName: { Ref: 'Subnets' },
          SecurityGroupIds: [{ 'Fn::GetAtt': ['Sg', 'GroupId'] }],
          AutomaticFailoverEnabled: true,
          MultiAZEnabled: true,
          ReplicasPerNodeGroup: 1,
          SnapshotRetentionLimit: 15,
          SnapshotWindow: '03:00-04:00',
          PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
        },
      },
      Users: {
        Type: 'AWS::ElastiCache::UserGroup',
        Properties: {
          Engine: 'redis',
          UserGroupId: 'fix-users',
          UserIds: [{ Ref: 'UserDefault' }, { Ref: 'UserApp' }, { Ref: 'UserMetrics' }, { Ref: 'UserAdmin' }],
        },
      },
      UserDefault: {
        Type: 'AWS::ElastiCache::User',
        Properties: {
          UserName: 'default',
          AccessString: 'off -@all',
          AuthenticationMode: { Type: 'no-password-required' } as Record<string, unknown>,
        },
      },
      ...Object.fromEntries(
        (['app', 'metrics', 'admin'] as const).map((role) => [
          `User${role.charAt(0).toUpperCase()}${role.slice(1)}`,
          {
            Type: 'AWS::ElastiCache::User',
            Properties: {
              UserName: FIX_ROLES[role].user,
              AccessString: 'on ~fix:* +@all -@dangerous',
              AuthenticationMode: {
                Type: 'password',
                Passwords: [
                  {
                    'Fn::Join': [
                      '',
                      ['{{resolve:secretsmanager:', { Ref: `${role}Secret` }, ':SecretString:password::}}'],
                    ],
                  },
                ] as unknown[],
              } as Record<string, unknown>,
            } as Record<string, unknown>,
          },
        ]),
      ),
      Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
      TopicSubscription: {
        Type: 'AWS::SNS::Subscription',
        Properties: { TopicArn: { Ref: 'Topic' }, Protocol: 'email', Endpoint: 'ops@example.com' },
      },
      ...Object.fromEntries(
        ['DatabaseMemoryUsagePercentage', 'Evictions', 'CurrConnections', 'ReplicationLag'].map((m) => [
          `Alarm${m}`,
          {
            Type: 'AWS::CloudWatch::Alarm',
            Properties: {
              AlarmActions: [{ Ref: 'Topic' }],
              Metrics: [{ MetricStat: { Metric: { MetricName: m } } }],
            },
          },
        ]),
      ),
    },
    Outputs: {
      ContractRedisHost: { Value: { 'Fn::GetAtt': ['Rg', 'PrimaryEndPoint.Address'] } },
      ContractRedisTlsEnabled: { Value: 'true' },
    },
  };
}

const alert = (filter: string) => ({
  type: 'gcp:monitoring/alertPolicy:AlertPolicy',
  name: filter,
  inputs: {
    conditions: [{ conditionThreshold: { filter } }],
    notificationChannels: ['projects/p/notificationChannels/1'],
  },
});

export function gcpPreview() {
  return {
    resources: [
      {
        type: 'gcp:redis/instance:Instance',
        name: 'i',
        inputs: {
          transitEncryptionMode: 'SERVER_AUTHENTICATION',
          authEnabled: true,
          connectMode: 'PRIVATE_SERVICE_ACCESS',
          authorizedNetwork: 'projects/p/global/networks/n',
          tier: 'STANDARD_HA',
          persistenceConfig: { persistenceMode: 'RDB', rdbSnapshotPeriod: 'SIX_HOURS' },
          maintenancePolicy: { weeklyMaintenanceWindows: [{ day: 'SUNDAY' }] },
          deletionProtection: true,
        },
      },
      alert('redis.googleapis.com/stats/memory/usage_ratio'),
      alert('redis.googleapis.com/stats/evicted_keys'),
      alert('redis.googleapis.com/clients/connected'),
      alert('redis.googleapis.com/replication/offset_diff'),
    ],
    outputs: { contract: { REDIS_HOST: '10.0.0.3' } },
  };
}

const metricAlert = (metricName: string, extra = '') => ({
  type: 'azure-native:monitor:MetricAlert',
  name: metricName,
  inputs: {
    criteria: { allOf: [{ metricName, dimensions: extra ? [{ values: [extra] }] : [] }] },
    actions: [
      { actionGroupId: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Insights/actionGroups/a' },
    ],
  },
});
const lock = {
  type: 'azure-native:authorization:ManagementLockByScope',
  name: 'lock',
  inputs: {
    level: 'CanNotDelete',
    scope: '/subscriptions/s/resourceGroups/g/providers/Microsoft.Cache/redis/c',
  },
};
const pe = (groupId: string) => ({
  type: 'azure-native:network:PrivateEndpoint',
  name: 'pe',
  inputs: { privateLinkServiceConnections: [{ groupIds: [groupId] }] },
});

/** The application identity of the Azure fixtures (an Entra object id). */
export const APP_PRINCIPAL = '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a';

export function azurePremiumPreview() {
  return {
    resources: [
      {
        type: 'azure-native:redis:Redis',
        name: 'c',
        inputs: {
          name: 'c',
          resourceGroupName: 'g',
          enableNonSslPort: false,
          minimumTlsVersion: '1.2',
          publicNetworkAccess: 'Disabled',
          replicasPerMaster: 1,
          zones: ['1', '2'],
          disableAccessKeyAuthentication: true as boolean,
          redisConfiguration: {
            rdbBackupEnabled: 'true',
            rdbBackupFrequency: '360',
            aadEnabled: 'true',
          } as Record<string, string>,
        } as Record<string, unknown>,
      },
      {
        type: 'azure-native:redis:AccessPolicyAssignment',
        name: 'a',
        inputs: {
          cacheName: 'c',
          accessPolicyName: 'Data Contributor',
          objectId: APP_PRINCIPAL,
          objectIdAlias: APP_PRINCIPAL,
        } as Record<string, unknown>,
      },
      { type: 'azure-native:redis:PatchSchedule', name: 'p', inputs: {} },
      pe('redisCache'),
      lock,
      metricAlert('usedmemorypercentage'),
      metricAlert('evictedkeys'),
      metricAlert('connectedclients'),
      metricAlert('errors', 'Failover'),
    ],
  };
}

export function azureManagedPreview() {
  return {
    resources: [
      {
        type: 'azure-native:redisenterprise:RedisEnterprise',
        name: 'c',
        inputs: {
          clusterName: 'c',
          resourceGroupName: 'g',
          minimumTlsVersion: '1.2',
          publicNetworkAccess: 'Disabled',
          highAvailability: 'Enabled',
        },
      },
      {
        type: 'azure-native:redisenterprise:Database',
        name: 'd',
        inputs: {
          databaseName: 'default',
          clientProtocol: 'Encrypted',
          persistence: { aofEnabled: true },
          accessKeysAuthentication: 'Disabled',
        } as Record<string, unknown>,
      },
      {
        type: 'azure-native:redisenterprise:AccessPolicyAssignment',
        name: 'a',
        inputs: {
          clusterName: 'c',
          databaseName: 'default',
          accessPolicyName: 'default',
          user: { objectId: APP_PRINCIPAL },
        } as Record<string, unknown>,
      },
      pe('redisEnterprise'),
      lock,
      metricAlert('usedmemorypercentage'),
      metricAlert('evictedkeys'),
      metricAlert('connectedclients'),
    ],
  };
}

export function selfHostedFiles(): Record<string, string> {
  const conf = (port: number) =>
    [
      'bind 10.0.0.5',
      'protected-mode yes',
      'port 0',
      `tls-port ${port}`,
      'tls-protocols "TLSv1.2 TLSv1.3"',
      'tls-replication yes',
      'tls-cluster yes',
      'cluster-enabled yes',
      'aclfile /etc/redis/users.acl',
      'save "900 1 300 10 60 10000"',
    ].join('\n');
  return {
    'redis-7000.conf': conf(7000),
    'redis-7001.conf': conf(7001),
    'users.acl.template': 'user default off\nuser app on #{{HASH:app}} ~app:* +@all -@dangerous\n',
    'layout.json': JSON.stringify({ mode: 'cluster', nodes: [{ role: 'primary' }, { role: 'replica' }] }),
    'backup.sh': [
      '#!/usr/bin/env bash',
      'RETENTION_DAYS=15',
      'find "$BACKUP_ROOT" -mindepth 1 -maxdepth 1 -type d -mtime +"$((RETENTION_DAYS - 1))" -exec rm -rf {} +',
    ].join('\n'),
  };
}

const k8sDoc = (o: object) => JSON.stringify(o);

/** The catalog's default OpsTree Redis image, pinned by digest and above every CVE floor. */
export const REDIS_IMAGE = imageRef(imagesCatalog().images.opstreeRedis);

export function opstreeYaml(): string {
  return [
    k8sDoc({
      apiVersion: 'redis.redis.opstreelabs.in/v1beta2',
      kind: 'RedisCluster',
      metadata: { name: 'r' },
      spec: {
        clusterSize: 3,
        TLS: { secret: { secretName: 'r-tls' } },
        kubernetesConfig: { image: REDIS_IMAGE, redisSecret: { name: 'r-auth', key: 'password' } },
        redisFollower: {
          replicas: 3,
          topologySpreadConstraints: [{ topologyKey: 'topology.kubernetes.io/zone' }],
          pdb: { enabled: true, minAvailable: 1 },
        },
        storage: { keepAfterDelete: true },
      },
    }),
    k8sDoc({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: 'r-tls' },
      spec: { secretName: 'r-tls' },
    }),
    k8sDoc({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np' },
      spec: { ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }] }] },
    }),
    k8sDoc({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'np-egress' },
      spec: {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [{ protocol: 'UDP', port: 53 }],
          },
          { to: [{ podSelector: { matchLabels: { app: 'r' } } }], ports: [{ port: 6379 }] },
        ],
      },
    }),
    k8sDoc({
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'PrometheusRule',
      metadata: { name: 'pr' },
      spec: {
        groups: [
          {
            rules: [
              'redis_memory_used_bytes',
              'redis_evicted_keys_total',
              'redis_connected_clients',
              'redis_connected_slaves',
            ].map((e) => ({ expr: e })),
          },
        ],
      },
    }),
    k8sDoc({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'backup' },
      spec: {
        schedule: '0 3 * * *',
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { 'redis-iac/backup': 'r' } },
              spec: {
                containers: [
                  { name: 'backup', image: REDIS_IMAGE, env: [{ name: 'RETENTION_DAYS', value: '15' }] },
                ],
              },
            },
          },
        },
      },
    }),
  ].join('\n---\n');
}
