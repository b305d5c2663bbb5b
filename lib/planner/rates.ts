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

/** Platforms whose committed rates are in the catalogs so far (the others are added as their data lands). */
const COMMIT_PLATFORMS: ReadonlySet<CommitUnit['platform']> = new Set(['aws']);

export const CATALOG_PRICES: PriceSources = {
  committedRates: (unit) => (COMMIT_PLATFORMS.has(unit.platform) ? committedRates(unit) : []),
  notOfferedReason: (unit) => (COMMIT_PLATFORMS.has(unit.platform) ? notOfferedReason(unit) : undefined),
  serverlessPricing,
};
