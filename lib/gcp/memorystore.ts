/**
 * Memorystore for Redis as one Pulumi component.
 *
 * The planner decides the service (plan.choices.gcp.service): a single Memorystore for Redis
 * instance ('memorystore-redis') or a Memorystore for Redis Cluster ('memorystore-cluster') when the
 * data needs sharding. Defaults are the policy's: TLS (server authentication), AUTH (the instance's
 * auth string is stored in Secret Manager and only ever handled as a Pulumi secret) or IAM auth
 * (cluster), private networking only, RDB/AOF persistence, the maintenance window, alerts.
 * Every underlying resource can be adjusted through `transform`.
 */
import * as pulumi from '@pulumi/pulumi';
import * as monitoring from '@pulumi/gcp/monitoring';
import * as redis from '@pulumi/gcp/redis';
import * as secretmanager from '@pulumi/gcp/secretmanager';
import { gcpCatalog } from '../catalog';
import { connectionContract, type ConnectionContract } from '../contract';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import { snapshotExportNote } from '../pulumi/notes';
import { transformed, type Transform } from '../pulumi/transform';
import { createAlertPolicies } from './alerts';
import { clusterArgs } from './cluster';
import { instanceArgs, type GcpPlacement } from './instance';
import { labels, memorystoreVersion, networkId, newestMemorystoreVersion } from './settings';

export interface MemorystoreArgs {
  /** The resolved policy (lib/policy). */
  policy: ResolvedPolicy;
  /** The plan; `plan.choices.gcp` says which service and size. */
  plan: Plan;
  /** Project, region, network and optional KMS key (the spec's `targets.gcp`). */
  target: GcpPlacement & {
    /**
     * Existing notification channels for the alerts.
     * @default an email channel to `policy.alerts.email` when set, else alerts without channels
     */
    alertNotificationChannels?: string[];
  };
  /** Adjust any underlying resource's arguments. */
  transform?: {
    instance?: Transform<redis.InstanceArgs>;
    cluster?: Transform<redis.ClusterArgs>;
    authSecret?: Transform<secretmanager.SecretArgs>;
    alertPolicy?: Transform<monitoring.AlertPolicyArgs>;
    notificationChannel?: Transform<monitoring.NotificationChannelArgs>;
  };
}

export class Memorystore extends pulumi.ComponentResource {
  /** 'memorystore-redis' or 'memorystore-cluster'. */
  readonly service: string;
  /** Primary endpoint (instance) or discovery endpoint (cluster) address. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** Read endpoint when read replicas are on (instance), else the primary host. */
  readonly readEndpoint: pulumi.Output<string>;
  /** PEM CA certificates clients must trust for TLS. */
  readonly caCerts: pulumi.Output<string[]>;
  /** The instance AUTH string (a Pulumi secret); undefined for a cluster (IAM auth) or auth off. */
  readonly authString?: pulumi.Output<string>;
  /** Where applications read the password (Secret Manager version, or IAM token for a cluster). */
  readonly passwordFrom: pulumi.Output<string>;
  /** REDIS_* environment variables for applications. */
  readonly contract: pulumi.Output<ConnectionContract>;
  /** How data at rest is encrypted (always on in Memorystore; CMEK when a key is given). */
  readonly encryptionAtRest: string;
  /** Facts a reader should know (engine substitution, persistence limits). */
  readonly notes: string[];
  readonly instance?: redis.Instance;
  readonly cluster?: redis.Cluster;
  readonly alertPolicies: monitoring.AlertPolicy[];

  constructor(name: string, args: MemorystoreArgs, opts?: pulumi.ComponentResourceOptions) {
    // Check the target before registering anything, so bad input leaves nothing half-created.
    networkId(args.target.project, args.target.network);
    super('redis-iac:gcp:Memorystore', name, {}, opts);
    const { policy, plan, target } = args;
    const choice = plan.choices.gcp;
    const t = args.transform ?? {};
    this.service = choice.service;
    this.notes = [];
    this.encryptionAtRest = target.kmsKey
      ? `customer-managed key ${target.kmsKey}`
      : 'Google-managed keys (always on)';
    const parent = { parent: this };

    let maxClients: number;
    let resourceId: pulumi.Output<string>;
    if (choice.service === 'memorystore-cluster') {
      const cluster = new redis.Cluster(
        ...transformed(`${name}-cluster`, clusterArgs(policy, choice, target), parent, t.cluster),
      );
      this.cluster = cluster;
      const discovery = cluster.discoveryEndpoints.apply((eps) => eps[0] ?? { address: '', port: 6379 });
      this.host = discovery.apply((e) => e.address ?? '');
      this.port = discovery.apply((e) => e.port ?? 6379);
      this.readEndpoint = this.host;
      this.caCerts = cluster.managedServerCas.apply((cas) =>
        cas.flatMap((ca) => ca.caCerts ?? []).flatMap((c) => c.certificates ?? []),
      );
      this.passwordFrom = pulumi.interpolate`gcp-iam-token:${cluster.id}`;
      maxClients = choice.maxConnectionsPerShard ?? plan.connections.maxclients;
      resourceId = cluster.name;
      if (policy.security.auth) {
        // The clients' service accounts are not in the spec, so no IAM binding is created here.
        this.notes.push(
          'IAM auth is on: grant each client service account roles/redis.dbConnectionUser (e.g. gcp.projects.IAMMember) before it can connect; clients send an access token as the password.',
        );
      }
      if (policy.persistence.aof && policy.persistence.rdb) {
        this.notes.push(
          'Memorystore Cluster persists with one mode: AOF (everysec) is used; RDB snapshots are not taken as well.',
        );
      }
      if (policy.engine === 'valkey') {
        this.notes.push(
          'Memorystore for Redis Cluster runs Redis OSS 7.x, which Valkey forked from: clients connect unchanged.',
        );
      }
    } else if (choice.service === 'memorystore-redis') {
      const version = this.instanceVersion(policy);
      const instance = new redis.Instance(
        ...transformed(`${name}-instance`, instanceArgs(policy, choice, target, version), parent, t.instance),
      );
      this.instance = instance;
      this.host = instance.host;
      this.port = instance.port;
      this.readEndpoint = pulumi.all([instance.readEndpoint, instance.host]).apply(([r, h]) => r || h);
      this.caCerts = instance.serverCaCerts.apply((certs) =>
        certs.map((c) => c.cert ?? '').filter((c) => c !== ''),
      );
      maxClients = choice.maxConnectionsPerShard ?? plan.connections.maxclients;
      resourceId = instance.name;
      if (policy.persistence.aof) {
        this.notes.push(
          'Memorystore for Redis persists with RDB snapshots only (no AOF): up to one snapshot period of writes can be lost.',
        );
      }
      const exportNote = snapshotExportNote(policy, {
        keeps: 'Memorystore for Redis keeps only the latest RDB snapshot',
        command: 'gcloud redis instances export',
        destination: 'a Cloud Storage bucket',
      });
      if (exportNote) this.notes.push(exportNote);
      if (policy.security.auth) {
        this.authString = pulumi.secret(instance.authString);
        this.passwordFrom = this.storeAuthString(name, policy, target, this.authString, t.authSecret);
      } else {
        this.passwordFrom = pulumi.output('none');
      }
    } else {
      throw new Error(
        `plan.choices.gcp.service: got ${JSON.stringify(choice.service)}; expected memorystore-redis or memorystore-cluster`,
      );
    }

    this.alertPolicies = policy.alerts.enabled
      ? createAlertPolicies(
          name,
          {
            kind: this.cluster ? 'cluster' : 'instance',
            policy,
            project: target.project,
            resourceId,
            maxClients,
            hasReplicas: choice.replicasPerShard > 0,
            notificationChannels: this.notificationChannels(name, policy, target, t.notificationChannel),
            labels: labels(policy),
            transform: t.alertPolicy,
          },
          this,
        )
      : [];

    const cluster = plan.topology.mode === 'cluster';
    this.contract = pulumi
      .all([this.host, this.port, this.passwordFrom])
      .apply(([host, port, passwordFrom]) =>
        connectionContract(policy, plan, {
          host,
          port,
          passwordFrom,
          clusterNodes: cluster ? [`${host}:${port}`] : undefined,
          // Memorystore's server CA is Google-managed, not a public CA: the stack output holds it.
          caFrom: 'pulumi-output:caCerts',
        }),
      );

    this.registerOutputs({
      service: this.service,
      host: this.host,
      port: this.port,
      readEndpoint: this.readEndpoint,
      caCerts: this.caCerts,
      authString: this.authString,
      passwordFrom: this.passwordFrom,
      contract: this.contract,
      encryptionAtRest: this.encryptionAtRest,
      notes: this.notes,
    });
  }

  /** The Memorystore version for the policy; Valkey is not offered, so its Redis base is used. */
  private instanceVersion(policy: ResolvedPolicy): string {
    const versions = gcpCatalog().memorystoreRedis.versions;
    if (policy.engine === 'valkey') {
      const newest = newestMemorystoreVersion(versions);
      this.notes.push(
        `Memorystore for Redis does not run Valkey: ${newest} (which Valkey forked from) is deployed instead.`,
      );
      return newest;
    }
    return memorystoreVersion(policy.engineVersion, versions);
  }

  /** Keep the AUTH string in Secret Manager so applications read it there, never from config. */
  private storeAuthString(
    name: string,
    policy: ResolvedPolicy,
    target: GcpPlacement,
    authString: pulumi.Output<string>,
    transform?: Transform<secretmanager.SecretArgs>,
  ): pulumi.Output<string> {
    const secretArgs: secretmanager.SecretArgs = {
      project: target.project,
      secretId: `${policy.name}-redis-auth`,
      labels: labels(policy),
      replication: { auto: {} },
      deletionProtection: policy.availability.deletionProtection,
    };
    const secret = new secretmanager.Secret(
      ...transformed(`${name}-auth`, secretArgs, { parent: this }, transform),
    );
    new secretmanager.SecretVersion(
      `${name}-auth-version`,
      { secret: secret.id, secretData: authString },
      { parent: this },
    );
    return pulumi.interpolate`gcp-secretmanager:${secret.id}/versions/latest`;
  }

  private notificationChannels(
    name: string,
    policy: ResolvedPolicy,
    target: MemorystoreArgs['target'],
    transform?: Transform<monitoring.NotificationChannelArgs>,
  ): pulumi.Input<string>[] {
    if (target.alertNotificationChannels?.length) return target.alertNotificationChannels;
    if (!policy.alerts.email) return [];
    const channelArgs: monitoring.NotificationChannelArgs = {
      project: target.project,
      type: 'email',
      displayName: `${policy.name} Redis alerts`,
      labels: { email_address: policy.alerts.email },
      userLabels: labels(policy),
    };
    return [
      new monitoring.NotificationChannel(
        ...transformed(`${name}-alerts-email`, channelArgs, { parent: this }, transform),
      ).id,
    ];
  }
}
