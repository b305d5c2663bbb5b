/** The recommendations and reasons data, validated once (a broken entry names the file and the id). */
import { SpecError } from '../errors';
import recommendationsData from './data/recommendations.json';
import reasonsData from './data/reasons.json';
import { z } from '../zod';
import { reasonSchema, recommendationSchema, type Reason, type Recommendation } from './types';

const FILE = 'lib/guides/data/recommendations.json';

/** Validate a recommendations list and its reasons: unique ids, every cited reason exists. */
export function validateRecommendations(data: unknown, table: Record<string, Reason>): Recommendation[] {
  const parsed = z.array(recommendationSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue.path.reduce<unknown>((o, k) => (o as Record<PropertyKey, unknown>)?.[k], data);
    throw new SpecError(issue.path.map(String).join('.'), at, issue.message, FILE);
  }
  const seen = new Set<string>();
  parsed.data.forEach((r, i) => {
    if (seen.has(r.id)) throw new SpecError(`${i}.id`, r.id, 'a unique id', FILE);
    seen.add(r.id);
    if (r.reason && !table[r.reason])
      throw new SpecError(
        `${i}.reason`,
        r.reason,
        `an entry of lib/guides/data/reasons.json (${r.id})`,
        FILE,
      );
    if (r.check.kind === 'practice' && !r.reason)
      throw new SpecError(
        `${i}.reason`,
        undefined,
        `a reason saying why no artifact shows this practice (${r.id})`,
        FILE,
      );
  });
  return parsed.data;
}

export function validateReasons(data: unknown): Record<string, Reason> {
  const parsed = z.record(z.string().regex(/^[a-z0-9-]+$/), reasonSchema).safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SpecError(
      issue.path.map(String).join('.'),
      undefined,
      issue.message,
      'lib/guides/data/reasons.json',
    );
  }
  return parsed.data;
}

let cache: { recs: Recommendation[]; reasons: Record<string, Reason> } | undefined;
function load() {
  if (!cache) {
    const table = validateReasons(reasonsData);
    cache = { recs: validateRecommendations(recommendationsData, table), reasons: table };
  }
  return cache;
}

export const recommendations = (): Recommendation[] => load().recs;
export const reasons = (): Record<string, Reason> => load().reasons;
