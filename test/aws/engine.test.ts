import { memberClusterIds, parameterGroupFamily, supportsTransitEncryptionMode } from '../../lib/aws/engine';

test.each([
  ['redis', '7.1', 'redis7'],
  ['redis', '7.0', 'redis7'],
  ['redis', '6.2', 'redis6.x'],
  ['redis', '5.0', 'redis5.0'],
  ['valkey', '7.2', 'valkey7'],
  ['valkey', '8.0', 'valkey8'],
] as const)('%s %s -> %s', (engine, version, family) => {
  expect(parameterGroupFamily(engine, version)).toBe(family);
});

test('unknown versions are rejected with the fix', () => {
  expect(() => parameterGroupFamily('redis', '4.0')).toThrow(
    /engineVersion: got "4\.0"; ElastiCache has no parameter group family/,
  );
  expect(() => parameterGroupFamily('valkey', '6.2')).toThrow(/valkey 6\.2/);
  expect(() => parameterGroupFamily('redis', '7')).toThrow(/expected "major\.minor"/);
});

test('member cluster ids follow ElastiCache naming', () => {
  expect(memberClusterIds('rg', false, 1, 1)).toEqual(['rg-001', 'rg-002']);
  expect(memberClusterIds('rg', true, 2, 0)).toEqual(['rg-0001-001', 'rg-0002-001']);
  expect(memberClusterIds('rg', true, 12, 2)).toHaveLength(36);
  expect(memberClusterIds('rg', true, 12, 2).at(-1)).toBe('rg-0012-003');
});

test('TransitEncryptionMode: valkey and redis 7 (ElastiCache runs 7.0 as 7.0.5 or later), not redis 6 or 5', () => {
  expect(supportsTransitEncryptionMode('valkey', '7.2')).toBe(true);
  expect(supportsTransitEncryptionMode('valkey', '8.0')).toBe(true);
  expect(supportsTransitEncryptionMode('redis', '7.0')).toBe(true);
  expect(supportsTransitEncryptionMode('redis', '7.1')).toBe(true);
  expect(supportsTransitEncryptionMode('redis', '6.2')).toBe(false);
  expect(supportsTransitEncryptionMode('redis', '5.0')).toBe(false);
});
