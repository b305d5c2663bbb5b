import {
  CATALOG_NAMES,
  awsCatalog,
  azureManagedCatalog,
  azurePremiumCatalog,
  catalogFile,
  deriveUnitPrices,
  figureSources,
  gcpCatalog,
  kubernetesCatalog,
  loadCatalog,
  referenceCatalog,
  enginesCatalog,
  regionMultiplier,
  validateCatalog,
  type CatalogName,
} from '../../lib/catalog';
import { SpecError } from '../../lib/errors';
import awsRaw from '../../lib/catalog/data/aws-elasticache.json';
import gcpRaw from '../../lib/catalog/data/gcp-memorystore.json';
import azurePremiumRaw from '../../lib/catalog/data/azure-premium.json';
import azureManagedRaw from '../../lib/catalog/data/azure-managed.json';
import kubernetesRaw from '../../lib/catalog/data/kubernetes.json';
import imagesRaw from '../../lib/catalog/data/images.json';
import referenceRaw from '../../lib/catalog/data/reference.json';
import enginesRaw from '../../lib/catalog/data/engines.json';

/** A deep copy of raw catalog data that a test may break freely. */
function copy<T>(data: T): T {
  return JSON.parse(JSON.stringify(data)) as T;
}

/** The SpecError thrown by fn (fails the test when fn does not throw one). */
function specErrorOf(fn: () => unknown): SpecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e;
    throw e;
  }
  throw new Error('expected a SpecError, nothing was thrown');
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe('catalogs load', () => {
  it.each(CATALOG_NAMES)('%s validates and is cached', (name) => {
    const first = loadCatalog(name);
    expect(first).toBeDefined();
    expect(loadCatalog(name)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('typed loaders return the catalogs', () => {
    expect(awsCatalog().defaultRegion).toBe('us-east-1');
    expect(gcpCatalog().defaultRegion).toBe('us-central1');
    expect(azurePremiumCatalog().defaultRegion).toBe('eastus');
    expect(azureManagedCatalog().port).toBe(10000);
    expect(kubernetesCatalog().maxMemoryPercentOfLimit).toBeGreaterThan(0);
    expect(referenceCatalog().devices.length).toBe(4);
  });
});

describe('every figure carries a source and a retrieval date', () => {
  // The engines and images catalogs hold version lists and names, no numeric figures: their sources
  // are checked below and in test/catalog/images.test.ts.
  it.each(CATALOG_NAMES.filter((n) => n !== 'engines' && n !== 'images'))('%s', (name) => {
    const figures = figureSources(loadCatalog(name));
    expect(figures.length).toBeGreaterThan(5);
    for (const f of figures) {
      expect({ path: f.path, url: f.source.url }).toEqual({
        path: f.path,
        url: expect.stringMatching(/^(https:\/\/\S+|guides\/\d{3}_[0-9a-f]+\.txt)$/),
      });
      expect(f.source.retrieved).toMatch(ISO_DATE);
    }
  });

  it('engines: the release lists have a source of their own beside the catalog source', () => {
    const cat = enginesCatalog();
    expect(cat.source.url).toMatch(/^https:\/\//);
    expect(cat.fieldSources?.releases?.url).toMatch(/^https:\/\//);
    expect(cat.releases.redis.length).toBeGreaterThan(5);
    expect(cat.releases.valkey).toContain(cat.selfHostedMinimum.valkey);
  });

  it('figures not re-read from a page say so, with the date they were known', () => {
    for (const name of CATALOG_NAMES) {
      for (const f of figureSources(loadCatalog(name))) {
        if (f.source.note?.includes('not re-read')) {
          expect(f.source.note).toMatch(
            /from published (list price|documentation) as known on \d{4}-\d{2}-\d{2}, not re-read/,
          );
        }
      }
    }
  });

  it('figureSources picks the nearest source', () => {
    const data = {
      source: { url: 'https://example.org/all', retrieved: '2026-01-01' },
      fieldSources: { limit: { url: 'https://example.org/limit', retrieved: '2026-01-02' } },
      limit: 5,
      rows: [{ price: 1, source: { url: 'https://example.org/row', retrieved: '2026-01-03' } }, { price: 2 }],
    };
    const byPath = Object.fromEntries(figureSources(data).map((f) => [f.path, f.source.url]));
    expect(byPath).toEqual({
      limit: 'https://example.org/limit',
      'rows.0.price': 'https://example.org/row',
      'rows.1.price': 'https://example.org/all',
    });
  });
});

describe('prices and sizes', () => {
  it('every price is positive', () => {
    const prices = [
      ...awsCatalog().nodeTypes.flatMap((n) => [n.hourlyUsd.redis, n.hourlyUsd.valkey]),
      ...gcpCatalog().memorystoreRedis.tiers.flatMap((t) => [
        t.basicGbHourUsd,
        t.standardGbHourUsd,
        t.readReplicaGbHourUsd,
      ]),
      ...gcpCatalog().memorystoreCluster.nodeTypes.map((n) => n.hourlyUsd),
      ...azurePremiumCatalog().skus.map((s) => s.monthlyUsdPerShard),
      ...azureManagedCatalog().skus.flatMap((s) => [s.hourlyUsdHa, s.hourlyUsdNoHa]),
      kubernetesCatalog().memoryGibMonthUsd,
      kubernetesCatalog().vcpuMonthUsd,
      kubernetesCatalog().storageGibMonthUsd,
    ];
    expect(prices.length).toBeGreaterThan(50);
    for (const p of prices) expect(p).toBeGreaterThan(0);
  });

  it('memory ascends within each family, and so does price', () => {
    const ascending = <T>(
      rows: T[],
      group: (r: T) => string,
      mem: (r: T) => number,
      price: (r: T) => number,
    ) => {
      const last = new Map<string, T>();
      for (const r of rows) {
        const prev = last.get(group(r));
        if (prev) {
          expect(mem(r)).toBeGreaterThan(mem(prev));
          expect(price(r)).toBeGreaterThanOrEqual(price(prev));
        }
        last.set(group(r), r);
      }
    };
    ascending(
      awsCatalog().nodeTypes,
      (n) => n.family,
      (n) => n.memoryGib,
      (n) => n.hourlyUsd.redis,
    );
    ascending(
      gcpCatalog().memorystoreCluster.nodeTypes,
      () => 'all',
      (n) => n.memoryGb,
      (n) => n.hourlyUsd,
    );
    ascending(
      azurePremiumCatalog().skus,
      () => 'all',
      (s) => s.memoryGb,
      (s) => s.monthlyUsdPerShard,
    );
    ascending(
      azureManagedCatalog().skus,
      (s) => s.family,
      (s) => s.memoryGb,
      (s) => s.hourlyUsdHa,
    );
  });

  it('AWS has the families the planner selects from, priced for both engines', () => {
    const types = new Set(awsCatalog().nodeTypes.map((n) => n.type));
    for (const t of [
      'cache.t4g.micro',
      'cache.t4g.small',
      'cache.t4g.medium',
      ...['large', 'xlarge', '2xlarge', '4xlarge'].map((s) => `cache.m7g.${s}`),
      ...['large', 'xlarge', '2xlarge', '4xlarge', '8xlarge'].map((s) => `cache.r7g.${s}`),
      ...['xlarge', '2xlarge', '4xlarge', '8xlarge'].map((s) => `cache.r6gd.${s}`),
    ]) {
      expect(types).toContain(t);
    }
    for (const n of awsCatalog().nodeTypes) {
      // Valkey node-based pricing is 20% below Redis OSS.
      expect(n.hourlyUsd.valkey).toBeCloseTo(n.hourlyUsd.redis * 0.8, 3);
      expect(n.ssdGib > 0).toBe(n.family === 'r6gd');
    }
  });

  it('GCP capacity tiers cover 1..300 GB without gaps', () => {
    const r = gcpCatalog().memorystoreRedis;
    expect(r.tiers.map((t) => t.name)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5']);
    expect(r.tiers[0].minGb).toBe(1);
    expect(r.tiers[r.tiers.length - 1].maxGb).toBe(300);
  });

  it('every Azure Premium size maps to an Azure Managed Redis SKU the catalog knows', () => {
    const managed = new Set(azureManagedCatalog().skus.map((s) => s.name));
    const premium = azurePremiumCatalog();
    expect(premium.skus.map((s) => s.name)).toEqual(['P1', 'P2', 'P3', 'P4', 'P5']);
    // Microsoft's rule: the smallest SKU whose usable memory (total less the reserved share) holds the cache.
    const reserved = azureManagedCatalog().reservedMemoryPercent ?? 20;
    const usable = (gb: number) => gb * (1 - reserved / 100);
    const balanced = azureManagedCatalog().skus.filter((m) => m.family === 'Balanced');
    for (const s of premium.skus) {
      expect(managed).toContain(s.managedEquivalent);
      const smallestFitting = balanced.find((m) => usable(m.memoryGb) >= s.memoryGb);
      expect({ premium: s.name, managed: s.managedEquivalent }).toEqual({
        premium: s.name,
        managed: smallestFitting?.name,
      });
    }
    expect(premium.retirement.date).toBe('2028-09-30');
  });

  it('Kubernetes unit prices are what the named reference nodes give', () => {
    const k = kubernetesCatalog();
    const d = deriveUnitPrices(k.derivation!);
    expect(k.memoryGibMonthUsd).toBeCloseTo(d.perGibMonth, 2);
    expect(k.vcpuMonthUsd).toBeCloseTo(d.perVcpuMonth, 2);
  });

  it('reference rows are the guides figures', () => {
    const ref = referenceCatalog();
    expect(
      ref.devices.map((r) => [r.devices, r.memoryGb, r.primaries, r.replicasPerPrimary, r.connections]),
    ).toEqual([
      [10000, 2, 1, 2, 100],
      [50000, 8, 3, 1, 500],
      [100000, 16, 3, 1, 1000],
      [500000, 64, 6, 1, 5000],
    ]);
    expect(ref.organizations.map((r) => [r.organizations, r.memoryGb])).toEqual([
      [100000, 4],
      [500000, 8],
      [1000000, 16],
      [5000000, 32],
    ]);
    expect(ref.poolSizes.map((r) => [r.maxConcurrentUsers, r.poolSize, r.minIdle])).toEqual([
      [99, 10, 2],
      [1000, 25, 5],
      [10000, 50, 10],
      [null, 100, 20],
    ]);
  });
});

describe('broken catalogs are rejected naming the file and the field', () => {
  const cases: Array<[string, CatalogName, unknown, RegExp]> = [
    [
      'negative price',
      'aws-elasticache',
      (() => {
        const d = copy(awsRaw);
        d.nodeTypes[0].hourlyUsd.redis = -0.016;
        return d;
      })(),
      /^lib\/catalog\/data\/aws-elasticache\.json: nodeTypes\.0\.hourlyUsd\.redis: got -0\.016; expected .*> 0/,
    ],
    [
      'missing source',
      'gcp-memorystore',
      (() => {
        const d = copy(gcpRaw) as Record<string, unknown>;
        delete (d.memorystoreCluster as Record<string, unknown>).source;
        return d;
      })(),
      /gcp-memorystore\.json: memorystoreCluster\.source: got nothing \(the field is missing\)/,
    ],
    [
      'source without a date',
      'azure-premium',
      (() => {
        const d = copy(azurePremiumRaw) as { source: { retrieved?: string } };
        d.source.retrieved = '21/11/2026';
        return d;
      })(),
      /azure-premium\.json: source\.retrieved: got "21\/11\/2026"; expected the date the figure was read, YYYY-MM-DD/,
    ],
    [
      'retrieval date in the future',
      'kubernetes',
      (() => {
        const d = copy(kubernetesRaw);
        d.derivation.source.retrieved = '2999-01-01';
        return d;
      })(),
      /kubernetes\.json: derivation\.source\.retrieved: got "2999-01-01"; expected a retrieval date that is not in the future/,
    ],
    [
      'source that is not a URL',
      'azure-managed',
      (() => {
        const d = copy(azureManagedRaw);
        d.source.url = 'the pricing page';
        return d;
      })(),
      /azure-managed\.json: source\.url: got "the pricing page"; expected an https:\/\/ URL/,
    ],
    [
      'memory out of order within a family',
      'aws-elasticache',
      (() => {
        const d = copy(awsRaw);
        const i = d.nodeTypes.findIndex((n) => n.type === 'cache.r7g.xlarge');
        d.nodeTypes[i].memoryGib = 10;
        return d;
      })(),
      /aws-elasticache\.json: nodeTypes\.\d+\.memoryGib: got 10; expected memory larger than the previous r7g entry/,
    ],
    [
      'Valkey priced above Redis OSS (swapped columns)',
      'aws-elasticache',
      (() => {
        const d = copy(awsRaw);
        d.nodeTypes[3].hourlyUsd.valkey = d.nodeTypes[3].hourlyUsd.redis * 2;
        return d;
      })(),
      /nodeTypes\.3\.hourlyUsd\.valkey: .*expected the Valkey price at most the Redis OSS price/,
    ],
    [
      'default region missing from the region table',
      'gcp-memorystore',
      (() => {
        const d = copy(gcpRaw);
        d.defaultRegion = 'mars-north1';
        return d;
      })(),
      /gcp-memorystore\.json: defaultRegion: got "mars-north1"; expected one of the regions listed under regions/,
    ],
    [
      'a gap between capacity tiers',
      'gcp-memorystore',
      (() => {
        const d = copy(gcpRaw);
        d.memorystoreRedis.tiers[2].minGb = 12;
        return d;
      })(),
      /memorystoreRedis\.tiers\.2\.minGb: got 12; expected 11: tiers must follow each other/,
    ],
    [
      'a misspelt field',
      'azure-managed',
      (() => {
        const d = copy(azureManagedRaw) as { skus: Array<Record<string, unknown>> };
        d.skus[0].hourlyUSDHa = d.skus[0].hourlyUsdHa;
        delete d.skus[0].hourlyUsdHa;
        return d;
      })(),
      /azure-managed\.json: skus\.0\.hourlyUsdHa: got nothing/,
    ],
    [
      'a fieldSources entry for a field that does not exist',
      'aws-elasticache',
      (() => {
        const d = copy(awsRaw) as { fieldSources: Record<string, unknown> };
        d.fieldSources.maxClientPerNode = d.fieldSources.maxClientsPerNode;
        return d;
      })(),
      /fieldSources\.maxClientPerNode: .*may only name a top-level field/,
    ],
    [
      'Kubernetes unit price edited without its derivation',
      'kubernetes',
      (() => {
        const d = copy(kubernetesRaw);
        d.memoryGibMonthUsd = 5;
        return d;
      })(),
      /kubernetes\.json: memoryGibMonthUsd: got 5; expected \d+\.\d{4} as derived/,
    ],
    [
      'pool sizes without an open last row',
      'reference',
      (() => {
        const d = copy(referenceRaw) as { poolSizes: Array<{ maxConcurrentUsers: number | null }> };
        d.poolSizes[3].maxConcurrentUsers = 100000;
        return d;
      })(),
      /reference\.json: poolSizes\.3\.maxConcurrentUsers: got 100000; expected a bound on every row except the last/,
    ],
    [
      'not an object at all',
      'azure-premium',
      [],
      /azure-premium\.json: \(root\): got \[\]; expected a JSON object/,
    ],
    [
      'engine releases out of order',
      'engines',
      (() => {
        const d = copy(enginesRaw);
        d.releases.redis = ['7.0', '6.2'];
        d.selfHostedMinimum.redis = '6.2';
        return d;
      })(),
      /engines\.json: releases\.redis\.1: got "6\.2"; expected versions in ascending order \(after 7\.0\)/,
    ],
    [
      'a self-hosted minimum that was never released',
      'engines',
      (() => {
        const d = copy(enginesRaw);
        d.selfHostedMinimum.valkey = '7.9';
        return d;
      })(),
      /engines\.json: selfHostedMinimum\.valkey: got "7\.9"; expected one of the valkey releases/,
    ],
  ];

  it.each(cases)('%s', (_label, name, data, message) => {
    const err = specErrorOf(() => validateCatalog(name, data));
    expect(err.message).toMatch(message);
    expect(err.message).not.toContain('\n');
  });

  it('the unbroken copies validate (so the cases above fail for the reason given)', () => {
    const raws: Record<CatalogName, unknown> = {
      'aws-elasticache': awsRaw,
      'gcp-memorystore': gcpRaw,
      'azure-premium': azurePremiumRaw,
      'azure-managed': azureManagedRaw,
      kubernetes: kubernetesRaw,
      reference: referenceRaw,
      engines: enginesRaw,
      images: imagesRaw,
    };
    for (const name of CATALOG_NAMES) expect(() => validateCatalog(name, copy(raws[name]))).not.toThrow();
  });

  it('counts further problems in the one-line message', () => {
    const d = copy(awsRaw);
    d.nodeTypes[0].hourlyUsd.redis = -1;
    d.nodeTypes[1].vcpu = 0;
    expect(specErrorOf(() => validateCatalog('aws-elasticache', d)).message).toMatch(
      /\(and \d+ more problems?\)$/,
    );
  });

  it('an unknown catalog name is an error', () => {
    expect(specErrorOf(() => validateCatalog('oracle' as CatalogName, {})).message).toMatch(
      /catalog: got "oracle"; expected one of aws-elasticache, /,
    );
    expect(catalogFile('kubernetes')).toBe('lib/catalog/data/kubernetes.json');
  });
});

describe('regionMultiplier', () => {
  it('gives 1 for the default region and for no region', () => {
    expect(regionMultiplier(awsCatalog(), 'us-east-1', 'targets.aws.region')).toBe(1);
    expect(regionMultiplier(awsCatalog(), undefined, 'targets.aws.region')).toBe(1);
  });

  it('gives the documented multiplier of a known region', () => {
    const cat = azurePremiumCatalog();
    for (const [region, entry] of Object.entries(cat.regions)) {
      expect(regionMultiplier(cat, region, 'targets.azure.location')).toBe(entry.priceMultiplier);
    }
  });

  it('an unknown region names the field, the region and the known regions', () => {
    const err = specErrorOf(() => regionMultiplier(gcpCatalog(), 'europe-north99', 'targets.gcp.region'));
    expect(err.field).toBe('targets.gcp.region');
    expect(err.message).toMatch(/^spec: targets\.gcp\.region: got "europe-north99"; expected a region/);
    for (const known of Object.keys(gcpCatalog().regions)) expect(err.message).toContain(known);
  });
});
