/**
 * `redis-iac/policy`: the shared policy — profiles with their secure defaults, the waivable rules,
 * and `resolveRedisPolicy` to see what a policy means before building anything. Loads no CDK,
 * Pulumi or cdk8s module.
 */
import type { ResolvedPolicy } from '../policy/types';
import { buildSpec, constructSource, deploymentOf, type RedisPolicy } from './common';

export {
  PROFILE_DEFAULTS,
  PRODUCTION_MINIMUMS,
  DENIED_COMMANDS,
  DEFAULT_ENGINE_VERSION,
} from '../policy/profiles';
export { PROFILES, WAIVABLE_RULES, ENGINES, EVICTION_POLICIES } from '../spec/schema';
export type { Profile, WaivableRule, Waiver, Engine } from '../spec/schema';
export type { ResolvedPolicy, AppliedWaiver } from '../policy/types';
export type { RedisPolicy } from './common';
export { SpecError } from '../errors';

/**
 * Resolve a policy the way every construct does: profile defaults, then the given settings, then
 * the checks (a production weakening needs a waiver, every waiver must be used, contradictions are
 * errors). Throws one line naming the field, the value and the fix.
 *
 * @example resolveRedisPolicy({ profile: 'staging' }).persistence.snapshotRetentionDays // 7
 */
export function resolveRedisPolicy(policy: RedisPolicy = {}, name = 'redis'): ResolvedPolicy {
  const source = constructSource('resolveRedisPolicy', name);
  return deploymentOf(buildSpec(source, name, policy), source).policy;
}
