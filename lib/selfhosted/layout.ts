/**
 * Where every self-hosted process runs: ports, roles, directories. Derived from the plan's topology
 * and `spec.targets.selfHosted`; nothing here re-derives sizing.
 */
import type { Deployment } from '../deployment';
import { SpecError } from '../errors';

/** Ports and timings the guides use; every one can be overridden (tests use small timeouts). */
export const SELF_HOSTED_DEFAULTS = {
  /** Guides: a 6-node cluster on 7000-7005. */
  clusterBasePort: 7000,
  /** One above the Redis default, so a stray default-config redis-server cannot collide. */
  basePort: 6380,
  sentinelBasePort: 26379,
  host: '127.0.0.1',
  /** Per node; io-threads follow from it. */
  cores: 2,
  /** Guides 000 and 002: 5000 ms. */
  clusterNodeTimeoutMs: 5000,
  /** Guide 001 sentinel.conf: 5000 ms down-after, 60000 ms failover timeout. */
  sentinelDownAfterMs: 5000,
  sentinelFailoverTimeoutMs: 60000,
  sentinels: 3,
} as const;

/** Overrides for the rendering (all optional; the spec and the defaults above apply otherwise). */
export interface SelfHostedOptions {
  /** Address every node binds to and announces. @default spec.targets.selfHosted.host ?? '127.0.0.1' */
  host?: string;
  /** First node port. @default spec basePort ?? 7000 (cluster) / 6380 */
  basePort?: number;
  /** Explicit node ports, one per node (tests pick free ones). @default basePort, basePort+1, ... */
  ports?: number[];
  /** Explicit Sentinel ports. @default 26379, 26380, 26381 */
  sentinelPorts?: number[];
  /** Where install.sh writes the filled configs (redis-<port>.conf, users.acl, secrets.conf). @default /etc/redis-iac/<id> */
  confDir?: string;
  /** ca.crt, redis.crt, redis.key. @default spec tlsDir ?? <confDir>/tls */
  tlsDir?: string;
  /** One sub-directory per node. @default spec dataDir ?? /var/lib/redis-iac/<id> */
  dataDir?: string;
  /** CPU cores per node. @default spec cores ?? 2 */
  cores?: number;
  /** @default 5000 */
  clusterNodeTimeoutMs?: number;
  /** @default 5000 */
  sentinelDownAfterMs?: number;
  /** @default 60000 */
  sentinelFailoverTimeoutMs?: number;
}

export type NodeRole = 'primary' | 'replica';

export interface NodeSpec {
  port: number;
  role: NodeRole;
  /** Cluster shard index (0-based), or 0 outside cluster mode. */
  shard: number;
  /** Port of the primary this replica follows (replication mode; cluster replicas are assigned at create time). */
  replicaOf?: number;
  conf: string;
  dataDir: string;
}

export interface SentinelSpec {
  port: number;
  /** Template rendered into dist; install.sh writes the filled, writable copy to `conf`. */
  template: string;
  conf: string;
  dataDir: string;
}

export interface Layout {
  id: string;
  mode: 'standalone' | 'replication' | 'cluster';
  host: string;
  confDir: string;
  tlsDir: string;
  dataDir: string;
  cores: number;
  nodes: NodeSpec[];
  sentinels: SentinelSpec[];
  /** Sentinel master name (the contract's REDIS_SENTINEL_SERVICE). */
  masterName: string;
  quorum: number;
  clusterNodeTimeoutMs: number;
  sentinelDownAfterMs: number;
  sentinelFailoverTimeoutMs: number;
  replicasPerShard: number;
}

const FIELD = 'targets.selfHosted';

function checkPath(field: string, value: string): string {
  if (!value.startsWith('/') || /[\s"'\\]/.test(value)) {
    throw new SpecError(field, value, 'expected an absolute path without spaces or quotes');
  }
  return value.replace(/\/+$/, '');
}

function checkPorts(field: string, ports: number[], busOffset: number): void {
  const bad = ports.find((p) => !Number.isInteger(p) || p < 1024 || p + busOffset > 65535);
  if (bad !== undefined) {
    throw new SpecError(
      field,
      bad,
      `every port must be 1024-${65535 - busOffset}${busOffset ? ' (the cluster bus uses port + 10000)' : ''}`,
    );
  }
}

export function layoutFor(deployment: Deployment, options: SelfHostedOptions = {}): Layout {
  const { spec, plan, policy } = deployment;
  const target = spec.targets.selfHosted ?? {};
  const src = deployment.source;
  const mode = plan.topology.mode;
  const cluster = mode === 'cluster';

  // ACL channel rules (`&`, `resetchannels`) and Sentinel's own ACL users need Redis 6.2.
  const [major, minor] = policy.engineVersion.split('.').map(Number);
  if (policy.engine === 'redis' && (major < 6 || (major === 6 && minor < 2))) {
    throw new SpecError(
      'engineVersion',
      policy.engineVersion,
      'self-hosted configs need Redis 6.2 or later',
      src,
    );
  }

  const host = options.host ?? target.host ?? SELF_HOSTED_DEFAULTS.host;
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) {
    throw new SpecError(`${FIELD}.host`, host, 'expected an IP address or host name', src);
  }
  const confDir = checkPath(`${FIELD}.confDir`, options.confDir ?? `/etc/redis-iac/${deployment.id}`);
  const tlsDir = checkPath(`${FIELD}.tlsDir`, options.tlsDir ?? target.tlsDir ?? `${confDir}/tls`);
  const dataDir = checkPath(
    `${FIELD}.dataDir`,
    options.dataDir ?? target.dataDir ?? `/var/lib/redis-iac/${deployment.id}`,
  );
  const cores = options.cores ?? target.cores ?? SELF_HOSTED_DEFAULTS.cores;

  const shards = cluster ? plan.topology.shards : 1;
  const replicas = mode === 'standalone' ? 0 : plan.topology.replicasPerShard;
  if (cluster && shards < 3) {
    throw new SpecError('plan.topology.shards', shards, 'Redis Cluster needs at least 3 primaries', src);
  }
  const count = shards * (1 + replicas);
  const base =
    options.basePort ??
    target.basePort ??
    (cluster ? SELF_HOSTED_DEFAULTS.clusterBasePort : SELF_HOSTED_DEFAULTS.basePort);
  const ports = options.ports ?? Array.from({ length: count }, (_, i) => base + i);
  if (ports.length !== count) {
    throw new SpecError(
      `${FIELD}.ports`,
      ports,
      `expected ${count} ports for ${shards} shard(s) x ${1 + replicas} node(s)`,
      src,
    );
  }
  checkPorts(`${FIELD}.basePort`, ports, cluster ? 10000 : 0);

  const nodes: NodeSpec[] = ports.map((port, i) => {
    // Cluster: the first `shards` ports are primaries (redis-cli --cluster create assigns replicas
    // to them in order). Replication: the first port is the primary.
    const primary = i < shards;
    return {
      port,
      role: primary ? 'primary' : 'replica',
      shard: cluster ? (primary ? i : (i - shards) % shards) : 0,
      replicaOf: !cluster && !primary ? ports[0] : undefined,
      conf: `redis-${port}.conf`,
      dataDir: `${dataDir}/${port}`,
    };
  });

  const wantSentinels = mode === 'replication' && policy.availability.automaticFailover;
  const sentinelPorts = wantSentinels
    ? (options.sentinelPorts ??
      Array.from(
        { length: SELF_HOSTED_DEFAULTS.sentinels },
        (_, i) => SELF_HOSTED_DEFAULTS.sentinelBasePort + i,
      ))
    : [];
  checkPorts(`${FIELD}.sentinelPorts`, sentinelPorts, 0);
  const clash = sentinelPorts.find((p) => ports.includes(p));
  if (clash !== undefined) {
    throw new SpecError(
      `${FIELD}.sentinelPorts`,
      clash,
      'a Sentinel port may not equal a Redis node port',
      src,
    );
  }
  if (wantSentinels && sentinelPorts.length < 3) {
    throw new SpecError(
      `${FIELD}.sentinelPorts`,
      sentinelPorts,
      'at least 3 Sentinels are needed for a majority',
      src,
    );
  }

  return {
    id: deployment.id,
    mode,
    host,
    confDir,
    tlsDir,
    dataDir,
    cores,
    nodes,
    sentinels: sentinelPorts.map((port) => ({
      port,
      template: `sentinel-${port}.conf.template`,
      conf: `sentinel-${port}.conf`,
      dataDir: `${dataDir}/sentinel-${port}`,
    })),
    masterName: policy.name,
    quorum: Math.floor(sentinelPorts.length / 2) + 1,
    clusterNodeTimeoutMs: options.clusterNodeTimeoutMs ?? SELF_HOSTED_DEFAULTS.clusterNodeTimeoutMs,
    sentinelDownAfterMs: options.sentinelDownAfterMs ?? SELF_HOSTED_DEFAULTS.sentinelDownAfterMs,
    sentinelFailoverTimeoutMs:
      options.sentinelFailoverTimeoutMs ?? SELF_HOSTED_DEFAULTS.sentinelFailoverTimeoutMs,
    replicasPerShard: replicas,
  };
}
