/**
 * Planning assumptions: the named numbers the memory and connection derivations use.
 * Platform facts (SKUs, prices, limits) are in lib/catalog/data; these are sizing rules, each with
 * where it comes from, so the report can show why a number is what it is.
 */

export interface Assumption {
  value: number;
  why: string;
}

const A = (value: number, why: string): Assumption => ({ value, why });

/** Per-device figures from the ACS guide (000), "Memory per device (estimated)". */
export const DEVICE = {
  cacheBytes: A(500, 'ACS guide: device cache ~500 bytes per device'),
  sessionBytes: A(2048, 'ACS guide: ~2 KB session per logged-in user'),
  queueJobBytes: A(1024, 'ACS guide: ~1 KB per pending queue job'),
  metricBytes: A(100, 'ACS guide: ~100 bytes per metric'),
  loggedInShare: A(0.1, 'assumed: 10% of devices have a logged-in user session at peak'),
  pendingJobsPerDevice: A(1, 'assumed: one pending provisioning/TR-069 job per device at peak'),
  metricsPerDevice: A(10, 'assumed: 10 Prometheus series per device'),
};

export const ORGANIZATION = {
  bytes: A(
    4096,
    'assumed: ~4 KB of cached settings and hot entries per organization (override workload.bytesPerOrganization)',
  ),
};

export const MEMORY = {
  /** dictEntry + key robj/sds + expires entry for a small key; Redis memory-optimization docs put it at 50-100 B. */
  perKeyOverheadBytes: A(
    80,
    'Redis keeps ~50-100 B of bookkeeping per key (dict entry, key object, expiry entry)',
  ),
  averageValueBytes: A(
    1024,
    'assumed when only a dataset size is known: 1 KB average value, to estimate key count',
  ),
  fragmentation: A(
    1.2,
    'jemalloc fragmentation: mem_fragmentation_ratio of 1.1-1.3 is normal (guides monitor it)',
  ),
  growthProduction: A(1.5, 'growth headroom before a resize: +50% in production'),
  growthOther: A(1.25, 'growth headroom before a resize: +25% outside production'),
  /** Share of node memory kept free for fork copy-on-write, replication and client buffers. */
  reserve: A(
    0.25,
    'fork copy-on-write during BGSAVE/AOF rewrite plus replication and client output buffers: keep 25% of node memory free (ElastiCache reserved-memory-percent default)',
  ),
};

export const TOPOLOGY = {
  singleNodeMaxDataGb: A(100, 'Go guide: use Redis Cluster for >100 GB of data'),
  opsPerShard: A(
    100_000,
    'Go guide: use Redis Cluster for >100K ops/s; one primary is planned for at most 100K ops/s',
  ),
  minClusterShards: A(
    3,
    'Redis Cluster needs >= 3 primaries for failover voting (guides: 3 masters + 3 replicas)',
  ),
  minSentinels: A(
    3,
    'Sentinel needs a majority of all Sentinels to authorise a failover; with 2, losing the primary pod and its Sentinel leaves 1 of 2 and no failover ever happens, so at least 3 (https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/: at least three Sentinel instances for a robust deployment)',
  ),
  opsPerCore: A(
    50_000,
    'planned at half of what one Redis core serves for simple commands, to keep latency low',
  ),
  amrOpsPerVcpu: A(
    50_000,
    'Azure Managed Redis runs several Redis shards per node and uses every vCPU of its SKU (Microsoft: "the number of vCPUs used by your Redis instance directly correlates with throughput"): planned at opsPerCore per vCPU',
  ),
};

export const CONNECTIONS = {
  poolDivisor: A(10, 'Go guide: PoolSize = concurrent requests x Redis calls per request / 10'),
  minPool: A(10, 'Go guide pool table: the smallest pool is 10'),
  headroom: A(
    2,
    'maxclients = 2x expected clients: room for rolling deploys (old and new pods connected) and reconnect storms',
  ),
  operational: A(16, 'exporter, sentinels, replicas, operators and an admin shell'),
  minMaxclients: A(1000, 'never configure fewer than 1,000 client slots'),
  defaultReplicas: A(2, 'assumed: 2 application replicas when the spec does not say'),
  defaultConcurrentRequests: A(100, 'assumed: 100 concurrent requests when the spec does not say'),
  defaultCallsPerRequest: A(2, 'assumed: 2 Redis calls per request when the spec does not say'),
  defaultPeakOps: A(10_000, 'assumed: 10K ops/s peak when the spec does not say'),
};

/** Share of provisioned memory each platform lets the dataset use. */
export const USABLE_MEMORY = {
  gcp: A(0.8, 'Memorystore guidance: keep system memory usage under 80% of capacity'),
  azurePremium: A(
    0.8,
    'maxmemory-reserved and maxfragmentationmemory-reserved of 10% each, as Azure recommends for Premium',
  ),
  /** Fallback only: the Managed Redis catalog's reservedMemoryPercent wins when present. */
  azureManaged: A(0.8, 'Azure Managed Redis reserves about 20% of a SKU for replication and system use'),
};

/**
 * How the ElastiCache Serverless figure is derived from the workload (lib/planner/cost.ts). The
 * spec states a peak, sizes and counts of items, never a request size or a daily load curve, so
 * both are named here. Prices and limits are the catalogs' (serverlessPricing: rates in aws-elasticache.json, limits in aws-serverless.json).
 */
export const SERVERLESS = {
  /** Rule (no fixed number): the average request size comes from the workload's own items. */
  requestSize:
    'a request reads or writes one average item of the workload: the dataset bytes / its keys (ACS: the mix of 500 B device entries, 2 KB sessions, 1 KB jobs and 100 B metrics; a stated dataset: MEMORY.averageValueBytes); ElastiCache bills a simple read or write the catalog ecpuPerKb per KB transferred, in fractions (its pricing page: a 3.2 KB GET = 3.2 ECPU), at least 1; commands that need extra CPU time cost more and are not modelled (source: ecpuPerKb in lib/catalog/data/aws-serverless.json, one copy shared with the AWS adapter)',
  kilobyte: A(1024, 'the KB of the ECPU rule taken as 1,024 bytes (the larger reading: fewer ECPUs)'),
  sustainedShareOfPeak: A(
    1,
    'the spec gives only peak ops/s: ECPUs are priced as if the peak held all month (an upper bound; a daily curve at half the peak halves the ECPU part)',
  ),
  /** Rule (no fixed number): which memory figure is billed as data stored. */
  dataStored:
    'data stored = the derived memory need (every factor, before a sizing pin): serverless bills the data actually stored, which a pin does not change, so the price bills the derived need (an upper bound) and says so when a pin exists; the usage limit (plan.serverless.dataStoredBytes) follows the pin, an explicit statement of memory, as the node plans do',
};

export const MONTH_HOURS = 730;
export const GB = 1_000_000_000;
export const GIB = 1024 ** 3;
export const MIB = 1024 ** 2;

/**
 * How applications connect (published in the connection contract, lib/contract.ts). The guides'
 * applications each hard-code their own defaults; these are the values every platform's contract
 * carries, so a client gives up, retries and notices a dead node the same way everywhere.
 */
export const CLIENT = {
  connectTimeoutMs: A(
    5000,
    'guides 001 (REDIS_DIAL_TIMEOUT=5s), 004 (REDIS_CONNECT_TIMEOUT=5000) and 000 (REDIS_TIMEOUT=5): 5 s to open a TLS connection',
  ),
  commandTimeoutMs: A(
    3000,
    'guides 001 (REDIS_READ_TIMEOUT/REDIS_WRITE_TIMEOUT=3s) and 004 (REDIS_COMMAND_TIMEOUT=3000): 3 s per command',
  ),
  maxRetries: A(3, 'every guide that retries: REDIS_MAX_RETRIES=3'),
  retryMinDelayMs: A(100, 'guide 001: REDIS_MIN_RETRY_DELAY=100ms, the first backoff step'),
  retryMaxDelayMs: A(3000, 'guide 001: REDIS_MAX_RETRY_DELAY=3s, the backoff cap'),
  healthCheckIntervalMs: A(30_000, 'guide 004: REDIS_HEALTH_CHECK_INTERVAL=30000 (a PING every 30 s)'),
  maxFailures: A(
    3,
    'guide 004: REDIS_MAX_FAILURES=3 failed health checks before a client marks a node unhealthy (at 30 s a check, 90 s)',
  ),
  failoverTimeoutMs: A(
    60_000,
    'managed services document no failover bound (ElastiCache AutoFailover: "the downtime is minimized"); assumed 60 s, six times guide 004\'s 10 s default; self-hosted and Kubernetes layouts publish the bound their own timeouts give',
  ),
};

/** Cache defaults the contract publishes when the spec does not say. */
export const CACHE = {
  defaultTtlSeconds: A(300, 'guides 003 (CACHE_DEFAULT_TTL=300) and 004 (CACHE_TTL=300): 5 minutes'),
};
