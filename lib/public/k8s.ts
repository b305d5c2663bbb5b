/**
 * `redis-iac/k8s`: the two Kubernetes flavors as cdk8s constructs for any Chart of a user's own
 * cdk8s app, and their parts (NetworkPolicy, TLS certificates, monitoring, backup CronJob) as
 * constructs of their own.
 *
 * Each construct maps plain props onto the pipeline's policy, plan and Kubernetes context, builds
 * the pipeline's own chart for that flavor (lib/k8s/opstree.ts, lib/k8s/bitnami.ts) in a private
 * app, validates every object exactly as `npm run synth` does (kubernetes-models, the CRD schemas,
 * the Bitnami values schema, name lengths, no secret material), and adds the objects of the parts
 * asked for to the user's scope. So the user's manifests are the pipeline's, part for part.
 * This entry point loads cdk8s and cdk8s-plus-27 only (no aws-cdk-lib, no Pulumi).
 */
import { ApiObject, App } from 'cdk8s';
import { Construct } from 'constructs';
import type { ConnectionContract } from '../contract';
import type { Deployment } from '../deployment';
import {
  BITNAMI_CHART_VERSION,
  BitnamiChart,
  helmInstallCommand,
  type BitnamiRedisValues,
} from '../k8s/bitnami';
import { makeContext, type Flavor, type K8sContext } from '../k8s/context';
import { addConnectionConfigMap, kubernetesContract } from '../k8s/contract';
import { OpsTreeChart, MIN_LEADERS } from '../k8s/opstree';
import { assertNoSecretMaterial, checkNameLengths } from '../k8s/synth';
import { validateBitnamiValues, validateObjects, type ManifestObject } from '../k8s/validate';
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
}

/** Everything a flavor renders, before the parts are picked. */
interface Rendered {
  deployment: Deployment;
  objects: Array<{ part: RedisPart | 'core'; json: ManifestObject }>;
  secretCommands: string[];
  values?: BitnamiRedisValues;
}

/** Which part an object belongs to: the id of its construct under the flavor's chart. */
function partOf(path: string, chartId: string): RedisPart | 'core' {
  const top = path.slice(chartId.length + 1).split('/')[0];
  if (top === 'Tls' || top === 'TlsReload') return 'tls';
  if (top === 'Monitoring') return 'monitoring';
  if (top === 'Backup') return 'backup';
  if (top === 'NetworkPolicy') return 'networkPolicy';
  if (top === 'Connection') return 'connection';
  return 'core';
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

/**
 * Build the pipeline's chart of a flavor in a private app and validate every object the way
 * `npm run synth` does; nothing is added to the user's app if anything fails.
 */
function render(source: string, d: Deployment, flavor: Flavor): Rendered {
  return asProps(source, () => {
    const ctx = makeContext(d, flavor);
    const app = new App();
    const chartId = `${ctx.name}-${flavor}`;
    const bitnami = flavor === 'bitnami' ? new BitnamiChart(app, chartId, { ctx }) : undefined;
    const chart = bitnami ?? new OpsTreeChart(app, chartId, { ctx });
    addConnectionConfigMap(chart, d, flavor);
    const all = chart.toJson() as ManifestObject[];
    const values = bitnami?.values;
    if (values) validateBitnamiValues(values);
    checkNameLengths(d, flavor, all);
    validateObjects(all);
    assertNoSecretMaterial(all, values);
    const objects = (chart.node.findAll().filter((c) => c instanceof ApiObject) as ApiObject[]).map((o) => ({
      part: partOf(o.node.path, chartId),
      json: o.toJson() as ManifestObject,
    }));
    return { deployment: d, objects, secretCommands: chart.secretCommands, values };
  });
}

/** Adds the objects of the wanted parts to `scope` (as plain ApiObjects, namespaced as rendered). */
function emit(
  scope: Construct,
  rendered: Rendered,
  wanted: (part: RedisPart | 'core') => boolean,
): ApiObject[] {
  return rendered.objects
    .filter((o) => wanted(o.part))
    .map(({ json }) => {
      const { apiVersion, kind, metadata, ...rest } = json as ManifestObject & Record<string, unknown>;
      return new ApiObject(scope, `${kind}-${metadata?.name ?? ''}`, { apiVersion, kind, metadata, ...rest });
    });
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

  protected constructor(
    scope: Construct,
    id: string,
    rendered: Rendered,
    flavor: Flavor,
    parts?: RedisKubernetesProps['parts'],
  ) {
    super(scope, id);
    this.policy = rendered.deployment.policy;
    this.plan = rendered.deployment.plan;
    this.secretCommands = rendered.secretCommands;
    this.contract = kubernetesContract(rendered.deployment, flavor);
    this.apiObjects = emit(this, rendered, (part) => part === 'core' || parts?.[part] !== false);
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
    const source = constructSource('OpsTreeRedisCluster', scope.node.path ? `${scope.node.path}/${id}` : id);
    checkInt(
      source,
      'shards',
      props?.shards,
      MIN_LEADERS,
      1000,
      `a RedisCluster needs at least ${MIN_LEADERS} leaders for a slot majority; for a single primary use BitnamiRedis`,
    );
    checkInt(source, 'replicasPerShard', props?.replicasPerShard, 0, 5, 'followers per leader');
    const d = deploymentFor(source, id, 'opstree', props, {
      shards: props?.shards,
      replicasPerShard: props?.replicasPerShard,
    });
    super(scope, id, render(source, d, 'opstree'), 'opstree', props.parts);
  }
}

/**
 * The Bitnami redis chart's values (one primary, replicas, Sentinel with automatic failover; TLS,
 * ACL, persistence, metrics) plus the objects the chart does not create: cert-manager TLS, the ACL
 * template, dashboard, backup CronJob, NetworkPolicy and the `<name>-connection` ConfigMap.
 * Install the chart with `helmCommand` and the values written to a file.
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
    const source = constructSource('BitnamiRedis', scope.node.path ? `${scope.node.path}/${id}` : id);
    checkInt(source, 'replicas', props?.replicas, 0, 5, 'replicas of the primary');
    const d = deploymentFor(source, id, 'bitnami', props, { replicasPerShard: props?.replicas });
    const rendered = render(source, d, 'bitnami');
    super(scope, id, rendered, 'bitnami', props.parts);
    this.values = rendered.values!;
    this.ctx = makeContext(d, 'bitnami');
  }

  /** `helm install` for these values written to `valuesFile`. */
  helmCommand(valuesFile = 'values-redis.yaml'): string {
    return helmInstallCommand(this.ctx, valuesFile);
  }
}

/** Props of a part construct: the flavor's props and which flavor the part belongs to. */
export type RedisPartProps = (OpsTreeRedisClusterProps | BitnamiRedisProps) & {
  /**
   * The flavor the part is for (selectors, names and ports follow it).
   * @default 'opstree'
   */
  readonly flavor?: Flavor;
};

/**
 * Render one part for `props` before the construct exists, so a wrong prop (or a part the policy
 * does not create) leaves nothing half-added to the user's chart.
 */
function renderPart(
  construct: string,
  part: RedisPart,
  scope: Construct,
  id: string,
  props: RedisPartProps,
): Rendered {
  const source = constructSource(construct, scope.node.path ? `${scope.node.path}/${id}` : id);
  const flavor = props?.flavor ?? 'opstree';
  if (flavor !== 'opstree' && flavor !== 'bitnami')
    throw propError(source, 'flavor', flavor, 'use opstree or bitnami');
  const { flavor: _f, ...rest } = props;
  const o = rest as OpsTreeRedisClusterProps & BitnamiRedisProps;
  const sizes =
    flavor === 'opstree'
      ? { shards: o.shards, replicasPerShard: o.replicasPerShard }
      : { replicasPerShard: o.replicas };
  const rendered = render(source, deploymentFor(source, id, flavor, rest, sizes), flavor);
  if (!rendered.objects.some((x) => x.part === part)) {
    throw propError(
      source,
      'policy',
      part,
      `the policy creates no ${part} objects (e.g. TLS off, or backups off without snapshots); drop this construct or change the policy`,
    );
  }
  return rendered;
}

/** One part of a flavor, rendered with the same props as the flavor construct. */
abstract class RedisPartConstruct extends Construct {
  readonly apiObjects: ApiObject[];

  protected constructor(scope: Construct, id: string, rendered: Rendered, part: RedisPart) {
    super(scope, id);
    this.apiObjects = emit(this, rendered, (p) => p === part);
  }
}

/** The NetworkPolicy: Redis ports only from the client pods (and the operator, the backup and TLS-reload jobs). */
export class RedisNetworkPolicy extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, renderPart('RedisNetworkPolicy', 'networkPolicy', scope, id, props), 'networkPolicy');
  }
}

/** cert-manager Issuers and Certificates of the server certificate, and the CronJob that reloads it. */
export class RedisTlsCertificates extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, renderPart('RedisTlsCertificates', 'tls', scope, id, props), 'tls');
  }
}

/** ServiceMonitor, PrometheusRule (OpsTree; Bitnami's come from the chart values) and the dashboard ConfigMap. */
export class RedisMonitoring extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, renderPart('RedisMonitoring', 'monitoring', scope, id, props), 'monitoring');
  }
}

/** The backup CronJob with its scripts, ServiceAccount and PVC (and S3 upload when configured). */
export class RedisBackupJob extends RedisPartConstruct {
  constructor(scope: Construct, id: string, props: RedisPartProps) {
    super(scope, id, renderPart('RedisBackupJob', 'backup', scope, id, props), 'backup');
  }
}
