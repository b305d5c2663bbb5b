/** Arguments of a Memorystore for Redis Cluster (`gcp.redis.Cluster`) from policy and plan. */
import type * as redis from '@pulumi/gcp/redis';
import type { Choice } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import { dailyParts } from '../policy/windows';
import type { GcpPlacement } from './instance';
import {
  labels,
  networkId,
  redisConfigs,
  snapshotStartTime,
  SNAPSHOT_PERIODS,
  weeklyMaintenanceWindows,
} from './settings';

/**
 * The cluster node type: the planner puts it in `extra.nodeType`, or names it as the SKU
 * (e.g. "REDIS_HIGHMEM_MEDIUM" or "REDIS_HIGHMEM_MEDIUM x 3").
 */
export function clusterNodeType(choice: Choice): string {
  const fromExtra = choice.extra?.nodeType;
  if (typeof fromExtra === 'string') return fromExtra;
  const m = /REDIS_[A-Z0-9_]+/.exec(choice.sku);
  if (!m)
    throw new Error(
      `plan.choices.gcp.sku: got ${JSON.stringify(choice.sku)}; expected a Memorystore Cluster node type such as REDIS_HIGHMEM_MEDIUM`,
    );
  return m[0];
}

/**
 * Persistence: the cluster takes one mode. AOF (fsync every second) when the policy asks for AOF,
 * because it loses at most a second of writes; RDB at the policy's period otherwise.
 */
export function clusterPersistence(policy: ResolvedPolicy): redis.ClusterArgs['persistenceConfig'] {
  const p = policy.persistence;
  if (p.aof) return { mode: 'AOF', aofConfig: { appendFsync: p.aofFsync.toUpperCase() } };
  if (p.rdb) {
    return {
      mode: 'RDB',
      rdbConfig: {
        rdbSnapshotPeriod: SNAPSHOT_PERIODS[p.snapshotPeriodHours],
        rdbSnapshotStartTime: snapshotStartTime(policy),
      },
    };
  }
  return { mode: 'DISABLED' };
}

/**
 * Daily managed backups kept for the policy's retention, taken at the start of the snapshot window:
 * the cluster keeps restorable copies for as many days as the policy asks, independent of persistence.
 */
export function clusterBackups(policy: ResolvedPolicy): redis.ClusterArgs['automatedBackupConfig'] {
  const p = policy.persistence;
  if (!p.rdb || p.snapshotRetentionDays < 1) return undefined;
  return {
    fixedFrequencySchedule: { startTime: { hours: dailyParts(p.snapshotWindow).startHour } },
    retention: `${p.snapshotRetentionDays * 86400}s`,
  };
}

export function clusterArgs(policy: ResolvedPolicy, choice: Choice, where: GcpPlacement): redis.ClusterArgs {
  return {
    name: policy.name,
    project: where.project,
    region: where.region,
    shardCount: choice.shards,
    replicaCount: choice.replicasPerShard,
    nodeType: clusterNodeType(choice),
    // Memorystore Cluster authenticates with IAM tokens; there is no static password to leak.
    authorizationMode: policy.security.auth ? 'AUTH_MODE_IAM_AUTH' : 'AUTH_MODE_DISABLED',
    transitEncryptionMode: policy.security.tls
      ? 'TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION'
      : 'TRANSIT_ENCRYPTION_MODE_DISABLED',
    // Private Service Connect endpoints in the spec's network (needs a service connection policy there).
    pscConfigs: [{ network: networkId(where.project, where.network) }],
    // Spread nodes over zones whatever the profile: SINGLE_ZONE would need a zone name we do not know.
    zoneDistributionConfig: { mode: 'MULTI_ZONE' },
    ...(where.kmsKey ? { kmsKey: where.kmsKey } : {}),
    persistenceConfig: clusterPersistence(policy),
    ...(clusterBackups(policy) ? { automatedBackupConfig: clusterBackups(policy) } : {}),
    maintenancePolicy: {
      weeklyMaintenanceWindows: weeklyMaintenanceWindows(policy),
    },
    redisConfigs: redisConfigs(policy),
    labels: labels(policy),
    deletionProtectionEnabled: policy.availability.deletionProtection,
  };
}
