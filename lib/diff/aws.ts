/**
 * AWS: compares two CloudFormation templates resource by resource (logical id) and property by
 * property. Replacement comes from the CloudFormation registry data (cfn-update-behavior.json); the
 * ElastiCache service rules override it where the schema says "updatable" but the service restricts
 * the change (engine downgrade, one-step TLS) or where "may replace" is in practice online (resharding).
 */
import { awsCatalog } from '../catalog';
import type { CfnTemplate } from '../conformance/aws';
import type { ArtifactSet } from './artifacts';
import { compareVersions, same } from './compare';
import { cfnBehavior, rule } from './rules';
import type { Change, Verdict } from './types';

const RG = 'AWS::ElastiCache::ReplicationGroup';
const SERVERLESS = 'AWS::ElastiCache::ServerlessCache';
/** The resources that hold the cached data. */
const DATA_TYPES = new Set([RG, SERVERLESS]);

type Props = Record<string, unknown>;
interface Res {
  Type: string;
  Properties?: Props;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

/** The region a template was synthesized for, read from the ARNs and service principals in it. */
export function templateRegion(t: CfnTemplate): string | undefined {
  const m = /(?::logs:|logs\.|secretsmanager\.)([a-z]{2}(?:-[a-z]+)+-\d)[.:]/.exec(JSON.stringify(t));
  return m?.[1];
}

function nodeMemory(type: unknown): number | undefined {
  return awsCatalog().nodeTypes.find((n) => n.type === type)?.memoryGib;
}

type TlsState = 'off' | 'preferred' | 'required';
function tlsState(p: Props): TlsState {
  if (p.TransitEncryptionEnabled !== true) return 'off';
  return p.TransitEncryptionMode === 'preferred' ? 'preferred' : 'required';
}

/** A replacement of the replication group, with the snapshot-and-restore safe path. */
function restore(v: Verdict): Verdict {
  const r = rule('aws.restore');
  return { ...v, safePath: v.safePath ?? r.safePath };
}

/** The verdict for one changed property of the replication group. */
function replicationGroupProperty(key: string, a: Props, b: Props): Verdict {
  const from = a[key];
  const to = b[key];
  switch (key) {
    case 'CacheNodeType': {
      const [x, y] = [nodeMemory(from), nodeMemory(to)];
      const up = x !== undefined && y !== undefined ? y >= x : true;
      return rule(
        up ? 'aws.node-type.up' : 'aws.node-type.down',
        `${from} (${x ?? '?'} GiB) -> ${to} (${y ?? '?'} GiB)`,
      );
    }
    case 'NumNodeGroups':
      return rule(Number(to) >= Number(from) ? 'aws.shards.out' : 'aws.shards.in', `${from} -> ${to} shards`);
    case 'ClusterMode':
      if (from === 'disabled' && to === 'enabled')
        return rule('aws.cluster-mode.one-step', `${from} -> ${to}`);
      return rule('cfn.update', `ClusterMode ${String(from)} -> ${String(to)}`);
    case 'NumCacheClusters':
      // Cluster mode on: the node count moves to NumNodeGroups/ReplicasPerNodeGroup (those rows classify it).
      if (to === undefined) return rule('cfn.update', 'NumCacheClusters gives way to NumNodeGroups');
      return rule('aws.replicas.group', `${from} -> ${to} nodes`);
    case 'ReplicasPerNodeGroup':
      return rule('aws.replicas.per-shard', `${from} -> ${to} replicas per shard`);
    case 'EngineVersion': {
      if (a.Engine !== b.Engine)
        return rule('aws.engine-version.up', `comes with the engine change ${a.Engine} -> ${b.Engine}`);
      const c = compareVersions(from, to);
      return rule(
        c !== undefined && c > 0 ? 'aws.engine-version.down' : 'aws.engine-version.up',
        `${from} -> ${to}`,
      );
    }
    case 'Engine':
      return to === 'valkey'
        ? rule('aws.engine.valkey', `${from} -> ${to}`)
        : restore(
            rule(
              'cfn.replace',
              `Engine ${from} -> ${to} (ElastiCache offers no Valkey to Redis OSS move in place)`,
            ),
          );
    case 'TransitEncryptionEnabled':
    case 'TransitEncryptionMode': {
      const [s, t] = [tlsState(a), tlsState(b)];
      if (s === 'off' && t === 'required') return rule('aws.transit.one-step', `${s} -> ${t}`);
      if ((s === 'off' && t === 'preferred') || (s === 'preferred' && t === 'required'))
        return rule('aws.transit.step', `${s} -> ${t}`);
      return rule('cfn.update', `in-transit encryption ${s} -> ${t}`);
    }
  }
  const b2 = cfnBehavior(RG, key);
  if (b2 === 'replace') return restore(rule('cfn.replace', `${key}`));
  if (b2 === 'maybe') return restore(rule('cfn.maybe', `${key}`));
  return rule('cfn.update', key);
}

/**
 * The verdict for one changed property of a serverless cache: the registry's replacement data, with
 * the snapshot-and-restore safe path (a new serverless cache can be created from a snapshot of the
 * old one); usage limits, snapshots, security groups and the user group change in place.
 */
function serverlessProperty(key: string): Verdict {
  const b = cfnBehavior(SERVERLESS, key);
  const withRestore = (v: Verdict): Verdict => ({
    ...v,
    safePath: v.safePath ?? rule('aws.serverless.restore').safePath,
  });
  if (b === 'replace') return withRestore(rule('cfn.replace', `${key}`));
  if (b === 'maybe') return withRestore(rule('cfn.maybe', `${key}`));
  return rule('cfn.update', key);
}

function propertyVerdict(type: string, key: string, a: Props, b: Props): Verdict {
  if (type === RG) return replicationGroupProperty(key, a, b);
  if (type === SERVERLESS) return serverlessProperty(key);
  if (type === 'AWS::ElastiCache::ParameterGroup' && key === 'Properties')
    return rule('aws.parameters', describeParams(a[key], b[key]));
  const behavior = cfnBehavior(type, key);
  if (behavior === 'replace')
    return rule('cfn.replace', `${type} ${key} (this resource holds no cached data)`);
  if (behavior === 'maybe') return rule('cfn.maybe', `${type} ${key} (this resource holds no cached data)`);
  return rule('cfn.update', `${type} ${key}`);
}

function describeParams(a: unknown, b: unknown): string {
  const x = (a ?? {}) as Record<string, unknown>;
  const y = (b ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].filter((k) => !same(x[k], y[k]));
  return keys.map((k) => `${k} ${String(x[k] ?? '-')} -> ${String(y[k] ?? '-')}`).join(', ');
}

/**
 * @param platform the column: `aws` (replication group) or `aws-serverless` (serverless cache); the
 *   same template comparison serves both.
 */
export function diffAws(
  a: ArtifactSet['aws'],
  b: ArtifactSet['aws'],
  platform: 'aws' | 'aws-serverless' = 'aws',
): Change[] {
  if (!a || !b) return [];
  const changes: Change[] = [];
  const push = (resource: string, type: string, property: string, v: Verdict, from?: unknown, to?: unknown) =>
    changes.push({
      platform,
      resource: `${resource} (${type})`,
      property,
      from,
      to,
      dataResource: DATA_TYPES.has(type),
      ...v,
    });

  const [ra, rb] = [templateRegion(a.template), templateRegion(b.template)];
  if (ra && rb && ra !== rb) {
    changes.push({
      platform,
      resource: '(stack)',
      property: 'region',
      from: ra,
      to: rb,
      dataResource: true,
      ...rule('aws.region', `${ra} -> ${rb}`),
    });
  }
  const A = (a.template.Resources ?? {}) as Record<string, Res>;
  const B = (b.template.Resources ?? {}) as Record<string, Res>;
  for (const id of [...new Set([...Object.keys(A), ...Object.keys(B)])].sort()) {
    const [x, y] = [A[id], B[id]];
    if (!x) {
      push(id, y.Type, '(resource)', rule('cfn.added'), undefined, 'created');
      continue;
    }
    if (!y) {
      if (DATA_TYPES.has(x.Type))
        push(
          id,
          x.Type,
          '(resource)',
          rule('cfn.removed.data', `DeletionPolicy ${x.DeletionPolicy ?? 'Delete'}`),
          'exists',
          'removed',
        );
      else if (x.DeletionPolicy === 'Retain')
        push(id, x.Type, '(resource)', rule('cfn.removed.retained'), 'exists', 'removed');
      else push(id, x.Type, '(resource)', rule('cfn.removed'), 'exists', 'removed');
      continue;
    }
    if (x.Type !== y.Type) {
      push(id, y.Type, '(type)', rule('cfn.type'), x.Type, y.Type);
      continue;
    }
    for (const attr of ['DeletionPolicy', 'UpdateReplacePolicy'] as const) {
      if (x[attr] !== y[attr]) push(id, y.Type, attr, rule('cfn.policy'), x[attr], y[attr]);
    }
    const [px, py] = [x.Properties ?? {}, y.Properties ?? {}];
    for (const key of [...new Set([...Object.keys(px), ...Object.keys(py)])].sort()) {
      if (same(px[key], py[key])) continue;
      push(id, y.Type, key, propertyVerdict(y.Type, key, px, py), px[key], py[key]);
    }
  }
  return changes;
}
