/** The Memorystore component itself: transforms, notification channels, Valkey, auth off. */
import * as path from 'node:path';
import { loadDeployment } from '../../lib/deployment';
import { Memorystore } from '../../lib/gcp/memorystore';
import { recordResources } from '../../lib/pulumi/run';

const ROOT = path.join(__dirname, '..', '..');
const load = (f: string) => loadDeployment(path.join(ROOT, 'examples', f));

test('transform: an object merges over the instance args, a function edits alert policies', async () => {
  const d = load('default.yaml');
  const resources = await recordResources(() => {
    new Memorystore('t', {
      policy: d.policy,
      plan: d.plan,
      target: d.spec.targets.gcp!,
      transform: {
        instance: { displayName: 'custom', alternativeLocationId: 'us-central1-f' },
        alertPolicy: (args) => {
          args.severity = 'ERROR';
        },
      },
    });
  });
  const instance = resources.find((r) => r.type === 'gcp:redis/instance:Instance')!;
  expect(instance.inputs).toMatchObject({
    displayName: 'custom',
    alternativeLocationId: 'us-central1-f',
    tier: 'STANDARD_HA',
  });
  const alerts = resources.filter((r) => r.type === 'gcp:monitoring/alertPolicy:AlertPolicy');
  expect(alerts.length).toBeGreaterThan(0);
  for (const a of alerts) expect(a.inputs.severity).toBe('ERROR');
});

test('alert email becomes a notification channel used by every alert policy', async () => {
  const d = load('acs-100k.yaml');
  const resources = await recordResources(() => {
    new Memorystore('acs', { policy: d.policy, plan: d.plan, target: d.spec.targets.gcp! });
  });
  const channel = resources.find((r) => r.type === 'gcp:monitoring/notificationChannel:NotificationChannel')!;
  expect(channel.inputs).toMatchObject({ type: 'email', labels: { email_address: 'noc@acs.example.com' } });
  for (const a of resources.filter((r) => r.type === 'gcp:monitoring/alertPolicy:AlertPolicy')) {
    expect(a.inputs.notificationChannels).toHaveLength(1);
  }
});

test('existing notification channels are used instead of creating one', async () => {
  const d = load('acs-100k.yaml');
  const channel = 'projects/acs-prod-424242/notificationChannels/123';
  const resources = await recordResources(() => {
    new Memorystore('acs', {
      policy: d.policy,
      plan: d.plan,
      target: { ...d.spec.targets.gcp!, alertNotificationChannels: [channel] },
    });
  });
  expect(resources.some((r) => r.type === 'gcp:monitoring/notificationChannel:NotificationChannel')).toBe(
    false,
  );
  for (const a of resources.filter((r) => r.type === 'gcp:monitoring/alertPolicy:AlertPolicy'))
    expect(a.inputs.notificationChannels).toEqual([channel]);
});

test('auth off: no secret is stored and the contract says none', async () => {
  const d = load('hospitality-development.yaml');
  let contract: Record<string, string> | undefined;
  const resources = await recordResources(() => {
    const c = new Memorystore('dev', { policy: d.policy, plan: d.plan, target: d.spec.targets.gcp! });
    c.contract.apply((x) => (contract = x));
  });
  expect(resources.some((r) => r.type.startsWith('gcp:secretmanager'))).toBe(false);
  expect(contract).toMatchObject({ REDIS_PASSWORD_FROM: 'none', REDIS_TLS_ENABLED: 'false' });
});

test('a Valkey spec on a single instance deploys the newest Memorystore Redis with a note', async () => {
  const d = load('platform-cache.yaml');
  const plan = structuredClone(d.plan);
  plan.topology.mode = 'replication';
  plan.choices.gcp = {
    ...plan.choices.gcp,
    service: 'memorystore-redis',
    sku: 'STANDARD_HA 5 GB',
    shards: 1,
    capacityGb: 5,
    extra: { tier: 'STANDARD_HA', readReplicas: 0 },
  };
  let notes: string[] = [];
  const resources = await recordResources(() => {
    notes = new Memorystore('v', { policy: d.policy, plan, target: d.spec.targets.gcp! }).notes;
  });
  expect(resources.find((r) => r.type === 'gcp:redis/instance:Instance')!.inputs.redisVersion).toBe(
    'REDIS_7_2',
  );
  expect(notes.join(' ')).toMatch(/does not run Valkey/);
});

test('IAM auth on a cluster: the notes name the role clients need, since the component grants none', async () => {
  const d = load('acs-100k.yaml');
  expect(d.plan.choices.gcp.service).toBe('memorystore-cluster');
  let notes: string[] = [];
  const resources = await recordResources(() => {
    notes = new Memorystore('c', { policy: d.policy, plan: d.plan, target: d.spec.targets.gcp! }).notes;
  });
  expect(resources.find((r) => r.type === 'gcp:redis/cluster:Cluster')!.inputs.authorizationMode).toBe(
    'AUTH_MODE_IAM_AUTH',
  );
  expect(notes.join(' ')).toContain('roles/redis.dbConnectionUser');
  // A single instance uses its AUTH string: no IAM role note there.
  const app = load('default.yaml');
  let instanceNotes: string[] = [];
  await recordResources(() => {
    instanceNotes = new Memorystore('i', {
      policy: app.policy,
      plan: app.plan,
      target: app.spec.targets.gcp!,
    }).notes;
  });
  expect(instanceNotes.join(' ')).not.toContain('roles/redis.dbConnectionUser');
});
