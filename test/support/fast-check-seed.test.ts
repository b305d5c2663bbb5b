/** Random fast-check seeds in CI, a fixed replay with FC_SEED, and the seed in a failure's message. */
import fc from 'fast-check';
import { fastCheckSeed } from './fast-check-seed';

test('without FC_SEED the seed is random', () => {
  const seeds = new Set(Array.from({ length: 5 }, () => fastCheckSeed({}).seed));
  expect(seeds.size).toBeGreaterThan(1);
  expect(fastCheckSeed({}).fixed).toBe(false);
});

test('FC_SEED fixes it; a bad value is an error naming FC_SEED', () => {
  expect(fastCheckSeed({ FC_SEED: '-1234567' })).toEqual({ seed: -1234567, fixed: true });
  expect(() => fastCheckSeed({ FC_SEED: '12x' })).toThrow(/^FC_SEED: got "12x"; expected an integer/);
});

test('this test file runs with the configured seed (FC_SEED when set)', () => {
  const { seed } = fc.readConfigureGlobal();
  expect(Number.isInteger(seed)).toBe(true);
  if (process.env.FC_SEED) expect(seed).toBe(Number(process.env.FC_SEED));
});

test('a failing property prints the seed, and that seed replays the same counterexample', () => {
  const property = fc.property(fc.integer({ min: 0, max: 1_000_000 }), (n) => n % 1000 !== 7);
  let message = '';
  try {
    fc.assert(property, { numRuns: 100_000 });
  } catch (e) {
    message = (e as Error).message;
  }
  const seed = Number(/seed: (-?\d+)/.exec(message)?.[1]);
  expect(Number.isInteger(seed)).toBe(true);
  const replay = () => {
    try {
      fc.assert(property, { seed, numRuns: 100_000 });
      return '';
    } catch (e) {
      return /Counterexample: (.*)/.exec((e as Error).message)?.[1];
    }
  };
  expect(replay()).toBe(/Counterexample: (.*)/.exec(message)?.[1]);
});
