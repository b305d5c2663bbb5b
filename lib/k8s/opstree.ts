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
import { tuningLines } from '../redisconf';
import { podAddress, RedisBackup } from './backup';
import { EXPORTER_PORT, type K8sContext } from './context';
import { RedisMonitoring } from './monitoring';
import { RedisNetworkPolicy } from './network';
import { addRedisAuth } from './secrets';
import { RedisTls, TLS_FILES } from './tls';

/** The OpsTree redis image runs as uid 1000 (the operator's samples use runAsUser/fsGroup 1000). */
export const OPSTREE_UID = 1000;
/** A RedisCluster needs at least 3 leaders: slot ownership needs a majority of primaries. */
export const MIN_LEADERS = 3;
/** Key of the additionalRedisConfig ConfigMap the operator appends to redis.conf. */
export const ADDITIONAL_CONFIG_KEY = 'redis-additional.conf';

export interface OpsTreeChartProps extends ChartProps {
  readonly ctx: K8sContext;
}

export interface OpsTreeLayout {
  leaders: number;
  followers: number;
  /** Why the layout differs from the plan, if it does. */
  note?: string;
}

/** Leaders and followers from the plan's Kubernetes choice (raised to the operator's minimum). */
export function opstreeLayout(ctx: K8sContext): OpsTreeLayout {
  const choice = ctx.plan.choices.kubernetes;
  const planned =
    ctx.plan.topology.mode === 'cluster' ? Math.max(choice.shards, ctx.plan.topology.shards) : 1;
  const leaders = Math.max(MIN_LEADERS, planned);
  const followers = leaders * choice.replicasPerShard;
  const note =
    leaders === planned
      ? undefined
      : `the plan is ${ctx.plan.topology.mode} with ${planned} shard(s); a RedisCluster needs ${MIN_LEADERS} leaders, so each leader is sized for the whole dataset`;
  return { leaders, followers, note };
}

/** `clusterVersion` must match the image's major version (`v7` for redis:v7.0.15). */
export function clusterVersionOf(image: string): string {
  const m = /:v?(\d+)\.\d+/.exec(image.split('@')[0]);
  if (!m)
    throw new Error(`cannot read the Redis major version from image "${image}"; pin a tag like v7.0.15`);
  return `v${m[1]}`;
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
    const res = plan.kubernetes;
    const layout = (this.layout = opstreeLayout(ctx));
    const name = ctx.name;
    const meta = (n: string, annotations?: Record<string, string>) => ({
      name: n,
      namespace: ctx.namespace,
      annotations,
    });

    // Extra redis.conf lines from the shared renderer; TLS protocol floor from the policy.
    const confLines = [...tuningLines(policy, plan)];
    if (policy.security.tls) {
      confLines.push(
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
    const roleConfig = {
      additionalRedisConfig: config.name,
      maxMemoryPercentOfLimit: res.maxMemoryPercentOfLimit,
    };

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
        clusterVersion: clusterVersionOf(ctx.images.opstreeRedis),
        port: 6379,
        persistenceEnabled: persistent,
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

    // One metrics Service per role: the operator's own Services share labels, which would make a
    // ServiceMonitor scrape each pod several times.
    const metricsLabels = { 'redis-iac/metrics': name };
    for (const [role, app] of [
      ['leader', leaderSts],
      ['follower', followerSts],
    ] as const) {
      if (role === 'follower' && layout.followers === 0) continue;
      new kplus.k8s.KubeService(this, `Metrics-${role}`, {
        metadata: {
          name: `${app}-metrics`,
          namespace: ctx.namespace,
          labels: { ...ctx.labels, ...metricsLabels },
        },
        spec: {
          type: 'ClusterIP',
          selector: { app, redis_setup_type: 'cluster', role },
          ports: [
            {
              name: 'metrics',
              port: EXPORTER_PORT,
              targetPort: kplus.k8s.IntOrString.fromNumber(EXPORTER_PORT),
            },
          ],
        },
      });
    }
    new RedisMonitoring(this, 'Monitoring', {
      ctx,
      metricsServiceLabels: metricsLabels,
      promSelector: `namespace="${ctx.namespace}",service=~"${name}-(leader|follower)-metrics"`,
    });

    const backupWanted = policy.persistence.rdb && policy.persistence.snapshotRetentionDays > 0;
    const backup = backupWanted
      ? new RedisBackup(this, 'Backup', {
          ctx,
          image: ctx.images.opstreeRedis,
          targets: Array.from({ length: layout.leaders }, (_, i) =>
            podAddress(leaderSts, i, `${leaderSts}-headless`, ctx.namespace),
          ),
          shards: layout.leaders,
        })
      : undefined;
    new RedisNetworkPolicy(this, 'NetworkPolicy', { ctx, backupPodLabels: backup?.podLabels });
  }
}
