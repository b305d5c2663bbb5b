/**
 * The bench's brute force over the catalogs, shared by the sizing section (bench/sizing.ts, on-demand)
 * and the cost-frontier section (bench/frontier.ts, every term and payment option): for one platform
 * and one way of paying (a Mode), every shard count the topology allows x every node type / SKU /
 * Memorystore capacity, keeping what holds the data need for the plan's clients and replicas under
 * the production exclusions, and returning the cheapest.
 *
 * It is written independently of lib/planner/select.ts and lib/planner/cost.ts, because it exists to
 * check them: it reads only the catalogs (injected, so a test can use a tiny one) and the planner's
 * published assumptions. Rules (also in docs/bench.md): usable memory is what maxmemory may be after
 * the platform's reserve; a committed option costs the catalog's effectiveHourlyUsd x the units it
 * bills x 730 h and is priced on a (term, payment) only when every unit it bills offers that;
 * Kubernetes pods have no provider commitment.
 */
import {
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  gcpCatalog,
  kubernetesCatalog,
  type AwsCatalog,
  type AzureManagedCatalog,
  type AzurePremiumCatalog,
  type CommitPayment,
  type CommitTerm,
  type GcpCatalog,
  type KubernetesCatalog,
} from '../lib/catalog';
import {
  committedRates,
  serverlessPricing,
  type CommittedRate,
  type CommitUnit,
  type ServerlessPricing,
} from '../lib/catalog/commitments';
import type { Deployment } from '../lib/deployment';
import { GB, GIB, MIB, MONTH_HOURS, TOPOLOGY, USABLE_MEMORY } from '../lib/planner/assumptions';
import type { PlatformId } from '../lib/planner/types';

/** The catalogs the brute force prices from. */
export interface BruteCatalogs {
  aws: AwsCatalog;
  gcp: GcpCatalog;
  azurePremium: AzurePremiumCatalog;
  azureManaged: AzureManagedCatalog;
  kubernetes: KubernetesCatalog;
  committedRates(unit: CommitUnit): CommittedRate[];
  serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing;
}

/** The real catalogs (each is read and validated once, then cached by lib/catalog). */
export function realCatalogs(): BruteCatalogs {
  return {
    aws: awsCatalog(),
    gcp: gcpCatalog(),
    azurePremium: azurePremiumCatalog(),
    azureManaged: azureManagedCatalog(),
    kubernetes: kubernetesCatalog(),
    committedRates,
    serverlessPricing,
  };
}

/** How every unit of an option is paid for. */
export type Mode = 'on-demand' | { term: CommitTerm; payment: CommitPayment };

export const TERMS: CommitTerm[] = ['1y', '3y'];
export const PAYMENTS: CommitPayment[] = ['no-upfront', 'partial-upfront', 'all-upfront'];

/** One priced option: what is bought and what it costs a month in the mode it was priced in. */
export interface Priced {
  label: string;
  shards: number;
  nodes: number;
  /** Memory the data may use over all shards (maxmemory x shards), GB. */
  usableGb: number;
  monthlyUsd: number;
}

/** The shape an option is asked to have. */
export interface Ask {
  /** Data each shard must hold, bytes. */
  perShardBytes: number;
  shards: number;
  /** Cluster mode (Memorystore then means Memorystore for Redis Cluster, even with one shard). */
  cluster: boolean;
  replicasPerShard: number;
  clients: number;
  production: boolean;
  engine: 'redis' | 'valkey';
  peakOps: number;
}

/** Prices the cheapest option of one platform that has the asked shape (undefined: none fits or is offered). */
export type Pricer = (ask: Ask, mode?: Mode, cats?: BruteCatalogs) => Priced | undefined;

/** b when it is cheaper than a by more than rounding noise; ties keep the earlier option. */
const cheaper = (a: Priced | undefined, b: Priced): Priced =>
  a === undefined || b.monthlyUsd < a.monthlyUsd - 1e-9 ? b : a;

/** Hourly price of one unit in `mode`: on-demand, or the catalog's effective committed rate (none: undefined). */
function unitHourly(
  cats: BruteCatalogs,
  mode: Mode,
  onDemandHourly: number,
  unit: CommitUnit,
): number | undefined {
  return mode === 'on-demand' ? onDemandHourly : committedHourly(cats, mode, unit);
}

/** The catalog's effective hourly rate of one unit on a (term, payment); undefined when not offered. */
function committedHourly(
  cats: BruteCatalogs,
  mode: Exclude<Mode, 'on-demand'>,
  unit: CommitUnit,
): number | undefined {
  return cats.committedRates(unit).find((r) => r.term === mode.term && r.payment === mode.payment)
    ?.effectiveHourlyUsd;
}

/** ElastiCache: nodes of one type, usable = memory less reserved-memory-percent. */
export function priceAws(ask: Ask, mode: Mode = 'on-demand', cats = realCatalogs()): Priced | undefined {
  const cat = cats.aws;
  let best: Priced | undefined;
  for (const n of cat.nodeTypes) {
    if (n.ssdGib > 0 || (ask.production && n.burstable)) continue;
    if (ask.clients > cat.maxClientsPerNode || ask.replicasPerShard > cat.maxReplicasPerShard) continue;
    const usable = n.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100);
    if (usable < ask.perShardBytes) continue;
    const nodes = ask.shards * (1 + ask.replicasPerShard);
    if (nodes > cat.maxNodesPerCluster) continue;
    const hourly = unitHourly(cats, mode, n.hourlyUsd[ask.engine], {
      platform: 'aws',
      nodeType: n.type,
      engine: ask.engine,
    });
    if (hourly === undefined) continue;
    best = cheaper(best, {
      label: n.type,
      shards: ask.shards,
      nodes,
      usableGb: (usable * ask.shards) / GB,
      monthlyUsd: hourly * nodes * MONTH_HOURS,
    });
  }
  return best;
}

/**
 * Memorystore: one primary -> Memorystore for Redis by provisioned GB (Standard plus read replicas
 * beyond the first, or Basic without replicas); a cluster -> Memorystore for Redis Cluster nodes.
 */
export function priceGcp(ask: Ask, mode: Mode = 'on-demand', cats = realCatalogs()): Priced | undefined {
  return ask.cluster ? priceMemorystoreCluster(ask, mode, cats) : priceMemorystoreRedis(ask, mode, cats);
}

function priceMemorystoreRedis(ask: Ask, mode: Mode, cats: BruteCatalogs): Priced | undefined {
  const r = cats.gcp.memorystoreRedis;
  const share = USABLE_MEMORY.gcp.value;
  const readReplicas = Math.max(0, ask.replicasPerShard - 1);
  const ha = ask.replicasPerShard > 0;
  if (ask.replicasPerShard > r.maxReadReplicas) return undefined;
  let best: Priced | undefined;
  for (let gb = r.minGb; gb <= r.maxGb; gb++) {
    const tier = r.tiers.find((t) => gb >= t.minGb && gb <= t.maxGb);
    if (!tier || gb * share * GB < ask.perShardBytes || tier.maxClients < ask.clients) continue;
    if (readReplicas > 0 && gb < 5) continue;
    const main = unitHourly(cats, mode, ha ? tier.standardGbHourUsd : tier.basicGbHourUsd, {
      platform: 'gcp-redis',
      tier: tier.name,
      kind: ha ? 'standard' : 'basic',
    });
    const read =
      readReplicas === 0
        ? 0
        : unitHourly(cats, mode, tier.readReplicaGbHourUsd, {
            platform: 'gcp-redis',
            tier: tier.name,
            kind: 'readReplica',
          });
    // Every unit the option bills must be offered in this mode.
    if (main === undefined || read === undefined) continue;
    best = cheaper(best, {
      label: `${ha ? 'STANDARD_HA' : 'BASIC'} ${gb} GB`,
      shards: 1,
      nodes: 1 + ask.replicasPerShard,
      usableGb: gb * share,
      monthlyUsd: (gb * main + readReplicas * gb * read) * MONTH_HOURS,
    });
  }
  return best;
}

function priceMemorystoreCluster(ask: Ask, mode: Mode, cats: BruteCatalogs): Priced | undefined {
  const c = cats.gcp.memorystoreCluster;
  const share = USABLE_MEMORY.gcp.value;
  if (ask.shards > c.maxShards || ask.replicasPerShard > c.maxReplicasPerShard) return undefined;
  let best: Priced | undefined;
  for (const n of c.nodeTypes) {
    if (ask.production && n.vcpu < 1) continue;
    if (n.memoryGb * share * GB < ask.perShardBytes || n.maxClients < ask.clients) continue;
    const hourly = unitHourly(cats, mode, n.hourlyUsd, { platform: 'gcp-cluster', nodeType: n.type });
    if (hourly === undefined) continue;
    const nodes = ask.shards * (1 + ask.replicasPerShard);
    best = cheaper(best, {
      label: n.type,
      shards: ask.shards,
      nodes,
      usableGb: n.memoryGb * share * ask.shards,
      monthlyUsd: hourly * nodes * MONTH_HOURS,
    });
  }
  return best;
}

/**
 * One Azure Premium shard's monthly price in `mode`: the catalog's on-demand price is per month and
 * used as it is (so the on-demand figure is the catalog's, not a round trip through an hourly rate);
 * committed rates are hourly.
 */
function premiumShardMonthly(
  cats: BruteCatalogs,
  mode: Mode,
  sku: AzurePremiumCatalog['skus'][number],
): number | undefined {
  if (mode === 'on-demand') return sku.monthlyUsdPerShard;
  const hourly = committedHourly(cats, mode, { platform: 'azure-premium', sku: sku.name });
  return hourly === undefined ? undefined : hourly * MONTH_HOURS;
}

/** Azure Cache Premium: a shard is billed with one replica; each further replica costs half a shard. */
export function priceAzurePremium(
  ask: Ask,
  mode: Mode = 'on-demand',
  cats = realCatalogs(),
): Priced | undefined {
  const cat = cats.azurePremium;
  const share = USABLE_MEMORY.azurePremium.value;
  const replicas = Math.max(1, ask.replicasPerShard);
  if (ask.shards > cat.maxShards || replicas > cat.maxReplicasPerPrimary) return undefined;
  let best: Priced | undefined;
  for (const sku of cat.skus) {
    if (sku.memoryGb * share * GB < ask.perShardBytes || sku.maxConnections < ask.clients) continue;
    const perShard = premiumShardMonthly(cats, mode, sku);
    if (perShard === undefined) continue;
    best = cheaper(best, {
      label: sku.name,
      shards: ask.shards,
      nodes: ask.shards * (1 + replicas),
      usableGb: sku.memoryGb * share * ask.shards,
      monthlyUsd: perShard * ask.shards * (1 + (replicas - 1) / 2),
    });
  }
  return best;
}

/** Azure Managed Redis: sharding is inside the SKU, so the whole dataset must fit one SKU; HA = 2 nodes. */
export function priceAzureManaged(
  ask: Ask,
  mode: Mode = 'on-demand',
  cats = realCatalogs(),
): Priced | undefined {
  const cat = cats.azureManaged;
  // The catalog's reserved memory when it states one (as the planner reads it), else the assumption.
  const share =
    cat.reservedMemoryPercent !== undefined
      ? 1 - cat.reservedMemoryPercent / 100
      : USABLE_MEMORY.azureManaged.value;
  const ha = ask.replicasPerShard > 0;
  let best: Priced | undefined;
  for (const sku of cat.skus) {
    if (sku.family === 'FlashOptimized') continue;
    if (sku.preview) continue; // production sizing: preview SKUs are not used
    if (sku.memoryGb * share * GB < ask.perShardBytes * ask.shards || sku.maxConnections < ask.clients)
      continue;
    if (sku.vcpu * TOPOLOGY.amrOpsPerVcpu.value < ask.peakOps) continue; // throughput scales with vCPUs
    const hourly = unitHourly(cats, mode, ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa, {
      platform: 'azure-managed',
      sku: sku.name,
      ha,
    });
    if (hourly === undefined) continue;
    best = cheaper(best, {
      label: sku.name,
      shards: 1,
      nodes: ha ? 2 : 1,
      usableGb: sku.memoryGb * share,
      monthlyUsd: hourly * MONTH_HOURS,
    });
  }
  return best;
}

/** Largest pod memory (Mi) the sizing accepts; a published planner limit (select.ts). */
export const MAX_POD_MI = 64 * 1024;

/**
 * Kubernetes: pods priced at node-equivalent unit prices, on-demand only (they run on your own nodes:
 * no provider commitment). Memory limit: the smallest multiple of 256 Mi (at least 256) whose
 * maxmemory share holds the shard; CPU: the shard's ops/s at opsPerCore per core, rounded up to 250m
 * (at least 250m); disk: RDB + AOF + a rewrite = 3x maxmemory.
 */
export function priceKubernetes(
  ask: Ask,
  mode: Mode = 'on-demand',
  cats = realCatalogs(),
): Priced | undefined {
  if (mode !== 'on-demand') return undefined;
  const cat = cats.kubernetes;
  const pct = cat.maxMemoryPercentOfLimit / 100;
  const limitMi = Math.max(256, Math.ceil(ask.perShardBytes / pct / MIB / 256) * 256);
  if (limitMi > MAX_POD_MI) return undefined;
  const cpu = Math.max(0.25, Math.ceil(((ask.peakOps / ask.shards) * 4) / TOPOLOGY.opsPerCore.value) * 0.25);
  const storageGi = Math.max(1, Math.ceil((3 * limitMi * pct) / 1024));
  const pods = ask.shards * (1 + ask.replicasPerShard);
  const perPod =
    (limitMi / 1024) * cat.memoryGibMonthUsd + cpu * cat.vcpuMonthUsd + storageGi * cat.storageGibMonthUsd;
  return {
    label: `${limitMi}Mi / ${Math.round(cpu * 1000)}m / ${storageGi}Gi`,
    shards: ask.shards,
    nodes: pods,
    usableGb: (limitMi * MIB * pct * ask.shards) / GB,
    monthlyUsd: perPod * pods,
  };
}

export const PRICERS: Record<PlatformId, Pricer> = {
  aws: priceAws,
  gcp: priceGcp,
  'azure-premium': priceAzurePremium,
  'azure-managed': priceAzureManaged,
  kubernetes: priceKubernetes,
};

/** Largest shard count the brute force tries for a cluster, per platform (catalog limits). */
function maxShards(platform: PlatformId, cats: BruteCatalogs): number {
  switch (platform) {
    case 'aws':
      return cats.aws.maxShards;
    case 'gcp':
      return cats.gcp.memorystoreCluster.maxShards;
    case 'azure-premium':
      return cats.azurePremium.maxShards;
    case 'azure-managed':
      return 1; // sharding is internal to the SKU
    case 'kubernetes':
      return 500;
  }
}

/** The data need: the planner's memory derivation up to and including the policy's growth headroom. */
export function dataNeedBytes(d: Deployment): number {
  const f = d.plan.memory.factors.find((x) => x.name === 'growth headroom');
  if (!f) throw new Error('plan.memory.factors has no "growth headroom" step');
  return Math.ceil(f.bytesAfter);
}

/** Cluster minimum shards, derived from the policy and the published topology assumptions. */
export function minShards(d: Deployment): number {
  if (d.plan.topology.mode !== 'cluster') return 1;
  const byOps = Math.ceil(d.plan.throughput.peakOpsPerSecond / TOPOLOGY.opsPerShard.value);
  const byData = Math.ceil(dataNeedBytes(d) / (TOPOLOGY.singleNodeMaxDataGb.value * GB));
  return Math.max(d.policy.availability.minShards, byOps, byData);
}

/** What the brute force needs from a deployment: the data, the shard range and the ask's other inputs. */
export interface Need {
  /** The data need over all shards, bytes. */
  dataBytes: number;
  cluster: boolean;
  minShards: number;
  replicasPerShard: number;
  clients: number;
  production: boolean;
  engine: 'redis' | 'valkey';
  peakOps: number;
}

export function needOf(d: Deployment): Need {
  return {
    dataBytes: dataNeedBytes(d),
    cluster: d.plan.topology.mode === 'cluster',
    minShards: minShards(d),
    replicasPerShard: d.policy.availability.replicasPerShard,
    clients: d.plan.connections.expectedClients,
    production: d.policy.profile === 'production',
    engine: d.policy.engine,
    peakOps: d.plan.throughput.peakOpsPerSecond,
  };
}

/** The ask for one shape, with the need's clients, profile, engine and throughput. */
export function askOf(
  need: Need,
  shape: Pick<Ask, 'perShardBytes' | 'shards' | 'cluster' | 'replicasPerShard'>,
): Ask {
  return {
    ...shape,
    clients: need.clients,
    production: need.production,
    engine: need.engine,
    peakOps: need.peakOps,
  };
}

/**
 * The brute force: the cheapest fitting option of one platform in one mode, over every shard count
 * the topology allows (1 for one primary; for a cluster from the minimum up to the catalog's limit).
 */
export function bruteForce(
  need: Need,
  platform: PlatformId,
  mode: Mode = 'on-demand',
  cats: BruteCatalogs = realCatalogs(),
): Priced | undefined {
  const lo = need.cluster ? need.minShards : 1;
  const hi = need.cluster ? Math.max(lo, maxShards(platform, cats)) : 1;
  let best: Priced | undefined;
  for (let s = lo; s <= hi; s++) {
    const ask = askOf(need, {
      perShardBytes: need.dataBytes / s,
      shards: s,
      cluster: need.cluster,
      replicasPerShard: need.replicasPerShard,
    });
    const p = PRICERS[platform](ask, mode, cats);
    if (p) best = cheaper(best, p);
  }
  return best;
}

/** The best (cheapest) payment option of a term: the brute force run at every payment option. */
export function bruteForceTerm(
  need: Need,
  platform: PlatformId,
  term: CommitTerm,
  cats: BruteCatalogs = realCatalogs(),
): { monthly: number; payment: CommitPayment } | undefined {
  let best: { monthly: number; payment: CommitPayment } | undefined;
  for (const payment of PAYMENTS) {
    const m = bruteForce(need, platform, { term, payment }, cats)?.monthlyUsd;
    if (m !== undefined && (!best || m < best.monthly - 1e-9)) best = { monthly: m, payment };
  }
  return best;
}
