/**
 * NetworkPolicies for one flavor.
 *
 * Ingress to the Redis pods: only the spec's client pods on the Redis port, Redis pods among themselves
 * (replication, cluster bus, Sentinel), the OpsTree operator, the backup and TLS-reload jobs, and the
 * exporter port for the Prometheus pods the spec names. The exporter port is not opened cluster-wide:
 * redis_exporter's `/scrape?target=<host>` connects to any host with the exporter's own Redis
 * credentials, so any pod that can reach it could make it send the password to a host it controls.
 *
 * Egress: the Redis pods may reach only cluster DNS and each other; the job pods only cluster DNS, the
 * Redis pods and (for S3 backups) HTTPS. None of them talks to the Kubernetes API server
 * (automountServiceAccountToken is off everywhere). An opt-in policy denies everything else in the
 * namespace (`targets.kubernetes.defaultDeny`).
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import {
  CLUSTER_BUS_PORT,
  DNS_PORT,
  EXPORTER_PORT,
  REDIS_PORT,
  SENTINEL_PORT,
  type K8sContext,
} from './context';

const k8s = kplus.k8s;
type Peer = kplus.k8s.NetworkPolicyPeer;
type Port = kplus.k8s.NetworkPolicyPort;

/** The namespace label every namespace carries (Kubernetes 1.21+), which selects one namespace by name. */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/**
 * Where the S3 upload container's AWS credentials come from on EKS: IRSA calls STS over HTTPS (443,
 * covered by the HTTPS rule) and EKS Pod Identity calls the node-local agent at this link-local
 * address on port 80 (docs.aws.amazon.com/eks/latest/userguide/pod-id-how-it-works.html).
 */
export const EKS_POD_IDENTITY_AGENT = { cidr: '169.254.170.23/32', port: 80 } as const;
export const HTTPS_PORT = 443;

export interface RedisNetworkPolicyProps {
  readonly ctx: K8sContext;
  /** Labels of the backup job's pods, which need the Redis (and Sentinel) port. @default no backup job */
  readonly backupPodLabels?: Record<string, string>;
  /** Whether the backup job uploads to S3 (HTTPS egress to any address). @default false */
  readonly backupToS3?: boolean;
  /** Labels of the TLS reload job's pods, which need the Redis port. @default no reload job */
  readonly tlsReloadPodLabels?: Record<string, string>;
  /** Whether Sentinel runs next to Redis (Bitnami replication in production). @default false */
  readonly sentinel?: boolean;
}

const tcp = (port: number): Port => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const udp = (port: number): Port => ({ protocol: 'UDP', port: k8s.IntOrString.fromNumber(port) });

/** Pods with these labels in the namespace named `namespace` (one peer: both selectors must match). */
export function podsInNamespace(namespace: string, labels: Record<string, string>): Peer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace } },
    podSelector: { matchLabels: { ...labels } },
  };
}

/** The Redis pods of the flavor (OpsTree: also by `app`, so another RedisCluster's pods never match). */
function redisSelector(ctx: K8sContext): kplus.k8s.LabelSelector {
  return {
    matchLabels: { ...ctx.redisPodSelector },
    ...(ctx.redisPodApps.length
      ? { matchExpressions: [{ key: 'app', operator: 'In', values: [...ctx.redisPodApps] }] }
      : {}),
  };
}

/** The ports clients use and the ports Redis pods use among themselves. */
function portsOf(ctx: K8sContext, sentinel: boolean): { client: Port[]; peer: Port[] } {
  const client = [tcp(REDIS_PORT)];
  if (sentinel) client.push(tcp(SENTINEL_PORT));
  // Redis to Redis: replication on the data port, gossip on the cluster bus, Sentinel's own port.
  const peer = [tcp(REDIS_PORT)];
  if (ctx.flavor === 'opstree') peer.push(tcp(CLUSTER_BUS_PORT));
  if (sentinel) peer.push(tcp(SENTINEL_PORT));
  return { client, peer };
}

/** Who may reach the Redis pods, on which ports. */
function ingressRules(
  props: RedisNetworkPolicyProps,
  ports: { client: Port[]; peer: Port[] },
): kplus.k8s.NetworkPolicyIngressRule[] {
  const { ctx } = props;
  const ingress: kplus.k8s.NetworkPolicyIngressRule[] = [
    { from: [{ podSelector: { matchLabels: { ...ctx.clientPodSelector } } }], ports: ports.client },
    { from: [{ podSelector: redisSelector(ctx) }], ports: ports.peer },
  ];
  // The OpsTree operator talks to each pod on the Redis port (CLUSTER MEET/NODES, slot checks, failover
  // healing); without this rule the RedisCluster never leaves Bootstrap.
  if (ctx.flavor === 'opstree') {
    ingress.push({
      from: [podsInNamespace(ctx.operator.namespace, ctx.operator.podLabels)],
      ports: [tcp(REDIS_PORT)],
    });
  }
  if (props.backupPodLabels) {
    ingress.push({ from: [{ podSelector: { matchLabels: props.backupPodLabels } }], ports: ports.client });
  }
  if (props.tlsReloadPodLabels) {
    ingress.push({
      from: [{ podSelector: { matchLabels: props.tlsReloadPodLabels } }],
      ports: [tcp(REDIS_PORT)],
    });
  }
  // Only the named Prometheus pods (see the file comment for why not every namespace).
  ingress.push({
    from: [podsInNamespace(ctx.prometheus.namespace, ctx.prometheus.podLabels)],
    ports: [tcp(EXPORTER_PORT)],
  });
  return ingress;
}

/** The backup job: DNS, the Redis pods and, for S3, HTTPS and the EKS Pod Identity agent. */
function backupEgress(
  props: RedisNetworkPolicyProps,
  dnsRule: kplus.k8s.NetworkPolicyEgressRule,
  clientPorts: Port[],
): kplus.k8s.NetworkPolicyEgressRule[] {
  const egress: kplus.k8s.NetworkPolicyEgressRule[] = [
    dnsRule,
    { to: [{ podSelector: redisSelector(props.ctx) }], ports: clientPorts },
  ];
  if (props.backupToS3) {
    // S3 and STS endpoints have no fixed addresses: HTTPS to any address, nothing else.
    egress.push(
      {
        to: [{ ipBlock: { cidr: '0.0.0.0/0' } }, { ipBlock: { cidr: '::/0' } }],
        ports: [tcp(HTTPS_PORT)],
      },
      {
        to: [{ ipBlock: { cidr: EKS_POD_IDENTITY_AGENT.cidr } }],
        ports: [tcp(EKS_POD_IDENTITY_AGENT.port)],
      },
    );
  }
  return egress;
}

export class RedisNetworkPolicy extends Construct {
  /** Names of the NetworkPolicies this construct emits. */
  readonly policyNames: string[] = [];
  private readonly ctx: K8sContext;

  constructor(scope: Construct, id: string, props: RedisNetworkPolicyProps) {
    super(scope, id);
    const ctx = (this.ctx = props.ctx);
    const redisPeer: Peer = { podSelector: redisSelector(ctx) };
    const dnsRule = {
      to: [podsInNamespace(ctx.dns.namespace, ctx.dns.podLabels)],
      ports: [udp(DNS_PORT), tcp(DNS_PORT)],
    };
    const ports = portsOf(ctx, !!props.sentinel);
    this.policy('Policy', `${ctx.name}-ingress`, {
      podSelector: redisSelector(ctx),
      policyTypes: ['Ingress'],
      ingress: ingressRules(props, ports),
    });
    // Redis pods resolve their peers (headless Service names) and connect to them; nothing else. This
    // also stops the exporter sidecar (same pod) from reaching any host a /scrape?target= names.
    this.policy('RedisEgress', `${ctx.name}-egress`, {
      podSelector: redisSelector(ctx),
      policyTypes: ['Egress'],
      egress: [dnsRule, { to: [redisPeer], ports: ports.peer }],
    });
    if (props.backupPodLabels) {
      this.policy('BackupEgress', `${ctx.name}-backup-egress`, {
        podSelector: { matchLabels: props.backupPodLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: backupEgress(props, dnsRule, ports.client),
      });
    }
    if (props.tlsReloadPodLabels) {
      this.policy('TlsReloadEgress', `${ctx.name}-tls-reload-egress`, {
        podSelector: { matchLabels: props.tlsReloadPodLabels },
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [dnsRule, { to: [redisPeer], ports: [tcp(REDIS_PORT)] }],
      });
    }
    if (ctx.target.defaultDeny) {
      // Every pod of the namespace: what no other policy admits is dropped, both ways.
      this.policy('DefaultDeny', `${ctx.name}-default-deny`, {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [],
      });
    }
  }

  /** One NetworkPolicy, in the namespace and with the labels of the deployment. */
  private policy(id: string, name: string, spec: kplus.k8s.NetworkPolicySpec): void {
    this.policyNames.push(name);
    new k8s.KubeNetworkPolicy(this, id, {
      metadata: { name, namespace: this.ctx.namespace, labels: this.ctx.labels },
      spec,
    });
  }
}
