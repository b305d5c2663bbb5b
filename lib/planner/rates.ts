/**
 * The price sources the cost frontier reads besides the on-demand catalogs: committed-use rates and
 * ElastiCache Serverless pricing. Interim: until the catalog accessors (lib/catalog/commitments.ts)
 * are merged, no commitment is offered and serverless is not priced; no figure is made up here.
 */
import type { Source } from '../catalog';
import type { CommitmentPayment, CommitmentTerm } from './types';

export interface CommittedRate {
  term: CommitmentTerm;
  payment: CommitmentPayment;
  upfrontUsd: number;
  hourlyUsd: number;
  effectiveHourlyUsd: number;
  source: Source;
}

export type CommitUnit =
  | { platform: 'aws'; nodeType: string; engine: 'redis' | 'valkey' }
  | { platform: 'gcp-redis'; tier: string; kind: 'basic' | 'standard' | 'readReplica' }
  | { platform: 'gcp-cluster'; nodeType: string }
  | { platform: 'azure-premium'; sku: string }
  | { platform: 'azure-managed'; sku: string; ha: boolean };

export interface ServerlessPricing {
  engine: 'redis' | 'valkey';
  dataGbHourUsd: number;
  ecpuPerMillionUsd: number;
  minimumDataGb: number;
  maxDataGb: number;
  maxEcpuPerSecond: number;
  ecpuPerKb: number;
  source: Source;
}

/** Where the planner reads committed rates and serverless prices (tests pass a tiny catalog). */
export interface PriceSources {
  committedRates(unit: CommitUnit): CommittedRate[];
  serverlessPricing(engine: 'redis' | 'valkey'): ServerlessPricing | undefined;
}

export const CATALOG_PRICES: PriceSources = {
  committedRates: () => [],
  serverlessPricing: () => undefined,
};
