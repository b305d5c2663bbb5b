/** Planner output: what to build and why. Sizes are bytes unless the name says otherwise. */

export type PlatformId = 'aws' | 'gcp' | 'azure-premium' | 'azure-managed' | 'kubernetes';
export const PLATFORM_IDS: PlatformId[] = ['aws', 'gcp', 'azure-premium', 'azure-managed', 'kubernetes'];

/** One named multiplicative or additive step of the memory derivation. */
export interface MemoryFactor {
  name: string;
  /** Multiplier applied (e.g. 1.2), or undefined for an additive term. */
  factor?: number;
  /** Bytes after this step. */
  bytesAfter: number;
  why: string;
  /** 'pin' for the step that replaces the derived need with spec.sizing.memoryGb. */
  kind?: 'pin';
}

export interface DatasetItem {
  name: string;
  count: number;
  bytesEach: number;
  bytes: number;
  keys: number;
}

export interface ReferenceRow {
  kind: 'devices' | 'organizations';
  size: number;
  memoryGb: number;
  primaries?: number;
  replicasPerPrimary?: number;
  connections?: number;
  note?: string;
  source: string;
}

export interface Choice {
  platform: PlatformId;
  /** SKU / node type / tier as the platform names it (e.g. cache.r7g.large, P2, Balanced_B5, STANDARD_HA 5 GB). */
  sku: string;
  /** Service flavour within the platform, e.g. 'memorystore-redis' | 'memorystore-cluster', 'opstree' | 'bitnami'. */
  service: string;
  shards: number;
  replicasPerShard: number;
  /** Total nodes billed (primaries + replicas). */
  nodes: number;
  /** Usable memory per shard in GB (what maxmemory can be set to). */
  memoryGbPerShard: number;
  /** Capacity billed in GB (e.g. Memorystore provisioned size) when pricing is per GB. */
  capacityGb?: number;
  vcpuPerNode?: number;
  maxConnectionsPerShard?: number;
  monthlyCostUsd: number;
  hourlyCostUsd: number;
  region: string;
  reason: string;
  /** Catalog source URL and date for the price. */
  priceSource: string;
  /** Extra platform facts adapters need (e.g. Azure Managed Redis equivalent of a Premium SKU). */
  extra?: Record<string, string | number | boolean>;
  /**
   * False when no option of this platform can hold the workload (e.g. a 2 TB dataset on a service
   * whose largest SKU is 240 GB). Then sku is "none", the cost 0 and `reason` says why. Adapters get
   * choices through requireChoice() (lib/planner/plan.ts), which turns this into a SpecError.
   */
  available: boolean;
  /**
   * What monthlyCostUsd is: on-demand nodes (the default), a committed term (spec `commitment`) or
   * ElastiCache Serverless (targets.aws.flavor: serverless). Set by the planner.
   * @default 'on-demand'
   */
  pricing?: PricingBasis;
  /** On-demand, 1-year, 3-year and (AWS) serverless monthly cost side by side. Set by the planner. */
  frontier?: CostFrontier;
}

/** How a monthly cost is paid for. */
export type PricingBasis = 'on-demand' | '1y' | '3y' | 'serverless';
export type CommitmentTerm = '1y' | '3y';
export type CommitmentPayment = 'no-upfront' | 'partial-upfront' | 'all-upfront';

/** The cheapest fitting option of one platform under one commitment term, at its best payment option. */
export interface CommittedCost {
  term: CommitmentTerm;
  /** The payment option with the lowest effective monthly cost for this term. */
  payment: CommitmentPayment;
  /** The option bought (may differ from the on-demand choice when rates differ between SKUs). */
  sku: string;
  shards: number;
  nodes: number;
  /** Paid once at the start of the term, for the whole option, region multiplier applied. */
  upfrontUsd: number;
  /** Billed every month of the term (the hourly part x 730 h). */
  recurringMonthlyUsd: number;
  /** recurring + upfront spread over the term's months: what the commitment costs per month. */
  monthlyCostUsd: number;
  /**
   * First month at whose end the cumulative committed cost (upfront included) is below the
   * cumulative on-demand cost of the on-demand choice; null when it never is within the term.
   */
  breakEvenMonth: number | null;
  /** Saving against the on-demand choice, percent of on-demand. */
  savingPct: number;
  /** Catalog source of the committed rate. */
  source: string;
  /** 'published': the provider's own figures; 'derived': estimated from published ratios (the source says how). */
  rateBasis: 'published' | 'derived';
}

/**
 * What an ElastiCache Serverless cache must serve for the workload (lib/planner/cost.ts serverlessNeed,
 * assumptions SERVERLESS). One figure for the price and the usage limits.
 */
export interface ServerlessNeed {
  /**
   * Data stored the usage limit is sized to, bytes: `sizing.memoryGb` when the spec pins memory (an
   * explicit statement of memory, honoured as for node plans, also below the derived need), else
   * `derivedBytes`.
   */
  dataStoredBytes: number;
  /** Which figure dataStoredBytes is. */
  dataStoredFrom: 'derived' | 'pin';
  /** The workload's own memory need (every factor, before a pin), bytes: what the price bills. */
  derivedBytes: number;
  /** Average bytes one request transfers (SERVERLESS.requestSize). */
  requestBytes: number;
  /** ECPUs one request costs: its KB x the catalog's ecpuPerKb, in fractions, at least 1. */
  ecpuPerRequest: number;
  /** Peak ops per second x ecpuPerRequest. */
  peakEcpuPerSecond: number;
  /** One line: how the figures follow from the workload. */
  reason: string;
}

/** ElastiCache Serverless priced from the workload (lib/planner/cost.ts, assumptions SERVERLESS). */
export interface ServerlessCost {
  engine: 'redis' | 'valkey';
  /** Data stored the workload derives, GB. */
  dataGb: number;
  /** Data billed: dataGb, at least the engine's minimum. */
  billedDataGb: number;
  /** Average bytes a request transfers and the ECPUs it takes. */
  requestBytes: number;
  ecpuPerRequest: number;
  /** Peak ECPU per second and ECPUs billed per month. */
  ecpuPerSecond: number;
  ecpuPerMonth: number;
  dataMonthlyUsd: number;
  ecpuMonthlyUsd: number;
  monthlyCostUsd: number;
  /** Serverless limits the workload exceeds (empty when it fits). */
  limitsExceeded: string[];
  reason: string;
  source: string;
}

/** Every way of paying for one platform's choice, and which is cheapest. */
export interface CostFrontier {
  /** The on-demand choice's monthly cost (null when nothing fits). */
  onDemandMonthlyUsd: number | null;
  /** The on-demand choice's SKU (with its shards), to show when a term's cheapest option differs. */
  onDemandSku: string | null;
  committed: Record<CommitmentTerm, CommittedCost | null>;
  /** Why a term is missing (e.g. "Kubernetes runs on your own nodes: no provider commitment"). */
  notOffered?: string;
  /** AWS only. */
  serverless?: ServerlessCost;
  /** The cheapest basis that can hold the workload, and its saving against on-demand. */
  cheapest: { basis: PricingBasis; monthlyCostUsd: number; savingUsd: number; savingPct: number } | null;
  /** The basis the choice's monthlyCostUsd is on. */
  chosen: PricingBasis;
}

export interface KubernetesResources {
  memoryRequestMi: number;
  memoryLimitMi: number;
  cpuRequestMilli: number;
  cpuLimitMilli: number;
  /** maxmemory as a percentage of the memory limit (OpsTree maxMemoryPercentOfLimit). */
  maxMemoryPercentOfLimit: number;
  storageGi: number;
}

/** One Kubernetes flavor's pods, sized and priced by the planner; the adapter writes exactly this. */
interface KubernetesLayoutBase {
  /** Redis pods the flavor runs (sidecars are not counted, as in the Kubernetes choice). */
  pods: number;
  /** Requests, limits and disk of each Redis pod. */
  resources: KubernetesResources;
  /** pods x the per-pod price of `resources` (catalog unit prices, as the Kubernetes choice). */
  monthlyCostUsd: number;
  /** One line: what runs and why it differs from the plan's shards x (1 + replicas), if it does. */
  reason: string;
}

/** OpsTree RedisCluster: leaders (at least TOPOLOGY.minClusterShards) and their followers. */
export interface OpsTreeLayoutPlan extends KubernetesLayoutBase {
  leaders: number;
  followers: number;
  /** Why the leader count differs from the plan's shards, if it does. */
  note?: string;
}

/** Bitnami chart: one primary holding the whole dataset, its replicas, Sentinel when failover is automatic. */
export interface BitnamiLayoutPlan extends KubernetesLayoutBase {
  architecture: 'standalone' | 'replication';
  sentinel: boolean;
  /** Replica pods (replication) or Redis+Sentinel pods (sentinel mode: all nodes). */
  replicaCount: number;
}

export interface KubernetesLayouts {
  opstree: OpsTreeLayoutPlan;
  bitnami: BitnamiLayoutPlan;
}

export interface Plan {
  /** Echo of the inputs the planner used, with defaults filled in. */
  inputs: Record<string, number | string | undefined>;
  dataset: { items: DatasetItem[]; bytes: number; keys: number };
  memory: {
    factors: MemoryFactor[];
    /** Memory the data needs including every factor: what a shard set must hold in total. */
    neededBytes: number;
    /** maxmemory per shard (what Redis may use for data). */
    maxmemoryBytesPerShard: number;
  };
  topology: {
    mode: 'standalone' | 'replication' | 'cluster';
    shards: number;
    replicasPerShard: number;
    reason: string;
  };
  connections: {
    /** Pool size per application replica. */
    poolSize: number;
    minIdle: number;
    poolReason: string;
    applicationReplicas: number;
    /** Peak client connections expected (pool x replicas, plus operational headroom). */
    expectedClients: number;
    /** maxclients to configure per node. */
    maxclients: number;
  };
  throughput: { peakOpsPerSecond: number; opsPerShardLimit: number };
  choices: Record<PlatformId, Choice>;
  kubernetes: KubernetesResources;
  /** The layout each Kubernetes flavor runs, with its own pod count and monthly cost. */
  kubernetesLayouts: KubernetesLayouts;
  reference?: ReferenceRow;
  /** Present when spec.sizing pins the capacity: the pin beside what the workload alone derives. */
  sizing?: PinnedSizing;
  /**
   * ElastiCache Serverless sizing of the workload, worked out once: the frontier's serverless price
   * bills it and the AWS adapter's usage limits (need / 75%) read it (lib/aws/serverless-limits.ts).
   */
  serverless: ServerlessNeed;
  /** Notes a person should read (e.g. "dataset is far below the reference row"). */
  notes: string[];
}

export interface PinnedSizing {
  memoryGb: number;
  shards?: number;
  replicas?: number;
  reason: string;
  /** The need the workload derives (every factor, before the pin). */
  derivedNeededBytes: number;
  /** The shard count the workload derives (1 outside cluster mode). */
  derivedShards: number;
}
