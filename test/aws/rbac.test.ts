/** ElastiCache RBAC: access-string validation, ids, users and user group on the replication group. */
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  ELASTICACHE_ID_MAX_LENGTH,
  elastiCacheAccessString,
  elastiCacheId,
  elastiCacheRules,
} from '../../lib/aws/rbac';
import { rbacUsers } from '../../lib/aws/stack';
import { awsCatalog } from '../../lib/catalog';
import { loadDeployment } from '../../lib/deployment';
import { aclRulesOf, roleModel } from '../../lib/policy/roles';
import { makeGroup } from './fixtures';
import * as path from 'node:path';

const RESTRICTED = awsCatalog().restrictedCommands;

describe('elastiCacheAccessString', () => {
  test.each([
    ['a password', '>secret', /passwords and on\/off through the API/],
    ['a password hash', '#5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8', /passwords/],
    ['nopass', 'nopass', /passwords/],
    ['reset', 'reset', /refuses them \(and reset\)/],
    ['on inside the rules', 'on', /on\/off/],
    ['a restricted command', '+config', /restricts CONFIG/],
    ['a restricted subcommand', '+cluster|forget', /restricts CLUSTER\|FORGET/],
    ['a subcommand of a restricted command', '+config|get', /restricts CONFIG/],
    ['a selector', '(~x +get)', /expected an ACL rule/],
    ['whitespace', '~a b', /expected an ACL rule/],
  ])('refuses %s (bad fixture)', (_what, rule, message) => {
    expect(() => elastiCacheAccessString({ name: 'u1', enabled: true, rules: [rule] }, RESTRICTED)).toThrow(
      message,
    );
  });

  test('the message names the user, the rule and why', () => {
    expect(() =>
      elastiCacheAccessString({ name: 'acs-app', enabled: true, rules: ['+debug'] }, RESTRICTED),
    ).toThrow(/RBAC user acs-app access string: got "\+debug"; ElastiCache restricts DEBUG/);
  });

  test('accepts every rule form the role model uses, with digits and separators (valid but unusual)', () => {
    const rules = [
      'resetkeys',
      '~tenant-42:cache_v2.*',
      '%R~ro9:*',
      'resetchannels',
      '&__keyspace@*__:t42:*',
      '+@all',
      '-@dangerous',
      '-flushall',
      '+client|setname',
      '+latency|histogram',
      'allkeys',
      'allchannels',
    ];
    expect(elastiCacheAccessString({ name: 'x9-app', enabled: true, rules }, RESTRICTED)).toBe(
      ['on', ...rules].join(' '),
    );
    expect(elastiCacheAccessString({ name: 'default', enabled: false, rules: ['-@all'] }, RESTRICTED)).toBe(
      'off -@all',
    );
  });
});

describe('rules from the shared role model', () => {
  const d = loadDeployment(path.join(__dirname, '..', '..', 'examples', 'acs-100k.yaml'));

  test('denials and grants of restricted commands are left out; the rest is kept in order', () => {
    const roles = roleModel(d.policy);
    const app = { name: roles.app.user, rules: aclRulesOf(roles.app) };
    const kept = elastiCacheRules(app, RESTRICTED);
    const restrictedDenials = ['-config', '-debug', '-shutdown', '-replicaof', '-slaveof', '-sync', '-psync'];
    for (const r of restrictedDenials) {
      expect(app.rules).toContain(r);
      expect(kept).not.toContain(r);
    }
    expect(kept).toEqual(app.rules.filter((r) => !restrictedDenials.includes(r) && r !== '-migrate'));
    expect(kept).toEqual(expect.arrayContaining(['+@all', '-@dangerous', '-flushall', '-keys']));
    // A grant of a restricted command is dropped as well (no such grant in the model today).
    expect(elastiCacheRules({ name: 'm', rules: ['-@all', '+info', '+config|get'] }, RESTRICTED)).toEqual([
      '-@all',
      '+info',
    ]);
  });

  test('app, metrics and admin, with names from the role model; each access string validates', () => {
    const users = rbacUsers(d.policy);
    const roles = roleModel(d.policy);
    expect(users.map((u) => [u.role, u.userName])).toEqual([
      ['app', roles.app.user],
      ['metrics', roles.metrics.user],
      ['admin', roles.admin.user],
    ]);
    for (const u of users) {
      expect(() =>
        elastiCacheAccessString({ name: u.userName, enabled: true, rules: u.rules }, RESTRICTED),
      ).not.toThrow();
    }
  });
});

describe('elastiCacheId', () => {
  test('short ids are <group>-<suffix>', () => {
    expect(elastiCacheId('acs-redis', 'app')).toBe('acs-redis-app');
  });

  test('a 40-character group id is cut, hashed and still unique per group', () => {
    const a = elastiCacheId('a'.repeat(36) + '1234', 'metrics');
    const b = elastiCacheId('a'.repeat(36) + '5678', 'metrics');
    for (const id of [a, b]) {
      expect(id.length).toBeLessThanOrEqual(ELASTICACHE_ID_MAX_LENGTH);
      expect(id).toMatch(/^[a-z][a-z0-9-]*-metrics$/);
    }
    expect(a).not.toBe(b);
  });
});

describe('RedisReplicationGroup in RBAC mode', () => {
  const users = [
    { role: 'app', userName: 'svc2-app', rules: ['~svc2:*', '+@all', '-@dangerous'], purpose: 'application' },
    { role: 'admin', userName: 'svc2-admin', rules: ['~*', '&*', '+@all'], purpose: 'operators' },
  ];

  test('a user per role with a secret, a disabled default user, one group on the replication group', () => {
    const { stack, group } = makeGroup({ users });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::ElastiCache::User', 3);
    t.hasResourceProperties('AWS::ElastiCache::User', {
      UserName: 'default',
      UserId: 'test-redis-default',
      AccessString: 'off -@all',
      AuthenticationMode: { Type: 'no-password-required' },
    });
    t.hasResourceProperties('AWS::ElastiCache::User', {
      UserName: 'svc2-app',
      UserId: 'test-redis-app',
      Engine: 'redis',
      AccessString: 'on ~svc2:* +@all -@dangerous',
      AuthenticationMode: {
        Type: 'password',
        Passwords: [
          { 'Fn::Join': ['', ['{{resolve:secretsmanager:', Match.anyValue(), ':SecretString:password::}}']] },
        ],
      },
    });
    t.hasResourceProperties('AWS::ElastiCache::UserGroup', {
      Engine: 'redis',
      UserGroupId: 'test-redis-users',
      UserIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^RedisUsersDefaultUser') }]),
    });
    // The secret binds itself to the user (username and user_arn), as ElastiCache's rotation layout expects.
    const secrets = t.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets)).toHaveLength(2);
    const template = JSON.stringify(Object.values(secrets).map((s) => s.Properties.GenerateSecretString));
    expect(template).toContain('\\"username\\":\\"svc2-app\\"');
    expect(template).toContain(':user:test-redis-app');
    expect(group.appUser?.spec.userName).toBe('svc2-app');
    expect(group.authMode).toBe('rbac');
    expect(group.authTokenSecret).toBeUndefined();
  });

  test('grantReadUserPassword grants read on that role only; an unknown role is refused', () => {
    const { stack, group } = makeGroup({ users });
    const role = new iam.Role(stack, 'Ops', { assumedBy: new iam.AccountRootPrincipal() });
    group.grantReadUserPassword('admin', role);
    const policy = JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
    expect(policy).toContain('secretsmanager:GetSecretValue');
    expect(policy).toMatch(/RedisUsersAdminSecret/);
    expect(policy).not.toMatch(/RedisUsersAppSecret/);
    expect(() => group.grantReadUserPassword('metrics', role)).toThrow(
      /grantReadUserPassword: got "metrics"; no RBAC user with that role .*roles: app, admin/,
    );
  });

  test('bad fixtures: a user called default, two roles with one name, a restricted grant', () => {
    expect(() => makeGroup({ users: [{ ...users[0], userName: 'default' }] })).toThrow(
      /RBAC user name: got "default"; each role needs its own user name/,
    );
    expect(() => makeGroup({ users: [users[0], { ...users[1], userName: 'svc2-app' }] })).toThrow(
      /got "svc2-app"; each role needs its own user name/,
    );
    expect(() => makeGroup({ users: [{ ...users[0], rules: ['+@all', '+bgsave'] }] })).toThrow(
      /restricts BGSAVE/,
    );
  });

  test('RBAC below the engine version that has it fails and names targets.aws.auth', () => {
    expect(() => makeGroup({ engineVersion: '5.0', allowedEngineVersions: ['5.0'] })).toThrow(
      /authMode \(spec: targets\.aws\.auth\): got "rbac"; ElastiCache RBAC needs redis 6\.0 or later .*set targets\.aws\.auth: token/,
    );
    // Token mode still works there.
    expect(() =>
      makeGroup({ engineVersion: '5.0', allowedEngineVersions: ['5.0'], authMode: 'token' }),
    ).not.toThrow();
  });
});
