/**
 * `redis-iac`: the platform-neutral part of the package — the planner and the policy. Each
 * platform's constructs are in their own entry point so that a user's program loads only its own
 * toolkit: `redis-iac/aws` (aws-cdk-lib), `redis-iac/gcp` and `redis-iac/azure` (Pulumi),
 * `redis-iac/k8s` (cdk8s), `redis-iac/selfhosted` (no toolkit).
 */
export * from './planner';
export * from './policy';
export { renderSelfHosted, type SelfHostedLayoutProps, type SelfHostedOutput } from './selfhosted';
export { connectionContract, type ConnectionContract } from '../contract';
