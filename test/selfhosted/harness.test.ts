/** The integration suites must fail loudly when redis-server is missing, unless REDIS_TESTS=skip. */
import { redisAvailable } from './harness';

describe('redisAvailable', () => {
  const saved = process.env.REDIS_TESTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.REDIS_TESTS;
    else process.env.REDIS_TESTS = saved;
  });

  test('a missing server is an error naming the fix', () => {
    delete process.env.REDIS_TESTS;
    expect(() => redisAvailable('redis-server-that-does-not-exist')).toThrow(
      /apt-get install -y redis-server.*REDIS_TESTS=skip/,
    );
  });

  test('REDIS_TESTS=skip turns it into an explicit skip', () => {
    process.env.REDIS_TESTS = 'skip';
    expect(redisAvailable('redis-server-that-does-not-exist')).toBe(false);
  });
});
