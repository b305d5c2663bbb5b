/**
 * OpsTree flavor: the RedisCluster (redis.redis.opstreelabs.in/v1beta2) managed by the
 * OT-CONTAINER-KIT redis-operator, its redis.conf additions, and what the parts around it
 * (certificate, monitoring, backups, TLS reload) need to know about its pods and Services.
 * The public OpsTreeRedisCluster construct (lib/public/k8s.ts) puts them together.
 */
import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import {
  RedisCluster,
  RedisClusterSpecKubernetesConfigResourcesLimits as Limits,
  RedisClusterSpecKubernetesConfigResourcesRequests as Requests,
  RedisClusterSpecKubernetesConfigServiceServiceType,
  type RedisClusterSpecKubernetesConfig,
  type RedisClusterSpecRedisExporter,
  type RedisClusterSpecRedisLeader,
  type RedisClusterSpecStorage,
  RedisClusterSpecRedisExporterResourcesLimits as ExporterLimits,
  RedisClusterSpecRedisExporterResourcesRequests as ExporterRequests,
  RedisClusterSpecStorageNodeConfVolumeClaimTemplateSpecResourcesRequests as NodeConfStorage,
  RedisClusterSpecStorageVolumeClaimTemplateSpecResourcesRequests as DataStorage,
} from '../../k8s/imports/redis.redis.opstreelabs.in';
import { SpecError } from '../errors';
import { TOPOLOGY } from '../planner/assumptions';
import { tuningLines } from '../redisconf';
import { podAddress } from './backup';
import { EXPORTER_PORT, podPullSecrets, topologySpread, type K8sContext } from './context';
import type { FlavorPartProps } from './parts';
import { credentialsSecret, jobRoles } from './secrets';
import { TLS_FILES } from './tls';

/** The OpsTree redis image runs as uid 1000 (the operator's samples use runAsUser/fsGroup 1000). */
export const OPSTREE_UID = 1000;
/** A RedisCluster needs at least 3 leaders: slot ownership needs a majority of primaries (the planner's TOPOLOGY.minClusterShards). */
export const MIN_LEADERS = TOPOLOGY.minClusterShards.value;
/** Key of the additionalRedisConfig ConfigMap the operator appends to redis.conf. */
export const ADDITIONAL_CONFIG_KEY = 'redis-additional.conf';
/** Where the operator mounts the `TLS.secret` volume in the Redis and exporter containers. */
export const OPSTREE_TLS_DIR = '/tls';
/**
 * The operator 0.26 creates `<name>-leader-metrics` / `<name>-follower-metrics` itself when the exporter is
 * on (and rewrites them on every reconcile): labels `app`, `redis_setup_type`, `role` plus this component
 * label, one port named {@link OPSTREE_METRICS_PORT_NAME}. The ServiceMonitor selects those Services.
 */
export const OPSTREE_METRICS_SERVICE_LABELS: Readonly<Record<string, string>> = {
  redis_setup_type: 'cluster',
  'app.kubernetes.io/component': 'metrics',
};
export const OPSTREE_METRICS_PORT_NAME = 'redis-exporter';

/** maxmemory in MiB (Redis' `mb`): the plan's share of the container memory limit, as the operator computes it. */
export function opstreeMaxmemoryMb(res: { memoryLimitMi: number; maxMemoryPercentOfLimit: number }): number {
  return Math.floor((res.memoryLimitMi * res.maxMemoryPercentOfLimit) / 100);
}

export interface OpsTreeLayout {
  leaders: number;
  followers: number;
  /** Why the layout differs from the plan, if it does. */
  note?: string;
}

/** Leaders and followers as the plan laid them out for OpsTree (plan.kubernetesLayouts.opstree). */
export function opstreeLayout(ctx: K8sContext): OpsTreeLayout {
  const { leaders, followers, note } = ctx.plan.kubernetesLayouts.opstree;
  return { leaders, followers, note };
}

/**
 * `clusterVersion` from the image's major version. Operator 0.26.0 compares it with "v7" exactly
 * (internal/k8sutils/redis.go getEndpoint and the slot assignment, internal/agent/bootstrap/redis/
 * config.go: `cluster-announce-hostname` and, with TLS, `cluster-preferred-endpoint-type hostname`
 * only when REDIS_MAJOR_VERSION == "v7"); anything else takes its Redis 6 path (pod IPs, no hostname
 * announcement). So Redis 7 and later are all "v7", Redis 6 is "v6", and older images are refused.
 */
export function clusterVersionOf(image: string, source = 'spec'): string {
  const m = /:v?(\d+)\.\d+[^/]*$/.exec(image.split('@')[0]);
  if (!m || Number(m[1]) < 6) {
    throw new SpecError(
      'targets.kubernetes.images.redis',
      image,
      'give a Redis 6 or later image with a version tag (a digest may follow), e.g. quay.io/opstree/redis:v7.4.11; the operator reads the major version from it',
      source,
    );
  }
  return Number(m[1]) >= 7 ? 'v7' : 'v6';
}

/**
 * The exporter's environment: never CONFIG (`CONFIG GET masterauth` would hand it the replication
 * password; redis_exporter >= 1.61 skips the call on "-", older ones send an unknown command that
 * fails harmlessly), and with ACLs the metrics user of lib/policy/roles.ts. Operator 0.26 puts the
 * admin password in REDIS_PASSWORD and appends these after it (sorted by name, stable); for a
 * repeated variable Kubernetes uses the last value, so ours wins.
 */
export function exporterEnv(
  ctx: K8sContext,
): Array<{ name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }> {
  const env: ReturnType<typeof exporterEnv> = [{ name: 'REDIS_EXPORTER_CONFIG_COMMAND', value: '-' }];
  if (jobRoles(ctx).includes('metrics')) {
    const secret = credentialsSecret(ctx, 'metrics');
    env.push(
      { name: 'REDIS_USER', valueFrom: { secretKeyRef: { name: secret, key: 'username' } } },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: secret, key: 'password' } } },
    );
  }
  return env;
}

/** Redis StatefulSets the operator creates for a RedisCluster. */
function statefulSets(ctx: K8sContext): { leader: string; follower: string } {
  return { leader: `${ctx.name}-leader`, follower: `${ctx.name}-follower` };
}

/** host:port of each pod of a role's StatefulSet behind its headless Service. */
function rolePods(ctx: K8sContext, sts: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => podAddress(sts, i, `${sts}-headless`, ctx.namespace));
}

/**
 * The redis.conf lines the operator appends (additionalRedisConfig): the shared renderer's tuning and
 * the policy's TLS protocol floor. The image's entrypoint includes this file last, so these win.
 */
export function opstreeConfigLines(ctx: K8sContext): string[] {
  const { policy, plan } = ctx;
  // maxmemory is written here: operator 0.26 only turns maxMemoryPercentOfLimit into a REDIS_MAX_MEMORY
  // variable, which the quay.io/opstree/redis entrypoint never reads (only the operator's alpha
  // GenerateConfigInInitContainer path does); without the line Redis has no maxmemory at all.
  const lines = [
    `maxmemory ${opstreeMaxmemoryMb(plan.kubernetesLayouts.opstree.resources)}mb`,
    ...tuningLines(policy, plan),
  ];
  if (policy.security.tls) {
    lines.push(
      // The image's entrypoint writes `tls-ca-cert-file "$REDIS_TLS_CA_KEY"`, a variable the operator
      // renamed to REDIS_TLS_CA_CERT in 0.24: the empty value makes Redis refuse to start with
      // tls-replication/tls-cluster on. The operator mounts the TLS Secret at /tls.
      `tls-ca-cert-file ${OPSTREE_TLS_DIR}/${TLS_FILES.ca}`,
      `tls-protocols "${policy.security.tlsMinVersion === '1.3' ? 'TLSv1.3' : 'TLSv1.2 TLSv1.3'}"`,
      // Clients authenticate with ACL passwords; a client certificate is accepted but not required
      // (Redis' default would demand one from every client, the backup job included).
      'tls-auth-clients optional',
    );
  }
  return lines;
}

/** The `<name>-redis-config` ConfigMap with {@link opstreeConfigLines}. */
export function addOpsTreeConfig(scope: Construct, ctx: K8sContext): kplus.ConfigMap {
  return new kplus.ConfigMap(scope, 'RedisConfig', {
    metadata: { name: `${ctx.name}-redis-config`, namespace: ctx.namespace },
    data: { [ADDITIONAL_CONFIG_KEY]: opstreeConfigLines(ctx).join('\n') + '\n' },
  });
}

const CONTAINER_SECURITY = {
  allowPrivilegeEscalation: false,
  runAsNonRoot: true,
  capabilities: { drop: ['ALL'] },
};

/** Pod resources and the image of both roles (the operator copies them to both StatefulSets). */
function kubernetesConfig(ctx: K8sContext): RedisClusterSpecKubernetesConfig {
  const { policy } = ctx;
  const res = ctx.plan.kubernetesLayouts.opstree.resources;
  return {
    image: ctx.images.opstreeRedis,
    imagePullPolicy: 'IfNotPresent',
    // The operator copies these to the pod spec of both StatefulSets (Redis and exporter containers).
    imagePullSecrets: podPullSecrets(ctx),
    resources: {
      requests: {
        cpu: Requests.fromString(`${res.cpuRequestMilli}m`),
        memory: Requests.fromString(`${res.memoryRequestMi}Mi`),
      },
      limits: {
        cpu: Limits.fromString(`${res.cpuLimitMilli}m`),
        memory: Limits.fromString(`${res.memoryLimitMi}Mi`),
      },
    },
    redisSecret: policy.security.auth ? { name: ctx.secrets.auth, key: ctx.secrets.authKey } : undefined,
    service: { serviceType: RedisClusterSpecKubernetesConfigServiceServiceType.CLUSTER_IP },
    persistentVolumeClaimRetentionPolicy: {
      whenDeleted: policy.availability.deletionProtection ? 'Retain' : 'Delete',
      whenScaled: 'Retain',
    },
  };
}

/** Leader or follower settings (the two types are the same shape): replicas, the extra config, a PDB when there are pods, zone spreading. */
function roleSpec(
  ctx: K8sContext,
  sts: string,
  replicas: number,
  configName: string,
): RedisClusterSpecRedisLeader {
  return {
    replicas,
    redisConfig: { additionalRedisConfig: configName },
    pdb: replicas > 0 ? { enabled: true, maxUnavailable: 1 } : undefined,
    // Zones as configured (targets.kubernetes.zoneSpread; required in production), hosts best effort.
    topologySpreadConstraints: topologySpread(ctx.zoneSpread, { app: sts }),
    securityContext: CONTAINER_SECURITY,
  };
}

/** The exporter sidecar: its own image, port and least-privilege credentials (see {@link exporterEnv}). */
function exporterSpec(ctx: K8sContext): RedisClusterSpecRedisExporter {
  return {
    enabled: true,
    image: ctx.images.opstreeExporter,
    imagePullPolicy: 'IfNotPresent',
    port: EXPORTER_PORT,
    env: exporterEnv(ctx),
    resources: {
      requests: {
        cpu: ExporterRequests.fromString('50m'),
        memory: ExporterRequests.fromString('64Mi'),
      },
      limits: { memory: ExporterLimits.fromString('128Mi') },
    },
    securityContext: { ...CONTAINER_SECURITY, readOnlyRootFilesystem: true },
  };
}

/** Data volume per pod (sized by the plan) and nodes.conf on a small volume of its own; none without persistence. */
function storageSpec(ctx: K8sContext): RedisClusterSpecStorage | undefined {
  const { policy, target } = ctx;
  if (!(policy.persistence.rdb || policy.persistence.aof)) return undefined;
  const claim = (storage: DataStorage | NodeConfStorage) => ({
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: target.storageClass,
      resources: { requests: { storage } },
    },
  });
  return {
    keepAfterDelete: policy.availability.deletionProtection,
    volumeClaimTemplate: claim(
      DataStorage.fromString(`${ctx.plan.kubernetesLayouts.opstree.resources.storageGi}Gi`),
    ),
    // nodes.conf on its own small volume, so a pod keeps its cluster identity across restarts.
    nodeConfVolume: true,
    nodeConfVolumeClaimTemplate: claim(NodeConfStorage.fromString('1Gi')),
  };
}

export interface RedisClusterOptions {
  /** Name of the ConfigMap with the additional redis.conf lines. */
  readonly configName: string;
  /** Name of the ACL Secret, when ACLs are on. @default no ACL */
  readonly aclSecret?: string;
}

/**
 * The RedisCluster: leaders and followers as the plan laid them out, TLS from the cert-manager Secret
 * when the policy asks for TLS (whether or not the certificate part is added in the same chart).
 */
export function addRedisCluster(
  scope: Construct,
  ctx: K8sContext,
  options: RedisClusterOptions,
): RedisCluster {
  const { policy, plan } = ctx;
  const layout = opstreeLayout(ctx);
  const sts = statefulSets(ctx);
  const persistent = policy.persistence.rdb || policy.persistence.aof;
  return new RedisCluster(scope, 'RedisCluster', {
    metadata: {
      name: ctx.name,
      namespace: ctx.namespace,
      annotations: {
        'redis-iac/plan': plan.choices.kubernetes.reason,
        ...(layout.note ? { 'redis-iac/layout-note': layout.note } : {}),
      },
    },
    spec: {
      clusterSize: layout.leaders,
      clusterVersion: clusterVersionOf(ctx.images.opstreeRedis, ctx.deployment.source),
      port: 6379,
      persistenceEnabled: persistent,
      // Operator 0.26 reads maxMemoryPercentOfLimit for a RedisCluster from the top-level redisConfig
      // only (the per-role values are ignored); it sets REDIS_MAX_MEMORY, the config file sets maxmemory.
      redisConfig: {
        maxMemoryPercentOfLimit: plan.kubernetesLayouts.opstree.resources.maxMemoryPercentOfLimit,
      },
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: OPSTREE_UID,
        runAsGroup: OPSTREE_UID,
        fsGroup: OPSTREE_UID,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      kubernetesConfig: kubernetesConfig(ctx),
      redisLeader: roleSpec(ctx, sts.leader, layout.leaders, options.configName),
      redisFollower: roleSpec(ctx, sts.follower, layout.followers, options.configName),
      redisExporter: exporterSpec(ctx),
      storage: storageSpec(ctx),
      tls: policy.security.tls
        ? {
            ca: TLS_FILES.ca,
            cert: TLS_FILES.cert,
            key: TLS_FILES.key,
            secret: { secretName: ctx.secrets.tls },
          }
        : undefined,
      acl: options.aclSecret ? { secret: { secretName: options.aclSecret } } : undefined,
    },
  });
}

/** What the certificate, monitoring, backup and TLS-reload parts need to know about a RedisCluster. */
export function opstreePartProps(ctx: K8sContext): FlavorPartProps {
  const layout = opstreeLayout(ctx);
  const { leader, follower } = statefulSets(ctx);
  const leaders = rolePods(ctx, leader, layout.leaders);
  return {
    tls: {
      serviceNames: [leader, follower, `${leader}-additional`, `${follower}-additional`],
      headlessServiceNames: [`${leader}-headless`, `${follower}-headless`],
    },
    // Scraped through the operator's own `<role>-metrics` Services (exporter port only): its other
    // Services also carry the exporter port, which would make Prometheus scrape each pod several times.
    monitoring: {
      metricsServiceLabels: { ...OPSTREE_METRICS_SERVICE_LABELS },
      metricsServiceApps: layout.followers > 0 ? [leader, follower] : [leader],
      metricsPortName: OPSTREE_METRICS_PORT_NAME,
      promSelector: `namespace="${ctx.namespace}",service=~"${ctx.name}-(leader|follower)-metrics"`,
    },
    backup: { image: ctx.images.opstreeRedis, targets: leaders, shards: layout.leaders },
    tlsReload: {
      image: ctx.images.opstreeRedis,
      targets: [...leaders, ...rolePods(ctx, follower, layout.followers)],
      serverTlsDir: OPSTREE_TLS_DIR,
    },
    sentinel: false,
  };
}
