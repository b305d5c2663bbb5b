/** Pure translations from policy / plan / spec target to Azure argument values, shared by both Azure components. */
import { SpecError } from '../errors';
import type { ResolvedPolicy } from '../policy/types';
import { weeklyParts, type Day } from '../policy/windows';

/** The spec's `targets.azure`, as both Azure components read it. */
export interface AzurePlacement {
  resourceGroup: string;
  location: string;
  /** Subnet the private endpoint goes into (required while private networking is on). */
  subnetId?: string;
  /** Private DNS zone (privatelink.redis.cache.windows.net / privatelink.redis.azure.net) to register in. */
  privateDnsZoneId?: string;
  /** Microsoft Entra ID authentication instead of access keys (on whenever appPrincipalId is set). */
  entraId?: boolean;
  /** Entra object id of the application identity that gets data access (and is its Redis user name). */
  appPrincipalId?: string;
  /** Existing action group for alerts; default: one with the policy's alert email. */
  actionGroupId?: string;
}

type AzureDay = 'Sunday' | 'Monday' | 'Tuesday' | 'Wednesday' | 'Thursday' | 'Friday' | 'Saturday';

const AZURE_DAYS: Record<Day, AzureDay> = {
  sun: 'Sunday',
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
};

/** Azure Cache for Redis patch windows are at least 5 hours long. */
export const MIN_PATCH_WINDOW_HOURS = 5;

/** One Premium patch schedule entry from the weekly maintenance window. */
export function patchScheduleEntry(policy: ResolvedPolicy): {
  dayOfWeek: AzureDay;
  startHourUtc: number;
  maintenanceWindow: string;
} {
  const parts = weeklyParts(policy.maintenanceWindow);
  return {
    dayOfWeek: AZURE_DAYS[parts.day],
    startHourUtc: parts.startHour,
    maintenanceWindow: `PT${Math.max(MIN_PATCH_WINDOW_HOURS, parts.hours)}H`,
  };
}

/** Subscription id parsed from a resource id such as the subnet id. */
export function subscriptionOf(resourceId: string, field: string): string {
  const m = /^\/subscriptions\/([0-9a-fA-F-]{36})\//.exec(resourceId);
  if (!m)
    throw new SpecError(
      field,
      resourceId,
      'expected a resource id starting /subscriptions/<subscription GUID>/',
    );
  return m[1];
}

/**
 * The target settings the components cannot work without. Private networking needs a subnet for the
 * private endpoint; the check names the spec field so the fix is obvious.
 */
export function checkPlacement(policy: ResolvedPolicy, target: AzurePlacement | undefined): AzurePlacement {
  if (!target) {
    throw new SpecError(
      'targets.azure',
      undefined,
      'add targets.azure with resourceGroup, location and subnetId',
    );
  }
  if (policy.security.privateNetworking && !target.subnetId) {
    throw new SpecError(
      'targets.azure.subnetId',
      undefined,
      'private networking needs the subnet for the private endpoint: set targets.azure.subnetId (or waive private-networking)',
    );
  }
  entraPrincipal(target);
  if (target.subnetId) {
    const m = /\/subnets\/[^/]+$/.exec(target.subnetId);
    if (!m)
      throw new SpecError(
        'targets.azure.subnetId',
        target.subnetId,
        'expected a subnet resource id ending in /subnets/<name>',
      );
  }
  return target;
}

/** The Entra ID scope a client requests a token for, for both Azure Cache for Redis and Managed Redis. */
export const AZURE_REDIS_ENTRA_SCOPE = 'https://redis.azure.com/.default';

/**
 * The application identity when clients authenticate with Entra ID (access keys off), or undefined
 * when access keys stay on (outside production, or waived with rule entra-id). Entra without an
 * identity would leave no client able to connect, so it names the missing field.
 */
export function entraPrincipal(target: AzurePlacement): string | undefined {
  if (target.appPrincipalId) return target.appPrincipalId;
  if (target.entraId) {
    throw new SpecError(
      'targets.azure.appPrincipalId',
      undefined,
      "Entra ID turns access keys off, so the application's identity needs data access: set its Entra object id (a GUID), or drop entraId",
    );
  }
  return undefined;
}

/** Azure tags from the policy tags (Azure allows them as they are). */
export function azureTags(policy: ResolvedPolicy): Record<string, string> {
  return { ...policy.tags };
}

/** A stable GUID from text (role assignment names must be GUIDs and must not change between runs). */
export function guidFrom(hex: string): string {
  const h = hex.padEnd(32, '0').slice(0, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The minimum TLS version Azure can enforce: both Azure Cache for Redis and Managed Redis accept at
 * most "1.2" as the minimum. A policy asking for 1.3 gets 1.2 enforced and a note (clients that
 * speak 1.3 still negotiate it).
 */
export function azureMinimumTls(policy: ResolvedPolicy): { version: '1.2'; note?: string } {
  return policy.security.tlsMinVersion === '1.3'
    ? {
        version: '1.2',
        note: 'Azure enforces at most TLS 1.2 as the minimum; the policy asks for 1.3, so 1.2 is the enforced floor.',
      }
    : { version: '1.2' };
}

/**
 * The policy as the connection contract must see it on Azure: both services always require a key or
 * an Entra ID token behind a private endpoint, so clients get REDIS_PASSWORD_FROM even when the
 * policy has auth off.
 */
export function authAlwaysOn(policy: ResolvedPolicy): ResolvedPolicy {
  return policy.security.auth ? policy : { ...policy, security: { ...policy.security, auth: true } };
}
