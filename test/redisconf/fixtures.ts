/** Test fixtures: a policy from an example spec and a minimal plan (independent of the planner's numbers). */
import * as path from 'node:path';
import type { Plan } from '../../lib/planner/types';
import { serverlessNeed } from '../../lib/planner/cost';
import { resolvePolicy } from '../../lib/policy/resolve';
import type { ResolvedPolicy } from '../../lib/policy/types';
import { loadSpecFile } from '../../lib/spec/load';

export function examplePolicy(name: string): ResolvedPolicy {
  return resolvePolicy(loadSpecFile(path.join(__dirname, '../../examples', `${name}.yaml`)));
}

/** A plan with small fixed numbers; `maxclients` and the topology are the parts tests vary. */
export function fakePlan(overrides: Partial<Plan['topology']> = {}, maxclients = 1200): Plan {
  const pods = {
    memoryRequestMi: 128,
    memoryLimitMi: 128,
    cpuRequestMilli: 100,
    cpuLimitMilli: 500,
    maxMemoryPercentOfLimit: 75,
    storageGi: 1,
  };
  return {
    inputs: {},
    dataset: { items: [], bytes: 0, keys: 0 },
    memory: { factors: [], neededBytes: 64 * 1024 * 1024, maxmemoryBytesPerShard: 64 * 1024 * 1024 },
    topology: { mode: 'standalone', shards: 1, replicasPerShard: 0, reason: 'test', ...overrides },
    connections: {
      poolSize: 10,
      minIdle: 2,
      poolReason: 'test',
      applicationReplicas: 2,
      expectedClients: 40,
      maxclients,
    },
    throughput: { peakOpsPerSecond: 1000, opsPerShardLimit: 100000 },
    choices: {} as Plan['choices'],
    kubernetes: pods,
    kubernetesLayouts: {
      opstree: { pods: 3, resources: pods, leaders: 3, followers: 0, monthlyCostUsd: 0, reason: 'test' },
      bitnami: {
        pods: 1,
        resources: pods,
        architecture: 'standalone',
        sentinel: false,
        replicaCount: 0,
        monthlyCostUsd: 0,
        reason: 'test',
      },
    },
    serverless: serverlessNeed(
      { dataBytes: 64 * 1024 * 1024, peakOpsPerSecond: 1000, datasetBytes: 0, datasetKeys: 0 },
      1,
    ),
    notes: [],
  };
}
