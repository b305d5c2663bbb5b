/**
 * The "data kept on delete or replace" invariant, read from each artifact:
 * - AWS: the replication group has DeletionPolicy and UpdateReplacePolicy Retain or Snapshot;
 * - GCP/Azure: every resource holding the data carries Pulumi `protect` and `retainOnDelete`
 *   (the preview records the options the program set);
 * - OpsTree: the RedisCluster keeps its PVCs (storage.keepAfterDelete and the StatefulSet
 *   persistentVolumeClaimRetentionPolicy whenDeleted/whenScaled Retain);
 * - Bitnami: the chart values enable persistentVolumeClaimRetentionPolicy with Retain for the
 *   master and replica StatefulSets;
 * - self-hosted: no command in the rendered install.sh or stop.sh removes a node's data dir (or a
 *   folder above it), with the scripts' own variables expanded.
 */
import { parse, parseAllDocuments } from 'yaml';
import { CACHE_RESOURCE_TYPES } from '../pulumi/guard';
import type { CfnTemplate } from './aws';
import type { PreviewDocument } from './pulumi';
import { check, fail, na, type Evidence } from './types';

const KEEP = new Set(['Retain', 'Snapshot', 'RetainExceptOnCreate']);

export function awsRetention(t: CfnTemplate): Evidence {
  const groups = Object.entries(t.Resources ?? {}).filter(
    ([, r]) =>
      r.Type === 'AWS::ElastiCache::ReplicationGroup' || r.Type === 'AWS::ElastiCache::ServerlessCache',
  );
  if (!groups.length)
    return fail('no AWS::ElastiCache::ReplicationGroup or AWS::ElastiCache::ServerlessCache in the template');
  const bad = groups.filter(
    ([, r]) =>
      !KEEP.has(String((r as { DeletionPolicy?: string }).DeletionPolicy)) ||
      !KEEP.has(String((r as { UpdateReplacePolicy?: string }).UpdateReplacePolicy)),
  );
  const show = ([id, r]: [string, unknown]) =>
    `${id} DeletionPolicy ${(r as { DeletionPolicy?: string }).DeletionPolicy ?? 'Delete'}, UpdateReplacePolicy ${(r as { UpdateReplacePolicy?: string }).UpdateReplacePolicy ?? 'Delete'}`;
  return check(
    bad.length === 0,
    bad.length ? `${bad.map(show).join('; ')} (expected Retain or Snapshot)` : groups.map(show).join('; '),
  );
}

export function pulumiRetention(doc: PreviewDocument): Evidence {
  const caches = doc.resources.filter((r) => CACHE_RESOURCE_TYPES.has(r.type));
  if (!caches.length) return fail('no cache resource in the preview');
  const opts = (r: (typeof caches)[number]) =>
    (r as { options?: { protect?: boolean; retainOnDelete?: boolean } }).options ?? {};
  const bad = caches.filter((r) => opts(r).protect !== true || opts(r).retainOnDelete !== true);
  return check(
    bad.length === 0,
    bad.length
      ? `${bad.map((r) => `${r.name} (${r.type})`).join(', ')} without protect and retainOnDelete`
      : `${caches.map((r) => r.name).join(', ')}: protect and retainOnDelete`,
  );
}

type Obj = { kind?: string; metadata?: { name?: string }; spec?: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any

export function opstreeRetention(yamlText: string): Evidence {
  const clusters = parseAllDocuments(yamlText)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o?.kind === 'RedisCluster');
  if (!clusters.length) return fail('no RedisCluster in opstree.yaml');
  const bad = clusters.filter((c) => {
    const policy = c.spec?.kubernetesConfig?.persistentVolumeClaimRetentionPolicy ?? {};
    return (
      c.spec?.storage?.keepAfterDelete !== true ||
      policy.whenDeleted !== 'Retain' ||
      policy.whenScaled !== 'Retain'
    );
  });
  return check(
    bad.length === 0,
    bad.length
      ? `RedisCluster ${bad.map((c) => c.metadata?.name).join(', ')} would lose its PVCs (needs storage.keepAfterDelete true and persistentVolumeClaimRetentionPolicy Retain)`
      : 'RedisCluster storage.keepAfterDelete true, PVC retention Retain when deleted and scaled',
  );
}

export function bitnamiRetention(valuesText: string | undefined): Evidence {
  if (!valuesText) return fail('no values-redis.yaml');
  const v = (parse(valuesText) ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const roles = ['master', 'replica'].filter((r) => v[r]?.persistence?.enabled !== false);
  if (!roles.length) return na('persistence is off: no PVC to keep');
  const bad = roles.filter((r) => {
    const p = v[r]?.persistentVolumeClaimRetentionPolicy ?? {};
    return p.enabled !== true || p.whenDeleted !== 'Retain' || p.whenScaled !== 'Retain';
  });
  return check(
    bad.length === 0,
    bad.length
      ? `${bad.join(', ')}.persistentVolumeClaimRetentionPolicy is not enabled with Retain`
      : `${roles.join(' and ')} persistentVolumeClaimRetentionPolicy enabled, Retain when deleted and scaled`,
  );
}

/** Simple `NAME=value` / `NAME='value'` assignments of a script, for expanding $NAME. */
function assignments(script: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const m of script.matchAll(
    /^\s*([A-Za-z_][A-Za-z0-9_]*)=(?:'([^']*)'|"([^"$`]*)"|([^\s;'"$`]*))\s*$/gm,
  ))
    vars[m[1]] = m[2] ?? m[3] ?? m[4] ?? '';
  // The relocatable scripts render each path as R_<NAME> and resolve <NAME> at run time from a flag,
  // install.env or that default: without a flag, <NAME> is the rendered R_<NAME>.
  for (const [k, v] of Object.entries(vars)) {
    const name = k.slice(2);
    if (k.startsWith('R_') && (vars[name] === undefined || vars[name] === '')) vars[name] = v;
  }
  return vars;
}

const expand = (s: string, vars: Record<string, string>) =>
  s.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (all, n: string) => vars[n] ?? all);

/** Commands of a script line that delete files: rm, rmdir, find ... -delete. */
const DELETES = /(^|[;&|(]\s*|\s)(rm|rmdir)\s+([^;&|]*)|\bfind\s+([^;&|]*?)\s-delete\b/g;

/**
 * Data dirs the rendered scripts would remove. `dataDirs` are the `dir` lines of the node confs; a
 * command touches one when an argument is that dir, a folder above it, a glob matching either, or the
 * data inside it (a glob, the RDB or AOF files, the cluster node file; a pid or log file is fine).
 */
export function dataDirRemovals(scripts: Record<string, string>, dataDirs: string[]): string[] {
  const found: string[] = [];
  for (const [name, text] of Object.entries(scripts)) {
    const vars = assignments(text);
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/(^|\s)#.*$/, '');
      for (const m of line.matchAll(DELETES)) {
        const args = expand(m[3] ?? m[4] ?? '', vars)
          .split(/\s+/)
          .map((a) => a.replace(/^["']|["']$/g, ''))
          .filter((a) => a && !a.startsWith('-'));
        for (const arg of args) {
          const target = arg.replace(/\/+$/, '');
          const hit = dataDirs.find((d) => {
            if (d === target || d.startsWith(`${target}/`)) return true;
            // Inside the dir: its data (RDB, AOF, the cluster's node file) or everything in it.
            if (
              target.startsWith(`${d}/`) &&
              /(\*|dump\.rdb|appendonly|\.aof|nodes[^/]*\.conf)/.test(target.slice(d.length))
            )
              return true;
            if (!/[*?]/.test(target)) return false;
            const re = new RegExp(
              `^${target
                .replace(/[.+^${}()|[\]\\]/g, '\\$&')
                .replace(/\*/g, '[^/]*')
                .replace(/\?/g, '[^/]')}(/|$)`,
            );
            return re.test(d);
          });
          if (hit) found.push(`${name}:${i + 1} removes ${hit} (${raw.trim()})`);
        }
      }
    });
  }
  return found;
}

export function selfHostedRetention(files: Record<string, string>): Evidence {
  const dataDirs = Object.entries(files)
    .filter(([f]) => /^redis-\d+\.conf$/.test(f))
    .flatMap(([, t]) => [...t.matchAll(/^dir\s+(\S+)\s*$/gm)].map((m) => m[1].replace(/^["']|["']$/g, '')));
  if (!dataDirs.length) return fail('no dir line in any redis-<port>.conf');
  const scripts = Object.fromEntries(
    Object.entries(files).filter(([f]) => f === 'install.sh' || f === 'stop.sh'),
  );
  if (!scripts['install.sh'] || !scripts['stop.sh']) return fail('install.sh or stop.sh is missing');
  const removals = dataDirRemovals(scripts, dataDirs);
  return check(
    removals.length === 0,
    removals.length
      ? removals.join('; ')
      : `install.sh and stop.sh never remove the data dirs (${dataDirs.length} checked)`,
  );
}
