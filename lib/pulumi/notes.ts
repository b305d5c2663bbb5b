/** Notes the Pulumi adapters (Memorystore, Azure Premium, Azure Managed Redis) share. */
import type { ResolvedPolicy } from '../policy/types';

/** How a platform that keeps only its latest snapshot gets older ones out. */
export interface SnapshotExport {
  /** What the platform keeps, e.g. "Premium persistence keeps the latest snapshot only". */
  readonly keeps: string;
  /** The export command, e.g. "az redis export". */
  readonly command: string;
  /** Where exports go, e.g. "a blob container". */
  readonly destination: string;
}

/**
 * On a platform that keeps only the latest snapshot, a policy retention of more than one day is kept
 * only by scheduled exports: the note saying so, or undefined when RDB is off or one day is enough.
 */
export function snapshotExportNote(policy: ResolvedPolicy, platform: SnapshotExport): string | undefined {
  const days = policy.persistence.snapshotRetentionDays;
  if (!policy.persistence.rdb || days <= 1) return undefined;
  return `${platform.keeps}; ${days} days of retention need scheduled exports (${platform.command}) to ${platform.destination} with a lifecycle rule.`;
}
