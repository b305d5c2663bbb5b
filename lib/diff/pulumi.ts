/**
 * GCP and Azure: compares two offline Pulumi previews resource by resource (type and name, Pulumi's
 * URN) and input by input. GCP replacements come from the `immutable` fields of the Magic Modules
 * definitions the gcp provider is generated from; Azure's from the ARM identity (name, resource group,
 * location) and the create-only settings the Azure docs list; scaling and version rules from the
 * providers' documentation (change-rules.json).
 */
import type { PreviewDocument, PreviewResource } from '../conformance/pulumi';
import { CACHE_RESOURCE_TYPES } from '../pulumi/guard';
import { changedPaths, compareVersions, flatten } from './compare';
import { changeRules, rule } from './rules';
import type { Change, DiffPlatform, Verdict } from './types';

/** The resource types that hold the cached data (the ones the data guard protects). */
export const CACHE_TYPES = CACHE_RESOURCE_TYPES;

type Inputs = Record<string, unknown>;
const top = (path: string) => path.split('.')[0];

function gcpVerdict(type: string, path: string, a: Inputs, b: Inputs): Verdict {
  const imm = changeRules().rules.gcpImmutable[type];
  const field = top(path);
  if (imm?.fields.includes(field)) return rule('gcp.immutable', `${field} is immutable`, imm.source);
  const [from, to] = [flatten(a)[path], flatten(b)[path]];
  if (type === 'gcp:redis/instance:Instance') {
    if (path === 'memorySizeGb') {
      if (b.tier !== 'STANDARD_HA') return rule('gcp.instance.scale.basic', `${from} -> ${to} GB`);
      return rule(
        Number(to) >= Number(from) ? 'gcp.instance.scale.standard' : 'gcp.instance.scale.down',
        `${from} -> ${to} GB`,
      );
    }
    if (path === 'redisVersion') {
      const c = compareVersions(from, to);
      return rule(
        c !== undefined && c > 0 ? 'gcp.instance.downgrade' : 'gcp.instance.upgrade',
        `${from} -> ${to}`,
      );
    }
    if (field === 'redisConfigs')
      return rule('gcp.instance.configs', `${path} ${from ?? '-'} -> ${to ?? '-'}`);
    if (field === 'replicaCount' || field === 'readReplicasMode')
      return rule('gcp.instance.replicas', `${path} ${from} -> ${to}`);
  }
  if (type === 'gcp:redis/cluster:Cluster') {
    if (['shardCount', 'replicaCount', 'nodeType'].includes(field))
      return rule('gcp.cluster.scale', `${path} ${from} -> ${to}`);
    if (field === 'redisConfigs')
      return rule('gcp.instance.configs', `${path} ${from ?? '-'} -> ${to ?? '-'}`);
  }
  return rule('pulumi.update', path);
}

/** Premium sizes in order: Basic/Standard C0-C6, Premium P1-P5. */
function premiumRank(sku: unknown): { tier: number; size: number } {
  const s = (sku ?? {}) as { name?: string; capacity?: number };
  const tier = ['Basic', 'Standard', 'Premium'].indexOf(String(s.name));
  return { tier, size: Number(s.capacity ?? 0) };
}

function azurePremiumVerdict(path: string, a: Inputs, b: Inputs): Verdict {
  const field = top(path);
  const [from, to] = [flatten(a)[path], flatten(b)[path]];
  if (field === 'sku') {
    const [x, y] = [premiumRank(a.sku), premiumRank(b.sku)];
    if (y.tier < x.tier)
      return rule(
        'azure.premium.tier.down',
        `${String((a.sku as Inputs)?.name)} -> ${String((b.sku as Inputs)?.name)}`,
      );
    return rule(
      y.size >= x.size ? 'azure.premium.scale.up' : 'azure.premium.scale.down',
      `${path} ${from} -> ${to}`,
    );
  }
  if (field === 'shardCount') return rule('azure.premium.shards', `${from} -> ${to} shards`);
  if (field === 'replicasPerMaster' || field === 'replicasPerPrimary')
    return rule('azure.premium.replicas', `${from} -> ${to}`);
  if (field === 'redisVersion') {
    const c = compareVersions(from, to);
    return rule(
      c !== undefined && c > 0 ? 'azure.premium.downgrade' : 'azure.premium.upgrade',
      `${from} -> ${to}`,
    );
  }
  return rule('azure.premium.config', `${path} ${String(from ?? '-')} -> ${String(to ?? '-')}`);
}

function azureManagedVerdict(type: string, path: string, a: Inputs, b: Inputs): Verdict {
  const field = top(path);
  const [from, to] = [flatten(a)[path], flatten(b)[path]];
  if (type === 'azure-native:redisenterprise:RedisEnterprise' && field === 'sku')
    return rule('azure.managed.scale', `${from} -> ${to}`);
  return rule('azure.managed.update', `${path} ${String(from ?? '-')} -> ${String(to ?? '-')}`);
}

function verdict(platform: DiffPlatform, type: string, path: string, a: Inputs, b: Inputs): Verdict {
  const replace = changeRules().rules.azureReplaceOnChange[type];
  const field = top(path);
  if (replace?.fields.includes(field)) {
    const identity = [
      'name',
      'clusterName',
      'databaseName',
      'resourceGroupName',
      'location',
      'zones',
    ].includes(field);
    return rule(
      identity ? 'azure.identity' : 'azure.managed.create-only',
      `${field} cannot change in place`,
      replace.source,
    );
  }
  if (platform === 'gcp') return gcpVerdict(type, path, a, b);
  if (type === 'azure-native:redis:Redis') return azurePremiumVerdict(path, a, b);
  if (type.startsWith('azure-native:redisenterprise:')) return azureManagedVerdict(type, path, a, b);
  return rule('pulumi.update', path);
}

/**
 * A replacement of a resource the data guard protects: `pulumi up` stops at it until protection is
 * lifted, and retainOnDelete leaves the old cache running (not deleted) when it goes.
 */
function protectedReplacement(old: PreviewResource, v: Verdict): Verdict {
  const o = old.options ?? {};
  if (v.class !== 'replacement' || !o.protect) return v;
  const retained = o.retainOnDelete
    ? ', and retainOnDelete leaves the old cache running instead of deleting it'
    : '';
  return {
    ...v,
    reason: `${v.reason}; the resource is protected, so pulumi up stops here until \`pulumi state unprotect\`${retained}`,
  };
}

export function diffPulumi(platform: DiffPlatform, a?: PreviewDocument, b?: PreviewDocument): Change[] {
  if (!a || !b) return [];
  const key = (r: { type: string; name: string }) => `${r.type}::${r.name}`;
  const A = new Map(a.resources.map((r) => [key(r), r]));
  const B = new Map(b.resources.map((r) => [key(r), r]));
  const changes: Change[] = [];
  for (const k of [...new Set([...A.keys(), ...B.keys()])].sort()) {
    const [x, y] = [A.get(k), B.get(k)];
    const type = (x ?? y)!.type;
    const resource = `${(x ?? y)!.name} (${type})`;
    const dataResource = CACHE_TYPES.has(type);
    if (!x) {
      changes.push({
        platform,
        resource,
        property: '(resource)',
        from: undefined,
        to: 'created',
        dataResource,
        ...rule('pulumi.added'),
      });
      continue;
    }
    if (!y) {
      changes.push({
        platform,
        resource,
        property: '(resource)',
        from: 'exists',
        to: 'removed',
        dataResource,
        ...protectedReplacement(x, rule(dataResource ? 'pulumi.removed.data' : 'pulumi.removed')),
      });
      continue;
    }
    const [ia, ib] = [(x.inputs ?? {}) as Inputs, (y.inputs ?? {}) as Inputs];
    const [fa, fb] = [flatten(ia), flatten(ib)];
    for (const p of changedPaths(fa, fb)) {
      changes.push({
        platform,
        resource,
        property: p,
        from: fa[p],
        to: fb[p],
        dataResource,
        ...protectedReplacement(x, verdict(platform, type, p, ia, ib)),
      });
    }
  }
  return changes;
}
