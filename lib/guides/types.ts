/**
 * The five deployment guides as acceptance tests: every recommendation they make, in our own words,
 * with the check that finds it in the synthesized artifacts (data/recommendations.json), and the
 * reasons a departure may cite (data/reasons.json).
 */
import { z } from '../zod';
import { TARGETS } from '../conformance/types';
import { PROFILES } from '../spec/schema';

export const GUIDES = {
  '000': 'guides/000_7e458c6c1cedcf5a.txt',
  '001': 'guides/001_c25b119988a15ba1.txt',
  '002': 'guides/002_8844d1214f9c87e0.txt',
  '003': 'guides/003_644b200b3ea69806.txt',
  '004': 'guides/004_1096e42d3e3170b3.txt',
} as const;

/** Alert signals the checker can find in every platform's alert definitions. */
export const SIGNALS = [
  'down',
  'cpu',
  'engine-cpu',
  'memory',
  'connections',
  'evictions',
  'replication-lag',
  'latency',
  'hit-rate',
] as const;
export type Signal = (typeof SIGNALS)[number];

const INVARIANT_IDS = [
  'tls',
  'auth',
  'encryption-at-rest',
  'private-networking',
  'replicas-zones',
  'snapshots',
  'maintenance-window',
  'alerts',
  'deletion-protection',
] as const;

/** Plan and policy values a recommendation can be compared with (see evaluate.ts). */
export const FIELDS = [
  'mode',
  'shards',
  'replicasPerShard',
  'memoryGb',
  'maxclients',
  'poolSize',
  'authTokenLength',
  'tlsMinVersion',
  'engineMajor',
  'snapshotRetentionDays',
  'sentinels',
  'clusterBasePort',
  'evictionPolicy',
  'aof',
  'rdb',
  'pinnedMemoryGb',
  'cpuAlertPercent',
  'memoryAlertPercent',
  'connectionsAlert',
  'evictionsAlertPerHour',
  'replicationLagAlertSeconds',
  'latencyAlertMs',
  'clusterAboveGb',
  'clusterAboveOps',
] as const;
export type Field = (typeof FIELDS)[number];

const checkSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('conf'),
    directive: z.string().min(1),
    value: z.string(),
    /** `contains`: one of the directive's lines starts with value (rename-command FLUSHALL ...). */
    match: z.enum(['equal', 'contains']).optional(),
    /** Redis's built-in default: an absent directive with this default is honoured. */
    redisDefault: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('env'),
    key: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    value: z.string().optional(),
    /** Only these targets' contracts (e.g. Sentinel keys: the targets that run Sentinel). */
    targets: z.array(z.enum(TARGETS)).min(1).optional(),
  }),
  z.strictObject({ kind: z.literal('invariant'), invariant: z.enum(INVARIANT_IDS) }),
  z.strictObject({ kind: z.literal('alert'), signal: z.enum(SIGNALS) }),
  z.strictObject({
    kind: z.literal('value'),
    field: z.enum(FIELDS),
    op: z.enum(['eq', 'gte', 'lte']),
    value: z.union([z.number(), z.string(), z.boolean()]),
  }),
  /** An operational practice or an application-side choice that no artifact can show. */
  z.strictObject({ kind: z.literal('practice') }),
]);

export const recommendationSchema = z.strictObject({
  id: z.string().regex(/^g\d{3}-[a-z0-9-]+$/, 'g<guide>-<words>, e.g. g002-timeout'),
  guide: z.enum(Object.keys(GUIDES) as [keyof typeof GUIDES, ...Array<keyof typeof GUIDES>]),
  section: z.string().min(3),
  says: z.string().min(10),
  when: z
    .strictObject({
      profile: z.array(z.enum(PROFILES)).min(1).optional(),
      mode: z
        .array(z.enum(['standalone', 'replication', 'cluster']))
        .min(1)
        .optional(),
      workload: z.enum(['devices', 'organizations']).optional(),
      tls: z.boolean().optional(),
    })
    .optional(),
  check: checkSchema,
  /** The reasons-table entry a departure cites (or why a practice is not in an artifact). */
  reason: z.string().optional(),
});
export type Recommendation = z.infer<typeof recommendationSchema>;

export const reasonSchema = z.strictObject({
  text: z.string().min(10),
  /** A public https URL, a guide file, `policy:<field>` or a file of this project. */
  source: z.string().regex(/^(https:\/\/\S+|guides\/\d{3}_[0-9a-f]+\.txt|policy:[\w.]+|(lib|docs)\/\S+)$/),
});
export type Reason = z.infer<typeof reasonSchema>;

export type GuideStatus = 'honoured' | 'departed' | 'n/a' | 'unexplained';
export const GUIDE_STATUS_ORDER: GuideStatus[] = ['unexplained', 'departed', 'honoured', 'n/a'];

export interface GuideResult {
  id: string;
  guide: keyof typeof GUIDES;
  section: string;
  says: string;
  status: GuideStatus;
  /** Where it was found (honoured), what was found (departed, unexplained) or why it does not apply. */
  detail: string;
  /** The reason and its source, for departures. */
  reason?: string;
}
