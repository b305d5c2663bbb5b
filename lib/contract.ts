/**
 * The connection contract: the environment variables the applications in the guides read.
 * Every adapter publishes the same keys so an application moves between platforms unchanged, and
 * connects from the contract alone: host and port (or cluster nodes, or Sentinels), user name,
 * where the password and the CA are, the key prefix with its separator, timeouts, retries and
 * cache defaults. A feature a deployment lacks is published as `false` / empty / `none`, never left
 * out, so an application's own default (often "on" or plaintext) never applies by accident.
 * The password itself is never part of the contract: REDIS_PASSWORD_FROM says where to read it.
 *
 * The guides' applications do not agree on names or units, so a setting some of them spell
 * differently is published under each spelling, in that application's unit:
 * - guide 000 (Laravel, phpredis): REDIS_TLS, REDIS_TLS_VERIFY, REDIS_CLUSTER_NODE_n / _PORT_n,
 *   REDIS_SENTINEL_n, REDIS_SENTINEL_SERVICE, REDIS_TIMEOUT (seconds), REDIS_READ_TIMEOUT;
 * - guide 001 (Go, go-redis): REDIS_TLS_ENABLED, REDIS_TLS_SKIP_VERIFY, REDIS_POOL_SIZE,
 *   REDIS_MIN_IDLE_CONNS and Go durations REDIS_DIAL_TIMEOUT / REDIS_READ_TIMEOUT / REDIS_WRITE_TIMEOUT
 *   / REDIS_MIN_RETRY_DELAY / REDIS_MAX_RETRY_DELAY ("5s", "100ms");
 * - guide 002 (Python): REDIS_SSL;
 * - guide 003 (Node): REDIS_USE_TLS, REDIS_CONNECT_TIMEOUT / REDIS_COMMAND_TIMEOUT (ms),
 *   CACHE_DEFAULT_TTL, CACHE_EVICTION_POLICY;
 * - guide 004 (Node, cluster): REDIS_CONNECTION_POOL_SIZE, REDIS_CLUSTER_PASSWORD (as
 *   REDIS_CLUSTER_PASSWORD_FROM), REDIS_RETRY_DELAY / REDIS_FAILOVER_TIMEOUT /
 *   REDIS_HEALTH_CHECK_INTERVAL (ms), REDIS_MAX_FAILURES, CACHE_TTL.
 * Our own names carry the unit (`_MS`) so nobody has to guess it.
 * REDIS_READ_TIMEOUT is read by guide 000 (phpredis, seconds) and guide 001 (Go duration, which
 * refuses a bare number): the Go form ("3s") is published. phpredis' connect() refuses the string
 * "3s" (TypeError, seen with php 8.2), so a Laravel config must cast it: `(float) env('REDIS_READ_TIMEOUT')`
 * is 3.0 (docs/self-hosted.md, "Connecting").
 */
import { CLIENT } from './planner/assumptions';
import type { Plan } from './planner/types';
import { prefixWithSeparator } from './policy/keyspace';
import type { ResolvedPolicy } from './policy/types';

export interface Endpoint {
  host: string;
  port: number | string;
  /** host:port list for cluster clients (comma-separated in the contract). */
  clusterNodes?: string[];
  /** Where REDIS_PASSWORD comes from, e.g. "aws-secretsmanager:<arn>:password" or "k8s-secret:<ns>/<name>:password". */
  passwordFrom: string;
  /**
   * ACL user name of the application role, when the platform uses ACL users.
   * @default '' (no user name: the client sends `AUTH <password>`)
   */
  username?: string;
  /** Sentinel endpoints (host:port) when clients must ask Sentinel for the primary. */
  sentinels?: string[];
  /** @default 'mymaster' */
  sentinelMaster?: string;
  /**
   * User the application authenticates as to the Sentinels.
   * @default the application's `username`
   */
  sentinelUsername?: string;
  /**
   * Where the Sentinels' password comes from (`none` when Sentinels take no password).
   * @default the application's `passwordFrom`
   */
  sentinelPasswordFrom?: string;
  /**
   * Whether the Sentinels listen on TLS (with the same CA as the servers).
   * @default the policy's TLS setting
   */
  sentinelTls?: boolean;
  /**
   * Where clients get the CA that signs the server certificate: `system` when it chains to a public
   * CA the OS already trusts, otherwise e.g. `k8s-secret:<ns>/<name>:ca.crt`, `file:<path>` or
   * `pulumi-output:caCerts`.
   * @default 'system'
   */
  caFrom?: string;
  /**
   * How long a failover of this layout may take, from the primary's death until a replica accepts
   * writes: clients keep retrying that long (REDIS_FAILOVER_TIMEOUT_MS). Layouts whose timeouts the
   * adapter sets (Sentinel, Redis Cluster) pass the bound those timeouts give.
   * @default CLIENT.failoverTimeoutMs (lib/planner/assumptions.ts)
   */
  failoverTimeoutMs?: number;
}

export type ConnectionContract = Record<string, string>;

/** Milliseconds as a Go duration ("100ms", "3s"), the form go-redis' configuration parses. */
export function goDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}

/** Every key that is always there, whatever the platform (numbered keys come on top). */
export function connectionContract(policy: ResolvedPolicy, plan: Plan, ep: Endpoint): ConnectionContract {
  const cluster = plan.topology.mode === 'cluster';
  const tls = policy.security.tls;
  const auth = policy.security.auth;
  const nodes = cluster ? (ep.clusterNodes ?? [`${ep.host}:${ep.port}`]) : [];
  const sentinels = ep.sentinels ?? [];
  const sentinel = sentinels.length > 0;
  const passwordFrom = auth ? ep.passwordFrom : 'none';
  const username = auth ? (ep.username ?? '') : '';
  const ms = {
    connect: CLIENT.connectTimeoutMs.value,
    command: CLIENT.commandTimeoutMs.value,
    retryMin: CLIENT.retryMinDelayMs.value,
    retryMax: CLIENT.retryMaxDelayMs.value,
    health: CLIENT.healthCheckIntervalMs.value,
    failover: ep.failoverTimeoutMs ?? CLIENT.failoverTimeoutMs.value,
  };
  const contract: ConnectionContract = {
    REDIS_HOST: ep.host,
    REDIS_PORT: String(ep.port),
    REDIS_TLS_ENABLED: String(tls),
    REDIS_TLS: String(tls),
    REDIS_SSL: String(tls),
    REDIS_USE_TLS: String(tls),
    // Without TLS there is nothing to verify: both spellings say so, consistently.
    REDIS_TLS_VERIFY: String(tls),
    REDIS_TLS_SKIP_VERIFY: String(!tls),
    REDIS_TLS_CA_FROM: tls ? (ep.caFrom ?? 'system') : 'none',
    REDIS_CLUSTER_ENABLED: String(cluster),
    REDIS_CLUSTER_NODES: nodes.join(','),
    REDIS_USERNAME: username,
    REDIS_PASSWORD_FROM: passwordFrom,
    REDIS_CLUSTER_PASSWORD_FROM: passwordFrom,
    REDIS_SENTINEL_ENABLED: String(sentinel),
    REDIS_SENTINELS: sentinels.join(','),
    REDIS_SENTINEL_MASTER: sentinel ? (ep.sentinelMaster ?? 'mymaster') : '',
    REDIS_SENTINEL_SERVICE: sentinel ? (ep.sentinelMaster ?? 'mymaster') : '',
    REDIS_SENTINEL_USERNAME: sentinel && auth ? (ep.sentinelUsername ?? username) : '',
    REDIS_SENTINEL_PASSWORD_FROM: sentinel && auth ? (ep.sentinelPasswordFrom ?? passwordFrom) : 'none',
    REDIS_SENTINEL_TLS: String(sentinel && (ep.sentinelTls ?? tls)),
    REDIS_DB: '0',
    REDIS_KEY_PREFIX: prefixWithSeparator(policy.keyspace.prefix, policy.keyspace.separator),
    REDIS_KEY_SEPARATOR: policy.keyspace.separator,
    REDIS_POOL_SIZE: String(plan.connections.poolSize),
    REDIS_CONNECTION_POOL_SIZE: String(plan.connections.poolSize),
    REDIS_MIN_IDLE_CONNS: String(plan.connections.minIdle),
    REDIS_CONNECT_TIMEOUT_MS: String(ms.connect),
    REDIS_CONNECT_TIMEOUT: String(ms.connect),
    REDIS_DIAL_TIMEOUT: goDuration(ms.connect),
    REDIS_TIMEOUT: String(ms.connect / 1000),
    REDIS_COMMAND_TIMEOUT_MS: String(ms.command),
    REDIS_COMMAND_TIMEOUT: String(ms.command),
    REDIS_READ_TIMEOUT: goDuration(ms.command),
    REDIS_WRITE_TIMEOUT: goDuration(ms.command),
    REDIS_MAX_RETRIES: String(CLIENT.maxRetries.value),
    REDIS_RETRY_MIN_DELAY_MS: String(ms.retryMin),
    REDIS_RETRY_MAX_DELAY_MS: String(ms.retryMax),
    REDIS_MIN_RETRY_DELAY: goDuration(ms.retryMin),
    REDIS_MAX_RETRY_DELAY: goDuration(ms.retryMax),
    REDIS_RETRY_DELAY: String(ms.retryMin),
    REDIS_HEALTH_CHECK_INTERVAL_MS: String(ms.health),
    REDIS_HEALTH_CHECK_INTERVAL: String(ms.health),
    REDIS_MAX_FAILURES: String(CLIENT.maxFailures.value),
    REDIS_FAILOVER_TIMEOUT_MS: String(ms.failover),
    REDIS_FAILOVER_TIMEOUT: String(ms.failover),
    CACHE_DEFAULT_TTL: String(policy.keyspace.defaultTtlSeconds),
    CACHE_TTL: String(policy.keyspace.defaultTtlSeconds),
    CACHE_EVICTION_POLICY: policy.keyspace.evictionPolicy,
  };
  nodes.forEach((node, i) => {
    const at = node.lastIndexOf(':');
    contract[`REDIS_CLUSTER_NODE_${i + 1}`] = node.slice(0, at);
    contract[`REDIS_CLUSTER_PORT_${i + 1}`] = node.slice(at + 1);
  });
  sentinels.forEach((s, i) => (contract[`REDIS_SENTINEL_${i + 1}`] = s));
  return contract;
}

/**
 * From the death of a primary until Sentinel names a promoted replica: `down-after-milliseconds`
 * (subjective down), then up to 1 s until the other Sentinels agree (they are asked once a second),
 * up to 1 s of deliberate desynchronisation before the election (SENTINEL_MAX_DESYNC) and up to 1 s
 * until the promoted replica's INFO shows it as primary (polled once a second during a failover),
 * plus 1 s for a busy host. A client then waits at most one more backoff step
 * (CLIENT.retryMaxDelayMs) before its next try. Holds when the first election wins; a split vote is
 * retried after 2 x failover-timeout.
 */
export function sentinelFailoverBoundMs(downAfterMs: number): number {
  return downAfterMs + 4000 + CLIENT.retryMaxDelayMs.value;
}

/**
 * From the death of a cluster primary until its replica is elected: `cluster-node-timeout` until the
 * others flag it PFAIL, up to another node-timeout until a majority's gossip marks it FAIL, 500 ms plus
 * up to 500 ms random delay before the replica asks for votes (rank 0: one replica per shard), and
 * about 1 s for the vote and the new slot map, plus 1 s for a busy host; then at most one client
 * backoff step.
 */
export function clusterFailoverBoundMs(nodeTimeoutMs: number): number {
  return 2 * nodeTimeoutMs + 3000 + CLIENT.retryMaxDelayMs.value;
}

/** redis.conf's default `cluster-node-timeout` (used where an operator does not set it). */
export const REDIS_DEFAULT_CLUSTER_NODE_TIMEOUT_MS = 15_000;
