/** Props-level tests of RedisReplicationGroup (no spec, no plan). */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AUTH_TOKEN_EXCLUDED_CHARACTERS } from '../../lib/aws/auth-token';
import { RedisReplicationGroup } from '../../lib/aws/redis-replication-group';
import { CLIENT_SG, SUBNETS, groupProps, makeGroup, testStack } from './fixtures';

const RG = 'AWS::ElastiCache::ReplicationGroup';

describe('RedisReplicationGroup (cluster mode, defaults)', () => {
  const { stack, group } = makeGroup();
  const template = Template.fromStack(stack);

  test('replication group: cluster mode, failover, multi-AZ, encryption, TLS required, AUTH by dynamic reference', () => {
    template.hasResourceProperties(RG, {
      Engine: 'redis',
      EngineVersion: '7.1',
      CacheNodeType: 'cache.r7g.large',
      ClusterMode: 'enabled',
      NumNodeGroups: 3,
      ReplicasPerNodeGroup: 1,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      AtRestEncryptionEnabled: true,
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: 'required',
      Port: 6380,
      SnapshotRetentionLimit: 15,
      SnapshotWindow: '03:00-04:00',
      PreferredMaintenanceWindow: 'sun:05:00-sun:06:00',
      AutoMinorVersionUpgrade: true,
      NotificationTopicArn: Match.anyValue(),
      UserGroupIds: [{ Ref: Match.stringLikeRegexp('^RedisUsersGroup') }],
    });
    const props = Object.values(template.findResources(RG))[0].Properties;
    expect(props.NumCacheClusters).toBeUndefined();
    // RBAC is the default: no shared token.
    expect(props.AuthToken).toBeUndefined();
  });

  test('deletion protection keeps the group, its secret, key and logs', () => {
    template.hasResource(RG, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain' });
  });

  test('deletion protection also keeps what the retained group still uses, so the stack can be deleted', () => {
    // CloudFormation cannot delete a subnet group, parameter group or security group that a (retained)
    // replication group still uses: the stack deletion would end in DELETE_FAILED.
    for (const type of [
      'AWS::ElastiCache::SubnetGroup',
      'AWS::ElastiCache::ParameterGroup',
      'AWS::EC2::SecurityGroup',
    ]) {
      template.allResources(type, { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    }
  });

  test('secret generator: configured length, ElastiCache-refused characters excluded, encrypted with the key', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: {
        PasswordLength: 64,
        GenerateStringKey: 'password',
        ExcludeCharacters: AUTH_TOKEN_EXCLUDED_CHARACTERS,
      },
      KmsKeyId: Match.anyValue(),
    });
    for (const c of ['@', '"', '/', ' ']) expect(AUTH_TOKEN_EXCLUDED_CHARACTERS).toContain(c);
    for (const c of ['!', '&', '#', '$', '^', '<', '>', '-'])
      expect(AUTH_TOKEN_EXCLUDED_CHARACTERS).not.toContain(c);
  });

  test('parameter group: family from engine + major, in the logical id; policy parameters', () => {
    template.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
      CacheParameterGroupFamily: 'redis7',
      Properties: { 'maxmemory-policy': 'volatile-lru', 'cluster-enabled': 'yes' },
    });
    const ids = Object.keys(template.findResources('AWS::ElastiCache::ParameterGroup'));
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(/Familyredis7/);
    expect(group.parameterGroup.family).toBe('redis7');
  });

  test('subnet group over the given subnets', () => {
    template.hasResourceProperties('AWS::ElastiCache::SubnetGroup', { SubnetIds: SUBNETS.slice(0, 2) });
  });

  test('security group admits only the client security group on the port, no egress', () => {
    const sg = Object.values(template.findResources('AWS::EC2::SecurityGroup'))[0].Properties;
    const ingress = sg.SecurityGroupIngress ?? [];
    const standalone = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map(
      (r) => r.Properties,
    );
    const rules = [...ingress, ...standalone];
    expect(rules).toHaveLength(1);
    expect(rules[0]).toMatchObject({
      IpProtocol: 'tcp',
      FromPort: 6380,
      ToPort: 6380,
      SourceSecurityGroupId: CLIENT_SG,
    });
    expect(JSON.stringify(sg)).not.toContain('0.0.0.0/0');
    // allowAllOutbound: false renders CDK's placeholder rule that matches no traffic.
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32' })]);
  });

  test('log delivery: slow-log and engine-log to encrypted CloudWatch log groups with retention', () => {
    template.hasResourceProperties(RG, {
      LogDeliveryConfigurations: [
        Match.objectLike({ LogType: 'slow-log', DestinationType: 'cloudwatch-logs', LogFormat: 'json' }),
        Match.objectLike({ LogType: 'engine-log', DestinationType: 'cloudwatch-logs', LogFormat: 'json' }),
      ],
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 2);
    template.allResourcesProperties('AWS::Logs::LogGroup', {
      RetentionInDays: 365,
      KmsKeyId: Match.anyValue(),
    });
  });

  test('SNS topic: KMS encrypted, TLS enforced by the topic policy', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('alarms topic policy lets CloudWatch alarms of this account publish', () => {
    const [topicId] = Object.keys(
      template.findResources('AWS::SNS::Topic', { Properties: { KmsMasterKeyId: Match.anyValue() } }),
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topicId }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: topicId },
            Condition: {
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': [
                    '',
                    ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-east-1:123456789012:alarm:*'],
                  ],
                },
              },
              StringEquals: { 'aws:SourceAccount': '123456789012' },
            },
          }),
        ]),
      },
    });
  });

  test('KMS key rotates yearly', () => {
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  test('five alarms with policy thresholds over all six nodes, to the topic', () => {
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => r.Properties);
    const byMetric = new Map<
      string,
      { Threshold: number; Metrics: Array<{ MetricStat?: { Metric: { MetricName: string } } }> }
    >();
    for (const a of alarms) {
      const stat = a.Metrics.find((m: { MetricStat?: unknown }) => m.MetricStat);
      byMetric.set(stat.MetricStat.Metric.MetricName, a);
      expect(a.AlarmActions).toHaveLength(1);
      expect(a.Metrics).toHaveLength(7); // 6 nodes + the expression
    }
    expect([...byMetric.keys()].sort()).toEqual(
      [
        'CurrConnections',
        'DatabaseMemoryUsagePercentage',
        'EngineCPUUtilization',
        'Evictions',
        'ReplicationLag',
      ].sort(),
    );
    expect(byMetric.get('EngineCPUUtilization')!.Threshold).toBe(80);
    expect(byMetric.get('DatabaseMemoryUsagePercentage')!.Threshold).toBe(90);
    expect(byMetric.get('Evictions')!.Threshold).toBe(1000);
    expect(byMetric.get('CurrConnections')!.Threshold).toBe(3920); // 80% of 4900
    expect(byMetric.get('ReplicationLag')!.Threshold).toBe(1);
    expect(group.nodeIds).toEqual([
      'test-redis-0001-001',
      'test-redis-0001-002',
      'test-redis-0002-001',
      'test-redis-0002-002',
      'test-redis-0003-001',
      'test-redis-0003-002',
    ]);
  });

  test('connections, endpoint and metric helpers', () => {
    expect(group.connections.defaultPort?.toString()).toBe('6380');
    expect(JSON.stringify(stack.resolve(group.endpointAddress))).toContain('ConfigurationEndPoint.Address');
    const cpu = group.metricEngineCPUUtilization().toMetricConfig();
    expect(cpu.mathExpression?.expression).toBe('MAX(METRICS())');
    expect(Object.keys(cpu.mathExpression?.usingMetrics ?? {})).toHaveLength(6);
    const ev = group.metricEvictions().toMetricConfig();
    expect(ev.mathExpression?.expression).toBe('SUM(METRICS())');
    for (const m of [
      group.metricDatabaseMemoryUsagePercentage(),
      group.metricCurrConnections(),
      group.metricReplicationLag(),
    ]) {
      expect(m.toMetricConfig().mathExpression).toBeDefined();
    }
    const node = group.metricForNode('CurrConnections', 'test-redis-0001-001').toMetricConfig();
    expect(node.metricStat?.dimensions).toEqual([{ name: 'CacheClusterId', value: 'test-redis-0001-001' }]);
  });
});

test('grantReadAuthToken gives the grantee read on the secret and decrypt on the key', () => {
  const { stack, group } = makeGroup({ authMode: 'token' });
  const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  group.grantReadAuthToken(role);
  const t = Template.fromStack(stack);
  expect(Object.values(t.findResources(RG))[0].Properties.AuthToken).toEqual({
    'Fn::Join': [
      '',
      ['{{resolve:secretsmanager:', { Ref: expect.any(String) }, ':SecretString:password::}}'],
    ],
  });
  t.resourceCountIs('AWS::ElastiCache::User', 0);
  const policy = JSON.stringify(t.findResources('AWS::IAM::Policy'));
  expect(policy).toContain('secretsmanager:GetSecretValue');
  // The key lives in the same stack, so CDK grants decrypt through the key policy (via Secrets Manager only).
  t.hasResourceProperties('AWS::KMS::Key', {
    KeyPolicy: {
      Statement: Match.arrayWith([
        Match.objectLike({
          Action: 'kms:Decrypt',
          Principal: { AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp('^App'), 'Arn'] } },
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } },
        }),
      ]),
    },
  });
});

test('cluster mode off: NumCacheClusters, primary endpoint, cluster-enabled no, node ids without shard part', () => {
  const { stack, group } = makeGroup({ clusterMode: false, shards: 1, replicasPerShard: 2 });
  const t = Template.fromStack(stack);
  t.hasResourceProperties(RG, { ClusterMode: 'disabled', NumCacheClusters: 3 });
  t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
    Properties: Match.objectLike({ 'cluster-enabled': 'no' }),
  });
  expect(group.nodeIds).toEqual(['test-redis-001', 'test-redis-002', 'test-redis-003']);
  expect(JSON.stringify(stack.resolve(group.endpointAddress))).toContain('PrimaryEndPoint.Address');
});

test('valkey 8 gets the valkey8 family; a customer KMS key goes to KmsKeyId; keyspace notifications set', () => {
  const stack = testStack();
  const key = kms.Key.fromKeyArn(
    stack,
    'Cmk',
    'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555',
  );
  new RedisReplicationGroup(
    stack,
    'Redis',
    groupProps(stack, {
      engine: 'valkey',
      engineVersion: '8.0',
      atRestKey: key,
      keyspaceNotifications: 'Ex',
    }),
  );
  const t = Template.fromStack(stack);
  t.hasResourceProperties('AWS::ElastiCache::ParameterGroup', {
    CacheParameterGroupFamily: 'valkey8',
    Properties: Match.objectLike({ 'notify-keyspace-events': 'Ex' }),
  });
  t.hasResourceProperties(RG, { Engine: 'valkey', KmsKeyId: key.keyArn });
});

test('redis 6.2 with TLS: TLS on, no TransitEncryptionMode (ElastiCache refuses it below 7.0.5)', () => {
  const { stack } = makeGroup({ engineVersion: '6.2' });
  const props = Object.values(Template.fromStack(stack).findResources(RG))[0].Properties;
  expect(props.TransitEncryptionEnabled).toBe(true);
  expect(props.TransitEncryptionMode).toBeUndefined();
  // Redis 6.2 has RBAC (ElastiCache: Redis OSS 6.0 onward).
  expect(props.UserGroupIds).toHaveLength(1);
});

test('without deletion protection: snapshot on delete, secret destroyed with the stack', () => {
  const { stack } = makeGroup({ deletionProtection: false });
  const t = Template.fromStack(stack);
  t.hasResource(RG, { DeletionPolicy: 'Snapshot' });
  t.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  // The group goes first, then what it used.
  for (const type of [
    'AWS::ElastiCache::SubnetGroup',
    'AWS::ElastiCache::ParameterGroup',
    'AWS::EC2::SecurityGroup',
  ]) {
    for (const r of Object.values(t.findResources(type))) expect(r.DeletionPolicy ?? 'Delete').toBe('Delete');
  }
});

test('TLS and AUTH off (development): no secret, no AuthToken, no TransitEncryptionMode; grant refuses', () => {
  const { stack, group } = makeGroup({
    clusterMode: false,
    shards: 1,
    replicasPerShard: 0,
    automaticFailover: false,
    multiAz: false,
    transitEncryption: false,
    authToken: false,
    snapshotRetentionDays: 0,
    alarms: undefined,
    deletionProtection: false,
    subnetIds: SUBNETS.slice(0, 1),
  });
  const t = Template.fromStack(stack);
  const props = Object.values(t.findResources(RG))[0].Properties;
  expect(props.TransitEncryptionEnabled).toBe(false);
  expect(props.TransitEncryptionMode).toBeUndefined();
  expect(props.AuthToken).toBeUndefined();
  expect(props.SnapshotWindow).toBeUndefined();
  t.resourceCountIs('AWS::SecretsManager::Secret', 0);
  t.resourceCountIs('AWS::CloudWatch::Alarm', 0);
  t.hasResource(RG, { DeletionPolicy: 'Delete' });
  expect(() => group.grantReadAuthToken(new iam.AccountRootPrincipal())).toThrow(/AUTH is off/);
});

test('alarms split into groups of nine nodes on large clusters', () => {
  const { stack } = makeGroup({ shards: 10, replicasPerShard: 1 });
  const alarms = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm')).map(
    (r) => r.Properties,
  );
  // 20 nodes -> 3 groups (9, 9, 2) x 5 metrics
  expect(alarms).toHaveLength(15);
  for (const a of alarms) expect(a.Metrics.length).toBeLessThanOrEqual(10);
});

describe('bad props fail at synth with a clear message', () => {
  const cases: Array<[string, Parameters<typeof makeGroup>[0], RegExp]> = [
    [
      'no subnets (production never runs without private subnets)',
      { subnetIds: [] },
      /vpcSubnets \(spec: targets\.aws\.subnetIds\): got \[\]; a replication group needs private subnets/,
    ],
    [
      'one subnet with multi-AZ',
      { subnetIds: SUBNETS.slice(0, 1) },
      /multi-AZ needs subnets in at least two availability zones; add a second private subnet, or set availability\.multiAz: false \(in production also add a waiver/,
    ],
    [
      'unknown node type',
      { nodeType: 'cache.x9.huge' },
      /nodeType .*: got "cache\.x9\.huge"; not an ElastiCache node type in lib\/catalog/,
    ],
    [
      'token length 31',
      { authTokenLength: 31 },
      /authTokenLength \(spec: security\.authTokenLength\): got 31; expected an integer from 32 to 128/,
    ],
    ['token length 129', { authTokenLength: 129 }, /got 129; expected an integer from 32 to 128/],
    [
      'token length 16 (ElastiCache minimum, below ours)',
      { authTokenLength: 16 },
      /got 16; expected an integer from 32 to 128/,
    ],
    [
      'AUTH without TLS',
      { transitEncryption: false },
      /authToken: got true; ElastiCache accepts an AUTH token or RBAC users only with transitEncryption: true/,
    ],
    [
      'several shards without cluster mode',
      { clusterMode: false, shards: 3 },
      /shards: got 3; cluster mode is off/,
    ],
    [
      'multi-AZ without replicas',
      { clusterMode: false, shards: 1, replicasPerShard: 0, automaticFailover: false },
      /multiAz: got true; multi-AZ needs automatic failover/,
    ],
    ['six replicas', { replicasPerShard: 6 }, /replicasPerShard: got 6; expected an integer from 0 to 5/],
    ['bad replication group id', { replicationGroupId: 'Bad_Name' }, /replicationGroupId: got "Bad_Name"/],
    [
      'engine version ElastiCache does not offer',
      { engineVersion: '7.3' },
      /engineVersion \(spec: engineVersion\): got "7\.3"; not a redis version ElastiCache offers \(lib\/catalog\); use one of 6\.2, 7\.0, 7\.1/,
    ],
    [
      'open CIDR',
      { clientCidrs: ['0.0.0.0/0'] },
      /clientCidrs: got "0\.0\.0\.0\/0"; expected an IPv4 CIDR narrower than \/0/,
    ],
    ['port below 1024', { port: 80 }, /port: got 80; expected an integer from 1024 to 65535/],
    [
      'retention above 35 days',
      { snapshotRetentionDays: 40 },
      /snapshotRetentionDays: got 40; expected an integer from 0 to 35/,
    ],
  ];
  test.each(cases)('%s', (_name, overrides, message) => {
    expect(() => makeGroup(overrides)).toThrow(message);
  });

  test('the message names the construct path', () => {
    expect(() => makeGroup({ nodeType: 'cache.x9.huge' })).toThrow(/^TestStack\/Redis: nodeType/);
  });
});
