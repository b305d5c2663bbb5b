/**
 * Kubernetes: OpsTree (opstree.yaml: the RedisCluster and its supporting objects) and Bitnami
 * (bitnami.yaml plus the chart values in values-redis.yaml). Objects are matched by kind, namespace
 * and name; the rules are Kubernetes' own (StatefulSet volumeClaimTemplates immutable, claims never
 * shrink, a pod template change rolls the pods) and the operator's and the chart's documented limits.
 */
import { parseAllDocuments, parse } from 'yaml';
import { changedPaths, compareVersions, flatten, quantity } from './compare';
import { rule } from './rules';
import type { Change, DiffPlatform, Verdict } from './types';

interface K8sObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  [k: string]: unknown;
}

function objects(text: string | undefined): Map<string, K8sObject> {
  const out = new Map<string, K8sObject>();
  if (!text) return out;
  for (const doc of parseAllDocuments(text)) {
    const o = doc.toJS() as K8sObject | null;
    if (!o?.kind) continue;
    out.set(`${o.kind}/${o.metadata?.namespace ?? '-'}/${o.metadata?.name ?? '-'}`, o);
  }
  return out;
}

/** Image repository and tag ("quay.io/opstree/redis", "v7.0.15"). */
function image(s: unknown): { repo: string; tag: string } {
  const str = String(s ?? '');
  const at = str.lastIndexOf(':');
  return at > str.lastIndexOf('/')
    ? { repo: str.slice(0, at), tag: str.slice(at + 1) }
    : { repo: str, tag: '' };
}

function imageVerdict(from: { repo: string; tag: string }, to: { repo: string; tag: string }): Verdict {
  const detail = `${from.repo}:${from.tag} -> ${to.repo}:${to.tag}`;
  if (from.repo === to.repo) {
    const c = compareVersions(from.tag, to.tag);
    if (c !== undefined && c > 0) return rule('k8s.image.downgrade', detail);
  }
  return rule('k8s.rolling', detail);
}

function storageVerdict(from: unknown, to: unknown, what: string): Verdict {
  const [x, y] = [quantity(from), quantity(to)];
  return rule(
    x !== undefined && y !== undefined && y < x ? 'k8s.storage.down' : 'k8s.storage.up',
    `${what} ${String(from)} -> ${String(to)}`,
  );
}

function redisClusterVerdict(path: string, from: unknown, to: unknown): Verdict {
  if (path === 'spec.clusterSize' || /^spec\.redis(Leader|Follower)\.replicas$/.test(path))
    return rule(
      Number(to) >= Number(from) ? 'opstree.scale.out' : 'opstree.scale.in',
      `${path} ${String(from)} -> ${String(to)}`,
    );
  if (/^spec\.storage\..*resources\.requests\.storage$/.test(path)) return storageVerdict(from, to, path);
  if (path === 'spec.kubernetesConfig.image') return imageVerdict(image(from), image(to));
  if (path.startsWith('metadata.')) return rule('k8s.update', path);
  if (path.startsWith('spec.storage.')) return rule('k8s.storage.up', path);
  return rule('k8s.rolling', `${path} ${String(from ?? '-')} -> ${String(to ?? '-')}`);
}

function objectVerdict(kind: string, name: string, path: string, from: unknown, to: unknown): Verdict {
  if (kind === 'RedisCluster') return redisClusterVerdict(path, from, to);
  if (kind === 'ConfigMap' && /-redis-config$/.test(name) && path.startsWith('data.'))
    return rule('k8s.config', `${path} changed`);
  if (kind === 'PersistentVolumeClaim' && path === 'spec.resources.requests.storage') {
    const [x, y] = [quantity(from), quantity(to)];
    if (x !== undefined && y !== undefined && y < x)
      return rule('k8s.storage.down', `${String(from)} -> ${String(to)}`);
    return rule(
      'k8s.update',
      `PVC expansion ${String(from)} -> ${String(to)} (needs StorageClass allowVolumeExpansion)`,
    );
  }
  return rule('k8s.update', path);
}

const isData = (kind: string) => kind === 'RedisCluster' || kind === 'StatefulSet';

function diffObjects(platform: DiffPlatform, a: Map<string, K8sObject>, b: Map<string, K8sObject>): Change[] {
  const changes: Change[] = [];
  for (const k of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const [x, y] = [a.get(k), b.get(k)];
    const kind = (x ?? y)!.kind!;
    const name = (x ?? y)!.metadata?.name ?? '-';
    const dataResource = isData(kind);
    if (!x) {
      changes.push({
        platform,
        resource: k,
        property: '(resource)',
        to: 'created',
        dataResource,
        ...rule('k8s.added'),
      });
      continue;
    }
    if (!y) {
      changes.push({
        platform,
        resource: k,
        property: '(resource)',
        from: 'exists',
        to: 'removed',
        dataResource,
        ...rule(dataResource ? 'k8s.removed.data' : 'k8s.removed'),
      });
      continue;
    }
    const [fa, fb] = [flatten(x), flatten(y)];
    for (const p of changedPaths(fa, fb)) {
      changes.push({
        platform,
        resource: k,
        property: p,
        from: fa[p],
        to: fb[p],
        dataResource,
        ...objectVerdict(kind, name, p, fa[p], fb[p]),
      });
    }
  }
  return changes;
}

/** The helm release (values plus namespace from the install command in the file's header). */
function release(
  text: string | undefined,
): { values: Record<string, unknown>; namespace?: string } | undefined {
  if (!text) return undefined;
  const namespace = /--namespace (\S+)/.exec(text)?.[1];
  return { values: (parse(text) ?? {}) as Record<string, unknown>, namespace };
}

function valuesVerdict(path: string, from: unknown, to: unknown): Verdict {
  const d = `${path} ${String(from ?? '-')} -> ${String(to ?? '-')}`;
  if (path === 'replica.replicaCount' || path === 'master.count') return rule('bitnami.replicas', d);
  if (path === 'sentinel.quorum') return rule('bitnami.quorum', d);
  if (/^(master|replica)\.persistence\.size$/.test(path)) return storageVerdict(from, to, path);
  if (path === 'fullnameOverride' || path === 'nameOverride') return rule('bitnami.identity', d);
  if (path === 'architecture') return rule('bitnami.architecture', d);
  if (path === 'image.tag' || path === 'image.repository' || path === 'image.digest')
    return path === 'image.tag'
      ? imageVerdict({ repo: 'image', tag: String(from) }, { repo: 'image', tag: String(to) })
      : rule('k8s.rolling', d);
  if (/(^|\.)configuration$/.test(path) || path === 'commonConfiguration')
    return rule('k8s.config', `${path} changed`);
  return rule('k8s.rolling', d);
}

export function diffOpstree(a?: Record<string, string>, b?: Record<string, string>): Change[] {
  if (!a?.['opstree.yaml'] || !b?.['opstree.yaml']) return [];
  return diffObjects('opstree', objects(a['opstree.yaml']), objects(b['opstree.yaml']));
}

export function diffBitnami(a?: Record<string, string>, b?: Record<string, string>): Change[] {
  if (!a?.['bitnami.yaml'] || !b?.['bitnami.yaml']) return [];
  const changes = diffObjects('bitnami', objects(a['bitnami.yaml']), objects(b['bitnami.yaml']));
  const [ra, rb] = [release(a['values-redis.yaml']), release(b['values-redis.yaml'])];
  if (!ra || !rb) return changes;
  const resource = 'helm release (values-redis.yaml)';
  if (ra.namespace !== rb.namespace)
    changes.push({
      platform: 'bitnami',
      resource,
      property: 'namespace',
      from: ra.namespace,
      to: rb.namespace,
      dataResource: true,
      ...rule('bitnami.identity', `namespace ${ra.namespace} -> ${rb.namespace}`),
    });
  const [fa, fb] = [flatten(ra.values), flatten(rb.values)];
  for (const p of changedPaths(fa, fb)) {
    changes.push({
      platform: 'bitnami',
      resource,
      property: p,
      from: fa[p],
      to: fb[p],
      dataResource: true,
      ...valuesVerdict(p, fa[p], fb[p]),
    });
  }
  return changes;
}
