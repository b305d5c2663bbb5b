/**
 * Cost-frontier bench: for every reference capacity row of the guides and every platform, the
 * planner's on-demand, best 1-year, best 3-year and (AWS) ElastiCache Serverless monthly cost,
 * against a brute force written here over the same option space: every node type / SKU / capacity x
 * shard count x term x payment option, priced at the catalog's effective hourly rate, and the
 * serverless formula from the catalog's serverless prices. It reads only the catalogs (injected, so a
 * test can use a tiny one) and the planner's published assumptions, never lib/planner/select.ts or
 * lib/planner/cost.ts.
 *
 * Rules (also in docs/bench.md): a term's price is the cheapest fitting option at any payment
 * option of that term, monthly = effectiveHourlyUsd x units x 730; an option is priced on a term only
 * when every unit it bills offers that (term, payment); Kubernetes has no commitment; serverless =
 * max(minimum, derived need GB) x dataGbHourUsd x 730 + peak ops x ECPU per request x 3600 x 730 / 1e6
 * x ecpuPerMillionUsd, and is left out of "cheapest" when the workload exceeds its limits.
 */
import {
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  gcpCatalog,
  type AwsCatalog,
  type AzureManagedCatalog,
  type AzurePremiumCatalog,
  type CommitPayment,
  type CommitTerm,
  type GcpCatalog,
} from '../lib/catalog';
import {
  committedRates,
  serverlessPricing,
  type CommittedRate,
  type CommitUnit,
  type ServerlessPricing,
} from '../lib/catalog/commitments';
import type { Deployment } from '../lib/deployment';
import { GB, GIB, MONTH_HOURS, SERVERLESS, TOPOLOGY, USABLE_MEMORY } from '../lib/planner/assumptions';
import { PLATFORM_IDS, type PlatformId } from '../lib/planner/types';
import {
  dataNeedBytes,
  minShards,
  priceKubernetes,
  productionDeployment,
  referenceSizings,
  type SizingAsk,
} from './sizing';

/** The catalogs the brute force prices from. */
export interface FrontierCatalogs {
  aws: AwsCatalog;
  gcp: GcpCatalog;
  azurePremium: AzurePremiumCatalog;
  azureManaged: AzureManagedCatalog;
  committedRates(unit: CommitUnit): CommittedRate[];
  serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing;
}

/** The real catalogs. */
export function realCatalogs(): FrontierCatalogs {
  return {
    aws: awsCatalog(),
    gcp: gcpCatalog(),
    azurePremium: azurePremiumCatalog(),
    azureManaged: azureManagedCatalog(),
    committedRates,
    serverlessPricing,
  };
}

/** How every unit of an option is paid for. */
export type Mode = 'on-demand' | { term: CommitTerm; payment: CommitPayment };

export const TERMS: CommitTerm[] = ['1y', '3y'];
export const PAYMENTS: CommitPayment[] = ['no-upfront', 'partial-upfront', 'all-upfront'];

/** Hourly price of one unit in `mode`: on-demand, or the catalog's effective committed rate (none: undefined). */
function unitHourly(
  cats: FrontierCatalogs,
  mode: Mode,
  onDemandHourly: number,
  unit: CommitUnit,
): number | undefined {
  if (mode === 'on-demand') return onDemandHourly;
  return cats.committedRates(unit).find((r) => r.term === mode.term && r.payment === mode.payment)
    ?.effectiveHourlyUsd;
}

const min = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);

/** ElastiCache nodes of one type. */
export function frontierAws(ask: SizingAsk, mode: Mode, cats: FrontierCatalogs): number | undefined {
  const cat = cats.aws;
  let best: number | undefined;
  for (const n of cat.nodeTypes) {
    if (n.ssdGib > 0 || (ask.production && n.burstable)) continue;
    if (ask.clients > cat.maxClientsPerNode || ask.replicasPerShard > cat.maxReplicasPerShard) continue;
    if (n.memoryGib * GIB * (1 - cat.reservedMemoryPercent / 100) < ask.perShardBytes) continue;
    const nodes = ask.shards * (1 + ask.replicasPerShard);
    if (nodes > cat.maxNodesPerCluster) continue;
    const hourly = unitHourly(cats, mode, n.hourlyUsd[ask.engine], {
      platform: 'aws',
      nodeType: n.type,
      engine: ask.engine,
    });
    if (hourly !== undefined) best = min(best, hourly * nodes * MONTH_HOURS);
  }
  return best;
}

/** Memorystore for Redis by provisioned GB (Standard + read replicas, or Basic), or Memorystore Cluster nodes. */
export function frontierGcp(ask: SizingAsk, mode: Mode, cats: FrontierCatalogs): number | undefined {
  const cat = cats.gcp;
  const share = USABLE_MEMORY.gcp.value;
  let best: number | undefined;
  if (!ask.cluster) {
    const r = cat.memorystoreRedis;
    const readReplicas = Math.max(0, ask.replicasPerShard - 1);
    if (ask.replicasPerShard > r.maxReadReplicas) return undefined;
    for (let gb = r.minGb; gb <= r.maxGb; gb++) {
      const tier = r.tiers.find((t) => gb >= t.minGb && gb <= t.maxGb);
      if (!tier || gb * share * GB < ask.perShardBytes || tier.maxClients < ask.clients) continue;
      if (readReplicas > 0 && gb < 5) continue;
      const ha = ask.replicasPerShard > 0;
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
      if (main === undefined || read === undefined) continue;
      best = min(best, (gb * main + readReplicas * gb * read) * MONTH_HOURS);
    }
    return best;
  }
  const c = cat.memorystoreCluster;
  if (ask.shards > c.maxShards || ask.replicasPerShard > c.maxReplicasPerShard) return undefined;
  for (const n of c.nodeTypes) {
    if (ask.production && n.vcpu < 1) continue;
    if (n.memoryGb * share * GB < ask.perShardBytes || n.maxClients < ask.clients) continue;
    const hourly = unitHourly(cats, mode, n.hourlyUsd, { platform: 'gcp-cluster', nodeType: n.type });
    if (hourly !== undefined)
      best = min(best, hourly * ask.shards * (1 + ask.replicasPerShard) * MONTH_HOURS);
  }
  return best;
}

/** Azure Cache Premium: billed per shard (primary + one replica); each further replica is half a shard. */
export function frontierAzurePremium(ask: SizingAsk, mode: Mode, cats: FrontierCatalogs): number | undefined {
  const cat = cats.azurePremium;
  const replicas = Math.max(1, ask.replicasPerShard);
  if (ask.shards > cat.maxShards || replicas > cat.maxReplicasPerPrimary) return undefined;
  let best: number | undefined;
  for (const sku of cat.skus) {
    if (sku.memoryGb * USABLE_MEMORY.azurePremium.value * GB < ask.perShardBytes) continue;
    if (sku.maxConnections < ask.clients) continue;
    const hourly = unitHourly(cats, mode, sku.monthlyUsdPerShard / MONTH_HOURS, {
      platform: 'azure-premium',
      sku: sku.name,
    });
    if (hourly !== undefined) best = min(best, hourly * MONTH_HOURS * ask.shards * (1 + (replicas - 1) / 2));
  }
  return best;
}

/** Azure Managed Redis: the whole dataset in one SKU, with or without high availability. */
export function frontierAzureManaged(ask: SizingAsk, mode: Mode, cats: FrontierCatalogs): number | undefined {
  const cat = cats.azureManaged;
  const share =
    cat.reservedMemoryPercent !== undefined
      ? 1 - cat.reservedMemoryPercent / 100
      : USABLE_MEMORY.azureManaged.value;
  const ha = ask.replicasPerShard > 0;
  let best: number | undefined;
  for (const sku of cat.skus) {
    if (sku.family === 'FlashOptimized' || sku.preview) continue;
    if (sku.memoryGb * share * GB < ask.perShardBytes * ask.shards || sku.maxConnections < ask.clients)
      continue;
    if (sku.vcpu * TOPOLOGY.amrOpsPerVcpu.value < ask.peakOps) continue;
    const hourly = unitHourly(cats, mode, ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa, {
      platform: 'azure-managed',
      sku: sku.name,
      ha,
    });
    if (hourly !== undefined) best = min(best, hourly * MONTH_HOURS);
  }
  return best;
}

/** Kubernetes pods run on your own nodes: on-demand unit prices only. */
function frontierKubernetes(ask: SizingAsk, mode: Mode): number | undefined {
  return mode === 'on-demand' ? priceKubernetes(ask)?.monthlyUsd : undefined;
}

type Pricer = (ask: SizingAsk, mode: Mode, cats: FrontierCatalogs) => number | undefined;

export const FRONTIER_PRICERS: Record<PlatformId, Pricer> = {
  aws: frontierAws,
  gcp: frontierGcp,
  'azure-premium': frontierAzurePremium,
  'azure-managed': frontierAzureManaged,
  kubernetes: frontierKubernetes,
};

function maxShards(platform: PlatformId, cats: FrontierCatalogs): number {
  switch (platform) {
    case 'aws':
      return cats.aws.maxShards;
    case 'gcp':
      return cats.gcp.memorystoreCluster.maxShards;
    case 'azure-premium':
      return cats.azurePremium.maxShards;
    case 'azure-managed':
      return 1;
    case 'kubernetes':
      return 500;
  }
}

/** What the brute force needs from a deployment: the ask for a shard count and the shard range. */
export interface FrontierNeed {
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

export function needOf(d: Deployment): FrontierNeed {
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

/** The cheapest fitting option of one platform in one mode, over every shard count the topology allows. */
export function bruteForceMode(
  need: FrontierNeed,
  platform: PlatformId,
  mode: Mode,
  cats: FrontierCatalogs,
): number | undefined {
  const lo = need.cluster ? need.minShards : 1;
  const hi = need.cluster ? Math.max(lo, maxShards(platform, cats)) : 1;
  let best: number | undefined;
  for (let s = lo; s <= hi; s++) {
    const ask: SizingAsk = {
      perShardBytes: need.dataBytes / s,
      shards: s,
      cluster: need.cluster,
      replicasPerShard: need.replicasPerShard,
      clients: need.clients,
      production: need.production,
      engine: need.engine,
      peakOps: need.peakOps,
    };
    best = min(best, FRONTIER_PRICERS[platform](ask, mode, cats));
  }
  return best;
}

/** The best (cheapest) payment option of a term: every payment option brute-forced. */
export function bruteForceTerm(
  need: FrontierNeed,
  platform: PlatformId,
  term: CommitTerm,
  cats: FrontierCatalogs,
): { monthly: number; payment: CommitPayment } | undefined {
  let best: { monthly: number; payment: CommitPayment } | undefined;
  for (const payment of PAYMENTS) {
    const m = bruteForceMode(need, platform, { term, payment }, cats);
    if (m !== undefined && (!best || m < best.monthly - 1e-9)) best = { monthly: m, payment };
  }
  return best;
}

/** What serverless needs from a deployment. */
export interface ServerlessNeed {
  engine: 'redis' | 'valkey';
  /** The derived memory need (before any sizing pin), bytes. */
  neededBytes: number;
  peakOps: number;
  datasetBytes: number;
  datasetKeys: number;
}

export function serverlessNeedOf(d: Deployment): ServerlessNeed {
  return {
    engine: d.policy.engine,
    neededBytes: d.plan.sizing?.derivedNeededBytes ?? d.plan.memory.neededBytes,
    peakOps: d.plan.throughput.peakOpsPerSecond,
    datasetBytes: d.plan.dataset.bytes,
    datasetKeys: d.plan.dataset.keys,
  };
}

/** ElastiCache Serverless by the catalog formula, and whether the workload is within its limits. */
export function bruteForceServerless(
  n: ServerlessNeed,
  cats: FrontierCatalogs,
): { monthly: number; withinLimits: boolean } {
  const p = cats.serverlessPricing(n.engine);
  const gb = Math.max(p.minimumDataGb, n.neededBytes / GB);
  const kb = n.datasetBytes / n.datasetKeys / SERVERLESS.kilobyte.value;
  const ecpuPerSecond = n.peakOps * Math.max(1, kb * p.ecpuPerKb);
  const ecpuPerMonth = ecpuPerSecond * SERVERLESS.sustainedShareOfPeak.value * 3600 * MONTH_HOURS;
  return {
    monthly: gb * p.dataGbHourUsd * MONTH_HOURS + (ecpuPerMonth / 1e6) * p.ecpuPerMillionUsd,
    withinLimits: n.neededBytes / GB <= p.maxDataGb && ecpuPerSecond <= p.maxEcpuPerSecond,
  };
}

type Figure = number | null;
const round2 = (n: number) => Math.round(n * 100) / 100;

export interface FrontierResult {
  kind: 'devices' | 'organizations';
  size: number;
  platform: PlatformId;
  planner: {
    onDemand: Figure;
    '1y': Figure;
    '3y': Figure;
    serverless: Figure;
    payments: Partial<Record<CommitTerm, string>>;
    breakEven: Partial<Record<CommitTerm, number | null>>;
    cheapest: string | null;
    savingPct: number | null;
  };
  bruteForce: { onDemand: Figure; '1y': Figure; '3y': Figure; serverless: Figure; cheapest: string | null };
  /** planner / brute force per column (1.00 = agrees); null when both have nothing. */
  ratios: Record<'onDemand' | '1y' | '3y' | 'serverless', number | null>;
  /** Every column agrees within a cent (or both have nothing) and both name the same cheapest basis. */
  agrees: boolean;
}

const COLUMNS = ['onDemand', '1y', '3y', 'serverless'] as const;

/** The cheapest basis of a set of figures (serverless only when within its limits). */
function cheapestOf(f: Record<(typeof COLUMNS)[number], Figure>, serverlessOk: boolean): string | null {
  const cands: Array<[string, number]> = [];
  if (f.onDemand !== null) cands.push(['on-demand', f.onDemand]);
  if (f.onDemand === null) return null;
  for (const t of TERMS) if (f[t] !== null) cands.push([t, f[t]]);
  if (f.serverless !== null && serverlessOk) cands.push(['serverless', f.serverless]);
  return cands.reduce((a, b) => (b[1] < a[1] - 0.005 ? b : a))[0];
}

/** One deployment's frontier on one platform: the planner's figures beside the brute force's. */
export function compareFrontier(
  d: Deployment,
  platform: PlatformId,
  cats: FrontierCatalogs = realCatalogs(),
): Omit<FrontierResult, 'kind' | 'size'> {
  const c = d.plan.choices[platform];
  const f = c.frontier;
  const planner = {
    onDemand: f?.onDemandMonthlyUsd ?? null,
    '1y': f?.committed['1y']?.monthlyCostUsd ?? null,
    '3y': f?.committed['3y']?.monthlyCostUsd ?? null,
    serverless: f?.serverless?.monthlyCostUsd ?? null,
    payments: Object.fromEntries(
      TERMS.flatMap((t) => (f?.committed[t] ? [[t, f.committed[t].payment]] : [])),
    ),
    breakEven: Object.fromEntries(
      TERMS.flatMap((t) => (f?.committed[t] ? [[t, f.committed[t].breakEvenMonth]] : [])),
    ),
    cheapest: f?.cheapest?.basis ?? null,
    savingPct: f?.cheapest?.savingPct ?? null,
  };
  const need = needOf(d);
  const od = bruteForceMode(need, platform, 'on-demand', cats);
  const terms = Object.fromEntries(
    TERMS.map((t) => [t, od === undefined ? undefined : bruteForceTerm(need, platform, t, cats)?.monthly]),
  ) as Record<CommitTerm, number | undefined>;
  const sls = platform === 'aws' ? bruteForceServerless(serverlessNeedOf(d), cats) : undefined;
  const brute = {
    onDemand: od === undefined ? null : round2(od),
    '1y': terms['1y'] === undefined ? null : round2(terms['1y']),
    '3y': terms['3y'] === undefined ? null : round2(terms['3y']),
    serverless: sls ? round2(sls.monthly) : null,
  };
  const bruteCheapest = cheapestOf(brute, sls?.withinLimits ?? false);
  const ratios = Object.fromEntries(
    COLUMNS.map((k) => {
      const [p, b] = [planner[k], brute[k]];
      return [k, p === null || b === null || b === 0 ? null : round2(p / b)];
    }),
  ) as FrontierResult['ratios'];
  const same = COLUMNS.every((k) =>
    planner[k] === null || brute[k] === null
      ? planner[k] === brute[k]
      : Math.abs(planner[k]! - brute[k]!) <= 0.011,
  );
  return {
    platform,
    planner,
    bruteForce: { ...brute, cheapest: bruteCheapest },
    ratios,
    agrees: same && planner.cheapest === bruteCheapest,
  };
}

/** Every reference row x every platform, planned for a production spec of that workload. */
export function frontierTable(cats: FrontierCatalogs = realCatalogs()): FrontierResult[] {
  const replicas = productionDeployment('devices', 1000).policy.availability.replicasPerShard;
  return referenceSizings(replicas).flatMap((ref) => {
    const d = productionDeployment(ref.kind, ref.size);
    return PLATFORM_IDS.map((p) => ({ kind: ref.kind, size: ref.size, ...compareFrontier(d, p, cats) }));
  });
}

export interface FrontierSummary {
  rows: number;
  agree: number;
  /** How often each basis is the cheapest. */
  cheapest: Record<string, number>;
  /** Pairs where a commitment is offered, and where serverless is within its limits. */
  committedOffered: number;
  serverlessPriced: number;
}

export function summarizeFrontier(rows: FrontierResult[]): FrontierSummary {
  const cheapest: Record<string, number> = {};
  for (const r of rows)
    if (r.planner.cheapest) cheapest[r.planner.cheapest] = (cheapest[r.planner.cheapest] ?? 0) + 1;
  return {
    rows: rows.length,
    agree: rows.filter((r) => r.agrees).length,
    cheapest,
    committedOffered: rows.filter((r) => r.planner['1y'] !== null || r.planner['3y'] !== null).length,
    serverlessPriced: rows.filter((r) => r.planner.serverless !== null).length,
  };
}
