/** The role model (lib/policy/roles.ts): what each role may run, rendered as ACL rules. */
import { aclRulesOf, keyPrefix, keyPrefixes, ROLE_NAMES, roleModel, serverHas } from '../../lib/policy/roles';
import { redisServerOf, type Images } from '../../lib/k8s/context';
import { examplePolicy } from '../redisconf/fixtures';

describe('role model', () => {
  const roles = roleModel(examplePolicy('default'));

  test('every role has a distinct user, a purpose and rules', () => {
    expect(Object.keys(roles).sort()).toEqual([...ROLE_NAMES].sort());
    const users = ROLE_NAMES.map((r) => roles[r].user);
    expect(new Set(users).size).toBe(users.length);
    for (const r of ROLE_NAMES) {
      expect(roles[r].purpose.length).toBeGreaterThan(10);
      expect(aclRulesOf(roles[r]).length).toBeGreaterThan(1);
    }
    expect(roles.tlsReload.user).toBe('app-tls-reload');
  });

  test('app: everything but @dangerous, plus INFO and ROLE for the client handshake, never administration', () => {
    const rules = aclRulesOf(roles.app);
    expect(rules.slice(0, 4)).toEqual(['resetkeys', '~app:*', 'resetchannels', '&app:*']);
    const i = (r: string) => rules.indexOf(r);
    expect(i('+@all')).toBeLessThan(i('-@dangerous'));
    expect(i('-@dangerous')).toBeLessThan(i('+info'));
    expect(i('+role')).toBeLessThan(i('-config'));
    for (const c of [
      'config',
      'acl',
      'module',
      'debug',
      'shutdown',
      'replicaof',
      'slaveof',
      'migrate',
      'flushall',
      'keys',
    ])
      expect(rules).toContain(`-${c}`);
    // Rules naming subcommands newer than Redis 6/7.0 would make the whole ACL file fail to load.
    expect(rules.some((r) => /setinfo|shards/.test(r))).toBe(false);
  });

  test('metrics: introspection only; no CONFIG, no SLOWLOG GET, no replication stream, no keys', () => {
    const rules = aclRulesOf(roles.metrics);
    expect(rules).toEqual(
      expect.arrayContaining(['resetkeys', 'resetchannels', '-@all', '+info', '+slowlog|len']),
    );
    expect(rules.some((r) => /^\+(config|slowlog\|get|sync|psync|@)/.test(r) || r.startsWith('~'))).toBe(
      false,
    );
  });

  test('backup, TLS reload, replication: command allowlists without keys', () => {
    expect(aclRulesOf(roles.backup)).toEqual(expect.arrayContaining(['-@all', '+bgsave', '+sync', '+role']));
    expect(aclRulesOf(roles.tlsReload)).toEqual(['resetkeys', 'resetchannels', '-@all', '+config|set']);
    expect(aclRulesOf(roles.replication)).toEqual(
      expect.arrayContaining(['-@all', '+psync', '+replconf', '+ping']),
    );
    for (const r of ['backup', 'tlsReload', 'replication', 'metrics'] as const) {
      expect(roles[r].keys).toEqual([]);
      expect(aclRulesOf(roles[r]).some((x) => x.startsWith('~') || x.startsWith('+@'))).toBe(false);
    }
    expect(aclRulesOf(roles.admin)).toEqual(['~*', '&*', '+@all']);
  });

  test('version-specific subcommands are named only for servers that have them', () => {
    const p = examplePolicy('default');
    const has = (version: string, engine: 'redis' | 'valkey' = 'redis') =>
      aclRulesOf(roleModel(p, { engine, version }).metrics).includes('+latency|histogram');
    expect(has('6.2')).toBe(false);
    expect(has('7.0.15')).toBe(true);
    expect(has('8.2.1')).toBe(true);
    expect(has('8.0', 'valkey')).toBe(true);
    expect(serverHas({ engine: 'redis', version: '7.0' }, 7, 2)).toBe(false);
    expect(serverHas({ engine: 'redis', version: '7.2' }, 7, 2)).toBe(true);
    expect(serverHas({ engine: 'valkey', version: '7.2' }, 7, 4)).toBe(false);
    expect(serverHas({ engine: 'redis', version: '10.0' }, 7, 2)).toBe(true);
    expect(serverHas({ engine: 'redis', version: '7.10' }, 7, 2)).toBe(true);
    expect(serverHas({ engine: 'redis', version: 'latest' }, 6)).toBe(false);
  });

  test('key prefixes: separator kept or ":" added; covered prefixes dropped; policy denials reach the app', () => {
    expect(keyPrefix('acs-cache-')).toEqual({ prefix: 'acs-cache', separator: '-', pattern: 'acs-cache-*' });
    expect(keyPrefix('app2')).toEqual({ prefix: 'app2', separator: ':', pattern: 'app2:*' });
    const acs = keyPrefixes(examplePolicy('acs-100k')).map((k) => k.pattern);
    expect(acs).toContain('acs-session-*');
    expect(new Set(acs).size).toBe(acs.length);
    const custom = { ...examplePolicy('default') };
    custom.security = { ...custom.security, deniedCommands: ['SCAN'] };
    expect(aclRulesOf(roleModel(custom).app)).toContain('-scan');
  });

  test('Kubernetes renders the model for the Redis version of the image tag, else the policy version', () => {
    const p = examplePolicy('default');
    const images = (opstreeRedis: string, bitnamiTag: string) =>
      ({ opstreeRedis, bitnamiRepository: 'bitnamilegacy/redis', bitnamiTag }) as Images;
    const i = images('quay.io/opstree/redis:v6.2.14', '8.2.1-debian-12-r0');
    expect(redisServerOf(i, 'opstree', p)).toEqual({ engine: 'redis', version: '6.2' });
    expect(redisServerOf(i, 'bitnami', p)).toEqual({ engine: 'redis', version: '8.2' });
    expect(redisServerOf(images('registry.local:5000/valkey/valkey:8.0.1', 'x'), 'opstree', p)).toEqual({
      engine: 'valkey',
      version: '8.0',
    });
    expect(redisServerOf(images('quay.io/opstree/redis:v7.0.15', 'latest-build'), 'bitnami', p)).toEqual({
      engine: p.engine,
      version: p.engineVersion,
    });
    expect(aclRulesOf(roleModel(p, redisServerOf(i, 'opstree', p)).metrics)).not.toContain(
      '+latency|histogram',
    );
  });
});
