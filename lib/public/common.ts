/**
 * The shared half of the public constructs: plain props -> a spec object -> the same policy and plan
 * the pipeline builds (lib/deployment.ts) -> the existing adapter components.
 *
 * Nothing here re-implements a policy or sizing rule: the profile defaults, waivers and
 * contradictions come from lib/policy, the sizes from lib/planner and the limits from lib/catalog.
 * This file only turns a construct's props into the spec fields those layers already read, and
 * turns their errors into one line naming the construct, the prop, the value and the fix.
 */
import { SpecError, show } from '../errors';
import { fromSpec, type Deployment } from '../deployment';
import { contextFor } from '../planner/plan';
import { computeNeed } from '../planner/need';
import { OPTIONS, type Option } from '../planner/select';
import type { Choice, Plan, PlatformId } from '../planner/types';
import { validateSpec } from '../spec/load';
import type { SpecInput } from '../spec/schema';

/**
 * The policy of a construct: a profile plus waivers and any setting the deployment spec has, in
 * the spec's own shape (see docs and `schema/deployment-spec.schema.json`). Every field is
 * optional; what is left out takes the profile's secure default (lib/policy/profiles.ts).
 *
 * @example { profile: 'staging' }
 * @example { profile: 'production', availability: { multiAz: false }, waivers: [{ rule: 'multi-az', reason: 'single-zone region' }] }
 */
export interface RedisPolicy {
  /**
   * Profile whose secure defaults apply.
   * @default 'production'
   */
  readonly profile?: SpecInput['profile'];
  /**
   * Engine.
   * @default 'redis'
   */
  readonly engine?: SpecInput['engine'];
  /**
   * Engine version "major.minor".
   * @default '7.1' for redis, '8.0' for valkey
   */
  readonly engineVersion?: string;
  /**
   * Production weakenings, each with a reason; every waiver must be used.
   * @default - none
   */
  readonly waivers?: SpecInput['waivers'];
  /** @default - the profile's: TLS 1.2+, auth with a 64-character token, encryption at rest, private networking, ACL users */
  readonly security?: SpecInput['security'];
  /** @default - the profile's: production RDB kept 15 days plus AOF everysec; staging RDB 7 days; development none */
  readonly persistence?: SpecInput['persistence'];
  /** @default - the profile's: production 1 replica per shard, automatic failover, multi-AZ, deletion protection */
  readonly availability?: SpecInput['availability'];
  /** @default - key prefix = the construct's name, volatile-lru eviction */
  readonly keyspace?: SpecInput['keyspace'];
  /** @default - the profile's thresholds (memory 90%, CPU 80%, connections 80%); off in development */
  readonly alerts?: SpecInput['alerts'];
  /**
   * Weekly UTC maintenance window "ddd:HH:MM-ddd:HH:MM".
   * @default 'sun:05:00-sun:06:00'
   */
  readonly maintenanceWindow?: string;
  /**
   * Extra tags / labels on every resource (managed-by, deployment and profile are always added).
   * @default - none
   */
  readonly tags?: Record<string, string>;
}

/** The workload `planRedis` sizes for: the spec's `workload` block. */
export type RedisWorkload = NonNullable<SpecInput['workload']>;

/** A capacity plan: what `planRedis` returns and every construct's `sizing` takes. */
export type RedisPlan = Plan;

export interface PlanRedisOptions {
  /**
   * The policy the plan is for (profile, replicas, topology). Pass the same policy to the construct.
   * @default - the production profile
   */
  readonly policy?: RedisPolicy;
  /**
   * Regions the prices are looked up in, per platform.
   * @default - each catalog's default region
   */
  readonly regions?: { aws?: string; gcp?: string; azure?: string };
}

/** Names the construct in every error: `RedisReplicationGroup "Cache"`. */
export function constructSource(construct: string, id: string): string {
  return `${construct} "${id}"`;
}

/** One-line error naming construct, prop, value and fix. */
export function propError(source: string, prop: string, value: unknown, fix: string): SpecError {
  return new SpecError(prop, value, fix, source);
}

/**
 * Size a Redis deployment for a workload, the way `npm run plan` does: memory with every factor,
 * topology, connection pool, and each platform's cheapest fitting SKU with its monthly cost.
 *
 * @param workload what to size for: the spec's `workload` block (devices, organizations, datasetGb,
 *   peakOpsPerSecond, concurrentRequests, ...). Default: `DEFAULT_WORKLOAD`, a 1 GB dataset.
 * @example planRedis({ devices: 100000 }).choices.aws.sku // 'cache.m7g.large'
 */
export function planRedis(
  workload: RedisWorkload = DEFAULT_WORKLOAD,
  options: PlanRedisOptions = {},
): RedisPlan {
  const r = options.regions ?? {};
  const targets: Record<string, unknown> = {};
  // The planner reads only the region of each target; the other fields are placeholders it ignores.
  if (r.aws) targets.aws = { region: r.aws, vpcId: 'vpc-00000000', subnetIds: ['subnet-00000000'] };
  if (r.gcp) targets.gcp = { project: 'placeholder-project', region: r.gcp, network: 'default' };
  if (r.azure) targets.azure = { resourceGroup: 'placeholder', location: r.azure };
  const spec = buildSpec('planRedis', 'redis', options.policy, { workload, targets });
  return fromSpec(spec, 'planRedis').plan;
}

/** True when `x` is a plan (from planRedis) rather than explicit sizing. */
export function isPlan(x: unknown): x is RedisPlan {
  return !!x && typeof x === 'object' && 'choices' in x && 'topology' in x && 'kubernetesLayouts' in x;
}

/**
 * The workload a construct is sized for when it gets neither `sizing` nor explicit sizes: a 1 GB
 * dataset with the planner's default traffic, i.e. the smallest production-grade size per platform.
 */
export const DEFAULT_WORKLOAD: RedisWorkload = { datasetGb: 1 };

/**
 * The workload behind explicit sizes: small enough that every SKU of the catalog is an option, so
 * the explicit one is picked from the planner's own option list (memory, connections, price).
 */
export const EXPLICIT_WORKLOAD: RedisWorkload = { datasetGb: 0.01 };

/** Policy fields a spec object takes, copied so that no other prop of a construct leaks into it. */
const POLICY_KEYS = [
  'profile',
  'engine',
  'engineVersion',
  'waivers',
  'security',
  'persistence',
  'availability',
  'keyspace',
  'alerts',
  'maintenanceWindow',
  'tags',
] as const;

/**
 * The policy fields of a spec, as a construct's `policy` prop: how the pipeline hands a spec to the
 * public constructs (lib/pulumi/program.ts), which then resolve exactly the spec's policy.
 */
export function specPolicy(spec: Pick<SpecInput, (typeof POLICY_KEYS)[number]>): RedisPolicy {
  const out: Record<string, unknown> = {};
  for (const key of POLICY_KEYS) if (spec[key] !== undefined) out[key] = spec[key];
  return out as RedisPolicy;
}

/**
 * A construct's error named as the spec field it came from, for the pipeline: `subnetId` ->
 * `targets.azure.subnetId`, `policy.security.tls` -> `security.tls` (the inverse of {@link propName}), from `source`.
 */
export function asSpecField(e: SpecError, target: string, source = 'spec'): SpecError {
  const workload = /^sizing \(planRedis (workload.*)\)$/.exec(e.field);
  const field = e.field.startsWith('policy.')
    ? e.field.slice('policy.'.length)
    : e.field === propName('name')
      ? 'name'
      : workload
        ? workload[1]
        : /^[a-zA-Z]+(\.|$)/.test(e.field) && !['sizing', 'props', 'name'].includes(e.field.split(/[ .]/)[0])
          ? `targets.${target}.${e.field}`
          : e.field;
  return new SpecError(field, e.value, e.allowed, source);
}

/**
 * The spec object for a construct: its name, its policy and the given extras, validated by the
 * spec's own schema. A schema error names the prop (`policy.security.tls`, `name`) and the source.
 */
export function buildSpec(
  source: string,
  name: string,
  policy: RedisPolicy | undefined,
  extra: Partial<SpecInput> = {},
): ReturnType<typeof validateSpec> {
  if (policy !== undefined && (policy === null || typeof policy !== 'object' || Array.isArray(policy))) {
    throw propError(source, 'policy', policy, "expected an object such as { profile: 'production' }");
  }
  const p: Record<string, unknown> = {};
  for (const key of Object.keys(policy ?? {})) {
    if (!(POLICY_KEYS as readonly string[]).includes(key)) {
      throw propError(
        source,
        `policy.${key}`,
        (policy as Record<string, unknown>)[key],
        `not a policy field; use one of ${POLICY_KEYS.join(', ')}`,
      );
    }
    p[key] = (policy as Record<string, unknown>)[key];
  }
  const merged = {
    name,
    profile: 'production',
    workload: DEFAULT_WORKLOAD,
    ...p,
    ...extra,
    availability: { ...(p.availability as object), ...(extra.availability as object) },
  };
  return asProps(source, () => validateSpec(merged, 'spec'));
}

/**
 * A spec field as the construct's prop: `security.tls` -> `policy.security.tls`,
 * `targets.gcp.project` -> `project`, `workload.devices` -> `sizing (planRedis workload.devices)`.
 */
export function propName(field: string): string {
  const target = /^targets\.[a-zA-Z]+\.(.+)$/.exec(field);
  if (target) return target[1];
  if (field === 'name') return 'name (the construct id unless given)';
  if (field.startsWith('workload')) return `sizing (planRedis ${field})`;
  if (field === 'props' || field === 'sizing' || field.startsWith('policy')) return field;
  return `policy.${field}`;
}

/** Run `fn`; a SpecError it throws is re-thrown naming the construct and the prop. */
export function asProps<T>(source: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof SpecError && !e.source.startsWith(source)) {
      throw new SpecError(propName(e.field), e.value, e.allowed, source);
    }
    throw e;
  }
}

/**
 * spec -> policy -> plan, with the source renamed: a planner or policy error names the construct.
 */
export function deploymentOf(spec: ReturnType<typeof validateSpec>, source: string): Deployment {
  return asProps(source, () => fromSpec(spec, 'spec'));
}

/**
 * Use a plan from `planRedis` instead of the construct's own minimal one. The plan must have been
 * made for the same profile, or its replica count and headroom would not match the policy.
 */
export function withPlan(d: Deployment, sizing: RedisPlan | undefined, source: string): Deployment {
  if (sizing === undefined) return d;
  if (!isPlan(sizing)) {
    throw propError(
      source,
      'sizing',
      sizing,
      'expected the result of planRedis(workload), or leave sizing out and give the explicit size props',
    );
  }
  const planned = sizing.inputs.profile;
  if (planned !== undefined && planned !== d.policy.profile) {
    throw propError(
      source,
      'sizing',
      `a plan for profile ${String(planned)}`,
      `the policy's profile is ${d.policy.profile}; call planRedis(workload, { policy }) with the same policy as the construct`,
    );
  }
  return { ...d, plan: sizing };
}

/** The platform's choice, or an error saying that nothing fits (and what to change). */
export function choiceOf(d: Deployment, platform: PlatformId, source: string): Choice {
  const c = d.plan.choices[platform];
  if (!c.available)
    throw propError(source, 'sizing', platform, `${c.reason}; lower the workload or give explicit sizes`);
  return c;
}

/**
 * Every option the planner knows for a platform under this deployment's need: the catalog's SKUs
 * and shard counts, priced. Explicit sizes are picked from here, so an explicit SKU gets the same
 * memory, connection and price figures as a planned one.
 */
export function optionsOf(d: Deployment, platform: PlatformId): Option[] {
  const need = computeNeed(d.spec, d.policy);
  return OPTIONS[platform](contextFor(d.spec, d.policy, need));
}

/** Strip the planner's bookkeeping from an option and say that the size was given, not chosen. */
export function explicitChoice(o: Option, what: string): Choice {
  const { fits: _fits, whyNot: _whyNot, commitments: _commitments, ...choice } = o;
  return { ...choice, available: true, reason: `${o.reason}; ${what} given explicitly` };
}

/**
 * The plan with one platform's choice replaced by explicit sizes, and the topology the explicit
 * shard and replica counts mean.
 */
export function planWithChoice(plan: Plan, platform: PlatformId, choice: Choice): Plan {
  return { ...plan, choices: { ...plan.choices, [platform]: choice } };
}

/** An integer in [min, max] or an error naming the prop, the value and the range. */
export function checkInt(
  source: string,
  prop: string,
  value: number | undefined,
  min: number,
  max: number,
  why: string,
): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw propError(
      source,
      prop,
      value,
      `expected an integer from ${min} to ${max} (${why}); e.g. ${prop}: ${Math.min(max, Math.max(min, 1))}`,
    );
  }
}

/** A value from a list, or an error naming the list (first entries). */
export function checkOneOf(
  source: string,
  prop: string,
  value: string | undefined,
  allowed: readonly string[],
  what: string,
): void {
  if (value === undefined) return;
  if (!allowed.includes(value)) {
    const list =
      allowed.length > 8
        ? `${allowed.slice(0, 8).join(', ')}, ... (${allowed.length} in lib/catalog)`
        : allowed.join(', ');
    throw propError(source, prop, value, `not ${what}; use one of ${list}`);
  }
}

/**
 * The explicit sizes become the policy's availability block: `shards` is the minimum the planner
 * uses, `replicasPerShard` the replica count, and more than one shard (or `clusterMode`) a cluster.
 */
export function availabilityFor(
  policy: RedisPolicy | undefined,
  sizes: { shards?: number; replicasPerShard?: number; cluster?: boolean },
): NonNullable<SpecInput['availability']> {
  const a: Record<string, unknown> = { ...(policy?.availability ?? {}) };
  if (sizes.replicasPerShard !== undefined) a.replicasPerShard = sizes.replicasPerShard;
  if (sizes.shards !== undefined) a.minShards = sizes.shards;
  if (sizes.cluster === true || (sizes.shards ?? 1) > 1) a.topology = 'cluster';
  else if (sizes.cluster === false && sizes.replicasPerShard !== undefined)
    a.topology = sizes.replicasPerShard > 0 ? 'replication' : 'standalone';
  return a as NonNullable<SpecInput['availability']>;
}

export { show };
