import type { Engine, Profile, WaivableRule } from '../spec/schema';

/** A waiver that the spec declared and that the policy actually used to weaken a default. */
export interface AppliedWaiver {
  rule: WaivableRule;
  reason: string;
  /** What the production default was and what the spec chose instead. */
  detail: string;
}

/**
 * The fully resolved policy for one deployment: every setting explicit, profile defaults applied,
 * contradictions already rejected. Adapters read only this (and the plan), never the raw spec.
 */
export interface ResolvedPolicy {
  name: string;
  profile: Profile;
  engine: Engine;
  /** major.minor, e.g. "7.1". */
  engineVersion: string;
  security: {
    tls: boolean;
    tlsMinVersion: '1.2' | '1.3';
    auth: boolean;
    /** Length of the generated auth token / password. Never the token itself. */
    authTokenLength: number;
    encryptionAtRest: boolean;
    privateNetworking: boolean;
    /** ACL users (application + metrics) instead of one shared password, where the platform has ACLs. */
    acl: boolean;
    /** Commands the application user may not run; self-hosted configs also disable them. */
    deniedCommands: string[];
    /** Commands renamed to an unguessable name on self-hosted nodes (only the operator knows it). */
    renamedCommands: string[];
  };
  persistence: {
    rdb: boolean;
    snapshotRetentionDays: number;
    /** Daily UTC window "HH:MM-HH:MM". */
    snapshotWindow: string;
    snapshotPeriodHours: 1 | 6 | 12 | 24;
    aof: boolean;
    aofFsync: 'always' | 'everysec' | 'no';
    /** redis.conf `save` rules (seconds, changes). */
    saveRules: Array<[number, number]>;
  };
  availability: {
    topology: 'auto' | 'standalone' | 'replication' | 'cluster';
    automaticFailover: boolean;
    multiAz: boolean;
    /** Minimum zones replicas must be spread over (1 when multiAz is off). */
    minZones: number;
    replicasPerShard: number;
    minShards: number;
    deletionProtection: boolean;
  };
  /** Weekly UTC window "ddd:HH:MM-ddd:HH:MM"; never overlaps the snapshot window. */
  maintenanceWindow: string;
  keyspace: {
    prefix: string;
    /** One character between the prefix and the rest of a key (spec keyspace.separator, default ":"). */
    separator: string;
    /** Default TTL clients apply to cache entries (CACHE_DEFAULT_TTL); the spec's or CACHE.defaultTtlSeconds. */
    defaultTtlSeconds: number;
    evictionPolicy: string;
    keyspaceNotifications: string;
    databases: Array<{ index: number; name: string; prefix: string; ttlSeconds?: number }>;
  };
  alerts: {
    enabled: boolean;
    email?: string;
    memoryPercent: number;
    /** Engine-thread CPU (EngineCPUUtilization, serverLoad), percent: the critical CPU alert. */
    cpuPercent: number;
    /** Host or process CPU, percent: the guide's "CPUUtilization < 70%" warning. */
    cpuWarningPercent: number;
    /** Lowest acceptable keyspace hit rate, 0..1 (guide: hits / (hits + misses) > 0.8). */
    hitRateMin: number;
    connectionsPercent: number;
    evictionsPerHour: number;
    replicationLagSeconds: number;
    latencyP95Ms: number;
  };
  /** Every waiver in force; outputs list them all. */
  waivers: AppliedWaiver[];
  tags: Record<string, string>;
}
