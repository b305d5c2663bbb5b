/** The integration suites must fail loudly when redis-server or systemd-analyze is missing, unless REDIS_TESTS / SYSTEMD_TESTS=skip. */
import { redisAvailable, systemdAnalyzeAvailable } from './harness';

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

describe('systemdAnalyzeAvailable', () => {
  const saved = process.env.SYSTEMD_TESTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SYSTEMD_TESTS;
    else process.env.SYSTEMD_TESTS = saved;
    jest.restoreAllMocks();
  });

  test('a missing systemd-analyze is an error naming the tool and the skip switch', () => {
    delete process.env.SYSTEMD_TESTS;
    expect(() => systemdAnalyzeAvailable('systemd-analyze-that-does-not-exist')).toThrow(
      /systemd-analyze-that-does-not-exist is required .*SYSTEMD_TESTS=skip/,
    );
  });

  test('SYSTEMD_TESTS=skip skips with a warning, never silently', () => {
    process.env.SYSTEMD_TESTS = 'skip';
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(systemdAnalyzeAvailable('systemd-analyze-that-does-not-exist')).toBe(false);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/SYSTEMD_TESTS=skip: .* skipped/));
  });

  test('present: true', () => expect(systemdAnalyzeAvailable()).toBe(true));
});
