/**
 * Pulumi mocks that record what a program would create, for tests and the offline preview.
 *
 * There is no Pulumi engine here: `pulumi.runtime.setMocks` routes every resource registration to
 * `newResource`, which records the type, name and inputs and answers with plausible outputs (host
 * names, ports, CA certificates, keys) so dependent resources and stack outputs resolve.
 * The fake secrets below are recognisable on purpose: tests scan artifacts for them.
 */
import type * as pulumi from '@pulumi/pulumi';

/** Values the mocks hand out as secrets; no artifact may ever contain them. */
export const FAKE_SECRETS = {
  authString: 'MOCK-AUTH-STRING-5f1c7a0e-never-print-me',
  primaryKey: 'MOCK-PRIMARY-KEY-9d2b44c1-never-print-me',
  secondaryKey: 'MOCK-SECONDARY-KEY-0e7f19aa-never-print-me',
} as const;

const FAKE_CA = '-----BEGIN CERTIFICATE-----\nMOCK-CA-CERTIFICATE\n-----END CERTIFICATE-----\n';
export const FAKE_PRINCIPAL = '11111111-2222-4333-8444-555555555555';

/** One recorded resource registration. */
export interface RecordedResource {
  type: string;
  name: string;
  /** Inputs as the engine would receive them; secrets are still wrapped (see redact()). */
  inputs: Record<string, unknown>;
}

/** Outputs a real provider would add, per resource type. */
// Mock inputs are untyped wire data; string fields are read as such.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Wire = Record<string, any>;

function providerOutputs(type: string, inputs: Wire): Record<string, unknown> {
  switch (type) {
    case 'gcp:redis/instance:Instance':
      return {
        host: '10.20.0.3',
        port: inputs.transitEncryptionMode === 'SERVER_AUTHENTICATION' ? 6378 : 6379,
        readEndpoint: inputs.readReplicasMode === 'READ_REPLICAS_ENABLED' ? '10.20.0.4' : '',
        readEndpointPort: 6379,
        authString: inputs.authEnabled ? FAKE_SECRETS.authString : '',
        serverCaCerts: [{ cert: FAKE_CA }],
        currentLocationId: `${inputs.region}-a`,
      };
    case 'gcp:redis/cluster:Cluster':
      return {
        discoveryEndpoints: [{ address: '10.20.0.5', port: 6379 }],
        managedServerCas: [{ caCerts: [{ certificates: [FAKE_CA] }] }],
      };
    case 'azure-native:redis:Redis':
      return {
        hostName: `${inputs.name}.redis.cache.windows.net`,
        port: 6379,
        sslPort: 6380,
        // Azure assigns the system-assigned identity's principal when the cache is created.
        ...(inputs.identity ? { identity: { ...inputs.identity, principalId: FAKE_PRINCIPAL } } : {}),
      };
    case 'azure-native:redisenterprise:RedisEnterprise':
      return { hostName: `${inputs.clusterName}.${inputs.location}.redis.azure.net` };
    case 'azure-native:redisenterprise:Database':
      return { name: inputs.databaseName ?? 'default' };
    case 'azure-native:managedidentity:UserAssignedIdentity':
      return { principalId: FAKE_PRINCIPAL, clientId: FAKE_PRINCIPAL };
    case 'azure-native:storage:StorageAccount':
      return { name: inputs.accountName };
    case 'azure-native:network:PrivateEndpoint':
      return { name: inputs.privateEndpointName };
    default:
      return {};
  }
}

/** A readable fake resource id (ARM-like for Azure, self-link-like for GCP). */
function fakeId(type: string, name: string, inputs: Wire): string {
  const physical =
    inputs.name ??
    inputs.clusterName ??
    inputs.databaseName ??
    inputs.accountName ??
    inputs.resourceName ??
    inputs.secretId ??
    name;
  if (type.startsWith('azure-native:')) {
    const rg = inputs.resourceGroupName ?? 'rg';
    return `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${rg}/providers/${type.split(':')[1]}/${physical}`;
  }
  if (type.startsWith('gcp:'))
    return `projects/${inputs.project ?? 'project'}/locations/${inputs.region ?? 'global'}/${type.split(':')[2]}/${physical}`;
  return `${physical}-id`;
}

/** The subscription the mocked Azure provider deploys into (what getClientConfig answers). */
export const DEPLOY_SUBSCRIPTION_ID = '00000000-0000-0000-0000-000000000000';

export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly calls: string[] = [];

  newResource(args: pulumi.runtime.MockResourceArgs): pulumi.runtime.MockResourceResult {
    this.resources.push({ type: args.type, name: args.name, inputs: args.inputs });
    const id = fakeId(args.type, args.name, args.inputs);
    return { id, state: { ...args.inputs, ...providerOutputs(args.type, args.inputs) } };
  }

  call(args: pulumi.runtime.MockCallArgs): pulumi.runtime.MockCallResult {
    this.calls.push(args.token);
    if (
      args.token === 'azure-native:redis:listRedisKeys' ||
      args.token === 'azure-native:redisenterprise:listDatabaseKeys'
    ) {
      return { primaryKey: FAKE_SECRETS.primaryKey, secondaryKey: FAKE_SECRETS.secondaryKey };
    }
    if (args.token === 'azure-native:authorization:getClientConfig') {
      return {
        subscriptionId: DEPLOY_SUBSCRIPTION_ID,
        tenantId: '00000000-0000-0000-0000-000000000001',
        clientId: '00000000-0000-0000-0000-000000000002',
        objectId: '00000000-0000-0000-0000-000000000003',
      };
    }
    return {};
  }
}

/** Pulumi's wire marker for a secret value (see @pulumi/pulumi runtime/rpc). */
const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export function isWireSecret(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}

export const REDACTED = '[secret]';

/** Copy of `v` with every Pulumi secret replaced by "[secret]". */
export function redact(v: unknown): unknown {
  if (isWireSecret(v)) return REDACTED;
  if (Array.isArray(v)) return v.map(redact);
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, redact(x)]));
  }
  return v;
}
