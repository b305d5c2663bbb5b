/**
 * Policy conformance read from synthesized artifacts (not from the spec): each target has a reader
 * that turns its artifact into Evidence per invariant; invariants.ts applies the policy (what is
 * required for this profile, which waivers exist) and produces the matrix cells.
 */
import type { DeclaredUser } from '../policy/roles';
import type { WaivableRule } from '../spec/schema';

export const TARGETS = [
  'aws',
  'aws-serverless',
  'gcp',
  'azure-premium',
  'azure-managed',
  'opstree',
  'bitnami',
  'self-hosted',
] as const;
export type TargetId = (typeof TARGETS)[number];

export const TARGET_LABELS: Record<TargetId, string> = {
  aws: 'AWS',
  'aws-serverless': 'AWS Serverless',
  gcp: 'GCP',
  'azure-premium': 'Azure Premium',
  'azure-managed': 'Azure Managed Redis',
  opstree: 'OpsTree',
  bitnami: 'Bitnami',
  'self-hosted': 'self-hosted',
};

export type InvariantId =
  | 'tls'
  | 'auth'
  | 'no-plaintext-secret'
  | 'encryption-at-rest'
  | 'private-networking'
  | 'replicas-zones'
  | 'snapshots'
  | 'maintenance-window'
  | 'alerts'
  | 'deletion-protection'
  | 'images'
  | 'data-retention';

/** What a reader found in the artifact for one invariant. */
export type Evidence =
  { status: 'pass'; detail: string } | { status: 'fail'; detail: string } | { status: 'na'; detail: string };

/**
 * What a target's reader returns; the secret scan and data retention are read by ./index.ts.
 * `images` only where the artifact names container images (Kubernetes); the other targets leave it
 * out and get a not-applicable cell.
 */
export type TargetEvidence = Record<
  Exclude<InvariantId, 'no-plaintext-secret' | 'data-retention' | 'images'>,
  Evidence
> & {
  images?: Evidence;
};

export interface Cell {
  status: 'pass' | 'fail' | 'na' | 'waived';
  detail: string;
}

export interface TargetResult {
  target: TargetId;
  /** Files (relative to dist/<id>) the evidence was read from. */
  files: string[];
  cells: Record<InvariantId, Cell>;
  /** The connection contract as published by the artifact (no secrets). */
  contract?: Record<string, string>;
  /**
   * The Redis / ElastiCache users the artifact declares (ACL file template, AWS::ElastiCache::User);
   * undefined when it declares none (one shared password or token, or a platform without Redis users).
   */
  users?: DeclaredUser[];
  /**
   * The users the artifact's Sentinels accept (self-hosted sentinel.conf `user` lines, the Bitnami
   * Sentinels' ACL file template); undefined when its Sentinels declare none (one shared password)
   * or it has no Sentinels.
   */
  sentinelUsers?: DeclaredUser[];
  /** What the artifact says about itself that the plan does not (e.g. the engine version deployed). */
  notes?: string[];
}

export interface Invariant {
  id: InvariantId;
  title: string;
  /** Waivable policy rules that weaken this invariant. */
  rules: WaivableRule[];
}

export const pass = (detail: string): Evidence => ({ status: 'pass', detail });
export const fail = (detail: string): Evidence => ({ status: 'fail', detail });
export const na = (detail: string): Evidence => ({ status: 'na', detail });
/** pass when `ok`, else fail; the same detail either way says what was read. */
export const check = (ok: boolean, detail: string): Evidence => (ok ? pass(detail) : fail(detail));

/** The same evidence for every invariant: the artifact is missing its main resource. */
export function everyInvariant(e: Evidence): TargetEvidence {
  return {
    tls: e,
    auth: e,
    'encryption-at-rest': e,
    'private-networking': e,
    'replicas-zones': e,
    snapshots: e,
    'maintenance-window': e,
    alerts: e,
    'deletion-protection': e,
  };
}
