/**
 * The connection contract: the environment variables the applications in the guides read.
 * Every adapter publishes the same keys so an application moves between platforms unchanged.
 * The password itself is never part of the contract: REDIS_PASSWORD_FROM says where to read it.
 *
 * The guides' applications do not agree on names, so a setting some of them spell differently is
 * published under each spelling (an application that read only its own name would otherwise start
 * in plaintext against a TLS-only server): REDIS_TLS / REDIS_TLS_VERIFY and the numbered
 * REDIS_CLUSTER_NODE_n / REDIS_CLUSTER_PORT_n / REDIS_SENTINEL_n (guide 000, Laravel), REDIS_SSL
 * (guide 002), REDIS_USE_TLS (guide 003), REDIS_CONNECTION_POOL_SIZE (guide 004); REDIS_TLS_ENABLED,
 * REDIS_TLS_SKIP_VERIFY, REDIS_POOL_SIZE and REDIS_MIN_IDLE_CONNS are guide 001's (Go).
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
  /**
   * Where clients get the CA that signs the server certificate: `system` when it chains to a public
   * CA the OS already trusts, otherwise e.g. `k8s-secret:<ns>/<name>:ca.crt`, `file:<path>` or
   * `pulumi-output:caCerts`.
   * @default 'system'
   */
  caFrom?: string;
}

export type ConnectionContract = Record<string, string>;

export function connectionContract(policy: ResolvedPolicy, plan: Plan, ep: Endpoint): ConnectionContract {
  const cluster = plan.topology.mode === 'cluster';
  const tls = String(policy.security.tls);
  const nodes = cluster ? (ep.clusterNodes ?? [`${ep.host}:${ep.port}`]) : [];
  const contract: ConnectionContract = {
    REDIS_HOST: ep.host,
    REDIS_PORT: String(ep.port),
    REDIS_TLS_ENABLED: tls,
    REDIS_TLS: tls,
    REDIS_SSL: tls,
    REDIS_USE_TLS: tls,
    REDIS_TLS_SKIP_VERIFY: 'false',
    REDIS_TLS_VERIFY: 'true',
    REDIS_TLS_CA_FROM: policy.security.tls ? (ep.caFrom ?? 'system') : 'none',
    REDIS_CLUSTER_ENABLED: String(cluster),
    REDIS_CLUSTER_NODES: nodes.join(','),
    REDIS_PASSWORD_FROM: policy.security.auth ? ep.passwordFrom : 'none',
    REDIS_DB: '0',
    REDIS_KEY_PREFIX: policy.keyspace.prefix,
    REDIS_POOL_SIZE: String(plan.connections.poolSize),
    REDIS_CONNECTION_POOL_SIZE: String(plan.connections.poolSize),
    REDIS_MIN_IDLE_CONNS: String(plan.connections.minIdle),
  };
  nodes.forEach((node, i) => {
    const at = node.lastIndexOf(':');
    contract[`REDIS_CLUSTER_NODE_${i + 1}`] = node.slice(0, at);
    contract[`REDIS_CLUSTER_PORT_${i + 1}`] = node.slice(at + 1);
  });
  if (ep.username) contract.REDIS_USERNAME = ep.username;
  if (ep.sentinels?.length) {
    contract.REDIS_SENTINEL_ENABLED = 'true';
    contract.REDIS_SENTINELS = ep.sentinels.join(',');
    ep.sentinels.forEach((s, i) => (contract[`REDIS_SENTINEL_${i + 1}`] = s));
    contract.REDIS_SENTINEL_SERVICE = ep.sentinelMaster ?? 'mymaster';
  }
  if (policy.keyspace.defaultTtlSeconds) contract.CACHE_TTL = String(policy.keyspace.defaultTtlSeconds);
  return contract;
}
