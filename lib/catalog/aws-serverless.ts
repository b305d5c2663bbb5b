/**
 * Facts about ElastiCache Serverless (AWS::ElastiCache::ServerlessCache) for Valkey and Redis OSS:
 * engine major versions, the fixed ports, usage-limit bounds and what ECPUs measure. Read from
 * lib/catalog/data/aws-serverless.json (each figure with its source URL and date) and validated on
 * first use, like the other catalogs. Kept in a file of its own: prices of serverless caches belong
 * to the planner's price catalog, these are the limits the adapter and the spec checks need.
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

const schema = z.strictObject({
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
  fieldSources: z.record(z.string(), sourceSchema),
});

export type AwsServerlessCatalog = z.output<typeof schema>;

/** Validates serverless catalog data; one line naming the field on a problem. */
export function validateServerlessCatalog(input: unknown): AwsServerlessCatalog {
  const result = schema.safeParse(input);
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
