/** Generic helpers of the per-platform comparisons: equality, flattening, version and size order. */
import { compareVersionsOrUndefined } from '../catalog/version';

export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(canon(a)) === JSON.stringify(canon(b));
}

/** Objects with sorted keys, so key order never counts as a change. */
function canon(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canon);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, canon((v as Record<string, unknown>)[k])]),
    );
  return v;
}

/**
 * Leaf paths of a value: nested objects become dotted paths; arrays and scalars are leaves (an array
 * changes as a whole). `depth` limits how far objects are opened.
 */
export function flatten(v: unknown, prefix = '', depth = 8): Record<string, unknown> {
  if (v && typeof v === 'object' && !Array.isArray(v) && depth > 0) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      Object.assign(out, flatten(x, prefix ? `${prefix}.${k}` : k, depth - 1));
    }
    return out;
  }
  return prefix ? { [prefix]: v } : {};
}

/** Paths whose values differ between two flattened records, sorted. */
export function changedPaths(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !same(a[k], b[k])).sort();
}

/**
 * Order of two versions as artifacts write them ("7.1", "REDIS_7_2", "v7.0.15", "8.2.1-debian-12-r0"):
 * -1, 0 or 1; undefined when either is not a version (e.g. the tag `latest`). The catalog's parser.
 */
export const compareVersions = compareVersionsOrUndefined;

const UNITS: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  '': 1,
};

/** Bytes of a Kubernetes quantity ("6Gi", "500M"); undefined when it is not one. */
export function quantity(s: unknown): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|K|M|G|T)?$/.exec(String(s ?? ''));
  return m ? Number(m[1]) * UNITS[m[2] ?? ''] : undefined;
}

/** Short rendering of a value for the table. */
export function brief(v: unknown): string {
  if (v === undefined) return '-';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 57)}...` : one;
}
