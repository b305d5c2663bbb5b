/**
 * The capacity planner: spec + policy -> Plan. Every number it produces is derived from named
 * assumptions (assumptions.ts) and catalog figures, and each platform choice carries one line of
 * reason, so a person can check the arithmetic.
 */
import { referenceCatalog } from '../catalog';
import { SpecError } from '../errors';
import type { ResolvedPolicy } from '../policy/types';
import type { Profile, Spec } from '../spec/schema';
import { GB, TOPOLOGY } from './assumptions';
import { computeNeed, datasetItems, memoryNeed, type Need } from './need';
import { planServerlessNeed } from './cost';
import type { PriceSources } from './rates';
import { choose, kubernetesLayouts, kubernetesResources, type SelectContext } from './select';
import {
  PLATFORM_IDS,
  type Choice,
  type PinnedSizing,
  type Plan,
  type PlatformId,
  type ReferenceRow,
} from './types';
import { int } from '../numbers';

/** Planner inputs that do not come from the spec (or not yet: tests and callers pass them here). */
export interface PlanOptions {
  /**
   * The AWS flavor (targets.aws.flavor when the spec has that field): 'serverless' prices the AWS
   * choice as ElastiCache Serverless.
   * @default targets.aws.flavor, else nodes
   */
  awsFlavor?: string;
  /** Committed rates and serverless prices. @default the catalogs */
  prices?: PriceSources;
}

/** targets.aws.flavor, read without depending on the field being in the schema yet. */
function specAwsFlavor(spec: Spec): string | undefined {
  const aws = spec.targets.aws as { flavor?: unknown } | undefined;
  return typeof aws?.flavor === 'string' ? aws.flavor : undefined;
}

export function contextFor(
  spec: Spec,
  policy: ResolvedPolicy,
  need: Need,
  options: PlanOptions = {},
): SelectContext {
  const t = spec.targets;
  return {
    commitment: spec.commitment,
    awsFlavor: options.awsFlavor ?? specAwsFlavor(spec),
    ...(options.prices ? { prices: options.prices } : {}),
    need,
    policy,
    regions: {
      aws: t.aws?.region,
      gcp: t.gcp?.region,
      'azure-premium': t.azure?.location,
      'azure-managed': t.azure?.location,
    },
    awsNodeType: t.aws?.nodeType,
  };
}

export function plan(spec: Spec, policy: ResolvedPolicy, options: PlanOptions = {}): Plan {
  const need = computeNeed(spec, policy);
  const ctx = contextFor(spec, policy, need, options);
  const choices = Object.fromEntries(PLATFORM_IDS.map((p) => [p, choose(p, ctx)])) as Record<
    PlatformId,
    Choice
  >;
  // Self-managed targets (Kubernetes, self-hosted) run the platform-neutral shard count.
  const shards = choices.kubernetes.shards;
  const reference = referenceRow(spec);
  return {
    inputs: need.inputs,
    dataset: need.dataset,
    memory: {
      factors: need.memory.factors,
      neededBytes: need.memory.neededBytes,
      maxmemoryBytesPerShard: Math.ceil(need.memory.dataBytes / shards),
    },
    topology: {
      mode: need.topology.mode,
      shards,
      replicasPerShard: need.topology.replicasPerShard,
      reason: need.topology.reason,
    },
    connections: need.connections,
    throughput: { peakOpsPerSecond: need.peakOps, opsPerShardLimit: TOPOLOGY.opsPerShard.value },
    choices,
    kubernetes: kubernetesResources(ctx, shards),
    kubernetesLayouts: kubernetesLayouts(ctx),
    reference,
    ...(spec.sizing && need.derived ? { sizing: pinnedSizing(spec.sizing, need, policy) } : {}),
    serverless: planServerlessNeed(need),
    notes: [...notes(need, reference), ...pinNotes(spec, need, policy), ...alertNotes(spec, policy)],
  };
}

function pinnedSizing(sizing: NonNullable<Spec['sizing']>, need: Need, policy: ResolvedPolicy): PinnedSizing {
  const derivedShards =
    need.topology.mode === 'cluster' || need.derived!.minShards > 1 ? need.derived!.minShards : 1;
  return {
    memoryGb: sizing.memoryGb,
    ...(sizing.shards !== undefined ? { shards: sizing.shards } : {}),
    ...(sizing.replicas !== undefined ? { replicas: sizing.replicas } : {}),
    reason: sizing.reason,
    derivedNeededBytes: need.derived!.neededBytes,
    derivedShards: policy.availability.topology === 'standalone' ? 1 : derivedShards,
  };
}

/** A pin below what the workload needs is allowed (a guide's tier), but never silent. */
function pinNotes(spec: Spec, need: Need, policy: ResolvedPolicy): string[] {
  if (!spec.sizing || !need.derived) return [];
  const pinned = need.memory.neededBytes / GB;
  const derived = need.derived.neededBytes / GB;
  const out = [
    `Capacity pinned by sizing (${spec.sizing.reason}): ${pinned.toFixed(2)} GB provisioned, ${derived.toFixed(2)} GB derived from the workload.`,
  ];
  if (pinned < derived) {
    const full =
      policy.keyspace.evictionPolicy === 'noeviction'
        ? 'writes are refused (noeviction) once it is full'
        : `keys are evicted (${policy.keyspace.evictionPolicy}) once it is full`;
    out.push(
      `The pinned ${pinned.toFixed(2)} GB is ${((1 - pinned / derived) * 100).toFixed(0)}% below the derived need: the cache holds less than the whole working set and ${full}.`,
    );
  }
  return out;
}

/**
 * The choice for one platform, or a SpecError when no option of that platform holds the workload.
 * Adapters call this instead of reading plan.choices directly.
 */
export function requireChoice(p: Plan, platform: PlatformId): Choice {
  const c = p.choices[platform];
  if (!c.available)
    throw new SpecError('workload', platform, `${c.reason}; lower the workload or drop this target`);
  return c;
}

/** The guides' capacity row at or above the workload (devices or organizations). */
export function referenceRow(spec: Spec): ReferenceRow | undefined {
  const ref = referenceCatalog();
  const src = `${ref.source.url} (${ref.source.retrieved})`;
  const w = spec.workload;
  if (w.devices) {
    const row = ref.devices.find((r) => w.devices! <= r.devices) ?? ref.devices[ref.devices.length - 1];
    return {
      kind: 'devices',
      size: row.devices,
      memoryGb: row.memoryGb,
      primaries: row.primaries,
      replicasPerPrimary: row.replicasPerPrimary,
      connections: row.connections,
      source: src,
    };
  }
  if (w.organizations) {
    const row =
      ref.organizations.find((r) => w.organizations! <= r.organizations) ??
      ref.organizations[ref.organizations.length - 1];
    return {
      kind: 'organizations',
      size: row.organizations,
      memoryGb: row.memoryGb,
      note: row.note,
      source: src,
    };
  }
  return undefined;
}

/**
 * The stated dataset whose memory need (after per-key overhead, fragmentation, growth and the reserve)
 * is `memoryGb`: the factors are linear in the dataset, so one 1 GB probe gives the ratio.
 */
export function datasetGbFor(memoryGb: number, need: Need): number {
  const growth = need.memory.factors.find((f) => f.name === 'growth headroom')?.factor;
  const probe = memoryNeed(datasetItems({ datasetGb: 1 }), need.inputs.profile as Profile, growth);
  return Math.floor((memoryGb / (probe.neededBytes / GB)) * 100) / 100;
}

/**
 * Alerts that reach nobody are easy to miss: the alarms exist and stay silent. Say where each
 * platform's alerts go when the spec names no destination.
 */
function alertNotes(spec: Spec, policy: ResolvedPolicy): string[] {
  if (!policy.alerts.enabled || policy.alerts.email) return [];
  const t = spec.targets;
  const silent = [
    t.aws && 'AWS (subscribe to the alarms SNS topic in the stack outputs)',
    t.gcp && !t.gcp.alertNotificationChannels?.length && 'GCP (or set targets.gcp.alertNotificationChannels)',
    t.azure && !t.azure.actionGroupId && 'Azure (or set targets.azure.actionGroupId)',
  ].filter((x): x is string => typeof x === 'string');
  if (silent.length === 0) return [];
  return [
    `Alerts have no destination on ${silent.join(', ')}: they fire but notify no one. Set alerts.email to have one created.`,
  ];
}

function notes(need: Need, ref: ReferenceRow | undefined): string[] {
  const out: string[] = [];
  // The guide's row is compared with what the workload derives, not with a pinned size.
  const neededGb = (need.derived?.neededBytes ?? need.memory.neededBytes) / GB;
  if (ref) {
    const ratio = ref.memoryGb / Math.max(neededGb, 0.001);
    if (ratio > 2) {
      out.push(
        `The guide's row (${int(ref.size)} ${ref.kind} -> ${ref.memoryGb} GB) is ${ratio.toFixed(1)}x the derived need of ${neededGb.toFixed(2)} GB: the row budgets for much more than the per-item figures add up to. The plan sizes to the derived need with its headroom; to size to the row instead, replace workload.${ref.kind} with workload.datasetGb: ${datasetGbFor(ref.memoryGb, need)} (the same factors then give ${ref.memoryGb} GB).`,
      );
    } else if (ratio < 1) {
      out.push(
        `The derived need of ${neededGb.toFixed(2)} GB is above the guide's row (${ref.memoryGb} GB): the row would run out of memory for this workload.`,
      );
    }
    out.push(...rowTopologyNotes(need, ref));
  }
  return out;
}

/**
 * The guide's device rows also name a topology and a connection budget. The plan derives both from
 * the workload; when it departs from the row it says why in one line, and how to follow the row.
 */
function rowTopologyNotes(need: Need, ref: ReferenceRow): string[] {
  const out: string[] = [];
  const t = need.topology;
  if (
    ref.primaries !== undefined &&
    (t.mode !== 'cluster' || t.minShards < ref.primaries) &&
    t.pinnedShards === undefined
  ) {
    const dataGb = (need.derived?.dataBytes ?? need.memory.dataBytes) / GB;
    out.push(
      `The guide's row runs ${ref.primaries} primaries + ${ref.primaries * (ref.replicasPerPrimary ?? 0)} replicas; this plan runs ${t.mode === 'cluster' ? `${t.minShards} shard(s)` : t.mode}, because ${dataGb.toFixed(1)} GB of data and ${int(need.peakOps)} ops/s fit ${t.mode === 'cluster' ? 'those shards' : 'one primary'} (cluster from ${TOPOLOGY.singleNodeMaxDataGb.value} GB or ${int(TOPOLOGY.opsPerShard.value)} ops/s per shard). To follow the row, set availability.topology: cluster and availability.minShards: ${ref.primaries}.`,
    );
  }
  if (ref.connections !== undefined && need.connections.maxclients < ref.connections) {
    const c = need.connections;
    out.push(
      `The guide's row budgets ${int(ref.connections)} connections; this workload expects ${int(c.expectedClients)} clients (pool ${c.poolSize} x ${c.applicationReplicas} application replicas + operational), so maxclients is ${int(c.maxclients)}. Raise workload.concurrentRequests (per application replica) or workload.applicationReplicas to plan for the row's clients.`,
    );
  }
  return out;
}
