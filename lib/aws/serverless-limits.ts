/**
 * Usage limits of a serverless cache from the plan: the cache scales itself, and these maximums cap
 * what it may grow to (and cost). Each maximum is the plan's need divided by the share at which the
 * usage alarm fires (AWS advises alarming at 75% of a maximum), so the alarm fires when usage passes
 * the need the plan derived, and the remaining quarter is headroom before ElastiCache evicts or
 * throttles.
 *
 * - Data storage: the memory the workload needs (every factor of lib/planner: per-key overhead,
 *   fragmentation, growth), or the pinned `sizing.memoryGb` when it is larger.
 * - ECPUs per second: the peak operations per second times the ECPUs one operation costs (1 per KB
 *   transferred, from the average value size of the dataset).
 */
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import type { Plan } from '../planner/types';
import type { ServerlessUsageLimits } from './redis-serverless-cache';
import { BYTES_PER_LIMIT_GB } from './serverless-alarms';

/** Limits and how they were derived (for the report and the tests). */
export interface DerivedUsageLimits extends ServerlessUsageLimits {
  /** Bytes the limit was derived from. */
  readonly neededBytes: number;
  /** Peak ECPUs per second the limit was derived from. */
  readonly peakEcpuPerSecond: number;
  /** One line: how the limits follow from the plan. */
  readonly reason: string;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

export function serverlessUsageLimits(plan: Plan): DerivedUsageLimits {
  const cat = awsServerlessCatalog();
  const headroom = 100 / cat.limitAlarmPercent;
  const pinned = plan.sizing ? plan.sizing.memoryGb * BYTES_PER_LIMIT_GB : 0;
  const derived = plan.sizing ? plan.sizing.derivedNeededBytes : plan.memory.neededBytes;
  const neededBytes = Math.max(derived, pinned);
  const dataStorageMaxGb = clamp(
    Math.ceil((neededBytes * headroom) / BYTES_PER_LIMIT_GB),
    cat.dataStorageGb.min,
    cat.dataStorageGb.max,
  );
  const keys = plan.dataset.keys;
  const bytesPerKey = keys > 0 ? plan.dataset.bytes / keys : 0;
  const ecpuPerOp = Math.max(1, Math.ceil((bytesPerKey / 1024) * cat.ecpuPerKb));
  const peakEcpuPerSecond = plan.throughput.peakOpsPerSecond * ecpuPerOp;
  // Rounded up to a thousand: the limit is a budget, not a measurement.
  const ecpuPerSecondMax = clamp(
    Math.ceil((peakEcpuPerSecond * headroom) / 1000) * 1000,
    cat.ecpuPerSecond.min,
    cat.ecpuPerSecond.max,
  );
  return {
    dataStorageMaxGb,
    ecpuPerSecondMax,
    neededBytes,
    peakEcpuPerSecond,
    reason: `data storage ${dataStorageMaxGb} GB = ${(neededBytes / BYTES_PER_LIMIT_GB).toFixed(2)} GB needed / ${cat.limitAlarmPercent}%; ${ecpuPerSecondMax} ECPU/s = ${plan.throughput.peakOpsPerSecond} peak ops/s x ${ecpuPerOp} ECPU per op / ${cat.limitAlarmPercent}% (catalog bounds ${cat.dataStorageGb.min}-${cat.dataStorageGb.max} GB, ${cat.ecpuPerSecond.min}-${cat.ecpuPerSecond.max} ECPU/s)`,
  };
}
