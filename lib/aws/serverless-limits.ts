/**
 * Usage limits of a serverless cache from the plan: the cache scales itself, and these maximums cap
 * what it may grow to (and cost). Each maximum is the plan's serverless need (plan.serverless, worked
 * out once by lib/planner for the price and these limits) divided by the share at which the usage
 * alarm fires (AWS advises alarming at 75% of a maximum), so the alarm fires when usage passes the need
 * the plan derived, and the remaining quarter is headroom before ElastiCache evicts or throttles.
 *
 * - Data storage: plan.serverless.dataStoredBytes: the memory the workload needs (every factor of
 *   lib/planner), or the pinned `sizing.memoryGb` when the spec pins memory.
 * - ECPUs per second: plan.serverless.peakEcpuPerSecond: peak operations per second times the ECPUs
 *   of one average request (in fractions, at least 1).
 */
import { awsServerlessCatalog } from '../catalog/aws-serverless';
import type { Plan } from '../planner/types';
import type { ServerlessUsageLimits } from './redis-serverless-cache';
import { BYTES_PER_LIMIT_GB } from './serverless-alarms';

/** Limits and how they were derived (for the report and the tests). */
export interface DerivedUsageLimits extends ServerlessUsageLimits {
  /** Bytes the limit was derived from (plan.serverless.dataStoredBytes). */
  readonly neededBytes: number;
  /** Peak ECPUs per second the limit was derived from (plan.serverless.peakEcpuPerSecond). */
  readonly peakEcpuPerSecond: number;
  /** One line: how the limits follow from the plan. */
  readonly reason: string;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

export function serverlessUsageLimits(plan: Plan): DerivedUsageLimits {
  const cat = awsServerlessCatalog();
  const headroom = 100 / cat.limitAlarmPercent;
  const { dataStoredBytes: neededBytes, peakEcpuPerSecond } = plan.serverless;
  const dataStorageMaxGb = clamp(
    Math.ceil((neededBytes * headroom) / BYTES_PER_LIMIT_GB),
    cat.dataStorageGb.min,
    cat.dataStorageGb.max,
  );
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
    reason: `data storage ${dataStorageMaxGb} GB, ${ecpuPerSecondMax} ECPU/s = the plan's serverless need / ${cat.limitAlarmPercent}%: ${plan.serverless.reason} (catalog bounds ${cat.dataStorageGb.min}-${cat.dataStorageGb.max} GB, ${cat.ecpuPerSecond.min}-${cat.ecpuPerSecond.max} ECPU/s)`,
  };
}
