/**
 * Sizing bench: for every reference capacity row of the guides (lib/catalog/data/reference.json) and
 * every platform, compare
 * - the planner's choice for a production spec with that workload (fromSpec),
 * - the reference table's OWN sizing (its memory, primaries and replicas) priced from the same catalog,
 * - the cheapest fitting option found by a brute force over the catalog written here, independently
 *   of lib/planner/select.ts (it reads only the catalogs and the planner's published assumptions).
 *
 * Pricing rule for the reference sizing (also in docs/bench.md): each of the row's primaries holds
 * memoryGb / primaries of data; on each platform take the cheapest catalog node (or SKU, or capacity)
 * whose USABLE memory (what maxmemory may be, after the platform's reserve, the same usable share the
 * planner uses) holds that, and pay for primaries x (1 + replicas) nodes. Rows without primaries
 * (organizations) are one primary with the production policy's replicas. The reference is held to
 * the same client count as the plan and to the same production exclusions (no burstable or
 * shared-core nodes, no data-tiering or flash tiers).
 */
import {
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  gcpCatalog,
  kubernetesCatalog,
  referenceCatalog,
} from '../lib/catalog';
import { fromSpec, type Deployment } from '../lib/deployment';
import { GB, GIB, MIB, MONTH_HOURS, TOPOLOGY, USABLE_MEMORY } from '../lib/planner/assumptions';
import { PLATFORM_IDS, type PlatformId } from '../lib/planner/types';
import { validateSpec } from '../lib/spec/load';

/** One priced sizing: what is bought and what it costs. */
export interface Priced {
  label: string;
  shards: number;
  nodes: number;
  /** Memory the data may use over all shards (maxmemory x shards), GB. */
  usableGb: number;
  monthlyUsd: number;
}

/** The shape a sizing is asked to have. */
export interface SizingAsk {
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

const cheaper = (a: Priced | undefined, b: Priced): Priced =>
  a === undefined || b.monthlyUsd < a.monthlyUsd - 1e-9 ? b : a;

/** ElastiCache: nodes of one type, usable = memory less reserved-memory-percent. */
export function priceAws(ask: SizingAsk): Priced | undefined {
  const cat = awsCatalog();
  let best: Priced | undefined;
  for (const n of cat.nodeTypes) {
    if (n.ssdGib > 0 || (ask.production && n.burstable)) continue;
    if (ask.clients > cat.maxClientsPerNode || ask.replicasPerShard > cat.maxReplicasPerShard) continue;
    const usable = n.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100);
    if (usable < ask.perShardBytes) continue;
    const nodes = ask.shards * (1 + ask.replicasPerShard);
    if (nodes > cat.maxNodesPerCluster) continue;
    best = cheaper(best, {
      label: n.type,
      shards: ask.shards,
      nodes,
      usableGb: (usable * ask.shards) / GB,
      monthlyUsd: n.hourlyUsd[ask.engine] * nodes * MONTH_HOURS,
    });
  }
  return best;
}

/** Memorystore: one primary -> Memorystore for Redis by provisioned GB; a cluster -> Memorystore Cluster nodes. */
export function priceGcp(ask: SizingAsk): Priced | undefined {
  const cat = gcpCatalog();
  const share = USABLE_MEMORY.gcp.value;
  let best: Priced | undefined;
  if (!ask.cluster) {
    const r = cat.memorystoreRedis;
    const readReplicas = Math.max(0, ask.replicasPerShard - 1);
    if (ask.replicasPerShard > r.maxReadReplicas) return undefined;
    for (let gb = r.minGb; gb <= r.maxGb; gb++) {
      const tier = r.tiers.find((t) => gb >= t.minGb && gb <= t.maxGb);
      if (!tier || gb * share * GB < ask.perShardBytes || tier.maxClients < ask.clients) continue;
      if (readReplicas > 0 && gb < 5) continue;
      const perHour =
        ask.replicasPerShard > 0
          ? gb * tier.standardGbHourUsd + readReplicas * gb * tier.readReplicaGbHourUsd
          : gb * tier.basicGbHourUsd;
      best = cheaper(best, {
        label: `${ask.replicasPerShard > 0 ? 'STANDARD_HA' : 'BASIC'} ${gb} GB`,
        shards: 1,
        nodes: 1 + ask.replicasPerShard,
        usableGb: gb * share,
        monthlyUsd: perHour * MONTH_HOURS,
      });
    }
    return best;
  }
  const c = cat.memorystoreCluster;
  if (ask.shards > c.maxShards || ask.replicasPerShard > c.maxReplicasPerShard) return undefined;
  for (const n of c.nodeTypes) {
    if (ask.production && n.vcpu < 1) continue;
    if (n.memoryGb * share * GB < ask.perShardBytes || n.maxClients < ask.clients) continue;
    const nodes = ask.shards * (1 + ask.replicasPerShard);
    best = cheaper(best, {
      label: n.type,
      shards: ask.shards,
      nodes,
      usableGb: n.memoryGb * share * ask.shards,
      monthlyUsd: n.hourlyUsd * nodes * MONTH_HOURS,
    });
  }
  return best;
}

/** Azure Cache Premium: a shard is billed with one replica; each further replica costs half a shard. */
export function priceAzurePremium(ask: SizingAsk): Priced | undefined {
  const cat = azurePremiumCatalog();
  const share = USABLE_MEMORY.azurePremium.value;
  const replicas = Math.max(1, ask.replicasPerShard);
  if (ask.shards > cat.maxShards || replicas > cat.maxReplicasPerPrimary) return undefined;
  let best: Priced | undefined;
  for (const sku of cat.skus) {
    if (sku.memoryGb * share * GB < ask.perShardBytes || sku.maxConnections < ask.clients) continue;
    best = cheaper(best, {
      label: sku.name,
      shards: ask.shards,
      nodes: ask.shards * (1 + replicas),
      usableGb: sku.memoryGb * share * ask.shards,
      monthlyUsd: sku.monthlyUsdPerShard * ask.shards * (1 + (replicas - 1) / 2),
    });
  }
  return best;
}

/** Azure Managed Redis: sharding is inside the SKU, so the whole dataset must fit one SKU; HA = 2 nodes. */
export function priceAzureManaged(ask: SizingAsk): Priced | undefined {
  const cat = azureManagedCatalog();
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
    best = cheaper(best, {
      label: sku.name,
      shards: 1,
      nodes: ha ? 2 : 1,
      usableGb: sku.memoryGb * share,
      monthlyUsd: (ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa) * MONTH_HOURS,
    });
  }
  return best;
}

/** Largest pod memory (Mi) the sizing accepts; a published planner limit (select.ts). */
export const MAX_POD_MI = 64 * 1024;

/**
 * Kubernetes: pods priced at node-equivalent unit prices. Memory limit: the smallest multiple of
 * 256 Mi (at least 256) whose maxmemory share holds the shard; CPU: the shard's ops/s at opsPerCore
 * per core, rounded up to 250m (at least 250m); disk: RDB + AOF + a rewrite = 3x maxmemory.
 */
export function priceKubernetes(ask: SizingAsk): Priced | undefined {
  const cat = kubernetesCatalog();
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

export const PRICERS: Record<PlatformId, (ask: SizingAsk) => Priced | undefined> = {
  aws: priceAws,
  gcp: priceGcp,
  'azure-premium': priceAzurePremium,
  'azure-managed': priceAzureManaged,
  kubernetes: priceKubernetes,
};

/** Largest shard count the brute force tries for a cluster, per platform (catalog limits). */
function maxShards(platform: PlatformId): number {
  switch (platform) {
    case 'aws':
      return awsCatalog().maxShards;
    case 'gcp':
      return gcpCatalog().memorystoreCluster.maxShards;
    case 'azure-premium':
      return azurePremiumCatalog().maxShards;
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

/**
 * Brute force: every shard count the topology allows x every catalog option, keep what holds the
 * data need for the plan's clients and replicas, return the cheapest.
 */
export function bruteForce(d: Deployment, platform: PlatformId): Priced | undefined {
  const need = dataNeedBytes(d);
  const cluster = d.plan.topology.mode === 'cluster';
  const lo = cluster ? minShards(d) : 1;
  const hi = cluster ? Math.max(lo, maxShards(platform)) : 1;
  let best: Priced | undefined;
  for (let s = lo; s <= hi; s++) {
    const p = PRICERS[platform](askFor(d, need / s, s, cluster, d.policy.availability.replicasPerShard));
    if (p) best = cheaper(best, p);
  }
  return best;
}

function askFor(
  d: Deployment,
  perShardBytes: number,
  shards: number,
  cluster: boolean,
  replicas: number,
): SizingAsk {
  return {
    perShardBytes,
    shards,
    cluster,
    replicasPerShard: replicas,
    clients: d.plan.connections.expectedClients,
    production: d.policy.profile === 'production',
    engine: d.policy.engine,
    peakOps: d.plan.throughput.peakOpsPerSecond,
  };
}

export interface ReferenceSizing {
  kind: 'devices' | 'organizations';
  size: number;
  memoryGb: number;
  primaries: number;
  replicasPerPrimary: number;
  /** True when the row states primaries and replicas; false when the policy's defaults were used. */
  statedTopology: boolean;
}

/** Every reference capacity row, with the production policy's replicas where the row states none. */
export function referenceSizings(defaultReplicas: number): ReferenceSizing[] {
  const ref = referenceCatalog();
  return [
    ...ref.devices.map((r) => ({
      kind: 'devices' as const,
      size: r.devices,
      memoryGb: r.memoryGb,
      primaries: r.primaries,
      replicasPerPrimary: r.replicasPerPrimary,
      statedTopology: true,
    })),
    ...ref.organizations.map((r) => ({
      kind: 'organizations' as const,
      size: r.organizations,
      memoryGb: r.memoryGb,
      primaries: 1,
      replicasPerPrimary: defaultReplicas,
      statedTopology: false,
    })),
  ];
}

/** The reference sizing priced on one platform (undefined when the platform cannot offer that shape). */
export function priceReference(
  d: Deployment,
  ref: ReferenceSizing,
  platform: PlatformId,
): Priced | undefined {
  return PRICERS[platform](
    askFor(d, (ref.memoryGb * GB) / ref.primaries, ref.primaries, ref.primaries > 1, ref.replicasPerPrimary),
  );
}

export function productionDeployment(kind: 'devices' | 'organizations', size: number): Deployment {
  return fromSpec(
    validateSpec(
      { name: `bench-${kind}-${size}`, profile: 'production', workload: { [kind]: size } },
      'bench',
    ),
    'bench',
  );
}

export interface SizingResult {
  kind: 'devices' | 'organizations';
  size: number;
  platform: PlatformId;
  /** The derived need the plan must hold (data incl. fragmentation and growth headroom), GB. */
  needGb: number;
  planner: Priced & { available: boolean; headroomPct: number };
  reference: (Priced & { headroomPct: number }) | { unavailable: string };
  referenceShape: string;
  bruteForce: Priced | undefined;
  /** planner / brute force (1.00 = the planner found the cheapest fitting option). */
  ratioToBruteForce: number | undefined;
  /** planner / reference sizing. */
  ratioToReference: number | undefined;
  /**
   * meetsNeed: the planner's usable memory holds the derived need (which already carries the policy's
   * growth headroom). referenceMeetsNeed: the same for the reference sizing; when it is false the row
   * under-provisions and "not above the reference" is not a fair comparison (reported, not checked).
   */
  checks: {
    meetsNeed: boolean;
    referenceMeetsNeed: boolean | undefined;
    notAboveReference: boolean | undefined;
    cheapestFitting: boolean;
  };
}

/** Headroom of usable memory over the need, in percent (negative: the need does not fit). */
export function headroomPct(usableGb: number, needGb: number): number {
  return Math.round((usableGb / needGb - 1) * 1000) / 10;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function sizeOne(ref: ReferenceSizing, platform: PlatformId): SizingResult {
  return compare(productionDeployment(ref.kind, ref.size), ref, platform);
}

/** Compare one deployment's plan for one platform with the reference sizing and the brute force. */
export function compare(d: Deployment, ref: ReferenceSizing, platform: PlatformId): SizingResult {
  const needGb = dataNeedBytes(d) / GB;
  const c = d.plan.choices[platform];
  const plannerUsable = c.memoryGbPerShard * c.shards;
  const planner = {
    label: c.sku,
    shards: c.shards,
    nodes: c.nodes,
    usableGb: plannerUsable,
    monthlyUsd: c.monthlyCostUsd,
    available: c.available,
    headroomPct: headroomPct(plannerUsable, needGb),
  };
  const refPriced = priceReference(d, ref, platform);
  const brute = bruteForce(d, platform);
  const ratioToBruteForce = brute && c.available ? round2(c.monthlyCostUsd / brute.monthlyUsd) : undefined;
  const ratioToReference =
    refPriced && c.available ? round2(c.monthlyCostUsd / refPriced.monthlyUsd) : undefined;
  // memoryGbPerShard is rounded to 0.01 GB for display: allow that rounding.
  const meetsNeed = c.available && (c.memoryGbPerShard + 0.005) * c.shards >= needGb;
  const referenceMeetsNeed = refPriced ? refPriced.usableGb >= needGb : undefined;
  return {
    kind: ref.kind,
    size: ref.size,
    platform,
    needGb,
    planner,
    reference: refPriced
      ? { ...refPriced, headroomPct: headroomPct(refPriced.usableGb, needGb) }
      : { unavailable: `no ${platform} option has that shape (${shape(ref)})` },
    referenceShape: shape(ref),
    bruteForce: brute,
    ratioToBruteForce,
    ratioToReference,
    checks: {
      meetsNeed,
      referenceMeetsNeed,
      notAboveReference: referenceMeetsNeed
        ? c.available && c.monthlyCostUsd <= refPriced!.monthlyUsd + 0.005
        : undefined,
      // Both unavailable also agrees: nothing in the catalog fits.
      cheapestFitting: brute
        ? c.available && Math.abs(c.monthlyCostUsd - brute.monthlyUsd) <= 0.01
        : !c.available,
    },
  };
}

function shape(ref: ReferenceSizing): string {
  return `${ref.memoryGb} GB on ${ref.primaries}+${ref.primaries * ref.replicasPerPrimary}${ref.statedTopology ? '' : ' (policy replicas)'}`;
}

/** The whole sizing table: every reference row x every platform. */
export function sizingTable(): SizingResult[] {
  const replicas = productionDeployment('devices', 1000).policy.availability.replicasPerShard;
  return referenceSizings(replicas).flatMap((ref) => PLATFORM_IDS.map((p) => sizeOne(ref, p)));
}
