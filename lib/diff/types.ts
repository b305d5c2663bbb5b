/**
 * Types of `npm run diff`: what a spec change does to each platform's running cache and its data.
 * A change is one added, removed or changed resource or property of a synthesized artifact, with the
 * class the provider gives it, the reason, where that fact comes from and a safe path where one exists.
 */

import { TARGETS } from '../conformance/types';

/** The platforms compared, in report order: the conformance matrix's columns. */
export const DIFF_PLATFORMS = TARGETS;
export type DiffPlatform = (typeof DIFF_PLATFORMS)[number];

/**
 * - `in-place`: applied to the running cache, no interruption;
 * - `restart`: applied in place with a restart or failover (the reason says how long, per the provider);
 * - `replacement`: a new, empty cache; the data is lost unless restored;
 * - `refused`: the provider rejects the change (shrinking storage, a downgrade, a one-step TLS switch).
 */
export type ChangeClass = 'in-place' | 'restart' | 'replacement' | 'refused';

/** Worst first is last: a platform's class is the highest of its changes. */
export const CLASS_ORDER: ChangeClass[] = ['in-place', 'restart', 'replacement', 'refused'];

export const CLASS_LABELS: Record<ChangeClass, string> = {
  'in-place': 'in place, no interruption',
  restart: 'in place, restart/failover',
  replacement: 'REPLACEMENT (new empty cache)',
  refused: 'REFUSED by the provider',
};

/** Where a rule comes from: provider metadata (package and version) or documentation (URL and date). */
export interface RuleSource {
  id: string;
  title: string;
  url: string;
  /** Date the fact was read (YYYY-MM-DD). */
  retrieved: string;
  /** Package or service version the fact belongs to, when there is one. */
  version?: string;
}

/** A classification with its reason and source. */
export interface Verdict {
  class: ChangeClass;
  reason: string;
  source: RuleSource;
  /** How to make the change without losing data or availability, where the provider offers a way. */
  safePath?: string;
}

export interface Change extends Verdict {
  platform: DiffPlatform;
  /** The resource as the artifact names it (logical id, type:name, kind/name, file). */
  resource: string;
  /** The property path, or `(resource)` for an added or removed resource. */
  property: string;
  from?: unknown;
  to?: unknown;
  /** Whether the resource holds the cached data (a replacement of anything else loses no data). */
  dataResource: boolean;
}

export interface PlatformDiff {
  platform: DiffPlatform;
  /** `absent` when neither side has the platform, `added`/`removed` when only one side has it. */
  presence: 'both' | 'absent' | 'added' | 'removed';
  changes: Change[];
  /** The highest class among the changes, or `none` when nothing changed. */
  overall: ChangeClass | 'none';
}

export interface DiffResult {
  from: string;
  to: string;
  name: string;
  profile: string;
  platforms: PlatformDiff[];
}
