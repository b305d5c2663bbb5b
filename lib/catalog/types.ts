/**
 * Shapes of the platform catalogs in lib/catalog/data/*.json. Every figure there carries its
 * source (URL) and the date it was read. Adapters and the planner read catalogs only through
 * lib/catalog/index.ts, never by importing the JSON directly.
 */

export interface Source {
  /** Public URL the figure was read from. */
  url: string;
  /** ISO date the figure was read (YYYY-MM-DD). */
  retrieved: string;
  note?: string;
}

/**
 * Per-field sources for the scalar figures of a catalog (limits, versions), keyed by the field name.
 * A figure without an entry here is covered by the catalog's own `source`.
 */
export type FieldSources = Record<string, Source>;

/** Regions the catalog knows, with the price multiplier relative to the default region. */
export type RegionTable = Record<string, { priceMultiplier: number; source?: Source }>;

export interface AwsNodeType {
  /** e.g. cache.r7g.large */
  type: string;
  family: string;
  vcpu: number;
  /** Memory of the node in GiB as ElastiCache lists it. */
  memoryGib: number;
  burstable: boolean;
  /** r6gd data tiering: SSD capacity in GiB (0 when not data-tiering). */
  ssdGib: number;
  networkGbps: string;
  /** On-demand USD per node-hour in the default region, per engine. */
  hourlyUsd: { redis: number; valkey: number };
  /** Where the price and size were read; falls back to the catalog's `source`. */
  source?: Source;
}

/** Length of a reservation / committed-use term. */
export type CommitTerm = '1y' | '3y';
/** How a reservation is paid: nothing, part or everything at purchase. */
export type CommitPayment = 'no-upfront' | 'partial-upfront' | 'all-upfront';

/**
 * Where reservation figures come from: `published` = the provider's own figure for this unit (a price or
 * a percentage the provider states); `derived` = computed from the unit's on-demand price and ratios read
 * from other units or products, because the provider's figure for this unit could not be read. The note
 * of the source says how.
 */
export type CommitBasis = 'published' | 'derived';

/** One reservation price as the catalog stores it (per unit, in the catalog's on-demand unit). */
export interface CatalogCommitRate {
  term: CommitTerm;
  payment: CommitPayment;
  /** Paid once at purchase, USD. 0 for no-upfront. */
  upfrontUsd: number;
  /** Recurring USD per unit-hour. 0 for all-upfront. */
  hourlyUsd: number;
}

/**
 * The reservations a provider offers for one unit (node type, SKU). `rates` is empty exactly when
 * `notOffered` says why none is offered.
 */
export interface CatalogCommitOffering {
  rates: CatalogCommitRate[];
  /** Overrides the enclosing block's `basis` for this unit. */
  basis?: CommitBasis;
  /** Why no reservation exists for this unit (required when `rates` is empty). */
  notOffered?: string;
  /** Where the rates were read; falls back to the enclosing block's `source`. */
  source?: Source;
}

/** ElastiCache reserved nodes of one node type and engine. */
export interface AwsReservedOffering extends CatalogCommitOffering {
  nodeType: string;
  engine: 'redis' | 'valkey';
}

/** ElastiCache Serverless rates of one engine (default region). */
export interface AwsServerlessEngine {
  /** USD per GB-hour of data stored. */
  dataGbHourUsd: number;
  /** USD per million ElastiCache Processing Units. */
  ecpuPerMillionUsd: number;
  /** Minimum data stored billed per cache, GB. */
  minimumDataGb: number;
  source?: Source;
}

export interface AwsCatalog {
  /** Sources of individual scalar figures (limits, versions); see FieldSources. */
  fieldSources?: FieldSources;
  currency: 'USD';
  defaultRegion: string;
  source: Source;
  regions: RegionTable;
  /** Engine versions ElastiCache offers (major.minor). */
  engineVersions: { redis: string[]; valkey: string[] };
  /** ElastiCache reserves this share of node memory for non-data use by default (reserved-memory-percent). */
  reservedMemoryPercent: number;
  maxClientsPerNode: number;
  maxShards: number;
  /** Nodes (shards x (1 + replicas)) per cluster with the largest quota increase. */
  maxNodesPerCluster: number;
  /** Nodes per cluster an account may create without asking for a quota increase. */
  defaultNodesPerClusterQuota: number;
  maxReplicasPerShard: number;
  /**
   * Commands ElastiCache reserves for itself on node-based clusters (lower case; `cmd|sub` for a
   * subcommand). An RBAC access string naming one is refused, so the AWS adapter leaves them out.
   */
  restrictedCommands: string[];
  /** Oldest engine version with RBAC users and user groups. */
  rbacMinEngineVersion: { redis: string; valkey: string };
  nodeTypes: AwsNodeType[];
  /** Reserved-node prices: one offering per node type and engine. */
  reservedNodes: { basis: CommitBasis; source: Source; offerings: AwsReservedOffering[] };
  /** ElastiCache Serverless per-engine rates and billing minimums (limits: aws-serverless.json). */
  serverless: {
    source: Source;
    engines: { redis: AwsServerlessEngine; valkey: AwsServerlessEngine };
  };
}

export interface GcpCapacityTier {
  /** Name of the capacity tier, e.g. M1. */
  name: string;
  minGb: number;
  maxGb: number;
  /** USD per GB-hour of provisioned capacity. */
  basicGbHourUsd: number;
  standardGbHourUsd: number;
  /** Standard tier read replica price per GB-hour (per replica node). */
  readReplicaGbHourUsd: number;
  /** maxclients Memorystore sets for this tier. */
  maxClients: number;
  /** Where the price was read; falls back to memorystoreRedis.source. */
  source?: Source;
}

export interface GcpClusterNodeType {
  /** e.g. REDIS_HIGHMEM_MEDIUM */
  type: string;
  memoryGb: number;
  vcpu: number;
  hourlyUsd: number;
  maxClients: number;
  /** Where the price and size were read; falls back to memorystoreCluster.source. */
  source?: Source;
}

/** A committed-use discount: a percentage off on-demand for a term, paid hourly (no upfront). */
export interface GcpCommitDiscount {
  term: CommitTerm;
  /** Percent off the on-demand price, 0 < percent < 100. */
  percent: number;
}

/** Committed-use discounts of one Memorystore product and the units they do not apply to. */
export interface GcpCommittedUse {
  discounts: GcpCommitDiscount[];
  /** Units (capacity tiers or node types) the discount does not apply to, each with why. */
  notEligible: Array<{ unit: string; reason: string }>;
  source: Source;
}

export interface GcpCatalog {
  /** Sources of individual scalar figures (limits, versions); see FieldSources. */
  fieldSources?: FieldSources;
  currency: 'USD';
  defaultRegion: string;
  source: Source;
  regions: RegionTable;
  memorystoreRedis: {
    versions: string[];
    minGb: number;
    maxGb: number;
    maxReadReplicas: number;
    tiers: GcpCapacityTier[];
    source: Source;
  };
  memorystoreCluster: {
    versions: string[];
    maxShards: number;
    maxReplicasPerShard: number;
    nodeTypes: GcpClusterNodeType[];
    source: Source;
  };
  /** Spend-based committed-use discounts, per product. */
  committedUse: { memorystoreRedis: GcpCommittedUse; memorystoreCluster: GcpCommittedUse };
}

export interface AzurePremiumSku {
  /** P1..P5 */
  name: string;
  capacity: number;
  memoryGb: number;
  maxConnections: number;
  /** USD per month for one shard (primary + one replica, as Azure bills Premium). */
  monthlyUsdPerShard: number;
  /** Azure Managed Redis SKU Microsoft maps this Premium size to. */
  managedEquivalent: string;
  /** Where the price and size were read; falls back to the catalog's `source`. */
  source?: Source;
}

export interface AzurePremiumCatalog {
  /** Sources of individual scalar figures (limits, versions); see FieldSources. */
  fieldSources?: FieldSources;
  currency: 'USD';
  defaultRegion: string;
  source: Source;
  regions: RegionTable;
  redisVersions: string[];
  maxShards: number;
  maxReplicasPerPrimary: number;
  /** Each extra replica beyond the first is billed as one more node: price of a shard / 2. */
  skus: AzurePremiumSku[];
  retirement: { date: string; newCachesUntil: string; source: Source };
  /** Reserved capacity per SKU, per shard-hour (a shard is two reserved nodes). */
  reservations: {
    basis: CommitBasis;
    source: Source;
    offerings: Array<CatalogCommitOffering & { sku: string }>;
  };
}

export interface AzureManagedSku {
  /** e.g. Balanced_B5 */
  name: string;
  family: 'Balanced' | 'MemoryOptimized' | 'ComputeOptimized' | 'FlashOptimized';
  memoryGb: number;
  vcpu: number;
  maxConnections: number;
  /** USD per hour with high availability on (what production uses). */
  hourlyUsdHa: number;
  /** USD per hour with high availability off (dev / test). */
  hourlyUsdNoHa: number;
  /** True when Microsoft lists this size as Public Preview (no GA SLA yet). @default false */
  preview?: boolean;
  /** Where the price and size were read; falls back to the catalog's `source`. */
  source?: Source;
}

export interface AzureManagedCatalog {
  /** Sources of individual scalar figures (limits, versions); see FieldSources. */
  fieldSources?: FieldSources;
  currency: 'USD';
  defaultRegion: string;
  source: Source;
  regions: RegionTable;
  port: number;
  /**
   * Share of each SKU's memory Azure Managed Redis keeps for itself; usable = memoryGb x (1 - this/100).
   * @default 20
   */
  reservedMemoryPercent?: number;
  skus: AzureManagedSku[];
  /** Reservations per SKU and high-availability setting, per SKU-hour (HA = two reserved nodes). */
  reservations: {
    basis: CommitBasis;
    source: Source;
    offerings: Array<CatalogCommitOffering & { sku: string; ha: boolean }>;
  };
}

export interface KubernetesCatalog {
  /** Sources of individual scalar figures (limits, versions); see FieldSources. */
  fieldSources?: FieldSources;
  currency: 'USD';
  source: Source;
  /** What one GiB of node memory and one vCPU cost per month on a reference worker node. */
  memoryGibMonthUsd: number;
  vcpuMonthUsd: number;
  /** SSD persistent volume, per GiB-month. */
  storageGibMonthUsd: number;
  /** Share of a container memory limit given to maxmemory (the rest: buffers, fork COW, exporter). */
  maxMemoryPercentOfLimit: number;
  /**
   * How the per-unit prices were derived: two reference worker nodes that differ only in memory give
   * the price of one GiB, the rest of the smaller node's price is its vCPUs. 730 hours a month.
   */
  derivation?: {
    hoursPerMonth: number;
    generalNode: { type: string; vcpu: number; memoryGib: number; hourlyUsd: number };
    memoryNode: { type: string; vcpu: number; memoryGib: number; hourlyUsd: number };
    storage: { type: string; gibMonthUsd: number };
    source: Source;
  };
}

export interface ReferenceCatalog {
  /** The guide the rows come from; `url` is the guide's file name under ../shared/guides/. */
  source: Source;
  /** Per-table sources (devices, organizations, poolSizes) when they come from different guides. */
  fieldSources?: FieldSources;
  devices: Array<{
    devices: number;
    memoryGb: number;
    primaries: number;
    replicasPerPrimary: number;
    connections: number;
  }>;
  organizations: Array<{ organizations: number; memoryGb: number; note?: string }>;
  /**
   * Pool size by concurrent users. `maxConcurrentUsers` is an inclusive upper bound; the first row whose
   * bound is >= the users applies; null means "no upper bound" (last row).
   */
  poolSizes: Array<{ maxConcurrentUsers: number | null; poolSize: number; minIdle: number }>;
}

/** Released engine versions (major.minor) and the oldest the self-hosted configs can run on. */
export interface EnginesCatalog {
  source: Source;
  fieldSources?: Record<string, Source>;
  releases: { redis: string[]; valkey: string[] };
  selfHostedMinimum: { redis: string; valkey: string };
}

/** One default container image: where it is, its tag, its digest when a citable source names one. */
export interface CatalogImage {
  registry: string;
  /** Repository path without registry, e.g. opstree/redis. */
  repository: string;
  tag: string;
  /** sha256:<64 hex>, only when a source names it; the manifests then pull by digest. */
  digest?: string;
  /** Why no digest is recorded (required when `digest` is absent). */
  noDigestReason?: string;
  /** The Redis server version the image runs (Redis and Sentinel images only): checked against cveFloors. */
  redisVersion?: string;
  source: Source;
}

/** The minimum fixed version of one engine for one CVE, per release line ("major.minor"). */
export interface CveFloor {
  cve: string;
  engine: 'redis' | 'valkey';
  summary: string;
  /** First affected version, when the bug is not in every older release. @default every version */
  affectedFrom?: string;
  /** Release line -> first fixed version on it. Lines above the highest listed one contain the fix; other lines have none. */
  fixed: Record<string, string>;
  source: Source;
}

/** lib/catalog/data/images.json: default images of the Kubernetes flavors and the CVE floors. */
export interface ImagesCatalog {
  source: Source;
  images: {
    opstreeRedis: CatalogImage;
    opstreeExporter: CatalogImage;
    bitnamiRedis: CatalogImage;
    bitnamiSentinel: CatalogImage;
    bitnamiExporter: CatalogImage;
    backupUploader: CatalogImage;
  };
  cveFloors: CveFloor[];
}
