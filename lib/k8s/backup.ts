/**
 * Scheduled RDB backups: a CronJob runs lib/k8s/backup.sh (BGSAVE, copy the snapshot, verify,
 * prune by the policy's retention) at the start of the policy's snapshot window, writing to a
 * PVC, or to an emptyDir that a second container uploads to S3 and prunes there.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  JOB_CONTAINER_SECURITY,
  jobPodSecurity,
  REDIS_PORT,
  REDIS_UID,
  podPullSecrets,
  type K8sContext,
} from './context';
import { jobCredentialsEnv } from './secrets';
import { TLS_FILES } from './tls';

const k8s = kplus.k8s;

export const BACKUP_SCRIPT = fs.readFileSync(path.join(__dirname, 'backup.sh'), 'utf8');

/**
 * Upload and prune for the S3 target. AWS credentials come from the pod's identity (IRSA /
 * EKS Pod Identity on the backup ServiceAccount), never from a Secret in this YAML.
 */
export const S3_UPLOAD_SCRIPT = `#!/bin/sh
set -eu
: "\${S3_BUCKET:?}" "\${S3_PREFIX:?}" "\${BACKUP_DIR:?}" "\${DEPLOYMENT:?}" "\${RETENTION_DAYS:?}"
aws s3 cp --recursive --only-show-errors "$BACKUP_DIR/$DEPLOYMENT" "s3://$S3_BUCKET/$S3_PREFIX/" \\
  --exclude '*' --include '*dump-*.rdb' --include '*dump-*.rdb.sha256'
cutoff=$(date -u -d "-$RETENTION_DAYS days" +%Y-%m-%dT%H:%M:%SZ)
aws s3api list-objects-v2 --bucket "$S3_BUCKET" --prefix "$S3_PREFIX/" \\
  --query "Contents[?LastModified<'$cutoff'].Key" --output text | tr '\\t' '\\n' |
  while read -r key; do
    case "$key" in '' | None) continue ;; esac
    aws s3 rm --only-show-errors "s3://$S3_BUCKET/$key"
    echo "pruned s3://$S3_BUCKET/$key (older than $RETENTION_DAYS days)"
  done
`;

/** "03:00-04:00" -> cron "0 3 * * *" (UTC): the backup starts when the snapshot window opens. */
export function scheduleFromWindow(window: string): string {
  const m = /^(\d{2}):(\d{2})-/.exec(window);
  if (!m) throw new Error(`snapshot window "${window}" is not HH:MM-HH:MM`);
  return `${Number(m[2])} ${Number(m[1])} * * *`;
}

export interface RedisBackupProps {
  readonly ctx: K8sContext;
  /** Image with redis-cli and /bin/sh (the flavor's Redis image). */
  readonly image: string;
  /** host:port list of the nodes to back up (one per shard), unless `primaryAmong` is given. */
  readonly targets?: string[];
  /**
   * host:port of every node of a Sentinel-managed set: the job backs up the one that answers ROLE
   * as master. Asking the nodes instead of a Sentinel keeps the job on its own least-privilege
   * user (Sentinel itself only knows the admin password).
   */
  readonly primaryAmong?: string[];
  /** Number of shards backed up (sizes the backup PVC). */
  readonly shards: number;
}

/** Labels on the backup job's pods (the NetworkPolicy admits them, also when the job is added elsewhere). */
export function backupPodLabels(ctx: Pick<K8sContext, 'name'>): Record<string, string> {
  return { 'redis-iac/backup': ctx.name };
}

const meta = (ctx: K8sContext, name: string) => ({ name, namespace: ctx.namespace, labels: ctx.labels });

/** Name of the CronJob, its ServiceAccount and (with `s`) its PVC; `-scripts` for the ConfigMap. */
const jobName = (ctx: K8sContext) => `${ctx.name}-backup`;

/** Room for `copies` snapshots per shard (default: one a day for the retention, plus today), each at most maxmemory. */
function backupSizeGi(
  props: RedisBackupProps,
  copies = props.ctx.policy.persistence.snapshotRetentionDays + 1,
): number {
  const gib = (props.ctx.plan.memory.maxmemoryBytesPerShard * props.shards * copies) / 1024 ** 3;
  return Math.max(1, Math.ceil(gib));
}

/** The scripts ConfigMap and the job's ServiceAccount (no API token: the job never calls the API server). */
function addScriptsAndAccount(scope: Construct, ctx: K8sContext, s3Bucket: string | undefined): void {
  const name = jobName(ctx);
  new kplus.ConfigMap(scope, 'Scripts', {
    metadata: meta(ctx, `${name}-scripts`),
    data: { 'backup.sh': BACKUP_SCRIPT, ...(s3Bucket ? { 'upload-s3.sh': S3_UPLOAD_SCRIPT } : {}) },
  });
  new k8s.KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: {
      ...meta(ctx, name),
      // For S3: annotate with an IAM role (IRSA), e.g. eks.amazonaws.com/role-arn; see docs/kubernetes.md.
      annotations: s3Bucket
        ? { 'redis-iac/needs': 'an IAM role with s3:PutObject, s3:ListBucket, s3:DeleteObject' }
        : undefined,
    },
    automountServiceAccountToken: false,
  });
}

/**
 * Where the snapshots go: an emptyDir the upload container empties into S3, the spec's PVC, or a
 * PVC of our own sized for the retention.
 */
function addBackupVolume(
  scope: Construct,
  props: RedisBackupProps,
  s3Bucket: string | undefined,
): kplus.k8s.Volume {
  const { ctx } = props;
  const size = () => kplus.k8s.Quantity.fromString(`${backupSizeGi(props)}Gi`);
  if (s3Bucket) return { name: 'backup', emptyDir: { sizeLimit: size() } };
  const claim = ctx.target.backupTarget?.pvc ?? `${jobName(ctx)}s`;
  if (!ctx.target.backupTarget?.pvc) {
    new k8s.KubePersistentVolumeClaim(scope, 'Pvc', {
      metadata: meta(ctx, claim),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: ctx.target.storageClass,
        resources: { requests: { storage: size() } },
      },
    });
  }
  return { name: 'backup', persistentVolumeClaim: { claimName: claim } };
}

const JOB_RESOURCES: kplus.k8s.ResourceRequirements = {
  requests: {
    cpu: kplus.k8s.Quantity.fromString('100m'),
    memory: kplus.k8s.Quantity.fromString('128Mi'),
  },
  limits: { memory: kplus.k8s.Quantity.fromString('256Mi') },
};

function backupMounts(ctx: K8sContext): kplus.k8s.VolumeMount[] {
  return [
    { name: 'scripts', mountPath: '/scripts', readOnly: true },
    { name: 'backup', mountPath: '/backup' },
    { name: 'tmp', mountPath: '/tmp' },
    ...(ctx.policy.security.tls ? [{ name: 'tls', mountPath: '/tls', readOnly: true }] : []),
  ];
}

/** The container running backup.sh against the targets (or the primary among the Sentinel-managed nodes). */
function backupContainer(props: RedisBackupProps): kplus.k8s.Container {
  const { ctx } = props;
  const env: kplus.k8s.EnvVar[] = [
    { name: 'DEPLOYMENT', value: ctx.policy.name },
    { name: 'BACKUP_DIR', value: '/backup' },
    { name: 'RETENTION_DAYS', value: String(ctx.policy.persistence.snapshotRetentionDays) },
    ...jobCredentialsEnv(ctx, 'backup'),
    ...(ctx.policy.security.tls ? [{ name: 'TLS_CA', value: `/tls/${TLS_FILES.ca}` }] : []),
    ...(props.primaryAmong
      ? [{ name: 'REDIS_PRIMARY_AMONG', value: props.primaryAmong.join(' ') }]
      : [{ name: 'REDIS_TARGETS', value: (props.targets ?? []).join(' ') }]),
  ];
  return {
    name: 'backup',
    image: props.image,
    command: ['/bin/sh', '/scripts/backup.sh'],
    env,
    volumeMounts: backupMounts(ctx),
    securityContext: JOB_CONTAINER_SECURITY,
    resources: JOB_RESOURCES,
  };
}

/** The container that uploads the snapshots to S3 and prunes there (after the backup, as the main container). */
function uploadContainer(ctx: K8sContext, s3Bucket: string): kplus.k8s.Container {
  return {
    name: 'upload-s3',
    image: ctx.images.backupUploader,
    command: ['/bin/sh', '/scripts/upload-s3.sh'],
    env: [
      { name: 'S3_BUCKET', value: s3Bucket },
      { name: 'S3_PREFIX', value: `${ctx.namespace}/${ctx.policy.name}` },
      { name: 'DEPLOYMENT', value: ctx.policy.name },
      { name: 'BACKUP_DIR', value: '/backup' },
      { name: 'RETENTION_DAYS', value: String(ctx.policy.persistence.snapshotRetentionDays) },
    ],
    volumeMounts: backupMounts(ctx).filter((m) => m.name !== 'tls'),
    securityContext: JOB_CONTAINER_SECURITY,
    resources: JOB_RESOURCES,
  };
}

/** The volumes of the job's pod: scripts, the backup volume, a scratch /tmp and the CA for TLS. */
function jobVolumes(ctx: K8sContext, backupVolume: kplus.k8s.Volume): kplus.k8s.Volume[] {
  return [
    { name: 'scripts', configMap: { name: `${jobName(ctx)}-scripts`, defaultMode: 0o555 } },
    backupVolume,
    { name: 'tmp', emptyDir: {} },
    ...(ctx.policy.security.tls
      ? [
          {
            name: 'tls',
            secret: {
              secretName: ctx.secrets.tls,
              items: [{ key: TLS_FILES.ca, path: TLS_FILES.ca }],
            },
          },
        ]
      : []),
  ];
}

export class RedisBackup extends Construct {
  /** Labels on the backup job's pods (the NetworkPolicy admits them). */
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: RedisBackupProps) {
    super(scope, id);
    const { ctx } = props;
    this.podLabels = backupPodLabels(ctx);
    const s3Bucket = ctx.target.backupTarget?.s3Bucket;
    addScriptsAndAccount(this, ctx, s3Bucket);
    const backupVolume = addBackupVolume(this, props, s3Bucket);
    const backup = backupContainer(props);
    const upload = s3Bucket ? uploadContainer(ctx, s3Bucket) : undefined;
    new k8s.KubeCronJob(this, 'CronJob', {
      metadata: meta(ctx, jobName(ctx)),
      spec: {
        schedule: scheduleFromWindow(ctx.policy.persistence.snapshotWindow),
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 3600,
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            // The job must end inside the snapshot window's day; a hung BGSAVE should page, not pile up.
            activeDeadlineSeconds: 4 * 3600,
            template: {
              metadata: { labels: { ...ctx.labels, ...this.podLabels } },
              spec: {
                serviceAccountName: jobName(ctx),
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                imagePullSecrets: podPullSecrets(ctx),
                securityContext: jobPodSecurity(REDIS_UID),
                initContainers: upload ? [backup] : undefined,
                containers: [upload ?? backup],
                volumes: jobVolumes(ctx, backupVolume),
              },
            },
          },
        },
      },
    });
  }
}

/** `host:port` of pod `<statefulset>-<i>` behind a headless service. */
export function podAddress(statefulSet: string, i: number, headless: string, namespace: string): string {
  return `${statefulSet}-${i}.${headless}.${namespace}.svc:${REDIS_PORT}`;
}
