/**
 * The two Kubernetes flavors run different layouts from the plan's shards x (1 + replicas): OpsTree
 * needs 3 RedisCluster leaders, Bitnami keeps one primary with the whole dataset and, with Sentinel,
 * at least 3 pods. The plan carries both, each priced from the catalog's unit prices.
 */
import { fromSpec } from '../../lib/deployment';
import { kubernetesCatalog } from '../../lib/catalog';
import { computeNeed } from '../../lib/planner/need';
import { contextFor } from '../../lib/planner/plan';
import { kubernetesResources } from '../../lib/planner/select';
import type { KubernetesResources, Plan } from '../../lib/planner/types';
import { validateSpec } from '../../lib/spec/load';

/** The plan, and the pod size for one primary holding the whole dataset (one shard). */
function planOf(
  extra: Record<string, unknown>,
  profile = 'production',
): Plan & { singlePrimary: KubernetesResources } {
  const d = fromSpec(validateSpec({ name: 'svc', profile, ...extra }));
  const singlePrimary = kubernetesResources(contextFor(d.spec, d.policy, computeNeed(d.spec, d.policy)), 1);
  return { ...d.plan, singlePrimary };
}

/** Catalog unit prices x one pod's memory limit, CPU request and disk, written out here on purpose. */
function podMonthly(r: KubernetesResources): number {
  const cat = kubernetesCatalog();
  return (
    (r.memoryLimitMi / 1024) * cat.memoryGibMonthUsd +
    (r.cpuRequestMilli / 1000) * cat.vcpuMonthUsd +
    r.storageGi * cat.storageGibMonthUsd
  );
}
const cents = (n: number) => Math.round(n * 100) / 100;

describe('Kubernetes flavor layouts', () => {
  test('cluster plan: OpsTree runs the plan shards with followers; Bitnami one whole-dataset primary + Sentinel pods', () => {
    const p = planOf({
      workload: { datasetGb: 40 },
      availability: { topology: 'cluster', minShards: 4, replicasPerShard: 1 },
    });
    expect(p.topology).toMatchObject({ mode: 'cluster', shards: 4, replicasPerShard: 1 });
    const { opstree, bitnami } = p.kubernetesLayouts;

    expect(opstree).toMatchObject({ leaders: 4, followers: 4, pods: 8 });
    expect(opstree.note).toBeUndefined();
    expect(opstree.resources).toEqual(p.kubernetes);
    expect(opstree.monthlyCostUsd).toBe(cents(8 * podMonthly(p.kubernetes)));
    // Same pods as the plan's choice here, so the same price.
    expect(opstree.monthlyCostUsd).toBe(p.choices.kubernetes.monthlyCostUsd);

    expect(bitnami).toMatchObject({ architecture: 'replication', sentinel: true, replicaCount: 3, pods: 3 });
    expect(bitnami.resources).toEqual(p.singlePrimary);
    // One primary holds all 40 GB: a larger pod than one cluster shard.
    expect(bitnami.resources.memoryLimitMi).toBeGreaterThan(p.kubernetes.memoryLimitMi);
    expect(bitnami.monthlyCostUsd).toBe(cents(3 * podMonthly(p.singlePrimary)));
    expect(bitnami.reason).toMatch(/at least 3 Sentinels/);
  });

  test('non-cluster plan: OpsTree needs 3 leaders each sized for the whole dataset, so it costs more than the choice', () => {
    const p = planOf({ workload: { datasetGb: 2 } });
    expect(p.topology).toMatchObject({ mode: 'replication', shards: 1, replicasPerShard: 1 });
    const { opstree, bitnami } = p.kubernetesLayouts;

    expect(opstree).toMatchObject({ leaders: 3, followers: 3, pods: 6 });
    expect(opstree.note).toMatch(
      /replication with 1 shard\(s\); a RedisCluster needs 3 leaders.*whole dataset/,
    );
    expect(opstree.resources).toEqual(p.singlePrimary);
    expect(opstree.monthlyCostUsd).toBe(cents(6 * podMonthly(p.singlePrimary)));
    // The choice prices 1 x (1 + 1) pods of the same size: a third of what OpsTree runs.
    expect(p.choices.kubernetes.nodes).toBe(2);
    expect(p.choices.kubernetes.monthlyCostUsd).toBe(cents(2 * podMonthly(p.kubernetes)));
    expect(opstree.monthlyCostUsd).toBeGreaterThan(p.choices.kubernetes.monthlyCostUsd);

    // Sentinel needs three pods even though the plan has one primary and one replica.
    expect(bitnami).toMatchObject({ architecture: 'replication', sentinel: true, replicaCount: 3, pods: 3 });
    expect(bitnami.monthlyCostUsd).toBe(cents(3 * podMonthly(p.singlePrimary)));
  });

  test('standalone plan: Bitnami runs one pod, OpsTree still three leaders without followers', () => {
    const p = planOf(
      { workload: { datasetGb: 1 }, availability: { topology: 'standalone', replicasPerShard: 0 } },
      'development',
    );
    const { opstree, bitnami } = p.kubernetesLayouts;
    expect(opstree).toMatchObject({ leaders: 3, followers: 0, pods: 3 });
    expect(bitnami).toMatchObject({ architecture: 'standalone', sentinel: false, replicaCount: 0, pods: 1 });
    expect(bitnami.monthlyCostUsd).toBe(cents(podMonthly(p.singlePrimary)));
    expect(opstree.monthlyCostUsd).toBe(cents(3 * podMonthly(p.kubernetes)));
  });

  test('replication without automatic failover: Bitnami is a primary and its replicas, no Sentinel minimum', () => {
    const p = planOf(
      {
        workload: { datasetGb: 1 },
        availability: {
          topology: 'replication',
          replicasPerShard: 1,
          automaticFailover: false,
          multiAz: false,
        },
      },
      'development',
    );
    expect(p.kubernetesLayouts.bitnami).toMatchObject({
      architecture: 'replication',
      sentinel: false,
      replicaCount: 1,
      pods: 2,
    });
  });

  test('a two-shard cluster gets a third leader and the note says how the leaders are sized', () => {
    const p = planOf({
      workload: { datasetGb: 10 },
      availability: { topology: 'cluster', minShards: 2, replicasPerShard: 1 },
    });
    expect(p.topology.shards).toBe(2);
    const { opstree } = p.kubernetesLayouts;
    expect(opstree).toMatchObject({ leaders: 3, followers: 3, pods: 6 });
    expect(opstree.note).toMatch(/cluster with 2 shard\(s\).*1\/2 of the dataset/);
    expect(opstree.resources).toEqual(p.kubernetes);
  });

  test('every layout has a one-line reason naming its pods', () => {
    const p = planOf({ workload: { datasetGb: 2 } });
    for (const l of Object.values(p.kubernetesLayouts)) {
      expect(l.reason).not.toMatch(/\n/);
      expect(l.reason).toContain(`${l.pods} `);
    }
  });
});
