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

const applied = new Map<string, GuardedOptions>();

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
