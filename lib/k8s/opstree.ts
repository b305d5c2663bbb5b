/**
 * OpsTree flavor: a RedisCluster (redis.redis.opstreelabs.in/v1beta2) managed by the
 * OT-CONTAINER-KIT redis-operator, plus everything around it (certificate, credentials,
 * network policy, monitoring, backups).
 */
import { Chart, type ChartProps } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import {
  RedisCluster,
  RedisClusterSpecKubernetesConfigResourcesLimits as Limits,
  RedisClusterSpecKubernetesConfigResourcesRequests as Requests,
  RedisClusterSpecKubernetesConfigServiceServiceType,
  RedisClusterSpecRedisExporterResourcesLimits as ExporterLimits,
  RedisClusterSpecRedisExporterResourcesRequests as ExporterRequests,
  RedisClusterSpecStorageNodeConfVolumeClaimTemplateSpecResourcesRequests as NodeConfStorage,
  RedisClusterSpecStorageVolumeClaimTemplateSpecResourcesRequests as DataStorage,
} from '../../k8s/imports/redis.redis.opstreelabs.in';
import { SpecError } from '../errors';
import { TOPOLOGY } from '../planner/assumptions';
import { tuningLines } from '../redisconf';
import { podAddress, RedisBackup } from './backup';
import { backupWanted, EXPORTER_PORT, podPullSecrets, type K8sContext } from './context';
import { RedisMonitoring } from './monitoring';
import { RedisNetworkPolicy } from './network';
import { addRedisAuth, credentialsSecret, jobRoles } from './secrets';
import { RedisTls, RedisTlsReload, TLS_FILES } from './tls';

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

export interface OpsTreeChartProps extends ChartProps {
  readonly ctx: K8sContext;
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
      'give a Redis 6 or later image with a version tag (a digest may follow), e.g. quay.io/opstree/redis:v7.0.15; the operator reads the major version from it',
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

export class OpsTreeChart extends Chart {
  readonly ctx: K8sContext;
  readonly layout: OpsTreeLayout;
  readonly cluster: RedisCluster;
  /** Commands that create the Secrets by hand (empty with an external secret store). */
  readonly secretCommands: string[];

  constructor(scope: Construct, id: string, props: OpsTreeChartProps) {
    super(scope, id, { ...props, namespace: props.ctx.namespace, labels: props.ctx.labels });
    const ctx = (this.ctx = props.ctx);
    const { policy, plan } = ctx;
    const res = plan.kubernetesLayouts.opstree.resources;
    const layout = (this.layout = opstreeLayout(ctx));
    const name = ctx.name;
    const meta = (n: string, annotations?: Record<string, string>) => ({
      name: n,
      namespace: ctx.namespace,
      annotations,
    });

    // Extra redis.conf lines from the shared renderer; TLS protocol floor from the policy. The image's
    // entrypoint includes this file last, so these lines win over what it generated.
    // maxmemory is written here: operator 0.26 only turns maxMemoryPercentOfLimit into a REDIS_MAX_MEMORY
    // variable, which the quay.io/opstree/redis entrypoint never reads (only the operator's alpha
    // GenerateConfigInInitContainer path does); without the line Redis has no maxmemory at all.
    const confLines = [`maxmemory ${opstreeMaxmemoryMb(res)}mb`, ...tuningLines(policy, plan)];
    if (policy.security.tls) {
      confLines.push(
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
    const config = new kplus.ConfigMap(this, 'RedisConfig', {
      metadata: meta(`${name}-redis-config`),
      data: { [ADDITIONAL_CONFIG_KEY]: confLines.join('\n') + '\n' },
    });

    const { aclSecret, secretCommands } = addRedisAuth(this, ctx);
    this.secretCommands = secretCommands;

    const leaderSts = `${name}-leader`;
    const followerSts = `${name}-follower`;
    const tls = policy.security.tls
      ? new RedisTls(this, 'Tls', {
          ctx,
          serviceNames: [leaderSts, followerSts, `${leaderSts}-additional`, `${followerSts}-additional`],
          headlessServiceNames: [`${leaderSts}-headless`, `${followerSts}-headless`],
        })
      : undefined;

    const persistent = policy.persistence.rdb || policy.persistence.aof;
    const spread = (app: string) => [
      {
        maxSkew: 1,
        topologyKey: 'topology.kubernetes.io/zone',
        // Production spreads over zones or refuses to schedule; otherwise best effort.
        whenUnsatisfiable: policy.availability.minZones >= 2 ? 'DoNotSchedule' : 'ScheduleAnyway',
        labelSelector: { matchLabels: { app } },
      },
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { app } },
      },
    ];
    const containerSecurity = {
      allowPrivilegeEscalation: false,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    };
    const roleConfig = { additionalRedisConfig: config.name };

    this.cluster = new RedisCluster(this, 'RedisCluster', {
      metadata: {
        name,
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
        redisConfig: { maxMemoryPercentOfLimit: res.maxMemoryPercentOfLimit },
        podSecurityContext: {
          runAsNonRoot: true,
          runAsUser: OPSTREE_UID,
          runAsGroup: OPSTREE_UID,
          fsGroup: OPSTREE_UID,
          seccompProfile: { type: 'RuntimeDefault' },
        },
        kubernetesConfig: {
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
          redisSecret: policy.security.auth
            ? { name: ctx.secrets.auth, key: ctx.secrets.authKey }
            : undefined,
          service: { serviceType: RedisClusterSpecKubernetesConfigServiceServiceType.CLUSTER_IP },
          persistentVolumeClaimRetentionPolicy: {
            whenDeleted: policy.availability.deletionProtection ? 'Retain' : 'Delete',
            whenScaled: 'Retain',
          },
        },
        redisLeader: {
          replicas: layout.leaders,
          redisConfig: roleConfig,
          pdb: { enabled: true, maxUnavailable: 1 },
          topologySpreadConstraints: spread(leaderSts),
          securityContext: containerSecurity,
        },
        redisFollower: {
          replicas: layout.followers,
          redisConfig: roleConfig,
          pdb: layout.followers > 0 ? { enabled: true, maxUnavailable: 1 } : undefined,
          topologySpreadConstraints: spread(followerSts),
          securityContext: containerSecurity,
        },
        redisExporter: {
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
          securityContext: { ...containerSecurity, readOnlyRootFilesystem: true },
        },
        storage: persistent
          ? {
              keepAfterDelete: policy.availability.deletionProtection,
              volumeClaimTemplate: {
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: ctx.target.storageClass,
                  resources: { requests: { storage: DataStorage.fromString(`${res.storageGi}Gi`) } },
                },
              },
              // nodes.conf on its own small volume, so a pod keeps its cluster identity across restarts.
              nodeConfVolume: true,
              nodeConfVolumeClaimTemplate: {
                spec: {
                  accessModes: ['ReadWriteOnce'],
                  storageClassName: ctx.target.storageClass,
                  resources: { requests: { storage: NodeConfStorage.fromString('1Gi') } },
                },
              },
            }
          : undefined,
        tls: tls
          ? {
              ca: TLS_FILES.ca,
              cert: TLS_FILES.cert,
              key: TLS_FILES.key,
              secret: { secretName: tls.secretName },
            }
          : undefined,
        acl: aclSecret ? { secret: { secretName: aclSecret } } : undefined,
      },
    });

    // Scraped through the operator's own `<role>-metrics` Services (exporter port only): its other
    // Services also carry the exporter port, which would make Prometheus scrape each pod several times.
    new RedisMonitoring(this, 'Monitoring', {
      ctx,
      metricsServiceLabels: { ...OPSTREE_METRICS_SERVICE_LABELS },
      metricsServiceApps: layout.followers > 0 ? [leaderSts, followerSts] : [leaderSts],
      metricsPortName: OPSTREE_METRICS_PORT_NAME,
      promSelector: `namespace="${ctx.namespace}",service=~"${name}-(leader|follower)-metrics"`,
    });

    const backup = backupWanted(policy)
      ? new RedisBackup(this, 'Backup', {
          ctx,
          image: ctx.images.opstreeRedis,
          targets: Array.from({ length: layout.leaders }, (_, i) =>
            podAddress(leaderSts, i, `${leaderSts}-headless`, ctx.namespace),
          ),
          shards: layout.leaders,
        })
      : undefined;
    const pods = [
      ...Array.from({ length: layout.leaders }, (_, i) =>
        podAddress(leaderSts, i, `${leaderSts}-headless`, ctx.namespace),
      ),
      ...Array.from({ length: layout.followers }, (_, i) =>
        podAddress(followerSts, i, `${followerSts}-headless`, ctx.namespace),
      ),
    ];
    const reload = tls
      ? new RedisTlsReload(this, 'TlsReload', {
          ctx,
          image: ctx.images.opstreeRedis,
          targets: pods,
          serverTlsDir: OPSTREE_TLS_DIR,
        })
      : undefined;
    new RedisNetworkPolicy(this, 'NetworkPolicy', {
      ctx,
      backupPodLabels: backup?.podLabels,
      tlsReloadPodLabels: reload?.podLabels,
    });
  }
}
