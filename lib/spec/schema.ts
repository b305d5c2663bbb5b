/**
 * The deployment spec: one YAML file that describes one Redis deployment on every platform.
 *
 * Everything that is optional here has a default in the policy layer (lib/policy), chosen by profile.
 * The schema only checks shape and ranges; cross-field rules (TLS off in production without a waiver,
 * overlapping windows, ...) live in lib/policy/validate.ts so that they can name the waiver that
 * would allow them.
 */
import { z } from '../zod';

export const PROFILES = ['development', 'staging', 'production'] as const;
export const ENGINES = ['redis', 'valkey'] as const;
export const TOPOLOGIES = ['auto', 'standalone', 'replication', 'cluster'] as const;
export const EVICTION_POLICIES = [
  'noeviction',
  'allkeys-lru',
  'allkeys-lfu',
  'allkeys-random',
  'volatile-lru',
  'volatile-lfu',
  'volatile-random',
  'volatile-ttl',
] as const;
export const K8S_FLAVORS = ['opstree', 'bitnami'] as const;
export const AWS_FLAVORS = ['replication-group', 'serverless'] as const;
export const COMMITMENTS = ['none', '1y', '3y'] as const;
export const ZONE_SPREAD = ['required', 'preferred', 'off'] as const;
export const PLATFORMS = [
  'aws',
  'gcp',
  'azure-premium',
  'azure-managed',
  'kubernetes',
  'self-hosted',
] as const;

/** Rules that a production spec may weaken only with a waiver. */
export const WAIVABLE_RULES = [
  'tls',
  'auth',
  'encryption-at-rest',
  'private-networking',
  'automatic-failover',
  'multi-az',
  'snapshot-retention',
  'aof',
  'deletion-protection',
  'alerts',
  'maintenance-window',
  'entra-id',
] as const;

export type Profile = (typeof PROFILES)[number];
export type Engine = (typeof ENGINES)[number];
export type Platform = (typeof PLATFORMS)[number];
export type WaivableRule = (typeof WAIVABLE_RULES)[number];

const dnsLabel = z
  .string()
  .regex(
    /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    'a DNS label: lower-case letters, digits and "-", 1-40 chars, starting with a letter',
  );

/**
 * The deployment name becomes the ElastiCache replication group id, the Memorystore instance id and the
 * Azure cache name: a DNS label that also has no "--" (ElastiCache: "cannot end with a hyphen or
 * contain two consecutive hyphens", CreateReplicationGroup ReplicationGroupId constraints).
 */
const resourceName = z
  .string()
  .regex(
    /^(?!.*--)[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/,
    'lower-case letters, digits and single "-", 1-40 chars, starting with a letter and not ending with "-"',
  );

/** A Kubernetes namespace name: an RFC 1123 label (lower-case alphanumerics and "-", at most 63). */
const dns1123Label = z
  .string()
  .regex(
    /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'the namespace the redis-operator is installed in, an RFC 1123 label: lower-case letters, digits and "-", 1-63 chars, starting and ending with a letter or digit',
  );

/** Any namespace name: an RFC 1123 label. */
const namespaceName = z
  .string()
  .regex(
    /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/,
    'a namespace name, an RFC 1123 label: lower-case letters, digits and "-", 1-63 chars, starting and ending with a letter or digit',
  );

/**
 * A Secret name in the deployment's namespace: a DNS-1123 subdomain (Kubernetes "Object Names and
 * IDs": at most 253 lower-case letters, digits, "-" and ".", starting and ending with a letter or digit).
 */
const pullSecretName = z
  .string()
  .regex(
    /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/,
    'the name of an existing image pull Secret (type kubernetes.io/dockerconfigjson) in targets.kubernetes.namespace, a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", 1-253 chars, starting and ending with a letter or digit',
  );

/** An image digest as the Bitnami chart's `image.digest` takes it. */
const imageDigest = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'an image digest "sha256:" followed by 64 lower-case hex digits');

/** Kubernetes label key (optional DNS-subdomain prefix and "/", then a name of at most 63) and value. */
const LABEL_KEY_RULE =
  'Kubernetes label keys such as "name" or "app.kubernetes.io/name" (a name of at most 63 letters, digits, "-", "_" or ".", with an optional DNS prefix and "/")';
const labelKey = z
  .string()
  .regex(
    /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?(?=[^/]{1,63}$)[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/,
    LABEL_KEY_RULE,
  );
const labelValue = z
  .string()
  .regex(
    /^(?=.{0,63}$)([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/,
    'a Kubernetes label value: at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit',
  );

/** A non-empty label selector (an empty one would select every pod). */
const nonEmptyLabels = z
  .record(labelKey, labelValue, {
    error: (iss) => (iss.code === 'invalid_key' ? LABEL_KEY_RULE : undefined),
  })
  .refine((r) => Object.keys(r).length > 0, 'at least one label (an empty selector admits every pod)');

/** `ddd:HH:MM-ddd:HH:MM` (weekly, UTC), the ElastiCache form. */
const weeklyWindow = z
  .string()
  .regex(
    /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):[0-5]\d$/,
    'a weekly UTC window like "sun:05:00-sun:07:00"',
  );
/** `HH:MM-HH:MM` (daily, UTC). */
const dailyWindow = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'a daily UTC window like "03:00-05:00"');

const keyPrefix = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.:-]{0,62}$/, 'letters, digits, "_", ".", ":" or "-", at most 63 chars');

export const workloadSchema = z
  .object({
    devices: z.number().int().min(1).max(100_000_000).optional().describe('Managed CPE devices (ACS guide).'),
    organizations: z
      .number()
      .int()
      .min(1)
      .max(1_000_000_000)
      .optional()
      .describe('Tenant organizations cached.'),
    datasetGb: z.number().positive().max(100_000).optional().describe('Raw dataset size in GB, when known.'),
    bytesPerOrganization: z.number().int().min(1).max(10_000_000).optional(),
    loggedInShare: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Share of devices with a logged-in user session.'),
    pendingJobsPerDevice: z.number().min(0).max(1000).optional(),
    metricsPerDevice: z.number().min(0).max(100_000).optional(),
    peakOpsPerSecond: z.number().int().min(1).max(100_000_000).optional(),
    concurrentRequests: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .optional()
      .describe(
        'Concurrent requests PER APPLICATION REPLICA: each replica sizes its own client pool from it.',
      ),
    redisCallsPerRequest: z
      .number()
      .min(0.1)
      .max(1000)
      .optional()
      .describe('Average Redis calls per request.'),
    applicationReplicas: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .optional()
      .describe('Application replicas (processes with their own pool); connections = pool x replicas.'),
    poolSize: z.number().int().min(1).max(10_000).optional().describe('Fixed client pool per app replica.'),
    growthFactor: z
      .number()
      .min(1)
      .max(10)
      .optional()
      .describe('Expected growth of the dataset, 1.5 = +50%.'),
  })
  .strict();

export const databaseSchema = z
  .object({
    index: z.number().int().min(0).max(15),
    name: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
    prefix: keyPrefix,
    ttlSeconds: z.number().int().min(1).optional(),
  })
  .strict();

export const keyspaceSchema = z
  .object({
    prefix: keyPrefix.optional().describe('Key prefix every application key starts with.'),
    separator: z
      .string()
      .regex(
        /^[^A-Za-z0-9\s*?[\]\\^]$/,
        'exactly one character that is not a letter, digit, space or ACL glob character (*?[]\\^), such as ":" (the default), "-", "_" or "."',
      )
      .optional()
      .describe(
        'Character between the key prefix and the rest of a key. The contract publishes REDIS_KEY_PREFIX with it ("app:"), the ACL admits exactly that pattern (~app:*). Default ":".',
      ),
    defaultTtlSeconds: z.number().int().min(1).max(31_536_000).optional(),
    evictionPolicy: z.enum(EVICTION_POLICIES).optional(),
    keyspaceNotifications: z
      .string()
      .regex(/^[KEg$lshzxentdmA]*$/, 'notify-keyspace-events flags such as "Ex"')
      .optional(),
    /** Logical databases. On a cluster they must all be index 0 (no SELECT); use `prefix` per database. */
    databases: z.array(databaseSchema).max(16).optional(),
  })
  .strict();

export const securitySchema = z
  .object({
    tls: z.boolean().optional(),
    tlsMinVersion: z.enum(['1.2', '1.3']).optional(),
    auth: z.boolean().optional(),
    authTokenLength: z.number().int().min(16).max(128).optional(),
    encryptionAtRest: z.boolean().optional(),
    privateNetworking: z.boolean().optional(),
    acl: z.boolean().optional().describe('Per-application ACL users (Redis 6+); off means requirepass only.'),
  })
  .strict();

export const persistenceSchema = z
  .object({
    rdb: z.boolean().optional(),
    snapshotRetentionDays: z.number().int().min(0).max(35).optional(),
    snapshotWindow: dailyWindow.optional(),
    snapshotPeriodHours: z.union([z.literal(1), z.literal(6), z.literal(12), z.literal(24)]).optional(),
    aof: z.boolean().optional(),
    aofFsync: z.enum(['always', 'everysec', 'no']).optional(),
  })
  .strict();

export const availabilitySchema = z
  .object({
    topology: z.enum(TOPOLOGIES).optional(),
    automaticFailover: z.boolean().optional(),
    multiAz: z.boolean().optional(),
    replicasPerShard: z.number().int().min(0).max(5).optional(),
    minShards: z.number().int().min(1).max(500).optional(),
    deletionProtection: z.boolean().optional(),
  })
  .strict();

export const alertsSchema = z
  .object({
    enabled: z.boolean().optional(),
    email: z.string().email().optional(),
    memoryPercent: z.number().min(1).max(100).optional(),
    cpuPercent: z.number().min(1).max(100).optional(),
    cpuWarningPercent: z
      .number()
      .min(1)
      .max(100)
      .optional()
      .describe('Host/process CPU warning, percent. @default 70 (guide: CPUUtilization < 70%)'),
    hitRateMin: z
      .number()
      .min(0)
      .max(1)
      .optional()
      .describe('Alert when the keyspace hit rate falls below this ratio. @default 0.8'),
    connectionsPercent: z.number().min(1).max(100).optional(),
    evictionsPerHour: z.number().min(0).optional(),
    replicationLagSeconds: z.number().min(0).optional(),
    latencyP95Ms: z.number().min(0).optional(),
  })
  .strict();

/**
 * Capacity pinned on purpose, like a waiver: the plan provisions this instead of the derived need and
 * shows both side by side (e.g. to follow a guide's tier sizes).
 */
export const sizingSchema = z
  .object({
    memoryGb: z
      .number()
      .min(0.25)
      .max(10_000)
      .describe('Memory to provision in GB (the whole dataset plus headroom), instead of the derived need.'),
    shards: z
      .number()
      .int()
      .min(1)
      .max(500)
      .optional()
      .describe('Exact shard count (more than 1 means cluster).'),
    replicas: z
      .number()
      .int()
      .min(0)
      .max(5)
      .optional()
      .describe('Replicas per shard (same as availability.replicasPerShard; give one of them).'),
    reason: z.string().min(10, 'a reason of at least 10 characters').describe('Why the size is pinned.'),
  })
  .strict();

export const waiverSchema = z
  .object({
    rule: z.enum(WAIVABLE_RULES),
    reason: z.string().min(10, 'a reason of at least 10 characters'),
  })
  .strict();

const awsId = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}-[0-9a-f]{8,17}$`), `an id like ${prefix}-0123456789abcdef0`);

export const awsTargetSchema = z
  .object({
    region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region such as us-east-1'),
    account: z
      .string()
      .regex(/^\d{12}$/)
      .optional(),
    vpcId: awsId('vpc'),
    subnetIds: z.array(awsId('subnet')).min(1),
    clientSecurityGroupIds: z.array(awsId('sg')).optional(),
    clientCidrs: z.array(z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/)).optional(),
    kmsKeyArn: z.string().startsWith('arn:').optional(),
    port: z.number().int().min(1024).max(65535).optional(),
    auth: z
      .enum(['rbac', 'token'])
      .optional()
      .describe(
        'How clients authenticate when security.auth is on. rbac (default): one ElastiCache user per role (app, metrics, admin) with its own Secrets Manager password and a disabled default user. token: one AUTH token shared by every client. docs/aws.md describes the in-place migration between them.',
      ),
    nodeType: z
      .string()
      .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/)
      .optional()
      .describe('Override the planner.'),
    flavor: z
      .enum(AWS_FLAVORS)
      .optional()
      .describe(
        'replication-group (default): AWS::ElastiCache::ReplicationGroup with node types, shards and replicas from the plan. serverless: AWS::ElastiCache::ServerlessCache, which scales itself within usage limits derived from the plan; it has no node type, shard, replica, port, parameter group, maintenance window or AUTH token settings (docs/aws.md).',
      ),
  })
  .strict();

export const gcpTargetSchema = z
  .object({
    project: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, 'a GCP project id'),
    region: z.string().regex(/^[a-z]+-[a-z]+\d$/, 'a GCP region such as us-central1'),
    network: z.string().min(1).describe('VPC network name or self link.'),
    kmsKey: z.string().startsWith('projects/').optional(),
    alertNotificationChannels: z.array(z.string()).optional(),
  })
  .strict();

export const azureTargetSchema = z
  .object({
    resourceGroup: z.string().regex(/^[-\w.()]{1,90}$/),
    location: z.string().regex(/^[a-z]+[a-z0-9]*$/, 'an Azure location such as eastus'),
    subnetId: z
      .string()
      .startsWith('/subscriptions/')
      .optional()
      .describe('Subnet for the private endpoint.'),
    privateDnsZoneId: z.string().startsWith('/subscriptions/').optional(),
    entraId: z
      .boolean()
      .optional()
      .describe(
        'Use Microsoft Entra ID auth and turn access keys off (on whenever appPrincipalId is set; needs appPrincipalId).',
      ),
    appPrincipalId: z
      .string()
      .regex(
        /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/,
        'the Entra object id (a GUID) of the application identity',
      )
      .optional()
      .describe(
        "Entra object id of the application's identity (managed identity or service principal). Access keys are turned off and this identity gets the cache's data access policy; production requires it unless waived (rule entra-id).",
      ),
    actionGroupId: z.string().startsWith('/subscriptions/').optional(),
  })
  .strict();

export const kubernetesTargetSchema = z
  .object({
    namespace: dnsLabel,
    flavors: z.array(z.enum(K8S_FLAVORS)).min(1).optional(),
    storageClass: z.string().min(1).optional(),
    clientPodSelector: z.record(z.string(), z.string()).optional(),
    clusterIssuer: z
      .string()
      .optional()
      .describe('A cert-manager ClusterIssuer; default: a namespaced Issuer.'),
    externalSecretStore: z.string().optional().describe('An external-secrets ClusterSecretStore name.'),
    backupTarget: z
      .object({
        pvc: z.string().optional(),
        s3Bucket: z.string().optional(),
      })
      .strict()
      .optional(),
    operatorNamespace: dns1123Label
      .optional()
      .describe(
        'Namespace the OpsTree redis-operator runs in; the NetworkPolicy admits its pods from there. Default: ot-operators.',
      ),
    operatorPodSelector: z
      .record(labelKey, labelValue, {
        error: (iss) => (iss.code === 'invalid_key' ? LABEL_KEY_RULE : undefined),
      })
      .refine((r) => Object.keys(r).length > 0, 'at least one label (an empty selector admits every pod)')
      .optional()
      .describe(
        "Labels of the OpsTree operator's pods. Default: name: redis-operator (the redis-operator chart's pod label).",
      ),
    prometheus: z
      .object({
        namespace: namespaceName.describe('Namespace Prometheus runs in.'),
        podSelector: nonEmptyLabels.describe("Labels of Prometheus' pods in that namespace."),
      })
      .strict()
      .optional()
      .describe(
        'Who may scrape the exporter port 9121 (redis_exporter reuses its Redis credentials for any /scrape?target=, so it is not opened cluster-wide). Default: namespace monitoring, pods labelled app.kubernetes.io/name: prometheus (the label prometheus-operator puts on Prometheus pods).',
      ),
    dns: z
      .object({
        namespace: namespaceName.describe('Namespace of the cluster DNS pods.'),
        podSelector: nonEmptyLabels.describe('Labels of the cluster DNS pods.'),
      })
      .strict()
      .optional()
      .describe(
        'Cluster DNS the egress policies admit on port 53 (UDP and TCP). Default: namespace kube-system, pods labelled k8s-app: kube-dns (CoreDNS on kubeadm, kind, k3s, EKS, GKE and AKS).',
      ),
    defaultDeny: z
      .boolean()
      .optional()
      .describe(
        'Also emit a NetworkPolicy that denies all ingress and egress to every pod of the namespace that no other policy admits. Off by default because the namespace may be shared with other workloads.',
      ),
    zoneSpread: z
      .enum(ZONE_SPREAD)
      .optional()
      .describe(
        'Spreading of Redis pods over topology.kubernetes.io/zone: required (DoNotSchedule: pods stay Pending on nodes without a zone label), preferred (ScheduleAnyway) or off. Default: required when the policy needs two zones (production), else preferred.',
      ),
    imagePullSecrets: z
      .array(pullSecretName)
      .min(1)
      .optional()
      .describe(
        'Image pull Secrets (names of existing Secrets in the namespace) for every pod: the RedisCluster, the backup and TLS-reload CronJobs and the Bitnami chart (global.imagePullSecrets).',
      ),
    images: z
      .object({
        redis: z.string().optional().describe('OpsTree Redis image, pinned by tag or digest.'),
        exporter: z
          .string()
          .optional()
          .describe('OpsTree redis-exporter sidecar image, pinned by tag or digest.'),
        bitnamiRegistry: z.string().optional().describe('Registry of every Bitnami image.'),
        bitnamiRepository: z.string().optional(),
        bitnamiTag: z.string().optional(),
        bitnamiDigest: imageDigest
          .optional()
          .describe(
            'Digest of the Bitnami Redis image (chart image.digest, which overrides the tag); the backup and TLS-reload jobs of that flavor use it too.',
          ),
        bitnamiSentinelRepository: z.string().optional(),
        bitnamiSentinelTag: z.string().optional(),
        bitnamiSentinelDigest: imageDigest
          .optional()
          .describe('Digest of the Bitnami Sentinel image (chart sentinel.image.digest).'),
        bitnamiExporterRepository: z.string().optional(),
        bitnamiExporterTag: z.string().optional(),
        bitnamiExporterDigest: imageDigest
          .optional()
          .describe('Digest of the Bitnami exporter image (chart metrics.image.digest).'),
        backupUploader: z
          .string()
          .optional()
          .describe('Image of the S3 upload container of the backup job (aws CLI), pinned by tag or digest.'),
      })
      .strict()
      .optional(),
    chartPath: z.string().optional(),
  })
  .strict();

const selfHostedPort = z.number().int().min(1024).max(65535);
export const selfHostedTargetSchema = z
  .object({
    host: z.string().optional(),
    basePort: z
      .number()
      .int()
      .min(1024)
      .max(55535)
      .optional()
      .describe(
        'First node port; nodes use basePort, basePort+1, ... (default 7000 for a cluster, else 6380).',
      ),
    ports: z
      .array(selfHostedPort)
      .optional()
      .describe('Explicit node ports, one per node (instead of basePort); the first ones are the primaries.'),
    sentinelBasePort: selfHostedPort
      .optional()
      .describe('First Sentinel port (default 26379); Sentinels use sentinelBasePort, +1, +2.'),
    sentinelPorts: z
      .array(selfHostedPort)
      .optional()
      .describe('Explicit Sentinel ports (instead of sentinelBasePort), at least 3.'),
    confDir: z
      .string()
      .optional()
      .describe(
        'Config directory install.sh fills (default /etc/redis-iac/<name>); install.sh --conf-dir overrides it.',
      ),
    tlsDir: z
      .string()
      .optional()
      .describe(
        'Directory with ca.crt, redis.crt, redis.key (default <confDir>/tls); --tls-dir overrides it.',
      ),
    dataDir: z
      .string()
      .optional()
      .describe(
        'Data directory, one sub-directory per node (default /var/lib/redis-iac/<name>); --data-dir overrides it.',
      ),
    secretsDir: z
      .string()
      .optional()
      .describe(
        'Operator secrets (<role>.password, config-command; default <confDir>/secrets); --secrets-dir overrides it.',
      ),
    user: z
      .string()
      .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix user name such as redis')
      .optional()
      .describe('Account Redis runs as when installed by root (default redis); --user overrides it.'),
    appGroup: z
      .union([z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'a Unix group name'), z.number().int().min(1)])
      .optional()
      .describe(
        'Group that may read the CA and the app password the contract names (default redis-iac-clients as root, else your own group); may be a numeric gid; --app-group overrides it.',
      ),
    cores: z.number().int().min(1).max(256).optional(),
  })
  .strict();

export const targetsSchema = z
  .object({
    aws: awsTargetSchema.optional(),
    gcp: gcpTargetSchema.optional(),
    azure: azureTargetSchema.optional(),
    kubernetes: kubernetesTargetSchema.optional(),
    selfHosted: selfHostedTargetSchema.optional(),
  })
  .strict();

export const specSchema = z
  .object({
    name: resourceName.describe('Deployment name; used in resource names.'),
    description: z.string().max(255).optional(),
    profile: z.enum(PROFILES),
    engine: z.enum(ENGINES).default('redis'),
    engineVersion: z
      .string()
      .regex(/^\d+\.\d+$/, 'major.minor such as "7.1"')
      .optional(),
    workload: workloadSchema.default({}),
    keyspace: keyspaceSchema.default({}),
    security: securitySchema.default({}),
    persistence: persistenceSchema.default({}),
    availability: availabilitySchema.default({}),
    maintenanceWindow: weeklyWindow.optional(),
    alerts: alertsSchema.default({}),
    sizing: sizingSchema.optional(),
    commitment: z
      .enum(COMMITMENTS)
      .default('none')
      .describe(
        'Price the chosen option of every platform that offers it on a 1-year or 3-year commitment (reserved nodes, committed use, reservations) at its cheapest payment option, instead of on-demand. Kubernetes and self-hosted have no provider commitment and stay on-demand. The plan shows every term either way.',
      ),
    waivers: z.array(waiverSchema).default([]),
    tags: z.record(z.string().regex(/^[a-z][a-z0-9_-]{0,62}$/), z.string().max(63)).default({}),
    targets: targetsSchema.default({}),
  })
  .strict();

/** A spec as written in YAML (before defaults). */
export type SpecInput = z.input<typeof specSchema>;
/** A spec after schema defaults (policy defaults are applied later, in lib/policy). */
export type Spec = z.output<typeof specSchema>;
export type Workload = Spec['workload'];
export type Waiver = Spec['waivers'][number];
