/**
 * The parts both Azure components (Premium and Managed Redis) build the same way: the opening notes,
 * the private endpoint in the spec's subnet, the access-key-or-Entra-ID credential reference and the
 * connection contract. Only what differs (resource ids, private link group, key listing) is passed in.
 */
import * as pulumi from '@pulumi/pulumi';
import type * as monitor from '@pulumi/azure-native/monitor';
import type * as network from '@pulumi/azure-native/network';
import { connectionContract, type ConnectionContract } from '../contract';
import type { Plan } from '../planner/types';
import type { ResolvedPolicy } from '../policy/types';
import type { Transform } from '../pulumi/transform';
import { createPrivateEndpoint, type PrivateEndpointArgs } from './private-endpoint';
import {
  AZURE_REDIS_ENTRA_SCOPE,
  authAlwaysOn,
  azureMinimumTls,
  entraPrincipal,
  type AzurePlacement,
} from './settings';

/** What both Azure components take (each adds transforms for its own resources). */
export interface AzureCacheArgs {
  policy: ResolvedPolicy;
  /** The plan; the component reads its own choice (`plan.choices['azure-premium' | 'azure-managed']`). */
  plan: Plan;
  /** The spec's `targets.azure`. */
  target: AzurePlacement;
  /**
   * Log Analytics workspace for diagnostic settings.
   * @default a workspace created for this cache (30 days retention)
   */
  logAnalyticsWorkspaceId?: pulumi.Input<string>;
}

/** Transforms of the resources both Azure components create. */
export interface AzureCommonTransforms {
  privateEndpoint?: Transform<network.PrivateEndpointArgs>;
  diagnosticSetting?: Transform<monitor.DiagnosticSettingArgs>;
  metricAlert?: Transform<monitor.MetricAlertArgs>;
}

/** Notes every Azure cache gets: the TLS floor Azure can offer, and that Azure always authenticates. */
export function azureCommonNotes(policy: ResolvedPolicy): string[] {
  const notes: string[] = [];
  const tls = azureMinimumTls(policy).note;
  if (tls) notes.push(tls);
  if (!policy.security.auth) {
    notes.push(
      'Azure always authenticates clients (access key or Entra ID token); the policy turns auth off, but clients still need REDIS_PASSWORD_FROM.',
    );
  }
  return notes;
}

/**
 * With Entra ID the access keys are off: the application identity of the spec gets the data access
 * policy; other identities (operators, a metrics exporter) need their own assignment.
 */
export function entraAccessNote(service: 'premium' | 'managed', principal: string): string {
  return service === 'premium'
    ? `Entra ID is on and access keys are off: identity ${principal} holds the "Data Contributor" access policy; give any other client identity its own redis.AccessPolicyAssignment ("Data Contributor" or "Data Reader").`
    : `Entra ID is on and access keys are off: identity ${principal} holds the database's "default" access policy; give any other client identity its own redisenterprise.AccessPolicyAssignment.`;
}

/** Why access keys stay on, for the notes: outside production, or the production waiver. */
export function accessKeyNote(policy: ResolvedPolicy): string {
  const waiver = policy.waivers.find((w) => w.rule === 'entra-id');
  return waiver
    ? `Access keys stay on (waived, rule entra-id: ${waiver.reason}); every client shares one key.`
    : `Access keys stay on (allowed by the ${policy.profile} profile); set targets.azure.appPrincipalId to turn them off.`;
}

export interface CacheEndpointArgs {
  policy: ResolvedPolicy;
  target: AzurePlacement;
  /** Resource id of the cache (Premium) or cluster (Managed Redis). */
  targetId: pulumi.Input<string>;
  groupId: PrivateEndpointArgs['groupId'];
  tags: Record<string, string>;
  transform?: Transform<network.PrivateEndpointArgs>;
}

/** The cache's private endpoint `<policy name>-redis-pe`, when the target names a subnet. */
export function createCacheEndpoint(name: string, args: CacheEndpointArgs, parent: pulumi.Resource): void {
  const { policy, target } = args;
  if (!target.subnetId) return;
  createPrivateEndpoint(
    name,
    {
      resourceGroupName: target.resourceGroup,
      location: target.location,
      subnetId: target.subnetId,
      targetId: args.targetId,
      groupId: args.groupId,
      endpointName: `${policy.name}-redis-pe`,
      privateDnsZoneId: target.privateDnsZoneId,
      tags: args.tags,
      transform: args.transform,
    },
    parent,
  );
}

export interface AzureConnection {
  /** Primary access key as a Pulumi secret; undefined when Entra ID turns keys off. */
  accessKey?: pulumi.Output<string>;
  passwordFrom: pulumi.Output<string>;
  contract: pulumi.Output<ConnectionContract>;
}

/**
 * How clients connect. The password comes from an Entra ID token for `resourceId`, or from the primary
 * access key (`primaryKey` lists the keys; it is only called when access keys are on). The contract
 * names one endpoint, which is also the cluster seed in cluster mode.
 */
export function azureConnection(
  policy: ResolvedPolicy,
  plan: Plan,
  target: AzurePlacement,
  endpoint: { host: pulumi.Output<string>; port: pulumi.Output<number>; resourceId: pulumi.Output<string> },
  primaryKey: () => pulumi.Output<string>,
): AzureConnection {
  const { host, port, resourceId } = endpoint;
  const principal = entraPrincipal(target);
  const accessKey = principal ? undefined : pulumi.secret(primaryKey());
  // With Entra ID the password is a token for the Redis scope, and the user name the object id.
  const passwordFrom = principal
    ? pulumi.output(`azure-entra:${AZURE_REDIS_ENTRA_SCOPE}`)
    : pulumi.interpolate`azure-redis-listkeys:${resourceId}:primaryKey`;
  const clusterMode = plan.topology.mode === 'cluster';
  const contract = pulumi.all([host, port, passwordFrom]).apply(([h, p, from]) =>
    connectionContract(authAlwaysOn(policy), plan, {
      host: h,
      port: p,
      passwordFrom: from,
      username: principal,
      clusterNodes: clusterMode ? [`${h}:${p}`] : undefined,
    }),
  );
  return { ...(accessKey ? { accessKey } : {}), passwordFrom, contract };
}
