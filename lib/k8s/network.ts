/**
 * Ingress to the Redis pods: only the spec's client pods on the Redis port, Redis pods among
 * themselves (replication, cluster bus, Sentinel), the OpsTree operator, the backup job, and the
 * metrics port for Prometheus. Everything else is denied because the policy selects the pods.
 */
import { Construct } from 'constructs';
import * as kplus from 'cdk8s-plus-27';
import { CLUSTER_BUS_PORT, EXPORTER_PORT, REDIS_PORT, SENTINEL_PORT, type K8sContext } from './context';

export interface RedisNetworkPolicyProps {
  readonly ctx: K8sContext;
  /** Labels of the backup job's pods, which need the Redis (and Sentinel) port. @default no backup job */
  readonly backupPodLabels?: Record<string, string>;
  /** Labels of the TLS reload job's pods, which need the Redis port. @default no reload job */
  readonly tlsReloadPodLabels?: Record<string, string>;
  /** Whether Sentinel runs next to Redis (Bitnami replication in production). @default false */
  readonly sentinel?: boolean;
}

export class RedisNetworkPolicy extends Construct {
  readonly policy: kplus.NetworkPolicy;

  constructor(scope: Construct, id: string, props: RedisNetworkPolicyProps) {
    super(scope, id);
    const { ctx } = props;
    const redisPods = kplus.Pods.select(this, 'RedisPods', {
      labels: ctx.redisPodSelector,
      expressions: ctx.redisPodApps.length ? [kplus.LabelExpression.in('app', ctx.redisPodApps)] : undefined,
    });
    this.policy = new kplus.NetworkPolicy(this, 'Policy', {
      metadata: { name: `${ctx.name}-ingress`, namespace: ctx.namespace, labels: ctx.labels },
      selector: redisPods,
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });

    const clientPorts = [kplus.NetworkPolicyPort.tcp(REDIS_PORT)];
    if (props.sentinel) clientPorts.push(kplus.NetworkPolicyPort.tcp(SENTINEL_PORT));
    const clients = kplus.Pods.select(this, 'Clients', { labels: ctx.clientPodSelector });
    this.policy.addIngressRule(clients, clientPorts);

    // Redis to Redis: replication on the data port, gossip on the cluster bus, Sentinel's own port.
    const peerPorts = [kplus.NetworkPolicyPort.tcp(REDIS_PORT)];
    if (ctx.flavor === 'opstree') peerPorts.push(kplus.NetworkPolicyPort.tcp(CLUSTER_BUS_PORT));
    if (props.sentinel) peerPorts.push(kplus.NetworkPolicyPort.tcp(SENTINEL_PORT));
    this.policy.addIngressRule(redisPods, peerPorts);

    // The OpsTree operator talks to each pod on the Redis port (CLUSTER MEET/NODES, slot checks, failover
    // healing); without this rule the RedisCluster never leaves Bootstrap.
    if (ctx.flavor === 'opstree') {
      const operator = kplus.Pods.select(this, 'Operator', {
        labels: { ...ctx.operator.podLabels },
        namespaces: kplus.Namespaces.select(this, 'OperatorNamespace', {
          names: [ctx.operator.namespace],
        }),
      });
      this.policy.addIngressRule(operator, [kplus.NetworkPolicyPort.tcp(REDIS_PORT)]);
    }

    if (props.backupPodLabels) {
      const backup = kplus.Pods.select(this, 'Backup', { labels: props.backupPodLabels });
      this.policy.addIngressRule(backup, clientPorts);
    }

    if (props.tlsReloadPodLabels) {
      const reload = kplus.Pods.select(this, 'TlsReload', { labels: props.tlsReloadPodLabels });
      this.policy.addIngressRule(reload, [kplus.NetworkPolicyPort.tcp(REDIS_PORT)]);
    }

    // Prometheus usually runs in another namespace; the exporter port serves metrics only, no data.
    const anyPod = kplus.Pods.all(this, 'Scrapers', {
      namespaces: kplus.Namespaces.all(this, 'AllNamespaces'),
    });
    this.policy.addIngressRule(anyPod, [kplus.NetworkPolicyPort.tcp(EXPORTER_PORT)]);
  }
}
