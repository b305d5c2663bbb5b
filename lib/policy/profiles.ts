/**
 * Secure defaults per profile. The sources are the deployment guides in ../shared/guides
 * (production = TLS + auth + RDB and AOF everysec + failover; staging = single primary with RDB;
 * development = persistence optional) plus the compliance packs the AWS adapter is checked
 * against (HIPAA / NIST 800-53 want snapshot retention >= 15 days).
 */
import type { Profile, Spec, WaivableRule } from '../spec/schema';
import { CACHE } from '../planner/assumptions';
import { DEFAULT_KEY_SEPARATOR } from './keyspace';
import type { ResolvedPolicy } from './types';

type Defaults = Omit<ResolvedPolicy, 'name' | 'profile' | 'engine' | 'engineVersion' | 'waivers' | 'tags'>;

/**
 * The targets each production rule concerns: `every`, or the targets that have the setting. A rule
 * whose targets the spec does not enable is not checked, and a waiver for it is kept without being
 * reported unused: the public AWS and GCP constructs resolve the same policy for their one platform,
 * and an ElastiCache group has no Azure access keys to keep.
 */
export const WAIVER_TARGETS: Record<WaivableRule, 'every' | readonly (keyof Spec['targets'])[]> = {
  tls: 'every',
  auth: 'every',
  'encryption-at-rest': 'every',
  'private-networking': 'every',
  'automatic-failover': 'every',
  'multi-az': 'every',
  'snapshot-retention': 'every',
  aof: 'every',
  'deletion-protection': 'every',
  alerts: 'every',
  'maintenance-window': 'every',
  'entra-id': ['azure'],
};

/** Whether the spec enables a target that production rule `rule` concerns (WAIVER_TARGETS). */
export function waiverApplies(rule: WaivableRule, spec: Pick<Spec, 'targets'>): boolean {
  const targets = WAIVER_TARGETS[rule];
  return targets === 'every' || targets.some((t) => spec.targets[t] !== undefined);
}

/** The production minimums that only a waiver may weaken. */
export const PRODUCTION_MINIMUMS = {
  authTokenLength: 32,
  snapshotRetentionDays: 15,
  minZones: 2,
} as const;

/** Redis save rules used by the guides: 15 min / 1 change, 5 min / 10, 1 min / 10,000. */
const GUIDE_SAVE_RULES: Array<[number, number]> = [
  [900, 1],
  [300, 10],
  [60, 10000],
];

/** Dangerous for an application user: wipe data, block the server, or change its configuration. */
export const DENIED_COMMANDS = ['FLUSHALL', 'FLUSHDB', 'DEBUG', 'KEYS', 'CONFIG', 'SHUTDOWN', 'MONITOR'];

const common: Defaults = {
  security: {
    tls: true,
    tlsMinVersion: '1.2',
    auth: true,
    authTokenLength: 64,
    encryptionAtRest: true,
    privateNetworking: true,
    acl: true,
    deniedCommands: DENIED_COMMANDS,
    renamedCommands: ['CONFIG'],
  },
  persistence: {
    rdb: true,
    snapshotRetentionDays: 15,
    snapshotWindow: '03:00-04:00',
    snapshotPeriodHours: 6,
    aof: true,
    aofFsync: 'everysec',
    saveRules: GUIDE_SAVE_RULES,
  },
  availability: {
    topology: 'auto',
    automaticFailover: true,
    multiAz: true,
    minZones: 2,
    replicasPerShard: 1,
    minShards: 1,
    deletionProtection: true,
  },
  maintenanceWindow: 'sun:05:00-sun:06:00',
  keyspace: {
    prefix: '',
    separator: DEFAULT_KEY_SEPARATOR,
    defaultTtlSeconds: CACHE.defaultTtlSeconds.value,
    evictionPolicy: 'volatile-lru',
    keyspaceNotifications: '',
    databases: [],
  },
  alerts: {
    enabled: true,
    memoryPercent: 90,
    cpuPercent: 80,
    // Guide 002 "CloudWatch Monitoring": CPUUtilization < 70%, CacheHits / (CacheHits + CacheMisses) > 0.8.
    cpuWarningPercent: 70,
    hitRateMin: 0.8,
    connectionsPercent: 80,
    evictionsPerHour: 1000,
    replicationLagSeconds: 1,
    latencyP95Ms: 100,
  },
};

/** Staging and development run one node in one zone, without failover or deletion protection. */
const singleNode: Defaults['availability'] = {
  ...common.availability,
  automaticFailover: false,
  multiAz: false,
  minZones: 1,
  replicasPerShard: 0,
  deletionProtection: false,
};

export const PROFILE_DEFAULTS: Record<Profile, Defaults> = {
  production: common,
  staging: {
    ...common,
    persistence: { ...common.persistence, snapshotRetentionDays: 7, aof: false },
    availability: singleNode,
  },
  development: {
    ...common,
    persistence: { ...common.persistence, rdb: false, snapshotRetentionDays: 0, aof: false, saveRules: [] },
    availability: singleNode,
    alerts: { ...common.alerts, enabled: false },
  },
};

/** Default engine version per engine (newest that every managed platform in the catalog offers). */
export const DEFAULT_ENGINE_VERSION = { redis: '7.1', valkey: '8.0' } as const;
