/**
 * Facts about ElastiCache Serverless (AWS::ElastiCache::ServerlessCache) for Valkey and Redis OSS:
 * engine major versions, the fixed ports, usage-limit bounds and what ECPUs measure. Read from
 * lib/catalog/data/aws-serverless.json (each figure with its source URL and date) and validated on
 * first use, like the other catalogs. The one copy of these facts: the planner's serverless price
 * (serverlessPricing in commitments.ts) reads its limits and ECPU accounting here; the rates and the
 * per-engine billing minimums stay next to the other prices in aws-elasticache.json.
 */
import { SpecError } from '../errors';
import { z } from '../zod';
import data from './data/aws-serverless.json';
import { sourceSchema } from './index';

const range = (what: string) =>
  z
    .strictObject({ min: z.number().positive(), max: z.number().positive() })
    .refine((r) => r.min <= r.max, { error: `expected ${what} min <= max` });

const majors = z.array(z.string().regex(/^\d+$/, { error: 'expected a major version such as "7"' })).min(1);

// Built on first use: index.ts re-exports commitments.ts, which reads this catalog, so sourceSchema
// is not yet initialised while these modules load.
const buildSchema = () =>
  z.strictObject({
    source: sourceSchema,
    majorEngineVersions: z.strictObject({ redis: majors, valkey: majors }),
    port: z.int().min(1).max(65535),
    readerPort: z.int().min(1).max(65535),
    evictionPolicy: z.string().min(1),
    dataStorageGb: range('dataStorageGb'),
    ecpuPerSecond: range('ecpuPerSecond'),
    ecpuPerKb: z.number().positive(),
    maxSnapshotRetentionDays: z.int().min(1),
    limitAlarmPercent: z.number().min(1).max(100),
    // Every figure names its own source: a fact without one is refused, naming the field.
    fieldSources: z.strictObject({
      majorEngineVersions: sourceSchema,
      port: sourceSchema,
      readerPort: sourceSchema,
      evictionPolicy: sourceSchema,
      dataStorageGb: sourceSchema,
      ecpuPerSecond: sourceSchema,
      ecpuPerKb: sourceSchema,
      maxSnapshotRetentionDays: sourceSchema,
      limitAlarmPercent: sourceSchema,
    }),
  });

let schema: ReturnType<typeof buildSchema> | undefined;

export type AwsServerlessCatalog = z.output<ReturnType<typeof buildSchema>>;

/** Validates serverless catalog data; one line naming the field on a problem. */
export function validateServerlessCatalog(input: unknown): AwsServerlessCatalog {
  const result = (schema ??= buildSchema()).safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new SpecError(
    issue.path.map(String).join('.') || '(root)',
    'invalid',
    issue.message,
    'lib/catalog/data/aws-serverless.json',
  );
}

let cached: AwsServerlessCatalog | undefined;
export function awsServerlessCatalog(): AwsServerlessCatalog {
  return (cached ??= Object.freeze(validateServerlessCatalog(data)));
}
