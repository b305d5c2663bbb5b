/** lib/catalog/data/aws-serverless.json is validated like the other catalogs. */
import data from '../../lib/catalog/data/aws-serverless.json';
import { awsServerlessCatalog, validateServerlessCatalog } from '../../lib/catalog/aws-serverless';

test('the committed data is valid and every figure has a field source', () => {
  const cat = awsServerlessCatalog();
  expect(cat.majorEngineVersions.redis).toContain('7');
  for (const key of Object.keys(cat).filter((k) => !['source', 'fieldSources'].includes(k)))
    expect(Object.keys(cat.fieldSources)).toContain(key);
});

test.each([
  ['dataStorageGb', { ...data, dataStorageGb: { min: 10, max: 1 } }, /dataStorageGb/],
  [
    'majorEngineVersions.redis.0',
    { ...data, majorEngineVersions: { redis: ['7.1'], valkey: ['8'] } },
    /major version/,
  ],
  ['source.retrieved', { ...data, source: { url: data.source.url, retrieved: '2026-13-01' } }, /YYYY-MM-DD/],
  ['port', { ...data, port: 0 }, /port/],
])('bad %s is refused naming the field', (_, bad, message) => {
  expect(() => validateServerlessCatalog(bad)).toThrow(message);
});
