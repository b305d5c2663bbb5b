/** Evidence from the rendered self-hosted files (dist/<id>/self-hosted/). */
import type { ResolvedPolicy } from '../policy/types';
import { directives } from '../redisconf/parse';
import type { DeclaredUser } from '../policy/roles';
import { parseAclUsers } from '../redisconf';
import { check, fail, na, pass, type Evidence, type TargetEvidence, everyInvariant } from './types';

export interface SelfHostedFiles {
  /** file name -> content */
  [name: string]: string;
}

const one = (d: Map<string, string[]>, k: string) => d.get(k)?.slice(-1)[0];

/**
 * Addresses not reachable from the internet: loopback, RFC 1918, shared (RFC 6598), link-local and IPv6
 * unique-local. Redis marks an optional bind address with a leading '-'.
 */
export function privateAddress(addr: string): boolean {
  const a = addr.replace(/^-/, '').toLowerCase();
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(a);
  if (v4) {
    const [x, y] = [Number(v4[1]), Number(v4[2])];
    return (
      x === 127 ||
      x === 10 ||
      (x === 172 && y >= 16 && y <= 31) ||
      (x === 192 && y === 168) ||
      (x === 100 && y >= 64 && y <= 127) ||
      (x === 169 && y === 254)
    );
  }
  return a === '::1' || /^f[cd][0-9a-f]{2}:/.test(a) || /^fe[89ab][0-9a-f]:/.test(a);
}

export function selfHostedEvidence(files: SelfHostedFiles, policy: ResolvedPolicy): TargetEvidence {
  const confs = Object.entries(files).filter(([n]) => /^redis-\d+\.conf$/.test(n));
  if (confs.length === 0) {
    const none = fail('no redis-<port>.conf rendered');
    return everyInvariant(none);
  }
  const parsed = confs.map(([name, text]) => ({ name, d: directives(text) }));
  const parseLayout = (text: string): unknown => {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new Error(`layout.json: ${(e as Error).message}`, { cause: e });
    }
  };
  const layout = files['layout.json']
    ? (parseLayout(files['layout.json']) as {
        mode?: string;
        host?: string;
        nodes?: Array<{ role: string; shard?: number; host?: string }>;
        sentinels?: unknown[];
      })
    : {};
  const every = (pred: (d: Map<string, string[]>) => boolean) =>
    parsed.filter((c) => !pred(c.d)).map((c) => c.name);

  const plaintext = every((d) => one(d, 'port') === '0' && !!one(d, 'tls-port'));
  const oldTls = every(
    (d) =>
      !/TLSv1(\.[01])?(\s|"|$)/.test(one(d, 'tls-protocols') ?? 'TLSv1') &&
      /TLSv1\.[23]/.test(one(d, 'tls-protocols') ?? ''),
  );
  const noTlsRepl = every(
    (d) =>
      one(d, 'tls-replication') === 'yes' &&
      (one(d, 'cluster-enabled') !== 'yes' || one(d, 'tls-cluster') === 'yes'),
  );
  const tls: Evidence =
    plaintext.length || oldTls.length || noTlsRepl.length
      ? fail(
          [
            plaintext.length ? `plaintext port open in ${plaintext.join(', ')}` : '',
            oldTls.length ? `tls-protocols allows < TLS 1.2 or is unset in ${oldTls.join(', ')}` : '',
            noTlsRepl.length ? `replication/cluster bus not on TLS in ${noTlsRepl.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('; '),
        )
      : pass(
          `${parsed.length} node(s): port 0, tls-port, tls-protocols TLSv1.2/TLSv1.3, tls-replication${layout.mode === 'cluster' ? ', tls-cluster' : ''}`,
        );

  const acl = files['users.acl.template'] ?? '';
  const secrets = files['secrets.conf.template'] ?? '';
  const aclOk = every((d) => !!one(d, 'aclfile')).length === 0 && /^user default off\b/m.test(acl);
  const passOk =
    /^requirepass\s+\S/m.test(secrets) && every((d) => (d.get('include') ?? []).length > 0).length === 0;
  const auth: Evidence = aclOk
    ? pass('aclfile on every node; default user off; users get hashed passwords at install time')
    : passOk
      ? pass('requirepass from secrets.conf (written at install time)')
      : fail('neither an ACL file with the default user off nor requirepass');

  const openBind = every(
    (d) =>
      !/(^|\s)(0\.0\.0\.0|\*|::)(\s|$)/.test(one(d, 'bind') ?? '0.0.0.0') &&
      one(d, 'protected-mode') !== 'no',
  );
  const publicBind = parsed
    .filter((c) => (one(c.d, 'bind') ?? '').split(/\s+/).some((a) => a && !privateAddress(a)))
    .map((c) => c.name);
  const nodes = layout.nodes ?? [];
  // Nodes carry their own host when the layout spreads them; otherwise they share layout.host.
  const hosts = new Set(nodes.map((n) => n.host ?? layout.host ?? 'unknown'));
  const sameHost = nodes.filter(
    (n) =>
      n.role === 'replica' &&
      nodes.some(
        (p) =>
          p.role === 'primary' && p.shard === n.shard && (p.host ?? layout.host) === (n.host ?? layout.host),
      ),
  ).length;
  const replicas = nodes.filter((n) => n.role === 'replica').length;
  const primaries = nodes.filter((n) => n.role === 'primary').length;
  const failover =
    layout.mode === 'cluster'
      ? 'Redis Cluster'
      : (layout.sentinels?.length ?? 0) >= 3
        ? `${layout.sentinels!.length} sentinels`
        : '';
  const saves = parsed.filter((c) => (one(c.d, 'save') ?? '""') !== '""' && (one(c.d, 'save') ?? '') !== '');
  // Dated copies are backup.sh's job: its RETENTION_DAYS and the prune that applies it.
  const backup = files['backup.sh'] ?? '';
  const keepDays = Number(/^RETENTION_DAYS=['"]?(\d+)['"]?\s*$/m.exec(backup)?.[1] ?? 0);
  const prunes = /^[^#\n]*-mtime \+"?\$\(\(\s*RETENTION_DAYS/m.test(backup);
  const wantDays = policy.persistence.snapshotRetentionDays;
  return {
    tls,
    auth,
    'encryption-at-rest': na(
      'redis.conf has no at-rest encryption: put the data directory on an encrypted volume (dm-crypt/LUKS or an encrypted cloud disk)',
    ),
    'private-networking': check(
      openBind.length === 0 && publicBind.length === 0,
      openBind.length
        ? `bind to all interfaces in ${openBind.join(', ')}`
        : publicBind.length
          ? `bind to a public address (${one(parsed.find((c) => c.name === publicBind[0])!.d, 'bind')}) in ${publicBind.join(', ')}`
          : `bind ${one(parsed[0].d, 'bind')} (private), protected-mode yes`,
    ),
    'replicas-zones': !(replicas >= primaries && primaries > 0 && failover)
      ? fail(
          `${replicas} replica(s) for ${primaries} primary(ies)${failover ? '' : ', no automatic failover'}`,
        )
      : hosts.size < 2
        ? // Not a pass: a host (or its zone) that fails takes the primary and its replica with it.
          na(
            `${replicas} replica(s) for ${primaries} primary(ies), automatic failover by ${failover}, but all ${nodes.length} node(s) share one host (${[...hosts][0]}): that covers a process failure, not a host or zone failure; the self-hosted layout has no multi-host option (README, "Limits of this layout")`,
          )
        : check(
            sameHost === 0,
            `${replicas} replica(s) for ${primaries} primary(ies) on ${hosts.size} hosts, automatic failover by ${failover}${sameHost ? `; ${sameHost} replica(s) share a host with their primary` : ''}`,
          ),
    snapshots:
      saves.length !== parsed.length
        ? fail(`RDB save rules on ${saves.length} of ${parsed.length} node(s)`)
        : !backup
          ? fail('no backup.sh: nothing keeps dated copies of the RDB snapshots')
          : check(
              keepDays >= wantDays && keepDays >= 1 && prunes,
              `RDB save rules on every node (${one(parsed[0].d, 'save')}); backup.sh keeps ${keepDays} day(s) (policy ${wantDays})${prunes ? '' : ' but never prunes by RETENTION_DAYS'}; it runs from the cron entry in README`,
            ),
    'maintenance-window': na('self-hosted nodes have no provider maintenance: you choose when to patch'),
    alerts: na(
      'redis.conf carries no alerting: scrape with redis_exporter and use the PrometheusRule from the Kubernetes output',
    ),
    'deletion-protection': na('no API can delete a self-hosted data directory; protect hosts and backups'),
  };
}

/**
 * Contract for self-hosted nodes, from the rendered contract.env: every `NAME=value` line, names
 * with digits included (REDIS_CLUSTER_NODE_1, REDIS_SENTINEL_2), as a shell or dotenv reads them.
 */
export function selfHostedContract(files: SelfHostedFiles): Record<string, string> | undefined {
  const raw = files['contract.env'];
  if (!raw) return undefined;
  return parseEnvFile(raw);
}

/**
 * The users the self-hosted Sentinels accept: the `user` lines of the first sentinel conf template
 * (every Sentinel gets the same); undefined without Sentinels or without ACL users on them.
 */
export function selfHostedSentinelUsers(files: SelfHostedFiles): DeclaredUser[] | undefined {
  const name = Object.keys(files)
    .filter((n) => /^sentinel-\d+\.conf\.template$/.test(n))
    .sort()[0];
  const users = name ? parseAclUsers(files[name]) : [];
  return users.length ? users : undefined;
}

/** `NAME=value` lines of an env file (comments and blank lines skipped; values taken verbatim). */
export function parseEnvFile(raw: string): Record<string, string> {
  return Object.fromEntries(
    raw
      .split(/\r?\n/)
      .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}
