/**
 * What every Kubernetes construct needs to know about one deployment, derived once from the
 * policy, the plan and `spec.targets.kubernetes`: names, labels, ports, images and the secret names
 * the YAML refers to (but never contains).
 */
import type * as kplus from 'cdk8s-plus-27';
import { kubernetesCatalog } from '../catalog';
import type { Deployment } from '../deployment';
import { SpecError } from '../errors';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import { type RedisServer, roleModel, type RoleModel } from '../policy/roles';
import type { Spec } from '../spec/schema';

export type Flavor = 'opstree' | 'bitnami';
type KubernetesTarget = NonNullable<Spec['targets']['kubernetes']>;

/** Redis listens here (TLS when the policy asks for TLS: the plaintext port is off). */
export const REDIS_PORT = 6379;
/** Redis Cluster bus: always the data port + 10000. */
export const CLUSTER_BUS_PORT = REDIS_PORT + 10000;
export const SENTINEL_PORT = 26379;
/** redis_exporter's default listen port (both flavors). */
export const EXPORTER_PORT = 9121;
/**
 * Where the OpsTree redis-operator runs by default (the namespace of the install command in
 * docs/kubernetes.md; `targets.kubernetes.operatorNamespace` changes it) and the labels of its pods
 * (chart redis-operator 0.26.1, charts/redis-operator/templates/_helpers.tpl in OT-CONTAINER-KIT/
 * redis-operator: the pod template carries only `name: <redisOperator.name>`, default
 * `redis-operator`, plus `redisOperator.podLabels`; `targets.kubernetes.operatorPodSelector` changes
 * it). The operator connects to every Redis pod on the Redis port (go-redis, by pod IP) to create and
 * check the cluster, so the NetworkPolicy must admit it.
 */
export const OPSTREE_OPERATOR_NAMESPACE = 'ot-operators';
export const OPSTREE_OPERATOR_POD_LABELS: Readonly<Record<string, string>> = { name: 'redis-operator' };
/** Non-root user the Redis containers run as (both images ship a user with this id or accept it). */
export const REDIS_UID = 1001;

/** Containers of the jobs this project adds (backup, TLS reload): no privileges, nothing to write. */
export const JOB_CONTAINER_SECURITY: kplus.k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/** Pods of those jobs: the Redis image's user, RuntimeDefault seccomp; `fsGroup` where they write a volume. */
export function jobPodSecurity(fsGroup?: number): kplus.k8s.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: REDIS_UID,
    runAsGroup: REDIS_UID,
    ...(fsGroup !== undefined ? { fsGroup } : {}),
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export interface Images {
  /** OpsTree redis image (also used by the backup job of that flavor: it has redis-cli). */
  opstreeRedis: string;
  opstreeExporter: string;
  bitnamiRegistry: string;
  bitnamiRepository: string;
  bitnamiTag: string;
  /** Optional digest of the Bitnami Redis image (the chart's image.digest overrides the tag). */
  bitnamiDigest?: string;
  bitnamiSentinelRepository: string;
  bitnamiSentinelTag: string;
  bitnamiExporterRepository: string;
  bitnamiExporterTag: string;
  backupUploader: string;
}

export interface SecretNames {
  /** Admin password (key `password`); OpsTree `redisSecret`, Bitnami `auth.existingSecret`. */
  auth: string;
  authKey: string;
  /** ACL file for OpsTree (key `user.acl`); per-user passwords for Bitnami (keys = user names). */
  acl: string;
  /** What the application reads: keys `username` and `password`. */
  app: string;
  /** The exporter's, the backup job's and the TLS-reload job's credentials (keys `username`, `password`). */
  metrics: string;
  backup: string;
  tlsReload: string;
  /** cert-manager writes the server certificate here (tls.crt, tls.key, ca.crt). */
  tls: string;
}

export interface K8sContext {
  deployment: Deployment;
  policy: ResolvedPolicy;
  plan: Plan;
  target: KubernetesTarget;
  flavor: Flavor;
  namespace: string;
  /** Base name of every object of this flavor (the deployment name, with the flavor for Bitnami's release). */
  name: string;
  /** Labels on every object we create. */
  labels: Record<string, string>;
  /** Namespace and pod labels of the OpsTree operator, which the NetworkPolicy admits on the Redis port. */
  operator: { namespace: string; podLabels: Record<string, string> };
  /** Labels that select the Redis server pods of this flavor (with {@link redisPodApps}). */
  redisPodSelector: Record<string, string>;
  /** OpsTree: values of the `app` label of the leader and follower pods (empty for Bitnami). */
  redisPodApps: string[];
  /** Pods allowed to reach Redis on the data port (the spec's client selector). */
  clientPodSelector: Record<string, string>;
  secrets: SecretNames;
  images: Images;
  /** Names of existing image pull Secrets every pod of this flavor gets (empty: none, nothing emitted). */
  imagePullSecrets: string[];
  /** ACL user names (from lib/redisconf). */
  appUser: string;
  /** The role model (lib/policy/roles.ts) rendered for the Redis version of this flavor's image. */
  roles: RoleModel;
}

/** Whether the charts add the backup CronJob: RDB snapshots on and kept for at least a day. */
export function backupWanted(policy: ResolvedPolicy): boolean {
  return policy.persistence.rdb && policy.persistence.snapshotRetentionDays > 0;
}

/**
 * The Redis server this flavor runs, from its image tag (`v7.0.15`, `8.2.1-debian-12-r0`): the ACL
 * file must name only commands that version knows (Redis 7 refuses a file with an unknown
 * subcommand). Without a version in the tag, the policy's engine version.
 */
export function redisServerOf(images: Images, flavor: Flavor, policy: ResolvedPolicy): RedisServer {
  const ref = flavor === 'opstree' ? images.opstreeRedis : `${images.bitnamiRepository}:${images.bitnamiTag}`;
  const tag = /:v?(\d+\.\d+)[^/:]*$/.exec(ref.split('@')[0])?.[1];
  const engine = /valkey/i.test(ref.split(':')[0]) ? 'valkey' : 'redis';
  return tag ? { engine, version: tag } : { engine: policy.engine, version: policy.engineVersion };
}

/** Flavors the spec asks for; both when it does not say. */
export function flavorsOf(target: KubernetesTarget): Flavor[] {
  return target.flavors ?? ['opstree', 'bitnami'];
}

export function kubernetesTarget(d: Deployment): KubernetesTarget {
  const t = d.spec.targets.kubernetes;
  if (!t) {
    throw new SpecError(
      'targets.kubernetes',
      undefined,
      'add targets.kubernetes with at least `namespace` to synthesize Kubernetes charts',
      d.source,
    );
  }
  return t;
}

/** Image reference grammar (distribution/reference), reduced to what the checks need. */
const TAG = /^[\w][\w.-]{0,127}$/;
const PINNED_REF = /^[^\s]+(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const REGISTRY = new RegExp(
  `^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]+)?(?:/${PATH_COMPONENT})*$`,
);

/**
 * Images: the catalog's pinned tags, each overridden by its field of spec.targets.kubernetes.images.
 * Every image the manifests and the Bitnami values reference is here (the backup and TLS-reload jobs
 * use the flavor's Redis image).
 */
export function resolveImages(target: KubernetesTarget, source: string): Images {
  const cat = kubernetesCatalog().images as KubernetesCatalogImages;
  const o = target.images ?? {};
  const images: Images = {
    opstreeRedis: o.redis ?? cat.opstreeRedis,
    opstreeExporter: o.exporter ?? cat.opstreeExporter,
    bitnamiRegistry: o.bitnamiRegistry ?? cat.bitnamiRegistry,
    bitnamiRepository: o.bitnamiRepository ?? cat.bitnamiRepository,
    bitnamiTag: o.bitnamiTag ?? cat.bitnamiTag,
    ...(o.bitnamiDigest ? { bitnamiDigest: o.bitnamiDigest } : {}),
    bitnamiSentinelRepository: o.bitnamiSentinelRepository ?? cat.bitnamiSentinelRepository,
    bitnamiSentinelTag: o.bitnamiSentinelTag ?? cat.bitnamiSentinelTag ?? cat.bitnamiTag,
    bitnamiExporterRepository: o.bitnamiExporterRepository ?? cat.bitnamiExporterRepository,
    bitnamiExporterTag: o.bitnamiExporterTag ?? cat.bitnamiExporterTag,
    backupUploader: o.backupUploader ?? cat.backupUploader,
  };
  const fail = (field: string, value: string, fix: string): never => {
    throw new SpecError(`targets.kubernetes.images.${field}`, value, fix, source);
  };
  for (const [field, ref, example] of [
    ['redis', images.opstreeRedis, 'quay.io/opstree/redis:v7.0.15'],
    ['exporter', images.opstreeExporter, 'quay.io/opstree/redis-exporter:v1.44.0'],
    ['backupUploader', images.backupUploader, 'docker.io/amazon/aws-cli:2.15.0'],
  ] as const) {
    // A tag (or digest) is required: an untagged image means "latest", which is not reproducible.
    if (!PINNED_REF.test(ref) || ref.endsWith(':latest')) {
      fail(field, ref, `give an image pinned by tag or digest, e.g. ${example} (not :latest)`);
    }
  }
  // The chart joins these as <registry>/<repository>:<tag> (common.images.image).
  if (!REGISTRY.test(images.bitnamiRegistry)) {
    fail('bitnamiRegistry', images.bitnamiRegistry, 'give a registry host[:port][/path], e.g. docker.io');
  }
  for (const [field, repo, example] of [
    ['bitnamiRepository', images.bitnamiRepository, 'bitnamilegacy/redis'],
    ['bitnamiSentinelRepository', images.bitnamiSentinelRepository, 'bitnamilegacy/redis-sentinel'],
    ['bitnamiExporterRepository', images.bitnamiExporterRepository, 'bitnamilegacy/redis-exporter'],
  ] as const) {
    if (!REPOSITORY.test(repo)) {
      fail(field, repo, `give a repository path without registry or tag, e.g. ${example}`);
    }
  }
  for (const [field, tag, example] of [
    ['bitnamiTag', images.bitnamiTag, '8.2.1-debian-12-r0'],
    ['bitnamiSentinelTag', images.bitnamiSentinelTag, '8.2.1-debian-12-r0'],
    ['bitnamiExporterTag', images.bitnamiExporterTag, '1.76.0-debian-12-r0'],
  ] as const) {
    if (!TAG.test(tag) || tag === 'latest') fail(field, tag, `pin a versioned tag such as ${example}`);
  }
  return images;
}

/**
 * The Bitnami Redis image as the chart renders it (common.images.image: <registry>/<repository>:<tag>,
 * or @<digest> when image.digest is set); the backup and TLS-reload jobs of that flavor run it too.
 */
export function bitnamiRedisImage(images: Images): string {
  const base = `${images.bitnamiRegistry}/${images.bitnamiRepository}`;
  return images.bitnamiDigest ? `${base}@${images.bitnamiDigest}` : `${base}:${images.bitnamiTag}`;
}

/** Pod-spec `imagePullSecrets` for the spec's pull secrets; undefined (no key) when there are none. */
export function podPullSecrets(
  ctx: Pick<K8sContext, 'imagePullSecrets'>,
): Array<{ name: string }> | undefined {
  return ctx.imagePullSecrets.length > 0 ? ctx.imagePullSecrets.map((name) => ({ name })) : undefined;
}

/** The catalog's image block; the sentinel tag was added to the catalog after the type. */
type KubernetesCatalogImages = ReturnType<typeof kubernetesCatalog>['images'] & {
  bitnamiSentinelTag?: string;
};

/** Where the OpsTree operator runs: the spec's namespace and pod labels, or the chart's defaults. */
export function operatorOf(target: KubernetesTarget): K8sContext['operator'] {
  return {
    namespace: target.operatorNamespace ?? OPSTREE_OPERATOR_NAMESPACE,
    podLabels: { ...(target.operatorPodSelector ?? OPSTREE_OPERATOR_POD_LABELS) },
  };
}

export function makeContext(d: Deployment, flavor: Flavor): K8sContext {
  const target = kubernetesTarget(d);
  const base = d.policy.name;
  const name = flavor === 'opstree' ? base : `${base}-bitnami`;
  const labels = {
    'app.kubernetes.io/part-of': base,
    'app.kubernetes.io/managed-by': 'redis-iac',
    'redis-iac/flavor': flavor,
  };
  const redisPodSelector: Record<string, string> =
    flavor === 'opstree'
      ? // The OpsTree operator labels RedisCluster pods `redis_setup_type: cluster`, `role: leader|follower`
        // and `app: <name>-leader|<name>-follower` (it does not copy the CR's labels to pods).
        { redis_setup_type: 'cluster' }
      : // Labels the Bitnami chart puts on every Redis and Sentinel pod of the release.
        { 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': name };
  const clientPodSelector = target.clientPodSelector ?? { 'redis-iac/client': base };
  const images = resolveImages(target, d.source);
  const roles = roleModel(d.policy, redisServerOf(images, flavor, d.policy));
  return {
    deployment: d,
    policy: d.policy,
    plan: d.plan,
    target,
    flavor,
    namespace: target.namespace,
    name,
    labels,
    operator: operatorOf(target),
    redisPodSelector,
    redisPodApps: flavor === 'opstree' ? [`${base}-leader`, `${base}-follower`] : [],
    clientPodSelector,
    secrets: {
      auth: `${name}-auth`,
      authKey: 'password',
      acl: `${name}-acl`,
      app: `${name}-app-credentials`,
      metrics: `${name}-metrics-credentials`,
      backup: `${name}-backup-credentials`,
      tlsReload: `${name}-tls-reload-credentials`,
      tls: `${name}-tls`,
    },
    images,
    imagePullSecrets: [...new Set(target.imagePullSecrets ?? [])],
    appUser: roles.app.user,
    roles,
  };
}
