/**
 * Where Azure Cache for Redis Premium writes its RDB files: a storage account that accepts no shared
 * keys (so no key ever appears in the cache's configuration, the state or an artifact) behind a
 * firewall (default Deny) whose only way in is the trusted-Azure-services exception. Microsoft
 * documents that a cache passes that exception with its **system-assigned** identity only (a
 * user-assigned one is refused by the firewall), so the cache gets a system-assigned identity and
 * that identity holds "Storage Blob Data Contributor" on this account only. The assignment can only
 * be made once the cache (and so its identity) exists; Azure writes the first backup one backup
 * period after creation, by which time it is in place.
 */
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';
import * as storage from '@pulumi/azure-native/storage';
import { transformed, type Transform } from '../pulumi/transform';
import { shortHash } from '../pulumi/names';
import { guidFrom } from './settings';

/** Built-in role "Storage Blob Data Contributor" (same GUID in every tenant). */
export const STORAGE_BLOB_DATA_CONTRIBUTOR = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe';

export interface BackupStorageArgs {
  resourceGroupName: string;
  location: string;
  /** The subscription the account is created in (the deployment's). */
  subscriptionId: pulumi.Input<string>;
  accountName: string;
  /** Zone-redundant storage when the cache spans zones. */
  zoneRedundant: boolean;
  tags: Record<string, string>;
  transform?: Transform<storage.StorageAccountArgs>;
}

export interface BackupStorage {
  account: storage.StorageAccount;
  /** rdb-storage-connection-string for managed-identity auth: the blob endpoint, no key. */
  connectionString: pulumi.Output<string>;
}

export function createBackupStorage(
  name: string,
  args: BackupStorageArgs,
  parent: pulumi.Resource,
): BackupStorage {
  const accountArgs: storage.StorageAccountArgs = {
    accountName: args.accountName,
    resourceGroupName: args.resourceGroupName,
    location: args.location,
    kind: 'StorageV2',
    sku: { name: args.zoneRedundant ? 'Standard_ZRS' : 'Standard_LRS' },
    allowSharedKeyAccess: false,
    defaultToOAuthAuthentication: true,
    allowBlobPublicAccess: false,
    enableHttpsTrafficOnly: true,
    minimumTlsVersion: 'TLS1_2',
    // Only trusted Azure services (the cache, with its system-assigned identity) get through the firewall.
    networkRuleSet: { defaultAction: 'Deny', bypass: 'AzureServices' },
    tags: args.tags,
  };
  const account = new storage.StorageAccount(
    ...transformed(`${name}-backup`, accountArgs, { parent }, args.transform),
  );
  const connectionString = pulumi.interpolate`BlobEndpoint=https://${account.name}.blob.core.windows.net/`;
  return { account, connectionString };
}

export interface BackupWriterArgs {
  resourceGroupName: string;
  subscriptionId: pulumi.Input<string>;
  accountName: string;
  /** The storage account the backups go to. */
  account: storage.StorageAccount;
  /** principalId of the cache's system-assigned identity. */
  principalId: pulumi.Input<string>;
}

/** "Storage Blob Data Contributor" on the backup account for the cache's system-assigned identity. */
export function grantBackupWriter(
  name: string,
  args: BackupWriterArgs,
  parent: pulumi.Resource,
): authorization.RoleAssignment {
  return new authorization.RoleAssignment(
    `${name}-backup-role`,
    {
      roleAssignmentName: pulumi
        .output(args.subscriptionId)
        .apply((sub) =>
          guidFrom(shortHash([sub, args.resourceGroupName, args.accountName, 'blob-contributor'], 32)),
        ),
      scope: args.account.id,
      principalId: args.principalId,
      principalType: 'ServicePrincipal',
      roleDefinitionId: pulumi.interpolate`/subscriptions/${args.subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${STORAGE_BLOB_DATA_CONTRIBUTOR}`,
      description:
        "Azure Cache for Redis writes RDB backups with its system-assigned identity (the storage firewall's trusted-services exception admits only that one)",
    },
    { parent },
  );
}
