/**
 * spec -> ResolvedPolicy. Applies the profile defaults, then the spec's own choices, then checks:
 * - production weakenings need a waiver (and every waiver must be used),
 * - contradictions are errors whatever the waivers say.
 */
import { SpecError } from '../errors';
import type { Spec, WaivableRule } from '../spec/schema';
import { DEFAULT_ENGINE_VERSION, PRODUCTION_MINIMUMS, PROFILE_DEFAULTS, waiverApplies } from './profiles';
import type { AppliedWaiver, ResolvedPolicy } from './types';
import { checkEngineVersion } from './engine-version';
import { dailyParts, durationMinutes, parseWeekly, windowsOverlap } from './windows';

export function resolvePolicy(spec: Spec, source = 'spec'): ResolvedPolicy {
  const d = PROFILE_DEFAULTS[spec.profile];
  const s = spec.security;
  const p = spec.persistence;
  const a = spec.availability;
  const k = spec.keyspace;

  const rdb = p.rdb ?? d.persistence.rdb;
  if (
    spec.sizing?.replicas !== undefined &&
    a.replicasPerShard !== undefined &&
    a.replicasPerShard !== spec.sizing.replicas
  ) {
    throw new SpecError(
      'sizing.replicas',
      spec.sizing.replicas,
      `availability.replicasPerShard says ${a.replicasPerShard}: give the replica count in one place`,
      source,
    );
  }
  const replicasPerShard = a.replicasPerShard ?? spec.sizing?.replicas ?? d.availability.replicasPerShard;
  const multiAz = a.multiAz ?? (replicasPerShard > 0 ? d.availability.multiAz : false);
  const engineVersion = spec.engineVersion ?? DEFAULT_ENGINE_VERSION[spec.engine];
  checkEngineVersion(spec, engineVersion, source);
  const policy: ResolvedPolicy = {
    name: spec.name,
    profile: spec.profile,
    engine: spec.engine,
    engineVersion,
    security: {
      ...d.security,
      tls: s.tls ?? d.security.tls,
      tlsMinVersion: s.tlsMinVersion ?? d.security.tlsMinVersion,
      auth: s.auth ?? d.security.auth,
      authTokenLength: s.authTokenLength ?? d.security.authTokenLength,
      encryptionAtRest: s.encryptionAtRest ?? d.security.encryptionAtRest,
      privateNetworking: s.privateNetworking ?? d.security.privateNetworking,
      acl: s.acl ?? d.security.acl,
    },
    persistence: {
      rdb,
      snapshotRetentionDays:
        p.snapshotRetentionDays ?? (rdb ? Math.max(1, d.persistence.snapshotRetentionDays) : 0),
      snapshotWindow: p.snapshotWindow ?? d.persistence.snapshotWindow,
      snapshotPeriodHours: p.snapshotPeriodHours ?? d.persistence.snapshotPeriodHours,
      aof: p.aof ?? d.persistence.aof,
      aofFsync: p.aofFsync ?? d.persistence.aofFsync,
      saveRules: rdb
        ? d.persistence.saveRules.length
          ? d.persistence.saveRules
          : PROFILE_DEFAULTS.production.persistence.saveRules
        : [],
    },
    availability: {
      topology: a.topology ?? d.availability.topology,
      automaticFailover:
        a.automaticFailover ?? (replicasPerShard > 0 ? d.availability.automaticFailover : false),
      multiAz,
      minZones: multiAz ? PRODUCTION_MINIMUMS.minZones : 1,
      replicasPerShard,
      minShards: a.minShards ?? d.availability.minShards,
      deletionProtection: a.deletionProtection ?? d.availability.deletionProtection,
    },
    maintenanceWindow: spec.maintenanceWindow ?? d.maintenanceWindow,
    keyspace: {
      prefix: k.prefix ?? spec.name,
      separator: k.separator ?? d.keyspace.separator,
      defaultTtlSeconds: k.defaultTtlSeconds ?? d.keyspace.defaultTtlSeconds,
      evictionPolicy: k.evictionPolicy ?? d.keyspace.evictionPolicy,
      keyspaceNotifications: k.keyspaceNotifications ?? d.keyspace.keyspaceNotifications,
      databases: k.databases ?? [],
    },
    alerts: { ...d.alerts, ...stripUndefined(spec.alerts) },
    waivers: [],
    tags: { 'managed-by': 'redis-iac', deployment: spec.name, profile: spec.profile, ...spec.tags },
  };

  checkContradictions(spec, policy, source);
  policy.waivers = checkWaivers(spec, policy, source);
  return policy;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Errors whatever the waivers say: the spec asks for two things that cannot both hold. */
function checkContradictions(spec: Spec, p: ResolvedPolicy, source: string): void {
  const err = (field: string, value: unknown, allowed: string) =>
    new SpecError(field, value, allowed, source);
  const per = p.persistence;
  if (per.rdb && per.snapshotRetentionDays < 1) {
    throw err(
      'persistence.snapshotRetentionDays',
      per.snapshotRetentionDays,
      'expected >= 1 day while RDB snapshots are on (or set persistence.rdb: false)',
    );
  }
  if (!per.rdb && (spec.persistence.snapshotRetentionDays ?? 0) > 0) {
    throw err(
      'persistence.snapshotRetentionDays',
      spec.persistence.snapshotRetentionDays,
      'retention needs persistence.rdb: true',
    );
  }
  if (dailyParts(per.snapshotWindow).minutes < 60) {
    throw err(
      'persistence.snapshotWindow',
      per.snapshotWindow,
      'expected a window of at least 60 minutes (ElastiCache minimum)',
    );
  }
  const maintenanceMinutes = durationMinutes(parseWeekly(p.maintenanceWindow));
  if (maintenanceMinutes < 60) {
    throw err('maintenanceWindow', p.maintenanceWindow, 'expected a window of at least 60 minutes');
  }
  if (maintenanceMinutes > 24 * 60) {
    // ElastiCache refuses a PreferredMaintenanceWindow longer than 24 hours at deploy time; an end
    // before the start (sun:05:00-sun:04:00) also lands here, as a window of almost a week.
    throw err(
      'maintenanceWindow',
      p.maintenanceWindow,
      `expected a window of at most 24 hours (this one is ${Math.round(maintenanceMinutes / 60)} h; ElastiCache limit), e.g. "sun:05:00-sun:07:00"`,
    );
  }
  if (per.rdb && windowsOverlap(p.maintenanceWindow, per.snapshotWindow)) {
    throw err(
      'maintenanceWindow',
      p.maintenanceWindow,
      `overlaps the snapshot window ${per.snapshotWindow}; move one of them`,
    );
  }
  const av = p.availability;
  if (av.automaticFailover && av.replicasPerShard === 0) {
    throw err(
      'availability.automaticFailover',
      true,
      'automatic failover needs availability.replicasPerShard >= 1',
    );
  }
  if (av.multiAz && !av.automaticFailover) {
    throw err('availability.multiAz', true, 'multi-AZ needs availability.automaticFailover: true');
  }
  if (av.topology === 'standalone' && av.replicasPerShard > 0) {
    throw err(
      'availability.topology',
      'standalone',
      'a standalone topology has no replicas: set replicasPerShard: 0 or topology: replication',
    );
  }
  if (av.topology === 'replication' && av.replicasPerShard === 0) {
    // Otherwise the plan says "replication" and builds a single node: the spec asked for a replica.
    throw err(
      'availability.topology',
      'replication',
      `a replication topology needs a replica, but replicasPerShard is 0${spec.availability.replicasPerShard === undefined ? ` (the ${p.profile} default)` : ''}: set availability.replicasPerShard: 1 or topology: standalone`,
    );
  }
  if (av.topology === 'cluster' || (spec.availability.minShards && spec.availability.minShards > 1)) {
    const bad = p.keyspace.databases.findIndex((db) => db.index !== 0);
    if (bad >= 0) {
      throw err(
        `keyspace.databases.${bad}.index`,
        p.keyspace.databases[bad].index,
        'cluster mode has no SELECT: use index 0 and a key prefix per database',
      );
    }
  }
  if (!p.security.tls && spec.security.tlsMinVersion) {
    throw err(
      'security.tlsMinVersion',
      spec.security.tlsMinVersion,
      'a TLS version needs security.tls: true',
    );
  }
  if (
    p.profile === 'production' &&
    p.security.auth &&
    p.security.authTokenLength < PRODUCTION_MINIMUMS.authTokenLength
  ) {
    throw err(
      'security.authTokenLength',
      p.security.authTokenLength,
      `expected >= ${PRODUCTION_MINIMUMS.authTokenLength} in production`,
    );
  }
  const seen = new Set<string>();
  spec.waivers.forEach((w, i) => {
    if (seen.has(w.rule)) throw err(`waivers.${i}.rule`, w.rule, 'each rule may be waived once');
    seen.add(w.rule);
  });
}

/** Which production rules the spec weakens, with the field that weakens each. */
function weakenings(
  p: ResolvedPolicy,
  spec: Spec,
): Array<{ rule: WaivableRule; field: string; value: unknown; detail: string }> {
  const out: Array<{ rule: WaivableRule; field: string; value: unknown; detail: string }> = [];
  const add = (rule: WaivableRule, field: string, value: unknown, detail: string) =>
    out.push({ rule, field, value, detail });
  const { security: s, persistence: per, availability: av } = p;
  if (!s.tls) add('tls', 'security.tls', false, 'TLS off: clients and replication in plaintext');
  if (!s.auth) add('auth', 'security.auth', false, 'no password or token');
  if (!s.encryptionAtRest)
    add('encryption-at-rest', 'security.encryptionAtRest', false, 'data and snapshots unencrypted at rest');
  if (!s.privateNetworking)
    add('private-networking', 'security.privateNetworking', false, 'reachable from outside private networks');
  if (!av.automaticFailover)
    add(
      'automatic-failover',
      'availability.automaticFailover',
      false,
      `no automatic failover (replicasPerShard ${av.replicasPerShard})`,
    );
  if (!av.multiAz) add('multi-az', 'availability.multiAz', false, 'replicas not spread over >= 2 zones');
  if (!per.rdb || per.snapshotRetentionDays < PRODUCTION_MINIMUMS.snapshotRetentionDays) {
    add(
      'snapshot-retention',
      'persistence.snapshotRetentionDays',
      per.rdb ? per.snapshotRetentionDays : 'rdb off',
      `snapshots retained ${per.rdb ? per.snapshotRetentionDays : 0} days, production minimum ${PRODUCTION_MINIMUMS.snapshotRetentionDays}`,
    );
  }
  if (!per.aof || per.aofFsync === 'no')
    add(
      'aof',
      'persistence.aof',
      per.aof ? per.aofFsync : false,
      'no AOF everysec: up to a snapshot interval of writes can be lost',
    );
  if (!av.deletionProtection)
    add(
      'deletion-protection',
      'availability.deletionProtection',
      false,
      'the data store can be deleted with the stack',
    );
  if (!p.alerts.enabled)
    add('alerts', 'alerts.enabled', false, 'no alerts on memory, evictions, connections, replication');
  // Azure: access keys are one shared secret per cache; production names the app's Entra identity.
  if (!spec.targets.azure?.appPrincipalId)
    add(
      'entra-id',
      'targets.azure.appPrincipalId',
      undefined,
      "Azure access keys stay on (one shared key per cache): set the application's Entra object id to turn them off",
    );
  return out;
}

function checkWaivers(spec: Spec, p: ResolvedPolicy, source: string): AppliedWaiver[] {
  if (p.profile !== 'production') {
    // Outside production the profile itself allows these weakenings; a waiver would be noise.
    if (spec.waivers.length > 0) {
      throw new SpecError(
        'waivers',
        spec.waivers.map((w) => w.rule),
        `waivers apply to production only; remove them for profile ${p.profile}`,
        source,
      );
    }
    return [];
  }
  // Only the rules of targets the spec enables (WAIVER_TARGETS) count, as weakenings and as waivers.
  const weak = weakenings(p, spec).filter((w) => waiverApplies(w.rule, spec));
  const applied: AppliedWaiver[] = [];
  for (const w of weak) {
    const waiver = spec.waivers.find((x) => x.rule === w.rule);
    if (!waiver) {
      throw new SpecError(
        w.field,
        w.value,
        `production requires this (${w.detail}); restore the default or add a waiver {rule: ${w.rule}, reason: ...}`,
        source,
      );
    }
    applied.push({ rule: w.rule, reason: waiver.reason, detail: w.detail });
  }
  spec.waivers.forEach((w, i) => {
    if (!waiverApplies(w.rule, spec)) return;
    if (!weak.some((x) => x.rule === w.rule)) {
      throw new SpecError(
        `waivers.${i}.rule`,
        w.rule,
        'this rule is not weakened by the spec; remove the unused waiver',
        source,
      );
    }
  });
  return applied;
}
