/**
 * Questions about container images answered from lib/catalog/data/images.json: the reference of a
 * default image (by digest when one is recorded), the Redis version an image tag names, and whether
 * that version is below the minimum fixed release of a known CVE (the "CVE floor").
 */
import { imagesCatalog } from './index';
import type { CatalogImage, CveFloor } from './types';
import { compareParsed as compare, parseVersion, type Version } from './version';

/** A full release (major.minor.patch, e.g. "7.4.11"); undefined for a line ("7.4") or no version. */
function release(text: string): Version | undefined {
  const v = parseVersion(text);
  return v?.precision === 3 ? v : undefined;
}

/**
 * The Redis version an image tag names: `v7.4.11` (OpsTree), `8.2.1-debian-12-r0` (Bitnami), `7.4.6`.
 * Undefined when the tag carries no full version (e.g. `latest`, `7.4`).
 */
export function versionFromTag(tag: string): string | undefined {
  const m = /^v?(\d+\.\d+\.\d+)(?:$|[-+_.])/.exec(tag);
  return m ? m[1] : undefined;
}

/** The tag of an image reference `registry/repo:tag[@sha256:...]` (undefined for digest-only references). */
export function tagOf(ref: string): string | undefined {
  const noDigest = ref.split('@')[0];
  const m = /:([\w][\w.-]{0,127})$/.exec(noDigest.slice(noDigest.lastIndexOf('/') + 1));
  return m ? m[1] : undefined;
}

/** `registry/repository:tag`, with `@digest` appended when the catalog records one. */
export function imageRef(img: CatalogImage): string {
  const base = `${img.registry}/${img.repository}:${img.tag}`;
  return img.digest ? `${base}@${img.digest}` : base;
}

/** The catalog entry for `registry/repository:tag` (no digest), if the catalog has one. */
export function catalogImageFor(refWithoutDigest: string): CatalogImage | undefined {
  return Object.values(imagesCatalog().images).find(
    (i) => `${i.registry}/${i.repository}:${i.tag}` === refWithoutDigest,
  );
}

/** One CVE a version is exposed to, with the minimum version that fixes it on the version's line. */
export interface CveFinding {
  cve: string;
  summary: string;
  /** The lowest release that fixes it and is not older than the version's own line. */
  minimum: string;
  source: string;
}

/**
 * Whether `version` of `engine` is below the floor of one CVE entry: the fixed release of its own
 * line when the entry lists the line; fixed when the line is newer than every listed line (released
 * after the fix); otherwise exposed, and the minimum is the fix on the next listed line up.
 */
export function belowFloor(
  engine: 'redis' | 'valkey',
  version: string,
  floor: CveFloor,
): CveFinding | undefined {
  const v = release(version);
  if (!v || floor.engine !== engine) return undefined;
  const from = floor.affectedFrom ? release(floor.affectedFrom) : undefined;
  if (from && compare(v, from) < 0) return undefined;
  const finding = (minimum: string): CveFinding => ({
    cve: floor.cve,
    summary: floor.summary,
    minimum,
    source: floor.source.url,
  });
  const own = floor.fixed[`${v.major}.${v.minor}`];
  if (own) return compare(v, release(own)!) < 0 ? finding(own) : undefined;
  const fixes = Object.values(floor.fixed)
    .map((f) => [f, release(f)!] as const)
    .sort((a, b) => compare(a[1], b[1]));
  const higher = fixes.find(([, f]) => f.major > v.major || (f.major === v.major && f.minor > v.minor));
  return higher ? finding(higher[0]) : undefined;
}

/** Every known CVE `version` is exposed to, the one needing the highest minimum first. */
export function cveFindings(engine: 'redis' | 'valkey', version: string): CveFinding[] {
  return imagesCatalog()
    .cveFloors.map((f) => belowFloor(engine, version, f))
    .filter((f): f is CveFinding => !!f)
    .sort((a, b) => compare(release(b.minimum)!, release(a.minimum)!));
}

/**
 * The lowest version that clears every known CVE, starting from `version`: the highest minimum of its
 * findings, repeated while that version is itself exposed (a fix on the next line up may be on a line
 * with another unfixed CVE). Undefined when `version` is clean.
 */
export function minimumSafe(engine: 'redis' | 'valkey', version: string): string | undefined {
  let candidate = version;
  for (let i = 0; i < 10; i++) {
    const findings = cveFindings(engine, candidate);
    if (findings.length === 0) return candidate === version ? undefined : candidate;
    candidate = findings[0].minimum;
  }
  return candidate;
}
