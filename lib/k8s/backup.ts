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

export class RedisBackup extends Construct {
  /** Labels on the backup job's pods (the NetworkPolicy admits them). */
  readonly podLabels: Record<string, string>;

  constructor(scope: Construct, id: string, props: RedisBackupProps) {
    super(scope, id);
    const { ctx } = props;
    const per = ctx.policy.persistence;
    const name = `${ctx.name}-backup`;
    const meta = (n: string) => ({ name: n, namespace: ctx.namespace, labels: ctx.labels });
    this.podLabels = backupPodLabels(ctx);
    const s3Bucket = ctx.target.backupTarget?.s3Bucket;

    new kplus.ConfigMap(this, 'Scripts', {
      metadata: meta(`${name}-scripts`),
      data: { 'backup.sh': BACKUP_SCRIPT, ...(s3Bucket ? { 'upload-s3.sh': S3_UPLOAD_SCRIPT } : {}) },
    });
    new k8s.KubeServiceAccount(this, 'ServiceAccount', {
      metadata: {
        ...meta(name),
        // For S3: annotate with an IAM role (IRSA), e.g. eks.amazonaws.com/role-arn; see docs/kubernetes.md.
        annotations: s3Bucket
          ? { 'redis-iac/needs': 'an IAM role with s3:PutObject, s3:ListBucket, s3:DeleteObject' }
          : undefined,
      },
      automountServiceAccountToken: false,
    });

    let backupVolume: kplus.k8s.Volume;
    if (s3Bucket) {
      backupVolume = {
        name: 'backup',
        emptyDir: { sizeLimit: kplus.k8s.Quantity.fromString(`${this.sizeGi(props)}Gi`) },
      };
    } else {
      const claim = ctx.target.backupTarget?.pvc ?? `${name}s`;
      if (!ctx.target.backupTarget?.pvc) {
        new k8s.KubePersistentVolumeClaim(this, 'Pvc', {
          metadata: meta(claim),
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: ctx.target.storageClass,
            resources: { requests: { storage: kplus.k8s.Quantity.fromString(`${this.sizeGi(props)}Gi`) } },
          },
        });
      }
      backupVolume = { name: 'backup', persistentVolumeClaim: { claimName: claim } };
    }

    const env: kplus.k8s.EnvVar[] = [
      { name: 'DEPLOYMENT', value: ctx.policy.name },
      { name: 'BACKUP_DIR', value: '/backup' },
      { name: 'RETENTION_DAYS', value: String(per.snapshotRetentionDays) },
      ...jobCredentialsEnv(ctx, 'backup'),
      ...(ctx.policy.security.tls ? [{ name: 'TLS_CA', value: `/tls/${TLS_FILES.ca}` }] : []),
      ...(props.primaryAmong
        ? [{ name: 'REDIS_PRIMARY_AMONG', value: props.primaryAmong.join(' ') }]
        : [{ name: 'REDIS_TARGETS', value: (props.targets ?? []).join(' ') }]),
    ];
    const securityContext = JOB_CONTAINER_SECURITY;
    const mounts: kplus.k8s.VolumeMount[] = [
      { name: 'scripts', mountPath: '/scripts', readOnly: true },
      { name: 'backup', mountPath: '/backup' },
      { name: 'tmp', mountPath: '/tmp' },
      ...(ctx.policy.security.tls ? [{ name: 'tls', mountPath: '/tls', readOnly: true }] : []),
    ];
    const resources: kplus.k8s.ResourceRequirements = {
      requests: {
        cpu: kplus.k8s.Quantity.fromString('100m'),
        memory: kplus.k8s.Quantity.fromString('128Mi'),
      },
      limits: { memory: kplus.k8s.Quantity.fromString('256Mi') },
    };
    const backupContainer: kplus.k8s.Container = {
      name: 'backup',
      image: props.image,
      command: ['/bin/sh', '/scripts/backup.sh'],
      env,
      volumeMounts: mounts,
      securityContext,
      resources,
    };
    const uploadContainer: kplus.k8s.Container | undefined = s3Bucket
      ? {
          name: 'upload-s3',
          image: ctx.images.backupUploader,
          command: ['/bin/sh', '/scripts/upload-s3.sh'],
          env: [
            { name: 'S3_BUCKET', value: s3Bucket },
            { name: 'S3_PREFIX', value: `${ctx.namespace}/${ctx.policy.name}` },
            { name: 'DEPLOYMENT', value: ctx.policy.name },
            { name: 'BACKUP_DIR', value: '/backup' },
            { name: 'RETENTION_DAYS', value: String(per.snapshotRetentionDays) },
          ],
          volumeMounts: mounts.filter((m) => m.name !== 'tls'),
          securityContext,
          resources,
        }
      : undefined;

    new k8s.KubeCronJob(this, 'CronJob', {
      metadata: meta(name),
      spec: {
        schedule: scheduleFromWindow(per.snapshotWindow),
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
                serviceAccountName: name,
                automountServiceAccountToken: false,
                restartPolicy: 'Never',
                imagePullSecrets: podPullSecrets(ctx),
                securityContext: jobPodSecurity(REDIS_UID),
                initContainers: uploadContainer ? [backupContainer] : undefined,
                containers: [uploadContainer ?? backupContainer],
                volumes: [
                  { name: 'scripts', configMap: { name: `${name}-scripts`, defaultMode: 0o555 } },
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
                ],
              },
            },
          },
        },
      },
    });
  }

  /** Room for `copies` snapshots per shard (default: one a day for the retention, plus today), each at most maxmemory. */
  private sizeGi(
    props: RedisBackupProps,
    copies = props.ctx.policy.persistence.snapshotRetentionDays + 1,
  ): number {
    const gib = (props.ctx.plan.memory.maxmemoryBytesPerShard * props.shards * copies) / 1024 ** 3;
    return Math.max(1, Math.ceil(gib));
  }
}

/** `host:port` of pod `<statefulset>-<i>` behind a headless service. */
export function podAddress(statefulSet: string, i: number, headless: string, namespace: string): string {
  return `${statefulSet}-${i}.${headless}.${namespace}.svc:${REDIS_PORT}`;
}
