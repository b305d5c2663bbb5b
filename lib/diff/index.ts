/**
 * `npm run diff`: what a spec change does, per platform, to the running cache and its data. Compares
 * the artifacts of two sides (see ./artifacts) and classifies every changed resource and property
 * (see ./types for the classes).
 */
import { isServerlessTemplate } from '../conformance/aws';
import type { ArtifactSet } from './artifacts';
import { diffAws } from './aws';
import { diffBitnami, diffOpstree } from './k8s';
import { diffPulumi } from './pulumi';
import { diffSelfHosted } from './selfhosted';
import {
  CLASS_ORDER,
  DIFF_PLATFORMS,
  type Change,
  type ChangeClass,
  type DiffPlatform,
  type DiffResult,
  type PlatformDiff,
} from './types';

/**
 * The AWS template is one file whichever the flavor; it belongs to the `aws-serverless` column when it
 * holds a serverless cache, else to `aws`. A flavor switch therefore shows as one column removed and
 * the other added: a new cache, empty unless restored from a snapshot of the old one.
 */
function has(set: ArtifactSet, p: DiffPlatform): boolean {
  switch (p) {
    case 'aws':
      return Boolean(set.aws) && !isServerlessTemplate(set.aws!.template);
    case 'aws-serverless':
      return Boolean(set.aws) && isServerlessTemplate(set.aws!.template);
    case 'gcp':
    case 'azure-premium':
    case 'azure-managed':
      return Boolean(set[p]);
    case 'opstree':
      return Boolean(set.k8s?.['opstree.yaml']);
    case 'bitnami':
      return Boolean(set.k8s?.['bitnami.yaml']);
    case 'self-hosted':
      return Boolean(set.selfHosted && Object.keys(set.selfHosted).length);
  }
}

function changesOf(p: DiffPlatform, a: ArtifactSet, b: ArtifactSet): Change[] {
  switch (p) {
    case 'aws':
    case 'aws-serverless':
      return diffAws(a.aws, b.aws, p);
    case 'gcp':
    case 'azure-premium':
    case 'azure-managed':
      return diffPulumi(p, a[p], b[p]);
    case 'opstree':
      return diffOpstree(a.k8s, b.k8s);
    case 'bitnami':
      return diffBitnami(a.k8s, b.k8s);
    case 'self-hosted':
      return diffSelfHosted(a.selfHosted, b.selfHosted);
  }
}

/**
 * What the change does to the cache: the highest class among changes to the resources that hold the
 * data, and refusals anywhere (a refused change stops the whole update). A replaced alarm or log group
 * loses no cached data, so it counts as in place.
 */
export function overallClass(changes: Change[]): ChangeClass | 'none' {
  if (!changes.length) return 'none';
  let worst = 0;
  for (const c of changes) {
    const counted =
      c.dataResource || c.class === 'refused' ? c.class : c.class === 'restart' ? 'restart' : 'in-place';
    worst = Math.max(worst, CLASS_ORDER.indexOf(counted));
  }
  return CLASS_ORDER[worst];
}

export function diffArtifacts(a: ArtifactSet, b: ArtifactSet): DiffResult {
  const platforms: PlatformDiff[] = DIFF_PLATFORMS.map((p) => {
    const [x, y] = [has(a, p), has(b, p)];
    if (!x && !y) return { platform: p, presence: 'absent', changes: [], overall: 'none' };
    if (!x || !y)
      // A platform only one side targets: created from scratch, or removed with its data (the
      // guard rails keep the data: Retain, protect/retainOnDelete, kept PVCs, data dirs left alone).
      return {
        platform: p,
        presence: x ? 'removed' : 'added',
        changes: [],
        overall: x ? 'replacement' : 'in-place',
      };
    const changes = changesOf(p, a, b);
    return { platform: p, presence: 'both', changes, overall: overallClass(changes) };
  });
  return {
    from: a.label,
    to: b.label,
    name: b.name,
    profile: b.profile ?? a.profile ?? 'unknown',
    platforms,
  };
}

/** Whether a production change needs `--allow-replacement`: a data replacement or a refusal anywhere. */
export function needsApproval(r: DiffResult): PlatformDiff[] {
  return r.platforms.filter((p) => p.overall === 'replacement' || p.overall === 'refused');
}

export type { ArtifactSet } from './artifacts';
export * from './types';
