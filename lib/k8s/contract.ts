/**
 * The connection contract (REDIS_* variables, lib/contract.ts) for each Kubernetes flavor: what an
 * application in the cluster sets to reach this deployment. The password is never in it:
 * REDIS_PASSWORD_FROM names the Secret key.
 */
import * as kplus from 'cdk8s-plus-27';
import type { Construct } from 'constructs';
import type { Deployment } from '../deployment';
import {
  clusterFailoverBoundMs,
  connectionContract,
  REDIS_DEFAULT_CLUSTER_NODE_TIMEOUT_MS,
  sentinelFailoverBoundMs,
  type ConnectionContract,
} from '../contract';
import { BITNAMI_SENTINEL_DOWN_AFTER_MS, bitnamiLayout, SENTINEL_MASTER_SET } from './bitnami';
import { makeContext, REDIS_PORT, SENTINEL_PORT, type Flavor } from './context';

export function kubernetesContract(d: Deployment, flavor: Flavor): ConnectionContract {
  const ctx = makeContext(d, flavor);
  const svc = (name: string) => `${name}.${ctx.namespace}.svc`;
  const passwordFrom = `k8s-secret:${ctx.namespace}/${ctx.secrets.app}:password`;
  const username = d.policy.security.auth && d.policy.security.acl ? ctx.appUser : undefined;
  // cert-manager's private CA: its certificate is ca.crt in the TLS Secret.
  const caFrom = `k8s-secret:${ctx.namespace}/${ctx.secrets.tls}:ca.crt`;
  if (flavor === 'opstree') {
    const host = svc(`${ctx.name}-leader`);
    // A RedisCluster is always a cluster, whatever the plan's mode: clients must use cluster mode.
    const plan = { ...d.plan, topology: { ...d.plan.topology, mode: 'cluster' as const } };
    return connectionContract(d.policy, plan, {
      host,
      port: REDIS_PORT,
      clusterNodes: [`${host}:${REDIS_PORT}`],
      passwordFrom,
      username,
      caFrom,
      // The RedisCluster leaves cluster-node-timeout at Redis' default.
      failoverTimeoutMs: clusterFailoverBoundMs(REDIS_DEFAULT_CLUSTER_NODE_TIMEOUT_MS),
    });
  }
  const layout = bitnamiLayout(ctx);
  // The chart never runs Redis Cluster, whatever the plan's mode: a cluster-mode client would fail on
  // CLUSTER SLOTS ("cluster support disabled"). One primary, replicas and optionally Sentinel.
  const plan = {
    ...d.plan,
    topology: {
      ...d.plan.topology,
      mode: layout.architecture === 'standalone' ? ('standalone' as const) : ('replication' as const),
    },
  };
  if (layout.sentinel) {
    return connectionContract(d.policy, plan, {
      host: svc(ctx.name),
      port: REDIS_PORT,
      passwordFrom,
      username,
      caFrom,
      sentinels: [`${svc(ctx.name)}:${SENTINEL_PORT}`],
      sentinelMaster: SENTINEL_MASTER_SET,
      // With ACLs the Sentinels' own ACL (bitnamiSentinelAcl) admits the application user with its
      // password and client commands only. Without ACLs they know one password, the admin one of
      // auth.existingSecret on `default` (auth.sentinel): that is then what a Sentinel client sends.
      ...(username
        ? { sentinelUsername: username, sentinelPasswordFrom: passwordFrom }
        : {
            sentinelUsername: '',
            sentinelPasswordFrom: `k8s-secret:${ctx.namespace}/${ctx.secrets.auth}:${ctx.secrets.authKey}`,
          }),
      failoverTimeoutMs: sentinelFailoverBoundMs(BITNAMI_SENTINEL_DOWN_AFTER_MS),
    });
  }
  return connectionContract(d.policy, plan, {
    host: svc(`${ctx.name}-master`),
    port: REDIS_PORT,
    passwordFrom,
    username,
    caFrom,
  });
}

/**
 * The contract as a ConfigMap `<name>-connection`, so applications in the cluster can
 * `envFrom: [{ configMapRef: { name: <name>-connection } }]` and read the password from the Secret
 * that REDIS_PASSWORD_FROM names.
 */
export function addConnectionConfigMap(scope: Construct, d: Deployment, flavor: Flavor): kplus.ConfigMap {
  const ctx = makeContext(d, flavor);
  return new kplus.ConfigMap(scope, 'Connection', {
    metadata: {
      name: `${ctx.name}-connection`,
      namespace: ctx.namespace,
      annotations: {
        'redis-iac/usage': 'envFrom configMapRef; the password is in the Secret REDIS_PASSWORD_FROM names',
      },
    },
    data: kubernetesContract(d, flavor),
  });
}
