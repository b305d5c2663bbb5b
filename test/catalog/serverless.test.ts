/** lib/catalog/data/aws-serverless.json is validated like the other catalogs. */
import data from '../../lib/catalog/data/aws-serverless.json';
import awsRaw from '../../lib/catalog/data/aws-elasticache.json';
import { awsServerlessCatalog, validateServerlessCatalog } from '../../lib/catalog/aws-serverless';
import { serverlessPricing } from '../../lib/catalog/commitments';

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

describe('one copy of the serverless limits', () => {
  it.each(['dataStorageGb', 'ecpuPerSecond', 'ecpuPerKb'] as const)(
    'a limit without its source (fieldSources.%s) is refused naming the field',
    (field) => {
      const { [field]: _dropped, ...rest } = data.fieldSources;
      expect(() => validateServerlessCatalog({ ...data, fieldSources: rest })).toThrow(
        new RegExp(`fieldSources\\.${field}`),
      );
    },
  );

  it('the planner price catalog no longer carries limits or ECPU accounting', () => {
    const serverless = awsRaw.serverless as Record<string, unknown>;
    expect(serverless).not.toHaveProperty('limits');
    for (const engine of Object.values(awsRaw.serverless.engines))
      expect(engine).not.toHaveProperty('ecpuPerKb');
  });

  it.each(['redis', 'valkey'] as const)(
    'serverlessPricing(%s) reads its limits from aws-serverless.json',
    (engine) => {
      const cat = awsServerlessCatalog();
      const p = serverlessPricing(engine);
      expect(p.maxDataGb).toBe(cat.dataStorageGb.max);
      expect(p.maxEcpuPerSecond).toBe(cat.ecpuPerSecond.max);
      expect(p.ecpuPerKb).toBe(cat.ecpuPerKb);
      expect(p.limitsSource).toEqual(cat.fieldSources.dataStorageGb);
    },
  );
});
