/**
 * A user's own Pulumi program: Redis for the orders service on Azure Managed Redis and on
 * Memorystore, both from redis-iac, sized for 100,000 devices with the production policy.
 */
import { AzureManagedRedis } from 'redis-iac/azure';
import { MemorystoreRedis } from 'redis-iac/gcp';
import { planRedis } from 'redis-iac/planner';

const sizing = planRedis({ devices: 100000 });
// The production policy; alerts must reach someone (an action group / a notification channel).
const policy = { profile: 'production' as const, alerts: { email: 'oncall@orders.example.com' } };

const azure = new AzureManagedRedis('orders', {
  resourceGroup: 'rg-orders',
  location: 'eastus',
  subnetId:
    '/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-orders/subnets/redis',
  // The orders service's Entra identity: access keys stay off, it signs in with a token.
  appPrincipalId: '9e1f6a7b-0c2d-4e3f-8a4b-5c6d7e8f9a01',
  policy,
  sizing,
});

const gcp = new MemorystoreRedis('sessions', {
  project: 'acme-orders-prod',
  region: 'us-central1',
  network: 'orders-vpc',
  policy,
  sizing,
});

/** What applications read (REDIS_* variables; the passwords stay in Azure / Secret Manager). */
export const azureContract = azure.contract;
export const gcpContract = gcp.contract;
