/**
 * The parts around a Redis flavor (server certificate, TLS reload, monitoring, backup, network
 * policy), each added on its own from the flavor's {@link FlavorPartProps}. The public constructs
 * (lib/public/k8s.ts) add them with the flavor or one at a time; a part never needs another part in
 * the same chart: what one refers to (Secret names, job pod labels) follows from the policy alone.
 */
import type { Construct } from 'constructs';
import { backupPodLabels, RedisBackup, type RedisBackupProps } from './backup';
import { backupWanted, type K8sContext } from './context';
import { RedisMonitoring, type RedisMonitoringProps } from './monitoring';
import { RedisNetworkPolicy } from './network';
import {
  RedisTls,
  RedisTlsReload,
  tlsReloadPodLabels,
  type RedisTlsProps,
  type RedisTlsReloadProps,
} from './tls';

/** What the parts need to know about a flavor's pods and Services (lib/k8s/opstree.ts, lib/k8s/bitnami.ts). */
export interface FlavorPartProps {
  readonly tls: Omit<RedisTlsProps, 'ctx'>;
  readonly tlsReload: Omit<RedisTlsReloadProps, 'ctx'>;
  readonly monitoring: Omit<RedisMonitoringProps, 'ctx'>;
  readonly backup: Omit<RedisBackupProps, 'ctx'>;
  /** Whether Sentinel runs next to Redis (its port is opened to clients and peers). */
  readonly sentinel: boolean;
}

/** Whether the policy creates the objects of the certificate part (and the TLS reload job). */
export function tlsWanted(ctx: K8sContext): boolean {
  return ctx.policy.security.tls;
}

export function addTls(scope: Construct, ctx: K8sContext, parts: FlavorPartProps): RedisTls {
  return new RedisTls(scope, 'Tls', { ctx, ...parts.tls });
}

export function addTlsReload(scope: Construct, ctx: K8sContext, parts: FlavorPartProps): RedisTlsReload {
  return new RedisTlsReload(scope, 'TlsReload', { ctx, ...parts.tlsReload });
}

export function addMonitoring(scope: Construct, ctx: K8sContext, parts: FlavorPartProps): RedisMonitoring {
  return new RedisMonitoring(scope, 'Monitoring', { ctx, ...parts.monitoring });
}

export function addBackup(scope: Construct, ctx: K8sContext, parts: FlavorPartProps): RedisBackup {
  return new RedisBackup(scope, 'Backup', { ctx, ...parts.backup });
}

/**
 * The NetworkPolicies. The backup and TLS-reload jobs are admitted whenever the policy creates them,
 * so the policy is the same whether those parts are in this chart, in another one, or left out.
 */
export function addNetworkPolicy(
  scope: Construct,
  ctx: K8sContext,
  parts: FlavorPartProps,
): RedisNetworkPolicy {
  const backup = backupWanted(ctx.policy);
  return new RedisNetworkPolicy(scope, 'NetworkPolicy', {
    ctx,
    backupPodLabels: backup ? backupPodLabels(ctx) : undefined,
    backupToS3: backup && !!ctx.target.backupTarget?.s3Bucket,
    tlsReloadPodLabels: tlsWanted(ctx) ? tlsReloadPodLabels(ctx) : undefined,
    sentinel: parts.sentinel,
  });
}
