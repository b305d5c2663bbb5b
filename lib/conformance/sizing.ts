/**
 * The report's platform table (SKU, shards x nodes, monthly cost) comes from the plan; this reads the
 * same three facts back from each managed-service artifact so a report never prices something the
 * artifact does not create. A mismatch fails the synth like a failing invariant.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Deployment } from '../deployment';
import type { Choice } from '../planner/types';
import { serverlessUsageLimits } from '../aws/serverless-limits';
import { isServerlessTemplate, type CfnTemplate } from './aws';
import type { PreviewDocument } from './pulumi';

export interface ArtifactSizing {
  sku: string;
  shards: number;
  replicasPerShard: number;
}

type Inputs = Record<string, unknown>;
const num = (v: unknown, fallback: number) => (v === undefined || v === null ? fallback : Number(v));

export function awsSizing(t: CfnTemplate): ArtifactSizing | undefined {
  const rg = Object.values(t.Resources ?? {}).find((r) => r.Type === 'AWS::ElastiCache::ReplicationGroup');
  if (!rg) return undefined;
  const p = rg.Properties ?? {};
  return {
    sku: String(p.CacheNodeType),
    shards: num(p.NumNodeGroups, 1),
    replicasPerShard: num(p.ReplicasPerNodeGroup, num(p.NumCacheClusters, 1) - 1),
  };
}

const inputs = (d: PreviewDocument, type: string): Inputs | undefined =>
  d.resources.find((r) => r.type === type)?.inputs;

export function gcpSizing(d: PreviewDocument): ArtifactSizing | undefined {
  const cluster = inputs(d, 'gcp:redis/cluster:Cluster');
  if (cluster)
    return {
      sku: String(cluster.nodeType),
      shards: num(cluster.shardCount, 1),
      replicasPerShard: num(cluster.replicaCount, 0),
    };
  const i = inputs(d, 'gcp:redis/instance:Instance');
  if (!i) return undefined;
  // Standard tier has one replica unless replicaCount says more (read replicas); Basic has none.
  return {
    sku: `${String(i.tier)} ${String(i.memorySizeGb)} GB`,
    shards: 1,
    replicasPerShard: i.tier === 'STANDARD_HA' ? num(i.replicaCount, 1) : 0,
  };
}

export function azurePremiumSizing(d: PreviewDocument): ArtifactSizing | undefined {
  const c = inputs(d, 'azure-native:redis:Redis');
  if (!c) return undefined;
  const sku = (c.sku ?? {}) as Inputs;
  return {
    sku: `${String(sku.family)}${String(sku.capacity)}`,
    shards: num(c.shardCount, 1),
    replicasPerShard: num(c.replicasPerMaster ?? c.replicasPerPrimary, 1),
  };
}

export function azureManagedSizing(d: PreviewDocument): ArtifactSizing | undefined {
  const c = inputs(d, 'azure-native:redisenterprise:RedisEnterprise');
  if (!c) return undefined;
  // Sharding is internal to the SKU; high availability adds one replica of every shard.
  return {
    sku: String(((c.sku ?? {}) as Inputs).name),
    shards: 1,
    replicasPerShard: c.highAvailability === 'Disabled' ? 0 : 1,
  };
}

/** One line per managed platform whose artifact differs from the plan's choice (empty when all agree). */
export function sizingMismatches(root: string, d: Deployment): string[] {
  const readJson = <T>(rel: string): T | undefined => {
    const file = path.join(root, rel);
    try {
      return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : undefined;
    } catch {
      return undefined; // unreadable: its conformance cells already fail and say why
    }
  };
  const awsDir = path.join(root, 'aws');
  const awsFile = fs.existsSync(awsDir)
    ? fs.readdirSync(awsDir).find((f) => f.endsWith('.template.json'))
    : undefined;
  const read: Array<[Choice['platform'], string, ArtifactSizing | undefined]> = [];
  const aws = awsFile ? readJson<CfnTemplate>(`aws/${awsFile}`) : undefined;
  const out: string[] = [];
  if (aws && isServerlessTemplate(aws)) out.push(...serverlessLimitMismatch(aws, `aws/${awsFile}`, d));
  else if (aws) read.push(['aws', `aws/${awsFile}`, awsSizing(aws)]);
  for (const [platform, read1] of [
    ['gcp', gcpSizing],
    ['azure-premium', azurePremiumSizing],
    ['azure-managed', azureManagedSizing],
  ] as const) {
    const doc = readJson<PreviewDocument>(`pulumi/${platform}.json`);
    if (doc) read.push([platform, `pulumi/${platform}.json`, read1(doc)]);
  }
  for (const [platform, file, got] of read) {
    const c = d.plan.choices[platform];
    if (!c?.available) continue;
    const want = `${c.sku} x ${c.shards} shard(s) x ${c.replicasPerShard} replica(s)`;
    const have = got ? `${got.sku} x ${got.shards} shard(s) x ${got.replicasPerShard} replica(s)` : 'nothing';
    if (want !== have)
      out.push(`${platform}: ${file} creates ${have}; the plan and the report price ${want}`);
  }
  return out;
}

/**
 * A serverless cache has no node type, shards or replicas to compare: what the plan decides for it are
 * the usage limits (lib/aws/serverless-limits.ts), so those are read back from CacheUsageLimits.
 */
function serverlessLimitMismatch(t: CfnTemplate, file: string, d: Deployment): string[] {
  const cache = Object.values(t.Resources ?? {}).find((r) => r.Type === 'AWS::ElastiCache::ServerlessCache');
  const limits = (cache?.Properties?.CacheUsageLimits ?? {}) as {
    DataStorage?: { Maximum?: unknown };
    ECPUPerSecond?: { Maximum?: unknown };
  };
  const want = serverlessUsageLimits(d.plan);
  const wantText = `at most ${want.dataStorageMaxGb} GB and ${want.ecpuPerSecondMax} ECPU/s`;
  const haveText = `at most ${String(limits.DataStorage?.Maximum ?? 'unlimited')} GB and ${String(limits.ECPUPerSecond?.Maximum ?? 'unlimited')} ECPU/s`;
  return wantText === haveText
    ? []
    : [`aws-serverless: ${file} sets usage limits ${haveText}; the plan derives ${wantText}`];
}
