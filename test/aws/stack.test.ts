/**
 * End to end: every example spec -> policy -> plan -> ElastiCache stack. Each example is
 * synthesized once (with the three cdk-nag packs on) and the results are shared by the tests.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SecretValue, Validations, type App } from 'aws-cdk-lib/core';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { IConstruct } from 'constructs';
import { parse } from 'yaml';
import { formatCfnLintFindings } from '../../lib/aws/cfn-lint';
import { nagPackClasses, RBAC_AUTH_REASON, ROTATION_REASON, USER_ROTATION_REASON } from '../../lib/aws/nag';
import { ELASTICACHE_ROLES } from '../../lib/aws/stack';
import { roleModel } from '../../lib/policy/roles';
import { scanDirectory } from '../../lib/checks/secret-scan';
import { EVENTS_TOPIC_UNENCRYPTED_REASON } from '../../lib/aws/notifications';
import { PLACEHOLDER_ACCOUNT, awsStackName, type RedisElastiCacheStack } from '../../lib/aws/stack';
import { buildAwsApp, synthAws } from '../../lib/aws/synth';
import { awsCatalog } from '../../lib/catalog';
import { fromSpec, loadDeployment, type Deployment } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';
import { alarmDeliveryProblems } from './template-checks';
import { CFN_LINT, testWith } from '../support/tools';
import { cachedCfnLint } from '../support/cfn-lint-cache';

const EXAMPLES_DIR = path.join(__dirname, '..', '..', 'examples');
const EXAMPLES = fs
  .readdirSync(EXAMPLES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
/** Examples with targets.aws.flavor: serverless: synthesized, nag-checked and linted here, asserted in serverless.test.ts. */
const SERVERLESS = EXAMPLES.filter((e) =>
  /^\s+flavor: serverless$/m.test(fs.readFileSync(path.join(EXAMPLES_DIR, e), 'utf8')),
);
const RG_EXAMPLES = EXAMPLES.filter((e) => !SERVERLESS.includes(e));
const RG = 'AWS::ElastiCache::ReplicationGroup';
/** The default spec in AUTH-token mode (targets.aws.auth: token), synthesized and linted with the examples. */
const TOKEN = 'default.yaml (auth: token)';
const DYNAMIC_PASSWORD =
  /^\{"Fn::Join":\["",\["\{\{resolve:secretsmanager:",\{"Ref":"[A-Za-z0-9]+"\},":SecretString:password::\}\}"\]\]\}$/;

// CloudFormation templates are untyped JSON; the tests index into them freely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface Template {
  Resources: Record<string, { Type: string; Properties?: Record<string, Json>; DeletionPolicy?: string }>;
  Outputs?: Record<string, { Value: unknown }>;
}
interface Synthesized {
  deployment: Deployment;
  app: App;
  stack: RedisElastiCacheStack;
  outdir: string;
  templateFile: string;
  template: Template;
}

const synthesized = new Map<string, Synthesized>();
let root: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-stack-test-'));
  const tokenSpec = parse(fs.readFileSync(path.join(EXAMPLES_DIR, 'default.yaml'), 'utf8'));
  tokenSpec.targets.aws.auth = 'token';
  const deployments: Array<[string, Deployment]> = [
    ...EXAMPLES.map((e): [string, Deployment] => [e, loadDeployment(path.join(EXAMPLES_DIR, e))]),
    [TOKEN, fromSpec(validateSpec(tokenSpec, 'default-token.yaml'), 'default-token.yaml')],
  ];
  for (const [example, deployment] of deployments) {
    const outdir = path.join(root, example.replace(/[^A-Za-z0-9.-]+/g, '_'));
    // cdk-nag runs once per app, in the test 'zero unacknowledged cdk-nag findings' below (the same
    // packs, acknowledgements honoured); as a synth plugin as well it would run twice.
    const { app, stack } = buildAwsApp(deployment, { outdir, nag: false });
    // Throws on invalid props and on CDK's template validation.
    const assembly = app.synth();
    const artifact = assembly.getStackByName(stack.stackName);
    synthesized.set(example, {
      deployment,
      app,
      stack,
      outdir,
      templateFile: path.join(outdir, artifact.templateFile),
      template: artifact.template as Template,
    });
  }
});

afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

const get = (example: string) => synthesized.get(example)!;
const resourcesOf = (t: Template, type: string) =>
  Object.entries(t.Resources).filter(([, r]) => r.Type === type);
const rgOf = (t: Template) => resourcesOf(t, RG)[0][1];

test('every example is synthesized', () => {
  expect(EXAMPLES.length).toBeGreaterThanOrEqual(2);
  expect([...synthesized.keys()]).toEqual([...EXAMPLES, TOKEN]);
});

describe.each(RG_EXAMPLES)('%s', (example) => {
  test('plan and target wired into the replication group', () => {
    const { deployment: d, template, stack } = get(example);
    const choice = d.plan.choices.aws;
    const rg = rgOf(template).Properties!;
    const cluster = d.plan.topology.mode === 'cluster';
    expect(rg.CacheNodeType).toBe(choice.sku);
    expect(rg.Engine).toBe(d.policy.engine);
    expect(rg.EngineVersion).toBe(d.policy.engineVersion);
    expect(rg.ClusterMode).toBe(cluster ? 'enabled' : 'disabled');
    if (cluster) {
      expect(rg.NumNodeGroups).toBe(choice.shards);
      expect(rg.ReplicasPerNodeGroup).toBe(choice.replicasPerShard);
    } else {
      expect(rg.NumCacheClusters).toBe(choice.replicasPerShard + 1);
    }
    expect(rg.AutomaticFailoverEnabled).toBe(cluster || d.policy.availability.automaticFailover);
    expect(rg.MultiAZEnabled).toBe(d.policy.availability.multiAz);
    expect(rg.PreferredMaintenanceWindow).toBe(d.policy.maintenanceWindow);
    expect(rg.ReplicationGroupId).toBe(d.policy.name);
    expect(stack.region).toBe(choice.region);
    expect(stack.account).toBe(d.spec.targets.aws?.account ?? PLACEHOLDER_ACCOUNT);
    expect(stack.stackName).toBe(awsStackName(d));
    resourcesOf(template, 'AWS::ElastiCache::SubnetGroup').forEach(([, r]) =>
      expect(r.Properties!.SubnetIds).toEqual(d.spec.targets.aws!.subnetIds),
    );
  });

  test('node type is in the catalog (cfn-lint does not check it on a replication group)', () => {
    const types = awsCatalog().nodeTypes.map((n) => n.type);
    expect(types).toContain(rgOf(get(example).template).Properties!.CacheNodeType);
  });

  test('parameter group family from engine + major, policy parameters', () => {
    const { deployment: d, template } = get(example);
    const [[logicalId, pg]] = resourcesOf(template, 'AWS::ElastiCache::ParameterGroup');
    const family = d.policy.engine === 'valkey' ? `valkey${d.policy.engineVersion.split('.')[0]}` : 'redis7';
    expect(pg.Properties!.CacheParameterGroupFamily).toBe(family);
    expect(logicalId).toContain(family.replace('.', ''));
    expect(pg.Properties!.Properties['maxmemory-policy']).toBe(d.policy.keyspace.evictionPolicy);
    expect(pg.Properties!.Properties['cluster-enabled']).toBe(
      d.plan.topology.mode === 'cluster' ? 'yes' : 'no',
    );
    expect(pg.Properties!.Properties['notify-keyspace-events']).toBe(
      d.policy.keyspace.keyspaceNotifications || undefined,
    );
  });

  test('security group admits only the spec clients on the port', () => {
    const { deployment: d, template } = get(example);
    const port = rgOf(template).Properties!.Port;
    expect(port).not.toBe(6379);
    const [[, sg]] = resourcesOf(template, 'AWS::EC2::SecurityGroup');
    const rules = (sg.Properties!.SecurityGroupIngress ?? []) as Array<Record<string, unknown>>;
    const sources = rules.map((r) => r.SourceSecurityGroupId ?? r.CidrIp).sort();
    const expected = [
      ...(d.spec.targets.aws!.clientSecurityGroupIds ?? []),
      ...(d.spec.targets.aws!.clientCidrs ?? []),
    ].sort();
    expect(sources).toEqual(expected);
    for (const r of rules) expect(r).toMatchObject({ IpProtocol: 'tcp', FromPort: port, ToPort: port });
  });

  test('security properties follow the policy', () => {
    const { deployment: d, template } = get(example);
    const rg = rgOf(template).Properties!;
    const s = d.policy.security;
    expect(rg.AtRestEncryptionEnabled).toBe(s.encryptionAtRest);
    expect(rg.TransitEncryptionEnabled).toBe(s.tls);
    expect(rg.TransitEncryptionMode).toBe(s.tls ? 'required' : undefined);
    if (s.auth) {
      // RBAC (the default): the group is attached to one user group, no shared token.
      expect(rg.AuthToken).toBeUndefined();
      expect(rg.UserGroupIds).toHaveLength(1);
      const [[groupId, group]] = resourcesOf(template, 'AWS::ElastiCache::UserGroup');
      expect(rg.UserGroupIds[0]).toEqual({ Ref: groupId });
      const users = Object.fromEntries(resourcesOf(template, 'AWS::ElastiCache::User'));
      const members = group.Properties!.UserIds.map((u: { Ref: string }) => users[u.Ref].Properties!);
      const roles = roleModel(d.policy);
      expect(members.map((u: Json) => u.UserName).sort()).toEqual(
        ['default', ...ELASTICACHE_ROLES.map((r) => roles[r].user)].sort(),
      );
      for (const u of members) {
        if (u.UserName === 'default') {
          expect(u.AccessString).toMatch(/^off /);
          continue;
        }
        expect(u.AccessString).toMatch(/^on /);
        expect(u.AuthenticationMode.Type).toBe('password');
        expect(u.AuthenticationMode.Passwords).toHaveLength(1);
        expect(JSON.stringify(u.AuthenticationMode.Passwords[0])).toMatch(DYNAMIC_PASSWORD);
      }
      const secrets = resourcesOf(template, 'AWS::SecretsManager::Secret');
      expect(secrets).toHaveLength(ELASTICACHE_ROLES.length);
      for (const [, secret] of secrets) {
        expect(secret.Properties!.GenerateSecretString.PasswordLength).toBe(s.authTokenLength);
        expect(secret.Properties!.KmsKeyId).toBeDefined();
      }
    } else {
      expect(rg.AuthToken).toBeUndefined();
      expect(rg.UserGroupIds).toBeUndefined();
      expect(resourcesOf(template, 'AWS::ElastiCache::User')).toEqual([]);
    }
    const retention = d.policy.persistence.rdb ? d.policy.persistence.snapshotRetentionDays : 0;
    expect(rg.SnapshotRetentionLimit).toBe(retention);
    expect(rg.SnapshotWindow).toBe(retention > 0 ? d.policy.persistence.snapshotWindow : undefined);
    expect(rg.AutoMinorVersionUpgrade).toBe(true);
    expect(rg.NotificationTopicArn).toBeDefined();
    expect(rg.LogDeliveryConfigurations.map((l: { LogType: string }) => l.LogType)).toEqual([
      'slow-log',
      'engine-log',
    ]);
    const deletion = rgOf(template).DeletionPolicy;
    expect(deletion).toBe(
      d.policy.availability.deletionProtection ? 'Retain' : retention > 0 ? 'Snapshot' : 'Delete',
    );
    // What a retained group keeps using is retained too, or the stack deletion fails on it.
    for (const type of [
      'AWS::ElastiCache::SubnetGroup',
      'AWS::ElastiCache::ParameterGroup',
      'AWS::EC2::SecurityGroup',
    ]) {
      for (const [, r] of resourcesOf(template, type)) {
        expect(r.DeletionPolicy ?? 'Delete').toBe(
          d.policy.availability.deletionProtection ? 'Retain' : 'Delete',
        );
      }
    }
    // Alarms go to a KMS-encrypted topic; ElastiCache events to a TLS-only topic that is not
    // encrypted, because ElastiCache cannot publish to an encrypted one.
    const topics = resourcesOf(template, 'AWS::SNS::Topic');
    expect(topics).toHaveLength(2);
    const eventsId = rg.NotificationTopicArn.Ref as string;
    for (const [id, topic] of topics) {
      if (id === eventsId) expect(topic.Properties?.KmsMasterKeyId).toBeUndefined();
      else expect(topic.Properties!.KmsMasterKeyId).toBeDefined();
    }
    for (const [, alarm] of resourcesOf(template, 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties!.AlarmActions).not.toContainEqual({ Ref: eventsId });
    }
    const policies = resourcesOf(template, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(2);
    for (const [, p] of policies) {
      expect(JSON.stringify(p.Properties!.PolicyDocument)).toContain('"aws:SecureTransport":"false"');
    }
    for (const [, lg] of resourcesOf(template, 'AWS::Logs::LogGroup')) {
      expect(lg.Properties!.KmsKeyId).toBeDefined();
      expect(lg.Properties!.RetentionInDays).toBeGreaterThan(0);
    }
  });

  test('alarms: thresholds from the policy, CurrConnections against the plan maxclients', () => {
    const { deployment: d, template } = get(example);
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm').map(([, r]) => r.Properties!);
    if (!d.policy.alerts.enabled) {
      expect(alarms).toHaveLength(0);
      return;
    }
    const metricOf = (a: Record<string, Json>) =>
      a.Metrics.find((m: Json) => m.MetricStat).MetricStat.Metric.MetricName;
    const threshold = (name: string) => alarms.filter((a) => metricOf(a) === name).map((a) => a.Threshold);
    const a = d.policy.alerts;
    expect(new Set(threshold('EngineCPUUtilization'))).toEqual(new Set([a.cpuPercent]));
    expect(new Set(threshold('DatabaseMemoryUsagePercentage'))).toEqual(new Set([a.memoryPercent]));
    expect(new Set(threshold('Evictions'))).toEqual(new Set([a.evictionsPerHour]));
    expect(new Set(threshold('CurrConnections'))).toEqual(
      new Set([Math.floor((d.plan.connections.maxclients * a.connectionsPercent) / 100)]),
    );
    const replicas = d.plan.choices.aws.replicasPerShard;
    expect(threshold('ReplicationLag').length > 0).toBe(replicas > 0);
    for (const alarm of alarms) expect(alarm.AlarmActions).toHaveLength(1);
  });

  test('alarm notifications can reach their topic (topic policy and key policy let CloudWatch in)', () => {
    expect(alarmDeliveryProblems(get(example).template)).toEqual([]);
  });

  test('outputs and SSM parameter carry the connection contract, without a secret', () => {
    const { deployment: d, template, stack } = get(example);
    const outputs = template.Outputs!;
    const cluster = d.plan.topology.mode === 'cluster';
    expect(outputs[cluster ? 'ConfigurationEndpoint' : 'PrimaryEndpoint']).toBeDefined();
    expect(outputs.Port).toBeDefined();
    expect(outputs.ContractRedisTlsEnabled.Value).toBe(String(d.policy.security.tls));
    expect(outputs.ContractRedisClusterEnabled.Value).toBe(String(cluster));
    expect(JSON.stringify(outputs.ContractRedisHost.Value)).toContain(
      cluster ? 'ConfigurationEndPoint.Address' : 'PrimaryEndPoint.Address',
    );
    if (d.policy.security.auth) {
      expect(outputs.AuthTokenSecretArn).toBeUndefined();
      expect(outputs.AppUserSecretArn).toBeDefined();
      expect(outputs.UserGroupId).toBeDefined();
      // The contract names the app user and its secret (the same secret as the AppUserSecretArn output).
      expect(outputs.ContractRedisUsername.Value).toBe(roleModel(d.policy).app.user);
      expect(stack.contract.REDIS_USERNAME).toBe(roleModel(d.policy).app.user);
      const from = JSON.stringify(outputs.ContractRedisPasswordFrom.Value);
      expect(from).toMatch(/"aws-secretsmanager:",\{"Ref":"[A-Za-z0-9]+"\},":password"/);
      expect(from).toContain(JSON.stringify(outputs.AppUserSecretArn.Value));
    } else {
      expect(outputs.ContractRedisPasswordFrom.Value).toBe('none');
    }
    const [[, param]] = resourcesOf(template, 'AWS::SSM::Parameter');
    expect(param.Properties!.Name).toBe(`/redis/${d.policy.name}/connection-contract`);
    const keys = Object.keys(stack.contract);
    for (const k of [
      'REDIS_HOST',
      'REDIS_PORT',
      'REDIS_TLS_ENABLED',
      'REDIS_CLUSTER_ENABLED',
      'REDIS_CLUSTER_NODES',
      'REDIS_PASSWORD_FROM',
    ]) {
      expect(keys).toContain(k);
      expect(JSON.stringify(param.Properties!.Value)).toContain(k);
    }
    expect(keys.some((k) => k === 'REDIS_PASSWORD')).toBe(false);
    // With RBAC the SSM contract also names the app user (its secret is REDIS_PASSWORD_FROM).
    const ssm = JSON.stringify(param.Properties!.Value);
    if (d.policy.security.auth) {
      expect(ssm).toContain(`\\"REDIS_USERNAME\\":\\"${roleModel(d.policy).app.user}\\"`);
    } else {
      // No auth: the key is published empty (the contract says "no user" explicitly).
      expect(ssm).toContain('\\"REDIS_USERNAME\\":\\"\\"');
    }
  });

  test('every acknowledgement carries a reason', () => {
    const acks = acknowledgementsIn(get(example).app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) expect(ack.reason.length).toBeGreaterThan(40);
  });

  test('no secret value anywhere in the cloud assembly', () => {
    expect(scanDirectory(get(example).outdir)).toEqual([]);
  });
});

describe('AUTH-token mode (targets.aws.auth: token)', () => {
  test('one AUTH token from a dynamic reference, no users or user group', () => {
    const { template, stack } = get(TOKEN);
    const rg = rgOf(template).Properties!;
    expect(JSON.stringify(rg.AuthToken)).toMatch(DYNAMIC_PASSWORD);
    expect(rg.UserGroupIds).toBeUndefined();
    expect(resourcesOf(template, 'AWS::ElastiCache::User')).toEqual([]);
    expect(resourcesOf(template, 'AWS::ElastiCache::UserGroup')).toEqual([]);
    expect(template.Outputs!.AuthTokenSecretArn).toBeDefined();
    // Token mode has no user: the key is published empty (the contract says so explicitly).
    expect(stack.contract.REDIS_USERNAME).toBe('');
    expect(JSON.stringify(template.Outputs!.ContractRedisPasswordFrom.Value)).toContain(
      JSON.stringify(template.Outputs!.AuthTokenSecretArn.Value),
    );
  });
});

describe.each([...EXAMPLES, TOKEN])('cdk-nag on %s', (example) => {
  test('zero unacknowledged cdk-nag findings in AwsSolutions, HIPAA Security and NIST 800-53 R5', () => {
    const { app } = get(example);
    const { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } = nagPackClasses();
    for (const pack of [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()]) {
      const report = pack.validateScope(app);
      expect(
        report.violations.map(
          (v) => `${v.ruleName} ${v.violatingResources.map((r) => r.resourceLogicalId).join(',')}`,
        ),
      ).toEqual([]);
    }
  });
});

describe.each([...EXAMPLES, TOKEN])('KMS key policy of %s', (example) => {
  test('CreateGrant is allowed only for AWS resources, and other grants are denied', () => {
    const keys = resourcesOf(get(example).template, 'AWS::KMS::Key');
    expect(keys.length).toBeGreaterThan(0);
    for (const [, key] of keys) {
      const statements = key.Properties!.KeyPolicy.Statement as Json[];
      const allows = statements.filter(
        (st) => st.Effect === 'Allow' && [].concat(st.Action).includes('kms:CreateGrant' as never),
      );
      for (const st of allows) expect(st.Condition.Bool['kms:GrantIsForAWSResource']).toBe('true');
      // The account-root kms:* statement also covers CreateGrant: the Deny guard closes it.
      expect(statements).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Condition: { Bool: { 'kms:GrantIsForAWSResource': 'false' } },
        }),
      );
    }
  });
});

describe('cdk-nag acknowledgements depend on the policy', () => {
  const ids = (example: string) =>
    acknowledgementsIn(get(example).app).filter((a) => !a.id.includes('@aws-cdk/'));

  const rotation = [
    'Annotation::AwsSolutions-SMG4',
    'Annotation::HIPAA.Security-SecretsManagerRotationEnabled',
    'Annotation::NIST.800.53.R5-SecretsManagerRotationEnabled',
  ];
  const eventsTopic = [
    'Annotation::AwsSolutions-SNS2',
    'Annotation::HIPAA.Security-SNSEncryptedKMS',
    'Annotation::NIST.800.53.R5-SNSEncryptedKMS',
  ];

  test('the default production spec only acknowledges the manual password rotation, AEC6 for RBAC and the unencrypted events topic', () => {
    const acks = ids('default.yaml');
    const perUser = ELASTICACHE_ROLES.flatMap(() => rotation);
    expect(acks.map((a) => a.id).sort()).toEqual(
      [...perUser, 'Annotation::AwsSolutions-AEC6', ...eventsTopic].sort(),
    );
    for (const a of acks) {
      expect(a.reason).toBe(
        rotation.includes(a.id)
          ? USER_ROTATION_REASON
          : a.id.endsWith('AEC6')
            ? RBAC_AUTH_REASON
            : EVENTS_TOPIC_UNENCRYPTED_REASON,
      );
    }
  });

  test('token mode acknowledges the manual token rotation and nothing for AEC6', () => {
    const acks = ids(TOKEN);
    expect(acks.map((a) => a.id).sort()).toEqual([...rotation, ...eventsTopic].sort());
    for (const a of acks) {
      expect(a.reason).toBe(rotation.includes(a.id) ? ROTATION_REASON : EVENTS_TOPIC_UNENCRYPTED_REASON);
    }
  });

  test('a production waiver becomes the reason', () => {
    const aec4 = ids('go-api.yaml').find((a) => a.id === 'Annotation::AwsSolutions-AEC4');
    expect(aec4?.reason).toMatch(/waived in the spec \(rule multi-az\): Standalone instance/);
  });

  test('development names its profile for TLS, AUTH, multi-AZ and backups', () => {
    const acks = ids('hospitality-development.yaml');
    for (const id of [
      'AwsSolutions-AEC3',
      'AwsSolutions-AEC4',
      'AwsSolutions-AEC6',
      'HIPAA.Security-ElastiCacheRedisClusterAutomaticBackup',
      'NIST.800.53.R5-ElastiCacheRedisClusterAutomaticBackup',
    ]) {
      expect(acks.find((a) => a.id.endsWith(`::${id}`))?.reason).toMatch(/development profile/);
    }
  });

  test('a finding nobody acknowledged fails the synth (bad fixture)', () => {
    const d = get('default.yaml').deployment;
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-nag-bad-'));
    try {
      const { app, stack } = buildAwsApp(d, { outdir });
      new secretsmanager.Secret(stack, 'UnrotatedSecret');
      expect(() => app.synth()).toThrow(/AwsSolutions-SMG4/);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

test('the cloud assembly scan finds a planted plaintext secret (bad fixture)', () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-leak-'));
  try {
    const { app, stack } = buildAwsApp(get('default.yaml').deployment, { outdir, nag: false });
    new secretsmanager.Secret(stack, 'Leak', {
      secretStringValue: SecretValue.unsafePlainText('q7Zr!x2Lm#9PvB4t&Kd8Hs-1Wn$Fy6Jc^Ue3Ga<Xo5'),
    });
    app.synth();
    const kinds = scanDirectory(outdir).map((f) => f.kind);
    expect(kinds).toContain('CloudFormation plaintext SecretString');
    expect(kinds).toContain('generated token');
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});

describe('cfn-lint', () => {
  testWith(CFN_LINT)('0 errors on every synthesized template', () => {
    const files = [...synthesized.values()].map((e) => e.templateFile);
    // Remembered by template bytes and cfn-lint version across runs (test/support/cfn-lint-cache.ts).
    const result = cachedCfnLint(files);
    expect(result.available).toBe(true);
    const errors = result.findings.filter((f) => f.level === 'Error');
    expect(formatCfnLintFindings(errors)).toBe('');
  });
});

describe('synthAws', () => {
  test('writes <outDir>/<stackName>.template.json and returns the path', () => {
    const { deployment, template } = get('platform-cache.yaml');
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aws-synth-'));
    try {
      const files = synthAws(deployment, path.join(outDir, 'dist', deployment.id, 'aws'));
      expect(files).toEqual([
        path.join(outDir, 'dist', deployment.id, 'aws', `${awsStackName(deployment)}.template.json`),
      ]);
      expect(JSON.parse(fs.readFileSync(files[0], 'utf8'))).toEqual(template);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  });
});

describe('bad deployments fail with the spec field and the fix', () => {
  const base = () => parse(fs.readFileSync(path.join(EXAMPLES_DIR, 'default.yaml'), 'utf8'));
  const build = (spec: unknown) => {
    const d = fromSpec(validateSpec(spec, 'bad.yaml'), 'bad.yaml');
    // Under the suite's root, which afterAll removes.
    return buildAwsApp(d, { nag: false, outdir: fs.mkdtempSync(path.join(root, 'bad-')) });
  };

  test('production without targets.aws', () => {
    const spec = base();
    delete spec.targets.aws;
    expect(() => build(spec)).toThrow(
      /^bad\.yaml: targets\.aws: got nothing .*production never falls back to a default VPC/,
    );
  });

  test('production multi-AZ with a single subnet', () => {
    const spec = base();
    spec.targets.aws.subnetIds = ['subnet-0a1b2c3d4e5f60711'];
    expect(() => build(spec)).toThrow(
      /targets\.aws\.subnetIds.*multi-AZ needs subnets in at least two availability zones/,
    );
  });

  test('auth token shorter than 32 outside production', () => {
    const spec = { ...base(), profile: 'staging', security: { authTokenLength: 16 } };
    expect(() => build(spec)).toThrow(
      /security\.authTokenLength\): got 16; expected an integer from 32 to 128/,
    );
  });
});

describe('the CDK app (cdk.json)', () => {
  const repo = path.join(__dirname, '..', '..');

  // `cdk synth` itself (the CLI running this app) is in test/aws/app.test.ts.
  test('a bad spec path exits 2 with one line', () => {
    const run = spawnSync(process.execPath, [require.resolve('tsx/cli'), 'stacks/aws.ts'], {
      cwd: repo,
      encoding: 'utf8',
      env: {
        ...process.env,
        CDK_CONTEXT_JSON: JSON.stringify({ spec: 'examples/does-not-exist.yaml' }),
        CDK_OUTDIR: os.tmpdir(),
      },
    });
    expect(run.status).toBe(2);
    expect(
      run.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('npm warn')),
    ).toEqual([
      expect.stringMatching(/-c spec: got ".*does-not-exist\.yaml"; expected a readable YAML file/),
    ]);
  });
});

/** Every acknowledgement recorded in the construct tree (CDK stores them as construct metadata). */
function acknowledgementsIn(scope: IConstruct): Array<{ id: string; reason: string }> {
  const out: Array<{ id: string; reason: string }> = [];
  for (const c of scope.node.findAll()) {
    for (const entry of c.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      // Stored as { "<pack>::<rule id>": "<reason>" }.
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
        out.push({ id, reason });
    }
  }
  return out;
}
