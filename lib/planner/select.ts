/**
 * Per-platform SKU selection: enumerate every option the catalog allows for the topology, keep the
 * ones that meet memory, connections and the HA policy, and choose the cheapest (ties: fewer nodes,
 * then more memory). `options()` is exported so the report and the tests can show the alternatives.
 */
import {
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  gcpCatalog,
  kubernetesCatalog,
  regionMultiplier,
  type RegionTable,
} from '../catalog';
import { SpecError } from '../errors';
import type { ResolvedPolicy } from '../policy/types';
import { GB, GIB, MIB, MONTH_HOURS, TOPOLOGY, USABLE_MEMORY } from './assumptions';
import {
  bestMonthly,
  bestPayment,
  cheapestBasis,
  COMMITMENT_TERMS,
  committedCost,
  hasRates,
  NO_RATES,
  serverlessCost,
  type OptionCommitment,
  type OptionRates,
} from './cost';
import type { Need } from './need';
import { CATALOG_PRICES, type PriceSources } from './rates';
import type {
  Choice,
  CommitmentTerm,
  CommittedCost,
  CostFrontier,
  KubernetesLayouts,
  KubernetesResources,
  PlatformId,
  PricingBasis,
  ServerlessCost,
} from './types';
import { usd } from '../numbers';

export interface SelectContext {
  need: Need;
  policy: ResolvedPolicy;
  /** Region per platform (from the spec targets, else the catalog default). */
  regions: Partial<Record<PlatformId, string>>;
  /** AWS node type forced by the spec (targets.aws.nodeType). */
  awsNodeType?: string;
  /**
   * The commitment the chosen cost is on (spec `commitment`); platforms that offer none stay on-demand.
   * @default 'none'
   */
  commitment?: CommitmentTerm | 'none';
  /**
   * targets.aws.flavor: with 'serverless' the AWS choice is ElastiCache Serverless priced from the
   * workload instead of nodes.
   * @default nodes
   */
  awsFlavor?: string;
  /** Committed rates and serverless prices. @default the catalogs */
  prices?: PriceSources;
}

export interface Option extends Choice {
  fits: boolean;
  /** Why the option does not fit (empty when it fits). */
  whyNot: string;
  /** This option's billed units and their committed rates (cost.ts prices a term from them). */
  commitments: OptionRates;
}

const pricesOf = (ctx: SelectContext): PriceSources => ctx.prices ?? CATALOG_PRICES;

const round2 = (n: number) => Math.round(n * 100) / 100;
const gb = (bytes: number) => bytes / GB;

function shardRange(ctx: SelectContext, maxShards: number): number[] {
  const t = ctx.need.topology;
  if (t.mode !== 'cluster') return [1];
  if (t.pinnedShards !== undefined) return t.pinnedShards <= maxShards ? [t.pinnedShards] : [];
  const out: number[] = [];
  for (let s = t.minShards; s <= maxShards; s++) out.push(s);
  return out;
}

/** Memory each shard must make available to the dataset. */
function dataPerShardBytes(ctx: SelectContext, shards: number): number {
  return ctx.need.memory.dataBytes / shards;
}

/** Why `usableGb` per shard cannot hold the data, or nothing when it can. */
function memoryShortfall(ctx: SelectContext, usableGb: number, shards: number): string[] {
  const need = dataPerShardBytes(ctx, shards);
  return usableGb * GB < need
    ? [`usable ${usableGb.toFixed(2)} GB < ${gb(need).toFixed(2)} GB per shard`]
    : [];
}

/** Price and fit fields every option carries. */
function priced(
  hourly: number,
  whyNot: string[],
): Pick<Option, 'hourlyCostUsd' | 'monthlyCostUsd' | 'fits' | 'available' | 'whyNot'> {
  const monthly = hourly * MONTH_HOURS;
  return {
    hourlyCostUsd: round2(hourly * 1000) / 1000,
    monthlyCostUsd: round2(monthly),
    fits: whyNot.length === 0,
    available: true,
    whyNot: whyNot.join('; '),
  };
}

function unavailable(platform: PlatformId, options: Option[], ctx: SelectContext): Option {
  const largest = options.reduce(
    (a, b) => (b.memoryGbPerShard * b.shards > a.memoryGbPerShard * a.shards ? b : a),
    options[0],
  );
  return {
    platform,
    service: largest?.service ?? platform,
    sku: 'none',
    shards: 0,
    replicasPerShard: ctx.need.topology.replicasPerShard,
    nodes: 0,
    memoryGbPerShard: 0,
    monthlyCostUsd: 0,
    hourlyCostUsd: 0,
    region: largest?.region ?? '',
    reason: `no ${platform} option holds ${gb(ctx.need.memory.dataBytes).toFixed(1)} GB for ${ctx.need.connections.expectedClients} clients (largest: ${largest ? `${largest.sku} x ${largest.shards}: ${largest.whyNot}` : 'none'})`,
    priceSource: largest?.priceSource ?? '',
    fits: false,
    whyNot: 'nothing fits',
    available: false,
    commitments: NO_RATES,
  };
}

/** Ties within a cent: fewer nodes, then more memory. */
function preferred(o: Option, oCost: number, best: Option, bestCost: number): boolean {
  return (
    oCost < bestCost - 0.005 ||
    (Math.abs(oCost - bestCost) <= 0.005 &&
      (o.nodes < best.nodes || (o.nodes === best.nodes && o.memoryGbPerShard > best.memoryGbPerShard)))
  );
}

function cheapest(platform: PlatformId, options: Option[], ctx: SelectContext): Option {
  const fitting = options.filter((o) => o.fits);
  if (fitting.length === 0) return unavailable(platform, options, ctx);
  return fitting.reduce((best, o) => (preferred(o, o.monthlyCostUsd, best, best.monthlyCostUsd) ? o : best));
}

/** The cheapest fitting option under a commitment term (its best payment option), if any offers it. */
function cheapestCommitted(
  options: Option[],
  term: CommitmentTerm,
): { option: Option; commitment: OptionCommitment; monthly: number } | undefined {
  let best: { option: Option; monthly: number } | undefined;
  for (const o of options) {
    if (!o.fits) continue;
    const c = bestMonthly(o.commitments, term);
    if (c && (!best || preferred(o, c.monthly, best.option, best.monthly)))
      best = { option: o, monthly: c.monthly };
  }
  const commitment = best && bestPayment(best.option.commitments, term);
  return best && commitment && { ...best, commitment };
}

// ---------------------------------------------------------------- AWS ElastiCache

/** What an AWS option takes from its node type alone, the same for every shard count. */
interface AwsNodeFacts {
  usableGb: number;
  memoryGbPerShard: number;
  /** Reasons it cannot be used that do not depend on the shard count, in the order they are given. */
  fixedWhyNot: string[];
  rates: OptionRates['parts'][number]['rates'];
  /** The option's reason after "<s> shard(s) x ", without the quota note. */
  reasonTail: string;
}

/**
 * Which options an option list must hold: 'all' (every node type at every shard count: the report,
 * explicit sizes, tests), or 'candidates' (what choose() compares; see awsCandidateLimit).
 */
export type OptionScope = 'all' | 'candidates';

/**
 * The most expensive AWS option that can still matter to choose(), so 'candidates' can leave out the
 * rest: Infinity (keep all) when no node type fits at any shard count. An option can matter as the
 * choice (the cheapest fitting option on-demand or under a term: a fitting one) or as the cheaper
 * option the reason names (non-fitting and cheaper than the choice); the choice costs at most the
 * cheapest fitting option + a cent (ties within a cent go to fewer nodes). Nodes and prices per node
 * type are the same at every shard count, so a node type's cost only grows with its shard count.
 */
function awsCandidateLimit<N>(
  types: readonly N[],
  shards: number[],
  fits: (n: N, s: number) => boolean,
  monthly: (n: N, s: number) => number,
): number {
  let cheapest = Infinity;
  for (const n of types) {
    const s = shards.find((x) => fits(n, x));
    if (s !== undefined) cheapest = Math.min(cheapest, monthly(n, s));
  }
  return cheapest + 0.01;
}

export function awsOptions(ctx: SelectContext, scope: OptionScope = 'all'): Option[] {
  const cat = awsCatalog();
  const region = ctx.regions.aws ?? cat.defaultRegion;
  const mult = regionMultiplier(cat, region, 'targets.aws.region');
  const replicas = ctx.need.topology.replicasPerShard;
  const usableShare = 1 - cat.reservedMemoryPercent / 100;
  const priceSource = `${cat.source.url} (${cat.source.retrieved})`;
  const out: Option[] = [];
  // A cluster is planned over up to maxShards shard counts for each node type: what depends on the
  // node type only is worked out once (on first use, so an empty shard range asks the rates nothing).
  const facts = new Map<string, AwsNodeFacts>();
  const factsOf = (n: (typeof cat.nodeTypes)[number]): AwsNodeFacts => {
    let f = facts.get(n.type);
    if (f) return f;
    const usableGb = (n.memoryGib * GIB * usableShare) / GB;
    const fixedWhyNot: string[] = [];
    if (cat.maxClientsPerNode < ctx.need.connections.expectedClients)
      fixedWhyNot.push(
        `maxclients ${cat.maxClientsPerNode} < ${ctx.need.connections.expectedClients} expected clients`,
      );
    if (n.burstable && ctx.policy.profile === 'production')
      fixedWhyNot.push('burstable (CPU credits) not used in production');
    if (n.ssdGib > 0) fixedWhyNot.push('data tiering not assumed: needs mostly-cold large values');
    if (replicas > cat.maxReplicasPerShard) fixedWhyNot.push(`> ${cat.maxReplicasPerShard} replicas`);
    f = {
      usableGb,
      memoryGbPerShard: round2(usableGb),
      fixedWhyNot,
      rates: pricesOf(ctx).committedRates({ platform: 'aws', nodeType: n.type, engine: ctx.policy.engine }),
      reasonTail: `x ${1 + replicas} node(s) of ${n.type} (${n.memoryGib} GiB, ${Math.round(usableShare * 100)}% usable after reserved memory) at $${n.hourlyUsd[ctx.policy.engine]}/h ${ctx.policy.engine}`,
    };
    facts.set(n.type, f);
    return f;
  };
  const shards = shardRange(ctx, cat.maxShards);
  const types = ctx.awsNodeType ? cat.nodeTypes.filter((n) => n.type === ctx.awsNodeType) : cat.nodeTypes;
  type NodeType = (typeof cat.nodeTypes)[number];
  const hourlyOf = (n: NodeType, s: number) => n.hourlyUsd[ctx.policy.engine] * mult * (s * (1 + replicas));
  /** Why `s` shards of `n` cannot be used (empty: the option fits), in the order they are given. */
  const whyNotAt = (n: NodeType, s: number): string[] => {
    const nodes = s * (1 + replicas);
    const whyNot = memoryShortfall(ctx, factsOf(n).usableGb, s);
    whyNot.push(...factsOf(n).fixedWhyNot);
    if (nodes > cat.maxNodesPerCluster)
      whyNot.push(`${nodes} nodes > ${cat.maxNodesPerCluster} per cluster, the most a quota increase allows`);
    return whyNot;
  };
  // 'candidates': past the limit an option costs more than anything choose() can pick or name. One
  // option per node type past it is kept, so a list that compares alternatives still does.
  const limit =
    scope === 'candidates'
      ? awsCandidateLimit(
          types,
          shards,
          (n, s) => whyNotAt(n, s).length === 0,
          (n, s) => round2(hourlyOf(n, s) * MONTH_HOURS),
        )
      : Infinity;
  const pastLimit = new Set<string>();
  for (const s of shards) {
    for (const n of types) {
      if (pastLimit.has(n.type)) continue;
      const f = factsOf(n);
      const nodes = s * (1 + replicas);
      const hourly = hourlyOf(n, s);
      if (round2(hourly * MONTH_HOURS) >= limit) pastLimit.add(n.type);
      const whyNot = whyNotAt(n, s);
      // Past the default quota the deploy fails until the account's limit is raised: say so up front.
      const quota =
        nodes > cat.defaultNodesPerClusterQuota
          ? `; ${nodes} nodes is over the default quota of ${cat.defaultNodesPerClusterQuota} nodes per cluster: request an increase (Service Quotas, ElastiCache "Nodes per cluster") before deploying`
          : '';
      out.push({
        platform: 'aws',
        service: 'elasticache',
        sku: n.type,
        shards: s,
        replicasPerShard: replicas,
        nodes,
        memoryGbPerShard: f.memoryGbPerShard,
        vcpuPerNode: n.vcpu,
        maxConnectionsPerShard: cat.maxClientsPerNode,
        ...priced(hourly, whyNot),
        commitments: { parts: [{ rates: f.rates, count: nodes }], multiplier: mult },
        region,
        reason: `${s} shard(s) ${f.reasonTail}${quota}`,
        priceSource,
      });
    }
  }
  if (ctx.awsNodeType && out.length === 0) {
    throw new SpecError(
      'targets.aws.nodeType',
      ctx.awsNodeType,
      `expected a node type from the catalog: ${cat.nodeTypes.map((n) => n.type).join(', ')}`,
    );
  }
  return out;
}

// ---------------------------------------------------------------- GCP Memorystore

export function gcpOptions(ctx: SelectContext): Option[] {
  const cat = gcpCatalog();
  const region = ctx.regions.gcp ?? cat.defaultRegion;
  const mult = regionMultiplier(cat, region, 'targets.gcp.region');
  const replicas = ctx.need.topology.replicasPerShard;
  const usable = USABLE_MEMORY.gcp.value;
  const out: Option[] = [];
  const src = `${cat.source.url} (${cat.source.retrieved})`;
  const clients = ctx.need.connections.expectedClients;
  if (ctx.need.topology.mode !== 'cluster') {
    const r = cat.memorystoreRedis;
    const needGb = Math.max(r.minGb, Math.ceil(gb(ctx.need.memory.dataBytes) / usable));
    for (let capacity = needGb; capacity <= r.maxGb; capacity++) {
      const tier = r.tiers.find((t) => capacity >= t.minGb && capacity <= t.maxGb);
      if (!tier) continue;
      const standard = replicas > 0;
      const readReplicas = Math.max(0, replicas - 1);
      const hourly =
        (capacity * (standard ? tier.standardGbHourUsd : tier.basicGbHourUsd) +
          readReplicas * capacity * tier.readReplicaGbHourUsd) *
        mult;
      const whyNot: string[] = [];
      if (tier.maxClients < clients)
        whyNot.push(`maxclients ${tier.maxClients} < ${clients} expected clients`);
      if (replicas > r.maxReadReplicas) whyNot.push(`> ${r.maxReadReplicas} replicas`);
      if (readReplicas > 0 && capacity < 5) whyNot.push('read replicas need >= 5 GB');
      out.push({
        platform: 'gcp',
        service: 'memorystore-redis',
        sku: `${standard ? 'STANDARD_HA' : 'BASIC'} ${capacity} GB`,
        shards: 1,
        replicasPerShard: replicas,
        nodes: 1 + replicas,
        memoryGbPerShard: round2(capacity * usable),
        capacityGb: capacity,
        maxConnectionsPerShard: tier.maxClients,
        ...priced(hourly, whyNot),
        commitments: {
          parts: [
            {
              rates: pricesOf(ctx).committedRates({
                platform: 'gcp-redis',
                tier: tier.name,
                kind: standard ? 'standard' : 'basic',
              }),
              count: capacity,
            },
            {
              rates: pricesOf(ctx).committedRates({
                platform: 'gcp-redis',
                tier: tier.name,
                kind: 'readReplica',
              }),
              count: readReplicas * capacity,
            },
          ],
          multiplier: mult,
        },
        region,
        reason: `Memorystore for Redis ${standard ? 'Standard (HA)' : 'Basic'} ${capacity} GB in capacity tier ${tier.name} at $${standard ? tier.standardGbHourUsd : tier.basicGbHourUsd}/GB-h${readReplicas ? ` + ${readReplicas} read replica(s)` : ''}; ${Math.round(usable * 100)}% usable`,
        priceSource: src,
        extra: { tier: standard ? 'STANDARD_HA' : 'BASIC', readReplicas, capacityTier: tier.name },
      });
      // No early exit: a larger capacity in a cheaper per-GB tier can cost less (5 GB in M2 < 4 GB in M1).
    }
    return out;
  }
  const c = cat.memorystoreCluster;
  for (const s of shardRange(ctx, c.maxShards)) {
    for (const n of c.nodeTypes) {
      const usableGb = n.memoryGb * usable;
      const nodes = s * (1 + replicas);
      const hourly = n.hourlyUsd * nodes * mult;
      const whyNot = memoryShortfall(ctx, usableGb, s);
      if (n.maxClients < clients) whyNot.push(`maxclients ${n.maxClients} < ${clients}`);
      if (replicas > c.maxReplicasPerShard) whyNot.push(`> ${c.maxReplicasPerShard} replicas per shard`);
      if (n.vcpu < 1 && ctx.policy.profile === 'production')
        whyNot.push('shared-core nodes not used in production');
      out.push({
        platform: 'gcp',
        service: 'memorystore-cluster',
        sku: n.type,
        shards: s,
        replicasPerShard: replicas,
        nodes,
        memoryGbPerShard: round2(usableGb),
        vcpuPerNode: n.vcpu,
        maxConnectionsPerShard: n.maxClients,
        ...priced(hourly, whyNot),
        commitments: {
          parts: [
            {
              rates: pricesOf(ctx).committedRates({ platform: 'gcp-cluster', nodeType: n.type }),
              count: nodes,
            },
          ],
          multiplier: mult,
        },
        region,
        reason: `Memorystore for Redis Cluster: ${s} shard(s) x ${1 + replicas} ${n.type} node(s) (${n.memoryGb} GB) at $${n.hourlyUsd}/node-h`,
        priceSource: src,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Azure Cache for Redis Premium

export function azurePremiumOptions(ctx: SelectContext): Option[] {
  const cat = azurePremiumCatalog();
  const region = ctx.regions['azure-premium'] ?? cat.defaultRegion;
  const mult = regionMultiplier(cat, region, 'targets.azure.location');
  // Premium always runs a replica; more than one is billed per extra node (half a shard's price).
  const replicas = Math.max(1, ctx.need.topology.replicasPerShard);
  const usable = USABLE_MEMORY.azurePremium.value;
  const out: Option[] = [];
  for (const s of shardRange(ctx, cat.maxShards)) {
    for (const sku of cat.skus) {
      const usableGb = sku.memoryGb * usable;
      const monthly = sku.monthlyUsdPerShard * s * (1 + (replicas - 1) / 2) * mult;
      const whyNot = memoryShortfall(ctx, usableGb, s);
      if (sku.maxConnections < ctx.need.connections.expectedClients)
        whyNot.push(`max connections ${sku.maxConnections} < ${ctx.need.connections.expectedClients}`);
      if (replicas > cat.maxReplicasPerPrimary) whyNot.push(`> ${cat.maxReplicasPerPrimary} replicas`);
      out.push({
        platform: 'azure-premium',
        service: 'azure-cache-premium',
        sku: sku.name,
        shards: s,
        replicasPerShard: replicas,
        nodes: s * (1 + replicas),
        memoryGbPerShard: round2(usableGb),
        maxConnectionsPerShard: sku.maxConnections,
        ...priced(monthly / MONTH_HOURS, whyNot),
        // Committed per shard-hour; further replicas are billed like on-demand, half a shard each.
        commitments: {
          parts: [
            {
              rates: pricesOf(ctx).committedRates({ platform: 'azure-premium', sku: sku.name }),
              count: s * (1 + (replicas - 1) / 2),
            },
          ],
          multiplier: mult,
        },
        region,
        reason: `Premium ${sku.name} (${sku.memoryGb} GB, ${sku.maxConnections} connections) x ${s} shard(s), ${replicas} replica(s) per primary at $${sku.monthlyUsdPerShard}/shard-month${ctx.need.topology.replicasPerShard === 0 ? ' (Premium always has a replica)' : ''}; Azure maps it to ${sku.managedEquivalent}; Premium retires ${cat.retirement.date}`,
        priceSource: `${cat.source.url} (${cat.source.retrieved})`,
        extra: {
          managedEquivalent: sku.managedEquivalent,
          capacity: sku.capacity,
          retirement: cat.retirement.date,
        },
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------- Azure Managed Redis

/** Share of a Managed Redis SKU the dataset may use: the catalog's reserved memory, else the assumption. */
export function amrUsableShare(cat: ReturnType<typeof azureManagedCatalog>): number {
  return cat.reservedMemoryPercent !== undefined
    ? 1 - cat.reservedMemoryPercent / 100
    : USABLE_MEMORY.azureManaged.value;
}

/**
 * Azure Managed Redis high availability is one replica of each shard in another zone; there is no
 * setting for more, so a policy asking for more replicas is met with one, and the reason says so.
 */
function fewerReplicas(ctx: SelectContext): string {
  const asked = ctx.need.topology.replicasPerShard;
  return asked > 1
    ? `; the policy asks ${asked} replicas per shard, Azure Managed Redis runs 1 (its high availability has no more)`
    : '';
}

export function azureManagedOptions(ctx: SelectContext): Option[] {
  const cat = azureManagedCatalog();
  const region = ctx.regions['azure-managed'] ?? cat.defaultRegion;
  const mult = regionMultiplier(cat, region, 'targets.azure.location');
  const ha = ctx.need.topology.replicasPerShard > 0;
  const usable = amrUsableShare(cat);
  return cat.skus.map((sku) => {
    const hourly = (ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa) * mult;
    const usableGb = sku.memoryGb * usable;
    const whyNot: string[] = [];
    if (usableGb * GB < ctx.need.memory.dataBytes)
      whyNot.push(`usable ${usableGb.toFixed(2)} GB < ${gb(ctx.need.memory.dataBytes).toFixed(2)} GB`);
    if (sku.maxConnections < ctx.need.connections.expectedClients)
      whyNot.push(`max connections ${sku.maxConnections} < ${ctx.need.connections.expectedClients}`);
    const opsCapacity = sku.vcpu * TOPOLOGY.amrOpsPerVcpu.value;
    if (opsCapacity < ctx.need.peakOps)
      whyNot.push(`${sku.vcpu} vCPU serve ~${opsCapacity} ops/s < ${ctx.need.peakOps} peak ops/s`);
    if (sku.family === 'FlashOptimized') whyNot.push('flash tier not assumed: needs mostly-cold values');
    if (sku.preview && ctx.policy.profile === 'production')
      whyNot.push('preview SKU: not used in production');
    return {
      platform: 'azure-managed' as const,
      service: 'azure-managed-redis',
      sku: sku.name,
      shards: 1,
      replicasPerShard: ha ? 1 : 0,
      nodes: ha ? 2 : 1,
      memoryGbPerShard: round2(usableGb),
      vcpuPerNode: sku.vcpu,
      maxConnectionsPerShard: sku.maxConnections,
      ...priced(hourly, whyNot),
      commitments: {
        parts: [
          { rates: pricesOf(ctx).committedRates({ platform: 'azure-managed', sku: sku.name, ha }), count: 1 },
        ],
        multiplier: mult,
      },
      region,
      reason: `Azure Managed Redis ${sku.name} (${sku.family}, ${sku.memoryGb} GB, ${sku.vcpu} vCPU) ${ha ? 'with' : 'without'} high availability at $${ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa}/h; sharding is internal to the SKU${fewerReplicas(ctx)}`,
      priceSource: `${cat.source.url} (${cat.source.retrieved})`,
      extra: { family: sku.family, highAvailability: ha, port: cat.port },
    };
  });
}

// ---------------------------------------------------------------- Kubernetes

export function kubernetesResources(ctx: SelectContext, shards: number): KubernetesResources {
  const cat = kubernetesCatalog();
  const pct = cat.maxMemoryPercentOfLimit;
  const dataPerShard = dataPerShardBytes(ctx, shards);
  const limitMi = Math.max(256, Math.ceil(dataPerShard / (pct / 100) / MIB / 256) * 256);
  const opsPerShard = ctx.need.peakOps / shards;
  const cpuRequestMilli = Math.max(250, Math.ceil((opsPerShard / TOPOLOGY.opsPerCore.value) * 4) * 250);
  // Disk holds the RDB and the AOF, each at most the dataset, plus a rewrite in flight.
  const storageGi = Math.max(1, Math.ceil((3 * (limitMi * pct)) / 100 / 1024));
  return {
    memoryRequestMi: limitMi,
    memoryLimitMi: limitMi,
    cpuRequestMilli,
    cpuLimitMilli: cpuRequestMilli * 2,
    maxMemoryPercentOfLimit: pct,
    storageGi,
  };
}

/** Largest pod the planner sizes; beyond it a cluster gets more shards instead (node sizes, reschedule time). */
const MAX_POD_MEMORY_MI = 64 * 1024;

/**
 * Kubernetes: the cluster topology's minimum shard count (more shards only add pods, sidecars and
 * operations), raised only when a pod would exceed MAX_POD_MEMORY_MI. One option, priced per pod.
 */
export function kubernetesShards(ctx: SelectContext): number {
  if (ctx.need.topology.mode !== 'cluster') return 1;
  let s = ctx.need.topology.minShards;
  if (ctx.need.topology.pinnedShards !== undefined) return s;
  while (kubernetesResources(ctx, s).memoryLimitMi > MAX_POD_MEMORY_MI) s++;
  return s;
}

/**
 * Monthly price of one Redis pod at the catalog's node-equivalent unit prices: memory limit, CPU
 * request and disk. The Kubernetes choice and both flavor layouts are priced with it.
 */
export function kubernetesPodMonthlyUsd(r: KubernetesResources): number {
  const cat = kubernetesCatalog();
  return (
    (r.memoryLimitMi / 1024) * cat.memoryGibMonthUsd +
    (r.cpuRequestMilli / 1000) * cat.vcpuMonthUsd +
    r.storageGi * cat.storageGibMonthUsd
  );
}

const podShape = (r: KubernetesResources) =>
  `${r.memoryLimitMi} Mi / ${r.cpuRequestMilli}m / ${r.storageGi} Gi`;

/**
 * The layouts the two Kubernetes flavors run, which differ from the choice's shards x (1 + replicas):
 * - OpsTree (RedisCluster): at least TOPOLOGY.minClusterShards leaders, each sized like a plan shard
 *   (so a non-cluster plan gets 3 leaders each sized for the whole dataset), followers = leaders x
 *   replicas per shard.
 * - Bitnami chart: one primary holding the whole dataset and its replicas; with Sentinel (automatic
 *   failover) every pod runs a Sentinel, so at least TOPOLOGY.minSentinels pods.
 */
export function kubernetesLayouts(ctx: SelectContext): KubernetesLayouts {
  const replicas = ctx.need.topology.replicasPerShard;
  const mode = ctx.need.topology.mode;
  const shards = kubernetesShards(ctx);

  const minLeaders = TOPOLOGY.minClusterShards.value;
  const opsRes = kubernetesResources(ctx, shards);
  const leaders = Math.max(minLeaders, shards);
  const followers = leaders * replicas;
  const note =
    leaders === shards
      ? undefined
      : `the plan is ${mode} with ${shards} shard(s); a RedisCluster needs ${minLeaders} leaders, so each leader is sized for ${shards === 1 ? 'the whole dataset' : `1/${shards} of the dataset`}`;
  const opsPods = leaders + followers;

  const bitRes = kubernetesResources(ctx, 1);
  const sentinel = replicas > 0 && ctx.policy.availability.automaticFailover;
  const minSentinels = TOPOLOGY.minSentinels.value;
  const replicaCount = replicas === 0 ? 0 : sentinel ? Math.max(minSentinels, replicas + 1) : replicas;
  const bitPods = sentinel ? replicaCount : 1 + replicaCount;
  const bitWhat =
    replicas === 0
      ? 'standalone: 1 pod'
      : sentinel
        ? `replication with Sentinel: ${bitPods} Redis+Sentinel pod(s)${bitPods > replicas + 1 ? ` (at least ${minSentinels} Sentinels for a failover majority; the plan has ${replicas + 1} node(s))` : ''}`
        : `replication: 1 primary + ${replicaCount} replica(s)`;
  const tooBig =
    bitRes.memoryLimitMi > MAX_POD_MEMORY_MI
      ? `; one pod would need ${bitRes.memoryLimitMi} Mi > ${MAX_POD_MEMORY_MI} Mi: use the OpsTree flavor`
      : '';

  return {
    opstree: {
      pods: opsPods,
      resources: opsRes,
      leaders,
      followers,
      ...(note ? { note } : {}),
      monthlyCostUsd: round2(kubernetesPodMonthlyUsd(opsRes) * opsPods),
      reason: `OpsTree RedisCluster: ${leaders} leader(s) + ${followers} follower(s) = ${opsPods} pod(s) of ${podShape(opsRes)}${note ? ` (${note})` : ''}`,
    },
    bitnami: {
      pods: bitPods,
      resources: bitRes,
      architecture: replicas === 0 ? 'standalone' : 'replication',
      sentinel,
      replicaCount,
      monthlyCostUsd: round2(kubernetesPodMonthlyUsd(bitRes) * bitPods),
      reason: `Bitnami ${bitWhat} of ${podShape(bitRes)}, one primary holding the whole dataset${tooBig}`,
    },
  };
}

export function kubernetesOptions(ctx: SelectContext): Option[] {
  const cat = kubernetesCatalog();
  const replicas = ctx.need.topology.replicasPerShard;
  const cluster = ctx.need.topology.mode === 'cluster';
  const s = kubernetesShards(ctx);
  const r = kubernetesResources(ctx, s);
  const pods = s * (1 + replicas);
  const monthly = kubernetesPodMonthlyUsd(r) * pods;
  const single = !cluster && r.memoryLimitMi > MAX_POD_MEMORY_MI;
  return [
    {
      platform: 'kubernetes',
      service: cluster ? 'opstree' : 'bitnami',
      sku: `${r.memoryLimitMi}Mi / ${r.cpuRequestMilli}m / ${r.storageGi}Gi`,
      shards: s,
      replicasPerShard: replicas,
      nodes: pods,
      memoryGbPerShard: round2((r.memoryLimitMi * MIB * (r.maxMemoryPercentOfLimit / 100)) / GB),
      maxConnectionsPerShard: ctx.need.connections.maxclients,
      hourlyCostUsd: round2((monthly / MONTH_HOURS) * 1000) / 1000,
      monthlyCostUsd: round2(monthly),
      region: 'cluster',
      reason: `${pods} pod(s) (${s} shard(s) x ${1 + replicas}) of ${r.memoryLimitMi} Mi memory (maxmemory ${r.maxMemoryPercentOfLimit}% of limit), ${r.cpuRequestMilli}m CPU, ${r.storageGi} Gi SSD, priced at node-equivalent $${cat.memoryGibMonthUsd}/GiB-month + $${cat.vcpuMonthUsd}/vCPU-month`,
      priceSource: `${cat.source.url} (${cat.source.retrieved})`,
      fits: !single,
      available: true,
      // Pods run on your own nodes: any commitment is on those nodes, outside this catalog.
      commitments: NO_RATES,
      whyNot: single
        ? `one pod would need ${r.memoryLimitMi} Mi > ${MAX_POD_MEMORY_MI} Mi: use topology: cluster`
        : '',
    },
  ];
}

export const OPTIONS: Record<PlatformId, (ctx: SelectContext, scope?: OptionScope) => Option[]> = {
  aws: awsOptions,
  gcp: gcpOptions,
  'azure-premium': azurePremiumOptions,
  'azure-managed': azureManagedOptions,
  kubernetes: kubernetesOptions,
};

/** @param scope 'all' only to prove the candidates choose the same (test/planner/candidates.test.ts). */
export function choose(platform: PlatformId, ctx: SelectContext, scope: OptionScope = 'candidates'): Choice {
  const options = OPTIONS[platform](ctx, scope);
  const best = cheapest(platform, options, ctx);
  const frontier = costFrontier(platform, options, best, ctx);
  const basis = chosenBasis(platform, frontier, ctx);
  if (basis === 'serverless') return serverlessChoice(ctx, frontier);
  const committed = basis === '1y' || basis === '3y' ? cheapestCommitted(options, basis) : undefined;
  const picked = committed?.option ?? best;
  const { fits: _fits, whyNot: _whyNot, commitments: _c, ...choice } = picked;
  const withFrontier = { ...choice, pricing: basis, frontier: { ...frontier, chosen: basis } };
  // One option (Kubernetes pods are derived, not picked from a list): nothing to compare it with.
  if (!choice.available || options.length < 2)
    return { ...withFrontier, reason: `${choice.reason}${notOfferedNote(ctx, frontier)}` };
  const why = `${choice.reason}${regionNote(platform, choice.region)}; ${whyThisOne(best, options, ctx)}`;
  if (!committed) return { ...withFrontier, reason: `${why}${notOfferedNote(ctx, frontier)}` };
  const cc = frontier.committed[basis as CommitmentTerm]!;
  return {
    ...withFrontier,
    monthlyCostUsd: cc.monthlyCostUsd,
    hourlyCostUsd: round2((cc.monthlyCostUsd / MONTH_HOURS) * 1000) / 1000,
    priceSource: cc.source,
    reason: `${choice.reason}${regionNote(platform, choice.region)}; priced on the ${basis} commitment (spec commitment), ${cc.payment}: ${usd(cc.upfrontUsd)} upfront + ${usd(cc.recurringMonthlyUsd)}/month = ${usd(cc.monthlyCostUsd)}/month over the term against ${usd(frontier.onDemandMonthlyUsd!)} on-demand${cc.breakEvenMonth ? `, ahead from month ${cc.breakEvenMonth}` : ''}${picked === best ? '' : `; the cheapest option under this term (on-demand the cheapest is ${optionLabel(best)})`}`,
  };
}

/** The spec asked for a commitment this platform does not offer: the cost stays on-demand, and says so. */
function notOfferedNote(ctx: SelectContext, f: CostFrontier): string {
  const t = ctx.commitment;
  if (!t || t === 'none') return '';
  const c = f.committed[t];
  if (c && c.savingPct > 0) return '';
  if (c)
    return `; the cheapest ${t} commitment (${usd(c.monthlyCostUsd)}/month, ${c.sku}) costs more than on-demand here: priced on-demand`;
  return `; no ${t} commitment in the catalog for this platform${f.notOffered ? ` (${f.notOffered})` : ''}: priced on-demand`;
}

/** What the choice's cost is on: serverless when the AWS flavor asks, the spec's term when offered, else on-demand. */
function chosenBasis(platform: PlatformId, f: CostFrontier, ctx: SelectContext): PricingBasis {
  if (platform === 'aws' && ctx.awsFlavor === 'serverless') return 'serverless';
  const t = ctx.commitment;
  // A term whose cheapest option costs more than on-demand (e.g. the on-demand SKU is not eligible) is not taken.
  return t && t !== 'none' && f.committed[t] && f.committed[t].savingPct > 0 ? t : 'on-demand';
}

/** On-demand, each commitment term at its best payment option, and (AWS) serverless, for one platform. */
export function costFrontier(
  platform: PlatformId,
  options: Option[],
  best: Option,
  ctx: SelectContext,
): CostFrontier {
  const onDemand = best.available ? best.monthlyCostUsd : null;
  const committed = Object.fromEntries(
    COMMITMENT_TERMS.map((t): [CommitmentTerm, CommittedCost | null] => {
      const c = onDemand === null ? undefined : cheapestCommitted(options, t);
      return [t, c ? committedCost(c.commitment, c.option, onDemand!) : null];
    }),
  ) as CostFrontier['committed'];
  const serverless = platform === 'aws' ? awsServerless(ctx) : undefined;
  const offered = options.some((o) => hasRates(o.commitments));
  return {
    onDemandMonthlyUsd: onDemand,
    onDemandSku: best.available ? optionLabel(best) : null,
    committed,
    ...(offered
      ? {}
      : {
          notOffered:
            platform === 'kubernetes'
              ? 'pods run on your own nodes: commit on those nodes with your provider'
              : 'the catalog has no committed rates for this platform',
        }),
    ...(serverless ? { serverless } : {}),
    cheapest: cheapestBasis(onDemand, committed, serverless),
    chosen: 'on-demand',
  };
}

/** ElastiCache Serverless for this workload, or nothing when the catalog has no serverless prices. */
export function awsServerless(ctx: SelectContext): ServerlessCost | undefined {
  const pricing = pricesOf(ctx).serverlessPricing(ctx.policy.engine);
  if (!pricing) return undefined;
  const cat = awsCatalog();
  const region = ctx.regions.aws ?? cat.defaultRegion;
  const need = ctx.need;
  return serverlessCost(
    {
      engine: ctx.policy.engine,
      dataBytes: need.derived?.neededBytes ?? need.memory.neededBytes,
      ...(need.derived ? { pinnedBytes: need.memory.neededBytes } : {}),
      peakOpsPerSecond: need.peakOps,
      datasetBytes: need.dataset.bytes,
      datasetKeys: need.dataset.keys,
      multiplier: regionMultiplier(cat, region, 'targets.aws.region'),
      region,
    },
    pricing,
  );
}

/** The AWS choice for targets.aws.flavor: serverless: no nodes, the serverless figure as its cost. */
function serverlessChoice(ctx: SelectContext, f: CostFrontier): Choice {
  const s = f.serverless;
  const cat = awsCatalog();
  const region = ctx.regions.aws ?? cat.defaultRegion;
  const base = {
    platform: 'aws' as const,
    service: 'elasticache-serverless',
    shards: 1,
    replicasPerShard: 0,
    nodes: 0,
    region,
    pricing: 'serverless' as const,
    frontier: { ...f, chosen: 'serverless' as const },
  };
  if (!s || s.limitsExceeded.length > 0) {
    return {
      ...base,
      sku: 'none',
      memoryGbPerShard: 0,
      monthlyCostUsd: 0,
      hourlyCostUsd: 0,
      reason: s
        ? `ElastiCache Serverless cannot hold this workload: ${s.limitsExceeded.join('; ')}`
        : 'ElastiCache Serverless is not priced in the catalog',
      priceSource: s?.source ?? '',
      available: false,
    };
  }
  return {
    ...base,
    sku: `serverless ${ctx.policy.engine}`,
    memoryGbPerShard: s.billedDataGb,
    capacityGb: s.billedDataGb,
    monthlyCostUsd: s.monthlyCostUsd,
    hourlyCostUsd: round2((s.monthlyCostUsd / MONTH_HOURS) * 1000) / 1000,
    reason: `${s.reason} (targets.aws.flavor: serverless; AWS scales it and replicates it across zones)`,
    priceSource: s.source,
    available: true,
  };
}

const PRICED_CATALOGS: Partial<Record<PlatformId, () => { regions: RegionTable; defaultRegion: string }>> = {
  aws: awsCatalog,
  gcp: gcpCatalog,
  'azure-premium': azurePremiumCatalog,
  'azure-managed': azureManagedCatalog,
};

/** The unit prices in a reason are the catalog's default region; say so when the monthly cost is scaled. */
function regionNote(platform: PlatformId, region: string): string {
  const cat = PRICED_CATALOGS[platform]?.();
  const mult = cat?.regions[region]?.priceMultiplier ?? 1;
  return cat && mult !== 1
    ? `; unit prices are ${cat.defaultRegion} list prices, x ${mult} for ${region}`
    : '';
}

function optionLabel(o: Option): string {
  return o.shards > 1 ? `${o.sku} x ${o.shards} shards` : o.sku;
}

/**
 * Why this option and not a cheaper one: the need it was measured against, and the nearest cheaper
 * option with what rules it out (too small, burstable, preview...), so a reader sees the trade-off.
 */
function whyThisOne(best: Option, options: Option[], ctx: SelectContext): string {
  const need = `${gb(dataPerShardBytes(ctx, best.shards)).toFixed(2)} GB of data per shard and ${ctx.need.connections.expectedClients} clients`;
  const cheaper = options
    .filter((o) => !o.fits && o.monthlyCostUsd < best.monthlyCostUsd)
    .reduce<Option | undefined>((a, o) => (!a || o.monthlyCostUsd > a.monthlyCostUsd ? o : a), undefined);
  const head = `the cheapest option that holds ${need}`;
  return cheaper
    ? `${head}; the next cheaper, ${optionLabel(cheaper)} at ${usd(cheaper.monthlyCostUsd)}/month, is out: ${cheaper.whyNot}`
    : `${head}; nothing cheaper in the catalog`;
}
