/**
 * Regressions a reader must catch in the artifact itself (found by breaking real synth output by
 * hand): alerts that notify nobody, auth switched off by a configuration key, a private endpoint to
 * something other than the cache, NetworkPolicy rules that admit every pod, a self-hosted backup job
 * that keeps too few days, and contract names the AWS outputs spell without underscores.
 */
import { awsContract, type CfnTemplate } from '../../lib/conformance/aws';
import { kubernetesEvidence } from '../../lib/conformance/kubernetes';
import {
  azureManagedEvidence,
  azurePremiumEvidence,
  gcpEvidence,
  type PreviewDocument,
} from '../../lib/conformance/pulumi';
import { selfHostedEvidence } from '../../lib/conformance/selfhosted';
import { fromSpec } from '../../lib/deployment';
import { validateSpec } from '../../lib/spec/load';
import {
  awsTemplate,
  azureManagedPreview,
  azurePremiumPreview,
  gcpPreview,
  opstreeYaml,
  production,
  selfHostedFiles,
} from './fixtures';

const policy = production.policy;
const withEmail = fromSpec(
  validateSpec({
    name: 'fix',
    profile: 'production',
    workload: { datasetGb: 1 },
    alerts: { email: 'noc@example.com' },
  }),
).policy;
type Inputs = Record<string, unknown>;
const inputsOf = (d: PreviewDocument, type: string) =>
  d.resources.filter((r) => r.type === type).map((r) => r.inputs as Inputs);

describe('AWS contract outputs', () => {
  test('numbered names keep the underscore before the number (REDIS_CLUSTER_NODE_1)', () => {
    const t: CfnTemplate = awsTemplate();
    t.Outputs = {
      ...t.Outputs,
      ContractRedisClusterNode1: { Value: 'a.example' },
      ContractRedisClusterPort1: { Value: '6380' },
      ContractRedisSentinel2: { Value: 's:26379' },
    };
    expect(awsContract(t)).toMatchObject({
      REDIS_CLUSTER_NODE_1: 'a.example',
      REDIS_CLUSTER_PORT_1: '6380',
      REDIS_SENTINEL_2: 's:26379',
    });
    expect(Object.keys(awsContract(t))).not.toContain('REDIS_CLUSTER_NODE1');
  });
});

describe('alerts count only when they notify someone', () => {
  test('GCP: with an alert email, a policy without notification channels, or disabled, does not count', () => {
    const d = gcpPreview() as PreviewDocument;
    const [memory, evictions] = inputsOf(d, 'gcp:monitoring/alertPolicy:AlertPolicy');
    delete memory.notificationChannels;
    evictions.enabled = false;
    const e = gcpEvidence(d, withEmail).alerts;
    expect(e.status).toBe('fail');
    expect(e.detail).toMatch(
      /no alert that notifies anyone on memory, evictions \(2 alert\(s\) have no destination/,
    );
  });
  test('Azure: with an alert email, a metric alert without an action group does not count', () => {
    for (const [preview, read] of [
      [azurePremiumPreview(), azurePremiumEvidence],
      [azureManagedPreview(), azureManagedEvidence],
    ] as const) {
      const d = preview as PreviewDocument;
      const [memory] = inputsOf(d, 'azure-native:monitor:MetricAlert');
      memory.actions = [];
      expect(read(d, withEmail).alerts).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/memory/),
      });
    }
  });
  test('alerts without a destination fail with or without an alert email, naming the fix', () => {
    const d = gcpPreview() as PreviewDocument;
    for (const a of inputsOf(d, 'gcp:monitoring/alertPolicy:AlertPolicy')) a.notificationChannels = [];
    for (const p of [policy, withEmail]) {
      expect(gcpEvidence(d, p).alerts).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/alerts\.email or targets\.gcp\.alertNotificationChannels/),
      });
    }
    expect(gcpEvidence(gcpPreview() as PreviewDocument, policy).alerts.status).toBe('pass');
  });
});

describe('Azure rows read the setting that decides', () => {
  test('Premium: redisConfiguration.authnotrequired=true fails auth', () => {
    const d = azurePremiumPreview() as PreviewDocument;
    const [cache] = inputsOf(d, 'azure-native:redis:Redis');
    (cache.redisConfiguration as Inputs).authnotrequired = 'true';
    expect(azurePremiumEvidence(d, policy).auth.status).toBe('fail');
  });
  test('a private endpoint to another service (a storage account) is not private networking for the cache', () => {
    for (const [preview, read] of [
      [azurePremiumPreview(), azurePremiumEvidence],
      [azureManagedPreview(), azureManagedEvidence],
    ] as const) {
      const d = preview as PreviewDocument;
      const [pe] = inputsOf(d, 'azure-native:network:PrivateEndpoint');
      pe.privateLinkServiceConnections = [{ groupIds: ['blob'] }];
      expect(read(d, policy)['private-networking'].status).toBe('fail');
    }
  });
});

describe('Kubernetes NetworkPolicy rules that admit everyone', () => {
  const withIngress = (ingress: unknown[]) =>
    opstreeYaml().replace(/"spec":\{"ingress":\[.*?\]\}\}/, `"spec":{"ingress":${JSON.stringify(ingress)}}}`);
  const network = (yaml: string) =>
    kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, policy)['private-networking'];
  test('the fixture replacement hits the NetworkPolicy', () => {
    expect(withIngress([{ from: [{ podSelector: { matchLabels: { app: 'y' } } }] }])).toContain('"app":"y"');
  });
  test.each([
    ['a rule with ports and no from', [{ ports: [{ port: 6379 }] }]],
    ['every pod in every namespace', [{ from: [{ namespaceSelector: {} }], ports: [{ port: 6379 }] }]],
    ['any address', [{ from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }]],
  ])('flags %s on the Redis port', (_name, ingress) => {
    expect(network(withIngress(ingress))).toMatchObject({ status: 'fail', detail: /admits any pod/ });
  });
  // redis_exporter's /scrape?target= sends its Redis credentials to any host: the port is not harmless.
  test.each([
    ['every pod in every namespace', { namespaceSelector: {}, podSelector: {} }],
    [
      'pods labelled prometheus in every namespace',
      { namespaceSelector: {}, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } },
    ],
    ['any address', { ipBlock: { cidr: '::/0' } }],
  ])('flags the exporter port open to %s', (_name, peer) => {
    const ingress = [
      { from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 6379 }] },
      { from: [peer], ports: [{ port: 9121 }] },
    ];
    expect(network(withIngress(ingress))).toMatchObject({
      status: 'fail',
      detail: /exporter port 9121 open/,
    });
  });
  test('the exporter port open to one named namespace (digits, dotted label keys) passes', () => {
    const ingress = [
      { from: [{ podSelector: { matchLabels: { app: 'x' } } }], ports: [{ port: 6379 }] },
      {
        from: [
          {
            namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'obs-2' } },
            podSelector: { matchLabels: { 'prometheus.example.com/instance': 'k8s-0' } },
          },
        ],
        ports: [{ port: 9121, protocol: 'TCP' }],
      },
    ];
    expect(network(withIngress(ingress))).toMatchObject({
      status: 'pass',
      detail: /admitted only from named/,
    });
  });
});

describe('self-hosted snapshots read backup.sh', () => {
  test('compliant: retention in backup.sh meets the policy', () => {
    expect(selfHostedEvidence(selfHostedFiles(), policy).snapshots).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/backup\.sh keeps 15 day\(s\) \(policy 15\)/),
    });
  });
  test('flags a backup.sh that keeps fewer days than the policy, never prunes, or is missing', () => {
    const files = selfHostedFiles();
    const short = {
      ...files,
      'backup.sh': files['backup.sh'].replace('RETENTION_DAYS=15', 'RETENTION_DAYS=3'),
    };
    expect(selfHostedEvidence(short, policy).snapshots.status).toBe('fail');
    const noPrune = { ...files, 'backup.sh': 'RETENTION_DAYS=15\n' };
    expect(selfHostedEvidence(noPrune, policy).snapshots).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/never prunes/),
    });
    const { ['backup.sh']: _gone, ...missing } = files;
    expect(selfHostedEvidence(missing, policy).snapshots.status).toBe('fail');
  });
});

describe('self-hosted bind addresses and hosts', () => {
  const withBind = (bind: string) => {
    const files = selfHostedFiles();
    for (const name of Object.keys(files).filter((n) => n.endsWith('.conf')))
      files[name] = files[name].replace('bind 10.0.0.5', `bind ${bind}`);
    return selfHostedEvidence(files, policy)['private-networking'];
  };
  test.each(['127.0.0.1 -::1', '10.0.0.5', '172.20.1.1', '192.168.1.10', '100.64.0.1', 'fd00::5'])(
    'private bind %s passes',
    (bind) => expect(withBind(bind).status).toBe('pass'),
  );
  test.each(['203.0.113.7', '8.8.8.8', '172.32.0.1', '2001:db8::1'])('public bind %s fails', (bind) => {
    expect(withBind(bind)).toMatchObject({ status: 'fail', detail: expect.stringMatching(/public address/) });
  });

  const layout = (nodes: object[], host?: string) => ({
    ...selfHostedFiles(),
    'layout.json': JSON.stringify({ mode: 'cluster', host, nodes }),
  });
  test('every node on one host is not multi-zone: not a pass, and the reason says why', () => {
    const e = selfHostedEvidence(
      layout(
        [
          { role: 'primary', shard: 0 },
          { role: 'replica', shard: 0 },
        ],
        '127.0.0.1',
      ),
      policy,
    )['replicas-zones'];
    expect(e).toMatchObject({
      status: 'na',
      detail: expect.stringMatching(/share one host \(127\.0\.0\.1\)/),
    });
  });
  test('nodes on several hosts: a replica on its primary host fails, spread passes', () => {
    const spread = [
      { role: 'primary', shard: 0, host: '10.0.0.1' },
      { role: 'replica', shard: 0, host: '10.0.0.2' },
    ];
    expect(selfHostedEvidence(layout(spread), policy)['replicas-zones'].status).toBe('pass');
    const together = [
      { role: 'primary', shard: 0, host: '10.0.0.1' },
      { role: 'replica', shard: 0, host: '10.0.0.1' },
      { role: 'primary', shard: 1, host: '10.0.0.2' },
      { role: 'replica', shard: 1, host: '10.0.0.3' },
    ];
    expect(selfHostedEvidence(layout(together), policy)['replicas-zones']).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/1 replica\(s\) share a host with their primary/),
    });
  });
});

describe('deletion protection and backups read the object that matters', () => {
  test('Azure: a CanNotDelete lock on another resource does not protect the cache; one on its resource group does', () => {
    for (const [preview, read] of [
      [azurePremiumPreview(), azurePremiumEvidence],
      [azureManagedPreview(), azureManagedEvidence],
    ] as const) {
      const d = preview as PreviewDocument;
      const [lock] = inputsOf(d, 'azure-native:authorization:ManagementLockByScope');
      lock.scope =
        '/subscriptions/s/resourceGroups/other/providers/Microsoft.Storage/storageAccounts/backups';
      expect(read(d, policy)['deletion-protection']).toMatchObject({
        status: 'fail',
        detail: expect.stringMatching(/not on c or its resource group/),
      });
      lock.scope = '/subscriptions/s/resourceGroups/g';
      expect(read(d, policy)['deletion-protection'].status).toBe('pass');
    }
  });
  test('Kubernetes: a suspended backup CronJob fails snapshots', () => {
    const yaml = opstreeYaml().replace('"schedule":"0 3 * * *"', '"schedule":"0 3 * * *","suspend":true');
    expect(yaml).toContain('"suspend":true');
    expect(kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, policy).snapshots).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/suspended/),
    });
  });
  test('Kubernetes: the retention is read from the backup CronJob, not from another CronJob', () => {
    const reload = JSON.stringify({
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'tls-reload' },
      spec: { schedule: '0 * * * *', suspend: true, jobTemplate: { spec: {} } },
    });
    const yaml = `${reload}\n---\n${opstreeYaml()}`;
    expect(kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, policy).snapshots).toMatchObject({
      status: 'pass',
      detail: expect.stringMatching(/^backup CronJob "0 3 \* \* \*" keeps 15/),
    });
  });
});

describe('AWS contract from the SSM parameter applications read', () => {
  test('every key of the parameter JSON, with tokens as ${...}, including an empty REDIS_CLUSTER_NODES', () => {
    const t: CfnTemplate = awsTemplate();
    t.Resources!.Contract = {
      Type: 'AWS::SSM::Parameter',
      Properties: {
        Name: '/redis/fix/connection-contract',
        Value: {
          'Fn::Join': [
            '',
            [
              '{"REDIS_HOST":"',
              { 'Fn::GetAtt': ['Rg', 'PrimaryEndPoint.Address'] },
              '","REDIS_TLS_CA_FROM":"system","REDIS_CLUSTER_NODES":"","REDIS_PASSWORD_FROM":"aws-secretsmanager:',
              { Ref: 'Secret' },
              ':password"}',
            ],
          ],
        },
      },
    };
    expect(awsContract(t)).toEqual({
      REDIS_HOST: '${Rg.PrimaryEndPoint.Address}',
      REDIS_TLS_CA_FROM: 'system',
      REDIS_CLUSTER_NODES: '',
      REDIS_PASSWORD_FROM: 'aws-secretsmanager:${Secret}:password',
    });
  });
});

describe('Kubernetes TLS Secret must be issued by a Certificate in the manifests', () => {
  test('OpsTree: a Certificate that writes another Secret does not count', () => {
    const yaml = opstreeYaml().replace('"spec":{"secretName":"r-tls"}', '"spec":{"secretName":"other-tls"}');
    expect(yaml).toContain('other-tls');
    expect(kubernetesEvidence('opstree', { 'opstree.yaml': yaml }, policy).tls).toMatchObject({
      status: 'fail',
      detail: expect.stringMatching(/no Certificate in the manifests issues it/),
    });
  });
  test('Bitnami: tls.existingSecret must be a Certificate secretName', () => {
    const values = (secret: string) => `tls: { enabled: true, existingSecret: ${secret} }\n`;
    const read = (secret: string) =>
      kubernetesEvidence(
        'bitnami',
        { 'bitnami.yaml': opstreeYaml(), 'values-redis.yaml': values(secret) },
        policy,
      ).tls.status;
    expect(read('r-tls')).toBe('pass');
    expect(read('made-up-tls')).toBe('fail');
  });
});
