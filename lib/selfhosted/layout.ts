/**
 * Where every self-hosted process runs: ports, roles, directories. Derived from the plan's topology
 * and `spec.targets.selfHosted`; nothing here re-derives sizing.
 */
import { compareVersions, enginesCatalog } from '../catalog';
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
  /** First Sentinel port. @default spec sentinelBasePort ?? 26379 */
  sentinelBasePort?: number;
  /** Explicit Sentinel ports. @default spec sentinelPorts ?? sentinelBasePort, +1, +2 */
  sentinelPorts?: number[];
  /**
   * Where install.sh writes the filled configs (secrets.conf, users.acl root-owned; nodes/ for the
   * configs Redis rewrites; client/ for what applications read). @default spec confDir ?? /etc/redis-iac/<id>
   */
  confDir?: string;
  /** ca.crt, redis.crt, redis.key. @default spec tlsDir ?? <confDir>/tls */
  tlsDir?: string;
  /** One sub-directory per node. @default spec dataDir ?? /var/lib/redis-iac/<id> */
  dataDir?: string;
  /** The operator's secret files. @default spec secretsDir ?? <confDir>/secrets */
  secretsDir?: string;
  /** Account Redis runs as when root installs. @default spec user ?? redis */
  user?: string;
  /** Group that may read the CA and the app password. @default spec appGroup (install.sh: redis-iac-clients as root, else the installer's group) */
  appGroup?: string | number;
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
  /** Root-owned: secrets.conf, users.acl, install.env. */
  confDir: string;
  /** `<confDir>/nodes`, owned by the Redis account: the node and Sentinel configs Redis rewrites. */
  nodeConfDir: string;
  /** `<confDir>/client`, group appGroup: ca.crt and app.password, the files the contract names. */
  clientDir: string;
  tlsDir: string;
  dataDir: string;
  secretsDir: string;
  /** Account Redis runs as (root installs). */
  user: string;
  /** Applications' group; undefined: install.sh decides (redis-iac-clients as root, else the installer's group). */
  appGroup?: string;
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

/**
 * Folders other software shares: a deployment directory there would hand them to the Redis account
 * (install.sh changes the owner of what it creates) or mix deployments. The same list is in install.sh.
 */
export const SHARED_DIRS = [
  '/',
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/etc/ssl',
  '/etc/redis',
  '/etc/redis-iac',
  '/home',
  '/lib',
  '/lib64',
  '/media',
  '/mnt',
  '/opt',
  '/proc',
  '/root',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/tmp',
  '/usr',
  '/usr/local',
  '/usr/share',
  '/var',
  '/var/backups',
  '/var/cache',
  '/var/lib',
  '/var/lib/redis',
  '/var/lib/redis-iac',
  '/var/log',
  '/var/opt',
  '/var/run',
  '/var/spool',
  '/var/tmp',
];

/** A home directory itself (`/home/x`, `/root`, `/run/user/<uid>`): shared with everything its owner runs. */
const HOME_RE = /^\/(home|Users)\/[^/]+$|^\/run\/user\/[^/]+$/;

function checkPath(field: string, value: string, src?: string): string {
  if (!value.startsWith('/') || /[\s"'\\$`*[\]^|&]/.test(value) || /(^|\/)\.\.?(\/|$)/.test(value)) {
    throw new SpecError(
      field,
      value,
      'expected an absolute path without spaces, quotes, *, [, ], ^, |, &, "." or ".."',
      src,
    );
  }
  const p = value.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  if (SHARED_DIRS.includes(p) || HOME_RE.test(p)) {
    throw new SpecError(
      field,
      value,
      `a directory dedicated to this deployment is needed, not a shared one such as ${p}: use e.g. ${p === '/' ? '' : p}/redis-iac-<name>`,
      src,
    );
  }
  return p;
}

/** True when `inner` is `outer` or below it. */
export function within(inner: string, outer: string): boolean {
  return inner === outer || inner.startsWith(outer.endsWith('/') ? outer : `${outer}/`);
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

/**
 * The deployment's directories must not overlap where ownership differs: the data dir belongs to the
 * Redis account (per node), the config dir and the secrets to root.
 */
function checkDirs(confDir: string, dataDir: string, tlsDir: string, secretsDir: string, src?: string): void {
  if (within(dataDir, confDir) || within(confDir, dataDir)) {
    throw new SpecError(
      `${FIELD}.dataDir`,
      dataDir,
      `the data dir and the config dir (${confDir}) must not contain each other: Redis owns the data dirs`,
      src,
    );
  }
  for (const [name, dir] of [
    ['secretsDir', secretsDir],
    ['tlsDir', tlsDir],
  ]) {
    if (within(dir, dataDir) || within(dir, `${confDir}/nodes`)) {
      throw new SpecError(
        `${FIELD}.${name}`,
        dir,
        `must be outside the folders the Redis account writes (${dataDir}, ${confDir}/nodes)`,
        src,
      );
    }
  }
}

export function layoutFor(deployment: Deployment, options: SelfHostedOptions = {}): Layout {
  const { spec, plan, policy } = deployment;
  const target = spec.targets.selfHosted ?? {};
  const src = deployment.source;
  const mode = plan.topology.mode;
  const cluster = mode === 'cluster';

  // ACL channel rules (`&`, `resetchannels`) and Sentinel's own ACL users need Redis 6.2: the
  // engines catalog's selfHostedMinimum, which the load-time engineVersion check also applies.
  const minimum = enginesCatalog().selfHostedMinimum[policy.engine];
  if (compareVersions(policy.engineVersion, minimum) < 0) {
    throw new SpecError(
      'engineVersion',
      policy.engineVersion,
      `self-hosted configs need ${policy.engine === 'redis' ? 'Redis' : 'Valkey'} ${minimum} or later`,
      src,
    );
  }

  const host = options.host ?? target.host ?? SELF_HOSTED_DEFAULTS.host;
  if (!/^[A-Za-z0-9.:-]+$/.test(host)) {
    throw new SpecError(`${FIELD}.host`, host, 'expected an IP address or host name', src);
  }
  const confDir = checkPath(
    `${FIELD}.confDir`,
    options.confDir ?? target.confDir ?? `/etc/redis-iac/${deployment.id}`,
    src,
  );
  const tlsDir = checkPath(`${FIELD}.tlsDir`, options.tlsDir ?? target.tlsDir ?? `${confDir}/tls`, src);
  const dataDir = checkPath(
    `${FIELD}.dataDir`,
    options.dataDir ?? target.dataDir ?? `/var/lib/redis-iac/${deployment.id}`,
    src,
  );
  const secretsDir = checkPath(
    `${FIELD}.secretsDir`,
    options.secretsDir ?? target.secretsDir ?? `${confDir}/secrets`,
    src,
  );
  checkDirs(confDir, dataDir, tlsDir, secretsDir, src);
  const user = options.user ?? target.user ?? 'redis';
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(user) || user === 'root') {
    throw new SpecError(
      `${FIELD}.user`,
      user,
      'expected a Unix user name other than root, such as redis',
      src,
    );
  }
  const groupIn = options.appGroup ?? target.appGroup;
  const appGroup = groupIn === undefined ? undefined : String(groupIn);
  if (appGroup !== undefined && !/^([a-z_][a-z0-9_-]{0,31}|[1-9][0-9]{0,9})$/.test(appGroup)) {
    throw new SpecError(`${FIELD}.appGroup`, groupIn, 'expected a Unix group name or a numeric gid', src);
  }
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
  const portsField = options.ports || target.ports ? `${FIELD}.ports` : `${FIELD}.basePort`;
  const ports = options.ports ?? target.ports ?? Array.from({ length: count }, (_, i) => base + i);
  if (ports.length !== count) {
    throw new SpecError(
      `${FIELD}.ports`,
      ports,
      `expected ${count} ports for ${shards} shard(s) x ${1 + replicas} node(s)`,
      src,
    );
  }
  checkPorts(portsField, ports, cluster ? 10000 : 0);
  // Each node's data dir is <dataDir>/<port>: a repeated port is two nodes in one directory.
  const dup = ports.find((p, i) => ports.indexOf(p) !== i);
  if (dup !== undefined) {
    throw new SpecError(
      portsField,
      ports,
      `port ${dup} is given twice: every node needs its own port and data dir`,
      src,
    );
  }
  // Cluster nodes also listen on port + 10000 (the cluster bus).
  const taken = new Map<number, string>();
  for (const p of ports) taken.set(p, `node port ${p}`);
  if (cluster) {
    for (const p of ports) {
      const other = taken.get(p + 10000);
      if (other) {
        throw new SpecError(
          portsField,
          ports,
          `the cluster bus port ${p + 10000} of node ${p} is also the ${other}`,
          src,
        );
      }
      taken.set(p + 10000, `cluster bus port of node ${p}`);
    }
  }

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
  const sentinelField =
    options.sentinelPorts || target.sentinelPorts ? `${FIELD}.sentinelPorts` : `${FIELD}.sentinelBasePort`;
  const sentinelBase =
    options.sentinelBasePort ?? target.sentinelBasePort ?? SELF_HOSTED_DEFAULTS.sentinelBasePort;
  const sentinelPorts = wantSentinels
    ? (options.sentinelPorts ??
      target.sentinelPorts ??
      Array.from({ length: SELF_HOSTED_DEFAULTS.sentinels }, (_, i) => sentinelBase + i))
    : [];
  checkPorts(sentinelField, sentinelPorts, 0);
  for (const [i, p] of sentinelPorts.entries()) {
    const clash = taken.get(p) ?? (sentinelPorts.indexOf(p) !== i ? `Sentinel port ${p}` : undefined);
    if (clash) {
      throw new SpecError(
        sentinelField,
        sentinelPorts,
        `Sentinel port ${p} is also the ${clash}: pick Sentinel ports outside the node ports${cluster ? ' and their bus ports (+10000)' : ''}`,
        src,
      );
    }
    taken.set(p, `Sentinel port ${p}`);
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
    nodeConfDir: `${confDir}/nodes`,
    clientDir: `${confDir}/client`,
    tlsDir,
    dataDir,
    secretsDir,
    user,
    appGroup,
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
