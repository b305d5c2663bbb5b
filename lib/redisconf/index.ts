/**
 * Platform-neutral redis.conf and ACL rendering, shared by the self-hosted renderer and the
 * Kubernetes charts (OpsTree `additionalRedisConfig`, Bitnami `commonConfiguration`).
 *
 * Only directives that mean the same thing wherever Redis runs live here: no ports, TLS paths,
 * passwords, data directories or replication addresses (those belong to each deployment target).
 * The ACL rules carry no passwords: the caller adds `>password`, `#<sha256>` or a placeholder.
 */
import type { Plan } from '../planner/types';
import {
  aclRulesOf,
  keyPrefix,
  keyPrefixes,
  type RedisServer,
  type Role,
  roleModel,
  serverHas,
  userBase,
} from '../policy/roles';
import { DEFAULT_KEY_SEPARATOR } from '../policy/keyspace';
import type { ResolvedPolicy } from '../policy/types';

/** Slow-log threshold in microseconds (10 ms) and length, as in the guides' redis.conf. */
export const SLOWLOG_SLOWER_THAN_US = 10_000;
export const SLOWLOG_MAX_LEN = 128;
/** Idle TCP probe interval (s): detects dead peers behind NAT/firewalls (guides: 300). */
export const TCP_KEEPALIVE_S = 300;
/**
 * Client output buffer limits from the guides: normal clients unlimited (replies are bounded by
 * the application), replicas 256mb hard / 64mb for 60 s so a full sync survives a burst,
 * pub/sub 32mb / 8mb for 60 s so a slow subscriber cannot exhaust memory.
 */
export const CLIENT_OUTPUT_BUFFER_LIMITS = ['normal 0 0 0', 'replica 256mb 64mb 60', 'pubsub 32mb 8mb 60'];

/** Quote a redis.conf argument when it is empty or has characters the config parser splits on. */
export function confValue(v: string | number): string {
  const s = String(v);
  return s === '' || /[\s"'\\]/.test(s) ? JSON.stringify(s) : s;
}

/**
 * The tuning directives derived from the policy and the plan, one redis.conf line each.
 * Deliberately excludes `maxmemory` (Kubernetes operators set it from the pod limit; use
 * {@link maxmemoryLine} elsewhere) and `io-threads` (depends on the node's cores; see {@link ioThreadsLines}).
 */
export function tuningLines(policy: ResolvedPolicy, plan: Plan): string[] {
  const per = policy.persistence;
  const lines: string[] = [`maxmemory-policy ${policy.keyspace.evictionPolicy}`];

  // Persistence: AOF for the fsync guarantee, RDB save rules for compact restarts and backups.
  lines.push(`appendonly ${per.aof ? 'yes' : 'no'}`);
  if (per.aof) {
    lines.push(`appendfsync ${per.aofFsync}`, 'aof-use-rdb-preamble yes', 'no-appendfsync-on-rewrite no');
  }
  lines.push(...saveLines(policy));
  // A failed background save must stop writes: silent loss of durability is worse than an error.
  lines.push(`stop-writes-on-bgsave-error ${per.rdb ? 'yes' : 'no'}`);

  lines.push(
    `slowlog-log-slower-than ${SLOWLOG_SLOWER_THAN_US}`,
    `slowlog-max-len ${SLOWLOG_MAX_LEN}`,
    // Record latency events at the policy's p95 alert threshold, so an alert has a matching trace.
    `latency-monitor-threshold ${Math.max(1, Math.round(policy.alerts.latencyP95Ms))}`,
    `tcp-keepalive ${TCP_KEEPALIVE_S}`,
    // Pooled clients stay idle for long periods; the server must not close them (guides: 0).
    'timeout 0',
    `maxclients ${plan.connections.maxclients}`,
    ...CLIENT_OUTPUT_BUFFER_LIMITS.map((l) => `client-output-buffer-limit ${l}`),
    `notify-keyspace-events ${confValue(policy.keyspace.keyspaceNotifications)}`,
    // Free large values in a background thread so evictions/expiry never block the event loop.
    'lazyfree-lazy-eviction yes',
    'lazyfree-lazy-expire yes',
    'lazyfree-lazy-server-del yes',
    'lazyfree-lazy-user-del yes',
    'replica-lazy-flush yes',
  );
  return lines;
}

/**
 * `save` rules. Redis 7 / Valkey take every pair on one line; separate lines are not reliably
 * accumulated there (seen on 7.0.15: after an `include`, only the last line stayed in force).
 * Redis 6 accepts one pair per line only.
 */
export function saveLines(policy: ResolvedPolicy): string[] {
  const rules = policy.persistence.saveRules;
  if (!policy.persistence.rdb || rules.length === 0) return ['save ""'];
  if (!serverHas({ engine: policy.engine, version: policy.engineVersion }, 7))
    return rules.map(([s, n]) => `save ${s} ${n}`);
  return [`save ${confValue(rules.map(([s, n]) => `${s} ${n}`).join(' '))}`];
}

/** `maxmemory` per shard from the plan (bytes). */
export function maxmemoryLine(plan: Plan): string {
  return `maxmemory ${plan.memory.maxmemoryBytesPerShard}`;
}

/**
 * I/O threads for a node with `cores` CPU cores. Redis' own advice: none below 4 cores, then
 * leave at least one core (a quarter of them on larger nodes) to the main thread; 8 at most.
 */
export function ioThreads(cores: number): number {
  if (!Number.isInteger(cores) || cores < 1)
    throw new RangeError(`cores must be a positive integer, got ${cores}`);
  if (cores < 4) return 1;
  return Math.min(8, cores - Math.max(1, Math.floor(cores / 4)));
}

export function ioThreadsLines(cores: number): string[] {
  const n = ioThreads(cores);
  return n > 1 ? [`io-threads ${n}`, 'io-threads-do-reads yes'] : ['io-threads 1'];
}

/** One ACL user without a password: `rules` follow `user <name> on|off <password> ...`. */
export interface AclUser {
  name: string;
  /** Whether the user may log in. */
  enabled: boolean;
  /** Key, channel and command rules, in order, starting from a reset state. */
  rules: string[];
  /** Why this user exists (rendered as a comment where the format allows). */
  purpose: string;
}

/**
 * The users a self-hosted deployment gets (Kubernetes adds the job users, see {@link aclUserOf}).
 * Passwords are added by the platform renderer. Every user but `default` is a role of
 * lib/policy/roles.ts.
 */
export interface AclUsers {
  /** `default` turned off: every client must name its user. */
  defaultUser: AclUser;
  /** The application: only keys and channels under its prefixes, no administration. */
  app: AclUser;
  /** The metrics exporter (redis_exporter): read-only server introspection, no key access, no CONFIG. */
  metrics: AclUser;
  /** Operators: everything (what `rename-command` removed stays removed). */
  admin: AclUser;
  /** Replicas authenticating to their primary (`masteruser`). */
  replication: AclUser;
  /** Sentinels monitoring and reconfiguring the servers (`sentinel auth-user`). */
  sentinel: AclUser;
}

/** A user-name stem from the key prefix (see lib/policy/roles.ts userBase). */
export const aclUserBase = userBase;

/**
 * The key pattern for one prefix. A prefix ending in a separator (":", "-", "_", ".") is used as is;
 * otherwise the spec's keyspace.separator (default ":") is appended, as in the guides (`~app:*`).
 */
export function keyPattern(prefix: string, separator = DEFAULT_KEY_SEPARATOR): string {
  return keyPrefix(prefix, separator).pattern;
}

/** Key patterns for the keyspace prefix and every database prefix, dropping those another one covers. */
export function keyPatterns(policy: ResolvedPolicy): string[] {
  return keyPrefixes(policy).map((k) => k.pattern);
}

/** The ACL user of one role of the role model. */
export function aclUserOf(role: Role): AclUser {
  return { name: role.user, enabled: true, rules: aclRulesOf(role), purpose: role.purpose };
}

/** The `default` user every ACL file turns off. */
export const DEFAULT_USER_OFF: AclUser = {
  name: 'default',
  enabled: false,
  rules: ['resetkeys', 'resetchannels', '-@all'],
  purpose: 'the unnamed default user is off: every client authenticates as a named user',
};

/**
 * The ACL users for one deployment, without passwords, rendered from the role model
 * (lib/policy/roles.ts). Command names are the original ones: Redis resolves ACL rules against its
 * original command table, so `+config|set` still grants the subcommand after `rename-command CONFIG
 * <secret name>`, and `-keys` is accepted when KEYS is disabled (checked against redis-server 7.0 in
 * test/selfhosted). `server` is the Redis that loads the file (default: the policy's engine version).
 */
export function aclRules(policy: ResolvedPolicy, server?: RedisServer): AclUsers {
  const roles = roleModel(policy, server);
  return {
    defaultUser: DEFAULT_USER_OFF,
    app: aclUserOf(roles.app),
    metrics: aclUserOf(roles.metrics),
    admin: aclUserOf(roles.admin),
    replication: aclUserOf(roles.replication),
    sentinel: aclUserOf(roles.sentinel),
  };
}

/** `user <name> on|off <password> <rules...>` for an ACL file; `password` is `#<sha256>`, `>plain` or a placeholder. */
export function aclFileLine(user: AclUser, password?: string): string {
  const parts = ['user', user.name, user.enabled ? 'on' : 'off', 'resetpass'];
  if (user.enabled) {
    if (!password) throw new Error(`ACL user ${user.name} is enabled but has no password`);
    parts.push(password);
  }
  return [...parts, ...user.rules].join(' ');
}

/** The users of an ACL file (`user <name> on|off <rules...>` lines; other lines are ignored). */
export function parseAclUsers(text: string): Array<{ name: string; enabled: boolean; rules: string }> {
  return text
    .split('\n')
    .map((l) => /^user\s+(\S+)\s+(.*)$/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      // Redis applies the words in order: the last on/off wins.
      const state = m[2].split(/\s+/).filter((w) => w === 'on' || w === 'off');
      return { name: m[1], enabled: state.pop() === 'on', rules: m[2] };
    });
}
