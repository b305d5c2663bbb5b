/**
 * The aws-serverless diff column: templates read from the committed example snapshots (no synth).
 * A flavor switch is the AWS column removed and the serverless one added; changes inside a serverless
 * template are classified with the CloudFormation registry's ServerlessCache data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CfnTemplate } from '../../lib/conformance/aws';
import { diffArtifacts, type ArtifactSet } from '../../lib/diff';

const SNAP = path.join(__dirname, '..', 'synth', '__snapshots__', 'examples');
const read = (example: string, file: string): CfnTemplate =>
  JSON.parse(fs.readFileSync(path.join(SNAP, example, 'aws', file), 'utf8')) as CfnTemplate;
const serverless = () => read('go-api-serverless', 'go-api-serverless-elasticache.template.json');
const set = (label: string, template: CfnTemplate): ArtifactSet => ({
  label,
  name: 'go-api',
  profile: 'production',
  aws: { file: 'aws/t.template.json', template },
});
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const cacheOf = (t: Json): Json =>
  Object.values(t.Resources as Record<string, Json>).find(
    (r) => r.Type === 'AWS::ElastiCache::ServerlessCache',
  );

test('replication group -> serverless: aws removed (data replacement), aws-serverless added', () => {
  const r = diffArtifacts(
    set('a', read('go-api', 'go-api-redis-elasticache.template.json')),
    set('b', serverless()),
  );
  const by = Object.fromEntries(r.platforms.map((p) => [p.platform, p]));
  expect(by.aws).toMatchObject({ presence: 'removed', overall: 'replacement' });
  expect(by['aws-serverless']).toMatchObject({ presence: 'added', overall: 'in-place' });
});

test('unchanged serverless template: no change in either AWS column', () => {
  const r = diffArtifacts(set('a', serverless()), set('b', serverless()));
  const by = Object.fromEntries(r.platforms.map((p) => [p.platform, p]));
  expect(by.aws.presence).toBe('absent');
  expect(by['aws-serverless']).toMatchObject({ presence: 'both', overall: 'none', changes: [] });
});

test('usage limits change in place; a new KMS key replaces the cache (data) with the restore path', () => {
  const b = serverless();
  cacheOf(b).Properties.CacheUsageLimits.DataStorage.Maximum = 50;
  let r = diffArtifacts(set('a', serverless()), set('b', b));
  let col = r.platforms.find((p) => p.platform === 'aws-serverless')!;
  expect(col.overall).toBe('in-place');
  expect(col.changes.map((c) => [c.property, c.class, c.dataResource])).toEqual([
    ['CacheUsageLimits', 'in-place', true],
  ]);
  cacheOf(b).Properties.KmsKeyId =
    'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
  r = diffArtifacts(set('a', serverless()), set('b', b));
  col = r.platforms.find((p) => p.platform === 'aws-serverless')!;
  expect(col.overall).toBe('replacement');
  const kms = col.changes.find((c) => c.property === 'KmsKeyId')!;
  expect(kms).toMatchObject({ class: 'replacement', platform: 'aws-serverless', dataResource: true });
  expect(kms.safePath).toMatch(/SnapshotArnsToRestore/);
});
