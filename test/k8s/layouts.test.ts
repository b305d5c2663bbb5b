/**
 * The adapters write the layouts the plan priced (plan.kubernetesLayouts): leaders, followers, Bitnami
 * architecture, replica count and pod resources come from the plan, not from sizing rules of their own.
 */
import { bitnamiLayout, bitnamiRedisPods, bitnamiResources, bitnamiValues } from '../../lib/k8s/bitnami';
import { makeContext } from '../../lib/k8s/context';
import { opstreeLayout } from '../../lib/k8s/opstree';
import { buildFlavor } from '../../lib/k8s/synth';
import { loadPatched } from './patched-bitnami';
import { examplesWithTargets } from '../support/examples';

/* eslint-disable-next-line @typescript-eslint/no-explicit-any -- reads untyped manifests */
type Loose = Record<string, any>;

const examples = examplesWithTargets('kubernetes');

test('the examples cover a cluster plan and a non-cluster plan', () => {
  const modes = examples.map((f) => loadPatched(`examples/${f}`).plan.topology.mode);
  expect(modes).toContain('cluster');
  expect(modes.some((m) => m !== 'cluster')).toBe(true);
});

describe.each(examples)('%s', (file) => {
  const d = loadPatched(`examples/${file}`);
  const { opstree, bitnami } = d.plan.kubernetesLayouts;

  test('OpsTree: opstreeLayout and the RedisCluster are the plan layout', () => {
    const layout = opstreeLayout(makeContext(d, 'opstree'));
    expect(layout).toEqual({ leaders: opstree.leaders, followers: opstree.followers, note: opstree.note });
    const rc = buildFlavor(d, 'opstree').objects.find((o) => o.kind === 'RedisCluster') as Loose;
    expect(rc.spec.clusterSize).toBe(opstree.leaders);
    expect(rc.spec.redisLeader.replicas + rc.spec.redisFollower.replicas).toBe(opstree.pods);
    expect(rc.spec.kubernetesConfig.resources.limits.memory).toBe(`${opstree.resources.memoryLimitMi}Mi`);
    expect(rc.spec.kubernetesConfig.resources.requests.cpu).toBe(`${opstree.resources.cpuRequestMilli}m`);
  });

  test('Bitnami: bitnamiLayout, bitnamiResources and the values are the plan layout', () => {
    const ctx = makeContext(d, 'bitnami');
    expect(bitnamiLayout(ctx)).toEqual({
      architecture: bitnami.architecture,
      sentinel: bitnami.sentinel,
      replicaCount: bitnami.replicaCount,
    });
    expect(bitnamiResources(ctx)).toEqual(bitnami.resources);
    expect(bitnamiRedisPods(ctx, bitnamiLayout(ctx))).toHaveLength(bitnami.pods);
    const v = bitnamiValues(ctx);
    expect(v.architecture).toBe(bitnami.architecture);
    expect(v.sentinel.enabled).toBe(bitnami.sentinel);
    expect(v.master.resources.limits.memory).toBe(`${bitnami.resources.memoryLimitMi}Mi`);
  });
});
