/**
 * Deletion protection for an Azure data store: a CanNotDelete management lock on the resource (it
 * also stops deletion from the portal or the CLI, not only from Pulumi) plus Pulumi's `protect`.
 */
import * as pulumi from '@pulumi/pulumi';
import * as authorization from '@pulumi/azure-native/authorization';

export function createDeleteLock(
  name: string,
  scope: pulumi.Input<string>,
  lockName: string,
  parent: pulumi.Resource,
): authorization.ManagementLockByScope {
  return new authorization.ManagementLockByScope(
    `${name}-lock`,
    {
      scope,
      level: 'CanNotDelete',
      lockName,
      notes: 'Deletion protection from the deployment policy (availability.deletionProtection).',
    },
    { parent },
  );
}
