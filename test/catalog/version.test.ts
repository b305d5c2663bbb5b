/** lib/catalog/version.ts: the one version parser and comparator (catalog, images, policy, diff). */
import {
  compareParsed,
  compareVersions,
  compareVersionsOrUndefined,
  majorOf,
  memorystoreName,
  parseVersion,
} from '../../lib/catalog/version';

describe('parseVersion', () => {
  test.each([
    ['7', { major: 7, minor: 0, patch: 0, precision: 1 }],
    ['7.1', { major: 7, minor: 1, patch: 0, precision: 2 }],
    ['7.4.11', { major: 7, minor: 4, patch: 11, precision: 3 }],
    ['v1.44.0', { major: 1, minor: 44, patch: 0, precision: 3 }],
    ['v7.0.15', { major: 7, minor: 0, patch: 15, precision: 3 }],
    ['8.2.1-debian-12-r0', { major: 8, minor: 2, patch: 1, precision: 3 }],
    ['7.4-alpine', { major: 7, minor: 4, patch: 0, precision: 2 }],
    ['10.0', { major: 10, minor: 0, patch: 0, precision: 2 }],
    ['REDIS_7_2', { major: 7, minor: 2, patch: 0, precision: 2 }],
    ['REDIS_6_X', { major: 6, minor: 0, patch: 0, precision: 1 }],
    [6, { major: 6, minor: 0, patch: 0, precision: 1 }],
  ])('%j', (text, want) => expect(parseVersion(text)).toEqual(want));

  test.each([
    '',
    'latest',
    'garbage',
    '7.x',
    '7..1',
    '.7',
    '7.',
    'v',
    'vv7.1',
    '7.1.2.3',
    ' 7.1',
    'redis-7.2',
    'sha-abc123',
    'REDIS_7',
    'REDIS_7_2_1',
    'redis_7_2',
    'REDIS_HIGHMEM_MEDIUM',
    '99999999999999999999.1',
  ])('%j is not a version', (text) => expect(parseVersion(text)).toBeUndefined());

  test.each([undefined, null, {}, ['7.1'], true, NaN, -1])('%j (not text) is not a version', (v) =>
    expect(parseVersion(v)).toBeUndefined(),
  );
});

describe('compareVersions', () => {
  test.each([
    ['10.0', '9.1', 1],
    ['8.10', '8.8', 1],
    ['7.4.2', '7.4.11', -1],
    ['7.1', '7.1', 0],
    ['7', '7.0', 0],
    ['7', '7.1', -1],
    ['v7.0.15', '7.0.15', 0],
    ['REDIS_7_2', '7.2', 0],
    ['REDIS_7_0', 'REDIS_7_2', -1],
    ['REDIS_6_X', '6.2', -1],
    ['8.2.1-debian-12-r0', '8.2.0', 1],
    ['v1.44.0', 'v1.48.0', -1],
  ])('%s vs %s -> %d, and the reverse', (a, b, want) => {
    expect(compareVersions(a, b)).toBe(want);
    expect(compareVersions(b, a)).toBe(want === 0 ? 0 : -want);
    expect(compareParsed(parseVersion(a)!, parseVersion(b)!)).toBe(want);
  });

  test('text that is not a version throws, naming it and the accepted forms', () => {
    expect(() => compareVersions('7.1', 'latest')).toThrow(
      'not a version: "latest"; expected major[.minor[.patch]] (e.g. 7.1, v7.4.11) or REDIS_<major>_<minor>',
    );
    expect(() => compareVersions('', '7.1')).toThrow(/not a version: ""/);
  });
});

describe('compareVersionsOrUndefined', () => {
  test.each([
    ['7.0', '7.2', -1],
    ['REDIS_7_2', 'REDIS_7_0', 1],
    ['6', '6', 0],
    ['v7.0.15', '8.2.1-debian-12-r0', -1],
  ])('%s vs %s -> %d', (a, b, want) => expect(compareVersionsOrUndefined(a, b)).toBe(want));
  test.each([
    ['latest', '7.1'],
    ['7.1', 'latest'],
    ['garbage', 'garbage'],
    [undefined, '7.1'],
    ['7.1', { v: 7 }],
  ])('%j vs %j cannot be ordered: undefined', (a, b) =>
    expect(compareVersionsOrUndefined(a, b)).toBeUndefined(),
  );
});

test('majorOf', () => {
  expect(majorOf('7.1')).toBe(7);
  expect(majorOf('10.0')).toBe(10);
  expect(majorOf('REDIS_6_X')).toBe(6);
  expect(() => majorOf('seven')).toThrow(/not a version: "seven"/);
});

test('memorystoreName: a minor becomes REDIS_<major>_<minor>, a whole line REDIS_<major>_X', () => {
  expect(memorystoreName(parseVersion('7.2')!)).toBe('REDIS_7_2');
  expect(memorystoreName(parseVersion('REDIS_7_0')!)).toBe('REDIS_7_0');
  expect(memorystoreName(parseVersion('REDIS_6_X')!)).toBe('REDIS_6_X');
  expect(memorystoreName(parseVersion('6')!)).toBe('REDIS_6_X');
});
