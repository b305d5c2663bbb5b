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
export type { Choice, KubernetesLayouts, MemoryFactor, PlatformId } from '../planner/types';
