/**
 * Bitnami flavor: typed values for the bitnami/redis chart 23.x (written as values-redis.yaml,
 * validated against the chart's values.schema.json and default values), plus the objects the
 * chart does not make (certificate, ExternalSecrets, NetworkPolicy for the spec's clients,
 * dashboard, backups). With a local chart (`chartPath`) the chart is rendered in-process through
 * `helm template`. The public BitnamiRedis construct (lib/public/k8s.ts) puts them together.
 */
import type { Include } from 'cdk8s';
import type { Construct } from 'constructs';
import { TOPOLOGY } from '../planner/assumptions';
import type { KubernetesResources } from '../planner/types';
import { SENTINEL_CLIENT_RULES } from '../policy/roles';
import { aclFileLine, tuningLines } from '../redisconf';
import { podAddress } from './backup';
import { includeHelmTemplate } from './helm';
import { REDIS_UID, bitnamiRedisImage, topologySpread, type K8sContext } from './context';
import { alertRules, type AlertRule } from './monitoring';
import { NAMESPACE_NAME_LABEL } from './network';
import type { FlavorPartProps } from './parts';
import {
  ACL_FILE_KEY,
  adminDefaultUser,
  credentialsSecret,
  jobRoles,
  type AclExtraFile,
  type PasswordRef,
} from './secrets';
import { TLS_FILES } from './tls';

/** Chart line these values are written for (schema copied in lib/k8s/schemas). */
export const BITNAMI_CHART_VERSION = '23.1.1';
export const BITNAMI_CHART_REF = 'oci://registry-1.docker.io/bitnamicharts/redis';
export const SENTINEL_MASTER_SET = 'mymaster';
/** The chart's Sentinel timings we set (sentinel.downAfterMilliseconds / failoverTimeout). */
export const BITNAMI_SENTINEL_DOWN_AFTER_MS = 10_000;
export const BITNAMI_SENTINEL_FAILOVER_TIMEOUT_MS = 60_000;
/** At least three Sentinels, so a failover can get a majority (the planner's TOPOLOGY.minSentinels). */
export const MIN_SENTINELS = TOPOLOGY.minSentinels.value;
/** Key of the admin password in the auth Secret (the chart's `auth.existingSecretPasswordKey`). */
export const BITNAMI_PASSWORD_KEY = 'redis-password';

interface Image {
  registry: string;
  repository: string;
  tag: string;
  /** sha256:<hex>; the chart then renders <registry>/<repository>@<digest> and ignores the tag. */
  digest?: string;
  pullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
}
interface Resources {
  requests: { cpu: string; memory: string };
  limits: { cpu?: string; memory: string };
}
interface Persistence {
  enabled: boolean;
  size?: string;
  storageClass?: string;
}
interface Pdb {
  create: boolean;
  maxUnavailable?: number | string;
  minAvailable?: number | string;
}
interface PodSecurityContext {
  enabled: boolean;
  fsGroup: number;
  seccompProfile?: { type: string };
}
interface ContainerSecurityContext {
  enabled: boolean;
  runAsUser: number;
  runAsGroup: number;
  runAsNonRoot: boolean;
  allowPrivilegeEscalation: boolean;
  readOnlyRootFilesystem: boolean;
  capabilities: { drop: string[] };
  seccompProfile?: { type: string };
}
interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector: { matchLabels: Record<string, string> };
}
interface SecretVolume {
  name: string;
  secret: { secretName: string; defaultMode: number; items?: Array<{ key: string; path: string }> };
}
interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
}
interface NodeValues {
  resources: Resources;
  persistence: Persistence;
  /** Keep the data PVCs when the release is uninstalled or scaled in (StatefulSet retention policy). */
  persistentVolumeClaimRetentionPolicy?: { enabled: true; whenScaled: 'Retain'; whenDeleted: 'Retain' };
  pdb: Pdb;
  podSecurityContext: PodSecurityContext;
  containerSecurityContext: ContainerSecurityContext;
  topologySpreadConstraints: TopologySpreadConstraint[];
  disableCommands: string[];
  extraVolumes: SecretVolume[];
  extraVolumeMounts: VolumeMount[];
}

/** Where the ACL Secret is mounted in the Redis containers. */
export const BITNAMI_ACL_DIR = '/opt/bitnami/redis/mounted-acl';

/** The subset of bitnami/redis 23.x values this project sets (every key exists in the chart's values.yaml). */
export interface BitnamiRedisValues {
  /** Object names are `<release>-master`, `<release>-headless`, ... whatever the release name. */
  fullnameOverride: string;
  /** imagePullSecrets: names of existing Secrets; the chart's common.images.renderPullSecrets takes strings. */
  global: { imagePullSecrets?: string[]; security: { allowInsecureImages: boolean } };
  image: Image;
  architecture: 'standalone' | 'replication';
  auth: {
    enabled: boolean;
    sentinel: boolean;
    existingSecret: string;
    existingSecretPasswordKey: string;
    usePasswordFiles: boolean;
    /** Off: the chart's own ACL support looks passwords up at install time (`lookup`), so `helm template` renders users with `nopass`; the ACL file comes from our Secret instead. */
    acl: { enabled: false };
  };
  commonConfiguration: string;
  tls: {
    enabled: boolean;
    authClients: boolean;
    autoGenerated: boolean;
    existingSecret: string;
    certFilename: string;
    certKeyFilename: string;
    certCAFilename: string;
  };
  master: NodeValues & { count: number };
  replica: NodeValues & { replicaCount: number };
  sentinel: {
    enabled: boolean;
    image: Image;
    masterSet: string;
    quorum: number;
    downAfterMilliseconds: number;
    failoverTimeout: number;
    /** Lines the chart appends to every sentinel.conf: our `aclfile`. Only with a Sentinel ACL. */
    configuration?: string;
    /** The ACL Secret's `sentinel.acl`, for the Sentinel container. Only with a Sentinel ACL. */
    extraVolumes?: SecretVolume[];
    extraVolumeMounts?: VolumeMount[];
  };
  metrics: {
    enabled: boolean;
    image: Image;
    extraEnvVars: Array<{ name: string; value: string }>;
    extraVolumes: Array<{ name: string; secret: { secretName: string; defaultMode: number } }>;
    extraVolumeMounts: Array<{ name: string; mountPath: string; readOnly: boolean }>;
    serviceMonitor: { enabled: boolean; interval: string; additionalLabels: Record<string, string> };
    prometheusRule: { enabled: boolean; additionalLabels: Record<string, string>; rules: AlertRule[] };
  };
  networkPolicy: {
    enabled: boolean;
    allowExternal: boolean;
    allowExternalEgress: boolean;
    /** The chart's default (allowExternal: true) opens the exporter port to every pod of the cluster. */
    metrics: {
      allowExternal: boolean;
      ingressNSMatchLabels: Record<string, string>;
      ingressNSPodMatchLabels: Record<string, string>;
    };
  };
}

export interface BitnamiLayout {
  architecture: 'standalone' | 'replication';
  sentinel: boolean;
  /** Replica pods (replication) or Redis+Sentinel pods (sentinel mode: all nodes). */
  replicaCount: number;
}

/** Standalone, replication or replication with Sentinel, as the plan laid it out (plan.kubernetesLayouts.bitnami). */
export function bitnamiLayout(ctx: K8sContext): BitnamiLayout {
  const { architecture, sentinel, replicaCount } = ctx.plan.kubernetesLayouts.bitnami;
  return { architecture, sentinel, replicaCount };
}

/**
 * Helm renders `metrics.prometheusRule.rules` through `tpl`, which would evaluate Prometheus'
 * own `{{ $labels.x }}` templates; quote them so Helm emits them literally.
 */
export function escapeForHelmTpl(text: string): string {
  return text.replace(/\{\{(.*?)\}\}/g, (_m, inner: string) => `{{ "{{" }}${inner}{{ "}}" }}`);
}

/** Pod resources for the chart's Redis pods: the plan's Bitnami layout (one primary holds the whole dataset). */
export function bitnamiResources(ctx: K8sContext): KubernetesResources {
  return ctx.plan.kubernetesLayouts.bitnami.resources;
}

export function bitnamiValues(ctx: K8sContext): BitnamiRedisValues {
  const { policy, images } = ctx;
  const plan = ctx.plan;
  const res = bitnamiResources(ctx);
  const layout = bitnamiLayout(ctx);
  const persistent = policy.persistence.rdb || policy.persistence.aof;
  const maxmemoryMb = Math.floor((res.memoryLimitMi * res.maxMemoryPercentOfLimit) / 100);
  const conf = [`maxmemory ${maxmemoryMb}mb`, ...tuningLines(policy, plan)];
  if (policy.security.tls)
    conf.push(`tls-protocols "${policy.security.tlsMinVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2 TLSv1.3'}"`);

  const podLabels = (component: string) => ({
    'app.kubernetes.io/name': 'redis',
    'app.kubernetes.io/instance': ctx.name,
    'app.kubernetes.io/component': component,
  });
  const spread = (component: string): TopologySpreadConstraint[] =>
    topologySpread(ctx.zoneSpread, podLabels(component));
  const node = (component: string): NodeValues => ({
    resources: {
      requests: { cpu: `${res.cpuRequestMilli}m`, memory: `${res.memoryRequestMi}Mi` },
      limits: { cpu: `${res.cpuLimitMilli}m`, memory: `${res.memoryLimitMi}Mi` },
    },
    persistence: persistent
      ? {
          enabled: true,
          size: `${res.storageGi}Gi`,
          ...(ctx.target.storageClass ? { storageClass: ctx.target.storageClass } : {}),
        }
      : { enabled: false },
    ...(persistent
      ? {
          persistentVolumeClaimRetentionPolicy: {
            enabled: true,
            whenScaled: 'Retain',
            whenDeleted: 'Retain',
          } as const,
        }
      : {}),
    pdb: { create: true, maxUnavailable: 1 },
    // seccomp is set per container: the chart's podSecurityContext values have no seccompProfile key.
    podSecurityContext: { enabled: true, fsGroup: REDIS_UID },
    containerSecurityContext: {
      enabled: true,
      runAsUser: REDIS_UID,
      runAsGroup: REDIS_UID,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    topologySpreadConstraints: spread(component),
    // The chart's default; CONFIG stays (Sentinel and the exporter need it) and the app user is denied it by ACL.
    disableCommands: ['FLUSHDB', 'FLUSHALL'],
    extraVolumes: [],
    extraVolumeMounts: [],
  });
  const acl = policy.security.auth && policy.security.acl;
  if (acl) conf.push(`aclfile ${BITNAMI_ACL_DIR}/${ACL_FILE_KEY}`);
  const aclVolumes = {
    extraVolumes: acl
      ? [{ name: 'redis-iac-acl', secret: { secretName: ctx.secrets.acl, defaultMode: 0o440 } }]
      : [],
    extraVolumeMounts: acl ? [{ name: 'redis-iac-acl', mountPath: BITNAMI_ACL_DIR, readOnly: true }] : [],
  };

  return {
    fullnameOverride: ctx.name,
    global: {
      // common.images.renderPullSecrets puts these on every pod of the chart (Redis, Sentinel, exporter).
      ...(ctx.imagePullSecrets.length > 0 ? { imagePullSecrets: [...ctx.imagePullSecrets] } : {}),
      security: { allowInsecureImages: substitutesChartImages(images) },
    },
    image: {
      registry: images.bitnamiRegistry,
      repository: images.bitnamiRepository,
      tag: images.bitnamiTag,
      ...(images.bitnamiDigest ? { digest: images.bitnamiDigest } : {}),
      pullPolicy: 'IfNotPresent',
    },
    architecture: layout.architecture,
    auth: {
      enabled: policy.security.auth,
      sentinel: policy.security.auth,
      existingSecret: policy.security.auth ? ctx.secrets.auth : '',
      existingSecretPasswordKey: policy.security.auth ? ctx.secrets.authKey : '',
      usePasswordFiles: true,
      acl: { enabled: false },
    },
    commonConfiguration: conf.join('\n'),
    tls: {
      enabled: policy.security.tls,
      // Clients authenticate with ACL passwords; the certificate authenticates the server to them.
      authClients: false,
      autoGenerated: false,
      existingSecret: policy.security.tls ? ctx.secrets.tls : '',
      certFilename: TLS_FILES.cert,
      certKeyFilename: TLS_FILES.key,
      certCAFilename: TLS_FILES.ca,
    },
    master: { ...node('master'), ...aclVolumes, count: 1 },
    replica: {
      ...node(layout.sentinel ? 'node' : 'replica'),
      ...aclVolumes,
      replicaCount: layout.replicaCount,
    },
    sentinel: {
      enabled: layout.sentinel,
      image: {
        registry: images.bitnamiRegistry,
        repository: images.bitnamiSentinelRepository,
        tag: images.bitnamiSentinelTag,
        ...(images.bitnamiSentinelDigest ? { digest: images.bitnamiSentinelDigest } : {}),
        pullPolicy: 'IfNotPresent',
      },
      masterSet: SENTINEL_MASTER_SET,
      // A majority of the sentinels (one per node).
      quorum: Math.floor(layout.replicaCount / 2) + 1,
      downAfterMilliseconds: BITNAMI_SENTINEL_DOWN_AFTER_MS,
      failoverTimeout: BITNAMI_SENTINEL_FAILOVER_TIMEOUT_MS,
      ...bitnamiSentinelAclValues(ctx),
    },
    metrics: {
      enabled: true,
      image: {
        registry: images.bitnamiRegistry,
        repository: images.bitnamiExporterRepository,
        tag: images.bitnamiExporterTag,
        ...(images.bitnamiExporterDigest ? { digest: images.bitnamiExporterDigest } : {}),
        pullPolicy: 'IfNotPresent',
      },
      ...bitnamiExporterAuth(ctx),
      serviceMonitor: { enabled: true, interval: '30s', additionalLabels: ctx.labels },
      prometheusRule: {
        enabled: policy.alerts.enabled,
        additionalLabels: ctx.labels,
        rules: bitnamiRules(ctx).map((r) => ({
          ...r,
          annotations: {
            summary: escapeForHelmTpl(r.annotations.summary),
            description: escapeForHelmTpl(r.annotations.description),
          },
        })),
      },
    },
    networkPolicy: {
      enabled: true,
      allowExternal: false,
      allowExternalEgress: false,
      // Only the spec's Prometheus pods may scrape (redis_exporter's /scrape?target= reuses its credentials).
      metrics: {
        allowExternal: false,
        ingressNSMatchLabels: { [NAMESPACE_NAME_LABEL]: ctx.prometheus.namespace },
        ingressNSPodMatchLabels: { ...ctx.prometheus.podLabels },
      },
    },
  };
}

/** Key of the Sentinels' ACL file in the ACL Secret (Bitnami with Sentinel and ACLs). */
export const SENTINEL_ACL_FILE_KEY = 'sentinel.acl';
/** Where the Sentinel container mounts that key. */
export const BITNAMI_SENTINEL_ACL_DIR = '/opt/bitnami/redis-sentinel/mounted-acl';

/** Whether the chart's Sentinels get their own ACL: Sentinel on, and the policy has auth with ACLs. */
function sentinelAclWanted(ctx: K8sContext): boolean {
  const sec = ctx.policy.security;
  return bitnamiLayout(ctx).sentinel && sec.auth && sec.acl;
}

/**
 * The users the chart's Sentinels accept, with password digests from `pw`:
 * - `default` with the admin password and every command: the chart authenticates to its Sentinels
 *   only that way (`requirepass` it appends to sentinel.conf; REDISCLI_AUTH=$REDIS_PASSWORD in
 *   start-sentinel.sh, start-node.sh, the prestop scripts and the ping_sentinel.sh probe), and the
 *   Sentinels log in to each other as `default` with it. It must be in the file: an aclfile without
 *   `default` resets it to `nopass` on load, dropping the `requirepass` before it (seen on 7.0.15).
 * - the application user with its own password and only {@link SENTINEL_CLIENT_RULES} (ask for the
 *   primary, replicas and Sentinels, subscribe to failover events), as on self-hosted Sentinels.
 */
export function sentinelAclFile(ctx: K8sContext, pw: (ref: PasswordRef) => string): string {
  const app = {
    name: ctx.appUser,
    enabled: true,
    rules: [...SENTINEL_CLIENT_RULES],
    purpose: 'application asking the Sentinels for the primary',
  };
  return (
    [aclFileLine(adminDefaultUser(ctx), `#${pw('admin')}`), aclFileLine(app, `#${pw('app')}`)].join('\n') +
    '\n'
  );
}

/** The Sentinels' ACL as a further file of the `<name>-acl` Secret (none without Sentinel or ACLs). */
export function bitnamiSentinelAcl(ctx: K8sContext): AclExtraFile[] {
  return sentinelAclWanted(ctx)
    ? [{ fileKey: SENTINEL_ACL_FILE_KEY, render: (pw) => sentinelAclFile(ctx, pw) }]
    : [];
}

/**
 * Chart 23.1.1 has no value for Sentinel users (its `auth.acl.sentinel` looks passwords up at install
 * time and writes them into the ConfigMap). Its supported knobs do it instead: `sentinel.configuration`
 * is appended to the sentinel.conf every Sentinel starts from and adds `aclfile`; the file is the
 * `sentinel.acl` key of the ACL Secret (SHA-256 digests only), mounted read-only into the Sentinel
 * container alone through `sentinel.extraVolumes` / `extraVolumeMounts`. The chart's
 * `requirepass` line stays: it sets the same admin password on `default`.
 */
export function bitnamiSentinelAclValues(
  ctx: K8sContext,
): Pick<BitnamiRedisValues['sentinel'], 'configuration' | 'extraVolumes' | 'extraVolumeMounts'> {
  // Without one the chart's defaults stay (no configuration, no extra volume).
  if (!sentinelAclWanted(ctx)) return {};
  const dir = BITNAMI_SENTINEL_ACL_DIR;
  return {
    configuration: `aclfile ${dir}/${SENTINEL_ACL_FILE_KEY}`,
    extraVolumes: [
      {
        name: 'redis-iac-sentinel-acl',
        secret: {
          secretName: ctx.secrets.acl,
          defaultMode: 0o440,
          items: [{ key: SENTINEL_ACL_FILE_KEY, path: SENTINEL_ACL_FILE_KEY }],
        },
      },
    ],
    extraVolumeMounts: [{ name: 'redis-iac-sentinel-acl', mountPath: dir, readOnly: true }],
  };
}

/** Where the metrics credentials Secret is mounted in the exporter container. */
export const BITNAMI_METRICS_CREDENTIALS_DIR = '/opt/redis-iac/metrics';

/**
 * The exporter never runs CONFIG (`CONFIG GET masterauth` would hand it the replication password).
 * With ACLs it authenticates as the metrics user of lib/policy/roles.ts instead of `default` with
 * the admin password. Chart 23.1.1 has no value for the exporter's user or password source, and its
 * Sentinel StatefulSet ignores `metrics.command`; every exporter container does run
 * `export REDIS_PASSWORD="$(< $REDIS_PASSWORD_FILE)"` and renders `metrics.extraEnvVars` after its
 * own REDIS_USER=default and REDIS_PASSWORD_FILE. For a name given twice Kubernetes uses the last
 * entry, so these two point the exporter at the `<name>-metrics-credentials` Secret, mounted read-only.
 */
export function bitnamiExporterAuth(
  ctx: K8sContext,
): Pick<BitnamiRedisValues['metrics'], 'extraEnvVars' | 'extraVolumes' | 'extraVolumeMounts'> {
  const extraEnvVars = [{ name: 'REDIS_EXPORTER_CONFIG_COMMAND', value: '-' }];
  if (!jobRoles(ctx).includes('metrics')) return { extraEnvVars, extraVolumes: [], extraVolumeMounts: [] };
  const dir = BITNAMI_METRICS_CREDENTIALS_DIR;
  return {
    extraEnvVars: [
      ...extraEnvVars,
      { name: 'REDIS_USER', value: ctx.roles.metrics.user },
      { name: 'REDIS_PASSWORD_FILE', value: `${dir}/password` },
    ],
    extraVolumes: [
      {
        name: 'redis-iac-metrics',
        secret: { secretName: credentialsSecret(ctx, 'metrics'), defaultMode: 0o440 },
      },
    ],
    extraVolumeMounts: [{ name: 'redis-iac-metrics', mountPath: dir, readOnly: true }],
  };
}

/**
 * The images the chart ships with (the `images` annotation of bitnami/redis 23.1.1's Chart.yaml:
 * docker.io/bitnami/redis, redis-sentinel, redis-exporter).
 */
export const BITNAMI_CHART_IMAGES = [
  'docker.io/bitnami/redis',
  'docker.io/bitnami/redis-sentinel',
  'docker.io/bitnami/redis-exporter',
];

/**
 * `global.security.allowInsecureImages`, which the chart needs exactly when an image's
 * `<registry>/<repository>` is not one of {@link BITNAMI_CHART_IMAGES}: bitnami/common's
 * `common.errors.insecureImages` compares those names with the chart's `images` annotation and fails
 * the render for any other ("Original containers have been substituted"); the switch turns that
 * failure into a warning. It compares names only: it verifies no signature, turns off no TLS and
 * changes no pull policy or security context, so it weakens nothing this project relies on (images
 * are pinned here by tag and digest, checked against the CVE floors in production).
 */
export function substitutesChartImages(images: K8sContext['images']): boolean {
  return [images.bitnamiRepository, images.bitnamiSentinelRepository, images.bitnamiExporterRepository].some(
    (repo) => !BITNAMI_CHART_IMAGES.includes(`${images.bitnamiRegistry}/${repo}`),
  );
}

/** The alert rules for the Bitnami release (the chart's metrics Service is `<release>-metrics`). */
export function bitnamiRules(ctx: K8sContext): AlertRule[] {
  return alertRules(ctx, bitnamiPromSelector(ctx));
}

function bitnamiPromSelector(ctx: K8sContext): string {
  return `namespace="${ctx.namespace}",service="${ctx.name}-metrics"`;
}

/** Where the chart mounts `tls.existingSecret` in the Redis containers. */
export const BITNAMI_TLS_DIR = '/opt/bitnami/redis/certs';

/** host:port of every Redis pod of the release (Sentinel: `<r>-node-i`; else `<r>-master-0` and `<r>-replicas-i`). */
export function bitnamiRedisPods(ctx: K8sContext, layout: BitnamiLayout): string[] {
  const r = ctx.name;
  const headless = `${r}-headless`;
  const pods = (sts: string, n: number) =>
    Array.from({ length: n }, (_, i) => podAddress(sts, i, headless, ctx.namespace));
  if (layout.sentinel) return pods(`${r}-node`, layout.replicaCount);
  return [...pods(`${r}-master`, 1), ...pods(`${r}-replicas`, layout.replicaCount)];
}

/** Service names of a release, for the certificate. */
export function bitnamiServices(ctx: K8sContext): { services: string[]; headless: string[] } {
  const r = ctx.name;
  return { services: [r, `${r}-master`, `${r}-replicas`, `${r}-headless`], headless: [`${r}-headless`] };
}

/** What the certificate, monitoring, backup and TLS-reload parts need to know about a release. */
export function bitnamiPartProps(ctx: K8sContext): FlavorPartProps {
  const layout = bitnamiLayout(ctx);
  const svc = bitnamiServices(ctx);
  const image = bitnamiRedisImage(ctx.images);
  return {
    tls: { serviceNames: svc.services, headlessServiceNames: svc.headless },
    // ServiceMonitor and PrometheusRule come from the chart (values.metrics); the dashboard from here.
    monitoring: {
      metricsServiceLabels: {},
      promSelector: bitnamiPromSelector(ctx),
      prometheusObjects: false,
    },
    backup: {
      image,
      // One primary holds every shard's data: the backup PVC is sized for all of it.
      shards: ctx.plan.topology.shards,
      ...(layout.sentinel
        ? { primaryAmong: bitnamiRedisPods(ctx, layout) }
        : { targets: [podAddress(`${ctx.name}-master`, 0, `${ctx.name}-headless`, ctx.namespace)] }),
    },
    tlsReload: { image, targets: bitnamiRedisPods(ctx, layout), serverTlsDir: BITNAMI_TLS_DIR },
    sentinel: layout.sentinel,
  };
}

/** The chart's own objects, rendered from a local copy of the chart (a directory with Chart.yaml). */
export function addBitnamiRelease(
  scope: Construct,
  ctx: K8sContext,
  values: BitnamiRedisValues,
  chartDir: string,
): Include {
  return includeHelmTemplate(scope, 'Release', {
    dir: chartDir,
    release: ctx.name,
    namespace: ctx.namespace,
    values,
  });
}

/** The `helm install` command for the values file (chart from Bitnami's OCI registry). */
export function helmInstallCommand(ctx: K8sContext, valuesFile = 'values-redis.yaml'): string {
  return `helm install ${ctx.name} ${BITNAMI_CHART_REF} --version ${BITNAMI_CHART_VERSION} --namespace ${ctx.namespace} --values ${valuesFile}`;
}
