/**
 * targets.aws.flavor: serverless: the synthesized AWS::ElastiCache::ServerlessCache template (cdk-nag
 * packs on, cfn-lint), the usage limits derived from the plan, the construct's own checks, the public
 * RedisServerlessCache, and the spec fields the flavor refuses.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, Fn, Stack } from 'aws-cdk-lib/core';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { parse, stringify } from 'yaml';
import { addNagPacks } from '../../lib/aws/nag';
import { RedisServerlessCacheBase } from '../../lib/aws/redis-serverless-cache';
import { SERVERLESS_METRIC_DIMENSION } from '../../lib/aws/serverless-alarms';
import { serverlessUsageLimits } from '../../lib/aws/serverless-limits';
import { buildAwsApp } from '../../lib/aws/synth';
import { awsServerlessCatalog } from '../../lib/catalog/aws-serverless';
import { deploymentFromYaml, loadDeployment } from '../../lib/deployment';
import { planRedis, RedisServerlessCache } from '../../lib/public/aws';

const ROOT = path.join(__dirname, '..', '..');
const SPEC = path.join(ROOT, 'examples', 'go-api-serverless.yaml');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

describe('go-api-serverless.yaml synthesized with the three cdk-nag packs', () => {
  const d = loadDeployment(SPEC);
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-serverless-'));
  const { app, stack } = buildAwsApp(d, { outdir });
  // Throws on any unacknowledged cdk-nag finding.
  const artifact = app.synth().getStackByName(stack.stackName);
  const t = artifact.template as Json;
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));
  const ofType = (type: string) =>
    Object.values(t.Resources as Record<string, Json>).filter((r) => r.Type === type);

  test('one serverless cache with the policy: engine, version, subnets, SG, KMS, user group, snapshots, limits', () => {
    const [cache] = ofType('AWS::ElastiCache::ServerlessCache');
    const limits = serverlessUsageLimits(d.plan);
    expect(cache.Properties).toMatchObject({
      ServerlessCacheName: 'go-api-serverless',
      Engine: 'redis',
      MajorEngineVersion: '7',
      SubnetIds: ['subnet-0900000000000001a', 'subnet-0900000000000002a'],
      SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^RedisSecurityGroup/), 'GroupId'] }],
      KmsKeyId: { 'Fn::GetAtt': [expect.stringMatching(/^RedisKey/), 'Arn'] },
      UserGroupId: { Ref: expect.stringMatching(/^RedisUsersGroup/) },
      SnapshotRetentionLimit: 15,
      DailySnapshotTime: '03:00',
      CacheUsageLimits: {
        DataStorage: { Maximum: limits.dataStorageMaxGb, Unit: 'GB' },
        ECPUPerSecond: { Maximum: limits.ecpuPerSecondMax },
      },
    });
    expect(cache.DeletionPolicy).toBe('Retain');
    expect(cache.Properties.FinalSnapshotName).toBeUndefined();
  });

  test('nothing a serverless cache does not have: no replication group, subnet or parameter group, events topic, logs', () => {
    for (const type of [
      'AWS::ElastiCache::ReplicationGroup',
      'AWS::ElastiCache::SubnetGroup',
      'AWS::ElastiCache::ParameterGroup',
      'AWS::Logs::LogGroup',
    ])
      expect(ofType(type)).toEqual([]);
    // Only the KMS-encrypted alarms topic.
    expect(ofType('AWS::SNS::Topic').map((x) => Boolean(x.Properties.KmsMasterKeyId))).toEqual([true]);
  });

  test('RBAC: disabled default user and the role model users with Secrets Manager passwords', () => {
    const users = ofType('AWS::ElastiCache::User').map((u) => u.Properties);
    expect(users.find((u) => u.UserName === 'default').AccessString).toMatch(/^off /);
    expect(
      users
        .filter((u) => u.UserName !== 'default')
        .map((u) => u.UserName)
        .sort(),
    ).toEqual(['openctem-admin', 'openctem-app', 'openctem-metrics']);
    for (const u of users.filter((x) => x.UserName !== 'default'))
      expect(JSON.stringify(u.AuthenticationMode)).toContain('{{resolve:secretsmanager:');
  });

  test('security group admits the client group on 6379-6380 only, no egress', () => {
    const [sg] = ofType('AWS::EC2::SecurityGroup');
    expect(sg.Properties.SecurityGroupIngress).toEqual([
      expect.objectContaining({
        FromPort: 6379,
        ToPort: 6380,
        IpProtocol: 'tcp',
        SourceSecurityGroupId: 'sg-0900000000000001a',
      }),
    ]);
  });

  test('alarms on the serverless metrics, by clusterId, thresholds from the usage limits', () => {
    const alarms = ofType('AWS::CloudWatch::Alarm');
    const text = JSON.stringify(alarms);
    for (const m of [
      'BytesUsedForCache',
      'ElastiCacheProcessingUnits',
      'ThrottledCmds',
      'Evictions',
      'CurrConnections',
    ])
      expect(text).toContain(`"MetricName":"${m}"`);
    expect(text).toContain(`"Name":"${SERVERLESS_METRIC_DIMENSION}","Value":"go-api-serverless"`);
    const limits = serverlessUsageLimits(d.plan);
    const storage = alarms.find((a) => JSON.stringify(a).includes('BytesUsedForCache'));
    expect(storage.Properties.Threshold).toBe(Math.floor(limits.dataStorageMaxGb * 1e9 * 0.75));
    for (const a of alarms) expect(a.Properties.AlarmActions).toHaveLength(1);
  });

  test('the contract: endpoint as the one cluster node on 6379, TLS, the app user and its secret', () => {
    const c = t.Outputs;
    const value = (k: string) => c[k].Value;
    expect(value('ContractRedisClusterEnabled')).toBe('true');
    expect(value('ContractRedisPort')).toBe('6379');
    expect(value('ContractRedisTlsEnabled')).toBe('true');
    expect(value('ContractRedisUsername')).toBe('openctem-app');
    expect(JSON.stringify(value('ContractRedisPasswordFrom'))).toMatch(
      /aws-secretsmanager:.*RedisUsersAppSecret.*:password/,
    );
    expect(value('ContractRedisHost')).toEqual({
      'Fn::GetAtt': [expect.stringMatching(/^Redis/), 'Endpoint.Address'],
    });
    expect(Object.keys(c)).toEqual(
      expect.arrayContaining(['ConfigurationEndpoint', 'ReaderEndpoint', 'Port']),
    );
    expect(value('ContractCacheEvictionPolicy')).toBe('volatile-lru');
  });

  // cfn-lint runs on this example's template with every other example's, in one start, in stack.test.ts.
});

describe('usage limits from the plan', () => {
  const cat = awsServerlessCatalog();
  test('need / 75%, ECPUs from peak ops and value size, rounded up', () => {
    const d = loadDeployment(SPEC);
    const l = serverlessUsageLimits(d.plan);
    expect(l.neededBytes).toBe(d.plan.memory.neededBytes);
    expect(l.dataStorageMaxGb).toBe(Math.ceil(d.plan.memory.neededBytes / 0.75 / 1e9));
    expect(l.ecpuPerSecondMax).toBeGreaterThanOrEqual(Math.ceil(d.plan.throughput.peakOpsPerSecond / 0.75));
    expect(l.ecpuPerSecondMax % 1000).toBe(0);
  });
  test('a tiny workload gets the catalog minimums, a pin larger than the need wins', () => {
    const spec = parse(fs.readFileSync(SPEC, 'utf8'));
    spec.workload = { datasetGb: 0.001, peakOpsPerSecond: 10 };
    const tiny = serverlessUsageLimits(deploymentFromYaml(stringify(spec)).plan);
    expect([tiny.dataStorageMaxGb, tiny.ecpuPerSecondMax]).toEqual([
      cat.dataStorageGb.min,
      cat.ecpuPerSecond.min,
    ]);
    spec.sizing = { memoryGb: 30, reason: 'the guide tier of 30 GB' };
    const pinned = serverlessUsageLimits(deploymentFromYaml(stringify(spec)).plan);
    expect(pinned.dataStorageMaxGb).toBe(40);
  });
});

describe('RedisServerlessCacheBase checks its props', () => {
  const stackWith = (subnets: string[]) => {
    const stack = new Stack(new App(), 'S', { env: { account: '123456789012', region: 'us-east-1' } });
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: Fn.getAzs(),
    });
    const vpcSubnets = { subnets: subnets.map((id, i) => ec2.Subnet.fromSubnetId(stack, `S${i}`, id)) };
    return { stack, vpc, vpcSubnets };
  };
  const base = {
    serverlessCacheName: 'c1',
    majorEngineVersion: '7',
    usageLimits: { dataStorageMaxGb: 5, ecpuPerSecondMax: 5000 },
  };
  const two = ['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'];
  test.each([
    [{ majorEngineVersion: '6' }, two, /majorEngineVersion.*got "6".*redis 7/],
    [{ engine: 'valkey' as const, majorEngineVersion: '7.2' }, two, /majorEngineVersion.*valkey 7, 8, 9/],
    [
      { usageLimits: { dataStorageMaxGb: 6000, ecpuPerSecondMax: 5000 } },
      two,
      /usageLimits.dataStorageMaxGb.*6000.*1 to 5000/,
    ],
    [
      { usageLimits: { dataStorageMaxGb: 5, ecpuPerSecondMax: 10 } },
      two,
      /usageLimits.ecpuPerSecondMax.*1000 to 15000000/,
    ],
    [{ dailySnapshotTime: '3am' }, two, /dailySnapshotTime.*"HH:MM"/],
    [{ serverlessCacheName: 'Bad--Name' }, two, /serverlessCacheName/],
    [{}, [two[0]], /vpcSubnets.*at least two availability zones/],
  ])('%j with %j subnets is refused', (overrides, subnets, message) => {
    const { stack, vpc, vpcSubnets } = stackWith(subnets);
    expect(
      () => new RedisServerlessCacheBase(stack, 'C', { vpc, vpcSubnets, ...base, ...overrides }),
    ).toThrow(message);
  });
  test('valid but unusual: valkey 9, names with digits, no deletion protection -> final snapshot, own KMS key, every option', () => {
    const { stack, vpc, vpcSubnets } = stackWith([...two, 'subnet-0123456789abcdef3']);
    new RedisServerlessCacheBase(stack, 'C', {
      vpc,
      vpcSubnets,
      serverlessCacheName: 'api2-cache-9',
      engine: 'valkey',
      majorEngineVersion: '9',
      description: 'v9',
      snapshotRetentionDays: 35,
      dailySnapshotTime: '23:59',
      usageLimits: { dataStorageMaxGb: 5000, ecpuPerSecondMax: 15_000_000 },
      clientCidrs: ['10.1.0.0/16'],
      deletionProtection: false,
      passwordLength: 128,
    });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::ElastiCache::ServerlessCache', {
      DeletionPolicy: 'Delete',
      Properties: {
        Engine: 'valkey',
        MajorEngineVersion: '9',
        FinalSnapshotName: 'api2-cache-9-final',
        SnapshotRetentionLimit: 35,
      },
    });
  });
});

describe('public RedisServerlessCache', () => {
  test('defaults: production policy, limits from planRedis, nag acknowledgements, contract published', () => {
    const app = new App();
    const stack = new Stack(app, 'User', { env: { account: '123456789012', region: 'us-east-1' } });
    // An imported VPC: the user's own VPC resources are not what the packs check here.
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['us-east-1a', 'us-east-1b'],
      privateSubnetIds: ['subnet-0123456789abcdef1', 'subnet-0123456789abcdef2'],
    });
    const cache = new RedisServerlessCache(stack, 'Cache', {
      vpc,
      sizing: planRedis({ datasetGb: 2, peakOpsPerSecond: 10000 }),
    });
    addNagPacks(app);
    app.synth();
    expect(cache.contract.REDIS_CLUSTER_ENABLED).toBe('true');
    expect(cache.usageLimits).toEqual({
      dataStorageMaxGb: serverlessUsageLimits(cache.plan).dataStorageMaxGb,
      ecpuPerSecondMax: serverlessUsageLimits(cache.plan).ecpuPerSecondMax,
    });
    Template.fromStack(stack).resourceCountIs('AWS::ElastiCache::ServerlessCache', 1);
  });
  test.each([
    [
      { policy: { availability: { replicasPerShard: 2 } } },
      /policy.availability.replicasPerShard.*serverless/,
    ],
    [
      { policy: { keyspace: { evictionPolicy: 'allkeys-lru' as const } } },
      /policy.keyspace.evictionPolicy.*volatile-lru/,
    ],
    [{ usageLimits: { dataStorageMaxGb: 0 } }, /usageLimits.dataStorageMaxGb.*1 to 5000/],
  ])('%j is refused naming the prop', (props, message) => {
    const stack = new Stack(new App(), 'U');
    const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['a', 'b'],
    });
    expect(() => new RedisServerlessCache(stack, 'Cache', { vpc, ...props })).toThrow(message);
  });
});
