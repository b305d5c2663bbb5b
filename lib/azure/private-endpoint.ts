/**
 * A private endpoint for a cache in the spec's subnet, registered in the private DNS zone when one is
 * given. With public network access disabled this is the only way to reach the cache.
 */
import * as pulumi from '@pulumi/pulumi';
import * as network from '@pulumi/azure-native/network';
import { transformed, type Transform } from '../pulumi/transform';

export interface PrivateEndpointArgs {
  resourceGroupName: string;
  location: string;
  subnetId: string;
  /** Resource id of the cache (Premium) or cluster (Managed Redis). */
  targetId: pulumi.Input<string>;
  /** Private link sub-resource: 'redisCache' (Premium) or 'redisEnterprise' (Managed Redis). */
  groupId: 'redisCache' | 'redisEnterprise';
  endpointName: string;
  privateDnsZoneId?: string;
  tags: Record<string, string>;
  transform?: Transform<network.PrivateEndpointArgs>;
}

export function createPrivateEndpoint(
  name: string,
  args: PrivateEndpointArgs,
  parent: pulumi.Resource,
): network.PrivateEndpoint {
  const endpointArgs: network.PrivateEndpointArgs = {
    privateEndpointName: args.endpointName,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    subnet: { id: args.subnetId },
    privateLinkServiceConnections: [
      { name: `${args.endpointName}-link`, privateLinkServiceId: args.targetId, groupIds: [args.groupId] },
    ],
    tags: args.tags,
  };
  const endpoint = new network.PrivateEndpoint(
    ...transformed(`${name}-pe`, endpointArgs, { parent }, args.transform),
  );
  if (args.privateDnsZoneId) {
    new network.PrivateDnsZoneGroup(
      `${name}-pe-dns`,
      {
        privateEndpointName: endpoint.name,
        resourceGroupName: args.resourceGroupName,
        privateDnsZoneGroupName: 'default',
        privateDnsZoneConfigs: [{ name: 'redis', privateDnsZoneId: args.privateDnsZoneId }],
      },
      { parent },
    );
  }
  return endpoint;
}
