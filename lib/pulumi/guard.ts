/**
 * The data guard of the Pulumi programs: for a deployment whose policy asks for deletion protection
 * (production), the resources that hold the cached data get `protect` (a `pulumi destroy` or a
 * replacement stops with an error until it is lifted) and `retainOnDelete` (if the resource still
 * leaves the program, Pulumi forgets it instead of deleting the cache in the cloud).
 *
 * It is a component transformation, so it reaches the resources the components create without
 * touching the components. Each application is logged so the offline preview can show the options
 * (the mocks only see inputs).
 */
import type * as pulumi from '@pulumi/pulumi';

/** The resource types that hold the cached data. */
export const CACHE_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'gcp:redis/instance:Instance',
  'gcp:redis/cluster:Cluster',
  'gcp:memorystore/instance:Instance',
  'azure-native:redis:Redis',
  'azure-native:redisenterprise:RedisEnterprise',
  'azure-native:redisenterprise:Database',
]);

export interface GuardedOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
}

/**
 * One log per process, shared by every copy of this module (the repo's and an installed package's
 * build/ may both be loaded by a test runner), so the preview sees what any copy applied.
 */
const LOG = Symbol.for('redis-iac.pulumi.data-guard-log');
const applied: Map<string, GuardedOptions> = ((globalThis as Record<symbol, unknown>)[LOG] ??= new Map<
  string,
  GuardedOptions
>()) as Map<string, GuardedOptions>;

/** Options the guard set during the current program run, by `type::name`; cleared by takeGuardLog. */
export function takeGuardLog(): Map<string, GuardedOptions> {
  const copy = new Map(applied);
  applied.clear();
  return copy;
}

/**
 * The transformation for a component: `undefined` when the policy does not ask for deletion
 * protection, so nothing changes for development caches.
 */
export function dataGuard(deletionProtection: boolean): pulumi.ResourceTransformation | undefined {
  if (!deletionProtection) return undefined;
  return (args) => {
    if (!CACHE_RESOURCE_TYPES.has(args.type)) return undefined;
    const opts = { ...args.opts, protect: true, retainOnDelete: true };
    applied.set(`${args.type}::${args.name}`, { protect: true, retainOnDelete: true });
    return { props: args.props, opts };
  };
}

/** Component options carrying the guard (none when it does not apply). */
export function guardedComponent(deletionProtection: boolean): pulumi.ComponentResourceOptions | undefined {
  const t = dataGuard(deletionProtection);
  return t ? { transformations: [t] } : undefined;
}

/**
 * `opts` plus the guard when the policy asks for deletion protection: the public components apply it
 * themselves, so a user's own program keeps production data the way the pipeline's does.
 */
export function withDataGuard(
  policy: { availability: { deletionProtection: boolean } },
  opts?: pulumi.ComponentResourceOptions,
): pulumi.ComponentResourceOptions | undefined {
  const guard = guardedComponent(policy.availability.deletionProtection);
  if (!guard) return opts;
  return { ...opts, transformations: [...(opts?.transformations ?? []), ...guard.transformations!] };
}
