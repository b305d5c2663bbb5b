/**
 * lib/catalog/data/images.json: every image and CVE floor carries its source, broken copies fail with
 * the field named, and the floor lookup answers per release line.
 */
import { imagesCatalog, validateCatalog } from '../../lib/catalog';
import { belowFloor, cveFindings, minimumSafe, tagOf, versionFromTag } from '../../lib/catalog/images';
import type { CveFloor } from '../../lib/catalog/types';
import imagesRaw from '../../lib/catalog/data/images.json';
import { specError } from '../helpers';

const copy = <T>(o: T): T => structuredClone(o);

describe('images catalog data', () => {
  test('every image and every floor names an https source and a date', () => {
    const cat = imagesCatalog();
    const sources = [...Object.values(cat.images), ...cat.cveFloors].map((e) => e.source);
    expect(sources.length).toBeGreaterThanOrEqual(10);
    for (const s of sources) {
      expect(s.url).toMatch(/^https:\/\/\S+$/);
      expect(s.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
  test('the floors cover CVE-2025-49844 and CVE-2026-23479 for Redis and Valkey', () => {
    const keys = imagesCatalog().cveFloors.map((f) => `${f.cve}/${f.engine}`);
    expect(keys.sort()).toEqual([
      'CVE-2025-49844/redis',
      'CVE-2025-49844/valkey',
      'CVE-2026-23479/redis',
      'CVE-2026-23479/valkey',
    ]);
  });
  test('the default OpsTree Redis image is pinned by digest and is above every floor', () => {
    const redis = imagesCatalog().images.opstreeRedis;
    expect(redis.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(cveFindings('redis', redis.redisVersion!)).toEqual([]);
  });
  test('the default Bitnami Redis image is below the floor (no patched bitnamilegacy image exists)', () => {
    const b = imagesCatalog().images.bitnamiRedis;
    expect(cveFindings('redis', b.redisVersion!).map((f) => f.cve)).toEqual([
      'CVE-2026-23479',
      'CVE-2025-49844',
    ]);
  });

  test.each([
    [
      'an image with neither digest nor reason',
      (d: typeof imagesRaw) =>
        void delete (d.images.bitnamiRedis as { noDigestReason?: string }).noDigestReason,
      /images\.bitnamiRedis\.digest: .*exactly one/,
    ],
    [
      'a malformed digest',
      (d: typeof imagesRaw) => void (d.images.opstreeRedis.digest = 'sha256:XYZ'),
      /images\.opstreeRedis\.digest: got "sha256:XYZ"/,
    ],
    [
      'a Redis image without its version',
      (d: typeof imagesRaw) =>
        void delete (d.images.bitnamiSentinel as { redisVersion?: string }).redisVersion,
      /images\.bitnamiSentinel\.redisVersion: .*CVE floors need it/,
    ],
    [
      'a fixed version off its line',
      (d: typeof imagesRaw) =>
        void ((d.cveFloors[0].fixed as unknown as Record<string, string>)['7.4'] = '7.2.6'),
      /cveFloors\.0\.fixed\.7\.4: got "7\.2\.6"; expected a version on the 7\.4 line/,
    ],
    [
      'a latest tag',
      (d: typeof imagesRaw) => void (d.images.opstreeExporter.tag = 'latest'),
      /images\.opstreeExporter\.tag: got "latest"/,
    ],
    [
      'a future retrieval date',
      (d: typeof imagesRaw) => void (d.cveFloors[2].source.retrieved = '2999-01-01'),
      /cveFloors\.2\.source\.retrieved/,
    ],
  ])('%s is refused with the field named', (_name, breakIt, message) => {
    const d = copy(imagesRaw);
    breakIt(d);
    expect(specError(() => validateCatalog('images', d)).message).toMatch(message);
  });
});

describe('floor lookup', () => {
  const floor: CveFloor = {
    cve: 'CVE-2099-0001',
    engine: 'redis',
    summary: 'test',
    affectedFrom: '7.2.0',
    fixed: { '7.4': '7.4.9', '8.2': '8.2.6' },
    source: { url: 'https://example.org/x', retrieved: '2026-01-01' },
  };
  test.each([
    ['7.0.15', undefined], // before affectedFrom
    ['7.2.4', '7.4.9'], // unlisted line below a fix: the next fix up
    ['7.4.8', '7.4.9'],
    ['7.4.9', undefined],
    ['8.0.2', '8.2.6'],
    ['8.2.10', undefined], // two-digit patch compares as a number
    ['8.4.0', undefined], // a line above every listed one was released after the fix
    ['10.0.0', undefined],
  ])('Redis %s -> %s', (version, minimum) => {
    expect(belowFloor('redis', version, floor)?.minimum).toBe(minimum);
  });
  test('another engine is not affected by a Redis entry', () => {
    expect(belowFloor('valkey', '7.2.4', floor)).toBeUndefined();
  });
  test('minimumSafe follows a fix onto a line that has another unfixed CVE', () => {
    expect(minimumSafe('redis', '7.0.15')).toBe('7.4.9');
    expect(minimumSafe('redis', '7.4.11')).toBeUndefined();
    expect(minimumSafe('valkey', '8.1.3')).toBe('8.1.7');
    expect(minimumSafe('valkey', '9.0.4')).toBeUndefined();
  });
  test.each([
    ['v7.4.11', '7.4.11'],
    ['8.2.1-debian-12-r0', '8.2.1'],
    ['8.6.3', '8.6.3'],
    ['latest', undefined],
    ['7.4', undefined],
    ['v7.4.11x', undefined],
  ])('version of tag %s is %s', (tag, version) => {
    expect(versionFromTag(tag)).toBe(version);
  });
  test.each([
    ['quay.io/opstree/redis:v7.4.11', 'v7.4.11'],
    ['mirror.corp:5000/opstree/redis:v7.4.11@sha256:' + 'a'.repeat(64), 'v7.4.11'],
    ['mirror.corp:5000/opstree/redis@sha256:' + 'a'.repeat(64), undefined],
  ])('tag of %s is %s', (ref, tag) => {
    expect(tagOf(ref)).toBe(tag);
  });
});
