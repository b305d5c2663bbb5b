/**
 * The price sources the cost frontier reads besides the on-demand catalogs: committed-use rates and
 * ElastiCache Serverless pricing (lib/catalog/commitments.ts). Injected through SelectContext.prices
 * so a test can plan against a tiny catalog.
 */
import {
  committedRates,
  notOfferedReason,
  serverlessPricing,
  type CommittedRate,
  type CommitUnit,
  type ServerlessPricing,
} from '../catalog/commitments';

export type { CommittedRate, CommitUnit, ServerlessPricing };

/** Where the planner reads committed rates and serverless prices. */
export interface PriceSources {
  /** Every (term, payment) offered for the unit; [] when none is. */
  committedRates(unit: CommitUnit): CommittedRate[];
  /** Why nothing is offered for the unit, when the catalog says. */
  notOfferedReason?(unit: CommitUnit): string | undefined;
  serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing | undefined;
}

/**
 * The planner asks for the same unit once per shard count (hundreds of times for a large cluster):
 * the catalog's answer for a unit does not change within a process, so it is kept.
 */
const rateCache = new Map<string, CommittedRate[]>();

function cachedCommittedRates(unit: CommitUnit): CommittedRate[] {
  const key = JSON.stringify(unit);
  let rates = rateCache.get(key);
  if (!rates) {
    rates = committedRates(unit);
    rateCache.set(key, rates);
  }
  return rates;
}

export const CATALOG_PRICES: PriceSources = {
  committedRates: cachedCommittedRates,
  notOfferedReason,
  serverlessPricing,
};
