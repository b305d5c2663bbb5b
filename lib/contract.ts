/**
 * The connection contract: the environment variables the applications in the guides read.
 * Every adapter publishes the same keys so an application moves between platforms unchanged.
 * The password itself is never part of the contract: REDIS_PASSWORD_FROM says where to read it.
 */
import type { Plan } from './planner/types';
import type { ResolvedPolicy } from './policy/types';

export interface Endpoint {
  host: string;
  port: number | string;
  /** host:port list for cluster clients (comma-separated in the contract). */
  clusterNodes?: string[];
  /** Where REDIS_PASSWORD comes from, e.g. "aws-secretsmanager:<arn>:password" or "k8s-secret:<ns>/<name>:password". */
  passwordFrom: string;
  /** ACL user name when the platform uses ACL users. */
  username?: string;
  /** Sentinel endpoints (host:port) when clients must ask Sentinel for the primary. */
  sentinels?: string[];
  sentinelMaster?: string;
}

export type ConnectionContract = Record<string, string>;

export function connectionContract(policy: ResolvedPolicy, plan: Plan, ep: Endpoint): ConnectionContract {
  const cluster = plan.topology.mode === 'cluster';
  const contract: ConnectionContract = {
    REDIS_HOST: ep.host,
    REDIS_PORT: String(ep.port),
    REDIS_TLS_ENABLED: String(policy.security.tls),
    REDIS_TLS_SKIP_VERIFY: 'false',
    REDIS_CLUSTER_ENABLED: String(cluster),
    REDIS_CLUSTER_NODES: cluster ? (ep.clusterNodes ?? [`${ep.host}:${ep.port}`]).join(',') : '',
    REDIS_PASSWORD_FROM: policy.security.auth ? ep.passwordFrom : 'none',
    REDIS_DB: '0',
    REDIS_KEY_PREFIX: policy.keyspace.prefix,
    REDIS_POOL_SIZE: String(plan.connections.poolSize),
    REDIS_MIN_IDLE_CONNS: String(plan.connections.minIdle),
  };
  if (ep.username) contract.REDIS_USERNAME = ep.username;
  if (ep.sentinels?.length) {
    contract.REDIS_SENTINEL_ENABLED = 'true';
    contract.REDIS_SENTINELS = ep.sentinels.join(',');
    contract.REDIS_SENTINEL_SERVICE = ep.sentinelMaster ?? 'mymaster';
  }
  if (policy.keyspace.defaultTtlSeconds) contract.CACHE_TTL = String(policy.keyspace.defaultTtlSeconds);
  return contract;
}
