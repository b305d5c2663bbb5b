/**
 * Reserved / committed-use prices and ElastiCache Serverless prices, read from the platform catalogs.
 *
 * Every figure is per unit in the same unit as the catalog's on-demand price for that unit (node-hour,
 * GB-hour, shard-hour, SKU-hour) in the catalog's default region; regions apply the catalog's
 * `regionMultiplier` like on-demand prices do. The data and its sources are in lib/catalog/data/*.json
 * and validated at load (see index.ts); lib/catalog/README.md says where each figure comes from.
 */
import { SpecError, show } from '../errors';
import { awsServerlessCatalog } from './aws-serverless';
import {
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  catalogFile,
  COMMIT_TERM_HOURS,
  effectiveHourlyUsd,
  gcpCatalog,
  HOURS_PER_MONTH,
} from './index';
import type {
  CatalogCommitOffering,
  CommitBasis,
  CommitPayment,
  CommitTerm,
  GcpCommittedUse,
  Source,
} from './types';

export type { CommitBasis, CommitPayment, CommitTerm } from './types';
export { COMMIT_TERM_HOURS, effectiveHourlyUsd };

export interface CommittedRate {
  term: CommitTerm;
  payment: CommitPayment;
  /** Paid once at purchase, per unit, USD. */
  upfrontUsd: number;
  /** Recurring hourly rate per unit, USD, in the SAME unit as that catalog's on-demand figure. */
  hourlyUsd: number;
  /** upfrontUsd / (term hours) + hourlyUsd: the figure to compare with on-demand. */
  effectiveHourlyUsd: number;
  source: Source;
  /** `published`: the provider's own figure (price or percentage); `derived`: estimated from ratios (see source). */
  basis: CommitBasis;
}

/** The unit a reservation is bought for, per platform, in the unit of that catalog's on-demand price. */
export type CommitUnit =
  /** per node-hour */
  | { platform: 'aws'; nodeType: string; engine: 'redis' | 'valkey' }
  /** per GB-hour, as memorystoreRedis.tiers */
  | { platform: 'gcp-redis'; tier: string; kind: 'basic' | 'standard' | 'readReplica' }
  /** per node-hour */
  | { platform: 'gcp-cluster'; nodeType: string }
  /** per shard-hour (monthlyUsdPerShard / 730) */
  | { platform: 'azure-premium'; sku: string }
  /** per SKU-hour */
  | { platform: 'azure-managed'; sku: string; ha: boolean };

/** Rates as the catalog stores them, with the effective price, the nearest source and the basis attached. */
function toCommittedRates(
  offering: CatalogCommitOffering,
  block: { source: Source; basis: CommitBasis },
): CommittedRate[] {
  const source = offering.source ?? block.source;
  const basis = offering.basis ?? block.basis;
  return offering.rates.map((r) => ({
    term: r.term,
    payment: r.payment,
    upfrontUsd: r.upfrontUsd,
    hourlyUsd: r.hourlyUsd,
    effectiveHourlyUsd: effectiveHourlyUsd(r),
    source,
    basis,
  }));
}

/** The SpecError for a unit the catalog does not list, naming the unit and what it does list. */
function unknownUnit(field: string, value: unknown, what: string, known: string[], file: string): SpecError {
  return new SpecError(
    `commitUnit.${field}`,
    value,
    `expected ${what} the catalog prices (${known.join(', ')})`,
    file,
  );
}

function awsRates(unit: Extract<CommitUnit, { platform: 'aws' }>): CommittedRate[] {
  const cat = awsCatalog();
  const offering = cat.reservedNodes.offerings.find(
    (o) => o.nodeType === unit.nodeType && o.engine === unit.engine,
  );
  if (!offering) {
    throw unknownUnit(
      'nodeType',
      unit.nodeType,
      'an ElastiCache node type (engine redis or valkey)',
      cat.nodeTypes.map((n) => n.type),
      catalogFile('aws-elasticache'),
    );
  }
  return toCommittedRates(offering, cat.reservedNodes);
}

/**
 * Google states CUDs as a percentage off on-demand, committed as an hourly spend (nothing upfront): one
 * no-upfront rate per term at on-demand x (1 - percent / 100), or [] when the unit is excluded.
 */
function cudRates(cud: GcpCommittedUse, unit: string, onDemandHourly: number): CommittedRate[] {
  if (cud.notEligible.some((n) => n.unit === unit)) return [];
  return cud.discounts.map((d) => {
    const hourlyUsd = onDemandHourly * (1 - d.percent / 100);
    return {
      term: d.term,
      payment: 'no-upfront' as const,
      upfrontUsd: 0,
      hourlyUsd,
      effectiveHourlyUsd: effectiveHourlyUsd({ term: d.term, upfrontUsd: 0, hourlyUsd }),
      source: cud.source,
      basis: 'published' as const,
    };
  });
}

const GCP_KIND_PRICE = {
  basic: 'basicGbHourUsd',
  standard: 'standardGbHourUsd',
  readReplica: 'readReplicaGbHourUsd',
} as const;

function gcpRedisRates(unit: Extract<CommitUnit, { platform: 'gcp-redis' }>): CommittedRate[] {
  const cat = gcpCatalog();
  const tier = cat.memorystoreRedis.tiers.find((t) => t.name === unit.tier);
  const field = GCP_KIND_PRICE[unit.kind];
  if (!tier) {
    throw unknownUnit(
      'tier',
      unit.tier,
      'a Memorystore for Redis capacity tier',
      cat.memorystoreRedis.tiers.map((t) => t.name),
      catalogFile('gcp-memorystore'),
    );
  }
  if (!field) {
    throw unknownUnit(
      'kind',
      unit.kind,
      'a kind',
      Object.keys(GCP_KIND_PRICE),
      catalogFile('gcp-memorystore'),
    );
  }
  return cudRates(cat.committedUse.memorystoreRedis, tier.name, tier[field]);
}

function gcpClusterRates(unit: Extract<CommitUnit, { platform: 'gcp-cluster' }>): CommittedRate[] {
  const cat = gcpCatalog();
  const node = cat.memorystoreCluster.nodeTypes.find((n) => n.type === unit.nodeType);
  if (!node) {
    throw unknownUnit(
      'nodeType',
      unit.nodeType,
      'a Memorystore for Redis Cluster node type',
      cat.memorystoreCluster.nodeTypes.map((n) => n.type),
      catalogFile('gcp-memorystore'),
    );
  }
  return cudRates(cat.committedUse.memorystoreCluster, node.type, node.hourlyUsd);
}

function azurePremiumRates(unit: Extract<CommitUnit, { platform: 'azure-premium' }>): CommittedRate[] {
  const cat = azurePremiumCatalog();
  const offering = cat.reservations.offerings.find((o) => o.sku === unit.sku);
  if (!offering) {
    throw unknownUnit(
      'sku',
      unit.sku,
      'an Azure Cache for Redis Premium size',
      cat.skus.map((s) => s.name),
      catalogFile('azure-premium'),
    );
  }
  return toCommittedRates(offering, cat.reservations);
}

function azureManagedOffering(unit: Extract<CommitUnit, { platform: 'azure-managed' }>) {
  const cat = azureManagedCatalog();
  const offering = cat.reservations.offerings.find((o) => o.sku === unit.sku && o.ha === unit.ha);
  if (!offering) {
    throw unknownUnit(
      'sku',
      unit.sku,
      'an Azure Managed Redis SKU (ha true or false)',
      cat.skus.map((s) => s.name),
      catalogFile('azure-managed'),
    );
  }
  return { offering, block: cat.reservations };
}

/**
 * Every term and payment option the provider offers for `unit`, in the order the catalog lists them;
 * [] when none is offered (`notOfferedReason(unit)` says why). Prices are for the catalog's default
 * region: multiply by `regionMultiplier` for another region, as for on-demand prices. Throws a
 * SpecError naming the unit when the catalog does not know it.
 */
export function committedRates(unit: CommitUnit): CommittedRate[] {
  switch (unit.platform) {
    case 'aws':
      return awsRates(unit);
    case 'gcp-redis':
      return gcpRedisRates(unit);
    case 'gcp-cluster':
      return gcpClusterRates(unit);
    case 'azure-premium':
      return azurePremiumRates(unit);
    case 'azure-managed': {
      const { offering, block } = azureManagedOffering(unit);
      return toCommittedRates(offering, block);
    }
    default:
      throw new SpecError(
        'commitUnit.platform',
        (unit as { platform: unknown }).platform,
        `expected aws, gcp-redis, gcp-cluster, azure-premium or azure-managed (unit ${show(unit)})`,
        'lib/catalog',
      );
  }
}

/**
 * Why the provider offers no reservation for `unit` (the catalog's notOffered record), or undefined when
 * it offers one. Throws like committedRates for a unit the catalog does not know.
 */
export function notOfferedReason(unit: CommitUnit): string | undefined {
  if (committedRates(unit).length > 0) return undefined;
  switch (unit.platform) {
    case 'aws':
      return awsCatalog().reservedNodes.offerings.find(
        (o) => o.nodeType === unit.nodeType && o.engine === unit.engine,
      )?.notOffered;
    case 'gcp-redis':
      return gcpCatalog().committedUse.memorystoreRedis.notEligible.find((n) => n.unit === unit.tier)?.reason;
    case 'gcp-cluster':
      return gcpCatalog().committedUse.memorystoreCluster.notEligible.find((n) => n.unit === unit.nodeType)
        ?.reason;
    case 'azure-premium':
      return azurePremiumCatalog().reservations.offerings.find((o) => o.sku === unit.sku)?.notOffered;
    case 'azure-managed':
      return azureManagedOffering(unit).offering.notOffered;
  }
}

/** On-demand USD per unit-hour of `unit`, in the unit its committed rates use (for comparisons). */
export function onDemandHourlyUsd(unit: CommitUnit): number {
  committedRates(unit); // validates the unit, throwing a SpecError naming it when unknown
  switch (unit.platform) {
    case 'aws':
      return awsCatalog().nodeTypes.find((n) => n.type === unit.nodeType)!.hourlyUsd[unit.engine];
    case 'gcp-redis':
      return gcpCatalog().memorystoreRedis.tiers.find((t) => t.name === unit.tier)![
        GCP_KIND_PRICE[unit.kind]
      ];
    case 'gcp-cluster':
      return gcpCatalog().memorystoreCluster.nodeTypes.find((n) => n.type === unit.nodeType)!.hourlyUsd;
    case 'azure-premium':
      return (
        azurePremiumCatalog().skus.find((s) => s.name === unit.sku)!.monthlyUsdPerShard / HOURS_PER_MONTH
      );
    case 'azure-managed': {
      const sku = azureManagedCatalog().skus.find((s) => s.name === unit.sku)!;
      return unit.ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa;
    }
  }
}

export interface ServerlessPricing {
  engine: 'redis' | 'valkey';
  /** USD per GB-hour of data stored. */
  dataGbHourUsd: number;
  /** USD per million ElastiCache Processing Units. */
  ecpuPerMillionUsd: number;
  /** Minimum data stored billed per cache, GB (differs by engine). */
  minimumDataGb: number;
  /** Limits of one serverless cache: maximum data stored (GB) and ECPU per second. */
  maxDataGb: number;
  maxEcpuPerSecond: number;
  /** ECPU accounting: ECPUs per request per KB transferred (1 ECPU per KB for simple GET/SET). */
  ecpuPerKb: number;
  source: Source;
  /** Source of maxDataGb and maxEcpuPerSecond (lib/catalog/data/aws-serverless.json). */
  limitsSource: Source;
}

/** ElastiCache Serverless rates and limits of one engine in the catalog's default region. */
export function serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing {
  const s = awsCatalog().serverless;
  // Limits and ECPU accounting are the adapter's catalog (one copy); prices stay with the prices.
  const limits = awsServerlessCatalog();
  const e = s.engines[engine];
  if (!e) {
    throw new SpecError('engine', engine, 'expected redis or valkey', catalogFile('aws-elasticache'));
  }
  return {
    engine,
    dataGbHourUsd: e.dataGbHourUsd,
    ecpuPerMillionUsd: e.ecpuPerMillionUsd,
    minimumDataGb: e.minimumDataGb,
    maxDataGb: limits.dataStorageGb.max,
    maxEcpuPerSecond: limits.ecpuPerSecond.max,
    ecpuPerKb: limits.ecpuPerKb,
    source: e.source ?? s.source,
    limitsSource: limits.fieldSources.dataStorageGb,
  };
}

/** Term length in hours (8760 for 1y, 26280 for 3y). */
export function commitTermHours(term: CommitTerm): number {
  return COMMIT_TERM_HOURS[term];
}
