/**
 * `redis-iac/azure`: Azure Cache for Redis Premium and Azure Managed Redis as Pulumi components for
 * a user's own Pulumi program. Plain props -> the pipeline's policy and plan -> the same components
 * (lib/azure/premium.ts, lib/azure/managed.ts).
 */
import type * as pulumi from '@pulumi/pulumi';
import { azureManagedCatalog, azurePremiumCatalog } from '../catalog';
import type { Deployment } from '../deployment';
import type { AzureCacheArgs } from '../azure/component';
import { AzureManagedRedis as ManagedBase, type AzureManagedArgs } from '../azure/managed';
import { AzurePremiumRedis, type AzurePremiumArgs } from '../azure/premium';
import { checkPlacement, type AzurePlacement } from '../azure/settings';
import type { PlatformId } from '../planner/types';
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

/** Where an Azure cache goes, and its policy and sizing: what both Azure components take. */
export interface AzureCacheProps extends AzurePlacement {
  /**
   * Cache name (globally unique DNS label under the service's domain); also the key prefix.
   * @default - the Pulumi resource name
   */
  readonly cacheName?: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec. With private
   * networking (the default) `subnetId` is required for the private endpoint.
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`; explicit sizes win over it.
   * @default - the smallest plan for the policy
   */
  readonly sizing?: RedisPlan;
  /**
   * Log Analytics workspace for the diagnostic settings.
   * @default - a workspace created for this cache (30 days retention)
   */
  readonly logAnalyticsWorkspaceId?: pulumi.Input<string>;
}

export interface AzureRedisPremiumProps extends AzureCacheProps {
  /**
   * Premium SKU P1-P5 (the Premium catalog).
   * @default - the plan's
   */
  readonly sku?: string;
  /**
   * Shards; more than one is a clustered cache (1 to the catalog's 10).
   * @default - the plan's
   */
  readonly shards?: number;
  /**
   * Replicas per primary (Premium always has at least one; at most the catalog's 3).
   * @default - the policy's, at least 1
   */
  readonly replicasPerPrimary?: number;
  /** Adjust any underlying resource's arguments. */
  readonly transform?: AzurePremiumArgs['transform'];
}

/**
 * Azure Cache for Redis Premium (retires 2028-09-30; see AzureManagedRedis): TLS 1.2+ only, no
 * public network access, a private endpoint, RDB to a key-less storage account, patch schedule,
 * diagnostics and metric alerts.
 *
 * @example new AzureRedisPremium('cache', { resourceGroup: 'rg', location: 'eastus', subnetId });
 */
export class AzureRedisPremium extends AzurePremiumRedis {
  constructor(name: string, props: AzureRedisPremiumProps, opts?: pulumi.ComponentResourceOptions) {
    const args = premiumArgs(name, props);
    super(name, args, withDataGuard(args.policy, opts));
  }
}

export interface AzureManagedRedisProps extends AzureCacheProps {
  /**
   * Managed Redis SKU, e.g. Balanced_B5 (the Managed Redis catalog).
   * @default - the plan's
   */
  readonly sku?: string;
  /**
   * High availability (a replica per shard). Off in production needs waivers for
   * automatic-failover and multi-az in `policy`.
   * @default - on when the policy has replicas (production)
   */
  readonly highAvailability?: boolean;
  /** Adjust any underlying resource's arguments. */
  readonly transform?: AzureManagedArgs['transform'];
}

/**
 * Azure Managed Redis (Microsoft.Cache/redisEnterprise): TLS-only protocol, TLS 1.2+, no public
 * network access, a private endpoint, high availability, RDB or AOF persistence, access keys off
 * with Entra ID, diagnostics and metric alerts.
 *
 * @example new AzureManagedRedis('cache', { resourceGroup: 'rg', location: 'eastus', subnetId, sizing: planRedis({ devices: 100000 }) });
 */
export class AzureManagedRedis extends ManagedBase {
  constructor(name: string, props: AzureManagedRedisProps, opts?: pulumi.ComponentResourceOptions) {
    const args = managedArgs(name, props);
    super(name, args, withDataGuard(args.policy, opts));
  }
}

function deploymentFor(
  construct: string,
  name: string,
  props: AzureCacheProps,
  sizes: Parameters<typeof availabilityFor>[1],
  explicit: boolean,
): { source: string; d: Deployment } {
  const source = constructSource(construct, name);
  if (!props || typeof props !== 'object') {
    throw propError(
      source,
      'props',
      props,
      'expected an object with at least resourceGroup, location and subnetId',
    );
  }
  const spec = buildSpec(source, props.cacheName ?? name, props.policy, {
    ...(explicit && !props.sizing ? { workload: EXPLICIT_WORKLOAD } : {}),
    availability: availabilityFor(props.policy, sizes),
    targets: { azure: placementOf(props) },
  });
  const d = withPlan(deploymentOf(spec, source), props.sizing, source);
  asProps(source, () => checkPlacement(d.policy, placementOf(props)));
  return { source, d };
}

function placementOf(props: AzureCacheProps): AzurePlacement {
  const p: AzurePlacement = { resourceGroup: props.resourceGroup, location: props.location };
  for (const key of ['subnetId', 'privateDnsZoneId', 'entraId', 'appPrincipalId', 'actionGroupId'] as const) {
    if (props[key] !== undefined) (p as unknown as Record<string, unknown>)[key] = props[key];
  }
  return p;
}

function cacheArgs(d: Deployment, props: AzureCacheProps): AzureCacheArgs {
  return {
    policy: d.policy,
    plan: d.plan,
    target: placementOf(props),
    ...(props.logAnalyticsWorkspaceId ? { logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId } : {}),
  };
}

/** The explicit option of `platform` whose SKU (and shards) match, or an error naming the prop. */
function explicitOption(
  d: Deployment,
  platform: PlatformId,
  source: string,
  sku: string,
  shards: number,
  what: string,
): Deployment {
  const option = optionsOf(d, platform).find((o) => o.sku === sku && o.shards === shards);
  if (!option) throw propError(source, 'sku', sku, `no ${shards}-shard option with this SKU in lib/catalog`);
  return { ...d, plan: planWithChoice(d.plan, platform, explicitChoice(option, what)) };
}

/** props -> (policy, plan with the Premium choice) -> the component's args. */
function premiumArgs(name: string, props: AzureRedisPremiumProps): AzurePremiumArgs {
  const source = constructSource('AzureRedisPremium', name);
  const cat = azurePremiumCatalog();
  checkOneOf(
    source,
    'sku',
    props?.sku,
    cat.skus.map((s) => s.name),
    'an Azure Cache for Redis Premium SKU',
  );
  checkInt(source, 'shards', props?.shards, 1, cat.maxShards, 'Premium shards, lib/catalog');
  checkInt(
    source,
    'replicasPerPrimary',
    props?.replicasPerPrimary,
    1,
    cat.maxReplicasPerPrimary,
    'Premium replicas per primary, lib/catalog',
  );
  const explicit =
    props?.sku !== undefined || props?.shards !== undefined || props?.replicasPerPrimary !== undefined;
  let { d } = deploymentFor(
    'AzureRedisPremium',
    name,
    props,
    { shards: props?.shards, replicasPerShard: props?.replicasPerPrimary },
    explicit,
  );
  const planned =
    explicit && props.sku ? d.plan.choices['azure-premium'] : choiceOf(d, 'azure-premium', source);
  if (explicit) {
    const shards = props.shards ?? (d.plan.topology.mode === 'cluster' ? planned.shards : 1);
    d = explicitOption(
      d,
      'azure-premium',
      source,
      props.sku ?? planned.sku,
      shards,
      'SKU, shards and replicas',
    );
  }
  return { ...cacheArgs(d, props), ...(props.transform ? { transform: props.transform } : {}) };
}

/** props -> (policy, plan with the Managed Redis choice) -> the component's args. */
function managedArgs(name: string, props: AzureManagedRedisProps): AzureManagedArgs {
  const source = constructSource('AzureManagedRedis', name);
  const cat = azureManagedCatalog();
  checkOneOf(
    source,
    'sku',
    props?.sku,
    cat.skus.map((s) => s.name),
    'an Azure Managed Redis SKU',
  );
  if (props?.highAvailability !== undefined && typeof props.highAvailability !== 'boolean') {
    throw propError(source, 'highAvailability', props.highAvailability, 'expected true or false');
  }
  const explicit = props?.sku !== undefined || props?.highAvailability !== undefined;
  const replicas = props?.highAvailability === undefined ? undefined : props.highAvailability ? 1 : 0;
  let { d } = deploymentFor('AzureManagedRedis', name, props, { replicasPerShard: replicas }, explicit);
  const planned =
    explicit && props.sku ? d.plan.choices['azure-managed'] : choiceOf(d, 'azure-managed', source);
  if (explicit)
    d = explicitOption(d, 'azure-managed', source, props.sku ?? planned.sku, 1, 'SKU and high availability');
  return { ...cacheArgs(d, props), ...(props.transform ? { transform: props.transform } : {}) };
}
