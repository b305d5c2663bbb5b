/**
 * ElastiCache naming facts the construct needs: parameter group families and the ids ElastiCache
 * gives the member clusters (nodes) of a replication group, which CloudWatch uses as the
 * `CacheClusterId` dimension.
 */
import { SpecError } from '../errors';
import type { RoleName } from '../policy/roles';

/**
 * The roles of the shared role model (lib/policy/roles.ts) that get an ElastiCache RBAC user: the
 * application, the metrics exporter and operators. The model's other roles belong to the service on
 * ElastiCache: it replicates and fails over itself (replication, sentinel), snapshots through its
 * API rather than BGSAVE/SYNC (backup), and manages its own certificates (tlsReload).
 */
export const ELASTICACHE_ROLES: readonly RoleName[] = ['app', 'metrics', 'admin'];

export type RedisEngine = 'redis' | 'valkey';

/**
 * Parameter group family for an engine and a "major.minor" version.
 * ElastiCache names them redis5.0, redis6.x, redis7, valkey7, valkey8.
 */
export function parameterGroupFamily(
  engine: RedisEngine,
  engineVersion: string,
  source = 'RedisReplicationGroup',
): string {
  const m = /^(\d+)\.(\d+)$/.exec(engineVersion);
  if (!m) {
    throw new SpecError('engineVersion', engineVersion, 'expected "major.minor" such as "7.1"', source);
  }
  const major = Number(m[1]);
  if (engine === 'valkey') {
    if (major >= 7) return `valkey${major}`;
  } else {
    if (major >= 7) return `redis${major}`;
    if (major === 6) return 'redis6.x';
    if (major === 5) return 'redis5.0';
  }
  throw new SpecError(
    'engineVersion',
    engineVersion,
    `ElastiCache has no parameter group family for ${engine} ${engineVersion}; use redis >= 5.0 or valkey >= 7.2`,
    source,
  );
}

/**
 * Whether ElastiCache accepts `TransitEncryptionMode` for this engine and "major.minor" version: every
 * Valkey version, Redis OSS from 7.0.5 (ElastiCache runs "7.0" as its latest 7.0 patch, 7.0.5 or later).
 * Below that the create call fails with "InvalidParameterCombination: Transit encryption mode is not
 * supported for engine version 6.2.6. Please use engine version 7.0.5 or higher" (seen in
 * cloudposse/terraform-aws-elasticache-redis#231); with TLS on, those versions accept TLS only anyway.
 */
export function supportsTransitEncryptionMode(engine: RedisEngine, engineVersion: string): boolean {
  if (engine === 'valkey') return true;
  const major = Number(/^(\d+)\./.exec(engineVersion)?.[1] ?? NaN);
  return major >= 7;
}

/**
 * The member cluster ids ElastiCache assigns: `<group>-<shard 4 digits>-<node 3 digits>` with cluster
 * mode on, `<group>-<node 3 digits>` with it off. Node 001 starts as the primary; after a failover
 * the roles move, so callers should treat every id as "some node" rather than a fixed role.
 */
export function memberClusterIds(
  replicationGroupId: string,
  clusterMode: boolean,
  shards: number,
  replicasPerShard: number,
): string[] {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const ids: string[] = [];
  const nodesPerShard = replicasPerShard + 1;
  if (!clusterMode) {
    for (let n = 1; n <= nodesPerShard; n++) ids.push(`${replicationGroupId}-${pad(n, 3)}`);
    return ids;
  }
  for (let s = 1; s <= shards; s++) {
    for (let n = 1; n <= nodesPerShard; n++) ids.push(`${replicationGroupId}-${pad(s, 4)}-${pad(n, 3)}`);
  }
  return ids;
}
