/**
 * The change corpus: spec changes and the class each platform must give them. Shared by the corpus
 * test and the CLI test. A case is a pair of edits of one example spec (`from` defaults to the example
 * itself); every distinct spec is synthesized once.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import type { ChangeClass, DiffPlatform } from '../../lib/diff/types';
import { withPatchedBitnami } from '../k8s/patched-bitnami';

export const ROOT = path.join(__dirname, '..', '..');

type Spec = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Edit = (s: Spec) => void;

export interface CorpusCase {
  name: string;
  example: string;
  from?: Edit;
  to: Edit;
  expect: Partial<Record<DiffPlatform, ChangeClass | 'none'>>;
  /** Sources (ids) some change of the case must cite. */
  cites: string[];
  /** Single rows that must be there with this class. */
  rows?: Array<{ platform: DiffPlatform; property: string; class: ChangeClass }>;
  /** Text some change's reason or safe path on the platform must contain. */
  mentions?: Array<{ platform: DiffPlatform; text: string }>;
}

const waive = (s: Spec, ...rules: string[]) => {
  s.waivers = [
    ...(s.waivers ?? []),
    ...rules.map((rule) => ({ rule, reason: `corpus case: ${rule} off on purpose` })),
  ];
};

const K = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001';
const bigger: Edit = (s) => (s.workload.datasetGb = 8);
const shards6: Edit = (s) => (s.availability.minShards = 6);
const twoGb: Edit = (s) => (s.workload.datasetGb = 2);

export const CASES: CorpusCase[] = [
  {
    name: 'node type up (dataset 1 -> 8 GB)',
    example: 'default.yaml',
    to: bigger,
    expect: {
      aws: 'restart',
      gcp: 'restart',
      'azure-premium': 'restart',
      'azure-managed': 'restart',
      opstree: 'refused',
      bitnami: 'refused',
      'self-hosted': 'in-place',
    },
    cites: [
      'elasticache-vertical-scaling',
      'memorystore-scaling',
      'azure-cache-scale',
      'amr-scale',
      'k8s-statefulset',
      'redis-config-set',
    ],
    rows: [{ platform: 'self-hosted', property: 'maxmemory', class: 'in-place' }],
  },
  {
    name: 'node type down (dataset 8 -> 1 GB)',
    example: 'default.yaml',
    from: bigger,
    to: () => undefined,
    expect: {
      aws: 'restart',
      gcp: 'restart',
      'azure-premium': 'restart',
      'azure-managed': 'restart',
      opstree: 'refused',
      bitnami: 'refused',
      'self-hosted': 'in-place',
    },
    cites: ['elasticache-vertical-scaling', 'k8s-pvc-expansion'],
  },
  {
    name: 'shards 3 -> 6',
    example: 'platform-cache.yaml',
    to: shards6,
    expect: {
      aws: 'in-place',
      gcp: 'in-place',
      'azure-premium': 'restart',
      opstree: 'refused',
      'self-hosted': 'restart',
    },
    cites: [
      'elasticache-resharding',
      'memorystore-cluster-scaling',
      'opstree-cluster',
      'redis-cluster-reshard',
    ],
    rows: [{ platform: 'opstree', property: 'spec.clusterSize', class: 'in-place' }],
  },
  {
    name: 'shards 6 -> 3',
    example: 'platform-cache.yaml',
    from: shards6,
    to: () => undefined,
    expect: {
      aws: 'in-place',
      gcp: 'in-place',
      'azure-premium': 'restart',
      opstree: 'refused',
      'self-hosted': 'replacement',
    },
    cites: ['elasticache-resharding', 'opstree-cluster', 'redis-iac-layout'],
    rows: [{ platform: 'opstree', property: 'spec.clusterSize', class: 'restart' }],
  },
  {
    name: 'replicas 1 -> 2',
    example: 'default.yaml',
    to: (s) => (s.availability = { replicasPerShard: 2 }),
    expect: {
      aws: 'in-place',
      gcp: 'restart',
      'azure-premium': 'refused',
      opstree: 'in-place',
      bitnami: 'restart',
      'self-hosted': 'restart',
    },
    cites: ['elasticache-replicas', 'azure-cache-replicas'],
  },
  {
    name: 'engine 7.0 -> 7.1 (ElastiCache offers no Redis OSS 7.2)',
    example: 'default.yaml',
    from: (s) => (s.engineVersion = '7.0'),
    to: () => undefined,
    expect: {
      aws: 'restart',
      gcp: 'restart',
      'azure-premium': 'none',
      'azure-managed': 'none',
      opstree: 'none',
      bitnami: 'none',
      // install.sh names engineVersion in its redis-server version check; re-running it is enough
      // (the configs are the same for every 7.x).
      'self-hosted': 'in-place',
    },
    cites: ['elasticache-versions', 'memorystore-upgrade', 'redis-iac-layout'],
    rows: [{ platform: 'self-hosted', property: '(file)', class: 'in-place' }],
  },
  {
    name: 'redis -> valkey',
    example: 'default.yaml',
    to: (s) => {
      s.engine = 'valkey';
      s.engineVersion = '8.0';
    },
    // Self-hosted: only install.sh's version check names the engine version (in-place: re-run it).
    expect: { aws: 'replacement', gcp: 'none', opstree: 'none', 'self-hosted': 'in-place' },
    cites: ['cfn-registry', 'redis-iac-layout'],
    rows: [
      { platform: 'aws', property: 'Engine', class: 'replacement' },
      { platform: 'self-hosted', property: '(file)', class: 'in-place' },
    ],
  },
  {
    name: 'major downgrade (valkey 8.0 -> 7.2)',
    example: 'platform-cache.yaml',
    to: (s) => (s.engineVersion = '7.2'),
    expect: { aws: 'refused' },
    cites: ['elasticache-versions'],
  },
  {
    name: 'TLS off -> on',
    example: 'default.yaml',
    from: (s) => {
      s.security = { tls: false, auth: false };
      waive(s, 'tls', 'auth');
    },
    to: () => undefined,
    expect: {
      aws: 'refused',
      gcp: 'replacement',
      'azure-premium': 'in-place',
      'azure-managed': 'in-place',
      opstree: 'restart',
      bitnami: 'restart',
      'self-hosted': 'restart',
    },
    cites: ['elasticache-transit', 'mm-redis-instance'],
    mentions: [{ platform: 'aws', text: 'TransitEncryptionMode preferred, move every client to TLS' }],
  },
  {
    name: 'encryption at rest on',
    example: 'default.yaml',
    from: (s) => {
      s.security = { encryptionAtRest: false };
      waive(s, 'encryption-at-rest');
    },
    to: () => undefined,
    expect: {
      aws: 'replacement',
      gcp: 'none',
      'azure-premium': 'none',
      'azure-managed': 'none',
      'self-hosted': 'none',
    },
    cites: ['cfn-registry'],
    rows: [{ platform: 'aws', property: 'AtRestEncryptionEnabled', class: 'replacement' }],
  },
  {
    name: 'a new KMS key',
    example: 'default.yaml',
    to: (s) => {
      s.targets.aws.kmsKeyArn = K;
      s.targets.gcp.kmsKey = 'projects/app-prod-123456/locations/us-central1/keyRings/r/cryptoKeys/k';
    },
    expect: { aws: 'replacement', gcp: 'replacement' },
    cites: ['cfn-registry', 'mm-redis-instance'],
    rows: [{ platform: 'aws', property: 'KmsKeyId', class: 'replacement' }],
  },
  {
    name: 'port',
    example: 'default.yaml',
    to: (s) => {
      s.targets.aws.port = 6390;
      s.targets.selfHosted.basePort = 6390;
    },
    expect: { aws: 'replacement', gcp: 'none', 'self-hosted': 'replacement' },
    cites: ['cfn-registry', 'redis-iac-layout'],
    rows: [{ platform: 'aws', property: 'Port', class: 'replacement' }],
  },
  {
    name: 'zones (multi-AZ off)',
    example: 'default.yaml',
    to: (s) => {
      s.availability = { multiAz: false };
      waive(s, 'multi-az');
    },
    expect: { aws: 'in-place', 'azure-premium': 'replacement', opstree: 'restart', bitnami: 'restart' },
    cites: ['azure-native-identity'],
  },
  {
    name: 'region',
    example: 'default.yaml',
    to: (s) => {
      s.targets.aws.region = 'us-west-2';
      s.targets.gcp.region = 'us-east1';
      s.targets.azure.location = 'westus2';
    },
    expect: {
      aws: 'replacement',
      gcp: 'replacement',
      'azure-premium': 'replacement',
      'azure-managed': 'replacement',
      opstree: 'none',
      bitnami: 'none',
      'self-hosted': 'none',
    },
    cites: ['cfn-stack-region', 'mm-redis-instance', 'azure-native-identity'],
  },
  {
    name: 'name',
    example: 'default.yaml',
    to: (s) => (s.name = 'app-cache2'),
    expect: {
      aws: 'replacement',
      gcp: 'replacement',
      'azure-premium': 'replacement',
      'azure-managed': 'replacement',
      opstree: 'replacement',
      bitnami: 'replacement',
      'self-hosted': 'replacement',
    },
    cites: ['cfn-registry', 'pulumi-urn', 'k8s-statefulset', 'bitnami-chart', 'redis-iac-layout'],
    // The RBAC users and user group take their ids from the name; the registry marks both create-only.
    rows: [
      { platform: 'aws', property: 'UserId', class: 'replacement' },
      { platform: 'aws', property: 'UserGroupId', class: 'replacement' },
    ],
    mentions: [
      { platform: 'gcp', text: 'pulumi state unprotect' },
      { platform: 'azure-managed', text: 'retainOnDelete leaves the old cache running' },
    ],
  },
  {
    name: 'storage up (dataset 1 -> 2 GB)',
    example: 'default.yaml',
    to: twoGb,
    expect: { aws: 'none', opstree: 'refused', bitnami: 'refused', 'self-hosted': 'in-place' },
    cites: ['k8s-statefulset'],
    rows: [{ platform: 'bitnami', property: 'master.persistence.size', class: 'refused' }],
  },
  {
    name: 'storage down (dataset 2 -> 1 GB)',
    example: 'default.yaml',
    from: twoGb,
    to: () => undefined,
    expect: { aws: 'none', opstree: 'refused', bitnami: 'refused', 'self-hosted': 'in-place' },
    cites: ['k8s-pvc-expansion'],
  },
  {
    name: 'OpsTree clusterSize 3 -> 4',
    example: 'platform-cache.yaml',
    to: (s) => (s.availability.minShards = 4),
    expect: { aws: 'in-place', gcp: 'in-place', opstree: 'refused' },
    cites: ['opstree-cluster'],
    rows: [{ platform: 'opstree', property: 'spec.clusterSize', class: 'in-place' }],
  },
  {
    name: 'eviction policy',
    example: 'default.yaml',
    to: (s) => (s.keyspace.evictionPolicy = 'allkeys-lru'),
    expect: {
      aws: 'in-place',
      gcp: 'in-place',
      'azure-premium': 'in-place',
      'azure-managed': 'in-place',
      opstree: 'restart',
      bitnami: 'restart',
      'self-hosted': 'in-place',
    },
    cites: ['elasticache-parameters', 'memorystore-configs', 'redis-config-set'],
    rows: [{ platform: 'self-hosted', property: 'maxmemory-policy', class: 'in-place' }],
  },
  {
    name: 'Sentinel quorum (replicas 2 -> 3)',
    example: 'hospitality-production.yaml',
    to: (s) => (s.availability.replicasPerShard = 3),
    expect: { aws: 'in-place', 'azure-premium': 'refused', bitnami: 'restart' },
    cites: ['bitnami-chart'],
    rows: [{ platform: 'bitnami', property: 'sentinel.quorum', class: 'restart' }],
  },
  {
    name: 'cluster mode on (default + shards)',
    example: 'default.yaml',
    to: (s) => (s.availability = { topology: 'cluster', minShards: 3 }),
    expect: { aws: 'refused', gcp: 'replacement', 'azure-managed': 'replacement', bitnami: 'none' },
    cites: ['elasticache-cluster-mode', 'amr-plan'],
  },
  {
    name: 'no change',
    example: 'default.yaml',
    to: () => undefined,
    expect: {
      aws: 'none',
      gcp: 'none',
      'azure-premium': 'none',
      'azure-managed': 'none',
      opstree: 'none',
      bitnami: 'none',
      'self-hosted': 'none',
    },
    cites: [],
  },
];

/**
 * The example's YAML after `edit`. With `bitnami`, a production example gets the Bitnami flavor back
 * with the patched-image fixture (test/k8s/patched-bitnami.ts): production refuses the default Bitnami
 * images, so the examples run OpsTree only, and the corpus still needs every platform's class.
 */
export function specText(example: string, edit?: Edit, bitnami = false): string {
  const raw = fs.readFileSync(path.join(ROOT, 'examples', example), 'utf8');
  const s = parse(bitnami ? withPatchedBitnami(raw) : raw) as Spec;
  edit?.(s);
  return stringify(s);
}
