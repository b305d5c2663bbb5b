/**
 * Engine and image versions, parsed and ordered in one place. The forms the catalogs, specs and
 * artifacts use:
 * - dotted: `7`, `7.1`, `7.4.11`, with an optional `v` (`v1.44.0`, OpsTree tags) and an optional
 *   `-`/`+` suffix (`8.2.1-debian-12-r0`, Bitnami tags);
 * - Memorystore's enum: `REDIS_7_2`, and `REDIS_6_X` for a whole major line.
 * Anything else (`latest`, `7.x`, `7..1`, '') is not a version: `parseVersion` returns undefined, the
 * strict `compareVersions` throws naming the text, and `compareVersionsOrUndefined` returns undefined.
 * No imports: the catalog loader uses it while validating its own data.
 */

/** A parsed version. Numbers a text does not give count as 0 when ordering ("7" is 7.0.0). */
export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** How many numbers the text gave: 1 for `7` or `REDIS_6_X` (a whole line), 2 for `7.1`, 3 for `7.4.11`. */
  precision: 1 | 2 | 3;
}

const DOTTED = /^v?(\d+)(?:\.(\d+)(?:\.(\d+))?)?(?:[-+][0-9A-Za-z.+_-]*)?$/;
const MEMORYSTORE = /^REDIS_(\d+)_(\d+|X)$/;

/** The version a text names, or undefined when it is not one of the forms above. Numbers are accepted as text (6 is "6"). */
export function parseVersion(text: unknown): Version | undefined {
  const s = typeof text === 'number' ? String(text) : text;
  if (typeof s !== 'string') return undefined;
  const ms = MEMORYSTORE.exec(s);
  if (ms) return make([ms[1], ms[2] === 'X' ? undefined : ms[2]]);
  const m = DOTTED.exec(s);
  return m ? make([m[1], m[2], m[3]]) : undefined;
}

function make(parts: (string | undefined)[]): Version | undefined {
  const given = parts.filter((p): p is string => p !== undefined);
  const [major, minor = 0, patch = 0] = given.map(Number);
  if (![major, minor, patch].every(Number.isSafeInteger)) return undefined;
  return { major, minor, patch, precision: given.length as 1 | 2 | 3 };
}

/** -1, 0 or 1: numbers compare as numbers (10.0 after 9.1, 8.10 after 8.8); missing ones are 0. */
export function compareParsed(a: Version, b: Version): -1 | 0 | 1 {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return 0;
}

/** -1, 0 or 1 for two version texts; throws an Error naming the text when either is not a version. */
export function compareVersions(a: string, b: string): -1 | 0 | 1 {
  return compareParsed(mustParse(a), mustParse(b));
}

/** Like `compareVersions`, but undefined when either side is not a version (nothing to order). */
export function compareVersionsOrUndefined(a: unknown, b: unknown): -1 | 0 | 1 | undefined {
  const [x, y] = [parseVersion(a), parseVersion(b)];
  return x && y ? compareParsed(x, y) : undefined;
}

function mustParse(text: string): Version {
  const v = parseVersion(text);
  if (!v)
    throw new Error(
      `not a version: ${JSON.stringify(text)}; expected major[.minor[.patch]] (e.g. 7.1, v7.4.11) or REDIS_<major>_<minor>`,
    );
  return v;
}

/** The major number of a version text ("7.1" -> 7); throws like `compareVersions` on anything else. */
export function majorOf(text: string): number {
  return mustParse(text).major;
}

/** Memorystore's enum for a version: 7.2 -> REDIS_7_2, a whole line (6 or REDIS_6_X) -> REDIS_6_X. */
export function memorystoreName(v: Version): string {
  return `REDIS_${v.major}_${v.precision === 1 ? 'X' : v.minor}`;
}
