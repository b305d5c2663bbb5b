/**
 * The change rules: lib/catalog/data/change-rules.json (documented provider rules, the Memorystore
 * immutable fields, the CONFIG SET probe) and lib/catalog/data/cfn-update-behavior.json (generated
 * from @aws-cdk/aws-service-spec). Validated with zod on first use; a broken file fails with one line
 * naming the file and the field.
 */
import { z } from 'zod';
import cfnData from '../catalog/data/cfn-update-behavior.json';
import rulesData from '../catalog/data/change-rules.json';
import type { ChangeClass, RuleSource, Verdict } from './types';

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a YYYY-MM-DD date');
const cls = z.enum(['in-place', 'restart', 'replacement', 'refused']);

const RulesSchema = z.object({
  about: z.string(),
  sources: z.record(
    z.string(),
    z.object({
      title: z.string().min(1),
      url: z.string().min(1),
      retrieved: date,
      version: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  rules: z.record(
    z.string(),
    z.object({ class: cls, reason: z.string(), source: z.string(), safePath: z.string().optional() }),
  ),
  gcpImmutable: z.record(z.string(), z.object({ source: z.string(), fields: z.array(z.string()).min(1) })),
  azureReplaceOnChange: z.record(
    z.string(),
    z.object({ source: z.string(), fields: z.array(z.string()).min(1) }),
  ),
  redisConfigSet: z.object({
    source: z.string(),
    immutable: z.array(z.string()),
    protected: z.array(z.string()),
    notConfig: z.array(z.string()),
  }),
});

const CfnSchema = z.object({
  source: z.object({
    url: z.string(),
    package: z.string(),
    version: z.string(),
    retrieved: date,
    note: z.string(),
  }),
  types: z.record(
    z.string(),
    z.object({ stateful: z.boolean(), replace: z.array(z.string()), maybeReplace: z.array(z.string()) }),
  ),
});

export type ChangeRules = z.infer<typeof RulesSchema>;
export type CfnBehavior = z.infer<typeof CfnSchema>;

function parse<T>(schema: z.ZodType<T>, data: unknown, file: string): T {
  const r = schema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`lib/catalog/data/${file}: ${issue.path.join('.')}: ${issue.message}`);
  }
  return r.data;
}

/** Every rule must name a source that exists; checked with the schema. */
export function validateRules(data: unknown): ChangeRules {
  const rules = parse(RulesSchema, data, 'change-rules.json');
  const sourceIds = new Set(Object.keys(rules.sources));
  const refs: Array<[string, string]> = [
    ...Object.entries(rules.rules).map(([id, r]) => [`rules.${id}.source`, r.source] as [string, string]),
    ...Object.entries(rules.gcpImmutable).map(
      ([t, r]) => [`gcpImmutable.${t}.source`, r.source] as [string, string],
    ),
    ...Object.entries(rules.azureReplaceOnChange).map(
      ([t, r]) => [`azureReplaceOnChange.${t}.source`, r.source] as [string, string],
    ),
    ['redisConfigSet.source', rules.redisConfigSet.source],
  ];
  for (const [field, ref] of refs) {
    if (!sourceIds.has(ref))
      throw new Error(
        `lib/catalog/data/change-rules.json: ${field}: got "${ref}"; expected one of the ids in sources`,
      );
  }
  return rules;
}

let cached: { rules: ChangeRules; cfn: CfnBehavior } | undefined;

export function changeRules(): { rules: ChangeRules; cfn: CfnBehavior } {
  cached ??= {
    rules: validateRules(rulesData),
    cfn: parse(CfnSchema, cfnData, 'cfn-update-behavior.json'),
  };
  return cached;
}

export function source(id: string): RuleSource {
  const s = changeRules().rules.sources[id];
  if (!s) throw new Error(`change rules: no source "${id}"`);
  return {
    id,
    title: s.title,
    url: s.url,
    retrieved: s.retrieved,
    ...(s.version ? { version: s.version } : {}),
  };
}

/**
 * The verdict of rule `id`. `detail` is appended to the rule's reason (e.g. which property, which
 * value); `sourceId` overrides the rule's source (e.g. the Cluster definition instead of the Instance one).
 */
export function rule(id: string, detail?: string, sourceId?: string): Verdict {
  const r = changeRules().rules.rules[id];
  if (!r) throw new Error(`change rules: no rule "${id}"`);
  const reason = [r.reason, detail].filter(Boolean).join('; ');
  return {
    class: r.class as ChangeClass,
    reason,
    source: source(sourceId ?? r.source),
    ...(r.safePath ? { safePath: r.safePath } : {}),
  };
}

/** CloudFormation's update behaviour of one property per the registry data. */
export function cfnBehavior(type: string, property: string): 'replace' | 'maybe' | 'update' | 'unknown' {
  const t = changeRules().cfn.types[type];
  if (!t) return 'unknown';
  if (t.replace.includes(property)) return 'replace';
  if (t.maybeReplace.includes(property)) return 'maybe';
  return 'update';
}

export function cfnSource(): RuleSource {
  const s = changeRules().cfn.source;
  return {
    id: 'cfn-registry',
    title: `${s.package} (CloudFormation registry)`,
    url: s.url,
    retrieved: s.retrieved,
    version: s.version,
  };
}
