/**
 * Workload -> dataset -> memory need, connections and topology. Platform-independent: the SKU choice
 * per platform happens in select.ts from the Need computed here.
 */
import { SpecError } from '../errors';
import type { ResolvedPolicy } from '../policy/types';
import type { Spec } from '../spec/schema';
import { CONNECTIONS, DEVICE, GB, MEMORY, ORGANIZATION, TOPOLOGY } from './assumptions';
import type { DatasetItem, MemoryFactor, Plan } from './types';
import { referenceCatalog } from '../catalog';
import { int } from '../numbers';

export interface Need {
  dataset: Plan['dataset'];
  memory: { factors: MemoryFactor[]; dataBytes: number; neededBytes: number };
  topology: {
    mode: Plan['topology']['mode'];
    minShards: number;
    /** Set when spec.sizing pins the shard count: every platform uses exactly this many. */
    pinnedShards?: number;
    replicasPerShard: number;
    reason: string;
  };
  /** What the workload alone would need, when spec.sizing pins the capacity. */
  derived?: { neededBytes: number; dataBytes: number; minShards: number };
  connections: Plan['connections'];
  peakOps: number;
  inputs: Plan['inputs'];
}

function item(name: string, count: number, bytesEach: number, keysEach = 1): DatasetItem {
  const c = Math.round(count);
  return { name, count: c, bytesEach, bytes: Math.round(c * bytesEach), keys: Math.round(c * keysEach) };
}

export function datasetItems(w: Spec['workload'], field = 'workload'): DatasetItem[] {
  const items: DatasetItem[] = [];
  if (w.devices) {
    const share = w.loggedInShare ?? DEVICE.loggedInShare.value;
    const jobs = w.pendingJobsPerDevice ?? DEVICE.pendingJobsPerDevice.value;
    const metrics = w.metricsPerDevice ?? DEVICE.metricsPerDevice.value;
    items.push(item('device cache', w.devices, DEVICE.cacheBytes.value));
    items.push(item('sessions (logged-in users)', w.devices * share, DEVICE.sessionBytes.value));
    items.push(item('pending queue jobs', w.devices * jobs, DEVICE.queueJobBytes.value));
    items.push(item('metrics', w.devices * metrics, DEVICE.metricBytes.value));
  }
  if (w.organizations) {
    items.push(
      item('organization cache', w.organizations, w.bytesPerOrganization ?? ORGANIZATION.bytes.value),
    );
  }
  if (w.datasetGb) {
    const bytes = w.datasetGb * GB;
    const keys = bytes / MEMORY.averageValueBytes.value;
    items.push({
      name: 'stated dataset',
      count: 1,
      bytesEach: Math.round(bytes),
      bytes: Math.round(bytes),
      keys: Math.round(keys),
    });
  }
  if (items.length === 0) {
    throw new SpecError(
      field,
      w,
      'expected at least one of workload.devices, workload.organizations or workload.datasetGb',
    );
  }
  return items;
}

export function memoryNeed(
  items: DatasetItem[],
  profile: ResolvedPolicy['profile'],
  growth?: number,
): Need['memory'] {
  const raw = items.reduce((s, i) => s + i.bytes, 0);
  const keys = items.reduce((s, i) => s + i.keys, 0);
  const factors: MemoryFactor[] = [];
  let bytes = raw;
  factors.push({ name: 'dataset', bytesAfter: bytes, why: 'sum of the workload items' });
  bytes += keys * MEMORY.perKeyOverheadBytes.value;
  factors.push({
    name: 'per-key overhead',
    bytesAfter: bytes,
    why: `${int(keys)} keys x ${MEMORY.perKeyOverheadBytes.value} B: ${MEMORY.perKeyOverheadBytes.why}`,
  });
  bytes *= MEMORY.fragmentation.value;
  factors.push({
    name: 'fragmentation',
    factor: MEMORY.fragmentation.value,
    bytesAfter: bytes,
    why: MEMORY.fragmentation.why,
  });
  const g = growth ?? (profile === 'production' ? MEMORY.growthProduction : MEMORY.growthOther).value;
  bytes *= g;
  factors.push({
    name: 'growth headroom',
    factor: g,
    bytesAfter: bytes,
    why: growth
      ? 'workload.growthFactor from the spec'
      : (profile === 'production' ? MEMORY.growthProduction : MEMORY.growthOther).why,
  });
  const dataBytes = Math.ceil(bytes);
  const reserveFactor = 1 / (1 - MEMORY.reserve.value);
  const neededBytes = Math.ceil(dataBytes * reserveFactor);
  factors.push({
    name: 'replication and fork buffers',
    factor: Number(reserveFactor.toFixed(4)),
    bytesAfter: neededBytes,
    why: MEMORY.reserve.why,
  });
  return { factors, dataBytes, neededBytes };
}

export function connectionNeed(w: Spec['workload']): Plan['connections'] {
  const concurrent = w.concurrentRequests ?? CONNECTIONS.defaultConcurrentRequests.value;
  const calls = w.redisCallsPerRequest ?? CONNECTIONS.defaultCallsPerRequest.value;
  const replicas = w.applicationReplicas ?? CONNECTIONS.defaultReplicas.value;
  // maxConcurrentUsers is the row's inclusive upper bound (99 for "< 100", 1,000 for "100 - 1,000").
  const row = referenceCatalog().poolSizes.find(
    (r) => r.maxConcurrentUsers === null || concurrent <= r.maxConcurrentUsers,
  )!;
  let poolSize: number;
  let poolReason: string;
  if (w.poolSize) {
    poolSize = w.poolSize;
    poolReason = `workload.poolSize fixed by the spec (the guide table suggests ${row.poolSize} for ${int(concurrent)} concurrent users)`;
  } else {
    const formula = Math.ceil((concurrent * calls) / CONNECTIONS.poolDivisor.value);
    poolSize = Math.max(CONNECTIONS.minPool.value, formula);
    poolReason = `${int(concurrent)} concurrent requests per application replica x ${calls} calls / ${CONNECTIONS.poolDivisor.value} = ${formula}${formula < CONNECTIONS.minPool.value ? `, raised to the minimum ${CONNECTIONS.minPool.value}` : ''} (guide 001's formula, which follows the calls per request; its table says ${row.poolSize} for ${int(concurrent)} concurrent users)`;
  }
  const minIdle = Math.min(poolSize, row.minIdle);
  const expectedClients = poolSize * replicas + CONNECTIONS.operational.value;
  const maxclients = Math.max(
    CONNECTIONS.minMaxclients.value,
    Math.ceil((expectedClients * CONNECTIONS.headroom.value) / 100) * 100,
  );
  return { poolSize, minIdle, poolReason, applicationReplicas: replicas, expectedClients, maxclients };
}

export function topologyNeed(
  policy: ResolvedPolicy,
  dataBytes: number,
  peakOps: number,
  pinnedShards?: number,
): Need['topology'] {
  const av = policy.availability;
  const byOps = Math.ceil(peakOps / TOPOLOGY.opsPerShard.value);
  const byData = Math.ceil(dataBytes / (TOPOLOGY.singleNodeMaxDataGb.value * GB));
  const replicasPerShard = av.replicasPerShard;
  const reasons: string[] = [];
  let mode: Need['topology']['mode'];
  if (av.topology === 'cluster') {
    mode = 'cluster';
    reasons.push('topology: cluster set in the spec');
  } else if (av.topology === 'standalone' || av.topology === 'replication') {
    mode = av.topology;
    reasons.push(`topology: ${av.topology} set in the spec`);
    if (pinnedShards !== undefined && pinnedShards > 1) {
      throw new SpecError(
        'sizing.shards',
        pinnedShards,
        `topology ${av.topology} has one shard: pin shards: 1 or use topology: cluster or auto`,
      );
    }
    if (pinnedShards === undefined && (byData > 1 || byOps > 1)) {
      throw new SpecError(
        'availability.topology',
        av.topology,
        `the workload needs ${Math.max(byData, byOps)} shards (${(dataBytes / GB).toFixed(1)} GB, ${peakOps} ops/s): use topology: cluster or auto`,
      );
    }
  } else if (pinnedShards !== undefined) {
    mode = pinnedShards > 1 ? 'cluster' : replicasPerShard > 0 ? 'replication' : 'standalone';
    reasons.push(`sizing.shards pinned at ${pinnedShards} -> ${mode}`);
  } else if (byData > 1 || byOps > 1 || av.minShards > 1) {
    mode = 'cluster';
    reasons.push(
      `auto: ${byData > 1 ? `data ${(dataBytes / GB).toFixed(0)} GB > ${TOPOLOGY.singleNodeMaxDataGb.value} GB` : byOps > 1 ? `${peakOps} ops/s > ${TOPOLOGY.opsPerShard.value} per shard` : `minShards ${av.minShards}`} -> cluster`,
    );
  } else {
    mode = replicasPerShard > 0 ? 'replication' : 'standalone';
    reasons.push(
      `auto: fits one primary (<= ${TOPOLOGY.singleNodeMaxDataGb.value} GB, <= ${TOPOLOGY.opsPerShard.value} ops/s) -> ${mode}`,
    );
  }
  if (mode === 'cluster') {
    // The policy rejects non-zero databases when the spec asks for a cluster; here the workload chose it.
    const bad = policy.keyspace.databases.findIndex((db) => db.index !== 0);
    if (bad >= 0) {
      throw new SpecError(
        `keyspace.databases.${bad}.index`,
        policy.keyspace.databases[bad].index,
        `the workload needs a cluster (${reasons[0]}) and a cluster has no SELECT: use index 0 and a key prefix per database`,
      );
    }
  }
  let minShards = 1;
  if (mode === 'cluster' && pinnedShards !== undefined) {
    minShards = pinnedShards;
    const derived = Math.max(av.minShards, byOps, byData);
    reasons.push(
      `shards = ${pinnedShards} pinned by sizing (derived: >= ${derived}; spec minimum ${av.minShards}, by ops ${byOps}, by data ${byData})`,
    );
  } else if (mode === 'cluster') {
    minShards = Math.max(av.minShards, byOps, byData);
    reasons.push(`shards >= ${minShards} (spec minimum ${av.minShards}, by ops ${byOps}, by data ${byData})`);
  }
  reasons.push(`${replicasPerShard} replica(s) per shard from the ${policy.profile} policy`);
  return {
    mode,
    minShards,
    ...(pinnedShards !== undefined ? { pinnedShards } : {}),
    replicasPerShard,
    reason: reasons.join('; '),
  };
}

export function computeNeed(spec: Spec, policy: ResolvedPolicy): Need {
  const w = spec.workload;
  const items = datasetItems(w);
  const derivedMemory = memoryNeed(items, policy.profile, w.growthFactor);
  const memory = spec.sizing ? pinnedMemory(derivedMemory, spec.sizing) : derivedMemory;
  const peakOps = w.peakOpsPerSecond ?? CONNECTIONS.defaultPeakOps.value;
  const topology = topologyNeed(policy, memory.dataBytes, peakOps, spec.sizing?.shards);
  const derived = spec.sizing
    ? {
        neededBytes: derivedMemory.neededBytes,
        dataBytes: derivedMemory.dataBytes,
        minShards: derivedShards(policy, derivedMemory.dataBytes, peakOps),
      }
    : undefined;
  const connections = connectionNeed(w);
  return {
    dataset: {
      items,
      bytes: items.reduce((s, i) => s + i.bytes, 0),
      keys: items.reduce((s, i) => s + i.keys, 0),
    },
    memory,
    topology,
    ...(derived ? { derived } : {}),
    connections,
    peakOps,
    inputs: {
      devices: w.devices,
      organizations: w.organizations,
      datasetGb: w.datasetGb,
      peakOpsPerSecond: peakOps,
      concurrentRequests: w.concurrentRequests ?? CONNECTIONS.defaultConcurrentRequests.value,
      redisCallsPerRequest: w.redisCallsPerRequest ?? CONNECTIONS.defaultCallsPerRequest.value,
      applicationReplicas: connections.applicationReplicas,
      profile: policy.profile,
    },
  };
}

/**
 * The memory need when spec.sizing pins it: the derivation stays visible, then one last step replaces
 * its result with the pinned size. The reserve for replication and fork buffers comes out of the
 * pinned size as it does out of a derived one.
 */
export function pinnedMemory(derived: Need['memory'], sizing: NonNullable<Spec['sizing']>): Need['memory'] {
  const neededBytes = Math.round(sizing.memoryGb * GB);
  const dataBytes = Math.floor(neededBytes * (1 - MEMORY.reserve.value));
  const derivedGb = (derived.neededBytes / GB).toFixed(2);
  return {
    factors: [
      ...derived.factors,
      {
        name: 'pinned by sizing',
        kind: 'pin',
        bytesAfter: neededBytes,
        why: `sizing.memoryGb ${sizing.memoryGb} GB instead of the derived ${derivedGb} GB: ${sizing.reason}`,
      },
    ],
    dataBytes,
    neededBytes,
  };
}

/** The shard count the workload alone asks for (what topologyNeed would say without a pin). */
function derivedShards(policy: ResolvedPolicy, dataBytes: number, peakOps: number): number {
  const byOps = Math.ceil(peakOps / TOPOLOGY.opsPerShard.value);
  const byData = Math.ceil(dataBytes / (TOPOLOGY.singleNodeMaxDataGb.value * GB));
  return Math.max(policy.availability.minShards, byOps, byData);
}
