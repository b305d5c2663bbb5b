/** redis-iac/k8s: the flavors and their parts as constructs in a user's own cdk8s Chart. */
import { App, Chart } from 'cdk8s';
import { validateObjects, type ManifestObject } from '../../lib/k8s/validate';
import {
  BitnamiRedis,
  OpsTreeRedisCluster,
  RedisBackupJob,
  RedisMonitoring,
  RedisNetworkPolicy,
  planRedis,
} from '../../lib/public/k8s';

const userChart = (labels?: Record<string, string>) => new Chart(new App(), 'user-app', { labels });
const kinds = (objs: ManifestObject[]) => objs.map((o) => `${o.kind}/${o.metadata?.name}`);

describe('OpsTreeRedisCluster in a user chart', () => {
  const chart = userChart({ team: 'payments' });
  const plan = planRedis({ devices: 100000 });
  const redis = new OpsTreeRedisCluster(chart, 'Redis', { namespace: 'apps', sizing: plan });
  const objects = chart.toJson() as ManifestObject[];

  test('every part is there, sized by the plan, and passes the pipeline validation (CRD schemas, kubernetes-models)', () => {
    expect(kinds(objects)).toEqual(
      expect.arrayContaining([
        'RedisCluster/redis',
        'Certificate/redis-server',
        'NetworkPolicy/redis-ingress',
        'ServiceMonitor/redis-redis',
        'CronJob/redis-backup',
        'ConfigMap/redis-connection',
      ]),
    );
    const rc = objects.find((o) => o.kind === 'RedisCluster') as ManifestObject & {
      spec: Record<string, unknown>;
    };
    expect(rc.spec.clusterSize).toBe(plan.kubernetesLayouts.opstree.leaders);
    expect(rc.metadata?.namespace).toBe('apps');
    expect(rc.metadata?.labels).toMatchObject({ team: 'payments' });
    expect(() => validateObjects(objects)).not.toThrow();
    expect(redis.contract.REDIS_CLUSTER_ENABLED).toBe('true');
    expect(redis.secretCommands.length).toBeGreaterThan(0);
    expect(redis.find('RedisCluster')).toBeDefined();
  });

  test('a part left out can be added on its own, in another chart', () => {
    const a = userChart();
    new OpsTreeRedisCluster(a, 'Redis', { namespace: 'apps', parts: { monitoring: false, backup: false } });
    const without = kinds(a.toJson() as ManifestObject[]);
    expect(without).not.toContain('ServiceMonitor/redis-redis');
    expect(without).not.toContain('CronJob/redis-backup');
    expect(without).toContain('RedisCluster/redis');
    const b = userChart();
    new RedisMonitoring(b, 'Redis', { namespace: 'apps' });
    new RedisBackupJob(b, 'Backup', { namespace: 'apps', name: 'redis' });
    new RedisNetworkPolicy(b, 'Net', { namespace: 'apps', name: 'redis' });
    const parts = b.toJson() as ManifestObject[];
    expect(kinds(parts)).toEqual(
      expect.arrayContaining([
        'ServiceMonitor/redis-redis',
        'CronJob/redis-backup',
        'NetworkPolicy/redis-ingress',
      ]),
    );
    expect(kinds(parts)).not.toContain('RedisCluster/redis');
    expect(() => validateObjects(parts)).not.toThrow();
  });

  test('explicit leaders and followers', () => {
    const c = userChart();
    new OpsTreeRedisCluster(c, 'Redis', { namespace: 'apps', shards: 6, replicasPerShard: 2 });
    const rc = (c.toJson() as Array<ManifestObject & { spec: Record<string, unknown> }>).find(
      (o) => o.kind === 'RedisCluster',
    )!;
    expect(rc.spec.clusterSize).toBe(6);
  });
});

describe('BitnamiRedis', () => {
  test('values, the helm command and the objects the chart does not create', () => {
    const chart = userChart();
    const redis = new BitnamiRedis(chart, 'Cache', { namespace: 'apps', policy: { profile: 'staging' } });
    expect(redis.values).toMatchObject({ architecture: 'standalone', tls: { enabled: true } });
    expect(redis.helmCommand()).toMatch(
      /^helm install cache-bitnami oci:\/\/.*--namespace apps --values values-redis.yaml$/,
    );
    const objects = chart.toJson() as ManifestObject[];
    expect(kinds(objects)).toContain('NetworkPolicy/cache-bitnami-ingress');
    expect(() => validateObjects(objects)).not.toThrow();
  });
});

describe('wrong props: one error naming construct, prop, value and fix', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    [
      'OpsTree shards',
      () => new OpsTreeRedisCluster(userChart(), 'Redis', { namespace: 'apps', shards: 2 }),
      /^OpsTreeRedisCluster "user-app\/Redis": shards: got 2; expected an integer from 3 to 1000 \(a RedisCluster needs at least 3 leaders/,
    ],
    [
      'OpsTree replicasPerShard',
      () => new OpsTreeRedisCluster(userChart(), 'Redis', { namespace: 'apps', replicasPerShard: 6 }),
      /^OpsTreeRedisCluster "user-app\/Redis": replicasPerShard: got 6; expected an integer from 0 to 5/,
    ],
    [
      'OpsTree namespace',
      () => new OpsTreeRedisCluster(userChart(), 'Redis', { namespace: 'Apps_1' }),
      /^OpsTreeRedisCluster "user-app\/Redis": namespace: got "Apps_1"; /,
    ],
    [
      'OpsTree image',
      () =>
        new OpsTreeRedisCluster(userChart(), 'Redis', {
          namespace: 'apps',
          images: { redis: 'quay.io/opstree/redis:latest' },
        }),
      /^OpsTreeRedisCluster "user-app\/Redis": images\.redis: got "quay.io\/opstree\/redis:latest"; give an image pinned/,
    ],
    [
      'OpsTree parts',
      () =>
        new OpsTreeRedisCluster(userChart(), 'Redis', {
          namespace: 'apps',
          parts: { alerts: false } as never,
        }),
      /^OpsTreeRedisCluster "user-app\/Redis": parts\.alerts: got false; not a part/,
    ],
    [
      'Bitnami replicas',
      () => new BitnamiRedis(userChart(), 'Cache', { namespace: 'apps', replicas: -1 }),
      /^BitnamiRedis "user-app\/Cache": replicas: got -1; expected an integer from 0 to 5/,
    ],
  ];
  test.each(cases)('%s', (_name, build, message) => {
    let error: Error | undefined;
    try {
      build();
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toMatch(message);
    expect(error?.message).not.toContain('\n');
  });
});

describe('part constructs', () => {
  test('a part the policy does not create is refused, and nothing is added to the chart', () => {
    const chart = userChart();
    expect(
      () => new RedisBackupJob(chart, 'Backup', { namespace: 'apps', policy: { profile: 'development' } }),
    ).toThrow(
      /^RedisBackupJob "user-app\/Backup": policy: got "backup"; the policy creates no backup objects/,
    );
    expect(chart.node.tryFindChild('Backup')).toBeUndefined();
  });
});

describe('a construct whose objects fail the checks', () => {
  test('is taken out of the chart again, with one error naming the prop', () => {
    const chart = userChart();
    new BitnamiRedis(chart, 'Kept', { namespace: 'apps', name: 'kept', policy: { profile: 'staging' } });
    // Checked once the objects exist: with 40 characters (the spec's maximum) the Bitnami names
    // (`<name>-bitnami-tls-reload`, the chart's `<name>-bitnami-replicas`) exceed 52.
    const long = 'a'.repeat(40);
    expect(
      () =>
        new BitnamiRedis(chart, 'Redis', { namespace: 'apps', name: long, policy: { profile: 'staging' } }),
    ).toThrow(
      /^BitnamiRedis "user-app\/Redis": name \(the construct id unless given\): got "a{40}"; use a name of at most \d+ characters/,
    );
    expect(chart.node.tryFindChild('Redis')).toBeUndefined();
    const names = kinds(chart.toJson() as ManifestObject[]);
    expect(names).toContain('NetworkPolicy/kept-bitnami-ingress');
    expect(names.some((k) => k.includes(long))).toBe(false);
  });
});
