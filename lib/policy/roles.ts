/**
 * The role model: which identities talk to a Redis deployment, and what each may do. It is the one
 * source every platform renders from: the Redis ACL files (self-hosted users.acl, the Kubernetes
 * `<name>-acl` Secret via lib/redisconf), ElastiCache RBAC users, and the report's role table.
 *
 * Command names are Redis' original names: ACL rules resolve against the original command table,
 * so a rule still applies after `rename-command` (self-hosted renames CONFIG).
 *
 * Checked against redis-server 7.0.15 (`ACL CAT dangerous`, `ACL DRYRUN`; test/policy/roles.test.ts
 * and test/redisconf/roles.integration.test.ts). Redis 7 refuses a whole ACL file when a rule names a
 * subcommand it does not know ("Unknown command or category name in ACL"), so version-specific
 * subcommands are only named for servers that have them ({@link serverHas}); subcommands newer than
 * the server (CLIENT SETINFO 7.2, CLUSTER SHARDS 7.0) reach the application through `+@all` instead.
 */
import { compareParsed, parseVersion } from '../catalog/version';
import type { Engine } from '../spec/schema';
import { DEFAULT_KEY_SEPARATOR, prefixWithSeparator } from './keyspace';
import type { ResolvedPolicy } from './types';

export type RoleName = 'app' | 'metrics' | 'admin' | 'replication' | 'sentinel' | 'backup' | 'tlsReload';

/** Every role, in the order tables and ACL files list them. */
export const ROLE_NAMES: readonly RoleName[] = [
  'app',
  'metrics',
  'backup',
  'tlsReload',
  'replication',
  'sentinel',
  'admin',
];

/** Commands a role may run, applied in this order: categories, denied categories, allow, deny. */
export interface RoleCommands {
  /** ACL categories granted (without `@`), e.g. `all`. Empty: the role starts from no command at all. */
  categories: string[];
  /** ACL categories removed again (without `@`), e.g. `dangerous`. */
  deniedCategories: string[];
  /** Commands (or `command|subcommand`) granted on top of the categories. */
  allow: string[];
  /** Commands removed last, whatever the categories granted: the role's hard "never". */
  deny: string[];
}

/** One key prefix and the separator that ends it; the ACL pattern is `<prefix><separator>*`. */
export interface KeyPrefix {
  prefix: string;
  separator: string;
  /** `~` pattern without the tilde, e.g. `app:*`. */
  pattern: string;
}

export interface Role {
  role: RoleName;
  /** The ACL user name (ElastiCache user name and Kubernetes Secret `username`, too). */
  user: string;
  /** Why the role exists and what it runs, one line (rendered as a comment / README line). */
  purpose: string;
  commands: RoleCommands;
  /** Keys the role may touch: `all`, or only these prefixes (empty: no key at all). */
  keys: 'all' | KeyPrefix[];
  /** Pub/sub channel patterns: `all`, or these patterns (empty: none). */
  channels: 'all' | string[];
  /** Why commands outside the role's work are denied, in a sentence; for the docs and the report. */
  denies: string;
}

export type RoleModel = Record<RoleName, Role>;

/** The Redis server a role model is rendered for: the ACL must name only commands that server knows. */
export interface RedisServer {
  engine: Engine;
  /** major.minor (or longer), e.g. "7.0" or "8.2.1". */
  version: string;
}

/** Whether `server` has the commands of Redis `major.minor` (Valkey forked from Redis 7.2). */
export function serverHas(server: RedisServer, major: number, minor = 0): boolean {
  if (server.engine === 'valkey') return major < 7 || (major === 7 && minor <= 2);
  const v = parseVersion(server.version);
  return !!v && compareParsed(v, { major, minor, patch: 0, precision: 2 }) >= 0;
}

/** A user-name stem from the key prefix: lower-case, separators stripped, e.g. "ai-engine:" -> "ai-engine". */
export function userBase(prefix: string): string {
  const base = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return base === '' ? 'redis' : base;
}

/**
 * A prefix that already ends in a separator (":", "_", ".", "-" or the spec's own) keeps it;
 * otherwise the spec's keyspace.separator (default ":") is added, as in the guides (`~app:*`).
 * The contract's REDIS_KEY_PREFIX is built by the same rule (lib/policy/keyspace.ts).
 */
export function keyPrefix(prefix: string, separator = DEFAULT_KEY_SEPARATOR): KeyPrefix {
  const full = prefixWithSeparator(prefix, separator);
  return { prefix: full.slice(0, -1), separator: full.slice(-1), pattern: `${full}*` };
}

/** The keyspace prefix and every database prefix, dropping those another one already covers. */
export function keyPrefixes(policy: ResolvedPolicy): KeyPrefix[] {
  const all = [policy.keyspace.prefix, ...policy.keyspace.databases.map((d) => d.prefix)].map((p) =>
    keyPrefix(p, policy.keyspace.separator),
  );
  const unique = all.filter((k, i) => all.findIndex((o) => o.pattern === k.pattern) === i);
  const stem = (k: KeyPrefix) => k.pattern.slice(0, -1);
  return unique.filter((k) => !unique.some((o) => o !== k && stem(k).startsWith(stem(o))));
}

/** Channel patterns the application may use: its prefixes, plus its keys' keyspace notifications. */
function appChannels(policy: ResolvedPolicy, keys: KeyPrefix[]): string[] {
  const channels = keys.map((k) => k.pattern);
  if (policy.keyspace.keyspaceNotifications !== '') {
    // Keyspace notifications are published on __keyspace@<db>__:<key> and __keyevent@<db>__:<event>.
    channels.push(...keys.map((k) => `__keyspace@*__:${k.pattern}`), '__keyevent@*__:*');
  }
  return channels;
}

/**
 * Administrative commands the application never runs, whatever the categories say (they are all
 * in @dangerous on Redis 6 and 7; listing them keeps them out even if a category rule changes).
 * Every name exists since Redis 6.0, so Redis 6 loads the rule as well.
 */
export const APP_ADMIN_DENIED = [
  'config',
  'acl',
  'module',
  'debug',
  'shutdown',
  'replicaof',
  'slaveof',
  'migrate',
  'monitor',
  'sync',
  'psync',
] as const;

/**
 * Commands key patterns cannot confine: they delete keys outside the application's prefixes.
 * Tests and tools clear a prefix with SCAN + UNLINK instead.
 */
export const APP_KEYSPACE_WIDE_DENIED = ['flushall', 'flushdb'] as const;

/**
 * What an application may run on a Sentinel (not on the Redis servers): log in, ask which server is
 * the primary and which are replicas or Sentinels, and subscribe to the failover events
 * (`+switch-master`) that Sentinel-aware clients listen for. Nothing that changes a Sentinel
 * (SENTINEL SET/REMOVE/MONITOR/FAILOVER/RESET/CONFIG, CONFIG, ACL, SHUTDOWN). Self-hosted Sentinels
 * and the Bitnami chart's Sentinels give the application user these rules; both run Redis 6.2+
 * Sentinels, which take ACL users (`user` lines or an `aclfile`).
 */
export const SENTINEL_CLIENT_RULES: readonly string[] = [
  'resetkeys',
  'resetchannels',
  '&*',
  '-@all',
  '+auth',
  '+hello',
  '+ping',
  '+role',
  '+sentinel|get-master-addr-by-name',
  '+sentinel|sentinels',
  '+sentinel|replicas',
  '+sentinel|slaves',
  '+sentinel|master',
  // redis-py's Sentinel.discover_master() reads SENTINEL MASTERS (only this deployment's master is monitored).
  '+sentinel|masters',
  '+subscribe',
  '+psubscribe',
  '+unsubscribe',
  '+punsubscribe',
];

/**
 * The roles of one deployment. `server` is the Redis that loads the rendered ACL (Kubernetes passes
 * its image's version, which may differ from the policy's engine version); it only decides whether
 * version-specific subcommands are named.
 */
export function roleModel(
  policy: ResolvedPolicy,
  server: RedisServer = { engine: policy.engine, version: policy.engineVersion },
): RoleModel {
  const base = userBase(policy.keyspace.prefix);
  const keys = keyPrefixes(policy);
  const policyDenied = [...new Set(policy.security.deniedCommands.map((c) => c.toLowerCase()))];
  const none: RoleCommands = { categories: [], deniedCategories: [], allow: [], deny: [] };

  return {
    app: {
      role: 'app',
      user: `${base}-app`,
      purpose: `application: keys ${keys.map((k) => k.pattern).join(' ')}; data, pub/sub, transactions and scripting; INFO and ROLE for client handshakes; no administration`,
      commands: {
        categories: ['all'],
        // @dangerous holds the administrative commands and the keyspace-wide ones (FLUSHALL, KEYS,
        // SWAPDB, SORT with BY/GET patterns) that key patterns cannot confine.
        deniedCategories: ['dangerous'],
        // Redis 6/7 count INFO and ROLE as dangerous, but standard clients need them to connect:
        // ioredis' ready check and redis-py's RedisCluster read INFO; Sentinel-aware clients check ROLE.
        // Both are read-only. Everything else a handshake sends (HELLO, AUTH, PING, SELECT, CLIENT
        // SETNAME/SETINFO/ID, CLUSTER SLOTS/SHARDS/NODES/INFO, READONLY, READWRITE, COMMAND) is outside
        // @dangerous and comes with @all, on every version that has it.
        allow: ['info', 'role'],
        deny: [...new Set([...APP_ADMIN_DENIED, ...APP_KEYSPACE_WIDE_DENIED, ...policyDenied])],
      },
      keys,
      channels: appChannels(policy, keys),
      denies: `administration (${APP_ADMIN_DENIED.join(', ')}), commands key patterns cannot confine (${[...new Set([...APP_KEYSPACE_WIDE_DENIED, ...policyDenied])].join(', ')}) and keys outside its prefixes`,
    },
    metrics: {
      role: 'metrics',
      user: `${base}-metrics`,
      purpose:
        'metrics exporter (redis_exporter with --config-command=-): INFO, LATENCY, SLOWLOG LEN, CLUSTER INFO/NODES, PING, CLIENT SETNAME; no keys',
      commands: {
        ...none,
        allow: [
          'ping',
          'info',
          'client|setname',
          'cluster|info',
          'cluster|nodes',
          'slowlog|len',
          'latency|latest',
          ...(serverHas(server, 7) ? ['latency|histogram'] : []),
        ],
      },
      keys: [],
      channels: [],
      // CONFIG GET returns masterauth (the replication password, and with it PSYNC and the whole
      // dataset); SLOWLOG GET returns command arguments, i.e. data. The exporter only loses
      // slowlog_last_id and its config_* gauges (maxmemory comes from INFO memory).
      denies:
        'CONFIG (CONFIG GET masterauth would reveal the replication password), SLOWLOG GET (shows command arguments), SYNC/PSYNC and every key',
    },
    backup: {
      role: 'backup',
      user: `${base}-backup`,
      purpose:
        'backup jobs: BGSAVE, LASTSAVE, INFO persistence, ROLE, CLUSTER MYID/NODES, and SYNC for `redis-cli --rdb`; no key commands',
      commands: {
        ...none,
        // redis-cli --rdb sends REPLCONF rdb-only 1 then SYNC and receives an RDB: reading the whole
        // dataset is the job. It cannot write a key, change the configuration or become a replica (PSYNC).
        allow: [
          'ping',
          'info',
          'role',
          'lastsave',
          'bgsave',
          'sync',
          'replconf',
          'cluster|myid',
          'cluster|nodes',
        ],
      },
      keys: [],
      channels: [],
      denies: 'key commands (no ~pattern: it cannot read or write one key), CONFIG, PSYNC, FLUSH*, SHUTDOWN',
    },
    tlsReload: {
      role: 'tlsReload',
      user: `${base}-tls-reload`,
      // ACL rules cannot restrict which parameter CONFIG SET changes: this user can set any
      // parameter (but read none, and touch no key). Only the TLS-reload job holds its password.
      purpose:
        'TLS-reload job: CONFIG SET tls-cert-file/tls-key-file/tls-ca-cert-file (ACL cannot restrict the parameter: any CONFIG SET is allowed); nothing else',
      commands: { ...none, allow: ['config|set'] },
      keys: [],
      channels: [],
      denies: 'CONFIG GET, every key, every other command',
    },
    replication: {
      role: 'replication',
      user: `${base}-replication`,
      purpose: 'replicas syncing from their primary (masteruser): PSYNC, REPLCONF, PING',
      commands: { ...none, allow: ['psync', 'replconf', 'ping'] },
      keys: [],
      channels: [],
      denies: 'every command but PSYNC/REPLCONF/PING',
    },
    sentinel: {
      role: 'sentinel',
      user: `${base}-sentinel`,
      // The commands Sentinel sends to monitored servers (Redis ACL documentation, "ACL rules for Sentinel").
      purpose: 'sentinels: monitoring, failover and reconfiguration of the servers',
      commands: {
        ...none,
        allow: [
          'multi',
          'exec',
          'slaveof',
          'replicaof',
          'ping',
          'info',
          'role',
          'publish',
          'subscribe',
          'config|rewrite',
          'client|setname',
          'client|kill',
          'script|kill',
        ],
      },
      keys: [],
      channels: ['__sentinel__:hello'],
      denies: 'keys, CONFIG GET/SET, ACL, every command Sentinel does not send',
    },
    admin: {
      role: 'admin',
      user: `${base}-admin`,
      purpose: 'operators and cluster creation (redis-cli --cluster): every command and key',
      commands: { ...none, categories: ['all'] },
      keys: 'all',
      channels: 'all',
      denies: 'nothing (commands removed from the server with rename-command stay removed)',
    },
  };
}

/**
 * The Redis ACL rules of a role (no user name, no password), starting from a reset state:
 * `resetkeys ~p... resetchannels &c... -@all|+@cat -@cat +cmd -cmd`.
 */
export function aclRulesOf(role: Role): string[] {
  const keys = role.keys === 'all' ? ['~*'] : ['resetkeys', ...role.keys.map((k) => `~${k.pattern}`)];
  const channels = role.channels === 'all' ? ['&*'] : ['resetchannels', ...role.channels.map((c) => `&${c}`)];
  const c = role.commands;
  const commands = [
    ...(c.categories.length ? c.categories.map((x) => `+@${x}`) : ['-@all']),
    ...c.deniedCategories.map((x) => `-@${x}`),
    ...c.allow.map((x) => `+${x}`),
    ...c.deny.map((x) => `-${x}`),
  ];
  return [...keys, ...channels, ...commands];
}

/** A user as an artifact declares it: ACL file line, or an ElastiCache user's name and access string. */
export interface DeclaredUser {
  name: string;
  enabled: boolean;
  /** The ACL rules / access string, as written. */
  rules: string;
}

/** The user that serves a role on a platform, read from its artifact. */
export interface RoleUser {
  user: string;
  /** True when the role shares a user with others (Kubernetes: `default` with the admin password). */
  shared: boolean;
}

/**
 * Which declared user serves each role: the role's own user when the artifact declares it; for
 * admin, replication and sentinel, otherwise an enabled `default` user with every command and key
 * (the Kubernetes operators authenticate as `default` with the admin password).
 */
export function usersByRole(model: RoleModel, users: DeclaredUser[]): Partial<Record<RoleName, RoleUser>> {
  const out: Partial<Record<RoleName, RoleUser>> = {};
  const byName = new Map(users.filter((u) => u.enabled).map((u) => [u.name, u]));
  const def = byName.get('default');
  const defaultIsAdmin = !!def && /(^|\s)~\*(\s|$)/.test(def.rules) && /(^|\s)\+@all(\s|$)/.test(def.rules);
  for (const r of ROLE_NAMES) {
    if (byName.has(model[r].user)) out[r] = { user: model[r].user, shared: false };
    else if (defaultIsAdmin && (r === 'admin' || r === 'replication' || r === 'sentinel'))
      out[r] = { user: 'default', shared: true };
  }
  return out;
}
