/**
 * `redis-iac/gcp`: Memorystore for Redis and Memorystore for Redis Cluster as Pulumi components for a
 * user's own Pulumi program. Each maps plain props onto the policy and plan the pipeline builds and
 * then onto the same component (lib/gcp/memorystore.ts), so the resources are the pipeline's.
 */
import type * as pulumi from '@pulumi/pulumi';
import { gcpCatalog } from '../catalog';
import type { Deployment } from '../deployment';
import { Memorystore, type MemorystoreArgs } from '../gcp/memorystore';
import { networkId } from '../gcp/settings';
import {
  asProps,
  availabilityFor,
  buildSpec,
  checkInt,
  checkOneOf,
  choiceOf,
  constructSource,
  deploymentOf,
  EXPLICIT_WORKLOAD,
  explicitChoice,
  optionsOf,
  planWithChoice,
  propError,
  withPlan,
  type RedisPlan,
  type RedisPolicy,
} from './common';
import { withDataGuard } from '../pulumi/guard';

export { planRedis, type RedisPlan, type RedisPolicy, type RedisWorkload } from './common';

/** Where a Memorystore service goes: what both GCP components take besides their sizes. */
export interface MemorystorePlacementProps {
  /** GCP project id. */
  readonly project: string;
  /** Region, e.g. us-central1; must be in the GCP price catalog. */
  readonly region: string;
  /** VPC network name or self link the service is reachable from (private networking only). */
  readonly network: string;
  /**
   * Customer-managed key for data at rest (`projects/.../cryptoKeys/...`).
   * @default - Google-managed keys (always on)
   */
  readonly kmsKey?: string;
  /**
   * Existing notification channels for the alert policies.
   * @default - an email channel to `policy.alerts.email` when set, else alerts without channels
   */
  readonly alertNotificationChannels?: string[];
  /**
   * Instance / cluster id (also the Secret Manager secret prefix and the key prefix).
   * @default - the Pulumi resource name
   */
  readonly instanceName?: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec.
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`; explicit sizes win over it.
   * @default - the smallest plan for the policy
   */
  readonly sizing?: RedisPlan;
  /** Adjust any underlying resource's arguments. */
  readonly transform?: MemorystoreArgs['transform'];
}

export interface MemorystoreRedisProps extends MemorystorePlacementProps {
  /**
   * Provisioned capacity in GB (the catalog's range, 1-300).
   * @default - the plan's capacity
   */
  readonly memorySizeGb?: number;
  /**
   * Replicas: 0 is the Basic tier, 1 Standard (HA, automatic failover), more adds read replicas
   * (at most the catalog's 5, and only from 5 GB).
   * @default - the policy's (1 in production, 0 in staging and development)
   */
  readonly replicas?: number;
}

/**
 * Memorystore for Redis (one instance, Standard HA in production): TLS, AUTH string kept in
 * Secret Manager, private service access, RDB snapshots, the maintenance window and alert policies.
 *
 * @example new MemorystoreRedis('cache', { project, region: 'us-central1', network: 'default' });
 */
export class MemorystoreRedis extends Memorystore {
  constructor(name: string, props: MemorystoreRedisProps, opts?: pulumi.ComponentResourceOptions) {
    const args = instanceArgs(name, props);
    super(name, args, withDataGuard(args.policy, opts));
  }
}

export interface MemorystoreRedisClusterProps extends MemorystorePlacementProps {
  /**
   * Node type, e.g. REDIS_HIGHMEM_MEDIUM (the GCP catalog's cluster node types).
   * @default - the plan's
   */
  readonly nodeType?: string;
  /**
   * Shards, 1 to the catalog's maximum (250).
   * @default - the plan's
   */
  readonly shards?: number;
  /**
   * Replicas per shard, 0 to the catalog's maximum (2).
   * @default - the policy's (1 in production)
   */
  readonly replicasPerShard?: number;
}

/**
 * Memorystore for Redis Cluster: IAM auth, TLS, Private Service Connect, multi-zone, AOF or RDB
 * persistence with daily backups for the policy's retention, alert policies.
 *
 * @example new MemorystoreRedisCluster('sessions', { project, region, network, sizing: planRedis({ devices: 1000000 }, { policy }) , policy });
 */
export class MemorystoreRedisCluster extends Memorystore {
  constructor(name: string, props: MemorystoreRedisClusterProps, opts?: pulumi.ComponentResourceOptions) {
    const args = clusterArgs(name, props);
    super(name, args, withDataGuard(args.policy, opts));
  }
}

function sourceOf(construct: string, name: string, props: unknown): string {
  const source = constructSource(construct, name);
  if (!props || typeof props !== 'object') {
    throw propError(source, 'props', props, 'expected an object with at least project, region and network');
  }
  return source;
}

function placementSpec(
  source: string,
  name: string,
  props: MemorystorePlacementProps,
  sizes: Parameters<typeof availabilityFor>[1],
  explicit: boolean,
): Deployment {
  asProps(source, () => networkId(props.project, props.network));
  const spec = buildSpec(source, props.instanceName ?? name, props.policy, {
    ...(explicit && !props.sizing ? { workload: EXPLICIT_WORKLOAD } : {}),
    availability: availabilityFor(props.policy, sizes),
    targets: {
      gcp: {
        project: props.project,
        region: props.region,
        network: props.network,
        ...(props.kmsKey ? { kmsKey: props.kmsKey } : {}),
        ...(props.alertNotificationChannels
          ? { alertNotificationChannels: props.alertNotificationChannels }
          : {}),
      },
    },
  });
  return withPlan(deploymentOf(spec, source), props.sizing, source);
}

function componentArgs(d: Deployment, props: MemorystorePlacementProps): MemorystoreArgs {
  return {
    policy: d.policy,
    plan: d.plan,
    target: {
      project: props.project,
      region: props.region,
      network: props.network,
      kmsKey: props.kmsKey,
      alertNotificationChannels: props.alertNotificationChannels,
    },
    transform: props.transform,
  };
}

/** props -> (policy, plan with a memorystore-redis choice) -> the component's args. */
function instanceArgs(name: string, props: MemorystoreRedisProps): MemorystoreArgs {
  const source = sourceOf('MemorystoreRedis', name, props);
  const cat = gcpCatalog().memorystoreRedis;
  checkInt(
    source,
    'memorySizeGb',
    props.memorySizeGb,
    cat.minGb,
    cat.maxGb,
    'Memorystore for Redis capacity in GB, lib/catalog',
  );
  checkInt(
    source,
    'replicas',
    props.replicas,
    0,
    cat.maxReadReplicas,
    'Memorystore for Redis replicas, lib/catalog',
  );
  if ((props.replicas ?? 0) > 1 && props.memorySizeGb !== undefined && props.memorySizeGb < 5) {
    throw propError(
      source,
      'memorySizeGb',
      props.memorySizeGb,
      'read replicas (replicas > 1) need at least 5 GB; set memorySizeGb: 5 or replicas: 1',
    );
  }
  const explicit = props.memorySizeGb !== undefined || props.replicas !== undefined;
  let d = placementSpec(source, name, props, { replicasPerShard: props.replicas, cluster: false }, explicit);
  const planned = choiceOf(d, 'gcp', source);
  if (planned.service !== 'memorystore-redis' && props.memorySizeGb === undefined) {
    throw propError(
      source,
      'sizing',
      `${planned.service} ${planned.sku} x ${planned.shards} shards`,
      'the workload needs a cluster: use MemorystoreRedisCluster, or give memorySizeGb for one instance',
    );
  }
  if (explicit) {
    const replicas = props.replicas ?? d.policy.availability.replicasPerShard;
    const capacity = props.memorySizeGb ?? planned.capacityGb;
    const option = optionsOf(d, 'gcp').find(
      (o) =>
        o.service === 'memorystore-redis' && o.capacityGb === capacity && o.replicasPerShard === replicas,
    );
    if (!option) {
      throw propError(
        source,
        'memorySizeGb',
        capacity,
        `no Memorystore for Redis capacity tier holds ${capacity} GB in lib/catalog; use ${cat.minGb}-${cat.maxGb}`,
      );
    }
    d = { ...d, plan: planWithChoice(d.plan, 'gcp', explicitChoice(option, 'capacity and replicas')) };
  }
  return componentArgs(d, props);
}

/** props -> (policy with topology cluster, plan with a memorystore-cluster choice) -> the component's args. */
function clusterArgs(name: string, props: MemorystoreRedisClusterProps): MemorystoreArgs {
  const source = sourceOf('MemorystoreRedisCluster', name, props);
  const cat = gcpCatalog().memorystoreCluster;
  checkOneOf(
    source,
    'nodeType',
    props.nodeType,
    cat.nodeTypes.map((n) => n.type),
    'a Memorystore for Redis Cluster node type in the GCP catalog',
  );
  checkInt(
    source,
    'shards',
    props.shards,
    1,
    cat.maxShards,
    'Memorystore for Redis Cluster shards, lib/catalog',
  );
  checkInt(
    source,
    'replicasPerShard',
    props.replicasPerShard,
    0,
    cat.maxReplicasPerShard,
    'Memorystore for Redis Cluster replicas per shard, lib/catalog',
  );
  const explicit =
    props.nodeType !== undefined || props.shards !== undefined || props.replicasPerShard !== undefined;
  let d = placementSpec(
    source,
    name,
    props,
    { shards: props.shards, replicasPerShard: props.replicasPerShard, cluster: true },
    explicit,
  );
  const planned = d.plan.choices.gcp;
  if (planned.service !== 'memorystore-cluster' && !explicit) {
    throw propError(
      source,
      'sizing',
      `${planned.service} ${planned.sku}`,
      "the plan is for one instance: plan with planRedis(workload, { policy: { availability: { topology: 'cluster' } } }), give nodeType and shards, or use MemorystoreRedis",
    );
  }
  if (explicit) {
    const nodeType =
      props.nodeType ??
      (planned.service === 'memorystore-cluster'
        ? String(planned.extra?.nodeType ?? planned.sku)
        : undefined);
    const shards =
      props.shards ??
      (planned.service === 'memorystore-cluster' ? planned.shards : d.policy.availability.minShards);
    const replicas = props.replicasPerShard ?? d.policy.availability.replicasPerShard;
    const option = optionsOf(d, 'gcp')
      .filter(
        (o) => o.service === 'memorystore-cluster' && o.shards === shards && o.replicasPerShard === replicas,
      )
      .filter((o) => (nodeType ? o.sku === nodeType : o.fits))
      .sort((a, b) => a.monthlyCostUsd - b.monthlyCostUsd)[0];
    if (!option) {
      throw propError(
        source,
        'nodeType',
        nodeType,
        `no ${shards}-shard option in lib/catalog; use one of ${cat.nodeTypes.map((n) => n.type).join(', ')}`,
      );
    }
    d = {
      ...d,
      plan: planWithChoice(d.plan, 'gcp', explicitChoice(option, 'node type, shards and replicas')),
    };
  } else {
    choiceOf(d, 'gcp', source);
  }
  return componentArgs(d, props);
}
