/**
 * Reserved / committed-use prices and ElastiCache Serverless prices, read from the platform catalogs.
 *
 * Every figure is per unit in the same unit as the catalog's on-demand price for that unit (node-hour,
 * GB-hour, shard-hour, SKU-hour) in the catalog's default region; regions apply the catalog's
 * `regionMultiplier` like on-demand prices do. The data and its sources are in lib/catalog/data/*.json
 * and validated at load (see index.ts); lib/catalog/README.md says where each figure comes from.
 */
import { SpecError, show } from '../errors';
import { awsCatalog, catalogFile, COMMIT_TERM_HOURS, effectiveHourlyUsd } from './index';
import type { CatalogCommitOffering, CommitPayment, CommitTerm, Source } from './types';

export type { CommitPayment, CommitTerm } from './types';
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

/** Rates as the catalog stores them, with the effective price and the nearest source attached. */
function toCommittedRates(offering: CatalogCommitOffering, blockSource: Source): CommittedRate[] {
  const source = offering.source ?? blockSource;
  return offering.rates.map((r) => ({
    term: r.term,
    payment: r.payment,
    upfrontUsd: r.upfrontUsd,
    hourlyUsd: r.hourlyUsd,
    effectiveHourlyUsd: effectiveHourlyUsd(r),
    source,
  }));
}

function awsRates(unit: Extract<CommitUnit, { platform: 'aws' }>): CommittedRate[] {
  const cat = awsCatalog();
  const offering = cat.reservedNodes.offerings.find(
    (o) => o.nodeType === unit.nodeType && o.engine === unit.engine,
  );
  if (!offering) {
    const known = cat.nodeTypes.map((n) => n.type);
    throw new SpecError(
      'commitUnit.nodeType',
      unit.nodeType,
      `expected an ElastiCache node type the catalog prices (${known.join(', ')}) with engine redis or valkey`,
      catalogFile('aws-elasticache'),
    );
  }
  return toCommittedRates(offering, cat.reservedNodes.source);
}

/**
 * Every term and payment option the provider offers for `unit`, cheapest effective price last within
 * a term as the catalog lists them; [] when none is offered (the catalog's `notOffered` says why).
 * Throws a SpecError naming the unit when the catalog does not know it.
 */
export function committedRates(unit: CommitUnit): CommittedRate[] {
  switch (unit.platform) {
    case 'aws':
      return awsRates(unit);
    default:
      throw new SpecError(
        'commitUnit.platform',
        (unit as { platform: unknown }).platform,
        `no committed-use prices in the catalog for this platform yet (unit ${show(unit)})`,
        'lib/catalog',
      );
  }
}

/** Why no reservation is offered for `unit`, or undefined when rates exist. */
export function notOfferedReason(unit: CommitUnit): string | undefined {
  if (unit.platform !== 'aws') return undefined;
  const offering = awsCatalog().reservedNodes.offerings.find(
    (o) => o.nodeType === unit.nodeType && o.engine === unit.engine,
  );
  return offering?.notOffered;
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
  /** Source of maxDataGb and maxEcpuPerSecond. */
  limitsSource: Source;
}

/** ElastiCache Serverless rates and limits of one engine in the catalog's default region. */
export function serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing {
  const s = awsCatalog().serverless;
  const e = s.engines[engine];
  if (!e) {
    throw new SpecError('engine', engine, 'expected redis or valkey', catalogFile('aws-elasticache'));
  }
  return {
    engine,
    dataGbHourUsd: e.dataGbHourUsd,
    ecpuPerMillionUsd: e.ecpuPerMillionUsd,
    minimumDataGb: e.minimumDataGb,
    maxDataGb: s.limits.maxDataGb,
    maxEcpuPerSecond: s.limits.maxEcpuPerSecond,
    ecpuPerKb: e.ecpuPerKb,
    source: e.source ?? s.source,
    limitsSource: s.limits.source ?? s.source,
  };
}

/** Term length in hours (8760 for 1y, 26280 for 3y). */
export function commitTermHours(term: CommitTerm): number {
  return COMMIT_TERM_HOURS[term];
}
