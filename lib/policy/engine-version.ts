/**
 * `engineVersion` checked once, at load, against what every target the spec enables can run, so a
 * version no target offers is one line of bad input (exit 2) instead of a priced plan and a synth
 * that fails target by target. Each target's list comes from its catalog.
 *
 * Targets that deploy a fixed version and say so in a note (Azure Premium runs Redis 6, Azure Managed
 * Redis its own Redis, Memorystore for Redis runs Redis for a Valkey spec) accept any released
 * version; the self-hosted renderer (always synthesized) and the Kubernetes images need a real
 * release at or above the oldest the rendered configs support.
 */
import { awsCatalog, compareVersions, enginesCatalog, gcpCatalog } from '../catalog';
import { SpecError } from '../errors';
import type { Spec } from '../spec/schema';

interface TargetVersions {
  target: string;
  accepts: (version: string) => boolean;
  /** What the target accepts, for the error. */
  offered: string;
}

function majorOf(v: string): number {
  return Number(v.split('.')[0]);
}

/** Self-hosted and Kubernetes: a release line's major, from the oldest supported to the newest release. */
function releasedRange(engine: Spec['engine']): TargetVersions {
  const releases = enginesCatalog().releases[engine];
  const min = enginesCatalog().selfHostedMinimum[engine];
  const newest = releases[releases.length - 1];
  const majors = new Set(releases.map(majorOf));
  return {
    target: 'self-hosted',
    // ElastiCache's own 7.1 is not an upstream release but lies inside the 7.x line: accepted as 7.x.
    accepts: (v) => majors.has(majorOf(v)) && compareVersions(v, min) >= 0 && compareVersions(v, newest) <= 0,
    offered: `${engine} ${min} to ${newest}`,
  };
}

function awsVersions(engine: Spec['engine']): TargetVersions {
  const list = awsCatalog().engineVersions[engine];
  return { target: 'aws', accepts: (v) => list.includes(v), offered: list.join(', ') };
}

/** Memorystore for Redis picks the nearest version of the same major (lib/gcp/settings.ts). */
function gcpVersions(): TargetVersions {
  const cat = gcpCatalog();
  const all = [...cat.memorystoreRedis.versions, ...cat.memorystoreCluster.versions];
  const majors = [...new Set(all.map((v) => Number(/(\d+)/.exec(v)?.[1])))].sort((a, b) => a - b);
  return {
    target: 'gcp',
    accepts: (v) => majors.includes(majorOf(v)),
    offered: majors.map((m) => `${m}.x`).join(', '),
  };
}

/** The targets that constrain the version for this spec. */
export function versionTargets(spec: Spec): TargetVersions[] {
  const out = [releasedRange(spec.engine)];
  if (spec.targets.kubernetes) out.push({ ...releasedRange(spec.engine), target: 'kubernetes' });
  if (spec.targets.aws) out.push(awsVersions(spec.engine));
  if (spec.targets.gcp && spec.engine === 'redis') out.push(gcpVersions());
  return out;
}

/** Throws a SpecError naming engineVersion, the value and what each enabled target accepts. */
export function checkEngineVersion(spec: Spec, version: string, source = 'spec'): void {
  const targets = versionTargets(spec);
  const refused = targets.filter((t) => !t.accepts(version));
  if (refused.length === 0) return;
  const offers = targets.map((t) => `${t.target} accepts ${t.offered}`).join('; ');
  throw new SpecError(
    'engineVersion',
    version,
    `${spec.engine} ${version} is not offered by ${refused.map((t) => t.target).join(', ')} (${offers}): choose a version every enabled target accepts`,
    source,
  );
}
