import {
  aclFileLine,
  aclRules,
  aclUserBase,
  confValue,
  ioThreads,
  ioThreadsLines,
  keyPattern,
  keyPatterns,
  maxmemoryLine,
  saveLines,
  tuningLines,
} from '../../lib/redisconf';
import { examplePolicy, fakePlan } from './fixtures';

describe('tuningLines', () => {
  test('production policy: AOF everysec, guide save rules, plan maxclients', () => {
    const lines = tuningLines(examplePolicy('default'), fakePlan({}, 4321));
    expect(lines).toContain('appendonly yes');
    expect(lines).toContain('appendfsync everysec');
    expect(lines.filter((l) => l.startsWith('save '))).toEqual(['save "900 1 300 10 60 10000"']);
    expect(lines).toContain('maxclients 4321');
    expect(lines).toContain('maxmemory-policy volatile-lru');
    expect(lines).toContain('client-output-buffer-limit replica 256mb 64mb 60');
    expect(lines).toContain('timeout 0');
    expect(lines).toContain('notify-keyspace-events ""');
  });

  test('development policy: no AOF, RDB off', () => {
    const lines = tuningLines(examplePolicy('hospitality-development'), fakePlan());
    expect(lines).toContain('appendonly no');
    expect(lines.some((l) => l.startsWith('appendfsync'))).toBe(false);
    expect(lines).toContain('save ""');
    expect(lines).toContain('notify-keyspace-events Ex');
  });

  test('Redis 6 gets one save pair per line', () => {
    const p = examplePolicy('default');
    expect(saveLines({ ...p, engineVersion: '6.2' })).toEqual(['save 900 1', 'save 300 10', 'save 60 10000']);
    expect(saveLines({ ...p, engine: 'valkey', engineVersion: '8.0' })).toEqual([
      'save "900 1 300 10 60 10000"',
    ]);
  });

  test('never carries ports, TLS paths, passwords or maxmemory', () => {
    const text = tuningLines(examplePolicy('default'), fakePlan()).join('\n');
    expect(text).not.toMatch(/^(port|tls-|requirepass|masterauth|aclfile|maxmemory )/m);
  });

  test('each line is one directive with a known name', () => {
    for (const line of tuningLines(examplePolicy('ai-engine'), fakePlan())) {
      expect(line).toMatch(/^[a-z-]+ \S/);
    }
  });

  test('maxmemoryLine uses the plan bytes', () => {
    expect(maxmemoryLine(fakePlan())).toBe(`maxmemory ${64 * 1024 * 1024}`);
  });
});

describe('confValue', () => {
  test('quotes empty and spaced values only', () => {
    expect(confValue('')).toBe('""');
    expect(confValue('a b')).toBe('"a b"');
    expect(confValue('Ex')).toBe('Ex');
  });
});

describe('ioThreads', () => {
  test.each([
    [1, 1],
    [2, 1],
    [3, 1],
    [4, 3],
    [8, 6],
    [16, 8],
  ])('%i cores -> %i threads', (cores, threads) => expect(ioThreads(cores)).toBe(threads));
  test('rejects nonsense', () => {
    expect(() => ioThreads(0)).toThrow(/cores/);
    expect(() => ioThreads(2.5)).toThrow(/cores/);
  });
  test('lines', () => {
    expect(ioThreadsLines(2)).toEqual(['io-threads 1']);
    expect(ioThreadsLines(8)).toEqual(['io-threads 6', 'io-threads-do-reads yes']);
  });
});

describe('ACL rules', () => {
  test('key patterns follow the separator rule and drop covered prefixes', () => {
    expect(keyPattern('app')).toBe('app:*');
    expect(keyPattern('acs-cache-')).toBe('acs-cache-*');
    expect(keyPatterns(examplePolicy('ai-engine'))).toEqual(['ai-engine:*']);
    expect(keyPatterns(examplePolicy('acs-100k'))).toContain('acs-session-*');
  });

  test('user names come from the prefix', () => {
    expect(aclUserBase('ai-engine:')).toBe('ai-engine');
    expect(aclUserBase('App.Cache')).toBe('app-cache');
    expect(aclUserBase('::')).toBe('redis');
  });

  test('application user: prefix keys, no dangerous or denied commands', () => {
    const u = aclRules(examplePolicy('default'));
    expect(u.app.name).toBe('app-app');
    expect(u.app.rules).toEqual(
      expect.arrayContaining(['~app:*', '&app:*', '+@all', '-@dangerous', '-flushall', '-config']),
    );
    expect(u.app.rules).not.toContain('~*');
    expect(u.app.rules.indexOf('+@all')).toBeLessThan(u.app.rules.indexOf('-@dangerous'));
  });

  test('keyspace notifications grant the notification channels for the prefix', () => {
    const u = aclRules(examplePolicy('ai-engine'));
    expect(u.app.rules).toContain('&__keyspace@*__:ai-engine:*');
    expect(aclRules(examplePolicy('default')).app.rules.some((r) => r.includes('__keyspace'))).toBe(false);
  });

  test('metrics user has no keys and no writes', () => {
    const m = aclRules(examplePolicy('default')).metrics;
    expect(m.rules).toContain('-@all');
    expect(m.rules).toContain('+info');
    // CONFIG GET would hand out masterauth; SLOWLOG GET shows command arguments (data).
    expect(m.rules.some((r) => /^\+(config|slowlog\|get|sync|psync)\b/.test(r))).toBe(false);
    expect(m.rules.some((r) => r.startsWith('~') || r === '+@all' || r === '+set')).toBe(false);
  });

  test('default user is off and ACL lines never render without a password', () => {
    const u = aclRules(examplePolicy('default'));
    expect(aclFileLine(u.defaultUser)).toBe('user default off resetpass resetkeys resetchannels -@all');
    expect(() => aclFileLine(u.app)).toThrow(/no password/);
    expect(aclFileLine(u.app, '#abc')).toMatch(/^user app-app on resetpass #abc resetkeys ~app:\*/);
  });
});
