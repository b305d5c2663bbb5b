/**
 * Typed access to the platform catalogs in lib/catalog/data/*.json.
 *
 * Every catalog is validated with zod the first time it is read (then cached), so a broken data file
 * fails loudly with the file, the field path, the bad value and what is allowed, instead of feeding
 * NaN or undefined into the planner. Tests feed broken catalogs through `validateCatalog`.
 */
import { z } from '../zod';
import { SpecError } from '../errors';
import { compareVersions } from './version';
import awsData from './data/aws-elasticache.json';
import azureManagedData from './data/azure-managed.json';
import azurePremiumData from './data/azure-premium.json';
import enginesData from './data/engines.json';
import gcpData from './data/gcp-memorystore.json';
import imagesData from './data/images.json';
import kubernetesData from './data/kubernetes.json';
import referenceData from './data/reference.json';
import type {
  AwsCatalog,
  CatalogCommitOffering,
  CommitTerm,
  GcpCommittedUse,
  AzureManagedCatalog,
  AzurePremiumCatalog,
  EnginesCatalog,
  GcpCatalog,
  ImagesCatalog,
  KubernetesCatalog,
  ReferenceCatalog,
  RegionTable,
  Source,
} from './types';

export * from './types';

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** A guide of the project (../shared/guides/NNN_hash.txt) or a public https URL. */
const GUIDE_PATH = /^guides\/\d{3}_[0-9a-f]+\.txt$/;

/** True when `text` is a real calendar date written YYYY-MM-DD. */
function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

export const sourceSchema = z.strictObject({
  url: z
    .string({ error: 'expected the URL (or guide file) the figure was read from' })
    .refine((u) => /^https:\/\/[^\s/]+\.[^\s/]+(\/\S*)?$/.test(u) || GUIDE_PATH.test(u), {
      error: 'expected an https:// URL or a guide file name like guides/000_<hash>.txt',
    }),
  retrieved: z
    .string({ error: 'expected the date the figure was read, YYYY-MM-DD' })
    .refine(isIsoDate, { error: 'expected the date the figure was read, YYYY-MM-DD' })
    // A figure cannot have been read tomorrow: a future date is a typo (one day of slack for time zones).
    .refine((d) => Date.parse(`${d}T00:00:00Z`) <= Date.now() + 86_400_000, {
      error: 'expected a retrieval date that is not in the future',
    }),
  note: z.string().min(1).optional(),
});

/** A price or size: a finite number above zero. */
const positive = (what: string) =>
  z.number({ error: `expected ${what} as a number > 0` }).refine((n) => Number.isFinite(n) && n > 0, {
    error: `expected ${what} as a number > 0`,
  });
const count = (what: string, min = 1) =>
  z.int({ error: `expected ${what} as a whole number >= ${min}` }).min(min, {
    error: `expected ${what} as a whole number >= ${min}`,
  });
const name = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });

const regionTableSchema = z.record(
  z.string().regex(/^[a-z0-9-]+$/, { error: 'region names are lower-case letters, digits and dashes' }),
  z.strictObject({
    priceMultiplier: positive('the price multiplier relative to the default region'),
    source: sourceSchema.optional(),
  }),
);

const fieldSourcesSchema = z.record(z.string(), sourceSchema);

/** One error per problem, in the form ctx.addIssue expects. */
type Issue = { path: (string | number)[]; message: string; input: unknown };

/** Checks shared by every priced catalog: the default region is known and priced at 1.0. */
function checkRegions(data: { defaultRegion: string; regions: RegionTable }, issues: Issue[]): void {
  const known = Object.keys(data.regions);
  if (known.length === 0) {
    issues.push({ path: ['regions'], message: 'expected at least the default region', input: data.regions });
    return;
  }
  const def = data.regions[data.defaultRegion];
  if (!def) {
    issues.push({
      path: ['defaultRegion'],
      message: `expected one of the regions listed under regions (${known.join(', ')})`,
      input: data.defaultRegion,
    });
  } else if (def.priceMultiplier !== 1) {
    issues.push({
      path: ['regions', data.defaultRegion, 'priceMultiplier'],
      message: 'the default region is the price base: its multiplier must be 1',
      input: def.priceMultiplier,
    });
  }
}

/** fieldSources may only name top-level fields that exist, so a typo cannot hide an unsourced figure. */
function checkFieldSources(data: Record<string, unknown>, issues: Issue[]): void {
  const fs = data.fieldSources as Record<string, Source> | undefined;
  for (const key of Object.keys(fs ?? {})) {
    if (key === 'fieldSources' || key === 'source' || !(key in data)) {
      issues.push({
        path: ['fieldSources', key],
        message: 'fieldSources may only name a top-level field of this catalog',
        input: key,
      });
    }
  }
}

/** Names must be unique within a list (the planner and adapters look SKUs up by name). */
function checkUnique<T>(items: T[], key: (t: T) => string, path: (string | number)[], issues: Issue[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) issues.push({ path: [...path, i], message: 'duplicate name', input: k });
    seen.add(k);
  });
}

/**
 * Within each group (a node family, a SKU family) sizes and prices must grow together: memory strictly
 * ascending, price not descending. A swapped row would make the planner's "cheapest fitting" choice wrong.
 */
function checkAscending<T>(
  items: T[],
  group: (t: T) => string,
  memory: (t: T) => number,
  price: (t: T) => number,
  path: (string | number)[],
  memField: string,
  priceField: string,
  issues: Issue[],
): void {
  const last = new Map<string, { mem: number; price: number }>();
  items.forEach((item, i) => {
    const g = group(item);
    const prev = last.get(g);
    if (prev && !(memory(item) > prev.mem)) {
      issues.push({
        path: [...path, i, memField],
        message: `expected memory larger than the previous ${g} entry (${prev.mem}): list each family in ascending size`,
        input: memory(item),
      });
    } else if (prev && price(item) < prev.price) {
      issues.push({
        path: [...path, i, priceField],
        message: `expected a price at least that of the previous, smaller ${g} entry (${prev.price})`,
        input: price(item),
      });
    }
    last.set(g, { mem: memory(item), price: price(item) });
  });
}

/** The checks every priced catalog (one with regions and a default region) shares. */
function checkPricedCatalog(
  data: { defaultRegion: string; regions: RegionTable } & Record<string, unknown>,
  issues: Issue[],
): void {
  checkRegions(data, issues);
  checkFieldSources(data, issues);
}

/** Apply cross-field checks; zod reports them like any other issue. */
function withChecks<S extends z.ZodType>(schema: S, check: (data: z.output<S>, issues: Issue[]) => void) {
  return schema.superRefine((data, ctx) => {
    const issues: Issue[] = [];
    check(data, issues);
    for (const issue of issues) ctx.addIssue({ code: 'custom', ...issue });
  });
}

// ---------------------------------------------------------------------------------------------
// Catalog schemas
// ---------------------------------------------------------------------------------------------

/** The fields every priced catalog starts with: currency, default region, sources and region multipliers. */
const pricedCatalogFields = {
  currency: z.literal('USD'),
  defaultRegion: name('the default region'),
  source: sourceSchema,
  fieldSources: fieldSourcesSchema.optional(),
  regions: regionTableSchema,
};

/** A non-empty list of rows (SKUs, node types, tiers), each of which may name its own source. */
const sourcedRows = <T extends z.core.$ZodLooseShape>(shape: T) =>
  z.array(z.strictObject({ ...shape, source: sourceSchema.optional() })).min(1);

// ---------------------------------------------------------------------------------------------
// Reservations / committed use (shared by every priced catalog)
// ---------------------------------------------------------------------------------------------

const COMMIT_TERMS = ['1y', '3y'] as const;
const COMMIT_PAYMENTS = ['no-upfront', 'partial-upfront', 'all-upfront'] as const;

/** Hours in the month the catalogs' monthly prices assume (Azure bills 730 h a month). */
export const HOURS_PER_MONTH = 730;

/** Hours a term is billed for: 365-day years, as AWS, Google and Azure amortise reservations. */
export const COMMIT_TERM_HOURS: Readonly<Record<CommitTerm, number>> = Object.freeze({
  '1y': 8760,
  '3y': 26280,
});

/** What one unit-hour of a reservation costs over its term: upfront spread over the term + hourly. */
export function effectiveHourlyUsd(rate: {
  term: CommitTerm;
  upfrontUsd: number;
  hourlyUsd: number;
}): number {
  return rate.upfrontUsd / COMMIT_TERM_HOURS[rate.term] + rate.hourlyUsd;
}

/** USD amount that may be 0: finite and not negative. */
const usdAtLeastZero = (what: string) =>
  z.number({ error: `expected ${what} as a number >= 0` }).refine((n) => Number.isFinite(n) && n >= 0, {
    error: `expected ${what} as a number >= 0`,
  });

const commitRateSchema = z.strictObject({
  term: z.enum(COMMIT_TERMS, { error: 'expected the term: 1y or 3y' }),
  payment: z.enum(COMMIT_PAYMENTS, { error: 'expected no-upfront, partial-upfront or all-upfront' }),
  upfrontUsd: usdAtLeastZero('the upfront USD per unit'),
  hourlyUsd: usdAtLeastZero('the recurring USD per unit-hour'),
});

/** Fields of one commitment offering: its rates, or why there are none, and where they were read. */
const COMMIT_BASES = ['published', 'derived'] as const;
const commitBasis = z.enum(COMMIT_BASES, { error: 'expected published or derived' });

const commitOfferingFields = {
  rates: z.array(commitRateSchema),
  basis: commitBasis.optional(),
  notOffered: z.string().min(1, { error: 'expected why no reservation is offered' }).optional(),
  source: sourceSchema.optional(),
};

/**
 * Checks one unit's reservation rates against each other and its on-demand price: the payment option
 * matches what is paid when, no option twice, every effective price at most on-demand and 3 years never
 * dearer than 1 year with the same payment. A reservation dearer than on-demand is always a typo.
 */
function checkOffering(
  offering: CatalogCommitOffering,
  onDemandHourly: number,
  path: (string | number)[],
  issues: Issue[],
): void {
  if (offering.rates.length === 0 && !offering.notOffered) {
    issues.push({
      path: [...path, 'notOffered'],
      message: 'expected rates, or notOffered saying why the provider offers no reservation here',
      input: offering.notOffered,
    });
  }
  if (offering.rates.length > 0 && offering.notOffered) {
    issues.push({
      path: [...path, 'notOffered'],
      message: 'expected no notOffered reason on an offering that has rates',
      input: offering.notOffered,
    });
  }
  const seen = new Map<string, number>();
  offering.rates.forEach((r, i) => {
    const at = [...path, 'rates', i];
    const key = `${r.term} ${r.payment}`;
    if (seen.has(key)) {
      issues.push({ path: [...at, 'payment'], message: `duplicate ${key} rate`, input: r.payment });
    }
    seen.set(key, i);
    if (r.payment === 'no-upfront' && r.upfrontUsd !== 0) {
      issues.push({
        path: [...at, 'upfrontUsd'],
        message: 'expected 0 for a no-upfront rate',
        input: r.upfrontUsd,
      });
    }
    if (r.payment === 'all-upfront' && r.hourlyUsd !== 0) {
      issues.push({
        path: [...at, 'hourlyUsd'],
        message: 'expected 0 for an all-upfront rate',
        input: r.hourlyUsd,
      });
    }
    if (r.payment === 'partial-upfront' && !(r.upfrontUsd > 0 && r.hourlyUsd > 0)) {
      issues.push({
        path: [...at, r.upfrontUsd > 0 ? 'hourlyUsd' : 'upfrontUsd'],
        message: 'expected both an upfront and an hourly part > 0 for a partial-upfront rate',
        input: r.upfrontUsd > 0 ? r.hourlyUsd : r.upfrontUsd,
      });
    }
    const eff = effectiveHourlyUsd(r);
    const priced = r.hourlyUsd > 0 ? 'hourlyUsd' : 'upfrontUsd';
    if (eff <= 0) {
      issues.push({ path: [...at, priced], message: 'expected a price > 0', input: r[priced] });
    } else if (eff > onDemandHourly + 1e-9) {
      issues.push({
        path: [...at, priced],
        message: `expected an effective price (${eff.toFixed(4)}/h) at most on-demand (${onDemandHourly}/h)`,
        input: r[priced],
      });
    }
  });
  offering.rates.forEach((r, i) => {
    if (r.term !== '3y') return;
    const oneYear = offering.rates[seen.get(`1y ${r.payment}`) ?? -1];
    if (!oneYear) return;
    const eff3 = effectiveHourlyUsd(r);
    const eff1 = effectiveHourlyUsd(oneYear);
    if (eff3 > eff1 + 1e-9) {
      const priced = r.hourlyUsd > 0 ? 'hourlyUsd' : 'upfrontUsd';
      issues.push({
        path: [...path, 'rates', i, priced],
        message: `expected the 3y ${r.payment} effective price (${eff3.toFixed(4)}/h) at most the 1y one (${eff1.toFixed(4)}/h)`,
        input: r[priced],
      });
    }
  });
}

/**
 * Offerings must cover every unit of the catalog exactly once and name no unit it does not have, so
 * a node type added without its reservation prices (or a typo in one) fails at load.
 */
function checkCoverage<T>(
  offerings: T[],
  key: (o: T) => string,
  keyField: string,
  known: string[],
  path: (string | number)[],
  issues: Issue[],
): void {
  const knownSet = new Set(known);
  const seen = new Set<string>();
  offerings.forEach((o, i) => {
    const k = key(o);
    if (!knownSet.has(k)) {
      issues.push({
        path: [...path, i, keyField],
        message: `expected a unit the catalog lists (${[...knownSet].slice(0, 4).join(', ')}, ...)`,
        input: k,
      });
    } else if (seen.has(k)) {
      issues.push({ path: [...path, i, keyField], message: 'duplicate offering for this unit', input: k });
    }
    seen.add(k);
  });
  for (const k of known) {
    if (!seen.has(k)) {
      issues.push({
        path,
        message: `expected an offering (rates or a notOffered record) for ${k}`,
        input: undefined,
      });
    }
  }
}

const majorMinorList = z.array(z.string().regex(/^\d+\.\d+$/, { error: 'expected major.minor' })).min(1);
const memorystoreVersions = z
  .array(z.string().regex(/^REDIS_\d+_(\d+|X)$/, { error: 'expected e.g. REDIS_7_2' }))
  .min(1);

/** Azure Managed Redis SKU families; a SKU name is `<family>_<letter><size>`. */
const MANAGED_FAMILIES = ['Balanced', 'MemoryOptimized', 'ComputeOptimized', 'FlashOptimized'] as const;
const managedSkuName = (error: string) =>
  z.string().regex(new RegExp(`^(${MANAGED_FAMILIES.join('|')})_[A-Z]\\d+$`), { error });

const serverlessEngine = z.strictObject({
  dataGbHourUsd: positive('the USD per GB-hour of data stored'),
  ecpuPerMillionUsd: positive('the USD per million ECPUs'),
  minimumDataGb: positive('the minimum data stored billed per cache, GB'),
  source: sourceSchema.optional(),
});

const awsSchema = withChecks(
  z.strictObject({
    ...pricedCatalogFields,
    engineVersions: z.strictObject({
      redis: majorMinorList,
      valkey: majorMinorList,
    }),
    reservedMemoryPercent: z.number().min(0).max(75, { error: 'expected a percentage between 0 and 75' }),
    maxClientsPerNode: count('maxclients per node'),
    maxShards: count('the shard limit'),
    maxNodesPerCluster: count('the node limit per cluster'),
    defaultNodesPerClusterQuota: count('the default node quota per cluster'),
    maxReplicasPerShard: count('the replica limit', 0),
    restrictedCommands: z
      .array(z.string().regex(/^[a-z]+(\|[a-z-]+)?$/, { error: 'expected a lower-case command or cmd|sub' }))
      .min(1),
    rbacMinEngineVersion: z.strictObject({
      redis: z.string().regex(/^\d+\.\d+$/, { error: 'expected major.minor' }),
      valkey: z.string().regex(/^\d+\.\d+$/, { error: 'expected major.minor' }),
    }),
    nodeTypes: sourcedRows({
      type: z
        .string()
        .regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: 'expected a node type like cache.r7g.large' }),
      family: name('the node family, e.g. r7g'),
      vcpu: count('the vCPU count'),
      memoryGib: positive('memory in GiB'),
      burstable: z.boolean(),
      ssdGib: z.number().min(0, { error: 'expected SSD GiB >= 0 (0 when not data tiering)' }),
      networkGbps: name('the network bandwidth'),
      hourlyUsd: z.strictObject({
        redis: positive('the Redis OSS on-demand USD per node-hour'),
        valkey: positive('the Valkey on-demand USD per node-hour'),
      }),
    }),
    reservedNodes: z.strictObject({
      basis: commitBasis,
      source: sourceSchema,
      offerings: z.array(
        z.strictObject({
          nodeType: name('the node type'),
          engine: z.enum(['redis', 'valkey'], { error: 'expected redis or valkey' }),
          ...commitOfferingFields,
        }),
      ),
    }),
    serverless: z.strictObject({
      // Limits and ECPU accounting live in aws-serverless.json; here only what is billed.
      source: sourceSchema,
      engines: z.strictObject({ redis: serverlessEngine, valkey: serverlessEngine }),
    }),
  }),
  (data, issues) => {
    checkPricedCatalog(data, issues);
    checkUnique(data.nodeTypes, (n) => n.type, ['nodeTypes'], issues);
    data.nodeTypes.forEach((n, i) => {
      if (n.type.split('.')[1] !== n.family) {
        issues.push({
          path: ['nodeTypes', i, 'family'],
          message: `expected the family in ${n.type}`,
          input: n.family,
        });
      }
      // ElastiCache prices Valkey below Redis OSS; a higher Valkey price means swapped columns.
      if (n.hourlyUsd.valkey > n.hourlyUsd.redis) {
        issues.push({
          path: ['nodeTypes', i, 'hourlyUsd', 'valkey'],
          message: `expected the Valkey price at most the Redis OSS price (${n.hourlyUsd.redis})`,
          input: n.hourlyUsd.valkey,
        });
      }
    });
    checkAscending(
      data.nodeTypes,
      (n) => n.family,
      (n) => n.memoryGib,
      (n) => n.hourlyUsd.redis,
      ['nodeTypes'],
      'memoryGib',
      'hourlyUsd',
      issues,
    );
    const offerings = data.reservedNodes.offerings;
    checkCoverage(
      offerings,
      (o) => `${o.nodeType} ${o.engine}`,
      'nodeType',
      data.nodeTypes.flatMap((n) => [`${n.type} redis`, `${n.type} valkey`]),
      ['reservedNodes', 'offerings'],
      issues,
    );
    offerings.forEach((o, i) => {
      const node = data.nodeTypes.find((n) => n.type === o.nodeType);
      if (node) checkOffering(o, node.hourlyUsd[o.engine], ['reservedNodes', 'offerings', i], issues);
    });
    const { redis, valkey } = data.serverless.engines;
    // AWS prices Serverless for Valkey below Redis OSS; a dearer Valkey rate means swapped columns.
    if (valkey.dataGbHourUsd > redis.dataGbHourUsd) {
      issues.push({
        path: ['serverless', 'engines', 'valkey', 'dataGbHourUsd'],
        message: `expected the Valkey rate at most the Redis OSS rate (${redis.dataGbHourUsd})`,
        input: valkey.dataGbHourUsd,
      });
    }
  },
);

const gcpCommittedUse = z.strictObject({
  discounts: z
    .array(
      z.strictObject({
        term: z.enum(COMMIT_TERMS, { error: 'expected the term: 1y or 3y' }),
        percent: z
          .number({ error: 'expected the discount as a percentage above 0 and below 100' })
          .gt(0, { error: 'expected the discount as a percentage above 0 and below 100' })
          .lt(100, { error: 'expected the discount as a percentage above 0 and below 100' }),
      }),
    )
    .min(1, { error: 'expected at least one term (or drop committedUse for a product without CUDs)' }),
  notEligible: z.array(
    z.strictObject({ unit: name('the tier or node type'), reason: name('why no CUD applies') }),
  ),
  source: sourceSchema,
});

/**
 * A product's CUD terms appear once each, the longer term gives at least the shorter one's discount, and
 * every excluded unit is one the catalog lists (so a typo cannot silently re-enable a discount).
 */
function checkCommittedUse(
  cud: GcpCommittedUse,
  units: string[],
  path: (string | number)[],
  issues: Issue[],
): void {
  const byTerm = new Map<string, number>();
  cud.discounts.forEach((d, i) => {
    if (byTerm.has(d.term)) {
      issues.push({
        path: [...path, 'discounts', i, 'term'],
        message: `duplicate ${d.term} discount`,
        input: d.term,
      });
    }
    byTerm.set(d.term, d.percent);
  });
  const one = byTerm.get('1y');
  const three = byTerm.get('3y');
  if (one !== undefined && three !== undefined && three < one) {
    issues.push({
      path: [...path, 'discounts', cud.discounts.findIndex((d) => d.term === '3y'), 'percent'],
      message: `expected the 3y discount at least the 1y discount (${one}%): a 3y commitment is never dearer`,
      input: three,
    });
  }
  const known = new Set(units);
  const seen = new Set<string>();
  cud.notEligible.forEach((n, i) => {
    if (!known.has(n.unit)) {
      issues.push({
        path: [...path, 'notEligible', i, 'unit'],
        message: `expected a unit the catalog lists (${units.join(', ')})`,
        input: n.unit,
      });
    } else if (seen.has(n.unit)) {
      issues.push({ path: [...path, 'notEligible', i, 'unit'], message: 'listed twice', input: n.unit });
    }
    seen.add(n.unit);
  });
}

const gcpSchema = withChecks(
  z.strictObject({
    ...pricedCatalogFields,
    memorystoreRedis: z.strictObject({
      versions: memorystoreVersions,
      minGb: positive('the smallest instance size in GB'),
      maxGb: positive('the largest instance size in GB'),
      maxReadReplicas: count('the read replica limit', 0),
      tiers: sourcedRows({
        name: z.string().regex(/^M\d$/, { error: 'expected a capacity tier name like M1' }),
        minGb: positive('the tier lower bound in GB'),
        maxGb: positive('the tier upper bound in GB'),
        basicGbHourUsd: positive('the Basic tier USD per GB-hour'),
        standardGbHourUsd: positive('the Standard tier USD per GB-hour'),
        readReplicaGbHourUsd: positive('the read replica USD per GB-hour'),
        maxClients: count('maxclients'),
      }),
      source: sourceSchema,
    }),
    memorystoreCluster: z.strictObject({
      versions: memorystoreVersions,
      maxShards: count('the shard limit'),
      maxReplicasPerShard: count('the replica limit', 0),
      nodeTypes: sourcedRows({
        type: z
          .string()
          .regex(/^REDIS_[A-Z0-9_]+$/, { error: 'expected a node type like REDIS_HIGHMEM_MEDIUM' }),
        memoryGb: positive('node memory in GB'),
        vcpu: positive('the vCPU count'),
        hourlyUsd: positive('the USD per node-hour'),
        maxClients: count('maxclients'),
      }),
      source: sourceSchema,
    }),
    committedUse: z.strictObject({
      memorystoreRedis: gcpCommittedUse,
      memorystoreCluster: gcpCommittedUse,
    }),
  }),
  (data, issues) => {
    checkPricedCatalog(data, issues);
    checkCommittedUse(
      data.committedUse.memorystoreRedis,
      data.memorystoreRedis.tiers.map((t) => t.name),
      ['committedUse', 'memorystoreRedis'],
      issues,
    );
    checkCommittedUse(
      data.committedUse.memorystoreCluster,
      data.memorystoreCluster.nodeTypes.map((n) => n.type),
      ['committedUse', 'memorystoreCluster'],
      issues,
    );
    const r = data.memorystoreRedis;
    checkUnique(r.tiers, (t) => t.name, ['memorystoreRedis', 'tiers'], issues);
    // Capacity tiers must cover minGb..maxGb without gaps or overlaps: the planner maps a size to one tier.
    let expectMin = r.minGb;
    r.tiers.forEach((t, i) => {
      if (t.minGb !== expectMin) {
        issues.push({
          path: ['memorystoreRedis', 'tiers', i, 'minGb'],
          message: `expected ${expectMin}: tiers must follow each other without gaps or overlaps`,
          input: t.minGb,
        });
      }
      if (t.maxGb < t.minGb) {
        issues.push({
          path: ['memorystoreRedis', 'tiers', i, 'maxGb'],
          message: 'expected maxGb >= minGb',
          input: t.maxGb,
        });
      }
      if (t.standardGbHourUsd < t.basicGbHourUsd) {
        issues.push({
          path: ['memorystoreRedis', 'tiers', i, 'standardGbHourUsd'],
          message: `expected the Standard (replicated) price at least the Basic price (${t.basicGbHourUsd})`,
          input: t.standardGbHourUsd,
        });
      }
      expectMin = Math.floor(t.maxGb) + 1;
    });
    const lastTier = r.tiers[r.tiers.length - 1];
    if (lastTier && lastTier.maxGb !== r.maxGb) {
      issues.push({
        path: ['memorystoreRedis', 'tiers', r.tiers.length - 1, 'maxGb'],
        message: `expected the last tier to end at memorystoreRedis.maxGb (${r.maxGb})`,
        input: lastTier.maxGb,
      });
    }
    checkUnique(
      data.memorystoreCluster.nodeTypes,
      (n) => n.type,
      ['memorystoreCluster', 'nodeTypes'],
      issues,
    );
    checkAscending(
      data.memorystoreCluster.nodeTypes,
      () => 'cluster node',
      (n) => n.memoryGb,
      (n) => n.hourlyUsd,
      ['memorystoreCluster', 'nodeTypes'],
      'memoryGb',
      'hourlyUsd',
      issues,
    );
  },
);

const azurePremiumSchema = withChecks(
  z.strictObject({
    ...pricedCatalogFields,
    redisVersions: z.array(name('a Redis version')).min(1),
    maxShards: count('the shard limit'),
    maxReplicasPerPrimary: count('the replica limit'),
    skus: sourcedRows({
      name: z.string().regex(/^P\d$/, { error: 'expected a Premium size like P1' }),
      capacity: count('the capacity number (1 for P1)'),
      memoryGb: positive('memory in GB'),
      maxConnections: count('the connection limit'),
      monthlyUsdPerShard: positive('the USD per month per shard'),
      managedEquivalent: managedSkuName('expected an Azure Managed Redis SKU like Balanced_B5'),
    }),
    retirement: z.strictObject({
      date: z.string().refine(isIsoDate, { error: 'expected YYYY-MM-DD' }),
      newCachesUntil: z.string().refine(isIsoDate, { error: 'expected YYYY-MM-DD' }),
      source: sourceSchema,
    }),
    reservations: z.strictObject({
      basis: commitBasis,
      source: sourceSchema,
      offerings: z.array(z.strictObject({ sku: name('the Premium size'), ...commitOfferingFields })),
    }),
  }),
  (data, issues) => {
    checkPricedCatalog(data, issues);
    const offerings = data.reservations.offerings;
    checkCoverage(
      offerings,
      (o) => o.sku,
      'sku',
      data.skus.map((s) => s.name),
      ['reservations', 'offerings'],
      issues,
    );
    offerings.forEach((o, i) => {
      const sku = data.skus.find((s) => s.name === o.sku);
      // Reservations are per shard-hour: the unit of monthlyUsdPerShard / 730.
      if (sku)
        checkOffering(o, sku.monthlyUsdPerShard / HOURS_PER_MONTH, ['reservations', 'offerings', i], issues);
    });
    checkUnique(data.skus, (s) => s.name, ['skus'], issues);
    data.skus.forEach((s, i) => {
      if (s.name !== `P${s.capacity}`) {
        issues.push({
          path: ['skus', i, 'capacity'],
          message: `expected the number in ${s.name}`,
          input: s.capacity,
        });
      }
    });
    checkAscending(
      data.skus,
      () => 'Premium',
      (s) => s.memoryGb,
      (s) => s.monthlyUsdPerShard,
      ['skus'],
      'memoryGb',
      'monthlyUsdPerShard',
      issues,
    );
  },
);

const azureManagedSchema = withChecks(
  z.strictObject({
    ...pricedCatalogFields,
    port: z.int().min(1).max(65535),
    reservedMemoryPercent: z
      .number()
      .min(0)
      .max(50, { error: 'expected a percentage between 0 and 50' })
      .optional(),
    skus: sourcedRows({
      name: managedSkuName('expected a SKU name like Balanced_B5'),
      family: z.enum(MANAGED_FAMILIES),
      memoryGb: positive('memory in GB'),
      vcpu: count('the vCPU count'),
      maxConnections: count('the connection limit'),
      hourlyUsdHa: positive('the USD per hour with high availability'),
      hourlyUsdNoHa: positive('the USD per hour without high availability'),
      preview: z.boolean().optional(),
    }),
    reservations: z.strictObject({
      basis: commitBasis,
      source: sourceSchema,
      offerings: z.array(
        z.strictObject({
          sku: name('the Azure Managed Redis SKU'),
          ha: z.boolean({ error: 'expected true (high availability, two nodes) or false (one node)' }),
          ...commitOfferingFields,
        }),
      ),
    }),
  }),
  (data, issues) => {
    checkPricedCatalog(data, issues);
    const offerings = data.reservations.offerings;
    const haKey = (sku: string, ha: boolean) => `${sku} ${ha ? 'ha' : 'no-ha'}`;
    checkCoverage(
      offerings,
      (o) => haKey(o.sku, o.ha),
      'sku',
      data.skus.flatMap((s) => [haKey(s.name, true), haKey(s.name, false)]),
      ['reservations', 'offerings'],
      issues,
    );
    offerings.forEach((o, i) => {
      const sku = data.skus.find((s) => s.name === o.sku);
      const onDemand = sku && (o.ha ? sku.hourlyUsdHa : sku.hourlyUsdNoHa);
      if (onDemand) checkOffering(o, onDemand, ['reservations', 'offerings', i], issues);
    });
    checkUnique(data.skus, (s) => s.name, ['skus'], issues);
    data.skus.forEach((s, i) => {
      if (!s.name.startsWith(`${s.family}_`)) {
        issues.push({
          path: ['skus', i, 'family'],
          message: `expected the family in ${s.name}`,
          input: s.family,
        });
      }
      // HA runs a replica of every shard: it can never be cheaper than the same SKU without it.
      if (s.hourlyUsdNoHa > s.hourlyUsdHa) {
        issues.push({
          path: ['skus', i, 'hourlyUsdNoHa'],
          message: `expected the non-HA price at most the HA price (${s.hourlyUsdHa})`,
          input: s.hourlyUsdNoHa,
        });
      }
    });
    checkAscending(
      data.skus,
      (s) => s.family,
      (s) => s.memoryGb,
      (s) => s.hourlyUsdHa,
      ['skus'],
      'memoryGb',
      'hourlyUsdHa',
      issues,
    );
  },
);

const imageTag = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { error: 'expected an image tag' });
const repository = z.string().regex(/^[a-z0-9._-]+\/[a-z0-9._/-]+$/, { error: 'expected org/name' });
const semver = (what: string) =>
  z.string().regex(/^\d+\.\d+\.\d+$/, { error: `expected ${what} as major.minor.patch` });
const releaseLine = z.string().regex(/^\d+\.\d+$/, { error: 'expected a release line major.minor' });

const catalogImage = z
  .strictObject({
    registry: z.string().regex(/^[a-z0-9.-]+(:\d+)?$/, { error: 'expected a registry host' }),
    repository,
    tag: imageTag.refine((t) => t !== 'latest', { error: 'expected a versioned tag, not latest' }),
    digest: z
      .string()
      .regex(/^sha256:[0-9a-f]{64}$/, { error: 'expected sha256: and 64 lower-case hex digits' })
      .optional(),
    noDigestReason: z.string().min(1).optional(),
    redisVersion: semver('the Redis version').optional(),
    source: sourceSchema,
  })
  // A missing digest must say why, so nobody drops one silently.
  .refine((i) => !!i.digest !== !!i.noDigestReason, {
    error: 'expected either digest or noDigestReason (exactly one)',
    path: ['digest'],
  });

const imagesSchema = withChecks(
  z.strictObject({
    source: sourceSchema,
    images: z.strictObject({
      opstreeRedis: catalogImage,
      opstreeExporter: catalogImage,
      bitnamiRedis: catalogImage,
      bitnamiSentinel: catalogImage,
      bitnamiExporter: catalogImage,
      backupUploader: catalogImage,
    }),
    cveFloors: z
      .array(
        z.strictObject({
          cve: z.string().regex(/^CVE-\d{4}-\d{4,}$/, { error: 'expected CVE-YYYY-NNNN' }),
          engine: z.enum(['redis', 'valkey']),
          summary: name('what the vulnerability is'),
          affectedFrom: semver('the first affected version').optional(),
          fixed: z.record(releaseLine, semver('the first fixed version')),
          source: sourceSchema,
        }),
      )
      .min(1),
  }),
  (data, issues) => {
    for (const [key, img] of Object.entries(data.images)) {
      if (/Redis$|Sentinel$/.test(key) && !img.redisVersion) {
        issues.push({
          path: ['images', key, 'redisVersion'],
          message: 'expected the Redis version of a Redis or Sentinel image (the CVE floors need it)',
          input: img.redisVersion,
        });
      }
    }
    data.cveFloors.forEach((f, i) => {
      for (const [line, version] of Object.entries(f.fixed)) {
        if (!version.startsWith(`${line}.`)) {
          issues.push({
            path: ['cveFloors', i, 'fixed', line],
            message: `expected a version on the ${line} line`,
            input: version,
          });
        }
      }
      if (Object.keys(f.fixed).length === 0) {
        issues.push({
          path: ['cveFloors', i, 'fixed'],
          message: 'expected at least one fixed release',
          input: f.fixed,
        });
      }
    });
  },
);
const referenceNode = z.strictObject({
  type: name('the instance type'),
  vcpu: positive('vCPUs'),
  memoryGib: positive('memory in GiB'),
  hourlyUsd: positive('USD per hour'),
});

const kubernetesSchema = withChecks(
  z.strictObject({
    currency: z.literal('USD'),
    source: sourceSchema,
    fieldSources: fieldSourcesSchema.optional(),
    memoryGibMonthUsd: positive('USD per GiB of memory per month'),
    vcpuMonthUsd: positive('USD per vCPU per month'),
    storageGibMonthUsd: positive('USD per GiB of SSD volume per month'),
    maxMemoryPercentOfLimit: z
      .int()
      .min(50, { error: 'expected 50..90: below 50 wastes memory' })
      .max(90, { error: 'expected 50..90: above 90 leaves no room for fork copy-on-write' }),
    derivation: z
      .strictObject({
        hoursPerMonth: positive('hours per month'),
        generalNode: referenceNode,
        memoryNode: referenceNode,
        storage: z.strictObject({
          type: name('the volume type'),
          gibMonthUsd: positive('USD per GiB-month'),
        }),
        source: sourceSchema,
      })
      .optional(),
  }),
  (data, issues) => {
    checkFieldSources(data, issues);
    const d = data.derivation;
    if (!d) return;
    // The unit prices must be what the derivation gives, so nobody edits one without the other.
    const { perGibMonth, perVcpuMonth } = deriveUnitPrices(d);
    const close = (a: number, b: number) => Math.abs(a - b) <= 0.01;
    if (!close(data.memoryGibMonthUsd, perGibMonth)) {
      issues.push({
        path: ['memoryGibMonthUsd'],
        message: `expected ${perGibMonth.toFixed(4)} as derived from derivation.memoryNode and derivation.generalNode`,
        input: data.memoryGibMonthUsd,
      });
    }
    if (!close(data.vcpuMonthUsd, perVcpuMonth)) {
      issues.push({
        path: ['vcpuMonthUsd'],
        message: `expected ${perVcpuMonth.toFixed(4)} as derived from derivation.generalNode`,
        input: data.vcpuMonthUsd,
      });
    }
    if (!close(data.storageGibMonthUsd, d.storage.gibMonthUsd)) {
      issues.push({
        path: ['storageGibMonthUsd'],
        message: `expected ${d.storage.gibMonthUsd} as in derivation.storage`,
        input: data.storageGibMonthUsd,
      });
    }
  },
);

const referenceSchema = withChecks(
  z.strictObject({
    source: sourceSchema,
    fieldSources: fieldSourcesSchema.optional(),
    devices: z
      .array(
        z.strictObject({
          devices: count('the number of devices'),
          memoryGb: positive('memory in GB'),
          primaries: count('the number of primaries'),
          replicasPerPrimary: count('replicas per primary', 0),
          connections: count('the number of connections'),
        }),
      )
      .min(1),
    organizations: z
      .array(
        z.strictObject({
          organizations: count('the number of organizations'),
          memoryGb: positive('memory in GB'),
          note: z.string().min(1).optional(),
        }),
      )
      .min(1),
    poolSizes: z
      .array(
        z.strictObject({
          maxConcurrentUsers: count('the inclusive upper bound of concurrent users').nullable(),
          poolSize: count('the pool size'),
          minIdle: count('the minimum idle connections', 0),
        }),
      )
      .min(1),
  }),
  (data, issues) => {
    checkFieldSources(data, issues);
    checkAscending(
      data.devices,
      () => 'devices',
      (r) => r.devices,
      (r) => r.memoryGb,
      ['devices'],
      'devices',
      'memoryGb',
      issues,
    );
    checkAscending(
      data.organizations,
      () => 'organizations',
      (r) => r.organizations,
      (r) => r.memoryGb,
      ['organizations'],
      'organizations',
      'memoryGb',
      issues,
    );
    data.poolSizes.forEach((row, i) => {
      const isLast = i === data.poolSizes.length - 1;
      if ((row.maxConcurrentUsers === null) !== isLast) {
        issues.push({
          path: ['poolSizes', i, 'maxConcurrentUsers'],
          message: 'expected a bound on every row except the last, which has null (no upper bound)',
          input: row.maxConcurrentUsers,
        });
      }
      const prev = data.poolSizes[i - 1];
      if (prev && row.maxConcurrentUsers !== null && prev.maxConcurrentUsers !== null) {
        if (row.maxConcurrentUsers <= prev.maxConcurrentUsers) {
          issues.push({
            path: ['poolSizes', i, 'maxConcurrentUsers'],
            message: `expected a bound above the previous row's (${prev.maxConcurrentUsers})`,
            input: row.maxConcurrentUsers,
          });
        }
      }
      if (row.minIdle > row.poolSize) {
        issues.push({
          path: ['poolSizes', i, 'minIdle'],
          message: `expected at most poolSize (${row.poolSize})`,
          input: row.minIdle,
        });
      }
    });
  },
);

/** Versions compared as numbers (8.10 is after 8.8): the one comparator, in ./version. */
export { compareVersions } from './version';

const enginesSchema = withChecks(
  z.strictObject({
    source: sourceSchema,
    fieldSources: fieldSourcesSchema.optional(),
    releases: z.strictObject({ redis: majorMinorList, valkey: majorMinorList }),
    selfHostedMinimum: z.strictObject({
      redis: z.string().regex(/^\d+\.\d+$/, { error: 'expected major.minor' }),
      valkey: z.string().regex(/^\d+\.\d+$/, { error: 'expected major.minor' }),
    }),
  }),
  (data, issues) => {
    for (const engine of ['redis', 'valkey'] as const) {
      const list = data.releases[engine];
      list.forEach((v, i) => {
        if (i > 0 && compareVersions(list[i - 1], v) >= 0)
          issues.push({
            path: ['releases', engine, i],
            message: `expected versions in ascending order (after ${list[i - 1]})`,
            input: v,
          });
      });
      if (!list.includes(data.selfHostedMinimum[engine]))
        issues.push({
          path: ['selfHostedMinimum', engine],
          message: `expected one of the ${engine} releases`,
          input: data.selfHostedMinimum[engine],
        });
    }
  },
);

/** Per-GiB and per-vCPU monthly prices from two reference nodes that differ only in memory. */
export function deriveUnitPrices(d: NonNullable<KubernetesCatalog['derivation']>): {
  perGibMonth: number;
  perVcpuMonth: number;
} {
  const gibHour =
    (d.memoryNode.hourlyUsd - d.generalNode.hourlyUsd) / (d.memoryNode.memoryGib - d.generalNode.memoryGib);
  const vcpuHour = (d.generalNode.hourlyUsd - gibHour * d.generalNode.memoryGib) / d.generalNode.vcpu;
  return { perGibMonth: gibHour * d.hoursPerMonth, perVcpuMonth: vcpuHour * d.hoursPerMonth };
}

// Compile-time guard: what the schemas accept must be assignable to the published types.
type Assignable<A extends B, B> = A;
export type _SchemaMatchesTypes = [
  Assignable<z.output<typeof awsSchema>, AwsCatalog>,
  Assignable<z.output<typeof gcpSchema>, GcpCatalog>,
  Assignable<z.output<typeof azurePremiumSchema>, AzurePremiumCatalog>,
  Assignable<z.output<typeof azureManagedSchema>, AzureManagedCatalog>,
  Assignable<z.output<typeof kubernetesSchema>, KubernetesCatalog>,
  Assignable<z.output<typeof referenceSchema>, ReferenceCatalog>,
  Assignable<z.output<typeof enginesSchema>, EnginesCatalog>,
  Assignable<z.output<typeof imagesSchema>, ImagesCatalog>,
];

// ---------------------------------------------------------------------------------------------
// Validation and loading
// ---------------------------------------------------------------------------------------------

/** Catalog names, as the data files are named. */
export interface CatalogTypes {
  'aws-elasticache': AwsCatalog;
  'gcp-memorystore': GcpCatalog;
  'azure-premium': AzurePremiumCatalog;
  'azure-managed': AzureManagedCatalog;
  kubernetes: KubernetesCatalog;
  reference: ReferenceCatalog;
  engines: EnginesCatalog;
  images: ImagesCatalog;
}
export type CatalogName = keyof CatalogTypes;

const SCHEMAS: Record<CatalogName, z.ZodType> = {
  'aws-elasticache': awsSchema,
  'gcp-memorystore': gcpSchema,
  'azure-premium': azurePremiumSchema,
  'azure-managed': azureManagedSchema,
  kubernetes: kubernetesSchema,
  reference: referenceSchema,
  engines: enginesSchema,
  images: imagesSchema,
};

export const CATALOG_NAMES = Object.keys(SCHEMAS) as CatalogName[];

/** The data file of a catalog, as named in error messages. */
export function catalogFile(name: CatalogName): string {
  return `lib/catalog/data/${name}.json`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur: unknown = data;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Validate catalog data. Returns it typed, or throws SpecError naming the file, the field path,
 * the bad value and what is expected (one line; further problems are counted, not listed).
 */
export function validateCatalog<N extends CatalogName>(name: N, data: unknown): CatalogTypes[N] {
  const schema = SCHEMAS[name];
  if (!schema) {
    throw new SpecError('catalog', name, `expected one of ${CATALOG_NAMES.join(', ')}`, 'catalog');
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SpecError('(root)', data, 'expected a JSON object', catalogFile(name));
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data as CatalogTypes[N];
  const issue = result.error.issues[0];
  const field = issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  const more = result.error.issues.length - 1;
  const allowed =
    more > 0 ? `${issue.message} (and ${more} more problem${more > 1 ? 's' : ''})` : issue.message;
  throw new SpecError(field, valueAt(data, issue.path), allowed, catalogFile(name));
}

const RAW: Record<CatalogName, unknown> = {
  'aws-elasticache': awsData,
  'gcp-memorystore': gcpData,
  'azure-premium': azurePremiumData,
  'azure-managed': azureManagedData,
  kubernetes: kubernetesData,
  reference: referenceData,
  engines: enginesData,
  images: imagesData,
};

const cache = new Map<CatalogName, unknown>();

/** A catalog by name, validated on first use and cached. */
export function loadCatalog<N extends CatalogName>(name: N): CatalogTypes[N] {
  if (!cache.has(name)) cache.set(name, Object.freeze(validateCatalog(name, RAW[name])));
  return cache.get(name) as CatalogTypes[N];
}

export const awsCatalog = (): AwsCatalog => loadCatalog('aws-elasticache');
export const gcpCatalog = (): GcpCatalog => loadCatalog('gcp-memorystore');
export const azurePremiumCatalog = (): AzurePremiumCatalog => loadCatalog('azure-premium');
export const azureManagedCatalog = (): AzureManagedCatalog => loadCatalog('azure-managed');
export const kubernetesCatalog = (): KubernetesCatalog => loadCatalog('kubernetes');
export const referenceCatalog = (): ReferenceCatalog => loadCatalog('reference');
export const enginesCatalog = (): EnginesCatalog => loadCatalog('engines');
export const imagesCatalog = (): ImagesCatalog => loadCatalog('images');

/**
 * Price multiplier of `region` relative to the catalog's default region. An unknown region is a spec
 * error naming `field` (the spec path the region came from) and the regions the catalog knows.
 * No region (undefined or empty) means the default region.
 */
export function regionMultiplier(
  catalog: { regions: RegionTable; defaultRegion: string },
  region: string | undefined,
  field: string,
): number {
  const key = region === undefined || region === '' ? catalog.defaultRegion : region;
  const entry = catalog.regions[key];
  if (!entry) {
    const known = Object.keys(catalog.regions).sort().join(', ');
    throw new SpecError(
      field,
      region,
      `expected a region the price catalog knows: ${known} (default ${catalog.defaultRegion}); add the region with its price multiplier to the catalog to use it`,
    );
  }
  return entry.priceMultiplier;
}

// ---------------------------------------------------------------------------------------------
// Sources of figures
// ---------------------------------------------------------------------------------------------

/** One numeric figure of a catalog with the source that covers it. */
export interface SourcedFigure {
  /** Dotted path of the figure, e.g. nodeTypes.3.hourlyUsd.redis */
  path: string;
  value: number;
  source: Source;
}

/**
 * Every numeric figure in a catalog with the source that covers it: the nearest enclosing object's
 * `source`, else the catalog's `fieldSources` entry for the top-level field, else the catalog `source`.
 */
export function figureSources(data: {
  source: Source;
  fieldSources?: Record<string, Source>;
}): SourcedFigure[] {
  const out: SourcedFigure[] = [];
  const walk = (node: unknown, path: string[], inherited: Source): void => {
    if (typeof node === 'number') {
      out.push({ path: path.join('.'), value: node, source: inherited });
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const own = (node as { source?: Source }).source;
    const here = own && typeof own === 'object' && 'url' in own ? own : inherited;
    for (const [key, child] of Object.entries(node)) {
      if (key === 'source' || key === 'fieldSources') continue;
      const top = path.length === 0 ? data.fieldSources?.[key] : undefined;
      walk(child, [...path, key], top ?? here);
    }
  };
  walk(data, [], data.source);
  return out;
}

export * from './commitments';
