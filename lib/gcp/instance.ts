/** Arguments of a Memorystore for Redis instance (`gcp.redis.Instance`) from policy and plan. */
import type * as redis from '@pulumi/gcp/redis';
import type { Choice } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import {
  labels,
  networkId,
  redisConfigs,
  snapshotStartTime,
  SNAPSHOT_PERIODS,
  weeklyMaintenanceWindows,
} from './settings';

/** What the instance builder needs from the spec's GCP target. */
export interface GcpPlacement {
  project: string;
  region: string;
  network: string;
  kmsKey?: string;
}

/** Memory to provision: the planner's billed capacity, rounded up to whole GB as the API wants. */
export function instanceMemoryGb(choice: Choice): number {
  return Math.max(1, Math.ceil(choice.capacityGb ?? choice.memoryGbPerShard));
}

export function instanceArgs(
  policy: ResolvedPolicy,
  choice: Choice,
  where: GcpPlacement,
  redisVersion: string,
): redis.InstanceArgs {
  const memorySizeGb = instanceMemoryGb(choice);
  const replicas = choice.replicasPerShard;
  // STANDARD_HA keeps a replica in another zone with automatic failover; BASIC has none and is only
  // chosen when the plan has no replica (development, or a waived production spec).
  const standard = (choice.extra?.tier ?? (replicas > 0 ? 'STANDARD_HA' : 'BASIC')) === 'STANDARD_HA';
  // The planner counts the failover replica as the first one; read replicas are the ones beyond it
  // (it already checked the 5 GB minimum Memorystore sets for read replicas).
  const readReplicas = standard && Number(choice.extra?.readReplicas ?? 0) > 0;
  return {
    name: policy.name,
    project: where.project,
    region: where.region,
    displayName: `${policy.name} (${policy.profile})`,
    tier: standard ? 'STANDARD_HA' : 'BASIC',
    memorySizeGb,
    redisVersion,
    ...(standard
      ? readReplicas
        ? { readReplicasMode: 'READ_REPLICAS_ENABLED', replicaCount: replicas }
        : { readReplicasMode: 'READ_REPLICAS_DISABLED' }
      : {}),
    authEnabled: policy.security.auth,
    transitEncryptionMode: policy.security.tls ? 'SERVER_AUTHENTICATION' : 'DISABLED',
    connectMode: 'PRIVATE_SERVICE_ACCESS',
    authorizedNetwork: networkId(where.project, where.network),
    ...(where.kmsKey ? { customerManagedKey: where.kmsKey } : {}),
    persistenceConfig: policy.persistence.rdb
      ? {
          persistenceMode: 'RDB',
          rdbSnapshotPeriod: SNAPSHOT_PERIODS[policy.persistence.snapshotPeriodHours],
          rdbSnapshotStartTime: snapshotStartTime(policy),
        }
      : { persistenceMode: 'DISABLED' },
    maintenancePolicy: {
      description: `policy window ${policy.maintenanceWindow}`,
      weeklyMaintenanceWindows: weeklyMaintenanceWindows(policy),
    },
    redisConfigs: redisConfigs(policy),
    labels: labels(policy),
    deletionProtection: policy.availability.deletionProtection,
  };
}
