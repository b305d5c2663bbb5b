/**
 * `redis-iac/planner`: size Redis for a workload. The result goes into any construct's `sizing`.
 * Loads no CDK, Pulumi or cdk8s module.
 */
export {
  planRedis,
  DEFAULT_WORKLOAD,
  type PlanRedisOptions,
  type RedisPlan,
  type RedisPolicy,
  type RedisWorkload,
} from './common';
export type {
  Choice,
  CommitmentPayment,
  CommitmentTerm,
  CommittedCost,
  CostFrontier,
  KubernetesLayouts,
  MemoryFactor,
  PlatformId,
  PricingBasis,
  ServerlessCost,
} from '../planner/types';
