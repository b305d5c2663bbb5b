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
import { awsCatalog, enginesCatalog, gcpCatalog } from '../catalog';
import { compareParsed, majorOf, memorystoreName, parseVersion, type Version } from '../catalog/version';
import { SpecError } from '../errors';
import type { Spec } from '../spec/schema';
import type { ResolvedPolicy } from './types';

interface TargetVersions {
  target: string;
  accepts: (version: string) => boolean;
  /** What the target accepts, for the error. */
  offered: string;
}

/** Self-hosted and Kubernetes: a release line's major, from the oldest supported to the newest release. */
function releasedRange(engine: Spec['engine']): TargetVersions {
  const releases = enginesCatalog().releases[engine];
  const min = enginesCatalog().selfHostedMinimum[engine];
  const newest = releases[releases.length - 1];
  const majors = new Set(releases.map(majorOf));
  const [lowest, highest] = [parseVersion(min)!, parseVersion(newest)!];
  const inRange = (v: Version) => compareParsed(v, lowest) >= 0 && compareParsed(v, highest) <= 0;
  return {
    target: 'self-hosted',
    // ElastiCache's own 7.1 is not an upstream release but lies inside the 7.x line: accepted as 7.x.
    accepts: (text) => {
      const v = parseVersion(text);
      return !!v && majors.has(v.major) && inRange(v);
    },
    offered: `${engine} ${min} to ${newest}`,
  };
}

function awsVersions(engine: Spec['engine']): TargetVersions {
  const list = awsCatalog().engineVersions[engine];
  return { target: 'aws', accepts: (v) => list.includes(v), offered: list.join(', ') };
}

/**
 * The Memorystore version for an engine version: the catalog version with the same major and the
 * nearest minor at or above it (Memorystore has 7.0 and 7.2, the policy may say 7.1), else the newest
 * of that major; undefined when the catalog has none of that major. Catalog entries look like
 * "REDIS_7_2" or "REDIS_6_X" (a whole line, ordered as its .0); the answer is in that form.
 */
export function memorystoreVersionFor(
  engineVersion: string,
  catalogVersions: readonly string[],
): string | undefined {
  const want = parseVersion(engineVersion);
  if (!want) return undefined;
  const line = catalogVersions
    .map(parseVersion)
    .filter((v): v is Version => v?.major === want.major)
    .sort(compareParsed);
  const pick = line.find((v) => v.minor >= want.minor) ?? line[line.length - 1];
  return pick && memorystoreName(pick);
}

/** Memorystore for Redis picks the nearest version of the same major (memorystoreVersionFor). */
function gcpVersions(): TargetVersions {
  const cat = gcpCatalog();
  const all = [...cat.memorystoreRedis.versions, ...cat.memorystoreCluster.versions];
  const majors = [...new Set(all.map(majorOf))].sort((a, b) => a - b);
  return {
    target: 'gcp',
    accepts: (v) => memorystoreVersionFor(v, all) !== undefined,
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

/** The major of the policy's engine version ("7.1" -> 7); resolvePolicy has checked it is a version. */
export function engineMajor(policy: Pick<ResolvedPolicy, 'engineVersion'>): number {
  return majorOf(policy.engineVersion);
}
