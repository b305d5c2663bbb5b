import * as path from 'node:path';
import { loadDeployment } from '../../lib/deployment';
import { awsContract, awsEvidence } from '../../lib/conformance/aws';
import { cellsFor, toCell, INVARIANTS } from '../../lib/conformance/invariants';
import { kubernetesEvidence } from '../../lib/conformance/kubernetes';
import { azureManagedEvidence, azurePremiumEvidence, gcpEvidence } from '../../lib/conformance/pulumi';
import { selfHostedEvidence } from '../../lib/conformance/selfhosted';
import type { TargetEvidence } from '../../lib/conformance/types';
import { fromSpec } from '../../lib/deployment';
import { roleModel } from '../../lib/policy/roles';
import { validateSpec } from '../../lib/spec/load';
import {
  awsTemplate,
  azureManagedPreview,
  azurePremiumPreview,
  APP_PRINCIPAL,
  clone,
  gcpPreview,
  opstreeYaml,
  production,
  selfHostedFiles,
  staging,
  waivedTls,
} from './fixtures';

const policy = production.policy;
const failing = (e: TargetEvidence) =>
  Object.entries(e)
    .filter(([, v]) => v.status === 'fail')
    .map(([k]) => k);

describe('AWS template checker', () => {
  test('a compliant template passes every invariant', () => {
    expect(failing(awsEvidence(awsTemplate(), policy))).toEqual([]);
  });

  test('Redis 6.x with TLS on and no TransitEncryptionMode (the property is refused before 7.0.5) passes TLS; Redis 7 and Valkey need the mode', () => {
    const tlsOf = (props: Record<string, unknown>) => {
      const t = awsTemplate();
      delete (t.Resources.Rg.Properties as Record<string, unknown>).TransitEncryptionMode;
      Object.assign(t.Resources.Rg.Properties, props);
      return awsEvidence(t, policy).tls.status;
    };
    expect(tlsOf({ Engine: 'redis', EngineVersion: '6.2' })).toBe('pass');
    expect(tlsOf({ Engine: 'redis', EngineVersion: '7.1' })).toBe('fail');
    expect(tlsOf({ Engine: 'valkey', EngineVersion: '8.0' })).toBe('fail');
    expect(tlsOf({ Engine: 'redis' })).toBe('fail');
    expect(tlsOf({ Engine: 'redis', EngineVersion: '6.2', TransitEncryptionEnabled: false })).toBe('fail');
  });

  test('a client security group in the same stack with open egress is not ingress to the cache', () => {
    const t = clone(awsTemplate());
    (t.Resources as Record<string, unknown>).ClientSg = {
      Type: 'AWS::EC2::SecurityGroup',
      Properties: {
        GroupDescription: 'app servers',
        SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: '-1' }],
      },
    };
    expect(awsEvidence(t, policy)['private-networking'].status).toBe('pass');
    (t.Resources as Record<string, unknown>).OpenIngress = {
      Type: 'AWS::EC2::SecurityGroupIngress',
      Properties: { CidrIpv6: '::/0', IpProtocol: 'tcp', FromPort: 6380, ToPort: 6380 },
    };
    expect(awsEvidence(t, policy)['private-networking'].status).toBe('fail');
  });

  test.each<[string, (t: ReturnType<typeof awsTemplate>) => void, string]>([
    ['TLS off', (t) => (t.Resources.Rg.Properties.TransitEncryptionEnabled = false), 'tls'],
    [
      'TLS preferred, not required',
      (t) => (t.Resources.Rg.Properties.TransitEncryptionMode = 'preferred'),
      'tls',
    ],
    [
      'literal auth token',
      (t) => ((t.Resources.Rg.Properties as Record<string, unknown>).AuthToken = 'plain'),
      'auth',
    ],
    [
      'no at-rest encryption',
      (t) => (t.Resources.Rg.Properties.AtRestEncryptionEnabled = false),
      'encryption-at-rest',
    ],
    [
      'ingress from anywhere',
      (t) =>
        ((t.Resources.Sg.Properties.SecurityGroupIngress[0] as Record<string, unknown>).CidrIp = '0.0.0.0/0'),
      'private-networking',
    ],
    ['single AZ', (t) => (t.Resources.Rg.Properties.MultiAZEnabled = false), 'replicas-zones'],
    ['one subnet', (t) => (t.Resources.Subnets.Properties.SubnetIds = ['subnet-a']), 'replicas-zones'],
    ['short retention', (t) => (t.Resources.Rg.Properties.SnapshotRetentionLimit = 3), 'snapshots'],
    [
      'no maintenance window',
      (t) => delete (t.Resources.Rg.Properties as Record<string, unknown>).PreferredMaintenanceWindow,
      'maintenance-window',
    ],
    ['no eviction alarm', (t) => delete (t.Resources as Record<string, unknown>).AlarmEvictions, 'alerts'],
    ['deletable', (t) => (t.Resources.Rg.DeletionPolicy = 'Delete'), 'deletion-protection'],
  ])('flags %s', (_name, mutate, invariant) => {
    const t = clone(awsTemplate());
    mutate(t);
    expect(failing(awsEvidence(t, policy))).toEqual([invariant]);
  });

  describe('alarms count only when they notify someone', () => {
    type Template = ReturnType<typeof awsTemplate>;
    const resources = (t: Template) =>
      t.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>;
    const alarmsOf = (t: Template) =>
      Object.values(resources(t)).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
    test('bad: the topic has no subscription (alerts.email unset, no topic given)', () => {
      const t = clone(awsTemplate());
      delete resources(t).TopicSubscription;
      const e = awsEvidence(t, policy).alerts;
      expect(e.status).toBe('fail');
      expect(e.detail).toMatch(/notify nobody: their SNS topic has no subscription \(set alerts\.email/);
    });
    test('bad: a subscription to another topic does not count', () => {
      const t = clone(awsTemplate());
      resources(t).Other2Topic = { Type: 'AWS::SNS::Topic', Properties: {} };
      resources(t).TopicSubscription.Properties.TopicArn = { Ref: 'Other2Topic' };
      expect(awsEvidence(t, policy).alerts.status).toBe('fail');
    });
    test('unusual but valid: an inline subscription on the topic counts', () => {
      const t = clone(awsTemplate());
      delete resources(t).TopicSubscription;
      resources(t).Topic.Properties.Subscription = [{ Protocol: 'email', Endpoint: 'x1@example.com' }];
      expect(awsEvidence(t, policy).alerts.status).toBe('pass');
    });
    test('unusual but valid: an explicitly given topic ARN (no topic in the template) counts', () => {
      const t = clone(awsTemplate());
      delete resources(t).TopicSubscription;
      delete resources(t).Topic;
      for (const a of alarmsOf(t)) a.Properties.AlarmActions = ['arn:aws:sns:us-east-1:123456789012:pager-2'];
      expect(awsEvidence(t, policy).alerts.status).toBe('pass');
    });
  });

  test('no replication group at all fails everything', () => {
    expect(failing(awsEvidence({ Resources: {} }, policy))).toHaveLength(9);
  });

  describe('auth cell: RBAC user group from the role model, or token mode chosen in the spec', () => {
    type T = ReturnType<typeof awsTemplate>;
    type Props = Record<string, unknown>;
    const props = (t: T, id: string) => (t.Resources as Record<string, { Properties: Props }>)[id].Properties;
    const authOf = (mutate: (t: T) => void, authMode?: 'rbac' | 'token') => {
      const t = clone(awsTemplate());
      mutate(t);
      return awsEvidence(t, policy, { authMode }).auth;
    };
    const tokenOnly = (t: T) => {
      delete (t.Resources.Rg.Properties as Props).UserGroupIds;
      (t.Resources.Rg.Properties as Props).AuthToken = {
        'Fn::Join': ['', ['{{resolve:secretsmanager:', { Ref: 'Secret' }, ':SecretString:password::}}']],
      };
    };

    test('the compliant template names the users it found', () => {
      const e = authOf(() => undefined);
      expect(e.status).toBe('pass');
      expect(e.detail).toContain(roleModel(policy).app.user);
      expect(e.detail).toContain('"default" is off');
    });

    test.each<[string, (t: T) => void, RegExp]>([
      [
        'the default user on',
        (t) => (props(t, 'UserDefault').AccessString = 'on ~* +@all'),
        /"default" user is on/,
      ],
      [
        'no default user',
        (t) => ((t.Resources.Users.Properties.UserIds as unknown[]).splice(0, 1), undefined),
        /no user named "default"/,
      ],
      [
        'a literal password',
        (t) => ((props(t, 'UserApp').AuthenticationMode as Props).Passwords = ['hunter2hunter2hunter2']),
        /has a literal password/,
      ],
      [
        'an enabled user without a password',
        (t) => (props(t, 'UserMetrics').AuthenticationMode = { Type: 'no-password-required' }),
        /needs no password/,
      ],
      [
        'the app user missing',
        (t) =>
          (t.Resources.Users.Properties.UserIds = [
            { Ref: 'UserDefault' },
            { Ref: 'UserAdmin' },
            { Ref: 'UserMetrics' },
          ]),
        /no enabled user .*-app from the role model/,
      ],
      [
        'the app user disabled',
        (t) => (props(t, 'UserApp').AccessString = 'off ~fix:* +@all'),
        /no enabled user .*-app/,
      ],
      [
        'a user group id that is not in the template',
        (t) => (t.Resources.Rg.Properties.UserGroupIds = [{ Ref: 'Elsewhere' }]),
        /does not reference an AWS::ElastiCache::UserGroup/,
      ],
      [
        'a literal AuthToken next to the user group',
        (t) => ((t.Resources.Rg.Properties as Props).AuthToken = 'plain-token-plain-token-plain-token'),
        /literal/,
      ],
      [
        'an AuthToken only, RBAC expected (no targets.aws.auth)',
        tokenOnly,
        /every client is the default user/,
      ],
      ['neither', (t) => delete (t.Resources.Rg.Properties as Props).UserGroupIds, /neither UserGroupIds/],
    ])('fails on %s (bad fixture)', (_what, mutate, detail) => {
      const e = authOf(mutate);
      expect(e.status).toBe('fail');
      expect(e.detail).toMatch(detail);
    });

    test('valid but unusual: token mode chosen in the spec, an extra IAM user, a second user group', () => {
      expect(authOf(tokenOnly, 'token')).toEqual({
        status: 'pass',
        detail: expect.stringContaining('targets.aws.auth: token'),
      });
      const e = authOf((t) => {
        const r = t.Resources as Record<string, unknown>;
        r.UserCi2 = {
          Type: 'AWS::ElastiCache::User',
          Properties: {
            UserName: 'ci-2-runner9',
            AccessString: 'on ~ci9:* +@read',
            AuthenticationMode: { Type: 'iam' },
          },
        };
        r.Users2 = {
          Type: 'AWS::ElastiCache::UserGroup',
          Properties: {
            Engine: 'redis',
            UserGroupId: 'fix-2',
            UserIds: [{ Ref: 'UserDefault' }, { Ref: 'UserCi2' }],
          },
        };
        (t.Resources.Rg.Properties.UserGroupIds as unknown[]).push({ Ref: 'Users2' });
      });
      expect(e.status).toBe('pass');
      expect(e.detail).toContain('ci-2-runner9');
    });
  });

  test('contract outputs are read back as REDIS_* names', () => {
    expect(awsContract(awsTemplate())).toEqual({
      REDIS_HOST: '${Rg.PrimaryEndPoint.Address}',
      REDIS_TLS_ENABLED: 'true',
    });
  });
});

describe('GCP preview checker', () => {
  test('compliant', () => expect(failing(gcpEvidence(gcpPreview(), policy))).toEqual([]));
  test.each<[string, (inputs: Record<string, unknown>) => void, string]>([
    ['no TLS', (i) => (i.transitEncryptionMode = 'DISABLED'), 'tls'],
    ['no AUTH', (i) => (i.authEnabled = false), 'auth'],
    ['direct peering', (i) => (i.connectMode = 'DIRECT_PEERING'), 'private-networking'],
    ['basic tier', (i) => (i.tier = 'BASIC'), 'replicas-zones'],
    ['no persistence', (i) => (i.persistenceConfig = { persistenceMode: 'DISABLED' }), 'snapshots'],
    ['no maintenance policy', (i) => delete i.maintenancePolicy, 'maintenance-window'],
    ['no deletion protection', (i) => (i.deletionProtection = false), 'deletion-protection'],
  ])('flags %s', (_n, mutate, invariant) => {
    const doc = clone(gcpPreview());
    mutate(doc.resources[0].inputs as Record<string, unknown>);
    expect(failing(gcpEvidence(doc, policy))).toEqual([invariant]);
  });
  test('flags a missing replication alert', () => {
    const doc = clone(gcpPreview());
    doc.resources = doc.resources.filter((r) => !r.name.includes('replication'));
    expect(failing(gcpEvidence(doc, policy))).toEqual(['alerts']);
  });
});

describe('Azure Premium preview checker', () => {
  test('compliant', () => expect(failing(azurePremiumEvidence(azurePremiumPreview(), policy))).toEqual([]));
  test.each<[string, (inputs: Record<string, unknown>) => void, string]>([
    ['non-SSL port', (i) => (i.enableNonSslPort = true), 'tls'],
    ['TLS 1.0', (i) => (i.minimumTlsVersion = '1.0'), 'tls'],
    ['public access', (i) => (i.publicNetworkAccess = 'Enabled'), 'private-networking'],
    ['one zone', (i) => (i.zones = ['1']), 'replicas-zones'],
    ['no RDB', (i) => (i.redisConfiguration = { aadEnabled: 'true' }), 'snapshots'],
  ])('flags %s', (_n, mutate, invariant) => {
    const doc = clone(azurePremiumPreview());
    mutate(doc.resources[0].inputs as Record<string, unknown>);
    expect(failing(azurePremiumEvidence(doc, policy))).toEqual([invariant]);
  });
  test('flags a missing lock and patch schedule', () => {
    const doc = clone(azurePremiumPreview());
    doc.resources = doc.resources.filter(
      (r) => !r.type.endsWith('ManagementLockByScope') && !r.type.endsWith('PatchSchedule'),
    );
    expect(failing(azurePremiumEvidence(doc, policy)).sort()).toEqual([
      'deletion-protection',
      'maintenance-window',
    ]);
  });
});

describe('Azure auth cells: Entra ID with an assignment for the app, or keys where allowed', () => {
  type Doc = ReturnType<typeof azurePremiumPreview>;
  const premiumAuth = (mutate: (d: Doc) => void, p = policy) => {
    const d = clone(azurePremiumPreview());
    mutate(d);
    return azurePremiumEvidence(d, p).auth;
  };
  const managedAuth = (mutate: (d: ReturnType<typeof azureManagedPreview>) => void, p = policy) => {
    const d = clone(azureManagedPreview());
    mutate(d);
    return azureManagedEvidence(d, p).auth;
  };
  const inputs = (d: { resources: Array<{ type: string; inputs: unknown }> }, type: string) =>
    d.resources.find((r) => r.type === type)!.inputs as Record<string, unknown>;
  const keysOn = (d: Doc) => {
    inputs(d, 'azure-native:redis:Redis').disableAccessKeyAuthentication = false;
    d.resources = d.resources.filter((r) => !r.type.endsWith('AccessPolicyAssignment'));
  };
  const waived = fromSpec(
    validateSpec({
      name: 'fix',
      profile: 'production',
      workload: { datasetGb: 1 },
      targets: { azure: { resourceGroup: 'g', location: 'eastus' } },
      waivers: [{ rule: 'entra-id', reason: 'legacy client reads one static password until Q3' }],
    }),
  ).policy;

  test('the compliant previews name the identity', () => {
    expect(premiumAuth(() => undefined)).toEqual({
      status: 'pass',
      detail: expect.stringContaining(APP_PRINCIPAL),
    });
    expect(managedAuth(() => undefined)).toEqual({
      status: 'pass',
      detail: expect.stringContaining(APP_PRINCIPAL),
    });
  });

  test.each<[string, (d: Doc) => void, RegExp]>([
    ['access keys on in production', keysOn, /access keys enabled in production/],
    [
      'keys off without any assignment',
      (d) => (d.resources = d.resources.filter((r) => !r.type.endsWith('AccessPolicyAssignment'))),
      /no client can connect/,
    ],
    [
      'an assignment on another cache',
      (d) => (inputs(d, 'azure-native:redis:AccessPolicyAssignment').cacheName = 'other'),
      /no client can connect/,
    ],
    [
      'keys off without aadEnabled',
      (d) => (inputs(d, 'azure-native:redis:Redis').redisConfiguration = { rdbBackupEnabled: 'true' }),
      /without aadEnabled/,
    ],
  ])('Premium fails on %s (bad fixture)', (_what, mutate, detail) => {
    const e = premiumAuth(mutate);
    expect(e.status).toBe('fail');
    expect(e.detail).toMatch(detail);
  });

  test('Managed Redis fails on keys on in production, and on keys off without an assignment (bad fixtures)', () => {
    expect(
      managedAuth(
        (d) => (inputs(d, 'azure-native:redisenterprise:Database').accessKeysAuthentication = 'Enabled'),
      ),
    ).toMatchObject({ status: 'fail', detail: expect.stringMatching(/access keys enabled in production/) });
    expect(
      managedAuth(
        (d) => (d.resources = d.resources.filter((r) => !r.type.endsWith('AccessPolicyAssignment'))),
      ),
    ).toMatchObject({ status: 'fail', detail: expect.stringMatching(/no client can connect/) });
  });

  test('valid but unusual: keys kept by the entra-id waiver, keys on in staging, two identities', () => {
    expect(premiumAuth(keysOn, waived)).toEqual({
      status: 'pass',
      detail: expect.stringContaining('waived (entra-id): legacy client'),
    });
    expect(premiumAuth(keysOn, staging.policy)).toMatchObject({ status: 'pass' });
    const two = premiumAuth((d) => {
      d.resources.push({
        type: 'azure-native:redis:AccessPolicyAssignment',
        name: 'ops2',
        inputs: {
          cacheName: 'c',
          accessPolicyName: 'Data Reader',
          objectId: '00000000-1111-4222-8333-444444444444',
        },
      } as never);
    });
    expect(two.status).toBe('pass');
    expect(two.detail).toContain('00000000-1111-4222-8333-444444444444');
  });
});

describe('Azure Managed Redis preview checker', () => {
  test('compliant', () => expect(failing(azureManagedEvidence(azureManagedPreview(), policy))).toEqual([]));
  test('a policy asking for 2 replicas per shard is met with 1, and the cell says so instead of passing silently', () => {
    const two = { ...policy, availability: { ...policy.availability, replicasPerShard: 2 } };
    expect(azureManagedEvidence(azureManagedPreview(), two)['replicas-zones'].detail).toMatch(
      /the policy asks 2 replicas per shard: Azure Managed Redis runs 1, its only high-availability layout$/,
    );
    expect(azureManagedEvidence(azureManagedPreview(), policy)['replicas-zones'].detail).not.toMatch(/asks/);
    const hosp = loadDeployment(path.join(__dirname, '..', '..', 'examples', 'hospitality-production.yaml'));
    expect(hosp.plan.choices['azure-managed'].reason).toMatch(
      /the policy asks 2 replicas per shard, Azure Managed Redis runs 1 \(its high availability has no more\);/,
    );
  });
  test('flags plaintext protocol, public access, no HA, no persistence', () => {
    const doc = clone(azureManagedPreview());
    Object.assign(doc.resources[0].inputs, { publicNetworkAccess: 'Enabled', highAvailability: 'Disabled' });
    Object.assign(doc.resources[1].inputs, { clientProtocol: 'Plaintext', persistence: {} });
    expect(failing(azureManagedEvidence(doc, policy)).sort()).toEqual([
      'private-networking',
      'replicas-zones',
      'snapshots',
      'tls',
    ]);
  });
});

describe('self-hosted checker', () => {
  test('compliant', () => expect(failing(selfHostedEvidence(selfHostedFiles(), policy))).toEqual([]));
  test('flags a plaintext port, old TLS, open bind, no ACL, no replicas', () => {
    const files = selfHostedFiles();
    files['redis-7001.conf'] = files['redis-7001.conf']
      .replace('port 0', 'port 6379')
      .replace('"TLSv1.2 TLSv1.3"', '"TLSv1.1 TLSv1.2"')
      .replace('bind 10.0.0.5', 'bind 0.0.0.0');
    files['users.acl.template'] = 'user default on nopass ~* +@all\n';
    files['layout.json'] = JSON.stringify({
      mode: 'cluster',
      nodes: [{ role: 'primary' }, { role: 'primary' }],
    });
    expect(failing(selfHostedEvidence(files, policy)).sort()).toEqual([
      'auth',
      'private-networking',
      'replicas-zones',
      'tls',
    ]);
  });
});

describe('Kubernetes checkers', () => {
  const evidence = (yaml: string, values = '') =>
    kubernetesEvidence('opstree', { 'opstree.yaml': yaml, 'values-redis.yaml': values }, policy);
  test('compliant OpsTree manifests', () => expect(failing(evidence(opstreeYaml()))).toEqual([]));
  test('flags no TLS, no secret, no zone spread, short backups, missing rules, deletable PVCs', () => {
    const broken = opstreeYaml()
      .replace('"TLS":{"secret":{"secretName":"r-tls"}},', '')
      .replace('"redisSecret":{"name":"r-auth","key":"password"}', '"imagePullPolicy":"Always"')
      .replace('topology.kubernetes.io/zone', 'kubernetes.io/hostname')
      .replace('"value":"15"', '"value":"2"')
      .replace('redis_evicted_keys_total', 'up')
      .replace('"keepAfterDelete":true', '"keepAfterDelete":false');
    expect(failing(evidence(broken)).sort()).toEqual([
      'alerts',
      'auth',
      'deletion-protection',
      'replicas-zones',
      'snapshots',
      'tls',
    ]);
  });
  test('flags a LoadBalancer Service and a missing NetworkPolicy', () => {
    const broken = opstreeYaml()
      .replace('"redisSecret"', '"service":{"serviceType":"LoadBalancer"},"redisSecret"')
      .replace('"kind":"NetworkPolicy"', '"kind":"ConfigMap"');
    expect(failing(evidence(broken))).toEqual(['private-networking']);
  });
  test('flags Bitnami PVCs deleted with the release', () => {
    const values =
      'master: { persistentVolumeClaimRetentionPolicy: { enabled: true, whenDeleted: Delete } }\n';
    const e = kubernetesEvidence(
      'bitnami',
      { 'bitnami.yaml': opstreeYaml(), 'values-redis.yaml': values },
      policy,
    );
    expect(e['deletion-protection'].status).toBe('fail');
    const kept = kubernetesEvidence(
      'bitnami',
      { 'bitnami.yaml': opstreeYaml(), 'values-redis.yaml': 'master: {}\n' },
      policy,
    );
    expect(kept['deletion-protection'].status).toBe('pass');
  });
  test('flags Bitnami values without TLS or with a literal password', () => {
    const values =
      'architecture: replication\nauth: { enabled: true, password: hunter2 }\ntls: { enabled: false }\n';
    const e = kubernetesEvidence(
      'bitnami',
      { 'bitnami.yaml': opstreeYaml(), 'values-redis.yaml': values },
      policy,
    );
    expect(e.tls.status).toBe('fail');
    expect(e.auth.status).toBe('fail');
  });
});

describe('policy decides required / waived / not applicable', () => {
  const tls = INVARIANTS.find((i) => i.id === 'tls')!;
  const replicas = INVARIANTS.find((i) => i.id === 'replicas-zones')!;
  test('a production waiver turns a failure into waived with its reason', () => {
    expect(toCell(tls, { status: 'fail', detail: 'TLS off' }, waivedTls.policy)).toEqual({
      status: 'waived',
      detail: 'tls: legacy client cannot speak TLS until Q3',
    });
  });
  test('staging does not require replicas: not applicable with the profile as reason', () => {
    expect(toCell(replicas, { status: 'fail', detail: 'no replica' }, staging.policy)).toEqual({
      status: 'na',
      detail: 'not required by the staging profile (no replica)',
    });
  });
  test('required and failing stays a failure', () => {
    expect(toCell(tls, { status: 'fail', detail: 'TLS off' }, policy).status).toBe('fail');
  });
  test('a secret finding fails the no-plaintext-secret invariant and is never waivable', () => {
    const cells = cellsFor(
      awsEvidence(awsTemplate(), policy),
      [{ file: 'a', line: 1, kind: 'private key', excerpt: '----...' }],
      waivedTls.policy,
    );
    expect(cells['no-plaintext-secret'].status).toBe('fail');
  });
});
