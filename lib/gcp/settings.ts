/**
 * Pure translations from the resolved policy / plan to Memorystore argument values. Kept apart from
 * the component so each rule is one small function with its own test.
 */
import { compareParsed, memorystoreName, parseVersion, type Version } from '../catalog/version';
import { SpecError } from '../errors';
import { memorystoreVersionFor } from '../policy/engine-version';
import { dailyParts, weeklyParts, type Day } from '../policy/windows';
import type { ResolvedPolicy } from '../policy/types';

const GCP_DAYS: Record<Day, string> = {
  sun: 'SUNDAY',
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
};

/** Memorystore's snapshot period enum for the policy's snapshotPeriodHours. */
export const SNAPSHOT_PERIODS: Record<1 | 6 | 12 | 24, string> = {
  1: 'ONE_HOUR',
  6: 'SIX_HOURS',
  12: 'TWELVE_HOURS',
  24: 'TWENTY_FOUR_HOURS',
};

/** The weekly maintenance window as Memorystore's day + start time (the window itself is 1 hour). */
export function maintenanceWindow(policy: ResolvedPolicy): {
  day: string;
  startTime: { hours: number; minutes: number };
} {
  const parts = weeklyParts(policy.maintenanceWindow);
  return { day: GCP_DAYS[parts.day], startTime: { hours: parts.startHour, minutes: parts.startMinute } };
}

/** The policy's window as the one-entry `weeklyMaintenanceWindows` list both the instance and the cluster take. */
export function weeklyMaintenanceWindows(policy: ResolvedPolicy): {
  day: string;
  startTime: { hours: number; minutes: number; seconds: number; nanos: number };
}[] {
  const window = maintenanceWindow(policy);
  return [{ day: window.day, startTime: { ...window.startTime, seconds: 0, nanos: 0 } }];
}

/**
 * First snapshot time, to which later snapshots align: a fixed past date at the start of the policy's
 * daily snapshot window, so snapshots fall inside the window and the value is stable between runs.
 */
export function snapshotStartTime(policy: ResolvedPolicy): string {
  const { startHour, startMinute } = dailyParts(policy.persistence.snapshotWindow);
  const hh = String(startHour).padStart(2, '0');
  const mm = String(startMinute).padStart(2, '0');
  return `2024-01-01T${hh}:${mm}:00Z`;
}

/** redis.conf parameters Memorystore lets us set, from the policy. */
export function redisConfigs(policy: ResolvedPolicy): Record<string, string> {
  const configs: Record<string, string> = { 'maxmemory-policy': policy.keyspace.evictionPolicy };
  if (policy.keyspace.keyspaceNotifications)
    configs['notify-keyspace-events'] = policy.keyspace.keyspaceNotifications;
  return configs;
}

/**
 * GCP labels from policy tags. Label values allow only lower-case letters, digits, "_" and "-"
 * (at most 63), so other characters become "_"; keys already follow the spec's tag-key rule.
 */
export function labels(policy: ResolvedPolicy): Record<string, string> {
  return Object.fromEntries(
    Object.entries(policy.tags).map(([k, v]) => [
      k,
      v
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '_')
        .slice(0, 63),
    ]),
  );
}

/** `projects/<p>/global/networks/<n>` from a network name or self link. */
export function networkId(project: string, network: string): string {
  const m = /(projects\/[^/]+\/global\/networks\/[^/]+)$/.exec(network);
  if (m) return m[1];
  if (/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(network)) return `projects/${project}/global/networks/${network}`;
  throw new SpecError(
    'targets.gcp.network',
    network,
    'expected a VPC network name (e.g. "app-vpc") or "projects/<project>/global/networks/<name>"',
  );
}

/**
 * The Memorystore version string for the policy's engine version (memorystoreVersionFor: the nearest
 * of the same major); a SpecError naming `field` when Memorystore offers none of that major.
 */
export function memorystoreVersion(
  engineVersion: string,
  catalogVersions: string[],
  field = 'engineVersion',
): string {
  const version = memorystoreVersionFor(engineVersion, catalogVersions);
  if (!version) {
    throw new SpecError(
      field,
      engineVersion,
      `Memorystore offers ${catalogVersions.join(', ')}; choose one of those majors`,
    );
  }
  return version;
}

/** The newest version in the catalog list (used when the engine is not offered, e.g. Valkey). */
export function newestMemorystoreVersion(catalogVersions: string[]): string {
  const newest = catalogVersions
    .map((v) => parseVersion(v))
    .filter((v): v is Version => v !== undefined)
    .sort(compareParsed)
    .pop();
  if (!newest) throw new Error(`no Memorystore version among ${JSON.stringify(catalogVersions)}`);
  return memorystoreName(newest);
}
